/**
 * calls__analyze: runs a call analysis a person queued (analyzeCalls, POST
 * /api/call-processing/analyze). A failed attempt is recorded on the job's
 * row (queued again, or failed for good after its last attempt) and thrown,
 * so graphile-worker retries it with backoff.
 */
import type { Task } from "graphile-worker";
import { z } from "zod";
import { withWorkerRole } from "../with-worker-role.js";

const payload = z.object({ processing_job_id: z.uuid() });

export const calls__analyze: Task = async (raw, helpers) => {
  const { processing_job_id: id } = payload.parse(raw);
  try {
    await withWorkerRole(helpers, async (client) => {
      const result = (await client.query("select app_private.run_call_analysis($1) as result", [id])).rows[0].result as object | null;
      await client.query("select app_private.audit_job_run('calls__analyze', jsonb_build_object('processing_job_id', $1::uuid, 'result', $2::jsonb))", [id, result]);
    });
  } catch (error) {
    const final = helpers.job.attempts >= helpers.job.max_attempts;
    await withWorkerRole(helpers, (client) =>
      client.query("select app_private.processing_job_attempt_failed($1, $2, $3)", [id, error instanceof Error ? error.message : String(error), final]),
    );
    throw error;
  }
};
