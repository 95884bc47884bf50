/** `npm run db:reset`: drop and rebuild the database from the committed migrations. Refused in production. */
import { spawnSync } from "node:child_process";
import path from "node:path";
import { parseEnv } from "../lib/env.js";
import { PROJECT_ROOT } from "../db/paths.js";

const env = parseEnv();
if (env.NODE_ENV === "production") {
  console.error("db:reset drops the database; refused with NODE_ENV=production.");
  process.exit(1);
}
const tsx = path.join(PROJECT_ROOT, "node_modules", ".bin", "tsx");
const reset = spawnSync(tsx, ["scripts/gm.ts", "reset", "--erase"], { cwd: PROJECT_ROOT, stdio: "inherit" });
if (reset.status !== 0) process.exit(reset.status ?? 1);
const migrate = spawnSync(tsx, ["scripts/db-migrate.ts"], { cwd: PROJECT_ROOT, stdio: "inherit" });
process.exit(migrate.status ?? 1);
