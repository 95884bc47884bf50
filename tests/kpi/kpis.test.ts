/**
 * Every KPI on hand-built calls whose answers are worked out here, through
 * the real path: calls ingested, their figures marked stale, kpi__refresh
 * recounting them, the views computing ratios from the stored counts.
 * Times are UTC; the business zone is America/Detroit (EDT = UTC−4 in March).
 */
import { runJobs } from "../helpers/jobs.js";
import pg from "pg";
import { createTestDatabase, type TestDatabase } from "../helpers/db.js";
import { num, one } from "../helpers/query.js";
import { call } from "../helpers/calls.js";

let db: TestDatabase;

const work = () => runJobs(db);
async function ingest(...calls: object[]) {
  const { rows } = await db.owner.query("select outcome, error_message from app_private.ingest_calls($1::jsonb)", [JSON.stringify(calls)]);
  expect(rows.filter((r) => r.outcome === "rejected")).toEqual([]);
  await work();
}

beforeAll(async () => {
  db = await createTestDatabase();
  await db.owner.query(`insert into app_public.queues (name, extension, location_name) values ('Front', '800', 'Ann Arbor'), ('Wixom desk', '810', 'Wixom')`);
  await db.owner.query(`insert into app_public.users (email) values ('a@gangerdermatology.com'), ('b@gangerdermatology.com'), ('c@gangerdermatology.com'), ('w@gangerdermatology.com')`);
  await db.owner.query(`insert into app_public.agents (extension, user_email, location_name) values
    ('101', 'a@gangerdermatology.com', 'Ann Arbor'), ('102', 'b@gangerdermatology.com', 'Ann Arbor'), ('103', 'c@gangerdermatology.com', 'Ann Arbor'), ('201', 'w@gangerdermatology.com', 'Wixom')`);
  await work();

  // One interval, 10:00–10:15 local on Tuesday 10 March 2026, queue Front (threshold 20 s, short abandon 5 s).
  await ingest(
    call("C1", "2026-03-10T14:00:00Z", "2026-03-10T14:01:00Z", { legs: [{ key: "1", agent: "101", start: "2026-03-10T14:00:00Z", answered: "2026-03-10T14:00:10Z", end: "2026-03-10T14:01:00Z" }] }),
    call("C2", "2026-03-10T14:01:00Z", "2026-03-10T14:03:30Z", { legs: [{ key: "1", agent: "102", start: "2026-03-10T14:01:00Z", answered: "2026-03-10T14:01:30Z", end: "2026-03-10T14:03:30Z" }] }),
    // Answered, but only the queue's pick-up time is known: the wait is unknown, and so is 101's talk on it.
    call("C3", "2026-03-10T14:02:00Z", "2026-03-10T14:04:00Z", { legs: [{ key: "1", agent: "101", start: "2026-03-10T14:02:00Z", answered: "2026-03-10T14:02:00Z", end: "2026-03-10T14:04:00Z", known: false }] }),
    // Hung up after 3 s while 103 was rung: a short abandon, and 103's missed call.
    call("C4", "2026-03-10T14:03:00Z", "2026-03-10T14:03:03Z", { legs: [{ key: "1", agent: "103", start: "2026-03-10T14:03:00Z", end: "2026-03-10T14:03:03Z" }] }),
    call("C5", "2026-03-10T14:04:00Z", "2026-03-10T14:04:15Z"),
    call("C6", "2026-03-10T14:05:00Z", "2026-03-10T14:06:00Z"),
    call("C7", "2026-03-10T14:06:00Z", "2026-03-10T14:10:00Z", { voicemail: true }),
    // Answered by 101 after 5 s, then transferred to 102.
    call("C8", "2026-03-10T14:10:00Z", "2026-03-10T14:13:10Z", { legs: [
      { key: "1", agent: "101", start: "2026-03-10T14:10:00Z", answered: "2026-03-10T14:10:05Z", end: "2026-03-10T14:11:05Z" },
      { key: "2", agent: "102", start: "2026-03-10T14:11:05Z", answered: "2026-03-10T14:11:10Z", end: "2026-03-10T14:13:10Z" }] }),
    // Alone in the next half hour: a short abandon and nothing else.
    call("C9", "2026-03-10T14:30:00Z", "2026-03-10T14:30:02Z"),
    // A direct call (no queue) 102 answered after 5 s and talked on for 120 s.
    call("D1", "2026-03-10T15:00:00Z", "2026-03-10T15:02:05Z", { queue: null, legs: [{ key: "1", agent: "102", start: "2026-03-10T15:00:00Z", answered: "2026-03-10T15:00:05Z", end: "2026-03-10T15:02:05Z" }] }),
  );
  await db.owner.query(`update app_public.call_center_records set hold_time_seconds = 20, after_call_work_seconds = 30 where call_id = 'C1'`);
  await work();
});
afterAll(async () => db.drop());

const queueInterval = (start: string) => one(db.owner, `select * from analytics.queue_interval_kpis where queue = 'Front' and interval_start = $1`, [start]).then(num);

describe("queue KPIs per 15-minute interval", () => {
  it("counts offered, answered, abandoned apart from short abandons, voicemail and the transfer once", async () => {
    expect(await queueInterval("2026-03-10T14:00:00Z")).toMatchObject({
      business_day: expect.any(Date), offered: 8, answered: 4, abandoned: 2, short_abandoned: 1, voicemail: 1, missed: 0, transferred: 1,
      answered_within_sl: 2, abandoned_within_sl: 1, wait_unknown: 1,
    });
  });
  it("service level, negative mode (default): 2 within / (8 offered − 1 short − 1 unknown) = 33.33", async () => {
    expect(await queueInterval("2026-03-10T14:00:00Z")).toMatchObject({ abandon_mode: "negative", service_level_denominator: 6, service_level_pct: 33.33 });
  });
  it("abandonment 2 / (8 − 1) = 28.57; ASA (10 + 30 + 5) / 3 known = 15 s; abandon wait (15 + 60) / 2 = 37.50 s (averages keep two decimals); longest wait 240 s", async () => {
    expect(await queueInterval("2026-03-10T14:00:00Z")).toMatchObject({
      abandonment_denominator: 7, abandonment_rate_pct: 28.57, answered_wait_seconds: 45, answered_known_wait: 3, asa_seconds: 15,
      abandoned_wait_seconds: 75, avg_abandon_wait_seconds: 37.5, max_wait_seconds: 240,
    });
  });
  it("keeps the wait histogram in cumulative bands (answered: 5, 10, 30 s; abandoned, not short: 15, 60 s)", async () => {
    expect(await queueInterval("2026-03-10T14:00:00Z")).toMatchObject({
      answered_wait_le_10: 2, answered_wait_le_20: 2, answered_wait_le_30: 3, answered_wait_le_60: 3, answered_wait_le_120: 3, answered_wait_gt_120: 0,
      abandoned_wait_le_10: 0, abandoned_wait_le_20: 1, abandoned_wait_le_30: 1, abandoned_wait_le_60: 2, abandoned_wait_le_120: 2, abandoned_wait_gt_120: 0,
    });
  });
  it("an interval with only a short abandon has no rates: NULL, never 0 or 100", async () => {
    expect(await queueInterval("2026-03-10T14:30:00Z")).toMatchObject({
      offered: 1, short_abandoned: 1, service_level_denominator: 0, service_level_pct: null, abandonment_rate_pct: null, asa_seconds: null, avg_abandon_wait_seconds: null,
    });
  });
  it("follows the queue's settings: ignore mode 2 / (4 − 1) = 66.67; positive (2 + 1) / 6 = 50.00; a 30 s threshold recounts: 3 / 6 = 50.00", async () => {
    await db.owner.query(`insert into app_public.queue_kpi_settings (queue_name, abandon_mode) values ('Front', 'ignore')`);
    await work();
    expect(await queueInterval("2026-03-10T14:00:00Z")).toMatchObject({ abandon_mode: "ignore", service_level_denominator: 3, service_level_pct: 66.67 });
    await db.owner.query(`update app_public.queue_kpi_settings set abandon_mode = 'positive' where queue_name = 'Front'`);
    await work();
    expect(await queueInterval("2026-03-10T14:00:00Z")).toMatchObject({ abandon_mode: "positive", service_level_denominator: 6, service_level_pct: 50 });
    await db.owner.query(`update app_public.queue_kpi_settings set abandon_mode = 'negative', sl_threshold_seconds = 30 where queue_name = 'Front'`);
    await work();
    expect(await queueInterval("2026-03-10T14:00:00Z")).toMatchObject({ answered_within_sl: 3, sl_threshold_seconds: 30, service_level_pct: 50 });
    await db.owner.query(`delete from app_public.queue_kpi_settings where queue_name = 'Front'`);
    await work();
    expect(await queueInterval("2026-03-10T14:00:00Z")).toMatchObject({ answered_within_sl: 2, service_level_pct: 33.33 });
  });
  it("rolls a day up from the intervals' counts, never from their percentages", async () => {
    const day = num(await one(db.owner, `select * from analytics.queue_daily_kpis where queue = 'Front' and business_day = '2026-03-10'`));
    // 9 offered, 2 short: 2 / (9 − 2 − 1) = 33.33, where averaging the two intervals' rates would say nothing sensible.
    expect(day).toMatchObject({ offered: 9, short_abandoned: 2, answered: 4, service_level_denominator: 6, service_level_pct: 33.33, abandonment_rate_pct: 28.57 });
  });
});

describe("agent KPIs per business day", () => {
  const agentDay = (ext: string, day = "2026-03-10") => one(db.owner, `select * from analytics.agent_daily_kpis where agent_extension = $1 and business_day = $2`, [ext, day]).then(num);
  it("counts a transferred call once for each agent who talked on it, with each one's talk; a talk the data cannot tell is counted apart", async () => {
    // 101: C1 50 s, C8 60 s; C3 handled, but only the queue's pick-up is known: its talk is unknown, not 120 s.
    expect(await agentDay("101")).toMatchObject({ agent_email: "a@gangerdermatology.com", calls_handled: 3, calls_handled_inbound: 3, talk_seconds: 50 + 60, calls_talk_unknown: 1, hold_seconds: 20, acw_seconds: 30 });
    expect(await agentDay("102")).toMatchObject({ calls_handled: 3, talk_seconds: 120 + 120 + 120, calls_talk_unknown: 0, hold_seconds: 0, acw_seconds: 0, aht_seconds: 120 });
  });
  it("AHT = (talk + hold + acw) / (handled − talk unknown): (110 + 20 + 30) / (3 − 1) = 80 s", async () => {
    expect(await agentDay("101")).toMatchObject({ aht_seconds: 80 });
  });
  it("a call that rang an agent who did not answer is that agent's missed call; nothing handled means no ratios", async () => {
    expect(await agentDay("103")).toMatchObject({ calls_handled: 0, calls_missed: 1, aht_seconds: null, complaint_rate_pct: null, fcr_pct: null, calls_per_hour: null });
  });
  it("a 30-minute shift: 3 calls in 1800 s = 6.00 an hour; utilization (110 + 30) / 1800 = 7.78; occupancy 160 / 1800 = 8.89; talk 6.11", async () => {
    await db.owner.query(`insert into app_public.agent_shifts (agent_email, agent_name, location, shift_date, scheduled_start_time, scheduled_end_time, actual_start_time, actual_end_time)
      values ('a@gangerdermatology.com', 'A', 'Ann Arbor', '2026-03-10', '10:00', '10:30', '2026-03-10T14:00:00Z', '2026-03-10T14:30:00Z')`);
    expect(await agentDay("101")).toMatchObject({ available_seconds: 1800, calls_per_hour: 6, utilization_pct: 7.78, occupancy_pct: 8.89, talk_time_pct: 6.11 });
  });
});

describe("team (location) KPIs", () => {
  it("are the agents' counts summed, then divided: AHT (470 + 20 + 30) / (6 − 1) = 104 s, not the mean of 80 and 120", async () => {
    const team = num(await one(db.owner, `select * from analytics.team_daily_kpis where location = 'Ann Arbor' and business_day = '2026-03-10'`));
    expect(team).toMatchObject({ all_locations: false, calls_handled: 6, calls_missed: 1, talk_seconds: 470, calls_talk_unknown: 1, hold_seconds: 20, acw_seconds: 30, aht_seconds: 104, agents_with_calls: 2 });
    const all = num(await one(db.owner, `select * from analytics.team_daily_kpis where all_locations and business_day = '2026-03-10'`));
    expect(all).toMatchObject({ location: null, calls_handled: 6, aht_seconds: 104 });
  });
});

describe("business days on the DST changes", () => {
  it("8 March 2026 has 23 hours: its first and last minutes are one day, the next instant the next day", async () => {
    const answeredBy101 = (id: string, at: string, end: string) =>
      call(id, at, end, { legs: [{ key: "1", agent: "101", start: at, answered: at, end }] });
    await ingest(
      answeredBy101("S1", "2026-03-08T05:00:00Z", "2026-03-08T05:01:00Z"), // 00:00 EST
      answeredBy101("S2", "2026-03-09T03:59:00Z", "2026-03-09T03:59:30Z"), // 23:59 EDT
      answeredBy101("S3", "2026-03-09T04:00:00Z", "2026-03-09T04:01:00Z"), // 00:00 EDT, 9 March
    );
    expect(num(await one(db.owner, `select offered from analytics.queue_daily_kpis where queue = 'Front' and business_day = '2026-03-08'`))).toEqual({ offered: 2 });
    expect(num(await one(db.owner, `select offered from analytics.queue_daily_kpis where queue = 'Front' and business_day = '2026-03-09'`))).toEqual({ offered: 1 });
    expect(num(await one(db.owner, `select calls_handled from analytics.agent_daily_kpis where agent_extension = '101' and business_day = '2026-03-08'`))).toEqual({ calls_handled: 2 });
  });
  it("1 November 2026 has 25 hours: both 01:30s are that day, in two different intervals", async () => {
    const answeredBy201 = (id: string, at: string, end: string) =>
      call(id, at, end, { queue: "810", legs: [{ key: "1", agent: "201", start: at, answered: at, end }] });
    await ingest(
      answeredBy201("F1", "2026-11-01T05:30:00Z", "2026-11-01T05:31:00Z"), // 01:30 EDT
      answeredBy201("F2", "2026-11-01T06:30:00Z", "2026-11-01T06:31:00Z"), // 01:30 EST
      answeredBy201("F3", "2026-11-02T04:59:00Z", "2026-11-02T04:59:30Z"), // 23:59 EST
      answeredBy201("F4", "2026-11-02T05:00:00Z", "2026-11-02T05:01:00Z"), // 00:00, 2 November
    );
    const intervals = (await db.owner.query(`select interval_start, business_day::text, offered from analytics.queue_interval_kpis where queue = 'Wixom desk' order by 1`)).rows;
    expect(intervals.map((r) => [r.interval_start.toISOString(), r.business_day, r.offered])).toEqual([
      ["2026-11-01T05:30:00.000Z", "2026-11-01", 1], ["2026-11-01T06:30:00.000Z", "2026-11-01", 1],
      ["2026-11-02T04:45:00.000Z", "2026-11-01", 1], ["2026-11-02T05:00:00.000Z", "2026-11-02", 1],
    ]);
    expect(num(await one(db.owner, `select calls_handled from analytics.agent_daily_kpis where agent_extension = '201' and business_day = '2026-11-01'`))).toEqual({ calls_handled: 3 });
  });
});

describe("upkeep", () => {
  it("a change to a call moves it between figures: C6 answered after all (late leg) leaves the abandoned and joins the answered", async () => {
    await ingest(call("C6", "2026-03-10T14:05:00Z", "2026-03-10T14:06:00Z", { legs: [{ key: "late", agent: "102", start: "2026-03-10T14:05:00Z", answered: "2026-03-10T14:05:40Z", end: "2026-03-10T14:06:00Z" }] }));
    expect(await queueInterval("2026-03-10T14:00:00Z")).toMatchObject({ offered: 8, answered: 5, abandoned: 1, answered_wait_seconds: 85 });
    expect(num(await one(db.owner, `select calls_handled from analytics.agent_daily_kpis where agent_extension = '102' and business_day = '2026-03-10'`))).toEqual({ calls_handled: 4 });
  });
  it("leaves nothing stale behind, and a full recount changes nothing", async () => {
    expect(num(await one(db.owner, `select (select count(*) from app_private.kpi_stale_queue_intervals) + (select count(*) from app_private.kpi_stale_agent_days) as n`))).toEqual({ n: 0 });
    const snapshot = async () => (await db.owner.query(`select q::text from (select queue_name, interval_start, offered, answered, abandoned, short_abandoned, answered_within_sl, wait_unknown, answered_wait_seconds from app_public.queue_interval_stats order by 1, 2) q
      union all select a::text from (select agent_extension, business_day, calls_handled, calls_missed, talk_seconds, hold_seconds, acw_seconds from app_public.agent_daily_stats order by 1, 2) a`)).rows;
    const before = await snapshot();
    await db.owner.query(`select app_private.recount_kpis('2026-03-01', '2026-11-30')`);
    expect(await snapshot()).toEqual(before);
  });
  it("analysts read the KPI views", async () => {
    const c = new pg.Client({ connectionString: db.rootUrl });
    await c.connect();
    try {
      await c.query("begin");
      await c.query("set local role app_analyst");
      for (const v of ["queue_interval_kpis", "queue_daily_kpis", "agent_daily_kpis", "team_daily_kpis"]) {
        expect(Number((await c.query(`select count(*) from analytics.${v}`)).rows[0].count)).toBeGreaterThan(0);
      }
    } finally {
      await c.query("rollback");
      await c.end();
    }
  });
});

describe("marking never waits", () => {
  it("two open transactions marking the same intervals and days in opposite orders both go through at once (no lock wait, no deadlock)", async () => {
    const keys = [
      { q: [{ queue_name: "Front", interval_start: "2026-03-10T14:00:00Z" }, { queue_name: "Front", interval_start: "2026-03-10T14:15:00Z" }],
        a: [{ agent_extension: "101", business_day: "2026-03-10" }, { agent_extension: "102", business_day: "2026-03-10" }] },
    ];
    const first = await db.owner.connect();
    const second = await db.owner.connect();
    try {
      await first.query("begin");
      await second.query("begin");
      // Each waits at most 2 s for a lock: with unique keys the second would wait for the first (and, crossing, deadlock).
      await first.query("set local lock_timeout = '2s'");
      await second.query("set local lock_timeout = '2s'");
      await first.query("select app_private.mark_kpis_stale($1, $2)", [JSON.stringify(keys[0]!.q), JSON.stringify(keys[0]!.a)]);
      await second.query("select app_private.mark_kpis_stale($1, $2)", [JSON.stringify([...keys[0]!.q].reverse()), JSON.stringify([...keys[0]!.a].reverse())]);
      await second.query("select app_private.mark_people_stale($1, array['2026-03-10']::date[], null)", [JSON.stringify([{ agent_email: "a@gangerdermatology.com", business_day: "2026-03-10" }])]);
      await first.query("select app_private.mark_people_stale($1, array['2026-03-10']::date[], null)", [JSON.stringify([{ agent_email: "a@gangerdermatology.com", business_day: "2026-03-10" }])]);
      await first.query("commit");
      await second.query("commit");
    } finally {
      first.release();
      second.release();
    }
    // Marked twice, recounted once: the figures are what they were.
    const before = await queueInterval("2026-03-10T14:00:00Z");
    await work();
    expect(num(await one(db.owner, `select (select count(*) from app_private.kpi_stale_queue_intervals) + (select count(*) from app_private.kpi_stale_agent_days)
      + (select count(*) from app_private.kpi_stale_person_days) + (select count(*) from app_private.kpi_stale_team_days) as n`))).toEqual({ n: 0 });
    expect(await queueInterval("2026-03-10T14:00:00Z")).toEqual(before);
  });
});
