--! Previous: sha1:670d0bee218540205b57e739cecfb44810b2333b
--! Hash: sha1:81797f2bc6c63e80b39cb70e108fac2dc6c52872
--! Message: Rules written once: queue_entry_time column, one mark-stale trigger

-- Issue 15, rules written once.
-- 1. When a call entered its queue (its start when it had no entry time) is one stored column, not an expression
--    repeated in every query that places a call in a queue interval; its index replaces the expression index.
alter table app_public.call_center_records
  add column if not exists queue_entry_time timestamptz generated always as (coalesce(queue_entered_at, call_start_time)) stored;
comment on column app_public.call_center_records.queue_entry_time is 'When the call entered its queue, or its start when it has no queue entry time: the time that places an inbound call in its queue''s 15-minute interval and business day.';
drop index if exists app_public.call_center_records_queue_entered_idx;
create index if not exists call_center_records_queue_entry_time_idx on app_public.call_center_records (queue_name, queue_entry_time);

--! Included access/call_center_records.sql
drop policy if exists select_in_scope on app_public.call_center_records;
create policy select_in_scope on app_public.call_center_records for select to app_visitor
  using ((select app_hidden.sees_all()) or (location = any ((select app_hidden.team_locations())::text[])) or (agent_email = (select app_hidden.own_email())));

drop policy if exists update_edit_call_journals on app_public.call_center_records;
create policy update_edit_call_journals on app_public.call_center_records for update to app_visitor
  using ((select app_hidden.has_permission('editCallJournals')) and ((select app_hidden.sees_all()) or (location = any ((select app_hidden.team_locations())::text[])) or (agent_email = (select app_hidden.own_email()))));

revoke all on app_public.call_center_records from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant delete, insert, select, update on app_public.call_center_records to app_worker;
grant select (after_call_work_seconds, agent_email, agent_extension, agent_name, answer_time_known, appointment_date, appointment_scheduled, appointment_type, call_answer_time, call_direction, call_end_time, call_id, call_outcome, call_priority, call_start_time, call_status, call_type, call_type_source, called_number, caller_name, caller_name_encrypted, caller_name_masked, caller_number, caller_number_encrypted, caller_number_hash, caller_number_masked, campaign_id, complaint_call, compliance_notes, compliance_notes_encrypted, compliance_notes_masked, created_at, customer_satisfaction_score, ended_in, escalation_required, fcr_final, fcr_source, first_call_resolution, follow_up_date, follow_up_required, hold_time_seconds, id, location, patient_mrn, patient_mrn_encrypted, patient_mrn_masked, pbx_route, provider_requested, quality_score, queue_entered_at, queue_entry_time, queue_name, recording_available, recording_reviewed, recording_url, recording_url_encrypted, ring_duration_seconds, shift_id, talk_duration_seconds, transfer_count, updated_at, wait_seconds) on app_public.call_center_records to app_visitor;
grant update (after_call_work_seconds, appointment_date, appointment_scheduled, appointment_type, call_outcome, call_priority, call_type, campaign_id, complaint_call, compliance_notes, customer_satisfaction_score, escalation_required, first_call_resolution, follow_up_date, follow_up_required, provider_requested, recording_reviewed) on app_public.call_center_records to app_visitor;
--! EndIncluded access/call_center_records.sql
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

create or replace function app_public.queue_day_calls(queue_name text, business_day date)
 returns setof app_public.call_center_records
 language sql
 stable
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
  select c.* from app_public.call_center_records c
   where c.queue_name = queue_day_calls.queue_name and c.call_direction = 'inbound'
     and c.queue_entry_time >= app_hidden.business_day_start(queue_day_calls.business_day)
     and c.queue_entry_time < app_hidden.business_day_start(queue_day_calls.business_day + 1)
   order by c.call_start_time
$function$;
comment on function app_public.queue_day_calls(text,date) is 'The calls behind a queue''s figures for one business day.';
revoke all on function app_public.queue_day_calls(text,date) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_public.queue_day_calls(text,date) to app_visitor;

create or replace function app_public.queue_interval_calls(queue_name text, interval_start timestamp with time zone)
 returns setof app_public.call_center_records
 language sql
 stable
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
  select c.* from app_public.call_center_records c
   where c.queue_name = queue_interval_calls.queue_name and c.call_direction = 'inbound'
     and c.queue_entry_time >= app_hidden.kpi_interval(queue_interval_calls.interval_start)
     and c.queue_entry_time < app_hidden.kpi_interval(queue_interval_calls.interval_start) + interval '15 minutes'
   order by c.call_start_time
$function$;
comment on function app_public.queue_interval_calls(text,timestamp with time zone) is 'The calls behind a queue''s figures for one 15-minute interval (those offered to it then).';
revoke all on function app_public.queue_interval_calls(text,timestamp with time zone) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_public.queue_interval_calls(text,timestamp with time zone) to app_visitor;
--! EndIncluded kpi/drill-down.sql
--! Included kpi/recount-queue-intervals.sql
create or replace function app_private.recount_queue_intervals(keys jsonb)
 returns integer
 language plpgsql
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
declare
  n integer;
begin
  -- Two statements: an insert in the same statement as the delete would not see the rows gone.
  delete from app_public.queue_interval_stats s
   using jsonb_to_recordset(keys) as k(queue_name text, interval_start timestamptz)
   where s.queue_name = k.queue_name and s.interval_start = k.interval_start;
  with k as (
    select distinct x.queue_name, x.interval_start
      from jsonb_to_recordset(keys) as x(queue_name text, interval_start timestamptz)
  ), calls as (
    -- (lateral, fenced by offset 0 so it stays one index range scan per key, however many keys)
    -- Answered: by an agent (the answer time may be unknown). A caller who hung up in an IVR the queue passed the call
    -- to is an IVR abandon, counted apart (analytics.ivr_daily_kpis): for the queue the call was not answered (missed).
    select k.queue_name, k.interval_start, c.call_status, c.wait_seconds, c.call_status in ('completed', 'transferred') as answered,
           st.sl_threshold_seconds, st.short_abandon_seconds,
           c.call_status = 'abandoned' and c.wait_seconds is not null and c.wait_seconds < st.short_abandon_seconds as short_abandon
      from k
      join app_hidden.effective_queue_settings st on st.queue_name = k.queue_name
      cross join lateral (select x.call_status_in_queue as call_status, x.wait_seconds
                            from (select x.*, case when x.call_status = 'abandoned' and x.ended_in = 'ivr' then 'missed' else x.call_status end as call_status_in_queue
                                    from app_public.call_center_records x
                           where x.queue_name = k.queue_name and x.call_direction = 'inbound'
                             and x.queue_entry_time >= k.interval_start
                             and x.queue_entry_time < k.interval_start + interval '15 minutes' offset 0) x) c
  )
  insert into app_public.queue_interval_stats (
    queue_name, interval_start, business_day, offered, answered, abandoned, short_abandoned, voicemail, missed, transferred,
    answered_within_sl, abandoned_within_sl, wait_unknown, answered_wait_seconds, abandoned_wait_seconds, max_wait_seconds,
    answered_wait_le_10, answered_wait_le_20, answered_wait_le_30, answered_wait_le_60, answered_wait_le_120, answered_wait_gt_120,
    abandoned_wait_le_10, abandoned_wait_le_20, abandoned_wait_le_30, abandoned_wait_le_60, abandoned_wait_le_120, abandoned_wait_gt_120,
    sl_threshold_seconds, short_abandon_seconds)
  select c.queue_name, c.interval_start, app_hidden.business_day(c.interval_start),
         count(*),
         count(*) filter (where c.answered),
         count(*) filter (where not c.answered and c.call_status = 'abandoned' and not c.short_abandon),
         count(*) filter (where not c.answered and c.short_abandon),
         count(*) filter (where not c.answered and c.call_status = 'voicemail'),
         count(*) filter (where not c.answered and c.call_status = 'missed'),
         count(*) filter (where c.answered and c.call_status = 'transferred'),
         count(*) filter (where c.answered and c.wait_seconds <= c.sl_threshold_seconds),
         count(*) filter (where not c.answered and c.call_status = 'abandoned' and not c.short_abandon and c.wait_seconds <= c.sl_threshold_seconds),
         count(*) filter (where c.answered and c.wait_seconds is null),
         coalesce(sum(c.wait_seconds) filter (where c.answered), 0),
         coalesce(sum(c.wait_seconds) filter (where not c.answered and c.call_status = 'abandoned' and not c.short_abandon), 0),
         max(c.wait_seconds),
         count(*) filter (where c.answered and c.wait_seconds <= 10), count(*) filter (where c.answered and c.wait_seconds <= 20),
         count(*) filter (where c.answered and c.wait_seconds <= 30), count(*) filter (where c.answered and c.wait_seconds <= 60),
         count(*) filter (where c.answered and c.wait_seconds <= 120), count(*) filter (where c.answered and c.wait_seconds > 120),
         count(*) filter (where c.call_status = 'abandoned' and not c.answered and not c.short_abandon and c.wait_seconds <= 10),
         count(*) filter (where c.call_status = 'abandoned' and not c.answered and not c.short_abandon and c.wait_seconds <= 20),
         count(*) filter (where c.call_status = 'abandoned' and not c.answered and not c.short_abandon and c.wait_seconds <= 30),
         count(*) filter (where c.call_status = 'abandoned' and not c.answered and not c.short_abandon and c.wait_seconds <= 60),
         count(*) filter (where c.call_status = 'abandoned' and not c.answered and not c.short_abandon and c.wait_seconds <= 120),
         count(*) filter (where c.call_status = 'abandoned' and not c.answered and not c.short_abandon and c.wait_seconds > 120),
         min(c.sl_threshold_seconds), min(c.short_abandon_seconds)
    from calls c
   group by c.queue_name, c.interval_start;
  get diagnostics n = row_count;
  return n;
end;
$function$;
comment on function app_private.recount_queue_intervals(jsonb) is 'Recounts the given (queue_name, interval_start) rows of queue_interval_stats from the calls: answered = an agent answered; an abandon that ended in an IVR is the IVR''s, not the queue''s.';
revoke all on function app_private.recount_queue_intervals(jsonb) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_private.recount_queue_intervals(jsonb) to app_worker;
--! EndIncluded kpi/recount-queue-intervals.sql
--! Included kpi/refresh.sql
create or replace function app_private.queue_kpi_refresh()
 returns void
 language plpgsql
 security definer
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
begin
  if coalesce(current_setting('app.kpi_refresh_after_commit', true), '') <> 'on' then
    perform app_private.add_job('kpi__refresh', '{}'::json);
  end if;
end;
$function$;
comment on function app_private.queue_kpi_refresh() is 'Queues kpi__refresh for the marks of this transaction (no job key: a key would make concurrent writers wait for each other), unless the writer queues it after its commit (app.kpi_refresh_after_commit).';
revoke all on function app_private.queue_kpi_refresh() from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_private.queue_kpi_refresh() to app_worker;

create or replace function app_private.recount_kpis(from_day date, to_day date)
 returns integer
 language plpgsql
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
declare
  q integer;
  a integer;
  s integer;
  g integer;
  t integer;
  range_start timestamptz := app_hidden.business_day_start(from_day);
  range_end timestamptz := app_hidden.business_day_start(to_day + 1);
begin
  perform pg_advisory_xact_lock(hashtext('app_private.kpi_recount'));
  -- Every interval of every queue that has calls or rows in the range, and every agent day with legs or rows.
  select app_private.recount_queue_intervals(coalesce(jsonb_agg(jsonb_build_object('queue_name', queue_name, 'interval_start', interval_start)), '[]')) into q
    from (select c.queue_name, app_hidden.kpi_interval(c.queue_entry_time) as interval_start
            from app_public.call_center_records c
           where c.queue_name is not null and c.queue_entry_time >= range_start and c.queue_entry_time < range_end
          union
          select s.queue_name, s.interval_start from app_public.queue_interval_stats s where s.interval_start >= range_start and s.interval_start < range_end) x;
  select app_private.recount_agent_days(coalesce(jsonb_agg(jsonb_build_object('agent_extension', agent_extension, 'business_day', business_day)), '[]')) into a
    from (select distinct l.agent_extension, app_hidden.business_day(l.started_at) as business_day
            from app_public.call_legs l
           where l.agent_extension is not null and l.started_at >= range_start and l.started_at < range_end
          union
          select s.agent_extension, s.business_day from app_public.agent_daily_stats s where s.business_day between from_day and to_day) x;
  -- Shifts starting in the range or the day before, goals overlapping it, and every team day of it.
  s := app_private.recount_shifts(array(select x.id from app_public.agent_shifts x where x.shift_date between from_day - 1 and to_day));
  g := app_private.recount_goals(array(select x.id from app_public.performance_goals x where x.period_start_date <= to_day and x.period_end_date >= from_day));
  t := app_private.recount_team_days(array(select d::date from generate_series(from_day, to_day, interval '1 day') d));
  return q + a + s + g + t;
end;
$function$;
comment on function app_private.recount_kpis(date,date) is 'Recounts every queue interval, agent day, shift, goal and team row of a range of business days from the calls, shifts and reviews; returns the rows written or changed.';
revoke all on function app_private.recount_kpis(date,date) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_private.recount_kpis(date,date) to app_worker;

create or replace function app_private.refresh_stale_kpis(batch integer default 500)
 returns integer
 language plpgsql
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
declare
  f uuid[];
  q jsonb;
  a jsonb;
  p jsonb;
  g uuid[];
  t date[];
  taken integer := 0;
begin
  -- One recount at a time (another waits here, then takes what is left): two never write the same row.
  perform pg_advisory_xact_lock(hashtext('app_private.kpi_recount'));
  -- What this recount marks (first-call resolution changing calls) its job takes on its next round: no new job for it.
  perform set_config('app.kpi_refresh_after_commit', 'on', true);

  with claimed as (
    delete from app_private.kpi_stale_fcr_calls s
     where s.id in (select id from app_private.kpi_stale_fcr_calls order by id limit batch for update skip locked)
    returning s.call_record_id
  ) select array_agg(distinct call_record_id) into f from claimed;
  if f is not null then
    perform app_private.derive_fcr(f);
    taken := taken + cardinality(f);
  end if;

  with claimed as (
    delete from app_private.kpi_stale_queue_intervals s
     where s.id in (select id from app_private.kpi_stale_queue_intervals order by id limit batch for update skip locked)
    returning s.queue_name, s.interval_start
  ) select coalesce(jsonb_agg(distinct jsonb_build_object('queue_name', queue_name, 'interval_start', interval_start)), '[]') into q from claimed;
  with claimed as (
    delete from app_private.kpi_stale_agent_days s
     where s.id in (select id from app_private.kpi_stale_agent_days order by id limit batch for update skip locked)
    returning s.agent_extension, s.business_day
  ) select coalesce(jsonb_agg(distinct jsonb_build_object('agent_extension', agent_extension, 'business_day', business_day)), '[]') into a from claimed;
  perform app_private.recount_queue_intervals(q);
  perform app_private.recount_agent_days(a);

  -- The people behind those agent days, and the days' team rows (an extension nobody owns still counts for all locations).
  insert into app_private.kpi_stale_person_days (agent_email, business_day)
  select distinct ag.user_email, k.business_day
    from jsonb_to_recordset(a) as k(agent_extension text, business_day date)
    join app_public.agents ag on ag.extension = k.agent_extension and ag.is_active and ag.user_email is not null;
  insert into app_private.kpi_stale_team_days (business_day)
  select distinct k.business_day from jsonb_to_recordset(a) as k(agent_extension text, business_day date);

  with claimed as (
    delete from app_private.kpi_stale_person_days s
     where s.id in (select id from app_private.kpi_stale_person_days order by id limit batch for update skip locked)
    returning s.agent_email, s.business_day
  ) select coalesce(jsonb_agg(distinct jsonb_build_object('agent_email', agent_email, 'business_day', business_day)), '[]') into p from claimed;
  -- Shifts of the day and of the day before (a night shift reaches into the day).
  perform app_private.recount_shifts(array(
    select s.id from jsonb_to_recordset(p) as k(agent_email citext, business_day date)
      join app_public.agent_shifts s on s.agent_email = k.agent_email and s.shift_date in (k.business_day, k.business_day - 1)));
  with claimed as (
    delete from app_private.kpi_stale_goals s
     where s.id in (select id from app_private.kpi_stale_goals order by id limit batch for update skip locked)
    returning s.goal_id
  ) select array_agg(distinct goal_id) into g from claimed;
  perform app_private.recount_goals(array(
    select x from unnest(g) x
    union
    select pg.id from jsonb_to_recordset(p) as k(agent_email citext, business_day date)
      join app_public.performance_goals pg on pg.agent_email = k.agent_email and k.business_day between pg.period_start_date and pg.period_end_date));
  insert into app_private.kpi_stale_team_days (business_day)
  select distinct k.business_day from jsonb_to_recordset(p) as k(agent_email citext, business_day date);

  with claimed as (
    delete from app_private.kpi_stale_team_days s
     where s.id in (select id from app_private.kpi_stale_team_days order by id limit batch for update skip locked)
    returning s.business_day
  ) select array_agg(distinct business_day) into t from claimed;
  perform app_private.recount_team_days(coalesce(t, '{}'));
  return taken + jsonb_array_length(q) + jsonb_array_length(a) + jsonb_array_length(p) + coalesce(cardinality(g), 0) + coalesce(cardinality(t), 0);
end;
$function$;
comment on function app_private.refresh_stale_kpis(integer) is 'Derives first-call resolution for newly ingested calls (up to `batch` marks); takes up to `batch` marks each of the stale queue intervals and agent days and recounts them, marking the person and team days of those agent days; then takes and recounts up to `batch` marks each of the stale person days (their shifts of that day and the day before, and their goals), goals and team days. A key marked more than once is recounted once per call; one recount runs at a time (advisory lock). Returns how many distinct keys it took (0: nothing was left).';
revoke all on function app_private.refresh_stale_kpis(integer) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_private.refresh_stale_kpis(integer) to app_worker;

create or replace function app_public.calculate_kpis(from_day date, to_day date)
 returns integer
 language plpgsql
 security definer
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
begin
  if not app_hidden.has_permission('configureMetrics') then
    raise exception 'Recounting KPIs needs the configureMetrics permission.' using errcode = '42501';
  end if;
  if from_day is null or to_day is null or to_day < from_day or to_day - from_day > 366 then
    raise exception 'Give a range of business days, from_day ≤ to_day, at most 367 days.' using errcode = '22023';
  end if;
  return app_private.recount_kpis(from_day, to_day);
end;
$function$;
comment on function app_public.calculate_kpis(date,date) is 'Recounts every queue and agent figure of a range of business days (at most 367) from the calls; returns the rows written. Needs configureMetrics.';
revoke all on function app_public.calculate_kpis(date,date) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_public.calculate_kpis(date,date) to app_visitor;
--! EndIncluded kpi/refresh.sql

-- 2. One mark-stale trigger function, told by its arguments what each table's statements mark (12 functions before).
--! Included kpi/mark-stale.sql
create or replace function app_private.mark_kpis_stale(queue_keys jsonb, agent_keys jsonb)
 returns void
 language plpgsql
 security definer
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
declare
  n integer := 0;
  m integer := 0;
begin
  insert into app_private.kpi_stale_queue_intervals (queue_name, interval_start)
  select distinct x.queue_name, x.interval_start from jsonb_to_recordset(queue_keys) as x(queue_name text, interval_start timestamptz)
   where x.queue_name is not null and x.interval_start is not null;
  get diagnostics n = row_count;
  insert into app_private.kpi_stale_agent_days (agent_extension, business_day)
  select distinct x.agent_extension, x.business_day from jsonb_to_recordset(agent_keys) as x(agent_extension text, business_day date)
   where x.agent_extension is not null and x.business_day is not null;
  get diagnostics m = row_count;
  if n + m > 0 then
    perform app_private.queue_kpi_refresh();
  end if;
end;
$function$;
comment on function app_private.mark_kpis_stale(jsonb,jsonb) is 'Marks queue intervals and agent days for recounting: appends one row per distinct key given (a key already marked gets another row, so marking never waits on a lock; the recount takes each key once) and, when it marked any, queues kpi__refresh through queue_kpi_refresh. Recounts take turns on an advisory lock.';
revoke all on function app_private.mark_kpis_stale(jsonb,jsonb) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_private.mark_kpis_stale(jsonb,jsonb) to app_worker;

create or replace function app_private.mark_people_stale(person_keys jsonb, team_days date[], goal_ids uuid[])
 returns void
 language plpgsql
 security definer
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
declare
  n integer := 0;
  m integer := 0;
  k integer := 0;
begin
  insert into app_private.kpi_stale_person_days (agent_email, business_day)
  select distinct x.agent_email, x.business_day from jsonb_to_recordset(person_keys) as x(agent_email citext, business_day date)
   where x.agent_email is not null and x.business_day is not null;
  get diagnostics n = row_count;
  insert into app_private.kpi_stale_team_days (business_day)
  select distinct x from unnest(team_days) x where x is not null;
  get diagnostics m = row_count;
  insert into app_private.kpi_stale_goals (goal_id)
  select distinct x from unnest(goal_ids) x where x is not null;
  get diagnostics k = row_count;
  if n + m + k > 0 then
    perform app_private.queue_kpi_refresh();
  end if;
end;
$function$;
comment on function app_private.mark_people_stale(jsonb,date[],uuid[]) is 'Marks person days, team days and goals for recounting: appends one row per distinct key given (as mark_kpis_stale does) and, when it marked any, queues kpi__refresh through queue_kpi_refresh.';
revoke all on function app_private.mark_people_stale(jsonb,date[],uuid[]) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_private.mark_people_stale(jsonb,date[],uuid[]) to app_worker;

create or replace function app_private.tg__mark_kpis_stale()
 returns trigger
 language plpgsql
 security definer
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
declare
  kinds constant text[] := array['queue_interval', 'queue_all_intervals', 'agent_day', 'agent_day_of_legs', 'person_day', 'team_days', 'goal', 'if_changed'];
  spec text;
  compact text;
  kind text;
  c text[];
  col text;
  seen text[] := '{}';
  watched text[];
  cols text[] := '{}';
  -- What the dynamic query gathers: one expression per slot, in this order (null when no spec asks for it).
  slots text[] := array_fill('null'::text, array[11]);
  touched text;
  qi_queue text[];
  qi_time timestamptz[];
  qa_queue text[];
  ad_ext text[];
  ad_time timestamptz[];
  adl_call uuid[];
  pd_email text[];
  pd_day date[];
  td_first date[];
  td_last date[];
  g_id uuid[];
  today date;
  queue_keys jsonb := '[]';
  agent_keys jsonb := '[]';
  person_keys jsonb := '[]';
  team_days date[];
  goal_ids uuid[];
begin
  if tg_level <> 'STATEMENT' or tg_when <> 'AFTER' then
    raise exception 'tg__mark_kpis_stale is an AFTER ... FOR EACH STATEMENT trigger (on %.%).', tg_table_schema, tg_table_name
      using errcode = 'trigger_protocol_violated';
  end if;
  -- A statement that touched no row marks nothing (many do: the update half of an insert ... on conflict).
  if tg_op = 'DELETE' then
    if not exists (select from old_rows) then
      return null;
    end if;
  elsif not exists (select from new_rows) then
    return null;
  end if;

  -- Each argument is one spec, kind(column, ...), each kind at most once. Column names are plain lower-case
  -- identifiers, so they go into the query as they are.
  foreach spec in array tg_argv loop
    compact := translate(spec, E' \t\r\n', '');
    kind := split_part(compact, '(', 1);
    c := string_to_array(rtrim(split_part(compact, '(', 2), ')'), ',');
    if compact !~ '^[a-z_]+\([a-z_][a-z0-9_]*(,[a-z_][a-z0-9_]*)*\)$' or not kind = any(kinds) or kind = any(seen)
       or cardinality(c) <> (case when kind in ('queue_interval', 'agent_day', 'team_days') then 2
                                  when kind in ('queue_all_intervals', 'agent_day_of_legs', 'goal') then 1
                                  when kind = 'person_day' then greatest(cardinality(c), 2)
                                  else cardinality(c) end) then
      raise exception 'tg__mark_kpis_stale: "%" is no known kind(column, ...), or its kind comes twice (trigger on %.%).', spec, tg_table_schema, tg_table_name
        using errcode = 'trigger_protocol_violated';
    end if;
    seen := seen || kind;
    if kind = 'if_changed' then
      watched := c;
      continue;
    end if;
    foreach col in array c loop
      if not col = any(cols) then
        cols := cols || col;
      end if;
    end loop;
    case kind
      when 'queue_interval' then
        slots[1] := format('array_agg(r.%s)', c[1]);
        slots[2] := format('array_agg(r.%s)', c[2]);
      when 'queue_all_intervals' then
        slots[3] := format('array_agg(r.%s)', c[1]);
      when 'agent_day' then
        slots[4] := format('array_agg(r.%s)', c[1]);
        slots[5] := format('array_agg(r.%s)', c[2]);
      when 'agent_day_of_legs' then
        slots[6] := format('array_agg(r.%s)', c[1]);
      when 'person_day' then
        -- (the person once per day column, beside that column's days)
        slots[7] := array_to_string(array_fill(format('array_agg(r.%s)', c[1]), array[cardinality(c) - 1]), ' || ');
        slots[8] := format('array_agg(r.%s)', array_to_string(c[2:], ') || array_agg(r.'));
      when 'team_days' then
        slots[9] := format('array_agg(r.%s)', c[1]);
        slots[10] := format('array_agg(r.%s)', c[2]);
      when 'goal' then
        slots[11] := format('array_agg(r.%s)', c[1]);
    end case;
  end loop;
  if cardinality(cols) = 0 then
    return null;
  end if;
  if watched is not null and tg_op <> 'UPDATE' then
    raise exception 'tg__mark_kpis_stale: if_changed(...) is for update triggers (trigger on %.%).', tg_table_schema, tg_table_name
      using errcode = 'trigger_protocol_violated';
  end if;

  -- The rows touched, with the columns the specs read: the new values, the old, or both (an update marks where a row
  -- was and where it is); with if_changed, only the rows (old and new matched on id) where a watched column changed.
  touched := case
    when tg_op = 'INSERT' then format('select %s from new_rows', array_to_string(cols, ', '))
    when tg_op = 'DELETE' then format('select %s from old_rows', array_to_string(cols, ', '))
    when watched is null then format('select %1$s from new_rows union all select %1$s from old_rows', array_to_string(cols, ', '))
    else format('select r.* from new_rows n join old_rows o on o.id = n.id cross join lateral (values (n.%s), (o.%s)) as r(%s) where (o.%s) is distinct from (n.%s)',
                array_to_string(cols, ', n.'), array_to_string(cols, ', o.'), array_to_string(cols, ', '),
                array_to_string(watched, ', o.'), array_to_string(watched, ', n.'))
  end;
  -- The only query built from the arguments gathers the named columns (small, so cheap to plan each time); the keys are
  -- then made by the fixed queries below, whose plans are kept.
  execute format('select %s from (%s) r', array_to_string(slots, ', '), touched)
     into qi_queue, qi_time, qa_queue, ad_ext, ad_time, adl_call, pd_email, pd_day, td_first, td_last, g_id;

  if qi_queue is not null or qa_queue is not null then
    select coalesce(jsonb_agg(distinct jsonb_build_object('queue_name', k.q, 'interval_start', k.t)), '[]') into queue_keys
      from (select x.q, app_hidden.kpi_interval(x.t) from unnest(qi_queue, qi_time) as x(q, t) where x.q is not null
            union all
            select s.queue_name, s.interval_start from app_public.queue_interval_stats s where s.queue_name = any (qa_queue)) k(q, t);
  end if;
  if ad_ext is not null or adl_call is not null then
    select coalesce(jsonb_agg(distinct jsonb_build_object('agent_extension', k.e, 'business_day', k.d)), '[]') into agent_keys
      from (select x.e, app_hidden.business_day(x.t) from unnest(ad_ext, ad_time) as x(e, t) where x.e is not null
            union all
            select l.agent_extension, app_hidden.business_day(l.started_at) from app_public.call_legs l
             where l.call_record_id = any (adl_call) and l.agent_extension is not null) k(e, d);
  end if;
  if pd_email is not null then
    select coalesce(jsonb_agg(distinct jsonb_build_object('agent_email', x.e, 'business_day', x.d)), '[]') into person_keys
      from unnest(pd_email, pd_day) as x(e, d) where x.d is not null;
  end if;
  if td_first is not null then
    today := app_hidden.business_day(now());
    select array_agg(distinct d::date) into team_days
      from unnest(td_first, td_last) as x(f, l)
     cross join generate_series(greatest(x.f, today - 400), least(x.l, today), interval '1 day') d;
  end if;
  if g_id is not null then
    select array_agg(distinct x) into goal_ids from unnest(g_id) x;
  end if;

  if queue_keys <> '[]' or agent_keys <> '[]' then
    perform app_private.mark_kpis_stale(queue_keys, agent_keys);
  end if;
  if person_keys <> '[]' or team_days is not null or goal_ids is not null then
    perform app_private.mark_people_stale(person_keys, team_days, goal_ids);
  end if;
  return null;
end;
$function$;
comment on function app_private.tg__mark_kpis_stale() is 'Statement-level AFTER trigger that marks for recounting the KPI keys a statement touched, as its arguments say. The trigger names its transition tables new_rows (insert, update) and old_rows (delete, update): an insert marks from the new rows, a delete from the old, an update from both (where a row was and where it is). Each argument is one spec, kind(column, ...), each kind at most once, naming the table''s columns (plain lower-case names):
- queue_interval(queue, time): the queue''s 15-minute interval the time falls in (rows with a queue);
- queue_all_intervals(queue): every interval of the queue that has figures;
- agent_day(extension, time): the extension''s business day of the time (rows with an extension);
- agent_day_of_legs(call id): the agent days of the calls'' legs;
- person_day(email, day, ...): the person''s days, one per date column (empty ones skipped);
- team_days(first day, last day): every team day of the period up to today (at most 400 days back);
- goal(id): the goals themselves;
- if_changed(column, ...): on update, only the rows (old and new matched on id) where one of these columns changed.
Queue intervals and agent days go to mark_kpis_stale, person days, team days and goals to mark_people_stale, each called once at most and only with keys. Set-based: one small query built from the arguments gathers the named columns of the transition tables into arrays (none when the statement touched no row), fixed queries make the keys. A spec it cannot read raises 39P01.';
revoke all on function app_private.tg__mark_kpis_stale() from public, app_visitor, app_worker, app_analyst, app_authenticator;
--! EndIncluded kpi/mark-stale.sql

drop trigger if exists _700_kpis_stale_insert on app_public.call_center_records;
drop trigger if exists _700_kpis_stale_update on app_public.call_center_records;
drop trigger if exists _700_kpis_stale_delete on app_public.call_center_records;
create trigger _700_kpis_stale_insert after insert on app_public.call_center_records
  referencing new table as new_rows for each statement
  execute function app_private.tg__mark_kpis_stale('queue_interval(queue_name, queue_entry_time)');
create trigger _700_kpis_stale_update after update on app_public.call_center_records
  referencing old table as old_rows new table as new_rows for each statement
  execute function app_private.tg__mark_kpis_stale('queue_interval(queue_name, queue_entry_time)', 'agent_day_of_legs(id)');
-- (a deleted call's legs go with it, and their delete marks the agent days)
create trigger _700_kpis_stale_delete after delete on app_public.call_center_records
  referencing old table as old_rows for each statement
  execute function app_private.tg__mark_kpis_stale('queue_interval(queue_name, queue_entry_time)');

drop trigger if exists _700_kpis_stale_insert on app_public.call_legs;
drop trigger if exists _700_kpis_stale_update on app_public.call_legs;
drop trigger if exists _700_kpis_stale_delete on app_public.call_legs;
create trigger _700_kpis_stale_insert after insert on app_public.call_legs
  referencing new table as new_rows for each statement
  execute function app_private.tg__mark_kpis_stale('agent_day(agent_extension, started_at)');
create trigger _700_kpis_stale_update after update on app_public.call_legs
  referencing old table as old_rows new table as new_rows for each statement
  execute function app_private.tg__mark_kpis_stale('agent_day(agent_extension, started_at)');
create trigger _700_kpis_stale_delete after delete on app_public.call_legs
  referencing old table as old_rows for each statement
  execute function app_private.tg__mark_kpis_stale('agent_day(agent_extension, started_at)');

-- Settings change every figure of the queue (a row trigger before; now one per statement).
drop trigger if exists _700_kpis_stale on app_public.queue_kpi_settings;
drop trigger if exists _700_kpis_stale_insert on app_public.queue_kpi_settings;
drop trigger if exists _700_kpis_stale_update on app_public.queue_kpi_settings;
drop trigger if exists _700_kpis_stale_delete on app_public.queue_kpi_settings;
create trigger _700_kpis_stale_insert after insert on app_public.queue_kpi_settings
  referencing new table as new_rows for each statement
  execute function app_private.tg__mark_kpis_stale('queue_all_intervals(queue_name)');
create trigger _700_kpis_stale_update after update on app_public.queue_kpi_settings
  referencing old table as old_rows new table as new_rows for each statement
  execute function app_private.tg__mark_kpis_stale('queue_all_intervals(queue_name)');
create trigger _700_kpis_stale_delete after delete on app_public.queue_kpi_settings
  referencing old table as old_rows for each statement
  execute function app_private.tg__mark_kpis_stale('queue_all_intervals(queue_name)');

-- Shifts: what a person entered (the figures the recount writes into the same rows do not mark).
drop trigger if exists _700_kpis_stale_insert on app_public.agent_shifts;
drop trigger if exists _700_kpis_stale_update on app_public.agent_shifts;
drop trigger if exists _700_kpis_stale_delete on app_public.agent_shifts;
create trigger _700_kpis_stale_insert after insert on app_public.agent_shifts
  referencing new table as new_rows for each statement
  execute function app_private.tg__mark_kpis_stale('person_day(agent_email, shift_date)');
create trigger _700_kpis_stale_update after update on app_public.agent_shifts
  referencing old table as old_rows new table as new_rows for each statement
  execute function app_private.tg__mark_kpis_stale(
    'if_changed(agent_email, location, shift_date, scheduled_start_time, scheduled_end_time, actual_start_time, actual_end_time, total_break_time_minutes, lunch_break_minutes, training_time_minutes, meeting_time_minutes, shift_status)',
    'person_day(agent_email, shift_date)');
create trigger _700_kpis_stale_delete after delete on app_public.agent_shifts
  referencing old table as old_rows for each statement
  execute function app_private.tg__mark_kpis_stale('person_day(agent_email, shift_date)');

-- Goals: a new goal and one whose targets, period or status a person changed; the team days of their periods.
drop trigger if exists _700_kpis_stale_insert on app_public.performance_goals;
drop trigger if exists _700_kpis_stale_update on app_public.performance_goals;
drop trigger if exists _700_kpis_stale_delete on app_public.performance_goals;
create trigger _700_kpis_stale_insert after insert on app_public.performance_goals
  referencing new table as new_rows for each statement
  execute function app_private.tg__mark_kpis_stale('goal(id)', 'team_days(period_start_date, period_end_date)');
create trigger _700_kpis_stale_update after update on app_public.performance_goals
  referencing old table as old_rows new table as new_rows for each statement
  execute function app_private.tg__mark_kpis_stale(
    'if_changed(agent_email, period_start_date, period_end_date, goal_status, calls_per_day_target, talk_time_percentage_target, first_call_resolution_target, customer_satisfaction_target, appointment_conversion_target, quality_score_target)',
    'goal(id)', 'team_days(period_start_date, period_end_date)');
create trigger _700_kpis_stale_delete after delete on app_public.performance_goals
  referencing old table as old_rows for each statement
  execute function app_private.tg__mark_kpis_stale('team_days(period_start_date, period_end_date)');

drop trigger if exists _700_kpis_stale_insert on app_public.quality_assurance_reviews;
drop trigger if exists _700_kpis_stale_update on app_public.quality_assurance_reviews;
drop trigger if exists _700_kpis_stale_delete on app_public.quality_assurance_reviews;
create trigger _700_kpis_stale_insert after insert on app_public.quality_assurance_reviews
  referencing new table as new_rows for each statement
  execute function app_private.tg__mark_kpis_stale('person_day(agent_email, review_date, agent_discussion_date)');
create trigger _700_kpis_stale_update after update on app_public.quality_assurance_reviews
  referencing old table as old_rows new table as new_rows for each statement
  execute function app_private.tg__mark_kpis_stale('person_day(agent_email, review_date, agent_discussion_date)');
create trigger _700_kpis_stale_delete after delete on app_public.quality_assurance_reviews
  referencing old table as old_rows for each statement
  execute function app_private.tg__mark_kpis_stale('person_day(agent_email, review_date, agent_discussion_date)');

drop function if exists app_private.tg_agent_shifts__kpis_stale();
drop function if exists app_private.tg_agent_shifts__kpis_stale_insert();
drop function if exists app_private.tg_call_center_records__kpis_stale();
drop function if exists app_private.tg_call_center_records__kpis_stale_delete();
drop function if exists app_private.tg_call_center_records__kpis_stale_insert();
drop function if exists app_private.tg_call_legs__kpis_stale();
drop function if exists app_private.tg_call_legs__kpis_stale_one_side();
drop function if exists app_private.tg_performance_goals__kpis_stale();
drop function if exists app_private.tg_performance_goals__kpis_stale_one_side();
drop function if exists app_private.tg_quality_assurance_reviews__kpis_stale();
drop function if exists app_private.tg_quality_assurance_reviews__kpis_stale_update();
drop function if exists app_private.tg_queue_kpi_settings__kpis_stale();
