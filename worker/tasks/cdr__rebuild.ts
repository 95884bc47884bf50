/**
 * cdr__rebuild: reads stored calls again from their raw bodies and rebuilds
 * them in place (app_private.rebuild_calls): after a zone fix
 * (`npm run cdr:reprocess`), or when the PBX directory learns what a number
 * is (queued by the directory's triggers with {numbers}).
 *
 * Payload, one of:
 *  - {receivedFrom, receivedTo, timeZone?}: the calls of the raw bodies
 *    received in [from, to) (the stored call times are the wrong ones, so
 *    bodies are chosen by arrival); with timeZone, those bodies' zone is set
 *    to it first;
 *  - {callIds}: these calls;
 *  - {numbers}: the calls whose PBX route passed one of these numbers;
 * and runId when it continues a run.
 *
 * A run is a row in app_private.cdr_rebuild_runs: the calls it handles are
 * fixed when it starts (cdr_rebuild_targets), then taken in call-id order,
 * BATCH_SIZE calls a transaction, each call with ALL the raw bodies linked to
 * it (a call may have records in bodies outside the window), each body read
 * in its own zone with the current directory. The cursor and the counts
 * commit with each batch, so a job that stops (a crash, a shutdown) is
 * retried and resumes after the last batch; a job hands over to a new one
 * (same run) after KEEP_GOING_MS, so it never holds a shutdown up for long.
 * Rebuilding is idempotent: a batch done twice changes nothing more.
 *
 * Bodies stored before raw bodies were linked to their calls (migration
 * 000029) are read once to link them: those received in the window and a
 * day either side (where a call's other records arrive).
 */
import type { JobHelpers, Task } from "graphile-worker";
import type { PoolClient } from "pg";
import { z } from "zod";
import { env, type Env } from "../../lib/env.js";
import { ianaTimeZone } from "../../lib/time-zone.js";
import { cdrContext, loadDirectory } from "../cdr/context.js";
import type { NormalisedCall } from "../cdr/normalised-call.js";
import { parseBody } from "../cdr/parse-body.js";
import type { PbxKind } from "../cdr/threecx.js";
import { withWorkerRole } from "../with-worker-role.js";

/** Calls rebuilt per transaction. */
export const BATCH_SIZE = 200;
/** Raw bodies linked per transaction (bodies stored before they were linked to calls). */
const LINK_BATCH = 50;
/** Before 000029 a call's bodies were not linked: bodies this far either side of the window are linked too. */
const LINK_MARGIN = "1 day";
/** How long one job keeps going before it hands the run over to a new job. */
const KEEP_GOING_MS = 20_000;
/** Parsed calls kept from bodies already read (consecutive batches often share bodies). */
const CACHED_CALLS = 20_000;
/** Attempts of a transaction that lost a deadlock or a serialization conflict. */
const RETRIES = 5;

const instant = z.string().datetime({ offset: true });
const runId = z.number().int().positive().optional();
export const rebuildPayload = z.union([
  z.object({ receivedFrom: instant, receivedTo: instant, timeZone: ianaTimeZone.optional(), runId }).strict()
    .refine((p) => Date.parse(p.receivedTo) > Date.parse(p.receivedFrom), { message: "receivedTo must be after receivedFrom", path: ["receivedTo"] }),
  z.object({ callIds: z.array(z.string().min(1).max(200)).min(1).max(1_000_000), runId }).strict(),
  z.object({ numbers: z.array(z.string().regex(/^[0-9]{2,8}$/)).min(1).max(10_000), runId }).strict(),
]);
export type RebuildPayload = z.infer<typeof rebuildPayload>;
type Selection =
  | { receivedFrom: string; receivedTo: string; timeZone?: string }
  | { callIds: string[] }
  | { numbers: string[] };

interface RebuiltRow {
  call_id: string;
  moved: boolean;
  old_start: Date | null;
  new_start: Date;
  fcr_changed: number;
  reports_matched: number;
  reports_unmatched: number;
}

/** Parsed bodies, by raw id and zone: the calls each holds, in record order. */
class ParsedBodies {
  private readonly bodies = new Map<string, Map<string, NormalisedCall[]>>();
  private calls = 0;
  private directoryKey = "";

  /** Forgets everything when the directory changed (a body then reads differently). */
  useDirectory(directory: ReadonlyMap<string, PbxKind>) {
    const key = JSON.stringify([...directory].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    if (key !== this.directoryKey) {
      this.bodies.clear();
      this.calls = 0;
      this.directoryKey = key;
    }
  }

  get(key: string) {
    return this.bodies.get(key);
  }

  set(key: string, byCall: Map<string, NormalisedCall[]>) {
    this.bodies.set(key, byCall);
    this.calls += byCall.size;
    for (const [oldest, calls] of this.bodies) {
      if (this.calls <= CACHED_CALLS || oldest === key) break;
      this.bodies.delete(oldest);
      this.calls -= calls.size;
    }
  }
}

function byCall(calls: NormalisedCall[]): Map<string, NormalisedCall[]> {
  const map = new Map<string, NormalisedCall[]>();
  for (const c of calls) {
    const list = map.get(c.call_id);
    if (list) list.push(c);
    else map.set(c.call_id, [c]);
  }
  return map;
}

const isRetryable = (e: unknown) => ["40P01", "40001"].includes((e as { code?: string }).code ?? "");

/** One worker-role transaction, tried again when it lost a deadlock or a serialization conflict. */
async function transaction<T>(helpers: JobHelpers, fn: (client: PoolClient) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await withWorkerRole(helpers, fn);
    } catch (e) {
      if (!isRetryable(e) || attempt >= RETRIES) throw e;
      await new Promise((r) => setTimeout(r, 50 * attempt + Math.random() * 100));
    }
  }
}

/** The run of this job: the payload's, else one created for it (found again by job id when the job is retried). */
async function runOf(helpers: JobHelpers, payload: RebuildPayload): Promise<number> {
  const { runId: given, ...selection } = payload;
  if (given !== undefined) return given;
  return transaction(helpers, async (client) =>
    Number((await client.query<{ id: string }>(
      `insert into app_private.cdr_rebuild_runs (job_id, selection) values ($1, $2)
       on conflict (job_id) do update set updated_at = now() returning id`,
      [helpers.job.id, JSON.stringify(selection)],
    )).rows[0]!.id),
  );
}

/** Bodies stored before they were linked to their calls, received in the window or a day either side: linked now. */
async function linkOldBodies(helpers: JobHelpers, e: Env, from: string, to: string) {
  let after = 0;
  for (;;) {
    const n = await transaction(helpers, async (client) => {
      const { rows } = await client.query<{ id: string; content_type: string | null; cdr_time_zone: string | null; body: Buffer }>(
        `select r.id, r.content_type, r.cdr_time_zone, app_hidden.phi_decrypt_bytea(r.body_encrypted) as body
           from app_private.cdr_raw r
          where r.received_at >= $1::timestamptz - $3::interval and r.received_at < $2::timestamptz + $3::interval
            and r.status <> 'pending' and r.id > $4
            and not exists (select 1 from app_private.cdr_raw_calls l where l.raw_id = r.id)
          order by r.id limit $5`,
        [from, to, LINK_MARGIN, after, LINK_BATCH],
      );
      if (rows.length === 0) return 0;
      const directory = await loadDirectory(client);
      const links: { call_id: string; raw_id: number }[] = [];
      for (const raw of rows) {
        const { calls } = parseBody(raw.body, raw.content_type, cdrContext(e, directory, raw.cdr_time_zone));
        for (const id of new Set(calls.map((c) => c.call_id))) links.push({ call_id: id, raw_id: Number(raw.id) });
      }
      if (links.length) {
        await client.query(
          `insert into app_private.cdr_raw_calls (call_id, raw_id)
           select x.call_id, x.raw_id from jsonb_to_recordset($1::jsonb) as x(call_id text, raw_id bigint) on conflict do nothing`,
          [JSON.stringify(links)],
        );
      }
      after = Number(rows[rows.length - 1]!.id);
      return rows.length;
    });
    if (n === 0) return;
  }
}

/** Fixes the calls the run handles (and, for a window with a zone, sets the bodies' zone first). */
async function select(helpers: JobHelpers, e: Env, id: number, selection: Selection) {
  if ("receivedFrom" in selection) {
    const { receivedFrom: from, receivedTo: to, timeZone } = selection;
    if (timeZone) {
      await transaction(helpers, (client) =>
        client.query(
          `update app_private.cdr_raw set cdr_time_zone = $3
            where received_at >= $1 and received_at < $2 and cdr_time_zone is distinct from $3`,
          [from, to, timeZone],
        ),
      );
    }
    await linkOldBodies(helpers, e, from, to);
  }
  await transaction(helpers, async (client) => {
    const { rows } = await client.query<{ state: string }>("select state from app_private.cdr_rebuild_runs where id = $1 for update", [id]);
    if (rows[0]?.state !== "selecting") return;
    let bodies = 0;
    if ("receivedFrom" in selection) {
      bodies = Number((await client.query<{ n: string }>(
        "select count(*) as n from app_private.cdr_raw where received_at >= $1 and received_at < $2",
        [selection.receivedFrom, selection.receivedTo],
      )).rows[0]!.n);
      await client.query(
        `insert into app_private.cdr_rebuild_targets (run_id, call_id)
         select distinct $1::bigint, l.call_id from app_private.cdr_raw r join app_private.cdr_raw_calls l on l.raw_id = r.id
          where r.received_at >= $2 and r.received_at < $3
         on conflict do nothing`,
        [id, selection.receivedFrom, selection.receivedTo],
      );
    } else if ("callIds" in selection) {
      await client.query(
        "insert into app_private.cdr_rebuild_targets (run_id, call_id) select distinct $1::bigint, x from unnest($2::text[]) x on conflict do nothing",
        [id, selection.callIds],
      );
    } else {
      await client.query(
        `insert into app_private.cdr_rebuild_targets (run_id, call_id)
         select $1::bigint, c.call_id from app_public.call_center_records c where c.pbx_route && $2::text[]
         on conflict do nothing`,
        [id, selection.numbers],
      );
    }
    await client.query(
      `update app_private.cdr_rebuild_runs set state = 'rebuilding', bodies_selected = $2, updated_at = now(),
              calls_selected = (select count(*) from app_private.cdr_rebuild_targets where run_id = $1)
        where id = $1`,
      [id, bodies],
    );
  });
}

interface BatchCounts {
  done: number;
  rebuilt: number;
  moved: number;
  skipped: number;
  failed: string[];
  fcr: number;
  matched: number;
  unmatched: number;
  error?: string;
}

/** The raw bodies linked to these calls, in the order they arrived. */
const linkedBodies = async (client: PoolClient, callIds: string[]) =>
  (await client.query<{ id: string; content_type: string | null; cdr_time_zone: string | null }>(
    `select r.id, r.content_type, r.cdr_time_zone from app_private.cdr_raw r
      where r.id in (select l.raw_id from app_private.cdr_raw_calls l where l.call_id = any($1::text[])) order by r.id`,
    [callIds],
  )).rows;

/** Rebuilds these calls in the open transaction, from every raw body linked to them. */
async function rebuild(client: PoolClient, e: Env, cache: ParsedBodies, callIds: string[]): Promise<BatchCounts> {
  const directory = await loadDirectory(client);
  cache.useDirectory(directory);
  const key = (r: { id: string; cdr_time_zone: string | null }) => `${r.id}|${r.cdr_time_zone ?? e.THREECX_CDR_TIMEZONE}`;
  const wanted = new Set(callIds);
  let raws = await linkedBodies(client, callIds);
  let earlier: RebuiltRow[] = [];
  for (;;) {
    const unread = raws.filter((r) => !cache.get(key(r)));
    if (unread.length) {
      const { rows: bodies } = await client.query<{ id: string; body: Buffer }>(
        "select id, app_hidden.phi_decrypt_bytea(body_encrypted) as body from app_private.cdr_raw where id = any($1::bigint[])",
        [unread.map((r) => r.id)],
      );
      const body = new Map(bodies.map((b) => [b.id, b.body]));
      for (const raw of unread) {
        const { calls } = parseBody(body.get(raw.id)!, raw.content_type, cdrContext(e, directory, raw.cdr_time_zone));
        cache.set(key(raw), byCall(calls));
      }
    }
    // Every record of these calls, in the order they arrived (raw id, then place in the body), as ingestion saw them.
    const records = raws.flatMap((r) => [...cache.get(key(r))!].filter(([id]) => wanted.has(id)).flatMap(([, calls]) => calls));
    const found = new Set(records.map((r) => r.call_id));
    const counts: BatchCounts = { done: callIds.length, rebuilt: 0, moved: 0, skipped: callIds.length - found.size, failed: [], fcr: 0, matched: 0, unmatched: 0 };
    if (records.length === 0) return counts;
    const { rows } = await client.query<RebuiltRow>(
      "select call_id, moved, old_start, new_start, fcr_changed, reports_matched, reports_unmatched from app_private.rebuild_calls($1::jsonb)",
      [JSON.stringify(records)],
    );
    // rebuild_calls holds the calls now: a body that brought more records of them and committed while they were
    // read is linked by now (a later one waits for this commit and merges its records after). Then again, with it.
    const now = await linkedBodies(client, callIds);
    if (now.length !== raws.length) {
      raws = now;
      earlier = [...earlier, ...rows];
      continue;
    }
    return tally(counts, rows, earlier);
  }
}

/** The counts of a batch; a call rebuilt twice in it (a body arrived meanwhile) moved from where it first was. */
function tally(counts: BatchCounts, rows: RebuiltRow[], earlier: RebuiltRow[]): BatchCounts {
  const first = new Map<string, RebuiltRow>();
  for (const r of earlier) if (!first.has(r.call_id)) first.set(r.call_id, r);
  counts.rebuilt = rows.length;
  for (const r of [...rows, ...earlier]) {
    counts.fcr += r.fcr_changed;
    counts.matched += r.reports_matched;
    counts.unmatched += r.reports_unmatched;
  }
  for (const r of rows) {
    const old = first.has(r.call_id) ? first.get(r.call_id)!.old_start : r.old_start;
    if (old !== null && old.getTime() !== r.new_start.getTime()) counts.moved++;
  }
  return counts;
}

/** The batch's counts and the cursor, in the batch's transaction. */
async function record(client: PoolClient, id: number, lastCallId: string, c: BatchCounts) {
  await client.query(
    `update app_private.cdr_rebuild_runs set
        last_call_id = $2, calls_done = calls_done + $3, calls_rebuilt = calls_rebuilt + $4, calls_moved = calls_moved + $5,
        calls_skipped = calls_skipped + $6, calls_failed = calls_failed + cardinality($7::text[]),
        failed_call_ids = (failed_call_ids || $7::text[])[1:100], fcr_changed = fcr_changed + $8,
        reports_matched = reports_matched + $9, reports_unmatched = reports_unmatched + $10,
        last_error = coalesce($11, last_error), updated_at = now()
      where id = $1`,
    [id, lastCallId, c.done, c.rebuilt, c.moved, c.skipped, c.failed, c.fcr, c.matched, c.unmatched, c.error ?? null],
  );
}

type Step = "done" | "more" | "none";

/** One batch: the next calls after the cursor, rebuilt and recorded in one transaction. */
async function step(helpers: JobHelpers, e: Env, cache: ParsedBodies, id: number): Promise<Step> {
  const batch = async (client: PoolClient) => {
    // The run's row, locked: two jobs of one run (a retried job beside its successor) take turns.
    const run = (await client.query<{ state: string; last_call_id: string | null }>(
      "select state, last_call_id from app_private.cdr_rebuild_runs where id = $1 for update", [id],
    )).rows[0];
    if (!run || run.state === "done") return { step: "done" as const, callIds: [] };
    const callIds = (await client.query<{ call_id: string }>(
      `select call_id from app_private.cdr_rebuild_targets where run_id = $1 and call_id > coalesce($2, '') order by call_id limit $3`,
      [id, run.last_call_id, BATCH_SIZE],
    )).rows.map((r) => r.call_id);
    return { step: callIds.length ? ("more" as const) : ("none" as const), callIds };
  };
  try {
    return await transaction(helpers, async (client) => {
      const { step: s, callIds } = await batch(client);
      if (s !== "more") return s;
      // The KPI recount is queued once this commits (below), not from inside the transaction.
      await client.query("select set_config('app.kpi_refresh_after_commit', 'on', true)");
      await record(client, id, callIds[callIds.length - 1]!, await rebuild(client, e, cache, callIds));
      return s;
    });
  } catch (err) {
    if (isRetryable(err)) throw err;
    // A record the database refuses fails its batch: the calls are then taken one at a time, and a call that
    // fails alone is left as it was and named in the run.
    helpers.logger.warn(`cdr__rebuild run ${id}: a batch failed (${(err as Error).message}); taking its calls one at a time`);
    const { callIds } = await transaction(helpers, batch);
    for (const callId of callIds) {
      try {
        await transaction(helpers, async (client) => {
          await client.query("select set_config('app.kpi_refresh_after_commit', 'on', true)");
          await record(client, id, callId, await rebuild(client, e, cache, [callId]));
        });
      } catch (one) {
        if (isRetryable(one)) throw one;
        await transaction(helpers, (client) =>
          record(client, id, callId, { done: 1, rebuilt: 0, moved: 0, skipped: 0, failed: [callId], fcr: 0, matched: 0, unmatched: 0,
            error: `${callId}: ${(one as Error).message}`.slice(0, 2000) }),
        );
      }
    }
    return callIds.length ? "more" : "none";
  }
}

/** The run ends: bodies read counted, targets let go, one audit row; runs finished a month ago are forgotten. */
async function finish(helpers: JobHelpers, id: number) {
  await transaction(helpers, async (client) => {
    const { rows } = await client.query<{ state: string }>("select state from app_private.cdr_rebuild_runs where id = $1 for update", [id]);
    if (rows[0]?.state !== "rebuilding") return;
    const run = (await client.query(
      `update app_private.cdr_rebuild_runs set state = 'done', finished_at = now(), updated_at = now(),
              bodies_read = (select count(distinct l.raw_id) from app_private.cdr_rebuild_targets t
                               join app_private.cdr_raw_calls l on l.call_id = t.call_id where t.run_id = $1)
        where id = $1
        returning case when length(selection::text) > 1000 then jsonb_build_object('selection_bytes', length(selection::text)) else selection end as selection, bodies_read, calls_selected, calls_rebuilt, calls_moved, calls_skipped, calls_failed, fcr_changed, reports_matched, reports_unmatched`,
      [id],
    )).rows[0];
    await client.query("delete from app_private.cdr_rebuild_targets where run_id = $1", [id]);
    await client.query("delete from app_private.cdr_rebuild_runs where state = 'done' and finished_at < now() - interval '30 days'");
    await client.query("select app_private.audit_job_run('cdr__rebuild', $1::jsonb)", [JSON.stringify({ run: id, ...run })]);
  });
}

export const cdr__rebuild: Task = async (raw, helpers) => {
  const payload = rebuildPayload.parse(raw);
  const { runId: _given, ...selection } = payload;
  const e = env();
  const started = Date.now();
  const id = await runOf(helpers, payload);
  try {
    const state = (await transaction(helpers, (client) =>
      client.query<{ state: string }>("select state from app_private.cdr_rebuild_runs where id = $1", [id]),
    )).rows[0]?.state;
    if (state === undefined || state === "done") return;
    if (state === "selecting") await select(helpers, e, id, selection);
    const cache = new ParsedBodies();
    for (;;) {
      const s = await step(helpers, e, cache, id);
      if (s === "done") return;
      if (s === "none") {
        await finish(helpers, id);
        await helpers.addJob("kpi__refresh", {}, { jobKey: "kpi__refresh" });
        return;
      }
      await helpers.addJob("kpi__refresh", {}, { jobKey: "kpi__refresh" });
      if (Date.now() - started > KEEP_GOING_MS || helpers.abortSignal?.aborted) {
        // Hand over to a new job of the same run (found at once), so a shutdown waits for one batch at most.
        await helpers.addJob("cdr__rebuild", { ...selection, runId: id }, { jobKey: `cdr__rebuild:run:${id}`, jobKeyMode: "replace" });
        return;
      }
    }
  } catch (err) {
    await transaction(helpers, (client) =>
      client.query("update app_private.cdr_rebuild_runs set last_error = $2, failed_at = now() where id = $1", [id, (err as Error).message.slice(0, 2000)]),
    ).catch(() => undefined);
    throw err;
  }
};
