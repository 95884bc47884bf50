--! Previous: sha1:0f7abe0f3e9dd788633167e1cfb52687d0c3c62f
--! Hash: sha1:3302ce53799b389027c739c11ad49f5204edfdfe
--! Message: Journals: the supervisor's day

-- The supervisor's day, journals: create, submit, review (score and coaching), approve,
-- bulk-create, the reviewer's queue and search; status moves draft -> submitted -> reviewed
-- -> approved by the right people (never one's own journal); the agent notified of each
-- review, approval and coming follow-up; no payment card numbers in any journal text.

-- searchCallJournals gains filters: the old one-argument function goes.
drop function if exists app_public.search_call_journals(text);

--! Included journals/card-numbers.sql
-- Card numbers have no place in a medical practice's call notes: text that
-- looks like a payment card number is refused in every text field of a
-- journal, naming the field (CC722). One test of what "looks like" means,
-- and the trigger that applies it before the notes are encrypted.
create or replace function app_hidden.looks_like_card_number(value text)
 returns boolean
 language plpgsql
 immutable strict parallel safe
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
declare
  run text;
  groups text[];
  digits text;
  total integer;
  d integer;
begin
  -- Most text has fewer than 13 digits in all: nothing to look at.
  if length(regexp_replace(value, '[^0-9]', '', 'g')) < 13 then
    return false;
  end if;
  -- A run: blocks of digits separated by single spaces or dashes ("4111 1111-1111 1111").
  for run in select (r.m)[1] from regexp_matches(value, '([0-9]+(?:[ -][0-9]+)*)', 'g') as r(m) loop
    groups := regexp_split_to_array(run, '[ -]');
    -- Every stretch of whole blocks making 13 to 19 digits (a card number written beside other digits too).
    for i in 1 .. cardinality(groups) loop
      digits := '';
      for j in i .. cardinality(groups) loop
        digits := digits || groups[j];
        exit when length(digits) > 19;
        continue when length(digits) < 13;
        -- Luhn: from the right, every second digit doubled (less 9 above 9); the sum ends in 0.
        total := 0;
        for k in 1 .. length(digits) loop
          d := substr(digits, length(digits) - k + 1, 1)::integer;
          if k % 2 = 0 then
            d := d * 2;
            if d > 9 then d := d - 9; end if;
          end if;
          total := total + d;
        end loop;
        if total % 10 = 0 then
          return true;
        end if;
      end loop;
    end loop;
  end loop;
  return false;
end;
$function$;
comment on function app_hidden.looks_like_card_number(text) is 'Whether the text holds what looks like a payment card number: 13 to 19 digits, together or in blocks separated by single spaces or dashes, that pass the Luhn check.';
revoke all on function app_hidden.looks_like_card_number(text) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_hidden.looks_like_card_number(text) to app_visitor, app_worker;

create or replace function app_private.tg_call_journals__no_card_numbers()
 returns trigger
 language plpgsql
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
declare
  field text;
begin
  -- Each text field as written (the protected notes before they are encrypted; list items one per line,
  -- so digits of two items never make one run). On update only what changes is looked at.
  select f.name into field
    from (values
      (1, 'call_summary', new.call_summary, case when tg_op = 'UPDATE' then old.call_summary end),
      (2, 'detailed_notes', new.detailed_notes, null),
      (3, 'patient_concern', new.patient_concern, null),
      (4, 'resolution_provided', new.resolution_provided, null),
      (5, 'action_items', array_to_string(new.action_items, E'\n'), case when tg_op = 'UPDATE' then array_to_string(old.action_items, E'\n') end),
      (6, 'follow_up_type', new.follow_up_type, case when tg_op = 'UPDATE' then old.follow_up_type end),
      (7, 'follow_up_notes', new.follow_up_notes, null),
      (8, 'call_tags', array_to_string(new.call_tags, E'\n'), case when tg_op = 'UPDATE' then array_to_string(old.call_tags, E'\n') end),
      (9, 'department_involved', array_to_string(new.department_involved, E'\n'), case when tg_op = 'UPDATE' then array_to_string(old.department_involved, E'\n') end),
      (10, 'referral_type', new.referral_type, case when tg_op = 'UPDATE' then old.referral_type end),
      (11, 'coaching_notes', new.coaching_notes, null),
      (12, 'training_opportunities', array_to_string(new.training_opportunities, E'\n'), case when tg_op = 'UPDATE' then array_to_string(old.training_opportunities, E'\n') end),
      (13, 'improvement_areas', array_to_string(new.improvement_areas, E'\n'), case when tg_op = 'UPDATE' then array_to_string(old.improvement_areas, E'\n') end)
    ) f(n, name, value, old_value)
   where f.value is distinct from f.old_value and app_hidden.looks_like_card_number(f.value)
   order by f.n
   limit 1;
  if field is not null then
    raise exception '% holds what looks like a payment card number; card numbers have no place in call notes. Remove it (payments are taken in the billing system).',
      left(field, 1) || substr(replace(initcap(replace(field, '_', ' ')), ' ', ''), 2)
      using errcode = 'CC722', column = field;
  end if;
  return new;
end;
$function$;
comment on function app_private.tg_call_journals__no_card_numbers() is 'Refuses a journal whose text fields hold what looks like a payment card number (CC722, naming the field).';
revoke all on function app_private.tg_call_journals__no_card_numbers() from public, app_visitor, app_worker, app_analyst, app_authenticator;
--! EndIncluded journals/card-numbers.sql
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
  if not person then
    if tg_op = 'DELETE' then return old; end if;
    if new.journal_status <> 'draft' and new.submitted_at is null then
      new.submitted_at := now();
    end if;
    return new;
  end if;
  reviewer := app_hidden.has_permission('reviewJournals');
  author := (case when tg_op = 'INSERT' then new.agent_email else old.agent_email end) = auth.email()::citext;
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
comment on function app_private.tg_call_journals__review_rules() is 'The review rules of call journals for people: status moves draft -> submitted -> reviewed -> approved (CC203); reviewing needs reviewJournals (CC202) and is never of one''s own journal (CC204); a reviewed journal changes only through another reviewer (CC201); a reviewed journal has a score (CC721); reviewer and review time are set by the database.';
revoke all on function app_private.tg_call_journals__review_rules() from public, app_visitor, app_worker, app_analyst, app_authenticator;
--! EndIncluded journals/review-rules.sql
--! Included notifications/wanted.sql
-- Whether a person wants a kind of notification on a channel: their
-- notification_preferences row says so, and no row means the default (in-app
-- on, other channels off, as the table's comment states).
create or replace function app_private.notification_wanted(user_id uuid, notification_type text, channel text default 'in_app')
 returns boolean
 language sql
 stable
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
  select coalesce(
    (select p.enabled from app_public.notification_preferences p
      where p.user_id = notification_wanted.user_id and p.notification_type = notification_wanted.notification_type
        and p.channel = notification_wanted.channel),
    notification_wanted.channel = 'in_app')
$function$;
comment on function app_private.notification_wanted(uuid, text, text) is 'Whether the person wants this kind of notification on this channel: their preference, or by default in-app only.';
revoke all on function app_private.notification_wanted(uuid, text, text) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_private.notification_wanted(uuid, text, text) to app_worker;
--! EndIncluded notifications/wanted.sql
--! Included journals/notifications.sql
-- What a journal tells its agent (rows in app_public.notifications, one per
-- event: the dedupe key makes a repeat a no-op; delivery channels come later):
-- that it was reviewed (with the score) or approved, and that a follow-up it
-- asks for is coming due. Never any of the journal's text: notifications hold
-- no patient data. A person who turned a kind off in notification_preferences
-- gets none of it.
create or replace function app_private.tg_call_journals__notify()
 returns trigger
 language plpgsql
 security definer
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
declare
  by_whom text;
  call_day date;
begin
  if new.journal_status not in ('reviewed', 'approved') or new.journal_status is not distinct from old.journal_status then
    return null;
  end if;
  select coalesce(nullif(u.full_name, ''), u.email::text) into by_whom from app_public.users u where u.email = auth.email()::citext;
  select app_hidden.business_day(c.call_start_time) into call_day from app_public.call_center_records c where c.id = new.call_record_id;
  insert into app_public.notifications (user_id, notification_type, title, body, data, dedupe_key)
  select u.id, 'journal_' || new.journal_status,
         case new.journal_status when 'reviewed' then 'Your call journal was reviewed' else 'Your call journal was approved' end,
         case new.journal_status
           when 'reviewed' then format('%s reviewed your journal of a call on %s: %s of 100.', coalesce(by_whom, 'A reviewer'), call_day, new.review_score)
           else format('%s approved your journal of a call on %s.', coalesce(by_whom, 'A reviewer'), call_day) end,
         jsonb_build_object('journal_id', new.id, 'call_record_id', new.call_record_id, 'journal_status', new.journal_status,
                            'review_score', new.review_score, 'by', auth.email()),
         'journal_' || new.journal_status || ':' || new.id
    from app_public.users u
   where u.email = new.agent_email and app_private.notification_wanted(u.id, 'journal_' || new.journal_status)
  on conflict (user_id, dedupe_key) do nothing;
  return null;
end;
$function$;
comment on function app_private.tg_call_journals__notify() is 'Tells the journal''s agent, once, that it was reviewed (with the score) or approved, unless they turned that notification off.';
revoke all on function app_private.tg_call_journals__notify() from public, app_visitor, app_worker, app_analyst, app_authenticator;

create or replace function app_private.notify_due_follow_ups()
 returns integer
 language sql
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
  -- Due today or tomorrow (business days), or in the last 7 days and not yet told (a worker that was down catches up).
  with today as (select app_hidden.business_day(now()) as d),
  sent as (
    insert into app_public.notifications (user_id, notification_type, title, body, data, dedupe_key)
    select u.id, 'journal_follow_up_due', 'A follow-up is coming due',
           format('The %s follow-up from your journal of a call on %s is due %s.',
                  replace(j.follow_up_type, '_', ' '), app_hidden.business_day(c.call_start_time),
                  case when j.follow_up_date = t.d then 'today' when j.follow_up_date = t.d + 1 then 'tomorrow'
                       else format('since %s', j.follow_up_date) end),
           jsonb_build_object('journal_id', j.id, 'call_record_id', j.call_record_id, 'follow_up_type', j.follow_up_type,
                              'follow_up_date', j.follow_up_date),
           'journal_follow_up_due:' || j.id || ':' || j.follow_up_date
      from today t
      join app_public.call_journals j on j.follow_up_required and j.follow_up_date between t.d - 7 and t.d + 1
      join app_public.call_center_records c on c.id = j.call_record_id
      join app_public.users u on u.email = j.agent_email
     where app_private.notification_wanted(u.id, 'journal_follow_up_due')
    on conflict (user_id, dedupe_key) do nothing
    returning 1
  )
  select count(*)::integer from sent
$function$;
comment on function app_private.notify_due_follow_ups() is 'Tells each journal''s agent, once per journal and date, that its follow-up is due today or tomorrow (or was due in the last 7 days and they were not told); returns how many were told.';
revoke all on function app_private.notify_due_follow_ups() from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_private.notify_due_follow_ups() to app_worker;
--! EndIncluded journals/notifications.sql
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
  if j.agent_email = auth.email()::citext then
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
  if j.agent_email = auth.email()::citext then
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
       and j.agent_email is distinct from auth.email()::citext
       and (pending_review_call_journals.location is null
            or exists (select 1 from app_public.call_center_records c
                        where c.id = j.call_record_id and c.location = pending_review_call_journals.location))
     order by j.submitted_at, j.id;
end;
$function$;
comment on function app_public.pending_review_call_journals(text) is 'Submitted journals waiting for your review, oldest first: of your locations (all with viewAllPerformance), optionally of one location (CC715 when it does not exist), never your own. Needs reviewJournals (CC202).';
revoke all on function app_public.pending_review_call_journals(text) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_public.pending_review_call_journals(text) to app_visitor;
--! EndIncluded journals/pending-review.sql
--! Included journals/bulk-create.sql
-- POST /api/journals/bulk-create and bulkCreateCallJournals: many journals
-- at once, all or nothing. Each is inserted under every rule of the table
-- (row-level security, checks, review rules, card numbers), in its own
-- savepoint, so that every refused journal is reported, with its index
-- (from 0) and the field, in the error's DETAIL as {"problems": [...]} (the
-- server words them like its own errors); then nothing is kept (CC723).
create or replace function app_public.bulk_create_call_journals(journals app_public.call_journals[])
 returns setof app_public.call_journals
 language plpgsql
 volatile
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
declare
  -- The most journals one call creates (CC724).
  max_journals constant integer := 100;
  r app_public.call_journals;
  created uuid[] := '{}';
  new_id uuid;
  problems jsonb := '[]';
  i integer := 0;
  st text;
  msg text;
  col text;
  con text;
  tbl text;
  sch text;
begin
  if not app_hidden.has_permission('editCallJournals') then
    raise exception 'Only people who write call journals (editCallJournals) may create them.' using errcode = '42501';
  end if;
  if coalesce(cardinality(journals), 0) not between 1 and max_journals then
    raise exception 'Send from 1 to % journals at once; this was %.', max_journals, coalesce(cardinality(journals), 0)
      using errcode = 'CC724', column = 'journals';
  end if;
  foreach r in array journals loop
    begin
      insert into app_public.call_journals (
        call_record_id, agent_email, call_summary, detailed_notes, patient_concern, resolution_provided, action_items,
        follow_up_required, follow_up_type, follow_up_date, follow_up_notes, call_tags, department_involved, referral_made,
        referral_type, coaching_notes, training_opportunities, commendation_worthy, improvement_areas, journal_status, review_score)
      values (
        r.call_record_id, coalesce(r.agent_email, auth.email()::citext), r.call_summary, r.detailed_notes, r.patient_concern,
        r.resolution_provided, r.action_items, coalesce(r.follow_up_required, false), r.follow_up_type, r.follow_up_date,
        r.follow_up_notes, r.call_tags, r.department_involved, coalesce(r.referral_made, false), r.referral_type, r.coaching_notes,
        r.training_opportunities, coalesce(r.commendation_worthy, false), r.improvement_areas, coalesce(r.journal_status, 'draft'),
        r.review_score)
      returning id into new_id;
      created := created || new_id;
    exception when others then
      get stacked diagnostics st = returned_sqlstate, msg = message_text, col = column_name, con = constraint_name,
                              tbl = table_name, sch = schema_name;
      -- The message, never the detail (which can quote the row); the server words all but our own codes anew.
      problems := problems || jsonb_build_object('index', i, 'code', st, 'message', msg, 'column', nullif(col, ''),
                                                 'constraint', nullif(con, ''), 'table', nullif(tbl, ''), 'schema', nullif(sch, ''));
    end;
    i := i + 1;
  end loop;
  if jsonb_array_length(problems) > 0 then
    raise exception '% of % journals were refused; none was saved.', jsonb_array_length(problems), cardinality(journals)
      using errcode = 'CC723', column = 'journals', detail = jsonb_build_object('problems', problems)::text;
  end if;
  return query
    select j.* from unnest(created) with ordinality as c(id, n) join app_public.call_journals j on j.id = c.id order by c.n;
end;
$function$;
comment on function app_public.bulk_create_call_journals(app_public.call_journals[]) is E'@resultFieldName callJournals\nCreates 1 to 100 journals at once (CC724), all or nothing: each under the same rules as createCallJournal (not given: the agent is you, the status draft). When any is refused, none is saved and the error (CC723) lists every refused journal with its index (from 0), field and reason in extensions.problems.';
revoke all on function app_public.bulk_create_call_journals(app_public.call_journals[]) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_public.bulk_create_call_journals(app_public.call_journals[]) to app_visitor;
--! EndIncluded journals/bulk-create.sql
--! Included journals/search.sql
-- Journal search behind GET /api/journals/search and searchCallJournals:
-- words (full text over the unprotected fields, whole words of the protected
-- notes through the blind index: nothing is decrypted), tags, agent,
-- location, status, a follow-up due by a day, over a bounded range of
-- creation times, sorted by a whitelisted column, under the journals' own
-- row-level security. The words are bounded (CC701, CC702) and hashed once
-- per search, never once per journal.
create or replace function app_public.search_call_journals(
  query text default null,
  tags text[] default null,
  agent_email citext default null,
  location text default null,
  status text default null,
  from_time timestamptz default null,
  to_time timestamptz default null,
  follow_up_due_by date default null,
  sort text default '-created_at')
 returns setof app_public.call_journals
 language plpgsql
 stable
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
declare
  -- The bounds of a search; a larger one is refused (CC701, CC702, CC713; db/error_codes.md).
  max_length constant integer := 300;
  max_words constant integer := 20;
  max_days constant integer := 366;
  q constant text := trim(coalesce(query, ''));
  wanted_tags constant text[] := nullif(tags, '{}');
  since timestamptz := coalesce(from_time, coalesce(to_time, now()) - make_interval(days => max_days));
  words integer;
  terms tsquery;
  hashes bytea[];
begin
  -- Nothing asked for, nothing found.
  if q = '' and wanted_tags is null and agent_email is null and location is null and status is null
     and from_time is null and to_time is null and follow_up_due_by is null then
    return;
  end if;
  if length(q) > max_length then
    raise exception 'A search is at most % characters; this one has %.', max_length, length(q) using errcode = 'CC701', column = 'query';
  end if;
  -- Words as the blind index splits them (app_hidden.phi_word_hashes).
  select count(*) into words from regexp_split_to_table(lower(q), '[^[:alnum:]]+') w where w <> '';
  if words > max_words then
    raise exception 'A search is at most % words; this one has %.', max_words, words using errcode = 'CC702', column = 'query';
  end if;
  if cardinality(wanted_tags) > max_words then
    raise exception 'A search names at most % tags; this one names %.', max_words, cardinality(wanted_tags) using errcode = 'CC702', column = 'tags';
  end if;
  if to_time is not null and to_time <= since then
    raise exception 'toTime must be after fromTime.' using errcode = 'CC712', column = 'to_time';
  end if;
  if coalesce(to_time, now()) - since > make_interval(days => max_days) then
    raise exception 'A search covers at most % days; this one covers %.', max_days, ceil(extract(epoch from coalesce(to_time, now()) - since) / 86400)
      using errcode = 'CC713', column = 'from_time';
  end if;
  if status is not null and status not in ('draft', 'submitted', 'reviewed', 'approved') then
    raise exception 'status must be draft, submitted, reviewed or approved.' using errcode = 'CC714', column = 'status';
  end if;
  if sort not in ('created_at', '-created_at', 'submitted_at', '-submitted_at', 'follow_up_date', '-follow_up_date', 'review_score', '-review_score') then
    raise exception 'sort must be created_at, submitted_at, follow_up_date or review_score, with - before it for descending.' using errcode = 'CC714', column = 'sort';
  end if;
  perform app_hidden.check_known_queue_and_location(null, location);
  if q <> '' then
    terms := websearch_to_tsquery('english', q);
    hashes := app_hidden.phi_word_hashes(q);
  end if;
  return query
    select j.* from app_public.call_journals j
     where j.created_at >= since and (to_time is null or j.created_at < to_time)
       and (q = '' or j.search_vector @@ terms or (cardinality(hashes) > 0 and j.notes_word_hashes @> hashes))
       and (wanted_tags is null or j.call_tags @> wanted_tags)
       and (search_call_journals.agent_email is null or j.agent_email = search_call_journals.agent_email)
       and (status is null or j.journal_status = status)
       and (follow_up_due_by is null or (j.follow_up_required and j.follow_up_date <= follow_up_due_by))
       and (search_call_journals.location is null
            or exists (select 1 from app_public.call_center_records c
                        where c.id = j.call_record_id and c.location = search_call_journals.location))
     order by
       case sort when 'created_at' then j.created_at end asc,
       case sort when '-created_at' then j.created_at end desc,
       case sort when 'submitted_at' then j.submitted_at end asc nulls last,
       case sort when '-submitted_at' then j.submitted_at end desc nulls last,
       case sort when 'follow_up_date' then j.follow_up_date end asc nulls last,
       case sort when '-follow_up_date' then j.follow_up_date end desc nulls last,
       case sort when 'review_score' then j.review_score end asc nulls last,
       case sort when '-review_score' then j.review_score end desc nulls last,
       j.created_at desc, j.id;
end;
$function$;
comment on function app_public.search_call_journals(text, text[], citext, text, text, timestamptz, timestamptz, date, text) is E'Journals you may see matching every criterion given: `query` (full text over summary, tags, action items and departments, and whole words of the protected notes through the blind index, nothing decrypted; at most 300 characters and 20 words, CC701, CC702), `tags` (every one of them, at most 20), `agentEmail`, `location` (CC715 when it does not exist), `status`, `followUpDueBy` (a follow-up due on or before that day), created in [fromTime, toTime) (at most 366 days, CC712, CC713; by default the 366 days before toTime, or before now). Sorted by `sort`: created_at, submitted_at, follow_up_date or review_score, with a leading - for descending (default -created_at; CC714 for another value). No criterion at all finds nothing.';
revoke all on function app_public.search_call_journals(text, text[], citext, text, text, timestamptz, timestamptz, date, text) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_public.search_call_journals(text, text[], citext, text, text, timestamptz, timestamptz, date, text) to app_visitor;
--! EndIncluded journals/search.sql
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
grant select (action_items, agent_email, call_record_id, call_summary, call_tags, coaching_notes, coaching_notes_encrypted, coaching_notes_masked, commendation_worthy, created_at, department_involved, detailed_notes, detailed_notes_encrypted, detailed_notes_masked, follow_up_date, follow_up_notes, follow_up_notes_encrypted, follow_up_notes_masked, follow_up_required, follow_up_type, id, improvement_areas, journal_status, notes_word_hashes, patient_concern, patient_concern_encrypted, patient_concern_masked, referral_made, referral_type, resolution_provided, resolution_provided_encrypted, resolution_provided_masked, review_score, reviewed_at, reviewed_by, search_vector, submitted_at, training_opportunities, updated_at) on app_public.call_journals to app_visitor;
grant update (action_items, call_summary, call_tags, coaching_notes, commendation_worthy, department_involved, detailed_notes, follow_up_date, follow_up_notes, follow_up_required, follow_up_type, improvement_areas, journal_status, patient_concern, referral_made, referral_type, resolution_provided, review_score, training_opportunities) on app_public.call_journals to app_visitor;
--! EndIncluded access/call_journals.sql

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
