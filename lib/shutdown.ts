/**
 * Graceful shutdown on SIGINT/SIGTERM: runs the steps in order, once.
 * tsx relays a terminal's Ctrl-C, so a repeat within 2 s is the same press;
 * a later one while still stopping forces exit.
 */
import type { Logger } from "pino";

export type ShutdownStep = [name: string, step: () => Promise<void>];

export async function runSteps(logger: Logger, steps: ShutdownStep[]): Promise<number> {
  // Some steps await promises no socket or timer backs (the worker's drain):
  // hold the event loop open until every step is done.
  const keepAlive = setInterval(() => undefined, 1000);
  let code = 0;
  for (const [name, step] of steps) {
    try {
      logger.debug({ step: name }, "stopping step");
      await step();
      logger.debug({ step: name }, "step stopped");
    } catch (e) {
      code = 1;
      logger.error({ step: name, err: { message: (e as Error).message } }, "shutdown step failed");
    }
  }
  clearInterval(keepAlive);
  return code;
}

export function onShutdown(logger: Logger, steps: ShutdownStep[]) {
  let stoppingSince = 0;
  const handle = (signal: NodeJS.Signals) => {
    if (stoppingSince) {
      if (Date.now() - stoppingSince < 2000) return;
      logger.warn({ signal }, "signal while stopping; exiting now");
      process.exit(1);
    }
    stoppingSince = Date.now();
    logger.info({ signal }, "stopping");
    void runSteps(logger, steps).then((code) => process.exit(code));
  };
  process.on("SIGINT", handle);
  process.on("SIGTERM", handle);
}
