/** `npm run db:migrate`: create database and roles if needed, apply committed migrations. */
import { parseEnv } from "../lib/env.js";
import { logger } from "../lib/logger.js";
import { prepareDatabase } from "../db/database.js";

const env = parseEnv();
const db = await prepareDatabase({ env, logger, migrate: true });
await db.embedded?.stop();
