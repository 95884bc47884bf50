--! Previous: sha1:60ed8c1b36b8b01d84afd1635066c5140283c2aa
--! Hash: sha1:37d3ed237d3b26e1fa5f88408274c74ca76c4e6a
--! Message: Reports: the custom whitelist out of the API's tables

-- The custom report's whitelist moves out of the API's tables (it is read through app_public.report_custom_fields()).
create table if not exists app_hidden.report_custom_fields (like app_public.report_custom_fields including all);
comment on table app_hidden.report_custom_fields is 'What a custom report (reportCustom, POST /api/reports/custom) may name: its KPIs, groupings and filters. Added by migrations only; anything else is refused.';
comment on column app_hidden.report_custom_fields.kind is 'kpi, group_by or filter.';
comment on column app_hidden.report_custom_fields.name is 'The name a specification uses.';
comment on column app_hidden.report_custom_fields.label is 'The column''s heading in the report.';
comment on column app_hidden.report_custom_fields.value_type is 'How the value is shown (the report document''s value types).';
comment on column app_hidden.report_custom_fields.source is 'A KPI''s figures: queue (15-minute interval stats) or agent (stored agent days); one source per report.';
comment on column app_hidden.report_custom_fields.sources is 'The sources a grouping or filter applies to.';
comment on column app_hidden.report_custom_fields.description is 'What it is (docs/kpis.md''s definition for a KPI).';
do $$ begin
  if to_regclass('app_public.report_custom_fields') is not null then
    insert into app_hidden.report_custom_fields select * from app_public.report_custom_fields on conflict do nothing;
  end if;
end $$;
--! Included access/app_hidden.report_custom_fields.sql
revoke all on app_hidden.report_custom_fields from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant select on app_hidden.report_custom_fields to app_visitor;
--! EndIncluded access/app_hidden.report_custom_fields.sql
--! Included reports/custom.sql
-- The custom report (POST /api/reports/custom): KPIs, groupings and filters chosen by name from the whitelist
-- in app_hidden.report_custom_fields (rows added by migrations only); never SQL or column names from the
-- client. Every name is looked up there; anything else is an error naming it (CC972-CC976, REST 400 with the
-- field). The figures are the KPI engine's (queue figures from the 15-minute interval stats, agent figures from
-- the stored days), summed over each group and then divided, as docs/kpis.md defines them.
create or replace function app_public.report_custom(spec jsonb)
 returns jsonb
 language plpgsql
 stable
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
#variable_conflict use_variable
declare
  tz constant text := app_hidden.business_timezone();
  weekdays constant jsonb := app_hidden.report_weekdays();
  allowed_keys constant text[] := array['from', 'to', 'kpis', 'group_by', 'filters', 'business_hours_only', 'title'];
  k text;
  from_day date;
  to_day date;
  kpis text[];
  groups text[];
  bh boolean;
  f_location text;
  f_queue text;
  f_agent text;
  source text;
  qname text;
  exts text[];
  locs text[];
  result_rows jsonb;
  columns jsonb;
  title text;
begin
  perform app_hidden.require_permission('generateReports');
  if spec is null or jsonb_typeof(spec) <> 'object' then
    raise exception 'The report''s specification must be a JSON object.' using errcode = 'CC975', column = 'spec';
  end if;
  for k in select jsonb_object_keys(spec) loop
    if not k = any (allowed_keys) then
      raise exception '% is not part of a custom report (allowed: %).', k, array_to_string(allowed_keys, ', ') using errcode = 'CC975', column = k;
    end if;
  end loop;
  begin
    from_day := (spec ->> 'from')::date;
    to_day := (spec ->> 'to')::date;
  exception when others then
    raise exception 'from and to are business days (YYYY-MM-DD).' using errcode = 'CC975', column = case when (spec ->> 'from') !~ '^\d{4}-\d{2}-\d{2}$' then 'from' else 'to' end;
  end;
  if jsonb_typeof(spec -> 'kpis') is distinct from 'array' or jsonb_array_length(spec -> 'kpis') = 0
     or exists (select 1 from jsonb_array_elements(spec -> 'kpis') e where jsonb_typeof(e) <> 'string') then
    raise exception 'kpis is a list of one or more KPI names (app_hidden.report_custom_fields).' using errcode = 'CC975', column = 'kpis';
  end if;
  if spec ? 'group_by' and (jsonb_typeof(spec -> 'group_by') <> 'array' or exists (select 1 from jsonb_array_elements(spec -> 'group_by') e where jsonb_typeof(e) <> 'string')) then
    raise exception 'group_by is a list of grouping names (app_hidden.report_custom_fields).' using errcode = 'CC975', column = 'group_by';
  end if;
  if spec ? 'filters' and jsonb_typeof(spec -> 'filters') <> 'object' then
    raise exception 'filters is an object of filter names and values (app_hidden.report_custom_fields).' using errcode = 'CC975', column = 'filters';
  end if;
  if spec ? 'business_hours_only' and jsonb_typeof(spec -> 'business_hours_only') <> 'boolean' then
    raise exception 'business_hours_only is true or false.' using errcode = 'CC975', column = 'business_hours_only';
  end if;
  kpis := array(select e from jsonb_array_elements_text(spec -> 'kpis') with ordinality x(e, n) group by e order by min(n));
  groups := array(select e from jsonb_array_elements_text(coalesce(spec -> 'group_by', '[]')) with ordinality x(e, n) group by e order by min(n));
  bh := coalesce((spec ->> 'business_hours_only')::boolean, false);
  title := coalesce(left(spec ->> 'title', 200), 'Custom report');

  -- Every name from the whitelist, or an error naming it.
  select e into k from unnest(kpis) e where not exists (select 1 from app_hidden.report_custom_fields w where w.kind = 'kpi' and w.name = e) order by e limit 1;
  if k is not null then
    raise exception 'No KPI named % in a custom report (see reportCustomFields).', k using errcode = 'CC972', column = 'kpis';
  end if;
  select e into k from unnest(groups) e where not exists (select 1 from app_hidden.report_custom_fields w where w.kind = 'group_by' and w.name = e) limit 1;
  if k is not null then
    raise exception 'No grouping named % in a custom report (see reportCustomFields).', k using errcode = 'CC973', column = 'group_by';
  end if;
  for k in select jsonb_object_keys(coalesce(spec -> 'filters', '{}')) loop
    if not exists (select 1 from app_hidden.report_custom_fields w where w.kind = 'filter' and w.name = k) then
      raise exception 'No filter named % in a custom report (see reportCustomFields).', k using errcode = 'CC974', column = 'filters.' || k;
    end if;
    if jsonb_typeof(spec -> 'filters' -> k) <> 'string' then
      raise exception 'The filter % takes a text value.', k using errcode = 'CC975', column = 'filters.' || k;
    end if;
  end loop;
  -- One source of figures per report: the KPIs' own, and groupings and filters that source has.
  select min(w.source) into source from app_hidden.report_custom_fields w where w.kind = 'kpi' and w.name = any (kpis);
  select w.name into k from app_hidden.report_custom_fields w where w.kind = 'kpi' and w.name = any (kpis) and w.source <> source order by w.name limit 1;
  if k is not null then
    raise exception 'The KPIs % come from different figures (queue and agent); ask for them in two reports.', array_to_string(kpis, ', ') using errcode = 'CC976', column = 'kpis';
  end if;
  select e into k from unnest(groups) e
   where not exists (select 1 from app_hidden.report_custom_fields w where w.kind = 'group_by' and w.name = e and source = any (w.sources)) limit 1;
  if k is not null then
    raise exception 'The % figures cannot be grouped by %.', source, k using errcode = 'CC976', column = 'group_by';
  end if;
  select e into k from jsonb_object_keys(coalesce(spec -> 'filters', '{}')) e
   where not exists (select 1 from app_hidden.report_custom_fields w where w.kind = 'filter' and w.name = e and source = any (w.sources)) limit 1;
  if k is not null then
    raise exception 'The % figures cannot be filtered by %.', source, k using errcode = 'CC976', column = 'filters.' || k;
  end if;

  f_location := spec -> 'filters' ->> 'location';
  f_queue := spec -> 'filters' ->> 'queue';
  f_agent := spec -> 'filters' ->> 'agent';
  perform app_hidden.report_check_arguments(from_day, to_day, f_location, f_queue, f_agent);
  locs := app_hidden.report_locations(f_location);
  qname := (select q.name from app_public.queues q where q.name = f_queue or q.extension = f_queue limit 1);
  exts := case when f_agent is not null then app_hidden.agent_extensions(f_agent) end;

  if source = 'queue' then
    with g as (
      select case when 'queue' = any (groups) then i.queue end as queue,
             case when 'location' = any (groups) then i.location end as location,
             case when 'day' = any (groups) then i.business_day end as day,
             case when 'week' = any (groups) then date_trunc('week', i.business_day)::date end as week,
             case when 'month' = any (groups) then to_char(i.business_day, 'YYYY-MM') end as month,
             case when 'weekday' = any (groups) then extract(isodow from i.business_day)::integer end as weekday,
             case when 'hour' = any (groups) then to_char(date_trunc('hour', i.interval_start at time zone tz), 'HH24:00') end as hour,
             sum(i.offered) as offered, sum(i.answered) as answered, sum(i.abandoned) as abandoned, sum(i.short_abandoned) as short_abandoned,
             sum(i.answered_within_sl + case when i.abandon_mode = 'positive' then i.abandoned_within_sl else 0 end) as sl_num,
             sum(i.service_level_denominator) as sl_den, sum(i.answered_wait_seconds) as wait_seconds, sum(i.answered_known_wait) as known_wait,
             sum(i.abandoned_wait_seconds) as abandon_wait
        from app_hidden.report_queue_intervals(from_day, to_day, f_location, bh) i
       where qname is null or i.queue = qname
       group by 1, 2, 3, 4, 5, 6, 7
    )
    select coalesce(jsonb_agg(r.obj order by r.queue, r.location, r.day, r.week, r.month, r.weekday, r.hour), '[]'::jsonb) into result_rows
      from (select g.queue, g.location, g.day, g.week, g.month, g.weekday, g.hour,
                   (select jsonb_object_agg(e.key, e.value) from jsonb_each(jsonb_build_object(
                      'queue', g.queue, 'location', g.location, 'day', g.day, 'week', g.week, 'month', g.month,
                      'weekday', trim(to_char(date '2024-01-07' + g.weekday, 'Day')), 'hour', g.hour,
                      'offered', g.offered, 'answered', g.answered, 'abandoned', g.abandoned, 'short_abandoned', g.short_abandoned,
                      'service_level_pct', app_hidden.pct(g.sl_num, g.sl_den),
                      'abandonment_rate_pct', app_hidden.pct(g.abandoned, g.offered - g.short_abandoned),
                      'asa_seconds', app_hidden.per(g.wait_seconds, g.known_wait),
                      'avg_abandon_wait_seconds', app_hidden.per(g.abandon_wait, g.abandoned))) e
                     where e.key = any (groups || kpis)) as obj
              from g) r;
  else
    with g as (
      select case when 'agent' = any (groups) then coalesce(d.agent_name, d.agent_email::text, d.agent_extension) end as agent,
             case when 'location' = any (groups) then d.location end as location,
             case when 'day' = any (groups) then d.business_day end as day,
             case when 'week' = any (groups) then date_trunc('week', d.business_day)::date end as week,
             case when 'month' = any (groups) then to_char(d.business_day, 'YYYY-MM') end as month,
             case when 'weekday' = any (groups) then extract(isodow from d.business_day)::integer end as weekday,
             sum(d.calls_handled) as calls_handled, sum(d.calls_handled_inbound) as calls_inbound, sum(d.calls_missed) as calls_missed,
             sum(d.talk_seconds) as talk, sum(d.hold_seconds) as hold, sum(d.acw_seconds) as acw, sum(d.calls_talk_unknown) as talk_unknown,
             coalesce(sum(d.available_seconds), 0) as available, sum(d.fcr_resolved) as fcr_resolved, sum(d.fcr_final) as fcr_final,
             sum(d.fcr_provisional) as fcr_provisional, sum(d.appointments) as appointments, sum(d.csat_sum) as csat_sum, sum(d.csat_count) as csat_count
        from app_public.agent_daily_kpis d
       where d.business_day between from_day and to_day
         and (f_location is null or d.location = f_location)
         and (exts is null or d.agent_extension = any (exts))
         and (not bh or coalesce(weekdays -> d.location, '[1,2,3,4,5]') @> to_jsonb(extract(isodow from d.business_day)::integer))
       group by 1, 2, 3, 4, 5, 6
    )
    select coalesce(jsonb_agg(r.obj order by r.agent, r.location, r.day, r.week, r.month, r.weekday), '[]'::jsonb) into result_rows
      from (select g.agent, g.location, g.day, g.week, g.month, g.weekday,
                   (select jsonb_object_agg(e.key, e.value) from jsonb_each(jsonb_build_object(
                      'agent', g.agent, 'location', g.location, 'day', g.day, 'week', g.week, 'month', g.month,
                      'weekday', trim(to_char(date '2024-01-07' + g.weekday, 'Day')),
                      'calls_handled', g.calls_handled, 'calls_missed', g.calls_missed,
                      'aht_seconds', app_hidden.per(g.talk + g.hold + g.acw, g.calls_handled - g.talk_unknown),
                      'calls_per_hour', case when g.available > 0 then round(g.calls_handled / (g.available / 3600.0), 2) end,
                      'utilization_pct', app_hidden.pct(g.talk + g.acw, g.available),
                      'occupancy_pct', app_hidden.pct(g.talk + g.hold + g.acw, g.available),
                      'fcr_pct', app_hidden.report_fcr_pct(g.fcr_resolved, g.fcr_final, g.fcr_provisional),
                      'appointment_conversion_pct', app_hidden.pct(g.appointments, g.calls_inbound),
                      'csat_avg', case when g.csat_count > 0 then round(g.csat_sum::numeric / g.csat_count, 2) end)) e
                     where e.key = any (groups || kpis))
                   || case when g.fcr_provisional > 0 and 'fcr_pct' = any (kpis) then '{"provisional": ["fcr_pct"]}'::jsonb else '{}'::jsonb end as obj
              from g) r;
  end if;

  select jsonb_agg(app_hidden.report_column(w.name, w.label, w.value_type) order by x.n) into columns
    from unnest(groups || kpis) with ordinality x(name, n)
    join app_hidden.report_custom_fields w on w.name = x.name and w.kind = case when x.n <= cardinality(groups) then 'group_by' else 'kpi' end;

  return app_hidden.report_document('custom', title, from_day, to_day,
    jsonb_build_object('kpis', to_jsonb(kpis), 'group_by', to_jsonb(groups), 'filters', coalesce(spec -> 'filters', '{}'::jsonb),
                       'locations', to_jsonb(locs), 'business_hours_only', bh, 'source', source),
    '[]'::jsonb,
    jsonb_build_array(jsonb_build_object('key', 'figures', 'title', title, 'columns', columns, 'rows', result_rows,
      'notes', case when bh and source = 'agent' then jsonb_build_array('Agent figures are stored per day: with the business-hours limit they cover each location''s business weekdays, whole days.')
                    when bh then jsonb_build_array('Queue figures count only the 15-minute intervals inside each location''s business hours.') else '[]'::jsonb end)),
    '[]'::jsonb);
end;
$function$;
comment on function app_public.report_custom(jsonb) is 'A custom report as a document (server/reports/report-document.ts) from a specification: {"from", "to", "kpis": [...], "group_by": [...], "filters": {"location"|"queue"|"agent": ...}, "business_hours_only", "title"}, every KPI, grouping and filter named from reportCustomFields (queue KPIs and agent KPIs are separate reports). Needs generateReports. Errors: CC972 an unknown KPI, CC973 an unknown grouping, CC974 an unknown filter, CC975 a malformed specification, CC976 names that do not fit together, CC711-CC716 and CC971 as for the other reports.';
revoke all on function app_public.report_custom(jsonb) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_public.report_custom(jsonb) to app_visitor;

-- The whitelist as the API lists it (GraphQL reportCustomFields), for a client building a specification.
create or replace function app_public.report_custom_fields()
 returns table(kind text, name text, label text, value_type text, source text, sources text[], description text)
 language sql
 stable
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
  select w.kind, w.name, w.label, w.value_type, w.source, w.sources, w.description
    from app_hidden.report_custom_fields w order by w.kind, w.source nulls first, w.name
$function$;
comment on function app_public.report_custom_fields() is 'What a custom report (reportCustom, POST /api/reports/custom) may name: each KPI (with its source of figures, queue or agent: one source per report), grouping and filter (with the sources it applies to), its label, value type and definition. Anything else is refused.';
revoke all on function app_public.report_custom_fields() from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_public.report_custom_fields() to app_visitor;
--! EndIncluded reports/custom.sql
drop table if exists app_public.report_custom_fields;
