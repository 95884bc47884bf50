--! Previous: sha1:ac75a9793ca3bb9f2759132b47092e242ca19be1
--! Hash: sha1:3228c0b96f8ffc5ee2a08559b6d48c2033bac809
--! Message: Drill-down functions take queue by name or extension

-- One word for one thing: the drill-down functions take `queue` (name or
-- extension), as queueKpisForRange and searchCallRecords do, not `queueName`.
-- An argument's name is part of the signature PostgreSQL keeps, so they are
-- dropped and created again from their file.
drop function if exists app_public.queue_day_calls(text, date);
drop function if exists app_public.queue_interval_calls(text, timestamptz);
--! Included kpi/drill-down.sql
create or replace function app_public.agent_day_calls(agent_extension text, business_day date)
 returns setof app_public.call_center_records
 language sql
 stable
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
  select c.* from app_public.call_center_records c
   where c.call_direction in ('inbound', 'outbound')
     and exists (select 1 from app_public.call_legs l
                  where l.call_record_id = c.id and l.agent_extension = agent_day_calls.agent_extension
                    and l.started_at >= app_hidden.business_day_start(agent_day_calls.business_day)
                    and l.started_at < app_hidden.business_day_start(agent_day_calls.business_day + 1)
                    and (l.outcome in ('answered', 'transferred') or l.leg_type = 'ring'))
   order by c.call_start_time
$function$;
comment on function app_public.agent_day_calls(text,date) is 'The calls behind an agent''s figures for one business day: those the agent handled or that rang the agent unanswered.';
revoke all on function app_public.agent_day_calls(text,date) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_public.agent_day_calls(text,date) to app_visitor;

create or replace function app_public.queue_day_calls(queue text, business_day date)
 returns setof app_public.call_center_records
 language sql
 stable
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
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
