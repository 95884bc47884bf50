/**
 * POST /api/call-processing/analyze and GET /api/processing/jobs/{id}: a
 * manager queues a re-classification of calls (status and outcome from the
 * legs, call type from the rules, first-call resolution), gets 202 and the
 * job, and reads its state as the worker runs it; the same through GraphQL's
 * analyzeCalls and processingJobByRowId. Refused roles and bad input change
 * nothing and queue nothing; a job that keeps failing ends failed, with its
 * error.
 */
import { runJobs } from "../helpers/jobs.js";
import { createTestDatabase, type TestDatabase } from "../helpers/db.js";
import { createCast, type Cast } from "../helpers/users.js";
import { signToken, startTestServer, type TestServer } from "../helpers/server.js";
import { talk } from "../helpers/calls.js";
import { restClient, type RestClient } from "../helpers/rest.js";
import { numberOf } from "../helpers/query.js";

let db: TestDatabase;
let server: TestServer;
let cast: Cast;
let rest: RestClient;
const token = (who: keyof Cast) => signToken({ email: cast[who].email });
const answered = (id: string, at: string) => {
  const after = (ms: number) => new Date(Date.parse(at) + ms).toISOString();
  return talk(id, "101", at, after(5_000), after(65_000), { caller: "+17345550101", called: "800", queue: "800" });
};
const RANGE = { from: "2026-03-10T00:00:00Z", to: "2026-03-11T00:00:00Z" };

beforeAll(async () => {
  db = await createTestDatabase();
  cast = await createCast(db.owner);
  await db.owner.query(`insert into app_public.queues (name, extension, location_name) values ('AA Front', '800', 'Ann Arbor')`);
  await db.owner.query(`insert into app_public.agents (extension, user_email, location_name) values ('101', $1, 'Ann Arbor')`, [cast.agentAA.email]);
  await db.owner.query("select app_private.ingest_calls($1::jsonb)", [JSON.stringify([answered("P1", "2026-03-10T14:00:00Z"), answered("P2", "2026-03-10T15:00:00Z")])]);
  await runJobs(db);
  server = await startTestServer(db.authenticatorUrl);
  rest = await restClient(server);
});
afterAll(async () => {
  await server.close();
  await db.drop();
});

const jobsQueued = () => numberOf(db.owner, "select count(*) from graphile_worker.jobs where task_identifier = 'calls__analyze'");
const processingJobs = () => numberOf(db.owner, "select count(*) from app_public.processing_jobs");
const callTypes = async () => (await db.owner.query("select call_id, call_type from app_public.call_center_records order by call_id")).rows;

describe("POST /api/call-processing/analyze", () => {
  it("queues the analysis (202 and the job); the worker re-runs the classification; the job tells how it went", async () => {
    // A rule written after the calls came in: only a re-run applies it to them.
    await db.owner.query(`insert into app_public.call_type_rules (queue_name, call_type) values ('AA Front', 'appointment')`);
    expect((await callTypes()).map((c) => c.call_type)).toEqual([null, null]);

    const res = await rest.send("post", "/api/call-processing/analyze", await token("manager"), RANGE);
    expect(res.status).toBe(202);
    expect(res.body).toEqual(expect.objectContaining({ id: expect.any(String), kind: "call_analysis", status: "queued", attempts: 0, result: null }));
    expect(res.body.parameters).toEqual({ from_time: expect.stringMatching(/^2026-03-10T00:00:00/), to_time: expect.stringMatching(/^2026-03-11T00:00:00/) });

    await runJobs(db);
    const done = await rest.get(`/api/processing/jobs/${res.body.id}`, await token("manager"));
    expect(done.status).toBe(200);
    expect(done.body).toEqual(expect.objectContaining({ id: res.body.id, status: "succeeded", attempts: 1, result: { calls: 2, fcr_changed: expect.any(Number) } }));
    expect(done.body.finished_at).toEqual(expect.any(String));
    expect((await callTypes()).map((c) => c.call_type)).toEqual(["appointment", "appointment"]);
  });

  it("is audited: who asked for it", async () => {
    const { rows } = await db.owner.query(
      `select actor_email, action from app_public.audit_logs where table_name = 'app_public.processing_jobs' and action = 'insert' order by occurred_at`,
    );
    expect(rows[0]).toEqual({ actor_email: cast.manager.email, action: "insert" });
  });

  it("through GraphQL: analyzeCalls for a list of calls, read back with processingJobByRowId", async () => {
    const ids = (await db.owner.query("select id from app_public.call_center_records where call_id = 'P1'")).rows.map((r) => r.id as string);
    const manager = await token("manager");
    const { body } = await server.graphql(`mutation ($ids: [UUID]) { analyzeCalls(input: { callIds: $ids }) { result { rowId status } } }`, manager, { ids });
    const job = (body.data as { analyzeCalls: { result: { rowId: string; status: string } } }).analyzeCalls.result;
    expect(job.status).toBe("queued");
    await runJobs(db);
    const read = await server.graphql(`query ($id: UUID!) { processingJobByRowId(rowId: $id) { status result } }`, manager, { id: job.rowId });
    expect(read.body.data).toEqual({ processingJobByRowId: { status: "succeeded", result: { calls: 1, fcr_changed: expect.any(Number) } } });
  });

  it.each(["agentAA", "supervisorAA", "staff"] as const)("refuses %s (configureMetrics) with 403, and queues nothing", async (who) => {
    const [before, queued] = [await processingJobs(), await jobsQueued()];
    const res = await rest.send("post", "/api/call-processing/analyze", await token(who), RANGE);
    expect([res.status, res.body.error?.code]).toEqual([403, "FORBIDDEN"]);
    const { body } = await server.graphql(`mutation { analyzeCalls(input: { fromTime: "${RANGE.from}", toTime: "${RANGE.to}" }) { result { rowId } } }`, await token(who));
    expect(body.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    expect([await processingJobs(), await jobsQueued()]).toEqual([before, queued]);
  });

  it("refuses without a token (401)", async () => {
    expect((await rest.send("post", "/api/call-processing/analyze", undefined, RANGE)).status).toBe(401);
  });

  it.each([
    ["no range and no calls", {}, "from", "CC711"],
    ["a range over 93 days", { from: "2026-01-01T00:00:00Z", to: "2026-06-01T00:00:00Z" }, "to", "CC713"],
    ["an end before the start", { from: RANGE.to, to: RANGE.from }, "to", "CC712"],
    ["both a range and calls", { ...RANGE, call_ids: ["00000000-0000-4000-8000-000000000000"] }, "call_ids", "CC717"],
    ["a call that does not exist", { call_ids: ["00000000-0000-4000-8000-000000000000"] }, "call_ids", "CC717"],
    ["an id that is not one", { call_ids: ["42"] }, "call_ids.0", "INVALID_INPUT"],
    ["a time without its offset", { from: "2026-03-10T00:00:00", to: RANGE.to }, "from", "INVALID_INPUT"],
    ["a field that does not exist", { ...RANGE, everything: true }, "everything", "INVALID_INPUT"],
  ])("answers %s with 400 naming the field, and queues nothing", async (_what, body, field, code) => {
    const [before, queued] = [await processingJobs(), await jobsQueued()];
    const res = await rest.send("post", "/api/call-processing/analyze", await token("manager"), body);
    expect([res.status, res.body.error?.code, res.body.error?.field]).toEqual([400, code, field]);
    expect([await processingJobs(), await jobsQueued()]).toEqual([before, queued]);
  });
});

describe("GET /api/processing/jobs/{id}", () => {
  let id: string;
  beforeAll(async () => {
    id = (await rest.send("post", "/api/call-processing/analyze", await token("manager"), RANGE)).body.id;
  });

  it("shows the job to the person who asked and to configureMetrics holders, and is a 404 for anyone else", async () => {
    expect((await rest.get(`/api/processing/jobs/${id}`, await token("manager"))).body.status).toBe("queued");
    expect((await rest.get(`/api/processing/jobs/${id}`, await token("superadmin"))).status).toBe(200);
    for (const who of ["supervisorAA", "agentAA"] as const) {
      const res = await rest.get(`/api/processing/jobs/${id}`, await token(who));
      expect([who, res.status, res.body.error?.code]).toEqual([who, 404, "NOT_FOUND"]);
    }
  });

  it("answers 404 for no such job, 400 for an id that is not one, 401 without a token", async () => {
    expect((await rest.get("/api/processing/jobs/00000000-0000-4000-8000-000000000000", await token("manager"))).status).toBe(404);
    const bad = await rest.get("/api/processing/jobs/42", await token("manager"));
    expect([bad.status, bad.body.error?.field]).toEqual([400, "id"]);
    expect((await rest.get(`/api/processing/jobs/${id}`)).status).toBe(401);
  });

  it("a job that fails every attempt is queued again with its error, then failed for good after the third", async () => {
    await runJobs(db); // the job above succeeds; only the broken one below is left
    const broken = (
      await db.owner.query(
        `insert into app_public.processing_jobs (kind, parameters, requested_by) values ('call_analysis', '{"from_time": "not a time", "to_time": "2026-03-11"}', $1) returning id`,
        [cast.manager.userId],
      )
    ).rows[0].id as string;
    const state = async () => (await rest.get(`/api/processing/jobs/${broken}`, await token("manager"))).body;
    for (const [attempt, status] of [[1, "queued"], [2, "queued"], [3, "failed"]] as const) {
      await db.owner.query(
        "update graphile_worker._private_jobs j set run_at = now() from graphile_worker._private_tasks t where t.id = j.task_id and t.identifier = 'calls__analyze'",
      );
      await runJobs(db);
      const job = await state();
      expect([attempt, job.status, job.last_error]).toEqual([attempt, status, expect.stringMatching(/not a time/)]);
    }
    expect((await state()).finished_at).toEqual(expect.any(String));
  });
});
