/** Our PBX-neutral call format (docs/call-format.md) → normalised calls. */
import { z } from "zod";
import { checkCallWindow, describeIssue, normalisedCall, settleOutbound, type NormalisedCall, type Rejection, type TimeWindow } from "./normalised-call.js";

const iso = z.string().datetime({ offset: true });
const neutralCall = z.object({
  format: z.literal("call"),
  call_id: z.string().min(1).max(200),
  direction: z.enum(["inbound", "outbound", "internal"]),
  caller_number: z.string().max(64).nullish(),
  caller_name: z.string().max(200).nullish(),
  called_number: z.string().max(64).nullish(),
  queue: z.string().regex(/^[0-9]{2,8}$/).nullish(),
  start: iso,
  end: iso,
  ended_by: z.enum(["caller", "agent", "system"]),
  voicemail: z.boolean().default(false),
  campaign_code: z.string().max(64).nullish(),
  legs: z
    .array(z.object({ leg_id: z.string().min(1).max(100), agent_extension: z.string().regex(/^[0-9]{2,8}$/), start: iso, answered: iso.nullable(), end: iso }))
    .default([]),
});

/** A body in the neutral format as a sender writes it (defaults not yet applied). */
export type NeutralCallBody = z.input<typeof neutralCall>;

const NEUTRAL_TIME_FIELDS = { start: "start", end: "end", leg: (i: number, t: "start" | "answered" | "end") => `legs.${i}.${t}` };

export function parseNeutral(items: unknown[], window?: TimeWindow): { calls: NormalisedCall[]; rejections: Rejection[] } {
  const calls: NormalisedCall[] = [];
  const rejections: Rejection[] = [];
  items.forEach((item, i) => {
    const line = Buffer.from(JSON.stringify(item));
    const parsed = neutralCall.safeParse(item);
    if (!parsed.success) {
      const { field, reason } = describeIssue(parsed.error);
      rejections.push({ lineNumber: i + 1, line, field, reason });
      return;
    }
    const c = parsed.data;
    const legs = c.legs.map((l) => ({
      leg_key: l.leg_id,
      agent_extension: l.agent_extension,
      start: l.start,
      answered: l.answered,
      end: l.end,
      leg_type: l.answered ? ("talk" as const) : ("ring" as const),
      outcome: l.answered ? ("answered" as const) : ("missed" as const),
    }));
    const allLegs = c.voicemail
      ? [...legs, { leg_key: "voicemail", agent_extension: null, start: c.start, answered: null, end: c.end, leg_type: "voicemail" as const, outcome: "voicemail" as const }]
      : legs;
    const normal = normalisedCall.safeParse(settleOutbound({
      call_id: c.call_id,
      direction: c.direction,
      caller_number: c.caller_number ?? null,
      caller_name: c.caller_name ?? null,
      called_number: c.called_number ?? null,
      queue_extension: c.queue ?? null,
      start: c.start,
      end: c.end,
      ended_by: c.ended_by,
      voicemail: c.voicemail,
      ...(c.campaign_code ? { campaign_code: c.campaign_code } : {}),
      legs: allLegs,
    }));
    if (!normal.success) {
      const { field, reason } = describeIssue(normal.error);
      rejections.push({ lineNumber: i + 1, line, field, reason });
      return;
    }
    const implausible = checkCallWindow(normal.data, window, NEUTRAL_TIME_FIELDS);
    if (implausible) {
      rejections.push({ lineNumber: i + 1, line, ...implausible });
      return;
    }
    calls.push(normal.data);
  });
  return { calls, rejections };
}
