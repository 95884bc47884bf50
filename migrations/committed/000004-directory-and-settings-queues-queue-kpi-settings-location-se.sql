--! Previous: sha1:9d6e17ec84addd652c714cf8be24e3bbadcf4e5b
--! Hash: sha1:78d9616e48207b7cdf48bbd76db39bc22a5906c1
--! Message: directory and settings: queues, queue KPI settings, location settings, agents

create table app_public.queues (
  id uuid primary key default gen_random_uuid(),
  name text not null unique check (length(trim(name)) between 1 and 100),
  extension text unique check (extension ~ '^[0-9]{2,8}$'),
  location_name text references app_public.locations (name) on update cascade,
  is_active boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
comment on table app_public.queues is 'Call queues (3CX queues / ring groups). A queue belongs to a location, which is how its calls are attributed.';
comment on column app_public.queues.id is 'Identifier.';
comment on column app_public.queues.name is 'Queue name as 3CX reports it.';
comment on column app_public.queues.extension is 'The queue''s extension number in 3CX.';
comment on column app_public.queues.location_name is 'The location the queue serves (NULL: shared or not yet assigned).';
comment on column app_public.queues.is_active is 'False for retired queues.';
comment on column app_public.queues.created_at is 'When the row was created.';
comment on column app_public.queues.updated_at is 'When the row last changed.';

create table app_public.queue_kpi_settings (
  queue_name text primary key references app_public.queues (name) on update cascade on delete cascade,
  sl_threshold_seconds integer not null default 20 check (sl_threshold_seconds between 1 and 3600),
  sl_goal_pct numeric(5,2) not null default 80 check (sl_goal_pct between 0 and 100),
  short_abandon_seconds integer not null default 5 check (short_abandon_seconds between 0 and 600),
  abandon_mode text not null default 'negative' check (abandon_mode in ('ignore', 'negative', 'positive')),
  fcr_window interval not null default interval '7 days' check (fcr_window > interval '0' and fcr_window <= interval '90 days'),
  business_days smallint[] not null default '{1,2,3,4,5}' check (business_days <@ '{1,2,3,4,5,6,7}'::smallint[] and cardinality(business_days) between 1 and 7),
  business_open time not null default '08:00',
  business_close time not null default '17:00',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check (business_open < business_close)
);
comment on table app_public.queue_kpi_settings is 'Per-queue KPI settings. A queue without a row uses the defaults shown here.';
comment on column app_public.queue_kpi_settings.queue_name is 'The queue.';
comment on column app_public.queue_kpi_settings.sl_threshold_seconds is 'Service-level threshold: answered within this many seconds counts as within service level.';
comment on column app_public.queue_kpi_settings.sl_goal_pct is 'Service-level goal in percent (also the target of the staffing calculation).';
comment on column app_public.queue_kpi_settings.short_abandon_seconds is 'Calls abandoned in less than this many seconds are short abandons, left out of the rates.';
comment on column app_public.queue_kpi_settings.abandon_mode is 'How abandoned calls count in the service level: ignore, negative (default) or positive.';
comment on column app_public.queue_kpi_settings.fcr_window is 'A repeat call from the same number within this window means the first call was not resolved.';
comment on column app_public.queue_kpi_settings.business_days is 'Open days, ISO numbering (1 = Monday … 7 = Sunday).';
comment on column app_public.queue_kpi_settings.business_open is 'Opening time (business time zone).';
comment on column app_public.queue_kpi_settings.business_close is 'Closing time (business time zone).';
comment on column app_public.queue_kpi_settings.created_at is 'When the row was created.';
comment on column app_public.queue_kpi_settings.updated_at is 'When the row last changed.';

create table app_public.location_configs (
  location_name text primary key references app_public.locations (name) on update cascade on delete cascade,
  business_days smallint[] not null default '{1,2,3,4,5}' check (business_days <@ '{1,2,3,4,5,6,7}'::smallint[] and cardinality(business_days) between 1 and 7),
  business_open time not null default '08:00',
  business_close time not null default '17:00',
  main_number text check (main_number ~ '^\+?[0-9]{7,15}$'),
  voicemail_extension text check (voicemail_extension ~ '^[0-9]{2,8}$'),
  settings jsonb not null default '{}' check (jsonb_typeof(settings) = 'object'),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check (business_open < business_close)
);
comment on table app_public.location_configs is 'Per-location settings: business hours and days, main number, voicemail. All locations share the business time zone.';
comment on column app_public.location_configs.location_name is 'The location.';
comment on column app_public.location_configs.business_days is 'Open days, ISO numbering (1 = Monday … 7 = Sunday).';
comment on column app_public.location_configs.business_open is 'Opening time (business time zone).';
comment on column app_public.location_configs.business_close is 'Closing time (business time zone).';
comment on column app_public.location_configs.main_number is 'The number patients call.';
comment on column app_public.location_configs.voicemail_extension is 'The voicemail box extension.';
comment on column app_public.location_configs.settings is 'Further settings as a JSON object.';
comment on column app_public.location_configs.created_at is 'When the row was created.';
comment on column app_public.location_configs.updated_at is 'When the row last changed.';
insert into app_public.location_configs (location_name) select name from app_public.locations;

create table app_public.agents (
  id uuid primary key default gen_random_uuid(),
  extension text not null unique check (extension ~ '^[0-9]{2,8}$'),
  user_email citext references app_public.users (email) on update cascade on delete set null,
  display_name text check (length(display_name) <= 200),
  location_name text references app_public.locations (name) on update cascade,
  hire_date date check (hire_date > '1950-01-01'),
  is_active boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index agents_user_email_idx on app_public.agents (user_email);
create index agents_location_idx on app_public.agents (location_name);
comment on table app_public.agents is 'The agent directory: which 3CX extension is which person, at which location, since when. Calls are attributed to agents through it.';
comment on column app_public.agents.id is 'Identifier.';
comment on column app_public.agents.extension is '3CX extension number.';
comment on column app_public.agents.user_email is 'The person (user) using the extension.';
comment on column app_public.agents.display_name is 'Name as shown in 3CX.';
comment on column app_public.agents.location_name is 'Home location of the agent.';
comment on column app_public.agents.hire_date is 'Hire date, for experience figures.';
comment on column app_public.agents.is_active is 'False when the extension is no longer used by this person.';
comment on column app_public.agents.created_at is 'When the row was created.';
comment on column app_public.agents.updated_at is 'When the row last changed.';

create trigger _100_timestamps before insert or update on app_public.queues for each row execute function app_private.tg__timestamps();
create trigger _100_timestamps before insert or update on app_public.queue_kpi_settings for each row execute function app_private.tg__timestamps();
create trigger _100_timestamps before insert or update on app_public.location_configs for each row execute function app_private.tg__timestamps();
create trigger _100_timestamps before insert or update on app_public.agents for each row execute function app_private.tg__timestamps();

select app_private.secure_table('app_public.queues');
select app_private.secure_table('app_public.queue_kpi_settings');
select app_private.secure_table('app_public.location_configs');
select app_private.secure_table('app_public.agents');

-- Settings: everyone signed in reads them; configureMetrics changes them.
create policy select_signed_in on app_public.queues for select to app_visitor using ((select auth.uid()) is not null);
create policy manage_configure_metrics on app_public.queues for all to app_visitor
  using ((select app_hidden.has_permission('configureMetrics'))) with check ((select app_hidden.has_permission('configureMetrics')));
create policy select_signed_in on app_public.queue_kpi_settings for select to app_visitor using ((select auth.uid()) is not null);
create policy manage_configure_metrics on app_public.queue_kpi_settings for all to app_visitor
  using ((select app_hidden.has_permission('configureMetrics'))) with check ((select app_hidden.has_permission('configureMetrics')));
create policy select_signed_in on app_public.location_configs for select to app_visitor using ((select auth.uid()) is not null);
create policy manage_configure_metrics on app_public.location_configs for all to app_visitor
  using ((select app_hidden.has_permission('configureMetrics'))) with check ((select app_hidden.has_permission('configureMetrics')));

-- The directory holds personal data (hire dates): the performance reading scope; configureMetrics changes it.
create policy select_in_scope on app_public.agents for select to app_visitor
  using (
    (select app_hidden.sees_all())
    or location_name = any ((select app_hidden.team_locations())::text[])
    or user_email = (select app_hidden.own_email())
  );
create policy manage_configure_metrics on app_public.agents for all to app_visitor
  using ((select app_hidden.has_permission('configureMetrics'))) with check ((select app_hidden.has_permission('configureMetrics')));

grant select, delete on app_public.queues, app_public.queue_kpi_settings, app_public.location_configs, app_public.agents to app_visitor;
grant insert (name, extension, location_name, is_active), update (name, extension, location_name, is_active) on app_public.queues to app_visitor;
grant insert (queue_name, sl_threshold_seconds, sl_goal_pct, short_abandon_seconds, abandon_mode, fcr_window, business_days, business_open, business_close),
  update (sl_threshold_seconds, sl_goal_pct, short_abandon_seconds, abandon_mode, fcr_window, business_days, business_open, business_close)
  on app_public.queue_kpi_settings to app_visitor;
grant insert (location_name, business_days, business_open, business_close, main_number, voicemail_extension, settings),
  update (business_days, business_open, business_close, main_number, voicemail_extension, settings)
  on app_public.location_configs to app_visitor;
grant insert (extension, user_email, display_name, location_name, hire_date, is_active),
  update (extension, user_email, display_name, location_name, hire_date, is_active)
  on app_public.agents to app_visitor;
grant select, insert, update on app_public.queues, app_public.queue_kpi_settings, app_public.agents to app_worker;
grant select on app_public.location_configs to app_worker;
