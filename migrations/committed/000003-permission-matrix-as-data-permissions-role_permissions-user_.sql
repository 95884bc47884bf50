--! Previous: sha1:677498006ea65a76f0271eccfd1e47ee64bf7ae2
--! Hash: sha1:9d6e17ec84addd652c714cf8be24e3bbadcf4e5b
--! Message: permission matrix as data: permissions, role_permissions, user_permissions, has_permission

/*
 * The PRD's twelve permissions and which of the five roles hold them, as
 * rows. Policies ask has_permission(...), so changing a row here changes who
 * may do what, and the tests read the same rows to know what to expect.
 */
create table app_public.permissions (
  name text primary key check (name ~ '^[a-z][A-Za-z]+$'),
  description text not null
);
comment on table app_public.permissions is 'The permissions of the call-center product (the PRD''s twelve).';
comment on column app_public.permissions.name is 'Permission name as policies and the API use it, e.g. editCallJournals.';
comment on column app_public.permissions.description is 'What it allows.';
insert into app_public.permissions (name, description) values
  ('viewOwnPerformance', 'See your own calls, shifts, goals, reviews and figures.'),
  ('viewTeamPerformance', 'See the calls and figures of the locations where you are active staff.'),
  ('viewAllPerformance', 'See the calls and figures of every location.'),
  ('editCallJournals', 'Write and change call journals, and correct the facts of calls you can see.'),
  ('reviewJournals', 'Review journals: coaching notes, review score, approval.'),
  ('generateReports', 'Generate reports.'),
  ('configureMetrics', 'Change queues, KPI settings, location settings and the agent directory.'),
  ('manageGoals', 'Set and change performance goals and shifts.'),
  ('accessRecordings', 'Open call recordings.'),
  ('conductQAReviews', 'Write quality-assurance reviews.'),
  ('manageCampaigns', 'Create and run outbound campaigns.'),
  ('exportData', 'Export data.');

create table app_public.role_permissions (
  role text not null references app_public.app_roles (role) on update cascade on delete cascade,
  permission text not null references app_public.permissions (name) on update cascade on delete cascade,
  primary key (role, permission)
);
create index role_permissions_permission_idx on app_public.role_permissions (permission);
comment on table app_public.role_permissions is 'The permission matrix: which role holds which permission. Policies follow it.';
comment on column app_public.role_permissions.role is 'The role.';
comment on column app_public.role_permissions.permission is 'A permission the role holds.';
insert into app_public.role_permissions (role, permission)
select r.role, p.permission
from (values
  ('viewOwnPerformance', array['staff', 'call_center_agent', 'supervisor', 'manager', 'superadmin']),
  ('viewTeamPerformance', array['supervisor', 'manager', 'superadmin']),
  ('viewAllPerformance', array['manager', 'superadmin']),
  ('editCallJournals', array['call_center_agent', 'supervisor', 'manager', 'superadmin']),
  ('reviewJournals', array['supervisor', 'manager', 'superadmin']),
  ('generateReports', array['supervisor', 'manager', 'superadmin']),
  ('configureMetrics', array['manager', 'superadmin']),
  ('manageGoals', array['supervisor', 'manager', 'superadmin']),
  ('accessRecordings', array['supervisor', 'manager', 'superadmin']),
  ('conductQAReviews', array['supervisor', 'manager', 'superadmin']),
  ('manageCampaigns', array['manager', 'superadmin']),
  ('exportData', array['manager', 'superadmin'])
) as p (permission, roles)
cross join lateral unnest(p.roles) as r (role);

create table app_public.user_permissions (
  user_id uuid not null references app_public.users (id) on delete cascade,
  permission text not null references app_public.permissions (name) on update cascade on delete cascade,
  granted_by uuid references app_public.users (id) on delete set null,
  reason text check (length(reason) <= 500),
  expires_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (user_id, permission)
);
comment on table app_public.user_permissions is 'Extra permissions granted to one person on top of their role (for example a lead agent who may review journals), optionally until a date.';
comment on column app_public.user_permissions.user_id is 'Who receives the permission.';
comment on column app_public.user_permissions.permission is 'The permission granted.';
comment on column app_public.user_permissions.granted_by is 'Who granted it.';
comment on column app_public.user_permissions.reason is 'Why.';
comment on column app_public.user_permissions.expires_at is 'When the grant lapses (NULL: never).';
comment on column app_public.user_permissions.created_at is 'When the row was created.';
comment on column app_public.user_permissions.updated_at is 'When the row last changed.';
create trigger _100_timestamps before insert or update on app_public.user_permissions
  for each row execute function app_private.tg__timestamps();

/*
 * has_permission: the role's permissions plus the person's unexpired extra
 * grants. Security definer so policies do not recurse into these tables' own
 * policies; stable, so a policy written `(select app_hidden.has_permission('x'))`
 * evaluates it once per statement.
 */
create function app_hidden.has_permission(permission text) returns boolean
  language sql stable security definer
  set search_path to pg_catalog, public, pg_temp
  as $$
  select exists (
    select 1 from app_public.role_permissions rp
    where rp.role = auth.role() and rp.permission = has_permission.permission
  ) or exists (
    select 1 from app_public.user_permissions up
    where up.user_id = auth.uid() and up.permission = has_permission.permission
      and (up.expires_at is null or up.expires_at > now())
  )
$$;
comment on function app_hidden.has_permission(text) is 'Whether the person asking holds the permission, through their role or an extra grant.';
grant execute on function app_hidden.has_permission(text) to app_visitor, app_worker;

/*
 * The reading scope every performance table shares, as three values a policy
 * computes once per statement (each called inside `(select ...)`), so the row
 * test is a plain, indexable comparison:
 *   (select app_hidden.sees_all())
 *   or location = any ((select app_hidden.team_locations()))
 *   or agent_email = (select app_hidden.own_email())
 * viewAllPerformance: every row; viewTeamPerformance: the rows of the
 * locations where you are active staff; viewOwnPerformance: your own rows.
 * A row with no location is in no team's scope; a row with no agent is nobody's.
 */
create function app_hidden.sees_all() returns boolean
  language sql stable
  as $$ select app_hidden.has_permission('viewAllPerformance') $$;
comment on function app_hidden.sees_all() is 'Whether the person asking may see the performance data of every location.';

create function app_hidden.team_locations() returns text[]
  language sql stable
  as $$
  select case when app_hidden.has_permission('viewTeamPerformance')
    then coalesce((select array_agg(l) from app_hidden.my_location_names() l), '{}') else '{}' end
$$;
comment on function app_hidden.team_locations() is 'The locations whose performance data the person asking may see as a team lead (empty without viewTeamPerformance).';

create function app_hidden.own_email() returns citext
  language sql stable
  as $$ select case when app_hidden.has_permission('viewOwnPerformance') then auth.email()::citext end $$;
comment on function app_hidden.own_email() is 'The email of the person asking when they may see their own performance data (NULL otherwise).';

create function app_hidden.visible_people() returns citext[]
  language sql stable security definer
  set search_path to pg_catalog, public, pg_temp
  as $$
  select coalesce(array_agg(distinct e), '{}') from (
    select app_hidden.own_email() as e
    union all
    select u.email from app_public.location_staff ls join app_public.users u on u.id = ls.user_id
    where ls.is_active and ls.location_name = any (app_hidden.team_locations())
  ) people where e is not null
$$;
comment on function app_hidden.visible_people() is 'Emails of the people whose performance rows the person asking may see below sees_all(): themselves, and the active staff of their team locations.';

grant execute on function app_hidden.sees_all(), app_hidden.team_locations(), app_hidden.own_email(), app_hidden.visible_people() to app_visitor;

select app_private.secure_table('app_public.permissions');
select app_private.secure_table('app_public.role_permissions');
select app_private.secure_table('app_public.user_permissions');

create policy select_signed_in on app_public.permissions for select to app_visitor using ((select auth.uid()) is not null);
create policy manage_superadmins on app_public.permissions for all to app_visitor
  using ((select app_hidden.is_role('superadmin'))) with check ((select app_hidden.is_role('superadmin')));
create policy select_signed_in on app_public.role_permissions for select to app_visitor using ((select auth.uid()) is not null);
create policy manage_superadmins on app_public.role_permissions for all to app_visitor
  using ((select app_hidden.is_role('superadmin'))) with check ((select app_hidden.is_role('superadmin')));
create policy select_self on app_public.user_permissions for select to app_visitor using (user_id = (select auth.uid()));
create policy select_all_for_managers on app_public.user_permissions for select to app_visitor
  using ((select app_hidden.is_role('manager', 'superadmin')));
create policy manage_superadmins on app_public.user_permissions for all to app_visitor
  using ((select app_hidden.is_role('superadmin'))) with check ((select app_hidden.is_role('superadmin')));

grant select on app_public.permissions, app_public.role_permissions to app_visitor, app_worker;
grant insert, delete on app_public.role_permissions to app_visitor;
grant insert (name, description), update (description), delete on app_public.permissions to app_visitor;
grant select, delete on app_public.user_permissions to app_visitor;
grant insert (user_id, permission, granted_by, reason, expires_at), update (reason, expires_at) on app_public.user_permissions to app_visitor;
grant select on app_public.user_permissions to app_worker;
