/**
 * retention__recordings (crontab, daily): honours CALL_RECORDING_RETENTION_DAYS.
 * Clears the recording location of every call that started more than that
 * many days ago (app_private.clear_old_recordings, in batches, each its own
 * transaction), and the copy its ReportCall post keeps, and deletes the
 * recording links past their expiry; the call
 * and its figures stay. One audit row (job_run) says how many of each when
 * anything changed. Payload (tests, a manual run): `{"asOf": ISO time,
 * "retentionDays": n}` instead of now and the setting.
 */
import type { Task } from "graphile-worker";
import { env } from "../../lib/env.js";
import { withWorkerRole } from "../with-worker-role.js";

const BATCH = 5000;

export const retention__recordings: Task = async (payload, helpers) => {
  const given = (payload ?? {}) as { asOf?: string; retentionDays?: number };
  const asOf = given.asOf ?? new Date().toISOString();
  const retentionDays = given.retentionDays ?? env().CALL_RECORDING_RETENTION_DAYS;
  let cleared = 0;
  let reportCopies = 0;
  let linksDeleted = 0;
  for (;;) {
    const row = await withWorkerRole(helpers, async (client) =>
      (await client.query<{ cleared: number; report_copies_cleared: number; links_deleted: number }>("select * from app_private.clear_old_recordings($1, $2, $3)", [asOf, retentionDays, BATCH])).rows[0]!,
    );
    cleared += row.cleared;
    reportCopies += row.report_copies_cleared;
    linksDeleted += row.links_deleted;
    if (row.cleared < BATCH && row.report_copies_cleared < BATCH) break;
  }
  if (cleared + reportCopies + linksDeleted > 0) {
    await withWorkerRole(helpers, (client) =>
      client.query("select app_private.audit_job_run('retention__recordings', $1)", [
        JSON.stringify({ recordings_cleared: cleared, report_copies_cleared: reportCopies, recording_links_deleted: linksDeleted, retention_days: retentionDays, as_of: asOf }),
      ]),
    );
    helpers.logger.info(`${cleared} recording locations cleared (older than ${retentionDays} days), ${linksDeleted} expired recording links deleted`);
  }
};
