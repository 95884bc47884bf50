/**
 * Applies graphile-worker's own schema, then our committed migrations
 * (graphile-migrate, `migrations/committed`).
 */
import { migrate as graphileMigrate } from "graphile-migrate";
import { Logger as MigrateLogger } from "graphile-migrate";
import { runMigrations as runWorkerMigrations, Logger as WorkerLogger } from "graphile-worker";
import type { Logger } from "pino";
import { MIGRATIONS_DIR } from "./paths.js";

type Level = "error" | "warning" | "info" | "debug";
const bridge = (logger: Logger) => () => (level: Level, message: string) =>
  logger[level === "warning" ? "warn" : level === "info" ? "debug" : level]({ component: "migrate" }, message);

export function migrateSettings(ownerUrl: string, rootUrl: string | undefined, logger: Logger) {
  return {
    connectionString: ownerUrl,
    // Only needed for reset/shadow work; must differ from the owner's.
    ...(rootUrl && rootUrl !== ownerUrl ? { rootConnectionString: rootUrl } : {}),
    migrationsFolder: MIGRATIONS_DIR,
    logger: new MigrateLogger(bridge(logger)),
  };
}

export async function migrateDatabase(ownerUrl: string, rootUrl: string | undefined, logger: Logger): Promise<void> {
  await runWorkerMigrations({ connectionString: ownerUrl, logger: new WorkerLogger(bridge(logger)) });
  await graphileMigrate(migrateSettings(ownerUrl, rootUrl, logger), false, false);
  // graphile-migrate keeps its pool 200 ms after use, and exits the process if
  // an idle client of it errors (a database restart): wait until it is gone.
  await new Promise((resolve) => setTimeout(resolve, 300));
  logger.info("database migrations applied");
}
