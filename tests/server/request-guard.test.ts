/**
 * One user cannot hold the API's pool: a query is cancelled when its client
 * goes away, a user's requests past MAX_CONCURRENT_REQUESTS_PER_USER get 429
 * while other users still get answers, and one request's parallel root
 * fields hold no more connections than that either.
 */
import pg from "pg";
import { createTestDatabase, type TestDatabase } from "../helpers/db.js";
import { createCast } from "../helpers/users.js";
import { signToken, startTestServer, type TestServer } from "../helpers/server.js";
import { installSlowFunctions, sleeping, sleepingBackends, startRequest, waitFor } from "../helpers/slow-queries.js";

let db: TestDatabase;
let root: pg.Pool;
let s: TestServer;
let manager: string;
let staff: string;
const running: Array<{ abort(): void }> = [];

beforeAll(async () => {
  db = await createTestDatabase();
  await createCast(db.owner);
  await installSlowFunctions(db.owner);
  root = new pg.Pool({ connectionString: db.rootUrl, max: 2 });
  manager = await signToken({ email: "manager@gangerdermatology.com" });
  staff = await signToken({ email: "staff@gangerdermatology.com" });
  s = await startTestServer(db.authenticatorUrl, {
    env: { MAX_CONCURRENT_REQUESTS_PER_USER: "2", DATABASE_POOL_SIZE: "4", API_STATEMENT_TIMEOUT_MS: "600000" },
  });
});
afterEach(async () => {
  for (const r of running.splice(0)) r.abort();
  await waitFor("the slow queries to end", async () => ((await sleepingBackends(root)).length === 0 ? true : undefined));
});
afterAll(async () => {
  await s.close();
  await root.end();
  await db.drop();
});

const slow = (query: string, token = manager) => {
  const r = startRequest(s, query, token);
  running.push(r);
  return r;
};

it("cancels a query whose client goes away: its backend leaves pg_stat_activity", async () => {
  const request = slow("{ testSleep(seconds: 300) }");
  const [pid] = await waitFor("the query to start", sleeping(root, 1));
  request.abort();
  await waitFor("the backend to go", async () => {
    const { rows } = await root.query("select 1 from pg_stat_activity where pid = $1", [pid]);
    return rows.length === 0 ? true : undefined;
  });
  // and the server goes on answering that user
  expect((await s.graphql("{ allLocations { totalCount } }", manager)).body).toEqual({ data: { allLocations: { totalCount: 3 } } });
});

it("answers a user's request past MAX_CONCURRENT_REQUESTS_PER_USER with 429; another user still gets answers", async () => {
  slow("{ testSleep(seconds: 300) }");
  slow("{ testSleep(seconds: 301) }");
  await waitFor("two slow queries", sleeping(root, 2));
  const third = await s.graphql("{ allLocations { totalCount } }", manager);
  expect(third.status).toBe(429);
  expect(third.body.error?.code).toBe("TOO_MANY_CONCURRENT_REQUESTS");
  expect(third.body.error?.message).toMatch(/2 requests at once/);
  const other = await s.graphql("{ allLocations { totalCount } }", staff);
  expect(other).toEqual({ status: 200, body: { data: { allLocations: { totalCount: 3 } } } });
});

it("holds one request's parallel root fields to the same number of connections", async () => {
  // different arguments: identical fields would be planned as one query
  const fields = ["a", "b", "c", "d"].map((a, i) => `${a}: testSleep(seconds: ${300 + i})`).join(" ");
  slow(`{ ${fields} }`);
  await waitFor("two slow queries", sleeping(root, 2));
  const other = await s.graphql("{ allLocations { totalCount } }", staff);
  expect(other).toEqual({ status: 200, body: { data: { allLocations: { totalCount: 3 } } } });
  expect(await sleepingBackends(root)).toHaveLength(2);
});

it("frees the user's places when their requests end", async () => {
  expect((await s.graphql("{ allLocations { totalCount } }", manager)).status).toBe(200);
  expect((await s.graphql("{ allLocations { totalCount } }", manager)).status).toBe(200);
  expect((await s.graphql("{ allLocations { totalCount } }", manager)).status).toBe(200);
});

it("counts a REST request once when its path extends another route's (/api/call-records/:id under /api/call-records)", async () => {
  // Each REST path is installed with sign-in and the guard; /api/call-records also matches /api/call-records/:id, so a
  // request there met both twice: with a limit of 1 it was always refused as its own second request.
  const one = await startTestServer(db.authenticatorUrl, { env: { MAX_CONCURRENT_REQUESTS_PER_USER: "1", DATABASE_POOL_SIZE: "4" } });
  try {
    const get = (path: string) => fetch(`${one.url}${path}`, { headers: { authorization: `Bearer ${manager}` } });
    const call = await get("/api/call-records/00000000-0000-4000-8000-000000000001");
    expect(call.status).toBe(404);
    const journal = await fetch(`${one.url}/api/call-journals/00000000-0000-4000-8000-000000000001`, {
      method: "PUT",
      headers: { authorization: `Bearer ${manager}`, "content-type": "application/json" },
      body: JSON.stringify({ call_summary: "x" }),
    });
    expect(journal.status).toBe(404);
    // and the count goes back to zero: the next request is answered too
    expect((await get("/api/call-records/00000000-0000-4000-8000-000000000002")).status).toBe(404);
  } finally {
    await one.close();
  }
});
