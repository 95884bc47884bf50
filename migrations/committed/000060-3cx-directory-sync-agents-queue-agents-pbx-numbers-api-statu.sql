--! Previous: sha1:d22be52ad744046058de8a2071c0710444958d4c
--! Hash: sha1:27f9b9890870764ff42659d9b88516b7214ddabf
--! Message: 3CX directory sync: agents, queue agents, PBX numbers, API status

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

--! Included access/queue_agents.sql
drop policy if exists select_signed_in on app_public.queue_agents;
create policy select_signed_in on app_public.queue_agents for select to app_visitor
  using ((select auth.uid()) is not null);

revoke all on app_public.queue_agents from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant select on app_public.queue_agents to app_visitor;
grant insert, select, update, delete on app_public.queue_agents to app_worker;
--! EndIncluded access/queue_agents.sql
--! Included access/app_private.pbx_api_status.sql
revoke all on app_private.pbx_api_status from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant select, update on app_private.pbx_api_status to app_worker;
--! EndIncluded access/app_private.pbx_api_status.sql
--! Included access/app_private.pbx_api_failures.sql
revoke all on app_private.pbx_api_failures from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant insert, select, update on app_private.pbx_api_failures to app_worker;
--! EndIncluded access/app_private.pbx_api_failures.sql
--! Included ingest/rebuild-calls.sql
create or replace function app_private.queue_cdr_rebuild(numbers text[])
 returns void
 language plpgsql
 security definer
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
declare
  wanted text[] := array(select distinct n from unnest(numbers) n where n is not null order by 1);
begin
  -- Not for the worker's own upkeep: ingestion adds a queue or a number with what the record's type fields say,
  -- so the calls it read already knew; a rebuild (whose ingestion does the same) would queue rebuilds again.
  -- The 3CX directory sync (app_private.apply_pbx_directory) is the worker teaching the directory something new: it rebuilds.
  if current_setting('role', true) = 'app_worker' and coalesce(current_setting('app.pbx_directory_sync', true), '') <> 'on' then
    return;
  end if;
  if cardinality(wanted) > 0 then
    perform app_private.add_job('cdr__rebuild', json_build_object('numbers', wanted));
  end if;
end;
$function$;
comment on function app_private.queue_cdr_rebuild(text[]) is 'Queues cdr__rebuild for the calls whose PBX route passed these numbers (nothing when there are none, nor for the worker''s own changes: ingestion adding a queue or number its records typed; the 3CX directory sync does queue them).';
revoke all on function app_private.queue_cdr_rebuild(text[]) from public, app_visitor, app_worker, app_analyst, app_authenticator;

create or replace function app_private.rebuild_calls(calls jsonb)
 returns table(call_id text, record_id uuid, moved boolean, old_start timestamp with time zone, new_start timestamp with time zone, fcr_changed integer, reports_matched integer, reports_unmatched integer)
 language plpgsql
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
#variable_conflict use_column
declare
  longest interval := coalesce((select max(s.fcr_window) from app_hidden.effective_queue_settings s), (app_hidden.kpi_defaults()).fcr_window);
  target_ids text[];
  old_ids uuid[] := '{}';
  old_starts timestamptz[] := '{}';
  old_hashes bytea[] := '{}';
  fcr_ids uuid[] := '{}';
  fcr_before boolean[] := '{}';
  post_ids bigint[] := '{}';
  post_calls uuid[] := '{}';
  post_matched_at timestamptz[] := '{}';
  rebuilt uuid[];
  pid bigint;
begin
  if calls is null or jsonb_typeof(calls) <> 'array' then
    raise exception 'rebuild_calls takes a JSON array of normalised calls' using errcode = '22023';
  end if;
  target_ids := array(select distinct e.value ->> 'call_id' from jsonb_array_elements(calls) e where e.value ->> 'call_id' is not null order by 1);
  if cardinality(target_ids) = 0 then
    return;
  end if;

  -- Every call of the same callers that a move can make, or stop making, a repeat: from three FCR windows before the
  -- earlier of the old and new times on (the derivation below also looks one window before the calls it is given).
  with recs as (
    select e.value ->> 'call_id' as call_id, (e.value ->> 'start')::timestamptz as start_at, nullif(e.value ->> 'caller_number', '') as caller_number, e.ordinality
      from jsonb_array_elements(calls) with ordinality e
  ), per_call as (
    select r.call_id, min(r.start_at) as start_at, (array_agg(r.caller_number order by r.ordinality) filter (where r.caller_number is not null))[1] as caller_number
      from recs r group by r.call_id
  ), callers as (
    select k.hash, min(k.at) - 3 * longest as since
      from (select c.caller_number_hash as hash, least(c.call_start_time, p.start_at) as at
              from app_public.call_center_records c join per_call p on p.call_id = c.call_id
            union all
            select app_hidden.caller_key(p.caller_number), p.start_at from per_call p where p.caller_number is not null) k
     where k.hash is not null
     group by k.hash
  )
  select coalesce(array_agg(m.id), '{}') into fcr_ids
    from callers k join app_public.call_center_records m on m.caller_number_hash = k.hash and m.call_start_time >= k.since;

  -- These calls and those, locked in one pass in call-id order (the order ingestion and the FCR derivation take
  -- their locks in, so none of them deadlocks with this); then the calls and their FCR as they are now.
  perform 1 from app_public.call_center_records c
   where c.call_id = any(target_ids) or c.id = any(fcr_ids)
   order by c.call_id for update;
  select coalesce(array_agg(c.id order by c.call_id), '{}'), coalesce(array_agg(c.call_start_time order by c.call_id), '{}'),
         coalesce(array_agg(c.caller_number_hash order by c.call_id), '{}')
    into old_ids, old_starts, old_hashes
    from app_public.call_center_records c where c.call_id = any(target_ids);
  select coalesce(array_agg(c.id order by c.id), '{}'), coalesce(array_agg(c.first_call_resolution order by c.id), '{}') into fcr_ids, fcr_before
    from app_public.call_center_records c where c.id = any(fcr_ids || old_ids);

  -- ReportCall posts matched to these calls let go, with what only they brought (the call holds the post's own
  -- ciphertext: a name or recording the CDR carried, or another source, is kept). They are matched again below,
  -- to these calls or others, where their times now agree.
  select coalesce(array_agg(r.id order by r.id), '{}'), coalesce(array_agg(r.call_record_id order by r.id), '{}'),
         coalesce(array_agg(r.matched_at order by r.id), '{}')
    into post_ids, post_calls, post_matched_at
    from (select r.id, r.call_record_id, r.matched_at from app_private.cdr_report_calls r
           where r.call_record_id = any(old_ids) order by r.id for update) r;
  if cardinality(post_ids) > 0 then
    update app_public.call_center_records c set
      caller_name = case when exists (select 1 from app_private.cdr_report_calls r
                                       where r.call_record_id = c.id and r.caller_name_encrypted = c.caller_name_encrypted) then '' end,
      recording_url_encrypted = case when exists (select 1 from app_private.cdr_report_calls r
                                                   where r.call_record_id = c.id and r.recording_url_encrypted = c.recording_url_encrypted)
                                     then null else c.recording_url_encrypted end,
      recording_available = case when exists (select 1 from app_private.cdr_report_calls r
                                                where r.call_record_id = c.id and r.recording_url_encrypted = c.recording_url_encrypted)
                                 then false else c.recording_available end
     where c.id = any(post_calls)
       and exists (select 1 from app_private.cdr_report_calls r
                    where r.call_record_id = c.id
                      and (r.caller_name_encrypted = c.caller_name_encrypted or r.recording_url_encrypted = c.recording_url_encrypted));
    update app_private.cdr_report_calls r set call_record_id = null, matched_at = null where r.id = any(post_ids);
  end if;

  -- The legs go (their delete marks the old agent days), and what ingestion derives is reset, so that
  -- ingest_call_batch writes it afresh from these records (its merge keeps the earliest start and latest end,
  -- so stale values would otherwise win). The update marks the old queue interval.
  delete from app_public.call_legs l where l.call_record_id = any(old_ids);
  with recs as (
    select e.value, e.ordinality from jsonb_array_elements(calls) with ordinality e
  ), per_call as (
    select r.value ->> 'call_id' as call_id,
           min((r.value ->> 'start')::timestamptz) as start_at,
           (array_agg(r.value ->> 'direction' order by r.ordinality))[1] as direction,
           (array_agg(nullif(r.value ->> 'caller_number', '') order by r.ordinality) filter (where nullif(r.value ->> 'caller_number', '') is not null))[1] as caller_number,
           bool_or(r.value ? 'pbx_route') as has_route,
           bool_or(r.value ? 'ended_in') as has_ended_in
      from recs r group by r.value ->> 'call_id'
  )
  update app_public.call_center_records c set
    call_start_time = p.start_at, call_end_time = null,
    call_direction = p.direction,
    queue_name = null, queue_entered_at = null, called_number = null,
    call_status = 'missed', call_answer_time = null, answer_time_known = true, wait_seconds = null,
    agent_extension = null, agent_email = null, agent_name = null, transfer_count = 0, location = null,
    pbx_route = case when p.has_route then '{}' else c.pbx_route end,
    ended_in = case when p.has_ended_in then null else c.ended_in end,
    -- The caller as the records name them (re-encrypted only when it is another number).
    caller_number = case when app_hidden.caller_key(p.caller_number) is distinct from c.caller_number_hash then coalesce(p.caller_number, '') end
    from per_call p
   where c.id = any(old_ids) and c.call_id = p.call_id;

  perform 1 from app_private.ingest_call_batch(calls);

  rebuilt := array(select c.id from app_public.call_center_records c where c.call_id = any(target_ids));

  -- First-call resolution: a derived value on a rebuilt call that is no longer a handled, ended inbound call (what
  -- derive_fcr considers) is no longer known; then the rebuilt calls and their callers' calls are derived again
  -- (manual values are kept).
  update app_public.call_center_records c set first_call_resolution = null, fcr_final = false, fcr_source = null
   where c.id = any(rebuilt) and c.fcr_source = 'derived'
     and not (c.call_direction = 'inbound' and c.call_status in ('completed', 'transferred') and c.call_end_time is not null);
  perform app_private.derive_fcr(array(select unnest(fcr_ids) union select unnest(rebuilt)));

  -- ReportCall posts: those let go above, and unmatched ones of the same callers near the new times, matched
  -- where they now agree (agent, caller, start within 5 s); a post back on its call keeps when it was matched.
  for pid in
    select r.id from app_private.cdr_report_calls r where r.id = any(post_ids) and r.call_record_id is null
    union
    select r.id from app_public.call_center_records c
      join app_private.cdr_report_calls r
        on r.caller_key = c.caller_number_hash and r.call_record_id is null
       and r.started_at between c.call_start_time - interval '5 seconds' and c.call_start_time + interval '5 seconds'
     where c.id = any(rebuilt)
    order by 1
  loop
    perform app_private.match_report_call(pid);
  end loop;
  update app_private.cdr_report_calls r set matched_at = b.matched_at
    from unnest(post_ids, post_calls, post_matched_at) as b(id, call_record_id, matched_at)
   where r.id = b.id and r.call_record_id = b.call_record_id;

  -- Per call; each FCR change counted once: on its own row when the call was rebuilt, else on the first rebuilt
  -- call (by call id) of its caller. (Counted by grouping: a correlated count per row was quadratic.)
  return query
  with old as materialized (
    select o.id, o.start_at, o.hash from unnest(old_ids, old_starts, old_hashes) as o(id, start_at, hash)
  ), now_calls as materialized (
    select c.id, c.call_id, c.call_start_time, c.caller_number_hash from app_public.call_center_records c where c.id = any(rebuilt)
  ), owners as materialized (
    select distinct on (h.hash) h.hash, h.id
      from (select n.caller_number_hash as hash, n.id, n.call_id from now_calls n where n.caller_number_hash is not null
            union all
            select o.hash, n.id, n.call_id from old o join now_calls n on n.id = o.id where o.hash is not null) h
     order by h.hash, h.call_id
  ), fcr_counts as (
    select coalesce(case when n.id = any(rebuilt) then n.id end, w.id) as owner, count(*)::int as n
      from app_public.call_center_records n
      left join unnest(fcr_ids, fcr_before) as b(id, resolved) on b.id = n.id
      left join owners w on w.hash = n.caller_number_hash
     where n.id = any(fcr_ids || rebuilt) and n.first_call_resolution is distinct from b.resolved
     group by 1
  ), posts_before as materialized (
    select b.id, b.call_record_id from unnest(post_ids, post_calls) as b(id, call_record_id)
  ), matched as (
    select r.call_record_id as owner, count(*)::int as n from app_private.cdr_report_calls r
     where r.call_record_id = any(rebuilt)
       and not exists (select 1 from posts_before b where b.id = r.id and b.call_record_id = r.call_record_id)
     group by 1
  ), unmatched as (
    select b.call_record_id as owner, count(*)::int as n from posts_before b
     where not exists (select 1 from app_private.cdr_report_calls r where r.id = b.id and r.call_record_id = b.call_record_id)
     group by 1
  )
  select c.call_id, c.id, o.start_at is not null and o.start_at <> c.call_start_time, o.start_at, c.call_start_time,
         coalesce(f.n, 0), coalesce(m.n, 0), coalesce(u.n, 0)
    from now_calls c
    left join old o on o.id = c.id
    left join fcr_counts f on f.owner = c.id
    left join matched m on m.owner = c.id
    left join unmatched u on u.owner = c.id
   order by c.call_id;
end;
$function$;
comment on function app_private.rebuild_calls(jsonb) is 'Rebuilds calls in place from exactly the normalised calls given (the array ingest_calls takes, all records of each call): the call keeps its id and what people entered; its legs, times, queue, status, agent, route and direction are written afresh by ingest_call_batch; first-call resolution of the calls and of their callers'' calls around the old and new times is derived again (manual values kept); ReportCall posts follow the new times (the name or recording only a post brought goes with it). KPI marks come from the triggers. Returns per call: old and new start, whether it moved, and the FCR changes and ReportCall posts matched and unmatched it accounts for. Running it twice changes nothing more.';
revoke all on function app_private.rebuild_calls(jsonb) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_private.rebuild_calls(jsonb) to app_worker;

create or replace function app_private.tg_agents__rebuild_calls()
 returns trigger
 language plpgsql
 security definer
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
declare
  taken text[];
begin
  -- Only active agents are in the directory the parser reads.
  if tg_op = 'INSERT' then
    taken := array(select n.extension from new_rows n where n.is_active);
    perform app_private.queue_cdr_rebuild(taken);
  else
    taken := array(select n.extension from new_rows n
                    where n.is_active and not exists (select 1 from old_rows o where o.id = n.id and o.extension = n.extension and o.is_active));
    perform app_private.queue_cdr_rebuild(taken || array(
      select o.extension from old_rows o
       where o.is_active and not exists (select 1 from new_rows n where n.id = o.id and n.extension = o.extension and n.is_active)));
  end if;
  delete from app_public.pbx_numbers p where p.kind = 'unknown' and p.number = any(taken);
  return null;
end;
$function$;
comment on function app_private.tg_agents__rebuild_calls() is 'Statement trigger: an active agent who takes (or gives up) an extension has the calls that passed it read again; an unknown directory row for a number they take goes.';
revoke all on function app_private.tg_agents__rebuild_calls() from public, app_visitor, app_worker, app_analyst, app_authenticator;

create or replace function app_private.tg_pbx_numbers__rebuild_calls()
 returns trigger
 language plpgsql
 security definer
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
begin
  if tg_op = 'INSERT' then
    -- A number added as unknown (the ingestion noting a number it met) changes no call.
    perform app_private.queue_cdr_rebuild(array(select n.number from new_rows n where n.kind <> 'unknown'));
  else
    perform app_private.queue_cdr_rebuild(array(
      select n.number from new_rows n where not exists (select 1 from old_rows o where o.number = n.number and o.kind = n.kind)
      union
      select o.number from old_rows o where not exists (select 1 from new_rows n where n.number = o.number and n.kind = o.kind)));
  end if;
  return null;
end;
$function$;
comment on function app_private.tg_pbx_numbers__rebuild_calls() is 'Statement trigger: numbers classified (or their kind changed) have their calls read again.';
revoke all on function app_private.tg_pbx_numbers__rebuild_calls() from public, app_visitor, app_worker, app_analyst, app_authenticator;

create or replace function app_private.tg_queues__rebuild_calls()
 returns trigger
 language plpgsql
 security definer
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
declare
  taken text[];
begin
  if tg_op = 'INSERT' then
    taken := array(select n.extension from new_rows n where n.extension is not null);
    perform app_private.queue_cdr_rebuild(taken);
  else
    taken := array(select n.extension from new_rows n
                    where n.extension is not null and not exists (select 1 from old_rows o where o.id = n.id and o.extension = n.extension));
    perform app_private.queue_cdr_rebuild(taken || array(
      select o.extension from old_rows o
       where o.extension is not null and not exists (select 1 from new_rows n where n.id = o.id and n.extension = o.extension)));
  end if;
  delete from app_public.pbx_numbers p where p.kind = 'unknown' and p.number = any(taken);
  return null;
end;
$function$;
comment on function app_private.tg_queues__rebuild_calls() is 'Statement trigger: a queue that takes (or gives up) an extension has the calls that passed it read again; an unknown directory row for a number it takes goes.';
revoke all on function app_private.tg_queues__rebuild_calls() from public, app_visitor, app_worker, app_analyst, app_authenticator;
--! EndIncluded ingest/rebuild-calls.sql
--! Included processing/analyze-calls.sql
-- POST /api/call-processing/analyze and the analyzeCalls mutation: re-run the
-- classification of a set of calls (status and outcome from their legs, call
-- type from the rules, first-call resolution) as a background job. The caller
-- gets the job's row at once (REST 202) and reads its state later
-- (GET /api/processing/jobs/{id}).
create or replace function app_public.analyze_calls(
  from_time timestamptz default null,
  to_time timestamptz default null,
  call_ids uuid[] default null)
 returns app_public.processing_jobs
 language plpgsql
 volatile
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
declare
  -- The widest range and the most ids one analysis may cover (CC713, CC717).
  max_days constant integer := 93;
  max_ids constant integer := 10000;
  job app_public.processing_jobs;
begin
  perform app_hidden.require_permission('configureMetrics');
  if call_ids is not null and (from_time is not null or to_time is not null) then
    raise exception 'Give either callIds or fromTime and toTime, not both.' using errcode = 'CC717', column = 'call_ids';
  end if;
  if call_ids is not null then
    if cardinality(call_ids) = 0 or cardinality(call_ids) > max_ids then
      raise exception 'callIds holds 1 to % calls; this one holds %.', max_ids, cardinality(call_ids) using errcode = 'CC717', column = 'call_ids';
    end if;
    if exists (select 1 from unnest(call_ids) i where not exists (select 1 from app_public.call_center_records c where c.id = i)) then
      raise exception 'callIds names a call that does not exist or that you may not see.' using errcode = 'CC717', column = 'call_ids';
    end if;
  else
    if from_time is null then
      raise exception 'fromTime is required (or callIds): the start of the range (inclusive).' using errcode = 'CC711', column = 'from_time';
    end if;
    if to_time is null then
      raise exception 'toTime is required: the end of the range (exclusive).' using errcode = 'CC711', column = 'to_time';
    end if;
    if to_time <= from_time then
      raise exception 'toTime must be after fromTime.' using errcode = 'CC712', column = 'to_time';
    end if;
    if to_time - from_time > make_interval(days => max_days) then
      raise exception 'An analysis covers at most % days; this one covers %.', max_days, ceil(extract(epoch from to_time - from_time) / 86400)
        using errcode = 'CC713', column = 'to_time';
    end if;
  end if;
  insert into app_public.processing_jobs (kind, parameters, requested_by)
  values ('call_analysis',
          case when call_ids is not null then jsonb_build_object('call_ids', to_jsonb(call_ids))
               else jsonb_build_object('from_time', from_time, 'to_time', to_time) end,
          auth.uid())
  returning * into job;
  return job;
end;
$function$;
comment on function app_public.analyze_calls(timestamptz, timestamptz, uuid[]) is E'Queues a re-run of the classification of calls (status and outcome from their legs, call type from the rules, first-call resolution) for calls that started in [fromTime, toTime) (at most 93 days) or for up to 10,000 callIds; answers the job (read its state with processingJobByRowId). Needs configureMetrics.';
revoke all on function app_public.analyze_calls(timestamptz, timestamptz, uuid[]) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_public.analyze_calls(timestamptz, timestamptz, uuid[]) to app_visitor;

-- The worker's side: run one queued analysis.
create or replace function app_private.run_call_analysis(job_id uuid)
 returns jsonb
 language plpgsql
 volatile
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
declare
  job app_public.processing_jobs;
  ids uuid[];
  fcr_changed integer;
  outcome jsonb;
begin
  select * into job from app_public.processing_jobs j where j.id = job_id for update;
  if job.id is null or job.status in ('succeeded', 'failed') then
    return null; -- gone, or already finished (a retried job after success)
  end if;
  update app_public.processing_jobs set status = 'running', started_at = coalesce(started_at, now()), attempts = attempts + 1 where id = job_id;
  if job.parameters ? 'call_ids' then
    select array_agg(c.id) into ids from app_public.call_center_records c
     where c.id in (select (jsonb_array_elements_text(job.parameters -> 'call_ids'))::uuid);
  else
    select array_agg(c.id) into ids from app_public.call_center_records c
     where c.call_start_time >= (job.parameters ->> 'from_time')::timestamptz and c.call_start_time < (job.parameters ->> 'to_time')::timestamptz;
  end if;
  ids := coalesce(ids, '{}');
  perform app_private.refresh_calls(ids);
  perform app_private.guess_call_types(ids);
  fcr_changed := app_private.derive_fcr(ids);
  outcome := jsonb_build_object('calls', cardinality(ids), 'fcr_changed', coalesce(fcr_changed, 0));
  update app_public.processing_jobs set status = 'succeeded', result = outcome, finished_at = now(), last_error = null where id = job_id;
  return outcome;
end;
$function$;
comment on function app_private.run_call_analysis(uuid) is 'Runs a queued call analysis (the calls__analyze job): refresh_calls, guess_call_types and derive_fcr over its calls, then marks the job succeeded with its counts. A finished job is left alone.';
revoke all on function app_private.run_call_analysis(uuid) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_private.run_call_analysis(uuid) to app_worker;

-- A failed attempt: queued again while attempts remain, failed for good after the last.
create or replace function app_private.processing_job_attempt_failed(job_id uuid, error text, final boolean)
 returns void
 language sql
 volatile
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
  update app_public.processing_jobs
     set status = case when final then 'failed' else 'queued' end,
         last_error = left(error, 2000),
         attempts = greatest(attempts, 1),
         finished_at = case when final then now() end
   where id = job_id and status not in ('succeeded', 'failed');
$function$;
comment on function app_private.processing_job_attempt_failed(uuid, text, boolean) is 'Records a failed attempt of a processing job: its error, and failed for good when it was the last attempt.';
revoke all on function app_private.processing_job_attempt_failed(uuid, text, boolean) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_private.processing_job_attempt_failed(uuid, text, boolean) to app_worker;

-- Every new processing job is queued for the worker (security definer: the API role may not queue jobs itself).
create or replace function app_private.tg_processing_jobs__queue()
 returns trigger
 language plpgsql
 security definer
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
begin
  perform app_private.add_job(
    case new.kind when 'call_analysis' then 'calls__analyze' when 'pbx_directory_sync' then 'threecx__sync_directory' end,
    json_build_object('processing_job_id', new.id),
    max_attempts => 3,
    queue_name => 'processing'
  );
  return null;
end;
$function$;
comment on function app_private.tg_processing_jobs__queue() is 'Queues the graphile-worker job of a new processing job (calls__analyze for call_analysis, threecx__sync_directory for pbx_directory_sync), at most 3 attempts.';
revoke all on function app_private.tg_processing_jobs__queue() from public, app_visitor, app_worker, app_analyst, app_authenticator;
--! EndIncluded processing/analyze-calls.sql
--! Included processing/job-states.sql
-- The worker's side of a processing job whose work is done outside SQL (the
-- 3CX directory sync fetches from the PBX first): start it, then mark it
-- succeeded with its result (a failed attempt: processing_job_attempt_failed).
create or replace function app_private.processing_job_start(job_id uuid)
 returns boolean
 language plpgsql
 volatile
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
begin
  update app_public.processing_jobs
     set status = 'running', started_at = coalesce(started_at, now()), attempts = attempts + 1
   where id = job_id and status not in ('succeeded', 'failed');
  return found;
end;
$function$;
comment on function app_private.processing_job_start(uuid) is 'Marks a processing job running (one more attempt); false when it is gone or already finished, so a retried job after success does nothing.';
revoke all on function app_private.processing_job_start(uuid) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_private.processing_job_start(uuid) to app_worker;

create or replace function app_private.processing_job_succeeded(job_id uuid, outcome jsonb)
 returns void
 language sql
 volatile
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
  update app_public.processing_jobs
     set status = 'succeeded', result = outcome, finished_at = now(), last_error = null
   where id = job_id and status not in ('succeeded', 'failed');
$function$;
comment on function app_private.processing_job_succeeded(uuid, jsonb) is 'Marks a processing job succeeded with its result (a finished job is left alone).';
revoke all on function app_private.processing_job_succeeded(uuid, jsonb) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_private.processing_job_succeeded(uuid, jsonb) to app_worker;
--! EndIncluded processing/job-states.sql
--! Included pbx/api-status.sql
-- How the 3CX API answered: one status row per use (directory, presence,
-- recordings), failures counted by reason; read by the health check and
-- /metrics through app_hidden.pbx_api_health().
create or replace function app_private.record_pbx_api_success(kind text, result jsonb default null)
 returns void
 language sql
 volatile
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
  update app_private.pbx_api_status s
     set last_attempt_at = now(), last_success_at = now(), consecutive_failures = 0,
         last_result = coalesce(record_pbx_api_success.result, s.last_result)
   where s.kind = record_pbx_api_success.kind;
$function$;
comment on function app_private.record_pbx_api_success(text, jsonb) is 'Notes a successful use of the 3CX API (directory, presence or recordings), with what it did; clears the run of failures.';
revoke all on function app_private.record_pbx_api_success(text, jsonb) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_private.record_pbx_api_success(text, jsonb) to app_worker;

create or replace function app_private.record_pbx_api_failure(kind text, reason text, error text)
 returns void
 language plpgsql
 volatile
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
begin
  update app_private.pbx_api_status s
     set last_attempt_at = now(), last_failure_at = now(), consecutive_failures = s.consecutive_failures + 1,
         last_failure_reason = left(record_pbx_api_failure.reason, 40), last_error = left(record_pbx_api_failure.error, 1000)
   where s.kind = record_pbx_api_failure.kind;
  insert into app_private.pbx_api_failures as f (kind, reason, failures)
  values (record_pbx_api_failure.kind, left(record_pbx_api_failure.reason, 40), 1)
  on conflict on constraint pbx_api_failures_pkey do update set failures = f.failures + 1;
end;
$function$;
comment on function app_private.record_pbx_api_failure(text, text, text) is 'Notes a failed use of the 3CX API: its reason (unauthorized, forbidden, rate_limited, server_error, timeout, network, malformed_json, invalid_answer, http_error, apply_failed, not_configured) and error text (the caller keeps secrets out of it), counted per reason.';
revoke all on function app_private.record_pbx_api_failure(text, text, text) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_private.record_pbx_api_failure(text, text, text) to app_worker;

create or replace function app_hidden.pbx_api_health()
 returns jsonb
 language sql
 stable security definer
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
  select jsonb_build_object(
    'status', coalesce((select jsonb_object_agg(s.kind, jsonb_build_object(
        'last_attempt_at', s.last_attempt_at,
        'last_success_at', s.last_success_at,
        'last_failure_at', s.last_failure_at,
        'last_failure_reason', s.last_failure_reason,
        'last_error', s.last_error,
        'consecutive_failures', s.consecutive_failures,
        'failing', s.last_failure_at is not null and s.last_failure_at >= coalesce(s.last_success_at, '-infinity')))
      from app_private.pbx_api_status s), '{}'),
    'failures', coalesce((select jsonb_agg(jsonb_build_object('kind', f.kind, 'reason', f.reason, 'failures', f.failures) order by f.kind, f.reason)
      from app_private.pbx_api_failures f), '[]'))
$function$;
comment on function app_hidden.pbx_api_health() is 'The 3CX API''s state per use (directory, presence, recordings: last attempt, success and failure, the last reason and error, failures in a row, failing) and the failures counted per reason, for GET /api/processing/health-check and /metrics.';
revoke all on function app_hidden.pbx_api_health() from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_hidden.pbx_api_health() to app_authenticator;
--! EndIncluded pbx/api-status.sql
--! Included pbx/apply-directory.sql
-- The 3CX directory sync's database half: the whole snapshot the worker read
-- from the PBX (users, queues with their agents, digital receptionists, ring
-- groups) is applied in one call, so in one transaction: a failure writes
-- nothing. Matched by number; a row changes only when something in it does
-- (no update, no audit row on a re-run of the same snapshot).
create or replace function app_private.apply_pbx_directory(snapshot jsonb)
 returns jsonb
 language plpgsql
 volatile
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
declare
  n_users integer;
  agents_added integer;
  agents_updated integer;
  agents_reactivated integer;
  agents_deactivated integer;
  queues_added integer;
  queues_updated integer;
  queues_deactivated integer;
  members_added integer;
  members_updated integer;
  members_removed integer;
  numbers_added integer;
  numbers_updated integer;
  skipped integer;
begin
  if jsonb_typeof(snapshot) is distinct from 'object'
     or jsonb_typeof(snapshot -> 'users') is distinct from 'array'
     or jsonb_typeof(snapshot -> 'queues') is distinct from 'array'
     or jsonb_typeof(snapshot -> 'receptionists') is distinct from 'array'
     or jsonb_typeof(snapshot -> 'ring_groups') is distinct from 'array' then
    raise exception 'A directory snapshot holds the arrays users, queues, receptionists and ring_groups.' using errcode = 'CC942';
  end if;
  -- Triggers know the directory sync is teaching the directory (calls are rebuilt for what changes).
  perform set_config('app.pbx_directory_sync', 'on', true);

  drop table if exists pg_temp.pbx_users;
  create temporary table pbx_users on commit drop as
  select distinct on (u.number)
         u.number,
         left(coalesce(nullif(btrim(u.display_name), ''), nullif(btrim(concat_ws(' ', nullif(btrim(u.first_name), ''), nullif(btrim(u.last_name), ''))), '')), 200) as display_name,
         case when btrim(u.email) ~ '^[^@\s]+@[^@\s]+\.[^@\s]+$' and length(btrim(u.email)) <= 320 then lower(btrim(u.email))::citext end as email,
         u.registered,
         u.pbx_id
    from jsonb_to_recordset(snapshot -> 'users') as u(number text, display_name text, first_name text, last_name text, email text, registered boolean, pbx_id integer)
   where u.number ~ '^[0-9]{2,8}$'
   order by u.number;
  select count(*) into n_users from pbx_users;
  skipped := jsonb_array_length(snapshot -> 'users') - n_users;

  if n_users = 0 and exists (select 1 from app_public.agents where is_active) then
    raise exception '3CX listed no users while % agents are active: nothing applied (is the API client''s role limited to an empty department?).',
      (select count(*) from app_public.agents where is_active) using errcode = 'CC941';
  end if;

  drop table if exists pg_temp.pbx_queues;
  create temporary table pbx_queues on commit drop as
  select distinct on (q.number) q.number, left(coalesce(nullif(btrim(q.name), ''), 'Queue ' || q.number), 100) as name, q.agents
    from jsonb_to_recordset(snapshot -> 'queues') as q(number text, name text, agents jsonb)
   where q.number ~ '^[0-9]{2,8}$' and not exists (select 1 from pbx_users u where u.number = q.number)
   order by q.number;

  drop table if exists pg_temp.pbx_members;
  create temporary table pbx_members on commit drop as
  select q.number as queue_number, m.value ->> 'number' as agent_number, min(m.ord)::integer as position,
         max(left(nullif(btrim(m.value ->> 'skill_group'), ''), 50)) as skill_group
    from pbx_queues q
   cross join lateral jsonb_array_elements(coalesce(case when jsonb_typeof(q.agents) = 'array' then q.agents end, '[]')) with ordinality as m(value, ord)
   where exists (select 1 from pbx_users u where u.number = m.value ->> 'number')
   group by q.number, m.value ->> 'number';

  -- Home location of a new agent: the one location all its queues serve, when there is one.
  drop table if exists pg_temp.pbx_user_locations;
  create temporary table pbx_user_locations on commit drop as
  select m.agent_number as number, min(q.location_name) as location_name
    from pbx_members m join app_public.queues q on q.extension = m.queue_number and q.location_name is not null
   group by m.agent_number
  having count(distinct q.location_name) = 1;

  -- Agents: new ones appear; known ones take the PBX's name, e-mail and registration; the person is linked when a user has
  -- the PBX's e-mail and none is linked yet (a link made by hand is never changed); a location set by hand stays.
  with src as (
    select u.*, (select usr.email from app_public.users usr where usr.email = u.email) as user_email, l.location_name
      from pbx_users u left join pbx_user_locations l using (number)
  ), ins as (
    insert into app_public.agents as a (extension, display_name, pbx_email, is_registered, pbx_user_id, user_email, location_name, is_active, pbx_synced_at)
    select s.number, s.display_name, s.email, s.registered, s.pbx_id, s.user_email, s.location_name, true, now()
      from src s
     where not exists (select 1 from app_public.agents x where x.extension = s.number)
    returning 1
  )
  select count(*) into agents_added from ins;

  select count(*) into agents_reactivated from app_public.agents a
   where a.pbx_left_at is not null and exists (select 1 from pbx_users u where u.number = a.extension);
  with src as (
    select u.*, (select usr.email from app_public.users usr where usr.email = u.email) as user_email, l.location_name
      from pbx_users u left join pbx_user_locations l using (number)
  ), upd as (
    update app_public.agents a
       set display_name = coalesce(s.display_name, a.display_name),
           pbx_email = s.email,
           is_registered = s.registered,
           pbx_user_id = s.pbx_id,
           user_email = coalesce(a.user_email, s.user_email),
           location_name = coalesce(a.location_name, s.location_name),
           is_active = a.is_active or a.pbx_left_at is not null,
           pbx_left_at = null,
           pbx_synced_at = now()
      from src s
     where a.extension = s.number
       and ((coalesce(s.display_name, a.display_name), s.email, s.registered, s.pbx_id) is distinct from (a.display_name, a.pbx_email, a.is_registered, a.pbx_user_id)
            or (a.user_email is null and s.user_email is not null)
            or (a.location_name is null and s.location_name is not null)
            or a.pbx_left_at is not null)
    returning 1
  )
  select count(*) into agents_updated from upd;

  -- Departed: active agents 3CX no longer lists are deactivated (never deleted: their history stays).
  with gone as (
    update app_public.agents a set is_active = false, pbx_left_at = now(), pbx_synced_at = now()
     where a.is_active and not exists (select 1 from pbx_users u where u.number = a.extension)
    returning 1
  )
  select count(*) into agents_deactivated from gone;

  -- Queues: matched by extension; a new one takes its 3CX name (suffixed with its number if another queue has the name).
  with ins as (
    insert into app_public.queues (name, extension)
    select case when exists (select 1 from app_public.queues x where x.name = q.name) then left(q.name, 90) || ' (' || q.number || ')' else q.name end, q.number
      from pbx_queues q
     where not exists (select 1 from app_public.queues x where x.extension = q.number)
    returning 1
  )
  select count(*) into queues_added from ins;
  with upd as (
    update app_public.queues x
       set name = case when exists (select 1 from app_public.queues y where y.name = q.name and y.id <> x.id)
                       then left(q.name, 90) || ' (' || q.number || ')' else q.name end,
           is_active = true
      from pbx_queues q
     where x.extension = q.number
       and (not x.is_active
            or x.name is distinct from case when exists (select 1 from app_public.queues y where y.name = q.name and y.id <> x.id)
                                            then left(q.name, 90) || ' (' || q.number || ')' else q.name end)
    returning 1
  )
  select count(*) into queues_updated from upd;
  with gone as (
    update app_public.queues x set is_active = false
     where x.is_active and x.extension is not null and not exists (select 1 from pbx_queues q where q.number = x.extension)
    returning 1
  )
  select count(*) into queues_deactivated from gone;

  -- Membership: as 3CX lists it for every queue it lists; a queue it no longer lists has none.
  drop table if exists pg_temp.pbx_member_rows;
  create temporary table pbx_member_rows on commit drop as
  select q.id as queue_id, a.id as agent_id, m.position, m.skill_group
    from pbx_members m
    join app_public.queues q on q.extension = m.queue_number
    join app_public.agents a on a.extension = m.agent_number;
  with del as (
    delete from app_public.queue_agents qa
     where not exists (select 1 from pbx_member_rows r where r.queue_id = qa.queue_id and r.agent_id = qa.agent_id)
    returning 1
  )
  select count(*) into members_removed from del;
  with upd as (
    update app_public.queue_agents qa set position = r.position, skill_group = r.skill_group
      from pbx_member_rows r
     where r.queue_id = qa.queue_id and r.agent_id = qa.agent_id
       and (qa.position, qa.skill_group) is distinct from (r.position, r.skill_group)
    returning 1
  )
  select count(*) into members_updated from upd;
  with ins as (
    insert into app_public.queue_agents (queue_id, agent_id, position, skill_group)
    select r.queue_id, r.agent_id, r.position, r.skill_group from pbx_member_rows r
     where not exists (select 1 from app_public.queue_agents qa where qa.queue_id = r.queue_id and qa.agent_id = r.agent_id)
    returning 1
  )
  select count(*) into members_added from ins;

  -- IVRs (digital receptionists) and ring groups: pbx_numbers of their kind, by number; the location set by hand stays.
  -- A number the PBX no longer lists keeps its row (the calls that passed it still name it).
  drop table if exists pg_temp.pbx_others;
  create temporary table pbx_others on commit drop as
  select distinct on (o.number) o.number, o.kind, left(nullif(btrim(o.name), ''), 200) as name
    from (select r.number, 'ivr' as kind, r.name, 1 as pref from jsonb_to_recordset(snapshot -> 'receptionists') as r(number text, name text)
          union all
          select g.number, 'ring_group', g.name, 2 from jsonb_to_recordset(snapshot -> 'ring_groups') as g(number text, name text)) o
   where o.number ~ '^[0-9]{2,8}$'
     and not exists (select 1 from pbx_users u where u.number = o.number)
     and not exists (select 1 from pbx_queues q where q.number = o.number)
   order by o.number, o.pref;
  with ins as (
    insert into app_public.pbx_numbers (number, kind, name)
    select o.number, o.kind, o.name from pbx_others o
     where not exists (select 1 from app_public.pbx_numbers p where p.number = o.number)
    returning 1
  )
  select count(*) into numbers_added from ins;
  with upd as (
    update app_public.pbx_numbers p set kind = o.kind, name = coalesce(o.name, p.name)
      from pbx_others o
     where p.number = o.number and (p.kind, p.name) is distinct from (o.kind, coalesce(o.name, p.name))
    returning 1
  )
  select count(*) into numbers_updated from upd;

  return jsonb_build_object(
    'users', n_users,
    'agents_added', agents_added,
    'agents_updated', agents_updated,
    'agents_reactivated', agents_reactivated,
    'agents_deactivated', agents_deactivated,
    'queues', (select count(*) from pbx_queues),
    'queues_added', queues_added,
    'queues_updated', queues_updated,
    'queues_deactivated', queues_deactivated,
    'memberships_added', members_added,
    'memberships_updated', members_updated,
    'memberships_removed', members_removed,
    'numbers_added', numbers_added,
    'numbers_updated', numbers_updated,
    'skipped', skipped
  );
end;
$function$;
comment on function app_private.apply_pbx_directory(jsonb) is E'Applies one 3CX directory snapshot ({users: [{number, display_name, first_name, last_name, email, registered, pbx_id}], queues: [{number, name, agents: [{number, skill_group}]}], receptionists: [{number, name}], ring_groups: [{number, name}]}) in one transaction: agents added, updated (name, e-mail, registration; the person linked when a user has the e-mail), deactivated when gone (pbx_left_at) and reactivated when back; queues added, renamed, deactivated when gone; queue_agents as listed; IVRs and ring groups as pbx_numbers of their kind. Only rows that differ are written, so a re-run changes and audits nothing. Refuses (CC941) a snapshot without users while agents are active. Returns its counts.';
revoke all on function app_private.apply_pbx_directory(jsonb) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_private.apply_pbx_directory(jsonb) to app_worker;
--! EndIncluded pbx/apply-directory.sql
--! Included pbx/sync-directory.sql
-- POST /api/processing/sync-3cx and the syncPbxDirectory mutation: read the
-- 3CX directory now (the worker also does every 15 minutes). The caller gets
-- the job's row at once (REST 202) and reads its state at
-- GET /api/processing/jobs/{id}; a sync already waiting is answered instead of
-- queueing another.
create or replace function app_public.sync_pbx_directory()
 returns app_public.processing_jobs
 language plpgsql
 volatile
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
declare
  job app_public.processing_jobs;
begin
  perform app_hidden.require_permission('configureMetrics');
  select * into job from app_public.processing_jobs j
   where j.kind = 'pbx_directory_sync' and j.status = 'queued'
   order by j.created_at desc limit 1;
  if job.id is not null then
    return job;
  end if;
  insert into app_public.processing_jobs (kind, parameters, requested_by)
  values ('pbx_directory_sync', '{}', auth.uid())
  returning * into job;
  return job;
end;
$function$;
comment on function app_public.sync_pbx_directory() is E'Queues a sync of the agent directory from 3CX now (users, queues with their agents, IVRs, ring groups; the worker also runs it every 15 minutes); answers the job (read its state with processingJobByRowId; its result counts what changed). A sync still waiting is answered instead of a second one. Needs configureMetrics.';
revoke all on function app_public.sync_pbx_directory() from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_public.sync_pbx_directory() to app_visitor;
--! EndIncluded pbx/sync-directory.sql
--! Included pbx/invite-agent.sql
-- Agents 3CX knows who are not users of this service yet: listed for a
-- manager, who may invite them (a user with the agent role at the agent's
-- location). Nobody gets access by being in the PBX alone.
create or replace function app_public.pbx_agents_to_invite()
 returns setof app_public.agents
 language plpgsql
 stable
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
begin
  perform app_hidden.require_permission('configureMetrics');
  return query
    select a.* from app_public.agents a
     where a.is_active and a.user_email is null
     order by a.extension;
end;
$function$;
comment on function app_public.pbx_agents_to_invite() is E'Active agents of the directory (as the 3CX sync keeps it) who are not linked to a user of this service: their extension, 3CX name and e-mail (pbxEmail), for a manager to invite with inviteAgent. Needs configureMetrics.';
revoke all on function app_public.pbx_agents_to_invite() from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_public.pbx_agents_to_invite() to app_visitor;

create or replace function app_public.invite_agent(agent text, email text default null)
 returns app_public.agents
 language plpgsql
 volatile security definer
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
declare
  a app_public.agents;
  address citext;
  person uuid;
begin
  perform app_hidden.require_permission('configureMetrics');
  select * into a from app_public.agents x
   where x.extension = btrim(invite_agent.agent) or (x.pbx_email is not null and x.pbx_email = btrim(invite_agent.agent)::citext)
   order by x.is_active desc, x.extension limit 1;
  if a.id is null then
    raise exception 'No agent with extension or 3CX e-mail %.', invite_agent.agent using errcode = 'CC943', column = 'agent';
  end if;
  if not a.is_active then
    raise exception 'Agent % is no longer active in the directory (gone from 3CX): nobody to invite.', a.extension using errcode = 'CC945', column = 'agent';
  end if;
  if a.user_email is not null then
    raise exception 'Agent % is already a user (%).', a.extension, a.user_email using errcode = 'CC944', column = 'agent';
  end if;
  address := lower(btrim(coalesce(nullif(btrim(invite_agent.email), ''), a.pbx_email)))::citext;
  if address is null then
    raise exception '3CX holds no e-mail for agent %: give the email to invite them with.', a.extension using errcode = 'CC946', column = 'email';
  end if;
  if address !~ '^[^@\s]+@[^@\s]+\.[^@\s]+$' or length(address) > 320 then
    raise exception '% is not an e-mail address.', address using errcode = 'CC946', column = 'email';
  end if;
  select u.id into person from app_public.users u where u.email = address;
  if person is null then
    insert into app_public.users (email, full_name) values (address, a.display_name) returning id into person;
    insert into app_public.user_roles (user_id, role) values (person, 'call_center_agent');
    if a.location_name is not null then
      insert into app_public.location_staff (user_id, location_name) values (person, a.location_name);
    end if;
  end if;
  update app_public.agents x set user_email = address where x.id = a.id returning * into a;
  return a;
end;
$function$;
comment on function app_public.invite_agent(text, text) is E'Invites an agent of the directory who is not a user yet (agent: the extension, or the e-mail 3CX holds): creates the user with that e-mail (or email, when given or when 3CX holds none) in the role call_center_agent, active staff at the agent''s location, and links the agent to them; when a user already has the e-mail, links that user without changing their role. Audited. Needs configureMetrics. Errors: CC943 no such agent, CC944 already a user, CC945 agent gone from 3CX, CC946 no or bad e-mail.';
revoke all on function app_public.invite_agent(text, text) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_public.invite_agent(text, text) to app_visitor;
--! EndIncluded pbx/invite-agent.sql
