/**
 * kpi__refresh: recounts the queue intervals and agent days that calls and
 * legs marked stale (app_private.refresh_stale_kpis), until none is left.
 * Queued once per marking transaction by app_private.queue_kpi_refresh
 * (kpi/refresh.sql), or by the CDR worker after its commit; without a job
 * key, since a key would make concurrent writers wait for each other. A run
 * takes every mark there is, so a job queued behind it usually finds none
 * left and ends at once. Due at once (graphile-worker wakes for it), so
 * figures follow a call within a second. Recounts take turns on an advisory
 * lock, so two never write the same row (not a named queue: a job waiting
 * behind a busy queue is only found by polling, seconds later).
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
