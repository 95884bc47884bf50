--! Previous: sha1:fe18f5639600f0631e842d336783b4e317f99392
--! Hash: sha1:64dc40992e92410b30960d1c5586d0fca741426f
--! Message: One-day functions name their own missing day

-- One-day functions name their own missing day (CC711 businessDay, intervalStart, forDay).
--! Included kpi/check-range-arguments.sql
-- What the *_kpis_for_range functions accept: a range of at most 366 business
-- days, and a queue (name or extension), location or agent that exists; an
-- argument that cannot match is an error naming it, never an empty list.
-- A queue (by name or extension) and a location that exist: shared by the
-- range figures and the calls search (CC715).
create or replace function app_hidden.check_known_queue_and_location(queue text, location text)
 returns void
 language plpgsql
 stable
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
begin
  if queue is not null and not exists (select 1 from app_public.queues q where q.name = queue or q.extension = queue) then
    raise exception 'No queue is named or numbered %.', queue using errcode = 'CC715', column = 'queue';
  end if;
  if location is not null and not exists (select 1 from app_public.locations l where l.name = location) then
    raise exception 'No location is named %.', location using errcode = 'CC715', column = 'location';
  end if;
end;
$function$;
comment on function app_hidden.check_known_queue_and_location(text, text) is 'Raises CC715 for a queue (name or extension) or a location that does not exist.';
revoke all on function app_hidden.check_known_queue_and_location(text, text) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_hidden.check_known_queue_and_location(text, text) to app_visitor;

-- An agent by email or by extension, as the caller may see the directory.
create or replace function app_hidden.agent_extensions(agent text)
 returns text[]
 language sql
 stable
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
  select array_agg(a.extension order by a.extension) from app_public.agents a
   where a.extension = agent or (strpos(agent, '@') > 0 and a.user_email = agent::citext)
$function$;
comment on function app_hidden.agent_extensions(text) is 'The extensions of an agent named by email (all of the person''s extensions) or by extension, among the agents the caller may see; NULL when there is none.';
revoke all on function app_hidden.agent_extensions(text) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_hidden.agent_extensions(text) to app_visitor;

create or replace function app_hidden.check_kpi_range(from_day date, to_day date, queue text, location text, agent text)
 returns void
 language plpgsql
 stable
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
declare
  max_days constant integer := 366;
begin
  if from_day is null then
    raise exception 'fromDay is required: the first business day of the range.' using errcode = 'CC711', column = 'from_day';
  end if;
  if to_day is null then
    raise exception 'toDay is required: the last business day of the range (inclusive).' using errcode = 'CC711', column = 'to_day';
  end if;
  if to_day < from_day then
    raise exception 'toDay must not be before fromDay.' using errcode = 'CC712', column = 'to_day';
  end if;
  if to_day - from_day + 1 > max_days then
    raise exception 'A range covers at most % days; this one covers %.', max_days, to_day - from_day + 1 using errcode = 'CC713', column = 'to_day';
  end if;
  perform app_hidden.check_known_queue_and_location(queue, location);
  -- The directory as the caller may see it: an agent of another location is as unknown as one that does not exist.
  if agent is not null and app_hidden.agent_extensions(agent) is null then
    raise exception 'No agent with email or extension % that you may see.', agent using errcode = 'CC716', column = 'agent';
  end if;
end;
$function$;
comment on function app_hidden.check_kpi_range(date, date, text, text, text) is 'Raises CC711-CC716 for range arguments that cannot match (missing or reversed days, over 366 days, unknown queue, location or agent (email or extension)); the *_kpis_for_range functions call it first.';
revoke all on function app_hidden.check_kpi_range(date, date, text, text, text) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_hidden.check_kpi_range(date, date, text, text, text) to app_visitor;

-- The one-day functions (the calls behind a day's figures, staffing) name
-- their own day argument when it is missing.
create or replace function app_hidden.check_day_given(day date, argument text)
 returns void
 language plpgsql
 immutable
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
begin
  if day is null then
    raise exception '% is required: a business day (YYYY-MM-DD).', argument
      using errcode = 'CC711', column = lower(regexp_replace(argument, '([A-Z])', '_\1', 'g'));
  end if;
end;
$function$;
comment on function app_hidden.check_day_given(date, text) is 'Raises CC711 naming the argument (GraphQL name; the error''s column is its SQL name) when a one-day function is called without its day.';
revoke all on function app_hidden.check_day_given(date, text) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_hidden.check_day_given(date, text) to app_visitor;
--! EndIncluded kpi/check-range-arguments.sql
--! Included kpi/drill-down.sql
create or replace function app_public.agent_day_calls(agent text, business_day date)
 returns setof app_public.call_center_records
 language sql
 stable
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
  select app_hidden.check_day_given(agent_day_calls.business_day, 'businessDay');
  select app_hidden.check_kpi_range(agent_day_calls.business_day, agent_day_calls.business_day, null, null, agent_day_calls.agent);
  select c.* from app_public.call_center_records c
   where c.call_direction in ('inbound', 'outbound')
     and exists (select 1 from app_public.call_legs l
                  where l.call_record_id = c.id and l.agent_extension = any (app_hidden.agent_extensions(agent_day_calls.agent))
                    and l.started_at >= app_hidden.business_day_start(agent_day_calls.business_day)
                    and l.started_at < app_hidden.business_day_start(agent_day_calls.business_day + 1)
                    and (l.outcome in ('answered', 'transferred') or l.leg_type = 'ring'))
   order by c.call_start_time
$function$;
comment on function app_public.agent_day_calls(text,date) is 'The calls behind an agent''s figures for one business day: those the agent handled or that rang the agent unanswered. The agent by email (each of the person''s extensions) or by extension; an unknown agent is an error (CC716), a missing day too (CC711).';
revoke all on function app_public.agent_day_calls(text,date) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_public.agent_day_calls(text,date) to app_visitor;

create or replace function app_public.queue_day_calls(queue text, business_day date)
 returns setof app_public.call_center_records
 language sql
 stable
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
  select app_hidden.check_day_given(queue_day_calls.business_day, 'businessDay');
  select app_hidden.check_kpi_range(queue_day_calls.business_day, queue_day_calls.business_day, queue_day_calls.queue, null, null);
  select c.* from app_public.call_center_records c
   where c.queue_name = (select q.name from app_public.queues q where q.name = queue_day_calls.queue or q.extension = queue_day_calls.queue)
     and c.call_direction = 'inbound'
     and c.queue_entry_time >= app_hidden.business_day_start(queue_day_calls.business_day)
     and c.queue_entry_time < app_hidden.business_day_start(queue_day_calls.business_day + 1)
   order by c.call_start_time
$function$;
comment on function app_public.queue_day_calls(text,date) is 'The calls behind a queue''s figures for one business day; the queue by name or extension (an unknown one is an error, CC715).';
revoke all on function app_public.queue_day_calls(text,date) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_public.queue_day_calls(text,date) to app_visitor;

create or replace function app_public.queue_interval_calls(queue text, interval_start timestamp with time zone)
 returns setof app_public.call_center_records
 language sql
 stable
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
  select app_hidden.check_day_given(app_hidden.business_day(queue_interval_calls.interval_start), 'intervalStart');
  select app_hidden.check_kpi_range(app_hidden.business_day(queue_interval_calls.interval_start), app_hidden.business_day(queue_interval_calls.interval_start),
                                    queue_interval_calls.queue, null, null);
  select c.* from app_public.call_center_records c
   where c.queue_name = (select q.name from app_public.queues q where q.name = queue_interval_calls.queue or q.extension = queue_interval_calls.queue)
     and c.call_direction = 'inbound'
     and c.queue_entry_time >= app_hidden.kpi_interval(queue_interval_calls.interval_start)
     and c.queue_entry_time < app_hidden.kpi_interval(queue_interval_calls.interval_start) + interval '15 minutes'
   order by c.call_start_time
$function$;
comment on function app_public.queue_interval_calls(text,timestamp with time zone) is 'The calls behind a queue''s figures for one 15-minute interval (those offered to it then); the queue by name or extension (an unknown one is an error, CC715).';
revoke all on function app_public.queue_interval_calls(text,timestamp with time zone) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_public.queue_interval_calls(text,timestamp with time zone) to app_visitor;
--! EndIncluded kpi/drill-down.sql
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
  ), handling as (
    select q.queue_name, count(c.id)::integer as answered,
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
$function$;
comment on function app_public.staffing_forecast(date,text) is 'Erlang C staffing for every 15-minute interval of a business day, per queue (or one queue, by name or extension; an unknown one is an error, CC715): calls forecast from the same weekday and interval of the last 4 weeks, the agents needed for the queue''s service-level goal, and the agents scheduled (the queues of your locations; managers: all).';
revoke all on function app_public.staffing_forecast(date,text) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_public.staffing_forecast(date,text) to app_visitor;
--! EndIncluded kpi/staffing-forecast.sql
