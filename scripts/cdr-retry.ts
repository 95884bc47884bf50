/**
 * `npm run cdr:retry`: after fixing the configuration (THREECX_CDR_FIELDS,
 * THREECX_CDR_TIMEZONE), send the bodies behind open dead letters through the
 * pipeline again. A running worker picks them up at once.
 */
import pg from "pg";
import { parseEnv } from "../lib/env.js";
import { logger } from "../lib/logger.js";
import { prepareDatabase } from "../db/database.js";

const env = parseEnv();
const db = await prepareDatabase({ env, logger, migrate: false });
const client = new pg.Client({ connectionString: db.ownerUrl });
try {
  await client.connect();
  const { rows } = await client.query<{ n: number }>("select app_private.retry_dead_letters() as n");
  process.stdout.write(`${rows[0]!.n} raw bodies queued again; dead letters that still fail will reappear with their reason\n`);
} finally {
  await client.end();
  await db.embedded?.stop();
}
