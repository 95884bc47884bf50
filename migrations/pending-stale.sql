-- Issue 15, rules written once.
-- 1. When a call entered its queue (its start when it had no entry time) is one stored column, not an expression
--    repeated in every query that places a call in a queue interval; its index replaces the expression index.
alter table app_public.call_center_records
  add column if not exists queue_entry_time timestamptz generated always as (coalesce(queue_entered_at, call_start_time)) stored;
comment on column app_public.call_center_records.queue_entry_time is 'When the call entered its queue, or its start when it has no queue entry time: the time that places an inbound call in its queue''s 15-minute interval and business day.';
drop index if exists app_public.call_center_records_queue_entered_idx;
create index if not exists call_center_records_queue_entry_time_idx on app_public.call_center_records (queue_name, queue_entry_time);

--!include access/call_center_records.sql
--!include kpi/drill-down.sql
--!include kpi/recount-queue-intervals.sql
--!include kpi/refresh.sql

-- 2. One mark-stale trigger function, told by its arguments what each table's statements mark (12 functions before).
--!include kpi/mark-stale.sql

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
