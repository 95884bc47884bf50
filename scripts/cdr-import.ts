/**
 * `npm run cdr:import -- [--chunk-lines 500] [--chunk-kib 256] [--timezone Zone] <file or folder>...`
 *
 * Backfills 3CX CDR files: one CDR log of any size (read as a stream), or
 * folders of 3CX's one-file-per-call output (every regular file in the
 * folder, by name). Chunks of whole lines are stored encrypted in
 * app_private.cdr_raw with COPY and parsed by the same worker pipeline as
 * webhook bodies, by a worker inside this command (and by any other running
 * worker). Progress goes to stderr; the result (records accepted, duplicate,
 * dead-lettered; this run and the files overall) to stdout.
 *
 * --timezone (an IANA zone: UTC, America/Detroit) is the zone the files'
 * times are in, kept with each stored chunk; without it they are read in
 * THREECX_CDR_TIMEZONE (3CX writes UTC).
 *
 * Stop it any time (Ctrl-C, or a crash): running the same command again
 * continues where it stopped, and a file 3CX appended to continues from
 * where the last run ended. Exit codes: 0 done, 1 failed, 2 bad arguments or
 * unreadable files, 130 stopped by Ctrl-C.
 */
import fs from "node:fs";
import { parseArgs } from "node:util";
import { z } from "zod";
import { parseEnv, type Env } from "../lib/env.js";
import { ianaTimeZone } from "../lib/time-zone.js";
import { logger } from "../lib/logger.js";
import { phiKeys, phiPgSettings } from "../lib/phi-keys.js";
import { prepareDatabase, type DatabaseConnections } from "../db/database.js";
import { listInputFiles } from "./lib/cdr-files.js";
import { DEFAULT_CHUNK_BYTES, DEFAULT_CHUNK_LINES, ImportBusyError, importCdrFiles, type ImportCounts, type ImportResult } from "./lib/cdr-import.js";
import { formatBytes, formatDuration, formatInt, progressDisplay } from "./lib/cdr-import-progress.js";

const USAGE = "usage: npm run cdr:import -- [--chunk-lines N] [--chunk-kib N] [--timezone Zone] <file or folder>...";
const fail = (lines: string[], code = 2): never => {
  for (const l of lines) process.stderr.write(`cdr:import: ${l}\n`);
  if (code === 2) process.stderr.write(`${USAGE}\n`);
  process.exit(code);
};

/** The command line, checked before anything touches the database (zod; exit 2 with the reasons). */
function readArguments(): { paths: string[]; chunkLines: number; chunkKib: number; timeZone?: string } {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: {
        "chunk-lines": { type: "string", default: String(DEFAULT_CHUNK_LINES) },
        "chunk-kib": { type: "string", default: String(DEFAULT_CHUNK_BYTES / 1024) },
        timezone: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (e) {
    return fail([(e as Error).message]);
  }
  if (parsed.values.help) {
    process.stdout.write(fs.readFileSync(new URL(import.meta.url)).toString().split("*/")[0]!.replace(/^\/\*\*?|^ \* ?/gm, "") + "\n");
    process.exit(0);
  }
  const args = z
    .object({
      paths: z.array(z.string().min(1)).min(1, "name at least one CDR file or folder"),
      chunkLines: z.coerce.number().int().min(1).max(100_000),
      chunkKib: z.coerce.number().int().min(1).max(4096),
      timeZone: ianaTimeZone.optional(),
    })
    .safeParse({ paths: parsed.positionals, chunkLines: parsed.values["chunk-lines"], chunkKib: parsed.values["chunk-kib"], timeZone: parsed.values.timezone });
  if (!args.success) {
    const flag: Record<string, string> = { paths: "files", chunkLines: "--chunk-lines", chunkKib: "--chunk-kib", timeZone: "--timezone" };
    return fail(args.error.issues.map((i) => `${flag[String(i.path[0])] ?? i.path.join(".")}: ${i.message}`));
  }
  return args.data;
}

/** The environment and the patient-data key settings each COPY transaction gets (exit 1 when invalid). */
function readConfiguration(): { env: Env; phiSettings: Record<string, string> } {
  try {
    const env = parseEnv();
    return { env, phiSettings: phiPgSettings(phiKeys(env)) };
  } catch (e) {
    return fail([(e as Error).message], 1);
  }
}

const { paths, chunkLines, chunkKib, timeZone } = readArguments();
const inputs = listInputFiles(paths);
if (inputs.errors.length > 0) fail(inputs.errors);
const { env, phiSettings } = readConfiguration();

// Ctrl-C: the transaction under way finishes, nothing more is copied, the worker finishes its jobs.
// A second Ctrl-C (tsx relays a terminal's press too: repeats within 2 s are the same press) exits at once;
// the database rolls back whatever was unfinished.
const display = progressDisplay(process.stderr);
const controller = new AbortController();
let stopSignalAt = 0;
const onSignal = (signal: NodeJS.Signals) => {
  if (stopSignalAt) {
    if (Date.now() - stopSignalAt < 2000) return;
    process.stderr.write("\ncdr:import: stopping now; run the same command again to continue\n");
    process.exit(130);
  }
  stopSignalAt = Date.now();
  display.stop();
  process.stderr.write(`\ncdr:import: ${signal}: finishing the transaction under way, then stopping (again to stop at once)\n`);
  controller.abort();
};
process.on("SIGINT", onSignal);
process.on("SIGTERM", onSignal);

const shellQuote = (s: string) => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, "'\\''")}'`);
const resumeCommand = `npm run cdr:import -- ${process.argv.slice(2).map(shellQuote).join(" ")}`;

function table(result: ImportResult): string {
  const row = (label: string, pick: (c: ImportCounts) => number) =>
    `  ${label.padEnd(16)}${formatInt(pick(result.thisRun)).padStart(12)}${formatInt(pick(result.overall)).padStart(22)}\n`;
  return (
    `  ${"records".padEnd(16)}${"this run".padStart(12)}${"these files, all".padStart(22)}\n` +
    row("accepted", (c) => c.accepted) +
    row("duplicate", (c) => c.duplicate) +
    row("dead-lettered", (c) => c.deadLettered)
  );
}

let db: DatabaseConnections | undefined;
let code = 0;
try {
  // Like `npm start` on the embedded server (a fresh checkout works at once); a shared server is migrated by db:migrate.
  db = await prepareDatabase({ env, logger, migrate: !env.DATABASE_URL });
  const result = await importCdrFiles({
    ownerUrl: db.ownerUrl,
    env,
    phiSettings,
    files: inputs.files,
    timeZone,
    chunkLines,
    chunkBytes: chunkKib * 1024,
    onProgress: (p) => display.update(p),
    signal: controller.signal,
    logger,
  });
  display.stop();
  for (const f of result.files) {
    if (f.state === "changed") {
      process.stderr.write(`cdr:import: ${f.display}: skipped: it is shorter (${f.to} bytes) than what was already imported from it (${f.storedTo} bytes); was it changed in place?\n`);
    } else if (!result.stopped && f.identity && f.storedTo < f.to && f.state !== "complete") {
      process.stderr.write(`cdr:import: ${f.display}: its last ${f.to - f.storedTo} bytes have no line end yet (3CX may be writing the line); the next run imports them\n`);
    }
  }
  const seconds = result.elapsedMs / 1000;
  const processed = result.thisRun.accepted + result.thisRun.duplicate + result.thisRun.deadLettered;
  const rate = seconds > 0 ? processed / seconds : 0;
  if (result.stopped) {
    process.stderr.write(
      `cdr:import: stopped. This run stored ${formatInt(result.thisRun.chunks)} chunks (${formatBytes(result.stored.bytes)}, ${formatInt(result.stored.records)} records)` +
        (result.thisRun.pending > 0 ? `; ${formatInt(result.thisRun.pending)} still wait for a worker (npm start's, or the next import's)` : "") +
        `.\nTo resume: ${resumeCommand}\n`,
    );
    process.stdout.write(table(result));
    code = 130;
  } else {
    const n = result.files.length;
    const withNew = result.files.filter((f) => f.state === "new" || f.state === "resumed").length;
    const files = `${withNew === n ? "" : `${withNew} of `}${n} file${n === 1 ? "" : "s"}`;
    process.stdout.write(
      result.thisRun.chunks === 0
        ? `Nothing new to import: ${n === 1 ? "the file is" : `the ${n} files are`} already imported up to ${n === 1 ? "its end" : "their ends"}.\n`
        : `Imported ${files}: ${formatBytes(result.stored.bytes)}, ${formatInt(processed)} records in ${formatDuration(seconds)} (${formatInt(rate)} records/s).\n`,
    );
    process.stdout.write(table(result));
    // Every stored record comes back as accepted, duplicate or dead-lettered; anything else deserves a look.
    if (processed !== result.stored.records) {
      process.stderr.write(`cdr:import: the worker reported ${formatInt(processed)} records for the ${formatInt(result.stored.records)} stored by this run; see the log\n`);
    }
  }
} catch (e) {
  display.stop();
  process.stderr.write(`cdr:import: ${(e as Error).message}\n`);
  if (!controller.signal.aborted && !(e instanceof ImportBusyError)) {
    process.stderr.write(`Whatever was stored is kept; to continue after fixing the cause: ${resumeCommand}\n`);
  }
  code = controller.signal.aborted ? 130 : 1;
} finally {
  await db?.embedded?.stop();
}
process.exit(code);
