--! Previous: sha1:dac4840e7db9c59d0ee825a06f7c455bb11f2b34
--! Hash: sha1:db0f63e850040bb17536dc8ea62505887cda0385
--! Message: call work: call journals and quality-assurance reviews

/*
 * Columns that say who did something (created_by, reviewer_email, granted_by)
 * are set from the signed-in person, whatever the client sent; the owner and
 * the worker (no person) must provide them. tg_argv[0] = column, tg_argv[1] =
 * 'email' or 'uid'.
 */
create function app_private.tg__set_actor() returns trigger
  language plpgsql volatile
  set search_path to pg_catalog, public, pg_temp
  as $$
begin
  if auth.uid() is not null then
    new := jsonb_populate_record(new, jsonb_build_object(tg_argv[0],
      case tg_argv[1] when 'uid' then auth.uid()::text else auth.email() end));
  end if;
  return new;
end;
$$;
comment on function app_private.tg__set_actor() is 'Sets the named "who did it" column from the signed-in person on insert.';

create trigger _050_set_created_by before insert on app_public.performance_goals
  for each row execute function app_private.tg__set_actor('created_by', 'email');
create trigger _050_set_created_by before insert on app_public.call_campaigns
  for each row execute function app_private.tg__set_actor('created_by', 'email');
create trigger _050_set_granted_by before insert on app_public.user_permissions
  for each row execute function app_private.tg__set_actor('granted_by', 'uid');
revoke insert (created_by) on app_public.performance_goals from app_visitor;
revoke insert (created_by) on app_public.call_campaigns from app_visitor;
revoke insert (granted_by) on app_public.user_permissions from app_visitor;

create table app_public.call_journals (
  id uuid primary key default gen_random_uuid(),
  call_record_id uuid not null references app_public.call_center_records (id) on delete cascade,
  agent_email citext not null default (auth.email())::citext references app_public.users (email) on update cascade,
  call_summary text not null check (length(trim(call_summary)) between 1 and 500),
  detailed_notes text check (length(detailed_notes) <= 20000),
  patient_concern text check (length(patient_concern) <= 4000),
  resolution_provided text check (length(resolution_provided) <= 4000),
  action_items text[],
  follow_up_required boolean not null default false,
  follow_up_type text check (follow_up_type in ('callback', 'appointment', 'provider_review', 'billing')),
  follow_up_date date,
  follow_up_notes text check (length(follow_up_notes) <= 4000),
  call_tags text[],
  department_involved text[],
  referral_made boolean not null default false,
  referral_type text check (length(referral_type) <= 200),
  coaching_notes text check (length(coaching_notes) <= 8000),
  training_opportunities text[],
  commendation_worthy boolean not null default false,
  improvement_areas text[],
  journal_status text not null default 'draft' check (journal_status in ('draft', 'submitted', 'reviewed', 'approved')),
  submitted_at timestamptz,
  reviewed_by citext references app_public.users (email) on update cascade,
  reviewed_at timestamptz,
  review_score integer check (review_score between 1 and 100),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check (journal_status = 'draft' or submitted_at is not null),
  check (journal_status not in ('reviewed', 'approved') or (reviewed_by is not null and reviewed_at is not null)),
  check (not follow_up_required or follow_up_type is not null),
  check (follow_up_date is null or follow_up_required)
);
create index call_journals_call_idx on app_public.call_journals (call_record_id);
create index call_journals_agent_idx on app_public.call_journals (agent_email, created_at);
create index call_journals_follow_up_idx on app_public.call_journals (follow_up_required, follow_up_date);
create index call_journals_pending_review_idx on app_public.call_journals (submitted_at) where journal_status = 'submitted';
comment on table app_public.call_journals is 'Notes about a call written by the agent, and the supervisor''s review of them.';
comment on column app_public.call_journals.id is 'Identifier.';
comment on column app_public.call_journals.call_record_id is 'The call.';
comment on column app_public.call_journals.agent_email is 'The agent the journal is about (defaults to the writer).';
comment on column app_public.call_journals.call_summary is 'Brief summary of the call''s purpose.';
comment on column app_public.call_journals.detailed_notes is 'Detailed notes (patient data).';
comment on column app_public.call_journals.patient_concern is 'The patient''s concern or request (patient data).';
comment on column app_public.call_journals.resolution_provided is 'How it was addressed.';
comment on column app_public.call_journals.action_items is 'Action items created.';
comment on column app_public.call_journals.follow_up_required is 'A follow-up is needed.';
comment on column app_public.call_journals.follow_up_type is 'callback, appointment, provider_review or billing.';
comment on column app_public.call_journals.follow_up_date is 'When to follow up.';
comment on column app_public.call_journals.follow_up_notes is 'Follow-up notes (patient data).';
comment on column app_public.call_journals.call_tags is 'Searchable tags.';
comment on column app_public.call_journals.department_involved is 'Departments consulted.';
comment on column app_public.call_journals.referral_made is 'A referral was made.';
comment on column app_public.call_journals.referral_type is 'Kind of referral.';
comment on column app_public.call_journals.coaching_notes is 'Reviewer''s coaching notes (reviewJournals only).';
comment on column app_public.call_journals.training_opportunities is 'Training needs identified.';
comment on column app_public.call_journals.commendation_worthy is 'Worth a commendation.';
comment on column app_public.call_journals.improvement_areas is 'Areas to improve.';
comment on column app_public.call_journals.journal_status is 'draft, submitted, reviewed or approved.';
comment on column app_public.call_journals.submitted_at is 'When it was submitted for review.';
comment on column app_public.call_journals.reviewed_by is 'Who reviewed it.';
comment on column app_public.call_journals.reviewed_at is 'When it was reviewed.';
comment on column app_public.call_journals.review_score is 'Reviewer''s score, 1–100.';
comment on column app_public.call_journals.created_at is 'When the row was created.';
comment on column app_public.call_journals.updated_at is 'When the row last changed.';

/*
 * Review is for reviewJournals holders: only they set the review columns or
 * move a journal to reviewed/approved, and once reviewed a journal changes
 * (or goes) only through them.
 */
create function app_private.tg_call_journals__review_rules() returns trigger
  language plpgsql volatile
  set search_path to pg_catalog, public, pg_temp
  as $$
declare
  reviewer boolean := auth.uid() is null or app_hidden.has_permission('reviewJournals');
begin
  if reviewer then
    if tg_op = 'DELETE' then return old; end if;
    if new.journal_status in ('reviewed', 'approved') and auth.uid() is not null
       and (tg_op = 'INSERT' or old.journal_status not in ('reviewed', 'approved') or new.reviewed_by is null) then
      new.reviewed_by := coalesce(new.reviewed_by, auth.email()::citext);
      new.reviewed_at := coalesce(new.reviewed_at, now());
    end if;
  else
    if tg_op in ('UPDATE', 'DELETE') and old.journal_status in ('reviewed', 'approved') then
      raise exception 'This journal has been reviewed; only a reviewer may change it.' using errcode = 'CC201';
    end if;
    if tg_op = 'DELETE' then return old; end if;
    if new.journal_status in ('reviewed', 'approved')
       or new.coaching_notes is distinct from (case when tg_op = 'UPDATE' then old.coaching_notes end)
       or new.review_score is distinct from (case when tg_op = 'UPDATE' then old.review_score end)
       or new.reviewed_by is distinct from (case when tg_op = 'UPDATE' then old.reviewed_by end)
       or new.reviewed_at is distinct from (case when tg_op = 'UPDATE' then old.reviewed_at end) then
      raise exception 'Only reviewers (reviewJournals) may review a journal.' using errcode = 'CC202';
    end if;
  end if;
  if new.journal_status <> 'draft' and new.submitted_at is null then
    new.submitted_at := now();
  end if;
  return new;
end;
$$;
create trigger _200_review_rules before insert or update or delete on app_public.call_journals
  for each row execute function app_private.tg_call_journals__review_rules();

create table app_public.quality_assurance_reviews (
  id uuid primary key default gen_random_uuid(),
  call_record_id uuid references app_public.call_center_records (id) on delete cascade,
  agent_email citext not null references app_public.users (email) on update cascade,
  reviewer_email citext not null references app_public.users (email) on update cascade,
  reviewer_name text not null check (length(reviewer_name) between 1 and 200),
  review_date date not null default current_date,
  review_type text not null check (review_type in ('random', 'targeted', 'complaint_follow_up', 'new_agent', 'coaching')),
  greeting_professionalism integer check (greeting_professionalism between 1 and 5),
  active_listening integer check (active_listening between 1 and 5),
  problem_resolution integer check (problem_resolution between 1 and 5),
  product_knowledge integer check (product_knowledge between 1 and 5),
  communication_clarity integer check (communication_clarity between 1 and 5),
  empathy_patience integer check (empathy_patience between 1 and 5),
  call_control integer check (call_control between 1 and 5),
  closing_effectiveness integer check (closing_effectiveness between 1 and 5),
  total_score integer generated always as (
    coalesce(greeting_professionalism, 0) + coalesce(active_listening, 0) + coalesce(problem_resolution, 0)
    + coalesce(product_knowledge, 0) + coalesce(communication_clarity, 0) + coalesce(empathy_patience, 0)
    + coalesce(call_control, 0) + coalesce(closing_effectiveness, 0)
  ) stored,
  -- Over the categories actually scored (an unscored category is "not applicable", not 0); NULL when none is.
  -- A generated column may not use another, so total_score's expression is repeated.
  percentage_score numeric(5,2) generated always as (
    case when (num_nonnulls(greeting_professionalism, active_listening, problem_resolution, product_knowledge,
                            communication_clarity, empathy_patience, call_control, closing_effectiveness)) > 0
      then round((coalesce(greeting_professionalism, 0) + coalesce(active_listening, 0) + coalesce(problem_resolution, 0)
                 + coalesce(product_knowledge, 0) + coalesce(communication_clarity, 0) + coalesce(empathy_patience, 0)
                 + coalesce(call_control, 0) + coalesce(closing_effectiveness, 0))::numeric * 100
                 / (5 * num_nonnulls(greeting_professionalism, active_listening, problem_resolution, product_knowledge,
                                     communication_clarity, empathy_patience, call_control, closing_effectiveness)), 2)
    end
  ) stored,
  strengths_observed text check (length(strengths_observed) <= 8000),
  improvement_areas text check (length(improvement_areas) <= 8000),
  specific_coaching_points text check (length(specific_coaching_points) <= 8000),
  recognition_worthy boolean not null default false,
  action_items_required text[],
  follow_up_review_needed boolean not null default false,
  follow_up_date date,
  additional_training_recommended text[],
  review_status text not null default 'draft' check (review_status in ('draft', 'completed', 'discussed_with_agent')),
  agent_discussion_date date,
  agent_acknowledgment boolean not null default false,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check (review_status = 'draft' or num_nonnulls(greeting_professionalism, active_listening, problem_resolution, product_knowledge,
                                                 communication_clarity, empathy_patience, call_control, closing_effectiveness) >= 1),
  check (review_status <> 'discussed_with_agent' or agent_discussion_date is not null)
);
create index qa_reviews_agent_idx on app_public.quality_assurance_reviews (agent_email, review_date);
create index qa_reviews_reviewer_idx on app_public.quality_assurance_reviews (reviewer_email, review_date);
create index qa_reviews_call_idx on app_public.quality_assurance_reviews (call_record_id);
comment on table app_public.quality_assurance_reviews is 'Quality-assurance reviews of calls: eight categories scored 1–5. A review counts once completed or discussed with the agent.';
comment on column app_public.quality_assurance_reviews.id is 'Identifier.';
comment on column app_public.quality_assurance_reviews.call_record_id is 'The call reviewed.';
comment on column app_public.quality_assurance_reviews.agent_email is 'The agent reviewed.';
comment on column app_public.quality_assurance_reviews.reviewer_email is 'The reviewer (set from the signed-in person).';
comment on column app_public.quality_assurance_reviews.reviewer_name is 'The reviewer''s name (defaults to their user name).';
comment on column app_public.quality_assurance_reviews.review_date is 'Date of the review.';
comment on column app_public.quality_assurance_reviews.review_type is 'random, targeted, complaint_follow_up, new_agent or coaching.';
comment on column app_public.quality_assurance_reviews.greeting_professionalism is 'Score 1–5 (NULL: not applicable).';
comment on column app_public.quality_assurance_reviews.active_listening is 'Score 1–5 (NULL: not applicable).';
comment on column app_public.quality_assurance_reviews.problem_resolution is 'Score 1–5 (NULL: not applicable).';
comment on column app_public.quality_assurance_reviews.product_knowledge is 'Score 1–5 (NULL: not applicable).';
comment on column app_public.quality_assurance_reviews.communication_clarity is 'Score 1–5 (NULL: not applicable).';
comment on column app_public.quality_assurance_reviews.empathy_patience is 'Score 1–5 (NULL: not applicable).';
comment on column app_public.quality_assurance_reviews.call_control is 'Score 1–5 (NULL: not applicable).';
comment on column app_public.quality_assurance_reviews.closing_effectiveness is 'Score 1–5 (NULL: not applicable).';
comment on column app_public.quality_assurance_reviews.total_score is 'Sum of the scores given.';
comment on column app_public.quality_assurance_reviews.percentage_score is 'total / (5 × categories scored) × 100; NULL when nothing is scored.';
comment on column app_public.quality_assurance_reviews.strengths_observed is 'Strengths observed.';
comment on column app_public.quality_assurance_reviews.improvement_areas is 'Areas to improve.';
comment on column app_public.quality_assurance_reviews.specific_coaching_points is 'Coaching points.';
comment on column app_public.quality_assurance_reviews.recognition_worthy is 'Worth recognition.';
comment on column app_public.quality_assurance_reviews.action_items_required is 'Actions required.';
comment on column app_public.quality_assurance_reviews.follow_up_review_needed is 'Another review is needed.';
comment on column app_public.quality_assurance_reviews.follow_up_date is 'When.';
comment on column app_public.quality_assurance_reviews.additional_training_recommended is 'Training recommended.';
comment on column app_public.quality_assurance_reviews.review_status is 'draft, completed or discussed_with_agent; completing needs at least one score.';
comment on column app_public.quality_assurance_reviews.agent_discussion_date is 'When it was discussed with the agent.';
comment on column app_public.quality_assurance_reviews.agent_acknowledgment is 'The agent acknowledged the review (the only column the agent may change).';
comment on column app_public.quality_assurance_reviews.created_at is 'When the row was created.';
comment on column app_public.quality_assurance_reviews.updated_at is 'When the row last changed.';

/* The reviewer is whoever writes the review; the reviewed agent may only acknowledge it. */
create function app_private.tg_quality_assurance_reviews__rules() returns trigger
  language plpgsql volatile security definer
  set search_path to pg_catalog, public, pg_temp
  as $$
begin
  if auth.uid() is null then return new; end if;
  if tg_op = 'INSERT' then
    new.reviewer_email := auth.email()::citext;
    new.reviewer_name := coalesce(new.reviewer_name, (select coalesce(full_name, email::text) from app_public.users where id = auth.uid()));
  elsif not app_hidden.has_permission('conductQAReviews')
        and (to_jsonb(new) - 'agent_acknowledgment' - 'updated_at') is distinct from (to_jsonb(old) - 'agent_acknowledgment' - 'updated_at') then
    raise exception 'The reviewed agent may only acknowledge the review.' using errcode = 'CC301';
  end if;
  return new;
end;
$$;
create trigger _050_rules before insert or update on app_public.quality_assurance_reviews
  for each row execute function app_private.tg_quality_assurance_reviews__rules();

create trigger _100_timestamps before insert or update on app_public.call_journals for each row execute function app_private.tg__timestamps();
create trigger _100_timestamps before insert or update on app_public.quality_assurance_reviews for each row execute function app_private.tg__timestamps();

select app_private.secure_table('app_public.call_journals');
select app_private.secure_table('app_public.quality_assurance_reviews');

-- Journals: your own; those on calls of your team's locations; all with viewAllPerformance.
create policy select_in_scope on app_public.call_journals for select to app_visitor
  using (
    (select app_hidden.sees_all())
    or agent_email = (select app_hidden.own_email())
    or exists (select 1 from app_public.call_center_records c
               where c.id = call_journals.call_record_id and c.location = any ((select app_hidden.team_locations())::text[]))
  );
-- Writing: editCallJournals holders, on calls they see: agents about their own calls, team leads their locations', managers all.
create policy write_edit_call_journals on app_public.call_journals for all to app_visitor
  using (
    (select app_hidden.has_permission('editCallJournals')) and (
      (select app_hidden.sees_all())
      or exists (select 1 from app_public.call_center_records c
                 where c.id = call_journals.call_record_id
                   and (c.location = any ((select app_hidden.team_locations())::text[])
                        or (c.agent_email = (select app_hidden.own_email()) and call_journals.agent_email = c.agent_email))))
  )
  with check (
    (select app_hidden.has_permission('editCallJournals')) and (
      (select app_hidden.sees_all())
      or exists (select 1 from app_public.call_center_records c
                 where c.id = call_journals.call_record_id
                   and (c.location = any ((select app_hidden.team_locations())::text[])
                        or (c.agent_email = (select app_hidden.own_email()) and call_journals.agent_email = c.agent_email))))
  );

-- QA reviews: about you, written by you (the PRD), about your team's people, or all.
create policy select_in_scope on app_public.quality_assurance_reviews for select to app_visitor
  using (
    (select app_hidden.sees_all())
    or agent_email = any ((select app_hidden.visible_people())::citext[])
    or reviewer_email = (select auth.email())::citext
  );
-- conductQAReviews holders write reviews of people they see, and change their own reviews (all, with viewAllPerformance).
create policy write_conduct_qa_reviews on app_public.quality_assurance_reviews for all to app_visitor
  using ((select app_hidden.has_permission('conductQAReviews'))
         and ((select app_hidden.sees_all()) or (reviewer_email = (select auth.email())::citext and agent_email = any ((select app_hidden.visible_people())::citext[]))))
  with check ((select app_hidden.has_permission('conductQAReviews'))
         and ((select app_hidden.sees_all()) or (reviewer_email = (select auth.email())::citext and agent_email = any ((select app_hidden.visible_people())::citext[]))));
-- The reviewed agent acknowledges their own review (the trigger allows nothing else).
create policy acknowledge_own on app_public.quality_assurance_reviews for update to app_visitor
  using (agent_email = (select app_hidden.own_email()) and review_status <> 'draft')
  with check (agent_email = (select app_hidden.own_email()));

grant select, delete on app_public.call_journals, app_public.quality_assurance_reviews to app_visitor;
grant insert (call_record_id, agent_email, call_summary, detailed_notes, patient_concern, resolution_provided, action_items,
              follow_up_required, follow_up_type, follow_up_date, follow_up_notes, call_tags, department_involved, referral_made,
              referral_type, coaching_notes, training_opportunities, commendation_worthy, improvement_areas, journal_status,
              reviewed_by, review_score),
      update (call_summary, detailed_notes, patient_concern, resolution_provided, action_items,
              follow_up_required, follow_up_type, follow_up_date, follow_up_notes, call_tags, department_involved, referral_made,
              referral_type, coaching_notes, training_opportunities, commendation_worthy, improvement_areas, journal_status,
              reviewed_by, review_score)
  on app_public.call_journals to app_visitor;
grant insert (call_record_id, agent_email, reviewer_name, review_date, review_type, greeting_professionalism, active_listening,
              problem_resolution, product_knowledge, communication_clarity, empathy_patience, call_control, closing_effectiveness,
              strengths_observed, improvement_areas, specific_coaching_points, recognition_worthy, action_items_required,
              follow_up_review_needed, follow_up_date, additional_training_recommended, review_status, agent_discussion_date),
      update (review_date, review_type, greeting_professionalism, active_listening,
              problem_resolution, product_knowledge, communication_clarity, empathy_patience, call_control, closing_effectiveness,
              strengths_observed, improvement_areas, specific_coaching_points, recognition_worthy, action_items_required,
              follow_up_review_needed, follow_up_date, additional_training_recommended, review_status, agent_discussion_date,
              agent_acknowledgment)
  on app_public.quality_assurance_reviews to app_visitor;
grant select, insert, update, delete on app_public.call_journals, app_public.quality_assurance_reviews to app_worker;
