/**
 * A report's detail as CSV, one table per file: the section named by
 * `section` (its key), by default the report's first section. The header
 * row is the section's column labels; values are the raw figures
 * (percentages 0–100, seconds as numbers, days as YYYY-MM-DD) so a
 * spreadsheet can compute with them; a suppressed cell is empty, and so is
 * a figure the report does not have. Written by csv-stringify (RFC 4180
 * quoting, CRLF line ends) with a UTF-8 byte-order mark so spreadsheet
 * programs read names with accents right.
 */
import { stringify } from "csv-stringify/sync";
import type { ReportDocument, ReportSection } from "./types.js";

/** The section asked for does not exist in this report. */
export class UnknownSectionError extends Error {
  constructor(
    readonly section: string,
    readonly known: string[],
  ) {
    super(`section: this report has no section "${section}"; it has ${known.join(", ") || "none"}.`);
    this.name = "UnknownSectionError";
  }
}

export function csvSection(doc: ReportDocument, section?: string): ReportSection {
  const found = section === undefined ? doc.sections[0] : doc.sections.find((s) => s.key === section);
  if (!found) throw new UnknownSectionError(section ?? "(first)", doc.sections.map((s) => s.key));
  return found;
}

function raw(value: unknown): string | number | boolean {
  if (value === null || value === undefined) return "";
  if (typeof value === "object") return JSON.stringify(value);
  return value as string | number | boolean;
}

export function reportCsv(doc: ReportDocument, section?: string): string {
  const s = csvSection(doc, section);
  const rows = s.rows.map((row) => s.columns.map((c) => (row.suppressed?.includes(c.key) ? "" : raw(row[c.key]))));
  return stringify([s.columns.map((c) => c.label), ...rows], { bom: true, record_delimiter: "windows", cast: { boolean: (b) => (b ? "true" : "false") } });
}
