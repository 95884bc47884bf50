/**
 * `npm run seed:demo -- [--days 90] [--volume 1000] [--seed 1] [--end YYYY-MM-DD] [--force]`
 *
 * Development only: fills the database (the embedded one when DATABASE_URL
 * is unset, migrated first) with days of history for the three locations,
 * ending yesterday in BUSINESS_TIMEZONE: simulated 3CX calls through the real
 * ingestion path (raw bodies, then the worker), the agent directory, a
 * manager and a supervisor per location, shifts, goals, call journals and QA
 * reviews. Does nothing when the database already holds calls, unless
 * --force, which tops it up without doubling anything. Progress on stderr,
 * the summary on stdout. The work itself is in scripts/lib/seed-demo.ts.
 */
import fs from "node:fs";
import { parseArgs } from "node:util";
import { z } from "zod";
import { parseEnv } from "../lib/env.js";
import { logger, makeLogger } from "../lib/logger.js";
import { prepareDatabase } from "../db/database.js";
import { formatSummary, seedDemo } from "./lib/seed-demo.js";

// Before the environment is parsed: production's own checks would otherwise stop it with a less useful message.
if (process.env.NODE_ENV === "production") {
  console.error("seed:demo refuses to run with NODE_ENV=production: it writes made-up calls and people. Use it on a development database.");
  process.exit(1);
}

const { values } = parseArgs({
  options: {
    days: { type: "string", default: "90" },
    volume: { type: "string", default: "1000" },
    seed: { type: "string", default: "1" },
    end: { type: "string" },
    force: { type: "boolean", default: false },
    help: { type: "boolean", short: "h" },
  },
});
if (values.help) {
  process.stdout.write(fs.readFileSync(new URL(import.meta.url)).toString().split("*/")[0]!.replace(/^\/\*\*?|^ \* ?/gm, "") + "\n");
  process.exit(0);
}
const args = z
  .object({
    days: z.coerce.number().int().min(1).max(3660),
    volume: z.coerce.number().int().min(1).max(100_000),
    seed: z.coerce.number().int().min(0).max(2 ** 31 - 1),
    end: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, "YYYY-MM-DD")
      .refine((d) => !Number.isNaN(Date.parse(d)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), "not a date")
      .optional(),
    force: z.boolean(),
  })
  .safeParse(values);
if (!args.success) {
  console.error("seed:demo: " + args.error.issues.map((i) => `--${i.path.join(".")}: ${i.message}`).join("; "));
  console.error("usage: npm run seed:demo -- [--days 90] [--volume 1000] [--seed 1] [--end YYYY-MM-DD] [--force]");
  process.exit(2);
}

const env = parseEnv();
const db = await prepareDatabase({ env, logger, migrate: true });
try {
  process.stderr.write(`seed:demo: ${args.data.days} days, about ${args.data.volume} inbound calls a weekday, seed ${args.data.seed}\n`);
  const summary = await seedDemo(
    {
      ownerUrl: db.ownerUrl,
      env,
      // The worker's routine lines would drown the progress; its warnings and errors still show.
      logger: process.env.LOG_LEVEL ? logger : makeLogger("warn"),
      progress: (line) => process.stderr.write(`${line}\n`),
    },
    args.data,
  );
  process.stdout.write(`${formatSummary(summary)}\n`);
} catch (e) {
  console.error(`seed:demo: ${(e as Error).message}`);
  process.exitCode = 1;
} finally {
  await db.embedded?.stop();
}
