/**
 * `npm run bench:growth [-- --calls N]`: how the big tables grow.
 *
 * Starts a throw-away embedded PostgreSQL (a new temporary folder, a free
 * port; never the developer's database), applies the committed migrations,
 * loads N synthetic calls (default 1,000,000) spread over two years of
 * weekdays, business hours in America/Detroit, with 2.5 legs per call, one
 * raw CDR body (~400 bytes) per leg and 1.5 audit rows per call, all made
 * with generate_series inside SQL. Then it measures table and index sizes and
 * the everyday queries (EXPLAIN ANALYZE, median of 5), times one retention
 * batch per table (rolled back), and projects the sizes to seven years.
 *
 * The report goes to stdout, logs to stderr. db/data-growth.md records a run.
 */
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { parseEnv } from "../lib/env.js";
import { logger } from "../lib/logger.js";
import { phiPgSettings } from "../lib/phi-keys.js";
import { prepareDatabase, type DatabaseConnections } from "../db/database.js";
import { freePort } from "../lib/free-port.js";

// ---------------------------------------------------------------------------
// Assumptions (db/data-growth.md states them)

/** Calls in seven years: ~3 million in two years (~4,100 a day), times 3.5. */
const CALLS_7Y = 10_500_000;
const LEGS_PER_CALL = 2.5;
const RAW_PER_LEG = 1;
const AUDIT_PER_CALL = 1.5;
const TIME_ZONE = "America/Detroit";
/** The loaded window: two calendar years, calls on weekdays only. */
const WINDOW_FIRST_DAY = "2024-01-01";
const WINDOW_LAST_DAY = "2025-12-31";
const BATCH_CALLS = 100_000;
const RUNS = 5;
/** Query parameters: a month and a weekday inside the window. */
const MONTH = { from: "2025-03-01", to: "2025-04-01", label: "March 2025" };
const DAY = { from: "2025-03-12", to: "2025-03-13", label: "Wed 12 March 2025" };
const DOMAIN = "gangerdermatology.com";

/** Locations (they exist after the migrations), the share of calls, and how many of the 60 agents work there. */
const LOCATIONS = [
  { name: "Ann Arbor", share: 0.5, agents: 30 },
  { name: "Wixom", share: 0.25, agents: 15 },
  { name: "Plymouth", share: 0.25, agents: 15 },
] as const;

const TABLES = [
  { key: "calls", name: "app_public.call_center_records", perCall: 1 },
  { key: "legs", name: "app_public.call_legs", perCall: LEGS_PER_CALL },
  { key: "raw", name: "app_private.cdr_raw", perCall: LEGS_PER_CALL * RAW_PER_LEG },
  { key: "audit", name: "app_public.audit_logs", perCall: AUDIT_PER_CALL },
] as const;
type TableKey = (typeof TABLES)[number]["key"];

// ---------------------------------------------------------------------------
// Small helpers

function usage(): never {
  console.error("usage: npm run bench:growth [-- --calls N]   (N from 10,000 to 50,000,000; default 1,000,000)");
  process.exit(2);
}

function parseArgs(argv: string[]): { calls: number } {
  let calls = 1_000_000;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? "";
    let value: string | undefined;
    if (arg === "--calls") value = argv[++i];
    else if (arg.startsWith("--calls=")) value = arg.slice("--calls=".length);
    else usage();
    const n = Number((value ?? "").replace(/[_,]/g, ""));
    if (!Number.isInteger(n) || n < 10_000 || n > 50_000_000) usage();
    calls = n;
  }
  return { calls };
}


const num = (n: number, digits = 0) =>
  n.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });

function bytes(n: number): string {
  const units = ["B", "kB", "MB", "GB", "TB"];
  let v = n;
  let u = 0;
  while (Math.abs(v) >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v.toFixed(u === 0 ? 0 : v < 10 ? 2 : 1)} ${units[u]}`;
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
}

/** A plain-text table: numbers (strings starting with a digit, sign or ~) right-aligned. */
function table(header: string[], rows: string[][], indent = "  "): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const numeric = header.map((_, i) => rows.length > 0 && rows.every((r) => /^[-+~0-9]/.test(r[i] ?? "") || (r[i] ?? "") === ""));
  const line = (cells: string[]) =>
    indent +
    cells
      .map((c, i) => (numeric[i] && i > 0 ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0)))
      .join("  ")
      .trimEnd();
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}

const seconds = (ms: number) => (ms / 1000).toFixed(1);
const sqlString = (s: string) => `'${s.replace(/'/g, "''")}'`;
/** A local date at midnight in the business time zone, as a timestamptz SQL expression. */
const localMidnight = (day: string) => `(timestamp ${sqlString(day)} at time zone ${sqlString(TIME_ZONE)})`;

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const start = performance.now();
  const result = await fn();
  return [result, performance.now() - start];
}

// ---------------------------------------------------------------------------
// Schema check: the columns this load writes must exist, and every NOT NULL
// column without a default must be among them (the schema may have moved on).

const WRITTEN: Record<TableKey, string[]> = {
  calls: [
    "call_id", "location", "queue_name", "agent_extension", "agent_email", "agent_name", "caller_number", "caller_name",
    "called_number", "call_direction", "call_type", "call_start_time", "call_answer_time", "call_end_time", "wait_seconds",
    "call_status", "call_outcome", "customer_satisfaction_score", "patient_mrn", "appointment_scheduled", "appointment_date",
    "appointment_type", "provider_requested", "first_call_resolution", "fcr_source", "fcr_final", "recording_available",
    "recording_url", "after_call_work_seconds", "hold_time_seconds", "transfer_count", "created_at",
  ],
  legs: [
    "call_record_id", "call_id", "leg_key", "leg_index", "leg_type", "location", "queue_name", "agent_extension",
    "agent_email", "started_at", "answered_at", "ended_at", "outcome", "hold_seconds", "after_call_work_seconds", "created_at",
  ],
  raw: ["received_at", "source", "content_type", "body", "remote_addr", "import_file", "import_offset", "status", "attempts", "processed_at", "last_error"],
  audit: ["occurred_at", "actor_user_id", "actor_email", "actor_role", "action", "table_name", "record_id", "changed_columns", "details"],
};

interface SchemaInfo {
  indexes: { table: string; name: string; definition: string }[];
  checks: { table: string; definition: string }[];
}

async function readSchema(client: pg.Client): Promise<SchemaInfo> {
  const problems: string[] = [];
  for (const t of TABLES) {
    const [schema, name] = t.name.split(".") as [string, string];
    const { rows } = await client.query<{ column_name: string; is_nullable: string; column_default: string | null; is_generated: string; is_identity: string }>(
      `select column_name, is_nullable, column_default, is_generated, is_identity
         from information_schema.columns where table_schema = $1 and table_name = $2 order by ordinal_position`,
      [schema, name],
    );
    if (rows.length === 0) {
      problems.push(`${t.name} does not exist`);
      continue;
    }
    const present = new Set(rows.map((r) => r.column_name));
    for (const c of WRITTEN[t.key]) if (!present.has(c)) problems.push(`${t.name}.${c} no longer exists`);
    for (const r of rows) {
      const required = r.is_nullable === "NO" && r.column_default === null && r.is_generated === "NEVER" && r.is_identity === "NO";
      if (required && !WRITTEN[t.key].includes(r.column_name)) problems.push(`${t.name}.${r.column_name} is required and this benchmark does not fill it`);
    }
    logger.debug({ table: t.name, columns: rows.length }, "columns read");
  }
  if (problems.length > 0) throw new Error(`The schema changed; update scripts/bench-growth.ts:\n  - ${problems.join("\n  - ")}`);
  const names = TABLES.map((t) => t.name);
  const { rows: indexes } = await client.query<{ table: string; name: string; definition: string }>(
    `select i.indrelid::regclass::text as table, c.relname as name, pg_get_indexdef(i.indexrelid) as definition
       from pg_index i join pg_class c on c.oid = i.indexrelid
      where i.indrelid::regclass::text = any ($1) order by 1, 2`,
    [names],
  );
  const { rows: checks } = await client.query<{ table: string; definition: string }>(
    `select conrelid::regclass::text as table, pg_get_constraintdef(oid) as definition
       from pg_constraint where conrelid::regclass::text = any ($1) and contype in ('c', 'f') order by 1, 2`,
    [names],
  );
  for (const c of checks) logger.debug({ table: c.table, constraint: c.definition }, "constraint");
  return { indexes, checks };
}

// ---------------------------------------------------------------------------
// The load

/** Directory rows: 60 agents as users and in the agent directory, two queues per location. */
async function loadDirectory(client: pg.Client): Promise<number> {
  await client.query(`create schema bench`);
  await client.query(`create table bench.locs (idx int primary key, name text not null, base int not null, n int not null)`);
  let base = 0;
  for (const [idx, l] of LOCATIONS.entries()) {
    await client.query(`insert into bench.locs values ($1, $2, $3, $4)`, [idx, l.name, base, l.agents]);
    base += l.agents;
  }
  await client.query(`
    create table bench.agents as
    select a.idx, format('agent%s@${DOMAIN}', lpad((a.idx + 1)::text, 2, '0')) as email,
           (101 + a.idx)::text as ext, format('Agent %s', lpad((a.idx + 1)::text, 2, '0')) as name,
           l.name as location
      from generate_series(0, ${base - 1}) as a(idx)
      join bench.locs l on a.idx >= l.base and a.idx < l.base + l.n`);
  await client.query(`insert into app_public.users (email, full_name) select email, name from bench.agents`);
  await client.query(`alter table bench.agents add column user_id uuid`);
  await client.query(`update bench.agents a set user_id = u.id from app_public.users u where u.email = a.email`);
  await client.query(`insert into app_public.agents (extension, user_email, display_name, location_name) select ext, email, name, location from bench.agents`);
  await client.query(`
    create table bench.queues as
    select l.idx * 2 + q.k as idx, l.name || case q.k when 0 then ' Scheduling' else ' Billing' end as name,
           (801 + l.idx * 2 + q.k)::text as ext, l.name as location
      from bench.locs l cross join generate_series(0, 1) as q(k)`);
  await client.query(`insert into app_public.queues (name, extension, location_name) select name, ext, location from bench.queues`);
  await client.query(`
    create table bench.days as
    select (row_number() over (order by d) - 1)::bigint as idx, d::date as day
      from generate_series(date '${WINDOW_FIRST_DAY}', date '${WINDOW_LAST_DAY}', interval '1 day') as d
     where extract(isodow from d) < 6`);
  await client.query(`create unique index on bench.days (idx)`);
  const { rows } = await client.query<{ n: string }>(`select count(*) as n from bench.days`);
  return Number(rows[0]?.n ?? 0);
}

/**
 * Calls i in [lo, hi]: call i falls on weekday floor((i-1) * days / N), at a
 * time of day between 08:00 and 17:00 peaking around 12:30 (sum of two
 * uniforms). 80 % inbound through a queue, 15 % outbound, 5 % internal;
 * 78 % completed, 7 % transferred, 5 % voicemail, 6 % abandoned, 4 % missed.
 */
const CALLS_SQL = `
with s as (
  select g.i,
         (d.day + make_interval(secs => 28800 + floor((random() + random()) * 16200))) at time zone '${TIME_ZONE}' as start_at,
         random() as r_dir, random() as r_status, random() as r_loc, random() as r_agent, random() as r_queue,
         random() as r_wait, random() as r_talk, random() as r_caller, random() as r_type, random() as r_outcome, random() as r_misc
    from generate_series($1::bigint, $2::bigint) as g(i)
    join bench.days d on d.idx = (g.i - 1) * $4::bigint / $3::bigint
  offset 0
), t as (
  select s.*, l.idx as loc, l.name as location, l.base, l.n,
         case when s.r_dir < 0.80 then 'inbound' when s.r_dir < 0.95 then 'outbound' else 'internal' end as direction,
         case when s.r_status < 0.78 then 'completed' when s.r_status < 0.85 then 'transferred' when s.r_status < 0.90 then 'voicemail'
              when s.r_status < 0.96 then 'abandoned' else 'missed' end as status
    from s join bench.locs l on l.idx = case ${LOCATIONS.slice(0, -1)
  .map((_, i) => `when s.r_loc < ${LOCATIONS.slice(0, i + 1).reduce((acc, l) => acc + l.share, 0)} then ${i}`)
  .join(" ")} else ${LOCATIONS.length - 1} end
  offset 0
), u as (
  select t.*, t.status in ('completed', 'transferred') as answered,
         case when t.status in ('completed', 'transferred') then 3 + floor(t.r_wait * t.r_wait * 120)::int
              when t.status = 'voicemail' then 20 + floor(t.r_wait * 40)::int
              else 2 + floor(t.r_wait * 180)::int end as wait,
         30 + floor(t.r_talk * t.r_talk * 900)::int as talk,
         (5000000 + floor(t.r_caller * 200000)::int)::text as caller7
    from t
)
insert into app_public.call_center_records (${WRITTEN.calls.join(", ")})
select '3cx-' || (1000000000 + u.i),
       u.location,
       case when u.direction = 'inbound' then q.name end,
       case when u.answered then a.ext end,
       case when u.answered then a.email end,
       case when u.answered then a.name end,
       case when u.direction = 'outbound' then '+17349966000' else '+1734' || u.caller7 end,
       case when u.direction <> 'outbound' and u.r_misc < 0.6 then 'PATIENT ' || u.caller7 end,
       case when u.direction = 'outbound' then '+1734' || u.caller7 else '+17349966000' end,
       u.direction,
       (array['appointment', 'prescription', 'billing', 'general', 'follow_up'])[1 + floor(u.r_type * 6)::int],
       u.start_at,
       case when u.answered then u.start_at + make_interval(secs => u.wait) end,
       u.start_at + make_interval(secs => u.wait + case when u.answered then u.talk when u.status = 'voicemail' then 15 + u.talk / 10 else 0 end),
       u.wait,
       u.status,
       case when u.answered then (array['appointment_scheduled', 'information_provided', 'transfer_required', 'callback_scheduled'])[1 + floor(u.r_outcome * 4)::int]
            when u.status = 'voicemail' then 'callback_scheduled' end,
       case when u.answered and u.r_misc < 0.1 then 1 + floor(u.r_misc * 50)::int end,
       case when u.answered and u.r_caller < 0.6 then 'MRN' || lpad(floor(u.r_caller * 200000)::text, 8, '0') end,
       u.answered and u.r_outcome < 0.25,
       case when u.answered and u.r_outcome < 0.25 then (u.start_at at time zone '${TIME_ZONE}')::date + (1 + floor(u.r_talk * 60)::int) end,
       case when u.answered and u.r_outcome < 0.25 then (array['New patient', 'Follow-up', 'Mohs surgery', 'Cosmetic consult'])[1 + floor(u.r_misc * 4)::int] end,
       case when u.answered and u.r_outcome < 0.25 and u.r_misc < 0.3 then 'Dr. Provider ' || (1 + floor(u.r_wait * 20)::int) end,
       case when u.answered then u.r_misc < 0.8 end,
       case when u.answered then 'derived' end,
       true,
       u.answered,
       case when u.answered then 'https://pbx.${DOMAIN}/recordings/' || to_char(u.start_at at time zone 'UTC', 'YYYY/MM/DD') || '/3cx-' || (1000000000 + u.i) || '.wav' end,
       case when u.answered then floor(u.r_talk * 120)::int else 0 end,
       case when u.answered and u.r_wait < 0.2 then floor(u.r_wait * 1500)::int else 0 end,
       case when u.status = 'transferred' then 1 else 0 end,
       u.start_at + make_interval(secs => u.wait + u.talk + 3)
  from u
  left join bench.agents a on a.idx = u.base + floor(u.r_agent * u.n)::int
  left join bench.queues q on q.idx = u.loc * 2 + case when u.r_queue < 0.75 then 0 else 1 end
 order by u.start_at`;

/**
 * Legs of calls whose call_id is in [lo, hi] (same width, so text order is
 * number order): every call has a ring leg to a colleague who did not pick
 * up and the main leg (talk, voicemail, queue abandoned or missed); odd calls
 * a third (the transfer target for transferred calls, else an IVR leg).
 */
const LEGS_SQL = `
insert into app_public.call_legs (${WRITTEN.legs.join(", ")})
select c.id, c.call_id, (50000000 + c.i * 3 + k.k)::text, k.k,
       case k.k when 0 then 'ring'
                when 1 then case c.call_status when 'completed' then 'talk' when 'transferred' then 'talk' when 'voicemail' then 'voicemail'
                                               when 'abandoned' then 'queue' else 'ring' end
                else case when c.call_status = 'transferred' then 'transfer' else 'ivr' end end,
       c.location,
       case when k.k < 2 then c.queue_name end,
       case k.k when 0 then ra.ext when 1 then c.agent_extension else case when c.call_status = 'transferred' then ta.ext end end,
       case k.k when 0 then ra.email when 1 then c.agent_email else case when c.call_status = 'transferred' then ta.email end end,
       case when k.k = 2 and c.call_status = 'transferred' then c.call_end_time else c.call_start_time end,
       case k.k when 0 then null when 1 then c.call_answer_time
                else case when c.call_status = 'transferred' then c.call_end_time + interval '5 seconds' else c.call_start_time end end,
       case k.k when 0 then c.call_start_time + make_interval(secs => least(coalesce(c.wait_seconds, 12), 12))
                when 1 then c.call_end_time
                else case when c.call_status = 'transferred' then c.call_end_time + make_interval(secs => 65 + (c.i % 240)::int)
                          else c.call_start_time + interval '8 seconds' end end,
       case k.k when 0 then 'missed'
                when 1 then case c.call_status when 'completed' then 'answered' when 'transferred' then 'transferred' else c.call_status end
                else 'answered' end,
       case when k.k = 1 then c.hold_time_seconds else 0 end,
       case when k.k = 1 then c.after_call_work_seconds when c.call_status = 'transferred' then 30 else 0 end,
       c.call_end_time + interval '3 seconds'
  from (select c.*, substr(c.call_id, 5)::bigint - 1000000000 as i
          from app_public.call_center_records c where c.call_id between $1 and $2) c
  join bench.locs l on l.name = c.location
  join bench.agents ra on ra.idx = l.base + (c.i % l.n)::int
  join bench.agents ta on ta.idx = l.base + ((c.i + 7) % l.n)::int
  cross join lateral generate_series(0, 1 + (c.i % 2)::int) as k(k)
 order by c.call_start_time, k.k`;

/** One raw body per leg, a 3CX-like CSV line of the 27 default fields padded to 400 bytes; 0.1 % dead-lettered. */
const RAW_SQL = `
insert into app_private.cdr_raw (${WRITTEN.raw.join(", ")})
select r.received_at, r.source,
       case when r.source = 'webhook' then 'text/csv' end,
       convert_to(rpad(r.line, 398) || E'\\r\\n', 'UTF8'),
       case when r.source <> 'import' then '10.20.0.5'::inet end,
       case when r.source = 'import' then 'cdr-' || to_char(r.received_at at time zone 'UTC', 'YYYY-MM') || '.log' end,
       case when r.source = 'import' then r.n * 400 end,
       case when r.dead then 'dead_letter' else 'processed' end,
       1,
       r.received_at + interval '1 second',
       case when r.dead then 'time-start: not a date' end
  from (
    select coalesce(l.ended_at, l.started_at) + interval '2 seconds' as received_at,
           substr(l.call_id, 5)::bigint as n,
           case when l.r < 0.90 then 'socket' when l.r < 0.98 then 'webhook' else 'import' end as source,
           l.r2 < 0.001 as dead,
           concat_ws(',', l.leg_key, l.call_id,
             to_char(coalesce(l.ended_at, l.started_at) - l.started_at, 'HH24:MI:SS'),
             to_char(l.started_at at time zone 'UTC', 'YYYY/MM/DD HH24:MI:SS'),
             coalesce(to_char(l.answered_at at time zone 'UTC', 'YYYY/MM/DD HH24:MI:SS'), ''),
             to_char(l.ended_at at time zone 'UTC', 'YYYY/MM/DD HH24:MI:SS'),
             case when l.r2 < 0.5 then 'TerminatedBySrc' else 'TerminatedByDst' end,
             '+1734' || (5000000 + (substr(l.call_id, 5)::bigint % 200000)), coalesce(l.agent_extension, '800'),
             'Line:10000>>+17349966000', coalesce(l.agent_extension, '800'), '+17349966000',
             case when l.leg_type = 'transfer' then 'ReplacedDst' else '' end,
             coalesce(l.agent_extension, '800'), coalesce(l.agent_extension, '800'),
             '', '0', '0.00', '',
             'Chain: +1734' || (5000000 + (substr(l.call_id, 5)::bigint % 200000)) || ';Line:10000;IVR 700;Queue ' ||
               coalesce(l.queue_name, 'none') || ';Ext.' || coalesce(l.agent_extension, '800') || ';',
             'Line', 'Extension', 'Extension', 'PATIENT', coalesce(l.agent_email::text, ''), coalesce(l.agent_email::text, ''), '') as line
      from (select l.*, random() as r, random() as r2 from app_public.call_legs l where l.call_id between $1 and $2 offset 0) l
  ) r
 order by r.received_at`;

/**
 * 1.5 audit rows per call. Ingestion runs as app_worker and is not audited row
 * by row, so these are what people and jobs leave, shaped like the audit
 * trigger's rows: every call one by a person (60 % a journal insert, 30 % an
 * update of the call, 10 % a reveal), every other call one more (80 % a
 * journal update, 15 % a job run, 5 % a sign-in).
 */
const AUDIT_SQL = `
insert into app_public.audit_logs (${WRITTEN.audit.join(", ")})
select x.at,
       case when x.kind <> 'job_run' then a.user_id end,
       case when x.kind <> 'job_run' then a.email end,
       case when x.kind <> 'job_run' then 'call_center_agent' end,
       case x.kind when 'journal_insert' then 'insert' when 'journal_update' then 'update' when 'call_update' then 'update' else x.kind end,
       case when x.kind in ('journal_insert', 'journal_update') then 'app_public.call_journals'
            when x.kind in ('call_update', 'reveal') then 'app_public.call_center_records' end,
       case when x.kind in ('journal_insert', 'journal_update') then x.journal_id::text
            when x.kind in ('call_update', 'reveal') then x.id::text end,
       case x.kind when 'journal_insert' then '{agent_email,call_record_id,call_summary,commendation_worthy,follow_up_required,id,journal_status,patient_concern,referral_made,resolution_provided}'::text[]
                   when 'journal_update' then '{journal_status,submitted_at}'::text[]
                   when 'call_update' then '{call_outcome,call_type}'::text[] end,
       case x.kind when 'reveal' then '{"column":"caller_number","reason":"patient callback"}'::jsonb
                   when 'job_run' then '{"task":"kpi__recalculate","rows":42}'::jsonb
                   else '{}'::jsonb end
  from (
    select c.id, c.call_end_time + make_interval(secs => 20 + floor(r.r2 * 3600)) as at, r.r1,
           md5(c.call_id)::uuid as journal_id,
           case when k.k = 0 then case when r.r3 < 0.6 then 'journal_insert' when r.r3 < 0.9 then 'call_update' else 'reveal' end
                else case when r.r3 < 0.8 then 'journal_update' when r.r3 < 0.95 then 'job_run' else 'sign_in' end end as kind
      from app_public.call_center_records c
      cross join lateral generate_series(0, case when (substr(c.call_id, 5)::bigint % 2) = 0 then 1 else 0 end) as k(k)
      cross join lateral (select random() as r1, random() as r2, random() as r3 where k.k >= 0 offset 0) r
     where c.call_id between $1 and $2
  ) x
  left join bench.agents a on a.idx = floor(x.r1 * 60)::int
 order by 1`;

const callId = (i: number) => `3cx-${1_000_000_000 + i}`;

type Totals = Record<TableKey, { rows: number; ms: number }>;

/** A promise with its resolve function. */
function signal(): { done: Promise<void>; resolve: () => void } {
  let resolve: () => void = () => undefined;
  const done = new Promise<void>((r) => (resolve = r));
  return { done, resolve };
}

/** Connections filling calls, and call legs, at once (the slowest tables to load). */
const CALL_LANES = 2;
const LEG_LANES = 2;

/** [lo, hi] cut into n consecutive parts (calls are numbered in time order, so each part is a stretch of time). */
function split(lo: number, hi: number, n: number): [number, number][] {
  const size = Math.ceil((hi - lo + 1) / n);
  return Array.from({ length: n }, (_, k): [number, number] => [lo + k * size, Math.min(hi, lo + (k + 1) * size - 1)]).filter(([a, b]) => a <= b);
}

/**
 * Five connections (lanes) so both cores stay busy: two lanes insert a
 * batch's calls (each a consecutive half, so every heap page still holds a
 * short stretch of time, as when production appends), two lanes its legs once
 * its calls are in, one lane its raw bodies (one statement per batch, so
 * their heap order follows received_at, for BRIN) and audit rows once its
 * legs are in. Statement times are measured with the lanes competing.
 */
async function load(lanes: pg.Client[], calls: number, weekdays: number): Promise<Totals> {
  const [rawLane, ...rest] = lanes;
  const callLanes = rest.slice(0, CALL_LANES);
  const legLanes = rest.slice(CALL_LANES);
  if (!rawLane || callLanes.length !== CALL_LANES || legLanes.length !== LEG_LANES) throw new Error(`load needs ${CALL_LANES + LEG_LANES + 1} connections`);
  const totals: Totals = { calls: { rows: 0, ms: 0 }, legs: { rows: 0, ms: 0 }, raw: { rows: 0, ms: 0 }, audit: { rows: 0, ms: 0 } };
  const run = async (client: pg.Client, key: TableKey, sql: string, params: unknown[]) => {
    const [result, ms] = await timed(() => client.query(sql, params));
    totals[key].rows += result.rowCount ?? 0;
    totals[key].ms += ms;
  };
  type Signal = ReturnType<typeof signal>;
  const batches: { lo: number; hi: number; calls: Signal[]; legs: Signal[] }[] = [];
  for (let lo = 1; lo <= calls; lo += BATCH_CALLS) {
    batches.push({ lo, hi: Math.min(calls, lo + BATCH_CALLS - 1), calls: callLanes.map(() => signal()), legs: legLanes.map(() => signal()) });
  }
  const started = performance.now();
  await Promise.all([
    ...callLanes.map(async (client, lane) => {
      for (const b of batches) {
        const part = split(b.lo, b.hi, CALL_LANES)[lane];
        if (part) await run(client, "calls", CALLS_SQL, [part[0], part[1], calls, weekdays]);
        b.calls[lane]?.resolve();
      }
    }),
    ...legLanes.map(async (client, lane) => {
      for (const b of batches) {
        await Promise.all(b.calls.map((c) => c.done));
        const part = split(b.lo, b.hi, LEG_LANES)[lane];
        if (part) await run(client, "legs", LEGS_SQL, [callId(part[0]), callId(part[1])]);
        b.legs[lane]?.resolve();
      }
    }),
    (async () => {
      for (const b of batches) {
        await Promise.all(b.legs.map((l) => l.done));
        await run(rawLane, "raw", RAW_SQL, [callId(b.lo), callId(b.hi)]);
        await run(rawLane, "audit", AUDIT_SQL, [callId(b.lo), callId(b.hi)]);
        logger.info({ loaded: b.hi, of: calls, seconds: Math.round((performance.now() - started) / 1000) }, "calls loaded with legs, raw CDRs and audit rows");
      }
      // What arrived in the last minute and waits for the worker.
      await run(
        rawLane,
        "raw",
        `insert into app_private.cdr_raw (received_at, source, body, remote_addr)
         select (date '${WINDOW_LAST_DAY}' + time '16:59') at time zone '${TIME_ZONE}' + make_interval(secs => g), 'socket',
                convert_to(rpad('pending ' || g, 398) || E'\\r\\n', 'UTF8'), '10.20.0.5'
           from generate_series(1, 25) as g`,
        [],
      );
    })(),
  ]);
  return totals;
}

// ---------------------------------------------------------------------------
// Measuring

interface Sizes {
  rows: number;
  heap: number;
  other: number;
  indexes: number;
  total: number;
  perIndex: { name: string; size: number }[];
}

async function measureSizes(client: pg.Client): Promise<Record<TableKey, Sizes>> {
  const out = {} as Record<TableKey, Sizes>;
  for (const t of TABLES) {
    const { rows } = await client.query<{ rows: string; heap: string; tsize: string; indexes: string; total: string }>(
      `select (select count(*) from ${t.name}) as rows, pg_relation_size($1::regclass) as heap, pg_table_size($1::regclass) as tsize,
              pg_indexes_size($1::regclass) as indexes, pg_total_relation_size($1::regclass) as total`,
      [t.name],
    );
    const r = rows[0];
    if (!r) throw new Error(`no sizes for ${t.name}`);
    const { rows: idx } = await client.query<{ name: string; size: string }>(
      `select c.relname as name, pg_relation_size(i.indexrelid) as size
         from pg_index i join pg_class c on c.oid = i.indexrelid where i.indrelid = $1::regclass order by 2 desc, 1`,
      [t.name],
    );
    out[t.key] = {
      rows: Number(r.rows),
      heap: Number(r.heap),
      other: Number(r.tsize) - Number(r.heap),
      indexes: Number(r.indexes),
      total: Number(r.total),
      perIndex: idx.map((i) => ({ name: i.name, size: Number(i.size) })),
    };
  }
  return out;
}

interface ByteaColumn {
  table: string;
  column: string;
  filled: number;
  avgBytes: number;
}

/** Binary columns (ciphertext, keyed hashes, bodies): how many rows hold one, and its average stored size. */
async function measureBytea(client: pg.Client): Promise<ByteaColumn[]> {
  const out: ByteaColumn[] = [];
  for (const t of TABLES) {
    const [schema, name] = t.name.split(".") as [string, string];
    const { rows: cols } = await client.query<{ column_name: string }>(
      `select column_name from information_schema.columns where table_schema = $1 and table_name = $2 and data_type = 'bytea' order by ordinal_position`,
      [schema, name],
    );
    if (cols.length === 0) continue;
    const exprs = cols.map((c, i) => `count(${JSON.stringify(c.column_name)}) as n${i}, avg(pg_column_size(${JSON.stringify(c.column_name)})) as b${i}`);
    const { rows } = await client.query<Record<string, string | null>>(`select ${exprs.join(", ")} from ${t.name}`);
    const r = rows[0] ?? {};
    cols.forEach((c, i) => out.push({ table: t.name, column: c.column_name, filled: Number(r[`n${i}`] ?? 0), avgBytes: Number(r[`b${i}`] ?? 0) }));
  }
  return out;
}

interface PlanNode {
  "Node Type": string;
  "Index Name"?: string;
  "Relation Name"?: string;
  "Actual Rows"?: number;
  "Actual Loops"?: number;
  "Shared Hit Blocks"?: number;
  "Shared Read Blocks"?: number;
  "Workers Launched"?: number;
  Plans?: PlanNode[];
}
interface ExplainResult {
  Plan: PlanNode;
  "Planning Time": number;
  "Execution Time": number;
  JIT?: unknown;
}

function scans(node: PlanNode, out: string[] = []): string[] {
  const type = node["Node Type"];
  if (node["Index Name"]) out.push(`${type} ${node["Index Name"]}`);
  else if (type.includes("Seq Scan") && node["Relation Name"]) out.push(`${type} ${node["Relation Name"]}`);
  for (const child of node.Plans ?? []) scans(child, out);
  return [...new Set(out)];
}

interface QuerySpec {
  key: string;
  label: string;
  sql: string;
  /** An everyday query of the brief (else a check of a likely gap). */
  core: boolean;
}
interface QueryResult extends QuerySpec {
  medianMs: number;
  firstMs: number;
  minMs: number;
  maxMs: number;
  planningMs: number;
  rows: number;
  buffers: number;
  plan: string[];
  seqScan: boolean;
  jit: boolean;
}

async function runQuery(client: pg.Client, q: QuerySpec): Promise<QueryResult> {
  const times: number[] = [];
  const planning: number[] = [];
  let last: ExplainResult | undefined;
  for (let run = 0; run < RUNS; run++) {
    const { rows } = await client.query<{ "QUERY PLAN": ExplainResult[] }>(`explain (analyze, buffers, format json) ${q.sql}`);
    const result = rows[0]?.["QUERY PLAN"][0];
    if (!result) throw new Error(`no plan for ${q.key}`);
    times.push(result["Execution Time"]);
    planning.push(result["Planning Time"]);
    last = result;
  }
  if (!last) throw new Error(`no runs for ${q.key}`);
  logger.debug({ query: q.key, sql: q.sql, plan: last }, "plan");
  const plan = scans(last.Plan);
  return {
    ...q,
    medianMs: median(times),
    firstMs: times[0] ?? 0,
    minMs: Math.min(...times),
    maxMs: Math.max(...times),
    planningMs: median(planning),
    rows: (last.Plan["Actual Rows"] ?? 0) * (last.Plan["Actual Loops"] ?? 1),
    buffers: (last.Plan["Shared Hit Blocks"] ?? 0) + (last.Plan["Shared Read Blocks"] ?? 0),
    plan,
    seqScan: plan.some((p) => p.includes("Seq Scan")),
    jit: last.JIT !== undefined,
  };
}

async function queries(client: pg.Client): Promise<QuerySpec[]> {
  const agent = `agent05@${DOMAIN}`;
  const m0 = localMidnight(MONTH.from);
  const m1 = localMidnight(MONTH.to);
  const d0 = localMidnight(DAY.from);
  const d1 = localMidnight(DAY.to);
  const { rows: users } = await client.query<{ id: string }>(`select id from app_public.users where email = $1`, [agent]);
  const userId = users[0]?.id;
  // An inbound call of that day that people touched (it has audit rows).
  const { rows: sample } = await client.query<{ id: string }>(
    `select c.id
       from app_public.audit_logs a join app_public.call_center_records c on c.id = a.record_id::uuid
      where a.occurred_at >= ${d0} and a.occurred_at < ${d1} and a.table_name = 'app_public.call_center_records'
        and c.call_direction = 'inbound'
      order by a.occurred_at limit 1`,
  );
  const call = sample[0];
  if (!userId || !call) throw new Error("the sample agent or call is missing");
  return [
    {
      key: "calls-agent-month",
      core: true,
      label: `Calls of one agent, one month (${MONTH.label})`,
      sql: `select id, call_id, call_start_time, call_status, wait_seconds, talk_duration_seconds
              from app_public.call_center_records
             where agent_email = ${sqlString(agent)} and call_start_time >= ${m0} and call_start_time < ${m1}
             order by call_start_time`,
    },
    {
      key: "calls-queue-day",
      core: true,
      label: `Calls of one queue, one day (${DAY.label})`,
      sql: `select id, call_id, call_start_time, call_status, wait_seconds, agent_email
              from app_public.call_center_records
             where queue_name = 'Ann Arbor Scheduling' and call_start_time >= ${d0} and call_start_time < ${d1}
             order by call_start_time`,
    },
    {
      key: "calls-location-month-by-day",
      core: true,
      label: `One location, one month, by day (count, avg wait)`,
      sql: `select (call_start_time at time zone '${TIME_ZONE}')::date as day, count(*), avg(wait_seconds)
              from app_public.call_center_records
             where location = 'Ann Arbor' and call_start_time >= ${m0} and call_start_time < ${m1}
             group by 1 order by 1`,
    },
    {
      key: "legs-agent-month",
      core: true,
      label: `Legs of one agent, one month`,
      sql: `select id, call_id, leg_type, outcome, started_at, ring_seconds, talk_seconds
              from app_public.call_legs
             where agent_email = ${sqlString(agent)} and started_at >= ${m0} and started_at < ${m1}
             order by started_at`,
    },
    {
      key: "raw-pending",
      core: true,
      label: `Pending raw CDRs (next 100 for the worker)`,
      sql: `select id, received_at, source from app_private.cdr_raw where status = 'pending' order by id limit 100`,
    },
    {
      key: "audit-user-latest",
      core: true,
      label: `Latest 100 audit rows of one user`,
      sql: `select * from app_public.audit_logs where actor_user_id = ${sqlString(userId)} order by occurred_at desc limit 100`,
    },
    {
      key: "legs-day-all",
      core: false,
      label: `All legs of one day by agent (KPI roll-up)`,
      sql: `select agent_email, count(*), sum(talk_seconds)
              from app_public.call_legs where started_at >= ${d0} and started_at < ${d1} group by 1`,
    },
    {
      key: "calls-caller-7d",
      core: false,
      label: `Calls from one caller in 7 days (keyed hash; FCR)`,
      sql: `select id, call_start_time, call_status from app_public.call_center_records
             where caller_number_hash = (select caller_number_hash from app_public.call_center_records where id = ${sqlString(call.id)})
               and call_start_time >= ${d1} - interval '7 days' and call_start_time < ${d1}`,
    },
    {
      key: "audit-record",
      core: false,
      label: `Audit history of one call`,
      sql: `select * from app_public.audit_logs
             where table_name = 'app_public.call_center_records' and record_id = ${sqlString(call.id)} order by occurred_at`,
    },
    {
      key: "raw-day",
      core: false,
      label: `Raw CDRs received on one day (BRIN)`,
      sql: `select count(*) from app_private.cdr_raw where received_at >= ${d0} and received_at < ${d1}`,
    },
  ];
}

interface RetentionResult {
  label: string;
  role: string;
  rows: number;
  medianMs: number;
  /** Audit rows the triggers wrote while deleting. */
  auditRows: number;
}

/**
 * One retention batch per table, the oldest rows first, each in a transaction
 * that is rolled back (3 runs, median). Calls are deleted as app_worker, as
 * the retention job would; raw CDRs and audit rows need the owner (app_worker
 * may not delete them), audit rows with the retention switch set.
 */
async function retention(client: pg.Client): Promise<{ results: RetentionResult[]; workerMayDelete: Record<string, boolean> }> {
  const callBatch = 5000; // about one day of the practice's calls
  const cutoff = `${localMidnight(WINDOW_FIRST_DAY)} + interval '14 days'`;
  const specs = [
    {
      label: `${num(callBatch)} oldest calls (legs by cascade)`,
      role: "app_worker",
      setup: [`set local role app_worker`],
      sql: `delete from app_public.call_center_records where id in (
              select id from app_public.call_center_records order by call_start_time limit ${callBatch})`,
    },
    {
      label: `${num(callBatch * 2.5)} oldest raw CDRs (BRIN)`,
      role: "owner",
      setup: [],
      sql: `delete from app_private.cdr_raw where id in (
              select id from app_private.cdr_raw where received_at < ${cutoff} limit ${callBatch * 2.5})`,
    },
    {
      label: `${num(callBatch * 1.5)} oldest audit rows (BRIN)`,
      role: "owner",
      setup: [`set local app.audit_retention = 'on'`],
      sql: `delete from app_public.audit_logs where id in (
              select id from app_public.audit_logs where occurred_at < ${cutoff} limit ${callBatch * 1.5})`,
    },
  ];
  const results: RetentionResult[] = [];
  for (const s of specs) {
    const times: number[] = [];
    let rows = 0;
    let auditRows = 0;
    for (let run = 0; run < 3; run++) {
      await client.query("begin");
      try {
        const { rows: before } = await client.query<{ n: string }>(`select coalesce(max(id), 0) as n from app_public.audit_logs`);
        for (const statement of s.setup) await client.query(statement);
        const [result, ms] = await timed(() => client.query(s.sql));
        await client.query(`reset role`);
        const { rows: written } = await client.query<{ n: string }>(`select count(*) as n from app_public.audit_logs where id > $1`, [before[0]?.n ?? "0"]);
        rows = result.rowCount ?? 0;
        auditRows = Number(written[0]?.n ?? 0);
        times.push(ms);
      } finally {
        await client.query("rollback");
      }
    }
    results.push({ label: s.label, role: s.role, rows, medianMs: median(times), auditRows });
  }
  const workerMayDelete: Record<string, boolean> = {};
  for (const t of TABLES) {
    const { rows } = await client.query<{ ok: boolean }>(`select has_table_privilege('app_worker', $1, 'DELETE') as ok`, [t.name]);
    workerMayDelete[t.name] = rows[0]?.ok ?? false;
  }
  return { results, workerMayDelete };
}

// ---------------------------------------------------------------------------
// Main

const { calls } = parseArgs(process.argv.slice(2));
const started = new Date();
const loadBefore = os.loadavg()[0] ?? 0;
const tempDir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-growth-"));
fs.chmodSync(tempDir, 0o755); // the server runs as the `postgres` user when we are root
process.env.EMBEDDED_PG_DIR = tempDir;
process.env.EMBEDDED_PG_PORT = String(await freePort());
delete process.env.DATABASE_URL; // always our own server, never the developer's
if (process.env.NODE_ENV === "production") process.env.NODE_ENV = "development";

let db: DatabaseConnections | undefined;
let cleaning: Promise<void> | undefined;
function cleanup(): Promise<void> {
  cleaning ??= (async () => {
    try {
      await db?.embedded?.stop();
    } finally {
      fs.rmSync(tempDir, { recursive: true, force: true });
      logger.info({ tempDir }, "temporary cluster removed");
    }
  })();
  return cleaning;
}
// Ctrl-C reaches npm, tsx and this process, so the signal can come more than once: handle it once, ignore repeats.
let interrupted = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (interrupted) return;
    interrupted = true;
    logger.warn({ signal }, "interrupted; stopping the temporary server");
    void cleanup().finally(() => process.exit(130));
  });
}

try {
  const [prepared, prepareMs] = await timed(() => prepareDatabase({ env: parseEnv(), logger, migrate: true }));
  db = prepared;
  if (!db.rootUrl) throw new Error("no superuser connection to the temporary server");
  logger.info({ port: process.env.EMBEDDED_PG_PORT, seconds: Math.round(prepareMs / 1000) }, "temporary server migrated");

  const root = db.rootUrl;
  const loaderClient = new pg.Client({ connectionString: root });
  const readerClient = new pg.Client({ connectionString: root });
  const lanes = [loaderClient, ...Array.from({ length: CALL_LANES + LEG_LANES }, () => new pg.Client({ connectionString: root }))];
  for (const c of [...lanes, readerClient]) {
    c.on("error", (err) => logger.debug({ err }, "connection error"));
    await c.connect();
  }
  try {
    const schema = await readSchema(loaderClient);
    // Fewer checkpoints (and full-page images) during the bulk load; this cluster is thrown away.
    await loaderClient.query(`alter system set max_wal_size = '8GB'`);
    await loaderClient.query(`alter system set checkpoint_timeout = '30min'`);
    await loaderClient.query(`select pg_reload_conf()`);
    const weekdays = await loadDirectory(loaderClient);
    await loaderClient.query(`grant usage on schema bench to app_worker; grant select on all tables in schema bench to app_worker`);
    // Patient data is encrypted by triggers with keys the session receives; these are throw-away keys.
    const phi = phiPgSettings({
      keys: { bench1: randomBytes(32).toString("base64") },
      currentKeyId: "bench1",
      hashKey: randomBytes(32).toString("base64"),
    });
    for (const [i, c] of lanes.entries()) {
      for (const [name, value] of Object.entries(phi)) await c.query(`select set_config($1, $2, false)`, [name, value]);
      await c.query(`set synchronous_commit = off`);
      await c.query(`set maintenance_work_mem = '512MB'`);
      await c.query(`set work_mem = '64MB'`);
      await c.query(`select setseed($1)`, [0.42 - i / 10]);
      // Ingestion and jobs run as app_worker (SET LOCAL ROLE in worker/with-worker-role.ts): its policies, no row-by-row audit.
      await c.query(`set role app_worker`);
    }
    logger.info({ calls, weekdays }, "loading");
    const [loaded, loadMs] = await timed(() => load(lanes, calls, weekdays));
    for (const c of lanes) await c.query(`reset role`);
    const [, vacuumMs] = await timed(async () => {
      for (const t of TABLES) await loaderClient.query(`vacuum (analyze) ${t.name}`);
    });
    logger.info({ seconds: Math.round((loadMs + vacuumMs) / 1000) }, "loaded, vacuumed and analysed");

    const loadAfterLoad = os.loadavg()[0] ?? 0;
    const sizes = await measureSizes(readerClient);
    const binary = await measureBytea(readerClient);
    const results: QueryResult[] = [];
    for (const q of await queries(readerClient)) {
      results.push(await runQuery(readerClient, q));
      logger.info({ query: q.key }, "measured");
    }
    const loadAfterQueries = os.loadavg()[0] ?? 0;
    const deletes = await retention(readerClient);

    const { rows: version } = await readerClient.query<{ v: string }>(`select version() as v`);
    const { rows: settings } = await readerClient.query<{ name: string; setting: string }>(
      `select name, current_setting(name) as setting from unnest(array['shared_buffers', 'work_mem', 'effective_cache_size',
         'random_page_cost', 'max_parallel_workers_per_gather', 'jit', 'max_wal_size']) as name`,
    );

    // ------------------------------------------------------------------ report
    const cpus = os.cpus();
    const out: string[] = [];
    const say = (s = "") => out.push(s);
    say(`Data-growth benchmark: npm run bench:growth -- --calls ${calls}`);
    say(`Date        ${started.toISOString()}`);
    say(`Machine     ${cpus.length} × ${cpus[0]?.model.trim() ?? "unknown CPU"}, ${bytes(os.totalmem())} RAM, ${os.type()} ${os.release()}, Node ${process.version}`);
    say(
      `            1-minute load average ${loadBefore.toFixed(1)} at start (other work on the machine), ` +
        `${loadAfterLoad.toFixed(1)} after the load (its ${CALL_LANES + LEG_LANES + 1} connections), ${loadAfterQueries.toFixed(1)} after the queries`,
    );
    say(`PostgreSQL  ${version[0]?.v ?? "?"}`);
    say(`            temporary embedded cluster, default settings except max_wal_size: ${settings.map((s) => `${s.name}=${s.setting}`).join(", ")}`);
    say(`Data        ${num(calls)} calls on ${weekdays} weekdays ${WINDOW_FIRST_DAY}..${WINDOW_LAST_DAY}, 08:00-17:00 ${TIME_ZONE} (peak ~12:30),`);
    say(`            ${num(calls / weekdays)} calls per weekday; ${LEGS_PER_CALL} legs/call, ${RAW_PER_LEG} raw CDR (400 B)/leg, ${AUDIT_PER_CALL} audit rows/call`);
    say(`            (the practice: ~3M calls in 2 years, ~${num(3_000_000 / weekdays)} per weekday = ${(3_000_000 / calls).toFixed(1)}× this density)`);
    say();
    say(`Load (INSERT ... SELECT generate_series as app_worker, batches of ${num(BATCH_CALLS)} calls, all indexes and triggers in place;`);
    say(`      ${CALL_LANES + LEG_LANES + 1} connections at once: ${CALL_LANES} × calls, ${LEG_LANES} × legs, raw+audit; seconds = statement time summed over connections,`);
    say(`      measured while they compete for the ${os.cpus().length} cores)`);
    say(
      table(
        ["table", "rows", "seconds", "rows/s/connection"],
        TABLES.map((t) => [t.name, num(loaded[t.key].rows), seconds(loaded[t.key].ms), num(loaded[t.key].rows / (loaded[t.key].ms / 1000))]),
      ),
    );
    say(`  migrate ${seconds(prepareMs)} s, load ${seconds(loadMs)} s wall clock (${num(calls / (loadMs / 1000))} calls/s with everything), VACUUM ANALYZE ${seconds(vacuumMs)} s`);
    say();
    say("Sizes (after VACUUM ANALYZE; heap = main fork, other = TOAST + free-space and visibility maps)");
    say(
      table(
        ["table", "rows", "heap", "other", "indexes", "total", "bytes/row"],
        TABLES.map((t) => {
          const s = sizes[t.key];
          return [t.name, num(s.rows), bytes(s.heap), bytes(s.other), bytes(s.indexes), bytes(s.total), num(s.total / s.rows)];
        }),
      ),
    );
    const sum = (f: (s: Sizes) => number) => TABLES.reduce((acc, t) => acc + f(sizes[t.key]), 0);
    say(`  all four: heap ${bytes(sum((s) => s.heap))}, indexes ${bytes(sum((s) => s.indexes))}, total ${bytes(sum((s) => s.total))}`);
    say();
    say("Binary columns (patient data is stored encrypted by triggers; average stored bytes per filled value)");
    say(
      table(
        ["column", "rows filled", "avg bytes"],
        binary.map((b) => [`${b.table}.${b.column}`, num(b.filled), b.filled > 0 ? num(b.avgBytes) : "-"]),
      ),
    );
    say();
    say("Indexes (measured, and projected to 7 years)");
    const factor = (key: TableKey) => (CALLS_7Y * (TABLES.find((t) => t.key === key)?.perCall ?? 1)) / sizes[key].rows;
    say(
      table(
        ["index", "size", "bytes/row", "7 years"],
        TABLES.flatMap((t) =>
          sizes[t.key].perIndex.map((i) => [i.name, bytes(i.size), (i.size / sizes[t.key].rows).toFixed(1), bytes(i.size * factor(t.key))]),
        ),
      ),
    );
    say();
    say(`Projection to 7 years (${num(CALLS_7Y)} calls; linear in rows, no bloat margin)`);
    say(
      table(
        ["table", "rows", "heap", "other", "indexes", "total"],
        TABLES.map((t) => {
          const s = sizes[t.key];
          const f = factor(t.key);
          return [t.name, num(CALLS_7Y * t.perCall), bytes(s.heap * f), bytes(s.other * f), bytes(s.indexes * f), bytes(s.total * f)];
        }),
      ),
    );
    const proj = (g: (s: Sizes) => number) => TABLES.reduce((acc, t) => acc + g(sizes[t.key]) * factor(t.key), 0);
    say(`  all four: heap+other ${bytes(proj((s) => s.heap + s.other))}, indexes ${bytes(proj((s) => s.indexes))}, total ${bytes(proj((s) => s.total))}`);
    say();
    say(`Queries (EXPLAIN (ANALYZE, BUFFERS) execution time, median of ${RUNS} warm runs; rows returned; shared buffers touched)`);
    const queryRows = (core: boolean) =>
      results
        .filter((r) => r.core === core)
        .map((r) => [
          r.label,
          r.medianMs.toFixed(2),
          `${r.minMs.toFixed(2)}-${r.maxMs.toFixed(2)}`,
          num(r.rows),
          num(r.buffers),
          r.seqScan ? `~${(r.medianMs * factor(r.key.startsWith("legs") ? "legs" : r.key.startsWith("raw") ? "raw" : r.key.startsWith("audit") ? "audit" : "calls")).toFixed(0)}` : "same",
        ]);
    say(table(["everyday query", "ms", "min-max", "rows", "buffers", "7y ms"], queryRows(true)));
    say();
    say(table(["further query", "ms", "min-max", "rows", "buffers", "7y ms"], queryRows(false)));
    say();
    const density = (3_000_000 / calls).toFixed(1);
    say(`  The first four match rows in proportion to calls per day: at the practice's rate (${density}× this run) expect about ${density}× the rows`);
    say("  and, roughly, the time. The pending and latest-100 queries stop at their LIMIT.");
    say();
    say("  Plans (scan nodes):");
    for (const r of results) say(`    ${r.key.padEnd(28)} ${r.plan.join("; ")}${r.jit ? " (JIT)" : ""}`);
    say("  7y ms: 'same' = index range scan, cost follows the rows matched (set by the call rate, not the history kept);");
    say("         a number = the plan reads the whole table, so the time is scaled by the table's growth.");
    say();
    say("Retention batch (DELETE of the oldest rows, median of 3, each rolled back; audit rows = written by triggers meanwhile)");
    say(
      table(
        ["batch", "as", "rows", "ms", "audit rows"],
        deletes.results.map((d) => [d.label, d.role, num(d.rows), d.medianMs.toFixed(0), num(d.auditRows)]),
      ),
    );
    say(`  app_worker may DELETE: ${Object.entries(deletes.workerMayDelete).map(([t, ok]) => `${t} ${ok ? "yes" : "no"}`).join(", ")}`);
    say();
    say("Indexes found on the four tables:");
    for (const i of schema.indexes) say(`  ${i.definition}`);
    process.stdout.write(`${out.join("\n")}\n`);
  } finally {
    for (const c of [...lanes, readerClient]) await c.end().catch(() => undefined);
  }
} catch (e) {
  logger.error({ err: e }, "bench-growth failed");
  process.exitCode = 1;
} finally {
  await cleanup();
}
