--! Previous: sha1:56b5e4ee0a0539c7dc0853dec5c7121212c4c053
--! Hash: sha1:5fba568337c97c24d8bc61fa6c2db77dd99e0f8e
--! Message: real 3CX feeds (1): body zones, raw-to-call links, PBX directory, call route, unknown answer times, feed samples

/*
 * Real 3CX feeds (1): what the ingestion must remember to read them right.
 *
 * - The zone a raw body's 3CX times are in travels with the body (3CX writes
 *   UTC; a PBX set otherwise, or a backfill of such a PBX's files, says so),
 *   so a body can be read again under another zone.
 * - Which raw bodies made which call, so a call can be rebuilt from its
 *   bodies (cdr:reprocess, a number classified in the directory).
 * - The PBX's own numbers that are neither agents nor queues (IVRs, ring
 *   groups, voicemail, other), so a feed without type fields can be read.
 * - The route a call took through the PBX and where it ended, so a call that
 *   ended in an IVR or a queue with nobody answering is an abandon, and IVR
 *   abandons are counted apart.
 * - An answered call whose agent-answer time the record cannot tell (a queue
 *   or IVR picked it up first) keeps answer time, wait and talk NULL.
 * - Recent live records' end times beside their arrival, for the health
 *   check's clock test.
 */

alter table app_private.cdr_raw
  add column if not exists cdr_time_zone text check (cdr_time_zone is null or length(cdr_time_zone) between 1 and 64);
comment on column app_private.cdr_raw.cdr_time_zone is 'Zone the body''s 3CX times are read in (NULL: THREECX_CDR_TIMEZONE, UTC by default); set by cdr:import --timezone and cdr:reprocess --timezone.';

create table if not exists app_private.cdr_raw_calls (
  call_id text not null,
  raw_id bigint not null references app_private.cdr_raw (id) on delete cascade,
  primary key (call_id, raw_id)
);
create index if not exists cdr_raw_calls_raw_idx on app_private.cdr_raw_calls (raw_id);
comment on table app_private.cdr_raw_calls is 'Which raw CDR bodies brought records of which call (by 3CX call id): a call is rebuilt from these bodies.';
grant select, insert, delete on app_private.cdr_raw_calls to app_worker;

/* The PBX directory beside agents and queues. */
create table if not exists app_public.pbx_numbers (
  number text primary key check (number ~ '^[0-9]{2,8}$'),
  kind text not null default 'unknown' check (kind in ('ivr', 'ring_group', 'voicemail', 'other', 'unknown')),
  name text check (length(name) <= 200),
  location text references app_public.locations (name) on update cascade on delete set null,
  first_seen_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
comment on table app_public.pbx_numbers is 'The phone system''s numbers that are neither agents (agents) nor queues (queues): IVRs (digital receptionists), ring groups, voicemail and other system numbers. A number first seen in a call''s route and known nowhere is added as unknown for an administrator to classify; its calls are read again when it is.';
comment on column app_public.pbx_numbers.number is 'The number (3CX DN, without the Ext. prefix).';
comment on column app_public.pbx_numbers.kind is 'ivr, ring_group, voicemail, other, or unknown (not yet classified).';
comment on column app_public.pbx_numbers.name is 'Name shown for it (e.g. Main menu).';
comment on column app_public.pbx_numbers.location is 'Location it serves, when one.';
comment on column app_public.pbx_numbers.first_seen_at is 'When a call first passed it (NULL: entered by hand before any call).';
comment on column app_public.pbx_numbers.created_at is 'When the row was created.';
comment on column app_public.pbx_numbers.updated_at is 'When the row last changed.';
drop trigger if exists _100_timestamps on app_public.pbx_numbers;
create trigger _100_timestamps before insert or update on app_public.pbx_numbers for each row execute function app_private.tg__timestamps();
select app_private.secure_table('app_public.pbx_numbers');
drop policy if exists select_signed_in on app_public.pbx_numbers;
create policy select_signed_in on app_public.pbx_numbers for select to app_visitor using ((select auth.uid()) is not null);
drop policy if exists manage_configure_metrics on app_public.pbx_numbers;
create policy manage_configure_metrics on app_public.pbx_numbers for all to app_visitor
  using ((select app_hidden.has_permission('configureMetrics'))) with check ((select app_hidden.has_permission('configureMetrics')));
grant select, delete on app_public.pbx_numbers to app_visitor;
grant insert (number, kind, name, location), update (kind, name, location) on app_public.pbx_numbers to app_visitor;
grant select, insert, update on app_public.pbx_numbers to app_worker;

/* The route and the end of a call. */
alter table app_public.call_center_records
  add column if not exists pbx_route text[] not null default '{}',
  add column if not exists ended_in text check (ended_in in ('agent', 'queue', 'ivr', 'ring_group', 'voicemail', 'other', 'unknown', 'outside'));
comment on column app_public.call_center_records.pbx_route is 'The phone system''s numbers the call passed, in order (queues, IVRs, ring groups, agents), from the CDR chain.';
comment on column app_public.call_center_records.ended_in is 'What the call ended on: agent, queue, ivr, ring_group, voicemail, other, unknown (a number not yet classified) or outside (an outside number). An abandoned call that ended in an IVR is an IVR abandon, counted apart from every queue.';
create index if not exists call_center_records_route_idx on app_public.call_center_records using gin (pbx_route);
grant select (pbx_route, ended_in) on app_public.call_center_records to app_visitor;

/* An answered call or leg whose agent-answer time the record cannot tell keeps it NULL (never the queue's pick-up). */
alter table app_public.call_center_records add column if not exists answer_time_known boolean not null default true;
comment on column app_public.call_center_records.answer_time_known is 'False on an answered call whose agent-answer time the record cannot tell (a queue or IVR picked it up first): answer time, wait and talk are NULL and counted apart.';
grant select (answer_time_known) on app_public.call_center_records to app_visitor;
alter table app_public.call_center_records drop constraint if exists call_center_records_check2;
alter table app_public.call_center_records drop constraint if exists call_center_records_answered_check;
alter table app_public.call_center_records add constraint call_center_records_answered_check
  check (call_status not in ('completed', 'transferred') or call_answer_time is not null or not answer_time_known);
comment on column app_public.call_center_records.call_answer_time is 'When the first agent answered (never when a queue or IVR picked the call up); NULL on an answered call when the record cannot tell it (wait and talk are then NULL too, and counted apart).';
alter table app_public.call_legs drop constraint if exists call_legs_check2;
alter table app_public.call_legs drop constraint if exists call_legs_answered_check;
alter table app_public.call_legs add constraint call_legs_answered_check
  check (outcome not in ('answered', 'transferred') or answered_at is not null or not answer_known);
comment on column app_public.call_legs.answered_at is 'When the agent answered; NULL on an answered leg (answer_known false) when the record cannot tell it.';

/* Live records' end times beside their arrival: the health check's clock test and type-field test. */
create table if not exists app_private.cdr_feed_samples (
  id bigint generated always as identity primary key,
  raw_id bigint not null references app_private.cdr_raw (id) on delete cascade,
  received_at timestamptz not null,
  record_end timestamptz not null,
  has_type_fields boolean not null
);
comment on table app_private.cdr_feed_samples is 'The latest 3CX records that arrived live (webhook, socket): when each arrived and when its call ended as the record says, and whether it carried the type fields. The health check reads the last 50.';
grant select, insert, delete on app_private.cdr_feed_samples to app_worker;
drop trigger if exists _900_audit on app_public.pbx_numbers;
create trigger _900_audit after insert or update or delete on app_public.pbx_numbers for each row execute function app_private.tg__audit('number');
