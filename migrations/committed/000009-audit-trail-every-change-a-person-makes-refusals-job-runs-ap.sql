--! Previous: sha1:23909c0d9ed7ec95fd0c191e8d33e59725c7f08f
--! Hash: sha1:9bc895ce4d144cb551dd376f4915131456194dba
--! Message: audit trail: every change a person makes, refusals, job runs; append-only

/*
 * One audit row per row a person inserts, updates or deletes, on every app
 * table: who (from the request's claims, or the database login for direct
 * SQL), when, which table and row, which columns changed (names only, never
 * values, so no patient data). Changes made by the worker role (derived
 * upkeep) are not audited row by row; jobs record one summary row per run
 * (app_private.audit_job_run). tg_argv: the primary-key column names.
 */
create function app_private.tg__audit() returns trigger
  language plpgsql volatile security definer
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
  insert into app_public.audit_logs (actor_user_id, actor_email, actor_role, action, table_name, record_id, changed_columns, details)
  values (
    auth.uid(),
    auth.email()::citext,
    auth.role(),
    lower(tg_op),
    tg_table_schema || '.' || tg_table_name,
    array_to_string(key_parts, '/'),
    changed,
    case when auth.uid() is null then jsonb_build_object('database_user', session_user::text) else '{}'::jsonb end
  );
  return null;
end;
$$;
comment on function app_private.tg__audit() is 'Writes one audit_logs row per changed row (columns changed, never values); skips the worker''s derived upkeep.';

do $$
declare
  t record;
begin
  for t in
    select c.oid::regclass as tbl,
           (select array_agg(a.attname order by array_position(i.indkey, a.attnum))
              from pg_index i join pg_attribute a on a.attrelid = i.indrelid and a.attnum = any (i.indkey)
             where i.indrelid = c.oid and i.indisprimary) as pk
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = 'app_public' and c.relkind = 'r' and c.relname <> 'audit_logs'
  loop
    execute format(
      'create trigger _900_audit after insert or update or delete on %s for each row execute function app_private.tg__audit(%s)',
      t.tbl, (select string_agg(quote_literal(p), ', ') from unnest(t.pk) p));
  end loop;
end;
$$;

/* Refusals the database made (permission denied, our rules), recorded by the server in their own transaction. */
create function app_hidden.record_refusal(operation text, sqlstate text, message text) returns void
  language sql volatile security definer
  set search_path to pg_catalog, public, pg_temp
  as $$
  insert into app_public.audit_logs (actor_user_id, actor_email, actor_role, action, details)
  select auth.uid(), auth.email()::citext, auth.role(), 'denied',
         jsonb_build_object('operation', left(operation, 200), 'sqlstate', left(sqlstate, 5), 'message', left(message, 300))
  where auth.uid() is not null
$$;
comment on function app_hidden.record_refusal(text, text, text) is 'Records, as the signed-in person, that the database refused their request.';
grant execute on function app_hidden.record_refusal(text, text, text) to app_visitor;

/* One summary row per job run that changed data. */
create function app_private.audit_job_run(task text, details jsonb default '{}') returns void
  language sql volatile security definer
  set search_path to pg_catalog, public, pg_temp
  as $$
  insert into app_public.audit_logs (action, table_name, details)
  values ('job_run', null, jsonb_build_object('task', task) || coalesce(details, '{}'))
$$;
comment on function app_private.audit_job_run(text, jsonb) is 'Writes the one audit row a job run that changed data leaves (derived upkeep is not audited row by row).';
grant execute on function app_private.audit_job_run(text, jsonb) to app_worker;

/*
 * Append-only: no update, delete or truncate, whoever asks. Retention (7
 * years) is the one exception, and must say so in its own transaction:
 * set local app.audit_retention = 'on'.
 */
create function app_private.tg_audit_logs__append_only() returns trigger
  language plpgsql volatile
  set search_path to pg_catalog, public, pg_temp
  as $$
begin
  if tg_op = 'DELETE' and current_setting('app.audit_retention', true) = 'on' then
    return old;
  end if;
  raise exception 'The audit log is append-only.' using errcode = 'CC001';
end;
$$;
create trigger _010_append_only before update or delete on app_public.audit_logs
  for each row execute function app_private.tg_audit_logs__append_only();
create trigger _010_no_truncate before truncate on app_public.audit_logs
  for each statement execute function app_private.tg_audit_logs__append_only();
revoke update, delete, truncate on app_public.audit_logs from app_visitor, app_worker;
