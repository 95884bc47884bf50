/**
 * A throw-away, migrated database for benchmarks: its own embedded
 * PostgreSQL in a temporary folder on a free port, never the developer's
 * data. Removed on close.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseEnv, type Env } from "../../lib/env.js";
import { freePort } from "../../lib/free-port.js";
import { logger } from "../../lib/logger.js";
import { prepareDatabase, type DatabaseConnections } from "../../db/database.js";

export interface ScratchDatabase extends DatabaseConnections {
  env: Env;
  close(): Promise<void>;
}


export async function openScratchDatabase(): Promise<ScratchDatabase> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cc-bench-"));
  fs.chmodSync(dir, 0o755); // the server runs as the `postgres` user when we are root
  const { DATABASE_URL: _ignored, ...rest } = process.env;
  const env = parseEnv({ ...rest, EMBEDDED_PG_DIR: dir, EMBEDDED_PG_PORT: String(await freePort()) });
  const db = await prepareDatabase({ env, logger, migrate: true });
  return {
    ...db,
    env,
    async close() {
      await db.embedded?.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const fmt = (n: number, digits = 1) => n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });

export function machine(): string {
  const cpus = os.cpus();
  return `${cpus.length} × ${cpus[0]?.model ?? "cpu"}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
}
