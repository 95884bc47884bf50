/**
 * The one adapter between scheduled runs and the reports themselves (issue 20's SQL report functions and
 * renderers): a run's row → the SQL report function named by its report (`app_public.report_<report>`), called
 * under the row rules of the person the run is produced for → a report document (server/reports/report-document.ts)
 * with the incomplete-data warnings added → the rendered file, e-mail and SMS text.
 *
 * The renderers are issue 20's (server/reports/render/: the e-mail HTML with charts as inline PNG, CSV, the page
 * printed to PDF by headless Chromium); this is the one place the worker imports them. A report whose SQL
 * function is not in this database yet gets a STAND-IN document built from teamKpisForRange (standInDocument,
 * titled "(stand-in)"), so a schedule of it still runs rather than failing.
 */
import type { PoolClient } from "pg";
import type { JobHelpers } from "graphile-worker";
import { reportDocument, type ReportDocument } from "../../server/reports/report-document.js";
import { workerJobSettings } from "../with-worker-role.js";
import { applySettings } from "../../db/pg-settings.js";
import { reportEmail } from "../../server/reports/render/email.js";
import { reportHtml } from "../../server/reports/render/html.js";
import { reportCsv } from "../../server/reports/render/csv.js";
import { closePdfPrinter, reportPdf } from "../../server/reports/render/pdf.js";

export interface ReportRenderer {
  /** The e-mail body: HTML whose charts are `<img src="cid:…">`, and those PNGs. */
  email(doc: ReportDocument): Promise<{ html: string; images: { cid: string; filename: string; png: Buffer }[] }>;
  html(doc: ReportDocument): Promise<string>;
  csv(doc: ReportDocument): string;
  pdf(doc: ReportDocument): Promise<Buffer>;
}

/** The renderers every run uses. */
export const renderer: ReportRenderer = {
  email: reportEmail,
  html: reportHtml,
  csv: (doc) => reportCsv(doc),
  pdf: async (doc) => reportPdf(await reportHtml(doc)),
};

/** Ends the headless Chromium the PDFs are printed with (started on the first PDF): at worker stop. */
export const closeRenderer = closePdfPrinter;

/** A run as app_private.start_report_run answers it. */
export interface RunToProduce {
  id: string;
  report: string;
  for_day: string;
  from_day: string;
  to_day: string;
  filters: { location?: string; agent?: string; business_hours_only?: boolean };
  format: "pdf" | "csv" | "html";
  channel: "email" | "sms";
  schedule_name: string | null;
  timezone: string;
  attempts: number;
  /** Who it is produced as: {sub, email, role}, or {role: "manager"} for the default schedule. */
  claims: Record<string, unknown>;
}

const REPORT_TITLES: Record<string, string> = {
  team_performance: "Team performance",
  agent_performance: "Agent performance",
  call_analytics: "Call analytics",
  productivity: "Productivity",
};

/** Runs fn in its own transaction as app_visitor with the run's claims: the report sees what its person may see. */
async function asRunPerson<T>(helpers: JobHelpers, claims: Record<string, unknown>, fn: (c: PoolClient) => Promise<T>): Promise<T> {
  return helpers.withPgClient(async (client) => {
    const c = client as PoolClient;
    await c.query("begin");
    try {
      await applySettings(c, { ...workerJobSettings(), role: "app_visitor", "request.jwt.claims": JSON.stringify(claims) });
      const result = await fn(c);
      await c.query("commit");
      return result;
    } catch (e) {
      await c.query("rollback");
      throw e;
    }
  });
}

/** STAND-IN document (until issue 20's report functions are merged): the team figures of the range. */
async function standInDocument(c: PoolClient, run: RunToProduce): Promise<ReportDocument> {
  const { rows } = await c.query(
    `select location, calls_handled, calls_missed, aht_seconds, fcr_pct, utilization_pct
       from app_public.team_kpis_for_range($1::date, $2::date, $3) order by location nulls first`,
    [run.from_day, run.to_day, run.filters.location ?? null],
  );
  const practice = rows.find((r) => r.location === null) ?? rows[0];
  const n = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  return {
    report: run.report,
    title: `${REPORT_TITLES[run.report] ?? run.report} (stand-in)`,
    range: { from: run.from_day, to: run.to_day },
    filters: run.filters,
    generated_at: new Date().toISOString(),
    timezone: run.timezone,
    warnings: [],
    summary: [
      { key: "calls_handled", label: "Calls handled", value: n(practice?.calls_handled), type: "int" },
      { key: "calls_missed", label: "Calls missed", value: n(practice?.calls_missed), type: "int" },
      { key: "aht_seconds", label: "Average handle time", value: n(practice?.aht_seconds), type: "seconds" },
      { key: "fcr_pct", label: "First-call resolution", value: n(practice?.fcr_pct), type: "pct" },
    ],
    sections: [
      {
        key: "locations",
        title: "By location",
        columns: [
          { key: "location", label: "Location", type: "text" },
          { key: "calls_handled", label: "Calls handled", type: "int" },
          { key: "calls_missed", label: "Calls missed", type: "int" },
          { key: "aht_seconds", label: "AHT", type: "seconds" },
          { key: "utilization_pct", label: "Utilization", type: "pct" },
        ],
        rows: rows.map((r) => ({ ...r, location: r.location ?? "Practice" })),
      },
    ],
    charts: [
      {
        key: "calls_by_location",
        title: "Calls handled by location",
        kind: "bar",
        x: { field: "location", title: "Location", type: "ordinal" },
        y: { field: "calls_handled", title: "Calls handled", type: "int" },
        data: rows.filter((r) => r.location !== null).map((r) => ({ location: r.location, calls_handled: n(r.calls_handled) })),
      },
    ],
  };
}

/**
 * The run's document: the report function `app_public.report_<report>(from_day, to_day, location,
 * business_hours_only)` as the run's person, with the incomplete-data warnings (app_private.report_data_warnings)
 * added to whatever the report itself says.
 */
export async function produceDocument(helpers: JobHelpers, run: RunToProduce, stallMinutes: number): Promise<ReportDocument> {
  const fn = `app_public.report_${run.report}`;
  const raw = await asRunPerson(helpers, run.claims, async (c) => {
    const found = (await c.query("select p.proargnames as names from pg_proc p where p.oid = to_regproc($1)", [fn])).rows[0] as { names: string[] | null } | undefined;
    if (!found) return standInDocument(c, run);
    // The function's own argument names pick what it is given (agent_performance takes agent, the others
    // location); the report name is one of four (a CHECK on report_runs.report) and the argument names come
    // from this list, never from the client's text.
    const values: Record<string, [unknown, string]> = {
      from_day: [run.from_day, "date"],
      to_day: [run.to_day, "date"],
      location: [run.filters.location ?? null, "text"],
      agent: [run.filters.agent ?? null, "text"],
      business_hours_only: [run.filters.business_hours_only ?? false, "boolean"],
    };
    const names = (found.names ?? []).filter((n) => n in values);
    const args = names.map((n, i) => `${n} => $${i + 1}::${values[n]![1]}`).join(", ");
    const { rows } = await c.query(`select ${fn}(${args}) as doc`, names.map((n) => values[n]![0]));
    return rows[0].doc as unknown;
  });
  const doc = reportDocument.parse(raw);
  const warnings = await helpers.withPgClient(async (client) => {
    const { rows } = await client.query("select app_private.report_data_warnings($1::date, $2::date, $3, $4) as w", [
      run.from_day, run.to_day, run.filters.location ?? null, stallMinutes,
    ]);
    return rows[0].w as { code: string; message: string }[];
  });
  const known = new Set(doc.warnings.map((w) => w.code));
  return { ...doc, warnings: [...doc.warnings, ...warnings.filter((w) => !known.has(w.code))] };
}

/** The file a run stores and attaches: its format's rendering of the document. */
export async function renderFile(doc: ReportDocument, run: Pick<RunToProduce, "report" | "for_day" | "format">) {
  const base = `${run.report.replace(/_/g, "-")}-${run.for_day}`;
  switch (run.format) {
    case "csv":
      return { fileName: `${base}.csv`, contentType: "text/csv; charset=utf-8", bytes: Buffer.from(renderer.csv(doc), "utf8") };
    case "html":
      return { fileName: `${base}.html`, contentType: "text/html; charset=utf-8", bytes: Buffer.from(await renderer.html(doc), "utf8") };
    default:
      return { fileName: `${base}.pdf`, contentType: "application/pdf", bytes: await renderer.pdf(doc) };
  }
}

/** A title for people: "Daily team report, 2026-03-09" or "Team performance, 2026-03-01 – 2026-03-07". */
export function runTitle(doc: ReportDocument, run: Pick<RunToProduce, "schedule_name" | "from_day" | "to_day">): string {
  const days = run.from_day === run.to_day ? run.to_day : `${run.from_day} – ${run.to_day}`;
  return `${run.schedule_name ?? doc.title}, ${days}`;
}
