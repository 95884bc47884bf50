/**
 * The REST door's enums (query parameters and body fields with a fixed set of
 * values, in /api/openapi.json) are documentation of rules that live in SQL,
 * never a second rule: each is named here with the CHECK constraint or the
 * SQL whitelist it repeats, and must hold exactly its values (or, where a
 * route offers fewer on purpose, a subset with the reason). A new enum
 * without an entry fails, so it is checked the day it appears.
 */
import { createTestDatabase, type TestDatabase } from "../helpers/db.js";
import { startTestServer, type TestServer } from "../helpers/server.js";
import { restClient } from "../helpers/rest.js";

let db: TestDatabase;
let server: TestServer;
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
let openapi: Json;

beforeAll(async () => {
  db = await createTestDatabase();
  server = await startTestServer(db.authenticatorUrl);
  openapi = (await restClient(server)).openapi;
});
afterAll(async () => {
  await server.close();
  await db.drop();
});

/** Every enum the document gives a request: `METHOD /path field` → its values. */
function documentedEnums(): Map<string, string[]> {
  const found = new Map<string, string[]>();
  const walk = (key: string, schema: Json | undefined) => {
    if (!schema || typeof schema !== "object") return;
    if (Array.isArray(schema.enum)) found.set(key, schema.enum as string[]);
    for (const [name, sub] of Object.entries((schema.properties ?? {}) as Json)) walk(`${key} ${name}`.trim(), sub as Json);
    if (schema.items) walk(`${key}[]`, schema.items as Json);
    for (const k of ["anyOf", "oneOf", "allOf"]) for (const sub of (schema[k] ?? []) as Json[]) walk(key, sub);
  };
  for (const [path, ops] of Object.entries(openapi.paths as Json)) {
    for (const [method, op] of Object.entries(ops as Json)) {
      const route = `${method.toUpperCase()} ${path}`;
      for (const p of ((op as Json).parameters ?? []) as Json[]) walk(`${route} ${p.name}`, p.schema as Json);
      for (const media of Object.values(((op as Json).requestBody?.content ?? {}) as Json)) walk(route, (media as Json).schema as Json);
    }
  }
  return found;
}

/** Where each enum's values come from. */
type Source =
  | { check: [table: string, column: string]; only?: string } // the column's CHECK; `only`: why the route offers a subset
  | { sorts: string } // a search's sort whitelist: the SQL call, with $1 the sort
  | { rest: string }; // a choice of the REST door itself (no SQL rule to repeat), and why

const SOURCES: Record<string, Source> = {
  "GET /api/call-records direction": { check: ["call_center_records", "call_direction"] },
  "GET /api/call-records status": { check: ["call_center_records", "call_status"] },
  "GET /api/call-records call_type": { check: ["call_center_records", "call_type"] },
  "GET /api/call-records sort": {
    sorts: "select count(*) from app_public.search_call_records(from_time => now() - interval '1 day', to_time => now(), sort => $1)",
  },
  "POST /api/qa/review review_type": { check: ["quality_assurance_reviews", "review_type"] },
  "GET /api/qa/reviews/{agent_email} status": { check: ["quality_assurance_reviews", "review_status"] },
  "POST /api/workforce/break-start break_type": { check: ["shift_breaks", "break_type"] },
  "POST /api/call-journals journal_status": { check: ["call_journals", "journal_status"] },
  "PUT /api/call-journals/{id} journal_status": { check: ["call_journals", "journal_status"] },
  "POST /api/journals/bulk-create journals[] journal_status": { check: ["call_journals", "journal_status"] },
  "PUT /api/journals/{id}/review action": { rest: "chooses between the reviewCallJournal and approveCallJournal mutations" },
  "GET /api/journals/search status": { check: ["call_journals", "journal_status"] },
  "GET /api/journals/search sort": {
    sorts: "select count(*) from app_public.search_call_journals(status => 'draft', sort => $1)",
  },
  "POST /api/goals/set goal_period": { check: ["performance_goals", "goal_period"] },
  "PUT /api/goals/{id}/update goal_status": { check: ["performance_goals", "goal_status"] },
  "POST /api/goals/team-goals goal_period": { check: ["performance_goals", "goal_period"] },
  "POST /api/campaigns/create campaign_type": { check: ["call_campaigns", "campaign_type"] },
  "POST /api/campaigns/create priority_level": { check: ["call_campaigns", "priority_level"] },
  "POST /api/campaigns/create campaign_status": { check: ["call_campaigns", "campaign_status"], only: "a campaign is created planned or active" },
  "PUT /api/campaigns/{id}/status campaign_status": { check: ["call_campaigns", "campaign_status"] },
  "POST /api/campaigns/{id}/calls outcome": { check: ["campaign_call_attempts", "outcome"] },
  "POST /api/processing/generate-reports report": { check: ["report_schedules", "report"] },
  "POST /api/processing/generate-reports format": { check: ["report_schedules", "format"] },
  "POST /api/processing/generate-reports channel": { check: ["report_schedules", "channel"] },
  "GET /api/reports/team-performance format": { rest: "the renderers the server has (server/rest/report-formats.ts): the document as JSON, CSV, HTML or PDF" },
  "GET /api/reports/agent-performance format": { rest: "the renderers the server has (server/rest/report-formats.ts): the document as JSON, CSV, HTML or PDF" },
  "GET /api/reports/call-analytics format": { rest: "the renderers the server has (server/rest/report-formats.ts): the document as JSON, CSV, HTML or PDF" },
  "GET /api/reports/productivity format": { rest: "the renderers the server has (server/rest/report-formats.ts): the document as JSON, CSV, HTML or PDF" },
  "POST /api/reports/custom format": { rest: "the renderers the server has (server/rest/report-formats.ts): the document as JSON, CSV, HTML or PDF" },
  "GET /api/reports/team-performance business_hours_only": { rest: "a yes/no flag in a query string, spelled true or false (the function's boolean argument)" },
  "GET /api/reports/agent-performance business_hours_only": { rest: "a yes/no flag in a query string, spelled true or false (the function's boolean argument)" },
  "GET /api/reports/call-analytics business_hours_only": { rest: "a yes/no flag in a query string, spelled true or false (the function's boolean argument)" },
  "GET /api/reports/productivity business_hours_only": { rest: "a yes/no flag in a query string, spelled true or false (the function's boolean argument)" },
};

/** The values a column's CHECK constraint allows. */
async function allowedByCheck(table: string, column: string) {
  const { rows } = await db.owner.query<{ def: string }>(
    `select pg_get_constraintdef(oid) as def from pg_constraint where conrelid = ('app_public.' || $1)::regclass and conname = $1 || '_' || $2 || '_check'`,
    [table, column],
  );
  if (!rows[0]) throw new Error(`no CHECK constraint ${table}_${column}_check`);
  return [...rows[0].def.matchAll(/'([a-z_]+)'::text/g)].map((m) => m[1]!).sort();
}

/** Whether a search accepts a sort (CC714 when it does not), as a manager. */
async function sortAccepted(sql: string, sort: string) {
  const client = await db.owner.connect();
  try {
    await client.query("begin");
    await client.query("select set_config('request.jwt.claims', $1, true)", [JSON.stringify({ email: "nobody@example.com", role: "manager" })]);
    await client.query(sql, [sort]);
    return true;
  } catch (e) {
    if ((e as { code?: string }).code === "CC714") return false;
    throw e;
  } finally {
    await client.query("rollback");
    client.release();
  }
}

it("names the SQL rule behind every enum the document gives, and no enum that is gone", () => {
  const documented = [...documentedEnums().keys()].sort();
  expect(documented).toEqual(Object.keys(SOURCES).sort());
});

describe.each(Object.entries(SOURCES))("%s", (key, source) => {
  it("holds exactly the values SQL allows", async () => {
    const values = [...documentedEnums().get(key)!].sort();
    if ("check" in source) {
      const allowed = await allowedByCheck(...source.check);
      if (source.only) expect(values.filter((v) => !allowed.includes(v))).toEqual([]);
      else expect(values).toEqual(allowed);
    } else if ("sorts" in source) {
      for (const sort of values) expect([sort, await sortAccepted(source.sorts, sort)]).toEqual([sort, true]);
      expect(await sortAccepted(source.sorts, "caller_number")).toBe(false);
    } else {
      expect(source.rest.length).toBeGreaterThan(10);
    }
  });
});
