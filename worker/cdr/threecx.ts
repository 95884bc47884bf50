/**
 * 3CX CDR records (lines from the file, the socket or the webhook, or JSON
 * objects keyed by the same kebab field names) → normalised calls.
 *
 * Field order comes from THREECX_CDR_FIELDS; times are read in the body's
 * zone (3CX writes UTC). Tokens from v18 (CamelCase) and v20 (lower case)
 * are compared without case.
 *
 * What a number is (agent, queue, IVR, ring group, voicemail, other) comes
 * from the record's type fields when it has them, and from the PBX directory
 * (agents, queues, pbx_numbers) otherwise: many sites send only the first 20
 * fields, where a queue or an IVR is just `Ext.611`. The rules, each shown
 * on real lines in tests/ingest/real-3cx.test.ts:
 *  - a queue, IVR or ring group is never an agent;
 *  - a call that ended in a queue or an IVR with nobody answering, the
 *    caller hanging up, is abandoned (where it ended is kept: ended_in);
 *  - when the record's first destination is not the answering agent (a
 *    queue or IVR picked the call up first), the agent's answer time is not
 *    in the record: it stays NULL (answer_known false), never the pick-up;
 *  - the final number and a ReplacedDst hop to an agent are handled by
 *    those agents, with a transfer between them; other agents named in the
 *    chain are credited with nothing unless missed-queue-calls names them;
 *  - call pick-ups (PickupExt.N) and misdials ending in EndCall are
 *    internal; Failed_Cancelled (the caller gave up while it rang) is the
 *    caller's hang-up.
 */
import { createHash } from "node:crypto";
import { CDR_TYPE_FIELDS, canonicalCdrField } from "../../lib/cdr-fields.js";
import { CdrTimeError, parseDuration, parseLocalTime } from "./local-time.js";
import {
  checkCallWindow, describeIssue, normalisedCall, settleOutbound, type NormalisedCall, type NormalisedLeg, type Rejection, type TimeWindow,
} from "./normalised-call.js";

/** What a PBX number is. `unknown`: known nowhere yet. */
export type PbxKind = "agent" | "queue" | "ivr" | "ring_group" | "voicemail" | "other" | "unknown";

export interface ThreeCxContext {
  fields: string[];
  /** Zone the record's times are in (THREECX_CDR_TIMEZONE or the body's own). */
  timeZone: string;
  /** The PBX directory: number → kind (agents, queues, pbx_numbers). */
  directory?: ReadonlyMap<string, PbxKind>;
  /** Extensions known to be queues (kept for callers that only know queues). */
  queueExtensions?: ReadonlySet<string>;
  /** Where the record's times may fall (around the body's arrival); unset: not checked (bodies read again). */
  window?: TimeWindow;
}

/** What a live record says about the feed, for the health check: when it ended, and whether it had type fields. */
export interface FeedSample {
  recordEnd: string;
  hasTypeFields: boolean;
}

export type CdrRecord = Record<string, string>;

export class FieldError extends Error {
  constructor(readonly field: string, message: string) {
    super(message);
  }
}

const lower = (v: string | undefined) => (v ?? "").trim().toLowerCase();
const DN = /^\d{2,8}$/;
const EXT = /^ext\.?\s*(\d{2,8})$/i;
const PICKUP = /^pickupext\.?\s*(\d{2,8})$/i;

/** One endpoint as 3CX writes it: `Ext.611`, `PickupExt.610`, `EndCall`, `VMail…`, an outside number, or nothing. */
type Endpoint =
  | { kind: "ext"; dn: string }
  | { kind: "pickup"; dn: string }
  | { kind: "endcall" }
  | { kind: "vmail"; dn: string | null }
  | { kind: "outside"; number: string }
  | { kind: "none" };

function endpoint(value: string | undefined): Endpoint {
  const v = (value ?? "").trim();
  if (v === "") return { kind: "none" };
  let m = EXT.exec(v);
  if (m) return { kind: "ext", dn: m[1]! };
  m = PICKUP.exec(v);
  if (m) return { kind: "pickup", dn: m[1]! };
  if (/^endcall$/i.test(v)) return { kind: "endcall" };
  if (/^vmail/i.test(v)) return { kind: "vmail", dn: /(\d{2,8})$/.exec(v)?.[1] ?? null };
  return { kind: "outside", number: v };
}

/** The extension an endpoint names (`Ext.611` → 611), else null. */
const extension = (value: string | undefined): string | null => {
  const e = endpoint(value);
  return e.kind === "ext" ? e.dn : null;
};

const TYPE_KINDS: Record<string, PbxKind | "outside"> = {
  extension: "agent",
  queue: "queue", callcentqueue: "queue",
  ivr: "ivr",
  ringgroup: "ring_group", ring_group: "ring_group", huntgroup: "ring_group",
  vmail: "voicemail", voicemail: "voicemail", vmailbox: "voicemail",
  confplace: "other", parkorb: "other", endcall: "other",
  line: "outside", lineset: "outside", external_line: "outside", provider: "outside", external: "outside",
  outboundrule: "outside", inboundrule: "outside", inbound_rule: "outside",
};

function endedBy(reason: string): "caller" | "agent" | "system" {
  const r = lower(reason);
  // Failed_Cancelled: the caller gave up while it rang.
  if (r === "terminatedbysrc" || r === "src_participant_terminated" || r === "failed_cancelled") return "caller";
  if (r === "terminatedbydst" || r === "dst_participant_terminated") return "agent";
  return "system";
}

/** The endpoints a `chain` field names, in order: `Chain: +1…'Ext.960;Ext.963;Ext.504;`. */
function chainEndpoints(chain: string): Endpoint[] {
  return chain
    .replace(/^\s*chain:\s*/i, "")
    .split(/[;',]/)
    .map((p) => endpoint(p))
    .filter((e) => e.kind !== "none");
}

/** The extensions a chain names, in order. */
export function chainExtensions(chain: string): string[] {
  return chainEndpoints(chain).flatMap((e) => (e.kind === "ext" ? [e.dn] : []));
}

/**
 * What a value must look like in the fields whose content is fixed by 3CX,
 * and how a dead letter says so. 3CX does not quote its fields, so a value
 * holding a comma (a display name such as "Doe, Jane") splits in two and
 * every later value lands one field further on: these shapes are how such a
 * line is told from a good one when it does not also have too many values.
 */
const SHAPES: Partial<Record<string, { test: (v: string) => boolean; expected: string; time?: true }>> = {
  duration: { test: (v) => /^\d{1,3}:\d{2}:\d{2}$/.test(v), expected: "a duration (HH:MM:SS)", time: true },
  "time-start": { test: (v) => CDR_TIME_SHAPE.test(v), expected: "a time (YYYY/MM/DD HH:MM:SS)", time: true },
  "time-answered": { test: (v) => CDR_TIME_SHAPE.test(v), expected: "a time (YYYY/MM/DD HH:MM:SS)", time: true },
  "time-end": { test: (v) => CDR_TIME_SHAPE.test(v), expected: "a time (YYYY/MM/DD HH:MM:SS)", time: true },
  "reason-terminated": { test: (v) => TOKEN.test(v), expected: "a 3CX reason (such as TerminatedBySrc)" },
  "reason-changed": { test: (v) => TOKEN.test(v), expected: "a 3CX reason (such as ReplacedDst)" },
  "bill-rate": { test: (v) => NUMBER.test(v), expected: "a number" },
  "bill-cost": { test: (v) => NUMBER.test(v), expected: "a number" },
  chain: { test: (v) => /^chain:/i.test(v), expected: "a Chain: value" },
  "from-type": { test: (v) => TYPE_TOKEN.test(v), expected: "a 3CX type (such as Line or Extension)" },
  "to-type": { test: (v) => TYPE_TOKEN.test(v), expected: "a 3CX type (such as Line or Extension)" },
  "final-type": { test: (v) => TYPE_TOKEN.test(v), expected: "a 3CX type (such as Line or Extension)" },
  "missed-queue-calls": {
    test: (v) => v.split(/[;,\s]+/).filter(Boolean).every((t) => /^(?:ext\.?)?\d{2,8}$/i.test(t)),
    expected: "a list of extensions (Ext.N;Ext.M)",
  },
};
const CDR_TIME_SHAPE = /^\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}:\d{2}$/;
const TOKEN = /^[A-Za-z][A-Za-z0-9_]*$/;
const TYPE_TOKEN = /^[A-Za-z][A-Za-z0-9_ ]*$/;
const NUMBER = /^-?\d+(?:\.\d+)?$/;
const NO_QUOTING = '3CX does not quote its fields: a value with a comma, such as the display name "Doe, Jane", splits in two';

/** The first field whose value does not have its shape (empty values always fit). */
function misfit(values: string[], fields: string[]): { index: number; field: string } | null {
  for (let i = 0; i < values.length && i < fields.length; i++) {
    const shape = SHAPES[fields[i]!];
    if (values[i] !== "" && shape && !shape.test(values[i]!)) return { index: i, field: fields[i]! };
  }
  return null;
}

/**
 * The fields that, holding a comma, explain the line: joining the value there
 * with the next one (both non-empty, as around a comma inside a name) leaves
 * no more values than fields and every value in its shape. When several do,
 * those followed by a value that begins with a space (", " as people write
 * it) are the likelier ones.
 */
function commaCandidates(raw: string[], values: string[], fields: string[]): string[] {
  const found: { field: string; space: boolean }[] = [];
  for (let j = 0; j + 1 < values.length && j < fields.length; j++) {
    if (values[j] === "" || values[j + 1] === "") continue;
    const joined = [...values.slice(0, j), `${values[j]},${values[j + 1]}`, ...values.slice(j + 2)];
    if (joined.length <= fields.length && misfit(joined, fields) === null) found.push({ field: fields[j]!, space: /^\s/.test(raw[j + 1]!) });
  }
  const spaced = found.filter((c) => c.space);
  return (spaced.length ? spaced : found).map((c) => c.field);
}

const which = (candidates: string[]) =>
  candidates.length === 1 ? `${candidates[0]} holds a comma` : `one of ${candidates.join(", ")} holds a comma`;

/**
 * One line → a record keyed by field name. Missing trailing fields are empty.
 * A line that is not laid out as THREECX_CDR_FIELDS says is an error, never
 * read shifted: more values than fields (a comma inside a field, or a field
 * list shorter than the PBX's); a value that cannot be what its field holds
 * (a duration, a time, a 3CX reason or type, a number, a Chain: value, a list
 * of extensions), naming the field with the comma when joining it with the
 * next value explains the line; a value that begins with a space (", ").
 * What is left unseen: a comma with no space after it that shifts only
 * free-text values into empty fields, in a line configured with more fields
 * than the PBX sends (set THREECX_CDR_FIELDS to what it sends).
 */
export function splitLine(line: string, fields: string[]): CdrRecord {
  let text = line.replace(/\r$/, "");
  text = text.replace(/^\s*call\s+/i, "");
  const raw = text.split(",");
  const values = raw.map((v) => v.trim());
  // (A line that ends with one comma too many is refused too: 3CX writes exactly its configured fields, and a line
  // whose last field is empty and which has a comma inside a display name looks the same.)
  if (values.length > fields.length) {
    const candidates = values.length === fields.length + 1 ? commaCandidates(raw, values, fields) : [];
    const counted = `${values.length} fields, but THREECX_CDR_FIELDS lists ${fields.length}`;
    if (candidates.length) {
      throw new FieldError(candidates.length === 1 ? candidates[0]! : "line", `${counted}: the line has a comma inside a field, ${which(candidates)} (${NO_QUOTING}); the line is not read`);
    }
    throw new FieldError("line", `${counted}: a field holds a comma (${NO_QUOTING}), or THREECX_CDR_FIELDS lists fewer fields than the PBX sends`);
  }
  const bad = misfit(values, fields);
  if (bad) {
    const candidates = commaCandidates(raw, values, fields);
    const shape = SHAPES[bad.field]!;
    if (candidates.length) {
      throw new FieldError(
        candidates.length === 1 ? candidates[0]! : "line",
        `the line has a comma inside a field: ${which(candidates)}, so ${bad.field} holds no ${shape.expected.replace(/^an? /, "")} ` +
          `and every field after it is shifted (${NO_QUOTING}); the line is not read`,
      );
    }
    // A bad time or duration is reported by the reading itself (what it is not); other fields say what they should hold.
    if (!shape.time) {
      throw new FieldError(
        bad.field,
        `${bad.field} is not ${shape.expected}: the fields are not where THREECX_CDR_FIELDS puts them (a field holding a comma, or a field order that is not the PBX's)`,
      );
    }
  }
  // A comma that shifted only free-text fields into empty ones shows in one way: ", " as people write it. 3CX writes
  // no space after its own commas; a value that begins with one (and not every value, as a writer that spaces them all
  // would) follows a comma inside the field before it.
  const spaced = raw.flatMap((v, i) => (i > 0 && values[i - 1] !== "" && /^\s+\S/.test(v) ? [i] : []));
  if (spaced.length && spaced.length < values.slice(1).filter((v) => v !== "").length) {
    const holder = fields[spaced[0]! - 1]!;
    throw new FieldError(holder, `the line has a comma inside a field: ${holder} holds ", " and every field after it is shifted (${NO_QUOTING}); the line is not read`);
  }
  return Object.fromEntries(fields.map((f, i) => [f, values[i] ?? ""]));
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

/** Whether the record carries any of the type fields (from-type, to-type, final-type). */
export const hasTypeFields = (r: CdrRecord) => CDR_TYPE_FIELDS.some((f) => (r[f] ?? "").trim() !== "");

/**
 * A record's identity: callid, else historyid, else a stable hash of start,
 * from, to and dialled number (some field sets carry neither id).
 */
function identity(r: CdrRecord): string {
  if (r["call-id"]) return r["call-id"];
  if (r["history-id"]) return `history:${r["history-id"]}`;
  const key = ["time-start", "from-no", "to-no", "dial-no"].map((f) => r[f] ?? "").join("\u001f");
  return `cdr:${createHash("sha256").update(key).digest("hex").slice(0, 32)}`;
}

/** A 3CX record → one normalised call (a segment of it, when 3CX sends one record per segment). */
export function recordToCall(r: CdrRecord, ctx: ThreeCxContext, rawLine: string): NormalisedCall {
  // What makes a record a call: a start, a caller or callee, and an identity (always there: an id or a hash).
  if (!r["time-start"]) throw new FieldError("time-start", "time-start is missing");
  if (!r["from-no"] && !r["to-no"]) throw new FieldError("from-no", "from-no and to-no are both missing: the record names no caller and no callee");
  const callId = identity(r);
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

  // A type field overrides the number's look only when it names a kind we know (an unknown token is ignored).
  const typeOf = (field: string) => TYPE_KINDS[lower(r[field]).replace(/\s+/g, "")];
  /** What a number is: the directory first (a queue or IVR is never an agent), then the record's type field. */
  const kindOf = (dn: string, typeField?: string): PbxKind | "outside" => {
    const known = ctx.directory?.get(dn) ?? (ctx.queueExtensions?.has(dn) ? "queue" : undefined);
    if (known && known !== "unknown") return known;
    const typed = typeField ? typeOf(typeField) : undefined;
    return typed ?? "unknown";
  };

  const from = endpoint(r["from-no"]);
  const to = endpoint(r["to-no"]);
  const fin = endpoint(r["final-number"]);
  const fromOutside = from.kind === "outside" ? [undefined, "outside"].includes(typeOf("from-type")) : typeOf("from-type") === "outside";
  const fromDn = from.kind === "ext" ? from.dn : /^\d{2,8}$/.test(r["from-dn"] ?? "") && !fromOutside ? r["from-dn"]! : null;
  // The first destination: to-no (Ext.N), else to-dn when it is an internal number.
  const toDn = to.kind === "ext" ? to.dn : to.kind === "none" && DN.test(r["to-dn"] ?? "") ? r["to-dn"]! : null;
  const finDn = fin.kind === "ext" ? fin.dn : fin.kind === "none" && DN.test(r["final-dn"] ?? "") && r["final-dn"] !== r["to-dn"] ? r["final-dn"]! : null;
  const toKind = toDn ? kindOf(toDn, "to-type") : to.kind === "outside" ? (typeOf("to-type") ?? "outside") : null;
  const finKind = finDn ? kindOf(finDn, "final-type") : fin.kind === "outside" ? (typeOf("final-type") ?? "outside") : null;
  const voicemail = to.kind === "vmail" || fin.kind === "vmail" || toKind === "voicemail" || finKind === "voicemail" ||
    lower(r["final-type"]).startsWith("vmail") || lower(r["final-type"]) === "voicemail";

  // Direction: from outside → inbound; from inside to outside → outbound; pick-ups and EndCall misdials are internal.
  const toOutside = to.kind === "outside" && [undefined, "outside"].includes(typeOf("to-type"));
  const finOutside = fin.kind === "outside" && lower(r["reason-changed"]) !== "replacedsrc";
  const direction: "inbound" | "outbound" | "internal" = fromOutside
    ? "inbound"
    : to.kind === "pickup" || to.kind === "endcall"
      ? "internal"
      : toOutside || (to.kind === "none" && (finOutside || endpoint(r["dial-no"]).kind === "outside"))
        ? "outbound"
        : "internal";

  const segment = r["history-id"] || createHash("sha256").update(rawLine).digest("hex").slice(0, 32);
  const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString());
  const legs: NormalisedLeg[] = [];
  let queueExt: string | null = null;
  let endedIn: NonNullable<NormalisedCall["ended_in"]>;
  // An agent: the directory or a type field says so; a number known nowhere is taken for an agent
  // where it answered or ended the call (most numbers are people), never as a hop that passed the call on.
  const isAgent = (kind: PbxKind | "outside" | null, asHop: boolean) => kind === "agent" || (kind === "unknown" && !asHop);

  if (direction === "outbound") {
    // The agent is the one who dialled; the call ends outside.
    const agent = fromDn;
    if (agent) {
      legs.push(answered !== null
        ? { leg_key: `${segment}:talk:${agent}`, agent_extension: agent, start: iso(start)!, answered: iso(Math.max(answered, start)), end: iso(end), leg_type: "talk", outcome: "answered" }
        : { leg_key: `${segment}:ring:${agent}`, agent_extension: agent, start: iso(start)!, answered: null, end: iso(end), leg_type: "ring", outcome: "missed" });
    }
    endedIn = "outside";
  } else {
    // The call was passed on from its first destination to the final number (a queue's agent, an IVR's choice, a
    // transfer). Not when the source was replaced (ReplacedSrc) or a transfer failed (FailedBXfer…).
    const reason = lower(r["reason-changed"]);
    // (A destination "replaced" by the caller itself is no hop either: seen on internal calls.)
    const passedOn = finDn !== null && finDn !== toDn && finDn !== fromDn && reason !== "replacedsrc" && !reason.startsWith("failed");
    if (toDn && toKind === "queue") queueExt = toDn;
    else if (passedOn && finKind === "queue") queueExt = finDn;
    // The first destination handled the call if it is an agent and either kept it or transferred it (ReplacedDst).
    const toAgent = toDn !== null && isAgent(toKind, passedOn) && (!passedOn || reason === "replaceddst");
    const finAgent = passedOn && isAgent(finKind, false);
    if (answered !== null && !voicemail) {
      if (toAgent) {
        // The first destination answered: its answer time is in the record. Passed on, its talk ended at an unknown time.
        legs.push({
          leg_key: `${segment}:talk:${toDn}`, agent_extension: toDn!, start: iso(start)!, answered: iso(Math.max(answered, start)),
          end: finAgent ? null : iso(end), leg_type: "talk", outcome: "answered",
        });
      }
      if (finAgent) {
        // Reached through a queue, an IVR or a colleague: when this agent answered is not in the record.
        legs.push({
          leg_key: `${segment}:talk:${finDn}`, agent_extension: finDn!, start: iso(start)!, answered: null, answer_known: false,
          end: iso(end), leg_type: toAgent ? "transfer" : "talk", outcome: "answered",
        });
      }
    } else if (!voicemail && toAgent && !finAgent) {
      legs.push({ leg_key: `${segment}:ring:${toDn}`, agent_extension: toDn!, start: iso(start)!, answered: null, end: iso(end), leg_type: "ring", outcome: "missed" });
    }
    const last = passedOn ? { dn: finDn, kind: finKind } : { dn: toDn, kind: toKind };
    endedIn = voicemail ? "voicemail"
      : to.kind === "endcall" || fin.kind === "endcall" || to.kind === "pickup" ? "other"
      : last.kind === null ? "other"
      : last.kind === "unknown" ? (legs.some((l) => l.agent_extension === last.dn) ? "agent" : "unknown")
      : last.kind;
  }
  if (voicemail) {
    legs.push({ leg_key: `${segment}:voicemail`, agent_extension: null, start: iso(start)!, answered: null, end: iso(end), leg_type: "voicemail", outcome: "voicemail" });
  }
  // Agents a queue polled who did not answer: only when 3CX lists them (missed-queue-calls).
  const agentsOnCall = new Set(legs.map((l) => l.agent_extension));
  const missed = (r["missed-queue-calls"] ?? "").split(/[;,\s]+/).map(extension).filter((e): e is string => e !== null);
  for (const ext of new Set(missed)) {
    if (agentsOnCall.has(ext)) continue;
    legs.push({ leg_key: `${segment}:missed:${ext}`, agent_extension: ext, start: iso(start)!, answered: null, end: null, leg_type: "ring", outcome: "missed" });
  }

  // The route: the PBX's numbers the call passed, in order (the chain, else the record's endpoints).
  const hops = r["chain"] ? chainEndpoints(r["chain"]) : [from, to, fin];
  const route: string[] = [];
  for (const h of hops) {
    const dn = h.kind === "ext" || h.kind === "pickup" ? h.dn : null;
    if (dn && route[route.length - 1] !== dn) route.push(dn);
  }
  // The dialled destination and the final number, where the chain names other numbers (Ext.999 → mailbox 101).
  if (toDn && !route.includes(toDn)) route.splice(fromDn && route[0] === fromDn ? 1 : 0, 0, toDn);
  if (finDn && !route.includes(finDn)) route.push(finDn);

  // What the record's own type fields say of its numbers (so a typed IVR enters the directory as an IVR).
  const typedKinds: Record<string, PbxKind | "outside"> = {};
  for (const [dn, field] of [[fromDn, "from-type"], [toDn, "to-type"], [finDn, "final-type"]] as const) {
    const typed = dn ? typeOf(field) : undefined;
    if (dn && typed && typed !== "outside") typedKinds[dn] = typed;
  }

  const outsideNumber = direction === "outbound" ? (to.kind === "outside" ? to.number : r["dial-no"]) : direction === "inbound" ? r["from-no"] : null;
  const candidate = {
    call_id: callId,
    direction,
    caller_number: outsideNumber || null,
    caller_name: (direction === "outbound" ? r["to-dispname"] : direction === "inbound" ? r["from-dispname"] : null) || null,
    called_number: r["dial-no"] || (to.kind === "outside" ? to.number : toDn) || null,
    queue_extension: queueExt,
    start: iso(start)!,
    end: iso(end),
    ended_by: endedBy(r["reason-terminated"] ?? ""),
    voicemail,
    ended_in: endedIn,
    pbx_route: route,
    pbx_kinds: typedKinds,
    // A code dialled after the number (3CX's billing code, e.g. **RECALL) names an outbound call's campaign.
    ...(direction === "outbound" && r["bill-code"]?.trim() ? { campaign_code: r["bill-code"].trim() } : {}),
    // What the PBX billed for this segment (3CX bill-cost, empty when billing is not set up), kept per record.
    ...billCostOf(r, callId),
    legs,
  };
  const parsed = normalisedCall.safeParse(settleOutbound(candidate));
  if (!parsed.success) {
    const { field, reason } = describeIssue(parsed.error);
    throw new FieldError(field ?? "record", reason);
  }
  const implausible = checkCallWindow(parsed.data, ctx.window, THREECX_TIME_FIELDS);
  if (implausible) throw new FieldError(implausible.field, implausible.reason);
  return parsed.data;
}

/** The record's bill-cost (3CX's call charge for the segment), with the record's identity; nothing when empty or not a number. */
function billCostOf(r: CdrRecord, callId: string): { bill_cost?: { record: string; amount: number } } {
  const value = r["bill-cost"]?.trim();
  if (!value || !NUMBER.test(value) || Number(value) < 0) return {};
  return { bill_cost: { record: r["history-id"]?.trim() || `${callId}@${r["time-start"] ?? ""}`, amount: Number(value) } };
}

/** A 3CX call's times come from these fields (its legs' too). */
const THREECX_TIME_FIELDS = {
  start: "time-start",
  end: "time-end",
  leg: (_i: number, t: "start" | "answered" | "end") => (t === "answered" ? "time-answered" : t === "start" ? "time-start" : "time-end"),
};

export interface ThreeCxParse {
  calls: NormalisedCall[];
  rejections: Rejection[];
  samples: FeedSample[];
}

function sampleOf(call: NormalisedCall, r: CdrRecord): FeedSample {
  return { recordEnd: call.end ?? call.start, hasTypeFields: hasTypeFields(r) };
}

/** Text body → calls and dead letters, line by line. */
export function parseCdrLines(body: Buffer, ctx: ThreeCxContext): ThreeCxParse {
  const calls: NormalisedCall[] = [];
  const rejections: Rejection[] = [];
  const samples: FeedSample[] = [];
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
      const record = splitLine(text, ctx.fields);
      const call = recordToCall(record, ctx, text);
      calls.push(call);
      samples.push(sampleOf(call, record));
    } catch (e) {
      if (e instanceof FieldError) reject(e.field, e.message);
      else if (e instanceof CdrTimeError) reject("time", e.message);
      else throw e;
    }
  }
  return { calls, rejections, samples };
}

/** JSON CDR records keyed by the kebab field names, or 3CX's own spellings (one object or an array). */
export function parseCdrJson(records: unknown[], ctx: ThreeCxContext): ThreeCxParse {
  const calls: NormalisedCall[] = [];
  const rejections: Rejection[] = [];
  const samples: FeedSample[] = [];
  records.forEach((rec, i) => {
    const line = Buffer.from(JSON.stringify(rec));
    if (typeof rec !== "object" || rec === null || Array.isArray(rec)) {
      rejections.push({ lineNumber: i + 1, line, field: null, reason: "a CDR record must be a JSON object" });
      return;
    }
    const record = Object.fromEntries(
      Object.entries(rec).map(([k, v]) => [canonicalCdrField(k) ?? k.toLowerCase(), v === null || v === undefined ? "" : String(v).trim()]),
    );
    try {
      const call = recordToCall(record, ctx, line.toString());
      calls.push(call);
      samples.push(sampleOf(call, record));
    } catch (e) {
      if (e instanceof FieldError) rejections.push({ lineNumber: i + 1, line, field: e.field, reason: e.message });
      else if (e instanceof CdrTimeError) rejections.push({ lineNumber: i + 1, line, field: "time", reason: e.message });
      else throw e;
    }
  });
  return { calls, rejections, samples };
}

