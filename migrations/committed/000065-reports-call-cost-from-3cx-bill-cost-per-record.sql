--! Previous: sha1:37d3ed237d3b26e1fa5f88408274c74ca76c4e6a
--! Hash: sha1:81d77ac68e177da0f8cdd26d6f1268a711d543e5
--! Message: Reports: call cost from 3CX bill-cost, per record

-- What the PBX billed (3CX bill-cost), per call and CDR record, apart from the call (for the call analytics report).
create table if not exists app_private.call_bill_costs (
  call_id text not null references app_public.call_center_records (call_id) on update cascade on delete cascade deferrable initially deferred,
  record_key text not null,
  amount numeric(12,4) not null check (amount >= 0),
  primary key (call_id, record_key)
);
comment on table app_private.call_bill_costs is 'What the PBX billed for each CDR record of a call (3CX bill-cost): a call''s cost is the sum of its records''; a record sent again replaces its own amount.';
comment on column app_private.call_bill_costs.call_id is 'The call.';
comment on column app_private.call_bill_costs.record_key is 'The record (3CX history id).';
comment on column app_private.call_bill_costs.amount is 'bill-cost as the PBX wrote it (its currency).';
--! Included access/app_private.call_bill_costs.sql
revoke all on app_private.call_bill_costs from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant insert, select, update on app_private.call_bill_costs to app_worker;
--! EndIncluded access/app_private.call_bill_costs.sql
--! Included ingest/ingest-calls.sql
create or replace function app_private.ingest_call_batch(calls jsonb)
 returns table(ordinal integer, record_id uuid, outcome text)
 language plpgsql
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
declare
  entries app_private.ingest_entry[];
  legs app_private.ingest_leg[];
  affected uuid[];
begin
  -- Queues named by extension; unknown ones are created so nothing is lost.
  perform app_private.queue_for_extension(ext)
     from (select distinct e.value ->> 'queue_extension' as ext from jsonb_array_elements(calls) e) x where ext is not null;

  entries := array(
    select row(e.ordinality::int, e.value ->> 'call_id', e.value ->> 'direction',
           (select q.name from app_public.queues q where q.extension = e.value ->> 'queue_extension'),
           nullif(e.value ->> 'caller_number', ''), nullif(e.value ->> 'caller_name', ''), e.value ->> 'called_number',
           (e.value ->> 'start')::timestamptz, (e.value ->> 'end')::timestamptz,
           h.hint, case h.hint when 'voicemail' then 3 when 'abandoned' then 2 else 1 end,
           (e.value ->> 'campaign_id')::uuid, e.value,
           c.id is not null, c.call_start_time, c.call_end_time, c.call_status)::app_private.ingest_entry
      from jsonb_array_elements(calls) with ordinality e
      cross join lateral (select case when coalesce((e.value ->> 'voicemail')::boolean, false) then 'voicemail'
                                      when e.value ->> 'ended_by' = 'caller' then 'abandoned' else 'missed' end as hint) h
      left join app_public.call_center_records c on c.call_id = e.value ->> 'call_id'
     order by e.ordinality);

  legs := array(
    select row(en.ordinal, en.call_id, l.value ->> 'leg_key', coalesce((l.value ->> 'leg_index')::int, l.ordinality::int),
           coalesce(l.value ->> 'leg_type', case when l.value ->> 'answered' is not null then 'talk' else 'ring' end),
           en.queue_name, nullif(l.value ->> 'agent_extension', ''),
           (l.value ->> 'start')::timestamptz, (l.value ->> 'answered')::timestamptz,
           coalesce((l.value ->> 'answer_known')::boolean, true), (l.value ->> 'end')::timestamptz,
           coalesce(l.value ->> 'outcome', case when l.value ->> 'answered' is not null then 'answered' else 'missed' end))::app_private.ingest_leg
      from unnest(entries) en
      cross join lateral jsonb_array_elements(coalesce(en.body -> 'legs', '[]')) with ordinality l);

  -- Outcomes, decided against what was stored before this batch and what earlier records of the batch brought
  -- (window functions over the batch: linear in its size, whatever the size).
  return query
  with leg_seen as (
    select nl.ordinal, nl.answered_at, nl.ended_at,
           -- stored before the batch, already as complete as this record's leg
           exists (select 1 from app_public.call_legs ol
                    where ol.call_id = nl.call_id and ol.leg_key = nl.leg_key
                      and (ol.answered_at is not null or nl.answered_at is null)
                      and (nl.ended_at is null or ol.ended_at >= nl.ended_at)
                      and (ol.answered_at is not null or (ol.outcome = nl.outcome and ol.answer_known = nl.answer_known))) as stored,
           -- brought by earlier records of this batch
           count(*) over w > 0 as earlier,
           coalesce(bool_or(nl.answered_at is not null) over w, false) as earlier_answered,
           max(nl.ended_at) over w as earlier_end
      from unnest(legs) nl
    window w as (partition by nl.call_id, nl.leg_key order by nl.ordinal rows between unbounded preceding and 1 preceding)
  ), leg_news as (
    select ls.ordinal,
           bool_or(not ls.stored
                   and not (ls.earlier and (ls.answered_at is null or ls.earlier_answered)
                            and (ls.ended_at is null or ls.earlier_end >= ls.ended_at))) as news
      from leg_seen ls group by ls.ordinal
  ), known as (
    -- The call as known before each record: stored values and earlier records of the batch.
    select en.ordinal, en.existed,
           row_number() over (partition by en.call_id order by en.ordinal) = 1 as first_of_call,
           en.start_at, en.end_at, en.hint_rank,
           least(en.before_start, min(en.start_at) over w) as known_start,
           greatest(en.before_end, max(en.end_at) over w) as known_end,
           greatest(coalesce(case en.before_status when 'voicemail' then 3 when 'abandoned' then 2 when 'missed' then 1
                                                   when 'completed' then 4 when 'transferred' then 4 end, 0),
                    max(en.hint_rank) over w) as known_rank
      from unnest(entries) en
    window w as (partition by en.call_id order by en.ordinal rows between unbounded preceding and 1 preceding)
  )
  select k.ordinal, null::uuid,
         case when not k.existed and k.first_of_call then 'new'
              when coalesce(ln.news, false)
                or k.start_at < k.known_start
                or k.end_at > coalesce(k.known_end, '-infinity')
                or k.hint_rank > coalesce(k.known_rank, 0) then 'updated'
              else 'duplicate' end
    from known k
    left join leg_news ln on ln.ordinal = k.ordinal
   order by k.ordinal;

  -- The calls: one row per call id, its records merged.
  with merged as (
    select en.call_id,
           (array_agg(en.direction order by en.ordinal))[1] as direction,
           (array_agg(en.queue_name order by en.start_at, en.ordinal) filter (where en.queue_name is not null))[1] as queue_name,
           coalesce((array_agg(en.called_number order by en.start_at, en.ordinal) filter (where en.queue_name is not null and en.called_number is not null))[1],
                    (array_agg(en.called_number order by en.start_at, en.ordinal) filter (where en.called_number is not null))[1]) as called_number,
           (array_agg(en.caller_number order by en.ordinal) filter (where en.caller_number is not null))[1] as caller_number,
           (array_agg(en.caller_name order by en.ordinal) filter (where en.caller_name is not null))[1] as caller_name,
           (array_agg(en.campaign_id order by en.ordinal) filter (where en.campaign_id is not null))[1] as campaign_id,
           -- A code that cannot be a campaign's (not letters and digits) is left out, never a reason to refuse the call.
           (array_agg(app_hidden.campaign_code(en.body ->> 'campaign_code') order by en.ordinal)
              filter (where app_hidden.campaign_code(en.body ->> 'campaign_code') ~ '^[A-Z0-9]{1,32}$'))[1] as campaign_code,
           min(en.start_at) as start_at, max(en.end_at) as end_at,
           (array_agg(en.hint order by en.hint_rank desc))[1] as hint,
           (array_agg(en.start_at order by en.start_at, en.ordinal) filter (where en.queue_name is not null))[1] as queue_start,
           (array_agg(en.start_at order by en.start_at, en.ordinal) filter (where en.called_number is not null))[1] as called_start,
           -- What the call ended on: as the record that ended last says.
           (array_agg(en.body ->> 'ended_in' order by en.end_at desc nulls last, en.ordinal desc) filter (where en.body ? 'ended_in'))[1] as ended_in
      from unnest(entries) en group by en.call_id
  ), routes as (
    -- The PBX numbers the call passed, in the order its records (by start) name them, each once.
    select h.call_id, array_agg(h.number order by h.first_start, h.first_ordinal, h.first_position) as pbx_route
      from (select en.call_id, r.number, min(en.start_at) as first_start, min(en.ordinal) as first_ordinal, min(r.position) as first_position
              from unnest(entries) en
              cross join lateral jsonb_array_elements_text(coalesce(en.body -> 'pbx_route', '[]')) with ordinality r(number, position)
             group by en.call_id, r.number) h
     group by h.call_id
  )
    insert into app_public.call_center_records as r (
      call_id, call_direction, queue_name, queue_entered_at, caller_number, caller_name, called_number,
      call_start_time, call_end_time, call_status, campaign_id, campaign_code, pbx_route, ended_in)
    select m.call_id, m.direction, m.queue_name, m.queue_start, coalesce(m.caller_number, ''), coalesce(m.caller_name, ''), m.called_number,
           m.start_at, m.end_at, m.hint, m.campaign_id, m.campaign_code, coalesce(rt.pbx_route, '{}'), m.ended_in
      from merged m
      left join routes rt on rt.call_id = m.call_id
     order by m.call_id
    on conflict (call_id) do update set
      call_start_time = least(r.call_start_time, excluded.call_start_time),
      call_end_time = greatest(r.call_end_time, excluded.call_end_time),
      -- The earliest segment with a queue names the queue the caller entered, and the number dialled;
      -- a call that never entered a queue takes the number of its earliest segment.
      queue_name = case when excluded.queue_name is not null and (r.queue_entered_at is null or excluded.queue_entered_at < r.queue_entered_at)
                        then excluded.queue_name else r.queue_name end,
      queue_entered_at = case when excluded.queue_name is not null and (r.queue_entered_at is null or excluded.queue_entered_at < r.queue_entered_at)
                              then excluded.queue_entered_at else r.queue_entered_at end,
      called_number = case when excluded.queue_name is not null and (r.queue_entered_at is null or excluded.queue_entered_at < r.queue_entered_at)
                             then coalesce(excluded.called_number, r.called_number)
                           when r.queue_name is null and excluded.call_start_time < r.call_start_time then coalesce(excluded.called_number, r.called_number)
                           else coalesce(r.called_number, excluded.called_number) end,
      -- Answered calls keep their status until re-derived; an unanswered one keeps the strongest hint.
      call_status = case when r.call_status in ('completed', 'transferred') then r.call_status
                         when r.call_status = 'voicemail' or excluded.call_status = 'voicemail' then 'voicemail'
                         when r.call_status = 'abandoned' or excluded.call_status = 'abandoned' then 'abandoned'
                         else excluded.call_status end,
      caller_number = case when r.caller_number_encrypted is null then excluded.caller_number end,
      caller_name = case when r.caller_name_encrypted is null then excluded.caller_name end,
      pbx_route = r.pbx_route || array(select h from unnest(excluded.pbx_route) with ordinality u(h, i) where h <> all(r.pbx_route) order by i),
      campaign_code = coalesce(r.campaign_code, excluded.campaign_code),
      ended_in = case when excluded.call_end_time >= coalesce(r.call_end_time, '-infinity') then coalesce(excluded.ended_in, r.ended_in)
                      else coalesce(r.ended_in, excluded.ended_in) end
    -- Nothing to write for a record the call already holds.
    where excluded.call_start_time < r.call_start_time
       or excluded.call_end_time > r.call_end_time or (r.call_end_time is null and excluded.call_end_time is not null)
       or (excluded.queue_name is not null and (r.queue_entered_at is null or excluded.queue_entered_at < r.queue_entered_at))
       or (r.called_number is null and excluded.called_number is not null)
       or (r.call_status not in ('completed', 'transferred', 'voicemail') and r.call_status is distinct from excluded.call_status
           and excluded.call_status <> 'missed')
       or not (excluded.pbx_route <@ r.pbx_route)
       or (r.ended_in is null and excluded.ended_in is not null)
       or (r.campaign_code is null and excluded.campaign_code is not null)
  ;

  -- What the PBX billed, per record (3CX bill-cost), for the call analytics report: a record sent again replaces its
  -- own amount, never adds to it; a call's records add up.
  insert into app_private.call_bill_costs as b (call_id, record_key, amount)
  select distinct on (en.call_id, en.body -> 'bill_cost' ->> 'record')
         en.call_id, en.body -> 'bill_cost' ->> 'record', (en.body -> 'bill_cost' ->> 'amount')::numeric
    from unnest(entries) en
   where en.body ? 'bill_cost'
   order by en.call_id, en.body -> 'bill_cost' ->> 'record', en.ordinal desc
  on conflict (call_id, record_key) do update set amount = excluded.amount where b.amount is distinct from excluded.amount;

  -- The legs: one row per (call, leg key), the batch's records merged, then upserted.
  insert into app_public.call_legs as l (call_record_id, call_id, leg_key, leg_index, leg_type, queue_name, agent_extension, agent_email,
                                         location, started_at, answered_at, answer_known, ended_at, outcome)
  select en.id, m.call_id, m.leg_key, m.leg_index, m.leg_type, m.queue_name, m.agent_extension, a.user_email,
         coalesce(a.location_name, (select q.location_name from app_public.queues q where q.name = m.queue_name)),
         m.started_at, m.answered_at, m.answer_known, m.ended_at, m.outcome
    from (select il.call_id, il.leg_key,
                 (array_agg(il.leg_index order by il.ordinal))[1] as leg_index,
                 (array_agg(il.leg_type order by il.ordinal))[1] as leg_type,
                 (array_agg(il.queue_name order by il.ordinal))[1] as queue_name,
                 (array_agg(il.agent_extension order by il.ordinal))[1] as agent_extension,
                 (array_agg(il.started_at order by il.ordinal))[1] as started_at,
                 (array_agg(il.answered_at order by il.ordinal) filter (where il.answered_at is not null))[1] as answered_at,
                 coalesce((array_agg(il.answer_known order by il.ordinal) filter (where il.answered_at is not null))[1],
                          (array_agg(il.answer_known order by il.ordinal desc))[1]) as answer_known,
                 max(il.ended_at) as ended_at,
                 coalesce((array_agg(il.outcome order by il.ordinal) filter (where il.answered_at is not null))[1],
                          (array_agg(il.outcome order by il.ordinal desc))[1]) as outcome
            from unnest(legs) il group by il.call_id, il.leg_key) m
    join app_public.call_center_records en on en.call_id = m.call_id
    left join app_public.agents a on a.extension = m.agent_extension and a.is_active
   order by m.call_id, m.leg_key
  on conflict (call_id, leg_key) do update set
    answered_at = coalesce(l.answered_at, excluded.answered_at),
    answer_known = case when l.answered_at is null then excluded.answer_known else l.answer_known end,
    ended_at = greatest(l.ended_at, excluded.ended_at),
    outcome = case when l.answered_at is not null then l.outcome else excluded.outcome end
  -- A leg already stored as sent is left alone.
  where l.answered_at is distinct from coalesce(l.answered_at, excluded.answered_at)
     or l.ended_at is distinct from greatest(l.ended_at, excluded.ended_at)
     or (l.answered_at is null and (l.outcome is distinct from excluded.outcome or l.answer_known is distinct from excluded.answer_known));

  -- A number the calls passed that is known nowhere (not an agent, a queue or a classified number) is added as
  -- unknown, for an administrator to classify in pbx_numbers; the calls through it are read again when they do.
  -- A number the record's type fields name (Ivr, VMail …) enters with that kind; one typed as an agent or a queue
  -- is not added here (agents and queues have their own tables).
  insert into app_public.pbx_numbers (number, kind, first_seen_at)
  select r.number,
         coalesce((array_agg(en.body -> 'pbx_kinds' ->> r.number order by en.ordinal)
                     filter (where en.body -> 'pbx_kinds' ->> r.number in ('ivr', 'ring_group', 'voicemail', 'other')))[1], 'unknown'),
         min(en.start_at)
    from unnest(entries) en
    cross join lateral jsonb_array_elements_text(coalesce(en.body -> 'pbx_route', '[]')) r(number)
   where coalesce(en.body -> 'pbx_kinds' ->> r.number, '') not in ('agent', 'queue')
     and not exists (select 1 from app_public.agents a where a.extension = r.number)
     and not exists (select 1 from app_public.queues q where q.extension = r.number)
     and not exists (select 1 from app_public.pbx_numbers p where p.number = r.number)
   group by r.number
   order by r.number
  on conflict (number) do nothing;

  affected := array(select c.id from app_public.call_center_records c where c.call_id in (select e.call_id from unnest(entries) e));
  perform app_private.refresh_calls(affected);
  perform app_private.guess_call_types(affected);
  -- Outbound calls: linked to the campaign attempts logged for them, or attributed to a campaign by rule.
  perform app_private.attribute_campaign_calls(affected);
end;
$function$;
comment on function app_private.ingest_call_batch(jsonb) is 'Ingests a JSON array of normalised calls in a few set-based statements; one row per record: new, updated or duplicate. Merges each call''s route, end point and campaign code, adds numbers known nowhere to pbx_numbers as unknown, and attributes outbound calls to campaigns. Fails as a whole on any error.';
revoke all on function app_private.ingest_call_batch(jsonb) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_private.ingest_call_batch(jsonb) to app_worker;

create or replace function app_private.ingest_calls(calls jsonb)
 returns table(ordinal integer, record_id uuid, outcome text, error_field text, error_message text)
 language plpgsql
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
declare
  item jsonb;
  o record;
  constraint_name text;
  column_name text;
begin
  begin
    return query select b.ordinal, b.record_id, b.outcome, null::text, null::text from app_private.ingest_call_batch(calls) b;
    return;
  exception
    -- A deadlock or serialization failure is the transaction's to retry, never a record's fault.
    when deadlock_detected or serialization_failure then raise;
    when others then null; -- fall through: one call at a time
  end;
  ordinal := 0;
  for item in select value from jsonb_array_elements(calls) loop
    ordinal := ordinal + 1;
    record_id := null; outcome := null; error_field := null; error_message := null;
    begin
      select * into o from app_private.ingest_call_outcome(item);
      record_id := o.record_id;
      outcome := o.outcome;
    exception
      when deadlock_detected or serialization_failure then raise;
      when others then
      get stacked diagnostics constraint_name = constraint_name, column_name = column_name, error_message = message_text;
      outcome := 'rejected';
      error_field := coalesce(nullif(column_name, ''), nullif(constraint_name, ''), 'call');
    end;
    return next;
  end loop;
end;
$function$;
comment on function app_private.ingest_calls(jsonb) is 'Ingests a JSON array of normalised calls, each in its own subtransaction; one row per call: its record id and new, updated, duplicate or rejected (with the field and reason).';
revoke all on function app_private.ingest_calls(jsonb) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_private.ingest_calls(jsonb) to app_worker;
--! EndIncluded ingest/ingest-calls.sql
--! Included reports/call-costs.sql
-- Call cost as the PBX reports it (3CX bill-cost, per CDR record), for the call analytics report. Kept apart from the
-- call (app_private.call_bill_costs, one row per call and record, written by app_private.ingest_call_batch), read for
-- the calls the caller may see.
create or replace function app_hidden.report_call_costs(call_ids text[])
 returns table(call_id text, amount numeric, records integer)
 language sql
 stable security definer
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
  select b.call_id, sum(b.amount), count(*)::integer
    from unnest(call_ids) u(call_id) join app_private.call_bill_costs b on b.call_id = u.call_id
   group by b.call_id
$function$;
comment on function app_hidden.report_call_costs(text[]) is 'What the PBX billed for each of the given calls (whose ids the caller read under their row rules): the sum of its records'' bill-cost, and how many records reported one.';
revoke all on function app_hidden.report_call_costs(text[]) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_hidden.report_call_costs(text[]) to app_visitor;
--! EndIncluded reports/call-costs.sql
--! Included reports/call-analytics.sql
-- The call analytics report (GET /api/reports/call-analytics): volumes by hour of the day and by weekday, each
-- queue's service level and abandonment, call types and outcomes, callers by area code (cells of fewer than 11
-- distinct callers suppressed), and a trend by day against the previous period and against the same weekday of
-- the four weeks before, each figure more than 2 standard deviations from that history flagged.
-- Queue figures come from the 15-minute interval stats (inside business hours when asked), types, outcomes and
-- area codes from the calls (started inside business hours when asked), all under the caller's row rules.
create or replace function app_public.report_call_analytics(from_day date, to_day date, location text default null, queue text default null,
                                                            business_hours_only boolean default false)
 returns jsonb
 language plpgsql
 stable
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
#variable_conflict use_variable
declare
  tz constant text := app_hidden.business_timezone();
  range_start constant timestamptz := app_hidden.business_day_start(from_day);
  range_end constant timestamptz := app_hidden.business_day_start(to_day + 1);
  bh constant boolean := coalesce(business_hours_only, false);
  min_callers constant integer := 11;
  span integer;
  prev_from date;
  prev_to date;
  qname text;
  locs text[];
  ivs app_public.queue_interval_kpis[];
  cur record;
  prev record;
  sl_goal numeric;
  hour_rows jsonb;
  weekday_rows jsonb;
  queue_rows jsonb;
  type_rows jsonb;
  outcome_rows jsonb;
  area_rows jsonb;
  cost jsonb;
  trend_rows jsonb;
  trend_chart jsonb;
  flagged_days integer;
begin
  perform app_hidden.require_permission('viewTeamPerformance');
  perform app_hidden.report_check_arguments(from_day, to_day, location, queue, null);
  locs := app_hidden.report_locations(location);
  qname := (select q.name from app_public.queues q where q.name = queue or q.extension = queue limit 1);
  span := to_day - from_day + 1;
  prev_from := from_day - span;
  prev_to := from_day - 1;

  -- The intervals of the range, the previous period and the four weeks before (the history of each figure).
  select coalesce(array_agg(i), '{}') into ivs
    from app_hidden.report_queue_intervals(least(prev_from, from_day - 28), to_day, location, bh) i
   where qname is null or i.queue = qname;

  select sum(i.offered) filter (where i.business_day >= from_day) as offered,
         sum(i.answered) filter (where i.business_day >= from_day) as answered,
         sum(i.abandoned) filter (where i.business_day >= from_day) as abandoned,
         sum(i.short_abandoned) filter (where i.business_day >= from_day) as short_abandoned,
         sum(i.answered_within_sl + case when i.abandon_mode = 'positive' then i.abandoned_within_sl else 0 end) filter (where i.business_day >= from_day) as sl_num,
         sum(i.service_level_denominator) filter (where i.business_day >= from_day) as sl_den,
         sum(i.answered_wait_seconds) filter (where i.business_day >= from_day) as wait_seconds,
         sum(i.answered_known_wait) filter (where i.business_day >= from_day) as known_wait,
         round(sum(s.sl_goal_pct * i.service_level_denominator) filter (where i.business_day >= from_day)
               / nullif(sum(i.service_level_denominator) filter (where i.business_day >= from_day), 0), 2) as goal
    into cur
    from unnest(ivs) i left join app_hidden.effective_queue_settings s on s.queue_name = i.queue;
  select sum(i.offered) as offered, sum(i.abandoned) as abandoned, sum(i.short_abandoned) as short_abandoned,
         sum(i.answered_within_sl + case when i.abandon_mode = 'positive' then i.abandoned_within_sl else 0 end) as sl_num,
         sum(i.service_level_denominator) as sl_den, sum(i.answered_wait_seconds) as wait_seconds, sum(i.answered_known_wait) as known_wait
    into prev
    from unnest(ivs) i where i.business_day between prev_from and prev_to;
  sl_goal := coalesce(cur.goal, (select s.sl_goal_pct from app_hidden.effective_queue_settings s
                                  where s.location = any (locs) and (qname is null or s.queue_name = qname)
                                  group by s.sl_goal_pct order by count(*) desc, s.sl_goal_pct desc limit 1),
                      (select d.sl_goal_pct from app_hidden.kpi_defaults() d));

  -- Volumes by hour of the day (local) and by weekday.
  select coalesce(jsonb_agg(jsonb_build_object('hour', x.hour, 'offered', x.offered, 'answered', x.answered, 'abandoned', x.abandoned,
                  'service_level_pct', app_hidden.pct(x.num, x.den)) order by x.hour), '[]'::jsonb)
    into hour_rows
    from (select to_char(date_trunc('hour', i.interval_start at time zone tz), 'HH24:00') as hour,
                 sum(i.offered) as offered, sum(i.answered) as answered, sum(i.abandoned) as abandoned,
                 sum(i.answered_within_sl + case when i.abandon_mode = 'positive' then i.abandoned_within_sl else 0 end) as num,
                 sum(i.service_level_denominator) as den
            from unnest(ivs) i where i.business_day between from_day and to_day group by 1) x;
  select coalesce(jsonb_agg(jsonb_build_object('weekday', x.name, 'days', x.days, 'offered', x.offered, 'answered', x.answered, 'abandoned', x.abandoned,
                  'offered_per_day', round(x.offered::numeric / nullif(x.days, 0), 2)) order by x.dow), '[]'::jsonb)
    into weekday_rows
    from (select extract(isodow from i.business_day)::integer as dow, trim(to_char(i.business_day, 'Day')) as name,
                 count(distinct i.business_day)::integer as days, sum(i.offered) as offered, sum(i.answered) as answered, sum(i.abandoned) as abandoned
            from unnest(ivs) i where i.business_day between from_day and to_day group by 1, 2) x;

  -- Each queue's service level and abandonment.
  select coalesce(jsonb_agg(jsonb_build_object('queue', x.queue, 'location', x.location, 'offered', x.offered, 'answered', x.answered,
                  'abandoned', x.abandoned, 'short_abandoned', x.short_abandoned, 'voicemail', x.voicemail, 'missed', x.missed,
                  'service_level_pct', app_hidden.pct(x.num, x.den), 'sl_goal_pct', x.goal,
                  'abandonment_rate_pct', app_hidden.pct(x.abandoned, x.offered - x.short_abandoned),
                  'asa_seconds', app_hidden.per(x.wait_seconds, x.known_wait), 'avg_abandon_wait_seconds', app_hidden.per(x.abandon_wait, x.abandoned),
                  'max_wait_seconds', x.max_wait) order by x.location, x.queue), '[]'::jsonb)
    into queue_rows
    from (select i.queue, i.location, sum(i.offered) as offered, sum(i.answered) as answered, sum(i.abandoned) as abandoned,
                 sum(i.short_abandoned) as short_abandoned, sum(i.voicemail) as voicemail, sum(i.missed) as missed,
                 sum(i.answered_within_sl + case when i.abandon_mode = 'positive' then i.abandoned_within_sl else 0 end) as num,
                 sum(i.service_level_denominator) as den, sum(i.answered_wait_seconds) as wait_seconds, sum(i.answered_known_wait) as known_wait,
                 sum(i.abandoned_wait_seconds) as abandon_wait, max(i.max_wait_seconds) as max_wait, max(s.sl_goal_pct) as goal
            from unnest(ivs) i left join app_hidden.effective_queue_settings s on s.queue_name = i.queue
           where i.business_day between from_day and to_day group by i.queue, i.location) x;

  -- Call types, outcomes and area codes: from the calls the caller may see, one read.
  with calls as materialized (
    select c.call_id, c.call_direction, c.call_type, c.call_status, c.call_outcome, c.caller_number_hash, c.location
      from app_public.call_center_records c
      left join app_hidden.report_location_hours() h on h.location = c.location
     where c.call_start_time >= range_start and c.call_start_time < range_end
       and c.call_direction in ('inbound', 'outbound')
       and (location is null or c.location = location)
       and (qname is null or c.queue_name = qname)
       and (not bh or (extract(isodow from c.call_start_time at time zone tz)::smallint = any (h.business_days)
                       and (c.call_start_time at time zone tz)::time >= h.business_open
                       and (c.call_start_time at time zone tz)::time < h.business_close))
  ), areas as (
    select coalesce(a.area_code, 'other') as area_code, count(*) as calls, count(distinct c.caller_number_hash) as callers
      from calls c
      left join app_hidden.report_call_area_codes((select array_agg(x.call_id) from calls x where x.call_direction = 'inbound')) a on a.call_id = c.call_id
     where c.call_direction = 'inbound'
     group by 1
  ), costed as (
    -- What the PBX billed (3CX bill-cost, where it reports one), by direction and location.
    select c.call_direction, c.location, count(*) as calls, sum(k.amount) as amount
      from calls c join app_hidden.report_call_costs((select array_agg(x.call_id) from calls x)) k on k.call_id = c.call_id
     group by 1, 2
  )
  select (select coalesce(jsonb_agg(jsonb_build_object('call_type', t.call_type, 'call_direction', t.call_direction, 'calls', t.n)
                          order by t.call_direction, t.n desc, t.call_type), '[]'::jsonb)
            from (select coalesce(c.call_type, 'unclassified') as call_type, c.call_direction, count(*) as n from calls c group by 1, 2) t),
         (select coalesce(jsonb_agg(jsonb_build_object('call_status', t.call_status, 'call_outcome', t.call_outcome, 'calls', t.n)
                          order by t.n desc, t.call_status, t.call_outcome), '[]'::jsonb)
            from (select c.call_status, coalesce(c.call_outcome, 'not recorded') as call_outcome, count(*) as n from calls c group by 1, 2) t),
         (select coalesce(jsonb_agg(case when a.callers >= min_callers
                                         then jsonb_build_object('area_code', a.area_code, 'calls', a.calls, 'callers', a.callers, 'suppressed', '[]'::jsonb)
                                         else jsonb_build_object('area_code', a.area_code, 'calls', null, 'callers', null, 'suppressed', '["calls", "callers"]'::jsonb) end
                          order by (a.callers >= min_callers) desc, case when a.callers >= min_callers then a.callers end desc nulls last, a.area_code), '[]'::jsonb)
            from areas a),
         (select jsonb_build_object('rows', coalesce(jsonb_agg(jsonb_build_object('call_direction', x.call_direction,
                   'location', coalesce(x.location, 'not attributed'), 'calls', x.calls, 'cost', x.amount,
                   'cost_per_call', round(x.amount / x.calls, 4)) order by x.call_direction, x.location), '[]'::jsonb),
                   'total', sum(x.amount), 'calls', coalesce(sum(x.calls), 0))
            from costed x)
    into type_rows, outcome_rows, area_rows, cost;

  -- The trend: each day of the range against the same weekday of the four weeks before it.
  with daily as (
    select i.business_day, sum(i.offered) as offered, sum(i.abandoned) as abandoned, sum(i.short_abandoned) as short_abandoned,
           app_hidden.pct(sum(i.answered_within_sl + case when i.abandon_mode = 'positive' then i.abandoned_within_sl else 0 end), sum(i.service_level_denominator)) as sl,
           app_hidden.pct(sum(i.abandoned), sum(i.offered) - sum(i.short_abandoned)) as ab,
           app_hidden.per(sum(i.answered_wait_seconds), sum(i.answered_known_wait)) as asa
      from unnest(ivs) i group by i.business_day
  ), judged as (
    select d.business_day, d.offered, d.sl, d.ab, d.asa, h.n, h.offered_mean, h.offered_sd, h.sl_mean, h.sl_sd, h.ab_mean, h.ab_sd, h.asa_mean, h.asa_sd
      from daily d
      cross join lateral (
        select count(*) as n, avg(x.offered) as offered_mean, stddev_samp(x.offered) as offered_sd, avg(x.sl) as sl_mean, stddev_samp(x.sl) as sl_sd,
               avg(x.ab) as ab_mean, stddev_samp(x.ab) as ab_sd, avg(x.asa) as asa_mean, stddev_samp(x.asa) as asa_sd
          from daily x where x.business_day in (d.business_day - 7, d.business_day - 14, d.business_day - 21, d.business_day - 28)) h
     where d.business_day between from_day and to_day
  ), flagged as (
    select j.*, array_remove(array[
             case when j.n >= 3 and j.offered_sd > 0 and abs(j.offered - j.offered_mean) > 2 * j.offered_sd then 'offered' end,
             case when j.n >= 3 and j.sl_sd > 0 and abs(j.sl - j.sl_mean) > 2 * j.sl_sd then 'service_level_pct' end,
             case when j.n >= 3 and j.ab_sd > 0 and abs(j.ab - j.ab_mean) > 2 * j.ab_sd then 'abandonment_rate_pct' end,
             case when j.n >= 3 and j.asa_sd > 0 and abs(j.asa - j.asa_mean) > 2 * j.asa_sd then 'asa_seconds' end], null) as flags
      from judged j
  )
  select coalesce(jsonb_agg(jsonb_build_object('business_day', f.business_day, 'weekday', trim(to_char(f.business_day, 'Day')),
                  'offered', f.offered, 'offered_usual', round(f.offered_mean, 2),
                  'service_level_pct', f.sl, 'service_level_usual', round(f.sl_mean, 2),
                  'abandonment_rate_pct', f.ab, 'abandonment_usual', round(f.ab_mean, 2),
                  'asa_seconds', f.asa, 'asa_usual', round(f.asa_mean, 2), 'weeks_of_history', f.n, 'flagged', to_jsonb(f.flags))
                  order by f.business_day), '[]'::jsonb),
         coalesce(jsonb_agg(jsonb_build_object('business_day', f.business_day, 'series', 'Offered', 'calls', f.offered) order by f.business_day), '[]'::jsonb)
           || coalesce(jsonb_agg(jsonb_build_object('business_day', f.business_day, 'series', 'Same weekday, 4 weeks before (mean)', 'calls', round(f.offered_mean, 2))
                                 order by f.business_day) filter (where f.n > 0), '[]'::jsonb),
         count(*) filter (where cardinality(f.flags) > 0)
    into trend_rows, trend_chart, flagged_days
    from flagged f;

  return app_hidden.report_document('call_analytics', 'Call analytics', from_day, to_day,
    jsonb_build_object('location', location, 'locations', to_jsonb(locs), 'queue', qname, 'business_hours_only', bh,
                       'previous_period', jsonb_build_object('from', prev_from, 'to', prev_to)),
    jsonb_build_array(
      app_hidden.report_item('offered', 'Calls offered', coalesce(cur.offered, 0), 'int', null, null,
        format('previous period: %s', coalesce(prev.offered, 0))),
      app_hidden.report_item('offered_change_pct', 'Change against the previous period', app_hidden.pct(coalesce(cur.offered, 0) - coalesce(prev.offered, 0), prev.offered), 'pct'),
      app_hidden.report_item('service_level_pct', 'Service level', app_hidden.pct(cur.sl_num, cur.sl_den), 'pct', sl_goal,
        case when cur.sl_den > 0 then case when app_hidden.pct(cur.sl_num, cur.sl_den) >= sl_goal then 'ok' else 'behind' end end,
        format('previous period: %s', coalesce(app_hidden.pct(prev.sl_num, prev.sl_den)::text || ' %', 'no calls'))),
      app_hidden.report_item('abandonment_rate_pct', 'Abandonment', app_hidden.pct(cur.abandoned, cur.offered - cur.short_abandoned), 'pct', null, null,
        format('previous period: %s', coalesce(app_hidden.pct(prev.abandoned, prev.offered - prev.short_abandoned)::text || ' %', 'no calls'))),
      app_hidden.report_item('asa_seconds', 'Average speed of answer', app_hidden.per(cur.wait_seconds, cur.known_wait), 'seconds', null, null,
        format('previous period: %s', coalesce(app_hidden.per(prev.wait_seconds, prev.known_wait)::text || ' s', 'no calls'))),
      app_hidden.report_item('call_cost', 'Call cost', (cost ->> 'total')::numeric, 'money', null, null,
        case when (cost ->> 'calls')::integer > 0 then format('%s calls with a cost reported by the PBX (bill-cost)', cost ->> 'calls')
             else 'The PBX reported no call cost (bill-cost) for these calls' end),
      app_hidden.report_item('flagged_days', 'Unusual days', flagged_days, 'int', null, null,
        'days with a figure more than 2 standard deviations from the same weekday of the four weeks before')),
    jsonb_build_array(
      jsonb_build_object('key', 'by_hour', 'title', 'Volumes by hour of the day', 'columns', jsonb_build_array(
          app_hidden.report_column('hour', 'Hour', 'text'), app_hidden.report_column('offered', 'Offered', 'int'),
          app_hidden.report_column('answered', 'Answered', 'int'), app_hidden.report_column('abandoned', 'Abandoned', 'int'),
          app_hidden.report_column('service_level_pct', 'Service level', 'pct')), 'rows', hour_rows),
      jsonb_build_object('key', 'by_weekday', 'title', 'Volumes by weekday', 'columns', jsonb_build_array(
          app_hidden.report_column('weekday', 'Weekday', 'text'), app_hidden.report_column('days', 'Days', 'int'),
          app_hidden.report_column('offered', 'Offered', 'int'), app_hidden.report_column('offered_per_day', 'Offered a day', 'number'),
          app_hidden.report_column('answered', 'Answered', 'int'), app_hidden.report_column('abandoned', 'Abandoned', 'int')), 'rows', weekday_rows),
      jsonb_build_object('key', 'queues', 'title', 'Queues', 'columns', jsonb_build_array(
          app_hidden.report_column('queue', 'Queue', 'text'), app_hidden.report_column('location', 'Location', 'text'),
          app_hidden.report_column('offered', 'Offered', 'int'), app_hidden.report_column('answered', 'Answered', 'int'),
          app_hidden.report_column('abandoned', 'Abandoned', 'int'), app_hidden.report_column('short_abandoned', 'Short abandons', 'int'),
          app_hidden.report_column('voicemail', 'Voicemail', 'int'), app_hidden.report_column('missed', 'Missed', 'int'),
          app_hidden.report_column('service_level_pct', 'Service level', 'pct'), app_hidden.report_column('sl_goal_pct', 'Goal', 'pct'),
          app_hidden.report_column('abandonment_rate_pct', 'Abandonment', 'pct'), app_hidden.report_column('asa_seconds', 'ASA', 'seconds'),
          app_hidden.report_column('avg_abandon_wait_seconds', 'Abandon wait', 'seconds'), app_hidden.report_column('max_wait_seconds', 'Longest wait', 'seconds')),
        'rows', queue_rows),
      jsonb_build_object('key', 'call_types', 'title', 'Call types', 'columns', jsonb_build_array(
          app_hidden.report_column('call_type', 'Type', 'text'), app_hidden.report_column('call_direction', 'Direction', 'text'),
          app_hidden.report_column('calls', 'Calls', 'int')), 'rows', type_rows),
      jsonb_build_object('key', 'outcomes', 'title', 'Outcomes', 'columns', jsonb_build_array(
          app_hidden.report_column('call_status', 'Status', 'text'), app_hidden.report_column('call_outcome', 'Outcome', 'text'),
          app_hidden.report_column('calls', 'Calls', 'int')), 'rows', outcome_rows),
      jsonb_build_object('key', 'area_codes', 'title', 'Inbound callers by area code', 'columns', jsonb_build_array(
          app_hidden.report_column('area_code', 'Area code', 'text'), app_hidden.report_column('calls', 'Calls', 'int'),
          app_hidden.report_column('callers', 'Distinct callers', 'int')), 'rows', area_rows,
        'notes', jsonb_build_array(format('An area code with fewer than %s distinct callers is not shown (its figures are empty).', min_callers),
                                   '"other" is a number outside North America, withheld or internal.')),
      jsonb_build_object('key', 'call_costs', 'title', 'Call cost (as the PBX bills it)', 'columns', jsonb_build_array(
          app_hidden.report_column('call_direction', 'Direction', 'text'), app_hidden.report_column('location', 'Location', 'text'),
          app_hidden.report_column('calls', 'Calls with a cost', 'int'), app_hidden.report_column('cost', 'Cost', 'money'),
          app_hidden.report_column('cost_per_call', 'Per call', 'money')), 'rows', cost -> 'rows',
        'notes', jsonb_build_array('3CX''s bill-cost of each record, in the PBX''s currency; a PBX without billing set up reports none.')),
      jsonb_build_object('key', 'trend', 'title', 'By day, against the same weekday of the four weeks before', 'columns', jsonb_build_array(
          app_hidden.report_column('business_day', 'Day', 'date'), app_hidden.report_column('weekday', 'Weekday', 'text'),
          app_hidden.report_column('offered', 'Offered', 'int'), app_hidden.report_column('offered_usual', 'Usual', 'number'),
          app_hidden.report_column('service_level_pct', 'Service level', 'pct'), app_hidden.report_column('service_level_usual', 'Usual', 'pct'),
          app_hidden.report_column('abandonment_rate_pct', 'Abandonment', 'pct'), app_hidden.report_column('abandonment_usual', 'Usual', 'pct'),
          app_hidden.report_column('asa_seconds', 'ASA', 'seconds'), app_hidden.report_column('asa_usual', 'Usual', 'seconds'),
          app_hidden.report_column('weeks_of_history', 'Weeks of history', 'int')),
        'rows', trend_rows,
        'notes', jsonb_build_array('A figure more than 2 standard deviations from its mean on the same weekday of the four weeks before is flagged (with at least 3 of those days having calls).'))),
    jsonb_build_array(
      jsonb_build_object('key', 'volume_by_hour', 'title', 'Calls offered by hour of the day', 'kind', 'bar',
        'x', jsonb_build_object('field', 'hour', 'title', 'Hour (local time)', 'type', 'ordinal'),
        'y', jsonb_build_object('field', 'offered', 'title', 'Calls', 'type', 'int'), 'series', null, 'goal', null, 'data', hour_rows),
      jsonb_build_object('key', 'volume_by_weekday', 'title', 'Calls offered by weekday', 'kind', 'bar',
        'x', jsonb_build_object('field', 'weekday', 'title', 'Weekday', 'type', 'ordinal'),
        'y', jsonb_build_object('field', 'offered', 'title', 'Calls', 'type', 'int'), 'series', null, 'goal', null, 'data', weekday_rows),
      jsonb_build_object('key', 'offered_trend', 'title', 'Calls offered by day, against the usual', 'kind', 'line',
        'x', jsonb_build_object('field', 'business_day', 'title', 'Day', 'type', 'temporal'),
        'y', jsonb_build_object('field', 'calls', 'title', 'Calls', 'type', 'int'), 'series', 'series', 'goal', null, 'data', trend_chart)));
end;
$function$;
comment on function app_public.report_call_analytics(date, date, text, text, boolean) is 'The call analytics report as a document (server/reports/report-document.ts): volumes by hour and weekday, each queue''s service level and abandonment, call types and outcomes, inbound callers by area code (an area code with fewer than 11 distinct callers suppressed), and each day against the same weekday of the four weeks before (figures more than 2 standard deviations off flagged), with the previous period in the summary. One location or queue (name or extension), or all you may see; businessHoursOnly counts only what happened inside each location''s business hours and weekdays. Needs viewTeamPerformance. Errors: CC711-CC715, CC971 a location you may not report on.';
revoke all on function app_public.report_call_analytics(date, date, text, text, boolean) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_public.report_call_analytics(date, date, text, text, boolean) to app_visitor;
--! EndIncluded reports/call-analytics.sql
