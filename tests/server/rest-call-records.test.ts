/**
 * GET /api/call-records and GET /api/call-records/{id}: the PRD's REST paths,
 * served from the route table through the same schema, token and policies as
 * /graphql. Each person sees the calls their row rules allow, the same
 * through REST and GraphQL; wrong input is a 400 naming the field, an id one
 * may not see a 404, no token a 401.
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
const answered = (id: string, queue: string, agent: string, at: string, waitMs = 5_000) => {
  const after = (ms: number) => new Date(Date.parse(at) + ms).toISOString();
  return talk(id, agent, at, after(waitMs), after(60_000), { caller: "+17345550101", called: queue, queue });
};
const token = (who: keyof Cast) => signToken({ email: cast[who].email });

beforeAll(async () => {
  db = await createTestDatabase();
  cast = await createCast(db.owner);
  await db.owner.query(`insert into app_public.queues (name, extension, location_name) values ('AA Front', '800', 'Ann Arbor'), ('WX Front', '810', 'Wixom')`);
  await db.owner.query(`insert into app_public.agents (extension, user_email, location_name) values ('101', $1, 'Ann Arbor'), ('201', $2, 'Wixom')`, [
    cast.agentAA.email,
    cast.agentWX.email,
  ]);
  await db.owner.query("select app_private.ingest_calls($1::jsonb)", [
    JSON.stringify([
      answered("R1", "800", "101", "2026-03-10T14:00:00Z", 3_000),
      answered("R2", "800", "101", "2026-03-10T14:20:00Z", 30_000),
      answered("R3", "810", "201", "2026-03-10T15:00:00Z", 10_000),
    ]),
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
  return rest.get(path, who ? await token(who) : undefined);
}
const RANGE = "from=2026-03-10T00:00:00Z&to=2026-03-11T00:00:00Z";
const callIds = (body: Record<string, unknown>) => (body.data as { call_id: string }[]).map((c) => c.call_id);

describe("GET /api/call-records", () => {
  it("gives each person the calls their row rules allow, newest first, in the paging envelope with the PRD's names", async () => {
    const manager = await get(`/api/call-records?${RANGE}`, "manager");
    expect(manager.status).toBe(200);
    expect(callIds(manager.body)).toEqual(["R3", "R2", "R1"]);
    expect(manager.body.page).toEqual({ number: 1, size: 50, total_count: 3, has_next: false });
    const first = manager.body.data[0];
    expect(first).toEqual(expect.objectContaining({ id: expect.any(String), call_id: "R3", queue_name: "WX Front", agent_extension: "201", call_direction: "inbound", wait_seconds: 10 }));
    expect(first).not.toHaveProperty("caller_number");
    expect(first.caller_number_masked).toBe("•••-•••-0101");
    expect(callIds((await get(`/api/call-records?${RANGE}`, "supervisorAA")).body)).toEqual(["R2", "R1"]);
    expect(callIds((await get(`/api/call-records?${RANGE}`, "agentWX")).body)).toEqual(["R3"]);
  });

  it("filters by queue name or extension, agent, direction and status; sorts and pages", async () => {
    expect(callIds((await get(`/api/call-records?${RANGE}&queue=800`, "manager")).body)).toEqual(["R2", "R1"]);
    expect(callIds((await get(`/api/call-records?${RANGE}&queue=WX%20Front`, "manager")).body)).toEqual(["R3"]);
    expect(callIds((await get(`/api/call-records?${RANGE}&agent=${cast.agentWX.email}`, "manager")).body)).toEqual(["R3"]);
    expect(callIds((await get(`/api/call-records?${RANGE}&agent=201`, "manager")).body)).toEqual(["R3"]);
    expect(callIds((await get(`/api/call-records?${RANGE}&direction=outbound`, "manager")).body)).toEqual([]);
    expect(callIds((await get(`/api/call-records?${RANGE}&sort=wait_seconds`, "manager")).body)).toEqual(["R1", "R3", "R2"]);
    const page2 = await get(`/api/call-records?${RANGE}&page=2&page_size=2`, "manager");
    expect(callIds(page2.body)).toEqual(["R1"]);
    expect(page2.body.page).toEqual({ number: 2, size: 2, total_count: 3, has_next: false });
  });

  it("answers the same as GraphQL's searchCallRecords", async () => {
    const { body } = await server.graphql(
      `{ searchCallRecords(fromTime: "2026-03-10T00:00:00Z", toTime: "2026-03-11T00:00:00Z", queue: "800") { totalCount nodes { callId } } }`,
      await token("manager"),
    );
    expect(body.data).toEqual({ searchCallRecords: { totalCount: 2, nodes: [{ callId: "R2" }, { callId: "R1" }] } });
  });

  it("documents exactly the values the table and the search accept (the REST enums are not a second rule)", async () => {
    const params = rest.openapi.paths["/api/call-records"].get.parameters as { name: string; schema: { enum?: string[] } }[];
    const documented = (name: string) => params.find((p) => p.name === name)!.schema.enum!;
    const allowedByTable = async (column: string) => {
      const { rows } = await db.owner.query<{ def: string }>(
        `select pg_get_constraintdef(oid) as def from pg_constraint where conrelid = 'app_public.call_center_records'::regclass and conname = $1`,
        [`call_center_records_${column}_check`],
      );
      return [...rows[0]!.def.matchAll(/'([a-z_]+)'::text/g)].map((m) => m[1]).sort();
    };
    expect([...documented("direction")].sort()).toEqual(await allowedByTable("call_direction"));
    expect([...documented("status")].sort()).toEqual(await allowedByTable("call_status"));
    expect([...documented("call_type")].sort()).toEqual(await allowedByTable("call_type"));
    // Every documented sort is one the search accepts, and the search refuses one that is not documented.
    const manager = await token("manager");
    for (const sort of documented("sort")) {
      const { body } = await server.graphql(`query ($sort: String) { searchCallRecords(fromTime: "2026-03-10T00:00:00Z", toTime: "2026-03-11T00:00:00Z", sort: $sort) { totalCount } }`, manager, { sort });
      expect([sort, body.errors]).toEqual([sort, undefined]);
    }
    const { body } = await server.graphql(`{ searchCallRecords(fromTime: "2026-03-10T00:00:00Z", toTime: "2026-03-11T00:00:00Z", sort: "caller_number") { totalCount } }`, manager);
    expect(body.errors?.[0]?.extensions?.code).toBe("CC714");
  });

  it("refuses without a token (401)", async () => {
    const res = await get(`/api/call-records?${RANGE}`);
    expect(res.status).toBe(401);
  });

  it.each([
    ["a range over 93 days", "from=2026-01-01T00:00:00Z&to=2026-06-01T00:00:00Z", "to", "CC713"],
    ["an end before the start", "from=2026-03-11T00:00:00Z&to=2026-03-10T00:00:00Z", "to", "CC712"],
    ["an unknown queue", `${RANGE}&queue=999`, "queue", "CC715"],
    ["an unknown location", `${RANGE}&location=Detroit`, "location", "CC715"],
    ["an unknown agent", `${RANGE}&agent=999`, "agent", "CC715"],
    ["a direction that is not one", `${RANGE}&direction=sideways`, "direction", "INVALID_INPUT"],
    ["a page that is not a number", `${RANGE}&page=abc`, "page", "INVALID_INPUT"],
    ["a time without its offset", "from=2026-03-10T00:00:00", "from", "INVALID_INPUT"],
    ["a parameter that does not exist", `${RANGE}&colour=red`, "colour", "INVALID_INPUT"],
  ])("answers %s with 400 naming the field", async (_what, query, field, code) => {
    const res = await get(`/api/call-records?${query}`, "manager");
    expect([res.status, res.body.error?.code, res.body.error?.field]).toEqual([400, code, field]);
    expect(typeof res.body.error.message).toBe("string");
  });
});

describe("GET /api/call-records/{id}", () => {
  let r3: string;
  beforeAll(async () => {
    r3 = (await db.owner.query<{ id: string }>("select id from app_public.call_center_records where call_id = 'R3'")).rows[0]!.id;
  });

  it("gives a call one may see", async () => {
    const res = await get(`/api/call-records/${r3}`, "agentWX");
    expect(res.status).toBe(200);
    expect(res.body).toEqual(expect.objectContaining({ id: r3, call_id: "R3", agent_email: cast.agentWX.email }));
  });

  it("answers in the PRD's column names, where GraphQL has one name per quantity", async () => {
    const res = await get(`/api/call-records/${r3}`, "agentWX");
    expect(Object.keys(res.body)).toEqual(expect.arrayContaining(["ring_duration_seconds", "talk_duration_seconds", "hold_time_seconds", "after_call_work_seconds"]));
    const { body } = await server.graphql(`query ($id: UUID!) { callCenterRecordByRowId(rowId: $id) { ringSeconds talkSeconds holdSeconds acwSeconds } }`, await token("agentWX"), { id: r3 });
    const call = (body.data as { callCenterRecordByRowId: Record<string, number | null> }).callCenterRecordByRowId;
    expect([call.ringSeconds, call.talkSeconds, call.holdSeconds, call.acwSeconds]).toEqual([
      res.body.ring_duration_seconds, res.body.talk_duration_seconds, res.body.hold_time_seconds, res.body.after_call_work_seconds,
    ]);
  });

  it("answers 404 for a call one may not see, and for no such call", async () => {
    expect((await get(`/api/call-records/${r3}`, "agentAA")).status).toBe(404);
    expect((await get("/api/call-records/00000000-0000-4000-8000-000000000000", "manager")).body.error.code).toBe("NOT_FOUND");
  });

  it("answers 400 for an id that is not one, and 401 without a token", async () => {
    const bad = await get("/api/call-records/42", "manager");
    expect([bad.status, bad.body.error.field]).toEqual([400, "id"]);
    expect((await get(`/api/call-records/${r3}`)).status).toBe(401);
  });
});

describe("the GraphQL door's page-size and cost limits", () => {
  let tight: TestServer;
  let tightRest: RestClient;
  beforeAll(async () => {
    // A call page costs 4 + 44 per row (server/graphql-cost.ts): 50 rows 2204, 100 rows 4404.
    tight = await startTestServer(db.authenticatorUrl, { env: { GRAPHQL_MAX_PAGE_SIZE: "100", GRAPHQL_MAX_COST: "3000" } });
    tightRest = await restClient(tight);
  });
  afterAll(() => tight.close());

  it("apply to the REST routes too: a page_size over GRAPHQL_MAX_PAGE_SIZE or GRAPHQL_MAX_COST is a 400", async () => {
    const manager = await token("manager");
    const over = await tightRest.get(`/api/call-records?${RANGE}&page_size=150`, manager);
    expect([over.status, over.body.error]).toEqual([400, { code: "PAGE_TOO_LARGE", message: "page_size: at most 100.", field: "page_size" }]);
    const costly = await tightRest.get(`/api/call-records?${RANGE}&page_size=100`, manager);
    expect([costly.status, costly.body.error.code]).toEqual([400, "QUERY_TOO_COSTLY"]);
    const fits = await tightRest.get(`/api/call-records?${RANGE}&page_size=50`, manager);
    expect([fits.status, callIds(fits.body)]).toEqual([200, ["R3", "R2", "R1"]]);
  });
});
