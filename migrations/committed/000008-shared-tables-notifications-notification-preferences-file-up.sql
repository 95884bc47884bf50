--! Previous: sha1:db0f63e850040bb17536dc8ea62505887cda0385
--! Hash: sha1:23909c0d9ed7ec95fd0c191e8d33e59725c7f08f
--! Message: shared tables: notifications, notification preferences, file uploads, document storage

create table app_public.notifications (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references app_public.users (id) on delete cascade,
  notification_type text not null check (notification_type ~ '^[a-z][a-z_]{2,60}$'),
  channel text not null default 'in_app' check (channel in ('in_app', 'email', 'sms')),
  title text not null check (length(title) between 1 and 200),
  body text check (length(body) <= 4000),
  data jsonb not null default '{}' check (jsonb_typeof(data) = 'object'),
  dedupe_key text,
  sent_at timestamptz,
  read_at timestamptz,
  created_at timestamptz not null default now(),
  unique (user_id, dedupe_key)
);
create index notifications_user_unread_idx on app_public.notifications (user_id, created_at) where read_at is null;
comment on table app_public.notifications is 'Messages to a person (goal achieved, coaching reminder, report ready). Never holds patient data.';
comment on column app_public.notifications.id is 'Identifier.';
comment on column app_public.notifications.user_id is 'Who it is for.';
comment on column app_public.notifications.notification_type is 'Kind, e.g. goal_achieved, coaching_reminder, report_ready.';
comment on column app_public.notifications.channel is 'in_app, email or sms.';
comment on column app_public.notifications.title is 'Title.';
comment on column app_public.notifications.body is 'Text.';
comment on column app_public.notifications.data is 'Links and ids for the client (JSON object).';
comment on column app_public.notifications.dedupe_key is 'Same key, same person: sent once.';
comment on column app_public.notifications.sent_at is 'When delivered (email, SMS).';
comment on column app_public.notifications.read_at is 'When the person read it.';
comment on column app_public.notifications.created_at is 'When it was created.';

create table app_public.notification_preferences (
  user_id uuid not null references app_public.users (id) on delete cascade,
  notification_type text not null check (notification_type ~ '^[a-z][a-z_]{2,60}$'),
  channel text not null check (channel in ('in_app', 'email', 'sms')),
  enabled boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (user_id, notification_type, channel)
);
comment on table app_public.notification_preferences is 'Which notifications a person wants, on which channel. No row: the default (in-app on, others off).';
comment on column app_public.notification_preferences.user_id is 'The person.';
comment on column app_public.notification_preferences.notification_type is 'Kind of notification.';
comment on column app_public.notification_preferences.channel is 'in_app, email or sms.';
comment on column app_public.notification_preferences.enabled is 'Wanted or not.';
comment on column app_public.notification_preferences.created_at is 'When the row was created.';
comment on column app_public.notification_preferences.updated_at is 'When the row last changed.';

create table app_public.file_uploads (
  id uuid primary key default gen_random_uuid(),
  uploaded_by uuid not null references app_public.users (id) on delete restrict,
  purpose text not null check (purpose in ('cdr_import', 'report', 'attachment')),
  file_name text not null check (length(file_name) between 1 and 255 and file_name !~ '[/\\]'),
  content_type text check (length(content_type) <= 200),
  size_bytes bigint not null check (size_bytes >= 0),
  sha256 bytea check (length(sha256) = 32),
  storage_key text not null unique check (length(storage_key) between 1 and 500),
  status text not null default 'received' check (status in ('received', 'processing', 'processed', 'failed')),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index file_uploads_uploader_idx on app_public.file_uploads (uploaded_by, created_at);
comment on table app_public.file_uploads is 'Files people uploaded (CDR exports to import, attachments): metadata; the bytes are in storage under storage_key.';
comment on column app_public.file_uploads.id is 'Identifier.';
comment on column app_public.file_uploads.uploaded_by is 'Who uploaded it (set from the signed-in person).';
comment on column app_public.file_uploads.purpose is 'cdr_import, report or attachment.';
comment on column app_public.file_uploads.file_name is 'Original file name (no path).';
comment on column app_public.file_uploads.content_type is 'Media type.';
comment on column app_public.file_uploads.size_bytes is 'Size in bytes.';
comment on column app_public.file_uploads.sha256 is 'SHA-256 of the content.';
comment on column app_public.file_uploads.storage_key is 'Where the bytes are kept.';
comment on column app_public.file_uploads.status is 'received, processing, processed or failed.';
comment on column app_public.file_uploads.created_at is 'When the row was created.';
comment on column app_public.file_uploads.updated_at is 'When the row last changed.';

create table app_public.document_storage (
  id uuid primary key default gen_random_uuid(),
  title text not null check (length(title) between 1 and 300),
  document_type text not null check (document_type in ('report', 'export', 'policy', 'training', 'other')),
  location_name text references app_public.locations (name) on update cascade,
  owner_email citext not null references app_public.users (email) on update cascade,
  file_upload_id uuid references app_public.file_uploads (id) on delete set null,
  storage_key text not null unique check (length(storage_key) between 1 and 500),
  content_type text check (length(content_type) <= 200),
  size_bytes bigint check (size_bytes >= 0),
  retain_until date,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index document_storage_location_idx on app_public.document_storage (location_name, created_at);
create index document_storage_owner_idx on app_public.document_storage (owner_email, created_at);
comment on table app_public.document_storage is 'Stored documents (generated reports, exports, training material), by location; the bytes are in storage under storage_key.';
comment on column app_public.document_storage.id is 'Identifier.';
comment on column app_public.document_storage.title is 'Title.';
comment on column app_public.document_storage.document_type is 'report, export, policy, training or other.';
comment on column app_public.document_storage.location_name is 'The location it concerns (NULL: the whole practice).';
comment on column app_public.document_storage.owner_email is 'Who made or owns it (set from the signed-in person).';
comment on column app_public.document_storage.file_upload_id is 'The upload it came from.';
comment on column app_public.document_storage.storage_key is 'Where the bytes are kept.';
comment on column app_public.document_storage.content_type is 'Media type.';
comment on column app_public.document_storage.size_bytes is 'Size in bytes.';
comment on column app_public.document_storage.retain_until is 'Keep at least until (retention).';
comment on column app_public.document_storage.created_at is 'When the row was created.';
comment on column app_public.document_storage.updated_at is 'When the row last changed.';

create trigger _050_set_uploaded_by before insert on app_public.file_uploads
  for each row execute function app_private.tg__set_actor('uploaded_by', 'uid');
create trigger _050_set_owner before insert on app_public.document_storage
  for each row execute function app_private.tg__set_actor('owner_email', 'email');
create trigger _100_timestamps before insert or update on app_public.notification_preferences for each row execute function app_private.tg__timestamps();
create trigger _100_timestamps before insert or update on app_public.file_uploads for each row execute function app_private.tg__timestamps();
create trigger _100_timestamps before insert or update on app_public.document_storage for each row execute function app_private.tg__timestamps();

select app_private.secure_table('app_public.notifications');
select app_private.secure_table('app_public.notification_preferences');
select app_private.secure_table('app_public.file_uploads');
select app_private.secure_table('app_public.document_storage');

-- Notifications are personal: you read, mark read and delete your own; the worker writes them.
create policy own on app_public.notifications for all to app_visitor
  using (user_id = (select auth.uid())) with check (user_id = (select auth.uid()));
create policy own on app_public.notification_preferences for all to app_visitor
  using (user_id = (select auth.uid())) with check (user_id = (select auth.uid()));

-- Uploads: your own; managers and superadmins (viewAllPerformance) all.
create policy select_own_or_all on app_public.file_uploads for select to app_visitor
  using (uploaded_by = (select auth.uid()) or (select app_hidden.sees_all()));
create policy insert_own on app_public.file_uploads for insert to app_visitor
  with check (uploaded_by = (select auth.uid()));
create policy delete_own_or_all on app_public.file_uploads for delete to app_visitor
  using (uploaded_by = (select auth.uid()) or (select app_hidden.sees_all()));

-- Documents: yours; your team's locations; all with viewAllPerformance (practice-wide ones too). generateReports holders add them.
create policy select_in_scope on app_public.document_storage for select to app_visitor
  using ((select app_hidden.sees_all()) or owner_email = (select auth.email())::citext or location_name = any ((select app_hidden.team_locations())::text[]));
create policy insert_generate_reports on app_public.document_storage for insert to app_visitor
  with check ((select app_hidden.has_permission('generateReports'))
              and ((select app_hidden.sees_all()) or location_name = any ((select app_hidden.team_locations())::text[])));
create policy change_own_or_all on app_public.document_storage for update to app_visitor
  using (owner_email = (select auth.email())::citext or (select app_hidden.sees_all()))
  with check (owner_email = (select auth.email())::citext or (select app_hidden.sees_all()));
create policy delete_own_or_all on app_public.document_storage for delete to app_visitor
  using (owner_email = (select auth.email())::citext or (select app_hidden.sees_all()));

grant select, delete on app_public.notifications, app_public.notification_preferences, app_public.file_uploads, app_public.document_storage to app_visitor;
grant update (read_at) on app_public.notifications to app_visitor;
grant insert (user_id, notification_type, channel, enabled), update (enabled) on app_public.notification_preferences to app_visitor;
grant insert (purpose, file_name, content_type, size_bytes, sha256, storage_key) on app_public.file_uploads to app_visitor;
grant insert (title, document_type, location_name, file_upload_id, storage_key, content_type, size_bytes, retain_until),
      update (title, document_type, retain_until) on app_public.document_storage to app_visitor;
grant select, insert, update, delete on app_public.notifications, app_public.file_uploads, app_public.document_storage to app_worker;
grant select on app_public.notification_preferences to app_worker;
