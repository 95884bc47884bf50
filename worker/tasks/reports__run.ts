/**
 * reports__run: produces a queued report run (worker/reports/produce.ts), stores its file and document, and
 * makes one delivery per recipient (each its own reports__deliver job). A failed attempt is recorded on the run
 * (queued again, or failed for good after the third, with every superadmin notified) and thrown, so
 * graphile-worker retries it with backoff.
 */
import type { Task } from "graphile-worker";
import { z } from "zod";
import { env } from "../../lib/env.js";
import { withWorkerRole } from "../with-worker-role.js";
import { produceDocument, renderFile, runTitle, type RunToProduce } from "../reports/produce.js";

const payload = z.object({ run_id: z.uuid() });

export const reports__run: Task = async (raw, helpers) => {
  const { run_id: id } = payload.parse(raw);
  try {
    const run = await withWorkerRole(helpers, async (client) =>
      (await client.query("select app_private.start_report_run($1) as run", [id])).rows[0].run as RunToProduce | null,
    );
    if (!run) return;
    const doc = await produceDocument(helpers, run, env().INGEST_STALL_MINUTES);
    const file = await renderFile(doc, run);
    await withWorkerRole(helpers, async (client) => {
      const made = (await client.query("select app_private.store_report_run($1, $2, $3, $4, $5, $6) as n", [
        id, runTitle(doc, run), file.fileName, file.contentType, file.bytes, JSON.stringify(doc),
      ])).rows[0].n as number;
      await client.query("select app_private.audit_job_run('reports__run', jsonb_build_object('report_run_id', $1::uuid, 'deliveries', $2::int, 'warnings', $3::int))", [
        id, made, doc.warnings.length,
      ]);
    });
  } catch (error) {
    const final = helpers.job.attempts >= helpers.job.max_attempts;
    await withWorkerRole(helpers, (client) =>
      client.query("select app_private.report_run_failed($1, $2, $3)", [id, error instanceof Error ? error.message : String(error), final]),
    );
    throw error;
  }
};
