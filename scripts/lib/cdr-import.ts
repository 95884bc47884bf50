/**
 * CDR backfill: stores 3CX CDR files in app_private.cdr_raw in chunks of
 * whole lines (COPY, in transactions holding the patient-data keys, so the
 * table's trigger encrypts every body), while an in-process graphile-worker
 * (the same tasks and preset as `npm start`) parses them through the same
 * `cdr__process` pipeline as webhook bodies. Returns what the records became.
 *
 * Resumable without any state outside the database: each stored chunk
 * records its file's identity (path + fingerprint, see cdr-files.ts), its
 * offset and its size, so a new run starts each file at
 * max(import_offset + body_bytes) and never stores a chunk twice. One import
 * runs at a time per database (a session advisory lock), so that rule holds
 * even when two are started by mistake. Other workers (`npm start`) may
 * process the rows too: raw rows are claimed with SKIP LOCKED.
 *
 * Copying waits while more than `maxPendingBytes` of stored bodies wait for
 * a worker: parsing overlaps copying, the copy never runs far ahead, and a
 * worker's claim (raw rows parsed in one transaction) stays a few seconds'
 * work, so progress moves steadily and a stop is quick.
 */
import pg from "pg";
import type { Logger } from "pino";
import type { Env } from "../../lib/env.js";
import { logger as defaultLogger } from "../../lib/logger.js";
import { startWorker, type RunningWorker } from "../../worker/runner.js";
import type { InputFile } from "./cdr-files.js";
import { lineChunks } from "./cdr-chunks.js";
import { copyChunks, type StoredChunk } from "./cdr-copy.js";
import { planFiles, type FilePlan, type FileState } from "./cdr-import-plan.js";

export type { FileState };
export const DEFAULT_CHUNK_LINES = 500;
export const DEFAULT_CHUNK_BYTES = 256 * 1024;
/** Session advisory lock key held while an import runs ("cdrimprt" in ASCII). */
const IMPORT_LOCK_KEY = "7161975104559149684";

export interface ImportOptions {
  /** The database owner (as `npm start`'s worker connects). */
  ownerUrl: string;
  env: Env;
  /** Patient-data key settings (phiPgSettings(phiKeys(env))), given to each COPY transaction. */
  phiSettings: Record<string, string>;
  /** Files to import, in order (listInputFiles). */
  files: InputFile[];
  /** Zone of the files' 3CX times, stored with each chunk (cdr_raw.cdr_time_zone); default: THREECX_CDR_TIMEZONE when read. */
  timeZone?: string;
  /** Lines per chunk (one raw row); default 500. */
  chunkLines?: number;
  /** Bytes per chunk at most (a longer single line is a chunk of its own); default 256 KiB. */
  chunkBytes?: number;
  /** A line longer than this stops the import (not a CDR file); default CDR_MAX_BODY_BYTES. */
  maxLineBytes?: number;
  /** Bytes of chunks per COPY transaction; default one chunk's worth (many small per-call files share one). */
  transactionBytes?: number;
  /** Copying pauses while this many stored bytes wait for a worker; default about 16 full chunks' worth of lines. */
  maxPendingBytes?: number;
  /** How often progress is measured and reported (ms); default 1000. */
  progressIntervalMs?: number;
  onProgress?: (progress: ImportProgress) => void;
  /** Abort: the transaction under way finishes, nothing more is copied, the worker stops after its running jobs. */
  signal?: AbortSignal;
  logger?: Logger;
}

export interface ImportProgress {
  /** copying: storing chunks (and parsing); processing: all stored, waiting for the worker. */
  phase: "copying" | "processing";
  /** Files read (of those with something new). */
  files: { done: number; total: number };
  /** Bytes to import this run; stored; and stored bodies the worker has processed. */
  bytes: { total: number; stored: number; processed: number };
  /** Records (non-blank lines) stored, and records the worker has turned into calls or dead letters. */
  records: { stored: number; processed: number };
  elapsedMs: number;
  /** Records processed per second since the start. */
  rate: number | null;
  /** Estimated seconds until every record is processed. */
  etaSeconds: number | null;
}

/** What raw rows became: records accepted (calls_new + calls_updated), duplicate, dead-lettered; rows still pending. */
export interface ImportCounts {
  chunks: number;
  bytes: number;
  accepted: number;
  duplicate: number;
  deadLettered: number;
  pending: number;
}

export interface FileReport {
  display: string;
  identity: string | null;
  state: FileState;
  /** Where this run started and the size it read up to. */
  from: number;
  to: number;
  /** Where the file's stored chunks end now. */
  storedTo: number;
}

export interface ImportResult {
  files: FileReport[];
  /** Stored by this run, as read from the files. */
  stored: { chunks: number; bytes: number; records: number };
  /** What this run's raw rows became. */
  thisRun: ImportCounts;
  /** What every raw row of these files (all runs) became. */
  overall: ImportCounts;
  elapsedMs: number;
  /** Stopped by the signal before the end (resume by running the same import again). */
  stopped: boolean;
}

export class ImportBusyError extends Error {
  constructor() {
    super("another cdr:import is running against this database; wait for it to finish (one import at a time)");
  }
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal?.removeEventListener("abort", done);
      resolve();
    }
    signal?.addEventListener("abort", done, { once: true });
  });

async function openSession(url: string, log: Logger): Promise<pg.Client> {
  const c = new pg.Client({ connectionString: url, application_name: "call-center-ops/cdr-import" });
  c.on("error", (err) => log.warn({ err: { message: err.message } }, "import database connection lost"));
  await c.connect();
  return c;
}

/** Takes the one-import-at-a-time lock (for the session), waiting a little for a killed run's session to end; false when stopped. */
async function lockImports(client: pg.Client, signal?: AbortSignal): Promise<boolean> {
  const until = Date.now() + 10_000;
  for (;;) {
    const { rows } = await client.query<{ ok: boolean }>("select pg_try_advisory_lock($1::bigint) as ok", [IMPORT_LOCK_KEY]);
    if (rows[0]!.ok) return true;
    if (signal?.aborted) return false;
    if (Date.now() > until) throw new ImportBusyError();
    await sleep(250, signal);
  }
}

/**
 * Progress: stored bytes and records are counted by the copy loop; what the
 * worker processed is measured in the database (this run's raw rows) every
 * interval, and reported with the rate and the time left.
 */
class ProgressMeter {
  readonly progress: ImportProgress;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | null = null;
  private lastAdvance = Date.now();
  private warnedStall = false;
  private readonly started = performance.now();

  constructor(
    private readonly db: pg.Client,
    private readonly startId: number,
    plans: FilePlan[],
    private readonly onProgress: ImportOptions["onProgress"],
    private readonly log: Logger,
  ) {
    this.progress = {
      phase: "copying",
      files: { done: 0, total: plans.length },
      bytes: { total: plans.reduce((n, p) => n + (p.to - p.from), 0), stored: 0, processed: 0 },
      records: { stored: 0, processed: 0 },
      elapsedMs: 0,
      rate: null,
      etaSeconds: null,
    };
  }

  start(intervalMs: number) {
    this.timer = setInterval(() => this.tick(), intervalMs);
  }

  /** Measures now unless a measurement is under way. */
  tick() {
    this.running ??= this.measure()
      .catch((e) => this.log.warn({ err: { message: (e as Error).message } }, "progress query failed"))
      .finally(() => (this.running = null));
  }

  async stop() {
    clearInterval(this.timer);
    await this.running;
  }

  async measure() {
    const p = this.progress;
    const { rows } = await this.db.query<{ bytes: string; records: string }>(
      `select coalesce(sum(body_bytes), 0)::bigint as bytes,
              coalesce(sum(calls_new + calls_updated + calls_duplicate + records_rejected), 0)::bigint as records
         from app_private.cdr_raw where id > $1 and source = 'import' and import_file is not null and status <> 'pending'`,
      [this.startId],
    );
    const records = Number(rows[0]!.records);
    if (records > p.records.processed) {
      this.lastAdvance = Date.now();
      this.warnedStall = false;
    } else if (!this.warnedStall && p.records.stored > records && Date.now() - this.lastAdvance > 120_000) {
      this.warnedStall = true;
      this.log.warn("no stored chunk was processed for 2 minutes; is the worker failing? (see the log above)");
    }
    p.bytes.processed = Number(rows[0]!.bytes);
    p.records.processed = records;
    p.elapsedMs = performance.now() - this.started;
    const seconds = p.elapsedMs / 1000;
    p.rate = seconds >= 3 && records > 0 ? records / seconds : null;
    // Records to expect: exact once everything is stored, else estimated from the bytes.
    const expected = p.phase === "processing" || p.bytes.stored === 0 ? p.records.stored : (p.records.stored / p.bytes.stored) * p.bytes.total;
    p.etaSeconds = p.rate ? Math.max(0, expected - records) / p.rate : null;
    this.onProgress?.({ ...p, files: { ...p.files }, bytes: { ...p.bytes }, records: { ...p.records } });
  }
}

interface CopyContext {
  copier: pg.Client;
  db: pg.Client;
  o: ImportOptions;
  meter: ProgressMeter;
}

/**
 * Reads each file's new chunks and stores them, one transaction per
 * `transactionBytes` (small per-call files share one). Before each
 * transaction it waits while too much stored work waits for a worker.
 * Returns false when stopped by the signal (the transaction under way has
 * finished; chunks read but not yet sent are simply not stored).
 */
async function copyFiles({ copier, db, o, meter }: CopyContext, plans: FilePlan[]): Promise<boolean> {
  const { signal } = o;
  const progress = meter.progress;
  const chunkLines = o.chunkLines ?? DEFAULT_CHUNK_LINES;
  const chunkBytes = o.chunkBytes ?? DEFAULT_CHUNK_BYTES;
  const maxLineBytes = Math.max(o.maxLineBytes ?? o.env.CDR_MAX_BODY_BYTES, chunkBytes);
  const transactionBytes = o.transactionBytes ?? chunkBytes;
  // About 16 chunks of `chunkLines` lines (line length as measured so far; 8,000 records by default): enough that
  // the workers never wait for the copy, few enough that a worker's claim, and so a stop, takes seconds.
  const maxPendingBytes = () => {
    const lineBytes = progress.records.stored > 0 ? progress.bytes.stored / progress.records.stored : chunkBytes / chunkLines;
    return o.maxPendingBytes ?? Math.min(16 * chunkBytes, 16 * chunkLines * lineBytes);
  };
  const roomToCopy = async () => {
    while (!signal?.aborted) {
      const { rows } = await db.query<{ n: string }>(
        "select coalesce(sum(body_bytes), 0)::bigint as n from app_private.cdr_raw where status = 'pending' and source = 'import' and import_file is not null",
      );
      if (Number(rows[0]!.n) < maxPendingBytes()) return true;
      await sleep(100, signal);
    }
    return false;
  };

  let batch: { plan: FilePlan; chunk: StoredChunk; records: number }[] = [];
  let batchBytes = 0;
  const flush = async () => {
    if (batch.length === 0) return true;
    if (!(await roomToCopy())) return false;
    await copyChunks(copier, o.phiSettings, batch.map((b) => b.chunk));
    for (const b of batch) {
      b.plan.storedTo = b.chunk.offset + b.chunk.body.length;
      progress.bytes.stored += b.chunk.body.length;
      progress.records.stored += b.records;
    }
    batch = [];
    batchBytes = 0;
    return true;
  };

  for (const plan of plans) {
    const chunks = lineChunks(plan.input.realPath, {
      from: plan.from, to: plan.to, maxLines: chunkLines, maxBytes: chunkBytes, maxLineBytes, includeUnterminatedTail: plan.includeTail,
    });
    for await (const chunk of chunks) {
      batch.push({ plan, chunk: { file: plan.identity!, offset: chunk.offset, body: chunk.body, timeZone: o.timeZone }, records: chunk.records });
      batchBytes += chunk.body.length;
      // Returning from inside the loop closes the file.
      if (batchBytes >= transactionBytes && !(await flush())) return false;
      if (signal?.aborted) return false;
    }
    progress.files.done++;
  }
  return !signal?.aborted && (await flush());
}

/** Raw rows of these files that earlier runs left pending (a stopped or killed run): this run waits for them too. */
async function pendingFromEarlierRuns(db: pg.Client, identities: string[]): Promise<number[]> {
  const ours = new Set(identities);
  const { rows } = await db.query<{ id: string; import_file: string }>(
    "select id, import_file from app_private.cdr_raw where status = 'pending' and source = 'import' and import_file is not null",
  );
  return rows.filter((r) => ours.has(r.import_file)).map((r) => Number(r.id));
}

/** Waits until no raw row of this run (ids above startId), nor any of `earlier`, is pending; false when stopped. */
async function waitUntilProcessed(db: pg.Client, startId: number, earlier: number[], signal?: AbortSignal): Promise<boolean> {
  for (;;) {
    const { rows } = await db.query<{ n: number }>(
      `select count(*)::int as n from app_private.cdr_raw
        where status = 'pending' and ((id > $1 and source = 'import' and import_file is not null) or id = any($2::bigint[]))`,
      [startId, earlier],
    );
    if (rows[0]!.n === 0) return true;
    await sleep(250, signal);
    if (signal?.aborted) return false;
  }
}

const COUNTS_SELECT = `select count(*)::int as chunks, coalesce(sum(r.body_bytes), 0)::bigint as bytes,
       coalesce(sum(r.calls_new + r.calls_updated), 0)::bigint as accepted,
       coalesce(sum(r.calls_duplicate), 0)::bigint as duplicate,
       coalesce(sum(r.records_rejected), 0)::bigint as dead_lettered,
       count(*) filter (where r.status = 'pending')::int as pending`;

async function counts(db: pg.Client, sql: string, params: unknown[]): Promise<ImportCounts> {
  const row = (await db.query<Record<string, string | number>>(`${COUNTS_SELECT} ${sql}`, params)).rows[0]!;
  return {
    chunks: Number(row.chunks), bytes: Number(row.bytes), accepted: Number(row.accepted),
    duplicate: Number(row.duplicate), deadLettered: Number(row.dead_lettered), pending: Number(row.pending),
  };
}

export async function importCdrFiles(o: ImportOptions): Promise<ImportResult> {
  const started = performance.now();
  const log = (o.logger ?? defaultLogger).child({ component: "cdr-import" });
  // Two sessions: one copies and holds the lock, one measures; both closed before returning.
  const copier = await openSession(o.ownerUrl, log);
  const db = await openSession(o.ownerUrl, log).catch(async (e) => {
    await copier.end();
    throw e;
  });
  let worker: RunningWorker | undefined;
  let meter: ProgressMeter | undefined;
  try {
    let stopped = !(await lockImports(copier, o.signal)) || !!o.signal?.aborted;
    // Rows above this id with an import_file are this run's (no other cdr:import runs while we hold the lock;
    // seed:demo's rows have source 'import' but no import_file).
    const startId = Number((await db.query<{ id: string }>("select coalesce(max(id), 0) as id from app_private.cdr_raw")).rows[0]!.id);
    const plans = stopped ? [] : await planFiles(db, o.files);
    const toCopy = plans.filter((p) => p.state === "new" || p.state === "resumed");
    const identities = plans.flatMap((p) => (p.identity ? [p.identity] : []));
    const earlier = stopped ? [] : await pendingFromEarlierRuns(db, identities);

    if (!stopped) {
      // The same worker as `npm start` (tasks, crontab, preset), quiet so the progress display stays readable.
      const quiet = log.levelVal >= 40 ? log : log.child({}, { level: "warn" });
      worker = await startWorker({ env: o.env, logger: quiet, ownerUrl: o.ownerUrl });
      meter = new ProgressMeter(db, startId, toCopy, o.onProgress, log);
      meter.start(o.progressIntervalMs ?? 1000);
      stopped = !(await copyFiles({ copier, db, o, meter }, toCopy));
      if (!stopped) {
        meter.progress.phase = "processing";
        meter.tick();
        stopped = !(await waitUntilProcessed(db, startId, earlier, o.signal));
      }
      await meter.stop();
      await meter.measure();
    }

    const thisRun = await counts(db, "from app_private.cdr_raw r where r.id > $1 and r.source = 'import' and r.import_file is not null", [startId]);
    const overall = await counts(db, "from app_private.cdr_raw r join unnest($1::text[]) f(file) on r.import_file = f.file where r.source = 'import'", [identities]);
    return {
      files: plans.map((p) => ({ display: p.input.display, identity: p.identity, state: p.state, from: p.from, to: p.to, storedTo: p.storedTo })),
      stored: { chunks: thisRun.chunks, bytes: meter?.progress.bytes.stored ?? 0, records: meter?.progress.records.stored ?? 0 },
      thisRun,
      overall,
      elapsedMs: performance.now() - started,
      stopped,
    };
  } finally {
    await meter?.stop();
    await worker?.stop();
    await copier.query("select pg_advisory_unlock_all()").catch(() => undefined);
    await copier.end().catch(() => undefined);
    await db.end().catch(() => undefined);
  }
}
