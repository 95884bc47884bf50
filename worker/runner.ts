/**
 * Starts graphile-worker with our tasks and crontab (settings from the shared
 * preset). Signals are handled by the caller, which stops the runner first:
 * running jobs finish before the database goes away, so no job is lost.
 */
import { hostname } from "node:os";
import pg from "pg";
import { run, Logger as WorkerLogger, type Runner } from "graphile-worker";
import type { Logger } from "pino";
import type { Env } from "../lib/env.js";
import { makePreset } from "../graphile.config.js";
import { taskList } from "./tasks/index.js";
import { PERIODIC_KEY } from "./tasks/kpi__recount.js";
import { PRESENCE_POLL_KEY, PRESENCE_POLL_QUEUE } from "./tasks/pbx__presence_poll.js";
import { presenceFetcher } from "./pbx/presence-fetch.js";
import { closeRenderer } from "./reports/produce.js";

export interface RunningWorker {
  runner: Runner;
  isRunning(): boolean;
  stop(): Promise<void>;
}

export async function startWorker({ env, logger, ownerUrl }: { env: Env; logger: Logger; ownerUrl: string }): Promise<RunningWorker> {
  const log = logger.child({ component: "worker" });
  const workerLogger = new WorkerLogger(() => (level, message, meta) => {
    const fields = { job: (meta as { job?: { task_identifier?: string; id?: string } } | undefined)?.job?.task_identifier };
    if (level === "error") log.error(fields, message);
    else if (level === "warning") log.warn(fields, message);
    else log.debug(fields, message);
  });
  // Our own pool, so that stopping ends every connection before the database stops. Its sessions start
  // with the worker's statement timeout (graphile-worker's own queries too); jobs set it in their transaction.
  const pool = new pg.Pool({
    connectionString: ownerUrl,
    max: env.WORKER_CONCURRENCY + 4,
    application_name: "call-center-ops/worker",
    statement_timeout: env.WORKER_STATEMENT_TIMEOUT_MS,
  });
  pool.on("error", (err) => log.warn({ err: { message: err.message } }, "worker database connection lost"));
  // graphile-worker also wants each connection's own error events handled (it warns at start otherwise).
  pool.on("connect", (client) => client.on("error", (err) => log.warn({ err: { message: err.message } }, "worker database connection error")));
  const runner = await run({
    preset: makePreset({ env, ownerUrl }),
    pgPool: pool,
    taskList,
    logger: workerLogger,
    noHandleSignals: true,
  });
  let running = true;
  let poolEnded = false;
  void runner.promise.finally(() => (running = false));
  // A first heartbeat now, so health is green without waiting for the next minute; and a drain,
  // so raw CDRs left by a killed worker are picked up at once rather than at the next cron minute.
  await runner.addJob("worker__heartbeat", {}, { jobKey: "worker__heartbeat", jobKeyMode: "replace" });
  await runner.addJob("cdr__drain", {}, { jobKey: "cdr__drain", jobKeyMode: "replace" });
  // The scheduled KPI recount (every KPI_CALCULATION_INTERVAL s); a restart keeps the time already set.
  await runner.addJob("kpi__recount", { periodic: true }, {
    jobKey: PERIODIC_KEY, jobKeyMode: "preserve_run_at", queueName: "kpi", runAt: new Date(Date.now() + env.KPI_CALCULATION_INTERVAL * 1000),
  });
  // With the 3CX API configured, the directory is read at start rather than at the next quarter hour.
  if (env.THREECX_API_URL && env.THREECX_API_CLIENT_ID && env.THREECX_API_KEY) {
    await runner.addJob("threecx__sync_directory", {}, { jobKey: "threecx__sync_directory:start", jobKeyMode: "replace", maxAttempts: 1 });
  }
  // The 3CX presence poll (every THREECX_PRESENCE_POLL_SECONDS; it re-queues itself), when the PBX API is configured.
  if (presenceFetcher()) {
    await runner.addJob("pbx__presence_poll", {}, { jobKey: PRESENCE_POLL_KEY, jobKeyMode: "preserve_run_at", queueName: PRESENCE_POLL_QUEUE, maxAttempts: 5 });
  }
  log.info({ concurrency: env.WORKER_CONCURRENCY, host: hostname() }, "worker started");
  return {
    runner,
    isRunning: () => running,
    async stop() {
      if (running) await runner.stop().catch(() => undefined);
      running = false;
      await closeRenderer().catch(() => undefined);
      if (!poolEnded) {
        poolEnded = true;
        await pool.end();
        log.debug({ remaining: pool.totalCount, idle: pool.idleCount }, "worker pool ended");
      }
      log.info("worker stopped");
    },
  };
}
