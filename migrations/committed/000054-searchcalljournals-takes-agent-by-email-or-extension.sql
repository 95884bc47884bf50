--! Previous: sha1:3302ce53799b389027c739c11ad49f5204edfdfe
--! Hash: sha1:98055e7945bd3edc5fa2bbd64fbeaf933abaf2bd
--! Message: searchCallJournals takes agent by email or extension

-- searchCallJournals takes `agent` (email or extension), as every other
-- function does; an unknown agent is CC715, not an empty list.
drop function if exists app_public.search_call_journals(text, text[], citext, text, text, timestamptz, timestamptz, date, text);
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
  agent text default null,
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
  -- The agent by email, or by extension (the directory's person behind it).
  agent_person citext;
begin
  -- Nothing asked for, nothing found.
  if q = '' and wanted_tags is null and agent is null and location is null and status is null
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
  if agent is not null then
    agent_person := case when strpos(agent, '@') > 0 then agent::citext
                         else (select a.user_email from app_public.agents a where a.extension = agent) end;
    if agent_person is null or not exists (select 1 from app_public.users u where u.email = agent_person) then
      raise exception 'No agent with email or extension % that you may see.', agent using errcode = 'CC715', column = 'agent';
    end if;
  end if;
  if q <> '' then
    terms := websearch_to_tsquery('english', q);
    hashes := app_hidden.phi_word_hashes(q);
  end if;
  return query
    select j.* from app_public.call_journals j
     where j.created_at >= since and (to_time is null or j.created_at < to_time)
       and (q = '' or j.search_vector @@ terms or (cardinality(hashes) > 0 and j.notes_word_hashes @> hashes))
       and (wanted_tags is null or j.call_tags @> wanted_tags)
       and (agent is null or j.agent_email = agent_person)
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
comment on function app_public.search_call_journals(text, text[], text, text, text, timestamptz, timestamptz, date, text) is E'Journals you may see matching every criterion given: `query` (full text over summary, tags, action items and departments, and whole words of the protected notes through the blind index, nothing decrypted; at most 300 characters and 20 words, CC701, CC702), `tags` (every one of them, at most 20), `agent` (by email or extension; CC715 when there is no such agent you may see), `location` (CC715 when it does not exist), `status`, `followUpDueBy` (a follow-up due on or before that day), created in [fromTime, toTime) (at most 366 days, CC712, CC713; by default the 366 days before toTime, or before now). Sorted by `sort`: created_at, submitted_at, follow_up_date or review_score, with a leading - for descending (default -created_at; CC714 for another value). No criterion at all finds nothing.';
revoke all on function app_public.search_call_journals(text, text[], text, text, text, timestamptz, timestamptz, date, text) from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_public.search_call_journals(text, text[], text, text, text, timestamptz, timestamptz, date, text) to app_visitor;
--! EndIncluded journals/search.sql
