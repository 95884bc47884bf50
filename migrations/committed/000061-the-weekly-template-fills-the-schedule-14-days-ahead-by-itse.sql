--! Previous: sha1:f2326ecfc20de0df8cbda19a59e7c4371f96053b
--! Hash: sha1:6e8bbba873355efa628acdf3bd4e99c68e005a61
--! Message: The weekly template fills the schedule 14 days ahead by itself

-- The weekly template fills the schedule 14 days ahead by itself (worker, hourly; a day is filled once).
create table if not exists app_private.shift_template_fill (
  id boolean primary key default true check (id),
  filled_through date not null,
  filled_at timestamptz not null default now()
);
comment on table app_private.shift_template_fill is 'One row: the last day the weekly template was filled through (app_private.fill_shifts_from_template); a day is never filled twice, so a shift deleted after it was made stays deleted.';
--! Included access/app_private.shift_template_fill.sql
revoke all on app_private.shift_template_fill from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant insert, select, update on app_private.shift_template_fill to app_worker;
--! EndIncluded access/app_private.shift_template_fill.sql
--! Included workforce/template-fill.sql
-- The weekly template keeps the schedule filled by itself: every day the
-- worker (shifts__fill_from_template) makes the shifts of the days that have
-- just come within the horizon (14 days ahead) out of shift_templates.
-- It only ever creates a missing shift: a shift uploaded, changed or deleted
-- by a supervisor is left as it is, and a day already filled is never filled
-- again (so deleting a made shift, to give someone the day off, sticks).
-- applyShiftTemplate stays the explicit way to re-apply a week.
create or replace function app_private.fill_shifts_from_template(horizon_days integer default 14)
 returns integer
 language plpgsql
 volatile
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
declare
  today date := app_hidden.business_day(now());
  last_day date := today + horizon_days;
  first_day date;
  n integer;
begin
  if horizon_days is null or horizon_days < 1 or horizon_days > 56 then
    raise exception 'The template horizon is 1 to 56 days; % is not.', horizon_days using errcode = '22023';
  end if;
  -- One run at a time; the first run fills from tomorrow, a later one from the day after the last day filled.
  insert into app_private.shift_template_fill (filled_through) values (today) on conflict (id) do nothing;
  select greatest(f.filled_through + 1, today + 1) into first_day from app_private.shift_template_fill f for update;
  if first_day > last_day then
    return 0;
  end if;
  insert into app_public.agent_shifts (agent_email, agent_name, location, shift_date, scheduled_start_time, scheduled_end_time, shift_notes)
  select t.agent_email, coalesce(a.display_name, nullif(u.full_name, ''), split_part(u.email::text, '@', 1)),
         t.location, d::date, t.scheduled_start_time, t.scheduled_end_time, t.shift_notes
    from generate_series(first_day, last_day, interval '1 day') d
    join app_public.shift_templates t on t.weekday = extract(isodow from d)::integer and t.is_active
    join app_public.users u on u.email = t.agent_email and u.is_active
    left join lateral (select x.display_name from app_public.agents x where x.user_email = t.agent_email and x.is_active and x.display_name is not null
                        order by x.extension limit 1) a on true
  on conflict (agent_email, shift_date) do nothing;
  get diagnostics n = row_count;
  update app_private.shift_template_fill set filled_through = last_day, filled_at = now();
  return n;
end;
$function$;
comment on function app_private.fill_shifts_from_template(integer) is 'Creates the shifts of the days newly within the horizon (default 14 days ahead) from the weekly template (active rows, active people); never changes or re-creates an existing or deleted shift, never fills a day twice. Returns how many shifts it created. Run hourly by the worker (shifts__fill_from_template).';
revoke all on function app_private.fill_shifts_from_template(integer) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_private.fill_shifts_from_template(integer) to app_worker;
--! EndIncluded workforce/template-fill.sql
