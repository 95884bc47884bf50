/**
 * Every API transaction has a statement timeout (API_STATEMENT_TIMEOUT_MS),
 * set per transaction (a role's own setting does not survive SET ROLE): a
 * query that runs longer is stopped and the client gets QUERY_TIMEOUT, not a
 * 500 with database text; the REST endpoints' own queries too.
 */
import { createTestDatabase, type TestDatabase } from "../helpers/db.js";
import { createCast } from "../helpers/users.js";
import { signToken, startTestServer, type TestServer } from "../helpers/server.js";
import { installSlowFunctions } from "../helpers/slow-queries.js";

let db: TestDatabase;
let s: TestServer;
let manager: string;

beforeAll(async () => {
  db = await createTestDatabase();
  await createCast(db.owner);
  await installSlowFunctions(db.owner);
  manager = await signToken({ email: "manager@gangerdermatology.com" });
  s = await startTestServer(db.authenticatorUrl, { env: { API_STATEMENT_TIMEOUT_MS: "300" } });
});
afterAll(async () => {
  await s.close();
  await db.drop();
});

it("is set in each API transaction, from API_STATEMENT_TIMEOUT_MS", async () => {
  const res = await s.graphql(`{ testSetting(name: "statement_timeout") }`, manager);
  expect(res.body).toEqual({ data: { testSetting: "300ms" } });
});

it("stops a longer query with QUERY_TIMEOUT, not a 500 with database text", async () => {
  const res = await s.graphql(`{ testSleep(seconds: 30) }`, manager);
  expect(res.status).toBe(200);
  expect(res.body.errors?.[0]?.extensions?.code).toBe("QUERY_TIMEOUT");
  expect(res.body.errors?.[0]?.message).toMatch(/300 ms/);
  expect(JSON.stringify(res.body)).not.toMatch(/canceling statement/);
});

it("holds for the REST endpoints' own queries: 503 QUERY_TIMEOUT", async () => {
  // In this file's own database only: a recount that takes longer than the API allows.
  await db.owner.query(`
    create or replace function app_public.calculate_kpis(from_day date, to_day date) returns integer language plpgsql
    security definer set search_path to pg_catalog, public, pg_temp as $$ begin perform pg_sleep(30); return 0; end $$`);
  const res = await fetch(`${s.url}/api/processing/calculate-kpis`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${manager}` },
    body: JSON.stringify({ from: "2026-03-01", to: "2026-03-01" }),
  });
  expect(res.status).toBe(503);
  expect(((await res.json()) as { error: { code: string } }).error.code).toBe("QUERY_TIMEOUT");
});
