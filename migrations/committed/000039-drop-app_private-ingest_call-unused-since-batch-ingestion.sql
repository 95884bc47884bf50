--! Previous: sha1:8b6efccd5ee068502705262f748437f1cf7b1607
--! Hash: sha1:670d0bee218540205b57e739cecfb44810b2333b
--! Message: Drop app_private.ingest_call: unused since batch ingestion

-- app_private.ingest_call(jsonb) was the first entry point for one call; nothing
-- calls it since ingestion works in batches (app_private.ingest_calls).
drop function if exists app_private.ingest_call(jsonb);
