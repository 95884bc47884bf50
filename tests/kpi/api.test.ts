/**
 * KPIs through the API: the same row rules as the calls (an agent sees only
 * their own figures, a supervisor their locations', a manager everything),
 * the calls behind a figure, and recounting on demand for those allowed,
 * through GraphQL and POST /api/processing/calculate-kpis.
 */
import { runJobs } from "../helpers/jobs.js";
import { createTestDatabase, type TestDatabase } from "../helpers/db.js";
import { createCast, type Cast } from "../helpers/users.js";
import { signToken, startTestServer, type TestServer } from "../helpers/server.js";
import { talk } from "../helpers/calls.js";

let db: TestDatabase;
let server: TestServer;
let cast: Cast;
const work = () => runJobs(db);
/** A minute-long call from one number to `queue`, answered by `agent` after 5 s. */
const answered = (id: string, queue: string, agent: string, at: string) => {
  const after = (ms: number) => new Date(Date.parse(at) + ms).toISOString();
  return talk(id, agent, at, after(5_000), after(60_000), { caller: "+17345550101", called: queue, queue });
};
const token = (who: keyof Cast) => signToken({ email: cast[who].email });

beforeAll(async () => {
  db = await createTestDatabase();
  cast = await createCast(db.owner);
  await db.owner.query(`insert into app_public.queues (name, extension, location_name) values ('AA Front', '800', 'Ann Arbor'), ('WX Front', '810', 'Wixom')`);
  await db.owner.query(`insert into app_public.agents (extension, user_email, location_name) values ('101', $1, 'Ann Arbor'), ('201', $2, 'Wixom')`, [cast.agentAA.email, cast.agentWX.email]);
  await db.owner.query("select app_private.ingest_calls($1::jsonb)", [JSON.stringify([
    answered("K1", "800", "101", "2026-03-10T14:00:00Z"), answered("K2", "800", "101", "2026-03-10T14:20:00Z"), answered("K3", "810", "201", "2026-03-10T15:00:00Z"),
  ])]);
  await work();
  server = await startTestServer(db.authenticatorUrl);
});
afterAll(async () => {
  await server.close();
  await db.drop();
});

const FIGURES = `{
  allAgentDailyKpis(orderBy: AGENT_EXTENSION_ASC) { nodes { agentExtension callsHandled ahtSeconds } }
  allQueueDailyKpis(orderBy: QUEUE_ASC) { nodes { queue offered answered serviceLevelPct serviceLevelDenominator } }
  allTeamDailyKpis { nodes { location allLocations callsHandled } }
}`;
type Figures = {
  allAgentDailyKpis: { nodes: { agentExtension: string }[] };
  allQueueDailyKpis: { nodes: { queue: string; offered: number; serviceLevelPct: string | null }[] };
  allTeamDailyKpis: { nodes: { location: string | null; allLocations: boolean }[] };
};
async function figures(who: keyof Cast) {
  const { status, body } = await server.graphql(FIGURES, await token(who));
  expect([status, JSON.stringify(body.errors)]).toEqual([200, undefined]);
  const d = body.data as unknown as Figures;
  return {
    agents: d.allAgentDailyKpis.nodes.map((n) => n.agentExtension),
    queues: d.allQueueDailyKpis.nodes.map((n) => n.queue),
    teams: d.allTeamDailyKpis.nodes.map((n) => (n.allLocations ? "all" : n.location)).sort(),
    raw: d,
  };
}

describe("who sees which figures", () => {
  it("an agent sees their own figures only", async () => {
    expect(await figures("agentAA")).toMatchObject({ agents: ["101"], queues: [], teams: [] });
  });
  it("a supervisor sees the agents, queues and team of their location", async () => {
    expect(await figures("supervisorAA")).toMatchObject({ agents: ["101"], queues: ["AA Front"], teams: ["Ann Arbor"] });
  });
  it("a manager sees every figure, and the practice-wide team row", async () => {
    const f = await figures("manager");
    expect(f).toMatchObject({ agents: ["101", "201"], queues: ["AA Front", "WX Front"], teams: ["Ann Arbor", "Wixom", "all"] });
    expect(f.raw.allQueueDailyKpis.nodes[0]).toMatchObject({ queue: "AA Front", offered: 2, serviceLevelPct: "100.00" }); // counts are Int; percentages BigFloat (two decimals, as strings)
  });
});

describe("the calls behind a figure", () => {
  const behind = async (who: keyof Cast, queue = "AA Front") => {
    const { body } = await server.graphql(`{ queueDayCalls(queue: "${queue}", businessDay: "2026-03-10") { nodes { callId } } }`, await token(who));
    return (body.data as { queueDayCalls: { nodes: { callId: string }[] } }).queueDayCalls.nodes.map((n) => n.callId);
  };
  it("are exactly the calls the figure counted", async () => {
    expect(await behind("supervisorAA")).toEqual(["K1", "K2"]);
  });
  it("take the queue by name or by extension; an unknown queue is an error, not an empty list", async () => {
    expect(await behind("supervisorAA", "800")).toEqual(["K1", "K2"]);
    const { body } = await server.graphql(`{ queueIntervalCalls(queue: "999", intervalStart: "2026-03-10T14:00:00Z") { nodes { callId } } }`, await token("manager"));
    expect(body.errors?.[0]?.extensions?.code).toBe("CC715");
    const interval = await server.graphql(`{ queueIntervalCalls(queue: "800", intervalStart: "2026-03-10T14:00:00Z") { nodes { callId } } }`, await token("manager"));
    expect(interval.body.data).toEqual({ queueIntervalCalls: { nodes: [{ callId: "K1" }] } });
  });
  it("follow the calls' own row rules", async () => {
    expect(await behind("supervisorWX")).toEqual([]);
  });
  it("an agent's day: the calls they handled, the agent by extension or by email", async () => {
    for (const agent of ["101", cast.agentAA.email]) {
      const { body } = await server.graphql(`query ($agent: String!) { agentDayCalls(agent: $agent, businessDay: "2026-03-10") { nodes { callId } } }`, await token("agentAA"), { agent });
      expect((body.data as { agentDayCalls: { nodes: { callId: string }[] } }).agentDayCalls.nodes.map((n) => n.callId)).toEqual(["K1", "K2"]);
    }
  });
  it("an agent's day: an unknown agent, or one of another location, is an error, not an empty list; so is a missing day", async () => {
    for (const [who, query, code] of [
      ["manager", `{ agentDayCalls(agent: "999", businessDay: "2026-03-10") { nodes { callId } } }`, "CC716"],
      ["supervisorWX", `{ agentDayCalls(agent: "101", businessDay: "2026-03-10") { nodes { callId } } }`, "CC716"],
      ["manager", `{ agentDayCalls(agent: "101") { nodes { callId } } }`, "CC711"],
      ["manager", `{ queueDayCalls(queue: "800") { nodes { callId } } }`, "CC711"],
      ["manager", `{ staffingForecast(queue: "800") { nodes { queue } } }`, "CC711"],
      ["manager", `{ staffingForecast(forDay: "2026-03-10", queue: "999") { nodes { queue } } }`, "CC715"],
    ] as const) {
      const { body } = await server.graphql(query, await token(who));
      expect([query, body.errors?.[0]?.extensions?.code]).toEqual([query, code]);
      if (code === "CC711") expect(body.errors?.[0]?.message).toMatch(/^(businessDay|forDay) is required/);
    }
  });
});

describe("any range, through GraphQL", () => {
  const RANGE = (withTeams: boolean) => `{
    agentKpisForRange(fromDay: "2026-03-01", toDay: "2026-03-31") { nodes { agentExtension callsHandled ahtSeconds } }
    queueKpisForRange(fromDay: "2026-03-01", toDay: "2026-03-31") { nodes { queue offered serviceLevelPct } }
    ${withTeams ? `teamKpisForRange(fromDay: "2026-03-01", toDay: "2026-03-31") { nodes { location allLocations callsHandled agentDays } }` : ""}
  }`;
  type Range = {
    agentKpisForRange: { nodes: { agentExtension: string; callsHandled: number }[] };
    queueKpisForRange: { nodes: { queue: string }[] };
    teamKpisForRange: { nodes: { location: string | null; allLocations: boolean; callsHandled: number }[] };
  };
  const range = async (who: keyof Cast) => {
    const { status, body } = await server.graphql(RANGE(who !== "agentAA"), await token(who));
    expect([status, JSON.stringify(body.errors)]).toEqual([200, undefined]);
    const d = body.data as unknown as Range;
    return {
      agents: d.agentKpisForRange.nodes.map((n) => `${n.agentExtension}:${n.callsHandled}`),
      queues: d.queueKpisForRange.nodes.map((n) => n.queue),
      teams: (d.teamKpisForRange?.nodes ?? []).map((n) => `${n.allLocations ? "all" : n.location}:${n.callsHandled}`),
    };
  };
  it("counts are JSON numbers, as in the daily figures", async () => {
    const { body } = await server.graphql(
      `{ agentKpisForRange(fromDay: "2026-03-01", toDay: "2026-03-31") { nodes { callsHandled fcrFinal } }
         queueKpisForRange(fromDay: "2026-03-01", toDay: "2026-03-31") { nodes { offered answered } }
         teamKpisForRange(fromDay: "2026-03-01", toDay: "2026-03-31") { nodes { callsHandled agentDays } }
         allAgentDailyKpis(first: 1) { nodes { callsHandled } } }`,
      await token("manager"),
    );
    const d = body.data as Record<string, { nodes: Record<string, unknown>[] }>;
    for (const [field, value] of Object.values(d).flatMap((c) => Object.entries(c.nodes[0]!))) expect([field, typeof value]).toEqual([field, "number"]);
  });
  it("an agent gets their own month only, and is refused team figures (viewTeamPerformance)", async () => {
    expect(await range("agentAA")).toEqual({ agents: ["101:2"], queues: [], teams: [] });
    const { body } = await server.graphql(`{ teamKpisForRange(fromDay: "2026-03-01", toDay: "2026-03-31") { nodes { location } } }`, await token("agentAA"));
    expect([body.data?.teamKpisForRange ?? null, body.errors?.[0]?.extensions?.code]).toEqual([null, "FORBIDDEN"]);
  });
  it("a supervisor their location's agents, queues and team", async () => {
    expect(await range("supervisorAA")).toEqual({ agents: ["101:2"], queues: ["AA Front"], teams: ["Ann Arbor:2"] });
  });
  it("a manager everything, with the practice-wide team row", async () => {
    expect(await range("manager")).toEqual({ agents: ["101:2", "201:1"], queues: ["AA Front", "WX Front"], teams: ["Ann Arbor:2", "Wixom:1", "all:3"] });
  });
});

describe("recounting on demand", () => {
  const mutate = async (who: keyof Cast, from = "2026-03-10", to = "2026-03-10") =>
    server.graphql(`mutation ($from: Date!, $to: Date!) { calculateKpis(input: { fromDay: $from, toDay: $to }) { result } }`, await token(who), { from, to });
  it("is for configureMetrics holders (a manager): it recounts the range", async () => {
    const { body } = await mutate("manager");
    expect(body.errors).toBeUndefined();
    expect((body.data as { calculateKpis: { result: number } }).calculateKpis.result).toBe(8); // 3 queue intervals (14:00 and 14:15 in AA, 15:00 in WX), 2 agent days, 3 team rows (AA, WX, all)
  });
  it("is refused to an agent, and a backwards range is refused to anyone; neither recounts anything", async () => {
    const stamps = `select string_agg(computed_at::text, ',' order by queue_name, interval_start) as s from app_public.queue_interval_stats`;
    const before = (await db.owner.query(stamps)).rows[0].s;
    expect((await mutate("agentAA")).body.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    expect((await mutate("manager", "2026-03-11", "2026-03-10")).body.errors?.[0]?.extensions?.code).toBe("INVALID_INPUT");
    expect((await db.owner.query(stamps)).rows[0].s).toBe(before);
  });
  const post = async (body: unknown, who?: keyof Cast) =>
    fetch(`${server.url}/api/processing/calculate-kpis`, {
      method: "POST", headers: { "content-type": "application/json", ...(who ? { authorization: `Bearer ${await token(who)}` } : {}) }, body: JSON.stringify(body),
    });
  it("POST /api/processing/calculate-kpis: 200 for a manager, 403 for an agent, 401 without a token, 400 for a bad range", async () => {
    const ok = await post({ from: "2026-03-10", to: "2026-03-10" }, "manager");
    expect([ok.status, await ok.json()]).toEqual([200, { rows: 8 }]);
    expect((await post({ from: "2026-03-10", to: "2026-03-10" }, "agentAA")).status).toBe(403);
    expect((await post({ from: "2026-03-10", to: "2026-03-10" })).status).toBe(401);
    const bad = await post({ from: "10/03/2026", to: "2026-03-10" }, "manager");
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe("INVALID_INPUT");
  });
  it("the scheduled recount queues itself again KPI_CALCULATION_INTERVAL seconds later", async () => {
    await db.owner.query(`select app_private.add_job('kpi__recount', '{"periodic": true}'::json, job_key => 'kpi__recount:periodic', queue_name => 'kpi')`);
    await work();
    const { rows } = await db.owner.query(`select extract(epoch from (run_at - now()))::int as seconds from graphile_worker.jobs where key = 'kpi__recount:periodic'`);
    expect(rows).toHaveLength(1);
    expect(rows[0].seconds).toBeGreaterThan(850);
    expect(rows[0].seconds).toBeLessThanOrEqual(900);
  });
});
