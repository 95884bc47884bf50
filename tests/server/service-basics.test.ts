/**
 * Service basics: GraphQL limits (depth, cost, body size), per-user rate limit,
 * production hardening (no introspection, no GraphiQL, masked errors), JSON
 * errors with stable codes, and logs free of tokens.
 */
import { Writable } from "node:stream";
import { createTestDatabase, type TestDatabase } from "../helpers/db.js";
import { createCast } from "../helpers/users.js";
import { signToken, startTestServer, type TestServer } from "../helpers/server.js";
import { makeLogger } from "../../lib/logger.js";

let db: TestDatabase;
let dev: TestServer;
let prod: TestServer;
let limited: TestServer;
let token: string;
const logLines: string[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  await createCast(db.owner);
  token = await signToken({ email: "manager@gangerdermatology.com" });
  const sink = new Writable({
    write(chunk, _enc, cb) {
      logLines.push(chunk.toString());
      cb();
    },
  });
  // A list without first counts as GRAPHQL_MAX_PAGE_SIZE rows: at 20, `allLocations { nodes { name code } }` costs 41.
  dev = await startTestServer(db.authenticatorUrl, {
    env: { GRAPHQL_MAX_DEPTH: "5", GRAPHQL_MAX_COST: "100", GRAPHQL_MAX_PAGE_SIZE: "20", GRAPHQL_MAX_BODY_BYTES: "2048" },
    logger: makeLogger("debug", sink),
  });
  prod = await startTestServer(db.authenticatorUrl, {
    env: { NODE_ENV: "production", DATABASE_URL: "postgres://unused@127.0.0.1/x", DATABASE_AUTHENTICATOR_PASSWORD: "x", JWT_SECRET: "test-secret-that-is-long-enough-for-hs256!!" },
  });
  limited = await startTestServer(db.authenticatorUrl, { env: { RATE_LIMIT_PER_MINUTE: "3" } });
});
afterAll(async () => {
  await Promise.all([dev.close(), prod.close(), limited.close()]);
  await db.drop();
});

describe("GraphQL limits", () => {
  it("refuses a query deeper than GRAPHQL_MAX_DEPTH", async () => {
    const deep = "{ allUsers { nodes { userRoleByUserId { userByUserId { userRoleByUserId { userByUserId { email } } } } } } }";
    const res = await dev.graphql(deep, token);
    expect(res.body.data ?? null).toBeNull();
    expect(res.body.errors?.[0]?.message).toMatch(/depth/i);
    expect(res.body.errors?.[0]?.extensions?.code).toBe("QUERY_TOO_DEEP");
  });

  it("refuses a query costlier than GRAPHQL_MAX_COST", async () => {
    const fields = Array.from({ length: 20 }, (_, i) => `a${i}: allLocations { nodes { name code } }`).join(" ");
    const res = await dev.graphql(`{ ${fields} }`, token);
    expect(res.body.data ?? null).toBeNull();
    expect(res.body.errors?.[0]?.message).toMatch(/cost/i);
    expect(res.body.errors?.[0]?.extensions?.code).toBe("QUERY_TOO_COSTLY");
  });

  it("refuses a body over GRAPHQL_MAX_BODY_BYTES with 413", async () => {
    const res = await fetch(`${dev.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: `{ __typename } # ${"x".repeat(5000)}` }),
    });
    expect(res.status).toBe(413);
  });

  it("allows an ordinary query", async () => {
    const res = await dev.graphql("{ allLocations(orderBy: NAME_ASC) { nodes { name code } } }", token);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data).toEqual({
      allLocations: { nodes: [{ name: "Ann Arbor", code: "AA" }, { name: "Plymouth", code: "PL" }, { name: "Wixom", code: "WX" }] },
    });
  });
});

describe("per-user rate limit", () => {
  it("answers 429 with a reason past RATE_LIMIT_PER_MINUTE, per user", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await limited.graphql("{ __typename }", token)).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const res = await limited.graphql("{ __typename }", token);
    expect(res.body.error?.code).toBe("RATE_LIMITED");
    // another person still gets through
    expect((await limited.graphql("{ __typename }", await signToken({ email: "staff@gangerdermatology.com" }))).status).toBe(200);
  });
});

describe("production hardening", () => {
  it("has no introspection", async () => {
    const res = await prod.graphql("{ __schema { types { name } } }", token);
    expect(res.body.data ?? null).toBeNull();
    expect(res.body.errors?.[0]?.message).toMatch(/introspection/i);
  });

  it("has introspection in development", async () => {
    const res = await dev.graphql("{ __schema { queryType { name } } }", token);
    expect(res.body.data).toEqual({ __schema: { queryType: { name: "Query" } } });
  });

  it("serves no GraphiQL", async () => {
    expect((await fetch(`${prod.url}/graphiql`)).status).toBe(404);
    expect((await fetch(`${dev.url}/graphiql`)).status).toBe(200);
  });

  it("gives database refusals a stable code and no internals", async () => {
    const res = await prod.graphql(`mutation { createLocation(input: { location: { name: "Novi", code: "NV" } }) { location { name } } }`,
      await signToken({ email: "agent.aa@gangerdermatology.com" }));
    expect(res.body.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    expect(JSON.stringify(res.body)).not.toMatch(/row-level security|app_public|stack/);
  });

  it("gives constraint errors a stable code", async () => {
    const res = await prod.graphql(`mutation { createLocation(input: { location: { name: "Wixom", code: "WX" } }) { location { name } } }`, token);
    expect(res.body.errors?.[0]?.extensions?.code).toBe("CONFLICT");
  });
});

describe("errors and logs", () => {
  it("answers unknown paths with a JSON 404", async () => {
    const res = await fetch(`${dev.url}/nope`);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: { code: "NOT_FOUND", message: "No such endpoint." } });
  });

  it("logs each request with a request id, and never the token", async () => {
    const res = await fetch(`${dev.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}`, "x-request-id": "req-12345" },
      body: JSON.stringify({ query: "{ __typename }" }),
    });
    expect(res.headers.get("x-request-id")).toBe("req-12345");
    await new Promise((r) => setTimeout(r, 50));
    const all = logLines.join("");
    expect(all).toMatch(/"id":"req-12345"/);
    expect(all).not.toContain(token);
    expect(all).not.toContain(token.split(".")[1]!);
    expect(all).not.toMatch(/authorization/i);
  });
});
