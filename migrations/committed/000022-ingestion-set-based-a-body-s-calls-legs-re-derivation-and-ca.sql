--! Previous: sha1:3861d0efa987e69dfb55fc67b91ed29d187663b2
--! Hash: sha1:e6af94e7cff5d3597eca0308a96ebb77355877b7
--! Message: ingestion set-based: a body's calls, legs, re-derivation and call types in a few statements, one implementation for one call or many

/*
 * When the call entered the queue it belongs to: with segments arriving in
 * any order, the queue is that of the earliest segment that had one (an
 * agent's segment can start at the same second as the queue's, and a transfer
 * can take the call to a second queue later).
 */
alter table app_public.call_center_records add column queue_entered_at timestamptz;
comment on column app_public.call_center_records.queue_entered_at is 'When the call entered its queue (the earliest segment that had one); NULL for calls that never entered a queue.';
grant select (queue_entered_at) on app_public.call_center_records to app_visitor;
update app_public.call_center_records set queue_entered_at = call_start_time where queue_name is not null;

/*
 * Re-derives calls from all their legs (first answering agent, answer time,
 * wait, transfers, status, location), for many calls in one statement. Rows
 * whose derived values are already right are not touched (a re-send costs no
 * writes). refresh_call(id) is this for one call.
 */
create function app_private.refresh_calls(record_ids uuid[]) returns void
  language sql volatile
  set search_path to pg_catalog, public, pg_temp
  as $$
  with first_answer as (
    select distinct on (l.call_record_id) l.call_record_id, l.agent_extension, l.answered_at, l.answer_known, l.location
      from app_public.call_legs l
     where l.call_record_id = any(record_ids) and l.answered_at is not null and l.leg_type in ('talk', 'ring', 'transfer')
     order by l.call_record_id, l.answered_at, l.leg_index
  ), leg_summary as (
    select l.call_record_id,
           count(distinct coalesce(l.agent_email::text, l.agent_extension))
             filter (where l.answered_at is not null and l.leg_type in ('talk', 'ring', 'transfer')) as answered_agents,
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
           case when fa.answered_at is not null then coalesce(a.display_name, c.agent_name) else c.agent_name end as agent_name,
           case when fa.answered_at is not null then greatest(fa.answered_at, c.call_start_time) end as call_answer_time,
           case when fa.answered_at is not null
                then case when fa.answer_known then greatest(0, extract(epoch from (fa.answered_at - c.call_start_time))::int) end
                when c.call_end_time is not null then greatest(0, extract(epoch from (c.call_end_time - c.call_start_time))::int) end as wait_seconds,
           case when fa.answered_at is not null then greatest(coalesce(s.answered_agents, 0) - 1, 0) else 0 end as transfer_count,
           case when fa.answered_at is not null then case when coalesce(s.answered_agents, 0) > 1 then 'transferred' else 'completed' end
                when coalesce(s.any_voicemail, false) or c.call_status = 'voicemail' then 'voicemail'
                when c.call_status = 'abandoned' then 'abandoned'
                else 'missed' end as call_status,
           case when fa.answered_at is not null then coalesce(q.location_name, a.location_name, fa.location)
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
    call_answer_time = d.call_answer_time, wait_seconds = d.wait_seconds, transfer_count = d.transfer_count,
    call_status = d.call_status, location = d.location
  from derived d
  where c.id = d.id
    and (c.agent_extension, c.agent_email, c.agent_name, c.call_answer_time, c.wait_seconds, c.transfer_count, c.call_status, c.location)
        is distinct from (d.agent_extension, d.agent_email, d.agent_name, d.call_answer_time, d.wait_seconds, d.transfer_count, d.call_status, d.location)
$$;
comment on function app_private.refresh_calls(uuid[]) is 'Re-derives calls'' agent, answer time, wait, transfers, status and location from all their legs; rows already right are not written.';

create or replace function app_private.refresh_call(record_id uuid) returns void
  language sql volatile
  set search_path to pg_catalog, public, pg_temp
  as $$
  select app_private.refresh_calls(array[record_id])
$$;

/* Call types from the rules, for many calls at once; people's corrections are kept. */
create function app_private.guess_call_types(record_ids uuid[]) returns void
  language sql volatile
  set search_path to pg_catalog, public, pg_temp
  as $$
  update app_public.call_center_records c set call_type = r.call_type, call_type_source = 'rule'
    from (select c2.id,
                 (select ru.call_type from app_public.call_type_rules ru
                   where ru.is_active
                     and (ru.queue_name is null or ru.queue_name = c2.queue_name)
                     and (ru.called_number_pattern is null or coalesce(c2.called_number, '') ~ ru.called_number_pattern)
                   order by ru.priority, ru.created_at limit 1) as call_type
            from app_public.call_center_records c2
           where c2.id = any(record_ids)
             and exists (select 1 from app_public.call_type_rules where is_active)) r
   where c.id = r.id and r.call_type is not null
     and coalesce(c.call_type_source, 'rule') = 'rule' and c.call_type is distinct from r.call_type
$$;
comment on function app_private.guess_call_types(uuid[]) is 'Sets calls'' types from the first matching rule, unless a person set it.';

create or replace function app_private.guess_call_type(record_id uuid) returns void
  language sql volatile
  set search_path to pg_catalog, public, pg_temp
  as $$
  select app_private.guess_call_types(array[record_id])
$$;

/* The rows a batch works on, held in arrays (no temporary tables: nothing to grant, no catalog churn). */
create type app_private.ingest_entry as (
  ordinal int, call_id text, direction text, queue_name text, caller_number text, caller_name text, called_number text,
  start_at timestamptz, end_at timestamptz, hint text, hint_rank int, campaign_id uuid, body jsonb, existed boolean,
  before_start timestamptz, before_end timestamptz, before_status text
);
comment on type app_private.ingest_entry is 'One record of a batch being ingested, with what was stored for its call before the batch.';
create type app_private.ingest_leg as (
  ordinal int, call_id text, leg_key text, leg_index int, leg_type text, queue_name text, agent_extension text,
  started_at timestamptz, answered_at timestamptz, answer_known boolean, ended_at timestamptz, outcome text
);
comment on type app_private.ingest_leg is 'One leg of a record of a batch being ingested.';

/*
 * A batch of normalised calls (a JSON array) in a few set-based statements:
 * records of the same call in the batch are merged (earliest start, latest
 * end, the queue and dialled number of the earliest segment, the strongest
 * unanswered hint: voicemail, then abandoned, then missed), legs are upserted
 * once each, the calls re-derived and typed. Each record gets its outcome:
 * new (created the call), updated (brought a leg, an answer, a later end, an
 * earlier start or a stronger hint) or duplicate (nothing new). Any error
 * fails the whole batch; ingest_calls then retries call by call.
 */
create function app_private.ingest_call_batch(calls jsonb)
  returns table (ordinal integer, record_id uuid, outcome text)
  language plpgsql volatile
  set search_path to pg_catalog, public, pg_temp
  as $$
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
           (array_agg(en.start_at order by en.start_at, en.ordinal) filter (where en.called_number is not null))[1] as called_start
      from unnest(entries) en group by en.call_id
  )
    insert into app_public.call_center_records as r (
      call_id, call_direction, queue_name, queue_entered_at, caller_number, caller_name, called_number,
      call_start_time, call_end_time, call_status, campaign_id)
    select m.call_id, m.direction, m.queue_name, m.queue_start, coalesce(m.caller_number, ''), coalesce(m.caller_name, ''), m.called_number,
           m.start_at, m.end_at, m.hint, m.campaign_id
      from merged m
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
      caller_name = case when r.caller_name_encrypted is null then excluded.caller_name end
    -- Nothing to write for a record the call already holds.
    where excluded.call_start_time < r.call_start_time
       or excluded.call_end_time > r.call_end_time or (r.call_end_time is null and excluded.call_end_time is not null)
       or (excluded.queue_name is not null and (r.queue_entered_at is null or excluded.queue_entered_at < r.queue_entered_at))
       or (r.called_number is null and excluded.called_number is not null)
       or (r.call_status not in ('completed', 'transferred', 'voicemail') and r.call_status is distinct from excluded.call_status
           and excluded.call_status <> 'missed')
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

  affected := array(select c.id from app_public.call_center_records c where c.call_id in (select e.call_id from unnest(entries) e));
  perform app_private.refresh_calls(affected);
  perform app_private.guess_call_types(affected);
end;
$$;
comment on function app_private.ingest_call_batch(jsonb) is 'Ingests a JSON array of normalised calls in a few set-based statements; one row per record: new, updated or duplicate. Fails as a whole on any error.';

/* One call: the batch function with one record. */
create or replace function app_private.ingest_call_outcome(call jsonb, out record_id uuid, out outcome text)
  language plpgsql volatile
  set search_path to pg_catalog, public, pg_temp
  as $$
begin
  -- Two statements: the call's id is read after the batch has written it.
  select b.outcome into outcome from app_private.ingest_call_batch(jsonb_build_array(call)) b;
  select c.id into record_id from app_public.call_center_records c where c.call_id = call ->> 'call_id';
end;
$$;

/*
 * A batch of normalised calls: set-based in one go; if the database refuses
 * any of it, call by call, each in its own subtransaction, so one bad call is
 * returned with the reason and the others are kept.
 */
create or replace function app_private.ingest_calls(calls jsonb)
  returns table (ordinal integer, record_id uuid, outcome text, error_field text, error_message text)
  language plpgsql volatile
  set search_path to pg_catalog, public, pg_temp
  as $$
declare
  item jsonb;
  o record;
  constraint_name text;
  column_name text;
begin
  begin
    return query select b.ordinal, b.record_id, b.outcome, null::text, null::text from app_private.ingest_call_batch(calls) b;
    return;
  exception
    -- A deadlock or serialization failure is the transaction's to retry, never a record's fault.
    when deadlock_detected or serialization_failure then raise;
    when others then null; -- fall through: one call at a time
  end;
  ordinal := 0;
  for item in select value from jsonb_array_elements(calls) loop
    ordinal := ordinal + 1;
    record_id := null; outcome := null; error_field := null; error_message := null;
    begin
      select * into o from app_private.ingest_call_outcome(item);
      record_id := o.record_id;
      outcome := o.outcome;
    exception
      when deadlock_detected or serialization_failure then raise;
      when others then
      get stacked diagnostics constraint_name = constraint_name, column_name = column_name, error_message = message_text;
      outcome := 'rejected';
      error_field := coalesce(nullif(column_name, ''), nullif(constraint_name, ''), 'call');
    end;
    return next;
  end loop;
end;
$$;

grant execute on function app_private.refresh_calls(uuid[]), app_private.guess_call_types(uuid[]), app_private.ingest_call_batch(jsonb) to app_worker;

/* Where a backfill stopped, per file, without reading the whole raw table. */
create index cdr_raw_import_idx on app_private.cdr_raw (import_file, import_offset) where import_file is not null;
