--! Previous: sha1:abe4b4127cd88638c8bb68e84fa83948869af626
--! Hash: sha1:006903c6a7d4d21e7597a9c8ae1779c1e24739c6
--! Message: One word for one thing: agent by email or extension, integer counts, one name per quantity

-- One word for one thing in the GraphQL API (issue "The PRD's REST door"):
-- an agent is named by email or extension everywhere, like a queue by name
-- or extension; counts in range results are integers (numbers in JSON, as in
-- the daily figures), seconds stay bigint; the same quantity has the same
-- GraphQL name on calls, legs, shifts and figures (the SQL and PRD column
-- names stay; the REST door answers in the PRD's names).

-- Signatures change (agent_email citext -> agent text): drop, then create from the files.
drop function if exists app_public.agent_kpis_for_range(date, date, citext, text);
drop function if exists app_public.agent_day_calls(text, date);
drop function if exists app_public.search_call_records(timestamptz, timestamptz, citext, text, text, text, text, text, text);
drop function if exists app_hidden.check_kpi_range(date, date, text, text, citext);

-- Counts as integers, in the daily views as in the range results (the views are
-- created again from their files, with their grants and comments).
drop view if exists analytics.queue_interval_kpis, analytics.queue_daily_kpis, analytics.agent_daily_kpis cascade;
alter type app_public.agent_range_kpis
  alter attribute calls_handled type integer, alter attribute calls_handled_inbound type integer, alter attribute calls_missed type integer,
  alter attribute fcr_resolved type integer, alter attribute fcr_final type integer, alter attribute appointments type integer,
  alter attribute csat_sum type integer, alter attribute csat_count type integer, alter attribute complaints type integer,
  alter attribute quality_reviews type integer, alter attribute calls_talk_unknown type integer, alter attribute fcr_provisional type integer;
alter type app_public.queue_range_kpis
  alter attribute offered type integer, alter attribute answered type integer, alter attribute abandoned type integer,
  alter attribute short_abandoned type integer, alter attribute voicemail type integer, alter attribute missed type integer,
  alter attribute transferred type integer, alter attribute answered_within_sl type integer, alter attribute abandoned_within_sl type integer,
  alter attribute wait_unknown type integer, alter attribute service_level_denominator type integer, alter attribute abandonment_denominator type integer,
  alter attribute answered_known_wait type integer,
  alter attribute answered_wait_le_10 type integer, alter attribute answered_wait_le_20 type integer, alter attribute answered_wait_le_30 type integer,
  alter attribute answered_wait_le_60 type integer, alter attribute answered_wait_le_120 type integer, alter attribute answered_wait_gt_120 type integer,
  alter attribute abandoned_wait_le_10 type integer, alter attribute abandoned_wait_le_20 type integer, alter attribute abandoned_wait_le_30 type integer,
  alter attribute abandoned_wait_le_60 type integer, alter attribute abandoned_wait_le_120 type integer, alter attribute abandoned_wait_gt_120 type integer;
alter type app_public.team_range_kpis
  alter attribute agent_days type integer, alter attribute calls_handled type integer, alter attribute calls_handled_inbound type integer,
  alter attribute calls_missed type integer, alter attribute fcr_resolved type integer, alter attribute fcr_final type integer,
  alter attribute appointments type integer, alter attribute csat_sum type integer, alter attribute csat_count type integer,
  alter attribute complaints type integer, alter attribute quality_reviews type integer, alter attribute shifts_scheduled type integer,
  alter attribute shifts_not_absent type integer, alter attribute shifts_started type integer, alter attribute shifts_on_time type integer,
  alter attribute agent_days_with_goals type integer, alter attribute agent_days_meeting_goals type integer,
  alter attribute coaching_sessions_conducted type integer, alter attribute calls_talk_unknown type integer, alter attribute fcr_provisional type integer;
alter type app_public.staffing_interval
  alter attribute offered_in_history type integer, alter attribute answered_in_history type integer;

-- Calls filtered by agent extension (searchCallRecords(agent: "101")) use an index, as by email.
create index if not exists call_center_records_agent_extension_idx on app_public.call_center_records (agent_extension, call_start_time);

-- One GraphQL name per quantity (smart tags; SQL names unchanged).
comment on column app_public.call_center_records.ring_duration_seconds is E'@name ring_seconds\nAnswer − start, seconds.';
comment on column app_public.call_center_records.talk_duration_seconds is E'@name talk_seconds\nEnd − answer, seconds.';
comment on column app_public.call_center_records.hold_time_seconds is E'@name hold_seconds\nTime on hold, seconds.';
comment on column app_public.call_center_records.after_call_work_seconds is E'@name acw_seconds\nAfter-call work, seconds: set by supervisors and above (reviewJournals).';
comment on column app_public.call_legs.after_call_work_seconds is E'@name acw_seconds\nAfter-call work of this segment, seconds.';
comment on column app_public.agent_shifts.total_talk_time_seconds is E'@name talk_seconds\nTalk time, seconds.';
comment on column app_public.agent_shifts.total_after_call_work_seconds is E'@name acw_seconds\nAfter-call work, seconds.';
comment on column app_public.agent_shifts.total_available_time_seconds is E'@name available_seconds\nWorked time less breaks, lunch, training and meetings, seconds.';
comment on column app_public.agent_shifts.utilization_percentage is E'@name utilization_pct\n(talk + after-call work) / available time × 100; NULL without available time.';
comment on column app_public.team_performance_metrics.appointment_conversion_rate is E'@name appointment_conversion_pct\nHandled inbound calls with an appointment / handled inbound calls, percent.';
comment on column app_public.team_performance_metrics.attendance_rate is E'@name attendance_rate_pct\nShifts not absent / shifts scheduled, percent.';
comment on column app_public.team_performance_metrics.complaint_rate is E'@name complaint_rate_pct\nComplaint calls / handled calls, percent.';
comment on column app_public.team_performance_metrics.first_call_resolution_rate is E'@name fcr_pct\nResolved first time / handled inbound calls with final FCR, percent; NULL while any of the day''s handled inbound calls is still provisional (fcr_provisional > 0).';
comment on column app_public.team_performance_metrics.punctuality_rate is E'@name punctuality_rate_pct\nShifts started on time / shifts started, percent.';
comment on column app_public.team_performance_metrics.schedule_adherence_rate is E'@name schedule_adherence_pct\nMinutes worked inside the scheduled window / scheduled minutes, percent.';
comment on column app_public.team_performance_metrics.team_goal_achievement_rate is E'@name team_goal_achievement_pct\nAgents meeting goals / agents with a goal covering the day, percent.';
comment on column app_public.performance_goals.talk_time_percentage_target is E'@name talk_time_pct_target\nTalk time as a percent of available time.';
comment on column app_public.performance_goals.talk_time_percentage_actual is E'@name talk_time_pct_actual\nTalk time percent so far.';
comment on column app_public.performance_goals.achievement_percentage is E'@name achievement_pct\ngoals_met / total_goals × 100; NULL when no target is set.';
comment on column app_public.call_campaigns.conversion_rate is E'@name conversion_pct\nsuccessful_outcomes / calls_completed × 100; NULL before any completed call.';
comment on column app_public.call_campaigns.target_conversion_rate is E'@name target_conversion_pct\nConversion goal, percent.';
comment on column app_public.team_performance_metrics.reporting_period is E'@name business_day\nThe business day.';
comment on column app_public.team_performance_metrics.utilization_rate is E'@name utilization_pct\n(talk + after-call work) / available time, percent.';

--! Included kpi/queue-kpis.sql
create or replace view analytics.queue_interval_kpis as
select s.queue_name as queue, st.location, s.interval_start, s.business_day,
       s.offered, s.answered, s.abandoned, s.short_abandoned, s.voicemail, s.missed, s.transferred,
       s.answered_within_sl, s.abandoned_within_sl, s.wait_unknown, st.abandon_mode,
       app_hidden.service_level_denominator(st.abandon_mode, s.offered, s.answered, s.short_abandoned, s.wait_unknown)::integer as service_level_denominator,
       app_hidden.service_level_pct(st.abandon_mode, s.answered_within_sl, s.abandoned_within_sl, s.offered, s.answered, s.short_abandoned, s.wait_unknown) as service_level_pct,
       s.offered - s.short_abandoned as abandonment_denominator,
       app_hidden.pct(s.abandoned, s.offered - s.short_abandoned) as abandonment_rate_pct,
       s.answered_wait_seconds, s.answered - s.wait_unknown as answered_known_wait,
       app_hidden.per(s.answered_wait_seconds, s.answered - s.wait_unknown) as asa_seconds,
       s.abandoned_wait_seconds, app_hidden.per(s.abandoned_wait_seconds, s.abandoned) as avg_abandon_wait_seconds,
       s.max_wait_seconds,
       s.answered_wait_le_10, s.answered_wait_le_20, s.answered_wait_le_30, s.answered_wait_le_60, s.answered_wait_le_120, s.answered_wait_gt_120,
       s.abandoned_wait_le_10, s.abandoned_wait_le_20, s.abandoned_wait_le_30, s.abandoned_wait_le_60, s.abandoned_wait_le_120, s.abandoned_wait_gt_120,
       s.sl_threshold_seconds, s.short_abandon_seconds
from app_public.queue_interval_stats s
join app_hidden.effective_queue_settings st on st.queue_name = s.queue_name;
comment on view analytics.queue_interval_kpis is 'Queue figures per 15-minute interval, each ratio beside its numerator and denominator (no patient identifiers).';
comment on column analytics.queue_interval_kpis.queue is 'The queue.';
comment on column analytics.queue_interval_kpis.location is 'The location (queue''s or agent''s).';
comment on column analytics.queue_interval_kpis.interval_start is 'Start of the 15-minute interval.';
comment on column analytics.queue_interval_kpis.business_day is 'Business day (local date in the business time zone).';
comment on column analytics.queue_interval_kpis.offered is 'Inbound calls that entered the queue.';
comment on column analytics.queue_interval_kpis.answered is 'Offered calls answered by an agent.';
comment on column analytics.queue_interval_kpis.abandoned is 'Offered calls abandoned, not short.';
comment on column analytics.queue_interval_kpis.short_abandoned is 'Abandoned within the short-abandon threshold: left out of every rate.';
comment on column analytics.queue_interval_kpis.voicemail is 'Offered calls that ended in voicemail.';
comment on column analytics.queue_interval_kpis.missed is 'Offered calls never answered, not abandoned (timeout, no agents, no route).';
comment on column analytics.queue_interval_kpis.transferred is 'Answered calls moved on to another agent or queue (counted once).';
comment on column analytics.queue_interval_kpis.answered_within_sl is 'Answered with a known wait at or under the threshold.';
comment on column analytics.queue_interval_kpis.abandoned_within_sl is 'Abandoned (not short) with a wait at or under the threshold.';
comment on column analytics.queue_interval_kpis.wait_unknown is 'Answered calls whose agent-answer time is unknown: left out of wait-based figures.';
comment on column analytics.queue_interval_kpis.abandon_mode is 'How abandoned calls count in the service level: ignore, negative or positive.';
comment on column analytics.queue_interval_kpis.service_level_denominator is 'Denominator of service_level_pct in the queue''s mode.';
comment on column analytics.queue_interval_kpis.service_level_pct is 'Service level, percent (NULL when its denominator is 0).';
comment on column analytics.queue_interval_kpis.abandonment_denominator is 'offered − short_abandoned.';
comment on column analytics.queue_interval_kpis.abandonment_rate_pct is 'abandoned / (offered − short_abandoned) × 100.';
comment on column analytics.queue_interval_kpis.answered_wait_seconds is 'Σ known waits of answered calls.';
comment on column analytics.queue_interval_kpis.answered_known_wait is 'answered − wait_unknown (the ASA denominator).';
comment on column analytics.queue_interval_kpis.asa_seconds is 'Average speed of answer: answered_wait_seconds / answered_known_wait.';
comment on column analytics.queue_interval_kpis.abandoned_wait_seconds is 'Σ waits of abandoned calls (not short).';
comment on column analytics.queue_interval_kpis.avg_abandon_wait_seconds is 'abandoned_wait_seconds / abandoned.';
comment on column analytics.queue_interval_kpis.max_wait_seconds is 'Longest known wait of any offered call.';
comment on column analytics.queue_interval_kpis.answered_wait_le_10 is 'Answered, wait ≤ 10 s (cumulative band).';
comment on column analytics.queue_interval_kpis.answered_wait_le_20 is 'Answered, wait ≤ 20 s.';
comment on column analytics.queue_interval_kpis.answered_wait_le_30 is 'Answered, wait ≤ 30 s.';
comment on column analytics.queue_interval_kpis.answered_wait_le_60 is 'Answered, wait ≤ 60 s.';
comment on column analytics.queue_interval_kpis.answered_wait_le_120 is 'Answered, wait ≤ 120 s.';
comment on column analytics.queue_interval_kpis.answered_wait_gt_120 is 'Answered, wait > 120 s.';
comment on column analytics.queue_interval_kpis.abandoned_wait_le_10 is 'Abandoned, wait ≤ 10 s (cumulative band).';
comment on column analytics.queue_interval_kpis.abandoned_wait_le_20 is 'Abandoned, wait ≤ 20 s.';
comment on column analytics.queue_interval_kpis.abandoned_wait_le_30 is 'Abandoned, wait ≤ 30 s.';
comment on column analytics.queue_interval_kpis.abandoned_wait_le_60 is 'Abandoned, wait ≤ 60 s.';
comment on column analytics.queue_interval_kpis.abandoned_wait_le_120 is 'Abandoned, wait ≤ 120 s.';
comment on column analytics.queue_interval_kpis.abandoned_wait_gt_120 is 'Abandoned, wait > 120 s.';
comment on column analytics.queue_interval_kpis.sl_threshold_seconds is 'Service-level threshold the counts were made with.';
comment on column analytics.queue_interval_kpis.short_abandon_seconds is 'Short-abandon threshold the counts were made with.';
revoke all on analytics.queue_interval_kpis from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant select on analytics.queue_interval_kpis to app_analyst;

create or replace view analytics.queue_daily_kpis as
select d.queue, d.location, d.business_day,
       d.offered, d.answered, d.abandoned, d.short_abandoned, d.voicemail, d.missed, d.transferred,
       d.answered_within_sl, d.abandoned_within_sl, d.wait_unknown, d.abandon_mode,
       app_hidden.service_level_denominator(d.abandon_mode, d.offered, d.answered, d.short_abandoned, d.wait_unknown)::integer as service_level_denominator,
       app_hidden.service_level_pct(d.abandon_mode, d.answered_within_sl, d.abandoned_within_sl, d.offered, d.answered, d.short_abandoned, d.wait_unknown) as service_level_pct,
       d.offered - d.short_abandoned as abandonment_denominator,
       app_hidden.pct(d.abandoned, d.offered - d.short_abandoned) as abandonment_rate_pct,
       d.answered_wait_seconds, d.answered - d.wait_unknown as answered_known_wait,
       app_hidden.per(d.answered_wait_seconds, d.answered - d.wait_unknown) as asa_seconds,
       d.abandoned_wait_seconds, app_hidden.per(d.abandoned_wait_seconds, d.abandoned) as avg_abandon_wait_seconds,
       d.max_wait_seconds,
       d.answered_wait_le_10, d.answered_wait_le_20, d.answered_wait_le_30, d.answered_wait_le_60, d.answered_wait_le_120, d.answered_wait_gt_120,
       d.abandoned_wait_le_10, d.abandoned_wait_le_20, d.abandoned_wait_le_30, d.abandoned_wait_le_60, d.abandoned_wait_le_120, d.abandoned_wait_gt_120
from (
  select s.queue_name as queue, st.location, s.business_day, st.abandon_mode,
         sum(s.offered)::integer as offered, sum(s.answered)::integer as answered, sum(s.abandoned)::integer as abandoned, sum(s.short_abandoned)::integer as short_abandoned,
         sum(s.voicemail)::integer as voicemail, sum(s.missed)::integer as missed, sum(s.transferred)::integer as transferred,
         sum(s.answered_within_sl)::integer as answered_within_sl, sum(s.abandoned_within_sl)::integer as abandoned_within_sl, sum(s.wait_unknown)::integer as wait_unknown,
         sum(s.answered_wait_seconds) as answered_wait_seconds, sum(s.abandoned_wait_seconds) as abandoned_wait_seconds, max(s.max_wait_seconds) as max_wait_seconds,
         sum(s.answered_wait_le_10)::integer as answered_wait_le_10, sum(s.answered_wait_le_20)::integer as answered_wait_le_20, sum(s.answered_wait_le_30)::integer as answered_wait_le_30,
         sum(s.answered_wait_le_60)::integer as answered_wait_le_60, sum(s.answered_wait_le_120)::integer as answered_wait_le_120, sum(s.answered_wait_gt_120)::integer as answered_wait_gt_120,
         sum(s.abandoned_wait_le_10)::integer as abandoned_wait_le_10, sum(s.abandoned_wait_le_20)::integer as abandoned_wait_le_20, sum(s.abandoned_wait_le_30)::integer as abandoned_wait_le_30,
         sum(s.abandoned_wait_le_60)::integer as abandoned_wait_le_60, sum(s.abandoned_wait_le_120)::integer as abandoned_wait_le_120, sum(s.abandoned_wait_gt_120)::integer as abandoned_wait_gt_120
    from app_public.queue_interval_stats s
    join app_hidden.effective_queue_settings st on st.queue_name = s.queue_name
   group by s.queue_name, st.location, s.business_day, st.abandon_mode
) d;
comment on view analytics.queue_daily_kpis is 'Queue figures per business day: the intervals'' counts added up, ratios computed from the sums.';
comment on column analytics.queue_daily_kpis.queue is 'The queue.';
comment on column analytics.queue_daily_kpis.location is 'The location (queue''s or agent''s).';
comment on column analytics.queue_daily_kpis.business_day is 'Business day (local date in the business time zone).';
comment on column analytics.queue_daily_kpis.offered is 'Inbound calls that entered the queue.';
comment on column analytics.queue_daily_kpis.answered is 'Offered calls answered by an agent.';
comment on column analytics.queue_daily_kpis.abandoned is 'Offered calls abandoned, not short.';
comment on column analytics.queue_daily_kpis.short_abandoned is 'Abandoned within the short-abandon threshold: left out of every rate.';
comment on column analytics.queue_daily_kpis.voicemail is 'Offered calls that ended in voicemail.';
comment on column analytics.queue_daily_kpis.missed is 'Offered calls never answered, not abandoned (timeout, no agents, no route).';
comment on column analytics.queue_daily_kpis.transferred is 'Answered calls moved on to another agent or queue (counted once).';
comment on column analytics.queue_daily_kpis.answered_within_sl is 'Answered with a known wait at or under the threshold.';
comment on column analytics.queue_daily_kpis.abandoned_within_sl is 'Abandoned (not short) with a wait at or under the threshold.';
comment on column analytics.queue_daily_kpis.wait_unknown is 'Answered calls whose agent-answer time is unknown: left out of wait-based figures.';
comment on column analytics.queue_daily_kpis.abandon_mode is 'How abandoned calls count in the service level: ignore, negative or positive.';
comment on column analytics.queue_daily_kpis.service_level_denominator is 'Denominator of service_level_pct in the queue''s mode.';
comment on column analytics.queue_daily_kpis.service_level_pct is 'Service level, percent (NULL when its denominator is 0).';
comment on column analytics.queue_daily_kpis.abandonment_denominator is 'offered − short_abandoned.';
comment on column analytics.queue_daily_kpis.abandonment_rate_pct is 'abandoned / (offered − short_abandoned) × 100.';
comment on column analytics.queue_daily_kpis.answered_wait_seconds is 'Σ known waits of answered calls.';
comment on column analytics.queue_daily_kpis.answered_known_wait is 'answered − wait_unknown (the ASA denominator).';
comment on column analytics.queue_daily_kpis.asa_seconds is 'Average speed of answer: answered_wait_seconds / answered_known_wait.';
comment on column analytics.queue_daily_kpis.abandoned_wait_seconds is 'Σ waits of abandoned calls (not short).';
comment on column analytics.queue_daily_kpis.avg_abandon_wait_seconds is 'abandoned_wait_seconds / abandoned.';
comment on column analytics.queue_daily_kpis.max_wait_seconds is 'Longest known wait of any offered call.';
comment on column analytics.queue_daily_kpis.answered_wait_le_10 is 'Answered, wait ≤ 10 s (cumulative band).';
comment on column analytics.queue_daily_kpis.answered_wait_le_20 is 'Answered, wait ≤ 20 s.';
comment on column analytics.queue_daily_kpis.answered_wait_le_30 is 'Answered, wait ≤ 30 s.';
comment on column analytics.queue_daily_kpis.answered_wait_le_60 is 'Answered, wait ≤ 60 s.';
comment on column analytics.queue_daily_kpis.answered_wait_le_120 is 'Answered, wait ≤ 120 s.';
comment on column analytics.queue_daily_kpis.answered_wait_gt_120 is 'Answered, wait > 120 s.';
comment on column analytics.queue_daily_kpis.abandoned_wait_le_10 is 'Abandoned, wait ≤ 10 s (cumulative band).';
comment on column analytics.queue_daily_kpis.abandoned_wait_le_20 is 'Abandoned, wait ≤ 20 s.';
comment on column analytics.queue_daily_kpis.abandoned_wait_le_30 is 'Abandoned, wait ≤ 30 s.';
comment on column analytics.queue_daily_kpis.abandoned_wait_le_60 is 'Abandoned, wait ≤ 60 s.';
comment on column analytics.queue_daily_kpis.abandoned_wait_le_120 is 'Abandoned, wait ≤ 120 s.';
comment on column analytics.queue_daily_kpis.abandoned_wait_gt_120 is 'Abandoned, wait > 120 s.';
revoke all on analytics.queue_daily_kpis from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant select on analytics.queue_daily_kpis to app_analyst;

create or replace view app_public.queue_interval_kpis as
select k.queue, k.location, k.interval_start, k.business_day, k.offered, k.answered, k.abandoned, k.short_abandoned,
       k.voicemail, k.missed, k.transferred, k.answered_within_sl, k.abandoned_within_sl, k.wait_unknown,
       k.abandon_mode, k.service_level_denominator, k.service_level_pct, k.abandonment_denominator,
       k.abandonment_rate_pct, k.answered_wait_seconds, k.answered_known_wait, k.asa_seconds,
       k.abandoned_wait_seconds, k.avg_abandon_wait_seconds, k.max_wait_seconds, k.answered_wait_le_10,
       k.answered_wait_le_20, k.answered_wait_le_30, k.answered_wait_le_60, k.answered_wait_le_120,
       k.answered_wait_gt_120, k.abandoned_wait_le_10, k.abandoned_wait_le_20, k.abandoned_wait_le_30,
       k.abandoned_wait_le_60, k.abandoned_wait_le_120, k.abandoned_wait_gt_120, k.sl_threshold_seconds,
       k.short_abandon_seconds
from analytics.queue_interval_kpis k
 where (select app_hidden.sees_all()) or k.location = any ((select app_hidden.team_locations())::text[]);
comment on view app_public.queue_interval_kpis is '@primaryKey queue,interval_start
Queue figures per 15-minute interval (the queues of your locations; managers: all), each ratio beside its numerator and denominator.';
comment on column app_public.queue_interval_kpis.queue is 'The queue.';
comment on column app_public.queue_interval_kpis.location is 'The location (queue''s or agent''s).';
comment on column app_public.queue_interval_kpis.interval_start is 'Start of the 15-minute interval.';
comment on column app_public.queue_interval_kpis.business_day is 'Business day (local date in the business time zone).';
comment on column app_public.queue_interval_kpis.offered is 'Inbound calls that entered the queue.';
comment on column app_public.queue_interval_kpis.answered is 'Offered calls answered by an agent.';
comment on column app_public.queue_interval_kpis.abandoned is 'Offered calls abandoned, not short.';
comment on column app_public.queue_interval_kpis.short_abandoned is 'Abandoned within the short-abandon threshold: left out of every rate.';
comment on column app_public.queue_interval_kpis.voicemail is 'Offered calls that ended in voicemail.';
comment on column app_public.queue_interval_kpis.missed is 'Offered calls never answered, not abandoned (timeout, no agents, no route).';
comment on column app_public.queue_interval_kpis.transferred is 'Answered calls moved on to another agent or queue (counted once).';
comment on column app_public.queue_interval_kpis.answered_within_sl is 'Answered with a known wait at or under the threshold.';
comment on column app_public.queue_interval_kpis.abandoned_within_sl is 'Abandoned (not short) with a wait at or under the threshold.';
comment on column app_public.queue_interval_kpis.wait_unknown is 'Answered calls whose agent-answer time is unknown: left out of wait-based figures.';
comment on column app_public.queue_interval_kpis.abandon_mode is 'How abandoned calls count in the service level: ignore, negative or positive.';
comment on column app_public.queue_interval_kpis.service_level_denominator is 'Denominator of service_level_pct in the queue''s mode.';
comment on column app_public.queue_interval_kpis.service_level_pct is 'Service level, percent (NULL when its denominator is 0).';
comment on column app_public.queue_interval_kpis.abandonment_denominator is 'offered − short_abandoned.';
comment on column app_public.queue_interval_kpis.abandonment_rate_pct is 'abandoned / (offered − short_abandoned) × 100.';
comment on column app_public.queue_interval_kpis.answered_wait_seconds is 'Σ known waits of answered calls.';
comment on column app_public.queue_interval_kpis.answered_known_wait is 'answered − wait_unknown (the ASA denominator).';
comment on column app_public.queue_interval_kpis.asa_seconds is 'Average speed of answer: answered_wait_seconds / answered_known_wait.';
comment on column app_public.queue_interval_kpis.abandoned_wait_seconds is 'Σ waits of abandoned calls (not short).';
comment on column app_public.queue_interval_kpis.avg_abandon_wait_seconds is 'abandoned_wait_seconds / abandoned.';
comment on column app_public.queue_interval_kpis.max_wait_seconds is 'Longest known wait of any offered call.';
comment on column app_public.queue_interval_kpis.answered_wait_le_10 is 'Answered, wait ≤ 10 s (cumulative band).';
comment on column app_public.queue_interval_kpis.answered_wait_le_20 is 'Answered, wait ≤ 20 s.';
comment on column app_public.queue_interval_kpis.answered_wait_le_30 is 'Answered, wait ≤ 30 s.';
comment on column app_public.queue_interval_kpis.answered_wait_le_60 is 'Answered, wait ≤ 60 s.';
comment on column app_public.queue_interval_kpis.answered_wait_le_120 is 'Answered, wait ≤ 120 s.';
comment on column app_public.queue_interval_kpis.answered_wait_gt_120 is 'Answered, wait > 120 s.';
comment on column app_public.queue_interval_kpis.abandoned_wait_le_10 is 'Abandoned, wait ≤ 10 s (cumulative band).';
comment on column app_public.queue_interval_kpis.abandoned_wait_le_20 is 'Abandoned, wait ≤ 20 s.';
comment on column app_public.queue_interval_kpis.abandoned_wait_le_30 is 'Abandoned, wait ≤ 30 s.';
comment on column app_public.queue_interval_kpis.abandoned_wait_le_60 is 'Abandoned, wait ≤ 60 s.';
comment on column app_public.queue_interval_kpis.abandoned_wait_le_120 is 'Abandoned, wait ≤ 120 s.';
comment on column app_public.queue_interval_kpis.abandoned_wait_gt_120 is 'Abandoned, wait > 120 s.';
comment on column app_public.queue_interval_kpis.sl_threshold_seconds is 'Service-level threshold the counts were made with.';
comment on column app_public.queue_interval_kpis.short_abandon_seconds is 'Short-abandon threshold the counts were made with.';
revoke all on app_public.queue_interval_kpis from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant select on app_public.queue_interval_kpis to app_visitor;

create or replace view app_public.queue_daily_kpis as
select k.queue, k.location, k.business_day, k.offered, k.answered, k.abandoned, k.short_abandoned, k.voicemail,
       k.missed, k.transferred, k.answered_within_sl, k.abandoned_within_sl, k.wait_unknown, k.abandon_mode,
       k.service_level_denominator, k.service_level_pct, k.abandonment_denominator, k.abandonment_rate_pct,
       k.answered_wait_seconds, k.answered_known_wait, k.asa_seconds, k.abandoned_wait_seconds,
       k.avg_abandon_wait_seconds, k.max_wait_seconds, k.answered_wait_le_10, k.answered_wait_le_20,
       k.answered_wait_le_30, k.answered_wait_le_60, k.answered_wait_le_120, k.answered_wait_gt_120,
       k.abandoned_wait_le_10, k.abandoned_wait_le_20, k.abandoned_wait_le_30, k.abandoned_wait_le_60,
       k.abandoned_wait_le_120, k.abandoned_wait_gt_120
from analytics.queue_daily_kpis k
 where (select app_hidden.sees_all()) or k.location = any ((select app_hidden.team_locations())::text[]);
comment on view app_public.queue_daily_kpis is '@primaryKey queue,business_day
Queue figures per business day, added up from the intervals (the queues of your locations; managers: all).';
comment on column app_public.queue_daily_kpis.queue is 'The queue.';
comment on column app_public.queue_daily_kpis.location is 'The location (queue''s or agent''s).';
comment on column app_public.queue_daily_kpis.business_day is 'Business day (local date in the business time zone).';
comment on column app_public.queue_daily_kpis.offered is 'Inbound calls that entered the queue.';
comment on column app_public.queue_daily_kpis.answered is 'Offered calls answered by an agent.';
comment on column app_public.queue_daily_kpis.abandoned is 'Offered calls abandoned, not short.';
comment on column app_public.queue_daily_kpis.short_abandoned is 'Abandoned within the short-abandon threshold: left out of every rate.';
comment on column app_public.queue_daily_kpis.voicemail is 'Offered calls that ended in voicemail.';
comment on column app_public.queue_daily_kpis.missed is 'Offered calls never answered, not abandoned (timeout, no agents, no route).';
comment on column app_public.queue_daily_kpis.transferred is 'Answered calls moved on to another agent or queue (counted once).';
comment on column app_public.queue_daily_kpis.answered_within_sl is 'Answered with a known wait at or under the threshold.';
comment on column app_public.queue_daily_kpis.abandoned_within_sl is 'Abandoned (not short) with a wait at or under the threshold.';
comment on column app_public.queue_daily_kpis.wait_unknown is 'Answered calls whose agent-answer time is unknown: left out of wait-based figures.';
comment on column app_public.queue_daily_kpis.abandon_mode is 'How abandoned calls count in the service level: ignore, negative or positive.';
comment on column app_public.queue_daily_kpis.service_level_denominator is 'Denominator of service_level_pct in the queue''s mode.';
comment on column app_public.queue_daily_kpis.service_level_pct is 'Service level, percent (NULL when its denominator is 0).';
comment on column app_public.queue_daily_kpis.abandonment_denominator is 'offered − short_abandoned.';
comment on column app_public.queue_daily_kpis.abandonment_rate_pct is 'abandoned / (offered − short_abandoned) × 100.';
comment on column app_public.queue_daily_kpis.answered_wait_seconds is 'Σ known waits of answered calls.';
comment on column app_public.queue_daily_kpis.answered_known_wait is 'answered − wait_unknown (the ASA denominator).';
comment on column app_public.queue_daily_kpis.asa_seconds is 'Average speed of answer: answered_wait_seconds / answered_known_wait.';
comment on column app_public.queue_daily_kpis.abandoned_wait_seconds is 'Σ waits of abandoned calls (not short).';
comment on column app_public.queue_daily_kpis.avg_abandon_wait_seconds is 'abandoned_wait_seconds / abandoned.';
comment on column app_public.queue_daily_kpis.max_wait_seconds is 'Longest known wait of any offered call.';
comment on column app_public.queue_daily_kpis.answered_wait_le_10 is 'Answered, wait ≤ 10 s (cumulative band).';
comment on column app_public.queue_daily_kpis.answered_wait_le_20 is 'Answered, wait ≤ 20 s.';
comment on column app_public.queue_daily_kpis.answered_wait_le_30 is 'Answered, wait ≤ 30 s.';
comment on column app_public.queue_daily_kpis.answered_wait_le_60 is 'Answered, wait ≤ 60 s.';
comment on column app_public.queue_daily_kpis.answered_wait_le_120 is 'Answered, wait ≤ 120 s.';
comment on column app_public.queue_daily_kpis.answered_wait_gt_120 is 'Answered, wait > 120 s.';
comment on column app_public.queue_daily_kpis.abandoned_wait_le_10 is 'Abandoned, wait ≤ 10 s (cumulative band).';
comment on column app_public.queue_daily_kpis.abandoned_wait_le_20 is 'Abandoned, wait ≤ 20 s.';
comment on column app_public.queue_daily_kpis.abandoned_wait_le_30 is 'Abandoned, wait ≤ 30 s.';
comment on column app_public.queue_daily_kpis.abandoned_wait_le_60 is 'Abandoned, wait ≤ 60 s.';
comment on column app_public.queue_daily_kpis.abandoned_wait_le_120 is 'Abandoned, wait ≤ 120 s.';
comment on column app_public.queue_daily_kpis.abandoned_wait_gt_120 is 'Abandoned, wait > 120 s.';
revoke all on app_public.queue_daily_kpis from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant select on app_public.queue_daily_kpis to app_visitor;
--! EndIncluded kpi/queue-kpis.sql
--! Included kpi/agent-kpis.sql
create or replace view analytics.agent_daily_kpis as
select s.agent_extension, a.user_email as agent_email, a.display_name as agent_name, a.location_name as location, s.business_day,
       s.calls_handled, s.calls_handled_inbound, s.calls_missed, s.talk_seconds, s.hold_seconds, s.acw_seconds,
       app_hidden.per(s.talk_seconds + s.hold_seconds + s.acw_seconds, s.calls_handled - s.calls_talk_unknown) as aht_seconds,
       sh.available_seconds,
       case when sh.available_seconds > 0 then round(s.calls_handled / (sh.available_seconds / 3600.0), 2) end as calls_per_hour,
       app_hidden.pct(s.talk_seconds + s.acw_seconds, sh.available_seconds) as utilization_pct,
       app_hidden.pct(s.talk_seconds + s.hold_seconds + s.acw_seconds, sh.available_seconds) as occupancy_pct,
       app_hidden.pct(s.talk_seconds, sh.available_seconds) as talk_time_pct,
       s.fcr_resolved, s.fcr_final, case when s.fcr_provisional = 0 then app_hidden.pct(s.fcr_resolved, s.fcr_final) end as fcr_pct,
       s.appointments, app_hidden.pct(s.appointments, s.calls_handled_inbound) as appointment_conversion_pct,
       s.csat_sum, s.csat_count, case when s.csat_count > 0 then round(s.csat_sum::numeric / s.csat_count, 2) end as csat_avg,
       s.complaints, app_hidden.pct(s.complaints, s.calls_handled) as complaint_rate_pct,
       coalesce(qa.quality_score_sum, 0) as quality_score_sum, coalesce(qa.quality_reviews, 0) as quality_reviews,
       case when qa.quality_reviews > 0 then round(qa.quality_score_sum / qa.quality_reviews, 2) end as quality_score_avg,
       s.calls_talk_unknown,
       s.fcr_provisional
from app_public.agent_daily_stats s
left join app_public.agents a on a.extension = s.agent_extension and a.is_active
left join lateral (
  select sum(app_hidden.shift_available_seconds(x.actual_start_time, x.actual_end_time, x.total_break_time_minutes, x.lunch_break_minutes,
                                                x.training_time_minutes, x.meeting_time_minutes))::bigint as available_seconds
    from app_public.agent_shifts x
   where x.agent_email = a.user_email and x.shift_date = s.business_day and x.actual_start_time is not null and x.shift_status <> 'absent'
) sh on true
left join lateral (
  select sum(q.percentage_score) as quality_score_sum, count(q.percentage_score)::integer as quality_reviews
    from app_public.quality_assurance_reviews q
   where q.agent_email = a.user_email and q.review_date = s.business_day and q.review_status in ('completed', 'discussed_with_agent')
) qa on true;
comment on view analytics.agent_daily_kpis is 'Agent figures per business day, from the agent''s legs and shifts, each ratio beside its numerator and denominator.';
comment on column analytics.agent_daily_kpis.agent_extension is 'The agent''s extension.';
comment on column analytics.agent_daily_kpis.agent_email is 'The agent (from the directory).';
comment on column analytics.agent_daily_kpis.agent_name is 'The agent''s name.';
comment on column analytics.agent_daily_kpis.location is 'The location (queue''s or agent''s).';
comment on column analytics.agent_daily_kpis.business_day is 'Business day (local date in the business time zone).';
comment on column analytics.agent_daily_kpis.calls_handled is 'Calls the agent answered a leg of (inbound and outbound).';
comment on column analytics.agent_daily_kpis.calls_handled_inbound is 'Inbound calls among calls_handled.';
comment on column analytics.agent_daily_kpis.calls_missed is 'Inbound calls that rang the agent and were not answered by them.';
comment on column analytics.agent_daily_kpis.talk_seconds is 'Σ talk of answered legs.';
comment on column analytics.agent_daily_kpis.hold_seconds is 'Σ hold time.';
comment on column analytics.agent_daily_kpis.acw_seconds is 'Σ after-call work.';
comment on column analytics.agent_daily_kpis.aht_seconds is '(talk + hold + acw) / (calls_handled − calls_talk_unknown).';
comment on column analytics.agent_daily_kpis.available_seconds is 'Shift time worked less breaks, lunch, training and meetings (an open shift counts up to now).';
comment on column analytics.agent_daily_kpis.calls_per_hour is 'calls_handled / (available_seconds / 3600), two decimals.';
comment on column analytics.agent_daily_kpis.utilization_pct is '(talk + acw) / available × 100.';
comment on column analytics.agent_daily_kpis.occupancy_pct is '(talk + hold + acw) / available × 100.';
comment on column analytics.agent_daily_kpis.talk_time_pct is 'talk / available × 100.';
comment on column analytics.agent_daily_kpis.fcr_resolved is 'Handled inbound calls resolved first time, once final.';
comment on column analytics.agent_daily_kpis.fcr_final is 'Handled inbound calls whose resolution is final.';
comment on column analytics.agent_daily_kpis.fcr_pct is 'fcr_resolved / fcr_final × 100; NULL while any of the day''s handled inbound calls is provisional (fcr_provisional > 0).';
comment on column analytics.agent_daily_kpis.appointments is 'Handled inbound calls with an appointment scheduled.';
comment on column analytics.agent_daily_kpis.appointment_conversion_pct is 'appointments / calls_handled_inbound × 100.';
comment on column analytics.agent_daily_kpis.csat_sum is 'Σ satisfaction scores of rated calls.';
comment on column analytics.agent_daily_kpis.csat_count is 'Rated calls.';
comment on column analytics.agent_daily_kpis.csat_avg is 'csat_sum / csat_count.';
comment on column analytics.agent_daily_kpis.complaints is 'Complaint calls.';
comment on column analytics.agent_daily_kpis.complaint_rate_pct is 'complaints / calls_handled × 100.';
comment on column analytics.agent_daily_kpis.quality_score_sum is 'Σ percentage scores of the completed QA reviews dated that day.';
comment on column analytics.agent_daily_kpis.quality_reviews is 'Completed QA reviews dated that day, with a score.';
comment on column analytics.agent_daily_kpis.quality_score_avg is 'quality_score_sum / quality_reviews.';
comment on column analytics.agent_daily_kpis.calls_talk_unknown is 'Handled calls whose talk time the record cannot tell (reached through a queue or IVR, or passed on): counted in calls_handled, left out of talk_seconds and of the AHT denominator.';
comment on column analytics.agent_daily_kpis.fcr_provisional is 'Handled inbound calls whose first-call resolution is not final yet (resolved so far, repeat-call window still open).';
revoke all on analytics.agent_daily_kpis from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant select on analytics.agent_daily_kpis to app_analyst;

create or replace view app_public.agent_daily_kpis as
select k.agent_extension, k.agent_email, k.agent_name, k.location, k.business_day, k.calls_handled,
       k.calls_handled_inbound, k.calls_missed, k.talk_seconds, k.hold_seconds, k.acw_seconds, k.aht_seconds,
       k.available_seconds, k.calls_per_hour, k.utilization_pct, k.occupancy_pct, k.talk_time_pct, k.fcr_resolved,
       k.fcr_final, k.fcr_pct, k.appointments, k.appointment_conversion_pct, k.csat_sum, k.csat_count, k.csat_avg,
       k.complaints, k.complaint_rate_pct, k.quality_score_sum, k.quality_reviews, k.quality_score_avg,
       k.calls_talk_unknown, k.fcr_provisional
from analytics.agent_daily_kpis k
 where (select app_hidden.sees_all()) or k.location = any ((select app_hidden.team_locations())::text[])
    or k.agent_email = (select app_hidden.own_email());
comment on view app_public.agent_daily_kpis is '@primaryKey agent_extension,business_day
Agent figures per business day (yourself, and the agents of your locations; managers: all).';
comment on column app_public.agent_daily_kpis.agent_extension is 'The agent''s extension.';
comment on column app_public.agent_daily_kpis.agent_email is 'The agent (from the directory).';
comment on column app_public.agent_daily_kpis.agent_name is 'The agent''s name.';
comment on column app_public.agent_daily_kpis.location is 'The location (queue''s or agent''s).';
comment on column app_public.agent_daily_kpis.business_day is 'Business day (local date in the business time zone).';
comment on column app_public.agent_daily_kpis.calls_handled is 'Calls the agent answered a leg of (inbound and outbound).';
comment on column app_public.agent_daily_kpis.calls_handled_inbound is 'Inbound calls among calls_handled.';
comment on column app_public.agent_daily_kpis.calls_missed is 'Inbound calls that rang the agent and were not answered by them.';
comment on column app_public.agent_daily_kpis.talk_seconds is 'Σ talk of answered legs.';
comment on column app_public.agent_daily_kpis.hold_seconds is 'Σ hold time.';
comment on column app_public.agent_daily_kpis.acw_seconds is 'Σ after-call work.';
comment on column app_public.agent_daily_kpis.aht_seconds is '(talk + hold + acw) / (calls_handled − calls_talk_unknown).';
comment on column app_public.agent_daily_kpis.available_seconds is 'Shift time worked less breaks, lunch, training and meetings (an open shift counts up to now).';
comment on column app_public.agent_daily_kpis.calls_per_hour is 'calls_handled / (available_seconds / 3600), two decimals.';
comment on column app_public.agent_daily_kpis.utilization_pct is '(talk + acw) / available × 100.';
comment on column app_public.agent_daily_kpis.occupancy_pct is '(talk + hold + acw) / available × 100.';
comment on column app_public.agent_daily_kpis.talk_time_pct is 'talk / available × 100.';
comment on column app_public.agent_daily_kpis.fcr_resolved is 'Handled inbound calls resolved first time, once final.';
comment on column app_public.agent_daily_kpis.fcr_final is 'Handled inbound calls whose resolution is final.';
comment on column app_public.agent_daily_kpis.fcr_pct is 'fcr_resolved / fcr_final × 100; NULL while any of the day''s handled inbound calls is provisional (fcr_provisional > 0).';
comment on column app_public.agent_daily_kpis.appointments is 'Handled inbound calls with an appointment scheduled.';
comment on column app_public.agent_daily_kpis.appointment_conversion_pct is 'appointments / calls_handled_inbound × 100.';
comment on column app_public.agent_daily_kpis.csat_sum is 'Σ satisfaction scores of rated calls.';
comment on column app_public.agent_daily_kpis.csat_count is 'Rated calls.';
comment on column app_public.agent_daily_kpis.csat_avg is 'csat_sum / csat_count.';
comment on column app_public.agent_daily_kpis.complaints is 'Complaint calls.';
comment on column app_public.agent_daily_kpis.complaint_rate_pct is 'complaints / calls_handled × 100.';
comment on column app_public.agent_daily_kpis.quality_score_sum is 'Σ percentage scores of the completed QA reviews dated that day.';
comment on column app_public.agent_daily_kpis.quality_reviews is 'Completed QA reviews dated that day, with a score.';
comment on column app_public.agent_daily_kpis.quality_score_avg is 'quality_score_sum / quality_reviews.';
comment on column app_public.agent_daily_kpis.calls_talk_unknown is 'Handled calls whose talk time the record cannot tell (reached through a queue or IVR, or passed on): counted in calls_handled, left out of talk_seconds and of the AHT denominator.';
comment on column app_public.agent_daily_kpis.fcr_provisional is 'Handled inbound calls whose first-call resolution is not final yet (resolved so far, repeat-call window still open).';
revoke all on app_public.agent_daily_kpis from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant select on app_public.agent_daily_kpis to app_visitor;
--! EndIncluded kpi/agent-kpis.sql
--! Included kpi/check-range-arguments.sql
-- What the *_kpis_for_range functions accept: a range of at most 366 business
-- days, and a queue (name or extension), location or agent that exists; an
-- argument that cannot match is an error naming it, never an empty list.
-- A queue (by name or extension) and a location that exist: shared by the
-- range figures and the calls search (CC715).
create or replace function app_hidden.check_known_queue_and_location(queue text, location text)
 returns void
 language plpgsql
 stable
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
begin
  if queue is not null and not exists (select 1 from app_public.queues q where q.name = queue or q.extension = queue) then
    raise exception 'No queue is named or numbered %.', queue using errcode = 'CC715', column = 'queue';
  end if;
  if location is not null and not exists (select 1 from app_public.locations l where l.name = location) then
    raise exception 'No location is named %.', location using errcode = 'CC715', column = 'location';
  end if;
end;
$function$;
comment on function app_hidden.check_known_queue_and_location(text, text) is 'Raises CC715 for a queue (name or extension) or a location that does not exist.';
revoke all on function app_hidden.check_known_queue_and_location(text, text) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_hidden.check_known_queue_and_location(text, text) to app_visitor;

-- An agent by email or by extension, as the caller may see the directory.
create or replace function app_hidden.agent_extensions(agent text)
 returns text[]
 language sql
 stable
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
  select array_agg(a.extension order by a.extension) from app_public.agents a
   where a.extension = agent or (strpos(agent, '@') > 0 and a.user_email = agent::citext)
$function$;
comment on function app_hidden.agent_extensions(text) is 'The extensions of an agent named by email (all of the person''s extensions) or by extension, among the agents the caller may see; NULL when there is none.';
revoke all on function app_hidden.agent_extensions(text) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_hidden.agent_extensions(text) to app_visitor;

create or replace function app_hidden.check_kpi_range(from_day date, to_day date, queue text, location text, agent text)
 returns void
 language plpgsql
 stable
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
declare
  max_days constant integer := 366;
begin
  if from_day is null then
    raise exception 'fromDay is required: the first business day of the range.' using errcode = 'CC711', column = 'from_day';
  end if;
  if to_day is null then
    raise exception 'toDay is required: the last business day of the range (inclusive).' using errcode = 'CC711', column = 'to_day';
  end if;
  if to_day < from_day then
    raise exception 'toDay must not be before fromDay.' using errcode = 'CC712', column = 'to_day';
  end if;
  if to_day - from_day + 1 > max_days then
    raise exception 'A range covers at most % days; this one covers %.', max_days, to_day - from_day + 1 using errcode = 'CC713', column = 'to_day';
  end if;
  perform app_hidden.check_known_queue_and_location(queue, location);
  -- The directory as the caller may see it: an agent of another location is as unknown as one that does not exist.
  if agent is not null and app_hidden.agent_extensions(agent) is null then
    raise exception 'No agent with email or extension % that you may see.', agent using errcode = 'CC716', column = 'agent';
  end if;
end;
$function$;
comment on function app_hidden.check_kpi_range(date, date, text, text, text) is 'Raises CC711-CC716 for range arguments that cannot match (missing or reversed days, over 366 days, unknown queue, location or agent (email or extension)); the *_kpis_for_range functions call it first.';
revoke all on function app_hidden.check_kpi_range(date, date, text, text, text) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_hidden.check_kpi_range(date, date, text, text, text) to app_visitor;
--! EndIncluded kpi/check-range-arguments.sql
--! Included kpi/for-range.sql
create or replace function app_public.agent_kpis_for_range(from_day date, to_day date, agent text default NULL::text, location text default NULL::text)
 returns setof app_public.agent_range_kpis
 language sql
 stable
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
  select app_hidden.check_kpi_range(from_day, to_day, null, location, agent);
  select x.agent_extension, x.agent_email, x.agent_name, x.location, from_day, to_day, x.days_with_calls,
         x.calls_handled, x.calls_handled_inbound, x.calls_missed, x.talk_seconds, x.hold_seconds, x.acw_seconds,
         app_hidden.per(x.talk_seconds + x.hold_seconds + x.acw_seconds, x.calls_handled - x.calls_talk_unknown), x.available_seconds,
         case when x.available_seconds > 0 then round(x.calls_handled / (x.available_seconds / 3600.0), 2) end,
         app_hidden.pct(x.talk_seconds + x.acw_seconds, x.available_seconds),
         app_hidden.pct(x.talk_seconds + x.hold_seconds + x.acw_seconds, x.available_seconds),
         app_hidden.pct(x.talk_seconds, x.available_seconds),
         x.fcr_resolved, x.fcr_final, case when x.fcr_provisional = 0 then app_hidden.pct(x.fcr_resolved, x.fcr_final) end,
         x.appointments, app_hidden.pct(x.appointments, x.calls_handled_inbound),
         x.csat_sum, x.csat_count, case when x.csat_count > 0 then round(x.csat_sum::numeric / x.csat_count, 2) end,
         x.complaints, app_hidden.pct(x.complaints, x.calls_handled),
         x.quality_score_sum, x.quality_reviews, case when x.quality_reviews > 0 then round(x.quality_score_sum / x.quality_reviews, 2) end,
         x.calls_talk_unknown, x.fcr_provisional
    from (
      select d.agent_extension, d.agent_email, d.agent_name, d.location, count(*)::integer as days_with_calls,
             sum(d.calls_handled)::integer as calls_handled, sum(d.calls_handled_inbound)::integer as calls_handled_inbound,
             sum(d.calls_missed)::integer as calls_missed, sum(d.talk_seconds)::bigint as talk_seconds, sum(d.hold_seconds)::bigint as hold_seconds,
             sum(d.acw_seconds)::bigint as acw_seconds, coalesce(sum(d.available_seconds), 0)::bigint as available_seconds,
             sum(d.fcr_resolved)::integer as fcr_resolved, sum(d.fcr_final)::integer as fcr_final, sum(d.fcr_provisional)::integer as fcr_provisional, sum(d.appointments)::integer as appointments,
             sum(d.csat_sum)::integer as csat_sum, sum(d.csat_count)::integer as csat_count, sum(d.complaints)::integer as complaints,
             sum(d.quality_score_sum) as quality_score_sum, sum(d.quality_reviews)::integer as quality_reviews,
             sum(d.calls_talk_unknown)::integer as calls_talk_unknown
        from app_public.agent_daily_kpis d
       where d.business_day between agent_kpis_for_range.from_day and agent_kpis_for_range.to_day
         and (agent_kpis_for_range.agent is null or d.agent_extension = any (app_hidden.agent_extensions(agent_kpis_for_range.agent)))
         and (agent_kpis_for_range.location is null or d.location = agent_kpis_for_range.location)
       group by d.agent_extension, d.agent_email, d.agent_name, d.location
    ) x
   order by x.agent_extension
$function$;
comment on function app_public.agent_kpis_for_range(date,date,text,text) is 'Agent figures over a range of business days (inclusive), optionally one agent (by email: each of the person''s extensions; or by extension) or one location''s agents: the daily counts added up, ratios from the sums.';
revoke all on function app_public.agent_kpis_for_range(date,date,text,text) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_public.agent_kpis_for_range(date,date,text,text) to app_visitor;

create or replace function app_public.queue_kpis_for_range(from_day date, to_day date, queue text default NULL::text, location text default NULL::text)
 returns setof app_public.queue_range_kpis
 language sql
 stable
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
  select app_hidden.check_kpi_range(from_day, to_day, queue, location, null);
  select x.queue, x.location, from_day, to_day, x.days_with_calls,
         x.offered, x.answered, x.abandoned, x.short_abandoned, x.voicemail, x.missed, x.transferred,
         x.answered_within_sl, x.abandoned_within_sl, x.wait_unknown, x.abandon_mode,
         app_hidden.service_level_denominator(x.abandon_mode, x.offered, x.answered, x.short_abandoned, x.wait_unknown),
         app_hidden.service_level_pct(x.abandon_mode, x.answered_within_sl, x.abandoned_within_sl, x.offered, x.answered, x.short_abandoned, x.wait_unknown),
         x.offered - x.short_abandoned, app_hidden.pct(x.abandoned, x.offered - x.short_abandoned),
         x.answered_wait_seconds, x.answered - x.wait_unknown, app_hidden.per(x.answered_wait_seconds, x.answered - x.wait_unknown),
         x.abandoned_wait_seconds, app_hidden.per(x.abandoned_wait_seconds, x.abandoned), x.max_wait_seconds,
         x.answered_wait_le_10, x.answered_wait_le_20, x.answered_wait_le_30, x.answered_wait_le_60, x.answered_wait_le_120, x.answered_wait_gt_120,
         x.abandoned_wait_le_10, x.abandoned_wait_le_20, x.abandoned_wait_le_30, x.abandoned_wait_le_60, x.abandoned_wait_le_120, x.abandoned_wait_gt_120
    from (
      select d.queue, d.location, d.abandon_mode, count(*)::integer as days_with_calls,
             sum(d.offered)::integer as offered, sum(d.answered)::integer as answered, sum(d.abandoned)::integer as abandoned,
             sum(d.short_abandoned)::integer as short_abandoned, sum(d.voicemail)::integer as voicemail, sum(d.missed)::integer as missed,
             sum(d.transferred)::integer as transferred, sum(d.answered_within_sl)::integer as answered_within_sl,
             sum(d.abandoned_within_sl)::integer as abandoned_within_sl, sum(d.wait_unknown)::integer as wait_unknown,
             sum(d.answered_wait_seconds)::bigint as answered_wait_seconds, sum(d.abandoned_wait_seconds)::bigint as abandoned_wait_seconds,
             max(d.max_wait_seconds)::integer as max_wait_seconds,
             sum(d.answered_wait_le_10)::integer as answered_wait_le_10, sum(d.answered_wait_le_20)::integer as answered_wait_le_20,
             sum(d.answered_wait_le_30)::integer as answered_wait_le_30, sum(d.answered_wait_le_60)::integer as answered_wait_le_60,
             sum(d.answered_wait_le_120)::integer as answered_wait_le_120, sum(d.answered_wait_gt_120)::integer as answered_wait_gt_120,
             sum(d.abandoned_wait_le_10)::integer as abandoned_wait_le_10, sum(d.abandoned_wait_le_20)::integer as abandoned_wait_le_20,
             sum(d.abandoned_wait_le_30)::integer as abandoned_wait_le_30, sum(d.abandoned_wait_le_60)::integer as abandoned_wait_le_60,
             sum(d.abandoned_wait_le_120)::integer as abandoned_wait_le_120, sum(d.abandoned_wait_gt_120)::integer as abandoned_wait_gt_120
        from app_public.queue_daily_kpis d
       where d.business_day between queue_kpis_for_range.from_day and queue_kpis_for_range.to_day
         and (queue_kpis_for_range.queue is null
              or d.queue = (select q.name from app_public.queues q where q.name = queue_kpis_for_range.queue or q.extension = queue_kpis_for_range.queue))
         and (queue_kpis_for_range.location is null or d.location = queue_kpis_for_range.location)
       group by d.queue, d.location, d.abandon_mode
    ) x
   order by x.queue
$function$;
comment on function app_public.queue_kpis_for_range(date,date,text,text) is 'Queue figures over a range of business days (inclusive), optionally one queue (by name or extension) or one location''s queues: the daily counts added up, ratios from the sums. Arguments that cannot match are errors (app_hidden.check_kpi_range).';
revoke all on function app_public.queue_kpis_for_range(date,date,text,text) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_public.queue_kpis_for_range(date,date,text,text) to app_visitor;

create or replace function app_public.team_kpis_for_range(from_day date, to_day date, location text default NULL::text)
 returns setof app_public.team_range_kpis
 language sql
 stable
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
  select app_hidden.check_kpi_range(from_day, to_day, null, location, null);
  select x.location, x.all_locations, x.team_name, from_day, to_day, x.days, x.agent_days,
         x.calls_handled, x.calls_handled_inbound, x.calls_missed, x.talk_seconds, x.hold_seconds, x.acw_seconds,
         app_hidden.per(x.talk_seconds + x.hold_seconds + x.acw_seconds, x.calls_handled - x.calls_talk_unknown), x.available_seconds,
         case when x.available_seconds > 0 then round(x.calls_handled / (x.available_seconds / 3600.0), 2) end,
         app_hidden.pct(x.talk_seconds + x.acw_seconds, x.available_seconds),
         app_hidden.pct(x.talk_seconds + x.hold_seconds + x.acw_seconds, x.available_seconds),
         x.fcr_resolved, x.fcr_final, case when x.fcr_provisional = 0 then app_hidden.pct(x.fcr_resolved, x.fcr_final) end,
         x.appointments, app_hidden.pct(x.appointments, x.calls_handled_inbound),
         x.csat_sum, x.csat_count, case when x.csat_count > 0 then round(x.csat_sum::numeric / x.csat_count, 2) end,
         x.complaints, app_hidden.pct(x.complaints, x.calls_handled),
         x.quality_score_sum, x.quality_reviews, case when x.quality_reviews > 0 then round(x.quality_score_sum / x.quality_reviews, 2) end,
         case when x.agent_days > 0 then round(x.calls_handled::numeric / x.agent_days, 2) end,
         x.shifts_scheduled, x.shifts_not_absent, app_hidden.pct(x.shifts_not_absent, x.shifts_scheduled),
         x.shifts_started, x.shifts_on_time, app_hidden.pct(x.shifts_on_time, x.shifts_started),
         x.scheduled_seconds, x.adherent_seconds, app_hidden.pct(x.adherent_seconds, x.scheduled_seconds),
         x.agent_days_with_goals, x.agent_days_meeting_goals, app_hidden.pct(x.agent_days_meeting_goals, x.agent_days_with_goals),
         x.training_hours_completed, x.coaching_sessions_conducted, x.calls_talk_unknown, x.fcr_provisional
    from (
      select d.location, d.all_locations, d.team_name, count(*)::integer as days, sum(d.active_agents)::integer as agent_days,
             sum(d.calls_handled)::integer as calls_handled, sum(d.calls_handled_inbound)::integer as calls_handled_inbound,
             sum(d.calls_missed)::integer as calls_missed, sum(d.talk_seconds)::bigint as talk_seconds, sum(d.hold_seconds)::bigint as hold_seconds,
             sum(d.acw_seconds)::bigint as acw_seconds, sum(d.available_seconds)::bigint as available_seconds,
             sum(d.fcr_resolved)::integer as fcr_resolved, sum(d.fcr_final)::integer as fcr_final, sum(d.fcr_provisional)::integer as fcr_provisional, sum(d.appointments)::integer as appointments,
             sum(d.csat_sum)::integer as csat_sum, sum(d.csat_count)::integer as csat_count, sum(d.complaints)::integer as complaints,
             sum(d.quality_score_sum) as quality_score_sum, sum(d.quality_reviews)::integer as quality_reviews,
             sum(d.shifts_scheduled)::integer as shifts_scheduled, sum(d.shifts_not_absent)::integer as shifts_not_absent,
             sum(d.shifts_started)::integer as shifts_started, sum(d.shifts_on_time)::integer as shifts_on_time,
             sum(d.scheduled_seconds)::bigint as scheduled_seconds, sum(d.adherent_seconds)::bigint as adherent_seconds,
             sum(d.agents_with_goals)::integer as agent_days_with_goals, sum(d.agents_meeting_goals)::integer as agent_days_meeting_goals,
             sum(d.training_hours_completed) as training_hours_completed, sum(d.coaching_sessions_conducted)::integer as coaching_sessions_conducted,
             sum(d.calls_talk_unknown)::integer as calls_talk_unknown
        from app_public.team_daily_kpis d
       where d.business_day between team_kpis_for_range.from_day and team_kpis_for_range.to_day
         and (team_kpis_for_range.location is null or d.location = team_kpis_for_range.location)
       group by d.location, d.all_locations, d.team_name
    ) x
   order by x.all_locations, x.location
$function$;
comment on function app_public.team_kpis_for_range(date,date,text) is 'Team (location) figures over a range of business days (inclusive), optionally one location: the stored daily team rows added up, ratios from the sums; calls per agent per day is handled / agent days.';
revoke all on function app_public.team_kpis_for_range(date,date,text) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_public.team_kpis_for_range(date,date,text) to app_visitor;
--! EndIncluded kpi/for-range.sql
--! Included kpi/drill-down.sql
create or replace function app_public.agent_day_calls(agent text, business_day date)
 returns setof app_public.call_center_records
 language sql
 stable
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
  select app_hidden.check_kpi_range(agent_day_calls.business_day, agent_day_calls.business_day, null, null, agent_day_calls.agent);
  select c.* from app_public.call_center_records c
   where c.call_direction in ('inbound', 'outbound')
     and exists (select 1 from app_public.call_legs l
                  where l.call_record_id = c.id and l.agent_extension = any (app_hidden.agent_extensions(agent_day_calls.agent))
                    and l.started_at >= app_hidden.business_day_start(agent_day_calls.business_day)
                    and l.started_at < app_hidden.business_day_start(agent_day_calls.business_day + 1)
                    and (l.outcome in ('answered', 'transferred') or l.leg_type = 'ring'))
   order by c.call_start_time
$function$;
comment on function app_public.agent_day_calls(text,date) is 'The calls behind an agent''s figures for one business day: those the agent handled or that rang the agent unanswered. The agent by email (each of the person''s extensions) or by extension; an unknown agent is an error (CC716), a missing day too (CC711).';
revoke all on function app_public.agent_day_calls(text,date) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_public.agent_day_calls(text,date) to app_visitor;

create or replace function app_public.queue_day_calls(queue text, business_day date)
 returns setof app_public.call_center_records
 language sql
 stable
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
  select app_hidden.check_kpi_range(queue_day_calls.business_day, queue_day_calls.business_day, queue_day_calls.queue, null, null);
  select c.* from app_public.call_center_records c
   where c.queue_name = (select q.name from app_public.queues q where q.name = queue_day_calls.queue or q.extension = queue_day_calls.queue)
     and c.call_direction = 'inbound'
     and c.queue_entry_time >= app_hidden.business_day_start(queue_day_calls.business_day)
     and c.queue_entry_time < app_hidden.business_day_start(queue_day_calls.business_day + 1)
   order by c.call_start_time
$function$;
comment on function app_public.queue_day_calls(text,date) is 'The calls behind a queue''s figures for one business day; the queue by name or extension (an unknown one is an error, CC715).';
revoke all on function app_public.queue_day_calls(text,date) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_public.queue_day_calls(text,date) to app_visitor;

create or replace function app_public.queue_interval_calls(queue text, interval_start timestamp with time zone)
 returns setof app_public.call_center_records
 language sql
 stable
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
  select app_hidden.check_kpi_range(app_hidden.business_day(queue_interval_calls.interval_start), app_hidden.business_day(queue_interval_calls.interval_start),
                                    queue_interval_calls.queue, null, null);
  select c.* from app_public.call_center_records c
   where c.queue_name = (select q.name from app_public.queues q where q.name = queue_interval_calls.queue or q.extension = queue_interval_calls.queue)
     and c.call_direction = 'inbound'
     and c.queue_entry_time >= app_hidden.kpi_interval(queue_interval_calls.interval_start)
     and c.queue_entry_time < app_hidden.kpi_interval(queue_interval_calls.interval_start) + interval '15 minutes'
   order by c.call_start_time
$function$;
comment on function app_public.queue_interval_calls(text,timestamp with time zone) is 'The calls behind a queue''s figures for one 15-minute interval (those offered to it then); the queue by name or extension (an unknown one is an error, CC715).';
revoke all on function app_public.queue_interval_calls(text,timestamp with time zone) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_public.queue_interval_calls(text,timestamp with time zone) to app_visitor;
--! EndIncluded kpi/drill-down.sql
--! Included kpi/staffing-forecast.sql
create or replace function app_public.staffing_forecast(for_day date, queue text default NULL::text)
 returns setof app_public.staffing_interval
 language sql
 stable
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
  select app_hidden.check_kpi_range(for_day, for_day, queue, null, null);
  with q as (
    select s.queue_name, s.location, s.sl_threshold_seconds, s.sl_goal_pct
      from app_hidden.effective_queue_settings s
     where (staffing_forecast.queue is null
            or s.queue_name = (select x.name from app_public.queues x where x.name = staffing_forecast.queue or x.extension = staffing_forecast.queue))
       and ((select app_hidden.sees_all()) or s.location = any ((select app_hidden.team_locations())::text[]))
  ), slots as (
    select t as interval_start, (t at time zone app_hidden.business_timezone())::time as local_time
      from generate_series(app_hidden.business_day_start(for_day), app_hidden.business_day_start(for_day + 1) - interval '15 minutes', interval '15 minutes') t
  ), history as (
    select q.queue_name, sl.interval_start, coalesce(sum(st.offered), 0)::integer as offered
      from q cross join slots sl cross join generate_series(1, 4) w
      left join app_public.queue_interval_stats st
        on st.queue_name = q.queue_name
       and st.interval_start = ((for_day - 7 * w) + sl.local_time) at time zone app_hidden.business_timezone()
     group by q.queue_name, sl.interval_start
  ), handling as (
    select q.queue_name, count(c.id)::integer as answered,
           coalesce(sum(coalesce(c.talk_duration_seconds, 0) + coalesce(c.hold_time_seconds, 0) + coalesce(c.after_call_work_seconds, 0)), 0)::bigint as handle_seconds
      from q cross join generate_series(1, 4) w
      left join app_public.call_center_records c
        on c.queue_name = q.queue_name and c.call_direction = 'inbound' and c.call_answer_time is not null and c.call_end_time is not null
       and c.call_start_time >= app_hidden.business_day_start(for_day - 7 * w) and c.call_start_time < app_hidden.business_day_start(for_day - 7 * w + 1)
     group by q.queue_name
  ), scheduled as (
    select q.queue_name, sl.interval_start, count(s.id)::integer as agents
      from q cross join slots sl
      left join app_public.agent_shifts s
        on s.location = q.location and s.shift_status <> 'absent' and s.shift_date in (for_day - 1, for_day)
       and app_hidden.shift_window(s.shift_date, s.scheduled_start_time, s.scheduled_end_time) @> tstzrange(sl.interval_start, sl.interval_start + interval '15 minutes')
     group by q.queue_name, sl.interval_start
  ), figures as (
    select q.queue_name, q.location, h.interval_start, h.offered, round(h.offered / 4.0, 2) as forecast_offered,
           hd.answered, hd.handle_seconds, case when hd.answered > 0 then hd.handle_seconds::numeric / hd.answered end as aht,
           q.sl_threshold_seconds, q.sl_goal_pct, sc.agents as scheduled
      from q
      join history h on h.queue_name = q.queue_name
      join handling hd on hd.queue_name = q.queue_name
      join scheduled sc on sc.queue_name = q.queue_name and sc.interval_start = h.interval_start
  ), needed as (
    select f.*, (f.offered / 4.0 / 900.0 * f.aht)::double precision as traffic,
           app_hidden.erlang_c_required_agents((f.offered / 4.0 / 900.0 * f.aht)::double precision, f.aht::double precision, f.sl_threshold_seconds, f.sl_goal_pct) as required
      from figures f
  )
  select n.queue_name, n.location, n.interval_start, 4, n.offered, n.forecast_offered, n.answered, n.handle_seconds,
         round(n.aht, 2), round(n.traffic::numeric, 2), n.sl_threshold_seconds, n.sl_goal_pct, n.required,
         round(100 * app_hidden.erlang_c_service_level(n.traffic, n.required, n.sl_threshold_seconds, n.aht::double precision)::numeric, 2),
         n.scheduled,
         case when n.aht is not null then round(100 * app_hidden.erlang_c_service_level(n.traffic, n.scheduled, n.sl_threshold_seconds, n.aht::double precision)::numeric, 2) end,
         n.scheduled - n.required
    from needed n
   order by n.queue_name, n.interval_start
$function$;
comment on function app_public.staffing_forecast(date,text) is 'Erlang C staffing for every 15-minute interval of a business day, per queue (or one queue, by name or extension; an unknown one is an error, CC715): calls forecast from the same weekday and interval of the last 4 weeks, the agents needed for the queue''s service-level goal, and the agents scheduled (the queues of your locations; managers: all).';
revoke all on function app_public.staffing_forecast(date,text) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_public.staffing_forecast(date,text) to app_visitor;
--! EndIncluded kpi/staffing-forecast.sql
--! Included calls/search-call-records.sql
-- The calls list behind GET /api/call-records and the searchCallRecords query:
-- a bounded time range and whitelisted filters over indexed columns (never a
-- free-form filter), under the calls' own row-level security.
create or replace function app_public.search_call_records(
  from_time timestamptz,
  to_time timestamptz,
  agent text default null,
  location text default null,
  queue text default null,
  direction text default null,
  status text default null,
  call_type text default null,
  sort text default '-call_start_time')
 returns setof app_public.call_center_records
 language plpgsql
 stable
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
declare
  -- The widest range one search may cover (CC713; db/error_codes.md).
  max_days constant integer := 93;
  queue_found text;
begin
  if from_time is null then
    raise exception 'fromTime is required: the start of the range (inclusive).' using errcode = 'CC711', column = 'from_time';
  end if;
  if to_time is null then
    raise exception 'toTime is required: the end of the range (exclusive).' using errcode = 'CC711', column = 'to_time';
  end if;
  if to_time <= from_time then
    raise exception 'toTime must be after fromTime.' using errcode = 'CC712', column = 'to_time';
  end if;
  if to_time - from_time > make_interval(days => max_days) then
    raise exception 'A search covers at most % days; this one covers %.', max_days, ceil(extract(epoch from to_time - from_time) / 86400)
      using errcode = 'CC713', column = 'to_time';
  end if;
  if direction is not null and direction not in ('inbound', 'outbound', 'internal') then
    raise exception 'direction must be inbound, outbound or internal.' using errcode = 'CC714', column = 'direction';
  end if;
  if status is not null and status not in ('completed', 'transferred', 'abandoned', 'missed', 'voicemail') then
    raise exception 'status must be completed, transferred, abandoned, missed or voicemail.' using errcode = 'CC714', column = 'status';
  end if;
  if call_type is not null and call_type not in ('appointment', 'prescription', 'billing', 'general', 'follow_up') then
    raise exception 'callType must be appointment, prescription, billing, general or follow_up.' using errcode = 'CC714', column = 'call_type';
  end if;
  if sort not in ('call_start_time', '-call_start_time', 'wait_seconds', '-wait_seconds', 'talk_duration_seconds', '-talk_duration_seconds') then
    raise exception 'sort must be call_start_time, wait_seconds or talk_duration_seconds, with - before it for descending.' using errcode = 'CC714', column = 'sort';
  end if;
  perform app_hidden.check_known_queue_and_location(queue, location);
  if agent is not null then
    if app_hidden.agent_extensions(agent) is null then
      raise exception 'No agent with email or extension % that you may see.', agent using errcode = 'CC715', column = 'agent';
    end if;
  end if;
  -- A queue by its name or by its extension.
  select q.name into queue_found from app_public.queues q where q.name = queue or q.extension = queue;
  return query
    select c.* from app_public.call_center_records c
     where c.call_start_time >= from_time and c.call_start_time < to_time
       -- An agent by email (indexed on agent_email) or by extension (indexed on agent_extension).
       and (agent is null or (strpos(agent, '@') > 0 and c.agent_email = agent::citext) or (strpos(agent, '@') = 0 and c.agent_extension = agent))
       and (search_call_records.location is null or c.location = search_call_records.location)
       and (queue_found is null or c.queue_name = queue_found)
       and (direction is null or c.call_direction = direction)
       and (status is null or c.call_status = status)
       and (search_call_records.call_type is null or c.call_type = search_call_records.call_type)
     order by
       case sort when 'call_start_time' then c.call_start_time end asc,
       case sort when '-call_start_time' then c.call_start_time end desc,
       case sort when 'wait_seconds' then c.wait_seconds end asc nulls last,
       case sort when '-wait_seconds' then c.wait_seconds end desc nulls last,
       case sort when 'talk_duration_seconds' then c.talk_duration_seconds end asc nulls last,
       case sort when '-talk_duration_seconds' then c.talk_duration_seconds end desc nulls last,
       c.call_start_time desc, c.id;
end;
$function$;
comment on function app_public.search_call_records(timestamptz, timestamptz, text, text, text, text, text, text, text) is E'Calls that started in [fromTime, toTime) (at most 93 days), optionally of one agent (by email or extension), location, queue (name or extension), direction, status or call type; the calls you may see, sorted by `sort` (call_start_time, wait_seconds or talk_duration_seconds; a leading - for descending; default -call_start_time). An unknown agent, queue or location, a bad value or a range too wide is an error, not an empty list.';
revoke all on function app_public.search_call_records(timestamptz, timestamptz, text, text, text, text, text, text, text) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_public.search_call_records(timestamptz, timestamptz, text, text, text, text, text, text, text) to app_visitor;
--! EndIncluded calls/search-call-records.sql
