--! Previous: sha1:0374c397bd019b3b82391fd5416bd7519183b538
--! Hash: sha1:9ba41790cb577bda019ab9beecdb6b021b03a98d
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

--! Included goals/notification-switch.sql
-- GOAL_ACHIEVEMENT_NOTIFICATIONS reaches SQL as the transaction setting
-- app.goal_achievement_notifications ('on' or 'off'), which the API and the
-- worker give every transaction (lib/feature-settings.ts); a session without
-- it (a script) takes the variable's default, on.
create or replace function app_hidden.goal_notifications_enabled()
 returns boolean
 language sql
 stable
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$ select coalesce(nullif(current_setting('app.goal_achievement_notifications', true), ''), 'on') <> 'off' $function$;
comment on function app_hidden.goal_notifications_enabled() is 'Whether goal notifications are sent (GOAL_ACHIEVEMENT_NOTIFICATIONS, given to each transaction as app.goal_achievement_notifications; on when unset).';
revoke all on function app_hidden.goal_notifications_enabled() from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_hidden.goal_notifications_enabled() to app_visitor, app_worker;
--! EndIncluded goals/notification-switch.sql
--! Included kpi/recount-goals.sql
create or replace function app_hidden.goal_actuals(agent_email citext, from_day date, to_day date)
 returns table(calls_per_day numeric, talk_time_pct numeric, fcr_pct numeric, csat_avg numeric, appointment_conversion_pct numeric, quality_score_avg numeric)
 language sql
 stable
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
  with st as (
    select s.* from app_public.agents a
      join app_public.agent_daily_stats s on s.agent_extension = a.extension and s.business_day between from_day and to_day
     where a.user_email = goal_actuals.agent_email and a.is_active
  ), shifts as (
    select x.shift_date,
           app_hidden.shift_available_seconds(x.actual_start_time, x.actual_end_time, x.total_break_time_minutes, x.lunch_break_minutes,
                                              x.training_time_minutes, x.meeting_time_minutes) as available_seconds
      from app_public.agent_shifts x
     where x.agent_email = goal_actuals.agent_email and x.shift_date between from_day and to_day and x.actual_start_time is not null
  ), totals as (
    select (select coalesce(sum(calls_handled), 0) from st) as handled,
           (select coalesce(sum(calls_handled_inbound), 0) from st) as handled_inbound,
           (select coalesce(sum(talk_seconds), 0) from st) as talk,
           (select coalesce(sum(fcr_resolved), 0) from st) as fcr_resolved,
           (select coalesce(sum(fcr_final), 0) from st) as fcr_final,
           (select coalesce(sum(fcr_provisional), 0) from st) as fcr_provisional,
           (select coalesce(sum(appointments), 0) from st) as appointments,
           (select coalesce(sum(csat_sum), 0) from st) as csat_sum,
           (select coalesce(sum(csat_count), 0) from st) as csat_count,
           (select coalesce(sum(available_seconds), 0) from shifts) as available,
           (select count(*) from (select shift_date from shifts union select business_day from st where calls_handled > 0) d) as days_worked,
           (select sum(q.percentage_score) from app_public.quality_assurance_reviews q
             where q.agent_email = goal_actuals.agent_email and q.review_date between from_day and to_day
               and q.review_status in ('completed', 'discussed_with_agent')) as quality_sum,
           (select count(q.percentage_score) from app_public.quality_assurance_reviews q
             where q.agent_email = goal_actuals.agent_email and q.review_date between from_day and to_day
               and q.review_status in ('completed', 'discussed_with_agent')) as quality_count
  )
  select case when days_worked > 0 then round(handled::numeric / days_worked, 2) end,
         app_hidden.pct(talk, available),
         case when fcr_provisional = 0 then app_hidden.pct(fcr_resolved, fcr_final) end,
         case when csat_count > 0 then round(csat_sum::numeric / csat_count, 2) end,
         app_hidden.pct(appointments, handled_inbound),
         case when quality_count > 0 then round(quality_sum / quality_count, 2) end
    from totals
$function$;
comment on function app_hidden.goal_actuals(citext,date,date) is 'A person''s goal actuals over a range of business days: calls handled per day worked (a day with a started shift or a handled call), talk time %, FCR %, average satisfaction, appointment conversion %, average QA score; NULL where there is no data.';
revoke all on function app_hidden.goal_actuals(citext,date,date) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_hidden.goal_actuals(citext,date,date) to app_worker;

create or replace function app_hidden.goal_targets_met(g app_public.performance_goals, calls_per_day numeric, talk_time_pct numeric, fcr_pct numeric,
                                                       csat_avg numeric, appointment_conversion_pct numeric, quality_score_avg numeric)
 returns integer
 language sql
 immutable
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
  -- a set target without an actual (no data yet) is not met
  select (  coalesce((g.calls_per_day_target is not null and calls_per_day >= g.calls_per_day_target), false)::integer
          + coalesce((g.talk_time_percentage_target is not null and talk_time_pct >= g.talk_time_percentage_target), false)::integer
          + coalesce((g.first_call_resolution_target is not null and fcr_pct >= g.first_call_resolution_target), false)::integer
          + coalesce((g.customer_satisfaction_target is not null and csat_avg >= g.customer_satisfaction_target), false)::integer
          + coalesce((g.appointment_conversion_target is not null and appointment_conversion_pct >= g.appointment_conversion_target), false)::integer
          + coalesce((g.quality_score_target is not null and quality_score_avg >= g.quality_score_target), false)::integer)
$function$;
comment on function app_hidden.goal_targets_met(app_public.performance_goals,numeric,numeric,numeric,numeric,numeric,numeric) is 'How many of a goal''s set targets the given actuals reach (actual ≥ target; a target without an actual is not met): the one rule behind goals_met and goal achievement over a range.';
revoke all on function app_hidden.goal_targets_met(app_public.performance_goals,numeric,numeric,numeric,numeric,numeric,numeric) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_hidden.goal_targets_met(app_public.performance_goals,numeric,numeric,numeric,numeric,numeric,numeric) to app_worker;

create or replace function app_private.recount_goals(goal_ids uuid[])
 returns integer
 language plpgsql
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
declare
  n integer;
begin
  with computed as (
    select g.id, g.agent_email, g.goal_period, g.period_start_date, g.period_end_date, g.total_goals, g.goals_met as old_goals_met,
           g.achievement_notified_at, a.*,
           app_hidden.goal_targets_met(g, a.calls_per_day, a.talk_time_pct, a.fcr_pct, a.csat_avg, a.appointment_conversion_pct, a.quality_score_avg) as goals_met
      from app_public.performance_goals g
     cross join lateral app_hidden.goal_actuals(g.agent_email, g.period_start_date, least(g.period_end_date, app_hidden.business_day(now()))) a
     where g.id = any (goal_ids)
  ), judged as (
    -- GOAL_ACHIEVEMENT_NOTIFICATIONS=false: nothing is queued, and the goal stays un-notified.
    select c.*, (c.total_goals > 0 and c.goals_met = c.total_goals and c.achievement_notified_at is null
                 and app_hidden.goal_notifications_enabled()) as newly_achieved from computed c
  ), updated as (
    update app_public.performance_goals g
       set calls_per_day_actual = j.calls_per_day, talk_time_percentage_actual = j.talk_time_pct, first_call_resolution_actual = j.fcr_pct,
           customer_satisfaction_actual = j.csat_avg, appointment_conversion_actual = j.appointment_conversion_pct,
           quality_score_actual = j.quality_score_avg, goals_met = j.goals_met,
           achievement_notified_at = case when j.newly_achieved then now() else g.achievement_notified_at end
      from judged j
     where g.id = j.id
       and (g.calls_per_day_actual, g.talk_time_percentage_actual, g.first_call_resolution_actual, g.customer_satisfaction_actual,
            g.appointment_conversion_actual, g.quality_score_actual, g.goals_met, j.newly_achieved)
           is distinct from (j.calls_per_day, j.talk_time_pct, j.fcr_pct, j.csat_avg, j.appointment_conversion_pct, j.quality_score_avg, j.goals_met, false)
    returning g.id, j.agent_email, j.goal_period, j.period_start_date, j.period_end_date, j.newly_achieved, j.old_goals_met <> j.goals_met as met_changed
  ), notified as (
    insert into app_public.notifications (user_id, notification_type, title, body, data, dedupe_key)
    select u.id, 'goal_achieved', 'Every goal met',
           format('You met every target of your %s goal for %s to %s.', x.goal_period, x.period_start_date, x.period_end_date),
           jsonb_build_object('goal_id', x.id, 'period_start_date', x.period_start_date, 'period_end_date', x.period_end_date),
           'goal_achieved:' || x.id
      from updated x join app_public.users u on u.email = x.agent_email
     where x.newly_achieved
    on conflict (user_id, dedupe_key) do nothing
  ), team_days as (
    -- Whether the person meets their goals changes the team rows of every day of the period so far.
    insert into app_private.kpi_stale_team_days (business_day)
    select distinct d::date from updated x
     cross join generate_series(greatest(x.period_start_date, app_hidden.business_day(now()) - 400), least(x.period_end_date, app_hidden.business_day(now())), interval '1 day') d
     where x.met_changed
    on conflict do nothing
  )
  select count(*) into n from updated;
  return n;
end;
$function$;
comment on function app_private.recount_goals(uuid[]) is 'Recounts the actuals, goals met and achievement of the given goals; queues the "every goal met" notification the first time (never twice; none while GOAL_ACHIEVEMENT_NOTIFICATIONS is false); marks the team days whose goal counts change. Returns the goals that changed.';
revoke all on function app_private.recount_goals(uuid[]) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_private.recount_goals(uuid[]) to app_worker;
--! EndIncluded kpi/recount-goals.sql
--! Included goals/goal-rules.sql
-- The rules of a goal, whichever way it is written (setGoal, updateGoal, the
-- generated mutations, a script): its status moves only forward, and one agent
-- has at most one active goal of a period (daily, weekly, ...) on any day.
create or replace function app_hidden.goal_status_move_allowed(old_status text, new_status text)
 returns boolean
 language sql
 immutable
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
  select old_status = new_status
      or (old_status = 'active' and new_status in ('paused', 'completed', 'revised'))
      or (old_status = 'paused' and new_status in ('active', 'completed', 'revised'))
$function$;
comment on function app_hidden.goal_status_move_allowed(text, text) is 'A goal''s status moves: active ↔ paused; active or paused → completed or revised (replaced by another goal); completed and revised are final.';
revoke all on function app_hidden.goal_status_move_allowed(text, text) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_hidden.goal_status_move_allowed(text, text) to app_visitor, app_worker;

create or replace function app_private.tg_performance_goals__rules()
 returns trigger
 language plpgsql
 security definer
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
declare
  other app_public.performance_goals;
begin
  if tg_op = 'UPDATE' and not app_hidden.goal_status_move_allowed(old.goal_status, new.goal_status) then
    raise exception 'A % goal cannot become %: active and paused goals may be paused, resumed, completed or revised; completed and revised goals are final.',
      old.goal_status, new.goal_status using errcode = 'CC902', column = 'goal_status';
  end if;
  if new.goal_status = 'active'
     and (tg_op = 'INSERT' or old.goal_status <> 'active' or (new.agent_email, new.goal_period, new.period_start_date, new.period_end_date)
                                                                is distinct from (old.agent_email, old.goal_period, old.period_start_date, old.period_end_date)) then
    -- One writer at a time per agent: two overlapping goals set at once cannot both pass.
    perform pg_advisory_xact_lock(hashtext('performance_goals:' || lower(new.agent_email::text)));
    select g.* into other from app_public.performance_goals g
     where g.agent_email = new.agent_email and g.goal_period = new.goal_period and g.goal_status = 'active' and g.id <> new.id
       and g.period_start_date <= new.period_end_date and g.period_end_date >= new.period_start_date
     order by g.period_start_date limit 1;
    if found then
      raise exception '% already has an active % goal for % to %, which overlaps % to %: pause, complete or revise it first.',
        new.agent_email, new.goal_period, other.period_start_date, other.period_end_date, new.period_start_date, new.period_end_date
        using errcode = 'CC901', column = 'period_start_date';
    end if;
  end if;
  return new;
end;
$function$;
comment on function app_private.tg_performance_goals__rules() is 'Refuses a status move that is not allowed (CC902) and a second active goal of the same period for an agent on overlapping days (CC901).';
revoke all on function app_private.tg_performance_goals__rules() from public, app_visitor, app_worker, app_analyst, app_authenticator;
--! EndIncluded goals/goal-rules.sql
--! Included goals/goal-history.sql
-- Every goal keeps its change history (performance_goal_changes): written here,
-- for every way a goal is set or changed. A reason comes with the change as the
-- transaction setting app.goal_change_reason (setGoal and updateGoal set it).
create or replace function app_private.tg_performance_goals__history()
 returns trigger
 language plpgsql
 security definer
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
declare
  tracked constant text[] := array['agent_email', 'goal_period', 'period_start_date', 'period_end_date', 'calls_per_day_target',
                                   'talk_time_percentage_target', 'first_call_resolution_target', 'customer_satisfaction_target',
                                   'appointment_conversion_target', 'quality_score_target'];
  n jsonb := to_jsonb(new);
  o jsonb := case when tg_op = 'UPDATE' then to_jsonb(old) end;
  old_values jsonb := '{}';
  new_values jsonb;
begin
  if tg_op = 'INSERT' then
    new_values := (select jsonb_object_agg(k, n -> k) from unnest(tracked) k where k <> 'agent_email');
  else
    old_values := coalesce((select jsonb_object_agg(k, o -> k) from unnest(tracked) k where (o -> k) is distinct from (n -> k)), '{}');
    new_values := coalesce((select jsonb_object_agg(k, n -> k) from unnest(tracked) k where (o -> k) is distinct from (n -> k)), '{}');
    if new_values = '{}' and old.goal_status = new.goal_status then
      return null; -- actuals, notes, review marks: not a change of the goal itself
    end if;
  end if;
  insert into app_public.performance_goal_changes (goal_id, changed_by, change, old_goal_status, new_goal_status, old_values, new_values, reason)
  values (new.id, (select u.email from app_public.users u where u.email = auth.email()::citext),
          case tg_op when 'INSERT' then 'set' else 'update' end,
          case tg_op when 'UPDATE' then old.goal_status end, new.goal_status, old_values, new_values,
          nullif(btrim(current_setting('app.goal_change_reason', true)), ''));
  return null;
end;
$function$;
comment on function app_private.tg_performance_goals__history() is 'Writes a goal''s change history: on set, its targets, period and status; on a change of targets, period, agent or status, the fields before and after; with who, when and the reason given (app.goal_change_reason).';
revoke all on function app_private.tg_performance_goals__history() from public, app_visitor, app_worker, app_analyst, app_authenticator;
--! EndIncluded goals/goal-history.sql
--! Included goals/set-goal.sql
-- Setting a goal for one agent (POST /api/goals/set): manageGoals, for an
-- active agent of the directory you may set goals for (supervisors: their
-- locations' people; managers: everyone), at least one target. The period's
-- last day follows from its kind when not given. Overlaps are the goals' own
-- rule (goal-rules.sql, CC901).
create or replace function app_hidden.goal_period_end(goal_period text, period_start_date date)
 returns date
 language sql
 immutable
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
  select case goal_period
           when 'daily' then period_start_date
           when 'weekly' then period_start_date + 6
           when 'monthly' then (period_start_date + interval '1 month')::date - 1
           when 'quarterly' then (period_start_date + interval '3 months')::date - 1
         end
$function$;
comment on function app_hidden.goal_period_end(text, date) is 'The last day of a period of that kind starting on that day: the same day, 6 days later, a month or three months later less a day.';
revoke all on function app_hidden.goal_period_end(text, date) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_hidden.goal_period_end(text, date) to app_visitor;

create or replace function app_hidden.goal_agent(agent text)
 returns citext
 language sql
 stable security definer
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
  select a.user_email from app_public.agents a
   where a.is_active and a.user_email is not null
     and (a.extension = agent or (strpos(agent, '@') > 0 and a.user_email = agent::citext))
     and (app_hidden.sees_all() or a.user_email = any (app_hidden.visible_people()))
   order by a.extension
   limit 1
$function$;
comment on function app_hidden.goal_agent(text) is 'The email of an active agent of the directory, named by email or extension, whose goals the person asking may see (NULL when none).';
revoke all on function app_hidden.goal_agent(text) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_hidden.goal_agent(text) to app_visitor;

create or replace function app_hidden.check_goal_input(reason text, targets numeric[])
 returns void
 language plpgsql
 immutable
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
begin
  if targets is not null and not exists (select 1 from unnest(targets) t where t is not null) then
    raise exception 'Set at least one target (calls per day, talk time, first-call resolution, satisfaction, appointment conversion or quality score).'
      using errcode = 'CC905', column = 'targets';
  end if;
  if length(reason) > 1000 then
    raise exception 'A reason is at most 1000 characters.' using errcode = 'CC907', column = 'reason';
  end if;
end;
$function$;
comment on function app_hidden.check_goal_input(text, numeric[]) is 'Raises CC905 when none of the targets given is set, CC907 for a reason over 1000 characters.';
revoke all on function app_hidden.check_goal_input(text, numeric[]) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_hidden.check_goal_input(text, numeric[]) to app_visitor;

create or replace function app_public.set_goal(agent text, goal_period text, period_start_date date, period_end_date date default null,
                                               calls_per_day_target integer default null, talk_time_pct_target numeric default null,
                                               first_call_resolution_target numeric default null, customer_satisfaction_target numeric default null,
                                               appointment_conversion_target numeric default null, quality_score_target numeric default null,
                                               development_areas text[] default null, coaching_focus text default null,
                                               improvement_plan text default null, reason text default null)
 returns app_public.performance_goals
 language plpgsql
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
declare
  email citext;
  g app_public.performance_goals;
begin
  perform app_hidden.require_permission('manageGoals');
  if agent is null then
    raise exception 'agent is required: the agent''s email or extension.' using errcode = 'CC904', column = 'agent';
  end if;
  email := app_hidden.goal_agent(agent);
  if email is null then
    raise exception 'No active agent with email or extension % that you may set goals for.', agent using errcode = 'CC904', column = 'agent';
  end if;
  perform app_hidden.check_goal_input(reason, array[calls_per_day_target, talk_time_pct_target, first_call_resolution_target,
                                                    customer_satisfaction_target, appointment_conversion_target, quality_score_target]);
  perform set_config('app.goal_change_reason', coalesce(reason, ''), true);
  insert into app_public.performance_goals as p (agent_email, goal_period, period_start_date, period_end_date, calls_per_day_target,
                                                 talk_time_percentage_target, first_call_resolution_target, customer_satisfaction_target,
                                                 appointment_conversion_target, quality_score_target, development_areas, coaching_focus,
                                                 improvement_plan)
  values (email, set_goal.goal_period, set_goal.period_start_date,
          coalesce(set_goal.period_end_date, app_hidden.goal_period_end(set_goal.goal_period, set_goal.period_start_date)),
          set_goal.calls_per_day_target, set_goal.talk_time_pct_target, set_goal.first_call_resolution_target,
          set_goal.customer_satisfaction_target, set_goal.appointment_conversion_target, set_goal.quality_score_target,
          set_goal.development_areas, set_goal.coaching_focus, set_goal.improvement_plan)
  returning p.* into g;
  perform set_config('app.goal_change_reason', '', true);
  return g;
end;
$function$;
comment on function app_public.set_goal(text, text, date, date, integer, numeric, numeric, numeric, numeric, numeric, text[], text, text, text) is 'Sets a goal for an agent (email or extension; an active agent you may set goals for): its period (the last day follows from goalPeriod when not given) and at least one target. Refused: without manageGoals (FORBIDDEN), an unknown agent (CC904), no target (CC905), an active goal of the same period overlapping it (CC901). The change history starts with it.';
revoke all on function app_public.set_goal(text, text, date, date, integer, numeric, numeric, numeric, numeric, numeric, text[], text, text, text) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_public.set_goal(text, text, date, date, integer, numeric, numeric, numeric, numeric, numeric, text[], text, text, text) to app_visitor;
--! EndIncluded goals/set-goal.sql
--! Included goals/update-goal.sql
-- Changing a goal (PUT /api/goals/{id}/update): its targets, last day, status
-- (paused, resumed, completed, revised) and coaching notes, with a reason for
-- the history. An argument left out keeps its value. The goal's own rules
-- refuse an illegal status move (CC902) and an overlap (CC901).
create or replace function app_public.update_goal(goal_id uuid, calls_per_day_target integer default null, talk_time_pct_target numeric default null,
                                                  first_call_resolution_target numeric default null, customer_satisfaction_target numeric default null,
                                                  appointment_conversion_target numeric default null, quality_score_target numeric default null,
                                                  goal_status text default null, period_end_date date default null,
                                                  development_areas text[] default null, coaching_focus text default null,
                                                  improvement_plan text default null, recognition_earned text[] default null,
                                                  reason text default null)
 returns app_public.performance_goals
 language plpgsql
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
declare
  g app_public.performance_goals;
begin
  perform app_hidden.require_permission('manageGoals');
  select p.* into g from app_public.performance_goals p where p.id = update_goal.goal_id;
  if not found then
    raise exception 'No goal % that you may see.', coalesce(update_goal.goal_id::text, '(none given)') using errcode = 'CC903', column = 'goal_id';
  end if;
  if num_nonnulls(calls_per_day_target, talk_time_pct_target, first_call_resolution_target, customer_satisfaction_target,
                  appointment_conversion_target, quality_score_target, goal_status, period_end_date, development_areas,
                  coaching_focus, improvement_plan, recognition_earned) = 0 then
    raise exception 'Nothing to change: give a target, the status, the last day or coaching notes.' using errcode = 'CC908';
  end if;
  perform app_hidden.check_goal_input(reason, null);
  perform set_config('app.goal_change_reason', coalesce(reason, ''), true);
  update app_public.performance_goals p set
    calls_per_day_target = coalesce(update_goal.calls_per_day_target, p.calls_per_day_target),
    talk_time_percentage_target = coalesce(update_goal.talk_time_pct_target, p.talk_time_percentage_target),
    first_call_resolution_target = coalesce(update_goal.first_call_resolution_target, p.first_call_resolution_target),
    customer_satisfaction_target = coalesce(update_goal.customer_satisfaction_target, p.customer_satisfaction_target),
    appointment_conversion_target = coalesce(update_goal.appointment_conversion_target, p.appointment_conversion_target),
    quality_score_target = coalesce(update_goal.quality_score_target, p.quality_score_target),
    goal_status = coalesce(update_goal.goal_status, p.goal_status),
    period_end_date = coalesce(update_goal.period_end_date, p.period_end_date),
    development_areas = coalesce(update_goal.development_areas, p.development_areas),
    coaching_focus = coalesce(update_goal.coaching_focus, p.coaching_focus),
    improvement_plan = coalesce(update_goal.improvement_plan, p.improvement_plan),
    recognition_earned = coalesce(update_goal.recognition_earned, p.recognition_earned),
    last_reviewed_at = now(),
    reviewed_by = (select u.email from app_public.users u where u.email = auth.email()::citext)
   where p.id = update_goal.goal_id
  returning p.* into g;
  if not found then
    -- Visible (the agent is yours, or you set it) but not yours to change any more.
    raise exception 'You may see goal % but not change it: it belongs to an agent outside your locations.', update_goal.goal_id using errcode = '42501';
  end if;
  perform set_config('app.goal_change_reason', '', true);
  return g;
end;
$function$;
comment on function app_public.update_goal(uuid, integer, numeric, numeric, numeric, numeric, numeric, text, date, text[], text, text, text[], text) is 'Changes a goal: targets, status (active, paused, completed, revised), last day, coaching notes; what is left out keeps its value. Marks it reviewed by you now and keeps the change with its reason in the history. Refused: without manageGoals (FORBIDDEN), a goal you may not see (CC903), nothing to change (CC908), an illegal status move (CC902: completed and revised are final), an overlap with another active goal of the period (CC901).';
revoke all on function app_public.update_goal(uuid, integer, numeric, numeric, numeric, numeric, numeric, text, date, text[], text, text, text[], text) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_public.update_goal(uuid, integer, numeric, numeric, numeric, numeric, numeric, text, date, text[], text, text, text[], text) to app_visitor;
--! EndIncluded goals/update-goal.sql
--! Included goals/team-goals.sql
-- Team goals (POST /api/goals/team-goals): one goal per active agent of a
-- location, in one call, linked by one team_goal_id. All or nothing: an
-- agent with an overlapping active goal refuses the whole call (CC901).
create or replace function app_public.set_team_goals(location text, goal_period text, period_start_date date, period_end_date date default null,
                                                     calls_per_day_target integer default null, talk_time_pct_target numeric default null,
                                                     first_call_resolution_target numeric default null, customer_satisfaction_target numeric default null,
                                                     appointment_conversion_target numeric default null, quality_score_target numeric default null,
                                                     development_areas text[] default null, coaching_focus text default null,
                                                     improvement_plan text default null, reason text default null)
 returns setof app_public.performance_goals
 language plpgsql
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
declare
  team uuid := gen_random_uuid();
  members citext[];
begin
  perform app_hidden.require_permission('manageGoals');
  if location is null then
    raise exception 'location is required: the location whose agents get the goal.' using errcode = 'CC715', column = 'location';
  end if;
  perform app_hidden.check_known_queue_and_location(null, location);
  if not (app_hidden.sees_all() or location = any (app_hidden.team_locations())) then
    raise exception 'You may set team goals only for your own locations; % is not one of them.', location using errcode = '42501';
  end if;
  perform app_hidden.check_goal_input(reason, array[calls_per_day_target, talk_time_pct_target, first_call_resolution_target,
                                                    customer_satisfaction_target, appointment_conversion_target, quality_score_target]);
  members := app_hidden.location_agents(location);
  if cardinality(members) = 0 then
    raise exception '% has no active agents to set goals for.', location using errcode = 'CC906', column = 'location';
  end if;
  perform set_config('app.goal_change_reason', coalesce(reason, ''), true);
  return query
  insert into app_public.performance_goals as p (agent_email, goal_period, period_start_date, period_end_date, calls_per_day_target,
                                                 talk_time_percentage_target, first_call_resolution_target, customer_satisfaction_target,
                                                 appointment_conversion_target, quality_score_target, development_areas, coaching_focus,
                                                 improvement_plan, team_goal_id)
  select m, set_team_goals.goal_period, set_team_goals.period_start_date,
         coalesce(set_team_goals.period_end_date, app_hidden.goal_period_end(set_team_goals.goal_period, set_team_goals.period_start_date)),
         set_team_goals.calls_per_day_target, set_team_goals.talk_time_pct_target, set_team_goals.first_call_resolution_target,
         set_team_goals.customer_satisfaction_target, set_team_goals.appointment_conversion_target, set_team_goals.quality_score_target,
         set_team_goals.development_areas, set_team_goals.coaching_focus, set_team_goals.improvement_plan, team
    from unnest(members) m
   order by m
  returning p.*;
  perform set_config('app.goal_change_reason', '', true);
end;
$function$;
comment on function app_public.set_team_goals(text, text, date, date, integer, numeric, numeric, numeric, numeric, numeric, text[], text, text, text) is 'Sets the same goal for every active agent of a location (the directory''s agents whose location it is), one goal each, linked by one teamGoalId; all or nothing. Refused: without manageGoals or for a location not yours (FORBIDDEN), an unknown location (CC715), no target (CC905), a location without active agents (CC906), an agent with an overlapping active goal of the period (CC901, naming them).';
revoke all on function app_public.set_team_goals(text, text, date, date, integer, numeric, numeric, numeric, numeric, numeric, text[], text, text, text) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_public.set_team_goals(text, text, date, date, integer, numeric, numeric, numeric, numeric, numeric, text[], text, text, text) to app_visitor;

create or replace function app_hidden.location_agents(location text)
 returns citext[]
 language sql
 stable security definer
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
  select coalesce(array_agg(distinct a.user_email order by a.user_email), '{}') from app_public.agents a
   where a.is_active and a.user_email is not null and a.location_name = location_agents.location
     and (app_hidden.sees_all() or a.user_email = any (app_hidden.visible_people()))
$function$;
comment on function app_hidden.location_agents(text) is 'Emails of the active agents of a location (the directory), among the people the person asking may see.';
revoke all on function app_hidden.location_agents(text) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_hidden.location_agents(text) to app_visitor;
--! EndIncluded goals/team-goals.sql
--! Included goals/goal-achievement.sql
-- Goal achievement over any range (GET /api/goals/achievement): each goal
-- overlapping the range, measured by the KPI engine's goal actuals
-- (app_hidden.goal_actuals) over the days of the range inside its period, up
-- to today, and judged by the same rule as the stored goals_met
-- (app_hidden.goal_targets_met). Goals as their row rules show them: your
-- own, your locations' people's (viewTeamPerformance), the ones you set,
-- everyone's (viewAllPerformance). A location filter needs
-- viewTeamPerformance.
create or replace function app_hidden.goal_achievement_rows(from_day date, to_day date, agent_email citext, location text, team_goal_id uuid)
 returns setof app_public.goal_achievements
 language sql
 stable security definer
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
  with me as (
    select app_hidden.sees_all() as all_people, app_hidden.visible_people() as people, auth.email()::citext as email
  ), home as (
    -- One home location per person (their active directory entries), as the team figures take it.
    select distinct on (a.user_email) a.user_email as email, a.location_name as location
      from app_public.agents a where a.is_active and a.user_email is not null
     order by a.user_email, a.extension
  ), goals as (
    select g, h.location, u.full_name,
           greatest(goal_achievement_rows.from_day, g.period_start_date) as measured_from,
           least(goal_achievement_rows.to_day, g.period_end_date, app_hidden.business_day(now())) as measured_to
      from app_public.performance_goals g
      cross join me
      left join home h on h.email = g.agent_email
      left join app_public.users u on u.email = g.agent_email
     where g.period_start_date <= goal_achievement_rows.to_day and g.period_end_date >= goal_achievement_rows.from_day
       and (me.all_people or g.agent_email = any (me.people) or g.created_by = me.email)
       and (goal_achievement_rows.agent_email is null or g.agent_email = goal_achievement_rows.agent_email)
       and (goal_achievement_rows.location is null or h.location = goal_achievement_rows.location)
       and (goal_achievement_rows.team_goal_id is null or g.team_goal_id = goal_achievement_rows.team_goal_id)
  )
  select (x.g).id, (x.g).agent_email, x.full_name, x.location, (x.g).goal_period, (x.g).period_start_date, (x.g).period_end_date,
         (x.g).goal_status, (x.g).team_goal_id, x.measured_from, x.measured_to,
         (x.g).calls_per_day_target, a.calls_per_day, (x.g).talk_time_percentage_target, a.talk_time_pct,
         (x.g).first_call_resolution_target, a.fcr_pct, (x.g).customer_satisfaction_target, a.csat_avg,
         (x.g).appointment_conversion_target, a.appointment_conversion_pct, (x.g).quality_score_target, a.quality_score_avg,
         m.met, (x.g).total_goals,
         case when (x.g).total_goals > 0 then round(m.met * 100.0 / (x.g).total_goals, 2) end,
         (x.g).total_goals > 0 and m.met = (x.g).total_goals
    from goals x
    -- A goal that starts after today has no day measured yet: no actuals.
    left join lateral app_hidden.goal_actuals((x.g).agent_email, x.measured_from, x.measured_to) a on x.measured_from <= x.measured_to
   cross join lateral (select app_hidden.goal_targets_met(x.g, a.calls_per_day, a.talk_time_pct, a.fcr_pct, a.csat_avg,
                                                          a.appointment_conversion_pct, a.quality_score_avg) as met) m
   order by (x.g).agent_email, (x.g).period_start_date, (x.g).goal_period, (x.g).id
$function$;
comment on function app_hidden.goal_achievement_rows(date, date, citext, text, uuid) is 'goal_achievement''s rows, for the goals the person asking may see (the goals'' own row rules, applied here because the actuals read figures beyond them).';
revoke all on function app_hidden.goal_achievement_rows(date, date, citext, text, uuid) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_hidden.goal_achievement_rows(date, date, citext, text, uuid) to app_visitor;

create or replace function app_public.goal_achievement(from_day date, to_day date, agent text default null, location text default null,
                                                       team_goal_id uuid default null)
 returns setof app_public.goal_achievements
 language sql
 stable
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
  select app_hidden.check_kpi_range(from_day, to_day, null, location, agent);
  select app_hidden.require_permission('viewTeamPerformance') where location is not null;
  select * from app_hidden.goal_achievement_rows(from_day, to_day,
    -- An agent named by an extension nobody holds matches no goal (the empty email), never every goal.
    case when agent is null then null
         when strpos(agent, '@') > 0 then agent::citext
         else coalesce((select a.user_email from app_public.agents a where a.extension = goal_achievement.agent), '') end,
    location, team_goal_id)
$function$;
comment on function app_public.goal_achievement(date, date, text, text, uuid) is 'Goal achievement over a range of business days (at most 366): each goal overlapping it, with its targets, the actuals of the days of the range inside its period (up to today), goals met and achievement; optionally one agent (email or extension), one location''s agents (needs viewTeamPerformance) or one team goal. Goals as their row rules show them. Errors: CC711–CC716 as for the range figures.';
revoke all on function app_public.goal_achievement(date, date, text, text, uuid) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_public.goal_achievement(date, date, text, text, uuid) to app_visitor;
--! EndIncluded goals/goal-achievement.sql
--! Included access/performance_goal_changes.sql
drop policy if exists select_with_goal on app_public.performance_goal_changes;
create policy select_with_goal on app_public.performance_goal_changes for select to app_visitor
  using (exists (select 1 from app_public.performance_goals g where g.id = goal_id));

revoke all on app_public.performance_goal_changes from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant select on app_public.performance_goal_changes to app_visitor;
grant insert, select on app_public.performance_goal_changes to app_worker;
--! EndIncluded access/performance_goal_changes.sql

--! Included campaigns/campaign-rules.sql
-- The rules of a campaign, whichever way it is written: assigned agents are
-- users and, on a campaign with a location, active agents of it; the status
-- moves planned → active → paused / completed / cancelled, each move kept
-- with who and why; assigned and unassigned agents are notified; its code is
-- kept upper case without the dialling prefix.
create or replace function app_private.tg_call_campaigns__check_agents()
 returns trigger
 language plpgsql
 security definer
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
declare
  unknown citext;
begin
  select a into unknown from unnest(new.assigned_agents) a
  where not exists (select 1 from app_public.users u where u.email = a) limit 1;
  if unknown is not null then
    raise exception 'Assigned agent % is not a user.', unknown using errcode = 'CC101';
  end if;
  -- Agents added (those already on it may stay when they move or leave) must work at the campaign's location.
  if new.location is not null then
    select a into unknown from unnest(new.assigned_agents) a
     where (tg_op = 'INSERT' or a <> all (old.assigned_agents) or new.location is distinct from old.location)
       and not exists (select 1 from app_public.agents d where d.user_email = a and d.is_active and d.location_name = new.location)
     limit 1;
    if unknown is not null then
      raise exception '% is not an active agent of %, the campaign''s location.', unknown, new.location using errcode = 'CC102', column = 'assigned_agents';
    end if;
  end if;
  return new;
end;
$function$;
comment on function app_private.tg_call_campaigns__check_agents() is 'Assigned agents must be users (CC101) and, on a campaign with a location, the agents added must be active agents of that location (CC102).';
revoke all on function app_private.tg_call_campaigns__check_agents() from public, app_visitor, app_worker, app_analyst, app_authenticator;

create or replace function app_hidden.campaign_status_move_allowed(old_status text, new_status text)
 returns boolean
 language sql
 immutable
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
  select old_status = new_status
      or (old_status = 'planned' and new_status in ('active', 'cancelled'))
      or (old_status = 'active' and new_status in ('paused', 'completed', 'cancelled'))
      or (old_status = 'paused' and new_status in ('active', 'completed', 'cancelled'))
$function$;
comment on function app_hidden.campaign_status_move_allowed(text, text) is 'A campaign''s status moves: planned → active or cancelled; active → paused, completed or cancelled; paused → active, completed or cancelled; completed and cancelled are final.';
revoke all on function app_hidden.campaign_status_move_allowed(text, text) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_hidden.campaign_status_move_allowed(text, text) to app_visitor, app_worker;

create or replace function app_hidden.campaign_code(code text)
 returns text
 language sql
 immutable parallel safe
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$ select nullif(upper(regexp_replace(btrim(coalesce(code, '')), '^[*#]+', '')), '') $function$;
comment on function app_hidden.campaign_code(text) is 'A campaign code as stored and compared: without the dialling prefix (*, #) and blanks, upper case; NULL when empty.';
revoke all on function app_hidden.campaign_code(text) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_hidden.campaign_code(text) to app_visitor, app_worker;

create or replace function app_private.tg_call_campaigns__rules()
 returns trigger
 language plpgsql
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
begin
  if tg_op = 'INSERT' and new.campaign_status not in ('planned', 'active') then
    raise exception 'A campaign starts planned or active, not %.', new.campaign_status using errcode = 'CC103', column = 'campaign_status';
  end if;
  if tg_op = 'UPDATE' and not app_hidden.campaign_status_move_allowed(old.campaign_status, new.campaign_status) then
    raise exception 'A % campaign cannot become %: planned → active or cancelled; active → paused, completed or cancelled; paused → active, completed or cancelled.',
      old.campaign_status, new.campaign_status using errcode = 'CC103', column = 'campaign_status';
  end if;
  new.campaign_code := app_hidden.campaign_code(new.campaign_code);
  return new;
end;
$function$;
comment on function app_private.tg_call_campaigns__rules() is 'A campaign starts planned or active and its status moves only as allowed (CC103); its code is stored without the dialling prefix, upper case.';
revoke all on function app_private.tg_call_campaigns__rules() from public, app_visitor, app_worker, app_analyst, app_authenticator;

create or replace function app_private.tg_call_campaigns__status_history()
 returns trigger
 language plpgsql
 security definer
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
begin
  if tg_op = 'UPDATE' and old.campaign_status = new.campaign_status then
    return null;
  end if;
  insert into app_public.call_campaign_status_changes (campaign_id, changed_by, old_status, new_status, reason)
  values (new.id, (select u.email from app_public.users u where u.email = auth.email()::citext),
          case tg_op when 'UPDATE' then old.campaign_status end, new.campaign_status,
          nullif(btrim(current_setting('app.campaign_change_reason', true)), ''));
  return null;
end;
$function$;
comment on function app_private.tg_call_campaigns__status_history() is 'Keeps each campaign status move (and its first status) in call_campaign_status_changes, with who and the reason given (app.campaign_change_reason).';
revoke all on function app_private.tg_call_campaigns__status_history() from public, app_visitor, app_worker, app_analyst, app_authenticator;

create or replace function app_private.tg_call_campaigns__notify_agents()
 returns trigger
 language plpgsql
 security definer
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
begin
  -- One notification per agent and change; the transaction id keeps a later assignment from being taken for this one.
  insert into app_public.notifications (user_id, notification_type, title, body, data, dedupe_key)
  select u.id, x.kind,
         case x.kind when 'campaign_assigned' then 'Assigned to a campaign' else 'Taken off a campaign' end,
         format(case x.kind when 'campaign_assigned' then 'You now work the campaign %s (%s to %s).'
                            else 'You no longer work the campaign %s.' end, new.campaign_name, new.start_date, new.end_date),
         jsonb_build_object('campaign_id', new.id, 'campaign_name', new.campaign_name, 'start_date', new.start_date, 'end_date', new.end_date),
         x.kind || ':' || new.id || ':' || txid_current()
    from (select a as email, 'campaign_assigned' as kind from unnest(new.assigned_agents) a
           where tg_op = 'INSERT' or a <> all (old.assigned_agents)
          union all
          select a, 'campaign_unassigned' from unnest(case tg_op when 'UPDATE' then old.assigned_agents else '{}' end) a
           where a <> all (new.assigned_agents)) x
    join app_public.users u on u.email = x.email
  on conflict (user_id, dedupe_key) do nothing;
  return null;
end;
$function$;
comment on function app_private.tg_call_campaigns__notify_agents() is 'Notifies each agent assigned to a campaign (campaign_assigned) or taken off it (campaign_unassigned), once per change.';
revoke all on function app_private.tg_call_campaigns__notify_agents() from public, app_visitor, app_worker, app_analyst, app_authenticator;

create or replace function app_private.tg_call_campaigns__attribute()
 returns trigger
 language plpgsql
 security definer
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
begin
  perform app_private.attribute_campaign(new.id);
  return null;
end;
$function$;
comment on function app_private.tg_call_campaigns__attribute() is 'When a campaign''s agents, code or dates change, attributes the outbound calls already in that now match it.';
revoke all on function app_private.tg_call_campaigns__attribute() from public, app_visitor, app_worker, app_analyst, app_authenticator;

create or replace function app_hidden.check_campaign(campaign_id uuid)
 returns app_public.call_campaigns
 language plpgsql
 stable
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
declare
  k app_public.call_campaigns;
begin
  select c.* into k from app_public.call_campaigns c where c.id = check_campaign.campaign_id;
  if not found then
    raise exception 'No campaign % that you may see.', coalesce(check_campaign.campaign_id::text, '(none given)') using errcode = 'CC105', column = 'campaign_id';
  end if;
  return k;
end;
$function$;
comment on function app_hidden.check_campaign(uuid) is 'The campaign with that id, as the caller''s row rules show it; CC105 when there is none.';
revoke all on function app_hidden.check_campaign(uuid) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_hidden.check_campaign(uuid) to app_visitor;

create or replace function app_hidden.campaign_agents(location text, agents text[], argument text)
 returns citext[]
 language plpgsql
 stable security definer
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
declare
  found_emails citext[];
  unknown text;
begin
  -- Each agent named (email or extension) must be an active agent of the location (any location when it has none).
  select x into unknown from unnest(agents) x
   where not exists (select 1 from app_public.agents a
                      where a.is_active and a.user_email is not null and (location is null or a.location_name = location)
                        and (a.extension = x or (strpos(x, '@') > 0 and a.user_email = x::citext)))
   limit 1;
  if unknown is not null or array_position(agents, null) is not null then
    raise exception '% is not an active agent of %.', coalesce(unknown, 'An empty value'), coalesce(location, 'the practice')
      using errcode = 'CC102', column = argument;
  end if;
  select coalesce(array_agg(e order by first), '{}') into found_emails
    from (select a.user_email as e, min(x.i) as first
            from unnest(agents) with ordinality x(v, i)
            join app_public.agents a on a.is_active and a.user_email is not null and (location is null or a.location_name = location)
                                    and (a.extension = x.v or (strpos(x.v, '@') > 0 and a.user_email = x.v::citext))
           group by a.user_email) y;
  return found_emails;
end;
$function$;
comment on function app_hidden.campaign_agents(text, text[], text) is 'The emails of the agents named (email or extension), in the order given, each once; CC102 (naming the argument) for one that is not an active agent of the location.';
revoke all on function app_hidden.campaign_agents(text, text[], text) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_hidden.campaign_agents(text, text[], text) to app_visitor;
--! EndIncluded campaigns/campaign-rules.sql
--! Included campaigns/dialled-numbers.sql
-- A campaign's dialled list: patients' numbers, so kept only as keyed hashes
-- (app_hidden.caller_key, the hash callers' numbers get), in
-- app_private.campaign_dialled_numbers. Adding numbers attributes the
-- outbound calls already in that now match.
create or replace function app_hidden.dialled_number_hashes(numbers text[])
 returns bytea[]
 language plpgsql
 stable
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
declare
  bad integer;
begin
  if cardinality(numbers) > 10000 then
    raise exception 'At most 10000 numbers at once; % given.', cardinality(numbers) using errcode = 'CC106', column = 'numbers';
  end if;
  select i into bad from unnest(numbers) with ordinality n(v, i)
   where coalesce(length(app_hidden.normalize_phone(v)), 0) not between 7 and 15 order by i limit 1;
  if bad is not null then
    raise exception 'Number % of the list is not a phone number (7 to 15 digits).', bad using errcode = 'CC106', column = 'numbers';
  end if;
  return array(select distinct app_hidden.caller_key(v) from unnest(numbers) v);
end;
$function$;
comment on function app_hidden.dialled_number_hashes(text[]) is 'The keyed hashes of a dialled list (CC106 for a value that is not a phone number, or more than 10000 at once; the message gives its position, never the value).';
revoke all on function app_hidden.dialled_number_hashes(text[]) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_hidden.dialled_number_hashes(text[]) to app_visitor;

create or replace function app_private.add_dialled_numbers(campaign_id uuid, hashes bytea[])
 returns integer
 language plpgsql
 security definer
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
declare
  n integer;
begin
  insert into app_private.campaign_dialled_numbers (campaign_id, number_hash, added_by)
  select add_dialled_numbers.campaign_id, h, auth.email()::citext from unnest(hashes) h
  on conflict do nothing;
  get diagnostics n = row_count;
  if n > 0 then
    perform app_private.attribute_campaign(add_dialled_numbers.campaign_id);
  end if;
  return n;
end;
$function$;
comment on function app_private.add_dialled_numbers(uuid, bytea[]) is 'Adds hashes to a campaign''s dialled list and attributes the calls already in that now match; returns how many were new.';
revoke all on function app_private.add_dialled_numbers(uuid, bytea[]) from public, app_visitor, app_worker, app_analyst, app_authenticator;

create or replace function app_public.add_campaign_numbers(campaign_id uuid, numbers text[])
 returns integer
 language plpgsql
 security definer
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
begin
  perform app_hidden.require_permission('manageCampaigns');
  perform app_hidden.check_campaign(add_campaign_numbers.campaign_id);
  return app_private.add_dialled_numbers(add_campaign_numbers.campaign_id, app_hidden.dialled_number_hashes(numbers));
end;
$function$;
comment on function app_public.add_campaign_numbers(uuid, text[]) is 'Adds patients'' numbers to a campaign''s dialled list (kept only as keyed hashes); outbound calls to them by its agents while it is active belong to it, those already in included. Returns how many were new. Needs manageCampaigns; CC105 for an unknown campaign, CC106 for a value that is not a phone number.';
revoke all on function app_public.add_campaign_numbers(uuid, text[]) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_public.add_campaign_numbers(uuid, text[]) to app_visitor;

create or replace function app_public.remove_campaign_numbers(campaign_id uuid, numbers text[])
 returns integer
 language plpgsql
 security definer
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
declare
  n integer;
begin
  perform app_hidden.require_permission('manageCampaigns');
  perform app_hidden.check_campaign(remove_campaign_numbers.campaign_id);
  delete from app_private.campaign_dialled_numbers d
   where d.campaign_id = remove_campaign_numbers.campaign_id and d.number_hash = any (app_hidden.dialled_number_hashes(numbers));
  get diagnostics n = row_count;
  return n;
end;
$function$;
comment on function app_public.remove_campaign_numbers(uuid, text[]) is 'Takes numbers off a campaign''s dialled list (calls already attributed stay with it). Returns how many were on it. Needs manageCampaigns.';
revoke all on function app_public.remove_campaign_numbers(uuid, text[]) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_public.remove_campaign_numbers(uuid, text[]) to app_visitor;

create or replace function app_public.call_campaigns_dialled_number_count(k app_public.call_campaigns)
 returns integer
 language sql
 stable security definer
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$ select count(*)::integer from app_private.campaign_dialled_numbers d where d.campaign_id = k.id $function$;
comment on function app_public.call_campaigns_dialled_number_count(app_public.call_campaigns) is 'How many numbers the campaign''s dialled list holds (the numbers themselves are kept only as keyed hashes).';
revoke all on function app_public.call_campaigns_dialled_number_count(app_public.call_campaigns) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_public.call_campaigns_dialled_number_count(app_public.call_campaigns) to app_visitor;
--! EndIncluded campaigns/dialled-numbers.sql
--! Included campaigns/attribution.sql
-- Which campaign an outbound call belongs to. A call an attempt was logged
-- for belongs to that attempt's campaign. Otherwise, by rule: an outbound
-- call of an assigned agent, made on a day of the campaign while it was
-- active (its status history), that dialled the campaign's code (3CX billing
-- code) or a number of its dialled list (keyed hashes compared with the
-- call's caller_number_hash, which on an outbound call is the party called).
-- A call keeps the campaign it was given (by rule or by a supervisor).
-- Run for the calls of each ingested batch, and for a campaign when its
-- agents, code, dates or list change.
create or replace function app_private.campaign_active_at(campaign_id uuid, at timestamptz)
 returns boolean
 language sql
 stable
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
  select coalesce((select h.new_status = 'active' from app_public.call_campaign_status_changes h
                    where h.campaign_id = campaign_active_at.campaign_id and h.changed_at <= campaign_active_at.at
                    order by h.changed_at desc limit 1), false)
$function$;
comment on function app_private.campaign_active_at(uuid, timestamptz) is 'Whether the campaign was active at that moment (its last status move before it was to active).';
revoke all on function app_private.campaign_active_at(uuid, timestamptz) from public, app_visitor, app_worker, app_analyst, app_authenticator;

create or replace function app_private.outbound_calls(call_ids uuid[])
 returns table(id uuid, call_start_time timestamptz, agent_email citext, number_hash bytea, campaign_code text, campaign_id uuid)
 language sql
 stable
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
  -- The agent who dialled: the call's agent when the other side answered, else its first leg's.
  select c.id, c.call_start_time, coalesce(c.agent_email, l.agent_email), c.caller_number_hash, c.campaign_code, c.campaign_id
    from app_public.call_center_records c
    left join lateral (select x.agent_email from app_public.call_legs x
                        where x.call_record_id = c.id and x.agent_email is not null order by x.started_at, x.leg_key limit 1) l on c.agent_email is null
   where c.id = any (call_ids) and c.call_direction = 'outbound'
$function$;
comment on function app_private.outbound_calls(uuid[]) is 'The outbound calls among the given ones, with the agent who dialled (the answering agent, else the first leg''s), the hash of the number called, the code dialled and the campaign.';
revoke all on function app_private.outbound_calls(uuid[]) from public, app_visitor, app_worker, app_analyst, app_authenticator;

create or replace function app_private.attribute_campaign_calls(call_ids uuid[])
 returns integer
 language plpgsql
 security definer
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
declare
  linked_calls integer := 0;
  ruled_calls integer := 0;
begin
  if cardinality(call_ids) is not distinct from 0
     or not exists (select 1 from app_public.call_campaign_status_changes h where h.new_status = 'active') then
    return 0;
  end if;
  -- Attempts logged before their call came in: the agent's call to that number nearest in time (within 2 hours), one call each.
  with c as (
    select * from app_private.outbound_calls(call_ids) o where o.number_hash is not null
  ), pairs as (
    select distinct on (c.id) c.id as call_id, a.id as attempt_id, a.campaign_id
      from c join app_public.campaign_call_attempts a
        on a.call_record_id is null and a.called_number_hash = c.number_hash and a.agent_email = c.agent_email
       and a.attempted_at between c.call_start_time - interval '2 hours' and c.call_start_time + interval '2 hours'
       and (c.campaign_id is null or c.campaign_id = a.campaign_id)
     where not exists (select 1 from app_public.campaign_call_attempts b where b.call_record_id = c.id)
     order by c.id, abs(extract(epoch from a.attempted_at - c.call_start_time)), a.id
  ), one_each as (
    select distinct on (p.attempt_id) p.* from pairs p order by p.attempt_id, p.call_id
  ), linked as (
    update app_public.campaign_call_attempts a set call_record_id = o.call_id from one_each o where a.id = o.attempt_id
    returning o.call_id, o.campaign_id
  )
  update app_public.call_center_records r set campaign_id = l.campaign_id from linked l where r.id = l.call_id and r.campaign_id is null;
  get diagnostics linked_calls = row_count;

  -- By rule.
  with c as (
    select * from app_private.outbound_calls(call_ids) o where o.campaign_id is null and o.agent_email is not null
  ), matched as (
    select distinct on (c.id) c.id, k.id as campaign_id
      from c join app_public.call_campaigns k
        on c.agent_email = any (k.assigned_agents)
       and app_hidden.business_day(c.call_start_time) between k.start_date and k.end_date
     where ((k.campaign_code is not null and c.campaign_code = k.campaign_code)
            or exists (select 1 from app_private.campaign_dialled_numbers d where d.campaign_id = k.id and d.number_hash = c.number_hash))
       and app_private.campaign_active_at(k.id, c.call_start_time)
     -- A code dialled names its campaign more surely than a number on a list.
     order by c.id, (c.campaign_code is not distinct from k.campaign_code) desc, k.start_date desc, k.id
  )
  update app_public.call_center_records r set campaign_id = x.campaign_id from matched x where r.id = x.id and r.campaign_id is null;
  get diagnostics ruled_calls = row_count;
  return linked_calls + ruled_calls;
end;
$function$;
comment on function app_private.attribute_campaign_calls(uuid[]) is 'Links logged attempts to the outbound calls among the given ones (the agent''s call to that number within 2 hours) and gives each such call its attempt''s campaign; gives the other outbound calls of assigned agents the campaign they match by rule (its code dialled, or a number of its dialled list, on one of its days while it was active). A call''s campaign is never changed. Returns the calls given a campaign.';
revoke all on function app_private.attribute_campaign_calls(uuid[]) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_private.attribute_campaign_calls(uuid[]) to app_worker;

create or replace function app_private.attribute_campaign(campaign_id uuid)
 returns integer
 language sql
 security definer
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
  -- The outbound calls of its agents on its days that have no campaign yet (through their legs: an unanswered call has no agent of its own).
  select app_private.attribute_campaign_calls(array(
    select distinct l.call_record_id
      from app_public.call_campaigns k
      join app_public.call_legs l on l.agent_email = any (k.assigned_agents)
       and l.started_at >= app_hidden.business_day_start(k.start_date) and l.started_at < app_hidden.business_day_start(k.end_date + 1)
      join app_public.call_center_records c on c.id = l.call_record_id and c.call_direction = 'outbound' and c.campaign_id is null
     where k.id = attribute_campaign.campaign_id))
$function$;
comment on function app_private.attribute_campaign(uuid) is 'Attributes the outbound calls already in that now match a campaign (its agents'' calls on its days without a campaign); returns how many.';
revoke all on function app_private.attribute_campaign(uuid) from public, app_visitor, app_worker, app_analyst, app_authenticator;
--! EndIncluded campaigns/attribution.sql
--! Included campaigns/performance.sql
-- How a campaign does, computed, never typed in (kpi-definitions.md,
-- Campaigns): an attempt is each logged attempt, and each outbound call
-- attributed to the campaign that no logged attempt names; completed when it
-- reached the person (a logged outcome that reached them; an unlogged call
-- that was answered); successful when the outcome is the one wanted (a
-- logged successful outcome; an unlogged call with an appointment
-- scheduled). conversion = successful / completed × 100.
create or replace function app_private.campaign_units(campaign_ids uuid[], from_day date default null, to_day date default null)
 returns table(campaign_id uuid, business_day date, agent_email citext, completed boolean, successful boolean, logged boolean)
 language sql
 stable
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
  select a.campaign_id, app_hidden.business_day(a.attempted_at), a.agent_email, a.reached, a.successful, true
    from app_public.campaign_call_attempts a
   where a.campaign_id = any (campaign_ids)
     and (from_day is null or a.attempted_at >= app_hidden.business_day_start(from_day))
     and (to_day is null or a.attempted_at < app_hidden.business_day_start(to_day + 1))
  union all
  select o.campaign_id, app_hidden.business_day(o.call_start_time), o.agent_email, c.call_status in ('completed', 'transferred'),
         c.call_status in ('completed', 'transferred') and coalesce(c.appointment_scheduled, false), false
    from app_public.call_center_records c
    join app_private.outbound_calls(array(select x.id from app_public.call_center_records x
                                           where x.campaign_id = any (campaign_ids)
                                             and (from_day is null or x.call_start_time >= app_hidden.business_day_start(from_day))
                                             and (to_day is null or x.call_start_time < app_hidden.business_day_start(to_day + 1)))) o on o.id = c.id
   where not exists (select 1 from app_public.campaign_call_attempts a where a.call_record_id = c.id)
$function$;
comment on function app_private.campaign_units(uuid[], date, date) is 'The attempts of campaigns, optionally over a range of business days: each logged attempt (completed = reached, successful as its outcome says) and each attributed outbound call no logged attempt names (completed = answered, successful = answered with an appointment scheduled), with its day and agent.';
revoke all on function app_private.campaign_units(uuid[], date, date) from public, app_visitor, app_worker, app_analyst, app_authenticator;

create or replace function app_private.recount_campaigns(campaign_ids uuid[])
 returns integer
 language plpgsql
 security definer
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
declare
  n integer;
begin
  with totals as (
    select k.id, count(u.*)::integer as attempted, (count(*) filter (where u.completed))::integer as completed,
           (count(*) filter (where u.completed and u.successful))::integer as successful
      from app_public.call_campaigns k
      left join app_private.campaign_units(campaign_ids) u on u.campaign_id = k.id
     where k.id = any (campaign_ids)
     group by k.id
  )
  update app_public.call_campaigns k
     set calls_attempted = t.attempted, calls_completed = t.completed, successful_outcomes = t.successful
    from totals t
   where k.id = t.id and (k.calls_attempted, k.calls_completed, k.successful_outcomes) is distinct from (t.attempted, t.completed, t.successful);
  get diagnostics n = row_count;
  return n;
end;
$function$;
comment on function app_private.recount_campaigns(uuid[]) is 'Recounts calls_attempted, calls_completed and successful_outcomes of the given campaigns from their attempts and attributed calls; returns the campaigns that changed.';
revoke all on function app_private.recount_campaigns(uuid[]) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_private.recount_campaigns(uuid[]) to app_worker;

create or replace function app_private.tg__campaign_counts()
 returns trigger
 language plpgsql
 security definer
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
declare
  ids uuid[];
begin
  -- Statement-level, on campaign_call_attempts and call_center_records: the campaigns whose attempts or calls changed.
  if tg_op = 'INSERT' then
    ids := array(select distinct n.campaign_id from new_rows n where n.campaign_id is not null);
  elsif tg_op = 'DELETE' then
    ids := array(select distinct o.campaign_id from old_rows o where o.campaign_id is not null);
  elsif tg_table_name = 'call_center_records' then
    if not exists (select 1 from new_rows n where n.campaign_id is not null) and not exists (select 1 from old_rows o where o.campaign_id is not null) then
      return null;
    end if;
    ids := array(select distinct x from new_rows n join old_rows o on o.id = n.id
                  cross join lateral unnest(array[n.campaign_id, o.campaign_id]) x
                  where x is not null
                    and (n.campaign_id, n.call_status, n.appointment_scheduled, n.call_start_time)
                        is distinct from (o.campaign_id, o.call_status, o.appointment_scheduled, o.call_start_time));
  else
    ids := array(select distinct x from new_rows n join old_rows o on o.id = n.id
                  cross join lateral unnest(array[n.campaign_id, o.campaign_id]) x where x is not null);
  end if;
  if cardinality(ids) > 0 then
    perform app_private.recount_campaigns(ids);
  end if;
  return null;
end;
$function$;
comment on function app_private.tg__campaign_counts() is 'Keeps a campaign''s counts current: recounts the campaigns of the attempts or calls a statement inserted, changed (campaign, status, appointment) or deleted.';
revoke all on function app_private.tg__campaign_counts() from public, app_visitor, app_worker, app_analyst, app_authenticator;

create or replace function app_hidden.campaign_agent_days_rows(from_day date, to_day date, campaign_id uuid, agent_email citext, location text)
 returns setof app_public.campaign_agent_days
 language sql
 stable security definer
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
  with me as (
    select app_hidden.sees_all() or app_hidden.has_permission('manageCampaigns') as everyone, app_hidden.visible_people() as people,
           app_hidden.team_locations() as locations, auth.email()::citext as email
  ), campaigns as (
    -- The campaigns you may see (call_campaigns' row rules), and the agents' rows in them you may see.
    select k.* from app_public.call_campaigns k cross join me
     where (campaign_agent_days_rows.campaign_id is null or k.id = campaign_agent_days_rows.campaign_id)
       and (campaign_agent_days_rows.location is null or k.location = campaign_agent_days_rows.location)
       and k.start_date <= campaign_agent_days_rows.to_day and k.end_date >= campaign_agent_days_rows.from_day
       and (me.everyone or k.location = any (me.locations) or k.assigned_agents && me.people or k.created_by = me.email)
  ), units as (
    select u.* from app_private.campaign_units(array(select c.id from campaigns c), from_day, to_day) u cross join me
     where (me.everyone or u.agent_email = any (me.people))
       and (campaign_agent_days_rows.agent_email is null or u.agent_email = campaign_agent_days_rows.agent_email)
  )
  select k.id, k.campaign_name, k.location, u.business_day, u.agent_email, p.full_name,
         count(*)::integer, (count(*) filter (where u.completed))::integer, (count(*) filter (where u.completed and u.successful))::integer,
         app_hidden.pct(count(*) filter (where u.completed and u.successful), count(*) filter (where u.completed)),
         k.target_conversion_rate,
         app_hidden.pct(count(*) filter (where u.completed and u.successful), count(*) filter (where u.completed)) - k.target_conversion_rate,
         (count(*) filter (where u.logged))::integer, (count(*) filter (where not u.logged))::integer
    from units u
    join campaigns k on k.id = u.campaign_id
    left join app_public.users p on p.email = u.agent_email
   group by k.id, k.campaign_name, k.location, k.target_conversion_rate, u.business_day, u.agent_email, p.full_name
   order by k.campaign_name, k.id, u.business_day, u.agent_email
$function$;
comment on function app_hidden.campaign_agent_days_rows(date, date, uuid, citext, text) is 'campaign_performance''s rows, for the campaigns and agents the person asking may see (applied here: an unanswered outbound call has no agent or location of its own for the calls'' row rules).';
revoke all on function app_hidden.campaign_agent_days_rows(date, date, uuid, citext, text) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_hidden.campaign_agent_days_rows(date, date, uuid, citext, text) to app_visitor;

create or replace function app_public.campaign_performance(from_day date, to_day date, campaign_id uuid default null, agent text default null,
                                                           location text default null)
 returns setof app_public.campaign_agent_days
 language sql
 stable
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
  select app_hidden.check_kpi_range(from_day, to_day, null, location, agent);
  select app_hidden.require_permission('viewTeamPerformance') where location is not null;
  select * from app_hidden.campaign_agent_days_rows(from_day, to_day, campaign_id,
    case when agent is null then null
         when strpos(agent, '@') > 0 then agent::citext
         else coalesce((select a.user_email from app_public.agents a where a.extension = campaign_performance.agent), '') end,
    location)
$function$;
comment on function app_public.campaign_performance(date, date, uuid, text, text) is 'Campaign performance per campaign, agent and business day over a range (at most 366 days): attempts, completed, successful, conversion % against the campaign''s target, from the logged attempts and the attributed outbound calls. Optionally one campaign, one agent (email or extension) or one location''s campaigns (needs viewTeamPerformance). Rows as the row rules show them: agents their own, supervisors their locations'' people, managers all. Errors: CC711–CC716 as for the range figures.';
revoke all on function app_public.campaign_performance(date, date, uuid, text, text) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_public.campaign_performance(date, date, uuid, text, text) to app_visitor;
--! EndIncluded campaigns/performance.sql
--! Included campaigns/create-campaign.sql
-- Creating a campaign (POST /api/campaigns/create): manageCampaigns; a
-- location, whose active agents may be assigned at once (and are notified);
-- a code and a dialled list may come with it.
create or replace function app_public.create_campaign(campaign_name text, campaign_type text, location text, start_date date, end_date date,
                                                      target_audience text, target_call_count integer default null,
                                                      target_conversion_pct numeric default null, priority_level text default null,
                                                      campaign_code text default null, agents text[] default null, dialled_numbers text[] default null,
                                                      call_script text default null, talking_points text[] default null,
                                                      required_documentation text[] default null, training_materials text[] default null,
                                                      campaign_notes text default null, managed_by text default null,
                                                      campaign_status text default null)
 returns app_public.call_campaigns
 language plpgsql
 security definer
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
declare
  k app_public.call_campaigns;
  hashes bytea[];
  members citext[];
begin
  perform app_hidden.require_permission('manageCampaigns');
  if location is null then
    raise exception 'location is required: the location whose agents work the campaign.' using errcode = 'CC715', column = 'location';
  end if;
  perform app_hidden.check_known_queue_and_location(null, location);
  members := app_hidden.campaign_agents(location, coalesce(agents, '{}'), 'agents');
  hashes := app_hidden.dialled_number_hashes(coalesce(dialled_numbers, '{}'));
  insert into app_public.call_campaigns as c (campaign_name, campaign_type, location, start_date, end_date, target_audience, target_call_count,
                                              target_conversion_rate, priority_level, campaign_code, assigned_agents, call_script, talking_points,
                                              required_documentation, training_materials, campaign_notes, managed_by, campaign_status)
  values (create_campaign.campaign_name, create_campaign.campaign_type, create_campaign.location, create_campaign.start_date,
          create_campaign.end_date, create_campaign.target_audience, create_campaign.target_call_count, create_campaign.target_conversion_pct,
          coalesce(create_campaign.priority_level, 'normal'), create_campaign.campaign_code, members, create_campaign.call_script,
          create_campaign.talking_points, create_campaign.required_documentation, create_campaign.training_materials,
          create_campaign.campaign_notes, create_campaign.managed_by::citext, coalesce(create_campaign.campaign_status, 'planned'))
  returning c.* into k;
  perform app_private.add_dialled_numbers(k.id, hashes);
  return k;
end;
$function$;
comment on function app_public.create_campaign(text, text, text, date, date, text, integer, numeric, text, text, text[], text[], text, text[], text[], text[], text, text, text) is 'Creates an outbound campaign for a location: its kind, days, audience (described, never a list of patients), targets, code, script; the agents (email or extension: active agents of the location) are assigned and notified; the dialled list''s numbers are kept only as keyed hashes. It starts planned (or active when asked). Needs manageCampaigns. Errors: CC715 unknown location, CC102 an agent who is not an active agent of it, CC106 a value of the list that is not a phone number; constraint errors name the field.';
revoke all on function app_public.create_campaign(text, text, text, date, date, text, integer, numeric, text, text, text[], text[], text, text[], text[], text[], text, text, text) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_public.create_campaign(text, text, text, date, date, text, integer, numeric, text, text, text[], text[], text, text[], text[], text[], text, text, text) to app_visitor;
--! EndIncluded campaigns/create-campaign.sql
--! Included campaigns/assign-agents.sql
-- Assigning and unassigning agents (PUT /api/campaigns/{id}/assign): active
-- agents of the campaign's location; each is notified (the campaigns'
-- trigger). Agents taken off keep the calls already attributed.
create or replace function app_public.assign_campaign_agents(campaign_id uuid, assign text[] default null, unassign text[] default null)
 returns app_public.call_campaigns
 language plpgsql
 security definer
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
declare
  k app_public.call_campaigns;
  adding citext[];
  removing citext[];
  unknown text;
begin
  perform app_hidden.require_permission('manageCampaigns');
  k := app_hidden.check_campaign(assign_campaign_agents.campaign_id);
  if k.campaign_status in ('completed', 'cancelled') then
    raise exception 'The campaign is %: its agents can no longer change.', k.campaign_status using errcode = 'CC104', column = 'campaign_id';
  end if;
  if coalesce(cardinality(assign), 0) + coalesce(cardinality(unassign), 0) = 0 then
    raise exception 'Name the agents to assign or to unassign.' using errcode = 'CC102', column = 'assign';
  end if;
  adding := app_hidden.campaign_agents(k.location, coalesce(assign, '{}'), 'assign');
  -- Taking off: anyone on it (even an agent who has since left), by email or extension.
  select x into unknown from unnest(coalesce(unassign, '{}')) x
   where x is null or not (x::citext = any (k.assigned_agents)
                           or exists (select 1 from app_public.agents a where a.extension = x and a.user_email is not null)
                           or exists (select 1 from app_public.users u where u.email = x::citext))
   limit 1;
  if found then
    raise exception '% is not an agent.', coalesce(unknown, 'An empty value') using errcode = 'CC102', column = 'unassign';
  end if;
  removing := array(select x::citext from unnest(coalesce(unassign, '{}')) x where strpos(x, '@') > 0
                    union select a.user_email from unnest(coalesce(unassign, '{}')) x join app_public.agents a on a.extension = x and a.user_email is not null);
  update app_public.call_campaigns c
     set assigned_agents = array(select a from unnest(c.assigned_agents) with ordinality o(a, i) where a <> all (removing) order by i)
                           || array(select a from unnest(adding) with ordinality o(a, i) where a <> all (c.assigned_agents) and a <> all (removing) order by i)
   where c.id = k.id
  returning c.* into k;
  return k;
end;
$function$;
comment on function app_public.assign_campaign_agents(uuid, text[], text[]) is 'Assigns agents to a campaign and takes others off (email or extension); each is notified. Those assigned must be active agents of the campaign''s location. Needs manageCampaigns. Errors: CC105 no such campaign, CC104 a completed or cancelled campaign, CC102 an agent who is not one (of its location).';
revoke all on function app_public.assign_campaign_agents(uuid, text[], text[]) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_public.assign_campaign_agents(uuid, text[], text[]) to app_visitor;
--! EndIncluded campaigns/assign-agents.sql
--! Included campaigns/campaign-status.sql
-- Moving a campaign's status (PUT /api/campaigns/{id}/status), with a reason
-- for its history; the moves are the campaigns' own rule (CC103).
create or replace function app_public.set_campaign_status(campaign_id uuid, campaign_status text, reason text default null)
 returns app_public.call_campaigns
 language plpgsql
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
declare
  k app_public.call_campaigns;
begin
  perform app_hidden.require_permission('manageCampaigns');
  perform app_hidden.check_campaign(set_campaign_status.campaign_id);
  if length(reason) > 1000 then
    raise exception 'A reason is at most 1000 characters.' using errcode = 'CC110', column = 'reason';
  end if;
  perform set_config('app.campaign_change_reason', coalesce(reason, ''), true);
  update app_public.call_campaigns c set campaign_status = set_campaign_status.campaign_status
   where c.id = set_campaign_status.campaign_id
  returning c.* into k;
  perform set_config('app.campaign_change_reason', '', true);
  return k;
end;
$function$;
comment on function app_public.set_campaign_status(uuid, text, text) is 'Moves a campaign to another status (planned → active or cancelled; active → paused, completed or cancelled; paused → active, completed or cancelled), kept with the reason in its status history. Outbound calls are attributed to it only while it is active. Needs manageCampaigns. Errors: CC105 no such campaign, CC103 a move not allowed.';
revoke all on function app_public.set_campaign_status(uuid, text, text) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_public.set_campaign_status(uuid, text, text) to app_visitor;
--! EndIncluded campaigns/campaign-status.sql
--! Included campaigns/log-call.sql
-- Logging a campaign call and its outcome (POST /api/campaigns/{id}/calls).
-- The attempts' own rules (any way one is written): the campaign was active
-- then, the agent is assigned to it, the time is on one of its days and not
-- in the future, the number is kept only as a keyed hash and a mask, and the
-- attempt is linked to the agent's 3CX call to that number (given, or the
-- nearest within 2 hours), which then belongs to the campaign.
create or replace function app_private.tg_campaign_call_attempts__rules()
 returns trigger
 language plpgsql
 security definer
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
declare
  k app_public.call_campaigns;
  call_agent citext;
begin
  if new.called_number is not null then
    if coalesce(length(app_hidden.normalize_phone(new.called_number)), 0) not between 7 and 15 then
      raise exception 'calledNumber is not a phone number (7 to 15 digits).' using errcode = 'CC106', column = 'called_number';
    end if;
    new.called_number_hash := app_hidden.caller_key(new.called_number);
    new.called_number_masked := app_hidden.mask_phone(new.called_number);
    new.called_number := null;
  end if;
  if tg_op = 'UPDATE' then
    return new; -- linking to a call that came in later (attribution)
  end if;
  select c.* into k from app_public.call_campaigns c where c.id = new.campaign_id;
  if not (k.campaign_status = 'active' or app_private.campaign_active_at(k.id, new.attempted_at)) then
    raise exception 'The campaign is % and was not active then: calls are logged while it is active.', k.campaign_status
      using errcode = 'CC104', column = 'campaign_id';
  end if;
  if new.agent_email <> all (k.assigned_agents) then
    raise exception '% is not assigned to this campaign.', new.agent_email using errcode = 'CC107', column = 'agent';
  end if;
  if new.attempted_at > now() + interval '5 minutes' then
    raise exception 'attemptedAt is in the future.' using errcode = 'CC108', column = 'attempted_at';
  end if;
  if app_hidden.business_day(new.attempted_at) not between k.start_date and k.end_date then
    raise exception 'attemptedAt is not one of the campaign''s days (% to %).', k.start_date, k.end_date using errcode = 'CC108', column = 'attempted_at';
  end if;
  if new.call_record_id is not null then
    select o.agent_email into call_agent from app_private.outbound_calls(array[new.call_record_id]) o;
    if call_agent is distinct from new.agent_email then
      raise exception 'That call is not an outbound call of % (or there is no such call).', new.agent_email using errcode = 'CC109', column = 'call_id';
    end if;
  elsif new.called_number_hash is not null then
    select o.id into new.call_record_id
      from app_private.outbound_calls(array(
             select c.id from app_public.call_center_records c
              where c.caller_number_hash = new.called_number_hash and c.call_direction = 'outbound'
                and c.call_start_time between new.attempted_at - interval '2 hours' and new.attempted_at + interval '2 hours')) o
     where o.agent_email = new.agent_email and (o.campaign_id is null or o.campaign_id = new.campaign_id)
       and not exists (select 1 from app_public.campaign_call_attempts a where a.call_record_id = o.id)
     order by abs(extract(epoch from o.call_start_time - new.attempted_at)), o.id
     limit 1;
  end if;
  if new.call_record_id is not null then
    update app_public.call_center_records c set campaign_id = new.campaign_id where c.id = new.call_record_id and c.campaign_id is null;
  end if;
  return new;
end;
$function$;
comment on function app_private.tg_campaign_call_attempts__rules() is 'A logged attempt: the campaign active then (CC104), the agent assigned (CC107), a time on its days and not in the future (CC108), a phone number kept only as hash and mask (CC106), the given call an outbound call of the agent (CC109) or else the agent''s call to that number nearest in time (within 2 hours), which then belongs to the campaign.';
revoke all on function app_private.tg_campaign_call_attempts__rules() from public, app_visitor, app_worker, app_analyst, app_authenticator;

create or replace function app_hidden.call_record_id(call_id text)
 returns uuid
 language sql
 stable security definer
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$ select c.id from app_public.call_center_records c where c.call_id = call_record_id.call_id $function$;
comment on function app_hidden.call_record_id(text) is 'The record id of a 3CX call id (the caller''s rules on it are checked where it is used).';
revoke all on function app_hidden.call_record_id(text) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_hidden.call_record_id(text) to app_visitor;

create or replace function app_public.log_campaign_call(campaign_id uuid, outcome text, agent text default null, called_number text default null,
                                                        attempted_at timestamptz default null, call_id text default null)
 returns app_public.campaign_call_attempts
 language plpgsql
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
declare
  email citext;
  record_id uuid;
  attempt app_public.campaign_call_attempts;
begin
  -- People who document calls (editCallJournals): agents their own, supervisors their locations' agents, managers anyone's.
  perform app_hidden.require_permission('editCallJournals');
  perform app_hidden.check_campaign(log_campaign_call.campaign_id);
  if agent is null then
    email := auth.email()::citext;
  else
    email := (select coalesce(min(d.user_email), case when strpos(agent, '@') > 0 then agent::citext end)
                from app_public.agents d where d.extension = agent and d.user_email is not null);
    if email is null then
      raise exception 'No agent with email or extension %.', agent using errcode = 'CC107', column = 'agent';
    end if;
  end if;
  if not (email = auth.email()::citext or app_hidden.has_permission('manageCampaigns')
          or (app_hidden.has_permission('viewTeamPerformance') and email = any (app_hidden.visible_people()))) then
    raise exception 'You may log campaign calls for yourself%.', case when app_hidden.has_permission('viewTeamPerformance') then ' and your locations'' agents' else '' end
      using errcode = '42501';
  end if;
  if call_id is not null then
    record_id := app_hidden.call_record_id(call_id);
    if record_id is null then
      -- Worded as for a call that is not the agent's: the answer does not tell whether a call id exists.
      raise exception 'That call is not an outbound call of % (or there is no such call).', email using errcode = 'CC109', column = 'call_id';
    end if;
  end if;
  insert into app_public.campaign_call_attempts as x (campaign_id, agent_email, attempted_at, outcome, called_number, call_record_id)
  values (log_campaign_call.campaign_id, email, coalesce(log_campaign_call.attempted_at, now()), log_campaign_call.outcome,
          log_campaign_call.called_number, record_id)
  returning x.* into attempt;
  return attempt;
end;
$function$;
comment on function app_public.log_campaign_call(uuid, text, text, text, timestamptz, text) is 'Logs a campaign call and its outcome: by default yours, now; the agent (email or extension) must be assigned to the campaign, which must be active. The number dialled is kept only as a keyed hash and a mask; the attempt is linked to the 3CX call (callId, else the agent''s call to that number nearest in time, within 2 hours, also when the call comes in later). Outcomes: no_answer, busy, voicemail, wrong_number (not reached), declined, callback_requested (reached), appointment_scheduled, follow_up_completed, survey_completed, retained (successful). Needs editCallJournals: agents for themselves, supervisors for their locations'' agents, managers for anyone. Errors: CC105 no such campaign, CC104 not active, CC107 an agent not on it, CC108 a time not on its days, CC106 not a phone number, CC109 an unknown or unfitting call.';
revoke all on function app_public.log_campaign_call(uuid, text, text, text, timestamptz, text) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_public.log_campaign_call(uuid, text, text, text, timestamptz, text) to app_visitor;
--! EndIncluded campaigns/log-call.sql
--! Included access/call_campaigns.sql
drop policy if exists manage_campaigns on app_public.call_campaigns;
create policy manage_campaigns on app_public.call_campaigns for all to app_visitor
  using ((select app_hidden.has_permission('manageCampaigns')));

drop policy if exists select_in_scope on app_public.call_campaigns;
create policy select_in_scope on app_public.call_campaigns for select to app_visitor
  using ((select app_hidden.sees_all()) or (select app_hidden.has_permission('manageCampaigns')) or (location = any ((select app_hidden.team_locations())::text[])) or (assigned_agents && (select app_hidden.visible_people())) or (created_by = ((select auth.email()))::citext));

-- Counts are kept by the database (campaign attempts and calls); agents are assigned through assignCampaignAgents.
revoke all on app_public.call_campaigns from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant delete, select on app_public.call_campaigns to app_visitor;
grant delete, insert, select, update on app_public.call_campaigns to app_worker;
grant insert (call_script, campaign_code, campaign_name, campaign_notes, campaign_status, campaign_type, end_date, location, managed_by, priority_level, required_documentation, start_date, talking_points, target_audience, target_call_count, target_conversion_rate, training_materials) on app_public.call_campaigns to app_visitor;
grant update (call_script, campaign_code, campaign_name, campaign_notes, campaign_status, campaign_type, end_date, location, managed_by, priority_level, required_documentation, start_date, talking_points, target_audience, target_call_count, target_conversion_rate, training_materials) on app_public.call_campaigns to app_visitor;
--! EndIncluded access/call_campaigns.sql
--! Included access/call_campaign_status_changes.sql
drop policy if exists select_with_campaign on app_public.call_campaign_status_changes;
create policy select_with_campaign on app_public.call_campaign_status_changes for select to app_visitor
  using (exists (select 1 from app_public.call_campaigns k where k.id = campaign_id));

revoke all on app_public.call_campaign_status_changes from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant select on app_public.call_campaign_status_changes to app_visitor;
grant insert, select on app_public.call_campaign_status_changes to app_worker;
--! EndIncluded access/call_campaign_status_changes.sql
--! Included access/campaign_call_attempts.sql
drop policy if exists select_in_scope on app_public.campaign_call_attempts;
create policy select_in_scope on app_public.campaign_call_attempts for select to app_visitor
  using (exists (select 1 from app_public.call_campaigns k where k.id = campaign_id)
         and ((select app_hidden.sees_all()) or (select app_hidden.has_permission('manageCampaigns')) or (agent_email = any ((select app_hidden.visible_people())::citext[]))));

-- Written through logCampaignCall: your own attempts (editCallJournals), your locations' agents' (viewTeamPerformance), anyone's (manageCampaigns).
drop policy if exists insert_loggers on app_public.campaign_call_attempts;
create policy insert_loggers on app_public.campaign_call_attempts for insert to app_visitor
  with check (exists (select 1 from app_public.call_campaigns k where k.id = campaign_id)
              and ((select app_hidden.has_permission('manageCampaigns'))
                   or ((select app_hidden.has_permission('editCallJournals')) and agent_email = ((select auth.email()))::citext)
                   or ((select app_hidden.has_permission('viewTeamPerformance')) and agent_email = any ((select app_hidden.visible_people())::citext[]))));

drop policy if exists delete_manage_campaigns on app_public.campaign_call_attempts;
create policy delete_manage_campaigns on app_public.campaign_call_attempts for delete to app_visitor
  using ((select app_hidden.has_permission('manageCampaigns')));

revoke all on app_public.campaign_call_attempts from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant delete, select on app_public.campaign_call_attempts to app_visitor;
grant delete, insert, select, update on app_public.campaign_call_attempts to app_worker;
grant insert (agent_email, attempted_at, call_record_id, called_number, campaign_id, outcome) on app_public.campaign_call_attempts to app_visitor;
--! EndIncluded access/campaign_call_attempts.sql
--! Included access/app_private.campaign_dialled_numbers.sql
revoke all on app_private.campaign_dialled_numbers from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant select on app_private.campaign_dialled_numbers to app_worker;
--! EndIncluded access/app_private.campaign_dialled_numbers.sql
--! Included access/call_center_records.sql
drop policy if exists select_in_scope on app_public.call_center_records;
create policy select_in_scope on app_public.call_center_records for select to app_visitor
  using ((select app_hidden.sees_all()) or (location = any ((select app_hidden.team_locations())::text[])) or (agent_email = (select app_hidden.own_email())));

drop policy if exists update_edit_call_journals on app_public.call_center_records;
create policy update_edit_call_journals on app_public.call_center_records for update to app_visitor
  using ((select app_hidden.has_permission('editCallJournals')) and ((select app_hidden.sees_all()) or (location = any ((select app_hidden.team_locations())::text[])) or (agent_email = (select app_hidden.own_email()))));

revoke all on app_public.call_center_records from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant delete, insert, select, update on app_public.call_center_records to app_worker;
grant select (after_call_work_seconds, agent_email, agent_extension, agent_name, answer_time_known, appointment_date, appointment_scheduled, appointment_type, call_answer_time, call_direction, call_end_time, call_id, call_outcome, call_priority, call_start_time, call_status, call_type, call_type_source, called_number, campaign_code, caller_name, caller_name_encrypted, caller_name_masked, caller_number, caller_number_encrypted, caller_number_hash, caller_number_masked, campaign_id, complaint_call, compliance_notes, compliance_notes_encrypted, compliance_notes_masked, created_at, customer_satisfaction_score, ended_in, escalation_required, fcr_final, fcr_source, first_call_resolution, follow_up_date, follow_up_required, hold_time_seconds, id, location, patient_mrn, patient_mrn_encrypted, patient_mrn_masked, pbx_route, provider_requested, quality_score, queue_entered_at, queue_entry_time, queue_name, recording_available, recording_reviewed, recording_url, recording_url_encrypted, ring_duration_seconds, shift_id, talk_duration_seconds, transfer_count, updated_at, wait_seconds) on app_public.call_center_records to app_visitor;
grant update (after_call_work_seconds, appointment_date, appointment_scheduled, appointment_type, call_outcome, call_priority, call_type, campaign_id, complaint_call, compliance_notes, customer_satisfaction_score, escalation_required, first_call_resolution, follow_up_date, follow_up_required, provider_requested, recording_reviewed) on app_public.call_center_records to app_visitor;
--! EndIncluded access/call_center_records.sql
--! Included ingest/ingest-calls.sql
create or replace function app_private.ingest_call_batch(calls jsonb)
 returns table(ordinal integer, record_id uuid, outcome text)
 language plpgsql
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
declare
  entries app_private.ingest_entry[];
  legs app_private.ingest_leg[];
  affected uuid[];
begin
  -- Queues named by extension; unknown ones are created so nothing is lost.
  perform app_private.queue_for_extension(ext)
     from (select distinct e.value ->> 'queue_extension' as ext from jsonb_array_elements(calls) e) x where ext is not null;

  entries := array(
    select row(e.ordinality::int, e.value ->> 'call_id', e.value ->> 'direction',
           (select q.name from app_public.queues q where q.extension = e.value ->> 'queue_extension'),
           nullif(e.value ->> 'caller_number', ''), nullif(e.value ->> 'caller_name', ''), e.value ->> 'called_number',
           (e.value ->> 'start')::timestamptz, (e.value ->> 'end')::timestamptz,
           h.hint, case h.hint when 'voicemail' then 3 when 'abandoned' then 2 else 1 end,
           (e.value ->> 'campaign_id')::uuid, e.value,
           c.id is not null, c.call_start_time, c.call_end_time, c.call_status)::app_private.ingest_entry
      from jsonb_array_elements(calls) with ordinality e
      cross join lateral (select case when coalesce((e.value ->> 'voicemail')::boolean, false) then 'voicemail'
                                      when e.value ->> 'ended_by' = 'caller' then 'abandoned' else 'missed' end as hint) h
      left join app_public.call_center_records c on c.call_id = e.value ->> 'call_id'
     order by e.ordinality);

  legs := array(
    select row(en.ordinal, en.call_id, l.value ->> 'leg_key', coalesce((l.value ->> 'leg_index')::int, l.ordinality::int),
           coalesce(l.value ->> 'leg_type', case when l.value ->> 'answered' is not null then 'talk' else 'ring' end),
           en.queue_name, nullif(l.value ->> 'agent_extension', ''),
           (l.value ->> 'start')::timestamptz, (l.value ->> 'answered')::timestamptz,
           coalesce((l.value ->> 'answer_known')::boolean, true), (l.value ->> 'end')::timestamptz,
           coalesce(l.value ->> 'outcome', case when l.value ->> 'answered' is not null then 'answered' else 'missed' end))::app_private.ingest_leg
      from unnest(entries) en
      cross join lateral jsonb_array_elements(coalesce(en.body -> 'legs', '[]')) with ordinality l);

  -- Outcomes, decided against what was stored before this batch and what earlier records of the batch brought
  -- (window functions over the batch: linear in its size, whatever the size).
  return query
  with leg_seen as (
    select nl.ordinal, nl.answered_at, nl.ended_at,
           -- stored before the batch, already as complete as this record's leg
           exists (select 1 from app_public.call_legs ol
                    where ol.call_id = nl.call_id and ol.leg_key = nl.leg_key
                      and (ol.answered_at is not null or nl.answered_at is null)
                      and (nl.ended_at is null or ol.ended_at >= nl.ended_at)
                      and (ol.answered_at is not null or (ol.outcome = nl.outcome and ol.answer_known = nl.answer_known))) as stored,
           -- brought by earlier records of this batch
           count(*) over w > 0 as earlier,
           coalesce(bool_or(nl.answered_at is not null) over w, false) as earlier_answered,
           max(nl.ended_at) over w as earlier_end
      from unnest(legs) nl
    window w as (partition by nl.call_id, nl.leg_key order by nl.ordinal rows between unbounded preceding and 1 preceding)
  ), leg_news as (
    select ls.ordinal,
           bool_or(not ls.stored
                   and not (ls.earlier and (ls.answered_at is null or ls.earlier_answered)
                            and (ls.ended_at is null or ls.earlier_end >= ls.ended_at))) as news
      from leg_seen ls group by ls.ordinal
  ), known as (
    -- The call as known before each record: stored values and earlier records of the batch.
    select en.ordinal, en.existed,
           row_number() over (partition by en.call_id order by en.ordinal) = 1 as first_of_call,
           en.start_at, en.end_at, en.hint_rank,
           least(en.before_start, min(en.start_at) over w) as known_start,
           greatest(en.before_end, max(en.end_at) over w) as known_end,
           greatest(coalesce(case en.before_status when 'voicemail' then 3 when 'abandoned' then 2 when 'missed' then 1
                                                   when 'completed' then 4 when 'transferred' then 4 end, 0),
                    max(en.hint_rank) over w) as known_rank
      from unnest(entries) en
    window w as (partition by en.call_id order by en.ordinal rows between unbounded preceding and 1 preceding)
  )
  select k.ordinal, null::uuid,
         case when not k.existed and k.first_of_call then 'new'
              when coalesce(ln.news, false)
                or k.start_at < k.known_start
                or k.end_at > coalesce(k.known_end, '-infinity')
                or k.hint_rank > coalesce(k.known_rank, 0) then 'updated'
              else 'duplicate' end
    from known k
    left join leg_news ln on ln.ordinal = k.ordinal
   order by k.ordinal;

  -- The calls: one row per call id, its records merged.
  with merged as (
    select en.call_id,
           (array_agg(en.direction order by en.ordinal))[1] as direction,
           (array_agg(en.queue_name order by en.start_at, en.ordinal) filter (where en.queue_name is not null))[1] as queue_name,
           coalesce((array_agg(en.called_number order by en.start_at, en.ordinal) filter (where en.queue_name is not null and en.called_number is not null))[1],
                    (array_agg(en.called_number order by en.start_at, en.ordinal) filter (where en.called_number is not null))[1]) as called_number,
           (array_agg(en.caller_number order by en.ordinal) filter (where en.caller_number is not null))[1] as caller_number,
           (array_agg(en.caller_name order by en.ordinal) filter (where en.caller_name is not null))[1] as caller_name,
           (array_agg(en.campaign_id order by en.ordinal) filter (where en.campaign_id is not null))[1] as campaign_id,
           -- A code that cannot be a campaign's (not letters and digits) is left out, never a reason to refuse the call.
           (array_agg(app_hidden.campaign_code(en.body ->> 'campaign_code') order by en.ordinal)
              filter (where app_hidden.campaign_code(en.body ->> 'campaign_code') ~ '^[A-Z0-9]{1,32}$'))[1] as campaign_code,
           min(en.start_at) as start_at, max(en.end_at) as end_at,
           (array_agg(en.hint order by en.hint_rank desc))[1] as hint,
           (array_agg(en.start_at order by en.start_at, en.ordinal) filter (where en.queue_name is not null))[1] as queue_start,
           (array_agg(en.start_at order by en.start_at, en.ordinal) filter (where en.called_number is not null))[1] as called_start,
           -- What the call ended on: as the record that ended last says.
           (array_agg(en.body ->> 'ended_in' order by en.end_at desc nulls last, en.ordinal desc) filter (where en.body ? 'ended_in'))[1] as ended_in
      from unnest(entries) en group by en.call_id
  ), routes as (
    -- The PBX numbers the call passed, in the order its records (by start) name them, each once.
    select h.call_id, array_agg(h.number order by h.first_start, h.first_ordinal, h.first_position) as pbx_route
      from (select en.call_id, r.number, min(en.start_at) as first_start, min(en.ordinal) as first_ordinal, min(r.position) as first_position
              from unnest(entries) en
              cross join lateral jsonb_array_elements_text(coalesce(en.body -> 'pbx_route', '[]')) with ordinality r(number, position)
             group by en.call_id, r.number) h
     group by h.call_id
  )
    insert into app_public.call_center_records as r (
      call_id, call_direction, queue_name, queue_entered_at, caller_number, caller_name, called_number,
      call_start_time, call_end_time, call_status, campaign_id, campaign_code, pbx_route, ended_in)
    select m.call_id, m.direction, m.queue_name, m.queue_start, coalesce(m.caller_number, ''), coalesce(m.caller_name, ''), m.called_number,
           m.start_at, m.end_at, m.hint, m.campaign_id, m.campaign_code, coalesce(rt.pbx_route, '{}'), m.ended_in
      from merged m
      left join routes rt on rt.call_id = m.call_id
     order by m.call_id
    on conflict (call_id) do update set
      call_start_time = least(r.call_start_time, excluded.call_start_time),
      call_end_time = greatest(r.call_end_time, excluded.call_end_time),
      -- The earliest segment with a queue names the queue the caller entered, and the number dialled;
      -- a call that never entered a queue takes the number of its earliest segment.
      queue_name = case when excluded.queue_name is not null and (r.queue_entered_at is null or excluded.queue_entered_at < r.queue_entered_at)
                        then excluded.queue_name else r.queue_name end,
      queue_entered_at = case when excluded.queue_name is not null and (r.queue_entered_at is null or excluded.queue_entered_at < r.queue_entered_at)
                              then excluded.queue_entered_at else r.queue_entered_at end,
      called_number = case when excluded.queue_name is not null and (r.queue_entered_at is null or excluded.queue_entered_at < r.queue_entered_at)
                             then coalesce(excluded.called_number, r.called_number)
                           when r.queue_name is null and excluded.call_start_time < r.call_start_time then coalesce(excluded.called_number, r.called_number)
                           else coalesce(r.called_number, excluded.called_number) end,
      -- Answered calls keep their status until re-derived; an unanswered one keeps the strongest hint.
      call_status = case when r.call_status in ('completed', 'transferred') then r.call_status
                         when r.call_status = 'voicemail' or excluded.call_status = 'voicemail' then 'voicemail'
                         when r.call_status = 'abandoned' or excluded.call_status = 'abandoned' then 'abandoned'
                         else excluded.call_status end,
      caller_number = case when r.caller_number_encrypted is null then excluded.caller_number end,
      caller_name = case when r.caller_name_encrypted is null then excluded.caller_name end,
      pbx_route = r.pbx_route || array(select h from unnest(excluded.pbx_route) with ordinality u(h, i) where h <> all(r.pbx_route) order by i),
      campaign_code = coalesce(r.campaign_code, excluded.campaign_code),
      ended_in = case when excluded.call_end_time >= coalesce(r.call_end_time, '-infinity') then coalesce(excluded.ended_in, r.ended_in)
                      else coalesce(r.ended_in, excluded.ended_in) end
    -- Nothing to write for a record the call already holds.
    where excluded.call_start_time < r.call_start_time
       or excluded.call_end_time > r.call_end_time or (r.call_end_time is null and excluded.call_end_time is not null)
       or (excluded.queue_name is not null and (r.queue_entered_at is null or excluded.queue_entered_at < r.queue_entered_at))
       or (r.called_number is null and excluded.called_number is not null)
       or (r.call_status not in ('completed', 'transferred', 'voicemail') and r.call_status is distinct from excluded.call_status
           and excluded.call_status <> 'missed')
       or not (excluded.pbx_route <@ r.pbx_route)
       or (r.ended_in is null and excluded.ended_in is not null)
       or (r.campaign_code is null and excluded.campaign_code is not null)
  ;

  -- The legs: one row per (call, leg key), the batch's records merged, then upserted.
  insert into app_public.call_legs as l (call_record_id, call_id, leg_key, leg_index, leg_type, queue_name, agent_extension, agent_email,
                                         location, started_at, answered_at, answer_known, ended_at, outcome)
  select en.id, m.call_id, m.leg_key, m.leg_index, m.leg_type, m.queue_name, m.agent_extension, a.user_email,
         coalesce(a.location_name, (select q.location_name from app_public.queues q where q.name = m.queue_name)),
         m.started_at, m.answered_at, m.answer_known, m.ended_at, m.outcome
    from (select il.call_id, il.leg_key,
                 (array_agg(il.leg_index order by il.ordinal))[1] as leg_index,
                 (array_agg(il.leg_type order by il.ordinal))[1] as leg_type,
                 (array_agg(il.queue_name order by il.ordinal))[1] as queue_name,
                 (array_agg(il.agent_extension order by il.ordinal))[1] as agent_extension,
                 (array_agg(il.started_at order by il.ordinal))[1] as started_at,
                 (array_agg(il.answered_at order by il.ordinal) filter (where il.answered_at is not null))[1] as answered_at,
                 coalesce((array_agg(il.answer_known order by il.ordinal) filter (where il.answered_at is not null))[1],
                          (array_agg(il.answer_known order by il.ordinal desc))[1]) as answer_known,
                 max(il.ended_at) as ended_at,
                 coalesce((array_agg(il.outcome order by il.ordinal) filter (where il.answered_at is not null))[1],
                          (array_agg(il.outcome order by il.ordinal desc))[1]) as outcome
            from unnest(legs) il group by il.call_id, il.leg_key) m
    join app_public.call_center_records en on en.call_id = m.call_id
    left join app_public.agents a on a.extension = m.agent_extension and a.is_active
   order by m.call_id, m.leg_key
  on conflict (call_id, leg_key) do update set
    answered_at = coalesce(l.answered_at, excluded.answered_at),
    answer_known = case when l.answered_at is null then excluded.answer_known else l.answer_known end,
    ended_at = greatest(l.ended_at, excluded.ended_at),
    outcome = case when l.answered_at is not null then l.outcome else excluded.outcome end
  -- A leg already stored as sent is left alone.
  where l.answered_at is distinct from coalesce(l.answered_at, excluded.answered_at)
     or l.ended_at is distinct from greatest(l.ended_at, excluded.ended_at)
     or (l.answered_at is null and (l.outcome is distinct from excluded.outcome or l.answer_known is distinct from excluded.answer_known));

  -- A number the calls passed that is known nowhere (not an agent, a queue or a classified number) is added as
  -- unknown, for an administrator to classify in pbx_numbers; the calls through it are read again when they do.
  -- A number the record's type fields name (Ivr, VMail …) enters with that kind; one typed as an agent or a queue
  -- is not added here (agents and queues have their own tables).
  insert into app_public.pbx_numbers (number, kind, first_seen_at)
  select r.number,
         coalesce((array_agg(en.body -> 'pbx_kinds' ->> r.number order by en.ordinal)
                     filter (where en.body -> 'pbx_kinds' ->> r.number in ('ivr', 'ring_group', 'voicemail', 'other')))[1], 'unknown'),
         min(en.start_at)
    from unnest(entries) en
    cross join lateral jsonb_array_elements_text(coalesce(en.body -> 'pbx_route', '[]')) r(number)
   where coalesce(en.body -> 'pbx_kinds' ->> r.number, '') not in ('agent', 'queue')
     and not exists (select 1 from app_public.agents a where a.extension = r.number)
     and not exists (select 1 from app_public.queues q where q.extension = r.number)
     and not exists (select 1 from app_public.pbx_numbers p where p.number = r.number)
   group by r.number
   order by r.number
  on conflict (number) do nothing;

  affected := array(select c.id from app_public.call_center_records c where c.call_id in (select e.call_id from unnest(entries) e));
  perform app_private.refresh_calls(affected);
  perform app_private.guess_call_types(affected);
  -- Outbound calls: linked to the campaign attempts logged for them, or attributed to a campaign by rule.
  perform app_private.attribute_campaign_calls(affected);
end;
$function$;
comment on function app_private.ingest_call_batch(jsonb) is 'Ingests a JSON array of normalised calls in a few set-based statements; one row per record: new, updated or duplicate. Merges each call''s route, end point and campaign code, adds numbers known nowhere to pbx_numbers as unknown, and attributes outbound calls to campaigns. Fails as a whole on any error.';
revoke all on function app_private.ingest_call_batch(jsonb) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_private.ingest_call_batch(jsonb) to app_worker;

create or replace function app_private.ingest_calls(calls jsonb)
 returns table(ordinal integer, record_id uuid, outcome text, error_field text, error_message text)
 language plpgsql
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
declare
  item jsonb;
  o record;
  constraint_name text;
  column_name text;
begin
  begin
    return query select b.ordinal, b.record_id, b.outcome, null::text, null::text from app_private.ingest_call_batch(calls) b;
    return;
  exception
    -- A deadlock or serialization failure is the transaction's to retry, never a record's fault.
    when deadlock_detected or serialization_failure then raise;
    when others then null; -- fall through: one call at a time
  end;
  ordinal := 0;
  for item in select value from jsonb_array_elements(calls) loop
    ordinal := ordinal + 1;
    record_id := null; outcome := null; error_field := null; error_message := null;
    begin
      select * into o from app_private.ingest_call_outcome(item);
      record_id := o.record_id;
      outcome := o.outcome;
    exception
      when deadlock_detected or serialization_failure then raise;
      when others then
      get stacked diagnostics constraint_name = constraint_name, column_name = column_name, error_message = message_text;
      outcome := 'rejected';
      error_field := coalesce(nullif(column_name, ''), nullif(constraint_name, ''), 'call');
    end;
    return next;
  end loop;
end;
$function$;
comment on function app_private.ingest_calls(jsonb) is 'Ingests a JSON array of normalised calls, each in its own subtransaction; one row per call: its record id and new, updated, duplicate or rejected (with the field and reason).';
revoke all on function app_private.ingest_calls(jsonb) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_private.ingest_calls(jsonb) to app_worker;
--! EndIncluded ingest/ingest-calls.sql

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
