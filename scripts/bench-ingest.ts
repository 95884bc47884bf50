/**
 * `npm run bench:ingest [-- --records N --single N --backfill N --latency-seconds N --rate N]`
 *
 * Ingestion throughput and latency on this machine, in one run, against a
 * throw-away embedded database, with the server and the worker as separate
 * processes (as `npm run server` and `npm run worker` run them):
 *  - records/s through the webhook, batched (100 per request) and one record
 *    per request: from the first request to the last record's calls committed;
 *  - records/s through the backfill (`npm run cdr:import` on a CDR file);
 *  - the baseline: a plain COPY of the rows those records became (calls and
 *    legs) into the same tables, triggers off: the cost of the load alone;
 *  - latency 202 → call visible (its raw row's calls committed) at a steady
 *    rate (default 50 records/s): p50, p95, p99;
 *  - peak memory (RSS) of the server and the worker processes.
 * Traffic is the simulator's (3CX v20 lines), a different seed per phase so
 * every phase stores new calls.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { z } from "zod";
import { DEFAULT_CDR_FIELDS } from "../lib/env.js";
import { installPracticeDirectory } from "../simulator/practice.js";
import type { SimRecord } from "../simulator/render.js";
import { simulate } from "../simulator/simulation.js";
import { WebhookSink } from "../simulator/sinks.js";
import { peakRssMiB, percentile, startService, steadyLatency, type RunningService } from "./lib/bench-processes.js";
import { fmt, machine, openScratchDatabase } from "./lib/scratch-database.js";

const { values } = parseArgs({
  options: {
    records: { type: "string", default: "20000" },
    single: { type: "string", default: "3000" },
    backfill: { type: "string", default: "60000" },
    "latency-seconds": { type: "string", default: "60" },
    rate: { type: "string", default: "50" },
  },
});
const opts = z
  .object({
    records: z.coerce.number().int().min(100),
    single: z.coerce.number().int().min(10),
    backfill: z.coerce.number().int().min(100),
    "latency-seconds": z.coerce.number().int().min(5),
    rate: z.coerce.number().min(1).max(1000),
  })
  .parse(values);

const SECRET = "bench-ingest-webhook-secret";
const FIELDS = DEFAULT_CDR_FIELDS.split(",");

/** The first `count` records of simulated traffic for a seed. */
function records(seed: number, count: number): SimRecord[] {
  const out: SimRecord[] = [];
  for (const { records: r } of simulate({ seed, start: "2026-03-02", days: 3650, format: "3cx-v20", fields: FIELDS, timeZone: "America/Detroit", volume: 3000, malformedRate: 0 })) {
    out.push(...r);
    if (out.length >= count) break;
  }
  return out.slice(0, count);
}

const db = await openScratchDatabase();
const owner = new pg.Pool({ connectionString: db.ownerUrl, max: 3 });
const root = new pg.Pool({ connectionString: db.rootUrl, max: 1 });
let service: RunningService | undefined;
const lines: string[] = [];
const say = (s: string) => {
  lines.push(s);
  process.stdout.write(`${s}\n`);
};
try {
  const client = await owner.connect();
  await installPracticeDirectory(client);
  client.release();

  service = await startService(db, { THREECX_CDR_WEBHOOK_SECRET: SECRET, THREECX_CDR_FIELDS: DEFAULT_CDR_FIELDS });
  const { url, server, worker, env: childEnv } = service;

  const pending = async () => Number((await owner.query("select count(*) as n from app_private.cdr_raw where status = 'pending'")).rows[0].n);
  const drained = async () => {
    while ((await pending()) > 0) await new Promise((r) => setTimeout(r, 50));
  };

  say(`# bench:ingest on ${machine()}, ${new Date().toISOString().slice(0, 10)}`);

  // 1. Webhook, batched.
  const batched = records(101, opts.records);
  let t0 = performance.now();
  await new WebhookSink(`${url}/api/3cx/cdr-webhook`, SECRET, 100, 4).send(batched);
  const acceptedIn = performance.now() - t0;
  await drained();
  const batchedRate = batched.length / ((performance.now() - t0) / 1000);
  say(`webhook, 100 records per request (4 senders): ${fmt(batchedRate, 0)} records/s end to end (${batched.length} records; all 202s after ${fmt(acceptedIn / 1000, 1)} s = ${fmt(batched.length / (acceptedIn / 1000), 0)} records/s accepted)`);

  // 2. Webhook, one record per request.
  const single = records(102, opts.single);
  t0 = performance.now();
  await new WebhookSink(`${url}/api/3cx/cdr-webhook`, SECRET, 1, 8).send(single);
  const singleAccepted = performance.now() - t0;
  await drained();
  const singleRate = single.length / ((performance.now() - t0) / 1000);
  say(`webhook, 1 record per request (8 senders): ${fmt(singleRate, 0)} records/s end to end (${single.length} records; accepted at ${fmt(single.length / (singleAccepted / 1000), 0)} requests/s)`);

  // 3. Backfill of a CDR file.
  const fileRecords = records(103, opts.backfill);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cc-bench-ingest-"));
  const file = path.join(dir, "cdr.log");
  fs.writeFileSync(file, fileRecords.map((r) => `${r.text}\r\n`).join(""));
  const callsBefore = Number((await owner.query("select count(*) as n from app_public.call_center_records")).rows[0].n);
  t0 = performance.now();
  const importer = spawn(process.execPath, ["--import", "tsx", "scripts/cdr-import.ts", file], { env: { ...process.env, ...childEnv }, stdio: ["ignore", "ignore", "pipe"] });
  let importErr = "";
  importer.stderr!.on("data", (d: Buffer) => (importErr = (importErr + d.toString()).slice(-4000)));
  let importPeak = 0;
  const sampler = setInterval(() => (importPeak = Math.max(importPeak, peakRssMiB(importer.pid))), 200);
  const code = await new Promise<number | null>((resolve) => importer.on("exit", resolve));
  clearInterval(sampler);
  if (code !== 0) throw new Error(`cdr:import exited ${code}:\n${importErr}`);
  await drained();
  const backfillSeconds = (performance.now() - t0) / 1000;
  const backfillRate = fileRecords.length / backfillSeconds;
  const backfillCalls = Number((await owner.query("select count(*) as n from app_public.call_center_records")).rows[0].n) - callsBefore;
  say(`backfill (npm run cdr:import, one ${fmt(fs.statSync(file).size / 2 ** 20, 1)} MiB file): ${fmt(backfillRate, 0)} records/s (${fileRecords.length} records → ${backfillCalls} calls in ${fmt(backfillSeconds, 1)} s; importer peak ${fmt(importPeak, 0)} MiB)`);
  fs.rmSync(dir, { recursive: true, force: true });

  // 4. Baseline: a plain COPY of the rows the backfill made, into the same tables, triggers off.
  const rc = await root.connect();
  try {
    await rc.query("begin");
    await rc.query("create temp table bench_calls as select * from app_public.call_center_records where created_at >= (select min(received_at) from app_private.cdr_raw where source = 'import')");
    await rc.query("create temp table bench_legs as select l.* from app_public.call_legs l join bench_calls c on c.id = l.call_record_id");
    const legs = Number((await rc.query("select count(*) as n from bench_legs")).rows[0].n);
    await rc.query("delete from app_public.call_legs l using bench_calls c where l.call_record_id = c.id");
    await rc.query("set local session_replication_role = replica");
    await rc.query("delete from app_public.call_center_records c using bench_calls b where c.id = b.id");
    // COPY through a file the server can read, so the baseline is COPY's speed, not the client's.
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "cc-bench-copy-"));
    fs.chmodSync(tmp, 0o777);
    // Stored columns only: generated ones are computed by the table itself.
    const columns = async (table: string) =>
      (await rc.query<{ list: string }>(
        `select string_agg(quote_ident(column_name), ', ' order by ordinal_position) as list from information_schema.columns
          where table_schema = 'app_public' and table_name = $1 and is_generated = 'NEVER'`,
        [table],
      )).rows[0]!.list;
    const callColumns = await columns("call_center_records");
    const legColumns = await columns("call_legs");
    await rc.query(`copy (select ${callColumns} from bench_calls) to '${path.join(tmp, "calls.copy")}'`);
    await rc.query(`copy (select ${legColumns} from bench_legs) to '${path.join(tmp, "legs.copy")}'`);
    const c0 = performance.now();
    await rc.query(`copy app_public.call_center_records (${callColumns}) from '${path.join(tmp, "calls.copy")}'`);
    await rc.query(`copy app_public.call_legs (${legColumns}) from '${path.join(tmp, "legs.copy")}'`);
    const copySeconds = (performance.now() - c0) / 1000;
    await rc.query("commit");
    fs.rmSync(tmp, { recursive: true, force: true });
    const copyRate = fileRecords.length / copySeconds;
    say(`baseline, plain COPY of the same ${backfillCalls} calls and ${legs} legs into the same tables (triggers off): ${fmt(copyRate, 0)} records/s (${fmt(copySeconds, 2)} s)`);
    say(`ratios: backfill / COPY = ${fmt(backfillRate / copyRate, 2)} (aim > 0.33); webhook batched / COPY = ${fmt(batchedRate / copyRate, 2)}; webhook single / COPY = ${fmt(singleRate / copyRate, 2)}`);
    const callsPerSecond = backfillCalls / backfillSeconds;
    say(`two years (3,000,000 calls) at the backfill's ${fmt(callsPerSecond, 0)} calls/s: ${fmt(3_000_000 / callsPerSecond / 60, 1)} min (aim < 30 min)`);
  } catch (e) {
    await rc.query("rollback").catch(() => undefined);
    throw e;
  } finally {
    rc.release();
  }

  // 5. Latency at a steady rate, one record per request.
  const steady = records(104, Math.round(opts.rate * opts["latency-seconds"]));
  const latencies = await steadyLatency({
    url, secret: SECRET, records: steady, rate: opts.rate, pool: owner,
    visibleSql: "select id from app_private.cdr_raw where id = any($1::bigint[]) and status <> 'pending' and $2::text[] is not null",
  });

  say(`latency 202 → call visible at ${opts.rate} records/s for ${opts["latency-seconds"]} s (${latencies.length} records): p50 ${fmt(percentile(latencies, 50), 0)} ms, p95 ${fmt(percentile(latencies, 95), 0)} ms, p99 ${fmt(percentile(latencies, 99), 0)} ms (aim p95 < 1000 ms; the PRD's floor is 5 s)`);
  say(`peak memory: server ${fmt(peakRssMiB(server.pid), 0)} MiB, worker ${fmt(peakRssMiB(worker.pid), 0)} MiB (RSS high-water marks)`);
} finally {
  await service?.stop();
  await owner.end();
  await root.end();
  await db.close();
}
