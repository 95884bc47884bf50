/**
 * npm run bench:reports-sql: times each report function (JSON, straight from SQL) as a manager and as a
 * supervisor over the last 30 business days of the database's calls (seed:demo data), with EXPLAIN ANALYZE's
 * execution time, the median of 5 runs after one warm-up. Development only.
 */
import pg from "pg";
import { parseEnv } from "../lib/env.js";
import { logger } from "../lib/logger.js";
import { prepareDatabase } from "../db/database.js";
import { sessionPgSettings } from "../server/auth.js";
import { phiKeys, phiPgSettings } from "../lib/phi-keys.js";
import { applySettings } from "../db/pg-settings.js";

const env = parseEnv();
const db = await prepareDatabase({ env, logger, migrate: false });
const owner = new pg.Client({ connectionString: db.ownerUrl });
await owner.connect();
try {
  const { rows: [range] } = await owner.query<{ from_day: string; to_day: string; agents: number }>(
    `select (max(business_day) - 29)::text as from_day, max(business_day)::text as to_day,
            (select count(distinct agent_extension)::int from app_public.agent_daily_stats) as agents
       from app_public.queue_interval_stats`);
  const { rows: people } = await owner.query<{ id: string; email: string; role: string }>(
    `select u.id, u.email, r.role from app_public.users u join app_public.user_roles r on r.user_id = u.id
      where r.role in ('manager', 'supervisor') and u.email like 'demo.%' order by r.role, u.email`);
  const manager = people.find((p) => p.role === "manager")!;
  const supervisor = people.find((p) => p.role === "supervisor")!;
  const agent = (await owner.query<{ email: string }>(`select user_email as email from app_public.agents where user_email is not null order by extension limit 1`)).rows[0]!.email;
  console.log(`range ${range!.from_day} .. ${range!.to_day} (30 days), ${range!.agents} agent extensions`);
  const reports: [string, string, unknown[]][] = [
    ["team performance", "select app_public.report_team_performance($1, $2)", []],
    ["team performance, business hours", "select app_public.report_team_performance($1, $2, null, true)", []],
    ["agent performance", "select app_public.report_agent_performance($1, $2, $3)", [agent]],
    ["call analytics", "select app_public.report_call_analytics($1, $2)", []],
    ["productivity", "select app_public.report_productivity($1, $2)", []],
    ["custom (queue by location and day)", "select app_public.report_custom(jsonb_build_object('from', $1::text, 'to', $2::text, 'kpis', array['offered', 'service_level_pct'], 'group_by', array['location', 'day']))", []],
    ["custom (agents)", "select app_public.report_custom(jsonb_build_object('from', $1::text, 'to', $2::text, 'kpis', array['calls_handled', 'aht_seconds', 'utilization_pct'], 'group_by', array['agent']))", []],
  ];
  const auth = new pg.Client({ connectionString: db.authenticatorUrl });
  await auth.connect();
  for (const who of [manager, supervisor]) {
    for (const [name, sql, extra] of reports) {
      const times: number[] = [];
      let bytes = 0;
      for (let i = 0; i < 6; i++) {
        await auth.query("begin");
        await applySettings(auth, { ...sessionPgSettings({ userId: who.id, email: who.email, role: who.role as "manager" }), ...phiPgSettings(phiKeys(env)) });
        const { rows } = await auth.query<{ "QUERY PLAN": string }>(`explain (analyze, format text) ${sql}`, [range!.from_day, range!.to_day, ...extra]);
        const ms = Number(/Execution Time: ([0-9.]+)/.exec(rows.map((r) => r["QUERY PLAN"]).join("\n"))![1]);
        if (i === 0) bytes = JSON.stringify((await auth.query(sql, [range!.from_day, range!.to_day, ...extra])).rows[0]).length;
        await auth.query("rollback");
        if (i > 0) times.push(ms);
      }
      times.sort((a, b) => a - b);
      console.log(`${who.role.padEnd(10)} ${name.padEnd(38)} median ${times[2]!.toFixed(1).padStart(7)} ms  (min ${times[0]!.toFixed(1)}, max ${times[4]!.toFixed(1)})  ${(bytes / 1024).toFixed(1)} kB`);
    }
  }
  await auth.end();
} finally {
  await owner.end();
  await db.embedded?.stop();
}
