/**
 * How one figure of a report document reads for people (HTML, PDF, e-mail):
 * counts with thousands separators, percentages with one decimal, seconds as
 * m:ss (h:mm:ss from an hour), money in dollars, days as written. CSV keeps
 * the raw values instead (csv.ts).
 */
import type { ReportValueType } from "./types.js";

const int = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });
const num = new Intl.NumberFormat("en-US", { maximumFractionDigits: 2 });
const pct = new Intl.NumberFormat("en-US", { minimumFractionDigits: 1, maximumFractionDigits: 1 });
const money = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD" });

function duration(seconds: number): string {
  const whole = Math.round(Math.abs(seconds));
  const h = Math.floor(whole / 3600);
  const m = Math.floor((whole % 3600) / 60);
  const s = String(whole % 60).padStart(2, "0");
  const sign = seconds < 0 ? "-" : "";
  return h > 0 ? `${sign}${h}:${String(m).padStart(2, "0")}:${s}` : `${sign}${m}:${s}`;
}

/** A value as text; null (no figure) is an en dash. Numbers may arrive as decimal strings (SQL numeric). */
export function formatValue(value: unknown, type: ReportValueType): string {
  if (value === null || value === undefined || value === "") return "–";
  if (type === "bool") return value === true || value === "true" ? "yes" : "no";
  if (type === "text" || type === "date") return String(value);
  if (type === "datetime") return String(value).replace("T", " ").replace(/(:\d\d)(\.\d+)?(Z|[+-]\d\d:\d\d)?$/, "$1");
  const n = typeof value === "number" ? value : Number(value);
  if (!Number.isFinite(n)) return String(value);
  switch (type) {
    case "int":
      return int.format(n);
    case "pct":
      return `${pct.format(n)}%`;
    case "seconds":
      return duration(n);
    case "money":
      return money.format(n);
    default:
      return num.format(n);
  }
}

/** A figure with its goal, for the summary: "76.4% (goal 80.0%)". */
export function formatWithGoal(value: number | null, type: ReportValueType, goal: number | null | undefined): string {
  const text = formatValue(value, type);
  return goal === null || goal === undefined ? text : `${text} (goal ${formatValue(goal, type)})`;
}
