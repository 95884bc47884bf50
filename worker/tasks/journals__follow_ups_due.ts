/**
 * journals__follow_ups_due (crontab, every 15 minutes): tells each journal's
 * agent, once, that a follow-up the journal asks for is due today or
 * tomorrow (app_private.notify_due_follow_ups: notifications rows, respecting
 * notification_preferences; delivery channels come later).
 */
import type { Task } from "graphile-worker";
import { withWorkerRole } from "../with-worker-role.js";

export const journals__follow_ups_due: Task = async (_payload, helpers) => {
  const n = await withWorkerRole(helpers, async (client) => Number((await client.query<{ n: number }>("select app_private.notify_due_follow_ups() as n")).rows[0]!.n));
  if (n > 0) helpers.logger.info(`${n} follow-ups coming due notified`);
};
