--! Previous: sha1:d22be52ad744046058de8a2071c0710444958d4c
--! Hash: sha1:f748048dc9f7ad11cd580866f15fbca9d42fc6fd
--! Message: Reports: team performance as a document

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

-- The queue intervals a report counts: the caller's rows of app_public.queue_interval_kpis (a supervisor's
-- locations only) in the range, one location or all, and with business_hours_only only the intervals that
-- start inside their location's hours on one of its business weekdays.
create or replace function app_hidden.report_queue_intervals(from_day date, to_day date, location text, business_hours_only boolean)
 returns setof app_public.queue_interval_kpis
 language sql
 stable
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
  select k.*
    from app_public.queue_interval_kpis k
    left join app_hidden.report_location_hours() h on h.location = k.location
   where k.business_day between report_queue_intervals.from_day and report_queue_intervals.to_day
     and (report_queue_intervals.location is null or k.location = report_queue_intervals.location)
     and (not coalesce(report_queue_intervals.business_hours_only, false)
          or (extract(isodow from k.business_day)::smallint = any (h.business_days)
              and (k.interval_start at time zone app_hidden.business_timezone())::time >= h.business_open
              and (k.interval_start at time zone app_hidden.business_timezone())::time < h.business_close))
$function$;
comment on function app_hidden.report_queue_intervals(date, date, text, boolean) is 'The 15-minute queue intervals a report counts, under the caller''s row rules: the range, one location or all, and with business_hours_only only intervals starting inside the location''s business hours on its business weekdays.';
revoke all on function app_hidden.report_queue_intervals(date, date, text, boolean) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_hidden.report_queue_intervals(date, date, text, boolean) to app_visitor;

-- Whether a business day is one of a location's business weekdays (agent and team figures are stored per day:
-- with business_hours_only they are limited to the business weekdays, not split by hour).
create or replace function app_hidden.report_business_weekday(location text, day date)
 returns boolean
 language sql
 stable
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
  select coalesce((select extract(isodow from day)::smallint = any (h.business_days) from app_hidden.report_location_hours() h where h.location = report_business_weekday.location),
                  extract(isodow from day) between 1 and 5)
$function$;
comment on function app_hidden.report_business_weekday(text, date) is 'True when the day is one of the location''s business weekdays (Monday to Friday for an unknown or NULL location).';
revoke all on function app_hidden.report_business_weekday(text, date) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_hidden.report_business_weekday(text, date) to app_visitor;
--! EndIncluded reports/business-hours.sql
--! Included reports/common.sql
-- What every report shares: its arguments checked as the range functions check theirs (CC711-CC716), a location
-- the caller may not see refused (CC971), and the document (server/reports/report-document.ts) put together.
create or replace function app_hidden.report_check_arguments(from_day date, to_day date, location text, queue text, agent text)
 returns void
 language plpgsql
 stable
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
begin
  perform app_hidden.check_kpi_range(from_day, to_day, queue, location, agent);
  -- A report of a location outside the caller's would be a page of zeros: say so instead.
  if location is not null and not app_hidden.sees_all() and not location = any (app_hidden.team_locations()) then
    raise exception 'No location named % that you may report on.', location using errcode = 'CC971', column = 'location';
  end if;
end;
$function$;
comment on function app_hidden.report_check_arguments(date, date, text, text, text) is 'Raises CC711-CC716 (app_hidden.check_kpi_range) for a report''s range, queue, location or agent, and CC971 for a location the caller may not report on (not one of a supervisor''s locations).';
revoke all on function app_hidden.report_check_arguments(date, date, text, text, text) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_hidden.report_check_arguments(date, date, text, text, text) to app_visitor;

-- The locations a report covers: the one asked for, else every location the caller sees.
create or replace function app_hidden.report_locations(location text)
 returns text[]
 language sql
 stable
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
  select case when location is not null then array[location]
              when app_hidden.sees_all() then (select coalesce(array_agg(l.name order by l.name), '{}') from app_public.locations l)
              else (select coalesce(array_agg(t order by t), '{}') from unnest(app_hidden.team_locations()) t) end
$function$;
comment on function app_hidden.report_locations(text) is 'The locations a report covers: the one asked for, else every location the caller may see (all for managers, a supervisor''s own).';
revoke all on function app_hidden.report_locations(text) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_hidden.report_locations(text) to app_visitor;

-- The report document's frame; summary, sections and charts are the report's own.
create or replace function app_hidden.report_document(report text, title text, from_day date, to_day date, filters jsonb,
                                                       summary jsonb, sections jsonb, charts jsonb, warnings jsonb default '[]'::jsonb)
 returns jsonb
 language sql
 stable
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
  select jsonb_build_object(
    'report', report, 'title', title,
    'range', jsonb_build_object('from', from_day::text, 'to', to_day::text),
    'filters', coalesce(filters, '{}'::jsonb),
    'generated_at', to_char(now() at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
    'timezone', app_hidden.business_timezone(),
    'warnings', coalesce(warnings, '[]'::jsonb),
    'summary', coalesce(summary, '[]'::jsonb),
    'sections', coalesce(sections, '[]'::jsonb),
    'charts', coalesce(charts, '[]'::jsonb))
$function$;
comment on function app_hidden.report_document(text, text, date, date, jsonb, jsonb, jsonb, jsonb, jsonb) is 'A report document (server/reports/report-document.ts): its name, title, range, filters, time made, time zone, warnings, summary, sections and charts.';
revoke all on function app_hidden.report_document(text, text, date, date, jsonb, jsonb, jsonb, jsonb, jsonb) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_hidden.report_document(text, text, date, date, jsonb, jsonb, jsonb, jsonb, jsonb) to app_visitor;

-- A column of a section: {key, label, type}.
create or replace function app_hidden.report_column(key text, label text, type text)
 returns jsonb
 language sql
 immutable
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$ select jsonb_build_object('key', key, 'label', label, 'type', type) $function$;
comment on function app_hidden.report_column(text, text, text) is 'A report section''s column: key, label and value type (text, int, number, pct, seconds, money, date, datetime, bool).';
revoke all on function app_hidden.report_column(text, text, text) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_hidden.report_column(text, text, text) to app_visitor;

-- A summary item: {key, label, value, type, goal, status, note}.
create or replace function app_hidden.report_item(key text, label text, value numeric, type text, goal numeric default null,
                                                   status text default null, note text default null)
 returns jsonb
 language sql
 immutable
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
  select jsonb_build_object('key', key, 'label', label, 'value', value, 'type', type, 'goal', goal, 'status', status, 'note', note)
$function$;
comment on function app_hidden.report_item(text, text, numeric, text, numeric, text, text) is 'A headline figure of a report''s summary: key, label, value, type, goal, status (ok, behind, provisional or NULL) and a note.';
revoke all on function app_hidden.report_item(text, text, numeric, text, numeric, text, text) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_hidden.report_item(text, text, numeric, text, numeric, text, text) to app_visitor;

-- FCR while repeat-call windows are open: the share resolved so far (final resolved plus still-provisional, over
-- final plus provisional), shown as provisional; once every window has closed, the final share.
create or replace function app_hidden.report_fcr_pct(fcr_resolved bigint, fcr_final bigint, fcr_provisional bigint)
 returns numeric
 language sql
 immutable
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$ select app_hidden.pct(coalesce(fcr_resolved, 0) + coalesce(fcr_provisional, 0), coalesce(fcr_final, 0) + coalesce(fcr_provisional, 0)) $function$;
comment on function app_hidden.report_fcr_pct(bigint, bigint, bigint) is 'A report''s FCR: (resolved + provisional) / (final + provisional) × 100, the share resolved so far; marked provisional wherever provisional > 0.';
revoke all on function app_hidden.report_fcr_pct(bigint, bigint, bigint) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_hidden.report_fcr_pct(bigint, bigint, bigint) to app_visitor;
--! EndIncluded reports/common.sql
--! Included reports/team-performance.sql
-- The team performance report (GET /api/reports/team-performance): the range's service level against its goal,
-- abandonment, volumes, ASA and who is behind their goals first; then a row per location and day and a row per
-- agent; charts of the service level by 15-minute interval, the daily trend and the answered calls' waits.
-- Queue figures come from the 15-minute interval stats (inside business hours when asked), agent and team
-- figures from the stored daily figures (limited to business weekdays when asked), goals from
-- app_hidden.goal_achievement_rows: every number as docs/kpis.md defines it, under the caller's row rules.
create or replace function app_public.report_team_performance(from_day date, to_day date, location text default null,
                                                              business_hours_only boolean default false)
 returns jsonb
 language plpgsql
 stable
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
#variable_conflict use_variable
declare
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
  days app_public.agent_daily_kpis[];
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

  -- The agents' figures over the range (business weekdays only when asked), summed then divided.
  select coalesce(array_agg(d), '{}') into days
    from app_public.agent_daily_kpis d
   where d.business_day between from_day and to_day
     and (report_team_performance.location is null or d.location = report_team_performance.location)
     and (not bh or app_hidden.report_business_weekday(d.location, d.business_day));
  select sum(x.calls_handled)::bigint as calls_handled, sum(x.fcr_resolved)::bigint as fcr_resolved, sum(x.fcr_final)::bigint as fcr_final,
         sum(x.fcr_provisional)::bigint as fcr_provisional,
         sum(x.talk_seconds + x.hold_seconds + x.acw_seconds)::bigint as handle_seconds, sum(x.calls_handled - x.calls_talk_unknown)::bigint as aht_calls
    into a from (select d.agent_extension, d.agent_email, d.agent_name, d.location, count(*)::integer as days, sum(d.calls_handled) as calls_handled,
                 sum(d.calls_missed) as calls_missed, sum(d.talk_seconds) as talk_seconds, sum(d.hold_seconds) as hold_seconds, sum(d.acw_seconds) as acw_seconds,
                 sum(d.calls_talk_unknown) as calls_talk_unknown, coalesce(sum(d.available_seconds), 0) as available_seconds,
                 sum(d.fcr_resolved) as fcr_resolved, sum(d.fcr_final) as fcr_final, sum(d.fcr_provisional) as fcr_provisional
            from unnest(days) d group by d.agent_extension, d.agent_email, d.agent_name, d.location) x;

  -- Who is behind: agents with a goal over the range (targets set) not every target of which is met.
  select coalesce(array_agg(g), '{}') into goals
    from app_hidden.goal_achievement_rows(from_day, to_day, null, location, null) g
   where g.total_goals > 0 and (location is not null or g.location is null or g.location = any (locs) or app_hidden.sees_all());
  select array_agg(distinct coalesce(g.agent_name, g.agent_email::text) order by coalesce(g.agent_name, g.agent_email::text))
    into behind_names from unnest(goals) g where not g.all_met;

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
       and (not bh or app_hidden.report_business_weekday(t.location, t.business_day))
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

  -- A row per agent, with their goals over the range.
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
         order by x.location, x.agent_name, x.agent_extension), '[]'::jsonb)
    into agent_rows
    from (select d.agent_extension, d.agent_email, d.agent_name, d.location, count(*)::integer as days, sum(d.calls_handled) as calls_handled,
                 sum(d.calls_missed) as calls_missed, sum(d.talk_seconds) as talk_seconds, sum(d.hold_seconds) as hold_seconds, sum(d.acw_seconds) as acw_seconds,
                 sum(d.calls_talk_unknown) as calls_talk_unknown, coalesce(sum(d.available_seconds), 0) as available_seconds,
                 sum(d.fcr_resolved) as fcr_resolved, sum(d.fcr_final) as fcr_final, sum(d.fcr_provisional) as fcr_provisional
            from unnest(days) d group by d.agent_extension, d.agent_email, d.agent_name, d.location) x left join agent_goals g on g.agent_email = x.agent_email;

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
    from (select to_char(i.interval_start at time zone app_hidden.business_timezone(), 'HH24:MI') as slot,
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
