--! Previous: sha1:6e8bbba873355efa628acdf3bd4e99c68e005a61
--! Hash: sha1:845de43a86c9852f61172b84875ab591f2f6d11b
--! Message: One check for ranges of instants

-- One check for ranges of instants (calls search, call analysis, journals search).
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

-- The person an agent argument names: the email given, or the directory's person behind an extension.
create or replace function app_hidden.agent_person(agent text)
 returns citext
 language sql
 stable
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
  select case when strpos(agent, '@') > 0 then agent::citext
              else (select a.user_email from app_public.agents a where a.extension = agent) end
$function$;
comment on function app_hidden.agent_person(text) is 'The email of the person an agent argument names: the email itself, or the user of the directory entry with that extension (as the caller may see the directory); NULL when an extension has no person.';
revoke all on function app_hidden.agent_person(text) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_hidden.agent_person(text) to app_visitor;

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

-- The range condition of the figure lists (businessDayRange, server/figure-ranges.ts): the same bounds as the
-- range functions, checked once per query (an InitPlan), true when the range may be asked for.
create or replace function app_hidden.day_range_allowed(from_day date, to_day date)
 returns boolean
 language plpgsql
 stable
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
begin
  perform app_hidden.check_kpi_range(from_day, to_day, null, null, null);
  return true;
end;
$function$;
comment on function app_hidden.day_range_allowed(date, date) is 'True for a range of business days the figure lists accept; raises CC711-CC713 (app_hidden.check_kpi_range) otherwise.';
revoke all on function app_hidden.day_range_allowed(date, date) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_hidden.day_range_allowed(date, date) to app_visitor;

-- The same rules for ranges of instants [fromTime, toTime): both given, in
-- order, and no wider than the function allows. One place for the calls
-- search, the call analysis and the journals search.
create or replace function app_hidden.check_time_range(from_time timestamptz, to_time timestamptz, max_days integer, what text, wide_column text default 'to_time')
 returns void
 language plpgsql
 immutable
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
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
    raise exception '% covers at most % days; this one covers %.', what, max_days, ceil(extract(epoch from to_time - from_time) / 86400)
      using errcode = 'CC713', column = wide_column;
  end if;
end;
$function$;
comment on function app_hidden.check_time_range(timestamptz, timestamptz, integer, text, text) is 'Checks a range of instants [from_time, to_time): both given (CC711), in order (CC712), at most max_days wide (CC713, naming wide_column; the message begins with what, e.g. ''A search'').';
revoke all on function app_hidden.check_time_range(timestamptz, timestamptz, integer, text, text) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_hidden.check_time_range(timestamptz, timestamptz, integer, text, text) to app_visitor;
--! EndIncluded kpi/check-range-arguments.sql
--! Included calls/search-call-records.sql
-- The calls list behind GET /api/call-records and the searchCallRecords query:
-- a bounded time range and whitelisted filters over indexed columns (never a
-- free-form filter), under the calls' own row-level security.
create or replace function app_public.search_call_records(
  from_time timestamptz,
  to_time timestamptz,
  agent text default null,
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
  perform app_hidden.check_time_range(from_time, to_time, max_days, 'A search');
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
  if agent is not null then
    if app_hidden.agent_extensions(agent) is null then
      raise exception 'No agent with email or extension % that you may see.', agent using errcode = 'CC715', column = 'agent';
    end if;
  end if;
  -- A queue by its name or by its extension.
  select q.name into queue_found from app_public.queues q where q.name = queue or q.extension = queue;
  return query
    select c.* from app_public.call_center_records c
     where c.call_start_time >= from_time and c.call_start_time < to_time
       -- An agent by email (indexed on agent_email) or by extension (indexed on agent_extension).
       and (agent is null or (strpos(agent, '@') > 0 and c.agent_email = agent::citext) or (strpos(agent, '@') = 0 and c.agent_extension = agent))
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
comment on function app_public.search_call_records(timestamptz, timestamptz, text, text, text, text, text, text, text) is E'Calls that started in [fromTime, toTime) (at most 93 days), optionally of one agent (by email or extension), location, queue (name or extension), direction, status or call type; the calls you may see, sorted by `sort` (call_start_time, wait_seconds or talk_duration_seconds; a leading - for descending; default -call_start_time). An unknown agent, queue or location, a bad value or a range too wide is an error, not an empty list.';
revoke all on function app_public.search_call_records(timestamptz, timestamptz, text, text, text, text, text, text, text) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_public.search_call_records(timestamptz, timestamptz, text, text, text, text, text, text, text) to app_visitor;
--! EndIncluded calls/search-call-records.sql
--! Included processing/analyze-calls.sql
-- POST /api/call-processing/analyze and the analyzeCalls mutation: re-run the
-- classification of a set of calls (status and outcome from their legs, call
-- type from the rules, first-call resolution) as a background job. The caller
-- gets the job's row at once (REST 202) and reads its state later
-- (GET /api/processing/jobs/{id}).
create or replace function app_public.analyze_calls(
  from_time timestamptz default null,
  to_time timestamptz default null,
  call_ids uuid[] default null)
 returns app_public.processing_jobs
 language plpgsql
 volatile
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
declare
  -- The widest range and the most ids one analysis may cover (CC713, CC717).
  max_days constant integer := 93;
  max_ids constant integer := 10000;
  job app_public.processing_jobs;
begin
  perform app_hidden.require_permission('configureMetrics');
  if call_ids is not null and (from_time is not null or to_time is not null) then
    raise exception 'Give either callIds or fromTime and toTime, not both.' using errcode = 'CC717', column = 'call_ids';
  end if;
  if call_ids is not null then
    if cardinality(call_ids) = 0 or cardinality(call_ids) > max_ids then
      raise exception 'callIds holds 1 to % calls; this one holds %.', max_ids, cardinality(call_ids) using errcode = 'CC717', column = 'call_ids';
    end if;
    if exists (select 1 from unnest(call_ids) i where not exists (select 1 from app_public.call_center_records c where c.id = i)) then
      raise exception 'callIds names a call that does not exist or that you may not see.' using errcode = 'CC717', column = 'call_ids';
    end if;
  else
    -- Without callIds, a range of start times.
    perform app_hidden.check_time_range(from_time, to_time, max_days, 'An analysis');
  end if;
  insert into app_public.processing_jobs (kind, parameters, requested_by)
  values ('call_analysis',
          case when call_ids is not null then jsonb_build_object('call_ids', to_jsonb(call_ids))
               else jsonb_build_object('from_time', from_time, 'to_time', to_time) end,
          auth.uid())
  returning * into job;
  return job;
end;
$function$;
comment on function app_public.analyze_calls(timestamptz, timestamptz, uuid[]) is E'Queues a re-run of the classification of calls (status and outcome from their legs, call type from the rules, first-call resolution) for calls that started in [fromTime, toTime) (at most 93 days) or for up to 10,000 callIds; answers the job (read its state with processingJobByRowId). Needs configureMetrics.';
revoke all on function app_public.analyze_calls(timestamptz, timestamptz, uuid[]) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_public.analyze_calls(timestamptz, timestamptz, uuid[]) to app_visitor;

-- The worker's side: run one queued analysis.
create or replace function app_private.run_call_analysis(job_id uuid)
 returns jsonb
 language plpgsql
 volatile
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
declare
  job app_public.processing_jobs;
  ids uuid[];
  fcr_changed integer;
  outcome jsonb;
begin
  select * into job from app_public.processing_jobs j where j.id = job_id for update;
  if job.id is null or job.status in ('succeeded', 'failed') then
    return null; -- gone, or already finished (a retried job after success)
  end if;
  update app_public.processing_jobs set status = 'running', started_at = coalesce(started_at, now()), attempts = attempts + 1 where id = job_id;
  if job.parameters ? 'call_ids' then
    select array_agg(c.id) into ids from app_public.call_center_records c
     where c.id in (select (jsonb_array_elements_text(job.parameters -> 'call_ids'))::uuid);
  else
    select array_agg(c.id) into ids from app_public.call_center_records c
     where c.call_start_time >= (job.parameters ->> 'from_time')::timestamptz and c.call_start_time < (job.parameters ->> 'to_time')::timestamptz;
  end if;
  ids := coalesce(ids, '{}');
  perform app_private.refresh_calls(ids);
  perform app_private.guess_call_types(ids);
  fcr_changed := app_private.derive_fcr(ids);
  outcome := jsonb_build_object('calls', cardinality(ids), 'fcr_changed', coalesce(fcr_changed, 0));
  update app_public.processing_jobs set status = 'succeeded', result = outcome, finished_at = now(), last_error = null where id = job_id;
  return outcome;
end;
$function$;
comment on function app_private.run_call_analysis(uuid) is 'Runs a queued call analysis (the calls__analyze job): refresh_calls, guess_call_types and derive_fcr over its calls, then marks the job succeeded with its counts. A finished job is left alone.';
revoke all on function app_private.run_call_analysis(uuid) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_private.run_call_analysis(uuid) to app_worker;

-- A failed attempt: queued again while attempts remain, failed for good after the last.
create or replace function app_private.processing_job_attempt_failed(job_id uuid, error text, final boolean)
 returns void
 language sql
 volatile
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
  update app_public.processing_jobs
     set status = case when final then 'failed' else 'queued' end,
         last_error = left(error, 2000),
         attempts = greatest(attempts, 1),
         finished_at = case when final then now() end
   where id = job_id and status not in ('succeeded', 'failed');
$function$;
comment on function app_private.processing_job_attempt_failed(uuid, text, boolean) is 'Records a failed attempt of a processing job: its error, and failed for good when it was the last attempt.';
revoke all on function app_private.processing_job_attempt_failed(uuid, text, boolean) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_private.processing_job_attempt_failed(uuid, text, boolean) to app_worker;

-- Every new processing job is queued for the worker (security definer: the API role may not queue jobs itself).
create or replace function app_private.tg_processing_jobs__queue()
 returns trigger
 language plpgsql
 security definer
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
begin
  perform app_private.add_job(
    case new.kind when 'call_analysis' then 'calls__analyze' end,
    json_build_object('processing_job_id', new.id),
    max_attempts => 3,
    queue_name => 'processing'
  );
  return null;
end;
$function$;
comment on function app_private.tg_processing_jobs__queue() is 'Queues the graphile-worker job of a new processing job (calls__analyze for call_analysis), at most 3 attempts.';
revoke all on function app_private.tg_processing_jobs__queue() from public, app_visitor, app_worker, app_analyst, app_authenticator;
--! EndIncluded processing/analyze-calls.sql
--! Included journals/search.sql
-- Journal search behind GET /api/journals/search and searchCallJournals:
-- words (full text over the unprotected fields, whole words of the protected
-- notes through the blind index: nothing is decrypted), tags, agent,
-- location, status, a follow-up due by a day, over a bounded range of
-- creation times, sorted by a whitelisted column, under the journals' own
-- row-level security. The words are bounded (CC701, CC702) and hashed once
-- per search, never once per journal.
create or replace function app_public.search_call_journals(
  query text default null,
  tags text[] default null,
  agent text default null,
  location text default null,
  status text default null,
  from_time timestamptz default null,
  to_time timestamptz default null,
  follow_up_due_by date default null,
  sort text default '-created_at')
 returns setof app_public.call_journals
 language plpgsql
 stable
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
declare
  -- The bounds of a search; a larger one is refused (CC701, CC702, CC713; db/error_codes.md).
  max_length constant integer := 300;
  max_words constant integer := 20;
  max_days constant integer := 366;
  q constant text := trim(coalesce(query, ''));
  wanted_tags constant text[] := nullif(tags, '{}');
  since timestamptz := coalesce(from_time, coalesce(to_time, now()) - make_interval(days => max_days));
  words integer;
  terms tsquery;
  hashes bytea[];
  -- The agent by email, or by extension (the directory's person behind it).
  agent_person citext;
begin
  -- Nothing asked for, nothing found.
  if q = '' and wanted_tags is null and agent is null and location is null and status is null
     and from_time is null and to_time is null and follow_up_due_by is null then
    return;
  end if;
  if length(q) > max_length then
    raise exception 'A search is at most % characters; this one has %.', max_length, length(q) using errcode = 'CC701', column = 'query';
  end if;
  -- Words as the blind index splits them (app_hidden.phi_word_hashes).
  select count(*) into words from regexp_split_to_table(lower(q), '[^[:alnum:]]+') w where w <> '';
  if words > max_words then
    raise exception 'A search is at most % words; this one has %.', max_words, words using errcode = 'CC702', column = 'query';
  end if;
  if cardinality(wanted_tags) > max_words then
    raise exception 'A search names at most % tags; this one names %.', max_words, cardinality(wanted_tags) using errcode = 'CC702', column = 'tags';
  end if;
  -- Without fromTime the range is the max_days before toTime (or now): too wide can only be fromTime's doing.
  -- (A fromTime after now with no toTime is no error: it finds nothing yet.)
  perform app_hidden.check_time_range(since, coalesce(to_time, greatest(now(), since + interval '1 second')), max_days, 'A search', 'from_time');
  if status is not null and status not in ('draft', 'submitted', 'reviewed', 'approved') then
    raise exception 'status must be draft, submitted, reviewed or approved.' using errcode = 'CC714', column = 'status';
  end if;
  if sort not in ('created_at', '-created_at', 'submitted_at', '-submitted_at', 'follow_up_date', '-follow_up_date', 'review_score', '-review_score') then
    raise exception 'sort must be created_at, submitted_at, follow_up_date or review_score, with - before it for descending.' using errcode = 'CC714', column = 'sort';
  end if;
  perform app_hidden.check_known_queue_and_location(null, location);
  if agent is not null then
    agent_person := app_hidden.agent_person(agent);
    if agent_person is null or not exists (select 1 from app_public.users u where u.email = agent_person) then
      raise exception 'No agent with email or extension % that you may see.', agent using errcode = 'CC715', column = 'agent';
    end if;
  end if;
  if q <> '' then
    terms := websearch_to_tsquery('english', q);
    hashes := app_hidden.phi_word_hashes(q);
  end if;
  return query
    select j.* from app_public.call_journals j
     where j.created_at >= since and (to_time is null or j.created_at < to_time)
       and (q = '' or j.search_vector @@ terms or (cardinality(hashes) > 0 and j.notes_word_hashes @> hashes))
       and (wanted_tags is null or j.call_tags @> wanted_tags)
       and (agent is null or j.agent_email = agent_person)
       and (status is null or j.journal_status = status)
       and (follow_up_due_by is null or (j.follow_up_required and j.follow_up_date <= follow_up_due_by))
       and (search_call_journals.location is null
            or exists (select 1 from app_public.call_center_records c
                        where c.id = j.call_record_id and c.location = search_call_journals.location))
     order by
       case sort when 'created_at' then j.created_at end asc,
       case sort when '-created_at' then j.created_at end desc,
       case sort when 'submitted_at' then j.submitted_at end asc nulls last,
       case sort when '-submitted_at' then j.submitted_at end desc nulls last,
       case sort when 'follow_up_date' then j.follow_up_date end asc nulls last,
       case sort when '-follow_up_date' then j.follow_up_date end desc nulls last,
       case sort when 'review_score' then j.review_score end asc nulls last,
       case sort when '-review_score' then j.review_score end desc nulls last,
       j.created_at desc, j.id;
end;
$function$;
comment on function app_public.search_call_journals(text, text[], text, text, text, timestamptz, timestamptz, date, text) is E'Journals you may see matching every criterion given: `query` (full text over summary, tags, action items and departments, and whole words of the protected notes through the blind index, nothing decrypted; at most 300 characters and 20 words, CC701, CC702), `tags` (every one of them, at most 20), `agent` (by email or extension; CC715 when there is no such agent you may see), `location` (CC715 when it does not exist), `status`, `followUpDueBy` (a follow-up due on or before that day), created in [fromTime, toTime) (at most 366 days, CC712, CC713; by default the 366 days before toTime, or before now). Sorted by `sort`: created_at, submitted_at, follow_up_date or review_score, with a leading - for descending (default -created_at; CC714 for another value). No criterion at all finds nothing.';
revoke all on function app_public.search_call_journals(text, text[], text, text, text, timestamptz, timestamptz, date, text) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_public.search_call_journals(text, text[], text, text, text, timestamptz, timestamptz, date, text) to app_visitor;
--! EndIncluded journals/search.sql
