--! Previous: sha1:e47f6a154c6e351f04268d2e3ce6611d7c508b69
--! Hash: sha1:262706b561835daf62f30e4cb16cf2e130df3b5e
--! Message: fix: journal search helper granted; business time zone from a start-up setting

grant execute on function app_hidden.text_array_join(text[]) to app_visitor, app_worker;

/*
 * Settings the environment gives the database, written at each start-up
 * (db/bootstrap.ts): the business time zone (BUSINESS_TIMEZONE).
 */
create table app_private.settings (
  name text primary key,
  value text not null,
  updated_at timestamptz not null default now()
);
comment on table app_private.settings is 'Settings written from the environment at start-up (business_timezone).';
insert into app_private.settings (name, value) values ('business_timezone', 'America/Detroit');

create function app_hidden.business_timezone() returns text
  language sql stable security definer parallel safe
  set search_path to pg_catalog, public, pg_temp
  as $$ select coalesce((select value from app_private.settings where name = 'business_timezone'), 'America/Detroit') $$;
comment on function app_hidden.business_timezone() is 'The business time zone: business days and intervals are local dates and times in it.';
grant execute on function app_hidden.business_timezone() to app_visitor, app_worker, app_analyst;
grant usage on schema app_hidden to app_analyst;

create or replace view analytics.call_facts as
select
  c.id as call_record_id,
  c.call_id,
  (c.call_start_time at time zone app_hidden.business_timezone())::date as business_day,
  c.call_start_time,
  c.call_answer_time,
  c.call_end_time,
  c.call_direction,
  c.call_type,
  c.call_status,
  c.call_outcome,
  c.location,
  c.queue_name,
  c.agent_email,
  c.agent_extension,
  c.wait_seconds,
  c.ring_duration_seconds,
  c.talk_duration_seconds,
  c.hold_time_seconds,
  c.after_call_work_seconds,
  c.transfer_count,
  c.first_call_resolution,
  c.fcr_final,
  c.appointment_scheduled,
  c.escalation_required,
  c.complaint_call,
  c.follow_up_required,
  c.customer_satisfaction_score,
  c.quality_score,
  c.campaign_id,
  c.call_priority,
  encode(c.caller_number_hash, 'hex') as caller_key
from app_public.call_center_records c;
comment on column analytics.call_facts.business_day is 'Local date of the call start in the business time zone (BUSINESS_TIMEZONE).';
