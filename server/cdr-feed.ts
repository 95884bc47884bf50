/**
 * The 3CX CDR feed as the health check and /metrics judge it, from the last
 * 50 live records (app_hidden.cdr_feed_health()): whether their end times
 * agree with their arrival (a PBX writing another zone than
 * THREECX_CDR_TIMEZONE, or a wrong clock, moves every call by hours), and
 * whether they carry the type fields (without them, queues, IVRs and ring
 * groups are known only from the PBX directory).
 */
import type { ClientBase } from "pg";

/** Fewer live records than this say nothing yet. */
export const FEED_MIN_SAMPLES = 10;
/** A median offset beyond ±this many seconds is a zone or clock problem, not delivery delay. */
export const FEED_MAX_OFFSET_SECONDS = 600;

export interface CdrFeed {
  /** Live records read (at most 50). */
  samples: number;
  /** Median of arrival minus the record's end time, in seconds; null with no samples. */
  medianOffsetSeconds: number | null;
  latestReceivedAt: string | null;
  /** How many of them carried from-type, to-type or final-type. */
  withTypeFields: number;
}

/** What the health check says about the feed: null means not judged (fewer than FEED_MIN_SAMPLES records). */
export interface CdrFeedVerdict {
  clockOk: boolean | null;
  typeFieldsOk: boolean | null;
  /** Degraded reasons, for people. */
  reasons: string[];
  /** The clock reason alone, when there is one. */
  clockReason?: string;
}

export async function readCdrFeed(client: Pick<ClientBase, "query">): Promise<CdrFeed> {
  const { rows } = await client.query<{
    f: { samples: number; median_offset_seconds: number | null; latest_received_at: string | null; with_type_fields: number };
  }>("select app_hidden.cdr_feed_health() as f");
  const f = rows[0]!.f;
  return {
    samples: Number(f.samples),
    medianOffsetSeconds: f.median_offset_seconds === null ? null : Number(f.median_offset_seconds),
    latestReceivedAt: f.latest_received_at,
    withTypeFields: Number(f.with_type_fields),
  };
}

/** Rounded to a quarter hour, printed with at least one decimal: 2.0, 5.5, 5.75. */
function quarterHours(hours: number): string {
  const h = Math.round(hours * 4) / 4;
  return Number.isInteger(h) ? h.toFixed(1) : String(h);
}

/** The zones in use run from UTC-12:00 to UTC+14:00. */
const ZONE_MIN_MINUTES = -12 * 60;
const ZONE_MAX_MINUTES = 14 * 60;

/** A zone's offset from UTC in minutes at the given moment (America/Detroit in July: -240). */
export function zoneOffsetMinutes(timeZone: string, at: Date): number {
  const name = new Intl.DateTimeFormat("en-US", { timeZone, timeZoneName: "longOffset" })
    .formatToParts(at)
    .find((p) => p.type === "timeZoneName")?.value;
  const m = /^GMT([+-])(\d{2}):(\d{2})$/.exec(name ?? "");
  return m ? (m[1] === "-" ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0;
}

function utcOffsetText(minutes: number): string {
  if (minutes === 0) return "UTC";
  const a = Math.abs(minutes);
  return `UTC${minutes < 0 ? "-" : "+"}${String(Math.floor(a / 60)).padStart(2, "0")}:${String(a % 60).padStart(2, "0")}`;
}

/**
 * The feed's degraded reasons. `timeZone` is THREECX_CDR_TIMEZONE, the zone
 * the records were read in.
 *
 * The offset is arrival minus the record's end: records arrive seconds after
 * the call ends, so a sound feed has a small positive offset. A PBX writing
 * local time at UTC+P read as zone C gives an offset of C − P: a Detroit PBX
 * (UTC-04:00 in summer) read as UTC is 4 h "behind" its arrival, a Paris PBX
 * (UTC+02:00) read as UTC 2 h "ahead".
 */
export function judgeCdrFeed(feed: CdrFeed, timeZone: string, now = new Date()): CdrFeedVerdict {
  if (feed.samples < FEED_MIN_SAMPLES) return { clockOk: null, typeFieldsOk: null, reasons: [] };
  const reasons: string[] = [];
  let clockReason: string | undefined;
  const offset = feed.medianOffsetSeconds ?? 0;
  const clockOk = Math.abs(offset) <= FEED_MAX_OFFSET_SECONDS;
  if (!clockOk) {
    const hours = offset / 3600;
    // The PBX zone that would explain it: the configured zone's UTC offset minus the median offset, to the quarter hour.
    const configured = zoneOffsetMinutes(timeZone, feed.latestReceivedAt ? new Date(feed.latestReceivedAt) : now);
    const pbxZone = configured - Math.round(hours * 4) * 15;
    const head =
      `3CX CDR times are ${quarterHours(Math.abs(hours))} h ${offset > 0 ? "behind" : "ahead of"} their arrival ` +
      `(median of the last ${feed.samples} live records)`;
    clockReason =
      pbxZone >= ZONE_MIN_MINUTES && pbxZone <= ZONE_MAX_MINUTES
        ? `${head}: the PBX writes a zone other than THREECX_CDR_TIMEZONE=${timeZone} ` +
          `(these times fit a PBX writing ${utcOffsetText(pbxZone)}), or its clock is wrong; ` +
          `set THREECX_CDR_TIMEZONE and re-read stored calls with npm run cdr:reprocess`
        : // Days off (a wrong clock, or history sent through the webhook): no zone setting fixes that.
          `${head}, more than any time zone explains (THREECX_CDR_TIMEZONE=${timeZone}): the PBX's clock is wrong, ` +
          `or old records were sent as live ones (send history with npm run cdr:import)`;
    reasons.push(clockReason);
  }
  const typeFieldsOk = feed.withTypeFields > 0;
  if (!typeFieldsOk) {
    reasons.push(
      `3CX CDR records carry no type fields (none of the last ${feed.samples} live records): enable from-type, to-type and ` +
        `final-type (and missed-queue-calls) in 3CX's CDR output and keep THREECX_CDR_FIELDS in the same order; until then ` +
        `queues, IVRs and ring groups are known only from the PBX directory (pbxNumbers, queues, agents)`,
    );
  }
  return { clockOk, typeFieldsOk, reasons, clockReason };
}
