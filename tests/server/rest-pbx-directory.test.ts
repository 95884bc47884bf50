/**
 * The 3CX directory through the API: POST /api/processing/sync-3cx (and
 * syncPbxDirectory) queues a sync, 202 with the job, read back at
 * GET /api/processing/jobs/{id}; agents 3CX knows who are not users are
 * listed for a manager (GET /api/3cx/agents-to-invite, pbxAgentsToInvite)
 * and invited (POST /api/3cx/agents-to-invite, inviteAgent): a user with the
 * agent role at the agent's location, audited. Refused roles and bad input
 * change nothing. The health check and /metrics tell when 3CX fails.
 */
import { forgetEnv } from "../../lib/env.js";
import { setXapiClientOptions } from "../../worker/threecx.js";
import { startFake3cx, type Fake3cx } from "../../integrations/3cx/fake/index.js";
import { runJobsUntil, noJobsDue } from "../helpers/jobs.js";
import { createTestDatabase, type TestDatabase } from "../helpers/db.js";
import { createCast, type Cast } from "../helpers/users.js";
import { signToken, startTestServer, type TestServer } from "../helpers/server.js";
import { restClient, type RestClient } from "../helpers/rest.js";
import { numberOf } from "../helpers/query.js";

let db: TestDatabase;
let server: TestServer;
let cast: Cast;
let rest: RestClient;
let pbx: Fake3cx;
const SECRET = "rest-directory-secret";
const token = (who: keyof Cast) => signToken({ email: cast[who].email });
const THREECX_ENV = () => ({ THREECX_API_URL: pbx.url, THREECX_API_CLIENT_ID: "cc-ops", THREECX_API_KEY: SECRET, THREECX_API_RETRIES: "0", THREECX_API_TIMEOUT_MS: "1000" });

beforeAll(async () => {
  db = await createTestDatabase();
  cast = await createCast(db.owner);
  await db.owner.query(`insert into app_public.queues (name, extension, location_name) values ('Wixom front desk', '812', 'Wixom')`);
  await db.owner.query(`insert into app_private.job_heartbeat (id, last_run_at) values (true, now()) on conflict (id) do update set last_run_at = now()`);
  pbx = await startFake3cx({
    clientId: "cc-ops",
    clientSecret: SECRET,
    users: [
      { Id: 1, Number: "201", FirstName: "Emery", LastName: "Ellis", DisplayName: "Emery Ellis", EmailAddress: "emery.ellis@gangerdermatology.com", IsRegistered: true, CurrentProfileName: "Available", QueueStatus: "LoggedIn" },
      { Id: 2, Number: "202", FirstName: "Finley", LastName: "Foster", DisplayName: "Finley Foster", EmailAddress: null, IsRegistered: true, CurrentProfileName: "Available", QueueStatus: "LoggedIn" },
      { Id: 3, Number: "203", FirstName: "Gray", LastName: "Garcia", DisplayName: "Gray Garcia", EmailAddress: cast.agentWX.email, IsRegistered: true, CurrentProfileName: "Away", QueueStatus: "LoggedOut" },
    ],
    queues: [{ Id: 9, Number: "812", Name: "Wixom front desk", Agents: [] }],
    receptionists: [],
    ringGroups: [],
  });
  pbx.controls.setQueueAgents("812", ["201", "202", "203"]);
  Object.assign(process.env, THREECX_ENV());
  forgetEnv();
  setXapiClientOptions({ minBackoffMs: 10, maxBackoffMs: 20 });
  server = await startTestServer(db.authenticatorUrl, { env: THREECX_ENV() });
  rest = await restClient(server);
});
afterAll(async () => {
  for (const k of Object.keys(THREECX_ENV())) delete process.env[k];
  forgetEnv();
  await server.close();
  await pbx.close();
  await db.drop();
});

const processingJobs = () => numberOf(db.owner, "select count(*) from app_public.processing_jobs");
const users = () => numberOf(db.owner, "select count(*) from app_public.users");
const runAll = () => runJobsUntil(db, noJobsDue(db), { what: "the sync" });

describe("POST /api/processing/sync-3cx", () => {
  it("queues a sync (202 and the job); the worker reads 3CX; the job tells what changed", async () => {
    const res = await rest.send("post", "/api/processing/sync-3cx", await token("manager"), {});
    expect(res.status).toBe(202);
    expect(res.body).toEqual(expect.objectContaining({ id: expect.any(String), kind: "pbx_directory_sync", status: "queued", attempts: 0 }));
    // Asked again while it waits: the same job, not a second one.
    const again = await rest.send("post", "/api/processing/sync-3cx", await token("superadmin"));
    expect(again.status).toBe(202);
    expect(again.body.id).toBe(res.body.id);

    await runAll();
    const done = await rest.get(`/api/processing/jobs/${res.body.id}`, await token("manager"));
    expect(done.status).toBe(200);
    expect(done.body).toEqual(expect.objectContaining({ status: "succeeded", attempts: 1 }));
    expect(done.body.result).toMatchObject({ users: 3, agents_added: 3, memberships_added: 3 });
    const agents = (await db.owner.query("select extension, user_email, location_name from app_public.agents order by extension")).rows;
    expect(agents).toEqual([
      { extension: "201", user_email: null, location_name: "Wixom" },
      { extension: "202", user_email: null, location_name: "Wixom" },
      { extension: "203", user_email: cast.agentWX.email, location_name: "Wixom" },
    ]);
  });

  it("is audited: who asked", async () => {
    const { rows } = await db.owner.query(
      `select l.actor_email from app_public.audit_logs l join app_public.processing_jobs j on j.id::text = l.record_id
        where l.table_name = 'app_public.processing_jobs' and l.action = 'insert' and j.kind = 'pbx_directory_sync' order by l.occurred_at limit 1`,
    );
    expect(rows).toEqual([{ actor_email: cast.manager.email }]);
  });

  it("through GraphQL: syncPbxDirectory, read back with processingJobByRowId", async () => {
    const manager = await token("manager");
    const { body } = await server.graphql(`mutation { syncPbxDirectory(input: {}) { result { rowId kind status } } }`, manager);
    const job = (body.data as { syncPbxDirectory: { result: { rowId: string; kind: string; status: string } } }).syncPbxDirectory.result;
    expect(job).toMatchObject({ kind: "pbx_directory_sync", status: "queued" });
    await runAll();
    const read = await server.graphql(`query ($id: UUID!) { processingJobByRowId(rowId: $id) { status result } }`, manager, { id: job.rowId });
    expect(read.body.data).toEqual({ processingJobByRowId: { status: "succeeded", result: expect.objectContaining({ agents_added: 0, agents_updated: 0 }) } });
  });

  it.each(["staff", "agentAA", "supervisorAA"] as const)("is refused for %s (403), and nothing is queued", async (who) => {
    const before = await processingJobs();
    const res = await rest.send("post", "/api/processing/sync-3cx", await token(who), {});
    expect(res.status).toBe(403);
    const gql = await server.graphql(`mutation { syncPbxDirectory(input: {}) { result { rowId } } }`, await token(who));
    expect(gql.body.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    expect(await processingJobs()).toBe(before);
  });

  it("refuses a body it does not take (400), queueing nothing", async () => {
    const before = await processingJobs();
    const res = await rest.send("post", "/api/processing/sync-3cx", await token("manager"), { full: true });
    expect(res.status).toBe(400);
    expect(await processingJobs()).toBe(before);
  });

  it("when 3CX refuses, the job fails with the reason, health is degraded and the metric counts it; then it recovers", async () => {
    pbx.controls.fail({ kind: "403" });
    const res = await rest.send("post", "/api/processing/sync-3cx", await token("manager"), {});
    await runAll();
    const failed = await rest.get(`/api/processing/jobs/${res.body.id}`, await token("manager"));
    expect(failed.body).toMatchObject({ status: "failed" });
    expect(failed.body.last_error).toMatch(/IP address is not allowed/);

    const health = await fetch(`${server.url}/api/processing/health-check`);
    const h = (await health.json()) as { status: string; reasons: string[] };
    expect(health.status).toBe(200);
    expect(h.status).toBe("degraded");
    expect(h.reasons).toEqual([expect.stringMatching(/^PBX unreachable: 3CX answered 403/)]);
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metrics).toMatch(/threecx_api_failures_total\{kind="directory",reason="forbidden"\} 1/);
    expect(metrics).toMatch(/threecx_api_consecutive_failures\{kind="directory"\} 1/);

    pbx.controls.clearFailures();
    await rest.send("post", "/api/processing/sync-3cx", await token("manager"), {});
    await runAll();
    const ok = (await (await fetch(`${server.url}/api/processing/health-check`)).json()) as { status: string };
    expect(ok.status).toBe("ok");
    expect(await (await fetch(`${server.url}/metrics`)).text()).toMatch(/threecx_api_consecutive_failures\{kind="directory"\} 0/);
  });
});

describe("agents to invite", () => {
  it("lists the active agents who are not users, for managers", async () => {
    const res = await rest.get("/api/3cx/agents-to-invite", await token("manager"));
    expect(res.status).toBe(200);
    expect((res.body.data as { extension: string; pbx_email: string | null; location: string }[]).map((a) => [a.extension, a.pbx_email, a.location])).toEqual([
      ["201", "emery.ellis@gangerdermatology.com", "Wixom"],
      ["202", null, "Wixom"],
    ]);
    const gql = await server.graphql(`{ pbxAgentsToInvite { nodes { extension displayName } } }`, await token("superadmin"));
    expect(gql.body.data).toEqual({ pbxAgentsToInvite: { nodes: [{ extension: "201", displayName: "Emery Ellis" }, { extension: "202", displayName: "Finley Foster" }] } });
  });

  it.each(["agentWX", "supervisorWX"] as const)("is refused for %s (403)", async (who) => {
    expect((await rest.get("/api/3cx/agents-to-invite", await token(who))).status).toBe(403);
  });

  it("invites one: a user with the agent role at the agent's location, linked, audited", async () => {
    const res = await rest.send("post", "/api/3cx/agents-to-invite", await token("manager"), { agent: "201" });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ extension: "201", user_email: "emery.ellis@gangerdermatology.com", location: "Wixom" });
    const { rows } = await db.owner.query(
      `select u.full_name, r.role, array(select s.location_name from app_public.location_staff s where s.user_id = u.id and s.is_active) as locations
         from app_public.users u join app_public.user_roles r on r.user_id = u.id where u.email = 'emery.ellis@gangerdermatology.com'`,
    );
    expect(rows).toEqual([{ full_name: "Emery Ellis", role: "call_center_agent", locations: ["Wixom"] }]);
    const audit = await numberOf(
      db.owner,
      `select count(*) from app_public.audit_logs l join app_public.users u on u.id::text = l.record_id
        where l.actor_email = $1 and l.table_name = 'app_public.users' and l.action = 'insert' and u.email = 'emery.ellis@gangerdermatology.com'`,
      [cast.manager.email],
    );
    expect(audit).toBe(1);
    // No longer listed.
    expect(((await rest.get("/api/3cx/agents-to-invite", await token("manager"))).body.data as unknown[]).length).toBe(1);
  });

  it("through GraphQL: inviteAgent with an e-mail when 3CX holds none", async () => {
    const { body } = await server.graphql(
      `mutation { inviteAgent(input: { agent: "202", email: "Finley.Foster@gangerdermatology.com" }) { result { extension userEmail } } }`,
      await token("superadmin"),
    );
    expect(body.data).toEqual({ inviteAgent: { result: { extension: "202", userEmail: "finley.foster@gangerdermatology.com" } } });
  });

  it("refuses non-managers (403) and bad input, changing nothing", async () => {
    await db.owner.query(`insert into app_public.agents (extension, display_name, location_name, pbx_email) values ('204', 'Harper Hayes', 'Wixom', null), ('205', 'Indy Irwin', null, 'indy@gangerdermatology.com')`);
    await db.owner.query(`update app_public.agents set is_active = false, pbx_left_at = now() where extension = '205'`);
    const before = await users();
    for (const who of ["agentWX", "supervisorWX", "staff"] as const) {
      expect((await rest.send("post", "/api/3cx/agents-to-invite", await token(who), { agent: "204", email: "harper@gangerdermatology.com" })).status).toBe(403);
    }
    const manager = await token("manager");
    const cases: [unknown, number, string | undefined][] = [
      [{}, 400, "agent"],
      [{ agent: "204", email: "not-an-email" }, 400, "email"],
      [{ agent: "204", extra: 1 }, 400, undefined],
      [{ agent: "204" }, 400, "email"], // CC946: 3CX holds no e-mail
      [{ agent: "999" }, 404, "agent"], // CC943
      [{ agent: "203" }, 409, "agent"], // CC944: already a user
      [{ agent: "205" }, 409, "agent"], // CC945: gone from 3CX
    ];
    for (const [body, status, field] of cases) {
      const res = await rest.send("post", "/api/3cx/agents-to-invite", manager, body);
      expect([JSON.stringify(body), res.status]).toEqual([JSON.stringify(body), status]);
      if (field) expect((res.body.error as { field?: string }).field).toBe(field);
    }
    const gql = await server.graphql(`mutation { inviteAgent(input: { agent: "203" }) { result { extension } } }`, manager);
    expect(gql.body.errors?.[0]?.extensions?.code).toBe("CC944");
    expect(await users()).toBe(before);
    expect(await numberOf(db.owner, "select count(*) from app_public.agents where extension in ('204', '205') and user_email is not null")).toBe(0);
  });
});
