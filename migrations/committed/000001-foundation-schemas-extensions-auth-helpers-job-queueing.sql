--! Previous: -
--! Hash: sha1:67ba948ff56e68927c41417aa2ae9f64b76ca262
--! Message: foundation: schemas, extensions, auth helpers, job queueing

/*
 * Schemas:
 * - app_public: what the GraphQL API exposes (PostGraphile introspects only this one)
 * - app_hidden: usable by signed-in users through grants, never exposed
 * - app_private: the owner's: raw inputs, secrets, trigger functions
 * - auth: auth.jwt(), auth.uid(), auth.email(), auth.role() for policies
 * - analytics: de-identified views for analysts (role app_analyst)
 */
create extension if not exists pgcrypto with schema public;
create extension if not exists citext with schema public;

create schema app_public;
create schema app_hidden;
create schema app_private;
create schema auth;
create schema analytics;

comment on schema app_public is 'Call-center operations: everything the GraphQL API exposes.';
comment on schema app_hidden is 'Helpers signed-in users may call, not exposed through the API.';
comment on schema app_private is 'Owner-only: raw inputs, secrets, trigger functions.';
comment on schema auth is 'Who is asking: the verified identity the server passes in request.jwt.claims.';
comment on schema analytics is 'De-identified views for analysts (role app_analyst).';

-- Nothing is executable by default; every function is granted explicitly.
alter default privileges revoke all on functions from public;
revoke all on schema public from public;
grant usage on schema public to app_visitor, app_worker, app_analyst;

grant usage on schema app_public, app_hidden, auth to app_visitor, app_worker;
grant usage on schema app_private to app_worker;
grant usage on schema analytics to app_analyst, app_worker;
-- The API login may only switch role, plus the two lookups it needs before it knows who is asking.
grant usage on schema app_hidden to app_authenticator;

/*
 * Identity. The server verifies the token, looks the user up, and passes
 * {sub, email, role} as the setting request.jwt.claims for the transaction;
 * the role is the one stored in app_public.user_roles, never a claim the
 * caller chose.
 */
create function auth.jwt() returns jsonb
  language sql stable parallel safe
  as $$ select coalesce(nullif(current_setting('request.jwt.claims', true), ''), '{}')::jsonb $$;
comment on function auth.jwt() is 'The verified claims of the person making the request ({} when none).';

create function auth.uid() returns uuid
  language sql stable parallel safe
  as $$ select nullif(auth.jwt() ->> 'sub', '')::uuid $$;
comment on function auth.uid() is 'The id (app_public.users.id) of the person making the request.';

create function auth.email() returns text
  language sql stable parallel safe
  as $$ select nullif(auth.jwt() ->> 'email', '') $$;
comment on function auth.email() is 'The email of the person making the request.';

create function auth.role() returns text
  language sql stable parallel safe
  as $$ select nullif(auth.jwt() ->> 'role', '') $$;
comment on function auth.role() is 'The application role (staff, call_center_agent, supervisor, manager, superadmin) of the person making the request.';

grant execute on function auth.jwt(), auth.uid(), auth.email(), auth.role() to app_visitor, app_worker;

/*
 * Background jobs. Everything the database wants done later goes through
 * app_private.add_job, which runs graphile_worker.add_job as the owner, so
 * triggers fired by any role can queue work.
 */
create function app_private.add_job(
  identifier text,
  payload json default '{}',
  job_key text default null,
  job_key_mode text default 'preserve_run_at',
  run_at timestamptz default null,
  max_attempts integer default null,
  queue_name text default null,
  priority integer default null
) returns void
  language plpgsql volatile security definer
  set search_path to pg_catalog, public, pg_temp
  as $$
begin
  perform graphile_worker.add_job(
    identifier,
    payload,
    queue_name => queue_name,
    run_at => run_at,
    max_attempts => max_attempts,
    job_key => job_key,
    priority => priority,
    job_key_mode => job_key_mode
  );
end;
$$;
comment on function app_private.add_job(text, json, text, text, timestamptz, integer, text, integer) is
  'Queues a graphile-worker job; security definer so triggers run by any role can queue work.';
grant execute on function app_private.add_job(text, json, text, text, timestamptz, integer, text, integer) to app_worker;

/*
 * Generic statement-level trigger that queues one job per statement:
 * tg_argv[0] = task identifier, tg_argv[1] = optional job key (duplicates
 * collapse while one waits). A COPY of 100k rows queues one job.
 */
create function app_private.tg__add_job() returns trigger
  language plpgsql volatile security definer
  set search_path to pg_catalog, public, pg_temp
  as $$
begin
  perform app_private.add_job(
    tg_argv[0],
    json_build_object('schema', tg_table_schema, 'table', tg_table_name, 'op', tg_op),
    job_key => tg_argv[1]
  );
  return null;
end;
$$;
comment on function app_private.tg__add_job() is 'Statement-level trigger: queues the job named by its first argument.';

/* created_at / updated_at upkeep, for every table that has them. */
create function app_private.tg__timestamps() returns trigger
  language plpgsql volatile
  set search_path to pg_catalog, public, pg_temp
  as $$
begin
  if tg_op = 'INSERT' then
    new.created_at := coalesce(new.created_at, now());
  else
    new.created_at := old.created_at;
  end if;
  new.updated_at := case when tg_op = 'UPDATE' and old.updated_at >= now() then old.updated_at + interval '1 millisecond' else now() end;
  return new;
end;
$$;
comment on function app_private.tg__timestamps() is 'Keeps created_at fixed and updated_at current.';

/* The job pipeline's pulse: the heartbeat task stamps it, the health check reads it. */
create table app_private.job_heartbeat (
  id boolean primary key default true check (id),
  last_run_at timestamptz not null,
  worker_id text
);
comment on table app_private.job_heartbeat is 'One row: when a worker last ran the heartbeat job. Health reads it to tell whether jobs are being processed.';
grant select, insert, update on app_private.job_heartbeat to app_worker;

/* What the health check needs, callable by the API login before anyone is known. */
create function app_hidden.health_status() returns jsonb
  language sql stable security definer
  set search_path to pg_catalog, public, pg_temp
  as $$
  select jsonb_build_object(
    'migrations_applied', (select count(*) from graphile_migrate.migrations),
    'latest_migration', (select filename from graphile_migrate.migrations order by filename desc limit 1),
    'last_job_run_at', (select last_run_at from app_private.job_heartbeat),
    'database_time', now()
  )
$$;
comment on function app_hidden.health_status() is 'Migration state and the job heartbeat, for GET /api/processing/health-check.';
grant execute on function app_hidden.health_status() to app_authenticator;
