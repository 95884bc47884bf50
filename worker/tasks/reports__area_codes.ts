/**
 * reports__area_codes (queued once by the migration that added area codes):
 * gives the calls stored before then their caller's area code, in batches
 * (app_private.backfill_call_area_codes decrypts their numbers with the
 * worker's keys); new calls get theirs when they are stored.
 */
import type { Task } from "graphile-worker";
import { withWorkerRole } from "../with-worker-role.js";

export const reports__area_codes: Task = async (_payload, helpers) => {
  let total = 0;
  for (;;) {
    const n = await withWorkerRole(helpers, async (client) =>
      Number((await client.query<{ n: number }>("select app_private.backfill_call_area_codes(5000) as n")).rows[0]!.n));
    total += n;
    if (n < 5000) break;
  }
  if (total > 0) helpers.logger.info(`area codes kept for ${total} stored calls`);
};
