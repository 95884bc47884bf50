/**
 * Simulated call traffic for the practice, one business day at a time: what
 * really happened on each call (the truth the answer key is written from),
 * before any rendering into 3CX lines or other formats.
 *
 * Inbound calls arrive per queue with daily and weekly peaks and are served
 * first come, first served by the queue's agents on shift (each agent one
 * call at a time, with wrap-up after it); a queue polls agents, some let it
 * ring; callers lose patience (a few within seconds: short abandons); long
 * waits and after-hours calls go to voicemail; some answered calls are
 * transferred to a colleague or to another queue; a few calls fail. Agents
 * also place campaign calls in the afternoon and call each other. Callers
 * come back within hours and within days.
 */
import { Clock } from "./clock.js";
import { AGENTS, LOCATIONS, QUEUES, agentByExtension, openingHours, queueByExtension, shiftWindow, type Location, type SimAgent } from "./practice.js";
import { Random } from "./random.js";

export interface SimLeg {
  agent: string;
  /** Which queue polled the agent (null: dialled or transferred directly). */
  queue: string | null;
  ringStart: number;
  answered: number | null;
  end: number;
}

export type CallKind = "queue" | "direct" | "outbound" | "internal" | "after_hours" | "failed";
export type CallStatus = "completed" | "transferred" | "abandoned" | "missed" | "voicemail";

export interface SimCall {
  callId: string;
  kind: CallKind;
  direction: "inbound" | "outbound" | "internal";
  /** The queue the caller entered (extension), if any; a transfer may take the call to a second queue. */
  queue: string | null;
  secondQueue: string | null;
  /** When the call reached the second queue. */
  secondQueueAt: number | null;
  /** The outside party (caller for inbound, callee for outbound); for internal calls the calling extension. */
  externalNumber: string | null;
  externalName: string | null;
  calledNumber: string;
  start: number;
  end: number;
  endedBy: "caller" | "agent" | "system";
  voicemail: boolean;
  /** Every agent the call rang, in order; answered legs after the first are transfers. */
  legs: SimLeg[];
  status: CallStatus;
  /** For internal calls: the extension that dialled. */
  fromExtension: string | null;
}

export interface SimShift {
  agent: string;
  date: string;
  scheduledStart: number;
  scheduledEnd: number;
  /** null: absent. */
  actualStart: number | null;
  actualEnd: number | null;
  lunchMinutes: number;
}

export interface SimDay {
  date: string;
  calls: SimCall[];
  shifts: SimShift[];
}

export interface TrafficOptions {
  seed: number;
  /** Average inbound calls on a weekday, across the practice. */
  volume: number;
  timeZone: string;
}

const HOURLY = [0.9, 1.45, 1.35, 1.15, 0.8, 0.95, 1.2, 1.0, 0.7]; // 08:00 … 16:00
const WEEKLY = [0, 1.25, 1.05, 1.0, 0.95, 0.85, 0.35]; // Sunday … Saturday
const SHORT_ABANDON_SHARE = 0.03;
const MEAN_PATIENCE_S = 150;
const MAX_QUEUE_WAIT_S = 240;
const MISS_CHANCE = 0.12;
const TRANSFER_TO_AGENT = 0.05;
const TRANSFER_TO_QUEUE = 0.03;
const FAILED_SHARE = 0.005;
const DIRECT_SHARE = 0.04;
const OUTBOUND_SHARE = 0.1;
const INTERNAL_SHARE = 0.04;
const AFTER_HOURS_SHARE = 0.04;
const TALK_MEDIAN_S = 180;
/** After a call an agent wraps up, and now and then steps away (a patient at the desk, paperwork). */
const NOT_READY_CHANCE = 0.3;
const NOT_READY_MEAN_S = 300;
const S = 1000;

/** Stable, 3CX-looking call ids: `<16 hex>_<n>`, unique per seed and day. */
function callIdFor(seed: number, date: string, n: number): string {
  const day = Math.round(Date.parse(`${date}T00:00:00Z`) / 86_400_000);
  const hex = ((BigInt(seed >>> 0) << 24n) | BigInt(day)).toString(16).toUpperCase().padStart(16, "0");
  return `${hex}_${n}`;
}

/** Callers: a pool per location, so some call back within hours and some within days. */
class Callers {
  private readonly recent = new Map<Location, string[]>();
  private readonly today = new Map<Location, string[]>();
  private counter = 0;
  constructor(private readonly rnd: Random, private readonly seed: number) {}
  newDay() {
    for (const [loc, list] of this.today) {
      const pool = [...(this.recent.get(loc) ?? []), ...list];
      this.recent.set(loc, pool.slice(-4000));
    }
    this.today.clear();
  }
  next(location: Location): { number: string; name: string } {
    const today = this.today.get(location) ?? [];
    this.today.set(location, today);
    const recent = this.recent.get(location) ?? [];
    let number: string;
    const r = this.rnd.float();
    if (r < 0.08 && today.length > 0) number = this.rnd.pick(today);
    else if (r < 0.2 && recent.length > 0) number = this.rnd.pick(recent);
    else {
      this.counter++;
      const area = location === "Wixom" ? "248" : "734";
      // A bijective scramble of the counter: distinct numbers for millions of callers, stable per seed.
      const local = 2_000_000 + ((this.counter * 7_654_321 + this.seed * 7919) % 8_000_000);
      number = `+1${area}${local}`;
    }
    today.push(number);
    return { number, name: nameFor(number) };
  }
}

const CALLER_FIRST = ["Alex", "Jamie", "Robin", "Sam", "Terry", "Chris", "Pat", "Lee", "Drew", "Jesse"];
const CALLER_LAST = ["Doe", "Roe", "Poe", "Moe", "Smith", "Jones", "Brown", "Young", "King", "Hill"];
function nameFor(number: string): string {
  const n = Number(number.slice(-4));
  return `${CALLER_FIRST[n % 10]} ${CALLER_LAST[Math.floor(n / 10) % 10]}`;
}

interface AgentState {
  agent: SimAgent;
  busyUntil: number;
  onShift: [number, number] | null;
  lunch: [number, number] | null;
}

export class TrafficSimulator {
  private readonly rnd: Random;
  private readonly clock: Clock;
  private readonly callers: Callers;

  constructor(private readonly options: TrafficOptions) {
    this.rnd = new Random(options.seed);
    this.clock = new Clock(options.timeZone);
    this.callers = new Callers(this.rnd, options.seed);
  }

  /** One local business day of traffic (days must be asked for in order, for callers to come back). */
  day(date: string): SimDay {
    const rnd = this.rnd;
    const clock = this.clock;
    const weekday = Clock.weekday(date);
    this.callers.newDay();
    let n = 0;
    const nextId = () => callIdFor(this.options.seed, date, ++n);
    const at = (secondsOfDay: number) => clock.at(date, secondsOfDay);

    // Shifts: scheduled, with a few absences and late starts.
    const shifts: SimShift[] = [];
    const states = new Map<string, AgentState>();
    for (const agent of AGENTS) {
      const w = shiftWindow(agent, weekday);
      const state: AgentState = { agent, busyUntil: 0, onShift: null, lunch: null };
      states.set(agent.extension, state);
      if (!w) continue;
      const absent = rnd.chance(0.04);
      const late = !absent && rnd.chance(0.1) ? rnd.int(1, 25) * 60 : 0;
      const early = !absent && rnd.chance(0.05) ? rnd.int(5, 40) * 60 : 0;
      const actualStart = absent ? null : at(w.start) + late * S;
      const actualEnd = absent ? null : at(w.end) - early * S;
      shifts.push({
        agent: agent.extension, date, scheduledStart: at(w.start), scheduledEnd: at(w.end),
        actualStart, actualEnd, lunchMinutes: w.lunch ? 30 : 0,
      });
      if (actualStart !== null && actualEnd !== null) {
        state.onShift = [actualStart, actualEnd];
        state.lunch = w.lunch ? [at(w.lunch[0]), at(w.lunch[1])] : null;
        state.busyUntil = actualStart;
      }
    }
    const availableFrom = (s: AgentState, t: number): number | null => {
      if (!s.onShift) return null;
      let from = Math.max(t, s.busyUntil, s.onShift[0]);
      if (s.lunch && from >= s.lunch[0] && from < s.lunch[1]) from = s.lunch[1];
      return from < s.onShift[1] ? from : null;
    };

    // Inbound arrivals per queue, minute by minute.
    const dayFactor = WEEKLY[weekday]!;
    const arrivals: { t: number; queue: string }[] = [];
    for (const q of QUEUES) {
      const hours = openingHours(weekday, q.location);
      if (!hours) continue;
      const perDay = this.options.volume * q.share * dayFactor;
      const weightSum = HOURLY.reduce((a, b) => a + b, 0);
      for (let sec = hours[0]; sec < hours[1]; sec += 60) {
        const hourWeight = HOURLY[Math.floor(sec / 3600) - 8] ?? 0.7;
        const perMinute = (perDay * hourWeight) / weightSum / 60;
        const count = rnd.poisson(perMinute);
        for (let i = 0; i < count; i++) arrivals.push({ t: at(sec + rnd.int(0, 59)), queue: q.extension });
      }
    }
    arrivals.sort((a, b) => a.t - b.t);

    const calls: SimCall[] = [];
    const base = (queue: string | null, t: number) => {
      const q = queue ? queueByExtension.get(queue)! : null;
      const who = this.callers.next(q?.location ?? rnd.pick(LOCATIONS));
      return { externalNumber: who.number, externalName: who.name, calledNumber: queue ?? "", start: t };
    };

    for (const { t, queue } of arrivals) {
      const callId = nextId();
      const caller = base(queue, t);
      if (rnd.chance(FAILED_SHARE)) {
        calls.push({ ...caller, callId, kind: "failed", direction: "inbound", queue, secondQueue: null, secondQueueAt: null,
          end: t + rnd.int(0, 3) * S, endedBy: "system", voicemail: false, legs: [], status: "missed", fromExtension: null });
        continue;
      }
      if (rnd.chance(DIRECT_SHARE)) {
        // A caller dialling an agent's direct line.
        const agent = rnd.pick(AGENTS.filter((a) => queueByExtension.get(queue)!.location === a.location));
        const s = states.get(agent.extension)!;
        const free = availableFrom(s, t);
        const ring = rnd.int(4, 15) * S;
        if (free !== null && free === t && !rnd.chance(0.25)) {
          const talk = Math.round(rnd.logNormal(120, 0.6)) * S;
          const end = t + ring + talk;
          s.busyUntil = end + rnd.int(10, 40) * S;
          calls.push({ ...caller, callId, kind: "direct", direction: "inbound", queue: null, secondQueue: null, secondQueueAt: null, calledNumber: agent.extension,
            end, endedBy: rnd.chance(0.5) ? "caller" : "agent", voicemail: false,
            legs: [{ agent: agent.extension, queue: null, ringStart: t, answered: t + ring, end }], status: "completed", fromExtension: null });
        } else {
          const end = t + ring + rnd.int(5, 20) * S;
          calls.push({ ...caller, callId, kind: "direct", direction: "inbound", queue: null, secondQueue: null, secondQueueAt: null, calledNumber: agent.extension,
            end, endedBy: "caller", voicemail: false,
            legs: [{ agent: agent.extension, queue: null, ringStart: t, answered: null, end }], status: "abandoned", fromExtension: null });
        }
        continue;
      }
      calls.push(this.queueCall(callId, caller, queue, t, states, availableFrom));
    }

    // After-hours calls go to the queues' voicemail.
    for (const q of QUEUES) {
      const hours = openingHours(weekday, q.location);
      const expected = this.options.volume * q.share * AFTER_HOURS_SHARE * Math.max(dayFactor, 0.3);
      const count = rnd.poisson(expected);
      for (let i = 0; i < count; i++) {
        const sec = hours && rnd.chance(0.5) ? rnd.int(hours[1] + 60, 22 * 3600) : rnd.int(6 * 3600, (hours ? hours[0] : 10 * 3600) - 60);
        const t = at(sec);
        const caller = base(q.extension, t);
        calls.push({ ...caller, callId: nextId(), kind: "after_hours", direction: "inbound", queue: q.extension, secondQueue: null, secondQueueAt: null,
          end: t + rnd.int(20, 75) * S, endedBy: "caller", voicemail: true, legs: [], status: "voicemail", fromExtension: null });
      }
    }

    // Campaign calls: agents call patients back in the afternoon, when free.
    const onShift = [...states.values()].filter((s) => s.onShift);
    const outboundCount = rnd.poisson(this.options.volume * OUTBOUND_SHARE * dayFactor);
    for (let i = 0; i < outboundCount && onShift.length > 0; i++) {
      const s = rnd.pick(onShift);
      const t0 = at(rnd.int(13 * 3600, 16 * 3600 + 1800));
      const t = availableFrom(s, t0);
      if (t === null) continue;
      const who = this.callers.next(s.agent.location);
      const ring = rnd.int(6, 25) * S;
      const answered = rnd.chance(0.55);
      const end = answered ? t + ring + Math.round(rnd.logNormal(90, 0.5)) * S : t + ring;
      s.busyUntil = end + rnd.int(5, 30) * S;
      calls.push({ callId: nextId(), kind: "outbound", direction: "outbound", queue: null, secondQueue: null, secondQueueAt: null,
        externalNumber: who.number, externalName: who.name, calledNumber: who.number, start: t, end,
        endedBy: answered ? (rnd.chance(0.5) ? "caller" : "agent") : "caller", voicemail: false,
        legs: [{ agent: s.agent.extension, queue: null, ringStart: t, answered: answered ? t + ring : null, end }],
        status: answered ? "completed" : "missed", fromExtension: null });
    }

    // Colleagues calling each other (stored, left out of KPIs).
    const internalCount = rnd.poisson(this.options.volume * INTERNAL_SHARE * dayFactor);
    for (let i = 0; i < internalCount && onShift.length > 1; i++) {
      const from = rnd.pick(onShift);
      const to = rnd.pick(onShift.filter((s) => s !== from));
      const t = at(rnd.int(9 * 3600, 16 * 3600));
      const ring = rnd.int(2, 8) * S;
      const end = t + ring + rnd.int(20, 240) * S;
      calls.push({ callId: nextId(), kind: "internal", direction: "internal", queue: null, secondQueue: null, secondQueueAt: null,
        externalNumber: null, externalName: null, calledNumber: to.agent.extension, start: t, end, endedBy: "caller", voicemail: false,
        legs: [{ agent: to.agent.extension, queue: null, ringStart: t, answered: t + ring, end }], status: "completed", fromExtension: from.agent.extension });
    }

    calls.sort((a, b) => a.start - b.start || (a.callId < b.callId ? -1 : 1));
    return { date, calls, shifts };
  }

  /** Wrap-up after a call, and sometimes time away from the phone. */
  private afterCall(): number {
    const wrapUp = this.rnd.int(20, 90);
    const away = this.rnd.chance(NOT_READY_CHANCE) ? this.rnd.exponential(NOT_READY_MEAN_S) : 0;
    return Math.round(wrapUp + away) * S;
  }

  /** One call into a queue: polled agents, waits, abandons, voicemail, transfers. */
  private queueCall(
    callId: string,
    caller: { externalNumber: string; externalName: string; calledNumber: string; start: number },
    queue: string,
    t: number,
    states: Map<string, AgentState>,
    availableFrom: (s: AgentState, t: number) => number | null,
  ): SimCall {
    const rnd = this.rnd;
    const common = { ...caller, callId, kind: "queue" as const, direction: "inbound" as const, queue, secondQueue: null, secondQueueAt: null, fromExtension: null };
    const patience = (rnd.chance(SHORT_ABANDON_SHARE) ? rnd.int(1, 4) : 5 + rnd.exponential(MEAN_PATIENCE_S)) * S;
    const serving = [...states.values()].filter((s) => s.agent.queues.includes(queue));
    // The agent who will take it: the first to be free (first come, first served).
    let best: { s: AgentState; from: number } | null = null;
    for (const s of serving) {
      const from = availableFrom(s, t);
      if (from !== null && (best === null || from < best.from)) best = { s, from };
    }
    const legs: SimLeg[] = [];
    // Polled agents who let it ring, before the one who answers.
    let ringAt = best ? best.from : t;
    while (best && rnd.chance(MISS_CHANCE) && legs.length < 3) {
      const others = serving.filter((s) => s !== best!.s && availableFrom(s, ringAt) === ringAt && !legs.some((l) => l.agent === s.agent.extension));
      if (others.length === 0) break;
      const missed = rnd.pick(others);
      const ring = rnd.int(15, 20) * S;
      legs.push({ agent: missed.agent.extension, queue, ringStart: ringAt, answered: null, end: ringAt + ring });
      ringAt += ring;
    }
    const answerAt = best ? ringAt + rnd.int(2, 8) * S : Infinity;
    const gaveUpAt = t + Math.round(patience / S) * S;
    const timeoutAt = t + MAX_QUEUE_WAIT_S * S;
    if (answerAt > Math.min(gaveUpAt, timeoutAt)) {
      const end = Math.min(gaveUpAt, timeoutAt);
      const rang = legs.filter((l) => l.ringStart < end).map((l) => ({ ...l, end: Math.min(l.end, end) }));
      if (gaveUpAt <= timeoutAt) {
        return { ...common, end, endedBy: "caller", voicemail: false, legs: rang, status: "abandoned" };
      }
      // Too long in the queue: the caller leaves a message.
      return { ...common, end: end + rnd.int(15, 60) * S, endedBy: "caller", voicemail: true, legs: rang, status: "voicemail" };
    }
    const agent = best!.s;
    const talk = Math.round(Math.min(3600, rnd.logNormal(TALK_MEDIAN_S, 0.6))) * S;
    legs.push({ agent: agent.agent.extension, queue, ringStart: ringAt, answered: answerAt, end: answerAt + talk });
    agent.busyUntil = answerAt + talk + this.afterCall();
    const r = rnd.float();
    if (r < TRANSFER_TO_AGENT + TRANSFER_TO_QUEUE) {
      const toQueue = r >= TRANSFER_TO_AGENT;
      const at = answerAt + talk;
      const targetQueue = toQueue ? rnd.pick(QUEUES.filter((q) => q.extension !== queue && q.location === queueByExtension.get(queue)!.location).concat(QUEUES.filter((q) => q.extension === "830" && queue !== "830"))) : null;
      const pool = [...states.values()].filter((s) => s !== agent && s.onShift && (targetQueue ? s.agent.queues.includes(targetQueue.extension) : s.agent.location === agent.agent.location));
      if (pool.length > 0) {
        const to = pool.reduce((a, b) => (Math.max(a.busyUntil, at) <= Math.max(b.busyUntil, at) ? a : b));
        const ringStart = at + (targetQueue ? rnd.int(10, 60) : 0) * S;
        const answered2 = ringStart + rnd.int(3, 12) * S;
        const end = answered2 + Math.round(rnd.logNormal(120, 0.6)) * S;
        to.busyUntil = Math.max(to.busyUntil, end + this.afterCall());
        legs.push({ agent: to.agent.extension, queue: targetQueue?.extension ?? null, ringStart, answered: answered2, end });
        return { ...common, secondQueue: targetQueue?.extension ?? null, secondQueueAt: targetQueue ? at : null, end, endedBy: rnd.chance(0.6) ? "caller" : "agent", voicemail: false, legs, status: "transferred" };
      }
    }
    return { ...common, end: answerAt + talk, endedBy: rnd.chance(0.6) ? "caller" : "agent", voicemail: false, legs, status: "completed" };
  }
}

/** The first agent who answered, and every agent who answered or let it ring. */
export function callOutcome(call: SimCall) {
  const answered = call.legs.filter((l) => l.answered !== null).sort((a, b) => a.answered! - b.answered!);
  const answeredAgents = [...new Set(answered.map((l) => l.agent))];
  const missedAgents = [...new Set(call.legs.filter((l) => l.answered === null && call.direction !== "outbound").map((l) => l.agent))];
  return {
    agent: answered[0]?.agent ?? null,
    answeredAt: answered[0]?.answered ?? null,
    answeredAgents,
    missedAgents,
    transferCount: Math.max(answeredAgents.length - 1, 0),
  };
}

export { agentByExtension };
