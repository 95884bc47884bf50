/**
 * threecx__sync_directory: reads the 3CX directory through XAPI (users,
 * queues with their agents, digital receptionists, ring groups) and applies
 * it in one SQL call (app_private.apply_pbx_directory), so a failure while
 * reading writes nothing. Runs every 15 minutes from the crontab and when a
 * person asks (syncPbxDirectory, POST /api/processing/sync-3cx: a processing
 * job). Every attempt is noted in app_private.pbx_api_status ('directory'),
 * which the health check and /metrics read; a failure carries the client's
 * reason and message, never a secret.
 */
import type { JobHelpers, Task } from "graphile-worker";
import { z } from "zod";
import { withWorkerRole } from "../with-worker-role.js";
import { XapiError, type XapiClient } from "../../integrations/3cx/xapi/client.js";
import { directoryClient } from "../threecx.js";

const payload = z.object({ processing_job_id: z.uuid().optional() }).loose();

export interface DirectorySnapshot {
  users: { number: string; display_name: string | null; first_name: string | null; last_name: string | null; email: string | null; registered: boolean | null; pbx_id: number }[];
  queues: { number: string; name: string | null; agents: { number: string; skill_group: string | null }[] }[];
  receptionists: { number: string; name: string | null }[];
  ring_groups: { number: string; name: string | null }[];
}

/** The whole directory, read before anything is written. */
export async function readDirectory(client: XapiClient): Promise<DirectorySnapshot> {
  const users = await client.listUsers();
  const queues = await client.listQueues();
  const receptionists = await client.listReceptionists();
  const ringGroups = await client.listRingGroups();
  return {
    users: users.map((u) => ({
      number: u.Number,
      display_name: u.DisplayName ?? null,
      first_name: u.FirstName ?? null,
      last_name: u.LastName ?? null,
      email: u.EmailAddress ?? null,
      registered: u.IsRegistered ?? null,
      pbx_id: u.Id,
    })),
    queues: queues.map((q) => ({
      number: q.Number,
      name: q.Name ?? null,
      agents: (q.Agents ?? []).map((a) => ({ number: a.Number, skill_group: a.SkillGroup ?? null })),
    })),
    receptionists: receptionists.map((r) => ({ number: r.Number, name: r.Name ?? null })),
    ring_groups: ringGroups.map((g) => ({ number: g.Number, name: g.Name ?? null })),
  };
}

async function recordFailure(helpers: JobHelpers, reason: string, message: string): Promise<void> {
  await withWorkerRole(helpers, (c) => c.query("select app_private.record_pbx_api_failure('directory', $1, $2)", [reason, message]));
}

export const threecx__sync_directory: Task = async (raw, helpers) => {
  const { processing_job_id: jobId } = payload.parse(raw ?? {});
  if (jobId) {
    const started = await withWorkerRole(helpers, async (c) => (await c.query("select app_private.processing_job_start($1) as ok", [jobId])).rows[0].ok as boolean);
    if (!started) return;
  }
  const failJob = async (message: string, final: boolean) => {
    if (jobId) await withWorkerRole(helpers, (c) => c.query("select app_private.processing_job_attempt_failed($1, $2, $3)", [jobId, message, final]));
  };

  const client = directoryClient(helpers.logger);
  if (!client) {
    // Not configured: nothing to sync on schedule; a person who asked is told why.
    if (jobId) {
      const message = "The 3CX API is not configured: set THREECX_API_URL, THREECX_API_CLIENT_ID and THREECX_API_KEY (docs/3cx-setup.md).";
      await recordFailure(helpers, "not_configured", message);
      await failJob(message, true);
    }
    return;
  }

  let snapshot: DirectorySnapshot;
  try {
    snapshot = await readDirectory(client);
  } catch (e) {
    const reason = e instanceof XapiError ? e.reason : "network";
    const message = e instanceof Error ? e.message : String(e);
    helpers.logger.warn(`3CX directory sync failed (${reason}): ${message}`);
    await recordFailure(helpers, reason, message);
    if (jobId) {
      const final = helpers.job.attempts >= helpers.job.max_attempts || ["unauthorized", "forbidden"].includes(reason);
      await failJob(message, final);
      if (!final) throw e; // retried by graphile-worker with backoff
    }
    return;
  }

  try {
    const result = await withWorkerRole(helpers, async (c) => {
      const r = (await c.query("select app_private.apply_pbx_directory($1::jsonb) as r", [JSON.stringify(snapshot)])).rows[0].r as Record<string, number>;
      await c.query("select app_private.record_pbx_api_success('directory', $1::jsonb)", [JSON.stringify(r)]);
      const changed = Object.entries(r).some(([k, v]) => !["users", "queues", "skipped"].includes(k) && v > 0);
      if (changed) await c.query("select app_private.audit_job_run('threecx__sync_directory', $1::jsonb)", [JSON.stringify({ ...r, processing_job_id: jobId ?? null })]);
      if (jobId) await c.query("select app_private.processing_job_succeeded($1, $2::jsonb)", [jobId, JSON.stringify(r)]);
      return r;
    });
    helpers.logger.info(`3CX directory synced: ${JSON.stringify(result)}`);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    helpers.logger.error(`3CX directory could not be applied: ${message}`);
    await recordFailure(helpers, "apply_failed", message);
    if (jobId) {
      const final = helpers.job.attempts >= helpers.job.max_attempts;
      await failJob(message, final);
      if (!final) throw e;
    }
  }
};
