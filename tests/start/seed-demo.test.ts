/**
 * The demo seed (npm run seed:demo) on a fresh database, over a short
 * period: calls for every location and day through the real ingestion path
 * (raw bodies, then the worker), attributed to the directory's agents,
 * nothing left pending, dead letters for exactly the malformed records;
 * shifts, goals, journals and QA reviews that hold together; the manager
 * and supervisors see what their roles should; a second run refuses, and a
 * forced one doubles nothing. The CLI refuses production.
 */
import { spawnSync } from "node:child_process";
import path from "node:path";
import { asUser, createTestDatabase, type TestDatabase } from "../helpers/db.js";
import { testEnv } from "../helpers/server.js";
import { numberOf, one, rows } from "../helpers/query.js";
import { makeLogger } from "../../lib/logger.js";
import { PROJECT_ROOT } from "../../db/paths.js";
import { AGENTS, LOCATIONS } from "../../simulator/practice.js";
import { DISPUTE_ACTION, seedDemo, type SeedDemoContext, type SeedDemoOptions, type SeedDemoSummary } from "../../scripts/lib/seed-demo.js";

// Monday 2 to Wednesday 4 March 2026: three open days at every location.
const DAYS = ["2026-03-02", "2026-03-03", "2026-03-04"];
const OPTIONS: SeedDemoOptions = { days: 3, end: "2026-03-04", volume: 150, seed: 7, force: false, malformedRate: 0.01 };

let db: TestDatabase;
let ctx: SeedDemoContext;
let first: SeedDemoSummary;
const q = <T = Record<string, unknown>>(sql: string, params: unknown[] = []) => rows<T>(db.owner, sql, params);
const count = (sql: string, params: unknown[] = []) => numberOf(db.owner, sql, params);

beforeAll(async () => {
  db = await createTestDatabase();
  ctx = { ownerUrl: db.ownerUrl, env: testEnv(), logger: makeLogger("silent") };
  first = await seedDemo(ctx, OPTIONS);
});
afterAll(async () => {
  await db.drop();
});

describe("calls through the real ingestion path", () => {
  it("stores every simulated call once, for each location on each day", async () => {
    expect(first.seeded).toBe(true);
    expect([first.start, first.end]).toEqual(["2026-03-02", "2026-03-04"]);
    expect(first.simulated.calls).toBeGreaterThan(300);
    expect(await count("select count(*) from app_public.call_center_records")).toBe(first.simulated.calls);
    expect(first.totals.calls).toBe(first.simulated.calls);
    const perDay = await q<{ location: string; day: string; n: string }>(
      `select location, (call_start_time at time zone app_hidden.business_timezone())::date::text as day, count(*) as n
         from app_public.call_center_records where location is not null group by 1, 2 order by 1, 2`,
    );
    for (const location of LOCATIONS) {
      for (const day of DAYS) expect(Number(perDay.find((r) => r.location === location && r.day === day)?.n ?? 0)).toBeGreaterThan(0);
    }
    expect(perDay.every((r) => DAYS.includes(r.day))).toBe(true);
  });

  it("attributes every answered call to a directory agent", async () => {
    const emails = new Set(AGENTS.map((a) => a.email));
    const answered = await q<{ agent_email: string | null; agent_extension: string | null }>(
      "select agent_email::text, agent_extension from app_public.call_center_records where call_answer_time is not null",
    );
    expect(answered.length).toBeGreaterThan(200);
    expect(answered.filter((c) => c.agent_email === null || !emails.has(c.agent_email))).toEqual([]);
    expect(new Set(answered.map((c) => c.agent_email)).size).toBeGreaterThan(40);
  });

  it("leaves no raw body pending, and dead-letters exactly the malformed records", async () => {
    expect(await count("select count(*) from app_private.cdr_raw where status = 'pending'")).toBe(0);
    expect(await count("select count(*) from app_private.cdr_raw where source <> 'import'")).toBe(0);
    expect(first.totals.rawBodies).toBeGreaterThan(0);
    expect(first.simulated.malformed).toBeGreaterThan(0);
    expect(await count("select sum(repeat_count) from app_private.cdr_dead_letters")).toBe(first.simulated.malformed);
    // Stored encrypted, like any body the webhook accepts.
    expect(await count("select count(*) from app_private.cdr_raw where body is not null or body_encrypted is null")).toBe(0);
  });
});

describe("the work around the calls", () => {
  it("schedules every agent on each weekday, with statuses that match the times", async () => {
    expect(await count("select count(*) from app_public.agent_shifts")).toBe(AGENTS.length * DAYS.length);
    const bad = await q(
      `select * from app_public.agent_shifts s, lateral (select app_hidden.business_timezone() as tz) z
        where shift_date::text <> all($1::text[])
           or (shift_status = 'absent') <> (actual_start_time is null)
           or (shift_status = 'absent' and (actual_end_time is not null or lunch_break_minutes <> 0))
           or tardiness_minutes <> greatest(0, floor(extract(epoch from actual_start_time - ((shift_date + scheduled_start_time) at time zone z.tz)) / 60))
           or early_departure_minutes <> greatest(0, floor(extract(epoch from ((shift_date + scheduled_end_time) at time zone z.tz) - actual_end_time) / 60))
           or (shift_status = 'partial') <> (tardiness_minutes > 15 or early_departure_minutes > 15)
           or shift_status not in ('completed', 'partial', 'absent')
           or scheduled_start_time not in ('07:45', '08:45')`,
      [DAYS],
    );
    expect(bad).toEqual([]);
    expect(await count("select count(*) from app_public.agent_shifts where lunch_break_minutes = 30")).toBeGreaterThan(0);
  });

  it("sets goals (targets only) for agents, by their leaders", async () => {
    const goals = await q<{ goal_period: string; n: string; targets: string; actuals: string; leaders: string[] }>(
      `select goal_period, count(*) as n, min(total_goals) as targets,
              count(calls_per_day_actual) + count(quality_score_actual) + count(first_call_resolution_actual) as actuals,
              array_agg(distinct created_by::text) as leaders
         from app_public.performance_goals group by 1`,
    );
    expect(goals.map((g) => g.goal_period).sort()).toEqual(["daily", "monthly", "weekly"]);
    expect(goals.find((g) => g.goal_period === "monthly")!.n).toBe(String(AGENTS.length));
    for (const g of goals) {
      expect(Number(g.targets)).toBeGreaterThanOrEqual(1);
      expect(Number(g.actuals)).toBe(0);
      expect(g.leaders.every((e) => e === first.managerEmail || first.supervisors.some((s) => s.email === e))).toBe(true);
    }
  });

  it("writes journals on a share of answered calls, by their agents, notes encrypted", async () => {
    const answered = await count("select count(*) from app_public.call_center_records where call_answer_time is not null and call_direction <> 'internal'");
    const journals = await count("select count(*) from app_public.call_journals");
    expect(journals).toBeGreaterThan(0);
    expect(journals).toBeLessThan(answered / 4);
    expect(
      await q(`select j.id from app_public.call_journals j join app_public.call_center_records c on c.id = j.call_record_id
                where j.agent_email <> c.agent_email or c.call_answer_time is null or j.detailed_notes_encrypted is null
                   or j.detailed_notes_masked is null or cardinality(j.notes_word_hashes) = 0
                   or (j.journal_status in ('reviewed', 'approved')) <> (j.review_score is not null)
                   or j.created_at < c.call_end_time`),
    ).toEqual([]);
    expect((await q<{ s: string }>("select distinct journal_status as s from app_public.call_journals")).map((r) => r.s).sort())
      .toEqual(expect.arrayContaining(["approved", "reviewed", "submitted"]));
  });

  it("reviews two or three calls per agent in the week, some completed, some discussed, one or two disputed", async () => {
    // Every agent with a reviewable call (inbound, answered, 30 s of talk or more) in the week: two or three of them (fewer if that is all there is).
    const perAgent = await q<{ agent: string; candidates: string; reviews: string }>(
      `select a.agent, a.candidates, (select count(*) from app_public.quality_assurance_reviews r where r.agent_email = a.agent) as reviews
         from (select c.agent_email as agent, count(*) as candidates from app_public.call_center_records c
                where c.call_direction = 'inbound' and c.call_answer_time is not null and c.talk_duration_seconds >= 30
                group by 1) a`,
    );
    expect(perAgent.length).toBeGreaterThan(20);
    expect(perAgent.filter((a) => Number(a.reviews) < Math.min(2, Number(a.candidates)) || Number(a.reviews) > 3)).toEqual([]);
    expect(await count("select count(distinct agent_email) from app_public.quality_assurance_reviews")).toBe(perAgent.length);
    const byStatus = Object.fromEntries(
      (await q<{ review_status: string; n: string }>("select review_status, count(*) as n from app_public.quality_assurance_reviews group by 1"))
        .map((r) => [r.review_status, Number(r.n)]),
    );
    expect(byStatus.completed).toBeGreaterThan(0);
    expect(byStatus.discussed_with_agent).toBeGreaterThan(0);
    expect(await count("select count(*) from app_public.quality_assurance_reviews where review_status <> 'draft' and percentage_score is null")).toBe(0);
    const disputed = await q<{ review_status: string; agent_acknowledgment: boolean; follow_up_review_needed: boolean }>(
      "select review_status, agent_acknowledgment, follow_up_review_needed from app_public.quality_assurance_reviews where $1 = any(action_items_required)",
      [DISPUTE_ACTION],
    );
    expect(disputed.length).toBeGreaterThanOrEqual(1);
    expect(disputed.length).toBeLessThanOrEqual(2);
    expect(disputed.every((r) => r.review_status === "discussed_with_agent" && !r.agent_acknowledgment && r.follow_up_review_needed)).toBe(true);
    // The reviewed call is the agent's own, inside the period.
    expect(
      await q(`select r.id from app_public.quality_assurance_reviews r join app_public.call_center_records c on c.id = r.call_record_id
                where r.agent_email <> c.agent_email or r.review_date < (c.call_start_time at time zone app_hidden.business_timezone())::date
                   or r.review_date > $1::date`, [OPTIONS.end]),
    ).toEqual([]);
  });
});

describe("who sees what", () => {
  const session = async (email: string) => {
    const { id, role } = await one<{ id: string; role: "manager" | "supervisor" }>(db.owner,
      "select u.id, r.role from app_public.users u join app_public.user_roles r on r.user_id = u.id where u.email = $1",
      [email],
    );
    return { userId: id, email, role };
  };
  it("the manager sees every call, journal and review", async () => {
    const manager = await session(first.managerEmail);
    expect(manager.role).toBe("manager");
    const seen = await asUser(db.authenticator, manager, async (c) =>
      (await c.query(`select (select count(*) from app_public.call_center_records) as calls, (select count(*) from app_public.call_journals) as journals,
                             (select count(*) from app_public.quality_assurance_reviews) as reviews`)).rows[0],
    );
    expect(seen).toEqual({ calls: String(first.totals.calls), journals: String(first.totals.journals), reviews: String(first.totals.reviews) });
  });
  it("a supervisor sees their location's calls only", async () => {
    const wixom = first.supervisors.find((s) => s.location === "Wixom")!;
    const supervisor = await session(wixom.email);
    expect(supervisor.role).toBe("supervisor");
    const locations = await asUser(db.authenticator, supervisor, async (c) =>
      (await c.query<{ location: string | null }>("select distinct location from app_public.call_center_records")).rows.map((r) => r.location),
    );
    expect(locations).toEqual(["Wixom"]);
  });
});

describe("running it again", () => {
  it("refuses without --force, changing nothing", async () => {
    const again = await seedDemo(ctx, OPTIONS);
    expect(again.seeded).toBe(false);
    expect(again.message).toMatch(/already there/);
    expect(again.totals).toEqual(first.totals);
  });

  it("with --force doubles nothing", async () => {
    const forced = await seedDemo(ctx, { ...OPTIONS, force: true });
    expect(forced.seeded).toBe(true);
    expect(forced.daysAlreadyThere).toBe(3);
    expect(forced.added).toEqual({ calls: 0, rawBodies: 0, deadLetters: 0, shifts: 0, goals: 0, journals: 0, reviews: 0 });
    expect(forced.totals).toEqual(first.totals);
    expect(forced.simulated).toEqual(first.simulated);
  });

  it("with --force and a day more, adds only that day", async () => {
    const more = await seedDemo(ctx, { ...OPTIONS, days: 4, end: "2026-03-05", force: true });
    expect(more.daysAlreadyThere).toBe(3);
    const thursday = await count(
      "select count(*) from app_public.call_center_records where (call_start_time at time zone app_hidden.business_timezone())::date = '2026-03-05'",
    );
    expect(thursday).toBeGreaterThan(0);
    expect(more.added.calls).toBe(thursday);
    expect(more.totals.calls).toBe(more.simulated.calls);
    expect(more.added.shifts).toBe(AGENTS.length);
    expect(await count("select count(*) from app_private.cdr_raw where status = 'pending'")).toBe(0);
    // Agents already reviewed that week get no second round (only an agent first seen on Thursday may get a review).
    expect(await q("select agent_email from app_public.quality_assurance_reviews group by 1 having count(*) > 3")).toEqual([]);
    expect(more.added.reviews).toBeLessThan(first.totals.reviews / 10);
  });

  it("refuses production, in the library and in the command", async () => {
    await expect(seedDemo({ ...ctx, env: { ...ctx.env, NODE_ENV: "production" } }, OPTIONS)).rejects.toThrow(/production/);
    const tsx = path.join(PROJECT_ROOT, "node_modules", ".bin", "tsx");
    const result = spawnSync(tsx, ["scripts/seed-demo.ts"], { cwd: PROJECT_ROOT, env: { ...process.env, NODE_ENV: "production" }, encoding: "utf8" });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/refuses to run with NODE_ENV=production/);
    expect(result.stdout).toBe("");
  });
});
