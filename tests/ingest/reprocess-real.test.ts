/**
 * Re-reading a real feed (tests/fixtures/real-3cx/fr-dorel14: 1,926 live
 * lines of a French PBX, calls of several records, transfers, queues, an
 * IVR, voicemail) stored under the wrong zone (Paris time, as the old default
 * read it) gives exactly what reading it right (UTC) in the first place gives:
 * the same calls, legs, routes, statuses, first-call resolution and figures.
 */
import fs from "node:fs";
import path from "node:path";
import { noJobsDue, runJobsUntil } from "../helpers/jobs.js";
import { createTestDatabase, type TestDatabase } from "../helpers/db.js";
import { rows } from "../helpers/query.js";

const FEED = path.join(import.meta.dirname, "..", "fixtures", "real-3cx", "fr-dorel14", "cdr.log");
const databases: TestDatabase[] = [];

const work = (db: TestDatabase) => runJobsUntil(db, noJobsDue(db), { what: "the feed's jobs", rounds: 30 });

/** The feed stored line by line as 3CX's socket sends it, read in `zone`, then processed. */
async function load(zone: string | null): Promise<TestDatabase> {
  const db = await createTestDatabase();
  databases.push(db);
  await db.owner.query("update app_private.settings set value = 'Europe/Paris' where name = 'business_timezone'");
  await db.owner.query("insert into app_public.queues (name, extension) values ('File Support', '611'), ('File Commercial', '612'), ('File SAV', '615')");
  await db.owner.query("insert into app_public.pbx_numbers (number, kind, name) values ('610', 'ivr', 'IVR Principal'), ('999', 'voicemail', 'Voicemail')");
  const lines = fs.readFileSync(FEED, "utf8").split("\n").filter((l) => l !== "");
  await db.owner.query(
    `select app_hidden.store_cdr_raw(convert_to(l.line || E'\\n', 'UTF8'), 'text/plain', 'socket') from unnest($1::text[]) with ordinality as l(line, n) order by l.n`,
    [lines],
  );
  await db.owner.query("update app_private.cdr_raw set cdr_time_zone = $1, received_at = '2024-01-01T00:00:00Z'", [zone]);
  await work(db);
  return db;
}

/** Everything a reading decides, without ids or bookkeeping times. */
async function reading(db: TestDatabase) {
  const q = async (sql: string) => (await rows(db.owner, sql)).map((r) => JSON.stringify(r));
  return {
    calls: await q(`select call_id, call_direction, call_start_time, call_end_time, call_answer_time, answer_time_known, call_status, queue_name,
                           queue_entered_at, called_number, agent_extension, wait_seconds, transfer_count, location, pbx_route, ended_in,
                           encode(caller_number_hash, 'hex') as caller, first_call_resolution, fcr_final, fcr_source, call_type
                      from app_public.call_center_records order by call_id`),
    legs: await q(`select call_id, leg_key, leg_index, leg_type, queue_name, agent_extension, started_at, answered_at, answer_known, ended_at, outcome
                     from app_public.call_legs order by call_id, leg_key`),
    queues: await q("select * from (select queue_name, interval_start, offered, answered, abandoned, short_abandoned, missed, voicemail, wait_unknown, answered_wait_seconds from app_public.queue_interval_stats) x order by 1, 2"),
    agents: await q("select * from (select agent_extension, business_day, calls_handled, calls_missed, talk_seconds, calls_talk_unknown, fcr_resolved, fcr_final from app_public.agent_daily_stats) x order by 1, 2"),
    numbers: await q("select number, kind from app_public.pbx_numbers order by 1"),
  };
}

afterAll(async () => {
  for (const db of databases) await db.drop();
});

it("a real feed stored as Paris time, re-read as UTC, is exactly the feed read as UTC", async () => {
  const right = await reading(await load(null));
  const wrong = await load("Europe/Paris");
  const before = await reading(wrong);
  expect(before.calls).not.toEqual(right.calls);
  await wrong.owner.query("select app_private.add_job('cdr__rebuild', $1::json)",
    [JSON.stringify({ receivedFrom: "2023-12-31T00:00:00Z", receivedTo: "2024-01-02T00:00:00Z", timeZone: "UTC" })]);
  await work(wrong);
  const run = (await wrong.owner.query("select state, calls_selected, calls_rebuilt, calls_moved, calls_failed, calls_skipped from app_private.cdr_rebuild_runs where selection ? 'receivedFrom'")).rows[0];
  expect(run).toMatchObject({ state: "done", calls_failed: 0, calls_skipped: 0 });
  expect(run.calls_rebuilt).toBe(right.calls.length);
  expect(run.calls_moved).toBe(right.calls.length);
  const after = await reading(wrong);
  expect(after.calls).toEqual(right.calls);
  expect(after.legs).toEqual(right.legs);
  expect(after.queues).toEqual(right.queues);
  expect(after.agents).toEqual(right.agents);
  expect(after.numbers).toEqual(right.numbers);
}, 300_000);
