--! Previous: sha1:67ba948ff56e68927c41417aa2ae9f64b76ca262
--! Hash: sha1:677498006ea65a76f0271eccfd1e47ee64bf7ae2
--! Message: identity: users, roles, locations, location staff, audit log

/*
 * Row-level security on every table here is enabled and forced, so even the
 * owner goes through policies. Two policies are the same everywhere and come
 * from this helper: the owner (migrations, security-definer helpers, the
 * `npm run token` script) and the worker role (background upkeep) see and
 * change every row. People get policies of their own, table by table.
 */
create function app_private.secure_table(t regclass) returns void
  language plpgsql volatile
  set search_path to pg_catalog, public, pg_temp
  as $$
begin
  execute format('alter table %s enable row level security', t);
  execute format('alter table %s force row level security', t);
  execute format('create policy owner_all on %s for all to %I using (true) with check (true)', t, current_user);
  execute format('create policy worker_all on %s for all to app_worker using (true) with check (true)', t);
end;
$$;
comment on function app_private.secure_table(regclass) is 'Enables and forces RLS on a table and adds the owner and worker policies.';

/* The five application roles of the PRD. */
create table app_public.app_roles (
  role text primary key,
  rank smallint not null unique,
  description text not null
);
comment on table app_public.app_roles is 'The five application roles, lowest to highest.';
comment on column app_public.app_roles.role is 'Role name as used in policies and tokens.';
comment on column app_public.app_roles.rank is 'Order from least (1) to most (5) access.';
comment on column app_public.app_roles.description is 'What the role is for.';
insert into app_public.app_roles (role, rank, description) values
  ('staff', 1, 'Practice staff: sees their own performance.'),
  ('call_center_agent', 2, 'Call-center agent: own calls, own journals, own performance.'),
  ('supervisor', 3, 'Supervisor: the teams of the locations where they are active staff.'),
  ('manager', 4, 'Call-center manager: every location; configures metrics, campaigns, exports.'),
  ('superadmin', 5, 'Administrator: everything, including people and their roles.');

create table app_public.locations (
  id uuid primary key default gen_random_uuid(),
  name text not null unique check (length(trim(name)) between 1 and 100),
  code text not null unique check (code ~ '^[A-Z]{2,4}$'),
  address text,
  phone text,
  is_active boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
comment on table app_public.locations is 'The practice''s locations (Ann Arbor, Wixom, Plymouth). Calls, staff and teams refer to a location by name. All share one business time zone (BUSINESS_TIMEZONE).';
comment on column app_public.locations.id is 'Identifier.';
comment on column app_public.locations.name is 'Display name; the key other tables refer to.';
comment on column app_public.locations.code is 'Short code (2-4 capital letters).';
comment on column app_public.locations.address is 'Street address.';
comment on column app_public.locations.phone is 'Main phone number of the location.';
comment on column app_public.locations.is_active is 'False when the location no longer takes calls.';
comment on column app_public.locations.created_at is 'When the row was created.';
comment on column app_public.locations.updated_at is 'When the row last changed.';
insert into app_public.locations (name, code) values ('Ann Arbor', 'AA'), ('Wixom', 'WX'), ('Plymouth', 'PL');

create table app_public.users (
  id uuid primary key default gen_random_uuid(),
  email citext not null unique check (email ~ '^[^@\s]+@[^@\s]+\.[^@\s]+$'),
  full_name text check (length(full_name) <= 200),
  is_active boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
comment on table app_public.users is 'People who may sign in. Sign-in is by a verified token whose email matches a row here; inactive users are refused.';
comment on column app_public.users.id is 'Identifier; the `sub` the server passes to the database.';
comment on column app_public.users.email is 'Work email (case-insensitive); must be in the allowed domain to sign in.';
comment on column app_public.users.full_name is 'Name shown in reports.';
comment on column app_public.users.is_active is 'False blocks sign-in without deleting history.';
comment on column app_public.users.created_at is 'When the row was created.';
comment on column app_public.users.updated_at is 'When the row last changed.';

create table app_public.user_roles (
  user_id uuid primary key references app_public.users (id) on delete cascade,
  role text not null references app_public.app_roles (role),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
comment on table app_public.user_roles is 'The one application role of each user. The server reads it at every request; a token never chooses its role.';
comment on column app_public.user_roles.user_id is 'The user.';
comment on column app_public.user_roles.role is 'Their role: staff, call_center_agent, supervisor, manager or superadmin.';
comment on column app_public.user_roles.created_at is 'When the row was created.';
comment on column app_public.user_roles.updated_at is 'When the role last changed.';

create table app_public.location_staff (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references app_public.users (id) on delete cascade,
  location_name text not null references app_public.locations (name) on update cascade,
  position text,
  is_active boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (user_id, location_name)
);
create index location_staff_location_idx on app_public.location_staff (location_name) where is_active;
comment on table app_public.location_staff is 'Who works at which location. A supervisor sees the data of the locations where they are active staff.';
comment on column app_public.location_staff.id is 'Identifier.';
comment on column app_public.location_staff.user_id is 'The person.';
comment on column app_public.location_staff.location_name is 'The location (by name).';
comment on column app_public.location_staff.position is 'Job title at this location.';
comment on column app_public.location_staff.is_active is 'False when they no longer work there.';
comment on column app_public.location_staff.created_at is 'When the row was created.';
comment on column app_public.location_staff.updated_at is 'When the row last changed.';

create table app_public.audit_logs (
  id bigint generated always as identity primary key,
  occurred_at timestamptz not null default now(),
  actor_user_id uuid,
  actor_email citext,
  actor_role text,
  action text not null check (action in ('insert', 'update', 'delete', 'reveal', 'denied', 'job_run', 'sign_in')),
  table_name text,
  record_id text,
  changed_columns text[],
  details jsonb not null default '{}'
);
create index audit_logs_occurred_at_idx on app_public.audit_logs using brin (occurred_at);
create index audit_logs_actor_idx on app_public.audit_logs (actor_user_id, occurred_at);
comment on table app_public.audit_logs is 'Who did what to which row, and when. Append-only: no role the API or the worker uses may change or delete a row. Never holds patient data in plaintext.';
comment on column app_public.audit_logs.id is 'Sequence number.';
comment on column app_public.audit_logs.occurred_at is 'When it happened.';
comment on column app_public.audit_logs.actor_user_id is 'Who did it (NULL for the system).';
comment on column app_public.audit_logs.actor_email is 'Their email at the time.';
comment on column app_public.audit_logs.actor_role is 'Their role at the time.';
comment on column app_public.audit_logs.action is 'insert, update, delete, reveal (patient data shown), denied (refused by the database), job_run or sign_in.';
comment on column app_public.audit_logs.table_name is 'The table concerned.';
comment on column app_public.audit_logs.record_id is 'The row concerned (its primary key as text).';
comment on column app_public.audit_logs.changed_columns is 'Names of the columns an update changed (never their values).';
comment on column app_public.audit_logs.details is 'Further facts without patient data (for example the reason given for a reveal).';

create trigger _100_timestamps before insert or update on app_public.locations
  for each row execute function app_private.tg__timestamps();
create trigger _100_timestamps before insert or update on app_public.users
  for each row execute function app_private.tg__timestamps();
create trigger _100_timestamps before insert or update on app_public.user_roles
  for each row execute function app_private.tg__timestamps();
create trigger _100_timestamps before insert or update on app_public.location_staff
  for each row execute function app_private.tg__timestamps();

/* Policy helpers. Security definer so they read location_staff without recursing into its policies. */
create function app_hidden.my_location_names() returns setof text
  language sql stable security definer
  set search_path to pg_catalog, public, pg_temp
  as $$
  select location_name from app_public.location_staff where user_id = auth.uid() and is_active
$$;
comment on function app_hidden.my_location_names() is 'Names of the locations where the person asking is active staff.';
grant execute on function app_hidden.my_location_names() to app_visitor;

create function app_hidden.is_role(variadic roles text[]) returns boolean
  language sql stable parallel safe
  as $$ select auth.role() = any (roles) $$;
comment on function app_hidden.is_role(text[]) is 'Whether the person asking has one of the given roles.';
grant execute on function app_hidden.is_role(text[]) to app_visitor;

/* Who is this email? Called by the API login while verifying a token, before any role is set. */
create function app_hidden.session_for_email(email text)
  returns table (user_id uuid, role text, is_active boolean)
  language sql stable security definer
  set search_path to pg_catalog, public, pg_temp
  as $$
  select u.id, r.role, u.is_active
  from app_public.users u
  left join app_public.user_roles r on r.user_id = u.id
  where u.email = session_for_email.email::citext
$$;
comment on function app_hidden.session_for_email(text) is 'The user id, role and active flag for a verified email; used by the server at sign-in.';
grant execute on function app_hidden.session_for_email(text) to app_authenticator;

/* Row-level security. */
select app_private.secure_table('app_public.app_roles');
select app_private.secure_table('app_public.locations');
select app_private.secure_table('app_public.users');
select app_private.secure_table('app_public.user_roles');
select app_private.secure_table('app_public.location_staff');
select app_private.secure_table('app_public.audit_logs');

-- app_roles, locations: everyone signed in reads; superadmins (locations: managers too) change.
create policy select_signed_in on app_public.app_roles for select to app_visitor using ((select auth.uid()) is not null);
create policy select_signed_in on app_public.locations for select to app_visitor using ((select auth.uid()) is not null);
create policy manage_admins on app_public.locations for all to app_visitor
  using ((select app_hidden.is_role('manager', 'superadmin')))
  with check ((select app_hidden.is_role('manager', 'superadmin')));

-- users: yourself; a supervisor the staff of their locations; managers and superadmins everyone.
create policy select_self on app_public.users for select to app_visitor using (id = (select auth.uid()));
create policy select_all_for_managers on app_public.users for select to app_visitor
  using ((select app_hidden.is_role('manager', 'superadmin')));
create policy select_location_for_supervisors on app_public.users for select to app_visitor
  using (
    (select app_hidden.is_role('supervisor'))
    and exists (
      select 1 from app_public.location_staff ls
      where ls.user_id = users.id and ls.is_active
        and ls.location_name in (select app_hidden.my_location_names())
    )
  );
create policy manage_superadmins on app_public.users for all to app_visitor
  using ((select app_hidden.is_role('superadmin')))
  with check ((select app_hidden.is_role('superadmin')));

-- user_roles: the same readers as users; only superadmins assign roles.
create policy select_self on app_public.user_roles for select to app_visitor using (user_id = (select auth.uid()));
create policy select_all_for_managers on app_public.user_roles for select to app_visitor
  using ((select app_hidden.is_role('manager', 'superadmin')));
create policy select_location_for_supervisors on app_public.user_roles for select to app_visitor
  using (
    (select app_hidden.is_role('supervisor'))
    and exists (
      select 1 from app_public.location_staff ls
      where ls.user_id = user_roles.user_id and ls.is_active
        and ls.location_name in (select app_hidden.my_location_names())
    )
  );
create policy manage_superadmins on app_public.user_roles for all to app_visitor
  using ((select app_hidden.is_role('superadmin')))
  with check ((select app_hidden.is_role('superadmin')));

-- location_staff: your own rows; a supervisor the rows of their locations; managers and superadmins all, and they assign.
create policy select_self on app_public.location_staff for select to app_visitor using (user_id = (select auth.uid()));
create policy select_location_for_supervisors on app_public.location_staff for select to app_visitor
  using ((select app_hidden.is_role('supervisor')) and location_name in (select app_hidden.my_location_names()));
create policy manage_managers on app_public.location_staff for all to app_visitor
  using ((select app_hidden.is_role('manager', 'superadmin')))
  with check ((select app_hidden.is_role('manager', 'superadmin')));

-- audit_logs: read by superadmins only; nobody writes through the API (no grant), nobody changes a row.
create policy select_superadmins on app_public.audit_logs for select to app_visitor
  using ((select app_hidden.is_role('superadmin')));

grant select on app_public.app_roles to app_visitor;
grant select, delete on app_public.locations to app_visitor;
grant insert (name, code, address, phone, is_active), update (name, code, address, phone, is_active) on app_public.locations to app_visitor;
grant select, delete on app_public.users to app_visitor;
grant insert (email, full_name, is_active), update (full_name, is_active) on app_public.users to app_visitor;
grant select, delete on app_public.user_roles to app_visitor;
grant insert (user_id, role), update (role) on app_public.user_roles to app_visitor;
grant select, delete on app_public.location_staff to app_visitor;
grant insert (user_id, location_name, position, is_active), update (position, is_active) on app_public.location_staff to app_visitor;
grant select on app_public.audit_logs to app_visitor;

grant select on app_public.app_roles, app_public.locations, app_public.users, app_public.user_roles, app_public.location_staff to app_worker;
grant insert on app_public.audit_logs to app_worker;
grant select on app_public.audit_logs to app_worker;
