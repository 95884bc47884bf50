--! Previous: sha1:daee2d487b475584e4d8501c466e9738f008271e
--! Hash: sha1:cf390292d72c3bd674b5248e8ef541ae2471f6e3
--! Message: ingestion: retry dead letters, ingest latency per raw row

/*
 * After a configuration fix (field order, time zone), the bodies that left
 * dead letters are processed again: their raw rows go back to pending and the
 * old dead letters are closed (still-bad lines are dead-lettered anew, good
 * ones become calls; ingestion is idempotent, so nothing doubles).
 */
create function app_private.retry_dead_letters() returns integer
  language plpgsql volatile
  set search_path to pg_catalog, public, pg_temp
  as $$
declare
  n int;
begin
  update app_private.cdr_raw set status = 'pending', processed_at = null
   where id in (select raw_id from app_private.cdr_dead_letters where resolved_at is null);
  get diagnostics n = row_count;
  update app_private.cdr_dead_letters set retried_at = now(), resolved_at = now() where resolved_at is null;
  if n > 0 then
    perform app_private.add_job('cdr__process', '{}', job_key => 'cdr__process');
  end if;
  return n;
end;
$$;
comment on function app_private.retry_dead_letters() is 'Sends the raw bodies behind open dead letters through the pipeline again; returns how many.';

alter table app_private.cdr_raw drop constraint cdr_raw_check;
alter table app_private.cdr_raw add constraint cdr_raw_processed_check check (status = 'pending' or processed_at is not null);

/* Ingest latency per raw row (received → calls visible), for observability. */
create view analytics.ingest_latency as
select r.id as raw_id, r.source, r.received_at, r.processed_at, r.status,
       round(extract(epoch from (r.processed_at - r.received_at)) * 1000)::bigint as latency_ms
from app_private.cdr_raw r;
comment on view analytics.ingest_latency is 'Per raw CDR body: when it arrived, when its calls became visible, and the time between (ms).';
comment on column analytics.ingest_latency.raw_id is 'The raw body.';
comment on column analytics.ingest_latency.source is 'webhook, socket, import or retry.';
comment on column analytics.ingest_latency.received_at is 'When it was accepted (the 202).';
comment on column analytics.ingest_latency.processed_at is 'When its calls were committed.';
comment on column analytics.ingest_latency.status is 'processed, partial, dead_letter or pending.';
comment on column analytics.ingest_latency.latency_ms is 'processed_at − received_at, milliseconds.';
grant select on analytics.ingest_latency to app_analyst;
