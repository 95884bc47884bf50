--! Previous: sha1:d77fa9dc7470a10582de76a9de9acd974a5a2d8f
--! Hash: sha1:daee2d487b475584e4d8501c466e9738f008271e
--! Message: ingestion: raw CDR storage, call and leg upsert with attribution, processing jobs

/*
 * The path of a CDR: the webhook (or socket, or import) stores the body
 * untouched (encrypted) in app_private.cdr_raw in one statement; a
 * statement-level trigger queues `cdr__process`; the worker claims pending
 * rows (FOR UPDATE SKIP LOCKED), parses them, and hands each call, in our
 * normalised JSON shape, to app_private.ingest_call, which upserts the call
 * and its legs and re-derives the call from all its legs, so the order and
 * repetition of arrival never matter. A periodic `cdr__drain` picks up
 * anything a killed worker left.
 */
create function app_hidden.store_cdr_raw(body bytea, content_type text, source text, remote_addr inet default null)
  returns bigint
  language sql volatile security definer
  set search_path to pg_catalog, public, pg_temp
  as $$
  insert into app_private.cdr_raw (source, content_type, body, remote_addr)
  values (store_cdr_raw.source, left(store_cdr_raw.content_type, 200), store_cdr_raw.body, store_cdr_raw.remote_addr)
  returning id
$$;
comment on function app_hidden.store_cdr_raw(bytea, text, text, inet) is 'Stores an authenticated CDR body as received (encrypted at rest) and returns its raw id. Called by the webhook and the socket listener; the caller''s transaction must hold the patient-data keys.';
grant execute on function app_hidden.store_cdr_raw(bytea, text, text, inet) to app_authenticator, app_worker;

alter table app_public.call_legs add column answer_known boolean not null default true;
comment on column app_public.call_legs.answer_known is 'False when answered_at is when a queue took the call rather than when the agent answered: the call''s wait is then unknown.';

create trigger _500_queue_processing after insert on app_private.cdr_raw
  for each statement execute function app_private.tg__add_job('cdr__process', 'cdr__process');

/* The queue a call entered, by its extension; unknown queues are created so no call is lost. */
create function app_private.queue_for_extension(ext text) returns text
  language plpgsql volatile
  set search_path to pg_catalog, public, pg_temp
  as $$
declare
  q text;
begin
  if ext is null or ext = '' then return null; end if;
  select name into q from app_public.queues where extension = ext;
  if q is null then
    insert into app_public.queues (name, extension) values ('Queue ' || ext, ext)
    on conflict do nothing;
    select name into q from app_public.queues where extension = ext;
  end if;
  return q;
end;
$$;

/*
 * Re-derives a call from its legs (kpi-definitions: the call and its legs):
 * the first agent who answered, the agent's answer time, the wait (unknown
 * when no leg tells it), transfers, status, location.
 */
create function app_private.refresh_call(record_id uuid) returns void
  language plpgsql volatile
  set search_path to pg_catalog, public, pg_temp
  as $$
declare
  c app_public.call_center_records;
  first_answer record;
  answered_agents int;
  any_voicemail boolean;
  agent record;
  queue_location text;
begin
  select * into c from app_public.call_center_records where id = record_id for update;
  select l.agent_extension, l.agent_email, l.answered_at, l.answer_known, l.location into first_answer
    from app_public.call_legs l
   where l.call_record_id = record_id and l.answered_at is not null and l.leg_type in ('talk', 'ring', 'transfer')
   order by l.answered_at, l.leg_index limit 1;
  select count(distinct coalesce(l.agent_email::text, l.agent_extension)) into answered_agents
    from app_public.call_legs l where l.call_record_id = record_id and l.answered_at is not null and l.leg_type in ('talk', 'ring', 'transfer');
  select bool_or(l.leg_type = 'voicemail' or l.outcome = 'voicemail') into any_voicemail
    from app_public.call_legs l where l.call_record_id = record_id;
  select location_name into queue_location from app_public.queues where name = c.queue_name;

  if first_answer.answered_at is not null then
    select a.user_email, a.display_name, a.location_name into agent
      from app_public.agents a where a.extension = first_answer.agent_extension and a.is_active;
    update app_public.call_center_records set
      agent_extension = first_answer.agent_extension,
      agent_email = agent.user_email,
      agent_name = coalesce(agent.display_name, c.agent_name),
      call_answer_time = greatest(first_answer.answered_at, call_start_time),
      wait_seconds = case when first_answer.answer_known
                          then greatest(0, extract(epoch from (first_answer.answered_at - call_start_time))::int) end,
      transfer_count = greatest(answered_agents - 1, 0),
      call_status = case when answered_agents > 1 then 'transferred' else 'completed' end,
      location = coalesce(queue_location, agent.location_name, first_answer.location)
    where id = record_id;
  else
    update app_public.call_center_records set
      agent_extension = null, agent_email = null,
      call_answer_time = null,
      wait_seconds = case when call_end_time is not null then greatest(0, extract(epoch from (call_end_time - call_start_time))::int) end,
      transfer_count = 0,
      call_status = case
        when coalesce(any_voicemail, false) or c.call_status = 'voicemail' then 'voicemail'
        when c.call_status = 'abandoned' then 'abandoned'
        else 'missed' end,
      location = coalesce(queue_location, c.location)
    where id = record_id;
  end if;
end;
$$;
comment on function app_private.refresh_call(uuid) is 'Re-derives a call''s agent, answer time, wait, transfers, status and location from all its legs.';

/*
 * One call in the normalised shape the parsers produce:
 * {call_id, direction, caller_number, caller_name, called_number, queue_extension,
 *  start, end, ended_by: caller|agent|system, voicemail, campaign_id?,
 *  legs: [{leg_key, agent_extension, start, answered, end, leg_type?, outcome?}]}
 * Idempotent: the same call again, or its segments in any order, make one call.
 */
create function app_private.ingest_call(call jsonb) returns uuid
  language plpgsql volatile
  set search_path to pg_catalog, public, pg_temp
  as $$
declare
  record_id uuid;
  q text := app_private.queue_for_extension(call ->> 'queue_extension');
  leg jsonb;
  i int := 0;
  ext text;
  leg_agent citext;
  leg_location text;
  unanswered_status text := case
    when coalesce((call ->> 'voicemail')::boolean, false) then 'voicemail'
    when call ->> 'ended_by' = 'caller' then 'abandoned'
    else 'missed' end;
begin
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
    queue_name = coalesce(r.queue_name, excluded.queue_name),
    called_number = coalesce(r.called_number, excluded.called_number),
    -- Answered calls keep their status until refresh_call re-derives it; an unanswered one keeps the strongest hint.
    call_status = case when r.call_status in ('completed', 'transferred') then r.call_status
                       when r.call_status in ('voicemail', 'abandoned') and excluded.call_status = 'missed' then r.call_status
                       else excluded.call_status end,
    caller_number = case when r.caller_number_encrypted is null then excluded.caller_number end,
    caller_name = case when r.caller_name_encrypted is null then excluded.caller_name end
  returning id into record_id;

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
      outcome = case when l.answered_at is not null then l.outcome else excluded.outcome end;
  end loop;

  perform app_private.refresh_call(record_id);
  return record_id;
end;
$$;
comment on function app_private.ingest_call(jsonb) is 'Upserts one normalised call and its legs, then re-derives the call; idempotent.';

/* When the directory learns an extension, the calls and legs of that extension are attributed again. */
create function app_private.reattribute_extension(ext text) returns int
  language plpgsql volatile
  set search_path to pg_catalog, public, pg_temp
  as $$
declare
  n int := 0;
  rid uuid;
begin
  update app_public.call_legs l set agent_email = a.user_email, location = coalesce(l.location, a.location_name)
    from app_public.agents a
   where a.extension = ext and a.is_active and l.agent_extension = ext and l.agent_email is distinct from a.user_email;
  for rid in select distinct call_record_id from app_public.call_legs where agent_extension = ext loop
    perform app_private.refresh_call(rid);
    n := n + 1;
  end loop;
  return n;
end;
$$;
comment on function app_private.reattribute_extension(text) is 'Attributes again the calls and legs of an extension the directory now knows; returns the calls refreshed.';

create function app_private.tg_agents__reattribute() returns trigger
  language plpgsql volatile security definer
  set search_path to pg_catalog, public, pg_temp
  as $$
begin
  perform app_private.add_job('cdr__reattribute', json_build_object('extension', new.extension), job_key => 'cdr__reattribute:' || new.extension);
  return null;
end;
$$;
create trigger _500_reattribute after insert or update of extension, user_email, location_name, is_active on app_public.agents
  for each row execute function app_private.tg_agents__reattribute();

grant execute on function app_private.ingest_call(jsonb), app_private.refresh_call(uuid), app_private.reattribute_extension(text),
  app_private.queue_for_extension(text) to app_worker;
grant select, insert, update on app_public.queues to app_worker;
