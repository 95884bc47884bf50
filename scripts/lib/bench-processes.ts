/**
 * For benchmarks: the server and the worker as separate processes (as
 * `npm run server` and `npm run worker` run them) against a scratch
 * database, their peak memory, and percentiles.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
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

/** Starts `npm run server` and `npm run worker` against the scratch database and waits for health. */
export async function startService(db: ScratchDatabase, extraEnv: Record<string, string> = {}): Promise<RunningService> {
  const port = await freePort();
  const env = {
    DATABASE_URL: db.ownerUrl, AUTH_DATABASE_URL: db.authenticatorUrl, PORT: String(port), HOST: "127.0.0.1",
    LOG_LEVEL: "warn", NODE_ENV: "development", ...extraEnv,
  };
  const server = startProcess("server/index.ts", env);
  const worker = startProcess("worker/index.ts", env);
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    if (await fetch(`${url}/api/processing/health-check`).then((r) => r.ok, () => false)) break;
    if (i > 300) throw new Error("the server did not become healthy");
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url, env, server, worker,
    async stop() {
      for (const c of [server, worker]) c.kill("SIGINT");
      await Promise.all([server, worker].map((c) => new Promise((r) => (c.exitCode !== null ? r(null) : c.once("exit", r)))));
    },
  };
}

export const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
