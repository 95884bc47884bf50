/**
 * `npm run bench:kpi [-- --rate 50 --seconds 60 --calls 3000000]`
 *
 * The KPI engine on this machine, in one run, on a throw-away embedded database:
 *  1. ingest → KPI-visible latency under steady simulated load (server and
 *     worker as separate processes): from a record's 202 until its calls are
 *     committed and no figure is left stale; p50, p95, p99;
 *  2. at size (`--calls`, two years by default: synthetic calls and legs
 *     loaded straight into the tables, triggers off, then counted once):
 *     a full recount of the two years; one incremental update (one call
 *     changed, its figures recounted) against a full recount of that day;
 *     an agent-month and a queue-month query.
 * Aims: p95 under 1 s; those queries under 50 ms.
 */
import { parseArgs } from "node:util";
import pg from "pg";
import { z } from "zod";
import { applySettings } from "../db/pg-settings.js";
import { DEFAULT_CDR_FIELDS } from "../lib/env.js";
import { sessionPgSettings } from "../server/auth.js";
import { AGENTS, installPracticeDirectory, QUEUES } from "../simulator/practice.js";
import { simulate } from "../simulator/simulation.js";
import { peakRssMiB, percentile, startService, steadyLatency } from "./lib/bench-processes.js";
import { loadCalls } from "./lib/load-calls.js";
import { fmt, machine, openScratchDatabase } from "./lib/scratch-database.js";

const { values } = parseArgs({ options: { rate: { type: "string", default: "50" }, seconds: { type: "string", default: "60" }, calls: { type: "string", default: "3000000" } } });
const opts = z.object({ rate: z.coerce.number().min(1).max(500), seconds: z.coerce.number().int().min(5), calls: z.coerce.number().int().min(10_000) }).parse(values);
const SECRET = "bench-kpi-webhook-secret";
const say = (s: string) => process.stdout.write(`${s}\n`);
const timed = async <T>(fn: () => Promise<T>): Promise<[T, number]> => {
  const t0 = performance.now();
  const r = await fn();
  return [r, performance.now() - t0];
};

const db = await openScratchDatabase();
const owner = new pg.Pool({ connectionString: db.ownerUrl, max: 4 });
const root = new pg.Pool({ connectionString: db.rootUrl, max: 1 });
// Idle connections end when the scratch server stops: not an error.
owner.on("error", () => undefined);
root.on("error", () => undefined);
let rootClient: pg.PoolClient | undefined;
const service = await startService(db, { THREECX_CDR_WEBHOOK_SECRET: SECRET, THREECX_CDR_FIELDS: DEFAULT_CDR_FIELDS });
try {
  const client = await owner.connect();
  await installPracticeDirectory(client);
  client.release();
  say(`# bench:kpi on ${machine()}, ${new Date().toISOString().slice(0, 10)}`);

  // 1. Ingest → KPI-visible at a steady rate, one record per request.
  const records = [...simulate({ seed: 201, start: "2026-03-02", days: 30, format: "3cx-v20", fields: DEFAULT_CDR_FIELDS.split(","), timeZone: "America/Detroit", volume: 3000, malformedRate: 0 })]
    .flatMap((d) => d.records).slice(0, Math.round(opts.rate * opts.seconds));
  // Visible: its calls committed (the marks commit with them), and none of the figures they belong to (queue interval, agent days,
  // first-call resolution, the agents' shifts and goals, the day's team rows) still waiting for a recount.
  const latencies = await steadyLatency({
    url: service.url, secret: SECRET, records, rate: opts.rate, pool: owner,
    visibleSql: `select k.id from unnest($1::bigint[], $2::text[]) as k(id, call_id)
                  join app_private.cdr_raw r on r.id = k.id and r.status <> 'pending'
                  join app_public.call_center_records c on c.call_id = k.call_id
                 where not exists (select 1 from app_private.kpi_stale_queue_intervals s
                                    where s.queue_name = c.queue_name and s.interval_start = app_hidden.kpi_interval(c.queue_entry_time))
                   and not exists (select 1 from app_public.call_legs l join app_private.kpi_stale_agent_days d
                                     on d.agent_extension = l.agent_extension and d.business_day = app_hidden.business_day(l.started_at)
                                    where l.call_record_id = c.id)
                   and not exists (select 1 from app_private.kpi_stale_fcr_calls f where f.call_record_id = c.id)
                   and not exists (select 1 from app_public.call_legs l join app_public.agents ag on ag.extension = l.agent_extension
                                     join app_private.kpi_stale_person_days p on p.agent_email = ag.user_email and p.business_day = app_hidden.business_day(l.started_at)
                                    where l.call_record_id = c.id)
                   and not exists (select 1 from app_public.call_legs l join app_private.kpi_stale_team_days t on t.business_day = app_hidden.business_day(l.started_at)
                                    where l.call_record_id = c.id)`,
  });

  say(`ingest → KPI visible at ${opts.rate} records/s for ${opts.seconds} s (${latencies.length} records): p50 ${fmt(percentile(latencies, 50), 0)} ms, p95 ${fmt(percentile(latencies, 95), 0)} ms, p99 ${fmt(percentile(latencies, 99), 0)} ms (aim p95 < 1000 ms)`);
  say(`peak memory: server ${fmt(peakRssMiB(service.server.pid), 0)} MiB, worker ${fmt(peakRssMiB(service.worker.pid), 0)} MiB`);
  await service.stop();

  // 2. At size: two years of calls loaded straight into the tables (triggers off), then counted.
  const days = 730;
  const queues = QUEUES.map((q) => q.name);
  const agents = AGENTS.map((a) => a.extension);
  // Released in the outer finally too: a checked-out client would keep root.end() waiting forever when a step fails.
  const rc = (rootClient = await root.connect());
  const { ms: loadMs } = await loadCalls(rc, { calls: opts.calls, days, firstDay: "2024-11-25", queues, agents, progress: (line) => process.stderr.write(`${line}\n`) });
  const size = (await owner.query(`select (select count(*) from app_public.call_center_records) as calls, (select count(*) from app_public.call_legs) as legs`)).rows[0];
  say(`loaded ${Number(size.calls).toLocaleString("en-US")} calls and ${Number(size.legs).toLocaleString("en-US")} legs over ${days} days in ${fmt(loadMs / 1000, 0)} s (straight into the tables, triggers off)`);

  const [rows, fullMs] = await timed(async () => Number((await owner.query("select app_private.recount_kpis('2024-11-25', '2026-11-25') as n")).rows[0].n));
  say(`full recount of two years: ${fmt(fullMs / 1000, 1)} s (${rows.toLocaleString("en-US")} rows of counts)`);

  const day = "2026-06-16";
  const [, dayMs] = await timed(() => owner.query(`select app_private.recount_kpis($1, $1)`, [day]));
  const target = (await owner.query(`select call_id from app_public.call_center_records where app_hidden.business_day(call_start_time) = $1 and agent_extension is not null limit 1`, [day])).rows[0].call_id;
  const [, incMs] = await timed(async () => {
    await owner.query(`update app_public.call_center_records set after_call_work_seconds = after_call_work_seconds + 30 where call_id = $1`, [target]);
    while (Number((await owner.query("select app_private.refresh_stale_kpis(500) as n")).rows[0].n) > 0);
  });
  say(`one call changed, its figures recounted: ${fmt(incMs, 1)} ms; a full recount of that day: ${fmt(dayMs, 1)} ms (${fmt(dayMs / incMs, 0)}×)`);

  const best = async (sql: string, params: unknown[]) => {
    let min = Infinity;
    for (let i = 0; i < 5; i++) min = Math.min(min, (await timed(() => owner.query(sql, params)))[1]);
    return min;
  };
  const agentMonth = await best(
    `select agent_extension, sum(calls_handled) handled, sum(talk_seconds) talk, app_hidden.per(sum(talk_seconds + hold_seconds + acw_seconds), sum(calls_handled)) aht
       from analytics.agent_daily_kpis where agent_extension = $1 and business_day between '2026-06-01' and '2026-06-30' group by 1`, [agents[0]]);
  const queueMonth = await best(
    `select queue, sum(offered) offered, app_hidden.service_level_pct(min(abandon_mode), sum(answered_within_sl)::bigint, sum(abandoned_within_sl)::bigint, sum(offered)::bigint, sum(answered)::bigint, sum(short_abandoned)::bigint, sum(wait_unknown)::bigint) sl
       from analytics.queue_daily_kpis where queue = $1 and business_day between '2026-06-01' and '2026-06-30' group by 1`, [queues[0]]);
  say(`agent-month query: ${fmt(agentMonth, 1)} ms; queue-month query: ${fmt(queueMonth, 1)} ms (analysts' views, best of 5; aim < 50 ms)`);

  // The same months as a manager reads them through the API: the range functions, under the row rules.
  const { rows: [mgr] } = await owner.query(`with u as (insert into app_public.users (email) values ('bench.manager@gangerdermatology.com') returning id, email)
    insert into app_public.user_roles (user_id, role) select id, 'manager' from u returning user_id`);
  const visitor = new pg.Client({ connectionString: db.authenticatorUrl });
  await visitor.connect();
  const asManager = async (sql: string, params: unknown[]) => {
    let min = Infinity;
    for (let i = 0; i < 5; i++) {
      await visitor.query("begin");
      await applySettings(visitor, sessionPgSettings({ userId: mgr.user_id, email: "bench.manager@gangerdermatology.com", role: "manager" }));
      min = Math.min(min, (await timed(() => visitor.query(sql, params)))[1]);
      await visitor.query("rollback");
    }
    return min;
  };
  const agentEmail = AGENTS[0]!.email;
  let apiAgent: number, apiQueue: number, apiTeams: number;
  try {
    apiAgent = await asManager(`select * from app_public.agent_kpis_for_range('2026-06-01', '2026-06-30', $1)`, [agentEmail]);
    apiQueue = await asManager(`select * from app_public.queue_kpis_for_range('2026-06-01', '2026-06-30', $1)`, [queues[0]]);
    apiTeams = await asManager(`select * from app_public.team_kpis_for_range('2026-06-01', '2026-06-30')`, []);
  } finally {
    await visitor.end();
  }
  say(`as a manager through the API's range functions: agent-month ${fmt(apiAgent, 1)} ms; queue-month ${fmt(apiQueue, 1)} ms; every team's month ${fmt(apiTeams, 1)} ms (best of 5; aim < 50 ms)`);
} finally {
  rootClient?.release();
  await service.stop().catch(() => undefined);
  await owner.end();
  await root.end();
  await db.close();
}
