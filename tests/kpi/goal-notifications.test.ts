/**
 * GOAL_ACHIEVEMENT_NOTIFICATIONS reaches SQL: the API and the worker give
 * every transaction app.goal_achievement_notifications, and the goal recount
 * queues the "every goal met" notification only when it is on. Both values,
 * through the real path (a recount asked of the API as a manager).
 */
import { createTestDatabase, inTransaction, type TestDatabase } from "../helpers/db.js";
import { createCast, type Cast } from "../helpers/users.js";
import { signToken, startTestServer, testEnv } from "../helpers/server.js";
import { talk } from "../helpers/calls.js";
import { rows } from "../helpers/query.js";
import { featurePgSettings } from "../../lib/feature-settings.js";
import { workerJobSettings } from "../../worker/with-worker-role.js";

let db: TestDatabase;
let cast: Cast;

beforeAll(async () => {
  db = await createTestDatabase();
  cast = await createCast(db.owner);
  await db.owner.query(`insert into app_public.queues (name, extension, location_name) values ('AA Front', '800', 'Ann Arbor')`);
  await db.owner.query(`insert into app_public.agents (extension, user_email, location_name) values ('101', $1, 'Ann Arbor')`, [cast.agentAA.email]);
  await db.owner.query("select app_private.ingest_calls($1::jsonb)", [
    JSON.stringify([talk("N1", "101", "2026-03-10T14:00:00Z", "2026-03-10T14:00:05Z", "2026-03-10T14:01:00Z")]),
  ]);
});
afterAll(async () => db.drop());

/** A daily goal of one call on 10 March, which agentAA meets. */
const newGoal = async (day: string) =>
  (await rows(db.owner, `insert into app_public.performance_goals (agent_email, goal_period, period_start_date, period_end_date, created_by, calls_per_day_target)
    values ($1, 'daily', $2, $2, $3, 1) returning id`, [cast.agentAA.email, day, cast.manager.email]))[0].id as string;
const state = async (id: string) => ({
  goal: (await rows(db.owner, "select goals_met, total_goals, achievement_notified_at is not null as notified from app_public.performance_goals where id = $1", [id]))[0],
  notes: (await rows(db.owner, `select n.data ->> 'goal_id' as goal from app_public.notifications n where n.notification_type = 'goal_achieved'`)).map((r) => r.goal),
});

async function recountThroughApi(value: "true" | "false") {
  const server = await startTestServer(db.authenticatorUrl, { env: { GOAL_ACHIEVEMENT_NOTIFICATIONS: value } });
  try {
    const res = await fetch(`${server.url}/api/processing/calculate-kpis`, {
      method: "POST",
      headers: { authorization: `Bearer ${await signToken({ email: cast.manager.email })}`, "content-type": "application/json" },
      body: JSON.stringify({ from: "2026-03-10", to: "2026-03-10" }),
    });
    expect(res.status).toBe(200);
  } finally {
    await server.close();
  }
}

it("GOAL_ACHIEVEMENT_NOTIFICATIONS=false: the goal is met, nothing is queued, and it stays un-notified", async () => {
  const id = await newGoal("2026-03-10");
  await recountThroughApi("false");
  expect(await state(id)).toEqual({ goal: { goals_met: 1, total_goals: 1, notified: false }, notes: [] });
});

it("GOAL_ACHIEVEMENT_NOTIFICATIONS=true (the default): the same goal's notification is queued once", async () => {
  const [id] = (await rows(db.owner, "select id from app_public.performance_goals")).map((r) => r.id as string);
  await recountThroughApi("true");
  expect(await state(id!)).toEqual({ goal: { goals_met: 1, total_goals: 1, notified: true }, notes: [id] });
  await recountThroughApi("true");
  expect((await state(id!)).notes).toEqual([id]);
});

it("the worker's transactions and the API's carry the switch as the setting SQL reads", async () => {
  expect(featurePgSettings(testEnv({ GOAL_ACHIEVEMENT_NOTIFICATIONS: "false" }))).toEqual({ "app.goal_achievement_notifications": "off" });
  expect(featurePgSettings(testEnv())).toEqual({ "app.goal_achievement_notifications": "on" });
  expect(workerJobSettings()).toEqual(expect.objectContaining({ "app.goal_achievement_notifications": "on" }));
  const read = (value: string | null) =>
    inTransaction(db.owner, value === null ? {} : { "app.goal_achievement_notifications": value }, async (c) =>
      (await c.query("select app_hidden.goal_notifications_enabled() as on")).rows[0].on as boolean);
  expect([await read("off"), await read("on"), await read(null)]).toEqual([false, true, true]);
});
