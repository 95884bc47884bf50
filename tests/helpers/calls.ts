/**
 * Calls for the KPI tests: hand-built normalised calls (the shape every input
 * format becomes), the same in the neutral body the webhook takes, and raw
 * bodies stored as the webhook, the socket or an import stores them.
 */
import type { NormalisedCall, NormalisedLeg } from "../../worker/cdr/normalised-call.js";
import type { NeutralCallBody } from "../../worker/cdr/neutral.js";
import { numberOf, type Queryable } from "./query.js";

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
  /** The queue's extension; default "800", null for a direct call. */
  queue?: string | null;
  /** The number dialled; default "800". */
  called?: string;
  /** The caller's number; default +1734555 and the last four digits of the call's id (zero-padded). */
  caller?: string;
  /** Default "inbound". */
  direction?: NormalisedCall["direction"];
}

/** A leg: "talk"/"answered" when answered, else "ring"/"missed". */
export const leg = (l: LegSpec): NormalisedLeg => ({
  leg_key: l.key, agent_extension: l.agent, start: l.start, answered: l.answered ?? null, answer_known: l.known ?? true, end: l.end,
  leg_type: l.answered ? "talk" : "ring", outcome: l.answered ? "answered" : "missed",
});

/** A call, by default from +1734555 and the last four digits of its id (zero-padded), to queue 800. */
export const call = (id: string, start: string, end: string | null, opts: CallSpec = {}): NormalisedCall => ({
  call_id: id, direction: opts.direction ?? "inbound",
  caller_number: opts.caller ?? `+1734555${id.replace(/\D/g, "").padStart(4, "0").slice(-4)}`, caller_name: null,
  called_number: opts.called ?? "800", queue_extension: opts.queue === undefined ? "800" : opts.queue, start, end, ended_by: opts.endedBy ?? "caller", voicemail: opts.voicemail ?? false,
  legs: (opts.legs ?? []).map(leg),
});

/** A call one agent answered and talked on, one leg long (opts as call()'s, but for the legs). */
export const talk = (id: string, agent: string, start: string, answered: string, end: string, opts: Omit<CallSpec, "legs"> = {}): NormalisedCall =>
  call(id, start, end, { ...opts, legs: [{ key: "1", agent, start, answered, end }] });

/**
 * An inbound call in the neutral format ("format": "call"), as the FCR tests
 * post it: from `caller` into queue 800 at `start`, a minute long, answered by
 * 101 after 5 s; with `answered: false`, nobody's (no legs).
 */
export function neutralCall(id: string, caller: string, start: Date | number, { answered = true } = {}): NeutralCallBody {
  const at = (ms: number) => new Date(new Date(start).getTime() + ms).toISOString();
  return {
    format: "call", call_id: id, direction: "inbound", caller_number: caller, queue: "800",
    start: at(0), end: at(60_000), ended_by: "caller", voicemail: false,
    legs: answered ? [{ leg_id: "1", agent_extension: "101", start: at(0), answered: at(5_000), end: at(60_000) }] : [],
  };
}

/** Stores a raw body as the webhook (default), the socket or an import stores it, without running its job; its cdr_raw id. */
export const storeRaw = (owner: Queryable, body: string | Buffer, contentType = "text/plain", source: "webhook" | "socket" | "import" = "webhook") =>
  numberOf(owner, "select app_hidden.store_cdr_raw($1, $2, $3) as id", [typeof body === "string" ? Buffer.from(body) : body, contentType, source]);
