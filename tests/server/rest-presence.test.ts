/**
 * GET /api/3cx/agent-status and GraphQL agentStatuses, allAgentPresences,
 * allAgentPresenceHistories: each agent's 3CX status under the directory's
 * row rules (agent: own; supervisor: their locations; manager: all), a
 * denied agent as a 404, bad input as a 400, no token as a 401.
 *
 * Ann Arbor: agentAA (ext 101), ext 102 (no user, never reported by the PBX);
 * Wixom: agentWX (ext 201).
 */
import { createTestDatabase, inTransaction, type TestDatabase } from "../helpers/db.js";
import { createCast, type Cast } from "../helpers/users.js";
import { signToken, startTestServer, type TestServer } from "../helpers/server.js";
import { restClient, type RestClient } from "../helpers/rest.js";

let db: TestDatabase;
let server: TestServer;
let cast: Cast;
let rest: RestClient;
type Who = keyof Cast;

const token = (who: Who) => signToken({ email: cast[who].email });
const get = async (path: string, who?: Who) => rest.get(path, who ? await token(who) : undefined);
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
/** A GraphQL answer, read freely (its shape is the query's). */
const gql = async (query: string, who: Who, variables?: Record<string, unknown>) => (await server.graphql(query, await token(who), variables)).body as Json;
const extensions = (list: { extension: string }[]) => list.map((r) => r.extension);

beforeAll(async () => {
  db = await createTestDatabase();
  cast = await createCast(db.owner);
  await db.owner.query(`insert into app_public.agents (extension, user_email, location_name, display_name) values
    ('101', $1, 'Ann Arbor', 'Alex A'), ('102', null, 'Ann Arbor', 'Front Desk'), ('201', $2, 'Wixom', 'Wren W')`,
  [cast.agentAA.email, cast.agentWX.email]);
  await inTransaction(db.owner, {}, async (c) => {
    await c.query("set local role app_worker");
    await c.query("select app_private.apply_pbx_presence($1::jsonb, now())", [JSON.stringify([
      { extension: "101", profile: "Available", logged_in: true, registered: true, on_call: true },
      { extension: "201", profile: "Lunch", logged_in: false, registered: true, on_call: false },
    ])]);
  }, { commit: true });
  server = await startTestServer(db.authenticatorUrl);
  rest = await restClient(server);
});
afterAll(async () => {
  await server.close();
  await db.drop();
});

describe("GET /api/3cx/agent-status", () => {
  it("answers each agent a manager may see, with their 3CX status in the PRD's names", async () => {
    const res = await get("/api/3cx/agent-status", "manager");
    expect(res.status).toBe(200);
    expect(res.body.page).toEqual({ number: 1, size: 50, total_count: 3, has_next: false });
    expect(res.body.data[0]).toEqual({
      extension: "101", email: cast.agentAA.email, name: "Alex A", location: "Ann Arbor", profile: "Available",
      logged_in: true, registered: true, on_call: true, since: expect.any(String), polled_at: expect.any(String), stale: false,
    });
    // Never reported by the PBX: no status, and stale.
    expect(res.body.data[1]).toMatchObject({ extension: "102", email: null, profile: null, logged_in: null, since: null, polled_at: null, stale: true });
    expect(res.body.data[2]).toMatchObject({ extension: "201", location: "Wixom", profile: "Lunch", logged_in: false, stale: false });
  });

  it("answers an agent their own entry only, and a supervisor their location's agents", async () => {
    expect(extensions((await get("/api/3cx/agent-status", "agentAA")).body.data)).toEqual(["101"]);
    expect(extensions((await get("/api/3cx/agent-status", "supervisorAA")).body.data)).toEqual(["101", "102"]);
    expect(extensions((await get("/api/3cx/agent-status", "supervisorWX")).body.data)).toEqual(["201"]);
    expect((await get("/api/3cx/agent-status", "staff")).body.data).toEqual([]);
  });

  it("filters by location and by agent (email or extension), and pages", async () => {
    expect(extensions((await get("/api/3cx/agent-status?location=Wixom", "manager")).body.data)).toEqual(["201"]);
    expect(extensions((await get(`/api/3cx/agent-status?agent=${encodeURIComponent(cast.agentWX.email)}`, "manager")).body.data)).toEqual(["201"]);
    expect(extensions((await get("/api/3cx/agent-status?agent=102", "supervisorAA")).body.data)).toEqual(["102"]);
    const second = await get("/api/3cx/agent-status?page=2&page_size=2", "manager");
    expect([extensions(second.body.data), second.body.page]).toEqual([["201"], { number: 2, size: 2, total_count: 3, has_next: false }]);
  });

  it("answers an agent the caller may not see, or who does not exist, with 404", async () => {
    for (const [who, agent] of [["supervisorAA", "201"], ["agentAA", "102"], ["manager", "999"]] as [Who, string][]) {
      const res = await get(`/api/3cx/agent-status?agent=${agent}`, who);
      expect([who, agent, res.status, res.body.error.code]).toEqual([who, agent, 404, "NOT_FOUND"]);
    }
  });

  it("answers bad input with 400 naming the field, and no token with 401", async () => {
    const unknownLocation = await get("/api/3cx/agent-status?location=Nowhere", "manager");
    expect([unknownLocation.status, unknownLocation.body.error.code, unknownLocation.body.error.field]).toEqual([400, "CC715", "location"]);
    const badPage = await get("/api/3cx/agent-status?page=0", "manager");
    expect([badPage.status, badPage.body.error.field]).toEqual([400, "page"]);
    const unknownParameter = await get("/api/3cx/agent-status?status=Available", "manager");
    expect(unknownParameter.status).toBe(400);
    const noToken = await get("/api/3cx/agent-status");
    expect([noToken.status, noToken.body.error.code]).toEqual([401, "NO_TOKEN"]);
  });
});

describe("GraphQL", () => {
  const STATUSES = `query($location: String, $agent: String) { agentStatuses(location: $location, agent: $agent) {
    totalCount nodes { extension agentEmail agentName location profile loggedIn registered onCall since polledAt stale } } }`;

  it("agentStatuses answers as the REST path does, per role", async () => {
    const manager = await gql(STATUSES, "manager");
    expect(manager.data.agentStatuses.nodes.map((n: { extension: string; profile: string | null }) => [n.extension, n.profile]))
      .toEqual([["101", "Available"], ["102", null], ["201", "Lunch"]]);
    expect(extensions((await gql(STATUSES, "supervisorAA")).data.agentStatuses.nodes)).toEqual(["101", "102"]);
    expect(extensions((await gql(STATUSES, "agentWX")).data.agentStatuses.nodes)).toEqual(["201"]);
    const denied = await gql(STATUSES, "supervisorAA", { agent: cast.agentWX.email });
    expect(denied.errors[0].extensions.code).toBe("CC716");
  });

  it("allAgentPresences and allAgentPresenceHistories follow the same row rules, with the stale flag", async () => {
    const q = `{ allAgentPresences { nodes { extension profile stale } } allAgentPresenceHistories { nodes { extension profile validFrom validTo } } }`;
    const agent = (await gql(q, "agentAA")).data;
    expect(agent.allAgentPresences.nodes).toEqual([{ extension: "101", profile: "Available", stale: false }]);
    expect(agent.allAgentPresenceHistories.nodes).toEqual([{ extension: "101", profile: "Available", validFrom: expect.any(String), validTo: null }]);
    const supervisor = (await gql(q, "supervisorWX")).data;
    expect(extensions(supervisor.allAgentPresences.nodes)).toEqual(["201"]);
    expect(extensions((await gql(q, "manager")).data.allAgentPresences.nodes).sort()).toEqual(["101", "201"]);
    expect((await gql(q, "staff")).data.allAgentPresences.nodes).toEqual([]);
  });

  it("offers no mutation that writes presence", async () => {
    const res = await gql(`mutation { updateAgentPresenceByAgentId(input: { agentId: "00000000-0000-4000-8000-000000000000", patch: { profile: "DND" } }) { clientMutationId } }`, "manager");
    expect(res.errors[0].message).toMatch(/Cannot query field "updateAgentPresenceByAgentId"/);
  });
});
