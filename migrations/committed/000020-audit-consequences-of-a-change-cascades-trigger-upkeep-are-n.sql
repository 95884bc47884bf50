--! Previous: sha1:67d318aa3a7054482b63682e88784bcdfb91d5af
--! Hash: sha1:c4741194744aab85b28b4284ddc3b4baef033f71
--! Message: audit: consequences of a change (cascades, trigger upkeep) are not audited again; per-record history index

/*
 * A person's change is audited once, on the row they changed. Rows changed
 * as a consequence (a foreign-key cascade, a trigger's upkeep) run below
 * another trigger and as the table owner, so they were audited as direct SQL
 * by the owner: a retention job deleting calls wrote one audit row per leg.
 * Now changes made below another trigger are not audited, nor are rows that
 * go with their call (the call's own delete is the audit row), and the
 * worker check comes before any work.
 */
create function app_hidden.call_exists(record_id uuid) returns boolean
  language sql stable security definer
  set search_path to pg_catalog, public, pg_temp
  as $$ select exists (select 1 from app_public.call_center_records where id = record_id) $$;
comment on function app_hidden.call_exists(uuid) is 'Whether a call still exists, whoever asks (the audit trigger uses it to recognise cascades).';
grant execute on function app_hidden.call_exists(uuid) to app_visitor, app_worker;

create or replace function app_private.tg__audit() returns trigger
  language plpgsql volatile security invoker
  set search_path to pg_catalog, public, pg_temp
  as $$
declare
  rec jsonb;
  changed text[];
  key_parts text[] := '{}';
  k text;
begin
  if (current_user = 'app_worker' and auth.uid() is null) or pg_trigger_depth() > 1 then
    return null; -- derived upkeep, or a consequence of an audited change
  end if;
  rec := to_jsonb(case when tg_op = 'DELETE' then old else new end);
  if tg_op = 'DELETE' and rec ? 'call_record_id' and rec ->> 'call_record_id' is not null
     and not app_hidden.call_exists((rec ->> 'call_record_id')::uuid) then
    return null; -- removed with its call, whose delete is audited
  end if;
  foreach k in array tg_argv loop
    key_parts := key_parts || (rec ->> k);
  end loop;
  if tg_op = 'UPDATE' then
    select array_agg(n.key order by n.key) into changed
    from jsonb_each(to_jsonb(new)) n
    where n.key <> 'updated_at' and n.value is distinct from (to_jsonb(old) -> n.key);
    if changed is null then
      return null; -- nothing but the timestamp changed
    end if;
  elsif tg_op = 'INSERT' then
    select array_agg(n.key order by n.key) into changed
    from jsonb_each(rec) n where n.value <> 'null'::jsonb and n.key not in ('created_at', 'updated_at');
  end if;
  perform app_hidden.write_audit(
    lower(tg_op),
    tg_table_schema || '.' || tg_table_name,
    array_to_string(key_parts, '/'),
    changed,
    case when auth.uid() is null then jsonb_build_object('database_user', current_user::text) else '{}'::jsonb end
  );
  return null;
end;
$$;

create index audit_logs_record_idx on app_public.audit_logs (table_name, record_id, occurred_at);
