/** `npm run server`: the HTTP service alone, against DATABASE_URL (or the embedded server). */
import { parseEnv } from "../lib/env.js";
import { logger } from "../lib/logger.js";
import { onShutdown, runSteps, type ShutdownStep } from "../lib/shutdown.js";
import { prepareDatabase } from "../db/database.js";
import { makeApp } from "./app.js";
import { listen } from "./listen.js";

const env = parseEnv();
const steps: ShutdownStep[] = [];
try {
  const db = await prepareDatabase({ env, logger, migrate: false });
  steps.unshift(["database", async () => db.embedded?.stop()]);
  const app = await makeApp({ env, logger, authenticatorUrl: db.authenticatorUrl });
  steps.unshift(["server", () => app.close()]);
  await listen(app.server, env, logger);
  onShutdown(logger, steps);
} catch (e) {
  logger.fatal({ err: { message: (e as Error).message } }, "server start failed");
  await runSteps(logger, steps);
  process.exit(1);
}
