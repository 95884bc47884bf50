/**
 * Erlang C staffing, as the definitions page states it: the functions against
 * the page's factorial formula computed here independently, the textbook case
 * (10 erlangs, 180 s AHT, 80 % in 20 s needs 14 agents), and a day's forecast
 * from four weeks of history worked out by hand.
 */
import { runJobs } from "../helpers/jobs.js";
import { asUser, createTestDatabase, type TestDatabase } from "../helpers/db.js";
import { createCast, type Cast } from "../helpers/users.js";
import { one } from "../helpers/query.js";
import { talk } from "../helpers/calls.js";

let db: TestDatabase;
let cast: Cast;
const work = () => runJobs(db);

/** P_wait exactly as the definitions page writes it: (A^N/N! · N/(N−A)) / (Σ_{k<N} A^k/k! + A^N/N! · N/(N−A)). */
function pWaitByTheBook(a: number, n: number): number {
  let term = 1; // A^k / k!
  let sum = 0;
  for (let k = 0; k < n; k++) {
    sum += term;
    term = (term * a) / (k + 1);
  }
  const top = term * (n / (n - a));
  return top / (sum + top);
}

beforeAll(async () => {
  db = await createTestDatabase();
  cast = await createCast(db.owner);
});
afterAll(async () => db.drop());

describe("Erlang C functions", () => {
  it.each([[0.4, 1], [0.4, 2], [2.5, 3], [10, 11], [10, 14], [42.7, 50]])("P_wait for A = %f, N = %i matches the factorial form", async (a, n) => {
    const { p } = await one(db.owner, `select app_hidden.erlang_c_wait_probability($1, $2) as p`, [a, n]);
    expect(p).toBeCloseTo(pWaitByTheBook(a, n), 10);
  });
  it("the textbook case: 10 erlangs, AHT 180 s, 80 % within 20 s needs 14 agents", async () => {
    // P_wait(13) = 0.2853: SL = 1 − 0.2853·e^(−3·20/180) = 1 − 0.2853 × 0.7165 = 79.6 % (short of 80);
    // P_wait(14) = 0.1741: SL = 1 − 0.1741·e^(−4·20/180) = 1 − 0.1741 × 0.6412 = 88.8 %.
    const r = await one(db.owner, `select app_hidden.erlang_c_required_agents(10, 180, 20, 80) as n,
      round(app_hidden.erlang_c_wait_probability(10, 13)::numeric, 4) as p13, round(app_hidden.erlang_c_wait_probability(10, 14)::numeric, 4) as p14,
      round(100 * app_hidden.erlang_c_service_level(10, 13, 20, 180)::numeric, 1) as sl13, round(100 * app_hidden.erlang_c_service_level(10, 14, 20, 180)::numeric, 1) as sl14`);
    expect(r).toEqual({ n: 14, p13: "0.2853", p14: "0.1741", sl13: "79.6", sl14: "88.8" });
  });
  it("no traffic needs nobody; as many agents as erlangs never keeps up (every caller waits, service level 0)", async () => {
    expect(await one(db.owner, `select app_hidden.erlang_c_required_agents(0, 180, 20, 80) as n, app_hidden.erlang_c_wait_probability(3, 3) as p,
      app_hidden.erlang_c_service_level(3, 3, 20, 180) as sl`)).toEqual({ n: 0, p: 1, sl: 0 });
  });
});

describe("a day's staffing forecast", () => {
  beforeAll(async () => {
    await db.owner.query(`insert into app_public.queues (name, extension, location_name) values ('Front', '800', 'Ann Arbor'), ('Wixom desk', '810', 'Wixom')`);
    await db.owner.query(`insert into app_public.agents (extension, user_email, location_name) values ('101', $1, 'Ann Arbor')`, [cast.agentAA.email]);
    // The four Tuesdays before 7 April 2026 (EDT): two calls each at 10:00 local, answered at once, 180 s of talk.
    const calls = ["2026-03-10", "2026-03-17", "2026-03-24", "2026-03-31"].flatMap((day, w) => [0, 1].map((i) => {
      const start = new Date(`${day}T14:0${i * 5}:00Z`);
      const end = new Date(start.getTime() + 180_000);
      return talk(`H${w}${i}`, "101", start.toISOString(), start.toISOString(), end.toISOString(), { caller: `+173455501${w}${i}` });
    }));
    await db.owner.query("select app_private.ingest_calls($1::jsonb)", [JSON.stringify(calls)]);
    // One agent scheduled 10:00–11:00 at Ann Arbor on the day.
    await db.owner.query(`insert into app_public.agent_shifts (agent_email, agent_name, location, shift_date, scheduled_start_time, scheduled_end_time)
      values ($1, 'Agent', 'Ann Arbor', '2026-04-07', '10:00', '11:00')`, [cast.agentAA.email]);
    await work();
  });
  const forecast = (who: keyof Cast, queue: string | null = "Front") =>
    asUser(db.authenticator, cast[who], async (c) =>
      (await c.query(`select queue, interval_start, offered_in_history::int, forecast_offered::float, answered_in_history::int, aht_seconds::float, traffic_erlangs::float,
          required_agents, required_service_level_pct::float, scheduled_agents, scheduled_service_level_pct::float, staffing_gap
        from app_public.staffing_forecast('2026-04-07', $1)`, [queue])).rows);

  it("forecasts 8 / 4 = 2 calls at 10:00, AHT 180 s: A = 2 / 900 × 180 = 0.4 erlangs, 2 agents for 80 % in 20 s (94.42 %), 1 scheduled (62.58 %)", async () => {
    // N = 1: P_wait = A = 0.4, SL = 1 − 0.4·e^(−0.6·20/180) = 0.6258; N = 2: P_wait = 0.0667, SL = 1 − 0.0667·e^(−1.6·20/180) = 0.9442.
    const rows = await forecast("manager");
    expect(rows).toHaveLength(96);
    const ten = rows.find((r) => r.interval_start.toISOString() === "2026-04-07T14:00:00.000Z");
    expect(ten).toMatchObject({
      offered_in_history: 8, forecast_offered: 2, answered_in_history: 8, aht_seconds: 180, traffic_erlangs: 0.4,
      required_agents: 2, required_service_level_pct: 94.42, scheduled_agents: 1, scheduled_service_level_pct: 62.58, staffing_gap: -1,
    });
  });
  it("an interval with no history needs nobody; the scheduled agent is a surplus there", async () => {
    const rows = await forecast("manager");
    expect(rows.find((r) => r.interval_start.toISOString() === "2026-04-07T14:30:00.000Z")).toMatchObject({
      forecast_offered: 0, traffic_erlangs: 0, required_agents: 0, scheduled_agents: 1, staffing_gap: 1,
    });
    expect(rows.find((r) => r.interval_start.toISOString() === "2026-04-07T15:00:00.000Z")).toMatchObject({ scheduled_agents: 0, staffing_gap: 0 });
  });
  it("follows the queue's service-level goal: with 60 %, 1 agent (62.58 %) is enough", async () => {
    await db.owner.query(`insert into app_public.queue_kpi_settings (queue_name, sl_goal_pct) values ('Front', 60)`);
    const ten = (await forecast("manager")).find((r) => r.interval_start.toISOString() === "2026-04-07T14:00:00.000Z");
    expect(ten).toMatchObject({ required_agents: 1, staffing_gap: 0 });
    await db.owner.query(`delete from app_public.queue_kpi_settings where queue_name = 'Front'`);
  });
  it("has the queues' row rules: a supervisor sees their location's queues, an agent none", async () => {
    const queues = async (who: keyof Cast) => [...new Set((await forecast(who, null)).map((r) => r.queue))];
    expect(await queues("supervisorAA")).toEqual(["Front"]);
    expect(await queues("manager")).toEqual(["Front", "Wixom desk"]);
    expect(await queues("agentAA")).toEqual([]);
  });
  it("a queue without answered calls has no AHT, so no staffing figure rather than a made-up one", async () => {
    const rows = await forecast("manager", "Wixom desk");
    expect(rows[0]).toMatchObject({ aht_seconds: null, required_agents: null, scheduled_service_level_pct: null });
  });
});
