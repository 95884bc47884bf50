--! Previous: sha1:3228c0b96f8ffc5ee2a08559b6d48c2033bac809
--! Hash: sha1:abe4b4127cd88638c8bb68e84fa83948869af626
--! Message: One check for a known queue and location

-- One check for a known queue and location, shared by the range figures and the calls search.
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

create or replace function app_hidden.check_kpi_range(from_day date, to_day date, queue text, location text, agent_email citext)
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
  if agent_email is not null and not exists (select 1 from app_public.agents a where a.user_email = agent_email) then
    raise exception 'No agent % that you may see.', agent_email using errcode = 'CC716', column = 'agent_email';
  end if;
end;
$function$;
comment on function app_hidden.check_kpi_range(date, date, text, text, citext) is 'Raises CC711-CC716 for range arguments that cannot match (missing or reversed days, over 366 days, unknown queue, location or agent); the *_kpis_for_range functions call it first.';
revoke all on function app_hidden.check_kpi_range(date, date, text, text, citext) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_hidden.check_kpi_range(date, date, text, text, citext) to app_visitor;
--! EndIncluded kpi/check-range-arguments.sql
--! Included calls/search-call-records.sql
-- The calls list behind GET /api/call-records and the searchCallRecords query:
-- a bounded time range and whitelisted filters over indexed columns (never a
-- free-form filter), under the calls' own row-level security.
create or replace function app_public.search_call_records(
  from_time timestamptz,
  to_time timestamptz,
  agent_email citext default null,
  location text default null,
  queue text default null,
  direction text default null,
  status text default null,
  call_type text default null,
  sort text default '-call_start_time')
 returns setof app_public.call_center_records
 language plpgsql
 stable
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
declare
  -- The widest range one search may cover (CC713; db/error_codes.md).
  max_days constant integer := 93;
  queue_found text;
begin
  if from_time is null then
    raise exception 'fromTime is required: the start of the range (inclusive).' using errcode = 'CC711', column = 'from_time';
  end if;
  if to_time is null then
    raise exception 'toTime is required: the end of the range (exclusive).' using errcode = 'CC711', column = 'to_time';
  end if;
  if to_time <= from_time then
    raise exception 'toTime must be after fromTime.' using errcode = 'CC712', column = 'to_time';
  end if;
  if to_time - from_time > make_interval(days => max_days) then
    raise exception 'A search covers at most % days; this one covers %.', max_days, ceil(extract(epoch from to_time - from_time) / 86400)
      using errcode = 'CC713', column = 'to_time';
  end if;
  if direction is not null and direction not in ('inbound', 'outbound', 'internal') then
    raise exception 'direction must be inbound, outbound or internal.' using errcode = 'CC714', column = 'direction';
  end if;
  if status is not null and status not in ('completed', 'transferred', 'abandoned', 'missed', 'voicemail') then
    raise exception 'status must be completed, transferred, abandoned, missed or voicemail.' using errcode = 'CC714', column = 'status';
  end if;
  if call_type is not null and call_type not in ('appointment', 'prescription', 'billing', 'general', 'follow_up') then
    raise exception 'callType must be appointment, prescription, billing, general or follow_up.' using errcode = 'CC714', column = 'call_type';
  end if;
  if sort not in ('call_start_time', '-call_start_time', 'wait_seconds', '-wait_seconds', 'talk_duration_seconds', '-talk_duration_seconds') then
    raise exception 'sort must be call_start_time, wait_seconds or talk_duration_seconds, with - before it for descending.' using errcode = 'CC714', column = 'sort';
  end if;
  perform app_hidden.check_known_queue_and_location(queue, location);
  -- A queue by its name or by its extension.
  select q.name into queue_found from app_public.queues q where q.name = queue or q.extension = queue;
  return query
    select c.* from app_public.call_center_records c
     where c.call_start_time >= from_time and c.call_start_time < to_time
       and (search_call_records.agent_email is null or c.agent_email = search_call_records.agent_email)
       and (search_call_records.location is null or c.location = search_call_records.location)
       and (queue_found is null or c.queue_name = queue_found)
       and (direction is null or c.call_direction = direction)
       and (status is null or c.call_status = status)
       and (search_call_records.call_type is null or c.call_type = search_call_records.call_type)
     order by
       case sort when 'call_start_time' then c.call_start_time end asc,
       case sort when '-call_start_time' then c.call_start_time end desc,
       case sort when 'wait_seconds' then c.wait_seconds end asc nulls last,
       case sort when '-wait_seconds' then c.wait_seconds end desc nulls last,
       case sort when 'talk_duration_seconds' then c.talk_duration_seconds end asc nulls last,
       case sort when '-talk_duration_seconds' then c.talk_duration_seconds end desc nulls last,
       c.call_start_time desc, c.id;
end;
$function$;
comment on function app_public.search_call_records(timestamptz, timestamptz, citext, text, text, text, text, text, text) is E'Calls that started in [fromTime, toTime) (at most 93 days), optionally of one agent (email), location, queue (name or extension), direction, status or call type; the calls you may see, sorted by `sort` (call_start_time, wait_seconds or talk_duration_seconds; a leading - for descending; default -call_start_time). An unknown queue or location, a bad value or a range too wide is an error, not an empty list.';
revoke all on function app_public.search_call_records(timestamptz, timestamptz, citext, text, text, text, text, text, text) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_public.search_call_records(timestamptz, timestamptz, citext, text, text, text, text, text, text) to app_visitor;
--! EndIncluded calls/search-call-records.sql
