/**
 * A journal's day, end to end, as the people do it through the API: the
 * agent writes a draft with a follow-up and submits it; the supervisor finds
 * it in their queue and reviews it with a score and coaching notes; the
 * agent is told (and may no longer change it); the manager approves it; the
 * agent is told; and when the follow-up comes due, the worker's scheduled
 * job tells the agent, once (not someone who turned that notification off).
 */
import fs from "node:fs";
import { parseCrontab } from "graphile-worker";
import { createTestDatabase, type TestDatabase } from "../helpers/db.js";
import { createCast, type Cast, type Persona } from "../helpers/users.js";
import { signToken, startTestServer, type TestServer } from "../helpers/server.js";
import { restClient, type RestClient } from "../helpers/rest.js";
import { runJobs } from "../helpers/jobs.js";
import { journalsTable, makeCall, makeJournal } from "../helpers/journals.js";
import { one } from "../helpers/query.js";
import { CRONTAB_FILE } from "../../db/paths.js";
import { taskList } from "../../worker/tasks/index.js";

let db: TestDatabase;
let server: TestServer;
let cast: Cast;
let rest: RestClient;
let callAA: string;
let callWX: string;
let tomorrow: string;

const token = (who: Persona) => signToken({ email: cast[who].email });
const send = async (method: "get" | "post" | "put", path: string, who: Persona, body?: unknown) => rest.send(method, path, await token(who), body);
/** What a person's notifications say, as they read them through GraphQL. */
async function notifications(who: Persona) {
  const res = await server.graphql(`{ allNotifications { nodes { notificationType title body data createdAt } } }`, await token(who));
  expect(res.body.errors).toBeUndefined();
  type Note = { notificationType: string; title: string; body: string; data: Record<string, unknown>; createdAt: string };
  return (res.body.data!.allNotifications as { nodes: Note[] }).nodes.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
}
/** The worker's scheduled follow-up job, queued as its crontab line queues it, then run. */
async function followUpJob() {
  await db.owner.query("select app_private.add_job('journals__follow_ups_due')");
  await runJobs(db);
}

beforeAll(async () => {
  db = await createTestDatabase();
  cast = await createCast(db.owner);
  callAA = await makeCall(db.owner, "flow-aa", "Ann Arbor", cast.agentAA.email);
  callWX = await makeCall(db.owner, "flow-wx", "Wixom", cast.agentWX.email);
  tomorrow = (await one<{ d: string }>(db.owner, "select (app_hidden.business_day(now()) + 1)::text as d")).d;
  server = await startTestServer(db.authenticatorUrl);
  rest = await restClient(server);
});
afterAll(async () => {
  await server.close();
  await db.drop();
});

it("goes from the agent's draft to the agent's notifications of review, approval and a follow-up coming due", async () => {
  // The agent writes a draft with a follow-up, and submits it.
  const draft = await send("post", "/api/call-journals", "agentAA", {
    call_record_id: callAA, call_summary: "Refill request, pharmacy to confirm", detailed_notes: "Tretinoin 0.05%, pharmacy on Main St",
    follow_up_required: true, follow_up_type: "callback", follow_up_date: tomorrow,
  });
  expect([draft.status, draft.body.journal_status]).toEqual([201, "draft"]);
  const id = draft.body.id as string;
  const submitted = await send("put", `/api/call-journals/${id}`, "agentAA", { journal_status: "submitted" });
  expect([submitted.status, submitted.body.journal_status]).toEqual([200, "submitted"]);

  // The supervisor of the location finds it waiting; the other location's does not.
  const queue = await send("get", "/api/journals/pending-review", "supervisorAA");
  expect(queue.body.data.map((j: { id: string }) => j.id)).toEqual([id]);
  expect((await send("get", "/api/journals/pending-review", "supervisorWX")).body.data).toEqual([]);

  // Reviewed with a score and coaching notes: the agent is told, and the journal leaves the queue.
  const review = await send("put", `/api/journals/${id}/review`, "supervisorAA", { review_score: 88, coaching_notes: "Read the pharmacy's number back to the caller" });
  expect([review.status, review.body.journal_status, review.body.review_score, review.body.reviewed_by]).toEqual([200, "reviewed", 88, cast.supervisorAA.email]);
  expect(await notifications("agentAA")).toEqual([
    expect.objectContaining({ notificationType: "journal_reviewed", title: "Your call journal was reviewed", body: expect.stringContaining("88 of 100"),
      data: expect.objectContaining({ journal_id: id, review_score: 88, journal_status: "reviewed" }) }),
  ]);
  expect((await send("get", "/api/journals/pending-review", "supervisorAA")).body.data).toEqual([]);

  // Its author may no longer change it.
  const before = await journalsTable(db.owner);
  const edit = await send("put", `/api/call-journals/${id}`, "agentAA", { call_summary: "Refill request (edited)" });
  expect([edit.status, edit.body.error.code]).toEqual([409, "CC201"]);
  expect(await journalsTable(db.owner)).toEqual(before);

  // The manager approves it: the agent is told; nobody else is.
  const approval = await send("put", `/api/journals/${id}/review`, "manager", { action: "approve" });
  expect([approval.status, approval.body.journal_status]).toEqual([200, "approved"]);
  expect((await notifications("agentAA")).map((n) => [n.notificationType, n.body])).toEqual([
    ["journal_reviewed", expect.stringMatching(/^sup\.aa reviewed your journal of a call on \d{4}-\d{2}-\d{2}: 88 of 100\.$/)],
    ["journal_approved", expect.stringMatching(/^manager approved your journal of a call on \d{4}-\d{2}-\d{2}\.$/)],
  ]);
  expect(await notifications("supervisorAA")).toEqual([]);

  // The follow-up is due tomorrow: the worker's job tells the agent once, however often it runs.
  await followUpJob();
  await followUpJob();
  const told = (await notifications("agentAA")).filter((n) => n.notificationType === "journal_follow_up_due");
  expect(told).toEqual([
    expect.objectContaining({ title: "A follow-up is coming due", body: expect.stringMatching(/^The callback follow-up from your journal of a call on \d{4}-\d{2}-\d{2} is due tomorrow\.$/),
      data: { journal_id: id, call_record_id: callAA, follow_up_type: "callback", follow_up_date: tomorrow } }),
  ]);
  // No patient data in any of it.
  expect(JSON.stringify(await notifications("agentAA"))).not.toMatch(/Tretinoin|pharmacy|Refill/i);
});

it("tells nobody who turned the notification off, and nothing of follow-ups far off", async () => {
  await db.owner.query(`insert into app_public.notification_preferences (user_id, notification_type, channel, enabled) values ($1, 'journal_follow_up_due', 'in_app', false)`, [cast.agentWX.userId]);
  await makeJournal(db.owner, { call: callWX, agent: cast.agentWX.email, followUp: { type: "billing", date: tomorrow } });
  await makeJournal(db.owner, { call: callAA, agent: cast.agentAA.email, summary: "Far off", followUp: { type: "appointment", date: "2099-01-01" } });
  await followUpJob();
  expect(await notifications("agentWX")).toEqual([]);
  expect((await notifications("agentAA")).filter((n) => n.notificationType === "journal_follow_up_due")).toHaveLength(1);
});

it("is scheduled: the crontab runs the follow-up job, which the worker knows", () => {
  const items = parseCrontab(fs.readFileSync(CRONTAB_FILE, "utf8"));
  const line = items.find((i) => i.task === "journals__follow_ups_due");
  expect(line).toEqual(expect.objectContaining({ identifier: "journals__follow_ups_due" }));
  expect(Object.keys(taskList)).toContain("journals__follow_ups_due");
});
