/**
 * For simulated traffic (the simulator's seeds), sent in a shuffled order,
 * in bodies of any size, with some records sent twice and the worker running
 * between bodies: every stored aggregate equals the same figure counted
 * straight from the calls (a full recount), and the queue and agent counts
 * equal what the simulator's answer key says really happened.
 */
import { Logger, runOnce } from "graphile-worker";
import { createTestDatabase, type TestDatabase } from "../helpers/db.js";
import { testEnv } from "../helpers/server.js";
import { makePreset } from "../../graphile.config.js";
import { taskList } from "../../worker/tasks/index.js";
import { DEFAULT_CDR_FIELDS } from "../../lib/env.js";
import { installPracticeDirectory, queueByExtension } from "../../simulator/practice.js";
import { Random } from "../../simulator/random.js";
import type { AnswerKeyCall } from "../../simulator/render.js";
import { simulate } from "../../simulator/simulation.js";

const SEEDS = [3, 17];

async function ingestShuffled(db: TestDatabase, seed: number) {
  const [day] = simulate({ seed, start: "2026-03-10", days: 1, format: "3cx-v20", fields: DEFAULT_CDR_FIELDS.split(","), timeZone: "America/Detroit", volume: 200, malformedRate: 0 });
  const rnd = new Random(seed * 7 + 1);
  const records = day!.records.map((r) => r.text);
  // Any order of arrival, and one record in ten sent again later.
  const sent = [...records, ...records.filter(() => rnd.chance(0.1))];
  for (let i = sent.length - 1; i > 0; i--) {
    const j = rnd.int(0, i);
    [sent[i], sent[j]] = [sent[j]!, sent[i]!];
  }
  const work = () => runOnce({ preset: makePreset({ env: testEnv(), ownerUrl: db.ownerUrl }), taskList, noHandleSignals: true, logger: new Logger(() => () => undefined) });
  for (let i = 0; i < sent.length; ) {
    const size = rnd.int(1, 60);
    await db.owner.query("select app_hidden.store_cdr_raw($1, 'text/plain', 'webhook')", [Buffer.from(sent.slice(i, i + size).map((t) => `${t}\r\n`).join(""))]);
    i += size;
    if (rnd.chance(0.3)) await work();
  }
  for (let n = 0; n < 20; n++) {
    await work();
    const pending = (await db.owner.query(`select (select count(*) from app_private.cdr_raw where status = 'pending')
      + (select count(*) from app_private.kpi_stale_queue_intervals) + (select count(*) from app_private.kpi_stale_agent_days) as n`)).rows[0].n;
    if (Number(pending) === 0) break;
  }
  return day!.key.filter((k): k is AnswerKeyCall => !("malformed" in k));
}

const stored = async (db: TestDatabase) => (await db.owner.query(`
  select 'q ' || q::text as row from (select queue_name, interval_start, business_day, offered, answered, abandoned, short_abandoned, voicemail, missed, transferred,
      answered_within_sl, abandoned_within_sl, wait_unknown, answered_wait_seconds, abandoned_wait_seconds, max_wait_seconds,
      answered_wait_le_10, answered_wait_le_20, answered_wait_le_30, answered_wait_le_60, answered_wait_le_120, answered_wait_gt_120,
      abandoned_wait_le_10, abandoned_wait_le_20, abandoned_wait_le_30, abandoned_wait_le_60, abandoned_wait_le_120, abandoned_wait_gt_120
    from app_public.queue_interval_stats) q
  union all
  select 'a ' || a::text from (select agent_extension, business_day, calls_handled, calls_handled_inbound, calls_missed, talk_seconds, hold_seconds, acw_seconds,
      fcr_resolved, fcr_final, appointments, csat_sum, csat_count, complaints from app_public.agent_daily_stats) a
  order by 1`)).rows.map((r) => r.row as string);

describe.each(SEEDS)("simulated traffic, seed %i, shuffled and partly re-sent", (seed) => {
  let db: TestDatabase;
  let key: AnswerKeyCall[];
  beforeAll(async () => {
    db = await createTestDatabase();
    const c = await db.owner.connect();
    try {
      await installPracticeDirectory(c);
    } finally {
      c.release();
    }
    key = await ingestShuffled(db, seed);
  });
  afterAll(async () => db.drop());

  it("stores every aggregate exactly as a full recount from the calls makes it", async () => {
    const incremental = await stored(db);
    expect(incremental.length).toBeGreaterThan(50);
    await db.owner.query(`select app_private.recount_kpis('2026-03-09', '2026-03-11')`);
    expect(await stored(db)).toEqual(incremental);
  });

  it("counts per queue what the answer key says happened", async () => {
    const expected: Record<string, Record<string, number>> = {};
    for (const k of key) {
      if (!k.queue || k.direction !== "inbound") continue;
      const name = queueByExtension.get(k.queue)!.name;
      const e = (expected[name] ??= { offered: 0, answered: 0, abandoned: 0, short_abandoned: 0, voicemail: 0, missed: 0, transferred: 0 });
      e.offered!++;
      if (k.agent) e.answered!++;
      if (k.status === "transferred") e.transferred!++;
      if (k.status === "abandoned") e[k.wait_seconds < 5 ? "short_abandoned" : "abandoned"]!++;
      if (k.status === "voicemail") e.voicemail!++;
      if (k.status === "missed") e.missed!++;
    }
    const { rows } = await db.owner.query(`select queue, offered::int, answered::int, abandoned::int, short_abandoned::int, voicemail::int, missed::int, transferred::int
      from analytics.queue_daily_kpis where business_day = '2026-03-10'`);
    const actual = Object.fromEntries(rows.map(({ queue, ...counts }) => [queue, counts]));
    expect(actual).toEqual(expected);
  });

  it("counts per agent the calls they handled and missed, as the answer key says", async () => {
    const expected: Record<string, { calls_handled: number; calls_missed: number }> = {};
    const of = (agent: string) => (expected[agent] ??= { calls_handled: 0, calls_missed: 0 });
    for (const k of key) {
      if (k.direction === "internal") continue;
      for (const a of k.answered_agents) of(a).calls_handled++;
      if (k.direction === "inbound") for (const a of k.missed_agents) if (!k.answered_agents.includes(a)) of(a).calls_missed++;
    }
    const { rows } = await db.owner.query(`select agent_extension, calls_handled::int, calls_missed::int from analytics.agent_daily_kpis where business_day = '2026-03-10'`);
    expect(Object.fromEntries(rows.map(({ agent_extension, ...c }) => [agent_extension, c]))).toEqual(expected);
  });
});
