/**
 * The team performance report (app_public.report_team_performance, GraphQL
 * reportTeamPerformance, GET /api/reports/team-performance) against a day
 * worked out by hand, per role, inside and outside business hours.
 *
 * The day is fixture.ts's (calls A1–A6 in Ann Arbor, W1 in Wixom, agent.aa's goal and shift).
 */
import { asUser, createTestDatabase, type TestDatabase } from "../helpers/db.js";
import { createCast, type Cast } from "../helpers/users.js";
import { signToken, startTestServer, type TestServer } from "../helpers/server.js";
import { one } from "../helpers/query.js";
import { restClient, type RestClient } from "../helpers/rest.js";
import { reportDocument, type ReportDocument } from "../../server/reports/report-document.js";
import { chart, item, reportDay, section } from "./fixture.js";

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

const report = (who: keyof Cast, location: string | null = null, businessHoursOnly = false): Promise<ReportDocument> =>
  asUser(db.authenticator, cast[who], async (c) =>
    reportDocument.parse((await one(c, "select app_public.report_team_performance('2026-03-10', '2026-03-10', $1, $2) as d", [location, businessHoursOnly])).d));

describe("the figures, worked out by hand", () => {
  it("Ann Arbor, the whole day", async () => {
    const doc = await report("manager", "Ann Arbor");
    // offered 6; answered 4; abandoned 1 (A4); short 1 (A5).
    // SL (negative mode) = within 20 s (A1, A2) / (6 − 1 short − 0 unknown) = 2 / 5 = 40.00 %, goal 80: behind.
    expect(item(doc, "service_level_pct")).toMatchObject({ value: 40, goal: 80, status: "behind" });
    // abandonment = 1 / (6 − 1) = 20.00 %
    expect(item(doc, "abandonment_rate_pct")).toMatchObject({ value: 20 });
    expect([item(doc, "offered")?.value, item(doc, "answered")?.value, item(doc, "abandoned")?.value]).toEqual([6, 4, 1]);
    // ASA = (5 + 15 + 25 + 50) / 4 = 23.75 s
    expect(item(doc, "asa_seconds")?.value).toBe(23.75);
    // AHT = talk (55 + 45 + 35 + 10) / 4 handled = 36.25 s
    expect(item(doc, "calls_handled")?.value).toBe(4);
    expect(item(doc, "aht_seconds")?.value).toBe(36.25);
    // agent.aa: 4 calls against a target of 10: one agent behind.
    expect(item(doc, "agents_behind")).toMatchObject({ value: 1, status: "behind" });
    expect(section(doc, "behind").rows).toEqual([expect.objectContaining({ agent_email: cast.agentAA.email, goals_met: 0, total_goals: 1, achievement_pct: 0 })]);
    expect(section(doc, "locations_by_day").rows).toEqual([expect.objectContaining({
      business_day: "2026-03-10", location: "Ann Arbor", offered: 6, answered: 4, abandoned: 1, service_level_pct: 40, abandonment_rate_pct: 20, asa_seconds: 23.75, calls_handled: 4,
    })]);
    expect(section(doc, "agents").rows).toEqual([expect.objectContaining({ agent_extension: "101", calls_handled: 4, aht_seconds: 36.25, behind: true })]);
    // waits of answered calls: 5 | 15 | 25 | 50 → one each in 0–10, 11–20, 21–30, 31–60.
    expect(chart(doc, "wait_distribution").data.map((d) => d.calls)).toEqual([1, 1, 1, 1, 0, 0]);
    // by interval of the day: 10:00 (A1, A2: 2 / 2 = 100), 10:15 (A3: 0 / 1), 10:30 (A4 0 / 1, A5 short: out), 19:00 (A6: 0 / 1)
    expect(chart(doc, "service_level_by_interval").data).toEqual([
      { interval: "10:00", service_level_pct: 100, offered: 2, goal: 80 },
      { interval: "10:15", service_level_pct: 0, offered: 1, goal: 80 },
      { interval: "10:30", service_level_pct: 0, offered: 2, goal: 80 },
      { interval: "19:00", service_level_pct: 0, offered: 1, goal: 80 },
    ]);
    expect(chart(doc, "service_level_trend").data).toEqual([{ business_day: "2026-03-10", location: "Ann Arbor", service_level_pct: 40, goal: 80 }]);
    expect(doc).toMatchObject({ report: "team_performance", range: { from: "2026-03-10", to: "2026-03-10" }, timezone: "America/Detroit",
      filters: { location: "Ann Arbor", locations: ["Ann Arbor"], business_hours_only: false } });
  });

  it("business hours only: A6 (19:00, after the 17:00 close) is left out of the queue figures", async () => {
    const doc = await report("manager", "Ann Arbor", true);
    // offered 5, within 2 / (5 − 1 short) = 50.00 %; abandonment 1 / 4 = 25.00 %; ASA (5 + 15 + 25) / 3 = 15.00 s
    expect([item(doc, "offered")?.value, item(doc, "service_level_pct")?.value, item(doc, "abandonment_rate_pct")?.value, item(doc, "asa_seconds")?.value])
      .toEqual([5, 50, 25, 15]);
    expect(chart(doc, "wait_distribution").data.map((d) => d.calls)).toEqual([1, 1, 1, 0, 0, 0]);
    expect(section(doc, "locations_by_day").notes?.[0]).toMatch(/business hours/);
  });

  it("the hours are the location's own: open until 20:00 on Tuesdays, A6 counts again; a Tuesday off, nothing counts", async () => {
    const before = await one(db.owner, `select business_days, business_open, business_close from app_public.location_configs where location_name = 'Ann Arbor'`);
    expect(before).toEqual({ business_days: [1, 2, 3, 4, 5], business_open: "08:00:00", business_close: "17:00:00" }); // as stored by the migrations
    await db.owner.query(`update app_public.location_configs set business_close = '20:00' where location_name = 'Ann Arbor'`);
    expect(item(await report("manager", "Ann Arbor", true), "offered")?.value).toBe(6);
    await db.owner.query(`update app_public.location_configs set business_days = '{1,3,4,5}' where location_name = 'Ann Arbor'`);
    const closed = await report("manager", "Ann Arbor", true);
    expect([item(closed, "offered")?.value, item(closed, "calls_handled")?.value, section(closed, "locations_by_day").rows]).toEqual([0, 0, []]);
    await db.owner.query(`update app_public.location_configs set business_days = '{1,2,3,4,5}', business_close = '17:00' where location_name = 'Ann Arbor'`);
  });

  it("the whole practice, for a manager: both locations", async () => {
    const doc = await report("manager");
    // offered 7, within 3 (A1, A2, W1) / (7 − 1) = 50.00 %; abandonment 1 / 6 = 16.67 %; ASA (95 + 5) / 5 = 20.00 s
    expect([item(doc, "offered")?.value, item(doc, "service_level_pct")?.value, item(doc, "abandonment_rate_pct")?.value, item(doc, "asa_seconds")?.value])
      .toEqual([7, 50, 16.67, 20]);
    expect(section(doc, "locations_by_day").rows.map((r) => r.location)).toEqual(["Ann Arbor", "Wixom"]);
    expect(doc.filters).toMatchObject({ locations: ["Ann Arbor", "Plymouth", "Wixom"] });
  });
});

describe("who may read it", () => {
  it("a supervisor's report covers their locations only", async () => {
    const doc = await report("supervisorWX");
    // W1 only: offered 1, SL 1 / 1 = 100.00 %, meets the 80 % goal
    expect(item(doc, "service_level_pct")).toMatchObject({ value: 100, status: "ok" });
    expect(section(doc, "locations_by_day").rows.map((r) => r.location)).toEqual(["Wixom"]);
    expect(section(doc, "agents").rows.map((r) => r.agent_extension)).toEqual(["201"]);
    expect(section(doc, "behind").rows).toEqual([]);
    expect(doc.filters).toMatchObject({ locations: ["Wixom"] });
  });
  it("a supervisor asking for another location is refused naming it (CC971)", async () => {
    await expect(report("supervisorWX", "Ann Arbor")).rejects.toMatchObject({ code: "CC971", column: "location" });
  });
  it("agents and staff are refused", async () => {
    await expect(report("agentAA")).rejects.toMatchObject({ code: "42501" });
    await expect(report("staff")).rejects.toMatchObject({ code: "42501" });
  });
  it("range rules as the other range functions: reversed, too wide, unknown location", async () => {
    const bad = (from: string, to: string, location: string | null) =>
      asUser(db.authenticator, cast.manager, (c) => one(c, "select app_public.report_team_performance($1, $2, $3)", [from, to, location]));
    await expect(bad("2026-03-10", "2026-03-09", null)).rejects.toMatchObject({ code: "CC712" });
    await expect(bad("2025-01-01", "2026-03-09", null)).rejects.toMatchObject({ code: "CC713" });
    await expect(bad("2026-03-10", "2026-03-10", "Detroit")).rejects.toMatchObject({ code: "CC715" });
  });
});

describe("through the API", () => {
  it("GraphQL reportTeamPerformance answers the document", async () => {
    const { body } = await server.graphql(`{ reportTeamPerformance(fromDay: "2026-03-10", toDay: "2026-03-10", location: "Ann Arbor") }`, await signToken({ email: cast.supervisorAA.email }));
    const doc = reportDocument.parse((body.data as { reportTeamPerformance: unknown }).reportTeamPerformance);
    expect(item(doc, "service_level_pct")?.value).toBe(40);
  });
  it("GET /api/reports/team-performance answers the document itself", async () => {
    const res = await rest.get("/api/reports/team-performance?from=2026-03-10&to=2026-03-10&location=Ann%20Arbor&business_hours_only=true", await signToken({ email: cast.manager.email }));
    expect(res.status).toBe(200);
    const doc = reportDocument.parse(res.body);
    expect(item(doc, "service_level_pct")?.value).toBe(50);
    expect(doc.filters).toMatchObject({ business_hours_only: true });
  });
  it("REST refusals: an agent 403, reversed days 400 naming `to`, a supervisor's foreign location 404", async () => {
    const agent = await rest.get("/api/reports/team-performance?from=2026-03-10&to=2026-03-10", await signToken({ email: cast.agentAA.email }));
    expect(agent.status).toBe(403);
    const reversed = await rest.get("/api/reports/team-performance?from=2026-03-10&to=2026-03-09", await signToken({ email: cast.manager.email }));
    expect([reversed.status, reversed.body.error.field]).toEqual([400, "to"]);
    const foreign = await rest.get("/api/reports/team-performance?from=2026-03-10&to=2026-03-10&location=Ann%20Arbor", await signToken({ email: cast.supervisorWX.email }));
    expect([foreign.status, foreign.body.error.field]).toEqual([404, "location"]);
    const unknown = await rest.get("/api/reports/team-performance?from=2026-03-10&to=2026-03-10&bogus=1", await signToken({ email: cast.manager.email }));
    expect(unknown.status).toBe(400);
  });
});
