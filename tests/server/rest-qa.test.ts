/**
 * The PRD's QA paths (POST /api/qa/review, GET /api/qa/reviews/{agent_email},
 * PUT /api/qa/reviews/{id}/discuss, GET /api/qa/coaching-opportunities),
 * each through REST and GraphQL, a role refused and wrong input answered
 * with the right status and nothing changed; the supervisor's QA day as one
 * scenario; the recording's location for accessRecordings only. The server
 * runs with QA_REVIEW_QUOTA_PER_AGENT=2, which must reach SQL.
 *
 * Ann Arbor: agentAA (ext 101) answered R1–R10 on 10 March 2026 (R1 has a
 * recording; R7–R10 are left for the scenario's sample); Wixom: agentWX (201) answered W1.
 */
import { createTestDatabase, type TestDatabase } from "../helpers/db.js";
import { CAST, createCast, type Cast } from "../helpers/users.js";
import { signToken, startTestServer, type TestServer } from "../helpers/server.js";
import { talk } from "../helpers/calls.js";
import { restClient, type RestClient } from "../helpers/rest.js";
import { one, rows } from "../helpers/query.js";

let db: TestDatabase;
let server: TestServer;
let cast: Cast;
let rest: RestClient;
const callId: Record<string, string> = {};
const RECORDING = "https://recordings.3cx.example/2026/03/10/R1.wav";
const NO_SUCH_ID = "00000000-0000-4000-8000-000000000000";
type Who = keyof Cast;
/** The cast's emails, for tables of cases (written before createCast runs). */
const CAST_EMAIL = Object.fromEntries(Object.entries(CAST).map(([k, v]) => [k, v.email])) as Record<Who, string>;

const token = (who: Who) => signToken({ email: cast[who].email });
const send = async (method: "get" | "post" | "put", path: string, who?: Who, body?: unknown) => rest.send(method, path, who ? await token(who) : undefined, body);
const gql = async (query: string, who: Who, variables?: Record<string, unknown>) => (await server.graphql(query, await token(who), variables)).body;
/** Every review, whole, as stored: to show that a refused request changed nothing. */
const allReviews = () => rows(db.owner, "select to_jsonb(q) as r from app_public.quality_assurance_reviews q order by id");
const reviewRow = (id: string) => one(db.owner, "select * from app_public.quality_assurance_reviews where id = $1", [id]);

beforeAll(async () => {
  db = await createTestDatabase();
  cast = await createCast(db.owner);
  await db.owner.query(`insert into app_public.queues (name, extension, location_name) values ('AA Front', '800', 'Ann Arbor'), ('WX Front', '810', 'Wixom')`);
  await db.owner.query(`insert into app_public.agents (extension, user_email, location_name) values ('101', $1, 'Ann Arbor'), ('201', $2, 'Wixom')`,
    [cast.agentAA.email, cast.agentWX.email]);
  const at = (i: number, ms = 0) => new Date(Date.parse("2026-03-10T14:00:00Z") + i * 600_000 + ms).toISOString();
  await db.owner.query("select app_private.ingest_calls($1::jsonb)", [JSON.stringify([
    ...Array.from({ length: 10 }, (_, i) => talk(`R${i + 1}`, "101", at(i), at(i, 5_000), at(i, 180_000))),
    talk("W1", "201", at(0), at(0, 5_000), at(0, 90_000), { queue: "810", called: "810" }),
  ])]);
  await db.owner.query("update app_public.call_center_records set recording_url = $1 where call_id = 'R1'", [RECORDING]);
  for (const r of await rows(db.owner, "select call_id, id from app_public.call_center_records")) callId[r.call_id] = r.id;
  server = await startTestServer(db.authenticatorUrl, { env: { QA_REVIEW_QUOTA_PER_AGENT: "2" } });
  rest = await restClient(server);
});
afterAll(async () => {
  await server.close();
  await db.drop();
});

const CREATE = `mutation ($input: CreateQaReviewInput!) { createQaReview(input: $input) { result { rowId agentEmail reviewerEmail reviewStatus percentageScore } } }`;
const COMPLETE = `mutation ($id: UUID!) { completeQaReview(input: { reviewId: $id }) { result { rowId reviewStatus completedAt } } }`;
const SCORE = `mutation ($id: UUID!, $g: Int, $a: Int, $p: Int, $k: Int) {
  scoreQaReview(input: { reviewId: $id, greetingProfessionalism: $g, activeListening: $a, problemResolution: $p, productKnowledge: $k }) {
    result { rowId greetingProfessionalism activeListening problemResolution productKnowledge totalScore percentageScore }
  }
}`;
const code = (body: { errors?: Array<{ extensions?: { code?: string } }> }) => body.errors?.[0]?.extensions?.code;

/** Creates a review through GraphQL as a person, optionally completed; its id. */
async function reviewOf(who: Who, call: string, input: Record<string, unknown> = {}, complete = false): Promise<string> {
  const created = await gql(CREATE, who, { input: { callRecordId: callId[call], reviewType: "random", greetingProfessionalism: 4, ...input } });
  const id = (created.data as { createQaReview: { result: { rowId: string } } }).createQaReview.result.rowId;
  if (complete) expect(code(await gql(COMPLETE, who, { id }))).toBeUndefined();
  return id;
}

describe("POST /api/qa/review", () => {
  it("starts a draft review of the call's agent as the supervisor (201), scores given, null for not applicable, no recording location", async () => {
    const res = await send("post", "/api/qa/review", "supervisorAA", {
      call_record_id: callId.R1, review_type: "random", greeting_professionalism: 5, active_listening: 4, call_control: null,
      strengths_observed: "Warm greeting, confirmed the date of birth.", action_items_required: ["Summarise before closing"],
    });
    expect(res.status).toBe(201);
    expect(res.body).toEqual(expect.objectContaining({
      id: expect.any(String), call_record_id: callId.R1, agent_email: cast.agentAA.email, reviewer_email: cast.supervisorAA.email,
      review_type: "random", review_status: "draft", greeting_professionalism: 5, active_listening: 4, call_control: null,
      total_score: 9, percentage_score: "90.00", recording_available: true, agent_acknowledgment: false, completed_at: null,
      action_items_required: ["Summarise before closing"],
    }));
    expect(JSON.stringify(res.body)).not.toContain("recordings.3cx");
    expect(res.body).not.toHaveProperty("recording_url");
    expect(await reviewRow(res.body.id)).toEqual(expect.objectContaining({ agent_email: cast.agentAA.email, review_status: "draft" }));
  });

  it("does the same through GraphQL's createQaReview", async () => {
    const body = await gql(CREATE, "manager", { input: { callRecordId: callId.R2, reviewType: "targeted", empathyPatience: 3 } });
    expect(body.data).toEqual({ createQaReview: { result: {
      rowId: expect.any(String), agentEmail: cast.agentAA.email, reviewerEmail: cast.manager.email, reviewStatus: "draft", percentageScore: "60.00",
    } } });
  });

  it("refuses people without conductQAReviews (403), through REST and GraphQL, and changes nothing", async () => {
    const before = await allReviews();
    for (const who of ["agentAA", "staff"] as const) {
      const res = await send("post", "/api/qa/review", who, { call_record_id: callId.R3, review_type: "random" });
      expect([res.status, res.body.error.code]).toEqual([403, "FORBIDDEN"]);
    }
    expect(code(await gql(CREATE, "agentAA", { input: { callRecordId: callId.R3, reviewType: "random" } }))).toBe("FORBIDDEN");
    expect((await send("post", "/api/qa/review", undefined, { call_record_id: callId.R3, review_type: "random" })).status).toBe(401);
    expect(await allReviews()).toEqual(before);
  });

  it.each<[string, Who, Record<string, unknown>, number, string, string | undefined]>([
    ["a score out of range", "supervisorAA", { greeting_professionalism: 6 }, 400, "INVALID_INPUT", "greeting_professionalism"],
    ["a score of the wrong type", "supervisorAA", { active_listening: "five" }, 400, "INVALID_INPUT", "active_listening"],
    ["a missing review type", "supervisorAA", { review_type: undefined }, 400, "INVALID_INPUT", "review_type"],
    ["a review type that is not one", "supervisorAA", { review_type: "surprise" }, 400, "INVALID_INPUT", "review_type"],
    ["a parameter that does not exist", "supervisorAA", { colour: "red" }, 400, "INVALID_INPUT", "colour"],
    ["a self-review", "supervisorAA", { call_record_id: undefined, agent_email: CAST_EMAIL.supervisorAA }, 400, "CC302", "agent_email"],
    ["an agent who was not on the call", "manager", { agent_email: CAST_EMAIL.agentWX }, 400, "CC303", "agent_email"],
    ["no agent and no call", "supervisorAA", { call_record_id: undefined }, 400, "CC303", "agent_email"],
    ["a call that does not exist", "supervisorAA", { call_record_id: NO_SUCH_ID }, 404, "NOT_FOUND", "call_record_id"],
    ["another location's call", "supervisorWX", {}, 404, "NOT_FOUND", "call_record_id"],
    ["another location's agent", "supervisorAA", { call_record_id: undefined, agent_email: CAST_EMAIL.agentWX }, 404, "NOT_FOUND", "agent_email"],
  ])("answers %s with %i (%s) naming the field, and changes nothing", async (_what, who, change, status, errorCode, field) => {
    const before = await allReviews();
    const body = JSON.parse(JSON.stringify({ call_record_id: callId.R3, review_type: "random", greeting_professionalism: 4, ...change }));
    const res = await send("post", "/api/qa/review", who, body);
    expect([res.status, res.body.error?.code, res.body.error?.field]).toEqual([status, errorCode, field]);
    expect(await allReviews()).toEqual(before);
  });

  it("answers wrong input through GraphQL with the constraint or rule that refused it, and changes nothing", async () => {
    const before = await allReviews();
    const outOfRange = await gql(CREATE, "supervisorAA", { input: { callRecordId: callId.R3, reviewType: "random", greetingProfessionalism: 6 } });
    expect([code(outOfRange), outOfRange.errors?.[0]?.message]).toEqual(["CHECK_VIOLATION", "greetingProfessionalism must be between 1 and 5"]);
    expect(code(await gql(CREATE, "supervisorAA", { input: { agentEmail: cast.supervisorAA.email, reviewType: "coaching" } }))).toBe("CC302");
    expect(code(await gql(CREATE, "supervisorAA", { input: { callRecordId: NO_SUCH_ID, reviewType: "random" } }))).toBe("CC312");
    expect(code(await gql(CREATE, "supervisorAA", { input: { callRecordId: callId.R3 } }))).toBe("NOT_NULL_VIOLATION");
    expect((await gql(CREATE, "supervisorAA", { input: { callRecordId: callId.R3, reviewType: "random", greetingProfessionalism: "five" } })).errors).toHaveLength(1);
    expect(await allReviews()).toEqual(before);
  });
});

describe("GET /api/qa/reviews/{agent_email}", () => {
  let completed: string, draft: string;
  beforeAll(async () => {
    completed = await reviewOf("supervisorAA", "R3", { reviewDate: "2026-03-11" }, true);
    draft = await reviewOf("supervisorAA", "R4", { reviewDate: "2026-03-12" });
  });
  const ids = (body: Record<string, unknown>) => (body.data as Array<{ id: string }>).map((r) => r.id);

  it("gives a supervisor their agent's reviews, newest first, in the paging envelope; filters by status and dates", async () => {
    const res = await send("get", `/api/qa/reviews/${cast.agentAA.email}?from=2026-03-01&to=2026-03-31`, "supervisorAA");
    expect(res.status).toBe(200);
    expect(ids(res.body)).toEqual([draft, completed]);
    expect(res.body.page).toEqual(expect.objectContaining({ number: 1, size: 50, has_next: false }));
    const row = res.body.data[1];
    expect(row).toEqual(expect.objectContaining({ id: completed, review_status: "completed", review_date: "2026-03-11", recording_available: false }));
    expect(ids((await send("get", `/api/qa/reviews/${cast.agentAA.email}?status=completed`, "supervisorAA")).body)).toEqual([completed]);
    expect(ids((await send("get", `/api/qa/reviews/${cast.agentAA.email}?from=2026-03-11&to=2026-03-11`, "supervisorAA")).body)).toEqual([completed]);
    // Three drafts of agentAA so far (R1's and R2's dated today, R4's): the oldest is the last page.
    const last = await send("get", `/api/qa/reviews/${cast.agentAA.email}?status=draft&page_size=1&page=3`, "supervisorAA");
    expect([ids(last.body), last.body.page]).toEqual([[draft], { number: 3, size: 1, total_count: 3, has_next: false }]);
    expect((await send("get", `/api/qa/reviews/${cast.agentAA.email}?status=draft&page_size=1`, "supervisorAA")).body.page.has_next).toBe(true);
  });

  it("answers the same as GraphQL's qaReviewsForAgent", async () => {
    const rest = await send("get", `/api/qa/reviews/${cast.agentAA.email}`, "supervisorAA");
    const body = await gql(`query ($e: String!) { qaReviewsForAgent(agent: $e) { totalCount nodes { rowId } } }`, "supervisorAA", { e: cast.agentAA.email });
    const list = (body.data as { qaReviewsForAgent: { totalCount: number; nodes: Array<{ rowId: string }> } }).qaReviewsForAgent;
    expect([list.totalCount, list.nodes.map((n) => n.rowId)]).toEqual([rest.body.page.total_count, ids(rest.body)]);
  });

  it("shows the agent their completed reviews, not the reviewer's drafts", async () => {
    const res = await send("get", `/api/qa/reviews/${cast.agentAA.email}`, "agentAA");
    expect(ids(res.body)).toContain(completed);
    expect(ids(res.body)).not.toContain(draft);
  });

  it("never carries the recording's location, to any reader", async () => {
    for (const who of ["supervisorAA", "agentAA", "manager"] as const) {
      const res = await send("get", `/api/qa/reviews/${cast.agentAA.email}`, who);
      expect(res.status).toBe(200);
      expect(JSON.stringify(res.body)).not.toMatch(/recordings\.3cx|recording_url/);
    }
  });

  it("answers 404 for an agent one may not see (another agent, another location) and 401 without a token", async () => {
    for (const who of ["agentWX", "supervisorWX"] as const) {
      const res = await send("get", `/api/qa/reviews/${cast.agentAA.email}`, who);
      expect([res.status, res.body.error.code]).toEqual([404, "NOT_FOUND"]);
    }
    expect(code(await gql(`{ qaReviewsForAgent(agent: "${cast.agentAA.email}") { totalCount } }`, "agentWX"))).toBe("CC313");
    expect((await send("get", `/api/qa/reviews/${cast.agentAA.email}`)).status).toBe(401);
  });

  it.each([
    ["a status that is not one", `${CAST_EMAIL.agentAA}?status=bogus`, "INVALID_INPUT", "status"],
    ["an email that is not one", "not-an-email", "INVALID_INPUT", "agent_email"],
    ["a date that is not one", `${CAST_EMAIL.agentAA}?from=2026-02-30`, "INVALID_INPUT", "from"],
    ["dates the wrong way round", `${CAST_EMAIL.agentAA}?from=2026-03-12&to=2026-03-11`, "CC306", "to"],
  ])("answers %s with 400 naming the field", async (_what, path, errorCode, field) => {
    const res = await send("get", `/api/qa/reviews/${path}`, "supervisorAA");
    expect([res.status, res.body.error.code, res.body.error.field]).toEqual([400, errorCode, field]);
  });
});

describe("PUT /api/qa/reviews/{id}/discuss", () => {
  let draft: string, completed: string, other: string;
  beforeAll(async () => {
    draft = await reviewOf("supervisorAA", "R5", { reviewDate: "2026-03-11" });
    completed = await reviewOf("supervisorAA", "R6", { reviewDate: "2026-03-11" }, true);
    other = await reviewOf("manager", "R2", { reviewDate: "2026-03-11" }, true);
  });
  const discuss = (id: string, who?: Who, body: Record<string, unknown> = {}) => send("put", `/api/qa/reviews/${id}/discuss`, who, body);

  it.each<[string, () => string, Who | undefined, Record<string, unknown>, number, string, string | undefined]>([
    ["a draft (409)", () => draft, "supervisorAA", {}, 409, "CC321", undefined],
    ["the reviewed agent (403)", () => completed, "agentAA", {}, 403, "FORBIDDEN", undefined],
    ["another location's supervisor (404)", () => completed, "supervisorWX", {}, 404, "NOT_FOUND", "id"],
    ["an id that does not exist (404)", () => NO_SUCH_ID, "supervisorAA", {}, 404, "NOT_FOUND", "id"],
    ["an id that is not one (400)", () => "42", "supervisorAA", {}, 400, "INVALID_INPUT", "id"],
    ["a date that is not one (400)", () => completed, "supervisorAA", { discussion_date: "12/03/2026" }, 400, "INVALID_INPUT", "discussion_date"],
    ["a date of the wrong type (400)", () => completed, "supervisorAA", { discussion_date: 20260312 }, 400, "INVALID_INPUT", "discussion_date"],
    ["a date in the future (400)", () => completed, "supervisorAA", { discussion_date: "2099-01-01" }, 400, "CC305", "discussion_date"],
    ["a date before the review (400)", () => completed, "supervisorAA", { discussion_date: "2026-03-10" }, 400, "CC305", "discussion_date"],
    ["a parameter that does not exist (400)", () => completed, "supervisorAA", { status: "discussed_with_agent" }, 400, "INVALID_INPUT", "status"],
    ["no token (401)", () => completed, undefined, {}, 401, "NO_TOKEN", undefined],
  ])("refuses %s and changes nothing", async (_what, id, who, body, status, errorCode, field) => {
    const before = await allReviews();
    const res = await discuss(id(), who, body);
    expect([res.status, res.body.error?.code, res.body.error?.field]).toEqual([status, errorCode, field]);
    expect(await allReviews()).toEqual(before);
  });

  it("marks a completed review discussed (200), tells the agent, and refuses a second time (409)", async () => {
    const res = await discuss(completed, "supervisorAA", { discussion_date: "2026-03-12", coaching_points: "Offer the next free slot first." });
    expect(res.status).toBe(200);
    expect(res.body).toEqual(expect.objectContaining({
      id: completed, review_status: "discussed_with_agent", agent_discussion_date: "2026-03-12", specific_coaching_points: "Offer the next free slot first.",
    }));
    const notes = await rows(db.owner, `select n.notification_type from app_public.notifications n join app_public.users u on u.id = n.user_id
                                        where u.email = $1 and n.data->>'review_id' = $2 order by n.notification_type`, [cast.agentAA.email, completed]);
    expect(notes.map((n) => n.notification_type)).toEqual(["qa_review_completed", "qa_review_discussed"]);
    const again = await discuss(completed, "supervisorAA");
    expect([again.status, again.body.error.code]).toEqual([409, "CC321"]);
  });

  it("does the same through GraphQL's discussQaReview (today by default)", async () => {
    const body = await gql(`mutation ($id: UUID!) { discussQaReview(input: { reviewId: $id }) { result { reviewStatus agentDiscussionDate } } }`, "manager", { id: other });
    const today = (await one(db.owner, "select app_hidden.business_day(now())::text as d")).d;
    expect(body.data).toEqual({ discussQaReview: { result: { reviewStatus: "discussed_with_agent", agentDiscussionDate: today } } });
    expect(code(await gql(`mutation ($id: UUID!) { discussQaReview(input: { reviewId: $id }) { result { rowId } } }`, "manager", { id: draft }))).toBe("CC321");
  });
});

describe("GET /api/qa/coaching-opportunities", () => {
  type Row = { agent_email: string; quota: number; reasons: string[]; reviews_this_month: number };
  it("lists a supervisor's agents who need coaching, with the quota from QA_REVIEW_QUOTA_PER_AGENT", async () => {
    const res = await send("get", "/api/qa/coaching-opportunities", "supervisorAA");
    expect(res.status).toBe(200);
    const rowsOf = res.body.data as Row[];
    expect(rowsOf.map((r) => r.agent_email)).toEqual([cast.agentAA.email]);
    // The reviews above are dated in March 2026; this month agentAA has none of the 2 the server expects.
    expect(rowsOf[0]).toEqual(expect.objectContaining({ quota: 2, reviews_this_month: 0, behind_by: 2, reasons: expect.arrayContaining(["below_quota"]) }));
    // In March agentAA has three completed reviews at 80.00 % (greeting 4): at the quota, and 80 is not below 80.
    const march = await send("get", "/api/qa/coaching-opportunities?month=2026-03", "supervisorAA");
    expect([march.status, march.body.data]).toEqual([200, []]);
  });

  it("answers the same as GraphQL's coachingOpportunities; a manager sees every location", async () => {
    const body = await gql(`{ coachingOpportunities { totalCount nodes { agentEmail quota reasons } } }`, "manager");
    const list = (body.data as { coachingOpportunities: { totalCount: number; nodes: Array<{ agentEmail: string; quota: number }> } }).coachingOpportunities;
    expect(list.nodes.map((n) => n.agentEmail).sort()).toEqual([cast.agentAA.email, cast.agentWX.email].sort());
    expect(list.nodes.every((n) => n.quota === 2)).toBe(true);
    const res = await send("get", "/api/qa/coaching-opportunities", "manager");
    expect(res.body.page.total_count).toBe(list.totalCount);
  });

  it("refuses agents (403) and answers wrong input with 400 naming the field", async () => {
    const refused = await send("get", "/api/qa/coaching-opportunities", "agentAA");
    expect([refused.status, refused.body.error.code]).toEqual([403, "FORBIDDEN"]);
    expect(code(await gql(`{ coachingOpportunities { totalCount } }`, "agentAA"))).toBe("FORBIDDEN");
    for (const [query, errorCode, field] of [["month=2026-13", "INVALID_INPUT", "month"], ["location=Detroit", "CC715", "location"], ["page=0", "INVALID_INPUT", "page"]]) {
      const res = await send("get", `/api/qa/coaching-opportunities?${query}`, "supervisorAA");
      expect([res.status, res.body.error.code, res.body.error.field]).toEqual([400, errorCode, field]);
    }
  });
});

describe("the supervisor's QA day, one scenario", () => {
  it("samples calls, reviews one, scores it (some not applicable), completes it: the call's quality_score follows and the agent is told; discussed; acknowledged; the agent cannot change a score", async () => {
    // 1. A sample of calls not yet reviewed.
    const sampled = await gql(`mutation { sampleCallsForReview(input: { sampleSize: 3, fromTime: "2026-03-10T00:00:00Z", toTime: "2026-03-11T00:00:00Z" }) {
      result { rowId callId agentEmail qualityScore } } }`, "supervisorAA");
    const calls = (sampled.data as { sampleCallsForReview: { result: Array<{ rowId: string; callId: string; qualityScore: string | null }> } }).sampleCallsForReview.result;
    const reviewedCalls = (await rows(db.owner, "select distinct call_record_id as id from app_public.quality_assurance_reviews")).map((r) => r.id);
    expect(calls.length).toBeGreaterThan(0);
    expect(calls.filter((c) => reviewedCalls.includes(c.rowId))).toEqual([]);
    const call = calls[0]!;

    // 2. A review of it, through the PRD's path.
    const created = await send("post", "/api/qa/review", "supervisorAA", { call_record_id: call.rowId, review_type: "random" });
    expect(created.status).toBe(201);
    const id = created.body.id as string;

    // 3. Scores: three categories, the fourth and the others not applicable.
    const scored = await gql(SCORE, "supervisorAA", { id, g: 5, a: 4, p: 3, k: null });
    expect((scored.data as { scoreQaReview: { result: Record<string, unknown> } }).scoreQaReview.result).toEqual({
      rowId: id, greetingProfessionalism: 5, activeListening: 4, problemResolution: 3, productKnowledge: null, totalScore: 12, percentageScore: "80.00",
    });

    // 4. Completed: the call's quality score follows, and the agent is told.
    expect(((await gql(COMPLETE, "supervisorAA", { id })).data as { completeQaReview: { result: { reviewStatus: string } } }).completeQaReview.result.reviewStatus).toBe("completed");
    const callNow = await send("get", `/api/call-records/${call.rowId}`, "supervisorAA");
    expect(callNow.body.quality_score).toBe("80.00");
    const told = await gql(`{ allNotifications { nodes { notificationType title data } } }`, "agentAA");
    const notes = (told.data as { allNotifications: { nodes: Array<{ notificationType: string; title: string; data: { review_id: string } }> } }).allNotifications.nodes;
    expect(notes.filter((n) => n.data.review_id === id).map((n) => [n.notificationType, n.title])).toEqual([["qa_review_completed", "Your QA review is ready"]]);

    // 5. Discussed with the agent.
    const discussed = await send("put", `/api/qa/reviews/${id}/discuss`, "supervisorAA", {});
    expect([discussed.status, discussed.body.review_status]).toEqual([200, "discussed_with_agent"]);

    // 6. The agent acknowledges it.
    const ack = await gql(`mutation ($id: UUID!) { acknowledgeQaReview(input: { reviewId: $id }) { result { agentAcknowledgment } } }`, "agentAA", { id });
    expect(ack.data).toEqual({ acknowledgeQaReview: { result: { agentAcknowledgment: true } } });

    // 7. The agent tries to change a score on their own review: refused both ways, the row untouched.
    const before = await reviewRow(id);
    expect(code(await gql(SCORE, "agentAA", { id, g: 1 }))).toBe("FORBIDDEN");
    const patched = await gql(`mutation ($id: UUID!) { updateQualityAssuranceReviewByRowId(input: { rowId: $id, qualityAssuranceReviewPatch: { greetingProfessionalism: 1 } }) {
      qualityAssuranceReview { greetingProfessionalism } } }`, "agentAA", { id });
    expect([code(patched), patched.errors?.[0]?.message]).toEqual(["CC301", "The reviewed agent may only acknowledge the review."]);
    // Nor may the reviewer, now that it is completed.
    expect(code(await gql(SCORE, "supervisorAA", { id, g: 1 }))).toBe("CC323");
    expect(await reviewRow(id)).toEqual(before);
    expect(before).toEqual(expect.objectContaining({ greeting_professionalism: 5, agent_acknowledgment: true, review_status: "discussed_with_agent" }));

    // 8. The month's quota: the review counts for agentAA (dated today), one of the server's 2.
    const quota = await gql(`{ qaReviewQuota { nodes { agentEmail reviewsDone quota behindBy isBehind } } }`, "supervisorAA");
    expect((quota.data as { qaReviewQuota: { nodes: unknown[] } }).qaReviewQuota.nodes).toEqual([
      { agentEmail: cast.agentAA.email, reviewsDone: 1, quota: 2, behindBy: 1, isBehind: true },
    ]);
  });
});

describe("the recording of a reviewed call", () => {
  let id: string;
  beforeAll(async () => {
    // The review of R1 started by POST /api/qa/review above, completed so that its agent may read it.
    id = (await one(db.owner, "select id from app_public.quality_assurance_reviews where call_record_id = $1 and reviewer_email = $2", [callId.R1, cast.supervisorAA.email])).id;
    expect(code(await gql(COMPLETE, "supervisorAA", { id }))).toBeUndefined();
  });
  const REVEAL = `mutation ($id: UUID!) { revealQaReviewRecording(input: { reviewId: $id, reason: "QA review of the call" }) { result } }`;

  it("gives its location to accessRecordings holders, through the call's reveal (audited)", async () => {
    const body = await gql(REVEAL, "supervisorAA", { id });
    // A one-time link to this service (tests/server/recordings.test.ts fetches one), never the PBX's address.
    expect(body.data).toEqual({ revealQaReviewRecording: { result: expect.stringMatching(/^\/api\/recordings\/[A-Za-z0-9_-]{43}$/) } });
    expect(JSON.stringify(body)).not.toContain("recordings.3cx");
    const audit = await rows(db.owner, `select record_id, changed_columns, details->>'reason' as reason from app_public.audit_logs
                                        where action = 'reveal' and actor_email = $1`, [cast.supervisorAA.email]);
    expect(audit).toEqual([{ record_id: callId.R1, changed_columns: ["recording_url"], reason: "QA review of the call" }]);
  });

  it("refuses the reviewed agent, who may read the review (CC502), and others who may not see it (CC311)", async () => {
    expect(code(await gql(REVEAL, "agentAA", { id }))).toBe("CC502");
    expect(code(await gql(REVEAL, "supervisorWX", { id }))).toBe("CC311");
    const seen = await gql(`query ($e: String!) { qaReviewsForAgent(agent: $e) { nodes { rowId recordingAvailable } } }`, "agentAA", { e: cast.agentAA.email });
    expect(JSON.stringify(seen)).not.toContain("recordings.3cx");
  });
});
