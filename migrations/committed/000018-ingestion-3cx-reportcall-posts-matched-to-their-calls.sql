--! Previous: sha1:cf390292d72c3bd674b5248e8ef541ae2471f6e3
--! Hash: sha1:ed5934a628b0a7a2a1810bb8a983c192f5f30fe6
--! Message: ingestion: 3CX ReportCall posts matched to their calls

/*
 * A ReportCall post (3CX's CRM call journal) has no call id. It is kept here
 * and matched to its call by agent, caller (keyed hash) and start time within
 * 5 seconds, whichever arrives first; it then enriches that call (caller name
 * from the CRM lookup, recording location) instead of adding one.
 */
create table app_private.cdr_report_calls (
  id bigint generated always as identity primary key,
  raw_id bigint references app_private.cdr_raw (id),
  agent_extension text check (agent_extension ~ '^[0-9]{2,8}$'),
  caller_key bytea,
  caller_name_encrypted bytea,
  caller_name_masked text,
  recording_url_encrypted bytea,
  call_type text not null check (call_type in ('inbound', 'outbound', 'missed', 'notanswered')),
  started_at timestamptz not null,
  answered_at timestamptz,
  ended_at timestamptz,
  call_record_id uuid references app_public.call_center_records (id) on delete set null,
  matched_at timestamptz,
  created_at timestamptz not null default now()
);
create index cdr_report_calls_unmatched_idx on app_private.cdr_report_calls (caller_key, started_at) where call_record_id is null;
comment on table app_private.cdr_report_calls is '3CX ReportCall posts, matched to their calls by agent, caller hash and start time (±5 s).';
grant select, insert, update on app_private.cdr_report_calls to app_worker;
insert into app_private.protected_columns (table_name, column_name, reason) values
  ('app_private.cdr_report_calls', 'caller_name', 'names the caller'),
  ('app_private.cdr_report_calls', 'recording_url', 'leads to the recorded conversation');

create function app_private.match_report_call(report_id bigint) returns uuid
  language plpgsql volatile
  set search_path to pg_catalog, public, pg_temp
  as $$
declare
  rc app_private.cdr_report_calls;
  target uuid;
begin
  select * into rc from app_private.cdr_report_calls where id = report_id for update;
  if rc.call_record_id is not null then return rc.call_record_id; end if;
  select c.id into target
    from app_public.call_center_records c
   where c.caller_number_hash = rc.caller_key
     and c.call_start_time between rc.started_at - interval '5 seconds' and rc.started_at + interval '5 seconds'
     and (c.agent_extension = rc.agent_extension
          or exists (select 1 from app_public.call_legs l where l.call_record_id = c.id and l.agent_extension = rc.agent_extension))
   order by abs(extract(epoch from (c.call_start_time - rc.started_at))) limit 1;
  if target is null then return null; end if;
  update app_public.call_center_records set
    caller_name_encrypted = coalesce(caller_name_encrypted, rc.caller_name_encrypted),
    caller_name_masked = coalesce(caller_name_masked, rc.caller_name_masked),
    recording_url_encrypted = coalesce(recording_url_encrypted, rc.recording_url_encrypted),
    recording_available = recording_available or rc.recording_url_encrypted is not null
  where id = target;
  update app_private.cdr_report_calls set call_record_id = target, matched_at = now() where id = report_id;
  return target;
end;
$$;
comment on function app_private.match_report_call(bigint) is 'Matches a ReportCall post to its call and enriches the call; NULL while its CDR has not arrived.';

/* {call_type, number, name, agent_extension, start, answered, end, recording_url} */
create function app_private.ingest_report_call(post jsonb, raw_id bigint) returns uuid
  language plpgsql volatile
  set search_path to pg_catalog, public, pg_temp
  as $$
declare
  report_id bigint;
begin
  insert into app_private.cdr_report_calls (raw_id, agent_extension, caller_key, caller_name_encrypted, caller_name_masked,
                                            recording_url_encrypted, call_type, started_at, answered_at, ended_at)
  values (raw_id, nullif(post ->> 'agent_extension', ''), app_hidden.caller_key(post ->> 'number'),
          app_hidden.phi_encrypt(nullif(post ->> 'name', '')), app_hidden.mask_name(post ->> 'name'),
          app_hidden.phi_encrypt(nullif(post ->> 'recording_url', '')), post ->> 'call_type',
          (post ->> 'start')::timestamptz, (post ->> 'answered')::timestamptz, (post ->> 'end')::timestamptz)
  returning id into report_id;
  return app_private.match_report_call(report_id);
end;
$$;
comment on function app_private.ingest_report_call(jsonb, bigint) is 'Keeps a ReportCall post (protected fields encrypted) and matches it to its call when it can.';

/* When a call arrives after its ReportCall, the call picks the post up. */
create function app_private.tg_call_center_records__match_reports() returns trigger
  language plpgsql volatile
  set search_path to pg_catalog, public, pg_temp
  as $$
begin
  perform app_private.match_report_call(r.id)
     from app_private.cdr_report_calls r
    where r.call_record_id is null and r.caller_key = new.caller_number_hash
      and r.started_at between new.call_start_time - interval '5 seconds' and new.call_start_time + interval '5 seconds';
  return null;
end;
$$;
create trigger _600_match_reports after insert or update of caller_number_hash, agent_extension on app_public.call_center_records
  for each row when (new.caller_number_hash is not null and pg_trigger_depth() < 2)
  execute function app_private.tg_call_center_records__match_reports();

grant execute on function app_private.match_report_call(bigint), app_private.ingest_report_call(jsonb, bigint) to app_worker;
