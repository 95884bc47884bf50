/**
 * Re-reading stored calls. "A day stored under the wrong zone": 3CX lines
 * (times in UTC) were read as Detroit time, so the calls sit four hours
 * late; `npm run cdr:reprocess --timezone UTC` moves every one of them by
 * exactly that offset in place (same ids, a person's call type and journal
 * kept, legs not doubled), the queue-interval and agent-day figures follow
 * to the new times and equal a full recount, first-call resolution of the
 * caller's calls flips where the order of their calls changed, and a
 * ReportCall post (real UTC times) matches once its call is read right. A
 * second run changes nothing. Also: the command's argument errors,
 * `cdr:import --timezone`, rebuild_calls' KPI marks, and the directory's
 * triggers queueing cdr__rebuild.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { ChildProcess } from "node:child_process";
import { noJobsDue, runJobsUntil } from "../helpers/jobs.js";
import { parseBody } from "../../worker/cdr/parse-body.js";
import { loadDirectory } from "../../worker/cdr/context.js";
import { createTestDatabase, inTransaction, personSettings, type TestDatabase } from "../helpers/db.js";
import { createUser } from "../helpers/users.js";
import { startTestServer, testEnv, type TestServer } from "../helpers/server.js";
import { spawnScript } from "../helpers/child-process.js";
import { numberOf, rows } from "../helpers/query.js";

const SECRET = "cdr-webhook-secret-for-reprocess-tests";
const HOUR = 3_600_000;
let db: TestDatabase;
let server: TestServer;
const children: ChildProcess[] = [];
let tmp: string;

// Until none is due: jobs queued after a job's commit (kpi__refresh) are taken by a later round.
const work = () => runJobsUntil(db, noJobsDue(db), { what: "the queued jobs" });
const post = async (body: string, type = "text/plain"): Promise<number[]> => {
  const res = await fetch(`${server.url}/api/3cx/cdr-webhook`, {
    method: "POST", headers: { "content-type": type, authorization: `Bearer ${SECRET}` }, body,
  });
  expect(res.status).toBe(202);
  return ((await res.json()) as { rawIds: number[] }).rawIds;
};
const q = <T = Record<string, unknown>>(sql: string, params: unknown[] = []) => rows<T>(db.owner, sql, params);

/** A project script as a child process against the test database: its exit code and output. */
function runScript(script: string, args: string[]) {
  const child = spawnScript(script, args, db, ["ignore", "pipe", "pipe"]);
  children.push(child);
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.once("close", (code) => resolve({ code, stdout, stderr })),
  );
}

/** The result table cdr:reprocess prints. */
function printed(stdout: string) {
  const row = (label: string) => {
    const m = new RegExp(`^\\s*${label.replace(/[()]/g, "\\$&")}\\s+([\\d,]+)\\s*$`, "m").exec(stdout);
    if (!m) throw new Error(`no '${label}' row in:\n${stdout}`);
    return Number(m[1]!.replace(/,/g, ""));
  };
  return {
    bodies: row("raw bodies read"), rebuilt: row("calls rebuilt"), moved: row("calls moved"), skipped: row("calls skipped (no records)"),
    failed: row("calls failed"), fcr: row("FCR flags changed"), matched: row("ReportCall posts matched"), unmatched: row("ReportCall posts unmatched"),
  };
}

/*
 * The day's lines, 20 fields (3CX's first 20; the rest of THREECX_CDR_FIELDS stays empty), times in UTC as 3CX
 * writes them. 611 and 612 are queues, 194 and 195 agents; the directory tells which (no type fields).
 */
const line = (n: number, callId: string, duration: string, start: string, answered: string, end: string, reason: string, from: string,
  to: string, changed: string, final: string, chain: string) => {
  const dn = (e: string) => e.replace(/^Ext\./, "");
  return `Call ${n},${callId},${duration},${start},${answered},${end},${reason},${from},${to},10000,${dn(to)},${dn(to)},${changed},${final},${dn(final)},,,,,Chain: ${chain};\r\n`;
};
const DAY_LINES = [
  // Q1: the public sample: into queue 611, answered by 194 (the queue picked it up: the agent's answer time is unknown).
  line(23194, "00000172FF13E364_4449", "00:03:43", "2020/06/29 07:56:32", "2020/06/29 07:56:33", "2020/06/29 08:00:16", "TerminatedBySrc", "0466452265", "Ext.611", "ReplacedDst", "Ext.194", "0466452265;Ext.611;Ext.194"),
  // Q2: into queue 612, answered by 195; its ReportCall post arrives separately with the real UTC times.
  line(23195, "00000172FF13E364_4450", "00:02:00", "2020/06/29 14:00:00", "2020/06/29 14:00:04", "2020/06/29 14:02:00", "TerminatedByDst", "0466100200", "Ext.612", "ReplacedDst", "Ext.195", "0466100200;Ext.612;Ext.195"),
  // D1: a caller dialled agent 194 directly.
  line(23196, "00000172FF13E364_4451", "00:02:00", "2020/06/29 09:00:00", "2020/06/29 09:00:05", "2020/06/29 09:02:00", "TerminatedByDst", "0466000001", "Ext.194", "", "Ext.194", "0466000001;Ext.194"),
  // D2: late in the evening (22:00 in Detroit): read as Detroit time it landed on the next business day.
  line(23197, "00000172FF13E364_4452", "00:01:00", "2020/06/30 02:00:00", "2020/06/30 02:00:05", "2020/06/30 02:01:00", "TerminatedByDst", "0466000002", "Ext.195", "", "Ext.195", "0466000002;Ext.195"),
  // A: caller 0466777777, answered by 194, who passed the call into queue 611 (a queue call whose answer time is known).
  line(23198, "00000172FF13E364_4453", "00:05:00", "2020/06/29 07:00:00", "2020/06/29 07:00:10", "2020/06/29 07:05:00", "TerminatedByDst", "0466777777", "Ext.194", "ReplacedDst", "Ext.611", "0466777777;Ext.194;Ext.611"),
];
const DAY_CALLS = ["00000172FF13E364_4449", "00000172FF13E364_4450", "00000172FF13E364_4451", "00000172FF13E364_4452", "00000172FF13E364_4453"];
// B: the same caller as A, two hours after A really ended, in a body read in the right zone (received on another day).
const LINE_B = line(23300, "00000172FF13E364_4500", "00:03:00", "2020/06/29 09:00:00", "2020/06/29 09:00:08", "2020/06/29 09:03:00", "TerminatedByDst", "0466777777", "Ext.195", "ReplacedDst", "Ext.611", "0466777777;Ext.195;Ext.611");
const REPORT_CALL = {
  CallType: "Inbound", Number: "0466100200", Name: "Robin Reporter", Agent: "195", CallStartTimeUTC: "2020-06-29T14:00:01Z",
  CallEstablishedTimeUTC: "2020-06-29T14:00:04Z", CallEndTimeUTC: "2020-06-29T14:02:00Z", RecordingUrl: "https://recordings.example/q2.wav",
};
const RECEIVED = "2020-06-30T12:00:00Z";

const calls = (ids: string[]) =>
  q<{ call_id: string; id: string; call_start_time: Date; call_end_time: Date | null; queue_name: string | null; queue_entered_at: Date | null }>(
    `select call_id, id, call_start_time, call_end_time, queue_name, queue_entered_at from app_public.call_center_records where call_id = any($1) order by call_id`, [ids]);
const legs = (ids: string[]) =>
  q<{ call_id: string; leg_key: string; agent_extension: string | null; started_at: Date; answered_at: Date | null; ended_at: Date | null; outcome: string }>(
    `select call_id, leg_key, agent_extension, started_at, answered_at, ended_at, outcome from app_public.call_legs where call_id = any($1) order by call_id, leg_key`, [ids]);
const fcr = async (callId: string) => (await q<{ resolved: boolean | null }>(
  "select first_call_resolution as resolved from app_public.call_center_records where call_id = $1", [callId]))[0]!.resolved;
/** Every stored queue-interval and agent-day figure, as text. */
const figures = async () => (await q<{ f: string }>(
  `select q::text as f from (select queue_name, interval_start, offered, answered, abandoned, short_abandoned, answered_within_sl, wait_unknown, answered_wait_seconds
                               from app_public.queue_interval_stats order by 1, 2) q
   union all
   select a::text from (select agent_extension, business_day, calls_handled, calls_handled_inbound, calls_missed, talk_seconds, fcr_resolved, fcr_final
                          from app_public.agent_daily_stats order by 1, 2) a`)).map((r) => r.f);
/** The whole state a re-run must leave alone: calls (but their updated_at), legs (but their ids), figures, posts. */
const state = async () => ({
  calls: await q(`select c.call_id, c.id, c.call_start_time, c.call_end_time, c.call_status, c.queue_name, c.queue_entered_at, c.agent_extension,
                         c.call_answer_time, c.wait_seconds, c.first_call_resolution, c.fcr_source, c.call_type, c.call_type_source, c.caller_number_hash,
                         c.caller_name_masked, c.recording_available, c.pbx_route, c.ended_in, c.location
                    from app_public.call_center_records c order by c.call_id`),
  legs: await legs([...DAY_CALLS, "00000172FF13E364_4500"]),
  figures: await figures(),
  posts: await q("select id, call_record_id, matched_at from app_private.cdr_report_calls order by id"),
});

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "cc-reprocess-"));
  db = await createTestDatabase();
  await createUser(db.owner, { email: "agent.194@gangerdermatology.com", role: "call_center_agent", locations: ["Ann Arbor"] });
  await createUser(db.owner, { email: "agent.195@gangerdermatology.com", role: "call_center_agent", locations: ["Ann Arbor"] });
  await db.owner.query(`insert into app_public.agents (extension, user_email, location_name) values
    ('194', 'agent.194@gangerdermatology.com', 'Ann Arbor'), ('195', 'agent.195@gangerdermatology.com', 'Ann Arbor')`);
  await db.owner.query(`insert into app_public.queues (name, extension, location_name) values ('Front desk', '611', 'Ann Arbor'), ('Billing', '612', 'Ann Arbor')`);
  await db.owner.query("delete from graphile_worker._private_jobs");
  server = await startTestServer(db.authenticatorUrl, { env: { THREECX_CDR_WEBHOOK_SECRET: SECRET } });
});
afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
  await server?.close();
  await db?.drop();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe("a day stored under the wrong zone", () => {
  let before: Awaited<ReturnType<typeof calls>>;
  let beforeLegs: Awaited<ReturnType<typeof legs>>;
  let callCount: number;

  beforeAll(async () => {
    // The day's body arrived while the service read 3CX times as Detroit time.
    const dayIds = await post(DAY_LINES.join(""));
    await db.owner.query("update app_private.cdr_raw set cdr_time_zone = 'America/Detroit', received_at = $2 where id = any($1)", [dayIds, RECEIVED]);
    await post(LINE_B);
    await post(JSON.stringify(REPORT_CALL), "application/json");
    await work();
    // People's work on Q1: a journal, and a call type a supervisor corrected.
    const q1 = (await calls([DAY_CALLS[0]!]))[0]!.id;
    await db.owner.query("insert into app_public.call_journals (call_record_id, agent_email, call_summary) values ($1, 'agent.194@gangerdermatology.com', 'Asked about a bill')", [q1]);
    const supervisor = await createUser(db.owner, { email: "sup.aa@gangerdermatology.com", role: "supervisor", locations: ["Ann Arbor"] });
    await inTransaction(db.authenticator, personSettings(supervisor), async (c) => {
      expect((await c.query("update app_public.call_center_records set call_type = 'billing' where id = $1", [q1])).rowCount).toBe(1);
    }, { commit: true });
    await work();
    before = await calls(DAY_CALLS);
    beforeLegs = await legs(DAY_CALLS);
    callCount = Number((await q<{ n: string }>("select count(*) as n from app_public.call_center_records"))[0]!.n);
  });

  it("(stored four hours late; the caller's later call B flipped A's earlier one; the post found no call)", async () => {
    expect(before.map((c) => c.call_start_time.toISOString())).toEqual([
      "2020-06-29T11:56:32.000Z", "2020-06-29T18:00:00.000Z", "2020-06-29T13:00:00.000Z", "2020-06-30T06:00:00.000Z", "2020-06-29T11:00:00.000Z",
    ]);
    // Stored, A (11:00Z) came after B (09:00Z): B looked repeated, A resolved.
    expect([await fcr(DAY_CALLS[4]!), await fcr("00000172FF13E364_4500")]).toEqual([true, false]);
    expect(await q("select call_record_id from app_private.cdr_report_calls")).toEqual([{ call_record_id: null }]);
    expect(beforeLegs.length).toBeGreaterThanOrEqual(DAY_CALLS.length);
  });

  it("cdr:reprocess --timezone UTC moves every call by exactly the offset, in place, and the figures, FCR and the post follow", async () => {
    const run = await runScript("scripts/cdr-reprocess.ts", ["--received-from", "2020-06-30", "--received-to", "2020-07-01", "--timezone", "UTC"]);
    expect({ code: run.code, stderr: run.code === 0 ? "" : run.stderr }).toEqual({ code: 0, stderr: "" });
    expect(run.stdout).toContain("Selected 1 raw body received from 2020-06-30T04:00:00.000Z to 2020-07-01T04:00:00.000Z and 5 calls");
    expect(printed(run.stdout)).toEqual({ bodies: 1, rebuilt: 5, moved: 5, skipped: 0, failed: 0, fcr: 2, matched: 1, unmatched: 0 });
    expect(await q("select distinct cdr_time_zone from app_private.cdr_raw where received_at = $1", [RECEIVED])).toEqual([{ cdr_time_zone: "UTC" }]);

    // Every call moved by exactly four hours (EDT), keeping its id; no call added.
    const after = await calls(DAY_CALLS);
    expect(after.map((c) => ({ call_id: c.call_id, id: c.id, start: c.call_start_time.getTime(), end: c.call_end_time?.getTime() ?? null,
      queue: c.queue_name, entered: c.queue_entered_at?.getTime() ?? null })))
      .toEqual(before.map((c) => ({ call_id: c.call_id, id: c.id, start: c.call_start_time.getTime() - 4 * HOUR, end: c.call_end_time!.getTime() - 4 * HOUR,
        queue: c.queue_name, entered: c.queue_entered_at ? c.queue_entered_at.getTime() - 4 * HOUR : null })));
    expect(Number((await q<{ n: string }>("select count(*) as n from app_public.call_center_records"))[0]!.n)).toBe(callCount);
    // The same legs, moved, none doubled.
    const shift = (t: Date | null) => (t ? t.getTime() - 4 * HOUR : null);
    expect((await legs(DAY_CALLS)).map((l) => ({ ...l, started_at: l.started_at.getTime(), answered_at: l.answered_at?.getTime() ?? null, ended_at: l.ended_at?.getTime() ?? null })))
      .toEqual(beforeLegs.map((l) => ({ ...l, started_at: shift(l.started_at), answered_at: shift(l.answered_at), ended_at: shift(l.ended_at) })));

    // People's work stays with the call.
    expect(await q("select c.call_id, c.call_type, c.call_type_source, j.call_summary from app_public.call_journals j join app_public.call_center_records c on c.id = j.call_record_id"))
      .toEqual([{ call_id: DAY_CALLS[0], call_type: "billing", call_type_source: "manual", call_summary: "Asked about a bill" }]);

    // A now comes two hours before B: A is the repeated one.
    expect([await fcr(DAY_CALLS[4]!), await fcr("00000172FF13E364_4500")]).toEqual([false, true]);
    // The ReportCall post (real UTC times) matches Q2 now, and brought its name and recording.
    const q2 = after.find((c) => c.call_id === DAY_CALLS[1])!;
    expect(await q("select call_record_id from app_private.cdr_report_calls")).toEqual([{ call_record_id: q2.id }]);
    expect(await q("select caller_name_masked, recording_available from app_public.call_center_records where id = $1", [q2.id]))
      .toEqual([{ caller_name_masked: "R. R.", recording_available: true }]);

    // The figures: nothing left to recount, equal to a full recount, at the new times only.
    expect(Number((await q<{ n: string }>(`select (select count(*) from app_private.kpi_stale_queue_intervals) + (select count(*) from app_private.kpi_stale_agent_days) as n`))[0]!.n)).toBe(0);
    const figuresNow = await figures();
    await db.owner.query("select app_private.recount_kpis('2020-06-28', '2020-07-01')");
    expect(await figures()).toEqual(figuresNow);
    const intervals = (await q<{ queue_name: string; interval_start: Date }>("select queue_name, interval_start from app_public.queue_interval_stats order by 2, 1"))
      .map((r) => `${r.queue_name} ${r.interval_start.toISOString()}`);
    expect(intervals).toEqual(expect.arrayContaining(["Front desk 2020-06-29T07:00:00.000Z", "Front desk 2020-06-29T07:45:00.000Z", "Billing 2020-06-29T14:00:00.000Z"]));
    expect(intervals.filter((i) => /T11:00|T11:45|T18:00/.test(i))).toEqual([]);
    // D2 (22:00 in Detroit) is agent 195's work of the 29th now, not of the 30th.
    expect((await q<{ business_day: string }>("select business_day::text from app_public.agent_daily_stats where agent_extension = '195' order by 1")).map((r) => r.business_day))
      .toEqual(["2020-06-29"]);
  });

  it("a second run changes nothing", async () => {
    const first = await state();
    const run = await runScript("scripts/cdr-reprocess.ts", ["--received-from", "2020-06-30T04:00:00Z", "--received-to", "2020-07-01T04:00Z", "--timezone", "UTC"]);
    expect({ code: run.code, stderr: run.code === 0 ? "" : run.stderr }).toEqual({ code: 0, stderr: "" });
    expect(printed(run.stdout)).toEqual({ bodies: 1, rebuilt: 5, moved: 0, skipped: 0, failed: 0, fcr: 0, matched: 0, unmatched: 0 });
    expect(await state()).toEqual(first);
  });

  it("without --timezone the bodies keep their zone (nothing moves); a body stored before bodies were linked to calls is linked first", async () => {
    // As if the body had been processed before migration 000029: no link to its calls.
    await db.owner.query("delete from app_private.cdr_raw_calls where raw_id in (select id from app_private.cdr_raw where received_at = $1)", [RECEIVED]);
    const run = await runScript("scripts/cdr-reprocess.ts", ["--received-from", "2020-06-30", "--received-to", "2020-07-01"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("and 0 calls they brought (1 of the bodies were stored before bodies were linked to their calls: they are read first); each body keeps its own zone");
    expect(printed(run.stdout)).toMatchObject({ bodies: 1, rebuilt: 5, moved: 0 });
    expect(Number((await q<{ n: string }>("select count(distinct call_id) as n from app_private.cdr_raw_calls where call_id = any($1)", [DAY_CALLS]))[0]!.n)).toBe(5);
  });

  it("the same command continues a run left unfinished (a crash), and each run leaves one audit row", async () => {
    const selection = { receivedFrom: "2020-06-30T04:00:00.000Z", receivedTo: "2020-07-01T04:00:00.000Z", timeZone: "UTC" };
    const [left] = await q<{ id: string }>("insert into app_private.cdr_rebuild_runs (selection) values ($1) returning id", [JSON.stringify(selection)]);
    const run = await runScript("scripts/cdr-reprocess.ts", ["--received-from", "2020-06-30", "--received-to", "2020-07-01", "--timezone", "utc"]);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(`continuing the unfinished run ${left!.id} of the same selection`);
    expect(await q("select state from app_private.cdr_rebuild_runs where id = $1", [left!.id])).toEqual([{ state: "done" }]);
    expect(printed(run.stdout)).toMatchObject({ rebuilt: 5, moved: 0 });
    expect(Number((await q<{ n: string }>("select count(*) as n from app_public.audit_logs where details ->> 'task' = 'cdr__rebuild'"))[0]!.n)).toBe(4);
  });
});

describe("cdr:reprocess arguments", () => {
  const errors = async (args: string[]) => {
    const run = await runScript("scripts/cdr-reprocess.ts", args);
    return { code: run.code, stderr: run.stderr };
  };
  it("exit 2 with the reasons, before anything is queued", async () => {
    const jobs = () => numberOf(db.owner, "select count(*) as n from graphile_worker._private_jobs");
    const queued = await jobs();
    const missing = await errors([]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--received-from: is required[\s\S]*--received-to: is required/);
    const bad = await errors(["--received-from", "2020-02-30", "--received-to", "yesterday", "--timezone", "Mars/Olympus"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--received-from: '2020-02-30'");
    expect(bad.stderr).toContain("--received-to: 'yesterday' is neither an instant");
    expect(bad.stderr).toContain("--timezone: 'Mars/Olympus' is not an IANA time zone");
    const backwards = await errors(["--received-from", "2020-07-01", "--received-to", "2020-06-30T12:00:00+02:00"]);
    expect(backwards).toMatchObject({ code: 2 });
    expect(backwards.stderr).toContain("--received-to: must be after --received-from");
    expect((await errors(["--received-from", "2020-06-30T12:00:00", "--received-to", "2020-07-01"])).stderr).toContain("is neither an instant with its offset");
    expect((await errors(["--received-from", "2020-06-30", "--received-to", "2020-07-01", "--timezone", "+02:00"])).code).toBe(2);
    expect(await jobs()).toBe(queued);
  });
});

describe("cdr:import --timezone", () => {
  it("stores the zone with each chunk, and the calls land at the right UTC instants", async () => {
    const file = path.join(tmp, "paris.log");
    fs.writeFileSync(file, line(24000, "PARIS_1", "00:01:00", "2020/06/29 10:00:00", "2020/06/29 10:00:05", "2020/06/29 10:01:00", "TerminatedByDst", "0466555001", "Ext.194", "", "Ext.194", "0466555001;Ext.194"));
    const run = await runScript("scripts/cdr-import.ts", ["--timezone", "europe/paris", file]);
    expect({ code: run.code, stderr: run.code === 0 ? "" : run.stderr }).toEqual({ code: 0, stderr: "" });
    expect(await q("select cdr_time_zone from app_private.cdr_raw where source = 'import'")).toEqual([{ cdr_time_zone: "Europe/Paris" }]);
    // 10:00 in Paris (CEST, UTC+2) is 08:00 UTC.
    expect((await calls(["PARIS_1"]))[0]!.call_start_time.toISOString()).toBe("2020-06-29T08:00:00.000Z");
  });
  it("refuses a zone that is not an IANA zone (exit 2)", async () => {
    const run = await runScript("scripts/cdr-import.ts", ["--timezone", "Mars/Olympus", path.join(tmp, "paris.log")]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("--timezone: 'Mars/Olympus' is not an IANA time zone");
  });
});

describe("rebuild_calls", () => {
  /** The normalised calls of the day's body, read in `zone` with the current directory. */
  async function dayCalls(zone: string) {
    const client = await db.owner.connect();
    try {
      const directory = await loadDirectory(client);
      const raw = (await client.query("select id, content_type, app_hidden.phi_decrypt_bytea(body_encrypted) as body from app_private.cdr_raw where received_at = $1", [RECEIVED])).rows[0];
      return parseBody(raw.body, raw.content_type, { fields: testEnv().THREECX_CDR_FIELDS.split(","), timeZone: zone, directory }).calls;
    } finally {
      client.release();
    }
  }

  it("marks both the old and the new queue intervals and agent days, and moves back and forth without doubling", async () => {
    const client = await db.owner.connect();
    try {
      await client.query("begin");
      await client.query("delete from app_private.kpi_stale_queue_intervals");
      await client.query("delete from app_private.kpi_stale_agent_days");
      const moved = (await client.query("select call_id, moved, old_start, new_start from app_private.rebuild_calls($1) order by call_id", [JSON.stringify(await dayCalls("America/Detroit"))])).rows;
      expect(moved.map((r) => [r.call_id, r.moved, r.new_start.getTime() - r.old_start.getTime()])).toEqual(DAY_CALLS.map((id) => [id, true, 4 * HOUR]));
      const marked = {
        intervals: (await client.query("select distinct queue_name || ' ' || to_char(interval_start at time zone 'UTC', 'HH24:MI') as k from app_private.kpi_stale_queue_intervals order by 1")).rows.map((r) => r.k),
        days: (await client.query("select distinct agent_extension || ' ' || business_day as k from app_private.kpi_stale_agent_days order by 1")).rows.map((r) => r.k),
      };
      // Q1 at 07:45 (UTC, right) and 11:45 (Detroit, wrong); A 07:00 and 11:00; Q2 14:00 and 18:00; D2's day the 29th and the 30th.
      expect(marked.intervals).toEqual(expect.arrayContaining(["Front desk 07:00", "Front desk 07:45", "Front desk 11:00", "Front desk 11:45", "Billing 14:00", "Billing 18:00"]));
      expect(marked.days).toEqual(expect.arrayContaining(["195 2020-06-29", "195 2020-06-30", "194 2020-06-29"]));
      // And back: the same calls, the same legs.
      const back = (await client.query("select call_id, moved from app_private.rebuild_calls($1) order by call_id", [JSON.stringify(await dayCalls("UTC"))])).rows;
      expect(back.every((r) => r.moved)).toBe(true);
      const again = (await client.query("select call_id, moved, fcr_changed, reports_matched, reports_unmatched from app_private.rebuild_calls($1) order by call_id", [JSON.stringify(await dayCalls("UTC"))])).rows;
      expect(again).toEqual(DAY_CALLS.map((id) => ({ call_id: id, moved: false, fcr_changed: 0, reports_matched: 0, reports_unmatched: 0 })));
      expect(Number((await client.query("select count(*) as n from app_public.call_legs where call_id = any($1)", [DAY_CALLS])).rows[0].n)).toBe(
        (await legs(DAY_CALLS)).length,
      );
    } finally {
      await client.query("rollback");
      client.release();
    }
  });

  it("unmatches a post whose call moved away, with the name and recording only it brought, and keeps a person's FCR", async () => {
    const client = await db.owner.connect();
    try {
      await client.query("begin");
      await client.query("update app_public.call_center_records set first_call_resolution = true, fcr_source = 'manual', fcr_final = true where call_id = $1", [DAY_CALLS[4]]);
      const rows = (await client.query("select call_id, fcr_changed, reports_matched, reports_unmatched from app_private.rebuild_calls($1) order by call_id", [JSON.stringify(await dayCalls("America/Detroit"))])).rows;
      expect(rows.find((r) => r.call_id === DAY_CALLS[1])).toMatchObject({ reports_unmatched: 1, reports_matched: 0 });
      expect((await client.query("select call_record_id from app_private.cdr_report_calls")).rows).toEqual([{ call_record_id: null }]);
      expect((await client.query("select caller_name_masked, recording_available, recording_url_encrypted from app_public.call_center_records where call_id = $1", [DAY_CALLS[1]])).rows)
        .toEqual([{ caller_name_masked: null, recording_available: false, recording_url_encrypted: null }]);
      expect((await client.query("select first_call_resolution, fcr_source from app_public.call_center_records where call_id = $1", [DAY_CALLS[4]])).rows)
        .toEqual([{ first_call_resolution: true, fcr_source: "manual" }]);
    } finally {
      await client.query("rollback");
      client.release();
    }
  });
});

describe("the cdr__rebuild job", () => {
  it("leaves a call the database refuses as it was, names it, and rebuilds the others of its batch", async () => {
    await post(line(26000, "GOOD_1", "00:01:00", "2020/07/02 10:00:00", "2020/07/02 10:00:05", "2020/07/02 10:01:00", "TerminatedByDst", "0466555100", "Ext.194", "", "Ext.194", "0466555100;Ext.194") +
      line(26001, "BAD_1", "00:01:00", "2020/07/02 11:00:00", "2020/07/02 11:00:05", "2020/07/02 11:01:00", "TerminatedByDst", "0466555101", "Ext.195", "", "Ext.195", "0466555101;Ext.195"));
    await work();
    const legsBefore = await legs(["BAD_1"]);
    await db.owner.query(`create function app_private.test_refuse() returns trigger language plpgsql as $$
      begin if new.call_id = 'BAD_1' then raise exception 'refused for the test'; end if; return new; end $$`);
    await db.owner.query("create trigger _001_test_refuse before insert on app_public.call_legs for each row execute function app_private.test_refuse()");
    try {
      await db.owner.query("delete from graphile_worker._private_jobs");
      await db.owner.query("select app_private.add_job('cdr__rebuild', json_build_object('callIds', array['BAD_1', 'GOOD_1']))");
      await work();
    } finally {
      await db.owner.query("drop trigger _001_test_refuse on app_public.call_legs");
    }
    const [run] = await q<{ state: string; calls_rebuilt: number; calls_failed: number; failed_call_ids: string[]; last_error: string }>(
      `select state, calls_rebuilt, calls_failed, failed_call_ids, last_error from app_private.cdr_rebuild_runs where selection = '{"callIds": ["BAD_1", "GOOD_1"]}'`);
    expect(run).toMatchObject({ state: "done", calls_rebuilt: 1, calls_failed: 1, failed_call_ids: ["BAD_1"] });
    expect(run!.last_error).toContain("refused for the test");
    expect(await legs(["BAD_1"])).toEqual(legsBefore);
  });
});

describe("the directory's changes queue cdr__rebuild", () => {
  const jobs = async () => (await q<{ payload: { numbers: string[] } }>(
    "select payload from graphile_worker._private_jobs j join graphile_worker._private_tasks t on t.id = j.task_id where t.identifier = 'cdr__rebuild' order by j.id")).map((j) => j.payload);
  beforeEach(async () => db.owner.query("delete from graphile_worker._private_jobs"));

  it("a number classified (not one added as unknown), a queue or an agent taking a number; the unknown row goes", async () => {
    await db.owner.query("insert into app_public.pbx_numbers (number, kind) values ('701', 'unknown'), ('702', 'unknown'), ('703', 'unknown')");
    expect(await jobs()).toEqual([]);
    await db.owner.query("update app_public.pbx_numbers set kind = 'ivr', name = 'Main menu' where number = '701'");
    await db.owner.query("update app_public.pbx_numbers set name = 'Renamed' where number = '701'");
    await db.owner.query("insert into app_public.pbx_numbers (number, kind) values ('704', 'ring_group')");
    await db.owner.query("insert into app_public.queues (name, extension) values ('Overflow', '702')");
    await db.owner.query("insert into app_public.agents (extension) values ('703'), ('705')");
    await db.owner.query("update app_public.agents set is_active = false where extension = '705'");
    expect(await jobs()).toEqual([{ numbers: ["701"] }, { numbers: ["704"] }, { numbers: ["702"] }, { numbers: ["703", "705"] }, { numbers: ["705"] }]);
    expect((await q<{ number: string }>("select number from app_public.pbx_numbers order by 1")).map((r) => r.number)).toEqual(["701", "704"]);
  });

  it("not the ingestion's own additions: a queue its records' type fields name is known to the calls already", async () => {
    await post("Call 27000,TYPED_1,00:00:40,2020/07/03 10:00:00,,2020/07/03 10:00:40,TerminatedBySrc,0466555200,Ext.850,10000,850,850,,Ext.850,850,,,,,Chain: 0466555200;Ext.850;,Line,Queue,Queue,,,,\r\n");
    await work();
    expect(await q("select name from app_public.queues where extension = '850'")).toEqual([{ name: "Queue 850" }]);
    expect(await jobs()).toEqual([]);
    expect(await q(`select id from app_private.cdr_rebuild_runs where selection @> '{"numbers": ["850"]}'`)).toEqual([]);
  });

  it("the job reads the calls through that number again: same call, nothing doubled", async () => {
    await post(line(25000, "ROUTE_1", "00:01:30", "2020/07/01 10:00:00", "2020/07/01 10:00:20", "2020/07/01 10:01:30", "TerminatedByDst", "0466555777", "Ext.710", "ReplacedDst", "Ext.194", "0466555777;Ext.710;Ext.194"));
    await work();
    const [call] = await q<{ id: string; pbx_route: string[] }>("select id, pbx_route from app_public.call_center_records where call_id = 'ROUTE_1'");
    expect(call!.pbx_route).toEqual(["710", "194"]);
    await db.owner.query("delete from graphile_worker._private_jobs");
    await db.owner.query("insert into app_public.pbx_numbers (number, kind, name) values ('710', 'ivr', 'Main menu') on conflict (number) do update set kind = 'ivr'");
    expect(await jobs()).toEqual([{ numbers: ["710"] }]);
    await work();
    expect(await jobs()).toEqual([]);
    expect(await q("select state, calls_selected, calls_rebuilt, calls_failed from app_private.cdr_rebuild_runs where selection = '{\"numbers\": [\"710\"]}'"))
      .toEqual([{ state: "done", calls_selected: 1, calls_rebuilt: 1, calls_failed: 0 }]);
    expect(await q("select id from app_public.call_center_records where call_id = 'ROUTE_1'")).toEqual([{ id: call!.id }]);
    // What the call reads as now depends on the reading rules; nothing of it is doubled.
    const after = await legs(["ROUTE_1"]);
    expect(after.length).toBeGreaterThan(0);
    expect(new Set(after.map((l) => l.leg_key)).size).toBe(after.length);
    expect(Number((await q<{ n: string }>("select count(*) as n from app_public.call_center_records where call_id = 'ROUTE_1'"))[0]!.n)).toBe(1);
  });
});
