--! Previous: sha1:71bfb59e7b10b6045be4f158d282a01db3d4b7d4
--! Hash: sha1:bad2ca8677581c02db50a626b494ed0eb0879f03
--! Message: journal search bounded, its per-row work done once per search

/*
 * Journal search bounded, and its per-row work done once per search.
 *
 * searchCallJournals was a SQL function whose filter called
 * websearch_to_tsquery(query) and app_hidden.phi_word_hashes(query) for every
 * journal it looked at (the function could not be inlined, so both were
 * evaluated per row): a 1,000-word query ran 18 s, a 5,000-word one 123 s.
 * Now the query is checked first (at most 300 characters and 20 words, CC701,
 * CC702), and the tsquery and the blind-index hashes are computed once into
 * variables the search then compares against (parameters of its plan, so the
 * GIN indexes on search_vector and notes_word_hashes still serve it).
 *
 * Also: a query with no word of two characters or more ("a", "!!") hashed to
 * an empty list, and every journal's list contains the empty list, so it
 * returned every journal; now it matches by full text only.
 */
create or replace function app_public.search_call_journals(query text) returns setof app_public.call_journals
  language plpgsql stable
  set search_path to pg_catalog, public, pg_temp
as $$
declare
  -- The bounds of a search; a longer one is refused (CC701, CC702; db/error_codes.md).
  max_length constant integer := 300;
  max_words constant integer := 20;
  q constant text := trim(coalesce(query, ''));
  words integer;
  terms tsquery;
  hashes bytea[];
begin
  if q = '' then
    return;
  end if;
  if length(q) > max_length then
    raise exception 'A search is at most % characters; this one has %.', max_length, length(q) using errcode = 'CC701';
  end if;
  -- Words as the blind index splits them (app_hidden.phi_word_hashes).
  select count(*) into words from regexp_split_to_table(lower(q), '[^[:alnum:]]+') w where w <> '';
  if words > max_words then
    raise exception 'A search is at most % words; this one has %.', max_words, words using errcode = 'CC702';
  end if;
  terms := websearch_to_tsquery('english', q);
  hashes := app_hidden.phi_word_hashes(q);
  return query
    select j.* from app_public.call_journals j
     where j.search_vector @@ terms
        or (cardinality(hashes) > 0 and j.notes_word_hashes @> hashes)
     order by j.created_at desc;
end;
$$;
comment on function app_public.search_call_journals(text) is 'Journals matching the words: full-text over summary, tags, action items and departments, and whole words in the protected notes (blind index, nothing decrypted). At most 300 characters and 20 words (CC701, CC702).';
