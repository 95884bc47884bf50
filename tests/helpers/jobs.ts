/** Running the worker's jobs in tests, and waiting for something to happen. */
import { Logger, runOnce } from "graphile-worker";
import { makePreset } from "../../graphile.config.js";
import { taskList } from "../../worker/tasks/index.js";
import type { TestDatabase } from "./db.js";
import { testEnv } from "./server.js";

const silent = new Logger(() => () => undefined);

/** Runs every queued job once, with the real task list, against the test database (logs silenced). */
export const runJobs = (db: Pick<TestDatabase, "ownerUrl">): Promise<void> =>
  runOnce({ preset: makePreset({ env: testEnv(), ownerUrl: db.ownerUrl }), taskList, noHandleSignals: true, logger: silent });

export interface UntilOptions {
  /** What is awaited, for the timeout's message. */
  what: string;
  /** Default 20 s. */
  timeoutMs?: number;
  /** Default 50 ms. */
  intervalMs?: number;
}

/** Polls check() until it returns something truthy, which it returns; fails naming `what` after timeoutMs. */
export async function until<T>(check: () => Promise<T>, { what, timeoutMs = 20_000, intervalMs = 50 }: UntilOptions): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
