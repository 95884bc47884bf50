-- Runs as the root connection after `graphile-migrate reset` (development only):
-- the roles are cluster-wide and already exist (db/bootstrap.ts creates them);
-- this re-grants what a freshly created database lacks.
grant all on database :DATABASE_NAME to :DATABASE_OWNER;
