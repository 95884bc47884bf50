/**
 * First-call resolution of days whose window is still open (issue 14, first
 * attack run: this week's FCR read 0 % for every agent, because only repeats
 * are final yet). fcr_provisional counts the handled inbound calls whose FCR
 * is not final; fcr_pct is NULL while it is above 0, for an agent day, a team
 * day, any range and a goal's actual, and becomes the figure once every call
 * is final. A hand-built fortnight through the real pipeline:
 *
 *   day −10  F1 (number 1)                       resolved, final
 *   day −3   P3 (number 2)                       resolved so far, provisional
 *            R1 (number 3)                       repeated by R2: not resolved, final
 *   day −2   R2 (number 3)                       resolved so far, provisional
 */
import { runJobs } from "../helpers/jobs.js";
import { asUser, createTestDatabase, type TestDatabase } from "../helpers/db.js";
import { createUser } from "../helpers/users.js";
import type { Session } from "../../server/auth.js";
import { signToken, startTestServer } from "../helpers/server.js";
import { one } from "../helpers/query.js";
import { neutralCall, storeRaw } from "../helpers/calls.js";

let db: TestDatabase;
const day: Record<number, string> = {};
const work = () => runJobs(db);

/** An inbound call from `number` into queue 800, answered by 101, a minute long, at `hour`:00 local time `daysAgo` business days back. */
async function send(callId: string, number: string, daysAgo: number, hour: number) {
  const start = new Date((await one(db.owner, `select app_hidden.business_day_start(app_hidden.business_day(now()) - $1::int) + make_interval(hours => $2) as t`, [daysAgo, hour])).t);
  await storeRaw(db.owner, JSON.stringify(neutralCall(callId, number, start)), "application/json");
}
const fcr = async (callId: string) =>
  one(db.owner, "select first_call_resolution as resolved, fcr_final as final from app_public.call_center_records where call_id = $1", [callId]);
const agentDay = (d: number) =>
  one(db.owner, `select fcr_resolved, fcr_final, fcr_provisional, fcr_pct from analytics.agent_daily_kpis where agent_extension = '101' and business_day = $1`, [day[d]]);
const teamDay = (d: number) =>
  one(db.owner, `select fcr_resolved, fcr_final, fcr_provisional, fcr_pct from analytics.team_daily_kpis where location = 'Ann Arbor' and business_day = $1`, [day[d]]);
/** Ranges are the API's functions, read with a person's row rules: as the manager. */
const asManager = (sql: string, params: unknown[]) => asUser(db.authenticator, manager, (c) => one(c, sql, params));
const agentRange = (from: number, to: number) =>
  asManager(`select fcr_resolved, fcr_final, fcr_provisional, fcr_pct from app_public.agent_kpis_for_range($1, $2)`, [day[from], day[to]]);
const teamRange = (from: number, to: number) =>
  asManager(`select fcr_resolved, fcr_final, fcr_provisional, fcr_pct from app_public.team_kpis_for_range($1, $2, 'Ann Arbor')`, [day[from], day[to]]);
let goalId: string;
let manager: Session;

beforeAll(async () => {
  db = await createTestDatabase();
  for (const d of [10, 3, 2]) day[d] = (await one(db.owner, `select (app_hidden.business_day(now()) - $1::int)::text as d`, [d])).d;
  await db.owner.query(`insert into app_public.queues (name, extension, location_name) values ('Front', '800', 'Ann Arbor')`);
  await createUser(db.owner, { email: "a@gangerdermatology.com", role: "call_center_agent", locations: ["Ann Arbor"] });
  manager = await createUser(db.owner, { email: "m@gangerdermatology.com", role: "manager" });
  await db.owner.query(`insert into app_public.agents (extension, user_email, location_name) values ('101', 'a@gangerdermatology.com', 'Ann Arbor')`);
  goalId = (await one(db.owner, `insert into app_public.performance_goals (agent_email, goal_period, period_start_date, period_end_date, created_by, first_call_resolution_target)
                       values ('a@gangerdermatology.com', 'weekly', $1, $2, 'a@gangerdermatology.com', 50) returning id`, [day[10], day[2]])).id;
  await send("F1", "+17345550301", 10, 12);
  await send("P3", "+17345550302", 3, 12);
  await send("R1", "+17345550303", 3, 13);
  await send("R2", "+17345550303", 2, 12);
  await work();
});
afterAll(async () => db.drop());

describe("while windows are open", () => {
  it("the calls: a call two days old is provisional; a repeated call is final, not resolved", async () => {
    expect(await fcr("F1")).toEqual({ resolved: true, final: true });
    expect(await fcr("P3")).toEqual({ resolved: true, final: false });
    expect(await fcr("R1")).toEqual({ resolved: false, final: true });
    expect(await fcr("R2")).toEqual({ resolved: true, final: false });
  });

  it("an agent day with a provisional call has no FCR, only its counts (not the 0 % of the repeat alone)", async () => {
    expect(await agentDay(3)).toEqual({ fcr_resolved: 0, fcr_final: 1, fcr_provisional: 1, fcr_pct: null });
    expect(await agentDay(2)).toEqual({ fcr_resolved: 0, fcr_final: 0, fcr_provisional: 1, fcr_pct: null });
    expect(await agentDay(10)).toEqual({ fcr_resolved: 1, fcr_final: 1, fcr_provisional: 0, fcr_pct: "100.00" });
  });

  it("the stored counts hold the same", async () => {
    expect(await one(db.owner, `select fcr_resolved, fcr_final, fcr_provisional from app_public.agent_daily_stats where agent_extension = '101' and business_day = $1`, [day[3]]))
      .toEqual({ fcr_resolved: 0, fcr_final: 1, fcr_provisional: 1 });
  });

  it("team days: the same rule, for the location and for the practice", async () => {
    expect(await teamDay(3)).toEqual({ fcr_resolved: 0, fcr_final: 1, fcr_provisional: 1, fcr_pct: null });
    expect(await one(db.owner, `select fcr_provisional, first_call_resolution_rate from app_public.team_performance_metrics where location is null and reporting_period = $1`, [day[3]]))
      .toEqual({ fcr_provisional: 1, first_call_resolution_rate: null });
    expect(await teamDay(10)).toEqual({ fcr_resolved: 1, fcr_final: 1, fcr_provisional: 0, fcr_pct: "100.00" });
  });

  it("ranges: NULL while any day of the range is open; a range of final days has its figure", async () => {
    expect(await agentRange(10, 2)).toEqual({ fcr_resolved: 1, fcr_final: 2, fcr_provisional: 2, fcr_pct: null });
    expect(await teamRange(10, 2)).toEqual({ fcr_resolved: 1, fcr_final: 2, fcr_provisional: 2, fcr_pct: null });
    expect(await agentRange(10, 10)).toEqual({ fcr_resolved: 1, fcr_final: 1, fcr_provisional: 0, fcr_pct: "100.00" });
  });

  it("a goal's FCR actual is not met by a final-only share", async () => {
    expect(await one(db.owner, `select first_call_resolution_actual, goals_met from app_public.performance_goals where id = $1`, [goalId]))
      .toEqual({ first_call_resolution_actual: null, goals_met: 0 });
  });

  it("through the API", async () => {
    const server = await startTestServer(db.authenticatorUrl);
    try {
      const res = await server.graphql(
        `query($from: Date!, $to: Date!) {
           day: allAgentDailyKpis(condition: { agentExtension: "101", businessDay: $to }) { nodes { fcrResolved fcrFinal fcrProvisional fcrPct } }
           range: agentKpisForRange(fromDay: $from, toDay: $to) { nodes { fcrResolved fcrFinal fcrProvisional fcrPct } }
           team: teamKpisForRange(fromDay: $from, toDay: $to, location: "Ann Arbor") { nodes { fcrProvisional fcrPct } } }`,
        await signToken({ email: manager.email }), { from: day[10], to: day[3] });
      expect(res.body).toEqual({ data: {
        day: { nodes: [{ fcrResolved: 0, fcrFinal: 1, fcrProvisional: 1, fcrPct: null }] },
        range: { nodes: [{ fcrResolved: 1, fcrFinal: 2, fcrProvisional: 1, fcrPct: null }] },
        team: { nodes: [{ fcrProvisional: 1, fcrPct: null }] },
      } });
    } finally {
      await server.close();
    }
  });
});

describe("once the windows close", () => {
  beforeAll(async () => {
    // A one-day window: every call above is two days old or more, so the scheduled job makes them final.
    await db.owner.query(`insert into app_public.queue_kpi_settings (queue_name, fcr_window) values ('Front', '1 day')`);
    await db.owner.query(`select app_private.add_job('kpi__finalize_fcr')`);
    await work();
  });

  it("every call is final, and the days, ranges, teams and goal have their FCR", async () => {
    expect(await fcr("P3")).toEqual({ resolved: true, final: true });
    expect(await fcr("R2")).toEqual({ resolved: true, final: true });
    expect(await agentDay(3)).toEqual({ fcr_resolved: 1, fcr_final: 2, fcr_provisional: 0, fcr_pct: "50.00" });
    expect(await agentDay(2)).toEqual({ fcr_resolved: 1, fcr_final: 1, fcr_provisional: 0, fcr_pct: "100.00" });
    expect(await teamDay(3)).toEqual({ fcr_resolved: 1, fcr_final: 2, fcr_provisional: 0, fcr_pct: "50.00" });
    expect(await agentRange(10, 2)).toEqual({ fcr_resolved: 3, fcr_final: 4, fcr_provisional: 0, fcr_pct: "75.00" });
    expect(await teamRange(10, 2)).toEqual({ fcr_resolved: 3, fcr_final: 4, fcr_provisional: 0, fcr_pct: "75.00" });
    expect(await one(db.owner, `select first_call_resolution_actual, goals_met from app_public.performance_goals where id = $1`, [goalId]))
      .toEqual({ first_call_resolution_actual: "75.00", goals_met: 1 });
  });
});
