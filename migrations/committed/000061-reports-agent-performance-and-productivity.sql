--! Previous: sha1:f748048dc9f7ad11cd580866f15fbca9d42fc6fd
--! Hash: sha1:883b4f086680b2b41797aeeab29237618c12039d
--! Message: Reports: agent performance and productivity

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
     and (not bh or app_hidden.report_business_weekday(d.location, d.business_day));
  name := coalesce((select max(d.agent_name) from unnest(days) d), (select max(x.display_name) from app_public.agents x where x.extension = any (exts)),
                   person::text, agent);
  select coalesce(array_agg(x), '{}') into shifts
    from app_public.shift_kpis_for_range(from_day, to_day, agent, null) x
   where not bh or app_hidden.report_business_weekday(x.location, x.shift_date);
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
  bh constant boolean := coalesce(business_hours_only, false);
  locs text[];
  days app_public.agent_daily_kpis[];
  shifts app_public.shift_kpis[];
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

  select coalesce(array_agg(d), '{}') into days
    from app_public.agent_daily_kpis d
   where d.business_day between from_day and to_day
     and (location is null or d.location = location)
     and (not bh or app_hidden.report_business_weekday(d.location, d.business_day));
  select coalesce(array_agg(x), '{}') into shifts
    from app_public.shift_kpis_for_range(from_day, to_day, null, location) x
   where not bh or app_hidden.report_business_weekday(x.location, x.shift_date);

  select sum(d.calls_handled)::bigint as calls_handled, sum(d.talk_seconds)::bigint as talk_seconds, sum(d.hold_seconds)::bigint as hold_seconds,
         sum(d.acw_seconds)::bigint as acw_seconds, coalesce(sum(d.available_seconds), 0)::bigint as available_seconds
    into t from unnest(days) d;
  select sum(x.scheduled_seconds)::bigint as scheduled_seconds, sum(x.adherent_seconds)::bigint as adherent_seconds,
         count(*) filter (where not x.unscheduled)::integer as scheduled, count(*) filter (where not x.unscheduled and not x.absent)::integer as not_absent,
         count(*) filter (where x.actual_start_time is not null)::integer as started,
         count(*) filter (where x.actual_start_time is not null and coalesce(x.tardiness_minutes, 0) = 0)::integer as on_time
    into s from unnest(shifts) x;

  with a as (
    select d.agent_email, max(d.agent_name) as agent_name, max(d.location) as location, string_agg(distinct d.agent_extension, ', ') as extensions,
           sum(d.calls_handled) as calls_handled, sum(d.talk_seconds) as talk_seconds, sum(d.hold_seconds) as hold_seconds,
           sum(d.acw_seconds) as acw_seconds, coalesce(sum(d.available_seconds), 0) as available_seconds
      from unnest(days) d group by d.agent_email, case when d.agent_email is null then d.agent_extension end
  ), w as (
    select x.agent_email, sum(x.scheduled_seconds) as scheduled_seconds, sum(x.adherent_seconds) as adherent_seconds,
           count(*) filter (where x.absent) as absences, count(*) filter (where x.tardiness_minutes > 0) as late, count(*) as shifts
      from unnest(shifts) x group by x.agent_email
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
         order by a.location, a.agent_name, a.agent_email), '[]'::jsonb),
         coalesce(jsonb_agg(jsonb_build_object('agent', coalesce(a.agent_name, a.agent_email::text, a.extensions),
                  'calls_per_hour', case when a.available_seconds > 0 then round(a.calls_handled / (a.available_seconds / 3600.0), 2) end)
                  order by a.location, a.agent_name, a.agent_email) filter (where a.available_seconds > 0), '[]'::jsonb)
    into agent_rows, chart_cph
    from a left join w on w.agent_email = a.agent_email;

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
     and (not bh or app_hidden.report_business_weekday(x.location, x.business_day));

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
