--! Previous: sha1:a729469f98eae7bacb0e0d27b50ec0fb9fe91050
--! Hash: sha1:076ccbe654f38a8898dbd1da424d508a3bc18296
--! Message: Coaching opportunities read the last reviews by index

-- Coaching opportunities read each agent's last five reviews by index.
--! Included qa/recent-reviews.sql
-- An agent's last counted reviews, read through the (agent_email,
-- review_date) index. Under row level security the planner may not use that
-- index for a citext comparison (citext's = is not leakproof), and read every
-- review once per agent instead; this helper reads as the owner, and applies
-- the same visibility as the table's policy for counted reviews itself.
create or replace function app_hidden.qa_recent_counted_reviews(agent citext, before_day date, how_many integer)
 returns setof app_public.quality_assurance_reviews
 language sql
 stable security definer
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
  select q.* from app_public.quality_assurance_reviews q
   where q.agent_email = qa_recent_counted_reviews.agent
     and q.review_status in ('completed', 'discussed_with_agent')
     and q.review_date < qa_recent_counted_reviews.before_day
     and ((select app_hidden.sees_all()) or qa_recent_counted_reviews.agent = any ((select app_hidden.visible_people())::citext[]))
   order by q.review_date desc, q.completed_at desc nulls last, q.created_at desc, q.id desc
   limit qa_recent_counted_reviews.how_many
$function$;
comment on function app_hidden.qa_recent_counted_reviews(citext, date, integer) is 'An agent''s last `how_many` counted reviews (completed or discussed with the agent) dated before a day, newest first (by review date, then completion); nothing when the person asking may not see the agent. For coaching opportunities.';
revoke all on function app_hidden.qa_recent_counted_reviews(citext, date, integer) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_hidden.qa_recent_counted_reviews(citext, date, integer) to app_visitor;
--! EndIncluded qa/recent-reviews.sql
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
           from app_hidden.qa_recent_counted_reviews(p.agent_email, upper(span), 5) x
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
