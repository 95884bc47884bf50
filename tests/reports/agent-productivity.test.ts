/**
 * The agent performance and productivity reports (report_agent_performance,
 * report_productivity; GraphQL and GET /api/reports/agent-performance,
 * /api/reports/productivity) on the day of fixture.ts, per role.
 */
import { asUser, createTestDatabase, type TestDatabase } from "../helpers/db.js";
import { createCast, type Cast } from "../helpers/users.js";
import { signToken, startTestServer, type TestServer } from "../helpers/server.js";
import { one } from "../helpers/query.js";
import { runJobs } from "../helpers/jobs.js";
import { restClient, type RestClient } from "../helpers/rest.js";
import { reportDocument, type ReportDocument } from "../../server/reports/report-document.js";
import { neutralCall, storeRaw } from "../helpers/calls.js";
import { item, reportDay, section, chart } from "./fixture.js";

let db: TestDatabase;
let server: TestServer;
let rest: RestClient;
let cast: Cast;

beforeAll(async () => {
  db = await createTestDatabase();
  cast = await createCast(db.owner);
  await reportDay(db, cast);
  server = await startTestServer(db.authenticatorUrl);
  rest = await restClient(server);
});
afterAll(async () => {
  await server.close();
  await db.drop();
});

const agentReport = (who: keyof Cast, agent: string, from = "2026-03-10", to = "2026-03-10", bh = false): Promise<ReportDocument> =>
  asUser(db.authenticator, cast[who], async (c) =>
    reportDocument.parse((await one(c, "select app_public.report_agent_performance($1, $2, $3, $4) as d", [from, to, agent, bh])).d));
const productivity = (who: keyof Cast, location: string | null = null, bh = false): Promise<ReportDocument> =>
  asUser(db.authenticator, cast[who], async (c) =>
    reportDocument.parse((await one(c, "select app_public.report_productivity('2026-03-10', '2026-03-10', $1, $2) as d", [location, bh])).d));

describe("agent performance", () => {
  it("agent.aa's day, worked out by hand", async () => {
    const doc = await agentReport("supervisorAA", cast.agentAA.email);
    // handled 4 (A1, A2, A3, A6); AHT = (55 + 45 + 35 + 10) / 4 = 36.25 s
    // available = 09:10–17:00 (28,200 s) − 30 min lunch (1,800 s) = 26,400 s
    // calls per hour = 4 / (26,400 / 3,600) = 0.545… → 0.55; utilization = 145 / 26,400 = 0.549…% → 0.55
    // adherence = worked inside 09:00–17:00 (28,200 s) / scheduled 28,800 s = 97.92 %
    expect([item(doc, "calls_handled")?.value, item(doc, "aht_seconds")?.value, item(doc, "calls_per_hour")?.value,
      item(doc, "utilization_pct")?.value, item(doc, "schedule_adherence_pct")?.value]).toEqual([4, 36.25, 0.55, 0.55, 97.92]);
    // the goal: 10 calls a day, 4 handled: 0 of 1 target met, behind
    expect(item(doc, "goals_met")).toMatchObject({ value: 0, goal: 1, status: "behind" });
    expect(section(doc, "goals").rows).toEqual([expect.objectContaining({ calls_per_day_target: 10, calls_per_day_actual: 4, all_met: false })]);
    expect(section(doc, "shifts").rows).toEqual([expect.objectContaining({ shift_date: "2026-03-10", tardiness_minutes: 10, adherence_pct: 97.92, available_seconds: 26400 })]);
    expect(section(doc, "days").rows).toEqual([expect.objectContaining({ business_day: "2026-03-10", calls_handled: 4, aht_seconds: 36.25 })]);
    expect(chart(doc, "calls_by_day").data).toEqual([{ business_day: "2026-03-10", calls_handled: 4, aht_seconds: 36.25 }]);
    expect(doc.filters).toMatchObject({ agent: cast.agentAA.email, agent_extensions: ["101"] });
  });
  it("the agent by extension is the same report", async () => {
    const doc = await agentReport("manager", "101");
    expect(item(doc, "calls_handled")?.value).toBe(4);
  });
  it("an agent reports on themselves; another agent, or another location's for a supervisor, is unknown (CC716)", async () => {
    expect(item(await agentReport("agentAA", "101"), "calls_handled")?.value).toBe(4);
    await expect(agentReport("agentAA", "201")).rejects.toMatchObject({ code: "CC716", column: "agent" });
    await expect(agentReport("supervisorWX", "101")).rejects.toMatchObject({ code: "CC716" });
    await expect(agentReport("manager", null as unknown as string)).rejects.toMatchObject({ code: "CC711", column: "agent" });
  });
  it("FCR of a day whose repeat-call window is open is provisional", async () => {
    // A call yesterday (local noon) from a new number: resolved so far, window (7 days) still open.
    const { t, d } = await one(db.owner, `select app_hidden.business_day_start(app_hidden.business_day(now()) - 1) + interval '12 hours' as t,
                                                 (app_hidden.business_day(now()) - 1)::text as d`);
    // (through the webhook's path, which derives FCR as live calls get it)
    await storeRaw(db.owner, JSON.stringify(neutralCall("P1", "+17345559901", new Date(t))), "application/json");
    await runJobs(db);
    const doc = await agentReport("manager", "101", d, d);
    // 1 handled inbound call, provisional: FCR so far (0 final resolved + 1 provisional) / (0 final + 1 provisional) = 100 %
    expect(item(doc, "fcr_pct")).toMatchObject({ value: 100, status: "provisional" });
    expect(section(doc, "days").rows).toEqual([expect.objectContaining({ fcr_pct: 100, provisional: ["fcr_pct"] })]);
  });
});

describe("productivity", () => {
  it("Ann Arbor, worked out by hand", async () => {
    const doc = await productivity("supervisorAA");
    // the same shift and calls as above: utilization 0.55 %, occupancy 0.55 % (no hold), 0.55 calls an hour,
    // adherence 97.92 %, attendance 1 of 1 scheduled = 100 %, punctuality 0 of 1 started on time = 0 %
    expect([item(doc, "utilization_pct")?.value, item(doc, "occupancy_pct")?.value, item(doc, "calls_per_hour")?.value, item(doc, "available_seconds")?.value,
      item(doc, "schedule_adherence_pct")?.value, item(doc, "attendance_rate_pct")?.value, item(doc, "punctuality_rate_pct")?.value])
      .toEqual([0.55, 0.55, 0.55, 26400, 97.92, 100, 0]);
    expect(section(doc, "agents").rows).toEqual([expect.objectContaining({ agent_email: cast.agentAA.email, calls_handled: 4, late: 1, schedule_adherence_pct: 97.92 })]);
    expect(section(doc, "locations_by_day").rows.map((r) => r.location)).toEqual(["Ann Arbor"]);
    expect(doc.filters).toMatchObject({ locations: ["Ann Arbor"] });
  });
  it("a supervisor's report covers their locations only; agents are refused", async () => {
    const wx = await productivity("supervisorWX");
    // agent.wx: W1 handled, no shift: no available time, so no ratio
    expect(section(wx, "agents").rows).toEqual([expect.objectContaining({ agent_email: cast.agentWX.email, calls_handled: 1, calls_per_hour: null })]);
    await expect(productivity("supervisorWX", "Ann Arbor")).rejects.toMatchObject({ code: "CC971" });
    await expect(productivity("agentAA")).rejects.toMatchObject({ code: "42501" });
  });
});

describe("through the API", () => {
  it("GraphQL reportAgentPerformance and reportProductivity", async () => {
    const { body } = await server.graphql(`{ a: reportAgentPerformance(fromDay: "2026-03-10", toDay: "2026-03-10", agent: "101")
      p: reportProductivity(fromDay: "2026-03-10", toDay: "2026-03-10", location: "Ann Arbor", businessHoursOnly: true) }`, await signToken({ email: cast.manager.email }));
    const data = body.data as { a: unknown; p: unknown };
    expect(item(reportDocument.parse(data.a), "calls_handled")?.value).toBe(4);
    expect(reportDocument.parse(data.p).filters).toMatchObject({ business_hours_only: true });
  });
  it("GET /api/reports/agent-performance and /api/reports/productivity", async () => {
    const manager = await signToken({ email: cast.manager.email });
    const a = await rest.get(`/api/reports/agent-performance?from=2026-03-10&to=2026-03-10&agent=${encodeURIComponent(cast.agentAA.email)}`, manager);
    expect([a.status, item(reportDocument.parse(a.body), "aht_seconds")?.value]).toEqual([200, 36.25]);
    const p = await rest.get("/api/reports/productivity?from=2026-03-10&to=2026-03-10", manager);
    expect([p.status, item(reportDocument.parse(p.body), "calls_handled")?.value]).toEqual([200, 5]);
  });
  it("REST refusals: someone else's report 404 naming the agent; no agent 400; an agent's productivity 403", async () => {
    const agent = await signToken({ email: cast.agentAA.email });
    const other = await rest.get("/api/reports/agent-performance?from=2026-03-10&to=2026-03-10&agent=201", agent);
    expect([other.status, other.body.error.field]).toEqual([404, "agent"]);
    const none = await rest.get("/api/reports/agent-performance?from=2026-03-10&to=2026-03-10", agent);
    expect([none.status, none.body.error.field]).toEqual([400, "agent"]);
    expect((await rest.get("/api/reports/productivity?from=2026-03-10&to=2026-03-10", agent)).status).toBe(403);
  });
});
