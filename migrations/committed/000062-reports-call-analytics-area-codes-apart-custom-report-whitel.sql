--! Previous: sha1:883b4f086680b2b41797aeeab29237618c12039d
--! Hash: sha1:038ddabb0202015e3d6078ca2b2ea6898482d468
--! Message: Reports: call analytics, area codes apart, custom report whitelist

-- Callers' area codes, apart from the calls (for the call analytics report only).
create table if not exists app_private.call_area_codes (
  call_id text primary key references app_public.call_center_records (call_id) on update cascade on delete cascade deferrable initially deferred,
  area_code text check (area_code ~ '^[2-9][0-9]{2}$')
);
comment on table app_private.call_area_codes is 'The area code of each stored call''s caller number (NULL: not a North American number), kept apart from the call for the call analytics report only (geography below state level: never in analytics.call_facts).';
comment on column app_private.call_area_codes.call_id is 'The call.';
comment on column app_private.call_area_codes.area_code is 'Area code (NPA) of the caller''s number; NULL when the number is not North American.';
create index if not exists call_area_codes_area_code_idx on app_private.call_area_codes (area_code);
--! Included access/app_private.call_area_codes.sql
revoke all on app_private.call_area_codes from public, app_visitor, app_worker, app_analyst, app_authenticator;
--! EndIncluded access/app_private.call_area_codes.sql
--! Included reports/area-codes.sql
-- Callers by area code, for the call analytics report only. An area code is geography below state level, so it
-- is kept apart from the call (app_private.call_area_codes, owner only; never in analytics.call_facts or the
-- API's call rows), taken from the caller's number when the call is stored, before the number is encrypted;
-- calls stored before this existed get theirs from a worker job that decrypts their numbers
-- (app_private.backfill_call_area_codes, task reports__area_codes). Reports show a cell only with 11 or more
-- distinct callers.

-- The area code of a North American number (+1 NXX NXX XXXX, or 10 digits NXX NXX XXXX); NULL for any other.
create or replace function app_hidden.nanp_area_code(number text)
 returns text
 language sql
 immutable parallel safe
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
  select case when d ~ '^1[2-9][0-9]{2}[2-9][0-9]{6}$' then substr(d, 2, 3)
              when d ~ '^[2-9][0-9]{2}[2-9][0-9]{6}$' and number !~ '^\s*\+' then substr(d, 1, 3) end
    from (select regexp_replace(coalesce(number, ''), '[^0-9]', '', 'g') as d) x
$function$;
comment on function app_hidden.nanp_area_code(text) is 'The area code (NPA) of a North American number: +1 and ten digits, 1 and ten digits, or ten digits without a +; NULL for anything else (international, internal, withheld).';
revoke all on function app_hidden.nanp_area_code(text) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_hidden.nanp_area_code(text) to app_worker;

-- Runs before _020_protect encrypts and clears the number; keyed by call_id (the upsert's key, the same whether
-- the row is new or merged into a stored call).
create or replace function app_private.tg_call_center_records__area_code()
 returns trigger
 language plpgsql
 security definer
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
begin
  if new.caller_number is not null and new.caller_number <> '' then
    insert into app_private.call_area_codes (call_id, area_code) values (new.call_id, app_hidden.nanp_area_code(new.caller_number))
    on conflict (call_id) do update set area_code = excluded.area_code
     where call_area_codes.area_code is distinct from excluded.area_code;
  end if;
  return new;
end;
$function$;
comment on function app_private.tg_call_center_records__area_code() is 'Keeps the area code of a call''s caller number in app_private.call_area_codes before the number is encrypted (for the call analytics report only).';
revoke all on function app_private.tg_call_center_records__area_code() from public, app_visitor, app_worker, app_analyst, app_authenticator;

-- The backfill: stored calls without an area-code row, their numbers decrypted (the worker holds the keys).
create or replace function app_private.backfill_call_area_codes(max_rows integer)
 returns integer
 language plpgsql
 security definer
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
declare
  n integer;
begin
  insert into app_private.call_area_codes (call_id, area_code)
  select c.call_id, app_hidden.nanp_area_code(app_hidden.phi_decrypt(c.caller_number_encrypted))
    from app_public.call_center_records c
   where c.caller_number_encrypted is not null
     and not exists (select 1 from app_private.call_area_codes a where a.call_id = c.call_id)
   limit max_rows
  on conflict (call_id) do nothing;
  get diagnostics n = row_count;
  return n;
end;
$function$;
comment on function app_private.backfill_call_area_codes(integer) is 'Adds the area code of up to max_rows stored calls that have none yet (their caller numbers decrypted; needs the patient-data keys); returns how many it added.';
revoke all on function app_private.backfill_call_area_codes(integer) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_private.backfill_call_area_codes(integer) to app_worker;

-- For a report: the area codes of the calls the caller may see (the ids come from their own read of the calls).
create or replace function app_hidden.report_call_area_codes(call_ids text[])
 returns table(call_id text, area_code text)
 language sql
 stable security definer
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
  select a.call_id, a.area_code from app_private.call_area_codes a where a.call_id = any (call_ids)
$function$;
comment on function app_hidden.report_call_area_codes(text[]) is 'The stored area codes of the given calls (whose ids the caller read under their row rules); for the call analytics report''s suppressed table only.';
revoke all on function app_hidden.report_call_area_codes(text[]) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_hidden.report_call_area_codes(text[]) to app_visitor;
--! EndIncluded reports/area-codes.sql
drop trigger if exists _015_area_code on app_public.call_center_records;
create trigger _015_area_code before insert or update of caller_number on app_public.call_center_records
  for each row when (new.caller_number is not null) execute function app_private.tg_call_center_records__area_code();
-- Calls stored before now: the worker decrypts their numbers (it holds the keys).
do $$ begin
  if to_regnamespace('graphile_worker') is not null then
    perform app_private.add_job('reports__area_codes', '{}'::json, job_key => 'reports__area_codes');
  end if;
end $$;
--! Included reports/call-analytics.sql
-- The call analytics report (GET /api/reports/call-analytics): volumes by hour of the day and by weekday, each
-- queue's service level and abandonment, call types and outcomes, callers by area code (cells of fewer than 11
-- distinct callers suppressed), and a trend by day against the previous period and against the same weekday of
-- the four weeks before, each figure more than 2 standard deviations from that history flagged.
-- Queue figures come from the 15-minute interval stats (inside business hours when asked), types, outcomes and
-- area codes from the calls (started inside business hours when asked), all under the caller's row rules.
create or replace function app_public.report_call_analytics(from_day date, to_day date, location text default null, queue text default null,
                                                            business_hours_only boolean default false)
 returns jsonb
 language plpgsql
 stable
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
#variable_conflict use_variable
declare
  bh constant boolean := coalesce(business_hours_only, false);
  min_callers constant integer := 11;
  span integer;
  prev_from date;
  prev_to date;
  qname text;
  locs text[];
  ivs app_public.queue_interval_kpis[];
  cur record;
  prev record;
  sl_goal numeric;
  hour_rows jsonb;
  weekday_rows jsonb;
  queue_rows jsonb;
  type_rows jsonb;
  outcome_rows jsonb;
  area_rows jsonb;
  trend_rows jsonb;
  trend_chart jsonb;
  flagged_days integer;
begin
  perform app_hidden.require_permission('viewTeamPerformance');
  perform app_hidden.report_check_arguments(from_day, to_day, location, queue, null);
  locs := app_hidden.report_locations(location);
  qname := (select q.name from app_public.queues q where q.name = queue or q.extension = queue limit 1);
  span := to_day - from_day + 1;
  prev_from := from_day - span;
  prev_to := from_day - 1;

  -- The intervals of the range, the previous period and the four weeks before (the history of each figure).
  select coalesce(array_agg(i), '{}') into ivs
    from app_hidden.report_queue_intervals(least(prev_from, from_day - 28), to_day, location, bh) i
   where qname is null or i.queue = qname;

  select sum(i.offered) filter (where i.business_day >= from_day) as offered,
         sum(i.answered) filter (where i.business_day >= from_day) as answered,
         sum(i.abandoned) filter (where i.business_day >= from_day) as abandoned,
         sum(i.short_abandoned) filter (where i.business_day >= from_day) as short_abandoned,
         sum(i.answered_within_sl + case when i.abandon_mode = 'positive' then i.abandoned_within_sl else 0 end) filter (where i.business_day >= from_day) as sl_num,
         sum(i.service_level_denominator) filter (where i.business_day >= from_day) as sl_den,
         sum(i.answered_wait_seconds) filter (where i.business_day >= from_day) as wait_seconds,
         sum(i.answered_known_wait) filter (where i.business_day >= from_day) as known_wait,
         round(sum(s.sl_goal_pct * i.service_level_denominator) filter (where i.business_day >= from_day)
               / nullif(sum(i.service_level_denominator) filter (where i.business_day >= from_day), 0), 2) as goal
    into cur
    from unnest(ivs) i left join app_hidden.effective_queue_settings s on s.queue_name = i.queue;
  select sum(i.offered) as offered, sum(i.abandoned) as abandoned, sum(i.short_abandoned) as short_abandoned,
         sum(i.answered_within_sl + case when i.abandon_mode = 'positive' then i.abandoned_within_sl else 0 end) as sl_num,
         sum(i.service_level_denominator) as sl_den, sum(i.answered_wait_seconds) as wait_seconds, sum(i.answered_known_wait) as known_wait
    into prev
    from unnest(ivs) i where i.business_day between prev_from and prev_to;
  sl_goal := coalesce(cur.goal, (select s.sl_goal_pct from app_hidden.effective_queue_settings s
                                  where s.location = any (locs) and (qname is null or s.queue_name = qname)
                                  group by s.sl_goal_pct order by count(*) desc, s.sl_goal_pct desc limit 1),
                      (select d.sl_goal_pct from app_hidden.kpi_defaults() d));

  -- Volumes by hour of the day (local) and by weekday.
  select coalesce(jsonb_agg(jsonb_build_object('hour', x.hour, 'offered', x.offered, 'answered', x.answered, 'abandoned', x.abandoned,
                  'service_level_pct', app_hidden.pct(x.num, x.den)) order by x.hour), '[]'::jsonb)
    into hour_rows
    from (select to_char(date_trunc('hour', i.interval_start at time zone app_hidden.business_timezone()), 'HH24:00') as hour,
                 sum(i.offered) as offered, sum(i.answered) as answered, sum(i.abandoned) as abandoned,
                 sum(i.answered_within_sl + case when i.abandon_mode = 'positive' then i.abandoned_within_sl else 0 end) as num,
                 sum(i.service_level_denominator) as den
            from unnest(ivs) i where i.business_day between from_day and to_day group by 1) x;
  select coalesce(jsonb_agg(jsonb_build_object('weekday', x.name, 'days', x.days, 'offered', x.offered, 'answered', x.answered, 'abandoned', x.abandoned,
                  'offered_per_day', round(x.offered::numeric / nullif(x.days, 0), 2)) order by x.dow), '[]'::jsonb)
    into weekday_rows
    from (select extract(isodow from i.business_day)::integer as dow, trim(to_char(i.business_day, 'Day')) as name,
                 count(distinct i.business_day)::integer as days, sum(i.offered) as offered, sum(i.answered) as answered, sum(i.abandoned) as abandoned
            from unnest(ivs) i where i.business_day between from_day and to_day group by 1, 2) x;

  -- Each queue's service level and abandonment.
  select coalesce(jsonb_agg(jsonb_build_object('queue', x.queue, 'location', x.location, 'offered', x.offered, 'answered', x.answered,
                  'abandoned', x.abandoned, 'short_abandoned', x.short_abandoned, 'voicemail', x.voicemail, 'missed', x.missed,
                  'service_level_pct', app_hidden.pct(x.num, x.den), 'sl_goal_pct', x.goal,
                  'abandonment_rate_pct', app_hidden.pct(x.abandoned, x.offered - x.short_abandoned),
                  'asa_seconds', app_hidden.per(x.wait_seconds, x.known_wait), 'avg_abandon_wait_seconds', app_hidden.per(x.abandon_wait, x.abandoned),
                  'max_wait_seconds', x.max_wait) order by x.location, x.queue), '[]'::jsonb)
    into queue_rows
    from (select i.queue, i.location, sum(i.offered) as offered, sum(i.answered) as answered, sum(i.abandoned) as abandoned,
                 sum(i.short_abandoned) as short_abandoned, sum(i.voicemail) as voicemail, sum(i.missed) as missed,
                 sum(i.answered_within_sl + case when i.abandon_mode = 'positive' then i.abandoned_within_sl else 0 end) as num,
                 sum(i.service_level_denominator) as den, sum(i.answered_wait_seconds) as wait_seconds, sum(i.answered_known_wait) as known_wait,
                 sum(i.abandoned_wait_seconds) as abandon_wait, max(i.max_wait_seconds) as max_wait, max(s.sl_goal_pct) as goal
            from unnest(ivs) i left join app_hidden.effective_queue_settings s on s.queue_name = i.queue
           where i.business_day between from_day and to_day group by i.queue, i.location) x;

  -- Call types, outcomes and area codes: from the calls the caller may see, one read.
  with calls as materialized (
    select c.call_id, c.call_direction, c.call_type, c.call_status, c.call_outcome, c.caller_number_hash
      from app_public.call_center_records c
      left join app_hidden.report_location_hours() h on h.location = c.location
     where c.call_start_time >= app_hidden.business_day_start(from_day) and c.call_start_time < app_hidden.business_day_start(to_day + 1)
       and c.call_direction in ('inbound', 'outbound')
       and (location is null or c.location = location)
       and (qname is null or c.queue_name = qname)
       and (not bh or (extract(isodow from c.call_start_time at time zone app_hidden.business_timezone())::smallint = any (h.business_days)
                       and (c.call_start_time at time zone app_hidden.business_timezone())::time >= h.business_open
                       and (c.call_start_time at time zone app_hidden.business_timezone())::time < h.business_close))
  ), areas as (
    select coalesce(a.area_code, 'other') as area_code, count(*) as calls, count(distinct c.caller_number_hash) as callers
      from calls c
      left join app_hidden.report_call_area_codes((select array_agg(x.call_id) from calls x where x.call_direction = 'inbound')) a on a.call_id = c.call_id
     where c.call_direction = 'inbound'
     group by 1
  )
  select (select coalesce(jsonb_agg(jsonb_build_object('call_type', t.call_type, 'call_direction', t.call_direction, 'calls', t.n)
                          order by t.call_direction, t.n desc, t.call_type), '[]'::jsonb)
            from (select coalesce(c.call_type, 'unclassified') as call_type, c.call_direction, count(*) as n from calls c group by 1, 2) t),
         (select coalesce(jsonb_agg(jsonb_build_object('call_status', t.call_status, 'call_outcome', t.call_outcome, 'calls', t.n)
                          order by t.n desc, t.call_status, t.call_outcome), '[]'::jsonb)
            from (select c.call_status, coalesce(c.call_outcome, 'not recorded') as call_outcome, count(*) as n from calls c group by 1, 2) t),
         (select coalesce(jsonb_agg(case when a.callers >= min_callers
                                         then jsonb_build_object('area_code', a.area_code, 'calls', a.calls, 'callers', a.callers, 'suppressed', '[]'::jsonb)
                                         else jsonb_build_object('area_code', a.area_code, 'calls', null, 'callers', null, 'suppressed', '["calls", "callers"]'::jsonb) end
                          order by (a.callers >= min_callers) desc, case when a.callers >= min_callers then a.callers end desc nulls last, a.area_code), '[]'::jsonb)
            from areas a)
    into type_rows, outcome_rows, area_rows;

  -- The trend: each day of the range against the same weekday of the four weeks before it.
  with daily as (
    select i.business_day, sum(i.offered) as offered, sum(i.abandoned) as abandoned, sum(i.short_abandoned) as short_abandoned,
           app_hidden.pct(sum(i.answered_within_sl + case when i.abandon_mode = 'positive' then i.abandoned_within_sl else 0 end), sum(i.service_level_denominator)) as sl,
           app_hidden.pct(sum(i.abandoned), sum(i.offered) - sum(i.short_abandoned)) as ab,
           app_hidden.per(sum(i.answered_wait_seconds), sum(i.answered_known_wait)) as asa
      from unnest(ivs) i group by i.business_day
  ), judged as (
    select d.business_day, d.offered, d.sl, d.ab, d.asa, h.n, h.offered_mean, h.offered_sd, h.sl_mean, h.sl_sd, h.ab_mean, h.ab_sd, h.asa_mean, h.asa_sd
      from daily d
      cross join lateral (
        select count(*) as n, avg(x.offered) as offered_mean, stddev_samp(x.offered) as offered_sd, avg(x.sl) as sl_mean, stddev_samp(x.sl) as sl_sd,
               avg(x.ab) as ab_mean, stddev_samp(x.ab) as ab_sd, avg(x.asa) as asa_mean, stddev_samp(x.asa) as asa_sd
          from daily x where x.business_day in (d.business_day - 7, d.business_day - 14, d.business_day - 21, d.business_day - 28)) h
     where d.business_day between from_day and to_day
  ), flagged as (
    select j.*, array_remove(array[
             case when j.n >= 3 and j.offered_sd > 0 and abs(j.offered - j.offered_mean) > 2 * j.offered_sd then 'offered' end,
             case when j.n >= 3 and j.sl_sd > 0 and abs(j.sl - j.sl_mean) > 2 * j.sl_sd then 'service_level_pct' end,
             case when j.n >= 3 and j.ab_sd > 0 and abs(j.ab - j.ab_mean) > 2 * j.ab_sd then 'abandonment_rate_pct' end,
             case when j.n >= 3 and j.asa_sd > 0 and abs(j.asa - j.asa_mean) > 2 * j.asa_sd then 'asa_seconds' end], null) as flags
      from judged j
  )
  select coalesce(jsonb_agg(jsonb_build_object('business_day', f.business_day, 'weekday', trim(to_char(f.business_day, 'Day')),
                  'offered', f.offered, 'offered_usual', round(f.offered_mean, 2),
                  'service_level_pct', f.sl, 'service_level_usual', round(f.sl_mean, 2),
                  'abandonment_rate_pct', f.ab, 'abandonment_usual', round(f.ab_mean, 2),
                  'asa_seconds', f.asa, 'asa_usual', round(f.asa_mean, 2), 'weeks_of_history', f.n, 'flagged', to_jsonb(f.flags))
                  order by f.business_day), '[]'::jsonb),
         coalesce(jsonb_agg(jsonb_build_object('business_day', f.business_day, 'series', 'Offered', 'calls', f.offered) order by f.business_day), '[]'::jsonb)
           || coalesce(jsonb_agg(jsonb_build_object('business_day', f.business_day, 'series', 'Same weekday, 4 weeks before (mean)', 'calls', round(f.offered_mean, 2))
                                 order by f.business_day) filter (where f.n > 0), '[]'::jsonb),
         count(*) filter (where cardinality(f.flags) > 0)
    into trend_rows, trend_chart, flagged_days
    from flagged f;

  return app_hidden.report_document('call_analytics', 'Call analytics', from_day, to_day,
    jsonb_build_object('location', location, 'locations', to_jsonb(locs), 'queue', qname, 'business_hours_only', bh,
                       'previous_period', jsonb_build_object('from', prev_from, 'to', prev_to)),
    jsonb_build_array(
      app_hidden.report_item('offered', 'Calls offered', coalesce(cur.offered, 0), 'int', null, null,
        format('previous period: %s', coalesce(prev.offered, 0))),
      app_hidden.report_item('offered_change_pct', 'Change against the previous period', app_hidden.pct(coalesce(cur.offered, 0) - coalesce(prev.offered, 0), prev.offered), 'pct'),
      app_hidden.report_item('service_level_pct', 'Service level', app_hidden.pct(cur.sl_num, cur.sl_den), 'pct', sl_goal,
        case when cur.sl_den > 0 then case when app_hidden.pct(cur.sl_num, cur.sl_den) >= sl_goal then 'ok' else 'behind' end end,
        format('previous period: %s', coalesce(app_hidden.pct(prev.sl_num, prev.sl_den)::text || ' %', 'no calls'))),
      app_hidden.report_item('abandonment_rate_pct', 'Abandonment', app_hidden.pct(cur.abandoned, cur.offered - cur.short_abandoned), 'pct', null, null,
        format('previous period: %s', coalesce(app_hidden.pct(prev.abandoned, prev.offered - prev.short_abandoned)::text || ' %', 'no calls'))),
      app_hidden.report_item('asa_seconds', 'Average speed of answer', app_hidden.per(cur.wait_seconds, cur.known_wait), 'seconds', null, null,
        format('previous period: %s', coalesce(app_hidden.per(prev.wait_seconds, prev.known_wait)::text || ' s', 'no calls'))),
      app_hidden.report_item('flagged_days', 'Unusual days', flagged_days, 'int', null, null,
        'days with a figure more than 2 standard deviations from the same weekday of the four weeks before')),
    jsonb_build_array(
      jsonb_build_object('key', 'by_hour', 'title', 'Volumes by hour of the day', 'columns', jsonb_build_array(
          app_hidden.report_column('hour', 'Hour', 'text'), app_hidden.report_column('offered', 'Offered', 'int'),
          app_hidden.report_column('answered', 'Answered', 'int'), app_hidden.report_column('abandoned', 'Abandoned', 'int'),
          app_hidden.report_column('service_level_pct', 'Service level', 'pct')), 'rows', hour_rows),
      jsonb_build_object('key', 'by_weekday', 'title', 'Volumes by weekday', 'columns', jsonb_build_array(
          app_hidden.report_column('weekday', 'Weekday', 'text'), app_hidden.report_column('days', 'Days', 'int'),
          app_hidden.report_column('offered', 'Offered', 'int'), app_hidden.report_column('offered_per_day', 'Offered a day', 'number'),
          app_hidden.report_column('answered', 'Answered', 'int'), app_hidden.report_column('abandoned', 'Abandoned', 'int')), 'rows', weekday_rows),
      jsonb_build_object('key', 'queues', 'title', 'Queues', 'columns', jsonb_build_array(
          app_hidden.report_column('queue', 'Queue', 'text'), app_hidden.report_column('location', 'Location', 'text'),
          app_hidden.report_column('offered', 'Offered', 'int'), app_hidden.report_column('answered', 'Answered', 'int'),
          app_hidden.report_column('abandoned', 'Abandoned', 'int'), app_hidden.report_column('short_abandoned', 'Short abandons', 'int'),
          app_hidden.report_column('voicemail', 'Voicemail', 'int'), app_hidden.report_column('missed', 'Missed', 'int'),
          app_hidden.report_column('service_level_pct', 'Service level', 'pct'), app_hidden.report_column('sl_goal_pct', 'Goal', 'pct'),
          app_hidden.report_column('abandonment_rate_pct', 'Abandonment', 'pct'), app_hidden.report_column('asa_seconds', 'ASA', 'seconds'),
          app_hidden.report_column('avg_abandon_wait_seconds', 'Abandon wait', 'seconds'), app_hidden.report_column('max_wait_seconds', 'Longest wait', 'seconds')),
        'rows', queue_rows),
      jsonb_build_object('key', 'call_types', 'title', 'Call types', 'columns', jsonb_build_array(
          app_hidden.report_column('call_type', 'Type', 'text'), app_hidden.report_column('call_direction', 'Direction', 'text'),
          app_hidden.report_column('calls', 'Calls', 'int')), 'rows', type_rows),
      jsonb_build_object('key', 'outcomes', 'title', 'Outcomes', 'columns', jsonb_build_array(
          app_hidden.report_column('call_status', 'Status', 'text'), app_hidden.report_column('call_outcome', 'Outcome', 'text'),
          app_hidden.report_column('calls', 'Calls', 'int')), 'rows', outcome_rows),
      jsonb_build_object('key', 'area_codes', 'title', 'Inbound callers by area code', 'columns', jsonb_build_array(
          app_hidden.report_column('area_code', 'Area code', 'text'), app_hidden.report_column('calls', 'Calls', 'int'),
          app_hidden.report_column('callers', 'Distinct callers', 'int')), 'rows', area_rows,
        'notes', jsonb_build_array(format('An area code with fewer than %s distinct callers is not shown (its figures are empty).', min_callers),
                                   '"other" is a number outside North America, withheld or internal.')),
      jsonb_build_object('key', 'trend', 'title', 'By day, against the same weekday of the four weeks before', 'columns', jsonb_build_array(
          app_hidden.report_column('business_day', 'Day', 'date'), app_hidden.report_column('weekday', 'Weekday', 'text'),
          app_hidden.report_column('offered', 'Offered', 'int'), app_hidden.report_column('offered_usual', 'Usual', 'number'),
          app_hidden.report_column('service_level_pct', 'Service level', 'pct'), app_hidden.report_column('service_level_usual', 'Usual', 'pct'),
          app_hidden.report_column('abandonment_rate_pct', 'Abandonment', 'pct'), app_hidden.report_column('abandonment_usual', 'Usual', 'pct'),
          app_hidden.report_column('asa_seconds', 'ASA', 'seconds'), app_hidden.report_column('asa_usual', 'Usual', 'seconds'),
          app_hidden.report_column('weeks_of_history', 'Weeks of history', 'int')),
        'rows', trend_rows,
        'notes', jsonb_build_array('A figure more than 2 standard deviations from its mean on the same weekday of the four weeks before is flagged (with at least 3 of those days having calls).'))),
    jsonb_build_array(
      jsonb_build_object('key', 'volume_by_hour', 'title', 'Calls offered by hour of the day', 'kind', 'bar',
        'x', jsonb_build_object('field', 'hour', 'title', 'Hour (local time)', 'type', 'ordinal'),
        'y', jsonb_build_object('field', 'offered', 'title', 'Calls', 'type', 'int'), 'series', null, 'goal', null, 'data', hour_rows),
      jsonb_build_object('key', 'volume_by_weekday', 'title', 'Calls offered by weekday', 'kind', 'bar',
        'x', jsonb_build_object('field', 'weekday', 'title', 'Weekday', 'type', 'ordinal'),
        'y', jsonb_build_object('field', 'offered', 'title', 'Calls', 'type', 'int'), 'series', null, 'goal', null, 'data', weekday_rows),
      jsonb_build_object('key', 'offered_trend', 'title', 'Calls offered by day, against the usual', 'kind', 'line',
        'x', jsonb_build_object('field', 'business_day', 'title', 'Day', 'type', 'temporal'),
        'y', jsonb_build_object('field', 'calls', 'title', 'Calls', 'type', 'int'), 'series', 'series', 'goal', null, 'data', trend_chart)));
end;
$function$;
comment on function app_public.report_call_analytics(date, date, text, text, boolean) is 'The call analytics report as a document (server/reports/report-document.ts): volumes by hour and weekday, each queue''s service level and abandonment, call types and outcomes, inbound callers by area code (an area code with fewer than 11 distinct callers suppressed), and each day against the same weekday of the four weeks before (figures more than 2 standard deviations off flagged), with the previous period in the summary. One location or queue (name or extension), or all you may see; businessHoursOnly counts only what happened inside each location''s business hours and weekdays. Needs viewTeamPerformance. Errors: CC711-CC715, CC971 a location you may not report on.';
revoke all on function app_public.report_call_analytics(date, date, text, text, boolean) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_public.report_call_analytics(date, date, text, text, boolean) to app_visitor;
--! EndIncluded reports/call-analytics.sql

-- The custom report's whitelist: every KPI, grouping and filter a custom report may name.
create table if not exists app_public.report_custom_fields (
  kind text not null check (kind in ('kpi', 'group_by', 'filter')),
  name text not null check (name ~ '^[a-z][a-z_]*$'),
  label text not null,
  value_type text not null check (value_type in ('text', 'int', 'number', 'pct', 'seconds', 'money', 'date', 'datetime', 'bool')),
  source text check (source in ('queue', 'agent')),
  sources text[] not null default '{queue,agent}' check (sources <@ '{queue,agent}'::text[]),
  description text not null,
  primary key (kind, name),
  check ((kind = 'kpi') = (source is not null))
);
do $$ begin
  if not exists (select 1 from pg_policies where schemaname = 'app_public' and tablename = 'report_custom_fields' and policyname = 'owner_all') then
    perform app_private.secure_table('app_public.report_custom_fields');
  end if;
end $$;
comment on table app_public.report_custom_fields is E'@omit create,update,delete\nWhat a custom report (reportCustom, POST /api/reports/custom) may name: its KPIs, groupings and filters. Added by migrations only; anything else is refused.';
comment on column app_public.report_custom_fields.kind is 'kpi, group_by or filter.';
comment on column app_public.report_custom_fields.name is 'The name a specification uses.';
comment on column app_public.report_custom_fields.label is 'The column''s heading in the report.';
comment on column app_public.report_custom_fields.value_type is 'How the value is shown (the report document''s value types).';
comment on column app_public.report_custom_fields.source is 'A KPI''s figures: queue (15-minute interval stats) or agent (stored agent days); one source per report.';
comment on column app_public.report_custom_fields.sources is 'The sources a grouping or filter applies to.';
comment on column app_public.report_custom_fields.description is 'What it is (docs/kpis.md''s definition for a KPI).';
insert into app_public.report_custom_fields (kind, name, label, value_type, source, sources, description) values
  ('kpi', 'offered', 'Offered', 'int', 'queue', '{queue}', 'Inbound calls that entered the queue.'),
  ('kpi', 'answered', 'Answered', 'int', 'queue', '{queue}', 'Offered calls answered by an agent.'),
  ('kpi', 'abandoned', 'Abandoned', 'int', 'queue', '{queue}', 'Offered calls abandoned, not short.'),
  ('kpi', 'short_abandoned', 'Short abandons', 'int', 'queue', '{queue}', 'Abandoned within the short-abandon threshold.'),
  ('kpi', 'service_level_pct', 'Service level', 'pct', 'queue', '{queue}', 'Answered within the threshold / the queue''s abandon-mode denominator × 100.'),
  ('kpi', 'abandonment_rate_pct', 'Abandonment', 'pct', 'queue', '{queue}', 'abandoned / (offered − short_abandoned) × 100.'),
  ('kpi', 'asa_seconds', 'ASA', 'seconds', 'queue', '{queue}', 'Σ known waits of answered calls / answered with a known wait.'),
  ('kpi', 'avg_abandon_wait_seconds', 'Abandon wait', 'seconds', 'queue', '{queue}', 'Σ waits of abandoned calls / abandoned.'),
  ('kpi', 'calls_handled', 'Handled', 'int', 'agent', '{agent}', 'Calls agents answered a leg of.'),
  ('kpi', 'calls_missed', 'Missed', 'int', 'agent', '{agent}', 'Inbound calls that rang an agent and were not answered by them.'),
  ('kpi', 'aht_seconds', 'AHT', 'seconds', 'agent', '{agent}', '(talk + hold + acw) / (handled − talk unknown).'),
  ('kpi', 'calls_per_hour', 'Calls per hour', 'number', 'agent', '{agent}', 'handled / (available seconds / 3600).'),
  ('kpi', 'utilization_pct', 'Utilization', 'pct', 'agent', '{agent}', '(talk + acw) / available × 100.'),
  ('kpi', 'occupancy_pct', 'Occupancy', 'pct', 'agent', '{agent}', '(talk + hold + acw) / available × 100.'),
  ('kpi', 'fcr_pct', 'FCR', 'pct', 'agent', '{agent}', 'Resolved first time / handled inbound calls (resolved so far and provisional while windows are open).'),
  ('kpi', 'appointment_conversion_pct', 'Appointments', 'pct', 'agent', '{agent}', 'Handled inbound calls with an appointment / handled inbound × 100.'),
  ('kpi', 'csat_avg', 'Satisfaction', 'number', 'agent', '{agent}', 'Average satisfaction score (1–5) of rated calls.'),
  ('group_by', 'location', 'Location', 'text', null, '{queue,agent}', 'The location (queue''s or agent''s).'),
  ('group_by', 'queue', 'Queue', 'text', null, '{queue}', 'The queue.'),
  ('group_by', 'agent', 'Agent', 'text', null, '{agent}', 'The agent.'),
  ('group_by', 'day', 'Day', 'date', null, '{queue,agent}', 'The business day.'),
  ('group_by', 'week', 'Week of', 'date', null, '{queue,agent}', 'The Monday of the business day''s week.'),
  ('group_by', 'month', 'Month', 'text', null, '{queue,agent}', 'The business day''s month (YYYY-MM).'),
  ('group_by', 'weekday', 'Weekday', 'text', null, '{queue,agent}', 'The business day''s weekday.'),
  ('group_by', 'hour', 'Hour', 'text', null, '{queue}', 'The hour of the day (local time) of the 15-minute intervals.'),
  ('filter', 'location', 'Location', 'text', null, '{queue,agent}', 'One location (by name).'),
  ('filter', 'queue', 'Queue', 'text', null, '{queue}', 'One queue (by name or extension).'),
  ('filter', 'agent', 'Agent', 'text', null, '{agent}', 'One agent (by email: each of the person''s extensions; or by extension).')
on conflict (kind, name) do nothing;
--! Included access/report_custom_fields.sql
revoke all on app_public.report_custom_fields from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant select on app_public.report_custom_fields to app_visitor;
drop policy if exists select_all on app_public.report_custom_fields;
create policy select_all on app_public.report_custom_fields for select to app_visitor using (true);
--! EndIncluded access/report_custom_fields.sql
--! Included reports/custom.sql
-- The custom report (POST /api/reports/custom): KPIs, groupings and filters chosen by name from the whitelist
-- in app_public.report_custom_fields (rows added by migrations only); never SQL or column names from the
-- client. Every name is looked up there; anything else is an error naming it (CC972-CC976, REST 400 with the
-- field). The figures are the KPI engine's (queue figures from the 15-minute interval stats, agent figures from
-- the stored days), summed over each group and then divided, as docs/kpis.md defines them.
create or replace function app_public.report_custom(spec jsonb)
 returns jsonb
 language plpgsql
 stable
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
#variable_conflict use_variable
declare
  allowed_keys constant text[] := array['from', 'to', 'kpis', 'group_by', 'filters', 'business_hours_only', 'title'];
  k text;
  from_day date;
  to_day date;
  kpis text[];
  groups text[];
  bh boolean;
  f_location text;
  f_queue text;
  f_agent text;
  source text;
  qname text;
  exts text[];
  locs text[];
  result_rows jsonb;
  columns jsonb;
  title text;
begin
  perform app_hidden.require_permission('generateReports');
  if spec is null or jsonb_typeof(spec) <> 'object' then
    raise exception 'The report''s specification must be a JSON object.' using errcode = 'CC975', column = 'spec';
  end if;
  for k in select jsonb_object_keys(spec) loop
    if not k = any (allowed_keys) then
      raise exception '% is not part of a custom report (allowed: %).', k, array_to_string(allowed_keys, ', ') using errcode = 'CC975', column = k;
    end if;
  end loop;
  begin
    from_day := (spec ->> 'from')::date;
    to_day := (spec ->> 'to')::date;
  exception when others then
    raise exception 'from and to are business days (YYYY-MM-DD).' using errcode = 'CC975', column = case when (spec ->> 'from') !~ '^\d{4}-\d{2}-\d{2}$' then 'from' else 'to' end;
  end;
  if jsonb_typeof(spec -> 'kpis') is distinct from 'array' or jsonb_array_length(spec -> 'kpis') = 0
     or exists (select 1 from jsonb_array_elements(spec -> 'kpis') e where jsonb_typeof(e) <> 'string') then
    raise exception 'kpis is a list of one or more KPI names (app_public.report_custom_fields).' using errcode = 'CC975', column = 'kpis';
  end if;
  if spec ? 'group_by' and (jsonb_typeof(spec -> 'group_by') <> 'array' or exists (select 1 from jsonb_array_elements(spec -> 'group_by') e where jsonb_typeof(e) <> 'string')) then
    raise exception 'group_by is a list of grouping names (app_public.report_custom_fields).' using errcode = 'CC975', column = 'group_by';
  end if;
  if spec ? 'filters' and jsonb_typeof(spec -> 'filters') <> 'object' then
    raise exception 'filters is an object of filter names and values (app_public.report_custom_fields).' using errcode = 'CC975', column = 'filters';
  end if;
  if spec ? 'business_hours_only' and jsonb_typeof(spec -> 'business_hours_only') <> 'boolean' then
    raise exception 'business_hours_only is true or false.' using errcode = 'CC975', column = 'business_hours_only';
  end if;
  kpis := array(select distinct e from jsonb_array_elements_text(spec -> 'kpis') e);
  groups := array(select e from jsonb_array_elements_text(coalesce(spec -> 'group_by', '[]')) with ordinality x(e, n) group by e order by min(n));
  bh := coalesce((spec ->> 'business_hours_only')::boolean, false);
  title := coalesce(left(spec ->> 'title', 200), 'Custom report');

  -- Every name from the whitelist, or an error naming it.
  select e into k from unnest(kpis) e where not exists (select 1 from app_public.report_custom_fields w where w.kind = 'kpi' and w.name = e) order by e limit 1;
  if k is not null then
    raise exception 'No KPI named % in a custom report (see reportCustomFields).', k using errcode = 'CC972', column = 'kpis';
  end if;
  select e into k from unnest(groups) e where not exists (select 1 from app_public.report_custom_fields w where w.kind = 'group_by' and w.name = e) limit 1;
  if k is not null then
    raise exception 'No grouping named % in a custom report (see reportCustomFields).', k using errcode = 'CC973', column = 'group_by';
  end if;
  for k in select jsonb_object_keys(coalesce(spec -> 'filters', '{}')) loop
    if not exists (select 1 from app_public.report_custom_fields w where w.kind = 'filter' and w.name = k) then
      raise exception 'No filter named % in a custom report (see reportCustomFields).', k using errcode = 'CC974', column = 'filters.' || k;
    end if;
    if jsonb_typeof(spec -> 'filters' -> k) <> 'string' then
      raise exception 'The filter % takes a text value.', k using errcode = 'CC975', column = 'filters.' || k;
    end if;
  end loop;
  -- One source of figures per report: the KPIs' own, and groupings and filters that source has.
  select min(w.source) into source from app_public.report_custom_fields w where w.kind = 'kpi' and w.name = any (kpis);
  select w.name into k from app_public.report_custom_fields w where w.kind = 'kpi' and w.name = any (kpis) and w.source <> source order by w.name limit 1;
  if k is not null then
    raise exception 'The KPIs % come from different figures (queue and agent); ask for them in two reports.', array_to_string(kpis, ', ') using errcode = 'CC976', column = 'kpis';
  end if;
  select e into k from unnest(groups) e
   where not exists (select 1 from app_public.report_custom_fields w where w.kind = 'group_by' and w.name = e and source = any (w.sources)) limit 1;
  if k is not null then
    raise exception 'The % figures cannot be grouped by %.', source, k using errcode = 'CC976', column = 'group_by';
  end if;
  select e into k from jsonb_object_keys(coalesce(spec -> 'filters', '{}')) e
   where not exists (select 1 from app_public.report_custom_fields w where w.kind = 'filter' and w.name = e and source = any (w.sources)) limit 1;
  if k is not null then
    raise exception 'The % figures cannot be filtered by %.', source, k using errcode = 'CC976', column = 'filters.' || k;
  end if;

  f_location := spec -> 'filters' ->> 'location';
  f_queue := spec -> 'filters' ->> 'queue';
  f_agent := spec -> 'filters' ->> 'agent';
  perform app_hidden.report_check_arguments(from_day, to_day, f_location, f_queue, f_agent);
  locs := app_hidden.report_locations(f_location);
  qname := (select q.name from app_public.queues q where q.name = f_queue or q.extension = f_queue limit 1);
  exts := case when f_agent is not null then app_hidden.agent_extensions(f_agent) end;

  if source = 'queue' then
    with g as (
      select case when 'queue' = any (groups) then i.queue end as queue,
             case when 'location' = any (groups) then i.location end as location,
             case when 'day' = any (groups) then i.business_day end as day,
             case when 'week' = any (groups) then date_trunc('week', i.business_day)::date end as week,
             case when 'month' = any (groups) then to_char(i.business_day, 'YYYY-MM') end as month,
             case when 'weekday' = any (groups) then extract(isodow from i.business_day)::integer end as weekday,
             case when 'hour' = any (groups) then to_char(date_trunc('hour', i.interval_start at time zone app_hidden.business_timezone()), 'HH24:00') end as hour,
             sum(i.offered) as offered, sum(i.answered) as answered, sum(i.abandoned) as abandoned, sum(i.short_abandoned) as short_abandoned,
             sum(i.answered_within_sl + case when i.abandon_mode = 'positive' then i.abandoned_within_sl else 0 end) as sl_num,
             sum(i.service_level_denominator) as sl_den, sum(i.answered_wait_seconds) as wait_seconds, sum(i.answered_known_wait) as known_wait,
             sum(i.abandoned_wait_seconds) as abandon_wait
        from app_hidden.report_queue_intervals(from_day, to_day, f_location, bh) i
       where qname is null or i.queue = qname
       group by 1, 2, 3, 4, 5, 6, 7
    )
    select coalesce(jsonb_agg(r.obj order by r.queue, r.location, r.day, r.week, r.month, r.weekday, r.hour), '[]'::jsonb) into result_rows
      from (select g.queue, g.location, g.day, g.week, g.month, g.weekday, g.hour,
                   (select jsonb_object_agg(e.key, e.value) from jsonb_each(jsonb_build_object(
                      'queue', g.queue, 'location', g.location, 'day', g.day, 'week', g.week, 'month', g.month,
                      'weekday', trim(to_char(date '2024-01-07' + g.weekday, 'Day')), 'hour', g.hour,
                      'offered', g.offered, 'answered', g.answered, 'abandoned', g.abandoned, 'short_abandoned', g.short_abandoned,
                      'service_level_pct', app_hidden.pct(g.sl_num, g.sl_den),
                      'abandonment_rate_pct', app_hidden.pct(g.abandoned, g.offered - g.short_abandoned),
                      'asa_seconds', app_hidden.per(g.wait_seconds, g.known_wait),
                      'avg_abandon_wait_seconds', app_hidden.per(g.abandon_wait, g.abandoned))) e
                     where e.key = any (groups || kpis)) as obj
              from g) r;
  else
    with g as (
      select case when 'agent' = any (groups) then coalesce(d.agent_name, d.agent_email::text, d.agent_extension) end as agent,
             case when 'location' = any (groups) then d.location end as location,
             case when 'day' = any (groups) then d.business_day end as day,
             case when 'week' = any (groups) then date_trunc('week', d.business_day)::date end as week,
             case when 'month' = any (groups) then to_char(d.business_day, 'YYYY-MM') end as month,
             case when 'weekday' = any (groups) then extract(isodow from d.business_day)::integer end as weekday,
             sum(d.calls_handled) as calls_handled, sum(d.calls_handled_inbound) as calls_inbound, sum(d.calls_missed) as calls_missed,
             sum(d.talk_seconds) as talk, sum(d.hold_seconds) as hold, sum(d.acw_seconds) as acw, sum(d.calls_talk_unknown) as talk_unknown,
             coalesce(sum(d.available_seconds), 0) as available, sum(d.fcr_resolved) as fcr_resolved, sum(d.fcr_final) as fcr_final,
             sum(d.fcr_provisional) as fcr_provisional, sum(d.appointments) as appointments, sum(d.csat_sum) as csat_sum, sum(d.csat_count) as csat_count
        from app_public.agent_daily_kpis d
       where d.business_day between from_day and to_day
         and (f_location is null or d.location = f_location)
         and (exts is null or d.agent_extension = any (exts))
         and (not bh or app_hidden.report_business_weekday(d.location, d.business_day))
       group by 1, 2, 3, 4, 5, 6
    )
    select coalesce(jsonb_agg(r.obj order by r.agent, r.location, r.day, r.week, r.month, r.weekday), '[]'::jsonb) into result_rows
      from (select g.agent, g.location, g.day, g.week, g.month, g.weekday,
                   (select jsonb_object_agg(e.key, e.value) from jsonb_each(jsonb_build_object(
                      'agent', g.agent, 'location', g.location, 'day', g.day, 'week', g.week, 'month', g.month,
                      'weekday', trim(to_char(date '2024-01-07' + g.weekday, 'Day')),
                      'calls_handled', g.calls_handled, 'calls_missed', g.calls_missed,
                      'aht_seconds', app_hidden.per(g.talk + g.hold + g.acw, g.calls_handled - g.talk_unknown),
                      'calls_per_hour', case when g.available > 0 then round(g.calls_handled / (g.available / 3600.0), 2) end,
                      'utilization_pct', app_hidden.pct(g.talk + g.acw, g.available),
                      'occupancy_pct', app_hidden.pct(g.talk + g.hold + g.acw, g.available),
                      'fcr_pct', app_hidden.report_fcr_pct(g.fcr_resolved, g.fcr_final, g.fcr_provisional),
                      'appointment_conversion_pct', app_hidden.pct(g.appointments, g.calls_inbound),
                      'csat_avg', case when g.csat_count > 0 then round(g.csat_sum::numeric / g.csat_count, 2) end)) e
                     where e.key = any (groups || kpis))
                   || case when g.fcr_provisional > 0 and 'fcr_pct' = any (kpis) then '{"provisional": ["fcr_pct"]}'::jsonb else '{}'::jsonb end as obj
              from g) r;
  end if;

  select jsonb_agg(app_hidden.report_column(w.name, w.label, w.value_type) order by x.n) into columns
    from unnest(groups || kpis) with ordinality x(name, n)
    join app_public.report_custom_fields w on w.name = x.name and w.kind = case when x.n <= cardinality(groups) then 'group_by' else 'kpi' end;

  return app_hidden.report_document('custom', title, from_day, to_day,
    jsonb_build_object('kpis', to_jsonb(kpis), 'group_by', to_jsonb(groups), 'filters', coalesce(spec -> 'filters', '{}'::jsonb),
                       'locations', to_jsonb(locs), 'business_hours_only', bh, 'source', source),
    '[]'::jsonb,
    jsonb_build_array(jsonb_build_object('key', 'figures', 'title', title, 'columns', columns, 'rows', result_rows,
      'notes', case when bh and source = 'agent' then jsonb_build_array('Agent figures are stored per day: with the business-hours limit they cover each location''s business weekdays, whole days.')
                    when bh then jsonb_build_array('Queue figures count only the 15-minute intervals inside each location''s business hours.') else '[]'::jsonb end)),
    '[]'::jsonb);
end;
$function$;
comment on function app_public.report_custom(jsonb) is 'A custom report as a document (server/reports/report-document.ts) from a specification: {"from", "to", "kpis": [...], "group_by": [...], "filters": {"location"|"queue"|"agent": ...}, "business_hours_only", "title"}, every KPI, grouping and filter named from reportCustomFields (queue KPIs and agent KPIs are separate reports). Needs generateReports. Errors: CC972 an unknown KPI, CC973 an unknown grouping, CC974 an unknown filter, CC975 a malformed specification, CC976 names that do not fit together, CC711-CC716 and CC971 as for the other reports.';
revoke all on function app_public.report_custom(jsonb) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_public.report_custom(jsonb) to app_visitor;
--! EndIncluded reports/custom.sql
