--! Previous: sha1:e6af94e7cff5d3597eca0308a96ebb77355877b7
--! Hash: sha1:2f2c6961880fc62bd3f62f1a33ff861d5a92747b
--! Message: KPI engine: queue-interval and agent-day counts stored and kept current from calls and legs, KPI views for analysts, calls behind every figure

/*
 * Time keys. Intervals are 15 minutes on the clock (the business zone's
 * offsets are whole hours, so UTC quarter hours are local quarter hours);
 * a business day is the local date in the business time zone, 23 or 25 hours
 * long on DST days.
 */
create function app_hidden.kpi_interval(t timestamptz) returns timestamptz
  language sql immutable parallel safe
  set search_path to pg_catalog, public, pg_temp
  as $$ select date_bin('15 minutes', t, timestamptz '2000-01-01 00:00:00+00') $$;
comment on function app_hidden.kpi_interval(timestamptz) is 'The start of the 15-minute interval an instant falls in.';

create function app_hidden.business_day(t timestamptz) returns date
  language sql stable parallel safe
  set search_path to pg_catalog, public, pg_temp
  as $$ select (t at time zone app_hidden.business_timezone())::date $$;
comment on function app_hidden.business_day(timestamptz) is 'The business day (local date in the business time zone) of an instant.';

create function app_hidden.business_day_start(d date) returns timestamptz
  language sql stable parallel safe
  set search_path to pg_catalog, public, pg_temp
  as $$ select d::timestamp at time zone app_hidden.business_timezone() $$;
comment on function app_hidden.business_day_start(date) is 'The instant a business day begins (its end is the next day''s start: 23 or 25 hours later on DST days).';

grant execute on function app_hidden.kpi_interval(timestamptz), app_hidden.business_day(timestamptz), app_hidden.business_day_start(date)
  to app_visitor, app_worker, app_analyst;

/* Ratios as the definitions want them: percent with two decimals, NULL (no data) when the denominator is 0. */
create function app_hidden.pct(numerator numeric, denominator numeric) returns numeric
  language sql immutable parallel safe
  set search_path to pg_catalog, public, pg_temp
  as $$ select case when denominator > 0 then round(100 * numerator / denominator, 2) end $$;
comment on function app_hidden.pct(numeric, numeric) is 'numerator / denominator × 100, two decimals, half away from zero; NULL when the denominator is 0.';
create function app_hidden.per(numerator numeric, denominator numeric) returns integer
  language sql immutable parallel safe
  set search_path to pg_catalog, public, pg_temp
  as $$ select case when denominator > 0 then round(numerator / denominator)::integer end $$;
comment on function app_hidden.per(numeric, numeric) is 'numerator / denominator in whole units (seconds), half away from zero; NULL when the denominator is 0.';
grant execute on function app_hidden.pct(numeric, numeric), app_hidden.per(numeric, numeric) to app_visitor, app_worker, app_analyst;

/* Each queue's settings, with the defaults where it has no row. */
create view app_hidden.effective_queue_settings as
select q.name as queue_name, q.location_name as location,
       coalesce(s.sl_threshold_seconds, 20) as sl_threshold_seconds,
       coalesce(s.sl_goal_pct, 80.00) as sl_goal_pct,
       coalesce(s.short_abandon_seconds, 5) as short_abandon_seconds,
       coalesce(s.abandon_mode, 'negative') as abandon_mode,
       coalesce(s.fcr_window, interval '7 days') as fcr_window
from app_public.queues q
left join app_public.queue_kpi_settings s on s.queue_name = q.name;
comment on view app_hidden.effective_queue_settings is 'Every queue''s KPI settings, the defaults filled in (threshold 20 s, goal 80 %, short abandon 5 s, negative, 7 days).';
grant select on app_hidden.effective_queue_settings to app_worker, app_analyst, app_visitor;

/* The service level in each mode, from stored counts. */
create function app_hidden.service_level_pct(abandon_mode text, answered_within_sl bigint, abandoned_within_sl bigint,
                                             offered bigint, answered bigint, short_abandoned bigint, wait_unknown bigint)
  returns numeric
  language sql immutable parallel safe
  set search_path to pg_catalog, public, pg_temp
  as $$
  select case abandon_mode
    when 'ignore' then app_hidden.pct(answered_within_sl, answered - wait_unknown)
    when 'positive' then app_hidden.pct(answered_within_sl + abandoned_within_sl, offered - short_abandoned - wait_unknown)
    else app_hidden.pct(answered_within_sl, offered - short_abandoned - wait_unknown) end
$$;
comment on function app_hidden.service_level_pct(text, bigint, bigint, bigint, bigint, bigint, bigint) is
  'negative: within / (offered − short − unknown); ignore: within / (answered − unknown); positive: (within + abandoned within) / (offered − short − unknown).';
create function app_hidden.service_level_denominator(abandon_mode text, offered bigint, answered bigint, short_abandoned bigint, wait_unknown bigint)
  returns bigint
  language sql immutable parallel safe
  set search_path to pg_catalog, public, pg_temp
  as $$ select case abandon_mode when 'ignore' then answered - wait_unknown else offered - short_abandoned - wait_unknown end $$;
comment on function app_hidden.service_level_denominator(text, bigint, bigint, bigint, bigint) is 'The service level''s denominator in the queue''s mode.';
grant execute on function app_hidden.service_level_pct(text, bigint, bigint, bigint, bigint, bigint, bigint),
  app_hidden.service_level_denominator(text, bigint, bigint, bigint, bigint) to app_visitor, app_worker, app_analyst;

create index call_center_records_queue_entered_idx on app_public.call_center_records (queue_name, (coalesce(queue_entered_at, call_start_time)));
create index call_legs_agent_extension_idx on app_public.call_legs (agent_extension, started_at);

/*
 * Stored counts and sums per queue and 15-minute interval: what every queue
 * figure is computed from, for any range, by adding rows (never averaging
 * percentages). Counted under the queue's settings; changing them recounts
 * the queue.
 */
create table app_public.queue_interval_stats (
  queue_name text not null references app_public.queues (name) on update cascade on delete cascade,
  interval_start timestamptz not null,
  business_day date not null,
  offered integer not null check (offered >= 0),
  answered integer not null check (answered >= 0),
  abandoned integer not null check (abandoned >= 0),
  short_abandoned integer not null check (short_abandoned >= 0),
  voicemail integer not null check (voicemail >= 0),
  missed integer not null check (missed >= 0),
  transferred integer not null check (transferred >= 0),
  answered_within_sl integer not null check (answered_within_sl >= 0),
  abandoned_within_sl integer not null check (abandoned_within_sl >= 0),
  wait_unknown integer not null check (wait_unknown >= 0),
  answered_wait_seconds bigint not null check (answered_wait_seconds >= 0),
  abandoned_wait_seconds bigint not null check (abandoned_wait_seconds >= 0),
  max_wait_seconds integer,
  answered_wait_le_10 integer not null, answered_wait_le_20 integer not null, answered_wait_le_30 integer not null,
  answered_wait_le_60 integer not null, answered_wait_le_120 integer not null, answered_wait_gt_120 integer not null,
  abandoned_wait_le_10 integer not null, abandoned_wait_le_20 integer not null, abandoned_wait_le_30 integer not null,
  abandoned_wait_le_60 integer not null, abandoned_wait_le_120 integer not null, abandoned_wait_gt_120 integer not null,
  sl_threshold_seconds integer not null,
  short_abandon_seconds integer not null,
  computed_at timestamptz not null default now(),
  primary key (queue_name, interval_start),
  check (answered + abandoned + short_abandoned + voicemail + missed = offered),
  check (extract(epoch from interval_start)::bigint % 900 = 0)
);
comment on table app_public.queue_interval_stats is 'Counts and sums per queue and 15-minute interval, kept current from the calls within a second of a change; every queue figure is computed from them.';
comment on column app_public.queue_interval_stats.queue_name is 'The queue.';
comment on column app_public.queue_interval_stats.interval_start is 'Start of the 15-minute interval the calls entered the queue in.';
comment on column app_public.queue_interval_stats.business_day is 'The business day of the interval.';
comment on column app_public.queue_interval_stats.offered is 'Inbound calls that entered the queue.';
comment on column app_public.queue_interval_stats.answered is 'Offered calls an agent answered.';
comment on column app_public.queue_interval_stats.abandoned is 'Offered calls the caller hung up on before an answer, not short.';
comment on column app_public.queue_interval_stats.short_abandoned is 'Abandoned with a wait under the short-abandon threshold: left out of every rate.';
comment on column app_public.queue_interval_stats.voicemail is 'Offered calls that ended in voicemail.';
comment on column app_public.queue_interval_stats.missed is 'Offered calls never answered that the caller did not hang up on (timeout, no agents, no route).';
comment on column app_public.queue_interval_stats.transferred is 'Answered calls later moved to another agent or queue (counted once here).';
comment on column app_public.queue_interval_stats.answered_within_sl is 'Answered with a known wait at or under the threshold.';
comment on column app_public.queue_interval_stats.abandoned_within_sl is 'Abandoned (not short) with a wait at or under the threshold (the positive mode counts them).';
comment on column app_public.queue_interval_stats.wait_unknown is 'Answered calls whose agent-answer time the data cannot tell: left out of every wait-based figure.';
comment on column app_public.queue_interval_stats.answered_wait_seconds is 'Σ wait of answered calls with a known wait.';
comment on column app_public.queue_interval_stats.abandoned_wait_seconds is 'Σ wait of abandoned calls (not short).';
comment on column app_public.queue_interval_stats.max_wait_seconds is 'Longest known wait of any offered call.';
comment on column app_public.queue_interval_stats.answered_wait_le_10 is 'Answered, known wait ≤ 10 s (bands are cumulative).';
comment on column app_public.queue_interval_stats.answered_wait_le_20 is 'Answered, known wait ≤ 20 s.';
comment on column app_public.queue_interval_stats.answered_wait_le_30 is 'Answered, known wait ≤ 30 s.';
comment on column app_public.queue_interval_stats.answered_wait_le_60 is 'Answered, known wait ≤ 60 s.';
comment on column app_public.queue_interval_stats.answered_wait_le_120 is 'Answered, known wait ≤ 120 s.';
comment on column app_public.queue_interval_stats.answered_wait_gt_120 is 'Answered, known wait > 120 s.';
comment on column app_public.queue_interval_stats.abandoned_wait_le_10 is 'Abandoned (not short), wait ≤ 10 s (cumulative).';
comment on column app_public.queue_interval_stats.abandoned_wait_le_20 is 'Abandoned (not short), wait ≤ 20 s.';
comment on column app_public.queue_interval_stats.abandoned_wait_le_30 is 'Abandoned (not short), wait ≤ 30 s.';
comment on column app_public.queue_interval_stats.abandoned_wait_le_60 is 'Abandoned (not short), wait ≤ 60 s.';
comment on column app_public.queue_interval_stats.abandoned_wait_le_120 is 'Abandoned (not short), wait ≤ 120 s.';
comment on column app_public.queue_interval_stats.abandoned_wait_gt_120 is 'Abandoned (not short), wait > 120 s.';
comment on column app_public.queue_interval_stats.sl_threshold_seconds is 'The service-level threshold these counts were made with.';
comment on column app_public.queue_interval_stats.short_abandon_seconds is 'The short-abandon threshold these counts were made with.';
comment on column app_public.queue_interval_stats.computed_at is 'When the row was last recounted.';
create index queue_interval_stats_day_idx on app_public.queue_interval_stats (business_day, queue_name);

/* Stored counts and sums per agent (extension) and business day, from the agent's legs. */
create table app_public.agent_daily_stats (
  agent_extension text not null check (agent_extension ~ '^[0-9]{2,8}$'),
  business_day date not null,
  calls_handled integer not null check (calls_handled >= 0),
  calls_handled_inbound integer not null check (calls_handled_inbound >= 0),
  calls_missed integer not null check (calls_missed >= 0),
  talk_seconds bigint not null check (talk_seconds >= 0),
  hold_seconds bigint not null check (hold_seconds >= 0),
  acw_seconds bigint not null check (acw_seconds >= 0),
  fcr_resolved integer not null check (fcr_resolved >= 0),
  fcr_final integer not null check (fcr_final >= 0),
  appointments integer not null check (appointments >= 0),
  csat_sum integer not null check (csat_sum >= 0),
  csat_count integer not null check (csat_count >= 0),
  complaints integer not null check (complaints >= 0),
  computed_at timestamptz not null default now(),
  primary key (agent_extension, business_day),
  check (calls_handled_inbound <= calls_handled)
);
comment on table app_public.agent_daily_stats is 'Counts and sums per agent extension and business day, kept current from the agent''s legs and calls within a second of a change; every agent and team figure is computed from them.';
comment on column app_public.agent_daily_stats.agent_extension is 'The agent''s extension (the directory says whose it is).';
comment on column app_public.agent_daily_stats.business_day is 'Business day the legs started on.';
comment on column app_public.agent_daily_stats.calls_handled is 'Calls (inbound and outbound) this agent answered a leg of; a call transferred between agents counts once for each.';
comment on column app_public.agent_daily_stats.calls_handled_inbound is 'Inbound calls among them.';
comment on column app_public.agent_daily_stats.calls_missed is 'Inbound calls that rang this agent (queue polls, direct calls) and were not answered by them.';
comment on column app_public.agent_daily_stats.talk_seconds is 'Σ talk of the agent''s answered legs (end − answer).';
comment on column app_public.agent_daily_stats.hold_seconds is 'Σ hold time of the calls the agent answered first.';
comment on column app_public.agent_daily_stats.acw_seconds is 'Σ after-call work of the calls the agent answered first.';
comment on column app_public.agent_daily_stats.fcr_resolved is 'Handled inbound calls resolved first time, counted once final (the numerator of fcr_pct).';
comment on column app_public.agent_daily_stats.fcr_final is 'Handled inbound calls whose first-call resolution is final (window closed or set by a person).';
comment on column app_public.agent_daily_stats.appointments is 'Handled inbound calls on which an appointment was scheduled.';
comment on column app_public.agent_daily_stats.csat_sum is 'Σ customer satisfaction scores (1–5) of rated handled calls.';
comment on column app_public.agent_daily_stats.csat_count is 'Rated handled calls.';
comment on column app_public.agent_daily_stats.complaints is 'Handled calls marked as complaints.';
comment on column app_public.agent_daily_stats.computed_at is 'When the row was last recounted.';
create index agent_daily_stats_day_idx on app_public.agent_daily_stats (business_day);

/*
 * Visibility: as the calls. Queue rows by the queue's location; agent rows by
 * the agent's location, or one's own extension.
 */
select app_private.secure_table('app_public.queue_interval_stats');
select app_private.secure_table('app_public.agent_daily_stats');
create policy select_in_scope on app_public.queue_interval_stats for select to app_visitor using (
  (select app_hidden.sees_all())
  or exists (select 1 from app_public.queues q where q.name = queue_name and q.location_name = any ((select app_hidden.team_locations())::text[])));
create policy select_in_scope on app_public.agent_daily_stats for select to app_visitor using (
  (select app_hidden.sees_all())
  or exists (select 1 from app_public.agents a where a.extension = agent_extension
              and (a.location_name = any ((select app_hidden.team_locations())::text[]) or a.user_email = (select app_hidden.own_email()))));
grant select on app_public.queue_interval_stats, app_public.agent_daily_stats to app_visitor;
create trigger _900_audit after insert or update or delete on app_public.queue_interval_stats for each row execute function app_private.tg__audit('queue_name', 'interval_start');
create trigger _900_audit after insert or update or delete on app_public.agent_daily_stats for each row execute function app_private.tg__audit('agent_extension', 'business_day');
grant select, insert, update, delete on app_public.queue_interval_stats, app_public.agent_daily_stats to app_worker;
comment on table app_public.queue_interval_stats is E'@omit create,update,delete\nCounts and sums per queue and 15-minute interval, kept current from the calls within a second of a change; every queue figure is computed from them.';
comment on table app_public.agent_daily_stats is E'@omit create,update,delete\nCounts and sums per agent extension and business day, kept current from the agent''s legs and calls within a second of a change; every agent and team figure is computed from them.';

/* Recount queue intervals from the calls (delete, then insert what the calls say now). */
create function app_private.recount_queue_intervals(keys jsonb) returns integer
  language plpgsql volatile
  set search_path to pg_catalog, public, pg_temp
  as $$
declare
  n integer;
begin
  -- Two statements: an insert in the same statement as the delete would not see the rows gone.
  delete from app_public.queue_interval_stats s
   using jsonb_to_recordset(keys) as k(queue_name text, interval_start timestamptz)
   where s.queue_name = k.queue_name and s.interval_start = k.interval_start;
  with k as (
    select distinct x.queue_name, x.interval_start
      from jsonb_to_recordset(keys) as x(queue_name text, interval_start timestamptz)
  ), calls as (
    -- (lateral, fenced by offset 0 so it stays one index range scan per key, however many keys)
    select k.queue_name, k.interval_start, c.call_status, c.wait_seconds, c.call_answer_time is not null as answered, st.sl_threshold_seconds, st.short_abandon_seconds,
           c.call_status = 'abandoned' and c.wait_seconds is not null and c.wait_seconds < st.short_abandon_seconds as short_abandon
      from k
      join app_hidden.effective_queue_settings st on st.queue_name = k.queue_name
      cross join lateral (select * from app_public.call_center_records x
                           where x.queue_name = k.queue_name and x.call_direction = 'inbound'
                             and coalesce(x.queue_entered_at, x.call_start_time) >= k.interval_start
                             and coalesce(x.queue_entered_at, x.call_start_time) < k.interval_start + interval '15 minutes' offset 0) c
  )
  insert into app_public.queue_interval_stats (
    queue_name, interval_start, business_day, offered, answered, abandoned, short_abandoned, voicemail, missed, transferred,
    answered_within_sl, abandoned_within_sl, wait_unknown, answered_wait_seconds, abandoned_wait_seconds, max_wait_seconds,
    answered_wait_le_10, answered_wait_le_20, answered_wait_le_30, answered_wait_le_60, answered_wait_le_120, answered_wait_gt_120,
    abandoned_wait_le_10, abandoned_wait_le_20, abandoned_wait_le_30, abandoned_wait_le_60, abandoned_wait_le_120, abandoned_wait_gt_120,
    sl_threshold_seconds, short_abandon_seconds)
  select c.queue_name, c.interval_start, app_hidden.business_day(c.interval_start),
         count(*),
         count(*) filter (where c.answered),
         count(*) filter (where not c.answered and c.call_status = 'abandoned' and not c.short_abandon),
         count(*) filter (where not c.answered and c.short_abandon),
         count(*) filter (where not c.answered and c.call_status = 'voicemail'),
         count(*) filter (where not c.answered and c.call_status = 'missed'),
         count(*) filter (where c.answered and c.call_status = 'transferred'),
         count(*) filter (where c.answered and c.wait_seconds <= c.sl_threshold_seconds),
         count(*) filter (where not c.answered and c.call_status = 'abandoned' and not c.short_abandon and c.wait_seconds <= c.sl_threshold_seconds),
         count(*) filter (where c.answered and c.wait_seconds is null),
         coalesce(sum(c.wait_seconds) filter (where c.answered), 0),
         coalesce(sum(c.wait_seconds) filter (where not c.answered and c.call_status = 'abandoned' and not c.short_abandon), 0),
         max(c.wait_seconds),
         count(*) filter (where c.answered and c.wait_seconds <= 10), count(*) filter (where c.answered and c.wait_seconds <= 20),
         count(*) filter (where c.answered and c.wait_seconds <= 30), count(*) filter (where c.answered and c.wait_seconds <= 60),
         count(*) filter (where c.answered and c.wait_seconds <= 120), count(*) filter (where c.answered and c.wait_seconds > 120),
         count(*) filter (where c.call_status = 'abandoned' and not c.answered and not c.short_abandon and c.wait_seconds <= 10),
         count(*) filter (where c.call_status = 'abandoned' and not c.answered and not c.short_abandon and c.wait_seconds <= 20),
         count(*) filter (where c.call_status = 'abandoned' and not c.answered and not c.short_abandon and c.wait_seconds <= 30),
         count(*) filter (where c.call_status = 'abandoned' and not c.answered and not c.short_abandon and c.wait_seconds <= 60),
         count(*) filter (where c.call_status = 'abandoned' and not c.answered and not c.short_abandon and c.wait_seconds <= 120),
         count(*) filter (where c.call_status = 'abandoned' and not c.answered and not c.short_abandon and c.wait_seconds > 120),
         min(c.sl_threshold_seconds), min(c.short_abandon_seconds)
    from calls c
   group by c.queue_name, c.interval_start;
  get diagnostics n = row_count;
  return n;
end;
$$;
comment on function app_private.recount_queue_intervals(jsonb) is 'Recounts the given (queue_name, interval_start) rows of queue_interval_stats from the calls; an interval with no calls left has no row.';

/* Recount agent days from the legs and calls. */
create function app_private.recount_agent_days(keys jsonb) returns integer
  language plpgsql volatile
  set search_path to pg_catalog, public, pg_temp
  as $$
declare
  n integer;
begin
  delete from app_public.agent_daily_stats s
   using jsonb_to_recordset(keys) as k(agent_extension text, business_day date)
   where s.agent_extension = k.agent_extension and s.business_day = k.business_day;
  with k as (
    select distinct x.agent_extension, x.business_day,
           app_hidden.business_day_start(x.business_day) as day_start, app_hidden.business_day_start(x.business_day + 1) as day_end
      from jsonb_to_recordset(keys) as x(agent_extension text, business_day date)
  ), per_call as (
    -- One row per (agent, day, call): what this agent did on that call that day.
    -- (lateral, fenced by offset 0 so the planner cannot turn it into a scan of every leg: one index range scan per key)
    select k.agent_extension, k.business_day, l.call_record_id,
           bool_or(l.answered_at is not null and l.leg_type in ('talk', 'ring', 'transfer')) as handled,
           bool_or(l.answered_at is null and l.leg_type = 'ring') as rang_unanswered,
           coalesce(sum(extract(epoch from (l.ended_at - l.answered_at))) filter (where l.answered_at is not null and l.ended_at is not null and l.leg_type in ('talk', 'ring', 'transfer')), 0) as talk
      from k
      cross join lateral (select * from app_public.call_legs x
                           where x.agent_extension = k.agent_extension and x.started_at >= k.day_start and x.started_at < k.day_end offset 0) l
     group by k.agent_extension, k.business_day, l.call_record_id
  )
  insert into app_public.agent_daily_stats (
    agent_extension, business_day, calls_handled, calls_handled_inbound, calls_missed, talk_seconds, hold_seconds, acw_seconds,
    fcr_resolved, fcr_final, appointments, csat_sum, csat_count, complaints)
  select p.agent_extension, p.business_day,
         count(*) filter (where p.handled),
         count(*) filter (where p.handled and c.call_direction = 'inbound'),
         count(*) filter (where not p.handled and p.rang_unanswered and c.call_direction = 'inbound'),
         round(coalesce(sum(p.talk) filter (where p.handled), 0))::bigint,
         coalesce(sum(c.hold_time_seconds) filter (where p.handled and c.agent_extension = p.agent_extension), 0),
         coalesce(sum(c.after_call_work_seconds) filter (where p.handled and c.agent_extension = p.agent_extension), 0),
         count(*) filter (where p.handled and c.call_direction = 'inbound' and c.first_call_resolution and c.fcr_final),
         count(*) filter (where p.handled and c.call_direction = 'inbound' and c.fcr_final),
         count(*) filter (where p.handled and c.call_direction = 'inbound' and c.appointment_scheduled),
         coalesce(sum(c.customer_satisfaction_score) filter (where p.handled), 0),
         count(c.customer_satisfaction_score) filter (where p.handled),
         count(*) filter (where p.handled and c.complaint_call)
    from per_call p
    cross join lateral (select * from app_public.call_center_records x where x.id = p.call_record_id offset 0) c
   where c.call_direction in ('inbound', 'outbound')
   group by p.agent_extension, p.business_day
  having count(*) filter (where p.handled or (p.rang_unanswered and c.call_direction = 'inbound')) > 0;
  get diagnostics n = row_count;
  return n;
end;
$$;
comment on function app_private.recount_agent_days(jsonb) is 'Recounts the given (agent_extension, business_day) rows of agent_daily_stats from the legs and calls; a day with nothing left has no row.';

/*
 * What changed and must be recounted: marked by statement-level triggers on
 * calls and legs (in the writer's transaction), recounted by kpi__refresh,
 * which collapses duplicates (one job, its own queue).
 */
create table app_private.kpi_stale_queue_intervals (
  queue_name text not null,
  interval_start timestamptz not null,
  marked_at timestamptz not null default now(),
  primary key (queue_name, interval_start)
);
comment on table app_private.kpi_stale_queue_intervals is 'Queue intervals whose counts must be recounted (a call in them changed).';
create table app_private.kpi_stale_agent_days (
  agent_extension text not null,
  business_day date not null,
  marked_at timestamptz not null default now(),
  primary key (agent_extension, business_day)
);
comment on table app_private.kpi_stale_agent_days is 'Agent days whose counts must be recounted (a leg or a call of theirs changed).';
grant select, insert, update, delete on app_private.kpi_stale_queue_intervals, app_private.kpi_stale_agent_days to app_worker;

/* Queues the recount job when something was marked; security definer, so any writer's statement can mark. */
create function app_private.mark_kpis_stale(queue_keys jsonb, agent_keys jsonb) returns void
  language plpgsql volatile security definer
  set search_path to pg_catalog, public, pg_temp
  as $$
declare
  n integer := 0;
  m integer := 0;
begin
  insert into app_private.kpi_stale_queue_intervals (queue_name, interval_start)
  select distinct x.queue_name, x.interval_start from jsonb_to_recordset(queue_keys) as x(queue_name text, interval_start timestamptz)
   where x.queue_name is not null and x.interval_start is not null
  on conflict do nothing;
  get diagnostics n = row_count;
  insert into app_private.kpi_stale_agent_days (agent_extension, business_day)
  select distinct x.agent_extension, x.business_day from jsonb_to_recordset(agent_keys) as x(agent_extension text, business_day date)
   where x.agent_extension is not null and x.business_day is not null
  on conflict do nothing;
  get diagnostics m = row_count;
  if n + m > 0 then
    -- Not a named queue: a job in a queue that is busy is only found by polling (seconds); recounts take turns on a lock instead.
    perform app_private.add_job('kpi__refresh', '{}'::json, job_key => 'kpi__refresh');
  end if;
end;
$$;
comment on function app_private.mark_kpis_stale(jsonb, jsonb) is 'Marks queue intervals and agent days for recounting and queues kpi__refresh (duplicates collapse; recounts take turns on an advisory lock).';

create function app_private.tg_call_center_records__kpis_stale() returns trigger
  language plpgsql volatile security definer
  set search_path to pg_catalog, public, pg_temp
  as $$
declare
  queue_keys jsonb;
  agent_keys jsonb;
begin
  with changed as (
    select id, queue_name, queue_entered_at, call_start_time from new_rows
    union all
    select id, queue_name, queue_entered_at, call_start_time from old_rows
  )
  select (select coalesce(jsonb_agg(distinct jsonb_build_object('queue_name', c.queue_name,
                   'interval_start', app_hidden.kpi_interval(coalesce(c.queue_entered_at, c.call_start_time)))), '[]')
            from changed c where c.queue_name is not null),
         (select coalesce(jsonb_agg(distinct jsonb_build_object('agent_extension', l.agent_extension, 'business_day', app_hidden.business_day(l.started_at))), '[]')
            from app_public.call_legs l where l.call_record_id in (select c.id from changed c) and l.agent_extension is not null)
    into queue_keys, agent_keys;
  perform app_private.mark_kpis_stale(queue_keys, agent_keys);
  return null;
end;
$$;
comment on function app_private.tg_call_center_records__kpis_stale() is 'Marks the queue intervals and agent days a statement''s calls touch (old and new values).';

create function app_private.tg_call_legs__kpis_stale() returns trigger
  language plpgsql volatile security definer
  set search_path to pg_catalog, public, pg_temp
  as $$
declare
  agent_keys jsonb;
begin
  with changed as (
    select agent_extension, started_at from new_rows
    union all
    select agent_extension, started_at from old_rows
  )
  select coalesce(jsonb_agg(distinct jsonb_build_object('agent_extension', c.agent_extension, 'business_day', app_hidden.business_day(c.started_at))), '[]')
    into agent_keys from changed c where c.agent_extension is not null;
  perform app_private.mark_kpis_stale('[]', agent_keys);
  return null;
end;
$$;
comment on function app_private.tg_call_legs__kpis_stale() is 'Marks the agent days a statement''s legs touch (old and new values).';

/* Inserts have no old rows and deletes no new ones: one function, an empty table stands in. */
create function app_private.tg_call_center_records__kpis_stale_insert() returns trigger
  language plpgsql volatile security definer
  set search_path to pg_catalog, public, pg_temp
  as $$
begin
  perform app_private.mark_kpis_stale(
    (select coalesce(jsonb_agg(distinct jsonb_build_object('queue_name', n.queue_name,
              'interval_start', app_hidden.kpi_interval(coalesce(n.queue_entered_at, n.call_start_time)))), '[]') from new_rows n where n.queue_name is not null),
    '[]');
  return null;
end;
$$;
comment on function app_private.tg_call_center_records__kpis_stale_insert() is 'Marks the queue intervals new calls fall in (their legs mark the agent days).';

create function app_private.tg_call_center_records__kpis_stale_delete() returns trigger
  language plpgsql volatile security definer
  set search_path to pg_catalog, public, pg_temp
  as $$
begin
  perform app_private.mark_kpis_stale(
    (select coalesce(jsonb_agg(distinct jsonb_build_object('queue_name', o.queue_name,
              'interval_start', app_hidden.kpi_interval(coalesce(o.queue_entered_at, o.call_start_time)))), '[]') from old_rows o where o.queue_name is not null),
    '[]');
  return null;
end;
$$;
comment on function app_private.tg_call_center_records__kpis_stale_delete() is 'Marks the queue intervals deleted calls were in (their legs, deleted with them, mark the agent days).';

create function app_private.tg_call_legs__kpis_stale_one_side() returns trigger
  language plpgsql volatile security definer
  set search_path to pg_catalog, public, pg_temp
  as $$
begin
  perform app_private.mark_kpis_stale('[]',
    (select coalesce(jsonb_agg(distinct jsonb_build_object('agent_extension', r.agent_extension, 'business_day', app_hidden.business_day(r.started_at))), '[]')
       from changed_rows r where r.agent_extension is not null));
  return null;
end;
$$;
comment on function app_private.tg_call_legs__kpis_stale_one_side() is 'Marks the agent days inserted or deleted legs fall in.';

create trigger _700_kpis_stale_insert after insert on app_public.call_center_records
  referencing new table as new_rows for each statement execute function app_private.tg_call_center_records__kpis_stale_insert();
create trigger _700_kpis_stale_update after update on app_public.call_center_records
  referencing new table as new_rows old table as old_rows for each statement execute function app_private.tg_call_center_records__kpis_stale();
create trigger _700_kpis_stale_delete after delete on app_public.call_center_records
  referencing old table as old_rows for each statement execute function app_private.tg_call_center_records__kpis_stale_delete();
create trigger _700_kpis_stale_insert after insert on app_public.call_legs
  referencing new table as changed_rows for each statement execute function app_private.tg_call_legs__kpis_stale_one_side();
create trigger _700_kpis_stale_update after update on app_public.call_legs
  referencing new table as new_rows old table as old_rows for each statement execute function app_private.tg_call_legs__kpis_stale();
create trigger _700_kpis_stale_delete after delete on app_public.call_legs
  referencing old table as changed_rows for each statement execute function app_private.tg_call_legs__kpis_stale_one_side();

/* A queue's settings changed: its intervals are recounted. */
create function app_private.tg_queue_kpi_settings__kpis_stale() returns trigger
  language plpgsql volatile security definer
  set search_path to pg_catalog, public, pg_temp
  as $$
begin
  perform app_private.mark_kpis_stale(
    (select coalesce(jsonb_agg(jsonb_build_object('queue_name', s.queue_name, 'interval_start', s.interval_start)), '[]')
       from app_public.queue_interval_stats s
      where s.queue_name in (select new.queue_name union select old.queue_name)),
    '[]');
  return null;
end;
$$;
comment on function app_private.tg_queue_kpi_settings__kpis_stale() is 'Marks every interval of a queue whose KPI settings changed.';
create trigger _700_kpis_stale after insert or update or delete on app_public.queue_kpi_settings
  for each row execute function app_private.tg_queue_kpi_settings__kpis_stale();

/* The recount job's step: claims up to `batch` stale keys of each kind (SKIP LOCKED), recounts them. */
create function app_private.refresh_stale_kpis(batch integer default 500) returns integer
  language plpgsql volatile
  set search_path to pg_catalog, public, pg_temp
  as $$
declare
  q jsonb;
  a jsonb;
begin
  -- One recount at a time (another waits here, then takes what is left): two never write the same row.
  perform pg_advisory_xact_lock(hashtext('app_private.kpi_recount'));
  with claimed as (
    delete from app_private.kpi_stale_queue_intervals s
     where (s.queue_name, s.interval_start) in (select queue_name, interval_start from app_private.kpi_stale_queue_intervals
                                                 order by queue_name, interval_start limit batch for update skip locked)
    returning s.queue_name, s.interval_start
  ) select coalesce(jsonb_agg(jsonb_build_object('queue_name', queue_name, 'interval_start', interval_start)), '[]') into q from claimed;
  with claimed as (
    delete from app_private.kpi_stale_agent_days s
     where (s.agent_extension, s.business_day) in (select agent_extension, business_day from app_private.kpi_stale_agent_days
                                                   order by agent_extension, business_day limit batch for update skip locked)
    returning s.agent_extension, s.business_day
  ) select coalesce(jsonb_agg(jsonb_build_object('agent_extension', agent_extension, 'business_day', business_day)), '[]') into a from claimed;
  perform app_private.recount_queue_intervals(q);
  perform app_private.recount_agent_days(a);
  return jsonb_array_length(q) + jsonb_array_length(a);
end;
$$;
comment on function app_private.refresh_stale_kpis(integer) is 'Recounts up to `batch` stale queue intervals and agent days; returns how many keys it took.';

/* Everything in a range of business days, recounted from the calls (the full recompute). */
create function app_private.recount_kpis(from_day date, to_day date) returns integer
  language plpgsql volatile
  set search_path to pg_catalog, public, pg_temp
  as $$
declare
  q integer;
  a integer;
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
  return q + a;
end;
$$;
comment on function app_private.recount_kpis(date, date) is 'Recounts every queue interval and agent day of a range of business days from the calls; returns the rows written.';

grant execute on function app_private.recount_queue_intervals(jsonb), app_private.recount_agent_days(jsonb),
  app_private.refresh_stale_kpis(integer), app_private.recount_kpis(date, date), app_private.mark_kpis_stale(jsonb, jsonb) to app_worker;

/*
 * The KPI views: ratios beside their numerators and denominators, computed
 * from the stored counts the same way at every grain.
 */
create view analytics.queue_interval_kpis as
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

create view analytics.queue_daily_kpis as
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

create view analytics.agent_daily_kpis as
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
       s.complaints, app_hidden.pct(s.complaints, s.calls_handled) as complaint_rate_pct
from app_public.agent_daily_stats s
left join app_public.agents a on a.extension = s.agent_extension and a.is_active
left join lateral (
  select sum(greatest(0, extract(epoch from (coalesce(x.actual_end_time, now()) - x.actual_start_time))::bigint
             - 60 * (x.total_break_time_minutes + x.lunch_break_minutes + x.training_time_minutes + x.meeting_time_minutes)))::bigint as available_seconds
    from app_public.agent_shifts x
   where x.agent_email = a.user_email and x.shift_date = s.business_day and x.actual_start_time is not null and x.shift_status <> 'absent'
) sh on true;

create view analytics.team_daily_kpis as
select t.location, t.all_locations, t.business_day, t.agents_with_calls,
       t.calls_handled, t.calls_handled_inbound, t.calls_missed, t.talk_seconds, t.hold_seconds, t.acw_seconds,
       app_hidden.per(t.talk_seconds + t.hold_seconds + t.acw_seconds, t.calls_handled) as aht_seconds,
       t.available_seconds,
       case when t.available_seconds > 0 then round(t.calls_handled / (t.available_seconds / 3600.0), 2) end as calls_per_hour,
       app_hidden.pct(t.talk_seconds + t.acw_seconds, t.available_seconds) as utilization_pct,
       t.fcr_resolved, t.fcr_final, app_hidden.pct(t.fcr_resolved, t.fcr_final) as fcr_pct,
       t.appointments, app_hidden.pct(t.appointments, t.calls_handled_inbound) as appointment_conversion_pct,
       t.csat_sum, t.csat_count, case when t.csat_count > 0 then round(t.csat_sum::numeric / t.csat_count, 2) end as csat_avg,
       t.complaints, app_hidden.pct(t.complaints, t.calls_handled) as complaint_rate_pct
from (
  select k.location, grouping(k.location) = 1 as all_locations, k.business_day, count(*) filter (where k.calls_handled > 0) as agents_with_calls,
         sum(k.calls_handled) as calls_handled, sum(k.calls_handled_inbound) as calls_handled_inbound, sum(k.calls_missed) as calls_missed,
         sum(k.talk_seconds) as talk_seconds, sum(k.hold_seconds) as hold_seconds, sum(k.acw_seconds) as acw_seconds,
         sum(k.available_seconds) as available_seconds,
         sum(k.fcr_resolved) as fcr_resolved, sum(k.fcr_final) as fcr_final, sum(k.appointments) as appointments,
         sum(k.csat_sum) as csat_sum, sum(k.csat_count) as csat_count, sum(k.complaints) as complaints
    from analytics.agent_daily_kpis k
   group by grouping sets ((k.location, k.business_day), (k.business_day))
) t;

grant select on analytics.queue_interval_kpis, analytics.queue_daily_kpis, analytics.agent_daily_kpis, analytics.team_daily_kpis to app_analyst;

comment on view analytics.queue_interval_kpis is 'Queue figures per 15-minute interval, each ratio beside its numerator and denominator (no patient identifiers).';
comment on view analytics.queue_daily_kpis is 'Queue figures per business day: the intervals'' counts added up, ratios computed from the sums.';
comment on view analytics.agent_daily_kpis is 'Agent figures per business day, from the agent''s legs and shifts, each ratio beside its numerator and denominator.';
comment on view analytics.team_daily_kpis is 'Team (location) figures per business day: the agents'' counts summed, never averages of percentages; all_locations marks the practice-wide row.';

/* Column comments, once per column name, on every KPI view that has it. */
do $$
declare
  c record;
  v text;
  doc jsonb := jsonb_build_object(
    'queue', 'The queue.', 'location', 'The location (queue''s or agent''s).', 'interval_start', 'Start of the 15-minute interval.',
    'business_day', 'Business day (local date in the business time zone).', 'all_locations', 'True on the row for all locations together.',
    'offered', 'Inbound calls that entered the queue.', 'answered', 'Offered calls answered by an agent.',
    'abandoned', 'Offered calls abandoned, not short.', 'short_abandoned', 'Abandoned within the short-abandon threshold: left out of every rate.',
    'voicemail', 'Offered calls that ended in voicemail.', 'missed', 'Offered calls never answered, not abandoned (timeout, no agents, no route).',
    'transferred', 'Answered calls moved on to another agent or queue (counted once).',
    'answered_within_sl', 'Answered with a known wait at or under the threshold.', 'abandoned_within_sl', 'Abandoned (not short) with a wait at or under the threshold.',
    'wait_unknown', 'Answered calls whose agent-answer time is unknown: left out of wait-based figures.',
    'abandon_mode', 'How abandoned calls count in the service level: ignore, negative or positive.',
    'service_level_denominator', 'Denominator of service_level_pct in the queue''s mode.',
    'service_level_pct', 'Service level, percent (NULL when its denominator is 0).',
    'abandonment_denominator', 'offered − short_abandoned.', 'abandonment_rate_pct', 'abandoned / (offered − short_abandoned) × 100.',
    'answered_wait_seconds', 'Σ known waits of answered calls.', 'answered_known_wait', 'answered − wait_unknown (the ASA denominator).',
    'asa_seconds', 'Average speed of answer: answered_wait_seconds / answered_known_wait.',
    'abandoned_wait_seconds', 'Σ waits of abandoned calls (not short).', 'avg_abandon_wait_seconds', 'abandoned_wait_seconds / abandoned.',
    'max_wait_seconds', 'Longest known wait of any offered call.',
    'answered_wait_le_10', 'Answered, wait ≤ 10 s (cumulative band).', 'answered_wait_le_20', 'Answered, wait ≤ 20 s.',
    'answered_wait_le_30', 'Answered, wait ≤ 30 s.', 'answered_wait_le_60', 'Answered, wait ≤ 60 s.', 'answered_wait_le_120', 'Answered, wait ≤ 120 s.',
    'answered_wait_gt_120', 'Answered, wait > 120 s.',
    'abandoned_wait_le_10', 'Abandoned, wait ≤ 10 s (cumulative band).', 'abandoned_wait_le_20', 'Abandoned, wait ≤ 20 s.',
    'abandoned_wait_le_30', 'Abandoned, wait ≤ 30 s.', 'abandoned_wait_le_60', 'Abandoned, wait ≤ 60 s.', 'abandoned_wait_le_120', 'Abandoned, wait ≤ 120 s.',
    'abandoned_wait_gt_120', 'Abandoned, wait > 120 s.',
    'sl_threshold_seconds', 'Service-level threshold the counts were made with.', 'short_abandon_seconds', 'Short-abandon threshold the counts were made with.')
  || jsonb_build_object(
    'agent_extension', 'The agent''s extension.', 'agent_email', 'The agent (from the directory).', 'agent_name', 'The agent''s name.',
    'agents_with_calls', 'Agents who handled at least one call.',
    'calls_handled', 'Calls the agent answered a leg of (inbound and outbound).', 'calls_handled_inbound', 'Inbound calls among calls_handled.',
    'calls_missed', 'Inbound calls that rang the agent and were not answered by them.',
    'talk_seconds', 'Σ talk of answered legs.', 'hold_seconds', 'Σ hold time.', 'acw_seconds', 'Σ after-call work.',
    'aht_seconds', '(talk + hold + acw) / calls_handled.',
    'available_seconds', 'Shift time worked less breaks, lunch, training and meetings (an open shift counts up to now).',
    'calls_per_hour', 'calls_handled / (available_seconds / 3600), two decimals.',
    'utilization_pct', '(talk + acw) / available × 100.', 'occupancy_pct', '(talk + hold + acw) / available × 100.', 'talk_time_pct', 'talk / available × 100.',
    'fcr_resolved', 'Handled inbound calls resolved first time, once final.', 'fcr_final', 'Handled inbound calls whose resolution is final.',
    'fcr_pct', 'fcr_resolved / fcr_final × 100.', 'appointments', 'Handled inbound calls with an appointment scheduled.',
    'appointment_conversion_pct', 'appointments / calls_handled_inbound × 100.',
    'csat_sum', 'Σ satisfaction scores of rated calls.', 'csat_count', 'Rated calls.', 'csat_avg', 'csat_sum / csat_count.',
    'complaints', 'Complaint calls.', 'complaint_rate_pct', 'complaints / calls_handled × 100.');
begin
  foreach v in array array['queue_interval_kpis', 'queue_daily_kpis', 'agent_daily_kpis', 'team_daily_kpis'] loop
    for c in select a.attname from pg_attribute a where a.attrelid = ('analytics.' || v)::regclass and a.attnum > 0 and not a.attisdropped loop
      if doc ? c.attname then
        execute format('comment on column analytics.%I.%I is %L', v, c.attname, doc ->> c.attname);
      else
        raise exception 'no comment for analytics.%.%', v, c.attname;
      end if;
    end loop;
  end loop;
end
$$;
