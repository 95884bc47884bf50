/**
 * For benchmarks at size: synthetic calls (and one talk leg per answered
 * call) loaded straight into the tables with triggers off, spread evenly
 * over `days` business days from `firstDay`, 09:00 to 18:00 Detroit-ish
 * (13:00 UTC onwards); 1 in 20 unanswered (a third of those voicemail),
 * every call inbound at Ann Arbor, queues and agents taken in turn. Their
 * call ids are 'B' and a number. Nothing is counted: the caller recounts
 * the figures it needs (app_private.recount_kpis) and times that itself.
 * Needs a superuser connection (session_replication_role). `ms` is the load
 * with its ANALYZE, not the counting of what was loaded.
 */
import type pg from "pg";

export interface LoadCallsOptions {
  calls: number;
  /** Calendar days the calls cover, from firstDay. */
  days: number;
  /** YYYY-MM-DD. */
  firstDay: string;
  /** Queue names and agent extensions to spread the calls over. */
  queues: string[];
  agents: string[];
  /** Progress lines (default: none). */
  progress?: (line: string) => void;
}

export interface LoadedCalls {
  calls: number;
  legs: number;
  ms: number;
}

export async function loadCalls(root: pg.ClientBase, opts: LoadCallsOptions): Promise<LoadedCalls> {
  const started = performance.now();
  const secs = () => Math.round((performance.now() - started) / 1000);
  const perDay = Math.ceil(opts.calls / opts.days);
  await root.query("set session_replication_role = replica");
  try {
    await root.query(
      `insert into app_public.call_center_records (call_id, queue_name, queue_entered_at, agent_extension, call_direction, call_start_time, call_answer_time, call_end_time,
                                                   wait_seconds, call_status, transfer_count, location)
       select 'B' || i, q.name, t, case when answered then a.ext end, 'inbound', t, case when answered then t + make_interval(secs => w) end,
              t + make_interval(secs => w + 180), w, case when answered then 'completed' when i % 3 = 0 then 'voicemail' else 'abandoned' end, 0, q.loc
         from generate_series(0, $1::int - 1) i
         cross join lateral (select ($5::date::timestamp at time zone 'UTC') + interval '13 hours'
                                      + make_interval(days => i / $2::int, secs => (i % $2::int) * (32400.0 / $2::int)) as t,
                                    ((i::bigint * 7919) % 90)::int as w, i % 20 <> 0 as answered) x
         cross join lateral (select ($3::text[])[1 + i % array_length($3::text[], 1)] as name, 'Ann Arbor' as loc) q
         cross join lateral (select ($4::text[])[1 + (i * 13) % array_length($4::text[], 1)] as ext) a`,
      [opts.calls, perDay, opts.queues, opts.agents, opts.firstDay],
    );
    opts.progress?.(`calls loaded (${secs()} s)`);
    await root.query(
      `insert into app_public.call_legs (call_record_id, call_id, leg_key, leg_index, leg_type, queue_name, agent_extension, location, started_at, answered_at, answer_known, ended_at, outcome)
       select c.id, c.call_id, '1', 1, 'talk', c.queue_name, c.agent_extension, c.location, c.call_start_time, c.call_answer_time, true, c.call_end_time, 'answered'
         from app_public.call_center_records c where c.call_id like 'B%' and c.agent_extension is not null`,
    );
    opts.progress?.(`legs loaded (${secs()} s)`);
  } finally {
    await root.query("set session_replication_role = origin");
  }
  await root.query("analyze app_public.call_center_records; analyze app_public.call_legs");
  const ms = performance.now() - started;
  const { rows } = await root.query<{ calls: string; legs: string }>(
    `select (select count(*) from app_public.call_center_records where call_id like 'B%') as calls,
            (select count(*) from app_public.call_legs where call_id like 'B%') as legs`,
  );
  return { calls: Number(rows[0]!.calls), legs: Number(rows[0]!.legs), ms };
}
