--! Previous: sha1:c4741194744aab85b28b4284ddc3b4baef033f71
--! Hash: sha1:3861d0efa987e69dfb55fc67b91ed29d187663b2
--! Message: ingestion at volume: a batch of calls in one statement, per-body outcome counts, queue and number from the earliest segment

/*
 * What each raw body became, counted, so a backfill or a sender can be told
 * "accepted, duplicate, dead-lettered" without re-reading anything.
 */
alter table app_private.cdr_raw
  add column calls_new integer check (calls_new >= 0),
  add column calls_updated integer check (calls_updated >= 0),
  add column calls_duplicate integer check (calls_duplicate >= 0),
  add column records_rejected integer check (records_rejected >= 0);
comment on column app_private.cdr_raw.calls_new is 'Records in this body that created a call.';
comment on column app_private.cdr_raw.calls_updated is 'Records that added to or changed a call already stored (another segment of it, a late leg).';
comment on column app_private.cdr_raw.calls_duplicate is 'Records that changed nothing: the same record was already stored (a re-send).';
comment on column app_private.cdr_raw.records_rejected is 'Records dead-lettered, with their reason, in app_private.cdr_dead_letters.';

/*
 * One call in the normalised shape → its record id and what the record did:
 * new (created the call), updated (added or changed legs or times) or
 * duplicate (changed nothing). The same call again, or its segments in any
 * order, make one call. The queue and dialled number are those of the
 * earliest segment, whatever order the segments arrive in.
 */
create function app_private.ingest_call_outcome(call jsonb, out record_id uuid, out outcome text)
  language plpgsql volatile
  set search_path to pg_catalog, public, pg_temp
  as $$
declare
  q text := app_private.queue_for_extension(call ->> 'queue_extension');
  leg jsonb;
  i int := 0;
  ext text;
  leg_agent citext;
  leg_location text;
  inserted boolean;
  changed int := 0;
  n int;
  before_call record;
  unanswered_status text := case
    when coalesce((call ->> 'voicemail')::boolean, false) then 'voicemail'
    when call ->> 'ended_by' = 'caller' then 'abandoned'
    else 'missed' end;
begin
  select r.id, r.call_start_time, r.call_end_time, r.call_status into before_call
    from app_public.call_center_records r where r.call_id = call ->> 'call_id';
  insert into app_public.call_center_records as r (
    call_id, call_direction, queue_name, caller_number, caller_name, called_number,
    call_start_time, call_end_time, call_status, campaign_id)
  values (
    call ->> 'call_id', call ->> 'direction', q,
    coalesce(call ->> 'caller_number', ''), coalesce(call ->> 'caller_name', ''), call ->> 'called_number',
    (call ->> 'start')::timestamptz, (call ->> 'end')::timestamptz, unanswered_status, (call ->> 'campaign_id')::uuid)
  on conflict (call_id) do update set
    call_start_time = least(r.call_start_time, excluded.call_start_time),
    call_end_time = greatest(r.call_end_time, excluded.call_end_time),
    -- The earliest segment names the queue the caller entered and the number dialled.
    queue_name = case when excluded.call_start_time < r.call_start_time then coalesce(excluded.queue_name, r.queue_name)
                      else coalesce(r.queue_name, excluded.queue_name) end,
    called_number = case when excluded.call_start_time < r.call_start_time then coalesce(excluded.called_number, r.called_number)
                         else coalesce(r.called_number, excluded.called_number) end,
    -- Answered calls keep their status until refresh_call re-derives it; an unanswered one keeps the strongest hint.
    call_status = case when r.call_status in ('completed', 'transferred') then r.call_status
                       when r.call_status in ('voicemail', 'abandoned') and excluded.call_status = 'missed' then r.call_status
                       else excluded.call_status end,
    caller_number = case when r.caller_number_encrypted is null then excluded.caller_number end,
    caller_name = case when r.caller_name_encrypted is null then excluded.caller_name end
  returning r.id, before_call.id is null into record_id, inserted;

  for leg in select * from jsonb_array_elements(coalesce(call -> 'legs', '[]')) loop
    i := i + 1;
    ext := nullif(leg ->> 'agent_extension', '');
    select a.user_email, a.location_name into leg_agent, leg_location from app_public.agents a where a.extension = ext and a.is_active;
    insert into app_public.call_legs as l (call_record_id, call_id, leg_key, leg_index, leg_type, queue_name, agent_extension, agent_email,
                                           location, started_at, answered_at, answer_known, ended_at, outcome)
    values (record_id, call ->> 'call_id', leg ->> 'leg_key', coalesce((leg ->> 'leg_index')::int, i),
            coalesce(leg ->> 'leg_type', case when leg ->> 'answered' is not null then 'talk' else 'ring' end),
            q, ext, leg_agent, coalesce(leg_location, (select location_name from app_public.queues where name = q)),
            (leg ->> 'start')::timestamptz, (leg ->> 'answered')::timestamptz, coalesce((leg ->> 'answer_known')::boolean, true), (leg ->> 'end')::timestamptz,
            coalesce(leg ->> 'outcome', case when leg ->> 'answered' is not null then 'answered' else 'missed' end))
    on conflict (call_id, leg_key) do update set
      answered_at = coalesce(l.answered_at, excluded.answered_at),
      answer_known = case when l.answered_at is null then excluded.answer_known else l.answer_known end,
      ended_at = greatest(l.ended_at, excluded.ended_at),
      outcome = case when l.answered_at is not null then l.outcome else excluded.outcome end
    -- A leg already stored as sent is left alone, so a re-send is recognisably a duplicate.
    where l.answered_at is distinct from coalesce(l.answered_at, excluded.answered_at)
       or l.ended_at is distinct from greatest(l.ended_at, excluded.ended_at)
       or (l.answered_at is null and (l.outcome is distinct from excluded.outcome or l.answer_known is distinct from excluded.answer_known));
    get diagnostics n = row_count;
    changed := changed + n;
  end loop;

  perform app_private.refresh_call(record_id);
  perform app_private.guess_call_type(record_id);

  outcome := case
    when inserted then 'new'
    when changed > 0
      or (call ->> 'start')::timestamptz < before_call.call_start_time
      or (call ->> 'end')::timestamptz > before_call.call_end_time
      or (select c.call_status from app_public.call_center_records c where c.id = record_id) is distinct from before_call.call_status
      then 'updated'
    else 'duplicate' end;
end;
$$;
comment on function app_private.ingest_call_outcome(jsonb) is 'Upserts one normalised call and its legs, re-derives the call, and says what the record did: new, updated or duplicate.';

create or replace function app_private.ingest_call(call jsonb) returns uuid
  language sql volatile
  set search_path to pg_catalog, public, pg_temp
  as $$
  select o.record_id from app_private.ingest_call_outcome(call) o
$$;

/*
 * A batch of normalised calls in one statement (one round trip for a whole
 * body). Each call is its own subtransaction: one the database refuses is
 * returned with the reason and the others are kept.
 */
create function app_private.ingest_calls(calls jsonb)
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
  ordinal := 0;
  for item in select value from jsonb_array_elements(calls) loop
    ordinal := ordinal + 1;
    record_id := null; outcome := null; error_field := null; error_message := null;
    begin
      select * into o from app_private.ingest_call_outcome(item);
      record_id := o.record_id;
      outcome := o.outcome;
    exception when others then
      get stacked diagnostics constraint_name = constraint_name, column_name = column_name, error_message = message_text;
      outcome := 'rejected';
      error_field := coalesce(nullif(column_name, ''), nullif(constraint_name, ''), 'call');
    end;
    return next;
  end loop;
end;
$$;
comment on function app_private.ingest_calls(jsonb) is 'Ingests a JSON array of normalised calls, each in its own subtransaction; one row per call: its record id and new, updated, duplicate or rejected (with the field and reason).';
grant execute on function app_private.ingest_call_outcome(jsonb), app_private.ingest_calls(jsonb) to app_worker;

/* Per-body counts in the latency view. */
create or replace view analytics.ingest_latency as
select r.id as raw_id, r.source, r.received_at, r.processed_at, r.status,
       round(extract(epoch from (r.processed_at - r.received_at)) * 1000)::bigint as latency_ms,
       r.calls_new, r.calls_updated, r.calls_duplicate, r.records_rejected
from app_private.cdr_raw r;
comment on column analytics.ingest_latency.calls_new is 'Records in the body that created a call.';
comment on column analytics.ingest_latency.calls_updated is 'Records that added to a call already stored.';
comment on column analytics.ingest_latency.calls_duplicate is 'Records that changed nothing (re-sends).';
comment on column analytics.ingest_latency.records_rejected is 'Records dead-lettered.';
