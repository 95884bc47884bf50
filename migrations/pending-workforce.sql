-- The workforce day (issue 18, "Goals, campaigns and the workforce day",
-- workforce part): agents clock their own shifts and breaks (the server's
-- time), supervisors correct times with a reason kept beside the audit row,
-- schedules arrive a week at a time (CSV or JSON, all or nothing) or from a
-- weekly template, coverage per location and 15-minute interval against the
-- Erlang C requirement, lateness and adherence per agent and day, and calls
-- linked to the answering agent's shift.

-- A shift started with nothing on the schedule.
alter table app_public.agent_shifts add column if not exists unscheduled boolean not null default false;
comment on column app_public.agent_shifts.unscheduled is 'True when the agent started work with no shift on the schedule (an unscheduled shift: its scheduled times are the start, it counts in no attendance, punctuality or adherence figure until a schedule upload gives it times).';

-- Breaks as the agent clocks them; their minutes go to the shift's column of their kind when they end.
create table if not exists app_public.shift_breaks (
  id uuid primary key default gen_random_uuid(),
  shift_id uuid not null references app_public.agent_shifts (id) on delete cascade,
  agent_email citext not null,
  location text not null,
  break_type text not null default 'break' check (break_type in ('break', 'lunch', 'training', 'meeting')),
  started_at timestamptz not null default now(),
  ended_at timestamptz,
  minutes integer check (minutes >= 0),
  created_at timestamptz not null default now(),
  check (ended_at is null or ended_at >= started_at),
  check ((ended_at is null) = (minutes is null))
);
create index if not exists shift_breaks_shift_idx on app_public.shift_breaks (shift_id, started_at);
create unique index if not exists shift_breaks_one_open_idx on app_public.shift_breaks (shift_id) where ended_at is null;
comment on table app_public.shift_breaks is E'@omit create,update,delete\nBreaks, lunches, training and meetings as the agent clocked them (breakStart, breakEnd); at most one open at a time. Their whole minutes are added to the shift''s column of their kind when they end.';
comment on column app_public.shift_breaks.id is 'Identifier.';
comment on column app_public.shift_breaks.shift_id is 'The shift the break was taken in.';
comment on column app_public.shift_breaks.agent_email is 'The agent.';
comment on column app_public.shift_breaks.location is 'The shift''s location.';
comment on column app_public.shift_breaks.break_type is 'break, lunch, training or meeting (added to totalBreakTimeMinutes, lunchBreakMinutes, trainingTimeMinutes or meetingTimeMinutes of the shift).';
comment on column app_public.shift_breaks.started_at is 'When it started (the server''s time).';
comment on column app_public.shift_breaks.ended_at is 'When it ended (the server''s time); NULL while it goes on.';
comment on column app_public.shift_breaks.minutes is 'Whole minutes (rounded) added to the shift; NULL while it goes on.';
comment on column app_public.shift_breaks.created_at is 'When the row was created.';
select app_private.secure_table('app_public.shift_breaks');
drop trigger if exists _900_audit on app_public.shift_breaks;
create trigger _900_audit after insert or update or delete on app_public.shift_breaks for each row execute function app_private.tg__audit('id');

-- A supervisor's correction of a shift's times: who, when, why, and each value before and after.
create table if not exists app_public.shift_corrections (
  id uuid primary key default gen_random_uuid(),
  shift_id uuid not null references app_public.agent_shifts (id) on delete cascade,
  agent_email citext not null,
  location text not null,
  corrected_by citext not null,
  reason text not null check (length(reason) between 5 and 1000),
  changes jsonb not null check (jsonb_typeof(changes) = 'object'),
  created_at timestamptz not null default now()
);
create index if not exists shift_corrections_shift_idx on app_public.shift_corrections (shift_id, created_at);
comment on table app_public.shift_corrections is E'@omit create,update,delete\nCorrections of shift times by supervisors (correctShift): the reason and each changed value before and after. Written only by correctShift; never changed. The audit log records the same change without values.';
comment on column app_public.shift_corrections.id is 'Identifier.';
comment on column app_public.shift_corrections.shift_id is 'The corrected shift.';
comment on column app_public.shift_corrections.agent_email is 'The shift''s agent.';
comment on column app_public.shift_corrections.location is 'The shift''s location.';
comment on column app_public.shift_corrections.corrected_by is 'Who corrected it.';
comment on column app_public.shift_corrections.reason is 'Why (at least 5 characters; no patient details).';
comment on column app_public.shift_corrections.changes is 'Each changed column (the PRD''s names) with its value before and after: {"actual_start_time": {"from": ..., "to": ...}}.';
comment on column app_public.shift_corrections.created_at is 'When it was corrected.';
select app_private.secure_table('app_public.shift_corrections');
drop trigger if exists _900_audit on app_public.shift_corrections;
create trigger _900_audit after insert or update or delete on app_public.shift_corrections for each row execute function app_private.tg__audit('id');

-- The repeatable week: one row per agent and weekday, materialised into shifts by applyShiftTemplate.
create table if not exists app_public.shift_templates (
  id uuid primary key default gen_random_uuid(),
  agent_email citext not null references app_public.users (email) on update cascade on delete cascade,
  location text not null references app_public.locations (name) on update cascade,
  weekday integer not null check (weekday between 1 and 7),
  scheduled_start_time time not null,
  scheduled_end_time time not null,
  shift_notes text check (length(shift_notes) <= 4000),
  is_active boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (agent_email, weekday),
  check (scheduled_end_time <> scheduled_start_time)
);
create index if not exists shift_templates_location_idx on app_public.shift_templates (location, weekday);
comment on table app_public.shift_templates is 'The weekly template of the schedule: each agent''s shift per weekday, which applyShiftTemplate turns into the shifts of a week (never changing a shift already started).';
comment on column app_public.shift_templates.id is 'Identifier.';
comment on column app_public.shift_templates.agent_email is 'The agent.';
comment on column app_public.shift_templates.location is 'Where the shift is worked.';
comment on column app_public.shift_templates.weekday is 'ISO weekday: 1 Monday … 7 Sunday.';
comment on column app_public.shift_templates.scheduled_start_time is 'Scheduled start, local business time.';
comment on column app_public.shift_templates.scheduled_end_time is 'Scheduled end, local business time (before the start: next day).';
comment on column app_public.shift_templates.shift_notes is 'Notes copied to the shifts (no patient details).';
comment on column app_public.shift_templates.is_active is 'False to leave the row out when a week is made.';
comment on column app_public.shift_templates.created_at is 'When the row was created.';
comment on column app_public.shift_templates.updated_at is 'When the row last changed.';
select app_private.secure_table('app_public.shift_templates');
drop trigger if exists _100_timestamps on app_public.shift_templates;
create trigger _100_timestamps before insert or update on app_public.shift_templates for each row execute function app_private.tg__timestamps();
drop trigger if exists _900_audit on app_public.shift_templates;
create trigger _900_audit after insert or update or delete on app_public.shift_templates for each row execute function app_private.tg__audit('id');

-- What a schedule upload or a template made of the shifts.
drop type if exists app_public.schedule_changes cascade;
create type app_public.schedule_changes as (
  first_day date,
  last_day date,
  created integer,
  updated integer,
  unchanged integer,
  kept_started integer
);
comment on type app_public.schedule_changes is 'What a schedule upload or a weekly template did to the shifts.';
comment on column app_public.schedule_changes.first_day is 'The first day with a shift in the upload, or the first day of the template''s week.';
comment on column app_public.schedule_changes.last_day is 'The last day with a shift in the upload, or the last day of the template''s week.';
comment on column app_public.schedule_changes.created is 'Shifts created.';
comment on column app_public.schedule_changes.updated is 'Shifts not yet started whose times or location changed (or an unscheduled shift given its schedule).';
comment on column app_public.schedule_changes.unchanged is 'Shifts already as asked.';
comment on column app_public.schedule_changes.kept_started is 'Shifts already started (or at a location you do not manage) left as they were (templates only; an upload refuses them).';

-- Coverage per location and 15-minute interval.
drop type if exists app_public.staffing_coverage cascade;
create type app_public.staffing_coverage as (
  location text,
  business_day date,
  interval_start timestamptz,
  queues integer,
  forecast_offered numeric,
  required_agents integer,
  scheduled_agents integer,
  working_agents integer,
  shortfall_agents integer
);
comment on type app_public.staffing_coverage is 'Coverage of one location in one 15-minute interval: the agents the Erlang C forecast needs for its queues, the agents scheduled and the agents at work, and the shortfall.';
comment on column app_public.staffing_coverage.location is 'The location.';
comment on column app_public.staffing_coverage.business_day is 'Business day of the interval.';
comment on column app_public.staffing_coverage.interval_start is 'Start of the 15-minute interval.';
comment on column app_public.staffing_coverage.queues is 'Queues of the location in the forecast.';
comment on column app_public.staffing_coverage.forecast_offered is 'Σ calls forecast for the location''s queues in the interval (staffingForecast).';
comment on column app_public.staffing_coverage.required_agents is 'Σ agents the location''s queues need for their service-level goals (staffingForecast''s requiredAgents, per queue).';
comment on column app_public.staffing_coverage.scheduled_agents is 'Agents whose scheduled shift at the location covers the whole interval (absent and unscheduled shifts not counted).';
comment on column app_public.staffing_coverage.working_agents is 'Agents clocked in at the location for the whole interval (an open shift up to now).';
comment on column app_public.staffing_coverage.shortfall_agents is 'requiredAgents − scheduledAgents when positive, else 0.';

-- Lateness, adherence and utilization per agent and day (one shift).
drop type if exists app_public.shift_kpis cascade;
create type app_public.shift_kpis as (
  shift_id uuid,
  agent_email citext,
  agent_name text,
  location text,
  shift_date date,
  scheduled_start_time time,
  scheduled_end_time time,
  actual_start_time timestamptz,
  actual_end_time timestamptz,
  shift_status text,
  unscheduled boolean,
  absent boolean,
  tardiness_minutes integer,
  early_departure_minutes integer,
  total_break_time_minutes integer,
  lunch_break_minutes integer,
  training_time_minutes integer,
  meeting_time_minutes integer,
  scheduled_seconds bigint,
  adherent_seconds bigint,
  adherence_pct numeric,
  available_seconds bigint,
  calls_handled integer,
  calls_missed integer,
  talk_seconds bigint,
  acw_seconds bigint,
  utilization_pct numeric,
  calls_per_hour numeric
);
comment on type app_public.shift_kpis is 'One agent''s day at work (one shift): lateness, early departure, absence, adherence to the schedule and utilization.';
comment on column app_public.shift_kpis.shift_id is 'The shift.';
comment on column app_public.shift_kpis.agent_email is 'The agent.';
comment on column app_public.shift_kpis.agent_name is 'The agent''s name as scheduled.';
comment on column app_public.shift_kpis.location is 'Where the shift is worked.';
comment on column app_public.shift_kpis.shift_date is 'Business day the shift starts on.';
comment on column app_public.shift_kpis.scheduled_start_time is 'Scheduled start, local business time.';
comment on column app_public.shift_kpis.scheduled_end_time is 'Scheduled end, local business time (before the start: next day).';
comment on column app_public.shift_kpis.actual_start_time is 'When the agent started.';
comment on column app_public.shift_kpis.actual_end_time is 'When the agent ended.';
comment on column app_public.shift_kpis.shift_status is 'scheduled, active, completed, absent or partial.';
comment on column app_public.shift_kpis.unscheduled is 'Started with no shift on the schedule: no lateness, absence or adherence.';
comment on column app_public.shift_kpis.absent is 'No start logged by the scheduled end.';
comment on column app_public.shift_kpis.tardiness_minutes is 'Whole minutes started after the scheduled start.';
comment on column app_public.shift_kpis.early_departure_minutes is 'Whole minutes ended before the scheduled end.';
comment on column app_public.shift_kpis.total_break_time_minutes is 'Breaks, minutes.';
comment on column app_public.shift_kpis.lunch_break_minutes is 'Lunch, minutes.';
comment on column app_public.shift_kpis.training_time_minutes is 'Training, minutes.';
comment on column app_public.shift_kpis.meeting_time_minutes is 'Meetings, minutes.';
comment on column app_public.shift_kpis.scheduled_seconds is 'Scheduled length (NULL for an unscheduled shift).';
comment on column app_public.shift_kpis.adherent_seconds is 'Time worked inside the scheduled window (an open shift up to now; NULL for an unscheduled shift).';
comment on column app_public.shift_kpis.adherence_pct is 'adherentSeconds / scheduledSeconds × 100.';
comment on column app_public.shift_kpis.available_seconds is 'Worked time less breaks, lunch, training and meetings (as last recounted).';
comment on column app_public.shift_kpis.calls_handled is 'Calls answered during the shift.';
comment on column app_public.shift_kpis.calls_missed is 'Calls that rang the agent during the shift and were not answered by them.';
comment on column app_public.shift_kpis.talk_seconds is 'Talk time during the shift.';
comment on column app_public.shift_kpis.acw_seconds is 'After-call work of the shift''s calls.';
comment on column app_public.shift_kpis.utilization_pct is '(talk + after-call work) / available × 100.';
comment on column app_public.shift_kpis.calls_per_hour is 'calls handled / available hours.';

--!include shifts/shift-rules.sql
--!include shifts/call-link.sql
--!include workforce/clock.sql
--!include workforce/correct-shift.sql
--!include workforce/upload-schedule.sql
--!include workforce/shift-templates.sql
--!include workforce/coverage.sql
--!include workforce/shift-kpis.sql
--!include kpi/recount-team-days.sql
--!include access/agent_shifts.sql
--!include access/shift_breaks.sql
--!include access/shift_corrections.sql
--!include access/shift_templates.sql

-- Calls take the answering agent's shift from now on (call-link.sql), and the ones already stored are linked once.
drop trigger if exists _040_shift on app_public.call_center_records;
create trigger _040_shift before insert or update of agent_email, call_answer_time on app_public.call_center_records
  for each row execute function app_private.tg_call_center_records__shift();
drop trigger if exists _300_link_calls on app_public.agent_shifts;
create trigger _300_link_calls after insert or update of actual_start_time, actual_end_time, agent_email on app_public.agent_shifts
  for each row execute function app_private.tg_agent_shifts__link_calls();
-- (the link changes no figure: the upkeep and audit triggers of the calls are off for this one statement)
alter table app_public.call_center_records disable trigger _100_timestamps;
alter table app_public.call_center_records disable trigger _700_kpis_stale_update;
alter table app_public.call_center_records disable trigger _900_audit;
update app_public.call_center_records c set shift_id = s.id
  from app_public.agent_shifts s
 where s.actual_start_time is not null and c.agent_email = s.agent_email
   and c.call_start_time >= s.actual_start_time - interval '1 day'
   and c.call_start_time < coalesce(s.actual_end_time, app_hidden.business_day_start(s.shift_date + 2))
   and c.call_answer_time >= s.actual_start_time
   and c.call_answer_time < coalesce(s.actual_end_time, app_hidden.business_day_start(s.shift_date + 2))
   and c.shift_id is distinct from s.id;
alter table app_public.call_center_records enable trigger _100_timestamps;
alter table app_public.call_center_records enable trigger _700_kpis_stale_update;
alter table app_public.call_center_records enable trigger _900_audit;
