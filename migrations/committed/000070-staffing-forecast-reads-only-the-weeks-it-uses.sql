--! Previous: sha1:10081a57bb6ba84191d48bda7864bb2c0c4456d6
--! Hash: sha1:a729469f98eae7bacb0e0d27b50ec0fb9fe91050
--! Message: Staffing forecast reads only the weeks it uses

-- Staffing forecast reads only the four past weeks it uses (stats by
-- index range, calls per queue and day by index), not whole tables.
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
  ), tz as materialized (
    select app_hidden.business_timezone() as name
  ), slots as materialized (
    select t as interval_start, (t at time zone tz.name)::time as local_time
      from tz cross join generate_series(app_hidden.business_day_start(for_day), app_hidden.business_day_start(for_day + 1) - interval '15 minutes', interval '15 minutes') t
  ), past_slots as materialized (
    -- Each interval's start on the same weekday of the last four weeks (the same local time, whatever DST did).
    select sl.interval_start, ((for_day - 7 * w) + sl.local_time) at time zone tz.name as past_start
      from slots sl cross join generate_series(1, 4) w cross join tz
  ), past_stats as materialized (
    -- Only the stored intervals of those four weeks (an index range; never the whole table).
    select st.queue_name, st.interval_start, st.offered
      from app_public.queue_interval_stats st
     where st.interval_start >= app_hidden.business_day_start(for_day - 28) and st.interval_start < app_hidden.business_day_start(for_day - 6)
  ), history as (
    select q.queue_name, ps.interval_start, coalesce(sum(st.offered), 0)::integer as offered
      from q cross join past_slots ps
      left join past_stats st on st.queue_name = q.queue_name and st.interval_start = ps.past_start
     group by q.queue_name, ps.interval_start
  ), past_days as materialized (
    -- The same weekday of the last four weeks, as instants (materialized: computed once, not once per call).
    select w, app_hidden.business_day_start(for_day - 7 * w) as day_from, app_hidden.business_day_start(for_day - 7 * w + 1) as day_to
      from generate_series(1, 4) w
  ), handling as (
    -- Per queue and past day through the (queue_name, call_start_time) index: the four days' calls, not every call.
    select q.queue_name, coalesce(sum(h.answered), 0)::integer as answered, coalesce(sum(h.handle_seconds), 0)::bigint as handle_seconds
      from q cross join past_days d
     cross join lateral (
       select count(*) as answered,
              sum(coalesce(c.talk_duration_seconds, 0) + coalesce(c.hold_time_seconds, 0) + coalesce(c.after_call_work_seconds, 0)) as handle_seconds
         from app_public.call_center_records c
        where c.queue_name = q.queue_name and c.call_start_time >= d.day_from and c.call_start_time < d.day_to
          and c.call_direction = 'inbound' and c.call_answer_time is not null and c.call_end_time is not null) h
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
