/**
 * kpi__finalize_fcr (crontab, hourly): makes derived first-call resolution
 * final for calls whose repeat-call window has closed
 * (app_private.finalize_fcr); the agents' figures follow through kpi__refresh.
 */
import type { Task } from "graphile-worker";
import { withWorkerRole } from "../with-worker-role.js";

export const kpi__finalize_fcr: Task = async (_payload, helpers) => {
  const n = await withWorkerRole(helpers, async (client) => Number((await client.query<{ n: number }>("select app_private.finalize_fcr() as n")).rows[0]!.n));
  if (n > 0) helpers.logger.info(`first-call resolution made final for ${n} calls`);
};
