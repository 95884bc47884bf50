--! Previous: sha1:ed5934a628b0a7a2a1810bb8a983c192f5f30fe6
--! Hash: sha1:67d318aa3a7054482b63682e88784bcdfb91d5af
--! Message: call types guessed by rules kept as data; people's corrections stay

create table app_public.call_type_rules (
  id uuid primary key default gen_random_uuid(),
  priority integer not null default 100 check (priority between 0 and 10000),
  queue_name text references app_public.queues (name) on update cascade on delete cascade,
  called_number_pattern text check (called_number_pattern is null or length(called_number_pattern) <= 200),
  call_type text not null check (call_type in ('appointment', 'prescription', 'billing', 'general', 'follow_up')),
  is_active boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check (queue_name is not null or called_number_pattern is not null)
);
comment on table app_public.call_type_rules is 'How a call''s type is guessed at ingestion: the first active rule (lowest priority number) whose queue and dialled-number pattern match. People can correct the type; a correction is kept.';
comment on column app_public.call_type_rules.id is 'Identifier.';
comment on column app_public.call_type_rules.priority is 'Lower numbers are tried first.';
comment on column app_public.call_type_rules.queue_name is 'The queue the call entered (NULL: any).';
comment on column app_public.call_type_rules.called_number_pattern is 'Regular expression over the dialled number (NULL: any).';
comment on column app_public.call_type_rules.call_type is 'appointment, prescription, billing, general or follow_up.';
comment on column app_public.call_type_rules.is_active is 'False to switch the rule off.';
comment on column app_public.call_type_rules.created_at is 'When the row was created.';
comment on column app_public.call_type_rules.updated_at is 'When the row last changed.';
create trigger _100_timestamps before insert or update on app_public.call_type_rules for each row execute function app_private.tg__timestamps();
create trigger _900_audit after insert or update or delete on app_public.call_type_rules for each row execute function app_private.tg__audit('id');
select app_private.secure_table('app_public.call_type_rules');
create policy select_signed_in on app_public.call_type_rules for select to app_visitor using ((select auth.uid()) is not null);
create policy manage_configure_metrics on app_public.call_type_rules for all to app_visitor
  using ((select app_hidden.has_permission('configureMetrics'))) with check ((select app_hidden.has_permission('configureMetrics')));
grant select, delete on app_public.call_type_rules to app_visitor;
grant insert (priority, queue_name, called_number_pattern, call_type, is_active), update (priority, queue_name, called_number_pattern, call_type, is_active)
  on app_public.call_type_rules to app_visitor;
grant select on app_public.call_type_rules to app_worker;

alter table app_public.call_center_records add column call_type_source text check (call_type_source in ('rule', 'manual'));
comment on column app_public.call_center_records.call_type_source is 'rule (guessed at ingestion) or manual (set by a person; never overwritten).';

/* A person setting the type makes it manual. */
create function app_private.tg_call_center_records__call_type_source() returns trigger
  language plpgsql volatile
  set search_path to pg_catalog, public, pg_temp
  as $$
begin
  if auth.uid() is not null and new.call_type is distinct from old.call_type then
    new.call_type_source := case when new.call_type is null then null else 'manual' end;
  end if;
  return new;
end;
$$;
create trigger _030_call_type_source before update of call_type on app_public.call_center_records
  for each row execute function app_private.tg_call_center_records__call_type_source();

create function app_private.guess_call_type(record_id uuid) returns void
  language sql volatile
  set search_path to pg_catalog, public, pg_temp
  as $$
  update app_public.call_center_records c set call_type = r.call_type, call_type_source = 'rule'
    from (select ru.call_type from app_public.call_center_records c2, app_public.call_type_rules ru
           where c2.id = record_id and ru.is_active
             and (ru.queue_name is null or ru.queue_name = c2.queue_name)
             and (ru.called_number_pattern is null or coalesce(c2.called_number, '') ~ ru.called_number_pattern)
           order by ru.priority, ru.created_at limit 1) r
   where c.id = record_id and coalesce(c.call_type_source, 'rule') = 'rule' and c.call_type is distinct from r.call_type
$$;
comment on function app_private.guess_call_type(uuid) is 'Sets a call''s type from the first matching rule, unless a person set it.';
grant execute on function app_private.guess_call_type(uuid) to app_worker;

create or replace function app_private.ingest_call(call jsonb) returns uuid
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
  perform app_private.guess_call_type(record_id);
  return record_id;
end;
$$;
