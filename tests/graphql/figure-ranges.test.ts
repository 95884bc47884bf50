/**
 * Every figure list takes a range of business days and sorts on any column:
 * `condition: { businessDayRange: { fromDay, toDay } }` (both days included)
 * and `orderBy`, under the figures' own row rules; a range that cannot match
 * (reversed, over 366 days) is an error, never an empty list.
 */
import { runJobs } from "../helpers/jobs.js";
import { createTestDatabase, type TestDatabase } from "../helpers/db.js";
import { createCast, type Cast } from "../helpers/users.js";
import { signToken, startTestServer, type TestServer } from "../helpers/server.js";
import { talk } from "../helpers/calls.js";

let db: TestDatabase;
let server: TestServer;
let cast: Cast;
const answered = (id: string, queue: string, agent: string, at: string) => {
  const after = (ms: number) => new Date(Date.parse(at) + ms).toISOString();
  return talk(id, agent, at, after(5_000), after(65_000), { caller: "+17345550101", called: queue, queue });
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
  // Business days 9, 10 and 12 March (Detroit): one call each in Ann Arbor, and one in Wixom on the 10th.
  await db.owner.query("select app_private.ingest_calls($1::jsonb)", [
    JSON.stringify([
      answered("D9", "800", "101", "2026-03-09T14:00:00Z"),
      answered("D10", "800", "101", "2026-03-10T14:00:00Z"),
      answered("W10", "810", "201", "2026-03-10T15:00:00Z"),
      answered("D12", "800", "101", "2026-03-12T14:00:00Z"),
    ]),
  ]);
  await runJobs(db);
  server = await startTestServer(db.authenticatorUrl);
});
afterAll(async () => {
  await server.close();
  await db.drop();
});

/** Every figure list, with the fields that tell its rows apart. */
const LISTS = {
  allQueueDailyKpis: "queue businessDay",
  allQueueIntervalKpis: "queue businessDay",
  allQueueIntervalStats: "queueName businessDay",
  allAgentDailyKpis: "agentExtension businessDay",
  allAgentDailyStats: "agentExtension businessDay",
  allTeamDailyKpis: "location businessDay",
  allTeamPerformanceMetrics: "location businessDay",
} as const;

type Node = Record<string, unknown> & { businessDay: string };
async function list(name: keyof typeof LISTS, who: keyof Cast, args: string) {
  const { body } = await server.graphql(`{ ${name}${args ? `(${args})` : ""} { nodes { ${LISTS[name]} } } }`, await token(who));
  return body as { data?: Record<string, { nodes: Node[] }> | null; errors?: { message: string; extensions?: { code?: string } }[] };
}

describe("businessDayRange on every figure list", () => {
  it.each(Object.keys(LISTS) as (keyof typeof LISTS)[])("%s: only the days of the range, both ends included, sorted as asked", async (name) => {
    const body = await list(name, "manager", `condition: { businessDayRange: { fromDay: "2026-03-10", toDay: "2026-03-12" } }, orderBy: [BUSINESS_DAY_DESC]`);
    expect(body.errors).toBeUndefined();
    const days = body.data![name]!.nodes.map((n) => n.businessDay);
    expect(new Set(days)).toEqual(new Set(["2026-03-10", "2026-03-12"]));
    expect(days).toEqual([...days].sort().reverse());
    const all = await list(name, "manager", "");
    expect(all.data![name]!.nodes.map((n) => n.businessDay)).toContain("2026-03-09");
  });

  it("combines with the equality conditions and keeps the row rules: an agent sees only their own days", async () => {
    const mine = await list("allAgentDailyKpis", "agentAA", `condition: { businessDayRange: { fromDay: "2026-03-01", toDay: "2026-03-31" } }, orderBy: [BUSINESS_DAY_ASC]`);
    expect(mine.data!.allAgentDailyKpis!.nodes).toEqual([
      { agentExtension: "101", businessDay: "2026-03-09" },
      { agentExtension: "101", businessDay: "2026-03-10" },
      { agentExtension: "101", businessDay: "2026-03-12" },
    ]);
    const wixom = await list("allAgentDailyKpis", "agentAA", `condition: { agentExtension: "201", businessDayRange: { fromDay: "2026-03-01", toDay: "2026-03-31" } }`);
    expect(wixom.data!.allAgentDailyKpis!.nodes).toEqual([]);
    const team = await list("allTeamDailyKpis", "supervisorWX", `condition: { businessDayRange: { fromDay: "2026-03-10", toDay: "2026-03-10" } }`);
    expect(team.data!.allTeamDailyKpis!.nodes).toEqual([{ location: "Wixom", businessDay: "2026-03-10" }]);
  });

  it.each([
    ["toDay before fromDay", `{ fromDay: "2026-03-12", toDay: "2026-03-10" }`, "CC712"],
    ["more than 366 days", `{ fromDay: "2025-01-01", toDay: "2026-03-10" }`, "CC713"],
  ])("a range with %s is an error, not an empty list", async (_what, range, code) => {
    const body = await list("allQueueDailyKpis", "manager", `condition: { businessDayRange: ${range} }`);
    expect(body.errors?.[0]?.extensions?.code).toBe(code);
    expect(body.data?.allQueueDailyKpis ?? null).toBeNull();
  });

  it("a range missing one end is refused by the schema", async () => {
    const body = await list("allQueueDailyKpis", "manager", `condition: { businessDayRange: { fromDay: "2026-03-10" } }`);
    expect(body.errors?.[0]?.message).toMatch(/toDay/);
  });
});
