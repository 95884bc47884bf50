/** Hand-built normalised calls (the shape every input format becomes) for the KPI tests. */
import type { NormalisedCall, NormalisedLeg } from "../../worker/cdr/normalised-call.js";

export interface LegSpec {
  key: string;
  agent: string | null;
  start: string;
  /** Absent or null: nobody answered (a missed ring). */
  answered?: string | null;
  /** False when the answer time is the queue's pick-up (wait unknown); default true. */
  known?: boolean;
  end: string | null;
}

export interface CallSpec {
  legs?: LegSpec[];
  /** Default "caller". */
  endedBy?: NormalisedCall["ended_by"];
  voicemail?: boolean;
  /** The queue's extension, also the called number; default "800", null for a direct call. */
  queue?: string | null;
  /** Default "inbound". */
  direction?: NormalisedCall["direction"];
}

/** A leg: "talk"/"answered" when answered, else "ring"/"missed". */
export const leg = (l: LegSpec): NormalisedLeg => ({
  leg_key: l.key, agent_extension: l.agent, start: l.start, answered: l.answered ?? null, answer_known: l.known ?? true, end: l.end,
  leg_type: l.answered ? "talk" : "ring", outcome: l.answered ? "answered" : "missed",
});

/** A call from +1734555 and the last four digits of its id (zero-padded), to 800. */
export const call = (id: string, start: string, end: string | null, opts: CallSpec = {}): NormalisedCall => ({
  call_id: id, direction: opts.direction ?? "inbound", caller_number: `+1734555${id.replace(/\D/g, "").padStart(4, "0").slice(-4)}`, caller_name: null,
  called_number: "800", queue_extension: opts.queue === undefined ? "800" : opts.queue, start, end, ended_by: opts.endedBy ?? "caller", voicemail: opts.voicemail ?? false,
  legs: (opts.legs ?? []).map(leg),
});

/** A call one agent answered and talked on, one leg long. */
export const talk = (id: string, agent: string, start: string, answered: string, end: string): NormalisedCall =>
  call(id, start, end, { legs: [{ key: "1", agent, start, answered, end }] });
