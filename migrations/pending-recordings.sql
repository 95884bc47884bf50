-- Recordings through this service (issue 19): a person with accessRecordings
-- gets a one-time, short-lived link (/api/recordings/<token>) instead of the
-- PBX's address; the link's token is kept only as its SHA-256. revealCallCenterRecord
-- and revealQaReviewRecording answer such a link for recording_url. The
-- worker's retention__recordings clears the locations of calls older than
-- CALL_RECORDING_RETENTION_DAYS.
create table app_private.recording_links (
  id uuid primary key default gen_random_uuid(),
  token_hash bytea not null unique check (octet_length(token_hash) = 32),
  call_record_id uuid not null references app_public.call_center_records (id) on delete cascade,
  user_id uuid not null references app_public.users (id) on delete cascade,
  reason text not null,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  used_at timestamptz
);
create index recording_links_expires_idx on app_private.recording_links (expires_at);
create index recording_links_call_idx on app_private.recording_links (call_record_id);
create index recording_links_user_idx on app_private.recording_links (user_id);
comment on table app_private.recording_links is 'One-time links to a call''s recording: the SHA-256 of the token given out (never the token), the call, the person, their reason, the expiry and when it was used.';

create type app_public.recording_link as (url text, expires_at timestamptz, call_id uuid);
comment on type app_public.recording_link is 'A one-time link to a call''s recording, through this service.';
comment on column app_public.recording_link.url is 'The link, relative to this service (/api/recordings/<token>): GET it once, before expiresAt, with no token; it streams the recording. Never the PBX''s own address.';
comment on column app_public.recording_link.expires_at is 'When the link stops working (RECORDING_LINK_SECONDS after it was made).';
comment on column app_public.recording_link.call_id is 'The call whose recording it is.';

--!include access/app_private.recording_links.sql
--!include recordings/links.sql
--!include recordings/retention.sql
--!include phi/reveal-rules.sql
--!include phi/reveal-call-center-record.sql
--!include qa/recording.sql
