/**
 * A whole simulation: days of traffic rendered in one format, in the order a
 * phone system would send them, with the answer key for every record.
 * Deterministic for a seed (and the same options).
 */
import { Clock } from "./clock.js";
import { Random } from "./random.js";
import { answerKeyFor, renderCall, renderMalformed, type AnswerKeyEntry, type SimFormat, type SimRecord } from "./render.js";
import { TrafficSimulator, type SimDay } from "./traffic.js";

export interface SimulationOptions {
  seed: number;
  /** First local business day, YYYY-MM-DD. */
  start: string;
  days: number;
  format: SimFormat;
  /** 3CX field order (THREECX_CDR_FIELDS). */
  fields: string[];
  /** Zone of the practice's business days and opening hours. */
  timeZone: string;
  /** Zone 3CX writes its CDR times in (THREECX_CDR_TIMEZONE): UTC unless told otherwise. */
  cdrTimeZone?: string;
  /** Average inbound calls on a weekday, across the practice. */
  volume: number;
  /** Share of records sent malformed (each under a call id of its own). */
  malformedRate: number;
}

export interface SimulatedDay {
  day: SimDay;
  records: SimRecord[];
  key: AnswerKeyEntry[];
}

export function* simulate(options: SimulationOptions): Generator<SimulatedDay> {
  const traffic = new TrafficSimulator({ seed: options.seed, volume: options.volume, timeZone: options.timeZone });
  // 3CX lines are written in the CDR zone (UTC), whatever the practice's zone.
  const clock = new Clock(options.cdrTimeZone ?? "UTC");
  // Rendering choices (malformed records, post order) draw from their own stream, so traffic is the same in every format.
  const rnd = new Random(options.seed ^ 0x5eed);
  const ctx = { format: options.format, fields: options.fields, clock, rnd };
  let malformed = 0;
  for (let i = 0; i < options.days; i++) {
    const day = traffic.day(Clock.addDays(options.start, i));
    const records: SimRecord[] = [];
    const key: AnswerKeyEntry[] = [];
    for (const call of day.calls) {
      records.push(...renderCall(call, ctx));
      key.push(answerKeyFor(call, options.format, clock));
      if (options.malformedRate > 0 && rnd.chance(options.malformedRate)) {
        const bad = renderMalformed(call, ++malformed, ctx);
        records.push(bad.record);
        key.push(bad.key);
      }
    }
    // Sent as segments end; ties keep generation order.
    records.sort((a, b) => a.at - b.at);
    yield { day, records, key };
  }
}
