--! Previous: sha1:75c7fd48915787d39cf5bd37e46d21b31d7303f5
--! Hash: sha1:c9aff7e384740cda81d047c5a255297f2f0ee36d
--! Message: cdr feed health: the last 50 live records' median clock offset and type fields

/*
 * The CDR feed as the health check and /metrics see it: the last 50 live 3CX
 * records (app_private.cdr_feed_samples, kept by cdr__process), how far their
 * end times are from their arrival, and whether they carry the type fields.
 */

drop function if exists app_hidden.cdr_feed_health();
create function app_hidden.cdr_feed_health() returns jsonb
  language sql stable security definer
  set search_path to pg_catalog, public, pg_temp
  as $$
  with recent as (
    select received_at, record_end, has_type_fields
      from app_private.cdr_feed_samples
     order by id desc
     limit 50
  )
  select jsonb_build_object(
    'samples', count(*),
    'median_offset_seconds', percentile_cont(0.5) within group (order by extract(epoch from received_at - record_end)::float8),
    'latest_received_at', max(received_at),
    'with_type_fields', count(*) filter (where has_type_fields)
  )
  from recent
$$;
comment on function app_hidden.cdr_feed_health() is 'The last 50 live 3CX records (webhook, socket), for GET /api/processing/health-check and /metrics: samples (how many, at most 50), median_offset_seconds (median of arrival minus the record''s end time, in seconds; a few seconds when the PBX''s clock and zone agree with THREECX_CDR_TIMEZONE; NULL with no samples), latest_received_at, with_type_fields (how many carried from-type, to-type or final-type).';
grant execute on function app_hidden.cdr_feed_health() to app_authenticator;
