/**
 * The health check: 200 when the database answers, migrations are applied and
 * jobs are processed; 503 with the reason otherwise; back to 200 by itself
 * when the database returns. This file runs its own embedded server so it can
 * stop and start it.
 */
import fs from "node:fs";
import pg from "pg";
import { makeLogger } from "../../lib/logger.js";
import { startEmbeddedPostgres, type RunningPostgres } from "../../db/embedded-postgres.js";
import { bootstrapAsOwner, bootstrapAsRoot } from "../../db/bootstrap.js";
import { migrateDatabase } from "../../db/migrate.js";
import { ROLES } from "../../db/roles.js";
import { freePort, reachableTempDir } from "../helpers/test-server-lifecycle.js";
import { startTestServer, type TestServer } from "../helpers/server.js";

const logger = makeLogger("silent");
let dir: string;
let port: number;
let postgres: RunningPostgres;
let server: TestServer;
let ownerUrl: string;

async function health() {
  const res = await fetch(`${server.url}/api/processing/health-check`);
  return { status: res.status, body: (await res.json()) as { status: string; reason?: string; migrations?: { applied: number }; worker?: { ok: boolean } } };
}

async function stampHeartbeat(at = "now()") {
  const c = new pg.Client({ connectionString: ownerUrl });
  await c.connect();
  await c.query(`set role ${ROLES.worker}`);
  await c.query(`insert into app_private.job_heartbeat (id, last_run_at) values (true, ${at}) on conflict (id) do update set last_run_at = excluded.last_run_at`);
  await c.end();
}

beforeAll(async () => {
  dir = reachableTempDir("cc-health-pg-");
  port = await freePort();
  postgres = await startEmbeddedPostgres({ dir, port, logger, fast: true });
  const root = postgres.url(postgres.superuser, postgres.superuserPassword, "health");
  await bootstrapAsRoot(root, postgres.credentials.ownerPassword, "health", logger);
  ownerUrl = postgres.url(ROLES.owner, postgres.credentials.ownerPassword, "health");
  await bootstrapAsOwner(ownerUrl, postgres.credentials.authenticatorPassword, logger);
  server = await startTestServer(postgres.url(ROLES.authenticator, postgres.credentials.authenticatorPassword, "health"));
});

afterAll(async () => {
  await server.close();
  await postgres.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

it("is 503 'migrations not applied' on an empty database", async () => {
  const res = await health();
  expect(res.status).toBe(503);
  expect(res.body.reason).toMatch(/migrations not applied/);
});

it("is 503 until a worker has processed a job", async () => {
  await migrateDatabase(ownerUrl, undefined, logger);
  const res = await health();
  expect(res.status).toBe(503);
  expect(res.body.reason).toMatch(/no worker has processed a job yet/);
  expect(res.body.migrations?.applied).toBeGreaterThan(0);
});

it("is 503 when the job heartbeat is stale", async () => {
  await stampHeartbeat("now() - interval '10 minutes'");
  const res = await health();
  expect(res.status).toBe(503);
  expect(res.body.reason).toMatch(/jobs stalled: no worker heartbeat for 6\d\d s/);
});

it("is 200 'ok' when everything is in order", async () => {
  await stampHeartbeat();
  const res = await health();
  expect(res.status).toBe(200);
  expect(res.body.status).toBe("ok");
  expect(res.body.worker?.ok).toBe(true);
});

it("turns 503 when the database stops, and 200 again by itself when it returns", async () => {
  await postgres.stop();
  const down = await health();
  expect(down.status).toBe(503);
  expect(down.body.status).toBe("unavailable");
  expect(down.body.reason).toMatch(/^database unreachable/);

  postgres = await startEmbeddedPostgres({ dir, port, logger, fast: true });
  const up = await health();
  expect(up.status).toBe(200);
  expect(up.body.status).toBe("ok");
});
