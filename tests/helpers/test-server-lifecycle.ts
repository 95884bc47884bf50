/**
 * Once per `npm test`: a PostgreSQL server (embedded in a temporary folder on
 * a free port, or TEST_DATABASE_URL, which must be a superuser of a
 * disposable server), the roles, and a template database with every
 * migration applied. Test files clone the template (tests/helpers/db.ts).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { makeLogger } from "../../lib/logger.js";
import { freePort } from "../../lib/free-port.js";

export { freePort };
import { startEmbeddedPostgres, type RunningPostgres } from "../../db/embedded-postgres.js";
import { bootstrapAsOwner, bootstrapAsRoot } from "../../db/bootstrap.js";
import { migrateDatabase } from "../../db/migrate.js";
import { ROLES } from "../../db/roles.js";

export const TEMPLATE_DB = "cc_test_template";


/** A folder the `postgres` system user can enter when tests run as root. */
export function reachableTempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  fs.chmodSync(dir, 0o755);
  return dir;
}

declare global {
  var __TEST_PG__: RunningPostgres | undefined;
  var __TEST_PG_DIR__: string | undefined;
}

export async function globalSetup() {
  const logger = makeLogger(process.env.TEST_LOG_LEVEL ?? "warn");
  let rootUrl: string;
  if (process.env.TEST_DATABASE_URL) {
    rootUrl = process.env.TEST_DATABASE_URL;
  } else {
    const dir = reachableTempDir("cc-test-pg-");
    const pg = await startEmbeddedPostgres({ dir, port: await freePort(), logger, fast: true });
    globalThis.__TEST_PG__ = pg;
    // Never leave the test server behind, even when jest is interrupted.
    process.once("exit", () => {
      try {
        process.kill(pg.pid, "SIGINT");
      } catch {
        /* already stopped */
      }
    });
    globalThis.__TEST_PG_DIR__ = dir;
    rootUrl = pg.url(pg.superuser, pg.superuserPassword, "postgres");
  }
  const ownerPassword = randomBytes(18).toString("base64url");
  const authenticatorPassword = randomBytes(18).toString("base64url");
  const templateRoot = new URL(rootUrl);
  templateRoot.pathname = `/${TEMPLATE_DB}`;
  // A fresh template every run.
  const pgmod = await import("pg");
  const admin = new pgmod.default.Client({ connectionString: rootUrl });
  await admin.connect();
  await admin.query(`drop database if exists ${TEMPLATE_DB} with (force)`);
  await admin.end();
  await bootstrapAsRoot(templateRoot.toString(), ownerPassword, TEMPLATE_DB, logger);
  const ownerUrl = new URL(templateRoot.toString());
  ownerUrl.username = ROLES.owner;
  ownerUrl.password = ownerPassword;
  await bootstrapAsOwner(ownerUrl.toString(), authenticatorPassword, logger);
  await migrateDatabase(ownerUrl.toString(), templateRoot.toString(), logger);

  // One set of patient-data keys for the whole suite (two keys, so rotation can be tested).
  process.env.PHI_ENCRYPTION_KEYS = `t1:${randomBytes(32).toString("base64")},t2:${randomBytes(32).toString("base64")}`;
  process.env.PHI_ENCRYPTION_KEY_ID = "t1";
  process.env.PHI_HASH_KEY = randomBytes(32).toString("base64");
  process.env.TEST_ROOT_URL = rootUrl;
  process.env.TEST_OWNER_PASSWORD = ownerPassword;
  process.env.TEST_AUTHENTICATOR_PASSWORD = authenticatorPassword;
  process.env.TEST_TEMPLATE_DB = TEMPLATE_DB;
}

export async function globalTeardown() {
  await globalThis.__TEST_PG__?.stop();
  if (globalThis.__TEST_PG_DIR__) fs.rmSync(globalThis.__TEST_PG_DIR__, { recursive: true, force: true });
}
