-- 3CX directory sync (issue 19): the PBX's users, queues with their agents,
-- IVRs and ring groups become agents, queues, queue_agents and pbx_numbers;
-- a status row per PBX API use; sync-3cx as a processing job; agents not yet
-- users are listed for a manager to invite.

-- What the PBX says about an agent (written by the sync only).
alter table app_public.agents add column if not exists pbx_email citext check (length(pbx_email) <= 320);
alter table app_public.agents add column if not exists is_registered boolean;
alter table app_public.agents add column if not exists pbx_user_id integer;
alter table app_public.agents add column if not exists pbx_synced_at timestamptz;
alter table app_public.agents add column if not exists pbx_left_at timestamptz;
comment on column app_public.agents.pbx_email is 'The e-mail address 3CX holds for the extension (from the directory sync); the person is linked (user_email) when a user has it, or invited with it.';
comment on column app_public.agents.is_registered is 'Whether a phone or app was registered on the extension at the last directory sync (NULL: never synced).';
comment on column app_public.agents.pbx_user_id is 'The extension''s user Id in 3CX (XAPI Users), from the last directory sync.';
comment on column app_public.agents.pbx_synced_at is 'When the directory sync last changed this agent from 3CX (NULL: never; entered by hand).';
comment on column app_public.agents.pbx_left_at is 'When the directory sync found the extension gone from 3CX and deactivated the agent; cleared when it comes back (an agent deactivated by hand is not reactivated by the sync).';

-- Queue membership, as 3CX polls it.
create table if not exists app_public.queue_agents (
  queue_id uuid not null references app_public.queues (id) on delete cascade,
  agent_id uuid not null references app_public.agents (id) on delete cascade,
  position integer not null check (position >= 1),
  skill_group text check (length(skill_group) <= 50),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (queue_id, agent_id)
);
create index if not exists queue_agents_agent_idx on app_public.queue_agents (agent_id);
comment on table app_public.queue_agents is E'@omit create,update,delete\nWhich agents each queue polls, in 3CX''s order, as the directory sync last read it (Queues with their Agents).';
comment on column app_public.queue_agents.queue_id is 'The queue.';
comment on column app_public.queue_agents.agent_id is 'The agent.';
comment on column app_public.queue_agents.position is 'Place in the queue''s agent list (1 = polled first in a hunt strategy).';
comment on column app_public.queue_agents.skill_group is 'The agent''s skill group in the queue (3CX SkillGroup), when skills-based routing is used.';
comment on column app_public.queue_agents.created_at is 'When the agent joined the queue (as first seen by the sync).';
comment on column app_public.queue_agents.updated_at is 'When position or skill group last changed.';
select app_private.secure_table('app_public.queue_agents');
drop trigger if exists _100_timestamps on app_public.queue_agents;
create trigger _100_timestamps before insert or update on app_public.queue_agents for each row execute function app_private.tg__timestamps();
drop trigger if exists _900_audit on app_public.queue_agents;
create trigger _900_audit after insert or update or delete on app_public.queue_agents for each row execute function app_private.tg__audit('queue_id');

-- One row per use of the 3CX API: how its last attempts went.
create table if not exists app_private.pbx_api_status (
  kind text primary key check (kind in ('directory', 'presence', 'recordings')),
  last_attempt_at timestamptz,
  last_success_at timestamptz,
  last_failure_at timestamptz,
  last_failure_reason text check (length(last_failure_reason) <= 40),
  last_error text check (length(last_error) <= 1000),
  consecutive_failures integer not null default 0 check (consecutive_failures >= 0),
  last_result jsonb
);
comment on table app_private.pbx_api_status is 'How the last attempts to use the 3CX API went, per use (directory sync, presence polling, recordings): for the health check and /metrics. Errors never hold a secret.';
insert into app_private.pbx_api_status (kind) values ('directory'), ('presence'), ('recordings') on conflict do nothing;

-- Failures counted by reason, ever (a Prometheus counter reads them).
create table if not exists app_private.pbx_api_failures (
  kind text not null check (kind in ('directory', 'presence', 'recordings')),
  reason text not null check (length(reason) <= 40),
  failures bigint not null default 0 check (failures >= 0),
  primary key (kind, reason)
);
comment on table app_private.pbx_api_failures is 'Failed attempts to use the 3CX API, counted per use and reason (unauthorized, forbidden, rate_limited, server_error, timeout, network, malformed_json, invalid_answer, http_error, apply_failed, not_configured).';

alter table app_public.processing_jobs drop constraint if exists processing_jobs_kind_check;
alter table app_public.processing_jobs add constraint processing_jobs_kind_check check (kind in ('call_analysis', 'pbx_directory_sync'));
comment on column app_public.processing_jobs.kind is 'What the job does: call_analysis, or pbx_directory_sync (sync-3cx).';

--!include access/queue_agents.sql
--!include access/app_private.pbx_api_status.sql
--!include access/app_private.pbx_api_failures.sql
--!include ingest/rebuild-calls.sql
--!include processing/analyze-calls.sql
--!include processing/job-states.sql
--!include pbx/api-status.sql
--!include pbx/apply-directory.sql
--!include pbx/sync-directory.sql
--!include pbx/invite-agent.sql
