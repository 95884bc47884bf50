/**
 * Per-request limits that the depth and cost limits do not cover: aliases
 * (GRAPHQL_MAX_ALIASES) and root fields (GRAPHQL_MAX_ROOT_FIELDS); and
 * WebSockets carry subscriptions only, since the HTTP side's rate limit,
 * body limit, request log and per-user limits never see them.
 */
import { createTestDatabase, type TestDatabase } from "../helpers/db.js";
import { createCast } from "../helpers/users.js";
import { signToken, startTestServer, type TestServer } from "../helpers/server.js";

let db: TestDatabase;
let s: TestServer;
let manager: string;

beforeAll(async () => {
  db = await createTestDatabase();
  await createCast(db.owner);
  manager = await signToken({ email: "manager@gangerdermatology.com" });
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
