/** cdr__drain (crontab, every minute): queues cdr__process when raw rows wait, e.g. left by a killed worker. */
import type { Task } from "graphile-worker";
import { withWorkerRole } from "../with-worker-role.js";

export const cdr__drain: Task = async (_payload, helpers) => {
  const pending = await withWorkerRole(helpers, async (client) =>
    Number((await client.query("select count(*) from app_private.cdr_raw where status = 'pending'")).rows[0].count),
  );
  if (pending > 0) await helpers.addJob("cdr__process", {}, { jobKey: "cdr__process", jobKeyMode: "preserve_run_at" });
};
