--! Previous: sha1:ad8993d2600e20915dcb5d6f133fa2f930258c08
--! Hash: sha1:56b5e4ee0a0539c7dc0853dec5c7121212c4c053
--! Message: staffing: Erlang C per queue and 15-minute interval, forecast from the same weekday of the last 4 weeks, compared with the agents scheduled

/*
 * Erlang C, as on the definitions page: traffic A = λ × AHT (erlangs), N
 * agents. P_wait is computed through Erlang B's recurrence (the same value as
 * the factorial form, without overflowing for large N):
 * B(0) = 1, B(k) = A·B(k−1) / (k + A·B(k−1)); P_wait = N·B(N) / (N − A·(1 − B(N))).
 */
create function app_hidden.erlang_c_wait_probability(traffic double precision, agents integer) returns double precision
  language plpgsql immutable parallel safe
  set search_path to pg_catalog, public, pg_temp
  as $$
declare
  b double precision := 1;
begin
  if traffic is null or agents is null then
    return null;
  elsif traffic <= 0 then
    return 0;
  elsif agents <= traffic then
    return 1; -- the queue never empties: every caller waits
  end if;
  for k in 1 .. agents loop
    b := traffic * b / (k + traffic * b);
  end loop;
  return agents * b / (agents - traffic * (1 - b));
end;
$$;
comment on function app_hidden.erlang_c_wait_probability(double precision, integer) is 'Erlang C: the probability that a caller waits, for a traffic of A erlangs and N agents (1 when N ≤ A).';

create function app_hidden.erlang_c_service_level(traffic double precision, agents integer, threshold_seconds double precision, aht_seconds double precision)
  returns double precision
  language sql immutable parallel safe
  set search_path to pg_catalog, public, pg_temp
  as $$
  select case when traffic <= 0 then 1
              when agents <= traffic then 0
              else 1 - app_hidden.erlang_c_wait_probability(traffic, agents) * exp(-(agents - traffic) * threshold_seconds / aht_seconds) end
$$;
comment on function app_hidden.erlang_c_service_level(double precision, integer, double precision, double precision) is 'SL(T) = 1 − P_wait · e^(−(N − A)·T / AHT): the share of callers answered within T seconds (0 to 1).';

create function app_hidden.erlang_c_required_agents(traffic double precision, aht_seconds double precision, threshold_seconds double precision, goal_pct numeric)
  returns integer
  language plpgsql immutable parallel safe
  set search_path to pg_catalog, public, pg_temp
  as $$
declare
  n integer;
begin
  if traffic is null or aht_seconds is null or aht_seconds <= 0 then
    return null;
  elsif traffic <= 0 then
    return 0;
  end if;
  n := floor(traffic)::integer + 1; -- the least N > A
  while app_hidden.erlang_c_service_level(traffic, n, threshold_seconds, aht_seconds) < goal_pct / 100.0 and n < 100000 loop
    n := n + 1;
  end loop;
  return n;
end;
$$;
comment on function app_hidden.erlang_c_required_agents(double precision, double precision, double precision, numeric) is 'The least N > A whose Erlang C service level at the threshold reaches the goal (percent).';
grant execute on function app_hidden.erlang_c_wait_probability(double precision, integer),
  app_hidden.erlang_c_service_level(double precision, integer, double precision, double precision),
  app_hidden.erlang_c_required_agents(double precision, double precision, double precision, numeric) to app_visitor, app_worker, app_analyst;

create type app_public.staffing_interval as (
  queue text,
  location text,
  interval_start timestamptz,
  weeks_of_history integer,
  offered_in_history bigint,
  forecast_offered numeric,
  answered_in_history bigint,
  handle_seconds_in_history bigint,
  aht_seconds numeric,
  traffic_erlangs numeric,
  sl_threshold_seconds integer,
  sl_goal_pct numeric,
  required_agents integer,
  required_service_level_pct numeric,
  scheduled_agents integer,
  scheduled_service_level_pct numeric,
  staffing_gap integer
);
comment on type app_public.staffing_interval is 'Erlang C staffing for one queue and 15-minute interval: the forecast, the agents it needs for the queue''s service-level goal, and the agents scheduled.';
comment on column app_public.staffing_interval.queue is 'The queue.';
comment on column app_public.staffing_interval.location is 'The queue''s location.';
comment on column app_public.staffing_interval.interval_start is 'Start of the 15-minute interval.';
comment on column app_public.staffing_interval.weeks_of_history is 'Weeks looked back: the same weekday and interval of the last 4 weeks.';
comment on column app_public.staffing_interval.offered_in_history is 'Calls offered in those 4 intervals.';
comment on column app_public.staffing_interval.forecast_offered is 'Forecast calls offered: offered_in_history / 4 (a week without calls counts as 0).';
comment on column app_public.staffing_interval.answered_in_history is 'Answered inbound calls of the queue on those 4 weekdays (the AHT denominator).';
comment on column app_public.staffing_interval.handle_seconds_in_history is 'Σ talk + hold + after-call work of those calls.';
comment on column app_public.staffing_interval.aht_seconds is 'Average handle time of the queue on those weekdays: handle_seconds_in_history / answered_in_history (NULL without answered calls).';
comment on column app_public.staffing_interval.traffic_erlangs is 'A = λ × AHT, λ = forecast_offered / 900 s.';
comment on column app_public.staffing_interval.sl_threshold_seconds is 'The queue''s service-level threshold T.';
comment on column app_public.staffing_interval.sl_goal_pct is 'The queue''s service-level goal, percent.';
comment on column app_public.staffing_interval.required_agents is 'The least N > A with SL(T) ≥ the goal (0 with no forecast calls; NULL without an AHT).';
comment on column app_public.staffing_interval.required_service_level_pct is 'SL(T) with the required agents, percent.';
comment on column app_public.staffing_interval.scheduled_agents is 'Shifts at the queue''s location (not absent) whose scheduled window covers the whole interval.';
comment on column app_public.staffing_interval.scheduled_service_level_pct is 'SL(T) with the scheduled agents, percent.';
comment on column app_public.staffing_interval.staffing_gap is 'scheduled_agents − required_agents (negative: short).';

create function app_public.staffing_forecast(for_day date, queue text default null) returns setof app_public.staffing_interval
  language sql stable
  set search_path to pg_catalog, public, pg_temp
  as $$
  with q as (
    select s.queue_name, s.location, s.sl_threshold_seconds, s.sl_goal_pct
      from app_hidden.effective_queue_settings s
     where (staffing_forecast.queue is null or s.queue_name = staffing_forecast.queue)
       and ((select app_hidden.sees_all()) or s.location = any ((select app_hidden.team_locations())::text[]))
  ), slots as (
    select t as interval_start, (t at time zone app_hidden.business_timezone())::time as local_time
      from generate_series(app_hidden.business_day_start(for_day), app_hidden.business_day_start(for_day + 1) - interval '15 minutes', interval '15 minutes') t
  ), history as (
    select q.queue_name, sl.interval_start, coalesce(sum(st.offered), 0)::bigint as offered
      from q cross join slots sl cross join generate_series(1, 4) w
      left join app_public.queue_interval_stats st
        on st.queue_name = q.queue_name
       and st.interval_start = ((for_day - 7 * w) + sl.local_time) at time zone app_hidden.business_timezone()
     group by q.queue_name, sl.interval_start
  ), handling as (
    select q.queue_name, count(c.id)::bigint as answered,
           coalesce(sum(coalesce(c.talk_duration_seconds, 0) + coalesce(c.hold_time_seconds, 0) + coalesce(c.after_call_work_seconds, 0)), 0)::bigint as handle_seconds
      from q cross join generate_series(1, 4) w
      left join app_public.call_center_records c
        on c.queue_name = q.queue_name and c.call_direction = 'inbound' and c.call_answer_time is not null and c.call_end_time is not null
       and c.call_start_time >= app_hidden.business_day_start(for_day - 7 * w) and c.call_start_time < app_hidden.business_day_start(for_day - 7 * w + 1)
     group by q.queue_name
  ), scheduled as (
    select q.queue_name, sl.interval_start, count(s.id)::integer as agents
      from q cross join slots sl
      left join app_public.agent_shifts s
        on s.location = q.location and s.shift_status <> 'absent' and s.shift_date in (for_day - 1, for_day)
       and app_hidden.shift_window(s.shift_date, s.scheduled_start_time, s.scheduled_end_time) @> tstzrange(sl.interval_start, sl.interval_start + interval '15 minutes')
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
$$;
comment on function app_public.staffing_forecast(date, text) is 'Erlang C staffing for every 15-minute interval of a business day, per queue (or one queue): calls forecast from the same weekday and interval of the last 4 weeks, the agents needed for the queue''s service-level goal, and the agents scheduled (the queues of your locations; managers: all).';
grant execute on function app_public.staffing_forecast(date, text) to app_visitor;
