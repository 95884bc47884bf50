/**
 * A report document as one HTML page made for people: the warnings first
 * when the figures are incomplete, then a one-page summary (the headline
 * figures against their goals, and what is behind), the charts, then each
 * detail table on a page of its own when printed. Styles are inline (mail
 * clients drop most stylesheets); the only <style> holds what inline styles
 * cannot say: the printed page and its page breaks. No scripts.
 *
 * The charts arrive rendered (charts.ts): inline SVG for the web and PDF,
 * `<img src="cid:...">` for e-mail (email.ts).
 */
import type { ReportColumn, ReportDocument, ReportRow, ReportSection, ReportSummaryItem } from "./types.js";
import { chartSvg } from "./charts.js";
import { formatValue, formatWithGoal } from "./format.js";

/** A chart as the page shows it: its markup (an <svg> or an <img>). */
export interface RenderedChart {
  key: string;
  title: string;
  markup: string;
}

export function escapeHtml(text: unknown): string {
  return String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const FONT = "font-family:'DejaVu Sans',Verdana,Arial,Helvetica,sans-serif;";
const COLORS = { ink: "#1d2939", muted: "#475467", line: "#d0d5dd", head: "#f2f4f7", behind: "#b42318", ok: "#067647", provisional: "#b54708" };
const STATUS = {
  behind: { text: "Behind goal", color: COLORS.behind, bg: "#fef3f2" },
  ok: { text: "On goal", color: COLORS.ok, bg: "#ecfdf3" },
  provisional: { text: "Provisional", color: COLORS.provisional, bg: "#fffaeb" },
} as const;

/** What a marked cell means, shown under its table when a row has one. */
export const CELL_MARKS = {
  suppressed: "suppressed: fewer than 11 callers, hidden to protect patients' privacy",
  provisional: "* provisional: may still change (the first-call-resolution window is still open)",
  flagged: "! more than 2 standard deviations from its own history",
} as const;

/** The text shown for a suppressed cell. */
export const SUPPRESSED_TEXT = "suppressed";

const NUMERIC = new Set(["int", "number", "pct", "seconds", "money"]);

/**
 * A table of more columns than this is set smaller in columns of fixed shares of the page (text and days wider
 * than figures), so it fits the printed page instead of shrinking the whole document to fit it.
 */
export const WIDE_TABLE_COLUMNS = 9;
const COLUMN_WEIGHT: Partial<Record<ReportColumn["type"], number>> = { text: 2, date: 1.7, datetime: 2.4 };

const PRINT_CSS = `@page { size: Letter; margin: 12mm; }
@media print {
  .report-page { max-width: none !important; }
  body { margin: 0 !important; padding: 0 !important; }
  .report-section, .report-charts { break-before: page; page-break-before: always; }
  .report-chart, .report-tile, tr { break-inside: avoid; page-break-inside: avoid; }
  thead { display: table-header-group; }
  svg, img { max-width: 100%; height: auto; }
}`;

function filtersLine(filters: Record<string, unknown>): string {
  const parts = Object.entries(filters)
    .filter(([, v]) => v !== null && v !== undefined && v !== false && !(Array.isArray(v) && v.length === 0))
    .map(([k, v]) => `${k.replace(/_/g, " ")}: ${v === true ? "yes" : Array.isArray(v) ? v.join(", ") : typeof v === "object" ? JSON.stringify(v) : String(v)}`);
  return parts.length > 0 ? parts.join(" · ") : "all locations, all agents";
}

function warningsBox(doc: ReportDocument): string {
  if (doc.warnings.length === 0) return "";
  const items = doc.warnings.map((w) => `<li style="margin:2px 0">${escapeHtml(w.message)} <span style="color:${COLORS.muted}">(${escapeHtml(w.code)})</span></li>`).join("");
  return `<div class="report-warnings" role="alert" style="border:2px solid ${COLORS.behind};background:#fef3f2;color:${COLORS.behind};padding:10px 14px;margin:0 0 16px;border-radius:4px">
<strong style="font-size:15px">Figures incomplete:</strong> these figures may change once the following is resolved.
<ul style="margin:6px 0 0;padding-left:20px">${items}</ul></div>`;
}

function tile(item: ReportSummaryItem): string {
  const status = item.status ? STATUS[item.status] : undefined;
  const badge = status
    ? `<div style="display:inline-block;margin-top:4px;padding:1px 6px;border-radius:3px;font-size:11px;font-weight:bold;color:${status.color};background:${status.bg}">${status.text}</div>`
    : "";
  const goal = item.goal !== null && item.goal !== undefined ? `<div style="font-size:12px;color:${COLORS.muted}">goal ${escapeHtml(formatValue(item.goal, item.type))}</div>` : "";
  const note = item.note ? `<div style="font-size:12px;color:${COLORS.muted};margin-top:4px">${escapeHtml(item.note)}</div>` : "";
  return `<td class="report-tile" data-key="${escapeHtml(item.key)}" style="vertical-align:top;width:33%;padding:10px 12px;border:1px solid ${COLORS.line};background:#fff">
<div style="font-size:12px;color:${COLORS.muted};text-transform:uppercase;letter-spacing:.03em">${escapeHtml(item.label)}</div>
<div style="font-size:24px;font-weight:bold;color:${status?.color ?? COLORS.ink};margin-top:2px">${escapeHtml(formatValue(item.value, item.type))}</div>${goal}${badge}${note}</td>`;
}

function summaryBlock(doc: ReportDocument): string {
  if (doc.summary.length === 0) return "";
  const rows: string[] = [];
  for (let i = 0; i < doc.summary.length; i += 3) {
    const cells = doc.summary.slice(i, i + 3).map(tile);
    while (cells.length < 3) cells.push(`<td style="width:33%;border:0"></td>`);
    rows.push(`<tr>${cells.join("")}</tr>`);
  }
  const behind = doc.summary.filter((s) => s.status === "behind");
  const attention =
    behind.length > 0
      ? `<h3 style="font-size:15px;margin:16px 0 6px;color:${COLORS.behind}">Behind goal</h3><ul class="report-behind" style="margin:0;padding-left:20px">${behind
          .map(
            (s) =>
              `<li style="margin:3px 0"><strong>${escapeHtml(s.label)}</strong>: ${escapeHtml(formatWithGoal(s.value, s.type, s.goal))}${s.note ? ` — ${escapeHtml(s.note)}` : ""}</li>`,
          )
          .join("")}</ul>`
      : `<p class="report-behind" style="margin:16px 0 0;color:${COLORS.ok}">Every figure with a goal is on goal.</p>`;
  return `<div class="report-summary"><h2 style="font-size:18px;margin:0 0 8px">Summary</h2>
<table role="presentation" style="border-collapse:separate;border-spacing:6px;width:100%;margin:0 -6px">${rows.join("")}</table>${attention}</div>`;
}

function cell(row: ReportRow, column: ReportColumn, wide: boolean): string {
  const numeric = NUMERIC.has(column.type);
  // Figures never break; text may, so a table fits its page.
  const isText = column.type === "text";
  const base = `padding:${wide ? "3px 3px" : "4px 8px"};border-bottom:1px solid ${COLORS.line};text-align:${numeric ? "right" : "left"};${isText ? "overflow-wrap:anywhere;" : "white-space:nowrap;"}`;
  if (row.suppressed?.includes(column.key)) {
    return `<td class="cell-suppressed" style="${base}color:${COLORS.muted};font-style:italic">${SUPPRESSED_TEXT}</td>`;
  }
  const flagged = row.flagged?.includes(column.key);
  const provisional = row.provisional?.includes(column.key);
  const marks = `${provisional ? "*" : ""}${flagged ? "!" : ""}`;
  const classes = [provisional ? "cell-provisional" : "", flagged ? "cell-flagged" : ""].filter(Boolean).join(" ");
  const style = flagged ? `background:#fef3f2;color:${COLORS.behind};font-weight:bold;` : provisional ? `background:#fffaeb;color:${COLORS.provisional};` : "";
  const text = escapeHtml(formatValue(row[column.key], column.type));
  return `<td${classes ? ` class="${classes}"` : ""} style="${base}${style}">${text}${marks ? `<sup>${marks}</sup>` : ""}</td>`;
}

function sectionBlock(section: ReportSection): string {
  const wide = section.columns.length > WIDE_TABLE_COLUMNS;
  const weights = section.columns.map((c) => COLUMN_WEIGHT[c.type] ?? 1);
  const total = weights.reduce((a, b) => a + b, 0);
  const cols = wide ? `<colgroup>${weights.map((w) => `<col style="width:${((100 * w) / total).toFixed(2)}%">`).join("")}</colgroup>` : "";
  const head = section.columns
    .map(
      (c) =>
        `<th style="padding:${wide ? "4px" : "5px 8px"};background:${COLORS.head};border-bottom:2px solid ${COLORS.line};text-align:${NUMERIC.has(c.type) ? "right" : "left"};font-size:${wide ? 10 : 12}px;vertical-align:bottom;overflow-wrap:anywhere">${escapeHtml(c.label)}</th>`,
    )
    .join("");
  const body =
    section.rows.length > 0
      ? section.rows.map((r) => `<tr>${section.columns.map((c) => cell(r, c, wide)).join("")}</tr>`).join("\n")
      : `<tr><td colspan="${section.columns.length}" style="padding:8px;color:${COLORS.muted}">No figures for this range.</td></tr>`;
  const used = (["suppressed", "provisional", "flagged"] as const).filter((k) => section.rows.some((r) => (r[k] ?? []).length > 0));
  const notes = [...used.map((k) => CELL_MARKS[k]), ...(section.notes ?? [])];
  const notesHtml = notes.length > 0 ? `<ul class="report-notes" style="margin:8px 0 0;padding-left:20px;font-size:12px;color:${COLORS.muted}">${notes.map((n) => `<li>${escapeHtml(n)}</li>`).join("")}</ul>` : "";
  return `<div class="report-section${wide ? " report-section-wide" : ""}" data-key="${escapeHtml(section.key)}" style="margin-top:28px">
<h2 style="font-size:18px;margin:0 0 8px">${escapeHtml(section.title)}</h2>
<table style="border-collapse:collapse;width:100%;font-size:${wide ? 10 : 13}px${wide ? ";table-layout:fixed" : ""}">${cols}<thead><tr>${head}</tr></thead><tbody>
${body}
</tbody></table>${notesHtml}</div>`;
}

function chartsBlock(charts: RenderedChart[]): string {
  if (charts.length === 0) return "";
  return `<div class="report-charts" style="margin-top:28px"><h2 style="font-size:18px;margin:0 0 8px">Charts</h2>
${charts
  .map((c) => `<div class="report-chart" data-key="${escapeHtml(c.key)}" style="margin:0 0 18px"><h3 style="font-size:14px;margin:0 0 4px">${escapeHtml(c.title)}</h3>${c.markup}</div>`)
  .join("\n")}</div>`;
}

/** The page, with its charts already rendered. */
export function reportPage(doc: ReportDocument, charts: RenderedChart[]): string {
  const range = doc.range.from === doc.range.to ? doc.range.from : `${doc.range.from} to ${doc.range.to}`;
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(doc.title)} · ${escapeHtml(range)}</title>
<style>${PRINT_CSS}</style></head>
<body style="margin:0;padding:16px;background:#fff;color:${COLORS.ink};${FONT}font-size:14px;line-height:1.4">
<div class="report-page" style="max-width:760px;margin:0 auto">
<h1 style="font-size:22px;margin:0">${escapeHtml(doc.title)}</h1>
<p class="report-meta" style="margin:4px 0 16px;color:${COLORS.muted};font-size:13px">${escapeHtml(range)} (${escapeHtml(doc.timezone)}) · ${escapeHtml(filtersLine(doc.filters))}<br>Generated ${escapeHtml(formatValue(doc.generated_at, "datetime"))}</p>
${warningsBox(doc)}${summaryBlock(doc)}
${chartsBlock(charts)}
${doc.sections.map(sectionBlock).join("\n")}
</div></body></html>
`;
}

/** The page for the web and PDF: charts as inline SVG. */
export async function reportHtml(doc: ReportDocument): Promise<string> {
  const charts = await Promise.all(
    doc.charts.map(async (c) => ({ key: c.key, title: c.title, markup: (await chartSvg(c, doc.timezone)).replace("<svg ", `<svg role="img" aria-label="${escapeHtml(c.title)}" `) })),
  );
  return reportPage(doc, charts);
}
