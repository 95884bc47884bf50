--! Previous: sha1:757e48aee46b58b89035fb7b4d3731c038b51db4
--! Hash: sha1:71bfb59e7b10b6045be4f158d282a01db3d4b7d4
--! Message: Ingestion against garbage: a body's dead letters bounded per reason (repeat_count, last_line_number)

-- Ingestion against garbage: a body's dead letters are bounded. Beyond CDR_MAX_DEAD_LETTERS_PER_REASON records
-- failing with the same reason, the rest of them are one row with their count and line range.
alter table app_private.cdr_dead_letters
  add column if not exists repeat_count integer not null default 1,
  add column if not exists last_line_number integer;

alter table app_private.cdr_dead_letters drop constraint if exists cdr_dead_letters_repeat_count_check;
alter table app_private.cdr_dead_letters add constraint cdr_dead_letters_repeat_count_check check (repeat_count >= 1);
alter table app_private.cdr_dead_letters drop constraint if exists cdr_dead_letters_line_range_check;
alter table app_private.cdr_dead_letters add constraint cdr_dead_letters_line_range_check
  check (last_line_number is null or (repeat_count > 1 and line_number is not null and last_line_number > line_number));

comment on column app_private.cdr_dead_letters.repeat_count is
  'Records this row stands for: 1, or, beyond CDR_MAX_DEAD_LETTERS_PER_REASON records of one body failing with the same reason, the count of the rest (the row keeps the first of them; npm run cdr:retry reads the whole body again).';
comment on column app_private.cdr_dead_letters.last_line_number is
  'For a row standing for several records: the line of the last of them (line_number is the first); NULL otherwise.';
