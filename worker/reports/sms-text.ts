/**
 * The SMS summary of a report: its title, day and headline figures (aggregates only: no caller, no patient, no
 * agent), in one SMS segment.
 *
 * How it is counted: an SMS segment holds 160 GSM-7 characters (GSM 03.38). Characters of the basic set count 1;
 * those of the extension table (^ { } \ [ ~ ] | €) count 2 (escape + character). Anything outside GSM-7 would
 * switch the whole message to UCS-2 (70 a segment), so it is replaced first: dashes and curly quotes by their
 * ASCII forms, other characters by "?". Figures are added while the text still fits 160; the warning flag
 * ("FIGURES INCOMPLETE") comes first so it is never the one cut.
 */
import type { ReportDocument } from "../../server/reports/report-document.js";

const GSM7_BASIC =
  "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
const GSM7_EXTENSION = "^{}\\[~]|€\f";

export const SMS_SEGMENT = 160;

/** Length in GSM-7 septets; NaN when a character is outside GSM-7. */
export function gsm7Length(text: string): number {
  let n = 0;
  for (const ch of text) {
    if (GSM7_BASIC.includes(ch)) n += 1;
    else if (GSM7_EXTENSION.includes(ch)) n += 2;
    else return Number.NaN;
  }
  return n;
}

/** Text made GSM-7: typographic dashes, quotes and spaces as ASCII, anything else outside the alphabet as "?". */
export function toGsm7(text: string): string {
  const mapped = text
    .replace(/[\u2013\u2014\u2212]/g, "-")
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/[\u201c\u201d]/g, '"')
    .replace(/[\u00a0\u202f\u2009]/g, " ")
    .replace(/\u2026/g, "...");
  return [...mapped].map((ch) => (GSM7_BASIC.includes(ch) || GSM7_EXTENSION.includes(ch) ? ch : "?")).join("");
}

function figure(value: number | null, type: string): string {
  if (value === null) return "-";
  if (type === "pct") return `${(Math.round(value * 10) / 10).toFixed(1)}%`;
  if (type === "seconds") {
    const s = Math.round(value);
    return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
  }
  if (type === "money") return `$${value.toFixed(2)}`;
  return String(Math.round(value * 100) / 100);
}

/** The summary of a report in at most one segment (160 GSM-7 characters). */
export function smsSummary(doc: ReportDocument, title: string): string {
  const head = toGsm7(`${title}${doc.warnings.length ? " - FIGURES INCOMPLETE" : ""}:`);
  let text = head;
  for (const item of doc.summary) {
    const part = toGsm7(` ${item.label} ${figure(item.value, item.type)}${item.goal != null ? ` (goal ${figure(item.goal, item.type)})` : ""};`);
    if (gsm7Length(text + part) > SMS_SEGMENT) break;
    text += part;
  }
  text = text.replace(/;$/, ".");
  // A title alone longer than a segment is cut (never split into a second, billed, segment).
  while (gsm7Length(text) > SMS_SEGMENT) text = text.slice(0, -1);
  return text;
}
