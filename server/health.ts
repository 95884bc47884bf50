/**
 * GET /api/processing/health-check: 200 when the database answers, every
 * committed migration is applied and jobs are being processed; 503 with the
 * reason otherwise. It asks the database afresh each time, so it turns 200
 * again by itself once the database is back.
 */
import fs from "node:fs";
import path from "node:path";
import type { Express } from "express";
import type { Pool } from "pg";
import { MIGRATIONS_DIR } from "../db/paths.js";
import { version } from "../lib/version.js";

/** A job heartbeat older than this means no worker is processing jobs. */
export const HEARTBEAT_STALE_SECONDS = 180;

export interface HealthOptions {
  pool: Pool;
  /** Set when a worker runs in this process. */
  workerRunning?: () => boolean;
}

interface HealthStatus {
  migrations_applied: number;
  latest_migration: string | null;
  last_job_run_at: string | null;
  database_time: string;
}

function committedMigrations(): string[] {
  return fs
    .readdirSync(path.join(MIGRATIONS_DIR, "committed"))
    .filter((f) => f.endsWith(".sql"))
    .sort();
}

export function installHealth(app: Express, { pool, workerRunning }: HealthOptions) {
  const expected = committedMigrations();
  app.get("/api/processing/health-check", async (_req, res) => {
    const started = Date.now();
    const body: Record<string, unknown> = { version, checkedAt: new Date().toISOString() };
    const problems: string[] = [];
    let status: HealthStatus | undefined;
    try {
      const client = await pool.connect();
      try {
        await client.query("set statement_timeout = 3000");
        status = (await client.query<{ s: HealthStatus }>("select app_hidden.health_status() as s")).rows[0]?.s;
      } finally {
        client.release();
      }
      body.database = { ok: true, latencyMs: Date.now() - started };
    } catch (e) {
      const err = e as { code?: string; message?: string };
      if (err.code === "42883" || err.code === "3F000") {
        body.database = { ok: true, latencyMs: Date.now() - started };
        problems.push("migrations not applied: run npm run db:migrate");
      } else {
        body.database = { ok: false, error: err.message ?? "unreachable" };
        problems.push(`database unreachable: ${err.message ?? "no answer"}`);
      }
    }
    if (status) {
      const applied = status.migrations_applied;
      body.migrations = { ok: applied >= expected.length, applied, expected: expected.length, latest: status.latest_migration };
      if (applied < expected.length) problems.push(`migrations pending: ${applied} of ${expected.length} applied`);
      const ageSeconds = status.last_job_run_at
        ? Math.round((Date.parse(status.database_time) - Date.parse(status.last_job_run_at)) / 1000)
        : null;
      const jobsOk = ageSeconds !== null && ageSeconds <= HEARTBEAT_STALE_SECONDS;
      body.worker = {
        ok: jobsOk,
        inProcess: workerRunning ? workerRunning() : undefined,
        lastJobRunAt: status.last_job_run_at,
        heartbeatAgeSeconds: ageSeconds,
      };
      if (!jobsOk)
        problems.push(
          ageSeconds === null ? "no worker has processed a job yet" : `jobs stalled: no worker heartbeat for ${ageSeconds} s`,
        );
    }
    if (problems.length === 0) {
      res.status(200).json({ status: "ok", ...body });
    } else {
      res.status(503).json({ status: "unavailable", reason: problems.join("; "), ...body });
    }
  });
}
