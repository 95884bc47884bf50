-- Agent presence from the 3CX PBX (issue 19, presence part): the worker polls
-- the PBX every few seconds (pbx__presence_poll) and applies each snapshot in
-- one transaction (app_private.apply_pbx_presence): the current status per
-- agent, and a compact history that gains a row only when a status changes.
-- How the polls go is kept in x-directory's app_private.pbx_api_status
-- (kind 'presence'), through record_pbx_api_success / record_pbx_api_failure.

-- The current 3CX status of each agent: one row per agent the PBX has reported.
create table if not exists app_public.agent_presence (
  agent_id uuid primary key references app_public.agents (id) on delete cascade,
  extension text not null,
  profile text check (length(profile) <= 100),
  logged_in boolean not null,
  registered boolean not null,
  on_call boolean not null,
  since timestamptz not null,
  polled_at timestamptz not null,
  check (since <= polled_at)
);
comment on table app_public.agent_presence is E'@omit create,update,delete\nThe current 3CX status of each agent, as the worker last polled it from the PBX (THREECX_PRESENCE_POLL_SECONDS). Written only by the poll; read under the agent directory''s row rules (your own; supervisors their locations''; managers all). `stale` says when it can no longer be trusted.';
comment on column app_public.agent_presence.agent_id is 'The agent (directory entry).';
comment on column app_public.agent_presence.extension is 'The agent''s 3CX extension.';
comment on column app_public.agent_presence.profile is '3CX status profile (CurrentProfileName): Available, Away, Out of office (DND), Lunch, Business trip, or a custom name.';
comment on column app_public.agent_presence.logged_in is 'Logged in to the queues (3CX QueueStatus LoggedIn; one switch for all the agent''s queues).';
comment on column app_public.agent_presence.registered is 'A phone or app of the extension is registered with the PBX.';
comment on column app_public.agent_presence.on_call is 'The extension is on a call (it takes part in one of the PBX''s active calls).';
comment on column app_public.agent_presence.since is 'When this status (profile, loggedIn, registered, onCall together) was first seen; the start of the open history row.';
comment on column app_public.agent_presence.polled_at is 'The last successful poll that reported this agent.';

-- Status changes: a row opens when an agent's status changes and closes at the next change.
create table if not exists app_public.agent_presence_history (
  id uuid primary key default gen_random_uuid(),
  agent_id uuid not null references app_public.agents (id) on delete cascade,
  extension text not null,
  profile text check (length(profile) <= 100),
  logged_in boolean not null,
  registered boolean not null,
  on_call boolean not null,
  valid_from timestamptz not null,
  valid_to timestamptz,
  source text not null default 'poll' check (source in ('poll', 'login_history')),
  check (valid_to is null or valid_to >= valid_from)
);
create unique index if not exists agent_presence_history_one_open_idx on app_public.agent_presence_history (agent_id) where valid_to is null;
create index if not exists agent_presence_history_agent_from_idx on app_public.agent_presence_history (agent_id, valid_from);
create index if not exists agent_presence_history_from_idx on app_public.agent_presence_history (valid_from);
comment on table app_public.agent_presence_history is E'@omit create,update,delete\nEach agent''s 3CX status over time, compact: a row per status (profile, loggedIn, registered, onCall together) from validFrom to validTo; the open row (validTo NULL) is the current one. A row closes and the next opens only when the status changes, never per poll; a gap in polling (no answer from the PBX for 3 poll intervals, or the agent missing from its answer) closes the row at the last poll that saw it. Read under the agent directory''s row rules; agentPresenceDays sums it per business day.';
comment on column app_public.agent_presence_history.id is 'Identifier.';
comment on column app_public.agent_presence_history.agent_id is 'The agent (directory entry).';
comment on column app_public.agent_presence_history.extension is 'The agent''s 3CX extension at the time.';
comment on column app_public.agent_presence_history.profile is '3CX status profile (Available, Away, Out of office, Lunch, ...).';
comment on column app_public.agent_presence_history.logged_in is 'Logged in to the queues.';
comment on column app_public.agent_presence_history.registered is 'A phone of the extension registered with the PBX.';
comment on column app_public.agent_presence_history.on_call is 'On a call.';
comment on column app_public.agent_presence_history.valid_from is 'When the status was first seen (the poll that saw the change).';
comment on column app_public.agent_presence_history.valid_to is 'When it ended (the poll that saw the next change, or the last poll that saw the agent before a gap); NULL while it goes on.';
comment on column app_public.agent_presence_history.source is 'poll (the worker''s presence poll) or login_history (backfilled from 3CX''s agent login history report).';
select app_private.secure_table('app_public.agent_presence');
select app_private.secure_table('app_public.agent_presence_history');
-- Written by the worker only, which the audit skips; the triggers record any other writer.
drop trigger if exists _900_audit on app_public.agent_presence;
create trigger _900_audit after insert or update or delete on app_public.agent_presence for each row execute function app_private.tg__audit('agent_id');
drop trigger if exists _900_audit on app_public.agent_presence_history;
create trigger _900_audit after insert or update or delete on app_public.agent_presence_history for each row execute function app_private.tg__audit('id');

-- The poll's own state: when the last snapshot was applied and at what interval polls come.
create table if not exists app_private.pbx_presence_state (
  id boolean primary key default true check (id),
  last_polled_at timestamptz not null,
  poll_seconds integer not null check (poll_seconds between 1 and 3600),
  agents_reported integer not null default 0,
  unknown_extensions text[] not null default '{}'
);
comment on table app_private.pbx_presence_state is 'One row: the last presence snapshot applied (its time, the poll interval it came at, how many agents it reported, and the PBX users with no active agent in the directory).';

-- One agent's status as the API answers it: the directory's person beside their 3CX status.
drop type if exists app_public.agent_status cascade;
create type app_public.agent_status as (
  extension text,
  agent_email citext,
  agent_name text,
  location text,
  profile text,
  logged_in boolean,
  registered boolean,
  on_call boolean,
  since timestamptz,
  polled_at timestamptz,
  stale boolean
);
comment on type app_public.agent_status is 'An active agent of the directory with their current 3CX status (NULLs and stale when the PBX has never reported them).';
comment on column app_public.agent_status.extension is 'The agent''s 3CX extension.';
comment on column app_public.agent_status.agent_email is 'The person using the extension (NULL when not a user of this service).';
comment on column app_public.agent_status.agent_name is 'Name as shown in 3CX.';
comment on column app_public.agent_status.location is 'The agent''s home location.';
comment on column app_public.agent_status.profile is '3CX status profile (Available, Away, Out of office, Lunch, ...).';
comment on column app_public.agent_status.logged_in is 'Logged in to the queues.';
comment on column app_public.agent_status.registered is 'A phone of the extension registered with the PBX.';
comment on column app_public.agent_status.on_call is 'On a call.';
comment on column app_public.agent_status.since is 'When this status was first seen.';
comment on column app_public.agent_status.polled_at is 'The last successful poll that reported this agent.';
comment on column app_public.agent_status.stale is 'True when the status cannot be trusted: no successful poll reported the agent within 3 poll intervals, the last poll failed, or the last successful poll did not report the agent.';

-- Logged-in and idle time per agent and business day, from the history.
drop type if exists app_public.agent_presence_day cascade;
create type app_public.agent_presence_day as (
  agent_extension text,
  agent_email citext,
  agent_name text,
  location text,
  business_day date,
  logged_in_seconds bigint,
  on_call_seconds bigint,
  idle_seconds bigint,
  known_seconds bigint
);
comment on type app_public.agent_presence_day is 'One agent''s business day as the 3CX presence history shows it.';
comment on column app_public.agent_presence_day.agent_extension is 'The agent''s 3CX extension.';
comment on column app_public.agent_presence_day.agent_email is 'The person using the extension.';
comment on column app_public.agent_presence_day.agent_name is 'Name as shown in 3CX.';
comment on column app_public.agent_presence_day.location is 'The agent''s home location.';
comment on column app_public.agent_presence_day.business_day is 'The business day (local date in BUSINESS_TIMEZONE).';
comment on column app_public.agent_presence_day.logged_in_seconds is 'Seconds logged in to the queues.';
comment on column app_public.agent_presence_day.on_call_seconds is 'Seconds on a call (logged in to the queues or not).';
comment on column app_public.agent_presence_day.idle_seconds is 'Seconds logged in to the queues and not on a call: waiting for the next call.';
comment on column app_public.agent_presence_day.known_seconds is 'Seconds of the day the presence history covers (polled, whatever the status); the rest is unknown (PBX not answering, not polled).';

--!include presence/stale.sql
--!include presence/apply-snapshot.sql
--!include presence/agent-statuses.sql
--!include presence/presence-days.sql
--!include access/agent_presence.sql
--!include access/agent_presence_history.sql
--!include access/app_private.pbx_presence_state.sql
