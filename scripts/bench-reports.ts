/**
 * `npm run bench:reports [-- --requests 20 --warmup 3 --days 35 --volume 1000 --calls 3000000 --only team]`
 *
 * The reports of a month for the practice's 60 agents, in each format
 * (JSON, CSV, HTML, PDF), on a throw-away embedded database holding the demo
 * data (`npm run seed:demo`'s practice, `--days` of it, loaded as bench:api
 * loads it: scripts/lib/seed-demo.ts), and with `--calls N` also N
 * synthetic calls over the two years before its last day
 * (scripts/lib/load-calls.ts, then recounted). Each report route of
 * server/rest/routes.ts (a `document` answer) with a sample below is asked
 * over HTTP of `npm run server` alone, in production mode, as the demo
 * manager, for the last 30 days of the data: one format after another in
 * turn, one request at a time, after a warm-up. Beside each, the renderer
 * alone on the same document, in this process (no SQL, no HTTP).
 * Prints p50 / p95 per report and format and a markdown table.
 * Aims (issue 20): JSON, CSV and HTML under 1 s, PDF under 3 s (p95).
 */
import { randomBytes } from "node:crypto";
import { parseArgs } from "node:util";
import { SignJWT } from "jose";
import pg from "pg";
import { z } from "zod";
import { OWN_ISSUER } from "../lib/jwt-secret.js";
import { makeLogger } from "../lib/logger.js";
import { reportDocument, type ReportDocument } from "../server/reports/report-document.js";
import { reportCsv } from "../server/reports/render/csv.js";
import { reportHtml } from "../server/reports/render/html.js";
import { closePdfPrinter, findChromium, reportPdf } from "../server/reports/render/pdf.js";
import { REST_ROUTES } from "../server/rest/routes.js";
import { AGENTS, QUEUES } from "../simulator/practice.js";
import { Clock } from "../simulator/clock.js";
import { percentile, startServer, type RunningServer } from "./lib/bench-processes.js";
import { loadCalls } from "./lib/load-calls.js";
import { fmt, machine, openScratchDatabase } from "./lib/scratch-database.js";
import { demoPeople, seedDemo } from "./lib/seed-demo.js";

const { values } = parseArgs({
  options: {
    requests: { type: "string", default: "20" },
    warmup: { type: "string", default: "3" },
    days: { type: "string", default: "35" },
    volume: { type: "string", default: "1000" },
    calls: { type: "string" },
    only: { type: "string" },
  },
});
const opts = z
  .object({
    requests: z.coerce.number().int().min(5),
    warmup: z.coerce.number().int().min(0),
    days: z.coerce.number().int().min(31).max(3660),
    volume: z.coerce.number().int().min(50),
    calls: z.coerce.number().int().min(10_000).optional(),
    only: z.string().optional(),
  })
  .parse(values);

const FORMATS = ["json", "csv", "html", "pdf"] as const;
type Format = (typeof FORMATS)[number];
const AIM_MS: Record<Format, number> = { json: 1000, csv: 1000, html: 1000, pdf: 3000 };
/** What each report path is asked beside its range (a report without a sample here is listed as not measured). */
const SAMPLES: Record<string, (end: string) => Record<string, unknown>> = {
  "/api/reports/team-performance": () => ({}),
  "/api/reports/productivity": () => ({}),
  "/api/reports/call-analytics": () => ({}),
  "/api/reports/agent-performance": () => ({ agent: AGENTS[0]!.email }),
  // A POST's sample is its body beside the range: the queue KPIs a manager asks most, by location and day.
  "/api/reports/custom": () => ({ kpis: ["offered", "answered", "service_level_pct", "abandonment_rate_pct", "asa_seconds"], group_by: ["location", "day"] }),
};

const say = (s: string) => process.stdout.write(`${s}\n`);
const note = (s: string) => process.stderr.write(`${s}\n`);
const stats = (ms: number[]) => {
  const sorted = [...ms].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p95: percentile(sorted, 95) };
};
const JWT_SECRET = randomBytes(32).toString("base64url");
const SERVER_ENV: Record<string, string> = { JWT_SECRET, RATE_LIMIT_PER_MINUTE: String(Number.MAX_SAFE_INTEGER), LOG_LEVEL: "info", GRAPHILE_ENV: "production" };

if (!findChromium()) {
  note("bench:reports needs chromium for the PDFs: apt-get install -y chromium (or set CHROMIUM_PATH)");
  process.exit(1);
}

const db = await openScratchDatabase();
const root = new pg.Pool({ connectionString: db.rootUrl, max: 1 });
root.on("error", () => undefined);
let server: RunningServer | undefined;
try {
  const pgVersion = (await root.query<{ v: string }>("select split_part(version(), ' ', 2) as v")).rows[0]!.v;
  say(`# bench:reports on ${machine()}, PostgreSQL ${pgVersion}, ${new Date().toISOString().slice(0, 10)}`);

  const seeded = await seedDemo(
    { ownerUrl: db.ownerUrl, env: db.env, logger: makeLogger("warn"), progress: (line) => note(`seed: ${line}`) },
    { days: opts.days, volume: opts.volume, seed: 1, force: false },
  );
  let sizeLine = `data: the demo (${opts.days} days to ${seeded.end}, about ${opts.volume} inbound calls a weekday, ${AGENTS.length} agents): ${seeded.totals.calls.toLocaleString("en-US")} calls`;
  if (opts.calls) {
    const days = 730;
    const firstDay = Clock.addDays(seeded.end, -(days - 1));
    const rc = await root.connect();
    try {
      const loaded = await loadCalls(rc, { calls: opts.calls, days, firstDay, queues: QUEUES.map((q) => q.name), agents: AGENTS.map((a) => a.extension), progress: note });
      const t0 = performance.now();
      await rc.query("select app_private.recount_kpis($1, $2)", [firstDay, seeded.end]);
      sizeLine += `; plus ${loaded.calls.toLocaleString("en-US")} synthetic calls over ${days} days from ${firstDay}, figures recounted in ${fmt((performance.now() - t0) / 1000, 0)} s`;
    } finally {
      rc.release();
    }
  }
  say(sizeLine);
  await root.query("analyze");

  const from = Clock.addDays(seeded.end, -29);
  const manager = demoPeople(db.env.ALLOWED_EMAIL_DOMAIN).manager.email;
  server = await startServer(db, SERVER_ENV);
  const token = await new SignJWT({ email: manager, email_verified: true })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setIssuer(OWN_ISSUER)
    .setIssuedAt()
    .setExpirationTime("11h")
    .sign(new TextEncoder().encode(JWT_SECRET));
  say(`server: npm run server alone, GRAPHILE_ENV=production, LOG_LEVEL=info; as manager ${manager}; range ${from} to ${seeded.end} (30 days)`);
  say(`${opts.warmup} warm-up then ${opts.requests} requests per report and format, one at a time, the formats in turn`);

  const reports = REST_ROUTES.filter((r) => "document" in r.answer && (!opts.only || r.path.includes(opts.only)));
  const unmeasured = reports.filter((r) => !SAMPLES[r.path]).map((r) => `${r.path} (no sample in scripts/bench-reports.ts)`);
  if (unmeasured.length) say(`not measured: ${unmeasured.join(", ")}`);

  const rows: string[] = [];
  let missed = 0;
  for (const route of reports.filter((r) => SAMPLES[r.path])) {
    const params = { from, to: seeded.end, ...SAMPLES[route.path]!(seeded.end) };
    const headers = { authorization: `Bearer ${token}`, "content-type": "application/json" };
    // A GET takes its parameters in the query; a POST (the custom report) in its JSON body. The format is a query parameter for both.
    const ask = async (format: Format) => {
      const t0 = performance.now();
      const res =
        route.method === "get"
          ? await fetch(`${server!.url}${route.path}?${new URLSearchParams(params as Record<string, string>)}&format=${format}`, { headers })
          : await fetch(`${server!.url}${route.path}?format=${format}`, { method: route.method.toUpperCase(), headers, body: JSON.stringify(params) });
      const body = Buffer.from(await res.arrayBuffer());
      const ms = performance.now() - t0;
      if (res.status !== 200) throw new Error(`${route.path} as ${format}: ${res.status} ${body.toString("utf8").slice(0, 300)}`);
      return { ms, bytes: body.length, body };
    };
    const doc: ReportDocument = reportDocument.parse(JSON.parse((await ask("json")).body.toString("utf8")));
    const shape = `${doc.sections.map((s) => `${s.key} ${s.rows.length}`).join(", ")}; ${doc.charts.length} charts (${doc.charts.map((c) => c.data.length).join("+")} points)`;
    const times: Record<Format, number[]> = { json: [], csv: [], html: [], pdf: [] };
    const bytes: Record<Format, number> = { json: 0, csv: 0, html: 0, pdf: 0 };
    for (let i = 0; i < opts.warmup + opts.requests; i++) {
      for (let k = 0; k < FORMATS.length; k++) {
        const format = FORMATS[(i + k) % FORMATS.length]!;
        const r = await ask(format);
        bytes[format] = r.bytes;
        if (i >= opts.warmup) times[format].push(r.ms);
      }
    }
    // The renderer alone, on the same document, in this process.
    const renderers: Record<Exclude<Format, "json">, () => Promise<unknown>> = {
      csv: async () => reportCsv(doc),
      html: () => reportHtml(doc),
      pdf: async () => reportPdf(await reportHtml(doc)),
    };
    const alone: Partial<Record<Format, number[]>> = {};
    for (const [format, render] of Object.entries(renderers) as Array<[Exclude<Format, "json">, () => Promise<unknown>]>) {
      alone[format] = [];
      for (let i = 0; i < opts.warmup + opts.requests; i++) {
        const t0 = performance.now();
        await render();
        if (i >= opts.warmup) alone[format].push(performance.now() - t0);
      }
    }
    say(`${route.path}: ${shape}`);
    for (const format of FORMATS) {
      const s = stats(times[format]);
      const r = alone[format] ? stats(alone[format]) : undefined;
      const ok = s.p95 < AIM_MS[format];
      if (!ok) missed++;
      const line = `${route.path.replace("/api/reports/", "")} | ${format} | ${fmt(s.p50, 0)} / ${fmt(s.p95, 0)} | ${r ? `${fmt(r.p50, 0)} / ${fmt(r.p95, 0)}` : "–"} | ${fmt(bytes[format] / 1024, 0)} kB | < ${AIM_MS[format]} ms: ${ok ? "met" : "MISSED"}`;
      rows.push(line);
      note(line);
    }
  }
  say("");
  say("report | format | HTTP p50 / p95 ms | renderer alone p50 / p95 ms | size | aim (p95)");
  say("---|---|---|---|---|---");
  for (const r of rows) say(r);
  say("");
  say(missed ? `${missed} aim(s) missed` : "every aim met");
} finally {
  await closePdfPrinter();
  await server?.stop().catch(() => undefined);
  await root.end();
  await db.close();
}
