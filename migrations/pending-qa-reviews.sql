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

--!include qa/review-rules.sql
--!include access/quality_assurance_reviews.sql
--!include qa/quota-setting.sql
--!include qa/reviews-in-month.sql
--!include qa/lookups.sql
--!include qa/agents-in-scope.sql
--!include qa/create-review.sql
--!include qa/score-review.sql
--!include qa/complete-review.sql
--!include qa/discuss-review.sql
--!include qa/acknowledge-review.sql
--!include qa/reviews-for-agent.sql
--!include qa/quota.sql
--!include qa/coaching-opportunities.sql
--!include qa/sample-calls.sql
--!include qa/recording.sql
--!include qa/call-quality-score.sql
--!include qa/notify-agent.sql

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
