/**
 * The job pipeline: the database queues work (graphile_worker.add_job through
 * app_private.add_job, and the generic statement-level trigger), the worker
 * runs it as the app_worker role.
 */
import pg from "pg";
import { runJobs } from "../helpers/jobs.js";
import { createTestDatabase, type TestDatabase } from "../helpers/db.js";
import { numberOf } from "../helpers/query.js";

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => db.drop());

const runQueuedJobs = () => runJobs(db);
const pendingJobs = (task: string) => numberOf(db.owner, "select count(*) from graphile_worker.jobs where task_identifier = $1", [task]);

it("runs a job queued from SQL: the heartbeat is stamped, and the job is gone", async () => {
  expect((await db.owner.query("select * from app_private.job_heartbeat")).rowCount).toBe(0);
  await db.owner.query("select app_private.add_job('worker__heartbeat')");
  expect(await pendingJobs("worker__heartbeat")).toBe(1);

  await runQueuedJobs();

  const { rows } = await db.owner.query("select last_run_at, worker_id from app_private.job_heartbeat");
  expect(rows).toHaveLength(1);
  expect(Date.now() - rows[0].last_run_at.getTime()).toBeLessThan(60_000);
  expect(rows[0].worker_id).toMatch(/:\d+$/);
  expect(await pendingJobs("worker__heartbeat")).toBe(0);
});

it("queues one job per statement from the generic trigger, however many rows", async () => {
  await db.owner.query(`create table app_private.trigger_probe (n int)`);
  await db.owner.query(`create trigger _900_queue after insert on app_private.trigger_probe
    for each statement execute function app_private.tg__add_job('worker__heartbeat', 'probe')`);
  await db.owner.query("insert into app_private.trigger_probe select generate_series(1, 1000)");
  await db.owner.query("insert into app_private.trigger_probe select generate_series(1, 10)");
  // one per statement, and the job key collapses the second into the first while it waits
  expect(await pendingJobs("worker__heartbeat")).toBe(1);
  const { rows } = await db.owner.query("select payload from graphile_worker._private_jobs j join graphile_worker._private_tasks t on t.id = j.task_id where t.identifier = 'worker__heartbeat'");
  expect(rows[0].payload).toEqual({ schema: "app_private", table: "trigger_probe", op: "INSERT" });
  await runQueuedJobs();
  expect(await pendingJobs("worker__heartbeat")).toBe(0);
});

it("lets any role queue work through add_job, but no API role call graphile_worker directly", async () => {
  const c = new pg.Client({ connectionString: db.authenticatorUrl });
  await c.connect();
  try {
    await c.query("begin");
    await c.query("set local role app_visitor");
    await expect(c.query("select graphile_worker.add_job('worker__heartbeat')")).rejects.toMatchObject({ code: "42501" });
  } finally {
    await c.query("rollback");
    await c.end();
  }
});
