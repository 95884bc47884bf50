--! Previous: sha1:8d149679113408ecc95688f3431714a5f2234610
--! Hash: sha1:5c74f145349467c754ac5df36c7c983d907a17f2
--! Message: currentUser: the signed-in person

-- currentUser (issue 16).
--! Included auth/current-user.sql
-- currentUser: who the API takes the caller for (their users row).
create or replace function app_public.current_user_row()
 returns app_public.users
 language sql
 stable
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
  select u.* from app_public.users u where u.id = auth.uid()
$function$;
comment on function app_public.current_user_row() is E'@name currentUser\nThe signed-in person (their users row: email, name, role through userRoleByUserId); NULL without a session.';
revoke all on function app_public.current_user_row() from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_public.current_user_row() to app_visitor;
--! EndIncluded auth/current-user.sql
