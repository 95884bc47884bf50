/**
 * 3CX writes `YYYY/MM/DD HH:MM:SS` without a zone, in the PBX's zone
 * (THREECX_CDR_TIMEZONE). Local wall time → instant, with the fall-back DST
 * hour resolved by a hint (the record's other instant and its duration), and
 * the spring-forward gap rejected.
 */
const CDR_TIME = /^(\d{4})\/(\d{2})\/(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;

const formatters = new Map<string, Intl.DateTimeFormat>();
const offsets = new Map<string, number>();

/**
 * The zone's offset at an instant, in minutes. Formatters are made once per
 * zone and offsets remembered per zone and minute (zones change offset only
 * on whole minutes): building a formatter per call cost milliseconds a line.
 */
function offsetMinutes(instant: number, timeZone: string): number {
  const minute = Math.floor(instant / 60000);
  const key = `${timeZone}|${minute}`;
  const known = offsets.get(key);
  if (known !== undefined) return known;
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-US", {
      timeZone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit",
    });
    formatters.set(timeZone, format);
  }
  const at = minute * 60000;
  const parts = format.formatToParts(new Date(at));
  const get = (t: string) => Number(parts.find((p) => p.type === t)!.value);
  const asUtc = Date.UTC(get("year"), get("month") - 1, get("day"), get("hour"), get("minute"), get("second"));
  const offset = Math.round((asUtc - at) / 60000);
  if (offsets.size > 200_000) offsets.clear();
  offsets.set(key, offset);
  return offset;
}

export class CdrTimeError extends Error {}

/**
 * The instants a local wall time can mean: one normally, two in the fall-back
 * hour (earlier first), none in the spring-forward gap.
 */
export function localCandidates(text: string, timeZone: string): number[] {
  const m = CDR_TIME.exec(text);
  if (!m) throw new CdrTimeError(`'${text}' is not YYYY/MM/DD HH:MM:SS`);
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  const wall = Date.UTC(y, mo - 1, d, h, mi, s);
  const check = new Date(wall);
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d || h > 23 || mi > 59 || s > 59)
    throw new CdrTimeError(`'${text}' is not a real date and time`);
  const candidates = new Set<number>();
  for (const probe of [wall - 86400000, wall, wall + 86400000]) {
    const instant = wall - offsetMinutes(probe, timeZone) * 60000;
    if (instant - 0 === wall - offsetMinutes(instant, timeZone) * 60000) candidates.add(instant);
  }
  return [...candidates].sort((a, b) => a - b);
}

/**
 * One instant for a local time. When ambiguous, the candidate closest to the
 * hint wins (e.g. start = end − duration); without a hint, the earlier.
 */
export function parseLocalTime(text: string, timeZone: string, hint?: number): number {
  const options = localCandidates(text, timeZone);
  if (options.length === 0) throw new CdrTimeError(`'${text}' does not exist in ${timeZone} (daylight-saving gap)`);
  if (options.length === 1 || hint === undefined) return options[0]!;
  return options.reduce((best, o) => (Math.abs(o - hint) < Math.abs(best - hint) ? o : best));
}

/** `HH:MM:SS` (hours may exceed 23) → seconds. */
export function parseDuration(text: string): number {
  const m = /^(\d{1,3}):([0-5]\d):([0-5]\d)$/.exec(text);
  if (!m) throw new CdrTimeError(`'${text}' is not HH:MM:SS`);
  return Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]);
}
