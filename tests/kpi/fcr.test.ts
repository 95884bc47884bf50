/**
 * First-call resolution as defined: a handled inbound call is resolved first
 * time unless the same number calls a queue again within the window (7 days
 * by default) after it ends; provisional until then, final when the window
 * closes (a scheduled job) or at once when a repeat comes; a person's value
 * is kept. Calls go through the real pipeline (raw body, worker).
 */
import { runJobs } from "../helpers/jobs.js";
import { createTestDatabase, inTransaction, personSettings, type TestDatabase } from "../helpers/db.js";
import { createUser } from "../helpers/users.js";
import { one } from "../helpers/query.js";
import { neutralCall, storeRaw } from "../helpers/calls.js";

let db: TestDatabase;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const work = () => runJobs(db);

/** A call from `number` into queue 800, answered by 101 after 5 s, lasting a minute, started `when` ms ago. */
async function send(callId: string, number: string, when: number, answered = true) {
  await storeRaw(db.owner, JSON.stringify(neutralCall(callId, number, Date.now() - when, { answered })), "application/json");
  await work();
}
const fcr = (callId: string) =>
  one(db.owner, "select first_call_resolution as resolved, fcr_final as final, fcr_source as source from app_public.call_center_records where call_id = $1", [callId]);

beforeAll(async () => {
  db = await createTestDatabase();
  await db.owner.query(`insert into app_public.queues (name, extension, location_name) values ('Front', '800', 'Ann Arbor')`);
  await db.owner.query(`insert into app_public.users (email) values ('a@gangerdermatology.com')`);
  await db.owner.query(`insert into app_public.agents (extension, user_email, location_name) values ('101', 'a@gangerdermatology.com', 'Ann Arbor')`);
});
afterAll(async () => db.drop());

it("a handled call is resolved, provisionally, while its window is open", async () => {
  await send("F1", "+17345550201", 2 * HOUR);
  expect(await fcr("F1")).toEqual({ resolved: true, final: false, source: "derived" });
});

it("a repeat call from the same number flips the earlier call to not resolved, final, at once; the repeat itself is provisional", async () => {
  await send("F2", "+1 (734) 555-0201", HOUR); // the same number, written differently
  expect(await fcr("F1")).toEqual({ resolved: false, final: true, source: "derived" });
  expect(await fcr("F2")).toEqual({ resolved: true, final: false, source: "derived" });
});

it("a repeat arriving before the call it repeats still flips it (any order of arrival)", async () => {
  await send("G2", "+17345550202", 3 * HOUR);
  await send("G1", "+17345550202", 5 * HOUR);
  expect(await fcr("G1")).toEqual({ resolved: false, final: true, source: "derived" });
});

it("a call whose window closed with no repeat is resolved and final; a call after the window is no repeat", async () => {
  await send("H1", "+17345550203", 20 * DAY);
  await send("H2", "+17345550203", 10 * DAY);
  expect(await fcr("H1")).toEqual({ resolved: true, final: true, source: "derived" });
  expect(await fcr("H2")).toEqual({ resolved: true, final: true, source: "derived" });
});

it("calls nobody answered have no first-call resolution", async () => {
  await send("U1", "+17345550204", HOUR, false);
  expect(await fcr("U1")).toEqual({ resolved: null, final: false, source: null });
});

it("a person's value is kept: manual, final, and never derived again", async () => {
  const sup = await createUser(db.owner, { email: "sup.fcr@gangerdermatology.com", role: "manager" });
  await inTransaction(db.authenticator, personSettings(sup), (c) =>
    c.query("update app_public.call_center_records set first_call_resolution = true where call_id = 'F1'"), { commit: true });
  expect(await fcr("F1")).toEqual({ resolved: true, final: true, source: "manual" });
  await send("F3", "+17345550201", 30 * 60_000);
  expect(await fcr("F1")).toEqual({ resolved: true, final: true, source: "manual" });
  expect(await fcr("F2")).toEqual({ resolved: false, final: true, source: "derived" });
});

it("the scheduled job makes values final when their window has closed, and the agent's FCR follows", async () => {
  // As if F3's window had closed: move the call back eight days (owner, not a person: stays derived).
  await db.owner.query(`update app_public.call_center_records set call_start_time = call_start_time - interval '8 days', call_answer_time = call_answer_time - interval '8 days', call_end_time = call_end_time - interval '8 days' where call_id = 'F3'`);
  expect((await fcr("F3")).final).toBe(false);
  await db.owner.query(`select app_private.add_job('kpi__finalize_fcr')`);
  await work();
  expect(await fcr("F3")).toEqual({ resolved: true, final: true, source: "derived" });
  const day = (await db.owner.query(`select fcr_resolved, fcr_final, fcr_pct from analytics.agent_daily_kpis where agent_extension = '101' and business_day = app_hidden.business_day(now() - interval '20 days')`)).rows[0];
  expect(day).toEqual({ fcr_resolved: 1, fcr_final: 1, fcr_pct: "100.00" }); // H1
});
