/** cdr__reattribute: when the agent directory learns an extension, its calls and legs are attributed again. */
import type { Task } from "graphile-worker";
import { z } from "zod";
import { withWorkerRole } from "../with-worker-role.js";

const payload = z.object({ extension: z.string().regex(/^[0-9]{2,8}$/) });

export const cdr__reattribute: Task = async (raw, helpers) => {
  const { extension } = payload.parse(raw);
  await withWorkerRole(helpers, async (client) => {
    const n = (await client.query("select app_private.reattribute_extension($1) as n", [extension])).rows[0].n as number;
    await client.query("select app_private.audit_job_run('cdr__reattribute', jsonb_build_object('extension', $1::text, 'calls', $2::int))", [extension, n]);
  });
};
