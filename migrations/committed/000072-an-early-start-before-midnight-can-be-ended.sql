--! Previous: sha1:076ccbe654f38a8898dbd1da424d508a3bc18296
--! Hash: sha1:7e19569ecf3d67135c64218495e7ecb1e7b756e5
--! Message: An early start before midnight can be ended

-- A shift started early, before midnight, for a shift of tomorrow can be
-- ended (and take breaks), and the calls answered in it are linked to it.
--! Included workforce/clock.sql
-- An agent's own clock: shiftStart, shiftEnd, breakStart, breakEnd
-- (POST /api/workforce/shift-start, shift-end, break-start, break-end). The
-- time is always the database's now(), never the client's. People who take
-- calls (editCallJournals: agents, supervisors, managers, administrators)
-- clock themselves only; the functions act on the signed-in person's rows, so
-- they run as the owner (the row rules let only supervisors write shifts) and
-- check everything themselves. One person's clock calls run one at a time.

-- Who is clocking: the signed-in person, allowed to (42501 otherwise), their calls serialised.
create or replace function app_private.clock_person()
 returns citext
 language plpgsql
 volatile
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
declare
  me citext := auth.email()::citext;
begin
  if me is null or not app_hidden.has_permission('editCallJournals') then
    raise exception 'Clocking shifts is for people who take calls (editCallJournals).' using errcode = '42501';
  end if;
  perform pg_advisory_xact_lock(hashtextextended('workforce clock ' || lower(me::text), 0));
  return me;
end;
$function$;
comment on function app_private.clock_person() is 'The signed-in person clocking a shift or break (42501 without editCallJournals); holds a lock so one person''s clock calls run one at a time.';
revoke all on function app_private.clock_person() from public, app_visitor, app_worker, app_analyst, app_authenticator;

-- The shift a person is working now: started, not ended, of yesterday (an
-- overnight shift), today, or tomorrow (started early, shortly before a
-- shift that begins after midnight: shift_start allows it within the hour).
create or replace function app_private.open_shift(agent citext)
 returns app_public.agent_shifts
 language sql
 stable
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
  select s.* from app_public.agent_shifts s
   where s.agent_email = open_shift.agent
     and s.shift_date between app_hidden.business_day(now()) - 1 and app_hidden.business_day(now()) + 1
     and s.actual_start_time is not null and s.actual_end_time is null
   order by s.actual_start_time desc
   limit 1
$function$;
comment on function app_private.open_shift(citext) is 'The person''s shift in progress (started and not ended, of yesterday, today or tomorrow: a shift started early before midnight), or NULL.';
revoke all on function app_private.open_shift(citext) from public, app_visitor, app_worker, app_analyst, app_authenticator;

-- Ends the open break of a shift at an instant and adds its whole minutes to the shift's column of its kind.
create or replace function app_private.close_break(shift_id uuid, at timestamp with time zone)
 returns app_public.shift_breaks
 language plpgsql
 volatile
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
declare
  b app_public.shift_breaks;
begin
  update app_public.shift_breaks x
     set ended_at = greatest(x.started_at, close_break.at),
         minutes = round(extract(epoch from (greatest(x.started_at, close_break.at) - x.started_at)) / 60.0)::integer
   where x.shift_id = close_break.shift_id and x.ended_at is null
  returning * into b;
  if b.id is null then
    return null;
  end if;
  update app_public.agent_shifts s
     set total_break_time_minutes = s.total_break_time_minutes + case when b.break_type = 'break' then b.minutes else 0 end,
         lunch_break_minutes = s.lunch_break_minutes + case when b.break_type = 'lunch' then b.minutes else 0 end,
         training_time_minutes = s.training_time_minutes + case when b.break_type = 'training' then b.minutes else 0 end,
         meeting_time_minutes = s.meeting_time_minutes + case when b.break_type = 'meeting' then b.minutes else 0 end
   where s.id = b.shift_id and b.minutes > 0;
  return b;
end;
$function$;
comment on function app_private.close_break(uuid,timestamp with time zone) is 'Ends the open break of a shift at the given instant (never before it began) and adds its rounded minutes to the shift''s break, lunch, training or meeting minutes; NULL when none is open.';
revoke all on function app_private.close_break(uuid,timestamp with time zone) from public, app_visitor, app_worker, app_analyst, app_authenticator;

create or replace function app_public.shift_start(location text default null)
 returns app_public.agent_shifts
 language plpgsql
 volatile
 security definer
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
declare
  me citext := app_private.clock_person();
  today date := app_hidden.business_day(now());
  s app_public.agent_shifts;
  loc text := shift_start.location;
  name text;
  local_now time := date_trunc('minute', now() at time zone app_hidden.business_timezone())::time;
begin
  s := app_private.open_shift(me);
  if s.id is not null then
    raise exception 'You are already on shift since %; end it before starting another.',
      to_char(s.actual_start_time at time zone app_hidden.business_timezone(), 'YYYY-MM-DD HH24:MI') using errcode = 'CC801';
  end if;
  -- The scheduled shift this start belongs to: the one whose window holds now, else one starting within the hour, else today's.
  select x.* into s
    from app_public.agent_shifts x
   cross join lateral (select app_hidden.shift_window(x.shift_date, x.scheduled_start_time, x.scheduled_end_time) as w) w
   where x.agent_email = me and x.actual_start_time is null and x.shift_date between today - 1 and today + 1
     and (w.w @> now() or x.shift_date = today or lower(w.w) between now() and now() + interval '1 hour')
   order by w.w @> now() desc, lower(w.w) between now() and now() + interval '1 hour' desc, x.shift_date = today desc
   limit 1;
  if s.id is not null then
    update app_public.agent_shifts x set actual_start_time = now() where x.id = s.id returning x.* into s;
    return s;
  end if;
  select x.* into s from app_public.agent_shifts x where x.agent_email = me and x.shift_date = today;
  if s.id is not null then
    raise exception 'Your shift of % has ended (at %); a supervisor corrects its times if you are still working.', today,
      to_char(s.actual_end_time at time zone app_hidden.business_timezone(), 'HH24:MI') using errcode = 'CC802';
  end if;
  -- Nothing on the schedule: an unscheduled shift, at the location given or the person's in the agent directory.
  if loc is not null then
    perform app_hidden.check_known_queue_and_location(null, loc);
  else
    select a.location_name into loc from app_public.agents a where a.user_email = me and a.is_active order by a.extension limit 1;
    if loc is null then
      raise exception 'You have no shift on the schedule and no location in the agent directory: say where you are working.'
        using errcode = 'CC806', column = 'location';
    end if;
  end if;
  select coalesce((select a.display_name from app_public.agents a where a.user_email = me and a.is_active and a.display_name is not null order by a.extension limit 1),
                  nullif(u.full_name, ''), split_part(me::text, '@', 1))
    into name from app_public.users u where u.email = me;
  insert into app_public.agent_shifts (agent_email, agent_name, location, shift_date, scheduled_start_time, scheduled_end_time, actual_start_time, unscheduled)
  values (me, coalesce(name, split_part(me::text, '@', 1)), loc, today, local_now, local_now, now(), true)
  returning * into s;
  return s;
end;
$function$;
comment on function app_public.shift_start(text) is E'Starts your shift now (the server''s time): the scheduled shift whose window holds now, else one starting within the hour, else today''s; with none on the schedule, an unscheduled shift (at location, or your location in the agent directory) that supervisors see. Already on shift: CC801; today''s shift already ended: CC802; no location known: CC806. Needs editCallJournals (people who take calls).';
revoke all on function app_public.shift_start(text) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_public.shift_start(text) to app_visitor;

create or replace function app_public.shift_end()
 returns app_public.agent_shifts
 language plpgsql
 volatile
 security definer
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
declare
  me citext := app_private.clock_person();
  s app_public.agent_shifts := app_private.open_shift(me);
begin
  if s.id is null then
    raise exception 'You are not on shift: start one first.' using errcode = 'CC803';
  end if;
  perform app_private.close_break(s.id, now());
  update app_public.agent_shifts x set actual_end_time = now() where x.id = s.id;
  -- The answer carries the shift's totals now, not at the next upkeep.
  perform app_private.recount_shifts(array[s.id]);
  select x.* into s from app_public.agent_shifts x where x.id = s.id;
  return s;
end;
$function$;
comment on function app_public.shift_end() is 'Ends your shift in progress now (the server''s time), ending an open break with it, and answers the shift with its totals (calls handled and missed, talk, after-call work, available time, utilization, lateness, status). Not on shift: CC803. Needs editCallJournals.';
revoke all on function app_public.shift_end() from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_public.shift_end() to app_visitor;

create or replace function app_public.break_start(break_type text default 'break')
 returns app_public.shift_breaks
 language plpgsql
 volatile
 security definer
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
declare
  me citext := app_private.clock_person();
  s app_public.agent_shifts := app_private.open_shift(me);
  b app_public.shift_breaks;
begin
  if s.id is null then
    raise exception 'You are not on shift: start one before a break.' using errcode = 'CC803';
  end if;
  select x.* into b from app_public.shift_breaks x where x.shift_id = s.id and x.ended_at is null;
  if b.id is not null then
    raise exception 'You are already on a % since %; end it first.', b.break_type,
      to_char(b.started_at at time zone app_hidden.business_timezone(), 'HH24:MI') using errcode = 'CC804';
  end if;
  insert into app_public.shift_breaks (shift_id, agent_email, location, break_type, started_at)
  values (s.id, me, s.location, coalesce(break_start.break_type, 'break'), now())
  returning * into b;
  return b;
end;
$function$;
comment on function app_public.break_start(text) is 'Starts a break of your shift in progress now: break (default), lunch, training or meeting. Not on shift: CC803; already on a break: CC804. Needs editCallJournals.';
revoke all on function app_public.break_start(text) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_public.break_start(text) to app_visitor;

create or replace function app_public.break_end()
 returns app_public.shift_breaks
 language plpgsql
 volatile
 security definer
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
declare
  me citext := app_private.clock_person();
  s app_public.agent_shifts := app_private.open_shift(me);
  b app_public.shift_breaks;
begin
  if s.id is null then
    raise exception 'You are not on shift.' using errcode = 'CC803';
  end if;
  b := app_private.close_break(s.id, now());
  if b.id is null then
    raise exception 'You are not on a break.' using errcode = 'CC805';
  end if;
  return b;
end;
$function$;
comment on function app_public.break_end() is 'Ends your break now and adds its whole minutes (rounded) to the shift''s minutes of its kind. Not on shift: CC803; not on a break: CC805. Needs editCallJournals.';
revoke all on function app_public.break_end() from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_public.break_end() to app_visitor;
--! EndIncluded workforce/clock.sql
--! Included shifts/call-link.sql
-- A call belongs to the shift its answering agent (call_center_records.agent_email,
-- the first agent who answered) was working when they answered it: the shift whose
-- logged interval [actual start, actual end) holds call_answer_time; an open
-- shift holds calls up to the end of the business day after its own. The
-- shift may be of the day before (overnight) or the day after (started early,
-- before midnight, for a shift that begins after it). Set as a
-- call is stored, and again for the agent's calls whenever a shift's logged
-- times change (a start, an end, a supervisor's correction).
create or replace function app_private.shift_at(agent_email citext, at timestamp with time zone)
 returns uuid
 language sql
 stable
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
  select s.id from app_public.agent_shifts s
   where s.agent_email = shift_at.agent_email
     and s.shift_date between app_hidden.business_day(shift_at.at) - 1 and app_hidden.business_day(shift_at.at) + 1
     and s.actual_start_time <= shift_at.at
     and shift_at.at < coalesce(s.actual_end_time, app_hidden.business_day_start(s.shift_date + 2))
   order by s.actual_start_time desc
   limit 1
$function$;
comment on function app_private.shift_at(citext,timestamp with time zone) is 'The shift an agent was working at an instant (its logged interval holds it; an open shift runs to the end of the next business day), or NULL.';
revoke all on function app_private.shift_at(citext,timestamp with time zone) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_private.shift_at(citext,timestamp with time zone) to app_worker;

create or replace function app_private.tg_call_center_records__shift()
 returns trigger
 language plpgsql
 security definer
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
begin
  new.shift_id := case when new.agent_email is not null and new.call_answer_time is not null
                       then app_private.shift_at(new.agent_email, new.call_answer_time) end;
  return new;
end;
$function$;
comment on function app_private.tg_call_center_records__shift() is 'Links a call to the shift of its answering agent in which they answered it (one index lookup per stored call).';
revoke all on function app_private.tg_call_center_records__shift() from public, app_visitor, app_worker, app_analyst, app_authenticator;

create or replace function app_private.tg_agent_shifts__link_calls()
 returns trigger
 language plpgsql
 security definer
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
declare
  until_t timestamptz;
begin
  if tg_op = 'UPDATE' and (old.actual_start_time, old.actual_end_time, old.agent_email) is not distinct from (new.actual_start_time, new.actual_end_time, new.agent_email) then
    return null;
  end if;
  -- Calls no longer inside the shift go to whichever shift holds them now (or none).
  if tg_op = 'UPDATE' then
    update app_public.call_center_records c set shift_id = app_private.shift_at(c.agent_email, c.call_answer_time)
     where c.shift_id = new.id
       and app_private.shift_at(c.agent_email, c.call_answer_time) is distinct from new.id;
  end if;
  if new.actual_start_time is null then
    return null;
  end if;
  until_t := coalesce(new.actual_end_time, app_hidden.business_day_start(new.shift_date + 2));
  update app_public.call_center_records c set shift_id = new.id
   where c.agent_email = new.agent_email
     and c.call_start_time >= new.actual_start_time - interval '1 day' and c.call_start_time < until_t
     and c.call_answer_time >= new.actual_start_time and c.call_answer_time < until_t
     and c.shift_id is distinct from new.id
     and app_private.shift_at(c.agent_email, c.call_answer_time) = new.id;
  return null;
end;
$function$;
comment on function app_private.tg_agent_shifts__link_calls() is 'Links the agent''s calls answered inside a shift''s logged interval to it, and moves calls that fell out of it, when the shift''s start, end or agent changes.';
revoke all on function app_private.tg_agent_shifts__link_calls() from public, app_visitor, app_worker, app_analyst, app_authenticator;
--! EndIncluded shifts/call-link.sql
