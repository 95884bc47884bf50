/**
 * worker__heartbeat: stamps app_private.job_heartbeat. Queued every minute by
 * the crontab and once at worker start; the health check reads the stamp to
 * tell whether jobs are being processed.
 */
import type { Task } from "graphile-worker";
import { hostname } from "node:os";
import { withWorkerRole } from "../with-worker-role.js";

export const worker__heartbeat: Task = async (_payload, helpers) => {
  await withWorkerRole(helpers, (client) =>
    client.query(
      `insert into app_private.job_heartbeat (id, last_run_at, worker_id) values (true, now(), $1)
       on conflict (id) do update set last_run_at = excluded.last_run_at, worker_id = excluded.worker_id`,
      [`${hostname()}:${process.pid}`],
    ),
  );
};
