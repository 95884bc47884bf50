/**
 * Starts graphile-worker with our tasks and crontab (settings from the shared
 * preset). Signals are handled by the caller, which stops the runner first:
 * running jobs finish before the database goes away, so no job is lost.
 */
import { hostname } from "node:os";
import { run, Logger as WorkerLogger, type Runner } from "graphile-worker";
import type { Logger } from "pino";
import type { Env } from "../lib/env.js";
import { makePreset } from "../graphile.config.js";
import { taskList } from "./tasks/index.js";

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
  const runner = await run({
    preset: makePreset({ env, ownerUrl }),
    taskList,
    logger: workerLogger,
    noHandleSignals: true,
  });
  let running = true;
  void runner.promise.finally(() => (running = false));
  // A first heartbeat now, so health is green without waiting for the next minute.
  await runner.addJob("worker__heartbeat", {}, { jobKey: "worker__heartbeat", jobKeyMode: "replace" });
  log.info({ concurrency: env.WORKER_CONCURRENCY, host: hostname() }, "worker started");
  return {
    runner,
    isRunning: () => running,
    async stop() {
      if (!running) return;
      await runner.stop();
      running = false;
      log.info("worker stopped");
    },
  };
}
