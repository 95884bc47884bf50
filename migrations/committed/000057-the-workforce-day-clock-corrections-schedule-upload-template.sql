--! Previous: sha1:9ba41790cb577bda019ab9beecdb6b021b03a98d
--! Hash: sha1:3850d5c1294e0b9834983873551c3d3582fafc29
--! Message: The workforce day: clock, corrections, schedule upload, templates, coverage

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

--! Included shifts/shift-rules.sql
create or replace function app_hidden.shift_window(shift_date date, scheduled_start time without time zone, scheduled_end time without time zone)
 returns tstzrange
 language sql
 stable parallel safe
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
  select tstzrange((shift_date + scheduled_start) at time zone app_hidden.business_timezone(),
                   ((shift_date + case when scheduled_end < scheduled_start then 1 else 0 end) + scheduled_end) at time zone app_hidden.business_timezone())
$function$;
comment on function app_hidden.shift_window(date,time without time zone,time without time zone) is 'The scheduled window of a shift as instants: local times on the shift date in the business zone; an end before the start is the next day.';
revoke all on function app_hidden.shift_window(date,time without time zone,time without time zone) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_hidden.shift_window(date,time without time zone,time without time zone) to app_analyst, app_visitor, app_worker;

create or replace function app_private.mark_absent_shifts()
 returns integer
 language plpgsql
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
declare
  n integer;
begin
  update app_public.agent_shifts s set shift_status = 'absent'
   where s.shift_status = 'scheduled' and s.actual_start_time is null
     and s.shift_date between app_hidden.business_day(now()) - 2 and app_hidden.business_day(now())
     and upper(app_hidden.shift_window(s.shift_date, s.scheduled_start_time, s.scheduled_end_time)) <= now();
  get diagnostics n = row_count;
  return n;
end;
$function$;
comment on function app_private.mark_absent_shifts() is 'Marks absent the shifts of the last days whose scheduled end has passed with no start logged; returns how many.';
revoke all on function app_private.mark_absent_shifts() from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_private.mark_absent_shifts() to app_worker;

create or replace function app_private.tg_agent_shifts__times()
 returns trigger
 language plpgsql
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
declare
  w tstzrange := app_hidden.shift_window(new.shift_date, new.scheduled_start_time, new.scheduled_end_time);
begin
  new.tardiness_minutes := case when new.actual_start_time is null or new.unscheduled then 0
                                else greatest(0, floor(extract(epoch from (new.actual_start_time - lower(w))) / 60))::integer end;
  new.early_departure_minutes := case when new.actual_end_time is null or new.unscheduled then 0
                                      else greatest(0, floor(extract(epoch from (upper(w) - new.actual_end_time)) / 60))::integer end;
  new.shift_status := case
    when new.actual_start_time is null then case when new.shift_status = 'absent' then 'absent' else 'scheduled' end
    when new.actual_end_time is null then 'active'
    when new.tardiness_minutes > 15 or new.early_departure_minutes > 15 then 'partial'
    else 'completed' end;
  return new;
end;
$function$;
comment on function app_private.tg_agent_shifts__times() is 'Lateness and status from the logged times: minutes late and early (whole, never negative; none for an unscheduled shift); scheduled → active → completed, or partial when over 15 minutes late or early; absent stays absent until a start is logged.';
revoke all on function app_private.tg_agent_shifts__times() from public, app_visitor, app_worker, app_analyst, app_authenticator;

-- Adherence (kpi-definitions, team metrics): time worked inside the scheduled
-- window over the scheduled time; the team rows and shiftKpisForRange both
-- count it here.
create or replace function app_hidden.shift_scheduled_seconds(shift_date date, scheduled_start time without time zone, scheduled_end time without time zone)
 returns bigint
 language sql
 stable parallel safe
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
  select extract(epoch from (upper(w) - lower(w)))::bigint from app_hidden.shift_window(shift_date, scheduled_start, scheduled_end) w
$function$;
comment on function app_hidden.shift_scheduled_seconds(date,time without time zone,time without time zone) is 'The scheduled length of a shift in seconds (23 or 25 hours of a DST night count as they are).';
revoke all on function app_hidden.shift_scheduled_seconds(date,time without time zone,time without time zone) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_hidden.shift_scheduled_seconds(date,time without time zone,time without time zone) to app_analyst, app_visitor, app_worker;

create or replace function app_hidden.shift_adherent_seconds(shift_date date, scheduled_start time without time zone, scheduled_end time without time zone,
                                                            actual_start timestamp with time zone, actual_end timestamp with time zone)
 returns bigint
 language sql
 stable parallel safe
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
  select case when actual_start is null then 0
              else greatest(0, extract(epoch from (least(coalesce(actual_end, greatest(now(), actual_start)), upper(w))
                                                   - greatest(actual_start, lower(w)))))::bigint end
    from app_hidden.shift_window(shift_date, scheduled_start, scheduled_end) w
$function$;
comment on function app_hidden.shift_adherent_seconds(date,time without time zone,time without time zone,timestamp with time zone,timestamp with time zone) is 'Seconds worked inside the scheduled window of a shift (an open shift counts up to now); 0 before a start is logged.';
revoke all on function app_hidden.shift_adherent_seconds(date,time without time zone,time without time zone,timestamp with time zone,timestamp with time zone) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_hidden.shift_adherent_seconds(date,time without time zone,time without time zone,timestamp with time zone,timestamp with time zone) to app_analyst, app_visitor, app_worker;
--! EndIncluded shifts/shift-rules.sql
--! Included shifts/call-link.sql
-- A call belongs to the shift its answering agent (call_center_records.agent_email,
-- the first agent who answered) was working when they answered it: the shift whose
-- logged interval [actual start, actual end) holds call_answer_time; an open
-- shift holds calls up to the end of the business day after its own. Set as a
-- call is stored, and again for the agent's calls whenever a shift's logged
-- times change (a start, an end, a supervisor's correction).
create or replace function app_private.shift_at(agent_email citext, at timestamp with time zone)
 returns uuid
 language sql
 stable
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
  select s.id from app_public.agent_shifts s
   where s.agent_email = shift_at.agent_email
     and s.shift_date between app_hidden.business_day(shift_at.at) - 1 and app_hidden.business_day(shift_at.at)
     and s.actual_start_time <= shift_at.at
     and shift_at.at < coalesce(s.actual_end_time, app_hidden.business_day_start(s.shift_date + 2))
   order by s.actual_start_time desc
   limit 1
$function$;
comment on function app_private.shift_at(citext,timestamp with time zone) is 'The shift an agent was working at an instant (its logged interval holds it; an open shift runs to the end of the next business day), or NULL.';
revoke all on function app_private.shift_at(citext,timestamp with time zone) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_private.shift_at(citext,timestamp with time zone) to app_worker;

create or replace function app_private.tg_call_center_records__shift()
 returns trigger
 language plpgsql
 security definer
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
begin
  new.shift_id := case when new.agent_email is not null and new.call_answer_time is not null
                       then app_private.shift_at(new.agent_email, new.call_answer_time) end;
  return new;
end;
$function$;
comment on function app_private.tg_call_center_records__shift() is 'Links a call to the shift of its answering agent in which they answered it (one index lookup per stored call).';
revoke all on function app_private.tg_call_center_records__shift() from public, app_visitor, app_worker, app_analyst, app_authenticator;

create or replace function app_private.tg_agent_shifts__link_calls()
 returns trigger
 language plpgsql
 security definer
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
declare
  until_t timestamptz;
begin
  if tg_op = 'UPDATE' and (old.actual_start_time, old.actual_end_time, old.agent_email) is not distinct from (new.actual_start_time, new.actual_end_time, new.agent_email) then
    return null;
  end if;
  -- Calls no longer inside the shift go to whichever shift holds them now (or none).
  if tg_op = 'UPDATE' then
    update app_public.call_center_records c set shift_id = app_private.shift_at(c.agent_email, c.call_answer_time)
     where c.shift_id = new.id
       and app_private.shift_at(c.agent_email, c.call_answer_time) is distinct from new.id;
  end if;
  if new.actual_start_time is null then
    return null;
  end if;
  until_t := coalesce(new.actual_end_time, app_hidden.business_day_start(new.shift_date + 2));
  update app_public.call_center_records c set shift_id = new.id
   where c.agent_email = new.agent_email
     and c.call_start_time >= new.actual_start_time - interval '1 day' and c.call_start_time < until_t
     and c.call_answer_time >= new.actual_start_time and c.call_answer_time < until_t
     and c.shift_id is distinct from new.id
     and app_private.shift_at(c.agent_email, c.call_answer_time) = new.id;
  return null;
end;
$function$;
comment on function app_private.tg_agent_shifts__link_calls() is 'Links the agent''s calls answered inside a shift''s logged interval to it, and moves calls that fell out of it, when the shift''s start, end or agent changes.';
revoke all on function app_private.tg_agent_shifts__link_calls() from public, app_visitor, app_worker, app_analyst, app_authenticator;
--! EndIncluded shifts/call-link.sql
--! Included workforce/clock.sql
-- An agent's own clock: shiftStart, shiftEnd, breakStart, breakEnd
-- (POST /api/workforce/shift-start, shift-end, break-start, break-end). The
-- time is always the database's now(), never the client's. People who take
-- calls (editCallJournals: agents, supervisors, managers, administrators)
-- clock themselves only; the functions act on the signed-in person's rows, so
-- they run as the owner (the row rules let only supervisors write shifts) and
-- check everything themselves. One person's clock calls run one at a time.

-- Who is clocking: the signed-in person, allowed to (42501 otherwise), their calls serialised.
create or replace function app_private.clock_person()
 returns citext
 language plpgsql
 volatile
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
declare
  me citext := auth.email()::citext;
begin
  if me is null or not app_hidden.has_permission('editCallJournals') then
    raise exception 'Clocking shifts is for people who take calls (editCallJournals).' using errcode = '42501';
  end if;
  perform pg_advisory_xact_lock(hashtextextended('workforce clock ' || lower(me::text), 0));
  return me;
end;
$function$;
comment on function app_private.clock_person() is 'The signed-in person clocking a shift or break (42501 without editCallJournals); holds a lock so one person''s clock calls run one at a time.';
revoke all on function app_private.clock_person() from public, app_visitor, app_worker, app_analyst, app_authenticator;

-- The shift a person is working now: started, not ended, of today or yesterday (an overnight shift).
create or replace function app_private.open_shift(agent citext)
 returns app_public.agent_shifts
 language sql
 stable
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
  select s.* from app_public.agent_shifts s
   where s.agent_email = open_shift.agent
     and s.shift_date between app_hidden.business_day(now()) - 1 and app_hidden.business_day(now())
     and s.actual_start_time is not null and s.actual_end_time is null
   order by s.actual_start_time desc
   limit 1
$function$;
comment on function app_private.open_shift(citext) is 'The person''s shift in progress (started and not ended, of today or yesterday), or NULL.';
revoke all on function app_private.open_shift(citext) from public, app_visitor, app_worker, app_analyst, app_authenticator;

-- Ends the open break of a shift at an instant and adds its whole minutes to the shift's column of its kind.
create or replace function app_private.close_break(shift_id uuid, at timestamp with time zone)
 returns app_public.shift_breaks
 language plpgsql
 volatile
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
declare
  b app_public.shift_breaks;
begin
  update app_public.shift_breaks x
     set ended_at = greatest(x.started_at, close_break.at),
         minutes = round(extract(epoch from (greatest(x.started_at, close_break.at) - x.started_at)) / 60.0)::integer
   where x.shift_id = close_break.shift_id and x.ended_at is null
  returning * into b;
  if b.id is null then
    return null;
  end if;
  update app_public.agent_shifts s
     set total_break_time_minutes = s.total_break_time_minutes + case when b.break_type = 'break' then b.minutes else 0 end,
         lunch_break_minutes = s.lunch_break_minutes + case when b.break_type = 'lunch' then b.minutes else 0 end,
         training_time_minutes = s.training_time_minutes + case when b.break_type = 'training' then b.minutes else 0 end,
         meeting_time_minutes = s.meeting_time_minutes + case when b.break_type = 'meeting' then b.minutes else 0 end
   where s.id = b.shift_id and b.minutes > 0;
  return b;
end;
$function$;
comment on function app_private.close_break(uuid,timestamp with time zone) is 'Ends the open break of a shift at the given instant (never before it began) and adds its rounded minutes to the shift''s break, lunch, training or meeting minutes; NULL when none is open.';
revoke all on function app_private.close_break(uuid,timestamp with time zone) from public, app_visitor, app_worker, app_analyst, app_authenticator;

create or replace function app_public.shift_start(location text default null)
 returns app_public.agent_shifts
 language plpgsql
 volatile
 security definer
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
declare
  me citext := app_private.clock_person();
  today date := app_hidden.business_day(now());
  s app_public.agent_shifts;
  loc text := shift_start.location;
  name text;
  local_now time := date_trunc('minute', now() at time zone app_hidden.business_timezone())::time;
begin
  s := app_private.open_shift(me);
  if s.id is not null then
    raise exception 'You are already on shift since %; end it before starting another.',
      to_char(s.actual_start_time at time zone app_hidden.business_timezone(), 'YYYY-MM-DD HH24:MI') using errcode = 'CC801';
  end if;
  -- The scheduled shift this start belongs to: the one whose window holds now, else one starting within the hour, else today's.
  select x.* into s
    from app_public.agent_shifts x
   cross join lateral (select app_hidden.shift_window(x.shift_date, x.scheduled_start_time, x.scheduled_end_time) as w) w
   where x.agent_email = me and x.actual_start_time is null and x.shift_date between today - 1 and today + 1
     and (w.w @> now() or x.shift_date = today or lower(w.w) between now() and now() + interval '1 hour')
   order by w.w @> now() desc, lower(w.w) between now() and now() + interval '1 hour' desc, x.shift_date = today desc
   limit 1;
  if s.id is not null then
    update app_public.agent_shifts x set actual_start_time = now() where x.id = s.id returning x.* into s;
    return s;
  end if;
  select x.* into s from app_public.agent_shifts x where x.agent_email = me and x.shift_date = today;
  if s.id is not null then
    raise exception 'Your shift of % has ended (at %); a supervisor corrects its times if you are still working.', today,
      to_char(s.actual_end_time at time zone app_hidden.business_timezone(), 'HH24:MI') using errcode = 'CC802';
  end if;
  -- Nothing on the schedule: an unscheduled shift, at the location given or the person's in the agent directory.
  if loc is not null then
    perform app_hidden.check_known_queue_and_location(null, loc);
  else
    select a.location_name into loc from app_public.agents a where a.user_email = me and a.is_active order by a.extension limit 1;
    if loc is null then
      raise exception 'You have no shift on the schedule and no location in the agent directory: say where you are working.'
        using errcode = 'CC806', column = 'location';
    end if;
  end if;
  select coalesce((select a.display_name from app_public.agents a where a.user_email = me and a.is_active and a.display_name is not null order by a.extension limit 1),
                  nullif(u.full_name, ''), split_part(me::text, '@', 1))
    into name from app_public.users u where u.email = me;
  insert into app_public.agent_shifts (agent_email, agent_name, location, shift_date, scheduled_start_time, scheduled_end_time, actual_start_time, unscheduled)
  values (me, coalesce(name, split_part(me::text, '@', 1)), loc, today, local_now, local_now, now(), true)
  returning * into s;
  return s;
end;
$function$;
comment on function app_public.shift_start(text) is E'Starts your shift now (the server''s time): the scheduled shift whose window holds now, else one starting within the hour, else today''s; with none on the schedule, an unscheduled shift (at location, or your location in the agent directory) that supervisors see. Already on shift: CC801; today''s shift already ended: CC802; no location known: CC806. Needs editCallJournals (people who take calls).';
revoke all on function app_public.shift_start(text) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_public.shift_start(text) to app_visitor;

create or replace function app_public.shift_end()
 returns app_public.agent_shifts
 language plpgsql
 volatile
 security definer
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
declare
  me citext := app_private.clock_person();
  s app_public.agent_shifts := app_private.open_shift(me);
begin
  if s.id is null then
    raise exception 'You are not on shift: start one first.' using errcode = 'CC803';
  end if;
  perform app_private.close_break(s.id, now());
  update app_public.agent_shifts x set actual_end_time = now() where x.id = s.id;
  -- The answer carries the shift's totals now, not at the next upkeep.
  perform app_private.recount_shifts(array[s.id]);
  select x.* into s from app_public.agent_shifts x where x.id = s.id;
  return s;
end;
$function$;
comment on function app_public.shift_end() is 'Ends your shift in progress now (the server''s time), ending an open break with it, and answers the shift with its totals (calls handled and missed, talk, after-call work, available time, utilization, lateness, status). Not on shift: CC803. Needs editCallJournals.';
revoke all on function app_public.shift_end() from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_public.shift_end() to app_visitor;

create or replace function app_public.break_start(break_type text default 'break')
 returns app_public.shift_breaks
 language plpgsql
 volatile
 security definer
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
declare
  me citext := app_private.clock_person();
  s app_public.agent_shifts := app_private.open_shift(me);
  b app_public.shift_breaks;
begin
  if s.id is null then
    raise exception 'You are not on shift: start one before a break.' using errcode = 'CC803';
  end if;
  select x.* into b from app_public.shift_breaks x where x.shift_id = s.id and x.ended_at is null;
  if b.id is not null then
    raise exception 'You are already on a % since %; end it first.', b.break_type,
      to_char(b.started_at at time zone app_hidden.business_timezone(), 'HH24:MI') using errcode = 'CC804';
  end if;
  insert into app_public.shift_breaks (shift_id, agent_email, location, break_type, started_at)
  values (s.id, me, s.location, coalesce(break_start.break_type, 'break'), now())
  returning * into b;
  return b;
end;
$function$;
comment on function app_public.break_start(text) is 'Starts a break of your shift in progress now: break (default), lunch, training or meeting. Not on shift: CC803; already on a break: CC804. Needs editCallJournals.';
revoke all on function app_public.break_start(text) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_public.break_start(text) to app_visitor;

create or replace function app_public.break_end()
 returns app_public.shift_breaks
 language plpgsql
 volatile
 security definer
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
declare
  me citext := app_private.clock_person();
  s app_public.agent_shifts := app_private.open_shift(me);
  b app_public.shift_breaks;
begin
  if s.id is null then
    raise exception 'You are not on shift.' using errcode = 'CC803';
  end if;
  b := app_private.close_break(s.id, now());
  if b.id is null then
    raise exception 'You are not on a break.' using errcode = 'CC805';
  end if;
  return b;
end;
$function$;
comment on function app_public.break_end() is 'Ends your break now and adds its whole minutes (rounded) to the shift''s minutes of its kind. Not on shift: CC803; not on a break: CC805. Needs editCallJournals.';
revoke all on function app_public.break_end() from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_public.break_end() to app_visitor;
--! EndIncluded workforce/clock.sql
--! Included workforce/correct-shift.sql
-- A supervisor corrects a shift's logged times and minutes (a forgotten
-- clock-out, a start logged late, a break not clocked), for shifts of the
-- locations they manage (manageGoals; managers all), always with a reason. The
-- correction is kept in shift_corrections with each value before and after;
-- the audit log records both rows (who, when, which columns). People cannot
-- set these columns directly (access/agent_shifts.sql): this is the one way.
create or replace function app_public.correct_shift(
  shift_id uuid,
  reason text,
  actual_start_time timestamp with time zone default null,
  actual_end_time timestamp with time zone default null,
  total_break_time_minutes integer default null,
  lunch_break_minutes integer default null,
  training_time_minutes integer default null,
  meeting_time_minutes integer default null)
 returns app_public.agent_shifts
 language plpgsql
 volatile
 security definer
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
declare
  s app_public.agent_shifts;
  after_row app_public.agent_shifts;
  why text := btrim(correct_shift.reason);
  changes jsonb := '{}';
  col text;
begin
  perform app_hidden.require_permission('manageGoals');
  select x.* into s from app_public.agent_shifts x
   where x.id = correct_shift.shift_id
     and ((select app_hidden.sees_all()) or x.location = any ((select app_hidden.team_locations())::text[]))
   for update;
  if s.id is null then
    raise exception 'No shift % that you may correct.', correct_shift.shift_id using errcode = 'CC812', column = 'shift_id';
  end if;
  if why is null or length(why) < 5 or why !~ '[[:alnum:]]' then
    raise exception 'A correction needs its reason: at least 5 characters.' using errcode = 'CC811', column = 'reason';
  end if;
  if length(why) > 1000 then
    raise exception 'A reason has at most 1000 characters.' using errcode = 'CC811', column = 'reason';
  end if;
  if num_nonnulls(correct_shift.actual_start_time, correct_shift.actual_end_time, correct_shift.total_break_time_minutes,
                  correct_shift.lunch_break_minutes, correct_shift.training_time_minutes, correct_shift.meeting_time_minutes) = 0 then
    raise exception 'Say what to correct: a start, an end or minutes.' using errcode = 'CC814';
  end if;
  if correct_shift.actual_start_time > now() then
    raise exception 'A start cannot be corrected into the future.' using errcode = 'CC813', column = 'actual_start_time';
  end if;
  if correct_shift.actual_end_time > now() then
    raise exception 'An end cannot be corrected into the future.' using errcode = 'CC813', column = 'actual_end_time';
  end if;
  if coalesce(correct_shift.actual_start_time, s.actual_start_time) is null and correct_shift.actual_end_time is not null then
    raise exception 'The shift has no start: correct its start with its end.' using errcode = 'CC813', column = 'actual_start_time';
  end if;
  if correct_shift.actual_end_time < coalesce(correct_shift.actual_start_time, s.actual_start_time)
     or (correct_shift.actual_end_time is null and s.actual_end_time < correct_shift.actual_start_time) then
    raise exception 'A shift cannot end before it starts.' using errcode = 'CC813', column = 'actual_end_time';
  end if;
  -- A break still open ends with the corrected end.
  if correct_shift.actual_end_time is not null then
    perform app_private.close_break(s.id, correct_shift.actual_end_time);
    select x.* into s from app_public.agent_shifts x where x.id = s.id;
  end if;
  update app_public.agent_shifts x
     set actual_start_time = coalesce(correct_shift.actual_start_time, x.actual_start_time),
         actual_end_time = coalesce(correct_shift.actual_end_time, x.actual_end_time),
         total_break_time_minutes = coalesce(correct_shift.total_break_time_minutes, x.total_break_time_minutes),
         lunch_break_minutes = coalesce(correct_shift.lunch_break_minutes, x.lunch_break_minutes),
         training_time_minutes = coalesce(correct_shift.training_time_minutes, x.training_time_minutes),
         meeting_time_minutes = coalesce(correct_shift.meeting_time_minutes, x.meeting_time_minutes)
   where x.id = s.id
  returning x.* into after_row;
  foreach col in array array['actual_start_time', 'actual_end_time', 'total_break_time_minutes', 'lunch_break_minutes',
                             'training_time_minutes', 'meeting_time_minutes'] loop
    if to_jsonb(s) -> col is distinct from to_jsonb(after_row) -> col then
      changes := changes || jsonb_build_object(col, jsonb_build_object('from', to_jsonb(s) -> col, 'to', to_jsonb(after_row) -> col));
    end if;
  end loop;
  if changes = '{}' then
    raise exception 'The shift already has these times: nothing to correct.' using errcode = 'CC814';
  end if;
  insert into app_public.shift_corrections (shift_id, agent_email, location, corrected_by, reason, changes)
  values (s.id, s.agent_email, s.location, auth.email()::citext, why, changes);
  perform app_private.recount_shifts(array[s.id]);
  select x.* into s from app_public.agent_shifts x where x.id = s.id;
  return s;
end;
$function$;
comment on function app_public.correct_shift(uuid,text,timestamp with time zone,timestamp with time zone,integer,integer,integer,integer) is E'Corrects a shift''s logged start, end or minutes (those given; the rest stay), with its reason (at least 5 characters, CC811), kept in shiftCorrections with each value before and after; answers the shift with its totals recounted. manageGoals, for shifts of your locations (managers: all); another shift is CC812. Times in the future or an end before the start: CC813; nothing to change: CC814.';
revoke all on function app_public.correct_shift(uuid,text,timestamp with time zone,timestamp with time zone,integer,integer,integer,integer) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_public.correct_shift(uuid,text,timestamp with time zone,timestamp with time zone,integer,integer,integer,integer) to app_visitor;
--! EndIncluded workforce/correct-shift.sql
--! Included workforce/upload-schedule.sql
-- A schedule upload: many agents' shifts at once (a week from a CSV file or
-- JSON; POST /api/workforce/schedule), checked row by row, saved all or
-- nothing. Every refused row is reported with its line and field in one error
-- (CC821, DETAIL {"problems": [{line, column, code, message}]}), so a person
-- fixes the file once. A row is (agent, location, shift_date,
-- scheduled_start_time, scheduled_end_time, shift_notes); an agent is an email
-- or an extension of the agent directory. An agent's shift of that day is
-- created, or, while not started, given the new times and location; an
-- unscheduled shift (started with nothing on the schedule) takes its schedule;
-- a started shift keeps its times (a row asking to change them is refused:
-- supervisors correct started shifts with correctShift).
create or replace function app_hidden.schedule_problem(line integer, field text, message text)
 returns jsonb
 language sql
 immutable
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$ select jsonb_build_object('line', line, 'column', field, 'code', 'CC821', 'message', message) $function$;
comment on function app_hidden.schedule_problem(integer,text,text) is 'One refused row of a schedule upload, as the error''s DETAIL lists it (the problems of server/constraint-messages.ts: line, column, code, message; the API names the column as its field).';
revoke all on function app_hidden.schedule_problem(integer,text,text) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_hidden.schedule_problem(integer,text,text) to app_visitor;

create or replace function app_public.upload_schedule(shifts jsonb)
 returns app_public.schedule_changes
 language plpgsql
 volatile
 security definer
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
declare
  max_rows constant integer := 2000;
  today date := app_hidden.business_day(now());
  sees_all boolean := app_hidden.sees_all();
  managed text[] := app_hidden.team_locations();
  problems jsonb := '[]';
  r record;
  line integer;
  n integer := 0;
  agent_text text;
  who citext;
  who_name text;
  loc text;
  d date;
  t_start time;
  t_end time;
  existing app_public.agent_shifts;
  accepted jsonb := '[]';
  seen jsonb := '{}';
  result app_public.schedule_changes := row(null, null, 0, 0, 0, 0);
begin
  perform app_hidden.require_permission('manageGoals');
  if shifts is null or jsonb_typeof(shifts) <> 'array' or jsonb_array_length(shifts) = 0 then
    raise exception 'shifts must be a list of at least one shift.' using errcode = 'CC822', column = 'shifts';
  end if;
  if jsonb_array_length(shifts) > max_rows then
    raise exception 'An upload holds at most % shifts; this one holds %.', max_rows, jsonb_array_length(shifts) using errcode = 'CC822', column = 'shifts';
  end if;
  for r in select e.value as row, e.ordinality::integer as position from jsonb_array_elements(shifts) with ordinality e loop
    n := n + 1;
    if jsonb_typeof(r.row) <> 'object' then
      problems := problems || app_hidden.schedule_problem(r.position, null, 'a shift is an object of fields');
      continue;
    end if;
    -- The file's own line when the rows came from a file (CSV), else the row's position.
    line := case when r.row ->> 'line' ~ '^[0-9]{1,9}$' then (r.row ->> 'line')::integer else r.position end;
    who := null; who_name := null; loc := null; d := null; t_start := null; t_end := null;
    agent_text := nullif(btrim(r.row ->> 'agent'), '');
    if agent_text is null then
      problems := problems || app_hidden.schedule_problem(line, 'agent', 'agent is required: an email or an extension');
    else
      select u.email, coalesce(a.display_name, nullif(u.full_name, ''), split_part(u.email::text, '@', 1)) into who, who_name
        from app_public.users u
        left join lateral (select x.display_name from app_public.agents x where x.user_email = u.email and x.is_active and x.display_name is not null
                            order by x.extension limit 1) a on true
       where u.is_active
         and (u.email = agent_text::citext
              or u.email = (select x.user_email from app_public.agents x where x.extension = agent_text and x.is_active and x.user_email is not null));
      if who is null then
        problems := problems || app_hidden.schedule_problem(line, 'agent', format('no active person with email or extension %s', agent_text));
      end if;
    end if;
    loc := nullif(btrim(r.row ->> 'location'), '');
    if loc is null then
      problems := problems || app_hidden.schedule_problem(line, 'location', 'location is required');
    elsif not exists (select 1 from app_public.locations l where l.name = loc) then
      problems := problems || app_hidden.schedule_problem(line, 'location', format('no location is named %s', loc));
      loc := null;
    elsif not sees_all and not loc = any (managed) then
      problems := problems || app_hidden.schedule_problem(line, 'location', format('you do not manage the schedule of %s', loc));
      loc := null;
    end if;
    if nullif(btrim(r.row ->> 'shift_date'), '') is null then
      problems := problems || app_hidden.schedule_problem(line, 'shift_date', 'shift_date is required (YYYY-MM-DD)');
    elsif btrim(r.row ->> 'shift_date') !~ '^\d{4}-\d{2}-\d{2}$' or not pg_input_is_valid(btrim(r.row ->> 'shift_date'), 'date') then
      problems := problems || app_hidden.schedule_problem(line, 'shift_date', format('%s is not a day (YYYY-MM-DD)', r.row ->> 'shift_date'));
    else
      d := btrim(r.row ->> 'shift_date')::date;
      if d not between today - 366 and today + 366 then
        problems := problems || app_hidden.schedule_problem(line, 'shift_date', format('%s is more than a year from today', d));
        d := null;
      end if;
    end if;
    if nullif(btrim(r.row ->> 'scheduled_start_time'), '') is null then
      problems := problems || app_hidden.schedule_problem(line, 'scheduled_start_time', 'scheduled_start_time is required (HH:MM, local time)');
    elsif btrim(r.row ->> 'scheduled_start_time') !~ '^\d{1,2}:\d{2}(:\d{2})?$' or not pg_input_is_valid(btrim(r.row ->> 'scheduled_start_time'), 'time')
          or btrim(r.row ->> 'scheduled_start_time') ~ '^24' then
      problems := problems || app_hidden.schedule_problem(line, 'scheduled_start_time', format('%s is not a time of day (HH:MM, 24-hour)', r.row ->> 'scheduled_start_time'));
    else
      t_start := btrim(r.row ->> 'scheduled_start_time')::time;
    end if;
    if nullif(btrim(r.row ->> 'scheduled_end_time'), '') is null then
      problems := problems || app_hidden.schedule_problem(line, 'scheduled_end_time', 'scheduled_end_time is required (HH:MM, local time; before the start: the next day)');
    elsif btrim(r.row ->> 'scheduled_end_time') !~ '^\d{1,2}:\d{2}(:\d{2})?$' or not pg_input_is_valid(btrim(r.row ->> 'scheduled_end_time'), 'time')
          or btrim(r.row ->> 'scheduled_end_time') ~ '^24' then
      problems := problems || app_hidden.schedule_problem(line, 'scheduled_end_time', format('%s is not a time of day (HH:MM, 24-hour)', r.row ->> 'scheduled_end_time'));
    else
      t_end := btrim(r.row ->> 'scheduled_end_time')::time;
    end if;
    if t_start is not null and t_end is not null and t_start = t_end then
      problems := problems || app_hidden.schedule_problem(line, 'scheduled_end_time', 'a shift must end at another time than it starts');
      t_end := null;
    end if;
    if length(r.row ->> 'shift_notes') > 4000 then
      problems := problems || app_hidden.schedule_problem(line, 'shift_notes', 'shift_notes has at most 4000 characters');
    end if;
    if who is null or loc is null or d is null or t_start is null or t_end is null then
      continue;
    end if;
    if seen ? (lower(who::text) || ' ' || d) then
      problems := problems || app_hidden.schedule_problem(line, 'shift_date',
        format('line %s already schedules %s on %s (one shift a day)', seen ->> (lower(who::text) || ' ' || d), who, d));
      continue;
    end if;
    seen := seen || jsonb_build_object(lower(who::text) || ' ' || d, line);
    select x.* into existing from app_public.agent_shifts x where x.agent_email = who and x.shift_date = d;
    if existing.id is not null then
      if not sees_all and not existing.location = any (managed) then
        problems := problems || app_hidden.schedule_problem(line, 'location',
          format('%s is already scheduled on %s at %s, which you do not manage', who, d, existing.location));
        continue;
      end if;
      if existing.actual_start_time is not null and not existing.unscheduled
         and (existing.location, existing.scheduled_start_time, existing.scheduled_end_time) is distinct from (loc, t_start, t_end) then
        problems := problems || app_hidden.schedule_problem(line, 'shift_date',
          format('%s''s shift on %s has started; correct it (correctShift) instead', who, d));
        continue;
      end if;
    end if;
    accepted := accepted || jsonb_build_object('agent_email', who, 'agent_name', who_name, 'location', loc, 'shift_date', d,
      'scheduled_start_time', t_start, 'scheduled_end_time', t_end, 'shift_notes', nullif(btrim(r.row ->> 'shift_notes'), ''));
  end loop;
  if jsonb_array_length(problems) > 0 then
    raise exception '% of % shifts refused; nothing was saved.', (select count(distinct p ->> 'line') from jsonb_array_elements(problems) p), n
      using errcode = 'CC821', column = 'shifts', detail = jsonb_build_object('problems', problems)::text;
  end if;
  -- Everything checked: save it.
  select min(r2.shift_date), max(r2.shift_date), count(*) filter (where x.id is null),
         count(*) filter (where x.id is not null and ((x.location, x.scheduled_start_time, x.scheduled_end_time) is distinct from (r2.location, r2.scheduled_start_time, r2.scheduled_end_time)
                                                      or x.unscheduled or (r2.shift_notes is not null and x.shift_notes is distinct from r2.shift_notes))),
         count(*) filter (where x.id is not null and not ((x.location, x.scheduled_start_time, x.scheduled_end_time) is distinct from (r2.location, r2.scheduled_start_time, r2.scheduled_end_time)
                                                      or x.unscheduled or (r2.shift_notes is not null and x.shift_notes is distinct from r2.shift_notes)))
    into result.first_day, result.last_day, result.created, result.updated, result.unchanged
    from jsonb_to_recordset(accepted) as r2(agent_email citext, agent_name text, location text, shift_date date, scheduled_start_time time, scheduled_end_time time, shift_notes text)
    left join app_public.agent_shifts x on x.agent_email = r2.agent_email and x.shift_date = r2.shift_date;
  insert into app_public.agent_shifts as x (agent_email, agent_name, location, shift_date, scheduled_start_time, scheduled_end_time, shift_notes)
  select r2.agent_email, r2.agent_name, r2.location, r2.shift_date, r2.scheduled_start_time, r2.scheduled_end_time, r2.shift_notes
    from jsonb_to_recordset(accepted) as r2(agent_email citext, agent_name text, location text, shift_date date, scheduled_start_time time, scheduled_end_time time, shift_notes text)
  on conflict (agent_email, shift_date) do update
     set location = excluded.location, scheduled_start_time = excluded.scheduled_start_time, scheduled_end_time = excluded.scheduled_end_time,
         shift_notes = coalesce(excluded.shift_notes, x.shift_notes), unscheduled = false
   where (x.location, x.scheduled_start_time, x.scheduled_end_time) is distinct from (excluded.location, excluded.scheduled_start_time, excluded.scheduled_end_time)
      or x.unscheduled or (excluded.shift_notes is not null and x.shift_notes is distinct from excluded.shift_notes);
  return result;
end;
$function$;
comment on function app_public.upload_schedule(jsonb) is E'Saves many agents'' shifts at once (a week from a CSV file or JSON): shifts is a list of {agent (email or extension), location, shift_date (YYYY-MM-DD), scheduled_start_time, scheduled_end_time (HH:MM local; an end before the start is the next day), shift_notes?, line?}. All or nothing: any refused row refuses the upload, CC821 with every refused row''s line, field and reason in the error''s problems. A shift already there is given the new times while not started; a started one must not change (correctShift). manageGoals, for the locations you manage (managers: all); at most 2000 shifts (CC822). Answers the first and last day it scheduled and how many shifts were created, updated and unchanged.';
revoke all on function app_public.upload_schedule(jsonb) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_public.upload_schedule(jsonb) to app_visitor;
--! EndIncluded workforce/upload-schedule.sql
--! Included workforce/shift-templates.sql
-- The repeatable week: shift_templates holds each agent's shift per weekday;
-- applyShiftTemplate makes the 7 days from a given day out of it
-- (POST /api/workforce/schedule-template/apply). Idempotent: applied twice, the
-- second changes nothing. A shift already started is never changed, nor one
-- at a location you do not manage; a shift not started yet takes the
-- template's times and location.
create or replace function app_public.apply_shift_template(week_start date, location text default null)
 returns app_public.schedule_changes
 language plpgsql
 volatile
 security definer
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
declare
  sees_all boolean := app_hidden.sees_all();
  managed text[] := app_hidden.team_locations();
  result app_public.schedule_changes := row(week_start, week_start + 6, 0, 0, 0, 0);
begin
  perform app_hidden.require_permission('manageGoals');
  perform app_hidden.check_day_given(week_start, 'weekStart');
  perform app_hidden.check_known_queue_and_location(null, apply_shift_template.location);
  if apply_shift_template.location is not null and not sees_all and not apply_shift_template.location = any (managed) then
    raise exception 'You do not manage the schedule of %.', apply_shift_template.location using errcode = '42501';
  end if;
  with wanted as (
    select t.agent_email, coalesce(a.display_name, nullif(u.full_name, ''), split_part(u.email::text, '@', 1)) as agent_name,
           t.location, d::date as shift_date, t.scheduled_start_time, t.scheduled_end_time, t.shift_notes
      from generate_series(week_start, week_start + 6, interval '1 day') d
      join app_public.shift_templates t on t.weekday = extract(isodow from d)::integer and t.is_active
      join app_public.users u on u.email = t.agent_email and u.is_active
      left join lateral (select x.display_name from app_public.agents x where x.user_email = t.agent_email and x.is_active and x.display_name is not null
                          order by x.extension limit 1) a on true
     where (apply_shift_template.location is null or t.location = apply_shift_template.location)
       and (sees_all or t.location = any (managed))
  ), judged as (
    select w.*, x.id as existing_id,
           case when x.id is null then 'created'
                when x.actual_start_time is not null or not (sees_all or x.location = any (managed)) then 'kept_started'
                when (x.location, x.scheduled_start_time, x.scheduled_end_time) is not distinct from (w.location, w.scheduled_start_time, w.scheduled_end_time)
                     and (w.shift_notes is null or x.shift_notes is not distinct from w.shift_notes) then 'unchanged'
                else 'updated' end as outcome
      from wanted w
      left join app_public.agent_shifts x on x.agent_email = w.agent_email and x.shift_date = w.shift_date
  ), written as (
    insert into app_public.agent_shifts as x (agent_email, agent_name, location, shift_date, scheduled_start_time, scheduled_end_time, shift_notes)
    select j.agent_email, j.agent_name, j.location, j.shift_date, j.scheduled_start_time, j.scheduled_end_time, j.shift_notes
      from judged j where j.outcome in ('created', 'updated')
    on conflict (agent_email, shift_date) do update
       set location = excluded.location, scheduled_start_time = excluded.scheduled_start_time, scheduled_end_time = excluded.scheduled_end_time,
           shift_notes = coalesce(excluded.shift_notes, x.shift_notes)
     where x.actual_start_time is null
    returning x.id
  )
  select count(*) filter (where j.outcome = 'created'), count(*) filter (where j.outcome = 'updated'),
         count(*) filter (where j.outcome = 'unchanged'), count(*) filter (where j.outcome = 'kept_started')
    into result.created, result.updated, result.unchanged, result.kept_started
    from judged j;
  return result;
end;
$function$;
comment on function app_public.apply_shift_template(date,text) is E'Makes the shifts of the 7 days from weekStart (any day) out of the weekly template (shiftTemplates), for one location or all you manage: creates the missing shifts and gives shifts not started yet the template''s times; never changes a started shift or one at a location you do not manage (keptStarted). Applying it again changes nothing. manageGoals, for your locations (managers: all). Answers the week and how many shifts were created, updated, unchanged and kept.';
revoke all on function app_public.apply_shift_template(date,text) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_public.apply_shift_template(date,text) to app_visitor;
--! EndIncluded workforce/shift-templates.sql
--! Included workforce/coverage.sql
-- Coverage (GET /api/workforce/scheduling): per location and 15-minute
-- interval, the agents the Erlang C forecast needs (staffingForecast's
-- requirement of each of the location's queues, added up), the agents
-- scheduled and the agents at work, and the shortfall. At most 7 days at once.
create or replace function app_public.staffing_coverage(from_day date, to_day date, location text default null)
 returns setof app_public.staffing_coverage
 language plpgsql
 stable
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
declare
  max_days constant integer := 7;
begin
  perform app_hidden.require_permission('viewTeamPerformance');
  perform app_hidden.check_kpi_range(from_day, to_day, null, location, null);
  if to_day - from_day + 1 > max_days then
    raise exception 'Coverage covers at most % days at once; this range covers %.', max_days, to_day - from_day + 1
      using errcode = 'CC713', column = 'to_day';
  end if;
  return query
  with days as (
    select d::date as day from generate_series(from_day, to_day, interval '1 day') d
  ), locs as (
    select l.name from app_public.locations l
     where (staffing_coverage.location is null or l.name = staffing_coverage.location)
       and ((select app_hidden.sees_all()) or l.name = any ((select app_hidden.team_locations())::text[]))
  ), slots as (
    select days.day, t as interval_start
      from days cross join generate_series(app_hidden.business_day_start(days.day), app_hidden.business_day_start(days.day + 1) - interval '15 minutes', interval '15 minutes') t
  ), need as (
    select f.location, f.interval_start, count(*)::integer as queues, sum(f.forecast_offered) as forecast_offered, sum(f.required_agents)::integer as required_agents
      from days cross join lateral app_public.staffing_forecast(days.day, null) f
     where f.location in (select name from locs)
     group by f.location, f.interval_start
  ), shifts as (
    select s.agent_email, s.location, s.shift_status, s.unscheduled,
           app_hidden.shift_window(s.shift_date, s.scheduled_start_time, s.scheduled_end_time) as planned,
           case when s.actual_start_time is not null
                then tstzrange(s.actual_start_time, coalesce(s.actual_end_time, greatest(now(), s.actual_start_time))) end as worked
      from app_public.agent_shifts s
     where s.location in (select name from locs) and s.shift_date between from_day - 1 and to_day
  )
  select l.name, sl.day, sl.interval_start, coalesce(n.queues, 0), coalesce(n.forecast_offered, 0), coalesce(n.required_agents, 0),
         c.scheduled, c.working, greatest(0, coalesce(n.required_agents, 0) - c.scheduled)
    from locs l
   cross join slots sl
    left join need n on n.location = l.name and n.interval_start = sl.interval_start
   cross join lateral (
     select count(distinct s.agent_email) filter (where not s.unscheduled and s.shift_status <> 'absent'
                                                    and s.planned @> tstzrange(sl.interval_start, sl.interval_start + interval '15 minutes'))::integer as scheduled,
            count(distinct s.agent_email) filter (where s.worked @> tstzrange(sl.interval_start, sl.interval_start + interval '15 minutes'))::integer as working
       from shifts s where s.location = l.name) c
   order by l.name, sl.interval_start;
end;
$function$;
comment on function app_public.staffing_coverage(date,date,text) is 'Coverage per location and 15-minute interval of a range of business days (at most 7; CC713): the agents the Erlang C forecast needs for the location''s queues (staffingForecast, added up over the queues), the agents scheduled for the whole interval (absent and unscheduled shifts not counted), the agents clocked in for it, and the shortfall. viewTeamPerformance: your locations (managers: all); agents are refused. An unknown location: CC715.';
revoke all on function app_public.staffing_coverage(date,date,text) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_public.staffing_coverage(date,date,text) to app_visitor;
--! EndIncluded workforce/coverage.sql
--! Included workforce/shift-kpis.sql
-- Per agent and day (GET /api/workforce/utilization): lateness, early
-- departure, absence and adherence (kpi-definitions, shifts and team metrics)
-- beside the shift's utilization as the KPI engine keeps it, under the shifts'
-- row rules: agents their own, supervisors their locations', managers all.
create or replace function app_public.shift_kpis_for_range(from_day date, to_day date, agent text default null, location text default null)
 returns setof app_public.shift_kpis
 language sql
 stable
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
  select app_hidden.check_kpi_range(from_day, to_day, null, location, agent);
  select s.id, s.agent_email, s.agent_name, s.location, s.shift_date, s.scheduled_start_time, s.scheduled_end_time,
         s.actual_start_time, s.actual_end_time, s.shift_status, s.unscheduled, s.shift_status = 'absent',
         s.tardiness_minutes, s.early_departure_minutes,
         s.total_break_time_minutes, s.lunch_break_minutes, s.training_time_minutes, s.meeting_time_minutes,
         a.scheduled_seconds, a.adherent_seconds, app_hidden.pct(a.adherent_seconds, a.scheduled_seconds),
         s.total_available_time_seconds::bigint, s.calls_handled, s.calls_missed, s.total_talk_time_seconds::bigint,
         s.total_after_call_work_seconds::bigint, s.utilization_percentage, s.calls_per_hour
    from app_public.agent_shifts s
   cross join lateral (
     select case when not s.unscheduled then app_hidden.shift_scheduled_seconds(s.shift_date, s.scheduled_start_time, s.scheduled_end_time) end as scheduled_seconds,
            case when not s.unscheduled then app_hidden.shift_adherent_seconds(s.shift_date, s.scheduled_start_time, s.scheduled_end_time,
                                                                                  s.actual_start_time, s.actual_end_time) end as adherent_seconds) a
   where s.shift_date between shift_kpis_for_range.from_day and shift_kpis_for_range.to_day
     and (shift_kpis_for_range.location is null or s.location = shift_kpis_for_range.location)
     and (shift_kpis_for_range.agent is null
          or s.agent_email in (select x.user_email from app_public.agents x
                                where x.user_email is not null
                                  and (x.extension = shift_kpis_for_range.agent
                                       or (strpos(shift_kpis_for_range.agent, '@') > 0 and x.user_email = shift_kpis_for_range.agent::citext))))
   order by s.shift_date, s.location, s.agent_email
$function$;
comment on function app_public.shift_kpis_for_range(date,date,text,text) is 'Each agent''s days at work over a range of business days (inclusive, at most 366): lateness, early departure, absence, adherence to the schedule (time worked inside the scheduled window / scheduled time) and utilization, optionally of one agent (email or extension; one you may not see is CC716) or location. Your own shifts; supervisors their locations''; managers all.';
revoke all on function app_public.shift_kpis_for_range(date,date,text,text) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_public.shift_kpis_for_range(date,date,text,text) to app_visitor;
--! EndIncluded workforce/shift-kpis.sql
--! Included kpi/recount-team-days.sql
create or replace function app_private.recount_team_days(days date[])
 returns integer
 language plpgsql
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
declare
  n integer := 0;
  k integer;
  one_day date;
begin
  -- A day at a time: each statement works on one day's rows (a whole range at once would compare every day with every other).
  for one_day in select distinct x from unnest(days) x where x is not null loop
  with d as (
    select one_day as day
  ), person as (
    -- One home location and hire date per person (their active directory entries).
    select distinct on (a.user_email) a.user_email as email, a.location_name as location, a.hire_date
      from app_public.agents a where a.is_active and a.user_email is not null
     order by a.user_email, a.extension
  ), calls as (
    select s.*, a.user_email as email, a.location_name as location
      from d join app_public.agent_daily_stats s on s.business_day = d.day
      left join app_public.agents a on a.extension = s.agent_extension and a.is_active
  ), shifts as (
    -- An unscheduled shift (started with nothing on the schedule) counts as work, not in the schedule's figures.
    select s.shift_date as day, s.location, s.agent_email as email, s.shift_status, s.actual_start_time, s.tardiness_minutes, s.training_time_minutes,
           s.unscheduled,
           app_hidden.shift_available_seconds(s.actual_start_time, s.actual_end_time, s.total_break_time_minutes, s.lunch_break_minutes,
                                              s.training_time_minutes, s.meeting_time_minutes) as available_seconds,
           case when not s.unscheduled then app_hidden.shift_scheduled_seconds(s.shift_date, s.scheduled_start_time, s.scheduled_end_time) end as scheduled_seconds,
           case when not s.unscheduled then app_hidden.shift_adherent_seconds(s.shift_date, s.scheduled_start_time, s.scheduled_end_time,
                                                                                 s.actual_start_time, s.actual_end_time) end as adherent_seconds
      from d join app_public.agent_shifts s on s.shift_date = d.day
  ), reviews as (
    select d.day, p.location, q.percentage_score, q.review_status, q.review_date, q.agent_discussion_date
      from d join app_public.quality_assurance_reviews q
        on (q.review_date = d.day and q.review_status in ('completed', 'discussed_with_agent'))
        or (q.agent_discussion_date = d.day and q.review_status = 'discussed_with_agent')
      left join person p on p.email = q.agent_email
  ), goals as (
    select d.day, p.location, g.agent_email as email, bool_and(g.goals_met = g.total_goals) as met
      from d join app_public.performance_goals g
        on d.day between g.period_start_date and g.period_end_date and g.total_goals > 0 and g.goal_status in ('active', 'completed')
      left join person p on p.email = g.agent_email
     group by d.day, p.location, g.agent_email
  ), teams as (
    select d.day, l.name as location from d cross join app_public.locations l
    union all
    select d.day, null from d
  ), figures as (
    select t.day, t.location, c.*, sh.*, r.*, gl.*, act.*,
           (select count(distinct p.email) from person p where t.location is null or p.location = t.location) as total_agents
      from teams t
     cross join lateral (
       select count(distinct coalesce(x.email::text, x.agent_extension)) filter (where x.calls_handled > 0) as agents_with_calls,
              coalesce(sum(x.calls_handled), 0) as calls_handled, coalesce(sum(x.calls_handled_inbound), 0) as calls_handled_inbound,
              coalesce(sum(x.calls_missed), 0) as calls_missed, coalesce(sum(x.talk_seconds), 0) as talk_seconds,
              coalesce(sum(x.calls_talk_unknown), 0) as calls_talk_unknown,
              coalesce(sum(x.hold_seconds), 0) as hold_seconds, coalesce(sum(x.acw_seconds), 0) as acw_seconds,
              coalesce(sum(x.fcr_resolved), 0) as fcr_resolved, coalesce(sum(x.fcr_final), 0) as fcr_final, coalesce(sum(x.fcr_provisional), 0) as fcr_provisional,
              coalesce(sum(x.appointments), 0) as appointments, coalesce(sum(x.csat_sum), 0) as csat_sum,
              coalesce(sum(x.csat_count), 0) as csat_count, coalesce(sum(x.complaints), 0) as complaints
         from calls x where x.business_day = t.day and (t.location is null or x.location = t.location)) c
     cross join lateral (
       select count(*) filter (where not x.unscheduled) as shifts_scheduled,
              count(*) filter (where not x.unscheduled and x.shift_status <> 'absent') as shifts_not_absent,
              count(*) filter (where not x.unscheduled and x.actual_start_time is not null) as shifts_started,
              count(*) filter (where not x.unscheduled and x.actual_start_time is not null and x.tardiness_minutes = 0) as shifts_on_time,
              coalesce(sum(x.available_seconds), 0) as available_seconds, coalesce(sum(x.scheduled_seconds), 0) as scheduled_seconds,
              coalesce(sum(x.adherent_seconds), 0) as adherent_seconds,
              coalesce(sum(x.training_time_minutes) filter (where x.actual_start_time is not null), 0) as training_minutes
         from shifts x where x.day = t.day and (t.location is null or x.location = t.location)) sh
     cross join lateral (
       select coalesce(sum(x.percentage_score) filter (where x.review_date = t.day and x.review_status in ('completed', 'discussed_with_agent')), 0) as quality_score_sum,
              count(x.percentage_score) filter (where x.review_date = t.day and x.review_status in ('completed', 'discussed_with_agent')) as quality_reviews,
              count(*) filter (where x.agent_discussion_date = t.day and x.review_status = 'discussed_with_agent') as coaching_sessions
         from reviews x where x.day = t.day and (t.location is null or x.location = t.location)) r
     cross join lateral (
       select count(*) as agents_with_goals, count(*) filter (where x.met) as agents_meeting_goals
         from goals x where x.day = t.day and (t.location is null or x.location = t.location)) gl
     cross join lateral (
       -- Active: a started shift at the location, or handled calls (home location).
       select count(*) as active_agents,
              round(avg(extract(year from age(t.day, p.hire_date)) * 12 + extract(month from age(t.day, p.hire_date)) + extract(day from age(t.day, p.hire_date)) / 30.0)
                    filter (where p.hire_date <= t.day), 2) as average_experience_months
         from (select x.email from shifts x where x.day = t.day and x.actual_start_time is not null and (t.location is null or x.location = t.location)
               union
               select x.email from calls x where x.business_day = t.day and x.calls_handled > 0 and x.email is not null and (t.location is null or x.location = t.location)) a
         left join person p on p.email = a.email) act
  )
  insert into app_public.team_performance_metrics as m (
    reporting_period, location, team_name, total_agents, active_agents, average_experience_months,
    total_calls_handled, total_calls_missed, total_talk_time_hours, total_available_hours,
    average_quality_score, average_customer_satisfaction, first_call_resolution_rate, complaint_rate, calls_per_agent_per_day,
    utilization_rate, appointment_conversion_rate, attendance_rate, punctuality_rate, schedule_adherence_rate,
    agents_meeting_goals, team_goal_achievement_rate, training_hours_completed, coaching_sessions_conducted,
    agents_with_calls, calls_handled_inbound, talk_seconds, hold_seconds, acw_seconds, available_seconds, fcr_resolved, fcr_final,
    appointments, csat_sum, csat_count, complaints, quality_score_sum, quality_reviews,
    shifts_scheduled, shifts_not_absent, shifts_started, shifts_on_time, scheduled_seconds, adherent_seconds, agents_with_goals, computed_at,
    calls_talk_unknown, fcr_provisional)
  select f.day, f.location, coalesce(f.location, 'All locations'), f.total_agents, f.active_agents, f.average_experience_months,
         f.calls_handled, f.calls_missed, round(f.talk_seconds / 3600.0, 2), round(f.available_seconds / 3600.0, 2),
         case when f.quality_reviews > 0 then round(f.quality_score_sum / f.quality_reviews, 2) end,
         case when f.csat_count > 0 then round(f.csat_sum::numeric / f.csat_count, 2) end,
         case when f.fcr_provisional = 0 then app_hidden.pct(f.fcr_resolved, f.fcr_final) end, app_hidden.pct(f.complaints, f.calls_handled),
         case when f.active_agents > 0 then round(f.calls_handled::numeric / f.active_agents, 2) end,
         app_hidden.pct(f.talk_seconds + f.acw_seconds, f.available_seconds), app_hidden.pct(f.appointments, f.calls_handled_inbound),
         app_hidden.pct(f.shifts_not_absent, f.shifts_scheduled), app_hidden.pct(f.shifts_on_time, f.shifts_started),
         app_hidden.pct(f.adherent_seconds, f.scheduled_seconds),
         f.agents_meeting_goals, app_hidden.pct(f.agents_meeting_goals, f.agents_with_goals),
         round(f.training_minutes / 60.0, 2), f.coaching_sessions,
         f.agents_with_calls, f.calls_handled_inbound, f.talk_seconds, f.hold_seconds, f.acw_seconds, f.available_seconds, f.fcr_resolved, f.fcr_final,
         f.appointments, f.csat_sum, f.csat_count, f.complaints, f.quality_score_sum, f.quality_reviews,
         f.shifts_scheduled, f.shifts_not_absent, f.shifts_started, f.shifts_on_time, f.scheduled_seconds, f.adherent_seconds, f.agents_with_goals, now(),
         f.calls_talk_unknown, f.fcr_provisional
    from figures f
   -- A team has a row for a day with shifts (scheduled or not), calls or reviews; a day without any has none (full recount and upkeep agree).
   where f.shifts_scheduled > 0 or f.active_agents > 0 or f.calls_handled + f.calls_missed > 0 or f.quality_reviews + f.coaching_sessions > 0
  on conflict (reporting_period, location) do update set
    team_name = excluded.team_name, total_agents = excluded.total_agents, active_agents = excluded.active_agents,
    average_experience_months = excluded.average_experience_months, total_calls_handled = excluded.total_calls_handled,
    total_calls_missed = excluded.total_calls_missed, total_talk_time_hours = excluded.total_talk_time_hours,
    total_available_hours = excluded.total_available_hours, average_quality_score = excluded.average_quality_score,
    average_customer_satisfaction = excluded.average_customer_satisfaction, first_call_resolution_rate = excluded.first_call_resolution_rate,
    complaint_rate = excluded.complaint_rate, calls_per_agent_per_day = excluded.calls_per_agent_per_day, utilization_rate = excluded.utilization_rate,
    appointment_conversion_rate = excluded.appointment_conversion_rate, attendance_rate = excluded.attendance_rate,
    punctuality_rate = excluded.punctuality_rate, schedule_adherence_rate = excluded.schedule_adherence_rate,
    agents_meeting_goals = excluded.agents_meeting_goals, team_goal_achievement_rate = excluded.team_goal_achievement_rate,
    training_hours_completed = excluded.training_hours_completed, coaching_sessions_conducted = excluded.coaching_sessions_conducted,
    agents_with_calls = excluded.agents_with_calls, calls_handled_inbound = excluded.calls_handled_inbound, talk_seconds = excluded.talk_seconds,
    hold_seconds = excluded.hold_seconds, acw_seconds = excluded.acw_seconds, available_seconds = excluded.available_seconds,
    fcr_resolved = excluded.fcr_resolved, fcr_final = excluded.fcr_final, appointments = excluded.appointments, csat_sum = excluded.csat_sum,
    csat_count = excluded.csat_count, complaints = excluded.complaints, quality_score_sum = excluded.quality_score_sum,
    quality_reviews = excluded.quality_reviews, shifts_scheduled = excluded.shifts_scheduled, shifts_not_absent = excluded.shifts_not_absent,
    shifts_started = excluded.shifts_started, shifts_on_time = excluded.shifts_on_time, scheduled_seconds = excluded.scheduled_seconds,
    adherent_seconds = excluded.adherent_seconds, agents_with_goals = excluded.agents_with_goals, computed_at = excluded.computed_at,
    calls_talk_unknown = excluded.calls_talk_unknown, fcr_provisional = excluded.fcr_provisional;
  get diagnostics k = row_count;
  -- A team row whose day has nothing left goes, unless someone entered certifications on it.
  delete from app_public.team_performance_metrics m
   where m.reporting_period = one_day and m.certifications_earned = 0 and m.computed_at < now();
  n := n + k;
  end loop;
  return n;
end;
$function$;
comment on function app_private.recount_team_days(date[]) is 'Recounts the team rows (each location and all locations) of the given business days from the agent days, shifts, QA reviews and goals; certifications_earned, an entered value, is kept. Returns the rows written.';
revoke all on function app_private.recount_team_days(date[]) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_private.recount_team_days(date[]) to app_worker;
--! EndIncluded kpi/recount-team-days.sql
--! Included access/agent_shifts.sql
drop policy if exists manage_goals on app_public.agent_shifts;
create policy manage_goals on app_public.agent_shifts for all to app_visitor
  using ((select app_hidden.has_permission('manageGoals')) and ((select app_hidden.sees_all()) or (location = any ((select app_hidden.team_locations())::text[]))));

drop policy if exists select_in_scope on app_public.agent_shifts;
create policy select_in_scope on app_public.agent_shifts for select to app_visitor
  using ((select app_hidden.sees_all()) or (location = any ((select app_hidden.team_locations())::text[])) or (agent_email = (select app_hidden.own_email())));

revoke all on app_public.agent_shifts from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant delete, select on app_public.agent_shifts to app_visitor;
grant delete, insert, select, update on app_public.agent_shifts to app_worker;
-- Logged times and minutes change only through the clock (shiftStart, shiftEnd, breakStart, breakEnd) and
-- correctShift, which keeps the reason; people write the schedule (and notes, targets, status) directly.
grant insert (agent_email, agent_name, appointment_target, call_target, location, quality_target, scheduled_end_time, scheduled_start_time, shift_date, shift_notes, shift_status) on app_public.agent_shifts to app_visitor;
grant update (agent_name, appointment_target, call_target, location, quality_target, scheduled_end_time, scheduled_start_time, shift_date, shift_notes, shift_status) on app_public.agent_shifts to app_visitor;
--! EndIncluded access/agent_shifts.sql
--! Included access/shift_breaks.sql
-- Breaks are written by the clock functions only (workforce/clock.sql); people read them in the shifts' scope.
drop policy if exists select_in_scope on app_public.shift_breaks;
create policy select_in_scope on app_public.shift_breaks for select to app_visitor
  using ((select app_hidden.sees_all()) or (location = any ((select app_hidden.team_locations())::text[])) or (agent_email = (select app_hidden.own_email())));

revoke all on app_public.shift_breaks from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant select on app_public.shift_breaks to app_visitor;
grant delete, insert, select, update on app_public.shift_breaks to app_worker;
--! EndIncluded access/shift_breaks.sql
--! Included access/shift_corrections.sql
-- Corrections are written by correctShift only (workforce/correct-shift.sql) and never changed; people read them
-- in the shifts' scope (an agent sees the corrections of their own shifts).
drop policy if exists select_in_scope on app_public.shift_corrections;
create policy select_in_scope on app_public.shift_corrections for select to app_visitor
  using ((select app_hidden.sees_all()) or (location = any ((select app_hidden.team_locations())::text[])) or (agent_email = (select app_hidden.own_email())));

revoke all on app_public.shift_corrections from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant select on app_public.shift_corrections to app_visitor;
grant select on app_public.shift_corrections to app_worker;
--! EndIncluded access/shift_corrections.sql
--! Included access/shift_templates.sql
-- The weekly template, like the schedule itself: manageGoals writes it for the locations managed; read in the shifts' scope.
drop policy if exists manage_goals on app_public.shift_templates;
create policy manage_goals on app_public.shift_templates for all to app_visitor
  using ((select app_hidden.has_permission('manageGoals')) and ((select app_hidden.sees_all()) or (location = any ((select app_hidden.team_locations())::text[]))));

drop policy if exists select_in_scope on app_public.shift_templates;
create policy select_in_scope on app_public.shift_templates for select to app_visitor
  using ((select app_hidden.sees_all()) or (location = any ((select app_hidden.team_locations())::text[])) or (agent_email = (select app_hidden.own_email())));

revoke all on app_public.shift_templates from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant delete, select on app_public.shift_templates to app_visitor;
grant insert (agent_email, location, weekday, scheduled_start_time, scheduled_end_time, shift_notes, is_active) on app_public.shift_templates to app_visitor;
grant update (location, weekday, scheduled_start_time, scheduled_end_time, shift_notes, is_active) on app_public.shift_templates to app_visitor;
grant select on app_public.shift_templates to app_worker;
--! EndIncluded access/shift_templates.sql

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
