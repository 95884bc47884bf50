--! Previous: sha1:da503456fe40eabe427e29d9e43000cd50c8424e
--! Hash: sha1:757e48aee46b58b89035fb7b4d3731c038b51db4
--! Message: Reveal reasons and limits, who sets which call fact, provisional FCR

/*
 * Issue 14 (first attack run): holes closed in SQL.
 *
 * 1. Revealing patient data needs a reason with content, and is rate-limited
 *    per person (reveals per minute and per 24 hours); a person stopped by a
 *    limit raises one alert to every superadmin per window.
 * 2. Who may set which fact of a call is decided by one trigger on
 *    call_center_records, not only by the column grants.
 * 3. First-call resolution is no figure while any of its calls is still
 *    provisional: fcr_provisional beside fcr_resolved and fcr_final, and
 *    fcr_pct NULL until every call of the day (or range) is final.
 */

/* ---------------------------------------------------------------------------
 * 1. Reveals: a reason, a rate, an alert.
 *
 * The limits come from the server per transaction (PHI_REVEAL_LIMIT_PER_MINUTE,
 * PHI_REVEAL_LIMIT_PER_DAY, set like the patient-data keys) so each server
 * applies its own configuration and a change needs no migration; a session
 * without them (a database login) gets the defaults, never no limit. The
 * count is the person's own committed reveal rows in the audit log (indexed by
 * actor and time), so nothing besides the log has to be kept in step.
 * ------------------------------------------------------------------------- */
create or replace function app_hidden.reveal_limits(out per_minute integer, out per_day integer)
  language sql stable
  set search_path to pg_catalog, public, pg_temp
  as $$
  select coalesce(nullif(current_setting('app.phi_reveal_limit_per_minute', true), '')::integer, 10),
         coalesce(nullif(current_setting('app.phi_reveal_limit_per_day', true), '')::integer, 200)
$$;
comment on function app_hidden.reveal_limits() is 'Reveals a person may make per minute and per 24 hours: the server''s PHI_REVEAL_LIMIT_PER_MINUTE and PHI_REVEAL_LIMIT_PER_DAY (transaction settings), 10 and 200 when a session has none.';

create or replace function app_hidden.reveals_since(actor uuid, since timestamptz) returns integer
  language sql stable security definer
  set search_path to pg_catalog, public, pg_temp
  as $$
  select count(*)::integer from app_public.audit_logs l
   where l.actor_user_id = reveals_since.actor and l.action = 'reveal' and l.occurred_at > reveals_since.since
$$;
comment on function app_hidden.reveals_since(uuid, timestamptz) is 'How many reveals of patient data a person has made since a moment (their reveal rows in the audit log).';

create or replace function app_hidden.check_reveal(reason text) returns void
  language plpgsql volatile security definer
  set search_path to pg_catalog, public, pg_temp
  as $$
declare
  lim record := app_hidden.reveal_limits();
  me uuid := auth.uid();
begin
  if length(regexp_replace(coalesce(reason, ''), '^[[:space:]]+|[[:space:]]+$', '', 'g')) < 5
     or coalesce(reason, '') !~ '[[:alnum:]]' then
    raise exception 'Say why you need to see patient data: a reason of at least 5 characters.' using errcode = 'CC504';
  end if;
  if app_hidden.reveals_since(me, now() - interval '1 minute') >= lim.per_minute then
    raise exception 'Too many reveals of patient data: at most % a minute. Wait a minute; superadmins have been told.', lim.per_minute using errcode = 'CC505';
  end if;
  if app_hidden.reveals_since(me, now() - interval '24 hours') >= lim.per_day then
    raise exception 'Too many reveals of patient data: at most % in 24 hours. Superadmins have been told.', lim.per_day using errcode = 'CC506';
  end if;
end;
$$;
comment on function app_hidden.check_reveal(text) is 'Refuses a reveal without a reason of at least 5 characters (CC504), or beyond the person''s limit per minute (CC505) or per 24 hours (CC506).';
revoke all on function app_hidden.check_reveal(text) from public;
grant execute on function app_hidden.check_reveal(text) to app_visitor;

create or replace function app_public.reveal_call_center_record(record_id uuid, fields text[] DEFAULT NULL::text[], reason text DEFAULT NULL::text)
 RETURNS jsonb
 LANGUAGE plpgsql
 SET search_path TO 'pg_catalog', 'public', 'pg_temp'
AS $function$
declare
  wanted text[] := coalesce(fields, array['caller_number', 'caller_name', 'patient_mrn', 'compliance_notes']);
  allowed text[] := array['caller_number', 'caller_name', 'patient_mrn', 'recording_url', 'compliance_notes'];
  r record;
  result jsonb := '{}';
begin
  if auth.uid() is null then
    raise exception 'Sign in to reveal patient data.' using errcode = '42501';
  end if;
  if not wanted <@ allowed or cardinality(wanted) = 0 then
    raise exception 'Fields to reveal must be among %.', allowed using errcode = 'CC501';
  end if;
  if 'recording_url' = any (wanted) and not app_hidden.has_permission('accessRecordings') then
    raise exception 'Opening recordings needs accessRecordings.' using errcode = 'CC502';
  end if;
  perform app_hidden.check_reveal(reason);
  select c.caller_number_encrypted, c.caller_name_encrypted, c.patient_mrn_encrypted, c.recording_url_encrypted, c.compliance_notes_encrypted
    into r from app_public.call_center_records c where c.id = record_id;
  if not found then
    raise exception 'No such call, or not one you may see.' using errcode = 'CC503';
  end if;
  if 'caller_number' = any (wanted) then result := result || jsonb_build_object('caller_number', app_hidden.phi_decrypt(r.caller_number_encrypted)); end if;
  if 'caller_name' = any (wanted) then result := result || jsonb_build_object('caller_name', app_hidden.phi_decrypt(r.caller_name_encrypted)); end if;
  if 'patient_mrn' = any (wanted) then result := result || jsonb_build_object('patient_mrn', app_hidden.phi_decrypt(r.patient_mrn_encrypted)); end if;
  if 'recording_url' = any (wanted) then result := result || jsonb_build_object('recording_url', app_hidden.phi_decrypt(r.recording_url_encrypted)); end if;
  if 'compliance_notes' = any (wanted) then result := result || jsonb_build_object('compliance_notes', app_hidden.phi_decrypt(r.compliance_notes_encrypted)); end if;
  perform app_hidden.write_reveal_audit('app_public.call_center_records', record_id, wanted, reason);
  return result;
end;
$function$;
comment on function app_public.reveal_call_center_record(uuid, text[], text) is 'Shows the protected fields of a call you may see (caller number and name, MRN, compliance notes; the recording location with accessRecordings), and records the reveal in the audit log with your reason. The reason is required (at least 5 characters); reveals are limited per person per minute and per 24 hours.';

create or replace function app_public.reveal_call_journal(journal_id uuid, fields text[] DEFAULT NULL::text[], reason text DEFAULT NULL::text)
 RETURNS jsonb
 LANGUAGE plpgsql
 SET search_path TO 'pg_catalog', 'public', 'pg_temp'
AS $function$
declare
  allowed text[] := array['detailed_notes', 'patient_concern', 'resolution_provided', 'follow_up_notes', 'coaching_notes'];
  wanted text[] := coalesce(fields, allowed);
  r record;
  result jsonb := '{}';
begin
  if auth.uid() is null then
    raise exception 'Sign in to reveal patient data.' using errcode = '42501';
  end if;
  if not wanted <@ allowed or cardinality(wanted) = 0 then
    raise exception 'Fields to reveal must be among %.', allowed using errcode = 'CC501';
  end if;
  perform app_hidden.check_reveal(reason);
  select j.detailed_notes_encrypted, j.patient_concern_encrypted, j.resolution_provided_encrypted, j.follow_up_notes_encrypted, j.coaching_notes_encrypted
    into r from app_public.call_journals j where j.id = journal_id;
  if not found then
    raise exception 'No such journal, or not one you may see.' using errcode = 'CC503';
  end if;
  if 'detailed_notes' = any (wanted) then result := result || jsonb_build_object('detailed_notes', app_hidden.phi_decrypt(r.detailed_notes_encrypted)); end if;
  if 'patient_concern' = any (wanted) then result := result || jsonb_build_object('patient_concern', app_hidden.phi_decrypt(r.patient_concern_encrypted)); end if;
  if 'resolution_provided' = any (wanted) then result := result || jsonb_build_object('resolution_provided', app_hidden.phi_decrypt(r.resolution_provided_encrypted)); end if;
  if 'follow_up_notes' = any (wanted) then result := result || jsonb_build_object('follow_up_notes', app_hidden.phi_decrypt(r.follow_up_notes_encrypted)); end if;
  if 'coaching_notes' = any (wanted) then result := result || jsonb_build_object('coaching_notes', app_hidden.phi_decrypt(r.coaching_notes_encrypted)); end if;
  perform app_hidden.write_reveal_audit('app_public.call_journals', journal_id, wanted, reason);
  return result;
end;
$function$;
comment on function app_public.reveal_call_journal(uuid, text[], text) is 'Shows the protected notes of a journal you may see, and records the reveal in the audit log with your reason. The reason is required (at least 5 characters); reveals are limited per person per minute and per 24 hours.';

/*
 * A refused statement rolls back everything it wrote, so the alert cannot be
 * written by the refused reveal itself. The server records every refusal
 * after the fact, in a transaction of its own (record_refusal); for a reveal
 * limit it also alerts the superadmins, once per person per window (the
 * minute, or the 24 hours), and only when the person's own reveal rows show
 * the limit really reached (a forged call alerts nobody).
 */
create or replace function app_hidden.record_refusal(operation text, sqlstate text, message text)
 RETURNS void
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'public', 'pg_temp'
AS $function$
declare
  me uuid := auth.uid();
  lim record;
  kind text;
  span interval;
  cap integer;
begin
  if me is null then
    return;
  end if;
  insert into app_public.audit_logs (actor_user_id, actor_email, actor_role, action, details)
  values (me, auth.email()::citext, auth.role(), 'denied',
          jsonb_build_object('operation', left(operation, 200), 'sqlstate', left(sqlstate, 5), 'message', left(message, 300)));
  if sqlstate not in ('CC505', 'CC506') then
    return;
  end if;
  lim := app_hidden.reveal_limits();
  kind := case sqlstate when 'CC505' then 'minute' else 'day' end;
  span := case kind when 'minute' then interval '1 minute' else interval '24 hours' end;
  cap := case kind when 'minute' then lim.per_minute else lim.per_day end;
  -- One alert per person and window, however many refusals arrive at once.
  perform pg_advisory_xact_lock(hashtextextended('bulk_reveal_alert/' || me::text || '/' || kind, 0));
  if app_hidden.reveals_since(me, now() - span) < cap
     or exists (select 1 from app_public.notifications n
                 where n.notification_type = 'bulk_reveal_alert' and n.created_at > now() - span
                   and n.data ->> 'actor_user_id' = me::text and n.data ->> 'limit' = kind) then
    return;
  end if;
  insert into app_public.notifications (user_id, notification_type, title, body, data)
  select u.id, 'bulk_reveal_alert', 'Bulk reveal of patient data stopped',
         format('%s reached the limit of %s reveals of patient data per %s; further reveals were refused. The reveals and refusals are in the audit log.',
                auth.email(), cap, case kind when 'minute' then 'minute' else '24 hours' end),
         jsonb_build_object('actor_user_id', me, 'actor_email', auth.email(), 'limit', kind, 'limit_value', cap)
    from app_public.users u
    join app_public.user_roles r on r.user_id = u.id and r.role = 'superadmin'
   where u.is_active;
end;
$function$;
comment on function app_hidden.record_refusal(text, text, text) is 'Records, as the signed-in person, that the database refused their request; a reveal refused by a limit (CC505, CC506) also alerts every active superadmin (bulk_reveal_alert), once per person per window.';

/* ---------------------------------------------------------------------------
 * 2. Who may set which fact of a call.
 *
 * The column grants say what people may change at all; this trigger says who
 * may change which, in one place:
 *   - the call's facts (type, outcome, appointment, provider asked for,
 *     follow-up, priority, escalation): the agent who answered it, while no
 *     supervisor has reviewed it; supervisors and above (reviewJournals) on
 *     any call they may edit;
 *   - what the agent's figures are judged by (first-call resolution,
 *     after-call work, complaint) and the review's own marks (recording
 *     reviewed, compliance notes, campaign): supervisors and above
 *     (reviewJournals);
 *   - customer satisfaction: the survey source (background jobs, which have
 *     no person's claims; there is no survey integration yet) or managers and
 *     superadmins (configureMetrics).
 * "Reviewed" means a QA review of the call that counts (completed or
 * discussed_with_agent) or a journal of the call a reviewer marked reviewed
 * or approved. Row-level security still decides which calls one may edit at
 * all (editCallJournals, in scope). Every change stays audited with the
 * columns changed (tg__audit).
 * ------------------------------------------------------------------------- */
create or replace function app_hidden.call_reviewed(record_id uuid) returns boolean
  language sql stable security definer
  set search_path to pg_catalog, public, pg_temp
  as $$
  select exists (select 1 from app_public.quality_assurance_reviews q
                  where q.call_record_id = call_reviewed.record_id and q.review_status in ('completed', 'discussed_with_agent'))
      or exists (select 1 from app_public.call_journals j
                  where j.call_record_id = call_reviewed.record_id and j.journal_status in ('reviewed', 'approved'))
$$;
comment on function app_hidden.call_reviewed(uuid) is 'Whether a supervisor has reviewed the call: a QA review of it completed or discussed with the agent, or a journal of it reviewed or approved.';
revoke all on function app_hidden.call_reviewed(uuid) from public;
grant execute on function app_hidden.call_reviewed(uuid) to app_visitor;

create or replace function app_private.tg_call_center_records__column_rules() returns trigger
  language plpgsql
  set search_path to pg_catalog, public, pg_temp
  as $$
declare
  agent_facts constant text[] := array['appointment_date', 'appointment_scheduled', 'appointment_type', 'call_outcome', 'call_priority',
                                       'call_type', 'escalation_required', 'follow_up_date', 'follow_up_required', 'provider_requested'];
  reviewer_facts constant text[] := array['after_call_work_seconds', 'campaign_id', 'complaint_call', 'compliance_notes',
                                          'first_call_resolution', 'recording_reviewed'];
  changed text[];
  hit text[];
begin
  -- Background jobs (no person) and the consequences of another change are not a person's choice of values.
  if auth.uid() is null or pg_trigger_depth() > 1 then
    return new;
  end if;
  changed := array(select n.key from jsonb_each(to_jsonb(new)) n where n.value is distinct from (to_jsonb(old) -> n.key) order by 1);
  if 'customer_satisfaction_score' = any (changed) and not app_hidden.has_permission('configureMetrics') then
    raise exception 'customer_satisfaction_score comes from the survey source or a manager (configureMetrics); you may not set it.'
      using errcode = 'CC601';
  end if;
  if app_hidden.has_permission('reviewJournals') then
    return new;
  end if;
  hit := array(select unnest(changed) intersect select unnest(reviewer_facts) order by 1);
  if cardinality(hit) > 0 then
    raise exception '% may be set by supervisors and above (reviewJournals) only.', array_to_string(hit, ', ')
      using errcode = 'CC601';
  end if;
  hit := array(select unnest(changed) intersect select unnest(agent_facts) order by 1);
  if cardinality(hit) > 0 then
    if old.agent_email is distinct from auth.email()::citext then
      raise exception '% may be set by the agent who answered the call, or by supervisors and above (reviewJournals).', array_to_string(hit, ', ')
        using errcode = 'CC601';
    end if;
    if app_hidden.call_reviewed(old.id) then
      raise exception 'This call has been reviewed by a supervisor: % may now be changed by supervisors and above (reviewJournals) only.', array_to_string(hit, ', ')
        using errcode = 'CC602';
    end if;
  end if;
  return new;
end;
$$;
comment on function app_private.tg_call_center_records__column_rules() is 'Who may set which fact of a call: the answering agent the call''s own facts until a supervisor has reviewed it (CC602), supervisors and above (reviewJournals) FCR, after-call work, complaint and review marks, managers (configureMetrics) or the survey source satisfaction (CC601).';

drop trigger if exists _010_column_rules on app_public.call_center_records;
create trigger _010_column_rules
  before update of after_call_work_seconds, appointment_date, appointment_scheduled, appointment_type, call_outcome, call_priority, call_type,
                   campaign_id, complaint_call, compliance_notes, customer_satisfaction_score, escalation_required, first_call_resolution,
                   follow_up_date, follow_up_required, provider_requested, recording_reviewed
  on app_public.call_center_records
  for each row execute function app_private.tg_call_center_records__column_rules();

comment on column app_public.call_center_records.customer_satisfaction_score is 'Caller''s rating, 1–5, when collected: set by the survey source or a manager (configureMetrics).';
comment on column app_public.call_center_records.first_call_resolution is 'Resolved first time (NULL: not known). Derived from repeat calls; a supervisor or above (reviewJournals) may override it.';
comment on column app_public.call_center_records.after_call_work_seconds is 'After-call work, seconds: set by supervisors and above (reviewJournals).';
comment on column app_public.call_center_records.complaint_call is 'A complaint: set by supervisors and above (reviewJournals).';

/* ---------------------------------------------------------------------------
 * 3. First-call resolution is a figure only once final.
 *
 * A handled inbound call's FCR is provisional while its repeat-call window is
 * open (derived, resolved so far, not final). fcr_provisional counts those
 * calls beside fcr_resolved and fcr_final, and fcr_pct is NULL while any
 * handled inbound call of the day (team day, range, goal period) is still
 * provisional: the final-only share of an open day (which reads 0 % when
 * only repeats are final yet) is never shown as its FCR. The share so far,
 * for a client that wants one, is (fcr_resolved + fcr_provisional) /
 * (fcr_final + fcr_provisional): a provisional call is resolved so far.
 * ------------------------------------------------------------------------- */
alter table app_public.agent_daily_stats add column if not exists fcr_provisional integer not null default 0 check (fcr_provisional >= 0);
comment on column app_public.agent_daily_stats.fcr_provisional is 'Handled inbound calls whose first-call resolution is not final yet (resolved so far, repeat-call window still open); fcr_pct is NULL while any is.';
alter table app_public.team_performance_metrics add column if not exists fcr_provisional integer not null default 0 check (fcr_provisional >= 0);
comment on column app_public.team_performance_metrics.fcr_provisional is 'Σ agents'' handled inbound calls whose first-call resolution is not final yet; first_call_resolution_rate is NULL while any is.';
comment on column app_public.team_performance_metrics.first_call_resolution_rate is 'Resolved first time / handled inbound calls with final FCR, percent; NULL while any of the day''s handled inbound calls is still provisional (fcr_provisional > 0).';


CREATE OR REPLACE FUNCTION app_private.recount_agent_days(keys jsonb)
 RETURNS integer
 LANGUAGE plpgsql
 SET search_path TO 'pg_catalog', 'public', 'pg_temp'
AS $function$
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
           bool_or(l.outcome in ('answered', 'transferred') and l.leg_type in ('talk', 'ring', 'transfer')) as handled,
           bool_or(l.outcome not in ('answered', 'transferred') and l.leg_type = 'ring') as rang_unanswered,
           bool_or(l.outcome in ('answered', 'transferred') and l.leg_type in ('talk', 'ring', 'transfer') and (not l.answer_known or l.answered_at is null or l.ended_at is null)) as talk_unknown,
           coalesce(sum(extract(epoch from (l.ended_at - l.answered_at))) filter (where l.answer_known and l.answered_at is not null and l.ended_at is not null and l.leg_type in ('talk', 'ring', 'transfer')), 0) as talk
      from k
      cross join lateral (select * from app_public.call_legs x
                           where x.agent_extension = k.agent_extension and x.started_at >= k.day_start and x.started_at < k.day_end offset 0) l
     group by k.agent_extension, k.business_day, l.call_record_id
  )
  insert into app_public.agent_daily_stats (
    agent_extension, business_day, calls_handled, calls_handled_inbound, calls_missed, talk_seconds, hold_seconds, acw_seconds,
    fcr_resolved, fcr_final, appointments, csat_sum, csat_count, complaints, calls_talk_unknown, fcr_provisional)
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
         count(*) filter (where p.handled and c.complaint_call),
         count(*) filter (where p.handled and p.talk_unknown),
         count(*) filter (where p.handled and c.call_direction = 'inbound' and c.first_call_resolution is not null and not c.fcr_final)
    from per_call p
    cross join lateral (select * from app_public.call_center_records x where x.id = p.call_record_id offset 0) c
   where c.call_direction in ('inbound', 'outbound')
   group by p.agent_extension, p.business_day
  having count(*) filter (where p.handled or (p.rang_unanswered and c.call_direction = 'inbound')) > 0;
  get diagnostics n = row_count;
  return n;
end;
$function$;


CREATE OR REPLACE FUNCTION app_private.recount_team_days(days date[])
 RETURNS integer
 LANGUAGE plpgsql
 SET search_path TO 'pg_catalog', 'public', 'pg_temp'
AS $function$
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
              coalesce(sum(x.calls_talk_unknown), 0) as calls_talk_unknown,
              coalesce(sum(x.hold_seconds), 0) as hold_seconds, coalesce(sum(x.acw_seconds), 0) as acw_seconds,
              coalesce(sum(x.fcr_resolved), 0) as fcr_resolved, coalesce(sum(x.fcr_final), 0) as fcr_final, coalesce(sum(x.fcr_provisional), 0) as fcr_provisional,
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
    shifts_scheduled, shifts_not_absent, shifts_started, shifts_on_time, scheduled_seconds, adherent_seconds, agents_with_goals, computed_at,
    calls_talk_unknown, fcr_provisional)
  select f.day, f.location, coalesce(f.location, 'All locations'), f.total_agents, f.active_agents, f.average_experience_months,
         f.calls_handled, f.calls_missed, round(f.talk_seconds / 3600.0, 2), round(f.available_seconds / 3600.0, 2),
         case when f.quality_reviews > 0 then round(f.quality_score_sum / f.quality_reviews, 2) end,
         case when f.csat_count > 0 then round(f.csat_sum::numeric / f.csat_count, 2) end,
         case when f.fcr_provisional = 0 then app_hidden.pct(f.fcr_resolved, f.fcr_final) end, app_hidden.pct(f.complaints, f.calls_handled),
         case when f.active_agents > 0 then round(f.calls_handled::numeric / f.active_agents, 2) end,
         app_hidden.pct(f.talk_seconds + f.acw_seconds, f.available_seconds), app_hidden.pct(f.appointments, f.calls_handled_inbound),
         app_hidden.pct(f.shifts_not_absent, f.shifts_scheduled), app_hidden.pct(f.shifts_on_time, f.shifts_started),
         app_hidden.pct(f.adherent_seconds, f.scheduled_seconds),
         f.agents_meeting_goals, app_hidden.pct(f.agents_meeting_goals, f.agents_with_goals),
         round(f.training_minutes / 60.0, 2), f.coaching_sessions,
         f.agents_with_calls, f.calls_handled_inbound, f.talk_seconds, f.hold_seconds, f.acw_seconds, f.available_seconds, f.fcr_resolved, f.fcr_final,
         f.appointments, f.csat_sum, f.csat_count, f.complaints, f.quality_score_sum, f.quality_reviews,
         f.shifts_scheduled, f.shifts_not_absent, f.shifts_started, f.shifts_on_time, f.scheduled_seconds, f.adherent_seconds, f.agents_with_goals, now(),
         f.calls_talk_unknown, f.fcr_provisional
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
    adherent_seconds = excluded.adherent_seconds, agents_with_goals = excluded.agents_with_goals, computed_at = excluded.computed_at,
    calls_talk_unknown = excluded.calls_talk_unknown, fcr_provisional = excluded.fcr_provisional;
  get diagnostics k = row_count;
  -- A team row whose day has nothing left goes, unless someone entered certifications on it.
  delete from app_public.team_performance_metrics m
   where m.reporting_period = one_day and m.certifications_earned = 0 and m.computed_at < now();
  n := n + k;
  end loop;
  return n;
end;
$function$;


CREATE OR REPLACE FUNCTION app_hidden.goal_actuals(agent_email citext, from_day date, to_day date)
 RETURNS TABLE(calls_per_day numeric, talk_time_pct numeric, fcr_pct numeric, csat_avg numeric, appointment_conversion_pct numeric, quality_score_avg numeric)
 LANGUAGE sql
 STABLE
 SET search_path TO 'pg_catalog', 'public', 'pg_temp'
AS $function$
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

/* The API's views list the analysts' columns (select k.* is expanded when a view is made: made again to show the new one). */
create or replace view app_public.agent_daily_kpis as
select k.* from analytics.agent_daily_kpis k
 where (select app_hidden.sees_all()) or k.location = any ((select app_hidden.team_locations())::text[])
    or k.agent_email = (select app_hidden.own_email());
create or replace view app_public.team_daily_kpis as
select k.* from analytics.team_daily_kpis k
 where (select app_hidden.sees_all()) or (not k.all_locations and k.location = any ((select app_hidden.team_locations())::text[]));

do $$
begin
  if not exists (select 1 from pg_attribute where attrelid = 'app_public.agent_range_kpis'::regclass and attname = 'fcr_provisional') then
    alter type app_public.agent_range_kpis add attribute fcr_provisional bigint;
  end if;
  if not exists (select 1 from pg_attribute where attrelid = 'app_public.team_range_kpis'::regclass and attname = 'fcr_provisional') then
    alter type app_public.team_range_kpis add attribute fcr_provisional bigint;
  end if;
end
$$;

comment on column analytics.agent_daily_kpis.fcr_provisional is 'Handled inbound calls whose first-call resolution is not final yet (resolved so far, repeat-call window still open).';
comment on column analytics.agent_daily_kpis.fcr_pct is 'fcr_resolved / fcr_final × 100; NULL while any of the day''s handled inbound calls is provisional (fcr_provisional > 0).';

comment on column analytics.team_daily_kpis.fcr_provisional is 'Handled inbound calls whose first-call resolution is not final yet (resolved so far, repeat-call window still open).';
comment on column analytics.team_daily_kpis.fcr_pct is 'fcr_resolved / fcr_final × 100; NULL while any of the day''s handled inbound calls is provisional (fcr_provisional > 0).';

comment on column app_public.agent_daily_kpis.fcr_provisional is 'Handled inbound calls whose first-call resolution is not final yet (resolved so far, repeat-call window still open).';
comment on column app_public.agent_daily_kpis.fcr_pct is 'fcr_resolved / fcr_final × 100; NULL while any of the day''s handled inbound calls is provisional (fcr_provisional > 0).';

comment on column app_public.team_daily_kpis.fcr_provisional is 'Handled inbound calls whose first-call resolution is not final yet (resolved so far, repeat-call window still open).';
comment on column app_public.team_daily_kpis.fcr_pct is 'fcr_resolved / fcr_final × 100; NULL while any of the day''s handled inbound calls is provisional (fcr_provisional > 0).';

comment on column app_public.agent_range_kpis.fcr_provisional is 'Handled inbound calls whose first-call resolution is not final yet (resolved so far, repeat-call window still open).';
comment on column app_public.agent_range_kpis.fcr_pct is 'fcr_resolved / fcr_final × 100; NULL while any handled inbound call of the range is provisional (fcr_provisional > 0).';

comment on column app_public.team_range_kpis.fcr_provisional is 'Handled inbound calls whose first-call resolution is not final yet (resolved so far, repeat-call window still open).';
comment on column app_public.team_range_kpis.fcr_pct is 'fcr_resolved / fcr_final × 100; NULL while any handled inbound call of the range is provisional (fcr_provisional > 0).';

CREATE OR REPLACE FUNCTION app_public.agent_kpis_for_range(from_day date, to_day date, agent_email citext DEFAULT NULL::citext, location text DEFAULT NULL::text)
 RETURNS SETOF app_public.agent_range_kpis
 LANGUAGE sql
 STABLE
 SET search_path TO 'pg_catalog', 'public', 'pg_temp'
AS $function$
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

CREATE OR REPLACE FUNCTION app_public.team_kpis_for_range(from_day date, to_day date, location text DEFAULT NULL::text)
 RETURNS SETOF app_public.team_range_kpis
 LANGUAGE sql
 STABLE
 SET search_path TO 'pg_catalog', 'public', 'pg_temp'
AS $function$
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

/* Days already counted hold fcr_provisional = 0: the agent days with calls still provisional are recounted by the upkeep. */
do $$
declare
  keys jsonb;
begin
  select jsonb_agg(distinct jsonb_build_object('agent_extension', l.agent_extension, 'business_day', app_hidden.business_day(l.started_at)))
    into keys
    from app_public.call_center_records c
    join app_public.call_legs l on l.call_record_id = c.id and l.agent_extension is not null
   where not c.fcr_final and c.fcr_source = 'derived';
  if keys is not null then
    perform app_private.mark_kpis_stale('[]'::jsonb, keys);
  end if;
end
$$;
