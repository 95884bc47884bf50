/**
 * `npm run simulate -- [--days N --start YYYY-MM-DD] [--rate N] [--seed 1]
 *   [--to webhook|socket|file] [--out PATH] [--format 3cx-v18|3cx-v20|reportcall|neutral]
 *   [--fields LIST] [--volume N] [--malformed SHARE] [--batch N] [--url URL]`
 *
 * Realistic 3CX traffic for the three locations, sent to the webhook, the
 * CDR socket, or written to files, with the answer key (what ingestion must
 * make of every record) written beside it. `--days` generates history as
 * fast as it can; `--rate` sends at that many records per second (and, without
 * --days, keeps going day after day until Ctrl-C).
 */
import { parseCdrFieldList } from "../lib/cdr-fields.js";
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { z } from "zod";
import { parseEnv } from "../lib/env.js";
import { Clock } from "../simulator/clock.js";
import { SIM_FORMATS } from "../simulator/render.js";
import { simulate } from "../simulator/simulation.js";
import { FileSink, paced, SocketSink, WebhookSink, type Sink } from "../simulator/sinks.js";

const env = parseEnv();
const { values } = parseArgs({
  options: {
    days: { type: "string" },
    start: { type: "string" },
    rate: { type: "string" },
    seed: { type: "string", default: "1" },
    to: { type: "string", default: "webhook" },
    out: { type: "string" },
    format: { type: "string", default: "3cx-v20" },
    fields: { type: "string", default: env.THREECX_CDR_FIELDS },
    volume: { type: "string", default: "2000" },
    malformed: { type: "string", default: "0.002" },
    batch: { type: "string", default: "100" },
    url: { type: "string", default: `http://localhost:${env.PORT}` },
    secret: { type: "string" },
    host: { type: "string", default: "127.0.0.1" },
    port: { type: "string" },
    help: { type: "boolean", short: "h" },
  },
});
if (values.help) {
  process.stdout.write(fs.readFileSync(new URL(import.meta.url)).toString().split("*/")[0]!.replace(/^\/\*\*?|^ \* ?/gm, "") + "\n");
  process.exit(0);
}

const today = new Intl.DateTimeFormat("en-CA", { timeZone: env.BUSINESS_TIMEZONE }).format(new Date());
const args = z
  .object({
    days: z.coerce.number().int().min(1).max(3660).optional(),
    start: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "YYYY-MM-DD").optional(),
    rate: z.coerce.number().positive().max(100_000).optional(),
    seed: z.coerce.number().int().min(0).max(2 ** 31 - 1),
    to: z.enum(["webhook", "socket", "file"]),
    out: z.string().optional(),
    format: z.enum(SIM_FORMATS),
    fields: z.string().min(1).transform((list, ctx) => {
      try {
        return parseCdrFieldList(list);
      } catch (e) {
        ctx.addIssue({ code: "custom", message: (e as Error).message });
        return z.NEVER;
      }
    }),
    volume: z.coerce.number().int().min(1).max(100_000),
    malformed: z.coerce.number().min(0).max(0.5),
    batch: z.coerce.number().int().min(1).max(10_000),
    url: z.string().url(),
    secret: z.string().optional(),
    host: z.string(),
    port: z.coerce.number().int().min(1).max(65535).optional(),
  })
  .superRefine((a, ctx) => {
    if (a.to === "file" && !a.out) ctx.addIssue({ code: "custom", path: ["out"], message: "--to file needs --out (a file, or a folder ending in / for one file per call)" });
    if (a.to !== "webhook" && (a.format === "neutral" || a.format === "reportcall"))
      ctx.addIssue({ code: "custom", path: ["format"], message: `${a.format} is JSON and goes to the webhook only` });
  })
  .safeParse(values);
if (!args.success) {
  console.error("simulate: " + args.error.issues.map((i) => `--${i.path.join(".")}: ${i.message}`).join("; "));
  console.error("see: npm run simulate -- --help");
  process.exit(2);
}
const a = args.data;
const streaming = a.rate !== undefined && a.days === undefined;
const days = a.days ?? (streaming ? 3650 : 1);
const start = a.start ?? (a.days && !a.rate ? Clock.addDays(today, -a.days) : today);

let sink: Sink;
let keyPath: string;
if (a.to === "file") {
  const perCall = a.out!.endsWith("/") || (fs.existsSync(a.out!) && fs.statSync(a.out!).isDirectory());
  sink = new FileSink(a.out!, perCall);
  // Beside the output, never inside a per-call folder (an import of the folder would read it as CDR lines).
  keyPath = `${a.out!.replace(/\/+$/, "")}.answer-key.jsonl`;
} else {
  const secret = a.secret ?? env.THREECX_CDR_WEBHOOK_SECRET;
  if (a.to === "webhook" && !secret) {
    console.error("simulate: set THREECX_CDR_WEBHOOK_SECRET (the server's webhook secret) or pass --secret");
    process.exit(2);
  }
  const port = a.port ?? env.THREECX_CDR_SOCKET_PORT;
  if (a.to === "socket" && !port) {
    console.error("simulate: set THREECX_CDR_SOCKET_PORT (the server's CDR socket) or pass --port");
    process.exit(2);
  }
  sink = a.to === "webhook" ? new WebhookSink(`${a.url.replace(/\/$/, "")}/api/3cx/cdr-webhook`, secret!, a.batch) : new SocketSink(a.host, port!, a.batch);
  const dir = a.out ?? path.join(".data", "simulation");
  fs.mkdirSync(dir, { recursive: true });
  keyPath = path.join(dir, "answer-key.jsonl");
}
fs.mkdirSync(path.dirname(path.resolve(keyPath)), { recursive: true });
const key = fs.openSync(keyPath, "w");

let stopping = false;
process.once("SIGINT", () => (stopping = true));
const started = performance.now();
let records = 0;
let calls = 0;
try {
  for (const { day, records: recs, key: entries } of simulate({
    seed: a.seed, start, days, format: a.format, fields: a.fields,
    timeZone: env.BUSINESS_TIMEZONE, cdrTimeZone: env.THREECX_CDR_TIMEZONE, volume: a.volume, malformedRate: a.malformed,
  })) {
    if (stopping) break;
    fs.writeSync(key, entries.map((e) => JSON.stringify(e)).join("\n") + (entries.length ? "\n" : ""));
    if (a.rate) await paced(recs, a.rate, (r) => sink.send(r));
    else await sink.send(recs);
    records += recs.length;
    calls += day.calls.length;
    process.stderr.write(`${day.date}: ${day.calls.length} calls, ${recs.length} records (${Math.round(records / ((performance.now() - started) / 1000))} records/s)\n`);
  }
} finally {
  await sink.close();
  fs.closeSync(key);
}
process.stderr.write(`sent ${records} records for ${calls} calls to ${a.to}; answer key: ${keyPath}\n`);
