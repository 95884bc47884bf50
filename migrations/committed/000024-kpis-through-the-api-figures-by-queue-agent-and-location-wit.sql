--! Previous: sha1:2f2c6961880fc62bd3f62f1a33ff861d5a92747b
--! Hash: sha1:79aab54abb2a0c47eb144ab4311d76a3e2fc2317
--! Message: KPIs through the API: figures by queue, agent and location with the calls' row rules, the calls behind any figure, recount on demand

/*
 * The KPI views for people: the analysts' views, limited to what the person
 * may see (as the calls): queues and teams of one's locations, agents of
 * one's locations or oneself; managers and above everything.
 */
create view app_public.queue_interval_kpis as
select k.* from analytics.queue_interval_kpis k
 where (select app_hidden.sees_all()) or k.location = any ((select app_hidden.team_locations())::text[]);
create view app_public.queue_daily_kpis as
select k.* from analytics.queue_daily_kpis k
 where (select app_hidden.sees_all()) or k.location = any ((select app_hidden.team_locations())::text[]);
create view app_public.agent_daily_kpis as
select k.* from analytics.agent_daily_kpis k
 where (select app_hidden.sees_all()) or k.location = any ((select app_hidden.team_locations())::text[])
    or k.agent_email = (select app_hidden.own_email());
create view app_public.team_daily_kpis as
select k.* from analytics.team_daily_kpis k
 where (select app_hidden.sees_all()) or (not k.all_locations and k.location = any ((select app_hidden.team_locations())::text[]));
grant select on app_public.queue_interval_kpis, app_public.queue_daily_kpis, app_public.agent_daily_kpis, app_public.team_daily_kpis to app_visitor;

comment on view app_public.queue_interval_kpis is E'@primaryKey queue,interval_start\nQueue figures per 15-minute interval (the queues of your locations; managers: all), each ratio beside its numerator and denominator.';
comment on view app_public.queue_daily_kpis is E'@primaryKey queue,business_day\nQueue figures per business day, added up from the intervals (the queues of your locations; managers: all).';
comment on view app_public.agent_daily_kpis is E'@primaryKey agent_extension,business_day\nAgent figures per business day (yourself, and the agents of your locations; managers: all).';
comment on view app_public.team_daily_kpis is E'Team (location) figures per business day, the agents'' counts summed (your locations; managers: all, and the practice-wide row).';

/* Column comments: the analysts' own, copied (one text per column, defined once). */
do $$
declare
  c record;
begin
  for c in
    select v.relname as view_name, a.attname, d.description
      from pg_class v join pg_namespace n on n.oid = v.relnamespace and n.nspname = 'app_public'
      join pg_attribute a on a.attrelid = v.oid and a.attnum > 0 and not a.attisdropped
      join pg_class src on src.relname = v.relname join pg_namespace sn on sn.oid = src.relnamespace and sn.nspname = 'analytics'
      join pg_attribute sa on sa.attrelid = src.oid and sa.attname = a.attname
      join pg_description d on d.objoid = src.oid and d.objsubid = sa.attnum
     where v.relname in ('queue_interval_kpis', 'queue_daily_kpis', 'agent_daily_kpis', 'team_daily_kpis')
  loop
    execute format('comment on column app_public.%I.%I is %L', c.view_name, c.attname, c.description);
  end loop;
end
$$;

/* The calls behind a figure: exactly the rows its counts were made from (as far as you may see them). */
create function app_public.queue_interval_calls(queue_name text, interval_start timestamptz) returns setof app_public.call_center_records
  language sql stable
  set search_path to pg_catalog, public, pg_temp
  as $$
  select c.* from app_public.call_center_records c
   where c.queue_name = queue_interval_calls.queue_name and c.call_direction = 'inbound'
     and coalesce(c.queue_entered_at, c.call_start_time) >= app_hidden.kpi_interval(queue_interval_calls.interval_start)
     and coalesce(c.queue_entered_at, c.call_start_time) < app_hidden.kpi_interval(queue_interval_calls.interval_start) + interval '15 minutes'
   order by c.call_start_time
$$;
comment on function app_public.queue_interval_calls(text, timestamptz) is 'The calls behind a queue''s figures for one 15-minute interval (those offered to it then).';

create function app_public.queue_day_calls(queue_name text, business_day date) returns setof app_public.call_center_records
  language sql stable
  set search_path to pg_catalog, public, pg_temp
  as $$
  select c.* from app_public.call_center_records c
   where c.queue_name = queue_day_calls.queue_name and c.call_direction = 'inbound'
     and coalesce(c.queue_entered_at, c.call_start_time) >= app_hidden.business_day_start(queue_day_calls.business_day)
     and coalesce(c.queue_entered_at, c.call_start_time) < app_hidden.business_day_start(queue_day_calls.business_day + 1)
   order by c.call_start_time
$$;
comment on function app_public.queue_day_calls(text, date) is 'The calls behind a queue''s figures for one business day.';

create function app_public.agent_day_calls(agent_extension text, business_day date) returns setof app_public.call_center_records
  language sql stable
  set search_path to pg_catalog, public, pg_temp
  as $$
  select c.* from app_public.call_center_records c
   where c.call_direction in ('inbound', 'outbound')
     and exists (select 1 from app_public.call_legs l
                  where l.call_record_id = c.id and l.agent_extension = agent_day_calls.agent_extension
                    and l.started_at >= app_hidden.business_day_start(agent_day_calls.business_day)
                    and l.started_at < app_hidden.business_day_start(agent_day_calls.business_day + 1)
                    and (l.answered_at is not null or l.leg_type = 'ring'))
   order by c.call_start_time
$$;
comment on function app_public.agent_day_calls(text, date) is 'The calls behind an agent''s figures for one business day: those the agent handled or that rang the agent unanswered.';
grant execute on function app_public.queue_interval_calls(text, timestamptz), app_public.queue_day_calls(text, date), app_public.agent_day_calls(text, date) to app_visitor;

/* Recount on demand (configureMetrics): the figures of a range of business days, from the calls, now. */
create function app_public.calculate_kpis(from_day date, to_day date) returns integer
  language plpgsql volatile security definer
  set search_path to pg_catalog, public, pg_temp
  as $$
begin
  if not app_hidden.has_permission('configureMetrics') then
    raise exception 'Recounting KPIs needs the configureMetrics permission.' using errcode = '42501';
  end if;
  if from_day is null or to_day is null or to_day < from_day or to_day - from_day > 366 then
    raise exception 'Give a range of business days, from_day ≤ to_day, at most 367 days.' using errcode = '22023';
  end if;
  return app_private.recount_kpis(from_day, to_day);
end;
$$;
comment on function app_public.calculate_kpis(date, date) is 'Recounts every queue and agent figure of a range of business days (at most 367) from the calls; returns the rows written. Needs configureMetrics.';
grant execute on function app_public.calculate_kpis(date, date) to app_visitor;

/* Missed when call types became rules (000019): people may read where a call's type came from. */
grant select (call_type_source) on app_public.call_center_records to app_visitor;
