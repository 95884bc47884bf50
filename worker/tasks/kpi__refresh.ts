/**
 * kpi__refresh: recounts what calls, legs, shifts, reviews and goals marked
 * stale (app_private.refresh_stale_kpis), until none is left. Queued by the
 * marking statement (no job key, so concurrent writers never wait on one
 * another; a job that finds nothing left ends at once) or, by the CDR worker,
 * after its commit with the job key kpi__refresh; due at once (graphile-worker
 * wakes for it), so figures follow a call within a second. Recounts take
 * turns on an advisory lock, so two never write the same row (not a named
 * queue: a job waiting behind a busy queue is only found by polling, seconds
 * later).
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
