--! Previous: sha1:c6842ee60fd798e690e0033a191843b768905139
--! Hash: sha1:da503456fe40eabe427e29d9e43000cd50c8424e
--! Message: re-reading stored calls: rebuild_calls in place, rebuild runs, the directory's changes queue cdr__rebuild

/*
 * Re-reading stored calls (cdr:reprocess, a number classified in the PBX
 * directory).
 *
 * Ingestion merges a call's records (earliest start, latest end, earliest
 * queue), so reading a body again under another zone or other directory
 * rules cannot move or correct a call: the old values win the merge.
 * rebuild_calls rebuilds calls in place from exactly the records given: the
 * call row keeps its id (journals, QA reviews, a person's call type, FCR and
 * notes stay attached); its legs and what ingestion derives are reset and
 * written afresh by the normal ingest_call_batch; then first-call
 * resolution of the callers' calls and ReportCall matches follow the new
 * times. KPI marks come from the tables' own triggers (old and new
 * intervals and days).
 *
 * The cdr__rebuild job (worker/tasks/cdr__rebuild.ts) finds the calls, reads
 * every raw body linked to them and calls rebuild_calls in batches; its
 * progress is a row in cdr_rebuild_runs. Changes to the directory (a number
 * classified, a queue or agent taking a number) queue it.
 */

/* Progress of one rebuild (the command reads it; a job resumes from it). */
create table if not exists app_private.cdr_rebuild_runs (
  id bigint generated always as identity primary key,
  job_id bigint unique,
  selection jsonb not null,
  state text not null default 'selecting' check (state in ('selecting', 'rebuilding', 'done')),
  bodies_selected integer not null default 0 check (bodies_selected >= 0),
  calls_selected integer not null default 0 check (calls_selected >= 0),
  calls_done integer not null default 0 check (calls_done >= 0),
  last_call_id text,
  bodies_read integer not null default 0 check (bodies_read >= 0),
  calls_rebuilt integer not null default 0 check (calls_rebuilt >= 0),
  calls_moved integer not null default 0 check (calls_moved >= 0),
  calls_skipped integer not null default 0 check (calls_skipped >= 0),
  calls_failed integer not null default 0 check (calls_failed >= 0),
  failed_call_ids text[] not null default '{}',
  fcr_changed integer not null default 0 check (fcr_changed >= 0),
  reports_matched integer not null default 0 check (reports_matched >= 0),
  reports_unmatched integer not null default 0 check (reports_unmatched >= 0),
  last_error text check (length(last_error) <= 2000),
  failed_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  finished_at timestamptz
);
comment on table app_private.cdr_rebuild_runs is 'One rebuild of stored calls from their raw bodies (cdr__rebuild): what it selected, how far it got (calls in call-id order up to last_call_id), and what it changed. A job that stops resumes from here.';
comment on column app_private.cdr_rebuild_runs.id is 'Identifier (the job payload''s runId).';
comment on column app_private.cdr_rebuild_runs.job_id is 'The graphile-worker job that created the run when it came without a runId (a retried job finds its run again).';
comment on column app_private.cdr_rebuild_runs.selection is 'What was asked: {receivedFrom, receivedTo, timeZone?}, {callIds} or {numbers}.';
comment on column app_private.cdr_rebuild_runs.state is 'selecting (finding the calls), rebuilding, done.';
comment on column app_private.cdr_rebuild_runs.bodies_selected is 'Raw bodies the selection named (received in the window); 0 for callIds and numbers.';
comment on column app_private.cdr_rebuild_runs.calls_selected is 'Calls to rebuild.';
comment on column app_private.cdr_rebuild_runs.calls_done is 'Calls handled so far (rebuilt, skipped or failed).';
comment on column app_private.cdr_rebuild_runs.last_call_id is 'The last call id handled: the run continues after it.';
comment on column app_private.cdr_rebuild_runs.bodies_read is 'Raw bodies linked to the selected calls, all read (counted when the run ends).';
comment on column app_private.cdr_rebuild_runs.calls_rebuilt is 'Calls rebuilt from their records.';
comment on column app_private.cdr_rebuild_runs.calls_moved is 'Rebuilt calls whose start changed.';
comment on column app_private.cdr_rebuild_runs.calls_skipped is 'Calls left as they were: none of their bodies holds a record of them any more (or none is linked).';
comment on column app_private.cdr_rebuild_runs.calls_failed is 'Calls whose records the database refused (left as they were; their ids in failed_call_ids).';
comment on column app_private.cdr_rebuild_runs.failed_call_ids is 'The first 100 failed call ids.';
comment on column app_private.cdr_rebuild_runs.fcr_changed is 'Calls (rebuilt or other calls of the same callers) whose first-call resolution changed.';
comment on column app_private.cdr_rebuild_runs.reports_matched is 'ReportCall posts newly matched to a rebuilt call.';
comment on column app_private.cdr_rebuild_runs.reports_unmatched is 'ReportCall posts no longer matched to the rebuilt call they were matched to.';
comment on column app_private.cdr_rebuild_runs.last_error is 'The last error that stopped the job (it is retried and resumes).';
comment on column app_private.cdr_rebuild_runs.failed_at is 'When that error happened.';
comment on column app_private.cdr_rebuild_runs.created_at is 'When the run was created.';
comment on column app_private.cdr_rebuild_runs.updated_at is 'When the run last made progress.';
comment on column app_private.cdr_rebuild_runs.finished_at is 'When the run ended.';
grant select, insert, update, delete on app_private.cdr_rebuild_runs to app_worker;

create table if not exists app_private.cdr_rebuild_targets (
  run_id bigint not null references app_private.cdr_rebuild_runs (id) on delete cascade,
  call_id text not null,
  primary key (run_id, call_id)
);
comment on table app_private.cdr_rebuild_targets is 'The calls (3CX call ids) a rebuild run handles, fixed when it starts; deleted when it ends.';
comment on column app_private.cdr_rebuild_targets.run_id is 'The run.';
comment on column app_private.cdr_rebuild_targets.call_id is 'A call to rebuild.';
grant select, insert, delete on app_private.cdr_rebuild_targets to app_worker;

/* The ReportCall posts of a call (rebuild_calls lets them go and matches them again; a call deleted sets them free). */
create index if not exists cdr_report_calls_call_idx on app_private.cdr_report_calls (call_record_id) where call_record_id is not null;

/*
 * Rebuilding calls in place.
 */
drop function if exists app_private.rebuild_calls(jsonb);
create function app_private.rebuild_calls(calls jsonb)
  returns table (call_id text, record_id uuid, moved boolean, old_start timestamptz, new_start timestamptz,
                 fcr_changed integer, reports_matched integer, reports_unmatched integer)
  language plpgsql volatile
  set search_path to pg_catalog, public, pg_temp
  as $$
#variable_conflict use_column
declare
  longest interval := coalesce((select max(s.fcr_window) from app_hidden.effective_queue_settings s), interval '7 days');
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
$$;
comment on function app_private.rebuild_calls(jsonb) is 'Rebuilds calls in place from exactly the normalised calls given (the array ingest_calls takes, all records of each call): the call keeps its id and what people entered; its legs, times, queue, status, agent, route and direction are written afresh by ingest_call_batch; first-call resolution of the calls and of their callers'' calls around the old and new times is derived again (manual values kept); ReportCall posts follow the new times (the name or recording only a post brought goes with it). KPI marks come from the triggers. Returns per call: old and new start, whether it moved, and the FCR changes and ReportCall posts matched and unmatched it accounts for. Running it twice changes nothing more.';
grant execute on function app_private.rebuild_calls(jsonb) to app_worker;

/*
 * The directory changed: the calls that passed the numbers concerned are read again (cdr__rebuild {numbers}).
 * A number an agent or queue takes is known now: its unknown row in pbx_numbers goes.
 */
create or replace function app_private.queue_cdr_rebuild(numbers text[]) returns void
  language plpgsql volatile security definer
  set search_path to pg_catalog, public, pg_temp
  as $$
declare
  wanted text[] := array(select distinct n from unnest(numbers) n where n is not null order by 1);
begin
  -- Not for the worker's own upkeep: ingestion adds a queue or a number with what the record's type fields say,
  -- so the calls it read already knew; a rebuild (whose ingestion does the same) would queue rebuilds again.
  if current_setting('role', true) = 'app_worker' then
    return;
  end if;
  if cardinality(wanted) > 0 then
    perform app_private.add_job('cdr__rebuild', json_build_object('numbers', wanted));
  end if;
end;
$$;
comment on function app_private.queue_cdr_rebuild(text[]) is 'Queues cdr__rebuild for the calls whose PBX route passed these numbers (nothing when there are none, nor for the worker''s own changes: ingestion adding a queue or number its records typed).';

create or replace function app_private.tg_pbx_numbers__rebuild_calls() returns trigger
  language plpgsql volatile security definer
  set search_path to pg_catalog, public, pg_temp
  as $$
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
$$;
comment on function app_private.tg_pbx_numbers__rebuild_calls() is 'Statement trigger: numbers classified (or their kind changed) have their calls read again.';
drop trigger if exists _500_rebuild_calls_insert on app_public.pbx_numbers;
create trigger _500_rebuild_calls_insert after insert on app_public.pbx_numbers
  referencing new table as new_rows for each statement execute function app_private.tg_pbx_numbers__rebuild_calls();
drop trigger if exists _500_rebuild_calls_update on app_public.pbx_numbers;
create trigger _500_rebuild_calls_update after update on app_public.pbx_numbers
  referencing old table as old_rows new table as new_rows for each statement execute function app_private.tg_pbx_numbers__rebuild_calls();
comment on trigger _500_rebuild_calls_insert on app_public.pbx_numbers is 'Numbers added already classified: their calls are read again.';
comment on trigger _500_rebuild_calls_update on app_public.pbx_numbers is 'Numbers classified or reclassified: their calls are read again.';

create or replace function app_private.tg_queues__rebuild_calls() returns trigger
  language plpgsql volatile security definer
  set search_path to pg_catalog, public, pg_temp
  as $$
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
$$;
comment on function app_private.tg_queues__rebuild_calls() is 'Statement trigger: a queue that takes (or gives up) an extension has the calls that passed it read again; an unknown directory row for a number it takes goes.';
drop trigger if exists _500_rebuild_calls_insert on app_public.queues;
create trigger _500_rebuild_calls_insert after insert on app_public.queues
  referencing new table as new_rows for each statement execute function app_private.tg_queues__rebuild_calls();
drop trigger if exists _500_rebuild_calls_update on app_public.queues;
create trigger _500_rebuild_calls_update after update on app_public.queues
  referencing old table as old_rows new table as new_rows for each statement execute function app_private.tg_queues__rebuild_calls();
comment on trigger _500_rebuild_calls_insert on app_public.queues is 'A new queue''s extension: its calls are read again, and an unknown directory row for it goes.';
comment on trigger _500_rebuild_calls_update on app_public.queues is 'A queue''s extension changed: the calls of the old and new numbers are read again.';

create or replace function app_private.tg_agents__rebuild_calls() returns trigger
  language plpgsql volatile security definer
  set search_path to pg_catalog, public, pg_temp
  as $$
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
$$;
comment on function app_private.tg_agents__rebuild_calls() is 'Statement trigger: an active agent who takes (or gives up) an extension has the calls that passed it read again; an unknown directory row for a number they take goes.';
drop trigger if exists _510_rebuild_calls_insert on app_public.agents;
create trigger _510_rebuild_calls_insert after insert on app_public.agents
  referencing new table as new_rows for each statement execute function app_private.tg_agents__rebuild_calls();
drop trigger if exists _510_rebuild_calls_update on app_public.agents;
create trigger _510_rebuild_calls_update after update on app_public.agents
  referencing old table as old_rows new table as new_rows for each statement execute function app_private.tg_agents__rebuild_calls();
comment on trigger _510_rebuild_calls_insert on app_public.agents is 'A new active agent''s extension: its calls are read again, and an unknown directory row for it goes.';
comment on trigger _510_rebuild_calls_update on app_public.agents is 'An agent''s extension or activity changed: the calls of the numbers concerned are read again.';
