/**
 * Simulated calls → what a phone system sends: 3CX CDR lines (v18 or v20
 * tokens, any field order, one record per call segment, written when the
 * segment ends), 3CX ReportCall posts beside those lines, or our neutral
 * call format. Also a small share of malformed records, and the answer key
 * that says what ingestion must make of everything sent.
 */
import type { Clock } from "./clock.js";
import { hms } from "./clock.js";
import { queueByExtension } from "./practice.js";
import type { Random } from "./random.js";
import { callOutcome, type SimCall, type SimLeg } from "./traffic.js";

export type SimFormat = "3cx-v18" | "3cx-v20" | "reportcall" | "neutral";
export const SIM_FORMATS: readonly SimFormat[] = ["3cx-v18", "3cx-v20", "reportcall", "neutral"];

/** One record as sent: a CDR line (text) or one JSON object, due when its segment ended. */
export interface SimRecord {
  at: number;
  callId: string;
  contentType: "text/plain" | "application/json";
  text: string;
}

/** What ingestion must make of one call (or, for a malformed record, the dead letter it must become). */
export interface AnswerKeyCall {
  call_id: string;
  kind: SimCall["kind"];
  direction: SimCall["direction"];
  status: SimCall["status"];
  /** Queue extension the caller entered. */
  queue: string | null;
  /** First agent who answered. */
  agent: string | null;
  transfer_count: number;
  /** Agent answer − start (answered), end − start (unanswered). */
  wait_seconds: number;
  answered_agents: string[];
  missed_agents: string[];
  start: string;
  end: string;
  voicemail: boolean;
  /** True when a ReportCall post with a recording was sent for the call. */
  recording: boolean;
  caller_number: string | null;
}
export interface AnswerKeyMalformed {
  malformed: true;
  call_id: string;
  /** The field the dead letter must name. */
  field: string;
}
export type AnswerKeyEntry = AnswerKeyCall | AnswerKeyMalformed;

interface Tokens {
  bySource: string;
  byDest: string;
  redirected: string;
  replaced: string;
  failed: string;
  line: string;
  queue: string;
  extension: string;
  voicemail: string;
}
const V18: Tokens = { bySource: "TerminatedBySrc", byDest: "TerminatedByDst", redirected: "Redirected", replaced: "ReplacedDst", failed: "Failed", line: "Line", queue: "Queue", extension: "Extension", voicemail: "VMail" };
const V20: Tokens = { bySource: "src_participant_terminated", byDest: "dst_participant_terminated", redirected: "redirected", replaced: "replaced_dst", failed: "no_route", line: "external_line", queue: "queue", extension: "extension", voicemail: "voicemail" };

export interface RenderContext {
  format: SimFormat;
  /** 3CX field order (kebab names), as THREECX_CDR_FIELDS. */
  fields: string[];
  clock: Clock;
  rnd: Random;
}

/** One 3CX CDR record → a line in the configured field order. */
function line(record: Record<string, string>, fields: string[]): string {
  return `Call ${fields.map((f) => record[f] ?? "").join(",")}`;
}

function threeCxRecords(call: SimCall, ctx: RenderContext): SimRecord[] {
  const t = ctx.format === "3cx-v18" ? V18 : V20;
  const c = ctx.clock;
  const ext = (e: string) => `Ext.${e}`;
  const out: SimRecord[] = [];
  // 3CX numbers each segment (history id); derived from the call's own number, so re-rendering is byte-identical.
  const callNumber = Number(call.callId.split("_").at(-1)) || 0;
  const push = (at: number, r: Record<string, string>) => {
    out.push({ at, callId: call.callId, contentType: "text/plain", text: line({ "history-id": String(callNumber * 10 + out.length + 1), "call-id": call.callId, ...r }, ctx.fields) });
  };
  const times = (start: number, answered: number | null, end: number) => ({
    duration: hms((end - start) / 1000),
    "time-start": c.threeCx(start),
    "time-answered": answered === null ? "" : c.threeCx(answered),
    "time-end": c.threeCx(end),
  });
  const ending = (endedBy: SimCall["endedBy"]) => (endedBy === "caller" ? t.bySource : endedBy === "agent" ? t.byDest : t.failed);
  const caller = { "from-no": call.externalNumber ?? "", "from-type": t.line, "from-dispname": call.externalName ?? "" };

  /** The queue part of a call: from arrival until an agent answers, the caller gives up, or voicemail. */
  const queueSegment = (queue: string, start: number, end: number, legs: SimLeg[], reason: string, voicemail: boolean) => {
    const missed = legs.filter((l) => l.answered === null).map((l) => ext(l.agent));
    push(end, {
      ...times(start, null, end), ...caller,
      "reason-terminated": reason, "to-no": ext(queue), "to-dn": queue, "dial-no": queue, "to-type": t.queue,
      "to-dispname": queueByExtension.get(queue)?.name ?? "", "reason-changed": missed.length ? "QFwdToDNA" : "",
      "final-number": voicemail ? `VMail.${queue}` : "", "final-dn": "", "final-type": voicemail ? t.voicemail : "",
      chain: `Chain: ${call.externalNumber ?? ""}'${[ext(queue), ...missed].join(";")};`,
      "missed-queue-calls": missed.join(";"),
    });
  };
  /** An agent's part: rang (and answered) on the agent's own extension. */
  const agentSegment = (leg: SimLeg, reason: string, changed: string) =>
    push(leg.end, {
      ...times(leg.ringStart, leg.answered, leg.end), ...caller,
      "reason-terminated": reason, "reason-changed": changed,
      "to-no": ext(leg.agent), "to-dn": leg.agent, "dial-no": leg.agent, "to-type": t.extension,
      "final-number": ext(leg.agent), "final-dn": leg.agent, "final-type": t.extension,
      chain: `Chain: ${call.externalNumber ?? ""}'${ext(leg.agent)};`,
    });

  switch (call.kind) {
    case "failed":
      queueSegment(call.queue!, call.start, call.end, [], t.failed, false);
      break;
    case "after_hours":
      queueSegment(call.queue!, call.start, call.end, [], t.bySource, true);
      break;
    case "direct":
      agentSegment(call.legs[0]!, ending(call.endedBy), "");
      break;
    case "queue": {
      const answered = call.legs.filter((l) => l.answered !== null);
      const firstQueueLegs = call.legs.filter((l) => l.queue === call.queue);
      if (answered.length === 0) {
        queueSegment(call.queue!, call.start, call.end, firstQueueLegs, call.voicemail ? t.bySource : ending(call.endedBy), call.voicemail);
        break;
      }
      queueSegment(call.queue!, call.start, answered[0]!.ringStart, firstQueueLegs, t.redirected, false);
      answered.forEach((leg, i) => {
        const last = i === answered.length - 1;
        if (i > 0 && leg.queue && call.secondQueueAt !== null) {
          queueSegment(leg.queue, call.secondQueueAt, leg.ringStart, [], t.redirected, false);
        }
        agentSegment(leg, last ? ending(call.endedBy) : t.replaced, i > 0 ? t.replaced : "");
      });
      break;
    }
    case "outbound": {
      const leg = call.legs[0]!;
      push(call.end, {
        ...times(call.start, leg.answered, call.end),
        "reason-terminated": leg.answered ? ending(call.endedBy) : t.bySource,
        "from-no": ext(leg.agent), "from-dn": leg.agent, "from-type": t.extension, "from-dispname": "",
        "to-no": call.externalNumber!, "to-dn": "", "dial-no": call.externalNumber!, "to-type": t.line, "to-dispname": call.externalName ?? "",
        "final-number": call.externalNumber!, "final-dn": "", "final-type": t.line,
        chain: `Chain: ${ext(leg.agent)};${call.externalNumber};`,
      });
      break;
    }
    case "internal": {
      const leg = call.legs[0]!;
      push(call.end, {
        ...times(call.start, leg.answered, call.end),
        "reason-terminated": t.bySource,
        "from-no": ext(call.fromExtension!), "from-dn": call.fromExtension!, "from-type": t.extension,
        "to-no": ext(leg.agent), "to-dn": leg.agent, "dial-no": leg.agent, "to-type": t.extension,
        "final-number": ext(leg.agent), "final-dn": leg.agent, "final-type": t.extension,
        chain: `Chain: ${ext(call.fromExtension!)};${ext(leg.agent)};`,
      });
      break;
    }
  }
  return out;
}

function neutralRecord(call: SimCall, ctx: RenderContext): SimRecord {
  const c = ctx.clock;
  const body = {
    format: "call",
    call_id: call.callId,
    direction: call.direction,
    caller_number: call.direction === "internal" ? call.fromExtension : call.externalNumber,
    caller_name: call.externalName,
    called_number: call.calledNumber || null,
    queue: call.queue,
    start: c.iso(call.start),
    end: c.iso(call.end),
    ended_by: call.endedBy,
    voicemail: call.voicemail,
    legs: call.legs.map((l, i) => ({
      leg_id: String(i + 1), agent_extension: l.agent, start: c.iso(l.ringStart), answered: l.answered === null ? null : c.iso(l.answered), end: c.iso(l.end),
    })),
  };
  return { at: call.end, callId: call.callId, contentType: "application/json", text: JSON.stringify(body) };
}

/** A ReportCall post for calls an agent talked on with someone outside: the CRM journal 3CX sends, with the recording. */
function reportCallRecord(call: SimCall, ctx: RenderContext): SimRecord | null {
  const o = callOutcome(call);
  if (!o.agent || call.direction === "internal" || !call.externalNumber) return null;
  const post = {
    CallType: call.direction === "outbound" ? "Outbound" : "Inbound",
    Number: call.externalNumber,
    Name: call.externalName ?? "",
    Agent: o.agent,
    CallStartTimeUTC: new Date(call.start).toISOString(),
    CallEstablishedTimeUTC: new Date(o.answeredAt!).toISOString(),
    CallEndTimeUTC: new Date(call.end).toISOString(),
    RecordingUrl: `https://recordings.example.invalid/${call.callId}.wav`,
  };
  // Either just before or just after the call's last CDR line.
  return { at: call.end + (ctx.rnd.chance(0.5) ? -1 : 1), callId: call.callId, contentType: "application/json", text: JSON.stringify(post) };
}

/** Everything sent for one call, in the order it is sent. */
export function renderCall(call: SimCall, ctx: RenderContext): SimRecord[] {
  if (ctx.format === "neutral") return [neutralRecord(call, ctx)];
  const records = threeCxRecords(call, ctx);
  if (ctx.format === "reportcall") {
    const post = reportCallRecord(call, ctx);
    if (post) records.push(post);
  }
  return records;
}

/** Whether a ReportCall post goes with this call in this format. */
export function hasRecording(call: SimCall, format: SimFormat): boolean {
  return format === "reportcall" && callOutcome(call).agent !== null && call.direction !== "internal" && !!call.externalNumber;
}

const MALFORMED_KINDS = ["no-start", "impossible-date", "ends-before-start", "extra-fields", "nul-byte"] as const;

/**
 * A malformed record made from a good one, under a call id of its own (so it
 * can never be mistaken for the good call): what a broken exporter or a
 * damaged file produces. Returns the record and the dead letter it must become.
 */
export function renderMalformed(call: SimCall, n: number, ctx: RenderContext): { record: SimRecord; key: AnswerKeyMalformed } {
  const callId = `BAD${n}_${call.callId}`;
  const broken: SimCall = { ...call, callId };
  if (ctx.format === "neutral") {
    const obj = JSON.parse(neutralRecord(broken, ctx).text) as Record<string, unknown>;
    if (ctx.rnd.chance(0.5)) {
      delete obj.start;
      return { record: { at: call.end, callId, contentType: "application/json", text: JSON.stringify(obj) }, key: { malformed: true, call_id: callId, field: "start" } };
    }
    obj.end = ctx.clock.iso(call.start - 60_000);
    return { record: { at: call.end, callId, contentType: "application/json", text: JSON.stringify(obj) }, key: { malformed: true, call_id: callId, field: "end" } };
  }
  const last = broken.legs.at(-1);
  const base: SimCall = last ? { ...broken, kind: "direct", direction: "inbound", legs: [last], start: last.ringStart, end: last.end } : broken;
  const good = threeCxRecords(base, ctx)[0]!;
  const fields = good.text.replace(/^Call /, "").split(",");
  const at = (name: string) => ctx.fields.indexOf(name);
  const possible = MALFORMED_KINDS.filter((k) =>
    k === "no-start" || k === "impossible-date" ? at("time-start") >= 0 : k === "ends-before-start" ? at("time-end") >= 0 && at("time-start") >= 0 : true);
  const kind = ctx.rnd.pick(possible);
  let text: string;
  let field: string;
  switch (kind) {
    case "no-start":
      fields[at("time-start")] = "";
      text = `Call ${fields.join(",")}`;
      field = "time-start";
      break;
    case "impossible-date":
      fields[at("time-start")] = fields[at("time-start")]!.replace(/^(\d{4})\/\d{2}\/\d{2}/, "$1/02/30");
      text = `Call ${fields.join(",")}`;
      field = "time-start";
      break;
    case "ends-before-start":
      fields[at("time-end")] = ctx.clock.threeCx(base.start - 3_600_000);
      if (at("duration") >= 0) fields[at("duration")] = "";
      if (at("time-answered") >= 0) fields[at("time-answered")] = "";
      text = `Call ${fields.join(",")}`;
      field = "end";
      break;
    case "extra-fields":
      text = `Call ${fields.join(",")},x,y,z`;
      field = "line";
      break;
    case "nul-byte":
      text = `Call \u0000${fields.join(",")}`;
      field = "line";
      break;
  }
  return { record: { at: call.end, callId, contentType: "text/plain", text }, key: { malformed: true, call_id: callId, field } };
}

/** What ingestion must make of a call sent in this format. */
export function answerKeyFor(call: SimCall, format: SimFormat, clock: Clock): AnswerKeyCall {
  const o = callOutcome(call);
  return {
    call_id: call.callId,
    kind: call.kind,
    direction: call.direction,
    status: call.status,
    queue: call.queue,
    agent: o.agent,
    transfer_count: o.transferCount,
    wait_seconds: Math.round(((o.answeredAt ?? call.end) - call.start) / 1000),
    answered_agents: o.answeredAgents,
    missed_agents: o.missedAgents,
    start: clock.iso(call.start),
    end: clock.iso(call.end),
    voicemail: call.voicemail,
    recording: hasRecording(call, format),
    caller_number: call.direction === "internal" ? null : call.externalNumber,
  };
}
