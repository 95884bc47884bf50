/**
 * For simulated traffic (the simulator's seeds), sent in a shuffled order,
 * in bodies of any size, with some records sent twice and the worker running
 * between bodies: every stored aggregate equals the same figure counted
 * straight from the calls (a full recount): queue intervals, agent days,
 * shift totals, goal actuals and team rows; and the queue and agent counts
 * equal what the simulator's answer key says really happened.
 */
import { runJobs, runJobsUntil } from "../helpers/jobs.js";
import { numberOf } from "../helpers/query.js";
import { createTestDatabase, type TestDatabase } from "../helpers/db.js";
import { DEFAULT_CDR_FIELDS } from "../../lib/env.js";
import { installPracticeDirectory, queueByExtension } from "../../simulator/practice.js";
import { Random } from "../../simulator/random.js";
import type { AnswerKeyCall } from "../../simulator/render.js";
import { simulate } from "../../simulator/simulation.js";
import { storeRaw } from "../helpers/calls.js";

const SEEDS = [3, 17];

/** Nothing left to do: no raw body pending, no figure marked stale. */
const settled = (db: TestDatabase) => async () => (await numberOf(db.owner, `select (select count(*) from app_private.cdr_raw where status = 'pending')
  + (select count(*) from app_private.kpi_stale_queue_intervals) + (select count(*) from app_private.kpi_stale_agent_days)
  + (select count(*) from app_private.kpi_stale_person_days) + (select count(*) from app_private.kpi_stale_team_days) + (select count(*) from app_private.kpi_stale_goals) as n`)) === 0;

async function ingestShuffled(db: TestDatabase, seed: number) {
  const [day] = simulate({ seed, start: "2026-03-10", days: 1, format: "3cx-v20", fields: DEFAULT_CDR_FIELDS.split(","), timeZone: "America/Detroit", volume: 200, malformedRate: 0 });
  const rnd = new Random(seed * 7 + 1);
  const records = day!.records.map((r) => r.text);
  // Any order of arrival, and one record in ten sent again later.
  const sent = [...records, ...records.filter(() => rnd.chance(0.1))];
  for (let i = sent.length - 1; i > 0; i--) {
    const j = rnd.int(0, i);
    [sent[i], sent[j]] = [sent[j]!, sent[i]!];
  }
  for (let i = 0; i < sent.length; ) {
    const size = rnd.int(1, 60);
    await storeRaw(db.owner, sent.slice(i, i + size).map((t) => `${t}\r\n`).join(""));
    i += size;
    if (rnd.chance(0.3)) await runJobs(db);
  }
  await runJobsUntil(db, settled(db), { what: "the raw bodies and stale figures", rounds: 20 });
  return day!.key.filter((k): k is AnswerKeyCall => !("malformed" in k));
}

const stored = async (db: TestDatabase) => (await db.owner.query(`
  select 'q ' || q::text as row from (select queue_name, interval_start, business_day, offered, answered, abandoned, short_abandoned, voicemail, missed, transferred,
      answered_within_sl, abandoned_within_sl, wait_unknown, answered_wait_seconds, abandoned_wait_seconds, max_wait_seconds,
      answered_wait_le_10, answered_wait_le_20, answered_wait_le_30, answered_wait_le_60, answered_wait_le_120, answered_wait_gt_120,
      abandoned_wait_le_10, abandoned_wait_le_20, abandoned_wait_le_30, abandoned_wait_le_60, abandoned_wait_le_120, abandoned_wait_gt_120
    from app_public.queue_interval_stats) q
  union all
  select 'a ' || a::text from (select agent_extension, business_day, calls_handled, calls_handled_inbound, calls_missed, talk_seconds, hold_seconds, acw_seconds,
      fcr_resolved, fcr_final, appointments, csat_sum, csat_count, complaints from app_public.agent_daily_stats) a
  union all
  select 's ' || s::text from (select agent_email, shift_date, shift_status, tardiness_minutes, early_departure_minutes, calls_handled, calls_missed,
      total_talk_time_seconds, total_after_call_work_seconds, total_available_time_seconds from app_public.agent_shifts) s
  union all
  select 'g ' || g::text from (select agent_email, goal_period, calls_per_day_actual, talk_time_percentage_actual, first_call_resolution_actual,
      customer_satisfaction_actual, appointment_conversion_actual, quality_score_actual, goals_met from app_public.performance_goals) g
  union all
  select 't ' || t::text from (select reporting_period, location, total_agents, active_agents, agents_with_calls, total_calls_handled, total_calls_missed,
      talk_seconds, hold_seconds, acw_seconds, available_seconds, fcr_resolved, fcr_final, appointments, csat_sum, csat_count, complaints,
      quality_score_sum, quality_reviews, shifts_scheduled, shifts_not_absent, shifts_started, shifts_on_time, scheduled_seconds, adherent_seconds,
      agents_with_goals, agents_meeting_goals, utilization_rate, calls_per_agent_per_day, attendance_rate, average_experience_months
    from app_public.team_performance_metrics) t
  order by 1`)).rows.map((r) => r.row as string);

/*
 * The people side, in place before the calls arrive: every agent's shift on
 * the day (some late, some leaving early, every seventh absent; all ended, so
 * "up to now" does not move), goals for every third agent, a QA review.
 */
async function installPeople(db: TestDatabase, seed: number) {
  await db.owner.query(`insert into app_public.users (email) values ('qa.lead@gangerdermatology.com') on conflict do nothing`);
  await db.owner.query(`
    with a as (select user_email, display_name, location_name, row_number() over (order by extension) + $1::int as n from app_public.agents where user_email is not null)
    insert into app_public.agent_shifts (agent_email, agent_name, location, shift_date, scheduled_start_time, scheduled_end_time,
        actual_start_time, actual_end_time, lunch_break_minutes, total_break_time_minutes, shift_status)
    select user_email, display_name, location_name, '2026-03-10', '08:00', '17:00',
           case when n % 7 <> 0 then timestamp '2026-03-10 08:00' at time zone 'America/Detroit' + (n % 4) * interval '9 minutes' end,
           case when n % 7 <> 0 then timestamp '2026-03-10 17:00' at time zone 'America/Detroit' - (n % 3) * interval '20 minutes' end,
           case when n % 7 <> 0 then 30 else 0 end, case when n % 7 <> 0 then 15 else 0 end,
           case when n % 7 = 0 then 'absent' else 'scheduled' end
      from a`, [seed]);
  await db.owner.query(`
    with a as (select user_email, row_number() over (order by extension) as n from app_public.agents where user_email is not null)
    insert into app_public.performance_goals (agent_email, goal_period, period_start_date, period_end_date, created_by, calls_per_day_target, appointment_conversion_target)
    select user_email, 'daily', date '2026-03-10', date '2026-03-10', 'qa.lead@gangerdermatology.com', 5 + n % 10, 10 from a where n % 3 = 0
    union all
    select user_email, 'weekly', date '2026-03-09', date '2026-03-15', 'qa.lead@gangerdermatology.com', 3, null from a where n % 3 = 1`);
  await db.owner.query(`
    insert into app_public.quality_assurance_reviews (agent_email, reviewer_email, reviewer_name, review_date, review_type, greeting_professionalism, call_control, review_status)
    select user_email, 'qa.lead@gangerdermatology.com', 'QA', '2026-03-10', 'random', 4, 3, 'completed' from app_public.agents where user_email is not null order by extension limit 3`);
}

describe.each(SEEDS)("simulated traffic, seed %i, shuffled and partly re-sent", (seed) => {
  let db: TestDatabase;
  let key: AnswerKeyCall[];
  beforeAll(async () => {
    db = await createTestDatabase();
    const c = await db.owner.connect();
    try {
      await installPracticeDirectory(c);
    } finally {
      c.release();
    }
    await installPeople(db, seed);
    key = await ingestShuffled(db, seed);
  });
  afterAll(async () => db.drop());

  it("stores every aggregate exactly as a full recount from the calls makes it", async () => {
    const incremental = await stored(db);
    expect(incremental.length).toBeGreaterThan(50);
    // The people's figures are there, not just zeros: shifts with calls, goals with actuals, team rows per location and for all.
    const count = (sql: string) => numberOf(db.owner, sql);
    expect(await count(`select count(*) as n from app_public.agent_shifts where calls_handled > 0`)).toBeGreaterThan(10);
    expect(await count(`select count(*) as n from app_public.performance_goals where calls_per_day_actual is not null`)).toBeGreaterThan(10);
    expect(await count(`select count(*) as n from app_public.team_performance_metrics where reporting_period = '2026-03-10'`)).toBe(4);
    await db.owner.query(`select app_private.recount_kpis('2026-03-09', '2026-03-11')`);
    expect(await stored(db)).toEqual(incremental);
  });

  it("counts per queue what the answer key says happened", async () => {
    const expected: Record<string, Record<string, number>> = {};
    for (const k of key) {
      if (!k.queue || k.direction !== "inbound") continue;
      const name = queueByExtension.get(k.queue)!.name;
      const e = (expected[name] ??= { offered: 0, answered: 0, abandoned: 0, short_abandoned: 0, voicemail: 0, missed: 0, transferred: 0 });
      e.offered!++;
      if (k.agent) e.answered!++;
      if (k.status === "transferred") e.transferred!++;
      if (k.status === "abandoned") e[k.wait_seconds < 5 ? "short_abandoned" : "abandoned"]!++;
      if (k.status === "voicemail") e.voicemail!++;
      if (k.status === "missed") e.missed!++;
    }
    const { rows } = await db.owner.query(`select queue, offered::int, answered::int, abandoned::int, short_abandoned::int, voicemail::int, missed::int, transferred::int
      from analytics.queue_daily_kpis where business_day = '2026-03-10'`);
    const actual = Object.fromEntries(rows.map(({ queue, ...counts }) => [queue, counts]));
    expect(actual).toEqual(expected);
  });

  it("counts per agent the calls they handled and missed, as the answer key says", async () => {
    const expected: Record<string, { calls_handled: number; calls_missed: number }> = {};
    const of = (agent: string) => (expected[agent] ??= { calls_handled: 0, calls_missed: 0 });
    for (const k of key) {
      if (k.direction === "internal") continue;
      for (const a of k.answered_agents) of(a).calls_handled++;
      if (k.direction === "inbound") for (const a of k.missed_agents) if (!k.answered_agents.includes(a)) of(a).calls_missed++;
    }
    const { rows } = await db.owner.query(`select agent_extension, calls_handled::int, calls_missed::int from analytics.agent_daily_kpis where business_day = '2026-03-10'`);
    expect(Object.fromEntries(rows.map(({ agent_extension, ...c }) => [agent_extension, c]))).toEqual(expected);
  });
});
