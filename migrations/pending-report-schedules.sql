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

--!include report-delivery/schedule-due.sql
--!include report-delivery/schedules.sql
--!include report-delivery/generate-report.sql
--!include report-delivery/run-steps.sql
--!include access/report_schedules.sql
--!include access/report_runs.sql
--!include access/report_deliveries.sql
--!include access/app_private.document_contents.sql

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
