/**
 * cdr__process: turns pending raw CDR bodies into calls and legs, or dead
 * letters with the reason. Claims rows with FOR UPDATE SKIP LOCKED, so
 * workers share the work; each batch is one transaction (calls, legs, dead
 * letters and the raw rows' state commit together), so a killed worker
 * leaves its rows pending for the next run. Queued by the raw table's
 * statement-level trigger, and by cdr__drain every minute.
 */
import type { Task } from "graphile-worker";
import type { PoolClient } from "pg";
import { env } from "../../lib/env.js";
import { parseBody } from "../cdr/parse-body.js";
import type { ThreeCxContext } from "../cdr/threecx.js";
import { withWorkerRole } from "../with-worker-role.js";

export const BATCH_SIZE = 200;

async function processBatch(client: PoolClient, batchSize: number): Promise<number> {
  const { rows } = await client.query<{ id: string; content_type: string | null; body: Buffer }>(
    `select id, content_type, app_hidden.phi_decrypt_bytea(body_encrypted) as body
       from app_private.cdr_raw where status = 'pending' order by id limit $1 for update skip locked`,
    [batchSize],
  );
  if (rows.length === 0) return 0;
  const e = env();
  const queueExtensions = new Set(
    (await client.query<{ extension: string }>("select extension from app_public.queues where extension is not null")).rows.map((r) => r.extension),
  );
  const ctx: ThreeCxContext = {
    fields: e.THREECX_CDR_FIELDS.split(",").map((f) => f.trim().toLowerCase()),
    timeZone: e.THREECX_CDR_TIMEZONE ?? e.BUSINESS_TIMEZONE,
    queueExtensions,
  };
  for (const raw of rows) {
    const { calls, rejections, reportCalls = [] } = parseBody(raw.body, raw.content_type, ctx);
    for (const post of reportCalls) {
      await client.query("select app_private.ingest_report_call($1::jsonb, $2)", [JSON.stringify(post), raw.id]);
    }
    // The whole body's calls in one statement; each call is its own subtransaction there.
    const outcomes = calls.length
      ? (await client.query<{ ordinal: number; outcome: string; error_field: string | null; error_message: string | null }>(
          "select ordinal, outcome, error_field, error_message from app_private.ingest_calls($1::jsonb)",
          [JSON.stringify(calls)],
        )).rows
      : [];
    const count = { new: 0, updated: 0, duplicate: 0, rejected: rejections.length };
    for (const o of outcomes) {
      if (o.outcome !== "rejected") {
        count[o.outcome as "new" | "updated" | "duplicate"]++;
        continue;
      }
      count.rejected++;
      await client.query(`insert into app_private.cdr_dead_letters (raw_id, line, field, reason) values ($1, $2, $3, $4)`, [
        raw.id,
        Buffer.from(JSON.stringify(calls[o.ordinal - 1])),
        (o.error_field ?? "call").slice(0, 100),
        `rejected by the database: ${o.error_message ?? "unknown error"}`.slice(0, 2000),
      ]);
    }
    for (const r of rejections) {
      await client.query(`insert into app_private.cdr_dead_letters (raw_id, line_number, line, field, reason) values ($1, $2, $3, $4, $5)`, [
        raw.id, r.lineNumber, r.line, r.field, r.reason.slice(0, 2000),
      ]);
    }
    const accepted = count.new + count.updated + count.duplicate;
    const status = count.rejected === 0 ? "processed" : accepted > 0 ? "partial" : "dead_letter";
    await client.query(
      `update app_private.cdr_raw set status = $2, processed_at = now(), attempts = attempts + 1,
              calls_new = $3, calls_updated = $4, calls_duplicate = $5, records_rejected = $6 where id = $1`,
      [raw.id, status, count.new, count.updated, count.duplicate, count.rejected],
    );
  }
  return rows.length;
}

export const cdr__process: Task = async (_payload, helpers) => {
  // Keep going while there is work, one transaction per batch.
  for (;;) {
    const n = await withWorkerRole(helpers, (client) => processBatch(client, BATCH_SIZE));
    if (n < BATCH_SIZE) break;
  }
};
