/**
 * app_hidden.report_run_due at fixed instants: a daily 08:00 schedule in America/Detroit is due once at 8:00
 * local, on both DST days of 2026 (clocks spring forward on 2026-03-08, fall back on 2026-11-01), never twice
 * and never not at all; a server down at 8:00 catches up once within the 12-hour grace and not after; weekly and
 * monthly schedules send on their day only. The dispatcher (dispatch_due_reports) run minute by minute through
 * each DST day queues exactly one run.
 */
import { createTestDatabase, type TestDatabase } from "../helpers/db.js";
import { rows } from "../helpers/query.js";

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => db.drop());

const ZONE = "America/Detroit";
const due = async (at: string, last: string | null, cadence = "daily", weekday: number | null = null, monthday: number | null = null, time = "08:00") =>
  (
    await db.owner.query<{ d: string | null }>(
      "select app_hidden.report_run_due($1::timestamptz, $2, $3, $4::time, $5::smallint, $6::smallint, $7::date)::text as d",
      [at, ZONE, cadence, time, weekday, monthday, last],
    )
  ).rows[0]!.d;

describe("report_run_due: a daily 08:00 schedule in America/Detroit", () => {
  it.each([
    // The day before spring forward (EST, UTC-5): 8:00 local is 13:00 UTC.
    ["2026-03-07T12:59:59Z", "2026-03-05", null],
    ["2026-03-07T13:00:00Z", "2026-03-05", "2026-03-06"],
    // Spring-forward day: 2:00 EST becomes 3:00 EDT; 8:00 local is 12:00 UTC.
    ["2026-03-08T11:59:00Z", "2026-03-06", null], // 7:59 EDT
    ["2026-03-08T12:00:00Z", "2026-03-06", "2026-03-07"], // 8:00 EDT
    ["2026-03-08T13:00:00Z", "2026-03-06", "2026-03-07"], // 9:00 EDT: still due if 8:00 was missed
    ["2026-03-08T13:00:00Z", "2026-03-07", null], // …but not once sent: never twice
    // The day after, summer time: 12:00 UTC.
    ["2026-03-09T11:59:59Z", "2026-03-07", null],
    ["2026-03-09T12:00:00Z", "2026-03-07", "2026-03-08"],
    // Fall-back day: 2:00 EDT becomes 1:00 EST; 8:00 local is 13:00 UTC again.
    ["2026-11-01T12:00:00Z", "2026-10-30", null], // 7:00 EST (would be 8:00 EDT): not yet
    ["2026-11-01T12:59:59Z", "2026-10-30", null],
    ["2026-11-01T13:00:00Z", "2026-10-30", "2026-10-31"],
    ["2026-11-01T13:00:00Z", "2026-10-31", null],
    ["2026-11-02T13:00:00Z", "2026-10-31", "2026-11-01"],
    // Downtime: back at 19:59 local, the morning's report is still sent (once); at 20:00 (12 hours late) it is skipped.
    ["2026-03-08T23:59:00Z", "2026-03-06", "2026-03-07"], // 19:59 EDT
    ["2026-03-09T00:00:00Z", "2026-03-06", null], // 20:00 EDT
    // Days missed entirely: only today's report is due, not a backlog (past days are re-run by hand).
    ["2026-03-10T12:30:00Z", "2026-03-01", "2026-03-09"],
    // Never sent before.
    ["2026-03-10T12:30:00Z", null, "2026-03-09"],
  ])("at %s with the last run for %s: due for %s", async (at, last, expected) => {
    expect(await due(at, last)).toBe(expected);
  });
});

describe("report_run_due: other cadences and times", () => {
  it("weekly (Monday) is due on Mondays only, covering the day before", async () => {
    expect(await due("2026-03-09T12:00:00Z", null, "weekly", 1)).toBe("2026-03-08"); // Monday
    expect(await due("2026-03-10T12:00:00Z", null, "weekly", 1)).toBe(null); // Tuesday
  });
  it("monthly (the 1st) is due on the 1st only, covering the last day of the month before", async () => {
    expect(await due("2026-11-01T13:00:00Z", null, "monthly", null, 1)).toBe("2026-10-31");
    expect(await due("2026-11-02T13:00:00Z", null, "monthly", null, 1)).toBe(null);
  });
  it("a slot late in the evening stays due after midnight within its grace", async () => {
    // 22:00 EST on 2026-11-01 is 03:00 UTC on 2026-11-02; at 01:00 local (06:00 UTC) it is still due.
    expect(await due("2026-11-02T06:00:00Z", "2026-10-30", "daily", null, null, "22:00")).toBe("2026-10-31");
  });
  it("a wall-clock time the spring-forward day skips (02:30) is sent once, at 03:30 EDT", async () => {
    expect(await due("2026-03-08T07:29:00Z", "2026-03-06", "daily", null, null, "02:30")).toBe(null);
    expect(await due("2026-03-08T07:30:00Z", "2026-03-06", "daily", null, null, "02:30")).toBe("2026-03-07");
  });
  it("the range a run covers: the day, the 7 days, the month so far", async () => {
    const r = await rows(db.owner, `select app_hidden.report_range(c, '2026-10-31')::text as r from unnest(array['daily', 'weekly', 'monthly']) c`);
    expect(r.map((x) => x.r)).toEqual(["[2026-10-31,2026-11-01)", "[2026-10-25,2026-11-01)", "[2026-10-01,2026-11-01)"]);
  });
});

describe("dispatch_due_reports minute by minute through both DST days", () => {
  it.each([
    ["2026-03-08", "2026-03-08T05:00:00Z", "2026-03-09T05:00:00Z", "2026-03-08 12:00:00+00"],
    ["2026-11-01", "2026-11-01T04:00:00Z", "2026-11-02T05:00:00Z", "2026-11-01 13:00:00+00"],
  ])("on %s: one run, queued at 8:00 local", async (day, from, to, at) => {
    await db.owner.query("delete from app_public.report_runs");
    await db.owner.query("delete from app_public.report_schedules");
    await db.owner.query(
      `insert into app_public.report_schedules (name, report, recipients, cadence, local_time, created_at)
       values ('Daily', 'team_performance', '{manager@gangerdermatology.com}', 'daily', '08:00', '2026-01-01')`,
    );
    // Every minute of the local day (23 or 25 hours), as the crontab would wake the dispatcher.
    const queuedAt = await rows(
      db.owner,
      `select m as at, app_private.dispatch_due_reports(m) as n
         from generate_series($1::timestamptz, $2::timestamptz - interval '1 minute', interval '1 minute') m`,
      [from, to],
    );
    const hits = queuedAt.filter((r) => Number(r.n) > 0);
    expect(hits.map((r) => (r.at as Date).toISOString())).toEqual([new Date(at).toISOString()]);
    const runs = await rows(db.owner, "select for_day::text, origin, status from app_public.report_runs");
    const yesterday = new Date(Date.parse(`${day}T12:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
    expect(runs).toEqual([{ for_day: yesterday, origin: "schedule", status: "queued" }]);
  });

  it("a schedule made after today's slot starts with tomorrow's: no catch-up of a slot before it existed", async () => {
    await db.owner.query("delete from app_public.report_runs");
    await db.owner.query("delete from app_public.report_schedules");
    await db.owner.query(
      `insert into app_public.report_schedules (name, report, recipients, cadence, local_time, created_at)
       values ('Daily', 'team_performance', '{manager@gangerdermatology.com}', 'daily', '08:00', '2026-03-09T15:00:00Z')`,
    );
    expect(await rows(db.owner, "select app_private.dispatch_due_reports('2026-03-09T15:01:00Z') as n")).toEqual([{ n: 0 }]);
    expect(await rows(db.owner, "select app_private.dispatch_due_reports('2026-03-10T12:00:00Z') as n")).toEqual([{ n: 1 }]);
  });
});
