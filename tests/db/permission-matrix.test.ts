/**
 * The permission matrix, walked whole: every persona × table × verb (select,
 * insert, update, delete), allowed and denied, through the settings the API
 * uses. What each persona may do is derived from app_public.role_permissions
 * as the database holds it, so changing the matrix changes what is expected.
 *
 * Reading scope of performance data (the same for every such table):
 *   viewAllPerformance → every row; viewTeamPerformance → rows of the
 *   locations where you are active staff; viewOwnPerformance → your own rows.
 * Writing needs the table's permission (editCallJournals, manageGoals, ...)
 * and, for UPDATE and DELETE, the row must also be visible.
 *
 * The matrix the database holds is first compared with the PRD's own, written
 * out below as a fixed table: a permission seeded wrong fails that
 * comparison, naming the role and permission, whatever the walk derives.
 */
import type pg from "pg";
import { asUser, createTestDatabase, refusal, type TestDatabase } from "../helpers/db.js";
import { CAST, CAST_EXTRAS, PERSONAS, createCast, type Cast, type Persona } from "../helpers/users.js";
import { one } from "../helpers/query.js";

let db: TestDatabase;
let cast: Cast;
let perms: Map<string, Set<string>>;
const ids: Record<string, string> = {};

// The personas are the cast's people (tests/helpers/users.ts), with its emails and locations.
const EMAIL = Object.fromEntries(PERSONAS.map((p) => [p, CAST[p].email])) as Record<Persona, string>;
const LOCATIONS = Object.fromEntries(PERSONAS.map((p) => [p, CAST[p].locations])) as Record<Persona, string[]>;

/** What one persona may see and do, computed from the matrix. */
interface Me {
  persona: Persona;
  email: string;
  role: string;
  can: (permission: string) => boolean;
  seesAll: boolean;
  team: string[];
  own: string | null;
  people: string[]; // visible people below seesAll: yourself and your team locations' active staff
  inScope: (location: string | null, agent: string | null) => boolean;
}

function me(persona: Persona): Me {
  const session = cast[persona];
  const held = perms.get(session.role) ?? new Set<string>();
  const can = (p: string) => held.has(p);
  const seesAll = can("viewAllPerformance");
  const team = can("viewTeamPerformance") ? LOCATIONS[persona] : [];
  const own = can("viewOwnPerformance") ? EMAIL[persona] : null;
  const people = [
    ...(own ? [own] : []),
    ...PERSONAS.filter((p) => LOCATIONS[p].some((l) => team.includes(l))).map((p) => EMAIL[p]),
  ];
  return {
    persona, email: EMAIL[persona], role: session.role, can, seesAll, team, own, people,
    inScope: (location, agent) => seesAll || (location !== null && team.includes(location)) || (agent !== null && agent === own),
  };
}

type Outcome = boolean;
interface Probe {
  name: string;
  key: string; // probe row id
  /** Visible to this persona? */
  select: (m: Me) => boolean;
  update: (m: Me) => boolean;
  delete: (m: Me) => boolean;
}
interface TableSpec {
  table: string;
  keyExpr: string; // SQL expression identifying a row as text
  updateSql: string; // sets a granted column to itself
  rows: () => Probe[];
  insert: { sql: () => [string, unknown[]]; allowed: (m: Me) => boolean };
}

const isRole = (m: Me, ...roles: string[]) => roles.includes(m.role);
const never = () => false;

async function attempt(c: pg.PoolClient, sql: string, params: unknown[]): Promise<Outcome> {
  await c.query("savepoint probe");
  try {
    const r = await c.query(sql, params);
    return (r.rowCount ?? 0) > 0;
  } catch (e) {
    const code = (e as { code?: string }).code ?? "";
    // A foreign-key violation is checked after row-level security let the row through: permitted,
    // but blocked by the data (deleting a referenced row). Only refusals count as "denied".
    if (code === "23503") return true;
    if (code !== "42501" && !code.startsWith("CC")) throw e;
    return false;
  } finally {
    await c.query("rollback to savepoint probe");
  }
}

/**
 * The PRD's permission matrix (CallCenterPermissions), role by role, written out by hand: ✓ = the role holds
 * the permission. Not read from the database, so that a wrongly seeded permission is caught.
 */
const ROLES = ["staff", "call_center_agent", "supervisor", "manager", "superadmin"] as const;
const PRD_MATRIX: Record<string, Record<(typeof ROLES)[number], boolean>> = {
  //                       staff  agent  supervisor  manager  superadmin
  viewOwnPerformance:  row(true,  true,  true,       true,    true),
  viewTeamPerformance: row(false, false, true,       true,    true),
  viewAllPerformance:  row(false, false, false,      true,    true),
  editCallJournals:    row(false, true,  true,       true,    true),
  reviewJournals:      row(false, false, true,       true,    true),
  generateReports:     row(false, false, true,       true,    true),
  configureMetrics:    row(false, false, false,      true,    true),
  manageGoals:         row(false, false, true,       true,    true),
  accessRecordings:    row(false, false, true,       true,    true),
  conductQAReviews:    row(false, false, true,       true,    true),
  manageCampaigns:     row(false, false, false,      true,    true),
  exportData:          row(false, false, false,      true,    true),
};
function row(...held: boolean[]): Record<(typeof ROLES)[number], boolean> {
  return Object.fromEntries(ROLES.map((r, i) => [r, held[i]!])) as Record<(typeof ROLES)[number], boolean>;
}

/** Where role_permissions rows differ from the PRD's matrix, one line per role × permission (empty when they agree). */
function matrixDifferences(held: Array<{ role: string; permission: string }>): string[] {
  const db = new Set(held.map((r) => `${r.role}/${r.permission}`));
  const prd = new Set(Object.entries(PRD_MATRIX).flatMap(([permission, roles]) => ROLES.filter((r) => roles[r]).map((r) => `${r}/${permission}`)));
  return [
    ...[...prd].filter((k) => !db.has(k)).map((k) => `${k}: the PRD grants it, the database does not`),
    ...[...db].filter((k) => !prd.has(k)).map((k) => `${k}: the database grants it, the PRD does not`),
  ].sort();
}

const as = <T>(persona: Persona, fn: (c: pg.PoolClient) => Promise<T>): Promise<T> => asUser(db.authenticator, cast[persona], fn);

beforeAll(async () => {
  db = await createTestDatabase();
  cast = await createCast(db.owner, "noRole"); // noRole: the user a role is given to below
  const { rows } = await db.owner.query<{ role: string; permission: string }>("select role, permission from app_public.role_permissions");
  perms = new Map();
  for (const r of rows) (perms.get(r.role) ?? perms.set(r.role, new Set()).get(r.role)!).add(r.permission);

  const q = async (sql: string, params: unknown[] = []) => (await one<{ id: string }>(db.owner, sql, params)).id;
  await db.owner.query(`insert into app_public.queues (name, extension, location_name) values ('AA Front Desk', '800', 'Ann Arbor'), ('WX Front Desk', '801', 'Wixom')`);
  await db.owner.query(`insert into app_public.pbx_numbers (number, kind, name) values ('610', 'ivr', 'Main menu')`);
  ids.queueAgent = (await db.owner.query(`with a as (insert into app_public.agents (extension, display_name) values ('777', 'Queue member') returning id)
    insert into app_public.queue_agents (queue_id, agent_id, position) select q.id, a.id, 1 from app_public.queues q, a where q.name = 'AA Front Desk' returning agent_id as id`)).rows[0].id;
  await db.owner.query(`insert into app_public.queue_kpi_settings (queue_name) values ('AA Front Desk')`);
  ids.rule = (await db.owner.query(`insert into app_public.call_type_rules (queue_name, call_type) values ('AA Front Desk', 'appointment') returning id`)).rows[0].id;
  await db.owner.query(`insert into app_public.locations (name, code) values ('Novi', 'NV')`);
  const call = (callId: string, loc: string | null, agent: string | null) =>
    q(`insert into app_public.call_center_records (call_id, location, queue_name, agent_email, agent_extension, call_direction, call_start_time, call_answer_time, call_end_time, call_status, wait_seconds)
       values ($1, $2, $3, $4::citext, $5, 'inbound', now() - interval '1 hour', case when $4::citext is null then null else now() - interval '59 minutes' end, now() - interval '50 minutes',
               case when $4::citext is null then 'abandoned' else 'completed' end, 60) returning id`,
      [callId, loc, loc === "Ann Arbor" ? "AA Front Desk" : loc === "Wixom" ? "WX Front Desk" : null, agent, agent ? "101" : null]);
  ids.callAA = await call("c-aa", "Ann Arbor", EMAIL.agentAA);
  ids.callWX = await call("c-wx", "Wixom", EMAIL.agentWX);
  ids.callNobody = await call("c-none", null, null);
  ids.callAAUnanswered = await call("c-aa-abandoned", "Ann Arbor", null);
  const leg = (callKey: string, callId: string, loc: string, agent: string) =>
    q(`insert into app_public.call_legs (call_record_id, call_id, leg_key, leg_type, location, agent_email, started_at, answered_at, ended_at, outcome)
       values ($1, $2, 'h1', 'talk', $3, $4, now() - interval '1 hour', now() - interval '59 minutes', now() - interval '50 minutes', 'answered') returning id`,
      [ids[callKey], callId, loc, agent]);
  ids.legAA = await leg("callAA", "c-aa", "Ann Arbor", EMAIL.agentAA);
  ids.legWX = await leg("callWX", "c-wx", "Wixom", EMAIL.agentWX);
  const journal = (callKey: string, agent: string) =>
    q(`insert into app_public.call_journals (call_record_id, agent_email, call_summary) values ($1, $2, 'Asked about a refill') returning id`, [ids[callKey], agent]);
  ids.journalAA = await journal("callAA", EMAIL.agentAA);
  ids.journalWX = await journal("callWX", EMAIL.agentWX);
  const shift = (agent: string, loc: string) =>
    q(`insert into app_public.agent_shifts (agent_email, agent_name, location, shift_date, scheduled_start_time, scheduled_end_time) values ($1, 'A', $2, '2026-11-02', '08:00', '16:30') returning id`, [agent, loc]);
  ids.shiftAA = await shift(EMAIL.agentAA, "Ann Arbor");
  ids.shiftWX = await shift(EMAIL.agentWX, "Wixom");
  const shiftBreak = (shiftKey: string, agent: string, loc: string) =>
    q(`insert into app_public.shift_breaks (shift_id, agent_email, location, break_type, started_at, ended_at, minutes)
       values ($1, $2, $3, 'lunch', '2026-11-02T17:00:00Z', '2026-11-02T17:30:00Z', 30) returning id`, [ids[shiftKey], agent, loc]);
  ids.breakAA = await shiftBreak("shiftAA", EMAIL.agentAA, "Ann Arbor");
  ids.breakWX = await shiftBreak("shiftWX", EMAIL.agentWX, "Wixom");
  const correction = (shiftKey: string, agent: string, loc: string, by: string) =>
    q(`insert into app_public.shift_corrections (shift_id, agent_email, location, corrected_by, reason, changes)
       values ($1, $2, $3, $4, 'Forgot to clock out', '{"lunch_break_minutes": {"from": 0, "to": 30}}') returning id`, [ids[shiftKey], agent, loc, by]);
  ids.correctionAA = await correction("shiftAA", EMAIL.agentAA, "Ann Arbor", EMAIL.supervisorAA);
  ids.correctionWX = await correction("shiftWX", EMAIL.agentWX, "Wixom", EMAIL.supervisorWX);
  const template = (agent: string, loc: string) =>
    q(`insert into app_public.shift_templates (agent_email, location, weekday, scheduled_start_time, scheduled_end_time) values ($1, $2, 1, '08:00', '16:30') returning id`, [agent, loc]);
  ids.templateAA = await template(EMAIL.agentAA, "Ann Arbor");
  ids.templateWX = await template(EMAIL.agentWX, "Wixom");
  const goal = (agent: string, creator: string) =>
    q(`insert into app_public.performance_goals (agent_email, goal_period, period_start_date, period_end_date, calls_per_day_target, created_by) values ($1, 'monthly', '2026-11-01', '2026-11-30', 40, $2) returning id`, [agent, creator]);
  ids.goalAA = await goal(EMAIL.agentAA, EMAIL.manager);
  ids.goalWX = await goal(EMAIL.agentWX, EMAIL.supervisorWX);
  const team = (loc: string | null) =>
    q(`insert into app_public.team_performance_metrics (reporting_period, location, total_agents, active_agents) values ('2026-11-02', $1, 5, 4) returning id`, [loc]);
  ids.teamAA = await team("Ann Arbor");
  ids.teamWX = await team("Wixom");
  ids.teamAll = await team(null);
  // Active campaigns around today, so an attempt logged an hour ago is on one of their days.
  const campaign = (agent: string) =>
    q(`insert into app_public.call_campaigns (campaign_name, campaign_type, start_date, end_date, target_audience, assigned_agents, created_by, campaign_status)
       values ('Recall', 'follow_up', current_date - 30, current_date + 30, 'Patients due for a check', $1, $2, 'active') returning id`, [[agent], EMAIL.manager]);
  ids.campaignAA = await campaign(EMAIL.agentAA);
  ids.campaignWX = await campaign(EMAIL.agentWX);
  const attempt = (campaignKey: string, agent: string) =>
    q(`insert into app_public.campaign_call_attempts (campaign_id, agent_email, outcome, attempted_at) values ($1, $2, 'no_answer', now() - interval '1 hour') returning id`, [ids[campaignKey], agent]);
  ids.attemptAA = await attempt("campaignAA", EMAIL.agentAA);
  ids.attemptWX = await attempt("campaignWX", EMAIL.agentWX);
  const review = (callKey: string, agent: string, reviewer: string) =>
    q(`insert into app_public.quality_assurance_reviews (call_record_id, agent_email, reviewer_email, reviewer_name, review_type, greeting_professionalism, review_status) values ($1, $2, $3, 'R', 'random', 4, 'completed') returning id`, [ids[callKey], agent, reviewer]);
  ids.reviewAA = await review("callAA", EMAIL.agentAA, EMAIL.supervisorAA);
  ids.reviewWX = await review("callWX", EMAIL.agentWX, EMAIL.supervisorWX);
  const agent = (ext: string, email: string, loc: string) =>
    q(`insert into app_public.agents (extension, user_email, location_name, hire_date) values ($1, $2, $3, '2024-01-15') returning id`, [ext, email, loc]);
  ids.agentAA = await agent("101", EMAIL.agentAA, "Ann Arbor");
  ids.agentWX = await agent("201", EMAIL.agentWX, "Wixom");
  // 3CX presence, as the worker's poll writes it.
  for (const agentKey of ["agentAA", "agentWX"]) {
    await db.owner.query(`insert into app_public.agent_presence (agent_id, extension, profile, logged_in, registered, on_call, since, polled_at)
      select id, extension, 'Available', true, true, false, now() - interval '1 minute', now() from app_public.agents where id = $1`, [ids[agentKey]]);
    ids[`presenceHistory${agentKey.slice(5)}`] = await q(`insert into app_public.agent_presence_history (agent_id, extension, profile, logged_in, registered, on_call, valid_from)
      select id, extension, 'Available', true, true, false, now() - interval '1 minute' from app_public.agents where id = $1 returning id`, [ids[agentKey]]);
  }
  const note = (p: Persona) => q(`insert into app_public.notifications (user_id, notification_type, title) values ($1, 'goal_achieved', 'Well done') returning id`, [cast[p].userId]);
  ids.notificationAA = await note("agentAA");
  ids.notificationWX = await note("agentWX");
  await db.owner.query(`insert into app_public.notification_preferences (user_id, notification_type, channel) values ($1, 'goal_achieved', 'email'), ($2, 'goal_achieved', 'email')`, [cast.agentAA.userId, cast.agentWX.userId]);
  const upload = (p: Persona) =>
    q(`insert into app_public.file_uploads (uploaded_by, purpose, file_name, size_bytes, storage_key) values ($1, 'attachment', 'a.pdf', 10, $2) returning id`, [cast[p].userId, `k-${p}`]);
  ids.uploadAA = await upload("agentAA");
  ids.uploadWX = await upload("agentWX");
  const processing = (p: Persona) =>
    q(`insert into app_public.processing_jobs (kind, parameters, requested_by) values ('call_analysis', '{"call_ids": []}', $1) returning id`, [cast[p].userId]);
  ids.jobManager = await processing("manager");
  ids.jobSupervisorAA = await processing("supervisorAA");
  const doc = (loc: string | null, owner: string, key: string) =>
    q(`insert into app_public.document_storage (title, document_type, location_name, owner_email, storage_key) values ('Daily report', 'report', $1, $2, $3) returning id`, [loc, owner, key]);
  // Report schedules (one a manager made, the default one of the environment), runs (a manager's, supervisorAA's), a delivery each.
  ids.scheduleManager = await q(`insert into app_public.report_schedules (name, report, recipients, owner_email) values ('Weekly AA', 'team_performance', $1, $2) returning id`,
    [[EMAIL.manager], EMAIL.manager]);
  ids.scheduleDefault = await q(`insert into app_public.report_schedules (name, report, recipients, is_default) values ('Daily team report', 'team_performance', $1, true) returning id`, [[EMAIL.manager]]);
  const run = (p: Persona) =>
    q(`insert into app_public.report_runs (origin, report, for_day, from_day, to_day, format, channel, recipients, requested_by)
       values ('manual', 'team_performance', '2026-11-02', '2026-11-02', '2026-11-02', 'pdf', 'email', $1, $2) returning id`, [[EMAIL[p]], cast[p].userId]);
  ids.runManager = await run("manager");
  ids.runSupervisorAA = await run("supervisorAA");
  const delivery = (runKey: string, p: Persona) => q(`insert into app_public.report_deliveries (run_id, channel, recipient) values ($1, 'email', $2) returning id`, [ids[runKey], EMAIL[p]]);
  ids.deliveryManager = await delivery("runManager", "manager");
  ids.deliverySupervisorAA = await delivery("runSupervisorAA", "supervisorAA");
  ids.docAA = await doc("Ann Arbor", EMAIL.supervisorAA, "d-aa");
  ids.docWX = await doc("Wixom", EMAIL.supervisorWX, "d-wx");
  ids.docAll = await doc(null, EMAIL.manager, "d-all");
  await db.owner.query(`insert into app_public.user_permissions (user_id, permission, granted_by) values ($1, 'exportData', $2)`, [cast.agentWX.userId, cast.superadmin.userId]);
  await db.owner.query(`insert into app_public.audit_logs (action, table_name) values ('insert', 'probe')`);
  // KPI counts: the queues' from the calls above, the agents' written directly.
  await db.owner.query(`select app_private.recount_kpis(current_date - 1, current_date + 1)`);
  await db.owner.query(`insert into app_public.agent_daily_stats (agent_extension, business_day, calls_handled, calls_handled_inbound, calls_missed, talk_seconds,
      hold_seconds, acw_seconds, fcr_resolved, fcr_final, appointments, csat_sum, csat_count, complaints)
    values ('101', '2026-11-02', 1, 1, 0, 60, 0, 0, 0, 0, 0, 0, 0, 0), ('201', '2026-11-02', 1, 1, 0, 60, 0, 0, 0, 0, 0, 0, 0, 0)`);
});
afterAll(async () => db.drop());

/** Probe helper for tables whose rows carry (location, agent) and use the performance scope. */
function scoped(name: string, key: string, location: string | null, agent: string | null, write: (m: Me) => boolean): Probe {
  const visible = (m: Me) => m.inScope(location, agent);
  return { name, key, select: visible, update: (m) => write(m) && visible(m), delete: (m) => write(m) && visible(m) };
}
const supervisesOrAll = (m: Me, location: string | null) => m.seesAll || (location !== null && m.team.includes(location));
const personRow = (name: string, key: string, owner: Persona, extra: Partial<Probe> = {}): Probe => ({
  name, key,
  select: (m) => m.persona === owner,
  update: (m) => m.persona === owner,
  delete: (m) => m.persona === owner,
  ...extra,
});
const people = (m: Me) => m.people;
const supervisorSees = (m: Me, p: Persona) => m.role === "supervisor" && LOCATIONS[p].some((l) => LOCATIONS[m.persona].includes(l));

const TABLES: TableSpec[] = [
  {
    table: "call_center_records", keyExpr: "id::text", updateSql: "set call_priority = call_priority",
    rows: () => [
      scoped("Ann Arbor call of agentAA", ids.callAA!, "Ann Arbor", EMAIL.agentAA, (m) => m.can("editCallJournals")),
      scoped("Wixom call of agentWX", ids.callWX!, "Wixom", EMAIL.agentWX, (m) => m.can("editCallJournals")),
      scoped("call with no agent and no location", ids.callNobody!, null, null, (m) => m.can("editCallJournals")),
      scoped("unanswered Ann Arbor call", ids.callAAUnanswered!, "Ann Arbor", null, (m) => m.can("editCallJournals")),
    ].map((p) => ({ ...p, delete: never })),
    insert: { sql: () => [`insert into app_public.call_center_records (call_id, call_direction, call_start_time, call_status) values ('new', 'inbound', now(), 'missed')`, []], allowed: never },
  },
  {
    table: "call_legs", keyExpr: "id::text", updateSql: "set outcome = outcome",
    rows: () => [
      { ...scoped("leg of agentAA", ids.legAA!, "Ann Arbor", EMAIL.agentAA, never) },
      { ...scoped("leg of agentWX", ids.legWX!, "Wixom", EMAIL.agentWX, never) },
    ],
    insert: { sql: () => [`insert into app_public.call_legs (call_record_id, call_id, leg_key, leg_type, started_at, outcome) values ($1, 'c-aa', 'h9', 'ring', now(), 'missed')`, [ids.callAA]], allowed: never },
  },
  {
    // KPI counts are read-only for people: upkeep writes them.
    table: "queue_interval_stats", keyExpr: "queue_name", updateSql: "set computed_at = computed_at",
    rows: () => [
      { name: "Ann Arbor queue's interval", key: "AA Front Desk", select: (m) => supervisesOrAll(m, "Ann Arbor"), update: never, delete: never },
      { name: "Wixom queue's interval", key: "WX Front Desk", select: (m) => supervisesOrAll(m, "Wixom"), update: never, delete: never },
    ],
    insert: { sql: () => [`insert into app_public.queue_interval_stats (queue_name, interval_start, business_day, offered, answered, abandoned, short_abandoned, voicemail, missed, transferred,
        answered_within_sl, abandoned_within_sl, wait_unknown, answered_wait_seconds, abandoned_wait_seconds, answered_wait_le_10, answered_wait_le_20, answered_wait_le_30,
        answered_wait_le_60, answered_wait_le_120, answered_wait_gt_120, abandoned_wait_le_10, abandoned_wait_le_20, abandoned_wait_le_30, abandoned_wait_le_60,
        abandoned_wait_le_120, abandoned_wait_gt_120, sl_threshold_seconds, short_abandon_seconds)
      values ('AA Front Desk', '2026-01-05T15:00:00Z', '2026-01-05', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 20, 5)`, []], allowed: never },
  },
  {
    table: "agent_daily_stats", keyExpr: "agent_extension", updateSql: "set computed_at = computed_at",
    rows: () => [
      { name: "agentAA's day", key: "101", select: (m) => m.inScope("Ann Arbor", EMAIL.agentAA), update: never, delete: never },
      { name: "agentWX's day", key: "201", select: (m) => m.inScope("Wixom", EMAIL.agentWX), update: never, delete: never },
    ],
    insert: { sql: () => [`insert into app_public.agent_daily_stats (agent_extension, business_day, calls_handled, calls_handled_inbound, calls_missed, talk_seconds,
        hold_seconds, acw_seconds, fcr_resolved, fcr_final, appointments, csat_sum, csat_count, complaints) values ('101', '2026-01-05', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)`, []], allowed: never },
  },
  {
    table: "call_journals", keyExpr: "id::text", updateSql: "set call_summary = call_summary",
    rows: () => {
      const j = (name: string, key: string, loc: string, agent: string): Probe => {
        const visible = (m: Me) => m.seesAll || agent === m.own || m.team.includes(loc);
        const write = (m: Me) => m.can("editCallJournals") && (m.seesAll || m.team.includes(loc) || agent === m.own);
        return { name, key, select: visible, update: (m) => write(m) && visible(m), delete: (m) => write(m) && visible(m) };
      };
      return [j("journal of agentAA", ids.journalAA!, "Ann Arbor", EMAIL.agentAA), j("journal of agentWX", ids.journalWX!, "Wixom", EMAIL.agentWX)];
    },
    insert: {
      sql: () => [`insert into app_public.call_journals (call_record_id, agent_email, call_summary) values ($1, $2, 'Billing question')`, [ids.callAA, EMAIL.agentAA]],
      allowed: (m) => m.can("editCallJournals") && (m.seesAll || m.team.includes("Ann Arbor") || m.own === EMAIL.agentAA),
    },
  },
  {
    table: "agent_shifts", keyExpr: "id::text", updateSql: "set shift_notes = shift_notes",
    rows: () => [
      scoped("shift of agentAA", ids.shiftAA!, "Ann Arbor", EMAIL.agentAA, (m) => m.can("manageGoals") && supervisesOrAll(m, "Ann Arbor")),
      scoped("shift of agentWX", ids.shiftWX!, "Wixom", EMAIL.agentWX, (m) => m.can("manageGoals") && supervisesOrAll(m, "Wixom")),
    ],
    insert: {
      sql: () => [`insert into app_public.agent_shifts (agent_email, agent_name, location, shift_date, scheduled_start_time, scheduled_end_time) values ($1, 'A', 'Ann Arbor', '2026-11-03', '08:00', '16:30')`, [EMAIL.agentAA]],
      allowed: (m) => m.can("manageGoals") && supervisesOrAll(m, "Ann Arbor"),
    },
  },
  // Breaks and corrections are written by the clock and correctShift only (security definer functions); people read them in the shifts' scope.
  ...(["shift_breaks", "shift_corrections"] as const).map((table): TableSpec => ({
    table, keyExpr: "id::text", updateSql: table === "shift_breaks" ? "set minutes = minutes" : "set reason = reason",
    rows: () => {
      const [aa, wx] = table === "shift_breaks" ? [ids.breakAA!, ids.breakWX!] : [ids.correctionAA!, ids.correctionWX!];
      return [scoped(`${table} of agentAA`, aa, "Ann Arbor", EMAIL.agentAA, never), scoped(`${table} of agentWX`, wx, "Wixom", EMAIL.agentWX, never)];
    },
    insert: {
      sql: () => table === "shift_breaks"
        ? [`insert into app_public.shift_breaks (shift_id, agent_email, location) values ($1, $2, 'Ann Arbor')`, [ids.shiftAA, EMAIL.agentAA]]
        : [`insert into app_public.shift_corrections (shift_id, agent_email, location, corrected_by, reason, changes) values ($1, $2, 'Ann Arbor', $2, 'Forged it', '{}')`, [ids.shiftAA, EMAIL.agentAA]],
      allowed: never,
    },
  })),
  // 3CX presence is written by the worker's poll only; people read it in the agent directory's scope.
  {
    table: "agent_presence", keyExpr: "agent_id::text", updateSql: "set profile = profile",
    rows: () => [
      scoped("presence of agentAA", ids.agentAA!, "Ann Arbor", EMAIL.agentAA, never),
      scoped("presence of agentWX", ids.agentWX!, "Wixom", EMAIL.agentWX, never),
    ],
    insert: { sql: () => [`insert into app_public.agent_presence (agent_id, extension, logged_in, registered, on_call, since, polled_at)
        select id, extension, true, true, false, now(), now() from app_public.agents where extension = '101'`, []], allowed: never },
  },
  {
    table: "agent_presence_history", keyExpr: "id::text", updateSql: "set profile = profile",
    rows: () => [
      scoped("presence history of agentAA", ids.presenceHistoryAA!, "Ann Arbor", EMAIL.agentAA, never),
      scoped("presence history of agentWX", ids.presenceHistoryWX!, "Wixom", EMAIL.agentWX, never),
    ],
    insert: { sql: () => [`insert into app_public.agent_presence_history (agent_id, extension, logged_in, registered, on_call, valid_from)
        select id, extension, true, true, false, now() from app_public.agents where extension = '101'`, []], allowed: never },
  },
  {
    table: "shift_templates", keyExpr: "id::text", updateSql: "set shift_notes = shift_notes",
    rows: () => [
      scoped("template row of agentAA", ids.templateAA!, "Ann Arbor", EMAIL.agentAA, (m) => m.can("manageGoals") && supervisesOrAll(m, "Ann Arbor")),
      scoped("template row of agentWX", ids.templateWX!, "Wixom", EMAIL.agentWX, (m) => m.can("manageGoals") && supervisesOrAll(m, "Wixom")),
    ],
    insert: {
      sql: () => [`insert into app_public.shift_templates (agent_email, location, weekday, scheduled_start_time, scheduled_end_time) values ($1, 'Ann Arbor', 2, '08:00', '16:30')`, [EMAIL.agentAA]],
      allowed: (m) => m.can("manageGoals") && supervisesOrAll(m, "Ann Arbor"),
    },
  },
  {
    table: "performance_goals", keyExpr: "id::text", updateSql: "set coaching_focus = coaching_focus",
    rows: () => {
      const g = (name: string, key: string, agent: string, creator: string): Probe => {
        const visible = (m: Me) => m.seesAll || people(m).includes(agent) || m.email === creator;
        const write = (m: Me) => m.can("manageGoals") && (m.seesAll || people(m).includes(agent));
        return { name, key, select: visible, update: (m) => write(m) && visible(m), delete: (m) => write(m) && visible(m) };
      };
      return [g("goal of agentAA set by the manager", ids.goalAA!, EMAIL.agentAA, EMAIL.manager), g("goal of agentWX set by supervisorWX", ids.goalWX!, EMAIL.agentWX, EMAIL.supervisorWX)];
    },
    insert: {
      sql: () => [`insert into app_public.performance_goals (agent_email, goal_period, period_start_date, period_end_date) values ($1, 'weekly', '2026-11-02', '2026-11-08')`, [EMAIL.agentAA]],
      allowed: (m) => m.can("manageGoals") && (m.seesAll || people(m).includes(EMAIL.agentAA)),
    },
  },
  {
    table: "team_performance_metrics", keyExpr: "id::text", updateSql: "set certifications_earned = certifications_earned",
    rows: () => {
      const t = (name: string, key: string, loc: string | null): Probe => {
        const visible = (m: Me) => supervisesOrAll(m, loc);
        return { name, key, select: visible, update: (m) => m.can("configureMetrics") && visible(m), delete: never };
      };
      return [t("Ann Arbor day", ids.teamAA!, "Ann Arbor"), t("Wixom day", ids.teamWX!, "Wixom"), t("practice-wide day", ids.teamAll!, null)];
    },
    insert: { sql: () => [`insert into app_public.team_performance_metrics (reporting_period, location, total_agents, active_agents) values ('2026-11-03', 'Wixom', 1, 1)`, []], allowed: never },
  },
  {
    table: "call_campaigns", keyExpr: "id::text", updateSql: "set campaign_notes = campaign_notes",
    rows: () => {
      const c = (name: string, key: string, agent: string): Probe => {
        const visible = (m: Me) => m.seesAll || m.can("manageCampaigns") || people(m).includes(agent) || m.email === EMAIL.manager;
        return { name, key, select: visible, update: (m) => m.can("manageCampaigns") && visible(m), delete: (m) => m.can("manageCampaigns") && visible(m) };
      };
      return [c("campaign assigned to agentAA", ids.campaignAA!, EMAIL.agentAA), c("campaign assigned to agentWX", ids.campaignWX!, EMAIL.agentWX)];
    },
    insert: {
      sql: () => [`insert into app_public.call_campaigns (campaign_name, campaign_type, start_date, end_date, target_audience) values ('Survey', 'satisfaction_survey', '2026-12-01', '2026-12-31', 'Recent visits')`, []],
      allowed: (m) => m.can("manageCampaigns"),
    },
  },
  {
    // A goal's history: read as the goal is, written by the goals' trigger only.
    table: "performance_goal_changes", keyExpr: "goal_id::text", updateSql: "set reason = reason",
    rows: () => {
      const h = (name: string, key: string, agent: string, creator: string): Probe =>
        ({ name, key, select: (m) => m.seesAll || people(m).includes(agent) || m.email === creator, update: never, delete: never });
      return [h("history of agentAA's goal", ids.goalAA!, EMAIL.agentAA, EMAIL.manager), h("history of agentWX's goal", ids.goalWX!, EMAIL.agentWX, EMAIL.supervisorWX)];
    },
    insert: { sql: () => [`insert into app_public.performance_goal_changes (goal_id, change, new_goal_status) values ($1, 'update', 'paused')`, [ids.goalAA]], allowed: never },
  },
  {
    // A campaign's status moves: read as the campaign is, written by the campaigns' trigger only.
    table: "call_campaign_status_changes", keyExpr: "campaign_id::text", updateSql: "set reason = reason",
    rows: () => {
      const h = (name: string, key: string, agent: string): Probe =>
        ({ name, key, select: (m) => m.seesAll || m.can("manageCampaigns") || people(m).includes(agent) || m.email === EMAIL.manager, update: never, delete: never });
      return [h("status of the campaign of agentAA", ids.campaignAA!, EMAIL.agentAA), h("status of the campaign of agentWX", ids.campaignWX!, EMAIL.agentWX)];
    },
    insert: { sql: () => [`insert into app_public.call_campaign_status_changes (campaign_id, new_status) values ($1, 'paused')`, [ids.campaignAA]], allowed: never },
  },
  {
    // Logged campaign calls: the campaign's readers see the attempts of the people they may see; logged (through logCampaignCall) by
    // the agent themselves, their supervisors, campaign managers; deleted by campaign managers.
    table: "campaign_call_attempts", keyExpr: "id::text", updateSql: "set outcome = outcome",
    rows: () => {
      const a = (name: string, key: string, agent: string): Probe => {
        const visible = (m: Me) => (m.seesAll || m.can("manageCampaigns") || people(m).includes(agent) || m.email === EMAIL.manager)
          && (m.seesAll || m.can("manageCampaigns") || people(m).includes(agent));
        return { name, key, select: visible, update: never, delete: (m) => m.can("manageCampaigns") && visible(m) };
      };
      return [a("attempt of agentAA", ids.attemptAA!, EMAIL.agentAA), a("attempt of agentWX", ids.attemptWX!, EMAIL.agentWX)];
    },
    insert: {
      sql: () => [`insert into app_public.campaign_call_attempts (campaign_id, agent_email, outcome, attempted_at) values ($1, $2, 'busy', now() - interval '2 hours')`, [ids.campaignAA, EMAIL.agentAA]],
      allowed: (m) => (m.seesAll || m.can("manageCampaigns") || people(m).includes(EMAIL.agentAA) || m.email === EMAIL.manager)
        && (m.can("manageCampaigns") || (m.can("editCallJournals") && m.email === EMAIL.agentAA) || (m.can("viewTeamPerformance") && people(m).includes(EMAIL.agentAA))),
    },
  },
  {
    table: "quality_assurance_reviews", keyExpr: "id::text", updateSql: "set specific_coaching_points = specific_coaching_points",
    rows: () => {
      const r = (name: string, key: string, agent: string, reviewer: string): Probe => {
        const visible = (m: Me) => m.seesAll || people(m).includes(agent) || m.email === reviewer;
        const conduct = (m: Me) => m.can("conductQAReviews") && (m.seesAll || (m.email === reviewer && people(m).includes(agent)));
        // The reviewed agent may acknowledge a completed review; this probe changes nothing, so the rule lets it through.
        const acknowledge = (m: Me) => m.own === agent;
        return { name, key, select: visible, update: (m) => (conduct(m) || acknowledge(m)) && visible(m), delete: (m) => conduct(m) && visible(m) };
      };
      return [r("review of agentAA by supervisorAA", ids.reviewAA!, EMAIL.agentAA, EMAIL.supervisorAA), r("review of agentWX by supervisorWX", ids.reviewWX!, EMAIL.agentWX, EMAIL.supervisorWX)];
    },
    insert: {
      sql: () => [`insert into app_public.quality_assurance_reviews (call_record_id, agent_email, review_type, active_listening) values ($1, $2, 'targeted', 3)`, [ids.callAA, EMAIL.agentAA]],
      allowed: (m) => m.can("conductQAReviews") && (m.seesAll || people(m).includes(EMAIL.agentAA)),
    },
  },
  {
    table: "agents", keyExpr: "id::text", updateSql: "set display_name = display_name",
    rows: () => [
      scoped("directory row of agentAA", ids.agentAA!, "Ann Arbor", EMAIL.agentAA, (m) => m.can("configureMetrics")),
      scoped("directory row of agentWX", ids.agentWX!, "Wixom", EMAIL.agentWX, (m) => m.can("configureMetrics")),
    ],
    insert: { sql: () => [`insert into app_public.agents (extension, location_name) values ('555', 'Plymouth')`, []], allowed: (m) => m.can("configureMetrics") },
  },
  ...(["queues", "queue_kpi_settings", "location_configs"] as const).map((table): TableSpec => ({
    table,
    keyExpr: table === "queues" ? "name" : table === "queue_kpi_settings" ? "queue_name" : "location_name",
    updateSql: table === "queues" ? "set is_active = is_active" : table === "queue_kpi_settings" ? "set sl_goal_pct = sl_goal_pct" : "set settings = settings",
    rows: () => {
      const key = table === "location_configs" ? "Wixom" : table === "queues" ? "WX Front Desk" : "AA Front Desk";
      return [{ name: `${table} row`, key, select: () => true, update: (m) => m.can("configureMetrics"), delete: (m) => m.can("configureMetrics") }];
    },
    insert: {
      sql: () =>
        table === "queues" ? [`insert into app_public.queues (name, location_name) values ('Billing', 'Plymouth')`, []]
        : table === "queue_kpi_settings" ? [`insert into app_public.queue_kpi_settings (queue_name, sl_threshold_seconds) values ('WX Front Desk', 30)`, []]
        : [`insert into app_public.location_configs (location_name) values ('Novi')`, []],
      allowed: (m) => m.can("configureMetrics"),
    },
  })),
  {
    table: "pbx_numbers", keyExpr: "number", updateSql: "set name = name",
    rows: () => [{ name: "an IVR", key: "610", select: () => true, update: (m) => m.can("configureMetrics"), delete: (m) => m.can("configureMetrics") }],
    insert: { sql: () => [`insert into app_public.pbx_numbers (number, kind, name) values ('620', 'ring_group', 'Front desk group')`, []], allowed: (m) => m.can("configureMetrics") },
  },
  {
    // Written by the 3CX directory sync only; everyone signed in reads it.
    table: "queue_agents", keyExpr: "agent_id::text", updateSql: "set position = position",
    rows: () => [{ name: "a queue's agent", key: ids.queueAgent!, select: () => true, update: never, delete: never }],
    insert: {
      sql: () => [`insert into app_public.queue_agents (queue_id, agent_id, position) select q.id, a.id, 2 from app_public.queues q, app_public.agents a where q.name = 'WX Front Desk' and a.extension = '777'`, []],
      allowed: never,
    },
  },
  {
    table: "call_type_rules", keyExpr: "id::text", updateSql: "set priority = priority",
    rows: () => [{ name: "a rule", key: ids.rule!, select: () => true, update: (m) => m.can("configureMetrics"), delete: (m) => m.can("configureMetrics") }],
    insert: { sql: () => [`insert into app_public.call_type_rules (called_number_pattern, call_type) values ('^800', 'billing')`, []], allowed: (m) => m.can("configureMetrics") },
  },
  {
    table: "notifications", keyExpr: "id::text", updateSql: "set read_at = read_at",
    rows: () => [personRow("notification to agentAA", ids.notificationAA!, "agentAA"), personRow("notification to agentWX", ids.notificationWX!, "agentWX")],
    insert: { sql: () => [`insert into app_public.notifications (user_id, notification_type, title) values (auth.uid(), 'test_note', 'x')`, []], allowed: never },
  },
  {
    table: "notification_preferences", keyExpr: "user_id::text || '/' || notification_type || '/' || channel", updateSql: "set enabled = enabled",
    rows: () => [
      personRow("preference of agentAA", "", "agentAA"),
      personRow("preference of agentWX", "", "agentWX"),
    ],
    insert: { sql: () => [`insert into app_public.notification_preferences (user_id, notification_type, channel) values (auth.uid(), 'report_ready', 'sms')`, []], allowed: () => true },
  },
  {
    table: "file_uploads", keyExpr: "id::text", updateSql: "set status = status",
    rows: () => [
      { ...personRow("upload of agentAA", ids.uploadAA!, "agentAA"), select: (m: Me) => m.persona === "agentAA" || m.seesAll, update: never, delete: (m: Me) => m.persona === "agentAA" || m.seesAll },
      { ...personRow("upload of agentWX", ids.uploadWX!, "agentWX"), select: (m: Me) => m.persona === "agentWX" || m.seesAll, update: never, delete: (m: Me) => m.persona === "agentWX" || m.seesAll },
    ],
    insert: { sql: () => [`insert into app_public.file_uploads (purpose, file_name, size_bytes, storage_key) values ('cdr_import', 'cdr.log', 100, 'k-new')`, []], allowed: () => true },
  },
  {
    // Written by analyzeCalls and the worker only: people read their own jobs, configureMetrics holders all.
    table: "processing_jobs", keyExpr: "id::text", updateSql: "set status = status",
    rows: () => [
      { name: "a manager's job", key: ids.jobManager!, select: (m: Me) => m.persona === "manager" || m.can("configureMetrics"), update: never, delete: never },
      { name: "a job asked for by supervisorAA", key: ids.jobSupervisorAA!, select: (m: Me) => m.persona === "supervisorAA" || m.can("configureMetrics"), update: never, delete: never },
    ],
    insert: {
      sql: () => [`insert into app_public.processing_jobs (kind, parameters, requested_by) values ('call_analysis', '{}', (select auth.uid()))`, []],
      allowed: (m: Me) => m.can("configureMetrics"),
    },
  },
  {
    // Managers and superadmins (generateReports with viewAllPerformance) manage schedules; others see the ones they own. No deletes (deactivate).
    table: "report_schedules", keyExpr: "id::text", updateSql: "set name = name",
    rows: () => {
      const manage = (m: Me) => m.can("generateReports") && m.seesAll;
      return [
        { name: "a manager's schedule", key: ids.scheduleManager!, select: (m: Me) => m.seesAll || m.email === EMAIL.manager, update: manage, delete: never },
        { name: "the default schedule", key: ids.scheduleDefault!, select: (m: Me) => m.seesAll, update: manage, delete: never },
      ];
    },
    insert: {
      sql: () => [`insert into app_public.report_schedules (name, report, recipients) values ('Monthly', 'team_performance', '{manager@gangerdermatology.com}')`, []],
      allowed: (m) => m.can("generateReports") && m.seesAll,
    },
  },
  {
    // Written by generateReport (security definer) and the worker only: you read the runs you asked for, managers and superadmins all.
    table: "report_runs", keyExpr: "id::text", updateSql: "set status = status",
    rows: () => [
      { name: "a manager's run", key: ids.runManager!, select: (m: Me) => m.persona === "manager" || m.seesAll, update: never, delete: never },
      { name: "supervisorAA's run", key: ids.runSupervisorAA!, select: (m: Me) => m.persona === "supervisorAA" || m.seesAll, update: never, delete: never },
    ],
    insert: {
      sql: () => [`insert into app_public.report_runs (origin, report, for_day, from_day, to_day, format, channel, recipients, requested_by)
        values ('manual', 'team_performance', '2026-11-02', '2026-11-02', '2026-11-02', 'pdf', 'email', '{x@gangerdermatology.com}', (select auth.uid()))`, []],
      allowed: never,
    },
  },
  {
    // Read with the run; written by the worker only.
    table: "report_deliveries", keyExpr: "id::text", updateSql: "set status = status",
    rows: () => [
      { name: "a delivery of a manager's run", key: ids.deliveryManager!, select: (m: Me) => m.persona === "manager" || m.seesAll, update: never, delete: never },
      { name: "a delivery of supervisorAA's run", key: ids.deliverySupervisorAA!, select: (m: Me) => m.persona === "supervisorAA" || m.seesAll, update: never, delete: never },
    ],
    insert: {
      sql: () => [`insert into app_public.report_deliveries (run_id, channel, recipient) values ($1, 'email', 'x@gangerdermatology.com')`, [ids.runManager]],
      allowed: never,
    },
  },
  {
    table: "document_storage", keyExpr: "id::text", updateSql: "set title = title",
    rows: () => {
      const d = (name: string, key: string, loc: string | null, owner: string): Probe => {
        const visible = (m: Me) => m.seesAll || m.email === owner || (loc !== null && m.team.includes(loc));
        const change = (m: Me) => (m.email === owner || m.seesAll) && visible(m);
        return { name, key, select: visible, update: change, delete: change };
      };
      return [d("Ann Arbor report", ids.docAA!, "Ann Arbor", EMAIL.supervisorAA), d("Wixom report", ids.docWX!, "Wixom", EMAIL.supervisorWX), d("practice-wide report", ids.docAll!, null, EMAIL.manager)];
    },
    insert: {
      sql: () => [`insert into app_public.document_storage (title, document_type, location_name, storage_key) values ('Weekly', 'report', 'Ann Arbor', 'd-new')`, []],
      allowed: (m) => m.can("generateReports") && supervisesOrAll(m, "Ann Arbor"),
    },
  },
  {
    table: "users", keyExpr: "email::text", updateSql: "set full_name = full_name",
    rows: () => (["agentAA", "agentWX", "manager"] as Persona[]).map((p) => ({
      name: `user ${p}`, key: EMAIL[p],
      select: (m: Me) => m.persona === p || isRole(m, "manager", "superadmin") || supervisorSees(m, p),
      update: (m: Me) => isRole(m, "superadmin"),
      delete: (m: Me) => isRole(m, "superadmin"),
    })),
    insert: { sql: () => [`insert into app_public.users (email) values ('new.hire@gangerdermatology.com')`, []], allowed: (m) => isRole(m, "superadmin") },
  },
  {
    table: "user_roles", keyExpr: "(select email::text from app_public.users u where u.id = user_id)", updateSql: "set role = role",
    rows: () => (["agentAA", "agentWX"] as Persona[]).map((p) => ({
      name: `role of ${p}`, key: EMAIL[p],
      select: (m: Me) => m.persona === p || isRole(m, "manager", "superadmin") || supervisorSees(m, p),
      update: (m: Me) => isRole(m, "superadmin"),
      delete: (m: Me) => isRole(m, "superadmin"),
    })),
    insert: {
      sql: () => [`insert into app_public.user_roles (user_id, role) select id, 'staff' from app_public.users where email = $1`, [CAST_EXTRAS.noRole.email]],
      allowed: (m) => isRole(m, "superadmin"),
    },
  },
  {
    table: "location_staff", keyExpr: "(select email::text from app_public.users u where u.id = user_id) || '@' || location_name", updateSql: "set position = position",
    rows: () => (["agentAA", "agentWX"] as Persona[]).map((p) => ({
      name: `staff row of ${p}`, key: `${EMAIL[p]}@${LOCATIONS[p][0]}`,
      select: (m: Me) => m.persona === p || isRole(m, "manager", "superadmin") || supervisorSees(m, p),
      update: (m: Me) => isRole(m, "manager", "superadmin"),
      delete: (m: Me) => isRole(m, "manager", "superadmin"),
    })),
    insert: {
      sql: () => [`insert into app_public.location_staff (user_id, location_name) values ($1, 'Plymouth')`, [cast.agentAA.userId]],
      allowed: (m) => isRole(m, "manager", "superadmin"),
    },
  },
  {
    table: "locations", keyExpr: "name", updateSql: "set phone = phone",
    rows: () => [{ name: "Wixom", key: "Wixom", select: () => true, update: (m) => isRole(m, "manager", "superadmin"), delete: (m) => isRole(m, "manager", "superadmin") }],
    insert: { sql: () => [`insert into app_public.locations (name, code) values ('Canton', 'CT')`, []], allowed: (m) => isRole(m, "manager", "superadmin") },
  },
  {
    table: "app_roles", keyExpr: "role", updateSql: "set description = description",
    rows: () => [{ name: "staff role", key: "staff", select: () => true, update: never, delete: never }],
    insert: { sql: () => [`insert into app_public.app_roles (role, rank, description) values ('intern', 9, 'x')`, []], allowed: never },
  },
  {
    table: "permissions", keyExpr: "name", updateSql: "set description = description",
    rows: () => [{ name: "exportData", key: "exportData", select: () => true, update: (m) => isRole(m, "superadmin"), delete: (m) => isRole(m, "superadmin") }],
    insert: { sql: () => [`insert into app_public.permissions (name, description) values ('viewSecrets', 'x')`, []], allowed: (m) => isRole(m, "superadmin") },
  },
  {
    table: "role_permissions", keyExpr: "role || '/' || permission", updateSql: "set permission = permission",
    rows: () => [{ name: "manager/exportData", key: "manager/exportData", select: () => true, update: never, delete: (m) => isRole(m, "superadmin") }],
    insert: { sql: () => [`insert into app_public.role_permissions (role, permission) values ('staff', 'exportData')`, []], allowed: (m) => isRole(m, "superadmin") },
  },
  {
    table: "user_permissions", keyExpr: "(select email::text from app_public.users u where u.id = user_id) || '/' || permission", updateSql: "set reason = reason",
    rows: () => [{
      name: "exportData granted to agentWX", key: `${EMAIL.agentWX}/exportData`,
      select: (m) => m.persona === "agentWX" || isRole(m, "manager", "superadmin"),
      update: (m) => isRole(m, "superadmin"), delete: (m) => isRole(m, "superadmin"),
    }],
    insert: { sql: () => [`insert into app_public.user_permissions (user_id, permission) values ($1, 'reviewJournals')`, [cast.agentAA.userId]], allowed: (m) => isRole(m, "superadmin") },
  },
  {
    table: "audit_logs", keyExpr: "table_name", updateSql: "set action = action",
    rows: () => [{ name: "an audit row", key: "probe", select: (m) => isRole(m, "superadmin"), update: never, delete: never }],
    insert: { sql: () => [`insert into app_public.audit_logs (action, table_name) values ('insert', 'forged')`, []], allowed: never },
  },
];

describe("the matrix is data", () => {
  it("holds the PRD's 12 permissions for the 5 roles", async () => {
    const { rows } = await db.owner.query("select count(*)::int as n, count(distinct permission)::int as p, count(distinct role)::int as r from app_public.role_permissions");
    expect(rows[0]).toEqual({ n: 35, p: 12, r: 5 });
  });

  it("is the PRD's matrix, role by role and permission by permission", async () => {
    const { rows } = await db.owner.query<{ role: string; permission: string }>("select role, permission from app_public.role_permissions");
    expect(matrixDifferences(rows)).toEqual([]);
  });

  it("a permission seeded wrong fails the comparison, naming it (flipped in a transaction that is rolled back)", async () => {
    const c = await db.owner.connect();
    try {
      await c.query("begin");
      await c.query("delete from app_public.role_permissions where role = 'supervisor' and permission = 'reviewJournals'");
      await c.query("insert into app_public.role_permissions (role, permission) values ('call_center_agent', 'exportData')");
      const { rows } = await c.query<{ role: string; permission: string }>("select role, permission from app_public.role_permissions");
      expect(matrixDifferences(rows)).toEqual([
        "call_center_agent/exportData: the database grants it, the PRD does not",
        "supervisor/reviewJournals: the PRD grants it, the database does not",
      ]);
    } finally {
      await c.query("rollback");
      c.release();
    }
    const { rows } = await db.owner.query<{ role: string; permission: string }>("select role, permission from app_public.role_permissions");
    expect(matrixDifferences(rows)).toEqual([]);
  });

  it("covers every table in app_public", async () => {
    const { rows } = await db.owner.query<{ relname: string }>(
      "select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = 'app_public' and c.relkind = 'r' order by 1");
    expect(rows.map((r) => r.relname).sort()).toEqual(TABLES.map((t) => t.table).sort());
  });
});

describe.each(TABLES.map((t) => [t.table, t] as const))("%s", (_name, spec) => {
  it.each(PERSONAS)("as %s: select, insert, update and delete follow the matrix", async (persona) => {
    const m = me(persona);
    const probes = spec.rows().map((p) =>
      spec.table === "notification_preferences" ? { ...p, key: `${cast[(p.name.endsWith("agentAA") ? "agentAA" : "agentWX") as Persona].userId}/goal_achieved/email` } : p);
    const expected: Record<string, boolean> = {};
    const actual: Record<string, boolean> = {};
    await as(persona, async (c) => {
      const { rows } = await c.query<{ k: string }>(`select ${spec.keyExpr} as k from app_public.${spec.table}`);
      const seen = new Set(rows.map((r) => r.k));
      for (const p of probes) {
        expected[`select ${p.name}`] = p.select(m);
        actual[`select ${p.name}`] = seen.has(p.key);
        expected[`update ${p.name}`] = p.update(m);
        actual[`update ${p.name}`] = await attempt(c, `update app_public.${spec.table} ${spec.updateSql} where ${spec.keyExpr} = $1`, [p.key]);
        expected[`delete ${p.name}`] = p.delete(m);
        actual[`delete ${p.name}`] = await attempt(c, `delete from app_public.${spec.table} where ${spec.keyExpr} = $1`, [p.key]);
      }
      const [sql, params] = spec.insert.sql();
      expected.insert = spec.insert.allowed(m);
      actual.insert = await attempt(c, sql, params);
    });
    expect(actual).toEqual(expected);
  });
});

describe("what the matrix says, in words", () => {
  it("a supervisor of another location sees none of this location's calls", async () => {
    const seen = await as("supervisorWX", async (c) => (await c.query("select call_id from app_public.call_center_records order by 1")).rows.map((r) => r.call_id));
    expect(seen).toEqual(["c-wx"]);
  });

  it("an agent reading another agent's rows gets nothing", async () => {
    await as("agentAA", async (c) => {
      for (const t of ["call_center_records", "call_legs", "call_journals", "agent_shifts", "performance_goals", "quality_assurance_reviews", "agents"]) {
        const { rows } = await c.query(`select count(*)::int as n from app_public.${t} where agent_email = $1`.replace("agent_email", t === "agents" ? "user_email" : "agent_email"), [EMAIL.agentWX]);
        expect({ t, n: rows[0].n }).toEqual({ t, n: 0 });
      }
    });
  });

  it("calls with no agent or no location yet are for managers and superadmins only", async () => {
    for (const persona of PERSONAS) {
      const n = await as(persona, async (c) => (await c.query("select count(*)::int as n from app_public.call_center_records where agent_email is null and location is null")).rows[0].n);
      expect({ persona, n }).toEqual({ persona, n: ["manager", "superadmin"].includes(persona) ? 1 : 0 });
    }
  });

  it("changing the matrix changes the rules: without viewTeamPerformance a supervisor sees only their own calls", async () => {
    await db.owner.query("delete from app_public.role_permissions where role = 'supervisor' and permission = 'viewTeamPerformance'");
    try {
      const n = await as("supervisorAA", async (c) => (await c.query("select count(*)::int as n from app_public.call_center_records")).rows[0].n);
      expect(n).toBe(0);
    } finally {
      await db.owner.query("insert into app_public.role_permissions values ('supervisor', 'viewTeamPerformance')");
    }
  });

  it("extra grants in user_permissions add to a role: an agent granted reviewJournals and viewTeamPerformance reviews their location's journals, never their own", async () => {
    // Submitted journals of the agent's location: one written by someone else, one the agent's own.
    const submitted = async (agent: string) => (await db.owner.query(
      `insert into app_public.call_journals (call_record_id, agent_email, call_summary, journal_status) values ($1, $2, 'Insurance question', 'submitted') returning id`,
      [ids.callAA, agent])).rows[0].id as string;
    const other = await submitted(EMAIL.supervisorAA);
    const own = await submitted(EMAIL.agentAA);
    const review = "update app_public.call_journals set review_score = 90, journal_status = 'reviewed' where id = $1";
    try {
      expect(await as("agentAA", (c) => attempt(c, review, [other]))).toBe(false);
      await db.owner.query("insert into app_public.user_permissions (user_id, permission, granted_by) values ($1, 'reviewJournals', $2), ($1, 'viewTeamPerformance', $2)",
        [cast.agentAA.userId, cast.superadmin.userId]);
      try {
        expect(await as("agentAA", (c) => attempt(c, review, [other]))).toBe(true);
        expect(await as("agentAA", (c) => refusal(c, review, [own]))).toBe("CC204");
      } finally {
        await db.owner.query("delete from app_public.user_permissions where user_id = $1 and permission in ('reviewJournals', 'viewTeamPerformance')", [cast.agentAA.userId]);
      }
      expect(await as("agentAA", (c) => attempt(c, review, [other]))).toBe(false);
    } finally {
      await db.owner.query("delete from app_public.call_journals where id = any ($1)", [[other, own]]);
    }
  });
});
