--! Previous: sha1:66cead4d93f292e3860b2f3cbfa87676f5611835
--! Hash: sha1:854173f662198c7d9640542cedaa509bfeb1478c
--! Message: Recordings through one-time links; recording retention

-- Recordings through this service (issue 19): a person with accessRecordings
-- gets a one-time, short-lived link (/api/recordings/<token>) instead of the
-- PBX's address; the link's token is kept only as its SHA-256. revealCallCenterRecord
-- and revealQaReviewRecording answer such a link for recording_url. The
-- worker's retention__recordings clears the locations of calls older than
-- CALL_RECORDING_RETENTION_DAYS.
create table app_private.recording_links (
  id uuid primary key default gen_random_uuid(),
  token_hash bytea not null unique check (octet_length(token_hash) = 32),
  call_record_id uuid not null references app_public.call_center_records (id) on delete cascade,
  user_id uuid not null references app_public.users (id) on delete cascade,
  reason text not null,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  used_at timestamptz
);
create index recording_links_expires_idx on app_private.recording_links (expires_at);
create index recording_links_call_idx on app_private.recording_links (call_record_id);
create index recording_links_user_idx on app_private.recording_links (user_id);
comment on table app_private.recording_links is 'One-time links to a call''s recording: the SHA-256 of the token given out (never the token), the call, the person, their reason, the expiry and when it was used.';

create type app_public.recording_link as (url text, expires_at timestamptz, call_id uuid);
comment on type app_public.recording_link is 'A one-time link to a call''s recording, through this service.';
comment on column app_public.recording_link.url is 'The link, relative to this service (/api/recordings/<token>): GET it once, before expiresAt, with no token; it streams the recording. Never the PBX''s own address.';
comment on column app_public.recording_link.expires_at is 'When the link stops working (RECORDING_LINK_SECONDS after it was made).';
comment on column app_public.recording_link.call_id is 'The call whose recording it is.';

--! Included access/app_private.recording_links.sql
revoke all on app_private.recording_links from public, app_visitor, app_worker, app_analyst, app_authenticator;
--! EndIncluded access/app_private.recording_links.sql
--! Included recordings/links.sql
-- One-time recording links. A person with accessRecordings asks for a call's
-- recording and gets a link to this service (/api/recordings/<token>), never
-- the PBX's own address. The token is random (32 bytes), given out once and
-- stored only as its SHA-256 (app_private.recording_links), with the call,
-- the person, the reason and an expiry (RECORDING_LINK_SECONDS). Fetching it
-- (server/recordings.ts) checks the person again, claims the link (one use),
-- streams the recording from the PBX, and writes the access to the audit log.

create or replace function app_hidden.recording_link_seconds()
 returns integer
 language sql
 stable
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
  select coalesce(nullif(current_setting('app.recording_link_seconds', true), '')::integer, 60)
$function$;
comment on function app_hidden.recording_link_seconds() is 'How long a recording link lives: the server''s RECORDING_LINK_SECONDS (a transaction setting), 60 when a session has none.';
revoke all on function app_hidden.recording_link_seconds() from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_hidden.recording_link_seconds() to app_visitor;

create or replace function app_hidden.new_recording_link(call_record_id uuid, reason text, out url text, out expires_at timestamp with time zone)
 returns record
 language plpgsql
 volatile security definer
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
declare
  token text := translate(encode(gen_random_bytes(32), 'base64'), '+/=', '-_');
begin
  if auth.uid() is null then
    raise exception 'Sign in to open recordings.' using errcode = '42501';
  end if;
  expires_at := now() + make_interval(secs => app_hidden.recording_link_seconds());
  insert into app_private.recording_links (token_hash, call_record_id, user_id, reason, expires_at)
  values (sha256(convert_to(token, 'UTF8')), new_recording_link.call_record_id, auth.uid(), left(coalesce(new_recording_link.reason, ''), 500),
          new_recording_link.expires_at);
  url := '/api/recordings/' || token;
end;
$function$;
comment on function app_hidden.new_recording_link(uuid,text) is 'Makes a one-time link to a call''s recording for the signed-in person (only the token''s hash is stored); the caller has checked the permission, the reason and that the person sees the call.';
revoke all on function app_hidden.new_recording_link(uuid,text) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_hidden.new_recording_link(uuid,text) to app_visitor;

create or replace function app_public.request_recording_link(call_id uuid, reason text default null)
 returns app_public.recording_link
 language plpgsql
 volatile
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
declare
  location bytea;
  link record;
  result app_public.recording_link;
begin
  if auth.uid() is null then
    raise exception 'Sign in to open recordings.' using errcode = '42501';
  end if;
  if not app_hidden.has_permission('accessRecordings') then
    raise exception 'Opening recordings needs accessRecordings.' using errcode = 'CC502';
  end if;
  perform app_hidden.check_reveal(reason);
  select c.recording_url_encrypted into location from app_public.call_center_records c where c.id = request_recording_link.call_id;
  if not found then
    raise exception 'No such call, or not one you may see.' using errcode = 'CC503', column = 'call_id';
  end if;
  if location is null then
    raise exception 'This call has no recording (none was made, or it was cleared after CALL_RECORDING_RETENTION_DAYS).' using errcode = 'CC961', column = 'call_id';
  end if;
  link := app_hidden.new_recording_link(request_recording_link.call_id, reason);
  perform app_hidden.write_reveal_audit('app_public.call_center_records', request_recording_link.call_id, array['recording_url'], reason);
  result.url := link.url;
  result.expires_at := link.expires_at;
  result.call_id := request_recording_link.call_id;
  return result;
end;
$function$;
comment on function app_public.request_recording_link(uuid, text) is 'A one-time link to the recording of a call you may see: GET it (no token needed, once, before expiresAt) to stream the recording through this service. Needs accessRecordings (CC502) and a reason (CC504); counted and audited as a reveal of the call''s recording (revealCallCenterRecord''s limits). A call without a recording is CC961.';
revoke all on function app_public.request_recording_link(uuid, text) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_public.request_recording_link(uuid, text) to app_visitor;

create or replace function app_hidden.recording_link_holder(token_hash bytea)
 returns table(link_id uuid, email citext, expires_at timestamp with time zone, used_at timestamp with time zone)
 language sql
 stable security definer
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
  select l.id, u.email, l.expires_at, l.used_at
  from app_private.recording_links l join app_public.users u on u.id = l.user_id
  where l.token_hash = recording_link_holder.token_hash
$function$;
comment on function app_hidden.recording_link_holder(bytea) is 'Whose a recording link is (by the SHA-256 of its token), so the server can check that person again before the link is used; no row for an unknown token.';
revoke all on function app_hidden.recording_link_holder(bytea) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_hidden.recording_link_holder(bytea) to app_authenticator;

create or replace function app_hidden.mark_recording_link(link_id uuid, used boolean)
 returns boolean
 language plpgsql
 volatile security definer
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
begin
  if used then
    update app_private.recording_links l set used_at = now()
     where l.id = mark_recording_link.link_id and l.user_id = auth.uid() and l.used_at is null and l.expires_at > now();
  else
    update app_private.recording_links l set used_at = null
     where l.id = mark_recording_link.link_id and l.user_id = auth.uid();
  end if;
  return found;
end;
$function$;
comment on function app_hidden.mark_recording_link(uuid,boolean) is 'Claims the signed-in person''s unused, unexpired recording link (true when this call claimed it), or gives a claimed one back (the PBX failed to deliver: the link may be tried again until it expires).';
revoke all on function app_hidden.mark_recording_link(uuid,boolean) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_hidden.mark_recording_link(uuid,boolean) to app_visitor;

create or replace function app_hidden.recording_link_row(link_id uuid)
 returns table(call_record_id uuid, user_id uuid, reason text, expires_at timestamp with time zone, used_at timestamp with time zone)
 language sql
 stable security definer
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
  select l.call_record_id, l.user_id, l.reason, l.expires_at, l.used_at from app_private.recording_links l where l.id = recording_link_row.link_id
$function$;
comment on function app_hidden.recording_link_row(uuid) is 'A recording link''s call, person, reason, expiry and use.';
revoke all on function app_hidden.recording_link_row(uuid) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_hidden.recording_link_row(uuid) to app_visitor;

create or replace function app_hidden.claim_recording_link(link_id uuid, out call_record_id uuid, out location text, out reason text)
 returns record
 language plpgsql
 volatile
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
declare
  link record;
  stored bytea;
begin
  select * into link from app_hidden.recording_link_row(claim_recording_link.link_id);
  if not found or link.user_id is distinct from auth.uid() then
    raise exception 'No such recording link.' using errcode = 'CC962';
  end if;
  if link.used_at is not null then
    raise exception 'This recording link has been used already: ask for a new one.' using errcode = 'CC963';
  end if;
  if link.expires_at <= now() then
    raise exception 'This recording link has expired: ask for a new one.' using errcode = 'CC964';
  end if;
  if not app_hidden.has_permission('accessRecordings') then
    raise exception 'Opening recordings needs accessRecordings, which you no longer hold.' using errcode = 'CC502';
  end if;
  -- As the person: row-level security decides whether they still see the call.
  select c.recording_url_encrypted into stored from app_public.call_center_records c where c.id = link.call_record_id;
  if not found then
    raise exception 'You may no longer see this call.' using errcode = 'CC965';
  end if;
  if stored is null then
    raise exception 'This call has no recording any more (cleared after CALL_RECORDING_RETENTION_DAYS).' using errcode = 'CC961';
  end if;
  if not app_hidden.mark_recording_link(claim_recording_link.link_id, true) then
    raise exception 'This recording link has been used already: ask for a new one.' using errcode = 'CC963';
  end if;
  call_record_id := link.call_record_id;
  location := app_hidden.phi_decrypt(stored);
  reason := link.reason;
end;
$function$;
comment on function app_hidden.claim_recording_link(uuid) is 'Checks the signed-in person again (still holds accessRecordings, still sees the call), claims their link once (CC962 unknown, CC963 used, CC964 expired, CC965 the call out of sight, CC961 no recording any more) and gives the server the recording''s stored location; never reaches a client.';
revoke all on function app_hidden.claim_recording_link(uuid) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_hidden.claim_recording_link(uuid) to app_visitor;

create or replace function app_hidden.write_recording_fetch_audit(link_id uuid, call_record_id uuid, reason text, details jsonb)
 returns void
 language sql
 volatile security definer
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
  insert into app_public.audit_logs (actor_user_id, actor_email, actor_role, action, table_name, record_id, changed_columns, details)
  select auth.uid(), auth.email()::citext, auth.role(), 'reveal', 'app_public.call_center_records', write_recording_fetch_audit.call_record_id::text,
         array['recording_url'],
         jsonb_build_object('reason', left(coalesce(write_recording_fetch_audit.reason, ''), 500), 'recording_link', write_recording_fetch_audit.link_id,
                            'event', 'recording_fetched') || coalesce(write_recording_fetch_audit.details, '{}')
  where exists (select 1 from app_private.recording_links l where l.id = write_recording_fetch_audit.link_id and l.user_id = auth.uid()
                  and l.call_record_id = write_recording_fetch_audit.call_record_id and l.used_at is not null)
$function$;
comment on function app_hidden.write_recording_fetch_audit(uuid,uuid,text,jsonb) is 'Records that a person listened to (fetched) a call''s recording through their claimed link; not counted against the reveal limits (the link''s issue was).';
revoke all on function app_hidden.write_recording_fetch_audit(uuid,uuid,text,jsonb) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_hidden.write_recording_fetch_audit(uuid,uuid,text,jsonb) to app_visitor;
--! EndIncluded recordings/links.sql
--! Included recordings/retention.sql
-- CALL_RECORDING_RETENTION_DAYS: the worker's daily retention__recordings
-- clears the recording location of calls that started more than that many
-- days ago (the call and its figures stay; only the way to its audio goes),
-- and deletes recording links past their expiry. The copy a ReportCall post
-- keeps (app_private.cdr_report_calls, matched to calls again when they are
-- rebuilt) is cleared too, so no rebuild brings a location back. One audit
-- row per run.
create or replace function app_private.clear_old_recordings(as_of timestamp with time zone, retention_days integer, batch_size integer default 5000,
  out cleared integer, out report_copies_cleared integer, out links_deleted integer)
 returns record
 language plpgsql
 volatile security definer
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
begin
  if retention_days is null or retention_days < 1 then
    raise exception 'retention_days must be at least 1.' using errcode = '22023';
  end if;
  with doomed as (
    select c.id from app_public.call_center_records c
     where c.call_start_time < clear_old_recordings.as_of - make_interval(days => clear_old_recordings.retention_days)
       and c.recording_url_encrypted is not null
     order by c.call_start_time
     limit clear_old_recordings.batch_size
     for update skip locked
  )
  update app_public.call_center_records c set recording_url_encrypted = null, recording_available = false
    from doomed where c.id = doomed.id;
  get diagnostics cleared = row_count;
  with doomed as (
    select r.id from app_private.cdr_report_calls r
     where r.started_at < clear_old_recordings.as_of - make_interval(days => clear_old_recordings.retention_days)
       and r.recording_url_encrypted is not null
     limit clear_old_recordings.batch_size
     for update skip locked
  )
  update app_private.cdr_report_calls r set recording_url_encrypted = null from doomed where r.id = doomed.id;
  get diagnostics report_copies_cleared = row_count;
  delete from app_private.recording_links l where l.expires_at < clear_old_recordings.as_of;
  get diagnostics links_deleted = row_count;
end;
$function$;
comment on function app_private.clear_old_recordings(timestamp with time zone,integer,integer) is 'Clears (sets NULL, recording no longer available) the recording location of at most batch_size calls that started more than retention_days days before as_of, and of as many ReportCall copies (app_private.cdr_report_calls), and deletes the recording links expired by as_of; returns how many of each. Called by retention__recordings until both batches come back short.';
revoke all on function app_private.clear_old_recordings(timestamp with time zone,integer,integer) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_private.clear_old_recordings(timestamp with time zone,integer,integer) to app_worker;
--! EndIncluded recordings/retention.sql
--! Included phi/reveal-rules.sql
create or replace function app_hidden.check_reveal(reason text)
 returns void
 language plpgsql
 security definer
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
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
$function$;
comment on function app_hidden.check_reveal(text) is 'Refuses a reveal without a reason of at least 5 characters (CC504), or beyond the person''s limit per minute (CC505) or per 24 hours (CC506).';
revoke all on function app_hidden.check_reveal(text) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_hidden.check_reveal(text) to app_visitor;

create or replace function app_hidden.reveal_limits(out per_minute integer, out per_day integer)
 returns record
 language sql
 stable
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
  select coalesce(nullif(current_setting('app.phi_reveal_limit_per_minute', true), '')::integer, 10),
         coalesce(nullif(current_setting('app.phi_reveal_limit_per_day', true), '')::integer, 200)
$function$;
comment on function app_hidden.reveal_limits() is 'Reveals a person may make per minute and per 24 hours: the server''s PHI_REVEAL_LIMIT_PER_MINUTE and PHI_REVEAL_LIMIT_PER_DAY (transaction settings), 10 and 200 when a session has none.';
revoke all on function app_hidden.reveal_limits() from public, app_visitor, app_worker, app_analyst, app_authenticator;

create or replace function app_hidden.reveals_since(actor uuid, since timestamp with time zone)
 returns integer
 language sql
 stable security definer
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
  select count(*)::integer from app_public.audit_logs l
   where l.actor_user_id = reveals_since.actor and l.action = 'reveal' and l.occurred_at > reveals_since.since
     and l.details ->> 'event' is distinct from 'recording_fetched'
$function$;
comment on function app_hidden.reveals_since(uuid,timestamp with time zone) is 'How many reveals of patient data a person has made since a moment (their reveal rows in the audit log; fetching a recording link counts nothing more, the link''s issue counted).';
revoke all on function app_hidden.reveals_since(uuid,timestamp with time zone) from public, app_visitor, app_worker, app_analyst, app_authenticator;

create or replace function app_hidden.write_reveal_audit(table_name text, record_id uuid, fields text[], reason text)
 returns void
 language sql
 security definer
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
  insert into app_public.audit_logs (actor_user_id, actor_email, actor_role, action, table_name, record_id, changed_columns, details)
  values (auth.uid(), auth.email()::citext, auth.role(), 'reveal', write_reveal_audit.table_name, write_reveal_audit.record_id::text,
          write_reveal_audit.fields, jsonb_build_object('reason', left(coalesce(write_reveal_audit.reason, ''), 500)))
$function$;
comment on function app_hidden.write_reveal_audit(text,uuid,text[],text) is 'Records that a person saw protected fields of a record.';
revoke all on function app_hidden.write_reveal_audit(text,uuid,text[],text) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_hidden.write_reveal_audit(text,uuid,text[],text) to app_visitor;
--! EndIncluded phi/reveal-rules.sql
--! Included phi/reveal-call-center-record.sql
create or replace function app_public.reveal_call_center_record(record_id uuid, fields text[] default NULL::text[], reason text default NULL::text)
 returns jsonb
 language plpgsql
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
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
  -- The recording: a one-time link to this service (app_public.request_recording_link), never the PBX's address.
  if 'recording_url' = any (wanted) then
    result := result || jsonb_build_object('recording_url', case when r.recording_url_encrypted is not null
                                                                 then (app_hidden.new_recording_link(record_id, reason)).url end);
  end if;
  if 'compliance_notes' = any (wanted) then result := result || jsonb_build_object('compliance_notes', app_hidden.phi_decrypt(r.compliance_notes_encrypted)); end if;
  perform app_hidden.write_reveal_audit('app_public.call_center_records', record_id, wanted, reason);
  return result;
end;
$function$;
comment on function app_public.reveal_call_center_record(uuid,text[],text) is 'Shows the protected fields of a call you may see (caller number and name, MRN, compliance notes; with accessRecordings, recording_url: a one-time link to this service that streams the recording, valid RECORDING_LINK_SECONDS, NULL when the call has none), and records the reveal in the audit log with your reason. The reason is required (at least 5 characters); reveals are limited per person per minute and per 24 hours.';
revoke all on function app_public.reveal_call_center_record(uuid,text[],text) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_public.reveal_call_center_record(uuid,text[],text) to app_visitor;
--! EndIncluded phi/reveal-call-center-record.sql
--! Included qa/recording.sql
-- A review's recording: whether there is one (every reader of the review),
-- and a one-time link to it (accessRecordings only, through the call's reveal: a
-- reason, the reveal limits and an audit row). No QA answer carries the PBX's address.
create or replace function app_public.quality_assurance_reviews_recording_available(r app_public.quality_assurance_reviews)
 returns boolean
 language sql
 stable
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
  select c.recording_available from app_public.call_center_records c where c.id = r.call_record_id
$function$;
comment on function app_public.quality_assurance_reviews_recording_available(app_public.quality_assurance_reviews) is 'Whether the reviewed call has a recording (NULL for a review of no call, or of a call you may not see). Its location: revealQaReviewRecording (accessRecordings).';
revoke all on function app_public.quality_assurance_reviews_recording_available(app_public.quality_assurance_reviews) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_public.quality_assurance_reviews_recording_available(app_public.quality_assurance_reviews) to app_visitor;

create or replace function app_public.reveal_qa_review_recording(review_id uuid, reason text default null)
 returns text
 language plpgsql
 volatile
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
declare
  r app_public.quality_assurance_reviews := app_hidden.qa_review_you_see(review_id);
begin
  if r.call_record_id is null then
    raise exception 'This review is of no call, so of no recording.' using errcode = 'CC312', column = 'review_id';
  end if;
  return app_public.reveal_call_center_record(r.call_record_id, array['recording_url'], reason) ->> 'recording_url';
end;
$function$;
comment on function app_public.reveal_qa_review_recording(uuid, text) is 'A one-time link (to this service, never the PBX) to the recording of a reviewed call, NULL when there is none: needs accessRecordings (CC502) and a reason; counted and audited as a reveal of the call''s patient data (revealCallCenterRecord; requestRecordingLink).';
revoke all on function app_public.reveal_qa_review_recording(uuid, text) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_public.reveal_qa_review_recording(uuid, text) to app_visitor;
--! EndIncluded qa/recording.sql
