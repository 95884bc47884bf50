--! Previous: sha1:9bc895ce4d144cb551dd376f4915131456194dba
--! Hash: sha1:2c1882a511833fae56ccbcebebb2712f6e124ff4
--! Message: fix: the reviewed agent's acknowledgment compares only columns a person sets

/* In a BEFORE trigger, generated columns of NEW are not computed yet: leave them out of the comparison. */
create or replace function app_private.tg_quality_assurance_reviews__rules() returns trigger
  language plpgsql volatile security definer
  set search_path to pg_catalog, public, pg_temp
  as $$
begin
  if auth.uid() is null then return new; end if;
  if tg_op = 'INSERT' then
    new.reviewer_email := auth.email()::citext;
    new.reviewer_name := coalesce(new.reviewer_name, (select coalesce(full_name, email::text) from app_public.users where id = auth.uid()));
  elsif not app_hidden.has_permission('conductQAReviews')
        and (to_jsonb(new) - '{agent_acknowledgment,updated_at,total_score,percentage_score}'::text[])
            is distinct from (to_jsonb(old) - '{agent_acknowledgment,updated_at,total_score,percentage_score}'::text[]) then
    raise exception 'The reviewed agent may only acknowledge the review.' using errcode = 'CC301';
  end if;
  return new;
end;
$$;
