/**
 * reports__dispatch (crontab, every minute): queues a run of every schedule due now. The decision is SQL's
 * (app_hidden.report_run_due: local time in BUSINESS_TIMEZONE, once per slot, caught up within 12 hours);
 * the crontab, which runs in UTC, only wakes this often enough.
 */
import type { Task } from "graphile-worker";
import { withWorkerRole } from "../with-worker-role.js";

export const reports__dispatch: Task = async (_payload, helpers) => {
  const queued = await withWorkerRole(helpers, async (client) =>
    Number((await client.query("select app_private.dispatch_due_reports() as n")).rows[0].n),
  );
  if (queued > 0) helpers.logger.info(`queued ${queued} scheduled report run(s)`);
};
