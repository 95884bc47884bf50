--! Previous: sha1:d22be52ad744046058de8a2071c0710444958d4c
--! Hash: sha1:f2326ecfc20de0df8cbda19a59e7c4371f96053b
--! Message: Coverage and forecast fast; agent range planned per call

-- Coverage and the staffing forecast: shift windows and past days computed once (1 s → 90 ms a day);
-- agent_kpis_for_range planned per call (PostgreSQL 18's cached generic plan was ~10× slower).
--! Included kpi/staffing-forecast.sql
create or replace function app_public.staffing_forecast(for_day date, queue text default NULL::text)
 returns setof app_public.staffing_interval
 language sql
 stable
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
  select app_hidden.check_day_given(for_day, 'forDay');
  select app_hidden.check_kpi_range(for_day, for_day, queue, null, null);
  with q as (
    select s.queue_name, s.location, s.sl_threshold_seconds, s.sl_goal_pct
      from app_hidden.effective_queue_settings s
     where (staffing_forecast.queue is null
            or s.queue_name = (select x.name from app_public.queues x where x.name = staffing_forecast.queue or x.extension = staffing_forecast.queue))
       and ((select app_hidden.sees_all()) or s.location = any ((select app_hidden.team_locations())::text[]))
  ), slots as (
    select t as interval_start, (t at time zone app_hidden.business_timezone())::time as local_time
      from generate_series(app_hidden.business_day_start(for_day), app_hidden.business_day_start(for_day + 1) - interval '15 minutes', interval '15 minutes') t
  ), history as (
    select q.queue_name, sl.interval_start, coalesce(sum(st.offered), 0)::integer as offered
      from q cross join slots sl cross join generate_series(1, 4) w
      left join app_public.queue_interval_stats st
        on st.queue_name = q.queue_name
       and st.interval_start = ((for_day - 7 * w) + sl.local_time) at time zone app_hidden.business_timezone()
     group by q.queue_name, sl.interval_start
  ), past_days as materialized (
    -- The same weekday of the last four weeks, as instants (materialized: computed once, not once per call).
    select w, app_hidden.business_day_start(for_day - 7 * w) as day_from, app_hidden.business_day_start(for_day - 7 * w + 1) as day_to
      from generate_series(1, 4) w
  ), handling as (
    select q.queue_name, count(c.id)::integer as answered,
           coalesce(sum(coalesce(c.talk_duration_seconds, 0) + coalesce(c.hold_time_seconds, 0) + coalesce(c.after_call_work_seconds, 0)), 0)::bigint as handle_seconds
      from q cross join past_days d
      left join app_public.call_center_records c
        on c.queue_name = q.queue_name and c.call_direction = 'inbound' and c.call_answer_time is not null and c.call_end_time is not null
       and c.call_start_time >= d.day_from and c.call_start_time < d.day_to
     group by q.queue_name
  ), shifts as materialized (
    -- The shifts that can cover the day, each with its window as instants (materialized: computed once per shift, not per interval).
    select s.id, s.location, app_hidden.shift_window(s.shift_date, s.scheduled_start_time, s.scheduled_end_time) as planned
      from app_public.agent_shifts s
     where s.location in (select q.location from q) and s.shift_status <> 'absent' and s.shift_date in (for_day - 1, for_day)
  ), scheduled as (
    select q.queue_name, sl.interval_start, count(s.id)::integer as agents
      from q cross join slots sl
      left join shifts s
        on s.location = q.location and s.planned @> tstzrange(sl.interval_start, sl.interval_start + interval '15 minutes')
     group by q.queue_name, sl.interval_start
  ), figures as (
    select q.queue_name, q.location, h.interval_start, h.offered, round(h.offered / 4.0, 2) as forecast_offered,
           hd.answered, hd.handle_seconds, case when hd.answered > 0 then hd.handle_seconds::numeric / hd.answered end as aht,
           q.sl_threshold_seconds, q.sl_goal_pct, sc.agents as scheduled
      from q
      join history h on h.queue_name = q.queue_name
      join handling hd on hd.queue_name = q.queue_name
      join scheduled sc on sc.queue_name = q.queue_name and sc.interval_start = h.interval_start
  ), needed as (
    select f.*, (f.offered / 4.0 / 900.0 * f.aht)::double precision as traffic,
           app_hidden.erlang_c_required_agents((f.offered / 4.0 / 900.0 * f.aht)::double precision, f.aht::double precision, f.sl_threshold_seconds, f.sl_goal_pct) as required
      from figures f
  )
  select n.queue_name, n.location, n.interval_start, 4, n.offered, n.forecast_offered, n.answered, n.handle_seconds,
         round(n.aht, 2), round(n.traffic::numeric, 2), n.sl_threshold_seconds, n.sl_goal_pct, n.required,
         round(100 * app_hidden.erlang_c_service_level(n.traffic, n.required, n.sl_threshold_seconds, n.aht::double precision)::numeric, 2),
         n.scheduled,
         case when n.aht is not null then round(100 * app_hidden.erlang_c_service_level(n.traffic, n.scheduled, n.sl_threshold_seconds, n.aht::double precision)::numeric, 2) end,
         n.scheduled - n.required
    from needed n
   order by n.queue_name, n.interval_start
$function$;
comment on function app_public.staffing_forecast(date,text) is 'Erlang C staffing for every 15-minute interval of a business day, per queue (or one queue, by name or extension; an unknown one is an error, CC715): calls forecast from the same weekday and interval of the last 4 weeks, the agents needed for the queue''s service-level goal, and the agents scheduled (the queues of your locations; managers: all).';
revoke all on function app_public.staffing_forecast(date,text) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_public.staffing_forecast(date,text) to app_visitor;
--! EndIncluded kpi/staffing-forecast.sql
--! Included workforce/coverage.sql
-- Coverage (GET /api/workforce/scheduling): per location and 15-minute
-- interval, the agents the Erlang C forecast needs (staffingForecast's
-- requirement of each of the location's queues, added up), the agents
-- scheduled and the agents at work, and the shortfall. At most 7 days at once.
create or replace function app_public.staffing_coverage(from_day date, to_day date, location text default null)
 returns setof app_public.staffing_coverage
 language plpgsql
 stable
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
declare
  max_days constant integer := 7;
begin
  perform app_hidden.require_permission('viewTeamPerformance');
  perform app_hidden.check_kpi_range(from_day, to_day, null, location, null);
  if to_day - from_day + 1 > max_days then
    raise exception 'Coverage covers at most % days at once; this range covers %.', max_days, to_day - from_day + 1
      using errcode = 'CC713', column = 'to_day';
  end if;
  return query
  with days as (
    select d::date as day from generate_series(from_day, to_day, interval '1 day') d
  ), locs as (
    select l.name from app_public.locations l
     where (staffing_coverage.location is null or l.name = staffing_coverage.location)
       and ((select app_hidden.sees_all()) or l.name = any ((select app_hidden.team_locations())::text[]))
  ), slots as (
    select days.day, t as interval_start
      from days cross join generate_series(app_hidden.business_day_start(days.day), app_hidden.business_day_start(days.day + 1) - interval '15 minutes', interval '15 minutes') t
  ), need as (
    select f.location, f.interval_start, count(*)::integer as queues, sum(f.forecast_offered) as forecast_offered, sum(f.required_agents)::integer as required_agents
      from days cross join lateral app_public.staffing_forecast(days.day, null) f
     where f.location in (select name from locs)
     group by f.location, f.interval_start
  ), shifts as materialized (
    -- Each shift's windows as instants, computed once (not once per interval).
    select s.agent_email, s.location, s.shift_status, s.unscheduled,
           app_hidden.shift_window(s.shift_date, s.scheduled_start_time, s.scheduled_end_time) as planned,
           case when s.actual_start_time is not null
                then tstzrange(s.actual_start_time, coalesce(s.actual_end_time, greatest(now(), s.actual_start_time))) end as worked
      from app_public.agent_shifts s
     where s.location in (select name from locs) and s.shift_date between from_day - 1 and to_day
  )
  select l.name, sl.day, sl.interval_start, coalesce(n.queues, 0), coalesce(n.forecast_offered, 0), coalesce(n.required_agents, 0),
         c.scheduled, c.working, greatest(0, coalesce(n.required_agents, 0) - c.scheduled)
    from locs l
   cross join slots sl
    left join need n on n.location = l.name and n.interval_start = sl.interval_start
   cross join lateral (
     select count(distinct s.agent_email) filter (where not s.unscheduled and s.shift_status <> 'absent'
                                                    and s.planned @> tstzrange(sl.interval_start, sl.interval_start + interval '15 minutes'))::integer as scheduled,
            count(distinct s.agent_email) filter (where s.worked @> tstzrange(sl.interval_start, sl.interval_start + interval '15 minutes'))::integer as working
       from shifts s where s.location = l.name) c
   order by l.name, sl.interval_start;
end;
$function$;
comment on function app_public.staffing_coverage(date,date,text) is 'Coverage per location and 15-minute interval of a range of business days (at most 7; CC713): the agents the Erlang C forecast needs for the location''s queues (staffingForecast, added up over the queues), the agents scheduled for the whole interval (absent and unscheduled shifts not counted), the agents clocked in for it, and the shortfall. viewTeamPerformance: your locations (managers: all); agents are refused. An unknown location: CC715.';
revoke all on function app_public.staffing_coverage(date,date,text) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_public.staffing_coverage(date,date,text) to app_visitor;
--! EndIncluded workforce/coverage.sql
--! Included kpi/for-range.sql
-- plan_cache_mode: PostgreSQL 18 caches SQL functions' plans, and after five calls in a session it keeps
-- a generic plan for this one that is ~10× slower for one agent's week (about 45 ms instead of 4 ms on the
-- demo data); planned for each call's own arguments it stays fast. The other range functions do better
-- with the cached plan (figures in docs/benchmarks.md, "Plans of the range functions").
create or replace function app_public.agent_kpis_for_range(from_day date, to_day date, agent text default NULL::text, location text default NULL::text)
 returns setof app_public.agent_range_kpis
 language sql
 stable
 set search_path to 'pg_catalog', 'public', 'pg_temp'
 set plan_cache_mode to 'force_custom_plan'
as $function$
  select app_hidden.check_kpi_range(from_day, to_day, null, location, agent);
  select x.agent_extension, x.agent_email, x.agent_name, x.location, from_day, to_day, x.days_with_calls,
         x.calls_handled, x.calls_handled_inbound, x.calls_missed, x.talk_seconds, x.hold_seconds, x.acw_seconds,
         app_hidden.per(x.talk_seconds + x.hold_seconds + x.acw_seconds, x.calls_handled - x.calls_talk_unknown), x.available_seconds,
         case when x.available_seconds > 0 then round(x.calls_handled / (x.available_seconds / 3600.0), 2) end,
         app_hidden.pct(x.talk_seconds + x.acw_seconds, x.available_seconds),
         app_hidden.pct(x.talk_seconds + x.hold_seconds + x.acw_seconds, x.available_seconds),
         app_hidden.pct(x.talk_seconds, x.available_seconds),
         x.fcr_resolved, x.fcr_final, case when x.fcr_provisional = 0 then app_hidden.pct(x.fcr_resolved, x.fcr_final) end,
         x.appointments, app_hidden.pct(x.appointments, x.calls_handled_inbound),
         x.csat_sum, x.csat_count, case when x.csat_count > 0 then round(x.csat_sum::numeric / x.csat_count, 2) end,
         x.complaints, app_hidden.pct(x.complaints, x.calls_handled),
         x.quality_score_sum, x.quality_reviews, case when x.quality_reviews > 0 then round(x.quality_score_sum / x.quality_reviews, 2) end,
         x.calls_talk_unknown, x.fcr_provisional
    from (
      select d.agent_extension, d.agent_email, d.agent_name, d.location, count(*)::integer as days_with_calls,
             sum(d.calls_handled)::integer as calls_handled, sum(d.calls_handled_inbound)::integer as calls_handled_inbound,
             sum(d.calls_missed)::integer as calls_missed, sum(d.talk_seconds)::bigint as talk_seconds, sum(d.hold_seconds)::bigint as hold_seconds,
             sum(d.acw_seconds)::bigint as acw_seconds, coalesce(sum(d.available_seconds), 0)::bigint as available_seconds,
             sum(d.fcr_resolved)::integer as fcr_resolved, sum(d.fcr_final)::integer as fcr_final, sum(d.fcr_provisional)::integer as fcr_provisional, sum(d.appointments)::integer as appointments,
             sum(d.csat_sum)::integer as csat_sum, sum(d.csat_count)::integer as csat_count, sum(d.complaints)::integer as complaints,
             sum(d.quality_score_sum) as quality_score_sum, sum(d.quality_reviews)::integer as quality_reviews,
             sum(d.calls_talk_unknown)::integer as calls_talk_unknown
        from app_public.agent_daily_kpis d
       where d.business_day between agent_kpis_for_range.from_day and agent_kpis_for_range.to_day
         and (agent_kpis_for_range.agent is null or d.agent_extension = any (app_hidden.agent_extensions(agent_kpis_for_range.agent)))
         and (agent_kpis_for_range.location is null or d.location = agent_kpis_for_range.location)
       group by d.agent_extension, d.agent_email, d.agent_name, d.location
    ) x
   order by x.agent_extension
$function$;
comment on function app_public.agent_kpis_for_range(date,date,text,text) is 'Agent figures over a range of business days (inclusive), optionally one agent (by email: each of the person''s extensions; or by extension) or one location''s agents: the daily counts added up, ratios from the sums.';
revoke all on function app_public.agent_kpis_for_range(date,date,text,text) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_public.agent_kpis_for_range(date,date,text,text) to app_visitor;

create or replace function app_public.queue_kpis_for_range(from_day date, to_day date, queue text default NULL::text, location text default NULL::text)
 returns setof app_public.queue_range_kpis
 language sql
 stable
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
  select app_hidden.check_kpi_range(from_day, to_day, queue, location, null);
  select x.queue, x.location, from_day, to_day, x.days_with_calls,
         x.offered, x.answered, x.abandoned, x.short_abandoned, x.voicemail, x.missed, x.transferred,
         x.answered_within_sl, x.abandoned_within_sl, x.wait_unknown, x.abandon_mode,
         app_hidden.service_level_denominator(x.abandon_mode, x.offered, x.answered, x.short_abandoned, x.wait_unknown),
         app_hidden.service_level_pct(x.abandon_mode, x.answered_within_sl, x.abandoned_within_sl, x.offered, x.answered, x.short_abandoned, x.wait_unknown),
         x.offered - x.short_abandoned, app_hidden.pct(x.abandoned, x.offered - x.short_abandoned),
         x.answered_wait_seconds, x.answered - x.wait_unknown, app_hidden.per(x.answered_wait_seconds, x.answered - x.wait_unknown),
         x.abandoned_wait_seconds, app_hidden.per(x.abandoned_wait_seconds, x.abandoned), x.max_wait_seconds,
         x.answered_wait_le_10, x.answered_wait_le_20, x.answered_wait_le_30, x.answered_wait_le_60, x.answered_wait_le_120, x.answered_wait_gt_120,
         x.abandoned_wait_le_10, x.abandoned_wait_le_20, x.abandoned_wait_le_30, x.abandoned_wait_le_60, x.abandoned_wait_le_120, x.abandoned_wait_gt_120
    from (
      select d.queue, d.location, d.abandon_mode, count(*)::integer as days_with_calls,
             sum(d.offered)::integer as offered, sum(d.answered)::integer as answered, sum(d.abandoned)::integer as abandoned,
             sum(d.short_abandoned)::integer as short_abandoned, sum(d.voicemail)::integer as voicemail, sum(d.missed)::integer as missed,
             sum(d.transferred)::integer as transferred, sum(d.answered_within_sl)::integer as answered_within_sl,
             sum(d.abandoned_within_sl)::integer as abandoned_within_sl, sum(d.wait_unknown)::integer as wait_unknown,
             sum(d.answered_wait_seconds)::bigint as answered_wait_seconds, sum(d.abandoned_wait_seconds)::bigint as abandoned_wait_seconds,
             max(d.max_wait_seconds)::integer as max_wait_seconds,
             sum(d.answered_wait_le_10)::integer as answered_wait_le_10, sum(d.answered_wait_le_20)::integer as answered_wait_le_20,
             sum(d.answered_wait_le_30)::integer as answered_wait_le_30, sum(d.answered_wait_le_60)::integer as answered_wait_le_60,
             sum(d.answered_wait_le_120)::integer as answered_wait_le_120, sum(d.answered_wait_gt_120)::integer as answered_wait_gt_120,
             sum(d.abandoned_wait_le_10)::integer as abandoned_wait_le_10, sum(d.abandoned_wait_le_20)::integer as abandoned_wait_le_20,
             sum(d.abandoned_wait_le_30)::integer as abandoned_wait_le_30, sum(d.abandoned_wait_le_60)::integer as abandoned_wait_le_60,
             sum(d.abandoned_wait_le_120)::integer as abandoned_wait_le_120, sum(d.abandoned_wait_gt_120)::integer as abandoned_wait_gt_120
        from app_public.queue_daily_kpis d
       where d.business_day between queue_kpis_for_range.from_day and queue_kpis_for_range.to_day
         and (queue_kpis_for_range.queue is null
              or d.queue = (select q.name from app_public.queues q where q.name = queue_kpis_for_range.queue or q.extension = queue_kpis_for_range.queue))
         and (queue_kpis_for_range.location is null or d.location = queue_kpis_for_range.location)
       group by d.queue, d.location, d.abandon_mode
    ) x
   order by x.queue
$function$;
comment on function app_public.queue_kpis_for_range(date,date,text,text) is 'Queue figures over a range of business days (inclusive), optionally one queue (by name or extension) or one location''s queues: the daily counts added up, ratios from the sums. Arguments that cannot match are errors (app_hidden.check_kpi_range).';
revoke all on function app_public.queue_kpis_for_range(date,date,text,text) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_public.queue_kpis_for_range(date,date,text,text) to app_visitor;

create or replace function app_public.team_kpis_for_range(from_day date, to_day date, location text default NULL::text)
 returns setof app_public.team_range_kpis
 language sql
 stable
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
  select app_hidden.require_permission('viewTeamPerformance');
  select app_hidden.check_kpi_range(from_day, to_day, null, location, null);
  select x.location, x.all_locations, x.team_name, from_day, to_day, x.days, x.agent_days,
         x.calls_handled, x.calls_handled_inbound, x.calls_missed, x.talk_seconds, x.hold_seconds, x.acw_seconds,
         app_hidden.per(x.talk_seconds + x.hold_seconds + x.acw_seconds, x.calls_handled - x.calls_talk_unknown), x.available_seconds,
         case when x.available_seconds > 0 then round(x.calls_handled / (x.available_seconds / 3600.0), 2) end,
         app_hidden.pct(x.talk_seconds + x.acw_seconds, x.available_seconds),
         app_hidden.pct(x.talk_seconds + x.hold_seconds + x.acw_seconds, x.available_seconds),
         x.fcr_resolved, x.fcr_final, case when x.fcr_provisional = 0 then app_hidden.pct(x.fcr_resolved, x.fcr_final) end,
         x.appointments, app_hidden.pct(x.appointments, x.calls_handled_inbound),
         x.csat_sum, x.csat_count, case when x.csat_count > 0 then round(x.csat_sum::numeric / x.csat_count, 2) end,
         x.complaints, app_hidden.pct(x.complaints, x.calls_handled),
         x.quality_score_sum, x.quality_reviews, case when x.quality_reviews > 0 then round(x.quality_score_sum / x.quality_reviews, 2) end,
         case when x.agent_days > 0 then round(x.calls_handled::numeric / x.agent_days, 2) end,
         x.shifts_scheduled, x.shifts_not_absent, app_hidden.pct(x.shifts_not_absent, x.shifts_scheduled),
         x.shifts_started, x.shifts_on_time, app_hidden.pct(x.shifts_on_time, x.shifts_started),
         x.scheduled_seconds, x.adherent_seconds, app_hidden.pct(x.adherent_seconds, x.scheduled_seconds),
         x.agent_days_with_goals, x.agent_days_meeting_goals, app_hidden.pct(x.agent_days_meeting_goals, x.agent_days_with_goals),
         x.training_hours_completed, x.coaching_sessions_conducted, x.calls_talk_unknown, x.fcr_provisional
    from (
      select d.location, d.all_locations, d.team_name, count(*)::integer as days, sum(d.active_agents)::integer as agent_days,
             sum(d.calls_handled)::integer as calls_handled, sum(d.calls_handled_inbound)::integer as calls_handled_inbound,
             sum(d.calls_missed)::integer as calls_missed, sum(d.talk_seconds)::bigint as talk_seconds, sum(d.hold_seconds)::bigint as hold_seconds,
             sum(d.acw_seconds)::bigint as acw_seconds, sum(d.available_seconds)::bigint as available_seconds,
             sum(d.fcr_resolved)::integer as fcr_resolved, sum(d.fcr_final)::integer as fcr_final, sum(d.fcr_provisional)::integer as fcr_provisional, sum(d.appointments)::integer as appointments,
             sum(d.csat_sum)::integer as csat_sum, sum(d.csat_count)::integer as csat_count, sum(d.complaints)::integer as complaints,
             sum(d.quality_score_sum) as quality_score_sum, sum(d.quality_reviews)::integer as quality_reviews,
             sum(d.shifts_scheduled)::integer as shifts_scheduled, sum(d.shifts_not_absent)::integer as shifts_not_absent,
             sum(d.shifts_started)::integer as shifts_started, sum(d.shifts_on_time)::integer as shifts_on_time,
             sum(d.scheduled_seconds)::bigint as scheduled_seconds, sum(d.adherent_seconds)::bigint as adherent_seconds,
             sum(d.agents_with_goals)::integer as agent_days_with_goals, sum(d.agents_meeting_goals)::integer as agent_days_meeting_goals,
             sum(d.training_hours_completed) as training_hours_completed, sum(d.coaching_sessions_conducted)::integer as coaching_sessions_conducted,
             sum(d.calls_talk_unknown)::integer as calls_talk_unknown
        from app_public.team_daily_kpis d
       where d.business_day between team_kpis_for_range.from_day and team_kpis_for_range.to_day
         and (team_kpis_for_range.location is null or d.location = team_kpis_for_range.location)
       group by d.location, d.all_locations, d.team_name
    ) x
   order by x.all_locations, x.location
$function$;
comment on function app_public.team_kpis_for_range(date,date,text) is 'Team (location) figures over a range of business days (inclusive), optionally one location: the stored daily team rows added up, ratios from the sums; calls per agent per day is handled / agent days. Needs viewTeamPerformance (supervisors and above); anyone else is refused (FORBIDDEN).';
revoke all on function app_public.team_kpis_for_range(date,date,text) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_public.team_kpis_for_range(date,date,text) to app_visitor;
--! EndIncluded kpi/for-range.sql
