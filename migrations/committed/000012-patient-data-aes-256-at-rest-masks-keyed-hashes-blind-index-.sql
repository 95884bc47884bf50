--! Previous: sha1:0930396ca234eb41ca44207475a1f4a618478386
--! Hash: sha1:e47f6a154c6e351f04268d2e3ce6611d7c508b69
--! Message: patient data: AES-256 at rest, masks, keyed hashes, blind index, audited reveals, analytics.call_facts

/*
 * Keys never live in the database. A transaction that writes or reveals
 * patient data receives them as settings (bound parameters):
 *   app.phi_keys      JSON {key id: base64 key}
 *   app.phi_key_id    the key new values use
 *   app.phi_hash_key  base64 key of the keyed hashes (never rotated)
 * A protected value is stored as bytea: key id, a zero byte, then an OpenPGP
 * symmetric message (pgcrypto, AES-256, with integrity check). The key id lets
 * keys rotate: old and new keys work side by side until `npm run phi:rotate`
 * has re-encrypted everything.
 */
create function app_hidden.phi_key(key_id text) returns text
  language plpgsql stable
  set search_path to pg_catalog, public, pg_temp
  as $$
declare
  keys jsonb := nullif(current_setting('app.phi_keys', true), '')::jsonb;
begin
  if keys is null then
    raise exception 'Patient-data keys are not available to this session.' using errcode = 'CC401';
  end if;
  if keys ->> key_id is null then
    raise exception 'Patient-data key "%" is not configured.', key_id using errcode = 'CC402';
  end if;
  return keys ->> key_id;
end;
$$;
comment on function app_hidden.phi_key(text) is 'The key material for a key id, from the session''s settings (CC401 when the session has no keys, CC402 when that key is missing).';

create function app_hidden.phi_current_key_id() returns text
  language plpgsql stable
  set search_path to pg_catalog, public, pg_temp
  as $$
declare
  kid text := nullif(current_setting('app.phi_key_id', true), '');
begin
  if kid is null then
    raise exception 'Patient-data keys are not available to this session.' using errcode = 'CC401';
  end if;
  return kid;
end;
$$;
comment on function app_hidden.phi_current_key_id() is 'The id of the key new values are encrypted with.';

create function app_hidden.phi_encrypt_bytea(data bytea) returns bytea
  language plpgsql volatile
  set search_path to pg_catalog, public, pg_temp
  as $$
declare
  kid text;
begin
  if data is null then return null; end if;
  kid := app_hidden.phi_current_key_id();
  return convert_to(kid, 'UTF8') || '\x00'::bytea
         || pgp_sym_encrypt_bytea(data, app_hidden.phi_key(kid), 'cipher-algo=aes256, s2k-mode=1, compress-algo=0');
end;
$$;
comment on function app_hidden.phi_encrypt_bytea(bytea) is 'Encrypts bytes under the current key (AES-256), prefixed with the key id.';

create function app_hidden.phi_encrypt(plaintext text) returns bytea
  language sql volatile
  set search_path to pg_catalog, public, pg_temp
  as $$ select app_hidden.phi_encrypt_bytea(convert_to(plaintext, 'UTF8')) $$;
comment on function app_hidden.phi_encrypt(text) is 'Encrypts text under the current key (AES-256), prefixed with the key id.';

create function app_hidden.phi_key_id_of(ciphertext bytea) returns text
  language sql immutable strict
  set search_path to pg_catalog, public, pg_temp
  as $$ select convert_from(substring(ciphertext from 1 for position('\x00'::bytea in ciphertext) - 1), 'UTF8') $$;
comment on function app_hidden.phi_key_id_of(bytea) is 'The id of the key a protected value is encrypted with.';

create function app_hidden.phi_decrypt_bytea(ciphertext bytea) returns bytea
  language plpgsql stable
  set search_path to pg_catalog, public, pg_temp
  as $$
declare
  kid text;
  key text;
begin
  if ciphertext is null then return null; end if;
  kid := app_hidden.phi_key_id_of(ciphertext);
  key := app_hidden.phi_key(kid);
  begin
    return pgp_sym_decrypt_bytea(substring(ciphertext from position('\x00'::bytea in ciphertext) + 1), key);
  exception when others then
    raise exception 'Patient-data key "%" does not open this value (wrong key or damaged data).', kid using errcode = 'CC403';
  end;
end;
$$;
comment on function app_hidden.phi_decrypt_bytea(bytea) is 'Decrypts a protected value with the key it names (CC403 when that key does not open it).';

create function app_hidden.phi_decrypt(ciphertext bytea) returns text
  language sql stable
  set search_path to pg_catalog, public, pg_temp
  as $$ select convert_from(app_hidden.phi_decrypt_bytea(ciphertext), 'UTF8') $$;
comment on function app_hidden.phi_decrypt(bytea) is 'Decrypts a protected text value.';

create function app_hidden.phi_reencrypt(ciphertext bytea) returns bytea
  language sql volatile
  set search_path to pg_catalog, public, pg_temp
  as $$
  select case when ciphertext is null or app_hidden.phi_key_id_of(ciphertext) = app_hidden.phi_current_key_id() then ciphertext
              else app_hidden.phi_encrypt_bytea(app_hidden.phi_decrypt_bytea(ciphertext)) end
$$;
comment on function app_hidden.phi_reencrypt(bytea) is 'The same value under the current key (unchanged when already on it).';

create function app_hidden.phi_hash_bytea(data bytea) returns bytea
  language plpgsql stable
  set search_path to pg_catalog, public, pg_temp
  as $$
declare
  key text := nullif(current_setting('app.phi_hash_key', true), '');
begin
  if data is null then return null; end if;
  if key is null then
    raise exception 'The patient-data hash key is not available to this session.' using errcode = 'CC404';
  end if;
  return hmac(data, decode(key, 'base64'), 'sha256');
end;
$$;
comment on function app_hidden.phi_hash_bytea(bytea) is 'Keyed hash (HMAC-SHA-256 with PHI_HASH_KEY): equal inputs, equal hashes, no way back without the key.';

/* Numbers compare by their digits; a US number with or without the leading 1 is the same caller. */
create function app_hidden.normalize_phone(number text) returns text
  language sql immutable
  set search_path to pg_catalog, public, pg_temp
  as $$
  select case
    when d = '' then null
    when length(d) = 11 and left(d, 1) = '1' then substr(d, 2)
    else d end
  from (select regexp_replace(coalesce(number, ''), '[^0-9]', '', 'g') as d) x
$$;
comment on function app_hidden.normalize_phone(text) is 'Digits only, without the US country code; NULL for withheld or empty numbers.';

create function app_hidden.caller_key(number text) returns bytea
  language sql stable
  set search_path to pg_catalog, public, pg_temp
  as $$ select app_hidden.phi_hash_bytea(convert_to(app_hidden.normalize_phone(number), 'UTF8')) $$;
comment on function app_hidden.caller_key(text) is 'The keyed hash of a caller''s number: recognises repeat callers without decrypting.';

create function app_hidden.mask_phone(number text) returns text
  language sql immutable
  set search_path to pg_catalog, public, pg_temp
  as $$
  select case when d is null then null when length(d) < 4 then '••••' else '•••-•••-' || right(d, 4) end
  from (select app_hidden.normalize_phone(number) as d) x
$$;
comment on function app_hidden.mask_phone(text) is 'A number shown as its last four digits.';

create function app_hidden.mask_name(name text) returns text
  language sql immutable
  set search_path to pg_catalog, public, pg_temp
  as $$
  select nullif(string_agg(upper(left(w, 1)) || '.', ' ' order by n), '')
  from regexp_split_to_table(coalesce(name, ''), '\s+') with ordinality as t (w, n)
  where w ~ '[[:alpha:]]'
$$;
comment on function app_hidden.mask_name(text) is 'A name shown as its initials.';

create function app_hidden.mask_text(value text) returns text
  language sql immutable
  set search_path to pg_catalog, public, pg_temp
  as $$ select case when value is null or value = '' then null else '[protected: ' || length(value) || ' characters]' end $$;
comment on function app_hidden.mask_text(text) is 'Free text shown only as its length.';

create function app_hidden.mask_mrn(mrn text) returns text
  language sql immutable
  set search_path to pg_catalog, public, pg_temp
  as $$ select case when mrn is null or mrn = '' then null else '••••' || right(mrn, 2) end $$;
comment on function app_hidden.mask_mrn(text) is 'A medical record number shown as its last two characters.';

/* Blind index: keyed hashes of the distinct words (lower case, letters and digits) of protected text. */
create function app_hidden.phi_word_hashes(value text) returns bytea[]
  language sql stable
  set search_path to pg_catalog, public, pg_temp
  as $$
  select coalesce(array_agg(distinct substring(app_hidden.phi_hash_bytea(convert_to(w, 'UTF8')) from 1 for 12)), '{}')
  from regexp_split_to_table(lower(coalesce(value, '')), '[^[:alnum:]]+') w
  where length(w) >= 2
$$;
comment on function app_hidden.phi_word_hashes(text) is 'Keyed hashes of the words of a text, for whole-word search without decrypting.';

grant execute on function
  app_hidden.phi_key(text), app_hidden.phi_current_key_id(), app_hidden.phi_encrypt_bytea(bytea), app_hidden.phi_encrypt(text),
  app_hidden.phi_key_id_of(bytea), app_hidden.phi_decrypt_bytea(bytea), app_hidden.phi_decrypt(bytea), app_hidden.phi_reencrypt(bytea),
  app_hidden.phi_hash_bytea(bytea), app_hidden.normalize_phone(text), app_hidden.caller_key(text), app_hidden.mask_phone(text),
  app_hidden.mask_name(text), app_hidden.mask_text(text), app_hidden.mask_mrn(text), app_hidden.phi_word_hashes(text)
  to app_visitor, app_worker;

/*
 * The protected columns, as data: what they hold and why. The plaintext
 * column of each is write-only (granted for insert/update, never select,
 * and held NULL at rest by a CHECK); a trigger moves the value into
 * <column>_encrypted, and, where useful, a mask and a keyed hash.
 */
create table app_private.protected_columns (
  table_name text not null,
  column_name text not null,
  reason text not null,
  primary key (table_name, column_name)
);
comment on table app_private.protected_columns is 'Columns that can hold patient data, encrypted at rest; analytics views may expose none of them.';
insert into app_private.protected_columns (table_name, column_name, reason) values
  ('app_public.call_center_records', 'caller_number', 'identifies the caller, usually the patient'),
  ('app_public.call_center_records', 'caller_name', 'names the caller'),
  ('app_public.call_center_records', 'patient_mrn', 'medical record number'),
  ('app_public.call_center_records', 'recording_url', 'leads to the recorded conversation'),
  ('app_public.call_center_records', 'compliance_notes', 'free text about the call'),
  ('app_public.call_journals', 'detailed_notes', 'free text about the patient''s call'),
  ('app_public.call_journals', 'patient_concern', 'the patient''s medical concern'),
  ('app_public.call_journals', 'resolution_provided', 'how the concern was handled; names treatments'),
  ('app_public.call_journals', 'follow_up_notes', 'free text about what happens next'),
  ('app_public.call_journals', 'coaching_notes', 'reviewer free text quoting the call'),
  ('app_private.cdr_raw', 'body', 'raw CDR lines: caller numbers and names'),
  ('app_private.cdr_dead_letters', 'line', 'a raw CDR line');

-- call_center_records
alter table app_public.call_center_records
  add column caller_number_encrypted bytea,
  add column caller_number_hash bytea,
  add column caller_number_masked text,
  add column caller_name_encrypted bytea,
  add column caller_name_masked text,
  add column patient_mrn_encrypted bytea,
  add column patient_mrn_masked text,
  add column recording_url_encrypted bytea,
  add column compliance_notes_encrypted bytea,
  add column compliance_notes_masked text,
  add constraint call_center_records_no_plaintext_phi check (
    caller_number is null and caller_name is null and patient_mrn is null and recording_url is null and compliance_notes is null);
create index call_center_records_caller_idx on app_public.call_center_records (caller_number_hash, call_start_time);
comment on column app_public.call_center_records.caller_number is 'Write-only: the caller''s number, stored encrypted (read callerNumberMasked, or reveal it).';
comment on column app_public.call_center_records.caller_name is 'Write-only: the caller''s name, stored encrypted (read callerNameMasked, or reveal it).';
comment on column app_public.call_center_records.patient_mrn is 'Write-only: patient medical record number, stored encrypted (read patientMrnMasked, or reveal it).';
comment on column app_public.call_center_records.recording_url is 'Write-only: where the recording is, stored encrypted; revealed to accessRecordings holders only.';
comment on column app_public.call_center_records.compliance_notes is 'Write-only: compliance notes, stored encrypted; set to an empty string to clear.';
comment on column app_public.call_center_records.caller_number_encrypted is E'@behavior -*\nThe caller''s number, encrypted.';
comment on column app_public.call_center_records.caller_number_hash is E'@behavior -*\nKeyed hash of the caller''s number (repeat callers, first-call resolution).';
comment on column app_public.call_center_records.caller_number_masked is 'The caller''s number, last four digits only.';
comment on column app_public.call_center_records.caller_name_encrypted is E'@behavior -*\nThe caller''s name, encrypted.';
comment on column app_public.call_center_records.caller_name_masked is 'The caller''s initials.';
comment on column app_public.call_center_records.patient_mrn_encrypted is E'@behavior -*\nThe MRN, encrypted.';
comment on column app_public.call_center_records.patient_mrn_masked is 'The MRN, last two characters only.';
comment on column app_public.call_center_records.recording_url_encrypted is E'@behavior -*\nThe recording location, encrypted.';
comment on column app_public.call_center_records.compliance_notes_encrypted is E'@behavior -*\nCompliance notes, encrypted.';
comment on column app_public.call_center_records.compliance_notes_masked is 'Compliance notes, shown only as their length.';

create function app_private.tg_call_center_records__protect() returns trigger
  language plpgsql volatile
  set search_path to pg_catalog, public, pg_temp
  as $$
begin
  if new.caller_number is not null then
    new.caller_number_encrypted := case when new.caller_number = '' then null else app_hidden.phi_encrypt(new.caller_number) end;
    new.caller_number_hash := app_hidden.caller_key(new.caller_number);
    new.caller_number_masked := app_hidden.mask_phone(new.caller_number);
    new.caller_number := null;
  end if;
  if new.caller_name is not null then
    new.caller_name_encrypted := case when new.caller_name = '' then null else app_hidden.phi_encrypt(new.caller_name) end;
    new.caller_name_masked := app_hidden.mask_name(new.caller_name);
    new.caller_name := null;
  end if;
  if new.patient_mrn is not null then
    new.patient_mrn_encrypted := case when new.patient_mrn = '' then null else app_hidden.phi_encrypt(new.patient_mrn) end;
    new.patient_mrn_masked := app_hidden.mask_mrn(new.patient_mrn);
    new.patient_mrn := null;
  end if;
  if new.recording_url is not null then
    new.recording_url_encrypted := case when new.recording_url = '' then null else app_hidden.phi_encrypt(new.recording_url) end;
    new.recording_available := new.recording_url <> '' or new.recording_available;
    new.recording_url := null;
  end if;
  if new.compliance_notes is not null then
    new.compliance_notes_encrypted := case when new.compliance_notes = '' then null else app_hidden.phi_encrypt(new.compliance_notes) end;
    new.compliance_notes_masked := app_hidden.mask_text(new.compliance_notes);
    new.compliance_notes := null;
  end if;
  return new;
end;
$$;
create trigger _020_protect before insert or update on app_public.call_center_records
  for each row execute function app_private.tg_call_center_records__protect();

-- call_journals
/* array_to_string is only stable in general; for text[] it is immutable, which a generated column needs. */
create function app_hidden.text_array_join(items text[]) returns text
  language sql immutable parallel safe
  as $$ select array_to_string(items, ' ') $$;
comment on function app_hidden.text_array_join(text[]) is 'The items of a text array joined by spaces.';

alter table app_public.call_journals
  add column detailed_notes_encrypted bytea,
  add column detailed_notes_masked text,
  add column patient_concern_encrypted bytea,
  add column patient_concern_masked text,
  add column resolution_provided_encrypted bytea,
  add column resolution_provided_masked text,
  add column follow_up_notes_encrypted bytea,
  add column follow_up_notes_masked text,
  add column coaching_notes_encrypted bytea,
  add column coaching_notes_masked text,
  add column notes_word_hashes bytea[] not null default '{}',
  add column search_vector tsvector generated always as (
    to_tsvector('english', coalesce(call_summary, '') || ' ' || coalesce(app_hidden.text_array_join(call_tags), '') || ' '
      || coalesce(app_hidden.text_array_join(action_items), '') || ' ' || coalesce(app_hidden.text_array_join(department_involved), '') || ' '
      || coalesce(referral_type, '') || ' ' || coalesce(follow_up_type, ''))
  ) stored,
  add constraint call_journals_no_plaintext_phi check (
    detailed_notes is null and patient_concern is null and resolution_provided is null and follow_up_notes is null and coaching_notes is null);
create index call_journals_search_idx on app_public.call_journals using gin (search_vector);
create index call_journals_word_hashes_idx on app_public.call_journals using gin (notes_word_hashes);
comment on column app_public.call_journals.detailed_notes is 'Write-only: detailed notes, stored encrypted (read detailedNotesMasked, or reveal them); an empty string clears.';
comment on column app_public.call_journals.patient_concern is 'Write-only: the patient''s concern, stored encrypted; an empty string clears.';
comment on column app_public.call_journals.resolution_provided is 'Write-only: how it was addressed, stored encrypted; an empty string clears.';
comment on column app_public.call_journals.follow_up_notes is 'Write-only: follow-up notes, stored encrypted; an empty string clears.';
comment on column app_public.call_journals.coaching_notes is 'Write-only: reviewer''s coaching notes (reviewJournals only), stored encrypted; an empty string clears.';
comment on column app_public.call_journals.detailed_notes_encrypted is E'@behavior -*\nDetailed notes, encrypted.';
comment on column app_public.call_journals.detailed_notes_masked is 'Detailed notes, shown only as their length.';
comment on column app_public.call_journals.patient_concern_encrypted is E'@behavior -*\nThe concern, encrypted.';
comment on column app_public.call_journals.patient_concern_masked is 'The concern, shown only as its length.';
comment on column app_public.call_journals.resolution_provided_encrypted is E'@behavior -*\nThe resolution, encrypted.';
comment on column app_public.call_journals.resolution_provided_masked is 'The resolution, shown only as its length.';
comment on column app_public.call_journals.follow_up_notes_encrypted is E'@behavior -*\nFollow-up notes, encrypted.';
comment on column app_public.call_journals.follow_up_notes_masked is 'Follow-up notes, shown only as their length.';
comment on column app_public.call_journals.coaching_notes_encrypted is E'@behavior -*\nCoaching notes, encrypted.';
comment on column app_public.call_journals.coaching_notes_masked is 'Coaching notes, shown only as their length.';
comment on column app_public.call_journals.notes_word_hashes is E'@behavior -*\nBlind index: keyed hashes of the words of the protected notes.';
comment on column app_public.call_journals.search_vector is E'@behavior -*\nFull-text index of the unprotected fields (summary, tags, action items, departments, referral and follow-up type).';

create function app_private.tg_call_journals__protect() returns trigger
  language plpgsql volatile
  set search_path to pg_catalog, public, pg_temp
  as $$
declare
  touched boolean := false;
begin
  if new.detailed_notes is not null then
    new.detailed_notes_encrypted := case when new.detailed_notes = '' then null else app_hidden.phi_encrypt(new.detailed_notes) end;
    new.detailed_notes_masked := app_hidden.mask_text(new.detailed_notes);
    touched := true;
  end if;
  if new.patient_concern is not null then
    new.patient_concern_encrypted := case when new.patient_concern = '' then null else app_hidden.phi_encrypt(new.patient_concern) end;
    new.patient_concern_masked := app_hidden.mask_text(new.patient_concern);
    touched := true;
  end if;
  if new.resolution_provided is not null then
    new.resolution_provided_encrypted := case when new.resolution_provided = '' then null else app_hidden.phi_encrypt(new.resolution_provided) end;
    new.resolution_provided_masked := app_hidden.mask_text(new.resolution_provided);
    touched := true;
  end if;
  if new.follow_up_notes is not null then
    new.follow_up_notes_encrypted := case when new.follow_up_notes = '' then null else app_hidden.phi_encrypt(new.follow_up_notes) end;
    new.follow_up_notes_masked := app_hidden.mask_text(new.follow_up_notes);
    touched := true;
  end if;
  if new.coaching_notes is not null then
    new.coaching_notes_encrypted := case when new.coaching_notes = '' then null else app_hidden.phi_encrypt(new.coaching_notes) end;
    new.coaching_notes_masked := app_hidden.mask_text(new.coaching_notes);
    touched := true;
  end if;
  if touched then
    -- The blind index covers every protected note, so it is rebuilt from all of them.
    new.notes_word_hashes := app_hidden.phi_word_hashes(concat_ws(' ',
      coalesce(new.detailed_notes, app_hidden.phi_decrypt(new.detailed_notes_encrypted)),
      coalesce(new.patient_concern, app_hidden.phi_decrypt(new.patient_concern_encrypted)),
      coalesce(new.resolution_provided, app_hidden.phi_decrypt(new.resolution_provided_encrypted)),
      coalesce(new.follow_up_notes, app_hidden.phi_decrypt(new.follow_up_notes_encrypted)),
      coalesce(new.coaching_notes, app_hidden.phi_decrypt(new.coaching_notes_encrypted))));
    new.detailed_notes := null;
    new.patient_concern := null;
    new.resolution_provided := null;
    new.follow_up_notes := null;
    new.coaching_notes := null;
  end if;
  return new;
end;
$$;
-- After the review rules (_200_), which look at whether coaching_notes was given.
create trigger _300_protect before insert or update on app_public.call_journals
  for each row execute function app_private.tg_call_journals__protect();

/*
 * The review rules compared coaching_notes with its old value; now the
 * plaintext column is always NULL at rest, a reviewer-only change shows as a
 * non-NULL coaching_notes in the statement.
 */
create or replace function app_private.tg_call_journals__review_rules() returns trigger
  language plpgsql volatile
  set search_path to pg_catalog, public, pg_temp
  as $$
declare
  reviewer boolean := auth.uid() is null or app_hidden.has_permission('reviewJournals');
begin
  if reviewer then
    if tg_op = 'DELETE' then return old; end if;
    if new.journal_status in ('reviewed', 'approved') and auth.uid() is not null
       and (tg_op = 'INSERT' or old.journal_status not in ('reviewed', 'approved') or new.reviewed_by is null) then
      new.reviewed_by := coalesce(new.reviewed_by, auth.email()::citext);
      new.reviewed_at := coalesce(new.reviewed_at, now());
    end if;
  else
    if tg_op in ('UPDATE', 'DELETE') and old.journal_status in ('reviewed', 'approved') then
      raise exception 'This journal has been reviewed; only a reviewer may change it.' using errcode = 'CC201';
    end if;
    if tg_op = 'DELETE' then return old; end if;
    if new.journal_status in ('reviewed', 'approved')
       or new.coaching_notes is not null
       or new.review_score is distinct from (case when tg_op = 'UPDATE' then old.review_score end)
       or new.reviewed_by is distinct from (case when tg_op = 'UPDATE' then old.reviewed_by end)
       or new.reviewed_at is distinct from (case when tg_op = 'UPDATE' then old.reviewed_at end) then
      raise exception 'Only reviewers (reviewJournals) may review a journal.' using errcode = 'CC202';
    end if;
  end if;
  if new.journal_status <> 'draft' and new.submitted_at is null then
    new.submitted_at := now();
  end if;
  return new;
end;
$$;

-- Raw CDRs and dead letters: stored encrypted as a whole; a keyed hash spots repeats.
alter table app_private.cdr_raw drop column body_sha256;
alter table app_private.cdr_raw alter column body drop not null;
alter table app_private.cdr_raw
  add column body_encrypted bytea,
  add column body_hash bytea,
  add column body_bytes integer check (body_bytes >= 0),
  add constraint cdr_raw_no_plaintext check (body is null),
  add constraint cdr_raw_has_body check (body_encrypted is not null);
comment on column app_private.cdr_raw.body is 'Write-only: the body as received; stored encrypted in body_encrypted.';
comment on column app_private.cdr_raw.body_encrypted is 'The body exactly as received (bytes, NUL and invalid UTF-8 kept), encrypted.';
comment on column app_private.cdr_raw.body_hash is 'Keyed hash of the body (spots re-sent bodies without decrypting).';
alter table app_private.cdr_dead_letters
  add column line_encrypted bytea,
  add constraint cdr_dead_letters_no_plaintext check (line is null);
comment on column app_private.cdr_dead_letters.line is 'Write-only: the failing line; stored encrypted in line_encrypted.';
comment on column app_private.cdr_dead_letters.line_encrypted is 'The failing line, encrypted.';

create function app_private.tg_cdr_raw__protect() returns trigger
  language plpgsql volatile
  set search_path to pg_catalog, public, pg_temp
  as $$
begin
  if new.body is not null then
    new.body_encrypted := app_hidden.phi_encrypt_bytea(new.body);
    new.body_hash := app_hidden.phi_hash_bytea(new.body);
    new.body_bytes := length(new.body);
    new.body := null;
  end if;
  return new;
end;
$$;
create trigger _020_protect before insert or update on app_private.cdr_raw
  for each row execute function app_private.tg_cdr_raw__protect();

create function app_private.tg_cdr_dead_letters__protect() returns trigger
  language plpgsql volatile
  set search_path to pg_catalog, public, pg_temp
  as $$
begin
  if new.line is not null then
    new.line_encrypted := app_hidden.phi_encrypt_bytea(new.line);
    new.line := null;
  end if;
  return new;
end;
$$;
create trigger _020_protect before insert or update on app_private.cdr_dead_letters
  for each row execute function app_private.tg_cdr_dead_letters__protect();

/*
 * Column grants: people read masks, never ciphertext through the API (the
 * @behavior -* tags keep the encrypted columns out of GraphQL; selecting them
 * is allowed so reveal functions can run as the caller, under row-level
 * security, and decrypt with the session's keys). Plaintext columns are
 * write-only.
 */
revoke select on app_public.call_center_records from app_visitor;
revoke select on app_public.call_journals from app_visitor;
do $$
declare
  t text;
  cols text;
begin
  foreach t in array array['call_center_records', 'call_journals'] loop
    select string_agg(quote_ident(a.attname), ', ') into cols
    from pg_attribute a
    where a.attrelid = ('app_public.' || t)::regclass and a.attnum > 0 and not a.attisdropped
      and not exists (select 1 from app_private.protected_columns p where p.table_name = 'app_public.' || t and p.column_name = a.attname);
    execute format('grant select (%s) on app_public.%I to app_visitor', cols, t);
  end loop;
end;
$$;
grant insert (caller_number, caller_name, patient_mrn, recording_url, compliance_notes) on app_public.call_center_records to app_worker;
grant update (compliance_notes) on app_public.call_center_records to app_visitor;
grant insert (detailed_notes, patient_concern, resolution_provided, follow_up_notes, coaching_notes),
      update (detailed_notes, patient_concern, resolution_provided, follow_up_notes, coaching_notes)
  on app_public.call_journals to app_visitor;

/* Reveals: write one audit row per reveal (who, which record, which fields, why). */
create function app_hidden.write_reveal_audit(table_name text, record_id uuid, fields text[], reason text) returns void
  language sql volatile security definer
  set search_path to pg_catalog, public, pg_temp
  as $$
  insert into app_public.audit_logs (actor_user_id, actor_email, actor_role, action, table_name, record_id, changed_columns, details)
  values (auth.uid(), auth.email()::citext, auth.role(), 'reveal', write_reveal_audit.table_name, write_reveal_audit.record_id::text,
          write_reveal_audit.fields, jsonb_build_object('reason', left(coalesce(write_reveal_audit.reason, ''), 500)))
$$;
comment on function app_hidden.write_reveal_audit(text, uuid, text[], text) is 'Records that a person saw protected fields of a record.';
grant execute on function app_hidden.write_reveal_audit(text, uuid, text[], text) to app_visitor;

create function app_public.reveal_call_center_record(record_id uuid, fields text[] default null, reason text default null) returns jsonb
  language plpgsql volatile
  set search_path to pg_catalog, public, pg_temp
  as $$
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
$$;
comment on function app_public.reveal_call_center_record(uuid, text[], text) is 'Shows the protected fields of a call you may see (caller number and name, MRN, compliance notes; the recording location with accessRecordings), and records the reveal in the audit log with your reason.';
grant execute on function app_public.reveal_call_center_record(uuid, text[], text) to app_visitor;

create function app_public.reveal_call_journal(journal_id uuid, fields text[] default null, reason text default null) returns jsonb
  language plpgsql volatile
  set search_path to pg_catalog, public, pg_temp
  as $$
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
$$;
comment on function app_public.reveal_call_journal(uuid, text[], text) is 'Shows the protected notes of a journal you may see, and records the reveal in the audit log with your reason.';
grant execute on function app_public.reveal_call_journal(uuid, text[], text) to app_visitor;

/*
 * Journal search: full-text over the unprotected fields, or whole words in the
 * protected notes through the blind index (every word of the query must be in
 * the notes). Never decrypts. Row-level security applies (runs as the caller).
 */
create function app_public.search_call_journals(query text) returns setof app_public.call_journals
  language sql stable
  set search_path to pg_catalog, public, pg_temp
  as $$
  select j.* from app_public.call_journals j
  where length(trim(coalesce(query, ''))) > 0 and (
    j.search_vector @@ websearch_to_tsquery('english', query)
    or j.notes_word_hashes @> app_hidden.phi_word_hashes(query)
  )
  order by j.created_at desc
$$;
comment on function app_public.search_call_journals(text) is 'Journals matching the words: full-text over summary, tags, action items and departments, and whole words in the protected notes (blind index, nothing decrypted).';
grant execute on function app_public.search_call_journals(text) to app_visitor;

/*
 * analytics.call_facts: one row per call, de-identified. Callers appear only
 * as a keyed hash (count distinct callers, repeat calls); no names, numbers,
 * MRNs, recordings or notes.
 */
create view analytics.call_facts as
select
  c.id as call_record_id,
  c.call_id,
  (c.call_start_time at time zone 'America/Detroit')::date as business_day,
  c.call_start_time,
  c.call_answer_time,
  c.call_end_time,
  c.call_direction,
  c.call_type,
  c.call_status,
  c.call_outcome,
  c.location,
  c.queue_name,
  c.agent_email,
  c.agent_extension,
  c.wait_seconds,
  c.ring_duration_seconds,
  c.talk_duration_seconds,
  c.hold_time_seconds,
  c.after_call_work_seconds,
  c.transfer_count,
  c.first_call_resolution,
  c.fcr_final,
  c.appointment_scheduled,
  c.escalation_required,
  c.complaint_call,
  c.follow_up_required,
  c.customer_satisfaction_score,
  c.quality_score,
  c.campaign_id,
  c.call_priority,
  encode(c.caller_number_hash, 'hex') as caller_key
from app_public.call_center_records c;
comment on view analytics.call_facts is 'One row per call, de-identified: no caller names, numbers, MRNs, recordings or notes; callers only as caller_key, a keyed hash.';
comment on column analytics.call_facts.call_record_id is 'The call''s id.';
comment on column analytics.call_facts.call_id is '3CX call id.';
comment on column analytics.call_facts.business_day is 'Local date of the call start in the business time zone (America/Detroit).';
comment on column analytics.call_facts.call_start_time is 'Start.';
comment on column analytics.call_facts.call_answer_time is 'First agent answer.';
comment on column analytics.call_facts.call_end_time is 'End.';
comment on column analytics.call_facts.call_direction is 'inbound, outbound or internal.';
comment on column analytics.call_facts.call_type is 'appointment, prescription, billing, general or follow_up.';
comment on column analytics.call_facts.call_status is 'completed, transferred, abandoned, missed or voicemail.';
comment on column analytics.call_facts.call_outcome is 'Outcome.';
comment on column analytics.call_facts.location is 'Location.';
comment on column analytics.call_facts.queue_name is 'Queue.';
comment on column analytics.call_facts.agent_email is 'First answering agent.';
comment on column analytics.call_facts.agent_extension is 'That agent''s extension.';
comment on column analytics.call_facts.wait_seconds is 'Wait (NULL: unknown).';
comment on column analytics.call_facts.ring_duration_seconds is 'Ring time.';
comment on column analytics.call_facts.talk_duration_seconds is 'Talk time.';
comment on column analytics.call_facts.hold_time_seconds is 'Hold time.';
comment on column analytics.call_facts.after_call_work_seconds is 'After-call work.';
comment on column analytics.call_facts.transfer_count is 'Transfers.';
comment on column analytics.call_facts.first_call_resolution is 'Resolved first time.';
comment on column analytics.call_facts.fcr_final is 'FCR window closed.';
comment on column analytics.call_facts.appointment_scheduled is 'Appointment made.';
comment on column analytics.call_facts.escalation_required is 'Escalated.';
comment on column analytics.call_facts.complaint_call is 'A complaint.';
comment on column analytics.call_facts.follow_up_required is 'Needs follow-up.';
comment on column analytics.call_facts.customer_satisfaction_score is 'Rating 1–5.';
comment on column analytics.call_facts.quality_score is 'Latest completed QA score.';
comment on column analytics.call_facts.campaign_id is 'Campaign.';
comment on column analytics.call_facts.call_priority is 'Priority.';
comment on column analytics.call_facts.caller_key is 'Keyed hash of the caller''s number (hex): counts distinct and repeat callers, identifies no one.';
grant select on analytics.call_facts to app_analyst;
