/**
 * `npm run cdr:reprocess -- --received-from <when> --received-to <when> [--timezone Zone]`
 *
 * Reads the calls of the raw CDR bodies received in [from, to) again from
 * those bodies, and rebuilds them in place: after a wrong zone (3CX writes
 * UTC; calls read in another zone sit hours off) or other reading rules
 * were fixed. Bodies are chosen by when they arrived, because the stored
 * call times are the wrong ones. Every call keeps its id, so journals, QA
 * reviews and what people entered stay with it; its times, legs, queue and
 * agent are written afresh, first-call resolution and ReportCall matches
 * follow, and the KPI figures of the old and new times are recounted.
 *
 * <when> is an instant with its offset (2020-06-29T04:00:00Z) or a date
 * (2020-06-29: midnight in BUSINESS_TIMEZONE). --timezone sets the zone the
 * bodies' times are read in (an IANA zone: UTC, America/Detroit); without
 * it each body keeps its own (THREECX_CDR_TIMEZONE when it has none), e.g.
 * after fixing THREECX_CDR_TIMEZONE.
 *
 * The work is the worker's cdr__rebuild job; this command queues it and runs
 * a worker until it is done (any other running worker helps). Progress goes
 * to stderr, the result to stdout. Safe to stop and to run again: the same
 * command continues an unfinished run, and a call rebuilt twice is the same.
 * Exit codes: 0 done, 1 failed, 2 bad arguments, 130 stopped by Ctrl-C.
 */
import fs from "node:fs";
import { parseArgs } from "node:util";
import pg from "pg";
import { z } from "zod";
import { parseEnv, type Env } from "../lib/env.js";
import { logger } from "../lib/logger.js";
import { ianaTimeZone } from "../lib/time-zone.js";
import { prepareDatabase, type DatabaseConnections } from "../db/database.js";
import { startWorker, type RunningWorker } from "../worker/runner.js";
import { parseLocalTime } from "../worker/cdr/local-time.js";
import { formatInt } from "./lib/cdr-import-progress.js";

const USAGE = "usage: npm run cdr:reprocess -- --received-from <ISO instant or YYYY-MM-DD> --received-to <...> [--timezone Zone]";
const fail = (lines: string[], code = 2): never => {
  for (const l of lines) process.stderr.write(`cdr:reprocess: ${l}\n`);
  if (code === 2) process.stderr.write(`${USAGE}\n`);
  process.exit(code);
};

/** ISO 8601 instants with their offset, to the second or to the minute (2020-06-29T04:00Z). */
const withOffset = z.union([z.string().datetime({ offset: true }), z.string().datetime({ offset: true, precision: -1 })]);

/** An instant with its offset, or a date (midnight in the business zone), as ISO UTC. */
function instantArgument(businessZone: string) {
  return z.string().trim().transform((text, ctx) => {
    const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
    try {
      if (day) return new Date(parseLocalTime(`${day[1]}/${day[2]}/${day[3]} 00:00:00`, businessZone)).toISOString();
      if (withOffset.safeParse(text).success) return new Date(text).toISOString();
    } catch (e) {
      ctx.addIssue({ code: "custom", message: `'${text}': ${(e as Error).message}` });
      return z.NEVER;
    }
    ctx.addIssue({ code: "custom", message: `'${text}' is neither an instant with its offset (2020-06-29T04:00:00Z) nor a date (2020-06-29)` });
    return z.NEVER;
  });
}

interface Arguments {
  receivedFrom: string;
  receivedTo: string;
  timeZone?: string;
}

function readArguments(env: Env, values: Record<string, unknown>): Arguments {
  const instant = instantArgument(env.BUSINESS_TIMEZONE);
  const args = z
    .object({
      receivedFrom: z.string({ error: "is required" }).pipe(instant),
      receivedTo: z.string({ error: "is required" }).pipe(instant),
      timeZone: ianaTimeZone.optional(),
    })
    .refine((a) => Date.parse(a.receivedTo) > Date.parse(a.receivedFrom), { message: "must be after --received-from", path: ["receivedTo"] })
    .safeParse({ receivedFrom: values["received-from"], receivedTo: values["received-to"], timeZone: values.timezone });
  if (!args.success) {
    const flag: Record<string, string> = { receivedFrom: "--received-from", receivedTo: "--received-to", timeZone: "--timezone" };
    return fail(args.error.issues.map((i) => `${flag[String(i.path[0])] ?? i.path.join(".")}: ${i.message}`));
  }
  return args.data;
}

let parsed: ReturnType<typeof parseArgs>;
try {
  parsed = parseArgs({
    options: {
      "received-from": { type: "string" },
      "received-to": { type: "string" },
      timezone: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
} catch (e) {
  fail([(e as Error).message]);
}
if (parsed!.values.help) {
  process.stdout.write(fs.readFileSync(new URL(import.meta.url)).toString().split("*/")[0]!.replace(/^\/\*\*?|^ \* ?/gm, "") + "\n");
  process.exit(0);
}
let env: Env;
try {
  env = parseEnv();
} catch (e) {
  fail([(e as Error).message], 1);
}
const args = readArguments(env!, parsed!.values);
const selection = { receivedFrom: args.receivedFrom, receivedTo: args.receivedTo, ...(args.timeZone ? { timeZone: args.timeZone } : {}) };

// Ctrl-C: the worker finishes the work under way (kept) and the command stops; run it again to continue. A second
// Ctrl-C exits at once (tsx relays a terminal's press too: repeats within 2 s are the same press).
let stopping = false;
let stopSignalAt = 0;
const onSignal = (signal: NodeJS.Signals) => {
  if (stopping) {
    if (Date.now() - stopSignalAt < 2000) return;
    process.exit(130);
  }
  stopping = true;
  stopSignalAt = Date.now();
  process.stderr.write(`\ncdr:reprocess: ${signal}: finishing the work under way (up to about 20 s), then stopping (again to stop at once)\n`);
};
process.on("SIGINT", onSignal);
process.on("SIGTERM", onSignal);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Progress on stderr: one rewritten line on a terminal, else a line every few seconds. */
function progress(stream: NodeJS.WriteStream = process.stderr) {
  let last = "";
  let lastAt = 0;
  return {
    show(text: string) {
      if (stream.isTTY) stream.write(`\r\x1b[K${text}`);
      else if (text !== last && Date.now() - lastAt >= 5000) {
        stream.write(`cdr:reprocess: ${text}\n`);
        lastAt = Date.now();
      }
      last = text;
    },
    end() {
      if (stream.isTTY && last) stream.write("\r\x1b[K");
      last = "";
    },
  };
}

interface Run {
  id: string;
  state: string;
  calls_selected: number;
  calls_done: number;
  bodies_read: number;
  calls_rebuilt: number;
  calls_moved: number;
  calls_skipped: number;
  calls_failed: number;
  failed_call_ids: string[];
  fcr_changed: number;
  reports_matched: number;
  reports_unmatched: number;
  last_error: string | null;
  failed_at: Date | null;
}

const STALE_TABLES = ["kpi_stale_fcr_calls", "kpi_stale_queue_intervals", "kpi_stale_agent_days", "kpi_stale_person_days", "kpi_stale_goals", "kpi_stale_team_days"];

let db: DatabaseConnections | undefined;
let client: pg.Client | undefined;
let worker: RunningWorker | undefined;
let code = 0;
const display = progress();
try {
  // Like `npm start` on the embedded server (a fresh checkout works at once); a shared server is migrated by db:migrate.
  db = await prepareDatabase({ env: env!, logger, migrate: !env!.DATABASE_URL });
  client = new pg.Client({ connectionString: db.ownerUrl, application_name: "call-center-ops/cdr-reprocess" });
  await client.connect();

  const counts = (await client.query<{ bodies: number; calls: number; unlinked: number }>(
    `select count(*)::int as bodies,
            (select count(distinct l.call_id)::int from app_private.cdr_raw r join app_private.cdr_raw_calls l on l.raw_id = r.id
              where r.received_at >= $1 and r.received_at < $2) as calls,
            count(*) filter (where r.status <> 'pending' and not exists (select 1 from app_private.cdr_raw_calls l where l.raw_id = r.id))::int as unlinked
       from app_private.cdr_raw r where r.received_at >= $1 and r.received_at < $2`,
    [selection.receivedFrom, selection.receivedTo],
  )).rows[0]!;
  process.stdout.write(
    `Selected ${formatInt(counts.bodies)} raw bod${counts.bodies === 1 ? "y" : "ies"} received from ${selection.receivedFrom} to ${selection.receivedTo}` +
      ` and ${formatInt(counts.calls)} call${counts.calls === 1 ? "" : "s"} they brought` +
      (counts.unlinked ? ` (${formatInt(counts.unlinked)} of the bodies were stored before bodies were linked to their calls: they are read first)` : "") +
      (selection.timeZone ? `; their times will be read in ${selection.timeZone}` : "; each body keeps its own zone") +
      ".\n",
  );

  // The same command again continues a run it left unfinished.
  const existing = (await client.query<{ id: string }>(
    "select id from app_private.cdr_rebuild_runs where selection = $1::jsonb and state <> 'done' order by id desc limit 1",
    [JSON.stringify(selection)],
  )).rows[0];
  const runId = existing
    ? Number(existing.id)
    : Number((await client.query<{ id: string }>("insert into app_private.cdr_rebuild_runs (selection) values ($1) returning id", [JSON.stringify(selection)])).rows[0]!.id);
  if (existing) process.stderr.write(`cdr:reprocess: continuing the unfinished run ${runId} of the same selection\n`);
  const startedAt = new Date((await client.query<{ now: Date }>("select now()")).rows[0]!.now);

  // The same worker as `npm start` (tasks, crontab, preset), quiet so the progress stays readable.
  worker = await startWorker({ env: env!, logger: logger.levelVal >= 40 ? logger : logger.child({}, { level: "warn" }), ownerUrl: db.ownerUrl });
  await worker.runner.addJob("cdr__rebuild", { ...selection, runId }, { jobKey: `cdr__rebuild:run:${runId}`, jobKeyMode: "replace" });

  let run: Run;
  for (;;) {
    run = (await client.query<Run>("select * from app_private.cdr_rebuild_runs where id = $1", [runId])).rows[0]!;
    if (run.state === "done") break;
    if (run.failed_at && run.failed_at > startedAt) {
      display.end();
      process.stderr.write(
        `cdr:reprocess: the rebuild failed: ${run.last_error}\n` +
          "What was rebuilt is kept; the job is retried by any running worker and continues where it stopped, or run the same command again after fixing the cause.\n",
      );
      code = 1;
      break;
    }
    if (stopping) {
      display.end();
      process.stderr.write(
        `cdr:reprocess: stopped after ${formatInt(run.calls_done)} of ${formatInt(run.calls_selected)} calls; ` +
          "a running worker (npm start) continues the run, or run the same command again\n",
      );
      code = 130;
      break;
    }
    display.show(run.state === "selecting"
      ? "finding the calls…"
      : `rebuilding: ${formatInt(run.calls_done)} of ${formatInt(run.calls_selected)} calls (${run.calls_selected ? Math.floor((100 * run.calls_done) / run.calls_selected) : 100}%), ${formatInt(run.calls_moved)} moved`);
    await sleep(250);
  }

  if (code === 0) {
    // The figures of the old and new times are recounted by kpi__refresh; wait for the marks made so far.
    const marks = (await client.query<Record<string, string | null>>(
      `select ${STALE_TABLES.map((t) => `(select max(id) from app_private.${t}) as ${t}`).join(", ")}`,
    )).rows[0]!;
    const pending = STALE_TABLES.filter((t) => marks[t] !== null)
      .map((t) => `(select count(*) from app_private.${t} where id <= ${Number(marks[t])})`);
    while (pending.length && !stopping) {
      const left = Number((await client.query<{ n: string }>(`select ${pending.join(" + ")} as n`)).rows[0]!.n);
      if (left === 0) break;
      display.show(`recounting the figures: ${formatInt(left)} marks left`);
      await sleep(250);
    }
    display.end();
    const row = (label: string, n: number) => `  ${label.padEnd(30)}${formatInt(n).padStart(10)}\n`;
    process.stdout.write(
      `Rebuilt ${formatInt(run.calls_rebuilt)} of ${formatInt(run.calls_selected)} calls from their raw bodies.\n` +
        row("raw bodies read", run.bodies_read) +
        row("calls rebuilt", run.calls_rebuilt) +
        row("calls moved", run.calls_moved) +
        row("calls skipped (no records)", run.calls_skipped) +
        row("calls failed", run.calls_failed) +
        row("FCR flags changed", run.fcr_changed) +
        row("ReportCall posts matched", run.reports_matched) +
        row("ReportCall posts unmatched", run.reports_unmatched),
    );
    if (run.calls_failed > 0) {
      process.stderr.write(`cdr:reprocess: ${run.calls_failed} calls were refused by the database and left as they were (${run.failed_call_ids.join(", ")}): ${run.last_error}\n`);
    }
  }
} catch (e) {
  display.end();
  process.stderr.write(`cdr:reprocess: ${(e as Error).message}\n`);
  code = 1;
} finally {
  await worker?.stop();
  await client?.end().catch(() => undefined);
  await db?.embedded?.stop();
}
process.exit(code);
