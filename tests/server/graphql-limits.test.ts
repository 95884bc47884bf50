/**
 * Per-request limits that the depth limit does not cover: aliases
 * (GRAPHQL_MAX_ALIASES), root fields (GRAPHQL_MAX_ROOT_FIELDS), page size
 * (GRAPHQL_MAX_PAGE_SIZE) and cost (GRAPHQL_MAX_COST), with page sizes written
 * in the document or given as variables; and WebSockets carry subscriptions
 * only, since the HTTP side's rate limit, body limit, request log and
 * per-user limits never see them. The cost figures themselves:
 * graphql-cost.test.ts.
 */
import { createTestDatabase, type TestDatabase } from "../helpers/db.js";
import { createCast } from "../helpers/users.js";
import { signToken, startTestServer, type TestServer } from "../helpers/server.js";
import { talk } from "../helpers/calls.js";

let db: TestDatabase;
let s: TestServer;
let manager: string;

beforeAll(async () => {
  db = await createTestDatabase();
  const cast = await createCast(db.owner);
  manager = await signToken({ email: "manager@gangerdermatology.com" });
  await db.owner.query(`insert into app_public.queues (name, extension, location_name) values ('AA Front', '800', 'Ann Arbor')`);
  await db.owner.query(`insert into app_public.agents (extension, user_email, location_name) values ('101', $1, 'Ann Arbor')`, [cast.agentAA.email]);
  const at = (minute: number, ms = 0) => new Date(Date.parse("2026-03-10T14:00:00Z") + minute * 60_000 + ms).toISOString();
  await db.owner.query("select app_private.ingest_calls($1::jsonb)", [
    JSON.stringify([1, 2, 3].map((i) => talk(`P${i}`, "101", at(i), at(i, 5_000), at(i, 60_000), { queue: "800" }))),
  ]);
  s = await startTestServer(db.authenticatorUrl, { env: { GRAPHQL_MAX_ALIASES: "3", GRAPHQL_MAX_ROOT_FIELDS: "3", GRAPHQL_MAX_BODY_BYTES: "2048" } });
});
afterAll(async () => {
  await s.close();
  await db.drop();
});

describe("aliases and root fields", () => {
  it("refuses more aliases than GRAPHQL_MAX_ALIASES, wherever they are", async () => {
    const res = await s.graphql("{ allLocations { nodes { a: name b: name c: code d: code } } }", manager);
    expect(res.body.data ?? null).toBeNull();
    expect(res.body.errors?.[0]?.extensions?.code).toBe("QUERY_TOO_MANY_ALIASES");
  });

  it("refuses more root fields than GRAPHQL_MAX_ROOT_FIELDS, fragments included", async () => {
    const res = await s.graphql(
      "{ __typename allLocations { totalCount } ...more } fragment more on Query { allUsers { totalCount } ... on Query { allQueues { totalCount } allAgents { totalCount } } }",
      manager,
    );
    expect(res.body.data ?? null).toBeNull();
    expect(res.body.errors?.[0]?.extensions?.code).toBe("QUERY_TOO_MANY_ROOT_FIELDS");
    expect(res.body.errors?.[0]?.message).toBe("At most 3 root fields per request; this one has 4.");
  });

  it("allows up to the limits (introspection fields are free)", async () => {
    const res = await s.graphql("{ __typename a: allLocations { totalCount } b: allUsers { totalCount } allQueues { nodes { x: name } } }", manager);
    expect(res.body.errors).toBeUndefined();
  });
});

describe("page size and cost, with the variables", () => {
  const TEN = "callId location queueName agentExtension agentEmail callDirection callType callStartTime callStatus talkSeconds";
  const page = `nodes { ${TEN} queueByQueueName { name } }`;
  let defaults: TestServer;
  let small: TestServer;
  const locationCount = async (code: string) => (await db.owner.query("select count(*)::int as n from app_public.locations where code = $1", [code])).rows[0].n;
  const codeOf = (body: { errors?: Array<{ extensions?: { code?: string } }> }) => body.errors?.[0]?.extensions?.code;

  beforeAll(async () => {
    defaults = await startTestServer(db.authenticatorUrl);
    small = await startTestServer(db.authenticatorUrl, { env: { GRAPHQL_MAX_PAGE_SIZE: "2" } });
  });
  afterAll(async () => {
    await Promise.all([defaults.close(), small.close()]);
  });

  it("serves a page of 400 calls of 10 fields and a nested object, literal or variable, under the default limits", async () => {
    const literal = await defaults.graphql(`{ allCallCenterRecords(first: 400, orderBy: CALL_START_TIME_ASC) { ${page} } }`, manager);
    expect(literal.body.errors).toBeUndefined();
    const nodes = (literal.body.data!.allCallCenterRecords as { nodes: Array<{ callId: string; queueByQueueName: { name: string } }> }).nodes;
    expect(nodes.map((n) => [n.callId, n.queueByQueueName.name])).toEqual([["P1", "AA Front"], ["P2", "AA Front"], ["P3", "AA Front"]]);
    const variable = await defaults.graphql(`query($n: Int) { allCallCenterRecords(first: $n, orderBy: CALL_START_TIME_ASC) { ${page} } }`, manager, { n: 400 });
    expect(variable.body).toEqual(literal.body);
  });

  it("refuses a variable page of 1,000,000 with PAGE_TOO_LARGE, naming the field and the cap, before anything runs", async () => {
    const res = await defaults.graphql(
      `mutation($n: Int) { createLocation(input: { location: { name: "Novi", code: "NV" } }) { query { allCallCenterRecords(first: $n) { ${page} } } } }`,
      manager,
      { n: 1_000_000 },
    );
    expect(res.body.data ?? null).toBeNull();
    expect(res.body.errors).toEqual([
      expect.objectContaining({
        message: "At most 1000 rows per page: allCallCenterRecords asks for first: 1000000.",
        extensions: { code: "PAGE_TOO_LARGE", field: "allCallCenterRecords", argument: "first", maxPageSize: 1000 },
      }),
    ]);
    expect(await locationCount("NV")).toBe(0);
    // written in the document, it is refused with the other limits
    expect(codeOf((await defaults.graphql(`{ allCallCenterRecords(last: 5000) { nodes { callId } } }`, manager)).body)).toBe("PAGE_TOO_LARGE");
  });

  it("refuses a nested blow-up with QUERY_TOO_COSTLY, literal or variable, before anything runs", async () => {
    const literal = await defaults.graphql(`{ allQueues(first: 1000) { nodes { name callCenterRecordsByQueueName(first: 1000) { nodes { callId } } } } }`, manager);
    expect(literal.body.data ?? null).toBeNull();
    expect(codeOf(literal.body)).toBe("QUERY_TOO_COSTLY");
    expect(literal.body.errors?.[0]?.message).toMatch(/estimated cost is 1002001, over the 100000 allowed/);
    const variables = await defaults.graphql(
      `mutation($a: Int, $b: Int) { createLocation(input: { location: { name: "Novi", code: "NV" } }) {
        query { allQueues(first: $a) { nodes { name callCenterRecordsByQueueName(first: $b) { nodes { callId } } } } } } }`,
      manager,
      { a: 1000, b: 1000 },
    );
    expect(variables.body.data ?? null).toBeNull();
    expect(variables.body.errors?.[0]?.extensions).toEqual({ code: "QUERY_TOO_COSTLY", cost: 1_002_003, maxCost: 100_000 });
    expect(await locationCount("NV")).toBe(0);
    // the same shape at ordinary sizes runs
    const ordinary = await defaults.graphql(
      `query($a: Int, $b: Int) { allQueues(first: $a) { nodes { name callCenterRecordsByQueueName(first: $b) { totalCount } } } }`,
      manager,
      { a: 100, b: 100 },
    );
    expect(ordinary.body).toEqual({ data: { allQueues: { nodes: [{ name: "AA Front", callCenterRecordsByQueueName: { totalCount: 3 } }] } } });
  });

  it("gives a list without first or last GRAPHQL_MAX_PAGE_SIZE rows, and says there are more", async () => {
    const locations = (body: { data?: Record<string, unknown> | null }) => body.data?.allLocations as { totalCount: number; pageInfo: { hasNextPage: boolean }; nodes: { name: string }[] };
    const res = await small.graphql("{ allLocations(orderBy: NAME_ASC) { totalCount pageInfo { hasNextPage } nodes { name } } }", manager);
    expect(res.body.errors).toBeUndefined();
    expect(locations(res.body)).toEqual({ totalCount: 3, pageInfo: { hasNextPage: true }, nodes: [{ name: "Ann Arbor" }, { name: "Plymouth" }] });
    // last alone is a page size of its own
    expect(locations((await small.graphql("{ allLocations(orderBy: NAME_ASC, last: 1) { totalCount pageInfo { hasNextPage } nodes { name } } }", manager)).body).nodes).toEqual([
      { name: "Wixom" },
    ]);
    // nested lists too
    const nested = await small.graphql("{ allLocations(first: 1, orderBy: NAME_ASC) { nodes { callCenterRecordsByLocation(orderBy: CALL_START_TIME_ASC) { totalCount nodes { callId } } } } }", manager);
    expect(nested.body.data).toEqual({ allLocations: { nodes: [{ callCenterRecordsByLocation: { totalCount: 3, nodes: [{ callId: "P1" }, { callId: "P2" }] } }] } });
    expect(codeOf((await small.graphql("{ allLocations(first: 3) { nodes { name } } }", manager)).body)).toBe("PAGE_TOO_LARGE");
  });

  it("gives a null or missing page-size variable the same, and the same document still runs as written with a size", async () => {
    const query = `query($n: Int) { ...L } fragment L on Query { allLocations(first: $n, orderBy: NAME_ASC) { nodes { name } } }`;
    const names = async (variables: Record<string, unknown>) => {
      const res = await small.graphql(query, manager, variables);
      expect(res.body.errors).toBeUndefined();
      return (res.body.data!.allLocations as { nodes: { name: string }[] }).nodes.map((n) => n.name);
    };
    // alternating, so a plan made for one cannot answer the other
    expect(await names({ n: null })).toEqual(["Ann Arbor", "Plymouth"]);
    expect(await names({ n: 1 })).toEqual(["Ann Arbor"]);
    expect(await names({})).toEqual(["Ann Arbor", "Plymouth"]);
    expect(await names({ n: 1 })).toEqual(["Ann Arbor"]);
    expect(await names({ n: null })).toEqual(["Ann Arbor", "Plymouth"]);
  });
});

describe("WebSockets carry subscriptions only", () => {
  /** Speaks graphql-transport-ws: init, ack, one subscribe; resolves with the first answer to it. */
  async function overWebSocket(payload: Record<string, unknown>): Promise<{ type: string; payload?: unknown }> {
    const socket = new WebSocket(`${s.url.replace(/^http/, "ws")}/graphql`, "graphql-transport-ws");
    try {
      return await new Promise((resolve, reject) => {
        socket.onerror = () => reject(new Error("websocket error"));
        socket.onclose = (e) => reject(new Error(`closed: ${e.code} ${e.reason}`));
        socket.onopen = () => socket.send(JSON.stringify({ type: "connection_init", payload: { authorization: `Bearer ${manager}` } }));
        socket.onmessage = (e) => {
          const message = JSON.parse(String(e.data)) as { type: string; id?: string; payload?: unknown };
          if (message.type === "connection_ack") socket.send(JSON.stringify({ type: "subscribe", id: "1", payload }));
          else if (message.id === "1") resolve(message);
        };
      });
    } finally {
      socket.onclose = null;
      socket.close();
    }
  }
  const codeOf = (answer: { payload?: unknown }) => (answer.payload as Array<{ extensions?: { code?: string } }>)[0]?.extensions?.code;

  it.each([
    ["a query", "{ allLocations { totalCount } }"],
    ["a mutation", `mutation { createLocation(input: { location: { name: "Novi", code: "NV" } }) { location { name } } }`],
  ])("refuses %s with WEBSOCKET_SUBSCRIPTIONS_ONLY", async (_what, query) => {
    const answer = await overWebSocket({ query });
    expect(answer.type).toBe("error");
    expect(codeOf(answer)).toBe("WEBSOCKET_SUBSCRIPTIONS_ONLY");
    expect((await db.owner.query("select count(*)::int as n from app_public.locations where code = 'NV'")).rows[0].n).toBe(0);
  });

  it("refuses a message over GRAPHQL_MAX_BODY_BYTES before reading it", async () => {
    const answer = await overWebSocket({ query: `subscription { __typename } # ${"x".repeat(5000)}` });
    expect(answer.type).toBe("error");
    expect(codeOf(answer)).toBe("PAYLOAD_TOO_LARGE");
  });
});
