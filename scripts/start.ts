/**
 * `npm start`: everything in one process. The database (embedded when
 * DATABASE_URL is unset) with migrations applied, the HTTP server and the
 * worker. Ctrl-C stops the server, lets running jobs finish, then stops the
 * embedded database.
 */
import { parseEnv } from "../lib/env.js";
import { logger } from "../lib/logger.js";
import { onShutdown, runSteps, type ShutdownStep } from "../lib/shutdown.js";
import { prepareDatabase } from "../db/database.js";
import { makeApp } from "../server/app.js";
import { listen } from "../server/listen.js";
import { startWorker } from "../worker/runner.js";

const env = parseEnv();
const steps: ShutdownStep[] = [];
try {
  const db = await prepareDatabase({ env, logger, migrate: true });
  steps.unshift(["database", async () => db.embedded?.stop()]);
  const worker = await startWorker({ env, logger, ownerUrl: db.ownerUrl });
  steps.unshift(["worker", () => worker.stop()]);
  const app = await makeApp({ env, logger, authenticatorUrl: db.authenticatorUrl, workerRunning: worker.isRunning });
  steps.unshift(["server", () => app.close()]);
  await listen(app.server, env, logger);
  onShutdown(logger, steps);
} catch (e) {
  logger.fatal({ err: { message: (e as Error).message } }, "start failed");
  await runSteps(logger, steps);
  process.exit(1);
}
