/**
 * The one shape every input format becomes before SQL sees it
 * (app_private.ingest_calls, migrations/fixtures/ingest/ingest-calls.sql).
 * Times are ISO 8601 with offset.
 */
import { z } from "zod";

const iso = z.string().datetime({ offset: true });

export const normalisedLeg = z.object({
  leg_key: z.string().min(1).max(200),
  leg_index: z.number().int().min(0).optional(),
  agent_extension: z.string().regex(/^[0-9]{2,8}$/).nullable(),
  start: iso,
  answered: iso.nullable(),
  /** False when the answer time is the queue's pick-up, not the agent's: the wait is then unknown. */
  answer_known: z.boolean().optional(),
  end: iso.nullable(),
  leg_type: z.enum(["queue", "ring", "talk", "transfer", "voicemail", "ivr", "external"]).optional(),
  outcome: z.enum(["answered", "missed", "rejected", "abandoned", "voicemail", "transferred"]).optional(),
});

export const normalisedCall = z
  .object({
    call_id: z.string().min(1).max(200),
    direction: z.enum(["inbound", "outbound", "internal"]),
    caller_number: z.string().max(64).nullable(),
    caller_name: z.string().max(200).nullable(),
    called_number: z.string().max(64).nullable(),
    queue_extension: z.string().regex(/^[0-9]{2,8}$/).nullable(),
    start: iso,
    end: iso.nullable(),
    ended_by: z.enum(["caller", "agent", "system"]),
    voicemail: z.boolean(),
    /** What the call ended on (3CX records; other formats leave it to be derived). */
    ended_in: z.enum(["agent", "queue", "ivr", "ring_group", "voicemail", "other", "unknown", "outside"]).optional(),
    /** The PBX numbers the call passed, in order. */
    pbx_route: z.array(z.string().regex(/^[0-9]{2,8}$/)).max(50).optional(),
    /** The campaign code dialled with the call (3CX billing code), which attributes an outbound call to a campaign. */
    campaign_code: z.string().max(64).optional(),
    /**
     * What the PBX billed for this record (3CX `bill-cost`; absent when the PBX reports none), with the record's own
     * identity (3CX history id) so that a record sent twice counts once and a call's records add up.
     */
    bill_cost: z.object({ record: z.string().min(1).max(200), amount: z.number().min(0).max(1_000_000) }).optional(),
    /** Kinds the record's type fields gave its numbers (number → agent, queue, ivr, ring_group, voicemail, other). */
    pbx_kinds: z.record(z.string().regex(/^[0-9]{2,8}$/), z.enum(["agent", "queue", "ivr", "ring_group", "voicemail", "other", "unknown"])).optional(),
    legs: z.array(normalisedLeg),
  })
  .superRefine((c, ctx) => {
    const start = Date.parse(c.start);
    if (c.end && Date.parse(c.end) < start) ctx.addIssue({ code: "custom", path: ["end"], message: "the call ends before it starts" });
    c.legs.forEach((l, i) => {
      const ls = Date.parse(l.start);
      if (l.end && Date.parse(l.end) < ls) ctx.addIssue({ code: "custom", path: ["legs", i, "end"], message: "a leg ends before it starts" });
      if (l.outcome === "answered" && l.answered === null && l.answer_known !== false)
        ctx.addIssue({ code: "custom", path: ["legs", i, "answered"], message: "an answered leg needs its answer time, unless it is marked unknown" });
      if (l.answered && (Date.parse(l.answered) < ls || (l.end && Date.parse(l.answered) > Date.parse(l.end))))
        ctx.addIssue({ code: "custom", path: ["legs", i, "answered"], message: "a leg is answered outside its start and end" });
    });
  });

export type NormalisedCall = z.infer<typeof normalisedCall>;
export type NormalisedLeg = z.infer<typeof normalisedLeg>;

/**
 * Outbound calls were placed by the agent: a leg nobody answered is not the
 * agent's missed call (it is kept as an `external` leg), and an outbound call
 * nobody answered is missed, whoever hung up.
 */
export function settleOutbound<C extends { direction: string; ended_by: string; legs: NormalisedLeg[] }>(call: C): C {
  if (call.direction !== "outbound") return call;
  const answered = call.legs.some((l) => l.answered !== null);
  return {
    ...call,
    ended_by: answered ? call.ended_by : "system",
    legs: call.legs.map((l) => (l.answered === null && l.leg_type !== "voicemail" ? { ...l, leg_type: "external" as const, outcome: "missed" as const } : l)),
  };
}

/** A record that could not become a call: what failed and why (a dead letter). */
export interface Rejection {
  lineNumber: number | null;
  line: Buffer | null;
  field: string | null;
  reason: string;
}

export type ParseOutcome = { calls: NormalisedCall[]; rejections: Rejection[] };

/** zod's first issue, as a dead letter's field and reason. */
export function describeIssue(error: z.ZodError): { field: string | null; reason: string } {
  const issue = error.issues[0];
  return { field: issue && issue.path.length ? issue.path.join(".") : null, reason: issue?.message ?? "invalid record" };
}

/**
 * Where a record's times may fall: from maxAgeDays before its body arrived
 * to maxFutureMinutes after (CDR_MAX_AGE_DAYS, CDR_MAX_FUTURE_MINUTES).
 * Backfills of years of files fit; a 1900 or 2099 date does not, and would
 * otherwise make KPI rows for a day nobody worked.
 */
export interface TimeWindow {
  receivedAt: number;
  maxAgeDays: number;
  maxFutureMinutes: number;
}

/** Why an instant is outside the window (naming the variable that sets it), or null when inside. */
export function outsideWindow(label: string, instant: number, w: TimeWindow): string | null {
  const arrived = new Date(w.receivedAt).toISOString();
  if (instant < w.receivedAt - w.maxAgeDays * 86_400_000)
    return `${label} ${new Date(instant).toISOString()} is more than ${w.maxAgeDays} days before the body arrived (${arrived}; CDR_MAX_AGE_DAYS): not a plausible call time`;
  if (instant > w.receivedAt + w.maxFutureMinutes * 60_000)
    return `${label} ${new Date(instant).toISOString()} is more than ${w.maxFutureMinutes} minutes after the body arrived (${arrived}; CDR_MAX_FUTURE_MINUTES): not a plausible call time`;
  return null;
}

/** The names a format gives a call's times, for the dead letter's field. */
export interface TimeFieldNames {
  start: string;
  end: string;
  leg: (index: number, time: "start" | "answered" | "end") => string;
}

/** The first of a call's times (its start and end, then its legs') outside the window, as a dead letter's field and reason. */
export function checkCallWindow(call: NormalisedCall, w: TimeWindow | undefined, names: TimeFieldNames): { field: string; reason: string } | null {
  if (!w) return null;
  const times: [string, string | null][] = [[names.start, call.start], [names.end, call.end]];
  call.legs.forEach((l, i) => times.push([names.leg(i, "start"), l.start], [names.leg(i, "answered"), l.answered], [names.leg(i, "end"), l.end]));
  for (const [field, value] of times) {
    if (value === null) continue;
    const reason = outsideWindow(field, Date.parse(value), w);
    if (reason) return { field, reason };
  }
  return null;
}
