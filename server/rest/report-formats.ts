/**
 * The formats of a report route (a route whose answer is `{ document }`:
 * a report document, server/reports/report-document.ts): JSON (the document
 * itself), CSV (one detail table: `section=<key>`, by default the first;
 * only for holders of exportData, asked of the database), HTML (the page for
 * people, charts as SVG) and PDF (that page printed by headless Chromium).
 *
 * Chosen by `?format=json|csv|html|pdf`, else by the Accept header
 * (application/json, text/csv, text/html, application/pdf; `*` + `/*` or none
 * is JSON). An unknown `format` is 400; an Accept nothing matches is 406.
 */
import type { Request, Response } from "express";
import { reportDocument, type ReportDocument } from "../reports/report-document.js";
import { reportCsv, UnknownSectionError } from "../reports/render/csv.js";
import { reportHtml } from "../reports/render/html.js";
import { PdfUnavailableError, reportPdf } from "../reports/render/pdf.js";
import { sendError } from "../errors.js";

export const REPORT_FORMATS = ["json", "csv", "html", "pdf"] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];
export const REPORT_MEDIA_TYPES: Record<ReportFormat, string> = {
  json: "application/json",
  csv: "text/csv",
  html: "text/html",
  pdf: "application/pdf",
};
/** The query parameters a report route takes beside its own input. */
export const REPORT_FORMAT_PARAMETERS = ["format", "section"] as const;

/** The error codes of this door (db/error_codes.md). */
export const REPORT_ERRORS = {
  /** No Chromium to print a PDF with (503). */
  pdfUnavailable: "CC991",
  /** `section` names no section of the report, or is given for another format than CSV (400). */
  section: "CC992",
} as const;

export type ReportRequest = { format: ReportFormat; section?: string };

/**
 * The format a request asks for, and the query parameters left for the route's own input; or the refusal
 * (400 for an unknown format or a section outside CSV, 406 for an Accept header nothing matches).
 */
export function negotiateReport(
  req: Request,
  input: Record<string, unknown>,
): { ok: true; request: ReportRequest; input: Record<string, unknown> } | { ok: false; status: 400 | 406; code: string; message: string; field?: string } {
  const { format: asked, section, ...rest } = input;
  let format: ReportFormat;
  if (asked !== undefined) {
    if (typeof asked !== "string" || !(REPORT_FORMATS as readonly string[]).includes(asked)) {
      return { ok: false, status: 400, code: "INVALID_INPUT", message: `format: one of ${REPORT_FORMATS.join(", ")}.`, field: "format" };
    }
    format = asked as ReportFormat;
  } else if (!req.headers.accept) {
    format = "json";
  } else {
    const media = req.accepts(REPORT_FORMATS.map((f) => REPORT_MEDIA_TYPES[f]));
    if (!media) {
      return {
        ok: false,
        status: 406,
        code: "NOT_ACCEPTABLE",
        message: `This report is available as ${REPORT_FORMATS.map((f) => REPORT_MEDIA_TYPES[f]).join(", ")} (Accept header), or with ?format=${REPORT_FORMATS.join("|")}.`,
      };
    }
    format = REPORT_FORMATS.find((f) => REPORT_MEDIA_TYPES[f] === media)!;
  }
  if (section !== undefined && (format !== "csv" || typeof section !== "string" || section === "")) {
    return { ok: false, status: 400, code: REPORT_ERRORS.section, message: "section: only with format=csv, naming one of the report's sections.", field: "section" };
  }
  return { ok: true, request: { format, ...(section !== undefined ? { section: section as string } : {}) }, input: rest };
}

/** The file name of a report in a format: team-performance-2026-03-01-to-2026-03-31[-agents].csv */
export function reportFileName(doc: ReportDocument, format: ReportFormat, section?: string): string {
  const safe = (s: string) => s.toLowerCase().replace(/[^a-z0-9-]+/g, "-").replace(/^-+|-+$/g, "");
  const range = doc.range.from === doc.range.to ? doc.range.from : `${doc.range.from}-to-${doc.range.to}`;
  return `${[safe(doc.report.replace(/_/g, "-")), safe(range), ...(section ? [safe(section)] : [])].filter(Boolean).join("-")}.${format}`;
}

/** Answers the report document in the format asked. */
export async function sendReport(res: Response, status: number, answer: unknown, request: ReportRequest, options: { chromiumPath?: string } = {}): Promise<void> {
  if (request.format === "json") {
    res.status(status).json(answer);
    return;
  }
  // The renderers read only the contract; a document off it is a bug of the SQL, not of the request.
  const doc = reportDocument.parse(answer);
  res.setHeader("Cache-Control", "private, no-store");
  const attachment = (name: string) => res.setHeader("Content-Disposition", `attachment; filename="${name}"`);
  switch (request.format) {
    case "csv": {
      let csv: string;
      try {
        csv = reportCsv(doc, request.section);
      } catch (e) {
        if (e instanceof UnknownSectionError) return sendError(res, 400, REPORT_ERRORS.section, e.message, { field: "section" });
        throw e;
      }
      const section = request.section ?? doc.sections[0]?.key;
      attachment(reportFileName(doc, "csv", section));
      res.setHeader("X-Report-Sections", doc.sections.map((s) => s.key).join(", "));
      res.status(status).type("text/csv; charset=utf-8").send(csv);
      return;
    }
    case "html": {
      res.setHeader("Content-Disposition", `inline; filename="${reportFileName(doc, "html")}"`);
      res.status(status).type("text/html; charset=utf-8").send(await reportHtml(doc));
      return;
    }
    case "pdf": {
      let pdf: Buffer;
      try {
        pdf = await reportPdf(await reportHtml(doc), { chromiumPath: options.chromiumPath });
      } catch (e) {
        if (e instanceof PdfUnavailableError) return sendError(res, 503, REPORT_ERRORS.pdfUnavailable, e.message);
        throw e;
      }
      attachment(reportFileName(doc, "pdf"));
      res.status(status).type("application/pdf").send(pdf);
      return;
    }
  }
}
