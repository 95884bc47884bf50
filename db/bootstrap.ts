/**
 * Makes a server ready for the migrations: the database and the roles.
 * Idempotent; run at every `npm start` and `npm run db:migrate`.
 *
 * - With a root (superuser) connection (the embedded server, the test
 *   server): creates the owner role and the database, and the extensions
 *   only a superuser may create.
 * - As the owner (DATABASE_URL): creates the other roles if missing (needs
 *   CREATEROLE, else they must exist already), and sets the authenticator's
 *   password when this process knows it.
 */
import pg from "pg";
import type { Logger } from "pino";
import { ROLES } from "./roles.js";
import { scramVerifier } from "./scram.js";
import type { DefaultReportSchedule } from "../lib/report-schedule-setting.js";

const ident = (s: string) => `"${s.replace(/"/g, '""')}"`;

async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  client.on("error", () => undefined);
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${encodeURIComponent(database)}`;
  return u.toString();
}

export function databaseName(url: string): string {
  return decodeURIComponent(new URL(url).pathname.replace(/^\//, ""));
}

/** As superuser: the owner login, the database it owns, superuser-only extensions. */
export async function bootstrapAsRoot(rootUrl: string, ownerPassword: string, database: string, logger: Logger) {
  await withClient(withDatabase(rootUrl, "postgres"), async (c) => {
    const exists = await c.query("select 1 from pg_roles where rolname = $1", [ROLES.owner]);
    if (exists.rowCount === 0) await c.query(`create role ${ident(ROLES.owner)} login createrole`);
    await c.query(`alter role ${ident(ROLES.owner)} with login createrole password '${scramVerifier(ownerPassword)}'`);
    const db = await c.query("select 1 from pg_database where datname = $1", [database]);
    if (db.rowCount === 0) {
      logger.info({ database }, "creating database");
      await c.query(`create database ${ident(database)} owner ${ident(ROLES.owner)} encoding 'UTF8' template template0`);
    }
  });
  await withClient(withDatabase(rootUrl, database), async (c) => {
    // Not a trusted extension: only a superuser can create it. Optional elsewhere.
    await c.query("create extension if not exists pg_stat_statements");
  });
}

/** As the owner: create the database if missing (when allowed) and the roles. */
export async function bootstrapAsOwner(
  ownerUrl: string,
  authenticatorPassword: string | undefined,
  logger: Logger,
  businessTimezone = "America/Detroit",
) {
  const database = databaseName(ownerUrl);
  try {
    await withClient(ownerUrl, async () => undefined);
  } catch (e) {
    if ((e as { code?: string }).code !== "3D000") throw e;
    logger.info({ database }, "database missing; creating it");
    await withClient(withDatabase(ownerUrl, "postgres"), (c) => c.query(`create database ${ident(database)}`));
  }
  await withClient(ownerUrl, async (c) => {
    const { rows } = await c.query<{ rolname: string }>("select rolname from pg_roles where rolname = any($1)", [
      [ROLES.authenticator, ROLES.visitor, ROLES.worker, ROLES.analyst],
    ]);
    const have = new Set(rows.map((r) => r.rolname));
    const create: Record<string, string> = {
      [ROLES.visitor]: "nologin",
      [ROLES.worker]: "nologin",
      [ROLES.analyst]: "nologin",
      [ROLES.authenticator]: "login noinherit",
    };
    for (const [role, attrs] of Object.entries(create)) {
      if (have.has(role)) continue;
      try {
        await c.query(`create role ${ident(role)} ${attrs}`);
      } catch (e) {
        throw new Error(
          `role ${role} is missing and the DATABASE_URL role cannot create it (${(e as Error).message}); create it once as a superuser: CREATE ROLE ${role} ${attrs};`,
        );
      }
    }
    if (authenticatorPassword !== undefined) {
      await c.query(`alter role ${ident(ROLES.authenticator)} with login noinherit password '${scramVerifier(authenticatorPassword)}'`);
    }
    // Only our roles may connect (graphile-migrate's reset also revokes PUBLIC's default).
    await c.query(`revoke all on database ${ident(database)} from public`);
    await c.query(`grant connect on database ${ident(database)} to ${ident(ROLES.authenticator)}, ${ident(ROLES.analyst)}`);
    await c.query(`grant ${ident(ROLES.visitor)} to ${ident(ROLES.authenticator)}`);
    // The owner switches to the worker role inside job transactions, and to the visitor role where a job acts
    // for a person (a report run is produced under its requester's row rules, as the API would).
    await c.query(`grant ${ident(ROLES.worker)} to current_user`);
    await c.query(`grant ${ident(ROLES.visitor)} to current_user`);
    // SQL computes business days in BUSINESS_TIMEZONE (app_hidden.business_timezone()); written once migrated.
    const settings = await c.query("select to_regclass('app_private.settings') is not null as ready");
    if (settings.rows[0]?.ready) {
      await c.query(
        `insert into app_private.settings (name, value) values ('business_timezone', $1)
         on conflict (name) do update set value = excluded.value, updated_at = now() where settings.value <> excluded.value`,
        [businessTimezone],
      );
    }
  });
}

/**
 * The default report schedule from the environment (PERFORMANCE_REPORT_SCHEDULE, REPORT_GENERATION_TIME,
 * CALL_CENTER_MANAGER_EMAIL), written at every start once the migrations are applied, like business_timezone.
 */
export async function writeDefaultReportSchedule(
  ownerUrl: string,
  settings: { schedule: DefaultReportSchedule; time: string; recipient: string | undefined },
  logger: Logger,
) {
  await withClient(ownerUrl, async (c) => {
    const ready = await c.query("select to_regprocedure('app_private.set_default_report_schedule(text, time, smallint, smallint, text)') is not null as ready");
    if (!ready.rows[0]?.ready) return;
    const { schedule, time, recipient } = settings;
    await c.query("select app_private.set_default_report_schedule($1, $2, $3, $4, $5)", [
      schedule.cadence, time, schedule.weekday, schedule.monthday, recipient ?? null,
    ]);
    if (schedule.cadence && !recipient) logger.warn("CALL_CENTER_MANAGER_EMAIL is unset: the default report schedule is inactive");
  });
}
