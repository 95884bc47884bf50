/**
 * The demo seed behind `npm run seed:demo`: days of history for the
 * simulated practice (simulator/), so a newcomer sees a living service.
 *
 * Calls take the real ingestion path: the simulator renders 3CX v20 CDR
 * lines, they are stored as raw bodies through app_hidden.store_cdr_raw
 * (encrypted, source 'import'), and the real worker (graphile-worker with our
 * task list and preset) parses them into calls, legs and dead letters. The
 * rest (directory, supervisors and a manager, shifts, goals, call journals,
 * QA reviews) is inserted in bulk as the database owner, one statement per
 * table; audit triggers record it under the owner's name.
 *
 * Deterministic for a seed, volume and period. Safe to re-run: a day whose
 * calls are already stored is not sent again (each day's bodies are stored in
 * one transaction, and raw bodies left pending by an interrupted run are
 * processed first), and shifts, goals, journals and reviews are inserted
 * only where missing. Without `force` it does nothing when the database
 * already holds calls.
 */
import pg from "pg";
import type { Logger } from "pino";
import type { Env } from "../../lib/env.js";
import { phiKeys, phiPgSettings } from "../../lib/phi-keys.js";
import { applySettings } from "../../db/pg-settings.js";
import { startWorker, type RunningWorker } from "../../worker/runner.js";
import { Clock } from "../../simulator/clock.js";
import { AGENTS, LOCATIONS, QUEUES, agentByExtension, installPracticeDirectory, type Location, type SimAgent } from "../../simulator/practice.js";
import { Random } from "../../simulator/random.js";
import { simulate } from "../../simulator/simulation.js";
import { batches } from "../../simulator/sinks.js";
import type { SimShift } from "../../simulator/traffic.js";

export interface SeedDemoOptions {
  /** Days of history (calendar days, Sundays included), ending with `end`. */
  days: number;
  /** Average inbound calls on a weekday, across the practice. */
  volume: number;
  seed: number;
  /** Top up a database that already holds calls (nothing is doubled). */
  force: boolean;
  /** Last business day, YYYY-MM-DD (default: yesterday in BUSINESS_TIMEZONE). */
  end?: string;
  /** Share of CDR records sent malformed, to show dead letters (default 0.001). */
  malformedRate?: number;
  /** CDR lines per raw body (default 200). */
  batchSize?: number;
}

export interface SeedDemoCounts {
  calls: number;
  rawBodies: number;
  deadLetters: number;
  shifts: number;
  goals: number;
  journals: number;
  reviews: number;
}

export interface SeedDemoSummary {
  /** False when nothing was done because the database already holds calls (and force was not given). */
  seeded: boolean;
  message: string;
  start: string;
  end: string;
  days: number;
  /** What the simulator produced for the period (calls, CDR records, malformed records among them). */
  simulated: { calls: number; records: number; malformed: number };
  /** Days whose calls were already stored, so not sent again. */
  daysAlreadyThere: number;
  /** Rows this run added. */
  added: SeedDemoCounts;
  /** Rows in the database afterwards. */
  totals: SeedDemoCounts;
  elapsedMs: number;
  managerEmail: string;
  supervisors: { location: Location; email: string }[];
}

export interface SeedDemoContext {
  /** The database owner (bypasses row-level security). */
  ownerUrl: string;
  /**
   * Must agree with the process environment, which the worker's tasks read
   * (lib/env.ts env()): the same patient-data keys and CDR field order.
   */
  env: Env;
  /** For the worker's own log lines. */
  logger: Logger;
  /** Progress lines (default: none). */
  progress?: (line: string) => void;
}

/** Raw bodies stored ahead of the worker, per job it runs at once. */
const AHEAD_OF_WORKER = 2;
/** Waiting this long without a raw body being processed means the worker is stuck. */
const STALL_MS = 120_000;

interface Person {
  email: string;
  name: string;
  role: "manager" | "supervisor";
  location: Location | null;
}

/** The demo's leaders: a manager and one supervisor per location, in the allowed email domain. */
export function demoPeople(domain: string): { manager: Person; supervisors: Person[] } {
  const names: Record<Location, [string, string]> = {
    "Ann Arbor": ["annarbor", "Riley Sutton"],
    Wixom: ["wixom", "Casey Moreno"],
    Plymouth: ["plymouth", "Taylor Brennan"],
  };
  return {
    manager: { email: `demo.manager@${domain}`, name: "Jordan Whitaker", role: "manager", location: null },
    supervisors: LOCATIONS.map((location) => ({
      email: `demo.supervisor.${names[location][0]}@${domain}`,
      name: names[location][1],
      role: "supervisor" as const,
      location,
    })),
  };
}

/** Yesterday in the zone, YYYY-MM-DD. */
export function yesterdayIn(timeZone: string): string {
  return Clock.addDays(new Intl.DateTimeFormat("en-CA", { timeZone }).format(new Date()), -1);
}

/** FNV-1a, for choices that must not depend on which other rows a run sees. */
function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
const randomFor = (seed: number, ...parts: string[]) => new Random(hash32(`${seed}:${parts.join(":")}`));
const mondayOf = (date: string) => Clock.addDays(date, -((Clock.weekday(date) + 6) % 7));
const minDate = (a: string, b: string) => (a < b ? a : b);

async function counts(client: pg.ClientBase): Promise<SeedDemoCounts> {
  const { rows } = await client.query<Record<keyof SeedDemoCounts, string>>(`select
      (select count(*) from app_public.call_center_records) as calls,
      (select count(*) from app_private.cdr_raw) as "rawBodies",
      (select coalesce(sum(repeat_count), 0) from app_private.cdr_dead_letters) as "deadLetters",
      (select count(*) from app_public.agent_shifts) as shifts,
      (select count(*) from app_public.performance_goals) as goals,
      (select count(*) from app_public.call_journals) as journals,
      (select count(*) from app_public.quality_assurance_reviews) as reviews`);
  const r = rows[0]!;
  return Object.fromEntries(Object.entries(r).map(([k, v]) => [k, Number(v)])) as unknown as SeedDemoCounts;
}

const pendingRaw = async (client: pg.ClientBase) =>
  Number((await client.query<{ n: string }>("select count(*) as n from app_private.cdr_raw where status = 'pending'")).rows[0]!.n);

/**
 * Waits until at most `atMost` raw bodies are pending (0: the worker has
 * processed them all); fails when nothing moves for STALL_MS.
 */
async function drain(client: pg.ClientBase, progress: (line: string) => void, label: string, atMost = 0): Promise<void> {
  let last = await pendingRaw(client);
  let lastChange = Date.now();
  let lastReport = Date.now();
  while (last > atMost) {
    await new Promise((r) => setTimeout(r, atMost > 0 ? 100 : 250));
    const now = await pendingRaw(client);
    if (now !== last) {
      last = now;
      lastChange = Date.now();
    } else if (Date.now() - lastChange > STALL_MS) {
      throw new Error(`${now} raw CDR bodies still pending after ${STALL_MS / 1000} s without progress; see the worker's log lines`);
    }
    if (atMost === 0 && now > 0 && Date.now() - lastReport > 3000) {
      lastReport = Date.now();
      progress(`${label}: ${now} raw bodies waiting for the worker`);
    }
  }
}

/** Directory, leaders and call-type rules, in one transaction; idempotent. */
async function installDirectory(client: pg.ClientBase, people: Person[]): Promise<void> {
  await client.query("begin");
  try {
    await installPracticeDirectory(client);
    await client.query(
      `insert into app_public.users (email, full_name) select * from unnest($1::citext[], $2::text[]) on conflict (email) do nothing`,
      [people.map((p) => p.email), people.map((p) => p.name)],
    );
    await client.query(
      `insert into app_public.user_roles (user_id, role)
       select u.id, p.role from unnest($1::citext[], $2::text[]) as p(email, role) join app_public.users u on u.email = p.email
       on conflict (user_id) do update set role = excluded.role where user_roles.role is distinct from excluded.role`,
      [people.map((p) => p.email), people.map((p) => p.role)],
    );
    const staff = people.filter((p) => p.location);
    await client.query(
      `insert into app_public.location_staff (user_id, location_name, position)
       select u.id, p.location, 'Call-center supervisor' from unnest($1::citext[], $2::text[]) as p(email, location)
       join app_public.users u on u.email = p.email
       on conflict (user_id, location_name) do update set is_active = true where not location_staff.is_active`,
      [staff.map((p) => p.email), staff.map((p) => p.location)],
    );
    // Call types guessed at ingestion from the queue, as a practice would set them up (kept as data; only where none exist).
    const typeOf = (name: string) =>
      /appointments/i.test(name) ? "appointment" : /prescription/i.test(name) ? "prescription" : /billing/i.test(name) ? "billing" : "general";
    await client.query(
      `insert into app_public.call_type_rules (priority, queue_name, call_type)
       select 100, q.name, q.call_type from unnest($1::text[], $2::text[]) as q(name, call_type)
       where not exists (select 1 from app_public.call_type_rules r where r.queue_name = q.name)`,
      [QUEUES.map((q) => q.name), QUEUES.map((q) => typeOf(q.name))],
    );
    await client.query("commit");
  } catch (e) {
    await client.query("rollback").catch(() => undefined);
    throw e;
  }
}

interface ShiftRow {
  agent_email: string;
  agent_name: string;
  location: string;
  scheduled_start: string;
  scheduled_end: string;
  actual_start: string | null;
  actual_end: string | null;
  lunch_break_minutes: number;
  tardiness_minutes: number;
  early_departure_minutes: number;
  shift_status: "completed" | "partial" | "absent";
  call_target: number | null;
  quality_target: number;
  shift_notes: string | null;
  created_at: string;
}

/** A simulated shift as the table holds it (kpi-definitions: Shifts); all are in the past. */
function shiftRow(s: SimShift, volume: number): ShiftRow {
  const agent = agentByExtension.get(s.agent)!;
  const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString());
  const absent = s.actualStart === null || s.actualEnd === null;
  const tardiness = absent ? 0 : Math.max(0, Math.floor((s.actualStart! - s.scheduledStart) / 60_000));
  const early = absent ? 0 : Math.max(0, Math.floor((s.scheduledEnd - s.actualEnd!) / 60_000));
  const status = absent ? "absent" : tardiness > 15 || early > 15 ? "partial" : "completed";
  const hours = (s.scheduledEnd - s.scheduledStart) / 3_600_000 - s.lunchMinutes / 60;
  return {
    agent_email: agent.email,
    agent_name: agent.name,
    location: agent.location,
    scheduled_start: iso(s.scheduledStart)!,
    scheduled_end: iso(s.scheduledEnd)!,
    actual_start: iso(s.actualStart),
    actual_end: iso(s.actualEnd),
    lunch_break_minutes: absent ? 0 : s.lunchMinutes,
    tardiness_minutes: tardiness,
    early_departure_minutes: early,
    shift_status: status,
    // About the practice's handled calls per agent-hour at this volume.
    call_target: Math.max(1, Math.round((volume / 360) * hours)),
    quality_target: 85,
    shift_notes: absent ? "Called in: absent" : tardiness > 15 ? "Late start" : early > 15 ? "Left early (approved)" : null,
    created_at: new Date(s.scheduledStart - 14 * 86_400_000).toISOString(),
  };
}

interface GoalRow {
  agent_email: string;
  goal_period: "daily" | "weekly" | "monthly";
  period_start_date: string;
  period_end_date: string;
  calls_per_day_target: number | null;
  talk_time_percentage_target: number | null;
  first_call_resolution_target: number | null;
  quality_score_target: number | null;
  development_areas: string[] | null;
  coaching_focus: string | null;
  improvement_plan: string | null;
  goal_status: "active" | "completed";
  created_by: string;
  created_at: string;
}

/**
 * Targets only (the KPI engine keeps the actuals): monthly goals for every
 * agent, weekly coaching goals for every fourth agent over the last four
 * weeks, daily goals for the Saturday crew over the last five open days.
 */
function goalRows(start: string, end: string, volume: number, seed: number, leaderOf: (a: SimAgent) => string, clock: Clock): GoalRow[] {
  const rows: GoalRow[] = [];
  const perDay = Math.max(1, Math.round(volume / 45));
  const status = (last: string) => (last > end ? "active" : "completed");
  const at8 = (date: string) => new Date(clock.at(date, 8 * 3600)).toISOString();
  const months: string[] = [];
  for (let m = `${start.slice(0, 7)}-01`; m <= end; m = Clock.addDays(m, 32).slice(0, 7) + "-01") months.push(m);
  for (const agent of AGENTS) {
    const rnd = randomFor(seed, "goal", agent.extension);
    const quality = rnd.pick([80, 85, 85, 90]);
    const fcr = rnd.pick([70, 75, 80]);
    const stretch = rnd.int(-2, 2);
    for (const first of months) {
      const last = Clock.addDays(Clock.addDays(first, 32).slice(0, 7) + "-01", -1);
      rows.push({
        agent_email: agent.email, goal_period: "monthly", period_start_date: first, period_end_date: last,
        calls_per_day_target: Math.max(1, perDay + stretch), talk_time_percentage_target: null,
        first_call_resolution_target: fcr, quality_score_target: quality,
        development_areas: null, coaching_focus: null, improvement_plan: null,
        goal_status: status(last), created_by: leaderOf(agent), created_at: at8(first),
      });
    }
  }
  const coached = AGENTS.filter((_, i) => i % 4 === 1);
  const focus = [
    ["call_control", "Keep calls on track: summarise, then confirm the next step."],
    ["empathy_patience", "Acknowledge the caller's concern before moving to scheduling."],
    ["product_knowledge", "Know the prescription refill rules without placing callers on hold."],
    ["closing_effectiveness", "Close every call by confirming date, time and location."],
  ] as const;
  for (let w = mondayOf(end), n = 0; n < 4 && Clock.addDays(w, 6) >= start; w = Clock.addDays(w, -7), n++) {
    for (const agent of coached) {
      const [area, text] = focus[hash32(`${seed}:${agent.extension}`) % focus.length]!;
      rows.push({
        agent_email: agent.email, goal_period: "weekly", period_start_date: w, period_end_date: Clock.addDays(w, 6),
        calls_per_day_target: perDay, talk_time_percentage_target: 45, first_call_resolution_target: null, quality_score_target: 90,
        development_areas: [area], coaching_focus: text,
        improvement_plan: "Weekly review of two recorded calls with the supervisor; practise the call opening and closing.",
        goal_status: status(Clock.addDays(w, 6)), created_by: leaderOf(agent), created_at: at8(w),
      });
    }
  }
  const crew = AGENTS.filter((a) => a.saturday);
  const open: string[] = [];
  for (let d = end; d >= start && open.length < 5; d = Clock.addDays(d, -1)) if (Clock.weekday(d) !== 0) open.push(d);
  for (const d of open) {
    for (const agent of crew) {
      rows.push({
        agent_email: agent.email, goal_period: "daily", period_start_date: d, period_end_date: d,
        calls_per_day_target: Clock.weekday(d) === 6 ? Math.max(1, Math.round(volume / 40)) : perDay + 2,
        talk_time_percentage_target: null, first_call_resolution_target: null, quality_score_target: null,
        development_areas: null, coaching_focus: null, improvement_plan: null,
        goal_status: status(d), created_by: leaderOf(agent), created_at: at8(d),
      });
    }
  }
  return rows;
}

interface CallRow {
  id: string;
  call_id: string;
  agent_email: string;
  location: string | null;
  call_direction: "inbound" | "outbound";
  call_type: string | null;
  call_status: string;
  call_end_time: Date;
  day: string;
  talk_seconds: number | null;
}

interface Topic {
  summary: string;
  concern: string;
  resolution: string;
  tags: string[];
  dept: string[];
}
type TopicKind = "appointment" | "prescription" | "billing" | "general" | "outbound";

/** Journal wording by what the call was about; fictional, like every name and number in the simulator. */
const TOPICS: Record<TopicKind, Topic[]> = {
  appointment: [
    { summary: "Booked an annual full-body skin check", concern: "Wants a yearly skin check; has several moles to look at.", resolution: "Booked with the first available provider; sent the confirmation text.", tags: ["appointment", "skin-check"], dept: ["Scheduling"] },
    { summary: "Rescheduled a follow-up visit", concern: "Cannot make the follow-up visit because of work.", resolution: "Moved the visit to an afternoon slot the same week.", tags: ["appointment", "reschedule"], dept: ["Scheduling"] },
    { summary: "New-patient appointment for a rash", concern: "Itchy rash on both forearms for two weeks.", resolution: "Booked a new-patient visit; advised to bring a list of current creams.", tags: ["appointment", "new-patient"], dept: ["Scheduling"] },
    { summary: "Biopsy result follow-up scheduled", concern: "Asked when the biopsy result would be discussed.", resolution: "Scheduled a result visit with the ordering provider.", tags: ["appointment", "biopsy"], dept: ["Scheduling", "Nursing"] },
  ],
  prescription: [
    { summary: "Prescription refill request sent to the care team", concern: "Running out of a topical cream.", resolution: "Sent the refill request to the nurse line; pharmacy confirmed.", tags: ["prescription", "refill"], dept: ["Nursing"] },
    { summary: "Question about how to apply a prescribed cream", concern: "Unsure how often to apply the new cream.", resolution: "Read the directions from the chart; nurse to call back with more detail.", tags: ["prescription", "directions"], dept: ["Nursing"] },
    { summary: "Pharmacy change for an existing prescription", concern: "Wants the prescription moved to another pharmacy.", resolution: "Updated the preferred pharmacy and re-sent the prescription.", tags: ["prescription", "pharmacy"], dept: ["Nursing"] },
  ],
  billing: [
    { summary: "Question about a statement balance", concern: "Statement shows a balance after insurance paid.", resolution: "Explained the deductible; offered a payment plan.", tags: ["billing", "statement"], dept: ["Billing"] },
    { summary: "Insurance coverage question before a procedure", concern: "Asked whether the procedure is covered.", resolution: "Billing will check the benefits and call back.", tags: ["billing", "insurance"], dept: ["Billing"] },
  ],
  general: [
    { summary: "Directions and parking for the Wixom office", concern: "First visit; asked where to park.", resolution: "Gave directions and parking details; sent the map link.", tags: ["general", "directions"], dept: ["Front desk"] },
    { summary: "Medical records request routed", concern: "Needs records sent to a new primary care office.", resolution: "Sent the records release form by email.", tags: ["general", "records"], dept: ["Medical records"] },
    { summary: "Office hours and Saturday clinic question", concern: "Asked about Saturday availability.", resolution: "Explained the Saturday clinic hours in Ann Arbor.", tags: ["general", "hours"], dept: ["Front desk"] },
  ],
  outbound: [
    { summary: "Recall call: overdue annual skin check", concern: "Last skin check was more than a year ago.", resolution: "Booked the annual visit.", tags: ["outbound", "recall"], dept: ["Scheduling"] },
    { summary: "Returned a patient's voicemail", concern: "Left a voicemail asking to move a visit.", resolution: "Reached the patient and moved the visit.", tags: ["outbound", "callback"], dept: ["Scheduling"] },
    { summary: "Reminder call for a procedure next week", concern: "Procedure preparation questions.", resolution: "Went through the preparation instructions.", tags: ["outbound", "reminder"], dept: ["Nursing"] },
  ],
};

interface JournalRow {
  call_record_id: string;
  agent_email: string;
  call_summary: string;
  detailed_notes: string;
  patient_concern: string;
  resolution_provided: string;
  action_items: string[] | null;
  follow_up_required: boolean;
  follow_up_type: string | null;
  follow_up_date: string | null;
  follow_up_notes: string | null;
  call_tags: string[];
  department_involved: string[];
  referral_made: boolean;
  referral_type: string | null;
  coaching_notes: string | null;
  training_opportunities: string[] | null;
  commendation_worthy: boolean;
  improvement_areas: string[] | null;
  journal_status: "draft" | "submitted" | "reviewed" | "approved";
  submitted_at: string | null;
  reviewed_by: string | null;
  reviewed_at: string | null;
  review_score: number | null;
  created_at: string;
}

/** Share of answered calls with a journal. */
const JOURNAL_SHARE = 0.12;

function journalFor(call: CallRow, seed: number, end: string, supervisorOf: (loc: string | null) => string, nowMs: number): JournalRow | null {
  if (hash32(`${seed}:journal:${call.call_id}`) % 1000 >= JOURNAL_SHARE * 1000) return null;
  const rnd = randomFor(seed, "journal-text", call.call_id);
  const type = call.call_type === "follow_up" ? "appointment" : call.call_type ?? "general";
  const kind: TopicKind = call.call_direction === "outbound" ? "outbound" : type in TOPICS ? (type as TopicKind) : "general";
  const topic = rnd.pick(TOPICS[kind]);
  const ended = call.call_end_time.getTime();
  const createdAt = ended + rnd.int(1, 12) * 60_000;
  const followUp = rnd.chance(0.15);
  const followUpType = followUp ? rnd.pick(["callback", "appointment", "provider_review", "billing"] as const) : null;
  const referral = kind === "appointment" && rnd.chance(0.08);
  const status = call.day === end && rnd.chance(0.5) ? "draft" : rnd.pick(["submitted", "submitted", "reviewed", "approved"] as const);
  const reviewed = status === "reviewed" || status === "approved";
  const score = reviewed ? rnd.int(62, 100) : null;
  const reviewedAt = reviewed ? Math.min(createdAt + rnd.int(2, 48) * 3_600_000, nowMs) : null;
  return {
    call_record_id: call.id,
    agent_email: call.agent_email,
    call_summary: topic.summary,
    detailed_notes: `${topic.concern} ${topic.resolution} (Demo data: no real patient.)`,
    patient_concern: topic.concern,
    resolution_provided: topic.resolution,
    action_items: followUp ? [`Follow up: ${followUpType!.replace("_", " ")}`] : null,
    follow_up_required: followUp,
    follow_up_type: followUpType,
    follow_up_date: followUp ? Clock.addDays(call.day, rnd.int(1, 7)) : null,
    follow_up_notes: followUp ? "Confirm the outcome with the caller." : null,
    call_tags: [...topic.tags],
    department_involved: [...topic.dept],
    referral_made: referral,
    referral_type: referral ? rnd.pick(["Mohs surgery", "Cosmetic consultation", "Allergy patch testing"]) : null,
    coaching_notes: reviewed && score! < 80 ? "Confirm the callback number and summarise the next step before ending the call." : null,
    training_opportunities: reviewed && score! < 75 ? ["Scheduling system shortcuts"] : null,
    commendation_worthy: reviewed && score! >= 95,
    improvement_areas: reviewed && score! < 80 ? ["Call closing"] : null,
    journal_status: status,
    submitted_at: status === "draft" ? null : new Date(createdAt + rnd.int(0, 5) * 60_000).toISOString(),
    reviewed_by: reviewed ? supervisorOf(call.location) : null,
    reviewed_at: reviewedAt === null ? null : new Date(reviewedAt).toISOString(),
    review_score: score,
    created_at: new Date(createdAt).toISOString(),
  };
}

const CATEGORIES = [
  "greeting_professionalism", "active_listening", "problem_resolution", "product_knowledge",
  "communication_clarity", "empathy_patience", "call_control", "closing_effectiveness",
] as const;
type Category = (typeof CATEGORIES)[number];

type ReviewRow = Record<Category, number | null> & {
  call_record_id: string;
  agent_email: string;
  reviewer_email: string;
  reviewer_name: string;
  review_date: string;
  review_type: "random" | "targeted" | "complaint_follow_up" | "coaching";
  strengths_observed: string | null;
  improvement_areas: string | null;
  specific_coaching_points: string | null;
  recognition_worthy: boolean;
  action_items_required: string[] | null;
  follow_up_review_needed: boolean;
  follow_up_date: string | null;
  additional_training_recommended: string[] | null;
  review_status: "draft" | "completed" | "discussed_with_agent";
  agent_discussion_date: string | null;
  agent_acknowledgment: boolean;
  created_at: string;
  /** Not columns: for choosing the disputed ones. */
  pct: number;
  call_id: string;
};

/** The marker of a review the agent disputed (the table has no dispute status; see the report). */
export const DISPUTE_ACTION = "Second review: the agent disputes this score";
const LABEL: Record<Category, string> = {
  greeting_professionalism: "greeting", active_listening: "active listening", problem_resolution: "problem resolution",
  product_knowledge: "product knowledge", communication_clarity: "clarity", empathy_patience: "empathy",
  call_control: "call control", closing_effectiveness: "closing",
};

function reviewFor(call: CallRow, seed: number, end: string, reviewer: { email: string; name: string }, clock: Clock): ReviewRow {
  const rnd = randomFor(seed, "review", call.call_id);
  // Each agent has a level of their own, so the coaching views have something to show.
  const level = 3.2 + (hash32(`${seed}:level:${call.agent_email}`) % 140) / 100;
  const scores = Object.fromEntries(
    CATEGORIES.map((c) => {
      if ((c === "product_knowledge" || c === "call_control") && rnd.chance(0.1)) return [c, null]; // not applicable
      return [c, Math.min(5, Math.max(1, Math.round(level + (rnd.float() - 0.5) * 1.8)))];
    }),
  ) as Record<Category, number | null>;
  const scored = CATEGORIES.filter((c) => scores[c] !== null);
  const pct = (scored.reduce((s, c) => s + scores[c]!, 0) * 100) / (5 * scored.length);
  const weak = scored.filter((c) => scores[c]! <= 2);
  const strong = scored.filter((c) => scores[c] === 5);
  const reviewDate = minDate(Clock.addDays(call.day, rnd.int(1, 4)), end);
  const recent = reviewDate >= Clock.addDays(end, -1);
  const status = recent && rnd.chance(0.4) ? "draft" : rnd.chance(0.45) ? "discussed_with_agent" : "completed";
  const discussed = status === "discussed_with_agent";
  const r = rnd.float();
  const type = r < 0.7 ? "random" : r < 0.82 ? "targeted" : r < 0.94 ? "coaching" : "complaint_follow_up";
  return {
    ...scores,
    call_record_id: call.id,
    agent_email: call.agent_email,
    reviewer_email: reviewer.email,
    reviewer_name: reviewer.name,
    review_date: reviewDate,
    review_type: type,
    strengths_observed: strong.length ? `Strong ${strong.map((c) => LABEL[c]).join(", ")}.` : "Polite and accurate throughout.",
    improvement_areas: weak.length ? `Work on ${weak.map((c) => LABEL[c]).join(", ")}.` : null,
    specific_coaching_points: pct < 75 ? "Summarise what was agreed before ending the call; avoid long silences while searching the schedule." : null,
    recognition_worthy: pct >= 95,
    action_items_required: weak.length ? [`Listen to two model calls on ${LABEL[weak[0]!]}`] : null,
    follow_up_review_needed: pct < 70,
    follow_up_date: pct < 70 ? Clock.addDays(reviewDate, 14) : null,
    additional_training_recommended: weak.length ? weak.map((c) => `${LABEL[c]} refresher`) : null,
    review_status: status,
    agent_discussion_date: discussed ? minDate(Clock.addDays(reviewDate, rnd.int(0, 3)), end) : null,
    agent_acknowledgment: status !== "draft" && rnd.chance(discussed ? 0.9 : 0.5),
    // During the review day's office hours, and never before the call itself.
    created_at: new Date(Math.max(clock.at(reviewDate, 10 * 3600 + rnd.int(0, 6 * 3600)), call.call_end_time.getTime() + 3_600_000)).toISOString(),
    pct,
    call_id: call.call_id,
  };
}

/** Seeds the demo; see the file comment. */
export async function seedDemo(ctx: SeedDemoContext, options: SeedDemoOptions): Promise<SeedDemoSummary> {
  const started = performance.now();
  const { env } = ctx;
  if (env.NODE_ENV === "production") throw new Error("seed:demo refuses to run with NODE_ENV=production: it writes made-up calls and people");
  const progress = ctx.progress ?? (() => undefined);
  const secs = () => ((performance.now() - started) / 1000).toFixed(1);
  const end = options.end ?? yesterdayIn(env.BUSINESS_TIMEZONE);
  const start = Clock.addDays(end, -(options.days - 1));
  const cdrZone = env.THREECX_CDR_TIMEZONE;
  const clock = new Clock(env.BUSINESS_TIMEZONE);
  const { manager, supervisors } = demoPeople(env.ALLOWED_EMAIL_DOMAIN);
  const supervisorAt = new Map(supervisors.map((s) => [s.location as string, s]));
  const supervisorOf = (location: string | null) => (location && supervisorAt.get(location)?.email) || manager.email;
  const phi = phiPgSettings(phiKeys(env));
  const summaryBase = {
    start, end, days: options.days, managerEmail: manager.email,
    supervisors: supervisors.map((s) => ({ location: s.location!, email: s.email })),
  };

  const pool = new pg.Pool({ connectionString: ctx.ownerUrl, max: 3, application_name: "call-center-ops/seed-demo" });
  pool.on("error", () => undefined);
  const client = await pool.connect();
  let worker: RunningWorker | undefined;
  try {
    const before = await counts(client);
    if (before.calls > 0 && !options.force) {
      const ours = (await client.query("select 1 from app_public.users where email = $1", [manager.email])).rowCount! > 0;
      return {
        ...summaryBase, seeded: false,
        message: ours
          ? `Demo data is already there (${before.calls} calls). Nothing done; --force tops it up without doubling anything.`
          : `The database already holds ${before.calls} calls that seed:demo did not make. Nothing done; --force adds the demo beside them.`,
        simulated: { calls: 0, records: 0, malformed: 0 }, daysAlreadyThere: 0,
        added: { calls: 0, rawBodies: 0, deadLetters: 0, shifts: 0, goals: 0, journals: 0, reviews: 0 },
        totals: before, elapsedMs: performance.now() - started,
      };
    }

    progress(`directory: ${QUEUES.length} queues, ${AGENTS.length} agents, a manager and ${supervisors.length} supervisors`);
    await installDirectory(client, [manager, ...supervisors]);

    // The real worker, as `npm start` runs it; raw bodies left pending by an interrupted run go first,
    // so that "this day is stored" below means its calls are complete.
    worker = await startWorker({ env, logger: ctx.logger, ownerUrl: ctx.ownerUrl });
    await drain(client, progress, "left by an earlier run");

    const shifts: ShiftRow[] = [];
    const simulatedIds: string[] = [];
    const simulated = { calls: 0, records: 0, malformed: 0 };
    let daysAlreadyThere = 0;
    for (const { day, records, key } of simulate({
      seed: options.seed, start, days: options.days, format: "3cx-v20",
      fields: env.THREECX_CDR_FIELDS.split(",").map((f) => f.trim().toLowerCase()),
      timeZone: env.BUSINESS_TIMEZONE, cdrTimeZone: cdrZone, volume: options.volume, malformedRate: options.malformedRate ?? 0.001,
    })) {
      const ids = day.calls.map((c) => c.callId);
      const malformed = key.filter((k) => "malformed" in k).length;
      simulatedIds.push(...ids);
      simulated.calls += ids.length;
      simulated.records += records.length;
      simulated.malformed += malformed;
      shifts.push(...day.shifts.map((s) => shiftRow(s, options.volume)));
      const stored = ids.length
        ? Number((await client.query<{ n: string }>("select count(*) as n from app_public.call_center_records where call_id = any($1::text[])", [ids])).rows[0]!.n)
        : 0;
      if (stored > 0) {
        daysAlreadyThere++;
        progress(`${day.date}: ${stored} calls already stored; not sent again (${secs()} s)`);
        continue;
      }
      const bodies = batches(records, options.batchSize ?? 200);
      // Sent as a phone system would, a little ahead of the worker rather than all at once, so that
      // several cdr__process jobs share the work (each claims what is pending when it starts).
      await drain(client, progress, "sending", AHEAD_OF_WORKER * env.WORKER_CONCURRENCY);
      // One transaction per day: a day is stored whole or not at all.
      await client.query("begin");
      try {
        await applySettings(client, phi);
        await client.query(
          "select app_hidden.store_cdr_raw(b.body, b.content_type, 'import') from unnest($1::bytea[], $2::text[]) as b(body, content_type)",
          [bodies.map((b) => Buffer.from(b.body, "utf8")), bodies.map((b) => b.contentType)],
        );
        await client.query("commit");
      } catch (e) {
        await client.query("rollback").catch(() => undefined);
        throw e;
      }
      progress(`${day.date}: ${ids.length} calls, ${records.length} CDR records (${malformed} malformed) in ${bodies.length} raw bodies; ${await pendingRaw(client)} waiting for the worker (${secs()} s)`);
    }
    await drain(client, progress, "ingesting");
    await worker.stop();
    worker = undefined;
    progress(`calls ingested (${secs()} s); adding shifts, goals, journals and QA reviews`);

    // The people's work around the calls, one statement per table, in one transaction.
    const agentByEmail = new Map(AGENTS.map((a) => [a.email, a]));
    const leaderOf = (a: SimAgent) => supervisorOf(a.location);
    const goals = goalRows(start, end, options.volume, options.seed, leaderOf, clock);
    const { rows: calls } = await client.query<CallRow>(
      `select c.id, c.call_id, c.agent_email::text as agent_email, c.location, c.call_direction, c.call_type, c.call_status, c.call_end_time,
              (c.call_start_time at time zone app_hidden.business_timezone())::date::text as day, c.talk_duration_seconds as talk_seconds
         from app_public.call_center_records c
        where c.call_id = any($1::text[]) and c.agent_email is not null and c.call_answer_time is not null
          and c.call_end_time is not null and c.call_direction in ('inbound', 'outbound')
        order by c.call_start_time, c.call_id`,
      [simulatedIds],
    );
    const nowMs = Date.now();
    const journals = calls.flatMap((c) => journalFor(c, options.seed, end, supervisorOf, nowMs) ?? []);

    // QA: two or three calls per agent per week with calls, never an agent-week that already has reviews.
    const { rows: reviewedWeeks } = await client.query<{ agent_email: string; day: string }>(
      `select distinct q.agent_email::text as agent_email, (c.call_start_time at time zone app_hidden.business_timezone())::date::text as day
         from app_public.quality_assurance_reviews q join app_public.call_center_records c on c.id = q.call_record_id
        where c.call_id = any($1::text[])`,
      [simulatedIds],
    );
    const done = new Set(reviewedWeeks.map((r) => `${r.agent_email}|${mondayOf(r.day)}`));
    const byAgentWeek = new Map<string, CallRow[]>();
    for (const c of calls) {
      if (c.call_direction !== "inbound" || (c.talk_seconds ?? 0) < 30) continue;
      const k = `${c.agent_email}|${mondayOf(c.day)}`;
      if (done.has(k)) continue;
      byAgentWeek.set(k, [...(byAgentWeek.get(k) ?? []), c]);
    }
    const reviews: ReviewRow[] = [];
    for (const [k, list] of byAgentWeek) {
      const take = 2 + (hash32(`${options.seed}:quota:${k}`) % 2);
      const chosen = [...list].sort((a, b) => hash32(`${options.seed}:pick:${a.call_id}`) - hash32(`${options.seed}:pick:${b.call_id}`)).slice(0, take);
      for (const c of chosen) {
        const agent = agentByEmail.get(c.agent_email);
        // Most reviews by the agent's supervisor, one in five by the manager.
        const byManager = hash32(`${options.seed}:reviewer:${c.call_id}`) % 5 === 0;
        const reviewer = byManager || !agent ? manager : supervisorAt.get(agent.location) ?? manager;
        reviews.push(reviewFor(c, options.seed, end, reviewer, clock));
      }
    }
    // One or two disputed reviews (the lowest-scored discussed ones), unless the demo has them already.
    const disputed = Number((await client.query<{ n: string }>(
      "select count(*) as n from app_public.quality_assurance_reviews where $1 = any(action_items_required)", [DISPUTE_ACTION],
    )).rows[0]!.n);
    if (disputed === 0) {
      const candidates = reviews.filter((r) => r.review_status === "discussed_with_agent").sort((a, b) => a.pct - b.pct || (a.call_id < b.call_id ? -1 : 1));
      for (const r of candidates.slice(0, 2)) {
        r.agent_acknowledgment = false;
        r.follow_up_review_needed = true;
        r.follow_up_date = Clock.addDays(r.agent_discussion_date!, 7);
        r.action_items_required = [DISPUTE_ACTION, ...(r.action_items_required ?? [])];
        r.specific_coaching_points = `${r.specific_coaching_points ?? ""} The agent disputes the score: the caller asked for the shortcut taken. A second reviewer listens to the recording.`.trim();
      }
    }

    await client.query("begin");
    try {
      await applySettings(client, phi);
      await client.query(
        `insert into app_public.agent_shifts (agent_email, agent_name, location, shift_date, scheduled_start_time, scheduled_end_time,
           actual_start_time, actual_end_time, lunch_break_minutes, tardiness_minutes, early_departure_minutes, shift_status,
           call_target, quality_target, shift_notes, created_at)
         select s.agent_email, s.agent_name, s.location, (s.scheduled_start at time zone z.tz)::date,
                (s.scheduled_start at time zone z.tz)::time, (s.scheduled_end at time zone z.tz)::time,
                s.actual_start, s.actual_end, s.lunch_break_minutes, s.tardiness_minutes, s.early_departure_minutes, s.shift_status,
                s.call_target, s.quality_target, s.shift_notes, s.created_at
           from jsonb_to_recordset($1::jsonb) as s(agent_email citext, agent_name text, location text, scheduled_start timestamptz,
                  scheduled_end timestamptz, actual_start timestamptz, actual_end timestamptz, lunch_break_minutes int, tardiness_minutes int,
                  early_departure_minutes int, shift_status text, call_target int, quality_target numeric, shift_notes text, created_at timestamptz)
          cross join (select app_hidden.business_timezone() as tz) z
         on conflict (agent_email, shift_date) do nothing`,
        [JSON.stringify(shifts)],
      );
      await client.query(
        `insert into app_public.performance_goals (agent_email, goal_period, period_start_date, period_end_date, calls_per_day_target,
           talk_time_percentage_target, first_call_resolution_target, quality_score_target, development_areas, coaching_focus,
           improvement_plan, goal_status, created_by, created_at)
         select g.* from jsonb_to_recordset($1::jsonb) as g(agent_email citext, goal_period text, period_start_date date, period_end_date date,
                  calls_per_day_target int, talk_time_percentage_target numeric, first_call_resolution_target numeric, quality_score_target numeric,
                  development_areas text[], coaching_focus text, improvement_plan text, goal_status text, created_by citext, created_at timestamptz)
          where not exists (select 1 from app_public.performance_goals e where e.agent_email = g.agent_email and e.goal_period = g.goal_period
                              and e.period_start_date = g.period_start_date and e.created_by = g.created_by)`,
        [JSON.stringify(goals)],
      );
      await client.query(
        `insert into app_public.call_journals (call_record_id, agent_email, call_summary, detailed_notes, patient_concern, resolution_provided,
           action_items, follow_up_required, follow_up_type, follow_up_date, follow_up_notes, call_tags, department_involved, referral_made,
           referral_type, coaching_notes, training_opportunities, commendation_worthy, improvement_areas, journal_status, submitted_at,
           reviewed_by, reviewed_at, review_score, created_at)
         select j.* from jsonb_to_recordset($1::jsonb) as j(call_record_id uuid, agent_email citext, call_summary text, detailed_notes text,
                  patient_concern text, resolution_provided text, action_items text[], follow_up_required boolean, follow_up_type text,
                  follow_up_date date, follow_up_notes text, call_tags text[], department_involved text[], referral_made boolean,
                  referral_type text, coaching_notes text, training_opportunities text[], commendation_worthy boolean, improvement_areas text[],
                  journal_status text, submitted_at timestamptz, reviewed_by citext, reviewed_at timestamptz, review_score int, created_at timestamptz)
          where not exists (select 1 from app_public.call_journals e where e.call_record_id = j.call_record_id)`,
        [JSON.stringify(journals)],
      );
      await client.query(
        `insert into app_public.quality_assurance_reviews (call_record_id, agent_email, reviewer_email, reviewer_name, review_date, review_type,
           greeting_professionalism, active_listening, problem_resolution, product_knowledge, communication_clarity, empathy_patience,
           call_control, closing_effectiveness, strengths_observed, improvement_areas, specific_coaching_points, recognition_worthy,
           action_items_required, follow_up_review_needed, follow_up_date, additional_training_recommended, review_status,
           agent_discussion_date, agent_acknowledgment, created_at)
         select r.* from jsonb_to_recordset($1::jsonb) as r(call_record_id uuid, agent_email citext, reviewer_email citext, reviewer_name text,
                  review_date date, review_type text, greeting_professionalism int, active_listening int, problem_resolution int,
                  product_knowledge int, communication_clarity int, empathy_patience int, call_control int, closing_effectiveness int,
                  strengths_observed text, improvement_areas text, specific_coaching_points text, recognition_worthy boolean,
                  action_items_required text[], follow_up_review_needed boolean, follow_up_date date, additional_training_recommended text[],
                  review_status text, agent_discussion_date date, agent_acknowledgment boolean, created_at timestamptz)
          where not exists (select 1 from app_public.quality_assurance_reviews e where e.call_record_id = r.call_record_id)`,
        [JSON.stringify(reviews.map(({ pct: _pct, call_id: _callId, ...r }) => r))],
      );
      await client.query("commit");
    } catch (e) {
      await client.query("rollback").catch(() => undefined);
      throw e;
    }

    progress(`shifts, goals, journals and QA reviews added (${secs()} s)`);
    const totals = await counts(client);
    const added = Object.fromEntries(
      Object.entries(totals).map(([k, v]) => [k, v - before[k as keyof SeedDemoCounts]]),
    ) as unknown as SeedDemoCounts;
    return {
      ...summaryBase, seeded: true,
      message: daysAlreadyThere === options.days ? "Every day was already there; nothing was doubled." : "Demo data seeded.",
      simulated, daysAlreadyThere, added, totals, elapsedMs: performance.now() - started,
    };
  } finally {
    if (worker) await worker.stop().catch(() => undefined);
    client.release();
    await pool.end();
  }
}

/** The summary as people read it. */
export function formatSummary(s: SeedDemoSummary): string {
  const n = (x: number) => x.toLocaleString("en-US");
  const row = (label: string, key: keyof SeedDemoCounts) => `  ${label.padEnd(14)}${n(s.totals[key]).padStart(10)}   (+${n(s.added[key])})`;
  const tokens = [
    "A manager's token (sees everything):",
    `  npm run token -- --email ${s.managerEmail} --role manager`,
  ];
  if (!s.seeded) return [s.message, "", ...tokens].join("\n");
  return [
    s.message,
    `  period        ${s.start} … ${s.end} (${s.days} days${s.daysAlreadyThere ? `, ${s.daysAlreadyThere} already there` : ""})`,
    `  simulated     ${n(s.simulated.calls)} calls, ${n(s.simulated.records)} CDR records (${n(s.simulated.malformed)} malformed)`,
    "  in the database (added by this run):",
    row("calls", "calls"),
    row("raw bodies", "rawBodies"),
    row("dead letters", "deadLetters"),
    row("shifts", "shifts"),
    row("goals", "goals"),
    row("journals", "journals"),
    row("QA reviews", "reviews"),
    `  took          ${(s.elapsedMs / 1000).toFixed(1)} s`,
    "",
    ...tokens,
    "A supervisor's (sees their location):",
    ...s.supervisors.map((p) => `  npm run token -- --email ${p.email} --role supervisor   # ${p.location}`),
  ].join("\n");
}
