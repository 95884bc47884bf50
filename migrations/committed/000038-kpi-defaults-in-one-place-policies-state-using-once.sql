--! Previous: sha1:5c0dbca71bd97fdf839a14e43acd3159818f4619
--! Hash: sha1:8b6efccd5ee068502705262f748437f1cf7b1607
--! Message: KPI defaults in one place; policies state USING once

-- KPI defaults in one place (app_hidden.kpi_defaults), used by the settings view,
-- the settings table's column defaults and the FCR window of calls without a queue.
--! Included kpi/defaults.sql
-- The KPI defaults, in one place: what a queue without its own row in
-- app_public.queue_kpi_settings uses (app_hidden.effective_queue_settings),
-- what a new settings row starts with (the table's column defaults call this),
-- and the first-call-resolution window of calls without a queue.
create or replace function app_hidden.kpi_defaults(
  out sl_threshold_seconds integer,
  out sl_goal_pct numeric,
  out short_abandon_seconds integer,
  out abandon_mode text,
  out fcr_window interval)
 language sql
 immutable parallel safe
as $function$
  select 20,                 -- service-level threshold: answered within 20 s
         80.00,              -- service-level goal: 80 %
         5,                  -- abandoned in under 5 s: a short abandon
         'negative',         -- abandoned calls count against the service level
         interval '7 days'   -- a repeat call within 7 days means not resolved first time
$function$;
comment on function app_hidden.kpi_defaults() is 'The KPI defaults (service-level threshold 20 s, goal 80 %, short abandon 5 s, abandon mode negative, FCR window 7 days): used by effective_queue_settings and as queue_kpi_settings'' column defaults.';
revoke all on function app_hidden.kpi_defaults() from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_hidden.kpi_defaults() to app_analyst, app_visitor, app_worker;
--! EndIncluded kpi/defaults.sql
--! Included kpi/effective-queue-settings.sql
create or replace view app_hidden.effective_queue_settings as
select q.name as queue_name, q.location_name as location,
       coalesce(s.sl_threshold_seconds, d.sl_threshold_seconds) as sl_threshold_seconds,
       coalesce(s.sl_goal_pct, d.sl_goal_pct) as sl_goal_pct,
       coalesce(s.short_abandon_seconds, d.short_abandon_seconds) as short_abandon_seconds,
       coalesce(s.abandon_mode, d.abandon_mode) as abandon_mode,
       coalesce(s.fcr_window, d.fcr_window) as fcr_window
from app_public.queues q
cross join app_hidden.kpi_defaults() d
left join app_public.queue_kpi_settings s on s.queue_name = q.name;
comment on view app_hidden.effective_queue_settings is 'Every queue''s KPI settings, the defaults (app_hidden.kpi_defaults()) filled in.';
revoke all on app_hidden.effective_queue_settings from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant select on app_hidden.effective_queue_settings to app_analyst;
grant select on app_hidden.effective_queue_settings to app_visitor;
grant select on app_hidden.effective_queue_settings to app_worker;
--! EndIncluded kpi/effective-queue-settings.sql
alter table app_public.queue_kpi_settings
  alter column sl_threshold_seconds set default (app_hidden.kpi_defaults()).sl_threshold_seconds,
  alter column sl_goal_pct set default (app_hidden.kpi_defaults()).sl_goal_pct,
  alter column short_abandon_seconds set default (app_hidden.kpi_defaults()).short_abandon_seconds,
  alter column abandon_mode set default (app_hidden.kpi_defaults()).abandon_mode,
  alter column fcr_window set default (app_hidden.kpi_defaults()).fcr_window;
--! Included kpi/first-call-resolution.sql
create or replace function app_private.derive_fcr(record_ids uuid[])
 returns integer
 language plpgsql
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
declare
  n integer;
  longest interval := coalesce((select max(s.fcr_window) from app_hidden.effective_queue_settings s), (app_hidden.kpi_defaults()).fcr_window);
  ids uuid[];
begin
  -- The numbers of these calls, and every call of theirs that can still be flipped.
  select array_agg(c.id) into ids
    from (select c.caller_number_hash as hash, min(c.call_start_time) - longest as since
            from app_public.call_center_records c
           where c.id = any(record_ids) and c.caller_number_hash is not null
           group by c.caller_number_hash) k
    join app_public.call_center_records c on c.caller_number_hash = k.hash and c.call_start_time >= k.since
   where c.call_direction = 'inbound' and c.call_status in ('completed', 'transferred') and c.call_end_time is not null
     and coalesce(c.fcr_source, 'derived') = 'derived';
  if ids is null then
    return 0;
  end if;
  perform 1 from app_public.call_center_records c where c.id = any(ids) order by c.call_id for update;
  with derived as (
    select d.id, not d.repeated as resolved, d.repeated or now() >= d.call_end_time + d.fcr_window as final
      from (select x.id, x.call_end_time, coalesce(st.fcr_window, (app_hidden.kpi_defaults()).fcr_window) as fcr_window, exists (
              select 1 from app_public.call_center_records r
               where r.caller_number_hash = x.caller_number_hash and r.id <> x.id
                 and r.call_direction = 'inbound' and r.queue_name is not null
                 and r.call_start_time > x.call_end_time and r.call_start_time <= x.call_end_time + coalesce(st.fcr_window, (app_hidden.kpi_defaults()).fcr_window)) as repeated
              from app_public.call_center_records x
              left join app_hidden.effective_queue_settings st on st.queue_name = x.queue_name
             where x.id = any(ids) and coalesce(x.fcr_source, 'derived') = 'derived') d
  )
  update app_public.call_center_records c
     set first_call_resolution = d.resolved, fcr_final = d.final, fcr_source = 'derived'
    from derived d
   where c.id = d.id
     and (c.first_call_resolution, c.fcr_final, c.fcr_source) is distinct from (d.resolved, d.final, 'derived');
  get diagnostics n = row_count;
  return n;
end;
$function$;
comment on function app_private.derive_fcr(uuid[]) is 'Derives first-call resolution for these calls and for earlier calls of the same numbers (a repeat flips them); manual values are kept. Returns the calls changed.';
revoke all on function app_private.derive_fcr(uuid[]) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_private.derive_fcr(uuid[]) to app_worker;

create or replace function app_private.finalize_fcr()
 returns integer
 language plpgsql
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
declare
  n integer;
begin
  update app_public.call_center_records c set fcr_final = true
    from app_public.call_center_records x
    left join app_hidden.effective_queue_settings st on st.queue_name = x.queue_name
   where c.id = x.id and not c.fcr_final and c.fcr_source = 'derived'
     and now() >= c.call_end_time + coalesce(st.fcr_window, (app_hidden.kpi_defaults()).fcr_window);
  get diagnostics n = row_count;
  return n;
end;
$function$;
comment on function app_private.finalize_fcr() is 'Makes derived first-call resolution final for calls whose repeat-call window has closed; returns how many.';
revoke all on function app_private.finalize_fcr() from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_private.finalize_fcr() to app_worker;

create or replace function app_private.tg_call_center_records__fcr_source()
 returns trigger
 language plpgsql
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
begin
  if auth.uid() is not null and new.first_call_resolution is distinct from old.first_call_resolution then
    new.fcr_source := case when new.first_call_resolution is null then null else 'manual' end;
    new.fcr_final := new.first_call_resolution is not null;
  end if;
  return new;
end;
$function$;
comment on function app_private.tg_call_center_records__fcr_source() is 'Marks first-call resolution set by a person as manual (and final), so derivation leaves it alone.';
revoke all on function app_private.tg_call_center_records__fcr_source() from public, app_visitor, app_worker, app_analyst, app_authenticator;
--! EndIncluded kpi/first-call-resolution.sql
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
  if current_setting('role', true) = 'app_worker' then
    return;
  end if;
  if cardinality(wanted) > 0 then
    perform app_private.add_job('cdr__rebuild', json_build_object('numbers', wanted));
  end if;
end;
$function$;
comment on function app_private.queue_cdr_rebuild(text[]) is 'Queues cdr__rebuild for the calls whose PBX route passed these numbers (nothing when there are none, nor for the worker''s own changes: ingestion adding a queue or number its records typed).';
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

-- Policies whose WITH CHECK repeated their USING: PostgreSQL applies USING to
-- new rows when an ALL or UPDATE policy has no WITH CHECK, so it is written once.
--! Included access/agent_shifts.sql
drop policy if exists manage_goals on app_public.agent_shifts;
create policy manage_goals on app_public.agent_shifts for all to app_visitor
  using ((select app_hidden.has_permission('manageGoals')) and ((select app_hidden.sees_all()) or (location = any ((select app_hidden.team_locations())::text[]))));

drop policy if exists select_in_scope on app_public.agent_shifts;
create policy select_in_scope on app_public.agent_shifts for select to app_visitor
  using ((select app_hidden.sees_all()) or (location = any ((select app_hidden.team_locations())::text[])) or (agent_email = (select app_hidden.own_email())));

revoke all on app_public.agent_shifts from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant delete, select on app_public.agent_shifts to app_visitor;
grant delete, insert, select, update on app_public.agent_shifts to app_worker;
grant insert (actual_end_time, actual_start_time, agent_email, agent_name, appointment_target, call_target, location, lunch_break_minutes, meeting_time_minutes, quality_target, scheduled_end_time, scheduled_start_time, shift_date, shift_notes, shift_status, total_break_time_minutes, training_time_minutes) on app_public.agent_shifts to app_visitor;
grant update (actual_end_time, actual_start_time, agent_name, appointment_target, call_target, location, lunch_break_minutes, meeting_time_minutes, quality_target, scheduled_end_time, scheduled_start_time, shift_date, shift_notes, shift_status, total_break_time_minutes, training_time_minutes) on app_public.agent_shifts to app_visitor;
--! EndIncluded access/agent_shifts.sql
--! Included access/agents.sql
drop policy if exists manage_configure_metrics on app_public.agents;
create policy manage_configure_metrics on app_public.agents for all to app_visitor
  using ((select app_hidden.has_permission('configureMetrics')));

drop policy if exists select_in_scope on app_public.agents;
create policy select_in_scope on app_public.agents for select to app_visitor
  using ((select app_hidden.sees_all()) or (location_name = any ((select app_hidden.team_locations())::text[])) or (user_email = (select app_hidden.own_email())));

revoke all on app_public.agents from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant delete, select on app_public.agents to app_visitor;
grant insert, select, update on app_public.agents to app_worker;
grant insert (display_name, extension, hire_date, is_active, location_name, user_email) on app_public.agents to app_visitor;
grant update (display_name, extension, hire_date, is_active, location_name, user_email) on app_public.agents to app_visitor;
--! EndIncluded access/agents.sql
--! Included access/call_campaigns.sql
drop policy if exists manage_campaigns on app_public.call_campaigns;
create policy manage_campaigns on app_public.call_campaigns for all to app_visitor
  using ((select app_hidden.has_permission('manageCampaigns')));

drop policy if exists select_in_scope on app_public.call_campaigns;
create policy select_in_scope on app_public.call_campaigns for select to app_visitor
  using ((select app_hidden.sees_all()) or (select app_hidden.has_permission('manageCampaigns')) or (assigned_agents && (select app_hidden.visible_people())) or (created_by = ((select auth.email()))::citext));

revoke all on app_public.call_campaigns from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant delete, select on app_public.call_campaigns to app_visitor;
grant delete, insert, select, update on app_public.call_campaigns to app_worker;
grant insert (assigned_agents, call_script, calls_attempted, calls_completed, campaign_name, campaign_notes, campaign_status, campaign_type, end_date, managed_by, priority_level, required_documentation, start_date, successful_outcomes, talking_points, target_audience, target_call_count, target_conversion_rate, training_materials) on app_public.call_campaigns to app_visitor;
grant update (assigned_agents, call_script, calls_attempted, calls_completed, campaign_name, campaign_notes, campaign_status, campaign_type, end_date, managed_by, priority_level, required_documentation, start_date, successful_outcomes, talking_points, target_audience, target_call_count, target_conversion_rate, training_materials) on app_public.call_campaigns to app_visitor;
--! EndIncluded access/call_campaigns.sql
--! Included access/call_center_records.sql
drop policy if exists select_in_scope on app_public.call_center_records;
create policy select_in_scope on app_public.call_center_records for select to app_visitor
  using ((select app_hidden.sees_all()) or (location = any ((select app_hidden.team_locations())::text[])) or (agent_email = (select app_hidden.own_email())));

drop policy if exists update_edit_call_journals on app_public.call_center_records;
create policy update_edit_call_journals on app_public.call_center_records for update to app_visitor
  using ((select app_hidden.has_permission('editCallJournals')) and ((select app_hidden.sees_all()) or (location = any ((select app_hidden.team_locations())::text[])) or (agent_email = (select app_hidden.own_email()))));

revoke all on app_public.call_center_records from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant delete, insert, select, update on app_public.call_center_records to app_worker;
grant select (after_call_work_seconds, agent_email, agent_extension, agent_name, answer_time_known, appointment_date, appointment_scheduled, appointment_type, call_answer_time, call_direction, call_end_time, call_id, call_outcome, call_priority, call_start_time, call_status, call_type, call_type_source, called_number, caller_name, caller_name_encrypted, caller_name_masked, caller_number, caller_number_encrypted, caller_number_hash, caller_number_masked, campaign_id, complaint_call, compliance_notes, compliance_notes_encrypted, compliance_notes_masked, created_at, customer_satisfaction_score, ended_in, escalation_required, fcr_final, fcr_source, first_call_resolution, follow_up_date, follow_up_required, hold_time_seconds, id, location, patient_mrn, patient_mrn_encrypted, patient_mrn_masked, pbx_route, provider_requested, quality_score, queue_entered_at, queue_name, recording_available, recording_reviewed, recording_url, recording_url_encrypted, ring_duration_seconds, shift_id, talk_duration_seconds, transfer_count, updated_at, wait_seconds) on app_public.call_center_records to app_visitor;
grant update (after_call_work_seconds, appointment_date, appointment_scheduled, appointment_type, call_outcome, call_priority, call_type, campaign_id, complaint_call, compliance_notes, customer_satisfaction_score, escalation_required, first_call_resolution, follow_up_date, follow_up_required, provider_requested, recording_reviewed) on app_public.call_center_records to app_visitor;
--! EndIncluded access/call_center_records.sql
--! Included access/call_journals.sql
drop policy if exists select_in_scope on app_public.call_journals;
create policy select_in_scope on app_public.call_journals for select to app_visitor
  using ((select app_hidden.sees_all()) or (agent_email = (select app_hidden.own_email())) or (exists ( select 1
   from app_public.call_center_records c
  where ((c.id = call_journals.call_record_id) and (c.location = any ((select app_hidden.team_locations())::text[]))))));

drop policy if exists write_edit_call_journals on app_public.call_journals;
create policy write_edit_call_journals on app_public.call_journals for all to app_visitor
  using ((select app_hidden.has_permission('editCallJournals')) and ((select app_hidden.sees_all()) or (exists ( select 1
   from app_public.call_center_records c
  where ((c.id = call_journals.call_record_id) and ((c.location = any ((select app_hidden.team_locations())::text[])) or ((c.agent_email = (select app_hidden.own_email())) and (call_journals.agent_email = c.agent_email))))))));

revoke all on app_public.call_journals from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant delete on app_public.call_journals to app_visitor;
grant delete, insert, select, update on app_public.call_journals to app_worker;
grant insert (action_items, agent_email, call_record_id, call_summary, call_tags, coaching_notes, commendation_worthy, department_involved, detailed_notes, follow_up_date, follow_up_notes, follow_up_required, follow_up_type, improvement_areas, journal_status, patient_concern, referral_made, referral_type, resolution_provided, review_score, reviewed_by, training_opportunities) on app_public.call_journals to app_visitor;
grant select (action_items, agent_email, call_record_id, call_summary, call_tags, coaching_notes, coaching_notes_encrypted, coaching_notes_masked, commendation_worthy, created_at, department_involved, detailed_notes, detailed_notes_encrypted, detailed_notes_masked, follow_up_date, follow_up_notes, follow_up_notes_encrypted, follow_up_notes_masked, follow_up_required, follow_up_type, id, improvement_areas, journal_status, notes_word_hashes, patient_concern, patient_concern_encrypted, patient_concern_masked, referral_made, referral_type, resolution_provided, resolution_provided_encrypted, resolution_provided_masked, review_score, reviewed_at, reviewed_by, search_vector, submitted_at, training_opportunities, updated_at) on app_public.call_journals to app_visitor;
grant update (action_items, call_summary, call_tags, coaching_notes, commendation_worthy, department_involved, detailed_notes, follow_up_date, follow_up_notes, follow_up_required, follow_up_type, improvement_areas, journal_status, patient_concern, referral_made, referral_type, resolution_provided, review_score, reviewed_by, training_opportunities) on app_public.call_journals to app_visitor;
--! EndIncluded access/call_journals.sql
--! Included access/call_type_rules.sql
drop policy if exists manage_configure_metrics on app_public.call_type_rules;
create policy manage_configure_metrics on app_public.call_type_rules for all to app_visitor
  using ((select app_hidden.has_permission('configureMetrics')));

drop policy if exists select_signed_in on app_public.call_type_rules;
create policy select_signed_in on app_public.call_type_rules for select to app_visitor
  using ((select auth.uid()) is not null);

revoke all on app_public.call_type_rules from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant delete, select on app_public.call_type_rules to app_visitor;
grant select on app_public.call_type_rules to app_worker;
grant insert (call_type, called_number_pattern, is_active, priority, queue_name) on app_public.call_type_rules to app_visitor;
grant update (call_type, called_number_pattern, is_active, priority, queue_name) on app_public.call_type_rules to app_visitor;
--! EndIncluded access/call_type_rules.sql
--! Included access/document_storage.sql
drop policy if exists change_own_or_all on app_public.document_storage;
create policy change_own_or_all on app_public.document_storage for update to app_visitor
  using ((owner_email = ((select auth.email()))::citext) or (select app_hidden.sees_all()));

drop policy if exists delete_own_or_all on app_public.document_storage;
create policy delete_own_or_all on app_public.document_storage for delete to app_visitor
  using ((owner_email = ((select auth.email()))::citext) or (select app_hidden.sees_all()));

drop policy if exists insert_generate_reports on app_public.document_storage;
create policy insert_generate_reports on app_public.document_storage for insert to app_visitor
  with check ((select app_hidden.has_permission('generateReports')) and ((select app_hidden.sees_all()) or (location_name = any ((select app_hidden.team_locations())::text[]))));

drop policy if exists select_in_scope on app_public.document_storage;
create policy select_in_scope on app_public.document_storage for select to app_visitor
  using ((select app_hidden.sees_all()) or (owner_email = ((select auth.email()))::citext) or (location_name = any ((select app_hidden.team_locations())::text[])));

revoke all on app_public.document_storage from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant delete, select on app_public.document_storage to app_visitor;
grant delete, insert, select, update on app_public.document_storage to app_worker;
grant insert (content_type, document_type, file_upload_id, location_name, retain_until, size_bytes, storage_key, title) on app_public.document_storage to app_visitor;
grant update (document_type, retain_until, title) on app_public.document_storage to app_visitor;
--! EndIncluded access/document_storage.sql
--! Included access/location_configs.sql
drop policy if exists manage_configure_metrics on app_public.location_configs;
create policy manage_configure_metrics on app_public.location_configs for all to app_visitor
  using ((select app_hidden.has_permission('configureMetrics')));

drop policy if exists select_signed_in on app_public.location_configs;
create policy select_signed_in on app_public.location_configs for select to app_visitor
  using ((select auth.uid()) is not null);

revoke all on app_public.location_configs from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant delete, select on app_public.location_configs to app_visitor;
grant select on app_public.location_configs to app_worker;
grant insert (business_close, business_days, business_open, location_name, main_number, settings, voicemail_extension) on app_public.location_configs to app_visitor;
grant update (business_close, business_days, business_open, main_number, settings, voicemail_extension) on app_public.location_configs to app_visitor;
--! EndIncluded access/location_configs.sql
--! Included access/location_staff.sql
drop policy if exists manage_managers on app_public.location_staff;
create policy manage_managers on app_public.location_staff for all to app_visitor
  using ((select app_hidden.is_role('manager', 'superadmin')));

drop policy if exists select_location_for_supervisors on app_public.location_staff;
create policy select_location_for_supervisors on app_public.location_staff for select to app_visitor
  using ((select app_hidden.is_role('supervisor')) and (location_name in (select app_hidden.my_location_names())));

drop policy if exists select_self on app_public.location_staff;
create policy select_self on app_public.location_staff for select to app_visitor
  using (user_id = (select auth.uid()));

revoke all on app_public.location_staff from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant delete, select on app_public.location_staff to app_visitor;
grant select on app_public.location_staff to app_worker;
grant insert (is_active, location_name, "position", user_id) on app_public.location_staff to app_visitor;
grant update (is_active, "position") on app_public.location_staff to app_visitor;
--! EndIncluded access/location_staff.sql
--! Included access/locations.sql
drop policy if exists manage_admins on app_public.locations;
create policy manage_admins on app_public.locations for all to app_visitor
  using ((select app_hidden.is_role('manager', 'superadmin')));

drop policy if exists select_signed_in on app_public.locations;
create policy select_signed_in on app_public.locations for select to app_visitor
  using ((select auth.uid()) is not null);

revoke all on app_public.locations from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant delete, select on app_public.locations to app_visitor;
grant select on app_public.locations to app_worker;
grant insert (address, code, is_active, name, phone) on app_public.locations to app_visitor;
grant update (address, code, is_active, name, phone) on app_public.locations to app_visitor;
--! EndIncluded access/locations.sql
--! Included access/notification_preferences.sql
drop policy if exists own on app_public.notification_preferences;
create policy own on app_public.notification_preferences for all to app_visitor
  using (user_id = (select auth.uid()));

revoke all on app_public.notification_preferences from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant delete, select on app_public.notification_preferences to app_visitor;
grant select on app_public.notification_preferences to app_worker;
grant insert (channel, enabled, notification_type, user_id) on app_public.notification_preferences to app_visitor;
grant update (enabled) on app_public.notification_preferences to app_visitor;
--! EndIncluded access/notification_preferences.sql
--! Included access/notifications.sql
drop policy if exists own on app_public.notifications;
create policy own on app_public.notifications for all to app_visitor
  using (user_id = (select auth.uid()));

revoke all on app_public.notifications from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant delete, select on app_public.notifications to app_visitor;
grant delete, insert, select, update on app_public.notifications to app_worker;
grant update (read_at) on app_public.notifications to app_visitor;
--! EndIncluded access/notifications.sql
--! Included access/pbx_numbers.sql
drop policy if exists manage_configure_metrics on app_public.pbx_numbers;
create policy manage_configure_metrics on app_public.pbx_numbers for all to app_visitor
  using ((select app_hidden.has_permission('configureMetrics')));

drop policy if exists select_signed_in on app_public.pbx_numbers;
create policy select_signed_in on app_public.pbx_numbers for select to app_visitor
  using ((select auth.uid()) is not null);

revoke all on app_public.pbx_numbers from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant delete, select on app_public.pbx_numbers to app_visitor;
grant insert, select, update on app_public.pbx_numbers to app_worker;
grant insert (kind, location, name, number) on app_public.pbx_numbers to app_visitor;
grant update (kind, location, name) on app_public.pbx_numbers to app_visitor;
--! EndIncluded access/pbx_numbers.sql
--! Included access/performance_goals.sql
drop policy if exists manage_goals on app_public.performance_goals;
create policy manage_goals on app_public.performance_goals for all to app_visitor
  using ((select app_hidden.has_permission('manageGoals')) and ((select app_hidden.sees_all()) or (agent_email = any ((select app_hidden.visible_people())::citext[]))));

drop policy if exists select_in_scope on app_public.performance_goals;
create policy select_in_scope on app_public.performance_goals for select to app_visitor
  using ((select app_hidden.sees_all()) or (agent_email = any ((select app_hidden.visible_people())::citext[])) or (created_by = ((select auth.email()))::citext));

revoke all on app_public.performance_goals from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant delete, select on app_public.performance_goals to app_visitor;
grant delete, insert, select, update on app_public.performance_goals to app_worker;
grant insert (agent_email, appointment_conversion_target, calls_per_day_target, coaching_focus, customer_satisfaction_target, development_areas, first_call_resolution_target, goal_period, goal_status, improvement_plan, last_reviewed_at, period_end_date, period_start_date, quality_score_target, recognition_earned, reviewed_by, talk_time_percentage_target, team_goal_id) on app_public.performance_goals to app_visitor;
grant update (appointment_conversion_target, calls_per_day_target, coaching_focus, customer_satisfaction_target, development_areas, first_call_resolution_target, goal_period, goal_status, improvement_plan, last_reviewed_at, period_end_date, period_start_date, quality_score_target, recognition_earned, reviewed_by, talk_time_percentage_target) on app_public.performance_goals to app_visitor;
--! EndIncluded access/performance_goals.sql
--! Included access/permissions.sql
drop policy if exists manage_superadmins on app_public.permissions;
create policy manage_superadmins on app_public.permissions for all to app_visitor
  using ((select app_hidden.is_role('superadmin')));

drop policy if exists select_signed_in on app_public.permissions;
create policy select_signed_in on app_public.permissions for select to app_visitor
  using ((select auth.uid()) is not null);

revoke all on app_public.permissions from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant delete, select on app_public.permissions to app_visitor;
grant select on app_public.permissions to app_worker;
grant insert (description, name) on app_public.permissions to app_visitor;
grant update (description) on app_public.permissions to app_visitor;
--! EndIncluded access/permissions.sql
--! Included access/quality_assurance_reviews.sql
drop policy if exists acknowledge_own on app_public.quality_assurance_reviews;
create policy acknowledge_own on app_public.quality_assurance_reviews for update to app_visitor
  using ((agent_email = (select app_hidden.own_email())) and (review_status <> 'draft'))
  with check (agent_email = (select app_hidden.own_email()));

drop policy if exists select_in_scope on app_public.quality_assurance_reviews;
create policy select_in_scope on app_public.quality_assurance_reviews for select to app_visitor
  using ((select app_hidden.sees_all()) or (agent_email = any ((select app_hidden.visible_people())::citext[])) or (reviewer_email = ((select auth.email()))::citext));

drop policy if exists write_conduct_qa_reviews on app_public.quality_assurance_reviews;
create policy write_conduct_qa_reviews on app_public.quality_assurance_reviews for all to app_visitor
  using ((select app_hidden.has_permission('conductQAReviews')) and ((select app_hidden.sees_all()) or ((reviewer_email = ((select auth.email()))::citext) and (agent_email = any ((select app_hidden.visible_people())::citext[])))));

revoke all on app_public.quality_assurance_reviews from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant delete, select on app_public.quality_assurance_reviews to app_visitor;
grant delete, insert, select, update on app_public.quality_assurance_reviews to app_worker;
grant insert (action_items_required, active_listening, additional_training_recommended, agent_discussion_date, agent_email, call_control, call_record_id, closing_effectiveness, communication_clarity, empathy_patience, follow_up_date, follow_up_review_needed, greeting_professionalism, improvement_areas, problem_resolution, product_knowledge, recognition_worthy, review_date, review_status, review_type, reviewer_name, specific_coaching_points, strengths_observed) on app_public.quality_assurance_reviews to app_visitor;
grant update (action_items_required, active_listening, additional_training_recommended, agent_acknowledgment, agent_discussion_date, call_control, closing_effectiveness, communication_clarity, empathy_patience, follow_up_date, follow_up_review_needed, greeting_professionalism, improvement_areas, problem_resolution, product_knowledge, recognition_worthy, review_date, review_status, review_type, specific_coaching_points, strengths_observed) on app_public.quality_assurance_reviews to app_visitor;
--! EndIncluded access/quality_assurance_reviews.sql
--! Included access/queue_kpi_settings.sql
drop policy if exists manage_configure_metrics on app_public.queue_kpi_settings;
create policy manage_configure_metrics on app_public.queue_kpi_settings for all to app_visitor
  using ((select app_hidden.has_permission('configureMetrics')));

drop policy if exists select_signed_in on app_public.queue_kpi_settings;
create policy select_signed_in on app_public.queue_kpi_settings for select to app_visitor
  using ((select auth.uid()) is not null);

revoke all on app_public.queue_kpi_settings from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant delete, select on app_public.queue_kpi_settings to app_visitor;
grant insert, select, update on app_public.queue_kpi_settings to app_worker;
grant insert (abandon_mode, business_close, business_days, business_open, fcr_window, queue_name, short_abandon_seconds, sl_goal_pct, sl_threshold_seconds) on app_public.queue_kpi_settings to app_visitor;
grant update (abandon_mode, business_close, business_days, business_open, fcr_window, short_abandon_seconds, sl_goal_pct, sl_threshold_seconds) on app_public.queue_kpi_settings to app_visitor;
--! EndIncluded access/queue_kpi_settings.sql
--! Included access/queues.sql
drop policy if exists manage_configure_metrics on app_public.queues;
create policy manage_configure_metrics on app_public.queues for all to app_visitor
  using ((select app_hidden.has_permission('configureMetrics')));

drop policy if exists select_signed_in on app_public.queues;
create policy select_signed_in on app_public.queues for select to app_visitor
  using ((select auth.uid()) is not null);

revoke all on app_public.queues from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant delete, select on app_public.queues to app_visitor;
grant insert, select, update on app_public.queues to app_worker;
grant insert (extension, is_active, location_name, name) on app_public.queues to app_visitor;
grant update (extension, is_active, location_name, name) on app_public.queues to app_visitor;
--! EndIncluded access/queues.sql
--! Included access/role_permissions.sql
drop policy if exists manage_superadmins on app_public.role_permissions;
create policy manage_superadmins on app_public.role_permissions for all to app_visitor
  using ((select app_hidden.is_role('superadmin')));

drop policy if exists select_signed_in on app_public.role_permissions;
create policy select_signed_in on app_public.role_permissions for select to app_visitor
  using ((select auth.uid()) is not null);

revoke all on app_public.role_permissions from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant delete, insert, select on app_public.role_permissions to app_visitor;
grant select on app_public.role_permissions to app_worker;
--! EndIncluded access/role_permissions.sql
--! Included access/team_performance_metrics.sql
drop policy if exists select_in_scope on app_public.team_performance_metrics;
create policy select_in_scope on app_public.team_performance_metrics for select to app_visitor
  using ((select app_hidden.sees_all()) or (location = any ((select app_hidden.team_locations())::text[])));

drop policy if exists update_configure_metrics on app_public.team_performance_metrics;
create policy update_configure_metrics on app_public.team_performance_metrics for update to app_visitor
  using ((select app_hidden.has_permission('configureMetrics')));

revoke all on app_public.team_performance_metrics from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant select on app_public.team_performance_metrics to app_visitor;
grant delete, insert, select, update on app_public.team_performance_metrics to app_worker;
grant update (certifications_earned) on app_public.team_performance_metrics to app_visitor;
--! EndIncluded access/team_performance_metrics.sql
--! Included access/user_permissions.sql
drop policy if exists manage_superadmins on app_public.user_permissions;
create policy manage_superadmins on app_public.user_permissions for all to app_visitor
  using ((select app_hidden.is_role('superadmin')));

drop policy if exists select_all_for_managers on app_public.user_permissions;
create policy select_all_for_managers on app_public.user_permissions for select to app_visitor
  using ((select app_hidden.is_role('manager', 'superadmin')));

drop policy if exists select_self on app_public.user_permissions;
create policy select_self on app_public.user_permissions for select to app_visitor
  using (user_id = (select auth.uid()));

revoke all on app_public.user_permissions from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant delete, select on app_public.user_permissions to app_visitor;
grant select on app_public.user_permissions to app_worker;
grant insert (expires_at, permission, reason, user_id) on app_public.user_permissions to app_visitor;
grant update (expires_at, reason) on app_public.user_permissions to app_visitor;
--! EndIncluded access/user_permissions.sql
--! Included access/user_roles.sql
drop policy if exists manage_superadmins on app_public.user_roles;
create policy manage_superadmins on app_public.user_roles for all to app_visitor
  using ((select app_hidden.is_role('superadmin')));

drop policy if exists select_all_for_managers on app_public.user_roles;
create policy select_all_for_managers on app_public.user_roles for select to app_visitor
  using ((select app_hidden.is_role('manager', 'superadmin')));

drop policy if exists select_location_for_supervisors on app_public.user_roles;
create policy select_location_for_supervisors on app_public.user_roles for select to app_visitor
  using ((select app_hidden.is_role('supervisor')) and (exists ( select 1
   from app_public.location_staff ls
  where ((ls.user_id = user_roles.user_id) and ls.is_active and (ls.location_name in (select app_hidden.my_location_names()))))));

drop policy if exists select_self on app_public.user_roles;
create policy select_self on app_public.user_roles for select to app_visitor
  using (user_id = (select auth.uid()));

revoke all on app_public.user_roles from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant delete, select on app_public.user_roles to app_visitor;
grant select on app_public.user_roles to app_worker;
grant insert (role, user_id) on app_public.user_roles to app_visitor;
grant update (role) on app_public.user_roles to app_visitor;
--! EndIncluded access/user_roles.sql
--! Included access/users.sql
drop policy if exists manage_superadmins on app_public.users;
create policy manage_superadmins on app_public.users for all to app_visitor
  using ((select app_hidden.is_role('superadmin')));

drop policy if exists select_all_for_managers on app_public.users;
create policy select_all_for_managers on app_public.users for select to app_visitor
  using ((select app_hidden.is_role('manager', 'superadmin')));

drop policy if exists select_location_for_supervisors on app_public.users;
create policy select_location_for_supervisors on app_public.users for select to app_visitor
  using ((select app_hidden.is_role('supervisor')) and (exists ( select 1
   from app_public.location_staff ls
  where ((ls.user_id = users.id) and ls.is_active and (ls.location_name in (select app_hidden.my_location_names()))))));

drop policy if exists select_self on app_public.users;
create policy select_self on app_public.users for select to app_visitor
  using (id = (select auth.uid()));

revoke all on app_public.users from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant delete, select on app_public.users to app_visitor;
grant select on app_public.users to app_worker;
grant insert (email, full_name, is_active) on app_public.users to app_visitor;
grant update (full_name, is_active) on app_public.users to app_visitor;
--! EndIncluded access/users.sql
