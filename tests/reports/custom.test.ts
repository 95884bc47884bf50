/**
 * The custom report (report_custom, GraphQL reportCustom, POST /api/reports/custom):
 * KPIs, groupings and filters named from the whitelist in SQL
 * (app_public.report_custom_fields), on fixture.ts's day; every other name
 * refused, naming it.
 */
import { asUser, createTestDatabase, type TestDatabase } from "../helpers/db.js";
import { createCast, type Cast } from "../helpers/users.js";
import { signToken, startTestServer, type TestServer } from "../helpers/server.js";
import { one } from "../helpers/query.js";
import { restClient, type RestClient } from "../helpers/rest.js";
import { reportDocument, type ReportDocument } from "../../server/reports/report-document.js";
import { reportDay, section } from "./fixture.js";

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

const DAY = { from: "2026-03-10", to: "2026-03-10" };
const custom = (who: keyof Cast, spec: unknown): Promise<ReportDocument> =>
  asUser(db.authenticator, cast[who], async (c) => reportDocument.parse((await one(c, "select app_public.report_custom($1::jsonb) as d", [JSON.stringify(spec)])).d));

describe("figures chosen from the whitelist", () => {
  it("queue KPIs by location and hour", async () => {
    const doc = await custom("manager", { ...DAY, kpis: ["offered", "service_level_pct"], group_by: ["location", "hour"] });
    // Ann Arbor 10:00: A1–A5, SL 2 / (5 − 1 short) = 50 %; 19:00: A6, 0 / 1; Wixom 11:00: W1, 1 / 1
    expect(section(doc, "figures").rows).toEqual([
      { location: "Ann Arbor", hour: "10:00", offered: 5, service_level_pct: 50 },
      { location: "Ann Arbor", hour: "19:00", offered: 1, service_level_pct: 0 },
      { location: "Wixom", hour: "11:00", offered: 1, service_level_pct: 100 },
    ]);
    expect(section(doc, "figures").columns.map((c) => [c.key, c.type])).toEqual([["location", "text"], ["hour", "text"], ["offered", "int"], ["service_level_pct", "pct"]]);
    expect(doc).toMatchObject({ report: "custom", filters: { source: "queue", group_by: ["location", "hour"] } });
  });
  it("agent KPIs by agent, one location, business hours only", async () => {
    const doc = await custom("supervisorAA", { ...DAY, kpis: ["calls_handled", "aht_seconds"], group_by: ["agent"], filters: { location: "Ann Arbor" }, business_hours_only: true });
    // agent.aa: 4 handled, AHT (55 + 45 + 35 + 10) / 4 = 36.25 s (a Tuesday: a business weekday, the whole day counts)
    expect(section(doc, "figures").rows).toEqual([{ agent: cast.agentAA.email, calls_handled: 4, aht_seconds: 36.25 }]); // (no name in the directory: the email)
  });
  it("no grouping: one row for the whole range, as a supervisor's locations see it", async () => {
    const doc = await custom("supervisorWX", { ...DAY, kpis: ["offered"] });
    expect(section(doc, "figures").rows).toEqual([{ offered: 1 }]);
  });
  it("the whitelist is readable through GraphQL", async () => {
    const { body } = await server.graphql(`{ allReportCustomFields(condition: { kind: "filter" }, orderBy: NAME_ASC) { nodes { name sources } } }`,
      await signToken({ email: cast.supervisorAA.email }));
    expect(body.data).toEqual({ allReportCustomFields: { nodes: [
      { name: "agent", sources: ["agent"] }, { name: "location", sources: ["queue", "agent"] }, { name: "queue", sources: ["queue"] },
    ] } });
  });
});

describe("anything outside the whitelist is refused, naming it", () => {
  it.each([
    ["an unknown KPI", { ...DAY, kpis: ["offered", "revenue"] }, "CC972", "kpis", /revenue/],
    ["SQL as a KPI", { ...DAY, kpis: ["offered; drop table app_public.users"] }, "CC972", "kpis", /drop table/],
    ["a column as a grouping", { ...DAY, kpis: ["offered"], group_by: ["caller_number"] }, "CC973", "group_by", /caller_number/],
    ["an unknown filter", { ...DAY, kpis: ["offered"], filters: { call_id: "A1" } }, "CC974", "filters.call_id", /call_id/],
    ["a key a report does not have", { ...DAY, kpis: ["offered"], sql: "select 1" }, "CC975", "sql", /sql/],
    ["no KPI", { ...DAY, kpis: [] }, "CC975", "kpis", /kpis/],
    ["queue and agent KPIs together", { ...DAY, kpis: ["offered", "calls_handled"] }, "CC976", "kpis", /different/],
    ["an agent KPI by queue", { ...DAY, kpis: ["calls_handled"], group_by: ["queue"] }, "CC976", "group_by", /queue/],
    ["reversed days", { from: "2026-03-10", to: "2026-03-09", kpis: ["offered"] }, "CC712", "to_day", /toDay/],
  ])("%s", async (_what, spec, code, column, message) => {
    const e = await custom("manager", spec).catch((x: unknown) => x as { code: string; column: string; message: string });
    expect(e).toMatchObject({ code, column });
    expect((e as { message: string }).message).toMatch(message);
  });
  it("a supervisor's other location (CC971); agents refused (42501)", async () => {
    await expect(custom("supervisorWX", { ...DAY, kpis: ["offered"], filters: { location: "Ann Arbor" } })).rejects.toMatchObject({ code: "CC971" });
    await expect(custom("agentAA", { ...DAY, kpis: ["calls_handled"] })).rejects.toMatchObject({ code: "42501" });
  });
});

describe("through the API", () => {
  it("POST /api/reports/custom answers the document; GraphQL reportCustom the same", async () => {
    const token = await signToken({ email: cast.manager.email });
    const spec = { ...DAY, kpis: ["answered", "asa_seconds"], group_by: ["queue"] };
    const res = await rest.send("post", "/api/reports/custom", token, spec);
    expect(res.status).toBe(200);
    // AA Front: answered 4, ASA (5 + 15 + 25 + 50) / 4 = 23.75 s; WX Front: 1, 5 s
    expect(section(reportDocument.parse(res.body), "figures").rows).toEqual([
      { queue: "AA Front", answered: 4, asa_seconds: 23.75 }, { queue: "WX Front", answered: 1, asa_seconds: 5 },
    ]);
    const { body } = await server.graphql(`query ($spec: JSON!) { reportCustom(spec: $spec) }`, token, { spec });
    expect(reportDocument.parse((body.data as { reportCustom: unknown }).reportCustom)).toMatchObject({ sections: res.body.sections });
  });
  it("REST 400 naming the field: an unknown KPI, an unknown filter; 403 for an agent", async () => {
    const token = await signToken({ email: cast.manager.email });
    const kpi = await rest.send("post", "/api/reports/custom", token, { ...DAY, kpis: ["revenue"] });
    expect([kpi.status, kpi.body.error.code, kpi.body.error.field]).toEqual([400, "CC972", "kpis"]);
    const filter = await rest.send("post", "/api/reports/custom", token, { ...DAY, kpis: ["offered"], filters: { caller_number: "+1" } });
    expect([filter.status, filter.body.error.field]).toEqual([400, "filters.caller_number"]);
    const extra = await rest.send("post", "/api/reports/custom", token, { ...DAY, kpis: ["offered"], sql: "select 1" });
    expect([extra.status, extra.body.error.field]).toEqual([400, "sql"]);
    const agent = await rest.send("post", "/api/reports/custom", await signToken({ email: cast.agentAA.email }), { ...DAY, kpis: ["calls_handled"] });
    expect(agent.status).toBe(403);
  });
});
