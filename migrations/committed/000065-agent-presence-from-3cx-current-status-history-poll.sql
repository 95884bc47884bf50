--! Previous: sha1:9bb4f68660e5d3311b1e94cce795e2f487863e99
--! Hash: sha1:66cead4d93f292e3860b2f3cbfa87676f5611835
--! Message: Agent presence from 3CX: current status, history, poll

-- Agent presence from the 3CX PBX (issue 19, presence part): the worker polls
-- the PBX every few seconds (pbx__presence_poll) and applies each snapshot in
-- one transaction (app_private.apply_pbx_presence): the current status per
-- agent, and a compact history that gains a row only when a status changes.
-- How the polls go is kept in x-directory's app_private.pbx_api_status
-- (kind 'presence'), through record_pbx_api_success / record_pbx_api_failure.

-- The current 3CX status of each agent: one row per agent the PBX has reported.
create table if not exists app_public.agent_presence (
  agent_id uuid primary key references app_public.agents (id) on delete cascade,
  extension text not null,
  profile text check (length(profile) <= 100),
  logged_in boolean not null,
  registered boolean not null,
  on_call boolean not null,
  since timestamptz not null,
  polled_at timestamptz not null,
  check (since <= polled_at)
);
comment on table app_public.agent_presence is E'@omit create,update,delete\nThe current 3CX status of each agent, as the worker last polled it from the PBX (THREECX_PRESENCE_POLL_SECONDS). Written only by the poll; read under the agent directory''s row rules (your own; supervisors their locations''; managers all). `stale` says when it can no longer be trusted.';
comment on column app_public.agent_presence.agent_id is 'The agent (directory entry).';
comment on column app_public.agent_presence.extension is 'The agent''s 3CX extension.';
comment on column app_public.agent_presence.profile is '3CX status profile (CurrentProfileName): Available, Away, Out of office (DND), Lunch, Business trip, or a custom name.';
comment on column app_public.agent_presence.logged_in is 'Logged in to the queues (3CX QueueStatus LoggedIn; one switch for all the agent''s queues).';
comment on column app_public.agent_presence.registered is 'A phone or app of the extension is registered with the PBX.';
comment on column app_public.agent_presence.on_call is 'The extension is on a call (it takes part in one of the PBX''s active calls).';
comment on column app_public.agent_presence.since is 'When this status (profile, loggedIn, registered, onCall together) was first seen; the start of the open history row.';
comment on column app_public.agent_presence.polled_at is 'The last successful poll that reported this agent.';

-- Status changes: a row opens when an agent's status changes and closes at the next change.
create table if not exists app_public.agent_presence_history (
  id uuid primary key default gen_random_uuid(),
  agent_id uuid not null references app_public.agents (id) on delete cascade,
  extension text not null,
  profile text check (length(profile) <= 100),
  logged_in boolean not null,
  registered boolean not null,
  on_call boolean not null,
  valid_from timestamptz not null,
  valid_to timestamptz,
  source text not null default 'poll' check (source in ('poll', 'login_history')),
  check (valid_to is null or valid_to >= valid_from)
);
create unique index if not exists agent_presence_history_one_open_idx on app_public.agent_presence_history (agent_id) where valid_to is null;
create index if not exists agent_presence_history_agent_from_idx on app_public.agent_presence_history (agent_id, valid_from);
create index if not exists agent_presence_history_from_idx on app_public.agent_presence_history (valid_from);
comment on table app_public.agent_presence_history is E'@omit create,update,delete\nEach agent''s 3CX status over time, compact: a row per status (profile, loggedIn, registered, onCall together) from validFrom to validTo; the open row (validTo NULL) is the current one. A row closes and the next opens only when the status changes, never per poll; a gap in polling (no answer from the PBX for 3 poll intervals, or the agent missing from its answer) closes the row at the last poll that saw it. Read under the agent directory''s row rules; agentPresenceDays sums it per business day.';
comment on column app_public.agent_presence_history.id is 'Identifier.';
comment on column app_public.agent_presence_history.agent_id is 'The agent (directory entry).';
comment on column app_public.agent_presence_history.extension is 'The agent''s 3CX extension at the time.';
comment on column app_public.agent_presence_history.profile is '3CX status profile (Available, Away, Out of office, Lunch, ...).';
comment on column app_public.agent_presence_history.logged_in is 'Logged in to the queues.';
comment on column app_public.agent_presence_history.registered is 'A phone of the extension registered with the PBX.';
comment on column app_public.agent_presence_history.on_call is 'On a call.';
comment on column app_public.agent_presence_history.valid_from is 'When the status was first seen (the poll that saw the change).';
comment on column app_public.agent_presence_history.valid_to is 'When it ended (the poll that saw the next change, or the last poll that saw the agent before a gap); NULL while it goes on.';
comment on column app_public.agent_presence_history.source is 'poll (the worker''s presence poll) or login_history (backfilled from 3CX''s agent login history report).';
select app_private.secure_table('app_public.agent_presence');
select app_private.secure_table('app_public.agent_presence_history');
-- Written by the worker only, which the audit skips; the triggers record any other writer.
drop trigger if exists _900_audit on app_public.agent_presence;
create trigger _900_audit after insert or update or delete on app_public.agent_presence for each row execute function app_private.tg__audit('agent_id');
drop trigger if exists _900_audit on app_public.agent_presence_history;
create trigger _900_audit after insert or update or delete on app_public.agent_presence_history for each row execute function app_private.tg__audit('id');

-- The poll's own state: when the last snapshot was applied and at what interval polls come.
create table if not exists app_private.pbx_presence_state (
  id boolean primary key default true check (id),
  last_polled_at timestamptz not null,
  poll_seconds integer not null check (poll_seconds between 1 and 3600),
  agents_reported integer not null default 0,
  unknown_extensions text[] not null default '{}'
);
comment on table app_private.pbx_presence_state is 'One row: the last presence snapshot applied (its time, the poll interval it came at, how many agents it reported, and the PBX users with no active agent in the directory).';

-- One agent's status as the API answers it: the directory's person beside their 3CX status.
drop type if exists app_public.agent_status cascade;
create type app_public.agent_status as (
  extension text,
  agent_email citext,
  agent_name text,
  location text,
  profile text,
  logged_in boolean,
  registered boolean,
  on_call boolean,
  since timestamptz,
  polled_at timestamptz,
  stale boolean
);
comment on type app_public.agent_status is 'An active agent of the directory with their current 3CX status (NULLs and stale when the PBX has never reported them).';
comment on column app_public.agent_status.extension is 'The agent''s 3CX extension.';
comment on column app_public.agent_status.agent_email is 'The person using the extension (NULL when not a user of this service).';
comment on column app_public.agent_status.agent_name is 'Name as shown in 3CX.';
comment on column app_public.agent_status.location is 'The agent''s home location.';
comment on column app_public.agent_status.profile is '3CX status profile (Available, Away, Out of office, Lunch, ...).';
comment on column app_public.agent_status.logged_in is 'Logged in to the queues.';
comment on column app_public.agent_status.registered is 'A phone of the extension registered with the PBX.';
comment on column app_public.agent_status.on_call is 'On a call.';
comment on column app_public.agent_status.since is 'When this status was first seen.';
comment on column app_public.agent_status.polled_at is 'The last successful poll that reported this agent.';
comment on column app_public.agent_status.stale is 'True when the status cannot be trusted: no successful poll reported the agent within 3 poll intervals, the last poll failed, or the last successful poll did not report the agent.';

-- Logged-in and idle time per agent and business day, from the history.
drop type if exists app_public.agent_presence_day cascade;
create type app_public.agent_presence_day as (
  agent_extension text,
  agent_email citext,
  agent_name text,
  location text,
  business_day date,
  logged_in_seconds bigint,
  on_call_seconds bigint,
  idle_seconds bigint,
  known_seconds bigint
);
comment on type app_public.agent_presence_day is 'One agent''s business day as the 3CX presence history shows it.';
comment on column app_public.agent_presence_day.agent_extension is 'The agent''s 3CX extension.';
comment on column app_public.agent_presence_day.agent_email is 'The person using the extension.';
comment on column app_public.agent_presence_day.agent_name is 'Name as shown in 3CX.';
comment on column app_public.agent_presence_day.location is 'The agent''s home location.';
comment on column app_public.agent_presence_day.business_day is 'The business day (local date in BUSINESS_TIMEZONE).';
comment on column app_public.agent_presence_day.logged_in_seconds is 'Seconds logged in to the queues.';
comment on column app_public.agent_presence_day.on_call_seconds is 'Seconds on a call (logged in to the queues or not).';
comment on column app_public.agent_presence_day.idle_seconds is 'Seconds logged in to the queues and not on a call: waiting for the next call.';
comment on column app_public.agent_presence_day.known_seconds is 'Seconds of the day the presence history covers (polled, whatever the status); the rest is unknown (PBX not answering, not polled).';

--! Included presence/stale.sql
-- When an agent's presence can no longer be trusted (the `stale` flag of
-- agentPresence and agentStatuses).
create or replace function app_hidden.presence_stale(polled_at timestamp with time zone)
 returns boolean
 language sql
 stable security definer
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
  select polled_at is null
      or st.last_polled_at is null
      -- no successful poll has reported the agent within 3 poll intervals (polling stopped, or keeps failing)
      or presence_stale.polled_at < now() - make_interval(secs => 3 * st.poll_seconds)
      -- the last successful poll did not report the agent
      or presence_stale.polled_at < st.last_polled_at
      -- the last attempt failed
      or coalesce(api.last_failure_at > st.last_polled_at, false)
    from (select 1) one
    left join app_private.pbx_presence_state st on true
    left join app_private.pbx_api_status api on api.kind = 'presence'
$function$;
comment on function app_hidden.presence_stale(timestamp with time zone) is 'Whether a presence last reported at polledAt is stale: never reported, not reported within 3 poll intervals, missing from the last successful poll, or the last poll attempt failed.';
revoke all on function app_hidden.presence_stale(timestamp with time zone) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_hidden.presence_stale(timestamp with time zone) to app_visitor, app_worker;

create or replace function app_public.agent_presence_stale(p app_public.agent_presence)
 returns boolean
 language sql
 stable
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$ select app_hidden.presence_stale(p.polled_at) $function$;
comment on function app_public.agent_presence_stale(app_public.agent_presence) is 'True when the status cannot be trusted: no successful poll reported the agent within 3 poll intervals (THREECX_PRESENCE_POLL_SECONDS), the last poll of the PBX failed, or the last successful poll did not report the agent. The last known status is kept meanwhile.';
revoke all on function app_public.agent_presence_stale(app_public.agent_presence) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_public.agent_presence_stale(app_public.agent_presence) to app_visitor;
--! EndIncluded presence/stale.sql
--! Included presence/apply-snapshot.sql
-- One presence snapshot of the PBX, applied in one transaction by the worker's
-- poll (worker/tasks/pbx__presence_poll.ts). The snapshot is a JSON array,
-- one object per PBX user: {"extension", "profile", "logged_in", "registered",
-- "on_call"}. Users that are no active agent of the directory are counted and
-- left out (the directory sync adds agents).
create or replace function app_private.apply_pbx_presence(snapshot jsonb, polled_at timestamp with time zone, poll_seconds integer default 5)
 returns jsonb
 language plpgsql
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
declare
  st app_private.pbx_presence_state;
  gap interval;
  bad text;
  reported integer;
  reported_ids uuid[];
  changed_ids uuid[];
  resumed_ids uuid[];
  unknown text[];
  opened integer;
  closed integer;
  vanished integer;
begin
  if polled_at is null then
    raise exception 'A presence snapshot needs the time it was polled.' using errcode = 'CC951';
  end if;
  if poll_seconds is null or poll_seconds not between 1 and 3600 then
    raise exception 'The poll interval must be 1 to 3600 seconds, not %.', poll_seconds using errcode = 'CC951';
  end if;
  if snapshot is null or jsonb_typeof(snapshot) <> 'array' then
    raise exception 'A presence snapshot is a JSON array of users, not %.', coalesce(jsonb_typeof(snapshot), 'nothing') using errcode = 'CC951';
  end if;
  select format('entry %s: %s', i - 1, why) into bad
    from jsonb_array_elements(snapshot) with ordinality as e(u, i)
    cross join lateral (select case
      when jsonb_typeof(u) <> 'object' then 'not an object'
      when jsonb_typeof(u -> 'extension') <> 'string' or (u ->> 'extension') !~ '^[0-9]{2,8}$' then 'extension must be 2 to 8 digits'
      when u ? 'profile' and jsonb_typeof(u -> 'profile') not in ('string', 'null') then 'profile must be a string'
      when length(u ->> 'profile') > 100 then 'profile is over 100 characters'
      when jsonb_typeof(u -> 'logged_in') is distinct from 'boolean' then 'logged_in must be true or false'
      when jsonb_typeof(u -> 'registered') is distinct from 'boolean' then 'registered must be true or false'
      when jsonb_typeof(u -> 'on_call') is distinct from 'boolean' then 'on_call must be true or false'
    end as why) w
   where why is not null
   order by i limit 1;
  if bad is not null then
    raise exception 'Malformed presence snapshot, %.', bad using errcode = 'CC951';
  end if;
  select format('extension %s appears more than once', x) into bad
    from (select e ->> 'extension' as x from jsonb_array_elements(snapshot) e) s group by x having count(*) > 1 limit 1;
  if bad is not null then
    raise exception 'Malformed presence snapshot, %.', bad using errcode = 'CC951';
  end if;

  -- One poll at a time; a snapshot no newer than the last one applied changes nothing (idempotent, and an
  -- answer that arrives late never overwrites a newer one).
  select * into st from app_private.pbx_presence_state for update;
  if found and st.last_polled_at >= apply_pbx_presence.polled_at then
    return jsonb_build_object('applied', false, 'reason', 'not newer than the last snapshot', 'last_polled_at', st.last_polled_at);
  end if;
  gap := make_interval(secs => 3 * poll_seconds);

  -- The snapshot's active agents, compared with their open history row and their last poll.
  select count(*)::integer,
         coalesce(array_agg(d.agent_id), '{}'),
         coalesce(array_agg(d.agent_id) filter (where d.changed or d.resumed), '{}'),
         coalesce(array_agg(d.agent_id) filter (where d.resumed), '{}')
    into reported, reported_ids, changed_ids, resumed_ids
    from (
      select a.id as agent_id,
             -- a status differs from the open history row, or there is none
             h.id is null or (h.profile, h.logged_in, h.registered, h.on_call)
                             is distinct from (nullif(btrim(u.profile), ''), u.logged_in, u.registered, u.on_call) as changed,
             -- the agent was not seen for 3 poll intervals: what happened meanwhile is unknown
             coalesce(p.polled_at < apply_pbx_presence.polled_at - gap, false) as resumed
        from jsonb_to_recordset(snapshot) as u(extension text, profile text, logged_in boolean, registered boolean, on_call boolean)
        join app_public.agents a on a.extension = u.extension and a.is_active
        left join app_public.agent_presence p on p.agent_id = a.id
        left join app_public.agent_presence_history h on h.agent_id = a.id and h.valid_to is null
    ) d;
  select coalesce(array_agg(u.extension order by u.extension), '{}') into unknown
    from jsonb_to_recordset(snapshot) as u(extension text)
   where not exists (select 1 from app_public.agents a where a.extension = u.extension and a.is_active);

  -- Agents the PBX no longer reports (or whose directory entry was deactivated): their open row ends at the
  -- last poll that saw them; their current status stays, flagged stale.
  update app_public.agent_presence_history h set valid_to = greatest(h.valid_from, coalesce(p.polled_at, h.valid_from))
    from app_public.agent_presence p
   where h.valid_to is null and p.agent_id = h.agent_id and h.agent_id <> all (reported_ids);
  get diagnostics vanished = row_count;

  -- A change or a gap closes the open row (a gap at the last poll that saw the agent) and opens the next.
  update app_public.agent_presence_history h
     set valid_to = case when h.agent_id = any (resumed_ids) then greatest(h.valid_from, p.polled_at) else apply_pbx_presence.polled_at end
    from app_public.agent_presence p
   where h.valid_to is null and p.agent_id = h.agent_id and h.agent_id = any (changed_ids);
  get diagnostics closed = row_count;
  insert into app_public.agent_presence_history (agent_id, extension, profile, logged_in, registered, on_call, valid_from)
  select a.id, u.extension, nullif(btrim(u.profile), ''), u.logged_in, u.registered, u.on_call, apply_pbx_presence.polled_at
    from jsonb_to_recordset(snapshot) as u(extension text, profile text, logged_in boolean, registered boolean, on_call boolean)
    join app_public.agents a on a.extension = u.extension and a.is_active
   where not exists (select 1 from app_public.agent_presence_history h where h.agent_id = a.id and h.valid_to is null);
  get diagnostics opened = row_count;

  insert into app_public.agent_presence as p (agent_id, extension, profile, logged_in, registered, on_call, since, polled_at)
  select a.id, u.extension, nullif(btrim(u.profile), ''), u.logged_in, u.registered, u.on_call, h.valid_from, apply_pbx_presence.polled_at
    from jsonb_to_recordset(snapshot) as u(extension text, profile text, logged_in boolean, registered boolean, on_call boolean)
    join app_public.agents a on a.extension = u.extension and a.is_active
    join app_public.agent_presence_history h on h.agent_id = a.id and h.valid_to is null
  on conflict (agent_id) do update
     set extension = excluded.extension, profile = excluded.profile, logged_in = excluded.logged_in,
         registered = excluded.registered, on_call = excluded.on_call, since = excluded.since, polled_at = excluded.polled_at;

  insert into app_private.pbx_presence_state as s (id, last_polled_at, poll_seconds, agents_reported, unknown_extensions)
  values (true, apply_pbx_presence.polled_at, apply_pbx_presence.poll_seconds, reported, unknown)
  on conflict (id) do update
     set last_polled_at = excluded.last_polled_at, poll_seconds = excluded.poll_seconds,
         agents_reported = excluded.agents_reported, unknown_extensions = excluded.unknown_extensions;
  perform app_private.record_pbx_api_success('presence', jsonb_build_object('agents', reported, 'opened', opened, 'closed', closed + vanished,
                                                                        'unknown_extensions', to_jsonb(unknown)));

  return jsonb_build_object('applied', true, 'agents', reported, 'opened', opened, 'closed', closed + vanished,
                            'unknown_extensions', to_jsonb(unknown));
end;
$function$;
comment on function app_private.apply_pbx_presence(jsonb, timestamp with time zone, integer) is 'Applies one presence snapshot of the PBX (a JSON array of {extension, profile, logged_in, registered, on_call}) polled at polledAt, in one transaction: the current status per active agent, a history row closed and opened only where the status changed (or the agent was not seen for 3 poll intervals), agents no longer reported closed at their last poll, and the poll recorded as a success in pbx_api_status (kind presence). A snapshot no newer than the last one applied changes nothing. Malformed input: CC951.';
revoke all on function app_private.apply_pbx_presence(jsonb, timestamp with time zone, integer) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_private.apply_pbx_presence(jsonb, timestamp with time zone, integer) to app_worker;
--! EndIncluded presence/apply-snapshot.sql
--! Included presence/agent-statuses.sql
-- GET /api/3cx/agent-status and agentStatuses: each active agent the caller
-- may see in the directory, with their current 3CX status.
create or replace function app_hidden.check_presence_arguments(location text, agent text)
 returns void
 language plpgsql
 stable
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
begin
  perform app_hidden.check_known_queue_and_location(null, location);
  -- The directory as the caller may see it: an agent of another location is as unknown as one that does not exist.
  if agent is not null and app_hidden.agent_extensions(agent) is null then
    raise exception 'No agent with email or extension % that you may see.', agent using errcode = 'CC716', column = 'agent';
  end if;
end;
$function$;
comment on function app_hidden.check_presence_arguments(text, text) is 'Raises CC715 for a location that does not exist and CC716 for an agent (email or extension) the caller may not see or that does not exist.';
revoke all on function app_hidden.check_presence_arguments(text, text) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_hidden.check_presence_arguments(text, text) to app_visitor;

create or replace function app_public.agent_statuses(location text default null, agent text default null)
 returns setof app_public.agent_status
 language sql
 stable
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
  select app_hidden.check_presence_arguments(location, agent);
  select a.extension, a.user_email, a.display_name, a.location_name,
         p.profile, p.logged_in, p.registered, p.on_call, p.since, p.polled_at, app_hidden.presence_stale(p.polled_at)
    from app_public.agents a
    left join app_public.agent_presence p on p.agent_id = a.id
   where a.is_active
     and (agent_statuses.location is null or a.location_name = agent_statuses.location)
     and (agent_statuses.agent is null
          or a.extension = agent_statuses.agent
          or (strpos(agent_statuses.agent, '@') > 0 and a.user_email = agent_statuses.agent::citext))
   order by a.location_name nulls last, a.extension
$function$;
comment on function app_public.agent_statuses(text, text) is 'Each active agent of the directory you may see (your own entry; supervisors their locations''; managers all), with their current 3CX status polled by the worker (profile, logged in to the queues, registered, on a call, since when, the last poll) and whether it is stale; optionally of one location or one agent (email or extension; one you may not see is CC716). An agent the PBX never reported has no status and is stale.';
revoke all on function app_public.agent_statuses(text, text) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_public.agent_statuses(text, text) to app_visitor;
--! EndIncluded presence/agent-statuses.sql
--! Included presence/presence-days.sql
-- Logged-in and idle time per agent and business day, from the presence
-- history (for logged-in time, idle time and adherence). An open row counts up
-- to the last poll that saw the agent, never into time nobody polled.
create or replace function app_public.agent_presence_days(from_day date, to_day date, agent text default null, location text default null)
 returns setof app_public.agent_presence_day
 language sql
 stable
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
  select app_hidden.check_kpi_range(from_day, to_day, null, location, agent);
  with days as (
    select d::date as business_day, app_hidden.business_day_start(d::date) as day_start, app_hidden.business_day_start(d::date + 1) as day_end
      from generate_series(agent_presence_days.from_day, agent_presence_days.to_day, interval '1 day') d
  ), agents as (
    select a.* from app_public.agents a
     where (agent_presence_days.location is null or a.location_name = agent_presence_days.location)
       and (agent_presence_days.agent is null
            or a.extension = agent_presence_days.agent
            or (strpos(agent_presence_days.agent, '@') > 0 and a.user_email = agent_presence_days.agent::citext))
  ), spans as (
    select a.id as agent_id, d.business_day, h.logged_in, h.on_call,
           extract(epoch from least(coalesce(h.valid_to, p.polled_at, h.valid_from), d.day_end) - greatest(h.valid_from, d.day_start)) as seconds
      from agents a
      join app_public.agent_presence_history h on h.agent_id = a.id
      left join app_public.agent_presence p on p.agent_id = a.id
      join days d on h.valid_from < d.day_end and coalesce(h.valid_to, p.polled_at, h.valid_from) > d.day_start
  )
  select a.extension, a.user_email, a.display_name, a.location_name, s.business_day,
         round(sum(s.seconds) filter (where s.logged_in))::bigint,
         round(sum(s.seconds) filter (where s.on_call))::bigint,
         round(sum(s.seconds) filter (where s.logged_in and not s.on_call))::bigint,
         round(sum(s.seconds))::bigint
    from spans s join agents a on a.id = s.agent_id
   where s.seconds > 0
   group by a.id, a.extension, a.user_email, a.display_name, a.location_name, s.business_day
   order by s.business_day, a.location_name nulls last, a.extension
$function$;
comment on function app_public.agent_presence_days(date, date, text, text) is 'Per agent and business day (from and to inclusive, at most 366 days) from the 3CX presence history: seconds logged in to the queues, on a call, idle (logged in and not on a call) and known (covered by polls); optionally of one agent (email or extension; one you may not see is CC716) or location. Agents you may see in the directory: your own; supervisors their locations''; managers all. Days without any presence are left out.';
revoke all on function app_public.agent_presence_days(date, date, text, text) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_public.agent_presence_days(date, date, text, text) to app_visitor;
--! EndIncluded presence/presence-days.sql
--! Included access/agent_presence.sql
-- Written by the presence poll only (presence/apply-snapshot.sql); read under the agent directory's row rules.
drop policy if exists select_in_scope on app_public.agent_presence;
create policy select_in_scope on app_public.agent_presence for select to app_visitor
  using ((select app_hidden.sees_all()) or (agent_id in (select a.id from app_public.agents a where (a.location_name = any ((select app_hidden.team_locations())::text[])) or (a.user_email = (select app_hidden.own_email())))));

revoke all on app_public.agent_presence from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant select on app_public.agent_presence to app_visitor;
grant delete, insert, select, update on app_public.agent_presence to app_worker;
--! EndIncluded access/agent_presence.sql
--! Included access/agent_presence_history.sql
-- Written by the presence poll only (presence/apply-snapshot.sql); read under the agent directory's row rules.
drop policy if exists select_in_scope on app_public.agent_presence_history;
create policy select_in_scope on app_public.agent_presence_history for select to app_visitor
  using ((select app_hidden.sees_all()) or (agent_id in (select a.id from app_public.agents a where (a.location_name = any ((select app_hidden.team_locations())::text[])) or (a.user_email = (select app_hidden.own_email())))));

revoke all on app_public.agent_presence_history from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant select on app_public.agent_presence_history to app_visitor;
grant delete, insert, select, update on app_public.agent_presence_history to app_worker;
--! EndIncluded access/agent_presence_history.sql
--! Included access/app_private.pbx_presence_state.sql
revoke all on app_private.pbx_presence_state from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant insert, select, update on app_private.pbx_presence_state to app_worker;
--! EndIncluded access/app_private.pbx_presence_state.sql
