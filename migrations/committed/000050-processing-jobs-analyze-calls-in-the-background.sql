--! Previous: sha1:64dc40992e92410b30960d1c5586d0fca741426f
--! Hash: sha1:be563fcf3e625cb63c130b37f478a13c36bb0065
--! Message: Processing jobs: analyze calls in the background

-- Background processing a person asks for (issue "Goals, campaigns and the
-- workforce day", Processing): POST /api/call-processing/analyze queues a
-- re-classification of calls and answers 202 with the job; GET
-- /api/processing/jobs/{id} reads its state. The row is the job as people see
-- it; graphile-worker's own job is an implementation detail.
create table if not exists app_public.processing_jobs (
  id uuid primary key default gen_random_uuid(),
  kind text not null check (kind in ('call_analysis')),
  parameters jsonb not null default '{}' check (jsonb_typeof(parameters) = 'object'),
  requested_by uuid references app_public.users (id) on delete set null,
  status text not null default 'queued' check (status in ('queued', 'running', 'succeeded', 'failed')),
  attempts integer not null default 0 check (attempts >= 0),
  result jsonb check (result is null or jsonb_typeof(result) = 'object'),
  last_error text check (length(last_error) <= 2000),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  started_at timestamptz,
  finished_at timestamptz,
  check ((status in ('succeeded', 'failed')) = (finished_at is not null))
);
create index if not exists processing_jobs_requested_by_idx on app_public.processing_jobs (requested_by, created_at);
comment on table app_public.processing_jobs is E'@omit create,update,delete\nBackground work a person asked for (analyzeCalls), its state and its result; the requester and configureMetrics holders see it.';
comment on column app_public.processing_jobs.id is 'The job''s id (answered by POST /api/call-processing/analyze).';
comment on column app_public.processing_jobs.kind is 'What the job does: call_analysis.';
comment on column app_public.processing_jobs.parameters is 'What it was asked for: call_ids, or from_time and to_time.';
comment on column app_public.processing_jobs.requested_by is 'Who asked for it.';
comment on column app_public.processing_jobs.status is 'queued, running, succeeded or failed (after its last attempt).';
comment on column app_public.processing_jobs.attempts is 'Attempts started (at most 3).';
comment on column app_public.processing_jobs.result is 'What it did, once succeeded: calls analyzed (calls) and first-call resolutions changed (fcr_changed).';
comment on column app_public.processing_jobs.last_error is 'The error of the last failed attempt.';
comment on column app_public.processing_jobs.created_at is 'When it was asked for.';
comment on column app_public.processing_jobs.updated_at is 'When its state last changed.';
comment on column app_public.processing_jobs.started_at is 'When its first attempt started.';
comment on column app_public.processing_jobs.finished_at is 'When it succeeded or failed for good.';
select app_private.secure_table('app_public.processing_jobs');
drop trigger if exists _100_timestamps on app_public.processing_jobs;
create trigger _100_timestamps before insert or update on app_public.processing_jobs for each row execute function app_private.tg__timestamps();
drop trigger if exists _900_audit on app_public.processing_jobs;
create trigger _900_audit after insert or update or delete on app_public.processing_jobs for each row execute function app_private.tg__audit('id');

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
    if from_time is null then
      raise exception 'fromTime is required (or callIds): the start of the range (inclusive).' using errcode = 'CC711', column = 'from_time';
    end if;
    if to_time is null then
      raise exception 'toTime is required: the end of the range (exclusive).' using errcode = 'CC711', column = 'to_time';
    end if;
    if to_time <= from_time then
      raise exception 'toTime must be after fromTime.' using errcode = 'CC712', column = 'to_time';
    end if;
    if to_time - from_time > make_interval(days => max_days) then
      raise exception 'An analysis covers at most % days; this one covers %.', max_days, ceil(extract(epoch from to_time - from_time) / 86400)
        using errcode = 'CC713', column = 'to_time';
    end if;
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
--! Included access/processing_jobs.sql
drop policy if exists insert_configure_metrics on app_public.processing_jobs;
create policy insert_configure_metrics on app_public.processing_jobs for insert to app_visitor
  with check ((requested_by = (select auth.uid())) and (select app_hidden.has_permission('configureMetrics')));

drop policy if exists select_own_or_configure_metrics on app_public.processing_jobs;
create policy select_own_or_configure_metrics on app_public.processing_jobs for select to app_visitor
  using ((requested_by = (select auth.uid())) or (select app_hidden.has_permission('configureMetrics')));

revoke all on app_public.processing_jobs from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant select on app_public.processing_jobs to app_visitor;
grant insert (kind, parameters, requested_by) on app_public.processing_jobs to app_visitor;
grant select, update on app_public.processing_jobs to app_worker;
--! EndIncluded access/processing_jobs.sql

drop trigger if exists _500_queue on app_public.processing_jobs;
create trigger _500_queue after insert on app_public.processing_jobs for each row execute function app_private.tg_processing_jobs__queue();
