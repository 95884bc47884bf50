--! Previous: sha1:79aab54abb2a0c47eb144ab4311d76a3e2fc2317
--! Hash: sha1:c6dfea31fc8cef2fc18c278af50c0f45a6fa52ba
--! Message: first-call resolution: derived from repeat calls as they arrive, made final when the window closes, people's values kept

/*
 * A handled inbound call from a known (not withheld) number is resolved
 * first time when the same number does not call any queue again within the
 * queue's fcr_window after it ends. Provisional until the window closes;
 * a repeat call makes it false (and final) at once. A value a person set is
 * kept (fcr_source = manual).
 */
create function app_private.derive_fcr(record_ids uuid[]) returns integer
  language plpgsql volatile
  set search_path to pg_catalog, public, pg_temp
  as $$
declare
  n integer;
  longest interval := coalesce((select max(s.fcr_window) from app_hidden.effective_queue_settings s), interval '7 days');
begin
  with callers as (
    -- The numbers of these calls, and how far back a call of theirs can still be flipped.
    select c.caller_number_hash as hash, min(c.call_start_time) - longest as since
      from app_public.call_center_records c
     where c.id = any(record_ids) and c.caller_number_hash is not null
     group by c.caller_number_hash
  ), candidates as (
    select c.id, c.caller_number_hash, c.call_end_time, coalesce(st.fcr_window, interval '7 days') as fcr_window
      from callers k
      join app_public.call_center_records c on c.caller_number_hash = k.hash and c.call_start_time >= k.since
      left join app_hidden.effective_queue_settings st on st.queue_name = c.queue_name
     where c.call_direction = 'inbound' and c.call_answer_time is not null and c.call_end_time is not null
       and coalesce(c.fcr_source, 'derived') = 'derived'
  ), derived as (
    select d.id, not d.repeated as resolved, d.repeated or now() >= d.call_end_time + d.fcr_window as final
      from (select x.*, exists (
              select 1 from app_public.call_center_records r
               where r.caller_number_hash = x.caller_number_hash and r.id <> x.id
                 and r.call_direction = 'inbound' and r.queue_name is not null
                 and r.call_start_time > x.call_end_time and r.call_start_time <= x.call_end_time + x.fcr_window) as repeated
              from candidates x) d
  )
  update app_public.call_center_records c
     set first_call_resolution = d.resolved, fcr_final = d.final, fcr_source = 'derived'
    from derived d
   where c.id = d.id
     and (c.first_call_resolution, c.fcr_final, c.fcr_source) is distinct from (d.resolved, d.final, 'derived');
  get diagnostics n = row_count;
  return n;
end;
$$;
comment on function app_private.derive_fcr(uuid[]) is 'Derives first-call resolution for these calls and for earlier calls of the same numbers (a repeat flips them); manual values are kept. Returns the calls changed.';

/* Windows that closed: provisional values become final (a scheduled job). */
create function app_private.finalize_fcr() returns integer
  language plpgsql volatile
  set search_path to pg_catalog, public, pg_temp
  as $$
declare
  n integer;
begin
  update app_public.call_center_records c set fcr_final = true
    from app_public.call_center_records x
    left join app_hidden.effective_queue_settings st on st.queue_name = x.queue_name
   where c.id = x.id and not c.fcr_final and c.fcr_source = 'derived'
     and now() >= c.call_end_time + coalesce(st.fcr_window, interval '7 days');
  get diagnostics n = row_count;
  return n;
end;
$$;
comment on function app_private.finalize_fcr() is 'Makes derived first-call resolution final for calls whose repeat-call window has closed; returns how many.';
create index call_center_records_fcr_open_idx on app_public.call_center_records (call_end_time) where not fcr_final and fcr_source = 'derived';

/* A person setting it makes it manual and final; it is never derived again. */
create function app_private.tg_call_center_records__fcr_source() returns trigger
  language plpgsql volatile
  set search_path to pg_catalog, public, pg_temp
  as $$
begin
  if auth.uid() is not null and new.first_call_resolution is distinct from old.first_call_resolution then
    new.fcr_source := case when new.first_call_resolution is null then null else 'manual' end;
    new.fcr_final := new.first_call_resolution is not null;
  end if;
  return new;
end;
$$;
comment on function app_private.tg_call_center_records__fcr_source() is 'Marks first-call resolution set by a person as manual (and final), so derivation leaves it alone.';
create trigger _031_fcr_source before update of first_call_resolution on app_public.call_center_records
  for each row execute function app_private.tg_call_center_records__fcr_source();

grant execute on function app_private.derive_fcr(uuid[]), app_private.finalize_fcr() to app_worker;
