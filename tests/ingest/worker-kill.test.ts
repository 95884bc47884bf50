/**
 * A worker SIGKILLed in the middle of a batch loses nothing and doubles
 * nothing: its transaction rolls back, its rows stay pending, and a new
 * worker (which drains at start) processes every record exactly once.
 */
import type { ChildProcess } from "node:child_process";
import { createTestDatabase, type TestDatabase } from "../helpers/db.js";
import { spawnScript } from "../helpers/child-process.js";
import { until } from "../helpers/jobs.js";
import { one } from "../helpers/query.js";

const BODIES = 300;
const LINES = 5;
let db: TestDatabase;
const children: ChildProcess[] = [];

function startWorker(): ChildProcess {
  const child = spawnScript("worker/index.ts", [], db, ["ignore", "ignore", "ignore"]);
  children.push(child);
  return child;
}
const counts = () =>
  one<{ pending: number; done: number }>(db.owner, `select count(*) filter (where status = 'pending')::int as pending, count(*) filter (where status <> 'pending')::int as done from app_private.cdr_raw`);

beforeAll(async () => {
  db = await createTestDatabase();
  await db.owner.query(`insert into app_public.queues (name, extension, location_name) values ('Front', '800', 'Ann Arbor')`);
  // 300 bodies of 5 records, stored as the webhook stores them, in one statement.
  await db.owner.query(
    `insert into app_private.cdr_raw (source, content_type, body)
     select 'webhook', 'text/plain', convert_to(string_agg(format(
       'Call %s,KILL_%s_%s,00:00:30,2026/09/22 10:%s:00,2026/09/22 10:%s:05,2026/09/22 10:%s:30,TerminatedByDst,+1734555%s,Ext.800,10021,800,800,,Ext.1%s,1%s,,,,,,Line,Queue,Extension,,,,',
       b * 10 + l, b, l, lpad((l * 10)::text, 2, '0'), lpad((l * 10)::text, 2, '0'), lpad((l * 10)::text, 2, '0'), lpad((b % 10000)::text, 4, '0'), lpad(l::text, 2, '0'), lpad(l::text, 2, '0')), E'\\r\\n'), 'UTF8')
     from generate_series(1, ${BODIES}) b cross join generate_series(1, ${LINES}) l group by b`,
  );
});
afterAll(async () => {
  for (const c of children) if (c.exitCode === null) c.kill("SIGKILL");
  await db.drop();
});

it("processes every record exactly once across a SIGKILL and a restart", async () => {
  expect(await counts()).toEqual({ pending: BODIES, done: 0 });
  const first = startWorker();
  await until(async () => (await counts()).done > 0, { what: "the first worker to commit some batches", timeoutMs: 90_000, intervalMs: 100 });
  first.kill("SIGKILL");
  await new Promise((r) => first.once("exit", r));
  const afterKill = await counts();
  expect(afterKill.pending).toBeGreaterThan(0); // killed mid-way: work was left

  const second = startWorker();
  await until(async () => (await counts()).pending === 0, { what: "every raw body to be processed", timeoutMs: 90_000, intervalMs: 100 });
  second.kill("SIGTERM");
  await new Promise((r) => second.once("exit", r));

  const { rows } = await db.owner.query(`select count(*)::int as calls, count(distinct call_id)::int as distinct_calls,
      (select count(*)::int from app_public.call_legs where call_id like 'KILL_%') as legs,
      (select count(*)::int from app_private.cdr_dead_letters) as dead,
      (select count(*)::int from app_private.cdr_raw where status <> 'processed') as not_processed
    from app_public.call_center_records where call_id like 'KILL_%'`);
  expect(rows[0]).toEqual({ calls: BODIES * LINES, distinct_calls: BODIES * LINES, legs: BODIES * LINES, dead: 0, not_processed: 0 });
});
