import { z } from "zod";

/**
 * The one shape every report has, whatever asked for it (GraphQL, REST, a
 * scheduled run) and whatever it becomes (JSON, CSV, HTML, PDF, e-mail, SMS).
 *
 * The SQL report functions (`app_public.report_*`) return this document as
 * jsonb; the renderers read nothing else. Keys are snake_case because they
 * come from SQL; figures keep the names of docs/kpi-definitions.md.
 */

/** How a value is shown: a count, a percentage (0–100), seconds, a date… */
export const reportValueType = z.enum([
  "text",
  "int",
  "number",
  "pct",
  "seconds",
  "money",
  "date",
  "datetime",
  "bool",
]);
export type ReportValueType = z.infer<typeof reportValueType>;

/** A headline figure of the one-page summary. */
export const reportSummaryItem = z.object({
  key: z.string(),
  label: z.string(),
  value: z.number().nullable(),
  type: reportValueType,
  /** The figure's goal, when one is set (service-level goal, a target). */
  goal: z.number().nullable().optional(),
  /** ok / behind (worse than its goal) / provisional (may still change) / null: no judgement. */
  status: z.enum(["ok", "behind", "provisional"]).nullable().optional(),
  /** One short sentence for people ("3 agents below their AHT goal"). */
  note: z.string().nullable().optional(),
});

export const reportColumn = z.object({
  key: z.string(),
  label: z.string(),
  type: reportValueType,
});

/**
 * A table of the detail. A row is an object keyed by column key. A cell
 * hidden by small-cell suppression is null and its key is listed in the
 * row's `suppressed` array; a provisional figure's key is in `provisional`;
 * a figure more than 2 standard deviations from its own history is in
 * `flagged`.
 */
export const reportRow = z
  .object({
    suppressed: z.array(z.string()).optional(),
    provisional: z.array(z.string()).optional(),
    flagged: z.array(z.string()).optional(),
  })
  .catchall(z.unknown());

export const reportSection = z.object({
  key: z.string(),
  title: z.string(),
  columns: z.array(reportColumn),
  rows: z.array(reportRow),
  /** Sentences shown under the table (what a suppression or a limit means). */
  notes: z.array(z.string()).optional(),
});

/**
 * A chart, as data and intent; the renderer turns it into a vega-lite
 * specification. `kind`:
 * - line: a trend over `x` (temporal or ordinal), one line per `series` value;
 * - bar: values per category (`x` ordinal);
 * - histogram: counts per bucket (`x` ordinal buckets in data order, e.g. wait-time bands);
 * `goal` draws a horizontal rule at that `y` (service level against its goal).
 */
export const reportChart = z.object({
  key: z.string(),
  title: z.string(),
  kind: z.enum(["line", "bar", "histogram"]),
  x: z.object({ field: z.string(), title: z.string(), type: z.enum(["temporal", "ordinal", "quantitative"]) }),
  y: z.object({ field: z.string(), title: z.string(), type: reportValueType }),
  series: z.string().nullable().optional(),
  goal: z.number().nullable().optional(),
  data: z.array(z.record(z.string(), z.unknown())),
});

/** Why a report's figures may be incomplete (ingestion stalled, recount pending, PBX clock offset). */
export const reportWarning = z.object({ code: z.string(), message: z.string() });

export const reportDocument = z.object({
  /** agent_performance, team_performance, call_analytics, productivity, custom */
  report: z.string(),
  title: z.string(),
  range: z.object({ from: z.string(), to: z.string() }),
  /** The filters as applied (location, agent, business_hours_only, …), for the page's header. */
  filters: z.record(z.string(), z.unknown()),
  generated_at: z.string(),
  timezone: z.string(),
  /** Empty when the figures are complete. */
  warnings: z.array(reportWarning),
  summary: z.array(reportSummaryItem),
  sections: z.array(reportSection),
  charts: z.array(reportChart),
});
export type ReportDocument = z.infer<typeof reportDocument>;
