/**
 * shifts__fill_from_template (crontab, hourly; a day is filled once): the weekly template's shifts
 * of the days that came within 14 days ahead are created
 * (app_private.fill_shifts_from_template); shifts people made, changed or
 * deleted are left alone.
 */
import type { Task } from "graphile-worker";
import { withWorkerRole } from "../with-worker-role.js";

export const shifts__fill_from_template: Task = async (_payload, helpers) => {
  const n = await withWorkerRole(helpers, async (client) =>
    Number((await client.query<{ n: number }>("select app_private.fill_shifts_from_template() as n")).rows[0]!.n),
  );
  if (n > 0) helpers.logger.info(`${n} shifts made from the weekly template`);
};
