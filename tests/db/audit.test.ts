/**
 * The audit trail: every insert, update and delete a person makes writes a row
 * (who, when, table, row, action, changed columns, never values); the
 * worker's derived upkeep does not, row by row (a job run leaves one summary
 * row); refusals through the API are recorded; nobody may change the log.
 */
import pg from "pg";
import { asUser, createTestDatabase, inTransaction, personSettings, refusal, type TestDatabase } from "../helpers/db.js";
import { createCast, type Cast } from "../helpers/users.js";
import { signToken, startTestServer, type TestServer } from "../helpers/server.js";
import { rows } from "../helpers/query.js";

let db: TestDatabase;
let cast: Cast;
let callId: string;
beforeAll(async () => {
  db = await createTestDatabase();
  cast = await createCast(db.owner);
  callId = (await db.owner.query(
    `insert into app_public.call_center_records (call_id, location, agent_email, call_direction, call_start_time, call_answer_time, call_end_time, call_status, caller_name)
     values ('a-1', 'Ann Arbor', 'agent.aa@gangerdermatology.com', 'inbound', now() - interval '10 minutes', now() - interval '9 minutes', now(), 'completed', 'Jane Patient') returning id`,
  )).rows[0].id;
});
afterAll(async () => db.drop());

const auditRows = (table: string) =>
  rows(db.owner, `select actor_user_id, actor_email::text, actor_role, action, record_id, changed_columns, details from app_public.audit_logs where table_name = $1 order by id`, [table]);

/** Commit as a person (asUser rolls back, so audit rows would vanish with it). */
const commitAs = (session: Cast[keyof Cast], fn: (c: pg.PoolClient) => Promise<unknown>) =>
  inTransaction(db.authenticator, personSettings(session), fn, { commit: true });

it("records a person's insert, update and delete with the columns touched and no values", async () => {
  let journalId = "";
  await commitAs(cast.agentAA, async (c) => {
    journalId = (await c.query(`insert into app_public.call_journals (call_record_id, call_summary, patient_concern) values ($1, 'Refill request', 'rash on left arm') returning id`, [callId])).rows[0].id;
  });
  await commitAs(cast.agentAA, (c) => c.query(`update app_public.call_journals set patient_concern = 'rash, both arms', follow_up_required = false where id = $1`, [journalId]));
  await commitAs(cast.supervisorAA, (c) => c.query(`delete from app_public.call_journals where id = $1`, [journalId]));

  const rows = await auditRows("app_public.call_journals");
  expect(rows.map((r) => [r.action, r.actor_email, r.actor_role, r.record_id])).toEqual([
    ["insert", "agent.aa@gangerdermatology.com", "call_center_agent", journalId],
    ["update", "agent.aa@gangerdermatology.com", "call_center_agent", journalId],
    ["delete", "sup.aa@gangerdermatology.com", "supervisor", journalId],
  ]);
  expect(rows[0].actor_user_id).toBe(cast.agentAA.userId);
  expect(rows[0].changed_columns).toEqual(expect.arrayContaining(["call_record_id", "call_summary", "patient_concern_encrypted", "agent_email"]));
  // Only what really changed (follow_up_required was already false), never updated_at; the protected
  // note changed, so its ciphertext, mask and blind index did.
  expect(rows[1].changed_columns).toEqual(["notes_word_hashes", "patient_concern_encrypted", "patient_concern_masked"]);
  const text = JSON.stringify(await db.owner.query("select * from app_public.audit_logs"));
  expect(text).not.toMatch(/rash|Refill request|Jane Patient/);
});

it("records direct SQL by a database login (no person) with that login's name", async () => {
  await db.owner.query(`update app_public.locations set phone = '734-555-0199' where name = 'Ann Arbor'`);
  const rows = await auditRows("app_public.locations");
  expect(rows.at(-1)).toMatchObject({ action: "update", actor_user_id: null, changed_columns: ["phone"], record_id: expect.any(String), details: { database_user: "app_owner" } });
});

it("does not audit the worker's derived upkeep row by row; a job run leaves one summary row", async () => {
  const before = Number((await db.owner.query("select count(*) from app_public.audit_logs")).rows[0].count);
  const c = await db.owner.connect();
  try {
    await c.query("begin");
    await c.query("set local role app_worker");
    await c.query(`update app_public.call_center_records set transfer_count = transfer_count + 1`);
    await c.query(`insert into app_public.team_performance_metrics (reporting_period, location, total_agents, active_agents) values ('2026-11-02', 'Wixom', 3, 2)`);
    await c.query(`select app_private.audit_job_run('kpi__recompute', '{"rows": 2}')`);
    await c.query("commit");
  } finally {
    c.release();
  }
  const after = (await db.owner.query("select action, details from app_public.audit_logs order by id offset $1", [before])).rows;
  expect(after).toEqual([{ action: "job_run", details: { task: "kpi__recompute", rows: 2 } }]);
});

it("is append-only for every role, the owner included; retention must say so", async () => {
  await asUser(db.authenticator, cast.superadmin, async (c) => {
    expect(await refusal(c, "update app_public.audit_logs set action = 'insert'")).toBe("42501");
    expect(await refusal(c, "delete from app_public.audit_logs")).toBe("42501");
  });
  const worker = await db.owner.connect();
  try {
    await worker.query("begin");
    await worker.query("set local role app_worker");
    expect(await refusal(worker, "update app_public.audit_logs set action = 'insert'")).toBe("42501");
    expect(await refusal(worker, "delete from app_public.audit_logs")).toBe("42501");
    await worker.query("rollback");
  } finally {
    worker.release();
  }
  const owner = await db.owner.connect();
  try {
    await owner.query("begin");
    expect(await refusal(owner, "update app_public.audit_logs set action = 'insert'")).toBe("CC001");
    expect(await refusal(owner, "delete from app_public.audit_logs")).toBe("CC001");
    expect(await refusal(owner, "truncate app_public.audit_logs")).toBe("CC001");
    await owner.query("set local app.audit_retention = 'on'");
    expect(await refusal(owner, "delete from app_public.audit_logs where occurred_at < now() - interval '7 years'")).toBeNull();
    await owner.query("rollback");
  } finally {
    owner.release();
  }
});

it("cannot be forged: the writer answers only to triggers", async () => {
  await asUser(db.authenticator, cast.superadmin, async (c) => {
    expect(await refusal(c, "select app_hidden.write_audit('delete', 'app_public.users', 'x', null, '{}')")).toBe("CC002");
    expect(await refusal(c, "insert into app_public.audit_logs (action) values ('delete')")).toBe("42501");
  });
});

describe("refusals through the API", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(db.authenticatorUrl);
  });
  afterAll(async () => server.close());

  it("records a permission refusal by the database as a 'denied' row for the person", async () => {
    const res = await server.graphql(
      `mutation { createQueue(input: { queue: { name: "Sneaky" } }) { queue { name } } }`,
      await signToken({ email: "agent.aa@gangerdermatology.com" }),
    );
    expect(res.body.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    const { rows } = await db.owner.query(`select actor_email::text, actor_role, details from app_public.audit_logs where action = 'denied' order by id desc limit 1`);
    expect(rows[0]).toMatchObject({ actor_email: "agent.aa@gangerdermatology.com", actor_role: "call_center_agent", details: { sqlstate: "42501" } });
  });

  it("records a refusal by one of our rules (an agent reviewing a journal)", async () => {
    const journal = (await db.owner.query(`insert into app_public.call_journals (call_record_id, agent_email, call_summary) values ($1, 'agent.aa@gangerdermatology.com', 'Question') returning id`, [callId])).rows[0].id;
    const res = await server.graphql(
      `mutation($id: UUID!) { updateCallJournalByRowId(input: { rowId: $id, callJournalPatch: { reviewScore: 99 } }) { callJournal { reviewScore } } }`,
      await signToken({ email: "agent.aa@gangerdermatology.com" }),
      { id: journal },
    );
    expect(res.body.errors?.[0]?.extensions?.code).toBe("CC202");
    const { rows } = await db.owner.query(`select details from app_public.audit_logs where action = 'denied' order by id desc limit 1`);
    expect(rows[0].details).toMatchObject({ sqlstate: "CC202" });
  });
});

it("audits a change once: rows removed by a cascade are not audited again", async () => {
  const call = (await db.owner.query(
    `insert into app_public.call_center_records (call_id, call_direction, call_start_time, call_status) values ('cascade-1', 'inbound', now(), 'missed') returning id`)).rows[0].id;
  await db.owner.query(`insert into app_public.call_legs (call_record_id, call_id, leg_key, leg_type, started_at, outcome)
    select $1, 'cascade-1', 'l' || g, 'ring', now(), 'missed' from generate_series(1, 5) g`, [call]);
  const before = Number((await db.owner.query("select count(*) from app_public.audit_logs")).rows[0].count);
  await db.owner.query(`delete from app_public.call_center_records where id = $1`, [call]);
  const rows = (await db.owner.query("select action, table_name from app_public.audit_logs order by id offset $1", [before])).rows;
  expect(rows).toEqual([{ action: "delete", table_name: "app_public.call_center_records" }]);
});
