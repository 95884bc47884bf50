/**
 * A report route in each format (server/rest/report-formats.ts), on GET
 * /api/reports/team-performance: `?format=` and the Accept header, CSV only
 * for holders of exportData (asked of the database: authorizeDataExport),
 * file names, a refused format, a PDF without Chromium, and the OpenAPI
 * document listing the formats.
 *
 * Tuesday 10 March 2026, AA Front (Ann Arbor): two calls answered by 101
 * (agent.aa), one by 201 (agent.wx) on WX Front (Wixom).
 */
import { runJobs } from "../helpers/jobs.js";
import { createTestDatabase, type TestDatabase } from "../helpers/db.js";
import { createCast, type Cast } from "../helpers/users.js";
import { signToken, startTestServer, type TestServer } from "../helpers/server.js";
import { talk } from "../helpers/calls.js";
import { restClient, type RestClient } from "../helpers/rest.js";
import { parse as parseCsv } from "csv-parse/sync";
import { reportDocument } from "../../server/reports/report-document.js";
import { findChromium } from "../../server/reports/render/pdf.js";
import { REST_ROUTES } from "../../server/rest/routes.js";

let db: TestDatabase;
let server: TestServer;
let rest: RestClient;
let cast: Cast;
const after = (at: string, s: number) => new Date(Date.parse(at) + s * 1000).toISOString();
const answered = (id: string, queue: string, agent: string, at: string, wait: number) =>
  talk(id, agent, at, after(at, wait), after(at, 60), { called: queue, queue });

beforeAll(async () => {
  db = await createTestDatabase();
  cast = await createCast(db.owner);
  await db.owner.query(`insert into app_public.queues (name, extension, location_name) values ('AA Front', '800', 'Ann Arbor'), ('WX Front', '810', 'Wixom')`);
  await db.owner.query(`insert into app_public.agents (extension, user_email, location_name) values ('101', $1, 'Ann Arbor'), ('201', $2, 'Wixom')`, [
    cast.agentAA.email, cast.agentWX.email,
  ]);
  await db.owner.query("select app_private.ingest_calls($1::jsonb)", [JSON.stringify([
    answered("A1", "800", "101", "2026-03-10T14:00:00Z", 5),
    answered("A2", "800", "101", "2026-03-10T14:05:00Z", 15),
    answered("W1", "810", "201", "2026-03-10T15:00:00Z", 5),
  ])]);
  await runJobs(db);
  server = await startTestServer(db.authenticatorUrl);
  rest = await restClient(server);
});
afterAll(async () => {
  await server.close();
  await db.drop();
});

const PATH = "/api/reports/team-performance?from=2026-03-10&to=2026-03-10";
const token = (who: keyof Cast) => signToken({ email: cast[who].email });
async function fetchAs(who: keyof Cast, path: string, accept?: string, base = server.url) {
  const res = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${await token(who)}`, ...(accept ? { accept } : {}) } });
  return { status: res.status, type: res.headers.get("content-type") ?? "", disposition: res.headers.get("content-disposition"), headers: res.headers, body: Buffer.from(await res.arrayBuffer()) };
}

describe("choosing the format", () => {
  it("answers the report document as JSON without a format, for ?format=json and for Accept: application/json", async () => {
    const plain = await rest.get(PATH, await token("manager"));
    expect(plain.status).toBe(200);
    const doc = reportDocument.parse(plain.body);
    expect(doc.report).toBe("team_performance");
    const asked = await rest.get(`${PATH}&format=json`, await token("manager"));
    const accepted = await fetchAs("manager", PATH, "application/json");
    expect(accepted.type).toMatch(/^application\/json/);
    expect({ ...asked.body, generated_at: null }).toEqual({ ...plain.body, generated_at: null });
    expect({ ...JSON.parse(accepted.body.toString("utf8")), generated_at: null }).toEqual({ ...plain.body, generated_at: null });
  });

  it("answers HTML for ?format=html and for a browser's Accept header, inline with a file name", async () => {
    for (const [path, accept] of [[`${PATH}&format=html`, undefined], [PATH, "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"]] as const) {
      const res = await fetchAs("supervisorAA", path, accept);
      expect([res.status, res.type]).toEqual([200, "text/html; charset=utf-8"]);
      expect(res.disposition).toBe('inline; filename="team-performance-2026-03-10.html"');
      expect(res.headers.get("cache-control")).toBe("private, no-store");
      const html = res.body.toString("utf8");
      expect(html).toMatch(/^<!DOCTYPE html>/);
      expect(html).toContain("<h1");
      expect(html).toContain(">Summary<");
      expect(html).not.toContain("<script");
    }
  });

  it("refuses an unknown format with 400 naming it, and an Accept header it cannot meet with 406; nothing else runs", async () => {
    const res = await rest.get(`${PATH}&format=xml`, await token("manager"));
    expect([res.status, res.body.error.code, res.body.error.field]).toEqual([400, "INVALID_INPUT", "format"]);
    expect(res.body.error.message).toBe("format: one of json, csv, html, pdf.");
    const none = await fetchAs("manager", PATH, "image/png");
    expect([none.status, JSON.parse(none.body.toString("utf8")).error.code]).toEqual([406, "NOT_ACCEPTABLE"]);
    // The route's own checks still hold: a bad day is 400 whatever the format.
    const bad = await rest.get("/api/reports/team-performance?from=2026-03-32&to=2026-03-10&format=csv", await token("manager"));
    expect([bad.status, bad.body.error.field]).toEqual([400, "from"]);
    expect((await rest.get(`${PATH}&format=html`)).status).toBe(401);
  });

  it("takes section only with CSV", async () => {
    const res = await rest.get(`${PATH}&format=html&section=agents`, await token("manager"));
    expect([res.status, res.body.error.code, res.body.error.field]).toEqual([400, "CC992", "section"]);
  });
});

describe("CSV: only for exportData", () => {
  it("gives a manager the first section, or the one named, as an attachment", async () => {
    const res = await fetchAs("manager", `${PATH}&format=csv`);
    expect([res.status, res.type]).toEqual([200, "text/csv; charset=utf-8"]);
    const doc = reportDocument.parse((await rest.get(PATH, await token("manager"))).body);
    const first = doc.sections[0]!;
    expect(res.disposition).toBe(`attachment; filename="team-performance-2026-03-10-${first.key.replace(/_/g, "-")}.csv"`);
    expect(res.headers.get("x-report-sections")).toBe(doc.sections.map((s) => s.key).join(", "));
    const rows = parseCsv(res.body, { bom: true }) as string[][];
    expect(rows[0]).toEqual(first.columns.map((c) => c.label));
    expect(rows).toHaveLength(1 + first.rows.length);
    const agents = parseCsv((await fetchAs("manager", `${PATH}&section=agents`, "text/csv")).body, { bom: true }) as string[][];
    const section = doc.sections.find((s) => s.key === "agents")!;
    expect(agents[0]).toEqual(section.columns.map((c) => c.label));
    expect(agents.slice(1).map((r) => r[section.columns.findIndex((c) => c.key === "agent_extension")]).sort()).toEqual(["101", "201"]);
  });

  it("refuses a section the report does not have, naming those it has", async () => {
    const res = await rest.get(`${PATH}&format=csv&section=nope`, await token("manager"));
    expect([res.status, res.body.error.code, res.body.error.field]).toEqual([400, "CC992", "section"]);
    expect(res.body.error.message).toContain("agents");
  });

  it("refuses a supervisor (no exportData) with 403, though the same report as JSON or HTML is theirs", async () => {
    const res = await rest.get(`${PATH}&format=csv`, await token("supervisorAA"));
    expect([res.status, res.body.error.code]).toEqual([403, "FORBIDDEN"]);
    expect(res.body.error.message).toBe("Exporting data (CSV) needs the exportData permission.");
    expect((await fetchAs("supervisorAA", PATH, "text/csv")).status).toBe(403);
    expect((await rest.get(PATH, await token("supervisorAA"))).status).toBe(200);
    // An agent may not see the report at all.
    expect((await rest.get(`${PATH}&format=csv`, await token("agentAA"))).status).toBe(403);
  });

  it("follows the database: an extra grant of exportData opens CSV, a lapsed one does not", async () => {
    await db.owner.query("insert into app_public.user_permissions (user_id, permission, expires_at) values ($1, 'exportData', now() - interval '1 day')", [cast.supervisorWX.userId]);
    expect((await fetchAs("supervisorWX", `${PATH}&location=Wixom&format=csv`)).status).toBe(403);
    await db.owner.query("update app_public.user_permissions set expires_at = null where user_id = $1 and permission = 'exportData'", [cast.supervisorWX.userId]);
    const res = await fetchAs("supervisorWX", `${PATH}&location=Wixom&format=csv`);
    expect(res.status).toBe(200);
    const rows = parseCsv((await fetchAs("supervisorWX", `${PATH}&location=Wixom&format=csv&section=agents`)).body, { bom: true }) as string[][];
    expect(rows.slice(1).map((r) => r[1])).toEqual(["201"]);
  });

  it("is the same rule over GraphQL: authorizeDataExport", async () => {
    const yes = await server.graphql("{ authorizeDataExport }", await token("manager"));
    expect(yes.body.data).toEqual({ authorizeDataExport: true });
    const no = await server.graphql("{ authorizeDataExport }", await token("supervisorAA"));
    expect(no.body.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
  });
});

describe("PDF", () => {
  const chromium = findChromium();
  // With CI=true this runs (and fails) without Chromium, as render-chromium.test.ts does.
  (chromium || process.env.CI === "true" ? it : it.skip)("prints the page as an attachment", async () => {
    const res = await fetchAs("manager", `${PATH}&format=pdf`);
    expect([res.status, res.type]).toEqual([200, "application/pdf"]);
    expect(res.disposition).toBe('attachment; filename="team-performance-2026-03-10.pdf"');
    expect(res.body.subarray(0, 5).toString("latin1")).toBe("%PDF-");
    expect((await fetchAs("manager", PATH, "application/pdf")).type).toBe("application/pdf");
  });

  it("answers 503 with the reason when there is no Chromium", async () => {
    const noChromium = await startTestServer(db.authenticatorUrl, { env: { CHROMIUM_PATH: "/nonexistent/chromium" } });
    try {
      const res = await fetchAs("manager", `${PATH}&format=pdf`, undefined, noChromium.url);
      expect(res.status).toBe(503);
      const { error } = JSON.parse(res.body.toString("utf8"));
      expect(error.code).toBe("CC991");
      expect(error.message).toMatch(/^PDF needs chromium: install Debian package chromium or set CHROMIUM_PATH/);
    } finally {
      await noChromium.close();
    }
  });
});

describe("every report route", () => {
  /** What a route needs beside its range (a GET's query, a POST's body). */
  const EXTRA: Record<string, Record<string, unknown>> = {
    "/api/reports/agent-performance": { agent: "101" },
    "/api/reports/custom": { kpis: ["offered", "service_level_pct"], group_by: ["location"] },
  };
  const routes = REST_ROUTES.filter((r) => "document" in r.answer).map((r) => [`${r.method.toUpperCase()} ${r.path}`, r] as const);
  it.each(routes)("%s answers its document as HTML and its first section as CSV", async (_name, route) => {
    const params = { from: "2026-03-10", to: "2026-03-10", ...EXTRA[route.path] };
    const ask = async (format: string) => {
      const headers = { authorization: `Bearer ${await token("manager")}`, "content-type": "application/json" };
      const res =
        route.method === "get"
          ? await fetch(`${server.url}${route.path}?${new URLSearchParams(params as Record<string, string>)}&format=${format}`, { headers })
          : await fetch(`${server.url}${route.path}?format=${format}`, { method: route.method.toUpperCase(), headers, body: JSON.stringify(params) });
      return { status: res.status, text: await res.text() };
    };
    const json = await ask("json");
    expect(json.status).toBe(200);
    const doc = reportDocument.parse(JSON.parse(json.text));
    const html = await ask("html");
    expect(html.status).toBe(200);
    expect(html.text).toContain(doc.title.replace(/&/g, "&#38;"));
    expect(html.text.match(/<svg /g)?.length ?? 0).toBe(doc.charts.length);
    const csv = await ask("csv");
    expect(csv.status).toBe(200);
    expect((parseCsv(csv.text, { bom: true }) as string[][])[0]).toEqual(doc.sections[0]!.columns.map((c) => c.label));
  });
});

describe("the OpenAPI document", () => {
  it("lists the formats, their parameters and refusals", () => {
    const op = rest.openapi.paths["/api/reports/team-performance"].get;
    expect(Object.keys(op.responses["200"].content)).toEqual(["application/json", "text/csv", "text/html", "application/pdf"]);
    expect(op.parameters.map((p: { name: string }) => p.name)).toEqual(expect.arrayContaining(["from", "to", "format", "section"]));
    expect(op.parameters.find((p: { name: string }) => p.name === "format").schema.enum).toEqual(["json", "csv", "html", "pdf"]);
    expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(["400", "403", "406", "503"]));
    // Other routes keep JSON only.
    expect(Object.keys(rest.openapi.paths["/api/team-metrics"].get.responses["200"].content)).toEqual(["application/json"]);
  });
});
