/**
 * The call analytics report (report_call_analytics, GraphQL reportCallAnalytics,
 * GET /api/reports/call-analytics): fixture.ts's Tuesday 10 March 2026, plus
 *   - four Tuesdays before it in Ann Arbor with 2, 2, 3 and 3 calls offered (the trend's history), each
 *     answered by 101 after 5 s;
 *   - Wednesday 11 March: 10 callers from area code 248, 11 from 313 and one from +44 (area codes and
 *     their small-cell suppression).
 */
import { asUser, createTestDatabase, type TestDatabase } from "../helpers/db.js";
import { createCast, type Cast } from "../helpers/users.js";
import { signToken, startTestServer, type TestServer } from "../helpers/server.js";
import { one, rows } from "../helpers/query.js";
import { runJobs } from "../helpers/jobs.js";
import { restClient, type RestClient } from "../helpers/rest.js";
import { reportDocument, type ReportDocument } from "../../server/reports/report-document.js";
import { answered, chart, item, reportDay, section } from "./fixture.js";

let db: TestDatabase;
let server: TestServer;
let rest: RestClient;
let cast: Cast;

/** `n` calls into 800 on `day` from 10:00 local (EDT), one a minute, answered by 101 after 5 s, from `number(i)`. */
const calls = (prefix: string, day: string, n: number, number: (i: number) => string) =>
  Array.from({ length: n }, (_, i) => answered(`${prefix}${i}`, "800", "101", new Date(Date.parse(`${day}T14:00:00Z`) + i * 60_000).toISOString(), 5, number(i)));

beforeAll(async () => {
  db = await createTestDatabase();
  cast = await createCast(db.owner);
  await reportDay(db, cast);
  // (EST before 8 March: 10:00 local is 15:00Z; the helper's 14:00Z is 09:00 local then, still inside the hours)
  const history = [["2026-02-10", 2], ["2026-02-17", 2], ["2026-02-24", 3], ["2026-03-03", 3]] as const;
  await db.owner.query("select app_private.ingest_calls($1::jsonb)", [JSON.stringify([
    ...history.flatMap(([day, n]) => calls(`H${day}-`, day, n, (i) => `+1734555${day.slice(8)}${String(i).padStart(2, "0")}`)),
    ...calls("B", "2026-03-11", 10, (i) => `+1248555010${i}`),
    ...calls("C", "2026-03-11", 11, (i) => `+13135550${String(200 + i)}`),
    ...calls("I", "2026-03-11", 1, () => "+442071234567"),
  ])]);
  await runJobs(db);
  server = await startTestServer(db.authenticatorUrl);
  rest = await restClient(server);
});
afterAll(async () => {
  await server.close();
  await db.drop();
});

const analytics = (who: keyof Cast, from: string, to: string, location: string | null = null, queue: string | null = null, bh = false): Promise<ReportDocument> =>
  asUser(db.authenticator, cast[who], async (c) =>
    reportDocument.parse((await one(c, "select app_public.report_call_analytics($1, $2, $3, $4, $5) as d", [from, to, location, queue, bh])).d));

describe("the figures, worked out by hand", () => {
  it("Ann Arbor on 10 March: volumes by hour and weekday, the queue, types and outcomes", async () => {
    const doc = await analytics("manager", "2026-03-10", "2026-03-10", "Ann Arbor");
    // 10:00–10:59: A1–A5 offered 5, answered 3, abandoned 1 (A5 short), SL 2 / (5 − 1) = 50 %; 19:00: A6, 0 / 1
    expect(section(doc, "by_hour").rows).toEqual([
      { hour: "10:00", offered: 5, answered: 3, abandoned: 1, service_level_pct: 50 },
      { hour: "19:00", offered: 1, answered: 1, abandoned: 0, service_level_pct: 0 },
    ]);
    expect(section(doc, "by_weekday").rows).toEqual([{ weekday: "Tuesday", days: 1, offered: 6, offered_per_day: 6, answered: 4, abandoned: 1 }]);
    // as the team report: SL 40 %, abandonment 20 %, ASA 23.75 s; abandon wait 40 s (A4 alone); longest wait 50 s (A6)
    expect(section(doc, "queues").rows).toEqual([expect.objectContaining({
      queue: "AA Front", offered: 6, answered: 4, abandoned: 1, short_abandoned: 1, service_level_pct: 40, sl_goal_pct: 80,
      abandonment_rate_pct: 20, asa_seconds: 23.75, avg_abandon_wait_seconds: 40, max_wait_seconds: 50,
    })]);
    // every call is inbound and unclassified; 4 completed, 2 abandoned (A4, A5), no outcome recorded
    expect(section(doc, "call_types").rows).toEqual([{ call_type: "unclassified", call_direction: "inbound", calls: 6 }]);
    expect(section(doc, "outcomes").rows).toEqual([
      { call_status: "completed", call_outcome: "not recorded", calls: 4 },
      { call_status: "abandoned", call_outcome: "not recorded", calls: 2 },
    ]);
    expect(item(doc, "service_level_pct")).toMatchObject({ value: 40, goal: 80, status: "behind" });
    expect(chart(doc, "volume_by_hour").data).toHaveLength(2);
  });

  it("the trend: 6 offered against 2, 2, 3, 3 on the Tuesdays before is flagged", async () => {
    const doc = await analytics("manager", "2026-03-10", "2026-03-10", "Ann Arbor");
    // mean 2.5; sample sd = √((0.25 × 4) / 3) = 0.577; |6 − 2.5| = 3.5 > 2 × 0.577 → flagged.
    // SL, abandonment and ASA of those Tuesdays never vary (100 %, 0 %, 5 s): sd 0, nothing to judge by.
    expect(section(doc, "trend").rows).toEqual([expect.objectContaining({
      business_day: "2026-03-10", weekday: "Tuesday", offered: 6, offered_usual: 2.5, service_level_pct: 40, service_level_usual: 100,
      weeks_of_history: 4, flagged: ["offered"],
    })]);
    expect(item(doc, "flagged_days")?.value).toBe(1);
    // the previous period (Monday 9 March) had no calls: no change figure
    expect([item(doc, "offered_change_pct")?.value, item(doc, "offered")?.note]).toEqual([null, "previous period: 0"]);
    expect(chart(doc, "offered_trend").data).toEqual([
      { business_day: "2026-03-10", series: "Offered", calls: 6 },
      { business_day: "2026-03-10", series: "Same weekday, 4 weeks before (mean)", calls: 2.5 },
    ]);
  });

  it("a week against the week before: the previous period's figures in the summary", async () => {
    // 3–9 March: 3 offered (3 March); 10–16 March: 6 + 22 (11 March) = 28; change (28 − 3) / 3 = 833.33 %
    const doc = await analytics("manager", "2026-03-10", "2026-03-16", "Ann Arbor");
    expect([item(doc, "offered")?.value, item(doc, "offered_change_pct")?.value]).toEqual([28, 833.33]);
  });

  it("business hours only: A6 (19:00) is left out of volumes, types and outcomes", async () => {
    const doc = await analytics("manager", "2026-03-10", "2026-03-10", "Ann Arbor", null, true);
    expect(section(doc, "by_hour").rows.map((r) => r.hour)).toEqual(["10:00"]);
    expect(section(doc, "call_types").rows).toEqual([{ call_type: "unclassified", call_direction: "inbound", calls: 5 }]);
    expect(item(doc, "offered")?.value).toBe(5);
  });

  it("a queue by extension", async () => {
    const doc = await analytics("manager", "2026-03-10", "2026-03-10", null, "800");
    expect(section(doc, "queues").rows.map((r) => r.queue)).toEqual(["AA Front"]);
    expect(doc.filters).toMatchObject({ queue: "AA Front" });
  });
});

describe("callers by area code", () => {
  it("11 distinct callers are shown, 10 are suppressed (values null, the cells named)", async () => {
    const doc = await analytics("manager", "2026-03-11", "2026-03-11");
    expect(section(doc, "area_codes").rows).toEqual([
      { area_code: "313", calls: 11, callers: 11, suppressed: [] },
      { area_code: "248", calls: null, callers: null, suppressed: ["calls", "callers"] },
      { area_code: "other", calls: null, callers: null, suppressed: ["calls", "callers"] },
    ]);
  });
  it("10 March's six callers from 734 (and W1, Wixom's, the same number as A1) stay suppressed", async () => {
    const doc = await analytics("manager", "2026-03-10", "2026-03-10");
    expect(section(doc, "area_codes").rows).toEqual([{ area_code: "734", calls: null, callers: null, suppressed: ["calls", "callers"] }]);
  });
  it("is kept apart from the call: not in analytics.call_facts, not in the API's calls", async () => {
    const columns = await rows(db.owner, `select table_schema, table_name from information_schema.columns where strpos(column_name, 'area_code') > 0 and table_schema <> 'app_private'`);
    expect(columns).toEqual([]);
    expect((await one(db.owner, `select count(*)::int as n from app_private.call_area_codes where area_code = '313'`)).n).toBe(11);
  });
  it("calls stored before area codes were kept get theirs from the worker's backfill", async () => {
    await db.owner.query(`delete from app_private.call_area_codes where call_id like 'C%'`);
    await db.owner.query(`select app_private.add_job('reports__area_codes', '{}'::json, job_key => 'reports__area_codes')`);
    await runJobs(db);
    expect((await one(db.owner, `select count(*)::int as n from app_private.call_area_codes where area_code = '313'`)).n).toBe(11);
  });
  it("nobody but the owner reads the table", async () => {
    await expect(asUser(db.authenticator, cast.manager, (c) => one(c, "select count(*) from app_private.call_area_codes"))).rejects.toMatchObject({ code: "42501" });
  });
});

describe("who may read it", () => {
  it("a supervisor sees their locations only; another location CC971; agents refused; unknown queue CC715", async () => {
    const wx = await analytics("supervisorWX", "2026-03-10", "2026-03-10");
    expect(section(wx, "queues").rows.map((r) => r.queue)).toEqual(["WX Front"]);
    expect(section(wx, "call_types").rows).toEqual([{ call_type: "unclassified", call_direction: "inbound", calls: 1 }]);
    await expect(analytics("supervisorWX", "2026-03-10", "2026-03-10", "Ann Arbor")).rejects.toMatchObject({ code: "CC971" });
    await expect(analytics("agentAA", "2026-03-10", "2026-03-10")).rejects.toMatchObject({ code: "42501" });
    await expect(analytics("manager", "2026-03-10", "2026-03-10", null, "999")).rejects.toMatchObject({ code: "CC715", column: "queue" });
  });
});

describe("through the API", () => {
  it("GraphQL reportCallAnalytics and GET /api/reports/call-analytics", async () => {
    const token = await signToken({ email: cast.manager.email });
    const { body } = await server.graphql(`{ reportCallAnalytics(fromDay: "2026-03-11", toDay: "2026-03-11", queue: "AA Front") }`, token);
    expect(section(reportDocument.parse((body.data as { reportCallAnalytics: unknown }).reportCallAnalytics), "area_codes").rows[0]).toMatchObject({ area_code: "313" });
    const res = await rest.get("/api/reports/call-analytics?from=2026-03-10&to=2026-03-10&location=Ann%20Arbor&queue=800", token);
    expect([res.status, item(reportDocument.parse(res.body), "offered")?.value]).toEqual([200, 6]);
    const bad = await rest.get("/api/reports/call-analytics?from=2026-03-10&to=2026-03-10&queue=999", token);
    expect([bad.status, bad.body.error.field]).toEqual([400, "queue"]);
  });
});
