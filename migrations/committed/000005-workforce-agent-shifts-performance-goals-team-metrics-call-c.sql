--! Previous: sha1:78d9616e48207b7cdf48bbd76db39bc22a5906c1
--! Hash: sha1:7b883d93c2665d19a42b5de6d172ab5eac25ee35
--! Message: workforce: agent shifts, performance goals, team metrics, call campaigns

create table app_public.agent_shifts (
  id uuid primary key default gen_random_uuid(),
  agent_email citext not null references app_public.users (email) on update cascade,
  agent_name text not null check (length(agent_name) between 1 and 200),
  location text not null references app_public.locations (name) on update cascade,
  shift_date date not null,
  scheduled_start_time time not null,
  scheduled_end_time time not null,
  actual_start_time timestamptz,
  actual_end_time timestamptz,
  total_break_time_minutes integer not null default 0 check (total_break_time_minutes between 0 and 1440),
  lunch_break_minutes integer not null default 0 check (lunch_break_minutes between 0 and 1440),
  training_time_minutes integer not null default 0 check (training_time_minutes between 0 and 1440),
  meeting_time_minutes integer not null default 0 check (meeting_time_minutes between 0 and 1440),
  calls_handled integer not null default 0 check (calls_handled >= 0),
  calls_missed integer not null default 0 check (calls_missed >= 0),
  total_talk_time_seconds integer not null default 0 check (total_talk_time_seconds >= 0),
  total_available_time_seconds integer not null default 0 check (total_available_time_seconds >= 0),
  total_after_call_work_seconds integer not null default 0 check (total_after_call_work_seconds >= 0),
  -- Ratios are NULL when there is no available time, never a fake 0, and wide enough for any input.
  utilization_percentage numeric(9,2) generated always as (
    case when total_available_time_seconds > 0
      then round((total_talk_time_seconds + total_after_call_work_seconds)::numeric / total_available_time_seconds * 100, 2)
    end
  ) stored,
  calls_per_hour numeric(9,2) generated always as (
    case when total_available_time_seconds > 0
      then round(calls_handled::numeric / (total_available_time_seconds / 3600.0), 2)
    end
  ) stored,
  call_target integer check (call_target >= 0),
  appointment_target integer check (appointment_target >= 0),
  quality_target numeric(5,2) check (quality_target between 0 and 100),
  shift_notes text check (length(shift_notes) <= 4000),
  tardiness_minutes integer not null default 0 check (tardiness_minutes >= 0),
  early_departure_minutes integer not null default 0 check (early_departure_minutes >= 0),
  shift_status text not null default 'scheduled' check (shift_status in ('scheduled', 'active', 'completed', 'absent', 'partial')),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (agent_email, shift_date),
  check (actual_end_time is null or (actual_start_time is not null and actual_end_time >= actual_start_time)),
  check (shift_status <> 'active' or actual_start_time is not null),
  check (shift_status not in ('completed', 'partial') or (actual_start_time is not null and actual_end_time is not null))
);
create index agent_shifts_location_date_idx on app_public.agent_shifts (location, shift_date);
comment on table app_public.agent_shifts is 'Scheduled and worked shifts, with the agent''s figures over the shift (kept current by the KPI engine). A scheduled end before the start means the shift ends the next day.';
comment on column app_public.agent_shifts.id is 'Identifier.';
comment on column app_public.agent_shifts.agent_email is 'The agent.';
comment on column app_public.agent_shifts.agent_name is 'The agent''s name as scheduled.';
comment on column app_public.agent_shifts.location is 'Where the shift is worked.';
comment on column app_public.agent_shifts.shift_date is 'Business day the shift starts on.';
comment on column app_public.agent_shifts.scheduled_start_time is 'Scheduled start, local business time.';
comment on column app_public.agent_shifts.scheduled_end_time is 'Scheduled end, local business time (before the start: next day).';
comment on column app_public.agent_shifts.actual_start_time is 'When the agent started.';
comment on column app_public.agent_shifts.actual_end_time is 'When the agent ended.';
comment on column app_public.agent_shifts.total_break_time_minutes is 'Breaks, minutes.';
comment on column app_public.agent_shifts.lunch_break_minutes is 'Lunch, minutes.';
comment on column app_public.agent_shifts.training_time_minutes is 'Training during the shift, minutes.';
comment on column app_public.agent_shifts.meeting_time_minutes is 'Meetings during the shift, minutes.';
comment on column app_public.agent_shifts.calls_handled is 'Calls answered during the shift.';
comment on column app_public.agent_shifts.calls_missed is 'Calls that rang the agent and were not answered by them.';
comment on column app_public.agent_shifts.total_talk_time_seconds is 'Talk time, seconds.';
comment on column app_public.agent_shifts.total_available_time_seconds is 'Worked time less breaks, lunch, training and meetings, seconds.';
comment on column app_public.agent_shifts.total_after_call_work_seconds is 'After-call work, seconds.';
comment on column app_public.agent_shifts.utilization_percentage is '(talk + after-call work) / available time × 100; NULL without available time.';
comment on column app_public.agent_shifts.calls_per_hour is 'Calls handled per available hour; NULL without available time (5 calls in 1800 s = 10.00).';
comment on column app_public.agent_shifts.call_target is 'Calls the agent should handle this shift.';
comment on column app_public.agent_shifts.appointment_target is 'Appointments the agent should schedule this shift.';
comment on column app_public.agent_shifts.quality_target is 'Quality score target, percent.';
comment on column app_public.agent_shifts.shift_notes is 'Notes about the shift (no patient details).';
comment on column app_public.agent_shifts.tardiness_minutes is 'Minutes started after the scheduled start.';
comment on column app_public.agent_shifts.early_departure_minutes is 'Minutes ended before the scheduled end.';
comment on column app_public.agent_shifts.shift_status is 'scheduled, active, completed, absent or partial.';
comment on column app_public.agent_shifts.created_at is 'When the row was created.';
comment on column app_public.agent_shifts.updated_at is 'When the row last changed.';

create table app_public.performance_goals (
  id uuid primary key default gen_random_uuid(),
  agent_email citext not null references app_public.users (email) on update cascade,
  goal_period text not null check (goal_period in ('daily', 'weekly', 'monthly', 'quarterly')),
  period_start_date date not null,
  period_end_date date not null,
  calls_per_day_target integer check (calls_per_day_target >= 0),
  talk_time_percentage_target numeric(5,2) check (talk_time_percentage_target between 0 and 100),
  first_call_resolution_target numeric(5,2) check (first_call_resolution_target between 0 and 100),
  customer_satisfaction_target numeric(5,2) check (customer_satisfaction_target between 1 and 5),
  appointment_conversion_target numeric(5,2) check (appointment_conversion_target between 0 and 100),
  quality_score_target numeric(5,2) check (quality_score_target between 0 and 100),
  -- Actuals are NULL until computed (no fake 0).
  calls_per_day_actual numeric(9,2),
  talk_time_percentage_actual numeric(9,2),
  first_call_resolution_actual numeric(9,2),
  customer_satisfaction_actual numeric(9,2),
  appointment_conversion_actual numeric(9,2),
  quality_score_actual numeric(9,2),
  goals_met integer not null default 0 check (goals_met between 0 and 6),
  -- The number of targets set; a generated column may not use another, so the expression is repeated below.
  total_goals integer generated always as (
    (calls_per_day_target is not null)::int + (talk_time_percentage_target is not null)::int
    + (first_call_resolution_target is not null)::int + (customer_satisfaction_target is not null)::int
    + (appointment_conversion_target is not null)::int + (quality_score_target is not null)::int
  ) stored,
  achievement_percentage numeric(9,2) generated always as (
    case when ((calls_per_day_target is not null)::int + (talk_time_percentage_target is not null)::int
             + (first_call_resolution_target is not null)::int + (customer_satisfaction_target is not null)::int
             + (appointment_conversion_target is not null)::int + (quality_score_target is not null)::int) > 0
      then round(goals_met * 100.0 / ((calls_per_day_target is not null)::int + (talk_time_percentage_target is not null)::int
             + (first_call_resolution_target is not null)::int + (customer_satisfaction_target is not null)::int
             + (appointment_conversion_target is not null)::int + (quality_score_target is not null)::int), 2)
    end
  ) stored,
  development_areas text[],
  coaching_focus text check (length(coaching_focus) <= 2000),
  improvement_plan text check (length(improvement_plan) <= 8000),
  recognition_earned text[],
  goal_status text not null default 'active' check (goal_status in ('active', 'completed', 'revised', 'paused')),
  team_goal_id uuid,
  achievement_notified_at timestamptz,
  created_by citext not null references app_public.users (email) on update cascade,
  last_reviewed_at timestamptz,
  reviewed_by citext references app_public.users (email) on update cascade,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check (period_end_date >= period_start_date),
  check (goals_met <= total_goals)
);
create index performance_goals_agent_period_idx on app_public.performance_goals (agent_email, period_start_date, period_end_date);
create index performance_goals_team_idx on app_public.performance_goals (team_goal_id) where team_goal_id is not null;
create index performance_goals_created_by_idx on app_public.performance_goals (created_by);
comment on table app_public.performance_goals is 'Targets for an agent over a period, and how they are doing (actuals kept current by the KPI engine). Only set targets count.';
comment on column app_public.performance_goals.id is 'Identifier.';
comment on column app_public.performance_goals.agent_email is 'The agent the goal is for.';
comment on column app_public.performance_goals.goal_period is 'daily, weekly, monthly or quarterly.';
comment on column app_public.performance_goals.period_start_date is 'First business day of the period.';
comment on column app_public.performance_goals.period_end_date is 'Last business day of the period (inclusive).';
comment on column app_public.performance_goals.calls_per_day_target is 'Calls handled per day worked.';
comment on column app_public.performance_goals.talk_time_percentage_target is 'Talk time as a percent of available time.';
comment on column app_public.performance_goals.first_call_resolution_target is 'First-call resolution, percent.';
comment on column app_public.performance_goals.customer_satisfaction_target is 'Average satisfaction, 1–5.';
comment on column app_public.performance_goals.appointment_conversion_target is 'Handled inbound calls that scheduled an appointment, percent.';
comment on column app_public.performance_goals.quality_score_target is 'Average QA percentage score.';
comment on column app_public.performance_goals.calls_per_day_actual is 'Calls handled per day worked so far (NULL until computed).';
comment on column app_public.performance_goals.talk_time_percentage_actual is 'Talk time percent so far.';
comment on column app_public.performance_goals.first_call_resolution_actual is 'First-call resolution percent so far.';
comment on column app_public.performance_goals.customer_satisfaction_actual is 'Average satisfaction so far.';
comment on column app_public.performance_goals.appointment_conversion_actual is 'Appointment conversion percent so far.';
comment on column app_public.performance_goals.quality_score_actual is 'Average QA score so far.';
comment on column app_public.performance_goals.goals_met is 'Set targets whose actual reaches the target.';
comment on column app_public.performance_goals.total_goals is 'Number of targets set.';
comment on column app_public.performance_goals.achievement_percentage is 'goals_met / total_goals × 100; NULL when no target is set.';
comment on column app_public.performance_goals.development_areas is 'Areas to develop.';
comment on column app_public.performance_goals.coaching_focus is 'What coaching focuses on.';
comment on column app_public.performance_goals.improvement_plan is 'The improvement plan.';
comment on column app_public.performance_goals.recognition_earned is 'Recognition earned.';
comment on column app_public.performance_goals.goal_status is 'active, completed, revised or paused.';
comment on column app_public.performance_goals.team_goal_id is 'Shared by the goal rows of one team goal (one row per agent).';
comment on column app_public.performance_goals.achievement_notified_at is 'When the "all goals met" notification was queued (never twice).';
comment on column app_public.performance_goals.created_by is 'Who set the goal.';
comment on column app_public.performance_goals.last_reviewed_at is 'When it was last reviewed.';
comment on column app_public.performance_goals.reviewed_by is 'Who last reviewed it.';
comment on column app_public.performance_goals.created_at is 'When the row was created.';
comment on column app_public.performance_goals.updated_at is 'When the row last changed.';

create table app_public.team_performance_metrics (
  id uuid primary key default gen_random_uuid(),
  reporting_period date not null,
  location text references app_public.locations (name) on update cascade,
  team_name text,
  total_agents integer not null check (total_agents >= 0),
  active_agents integer not null check (active_agents >= 0),
  average_experience_months numeric(8,2) check (average_experience_months >= 0),
  total_calls_handled integer not null default 0 check (total_calls_handled >= 0),
  total_calls_missed integer not null default 0 check (total_calls_missed >= 0),
  total_talk_time_hours numeric(10,2) not null default 0 check (total_talk_time_hours >= 0),
  total_available_hours numeric(10,2) not null default 0 check (total_available_hours >= 0),
  average_quality_score numeric(9,2),
  average_customer_satisfaction numeric(9,2),
  first_call_resolution_rate numeric(9,2),
  complaint_rate numeric(9,2),
  calls_per_agent_per_day numeric(9,2),
  utilization_rate numeric(9,2),
  appointment_conversion_rate numeric(9,2),
  attendance_rate numeric(9,2),
  punctuality_rate numeric(9,2),
  schedule_adherence_rate numeric(9,2),
  agents_meeting_goals integer not null default 0 check (agents_meeting_goals >= 0),
  team_goal_achievement_rate numeric(9,2),
  training_hours_completed numeric(10,2) not null default 0 check (training_hours_completed >= 0),
  certifications_earned integer not null default 0 check (certifications_earned >= 0),
  coaching_sessions_conducted integer not null default 0 check (coaching_sessions_conducted >= 0),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique nulls not distinct (reporting_period, location)
);
comment on table app_public.team_performance_metrics is 'One row per business day and location (team = location), and one with location NULL for the whole practice. Figures are sums over the team, then divided; never averages of per-agent percentages. Ratios are NULL when their denominator is 0.';
comment on column app_public.team_performance_metrics.id is 'Identifier.';
comment on column app_public.team_performance_metrics.reporting_period is 'The business day.';
comment on column app_public.team_performance_metrics.location is 'The location (NULL: all locations).';
comment on column app_public.team_performance_metrics.team_name is 'Team name (the location''s name).';
comment on column app_public.team_performance_metrics.total_agents is 'Active agents assigned to the location.';
comment on column app_public.team_performance_metrics.active_agents is 'Agents with a shift not absent or a handled call that day.';
comment on column app_public.team_performance_metrics.average_experience_months is 'Mean months since hire of the active agents.';
comment on column app_public.team_performance_metrics.total_calls_handled is 'Calls handled by the team.';
comment on column app_public.team_performance_metrics.total_calls_missed is 'Calls the team''s agents missed.';
comment on column app_public.team_performance_metrics.total_talk_time_hours is 'Talk time, hours.';
comment on column app_public.team_performance_metrics.total_available_hours is 'Available time, hours.';
comment on column app_public.team_performance_metrics.average_quality_score is 'Mean QA percentage score of the day''s completed reviews.';
comment on column app_public.team_performance_metrics.average_customer_satisfaction is 'Mean satisfaction of rated calls.';
comment on column app_public.team_performance_metrics.first_call_resolution_rate is 'Resolved first time / handled inbound calls with final FCR, percent.';
comment on column app_public.team_performance_metrics.complaint_rate is 'Complaint calls / handled calls, percent.';
comment on column app_public.team_performance_metrics.calls_per_agent_per_day is 'Handled calls / active agents.';
comment on column app_public.team_performance_metrics.utilization_rate is '(talk + after-call work) / available time, percent.';
comment on column app_public.team_performance_metrics.appointment_conversion_rate is 'Handled inbound calls with an appointment / handled inbound calls, percent.';
comment on column app_public.team_performance_metrics.attendance_rate is 'Shifts not absent / shifts scheduled, percent.';
comment on column app_public.team_performance_metrics.punctuality_rate is 'Shifts started on time / shifts started, percent.';
comment on column app_public.team_performance_metrics.schedule_adherence_rate is 'Minutes worked inside the scheduled window / scheduled minutes, percent.';
comment on column app_public.team_performance_metrics.agents_meeting_goals is 'Agents whose goal covering the day has every set target met.';
comment on column app_public.team_performance_metrics.team_goal_achievement_rate is 'Agents meeting goals / agents with a goal covering the day, percent.';
comment on column app_public.team_performance_metrics.training_hours_completed is 'Training time in shifts, hours.';
comment on column app_public.team_performance_metrics.certifications_earned is 'Entered by managers (no source system).';
comment on column app_public.team_performance_metrics.coaching_sessions_conducted is 'QA reviews discussed with the agent that day.';
comment on column app_public.team_performance_metrics.created_at is 'When the row was created.';
comment on column app_public.team_performance_metrics.updated_at is 'When the row last changed.';

create table app_public.call_campaigns (
  id uuid primary key default gen_random_uuid(),
  campaign_name text not null check (length(trim(campaign_name)) between 1 and 200),
  campaign_type text not null check (campaign_type in ('outbound_appointments', 'follow_up', 'satisfaction_survey', 'retention')),
  start_date date not null,
  end_date date not null,
  campaign_status text not null default 'planned' check (campaign_status in ('planned', 'active', 'paused', 'completed', 'cancelled')),
  target_audience text not null check (length(target_audience) between 1 and 2000),
  target_call_count integer check (target_call_count >= 0),
  target_conversion_rate numeric(5,2) check (target_conversion_rate between 0 and 100),
  assigned_agents citext[] not null default '{}',
  priority_level text not null default 'normal' check (priority_level in ('urgent', 'high', 'normal', 'low')),
  calls_attempted integer not null default 0 check (calls_attempted >= 0),
  calls_completed integer not null default 0 check (calls_completed >= 0),
  successful_outcomes integer not null default 0 check (successful_outcomes >= 0),
  conversion_rate numeric(9,2) generated always as (
    case when calls_completed > 0 then round(successful_outcomes * 100.0 / calls_completed, 2) end
  ) stored,
  call_script text,
  talking_points text[],
  required_documentation text[],
  training_materials text[],
  campaign_notes text,
  created_by citext not null references app_public.users (email) on update cascade,
  managed_by citext references app_public.users (email) on update cascade,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check (end_date >= start_date),
  check (calls_completed <= calls_attempted),
  check (successful_outcomes <= calls_completed)
);
create index call_campaigns_assigned_agents_idx on app_public.call_campaigns using gin (assigned_agents);
comment on table app_public.call_campaigns is 'Outbound campaigns: who is called, by which agents, and how it goes.';
comment on column app_public.call_campaigns.id is 'Identifier.';
comment on column app_public.call_campaigns.campaign_name is 'Name.';
comment on column app_public.call_campaigns.campaign_type is 'outbound_appointments, follow_up, satisfaction_survey or retention.';
comment on column app_public.call_campaigns.start_date is 'First day.';
comment on column app_public.call_campaigns.end_date is 'Last day.';
comment on column app_public.call_campaigns.campaign_status is 'planned, active, paused, completed or cancelled.';
comment on column app_public.call_campaigns.target_audience is 'Who is to be called (described, not listed: no patient data here).';
comment on column app_public.call_campaigns.target_call_count is 'Calls planned.';
comment on column app_public.call_campaigns.target_conversion_rate is 'Conversion goal, percent.';
comment on column app_public.call_campaigns.assigned_agents is 'Emails of the agents working the campaign (each must be a user).';
comment on column app_public.call_campaigns.priority_level is 'urgent, high, normal or low.';
comment on column app_public.call_campaigns.calls_attempted is 'Every logged attempt.';
comment on column app_public.call_campaigns.calls_completed is 'Attempts that reached the person.';
comment on column app_public.call_campaigns.successful_outcomes is 'Completed calls with the wanted outcome.';
comment on column app_public.call_campaigns.conversion_rate is 'successful_outcomes / calls_completed × 100; NULL before any completed call.';
comment on column app_public.call_campaigns.call_script is 'Script.';
comment on column app_public.call_campaigns.talking_points is 'Talking points.';
comment on column app_public.call_campaigns.required_documentation is 'What must be documented.';
comment on column app_public.call_campaigns.training_materials is 'Training materials.';
comment on column app_public.call_campaigns.campaign_notes is 'Notes (no patient details).';
comment on column app_public.call_campaigns.created_by is 'Who created it.';
comment on column app_public.call_campaigns.managed_by is 'Who runs it.';
comment on column app_public.call_campaigns.created_at is 'When the row was created.';
comment on column app_public.call_campaigns.updated_at is 'When the row last changed.';

/* assigned_agents is an array, so a foreign key cannot check it: this trigger does. */
create function app_private.tg_call_campaigns__check_agents() returns trigger
  language plpgsql volatile security definer
  set search_path to pg_catalog, public, pg_temp
  as $$
declare
  unknown citext;
begin
  select a into unknown from unnest(new.assigned_agents) a
  where not exists (select 1 from app_public.users u where u.email = a) limit 1;
  if unknown is not null then
    raise exception 'Assigned agent % is not a user.', unknown using errcode = 'CC101';
  end if;
  return new;
end;
$$;
create trigger _200_check_agents before insert or update of assigned_agents on app_public.call_campaigns
  for each row execute function app_private.tg_call_campaigns__check_agents();

create trigger _100_timestamps before insert or update on app_public.agent_shifts for each row execute function app_private.tg__timestamps();
create trigger _100_timestamps before insert or update on app_public.performance_goals for each row execute function app_private.tg__timestamps();
create trigger _100_timestamps before insert or update on app_public.team_performance_metrics for each row execute function app_private.tg__timestamps();
create trigger _100_timestamps before insert or update on app_public.call_campaigns for each row execute function app_private.tg__timestamps();

select app_private.secure_table('app_public.agent_shifts');
select app_private.secure_table('app_public.performance_goals');
select app_private.secure_table('app_public.team_performance_metrics');
select app_private.secure_table('app_public.call_campaigns');

-- Shifts: read in the performance scope; scheduled and changed by manageGoals holders within what they see.
create policy select_in_scope on app_public.agent_shifts for select to app_visitor
  using ((select app_hidden.sees_all()) or location = any ((select app_hidden.team_locations())::text[]) or agent_email = (select app_hidden.own_email()));
create policy manage_goals on app_public.agent_shifts for all to app_visitor
  using ((select app_hidden.has_permission('manageGoals')) and ((select app_hidden.sees_all()) or location = any ((select app_hidden.team_locations())::text[])))
  with check ((select app_hidden.has_permission('manageGoals')) and ((select app_hidden.sees_all()) or location = any ((select app_hidden.team_locations())::text[])));

-- Goals: the person's own, goals you created (the PRD), your team's people, or all; set by manageGoals holders for people they see.
create policy select_in_scope on app_public.performance_goals for select to app_visitor
  using ((select app_hidden.sees_all()) or agent_email = any ((select app_hidden.visible_people())::citext[]) or created_by = (select auth.email())::citext);
create policy manage_goals on app_public.performance_goals for all to app_visitor
  using ((select app_hidden.has_permission('manageGoals')) and ((select app_hidden.sees_all()) or agent_email = any ((select app_hidden.visible_people())::citext[])))
  with check ((select app_hidden.has_permission('manageGoals')) and ((select app_hidden.sees_all()) or agent_email = any ((select app_hidden.visible_people())::citext[])));

-- Team metrics: team data, so viewTeamPerformance for your locations and viewAllPerformance for all (and the practice row).
-- Written by the KPI engine; only certifications_earned is entered, by configureMetrics holders.
create policy select_in_scope on app_public.team_performance_metrics for select to app_visitor
  using ((select app_hidden.sees_all()) or location = any ((select app_hidden.team_locations())::text[]));
create policy update_configure_metrics on app_public.team_performance_metrics for update to app_visitor
  using ((select app_hidden.has_permission('configureMetrics'))) with check ((select app_hidden.has_permission('configureMetrics')));

-- Campaigns: agents see the ones they are assigned to; team leads those of their people or their own; managers all.
create policy select_in_scope on app_public.call_campaigns for select to app_visitor
  using (
    (select app_hidden.sees_all())
    or (select app_hidden.has_permission('manageCampaigns'))
    or assigned_agents && (select app_hidden.visible_people())::citext[]
    or created_by = (select auth.email())::citext
  );
create policy manage_campaigns on app_public.call_campaigns for all to app_visitor
  using ((select app_hidden.has_permission('manageCampaigns'))) with check ((select app_hidden.has_permission('manageCampaigns')));

grant select, delete on app_public.agent_shifts, app_public.performance_goals, app_public.call_campaigns to app_visitor;
grant select on app_public.team_performance_metrics to app_visitor;
grant insert (agent_email, agent_name, location, shift_date, scheduled_start_time, scheduled_end_time, actual_start_time, actual_end_time,
              total_break_time_minutes, lunch_break_minutes, training_time_minutes, meeting_time_minutes,
              call_target, appointment_target, quality_target, shift_notes, shift_status),
      update (agent_name, location, shift_date, scheduled_start_time, scheduled_end_time, actual_start_time, actual_end_time,
              total_break_time_minutes, lunch_break_minutes, training_time_minutes, meeting_time_minutes,
              call_target, appointment_target, quality_target, shift_notes, shift_status)
  on app_public.agent_shifts to app_visitor;
grant insert (agent_email, goal_period, period_start_date, period_end_date, calls_per_day_target, talk_time_percentage_target,
              first_call_resolution_target, customer_satisfaction_target, appointment_conversion_target, quality_score_target,
              development_areas, coaching_focus, improvement_plan, recognition_earned, goal_status, team_goal_id, created_by, last_reviewed_at, reviewed_by),
      update (goal_period, period_start_date, period_end_date, calls_per_day_target, talk_time_percentage_target,
              first_call_resolution_target, customer_satisfaction_target, appointment_conversion_target, quality_score_target,
              development_areas, coaching_focus, improvement_plan, recognition_earned, goal_status, last_reviewed_at, reviewed_by)
  on app_public.performance_goals to app_visitor;
grant update (certifications_earned) on app_public.team_performance_metrics to app_visitor;
grant insert (campaign_name, campaign_type, start_date, end_date, campaign_status, target_audience, target_call_count, target_conversion_rate,
              assigned_agents, priority_level, calls_attempted, calls_completed, successful_outcomes, call_script, talking_points,
              required_documentation, training_materials, campaign_notes, created_by, managed_by),
      update (campaign_name, campaign_type, start_date, end_date, campaign_status, target_audience, target_call_count, target_conversion_rate,
              assigned_agents, priority_level, calls_attempted, calls_completed, successful_outcomes, call_script, talking_points,
              required_documentation, training_materials, campaign_notes, managed_by)
  on app_public.call_campaigns to app_visitor;
grant select, insert, update, delete on app_public.agent_shifts, app_public.performance_goals, app_public.team_performance_metrics, app_public.call_campaigns to app_worker;
