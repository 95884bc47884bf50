/**
 * The presence poll (pbx__presence_poll) against the fake 3CX: each poll is
 * one snapshot of Users and ActiveCalls applied in one transaction; a status
 * change is one history row, an unchanged poll none; a PBX that fails
 * (500, 403, malformed JSON) is written to pbx_api_status('presence') and
 * leaves the last known presence, flagged stale, until it answers again; the
 * poll queues itself again under one job key; GET /api/3cx/agent-status shows
 * what the worker polled.
 *
 * Ann Arbor: agentAA (ext 101), ext 102 (no user); Wixom: agentWX (ext 201).
 * The fake also has ext 555, no agent of the directory.
 */
import { createTestDatabase, type TestDatabase } from "../helpers/db.js";
import { createCast, type Cast } from "../helpers/users.js";
import { signToken, startTestServer, type TestServer } from "../helpers/server.js";
import { restClient, type RestClient } from "../helpers/rest.js";
import { runJobs } from "../helpers/jobs.js";
import { numberOf, one, rows } from "../helpers/query.js";
import { forgetEnv } from "../../lib/env.js";
import { startFake3cx, type Fake3cx, type FakeUser } from "../../integrations/3cx/fake/index.js";
import { presenceFromXapi } from "../../worker/pbx/presence-fetch.js";

let db: TestDatabase;
let cast: Cast;
let pbx: Fake3cx;
let server: TestServer;
let rest: RestClient;
const saved = { ...process.env };

const user = (id: number, number: string, name: string): FakeUser => ({
  Id: id, Number: number, FirstName: name, LastName: null, DisplayName: name, EmailAddress: null,
  IsRegistered: true, CurrentProfileName: "Available", QueueStatus: "LoggedIn", Enabled: true,
});

/** Queues the poll for now (replacing the one waiting under its key, as a due time would) and runs the jobs once. */
async function pollNow() {
  await db.owner.query(`select graphile_worker.add_job('pbx__presence_poll', '{}'::json, queue_name := 'pbx_presence',
    job_key := 'pbx__presence_poll', job_key_mode := 'replace', run_at := now())`);
  await runJobs(db);
}
const historyCount = (extension?: string) =>
  numberOf(db.owner, `select count(*) from app_public.agent_presence_history h join app_public.agents a on a.id = h.agent_id
                       where $1::text is null or a.extension = $1`, [extension ?? null]);
const presenceOf = (extension: string) =>
  one(db.owner, `select p.profile, p.logged_in, p.registered, p.on_call, p.polled_at, app_public.agent_presence_stale(p) as stale
                   from app_public.agent_presence p join app_public.agents a on a.id = p.agent_id where a.extension = $1`, [extension]);
const apiStatus = () =>
  one(db.owner, "select last_success_at, last_failure_at, last_failure_reason, last_error, consecutive_failures from app_private.pbx_api_status where kind = 'presence'");
const statusOverRest = async (extension: string) =>
  (await rest.get(`/api/3cx/agent-status?agent=${extension}`, await signToken({ email: cast.manager.email }))).body.data[0];

beforeAll(async () => {
  db = await createTestDatabase();
  cast = await createCast(db.owner);
  await db.owner.query(`insert into app_public.agents (extension, user_email, location_name, display_name) values
    ('101', $1, 'Ann Arbor', 'Alex A'), ('102', null, 'Ann Arbor', 'Front Desk'), ('201', $2, 'Wixom', 'Wren W')`,
  [cast.agentAA.email, cast.agentWX.email]);
  pbx = await startFake3cx({
    clientId: "presence-test", clientSecret: "s3cret-key-for-tests",
    users: [user(1, "101", "Alex A"), user(2, "102", "Front Desk"), user(3, "201", "Wren W"), user(4, "555", "Conference")],
    queues: [], receptionists: [], ringGroups: [], activeCalls: [],
  });
  Object.assign(process.env, { THREECX_API_URL: pbx.url, THREECX_API_CLIENT_ID: "presence-test", THREECX_API_KEY: "s3cret-key-for-tests" });
  forgetEnv();
  // A worker has run lately (the health check's other condition), whatever this test's runOnce leaves.
  await db.owner.query("insert into app_private.job_heartbeat (id, last_run_at) values (true, now()) on conflict (id) do update set last_run_at = now()");
  server = await startTestServer(db.authenticatorUrl, {
    env: { THREECX_API_URL: pbx.url, THREECX_API_CLIENT_ID: "presence-test", THREECX_API_KEY: "s3cret-key-for-tests" },
  });
  rest = await restClient(server);
});
afterAll(async () => {
  process.env = saved;
  forgetEnv();
  await server.close();
  await pbx.close();
  await db.drop();
});

describe("pbx__presence_poll against the fake 3CX", () => {
  it("polls every agent's status into agent_presence, one open history row each, and queues the next poll", async () => {
    await pollNow();
    expect(await presenceOf("101")).toMatchObject({ profile: "Available", logged_in: true, registered: true, on_call: false, stale: false });
    expect(await historyCount()).toBe(3);
    expect(await one(db.owner, "select unknown_extensions, agents_reported, poll_seconds from app_private.pbx_presence_state"))
      .toEqual({ unknown_extensions: ["555"], agents_reported: 3, poll_seconds: 5 });
    expect(await apiStatus()).toMatchObject({ last_success_at: expect.any(Date), last_failure_at: null, consecutive_failures: 0 });
    // Exactly one poll waits, under the fixed key, THREECX_PRESENCE_POLL_SECONDS from now.
    const waiting = await rows(db.owner, `select key, queue_name, extract(epoch from run_at - now()) as in_seconds from graphile_worker.jobs
                                          where task_identifier = 'pbx__presence_poll'`);
    expect(waiting).toEqual([{ key: "pbx__presence_poll", queue_name: "pbx_presence", in_seconds: expect.any(String) }]);
    expect(Number(waiting[0].in_seconds)).toBeGreaterThan(3);
    expect(Number(waiting[0].in_seconds)).toBeLessThanOrEqual(5);
  });

  it("writes no history row for an unchanged poll", async () => {
    const before = await presenceOf("101");
    await pollNow();
    await pollNow();
    expect(await historyCount()).toBe(3);
    expect((await presenceOf("101")).polled_at.getTime()).toBeGreaterThan(before.polled_at.getTime());
  });

  it("writes one history row for each change: profile and queue login, a call, its end", async () => {
    pbx.controls.setPresence("101", { profile: "Lunch", queueStatus: "LoggedOut" });
    await pollNow();
    expect([await historyCount("101"), await historyCount("201")]).toEqual([2, 1]);
    expect(await presenceOf("101")).toMatchObject({ profile: "Lunch", logged_in: false, on_call: false });
    const call = pbx.controls.startCall("201");
    await pollNow();
    expect(await presenceOf("201")).toMatchObject({ on_call: true, stale: false });
    await pollNow();
    pbx.controls.endCall(call);
    await pollNow();
    expect(await presenceOf("201")).toMatchObject({ on_call: false });
    expect([await historyCount("101"), await historyCount("201"), await historyCount("102")]).toEqual([2, 3, 1]);
    const rows201 = await rows(db.owner, `select on_call, valid_from, valid_to from app_public.agent_presence_history h
      join app_public.agents a on a.id = h.agent_id where a.extension = '201' order by valid_from`);
    expect(rows201.map((r) => r.on_call)).toEqual([false, true, false]);
    expect(rows201[0].valid_to).toEqual(rows201[1].valid_from);
    expect(rows201[1].valid_to).toEqual(rows201[2].valid_from);
  });

  it("a PBX that fails is written to pbx_api_status; the last status stays, stale (over REST too), and the poll goes on", async () => {
    const before = await presenceOf("101");
    const historyBefore = await historyCount();
    let failures = 0;
    for (const [kind, reason] of [["500", "server_error"], ["403", "forbidden"], ["malformed", "malformed_json"]] as const) {
      pbx.controls.fail({ kind });
      await pollNow();
      failures++;
      const status = await apiStatus();
      expect([kind, status.last_failure_reason, status.consecutive_failures, status.last_failure_at > status.last_success_at]).toEqual([kind, reason, failures, true]);
      expect(await presenceOf("101")).toMatchObject({ profile: "Lunch", logged_in: false, polled_at: before.polled_at, stale: true });
      pbx.controls.clearFailures();
    }
    expect((await apiStatus()).last_error).toMatch(/XapiError/);
    expect(await rows(db.owner, "select reason, failures::int from app_private.pbx_api_failures where kind = 'presence' order by reason")).toEqual([
      { reason: "forbidden", failures: 1 }, { reason: "malformed_json", failures: 1 }, { reason: "server_error", failures: 1 },
    ]);
    expect((await apiStatus()).last_error).not.toContain("s3cret-key-for-tests");
    expect(await statusOverRest("101")).toMatchObject({ extension: "101", profile: "Lunch", logged_in: false, stale: true });
    const health = (await (await fetch(`${server.url}/api/processing/health-check`)).json()) as { status: string; reasons: string[] };
    expect([health.status, health.reasons]).toEqual(["degraded", [expect.stringMatching(/^PBX unreachable \(presence poll\): XapiError: /)]]);
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metrics).toMatch(/threecx_api_failures_total\{kind="presence",reason="forbidden"\} 1/);
    expect(await historyCount()).toBe(historyBefore);
    expect(await numberOf(db.owner, "select count(*) from graphile_worker.jobs where key = 'pbx__presence_poll'")).toBe(1);
  });

  it("recovers when the PBX answers again: fresh status, no failure in a row", async () => {
    pbx.controls.setPresence("101", { profile: "Available", queueStatus: "LoggedIn" });
    await pollNow();
    expect(await presenceOf("101")).toMatchObject({ profile: "Available", logged_in: true, stale: false });
    expect(await apiStatus()).toMatchObject({ consecutive_failures: 0 });
    expect(await statusOverRest("101")).toMatchObject({ profile: "Available", logged_in: true, stale: false });
    expect(((await (await fetch(`${server.url}/api/processing/health-check`)).json()) as { status: string }).status).toBe("ok");
  });

  it("flags presence stale when polling stops (no poll within 3 intervals)", async () => {
    // As if the last poll were 16 seconds ago and none came since (THREECX_PRESENCE_POLL_SECONDS = 5).
    await db.owner.query("update app_public.agent_presence set polled_at = polled_at - interval '16 seconds', since = since - interval '16 seconds'");
    await db.owner.query("update app_private.pbx_presence_state set last_polled_at = last_polled_at - interval '16 seconds'");
    expect(await statusOverRest("201")).toMatchObject({ stale: true });
    await pollNow();
    expect(await statusOverRest("201")).toMatchObject({ stale: false });
  });

  it("stops the chain when the 3CX API is not configured", async () => {
    delete process.env.THREECX_API_URL;
    forgetEnv();
    try {
      await pollNow();
      expect(await numberOf(db.owner, "select count(*) from graphile_worker.jobs where task_identifier = 'pbx__presence_poll'")).toBe(0);
    } finally {
      process.env.THREECX_API_URL = pbx.url;
      forgetEnv();
    }
  });
});

describe("presenceFromXapi", () => {
  it("reads the public sample payloads: a caller dialling out is on a call, a callee still ringing is not", () => {
    const users = [
      { Number: "100", CurrentProfileName: "Available", QueueStatus: "LoggedIn", IsRegistered: true },
      { Number: "101", CurrentProfileName: "Away", QueueStatus: "LoggedOut", IsRegistered: false },
      { Number: "200", CurrentProfileName: " ", QueueStatus: null, IsRegistered: true },
      { Number: "x1", CurrentProfileName: "Available" },
    ];
    // The calls of integrations/3cx/fake/payloads/active-calls.json, and one ringing at 200 from outside.
    const calls = [
      { Caller: "100", Callee: "200", Status: "Connected" },
      { Caller: "101", Callee: "0031612345678", Status: "Ringing" },
      { Caller: "+13135550123", Callee: "Jane Doe (300)", Status: "Ringing" },
    ];
    expect(presenceFromXapi(users, calls)).toEqual([
      { extension: "100", profile: "Available", logged_in: true, registered: true, on_call: true },
      { extension: "101", profile: "Away", logged_in: false, registered: false, on_call: true },
      { extension: "200", profile: null, logged_in: false, registered: true, on_call: true },
    ]);
    expect(presenceFromXapi([{ Number: "300", QueueStatus: "LoggedIn", IsRegistered: true }], calls)[0]).toMatchObject({ on_call: false });
  });
});
