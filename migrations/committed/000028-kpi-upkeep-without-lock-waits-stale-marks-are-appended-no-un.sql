--! Previous: sha1:a0b6d810205e61a69799790c2139be8dba869c79
--! Hash: sha1:27b187f377e14f490abf8e4bbba9514371dc3586
--! Message: KPI upkeep without lock waits: stale marks are appended (no unique keys, so concurrent ingests never wait on or deadlock over them), first-call resolution derived by the recount job after the ingest commits, taking its locks in call-id order

/*
 * Found by bench:kpi over 60 s: concurrent CDR processors deadlocked on the
 * stale tables' unique keys (two transactions inserting overlapping keys in
 * different orders), and the retried job waited seconds. Marks are now
 * appended rows, deduplicated when claimed; inserting one never waits.
 */
alter table app_private.kpi_stale_queue_intervals drop constraint kpi_stale_queue_intervals_pkey,
  add column id bigint generated always as identity primary key;
create index kpi_stale_queue_intervals_key_idx on app_private.kpi_stale_queue_intervals (queue_name, interval_start);
alter table app_private.kpi_stale_agent_days drop constraint kpi_stale_agent_days_pkey,
  add column id bigint generated always as identity primary key;
create index kpi_stale_agent_days_key_idx on app_private.kpi_stale_agent_days (agent_extension, business_day);
alter table app_private.kpi_stale_person_days drop constraint kpi_stale_person_days_pkey,
  add column id bigint generated always as identity primary key;
create index kpi_stale_person_days_key_idx on app_private.kpi_stale_person_days (agent_email, business_day);
alter table app_private.kpi_stale_team_days drop constraint kpi_stale_team_days_pkey,
  add column id bigint generated always as identity primary key;
create index kpi_stale_team_days_key_idx on app_private.kpi_stale_team_days (business_day);
alter table app_private.kpi_stale_goals drop constraint kpi_stale_goals_pkey,
  add column id bigint generated always as identity primary key;
create index kpi_stale_goals_key_idx on app_private.kpi_stale_goals (goal_id);
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

create or replace function app_private.mark_people_stale(person_keys jsonb, team_days date[], goal_ids uuid[]) returns void
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
