--! Previous: sha1:168a30ebbc8d2bdb48f47fd47eecf8a43ed2e3a5
--! Hash: sha1:0f7abe0f3e9dd788633167e1cfb52687d0c3c62f
--! Message: QA operations speak the API's words

-- One word for one thing in the QA operations: qaReviewsForAgent takes
-- `agent` (email or extension), and a coaching opportunity's average is
-- average_pct.
drop function if exists app_public.qa_reviews_for_agent(citext, text, date, date);
alter type app_public.coaching_opportunity rename attribute average_percentage to average_pct;
--! Included qa/reviews-for-agent.sql
-- GET /api/qa/reviews/:agent_email and qaReviewsForAgent: one agent's
-- reviews, newest first. No recording location ever: recordingAvailable
-- says whether there is one; revealQaReviewRecording opens it.
create or replace function app_public.qa_reviews_for_agent(agent text, status text default null, from_day date default null, to_day date default null)
 returns setof app_public.quality_assurance_reviews
 language plpgsql
 stable
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
declare
  -- The agent by email, or by extension (the directory's person behind it).
  reviewed citext := coalesce((select a.user_email from app_public.agents a where a.extension = qa_reviews_for_agent.agent), qa_reviews_for_agent.agent::citext);
begin
  perform app_hidden.check_qa_agent(reviewed);
  if status is not null and status not in ('draft', 'completed', 'discussed_with_agent') then
    raise exception 'status must be draft, completed or discussed_with_agent.' using errcode = 'CC306', column = 'status';
  end if;
  if to_day < from_day then
    raise exception 'toDay must not be before fromDay.' using errcode = 'CC306', column = 'to_day';
  end if;
  return query
    select q.* from app_public.quality_assurance_reviews q
     where q.agent_email = reviewed
       and (qa_reviews_for_agent.status is null or q.review_status = qa_reviews_for_agent.status)
       and (from_day is null or q.review_date >= from_day)
       and (to_day is null or q.review_date <= to_day)
     order by q.review_date desc, q.created_at desc, q.id;
end;
$function$;
comment on function app_public.qa_reviews_for_agent(text, text, date, date) is 'An agent''s QA reviews (the agent by email or extension; one you may see: yourself, your locations'' staff, or all with viewAllPerformance), newest first, optionally of one status and review dates from fromDay to toDay. The reviewed agent sees their reviews once completed (drafts are the reviewer''s). Never the recording location.';
revoke all on function app_public.qa_reviews_for_agent(text, text, date, date) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_public.qa_reviews_for_agent(text, text, date, date) to app_visitor;
--! EndIncluded qa/reviews-for-agent.sql
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
