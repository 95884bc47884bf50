--! Previous: sha1:98055e7945bd3edc5fa2bbd64fbeaf933abaf2bd
--! Hash: sha1:0374c397bd019b3b82391fd5416bd7519183b538
--! Message: A journal someone wrote is theirs too: created_by

-- Nobody reviews or approves their own journal: "own" includes one they
-- wrote in an agent's name (a supervisor's journal about an agent's call),
-- which the journal did not record. created_by is set by the database.
alter table app_public.call_journals add column if not exists created_by citext;
comment on column app_public.call_journals.created_by is 'Who wrote it (set by the database); they may not review or approve it.';
--! Included access/call_journals.sql
drop policy if exists select_in_scope on app_public.call_journals;
create policy select_in_scope on app_public.call_journals for select to app_visitor
  using ((select app_hidden.sees_all()) or (agent_email = (select app_hidden.own_email())) or (exists ( select 1
   from app_public.call_center_records c
  where ((c.id = call_journals.call_record_id) and (c.location = any ((select app_hidden.team_locations())::text[]))))));

drop policy if exists write_edit_call_journals on app_public.call_journals;
create policy write_edit_call_journals on app_public.call_journals for all to app_visitor
  using ((select app_hidden.has_permission('editCallJournals')) and ((select app_hidden.sees_all()) or (exists ( select 1
   from app_public.call_center_records c
  where ((c.id = call_journals.call_record_id) and ((c.location = any ((select app_hidden.team_locations())::text[])) or ((c.agent_email = (select app_hidden.own_email())) and (call_journals.agent_email = c.agent_email))))))));

revoke all on app_public.call_journals from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant delete on app_public.call_journals to app_visitor;
grant delete, insert, select, update on app_public.call_journals to app_worker;
grant insert (action_items, agent_email, call_record_id, call_summary, call_tags, coaching_notes, commendation_worthy, department_involved, detailed_notes, follow_up_date, follow_up_notes, follow_up_required, follow_up_type, improvement_areas, journal_status, patient_concern, referral_made, referral_type, resolution_provided, review_score, training_opportunities) on app_public.call_journals to app_visitor;
grant select (action_items, agent_email, call_record_id, call_summary, call_tags, coaching_notes, coaching_notes_encrypted, coaching_notes_masked, commendation_worthy, created_at, created_by, department_involved, detailed_notes, detailed_notes_encrypted, detailed_notes_masked, follow_up_date, follow_up_notes, follow_up_notes_encrypted, follow_up_notes_masked, follow_up_required, follow_up_type, id, improvement_areas, journal_status, notes_word_hashes, patient_concern, patient_concern_encrypted, patient_concern_masked, referral_made, referral_type, resolution_provided, resolution_provided_encrypted, resolution_provided_masked, review_score, reviewed_at, reviewed_by, search_vector, submitted_at, training_opportunities, updated_at) on app_public.call_journals to app_visitor;
grant update (action_items, call_summary, call_tags, coaching_notes, commendation_worthy, department_involved, detailed_notes, follow_up_date, follow_up_notes, follow_up_required, follow_up_type, improvement_areas, journal_status, patient_concern, referral_made, referral_type, resolution_provided, review_score, training_opportunities) on app_public.call_journals to app_visitor;
--! EndIncluded access/call_journals.sql
--! Included journals/review-rules.sql
-- Who moves a journal along, and who may change it (for people; the owner
-- and the worker are maintenance and bound only by the table's checks):
--   status moves only draft -> submitted -> reviewed -> approved, one step
--   at a time, and a journal is created as a draft or submitted (CC203);
--   reviewing and approving need reviewJournals (CC202), and nobody reviews
--   or approves their own journal (CC204);
--   a reviewed or approved journal is changed only by a reviewer who is not
--   its author (CC201);
--   a reviewed journal carries a score (CC721), set with the review, never
--   before; the database records who reviewed it and when.
create or replace function app_private.tg_call_journals__review_rules()
 returns trigger
 language plpgsql
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
declare
  person constant boolean := auth.uid() is not null;
  reviewer boolean;
  author boolean;
  was text;
  reviewing boolean;
begin
  if person and tg_op = 'INSERT' then
    new.created_by := auth.email()::citext; -- who wrote it, whoever it is about
  elsif person and tg_op = 'UPDATE' then
    new.created_by := old.created_by;
  end if;
  if not person then
    if tg_op = 'DELETE' then return old; end if;
    if new.journal_status <> 'draft' and new.submitted_at is null then
      new.submitted_at := now();
    end if;
    return new;
  end if;
  reviewer := app_hidden.has_permission('reviewJournals');
  -- Its author: the agent it is about, or whoever wrote it (a supervisor writing in an agent's name).
  author := auth.email()::citext in ((case when tg_op = 'INSERT' then new.agent_email else old.agent_email end),
                                     (case when tg_op = 'INSERT' then new.created_by else old.created_by end));
  if tg_op = 'DELETE' then
    if old.journal_status in ('reviewed', 'approved') and (not reviewer or author) then
      raise exception 'This journal has been reviewed; only a reviewer other than its author may change or delete it.' using errcode = 'CC201';
    end if;
    return old;
  end if;
  was := case when tg_op = 'UPDATE' then old.journal_status end;
  -- The one way through: draft -> submitted -> reviewed -> approved.
  if tg_op = 'INSERT' and new.journal_status not in ('draft', 'submitted') then
    raise exception 'A journal is created as a draft or submitted; it is reviewed and approved afterwards (reviewCallJournal, approveCallJournal).'
      using errcode = 'CC203', column = 'journal_status';
  end if;
  if tg_op = 'UPDATE' and new.journal_status is distinct from was
     and (was, new.journal_status) not in (('draft', 'submitted'), ('submitted', 'reviewed'), ('reviewed', 'approved')) then
    raise exception 'A % journal cannot become %: a journal moves only from draft to submitted to reviewed to approved, one step at a time.', was, new.journal_status
      using errcode = 'CC203', column = 'journal_status';
  end if;
  -- Reviewing: moving to reviewed or approved, or setting the score or coaching notes.
  reviewing := (new.journal_status in ('reviewed', 'approved') and new.journal_status is distinct from was)
    or new.coaching_notes is not null
    or new.review_score is distinct from (case when tg_op = 'UPDATE' then old.review_score end);
  if reviewing and not reviewer then
    raise exception 'Only reviewers (reviewJournals) may review or approve a journal.' using errcode = 'CC202';
  end if;
  if reviewing and author then
    raise exception 'Nobody reviews or approves their own journal; another reviewer of the location must.' using errcode = 'CC204';
  end if;
  if tg_op = 'UPDATE' and was in ('reviewed', 'approved') and (not reviewer or author) then
    raise exception 'This journal has been reviewed; only a reviewer other than its author may change it.' using errcode = 'CC201';
  end if;
  if reviewing and new.journal_status not in ('reviewed', 'approved') then
    raise exception 'A journal is scored and coached when it is reviewed: submit it, then review it (reviewCallJournal).'
      using errcode = 'CC203', column = 'journal_status';
  end if;
  if new.journal_status in ('reviewed', 'approved') and new.review_score is null then
    raise exception 'reviewScore is required to review a journal: a whole number from 1 to 100.' using errcode = 'CC721', column = 'review_score';
  end if;
  -- Who reviewed it and when: the database's record, not the writer's.
  if tg_op = 'INSERT' then
    new.reviewed_by := null;
    new.reviewed_at := null;
  elsif new.journal_status = 'reviewed' and (was <> 'reviewed' or new.review_score is distinct from old.review_score or new.coaching_notes is not null) then
    new.reviewed_by := auth.email()::citext;
    new.reviewed_at := now();
  else
    new.reviewed_by := old.reviewed_by;
    new.reviewed_at := old.reviewed_at;
  end if;
  if new.journal_status <> 'draft' and new.submitted_at is null then
    new.submitted_at := now();
  end if;
  return new;
end;
$function$;
comment on function app_private.tg_call_journals__review_rules() is 'The review rules of call journals for people: status moves draft -> submitted -> reviewed -> approved (CC203); reviewing needs reviewJournals (CC202) and is never of one''s own journal, one about you or written by you (CC204); a reviewed journal changes only through another reviewer (CC201); a reviewed journal has a score (CC721); reviewer and review time are set by the database.';
revoke all on function app_private.tg_call_journals__review_rules() from public, app_visitor, app_worker, app_analyst, app_authenticator;
--! EndIncluded journals/review-rules.sql
--! Included journals/workflow.sql
-- The journal's way, one mutation per step: the agent submits a draft, a
-- reviewer of the location scores and coaches it, a reviewer approves it.
-- The rules themselves are the table's (review-rules.sql), so updating the
-- journal directly obeys them too; these functions say which step is meant,
-- and answer an id one may not see with CC205 (REST: 404).
create or replace function app_public.submit_call_journal(journal_id uuid)
 returns app_public.call_journals
 language plpgsql
 volatile
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
declare
  j app_public.call_journals;
begin
  select * into j from app_public.call_journals where id = journal_id;
  if not found then
    raise exception 'No such journal, or not one you may see.' using errcode = 'CC205', column = 'journal_id';
  end if;
  if j.journal_status <> 'draft' then
    raise exception 'This journal is already %; only a draft is submitted.', j.journal_status using errcode = 'CC203', column = 'journal_status';
  end if;
  update app_public.call_journals set journal_status = 'submitted' where id = journal_id returning * into j;
  if not found then
    raise exception 'You may not change this journal.' using errcode = '42501';
  end if;
  return j;
end;
$function$;
comment on function app_public.submit_call_journal(uuid) is E'@resultFieldName callJournal\nSubmits a draft journal for review (draft -> submitted). Its agent, or whoever may edit it; CC203 when it is not a draft.';
revoke all on function app_public.submit_call_journal(uuid) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_public.submit_call_journal(uuid) to app_visitor;

create or replace function app_public.review_call_journal(
  journal_id uuid,
  review_score integer,
  coaching_notes text default null,
  commendation_worthy boolean default null,
  training_opportunities text[] default null,
  improvement_areas text[] default null)
 returns app_public.call_journals
 language plpgsql
 volatile
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
declare
  j app_public.call_journals;
begin
  if not app_hidden.has_permission('reviewJournals') then
    raise exception 'Only reviewers (reviewJournals) may review a journal.' using errcode = 'CC202';
  end if;
  if review_score is null or review_score not between 1 and 100 then
    raise exception 'reviewScore is required: a whole number from 1 to 100.' using errcode = 'CC721', column = 'review_score';
  end if;
  select * into j from app_public.call_journals where id = journal_id;
  if not found then
    raise exception 'No such journal, or not one you may see.' using errcode = 'CC205', column = 'journal_id';
  end if;
  if auth.email()::citext in (j.agent_email, j.created_by) then
    raise exception 'Nobody reviews or approves their own journal; another reviewer of the location must.' using errcode = 'CC204';
  end if;
  if j.journal_status not in ('submitted', 'reviewed') then
    raise exception 'Only a submitted journal is reviewed; this one is %.', j.journal_status using errcode = 'CC203', column = 'journal_status';
  end if;
  update app_public.call_journals c
     set journal_status = 'reviewed',
         review_score = review_call_journal.review_score,
         coaching_notes = review_call_journal.coaching_notes,
         commendation_worthy = coalesce(review_call_journal.commendation_worthy, c.commendation_worthy),
         training_opportunities = coalesce(review_call_journal.training_opportunities, c.training_opportunities),
         improvement_areas = coalesce(review_call_journal.improvement_areas, c.improvement_areas)
   where c.id = journal_id
  returning * into j;
  if not found then
    raise exception 'You may not change this journal.' using errcode = '42501';
  end if;
  return j;
end;
$function$;
comment on function app_public.review_call_journal(uuid, integer, text, boolean, text[], text[]) is E'@resultFieldName callJournal\nReviews a submitted journal (submitted -> reviewed; a reviewed one may be reviewed again): a score from 1 to 100 (CC721), coaching notes (stored encrypted), and optionally a commendation, training opportunities and improvement areas (not given: unchanged). Needs reviewJournals (CC202), never of one''s own journal (CC204); CC203 when the journal is not submitted. The agent is notified.';
revoke all on function app_public.review_call_journal(uuid, integer, text, boolean, text[], text[]) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_public.review_call_journal(uuid, integer, text, boolean, text[], text[]) to app_visitor;

create or replace function app_public.approve_call_journal(journal_id uuid)
 returns app_public.call_journals
 language plpgsql
 volatile
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
declare
  j app_public.call_journals;
begin
  if not app_hidden.has_permission('reviewJournals') then
    raise exception 'Only reviewers (reviewJournals) may approve a journal.' using errcode = 'CC202';
  end if;
  select * into j from app_public.call_journals where id = journal_id;
  if not found then
    raise exception 'No such journal, or not one you may see.' using errcode = 'CC205', column = 'journal_id';
  end if;
  if auth.email()::citext in (j.agent_email, j.created_by) then
    raise exception 'Nobody reviews or approves their own journal; another reviewer of the location must.' using errcode = 'CC204';
  end if;
  if j.journal_status <> 'reviewed' then
    raise exception 'Only a reviewed journal is approved; this one is %.', j.journal_status using errcode = 'CC203', column = 'journal_status';
  end if;
  update app_public.call_journals set journal_status = 'approved' where id = journal_id returning * into j;
  if not found then
    raise exception 'You may not change this journal.' using errcode = '42501';
  end if;
  return j;
end;
$function$;
comment on function app_public.approve_call_journal(uuid) is E'@resultFieldName callJournal\nApproves a reviewed journal (reviewed -> approved). Needs reviewJournals (CC202), never of one''s own journal (CC204); CC203 when the journal is not reviewed. The agent is notified.';
revoke all on function app_public.approve_call_journal(uuid) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_public.approve_call_journal(uuid) to app_visitor;
--! EndIncluded journals/workflow.sql
--! Included journals/pending-review.sql
-- The reviewer's queue behind GET /api/journals/pending-review: submitted
-- journals waiting for a review, oldest first, of the locations the reviewer
-- sees (the journals' row rules: a supervisor their locations, managers all),
-- never their own.
create or replace function app_public.pending_review_call_journals(location text default null)
 returns setof app_public.call_journals
 language plpgsql
 stable
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
begin
  if not app_hidden.has_permission('reviewJournals') then
    raise exception 'Only reviewers (reviewJournals) have journals to review.' using errcode = 'CC202';
  end if;
  perform app_hidden.check_known_queue_and_location(null, location);
  return query
    select j.* from app_public.call_journals j
     where j.journal_status = 'submitted'
       and j.agent_email is distinct from auth.email()::citext and j.created_by is distinct from auth.email()::citext
       and (pending_review_call_journals.location is null
            or exists (select 1 from app_public.call_center_records c
                        where c.id = j.call_record_id and c.location = pending_review_call_journals.location))
     order by j.submitted_at, j.id;
end;
$function$;
comment on function app_public.pending_review_call_journals(text) is 'Submitted journals waiting for your review, oldest first: of your locations (all with viewAllPerformance), optionally of one location (CC715 when it does not exist), never your own (about you or written by you). Needs reviewJournals (CC202).';
revoke all on function app_public.pending_review_call_journals(text) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_public.pending_review_call_journals(text) to app_visitor;
--! EndIncluded journals/pending-review.sql
