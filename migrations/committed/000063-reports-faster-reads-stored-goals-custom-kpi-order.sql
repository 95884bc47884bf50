--! Previous: sha1:038ddabb0202015e3d6078ca2b2ea6898482d468
--! Hash: sha1:60ed8c1b36b8b01d84afd1635066c5140283c2aa
--! Message: Reports: faster reads, stored goals, custom KPI order

--! Included reports/business-hours.sql
-- Business hours and weekdays of each location (app_public.location_configs), as the reports read them.
-- location_configs is readable by configureMetrics holders only; a report needs just the hours, so this
-- helper reads them for everyone (hours are not secret). A location without a row has the table's defaults
-- (Monday to Friday, 08:00 to 17:00, business time zone).
create or replace function app_hidden.report_location_hours()
 returns table(location text, business_days smallint[], business_open time, business_close time)
 language sql
 stable security definer
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
  select l.name, coalesce(c.business_days, '{1,2,3,4,5}'::smallint[]), coalesce(c.business_open, time '08:00'), coalesce(c.business_close, time '17:00')
    from app_public.locations l
    left join app_public.location_configs c on c.location_name = l.name
$function$;
comment on function app_hidden.report_location_hours() is 'Each location''s business weekdays (ISO, 1 = Monday) and opening and closing times (business time zone), the location_configs row or its defaults (Monday to Friday, 08:00 to 17:00).';
revoke all on function app_hidden.report_location_hours() from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_hidden.report_location_hours() to app_visitor, app_worker;

-- The queue intervals a report counts: the caller's rows of app_public.queue_interval_stats (a supervisor's
-- locations only, as app_public.queue_interval_kpis shows them) in the range, one location or all, and with business_hours_only only the intervals that
-- start inside their location's hours on one of its business weekdays.
create or replace function app_hidden.report_queue_intervals(from_day date, to_day date, location text, business_hours_only boolean)
 returns setof app_public.queue_interval_kpis
 language sql
 stable
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
  -- The stored counts under their own row rules (the queues of a supervisor's locations), the queue's settings beside
  -- them; the per-interval ratios, which a report never reads (it sums the counts, then divides), are left NULL.
  select s.queue_name, st.location, s.interval_start, s.business_day, s.offered, s.answered, s.abandoned, s.short_abandoned,
         s.voicemail, s.missed, s.transferred, s.answered_within_sl, s.abandoned_within_sl, s.wait_unknown, st.abandon_mode,
         case st.abandon_mode when 'ignore' then s.answered - s.wait_unknown else s.offered - s.short_abandoned - s.wait_unknown end,
         null::numeric, s.offered - s.short_abandoned, null::numeric, s.answered_wait_seconds, s.answered - s.wait_unknown, null::numeric,
         s.abandoned_wait_seconds, null::numeric, s.max_wait_seconds,
         s.answered_wait_le_10, s.answered_wait_le_20, s.answered_wait_le_30, s.answered_wait_le_60, s.answered_wait_le_120, s.answered_wait_gt_120,
         s.abandoned_wait_le_10, s.abandoned_wait_le_20, s.abandoned_wait_le_30, s.abandoned_wait_le_60, s.abandoned_wait_le_120, s.abandoned_wait_gt_120,
         s.sl_threshold_seconds, s.short_abandon_seconds
    from app_public.queue_interval_stats s
    join app_hidden.effective_queue_settings st on st.queue_name = s.queue_name
    cross join (select app_hidden.business_timezone() as tz) z
    left join app_hidden.report_location_hours() h on h.location = st.location
   where s.business_day between report_queue_intervals.from_day and report_queue_intervals.to_day
     and (report_queue_intervals.location is null or st.location = report_queue_intervals.location)
     and (not coalesce(report_queue_intervals.business_hours_only, false)
          or (extract(isodow from s.business_day)::smallint = any (coalesce(h.business_days, '{1,2,3,4,5}'))
              and (s.interval_start at time zone z.tz)::time >= coalesce(h.business_open, time '08:00')
              and (s.interval_start at time zone z.tz)::time < coalesce(h.business_close, time '17:00')))
$function$;
comment on function app_hidden.report_queue_intervals(date, date, text, boolean) is 'The 15-minute queue intervals a report counts, under the caller''s row rules: the range, one location or all, and with business_hours_only only intervals starting inside the location''s business hours on its business weekdays.';
revoke all on function app_hidden.report_queue_intervals(date, date, text, boolean) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_hidden.report_queue_intervals(date, date, text, boolean) to app_visitor;

-- Each location's business weekdays as a JSON object ({"Ann Arbor": [1, 2, 3, 4, 5], ...}), read once per report: agent and
-- team figures are stored per day, so with business_hours_only they are limited to the business weekdays, not split by
-- hour. A report tests a day with: coalesce(weekdays -> location, '[1,2,3,4,5]') @> to_jsonb(isodow).
create or replace function app_hidden.report_weekdays()
 returns jsonb
 language sql
 stable
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
  select coalesce(jsonb_object_agg(h.location, to_jsonb(h.business_days)), '{}'::jsonb) from app_hidden.report_location_hours() h
$function$;
comment on function app_hidden.report_weekdays() is 'Each location''s business weekdays (ISO, 1 = Monday) as a JSON object keyed by location; a location without settings has Monday to Friday.';
revoke all on function app_hidden.report_weekdays() from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_hidden.report_weekdays() to app_visitor;

-- The stored agent days a report counts, under the caller's row rules (app_public.agent_daily_kpis): the range, one
-- location and/or extensions or all, and with business_hours_only only the location's business weekdays. Written
-- without a search_path setting, so that the planner inlines it into the report's query and reads only the columns
-- that query uses (the view's ratios are per day; reports sum the counts, then divide). Every name is qualified.
create or replace function app_hidden.report_agent_days(from_day date, to_day date, location text, extensions text[], business_hours_only boolean)
 returns table(agent_extension text, agent_email citext, agent_name text, location text, business_day date, calls_handled integer,
               calls_handled_inbound integer, calls_missed integer, talk_seconds bigint, hold_seconds bigint, acw_seconds bigint,
               calls_talk_unknown integer, available_seconds bigint, fcr_resolved integer, fcr_final integer, fcr_provisional integer,
               appointments integer, csat_sum integer, csat_count integer, quality_score_sum numeric, quality_reviews integer)
 language sql
 stable
as $function$
  select d.agent_extension, d.agent_email, d.agent_name, d.location, d.business_day, d.calls_handled, d.calls_handled_inbound, d.calls_missed,
         d.talk_seconds, d.hold_seconds, d.acw_seconds, d.calls_talk_unknown, coalesce(d.available_seconds, 0)::bigint, d.fcr_resolved, d.fcr_final,
         d.fcr_provisional, d.appointments, d.csat_sum, d.csat_count, d.quality_score_sum, d.quality_reviews
    from app_public.agent_daily_kpis d
   where d.business_day between $1 and $2
     and ($3 is null or d.location = $3)
     and ($4 is null or d.agent_extension = any ($4))
     and (not coalesce($5, false)
          or coalesce((select app_hidden.report_weekdays()) operator(pg_catalog.->) d.location, '[1,2,3,4,5]'::jsonb)
             operator(pg_catalog.@>) pg_catalog.to_jsonb(pg_catalog.date_part('isodow', d.business_day)::integer))
$function$;
comment on function app_hidden.report_agent_days(date, date, text, text[], boolean) is 'The stored agent days a report counts, under the caller''s row rules: the range, optionally one location and some extensions, and with business_hours_only only each location''s business weekdays (agent figures are stored per day, not split by hour).';
revoke all on function app_hidden.report_agent_days(date, date, text, text[], boolean) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_hidden.report_agent_days(date, date, text, text[], boolean) to app_visitor;

-- The goals a report judges: the stored goal rows overlapping the range (their own row rules: your own, your
-- locations' people's, everyone's), with the actuals and goals met the KPI engine keeps on them (over each goal's
-- period up to today), as goal_achievements rows. Active and completed goals only (paused and revised ones are not
-- judged).
create or replace function app_hidden.report_goals(from_day date, to_day date, location text, agent_email citext)
 returns setof app_public.goal_achievements
 language sql
 stable
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
  with home as (
    select distinct on (a.user_email) a.user_email as email, a.location_name as location, a.display_name
      from app_public.agents a where a.is_active and a.user_email is not null
     order by a.user_email, a.extension
  )
  select g.id, g.agent_email, coalesce(h.display_name, g.agent_email::text), h.location, g.goal_period, g.period_start_date, g.period_end_date,
         g.goal_status, g.team_goal_id, g.period_start_date, least(g.period_end_date, app_hidden.business_day(now())),
         g.calls_per_day_target, g.calls_per_day_actual, g.talk_time_percentage_target, g.talk_time_percentage_actual,
         g.first_call_resolution_target, g.first_call_resolution_actual, g.customer_satisfaction_target, g.customer_satisfaction_actual,
         g.appointment_conversion_target, g.appointment_conversion_actual, g.quality_score_target, g.quality_score_actual,
         g.goals_met, g.total_goals, g.achievement_percentage, g.total_goals > 0 and g.goals_met = g.total_goals
    from app_public.performance_goals g
    left join home h on h.email = g.agent_email
   where g.period_start_date <= report_goals.to_day and g.period_end_date >= report_goals.from_day
     and g.goal_status in ('active', 'completed') and g.total_goals > 0
     and (report_goals.location is null or h.location = report_goals.location)
     and (report_goals.agent_email is null or g.agent_email = report_goals.agent_email)
$function$;
comment on function app_hidden.report_goals(date, date, text, citext) is 'The goals (with targets, active or completed) overlapping a range that the caller may see, optionally one location''s agents or one agent, with the actuals and goals met stored on them (each goal''s period up to today).';
revoke all on function app_hidden.report_goals(date, date, text, citext) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_hidden.report_goals(date, date, text, citext) to app_visitor;

-- The shifts a report counts, under the shifts' row rules: the range, optionally one location, with business_hours_only
-- the location's business weekdays; scheduled and adherent seconds as app_hidden.shift_scheduled_seconds and
-- app_hidden.shift_adherent_seconds count them (shifts/shift-rules.sql: the scheduled window as local times in the
-- business zone, an end before the start the next day; time worked inside it, an open shift up to now), written out
-- here with the zone read once so that a month of shifts costs milliseconds, not a function call per shift.
create or replace function app_hidden.report_shifts(from_day date, to_day date, location text, business_hours_only boolean)
 returns table(agent_email citext, location text, shift_date date, unscheduled boolean, absent boolean, tardiness_minutes integer,
               actual_start_time timestamp with time zone, scheduled_seconds bigint, adherent_seconds bigint)
 language sql
 stable
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
  select s.agent_email, s.location, s.shift_date, s.unscheduled, s.shift_status = 'absent', s.tardiness_minutes, s.actual_start_time,
         case when not s.unscheduled then extract(epoch from (w.hi - w.lo))::bigint end,
         case when s.unscheduled then null
              when s.actual_start_time is null then 0
              else greatest(0, extract(epoch from (least(coalesce(s.actual_end_time, greatest(now(), s.actual_start_time)), w.hi)
                                                   - greatest(s.actual_start_time, w.lo))))::bigint end
    from app_public.agent_shifts s
    cross join (select app_hidden.business_timezone() as tz, app_hidden.report_weekdays() as weekdays) z
    cross join lateral (select (s.shift_date + s.scheduled_start_time) at time zone z.tz as lo,
                               ((s.shift_date + case when s.scheduled_end_time < s.scheduled_start_time then 1 else 0 end) + s.scheduled_end_time) at time zone z.tz as hi) w
   where s.shift_date between report_shifts.from_day and report_shifts.to_day
     and (report_shifts.location is null or s.location = report_shifts.location)
     and (not coalesce(report_shifts.business_hours_only, false)
          or coalesce(z.weekdays -> s.location, '[1,2,3,4,5]') @> to_jsonb(extract(isodow from s.shift_date)::integer))
$function$;
comment on function app_hidden.report_shifts(date, date, text, boolean) is 'The shifts a report counts under their row rules (range, location, business weekdays when asked): absent, lateness, and scheduled and adherent seconds as docs/kpis.md defines them (NULL for an unscheduled shift).';
revoke all on function app_hidden.report_shifts(date, date, text, boolean) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_hidden.report_shifts(date, date, text, boolean) to app_visitor;
--! EndIncluded reports/business-hours.sql
drop function if exists app_hidden.report_business_weekday(text, date);
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
  select a.call_id, a.area_code from unnest(call_ids) u(call_id) join app_private.call_area_codes a on a.call_id = u.call_id
$function$;
comment on function app_hidden.report_call_area_codes(text[]) is 'The stored area codes of the given calls (whose ids the caller read under their row rules); for the call analytics report''s suppressed table only.';
revoke all on function app_hidden.report_call_area_codes(text[]) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_hidden.report_call_area_codes(text[]) to app_visitor;
--! EndIncluded reports/area-codes.sql
--! Included reports/team-performance.sql
-- The team performance report (GET /api/reports/team-performance): the range's service level against its goal,
-- abandonment, volumes, ASA and who is behind their goals first; then a row per location and day and a row per
-- agent; charts of the service level by 15-minute interval, the daily trend and the answered calls' waits.
-- Queue figures come from the 15-minute interval stats (inside business hours when asked), agent and team
-- figures from the stored daily figures (limited to business weekdays when asked), goals from
-- the stored goal rows (app_hidden.report_goals): every number as docs/kpis.md defines it, under the caller's row rules.
create or replace function app_public.report_team_performance(from_day date, to_day date, location text default null,
                                                              business_hours_only boolean default false)
 returns jsonb
 language plpgsql
 stable
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
#variable_conflict use_variable
declare
  tz constant text := app_hidden.business_timezone();
  weekdays constant jsonb := app_hidden.report_weekdays();
  bh constant boolean := coalesce(business_hours_only, false);
  locs text[];
  q record;
  a record;
  sl_goal numeric;
  behind_names text[];
  summary jsonb;
  day_rows jsonb;
  agent_rows jsonb;
  behind_rows jsonb;
  chart_interval jsonb;
  chart_trend jsonb;
  chart_waits jsonb;
  warnings jsonb := '[]'::jsonb;
  ivs app_public.queue_interval_kpis[];
  goals app_public.goal_achievements[];
begin
  perform app_hidden.require_permission('viewTeamPerformance');
  perform app_hidden.report_check_arguments(from_day, to_day, location, null, null);
  locs := app_hidden.report_locations(location);

  -- (kept in arrays: a report is a query, so its function is stable and may not write temporary tables)
  select coalesce(array_agg(i), '{}') into ivs from app_hidden.report_queue_intervals(from_day, to_day, location, bh) i;

  -- The range's queue figures; the service level summed per abandon mode (docs/kpis.md), its goal the queues'
  -- goals weighted by their service-level denominators (one goal when every queue has the same).
  select sum(i.offered)::bigint as offered, sum(i.answered)::bigint as answered, sum(i.abandoned)::bigint as abandoned,
         sum(i.short_abandoned)::bigint as short_abandoned, sum(i.voicemail)::bigint as voicemail, sum(i.missed)::bigint as missed,
         sum(i.answered_within_sl + case when i.abandon_mode = 'positive' then i.abandoned_within_sl else 0 end)::bigint as sl_numerator,
         sum(i.service_level_denominator)::bigint as sl_denominator,
         sum(i.answered_wait_seconds)::bigint as answered_wait_seconds, sum(i.answered_known_wait)::bigint as answered_known_wait,
         max(i.max_wait_seconds) as max_wait_seconds,
         round(sum(s.sl_goal_pct * i.service_level_denominator) / nullif(sum(i.service_level_denominator), 0), 2) as weighted_goal
    into q
    from unnest(ivs) i
    left join app_hidden.effective_queue_settings s on s.queue_name = i.queue;
  sl_goal := coalesce(q.weighted_goal, (select s.sl_goal_pct from app_hidden.effective_queue_settings s where s.location = any (locs) group by s.sl_goal_pct order by count(*) desc, s.sl_goal_pct desc limit 1),
                      (select d.sl_goal_pct from app_hidden.kpi_defaults() d));

  -- Who is behind: agents with a goal over the range (targets set) not every target of which is met.
  select coalesce(array_agg(g), '{}') into goals
    from app_hidden.report_goals(from_day, to_day, location, null) g;
  select array_agg(distinct coalesce(g.agent_name, g.agent_email::text) order by coalesce(g.agent_name, g.agent_email::text))
    into behind_names from unnest(goals) g where not g.all_met;

  -- A row per agent (business weekdays only when asked), with their goals; the totals summed, then divided.
  with agent_goals as (
    select g.agent_email, sum(g.goals_met)::integer as goals_met, sum(g.total_goals)::integer as total_goals, bool_and(g.all_met) as all_met
      from unnest(goals) g group by g.agent_email
  )
  select coalesce(jsonb_agg(jsonb_build_object(
           'agent_name', x.agent_name, 'agent_email', x.agent_email, 'agent_extension', x.agent_extension, 'location', x.location,
           'days', x.days, 'calls_handled', x.calls_handled, 'calls_missed', x.calls_missed,
           'aht_seconds', app_hidden.per(x.talk_seconds + x.hold_seconds + x.acw_seconds, x.calls_handled - x.calls_talk_unknown),
           'calls_per_hour', case when x.available_seconds > 0 then round(x.calls_handled / (x.available_seconds / 3600.0), 2) end,
           'utilization_pct', app_hidden.pct(x.talk_seconds + x.acw_seconds, x.available_seconds),
           'fcr_pct', app_hidden.report_fcr_pct(x.fcr_resolved, x.fcr_final, x.fcr_provisional),
           'goals_met', g.goals_met, 'total_goals', g.total_goals, 'behind', case when g.total_goals > 0 then not g.all_met end,
           'provisional', case when x.fcr_provisional > 0 then '["fcr_pct"]'::jsonb else '[]'::jsonb end)
         order by x.location, x.agent_name, x.agent_extension), '[]'::jsonb) as agent_rows,
         sum(x.calls_handled)::bigint as calls_handled, sum(x.fcr_resolved)::bigint as fcr_resolved, sum(x.fcr_final)::bigint as fcr_final,
         sum(x.fcr_provisional)::bigint as fcr_provisional,
         sum(x.talk_seconds + x.hold_seconds + x.acw_seconds)::bigint as handle_seconds, sum(x.calls_handled - x.calls_talk_unknown)::bigint as aht_calls
    into a
    from (select d.agent_extension, d.agent_email, d.agent_name, d.location, count(*)::integer as days, sum(d.calls_handled) as calls_handled,
                 sum(d.calls_missed) as calls_missed, sum(d.talk_seconds) as talk_seconds, sum(d.hold_seconds) as hold_seconds, sum(d.acw_seconds) as acw_seconds,
                 sum(d.calls_talk_unknown) as calls_talk_unknown, coalesce(sum(d.available_seconds), 0) as available_seconds,
                 sum(d.fcr_resolved) as fcr_resolved, sum(d.fcr_final) as fcr_final, sum(d.fcr_provisional) as fcr_provisional
            from app_hidden.report_agent_days(from_day, to_day, location, null, bh) d group by d.agent_extension, d.agent_email, d.agent_name, d.location) x left join agent_goals g on g.agent_email = x.agent_email;

  agent_rows := a.agent_rows;

  summary := jsonb_build_array(
    app_hidden.report_item('service_level_pct', 'Service level', app_hidden.pct(q.sl_numerator, q.sl_denominator), 'pct', sl_goal,
      case when q.sl_denominator > 0 then case when app_hidden.pct(q.sl_numerator, q.sl_denominator) >= sl_goal then 'ok' else 'behind' end end,
      case when q.sl_denominator > 0 then format('%s of %s calls answered within the threshold', q.sl_numerator, q.sl_denominator) else 'No calls offered' end),
    app_hidden.report_item('abandonment_rate_pct', 'Abandonment', app_hidden.pct(q.abandoned, q.offered - q.short_abandoned), 'pct', null, null,
      format('%s abandoned of %s offered (%s short abandons left out)', coalesce(q.abandoned, 0), coalesce(q.offered - q.short_abandoned, 0), coalesce(q.short_abandoned, 0))),
    app_hidden.report_item('offered', 'Calls offered', coalesce(q.offered, 0), 'int'),
    app_hidden.report_item('answered', 'Calls answered', coalesce(q.answered, 0), 'int'),
    app_hidden.report_item('abandoned', 'Calls abandoned', coalesce(q.abandoned, 0), 'int'),
    app_hidden.report_item('asa_seconds', 'Average speed of answer', app_hidden.per(q.answered_wait_seconds, q.answered_known_wait), 'seconds'),
    app_hidden.report_item('calls_handled', 'Calls handled by agents', coalesce(a.calls_handled, 0), 'int'),
    app_hidden.report_item('aht_seconds', 'Average handle time', app_hidden.per(a.handle_seconds, a.aht_calls), 'seconds'),
    app_hidden.report_item('fcr_pct', 'First-call resolution', app_hidden.report_fcr_pct(a.fcr_resolved, a.fcr_final, a.fcr_provisional), 'pct', null,
      case when coalesce(a.fcr_provisional, 0) > 0 then 'provisional' end,
      case when coalesce(a.fcr_provisional, 0) > 0 then format('%s calls still inside their repeat-call window', a.fcr_provisional) end),
    app_hidden.report_item('agents_behind', 'Agents behind their goals', coalesce(cardinality(behind_names), 0), 'int', null,
      case when cardinality(goals) > 0 then case when coalesce(cardinality(behind_names), 0) > 0 then 'behind' else 'ok' end end,
      case when cardinality(behind_names) > 0 then array_to_string(behind_names, ', ')
           when cardinality(goals) = 0 then 'No goals set over the range' else 'Everyone with a goal meets it' end));

  -- A row per location and day: the queue figures beside the team's.
  with qd as (
    select i.location, i.business_day, sum(i.offered) as offered, sum(i.answered) as answered, sum(i.abandoned) as abandoned,
           sum(i.short_abandoned) as short_abandoned,
           sum(i.answered_within_sl + case when i.abandon_mode = 'positive' then i.abandoned_within_sl else 0 end) as sl_numerator,
           sum(i.service_level_denominator) as sl_denominator, sum(i.answered_wait_seconds) as wait_seconds, sum(i.answered_known_wait) as known_wait
      from unnest(ivs) i group by i.location, i.business_day
  ), td as (
    select t.* from app_public.team_daily_kpis t
     where not t.all_locations and t.business_day between from_day and to_day and t.location = any (locs)
       and (not bh or coalesce(weekdays -> t.location, '[1,2,3,4,5]') @> to_jsonb(extract(isodow from t.business_day)::integer))
  ), day_figures as (
    select coalesce(qd.location, td.location) as location, coalesce(qd.business_day, td.business_day) as business_day,
           coalesce(qd.offered, 0) as offered, coalesce(qd.answered, 0) as answered, coalesce(qd.abandoned, 0) as abandoned,
           app_hidden.pct(qd.sl_numerator, qd.sl_denominator) as service_level_pct,
           app_hidden.pct(qd.abandoned, qd.offered - qd.short_abandoned) as abandonment_rate_pct,
           app_hidden.per(qd.wait_seconds, qd.known_wait) as asa_seconds,
           coalesce(td.active_agents, 0) as active_agents, coalesce(td.calls_handled, 0) as calls_handled, td.aht_seconds,
           app_hidden.report_fcr_pct(td.fcr_resolved, td.fcr_final, td.fcr_provisional) as fcr_pct, coalesce(td.fcr_provisional, 0) as fcr_provisional,
           td.utilization_pct, td.schedule_adherence_pct, td.attendance_rate_pct
      from qd full join td on td.location = qd.location and td.business_day = qd.business_day
  )
  select coalesce(jsonb_agg(jsonb_build_object(
           'location', r.location, 'business_day', r.business_day, 'offered', r.offered, 'answered', r.answered, 'abandoned', r.abandoned,
           'service_level_pct', r.service_level_pct, 'abandonment_rate_pct', r.abandonment_rate_pct, 'asa_seconds', r.asa_seconds,
           'active_agents', r.active_agents, 'calls_handled', r.calls_handled, 'aht_seconds', r.aht_seconds, 'fcr_pct', r.fcr_pct,
           'utilization_pct', r.utilization_pct, 'schedule_adherence_pct', r.schedule_adherence_pct, 'attendance_rate_pct', r.attendance_rate_pct,
           'provisional', case when r.fcr_provisional > 0 then '["fcr_pct"]'::jsonb else '[]'::jsonb end)
         order by r.business_day, r.location), '[]'::jsonb),
         coalesce(jsonb_agg(jsonb_build_object('business_day', r.business_day, 'location', r.location, 'service_level_pct', r.service_level_pct, 'goal', sl_goal)
                  order by r.business_day, r.location) filter (where r.service_level_pct is not null), '[]'::jsonb)
    into day_rows, chart_trend
    from day_figures r;

  select coalesce(jsonb_agg(jsonb_build_object(
           'agent_name', g.agent_name, 'agent_email', g.agent_email, 'location', g.location, 'goal_period', g.goal_period,
           'period_start_date', g.period_start_date, 'period_end_date', g.period_end_date, 'goals_met', g.goals_met, 'total_goals', g.total_goals,
           'achievement_pct', g.achievement_pct)
         order by g.achievement_pct nulls first, g.agent_name, g.period_start_date), '[]'::jsonb)
    into behind_rows
    from unnest(goals) g where not g.all_met;

  -- Service level against goal by 15-minute interval of the day (local time), the range's intervals added up.
  select coalesce(jsonb_agg(jsonb_build_object('interval', x.slot, 'service_level_pct', app_hidden.pct(x.num, x.den), 'offered', x.offered, 'goal', sl_goal)
                  order by x.slot), '[]'::jsonb)
    into chart_interval
    from (select to_char(i.interval_start at time zone tz, 'HH24:MI') as slot,
                 sum(i.answered_within_sl + case when i.abandon_mode = 'positive' then i.abandoned_within_sl else 0 end) as num,
                 sum(i.service_level_denominator) as den, sum(i.offered) as offered
            from unnest(ivs) i group by 1) x;

  -- The answered calls' known waits in bands (the stored cumulative bands, differenced).
  select jsonb_build_array(
           jsonb_build_object('band', '0–10 s', 'calls', coalesce(sum(i.answered_wait_le_10), 0)),
           jsonb_build_object('band', '11–20 s', 'calls', coalesce(sum(i.answered_wait_le_20 - i.answered_wait_le_10), 0)),
           jsonb_build_object('band', '21–30 s', 'calls', coalesce(sum(i.answered_wait_le_30 - i.answered_wait_le_20), 0)),
           jsonb_build_object('band', '31–60 s', 'calls', coalesce(sum(i.answered_wait_le_60 - i.answered_wait_le_30), 0)),
           jsonb_build_object('band', '61–120 s', 'calls', coalesce(sum(i.answered_wait_le_120 - i.answered_wait_le_60), 0)),
           jsonb_build_object('band', 'over 120 s', 'calls', coalesce(sum(i.answered_wait_gt_120), 0)))
    into chart_waits
    from unnest(ivs) i;

  if to_day > app_hidden.business_day(now()) then
    warnings := warnings || jsonb_build_object('code', 'range_after_today', 'message', 'The range ends after today: its later days have no calls yet.');
  end if;

  return app_hidden.report_document('team_performance', 'Team performance', from_day, to_day,
    jsonb_build_object('location', location, 'locations', to_jsonb(locs), 'business_hours_only', bh),
    summary,
    jsonb_build_array(
      jsonb_build_object('key', 'locations_by_day', 'title', 'Locations by day', 'columns', jsonb_build_array(
          app_hidden.report_column('business_day', 'Day', 'date'), app_hidden.report_column('location', 'Location', 'text'),
          app_hidden.report_column('offered', 'Offered', 'int'), app_hidden.report_column('answered', 'Answered', 'int'),
          app_hidden.report_column('abandoned', 'Abandoned', 'int'), app_hidden.report_column('service_level_pct', 'Service level', 'pct'),
          app_hidden.report_column('abandonment_rate_pct', 'Abandonment', 'pct'), app_hidden.report_column('asa_seconds', 'ASA', 'seconds'),
          app_hidden.report_column('active_agents', 'Active agents', 'int'), app_hidden.report_column('calls_handled', 'Handled', 'int'),
          app_hidden.report_column('aht_seconds', 'AHT', 'seconds'), app_hidden.report_column('fcr_pct', 'FCR', 'pct'),
          app_hidden.report_column('utilization_pct', 'Utilization', 'pct'), app_hidden.report_column('schedule_adherence_pct', 'Adherence', 'pct'),
          app_hidden.report_column('attendance_rate_pct', 'Attendance', 'pct')),
        'rows', day_rows,
        'notes', case when bh then jsonb_build_array('Queue figures count only the 15-minute intervals inside each location''s business hours; agent and team figures are whole business weekdays (they are stored per day).')
                      else '[]'::jsonb end),
      jsonb_build_object('key', 'agents', 'title', 'Agents', 'columns', jsonb_build_array(
          app_hidden.report_column('agent_name', 'Agent', 'text'), app_hidden.report_column('agent_extension', 'Extension', 'text'),
          app_hidden.report_column('location', 'Location', 'text'), app_hidden.report_column('days', 'Days', 'int'),
          app_hidden.report_column('calls_handled', 'Handled', 'int'), app_hidden.report_column('calls_missed', 'Missed', 'int'),
          app_hidden.report_column('aht_seconds', 'AHT', 'seconds'), app_hidden.report_column('calls_per_hour', 'Calls per hour', 'number'),
          app_hidden.report_column('utilization_pct', 'Utilization', 'pct'), app_hidden.report_column('fcr_pct', 'FCR', 'pct'),
          app_hidden.report_column('goals_met', 'Goals met', 'int'), app_hidden.report_column('total_goals', 'Goals', 'int'),
          app_hidden.report_column('behind', 'Behind', 'bool')),
        'rows', agent_rows),
      jsonb_build_object('key', 'behind', 'title', 'Agents behind their goals', 'columns', jsonb_build_array(
          app_hidden.report_column('agent_name', 'Agent', 'text'), app_hidden.report_column('location', 'Location', 'text'),
          app_hidden.report_column('goal_period', 'Period', 'text'), app_hidden.report_column('period_start_date', 'From', 'date'),
          app_hidden.report_column('period_end_date', 'To', 'date'), app_hidden.report_column('goals_met', 'Goals met', 'int'),
          app_hidden.report_column('total_goals', 'Goals', 'int'), app_hidden.report_column('achievement_pct', 'Achievement', 'pct')),
        'rows', behind_rows)),
    jsonb_build_array(
      jsonb_build_object('key', 'service_level_by_interval', 'title', 'Service level against goal by 15-minute interval', 'kind', 'line',
        'x', jsonb_build_object('field', 'interval', 'title', 'Interval (local time)', 'type', 'ordinal'),
        'y', jsonb_build_object('field', 'service_level_pct', 'title', 'Service level', 'type', 'pct'),
        'series', null, 'goal', sl_goal, 'data', chart_interval),
      jsonb_build_object('key', 'service_level_trend', 'title', 'Service level by day', 'kind', 'line',
        'x', jsonb_build_object('field', 'business_day', 'title', 'Day', 'type', 'temporal'),
        'y', jsonb_build_object('field', 'service_level_pct', 'title', 'Service level', 'type', 'pct'),
        'series', 'location', 'goal', sl_goal, 'data', chart_trend),
      jsonb_build_object('key', 'wait_distribution', 'title', 'Answered calls by wait', 'kind', 'histogram',
        'x', jsonb_build_object('field', 'band', 'title', 'Wait', 'type', 'ordinal'),
        'y', jsonb_build_object('field', 'calls', 'title', 'Calls', 'type', 'int'),
        'series', null, 'goal', null, 'data', chart_waits)),
    warnings);
end;
$function$;
comment on function app_public.report_team_performance(date, date, text, boolean) is 'The team performance report as a document (server/reports/report-document.ts): summary (service level against its goal, abandonment, volumes, ASA, AHT, FCR, agents behind their goals), a row per location and day, a row per agent, the goals not met, and charts (service level by 15-minute interval, by day, answered calls by wait). One location or all you may see; businessHoursOnly counts queue figures inside each location''s business hours and agent figures on its business weekdays. Needs viewTeamPerformance. Errors: CC711-CC715 as for the range figures, CC971 a location you may not report on.';
revoke all on function app_public.report_team_performance(date, date, text, boolean) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_public.report_team_performance(date, date, text, boolean) to app_visitor;
--! EndIncluded reports/team-performance.sql
--! Included reports/agent-performance.sql
-- The agent performance report (GET /api/reports/agent-performance): one agent (email: each of the person's
-- extensions; or one extension) over a range: handled and missed calls, AHT, calls per hour, utilization,
-- occupancy, FCR (provisional while windows are open), appointments, satisfaction, QA and schedule adherence
-- first, with their goals; then a row per day, per shift and per goal; charts of calls and AHT by day.
-- Agents may report on themselves only; supervisors on the agents of their locations; managers on anyone.
create or replace function app_public.report_agent_performance(from_day date, to_day date, agent text,
                                                               business_hours_only boolean default false)
 returns jsonb
 language plpgsql
 stable
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
#variable_conflict use_variable
declare
  tz constant text := app_hidden.business_timezone();
  weekdays constant jsonb := app_hidden.report_weekdays();
  bh constant boolean := coalesce(business_hours_only, false);
  exts text[];
  person citext;
  days app_public.agent_daily_kpis[];
  shifts app_public.shift_kpis[];
  goals app_public.goal_achievements[];
  t record;
  s record;
  g record;
  name text;
  day_rows jsonb;
  shift_rows jsonb;
  goal_rows jsonb;
  chart_days jsonb;
begin
  perform app_hidden.require_permission('viewOwnPerformance');
  if agent is null then
    raise exception 'agent is required: an email or an extension.' using errcode = 'CC711', column = 'agent';
  end if;
  perform app_hidden.report_check_arguments(from_day, to_day, null, null, agent);
  exts := app_hidden.agent_extensions(agent);
  person := app_hidden.agent_person(agent);
  -- The directory may show colleagues; their figures are the caller's only as the row rules say.
  if not app_hidden.sees_all() and (person is null or not person = any (app_hidden.visible_people()))
     and not exists (select 1 from app_public.agents a where a.extension = any (exts) and a.location_name = any (app_hidden.team_locations())) then
    raise exception 'No agent with email or extension % that you may see.', agent using errcode = 'CC716', column = 'agent';
  end if;
  select coalesce(array_agg(d order by d.business_day, d.agent_extension), '{}') into days
    from app_public.agent_daily_kpis d
   where d.agent_extension = any (exts) and d.business_day between from_day and to_day
     and (not bh or coalesce(weekdays -> d.location, '[1,2,3,4,5]') @> to_jsonb(extract(isodow from d.business_day)::integer));
  name := coalesce((select max(d.agent_name) from unnest(days) d), (select max(x.display_name) from app_public.agents x where x.extension = any (exts)),
                   person::text, agent);
  select coalesce(array_agg(x), '{}') into shifts
    from app_public.shift_kpis_for_range(from_day, to_day, agent, null) x
   where not bh or coalesce(weekdays -> x.location, '[1,2,3,4,5]') @> to_jsonb(extract(isodow from x.shift_date)::integer);
  select coalesce(array_agg(x), '{}') into goals
    from app_hidden.goal_achievement_rows(from_day, to_day, coalesce(person, ''), null, null) x where x.total_goals > 0;

  select sum(d.calls_handled)::bigint as calls_handled, sum(d.calls_handled_inbound)::bigint as calls_handled_inbound, sum(d.calls_missed)::bigint as calls_missed,
         sum(d.talk_seconds)::bigint as talk_seconds, sum(d.hold_seconds)::bigint as hold_seconds, sum(d.acw_seconds)::bigint as acw_seconds,
         sum(d.calls_talk_unknown)::bigint as calls_talk_unknown, coalesce(sum(d.available_seconds), 0)::bigint as available_seconds,
         sum(d.fcr_resolved)::bigint as fcr_resolved, sum(d.fcr_final)::bigint as fcr_final, sum(d.fcr_provisional)::bigint as fcr_provisional,
         sum(d.appointments)::bigint as appointments, sum(d.csat_sum)::bigint as csat_sum, sum(d.csat_count)::bigint as csat_count,
         sum(d.quality_score_sum) as quality_score_sum, sum(d.quality_reviews)::bigint as quality_reviews, count(distinct d.business_day)::integer as days
    into t from unnest(days) d;
  select sum(x.scheduled_seconds)::bigint as scheduled_seconds, sum(x.adherent_seconds)::bigint as adherent_seconds,
         count(*) filter (where x.absent)::integer as absences, count(*) filter (where x.tardiness_minutes > 0)::integer as late,
         count(*)::integer as shifts
    into s from unnest(shifts) x;
  select coalesce(sum(x.goals_met), 0)::integer as goals_met, coalesce(sum(x.total_goals), 0)::integer as total_goals,
         count(*) filter (where not x.all_met)::integer as behind
    into g from unnest(goals) x;

  select coalesce(jsonb_agg(jsonb_build_object(
           'business_day', d.business_day, 'agent_extension', d.agent_extension, 'location', d.location,
           'calls_handled', d.calls_handled, 'calls_missed', d.calls_missed, 'aht_seconds', d.aht_seconds, 'calls_per_hour', d.calls_per_hour,
           'utilization_pct', d.utilization_pct, 'occupancy_pct', d.occupancy_pct,
           'fcr_pct', app_hidden.report_fcr_pct(d.fcr_resolved, d.fcr_final, d.fcr_provisional),
           'appointment_conversion_pct', d.appointment_conversion_pct, 'csat_avg', d.csat_avg,
           'provisional', case when d.fcr_provisional > 0 then '["fcr_pct"]'::jsonb else '[]'::jsonb end)
         order by d.business_day, d.agent_extension), '[]'::jsonb),
         coalesce(jsonb_agg(jsonb_build_object('business_day', d.business_day, 'calls_handled', d.calls_handled, 'aht_seconds', d.aht_seconds)
                  order by d.business_day, d.agent_extension), '[]'::jsonb)
    into day_rows, chart_days
    from unnest(days) d;
  select coalesce(jsonb_agg(jsonb_build_object(
           'shift_date', x.shift_date, 'location', x.location, 'shift_status', x.shift_status, 'tardiness_minutes', x.tardiness_minutes,
           'early_departure_minutes', x.early_departure_minutes, 'adherence_pct', x.adherence_pct, 'available_seconds', x.available_seconds,
           'calls_handled', x.calls_handled, 'utilization_pct', x.utilization_pct)
         order by x.shift_date, x.actual_start_time), '[]'::jsonb)
    into shift_rows from unnest(shifts) x;
  select coalesce(jsonb_agg(jsonb_build_object(
           'goal_period', x.goal_period, 'period_start_date', x.period_start_date, 'period_end_date', x.period_end_date,
           'calls_per_day_target', x.calls_per_day_target, 'calls_per_day_actual', x.calls_per_day_actual,
           'talk_time_pct_target', x.talk_time_pct_target, 'talk_time_pct_actual', x.talk_time_pct_actual,
           'first_call_resolution_target', x.first_call_resolution_target, 'first_call_resolution_actual', x.first_call_resolution_actual,
           'customer_satisfaction_target', x.customer_satisfaction_target, 'customer_satisfaction_actual', x.customer_satisfaction_actual,
           'appointment_conversion_target', x.appointment_conversion_target, 'appointment_conversion_actual', x.appointment_conversion_actual,
           'quality_score_target', x.quality_score_target, 'quality_score_actual', x.quality_score_actual,
           'goals_met', x.goals_met, 'total_goals', x.total_goals, 'all_met', x.all_met)
         order by x.period_start_date, x.goal_period), '[]'::jsonb)
    into goal_rows from unnest(goals) x;

  return app_hidden.report_document('agent_performance', 'Agent performance: ' || name, from_day, to_day,
    jsonb_build_object('agent', agent, 'agent_email', person, 'agent_extensions', to_jsonb(exts), 'business_hours_only', bh),
    jsonb_build_array(
      app_hidden.report_item('calls_handled', 'Calls handled', coalesce(t.calls_handled, 0), 'int'),
      app_hidden.report_item('calls_missed', 'Calls missed', coalesce(t.calls_missed, 0), 'int'),
      app_hidden.report_item('aht_seconds', 'Average handle time', app_hidden.per(t.talk_seconds + t.hold_seconds + t.acw_seconds, t.calls_handled - t.calls_talk_unknown), 'seconds'),
      app_hidden.report_item('calls_per_hour', 'Calls per hour', case when t.available_seconds > 0 then round(t.calls_handled / (t.available_seconds / 3600.0), 2) end, 'number'),
      app_hidden.report_item('utilization_pct', 'Utilization', app_hidden.pct(t.talk_seconds + t.acw_seconds, t.available_seconds), 'pct'),
      app_hidden.report_item('occupancy_pct', 'Occupancy', app_hidden.pct(t.talk_seconds + t.hold_seconds + t.acw_seconds, t.available_seconds), 'pct'),
      app_hidden.report_item('fcr_pct', 'First-call resolution', app_hidden.report_fcr_pct(t.fcr_resolved, t.fcr_final, t.fcr_provisional), 'pct', null,
        case when coalesce(t.fcr_provisional, 0) > 0 then 'provisional' end,
        case when coalesce(t.fcr_provisional, 0) > 0 then format('%s calls still inside their repeat-call window', t.fcr_provisional) end),
      app_hidden.report_item('appointment_conversion_pct', 'Appointment conversion', app_hidden.pct(t.appointments, t.calls_handled_inbound), 'pct'),
      app_hidden.report_item('csat_avg', 'Satisfaction (1–5)', case when t.csat_count > 0 then round(t.csat_sum::numeric / t.csat_count, 2) end, 'number'),
      app_hidden.report_item('quality_score_avg', 'QA score', case when t.quality_reviews > 0 then round(t.quality_score_sum / t.quality_reviews, 2) end, 'pct'),
      app_hidden.report_item('schedule_adherence_pct', 'Schedule adherence', app_hidden.pct(s.adherent_seconds, s.scheduled_seconds), 'pct', null, null,
        case when s.shifts > 0 then format('%s shifts, %s late, %s absent', s.shifts, s.late, s.absences) end),
      app_hidden.report_item('goals_met', 'Goals met', g.goals_met, 'int', g.total_goals,
        case when g.total_goals > 0 then case when g.behind > 0 then 'behind' else 'ok' end end,
        case when g.total_goals = 0 then 'No goals set over the range' else format('%s of %s targets met', g.goals_met, g.total_goals) end)),
    jsonb_build_array(
      jsonb_build_object('key', 'days', 'title', 'By day', 'columns', jsonb_build_array(
          app_hidden.report_column('business_day', 'Day', 'date'), app_hidden.report_column('agent_extension', 'Extension', 'text'),
          app_hidden.report_column('calls_handled', 'Handled', 'int'), app_hidden.report_column('calls_missed', 'Missed', 'int'),
          app_hidden.report_column('aht_seconds', 'AHT', 'seconds'), app_hidden.report_column('calls_per_hour', 'Calls per hour', 'number'),
          app_hidden.report_column('utilization_pct', 'Utilization', 'pct'), app_hidden.report_column('occupancy_pct', 'Occupancy', 'pct'),
          app_hidden.report_column('fcr_pct', 'FCR', 'pct'), app_hidden.report_column('appointment_conversion_pct', 'Appointments', 'pct'),
          app_hidden.report_column('csat_avg', 'Satisfaction', 'number')),
        'rows', day_rows,
        'notes', case when bh then jsonb_build_array('Agent figures are stored per day: with the business-hours limit they cover the location''s business weekdays, whole days.') else '[]'::jsonb end),
      jsonb_build_object('key', 'shifts', 'title', 'Shifts', 'columns', jsonb_build_array(
          app_hidden.report_column('shift_date', 'Day', 'date'), app_hidden.report_column('location', 'Location', 'text'),
          app_hidden.report_column('shift_status', 'Status', 'text'), app_hidden.report_column('tardiness_minutes', 'Late (min)', 'int'),
          app_hidden.report_column('early_departure_minutes', 'Left early (min)', 'int'), app_hidden.report_column('adherence_pct', 'Adherence', 'pct'),
          app_hidden.report_column('available_seconds', 'Available', 'seconds'), app_hidden.report_column('calls_handled', 'Handled', 'int'),
          app_hidden.report_column('utilization_pct', 'Utilization', 'pct')),
        'rows', shift_rows),
      jsonb_build_object('key', 'goals', 'title', 'Goals', 'columns', jsonb_build_array(
          app_hidden.report_column('goal_period', 'Period', 'text'), app_hidden.report_column('period_start_date', 'From', 'date'),
          app_hidden.report_column('period_end_date', 'To', 'date'),
          app_hidden.report_column('calls_per_day_target', 'Calls a day: target', 'number'), app_hidden.report_column('calls_per_day_actual', 'Calls a day', 'number'),
          app_hidden.report_column('talk_time_pct_target', 'Talk time: target', 'pct'), app_hidden.report_column('talk_time_pct_actual', 'Talk time', 'pct'),
          app_hidden.report_column('first_call_resolution_target', 'FCR: target', 'pct'), app_hidden.report_column('first_call_resolution_actual', 'FCR', 'pct'),
          app_hidden.report_column('customer_satisfaction_target', 'Satisfaction: target', 'number'), app_hidden.report_column('customer_satisfaction_actual', 'Satisfaction', 'number'),
          app_hidden.report_column('appointment_conversion_target', 'Appointments: target', 'pct'), app_hidden.report_column('appointment_conversion_actual', 'Appointments', 'pct'),
          app_hidden.report_column('quality_score_target', 'QA: target', 'pct'), app_hidden.report_column('quality_score_actual', 'QA', 'pct'),
          app_hidden.report_column('goals_met', 'Met', 'int'), app_hidden.report_column('total_goals', 'Targets', 'int'), app_hidden.report_column('all_met', 'All met', 'bool')),
        'rows', goal_rows)),
    jsonb_build_array(
      jsonb_build_object('key', 'calls_by_day', 'title', 'Calls handled by day', 'kind', 'bar',
        'x', jsonb_build_object('field', 'business_day', 'title', 'Day', 'type', 'ordinal'),
        'y', jsonb_build_object('field', 'calls_handled', 'title', 'Calls', 'type', 'int'), 'series', null, 'goal', null, 'data', chart_days),
      jsonb_build_object('key', 'aht_by_day', 'title', 'Average handle time by day', 'kind', 'line',
        'x', jsonb_build_object('field', 'business_day', 'title', 'Day', 'type', 'temporal'),
        'y', jsonb_build_object('field', 'aht_seconds', 'title', 'AHT', 'type', 'seconds'), 'series', null, 'goal', null, 'data', chart_days)));
end;
$function$;
comment on function app_public.report_agent_performance(date, date, text, boolean) is 'The agent performance report as a document (server/reports/report-document.ts): one agent (email: each of the person''s extensions; or one extension) over a range: calls handled and missed, AHT, calls per hour, utilization, occupancy, FCR (provisional while windows are open), appointments, satisfaction, QA, schedule adherence and goals; a row per day, shift and goal; charts of calls and AHT by day. businessHoursOnly limits the days to the location''s business weekdays. Agents may report on themselves only, supervisors on their locations'' agents, managers on anyone. Errors: CC711-CC713, CC716 an agent you may not see.';
revoke all on function app_public.report_agent_performance(date, date, text, boolean) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_public.report_agent_performance(date, date, text, boolean) to app_visitor;
--! EndIncluded reports/agent-performance.sql
--! Included reports/productivity.sql
-- The productivity report (GET /api/reports/productivity): utilization, occupancy, calls per hour and schedule
-- adherence of a location's (or every visible location's) agents over a range, with attendance and
-- punctuality; a row per agent and per location and day; charts of utilization by day and calls per hour by
-- agent. Available time is the shifts' (docs/kpis.md); figures are summed over the agents, then divided.
create or replace function app_public.report_productivity(from_day date, to_day date, location text default null,
                                                          business_hours_only boolean default false)
 returns jsonb
 language plpgsql
 stable
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
#variable_conflict use_variable
declare
  tz constant text := app_hidden.business_timezone();
  weekdays constant jsonb := app_hidden.report_weekdays();
  bh constant boolean := coalesce(business_hours_only, false);
  locs text[];
  t record;
  s record;
  agent_rows jsonb;
  day_rows jsonb;
  chart_util jsonb;
  chart_cph jsonb;
begin
  perform app_hidden.require_permission('viewTeamPerformance');
  perform app_hidden.report_check_arguments(from_day, to_day, location, null, null);
  locs := app_hidden.report_locations(location);

  select sum(x.scheduled_seconds)::bigint as scheduled_seconds, sum(x.adherent_seconds)::bigint as adherent_seconds,
         count(*) filter (where not x.unscheduled)::integer as scheduled, count(*) filter (where not x.unscheduled and not x.absent)::integer as not_absent,
         count(*) filter (where x.actual_start_time is not null)::integer as started,
         count(*) filter (where x.actual_start_time is not null and coalesce(x.tardiness_minutes, 0) = 0)::integer as on_time
    into s from app_hidden.report_shifts(from_day, to_day, location, bh) x;

  with a as (
    select d.agent_email, max(d.agent_name) as agent_name, max(d.location) as location, string_agg(distinct d.agent_extension, ', ') as extensions,
           sum(d.calls_handled) as calls_handled, sum(d.talk_seconds) as talk_seconds, sum(d.hold_seconds) as hold_seconds,
           sum(d.acw_seconds) as acw_seconds, coalesce(sum(d.available_seconds), 0) as available_seconds
      from app_hidden.report_agent_days(from_day, to_day, location, null, bh) d group by d.agent_email, case when d.agent_email is null then d.agent_extension end
  ), w as (
    select x.agent_email, sum(x.scheduled_seconds) as scheduled_seconds, sum(x.adherent_seconds) as adherent_seconds,
           count(*) filter (where x.absent) as absences, count(*) filter (where x.tardiness_minutes > 0) as late, count(*) as shifts
      from app_hidden.report_shifts(from_day, to_day, location, bh) x group by x.agent_email
  )
  select coalesce(jsonb_agg(jsonb_build_object(
           'agent_name', a.agent_name, 'agent_email', a.agent_email, 'agent_extensions', a.extensions, 'location', a.location,
           'available_seconds', a.available_seconds, 'calls_handled', a.calls_handled,
           'calls_per_hour', case when a.available_seconds > 0 then round(a.calls_handled / (a.available_seconds / 3600.0), 2) end,
           'utilization_pct', app_hidden.pct(a.talk_seconds + a.acw_seconds, a.available_seconds),
           'occupancy_pct', app_hidden.pct(a.talk_seconds + a.hold_seconds + a.acw_seconds, a.available_seconds),
           'talk_time_pct', app_hidden.pct(a.talk_seconds, a.available_seconds),
           'shifts', coalesce(w.shifts, 0), 'late', coalesce(w.late, 0), 'absences', coalesce(w.absences, 0),
           'schedule_adherence_pct', app_hidden.pct(w.adherent_seconds, w.scheduled_seconds))
         order by a.location, a.agent_name, a.agent_email), '[]'::jsonb) as agent_rows,
         coalesce(jsonb_agg(jsonb_build_object('agent', coalesce(a.agent_name, a.agent_email::text, a.extensions),
                  'calls_per_hour', case when a.available_seconds > 0 then round(a.calls_handled / (a.available_seconds / 3600.0), 2) end)
                  order by a.location, a.agent_name, a.agent_email) filter (where a.available_seconds > 0), '[]'::jsonb) as chart_cph,
         sum(a.calls_handled)::bigint as calls_handled, sum(a.talk_seconds)::bigint as talk_seconds, sum(a.hold_seconds)::bigint as hold_seconds,
         sum(a.acw_seconds)::bigint as acw_seconds, coalesce(sum(a.available_seconds), 0)::bigint as available_seconds
    into t
    from a left join w on w.agent_email = a.agent_email;
  agent_rows := t.agent_rows;
  chart_cph := t.chart_cph;

  select coalesce(jsonb_agg(jsonb_build_object(
           'business_day', x.business_day, 'location', x.location, 'active_agents', x.active_agents, 'available_seconds', x.available_seconds,
           'calls_handled', x.calls_handled, 'calls_per_hour', x.calls_per_hour, 'utilization_pct', x.utilization_pct, 'occupancy_pct', x.occupancy_pct,
           'schedule_adherence_pct', x.schedule_adherence_pct, 'attendance_rate_pct', x.attendance_rate_pct, 'punctuality_rate_pct', x.punctuality_rate_pct)
         order by x.business_day, x.location), '[]'::jsonb),
         coalesce(jsonb_agg(jsonb_build_object('business_day', x.business_day, 'location', x.location, 'utilization_pct', x.utilization_pct)
                  order by x.business_day, x.location) filter (where x.utilization_pct is not null), '[]'::jsonb)
    into day_rows, chart_util
    from app_public.team_daily_kpis x
   where not x.all_locations and x.business_day between from_day and to_day and x.location = any (locs)
     and (not bh or coalesce(weekdays -> x.location, '[1,2,3,4,5]') @> to_jsonb(extract(isodow from x.business_day)::integer));

  return app_hidden.report_document('productivity', 'Productivity', from_day, to_day,
    jsonb_build_object('location', location, 'locations', to_jsonb(locs), 'business_hours_only', bh),
    jsonb_build_array(
      app_hidden.report_item('utilization_pct', 'Utilization', app_hidden.pct(t.talk_seconds + t.acw_seconds, t.available_seconds), 'pct', null, null,
        '(talk + after-call work) / available time'),
      app_hidden.report_item('occupancy_pct', 'Occupancy', app_hidden.pct(t.talk_seconds + t.hold_seconds + t.acw_seconds, t.available_seconds), 'pct', null, null,
        '(talk + hold + after-call work) / available time'),
      app_hidden.report_item('calls_per_hour', 'Calls per hour', case when t.available_seconds > 0 then round(t.calls_handled / (t.available_seconds / 3600.0), 2) end, 'number'),
      app_hidden.report_item('available_seconds', 'Available time', coalesce(t.available_seconds, 0), 'seconds'),
      app_hidden.report_item('calls_handled', 'Calls handled', coalesce(t.calls_handled, 0), 'int'),
      app_hidden.report_item('schedule_adherence_pct', 'Schedule adherence', app_hidden.pct(s.adherent_seconds, s.scheduled_seconds), 'pct'),
      app_hidden.report_item('attendance_rate_pct', 'Attendance', app_hidden.pct(s.not_absent, s.scheduled), 'pct', null, null,
        format('%s of %s scheduled shifts worked', coalesce(s.not_absent, 0), coalesce(s.scheduled, 0))),
      app_hidden.report_item('punctuality_rate_pct', 'Punctuality', app_hidden.pct(s.on_time, s.started), 'pct', null, null,
        format('%s of %s started shifts on time', coalesce(s.on_time, 0), coalesce(s.started, 0)))),
    jsonb_build_array(
      jsonb_build_object('key', 'agents', 'title', 'Agents', 'columns', jsonb_build_array(
          app_hidden.report_column('agent_name', 'Agent', 'text'), app_hidden.report_column('agent_extensions', 'Extensions', 'text'),
          app_hidden.report_column('location', 'Location', 'text'), app_hidden.report_column('available_seconds', 'Available', 'seconds'),
          app_hidden.report_column('calls_handled', 'Handled', 'int'), app_hidden.report_column('calls_per_hour', 'Calls per hour', 'number'),
          app_hidden.report_column('utilization_pct', 'Utilization', 'pct'), app_hidden.report_column('occupancy_pct', 'Occupancy', 'pct'),
          app_hidden.report_column('talk_time_pct', 'Talk time', 'pct'), app_hidden.report_column('shifts', 'Shifts', 'int'),
          app_hidden.report_column('late', 'Late', 'int'), app_hidden.report_column('absences', 'Absent', 'int'),
          app_hidden.report_column('schedule_adherence_pct', 'Adherence', 'pct')),
        'rows', agent_rows,
        'notes', case when bh then jsonb_build_array('Figures are stored per day: with the business-hours limit they cover each location''s business weekdays, whole days.') else '[]'::jsonb end),
      jsonb_build_object('key', 'locations_by_day', 'title', 'Locations by day', 'columns', jsonb_build_array(
          app_hidden.report_column('business_day', 'Day', 'date'), app_hidden.report_column('location', 'Location', 'text'),
          app_hidden.report_column('active_agents', 'Active agents', 'int'), app_hidden.report_column('available_seconds', 'Available', 'seconds'),
          app_hidden.report_column('calls_handled', 'Handled', 'int'), app_hidden.report_column('calls_per_hour', 'Calls per hour', 'number'),
          app_hidden.report_column('utilization_pct', 'Utilization', 'pct'), app_hidden.report_column('occupancy_pct', 'Occupancy', 'pct'),
          app_hidden.report_column('schedule_adherence_pct', 'Adherence', 'pct'), app_hidden.report_column('attendance_rate_pct', 'Attendance', 'pct'),
          app_hidden.report_column('punctuality_rate_pct', 'Punctuality', 'pct')),
        'rows', day_rows)),
    jsonb_build_array(
      jsonb_build_object('key', 'utilization_by_day', 'title', 'Utilization by day', 'kind', 'line',
        'x', jsonb_build_object('field', 'business_day', 'title', 'Day', 'type', 'temporal'),
        'y', jsonb_build_object('field', 'utilization_pct', 'title', 'Utilization', 'type', 'pct'), 'series', 'location', 'goal', null, 'data', chart_util),
      jsonb_build_object('key', 'calls_per_hour_by_agent', 'title', 'Calls per hour by agent', 'kind', 'bar',
        'x', jsonb_build_object('field', 'agent', 'title', 'Agent', 'type', 'ordinal'),
        'y', jsonb_build_object('field', 'calls_per_hour', 'title', 'Calls per hour', 'type', 'number'), 'series', null, 'goal', null, 'data', chart_cph)));
end;
$function$;
comment on function app_public.report_productivity(date, date, text, boolean) is 'The productivity report as a document (server/reports/report-document.ts): utilization, occupancy, calls per hour, available time, schedule adherence, attendance and punctuality of one location''s agents or those of every location you may see; a row per agent and per location and day; charts of utilization by day and calls per hour by agent. businessHoursOnly limits the days to each location''s business weekdays. Needs viewTeamPerformance. Errors: CC711-CC715, CC971 a location you may not report on.';
revoke all on function app_public.report_productivity(date, date, text, boolean) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_public.report_productivity(date, date, text, boolean) to app_visitor;
--! EndIncluded reports/productivity.sql
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
  tz constant text := app_hidden.business_timezone();
  range_start constant timestamptz := app_hidden.business_day_start(from_day);
  range_end constant timestamptz := app_hidden.business_day_start(to_day + 1);
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
    from (select to_char(date_trunc('hour', i.interval_start at time zone tz), 'HH24:00') as hour,
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
     where c.call_start_time >= range_start and c.call_start_time < range_end
       and c.call_direction in ('inbound', 'outbound')
       and (location is null or c.location = location)
       and (qname is null or c.queue_name = qname)
       and (not bh or (extract(isodow from c.call_start_time at time zone tz)::smallint = any (h.business_days)
                       and (c.call_start_time at time zone tz)::time >= h.business_open
                       and (c.call_start_time at time zone tz)::time < h.business_close))
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
  tz constant text := app_hidden.business_timezone();
  weekdays constant jsonb := app_hidden.report_weekdays();
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
  kpis := array(select e from jsonb_array_elements_text(spec -> 'kpis') with ordinality x(e, n) group by e order by min(n));
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
             case when 'hour' = any (groups) then to_char(date_trunc('hour', i.interval_start at time zone tz), 'HH24:00') end as hour,
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
         and (not bh or coalesce(weekdays -> d.location, '[1,2,3,4,5]') @> to_jsonb(extract(isodow from d.business_day)::integer))
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
