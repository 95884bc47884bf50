/**
 * Where the database is, and getting it ready: the embedded server when
 * DATABASE_URL is unset, the given server otherwise. Shared by `npm start`,
 * `npm run server`, `npm run worker` and the scripts.
 */
import type { Logger } from "pino";
import type { Env } from "../lib/env.js";
import { bootstrapAsOwner, bootstrapAsRoot, databaseName, writeDefaultReportSchedule } from "./bootstrap.js";
import { parseReportSchedule } from "../lib/report-schedule-setting.js";
import { defaultEmbeddedDir, startEmbeddedPostgres, type RunningPostgres } from "./embedded-postgres.js";
import { migrateDatabase } from "./migrate.js";
import { ROLES } from "./roles.js";

/** The embedded server's database name. */
export const EMBEDDED_DATABASE = "callcenter";
/** Used in development only, when DATABASE_URL is set without an authenticator password. */
const DEV_AUTHENTICATOR_PASSWORD = "app_authenticator_dev_only";

export interface DatabaseConnections {
  /** The owner: migrations, the worker, scripts. */
  ownerUrl: string;
  /** The API's login (app_authenticator), which can only become app_visitor. */
  authenticatorUrl: string;
  /** A superuser, when we have one (embedded or test server). */
  rootUrl?: string;
  /** The embedded server, when one is used. */
  embedded?: RunningPostgres;
}

export interface PrepareOptions {
  env: Env;
  logger: Logger;
  /** Apply migrations (npm start, db:migrate); the halves apart only check them. */
  migrate: boolean;
}

function withUser(url: string, user: string, password: string): string {
  const u = new URL(url);
  u.username = encodeURIComponent(user);
  u.password = encodeURIComponent(password);
  return u.toString();
}

/** Starts (or finds) the database, creates roles and database if needed, optionally migrates. */
export async function prepareDatabase({ env, logger, migrate }: PrepareOptions): Promise<DatabaseConnections> {
  let connections: DatabaseConnections;
  let authenticatorPassword: string | undefined;
  if (env.DATABASE_URL) {
    const ownerUrl = env.DATABASE_URL;
    if (env.AUTH_DATABASE_URL) {
      connections = { ownerUrl, authenticatorUrl: env.AUTH_DATABASE_URL };
    } else {
      authenticatorPassword = env.DATABASE_AUTHENTICATOR_PASSWORD ?? DEV_AUTHENTICATOR_PASSWORD;
      connections = { ownerUrl, authenticatorUrl: withUser(ownerUrl, ROLES.authenticator, authenticatorPassword) };
    }
  } else {
    const embedded = await startEmbeddedPostgres({
      dir: defaultEmbeddedDir(env.EMBEDDED_PG_DIR),
      port: env.EMBEDDED_PG_PORT,
      logger,
    });
    try {
      const rootUrl = embedded.url(embedded.superuser, embedded.superuserPassword, EMBEDDED_DATABASE);
      await bootstrapAsRoot(rootUrl, embedded.credentials.ownerPassword, EMBEDDED_DATABASE, logger);
      authenticatorPassword = embedded.credentials.authenticatorPassword;
      connections = {
        rootUrl,
        ownerUrl: embedded.url(ROLES.owner, embedded.credentials.ownerPassword, EMBEDDED_DATABASE),
        authenticatorUrl: embedded.url(ROLES.authenticator, authenticatorPassword, EMBEDDED_DATABASE),
        embedded,
      };
    } catch (e) {
      await embedded.stop();
      throw e;
    }
  }
  try {
    await bootstrapAsOwner(connections.ownerUrl, authenticatorPassword, logger, env.BUSINESS_TIMEZONE);
    if (migrate) await migrateDatabase(connections.ownerUrl, connections.rootUrl, logger);
    const schedule = parseReportSchedule(env.PERFORMANCE_REPORT_SCHEDULE);
    if (typeof schedule !== "string") {
      await writeDefaultReportSchedule(connections.ownerUrl, { schedule, time: env.REPORT_GENERATION_TIME, recipient: env.CALL_CENTER_MANAGER_EMAIL }, logger);
    }
  } catch (e) {
    await connections.embedded?.stop();
    throw e;
  }
  logger.debug({ database: databaseName(connections.ownerUrl) }, "database ready");
  return connections;
}
