/**
 * The workforce day as one scenario, through the REST door and the worker:
 * a supervisor uploads the day's schedule (CSV), one agent clocks in late and
 * one early (on time), a third is marked absent, calls arrive and are
 * answered, both clock out; then the day's coverage against the Erlang C
 * requirement, each agent's lateness and adherence, and the team row are
 * what the definitions (shared kpi-definitions, docs/kpis.md) say.
 *
 * Clock times are the database's now(), so the schedule is placed around the
 * moment the test runs: A's shift began 25 minutes ago, B's begins in 30
 * minutes, both 4 hours long; C has A's hours. Four weeks of history put
 * calls in the interval an hour into A's shift, so the forecast needs agents there.
 */
import { asUser, createTestDatabase, type TestDatabase } from "../helpers/db.js";
import { createCast, createUser, type Cast } from "../helpers/users.js";
import { signToken, startTestServer, type TestServer } from "../helpers/server.js";
import { talk } from "../helpers/calls.js";
import { restClient, type RestClient } from "../helpers/rest.js";
import { num, one, rows } from "../helpers/query.js";
import { runJobs } from "../helpers/jobs.js";

let db: TestDatabase;
let server: TestServer;
let cast: Cast;
let rest: RestClient;
const B = "agent.b@gangerdermatology.com";
const C = "agent.c@gangerdermatology.com";
/** The schedule as the test placed it: each agent's window, and the shift's business day and local times. */
interface Planned { day: string; start: string; end: string; from: Date; to: Date }
let plan: Record<"A" | "B" | "C", Planned>;
let clocked: Record<"A" | "B", { in: Date; out: Date }>;
let lateA: number;

const send = async (method: "get" | "post", path: string, email: string, body?: unknown, contentType?: string) =>
  rest.send(method, path, await signToken({ email }), body, contentType);

async function place(minutesFromNow: number): Promise<Planned> {
  const r = await one(db.owner, `select to_char(app_hidden.business_day(t), 'YYYY-MM-DD') as day, to_char(t at time zone app_hidden.business_timezone(), 'HH24:MI') as start,
      to_char((t + interval '4 hours') at time zone app_hidden.business_timezone(), 'HH24:MI') as "end", t as "from", t + interval '4 hours' as "to"
    from (select date_trunc('minute', now() + make_interval(mins => $1)) as t) x`, [minutesFromNow]);
  return r as Planned;
}

beforeAll(async () => {
  db = await createTestDatabase();
  cast = await createCast(db.owner);
  await createUser(db.owner, { email: B, role: "call_center_agent", locations: ["Ann Arbor"] });
  await createUser(db.owner, { email: C, role: "call_center_agent", locations: ["Ann Arbor"] });
  await db.owner.query(`insert into app_public.queues (name, extension, location_name) values ('AA Front', '800', 'Ann Arbor')`);
  await db.owner.query(`insert into app_public.agents (extension, user_email, location_name) values ('101', $1, 'Ann Arbor'), ('102', $2, 'Ann Arbor'), ('103', $3, 'Ann Arbor')`,
    [cast.agentAA.email, B, C]);
  const a = await place(-25);
  plan = { A: a, B: await place(30), C: a };
  // History: 12 calls in the 15-minute interval an hour into A's shift, at the same local time on each of the 4 same weekdays before, 180 s each.
  const weeks = await rows(db.owner, `select ((app_hidden.business_day(b) - 7 * w) + (b at time zone app_hidden.business_timezone())::time) at time zone app_hidden.business_timezone() as t
    from (select app_hidden.kpi_interval($1::timestamptz + interval '1 hour') as b) x cross join generate_series(1, 4) w`, [a.from]);
  const history = weeks.flatMap(({ t }, w) => Array.from({ length: 12 }, (_, i) => {
    const start = new Date((t as Date).getTime() + i * 60_000);
    return talk(`H${w}-${i}`, "101", start.toISOString(), start.toISOString(), new Date(start.getTime() + 180_000).toISOString(), { caller: `+1734555${w}${String(i).padStart(3, "0")}` });
  }));
  await db.owner.query("select app_private.ingest_calls($1::jsonb)", [JSON.stringify(history)]);
  await runJobs(db);
  server = await startTestServer(db.authenticatorUrl);
  rest = await restClient(server);
});
afterAll(async () => {
  await server.close();
  await db.drop();
});

describe("a workforce day", () => {
  it("the supervisor uploads the day's schedule as a CSV file", async () => {
    const file = ["agent,location,shift_date,scheduled_start_time,scheduled_end_time", ...(["A", "B", "C"] as const).map((k) =>
      `${k === "A" ? "101" : k === "B" ? B : C},Ann Arbor,${plan[k].day},${plan[k].start},${plan[k].end}`)].join("\n");
    const res = await send("post", "/api/workforce/schedule", cast.supervisorAA.email, file, "text/csv");
    expect([res.status, res.body.created]).toEqual([200, 3]);
    // C called in sick: the supervisor marks the shift absent.
    const c = await one(db.owner, "select id from app_public.agent_shifts where agent_email = $1", [C]);
    const marked = await server.graphql(`mutation ($id: UUID!) { updateAgentShiftByRowId(input: { rowId: $id, agentShiftPatch: { shiftStatus: "absent" } }) { agentShift { shiftStatus } } }`,
      await signToken({ email: cast.supervisorAA.email }), { id: c.id });
    expect(marked.body.data).toEqual({ updateAgentShiftByRowId: { agentShift: { shiftStatus: "absent" } } });
  });

  it("A clocks in 25 minutes late, B early (on time); calls arrive and are answered; both clock out with their totals", async () => {
    const a = await send("post", "/api/workforce/shift-start", cast.agentAA.email, {});
    const b = await send("post", "/api/workforce/shift-start", B, {});
    // 25 minutes late when the schedule was placed; a minute more if the clock turned since.
    lateA = Math.floor((Date.parse(a.body.actual_start_time) - plan.A.from.getTime()) / 60_000);
    expect(lateA).toBeGreaterThanOrEqual(25);
    expect([a.status, a.body.tardiness_minutes, a.body.shift_status]).toEqual([200, lateA, "active"]);
    expect([b.status, b.body.tardiness_minutes, b.body.shift_date, b.body.scheduled_start_time.slice(0, 5)]).toEqual([200, 0, plan.B.day, plan.B.start]);
    const at = (iso: string, ms: number) => new Date(Date.parse(iso) + ms).toISOString();
    await db.owner.query("select app_private.ingest_calls($1::jsonb)", [JSON.stringify([
      // Answered within 30 ms of the clock-in: inside the shift however fast the test runs.
      talk("D1", "101", at(a.body.actual_start_time, 10), at(a.body.actual_start_time, 20), at(a.body.actual_start_time, 120_020)),
      talk("D2", "102", at(b.body.actual_start_time, 10), at(b.body.actual_start_time, 30), at(b.body.actual_start_time, 90_030)),
    ])]);
    await runJobs(db);
    const aEnd = await send("post", "/api/workforce/shift-end", cast.agentAA.email, {});
    const bEnd = await send("post", "/api/workforce/shift-end", B, {});
    expect([aEnd.body.calls_handled, aEnd.body.total_talk_time_seconds, aEnd.body.shift_status]).toEqual([1, 120, "partial"]);
    expect([bEnd.body.calls_handled, bEnd.body.total_talk_time_seconds, bEnd.body.shift_status]).toEqual([1, 90, "partial"]);
    clocked = {
      A: { in: new Date(a.body.actual_start_time), out: new Date(aEnd.body.actual_end_time) },
      B: { in: new Date(b.body.actual_start_time), out: new Date(bEnd.body.actual_end_time) },
    };
    expect(await rows(db.owner, "select c.call_id, s.agent_email from app_public.call_center_records c join app_public.agent_shifts s on s.id = c.shift_id order by 1"))
      .toEqual([{ call_id: "D1", agent_email: cast.agentAA.email }, { call_id: "D2", agent_email: B }]);
    await runJobs(db);
  });

  it("each agent's day: A late and in the window, B on time but gone before it began, C absent", async () => {
    const res = await send("get", `/api/workforce/utilization?from=${plan.A.day}&to=${plan.B.day}&location=Ann%20Arbor`, cast.supervisorAA.email);
    const by = Object.fromEntries(res.body.data.map((r: { agent_email: string }) => [r.agent_email, num(r)]));
    const aWorked = Math.round((clocked.A.out.getTime() - clocked.A.in.getTime()) / 1000);
    expect(by[cast.agentAA.email]).toMatchObject({ tardiness_minutes: lateA, absent: false, scheduled_seconds: 14400, calls_handled: 1, talk_seconds: 120 });
    expect(Math.abs(by[cast.agentAA.email]!.adherent_seconds - aWorked)).toBeLessThanOrEqual(1);
    expect(by[B]).toMatchObject({ tardiness_minutes: 0, absent: false, scheduled_seconds: 14400, adherent_seconds: 0, adherence_pct: 0, calls_handled: 1 });
    expect(by[B]!.early_departure_minutes).toBeGreaterThanOrEqual(4 * 60);
    expect(by[C]).toMatchObject({ absent: true, shift_status: "absent", adherent_seconds: 0, adherence_pct: 0 });
  });

  it("the team row: attendance 2 of 3, punctuality 1 of 2, adherence over all three scheduled windows, two calls", async () => {
    const days = [...new Set([plan.A.day, plan.B.day])];
    const team = await rows(db.owner, `select * from app_public.team_performance_metrics where location = 'Ann Arbor' and reporting_period = any ($1::date[])`, [days]);
    const sum = (k: string) => team.reduce((s, r) => s + Number(r[k]), 0);
    expect([sum("shifts_scheduled"), sum("shifts_not_absent"), sum("shifts_started"), sum("shifts_on_time"), sum("total_calls_handled"), sum("scheduled_seconds")])
      .toEqual([3, 2, 2, 1, 2, 3 * 14400]);
    const a = await one(db.owner, "select adherent_seconds from app_public.agent_shifts s cross join lateral (select app_hidden.shift_adherent_seconds(s.shift_date, s.scheduled_start_time, s.scheduled_end_time, s.actual_start_time, s.actual_end_time) as adherent_seconds) x where agent_email = $1", [cast.agentAA.email]);
    expect(sum("adherent_seconds")).toBe(Number(a.adherent_seconds));
    if (days.length === 1) {
      expect(num(team[0])).toMatchObject({ attendance_rate: 66.67, punctuality_rate: 50, active_agents: 2,
        schedule_adherence_rate: Math.round((10000 * Number(a.adherent_seconds)) / 43200) / 100 });
    }
    // The same through GraphQL, as a supervisor reads it.
    const g = await server.graphql(`query ($d: Date!) { teamKpisForRange(fromDay: $d, toDay: $d, location: "Ann Arbor") { nodes { shiftsScheduled shiftsOnTime attendanceRatePct } } }`,
      await signToken({ email: cast.supervisorAA.email }), { d: plan.A.day });
    expect((g.body.data!.teamKpisForRange as { nodes: unknown[] }).nodes).toHaveLength(1);
  });

  it("coverage: per interval, the agents scheduled (A and B, not absent C) against the forecast's requirement, and the shortfall", async () => {
    const from = plan.A.day;
    const to = plan.B.to.getTime() > plan.A.to.getTime() ? (await one(db.owner, "select to_char(app_hidden.business_day($1::timestamptz), 'YYYY-MM-DD') as d", [plan.B.to])).d : from;
    const coverage: Array<Record<string, unknown>> = [];
    for (let page = 1; ; page++) {
      const res = await send("get", `/api/workforce/scheduling?from=${from}&to=${to}&location=Ann%20Arbor&page_size=200&page=${page}`, cast.supervisorAA.email);
      expect(res.status).toBe(200);
      coverage.push(...res.body.data);
      if (!res.body.page.has_next) break;
    }
    // The requirement as staffingForecast gives it to the same supervisor.
    const forecast = await asUser(db.authenticator, cast.supervisorAA, async (c) => (await c.query(`select interval_start, required_agents from app_public.staffing_forecast($1, 'AA Front')
      union all select interval_start, required_agents from app_public.staffing_forecast($2, 'AA Front') where $2::date <> $1::date`, [from, to])).rows);
    const required = new Map(forecast.map((f) => [f.interval_start.getTime(), f.required_agents as number]));
    const busy = plan.A.from.getTime() + 3_600_000;
    expect(required.get(busy - (busy % 900_000))).toBeGreaterThan(2);
    for (const row of coverage) {
      const start = Date.parse(row.interval_start as string);
      const inside = (p: Planned) => p.from.getTime() <= start && start + 900_000 <= p.to.getTime();
      const scheduled = [plan.A, plan.B].filter(inside).length;
      const need = required.get(start) ?? 0;
      expect([row.interval_start, row.scheduled_agents, row.required_agents, row.shortfall_agents, row.working_agents])
        .toEqual([row.interval_start, scheduled, need, Math.max(0, need - scheduled), 0]);
    }
    const busiest = coverage.find((r) => Date.parse(r.interval_start as string) === busy - (busy % 900_000))!;
    expect(busiest.shortfall_agents).toBeGreaterThan(0);
  });
});
