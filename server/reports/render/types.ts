/** The parts of a report document the renderers handle one at a time (server/reports/report-document.ts is the contract). */
import type { ReportDocument } from "../report-document.js";

export type { ReportDocument, ReportValueType } from "../report-document.js";
export type ReportSummaryItem = ReportDocument["summary"][number];
export type ReportSection = ReportDocument["sections"][number];
export type ReportColumn = ReportSection["columns"][number];
export type ReportRow = ReportSection["rows"][number];
export type ReportChart = ReportDocument["charts"][number];
