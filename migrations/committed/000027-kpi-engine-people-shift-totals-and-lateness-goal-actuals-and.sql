--! Previous: sha1:3851cc18d577a704119ee52a0b1afb052c83c760
--! Hash: sha1:ad8993d2600e20915dcb5d6f133fa2f930258c08
--! Message: KPI engine, people: shift totals and lateness, goal actuals and achievement (notified once), team rows, quality in the agent figures, any range rolled up from stored counts; marks appended so writers never wait, first-call resolution derived by the recount job

/*
 * Shifts. The scheduled window in the business zone (an end before the start
 * is the next day), lateness and status follow the logged times; the
 * figures over the shift are kept by the KPI upkeep below.
 */
create function app_hidden.shift_window(shift_date date, scheduled_start time, scheduled_end time) returns tstzrange
  language sql stable parallel safe
  set search_path to pg_catalog, public, pg_temp
  as $$
  select tstzrange((shift_date + scheduled_start) at time zone app_hidden.business_timezone(),
                   ((shift_date + case when scheduled_end < scheduled_start then 1 else 0 end) + scheduled_end) at time zone app_hidden.business_timezone())
$$;
comment on function app_hidden.shift_window(date, time, time) is 'The scheduled window of a shift as instants: local times on the shift date in the business zone; an end before the start is the next day.';

create function app_hidden.shift_available_seconds(actual_start timestamptz, actual_end timestamptz, break_minutes integer, lunch_minutes integer,
                                                   training_minutes integer, meeting_minutes integer) returns bigint
  language sql stable parallel safe
  set search_path to pg_catalog, public, pg_temp
  as $$
  select case when actual_start is null then 0
              else greatest(0, floor(extract(epoch from (greatest(actual_start, coalesce(actual_end, now())) - actual_start)))::bigint
                               - 60 * (break_minutes + lunch_minutes + training_minutes + meeting_minutes)) end
$$;
comment on function app_hidden.shift_available_seconds(timestamptz, timestamptz, integer, integer, integer, integer) is
  'Available time of a shift in seconds: (actual end − actual start) − breaks − lunch − training − meetings; an open shift counts up to now; 0 before the start is logged.';
grant execute on function app_hidden.shift_window(date, time, time),
  app_hidden.shift_available_seconds(timestamptz, timestamptz, integer, integer, integer, integer) to app_visitor, app_worker, app_analyst;

create function app_private.tg_agent_shifts__times() returns trigger
  language plpgsql volatile
  set search_path to pg_catalog, public, pg_temp
  as $$
declare
  w tstzrange := app_hidden.shift_window(new.shift_date, new.scheduled_start_time, new.scheduled_end_time);
begin
  new.tardiness_minutes := case when new.actual_start_time is null then 0
                                else greatest(0, floor(extract(epoch from (new.actual_start_time - lower(w))) / 60))::integer end;
  new.early_departure_minutes := case when new.actual_end_time is null then 0
                                      else greatest(0, floor(extract(epoch from (upper(w) - new.actual_end_time)) / 60))::integer end;
  new.shift_status := case
    when new.actual_start_time is null then case when new.shift_status = 'absent' then 'absent' else 'scheduled' end
    when new.actual_end_time is null then 'active'
    when new.tardiness_minutes > 15 or new.early_departure_minutes > 15 then 'partial'
    else 'completed' end;
  return new;
end;
$$;
comment on function app_private.tg_agent_shifts__times() is 'Lateness and status from the logged times: minutes late and early (whole, never negative); scheduled → active → completed, or partial when over 15 minutes late or early; absent stays absent until a start is logged.';
create trigger _200_shift_times before insert or update on app_public.agent_shifts
  for each row execute function app_private.tg_agent_shifts__times();

/* A shift nobody started by its scheduled end is absent (every few minutes, shifts__mark_absent). */
create function app_private.mark_absent_shifts() returns integer
  language plpgsql volatile
  set search_path to pg_catalog, public, pg_temp
  as $$
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
$$;
comment on function app_private.mark_absent_shifts() is 'Marks absent the shifts of the last days whose scheduled end has passed with no start logged; returns how many.';
grant execute on function app_private.mark_absent_shifts() to app_worker;

/*
 * What one person did between two instants, from their legs, counted as the
 * agent days count it: handled (answered a leg), missed (rang, unanswered,
 * inbound), talk of answered legs, hold and after-call work of the calls they
 * answered first.
 */
create function app_hidden.agent_work(agent_email citext, from_t timestamptz, to_t timestamptz)
  returns table (calls_handled integer, calls_missed integer, talk_seconds bigint, hold_seconds bigint, acw_seconds bigint)
  language sql stable
  set search_path to pg_catalog, public, pg_temp
  as $$
  with ext as (
    select a.extension from app_public.agents a where a.user_email = agent_work.agent_email and a.is_active
  ), per_call as (
    select l.call_record_id,
           bool_or(l.answered_at is not null and l.leg_type in ('talk', 'ring', 'transfer')) as handled,
           bool_or(l.answered_at is null and l.leg_type = 'ring') as rang_unanswered,
           coalesce(sum(extract(epoch from (l.ended_at - l.answered_at))) filter (where l.answered_at is not null and l.ended_at is not null and l.leg_type in ('talk', 'ring', 'transfer')), 0) as talk
      from ext
      join app_public.call_legs l on l.agent_extension = ext.extension and l.started_at >= from_t and l.started_at < to_t
     group by l.call_record_id
  )
  select (count(*) filter (where p.handled))::integer,
         (count(*) filter (where not p.handled and p.rang_unanswered and c.call_direction = 'inbound'))::integer,
         round(coalesce(sum(p.talk) filter (where p.handled), 0))::bigint,
         coalesce(sum(c.hold_time_seconds) filter (where p.handled and c.agent_extension in (select extension from ext)), 0)::bigint,
         coalesce(sum(c.after_call_work_seconds) filter (where p.handled and c.agent_extension in (select extension from ext)), 0)::bigint
    from per_call p
    join app_public.call_center_records c on c.id = p.call_record_id
   where c.call_direction in ('inbound', 'outbound') and from_t is not null and to_t > from_t
$$;
comment on function app_hidden.agent_work(citext, timestamptz, timestamptz) is 'Calls handled and missed, talk, hold and after-call work of one person (their active extensions) between two instants, counted as the agent days count them.';
grant execute on function app_hidden.agent_work(citext, timestamptz, timestamptz) to app_worker;

/* Shift figures: the agent's work over the shift's actual interval (an open shift up to now). */
create function app_private.recount_shifts(shift_ids uuid[]) returns integer
  language plpgsql volatile
  set search_path to pg_catalog, public, pg_temp
  as $$
declare
  n integer;
begin
  update app_public.agent_shifts s
     set calls_handled = f.calls_handled, calls_missed = f.calls_missed, total_talk_time_seconds = f.talk_seconds,
         total_after_call_work_seconds = f.acw_seconds, total_available_time_seconds = f.available_seconds
    from (
      select x.id, coalesce(w.calls_handled, 0) as calls_handled, coalesce(w.calls_missed, 0) as calls_missed,
             coalesce(w.talk_seconds, 0) as talk_seconds, coalesce(w.acw_seconds, 0) as acw_seconds,
             app_hidden.shift_available_seconds(x.actual_start_time, x.actual_end_time, x.total_break_time_minutes, x.lunch_break_minutes,
                                                x.training_time_minutes, x.meeting_time_minutes) as available_seconds
        from app_public.agent_shifts x
        left join lateral app_hidden.agent_work(x.agent_email, x.actual_start_time, coalesce(x.actual_end_time, now())) w on x.actual_start_time is not null
       where x.id = any (shift_ids)
    ) f
   where s.id = f.id
     and (s.calls_handled, s.calls_missed, s.total_talk_time_seconds, s.total_after_call_work_seconds, s.total_available_time_seconds)
         is distinct from (f.calls_handled, f.calls_missed, f.talk_seconds::integer, f.acw_seconds::integer, f.available_seconds::integer);
  get diagnostics n = row_count;
  return n;
end;
$$;
comment on function app_private.recount_shifts(uuid[]) is 'Recounts the figures of the given shifts (calls handled and missed, talk, after-call work, available time) from the legs; returns the rows that changed.';

/*
 * Goals. Actuals are the agent KPIs over the period's business days up to
 * today; a target counts only when set, and is met when the actual reaches
 * it. The first time every set target is met, one notification is queued.
 */
create function app_hidden.goal_actuals(agent_email citext, from_day date, to_day date)
  returns table (calls_per_day numeric, talk_time_pct numeric, fcr_pct numeric, csat_avg numeric, appointment_conversion_pct numeric, quality_score_avg numeric)
  language sql stable
  set search_path to pg_catalog, public, pg_temp
  as $$
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
         app_hidden.pct(fcr_resolved, fcr_final),
         case when csat_count > 0 then round(csat_sum::numeric / csat_count, 2) end,
         app_hidden.pct(appointments, handled_inbound),
         case when quality_count > 0 then round(quality_sum / quality_count, 2) end
    from totals
$$;
comment on function app_hidden.goal_actuals(citext, date, date) is 'A person''s goal actuals over a range of business days: calls handled per day worked (a day with a started shift or a handled call), talk time %, FCR %, average satisfaction, appointment conversion %, average QA score; NULL where there is no data.';
grant execute on function app_hidden.goal_actuals(citext, date, date) to app_worker;

create function app_private.recount_goals(goal_ids uuid[]) returns integer
  language plpgsql volatile
  set search_path to pg_catalog, public, pg_temp
  as $$
declare
  n integer;
begin
  with computed as (
    select g.id, g.agent_email, g.goal_period, g.period_start_date, g.period_end_date, g.total_goals, g.goals_met as old_goals_met,
           g.achievement_notified_at, a.*,
           -- a set target without an actual (no data yet) is not met
           (  coalesce((g.calls_per_day_target is not null and a.calls_per_day >= g.calls_per_day_target), false)::integer
            + coalesce((g.talk_time_percentage_target is not null and a.talk_time_pct >= g.talk_time_percentage_target), false)::integer
            + coalesce((g.first_call_resolution_target is not null and a.fcr_pct >= g.first_call_resolution_target), false)::integer
            + coalesce((g.customer_satisfaction_target is not null and a.csat_avg >= g.customer_satisfaction_target), false)::integer
            + coalesce((g.appointment_conversion_target is not null and a.appointment_conversion_pct >= g.appointment_conversion_target), false)::integer
            + coalesce((g.quality_score_target is not null and a.quality_score_avg >= g.quality_score_target), false)::integer) as goals_met
      from app_public.performance_goals g
     cross join lateral app_hidden.goal_actuals(g.agent_email, g.period_start_date, least(g.period_end_date, app_hidden.business_day(now()))) a
     where g.id = any (goal_ids)
  ), judged as (
    select c.*, (c.total_goals > 0 and c.goals_met = c.total_goals and c.achievement_notified_at is null) as newly_achieved from computed c
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
$$;
comment on function app_private.recount_goals(uuid[]) is 'Recounts the actuals, goals met and achievement of the given goals; queues the "every goal met" notification the first time (never twice); marks the team days whose goal counts change. Returns the goals that changed.';

/*
 * Team rows: one per business day and location, and one for all locations
 * (location NULL). Sums over the team, then divided; the numerators and
 * denominators are stored beside the PRD's ratio columns so any range rolls
 * up from them.
 */
alter table app_public.team_performance_metrics
  add column agents_with_calls integer not null default 0 check (agents_with_calls >= 0),
  add column calls_handled_inbound integer not null default 0 check (calls_handled_inbound >= 0),
  add column talk_seconds bigint not null default 0 check (talk_seconds >= 0),
  add column hold_seconds bigint not null default 0 check (hold_seconds >= 0),
  add column acw_seconds bigint not null default 0 check (acw_seconds >= 0),
  add column available_seconds bigint not null default 0 check (available_seconds >= 0),
  add column fcr_resolved integer not null default 0 check (fcr_resolved >= 0),
  add column fcr_final integer not null default 0 check (fcr_final >= 0),
  add column appointments integer not null default 0 check (appointments >= 0),
  add column csat_sum integer not null default 0 check (csat_sum >= 0),
  add column csat_count integer not null default 0 check (csat_count >= 0),
  add column complaints integer not null default 0 check (complaints >= 0),
  add column quality_score_sum numeric(12,2) not null default 0 check (quality_score_sum >= 0),
  add column quality_reviews integer not null default 0 check (quality_reviews >= 0),
  add column shifts_scheduled integer not null default 0 check (shifts_scheduled >= 0),
  add column shifts_not_absent integer not null default 0 check (shifts_not_absent >= 0),
  add column shifts_started integer not null default 0 check (shifts_started >= 0),
  add column shifts_on_time integer not null default 0 check (shifts_on_time >= 0),
  add column scheduled_seconds bigint not null default 0 check (scheduled_seconds >= 0),
  add column adherent_seconds bigint not null default 0 check (adherent_seconds >= 0),
  add column agents_with_goals integer not null default 0 check (agents_with_goals >= 0),
  add column computed_at timestamptz;
comment on column app_public.team_performance_metrics.agents_with_calls is 'Agents who handled at least one call.';
comment on column app_public.team_performance_metrics.calls_handled_inbound is 'Inbound calls among the handled (the appointment and FCR base).';
comment on column app_public.team_performance_metrics.talk_seconds is 'Σ talk, seconds (total_talk_time_hours in seconds).';
comment on column app_public.team_performance_metrics.hold_seconds is 'Σ hold, seconds.';
comment on column app_public.team_performance_metrics.acw_seconds is 'Σ after-call work, seconds.';
comment on column app_public.team_performance_metrics.available_seconds is 'Σ available time of the shifts worked at the location, seconds (an open shift up to the last recount).';
comment on column app_public.team_performance_metrics.fcr_resolved is 'Handled inbound calls resolved first time, once final.';
comment on column app_public.team_performance_metrics.fcr_final is 'Handled inbound calls whose first-call resolution is final.';
comment on column app_public.team_performance_metrics.appointments is 'Handled inbound calls with an appointment scheduled.';
comment on column app_public.team_performance_metrics.csat_sum is 'Σ satisfaction scores of rated calls.';
comment on column app_public.team_performance_metrics.csat_count is 'Rated calls.';
comment on column app_public.team_performance_metrics.complaints is 'Complaint calls.';
comment on column app_public.team_performance_metrics.quality_score_sum is 'Σ percentage scores of the day''s completed QA reviews.';
comment on column app_public.team_performance_metrics.quality_reviews is 'Completed QA reviews that day (with a score).';
comment on column app_public.team_performance_metrics.shifts_scheduled is 'Shifts scheduled that day.';
comment on column app_public.team_performance_metrics.shifts_not_absent is 'Shifts not absent.';
comment on column app_public.team_performance_metrics.shifts_started is 'Shifts with a start logged.';
comment on column app_public.team_performance_metrics.shifts_on_time is 'Shifts started with no tardiness.';
comment on column app_public.team_performance_metrics.scheduled_seconds is 'Σ scheduled length of the shifts, seconds.';
comment on column app_public.team_performance_metrics.adherent_seconds is 'Σ time worked inside the scheduled windows, seconds.';
comment on column app_public.team_performance_metrics.agents_with_goals is 'Agents with a goal (with targets) covering the day.';
comment on column app_public.team_performance_metrics.computed_at is 'When the row was last recounted.';

create function app_private.recount_team_days(days date[]) returns integer
  language plpgsql volatile
  set search_path to pg_catalog, public, pg_temp
  as $$
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
    select s.shift_date as day, s.location, s.agent_email as email, s.shift_status, s.actual_start_time, s.tardiness_minutes, s.training_time_minutes,
           app_hidden.shift_available_seconds(s.actual_start_time, s.actual_end_time, s.total_break_time_minutes, s.lunch_break_minutes,
                                              s.training_time_minutes, s.meeting_time_minutes) as available_seconds,
           extract(epoch from (upper(w.w) - lower(w.w)))::bigint as scheduled_seconds,
           case when s.actual_start_time is null then 0
                else greatest(0, extract(epoch from (least(coalesce(s.actual_end_time, greatest(now(), s.actual_start_time)), upper(w.w))
                                                     - greatest(s.actual_start_time, lower(w.w)))))::bigint end as adherent_seconds
      from d join app_public.agent_shifts s on s.shift_date = d.day
     cross join lateral (select app_hidden.shift_window(s.shift_date, s.scheduled_start_time, s.scheduled_end_time) as w) w
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
              coalesce(sum(x.hold_seconds), 0) as hold_seconds, coalesce(sum(x.acw_seconds), 0) as acw_seconds,
              coalesce(sum(x.fcr_resolved), 0) as fcr_resolved, coalesce(sum(x.fcr_final), 0) as fcr_final,
              coalesce(sum(x.appointments), 0) as appointments, coalesce(sum(x.csat_sum), 0) as csat_sum,
              coalesce(sum(x.csat_count), 0) as csat_count, coalesce(sum(x.complaints), 0) as complaints
         from calls x where x.business_day = t.day and (t.location is null or x.location = t.location)) c
     cross join lateral (
       select count(*) as shifts_scheduled, count(*) filter (where x.shift_status <> 'absent') as shifts_not_absent,
              count(*) filter (where x.actual_start_time is not null) as shifts_started,
              count(*) filter (where x.actual_start_time is not null and x.tardiness_minutes = 0) as shifts_on_time,
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
    shifts_scheduled, shifts_not_absent, shifts_started, shifts_on_time, scheduled_seconds, adherent_seconds, agents_with_goals, computed_at)
  select f.day, f.location, coalesce(f.location, 'All locations'), f.total_agents, f.active_agents, f.average_experience_months,
         f.calls_handled, f.calls_missed, round(f.talk_seconds / 3600.0, 2), round(f.available_seconds / 3600.0, 2),
         case when f.quality_reviews > 0 then round(f.quality_score_sum / f.quality_reviews, 2) end,
         case when f.csat_count > 0 then round(f.csat_sum::numeric / f.csat_count, 2) end,
         app_hidden.pct(f.fcr_resolved, f.fcr_final), app_hidden.pct(f.complaints, f.calls_handled),
         case when f.active_agents > 0 then round(f.calls_handled::numeric / f.active_agents, 2) end,
         app_hidden.pct(f.talk_seconds + f.acw_seconds, f.available_seconds), app_hidden.pct(f.appointments, f.calls_handled_inbound),
         app_hidden.pct(f.shifts_not_absent, f.shifts_scheduled), app_hidden.pct(f.shifts_on_time, f.shifts_started),
         app_hidden.pct(f.adherent_seconds, f.scheduled_seconds),
         f.agents_meeting_goals, app_hidden.pct(f.agents_meeting_goals, f.agents_with_goals),
         round(f.training_minutes / 60.0, 2), f.coaching_sessions,
         f.agents_with_calls, f.calls_handled_inbound, f.talk_seconds, f.hold_seconds, f.acw_seconds, f.available_seconds, f.fcr_resolved, f.fcr_final,
         f.appointments, f.csat_sum, f.csat_count, f.complaints, f.quality_score_sum, f.quality_reviews,
         f.shifts_scheduled, f.shifts_not_absent, f.shifts_started, f.shifts_on_time, f.scheduled_seconds, f.adherent_seconds, f.agents_with_goals, now()
    from figures f
   -- A team has a row for a day with shifts, calls or reviews; a day without any has none (full recount and upkeep agree).
   where f.shifts_scheduled > 0 or f.calls_handled + f.calls_missed > 0 or f.quality_reviews + f.coaching_sessions > 0
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
    adherent_seconds = excluded.adherent_seconds, agents_with_goals = excluded.agents_with_goals, computed_at = excluded.computed_at;
  get diagnostics k = row_count;
  -- A team row whose day has nothing left goes, unless someone entered certifications on it.
  delete from app_public.team_performance_metrics m
   where m.reporting_period = one_day and m.certifications_earned = 0 and m.computed_at < now();
  n := n + k;
  end loop;
  return n;
end;
$$;
comment on function app_private.recount_team_days(date[]) is 'Recounts the team rows (each location and all locations) of the given business days from the agent days, shifts, QA reviews and goals; certifications_earned, an entered value, is kept. Returns the rows written.';

/*
 * Upkeep for people: what changes a person's day (their legs' agent days,
 * their shifts, their QA reviews) marks it; the recount then refreshes the
 * shifts of that day (and the day before: a night shift), the goals covering
 * it and the team rows of the day.
 */
/*
 * Marks are appended rows, deduplicated when claimed, so inserting one never
 * waits: with unique keys, concurrent CDR processors deadlocked on them (two
 * transactions inserting overlapping keys in different orders) and the
 * retried job waited seconds (found by bench:kpi over 60 s). The queue and
 * agent marks of the KPI engine's first migration change the same way.
 */
alter table app_private.kpi_stale_queue_intervals drop constraint kpi_stale_queue_intervals_pkey,
  add column id bigint generated always as identity primary key;
create index kpi_stale_queue_intervals_key_idx on app_private.kpi_stale_queue_intervals (queue_name, interval_start);
alter table app_private.kpi_stale_agent_days drop constraint kpi_stale_agent_days_pkey,
  add column id bigint generated always as identity primary key;
create index kpi_stale_agent_days_key_idx on app_private.kpi_stale_agent_days (agent_extension, business_day);
create table app_private.kpi_stale_person_days (
  agent_email citext not null,
  business_day date not null,
  marked_at timestamptz not null default now(),
  id bigint generated always as identity primary key
);
create index kpi_stale_person_days_key_idx on app_private.kpi_stale_person_days (agent_email, business_day);
comment on table app_private.kpi_stale_person_days is 'Days of a person whose shift, goal and team figures must be recounted.';
create table app_private.kpi_stale_team_days (
  business_day date not null,
  marked_at timestamptz not null default now(),
  id bigint generated always as identity primary key
);
create index kpi_stale_team_days_key_idx on app_private.kpi_stale_team_days (business_day);
comment on table app_private.kpi_stale_team_days is 'Business days whose team rows must be recounted.';
create table app_private.kpi_stale_goals (
  goal_id uuid not null,
  marked_at timestamptz not null default now(),
  id bigint generated always as identity primary key
);
create index kpi_stale_goals_key_idx on app_private.kpi_stale_goals (goal_id);
comment on table app_private.kpi_stale_goals is 'Goals whose actuals must be recounted (set or changed by a person).';
grant select, insert, update, delete on app_private.kpi_stale_person_days, app_private.kpi_stale_team_days, app_private.kpi_stale_goals to app_worker;

comment on column app_private.kpi_stale_queue_intervals.id is 'Order of marking (a key may be marked more than once; the recount takes each once).';
comment on column app_private.kpi_stale_agent_days.id is 'Order of marking (a key may be marked more than once; the recount takes each once).';
comment on column app_private.kpi_stale_person_days.id is 'Order of marking (a key may be marked more than once; the recount takes each once).';
comment on column app_private.kpi_stale_team_days.id is 'Order of marking (a key may be marked more than once; the recount takes each once).';
comment on column app_private.kpi_stale_goals.id is 'Order of marking (a key may be marked more than once; the recount takes each once).';

/* Calls whose first-call resolution (and that of earlier calls of the same number) must be derived. */
create table app_private.kpi_stale_fcr_calls (
  id bigint generated always as identity primary key,
  call_record_id uuid not null,
  marked_at timestamptz not null default now()
);
comment on table app_private.kpi_stale_fcr_calls is 'Calls just ingested whose first-call resolution the recount job derives (after the ingest commits, so it never holds the ingest up).';
grant select, insert, update, delete on app_private.kpi_stale_fcr_calls to app_worker;

/*
 * The recount job, queued by a marking statement in its writer's transaction:
 * without a job key, because add_job's upsert on a key makes every other
 * writer wait for that transaction to commit (and, crossing other locks,
 * deadlock). The CDR worker and the recount itself set
 * app.kpi_refresh_after_commit and queue it after they commit (with a key;
 * duplicates collapse there).
 */
create function app_private.queue_kpi_refresh() returns void
  language plpgsql volatile security definer
  set search_path to pg_catalog, public, pg_temp
  as $$
begin
  if coalesce(current_setting('app.kpi_refresh_after_commit', true), '') <> 'on' then
    perform app_private.add_job('kpi__refresh', '{}'::json);
  end if;
end;
$$;
comment on function app_private.queue_kpi_refresh() is 'Queues kpi__refresh for the marks of this transaction (no job key: a key would make concurrent writers wait for each other), unless the writer queues it after its commit (app.kpi_refresh_after_commit).';
grant execute on function app_private.queue_kpi_refresh() to app_worker;

create or replace function app_private.mark_kpis_stale(queue_keys jsonb, agent_keys jsonb) returns void
  language plpgsql volatile security definer
  set search_path to pg_catalog, public, pg_temp
  as $$
declare
  n integer := 0;
  m integer := 0;
begin
  insert into app_private.kpi_stale_queue_intervals (queue_name, interval_start)
  select distinct x.queue_name, x.interval_start from jsonb_to_recordset(queue_keys) as x(queue_name text, interval_start timestamptz)
   where x.queue_name is not null and x.interval_start is not null;
  get diagnostics n = row_count;
  insert into app_private.kpi_stale_agent_days (agent_extension, business_day)
  select distinct x.agent_extension, x.business_day from jsonb_to_recordset(agent_keys) as x(agent_extension text, business_day date)
   where x.agent_extension is not null and x.business_day is not null;
  get diagnostics m = row_count;
  if n + m > 0 then
    perform app_private.queue_kpi_refresh();
  end if;
end;
$$;

create function app_private.mark_people_stale(person_keys jsonb, team_days date[], goal_ids uuid[]) returns void
  language plpgsql volatile security definer
  set search_path to pg_catalog, public, pg_temp
  as $$
declare
  n integer := 0;
  m integer := 0;
  k integer := 0;
begin
  insert into app_private.kpi_stale_person_days (agent_email, business_day)
  select distinct x.agent_email, x.business_day from jsonb_to_recordset(person_keys) as x(agent_email citext, business_day date)
   where x.agent_email is not null and x.business_day is not null;
  get diagnostics n = row_count;
  insert into app_private.kpi_stale_team_days (business_day)
  select distinct x from unnest(team_days) x where x is not null;
  get diagnostics m = row_count;
  insert into app_private.kpi_stale_goals (goal_id)
  select distinct x from unnest(goal_ids) x where x is not null;
  get diagnostics k = row_count;
  if n + m + k > 0 then
    perform app_private.queue_kpi_refresh();
  end if;
end;
$$;
comment on function app_private.mark_people_stale(jsonb, date[], uuid[]) is 'Marks person days, team days and goals for recounting and queues kpi__refresh.';
grant execute on function app_private.mark_people_stale(jsonb, date[], uuid[]) to app_worker;

/* Shifts: a change to what a person entered (not the figures the recount writes). */
create function app_private.tg_agent_shifts__kpis_stale() returns trigger
  language plpgsql volatile security definer
  set search_path to pg_catalog, public, pg_temp
  as $$
declare
  ids uuid[];
begin
  select array_agg(n.id) into ids
    from new_rows n join old_rows o on o.id = n.id
   where (o.agent_email, o.location, o.shift_date, o.scheduled_start_time, o.scheduled_end_time, o.actual_start_time, o.actual_end_time,
          o.total_break_time_minutes, o.lunch_break_minutes, o.training_time_minutes, o.meeting_time_minutes, o.shift_status)
         is distinct from
         (n.agent_email, n.location, n.shift_date, n.scheduled_start_time, n.scheduled_end_time, n.actual_start_time, n.actual_end_time,
          n.total_break_time_minutes, n.lunch_break_minutes, n.training_time_minutes, n.meeting_time_minutes, n.shift_status);
  if ids is not null then
    perform app_private.mark_people_stale(
      (select coalesce(jsonb_agg(distinct jsonb_build_object('agent_email', x.agent_email, 'business_day', x.shift_date)), '[]')
         from (select n.agent_email, n.shift_date from new_rows n where n.id = any (ids)
               union
               select o.agent_email, o.shift_date from old_rows o where o.id = any (ids)) x),
      null, null);
  end if;
  return null;
end;
$$;
comment on function app_private.tg_agent_shifts__kpis_stale() is 'Marks the person days (old and new) of shifts whose entered values changed (the figures the recount writes do not mark).';
create function app_private.tg_agent_shifts__kpis_stale_insert() returns trigger
  language plpgsql volatile security definer
  set search_path to pg_catalog, public, pg_temp
  as $$
begin
  perform app_private.mark_people_stale(
    (select coalesce(jsonb_agg(distinct jsonb_build_object('agent_email', r.agent_email, 'business_day', r.shift_date)), '[]') from changed_rows r),
    null, null);
  return null;
end;
$$;
comment on function app_private.tg_agent_shifts__kpis_stale_insert() is 'Marks the person days of inserted or deleted shifts.';
create trigger _700_kpis_stale_insert after insert on app_public.agent_shifts
  referencing new table as changed_rows for each statement execute function app_private.tg_agent_shifts__kpis_stale_insert();
create trigger _700_kpis_stale_update after update on app_public.agent_shifts
  referencing new table as new_rows old table as old_rows for each statement execute function app_private.tg_agent_shifts__kpis_stale();
create trigger _700_kpis_stale_delete after delete on app_public.agent_shifts
  referencing old table as changed_rows for each statement execute function app_private.tg_agent_shifts__kpis_stale_insert();

/* QA reviews: the review day (quality) and the discussion day (coaching) of the person reviewed. */
create function app_private.tg_quality_assurance_reviews__kpis_stale() returns trigger
  language plpgsql volatile security definer
  set search_path to pg_catalog, public, pg_temp
  as $$
begin
  perform app_private.mark_people_stale(
    (select coalesce(jsonb_agg(distinct jsonb_build_object('agent_email', x.agent_email, 'business_day', x.day)), '[]')
       from (select r.agent_email, unnest(array[r.review_date, r.agent_discussion_date]) as day from changed_rows r) x where x.day is not null),
    null, null);
  return null;
end;
$$;
comment on function app_private.tg_quality_assurance_reviews__kpis_stale() is 'Marks the person days (review and discussion days) of changed QA reviews.';
create function app_private.tg_quality_assurance_reviews__kpis_stale_update() returns trigger
  language plpgsql volatile security definer
  set search_path to pg_catalog, public, pg_temp
  as $$
begin
  perform app_private.mark_people_stale(
    (select coalesce(jsonb_agg(distinct jsonb_build_object('agent_email', x.agent_email, 'business_day', x.day)), '[]')
       from (select r.agent_email, unnest(array[r.review_date, r.agent_discussion_date]) as day from new_rows r
             union
             select r.agent_email, unnest(array[r.review_date, r.agent_discussion_date]) from old_rows r) x where x.day is not null),
    null, null);
  return null;
end;
$$;
comment on function app_private.tg_quality_assurance_reviews__kpis_stale_update() is 'Marks the person days (old and new review and discussion days) of updated QA reviews.';
create trigger _700_kpis_stale_insert after insert on app_public.quality_assurance_reviews
  referencing new table as changed_rows for each statement execute function app_private.tg_quality_assurance_reviews__kpis_stale();
create trigger _700_kpis_stale_update after update on app_public.quality_assurance_reviews
  referencing new table as new_rows old table as old_rows for each statement execute function app_private.tg_quality_assurance_reviews__kpis_stale_update();
create trigger _700_kpis_stale_delete after delete on app_public.quality_assurance_reviews
  referencing old table as changed_rows for each statement execute function app_private.tg_quality_assurance_reviews__kpis_stale();

/* Goals: a person's change (targets, period, status) recounts the goal and the team rows of its days so far. */
create function app_private.tg_performance_goals__kpis_stale() returns trigger
  language plpgsql volatile security definer
  set search_path to pg_catalog, public, pg_temp
  as $$
declare
  today date := app_hidden.business_day(now());
  ids uuid[];
begin
  select array_agg(n.id) into ids
    from new_rows n join old_rows o on o.id = n.id
   where (o.agent_email, o.period_start_date, o.period_end_date, o.goal_status, o.calls_per_day_target, o.talk_time_percentage_target,
          o.first_call_resolution_target, o.customer_satisfaction_target, o.appointment_conversion_target, o.quality_score_target)
         is distinct from
         (n.agent_email, n.period_start_date, n.period_end_date, n.goal_status, n.calls_per_day_target, n.talk_time_percentage_target,
          n.first_call_resolution_target, n.customer_satisfaction_target, n.appointment_conversion_target, n.quality_score_target);
  if ids is not null then
    perform app_private.mark_people_stale('[]',
      (select array_agg(distinct d::date)
         from (select n.period_start_date, n.period_end_date from new_rows n where n.id = any (ids)
               union
               select o.period_start_date, o.period_end_date from old_rows o where o.id = any (ids)) c
        cross join generate_series(greatest(c.period_start_date, today - 400), least(c.period_end_date, today), interval '1 day') d),
      ids);
  end if;
  return null;
end;
$$;
comment on function app_private.tg_performance_goals__kpis_stale() is 'Marks goals whose targets, period or status a person changed for recounting, and the team days (so far) of their old and new periods.';
create function app_private.tg_performance_goals__kpis_stale_one_side() returns trigger
  language plpgsql volatile security definer
  set search_path to pg_catalog, public, pg_temp
  as $$
declare
  today date := app_hidden.business_day(now());
begin
  perform app_private.mark_people_stale('[]',
    (select array_agg(distinct d::date) from changed_rows c
       cross join generate_series(greatest(c.period_start_date, today - 400), least(c.period_end_date, today), interval '1 day') d),
    case when tg_op = 'INSERT' then (select array_agg(c.id) from changed_rows c) end);
  return null;
end;
$$;
comment on function app_private.tg_performance_goals__kpis_stale_one_side() is 'Marks new goals for recounting, and the team days (so far) of new and deleted goals'' periods.';
create trigger _700_kpis_stale_insert after insert on app_public.performance_goals
  referencing new table as changed_rows for each statement execute function app_private.tg_performance_goals__kpis_stale_one_side();
create trigger _700_kpis_stale_update after update on app_public.performance_goals
  referencing new table as new_rows old table as old_rows for each statement execute function app_private.tg_performance_goals__kpis_stale();
create trigger _700_kpis_stale_delete after delete on app_public.performance_goals
  referencing old table as changed_rows for each statement execute function app_private.tg_performance_goals__kpis_stale_one_side();

/* The shifts__mark_absent job and the KPI upkeep run as the worker. */
grant execute on function app_private.recount_shifts(uuid[]), app_private.recount_goals(uuid[]), app_private.recount_team_days(date[]) to app_worker;

/*
 * First-call resolution, now locking the calls it may change in call-id
 * order (the order the ingest locks them in) before changing them.
 */
create or replace function app_private.derive_fcr(record_ids uuid[]) returns integer
  language plpgsql volatile
  set search_path to pg_catalog, public, pg_temp
  as $$
declare
  n integer;
  longest interval := coalesce((select max(s.fcr_window) from app_hidden.effective_queue_settings s), interval '7 days');
  ids uuid[];
begin
  -- The numbers of these calls, and every call of theirs that can still be flipped.
  select array_agg(c.id) into ids
    from (select c.caller_number_hash as hash, min(c.call_start_time) - longest as since
            from app_public.call_center_records c
           where c.id = any(record_ids) and c.caller_number_hash is not null
           group by c.caller_number_hash) k
    join app_public.call_center_records c on c.caller_number_hash = k.hash and c.call_start_time >= k.since
   where c.call_direction = 'inbound' and c.call_answer_time is not null and c.call_end_time is not null
     and coalesce(c.fcr_source, 'derived') = 'derived';
  if ids is null then
    return 0;
  end if;
  perform 1 from app_public.call_center_records c where c.id = any(ids) order by c.call_id for update;
  with derived as (
    select d.id, not d.repeated as resolved, d.repeated or now() >= d.call_end_time + d.fcr_window as final
      from (select x.id, x.call_end_time, coalesce(st.fcr_window, interval '7 days') as fcr_window, exists (
              select 1 from app_public.call_center_records r
               where r.caller_number_hash = x.caller_number_hash and r.id <> x.id
                 and r.call_direction = 'inbound' and r.queue_name is not null
                 and r.call_start_time > x.call_end_time and r.call_start_time <= x.call_end_time + coalesce(st.fcr_window, interval '7 days')) as repeated
              from app_public.call_center_records x
              left join app_hidden.effective_queue_settings st on st.queue_name = x.queue_name
             where x.id = any(ids) and coalesce(x.fcr_source, 'derived') = 'derived') d
  )
  update app_public.call_center_records c
     set first_call_resolution = d.resolved, fcr_final = d.final, fcr_source = 'derived'
    from derived d
   where c.id = d.id
     and (c.first_call_resolution, c.fcr_final, c.fcr_source) is distinct from (d.resolved, d.final, 'derived');
  get diagnostics n = row_count;
  return n;
end;
$$;

/* The recount job: marks claimed by id, each key taken once; first-call resolution first, so the figures include it. */
create or replace function app_private.refresh_stale_kpis(batch integer default 500) returns integer
  language plpgsql volatile
  set search_path to pg_catalog, public, pg_temp
  as $$
declare
  f uuid[];
  q jsonb;
  a jsonb;
  p jsonb;
  g uuid[];
  t date[];
  taken integer := 0;
begin
  -- One recount at a time (another waits here, then takes what is left): two never write the same row.
  perform pg_advisory_xact_lock(hashtext('app_private.kpi_recount'));
  -- What this recount marks (first-call resolution changing calls) its job takes on its next round: no new job for it.
  perform set_config('app.kpi_refresh_after_commit', 'on', true);

  with claimed as (
    delete from app_private.kpi_stale_fcr_calls s
     where s.id in (select id from app_private.kpi_stale_fcr_calls order by id limit batch for update skip locked)
    returning s.call_record_id
  ) select array_agg(distinct call_record_id) into f from claimed;
  if f is not null then
    perform app_private.derive_fcr(f);
    taken := taken + cardinality(f);
  end if;

  with claimed as (
    delete from app_private.kpi_stale_queue_intervals s
     where s.id in (select id from app_private.kpi_stale_queue_intervals order by id limit batch for update skip locked)
    returning s.queue_name, s.interval_start
  ) select coalesce(jsonb_agg(distinct jsonb_build_object('queue_name', queue_name, 'interval_start', interval_start)), '[]') into q from claimed;
  with claimed as (
    delete from app_private.kpi_stale_agent_days s
     where s.id in (select id from app_private.kpi_stale_agent_days order by id limit batch for update skip locked)
    returning s.agent_extension, s.business_day
  ) select coalesce(jsonb_agg(distinct jsonb_build_object('agent_extension', agent_extension, 'business_day', business_day)), '[]') into a from claimed;
  perform app_private.recount_queue_intervals(q);
  perform app_private.recount_agent_days(a);

  -- The people behind those agent days, and the days' team rows (an extension nobody owns still counts for all locations).
  insert into app_private.kpi_stale_person_days (agent_email, business_day)
  select distinct ag.user_email, k.business_day
    from jsonb_to_recordset(a) as k(agent_extension text, business_day date)
    join app_public.agents ag on ag.extension = k.agent_extension and ag.is_active and ag.user_email is not null;
  insert into app_private.kpi_stale_team_days (business_day)
  select distinct k.business_day from jsonb_to_recordset(a) as k(agent_extension text, business_day date);

  with claimed as (
    delete from app_private.kpi_stale_person_days s
     where s.id in (select id from app_private.kpi_stale_person_days order by id limit batch for update skip locked)
    returning s.agent_email, s.business_day
  ) select coalesce(jsonb_agg(distinct jsonb_build_object('agent_email', agent_email, 'business_day', business_day)), '[]') into p from claimed;
  -- Shifts of the day and of the day before (a night shift reaches into the day).
  perform app_private.recount_shifts(array(
    select s.id from jsonb_to_recordset(p) as k(agent_email citext, business_day date)
      join app_public.agent_shifts s on s.agent_email = k.agent_email and s.shift_date in (k.business_day, k.business_day - 1)));
  with claimed as (
    delete from app_private.kpi_stale_goals s
     where s.id in (select id from app_private.kpi_stale_goals order by id limit batch for update skip locked)
    returning s.goal_id
  ) select array_agg(distinct goal_id) into g from claimed;
  perform app_private.recount_goals(array(
    select x from unnest(g) x
    union
    select pg.id from jsonb_to_recordset(p) as k(agent_email citext, business_day date)
      join app_public.performance_goals pg on pg.agent_email = k.agent_email and k.business_day between pg.period_start_date and pg.period_end_date));
  insert into app_private.kpi_stale_team_days (business_day)
  select distinct k.business_day from jsonb_to_recordset(p) as k(agent_email citext, business_day date);

  with claimed as (
    delete from app_private.kpi_stale_team_days s
     where s.id in (select id from app_private.kpi_stale_team_days order by id limit batch for update skip locked)
    returning s.business_day
  ) select array_agg(distinct business_day) into t from claimed;
  perform app_private.recount_team_days(coalesce(t, '{}'));
  return taken + jsonb_array_length(q) + jsonb_array_length(a) + jsonb_array_length(p) + coalesce(cardinality(g), 0) + coalesce(cardinality(t), 0);
end;
$$;
comment on function app_private.refresh_stale_kpis(integer) is 'Derives first-call resolution for newly ingested calls, then recounts up to `batch` marks each of the stale queue intervals, agent days, person days (their shifts and goals), goals and team days (each key once); returns how many keys it took.';

/* The full recount of a range now covers shifts, goals and team rows too. */
create or replace function app_private.recount_kpis(from_day date, to_day date) returns integer
  language plpgsql volatile
  set search_path to pg_catalog, public, pg_temp
  as $$
declare
  q integer;
  a integer;
  s integer;
  g integer;
  t integer;
  range_start timestamptz := app_hidden.business_day_start(from_day);
  range_end timestamptz := app_hidden.business_day_start(to_day + 1);
begin
  perform pg_advisory_xact_lock(hashtext('app_private.kpi_recount'));
  -- Every interval of every queue that has calls or rows in the range, and every agent day with legs or rows.
  select app_private.recount_queue_intervals(coalesce(jsonb_agg(jsonb_build_object('queue_name', queue_name, 'interval_start', interval_start)), '[]')) into q
    from (select c.queue_name, app_hidden.kpi_interval(coalesce(c.queue_entered_at, c.call_start_time)) as interval_start
            from app_public.call_center_records c
           where c.queue_name is not null and coalesce(c.queue_entered_at, c.call_start_time) >= range_start and coalesce(c.queue_entered_at, c.call_start_time) < range_end
          union
          select s.queue_name, s.interval_start from app_public.queue_interval_stats s where s.interval_start >= range_start and s.interval_start < range_end) x;
  select app_private.recount_agent_days(coalesce(jsonb_agg(jsonb_build_object('agent_extension', agent_extension, 'business_day', business_day)), '[]')) into a
    from (select distinct l.agent_extension, app_hidden.business_day(l.started_at) as business_day
            from app_public.call_legs l
           where l.agent_extension is not null and l.started_at >= range_start and l.started_at < range_end
          union
          select s.agent_extension, s.business_day from app_public.agent_daily_stats s where s.business_day between from_day and to_day) x;
  -- Shifts starting in the range or the day before, goals overlapping it, and every team day of it.
  s := app_private.recount_shifts(array(select x.id from app_public.agent_shifts x where x.shift_date between from_day - 1 and to_day));
  g := app_private.recount_goals(array(select x.id from app_public.performance_goals x where x.period_start_date <= to_day and x.period_end_date >= from_day));
  t := app_private.recount_team_days(array(select d::date from generate_series(from_day, to_day, interval '1 day') d));
  return q + a + s + g + t;
end;
$$;
comment on function app_private.recount_kpis(date, date) is 'Recounts every queue interval, agent day, shift, goal and team row of a range of business days from the calls, shifts and reviews; returns the rows written or changed.';

/*
 * Views. The agent days gain QA quality; the team view reads the stored team
 * rows (the same numbers as team_performance_metrics, with their numerators
 * and denominators). Comments of unchanged columns are kept.
 */
create temporary table saved_kpi_view_comments on commit drop as
select c.relname as view_name, a.attname, d.description
  from pg_class c join pg_namespace n on n.oid = c.relnamespace and n.nspname = 'analytics'
  join pg_attribute a on a.attrelid = c.oid and a.attnum > 0
  join pg_description d on d.objoid = c.oid and d.objsubid = a.attnum
 where c.relname in ('agent_daily_kpis', 'team_daily_kpis');

drop view app_public.team_daily_kpis;
drop view analytics.team_daily_kpis;
drop view app_public.agent_daily_kpis;

create or replace view analytics.agent_daily_kpis as
select s.agent_extension, a.user_email as agent_email, a.display_name as agent_name, a.location_name as location, s.business_day,
       s.calls_handled, s.calls_handled_inbound, s.calls_missed, s.talk_seconds, s.hold_seconds, s.acw_seconds,
       app_hidden.per(s.talk_seconds + s.hold_seconds + s.acw_seconds, s.calls_handled) as aht_seconds,
       sh.available_seconds,
       case when sh.available_seconds > 0 then round(s.calls_handled / (sh.available_seconds / 3600.0), 2) end as calls_per_hour,
       app_hidden.pct(s.talk_seconds + s.acw_seconds, sh.available_seconds) as utilization_pct,
       app_hidden.pct(s.talk_seconds + s.hold_seconds + s.acw_seconds, sh.available_seconds) as occupancy_pct,
       app_hidden.pct(s.talk_seconds, sh.available_seconds) as talk_time_pct,
       s.fcr_resolved, s.fcr_final, app_hidden.pct(s.fcr_resolved, s.fcr_final) as fcr_pct,
       s.appointments, app_hidden.pct(s.appointments, s.calls_handled_inbound) as appointment_conversion_pct,
       s.csat_sum, s.csat_count, case when s.csat_count > 0 then round(s.csat_sum::numeric / s.csat_count, 2) end as csat_avg,
       s.complaints, app_hidden.pct(s.complaints, s.calls_handled) as complaint_rate_pct,
       coalesce(qa.quality_score_sum, 0) as quality_score_sum, coalesce(qa.quality_reviews, 0) as quality_reviews,
       case when qa.quality_reviews > 0 then round(qa.quality_score_sum / qa.quality_reviews, 2) end as quality_score_avg
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

create view analytics.team_daily_kpis as
select t.location, t.location is null as all_locations, t.reporting_period as business_day, t.team_name,
       t.total_agents, t.active_agents, t.agents_with_calls,
       t.total_calls_handled as calls_handled, t.calls_handled_inbound, t.total_calls_missed as calls_missed,
       t.talk_seconds, t.hold_seconds, t.acw_seconds,
       app_hidden.per(t.talk_seconds + t.hold_seconds + t.acw_seconds, t.total_calls_handled) as aht_seconds,
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
       t.training_hours_completed, t.coaching_sessions_conducted, t.average_experience_months, t.certifications_earned, t.computed_at
from app_public.team_performance_metrics t;
grant select on analytics.agent_daily_kpis, analytics.team_daily_kpis to app_analyst;
comment on view analytics.team_daily_kpis is 'Team (location) figures per business day, as stored in team_performance_metrics: the agents'' counts summed, never averages of percentages, each ratio beside its numerator and denominator; all_locations marks the practice-wide row.';

do $$
declare
  c record;
  doc jsonb := (select jsonb_object_agg(attname, description) from saved_kpi_view_comments)
    || jsonb_build_object(
      'quality_score_sum', 'Σ percentage scores of the completed QA reviews dated that day.', 'quality_reviews', 'Completed QA reviews dated that day, with a score.',
      'quality_score_avg', 'quality_score_sum / quality_reviews.', 'team_name', 'The team''s name (the location''s; "All locations" for the practice-wide row).',
      'total_agents', 'Active agents in the directory at the location.', 'active_agents', 'Agents with a started shift at the location or a handled call that day.',
      'calls_per_agent_per_day', 'calls_handled / active_agents.', 'shifts_scheduled', 'Shifts scheduled that day.', 'shifts_not_absent', 'Shifts not absent.',
      'attendance_rate_pct', 'shifts_not_absent / shifts_scheduled × 100.', 'shifts_started', 'Shifts with a start logged.',
      'shifts_on_time', 'Started shifts with no tardiness.', 'punctuality_rate_pct', 'shifts_on_time / shifts_started × 100.',
      'scheduled_seconds', 'Σ scheduled length of the shifts.', 'adherent_seconds', 'Σ time worked inside the scheduled windows.',
      'schedule_adherence_pct', 'adherent_seconds / scheduled_seconds × 100.', 'agents_with_goals', 'Agents with a goal (with targets) covering the day.',
      'agents_meeting_goals', 'Agents among them whose covering goals have every set target met.',
      'team_goal_achievement_pct', 'agents_meeting_goals / agents_with_goals × 100.',
      'training_hours_completed', 'Σ training time of the started shifts, hours.', 'coaching_sessions_conducted', 'QA reviews discussed with the agent that day.',
      'average_experience_months', 'Mean months since hire (whole calendar months, plus days / 30) of the active agents with a hire date.',
      'certifications_earned', 'Entered by managers (no source system).', 'computed_at', 'When the row was last recounted.');
begin
  for c in select v.relname, a.attname from pg_class v join pg_namespace n on n.oid = v.relnamespace and n.nspname = 'analytics'
             join pg_attribute a on a.attrelid = v.oid and a.attnum > 0 and not a.attisdropped
            where v.relname in ('agent_daily_kpis', 'team_daily_kpis') loop
    if doc ? c.attname then
      execute format('comment on column analytics.%I.%I is %L', c.relname, c.attname, doc ->> c.attname);
    else
      raise exception 'no comment for analytics.%.%', c.relname, c.attname;
    end if;
  end loop;
end
$$;

create view app_public.agent_daily_kpis as
select k.* from analytics.agent_daily_kpis k
 where (select app_hidden.sees_all()) or k.location = any ((select app_hidden.team_locations())::text[])
    or k.agent_email = (select app_hidden.own_email());
create view app_public.team_daily_kpis as
select k.* from analytics.team_daily_kpis k
 where (select app_hidden.sees_all()) or (not k.all_locations and k.location = any ((select app_hidden.team_locations())::text[]));
grant select on app_public.agent_daily_kpis, app_public.team_daily_kpis to app_visitor;
comment on view app_public.agent_daily_kpis is E'@primaryKey agent_extension,business_day\nAgent figures per business day (yourself, and the agents of your locations; managers: all).';
comment on view app_public.team_daily_kpis is E'Team (location) figures per business day, as stored in team_performance_metrics: the agents'' counts summed, then divided (your locations; managers: all, and the practice-wide row).';

/* Column comments of the people's views: the analysts' own. */
do $$
declare
  c record;
begin
  for c in
    select v.relname as view_name, a.attname, d.description
      from pg_class v join pg_namespace n on n.oid = v.relnamespace and n.nspname = 'app_public'
      join pg_attribute a on a.attrelid = v.oid and a.attnum > 0 and not a.attisdropped
      join pg_class src on src.relname = v.relname join pg_namespace sn on sn.oid = src.relnamespace and sn.nspname = 'analytics'
      join pg_attribute sa on sa.attrelid = src.oid and sa.attname = a.attname
      join pg_description d on d.objoid = src.oid and d.objsubid = sa.attnum
     where v.relname in ('agent_daily_kpis', 'team_daily_kpis')
  loop
    execute format('comment on column app_public.%I.%I is %L', c.view_name, c.attname, c.description);
  end loop;
end
$$;

/*
 * Any range: the stored daily counts and sums added up, ratios computed from
 * the sums (never an average of daily percentages), with the same row rules
 * as the daily views they read.
 */
create type app_public.queue_range_kpis as (
  queue text, location text, from_day date, to_day date, days_with_calls integer,
  offered bigint, answered bigint, abandoned bigint, short_abandoned bigint, voicemail bigint, missed bigint, transferred bigint,
  answered_within_sl bigint, abandoned_within_sl bigint, wait_unknown bigint, abandon_mode text,
  service_level_denominator bigint, service_level_pct numeric, abandonment_denominator bigint, abandonment_rate_pct numeric,
  answered_wait_seconds bigint, answered_known_wait bigint, asa_seconds integer, abandoned_wait_seconds bigint, avg_abandon_wait_seconds integer,
  max_wait_seconds integer,
  answered_wait_le_10 bigint, answered_wait_le_20 bigint, answered_wait_le_30 bigint, answered_wait_le_60 bigint, answered_wait_le_120 bigint, answered_wait_gt_120 bigint,
  abandoned_wait_le_10 bigint, abandoned_wait_le_20 bigint, abandoned_wait_le_30 bigint, abandoned_wait_le_60 bigint, abandoned_wait_le_120 bigint, abandoned_wait_gt_120 bigint
);
create function app_public.queue_kpis_for_range(from_day date, to_day date, queue text default null, location text default null)
  returns setof app_public.queue_range_kpis
  language sql stable
  set search_path to pg_catalog, public, pg_temp
  as $$
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
         and (queue_kpis_for_range.queue is null or d.queue = queue_kpis_for_range.queue)
         and (queue_kpis_for_range.location is null or d.location = queue_kpis_for_range.location)
       group by d.queue, d.location, d.abandon_mode
    ) x
   order by x.queue
$$;
comment on function app_public.queue_kpis_for_range(date, date, text, text) is 'Queue figures over a range of business days (inclusive), optionally one queue or one location''s queues: the daily counts added up, ratios from the sums.';

create type app_public.agent_range_kpis as (
  agent_extension text, agent_email citext, agent_name text, location text, from_day date, to_day date, days_with_calls integer,
  calls_handled bigint, calls_handled_inbound bigint, calls_missed bigint, talk_seconds bigint, hold_seconds bigint, acw_seconds bigint,
  aht_seconds integer, available_seconds bigint, calls_per_hour numeric, utilization_pct numeric, occupancy_pct numeric, talk_time_pct numeric,
  fcr_resolved bigint, fcr_final bigint, fcr_pct numeric, appointments bigint, appointment_conversion_pct numeric,
  csat_sum bigint, csat_count bigint, csat_avg numeric, complaints bigint, complaint_rate_pct numeric,
  quality_score_sum numeric, quality_reviews bigint, quality_score_avg numeric
);
create function app_public.agent_kpis_for_range(from_day date, to_day date, agent_email citext default null, location text default null)
  returns setof app_public.agent_range_kpis
  language sql stable
  set search_path to pg_catalog, public, pg_temp
  as $$
  select x.agent_extension, x.agent_email, x.agent_name, x.location, from_day, to_day, x.days_with_calls,
         x.calls_handled, x.calls_handled_inbound, x.calls_missed, x.talk_seconds, x.hold_seconds, x.acw_seconds,
         app_hidden.per(x.talk_seconds + x.hold_seconds + x.acw_seconds, x.calls_handled), x.available_seconds,
         case when x.available_seconds > 0 then round(x.calls_handled / (x.available_seconds / 3600.0), 2) end,
         app_hidden.pct(x.talk_seconds + x.acw_seconds, x.available_seconds),
         app_hidden.pct(x.talk_seconds + x.hold_seconds + x.acw_seconds, x.available_seconds),
         app_hidden.pct(x.talk_seconds, x.available_seconds),
         x.fcr_resolved, x.fcr_final, app_hidden.pct(x.fcr_resolved, x.fcr_final),
         x.appointments, app_hidden.pct(x.appointments, x.calls_handled_inbound),
         x.csat_sum, x.csat_count, case when x.csat_count > 0 then round(x.csat_sum::numeric / x.csat_count, 2) end,
         x.complaints, app_hidden.pct(x.complaints, x.calls_handled),
         x.quality_score_sum, x.quality_reviews, case when x.quality_reviews > 0 then round(x.quality_score_sum / x.quality_reviews, 2) end
    from (
      select d.agent_extension, d.agent_email, d.agent_name, d.location, count(*)::integer as days_with_calls,
             sum(d.calls_handled)::bigint as calls_handled, sum(d.calls_handled_inbound)::bigint as calls_handled_inbound,
             sum(d.calls_missed)::bigint as calls_missed, sum(d.talk_seconds)::bigint as talk_seconds, sum(d.hold_seconds)::bigint as hold_seconds,
             sum(d.acw_seconds)::bigint as acw_seconds, coalesce(sum(d.available_seconds), 0)::bigint as available_seconds,
             sum(d.fcr_resolved)::bigint as fcr_resolved, sum(d.fcr_final)::bigint as fcr_final, sum(d.appointments)::bigint as appointments,
             sum(d.csat_sum)::bigint as csat_sum, sum(d.csat_count)::bigint as csat_count, sum(d.complaints)::bigint as complaints,
             sum(d.quality_score_sum) as quality_score_sum, sum(d.quality_reviews)::bigint as quality_reviews
        from app_public.agent_daily_kpis d
       where d.business_day between agent_kpis_for_range.from_day and agent_kpis_for_range.to_day
         and (agent_kpis_for_range.agent_email is null or d.agent_email = agent_kpis_for_range.agent_email)
         and (agent_kpis_for_range.location is null or d.location = agent_kpis_for_range.location)
       group by d.agent_extension, d.agent_email, d.agent_name, d.location
    ) x
   order by x.agent_extension
$$;
comment on function app_public.agent_kpis_for_range(date, date, citext, text) is 'Agent figures over a range of business days (inclusive), optionally one agent or one location''s agents: the daily counts added up, ratios from the sums.';

create type app_public.team_range_kpis as (
  location text, all_locations boolean, team_name text, from_day date, to_day date, days integer,
  agent_days bigint, calls_handled bigint, calls_handled_inbound bigint, calls_missed bigint, talk_seconds bigint, hold_seconds bigint, acw_seconds bigint,
  aht_seconds integer, available_seconds bigint, calls_per_hour numeric, utilization_pct numeric, occupancy_pct numeric,
  fcr_resolved bigint, fcr_final bigint, fcr_pct numeric, appointments bigint, appointment_conversion_pct numeric,
  csat_sum bigint, csat_count bigint, csat_avg numeric, complaints bigint, complaint_rate_pct numeric,
  quality_score_sum numeric, quality_reviews bigint, quality_score_avg numeric, calls_per_agent_per_day numeric,
  shifts_scheduled bigint, shifts_not_absent bigint, attendance_rate_pct numeric, shifts_started bigint, shifts_on_time bigint, punctuality_rate_pct numeric,
  scheduled_seconds bigint, adherent_seconds bigint, schedule_adherence_pct numeric,
  agent_days_with_goals bigint, agent_days_meeting_goals bigint, team_goal_achievement_pct numeric,
  training_hours_completed numeric, coaching_sessions_conducted bigint
);
create function app_public.team_kpis_for_range(from_day date, to_day date, location text default null)
  returns setof app_public.team_range_kpis
  language sql stable
  set search_path to pg_catalog, public, pg_temp
  as $$
  select x.location, x.all_locations, x.team_name, from_day, to_day, x.days, x.agent_days,
         x.calls_handled, x.calls_handled_inbound, x.calls_missed, x.talk_seconds, x.hold_seconds, x.acw_seconds,
         app_hidden.per(x.talk_seconds + x.hold_seconds + x.acw_seconds, x.calls_handled), x.available_seconds,
         case when x.available_seconds > 0 then round(x.calls_handled / (x.available_seconds / 3600.0), 2) end,
         app_hidden.pct(x.talk_seconds + x.acw_seconds, x.available_seconds),
         app_hidden.pct(x.talk_seconds + x.hold_seconds + x.acw_seconds, x.available_seconds),
         x.fcr_resolved, x.fcr_final, app_hidden.pct(x.fcr_resolved, x.fcr_final),
         x.appointments, app_hidden.pct(x.appointments, x.calls_handled_inbound),
         x.csat_sum, x.csat_count, case when x.csat_count > 0 then round(x.csat_sum::numeric / x.csat_count, 2) end,
         x.complaints, app_hidden.pct(x.complaints, x.calls_handled),
         x.quality_score_sum, x.quality_reviews, case when x.quality_reviews > 0 then round(x.quality_score_sum / x.quality_reviews, 2) end,
         case when x.agent_days > 0 then round(x.calls_handled::numeric / x.agent_days, 2) end,
         x.shifts_scheduled, x.shifts_not_absent, app_hidden.pct(x.shifts_not_absent, x.shifts_scheduled),
         x.shifts_started, x.shifts_on_time, app_hidden.pct(x.shifts_on_time, x.shifts_started),
         x.scheduled_seconds, x.adherent_seconds, app_hidden.pct(x.adherent_seconds, x.scheduled_seconds),
         x.agent_days_with_goals, x.agent_days_meeting_goals, app_hidden.pct(x.agent_days_meeting_goals, x.agent_days_with_goals),
         x.training_hours_completed, x.coaching_sessions_conducted
    from (
      select d.location, d.all_locations, d.team_name, count(*)::integer as days, sum(d.active_agents)::bigint as agent_days,
             sum(d.calls_handled)::bigint as calls_handled, sum(d.calls_handled_inbound)::bigint as calls_handled_inbound,
             sum(d.calls_missed)::bigint as calls_missed, sum(d.talk_seconds)::bigint as talk_seconds, sum(d.hold_seconds)::bigint as hold_seconds,
             sum(d.acw_seconds)::bigint as acw_seconds, sum(d.available_seconds)::bigint as available_seconds,
             sum(d.fcr_resolved)::bigint as fcr_resolved, sum(d.fcr_final)::bigint as fcr_final, sum(d.appointments)::bigint as appointments,
             sum(d.csat_sum)::bigint as csat_sum, sum(d.csat_count)::bigint as csat_count, sum(d.complaints)::bigint as complaints,
             sum(d.quality_score_sum) as quality_score_sum, sum(d.quality_reviews)::bigint as quality_reviews,
             sum(d.shifts_scheduled)::bigint as shifts_scheduled, sum(d.shifts_not_absent)::bigint as shifts_not_absent,
             sum(d.shifts_started)::bigint as shifts_started, sum(d.shifts_on_time)::bigint as shifts_on_time,
             sum(d.scheduled_seconds)::bigint as scheduled_seconds, sum(d.adherent_seconds)::bigint as adherent_seconds,
             sum(d.agents_with_goals)::bigint as agent_days_with_goals, sum(d.agents_meeting_goals)::bigint as agent_days_meeting_goals,
             sum(d.training_hours_completed) as training_hours_completed, sum(d.coaching_sessions_conducted)::bigint as coaching_sessions_conducted
        from app_public.team_daily_kpis d
       where d.business_day between team_kpis_for_range.from_day and team_kpis_for_range.to_day
         and (team_kpis_for_range.location is null or d.location = team_kpis_for_range.location)
       group by d.location, d.all_locations, d.team_name
    ) x
   order by x.all_locations, x.location
$$;
comment on function app_public.team_kpis_for_range(date, date, text) is 'Team (location) figures over a range of business days (inclusive), optionally one location: the stored daily team rows added up, ratios from the sums; calls per agent per day is handled / agent days.';
grant execute on function app_public.queue_kpis_for_range(date, date, text, text), app_public.agent_kpis_for_range(date, date, citext, text),
  app_public.team_kpis_for_range(date, date, text) to app_visitor;

/* Range result types: each column as in the daily views. */
do $$
declare
  c record;
  doc jsonb := (select jsonb_object_agg(a.attname, d.description)
                  from pg_class v join pg_namespace n on n.oid = v.relnamespace and n.nspname = 'analytics'
                  join pg_attribute a on a.attrelid = v.oid and a.attnum > 0
                  join pg_description d on d.objoid = v.oid and d.objsubid = a.attnum
                 where v.relname in ('queue_daily_kpis', 'agent_daily_kpis', 'team_daily_kpis'))
    || jsonb_build_object(
      'from_day', 'First business day of the range.', 'to_day', 'Last business day of the range (inclusive).',
      'days_with_calls', 'Business days in the range with figures.', 'days', 'Business days in the range with a team row.',
      'agent_days', 'Σ active agents over the days (the calls-per-agent-per-day denominator).',
      'calls_per_agent_per_day', 'calls_handled / agent_days.',
      'agent_days_with_goals', 'Σ over the days of agents with a goal covering the day.',
      'agent_days_meeting_goals', 'Σ over the days of agents meeting every set target.',
      'team_goal_achievement_pct', 'agent_days_meeting_goals / agent_days_with_goals × 100.');
begin
  for c in select t.typname, a.attname from pg_type t join pg_namespace n on n.oid = t.typnamespace and n.nspname = 'app_public'
             join pg_attribute a on a.attrelid = t.typrelid and a.attnum > 0
            where t.typname in ('queue_range_kpis', 'agent_range_kpis', 'team_range_kpis') loop
    if doc ? c.attname then
      execute format('comment on column app_public.%I.%I is %L', c.typname, c.attname, doc ->> c.attname);
    else
      raise exception 'no comment for app_public.%.%', c.typname, c.attname;
    end if;
  end loop;
end
$$;
comment on type app_public.queue_range_kpis is 'Queue figures over a range of business days.';
comment on type app_public.agent_range_kpis is 'Agent figures over a range of business days.';
comment on type app_public.team_range_kpis is 'Team (location) figures over a range of business days.';
