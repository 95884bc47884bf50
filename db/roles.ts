/**
 * The database roles. Fixed names: policies, grants and docs refer to them.
 * - owner: owns every object (the role in DATABASE_URL; `app_owner` for the embedded server)
 * - app_authenticator: the API's login; NOINHERIT, can only switch to app_visitor
 * - app_visitor: what every signed-in person runs as; row-level security decides the rest
 * - app_worker: what background jobs run as (SET LOCAL ROLE inside their transaction)
 * - app_analyst: read-only access to the `analytics` schema, granted to analysts' own logins
 */
export const ROLES = {
  owner: "app_owner",
  authenticator: "app_authenticator",
  visitor: "app_visitor",
  worker: "app_worker",
  analyst: "app_analyst",
} as const;

/** The five application roles of the PRD, lowest to highest. */
export const APP_ROLES = ["staff", "call_center_agent", "supervisor", "manager", "superadmin"] as const;
export type AppRole = (typeof APP_ROLES)[number];
