--! Previous: sha1:c6dfea31fc8cef2fc18c278af50c0f45a6fa52ba
--! Hash: sha1:3851cc18d577a704119ee52a0b1afb052c83c760
--! Message: KPI recount job queued after the ingest commits, not inside it (a job row held by an open ingest was skipped by the worker until its next poll)

/*
 * Same marking; a writer that queues kpi__refresh itself once it has
 * committed (the CDR worker, which holds a transaction per claim) sets
 * app.kpi_refresh_after_commit = on, so its transaction never holds the job's
 * row: a worker looking for jobs skips a locked row and would only find it
 * again at its next poll, seconds later.
 */
create or replace function app_private.mark_kpis_stale(queue_keys jsonb, agent_keys jsonb) returns void
  language plpgsql volatile security definer
  set search_path to pg_catalog, public, pg_temp
  as $$
declare
  n integer := 0;
  m integer := 0;
begin
  insert into app_private.kpi_stale_queue_intervals (queue_name, interval_start)
  select distinct x.queue_name, x.interval_start from jsonb_to_recordset(queue_keys) as x(queue_name text, interval_start timestamptz)
   where x.queue_name is not null and x.interval_start is not null
  on conflict do nothing;
  get diagnostics n = row_count;
  insert into app_private.kpi_stale_agent_days (agent_extension, business_day)
  select distinct x.agent_extension, x.business_day from jsonb_to_recordset(agent_keys) as x(agent_extension text, business_day date)
   where x.agent_extension is not null and x.business_day is not null
  on conflict do nothing;
  get diagnostics m = row_count;
  if n + m > 0 and coalesce(current_setting('app.kpi_refresh_after_commit', true), '') <> 'on' then
    perform app_private.add_job('kpi__refresh', '{}'::json, job_key => 'kpi__refresh');
  end if;
end;
$$;
