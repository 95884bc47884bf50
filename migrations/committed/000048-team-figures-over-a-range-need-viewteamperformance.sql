--! Previous: sha1:006903c6a7d4d21e7597a9c8ae1779c1e24739c6
--! Hash: sha1:fe18f5639600f0631e842d336783b4e317f99392
--! Message: Team figures over a range need viewTeamPerformance

-- Team figures over a range are for viewTeamPerformance holders: anyone else
-- is refused (REST 403), not answered an empty list.
--! Included permissions/require-permission.sql
-- A function only some roles may call refuses the others outright (FORBIDDEN,
-- REST 403) rather than answering an empty list their row rules would give.
create or replace function app_hidden.require_permission(permission text)
 returns void
 language plpgsql
 stable
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
begin
  if not app_hidden.has_permission(permission) then
    raise exception 'This needs the % permission.', permission using errcode = '42501';
  end if;
end;
$function$;
comment on function app_hidden.require_permission(text) is 'Raises 42501 (FORBIDDEN) unless the person asking holds the permission.';
revoke all on function app_hidden.require_permission(text) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_hidden.require_permission(text) to app_visitor;
--! EndIncluded permissions/require-permission.sql
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
  select app_hidden.require_permission('viewTeamPerformance');
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
comment on function app_public.team_kpis_for_range(date,date,text) is 'Team (location) figures over a range of business days (inclusive), optionally one location: the stored daily team rows added up, ratios from the sums; calls per agent per day is handled / agent days. Needs viewTeamPerformance (supervisors and above); anyone else is refused (FORBIDDEN).';
revoke all on function app_public.team_kpis_for_range(date,date,text) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_public.team_kpis_for_range(date,date,text) to app_visitor;
--! EndIncluded kpi/for-range.sql
