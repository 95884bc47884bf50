--! Previous: sha1:61baef4fb482927f973a92a5be0c07cb4a068c21
--! Hash: sha1:d77fa9dc7470a10582de76a9de9acd974a5a2d8f
--! Message: faster patient-data functions: one setting per key, inlinable SQL on the hot path

/*
 * The functions below run for every protected value written. They are plain
 * SQL expressions with every name schema-qualified and no SET clause, so the
 * planner inlines them (a SET clause or a PL/pgSQL body costs more than the
 * encryption itself). Keys arrive as one setting each:
 *   app.phi_key.<id>, app.phi_key_id, app.phi_hash_key
 * Missing keys still fail clearly, through the small raising functions.
 */
create function app_hidden.phi_missing_key(key_id text) returns text
  language plpgsql stable
  set search_path to pg_catalog, public, pg_temp
  as $$
begin
  if key_id is null or nullif(current_setting('app.phi_key_id', true), '') is null then
    raise exception 'Patient-data keys are not available to this session.' using errcode = 'CC401';
  end if;
  raise exception 'Patient-data key "%" is not configured.', key_id using errcode = 'CC402';
end;
$$;
comment on function app_hidden.phi_missing_key(text) is 'Raises the error for a missing key (CC401: no keys at all; CC402: that key).';

create function app_hidden.phi_missing_hash_key() returns text
  language plpgsql stable
  set search_path to pg_catalog, public, pg_temp
  as $$
begin
  raise exception 'The patient-data hash key is not available to this session.' using errcode = 'CC404';
end;
$$;
comment on function app_hidden.phi_missing_hash_key() is 'Raises the error for a missing hash key (CC404).';

create or replace function app_hidden.phi_key(key_id text) returns text
  language sql stable
  as $$
  select coalesce(nullif(pg_catalog.current_setting('app.phi_key.' || key_id, true), ''),
                  app_hidden.phi_missing_key(case when nullif(pg_catalog.current_setting('app.phi_key_id', true), '') is null then null else key_id end))
$$;

create or replace function app_hidden.phi_current_key_id() returns text
  language sql stable
  as $$ select coalesce(nullif(pg_catalog.current_setting('app.phi_key_id', true), ''), app_hidden.phi_missing_key(null)) $$;

create or replace function app_hidden.phi_encrypt_bytea(data bytea) returns bytea
  language sql volatile
  as $$
  select case when data is null then null else
    pg_catalog.convert_to(app_hidden.phi_current_key_id(), 'UTF8') || '\x00'::bytea
    || public.pgp_sym_encrypt_bytea(data, app_hidden.phi_key(app_hidden.phi_current_key_id()), 'cipher-algo=aes256, s2k-mode=1, compress-algo=0')
  end
$$;

create or replace function app_hidden.phi_encrypt(plaintext text) returns bytea
  language sql volatile
  as $$ select app_hidden.phi_encrypt_bytea(pg_catalog.convert_to(plaintext, 'UTF8')) $$;

create or replace function app_hidden.phi_key_id_of(ciphertext bytea) returns text
  language sql immutable strict
  as $$ select pg_catalog.convert_from(substring(ciphertext from 1 for position('\x00'::bytea in ciphertext) - 1), 'UTF8') $$;

create or replace function app_hidden.phi_hash_bytea(data bytea) returns bytea
  language sql stable
  as $$
  select case when data is null then null else
    public.hmac(data, pg_catalog.decode(coalesce(nullif(pg_catalog.current_setting('app.phi_hash_key', true), ''), app_hidden.phi_missing_hash_key()), 'base64'), 'sha256')
  end
$$;

-- One regular expression and no subquery (a SQL function with a FROM clause is not inlined: 20 µs a call).
create or replace function app_hidden.normalize_phone(number text) returns text
  language plpgsql immutable parallel safe
  as $$
declare
  d text := pg_catalog.regexp_replace(coalesce(number, ''), '[^0-9]', '', 'g');
begin
  if d = '' then return null; end if;
  if pg_catalog.length(d) = 11 and pg_catalog.left(d, 1) = '1' then return pg_catalog.substr(d, 2); end if;
  return d;
end;
$$;

create or replace function app_hidden.caller_key(number text) returns bytea
  language sql stable
  as $$ select app_hidden.phi_hash_bytea(pg_catalog.convert_to(app_hidden.normalize_phone(number), 'UTF8')) $$;

grant execute on function app_hidden.phi_missing_key(text), app_hidden.phi_missing_hash_key() to app_visitor, app_worker;
