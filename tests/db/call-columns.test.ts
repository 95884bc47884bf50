/**
 * Who may set which fact of a call (issue 14, first attack run: an agent had
 * set customerSatisfactionScore 5 on their own call, and firstCallResolution
 * true on a call the engine had judged a repeat). Walked whole: every column
 * people may update × every persona × an agent's own call, another agent's
 * call and an own call a supervisor has reviewed, through the settings the
 * API uses; the expectation is computed from role_permissions as the database
 * holds it:
 *   - the call's facts (type, outcome, appointment, provider, follow-up,
 *     priority, escalation): the answering agent until the call is reviewed
 *     (CC602 after), reviewJournals holders on any call they may edit;
 *   - FCR, after-call work, complaint, recording reviewed, compliance notes,
 *     campaign: reviewJournals (supervisors and above), CC601 otherwise;
 *   - satisfaction: configureMetrics (managers, superadmins) or the survey
 *     source (background jobs), CC601 otherwise.
 * Row-level security still hides calls outside one's scope (nothing updated).
 */
import type pg from "pg";
import { createTestDatabase, inTransaction, personSettings, type TestDatabase } from "../helpers/db.js";
import { CAST, PERSONAS, createCast, type Cast, type Persona } from "../helpers/users.js";
import { signToken, startTestServer, type TestServer } from "../helpers/server.js";
import type { Session } from "../../server/auth.js";
import { one } from "../helpers/query.js";

let db: TestDatabase;
let cast: Cast;
let perms: Map<string, Set<string>>;
const ids: Record<string, string> = {};


type Kind = "fact" | "reviewer" | "survey";
/** Each column people may update, a value different from the call's, and who may set it. */
const COLUMNS: Array<{ column: string; value: string; kind: Kind }> = [
  { column: "call_type", value: "'billing'", kind: "fact" },
  { column: "call_outcome", value: "'callback_scheduled'", kind: "fact" },
  { column: "appointment_scheduled", value: "false", kind: "fact" },
  { column: "appointment_date", value: "'2026-12-01'", kind: "fact" },
  { column: "appointment_type", value: "'Mohs consult'", kind: "fact" },
  { column: "provider_requested", value: "'Dr. Ganger'", kind: "fact" },
  { column: "follow_up_required", value: "true", kind: "fact" },
  { column: "follow_up_date", value: "'2026-12-05'", kind: "fact" },
  { column: "call_priority", value: "'high'", kind: "fact" },
  { column: "escalation_required", value: "true", kind: "fact" },
  { column: "first_call_resolution", value: "true", kind: "reviewer" },
  { column: "after_call_work_seconds", value: "45", kind: "reviewer" },
  { column: "complaint_call", value: "true", kind: "reviewer" },
  { column: "recording_reviewed", value: "true", kind: "reviewer" },
  { column: "compliance_notes", value: "'Identity checked by date of birth'", kind: "reviewer" },
  { column: "campaign_id", value: "campaign", kind: "reviewer" }, // the campaign made below
  { column: "customer_satisfaction_score", value: "5", kind: "survey" },
];

type Call = "own" | "other" | "reviewed" | "journalReviewed";
const CALLS: Record<Call, { key: string; location: string; agent: Persona; reviewed: boolean }> = {
  own: { key: "callAA", location: "Ann Arbor", agent: "agentAA", reviewed: false },
  other: { key: "callWX", location: "Wixom", agent: "agentWX", reviewed: false },
  reviewed: { key: "callAAReviewed", location: "Ann Arbor", agent: "agentAA", reviewed: true },
  journalReviewed: { key: "callAAJournal", location: "Ann Arbor", agent: "agentAA", reviewed: true },
};

/** What the rules say: "ok", the refusal's SQLSTATE, or "hidden" (row-level security: no row updated). */
function expected(persona: Persona, call: Call, kind: Kind): string {
  const role = cast[persona].role;
  const can = (p: string) => perms.get(role)?.has(p) ?? false;
  const c = CALLS[call];
  const own = c.agent === persona && can("viewOwnPerformance");
  const inScope = can("viewAllPerformance") || (can("viewTeamPerformance") && CAST[persona].locations.includes(c.location)) || own;
  if (!can("editCallJournals") || !inScope) return "hidden";
  if (kind === "survey") return can("configureMetrics") ? "ok" : "CC601";
  if (can("reviewJournals")) return "ok";
  if (kind === "reviewer") return "CC601";
  if (!own) return "CC601";
  return c.reviewed ? "CC602" : "ok";
}

async function attempt(c: pg.PoolClient, sql: string, params: unknown[]): Promise<string> {
  await c.query("savepoint probe");
  try {
    const r = await c.query(sql, params);
    return (r.rowCount ?? 0) > 0 ? "ok" : "hidden";
  } catch (e) {
    return (e as { code?: string }).code ?? "unknown";
  } finally {
    await c.query("rollback to savepoint probe");
  }
}

const as = <T>(persona: Persona, fn: (c: pg.PoolClient) => Promise<T>, commit = false): Promise<T> =>
  inTransaction(db.authenticator, personSettings(cast[persona] as Session), fn, { commit });

beforeAll(async () => {
  db = await createTestDatabase();
  cast = await createCast(db.owner);
  const { rows } = await db.owner.query<{ role: string; permission: string }>("select role, permission from app_public.role_permissions");
  perms = new Map();
  for (const r of rows) (perms.get(r.role) ?? perms.set(r.role, new Set()).get(r.role)!).add(r.permission);
  ids.campaign = (await db.owner.query(`insert into app_public.call_campaigns (campaign_name, campaign_type, start_date, end_date, target_audience, created_by)
                        values ('Recall', 'follow_up', '2026-11-01', '2026-11-30', 'Patients due for a check', 'manager@gangerdermatology.com') returning id`)).rows[0].id;
  // Answered inbound calls; the engine judged each a repeat (FCR false, final), an appointment was made.
  const call = async (callId: string, loc: string, agent: string) =>
    (await db.owner.query(
      `insert into app_public.call_center_records (call_id, location, agent_email, agent_extension, call_direction, call_start_time, call_answer_time, call_end_time,
         call_status, wait_seconds, call_type, first_call_resolution, fcr_source, fcr_final, appointment_scheduled)
       values ($1, $2, $3, '101', 'inbound', now() - interval '1 hour', now() - interval '59 minutes', now() - interval '50 minutes',
               'completed', 60, 'appointment', false, 'derived', true, true) returning id`, [callId, loc, agent])).rows[0].id as string;
  ids.callAA = await call("c-aa", "Ann Arbor", "agent.aa@gangerdermatology.com");
  ids.callWX = await call("c-wx", "Wixom", "agent.wx@gangerdermatology.com");
  ids.callAAReviewed = await call("c-aa-reviewed", "Ann Arbor", "agent.aa@gangerdermatology.com");
  ids.callAAJournal = await call("c-aa-journal", "Ann Arbor", "agent.aa@gangerdermatology.com");
  await db.owner.query(`insert into app_public.quality_assurance_reviews (call_record_id, agent_email, reviewer_email, reviewer_name, review_type, greeting_professionalism, review_status)
                        values ($1, 'agent.aa@gangerdermatology.com', 'sup.aa@gangerdermatology.com', 'S', 'random', 4, 'completed')`, [ids.callAAReviewed]);
  // A draft review does not count as reviewed.
  await db.owner.query(`insert into app_public.quality_assurance_reviews (call_record_id, agent_email, reviewer_email, reviewer_name, review_type, review_status)
                        values ($1, 'agent.aa@gangerdermatology.com', 'sup.aa@gangerdermatology.com', 'S', 'random', 'draft')`, [ids.callAA]);
  await db.owner.query(`insert into app_public.call_journals (call_record_id, agent_email, call_summary, journal_status, reviewed_by, reviewed_at)
                        values ($1, 'agent.aa@gangerdermatology.com', 'Booked a consult', 'approved', 'sup.aa@gangerdermatology.com', now())`, [ids.callAAJournal]);
});
afterAll(async () => db.drop());

describe.each(COLUMNS.map((c) => [c.column, c] as const))("%s", (_name, col) => {
  it.each(PERSONAS)("as %s: on an own call, another agent's call and reviewed calls", async (persona) => {
    const want: Record<string, string> = {};
    const got: Record<string, string> = {};
    await as(persona, async (c) => {
      for (const call of Object.keys(CALLS) as Call[]) {
        want[call] = expected(persona, call, col.kind);
        const value = col.value === "campaign" ? `'${ids.campaign}'` : col.value;
        got[call] = await attempt(c, `update app_public.call_center_records set ${col.column} = ${value} where id = $1`, [ids[CALLS[call].key]]);
      }
    });
    expect(got).toEqual(want);
  });
});

describe("the rules, in words", () => {
  it("an agent sets their call's facts; one column they may not set refuses the whole statement", async () => {
    const got = await as("agentAA", async (c) => ({
      type: await attempt(c, "update app_public.call_center_records set call_type = 'billing', call_outcome = 'appointment_scheduled' where id = $1", [ids.callAA]),
      typeAndCsat: await attempt(c, "update app_public.call_center_records set call_type = 'billing', customer_satisfaction_score = 5 where id = $1", [ids.callAA]),
    }));
    expect(got).toEqual({ type: "ok", typeAndCsat: "CC601" });
  });

  it("the refusal names the column and who may set it", async () => {
    await as("agentAA", async (c) => {
      await expect(c.query("update app_public.call_center_records set customer_satisfaction_score = 5 where id = $1", [ids.callAA]))
        .rejects.toMatchObject({ code: "CC601", message: expect.stringMatching(/customer_satisfaction_score comes from the survey source or a manager/) });
    });
    await as("agentAA", async (c) => {
      await expect(c.query("update app_public.call_center_records set first_call_resolution = true, after_call_work_seconds = 10 where id = $1", [ids.callAA]))
        .rejects.toMatchObject({ code: "CC601", message: "after_call_work_seconds, first_call_resolution may be set by supervisors and above (reviewJournals) only." });
    });
    await as("agentAA", async (c) => {
      await expect(c.query("update app_public.call_center_records set call_type = 'billing' where id = $1", [ids.callAAReviewed]))
        .rejects.toMatchObject({ code: "CC602", message: expect.stringMatching(/reviewed by a supervisor: call_type may now be changed by supervisors/) });
    });
  });

  it("setting a column to the value it has is no change, and is not refused", async () => {
    const got = await as("agentAA", async (c) =>
      attempt(c, "update app_public.call_center_records set customer_satisfaction_score = customer_satisfaction_score, first_call_resolution = first_call_resolution, call_type = call_type where id = $1", [ids.callAAReviewed]));
    expect(got).toBe("ok");
  });

  it("background jobs (the survey source) may set satisfaction", async () => {
    const c = await db.owner.connect();
    try {
      await c.query("begin");
      await c.query("set local role app_worker");
      expect((await c.query("update app_public.call_center_records set customer_satisfaction_score = 4 where id = $1", [ids.callAA])).rowCount).toBe(1);
    } finally {
      await c.query("rollback");
      c.release();
    }
  });

  it("an extra grant changes the rule: an agent granted reviewJournals may override FCR", async () => {
    await db.owner.query("insert into app_public.user_permissions (user_id, permission, granted_by) values ($1, 'reviewJournals', $2)", [cast.agentAA.userId, cast.superadmin.userId]);
    try {
      expect(await as("agentAA", (c) => attempt(c, "update app_public.call_center_records set first_call_resolution = true where id = $1", [ids.callAA]))).toBe("ok");
    } finally {
      await db.owner.query("delete from app_public.user_permissions where user_id = $1 and permission = 'reviewJournals'", [cast.agentAA.userId]);
    }
  });

  it("every change is audited with the columns changed, never their values", async () => {
    await as("agentAA", (c) => c.query("update app_public.call_center_records set call_type = 'prescription', follow_up_required = true where id = $1", [ids.callAA]), true);
    await as("supervisorAA", (c) => c.query("update app_public.call_center_records set first_call_resolution = true, after_call_work_seconds = 40 where id = $1", [ids.callAA]), true);
    await as("manager", (c) => c.query("update app_public.call_center_records set customer_satisfaction_score = 4 where id = $1", [ids.callAA]), true);
    const { rows } = await db.owner.query(
      `select actor_email::text as who, changed_columns as cols, details from app_public.audit_logs
        where action = 'update' and table_name = 'app_public.call_center_records' and record_id = $1 order by id`, [ids.callAA]);
    expect(rows).toEqual([
      { who: "agent.aa@gangerdermatology.com", cols: ["call_type", "call_type_source", "follow_up_required"], details: {} },
      { who: "sup.aa@gangerdermatology.com", cols: ["after_call_work_seconds", "fcr_source", "first_call_resolution"], details: {} },
      { who: "manager@gangerdermatology.com", cols: ["customer_satisfaction_score"], details: {} },
    ]);
  });
});

describe("through the API", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(db.authenticatorUrl);
  });
  afterAll(async () => server.close());
  const update = async (who: Persona, id: string | undefined, patch: string) =>
    server.graphql(
      `mutation($id: UUID!) { updateCallCenterRecordByRowId(input: { rowId: $id, callCenterRecordPatch: { ${patch} } }) { callCenterRecord { customerSatisfactionScore firstCallResolution callType } } }`,
      await signToken({ email: cast[who].email }), { id });
  const now = (id: string | undefined) =>
    one(db.owner, "select customer_satisfaction_score as csat, first_call_resolution as fcr from app_public.call_center_records where id = $1", [id]);

  it("the attack's two mutations are refused for the agent, the call unchanged, the refusals audited", async () => {
    const before = await now(ids.callAAJournal);
    const csat = await update("agentAA", ids.callAAJournal, "customerSatisfactionScore: 5");
    expect(csat.body.errors?.[0]?.extensions?.code).toBe("CC601");
    const fcr = await update("agentAA", ids.callAAJournal, "firstCallResolution: true");
    expect(fcr.body.errors?.[0]?.extensions?.code).toBe("CC601");
    expect(await now(ids.callAAJournal)).toEqual(before);
    const { rows } = await db.owner.query(
      `select details ->> 'sqlstate' as code from app_public.audit_logs where action = 'denied' and actor_user_id = $1 order by id desc limit 2`, [cast.agentAA.userId]);
    expect(rows).toEqual([{ code: "CC601" }, { code: "CC601" }]);
  });

  it("a supervisor overrides FCR and a manager enters satisfaction", async () => {
    const fcr = await update("supervisorAA", ids.callAAJournal, "firstCallResolution: true");
    expect(fcr.body.errors).toBeUndefined();
    const csat = await update("manager", ids.callAAJournal, "customerSatisfactionScore: 3");
    expect(csat.body.errors).toBeUndefined();
    expect(await now(ids.callAAJournal)).toEqual({ csat: 3, fcr: true });
    expect((await update("supervisorAA", ids.callAAJournal, "customerSatisfactionScore: 5")).body.errors?.[0]?.extensions?.code).toBe("CC601");
  });
});
