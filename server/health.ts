/**
 * GET /api/processing/health-check, three states:
 * - 200 {status: "ok"}: the database answers, every committed migration is
 *   applied, jobs are being processed and the CDR feed looks right;
 * - 200 {status: "degraded", reasons}: the service works but something is
 *   wrong (the 3CX feed's times are hours off their arrival, or its records
 *   carry no type fields, or the last 3CX directory sync failed: "PBX
 *   unreachable: <reason>", only when the 3CX API is configured); a load
 *   balancer keeps the instance;
 * - 503 {status: "unavailable", reason}: the database is down, migrations are
 *   pending or no worker runs.
 * It asks the database afresh each time, so it turns 200 again by itself once
 * the database is back. The clock reason is logged once when it appears (and
 * once when it clears), not on every request.
 */
import { withShortTimeout } from "./pools.js";
import fs from "node:fs";
import path from "node:path";
import type { Express } from "express";
import type { Pool } from "pg";
import type { Logger } from "pino";
import { MIGRATIONS_DIR } from "../db/paths.js";
import { version } from "../lib/version.js";
import { judgeCdrFeed, readCdrFeed, type CdrFeed } from "./cdr-feed.js";

/** A job heartbeat older than this means no worker is processing jobs. */
export const HEARTBEAT_STALE_SECONDS = 180;

export interface HealthOptions {
  pool: Pool;
  /** Set when a worker runs in this process. */
  workerRunning?: () => boolean;
  /** THREECX_CDR_TIMEZONE: the zone 3CX times are read in (named in the clock reason). */
  cdrTimeZone: string;
  /** Where the clock reason is logged when it appears and when it clears. */
  logger?: Logger;
  /** THREECX_API_URL, _CLIENT_ID and _KEY are set (or the fake runs): a failing directory sync degrades the health. */
  pbxApiConfigured?: boolean;
}

interface PbxApiState {
  last_attempt_at: string | null;
  last_success_at: string | null;
  last_failure_at: string | null;
  last_failure_reason: string | null;
  last_error: string | null;
  consecutive_failures: number;
  failing: boolean;
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

export function installHealth(app: Express, { pool, workerRunning, cdrTimeZone, logger, pbxApiConfigured = false }: HealthOptions) {
  const expected = committedMigrations();
  // Whether the last judged feed had the clock reason: it is logged on the change, not on every request.
  let clockWrong = false;
  app.get("/api/processing/health-check", async (_req, res) => {
    const started = Date.now();
    const body: Record<string, unknown> = { version, checkedAt: new Date().toISOString() };
    const problems: string[] = [];
    const degraded: string[] = [];
    let status: HealthStatus | undefined;
    let feed: CdrFeed | undefined;
    let feedError: string | undefined;
    let pbx: Record<string, PbxApiState> | undefined;
    try {
      await withShortTimeout(pool, 3000, async (client) => {
        status = (await client.query<{ s: HealthStatus }>("select app_hidden.health_status() as s")).rows[0]?.s;
        // Only once every migration is applied (an older database lacks the function; that is "migrations pending").
        if (status && status.migrations_applied >= expected.length) {
          try {
            feed = await readCdrFeed(client);
          } catch (e) {
            feedError = (e as Error).message;
          }
          if (pbxApiConfigured) {
            pbx = (await client.query<{ h: { status: Record<string, PbxApiState> } }>("select app_hidden.pbx_api_health() as h")).rows[0]?.h.status;
          }
        }
      });
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
    if (feed) {
      const verdict = judgeCdrFeed(feed, cdrTimeZone);
      degraded.push(...verdict.reasons);
      body.cdrFeed = {
        ok: verdict.reasons.length === 0,
        samples: feed.samples,
        medianOffsetSeconds: feed.medianOffsetSeconds,
        latestReceivedAt: feed.latestReceivedAt,
        withTypeFields: feed.withTypeFields,
        clockOk: verdict.clockOk,
        typeFieldsOk: verdict.typeFieldsOk,
      };
      if (verdict.clockOk === false && !clockWrong) {
        logger?.warn({ cdrFeed: body.cdrFeed }, verdict.clockReason);
        clockWrong = true;
      } else if (verdict.clockOk === true && clockWrong) {
        logger?.info({ cdrFeed: body.cdrFeed }, "3CX CDR times agree with their arrival again (median offset within 10 minutes)");
        clockWrong = false;
      }
    } else if (feedError !== undefined) {
      body.cdrFeed = { ok: false, error: feedError };
      degraded.push(`CDR feed not checked: ${feedError}`);
    }
    if (pbx?.directory) {
      const d = pbx.directory;
      // The presence poll (every few seconds) notices an unreachable PBX long before the next directory sync.
      const p = pbx.presence;
      body.pbx = { ok: !d.failing && !p?.failing, directory: d, ...(p ? { presence: p } : {}) };
      if (d.failing) degraded.push(`PBX unreachable: ${d.last_error ?? d.last_failure_reason ?? "directory sync failed"}`);
      if (p?.failing) degraded.push(`PBX unreachable (presence poll): ${p.last_error ?? p.last_failure_reason ?? "presence poll failed"}`);
    } else if (!pbxApiConfigured) {
      body.pbx = { ok: true, configured: false };
    }
    if (problems.length > 0) {
      res.status(503).json({ status: "unavailable", reason: problems.join("; "), ...(degraded.length ? { reasons: degraded } : {}), ...body });
    } else if (degraded.length > 0) {
      res.status(200).json({ status: "degraded", reasons: degraded, ...body });
    } else {
      res.status(200).json({ status: "ok", ...body });
    }
  });
}
