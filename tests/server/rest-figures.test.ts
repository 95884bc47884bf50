/**
 * GET /api/agent-performance/{email} and GET /api/team-metrics: figures over
 * a range of business days through the REST table, under the same row rules
 * as GraphQL's agentKpisForRange and teamKpisForRange.
 */
import { runJobs } from "../helpers/jobs.js";
import { createTestDatabase, type TestDatabase } from "../helpers/db.js";
import { createCast, type Cast } from "../helpers/users.js";
import { signToken, startTestServer, type TestServer } from "../helpers/server.js";
import { talk } from "../helpers/calls.js";
import { restClient, type RestClient } from "../helpers/rest.js";

let db: TestDatabase;
let server: TestServer;
let cast: Cast;
let rest: RestClient;
const answered = (id: string, queue: string, agent: string, at: string) => {
  const after = (ms: number) => new Date(Date.parse(at) + ms).toISOString();
  return talk(id, agent, at, after(5_000), after(65_000), { caller: "+17345550101", called: queue, queue });
};

beforeAll(async () => {
  db = await createTestDatabase();
  cast = await createCast(db.owner);
  await db.owner.query(`insert into app_public.queues (name, extension, location_name) values ('AA Front', '800', 'Ann Arbor'), ('WX Front', '810', 'Wixom')`);
  await db.owner.query(`insert into app_public.agents (extension, user_email, location_name) values ('101', $1, 'Ann Arbor'), ('201', $2, 'Wixom')`, [
    cast.agentAA.email,
    cast.agentWX.email,
  ]);
  await db.owner.query("select app_private.ingest_calls($1::jsonb)", [
    JSON.stringify([answered("F1", "800", "101", "2026-03-10T14:00:00Z"), answered("F2", "800", "101", "2026-03-10T15:00:00Z"), answered("F3", "810", "201", "2026-03-10T16:00:00Z")]),
  ]);
  await runJobs(db);
  server = await startTestServer(db.authenticatorUrl);
  rest = await restClient(server);
});
afterAll(async () => {
  await server.close();
  await db.drop();
});

async function get(path: string, who?: keyof Cast) {
  return rest.get(path, who ? await signToken({ email: cast[who].email }) : undefined);
}
const RANGE = "from=2026-03-10&to=2026-03-10";

describe("GET /api/agent-performance/{email}", () => {
  it("gives the agent their own figures, in the PRD's names, as GraphQL does", async () => {
    const res = await get(`/api/agent-performance/${cast.agentAA.email}?${RANGE}`, "agentAA");
    expect(res.status).toBe(200);
    expect(res.body.data).toHaveLength(1);
    const row = res.body.data[0];
    expect([row.agent_email, row.agent_extension, row.calls_handled, Number(row.talk_seconds), row.aht_seconds]).toEqual([cast.agentAA.email, "101", 2, 120, "60.00"]);
    const { body } = await server.graphql(
      `{ agentKpisForRange(agent: "${cast.agentAA.email}", fromDay: "2026-03-10", toDay: "2026-03-10") { nodes { callsHandled ahtSeconds } } }`,
      await signToken({ email: cast.agentAA.email }),
    );
    expect(body.data).toEqual({ agentKpisForRange: { nodes: [{ callsHandled: row.calls_handled, ahtSeconds: "60.00" }] } });
  });

  it("answers 404 for another location's agent, as for one that does not exist", async () => {
    for (const who of ["supervisorWX", "agentWX"] as const) {
      const res = await get(`/api/agent-performance/${cast.agentAA.email}?${RANGE}`, who);
      expect([res.status, res.body.error.code, res.body.error.field]).toEqual([404, "NOT_FOUND", "email"]);
    }
    expect((await get(`/api/agent-performance/nobody@gangerdermatology.com?${RANGE}`, "manager")).status).toBe(404);
    expect((await get(`/api/agent-performance/${cast.agentAA.email}?${RANGE}`, "supervisorAA")).body.data).toHaveLength(1);
    expect((await get(`/api/agent-performance/${cast.agentAA.email}?${RANGE}`)).status).toBe(401);
  });

  it.each([
    ["no range", "", "from"],
    ["a day that is not one", "from=2026-03-32&to=2026-03-10", "from"],
    ["a range that ends before it starts", "from=2026-03-10&to=2026-03-09", "to"],
    ["a range over 366 days", "from=2025-01-01&to=2026-03-10", "to"],
  ])("answers %s with 400 naming the field", async (_what, query, field) => {
    const res = await get(`/api/agent-performance/${cast.agentAA.email}?${query}`, "manager");
    expect([res.status, res.body.error?.field]).toEqual([400, field]);
  });

  it("answers an email that is not one with 400", async () => {
    const res = await get(`/api/agent-performance/nobody?${RANGE}`, "manager");
    expect([res.status, res.body.error?.field]).toEqual([400, "email"]);
  });
});

describe("the range functions through GraphQL", () => {
  it("take a queue by name or by extension, and refuse what cannot match", async () => {
    const manager = await signToken({ email: cast.manager.email });
    const byName = await server.graphql(`{ queueKpisForRange(fromDay: "2026-03-10", toDay: "2026-03-10", queue: "AA Front") { nodes { queue offered } } }`, manager);
    const byExtension = await server.graphql(`{ queueKpisForRange(fromDay: "2026-03-10", toDay: "2026-03-10", queue: "800") { nodes { queue offered } } }`, manager);
    expect(byName.body.data).toEqual({ queueKpisForRange: { nodes: [{ queue: "AA Front", offered: 2 }] } });
    expect(byExtension.body.data).toEqual(byName.body.data);
    for (const [query, code] of [
      [`{ queueKpisForRange(fromDay: "2026-03-10", toDay: "2026-03-10", queue: "999") { nodes { queue } } }`, "CC715"],
      [`{ queueKpisForRange(toDay: "2026-03-10") { nodes { queue } } }`, "CC711"],
      [`{ teamKpisForRange(fromDay: "2026-03-11", toDay: "2026-03-10") { nodes { location } } }`, "CC712"],
      [`{ agentKpisForRange(fromDay: "2026-03-10", toDay: "2026-03-10", agent: "nobody@gangerdermatology.com") { nodes { agentEmail } } }`, "CC716"],
    ] as const) {
      const { body } = await server.graphql(query, manager);
      expect([query, body.errors?.[0]?.extensions?.code]).toEqual([query, code]);
    }
  });
});

describe("GET /api/team-metrics", () => {
  it("gives a manager every location and the practice, a supervisor their location", async () => {
    const manager = await get(`/api/team-metrics?${RANGE}`, "manager");
    expect(manager.status).toBe(200);
    const byLocation = Object.fromEntries(manager.body.data.map((r: { all_locations: boolean; location: string; calls_handled: number }) => [r.all_locations ? "all" : r.location, r.calls_handled]));
    expect(byLocation).toEqual(expect.objectContaining({ all: 3, "Ann Arbor": 2, Wixom: 1 }));
    const supervisor = await get(`/api/team-metrics?${RANGE}`, "supervisorAA");
    expect(supervisor.body.data.map((r: { location: string }) => r.location)).toEqual(["Ann Arbor"]);
  });

  it("filters by location, and refuses bad input and missing tokens", async () => {
    const one = await get(`/api/team-metrics?${RANGE}&location=Wixom`, "manager");
    expect(one.body.data.map((r: { location: string }) => r.location)).toEqual(["Wixom"]);
    expect((await get("/api/team-metrics?from=2026-03-10", "manager")).body.error.field).toBe("to");
    expect((await get(`/api/team-metrics?${RANGE}&page_size=0`, "manager")).body.error.field).toBe("page_size");
    const unknown = await get(`/api/team-metrics?${RANGE}&location=Detroit`, "manager");
    expect([unknown.status, unknown.body.error.code, unknown.body.error.field]).toEqual([400, "CC715", "location"]);
    expect((await get(`/api/team-metrics?${RANGE}`)).status).toBe(401);
  });

  it("refuses agents and staff (viewTeamPerformance) with 403, as GraphQL does", async () => {
    for (const who of ["agentAA", "staff"] as const) {
      const res = await get(`/api/team-metrics?${RANGE}`, who);
      expect([who, res.status, res.body.error?.code]).toEqual([who, 403, "FORBIDDEN"]);
    }
  });
});
