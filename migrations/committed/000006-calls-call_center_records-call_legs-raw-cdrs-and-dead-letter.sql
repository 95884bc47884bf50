--! Previous: sha1:7b883d93c2665d19a42b5de6d172ab5eac25ee35
--! Hash: sha1:dac4840e7db9c59d0ee825a06f7c455bb11f2b34
--! Message: calls: call_center_records, call_legs, raw CDRs and dead letters

/*
 * A call is one interaction as the caller lived it (one 3CX call id); its
 * legs are the segments (ringing an agent, talking, a transfer, voicemail).
 * Queue figures count calls, agent figures count legs.
 *
 * Growth: plain tables with indexes suited to the queries (by time, by agent
 * and time, by queue and time, by location and time); see db/data-growth.md
 * for the measured sizes and why partitioning is not needed at this volume.
 */
create table app_public.call_center_records (
  id uuid primary key default gen_random_uuid(),
  call_id text not null unique check (length(call_id) between 1 and 200),

  location text references app_public.locations (name) on update cascade,
  queue_name text references app_public.queues (name) on update cascade,
  agent_extension text check (agent_extension ~ '^[0-9]{2,8}$'),
  agent_email citext references app_public.users (email) on update cascade,
  agent_name text check (length(agent_name) <= 200),

  caller_number text check (length(caller_number) <= 64),
  caller_name text check (length(caller_name) <= 200),
  called_number text check (length(called_number) <= 64),
  call_direction text not null check (call_direction in ('inbound', 'outbound', 'internal')),
  call_type text check (call_type in ('appointment', 'prescription', 'billing', 'general', 'follow_up')),

  call_start_time timestamptz not null,
  call_answer_time timestamptz,
  call_end_time timestamptz,
  ring_duration_seconds integer generated always as (
    case when call_answer_time is not null then extract(epoch from (call_answer_time - call_start_time))::integer end
  ) stored,
  talk_duration_seconds integer generated always as (
    case when call_end_time is not null and call_answer_time is not null then extract(epoch from (call_end_time - call_answer_time))::integer end
  ) stored,
  wait_seconds integer check (wait_seconds >= 0),

  call_status text not null check (call_status in ('completed', 'missed', 'abandoned', 'transferred', 'voicemail')),
  call_outcome text check (call_outcome in ('appointment_scheduled', 'information_provided', 'transfer_required', 'callback_scheduled')),
  customer_satisfaction_score integer check (customer_satisfaction_score between 1 and 5),
  quality_score numeric(5,2) check (quality_score between 0 and 100),

  patient_mrn text check (length(patient_mrn) <= 64),
  appointment_scheduled boolean not null default false,
  appointment_date date,
  appointment_type text check (length(appointment_type) <= 100),
  provider_requested text check (length(provider_requested) <= 200),

  first_call_resolution boolean,
  fcr_source text check (fcr_source in ('derived', 'manual')),
  fcr_final boolean not null default false,
  escalation_required boolean not null default false,
  complaint_call boolean not null default false,
  follow_up_required boolean not null default false,
  follow_up_date date,

  recording_available boolean not null default false,
  recording_url text,
  recording_reviewed boolean not null default false,
  compliance_notes text,

  after_call_work_seconds integer not null default 0 check (after_call_work_seconds >= 0),
  hold_time_seconds integer not null default 0 check (hold_time_seconds >= 0),
  transfer_count integer not null default 0 check (transfer_count >= 0),

  shift_id uuid references app_public.agent_shifts (id) on delete set null,
  campaign_id uuid references app_public.call_campaigns (id) on delete set null,
  call_priority text not null default 'normal' check (call_priority in ('urgent', 'high', 'normal', 'low')),

  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),

  check (call_end_time is null or call_end_time >= call_start_time),
  check (call_answer_time is null or (call_answer_time >= call_start_time and (call_end_time is null or call_answer_time <= call_end_time))),
  check (call_status not in ('completed', 'transferred') or call_answer_time is not null),
  check (call_status not in ('missed', 'abandoned') or call_answer_time is null),
  check (fcr_source is null or first_call_resolution is not null),
  check (appointment_date is null or appointment_scheduled)
);
create index call_center_records_time_idx on app_public.call_center_records (call_start_time);
create index call_center_records_agent_idx on app_public.call_center_records (agent_email, call_start_time);
create index call_center_records_location_idx on app_public.call_center_records (location, call_start_time);
create index call_center_records_queue_idx on app_public.call_center_records (queue_name, call_start_time);
create index call_center_records_outcome_idx on app_public.call_center_records (call_outcome, appointment_scheduled);
create index call_center_records_shift_idx on app_public.call_center_records (shift_id) where shift_id is not null;
create index call_center_records_campaign_idx on app_public.call_center_records (campaign_id) where campaign_id is not null;
comment on table app_public.call_center_records is 'One row per call (one 3CX call id), as the caller lived it. The agent columns are the first agent who answered; calls no agent answered, or whose agent or location is not yet known, are visible to managers and superadmins only.';
comment on column app_public.call_center_records.id is 'Identifier.';
comment on column app_public.call_center_records.call_id is '3CX call identifier.';
comment on column app_public.call_center_records.location is 'Location, from the queue or the agent (NULL until known).';
comment on column app_public.call_center_records.queue_name is 'The queue the call entered (NULL: direct call).';
comment on column app_public.call_center_records.agent_extension is 'Extension of the first agent who answered.';
comment on column app_public.call_center_records.agent_email is 'The first agent who answered (NULL: none, or extension not in the directory).';
comment on column app_public.call_center_records.agent_name is 'That agent''s name.';
comment on column app_public.call_center_records.caller_number is 'Caller''s number (patient data).';
comment on column app_public.call_center_records.caller_name is 'Caller''s name (patient data).';
comment on column app_public.call_center_records.called_number is 'Number dialled.';
comment on column app_public.call_center_records.call_direction is 'inbound, outbound or internal (internal calls are kept but left out of KPIs).';
comment on column app_public.call_center_records.call_type is 'appointment, prescription, billing, general or follow_up.';
comment on column app_public.call_center_records.call_start_time is 'When the call started.';
comment on column app_public.call_center_records.call_answer_time is 'When the first agent answered (not when a queue picked it up).';
comment on column app_public.call_center_records.call_end_time is 'When the call ended.';
comment on column app_public.call_center_records.ring_duration_seconds is 'Answer − start, seconds.';
comment on column app_public.call_center_records.talk_duration_seconds is 'End − answer, seconds.';
comment on column app_public.call_center_records.wait_seconds is 'First agent answer − start (answered) or end − start (unanswered); NULL when the data cannot tell.';
comment on column app_public.call_center_records.call_status is 'completed, transferred, abandoned, missed or voicemail.';
comment on column app_public.call_center_records.call_outcome is 'appointment_scheduled, information_provided, transfer_required or callback_scheduled.';
comment on column app_public.call_center_records.customer_satisfaction_score is 'Caller''s rating, 1–5, when collected.';
comment on column app_public.call_center_records.quality_score is 'Percentage score of the latest completed QA review of the call.';
comment on column app_public.call_center_records.patient_mrn is 'Patient medical record number (patient data).';
comment on column app_public.call_center_records.appointment_scheduled is 'An appointment was made on this call.';
comment on column app_public.call_center_records.appointment_date is 'Date of that appointment.';
comment on column app_public.call_center_records.appointment_type is 'Kind of appointment.';
comment on column app_public.call_center_records.provider_requested is 'Provider the caller asked for.';
comment on column app_public.call_center_records.first_call_resolution is 'Resolved first time (NULL: not known).';
comment on column app_public.call_center_records.fcr_source is 'derived (from repeat calls) or manual (set by a person; kept).';
comment on column app_public.call_center_records.fcr_final is 'False while the repeat-call window is open.';
comment on column app_public.call_center_records.escalation_required is 'Needed escalation.';
comment on column app_public.call_center_records.complaint_call is 'A complaint.';
comment on column app_public.call_center_records.follow_up_required is 'Needs a follow-up.';
comment on column app_public.call_center_records.follow_up_date is 'When to follow up.';
comment on column app_public.call_center_records.recording_available is 'A recording exists.';
comment on column app_public.call_center_records.recording_url is 'Where the recording is (accessRecordings only).';
comment on column app_public.call_center_records.recording_reviewed is 'Someone listened to the recording.';
comment on column app_public.call_center_records.compliance_notes is 'Compliance notes (may hold patient data).';
comment on column app_public.call_center_records.after_call_work_seconds is 'After-call work, seconds.';
comment on column app_public.call_center_records.hold_time_seconds is 'Time on hold, seconds.';
comment on column app_public.call_center_records.transfer_count is 'Transfers during the call.';
comment on column app_public.call_center_records.shift_id is 'The answering agent''s shift.';
comment on column app_public.call_center_records.campaign_id is 'The outbound campaign the call belongs to.';
comment on column app_public.call_center_records.call_priority is 'urgent, high, normal or low.';
comment on column app_public.call_center_records.created_at is 'When the row was created.';
comment on column app_public.call_center_records.updated_at is 'When the row last changed.';

create table app_public.call_legs (
  id uuid primary key default gen_random_uuid(),
  call_record_id uuid not null references app_public.call_center_records (id) on delete cascade,
  call_id text not null,
  leg_key text not null check (length(leg_key) between 1 and 200),
  leg_index integer not null default 0 check (leg_index >= 0),
  leg_type text not null check (leg_type in ('queue', 'ring', 'talk', 'transfer', 'voicemail', 'ivr', 'external')),
  location text references app_public.locations (name) on update cascade,
  queue_name text references app_public.queues (name) on update cascade,
  agent_extension text check (agent_extension ~ '^[0-9]{2,8}$'),
  agent_email citext references app_public.users (email) on update cascade,
  started_at timestamptz not null,
  answered_at timestamptz,
  ended_at timestamptz,
  ring_seconds integer generated always as (
    case when answered_at is not null then extract(epoch from (answered_at - started_at))::integer
         when ended_at is not null then extract(epoch from (ended_at - started_at))::integer end
  ) stored,
  talk_seconds integer generated always as (
    case when answered_at is not null and ended_at is not null then extract(epoch from (ended_at - answered_at))::integer end
  ) stored,
  outcome text not null check (outcome in ('answered', 'missed', 'rejected', 'abandoned', 'voicemail', 'transferred')),
  hold_seconds integer not null default 0 check (hold_seconds >= 0),
  after_call_work_seconds integer not null default 0 check (after_call_work_seconds >= 0),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (call_id, leg_key),
  check (ended_at is null or ended_at >= started_at),
  check (answered_at is null or (answered_at >= started_at and (ended_at is null or answered_at <= ended_at))),
  check (outcome not in ('answered', 'transferred') or answered_at is not null)
);
create index call_legs_call_idx on app_public.call_legs (call_record_id, leg_index);
create index call_legs_agent_idx on app_public.call_legs (agent_email, started_at);
create index call_legs_location_idx on app_public.call_legs (location, started_at);
comment on table app_public.call_legs is 'The segments of a call: ringing an agent, talking, a transfer, voicemail. Agent figures are counted per leg. Unique per call and leg (3CX history id, or a stable hash of the segment).';
comment on column app_public.call_legs.id is 'Identifier.';
comment on column app_public.call_legs.call_record_id is 'The call.';
comment on column app_public.call_legs.call_id is '3CX call identifier (same as the call''s).';
comment on column app_public.call_legs.leg_key is '3CX history id of the segment, or a stable hash of it.';
comment on column app_public.call_legs.leg_index is 'Order of the segment in the call.';
comment on column app_public.call_legs.leg_type is 'queue, ring, talk, transfer, voicemail, ivr or external.';
comment on column app_public.call_legs.location is 'Location of the agent or queue of this segment.';
comment on column app_public.call_legs.queue_name is 'Queue of the segment.';
comment on column app_public.call_legs.agent_extension is 'Extension rung or talking.';
comment on column app_public.call_legs.agent_email is 'That agent (NULL when unknown).';
comment on column app_public.call_legs.started_at is 'When the segment started (ringing).';
comment on column app_public.call_legs.answered_at is 'When the agent answered.';
comment on column app_public.call_legs.ended_at is 'When the segment ended.';
comment on column app_public.call_legs.ring_seconds is 'Ringing time, seconds.';
comment on column app_public.call_legs.talk_seconds is 'Talk time, seconds.';
comment on column app_public.call_legs.outcome is 'answered, missed, rejected, abandoned, voicemail or transferred.';
comment on column app_public.call_legs.hold_seconds is 'Hold time in this segment, seconds.';
comment on column app_public.call_legs.after_call_work_seconds is 'After-call work of this segment, seconds.';
comment on column app_public.call_legs.created_at is 'When the row was created.';
comment on column app_public.call_legs.updated_at is 'When the row last changed.';

/* Raw input exactly as it arrived; parsed by the worker. Never exposed. */
create table app_private.cdr_raw (
  id bigint generated always as identity primary key,
  received_at timestamptz not null default now(),
  source text not null check (source in ('webhook', 'socket', 'import', 'retry')),
  content_type text check (length(content_type) <= 200),
  body bytea not null,
  body_sha256 bytea generated always as (sha256(body)) stored,
  remote_addr inet,
  import_file text,
  import_offset bigint check (import_offset >= 0),
  status text not null default 'pending' check (status in ('pending', 'processed', 'dead_letter', 'partial')),
  attempts integer not null default 0 check (attempts >= 0),
  processed_at timestamptz,
  last_error text,
  check (status = 'pending' or processed_at is not null)
);
create index cdr_raw_pending_idx on app_private.cdr_raw (id) where status = 'pending';
create index cdr_raw_received_idx on app_private.cdr_raw using brin (received_at);
comment on table app_private.cdr_raw is 'Every authenticated CDR body exactly as received (bytes), before parsing. Nothing accepted is ever lost: a body is either processed into calls or dead-lettered with the reason.';
comment on column app_private.cdr_raw.body is 'The body, untouched (bytea: NUL bytes and invalid UTF-8 are kept).';

create table app_private.cdr_dead_letters (
  id bigint generated always as identity primary key,
  raw_id bigint not null references app_private.cdr_raw (id),
  line_number integer check (line_number >= 1),
  line bytea,
  field text check (length(field) <= 100),
  reason text not null check (length(reason) between 1 and 2000),
  created_at timestamptz not null default now(),
  retried_at timestamptz,
  resolved_at timestamptz
);
create index cdr_dead_letters_raw_idx on app_private.cdr_dead_letters (raw_id);
create index cdr_dead_letters_open_idx on app_private.cdr_dead_letters (created_at) where resolved_at is null;
comment on table app_private.cdr_dead_letters is 'Records that could not become calls: the raw line, the field that failed and why. npm run cdr:retry re-runs them.';

create trigger _100_timestamps before insert or update on app_public.call_center_records for each row execute function app_private.tg__timestamps();
create trigger _100_timestamps before insert or update on app_public.call_legs for each row execute function app_private.tg__timestamps();

select app_private.secure_table('app_public.call_center_records');
select app_private.secure_table('app_public.call_legs');

-- Calls: the performance reading scope. A call with no agent is nobody's own and one with no
-- location is in no team's, so such calls reach viewAllPerformance (managers, superadmins) only.
create policy select_in_scope on app_public.call_center_records for select to app_visitor
  using ((select app_hidden.sees_all()) or location = any ((select app_hidden.team_locations())::text[]) or agent_email = (select app_hidden.own_email()));
-- Facts people correct (type, outcome, follow-up, satisfaction...): editCallJournals holders, on calls they see.
create policy update_edit_call_journals on app_public.call_center_records for update to app_visitor
  using ((select app_hidden.has_permission('editCallJournals'))
         and ((select app_hidden.sees_all()) or location = any ((select app_hidden.team_locations())::text[]) or agent_email = (select app_hidden.own_email())))
  with check ((select app_hidden.has_permission('editCallJournals'))
         and ((select app_hidden.sees_all()) or location = any ((select app_hidden.team_locations())::text[]) or agent_email = (select app_hidden.own_email())));

create policy select_in_scope on app_public.call_legs for select to app_visitor
  using ((select app_hidden.sees_all()) or location = any ((select app_hidden.team_locations())::text[]) or agent_email = (select app_hidden.own_email()));

-- Timings, attribution and ingestion fields are read-only through the API: only these columns are granted for update.
grant select on app_public.call_center_records, app_public.call_legs to app_visitor;
grant update (call_type, call_outcome, customer_satisfaction_score, appointment_scheduled, appointment_date, appointment_type,
              provider_requested, first_call_resolution, escalation_required, complaint_call, follow_up_required, follow_up_date,
              recording_reviewed, compliance_notes, after_call_work_seconds, call_priority, campaign_id)
  on app_public.call_center_records to app_visitor;
grant select, insert, update, delete on app_public.call_center_records, app_public.call_legs to app_worker;
grant select, insert, update on app_private.cdr_raw, app_private.cdr_dead_letters to app_worker;
