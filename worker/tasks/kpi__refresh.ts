/**
 * kpi__refresh: recounts the queue intervals and agent days that calls and
 * legs marked stale (app_private.refresh_stale_kpis), until none is left.
 * Queued by the marking itself, with a job key in its own queue ("kpi"), so
 * duplicates collapse and two recounts never run at once; it is due at once
 * (graphile-worker wakes for it), so figures follow a call within a second.
 */
import type { Task } from "graphile-worker";
import { withWorkerRole } from "../with-worker-role.js";

const KEYS_PER_TRANSACTION = 500;

export const kpi__refresh: Task = async (_payload, helpers) => {
  for (;;) {
    const taken = await withWorkerRole(helpers, async (client) =>
      Number((await client.query<{ n: number }>("select app_private.refresh_stale_kpis($1) as n", [KEYS_PER_TRANSACTION])).rows[0]!.n),
    );
    if (taken === 0) break;
  }
};
