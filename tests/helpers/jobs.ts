/** Running the worker's jobs in tests, and waiting for something to happen. */
import { Logger, runOnce } from "graphile-worker";
import { makePreset } from "../../graphile.config.js";
import { taskList } from "../../worker/tasks/index.js";
import type { TestDatabase } from "./db.js";
import { testEnv } from "./server.js";
import { numberOf } from "./query.js";

const silent = new Logger(() => () => undefined);

/** Runs every queued job once, with the real task list, against the test database (logs silenced). */
export const runJobs = (db: Pick<TestDatabase, "ownerUrl">): Promise<void> =>
  runOnce({ preset: makePreset({ env: testEnv(), ownerUrl: db.ownerUrl }), taskList, noHandleSignals: true, logger: silent });

/**
 * Runs the queued jobs round after round (a job's commit may queue more)
 * until done() holds, asked after each round; fails naming `what` when it
 * still does not after `rounds` rounds (default 20).
 */
export async function runJobsUntil(
  db: Pick<TestDatabase, "ownerUrl">, done: () => Promise<boolean>, { what, rounds = 20 }: { what: string; rounds?: number },
): Promise<void> {
  for (let i = 0; i < rounds; i++) {
    await runJobs(db);
    if (await done()) return;
  }
  throw new Error(`${what}: still not done after ${rounds} rounds of jobs`);
}

/** For runJobsUntil: no raw CDR body is left pending. */
export const noPendingRaw = (db: Pick<TestDatabase, "owner">) => async () =>
  (await numberOf(db.owner, "select count(*) from app_private.cdr_raw where status = 'pending'")) === 0;

/** For runJobsUntil: no job is due (ready to run, with attempts left). */
export const noJobsDue = (db: Pick<TestDatabase, "owner">) => async () =>
  (await numberOf(db.owner, "select count(*) from graphile_worker.jobs where run_at <= now() and attempts < max_attempts")) === 0;

export interface UntilOptions {
  /** What is awaited, for the timeout's message. */
  what: string;
  /** Default 20 s. */
  timeoutMs?: number;
  /** Default 50 ms. */
  intervalMs?: number;
}

/** Polls check() until it returns something truthy, which it returns; fails naming `what` after timeoutMs. */
export async function until<T>(check: () => Promise<T | undefined | null | false>, { what, timeoutMs = 20_000, intervalMs = 50 }: UntilOptions): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
