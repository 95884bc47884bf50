/**
 * A database per test file, cloned from the migrated template, with the
 * connections the product uses: owner (migrations, worker), authenticator
 * (the API), root (superuser, for looking behind the curtain).
 */
import { randomBytes } from "node:crypto";
import pg from "pg";
import { ROLES } from "../../db/roles.js";
import { sessionPgSettings, type Session } from "../../server/auth.js";
import { phiKeys, phiPgSettings, revealLimitPgSettings } from "../../lib/phi-keys.js";
import { applySettings } from "../../db/pg-settings.js";
import { qaPgSettings } from "../../lib/qa-settings.js";
import { featurePgSettings } from "../../lib/feature-settings.js";
import { testEnv } from "./server.js";

/** The patient-data key settings the API gives every request, for the suite's keys. */
export const testPhiSettings = () => phiPgSettings(phiKeys(testEnv()));

/** Everything the API sets for a signed-in person's transaction: role, claims, keys, reveal limits, the QA quota, feature switches. */
export const personSettings = (session: Session) => ({
  ...sessionPgSettings(session), ...testPhiSettings(), ...revealLimitPgSettings(testEnv()), ...qaPgSettings(testEnv()), ...featurePgSettings(testEnv()),
});

export interface TestDatabase {
  name: string;
  rootUrl: string;
  ownerUrl: string;
  authenticatorUrl: string;
  /** Owner pool; close with drop(). */
  owner: pg.Pool;
  /** The API's login, which asUser() switches to a person, as PostGraphile does. */
  authenticator: pg.Pool;
  drop(): Promise<void>;
}

function urlFor(base: string, database: string, user?: string, password?: string): string {
  const u = new URL(base);
  u.pathname = `/${database}`;
  if (user) {
    u.username = user;
    u.password = password ?? "";
  }
  return u.toString();
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const root = process.env.TEST_ROOT_URL!;
  const name = `cc_test_${randomBytes(5).toString("hex")}`;
  const admin = new pg.Client({ connectionString: root });
  await admin.connect();
  await admin.query(`create database ${name} template ${process.env.TEST_TEMPLATE_DB} owner ${ROLES.owner}`);
  await admin.end();
  const ownerUrl = urlFor(root, name, ROLES.owner, process.env.TEST_OWNER_PASSWORD);
  const owner = new pg.Pool({ connectionString: ownerUrl, max: 5 });
  owner.on("error", () => undefined);
  // Like the worker, the owner's sessions get the patient-data keys (bound, never in SQL text).
  const phi = testPhiSettings();
  owner.on("connect", (client) => {
    applySettings(client, phi, { local: false }).catch(() => undefined);
  });
  const authenticatorUrl = urlFor(root, name, ROLES.authenticator, process.env.TEST_AUTHENTICATOR_PASSWORD);
  const authenticator = new pg.Pool({ connectionString: authenticatorUrl, max: 5 });
  authenticator.on("error", () => undefined);
  return {
    name,
    rootUrl: urlFor(root, name),
    ownerUrl,
    authenticatorUrl,
    owner,
    authenticator,
    async drop() {
      await owner.end();
      await authenticator.end();
      const c = new pg.Client({ connectionString: root });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

/**
 * Runs fn in a transaction on a connection of the pool holding the given
 * settings (a person's, the patient-data keys, limits), then commits or
 * rolls back; rolled back on any error.
 */
export async function inTransaction<T>(
  pool: pg.Pool, settings: Record<string, string>, fn: (client: pg.PoolClient) => Promise<T>, { commit = false } = {},
): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query("begin");
    await applySettings(client, settings);
    const result = await fn(client);
    await client.query(commit ? "commit" : "rollback");
    return result;
  } catch (e) {
    await client.query("rollback").catch(() => undefined);
    throw e;
  } finally {
    client.release();
  }
}

/**
 * Runs fn as the given person, exactly as the API does (the same settings
 * PostGraphile sets), inside a transaction that is rolled back.
 */
export async function asUser<T>(pool: pg.Pool, session: Session, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  return inTransaction(pool, personSettings(session), fn);
}

/** Whether a statement is refused (returns the SQLSTATE, or null when it succeeded). */
export async function refusal(client: pg.PoolClient, sql: string, params: unknown[] = []): Promise<string | null> {
  await client.query("savepoint attempt");
  try {
    await client.query(sql, params);
    await client.query("release savepoint attempt");
    return null;
  } catch (e) {
    await client.query("rollback to savepoint attempt");
    return (e as { code?: string }).code ?? "unknown";
  }
}
