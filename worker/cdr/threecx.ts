/**
 * 3CX CDR records (lines from the file, the socket or the webhook, or JSON
 * objects keyed by the same kebab field names) → normalised calls.
 * Field order comes from THREECX_CDR_FIELDS; times are local to
 * THREECX_CDR_TIMEZONE. Tokens from v18 (CamelCase) and v20 (lower case) are
 * compared without case.
 */
import { createHash } from "node:crypto";
import { CdrTimeError, parseDuration, parseLocalTime } from "./local-time.js";
import { describeIssue, normalisedCall, settleOutbound, type NormalisedCall, type NormalisedLeg, type Rejection } from "./normalised-call.js";

export interface ThreeCxContext {
  fields: string[];
  timeZone: string;
  /** Extensions known to be queues (app_public.queues.extension). */
  queueExtensions: Set<string>;
}

export type CdrRecord = Record<string, string>;

class FieldError extends Error {
  constructor(readonly field: string, message: string) {
    super(message);
  }
}

const EXT = /^ext\.?\s*(\d{2,8})$/i;
const extension = (value: string | undefined): string | null => {
  const v = (value ?? "").trim();
  const m = EXT.exec(v);
  return m ? m[1]! : null;
};
const lower = (v: string | undefined) => (v ?? "").trim().toLowerCase();
const EXTERNAL_TYPES = new Set(["line", "external_line", "provider", "external", "outboundrule", "inbound_rule", "inboundrule"]);
const QUEUE_TYPES = new Set(["queue", "callcentqueue"]);
const VOICEMAIL_TYPES = new Set(["vmail", "voicemail", "vmailbox"]);

function isExternal(number: string | undefined, type: string | undefined): boolean {
  if (type && EXTERNAL_TYPES.has(lower(type))) return true;
  if (type && lower(type) !== "") return false;
  return !!number && number.trim() !== "" && extension(number) === null;
}

function endedBy(reason: string): "caller" | "agent" | "system" {
  const r = lower(reason);
  if (r === "terminatedbysrc" || r === "src_participant_terminated") return "caller";
  if (r === "terminatedbydst" || r === "dst_participant_terminated") return "agent";
  return "system";
}

/** The extensions a `chain` field names, in order: `Chain: +1…'Ext.960;Ext.963;Ext.504;`. */
export function chainExtensions(chain: string): string[] {
  return chain
    .replace(/^\s*chain:\s*/i, "")
    .split(/[;']/)
    .map((p) => extension(p))
    .filter((e): e is string => e !== null);
}

/** One line → a record keyed by field name. Missing trailing fields are empty; extra fields are an error. */
export function splitLine(line: string, fields: string[]): CdrRecord {
  let text = line.replace(/\r$/, "");
  text = text.replace(/^\s*call\s+/i, "");
  const values = text.split(",");
  // A trailing comma (3CX ends some lines with one) is not a field.
  if (values.length === fields.length + 1 && values[values.length - 1] === "") values.pop();
  if (values.length > fields.length) {
    throw new FieldError("line", `${values.length} fields, but THREECX_CDR_FIELDS lists ${fields.length}`);
  }
  return Object.fromEntries(fields.map((f, i) => [f, (values[i] ?? "").trim()]));
}

function required(r: CdrRecord, field: string): string {
  const v = r[field];
  if (v === undefined || v === "") throw new FieldError(field, `${field} is missing`);
  return v;
}

function instant(r: CdrRecord, field: string, tz: string, hint?: number): number | null {
  const v = r[field];
  if (!v) return null;
  try {
    return parseLocalTime(v, tz, hint);
  } catch (e) {
    throw new FieldError(field, (e as Error).message);
  }
}

/** A 3CX record → one normalised call (a segment of it, when 3CX sends one record per segment). */
export function recordToCall(r: CdrRecord, ctx: ThreeCxContext, rawLine: string): NormalisedCall {
  const callId = required(r, "call-id");
  const startText = required(r, "time-start");
  let duration: number | null = null;
  if (r["duration"]) {
    try {
      duration = parseDuration(r["duration"]);
    } catch (e) {
      throw new FieldError("duration", (e as Error).message);
    }
  }
  // Validate in reading order (start first), then resolve the fall-back hour with the duration: end ≈ start + duration.
  instant(r, "time-start", ctx.timeZone);
  const endGuess = instant(r, "time-end", ctx.timeZone);
  const start = instant(r, "time-start", ctx.timeZone, endGuess !== null && duration !== null ? endGuess - duration * 1000 : undefined)!;
  const end = r["time-end"] ? instant(r, "time-end", ctx.timeZone, duration !== null ? start + duration * 1000 : start) : duration !== null ? start + duration * 1000 : null;
  const answered = instant(r, "time-answered", ctx.timeZone, start);
  if (end === null) throw new FieldError("time-end", "time-end is missing and there is no duration");
  void startText;

  const fromExternal = isExternal(r["from-no"], r["from-type"]);
  const toExternal = isExternal(r["to-no"], r["to-type"]);
  const direction = fromExternal ? "inbound" : toExternal ? "outbound" : "inbound";
  const internal = !fromExternal && !toExternal;
  const toDn = r["to-dn"] || extension(r["to-no"]) || "";
  const finalDn = r["final-dn"] || extension(r["final-number"]) || "";
  const toIsQueue = QUEUE_TYPES.has(lower(r["to-type"])) || ctx.queueExtensions.has(toDn);
  const queueExt = toIsQueue && /^\d{2,8}$/.test(toDn) ? toDn : null;
  const voicemail = VOICEMAIL_TYPES.has(lower(r["final-type"])) || /^vmail/i.test(r["final-number"] ?? "");

  const segment = r["history-id"] || createHash("sha256").update(rawLine).digest("hex").slice(0, 32);
  const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString());
  const legs: NormalisedLeg[] = [];
  // Outbound, the agent is the one who dialled; otherwise the extension the call ended on (or rang).
  const fromDn = r["from-dn"] || extension(r["from-no"]) || "";
  const agent = direction === "outbound" && !internal
    ? (/^\d{2,8}$/.test(fromDn) ? fromDn : null)
    : /^\d{2,8}$/.test(finalDn) && finalDn !== queueExt ? finalDn : !toIsQueue && /^\d{2,8}$/.test(toDn) ? toDn : null;
  if (answered !== null && agent && !voicemail) {
    legs.push({
      leg_key: `${segment}:talk:${agent}`,
      agent_extension: agent,
      start: iso(start)!,
      // On a queue record, time-answered is when the queue took the call, not when the agent did.
      answered: iso(Math.max(answered, start)),
      answer_known: !queueExt,
      end: iso(end),
      leg_type: "talk",
      outcome: "answered",
    } as NormalisedLeg);
  } else if (agent && !voicemail && !queueExt) {
    legs.push({ leg_key: `${segment}:ring:${agent}`, agent_extension: agent, start: iso(start)!, answered: null, end: iso(end), leg_type: "ring", outcome: "missed" });
  }
  if (voicemail) {
    legs.push({ leg_key: `${segment}:voicemail`, agent_extension: null, start: iso(start)!, answered: null, end: iso(end), leg_type: "voicemail", outcome: "voicemail" });
  }
  let missed = (r["missed-queue-calls"] ?? "").split(/[;,\s]+/).map(extension).filter((e): e is string => e !== null);
  // Without missed-queue-calls, a queue call's chain still names the agents the queue polled:
  // "Chain: +1734…'Ext.960;Ext.963;Ext.509;Ext.504;" → 963 and 509 rang and did not answer.
  // (Chains of non-queue calls are not read: their grammar for transfers is not documented.)
  if (missed.length === 0 && queueExt && r["chain"]) {
    missed = chainExtensions(r["chain"]).filter((e) => e !== queueExt && e !== agent);
  }
  for (const ext of new Set(missed)) {
    if (ext === agent) continue;
    legs.push({ leg_key: `${segment}:missed:${ext}`, agent_extension: ext, start: iso(start)!, answered: null, end: null, leg_type: "ring", outcome: "missed" });
  }

  const outsideNumber = direction === "outbound" ? r["to-no"] : r["from-no"];
  const candidate = {
    call_id: callId,
    direction: internal ? "internal" : direction,
    caller_number: outsideNumber && !internal ? outsideNumber : null,
    caller_name: (direction === "outbound" ? r["to-dispname"] : r["from-dispname"]) || null,
    called_number: r["dial-no"] || r["to-no"] || null,
    queue_extension: queueExt,
    start: iso(start)!,
    end: iso(end),
    ended_by: endedBy(r["reason-terminated"] ?? ""),
    voicemail,
    legs,
  };
  const parsed = normalisedCall.safeParse(settleOutbound(candidate));
  if (!parsed.success) {
    const { field, reason } = describeIssue(parsed.error);
    throw new FieldError(field ?? "record", reason);
  }
  return parsed.data;
}

/** Text body → calls and dead letters, line by line. */
export function parseCdrLines(body: Buffer, ctx: ThreeCxContext): { calls: NormalisedCall[]; rejections: Rejection[] } {
  const calls: NormalisedCall[] = [];
  const rejections: Rejection[] = [];
  // Split on LF bytes, so one bad line never spoils its neighbours.
  let startAt = 0;
  let lineNumber = 0;
  const decoder = new TextDecoder("utf-8", { fatal: true });
  while (startAt <= body.length) {
    let endAt = body.indexOf(0x0a, startAt);
    if (endAt === -1) endAt = body.length;
    const bytes = body.subarray(startAt, endAt);
    startAt = endAt + 1;
    lineNumber++;
    if (bytes.length === 0 || (bytes.length === 1 && bytes[0] === 0x0d)) continue;
    const reject = (field: string | null, reason: string) => rejections.push({ lineNumber, line: Buffer.from(bytes), field, reason });
    if (bytes.includes(0)) {
      reject("line", "the line contains NUL bytes");
      continue;
    }
    let text: string;
    try {
      text = decoder.decode(bytes);
    } catch {
      reject("line", "the line is not valid UTF-8");
      continue;
    }
    if (text.trim() === "") continue;
    try {
      calls.push(recordToCall(splitLine(text, ctx.fields), ctx, text));
    } catch (e) {
      if (e instanceof FieldError) reject(e.field, e.message);
      else if (e instanceof CdrTimeError) reject("time", e.message);
      else throw e;
    }
  }
  return { calls, rejections };
}

/** JSON CDR records keyed by the kebab field names (one object or an array). */
export function parseCdrJson(records: unknown[], ctx: ThreeCxContext): { calls: NormalisedCall[]; rejections: Rejection[] } {
  const calls: NormalisedCall[] = [];
  const rejections: Rejection[] = [];
  records.forEach((rec, i) => {
    const line = Buffer.from(JSON.stringify(rec));
    if (typeof rec !== "object" || rec === null || Array.isArray(rec)) {
      rejections.push({ lineNumber: i + 1, line, field: null, reason: "a CDR record must be a JSON object" });
      return;
    }
    const record = Object.fromEntries(Object.entries(rec).map(([k, v]) => [k.toLowerCase(), v === null || v === undefined ? "" : String(v).trim()]));
    try {
      calls.push(recordToCall(record, ctx, line.toString()));
    } catch (e) {
      if (e instanceof FieldError) rejections.push({ lineNumber: i + 1, line, field: e.field, reason: e.message });
      else throw e;
    }
  });
  return { calls, rejections };
}
