-- 000060
--!include reports/business-hours.sql
--!include reports/common.sql
--!include reports/team-performance.sql
-- 000061
--!include reports/agent-performance.sql
--!include reports/productivity.sql
-- 000062
-- Callers' area codes, apart from the calls (for the call analytics report only).
create table if not exists app_private.call_area_codes (
  call_id text primary key references app_public.call_center_records (call_id) on update cascade on delete cascade deferrable initially deferred,
  area_code text check (area_code ~ '^[2-9][0-9]{2}$')
);
comment on table app_private.call_area_codes is 'The area code of each stored call''s caller number (NULL: not a North American number), kept apart from the call for the call analytics report only (geography below state level: never in analytics.call_facts).';
comment on column app_private.call_area_codes.call_id is 'The call.';
comment on column app_private.call_area_codes.area_code is 'Area code (NPA) of the caller''s number; NULL when the number is not North American.';
create index if not exists call_area_codes_area_code_idx on app_private.call_area_codes (area_code);
--!include access/app_private.call_area_codes.sql
--!include reports/area-codes.sql
drop trigger if exists _015_area_code on app_public.call_center_records;
create trigger _015_area_code before insert or update of caller_number on app_public.call_center_records
  for each row when (new.caller_number is not null) execute function app_private.tg_call_center_records__area_code();
-- Calls stored before now: the worker decrypts their numbers (it holds the keys).
do $$ begin
  if to_regnamespace('graphile_worker') is not null then
    perform app_private.add_job('reports__area_codes', '{}'::json, job_key => 'reports__area_codes');
  end if;
end $$;
--!include reports/call-analytics.sql

-- The custom report's whitelist: every KPI, grouping and filter a custom report may name.
create table if not exists app_public.report_custom_fields (
  kind text not null check (kind in ('kpi', 'group_by', 'filter')),
  name text not null check (name ~ '^[a-z][a-z_]*$'),
  label text not null,
  value_type text not null check (value_type in ('text', 'int', 'number', 'pct', 'seconds', 'money', 'date', 'datetime', 'bool')),
  source text check (source in ('queue', 'agent')),
  sources text[] not null default '{queue,agent}' check (sources <@ '{queue,agent}'::text[]),
  description text not null,
  primary key (kind, name),
  check ((kind = 'kpi') = (source is not null))
);
do $$ begin
  if not exists (select 1 from pg_policies where schemaname = 'app_public' and tablename = 'report_custom_fields' and policyname = 'owner_all') then
    perform app_private.secure_table('app_public.report_custom_fields');
  end if;
end $$;
comment on table app_public.report_custom_fields is E'@omit create,update,delete\nWhat a custom report (reportCustom, POST /api/reports/custom) may name: its KPIs, groupings and filters. Added by migrations only; anything else is refused.';
comment on column app_public.report_custom_fields.kind is 'kpi, group_by or filter.';
comment on column app_public.report_custom_fields.name is 'The name a specification uses.';
comment on column app_public.report_custom_fields.label is 'The column''s heading in the report.';
comment on column app_public.report_custom_fields.value_type is 'How the value is shown (the report document''s value types).';
comment on column app_public.report_custom_fields.source is 'A KPI''s figures: queue (15-minute interval stats) or agent (stored agent days); one source per report.';
comment on column app_public.report_custom_fields.sources is 'The sources a grouping or filter applies to.';
comment on column app_public.report_custom_fields.description is 'What it is (docs/kpis.md''s definition for a KPI).';
insert into app_public.report_custom_fields (kind, name, label, value_type, source, sources, description) values
  ('kpi', 'offered', 'Offered', 'int', 'queue', '{queue}', 'Inbound calls that entered the queue.'),
  ('kpi', 'answered', 'Answered', 'int', 'queue', '{queue}', 'Offered calls answered by an agent.'),
  ('kpi', 'abandoned', 'Abandoned', 'int', 'queue', '{queue}', 'Offered calls abandoned, not short.'),
  ('kpi', 'short_abandoned', 'Short abandons', 'int', 'queue', '{queue}', 'Abandoned within the short-abandon threshold.'),
  ('kpi', 'service_level_pct', 'Service level', 'pct', 'queue', '{queue}', 'Answered within the threshold / the queue''s abandon-mode denominator × 100.'),
  ('kpi', 'abandonment_rate_pct', 'Abandonment', 'pct', 'queue', '{queue}', 'abandoned / (offered − short_abandoned) × 100.'),
  ('kpi', 'asa_seconds', 'ASA', 'seconds', 'queue', '{queue}', 'Σ known waits of answered calls / answered with a known wait.'),
  ('kpi', 'avg_abandon_wait_seconds', 'Abandon wait', 'seconds', 'queue', '{queue}', 'Σ waits of abandoned calls / abandoned.'),
  ('kpi', 'calls_handled', 'Handled', 'int', 'agent', '{agent}', 'Calls agents answered a leg of.'),
  ('kpi', 'calls_missed', 'Missed', 'int', 'agent', '{agent}', 'Inbound calls that rang an agent and were not answered by them.'),
  ('kpi', 'aht_seconds', 'AHT', 'seconds', 'agent', '{agent}', '(talk + hold + acw) / (handled − talk unknown).'),
  ('kpi', 'calls_per_hour', 'Calls per hour', 'number', 'agent', '{agent}', 'handled / (available seconds / 3600).'),
  ('kpi', 'utilization_pct', 'Utilization', 'pct', 'agent', '{agent}', '(talk + acw) / available × 100.'),
  ('kpi', 'occupancy_pct', 'Occupancy', 'pct', 'agent', '{agent}', '(talk + hold + acw) / available × 100.'),
  ('kpi', 'fcr_pct', 'FCR', 'pct', 'agent', '{agent}', 'Resolved first time / handled inbound calls (resolved so far and provisional while windows are open).'),
  ('kpi', 'appointment_conversion_pct', 'Appointments', 'pct', 'agent', '{agent}', 'Handled inbound calls with an appointment / handled inbound × 100.'),
  ('kpi', 'csat_avg', 'Satisfaction', 'number', 'agent', '{agent}', 'Average satisfaction score (1–5) of rated calls.'),
  ('group_by', 'location', 'Location', 'text', null, '{queue,agent}', 'The location (queue''s or agent''s).'),
  ('group_by', 'queue', 'Queue', 'text', null, '{queue}', 'The queue.'),
  ('group_by', 'agent', 'Agent', 'text', null, '{agent}', 'The agent.'),
  ('group_by', 'day', 'Day', 'date', null, '{queue,agent}', 'The business day.'),
  ('group_by', 'week', 'Week of', 'date', null, '{queue,agent}', 'The Monday of the business day''s week.'),
  ('group_by', 'month', 'Month', 'text', null, '{queue,agent}', 'The business day''s month (YYYY-MM).'),
  ('group_by', 'weekday', 'Weekday', 'text', null, '{queue,agent}', 'The business day''s weekday.'),
  ('group_by', 'hour', 'Hour', 'text', null, '{queue}', 'The hour of the day (local time) of the 15-minute intervals.'),
  ('filter', 'location', 'Location', 'text', null, '{queue,agent}', 'One location (by name).'),
  ('filter', 'queue', 'Queue', 'text', null, '{queue}', 'One queue (by name or extension).'),
  ('filter', 'agent', 'Agent', 'text', null, '{agent}', 'One agent (by email: each of the person''s extensions; or by extension).')
on conflict (kind, name) do nothing;
--!include access/report_custom_fields.sql
--!include reports/custom.sql
-- 000063
--!include reports/business-hours.sql
drop function if exists app_hidden.report_business_weekday(text, date);
--!include reports/area-codes.sql
--!include reports/team-performance.sql
--!include reports/agent-performance.sql
--!include reports/productivity.sql
--!include reports/call-analytics.sql
--!include reports/custom.sql
