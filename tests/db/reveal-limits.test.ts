/**
 * Revealing patient data (issue 14, first attack run): 200 aliased reveals in
 * one request had returned 200 patients' names and numbers, with an empty
 * reason. Now a reveal needs a reason with content, a person may make at most
 * PHI_REVEAL_LIMIT_PER_MINUTE reveals a minute and PHI_REVEAL_LIMIT_PER_DAY in
 * 24 hours (CC504, CC505, CC506), every refusal is in the audit log, and a
 * person stopped by a limit raises one alert to every superadmin per window.
 */
import type pg from "pg";
import { asUser, createTestDatabase, inTransaction, personSettings, testPhiSettings, type TestDatabase } from "../helpers/db.js";
import { createCast, type Cast } from "../helpers/users.js";
import { signToken, startTestServer, type TestServer } from "../helpers/server.js";
import { numberOf } from "../helpers/query.js";
import { applySettings } from "../../db/pg-settings.js";
import type { Session } from "../../server/auth.js";

const PER_MINUTE = 10;
const PER_DAY = 25;
const CALLS = 200;

let db: TestDatabase;
let server: TestServer;
let cast: Cast & { superadmin2: Session };
const callIds: string[] = [];
let journalId: string;

beforeAll(async () => {
  db = await createTestDatabase();
  cast = await createCast(db.owner, "superadmin2"); // a second superadmin: alerts go to both
  // The alias and root-field limits (GRAPHQL_MAX_ALIASES, GRAPHQL_MAX_ROOT_FIELDS) would refuse the 200-alias request
  // before it runs; lifted here so that the database's own limit is what is tested.
  server = await startTestServer(db.authenticatorUrl, {
    env: {
      PHI_REVEAL_LIMIT_PER_MINUTE: String(PER_MINUTE),
      PHI_REVEAL_LIMIT_PER_DAY: String(PER_DAY),
      GRAPHQL_MAX_ALIASES: "1000",
      GRAPHQL_MAX_ROOT_FIELDS: "1000",
    },
  });
  await inTransaction(db.owner, testPhiSettings(), async (c) => {
    const { rows } = await c.query<{ id: string }>(
      `insert into app_public.call_center_records (call_id, location, agent_email, call_direction, call_start_time, call_answer_time, call_end_time, call_status, caller_number, caller_name)
       select 'bulk-' || g, 'Ann Arbor', 'agent.aa@gangerdermatology.com', 'inbound', now() - interval '1 hour', now() - interval '59 minutes', now() - interval '55 minutes',
              'completed', '(734) 555-' || lpad(g::text, 4, '0'), 'Patient ' || g
         from generate_series(1, $1) g order by g returning id`, [CALLS]);
    callIds.push(...rows.map((r) => r.id));
    journalId = (await c.query(`insert into app_public.call_journals (call_record_id, agent_email, call_summary, detailed_notes) values ($1, 'agent.aa@gangerdermatology.com', 'Refill', 'Needs a refill of tretinoin') returning id`, [callIds[0]])).rows[0].id;
  }, { commit: true });
});
afterAll(async () => {
  await server.close();
  await db.drop();
});

const token = (s: Session) => signToken({ email: s.email });
const byKey = (a: { about: string; to: string }, b: { about: string; to: string }) => (`${a.about}/${a.to}` < `${b.about}/${b.to}` ? -1 : 1);
const reveals = (actor: string) =>
  numberOf(db.owner, `select count(*) from app_public.audit_logs a join app_public.users u on u.id = a.actor_user_id where a.action = 'reveal' and u.email = $1`, [actor]);
const alerts = async () =>
  (await db.owner.query<{ to: string; about: string; limit: string; value: number }>(
    `select u.email::text as to, n.data ->> 'actor_email' as about, n.data ->> 'limit' as limit, (n.data ->> 'limit_value')::int as value
       from app_public.notifications n join app_public.users u on u.id = n.user_id
      where n.notification_type = 'bulk_reveal_alert'`)).rows.sort(byKey);
/** Runs SQL as a person with the API's settings and the given limits, committed (the reveal rows count afterwards). */
const asPersonCommitted = <T>(s: Session, fn: (c: pg.PoolClient) => Promise<T>, limits: Record<string, string> = {}): Promise<T> =>
  inTransaction(db.authenticator, { ...personSettings(s), ...limits }, fn, { commit: true });

describe("a reason with content", () => {
  it.each([
    ["no reason", null],
    ["an empty reason", ""],
    ["a blank reason", "   \t\n "],
    ["a reason under 5 characters", "  ok  "],
    ["punctuation only", "....."],
  ])("%s is refused (CC504), for calls and journals", async (_what, reason) => {
    await asUser(db.authenticator, cast.supervisorAA, async (c) => {
      await expect(c.query("select app_public.reveal_call_center_record($1, array['caller_name'], $2)", [callIds[0], reason])).rejects.toMatchObject({ code: "CC504" });
    });
    await asUser(db.authenticator, cast.agentAA, async (c) => {
      await expect(c.query("select app_public.reveal_call_journal($1, array['detailed_notes'], $2)", [journalId, reason])).rejects.toMatchObject({ code: "CC504" });
    });
  });

  it("a real reason reveals, and the reason is in the audit row", async () => {
    const r = await asUser(db.authenticator, cast.superadmin, async (c) => {
      const v = (await c.query("select app_public.reveal_call_center_record($1, array['caller_name'], $2) as v", [callIds[0], "  Patient asked for a callback "])).rows[0].v;
      const audit = (await c.query(`select details from app_public.audit_logs where action = 'reveal' order by id desc limit 1`)).rows[0].details;
      return { v, audit };
    });
    expect(r).toEqual({ v: { caller_name: "Patient 1" }, audit: { reason: "  Patient asked for a callback " } });
  });

  it("through the API: an empty reason is refused with CC504, nothing revealed, and the refusal audited", async () => {
    const res = await server.graphql(
      `mutation($id: UUID!) { revealCallCenterRecord(input: { recordId: $id, fields: ["caller_name"], reason: "  " }) { result } }`,
      await token(cast.supervisorWX), { id: callIds[0] });
    expect(res.body.errors?.[0]?.extensions?.code).toBe("CC504");
    expect(JSON.stringify(res.body)).not.toContain("Patient 1");
    const { rows } = await db.owner.query(`select actor_email::text, details ->> 'sqlstate' as code from app_public.audit_logs where action = 'denied' order by id desc limit 1`);
    expect(rows[0]).toEqual({ actor_email: cast.supervisorWX.email, code: "CC504" });
  });
});

describe("the rate per person", () => {
  it(`200 aliased reveals in one request: ${PER_MINUTE} succeed, the rest are refused with CC505 and audited, one alert per superadmin`, async () => {
    const fields = callIds.map((id, i) => `r${i}: revealCallCenterRecord(input: { recordId: "${id}", fields: ["caller_name", "caller_number"], reason: "Checking callbacks" }) { result }`);
    const res = await server.graphql(`mutation Bulk { ${fields.join("\n")} }`, await token(cast.agentAA));
    expect(res.status).toBe(200);
    const data = res.body.data ?? {};
    const revealed = Object.values(data).filter((v) => v !== null);
    expect(revealed).toHaveLength(PER_MINUTE);
    const codes = (res.body.errors ?? []).map((e) => e.extensions?.code);
    expect(codes).toHaveLength(CALLS - PER_MINUTE);
    expect(new Set(codes)).toEqual(new Set(["CC505"]));
    expect(res.body.errors?.[0]?.message).toMatch(/at most 10 a minute/);
    // The first ten fields are the ones revealed; the response carries no other patient.
    expect(Object.entries(data).filter(([, v]) => v !== null).map(([k]) => k)).toEqual(Array.from({ length: PER_MINUTE }, (_, i) => `r${i}`));
    expect(JSON.stringify(res.body).match(/Patient \d+/g)).toHaveLength(PER_MINUTE);

    expect(await reveals(cast.agentAA.email)).toBe(PER_MINUTE);
    const denied = await db.owner.query(
      `select count(*)::int as n, min(details ->> 'operation') as op from app_public.audit_logs
        where action = 'denied' and actor_user_id = $1 and details ->> 'sqlstate' = 'CC505'`, [cast.agentAA.userId]);
    expect(denied.rows[0].n).toBe(CALLS - PER_MINUTE);
    expect(denied.rows[0].op).toMatch(/^Bulk r\d+$/); // the operation and the alias of each refused field
    expect(await alerts()).toEqual([
      { to: cast.superadmin.email, about: cast.agentAA.email, limit: "minute", value: PER_MINUTE },
      { to: cast.superadmin2.email, about: cast.agentAA.email, limit: "minute", value: PER_MINUTE },
    ].sort(byKey));
  });

  it("more refusals in the same minute raise no second alert", async () => {
    const res = await server.graphql(
      `mutation { a: revealCallCenterRecord(input: { recordId: "${callIds[20]}", reason: "Checking callbacks" }) { result } b: revealCallJournal(input: { journalId: "${journalId}", reason: "Checking callbacks" }) { result } }`,
      await token(cast.agentAA));
    expect(res.body.errors?.map((e) => e.extensions?.code)).toEqual(["CC505", "CC505"]);
    expect(await alerts()).toHaveLength(2);
  });

  it("the alerts carry no patient data and reach only superadmins", async () => {
    const { rows } = await db.owner.query(`select title, body, data from app_public.notifications where notification_type = 'bulk_reveal_alert'`);
    expect(JSON.stringify(rows)).not.toMatch(/Patient \d|555-/);
    expect(rows[0].body).toMatch(/agent\.aa@gangerdermatology\.com reached the limit of 10 reveals of patient data per minute/);
    const types = async (s: Session) =>
      ((await server.graphql(`{ allNotifications { nodes { notificationType title } } }`, await token(s))).body.data!.allNotifications as { nodes: Array<{ notificationType: string }> })
        .nodes.map((n) => n.notificationType);
    expect(await types(cast.superadmin)).toEqual(["bulk_reveal_alert"]);
    expect(await types(cast.manager)).toEqual([]);
    expect(await types(cast.agentAA)).toEqual([]);
  });

  it("recording a forged limit refusal alerts nobody: the person's own reveal rows must show the limit reached", async () => {
    await asPersonCommitted(cast.supervisorAA, (c) => c.query("select app_hidden.record_refusal('forged', 'CC505', 'forged')"));
    expect((await alerts()).filter((a) => a.about === cast.supervisorAA.email)).toEqual([]);
  });

  it(`beyond ${PER_DAY} reveals in 24 hours: refused with CC506 even when the minute is quiet, and alerted once`, async () => {
    // 24 reveals spread over the last hours (backdated rows), none in the last minute.
    await db.owner.query(
      `insert into app_public.audit_logs (actor_user_id, actor_email, actor_role, action, table_name, record_id, changed_columns, details, occurred_at)
       select $1, $2, 'manager', 'reveal', 'app_public.call_center_records', $3, '{caller_name}', '{"reason": "earlier work"}', now() - g * interval '10 minutes'
         from generate_series(1, $4::int - 1) g`, [cast.manager.userId, cast.manager.email, callIds[1], PER_DAY]);
    const q = `mutation { a: revealCallCenterRecord(input: { recordId: "${callIds[2]}", fields: ["caller_name"], reason: "Patient follow-up" }) { result }
                          b: revealCallCenterRecord(input: { recordId: "${callIds[3]}", fields: ["caller_name"], reason: "Patient follow-up" }) { result }
                          c: revealCallCenterRecord(input: { recordId: "${callIds[4]}", fields: ["caller_name"], reason: "Patient follow-up" }) { result } }`;
    const res = await server.graphql(q, await token(cast.manager));
    expect(res.body.data).toEqual({ a: { result: { caller_name: "Patient 3" } }, b: null, c: null });
    expect(res.body.errors?.map((e) => e.extensions?.code)).toEqual(["CC506", "CC506"]);
    expect(res.body.errors?.[0]?.message).toMatch(/at most 25 in 24 hours/);
    expect((await alerts()).filter((a) => a.about === cast.manager.email)).toEqual([
      { to: cast.superadmin.email, about: cast.manager.email, limit: "day", value: PER_DAY },
      { to: cast.superadmin2.email, about: cast.manager.email, limit: "day", value: PER_DAY },
    ].sort(byKey));
  });

  it("in SQL the same limits hold; a session without the server's settings gets the defaults (10 a minute)", async () => {
    const codes = await asUser(db.authenticator, cast.superadmin, async (c) => {
      await applySettings(c, { "app.phi_reveal_limit_per_minute": "", "app.phi_reveal_limit_per_day": "" });
      const out: string[] = [];
      for (let i = 0; i < 12; i++) {
        await c.query("savepoint s");
        try {
          await c.query("select app_public.reveal_call_center_record($1, array['caller_number'], 'Reviewing a complaint')", [callIds[100 + i]]);
          out.push("ok");
        } catch (e) {
          out.push((e as { code: string }).code);
          await c.query("rollback to savepoint s");
        }
      }
      return out;
    });
    expect(codes).toEqual([...Array(10).fill("ok"), "CC505", "CC505"]);
  });
});
