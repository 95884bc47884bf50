--! Previous: sha1:2c1882a511833fae56ccbcebebb2712f6e124ff4
--! Hash: sha1:0930396ca234eb41ca44207475a1f4a618478386
--! Message: fix: audit trigger runs as the caller, so worker upkeep is recognised

/*
 * The audit trigger must see who is really acting (current_user is the
 * function owner inside a security-definer function), so it runs as the
 * caller and hands the row to a security-definer writer that only a trigger
 * can call (pg_trigger_depth() > 0): nobody can forge an audit row directly.
 */
create function app_hidden.write_audit(action text, table_name text, record_id text, changed_columns text[], details jsonb) returns void
  language plpgsql volatile security definer
  set search_path to pg_catalog, public, pg_temp
  as $$
begin
  if pg_trigger_depth() = 0 then
    raise exception 'Audit rows are written by the database only.' using errcode = 'CC002';
  end if;
  insert into app_public.audit_logs (actor_user_id, actor_email, actor_role, action, table_name, record_id, changed_columns, details)
  values (auth.uid(), auth.email()::citext, auth.role(), write_audit.action, write_audit.table_name, write_audit.record_id,
          write_audit.changed_columns, write_audit.details);
end;
$$;
comment on function app_hidden.write_audit(text, text, text, text[], jsonb) is 'Writes an audit row; callable from triggers only.';
grant execute on function app_hidden.write_audit(text, text, text, text[], jsonb) to app_visitor, app_worker;

create or replace function app_private.tg__audit() returns trigger
  language plpgsql volatile security invoker
  set search_path to pg_catalog, public, pg_temp
  as $$
declare
  rec jsonb := to_jsonb(case when tg_op = 'DELETE' then old else new end);
  changed text[];
  key_parts text[] := '{}';
  k text;
begin
  if current_user = 'app_worker' and auth.uid() is null then
    return null; -- derived upkeep: summarised per job run instead
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
grant execute on function app_private.tg__audit() to app_visitor, app_worker;
