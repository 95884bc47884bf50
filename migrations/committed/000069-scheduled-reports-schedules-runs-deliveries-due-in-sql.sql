--! Previous: sha1:9387862319381cc07e3c7dab3e05a3051b530ee1
--! Hash: sha1:10081a57bb6ba84191d48bda7864bb2c0c4456d6
--! Message: Scheduled reports: schedules, runs, deliveries, due in SQL

-- Scheduled reports (issue 21, "The 8 a.m. report in the manager's inbox"): schedules are rows, each run is a row
-- with its document's bytes in the database and one delivery row per recipient, so what was sent, when, to whom
-- and what failed is always visible.

create table if not exists app_public.report_schedules (
  id uuid primary key default gen_random_uuid(),
  name text not null check (length(name) between 1 and 200),
  report text not null check (report in ('team_performance', 'agent_performance', 'call_analytics', 'productivity')),
  filters jsonb not null default '{}' check (jsonb_typeof(filters) = 'object'),
  recipients text[] not null default '{}' check (cardinality(recipients) <= 50),
  format text not null default 'pdf' check (format in ('pdf', 'csv', 'html')),
  channel text not null default 'email' check (channel in ('email', 'sms')),
  cadence text not null default 'daily' check (cadence in ('daily', 'weekly', 'monthly')),
  local_time time not null default '08:00' check (local_time = date_trunc('minute', local_time)),
  weekday smallint check (weekday between 1 and 7),
  monthday smallint check (monthday between 1 and 28),
  active boolean not null default true,
  is_default boolean not null default false,
  owner_email citext references app_public.users (email) on update cascade on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check ((cadence = 'weekly') = (weekday is not null)),
  check ((cadence = 'monthly') = (monthday is not null)),
  check (not active or cardinality(recipients) > 0)
);
create unique index if not exists report_schedules_one_default_idx on app_public.report_schedules (is_default) where is_default;
comment on table app_public.report_schedules is E'@omit delete\nReports sent on a schedule: which report, its filters, to whom, in which format and channel, how often and at what local time (BUSINESS_TIMEZONE). The default schedule (isDefault) is written at every start from PERFORMANCE_REPORT_SCHEDULE, REPORT_GENERATION_TIME and CALL_CENTER_MANAGER_EMAIL. Managers and superadmins manage schedules; deactivate one to stop it.';
comment on column app_public.report_schedules.id is 'Identifier.';
comment on column app_public.report_schedules.name is 'What people call it ("Daily team report").';
comment on column app_public.report_schedules.report is 'team_performance, agent_performance, call_analytics or productivity.';
comment on column app_public.report_schedules.filters is 'The report''s filters: location (a location''s name; none: the whole practice), business_hours_only (true or false).';
comment on column app_public.report_schedules.recipients is 'E-mail addresses (channel email) or phone numbers in E.164, +15555550123 (channel sms).';
comment on column app_public.report_schedules.format is 'What an e-mail carries attached beside the HTML in its body: pdf, csv, or html (the body only).';
comment on column app_public.report_schedules.channel is 'email (the report) or sms (a summary of its headline figures).';
comment on column app_public.report_schedules.cadence is 'daily (covers the day before), weekly (the 7 days before, sent on weekday) or monthly (the month so far, sent on monthday; on the 1st, the whole previous month).';
comment on column app_public.report_schedules.local_time is 'Local time of day it is sent, in BUSINESS_TIMEZONE, whole minutes; stays at that wall-clock time across DST changes.';
comment on column app_public.report_schedules.weekday is 'Weekly only: ISO weekday it is sent, 1 = Monday … 7 = Sunday.';
comment on column app_public.report_schedules.monthday is 'Monthly only: day of the month it is sent, 1–28.';
comment on column app_public.report_schedules.active is 'Sent while true (an active schedule has at least one recipient).';
comment on column app_public.report_schedules.is_default is 'The schedule the environment defines (PERFORMANCE_REPORT_SCHEDULE): rewritten at every start.';
comment on column app_public.report_schedules.owner_email is 'Who made it (set from the signed-in person; NULL for the default schedule).';
comment on column app_public.report_schedules.created_at is 'When it was made.';
comment on column app_public.report_schedules.updated_at is 'When it last changed.';
drop policy if exists owner_all on app_public.report_schedules;
drop policy if exists worker_all on app_public.report_schedules;
select app_private.secure_table('app_public.report_schedules');

create table if not exists app_public.report_runs (
  id uuid primary key default gen_random_uuid(),
  schedule_id uuid references app_public.report_schedules (id) on delete set null,
  origin text not null check (origin in ('schedule', 'manual')),
  report text not null check (report in ('team_performance', 'agent_performance', 'call_analytics', 'productivity')),
  for_day date not null,
  from_day date not null,
  to_day date not null,
  filters jsonb not null default '{}' check (jsonb_typeof(filters) = 'object'),
  format text not null check (format in ('pdf', 'csv', 'html')),
  channel text not null check (channel in ('email', 'sms')),
  recipients text[] not null check (cardinality(recipients) between 1 and 50),
  requested_by uuid references app_public.users (id) on delete set null,
  status text not null default 'queued' check (status in ('queued', 'running', 'sent', 'partial', 'failed')),
  attempts integer not null default 0 check (attempts >= 0),
  warnings jsonb not null default '[]' check (jsonb_typeof(warnings) = 'array'),
  document_id uuid references app_public.document_storage (id) on delete set null,
  document jsonb check (document is null or jsonb_typeof(document) = 'object'),
  last_error text check (length(last_error) <= 2000),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  started_at timestamptz,
  produced_at timestamptz,
  finished_at timestamptz,
  check (from_day <= to_day and to_day = for_day),
  check ((status in ('sent', 'partial', 'failed')) = (finished_at is not null))
);
-- A schedule's slot runs once: the dispatcher's insert of a second run for the same day does nothing.
create unique index if not exists report_runs_scheduled_once_idx on app_public.report_runs (schedule_id, for_day) where origin = 'schedule';
create index if not exists report_runs_schedule_idx on app_public.report_runs (schedule_id, created_at);
create index if not exists report_runs_requested_by_idx on app_public.report_runs (requested_by, created_at);
comment on table app_public.report_runs is E'@omit create,update,delete\nEach report produced: by its schedule or asked for (generateReport, POST /api/processing/generate-reports), for which day, with what parameters and to whom; its status and timings, its document and its deliveries.';
comment on column app_public.report_runs.id is 'The run''s id (answered by POST /api/processing/generate-reports).';
comment on column app_public.report_runs.schedule_id is 'The schedule it ran for (NULL: a one-off run).';
comment on column app_public.report_runs.origin is 'schedule (the dispatcher, at the schedule''s slot) or manual (asked for; also a re-run of a schedule for a past day).';
comment on column app_public.report_runs.report is 'team_performance, agent_performance, call_analytics or productivity.';
comment on column app_public.report_runs.for_day is 'The last local day the report covers (the day before the slot, for a scheduled run).';
comment on column app_public.report_runs.from_day is 'The first local day the report covers.';
comment on column app_public.report_runs.to_day is 'The last local day the report covers (= forDay).';
comment on column app_public.report_runs.filters is 'The filters applied: location, business_hours_only.';
comment on column app_public.report_runs.format is 'pdf, csv or html: what the e-mail carries attached.';
comment on column app_public.report_runs.channel is 'email or sms.';
comment on column app_public.report_runs.recipients is 'Who it goes to (one delivery each).';
comment on column app_public.report_runs.requested_by is 'Who asked for it (NULL: the schedule).';
comment on column app_public.report_runs.status is 'queued, running (being produced or delivered), sent (every delivery sent), partial (some failed for good), failed (all failed for good, or the report could not be produced).';
comment on column app_public.report_runs.attempts is 'Attempts made to produce the report (at most 3).';
comment on column app_public.report_runs.warnings is 'Why the figures may be incomplete, as printed on the report: [{code, message}] (ingestion stalled, recount pending, PBX clock offset); empty when complete.';
comment on column app_public.report_runs.document_id is 'The document produced (its bytes: reportRunDocument).';
comment on column app_public.report_runs.document is E'@omit\nThe report document (server/reports/report-document.ts) the deliveries render: e-mail body and SMS summary.';
comment on column app_public.report_runs.last_error is 'The error of the last failed attempt to produce it, or a summary of failed deliveries.';
comment on column app_public.report_runs.created_at is 'When it was queued.';
comment on column app_public.report_runs.updated_at is 'When its state last changed.';
comment on column app_public.report_runs.started_at is 'When producing it started.';
comment on column app_public.report_runs.produced_at is 'When its document was stored.';
comment on column app_public.report_runs.finished_at is 'When its last delivery was sent or failed for good (or it failed).';
drop policy if exists owner_all on app_public.report_runs;
drop policy if exists worker_all on app_public.report_runs;
select app_private.secure_table('app_public.report_runs');

create table if not exists app_public.report_deliveries (
  id uuid primary key default gen_random_uuid(),
  run_id uuid not null references app_public.report_runs (id) on delete cascade,
  channel text not null check (channel in ('email', 'sms')),
  recipient text not null check (length(recipient) between 3 and 320),
  status text not null default 'pending' check (status in ('pending', 'sent', 'failed')),
  attempts integer not null default 0 check (attempts >= 0),
  max_attempts integer not null default 5 check (max_attempts between 1 and 25),
  last_error text check (length(last_error) <= 2000),
  provider_id text check (length(provider_id) <= 300),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  last_attempt_at timestamptz,
  sent_at timestamptz,
  unique (run_id, channel, recipient),
  check ((status = 'sent') = (sent_at is not null))
);
comment on table app_public.report_deliveries is E'@omit create,update,delete\nOne recipient of a report run on one channel: its attempts (retried with backoff), status and last error.';
comment on column app_public.report_deliveries.id is 'Identifier.';
comment on column app_public.report_deliveries.run_id is 'The run delivered.';
comment on column app_public.report_deliveries.channel is 'email or sms.';
comment on column app_public.report_deliveries.recipient is 'The e-mail address or phone number.';
comment on column app_public.report_deliveries.status is 'pending (being sent or waiting for its next attempt), sent, or failed (after its last attempt).';
comment on column app_public.report_deliveries.attempts is 'Attempts made.';
comment on column app_public.report_deliveries.max_attempts is 'Attempts allowed before it fails for good.';
comment on column app_public.report_deliveries.last_error is 'The error of the last failed attempt (the mail server''s or Twilio''s answer).';
comment on column app_public.report_deliveries.provider_id is 'The message''s id at the provider (SMTP Message-ID, Twilio message SID).';
comment on column app_public.report_deliveries.created_at is 'When it was made.';
comment on column app_public.report_deliveries.updated_at is 'When its state last changed.';
comment on column app_public.report_deliveries.last_attempt_at is 'When it was last attempted.';
comment on column app_public.report_deliveries.sent_at is 'When the provider accepted it.';
drop policy if exists owner_all on app_public.report_deliveries;
drop policy if exists worker_all on app_public.report_deliveries;
select app_private.secure_table('app_public.report_deliveries');

-- The bytes of stored documents, in the database (one place to back up; reports are tens of kilobytes).
create table if not exists app_private.document_contents (
  storage_key text primary key references app_public.document_storage (storage_key) on update cascade on delete cascade,
  bytes bytea not null,
  sha256 bytea generated always as (sha256(bytes)) stored,
  created_at timestamptz not null default now()
);
comment on table app_private.document_contents is 'The bytes of a stored document (document_storage.storage_key "db:…"), kept in the database.';

-- A scheduled report has no person behind it: its document belongs to the system.
alter table app_public.document_storage alter column owner_email drop not null;
comment on column app_public.document_storage.owner_email is 'Who made or owns it (set from the signed-in person; NULL: made by the system, e.g. a scheduled report).';

--! Included report-delivery/schedule-due.sql
-- When a scheduled report is due. Pure functions of (now, zone, schedule, last run), so the decision is tested at
-- fixed instants (tests/reports/report-run-due.test.ts, both DST days of America/Detroit) and the worker's crontab
-- (UTC, every minute) only has to wake reports__dispatch often enough.

create or replace function app_hidden.report_slot(day date, zone text, local_time time)
 returns timestamptz
 language sql
 stable parallel safe
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
  -- A wall-clock time that does not exist that day (02:30 when the clocks spring forward) becomes the instant an
  -- hour later by the old offset (03:30 local); one that happens twice (01:30 when they fall back) is its first
  -- occurrence. Either way each day has exactly one slot.
  select (day + local_time) at time zone zone
$function$;
comment on function app_hidden.report_slot(date, text, time) is 'The instant a report scheduled at local_time in zone is sent on a local day: exactly one instant per day, across DST changes (08:00 in America/Detroit is 13:00 UTC in winter, 12:00 UTC in summer).';
revoke all on function app_hidden.report_slot(date, text, time) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_hidden.report_slot(date, text, time) to app_visitor, app_worker;

create or replace function app_hidden.report_day_scheduled(day date, cadence text, weekday smallint, monthday smallint)
 returns boolean
 language sql
 immutable parallel safe
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
  select case cadence
    when 'daily' then true
    when 'weekly' then extract(isodow from day) = weekday
    when 'monthly' then extract(day from day) = monthday
    else false end
$function$;
comment on function app_hidden.report_day_scheduled(date, text, smallint, smallint) is 'Whether a schedule sends on a local day: every day (daily), on its ISO weekday 1 = Monday (weekly), on its day of the month 1–28 (monthly).';
revoke all on function app_hidden.report_day_scheduled(date, text, smallint, smallint) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_hidden.report_day_scheduled(date, text, smallint, smallint) to app_visitor, app_worker;

create or replace function app_hidden.report_run_due(
  now timestamptz,
  zone text,
  cadence text,
  local_time time,
  weekday smallint,
  monthday smallint,
  last_for_day date,
  grace interval default interval '12 hours')
 returns date
 language sql
 stable parallel safe
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
  -- A run is due from its slot until `grace` after it (12 hours: a server down at 8:00 and back by 20:00 still
  -- sends that morning's report, once; later, that day's report is skipped and can be re-run by hand). The run
  -- covers the local day before the slot's day (for_day). A slot whose for_day is at or before the last
  -- scheduled run's for_day was sent already: never twice. Today's and yesterday's slots are candidates (a slot
  -- late in the evening is still within its grace after midnight); the latest due one wins.
  select d - 1
    from (values ((now at time zone zone)::date), ((now at time zone zone)::date - 1)) as candidate (d)
   where app_hidden.report_day_scheduled(d, cadence, weekday, monthday)
     and now >= app_hidden.report_slot(d, zone, local_time)
     and now < app_hidden.report_slot(d, zone, local_time) + grace
     and (last_for_day is null or last_for_day < d - 1)
   order by d desc
   limit 1
$function$;
comment on function app_hidden.report_run_due(timestamptz, text, text, time, smallint, smallint, date, interval) is 'The day a scheduled report due at `now` covers (the local day before its slot), or NULL when none is due: due from its slot (local_time in zone on a scheduled day) until `grace` later (default 12 hours), unless the last scheduled run already covers that day.';
revoke all on function app_hidden.report_run_due(timestamptz, text, text, time, smallint, smallint, date, interval) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_hidden.report_run_due(timestamptz, text, text, time, smallint, smallint, date, interval) to app_visitor, app_worker;

create or replace function app_hidden.report_next_slot(
  now timestamptz,
  zone text,
  cadence text,
  local_time time,
  weekday smallint,
  monthday smallint,
  last_for_day date,
  grace interval default interval '12 hours')
 returns timestamptz
 language sql
 stable parallel safe
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
  -- The first slot not yet sent that is still to come or within its grace (an overdue one is "now"), looking up
  -- to 62 days ahead (a monthly schedule's next day of the month is at most 31 days away).
  select app_hidden.report_slot(d, zone, local_time)
    from generate_series((now at time zone zone)::date - 1, (now at time zone zone)::date + 62, interval '1 day') as g (t),
         lateral (select g.t::date as d) day
   where app_hidden.report_day_scheduled(d, cadence, weekday, monthday)
     and now < app_hidden.report_slot(d, zone, local_time) + grace
     and (last_for_day is null or last_for_day < d - 1)
   order by d
   limit 1
$function$;
comment on function app_hidden.report_next_slot(timestamptz, text, text, time, smallint, smallint, date, interval) is 'The next slot of a schedule not yet sent: still to come, or due now (within its grace); the instant it is (or was) due.';
revoke all on function app_hidden.report_next_slot(timestamptz, text, text, time, smallint, smallint, date, interval) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_hidden.report_next_slot(timestamptz, text, text, time, smallint, smallint, date, interval) to app_visitor, app_worker;

create or replace function app_hidden.report_range(cadence text, for_day date)
 returns daterange
 language sql
 immutable parallel safe
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
  select case cadence
    when 'weekly' then daterange(for_day - 6, for_day, '[]')
    when 'monthly' then daterange(date_trunc('month', for_day)::date, for_day, '[]')
    else daterange(for_day, for_day, '[]') end
$function$;
comment on function app_hidden.report_range(text, date) is 'The days a run for for_day covers: that day (daily and one-off runs), the 7 days ending on it (weekly), its month up to it (monthly: the whole previous month when sent on the 1st).';
revoke all on function app_hidden.report_range(text, date) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_hidden.report_range(text, date) to app_visitor, app_worker;
--! EndIncluded report-delivery/schedule-due.sql
--! Included report-delivery/schedules.sql
-- Report schedules: their rules, their last and next run, the default schedule from the environment, and the
-- dispatcher that turns due slots into runs.

create or replace function app_hidden.report_recipient_problem(channel text, recipient text)
 returns text
 language sql
 immutable parallel safe
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
  select case
    when recipient is null then 'is empty'
    when channel = 'email' and recipient !~ '^[^@\s<>(),;:"]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$' then 'is not an e-mail address'
    when channel = 'sms' and recipient !~ '^\+[1-9][0-9]{7,14}$' then 'is not a phone number in E.164 (+15555550123)'
  end
$function$;
comment on function app_hidden.report_recipient_problem(text, text) is 'What is wrong with a report recipient for its channel (an e-mail address; a phone number in E.164), or NULL.';
revoke all on function app_hidden.report_recipient_problem(text, text) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_hidden.report_recipient_problem(text, text) to app_visitor, app_worker;

create or replace function app_hidden.check_report_parameters(report text, channel text, recipients text[], filters jsonb)
 returns void
 language plpgsql
 stable
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
declare
  i integer;
  problem text;
  extra text;
begin
  for i in 1 .. coalesce(cardinality(recipients), 0) loop
    problem := app_hidden.report_recipient_problem(channel, recipients[i]);
    if problem is not null then
      raise exception 'Recipient % %.', i, problem using errcode = 'CC123', column = 'recipients';
    end if;
  end loop;
  if (select count(distinct r) from unnest(recipients) r) <> cardinality(recipients) then
    raise exception 'A recipient is listed twice.' using errcode = 'CC123', column = 'recipients';
  end if;
  select k into extra from jsonb_object_keys(coalesce(filters, '{}')) k
   where k not in ('business_hours_only', case when report = 'agent_performance' then 'agent' else 'location' end) limit 1;
  if extra is not null then
    raise exception 'Unknown filter "%": % takes %.', left(extra, 60), report,
      case when report = 'agent_performance' then 'agent and business_hours_only' else 'location and business_hours_only' end using errcode = 'CC128', column = 'filters';
  end if;
  if report = 'agent_performance' and (jsonb_typeof(filters -> 'agent') is distinct from 'string' or not exists (
      select 1 from app_public.agents a where a.user_email = (filters ->> 'agent')::citext or a.extension = filters ->> 'agent')) then
    raise exception 'agent_performance needs agent: an agent''s email or extension.' using errcode = 'CC128', column = 'agent';
  end if;
  if filters ? 'location' and (jsonb_typeof(filters -> 'location') <> 'string'
      or not exists (select 1 from app_public.locations l where l.name = filters ->> 'location')) then
    raise exception 'No location named %.', left(filters ->> 'location', 100) using errcode = 'CC126', column = 'location';
  end if;
  if filters ? 'business_hours_only' and jsonb_typeof(filters -> 'business_hours_only') <> 'boolean' then
    raise exception 'business_hours_only is true or false.' using errcode = 'CC128', column = 'filters';
  end if;
end;
$function$;
comment on function app_hidden.check_report_parameters(text, text, text[], jsonb) is 'Raises CC123 (a recipient wrong for its channel, named by position, or listed twice), CC128 (a filter the report does not take: agent for agent_performance, where it is required; location for the others) or CC126 (no such location).';
revoke all on function app_hidden.check_report_parameters(text, text, text[], jsonb) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_hidden.check_report_parameters(text, text, text[], jsonb) to app_visitor, app_worker;

create or replace function app_private.tg_report_schedules__check()
 returns trigger
 language plpgsql
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
begin
  perform app_hidden.check_report_parameters(new.report, new.channel, new.recipients, new.filters);
  if new.channel = 'sms' and new.format <> 'html' then
    new.format := 'html'; -- an SMS carries a summary, never a file
  end if;
  return new;
end;
$function$;
comment on function app_private.tg_report_schedules__check() is 'A schedule''s recipients fit its channel, its filters are known (CC123, CC126, CC128); an SMS schedule has no attachment format.';
revoke all on function app_private.tg_report_schedules__check() from public, app_visitor, app_worker, app_analyst, app_authenticator;

create or replace function app_hidden.report_schedule_last_for_day(schedule_id uuid)
 returns date
 language sql
 stable security definer
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
  -- Slots before the schedule was made count as sent: a schedule made at 15:00 starts with tomorrow's 08:00,
  -- not with a catch-up of this morning's.
  select greatest(
    (select max(r.for_day) from app_public.report_runs r where r.schedule_id = report_schedule_last_for_day.schedule_id and r.origin = 'schedule'),
    (select case when app_hidden.report_slot(x.d, x.zone, s.local_time) <= s.created_at then x.d - 1 else x.d - 2 end
       from app_public.report_schedules s,
            lateral (select app_hidden.business_timezone() as zone) z,
            lateral (select (s.created_at at time zone z.zone)::date as d, z.zone) x
      where s.id = report_schedule_last_for_day.schedule_id))
$function$;
comment on function app_hidden.report_schedule_last_for_day(uuid) is 'The day the last scheduled run of a schedule covered (re-runs by hand do not count); slots before the schedule was made count as sent.';
revoke all on function app_hidden.report_schedule_last_for_day(uuid) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_hidden.report_schedule_last_for_day(uuid) to app_visitor, app_worker;

create or replace function app_public.report_schedules_next_run_at(s app_public.report_schedules)
 returns timestamptz
 language sql
 stable
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
  select case when s.active then app_hidden.report_next_slot(now(), app_hidden.business_timezone(), s.cadence, s.local_time, s.weekday, s.monthday,
    app_hidden.report_schedule_last_for_day(s.id)) end
$function$;
comment on function app_public.report_schedules_next_run_at(app_public.report_schedules) is 'When it is next sent (in the past: due now, the worker sends it within a minute); NULL while inactive.';
revoke all on function app_public.report_schedules_next_run_at(app_public.report_schedules) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_public.report_schedules_next_run_at(app_public.report_schedules) to app_visitor;

create or replace function app_public.report_schedules_last_run(s app_public.report_schedules)
 returns app_public.report_runs
 language sql
 stable
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
  select r.* from app_public.report_runs r where r.schedule_id = s.id order by r.created_at desc, r.id limit 1
$function$;
comment on function app_public.report_schedules_last_run(app_public.report_schedules) is 'Its latest run (scheduled or by hand), with its status.';
revoke all on function app_public.report_schedules_last_run(app_public.report_schedules) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_public.report_schedules_last_run(app_public.report_schedules) to app_visitor;

create or replace function app_private.set_default_report_schedule(
  cadence text, local_time time, weekday smallint, monthday smallint, recipient text)
 returns void
 language sql
 volatile
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
  -- cadence NULL: PERFORMANCE_REPORT_SCHEDULE=off; recipient NULL: CALL_CENTER_MANAGER_EMAIL unset. Either way
  -- the default schedule stays, inactive, so its past runs keep their schedule.
  insert into app_public.report_schedules (name, report, recipients, format, channel, cadence, local_time, weekday, monthday, active, is_default)
  values (case coalesce(cadence, 'daily') when 'daily' then 'Daily team report' when 'weekly' then 'Weekly team report' else 'Monthly team report' end,
          'team_performance', case when recipient is null then '{}'::text[] else array[recipient] end, 'pdf', 'email', coalesce(cadence, 'daily'),
          local_time, weekday, monthday, cadence is not null and recipient is not null, true)
  on conflict (is_default) where is_default do update
     set cadence = excluded.cadence, local_time = excluded.local_time, weekday = excluded.weekday, monthday = excluded.monthday,
         recipients = case when recipient is null then report_schedules.recipients else excluded.recipients end,
         name = excluded.name,
         active = excluded.active
   where (report_schedules.cadence, report_schedules.local_time, report_schedules.weekday, report_schedules.monthday, report_schedules.active,
          report_schedules.recipients)
         is distinct from (excluded.cadence, excluded.local_time, excluded.weekday, excluded.monthday, excluded.active,
          case when recipient is null then report_schedules.recipients else excluded.recipients end)
$function$;
comment on function app_private.set_default_report_schedule(text, time, smallint, smallint, text) is 'Writes the default schedule from the environment at start (PERFORMANCE_REPORT_SCHEDULE, REPORT_GENERATION_TIME, CALL_CENTER_MANAGER_EMAIL): the team report to the manager; inactive when the schedule is off or no manager e-mail is set.';
revoke all on function app_private.set_default_report_schedule(text, time, smallint, smallint, text) from public, app_visitor, app_worker, app_analyst, app_authenticator;

create or replace function app_private.dispatch_due_reports(at timestamptz default now())
 returns integer
 language plpgsql
 volatile
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
declare
  zone text := app_hidden.business_timezone();
  s app_public.report_schedules;
  day date;
  queued integer := 0;
  n integer;
begin
  for s in select * from app_public.report_schedules where active order by id for update skip locked loop
    day := app_hidden.report_run_due(at, zone, s.cadence, s.local_time, s.weekday, s.monthday, app_hidden.report_schedule_last_for_day(s.id));
    continue when day is null;
    insert into app_public.report_runs (schedule_id, origin, report, for_day, from_day, to_day, filters, format, channel, recipients)
    select s.id, 'schedule', s.report, day, lower(r), upper(r) - 1, s.filters, s.format, s.channel, s.recipients
      from app_hidden.report_range(s.cadence, day) r
    on conflict (schedule_id, for_day) where origin = 'schedule' do nothing;
    get diagnostics n = row_count;
    queued := queued + n;
  end loop;
  return queued;
end;
$function$;
comment on function app_private.dispatch_due_reports(timestamptz) is 'The reports__dispatch job (every minute): queues a run of every active schedule due at `at` (app_hidden.report_run_due), once per slot; answers how many.';
revoke all on function app_private.dispatch_due_reports(timestamptz) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_private.dispatch_due_reports(timestamptz) to app_worker;
--! EndIncluded report-delivery/schedules.sql
--! Included report-delivery/generate-report.sql
-- POST /api/processing/generate-reports and the generateReport mutation: queue one report run now, for a past day
-- (a one-off report, or a schedule's report again for a day already sent or skipped). Answers the run at once
-- (REST 202); the worker produces and delivers it; reportRunByRowId reads its state.
create or replace function app_public.generate_report(
  report text default null,
  for_day date default null,
  from_day date default null,
  location text default null,
  agent text default null,
  business_hours_only boolean default null,
  format text default null,
  channel text default null,
  recipients text[] default null,
  schedule_id uuid default null)
 returns app_public.report_runs
 language plpgsql
 volatile security definer
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
declare
  -- The longest range one run may cover (CC124).
  max_days constant integer := 93;
  s app_public.report_schedules;
  today date := app_hidden.business_day(now());
  day date := coalesce(for_day, today - 1);
  first_day date;
  chosen_filters jsonb;
  chosen_channel text;
  chosen_format text;
  chosen_recipients text[];
  chosen_report text;
  run app_public.report_runs;
begin
  perform app_hidden.require_permission('generateReports');
  if schedule_id is not null then
    -- security definer: the schedule's row rules are applied here, as its select policy would.
    select * into s from app_public.report_schedules rs
     where rs.id = generate_report.schedule_id and (rs.owner_email = auth.email()::citext or app_hidden.sees_all());
    if s.id is null then
      raise exception 'No report schedule with that id that you may see.' using errcode = 'CC125', column = 'schedule_id';
    end if;
    if report is not null or location is not null or agent is not null or business_hours_only is not null or from_day is not null then
      raise exception 'A schedule''s run takes its report, filters and range from the schedule: give forDay (and recipients, format) only.'
        using errcode = 'CC129', column = case when report is not null then 'report' when from_day is not null then 'from_day' else 'location' end;
    end if;
    chosen_report := s.report;
    chosen_filters := s.filters;
    chosen_channel := coalesce(channel, s.channel);
    chosen_format := coalesce(format, s.format);
    chosen_recipients := coalesce(recipients, s.recipients);
    first_day := lower(app_hidden.report_range(s.cadence, day));
  else
    if report is null then
      raise exception 'report is required (team_performance, agent_performance, call_analytics or productivity), or scheduleId.' using errcode = 'CC121', column = 'report';
    end if;
    if report not in ('team_performance', 'agent_performance', 'call_analytics', 'productivity') then
      raise exception 'No report named %: team_performance, agent_performance, call_analytics or productivity.', left(report, 60) using errcode = 'CC121', column = 'report';
    end if;
    chosen_report := report;
    chosen_filters := jsonb_strip_nulls(jsonb_build_object('location', location, 'agent', agent, 'business_hours_only', business_hours_only));
    chosen_channel := coalesce(channel, 'email');
    chosen_format := coalesce(format, 'pdf');
    chosen_recipients := coalesce(recipients, case when chosen_channel = 'email' then array[auth.email()::text] end);
    first_day := coalesce(from_day, day);
  end if;
  if day >= today then
    raise exception 'forDay must be a past day (the last whole day is %).', today - 1 using errcode = 'CC124', column = 'for_day';
  end if;
  if first_day > day then
    raise exception 'fromDay must be on or before forDay.' using errcode = 'CC124', column = 'from_day';
  end if;
  if day - first_day + 1 > max_days then
    raise exception 'A report covers at most % days; this one covers %.', max_days, day - first_day + 1 using errcode = 'CC124', column = 'from_day';
  end if;
  if chosen_channel not in ('email', 'sms') then
    raise exception 'channel is email or sms.' using errcode = 'CC129', column = 'channel';
  end if;
  if chosen_format not in ('pdf', 'csv', 'html') then
    raise exception 'format is pdf, csv or html.' using errcode = 'CC129', column = 'format';
  end if;
  if chosen_channel = 'sms' then
    chosen_format := 'html';
  end if;
  if chosen_recipients is null or cardinality(chosen_recipients) = 0 then
    raise exception 'recipients is required for an SMS report (phone numbers in E.164).' using errcode = 'CC123', column = 'recipients';
  end if;
  if cardinality(chosen_recipients) > 50 then
    raise exception 'At most 50 recipients.' using errcode = 'CC123', column = 'recipients';
  end if;
  perform app_hidden.check_report_parameters(chosen_report, chosen_channel, chosen_recipients, chosen_filters);
  -- Without viewAllPerformance (supervisors): a report of one of your locations (or of one of their agents),
  -- sent to yourself only.
  if not app_hidden.sees_all() then
    if chosen_report = 'agent_performance' then
      if not exists (select 1 from app_public.agents a
                      where (a.user_email = (chosen_filters ->> 'agent')::citext or a.extension = chosen_filters ->> 'agent')
                        and a.location_name = any (app_hidden.team_locations())) then
        raise exception 'You may generate reports of your own locations'' agents only.' using errcode = 'CC127', column = 'agent';
      end if;
    elsif not (chosen_filters ->> 'location') = any (app_hidden.team_locations()) or chosen_filters ->> 'location' is null then
      raise exception 'You may generate reports of your own locations only: give location (one of %).', array_to_string(app_hidden.team_locations(), ', ')
        using errcode = 'CC127', column = 'location';
    end if;
    if chosen_channel <> 'email' or chosen_recipients <> array[auth.email()::text] then
      raise exception 'You may send reports to yourself only (%).', auth.email() using errcode = 'CC127', column = 'recipients';
    end if;
  end if;
  insert into app_public.report_runs (schedule_id, origin, report, for_day, from_day, to_day, filters, format, channel, recipients, requested_by)
  values (s.id, 'manual', chosen_report, day, first_day, day, chosen_filters, chosen_format, chosen_channel, chosen_recipients, auth.uid())
  returning * into run;
  return run;
end;
$function$;
comment on function app_public.generate_report(text, date, date, text, text, boolean, text, text, text[], uuid) is E'Queues a report run now and answers it (read its state with reportRunByRowId). Either a report (team_performance, agent_performance, call_analytics, productivity) for [fromDay, forDay] (default: yesterday; at most 93 days), with location (agent_performance: agent, an email or extension, instead) and businessHoursOnly, or scheduleId: that schedule''s report again for forDay (a day already sent, or one skipped). format pdf (default), csv or html; channel email (default) or sms; recipients default to you (e-mail). Needs generateReports; without viewAllPerformance only a report of your own locations, to yourself.';
revoke all on function app_public.generate_report(text, date, date, text, text, boolean, text, text, text[], uuid) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_public.generate_report(text, date, date, text, text, boolean, text, text, text[], uuid) to app_visitor;
--! EndIncluded report-delivery/generate-report.sql
--! Included report-delivery/run-steps.sql
-- The worker's side of a report run: reports__run produces the document (worker/reports/produce.ts), stores it
-- and makes one delivery per recipient; reports__deliver sends each, retried with backoff by graphile-worker; the
-- run settles once every delivery is sent or failed for good. Nothing fails silently: a run or delivery failed for
-- good says why on its row, notifies every superadmin, and counts in /metrics.

-- Every new run is queued for the worker (security definer: the API role may not queue jobs itself).
create or replace function app_private.tg_report_runs__queue()
 returns trigger
 language plpgsql
 security definer
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
begin
  perform app_private.add_job('reports__run', json_build_object('run_id', new.id), max_attempts => 3, queue_name => 'reports');
  return null;
end;
$function$;
comment on function app_private.tg_report_runs__queue() is 'Queues reports__run for a new report run (at most 3 attempts to produce it).';
revoke all on function app_private.tg_report_runs__queue() from public, app_visitor, app_worker, app_analyst, app_authenticator;

-- Every new delivery is queued on its own, so one recipient's failures never hold up another's.
create or replace function app_private.tg_report_deliveries__queue()
 returns trigger
 language plpgsql
 security definer
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
begin
  perform app_private.add_job('reports__deliver', json_build_object('delivery_id', new.id), max_attempts => new.max_attempts);
  return null;
end;
$function$;
comment on function app_private.tg_report_deliveries__queue() is 'Queues reports__deliver for a new delivery, with the delivery''s max_attempts (graphile-worker retries with exponential backoff: about 30 minutes over 8 attempts).';
revoke all on function app_private.tg_report_deliveries__queue() from public, app_visitor, app_worker, app_analyst, app_authenticator;

create or replace function app_private.start_report_run(run_id uuid)
 returns jsonb
 language plpgsql
 volatile
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
declare
  run app_public.report_runs;
begin
  select * into run from app_public.report_runs r where r.id = run_id for update;
  if run.id is null or run.status <> 'queued' and not (run.status = 'running' and run.produced_at is null) then
    return null; -- gone, or produced already (a retried job after its document was stored)
  end if;
  update app_public.report_runs set status = 'running', attempts = attempts + 1, started_at = coalesce(started_at, now())
   where id = run_id returning * into run;
  -- Who the report is produced as (its row rules): the person who asked, else the schedule's owner, else (the
  -- default schedule) the manager role, which sees the whole practice.
  return to_jsonb(run) - 'document' || jsonb_build_object(
    'schedule_name', (select s.name from app_public.report_schedules s where s.id = run.schedule_id),
    'timezone', app_hidden.business_timezone(),
    'claims', coalesce(
      (select jsonb_build_object('sub', u.id, 'email', u.email, 'role', r.role)
         from app_public.users u join app_public.user_roles r on r.user_id = u.id
        where u.id = coalesce(run.requested_by, (select u2.id from app_public.users u2 join app_public.report_schedules s on s.owner_email = u2.email where s.id = run.schedule_id))),
      jsonb_build_object('role', 'manager')));
end;
$function$;
comment on function app_private.start_report_run(uuid) is 'Marks a queued run running (one more attempt) and answers it with its schedule''s name, the business time zone and the claims it is produced under (its requester, else its schedule''s owner, else the manager role); NULL when it is gone or its document is stored already.';
revoke all on function app_private.start_report_run(uuid) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_private.start_report_run(uuid) to app_worker;

create or replace function app_private.report_data_warnings(
  from_day date, to_day date, location text, stall_minutes integer, at timestamptz default now())
 returns jsonb
 language sql
 stable
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
  with zone as (select app_hidden.business_timezone() as z),
  days as (select g::date as d from generate_series(from_day, to_day, interval '1 day') g),
  -- Business hours of the day: from the earliest opening to the latest closing of the locations open that day
  -- (location_configs), up to `at` for a day still under way.
  win as (
    select d, min(app_hidden.report_slot(d, z, c.business_open)) as open_at, least(max(app_hidden.report_slot(d, z, c.business_close)), at) as close_at
      from days, zone, app_public.location_configs c
     where (location is null or c.location_name = location) and extract(isodow from d)::smallint = any (c.business_days)
     group by d),
  -- What shows the feed alive: a call starting (of the location asked for) or any CDR body arriving.
  events as (
    select w.d, e.t
      from win w,
      lateral (
        select w.open_at as t
        union all select w.close_at
        union all select c.call_start_time from app_public.call_center_records c
                   where c.call_start_time >= w.open_at and c.call_start_time < w.close_at and (location is null or c.location = location)
        union all select r.received_at from app_private.cdr_raw r where r.received_at >= w.open_at and r.received_at < w.close_at
      ) e
     where w.open_at < w.close_at),
  gaps as (select d, t as gap_start, lead(t) over (partition by d order by t) as gap_end from events),
  stalls as (
    select d, gap_start, gap_end from gaps
     where gap_end - gap_start >= make_interval(mins => stall_minutes)
     order by gap_end - gap_start desc
     limit 5),
  stalled as (
    select jsonb_build_object('code', 'ingestion_stalled', 'message',
      'Ingestion stalled: no call records came in during business hours '
      || string_agg(format('on %s from %s to %s', d, to_char(gap_start at time zone z, 'HH24:MI'), to_char(gap_end at time zone z, 'HH24:MI')), '; ' order by gap_start)
      || format(' (%s minutes or more without a record). Calls of that time are missing from these figures.', stall_minutes)) as w
      from stalls, zone
    having count(*) > 0),
  recount as (
    select jsonb_build_object('code', 'recount_pending', 'message',
      'A recount of these days is still pending: the figures may change within minutes. Run the report again for a final version.') as w
     where exists (select 1 from app_private.kpi_stale_agent_days s where s.business_day between from_day and to_day)
        or exists (select 1 from app_private.kpi_stale_person_days s where s.business_day between from_day and to_day)
        or exists (select 1 from app_private.kpi_stale_team_days s where s.business_day between from_day and to_day)
        or exists (select 1 from app_private.kpi_stale_queue_intervals s
                    where s.interval_start >= app_hidden.business_day_start(from_day) and s.interval_start < app_hidden.business_day_start(to_day + 1))
        or exists (select 1 from app_private.kpi_stale_fcr_calls s join app_public.call_center_records c on c.id = s.call_record_id
                    where c.call_start_time >= app_hidden.business_day_start(from_day) and c.call_start_time < app_hidden.business_day_start(to_day + 1))),
  -- The health check's clock test (server/cdr-feed.ts: at least 10 live records, median offset beyond ±600 s).
  clock as (
    select jsonb_build_object('code', 'pbx_clock_offset', 'message',
      format('The phone system''s clock or time zone is off by about %s hours (median of its last %s records): calls may be counted in the wrong hour or day.',
        round(abs((f ->> 'median_offset_seconds')::numeric) / 3600, 1), f ->> 'samples')) as w
      from app_hidden.cdr_feed_health() f
     where (f ->> 'samples')::integer >= 10 and abs((f ->> 'median_offset_seconds')::float8) > 600)
  select coalesce(jsonb_agg(w), '[]') from (select w from stalled union all select w from recount union all select w from clock) all_warnings
$function$;
comment on function app_private.report_data_warnings(date, date, text, integer, timestamptz) is 'Why a report''s figures for [from_day, to_day] may be incomplete, as the report''s warnings [{code, message}]: ingestion_stalled (a stretch of stall_minutes, INGEST_STALL_MINUTES, within business hours with no call and no CDR body), recount_pending (KPI rows of those days marked stale), pbx_clock_offset (the health check''s clock warning). Empty: complete.';
revoke all on function app_private.report_data_warnings(date, date, text, integer, timestamptz) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_private.report_data_warnings(date, date, text, integer, timestamptz) to app_worker;

create or replace function app_private.store_report_run(
  run_id uuid, title text, file_name text, content_type text, bytes bytea, document jsonb)
 returns integer
 language plpgsql
 volatile
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
declare
  run app_public.report_runs;
  doc_id uuid;
  key text := format('db:report-runs/%s/%s', run_id, file_name);
  n integer;
begin
  select * into run from app_public.report_runs r where r.id = run_id for update;
  if run.id is null or run.produced_at is not null then
    return 0;
  end if;
  insert into app_public.document_storage (title, document_type, location_name, owner_email, storage_key, content_type, size_bytes)
  values (left(title, 300), 'report', run.filters ->> 'location',
          (select u.email from app_public.users u where u.id = coalesce(run.requested_by, (select u2.id from app_public.users u2 join app_public.report_schedules s on s.owner_email = u2.email where s.id = run.schedule_id))),
          key, content_type, length(bytes))
  returning id into doc_id;
  insert into app_private.document_contents (storage_key, bytes) values (key, bytes);
  update app_public.report_runs set document_id = doc_id, document = store_report_run.document,
         warnings = coalesce(store_report_run.document -> 'warnings', '[]'), produced_at = now(), last_error = null
   where id = run_id;
  insert into app_public.report_deliveries (run_id, channel, recipient, max_attempts)
  select run_id, run.channel, r, 8 from unnest(run.recipients) r
  on conflict do nothing;
  get diagnostics n = row_count;
  return n;
end;
$function$;
comment on function app_private.store_report_run(uuid, text, text, text, bytea, jsonb) is 'Stores a run''s rendered file (document_storage, bytes in app_private.document_contents under "db:report-runs/<run>/<file>"), its report document and warnings, and one delivery per recipient (each queued, 8 attempts); once per run. Answers the deliveries made.';
revoke all on function app_private.store_report_run(uuid, text, text, text, bytea, jsonb) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_private.store_report_run(uuid, text, text, text, bytea, jsonb) to app_worker;

create or replace function app_private.notify_superadmins(kind text, title text, body text, data jsonb, dedupe text)
 returns void
 language sql
 volatile
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
  insert into app_public.notifications (user_id, notification_type, title, body, data, dedupe_key)
  select u.id, kind, left(title, 200), left(body, 4000), data, dedupe
    from app_public.users u join app_public.user_roles r on r.user_id = u.id
   where r.role = 'superadmin' and u.is_active
  on conflict (user_id, dedupe_key) do nothing
$function$;
comment on function app_private.notify_superadmins(text, text, text, jsonb, text) is 'One in-app notification to every active superadmin, once per dedupe key.';
revoke all on function app_private.notify_superadmins(text, text, text, jsonb, text) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_private.notify_superadmins(text, text, text, jsonb, text) to app_worker;

create or replace function app_private.report_run_failed(run_id uuid, error text, final boolean)
 returns void
 language plpgsql
 volatile
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
declare
  run app_public.report_runs;
begin
  update app_public.report_runs
     set status = case when final then 'failed' else 'queued' end,
         last_error = left(error, 2000),
         finished_at = case when final then now() end
   where id = run_id and produced_at is null and status not in ('sent', 'partial', 'failed')
  returning * into run;
  if final and run.id is not null then
    perform app_private.notify_superadmins('report_run_failed', 'A report could not be produced',
      format('The %s report for %s could not be produced after %s attempts: %s', replace(run.report, '_', ' '), run.for_day, run.attempts, left(error, 500)),
      jsonb_build_object('report_run_id', run.id, 'schedule_id', run.schedule_id), 'report_run_failed/' || run.id);
  end if;
end;
$function$;
comment on function app_private.report_run_failed(uuid, text, boolean) is 'Records a failed attempt to produce a run: queued again with its error, or failed for good after the last attempt (every superadmin notified).';
revoke all on function app_private.report_run_failed(uuid, text, boolean) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_private.report_run_failed(uuid, text, boolean) to app_worker;

create or replace function app_private.start_report_delivery(delivery_id uuid)
 returns jsonb
 language plpgsql
 volatile
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
declare
  d app_public.report_deliveries;
  run app_public.report_runs;
  doc app_public.document_storage;
begin
  select * into d from app_public.report_deliveries x where x.id = delivery_id for update;
  if d.id is null or d.status <> 'pending' then
    return null;
  end if;
  update app_public.report_deliveries set attempts = attempts + 1, last_attempt_at = now() where id = delivery_id returning * into d;
  select * into run from app_public.report_runs r where r.id = d.run_id;
  select * into doc from app_public.document_storage s where s.id = run.document_id;
  return jsonb_build_object('delivery', to_jsonb(d), 'run', to_jsonb(run) - 'document', 'document', run.document,
    'storage_key', doc.storage_key, 'content_type', doc.content_type,
    'file_name', regexp_replace(doc.storage_key, '^.*/', ''),
    'bytes', (select encode(c.bytes, 'base64') from app_private.document_contents c where c.storage_key = doc.storage_key));
end;
$function$;
comment on function app_private.start_report_delivery(uuid) is 'Counts an attempt of a pending delivery and answers it with its run, its report document and its file (name, type, bytes in base64); NULL when it is gone or settled.';
revoke all on function app_private.start_report_delivery(uuid) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_private.start_report_delivery(uuid) to app_worker;

create or replace function app_private.settle_report_run(run_id uuid)
 returns void
 language plpgsql
 volatile
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
declare
  sent integer;
  failed integer;
  pending integer;
  errors text;
begin
  perform 1 from app_public.report_runs r where r.id = run_id for update;
  select count(*) filter (where status = 'sent'), count(*) filter (where status = 'failed'), count(*) filter (where status = 'pending'),
         string_agg(format('%s: %s', recipient, last_error), '; ' order by recipient) filter (where status = 'failed')
    into sent, failed, pending, errors
    from app_public.report_deliveries d where d.run_id = settle_report_run.run_id;
  if pending > 0 or sent + failed = 0 then
    return;
  end if;
  update app_public.report_runs
     set status = case when failed = 0 then 'sent' when sent = 0 then 'failed' else 'partial' end,
         finished_at = now(),
         last_error = case when failed > 0 then left(format('%s of %s deliveries failed: %s', failed, sent + failed, errors), 2000) end
   where id = run_id and status = 'running';
end;
$function$;
comment on function app_private.settle_report_run(uuid) is 'Once no delivery of a run is pending: sent (all sent), partial (some failed for good) or failed (all failed), with the failures in last_error.';
revoke all on function app_private.settle_report_run(uuid) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_private.settle_report_run(uuid) to app_worker;

create or replace function app_private.report_delivery_sent(delivery_id uuid, provider_id text)
 returns void
 language plpgsql
 volatile
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
declare
  d app_public.report_deliveries;
begin
  update app_public.report_deliveries set status = 'sent', sent_at = now(), provider_id = left(report_delivery_sent.provider_id, 300)
   where id = delivery_id and status = 'pending' returning * into d;
  if d.id is not null then
    perform app_private.settle_report_run(d.run_id);
  end if;
end;
$function$;
comment on function app_private.report_delivery_sent(uuid, text) is 'Records a delivery the provider accepted (with its message id) and settles the run when it was the last.';
revoke all on function app_private.report_delivery_sent(uuid, text) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_private.report_delivery_sent(uuid, text) to app_worker;

create or replace function app_private.report_delivery_failed(delivery_id uuid, error text, final boolean)
 returns void
 language plpgsql
 volatile
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
declare
  d app_public.report_deliveries;
  run app_public.report_runs;
begin
  update app_public.report_deliveries set last_error = left(error, 2000), status = case when final then 'failed' else 'pending' end
   where id = delivery_id and status = 'pending' returning * into d;
  if d.id is null or not final then
    return;
  end if;
  select * into run from app_public.report_runs r where r.id = d.run_id;
  perform app_private.notify_superadmins('report_delivery_failed', 'A report was not delivered',
    format('The %s report for %s could not be sent by %s to %s after %s attempts: %s',
      replace(run.report, '_', ' '), run.for_day, d.channel, d.recipient, d.attempts, left(error, 500)),
    jsonb_build_object('report_run_id', run.id, 'report_delivery_id', d.id, 'schedule_id', run.schedule_id), 'report_delivery_failed/' || d.id);
  perform app_private.settle_report_run(d.run_id);
end;
$function$;
comment on function app_private.report_delivery_failed(uuid, text, boolean) is 'Records a failed delivery attempt: pending again (graphile-worker retries it with backoff), or failed for good after its last attempt (every superadmin notified, the run settled).';
revoke all on function app_private.report_delivery_failed(uuid, text, boolean) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_private.report_delivery_failed(uuid, text, boolean) to app_worker;

create or replace function app_hidden.report_delivery_stats()
 returns jsonb
 language sql
 stable security definer
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
  select jsonb_build_object(
    'deliveries', coalesce((select jsonb_object_agg(k, n) from (select channel || '/' || status as k, count(*) as n from app_public.report_deliveries group by 1) x), '{}'),
    'runs', coalesce((select jsonb_object_agg(status, n) from (select status, count(*) as n from app_public.report_runs group by 1) y), '{}'))
$function$;
comment on function app_hidden.report_delivery_stats() is 'Report runs by status and deliveries by channel and status, for /metrics (report_runs, report_deliveries gauges).';
revoke all on function app_hidden.report_delivery_stats() from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_hidden.report_delivery_stats() to app_authenticator;
--! EndIncluded report-delivery/run-steps.sql
--! Included access/report_schedules.sql
-- Managers and superadmins (generateReports with viewAllPerformance) manage schedules; others read only schedules
-- they own (none, unless they made one before losing the right). No deletes: deactivate, so runs keep their schedule.
drop policy if exists select_own_or_all on app_public.report_schedules;
create policy select_own_or_all on app_public.report_schedules for select to app_visitor
  using ((owner_email = ((select auth.email()))::citext) or (select app_hidden.sees_all()));

drop policy if exists insert_managers on app_public.report_schedules;
create policy insert_managers on app_public.report_schedules for insert to app_visitor
  with check ((select app_hidden.has_permission('generateReports')) and (select app_hidden.sees_all()));

drop policy if exists update_managers on app_public.report_schedules;
create policy update_managers on app_public.report_schedules for update to app_visitor
  using ((select app_hidden.has_permission('generateReports')) and (select app_hidden.sees_all()));

revoke all on app_public.report_schedules from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant select on app_public.report_schedules to app_visitor;
grant insert (name, report, filters, recipients, format, channel, cadence, local_time, weekday, monthday, active) on app_public.report_schedules to app_visitor;
grant update (name, report, filters, recipients, format, channel, cadence, local_time, weekday, monthday, active) on app_public.report_schedules to app_visitor;
grant select, insert, update on app_public.report_schedules to app_worker;
--! EndIncluded access/report_schedules.sql
--! Included access/report_runs.sql
-- Runs are written by generate_report (security definer, its own checks) and the worker only. You read the runs
-- you asked for; managers and superadmins read all.
drop policy if exists select_own_or_all on app_public.report_runs;
create policy select_own_or_all on app_public.report_runs for select to app_visitor
  using ((requested_by = (select auth.uid())) or (select app_hidden.sees_all()));

revoke all on app_public.report_runs from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant select on app_public.report_runs to app_visitor;
grant select, insert, update on app_public.report_runs to app_worker;
--! EndIncluded access/report_runs.sql
--! Included access/report_deliveries.sql
-- A delivery is read with its run: by whoever asked for the run, and by managers and superadmins. The worker writes.
drop policy if exists select_with_run on app_public.report_deliveries;
create policy select_with_run on app_public.report_deliveries for select to app_visitor
  using ((select app_hidden.sees_all()) or exists (select 1 from app_public.report_runs r where r.id = run_id and r.requested_by = (select auth.uid())));

revoke all on app_public.report_deliveries from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant select on app_public.report_deliveries to app_visitor;
grant select, insert, update on app_public.report_deliveries to app_worker;
--! EndIncluded access/report_deliveries.sql
--! Included access/app_private.document_contents.sql
revoke all on app_private.document_contents from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant insert, select on app_private.document_contents to app_worker;
--! EndIncluded access/app_private.document_contents.sql

-- Triggers, once their functions exist.
drop trigger if exists _050_set_owner on app_public.report_schedules;
create trigger _050_set_owner before insert on app_public.report_schedules for each row execute function app_private.tg__set_actor('owner_email', 'email');
drop trigger if exists _100_timestamps on app_public.report_schedules;
create trigger _100_timestamps before insert or update on app_public.report_schedules for each row execute function app_private.tg__timestamps();
drop trigger if exists _200_check on app_public.report_schedules;
create trigger _200_check before insert or update on app_public.report_schedules for each row execute function app_private.tg_report_schedules__check();
drop trigger if exists _900_audit on app_public.report_schedules;
create trigger _900_audit after insert or update or delete on app_public.report_schedules for each row execute function app_private.tg__audit('id');
drop trigger if exists _100_timestamps on app_public.report_runs;
create trigger _100_timestamps before insert or update on app_public.report_runs for each row execute function app_private.tg__timestamps();
drop trigger if exists _500_queue on app_public.report_runs;
create trigger _500_queue after insert on app_public.report_runs for each row execute function app_private.tg_report_runs__queue();
drop trigger if exists _900_audit on app_public.report_runs;
create trigger _900_audit after insert or update or delete on app_public.report_runs for each row execute function app_private.tg__audit('id');
drop trigger if exists _100_timestamps on app_public.report_deliveries;
create trigger _100_timestamps before insert or update on app_public.report_deliveries for each row execute function app_private.tg__timestamps();
drop trigger if exists _500_queue on app_public.report_deliveries;
create trigger _500_queue after insert on app_public.report_deliveries for each row execute function app_private.tg_report_deliveries__queue();
drop trigger if exists _900_audit on app_public.report_deliveries;
create trigger _900_audit after insert or update or delete on app_public.report_deliveries for each row execute function app_private.tg__audit('id');
