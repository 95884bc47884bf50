/**
 * threecx__sync_directory against the fake 3CX: new, renamed, departed and
 * re-added agents; queue membership; IVRs and ring groups as pbx_numbers; an
 * idempotent re-run (no writes, no audit rows); calls re-attributed to an
 * extension the directory learns. Every scripted failure (401, 403, 429,
 * 500, slow, malformed JSON, a failure in the middle of the read, an empty
 * user list) leaves the directory as it was, the status row failing with its
 * reason, and recovers when the fake does.
 */
import { forgetEnv } from "../../lib/env.js";
import { setXapiClientOptions } from "../../worker/threecx.js";
import { startFake3cx, type Fake3cx, type FakeUser } from "../../integrations/3cx/fake/index.js";
import { createTestDatabase, type TestDatabase } from "../helpers/db.js";
import { createCast, type Cast } from "../helpers/users.js";
import { runJobs, runJobsUntil, noJobsDue } from "../helpers/jobs.js";
import { numberOf } from "../helpers/query.js";
import { talk } from "../helpers/calls.js";

let db: TestDatabase;
let cast: Cast;
let pbx: Fake3cx;
const SECRET = "directory-sync-secret";

const user = (n: string, first: string, last: string, email: string | null, extra: Partial<FakeUser> = {}): FakeUser => ({
  Id: Number(n),
  Number: n,
  FirstName: first,
  LastName: last,
  DisplayName: `${first} ${last}`,
  EmailAddress: email,
  IsRegistered: true,
  CurrentProfileName: "Available",
  QueueStatus: "LoggedIn",
  Enabled: true,
  ...extra,
});

beforeAll(async () => {
  db = await createTestDatabase();
  cast = await createCast(db.owner);
  await db.owner.query(`insert into app_public.queues (name, extension, location_name) values ('AA appointments', '801', 'Ann Arbor')`);
  pbx = await startFake3cx({
    clientId: "cc-ops",
    clientSecret: SECRET,
    users: [user("101", "Avery", "Adler", cast.agentAA.email), user("102", "Blake", "Brooks", "blake@gangerdermatology.com"), user("103", "Casey", "Carter", null, { IsRegistered: false })],
    queues: [{ Id: 10, Number: "801", Name: "AA appointments", Agents: [] }, { Id: 11, Number: "811", Name: "Wixom front desk", Agents: [] }],
    receptionists: [{ Id: 20, Number: "8001", Name: "Ann Arbor main menu" }],
    ringGroups: [{ Id: 30, Number: "850", Name: "Managers", Members: [] }],
  });
  pbx.controls.setQueueAgents("801", ["101", "102"]);
  pbx.controls.setQueueAgents("811", ["103"]);
  Object.assign(process.env, { THREECX_API_URL: pbx.url, THREECX_API_CLIENT_ID: "cc-ops", THREECX_API_KEY: SECRET, THREECX_API_TIMEOUT_MS: "500", THREECX_API_RETRIES: "1" });
  forgetEnv();
  setXapiClientOptions({ minBackoffMs: 10, maxBackoffMs: 20 });
});
afterAll(async () => {
  for (const k of ["THREECX_API_URL", "THREECX_API_CLIENT_ID", "THREECX_API_KEY", "THREECX_API_TIMEOUT_MS", "THREECX_API_RETRIES"]) delete process.env[k];
  forgetEnv();
  await pbx.close();
  await db.drop();
});

/** One scheduled run of the sync (as the crontab queues it), then the jobs it queued. */
async function sync() {
  await db.owner.query(`select graphile_worker.add_job('threecx__sync_directory', '{}'::json, max_attempts => 1)`);
  await runJobsUntil(db, noJobsDue(db), { what: "the sync and the jobs it queued" });
}
const agents = async () =>
  (await db.owner.query(`select id, extension, display_name, pbx_email, user_email, location_name, is_registered, is_active, pbx_left_at is not null as left, updated_at
                           from app_public.agents order by extension`)).rows;
const agent = async (ext: string) => (await agents()).find((a) => a.extension === ext);
const members = async (queue: string) =>
  (await db.owner.query(`select a.extension, qa.position from app_public.queue_agents qa join app_public.queues q on q.id = qa.queue_id
                           join app_public.agents a on a.id = qa.agent_id where q.extension = $1 order by qa.position`, [queue])).rows;
const status = async () => (await db.owner.query(`select * from app_private.pbx_api_status where kind = 'directory'`)).rows[0];
const auditRows = () => numberOf(db.owner, "select count(*) from app_public.audit_logs");
/** Everything the sync writes, to compare before and after a failure. */
const directory = async () =>
  JSON.stringify({
    agents: (await db.owner.query("select * from app_public.agents order by extension")).rows,
    queues: (await db.owner.query("select * from app_public.queues order by extension")).rows,
    members: (await db.owner.query("select * from app_public.queue_agents order by queue_id, agent_id")).rows,
    numbers: (await db.owner.query("select * from app_public.pbx_numbers order by number")).rows,
  });

describe("directory sync", () => {
  it("adds the PBX's users as agents, its queues with their agents, IVRs and ring groups", async () => {
    await sync();
    const rows = await agents();
    expect(rows.map((a) => [a.extension, a.display_name, a.pbx_email, a.is_registered, a.is_active])).toEqual([
      ["101", "Avery Adler", cast.agentAA.email, true, true],
      ["102", "Blake Brooks", "blake@gangerdermatology.com", true, true],
      ["103", "Casey Carter", null, false, true],
    ]);
    // Linked to the user with the PBX's e-mail; the others are not users (listed to invite, never given access).
    expect(rows.map((a) => a.user_email)).toEqual([cast.agentAA.email, null, null]);
    // A new agent's location: the one location its queues serve.
    expect(rows.map((a) => a.location_name)).toEqual(["Ann Arbor", "Ann Arbor", null]);
    expect(await members("801")).toEqual([{ extension: "101", position: 1 }, { extension: "102", position: 2 }]);
    expect(await members("811")).toEqual([{ extension: "103", position: 1 }]);
    expect((await db.owner.query("select name, is_active from app_public.queues where extension = '811'")).rows).toEqual([{ name: "Wixom front desk", is_active: true }]);
    expect((await db.owner.query("select number, kind, name from app_public.pbx_numbers order by number")).rows).toEqual([
      { number: "8001", kind: "ivr", name: "Ann Arbor main menu" },
      { number: "850", kind: "ring_group", name: "Managers" },
    ]);
    const s = await status();
    expect(s).toMatchObject({ consecutive_failures: 0, last_failure_at: null });
    expect(s.last_result).toMatchObject({ users: 3, agents_added: 3, queues_added: 1, memberships_added: 3, numbers_added: 2 });
    const audit = (await db.owner.query("select details from app_public.audit_logs where action = 'job_run' and details->>'task' = 'threecx__sync_directory'")).rows;
    expect(audit).toHaveLength(1);
  });

  it("a re-run of the same directory writes nothing and audits nothing", async () => {
    const before = await directory();
    const audits = await auditRows();
    await sync();
    expect(await directory()).toEqual(before);
    expect(await auditRows()).toBe(audits);
    expect((await status()).last_result).toMatchObject({ agents_added: 0, agents_updated: 0, agents_deactivated: 0, memberships_added: 0, memberships_removed: 0 });
  });

  it("renamed agents keep their row (and history); departed ones are deactivated, never deleted; re-added ones come back", async () => {
    const blake = await agent("102");
    const casey = await agent("103");
    pbx.controls.renameUser("102", { FirstName: "Robin" });
    pbx.controls.removeUser("103");
    await sync();
    expect(await agent("102")).toMatchObject({ id: blake.id, display_name: "Robin Brooks", is_active: true });
    expect(await agent("103")).toMatchObject({ id: casey.id, is_active: false, left: true });
    expect(await members("811")).toEqual([]);

    pbx.controls.addUser(user("103", "Casey", "Carter", null));
    pbx.controls.setQueueAgents("811", ["103"]);
    await sync();
    expect(await agent("103")).toMatchObject({ id: casey.id, is_active: true, left: false, is_registered: true });
    expect(await members("811")).toEqual([{ extension: "103", position: 1 }]);
  });

  it("an agent deactivated by hand is not reactivated by the sync", async () => {
    await db.owner.query("update app_public.agents set is_active = false where extension = '103'");
    await sync();
    expect(await agent("103")).toMatchObject({ is_active: false, left: false });
    await db.owner.query("update app_public.agents set is_active = true where extension = '103'");
  });

  it("follows queue membership and order as 3CX lists them", async () => {
    pbx.controls.setQueueAgents("801", ["102", "103", "101"]);
    await sync();
    expect(await members("801")).toEqual([
      { extension: "102", position: 1 },
      { extension: "103", position: 2 },
      { extension: "101", position: 3 },
    ]);
    pbx.controls.removeQueue("811");
    await sync();
    expect((await db.owner.query("select is_active from app_public.queues where extension = '811'")).rows).toEqual([{ is_active: false }]);
    expect(await members("811")).toEqual([]);
  });

  it("calls of an extension it learns are attributed again; a number's kind from 3CX re-reads its calls", async () => {
    await db.owner.query("insert into app_public.users (email, full_name) values ('dana@gangerdermatology.com', 'Dana Dalton')");
    await db.owner.query("select app_private.ingest_calls($1::jsonb)", [
      JSON.stringify([talk("S1", "104", "2026-03-10T14:00:00Z", "2026-03-10T14:00:05Z", "2026-03-10T14:01:05Z", { caller: "+17345550101", called: "801", queue: "801" })]),
    ]);
    await runJobs(db);
    expect((await db.owner.query("select agent_email from app_public.call_legs where agent_extension = '104'")).rows).toEqual([{ agent_email: null }]);
    pbx.controls.addUser(user("104", "Dana", "Dalton", "DANA@gangerdermatology.com"));
    // A number the ingestion met and did not know, which 3CX says is an IVR.
    await db.owner.query("insert into app_public.pbx_numbers (number, kind) values ('8002', 'unknown')");
    pbx.controls.addReceptionist({ Number: "8002", Name: "Wixom main menu" });
    const reattributed = () => numberOf(db.owner, "select count(*) from app_public.audit_logs where action = 'job_run' and details->>'task' = 'cdr__reattribute' and details->>'extension' = '104'");
    expect(await reattributed()).toBe(0);
    await sync();
    // The sync queued the re-attribution of 104's calls, and a rebuild of the calls that passed 8002 (the worker's own
    // directory changes queue rebuilds only when they come from the sync).
    expect(await reattributed()).toBe(1);
    const rebuilds = (await db.owner.query("select selection from app_private.cdr_rebuild_runs")).rows.map((r) => r.selection);
    expect(rebuilds).toEqual(expect.arrayContaining([{ numbers: expect.arrayContaining(["8002"]) }]));
    expect(await agent("104")).toMatchObject({ user_email: "dana@gangerdermatology.com", pbx_email: "dana@gangerdermatology.com" });
    expect((await db.owner.query("select agent_email from app_public.call_legs where agent_extension = '104'")).rows).toEqual([{ agent_email: "dana@gangerdermatology.com" }]);
    expect((await db.owner.query("select kind, name from app_public.pbx_numbers where number = '8002'")).rows).toEqual([{ kind: "ivr", name: "Wixom main menu" }]);
  });
});

describe("failures end in a clear state and recover", () => {
  const cases: [string, Parameters<Fake3cx["controls"]["fail"]>[0], string][] = [
    ["401 (the key is refused)", { kind: "401", scope: "token" }, "unauthorized"],
    ["403 (IP not allowed)", { kind: "403" }, "forbidden"],
    ["429 with Retry-After", { kind: "429", retryAfterSeconds: 0 }, "rate_limited"],
    ["500", { kind: "500" }, "server_error"],
    ["a slow PBX", { kind: "slow", delayMs: 1500 }, "timeout"],
    ["malformed JSON", { kind: "malformed" }, "malformed_json"],
    ["a failure in the middle of the read (queues)", { kind: "500", skip: 1 }, "server_error"],
  ];
  it.each(cases)("%s: nothing written, status failing with the reason, then recovered", async (_name, script, reason) => {
    // A change waiting in the PBX that a half-done sync could write.
    pbx.controls.renameUser("101", { LastName: `Adler-${reason}` });
    pbx.controls.revokeTokens();
    const before = await directory();
    pbx.controls.fail(script);
    await sync();
    expect(await directory()).toEqual(before);
    const s = await status();
    expect(s).toMatchObject({ last_failure_reason: reason, consecutive_failures: 1 });
    expect(s.last_error).not.toContain(SECRET);
    expect(s.last_failure_at >= s.last_success_at).toBe(true);
    const counted = await numberOf(db.owner, "select failures from app_private.pbx_api_failures where kind = 'directory' and reason = $1", [reason]);
    expect(counted).toBeGreaterThanOrEqual(1);

    pbx.controls.clearFailures();
    await sync();
    expect(await status()).toMatchObject({ consecutive_failures: 0 });
    expect((await agent("101"))?.display_name).toBe(`Avery Adler-${reason}`);
  });

  it("3CX listing no users while agents are active is refused (CC941): nobody is deactivated", async () => {
    const saved = pbx.controls.users;
    pbx.controls.users = [];
    const before = await directory();
    await sync();
    expect(await directory()).toEqual(before);
    expect(await status()).toMatchObject({ last_failure_reason: "apply_failed", consecutive_failures: 1 });
    expect((await status()).last_error).toMatch(/no users/);
    pbx.controls.users = saved;
    await sync();
    expect(await status()).toMatchObject({ consecutive_failures: 0 });
  });
});
