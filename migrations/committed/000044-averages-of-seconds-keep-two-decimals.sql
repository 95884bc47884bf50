--! Previous: sha1:20fcd62eeecd82c5c50ed103ae117086485b0e06
--! Hash: sha1:ac75a9793ca3bb9f2759132b47092e242ca19be1
--! Message: Averages of seconds keep two decimals

-- Averages of seconds (ASA, AHT, average abandon wait) keep two decimals, as the
-- KPI definitions say (18.79 s, not 19); they were rounded to whole seconds.
-- app_hidden.per changes its result type, so the KPI views that call it are
-- dropped with it and created again from their files.
drop function if exists app_hidden.per(numeric, numeric) cascade;
--! Included kpi/ratios.sql
create or replace function app_hidden.pct(numerator numeric, denominator numeric)
 returns numeric
 language sql
 immutable parallel safe
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$ select case when denominator > 0 then round(100 * numerator / denominator, 2) end $function$;
comment on function app_hidden.pct(numeric,numeric) is 'numerator / denominator × 100, two decimals, half away from zero; NULL when the denominator is 0.';
revoke all on function app_hidden.pct(numeric,numeric) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_hidden.pct(numeric,numeric) to app_analyst, app_visitor, app_worker;

create or replace function app_hidden.per(numerator numeric, denominator numeric)
 returns numeric
 language sql
 immutable parallel safe
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$ select case when denominator > 0 then round(numerator / denominator, 2) end $function$;
comment on function app_hidden.per(numeric,numeric) is 'numerator / denominator, an average of whole seconds kept to two decimals (18.79 s), rounded half away from zero; NULL when the denominator is 0.';
revoke all on function app_hidden.per(numeric,numeric) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_hidden.per(numeric,numeric) to app_analyst, app_visitor, app_worker;
--! EndIncluded kpi/ratios.sql
--! Included kpi/queue-kpis.sql
create or replace view analytics.queue_interval_kpis as
select s.queue_name as queue, st.location, s.interval_start, s.business_day,
       s.offered, s.answered, s.abandoned, s.short_abandoned, s.voicemail, s.missed, s.transferred,
       s.answered_within_sl, s.abandoned_within_sl, s.wait_unknown, st.abandon_mode,
       app_hidden.service_level_denominator(st.abandon_mode, s.offered, s.answered, s.short_abandoned, s.wait_unknown) as service_level_denominator,
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
       app_hidden.service_level_denominator(d.abandon_mode, d.offered, d.answered, d.short_abandoned, d.wait_unknown) as service_level_denominator,
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
         sum(s.offered) as offered, sum(s.answered) as answered, sum(s.abandoned) as abandoned, sum(s.short_abandoned) as short_abandoned,
         sum(s.voicemail) as voicemail, sum(s.missed) as missed, sum(s.transferred) as transferred,
         sum(s.answered_within_sl) as answered_within_sl, sum(s.abandoned_within_sl) as abandoned_within_sl, sum(s.wait_unknown) as wait_unknown,
         sum(s.answered_wait_seconds) as answered_wait_seconds, sum(s.abandoned_wait_seconds) as abandoned_wait_seconds, max(s.max_wait_seconds) as max_wait_seconds,
         sum(s.answered_wait_le_10) as answered_wait_le_10, sum(s.answered_wait_le_20) as answered_wait_le_20, sum(s.answered_wait_le_30) as answered_wait_le_30,
         sum(s.answered_wait_le_60) as answered_wait_le_60, sum(s.answered_wait_le_120) as answered_wait_le_120, sum(s.answered_wait_gt_120) as answered_wait_gt_120,
         sum(s.abandoned_wait_le_10) as abandoned_wait_le_10, sum(s.abandoned_wait_le_20) as abandoned_wait_le_20, sum(s.abandoned_wait_le_30) as abandoned_wait_le_30,
         sum(s.abandoned_wait_le_60) as abandoned_wait_le_60, sum(s.abandoned_wait_le_120) as abandoned_wait_le_120, sum(s.abandoned_wait_gt_120) as abandoned_wait_gt_120
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
  select sum(q.percentage_score) as quality_score_sum, count(q.percentage_score) as quality_reviews
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
--! Included kpi/team-kpis.sql
create or replace view analytics.team_daily_kpis as
select t.location, t.location is null as all_locations, t.reporting_period as business_day, t.team_name,
       t.total_agents, t.active_agents, t.agents_with_calls,
       t.total_calls_handled as calls_handled, t.calls_handled_inbound, t.total_calls_missed as calls_missed,
       t.talk_seconds, t.hold_seconds, t.acw_seconds,
       app_hidden.per(t.talk_seconds + t.hold_seconds + t.acw_seconds, t.total_calls_handled - t.calls_talk_unknown) as aht_seconds,
       t.available_seconds,
       case when t.available_seconds > 0 then round(t.total_calls_handled / (t.available_seconds / 3600.0), 2) end as calls_per_hour,
       t.utilization_rate as utilization_pct,
       app_hidden.pct(t.talk_seconds + t.hold_seconds + t.acw_seconds, t.available_seconds) as occupancy_pct,
       t.fcr_resolved, t.fcr_final, t.first_call_resolution_rate as fcr_pct,
       t.appointments, t.appointment_conversion_rate as appointment_conversion_pct,
       t.csat_sum, t.csat_count, t.average_customer_satisfaction as csat_avg,
       t.complaints, t.complaint_rate as complaint_rate_pct,
       t.quality_score_sum, t.quality_reviews, t.average_quality_score as quality_score_avg,
       t.calls_per_agent_per_day,
       t.shifts_scheduled, t.shifts_not_absent, t.attendance_rate as attendance_rate_pct,
       t.shifts_started, t.shifts_on_time, t.punctuality_rate as punctuality_rate_pct,
       t.scheduled_seconds, t.adherent_seconds, t.schedule_adherence_rate as schedule_adherence_pct,
       t.agents_with_goals, t.agents_meeting_goals, t.team_goal_achievement_rate as team_goal_achievement_pct,
       t.training_hours_completed, t.coaching_sessions_conducted, t.average_experience_months, t.certifications_earned, t.computed_at,
       t.calls_talk_unknown,
       t.fcr_provisional
from app_public.team_performance_metrics t;
comment on view analytics.team_daily_kpis is 'Team (location) figures per business day, as stored in team_performance_metrics: the agents'' counts summed, never averages of percentages, each ratio beside its numerator and denominator; all_locations marks the practice-wide row.';
comment on column analytics.team_daily_kpis.location is 'The location (queue''s or agent''s).';
comment on column analytics.team_daily_kpis.all_locations is 'True on the row for all locations together.';
comment on column analytics.team_daily_kpis.business_day is 'Business day (local date in the business time zone).';
comment on column analytics.team_daily_kpis.team_name is 'The team''s name (the location''s; "All locations" for the practice-wide row).';
comment on column analytics.team_daily_kpis.total_agents is 'Active agents in the directory at the location.';
comment on column analytics.team_daily_kpis.active_agents is 'Agents with a started shift at the location or a handled call that day.';
comment on column analytics.team_daily_kpis.agents_with_calls is 'Agents who handled at least one call.';
comment on column analytics.team_daily_kpis.calls_handled is 'Calls the agent answered a leg of (inbound and outbound).';
comment on column analytics.team_daily_kpis.calls_handled_inbound is 'Inbound calls among calls_handled.';
comment on column analytics.team_daily_kpis.calls_missed is 'Inbound calls that rang the agent and were not answered by them.';
comment on column analytics.team_daily_kpis.talk_seconds is 'Σ talk of answered legs.';
comment on column analytics.team_daily_kpis.hold_seconds is 'Σ hold time.';
comment on column analytics.team_daily_kpis.acw_seconds is 'Σ after-call work.';
comment on column analytics.team_daily_kpis.aht_seconds is '(talk + hold + acw) / (calls_handled − calls_talk_unknown).';
comment on column analytics.team_daily_kpis.available_seconds is 'Shift time worked less breaks, lunch, training and meetings (an open shift counts up to now).';
comment on column analytics.team_daily_kpis.calls_per_hour is 'calls_handled / (available_seconds / 3600), two decimals.';
comment on column analytics.team_daily_kpis.utilization_pct is '(talk + acw) / available × 100.';
comment on column analytics.team_daily_kpis.occupancy_pct is '(talk + hold + acw) / available × 100.';
comment on column analytics.team_daily_kpis.fcr_resolved is 'Handled inbound calls resolved first time, once final.';
comment on column analytics.team_daily_kpis.fcr_final is 'Handled inbound calls whose resolution is final.';
comment on column analytics.team_daily_kpis.fcr_pct is 'fcr_resolved / fcr_final × 100; NULL while any of the day''s handled inbound calls is provisional (fcr_provisional > 0).';
comment on column analytics.team_daily_kpis.appointments is 'Handled inbound calls with an appointment scheduled.';
comment on column analytics.team_daily_kpis.appointment_conversion_pct is 'appointments / calls_handled_inbound × 100.';
comment on column analytics.team_daily_kpis.csat_sum is 'Σ satisfaction scores of rated calls.';
comment on column analytics.team_daily_kpis.csat_count is 'Rated calls.';
comment on column analytics.team_daily_kpis.csat_avg is 'csat_sum / csat_count.';
comment on column analytics.team_daily_kpis.complaints is 'Complaint calls.';
comment on column analytics.team_daily_kpis.complaint_rate_pct is 'complaints / calls_handled × 100.';
comment on column analytics.team_daily_kpis.quality_score_sum is 'Σ percentage scores of the completed QA reviews dated that day.';
comment on column analytics.team_daily_kpis.quality_reviews is 'Completed QA reviews dated that day, with a score.';
comment on column analytics.team_daily_kpis.quality_score_avg is 'quality_score_sum / quality_reviews.';
comment on column analytics.team_daily_kpis.calls_per_agent_per_day is 'calls_handled / active_agents.';
comment on column analytics.team_daily_kpis.shifts_scheduled is 'Shifts scheduled that day.';
comment on column analytics.team_daily_kpis.shifts_not_absent is 'Shifts not absent.';
comment on column analytics.team_daily_kpis.attendance_rate_pct is 'shifts_not_absent / shifts_scheduled × 100.';
comment on column analytics.team_daily_kpis.shifts_started is 'Shifts with a start logged.';
comment on column analytics.team_daily_kpis.shifts_on_time is 'Started shifts with no tardiness.';
comment on column analytics.team_daily_kpis.punctuality_rate_pct is 'shifts_on_time / shifts_started × 100.';
comment on column analytics.team_daily_kpis.scheduled_seconds is 'Σ scheduled length of the shifts.';
comment on column analytics.team_daily_kpis.adherent_seconds is 'Σ time worked inside the scheduled windows.';
comment on column analytics.team_daily_kpis.schedule_adherence_pct is 'adherent_seconds / scheduled_seconds × 100.';
comment on column analytics.team_daily_kpis.agents_with_goals is 'Agents with a goal (with targets) covering the day.';
comment on column analytics.team_daily_kpis.agents_meeting_goals is 'Agents among them whose covering goals have every set target met.';
comment on column analytics.team_daily_kpis.team_goal_achievement_pct is 'agents_meeting_goals / agents_with_goals × 100.';
comment on column analytics.team_daily_kpis.training_hours_completed is 'Σ training time of the started shifts, hours.';
comment on column analytics.team_daily_kpis.coaching_sessions_conducted is 'QA reviews discussed with the agent that day.';
comment on column analytics.team_daily_kpis.average_experience_months is 'Mean months since hire (whole calendar months, plus days / 30) of the active agents with a hire date.';
comment on column analytics.team_daily_kpis.certifications_earned is 'Entered by managers (no source system).';
comment on column analytics.team_daily_kpis.computed_at is 'When the row was last recounted.';
comment on column analytics.team_daily_kpis.calls_talk_unknown is 'Handled calls whose talk time the record cannot tell (reached through a queue or IVR, or passed on): counted in calls_handled, left out of talk_seconds and of the AHT denominator.';
comment on column analytics.team_daily_kpis.fcr_provisional is 'Handled inbound calls whose first-call resolution is not final yet (resolved so far, repeat-call window still open).';
revoke all on analytics.team_daily_kpis from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant select on analytics.team_daily_kpis to app_analyst;

create or replace view app_public.team_daily_kpis as
select k.location, k.all_locations, k.business_day, k.team_name, k.total_agents, k.active_agents, k.agents_with_calls,
       k.calls_handled, k.calls_handled_inbound, k.calls_missed, k.talk_seconds, k.hold_seconds, k.acw_seconds,
       k.aht_seconds, k.available_seconds, k.calls_per_hour, k.utilization_pct, k.occupancy_pct, k.fcr_resolved,
       k.fcr_final, k.fcr_pct, k.appointments, k.appointment_conversion_pct, k.csat_sum, k.csat_count, k.csat_avg,
       k.complaints, k.complaint_rate_pct, k.quality_score_sum, k.quality_reviews, k.quality_score_avg,
       k.calls_per_agent_per_day, k.shifts_scheduled, k.shifts_not_absent, k.attendance_rate_pct, k.shifts_started,
       k.shifts_on_time, k.punctuality_rate_pct, k.scheduled_seconds, k.adherent_seconds, k.schedule_adherence_pct,
       k.agents_with_goals, k.agents_meeting_goals, k.team_goal_achievement_pct, k.training_hours_completed,
       k.coaching_sessions_conducted, k.average_experience_months, k.certifications_earned, k.computed_at,
       k.calls_talk_unknown, k.fcr_provisional
from analytics.team_daily_kpis k
 where (select app_hidden.sees_all()) or (not k.all_locations and k.location = any ((select app_hidden.team_locations())::text[]));
comment on view app_public.team_daily_kpis is 'Team (location) figures per business day, as stored in team_performance_metrics: the agents'' counts summed, then divided (your locations; managers: all, and the practice-wide row).';
comment on column app_public.team_daily_kpis.location is 'The location (queue''s or agent''s).';
comment on column app_public.team_daily_kpis.all_locations is 'True on the row for all locations together.';
comment on column app_public.team_daily_kpis.business_day is 'Business day (local date in the business time zone).';
comment on column app_public.team_daily_kpis.team_name is 'The team''s name (the location''s; "All locations" for the practice-wide row).';
comment on column app_public.team_daily_kpis.total_agents is 'Active agents in the directory at the location.';
comment on column app_public.team_daily_kpis.active_agents is 'Agents with a started shift at the location or a handled call that day.';
comment on column app_public.team_daily_kpis.agents_with_calls is 'Agents who handled at least one call.';
comment on column app_public.team_daily_kpis.calls_handled is 'Calls the agent answered a leg of (inbound and outbound).';
comment on column app_public.team_daily_kpis.calls_handled_inbound is 'Inbound calls among calls_handled.';
comment on column app_public.team_daily_kpis.calls_missed is 'Inbound calls that rang the agent and were not answered by them.';
comment on column app_public.team_daily_kpis.talk_seconds is 'Σ talk of answered legs.';
comment on column app_public.team_daily_kpis.hold_seconds is 'Σ hold time.';
comment on column app_public.team_daily_kpis.acw_seconds is 'Σ after-call work.';
comment on column app_public.team_daily_kpis.aht_seconds is '(talk + hold + acw) / (calls_handled − calls_talk_unknown).';
comment on column app_public.team_daily_kpis.available_seconds is 'Shift time worked less breaks, lunch, training and meetings (an open shift counts up to now).';
comment on column app_public.team_daily_kpis.calls_per_hour is 'calls_handled / (available_seconds / 3600), two decimals.';
comment on column app_public.team_daily_kpis.utilization_pct is '(talk + acw) / available × 100.';
comment on column app_public.team_daily_kpis.occupancy_pct is '(talk + hold + acw) / available × 100.';
comment on column app_public.team_daily_kpis.fcr_resolved is 'Handled inbound calls resolved first time, once final.';
comment on column app_public.team_daily_kpis.fcr_final is 'Handled inbound calls whose resolution is final.';
comment on column app_public.team_daily_kpis.fcr_pct is 'fcr_resolved / fcr_final × 100; NULL while any of the day''s handled inbound calls is provisional (fcr_provisional > 0).';
comment on column app_public.team_daily_kpis.appointments is 'Handled inbound calls with an appointment scheduled.';
comment on column app_public.team_daily_kpis.appointment_conversion_pct is 'appointments / calls_handled_inbound × 100.';
comment on column app_public.team_daily_kpis.csat_sum is 'Σ satisfaction scores of rated calls.';
comment on column app_public.team_daily_kpis.csat_count is 'Rated calls.';
comment on column app_public.team_daily_kpis.csat_avg is 'csat_sum / csat_count.';
comment on column app_public.team_daily_kpis.complaints is 'Complaint calls.';
comment on column app_public.team_daily_kpis.complaint_rate_pct is 'complaints / calls_handled × 100.';
comment on column app_public.team_daily_kpis.quality_score_sum is 'Σ percentage scores of the completed QA reviews dated that day.';
comment on column app_public.team_daily_kpis.quality_reviews is 'Completed QA reviews dated that day, with a score.';
comment on column app_public.team_daily_kpis.quality_score_avg is 'quality_score_sum / quality_reviews.';
comment on column app_public.team_daily_kpis.calls_per_agent_per_day is 'calls_handled / active_agents.';
comment on column app_public.team_daily_kpis.shifts_scheduled is 'Shifts scheduled that day.';
comment on column app_public.team_daily_kpis.shifts_not_absent is 'Shifts not absent.';
comment on column app_public.team_daily_kpis.attendance_rate_pct is 'shifts_not_absent / shifts_scheduled × 100.';
comment on column app_public.team_daily_kpis.shifts_started is 'Shifts with a start logged.';
comment on column app_public.team_daily_kpis.shifts_on_time is 'Started shifts with no tardiness.';
comment on column app_public.team_daily_kpis.punctuality_rate_pct is 'shifts_on_time / shifts_started × 100.';
comment on column app_public.team_daily_kpis.scheduled_seconds is 'Σ scheduled length of the shifts.';
comment on column app_public.team_daily_kpis.adherent_seconds is 'Σ time worked inside the scheduled windows.';
comment on column app_public.team_daily_kpis.schedule_adherence_pct is 'adherent_seconds / scheduled_seconds × 100.';
comment on column app_public.team_daily_kpis.agents_with_goals is 'Agents with a goal (with targets) covering the day.';
comment on column app_public.team_daily_kpis.agents_meeting_goals is 'Agents among them whose covering goals have every set target met.';
comment on column app_public.team_daily_kpis.team_goal_achievement_pct is 'agents_meeting_goals / agents_with_goals × 100.';
comment on column app_public.team_daily_kpis.training_hours_completed is 'Σ training time of the started shifts, hours.';
comment on column app_public.team_daily_kpis.coaching_sessions_conducted is 'QA reviews discussed with the agent that day.';
comment on column app_public.team_daily_kpis.average_experience_months is 'Mean months since hire (whole calendar months, plus days / 30) of the active agents with a hire date.';
comment on column app_public.team_daily_kpis.certifications_earned is 'Entered by managers (no source system).';
comment on column app_public.team_daily_kpis.computed_at is 'When the row was last recounted.';
comment on column app_public.team_daily_kpis.calls_talk_unknown is 'Handled calls whose talk time the record cannot tell (reached through a queue or IVR, or passed on): counted in calls_handled, left out of talk_seconds and of the AHT denominator.';
comment on column app_public.team_daily_kpis.fcr_provisional is 'Handled inbound calls whose first-call resolution is not final yet (resolved so far, repeat-call window still open).';
revoke all on app_public.team_daily_kpis from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant select on app_public.team_daily_kpis to app_visitor;
--! EndIncluded kpi/team-kpis.sql
alter type app_public.agent_range_kpis alter attribute aht_seconds type numeric;
alter type app_public.queue_range_kpis alter attribute asa_seconds type numeric, alter attribute avg_abandon_wait_seconds type numeric;
alter type app_public.team_range_kpis alter attribute aht_seconds type numeric;
--! Included kpi/for-range.sql
create or replace function app_public.agent_kpis_for_range(from_day date, to_day date, agent_email citext default NULL::citext, location text default NULL::text)
 returns setof app_public.agent_range_kpis
 language sql
 stable
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
  select app_hidden.check_kpi_range(from_day, to_day, null, location, agent_email);
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
             sum(d.calls_handled)::bigint as calls_handled, sum(d.calls_handled_inbound)::bigint as calls_handled_inbound,
             sum(d.calls_missed)::bigint as calls_missed, sum(d.talk_seconds)::bigint as talk_seconds, sum(d.hold_seconds)::bigint as hold_seconds,
             sum(d.acw_seconds)::bigint as acw_seconds, coalesce(sum(d.available_seconds), 0)::bigint as available_seconds,
             sum(d.fcr_resolved)::bigint as fcr_resolved, sum(d.fcr_final)::bigint as fcr_final, sum(d.fcr_provisional)::bigint as fcr_provisional, sum(d.appointments)::bigint as appointments,
             sum(d.csat_sum)::bigint as csat_sum, sum(d.csat_count)::bigint as csat_count, sum(d.complaints)::bigint as complaints,
             sum(d.quality_score_sum) as quality_score_sum, sum(d.quality_reviews)::bigint as quality_reviews,
             sum(d.calls_talk_unknown)::bigint as calls_talk_unknown
        from app_public.agent_daily_kpis d
       where d.business_day between agent_kpis_for_range.from_day and agent_kpis_for_range.to_day
         and (agent_kpis_for_range.agent_email is null or d.agent_email = agent_kpis_for_range.agent_email)
         and (agent_kpis_for_range.location is null or d.location = agent_kpis_for_range.location)
       group by d.agent_extension, d.agent_email, d.agent_name, d.location
    ) x
   order by x.agent_extension
$function$;
comment on function app_public.agent_kpis_for_range(date,date,citext,text) is 'Agent figures over a range of business days (inclusive), optionally one agent or one location''s agents: the daily counts added up, ratios from the sums.';
revoke all on function app_public.agent_kpis_for_range(date,date,citext,text) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_public.agent_kpis_for_range(date,date,citext,text) to app_visitor;

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
             sum(d.offered)::bigint as offered, sum(d.answered)::bigint as answered, sum(d.abandoned)::bigint as abandoned,
             sum(d.short_abandoned)::bigint as short_abandoned, sum(d.voicemail)::bigint as voicemail, sum(d.missed)::bigint as missed,
             sum(d.transferred)::bigint as transferred, sum(d.answered_within_sl)::bigint as answered_within_sl,
             sum(d.abandoned_within_sl)::bigint as abandoned_within_sl, sum(d.wait_unknown)::bigint as wait_unknown,
             sum(d.answered_wait_seconds)::bigint as answered_wait_seconds, sum(d.abandoned_wait_seconds)::bigint as abandoned_wait_seconds,
             max(d.max_wait_seconds)::integer as max_wait_seconds,
             sum(d.answered_wait_le_10)::bigint as answered_wait_le_10, sum(d.answered_wait_le_20)::bigint as answered_wait_le_20,
             sum(d.answered_wait_le_30)::bigint as answered_wait_le_30, sum(d.answered_wait_le_60)::bigint as answered_wait_le_60,
             sum(d.answered_wait_le_120)::bigint as answered_wait_le_120, sum(d.answered_wait_gt_120)::bigint as answered_wait_gt_120,
             sum(d.abandoned_wait_le_10)::bigint as abandoned_wait_le_10, sum(d.abandoned_wait_le_20)::bigint as abandoned_wait_le_20,
             sum(d.abandoned_wait_le_30)::bigint as abandoned_wait_le_30, sum(d.abandoned_wait_le_60)::bigint as abandoned_wait_le_60,
             sum(d.abandoned_wait_le_120)::bigint as abandoned_wait_le_120, sum(d.abandoned_wait_gt_120)::bigint as abandoned_wait_gt_120
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
      select d.location, d.all_locations, d.team_name, count(*)::integer as days, sum(d.active_agents)::bigint as agent_days,
             sum(d.calls_handled)::bigint as calls_handled, sum(d.calls_handled_inbound)::bigint as calls_handled_inbound,
             sum(d.calls_missed)::bigint as calls_missed, sum(d.talk_seconds)::bigint as talk_seconds, sum(d.hold_seconds)::bigint as hold_seconds,
             sum(d.acw_seconds)::bigint as acw_seconds, sum(d.available_seconds)::bigint as available_seconds,
             sum(d.fcr_resolved)::bigint as fcr_resolved, sum(d.fcr_final)::bigint as fcr_final, sum(d.fcr_provisional)::bigint as fcr_provisional, sum(d.appointments)::bigint as appointments,
             sum(d.csat_sum)::bigint as csat_sum, sum(d.csat_count)::bigint as csat_count, sum(d.complaints)::bigint as complaints,
             sum(d.quality_score_sum) as quality_score_sum, sum(d.quality_reviews)::bigint as quality_reviews,
             sum(d.shifts_scheduled)::bigint as shifts_scheduled, sum(d.shifts_not_absent)::bigint as shifts_not_absent,
             sum(d.shifts_started)::bigint as shifts_started, sum(d.shifts_on_time)::bigint as shifts_on_time,
             sum(d.scheduled_seconds)::bigint as scheduled_seconds, sum(d.adherent_seconds)::bigint as adherent_seconds,
             sum(d.agents_with_goals)::bigint as agent_days_with_goals, sum(d.agents_meeting_goals)::bigint as agent_days_meeting_goals,
             sum(d.training_hours_completed) as training_hours_completed, sum(d.coaching_sessions_conducted)::bigint as coaching_sessions_conducted,
             sum(d.calls_talk_unknown)::bigint as calls_talk_unknown
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
