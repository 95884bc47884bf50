--! Previous: sha1:be563fcf3e625cb63c130b37f478a13c36bb0065
--! Hash: sha1:168a30ebbc8d2bdb48f47fd47eecf8a43ed2e3a5
--! Message: QA reviews: the supervisor's day

-- QA reviews: the supervisor's day (issue 17, QA half). Create, score,
-- complete, discuss, acknowledge; the call's quality_score follows its latest
-- counted review; the agent is notified; coaching opportunities, the monthly
-- quota (QA_REVIEW_QUOTA_PER_AGENT) and weighted random sampling of calls.

-- When a review was completed (ordering "latest completed", kept by the rules trigger).
alter table app_public.quality_assurance_reviews add column if not exists completed_at timestamptz;
comment on column app_public.quality_assurance_reviews.completed_at is 'When the review was completed (kept by the database; NULL while a draft).';
update app_public.quality_assurance_reviews set completed_at = updated_at where review_status <> 'draft' and completed_at is null;

-- The rows of the quota and of the coaching opportunities.
drop type if exists app_public.qa_quota_standing cascade;
create type app_public.qa_quota_standing as (
  agent_email citext, agent_name text, location text, month date, reviews_done integer, quota integer, behind_by integer, is_behind boolean
);
comment on type app_public.qa_quota_standing is 'An agent''s QA reviews in a business month against the quota (QA_REVIEW_QUOTA_PER_AGENT).';
comment on column app_public.qa_quota_standing.agent_email is 'The agent.';
comment on column app_public.qa_quota_standing.agent_name is 'The agent''s name.';
comment on column app_public.qa_quota_standing.location is 'The agent''s home location (directory).';
comment on column app_public.qa_quota_standing.month is 'First day of the business month.';
comment on column app_public.qa_quota_standing.reviews_done is 'Reviews of the agent dated in the month and completed (or discussed with the agent).';
comment on column app_public.qa_quota_standing.quota is 'Reviews expected per agent per month (QA_REVIEW_QUOTA_PER_AGENT).';
comment on column app_public.qa_quota_standing.behind_by is 'quota − reviews_done, at least 0.';
comment on column app_public.qa_quota_standing.is_behind is 'reviews_done < quota.';

drop type if exists app_public.coaching_opportunity cascade;
create type app_public.coaching_opportunity as (
  agent_email citext, agent_name text, location text, month date, reviews_considered integer, average_percentage numeric,
  greeting_professionalism_avg numeric, active_listening_avg numeric, problem_resolution_avg numeric, product_knowledge_avg numeric,
  communication_clarity_avg numeric, empathy_patience_avg numeric, call_control_avg numeric, closing_effectiveness_avg numeric,
  low_categories text[], reviews_this_month integer, quota integer, behind_by integer, reasons text[]
);
comment on type app_public.coaching_opportunity is 'An agent who needs coaching, and why (kpi-definitions: QA).';
comment on column app_public.coaching_opportunity.agent_email is 'The agent.';
comment on column app_public.coaching_opportunity.agent_name is 'The agent''s name.';
comment on column app_public.coaching_opportunity.location is 'The agent''s home location (directory).';
comment on column app_public.coaching_opportunity.month is 'First day of the business month judged.';
comment on column app_public.coaching_opportunity.reviews_considered is 'Completed reviews behind the averages: the agent''s last 5 (fewer when they have fewer) up to the end of the month.';
comment on column app_public.coaching_opportunity.average_percentage is 'Average percentage score of those reviews (NULL: none).';
comment on column app_public.coaching_opportunity.greeting_professionalism_avg is 'Average greeting score of those reviews, scored ones only (NULL: never scored).';
comment on column app_public.coaching_opportunity.active_listening_avg is 'Average active-listening score, as above.';
comment on column app_public.coaching_opportunity.problem_resolution_avg is 'Average problem-resolution score, as above.';
comment on column app_public.coaching_opportunity.product_knowledge_avg is 'Average product-knowledge score, as above.';
comment on column app_public.coaching_opportunity.communication_clarity_avg is 'Average clarity score, as above.';
comment on column app_public.coaching_opportunity.empathy_patience_avg is 'Average empathy score, as above.';
comment on column app_public.coaching_opportunity.call_control_avg is 'Average call-control score, as above.';
comment on column app_public.coaching_opportunity.closing_effectiveness_avg is 'Average closing score, as above.';
comment on column app_public.coaching_opportunity.low_categories is 'Categories averaging below 3, lowest first.';
comment on column app_public.coaching_opportunity.reviews_this_month is 'Reviews completed in the month (by review date).';
comment on column app_public.coaching_opportunity.quota is 'Reviews expected per agent per month (QA_REVIEW_QUOTA_PER_AGENT).';
comment on column app_public.coaching_opportunity.behind_by is 'quota − reviews_this_month, at least 0.';
comment on column app_public.coaching_opportunity.reasons is 'Why: average_below_80, category_below_3, below_quota.';

--! Included qa/review-rules.sql
-- What a QA review may become and who may change what (every path: the QA
-- functions and the table's own create/update mutations). A review moves
-- draft → completed → discussed_with_agent; once completed, its scorecard
-- (agent, call, type, date, the eight categories) is final; only the reviewed
-- agent acknowledges it, and never takes it back; nobody reviews themselves.
create or replace function app_private.tg_quality_assurance_reviews__rules()
 returns trigger
 language plpgsql
 security definer
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
declare
  scorecard constant text[] := array['agent_email', 'call_record_id', 'review_type', 'review_date',
    'greeting_professionalism', 'active_listening', 'problem_resolution', 'product_knowledge',
    'communication_clarity', 'empathy_patience', 'call_control', 'closing_effectiveness'];
  me citext := auth.email()::citext;
  changed text[];
  frozen text[];
begin
  if tg_op = 'INSERT' and auth.uid() is not null then
    new.reviewer_email := me;
    new.reviewer_name := coalesce(new.reviewer_name, (select coalesce(full_name, email::text) from app_public.users where id = auth.uid()));
  end if;
  -- When it was completed: kept by the database, NULL while a draft.
  if new.review_status = 'draft' then
    new.completed_at := null;
  elsif new.completed_at is null then
    new.completed_at := now();
  end if;
  if new.agent_email = new.reviewer_email then
    raise exception 'Nobody reviews themselves: % is the reviewer.', new.reviewer_email using errcode = 'CC302', column = 'agent_email';
  end if;
  -- Loads and background jobs (no person) are not a person's choice of values.
  if auth.uid() is null then
    return new;
  end if;
  if tg_op = 'UPDATE' then
    changed := array(select n.key from jsonb_each(to_jsonb(new)) n where n.value is distinct from (to_jsonb(old) -> n.key) order by 1);
    if not app_hidden.has_permission('conductQAReviews')
       and not changed <@ array['agent_acknowledgment', 'updated_at', 'total_score', 'percentage_score'] then
      raise exception 'The reviewed agent may only acknowledge the review.' using errcode = 'CC301';
    end if;
    if new.review_status <> old.review_status
       and not (old.review_status = 'draft' and new.review_status = 'completed')
       and not (old.review_status = 'completed' and new.review_status = 'discussed_with_agent') then
      raise exception 'A review moves from draft to completed to discussed_with_agent; this one cannot go from % to %.', old.review_status, new.review_status
        using errcode = 'CC321', column = 'review_status';
    end if;
    frozen := array(select unnest(changed) intersect select unnest(scorecard) order by 1);
    if old.review_status <> 'draft' and cardinality(frozen) > 0 then
      raise exception 'This review is completed: its % can no longer change (start a new review instead).', array_to_string(frozen, ', ')
        using errcode = 'CC323', column = frozen[1];
    end if;
    if 'agent_acknowledgment' = any (changed) then
      if me is distinct from old.agent_email then
        raise exception 'Only the reviewed agent (%) may acknowledge this review.', old.agent_email using errcode = 'CC304';
      end if;
      if not new.agent_acknowledgment then
        raise exception 'An acknowledgment cannot be taken back.' using errcode = 'CC324', column = 'agent_acknowledgment';
      end if;
      if new.review_status = 'draft' then
        raise exception 'Only a completed review can be acknowledged.' using errcode = 'CC324', column = 'agent_acknowledgment';
      end if;
    end if;
  end if;
  if tg_op = 'INSERT' and new.call_record_id is not null
     and not exists (select 1 from app_public.call_center_records c where c.id = new.call_record_id and c.agent_email = new.agent_email)
     and not exists (select 1 from app_public.call_legs l where l.call_record_id = new.call_record_id and l.agent_email = new.agent_email) then
    raise exception '% did not take part in this call; review the agent who answered it.', new.agent_email using errcode = 'CC303', column = 'agent_email';
  end if;
  if new.review_status <> 'draft'
     and num_nonnulls(new.greeting_professionalism, new.active_listening, new.problem_resolution, new.product_knowledge,
                      new.communication_clarity, new.empathy_patience, new.call_control, new.closing_effectiveness) = 0 then
    raise exception 'Score at least one category before completing the review (a category left empty is "not applicable").'
      using errcode = 'CC322', column = 'review_status';
  end if;
  if new.agent_discussion_date is not null
     and (tg_op = 'INSERT' or new.agent_discussion_date is distinct from old.agent_discussion_date)
     and (new.agent_discussion_date > app_hidden.business_day(now()) or new.agent_discussion_date < new.review_date) then
    raise exception 'The discussion date must be between the review date (%) and today.', new.review_date
      using errcode = 'CC305', column = 'agent_discussion_date';
  end if;
  return new;
end;
$function$;
comment on function app_private.tg_quality_assurance_reviews__rules() is 'A QA review''s rules: the reviewer is the person creating it, never the agent (CC302), the agent took part in the call (CC303); draft → completed → discussed_with_agent only (CC321), completing needs a score (CC322), a completed scorecard is final (CC323); the reviewed agent may only acknowledge (CC301), only they may (CC304), once completed and for good (CC324); the discussion date lies between the review date and today (CC305). Keeps completed_at.';
revoke all on function app_private.tg_quality_assurance_reviews__rules() from public, app_visitor, app_worker, app_analyst, app_authenticator;
--! EndIncluded qa/review-rules.sql
--! Included access/quality_assurance_reviews.sql
drop policy if exists acknowledge_own on app_public.quality_assurance_reviews;
create policy acknowledge_own on app_public.quality_assurance_reviews for update to app_visitor
  using ((agent_email = (select app_hidden.own_email())) and (review_status <> 'draft'))
  with check (agent_email = (select app_hidden.own_email()));

drop policy if exists select_in_scope on app_public.quality_assurance_reviews;
create policy select_in_scope on app_public.quality_assurance_reviews for select to app_visitor
  using ((select app_hidden.sees_all()) or (reviewer_email = ((select auth.email()))::citext)
         or ((agent_email = any ((select app_hidden.visible_people())::citext[]))
             and ((review_status <> 'draft') or (agent_email is distinct from (select app_hidden.own_email())))));

drop policy if exists write_conduct_qa_reviews on app_public.quality_assurance_reviews;
create policy write_conduct_qa_reviews on app_public.quality_assurance_reviews for all to app_visitor
  using ((select app_hidden.has_permission('conductQAReviews')) and ((select app_hidden.sees_all()) or ((reviewer_email = ((select auth.email()))::citext) and (agent_email = any ((select app_hidden.visible_people())::citext[])))));

revoke all on app_public.quality_assurance_reviews from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant delete, select on app_public.quality_assurance_reviews to app_visitor;
grant delete, insert, select, update on app_public.quality_assurance_reviews to app_worker;
grant insert (action_items_required, active_listening, additional_training_recommended, agent_discussion_date, agent_email, call_control, call_record_id, closing_effectiveness, communication_clarity, empathy_patience, follow_up_date, follow_up_review_needed, greeting_professionalism, improvement_areas, problem_resolution, product_knowledge, recognition_worthy, review_date, review_status, review_type, reviewer_name, specific_coaching_points, strengths_observed) on app_public.quality_assurance_reviews to app_visitor;
grant update (action_items_required, active_listening, additional_training_recommended, agent_acknowledgment, agent_discussion_date, call_control, closing_effectiveness, communication_clarity, empathy_patience, follow_up_date, follow_up_review_needed, greeting_professionalism, improvement_areas, problem_resolution, product_knowledge, recognition_worthy, review_date, review_status, review_type, specific_coaching_points, strengths_observed) on app_public.quality_assurance_reviews to app_visitor;
--! EndIncluded access/quality_assurance_reviews.sql
--! Included qa/quota-setting.sql
-- QA_REVIEW_QUOTA_PER_AGENT reaches SQL as a transaction setting the server
-- (every GraphQL and REST request) and the worker (every job) give each
-- transaction, as the reveal limits do (lib/qa-settings.ts).
create or replace function app_hidden.qa_review_quota_per_agent()
 returns integer
 language sql
 stable
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
  select coalesce(nullif(current_setting('app.qa_review_quota_per_agent', true), '')::integer, 5)
$function$;
comment on function app_hidden.qa_review_quota_per_agent() is 'Completed QA reviews expected per agent per business month: the server''s QA_REVIEW_QUOTA_PER_AGENT (a transaction setting), 5 when a session has none.';
revoke all on function app_hidden.qa_review_quota_per_agent() from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_hidden.qa_review_quota_per_agent() to app_visitor, app_worker;
--! EndIncluded qa/quota-setting.sql
--! Included qa/reviews-in-month.sql
-- "This month" for QA: a business month, and the reviews in it that count
-- (completed or discussed with the agent), by their review date.
create or replace function app_hidden.qa_month(month date)
 returns daterange
 language sql
 stable
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
  select daterange(date_trunc('month', coalesce(month, app_hidden.business_day(now())))::date,
                   (date_trunc('month', coalesce(month, app_hidden.business_day(now()))) + interval '1 month')::date)
$function$;
comment on function app_hidden.qa_month(date) is 'The business month holding a day (default today''s business day), as [first day, first day of the next month).';
revoke all on function app_hidden.qa_month(date) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_hidden.qa_month(date) to app_visitor, app_worker;

create or replace function app_hidden.qa_completed_reviews_in(month daterange)
 returns table(agent_email citext, reviews_done integer)
 language sql
 stable security definer
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
  select q.agent_email, count(*)::integer from app_public.quality_assurance_reviews q
   where q.review_status in ('completed', 'discussed_with_agent') and q.review_date <@ qa_completed_reviews_in.month
   group by q.agent_email
$function$;
comment on function app_hidden.qa_completed_reviews_in(daterange) is 'Per agent, the QA reviews dated in a range of business days that count (completed or discussed with the agent), whoever wrote them: the quota, coaching and sampling count them the same way. Callers show only the agents they may see.';
revoke all on function app_hidden.qa_completed_reviews_in(daterange) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_hidden.qa_completed_reviews_in(daterange) to app_visitor, app_worker;
--! EndIncluded qa/reviews-in-month.sql
--! Included qa/lookups.sql
-- What every QA function checks first: that the person may conduct reviews
-- (403), and that the review or agent named is one they may see (404).
create or replace function app_hidden.require_qa_conduct(what text)
 returns void
 language plpgsql
 stable
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
begin
  if not app_hidden.has_permission('conductQAReviews') then
    raise exception '% needs the conductQAReviews permission (supervisors and above).', what using errcode = '42501';
  end if;
end;
$function$;
comment on function app_hidden.require_qa_conduct(text) is 'Refuses (42501) a person without conductQAReviews; `what` names the action in the message.';
revoke all on function app_hidden.require_qa_conduct(text) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_hidden.require_qa_conduct(text) to app_visitor;

create or replace function app_hidden.qa_review_you_see(review_id uuid)
 returns app_public.quality_assurance_reviews
 language plpgsql
 stable
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
declare
  r app_public.quality_assurance_reviews;
begin
  select q.* into r from app_public.quality_assurance_reviews q where q.id = review_id;
  if not found then
    raise exception 'No QA review %, or not one you may see.', review_id using errcode = 'CC311', column = 'review_id';
  end if;
  return r;
end;
$function$;
comment on function app_hidden.qa_review_you_see(uuid) is 'The QA review with that id as the person asking may see it (row-level security), or CC311.';
revoke all on function app_hidden.qa_review_you_see(uuid) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_hidden.qa_review_you_see(uuid) to app_visitor;

create or replace function app_hidden.check_qa_agent(agent_email citext)
 returns void
 language plpgsql
 stable
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
begin
  if agent_email is null
     or not ((app_hidden.sees_all() and exists (select 1 from app_public.users u where u.email = check_qa_agent.agent_email))
             or check_qa_agent.agent_email = any (app_hidden.visible_people())) then
    raise exception 'No agent % that you may see.', coalesce(agent_email::text, '(none)') using errcode = 'CC313', column = 'agent_email';
  end if;
end;
$function$;
comment on function app_hidden.check_qa_agent(citext) is 'Raises CC313 unless the person asking may see that person''s performance rows (themselves, their locations'' staff, or everyone with viewAllPerformance).';
revoke all on function app_hidden.check_qa_agent(citext) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_hidden.check_qa_agent(citext) to app_visitor;
--! EndIncluded qa/lookups.sql
--! Included qa/agents-in-scope.sql
-- The agents a QA figure (quota, coaching) lists for the person asking: the
-- directory's active agents who are people they may see.
create or replace function app_hidden.qa_agents_in_scope(location text)
 returns table(agent_email citext, agent_name text, home_location text)
 language sql
 stable
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
  select a.user_email, coalesce(min(u.full_name), min(a.display_name), a.user_email::text), min(a.location_name)
    from app_public.agents a
    left join app_public.users u on u.email = a.user_email
   where a.is_active and a.user_email is not null
     and (qa_agents_in_scope.location is null or a.location_name = qa_agents_in_scope.location)
     and ((select app_hidden.sees_all()) or a.user_email = any ((select app_hidden.visible_people())::citext[]))
   group by a.user_email
$function$;
comment on function app_hidden.qa_agents_in_scope(text) is 'Active agents of the directory (optionally of one location) whose performance rows the person asking may see, with their name and home location.';
revoke all on function app_hidden.qa_agents_in_scope(text) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_hidden.qa_agents_in_scope(text) to app_visitor;
--! EndIncluded qa/agents-in-scope.sql
--! Included qa/create-review.sql
-- POST /api/qa/review and createQaReview: a new review, always a draft, of a
-- call (its agent by default) or of an agent directly.
create or replace function app_public.create_qa_review(
  review_type text,
  call_record_id uuid default null,
  agent_email citext default null,
  review_date date default null,
  greeting_professionalism integer default null,
  active_listening integer default null,
  problem_resolution integer default null,
  product_knowledge integer default null,
  communication_clarity integer default null,
  empathy_patience integer default null,
  call_control integer default null,
  closing_effectiveness integer default null,
  strengths_observed text default null,
  improvement_areas text default null,
  specific_coaching_points text default null,
  recognition_worthy boolean default false,
  action_items_required text[] default null,
  follow_up_review_needed boolean default false,
  follow_up_date date default null,
  additional_training_recommended text[] default null)
 returns app_public.quality_assurance_reviews
 language plpgsql
 volatile
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
declare
  call_agent citext;
  agent citext := create_qa_review.agent_email;
  r app_public.quality_assurance_reviews;
begin
  perform app_hidden.require_qa_conduct('Creating a QA review');
  if create_qa_review.call_record_id is not null then
    select c.agent_email into call_agent from app_public.call_center_records c where c.id = create_qa_review.call_record_id;
    if not found then
      raise exception 'No call %, or not one you may see.', create_qa_review.call_record_id using errcode = 'CC312', column = 'call_record_id';
    end if;
    agent := coalesce(agent, call_agent);
  end if;
  if agent is null then
    raise exception 'Name the agent reviewed (agentEmail), or a call an agent answered (callRecordId).' using errcode = 'CC303', column = 'agent_email';
  end if;
  perform app_hidden.check_qa_agent(agent);
  insert into app_public.quality_assurance_reviews (call_record_id, agent_email, review_date, review_type,
    greeting_professionalism, active_listening, problem_resolution, product_knowledge, communication_clarity, empathy_patience,
    call_control, closing_effectiveness, strengths_observed, improvement_areas, specific_coaching_points, recognition_worthy,
    action_items_required, follow_up_review_needed, follow_up_date, additional_training_recommended, review_status)
  values (create_qa_review.call_record_id, agent, coalesce(create_qa_review.review_date, app_hidden.business_day(now())), create_qa_review.review_type,
    create_qa_review.greeting_professionalism, create_qa_review.active_listening, create_qa_review.problem_resolution,
    create_qa_review.product_knowledge, create_qa_review.communication_clarity, create_qa_review.empathy_patience,
    create_qa_review.call_control, create_qa_review.closing_effectiveness, create_qa_review.strengths_observed,
    create_qa_review.improvement_areas, create_qa_review.specific_coaching_points, coalesce(create_qa_review.recognition_worthy, false),
    create_qa_review.action_items_required, coalesce(create_qa_review.follow_up_review_needed, false), create_qa_review.follow_up_date,
    create_qa_review.additional_training_recommended, 'draft')
  returning * into r;
  return r;
end;
$function$;
comment on function app_public.create_qa_review(text, uuid, citext, date, integer, integer, integer, integer, integer, integer, integer, integer, text, text, text, boolean, text[], boolean, date, text[]) is E'Starts a QA review (a draft) of a call you may see, of its agent unless agentEmail names another who took part in it, or of an agent directly. reviewType: random, targeted, complaint_follow_up, new_agent or coaching; reviewDate defaults to today (business day). Categories are scored 1–5; leave one empty for "not applicable". You are the reviewer; nobody reviews themselves. Needs conductQAReviews.';
revoke all on function app_public.create_qa_review(text, uuid, citext, date, integer, integer, integer, integer, integer, integer, integer, integer, text, text, text, boolean, text[], boolean, date, text[]) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_public.create_qa_review(text, uuid, citext, date, integer, integer, integer, integer, integer, integer, integer, integer, text, text, text, boolean, text[], boolean, date, text[]) to app_visitor;
--! EndIncluded qa/create-review.sql
--! Included qa/score-review.sql
-- scoreQaReview: the eight categories of a draft, all at once (a category
-- left out is NULL: "not applicable", never 0).
create or replace function app_public.score_qa_review(
  review_id uuid,
  greeting_professionalism integer default null,
  active_listening integer default null,
  problem_resolution integer default null,
  product_knowledge integer default null,
  communication_clarity integer default null,
  empathy_patience integer default null,
  call_control integer default null,
  closing_effectiveness integer default null)
 returns app_public.quality_assurance_reviews
 language plpgsql
 volatile
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
declare
  r app_public.quality_assurance_reviews;
begin
  perform app_hidden.require_qa_conduct('Scoring a QA review');
  r := app_hidden.qa_review_you_see(review_id);
  if r.review_status <> 'draft' then
    raise exception 'This review is %: its scores are final (start a new review instead).', r.review_status using errcode = 'CC323';
  end if;
  update app_public.quality_assurance_reviews q
     set greeting_professionalism = score_qa_review.greeting_professionalism, active_listening = score_qa_review.active_listening,
         problem_resolution = score_qa_review.problem_resolution, product_knowledge = score_qa_review.product_knowledge,
         communication_clarity = score_qa_review.communication_clarity, empathy_patience = score_qa_review.empathy_patience,
         call_control = score_qa_review.call_control, closing_effectiveness = score_qa_review.closing_effectiveness
   where q.id = review_id
  returning q.* into r;
  if not found then
    raise exception 'Only the review''s reviewer (or a manager) may change it.' using errcode = '42501';
  end if;
  return r;
end;
$function$;
comment on function app_public.score_qa_review(uuid, integer, integer, integer, integer, integer, integer, integer, integer) is E'Sets the eight category scores (1–5) of a draft review at once: a category left out is "not applicable" (NULL), counted in neither the total nor the percentage. A completed review''s scores are final. Needs conductQAReviews; the reviewer (or a manager) only.';
revoke all on function app_public.score_qa_review(uuid, integer, integer, integer, integer, integer, integer, integer, integer) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_public.score_qa_review(uuid, integer, integer, integer, integer, integer, integer, integer, integer) to app_visitor;
--! EndIncluded qa/score-review.sql
--! Included qa/complete-review.sql
-- completeQaReview: a draft with at least one score becomes completed; from
-- then on it counts (averages, coaching, quota, the call's quality_score) and
-- the agent is told (qa/notify-agent.sql).
create or replace function app_public.complete_qa_review(review_id uuid)
 returns app_public.quality_assurance_reviews
 language plpgsql
 volatile
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
declare
  r app_public.quality_assurance_reviews;
begin
  perform app_hidden.require_qa_conduct('Completing a QA review');
  r := app_hidden.qa_review_you_see(review_id);
  if r.review_status <> 'draft' then
    raise exception 'This review is already %.', r.review_status using errcode = 'CC321';
  end if;
  update app_public.quality_assurance_reviews q set review_status = 'completed' where q.id = review_id returning q.* into r;
  if not found then
    raise exception 'Only the review''s reviewer (or a manager) may change it.' using errcode = '42501';
  end if;
  return r;
end;
$function$;
comment on function app_public.complete_qa_review(uuid) is 'Completes a draft review (at least one category scored): it then counts for the agent''s quality figures, coaching and quota, sets the call''s quality score, and the agent is notified. Needs conductQAReviews; the reviewer (or a manager) only.';
revoke all on function app_public.complete_qa_review(uuid) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_public.complete_qa_review(uuid) to app_visitor;
--! EndIncluded qa/complete-review.sql
--! Included qa/discuss-review.sql
-- PUT /api/qa/reviews/:id/discuss and discussQaReview: a completed review was
-- talked through with the agent (a coaching session, counted that day).
create or replace function app_public.discuss_qa_review(review_id uuid, discussion_date date default null, coaching_points text default null)
 returns app_public.quality_assurance_reviews
 language plpgsql
 volatile
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
declare
  r app_public.quality_assurance_reviews;
begin
  perform app_hidden.require_qa_conduct('Marking a QA review discussed');
  r := app_hidden.qa_review_you_see(review_id);
  if r.review_status = 'draft' then
    raise exception 'Complete the review before discussing it with the agent.' using errcode = 'CC321';
  elsif r.review_status = 'discussed_with_agent' then
    raise exception 'This review was already discussed with the agent on %.', r.agent_discussion_date using errcode = 'CC321';
  end if;
  update app_public.quality_assurance_reviews q
     set review_status = 'discussed_with_agent',
         agent_discussion_date = coalesce(discuss_qa_review.discussion_date, app_hidden.business_day(now())),
         specific_coaching_points = coalesce(discuss_qa_review.coaching_points, q.specific_coaching_points)
   where q.id = review_id
  returning q.* into r;
  if not found then
    raise exception 'Only the review''s reviewer (or a manager) may change it.' using errcode = '42501';
  end if;
  return r;
end;
$function$;
comment on function app_public.discuss_qa_review(uuid, date, text) is 'Marks a completed review discussed with the agent on discussionDate (default today; not before the review date, not in the future), optionally replacing its coaching points; the agent is asked to acknowledge it. Needs conductQAReviews; the reviewer (or a manager) only.';
revoke all on function app_public.discuss_qa_review(uuid, date, text) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_public.discuss_qa_review(uuid, date, text) to app_visitor;
--! EndIncluded qa/discuss-review.sql
--! Included qa/acknowledge-review.sql
-- acknowledgeQaReview: the reviewed agent, and only they, confirm they have
-- read a completed review (for good).
create or replace function app_public.acknowledge_qa_review(review_id uuid)
 returns app_public.quality_assurance_reviews
 language plpgsql
 volatile
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
declare
  r app_public.quality_assurance_reviews;
begin
  r := app_hidden.qa_review_you_see(review_id);
  if r.agent_email is distinct from auth.email()::citext then
    raise exception 'Only the reviewed agent (%) may acknowledge this review.', r.agent_email using errcode = 'CC304';
  end if;
  if r.review_status = 'draft' then
    raise exception 'Only a completed review can be acknowledged.' using errcode = 'CC324';
  end if;
  if r.agent_acknowledgment then
    return r;
  end if;
  update app_public.quality_assurance_reviews q set agent_acknowledgment = true where q.id = review_id returning q.* into r;
  if not found then
    raise exception 'You may not acknowledge this review.' using errcode = '42501';
  end if;
  return r;
end;
$function$;
comment on function app_public.acknowledge_qa_review(uuid) is 'The reviewed agent acknowledges a completed review (once; it cannot be taken back). Nobody else may.';
revoke all on function app_public.acknowledge_qa_review(uuid) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_public.acknowledge_qa_review(uuid) to app_visitor;
--! EndIncluded qa/acknowledge-review.sql
--! Included qa/reviews-for-agent.sql
-- GET /api/qa/reviews/:agent_email and qaReviewsForAgent: one agent's
-- reviews, newest first. No recording location ever: recordingAvailable
-- says whether there is one; revealQaReviewRecording opens it.
create or replace function app_public.qa_reviews_for_agent(agent_email citext, status text default null, from_day date default null, to_day date default null)
 returns setof app_public.quality_assurance_reviews
 language plpgsql
 stable
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
begin
  perform app_hidden.check_qa_agent(qa_reviews_for_agent.agent_email);
  if status is not null and status not in ('draft', 'completed', 'discussed_with_agent') then
    raise exception 'status must be draft, completed or discussed_with_agent.' using errcode = 'CC306', column = 'status';
  end if;
  if to_day < from_day then
    raise exception 'toDay must not be before fromDay.' using errcode = 'CC306', column = 'to_day';
  end if;
  return query
    select q.* from app_public.quality_assurance_reviews q
     where q.agent_email = qa_reviews_for_agent.agent_email
       and (qa_reviews_for_agent.status is null or q.review_status = qa_reviews_for_agent.status)
       and (from_day is null or q.review_date >= from_day)
       and (to_day is null or q.review_date <= to_day)
     order by q.review_date desc, q.created_at desc, q.id;
end;
$function$;
comment on function app_public.qa_reviews_for_agent(citext, text, date, date) is 'An agent''s QA reviews (of an agent you may see: yourself, your locations'' staff, or all with viewAllPerformance), newest first, optionally of one status and review dates from fromDay to toDay. The reviewed agent sees their reviews once completed (drafts are the reviewer''s). Never the recording location.';
revoke all on function app_public.qa_reviews_for_agent(citext, text, date, date) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_public.qa_reviews_for_agent(citext, text, date, date) to app_visitor;
--! EndIncluded qa/reviews-for-agent.sql
--! Included qa/quota.sql
-- qaReviewQuota: per agent, the completed reviews of a business month against
-- QA_REVIEW_QUOTA_PER_AGENT, and who is behind it.
create or replace function app_public.qa_review_quota(month date default null, location text default null, behind_only boolean default false)
 returns setof app_public.qa_quota_standing
 language plpgsql
 stable
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
declare
  span daterange := app_hidden.qa_month(month);
  quota integer := app_hidden.qa_review_quota_per_agent();
begin
  perform app_hidden.require_qa_conduct('The QA quota');
  perform app_hidden.check_known_queue_and_location(null, location);
  return query
    select p.agent_email, p.agent_name, p.home_location, lower(span), coalesce(d.reviews_done, 0), quota,
           greatest(quota - coalesce(d.reviews_done, 0), 0), coalesce(d.reviews_done, 0) < quota
      from app_hidden.qa_agents_in_scope(qa_review_quota.location) p
      left join app_hidden.qa_completed_reviews_in(span) d on d.agent_email = p.agent_email
     where not coalesce(behind_only, false) or coalesce(d.reviews_done, 0) < quota
     order by greatest(quota - coalesce(d.reviews_done, 0), 0) desc, p.agent_email;
end;
$function$;
comment on function app_public.qa_review_quota(date, text, boolean) is E'Per active agent you may see (optionally of one location): the QA reviews completed in the business month holding `month` (default this month; counted by review date, status completed or discussed with the agent) against QA_REVIEW_QUOTA_PER_AGENT, most behind first; behindOnly lists only those below it. Needs conductQAReviews.';
revoke all on function app_public.qa_review_quota(date, text, boolean) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_public.qa_review_quota(date, text, boolean) to app_visitor;
--! EndIncluded qa/quota.sql
--! Included qa/coaching-opportunities.sql
-- GET /api/qa/coaching-opportunities and coachingOpportunities, exactly as
-- ../shared/kpi-definitions.md (QA) defines them: agents whose average
-- percentage over their last 5 completed reviews is below 80, or any category
-- averaging below 3 (over those reviews, scored ones only), or with fewer
-- completed reviews this month than QA_REVIEW_QUOTA_PER_AGENT.
create or replace function app_public.coaching_opportunities(month date default null, location text default null)
 returns setof app_public.coaching_opportunity
 language plpgsql
 stable
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
declare
  span daterange := app_hidden.qa_month(month);
  quota integer := app_hidden.qa_review_quota_per_agent();
begin
  perform app_hidden.require_qa_conduct('Coaching opportunities');
  perform app_hidden.check_known_queue_and_location(null, location);
  return query
    with stats as (
      select p.agent_email, p.agent_name, p.home_location as location, coalesce(d.reviews_done, 0) as done, l.*
        from app_hidden.qa_agents_in_scope(coaching_opportunities.location) p
        left join app_hidden.qa_completed_reviews_in(span) d on d.agent_email = p.agent_email
       cross join lateral (
         select count(*)::integer as considered, round(avg(x.percentage_score), 2) as avg_pct,
                round(avg(x.greeting_professionalism), 2) as gp, round(avg(x.active_listening), 2) as al,
                round(avg(x.problem_resolution), 2) as pr, round(avg(x.product_knowledge), 2) as pk,
                round(avg(x.communication_clarity), 2) as cc, round(avg(x.empathy_patience), 2) as ep,
                round(avg(x.call_control), 2) as ctl, round(avg(x.closing_effectiveness), 2) as ce
           from (select q.* from app_public.quality_assurance_reviews q
                  where q.agent_email = p.agent_email and q.review_status in ('completed', 'discussed_with_agent')
                    and q.review_date < upper(span)
                  order by q.review_date desc, q.completed_at desc nulls last, q.created_at desc, q.id desc
                  limit 5) x
       ) l
    ), judged as (
      select s.*,
             array(select c.name from (values ('greeting_professionalism', s.gp), ('active_listening', s.al), ('problem_resolution', s.pr),
                                              ('product_knowledge', s.pk), ('communication_clarity', s.cc), ('empathy_patience', s.ep),
                                              ('call_control', s.ctl), ('closing_effectiveness', s.ce)) c(name, average)
                    where c.average < 3 order by c.average, c.name) as low
        from stats s
    )
    select j.agent_email, j.agent_name, j.location, lower(span), j.considered, j.avg_pct,
           j.gp, j.al, j.pr, j.pk, j.cc, j.ep, j.ctl, j.ce, j.low, j.done, quota, greatest(quota - j.done, 0),
           array_remove(array[case when j.avg_pct < 80 then 'average_below_80' end,
                              case when cardinality(j.low) > 0 then 'category_below_3' end,
                              case when j.done < quota then 'below_quota' end], null)
      from judged j
     where j.avg_pct < 80 or cardinality(j.low) > 0 or j.done < quota
     order by j.avg_pct asc nulls last, j.agent_email;
end;
$function$;
comment on function app_public.coaching_opportunities(date, text) is E'Agents you may see (optionally of one location) who need coaching, as the KPI definitions say: the average percentage of their last 5 completed reviews (up to the end of the month holding `month`, default this month) below 80, or a category averaging below 3 over those reviews (not-applicable scores left out), or fewer reviews completed in that month than QA_REVIEW_QUOTA_PER_AGENT. `reasons` says which: average_below_80, category_below_3, below_quota. Needs conductQAReviews.';
revoke all on function app_public.coaching_opportunities(date, text) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_public.coaching_opportunities(date, text) to app_visitor;
--! EndIncluded qa/coaching-opportunities.sql
--! Included qa/sample-calls.sql
-- sampleCallsForReview: calls picked at random for QA, from the calls the
-- person may see, never one that already has a review, weighted toward the
-- agents with fewer completed reviews this month: each agent weighs
-- 1 / (1 + their reviews this month), shared evenly among their calls, so how
-- many calls an agent took does not change how often they come up.
-- Weighted sampling without replacement (Efraimidis–Spirakis, exponential keys).
create or replace function app_hidden.qa_reviewed_call_ids(from_time timestamptz, to_time timestamptz)
 returns setof uuid
 language sql
 stable security definer
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
  select distinct q.call_record_id from app_public.quality_assurance_reviews q
    join app_public.call_center_records c on c.id = q.call_record_id
   where c.call_start_time >= qa_reviewed_call_ids.from_time and c.call_start_time < qa_reviewed_call_ids.to_time
$function$;
comment on function app_hidden.qa_reviewed_call_ids(timestamptz, timestamptz) is 'Calls started in [fromTime, toTime) that have a QA review of any status, by anyone (sampling leaves them out).';
revoke all on function app_hidden.qa_reviewed_call_ids(timestamptz, timestamptz) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_hidden.qa_reviewed_call_ids(timestamptz, timestamptz) to app_visitor;

create or replace function app_public.sample_calls_for_review(
  sample_size integer default 5,
  from_time timestamptz default null,
  to_time timestamptz default null,
  location text default null,
  agent_email citext default null)
 returns setof app_public.call_center_records
 language plpgsql
 volatile
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
declare
  max_sample constant integer := 50;
  max_days constant integer := 93;
  upto timestamptz := coalesce(to_time, now());
  since timestamptz := coalesce(from_time, coalesce(to_time, now()) - interval '7 days');
  me citext := auth.email()::citext;
begin
  perform app_hidden.require_qa_conduct('Sampling calls for review');
  if sample_size is null or sample_size < 1 or sample_size > max_sample then
    raise exception 'sampleSize must be between 1 and %.', max_sample using errcode = 'CC306', column = 'sample_size';
  end if;
  if upto <= since then
    raise exception 'toTime must be after fromTime.' using errcode = 'CC306', column = 'to_time';
  end if;
  if upto - since > make_interval(days => max_days) then
    raise exception 'A sample is drawn from at most % days.', max_days using errcode = 'CC306', column = 'to_time';
  end if;
  perform app_hidden.check_known_queue_and_location(null, sample_calls_for_review.location);
  if sample_calls_for_review.agent_email is not null then
    perform app_hidden.check_qa_agent(sample_calls_for_review.agent_email);
  end if;
  return query
    with reviewed as materialized (
      select r.id from app_hidden.qa_reviewed_call_ids(since, upto) r(id)
    ), candidates as materialized (
      select c.id, c.agent_email from app_public.call_center_records c
       where c.call_start_time >= since and c.call_start_time < upto
         and c.call_direction in ('inbound', 'outbound') and c.call_answer_time is not null and c.call_end_time is not null
         and c.agent_email is not null and c.agent_email is distinct from me
         and ((select app_hidden.sees_all()) or c.agent_email = any ((select app_hidden.visible_people())::citext[]))
         and (sample_calls_for_review.location is null or c.location = sample_calls_for_review.location)
         and (sample_calls_for_review.agent_email is null or c.agent_email = sample_calls_for_review.agent_email)
         and not exists (select 1 from reviewed r where r.id = c.id)
    ), agents as (
      select x.agent_email, count(*) as calls, 1.0 / (1 + coalesce(max(d.reviews_done), 0)) as weight
        from candidates x left join app_hidden.qa_completed_reviews_in(app_hidden.qa_month(null)) d on d.agent_email = x.agent_email
       group by x.agent_email
    ), keyed as (
      select x.id, -ln(1.0 - random()) * a.calls / a.weight as sort_key
        from candidates x join agents a on a.agent_email = x.agent_email
       order by 2
       limit sample_size
    )
    select c.* from keyed k join app_public.call_center_records c on c.id = k.id order by k.sort_key;
end;
$function$;
comment on function app_public.sample_calls_for_review(integer, timestamptz, timestamptz, text, citext) is E'Picks sampleSize calls (1–50, default 5) at random for QA review from the answered calls you may see that started in [fromTime, toTime) (default the 7 days before toTime, default now; at most 93 days), optionally of one location or agent: never a call that already has a review (any status, anyone''s), nor your own; agents with fewer completed reviews this month come up more often (each agent weighs 1 / (1 + reviews this month), shared among their calls). Needs conductQAReviews.';
revoke all on function app_public.sample_calls_for_review(integer, timestamptz, timestamptz, text, citext) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_public.sample_calls_for_review(integer, timestamptz, timestamptz, text, citext) to app_visitor;
--! EndIncluded qa/sample-calls.sql
--! Included qa/recording.sql
-- A review's recording: whether there is one (every reader of the review),
-- and where it is (accessRecordings only, through the call's reveal: a reason,
-- the reveal limits and an audit row). No QA listing carries the location.
create or replace function app_public.quality_assurance_reviews_recording_available(r app_public.quality_assurance_reviews)
 returns boolean
 language sql
 stable
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
  select c.recording_available from app_public.call_center_records c where c.id = r.call_record_id
$function$;
comment on function app_public.quality_assurance_reviews_recording_available(app_public.quality_assurance_reviews) is 'Whether the reviewed call has a recording (NULL for a review of no call, or of a call you may not see). Its location: revealQaReviewRecording (accessRecordings).';
revoke all on function app_public.quality_assurance_reviews_recording_available(app_public.quality_assurance_reviews) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_public.quality_assurance_reviews_recording_available(app_public.quality_assurance_reviews) to app_visitor;

create or replace function app_public.reveal_qa_review_recording(review_id uuid, reason text default null)
 returns text
 language plpgsql
 volatile
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
declare
  r app_public.quality_assurance_reviews := app_hidden.qa_review_you_see(review_id);
begin
  if r.call_record_id is null then
    raise exception 'This review is of no call, so of no recording.' using errcode = 'CC312', column = 'review_id';
  end if;
  return app_public.reveal_call_center_record(r.call_record_id, array['recording_url'], reason) ->> 'recording_url';
end;
$function$;
comment on function app_public.reveal_qa_review_recording(uuid, text) is 'Where the recording of a reviewed call is (NULL when there is none): needs accessRecordings (CC502) and a reason; counted and audited as a reveal of the call''s patient data (revealCallCenterRecord).';
revoke all on function app_public.reveal_qa_review_recording(uuid, text) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_public.reveal_qa_review_recording(uuid, text) to app_visitor;
--! EndIncluded qa/recording.sql
--! Included qa/call-quality-score.sql
-- A call's quality_score is the percentage score of its latest counted QA
-- review (completed or discussed with the agent; latest by review date, then
-- completion), NULL when it has none: kept by the reviews' triggers.
create or replace function app_private.refresh_call_quality_scores(call_ids uuid[])
 returns integer
 language sql
 volatile
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
  with latest as (
    select i.id, (select q.percentage_score from app_public.quality_assurance_reviews q
                   where q.call_record_id = i.id and q.review_status in ('completed', 'discussed_with_agent')
                   order by q.review_date desc, q.completed_at desc nulls last, q.created_at desc, q.id desc
                   limit 1) as score
      from unnest(call_ids) i(id)
  ), updated as (
    update app_public.call_center_records c set quality_score = l.score
      from latest l
     where c.id = l.id and c.quality_score is distinct from l.score
    returning c.id
  )
  select count(*)::integer from updated
$function$;
comment on function app_private.refresh_call_quality_scores(uuid[]) is 'Sets the quality_score of the given calls to the percentage score of their latest counted QA review (NULL when none); returns the calls changed.';
revoke all on function app_private.refresh_call_quality_scores(uuid[]) from public, app_visitor, app_worker, app_analyst, app_authenticator;

create or replace function app_private.tg_quality_assurance_reviews__call_quality_score()
 returns trigger
 language plpgsql
 security definer
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
declare
  call_ids uuid[];
begin
  if tg_op = 'INSERT' then
    call_ids := array(select distinct n.call_record_id from new_rows n where n.call_record_id is not null and n.review_status <> 'draft');
  elsif tg_op = 'UPDATE' then
    call_ids := array(select distinct x.id from (select n.call_record_id as id from new_rows n union all select o.call_record_id from old_rows o) x
                       where x.id is not null);
  else
    call_ids := array(select distinct o.call_record_id from old_rows o where o.call_record_id is not null and o.review_status <> 'draft');
  end if;
  if cardinality(call_ids) > 0 then
    perform app_private.refresh_call_quality_scores(call_ids);
  end if;
  return null;
end;
$function$;
comment on function app_private.tg_quality_assurance_reviews__call_quality_score() is 'After QA reviews change (statement level), brings the quality_score of their calls up to date.';
revoke all on function app_private.tg_quality_assurance_reviews__call_quality_score() from public, app_visitor, app_worker, app_analyst, app_authenticator;
--! EndIncluded qa/call-quality-score.sql
--! Included qa/notify-agent.sql
-- The reviewed agent hears of their review: when a person completes it, and
-- when it has been discussed with them (asking them to acknowledge it). Once
-- per review and event (dedupe_key). Loads and jobs (no person) tell nobody.
-- No patient data in the message.
create or replace function app_private.tg_quality_assurance_reviews__notify_agent()
 returns trigger
 language plpgsql
 security definer
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
declare
  completed uuid[];
  discussed uuid[] := '{}';
begin
  if auth.uid() is null then
    return null;
  end if;
  if tg_op = 'INSERT' then
    completed := array(select n.id from new_rows n where n.review_status <> 'draft');
  else
    completed := array(select n.id from new_rows n join old_rows o on o.id = n.id where o.review_status = 'draft' and n.review_status <> 'draft');
    discussed := array(select n.id from new_rows n join old_rows o on o.id = n.id
                        where o.review_status <> 'discussed_with_agent' and n.review_status = 'discussed_with_agent');
  end if;
  if cardinality(completed) + cardinality(discussed) = 0 then
    return null;
  end if;
  insert into app_public.notifications (user_id, notification_type, title, body, data, dedupe_key)
  select u.id, m.event,
         case m.event when 'qa_review_completed' then 'Your QA review is ready' else 'Your QA review was discussed' end,
         case m.event
           when 'qa_review_completed' then format('%s completed a QA review of your work dated %s: %s %%. Read it, then acknowledge it.',
                                                  m.reviewer_name, m.review_date, m.percentage_score)
           else format('%s discussed your QA review dated %s with you on %s. Please acknowledge it.', m.reviewer_name, m.review_date, m.agent_discussion_date)
         end,
         jsonb_build_object('review_id', m.id, 'call_record_id', m.call_record_id, 'review_date', m.review_date,
                            'percentage_score', m.percentage_score, 'agent_discussion_date', m.agent_discussion_date),
         m.event || ':' || m.id
    from (select q.*, 'qa_review_completed' as event from app_public.quality_assurance_reviews q where q.id = any (completed)
          union all
          select q.*, 'qa_review_discussed' from app_public.quality_assurance_reviews q where q.id = any (discussed)) m
    join app_public.users u on u.email = m.agent_email
  on conflict (user_id, dedupe_key) do nothing;
  return null;
end;
$function$;
comment on function app_private.tg_quality_assurance_reviews__notify_agent() is 'After QA reviews are inserted or updated by a person (statement level): tells the reviewed agent once when a review is completed (qa_review_completed) and once when it has been discussed with them (qa_review_discussed).';
revoke all on function app_private.tg_quality_assurance_reviews__notify_agent() from public, app_visitor, app_worker, app_analyst, app_authenticator;
--! EndIncluded qa/notify-agent.sql

drop trigger if exists _600_call_quality_score_insert on app_public.quality_assurance_reviews;
create trigger _600_call_quality_score_insert after insert on app_public.quality_assurance_reviews
  referencing new table as new_rows for each statement execute function app_private.tg_quality_assurance_reviews__call_quality_score();
drop trigger if exists _600_call_quality_score_update on app_public.quality_assurance_reviews;
create trigger _600_call_quality_score_update after update on app_public.quality_assurance_reviews
  referencing old table as old_rows new table as new_rows for each statement execute function app_private.tg_quality_assurance_reviews__call_quality_score();
drop trigger if exists _600_call_quality_score_delete on app_public.quality_assurance_reviews;
create trigger _600_call_quality_score_delete after delete on app_public.quality_assurance_reviews
  referencing old table as old_rows for each statement execute function app_private.tg_quality_assurance_reviews__call_quality_score();
drop trigger if exists _650_notify_agent_insert on app_public.quality_assurance_reviews;
create trigger _650_notify_agent_insert after insert on app_public.quality_assurance_reviews
  referencing new table as new_rows for each statement execute function app_private.tg_quality_assurance_reviews__notify_agent();
drop trigger if exists _650_notify_agent_update on app_public.quality_assurance_reviews;
create trigger _650_notify_agent_update after update on app_public.quality_assurance_reviews
  referencing old table as old_rows new table as new_rows for each statement execute function app_private.tg_quality_assurance_reviews__notify_agent();

-- Calls reviewed before now get the score of their latest counted review.
select app_private.refresh_call_quality_scores(array(select distinct call_record_id from app_public.quality_assurance_reviews where call_record_id is not null));
