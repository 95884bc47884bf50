/**
 * Shift totals, goals and team rows on hand-built data, the answers worked
 * out here, through the real path: calls ingested, shifts, reviews and goals
 * written, kpi__refresh recounting what they marked.
 * Tuesday 10 March 2026 in America/Detroit is EDT (UTC−4): 10:00 local = 14:00Z.
 *
 * Ann Arbor: a (ext 101, hired 2024-03-10) and b (102, hired 2025-03-10); Wixom: w (201).
 *   C0 Mon 9 Mar 14:00Z  101 talks 600 s
 *   C1 14:00:00Z          101 answers 14:00:10, ends 14:01:00 (talk 50); hold 20, acw 30, appointment, CSAT 5
 *   C2 14:05Z             101 talks 120 s; acw 10, complaint
 *   C3 14:10Z             rings 102 for 20 s unanswered (102's missed call), then 101 talks 100 s
 *   C4 15:00Z             102 talks 120 s
 *   C5 16:00Z             101 talks 60 s (after a's shift)
 * Shifts on 10 March: a 10:00–11:00 local, worked 14:03Z–14:50Z, 5 min break;
 * b 10:00–12:00, worked 14:30Z–16:00Z, 30 min training; w (Wixom) 10:00–18:00, absent.
 */
import { runJobs } from "../helpers/jobs.js";
import { asUser, createTestDatabase, type TestDatabase } from "../helpers/db.js";
import { createUser } from "../helpers/users.js";
import type { Session } from "../../server/auth.js";
import { num, one as oneRow } from "../helpers/query.js";
import { call, talk } from "../helpers/calls.js";

let db: TestDatabase;
const A = "a@gangerdermatology.com";
const B = "b@gangerdermatology.com";
const W = "w@gangerdermatology.com";
const BOSS = "boss@gangerdermatology.com";


const work = () => runJobs(db);
const q = (sql: string, params: unknown[] = []) => db.owner.query(sql, params);
/** The first row, numeric strings as numbers. */
const one = (sql: string, params: unknown[] = []) => oneRow(db.owner, sql, params).then(num);

const shiftOf = (email: string) => one(`select tardiness_minutes, early_departure_minutes, shift_status, calls_handled, calls_missed, total_talk_time_seconds,
  total_after_call_work_seconds, total_available_time_seconds, calls_per_hour, utilization_percentage from app_public.agent_shifts where agent_email = $1 and shift_date = '2026-03-10'`, [email]);
const team = (location: string | null, day = "2026-03-10") =>
  one(`select * from app_public.team_performance_metrics where reporting_period = $2 and location is not distinct from $1`, [location, day]);
const goal = (id: string) => one(`select calls_per_day_actual, talk_time_percentage_actual, first_call_resolution_actual, customer_satisfaction_actual,
  appointment_conversion_actual, quality_score_actual, goals_met, total_goals, achievement_percentage, achievement_notified_at is not null as notified
  from app_public.performance_goals where id = $1`, [id]);
const achievementNotes = async () => (await q(`select n.data->>'goal_id' as goal_id from app_public.notifications n
  join app_public.users u on u.id = n.user_id where u.email = $1 and n.notification_type = 'goal_achieved' order by n.created_at`, [A])).rows.map((r) => r.goal_id);
/** A goal for a; an agent has one active goal of a period on any day, so a second one for the same day is set paused or revised. */
async function newGoal(period: string, from: string, to: string, targets: Record<string, number> = {}, status = "active") {
  const cols = Object.keys(targets);
  const { rows } = await q(`insert into app_public.performance_goals (agent_email, goal_period, period_start_date, period_end_date, created_by, goal_status${cols.map((c) => ", " + c).join("")})
    values ($1, $2, $3, $4, $5, $6${cols.map((_, i) => `, $${i + 7}`).join("")}) returning id`, [A, period, from, to, BOSS, status, ...Object.values(targets)]);
  await work();
  return rows[0].id as string;
}

let g0: string, g1: string, g3: string;
let manager: Session, agentA: Session;
const as = async (who: Session, sql: string, params: unknown[] = []) => asUser(db.authenticator, who, async (c) => (await c.query(sql, params)).rows.map(num));

beforeAll(async () => {
  db = await createTestDatabase();
  await q(`insert into app_public.queues (name, extension, location_name) values ('Front', '800', 'Ann Arbor')`);
  agentA = await createUser(db.owner, { email: A, role: "call_center_agent", locations: ["Ann Arbor"] });
  await q(`insert into app_public.users (email) values ($1), ($2), ($3)`, [B, W, BOSS]);
  manager = await createUser(db.owner, { email: "manager@gangerdermatology.com", role: "manager" });
  await q(`insert into app_public.agents (extension, user_email, location_name, hire_date) values
    ('101', $1, 'Ann Arbor', '2024-03-10'), ('102', $2, 'Ann Arbor', '2025-03-10'), ('201', $3, 'Wixom', null)`, [A, B, W]);
  await q(`insert into app_public.agent_shifts (agent_email, agent_name, location, shift_date, scheduled_start_time, scheduled_end_time,
      actual_start_time, actual_end_time, total_break_time_minutes, training_time_minutes, shift_status) values
    ($1, 'A', 'Ann Arbor', '2026-03-10', '10:00', '11:00', '2026-03-10T14:03:00Z', '2026-03-10T14:50:00Z', 5, 0, 'scheduled'),
    ($2, 'B', 'Ann Arbor', '2026-03-10', '10:00', '12:00', '2026-03-10T14:30:00Z', '2026-03-10T16:00:00Z', 0, 30, 'scheduled'),
    ($3, 'W', 'Wixom', '2026-03-10', '10:00', '18:00', null, null, 0, 0, 'absent')`, [A, B, W]);
  const { rows } = await q("select outcome from app_private.ingest_calls($1::jsonb)", [JSON.stringify([
    talk("C0", "101", "2026-03-09T14:00:00Z", "2026-03-09T14:00:00Z", "2026-03-09T14:10:00Z"),
    talk("C1", "101", "2026-03-10T14:00:00Z", "2026-03-10T14:00:10Z", "2026-03-10T14:01:00Z"),
    talk("C2", "101", "2026-03-10T14:05:00Z", "2026-03-10T14:05:00Z", "2026-03-10T14:07:00Z"),
    call("C3", "2026-03-10T14:10:00Z", "2026-03-10T14:12:00Z", { legs: [
      { key: "1", agent: "102", start: "2026-03-10T14:10:00Z", end: "2026-03-10T14:10:20Z" },
      { key: "2", agent: "101", start: "2026-03-10T14:10:20Z", answered: "2026-03-10T14:10:20Z", end: "2026-03-10T14:12:00Z" }] }),
    talk("C4", "102", "2026-03-10T15:00:00Z", "2026-03-10T15:00:00Z", "2026-03-10T15:02:00Z"),
    talk("C5", "101", "2026-03-10T16:00:00Z", "2026-03-10T16:00:00Z", "2026-03-10T16:01:00Z"),
  ])]);
  expect(rows.filter((r) => r.outcome === "rejected")).toEqual([]);
  await q(`update app_public.call_center_records set hold_time_seconds = 20, after_call_work_seconds = 30, appointment_scheduled = true, customer_satisfaction_score = 5 where call_id = 'C1'`);
  await q(`update app_public.call_center_records set after_call_work_seconds = 10, complaint_call = true where call_id = 'C2'`);
  await q(`insert into app_public.quality_assurance_reviews (agent_email, reviewer_email, reviewer_name, review_date, review_type, greeting_professionalism, empathy_patience,
      review_status, agent_discussion_date) values ($1, $2, 'Boss', '2026-03-10', 'random', 4, 5, 'discussed_with_agent', '2026-03-10')`, [A, BOSS]);
  await work();
  // g0, without targets, was revised into g1 (the same day).
  g0 = await newGoal("daily", "2026-03-10", "2026-03-10", {}, "revised");
  g1 = await newGoal("daily", "2026-03-10", "2026-03-10", { calls_per_day_target: 4, appointment_conversion_target: 25, talk_time_percentage_target: 50 });
  g3 = await newGoal("weekly", "2026-03-09", "2026-03-15", { calls_per_day_target: 3 });
});
afterAll(async () => db.drop());

describe("shifts", () => {
  it("lateness and status follow the logged times: a 3 min late, 10 min early: completed; b 30 min late: partial; w stays absent", async () => {
    expect(await shiftOf(A)).toMatchObject({ tardiness_minutes: 3, early_departure_minutes: 10, shift_status: "completed" });
    expect(await shiftOf(B)).toMatchObject({ tardiness_minutes: 30, early_departure_minutes: 0, shift_status: "partial" });
    expect(await shiftOf(W)).toMatchObject({ tardiness_minutes: 0, shift_status: "absent", total_available_time_seconds: 0 });
  });
  it("totals are the agent's work inside the shift: a handled C2 and C3 (not C1 before the start, not C5 after), 220 s talk, 10 s acw", async () => {
    // available (14:50 − 14:03) − 5 min break = 2520 s; 2 / 0.7 h = 2.86 an hour; (220 + 10) / 2520 = 9.13 %
    expect(await shiftOf(A)).toMatchObject({
      calls_handled: 2, calls_missed: 0, total_talk_time_seconds: 220, total_after_call_work_seconds: 10, total_available_time_seconds: 2520,
      calls_per_hour: 2.86, utilization_percentage: 9.13,
    });
    // 90 min − 30 min training = 3600 s; C3 rang b before the shift began, so no missed call in it
    expect(await shiftOf(B)).toMatchObject({ calls_handled: 1, calls_missed: 0, total_talk_time_seconds: 120, total_available_time_seconds: 3600, calls_per_hour: 1 });
  });
  it("an end before the start is the next day: 22:00–06:00 on 10 March is 02:00Z–10:00Z on the 11th", async () => {
    const { rows } = await q(`select lower(w) as s, upper(w) as e from app_hidden.shift_window('2026-03-10', '22:00', '06:00') w`);
    expect([rows[0].s.toISOString(), rows[0].e.toISOString()]).toEqual(["2026-03-11T02:00:00.000Z", "2026-03-11T10:00:00.000Z"]);
  });
  it("a shift nobody started by its scheduled end is marked absent by the job's function", async () => {
    await q(`insert into app_public.agent_shifts (agent_email, agent_name, location, shift_date, scheduled_start_time, scheduled_end_time)
      values ($1, 'W', 'Wixom', app_hidden.business_day(now()) - 1, '08:00', '09:00')`, [W]);
    expect(await one(`select app_private.mark_absent_shifts() as n`)).toEqual({ n: 1 });
    expect(await one(`select shift_status from app_public.agent_shifts where agent_email = $1 and shift_date = app_hidden.business_day(now()) - 1`, [W]))
      .toEqual({ shift_status: "absent" });
    await q(`delete from app_public.agent_shifts where agent_email = $1 and shift_date = app_hidden.business_day(now()) - 1`, [W]);
    await work();
  });
});

describe("agent figures gain QA quality", () => {
  it("a's discussed review (4 and 5 of 5) is a quality average of 90.00 on its day", async () => {
    expect(await one(`select quality_score_sum, quality_reviews, quality_score_avg from analytics.agent_daily_kpis where agent_extension = '101' and business_day = '2026-03-10'`))
      .toEqual({ quality_score_sum: 90, quality_reviews: 1, quality_score_avg: 90 });
  });
});

describe("goals", () => {
  it("a goal with no targets: total 0, achievement NULL (not 0, not a division by zero), actuals still computed, no notification", async () => {
    // a handled C1, C2, C3, C5 on the one day worked: 4.00 a day; talk 330 / 2520 = 13.10 %; appointments 1 / 4 = 25.00 %
    expect(await goal(g0)).toEqual({
      calls_per_day_actual: 4, talk_time_percentage_actual: 13.1, first_call_resolution_actual: null, customer_satisfaction_actual: 5,
      appointment_conversion_actual: 25, quality_score_actual: 90, goals_met: 0, total_goals: 0, achievement_percentage: null, notified: false,
    });
  });
  it("only set targets count: 4 calls a day and 25 % appointments met, 50 % talk not: 2 of 3 = 66.67", async () => {
    expect(await goal(g1)).toMatchObject({ goals_met: 2, total_goals: 3, achievement_percentage: 66.67, notified: false });
    expect(await achievementNotes()).toEqual([]);
  });
  it("calls per day are over days worked: 9 March (a call, no shift) and 10 March (a shift): 5 calls / 2 days = 2.50, under 3", async () => {
    expect(await goal(g3)).toMatchObject({ calls_per_day_actual: 2.5, goals_met: 0, total_goals: 1, achievement_percentage: 0 });
  });
  it("a set target with no actual yet (no final first-call resolution) is not met: 0 of 1", async () => {
    const g4 = await newGoal("daily", "2026-03-10", "2026-03-10", { first_call_resolution_target: 50 }, "paused");
    expect(await goal(g4)).toMatchObject({ first_call_resolution_actual: null, goals_met: 0, total_goals: 1, achievement_percentage: 0 });
    await q(`delete from app_public.performance_goals where id = $1`, [g4]);
    await work();
  });
  it("meeting every target queues one notification, never a second one for the same goal", async () => {
    await q(`update app_public.performance_goals set talk_time_percentage_target = 13 where id = $1`, [g1]);
    await work();
    expect(await goal(g1)).toMatchObject({ goals_met: 3, achievement_percentage: 100, notified: true });
    expect(await achievementNotes()).toEqual([g1]);
    await q(`update app_public.performance_goals set talk_time_percentage_target = 50 where id = $1`, [g1]);
    await work();
    expect(await goal(g1)).toMatchObject({ goals_met: 2, notified: true });
    await q(`update app_public.performance_goals set talk_time_percentage_target = 13 where id = $1`, [g1]);
    await work();
    expect(await goal(g1)).toMatchObject({ goals_met: 3 });
    expect(await achievementNotes()).toEqual([g1]);
  });
});

describe("team rows (team_performance_metrics)", () => {
  it("Ann Arbor on 10 March: the agents' counts summed, then divided", async () => {
    expect(await team("Ann Arbor")).toMatchObject({
      team_name: "Ann Arbor", total_agents: 2, active_agents: 2, agents_with_calls: 2,
      total_calls_handled: 5, total_calls_missed: 1, talk_seconds: 450, hold_seconds: 20, acw_seconds: 40, available_seconds: 6120,
      total_talk_time_hours: 0.13, total_available_hours: 1.7,
      utilization_rate: 8.01, // (450 + 40) / 6120, not the mean of a's and b's percentages
      calls_per_agent_per_day: 2.5, appointment_conversion_rate: 20, complaint_rate: 20, average_customer_satisfaction: 5,
      first_call_resolution_rate: null, // no final FCR yet: no data, not 0
      average_quality_score: 90, coaching_sessions_conducted: 1, training_hours_completed: 0.5,
      shifts_scheduled: 2, attendance_rate: 100, shifts_started: 2, shifts_on_time: 0, punctuality_rate: 0,
      scheduled_seconds: 10800, adherent_seconds: 8220, schedule_adherence_rate: 76.11, // a 47 of 60 min, b 90 of 120 min
      average_experience_months: 18, // (24 months + 12 months) / 2
    });
  });
  it("Wixom: an absent shift and no calls: attendance 0.00, punctuality and rates with no denominator NULL", async () => {
    expect(await team("Wixom")).toMatchObject({
      total_agents: 1, active_agents: 0, total_calls_handled: 0, attendance_rate: 0, punctuality_rate: null, schedule_adherence_rate: 0,
      utilization_rate: null, calls_per_agent_per_day: null, average_experience_months: null, team_goal_achievement_rate: null,
    });
  });
  it("the practice-wide row (location NULL) sums every location: attendance 2 / 3, adherence 8220 / 39600", async () => {
    expect(await team(null)).toMatchObject({
      team_name: "All locations", total_agents: 3, active_agents: 2, total_calls_handled: 5, attendance_rate: 66.67, schedule_adherence_rate: 20.76,
    });
  });
  it("a location with no agents and no activity has no row", async () => {
    expect(await team("Plymouth")).toBeUndefined();
  });
  it("an agent meets their goals for a day only when every goal covering it is met (the weekly goal is not yet)", async () => {
    expect(await team("Ann Arbor")).toMatchObject({ agents_meeting_goals: 0, team_goal_achievement_rate: 0 });
    await q(`update app_public.performance_goals set calls_per_day_target = 2 where id = $1`, [g3]);
    await work();
    expect(await team("Ann Arbor")).toMatchObject({ agents_meeting_goals: 1, team_goal_achievement_rate: 100 });
    expect(await team("Ann Arbor", "2026-03-09")).toMatchObject({ active_agents: 1, agents_meeting_goals: 1 });
  });
  it("a change to a shift recounts the shift and the team: a's break removed adds 300 s", async () => {
    await q(`update app_public.agent_shifts set total_break_time_minutes = 0 where agent_email = $1 and shift_date = '2026-03-10'`, [A]);
    await work();
    expect(await shiftOf(A)).toMatchObject({ total_available_time_seconds: 2820 });
    expect(await team("Ann Arbor")).toMatchObject({ available_seconds: 6420 });
  });
  it("entered certifications are kept through recounts; the analysts' and the API's team view show the stored row", async () => {
    await q(`update app_public.team_performance_metrics set certifications_earned = 2 where reporting_period = '2026-03-10' and location = 'Ann Arbor'`);
    await q(`select app_private.recount_kpis('2026-03-09', '2026-03-10')`);
    expect(await one(`select certifications_earned, available_seconds, calls_handled, utilization_pct from analytics.team_daily_kpis where business_day = '2026-03-10' and location = 'Ann Arbor'`))
      .toEqual({ certifications_earned: 2, available_seconds: 6420, calls_handled: 5, utilization_pct: 7.63 }); // 490 / 6420
  });
});

describe("any range rolls up from the stored counts, with the daily views' row rules", () => {
  it("agent a over 9–10 March: AHT (930 + 20 + 40) / 5 = 198 s, where the mean of the daily AHTs (600 and 98) would be 349", async () => {
    expect(await as(manager, `select days_with_calls, calls_handled, talk_seconds, aht_seconds, available_seconds from app_public.agent_kpis_for_range('2026-03-09', '2026-03-10', $1)`, [A]))
      .toEqual([{ days_with_calls: 2, calls_handled: 5, talk_seconds: 930, aht_seconds: 198, available_seconds: 2820 }]);
  });
  it("an agent's range has only their own row; a manager's has every agent's; team figures are refused to an agent", async () => {
    const agents = (rows: (Record<string, unknown> | undefined)[]) => rows.map((r) => String(r?.agent_extension));
    expect(agents(await as(agentA, `select agent_extension from app_public.agent_kpis_for_range('2026-03-01', '2026-03-31')`))).toEqual(["101"]);
    expect(agents(await as(manager, `select agent_extension from app_public.agent_kpis_for_range('2026-03-01', '2026-03-31')`))).toEqual(["101", "102"]);
    await expect(as(agentA, `select * from app_public.team_kpis_for_range('2026-03-01', '2026-03-31')`)).rejects.toThrow(/viewTeamPerformance/);
    expect(await as(agentA, `select * from app_public.queue_kpis_for_range('2026-03-01', '2026-03-31')`)).toEqual([]);
  });
  it("queue Front over 9–10 March: 6 offered and answered; a range with no calls has no row", async () => {
    expect(await as(manager, `select offered, answered, service_level_denominator from app_public.queue_kpis_for_range('2026-03-09', '2026-03-10', 'Front')`))
      .toEqual([{ offered: 6, answered: 6, service_level_denominator: 6 }]);
    expect(await as(manager, `select * from app_public.queue_kpis_for_range('2026-04-01', '2026-04-30')`)).toEqual([]);
  });
  it("Ann Arbor over 9–10 March: calls per agent per day 6 calls / 3 agent days = 2.00", async () => {
    expect(await as(manager, `select days, agent_days, calls_handled, calls_per_agent_per_day, attendance_rate_pct from app_public.team_kpis_for_range('2026-03-09', '2026-03-10', 'Ann Arbor')`))
      .toEqual([{ days: 2, agent_days: 3, calls_handled: 6, calls_per_agent_per_day: 2, attendance_rate_pct: 100 }]); // 9 March had no shift: 2 of 2
  });
});

describe("upkeep", () => {
  it("leaves nothing stale, and a full recount of the range changes no shift, goal or team figure", async () => {
    await work();
    expect(await one(`select (select count(*) from app_private.kpi_stale_person_days) + (select count(*) from app_private.kpi_stale_team_days)
      + (select count(*) from app_private.kpi_stale_goals) as n`)).toEqual({ n: 0 });
    const snapshot = async () => (await q(`
      select s::text from (select agent_email, shift_date, calls_handled, calls_missed, total_talk_time_seconds, total_after_call_work_seconds, total_available_time_seconds
                             from app_public.agent_shifts order by 1, 2) s
      union all select g::text from (select id, calls_per_day_actual, talk_time_percentage_actual, quality_score_actual, goals_met from app_public.performance_goals order by 1) g
      union all select t::text from (select reporting_period, location, total_agents, active_agents, total_calls_handled, available_seconds, utilization_rate,
                                            attendance_rate, schedule_adherence_rate, agents_meeting_goals from app_public.team_performance_metrics order by 1, 2) t`)).rows;
    const before = await snapshot();
    await q(`select app_private.recount_kpis('2026-03-01', '2026-03-31')`);
    expect(await snapshot()).toEqual(before);
  });
});
