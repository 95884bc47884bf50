/**
 * graphile-migrate's CLI against this project's database (embedded or
 * DATABASE_URL), for schema work: `npm run gm -- watch`, `npm run gm -- commit`.
 * It sets DATABASE_URL (owner), SHADOW_DATABASE_URL and ROOT_DATABASE_URL for the CLI.
 */
import { spawnSync } from "node:child_process";
import path from "node:path";
import { parseEnv } from "../lib/env.js";
import { logger } from "../lib/logger.js";
import { prepareDatabase } from "../db/database.js";
import { PROJECT_ROOT } from "../db/paths.js";

const env = parseEnv();
const args = process.argv.slice(2);
if (env.NODE_ENV === "production" && args.some((a) => ["reset", "watch", "commit", "uncommit"].includes(a))) {
  console.error(`graphile-migrate ${args[0]} is for development; refused with NODE_ENV=production.`);
  process.exit(1);
}
const db = await prepareDatabase({ env, logger, migrate: false });
// graphile-migrate's root connection must not be on the database it drops.
const root = new URL(db.rootUrl ?? db.ownerUrl);
root.pathname = "/postgres";
const shadow = new URL(db.ownerUrl);
shadow.pathname = `${shadow.pathname}_shadow`;
const result = spawnSync(path.join(PROJECT_ROOT, "node_modules", ".bin", "graphile-migrate"), args, {
  cwd: PROJECT_ROOT,
  stdio: "inherit",
  env: {
    ...process.env,
    DATABASE_URL: db.ownerUrl,
    SHADOW_DATABASE_URL: shadow.toString(),
    ROOT_DATABASE_URL: root.toString(),
  },
});
await db.embedded?.stop();
process.exit(result.status ?? 1);
