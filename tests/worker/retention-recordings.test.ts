/**
 * retention__recordings (worker/crontab, daily) honours
 * CALL_RECORDING_RETENTION_DAYS with fixed dates: a call that started more
 * than that many days before the run loses its recording location (set
 * NULL, no longer available), and so does the copy its ReportCall post
 * keeps; a newer one keeps it; expired recording links
 * are deleted, live ones kept; the run is one audit row with its counts, and
 * a run with nothing to do writes none.
 */
import { readFileSync } from "node:fs";
import { asUser, createTestDatabase, inTransaction, refusal, testPhiSettings, type TestDatabase } from "../helpers/db.js";
import { createCast, type Cast } from "../helpers/users.js";
import { talk } from "../helpers/calls.js";
import { runJobs } from "../helpers/jobs.js";
import { numberOf, rows } from "../helpers/query.js";

let db: TestDatabase;
let cast: Cast;
const AS_OF = "2026-03-11T12:00:00Z";
const DAYS = 30;

beforeAll(async () => {
  db = await createTestDatabase();
  cast = await createCast(db.owner);
  await db.owner.query(`insert into app_public.agents (extension, user_email, location_name) values ('101', $1, 'Ann Arbor')`, [cast.agentAA.email]);
  const call = (id: string, start: string) => talk(id, "101", start, new Date(Date.parse(start) + 5_000).toISOString(), new Date(Date.parse(start) + 120_000).toISOString());
  await db.owner.query("select app_private.ingest_calls($1::jsonb)", [JSON.stringify([
    call("OLD", "2026-02-09T11:00:00Z"), // 30 days and 1 hour before AS_OF: cleared
    call("EDGE", "2026-02-09T13:00:00Z"), // 29 days and 23 hours before: kept
    call("NEW", "2026-03-10T14:00:00Z"),
    call("BARE", "2026-01-01T14:00:00Z"), // old, never recorded: untouched
  ])]);
  await inTransaction(db.owner, testPhiSettings(), (c) =>
    c.query("update app_public.call_center_records set recording_url = '101/' || call_id || '.wav' where call_id <> 'BARE'"), { commit: true });
  // The copies ReportCall posts keep (a rebuild matches them to their calls again): one old, one recent.
  await db.owner.query(`insert into app_private.cdr_report_calls (agent_extension, call_type, started_at, recording_url_encrypted) values
      ('101', 'inbound', '2026-02-09T11:00:00Z', '\\x01'), ('101', 'inbound', '2026-03-10T14:00:00Z', '\\x02')`);
  const id = async (callId: string) => (await rows(db.owner, "select id from app_public.call_center_records where call_id = $1", [callId]))[0].id as string;
  await db.owner.query(`insert into app_private.recording_links (token_hash, call_record_id, user_id, reason, expires_at) values
      (sha256('expired'), $1, $3, 'QA listening', '2026-03-11T11:59:00Z'),
      (sha256('live'), $2, $3, 'QA listening', '2026-03-11T12:01:00Z')`, [await id("NEW"), await id("NEW"), cast.manager.userId]);
});
afterAll(async () => db.drop());

const state = () =>
  rows(db.owner, `select call_id, recording_url_encrypted is not null as has_location, recording_available
                  from app_public.call_center_records order by call_id`);
const runRetention = async (payload: Record<string, unknown>) => {
  await db.owner.query("select graphile_worker.add_job('retention__recordings', $1::json)", [JSON.stringify(payload)]);
  await runJobs(db);
};
const runs = () => rows(db.owner, "select details from app_public.audit_logs where action = 'job_run' and details->>'task' = 'retention__recordings' order by id");

it("is on the worker's crontab, daily", () => {
  const crontab = readFileSync(new URL("../../worker/crontab", import.meta.url), "utf8");
  expect(crontab).toMatch(/^\d+\s+\d+\s+\*\s+\*\s+\*\s+retention__recordings\s+\?id=retention__recordings&max=1$/m);
});

it("clears the locations older than the retention, deletes expired links, and audits the run with its counts", async () => {
  await runRetention({ asOf: AS_OF, retentionDays: DAYS });
  expect(await state()).toEqual([
    { call_id: "BARE", has_location: false, recording_available: false },
    { call_id: "EDGE", has_location: true, recording_available: true },
    { call_id: "NEW", has_location: true, recording_available: true },
    { call_id: "OLD", has_location: false, recording_available: false },
  ]);
  expect((await rows(db.owner, "select encode(token_hash, 'escape') as t from app_private.recording_links")).map((r) => r.t)).toEqual([
    expect.any(String),
  ]);
  expect(await numberOf(db.owner, "select count(*) from app_private.recording_links where token_hash = sha256('live')")).toBe(1);
  expect(await runs()).toEqual([
    { details: { task: "retention__recordings", recordings_cleared: 1, report_copies_cleared: 1, recording_links_deleted: 1, retention_days: DAYS, as_of: AS_OF } },
  ]);
  // The February copy is cleared, the March one kept.
  expect(await rows(db.owner, "select recording_url_encrypted is not null as kept from app_private.cdr_report_calls order by started_at"))
    .toEqual([{ kept: false }, { kept: true }]);
});

it("a run with nothing to clear changes nothing and writes no audit row", async () => {
  await runRetention({ asOf: AS_OF, retentionDays: DAYS });
  expect(await runs()).toHaveLength(1);
});

it("a day later the edge call goes too; without a payload it uses now and CALL_RECORDING_RETENTION_DAYS (2555: nothing this young)", async () => {
  await runRetention({ asOf: "2026-03-12T12:00:00Z", retentionDays: DAYS });
  expect((await state()).find((r) => r.call_id === "EDGE")).toEqual({ call_id: "EDGE", has_location: false, recording_available: false });
  await runRetention({});
  expect((await state()).find((r) => r.call_id === "NEW")).toEqual({ call_id: "NEW", has_location: true, recording_available: true });
});

it("a cleared call has no recording to link to any more (CC961)", async () => {
  const err = await asUser(db.authenticator, cast.manager, (c) =>
    refusal(c, "select app_public.request_recording_link(id, 'QA listening') from app_public.call_center_records where call_id = 'OLD'"));
  expect(err).toBe("CC961");
});
