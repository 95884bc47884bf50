/** `npm run worker`: the worker alone, against DATABASE_URL (or the embedded server). */
import { parseEnv } from "../lib/env.js";
import { logger } from "../lib/logger.js";
import { onShutdown, runSteps, type ShutdownStep } from "../lib/shutdown.js";
import { prepareDatabase } from "../db/database.js";
import { startWorker } from "./runner.js";

const env = parseEnv();
const steps: ShutdownStep[] = [];
try {
  const db = await prepareDatabase({ env, logger, migrate: false });
  steps.unshift(["database", async () => db.embedded?.stop()]);
  const worker = await startWorker({ env, logger, ownerUrl: db.ownerUrl });
  steps.unshift(["worker", () => worker.stop()]);
  onShutdown(logger, steps);
} catch (e) {
  logger.fatal({ err: { message: (e as Error).message } }, "worker start failed");
  await runSteps(logger, steps);
  process.exit(1);
}
