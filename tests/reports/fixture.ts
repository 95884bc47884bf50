/**
 * The day every report test reads, worked out by hand in each test.
 *
 * Tuesday 10 March 2026 (EDT, UTC−4), queue AA Front (800, Ann Arbor, threshold 20 s, goal 80 %),
 * every call a minute long from its start, answered by 101 (agent.aa):
 *   A1 10:00 local  wait  5 s  answered         talk 55 s
 *   A2 10:05        wait 15 s  answered         talk 45 s
 *   A3 10:20        wait 25 s  answered         talk 35 s
 *   A4 10:30        hung up after 40 s: abandoned
 *   A5 10:40        hung up after 3 s: short abandon (left out of every rate)
 *   A6 19:00        wait 50 s  answered         talk 10 s   (after the 17:00 close)
 * and WX Front (810, Wixom): W1 11:00 local, wait 5 s, answered by 201 (agent.wx), talk 55 s.
 * agent.aa has a daily goal of 10 calls that day (4 handled: behind) and a shift scheduled 09:00–17:00,
 * worked 09:10–17:00 with a 30-minute lunch.
 */
import { runJobs } from "../helpers/jobs.js";
import type { TestDatabase } from "../helpers/db.js";
import type { Cast } from "../helpers/users.js";
import { call, talk } from "../helpers/calls.js";
import type { ReportDocument } from "../../server/reports/report-document.js";

const after = (at: string, s: number) => new Date(Date.parse(at) + s * 1000).toISOString();
/** Answered by `agent` after `wait` seconds, ended a minute after the start. */
export const answered = (id: string, queue: string, agent: string, at: string, wait: number, caller?: string) =>
  talk(id, agent, at, after(at, wait), after(at, 60), { called: queue, queue, ...(caller ? { caller } : {}) });
/** The caller hung up after `wait` seconds, nobody answered. */
export const hungUp = (id: string, queue: string, at: string, wait: number, caller?: string) =>
  call(id, at, after(at, wait), { called: queue, queue, ...(caller ? { caller } : {}) });

export async function reportDay(db: TestDatabase, cast: Cast): Promise<void> {
  await db.owner.query(`insert into app_public.queues (name, extension, location_name) values ('AA Front', '800', 'Ann Arbor'), ('WX Front', '810', 'Wixom')`);
  await db.owner.query(`insert into app_public.agents (extension, user_email, location_name) values ('101', $1, 'Ann Arbor'), ('201', $2, 'Wixom')`, [
    cast.agentAA.email, cast.agentWX.email,
  ]);
  await db.owner.query("select app_private.ingest_calls($1::jsonb)", [JSON.stringify([
    answered("A1", "800", "101", "2026-03-10T14:00:00Z", 5),
    answered("A2", "800", "101", "2026-03-10T14:05:00Z", 15),
    answered("A3", "800", "101", "2026-03-10T14:20:00Z", 25),
    hungUp("A4", "800", "2026-03-10T14:30:00Z", 40),
    hungUp("A5", "800", "2026-03-10T14:40:00Z", 3),
    answered("A6", "800", "101", "2026-03-10T23:00:00Z", 50),
    answered("W1", "810", "201", "2026-03-10T15:00:00Z", 5),
  ])]);
  await db.owner.query(`insert into app_public.performance_goals (agent_email, goal_period, period_start_date, period_end_date, created_by, calls_per_day_target)
                        values ($1, 'daily', '2026-03-10', '2026-03-10', $2, 10)`, [cast.agentAA.email, cast.manager.email]);
  await db.owner.query(`insert into app_public.agent_shifts (agent_email, agent_name, location, shift_date, scheduled_start_time, scheduled_end_time,
                          actual_start_time, actual_end_time, lunch_break_minutes)
                        values ($1, 'agent.aa', 'Ann Arbor', '2026-03-10', '09:00', '17:00', '2026-03-10T13:10:00Z', '2026-03-10T21:00:00Z', 30)`, [cast.agentAA.email]);
  await runJobs(db);
}

export const item = (doc: ReportDocument, key: string) => doc.summary.find((s) => s.key === key);
export const section = (doc: ReportDocument, key: string) => doc.sections.find((s) => s.key === key)!;
export const chart = (doc: ReportDocument, key: string) => doc.charts.find((s) => s.key === key)!;
