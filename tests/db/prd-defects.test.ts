/**
 * The PRD's SQL defects, fixed, each with a worked example; and the rules the
 * schema enforces (statuses, categories, links, timestamps in order).
 */
import { createTestDatabase, type TestDatabase } from "../helpers/db.js";
import { CAST, createCast } from "../helpers/users.js";
import { one } from "../helpers/query.js";

let db: TestDatabase;
// From the cast: an agent at Ann Arbor, and a manager who sets goals, reviews and campaigns.
const AGENT = CAST.agentAA.email;
const BOSS = CAST.manager.email;
beforeAll(async () => {
  db = await createTestDatabase();
  await createCast(db.owner);
});
afterAll(async () => db.drop());

const fails = async (sql: string, params: unknown[] = []) => {
  const c = await db.owner.connect();
  try {
    await c.query(sql, params);
    return null;
  } catch (e) {
    return (e as { code: string }).code;
  } finally {
    c.release();
  }
};
let day = 0;
const shift = (handled: number, availableSeconds: number, talk = 0, acw = 0) =>
  one(db.owner, 
    `insert into app_public.agent_shifts (agent_email, agent_name, location, shift_date, scheduled_start_time, scheduled_end_time,
       calls_handled, total_available_time_seconds, total_talk_time_seconds, total_after_call_work_seconds)
     values ($1, 'Agent', 'Ann Arbor', date '2026-01-01' + $2::int, '08:00', '16:00', $3, $4, $5, $6)
     returning calls_per_hour::text, utilization_percentage::text`,
    [AGENT, day++, handled, availableSeconds, talk, acw],
  );

describe("agent_shifts ratios (PRD: integer division and ELSE 0)", () => {
  it("5 calls in 1800 available seconds is 10.00 calls per hour (the PRD divided by 1800/3600 = 0)", async () => {
    expect((await shift(5, 1800)).calls_per_hour).toBe("10.00");
  });
  it("3 calls in 5400 s is 2.00 per hour (the PRD counted 5400 s as one hour: 3.00)", async () => {
    expect((await shift(3, 5400)).calls_per_hour).toBe("2.00");
  });
  it("no available time gives NULL, not 0", async () => {
    expect(await shift(4, 0)).toEqual({ calls_per_hour: null, utilization_percentage: null });
  });
  it("utilization of (900 talk + 900 acw) / 3600 s is 50.00", async () => {
    expect((await shift(1, 3600, 900, 900)).utilization_percentage).toBe("50.00");
  });
  it("a ratio past 999.99 does not overflow (numeric(5,2) would abort KPI upkeep)", async () => {
    expect((await shift(1, 60, 36000, 0)).utilization_percentage).toBe("60000.00");
  });
});

describe("performance_goals achievement (PRD: divides by total_goals, which can be 0)", () => {
  // Each goal a month of its own: an agent has one active monthly goal for any day.
  let month = 0;
  const goal = (targets: string, goalsMet = 0) =>
    one(db.owner, 
      `insert into app_public.performance_goals (agent_email, goal_period, period_start_date, period_end_date, created_by ${targets ? "," + targets.split("=")[0] : ""}, goals_met)
       values ($1, 'monthly', (date '2026-11-01' + make_interval(months => $3::int))::date,
               (date '2026-11-01' + make_interval(months => $3::int + 1))::date - 1, '${BOSS}' ${targets ? "," + targets.split("=")[1] : ""}, $2)
       returning total_goals, achievement_percentage::text`,
      [AGENT, goalsMet, month++],
    );
  it("a goal with no targets has total_goals 0 and achievement NULL", async () => {
    expect(await goal("")).toEqual({ total_goals: 0, achievement_percentage: null });
  });
  it("2 of 3 set targets met is 66.67 (only set targets count, not the PRD's fixed 6)", async () => {
    expect(await goal("calls_per_day_target, quality_score_target, first_call_resolution_target=40, 85, 70", 2)).toEqual({
      total_goals: 3,
      achievement_percentage: "66.67",
    });
  });
  it("goals_met cannot exceed the targets set", async () => {
    expect(await fails(
      `insert into app_public.performance_goals (agent_email, goal_period, period_start_date, period_end_date, created_by, calls_per_day_target, goals_met)
       values ($1, 'daily', '2026-11-02', '2026-11-02', '${BOSS}', 30, 2)`, [AGENT])).toBe("23514");
  });
});

describe("QA percentage_score (PRD: unscored categories count as 0 of 5; a generated column used another)", () => {
  const review = (scores: Record<string, number>, status = "draft") => {
    const cols = Object.keys(scores);
    return one(db.owner, 
      `insert into app_public.quality_assurance_reviews (agent_email, reviewer_email, reviewer_name, review_type, review_status ${cols.map((c) => "," + c).join("")})
       values ($1, '${BOSS}', 'Boss', 'random', $2 ${cols.map((_, i) => `, $${i + 3}`).join("")})
       returning total_score, percentage_score::text`,
      [AGENT, status, ...Object.values(scores)],
    );
  };
  it("two categories scored 4 and 5 are 9 of 10: 90.00 (the PRD would say 22.50)", async () => {
    expect(await review({ greeting_professionalism: 4, empathy_patience: 5 })).toEqual({ total_score: 9, percentage_score: "90.00" });
  });
  it("all eight scored 5 is 100.00", async () => {
    const all = Object.fromEntries(["greeting_professionalism", "active_listening", "problem_resolution", "product_knowledge",
      "communication_clarity", "empathy_patience", "call_control", "closing_effectiveness"].map((c) => [c, 5]));
    expect(await review(all)).toEqual({ total_score: 40, percentage_score: "100.00" });
  });
  it("nothing scored is NULL, and such a review cannot be completed", async () => {
    expect(await review({})).toEqual({ total_score: 0, percentage_score: null });
    expect(await fails(`insert into app_public.quality_assurance_reviews (agent_email, reviewer_email, reviewer_name, review_type, review_status)
      values ($1, '${BOSS}', 'Boss', 'random', 'completed')`, [AGENT])).toBe("23514");
  });
  it("a score outside 1–5 is refused", async () => {
    expect(await fails(`insert into app_public.quality_assurance_reviews (agent_email, reviewer_email, reviewer_name, review_type, call_control)
      values ($1, '${BOSS}', 'Boss', 'random', 6)`, [AGENT])).toBe("23514");
  });
});

describe("campaigns", () => {
  const campaign = (completed: number, successful: number, agents: string[] = []) =>
    one(db.owner, `insert into app_public.call_campaigns (campaign_name, campaign_type, start_date, end_date, target_audience, created_by, calls_attempted, calls_completed, successful_outcomes, assigned_agents)
         values ('C', 'retention', '2026-11-01', '2026-11-30', 'Lapsed patients', '${BOSS}', $1, $1, $2, $3) returning conversion_rate::text`,
      [completed, successful, agents]);
  it("conversion is successful / completed: 3 of 8 is 37.50; none completed is NULL", async () => {
    expect((await campaign(8, 3)).conversion_rate).toBe("37.50");
    expect((await campaign(0, 0)).conversion_rate).toBeNull();
  });
  it("assigned agents must be users (an array cannot carry a foreign key: a trigger checks it)", async () => {
    expect((await campaign(0, 0, [AGENT])).conversion_rate).toBeNull();
    expect(await fails(`insert into app_public.call_campaigns (campaign_name, campaign_type, start_date, end_date, target_audience, created_by, assigned_agents)
      values ('C', 'retention', '2026-11-01', '2026-11-30', 'x', '${BOSS}', '{ghost@gangerdermatology.com}')`)).toBe("CC101");
  });
});

describe("calls: statuses, links and timestamps in order", () => {
  let n = 0;
  const call = (fields: Record<string, unknown>) => {
    const base: Record<string, unknown> = { call_id: `c${n++}`, call_direction: "inbound", call_start_time: "2026-11-02T14:00:00Z", call_status: "missed", ...fields };
    const cols = Object.keys(base);
    return fails(`insert into app_public.call_center_records (${cols.join(",")}) values (${cols.map((_, i) => `$${i + 1}`).join(",")})`, Object.values(base));
  };
  it("accepts a well-formed answered call, and an internal one", async () => {
    expect(await call({ call_status: "completed", call_answer_time: "2026-11-02T14:00:20Z", call_end_time: "2026-11-02T14:05:00Z" })).toBeNull();
    expect(await call({ call_direction: "internal" })).toBeNull();
  });
  it("computes ring and talk durations from the agent's answer", async () => {
    const row = await one(db.owner, `insert into app_public.call_center_records (call_id, call_direction, call_start_time, call_answer_time, call_end_time, call_status)
      values ('dur', 'inbound', '2026-11-02T14:00:00Z', '2026-11-02T14:00:25Z', '2026-11-02T14:04:25Z', 'completed') returning ring_duration_seconds, talk_duration_seconds`);
    expect(row).toEqual({ ring_duration_seconds: 25, talk_duration_seconds: 240 });
  });
  it.each([
    ["an end before the start", { call_end_time: "2026-11-02T13:59:00Z" }],
    ["an answer before the start", { call_status: "completed", call_answer_time: "2026-11-02T13:59:00Z" }],
    ["an answer after the end", { call_status: "completed", call_answer_time: "2026-11-02T14:10:00Z", call_end_time: "2026-11-02T14:05:00Z" }],
    ["a completed call never answered", { call_status: "completed" }],
    ["an abandoned call that was answered", { call_status: "abandoned", call_answer_time: "2026-11-02T14:00:10Z" }],
    ["an unknown status", { call_status: "dropped" }],
    ["an unknown direction", { call_direction: "sideways" }],
    ["an unknown call type", { call_type: "gossip" }],
    ["an unknown outcome", { call_outcome: "shrug" }],
    ["an unknown priority", { call_priority: "meh" }],
    ["a satisfaction score of 6", { customer_satisfaction_score: 6 }],
    ["a negative hold time", { hold_time_seconds: -1 }],
    ["a negative wait", { wait_seconds: -5 }],
  ])("refuses %s", async (_name, fields) => {
    expect(await call(fields)).toBe("23514");
  });
  it.each([
    ["an unknown location", { location: "Atlantis" }],
    ["an unknown queue", { queue_name: "Nowhere" }],
    ["an agent who is not a user", { agent_email: "ghost@gangerdermatology.com" }],
    ["a campaign that does not exist", { campaign_id: "00000000-0000-0000-0000-000000000000" }],
  ])("refuses %s (foreign key)", async (_name, fields) => {
    expect(await call(fields)).toBe("23503");
  });
  it("refuses a second call with the same 3CX call id", async () => {
    expect(await call({ call_id: "same" })).toBeNull();
    expect(await call({ call_id: "same" })).toBe("23505");
  });
});

describe("other rules", () => {
  it("a shift cannot end before it starts", async () => {
    expect(await fails(`insert into app_public.agent_shifts (agent_email, agent_name, location, shift_date, scheduled_start_time, scheduled_end_time, actual_start_time, actual_end_time)
      values ($1, 'A', 'Ann Arbor', '2026-03-01', '08:00', '16:00', '2026-03-01T13:00:00Z', '2026-03-01T12:00:00Z')`, [AGENT])).toBe("23514");
  });
  it("a shift scheduled past midnight (end before start) is allowed", async () => {
    expect(await fails(`insert into app_public.agent_shifts (agent_email, agent_name, location, shift_date, scheduled_start_time, scheduled_end_time)
      values ($1, 'A', 'Ann Arbor', '2026-03-02', '22:00', '06:00')`, [AGENT])).toBeNull();
  });
  it("a goal period cannot end before it starts", async () => {
    expect(await fails(`insert into app_public.performance_goals (agent_email, goal_period, period_start_date, period_end_date, created_by)
      values ($1, 'weekly', '2026-11-08', '2026-11-02', '${BOSS}')`, [AGENT])).toBe("23514");
  });
  it("queue KPI settings have the documented defaults and bounds", async () => {
    await db.owner.query(`insert into app_public.queues (name) values ('Front')`);
    expect(await one(db.owner, `insert into app_public.queue_kpi_settings (queue_name) values ('Front') returning sl_threshold_seconds, sl_goal_pct::text, short_abandon_seconds, abandon_mode, fcr_window::text`))
      .toEqual({ sl_threshold_seconds: 20, sl_goal_pct: "80.00", short_abandon_seconds: 5, abandon_mode: "negative", fcr_window: "7 days" });
    expect(await fails(`update app_public.queue_kpi_settings set abandon_mode = 'sometimes'`)).toBe("23514");
  });
  it("keeps updated_at current on change", async () => {
    const before = await one(db.owner, `select updated_at from app_public.locations where name = 'Wixom'`);
    await db.owner.query(`update app_public.locations set phone = '248-555-0100' where name = 'Wixom'`);
    const after = await one(db.owner, `select updated_at from app_public.locations where name = 'Wixom'`);
    expect(after.updated_at.getTime()).toBeGreaterThan(before.updated_at.getTime());
  });
});
