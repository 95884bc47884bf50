/**
 * `npm run db:check-sql`: do the files under migrations/fixtures/ say what the
 * migrated database holds? Prints each difference (object and file) and exits
 * 1 if there is any. The same check runs in tests/db/sql-files.test.ts.
 */
import pg from "pg";
import { parseEnv } from "../lib/env.js";
import { logger } from "../lib/logger.js";
import { prepareDatabase } from "../db/database.js";
import { SQL_FIXTURES_DIR } from "../db/paths.js";
import { checkSqlFiles } from "../db/sql-files.js";

const env = parseEnv();
const db = await prepareDatabase({ env, logger, migrate: true });
const client = new pg.Client({ connectionString: db.ownerUrl });
let failed = false;
try {
  await client.connect();
  const problems = await checkSqlFiles(client, SQL_FIXTURES_DIR);
  for (const p of problems) console.error(p.message);
  console.error(problems.length ? `${problems.length} difference(s)` : "migrations/fixtures/ and the database agree");
  failed = problems.length > 0;
} finally {
  await client.end();
  await db.embedded?.stop();
}
process.exit(failed ? 1 : 0);
