--! Previous: sha1:3f42efc4be473122f34c0a386a4d8f4411f99a00
--! Hash: sha1:d22be52ad744046058de8a2071c0710444958d4c
--! Message: One reading of an agent argument; figure range bounds in SQL

-- One way to read an agent argument (app_hidden.agent_person) where five
-- functions spelled it out, and the figure lists' day-range bounds checked
-- by the database (app_hidden.day_range_allowed) instead of a copy in the
-- server. No behaviour changes.
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

-- The person an agent argument names: the email given, or the directory's person behind an extension.
create or replace function app_hidden.agent_person(agent text)
 returns citext
 language sql
 stable
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
  select case when strpos(agent, '@') > 0 then agent::citext
              else (select a.user_email from app_public.agents a where a.extension = agent) end
$function$;
comment on function app_hidden.agent_person(text) is 'The email of the person an agent argument names: the email itself, or the user of the directory entry with that extension (as the caller may see the directory); NULL when an extension has no person.';
revoke all on function app_hidden.agent_person(text) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_hidden.agent_person(text) to app_visitor;

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

-- The one-day functions (the calls behind a day's figures, staffing) name
-- their own day argument when it is missing.
create or replace function app_hidden.check_day_given(day date, argument text)
 returns void
 language plpgsql
 immutable
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
begin
  if day is null then
    raise exception '% is required: a business day (YYYY-MM-DD).', argument
      using errcode = 'CC711', column = lower(regexp_replace(argument, '([A-Z])', '_\1', 'g'));
  end if;
end;
$function$;
comment on function app_hidden.check_day_given(date, text) is 'Raises CC711 naming the argument (GraphQL name; the error''s column is its SQL name) when a one-day function is called without its day.';
revoke all on function app_hidden.check_day_given(date, text) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_hidden.check_day_given(date, text) to app_visitor;

-- The range condition of the figure lists (businessDayRange, server/figure-ranges.ts): the same bounds as the
-- range functions, checked once per query (an InitPlan), true when the range may be asked for.
create or replace function app_hidden.day_range_allowed(from_day date, to_day date)
 returns boolean
 language plpgsql
 stable
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
begin
  perform app_hidden.check_kpi_range(from_day, to_day, null, null, null);
  return true;
end;
$function$;
comment on function app_hidden.day_range_allowed(date, date) is 'True for a range of business days the figure lists accept; raises CC711-CC713 (app_hidden.check_kpi_range) otherwise.';
revoke all on function app_hidden.day_range_allowed(date, date) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_hidden.day_range_allowed(date, date) to app_visitor;
--! EndIncluded kpi/check-range-arguments.sql
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
    case when agent is not null then coalesce(app_hidden.agent_person(agent), '') end,
    location, team_goal_id)
$function$;
comment on function app_public.goal_achievement(date, date, text, text, uuid) is 'Goal achievement over a range of business days (at most 366): each goal overlapping it, with its targets, the actuals of the days of the range inside its period (up to today), goals met and achievement; optionally one agent (email or extension), one location''s agents (needs viewTeamPerformance) or one team goal. Goals as their row rules show them. Errors: CC711–CC716 as for the range figures.';
revoke all on function app_public.goal_achievement(date, date, text, text, uuid) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_public.goal_achievement(date, date, text, text, uuid) to app_visitor;
--! EndIncluded goals/goal-achievement.sql
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
    -- An agent named by an extension nobody holds matches no row (the empty email), never every row.
    case when agent is not null then coalesce(app_hidden.agent_person(agent), '') end,
    location)
$function$;
comment on function app_public.campaign_performance(date, date, uuid, text, text) is 'Campaign performance per campaign, agent and business day over a range (at most 366 days): attempts, completed, successful, conversion % against the campaign''s target, from the logged attempts and the attributed outbound calls. Optionally one campaign, one agent (email or extension) or one location''s campaigns (needs viewTeamPerformance). Rows as the row rules show them: agents their own, supervisors their locations'' people, managers all. Errors: CC711–CC716 as for the range figures.';
revoke all on function app_public.campaign_performance(date, date, uuid, text, text) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_public.campaign_performance(date, date, uuid, text, text) to app_visitor;
--! EndIncluded campaigns/performance.sql
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
    email := app_hidden.agent_person(agent);
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
--! Included journals/search.sql
-- Journal search behind GET /api/journals/search and searchCallJournals:
-- words (full text over the unprotected fields, whole words of the protected
-- notes through the blind index: nothing is decrypted), tags, agent,
-- location, status, a follow-up due by a day, over a bounded range of
-- creation times, sorted by a whitelisted column, under the journals' own
-- row-level security. The words are bounded (CC701, CC702) and hashed once
-- per search, never once per journal.
create or replace function app_public.search_call_journals(
  query text default null,
  tags text[] default null,
  agent text default null,
  location text default null,
  status text default null,
  from_time timestamptz default null,
  to_time timestamptz default null,
  follow_up_due_by date default null,
  sort text default '-created_at')
 returns setof app_public.call_journals
 language plpgsql
 stable
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
declare
  -- The bounds of a search; a larger one is refused (CC701, CC702, CC713; db/error_codes.md).
  max_length constant integer := 300;
  max_words constant integer := 20;
  max_days constant integer := 366;
  q constant text := trim(coalesce(query, ''));
  wanted_tags constant text[] := nullif(tags, '{}');
  since timestamptz := coalesce(from_time, coalesce(to_time, now()) - make_interval(days => max_days));
  words integer;
  terms tsquery;
  hashes bytea[];
  -- The agent by email, or by extension (the directory's person behind it).
  agent_person citext;
begin
  -- Nothing asked for, nothing found.
  if q = '' and wanted_tags is null and agent is null and location is null and status is null
     and from_time is null and to_time is null and follow_up_due_by is null then
    return;
  end if;
  if length(q) > max_length then
    raise exception 'A search is at most % characters; this one has %.', max_length, length(q) using errcode = 'CC701', column = 'query';
  end if;
  -- Words as the blind index splits them (app_hidden.phi_word_hashes).
  select count(*) into words from regexp_split_to_table(lower(q), '[^[:alnum:]]+') w where w <> '';
  if words > max_words then
    raise exception 'A search is at most % words; this one has %.', max_words, words using errcode = 'CC702', column = 'query';
  end if;
  if cardinality(wanted_tags) > max_words then
    raise exception 'A search names at most % tags; this one names %.', max_words, cardinality(wanted_tags) using errcode = 'CC702', column = 'tags';
  end if;
  if to_time is not null and to_time <= since then
    raise exception 'toTime must be after fromTime.' using errcode = 'CC712', column = 'to_time';
  end if;
  if coalesce(to_time, now()) - since > make_interval(days => max_days) then
    raise exception 'A search covers at most % days; this one covers %.', max_days, ceil(extract(epoch from coalesce(to_time, now()) - since) / 86400)
      using errcode = 'CC713', column = 'from_time';
  end if;
  if status is not null and status not in ('draft', 'submitted', 'reviewed', 'approved') then
    raise exception 'status must be draft, submitted, reviewed or approved.' using errcode = 'CC714', column = 'status';
  end if;
  if sort not in ('created_at', '-created_at', 'submitted_at', '-submitted_at', 'follow_up_date', '-follow_up_date', 'review_score', '-review_score') then
    raise exception 'sort must be created_at, submitted_at, follow_up_date or review_score, with - before it for descending.' using errcode = 'CC714', column = 'sort';
  end if;
  perform app_hidden.check_known_queue_and_location(null, location);
  if agent is not null then
    agent_person := app_hidden.agent_person(agent);
    if agent_person is null or not exists (select 1 from app_public.users u where u.email = agent_person) then
      raise exception 'No agent with email or extension % that you may see.', agent using errcode = 'CC715', column = 'agent';
    end if;
  end if;
  if q <> '' then
    terms := websearch_to_tsquery('english', q);
    hashes := app_hidden.phi_word_hashes(q);
  end if;
  return query
    select j.* from app_public.call_journals j
     where j.created_at >= since and (to_time is null or j.created_at < to_time)
       and (q = '' or j.search_vector @@ terms or (cardinality(hashes) > 0 and j.notes_word_hashes @> hashes))
       and (wanted_tags is null or j.call_tags @> wanted_tags)
       and (agent is null or j.agent_email = agent_person)
       and (status is null or j.journal_status = status)
       and (follow_up_due_by is null or (j.follow_up_required and j.follow_up_date <= follow_up_due_by))
       and (search_call_journals.location is null
            or exists (select 1 from app_public.call_center_records c
                        where c.id = j.call_record_id and c.location = search_call_journals.location))
     order by
       case sort when 'created_at' then j.created_at end asc,
       case sort when '-created_at' then j.created_at end desc,
       case sort when 'submitted_at' then j.submitted_at end asc nulls last,
       case sort when '-submitted_at' then j.submitted_at end desc nulls last,
       case sort when 'follow_up_date' then j.follow_up_date end asc nulls last,
       case sort when '-follow_up_date' then j.follow_up_date end desc nulls last,
       case sort when 'review_score' then j.review_score end asc nulls last,
       case sort when '-review_score' then j.review_score end desc nulls last,
       j.created_at desc, j.id;
end;
$function$;
comment on function app_public.search_call_journals(text, text[], text, text, text, timestamptz, timestamptz, date, text) is E'Journals you may see matching every criterion given: `query` (full text over summary, tags, action items and departments, and whole words of the protected notes through the blind index, nothing decrypted; at most 300 characters and 20 words, CC701, CC702), `tags` (every one of them, at most 20), `agent` (by email or extension; CC715 when there is no such agent you may see), `location` (CC715 when it does not exist), `status`, `followUpDueBy` (a follow-up due on or before that day), created in [fromTime, toTime) (at most 366 days, CC712, CC713; by default the 366 days before toTime, or before now). Sorted by `sort`: created_at, submitted_at, follow_up_date or review_score, with a leading - for descending (default -created_at; CC714 for another value). No criterion at all finds nothing.';
revoke all on function app_public.search_call_journals(text, text[], text, text, text, timestamptz, timestamptz, date, text) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_public.search_call_journals(text, text[], text, text, text, timestamptz, timestamptz, date, text) to app_visitor;
--! EndIncluded journals/search.sql
--! Included qa/reviews-for-agent.sql
-- GET /api/qa/reviews/:agent_email and qaReviewsForAgent: one agent's
-- reviews, newest first. No recording location ever: recordingAvailable
-- says whether there is one; revealQaReviewRecording opens it.
create or replace function app_public.qa_reviews_for_agent(agent text, status text default null, from_day date default null, to_day date default null)
 returns setof app_public.quality_assurance_reviews
 language plpgsql
 stable
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
declare
  -- The agent by email, or by extension (the directory's person behind it).
  reviewed citext := coalesce(app_hidden.agent_person(agent), agent::citext);
begin
  perform app_hidden.check_qa_agent(reviewed);
  if status is not null and status not in ('draft', 'completed', 'discussed_with_agent') then
    raise exception 'status must be draft, completed or discussed_with_agent.' using errcode = 'CC306', column = 'status';
  end if;
  if to_day < from_day then
    raise exception 'toDay must not be before fromDay.' using errcode = 'CC306', column = 'to_day';
  end if;
  return query
    select q.* from app_public.quality_assurance_reviews q
     where q.agent_email = reviewed
       and (qa_reviews_for_agent.status is null or q.review_status = qa_reviews_for_agent.status)
       and (from_day is null or q.review_date >= from_day)
       and (to_day is null or q.review_date <= to_day)
     order by q.review_date desc, q.created_at desc, q.id;
end;
$function$;
comment on function app_public.qa_reviews_for_agent(text, text, date, date) is 'An agent''s QA reviews (the agent by email or extension; one you may see: yourself, your locations'' staff, or all with viewAllPerformance), newest first, optionally of one status and review dates from fromDay to toDay. The reviewed agent sees their reviews once completed (drafts are the reviewer''s). Never the recording location.';
revoke all on function app_public.qa_reviews_for_agent(text, text, date, date) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_public.qa_reviews_for_agent(text, text, date, date) to app_visitor;
--! EndIncluded qa/reviews-for-agent.sql
