/**
 * For benchmarks: the server and the worker as separate processes (as
 * `npm run server` and `npm run worker` run them) against a scratch
 * database, their peak memory, and percentiles.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import type { Pool } from "pg";
import { freePort } from "../../lib/free-port.js";
import type { ScratchDatabase } from "./scratch-database.js";

/** Peak resident memory of a process, sampled (the kernel's high-water mark). */
export function peakRssMiB(pid: number | undefined): number {
  if (!pid) return NaN;
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
    return Number(/VmHWM:\s+(\d+)/.exec(status)?.[1]) / 1024;
  } catch {
    return NaN;
  }
}

export function startProcess(script: string, env: Record<string, string>): ChildProcess {
  const child = spawn(process.execPath, ["--import", "tsx", script], { env: { ...process.env, ...env }, stdio: ["ignore", "ignore", "pipe"] });
  let err = "";
  child.stderr!.on("data", (d: Buffer) => (err = (err + d.toString()).slice(-4000)));
  child.on("exit", (code) => {
    if (code && code !== 0 && code !== 130) process.stderr.write(`${script} exited ${code}:\n${err}\n`);
  });
  return child;
}

export interface RunningService {
  url: string;
  env: Record<string, string>;
  server: ChildProcess;
  worker: ChildProcess;
  stop(): Promise<void>;
}

/** The environment the bench's server (and worker) run with, on a free port. */
async function serviceEnv(db: ScratchDatabase, extraEnv: Record<string, string>): Promise<Record<string, string>> {
  return {
    DATABASE_URL: db.ownerUrl, AUTH_DATABASE_URL: db.authenticatorUrl, PORT: String(await freePort()), HOST: "127.0.0.1",
    LOG_LEVEL: "warn", NODE_ENV: "development", ...extraEnv,
  };
}

/** Waits until `ready` answers true (every 100 ms, at most `seconds`). */
async function waitFor(what: string, ready: () => Promise<boolean>, seconds = 30) {
  for (let i = 0; ; i++) {
    if (await ready()) return;
    if (i > seconds * 10) throw new Error(`the ${what} did not become ready`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Stops children with SIGINT (as Ctrl-C), SIGKILL after 15 s. */
async function stopAll(children: ChildProcess[]) {
  const exited = (c: ChildProcess) => c.exitCode !== null || c.signalCode !== null;
  await Promise.all(children.map((c) => new Promise<void>((resolve) => {
    if (exited(c)) return resolve();
    const force = setTimeout(() => c.kill("SIGKILL"), 15_000);
    c.once("exit", () => {
      clearTimeout(force);
      resolve();
    });
    c.kill("SIGINT");
  })));
}

/** Starts `npm run server` and `npm run worker` against the scratch database and waits for health. */
export async function startService(db: ScratchDatabase, extraEnv: Record<string, string> = {}): Promise<RunningService> {
  const env = await serviceEnv(db, extraEnv);
  const server = startProcess("server/index.ts", env);
  const worker = startProcess("worker/index.ts", env);
  const url = `http://127.0.0.1:${env.PORT}`;
  await waitFor("service", () => fetch(`${url}/api/processing/health-check`).then((r) => r.ok, () => false));
  return { url, env, server, worker, stop: () => stopAll([server, worker]) };
}

export interface RunningServer {
  url: string;
  env: Record<string, string>;
  server: ChildProcess;
  stop(): Promise<void>;
}

/**
 * Starts `npm run server` alone (no worker: queued jobs wait) and waits until it answers HTTP at all; its
 * health check says 503 without a worker, but it listens only once its schema is built.
 */
export async function startServer(db: ScratchDatabase, extraEnv: Record<string, string> = {}): Promise<RunningServer> {
  const env = await serviceEnv(db, extraEnv);
  const server = startProcess("server/index.ts", env);
  const url = `http://127.0.0.1:${env.PORT}`;
  await waitFor("server", async () => {
    if (server.exitCode !== null) throw new Error(`the server exited ${server.exitCode}`);
    return fetch(`${url}/api/processing/health-check`).then(() => true, () => false);
  }, 120);
  return { url, env, server, stop: () => stopAll([server]) };
}

export const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

/**
 * Sends records one per request at a steady rate to the webhook and measures,
 * per record, the time from its 202 until `visibleSql` reports its raw id
 * (called with $1 = raw ids, $2 = their call ids, every 10 ms). Sorted ms.
 */
export async function steadyLatency(opts: {
  url: string;
  secret: string;
  records: { text: string; contentType: string; callId: string }[];
  rate: number;
  pool: Pool;
  visibleSql: string;
}): Promise<number[]> {
  const sent = new Map<number, { at: number; callId: string }>();
  const latencies: number[] = [];
  let stop = false;
  const poller = (async () => {
    for (;;) {
      if (sent.size) {
        const entries = [...sent.entries()];
        const { rows } = await opts.pool.query<{ id: string }>(opts.visibleSql, [entries.map(([id]) => id), entries.map(([, v]) => v.callId)]);
        const now = performance.now();
        for (const r of rows) {
          latencies.push(now - sent.get(Number(r.id))!.at);
          sent.delete(Number(r.id));
        }
      }
      if (stop && sent.size === 0) return;
      await new Promise((r) => setTimeout(r, 10));
    }
  })();
  const started = performance.now();
  const inflight: Promise<void>[] = [];
  for (let i = 0; i < opts.records.length; i++) {
    const wait = started + (i / opts.rate) * 1000 - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const r = opts.records[i]!;
    const send = () =>
      fetch(`${opts.url}/api/3cx/cdr-webhook`, { method: "POST", headers: { "content-type": r.contentType, authorization: `Bearer ${opts.secret}` }, body: `${r.text}\r\n` });
    inflight.push(
      // A request that fails on the network is sent again once (a re-sent record is recognised as a duplicate).
      send()
        .catch(send)
        .then(async (res) => {
          const at = performance.now();
          for (const id of ((await res.json()) as { rawIds: number[] }).rawIds) sent.set(id, { at, callId: r.callId });
        }),
    );
  }
  await Promise.all(inflight);
  stop = true;
  await poller;
  return latencies.sort((a, b) => a - b);
}
