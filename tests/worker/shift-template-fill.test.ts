/**
 * The weekly template keeps the schedule filled by itself: the worker's
 * shifts__fill_from_template creates the template's shifts of the days that
 * came within 14 days ahead, and nothing else: a shift people uploaded,
 * changed or deleted stays as they left it, and a day is filled once.
 */
import { createTestDatabase, type TestDatabase } from "../helpers/db.js";
import { createCast, type Cast } from "../helpers/users.js";
import { runJobs } from "../helpers/jobs.js";
import { one, rows } from "../helpers/query.js";

let db: TestDatabase;
let cast: Cast;
let today: string;
const day = (offset: number) => new Date(Date.parse(`${today}T12:00:00Z`) + offset * 86_400_000).toISOString().slice(0, 10);
const shiftsOf = (email: string) =>
  rows(db.owner, "select to_char(shift_date, 'YYYY-MM-DD') as d, to_char(scheduled_start_time, 'HH24:MI') as s from app_public.agent_shifts where agent_email = $1 order by shift_date", [email]);
const fill = async () => {
  await db.owner.query("select graphile_worker.add_job('shifts__fill_from_template')");
  await runJobs(db);
};

beforeAll(async () => {
  db = await createTestDatabase();
  cast = await createCast(db.owner);
  today = (await one(db.owner, "select to_char(app_hidden.business_day(now()), 'YYYY-MM-DD') as d")).d;
  // agentAA works every day 08:00–16:30 on the template; agentWX's row is switched off.
  await db.owner.query(
    `insert into app_public.shift_templates (agent_email, location, weekday, scheduled_start_time, scheduled_end_time, is_active)
     select $1, 'Ann Arbor', d, time '08:00', time '16:30', true from generate_series(1, 7) d
     union all select $2, 'Wixom', 1, time '09:00', time '17:00', false`,
    [cast.agentAA.email, cast.agentWX.email],
  );
});
afterAll(() => db.drop());

it("creates the template's shifts from tomorrow to 14 days ahead, keeps what people made, and fills a day once", async () => {
  // A supervisor uploaded tomorrow's shift at another time before the first fill.
  await db.owner.query(
    "insert into app_public.agent_shifts (agent_email, agent_name, location, shift_date, scheduled_start_time, scheduled_end_time) values ($1, 'Alex', 'Ann Arbor', $2, '10:00', '18:00')",
    [cast.agentAA.email, day(1)],
  );
  await fill();
  const expected = Array.from({ length: 14 }, (_, i) => ({ d: day(i + 1), s: i === 0 ? "10:00" : "08:00" }));
  expect(await shiftsOf(cast.agentAA.email)).toEqual(expected);
  expect(await shiftsOf(cast.agentWX.email)).toEqual([]);

  // The day off: a made shift deleted stays deleted when the worker runs again; today is never made.
  await db.owner.query("delete from app_public.agent_shifts where agent_email = $1 and shift_date = $2", [cast.agentAA.email, day(3)]);
  await fill();
  expect(await shiftsOf(cast.agentAA.email)).toEqual(expected.filter((s) => s.d !== day(3)));
});

it("after days without a run, fills only the days newly within the horizon", async () => {
  // As if the last fill had reached only 10 days ahead (the worker was down for four days).
  await db.owner.query("update app_private.shift_template_fill set filled_through = $1", [day(10)]);
  await db.owner.query("delete from app_public.agent_shifts where agent_email = $1 and shift_date > $2", [cast.agentAA.email, day(10)]);
  await fill();
  const made = (await shiftsOf(cast.agentAA.email)).filter((s) => s.d > day(10));
  expect(made.map((s) => s.d)).toEqual([day(11), day(12), day(13), day(14)]);
});

it("refuses a horizon it cannot keep", async () => {
  await expect(db.owner.query("select app_private.fill_shifts_from_template(0)")).rejects.toThrow(/horizon is 1 to 56 days/);
});
