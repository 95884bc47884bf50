--! Previous: sha1:60ed8c1b36b8b01d84afd1635066c5140283c2aa
--! Hash: sha1:e145b38b8af25d23fec97d80d6e3d81fd44132b5
--! Message: Data export needs the exportData permission

--! Included reports/data-export.sql
-- Exporting data (CSV) needs the exportData permission (the PRD's matrix: managers and superadmins, or an
-- extra grant in user_permissions). The REST door asks this before it writes any CSV, so the rule lives here.
create or replace function app_public.authorize_data_export()
 returns boolean
 language plpgsql
 stable
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
begin
  perform app_hidden.require_permission('exportData');
  return true;
end;
$function$;
comment on function app_public.authorize_data_export() is 'True when the person asking may export data (the exportData permission: managers and superadmins, or an extra grant); anyone else is refused with FORBIDDEN. A report asked for as CSV is refused (REST 403) unless this answers true.';
revoke all on function app_public.authorize_data_export() from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant execute on function app_public.authorize_data_export() to app_visitor;
--! EndIncluded reports/data-export.sql
