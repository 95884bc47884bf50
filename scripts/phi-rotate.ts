/**
 * `npm run phi:rotate`: re-encrypt every protected value under
 * PHI_ENCRYPTION_KEY_ID, in batches, with progress; safe to stop and run again.
 * Keep the old key in PHI_ENCRYPTION_KEYS until it reports 0 remaining.
 */
import pg from "pg";
import { parseEnv } from "../lib/env.js";
import { logger } from "../lib/logger.js";
import { phiKeys } from "../lib/phi-keys.js";
import { prepareDatabase } from "../db/database.js";
import { rotateProtectedValues } from "../db/phi-rotation.js";

const env = parseEnv();
const keys = phiKeys(env);
const db = await prepareDatabase({ env, logger, migrate: false });
const client = new pg.Client({ connectionString: db.ownerUrl });
const started = Date.now();
try {
  await client.connect();
  const { reencrypted } = await rotateProtectedValues(client, keys, {
    onProgress: ({ column, done, remaining }) =>
      process.stderr.write(`${column.table}.${column.column}: +${done}, ${remaining} left on older keys\n`),
  });
  process.stdout.write(`re-encrypted ${reencrypted} values under key ${keys.currentKeyId} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
} finally {
  await client.end();
  await db.embedded?.stop();
}
