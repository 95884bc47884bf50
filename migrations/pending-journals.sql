-- The supervisor's day, journals: create, submit, review (score and coaching), approve,
-- bulk-create, the reviewer's queue and search; status moves draft -> submitted -> reviewed
-- -> approved by the right people (never one's own journal); the agent notified of each
-- review, approval and coming follow-up; no payment card numbers in any journal text.

-- searchCallJournals gains filters: the old one-argument function goes.
drop function if exists app_public.search_call_journals(text);

--!include journals/card-numbers.sql
--!include journals/review-rules.sql
--!include notifications/wanted.sql
--!include journals/notifications.sql
--!include journals/workflow.sql
--!include journals/pending-review.sql
--!include journals/bulk-create.sql
--!include journals/search.sql
--!include access/call_journals.sql

drop trigger if exists _250_no_card_numbers on app_public.call_journals;
create trigger _250_no_card_numbers before insert or update on app_public.call_journals
  for each row execute function app_private.tg_call_journals__no_card_numbers();
drop trigger if exists _800_notify on app_public.call_journals;
create trigger _800_notify after update of journal_status on app_public.call_journals
  for each row when (new.journal_status is distinct from old.journal_status) execute function app_private.tg_call_journals__notify();

-- Searches are bounded by creation time.
create index if not exists call_journals_created_idx on app_public.call_journals (created_at);

comment on column app_public.call_journals.journal_status is 'draft, submitted, reviewed or approved, in that order only: submitCallJournal, reviewCallJournal, approveCallJournal.';
comment on column app_public.call_journals.reviewed_by is 'Who reviewed it (set by the database with the review).';
comment on column app_public.call_journals.reviewed_at is 'When it was reviewed (set by the database with the review).';
