/**
 * cdr__process: turns pending raw CDR bodies into calls and legs, or dead
 * letters with the reason. Claims rows with FOR UPDATE SKIP LOCKED, so
 * workers share the work; each claim is one transaction (calls, legs, dead
 * letters and the raw rows' state commit together), so a killed worker
 * leaves its rows pending for the next run. The calls of every body claimed
 * go to the database in one set-based statement (app_private.ingest_calls),
 * which takes its row locks in call-id order, so two processors never
 * deadlock (first-call resolution, which locks earlier calls too, is left to
 * kpi__refresh after the commit). Queued by the raw table's statement-level trigger and by
 * cdr__drain; when a claim comes back full (a backlog), it asks for a second
 * processor (job key cdr__process:helper) to share the work.
 */
import type { Task } from "graphile-worker";
import type { PoolClient } from "pg";
import { env } from "../../lib/env.js";
import type { NormalisedCall, Rejection } from "../cdr/normalised-call.js";
import { cdrContext, loadDirectory } from "../cdr/context.js";
import { collapseDeadLetters } from "../cdr/dead-letters.js";
import { parseBody } from "../cdr/parse-body.js";
import { withWorkerRole } from "../with-worker-role.js";

/** Raw bodies claimed per transaction. */
export const BATCH_SIZE = 50;
/** Raw sources that arrive as calls end (not backfills): their records feed the health check's clock test. */
const LIVE_SOURCES = new Set(["webhook", "socket"]);
/** Live record samples kept for the health check (it reads the last 50). */
const FEED_SAMPLES_KEPT = 500;
/** How long one job keeps claiming while bodies keep arriving. */
const KEEP_GOING_MS = 10_000;

interface Claimed {
  id: string;
  calls: NormalisedCall[];
  rejections: Rejection[];
  count: { new: number; updated: number; duplicate: number; rejected: number };
}

async function processBatch(client: PoolClient, batchSize: number): Promise<number> {
  const { rows } = await client.query<{ id: string; content_type: string | null; body: Buffer; source: string; received_at: Date; cdr_time_zone: string | null }>(
    `select id, content_type, app_hidden.phi_decrypt_bytea(body_encrypted) as body, source, received_at, cdr_time_zone
       from app_private.cdr_raw where status = 'pending' order by id limit $1 for update skip locked`,
    [batchSize],
  );
  if (rows.length === 0) return 0;
  // The KPI recount job is queued after this transaction commits (below), so it never holds that job's row.
  await client.query("select set_config('app.kpi_refresh_after_commit', 'on', true)");
  const e = env();
  const directory = await loadDirectory(client);
  const samples: { raw_id: number; received_at: string; record_end: string; has_type_fields: boolean }[] = [];
  const claimed: Claimed[] = [];
  for (const raw of rows) {
    const ctx = cdrContext(e, directory, raw.cdr_time_zone, raw.received_at);
    const { calls, rejections, reportCalls = [], samples: feed = [] } = parseBody(raw.body, raw.content_type, ctx);
    // Live records (not backfills) tell the health check whether the PBX's clock and zone agree with ours.
    if (LIVE_SOURCES.has(raw.source)) {
      for (const f of feed) samples.push({ raw_id: Number(raw.id), received_at: raw.received_at.toISOString(), record_end: f.recordEnd, has_type_fields: f.hasTypeFields });
    }
    for (const post of reportCalls) {
      await client.query("select app_private.ingest_report_call($1::jsonb, $2)", [JSON.stringify(post), raw.id]);
    }
    claimed.push({ id: raw.id, calls, rejections, count: { new: 0, updated: 0, duplicate: 0, rejected: rejections.length } });
  }

  // Every claimed body's calls in one statement, in arrival order.
  const all = claimed.flatMap((c) => c.calls.map((call) => ({ call, owner: c })));
  const outcomes = all.length
    ? (await client.query<{ ordinal: number; outcome: string; error_field: string | null; error_message: string | null }>(
        "select ordinal, outcome, error_field, error_message from app_private.ingest_calls($1::jsonb)",
        [JSON.stringify(all.map((a) => a.call))],
      )).rows
    : [];
  if (all.length) {
    // Which bodies made which calls: a call is rebuilt from its bodies (cdr:reprocess, a number classified).
    await client.query(
      `insert into app_private.cdr_raw_calls (call_id, raw_id)
       select distinct x.call_id, x.raw_id from jsonb_to_recordset($1::jsonb) as x(call_id text, raw_id bigint)
       on conflict do nothing`,
      [JSON.stringify(all.map((a) => ({ call_id: a.call.call_id, raw_id: Number(a.owner.id) })))],
    );
    // First-call resolution of these calls (and of earlier calls of the same numbers that a repeat flips) is derived by
    // kpi__refresh once this commits: done here, it locked earlier calls another processor might hold (a deadlock).
    await client.query(
      "insert into app_private.kpi_stale_fcr_calls (call_record_id) select id from app_public.call_center_records where call_id = any($1::text[])",
      [[...new Set(all.map((a) => a.call.call_id))]],
    );
  }
  // Dead letters: the database's refusals, then the parser's, per body; many with the same reason are one row.
  const refused = new Map<Claimed, Rejection[]>();
  for (const o of outcomes) {
    const { call, owner } = all[o.ordinal - 1]!;
    if (o.outcome !== "rejected") {
      owner.count[o.outcome as "new" | "updated" | "duplicate"]++;
      continue;
    }
    owner.count.rejected++;
    const list = refused.get(owner) ?? [];
    list.push({
      lineNumber: null,
      line: Buffer.from(JSON.stringify(call)),
      field: (o.error_field ?? "call").slice(0, 100),
      reason: `rejected by the database: ${o.error_message ?? "unknown error"}`.slice(0, 2000),
    });
    refused.set(owner, list);
  }
  const letters = claimed.flatMap((c) =>
    collapseDeadLetters([...(refused.get(c) ?? []), ...c.rejections], e.CDR_MAX_DEAD_LETTERS_PER_REASON).map((r) => ({
      raw_id: Number(c.id),
      line_number: r.lineNumber,
      line: r.line ? r.line.toString("base64") : null,
      field: r.field?.slice(0, 100) ?? null,
      reason: r.reason.slice(0, 2000),
      repeat_count: r.repeatCount,
      last_line_number: r.lastLineNumber,
    })),
  );
  if (letters.length) {
    await client.query(
      `insert into app_private.cdr_dead_letters (raw_id, line_number, line, field, reason, repeat_count, last_line_number)
       select x.raw_id, x.line_number, decode(x.line, 'base64'), x.field, x.reason, x.repeat_count, x.last_line_number
         from rows from (jsonb_to_recordset($1::jsonb) as (raw_id bigint, line_number int, line text, field text, reason text, repeat_count int, last_line_number int))
              with ordinality as x(raw_id, line_number, line, field, reason, repeat_count, last_line_number, n)
        order by x.n`,
      [JSON.stringify(letters)],
    );
  }
  if (samples.length) {
    await client.query(
      `insert into app_private.cdr_feed_samples (raw_id, received_at, record_end, has_type_fields)
       select x.raw_id, x.received_at, x.record_end, x.has_type_fields
         from jsonb_to_recordset($1::jsonb) as x(raw_id bigint, received_at timestamptz, record_end timestamptz, has_type_fields boolean)`,
      [JSON.stringify(samples)],
    );
    // Only the latest are read; keep a few hundred.
    await client.query(`delete from app_private.cdr_feed_samples where id <= (select max(id) - ${FEED_SAMPLES_KEPT} from app_private.cdr_feed_samples)`);
  }
  await client.query(
    `update app_private.cdr_raw r set status = u.status, processed_at = now(), attempts = r.attempts + 1,
            calls_new = u.calls_new, calls_updated = u.calls_updated, calls_duplicate = u.calls_duplicate, records_rejected = u.records_rejected
       from jsonb_to_recordset($1::jsonb) as u(id bigint, status text, calls_new int, calls_updated int, calls_duplicate int, records_rejected int)
      where r.id = u.id`,
    [
      JSON.stringify(
        claimed.map((c) => {
          const accepted = c.count.new + c.count.updated + c.count.duplicate;
          return {
            id: Number(c.id),
            status: c.count.rejected === 0 ? "processed" : accepted > 0 ? "partial" : "dead_letter",
            calls_new: c.count.new, calls_updated: c.count.updated, calls_duplicate: c.count.duplicate, records_rejected: c.count.rejected,
          };
        }),
      ),
    ],
  );
  return rows.length;
}

export const cdr__process: Task = async (payload, helpers) => {
  const isHelper = (payload as { helper?: boolean } | null)?.helper === true;
  let askedForHelp = isHelper;
  // Keep going while there is work, one transaction per claim; bodies arriving one by one are taken as they
  // come, without a job per body. After KEEP_GOING_MS the job ends (a new one is queued by the next insert),
  // so a steady stream never holds up a graceful shutdown.
  const started = Date.now();
  for (;;) {
    const n = await withWorkerRole(helpers, (client) => processBatch(client, BATCH_SIZE));
    if (n > 0) await helpers.addJob("kpi__refresh", {}, { jobKey: "kpi__refresh" });
    if (n === 0 || Date.now() - started > KEEP_GOING_MS) break;
    if (n === BATCH_SIZE && !askedForHelp) {
      askedForHelp = true;
      await helpers.addJob("cdr__process", { helper: true }, { jobKey: "cdr__process:helper", jobKeyMode: "preserve_run_at" });
    }
  }
};
