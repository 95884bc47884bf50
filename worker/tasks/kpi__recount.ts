/**
 * kpi__recount: recounts every queue and agent figure of a range of business
 * days from the calls (app_private.recount_kpis). With {"periodic": true} it
 * is the PRD's scheduled calculation: it recounts yesterday and today (the
 * days calls still arrive for) and queues itself again
 * KPI_CALCULATION_INTERVAL seconds later (cron has minute granularity, so the
 * interval is kept by the job itself). Upkeep between runs is kpi__refresh's.
 */
import type { Task } from "graphile-worker";
import { z } from "zod";
import { env } from "../../lib/env.js";
import { withWorkerRole } from "../with-worker-role.js";

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const payloadSchema = z.object({ from: day.optional(), to: day.optional(), periodic: z.boolean().optional() }).default({});

export const PERIODIC_KEY = "kpi__recount:periodic";

export const kpi__recount: Task = async (payload, helpers) => {
  const p = payloadSchema.parse(payload ?? {});
  const rows = await withWorkerRole(helpers, async (client) =>
    Number((await client.query<{ n: number }>(
      `select app_private.recount_kpis(coalesce($1::date, app_hidden.business_day(now()) - 1), coalesce($2::date, app_hidden.business_day(now()))) as n`,
      [p.from ?? null, p.to ?? null],
    )).rows[0]!.n),
  );
  helpers.logger.info(`recounted ${rows} KPI rows`);
  if (p.periodic) {
    await helpers.addJob("kpi__recount", { periodic: true }, {
      jobKey: PERIODIC_KEY, jobKeyMode: "replace", queueName: "kpi", runAt: new Date(Date.now() + env().KPI_CALCULATION_INTERVAL * 1000),
    });
  }
};
