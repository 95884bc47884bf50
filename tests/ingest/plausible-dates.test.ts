/**
 * A record whose times fall far from when its body arrived (1900, 2099) is a
 * dead letter naming the field and the window, in every format (3CX lines,
 * JSON CDR records, the neutral format, ReportCall posts), and makes no call
 * and no KPI row. The window: CDR_MAX_AGE_DAYS before the arrival (3650 by
 * default: backfills of years of files still load), CDR_MAX_FUTURE_MINUTES
 * after it (1440).
 */
import { noPendingRaw, runJobsUntil } from "../helpers/jobs.js";
import { createTestDatabase, type TestDatabase } from "../helpers/db.js";
import { createUser } from "../helpers/users.js";
import { CDR_FIELD_NAMES } from "../../lib/cdr-fields.js";
import { forgetEnv } from "../../lib/env.js";
import { numberOf, rows } from "../helpers/query.js";
import { storeRaw } from "../helpers/calls.js";

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
  await createUser(db.owner, { email: "agent.504@gangerdermatology.com", role: "call_center_agent", locations: ["Ann Arbor"] });
  await db.owner.query(`insert into app_public.agents (extension, user_email, location_name) values ('504', 'agent.504@gangerdermatology.com', 'Ann Arbor')`);
  await db.owner.query(`insert into app_public.queues (name, extension, location_name) values ('Ann Arbor front desk', '960', 'Ann Arbor')`);
});
afterAll(async () => {
  await db.drop();
});

const work = () => runJobsUntil(db, noPendingRaw(db), { what: "the raw bodies", rounds: 5 });
const store = (body: string, contentType: string) => storeRaw(db.owner, body, contentType);
const deadLetters = (rawId: number) =>
  rows<{ field: string; reason: string }>(db.owner, "select field, reason from app_private.cdr_dead_letters where raw_id = $1 order by id", [rawId]);
const stored = (callId: string) => numberOf(db.owner, "select count(*) from app_public.call_center_records where call_id = $1", [callId]);

const DAY = 86_400_000;
/** 3CX's time format, in UTC (THREECX_CDR_TIMEZONE's default). */
const cdrTime = (t: number) => new Date(t).toISOString().slice(0, 19).replace("T", " ").replace(/-/g, "/");
/** A 27-field 3CX line: an outside caller answered by 504 two seconds in, ten seconds long. */
function threeCx(callId: string, start: number, opts: { duration?: string; noEnd?: boolean } = {}): string {
  const r: Record<string, string> = {
    "history-id": "1", "call-id": callId, duration: opts.duration ?? "00:00:10", "time-start": cdrTime(start), "time-answered": cdrTime(start + 2000),
    "time-end": opts.noEnd ? "" : cdrTime(start + 10_000), "reason-terminated": "TerminatedByDst", "from-no": "+17345550111", "to-no": "Ext.504",
    "from-dn": "10021", "to-dn": "504", "dial-no": "504", "final-number": "Ext.504", "final-dn": "504", "from-type": "Line", "to-type": "Extension", "final-type": "Extension",
  };
  return `Call ${CDR_FIELD_NAMES.map((f) => r[f] ?? "").join(",")}\r\n`;
}
const iso = (t: number) => new Date(t).toISOString();
const Y1900 = Date.UTC(1900, 0, 1, 9, 0, 0);
const Y2099 = Date.UTC(2099, 0, 1, 9, 0, 0);

describe("dates far outside any plausible range are dead letters, in every format", () => {
  it("3CX lines: 1900 and 2099 refused with the field and the window; the calls around them load", async () => {
    const now = Date.now();
    const rawId = await store(
      threeCx("DATE_1900", Y1900) + threeCx("DATE_2099", Y2099) + threeCx("DATE_OK_NOW", now - 60_000) +
        // Nine years back: a backfill of old files still loads (3650 days by default).
        threeCx("DATE_OK_9Y", now - 9 * 365 * DAY) +
        // A start in range whose duration puts its end 41 days ahead: the end is refused.
        threeCx("DATE_LONG", now - 3_600_000, { duration: "999:00:00", noEnd: true }),
      "text/plain",
    );
    await work();
    const dead = await deadLetters(rawId);
    expect(dead.map((d) => d.field)).toEqual(["time-start", "time-start", "time-end"]);
    expect(dead[0]!.reason).toMatch(/^time-start 1900-01-01T09:00:00\.000Z is more than 3650 days before the body arrived \(.+; CDR_MAX_AGE_DAYS\)/);
    expect(dead[1]!.reason).toMatch(/^time-start 2099-01-01T09:00:00\.000Z is more than 1440 minutes after the body arrived \(.+; CDR_MAX_FUTURE_MINUTES\)/);
    expect(dead[2]!.reason).toMatch(/^time-end .* is more than 1440 minutes after the body arrived/);
    expect([await stored("DATE_1900"), await stored("DATE_2099"), await stored("DATE_LONG")]).toEqual([0, 0, 0]);
    expect([await stored("DATE_OK_NOW"), await stored("DATE_OK_9Y")]).toEqual([1, 1]);
  });

  it("JSON CDR records", async () => {
    const record = (callId: string, start: number) => ({
      "call-id": callId, duration: "00:00:10", "time-start": cdrTime(start), "time-answered": cdrTime(start + 2000), "time-end": cdrTime(start + 10_000),
      "reason-terminated": "TerminatedByDst", "from-no": "+17345550112", "to-no": "Ext.504", "to-dn": "504", "from-type": "Line", "to-type": "Extension",
    });
    const rawId = await store(JSON.stringify([record("JSON_1900", Y1900), record("JSON_2099", Y2099), record("JSON_OK", Date.now() - 60_000)]), "application/json");
    await work();
    expect((await deadLetters(rawId)).map((d) => [d.field, /CDR_MAX_(AGE_DAYS|FUTURE_MINUTES)/.exec(d.reason)?.[0]])).toEqual([
      ["time-start", "CDR_MAX_AGE_DAYS"], ["time-start", "CDR_MAX_FUTURE_MINUTES"],
    ]);
    expect([await stored("JSON_1900"), await stored("JSON_2099"), await stored("JSON_OK")]).toEqual([0, 0, 1]);
  });

  it("the neutral format, a leg's times too", async () => {
    const call = (callId: string, start: number, legStart = start) => ({
      format: "call", call_id: callId, direction: "inbound", caller_number: "+17345550113", start: iso(start), end: iso(start + 60_000), ended_by: "caller",
      legs: [{ leg_id: "a", agent_extension: "504", start: iso(legStart), answered: iso(legStart + 5000), end: iso(legStart + 50_000) }],
    });
    const now = Date.now() - 120_000;
    const rawId = await store(JSON.stringify([call("N_1900", Y1900), call("N_2099", Y2099), call("N_LEG_1900", now, Y1900), call("N_OK", now)]), "application/json");
    await work();
    expect((await deadLetters(rawId)).map((d) => d.field)).toEqual(["start", "start", "legs.0.start"]);
    expect([await stored("N_1900"), await stored("N_2099"), await stored("N_LEG_1900"), await stored("N_OK")]).toEqual([0, 0, 0, 1]);
  });

  it("3CX ReportCall posts", async () => {
    const post = (start: number) => ({
      CallType: "Inbound", Number: "+17345550114", Name: "Jane Doe", Agent: "504",
      CallStartTimeUTC: iso(start), CallEstablishedTimeUTC: iso(start + 3000), CallEndTimeUTC: iso(start + 60_000),
    });
    const rawId = await store(JSON.stringify([post(Y1900), post(Y2099)]), "application/json");
    await work();
    expect((await deadLetters(rawId)).map((d) => d.field)).toEqual(["CallStartTimeUTC", "CallStartTimeUTC"]);
    const { rows } = await db.owner.query("select count(*)::int as n from app_private.cdr_report_calls where raw_id = $1", [rawId]);
    expect(rows[0].n).toBe(0);
  });

  it("no KPI row for a day nobody worked", async () => {
    const { rows } = await db.owner.query(`select (select count(*) from app_public.agent_daily_stats where business_day < '2000-01-01' or business_day > '2090-01-01')
      + (select count(*) from app_public.queue_interval_stats where business_day < '2000-01-01' or business_day > '2090-01-01')
      + (select count(*) from app_public.call_center_records where call_start_time < '2000-01-01' or call_start_time > '2090-01-01') as n`);
    expect(Number(rows[0].n)).toBe(0);
  });
});

describe("the window is configured", () => {
  afterAll(() => {
    delete process.env.CDR_MAX_AGE_DAYS;
    delete process.env.CDR_MAX_FUTURE_MINUTES;
    forgetEnv();
  });
  it("CDR_MAX_AGE_DAYS and CDR_MAX_FUTURE_MINUTES, measured from the body's arrival", async () => {
    process.env.CDR_MAX_AGE_DAYS = "30";
    process.env.CDR_MAX_FUTURE_MINUTES = "5";
    forgetEnv();
    const now = Date.now();
    const rawId = await store(threeCx("WIN_40D", now - 40 * DAY) + threeCx("WIN_20D", now - 20 * DAY) + threeCx("WIN_10MIN_AHEAD", now + 10 * 60_000), "text/plain");
    // A body that arrived 20 days ago: its 45-day-old record is 25 days older than its arrival, inside the window.
    const late = await store(threeCx("WIN_45D_ARRIVED_20D_AGO", now - 45 * DAY), "text/plain");
    await db.owner.query("update app_private.cdr_raw set received_at = now() - interval '20 days' where id = $1", [late]);
    await work();
    expect((await deadLetters(rawId)).map((d) => [d.field, /more than (\d+ \w+)/.exec(d.reason)?.[1]])).toEqual([
      ["time-start", "30 days"], ["time-start", "5 minutes"],
    ]);
    expect(await deadLetters(late)).toEqual([]);
    expect([await stored("WIN_40D"), await stored("WIN_20D"), await stored("WIN_10MIN_AHEAD"), await stored("WIN_45D_ARRIVED_20D_AGO")]).toEqual([0, 1, 0, 1]);
  });
});
