/**
 * shifts__mark_absent (crontab, every 5 minutes): a shift of the last days
 * whose scheduled end has passed with no start logged becomes absent
 * (app_private.mark_absent_shifts); the attendance figures follow through
 * kpi__refresh.
 */
import type { Task } from "graphile-worker";
import { withWorkerRole } from "../with-worker-role.js";

export const shifts__mark_absent: Task = async (_payload, helpers) => {
  const n = await withWorkerRole(helpers, async (client) => Number((await client.query<{ n: number }>("select app_private.mark_absent_shifts() as n")).rows[0]!.n));
  if (n > 0) helpers.logger.info(`${n} shifts marked absent`);
};
