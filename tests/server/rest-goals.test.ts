/**
 * Goals through the REST door and GraphQL (issue 18): POST /api/goals/set,
 * PUT /api/goals/{id}/update, GET /api/goals/achievement,
 * POST /api/goals/team-goals. Each path: a REST and a GraphQL call, a refused
 * role, and bad input (an unknown agent, an overlapping goal, an illegal
 * status move) answered with its status and nothing changed.
 */
import { runJobs } from "../helpers/jobs.js";
import { createTestDatabase, type TestDatabase } from "../helpers/db.js";
import { createCast, createUser, type Cast } from "../helpers/users.js";
import { signToken, startTestServer, type TestServer } from "../helpers/server.js";
import { talk } from "../helpers/calls.js";
import { restClient, type RestClient } from "../helpers/rest.js";
import { numberOf, rows } from "../helpers/query.js";
import type { Session } from "../../server/auth.js";

let db: TestDatabase;
let server: TestServer;
let cast: Cast;
let rest: RestClient;
/** A second agent at Ann Arbor (extension 102), so a team goal has a team. */
let agent2: Session;

const minute = (at: string, m: number) => new Date(Date.parse(at) + m * 60_000).toISOString();
/** An inbound call the agent answered, a minute long. */
const answered = (id: string, agent: string, at: string) => talk(id, agent, at, minute(at, 0.1), minute(at, 1.1));

beforeAll(async () => {
  db = await createTestDatabase();
  cast = await createCast(db.owner);
  agent2 = await createUser(db.owner, { email: "agent2.aa@gangerdermatology.com", role: "call_center_agent", locations: ["Ann Arbor"] });
  await db.owner.query(`insert into app_public.queues (name, extension, location_name) values ('AA Front', '800', 'Ann Arbor')`);
  await db.owner.query(`insert into app_public.agents (extension, user_email, location_name) values ('101', $1, 'Ann Arbor'), ('102', $2, 'Ann Arbor'), ('201', $3, 'Wixom')`, [
    cast.agentAA.email, agent2.email, cast.agentWX.email,
  ]);
  // agentAA handles two calls on 10 March, one on 11 March.
  await db.owner.query("select app_private.ingest_calls($1::jsonb)", [
    JSON.stringify([answered("G1", "101", "2026-03-10T14:00:00Z"), answered("G2", "101", "2026-03-10T15:00:00Z"), answered("G3", "101", "2026-03-11T15:00:00Z")]),
  ]);
  await runJobs(db);
  server = await startTestServer(db.authenticatorUrl);
  rest = await restClient(server);
});
afterAll(async () => {
  await server.close();
  await db.drop();
});

const token = (who: keyof Cast | Session) => signToken({ email: typeof who === "string" ? cast[who].email : who.email });
const send = async (method: "get" | "post" | "put", path: string, who: keyof Cast | Session, body?: unknown) => rest.send(method, path, await token(who), body);
const graphql = async (query: string, who: keyof Cast | Session, variables?: Record<string, unknown>) => (await server.graphql(query, await token(who), variables)).body;
const goalCount = () => numberOf(db.owner, "select count(*) from app_public.performance_goals");
const goalRow = async (id: string) => (await rows(db.owner, "select goal_status, calls_per_day_target, talk_time_percentage_target::text from app_public.performance_goals where id = $1", [id]))[0];

let marchGoal: string;

describe("POST /api/goals/set", () => {
  it("sets a goal for an agent of the supervisor's location: 201, the PRD's names, the period's end, the history's first line", async () => {
    const res = await send("post", "/api/goals/set", "supervisorAA", {
      agent: cast.agentAA.email, goal_period: "monthly", period_start_date: "2026-03-01", calls_per_day_target: 2, talk_time_percentage_target: 40,
      coaching_focus: "Confirm the next step before closing.", reason: "Spring targets",
    });
    expect(res.status).toBe(201);
    const g = res.body;
    marchGoal = g.id;
    expect(g).toMatchObject({
      agent_email: cast.agentAA.email, goal_period: "monthly", period_start_date: "2026-03-01", period_end_date: "2026-03-31",
      calls_per_day_target: 2, talk_time_percentage_target: "40.00", total_goals: 2, goal_status: "active", created_by: cast.supervisorAA.email,
      team_goal_id: null,
    });
    expect(g.history.nodes).toEqual([
      expect.objectContaining({ change: "set", changed_by: cast.supervisorAA.email, old_goal_status: null, new_goal_status: "active", reason: "Spring targets",
        new_values: expect.objectContaining({ calls_per_day_target: 2, talk_time_percentage_target: 40, period_end_date: "2026-03-31" }) }),
    ]);
  });

  it("does the same through GraphQL's setGoal, the agent named by extension", async () => {
    const body = await graphql(`mutation { setGoal(input: { agent: "101", goalPeriod: "weekly", periodStartDate: "2026-03-09", qualityScoreTarget: "85" }) {
      result { agentEmail periodEndDate qualityScoreTarget totalGoals performanceGoalChangesByGoalId { nodes { change changedBy } } } } }`, "manager");
    expect(body.errors).toBeUndefined();
    expect(body.data).toEqual({ setGoal: { result: {
      agentEmail: cast.agentAA.email, periodEndDate: "2026-03-15", qualityScoreTarget: "85.00", totalGoals: 1,
      performanceGoalChangesByGoalId: { nodes: [{ change: "set", changedBy: cast.manager.email }] },
    } } });
  });

  it("refuses an agent (manageGoals) with 403, in both doors, and sets nothing", async () => {
    const before = await goalCount();
    const res = await send("post", "/api/goals/set", "agentAA", { agent: cast.agentAA.email, goal_period: "daily", period_start_date: "2026-04-01", calls_per_day_target: 1 });
    expect([res.status, res.body.error.code]).toEqual([403, "FORBIDDEN"]);
    const body = await graphql(`mutation { setGoal(input: { agent: "101", goalPeriod: "daily", periodStartDate: "2026-04-01", callsPerDayTarget: 1 }) { result { rowId } } }`, "agentAA");
    expect(body.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    expect(await goalCount()).toBe(before);
  });

  it.each([
    ["an overlapping active goal of the same period", { agent: "agent.aa@gangerdermatology.com", goal_period: "monthly", period_start_date: "2026-03-15", period_end_date: "2026-04-14", calls_per_day_target: 3 }, 409, "CC901", "period_start_date"],
    ["an agent that does not exist", { agent: "nobody@gangerdermatology.com", goal_period: "daily", period_start_date: "2026-04-01", calls_per_day_target: 1 }, 400, "CC904", "agent"],
    ["an agent of another location", { agent: "agent.wx@gangerdermatology.com", goal_period: "daily", period_start_date: "2026-04-01", calls_per_day_target: 1 }, 400, "CC904", "agent"],
    ["no target", { agent: "101", goal_period: "daily", period_start_date: "2026-04-01" }, 400, "CC905", "targets"],
    ["a target out of range", { agent: "101", goal_period: "daily", period_start_date: "2026-04-01", talk_time_percentage_target: 150 }, 400, "CHECK_VIOLATION", "talk_time_percentage_target"],
    ["a period that ends before it starts", { agent: "101", goal_period: "weekly", period_start_date: "2026-04-08", period_end_date: "2026-04-01", calls_per_day_target: 1 }, 400, "CHECK_VIOLATION", "period_end_date"],
    ["a period that is not one", { agent: "101", goal_period: "yearly", period_start_date: "2026-04-01", calls_per_day_target: 1 }, 400, "INVALID_INPUT", "goal_period"],
  ])("answers %s with its status and code naming the field, and sets nothing", async (_what, body, status, code, field) => {
    const before = await goalCount();
    const res = await send("post", "/api/goals/set", "supervisorAA", body);
    expect([res.status, res.body.error?.code, res.body.error?.field]).toEqual([status, code, field]);
    expect(await goalCount()).toBe(before);
  });

  it("refuses the overlap in GraphQL too (CC901), and a goal of another period on the same days is fine", async () => {
    const overlap = await graphql(`mutation { setGoal(input: { agent: "101", goalPeriod: "monthly", periodStartDate: "2026-02-15", callsPerDayTarget: 1 }) { result { rowId } } }`, "manager");
    expect(overlap.errors?.[0]?.extensions?.code).toBe("CC901");
    const daily = await send("post", "/api/goals/set", "supervisorAA", { agent: "101", goal_period: "daily", period_start_date: "2026-03-10", calls_per_day_target: 2 });
    expect([daily.status, daily.body.period_end_date]).toEqual([201, "2026-03-10"]);
  });
});

describe("PUT /api/goals/{id}/update", () => {
  it("changes targets and pauses the goal, keeping both in the history with the reason", async () => {
    const res = await send("put", `/api/goals/${marchGoal}/update`, "supervisorAA", { calls_per_day_target: 3, goal_status: "paused", reason: "Short-staffed week" });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: marchGoal, calls_per_day_target: 3, talk_time_percentage_target: "40.00", goal_status: "paused", reviewed_by: cast.supervisorAA.email });
    expect(res.body.history.nodes.map((n: Record<string, unknown>) => [n.change, n.old_goal_status, n.new_goal_status, n.old_values, n.new_values, n.reason])).toEqual([
      ["set", null, "active", expect.any(Object), expect.any(Object), "Spring targets"],
      ["update", "active", "paused", { calls_per_day_target: 2 }, { calls_per_day_target: 3 }, "Short-staffed week"],
    ]);
  });

  it("resumes and completes it through GraphQL's updateGoal; a completed goal is final (409 CC902, nothing changed)", async () => {
    for (const status of ["active", "completed"]) {
      const body = await graphql(`mutation($id: UUID!, $s: String!) { updateGoal(input: { goalId: $id, goalStatus: $s }) { result { goalStatus } } }`, "manager", { id: marchGoal, s: status });
      expect(body.data).toEqual({ updateGoal: { result: { goalStatus: status } } });
    }
    const res = await send("put", `/api/goals/${marchGoal}/update`, "supervisorAA", { goal_status: "active" });
    expect([res.status, res.body.error.code, res.body.error.field]).toEqual([409, "CC902", "goal_status"]);
    const body = await graphql(`mutation($id: UUID!) { updateGoal(input: { goalId: $id, goalStatus: "paused" }) { result { goalStatus } } }`, "manager", { id: marchGoal });
    expect(body.errors?.[0]?.extensions?.code).toBe("CC902");
    expect(await goalRow(marchGoal)).toEqual({ goal_status: "completed", calls_per_day_target: 3, talk_time_percentage_target: "40.00" });
  });

  it("refuses resuming a paused goal that would overlap an active one (409 CC901)", async () => {
    const april = await send("post", "/api/goals/set", "manager", { agent: "101", goal_period: "monthly", period_start_date: "2026-04-01", calls_per_day_target: 2 });
    await send("put", `/api/goals/${april.body.id}/update`, "manager", { goal_status: "paused" });
    const replacement = await send("post", "/api/goals/set", "manager", { agent: "101", goal_period: "monthly", period_start_date: "2026-04-01", calls_per_day_target: 3 });
    expect(replacement.status).toBe(201);
    const res = await send("put", `/api/goals/${april.body.id}/update`, "manager", { goal_status: "active" });
    expect([res.status, res.body.error.code]).toEqual([409, "CC901"]);
    expect((await goalRow(april.body.id)).goal_status).toBe("paused");
  });

  it("refuses an agent with 403 and answers 404 for a goal the supervisor may not see or that does not exist; nothing changes", async () => {
    const agent = await send("put", `/api/goals/${marchGoal}/update`, "agentAA", { calls_per_day_target: 1 });
    expect([agent.status, agent.body.error.code]).toEqual([403, "FORBIDDEN"]);
    const other = await send("put", `/api/goals/${marchGoal}/update`, "supervisorWX", { calls_per_day_target: 1 });
    expect([other.status, other.body.error.code, other.body.error.field]).toEqual([404, "NOT_FOUND", "id"]);
    const none = await send("put", "/api/goals/00000000-0000-4000-8000-000000000000/update", "manager", { calls_per_day_target: 1 });
    expect(none.status).toBe(404);
    const body = await graphql(`mutation { updateGoal(input: { goalId: "00000000-0000-4000-8000-000000000000", callsPerDayTarget: 1 }) { result { rowId } } }`, "manager");
    expect(body.errors?.[0]?.extensions?.code).toBe("CC903");
    expect((await goalRow(marchGoal)).calls_per_day_target).toBe(3);
  });

  it.each([
    ["nothing to change", {}, "CC908", undefined],
    ["a status that is not one", { goal_status: "done" }, "INVALID_INPUT", "goal_status"],
    ["an id that is not one", null, "INVALID_INPUT", "id"],
  ])("answers %s with 400", async (_what, body, code, field) => {
    const res = await send("put", body ? `/api/goals/${marchGoal}/update` : "/api/goals/42/update", "manager", body ?? { calls_per_day_target: 1 });
    expect([res.status, res.body.error.code, res.body.error.field]).toEqual([400, code, field]);
  });
});

describe("GET /api/goals/achievement", () => {
  it("measures each goal over the days of the range inside its period, from the KPI engine, in the PRD's names", async () => {
    // 10 March: agentAA handled 2 calls on the one day worked (2.00 a day); no shift, so no talk time % (a target without an actual is not met).
    const res = await send("get", `/api/goals/achievement?from=2026-03-10&to=2026-03-10&agent=${cast.agentAA.email}`, "supervisorAA");
    expect(res.status).toBe(200);
    const byPeriod = Object.fromEntries(res.body.data.map((r: Record<string, unknown>) => [r.goal_period, r]));
    expect(byPeriod.monthly).toMatchObject({
      goal_id: marchGoal, from_day: "2026-03-10", to_day: "2026-03-10", calls_per_day_target: 3, calls_per_day_actual: "2.00",
      talk_time_percentage_target: "40.00", talk_time_percentage_actual: null, goals_met: 0, total_goals: 2, achievement_percentage: "0.00", all_met: false,
    });
    expect(byPeriod.daily).toMatchObject({ calls_per_day_target: 2, calls_per_day_actual: "2.00", goals_met: 1, total_goals: 1, achievement_percentage: "100.00", all_met: true });
    // Over 10–11 March the monthly goal counts 3 calls on 2 days: 1.50 a day.
    const two = await send("get", `/api/goals/achievement?from=2026-03-10&to=2026-03-11&agent=101`, "manager");
    expect(two.body.data.find((r: Record<string, unknown>) => r.goal_id === marchGoal)).toMatchObject({ from_day: "2026-03-10", to_day: "2026-03-11", calls_per_day_actual: "1.50" });
    const body = await graphql(`{ goalAchievement(fromDay: "2026-03-10", toDay: "2026-03-11", agent: "101") { nodes { goalId callsPerDayActual achievementPct } } }`, "manager");
    expect((body.data!.goalAchievement as { nodes: unknown[] }).nodes).toContainEqual({ goalId: marchGoal, callsPerDayActual: "1.50", achievementPct: "0.00" });
  });

  it("shows each person the goals they may see: the agent their own, another location's supervisor none of them", async () => {
    const own = await send("get", "/api/goals/achievement?from=2026-03-01&to=2026-03-31", "agentAA");
    expect(own.body.data.length).toBeGreaterThan(0);
    expect(new Set(own.body.data.map((r: Record<string, unknown>) => r.agent_email))).toEqual(new Set([cast.agentAA.email]));
    const other = await send("get", "/api/goals/achievement?from=2026-03-01&to=2026-03-31", "supervisorWX");
    expect(other.body.data).toEqual([]);
  });

  it("refuses a location's goals to an agent (viewTeamPerformance) with 403, in both doors", async () => {
    const res = await send("get", "/api/goals/achievement?from=2026-03-01&to=2026-03-31&location=Ann%20Arbor", "agentAA");
    expect([res.status, res.body.error.code]).toEqual([403, "FORBIDDEN"]);
    const body = await graphql(`{ goalAchievement(fromDay: "2026-03-01", toDay: "2026-03-31", location: "Ann Arbor") { nodes { goalId } } }`, "agentAA");
    expect(body.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
  });

  it.each([
    ["an unknown agent", "from=2026-03-01&to=2026-03-31&agent=nobody@gangerdermatology.com", 404, "NOT_FOUND", "agent"],
    ["an unknown location", "from=2026-03-01&to=2026-03-31&location=Detroit", 400, "CC715", "location"],
    ["no range", "agent=101", 400, "INVALID_INPUT", "from"],
    ["a reversed range", "from=2026-03-31&to=2026-03-01", 400, "CC712", "to"],
  ])("answers %s with its status and code", async (_what, query, status, code, field) => {
    const res = await send("get", `/api/goals/achievement?${query}`, "manager");
    expect([res.status, res.body.error?.code, res.body.error?.field]).toEqual([status, code, field]);
  });
});

describe("POST /api/goals/team-goals", () => {
  it("sets one linked goal per active agent of the location, in one call", async () => {
    const res = await send("post", "/api/goals/team-goals", "supervisorAA", {
      location: "Ann Arbor", goal_period: "daily", period_start_date: "2026-03-11", calls_per_day_target: 1, reason: "Team day",
    });
    expect(res.status).toBe(201);
    expect(res.body.data.map((g: Record<string, unknown>) => g.agent_email).sort()).toEqual([agent2.email, cast.agentAA.email].sort());
    const teams = new Set(res.body.data.map((g: Record<string, unknown>) => g.team_goal_id));
    expect(teams.size).toBe(1);
    expect([...teams][0]).toEqual(expect.any(String));
    expect(res.body.data[0].history.nodes[0]).toMatchObject({ change: "set", reason: "Team day" });
  });

  it("does the same through GraphQL's setTeamGoals (Wixom has one agent)", async () => {
    const body = await graphql(`mutation { setTeamGoals(input: { location: "Wixom", goalPeriod: "weekly", periodStartDate: "2026-03-09", qualityScoreTarget: "80" }) {
      result { agentEmail teamGoalId periodEndDate } } }`, "manager");
    expect(body.errors).toBeUndefined();
    expect((body.data!.setTeamGoals as { result: unknown[] }).result).toEqual([{ agentEmail: cast.agentWX.email, teamGoalId: expect.any(String), periodEndDate: "2026-03-15" }]);
  });

  it("refuses an agent, and another location's supervisor, with 403; nothing is set", async () => {
    const before = await goalCount();
    const agent = await send("post", "/api/goals/team-goals", "agentAA", { location: "Ann Arbor", goal_period: "daily", period_start_date: "2026-03-12", calls_per_day_target: 1 });
    expect([agent.status, agent.body.error.code]).toEqual([403, "FORBIDDEN"]);
    const other = await send("post", "/api/goals/team-goals", "supervisorWX", { location: "Ann Arbor", goal_period: "daily", period_start_date: "2026-03-12", calls_per_day_target: 1 });
    expect([other.status, other.body.error.code]).toEqual([403, "FORBIDDEN"]);
    expect(await goalCount()).toBe(before);
  });

  it.each([
    ["an agent with an overlapping active goal (all or nothing)", { location: "Ann Arbor", goal_period: "daily", period_start_date: "2026-03-11", calls_per_day_target: 2 }, 409, "CC901", "period_start_date"],
    ["a location without active agents", { location: "Plymouth", goal_period: "daily", period_start_date: "2026-03-12", calls_per_day_target: 1 }, 400, "CC906", "location"],
    ["an unknown location", { location: "Detroit", goal_period: "daily", period_start_date: "2026-03-12", calls_per_day_target: 1 }, 400, "CC715", "location"],
    ["no target", { location: "Ann Arbor", goal_period: "daily", period_start_date: "2026-03-12" }, 400, "CC905", "targets"],
  ])("answers %s with its status and code, and sets nothing", async (_what, body, status, code, field) => {
    const before = await goalCount();
    const res = await send("post", "/api/goals/team-goals", "manager", body);
    expect([res.status, res.body.error?.code, res.body.error?.field]).toEqual([status, code, field]);
    expect(await goalCount()).toBe(before);
  });
});
