/**
 * A body's dead letters, bounded: a body of garbage (10,000 lines that all
 * fail the same way) would otherwise make 10,000 rows. The first
 * CDR_MAX_DEAD_LETTERS_PER_REASON records failing with the same reason are
 * a row each; the rest with that reason are one row, with their count
 * (repeat_count) and line range (line_number … last_line_number), keeping
 * the first of them. Nothing is lost: the body is stored whole, and
 * `npm run cdr:retry` reads every line of it again.
 *
 * "The same reason" is the field and the reason with the values taken out
 * (quoted text and numbers), so "'abc' is not HH:MM:SS" and "'xyz' is not
 * HH:MM:SS" are one reason. Beyond MAX_REASONS_PER_BODY different reasons,
 * the rest count as one more, so a body can never make more than
 * (MAX_REASONS_PER_BODY + 1) × (per reason + 1) rows.
 */
import type { Rejection } from "./normalised-call.js";

export const MAX_REASONS_PER_BODY = 50;
const OTHER_REASONS = "\u0000other";

export interface DeadLetterRow extends Rejection {
  /** Records this row stands for: 1, or the count of a collapsed row. */
  repeatCount: number;
  /** The last line a collapsed row stands for (its first is lineNumber); null for a row of one record. */
  lastLineNumber: number | null;
}

/** The field and the reason with their values taken out. */
export function reasonKey(field: string | null, reason: string): string {
  const strip = (t: string) => t.replace(/'[^']*'/g, "'…'").replace(/"[^"]*"/g, '"…"').replace(/\d+/g, "N");
  return `${strip(field ?? "")}\u0000${strip(reason)}`;
}

const count = (n: number) => n.toLocaleString("en-US");

/** The rows to store for a body's rejections, in order, at most `perReason` + 1 per reason. */
export function collapseDeadLetters(rejections: Rejection[], perReason: number): DeadLetterRow[] {
  const kept = new Map<string, number>();
  const collapsed = new Map<string, DeadLetterRow>();
  const rows: DeadLetterRow[] = [];
  for (const r of rejections) {
    let key = reasonKey(r.field, r.reason);
    if (!kept.has(key) && kept.size >= MAX_REASONS_PER_BODY) key = OTHER_REASONS;
    const n = (kept.get(key) ?? 0) + 1;
    kept.set(key, n);
    if (n <= perReason) {
      rows.push({ ...r, repeatCount: 1, lastLineNumber: null });
      continue;
    }
    const row = collapsed.get(key);
    if (row) {
      row.repeatCount++;
      if (row.lineNumber !== null && r.lineNumber !== null && r.lineNumber > row.lineNumber) row.lastLineNumber = r.lineNumber;
    } else {
      const first: DeadLetterRow = { ...r, repeatCount: 1, lastLineNumber: null };
      collapsed.set(key, first);
      rows.push(first);
    }
  }
  for (const [key, row] of collapsed) {
    if (row.repeatCount === 1) continue;
    const range = row.lineNumber !== null && row.lastLineNumber !== null ? `, lines ${row.lineNumber}–${row.lastLineNumber}` : "";
    const what = key === OTHER_REASONS ? `more than ${MAX_REASONS_PER_BODY} different reasons in this body` : `more than ${perReason} lines with this reason in this body`;
    const note = ` [${what}: this row stands for ${count(row.repeatCount)} records${range}, and keeps the first of them; npm run cdr:retry reads every line again]`;
    row.reason = row.reason.slice(0, 2000 - note.length) + note;
  }
  return rows;
}
