/** `npm run db:describe`: rewrite db/schema.sql and db/schema.graphql from the migrated database. */
import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import { parseEnv } from "../lib/env.js";
import { logger } from "../lib/logger.js";
import { prepareDatabase } from "../db/database.js";
import { describeDatabase, describeGraphQL } from "../db/describe.js";
import { PROJECT_ROOT } from "../db/paths.js";
import { makePreset } from "../graphile.config.js";

const env = parseEnv();
const db = await prepareDatabase({ env, logger, migrate: true });
const client = new pg.Client({ connectionString: db.ownerUrl });
const pool = new pg.Pool({ connectionString: db.authenticatorUrl, max: 2 });
// PostGraphile may leave a connection idle in the pool when the server stops: that is the end, not an error.
pool.on("error", () => undefined);
try {
  await client.connect();
  fs.writeFileSync(path.join(PROJECT_ROOT, "db", "schema.sql"), await describeDatabase(client));
  fs.writeFileSync(path.join(PROJECT_ROOT, "db", "schema.graphql"), await describeGraphQL(makePreset({ env, authenticatorPool: pool })));
  console.error("wrote db/schema.sql and db/schema.graphql");
} finally {
  await client.end();
  await pool.end();
  await db.embedded?.stop();
}
