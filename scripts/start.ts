/**
 * `npm start`: everything in one process. The database (embedded when
 * DATABASE_URL is unset) with migrations applied, the HTTP server and the
 * worker. Ctrl-C stops the server, lets running jobs finish, then stops the
 * embedded database.
 */
import { forgetEnv, parseEnv } from "../lib/env.js";
import { logger } from "../lib/logger.js";
import { onShutdown, runSteps, type ShutdownStep } from "../lib/shutdown.js";
import { prepareDatabase } from "../db/database.js";
import { makeApp } from "../server/app.js";
import { listen } from "../server/listen.js";
import { startWorker } from "../worker/runner.js";
import { startFake3cx, demoDirectory, startPresenceDrift } from "../integrations/3cx/fake/index.js";

let env = parseEnv();
const steps: ShutdownStep[] = [];
try {
  if (env.THREECX_API_FAKE) {
    // Development: a fake 3CX with the demo practice's agents (npm run seed:demo), whose presence moves; the client talks to it.
    const fake = await startFake3cx({ ...demoDirectory(), clientId: "demo-client", clientSecret: "demo-key", tokenLifetimeSeconds: 3600 });
    const stopDrift = startPresenceDrift(fake.controls);
    steps.unshift(["fake 3CX", async () => {
      stopDrift();
      await fake.close();
    }]);
    Object.assign(process.env, { THREECX_API_URL: fake.url, THREECX_API_CLIENT_ID: "demo-client", THREECX_API_KEY: "demo-key" });
    forgetEnv();
    env = parseEnv();
    logger.info({ url: fake.url, users: fake.controls.users.length }, "fake 3CX started (THREECX_API_FAKE=true)");
  }
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
