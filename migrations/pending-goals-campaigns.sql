--! Message: Goals and campaigns: rules, history, team goals, attribution, performance

-- Goals and campaigns (issue 18, "Goals, campaigns and the workforce day": its goals and campaigns parts).
--
-- Goals: set, update with a change history, team goals for a location, achievement over any range; overlapping
-- active goals of one period for one agent refused; GOAL_ACHIEVEMENT_NOTIFICATIONS reaches SQL.
-- Campaigns: a location and a dialling code, status moves with their history, agents assigned and notified, a
-- dialled list kept as keyed hashes, logged attempts, outbound calls attributed by rule, performance per campaign,
-- agent and day computed from attempts and calls (the campaign's own counts kept from the same source).

/* Goals: the change history. */
create table if not exists app_public.performance_goal_changes (
  id uuid primary key default gen_random_uuid(),
  goal_id uuid not null references app_public.performance_goals (id) on delete cascade,
  changed_at timestamptz not null default clock_timestamp(),
  changed_by citext references app_public.users (email) on update cascade on delete set null,
  change text not null check (change in ('set', 'update')),
  old_goal_status text,
  new_goal_status text not null,
  old_values jsonb not null default '{}' check (jsonb_typeof(old_values) = 'object'),
  new_values jsonb not null default '{}' check (jsonb_typeof(new_values) = 'object'),
  reason text check (length(reason) <= 1000)
);
create index if not exists performance_goal_changes_goal_idx on app_public.performance_goal_changes (goal_id, changed_at);
comment on table app_public.performance_goal_changes is 'The change history of each goal: who set or changed its targets, period or status, when, from what to what, and why. Written by the goals'' own trigger; read under the goal''s row rules.';
comment on column app_public.performance_goal_changes.id is 'Identifier.';
comment on column app_public.performance_goal_changes.goal_id is 'The goal.';
comment on column app_public.performance_goal_changes.changed_at is 'When.';
comment on column app_public.performance_goal_changes.changed_by is 'Who (NULL: a background job or an administrator''s script).';
comment on column app_public.performance_goal_changes.change is 'set (the goal was created) or update.';
comment on column app_public.performance_goal_changes.old_goal_status is 'Status before (NULL when set).';
comment on column app_public.performance_goal_changes.new_goal_status is 'Status after.';
comment on column app_public.performance_goal_changes.old_values is 'The changed targets and period fields before, by column name (JSON object).';
comment on column app_public.performance_goal_changes.new_values is 'The same fields after (on set: every target and the period).';
comment on column app_public.performance_goal_changes.reason is 'Why, as given with the change.';
drop trigger if exists _900_audit on app_public.performance_goal_changes;
create trigger _900_audit after insert or update or delete on app_public.performance_goal_changes for each row execute function app_private.tg__audit('id');
do $$ begin
  if not exists (select 1 from pg_policies where schemaname = 'app_public' and tablename = 'performance_goal_changes' and policyname = 'owner_all') then
    perform app_private.secure_table('app_public.performance_goal_changes');
  end if;
end $$;

/* Goal achievement over a range. */
drop type if exists app_public.goal_achievements cascade;
create type app_public.goal_achievements as (
  goal_id uuid,
  agent_email citext,
  agent_name text,
  location text,
  goal_period text,
  period_start_date date,
  period_end_date date,
  goal_status text,
  team_goal_id uuid,
  from_day date,
  to_day date,
  calls_per_day_target integer,
  calls_per_day_actual numeric,
  talk_time_pct_target numeric,
  talk_time_pct_actual numeric,
  first_call_resolution_target numeric,
  first_call_resolution_actual numeric,
  customer_satisfaction_target numeric,
  customer_satisfaction_actual numeric,
  appointment_conversion_target numeric,
  appointment_conversion_actual numeric,
  quality_score_target numeric,
  quality_score_actual numeric,
  goals_met integer,
  total_goals integer,
  achievement_pct numeric,
  all_met boolean
);
comment on type app_public.goal_achievements is 'A goal and how the agent did against it over a range of business days (the days of the range inside the goal''s period, up to today).';
comment on column app_public.goal_achievements.goal_id is 'The goal.';
comment on column app_public.goal_achievements.agent_email is 'The agent.';
comment on column app_public.goal_achievements.agent_name is 'The agent''s name.';
comment on column app_public.goal_achievements.location is 'The agent''s location (directory).';
comment on column app_public.goal_achievements.goal_period is 'daily, weekly, monthly or quarterly.';
comment on column app_public.goal_achievements.period_start_date is 'First business day of the goal.';
comment on column app_public.goal_achievements.period_end_date is 'Last business day of the goal.';
comment on column app_public.goal_achievements.goal_status is 'active, completed, revised or paused.';
comment on column app_public.goal_achievements.team_goal_id is 'Shared by the goals of one team goal.';
comment on column app_public.goal_achievements.from_day is 'First business day measured (the range and the goal''s period overlap from here).';
comment on column app_public.goal_achievements.to_day is 'Last business day measured (no later than today).';
comment on column app_public.goal_achievements.calls_per_day_target is 'Calls handled per day worked: target.';
comment on column app_public.goal_achievements.calls_per_day_actual is 'Calls handled per day worked over the days measured.';
comment on column app_public.goal_achievements.talk_time_pct_target is 'Talk time as a percent of available time: target.';
comment on column app_public.goal_achievements.talk_time_pct_actual is 'Talk time percent over the days measured.';
comment on column app_public.goal_achievements.first_call_resolution_target is 'First-call resolution, percent: target.';
comment on column app_public.goal_achievements.first_call_resolution_actual is 'First-call resolution percent over the days measured (NULL while any is provisional).';
comment on column app_public.goal_achievements.customer_satisfaction_target is 'Average satisfaction, 1–5: target.';
comment on column app_public.goal_achievements.customer_satisfaction_actual is 'Average satisfaction over the days measured.';
comment on column app_public.goal_achievements.appointment_conversion_target is 'Appointment conversion, percent: target.';
comment on column app_public.goal_achievements.appointment_conversion_actual is 'Appointment conversion percent over the days measured.';
comment on column app_public.goal_achievements.quality_score_target is 'Average QA score: target.';
comment on column app_public.goal_achievements.quality_score_actual is 'Average QA score over the days measured.';
comment on column app_public.goal_achievements.goals_met is 'Set targets whose actual over the days measured reaches the target (a target without an actual is not met).';
comment on column app_public.goal_achievements.total_goals is 'Targets set.';
comment on column app_public.goal_achievements.achievement_pct is 'goals_met / total_goals × 100; NULL when no target is set.';
comment on column app_public.goal_achievements.all_met is 'Every set target met (false when none is set).';

/* Campaigns: a location, a dialling code, counts kept from attempts and calls. */
alter table app_public.call_campaigns
  add column if not exists location text references app_public.locations (name) on update cascade,
  add column if not exists campaign_code text check (campaign_code ~ '^[A-Z0-9]{1,32}$');
create index if not exists call_campaigns_location_idx on app_public.call_campaigns (location);
create unique index if not exists call_campaigns_open_code_idx on app_public.call_campaigns (campaign_code)
  where campaign_code is not null and campaign_status in ('planned', 'active', 'paused');
comment on column app_public.call_campaigns.location is 'The location whose agents work it (set by createCampaign; NULL only on campaigns from before locations).';
comment on column app_public.call_campaigns.campaign_code is 'Code agents dial with a campaign call (3CX billing code, e.g. **RECALL: letters and digits, upper case); unique among open campaigns. NULL: attribution by the dialled list only.';
comment on column app_public.call_campaigns.assigned_agents is 'Emails of the agents working the campaign (active agents of its location; set through assignCampaignAgents, which notifies them).';
comment on column app_public.call_campaigns.calls_attempted is 'Every logged attempt, and every attributed outbound call no logged attempt names (kept by the database).';
comment on column app_public.call_campaigns.calls_completed is 'Attempts that reached the person (kept by the database).';
comment on column app_public.call_campaigns.successful_outcomes is 'Completed attempts with a successful outcome (kept by the database).';

create table if not exists app_public.call_campaign_status_changes (
  id uuid primary key default gen_random_uuid(),
  campaign_id uuid not null references app_public.call_campaigns (id) on delete cascade,
  changed_at timestamptz not null default clock_timestamp(),
  changed_by citext references app_public.users (email) on update cascade on delete set null,
  old_status text,
  new_status text not null,
  reason text check (length(reason) <= 1000)
);
create index if not exists call_campaign_status_changes_campaign_idx on app_public.call_campaign_status_changes (campaign_id, changed_at);
comment on table app_public.call_campaign_status_changes is 'Each campaign''s status moves (planned, active, paused, completed, cancelled): who, when, why. Outbound calls are attributed to a campaign only while it was active. Written by the campaigns'' own trigger.';
comment on column app_public.call_campaign_status_changes.id is 'Identifier.';
comment on column app_public.call_campaign_status_changes.campaign_id is 'The campaign.';
comment on column app_public.call_campaign_status_changes.changed_at is 'When.';
comment on column app_public.call_campaign_status_changes.changed_by is 'Who (NULL: a background job or an administrator''s script).';
comment on column app_public.call_campaign_status_changes.old_status is 'Status before (NULL when created).';
comment on column app_public.call_campaign_status_changes.new_status is 'Status after.';
comment on column app_public.call_campaign_status_changes.reason is 'Why, as given with the change.';
drop trigger if exists _900_audit on app_public.call_campaign_status_changes;
create trigger _900_audit after insert or update or delete on app_public.call_campaign_status_changes for each row execute function app_private.tg__audit('id');
do $$ begin
  if not exists (select 1 from pg_policies where schemaname = 'app_public' and tablename = 'call_campaign_status_changes' and policyname = 'owner_all') then
    perform app_private.secure_table('app_public.call_campaign_status_changes');
  end if;
end $$;
-- Campaigns that exist today start their history at their creation, in their current status.
insert into app_public.call_campaign_status_changes (campaign_id, changed_at, changed_by, old_status, new_status)
select k.id, k.created_at, null, null, k.campaign_status from app_public.call_campaigns k
 where not exists (select 1 from app_public.call_campaign_status_changes h where h.campaign_id = k.id);

/* The dialled list: patients' numbers, as keyed hashes only (like callers), never readable. */
create table if not exists app_private.campaign_dialled_numbers (
  campaign_id uuid not null references app_public.call_campaigns (id) on delete cascade,
  number_hash bytea not null,
  added_at timestamptz not null default now(),
  added_by citext,
  primary key (campaign_id, number_hash)
);
create index if not exists campaign_dialled_numbers_hash_idx on app_private.campaign_dialled_numbers (number_hash);
comment on table app_private.campaign_dialled_numbers is 'The numbers a campaign dials, as keyed hashes (app_hidden.caller_key, HMAC with PHI_HASH_KEY): an outbound call to one of them by an assigned agent while the campaign is active belongs to it. No number is stored readable.';
comment on column app_private.campaign_dialled_numbers.campaign_id is 'The campaign.';
comment on column app_private.campaign_dialled_numbers.number_hash is 'Keyed hash of the normalised number (compared with call_center_records.caller_number_hash, the outside party of an outbound call).';
comment on column app_private.campaign_dialled_numbers.added_at is 'When it was added.';
comment on column app_private.campaign_dialled_numbers.added_by is 'Who added it.';

/* Logged attempts and their outcomes. */
create table if not exists app_public.campaign_call_attempts (
  id uuid primary key default gen_random_uuid(),
  campaign_id uuid not null references app_public.call_campaigns (id) on delete cascade,
  agent_email citext not null references app_public.users (email) on update cascade,
  attempted_at timestamptz not null default now(),
  outcome text not null check (outcome in ('no_answer', 'busy', 'voicemail', 'wrong_number', 'declined', 'callback_requested',
                                           'appointment_scheduled', 'follow_up_completed', 'survey_completed', 'retained')),
  reached boolean not null generated always as (outcome not in ('no_answer', 'busy', 'voicemail', 'wrong_number')) stored,
  successful boolean not null generated always as (outcome in ('appointment_scheduled', 'follow_up_completed', 'survey_completed', 'retained')) stored,
  called_number text check (called_number is null),
  called_number_hash bytea,
  called_number_masked text,
  call_record_id uuid references app_public.call_center_records (id) on delete set null,
  created_by citext references app_public.users (email) on update cascade on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index if not exists campaign_call_attempts_campaign_idx on app_public.campaign_call_attempts (campaign_id, attempted_at);
create index if not exists campaign_call_attempts_agent_idx on app_public.campaign_call_attempts (agent_email, attempted_at);
create unique index if not exists campaign_call_attempts_call_idx on app_public.campaign_call_attempts (call_record_id) where call_record_id is not null;
create index if not exists campaign_call_attempts_unlinked_idx on app_public.campaign_call_attempts (called_number_hash, attempted_at)
  where call_record_id is null and called_number_hash is not null;
comment on table app_public.campaign_call_attempts is E'@behavior -insert -update\nCampaign calls as the agents log them (logCampaignCall): who called, when, and the outcome; linked to the 3CX call when one matches. No patient data: the number only as a keyed hash and a mask.';
comment on column app_public.campaign_call_attempts.id is 'Identifier.';
comment on column app_public.campaign_call_attempts.campaign_id is 'The campaign.';
comment on column app_public.campaign_call_attempts.agent_email is 'The agent who called.';
comment on column app_public.campaign_call_attempts.attempted_at is 'When the call was made.';
comment on column app_public.campaign_call_attempts.outcome is 'no_answer, busy, voicemail, wrong_number (not reached); declined, callback_requested (reached); appointment_scheduled, follow_up_completed, survey_completed, retained (reached, successful).';
comment on column app_public.campaign_call_attempts.reached is 'The person was reached (a completed call).';
comment on column app_public.campaign_call_attempts.successful is 'The outcome the campaign wants.';
comment on column app_public.campaign_call_attempts.called_number is E'@behavior -*\nWrite-only: the number dialled, kept only as its hash and mask.';
comment on column app_public.campaign_call_attempts.called_number_hash is E'@behavior -*\nKeyed hash of the number dialled (matches the 3CX call).';
comment on column app_public.campaign_call_attempts.called_number_masked is 'The number dialled, last four digits only.';
comment on column app_public.campaign_call_attempts.call_record_id is 'The 3CX call of this attempt, when one matches (the agent''s outbound call to that number within 2 hours).';
comment on column app_public.campaign_call_attempts.created_by is 'Who logged it.';
comment on column app_public.campaign_call_attempts.created_at is 'When the row was created.';
comment on column app_public.campaign_call_attempts.updated_at is 'When the row last changed.';
drop trigger if exists _050_set_created_by on app_public.campaign_call_attempts;
create trigger _050_set_created_by before insert on app_public.campaign_call_attempts for each row execute function app_private.tg__set_actor('created_by', 'email');
drop trigger if exists _100_timestamps on app_public.campaign_call_attempts;
create trigger _100_timestamps before insert or update on app_public.campaign_call_attempts for each row execute function app_private.tg__timestamps();
drop trigger if exists _900_audit on app_public.campaign_call_attempts;
create trigger _900_audit after insert or update or delete on app_public.campaign_call_attempts for each row execute function app_private.tg__audit('id');
do $$ begin
  if not exists (select 1 from pg_policies where schemaname = 'app_public' and tablename = 'campaign_call_attempts' and policyname = 'owner_all') then
    perform app_private.secure_table('app_public.campaign_call_attempts');
  end if;
end $$;

/* A call's campaign code (3CX billing code, or the neutral format's campaign_code). */
alter table app_public.call_center_records
  add column if not exists campaign_code text check (campaign_code ~ '^[A-Z0-9]{1,32}$');
comment on column app_public.call_center_records.campaign_code is 'The campaign code dialled with the call (3CX billing code, upper case), which attributes an outbound call to the open campaign of that code.';

/* Performance per campaign, agent and day. */
drop type if exists app_public.campaign_agent_days cascade;
create type app_public.campaign_agent_days as (
  campaign_id uuid,
  campaign_name text,
  location text,
  business_day date,
  agent_email citext,
  agent_name text,
  calls_attempted integer,
  calls_completed integer,
  successful_outcomes integer,
  conversion_pct numeric,
  target_conversion_pct numeric,
  conversion_vs_target_pct numeric,
  logged_attempts integer,
  unlogged_calls integer
);
comment on type app_public.campaign_agent_days is 'A campaign''s figures for one agent and business day, computed from the logged attempts and the attributed outbound calls.';
comment on column app_public.campaign_agent_days.campaign_id is 'The campaign.';
comment on column app_public.campaign_agent_days.campaign_name is 'Its name.';
comment on column app_public.campaign_agent_days.location is 'Its location.';
comment on column app_public.campaign_agent_days.business_day is 'The business day.';
comment on column app_public.campaign_agent_days.agent_email is 'The agent.';
comment on column app_public.campaign_agent_days.agent_name is 'The agent''s name.';
comment on column app_public.campaign_agent_days.calls_attempted is 'Logged attempts, plus attributed outbound calls no logged attempt names.';
comment on column app_public.campaign_agent_days.calls_completed is 'Attempts that reached the person (a logged reached outcome; an unlogged call answered).';
comment on column app_public.campaign_agent_days.successful_outcomes is 'Completed attempts with a successful outcome (a logged successful outcome; an unlogged call with an appointment scheduled).';
comment on column app_public.campaign_agent_days.conversion_pct is 'successful_outcomes / calls_completed × 100; NULL when none completed.';
comment on column app_public.campaign_agent_days.target_conversion_pct is 'The campaign''s conversion goal, percent.';
comment on column app_public.campaign_agent_days.conversion_vs_target_pct is 'conversion_pct − target_conversion_pct, percentage points (negative: below target); NULL when either is.';
comment on column app_public.campaign_agent_days.logged_attempts is 'Of calls_attempted: logged attempts.';
comment on column app_public.campaign_agent_days.unlogged_calls is 'Of calls_attempted: attributed 3CX calls without a logged attempt.';

--!include goals/notification-switch.sql
--!include kpi/recount-goals.sql
--!include goals/goal-rules.sql
--!include goals/goal-history.sql
--!include goals/set-goal.sql
--!include goals/update-goal.sql
--!include goals/team-goals.sql
--!include goals/goal-achievement.sql
--!include access/performance_goal_changes.sql

--!include campaigns/campaign-rules.sql
--!include campaigns/dialled-numbers.sql
--!include campaigns/attribution.sql
--!include campaigns/performance.sql
--!include campaigns/create-campaign.sql
--!include campaigns/assign-agents.sql
--!include campaigns/campaign-status.sql
--!include campaigns/log-call.sql
--!include access/call_campaigns.sql
--!include access/call_campaign_status_changes.sql
--!include access/campaign_call_attempts.sql
--!include access/app_private.campaign_dialled_numbers.sql
--!include access/call_center_records.sql
--!include ingest/ingest-calls.sql

/* Goals: rules and history. */
drop trigger if exists _200_rules on app_public.performance_goals;
create trigger _200_rules before insert or update of agent_email, goal_period, period_start_date, period_end_date, goal_status on app_public.performance_goals
  for each row execute function app_private.tg_performance_goals__rules();
drop trigger if exists _800_history on app_public.performance_goals;
-- Only what people set is history: the upkeep's updates of actuals do not fire it.
create trigger _800_history after insert or update of agent_email, goal_period, period_start_date, period_end_date, goal_status, calls_per_day_target,
  talk_time_percentage_target, first_call_resolution_target, customer_satisfaction_target, appointment_conversion_target, quality_score_target
  on app_public.performance_goals for each row execute function app_private.tg_performance_goals__history();

/* Campaigns: rules, status history, notifications, attribution, counts. */
drop trigger if exists _200_check_agents on app_public.call_campaigns;
create trigger _200_check_agents before insert or update of assigned_agents, location on app_public.call_campaigns for each row execute function app_private.tg_call_campaigns__check_agents();
drop trigger if exists _210_rules on app_public.call_campaigns;
create trigger _210_rules before insert or update on app_public.call_campaigns for each row execute function app_private.tg_call_campaigns__rules();
drop trigger if exists _800_status_history on app_public.call_campaigns;
create trigger _800_status_history after insert or update of campaign_status on app_public.call_campaigns for each row execute function app_private.tg_call_campaigns__status_history();
drop trigger if exists _810_notify_agents on app_public.call_campaigns;
create trigger _810_notify_agents after insert or update of assigned_agents on app_public.call_campaigns for each row execute function app_private.tg_call_campaigns__notify_agents();
drop trigger if exists _820_attribute on app_public.call_campaigns;
create trigger _820_attribute after update of assigned_agents, campaign_code, start_date, end_date on app_public.call_campaigns for each row execute function app_private.tg_call_campaigns__attribute();

drop trigger if exists _200_rules on app_public.campaign_call_attempts;
create trigger _200_rules before insert or update on app_public.campaign_call_attempts for each row execute function app_private.tg_campaign_call_attempts__rules();
drop trigger if exists _700_campaign_counts_insert on app_public.campaign_call_attempts;
create trigger _700_campaign_counts_insert after insert on app_public.campaign_call_attempts referencing new table as new_rows for each statement execute function app_private.tg__campaign_counts();
drop trigger if exists _700_campaign_counts_update on app_public.campaign_call_attempts;
create trigger _700_campaign_counts_update after update on app_public.campaign_call_attempts referencing old table as old_rows new table as new_rows for each statement execute function app_private.tg__campaign_counts();
drop trigger if exists _700_campaign_counts_delete on app_public.campaign_call_attempts;
create trigger _700_campaign_counts_delete after delete on app_public.campaign_call_attempts referencing old table as old_rows for each statement execute function app_private.tg__campaign_counts();

drop trigger if exists _710_campaign_counts_insert on app_public.call_center_records;
create trigger _710_campaign_counts_insert after insert on app_public.call_center_records referencing new table as new_rows for each statement execute function app_private.tg__campaign_counts();
drop trigger if exists _710_campaign_counts_update on app_public.call_center_records;
create trigger _710_campaign_counts_update after update on app_public.call_center_records referencing old table as old_rows new table as new_rows for each statement execute function app_private.tg__campaign_counts();
drop trigger if exists _710_campaign_counts_delete on app_public.call_center_records;
create trigger _710_campaign_counts_delete after delete on app_public.call_center_records referencing old table as old_rows for each statement execute function app_private.tg__campaign_counts();
