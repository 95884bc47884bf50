--! Previous: sha1:5fba568337c97c24d8bc61fa6c2db77dd99e0f8e
--! Hash: sha1:75c7fd48915787d39cf5bd37e46d21b31d7303f5
--! Message: real 3CX feeds (2): routes, answers the record cannot tell, IVR abandons

/*
 * Real 3CX feeds (2): reading the route, answers the record cannot tell, and
 * IVR abandons.
 *
 * - A call stores the PBX numbers it passed (pbx_route) and what it ended on
 *   (ended_in), merged over its records; a number known nowhere is added to
 *   pbx_numbers as unknown for an administrator to classify.
 * - An agent's leg whose answer time the record cannot tell (a queue or IVR
 *   picked the call up first) is answered with answered_at NULL; the call's
 *   answer time, wait and talk are then NULL (answer_time_known false) and
 *   the call is counted in wait_unknown; the agent's talk is counted apart
 *   (agent_daily_stats.calls_talk_unknown).
 * - Queue figures count as answered every call an agent answered, known
 *   answer time or not; a caller who hung up in an IVR the queue had passed
 *   the call to is not the queue's abandon (the queue did not answer: missed).
 * - analytics.ivr_daily_kpis counts IVR abandons apart from every queue's.
 */

alter table app_public.agent_daily_stats add column if not exists calls_talk_unknown integer not null default 0 check (calls_talk_unknown >= 0);
comment on column app_public.agent_daily_stats.calls_talk_unknown is 'Handled calls whose talk time the record cannot tell (the agent was reached through a queue or IVR, or passed the call on): counted in calls_handled, left out of talk_seconds.';
create or replace function app_private.ingest_call_batch(calls jsonb)
 RETURNS TABLE(ordinal integer, record_id uuid, outcome text)
 LANGUAGE plpgsql
 SET search_path TO 'pg_catalog', 'public', 'pg_temp'
AS $function$
declare
  entries app_private.ingest_entry[];
  legs app_private.ingest_leg[];
  affected uuid[];
begin
  -- Queues named by extension; unknown ones are created so nothing is lost.
  perform app_private.queue_for_extension(ext)
     from (select distinct e.value ->> 'queue_extension' as ext from jsonb_array_elements(calls) e) x where ext is not null;

  entries := array(
    select row(e.ordinality::int, e.value ->> 'call_id', e.value ->> 'direction',
           (select q.name from app_public.queues q where q.extension = e.value ->> 'queue_extension'),
           nullif(e.value ->> 'caller_number', ''), nullif(e.value ->> 'caller_name', ''), e.value ->> 'called_number',
           (e.value ->> 'start')::timestamptz, (e.value ->> 'end')::timestamptz,
           h.hint, case h.hint when 'voicemail' then 3 when 'abandoned' then 2 else 1 end,
           (e.value ->> 'campaign_id')::uuid, e.value,
           c.id is not null, c.call_start_time, c.call_end_time, c.call_status)::app_private.ingest_entry
      from jsonb_array_elements(calls) with ordinality e
      cross join lateral (select case when coalesce((e.value ->> 'voicemail')::boolean, false) then 'voicemail'
                                      when e.value ->> 'ended_by' = 'caller' then 'abandoned' else 'missed' end as hint) h
      left join app_public.call_center_records c on c.call_id = e.value ->> 'call_id'
     order by e.ordinality);

  legs := array(
    select row(en.ordinal, en.call_id, l.value ->> 'leg_key', coalesce((l.value ->> 'leg_index')::int, l.ordinality::int),
           coalesce(l.value ->> 'leg_type', case when l.value ->> 'answered' is not null then 'talk' else 'ring' end),
           en.queue_name, nullif(l.value ->> 'agent_extension', ''),
           (l.value ->> 'start')::timestamptz, (l.value ->> 'answered')::timestamptz,
           coalesce((l.value ->> 'answer_known')::boolean, true), (l.value ->> 'end')::timestamptz,
           coalesce(l.value ->> 'outcome', case when l.value ->> 'answered' is not null then 'answered' else 'missed' end))::app_private.ingest_leg
      from unnest(entries) en
      cross join lateral jsonb_array_elements(coalesce(en.body -> 'legs', '[]')) with ordinality l);

  -- Outcomes, decided against what was stored before this batch and what earlier records of the batch brought
  -- (window functions over the batch: linear in its size, whatever the size).
  return query
  with leg_seen as (
    select nl.ordinal, nl.answered_at, nl.ended_at,
           -- stored before the batch, already as complete as this record's leg
           exists (select 1 from app_public.call_legs ol
                    where ol.call_id = nl.call_id and ol.leg_key = nl.leg_key
                      and (ol.answered_at is not null or nl.answered_at is null)
                      and (nl.ended_at is null or ol.ended_at >= nl.ended_at)
                      and (ol.answered_at is not null or (ol.outcome = nl.outcome and ol.answer_known = nl.answer_known))) as stored,
           -- brought by earlier records of this batch
           count(*) over w > 0 as earlier,
           coalesce(bool_or(nl.answered_at is not null) over w, false) as earlier_answered,
           max(nl.ended_at) over w as earlier_end
      from unnest(legs) nl
    window w as (partition by nl.call_id, nl.leg_key order by nl.ordinal rows between unbounded preceding and 1 preceding)
  ), leg_news as (
    select ls.ordinal,
           bool_or(not ls.stored
                   and not (ls.earlier and (ls.answered_at is null or ls.earlier_answered)
                            and (ls.ended_at is null or ls.earlier_end >= ls.ended_at))) as news
      from leg_seen ls group by ls.ordinal
  ), known as (
    -- The call as known before each record: stored values and earlier records of the batch.
    select en.ordinal, en.existed,
           row_number() over (partition by en.call_id order by en.ordinal) = 1 as first_of_call,
           en.start_at, en.end_at, en.hint_rank,
           least(en.before_start, min(en.start_at) over w) as known_start,
           greatest(en.before_end, max(en.end_at) over w) as known_end,
           greatest(coalesce(case en.before_status when 'voicemail' then 3 when 'abandoned' then 2 when 'missed' then 1
                                                   when 'completed' then 4 when 'transferred' then 4 end, 0),
                    max(en.hint_rank) over w) as known_rank
      from unnest(entries) en
    window w as (partition by en.call_id order by en.ordinal rows between unbounded preceding and 1 preceding)
  )
  select k.ordinal, null::uuid,
         case when not k.existed and k.first_of_call then 'new'
              when coalesce(ln.news, false)
                or k.start_at < k.known_start
                or k.end_at > coalesce(k.known_end, '-infinity')
                or k.hint_rank > coalesce(k.known_rank, 0) then 'updated'
              else 'duplicate' end
    from known k
    left join leg_news ln on ln.ordinal = k.ordinal
   order by k.ordinal;

  -- The calls: one row per call id, its records merged.
  with merged as (
    select en.call_id,
           (array_agg(en.direction order by en.ordinal))[1] as direction,
           (array_agg(en.queue_name order by en.start_at, en.ordinal) filter (where en.queue_name is not null))[1] as queue_name,
           coalesce((array_agg(en.called_number order by en.start_at, en.ordinal) filter (where en.queue_name is not null and en.called_number is not null))[1],
                    (array_agg(en.called_number order by en.start_at, en.ordinal) filter (where en.called_number is not null))[1]) as called_number,
           (array_agg(en.caller_number order by en.ordinal) filter (where en.caller_number is not null))[1] as caller_number,
           (array_agg(en.caller_name order by en.ordinal) filter (where en.caller_name is not null))[1] as caller_name,
           (array_agg(en.campaign_id order by en.ordinal) filter (where en.campaign_id is not null))[1] as campaign_id,
           min(en.start_at) as start_at, max(en.end_at) as end_at,
           (array_agg(en.hint order by en.hint_rank desc))[1] as hint,
           (array_agg(en.start_at order by en.start_at, en.ordinal) filter (where en.queue_name is not null))[1] as queue_start,
           (array_agg(en.start_at order by en.start_at, en.ordinal) filter (where en.called_number is not null))[1] as called_start,
           -- What the call ended on: as the record that ended last says.
           (array_agg(en.body ->> 'ended_in' order by en.end_at desc nulls last, en.ordinal desc) filter (where en.body ? 'ended_in'))[1] as ended_in
      from unnest(entries) en group by en.call_id
  ), routes as (
    -- The PBX numbers the call passed, in the order its records (by start) name them, each once.
    select h.call_id, array_agg(h.number order by h.first_start, h.first_ordinal, h.first_position) as pbx_route
      from (select en.call_id, r.number, min(en.start_at) as first_start, min(en.ordinal) as first_ordinal, min(r.position) as first_position
              from unnest(entries) en
              cross join lateral jsonb_array_elements_text(coalesce(en.body -> 'pbx_route', '[]')) with ordinality r(number, position)
             group by en.call_id, r.number) h
     group by h.call_id
  )
    insert into app_public.call_center_records as r (
      call_id, call_direction, queue_name, queue_entered_at, caller_number, caller_name, called_number,
      call_start_time, call_end_time, call_status, campaign_id, pbx_route, ended_in)
    select m.call_id, m.direction, m.queue_name, m.queue_start, coalesce(m.caller_number, ''), coalesce(m.caller_name, ''), m.called_number,
           m.start_at, m.end_at, m.hint, m.campaign_id, coalesce(rt.pbx_route, '{}'), m.ended_in
      from merged m
      left join routes rt on rt.call_id = m.call_id
     order by m.call_id
    on conflict (call_id) do update set
      call_start_time = least(r.call_start_time, excluded.call_start_time),
      call_end_time = greatest(r.call_end_time, excluded.call_end_time),
      -- The earliest segment with a queue names the queue the caller entered, and the number dialled;
      -- a call that never entered a queue takes the number of its earliest segment.
      queue_name = case when excluded.queue_name is not null and (r.queue_entered_at is null or excluded.queue_entered_at < r.queue_entered_at)
                        then excluded.queue_name else r.queue_name end,
      queue_entered_at = case when excluded.queue_name is not null and (r.queue_entered_at is null or excluded.queue_entered_at < r.queue_entered_at)
                              then excluded.queue_entered_at else r.queue_entered_at end,
      called_number = case when excluded.queue_name is not null and (r.queue_entered_at is null or excluded.queue_entered_at < r.queue_entered_at)
                             then coalesce(excluded.called_number, r.called_number)
                           when r.queue_name is null and excluded.call_start_time < r.call_start_time then coalesce(excluded.called_number, r.called_number)
                           else coalesce(r.called_number, excluded.called_number) end,
      -- Answered calls keep their status until re-derived; an unanswered one keeps the strongest hint.
      call_status = case when r.call_status in ('completed', 'transferred') then r.call_status
                         when r.call_status = 'voicemail' or excluded.call_status = 'voicemail' then 'voicemail'
                         when r.call_status = 'abandoned' or excluded.call_status = 'abandoned' then 'abandoned'
                         else excluded.call_status end,
      caller_number = case when r.caller_number_encrypted is null then excluded.caller_number end,
      caller_name = case when r.caller_name_encrypted is null then excluded.caller_name end,
      pbx_route = r.pbx_route || array(select h from unnest(excluded.pbx_route) with ordinality u(h, i) where h <> all(r.pbx_route) order by i),
      ended_in = case when excluded.call_end_time >= coalesce(r.call_end_time, '-infinity') then coalesce(excluded.ended_in, r.ended_in)
                      else coalesce(r.ended_in, excluded.ended_in) end
    -- Nothing to write for a record the call already holds.
    where excluded.call_start_time < r.call_start_time
       or excluded.call_end_time > r.call_end_time or (r.call_end_time is null and excluded.call_end_time is not null)
       or (excluded.queue_name is not null and (r.queue_entered_at is null or excluded.queue_entered_at < r.queue_entered_at))
       or (r.called_number is null and excluded.called_number is not null)
       or (r.call_status not in ('completed', 'transferred', 'voicemail') and r.call_status is distinct from excluded.call_status
           and excluded.call_status <> 'missed')
       or not (excluded.pbx_route <@ r.pbx_route)
       or (r.ended_in is null and excluded.ended_in is not null)
  ;

  -- The legs: one row per (call, leg key), the batch's records merged, then upserted.
  insert into app_public.call_legs as l (call_record_id, call_id, leg_key, leg_index, leg_type, queue_name, agent_extension, agent_email,
                                         location, started_at, answered_at, answer_known, ended_at, outcome)
  select en.id, m.call_id, m.leg_key, m.leg_index, m.leg_type, m.queue_name, m.agent_extension, a.user_email,
         coalesce(a.location_name, (select q.location_name from app_public.queues q where q.name = m.queue_name)),
         m.started_at, m.answered_at, m.answer_known, m.ended_at, m.outcome
    from (select il.call_id, il.leg_key,
                 (array_agg(il.leg_index order by il.ordinal))[1] as leg_index,
                 (array_agg(il.leg_type order by il.ordinal))[1] as leg_type,
                 (array_agg(il.queue_name order by il.ordinal))[1] as queue_name,
                 (array_agg(il.agent_extension order by il.ordinal))[1] as agent_extension,
                 (array_agg(il.started_at order by il.ordinal))[1] as started_at,
                 (array_agg(il.answered_at order by il.ordinal) filter (where il.answered_at is not null))[1] as answered_at,
                 coalesce((array_agg(il.answer_known order by il.ordinal) filter (where il.answered_at is not null))[1],
                          (array_agg(il.answer_known order by il.ordinal desc))[1]) as answer_known,
                 max(il.ended_at) as ended_at,
                 coalesce((array_agg(il.outcome order by il.ordinal) filter (where il.answered_at is not null))[1],
                          (array_agg(il.outcome order by il.ordinal desc))[1]) as outcome
            from unnest(legs) il group by il.call_id, il.leg_key) m
    join app_public.call_center_records en on en.call_id = m.call_id
    left join app_public.agents a on a.extension = m.agent_extension and a.is_active
   order by m.call_id, m.leg_key
  on conflict (call_id, leg_key) do update set
    answered_at = coalesce(l.answered_at, excluded.answered_at),
    answer_known = case when l.answered_at is null then excluded.answer_known else l.answer_known end,
    ended_at = greatest(l.ended_at, excluded.ended_at),
    outcome = case when l.answered_at is not null then l.outcome else excluded.outcome end
  -- A leg already stored as sent is left alone.
  where l.answered_at is distinct from coalesce(l.answered_at, excluded.answered_at)
     or l.ended_at is distinct from greatest(l.ended_at, excluded.ended_at)
     or (l.answered_at is null and (l.outcome is distinct from excluded.outcome or l.answer_known is distinct from excluded.answer_known));

  -- A number the calls passed that is known nowhere (not an agent, a queue or a classified number) is added as
  -- unknown, for an administrator to classify in pbx_numbers; the calls through it are read again when they do.
  -- A number the record's type fields name (Ivr, VMail …) enters with that kind; one typed as an agent or a queue
  -- is not added here (agents and queues have their own tables).
  insert into app_public.pbx_numbers (number, kind, first_seen_at)
  select r.number,
         coalesce((array_agg(en.body -> 'pbx_kinds' ->> r.number order by en.ordinal)
                     filter (where en.body -> 'pbx_kinds' ->> r.number in ('ivr', 'ring_group', 'voicemail', 'other')))[1], 'unknown'),
         min(en.start_at)
    from unnest(entries) en
    cross join lateral jsonb_array_elements_text(coalesce(en.body -> 'pbx_route', '[]')) r(number)
   where coalesce(en.body -> 'pbx_kinds' ->> r.number, '') not in ('agent', 'queue')
     and not exists (select 1 from app_public.agents a where a.extension = r.number)
     and not exists (select 1 from app_public.queues q where q.extension = r.number)
     and not exists (select 1 from app_public.pbx_numbers p where p.number = r.number)
   group by r.number
   order by r.number
  on conflict (number) do nothing;

  affected := array(select c.id from app_public.call_center_records c where c.call_id in (select e.call_id from unnest(entries) e));
  perform app_private.refresh_calls(affected);
  perform app_private.guess_call_types(affected);
end;
$function$;
create or replace function app_private.refresh_calls(record_ids uuid[])
 RETURNS void
 LANGUAGE sql
 SET search_path TO 'pg_catalog', 'public', 'pg_temp'
AS $function$
  with first_answer as (
    select distinct on (l.call_record_id) l.call_record_id, l.agent_extension, l.answered_at, l.answer_known, l.location
      from app_public.call_legs l
     where l.call_record_id = any(record_ids) and l.outcome in ('answered', 'transferred') and l.leg_type in ('talk', 'ring', 'transfer')
     order by l.call_record_id, l.answered_at nulls last, l.started_at, l.leg_index
  ), leg_summary as (
    select l.call_record_id,
           count(distinct coalesce(l.agent_email::text, l.agent_extension))
             filter (where l.outcome in ('answered', 'transferred') and l.leg_type in ('talk', 'ring', 'transfer')) as answered_agents,
           coalesce(bool_or(l.leg_type = 'voicemail' or l.outcome = 'voicemail'), false) as any_voicemail,
           -- An unanswered call with no queue (an outbound call nobody picked up) belongs where its agent works.
           (array_agg(l.location order by l.started_at, l.leg_index) filter (where l.location is not null))[1] as leg_location
      from app_public.call_legs l
     where l.call_record_id = any(record_ids)
     group by l.call_record_id
  ), derived as (
    select c.id,
           fa.agent_extension,
           a.user_email as agent_email,
           case when fa.call_record_id is not null then coalesce(a.display_name, c.agent_name) else c.agent_name end as agent_name,
           -- The agent's answer, never a queue's or an IVR's pick-up: NULL when the record cannot tell it.
           case when fa.answer_known then greatest(fa.answered_at, c.call_start_time) end as call_answer_time,
           fa.call_record_id is null or fa.answer_known as answer_time_known,
           case when fa.call_record_id is not null
                then case when fa.answer_known then greatest(0, extract(epoch from (fa.answered_at - c.call_start_time))::int) end
                when c.call_end_time is not null then greatest(0, extract(epoch from (c.call_end_time - c.call_start_time))::int) end as wait_seconds,
           case when fa.call_record_id is not null then greatest(coalesce(s.answered_agents, 0) - 1, 0) else 0 end as transfer_count,
           case when fa.call_record_id is not null then case when coalesce(s.answered_agents, 0) > 1 then 'transferred' else 'completed' end
                when coalesce(s.any_voicemail, false) or c.call_status = 'voicemail' then 'voicemail'
                when c.call_status = 'abandoned' then 'abandoned'
                else 'missed' end as call_status,
           case when fa.call_record_id is not null then coalesce(q.location_name, a.location_name, fa.location)
                else coalesce(q.location_name, c.location, s.leg_location) end as location
      from app_public.call_center_records c
      left join first_answer fa on fa.call_record_id = c.id
      left join leg_summary s on s.call_record_id = c.id
      left join app_public.agents a on a.extension = fa.agent_extension and a.is_active
      left join app_public.queues q on q.name = c.queue_name
     where c.id = any(record_ids)
  )
  update app_public.call_center_records c set
    agent_extension = d.agent_extension, agent_email = d.agent_email, agent_name = d.agent_name,
    call_answer_time = d.call_answer_time, answer_time_known = d.answer_time_known, wait_seconds = d.wait_seconds, transfer_count = d.transfer_count,
    call_status = d.call_status, location = d.location
  from derived d
  where c.id = d.id
    and (c.agent_extension, c.agent_email, c.agent_name, c.call_answer_time, c.answer_time_known, c.wait_seconds, c.transfer_count, c.call_status, c.location)
        is distinct from (d.agent_extension, d.agent_email, d.agent_name, d.call_answer_time, d.answer_time_known, d.wait_seconds, d.transfer_count, d.call_status, d.location)
$function$;

create or replace function app_private.recount_queue_intervals(keys jsonb)
 RETURNS integer
 LANGUAGE plpgsql
 SET search_path TO 'pg_catalog', 'public', 'pg_temp'
AS $function$
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
    -- Answered: by an agent (the answer time may be unknown). A caller who hung up in an IVR the queue passed the call
    -- to is an IVR abandon, counted apart (analytics.ivr_daily_kpis): for the queue the call was not answered (missed).
    select k.queue_name, k.interval_start, c.call_status, c.wait_seconds, c.call_status in ('completed', 'transferred') as answered,
           st.sl_threshold_seconds, st.short_abandon_seconds,
           c.call_status = 'abandoned' and c.wait_seconds is not null and c.wait_seconds < st.short_abandon_seconds as short_abandon
      from k
      join app_hidden.effective_queue_settings st on st.queue_name = k.queue_name
      cross join lateral (select x.call_status_in_queue as call_status, x.wait_seconds
                            from (select x.*, case when x.call_status = 'abandoned' and x.ended_in = 'ivr' then 'missed' else x.call_status end as call_status_in_queue
                                    from app_public.call_center_records x
                           where x.queue_name = k.queue_name and x.call_direction = 'inbound'
                             and coalesce(x.queue_entered_at, x.call_start_time) >= k.interval_start
                             and coalesce(x.queue_entered_at, x.call_start_time) < k.interval_start + interval '15 minutes' offset 0) x) c
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
$function$;

create or replace function app_private.recount_agent_days(keys jsonb)
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
           bool_or(l.outcome in ('answered', 'transferred') and l.leg_type in ('talk', 'ring', 'transfer') and (l.answered_at is null or l.ended_at is null)) as talk_unknown,
           coalesce(sum(extract(epoch from (l.ended_at - l.answered_at))) filter (where l.answered_at is not null and l.ended_at is not null and l.leg_type in ('talk', 'ring', 'transfer')), 0) as talk
      from k
      cross join lateral (select * from app_public.call_legs x
                           where x.agent_extension = k.agent_extension and x.started_at >= k.day_start and x.started_at < k.day_end offset 0) l
     group by k.agent_extension, k.business_day, l.call_record_id
  )
  insert into app_public.agent_daily_stats (
    agent_extension, business_day, calls_handled, calls_handled_inbound, calls_missed, talk_seconds, hold_seconds, acw_seconds,
    fcr_resolved, fcr_final, appointments, csat_sum, csat_count, complaints, calls_talk_unknown)
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
         count(*) filter (where p.handled and p.talk_unknown)
    from per_call p
    cross join lateral (select * from app_public.call_center_records x where x.id = p.call_record_id offset 0) c
   where c.call_direction in ('inbound', 'outbound')
   group by p.agent_extension, p.business_day
  having count(*) filter (where p.handled or (p.rang_unanswered and c.call_direction = 'inbound')) > 0;
  get diagnostics n = row_count;
  return n;
end;
$function$;

create or replace function app_hidden.agent_work(agent_email citext, from_t timestamp with time zone, to_t timestamp with time zone)
 RETURNS TABLE(calls_handled integer, calls_missed integer, talk_seconds bigint, hold_seconds bigint, acw_seconds bigint)
 LANGUAGE sql
 STABLE
 SET search_path TO 'pg_catalog', 'public', 'pg_temp'
AS $function$
  with ext as (
    select a.extension from app_public.agents a where a.user_email = agent_work.agent_email and a.is_active
  ), per_call as (
    select l.call_record_id,
           bool_or(l.outcome in ('answered', 'transferred') and l.leg_type in ('talk', 'ring', 'transfer')) as handled,
           bool_or(l.outcome not in ('answered', 'transferred') and l.leg_type = 'ring') as rang_unanswered,
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
$function$;

create or replace function app_public.agent_day_calls(agent_extension text, business_day date)
 RETURNS SETOF app_public.call_center_records
 LANGUAGE sql
 STABLE
 SET search_path TO 'pg_catalog', 'public', 'pg_temp'
AS $function$
  select c.* from app_public.call_center_records c
   where c.call_direction in ('inbound', 'outbound')
     and exists (select 1 from app_public.call_legs l
                  where l.call_record_id = c.id and l.agent_extension = agent_day_calls.agent_extension
                    and l.started_at >= app_hidden.business_day_start(agent_day_calls.business_day)
                    and l.started_at < app_hidden.business_day_start(agent_day_calls.business_day + 1)
                    and (l.outcome in ('answered', 'transferred') or l.leg_type = 'ring'))
   order by c.call_start_time
$function$;

create or replace function app_private.derive_fcr(record_ids uuid[])
 RETURNS integer
 LANGUAGE plpgsql
 SET search_path TO 'pg_catalog', 'public', 'pg_temp'
AS $function$
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
   where c.call_direction = 'inbound' and c.call_status in ('completed', 'transferred') and c.call_end_time is not null
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
$function$;

comment on function app_private.ingest_call_batch(jsonb) is 'Ingests a JSON array of normalised calls in a few set-based statements; one row per record: new, updated or duplicate. Merges each call''s route and end point, and adds numbers known nowhere to pbx_numbers as unknown. Fails as a whole on any error.';
comment on function app_private.refresh_calls(uuid[]) is 'Re-derives calls'' agent, answer time (NULL when no record tells the agent''s answer), wait, transfers, status and location from all their legs; rows already right are not written.';
comment on function app_private.recount_queue_intervals(jsonb) is 'Recounts the given (queue_name, interval_start) rows of queue_interval_stats from the calls: answered = an agent answered; an abandon that ended in an IVR is the IVR''s, not the queue''s.';
comment on function app_private.recount_agent_days(jsonb) is 'Recounts the given (agent_extension, business_day) rows of agent_daily_stats from the legs and calls (talk only where the record tells it; the rest counted in calls_talk_unknown); a day with nothing left has no row.';

/* IVR abandons, apart from every queue's. */
create or replace view analytics.ivr_daily_kpis as
select i.number as ivr, i.name as ivr_name, i.location,
       app_hidden.business_day(c.call_start_time) as business_day,
       count(*) as entered,
       count(*) filter (where c.call_status in ('completed', 'transferred')) as answered_after,
       count(*) filter (where c.ended_in = 'ivr' and c.pbx_route[cardinality(c.pbx_route)] = i.number and c.call_status = 'abandoned') as abandoned,
       coalesce(sum(c.wait_seconds) filter (where c.ended_in = 'ivr' and c.pbx_route[cardinality(c.pbx_route)] = i.number and c.call_status = 'abandoned'), 0) as abandoned_wait_seconds
  from app_public.pbx_numbers i
  join app_public.call_center_records c on c.pbx_route @> array[i.number] and c.call_direction = 'inbound'
 where i.kind = 'ivr'
 group by i.number, i.name, i.location, app_hidden.business_day(c.call_start_time);
comment on view analytics.ivr_daily_kpis is 'Per IVR (digital receptionist, pbx_numbers kind ivr) and business day: inbound calls that passed it, calls an agent then answered, and callers who hung up in it (IVR abandons, counted apart from every queue''s abandons) with their total wait.';
comment on column analytics.ivr_daily_kpis.ivr is 'The IVR''s number.';
comment on column analytics.ivr_daily_kpis.ivr_name is 'Its name in the directory.';
comment on column analytics.ivr_daily_kpis.location is 'Location it serves.';
comment on column analytics.ivr_daily_kpis.business_day is 'Business day of the calls'' start.';
comment on column analytics.ivr_daily_kpis.entered is 'Inbound calls whose route passed the IVR.';
comment on column analytics.ivr_daily_kpis.answered_after is 'Of those, calls an agent answered.';
comment on column analytics.ivr_daily_kpis.abandoned is 'Calls whose caller hung up in this IVR, nobody having answered (IVR abandons).';
comment on column analytics.ivr_daily_kpis.abandoned_wait_seconds is 'Σ wait (start to hang-up) of those abandons.';
grant select on analytics.ivr_daily_kpis to app_analyst;
