/**
 * The workforce paths (POST /api/workforce/shift-start, shift-end,
 * break-start, break-end, shifts/{id}/correction, schedule,
 * schedule-template/apply; GET /api/workforce/scheduling, utilization), each
 * through REST and GraphQL, a role refused, and wrong input answered with the
 * right status and nothing changed. Clock times are the database's now(), so
 * the shifts here are placed around the moment the test runs.
 *
 * Ann Arbor: agentAA (ext 101), queue AA Front (800); Wixom: agentWX (ext 201).
 */
import { createTestDatabase, type TestDatabase } from "../helpers/db.js";
import { createCast, type Cast } from "../helpers/users.js";
import { signToken, startTestServer, type TestServer } from "../helpers/server.js";
import { talk } from "../helpers/calls.js";
import { restClient, type RestClient } from "../helpers/rest.js";
import { one, rows } from "../helpers/query.js";
import { runJobs } from "../helpers/jobs.js";

let db: TestDatabase;
let server: TestServer;
let cast: Cast;
let rest: RestClient;
type Who = keyof Cast;
const NO_SUCH_ID = "00000000-0000-4000-8000-000000000000";
/** The business day the test runs on, and days around it (YYYY-MM-DD). */
let today: string;
const dayFrom = (offset: number) => new Date(Date.parse(`${today}T12:00:00Z`) + offset * 86_400_000).toISOString().slice(0, 10);

const token = (who: Who) => signToken({ email: cast[who].email });
const send = async (method: "get" | "post", path: string, who?: Who, body?: unknown, contentType?: string) =>
  rest.send(method, path, who ? await token(who) : undefined, body, contentType);
const gql = async (query: string, who: Who, variables?: Record<string, unknown>) => (await server.graphql(query, await token(who), variables)).body;
/** Every shift, break and correction as stored: to show that a refused request changed nothing. */
const everything = async () => ({
  shifts: await rows(db.owner, "select to_jsonb(s) - 'updated_at' as r from app_public.agent_shifts s order by id"),
  breaks: await rows(db.owner, "select to_jsonb(b) as r from app_public.shift_breaks b order by id"),
  corrections: await rows(db.owner, "select to_jsonb(c) as r from app_public.shift_corrections c order by id"),
  templates: await rows(db.owner, "select to_jsonb(t) as r from app_public.shift_templates t order by id"),
});
const shiftOf = (email: string, day: string) => one(db.owner, "select * from app_public.agent_shifts where agent_email = $1 and shift_date = $2", [email, day]);

beforeAll(async () => {
  db = await createTestDatabase();
  cast = await createCast(db.owner);
  await db.owner.query(`insert into app_public.queues (name, extension, location_name) values ('AA Front', '800', 'Ann Arbor'), ('WX Front', '810', 'Wixom')`);
  await db.owner.query(`insert into app_public.agents (extension, user_email, location_name, display_name) values ('101', $1, 'Ann Arbor', 'Alex A'), ('201', $2, 'Wixom', 'Wren W')`,
    [cast.agentAA.email, cast.agentWX.email]);
  today = (await one(db.owner, "select to_char(app_hidden.business_day(now()), 'YYYY-MM-DD') as d")).d;
  server = await startTestServer(db.authenticatorUrl);
  rest = await restClient(server);
});
afterAll(async () => {
  await server.close();
  await db.drop();
});

/** Puts a shift on the schedule that began `minutesAgo` minutes ago (whole minute) and lasts `hours` hours. */
async function scheduleAroundNow(email: string, location: string, minutesAgo: number, hours = 4) {
  return one(db.owner, `insert into app_public.agent_shifts (agent_email, agent_name, location, shift_date, scheduled_start_time, scheduled_end_time)
    select $1, 'Someone', $2, app_hidden.business_day(t), (t at time zone app_hidden.business_timezone())::time,
           ((t + make_interval(hours => $4)) at time zone app_hidden.business_timezone())::time
      from (select date_trunc('minute', now() - make_interval(mins => $3)) as t) x
    returning *, lower(app_hidden.shift_window(shift_date, scheduled_start_time, scheduled_end_time)) as "from"`, [email, location, minutesAgo, hours]);
}

describe("an agent's clock: POST /api/workforce/shift-start, break-start, break-end, shift-end", () => {
  let shiftId: string;
  it("starts the scheduled shift at the server's time, 10 minutes late; a client's time is refused", async () => {
    const scheduled = await scheduleAroundNow(cast.agentAA.email, "Ann Arbor", 10);
    shiftId = scheduled.id;
    const before = Date.now();
    const forged = await send("post", "/api/workforce/shift-start", "agentAA", { actual_start_time: "2020-01-01T08:00:00Z" });
    expect([forged.status, forged.body.error.code]).toEqual([400, "INVALID_INPUT"]);
    const res = await send("post", "/api/workforce/shift-start", "agentAA", {});
    expect(res.status).toBe(200);
    // 10 minutes late (11 if the clock turned a minute between placing the shift and starting it).
    const late = Math.floor((Date.parse(res.body.actual_start_time) - scheduled.from.getTime()) / 60_000);
    expect(late === 10 || late === 11).toBe(true);
    expect(res.body).toMatchObject({ id: shiftId, agent_email: cast.agentAA.email, location: "Ann Arbor", shift_status: "active", unscheduled: false, tardiness_minutes: late });
    expect(Math.abs(Date.parse(res.body.actual_start_time) - before)).toBeLessThan(60_000);
  });

  it("refuses a second start with 409 CC801 and changes nothing", async () => {
    const state = await everything();
    const res = await send("post", "/api/workforce/shift-start", "agentAA", {});
    expect([res.status, res.body.error.code]).toEqual([409, "CC801"]);
    expect(await everything()).toEqual(state);
  });

  it("takes breaks: one at a time (409 CC804), an end without a break is 409 CC805", async () => {
    const lunch = await send("post", "/api/workforce/break-start", "agentAA", { break_type: "lunch" });
    expect([lunch.status, lunch.body.break_type, lunch.body.shift_id, lunch.body.ended_at]).toEqual([200, "lunch", shiftId, null]);
    const again = await send("post", "/api/workforce/break-start", "agentAA", {});
    expect([again.status, again.body.error.code]).toEqual([409, "CC804"]);
    const bad = await send("post", "/api/workforce/break-start", "agentAA", { break_type: "nap" });
    expect([bad.status, bad.body.error.field]).toEqual([400, "break_type"]);
    const ended = await send("post", "/api/workforce/break-end", "agentAA", {});
    expect([ended.status, ended.body.minutes, ended.body.ended_at === null]).toEqual([200, 0, false]);
    const none = await send("post", "/api/workforce/break-end", "agentAA", {});
    expect([none.status, none.body.error.code]).toEqual([409, "CC805"]);
  });

  it("ends the shift with its totals: a call answered in it counts and is linked to it", async () => {
    const start = new Date((await shiftOf(cast.agentAA.email, (await one(db.owner, "select to_char(shift_date, 'YYYY-MM-DD') as d from app_public.agent_shifts where id = $1", [shiftId])).d)).actual_start_time);
    const at = (ms: number) => new Date(start.getTime() + ms).toISOString();
    await db.owner.query("select app_private.ingest_calls($1::jsonb)", [JSON.stringify([
      // Answered 20 ms after the start: inside the shift however fast the test runs (a call is linked by its answer time).
      talk("CLK1", "101", at(5), at(20), at(60_020)),
      talk("CLK0", "101", at(-3_600_000), at(-3_599_000), at(-3_539_000)),
    ])]);
    await runJobs(db);
    const res = await send("post", "/api/workforce/shift-end", "agentAA", {});
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: shiftId, calls_handled: 1, total_talk_time_seconds: 60, shift_status: "partial" });
    expect(res.body.actual_end_time).not.toBeNull();
    const linked = await rows(db.owner, "select call_id, shift_id from app_public.call_center_records order by call_id");
    expect(linked).toEqual([{ call_id: "CLK0", shift_id: null }, { call_id: "CLK1", shift_id: shiftId }]);
  });

  it("refuses an end without a start (409 CC803) and a second start the same day (409 CC802), changing nothing", async () => {
    const state = await everything();
    const end = await send("post", "/api/workforce/shift-end", "agentAA", {});
    expect([end.status, end.body.error.code]).toEqual([409, "CC803"]);
    const breakWithout = await send("post", "/api/workforce/break-start", "agentAA", {});
    expect([breakWithout.status, breakWithout.body.error.code]).toEqual([409, "CC803"]);
    const restart = await send("post", "/api/workforce/shift-start", "agentAA", {});
    const todayShift = (await one(db.owner, "select shift_date = app_hidden.business_day(now()) as t from app_public.agent_shifts where id = $1", [shiftId])).t;
    // (Only when the scheduled shift is today's; run just after midnight, the start would open today's shift instead.)
    if (todayShift) expect([restart.status, restart.body.error.code]).toEqual([409, "CC802"]);
    if (todayShift) expect(await everything()).toEqual(state);
    // Just after midnight the start opened today's (unscheduled) shift: remove it, so the tests below start from the same state at any hour.
    if (!todayShift && restart.status === 200) await db.owner.query("delete from app_public.agent_shifts where id = $1", [restart.body.id]);
  });

  it("ends a shift of tomorrow started early (a clock-in before midnight for a shift starting after it), breaks included", async () => {
    // The state an early start leaves whatever the hour the test runs: tomorrow's shift, started now, not ended.
    const before = (await rows(db.owner, "select id from app_public.agent_shifts where agent_email = $1", [cast.agentWX.email])).map((r) => r.id);
    const { id } = await one(db.owner, `insert into app_public.agent_shifts (agent_email, agent_name, location, shift_date, scheduled_start_time, scheduled_end_time, actual_start_time)
      values ($1, 'Early', 'Wixom', app_hidden.business_day(now()) + 1, '00:10', '04:10', now()) returning id`, [cast.agentWX.email]);
    try {
      const again = await send("post", "/api/workforce/shift-start", "agentWX", {});
      expect([again.status, again.body.error?.code]).toEqual([409, "CC801"]);
      // A call answered in it (today, by the business day) belongs to it (tomorrow's shift).
      const started = (await one(db.owner, "select actual_start_time as t from app_public.agent_shifts where id = $1", [id])).t as Date;
      const at = (ms: number) => new Date(started.getTime() + ms).toISOString();
      await db.owner.query("select app_private.ingest_calls($1::jsonb)", [JSON.stringify([talk("EARLY1", "201", at(5), at(20), at(60_020))])]);
      await runJobs(db);
      expect((await one(db.owner, "select shift_id from app_public.call_center_records where call_id = 'EARLY1'")).shift_id).toBe(id);
      const pause = await send("post", "/api/workforce/break-start", "agentWX", {});
      expect([pause.status, pause.body.shift_id]).toEqual([200, id]);
      expect((await send("post", "/api/workforce/break-end", "agentWX", {})).status).toBe(200);
      const end = await send("post", "/api/workforce/shift-end", "agentWX", {});
      expect([end.status, end.body.id, end.body.actual_end_time === null]).toEqual([200, id, false]);
    } finally {
      // This shift, its call, and any shift a wrong start made beside it.
      await db.owner.query("delete from app_public.call_center_records where call_id = 'EARLY1'");
      await db.owner.query("delete from app_public.agent_shifts where agent_email = $1 and not (id = any($2::uuid[]))", [cast.agentWX.email, before]);
    }
  });

  it("refuses staff (no editCallJournals) with 403 and a missing token with 401", async () => {
    const state = await everything();
    for (const path of ["shift-start", "shift-end", "break-start", "break-end"]) {
      const res = await send("post", `/api/workforce/${path}`, "staff", {});
      expect([path, res.status, res.body.error.code]).toEqual([path, 403, "FORBIDDEN"]);
      expect((await send("post", `/api/workforce/${path}`, undefined, {})).status).toBe(401);
    }
    expect(await everything()).toEqual(state);
  });

  it("through GraphQL: a start with nothing scheduled makes an unscheduled shift at the agent's location, which supervisors see", async () => {
    const start = await gql(`mutation { shiftStart(input: {}) { result { rowId location unscheduled shiftStatus tardinessMinutes } } }`, "agentWX");
    expect(start.errors).toBeUndefined();
    const shift = (start.data!.shiftStart as { result: Record<string, unknown> }).result;
    expect(shift).toMatchObject({ location: "Wixom", unscheduled: true, shiftStatus: "active", tardinessMinutes: 0 });
    const unscheduled = async (who: Who) =>
      ((await gql(`{ allAgentShifts { nodes { rowId agentEmail unscheduled } } }`, who)).data!.allAgentShifts as { nodes: Array<{ unscheduled: boolean }> }).nodes
        .filter((n) => n.unscheduled);
    expect(await unscheduled("supervisorWX")).toEqual([{ rowId: shift.rowId, agentEmail: cast.agentWX.email, unscheduled: true }]);
    expect(await unscheduled("supervisorAA")).toEqual([]);
    const twice = await gql(`mutation { shiftStart(input: {}) { result { rowId } } }`, "agentWX");
    expect(twice.errors?.[0]?.extensions?.code).toBe("CC801");
    const training = await gql(`mutation { breakStart(input: { breakType: "training" }) { result { breakType } } }`, "agentWX");
    expect(training.data).toEqual({ breakStart: { result: { breakType: "training" } } });
    const trainingEnd = await gql(`mutation { breakEnd(input: {}) { result { breakType minutes } } }`, "agentWX");
    expect(trainingEnd.data).toEqual({ breakEnd: { result: { breakType: "training", minutes: 0 } } });
    expect((await gql(`mutation { breakEnd(input: {}) { result { minutes } } }`, "agentWX")).errors?.[0]?.extensions?.code).toBe("CC805");
    const brk = await gql(`mutation { breakStart(input: { breakType: "meeting" }) { result { breakType } } }`, "agentWX");
    expect(brk.data).toEqual({ breakStart: { result: { breakType: "meeting" } } });
    // Ending the shift ends the break with it.
    const end = await gql(`mutation { shiftEnd(input: {}) { result { shiftStatus actualEndTime callsHandled } } }`, "agentWX");
    expect(end.data).toMatchObject({ shiftEnd: { result: { shiftStatus: "completed", callsHandled: 0 } } });
    expect(await rows(db.owner, "select break_type, ended_at is not null as ended from app_public.shift_breaks where agent_email = $1 order by started_at", [cast.agentWX.email]))
      .toEqual([{ break_type: "training", ended: true }, { break_type: "meeting", ended: true }]);
  });

  it("answers a start with nothing scheduled and no location known with 400 CC806, an unknown location with 400 CC715, creating nothing", async () => {
    const state = await everything();
    const none = await send("post", "/api/workforce/shift-start", "supervisorAA", {});
    expect([none.status, none.body.error.code, none.body.error.field]).toEqual([400, "CC806", "location"]);
    const unknown = await send("post", "/api/workforce/shift-start", "supervisorAA", { location: "Detroit" });
    expect([unknown.status, unknown.body.error.code, unknown.body.error.field]).toEqual([400, "CC715", "location"]);
    expect(await everything()).toEqual(state);
  });

  it("leaves logged times to the clock and corrections: the shift's generated update has no actual times", async () => {
    const res = await gql(`mutation ($id: UUID!) { updateAgentShiftByRowId(input: { rowId: $id, agentShiftPatch: { actualStartTime: "2026-01-01T08:00:00Z" } }) { agentShift { rowId } } }`,
      "supervisorAA", { id: shiftId });
    expect(res.errors?.[0]?.message).toMatch(/actualStartTime/);
  });
});

describe("POST /api/workforce/shifts/{id}/correction", () => {
  let shiftId: string;
  beforeAll(async () => {
    const s = await one(db.owner, `insert into app_public.agent_shifts (agent_email, agent_name, location, shift_date, scheduled_start_time, scheduled_end_time, actual_start_time)
      values ($1, 'A', 'Ann Arbor', $2, '08:00', '16:00', ($2::date + time '08:20') at time zone app_hidden.business_timezone()) returning id`, [cast.agentAA.email, dayFrom(-3)]);
    shiftId = s.id;
  });

  it("a supervisor closes a forgotten clock-out with a reason; the values before and after and the reason are kept and audited", async () => {
    const local = await one(db.owner, "select (($1::date + time '16:00') at time zone app_hidden.business_timezone()) as e", [dayFrom(-3)]);
    const res = await send("post", `/api/workforce/shifts/${shiftId}/correction`, "supervisorAA",
      { actual_end_time: local.e.toISOString(), lunch_break_minutes: 30, reason: "Forgot to clock out; left at 16:00 per the front desk" });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: shiftId, shift_status: "partial", tardiness_minutes: 20, early_departure_minutes: 0, lunch_break_minutes: 30,
      total_available_time_seconds: 7 * 3600 + 40 * 60 - 30 * 60 });
    const correction = await one(db.owner, "select corrected_by, reason, changes from app_public.shift_corrections where shift_id = $1", [shiftId]);
    expect(correction).toEqual({
      corrected_by: cast.supervisorAA.email, reason: "Forgot to clock out; left at 16:00 per the front desk",
      changes: { actual_end_time: { from: null, to: expect.any(String) }, lunch_break_minutes: { from: 0, to: 30 } },
    });
    const audit = await rows(db.owner, `select table_name, action, actor_email, changed_columns from app_public.audit_logs
      where table_name in ('app_public.agent_shifts', 'app_public.shift_corrections') and actor_email = $1 order by id`, [cast.supervisorAA.email]);
    // The correction, then the shift's totals recounted with it (a second update of the shift, its figures only).
    expect(audit).toEqual([
      { table_name: "app_public.agent_shifts", action: "update", actor_email: cast.supervisorAA.email, changed_columns: ["actual_end_time", "lunch_break_minutes", "shift_status"] },
      { table_name: "app_public.shift_corrections", action: "insert", actor_email: cast.supervisorAA.email, changed_columns: expect.arrayContaining(["reason", "changes"]) },
      { table_name: "app_public.agent_shifts", action: "update", actor_email: cast.supervisorAA.email, changed_columns: ["calls_per_hour", "total_available_time_seconds", "utilization_percentage"] },
    ]);
    // The agent sees the correction of their own shift.
    const seen = await gql(`{ allShiftCorrections { nodes { shiftId reason correctedBy } } }`, "agentAA");
    expect(seen.data).toEqual({ allShiftCorrections: { nodes: [{ shiftId, reason: correction.reason, correctedBy: cast.supervisorAA.email }] } });
  });

  it("through GraphQL: a manager corrects the start, and calls answered in the time it adds are linked to the shift", async () => {
    const local = async (t: string) => (await one(db.owner, "select (($1::date + $2::time) at time zone app_hidden.business_timezone()) as t", [dayFrom(-3), t])).t as Date;
    const after = (d: Date, ms: number) => new Date(d.getTime() + ms).toISOString();
    const [t0802, t0810] = [await local("08:02"), await local("08:10")];
    await db.owner.query("select app_private.ingest_calls($1::jsonb)", [JSON.stringify([
      talk("EARLY1", "101", t0802.toISOString(), after(t0802, 1_000), after(t0802, 60_000)),
      talk("EARLY2", "101", t0810.toISOString(), after(t0810, 1_000), after(t0810, 60_000)),
    ])]);
    const linked = () => rows(db.owner, "select call_id, shift_id from app_public.call_center_records where call_id like 'EARLY%' order by 1");
    expect(await linked()).toEqual([{ call_id: "EARLY1", shift_id: null }, { call_id: "EARLY2", shift_id: null }]);
    const start = await local("08:05");
    const res = await gql(`mutation ($id: UUID!, $s: Datetime!) { correctShift(input: { shiftId: $id, actualStartTime: $s, reason: "Badge reader was down" }) {
      result { tardinessMinutes shiftStatus } } }`, "manager", { id: shiftId, s: start.toISOString() });
    expect(res.data).toEqual({ correctShift: { result: { tardinessMinutes: 5, shiftStatus: "completed" } } });
    expect(await linked()).toEqual([{ call_id: "EARLY1", shift_id: null }, { call_id: "EARLY2", shift_id: shiftId }]);
  });

  it.each([
    ["an agent, even on their own shift", "agentAA", { reason: "I was there earlier", lunch_break_minutes: 10 }, 403, "FORBIDDEN", undefined],
    ["another location's supervisor", "supervisorWX", { reason: "Looks wrong to me", lunch_break_minutes: 10 }, 404, "NOT_FOUND", "id"],
    ["no reason worth the name", "supervisorAA", { reason: "ok", lunch_break_minutes: 10 }, 400, "CC811", "reason"],
    ["an end in the future", "supervisorAA", { reason: "Will leave late", actual_end_time: "2999-01-01T00:00:00Z" }, 400, "CC813", "actual_end_time"],
    ["an end before the start", "supervisorAA", { reason: "Typo in the sheet", actual_end_time: "2001-01-01T00:00:00Z" }, 400, "CC813", "actual_end_time"],
    ["nothing to correct", "supervisorAA", { reason: "Just checking this" }, 400, "CC814", undefined],
    ["the same values again", "supervisorAA", { reason: "Same lunch as before", lunch_break_minutes: 30 }, 400, "CC814", undefined],
    ["minutes out of range", "supervisorAA", { reason: "A very long lunch", lunch_break_minutes: 5000 }, 400, "INVALID_INPUT", "lunch_break_minutes"],
  ] as const)("refuses %s, changing nothing", async (_what, who, body, status, code, field) => {
    const state = await everything();
    const res = await send("post", `/api/workforce/shifts/${shiftId}/correction`, who, body);
    expect([res.status, res.body.error.code, res.body.error.field]).toEqual([status, code, field]);
    expect(await everything()).toEqual(state);
  });

  it("answers an id that is no shift with 404 and one that is not an id with 400", async () => {
    expect((await send("post", `/api/workforce/shifts/${NO_SUCH_ID}/correction`, "manager", { reason: "No such shift here", lunch_break_minutes: 1 })).status).toBe(404);
    expect((await send("post", `/api/workforce/shifts/nope/correction`, "manager", { reason: "No such shift here", lunch_break_minutes: 1 })).body.error.field).toBe("id");
  });
});

describe("POST /api/workforce/schedule", () => {
  const csv = (...lines: string[]) => ["agent,location,shift_date,scheduled_start_time,scheduled_end_time,shift_notes", ...lines].join("\n") + "\n";

  it("takes a week as a CSV file: agents by email or extension; answers what it created", async () => {
    const file = csv(
      `${cast.agentAA.email},Ann Arbor,${dayFrom(10)},08:00,16:30,`,
      `101,Ann Arbor,${dayFrom(11)},08:00,16:30,"Front desk, phones"`,
      `${cast.agentWX.email},Wixom,${dayFrom(10)},22:00,06:00,night`,
    );
    const res = await send("post", "/api/workforce/schedule", "manager", file, "text/csv");
    expect([res.status, res.body]).toEqual([200, { first_day: dayFrom(10), last_day: dayFrom(11), created: 3, updated: 0, unchanged: 0, kept_started: 0 }]);
    expect(await shiftOf(cast.agentAA.email, dayFrom(11))).toMatchObject({ agent_name: "Alex A", location: "Ann Arbor", shift_notes: "Front desk, phones", shift_status: "scheduled" });
    const again = await send("post", "/api/workforce/schedule", "manager", file, "text/csv");
    expect(again.body).toMatchObject({ created: 0, updated: 0, unchanged: 3, kept_started: 0 });
  });

  it("refuses a file with bad rows whole (400 CC821), listing each bad row's line and field, and saves none of it", async () => {
    const state = await everything();
    const file = csv(
      `${cast.agentAA.email},Ann Arbor,${dayFrom(12)},08:00,16:30,`,
      `nobody@gangerdermatology.com,Ann Arbor,${dayFrom(12)},08:00,16:30,`,
      `101,Ann Arbor,${dayFrom(12)},09:00,17:00,`,
      `201,Wixom,${dayFrom(12)}x,25:00,08:00,`,
    );
    const res = await send("post", "/api/workforce/schedule", "supervisorAA", file, "text/csv");
    expect([res.status, res.body.error.code]).toEqual([400, "CC821"]);
    expect(res.body.error.problems.map((p: { line: number; field: string }) => [p.line, p.field])).toEqual([
      [3, "agent"], [4, "shift_date"], [5, "location"], [5, "shift_date"], [5, "scheduled_start_time"],
    ]);
    expect(res.body.error.problems[0].message).toMatch(/nobody@gangerdermatology.com/);
    expect(res.body.error.problems[1].message).toMatch(/line 2 already schedules/);
    expect(res.body.error.problems[2].message).toMatch(/do not manage/);
    expect(await everything()).toEqual(state);
  });

  it("answers a file that is not CSV, or with a column it does not know, with 400", async () => {
    const state = await everything();
    const ragged = await send("post", "/api/workforce/schedule", "manager", csv(`101,Ann Arbor,${dayFrom(13)}`), "text/csv");
    expect([ragged.status, ragged.body.error.code, ragged.body.error.field]).toEqual([400, "INVALID_INPUT", "shifts"]);
    const extra = await send("post", "/api/workforce/schedule", "manager", `agent,room\n101,3\n`, "text/csv");
    expect([extra.status, extra.body.error.code]).toEqual([400, "INVALID_INPUT"]);
    const empty = await send("post", "/api/workforce/schedule", "manager", csv(), "text/csv");
    expect([empty.status, empty.body.error.field]).toEqual([400, "shifts"]);
    expect(await everything()).toEqual(state);
  });

  it("takes JSON too; a shift not started takes new times, a started one must not change", async () => {
    const res = await send("post", "/api/workforce/schedule", "supervisorAA", { shifts: [
      { agent: cast.agentAA.email, location: "Ann Arbor", shift_date: dayFrom(10), scheduled_start_time: "09:00", scheduled_end_time: "17:30" },
    ] });
    expect([res.status, res.body]).toEqual([200, { first_day: dayFrom(10), last_day: dayFrom(10), created: 0, updated: 1, unchanged: 0, kept_started: 0 }]);
    expect(await shiftOf(cast.agentAA.email, dayFrom(10))).toMatchObject({ scheduled_start_time: "09:00:00", scheduled_end_time: "17:30:00" });
    const state = await everything();
    const started = await send("post", "/api/workforce/schedule", "supervisorAA", { shifts: [
      { agent: "101", location: "Ann Arbor", shift_date: dayFrom(-3), scheduled_start_time: "07:00", scheduled_end_time: "15:00" },
    ] });
    expect([started.status, started.body.error.problems]).toEqual([400, [expect.objectContaining({ line: 1, field: "shift_date", message: expect.stringMatching(/has started/) })]]);
    expect(await everything()).toEqual(state);
  });

  it("through GraphQL: uploadSchedule lists the refused rows in extensions.problems", async () => {
    const ok = await gql(`mutation ($s: JSON!) { uploadSchedule(input: { shifts: $s }) { result { created updated unchanged } } }`, "manager",
      { s: [{ agent: "201", location: "Wixom", shift_date: dayFrom(11), scheduled_start_time: "10:00", scheduled_end_time: "14:00" }] });
    expect(ok.data).toEqual({ uploadSchedule: { result: { created: 1, updated: 0, unchanged: 0 } } });
    const bad = await gql(`mutation ($s: JSON!) { uploadSchedule(input: { shifts: $s }) { result { created } } }`, "manager",
      { s: [{ agent: "999", location: "Wixom", shift_date: dayFrom(11), scheduled_start_time: "10:00", scheduled_end_time: "10:00" }] });
    expect(bad.errors?.[0]?.extensions).toEqual({ code: "CC821", problems: [
      { line: 1, field: "agent", code: "CC821", message: expect.any(String) },
      { line: 1, field: "scheduledEndTime", code: "CC821", message: expect.any(String) },
    ] });
  });

  it("refuses agents with 403, changing nothing", async () => {
    const state = await everything();
    const res = await send("post", "/api/workforce/schedule", "agentAA", csv(`101,Ann Arbor,${dayFrom(14)},08:00,16:30,`), "text/csv");
    expect([res.status, res.body.error.code]).toEqual([403, "FORBIDDEN"]);
    expect(await everything()).toEqual(state);
  });
});

describe("the weekly template: shiftTemplates and POST /api/workforce/schedule-template/apply", () => {
  let monday: string;
  beforeAll(async () => {
    monday = (await one(db.owner, "select to_char(date_trunc('week', app_hidden.business_day(now()) + 21)::date, 'YYYY-MM-DD') as d")).d;
  });

  it("a supervisor writes the template for their location, not another's", async () => {
    for (const weekday of [1, 2, 3, 4, 5]) {
      const res = await gql(`mutation ($w: Int!) { createShiftTemplate(input: { shiftTemplate: { agentEmail: "${cast.agentAA.email}", location: "Ann Arbor", weekday: $w,
        scheduledStartTime: "08:00", scheduledEndTime: "16:30" } }) { shiftTemplate { weekday } } }`, "supervisorAA", { w: weekday });
      expect(res.errors).toBeUndefined();
    }
    const other = await gql(`mutation { createShiftTemplate(input: { shiftTemplate: { agentEmail: "${cast.agentWX.email}", location: "Wixom", weekday: 1,
      scheduledStartTime: "08:00", scheduledEndTime: "16:30" } }) { shiftTemplate { weekday } } }`, "supervisorAA");
    expect(other.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
  });

  it("makes the week once; applied again it changes nothing; a started shift is kept", async () => {
    const res = await send("post", "/api/workforce/schedule-template/apply", "supervisorAA", { week_start: monday });
    expect([res.status, res.body]).toEqual([200, { first_day: monday, last_day: expect.any(String), created: 5, updated: 0, unchanged: 0, kept_started: 0 }]);
    expect(Date.parse(res.body.last_day) - Date.parse(monday)).toBe(6 * 86_400_000);
    expect(await rows(db.owner, "select extract(isodow from shift_date)::int as d from app_public.agent_shifts where agent_email = $1 and shift_date between $2::date and $2::date + 6 order by 1",
      [cast.agentAA.email, monday])).toEqual([1, 2, 3, 4, 5].map((d) => ({ d })));
    const again = await send("post", "/api/workforce/schedule-template/apply", "supervisorAA", { week_start: monday, location: "Ann Arbor" });
    expect(again.body).toMatchObject({ created: 0, updated: 0, unchanged: 5, kept_started: 0 });
    await db.owner.query("update app_public.agent_shifts set actual_start_time = now() - interval '1 hour' where agent_email = $1 and shift_date = $2", [cast.agentAA.email, monday]);
    await db.owner.query("update app_public.shift_templates set scheduled_start_time = '07:30' where agent_email = $1", [cast.agentAA.email]);
    const changed = await gql(`mutation ($d: Date!) { applyShiftTemplate(input: { weekStart: $d }) { result { created updated unchanged keptStarted } } }`, "manager", { d: monday });
    expect(changed.data).toEqual({ applyShiftTemplate: { result: { created: 0, updated: 4, unchanged: 0, keptStarted: 1 } } });
    expect((await shiftOf(cast.agentAA.email, monday)).scheduled_start_time).toBe("08:00:00");
  });

  it.each([
    ["an agent", "agentAA", { week_start: "2026-12-07" }, 403, "FORBIDDEN", undefined],
    ["another location", "supervisorAA", { week_start: "2026-12-07", location: "Wixom" }, 403, "FORBIDDEN", undefined],
    ["an unknown location", "supervisorAA", { week_start: "2026-12-07", location: "Detroit" }, 400, "CC715", "location"],
    ["a day that is not one", "supervisorAA", { week_start: "2026-02-30" }, 400, "INVALID_INPUT", "week_start"],
    ["no day", "supervisorAA", {}, 400, "INVALID_INPUT", "week_start"],
  ] as const)("refuses %s, changing nothing", async (_what, who, body, status, code, field) => {
    const state = await everything();
    const res = await send("post", "/api/workforce/schedule-template/apply", who, body);
    expect([res.status, res.body.error.code, res.body.error.field]).toEqual([status, code, field]);
    expect(await everything()).toEqual(state);
  });
});

describe("GET /api/workforce/scheduling (coverage) and GET /api/workforce/utilization", () => {
  const day = () => dayFrom(11);
  it("gives a manager every location's 96 intervals, with the agents scheduled, and a supervisor their location", async () => {
    const res = await send("get", `/api/workforce/scheduling?from=${day()}&to=${day()}&page_size=200`, "manager");
    expect(res.status).toBe(200);
    expect(res.body.page.total_count).toBe(3 * 96);
    // 11 days ahead: agentAA 08:00–16:30 (CSV) at Ann Arbor; agentWX 10:00–14:00 at Wixom (GraphQL upload).
    const at = async (location: string, local: string) => {
      const start = (await one(db.owner, "select ($1::date + $2::time) at time zone app_hidden.business_timezone() as t", [day(), local])).t.toISOString();
      const all = [...res.body.data, ...(await send("get", `/api/workforce/scheduling?from=${day()}&to=${day()}&page_size=200&page=2`, "manager")).body.data];
      return all.find((r: { location: string; interval_start: string }) => r.location === location && Date.parse(r.interval_start) === Date.parse(start));
    };
    expect(await at("Ann Arbor", "08:00")).toMatchObject({ scheduled_agents: 1, working_agents: 0, required_agents: 0, shortfall_agents: 0, queues: 1 });
    expect(await at("Ann Arbor", "16:30")).toMatchObject({ scheduled_agents: 0 });
    expect(await at("Wixom", "13:45")).toMatchObject({ scheduled_agents: 1 });
    const sup = await send("get", `/api/workforce/scheduling?from=${day()}&to=${day()}&page_size=200`, "supervisorAA");
    expect([...new Set(sup.body.data.map((r: { location: string }) => r.location))]).toEqual(["Ann Arbor"]);
    const g = await gql(`query ($d: Date!) { staffingCoverage(fromDay: $d, toDay: $d, location: "Wixom") { totalCount nodes { scheduledAgents } } }`, "supervisorWX", { d: day() });
    expect((g.data!.staffingCoverage as { totalCount: number }).totalCount).toBe(96);
  });

  it.each([
    ["agents", "agentAA", "", 403, "FORBIDDEN", undefined],
    ["staff", "staff", "", 403, "FORBIDDEN", undefined],
    ["a reversed range", "manager", "&swap=1", 400, "CC712", "to"],
    ["more than 7 days", "manager", "&wide=1", 400, "CC713", "to"],
    ["an unknown location", "manager", "&location=Detroit", 400, "CC715", "location"],
  ] as const)("coverage refuses %s", async (_what, who, extra, status, code, field) => {
    let query = `from=${day()}&to=${day()}`;
    if (extra === "&swap=1") query = `from=${dayFrom(12)}&to=${day()}`;
    else if (extra === "&wide=1") query = `from=${day()}&to=${dayFrom(18)}`;
    else query += extra;
    const res = await send("get", `/api/workforce/scheduling?${query}`, who);
    expect([res.status, res.body.error.code, res.body.error.field]).toEqual([status, code, field]);
  });

  it("gives lateness, absence and adherence per agent and day: agents their own, supervisors their location, managers all", async () => {
    const range = `from=${dayFrom(-3)}&to=${dayFrom(-3)}`;
    const own = await send("get", `/api/workforce/utilization?${range}`, "agentAA");
    expect(own.status).toBe(200);
    // 08:05–16:00 of 08:00–16:00 (the corrections above): 7 h 55 min of 8 h = 98.96 %
    expect(own.body.data).toEqual([expect.objectContaining({ agent_email: cast.agentAA.email, tardiness_minutes: 5, early_departure_minutes: 0, absent: false,
      scheduled_seconds: "28800", adherent_seconds: "28500", adherence_pct: "98.96", lunch_break_minutes: 30 })]);
    expect((await send("get", `/api/workforce/utilization?${range}`, "supervisorWX")).body.data).toEqual([]);
    expect((await send("get", `/api/workforce/utilization?${range}&agent=101`, "manager")).body.data).toHaveLength(1);
    const g = await gql(`query ($d: Date!) { shiftKpisForRange(fromDay: $d, toDay: $d, agent: "${cast.agentAA.email}") { nodes { adherencePct absent } } }`, "supervisorAA", { d: dayFrom(-3) });
    expect(g.data).toEqual({ shiftKpisForRange: { nodes: [{ adherencePct: "98.96", absent: false }] } });
  });

  it("answers an agent you may not see, or who does not exist, with 404; a bad range with 400", async () => {
    const range = `from=${dayFrom(-3)}&to=${dayFrom(-3)}`;
    for (const [who, agent] of [["agentAA", cast.agentWX.email], ["supervisorWX", "101"], ["manager", "nobody@gangerdermatology.com"]] as const) {
      const res = await send("get", `/api/workforce/utilization?${range}&agent=${encodeURIComponent(agent)}`, who);
      expect([who, res.status, res.body.error.code, res.body.error.field]).toEqual([who, 404, "NOT_FOUND", "agent"]);
    }
    expect((await send("get", `/api/workforce/utilization?from=${dayFrom(-3)}`, "manager")).body.error.field).toBe("to");
    expect((await send("get", `/api/workforce/utilization?${range}`)).status).toBe(401);
  });
});
