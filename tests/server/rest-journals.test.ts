/**
 * The PRD's journal paths, each through REST (the route table) and through
 * GraphQL, under the same token and rules: POST /api/call-journals, PUT
 * /api/call-journals/{id} (submit too), POST /api/journals/bulk-create, GET
 * /api/journals/pending-review, PUT /api/journals/{id}/review (approve too),
 * GET /api/journals/search. Every refusal is answered with its status (400
 * bad input naming the field, 403 not you, 404 not one you may see, 409 not
 * in this state) and leaves the journals and notifications exactly as they
 * were.
 */
import { createTestDatabase, type TestDatabase } from "../helpers/db.js";
import { createCast, type Cast, type Persona } from "../helpers/users.js";
import { signToken, startTestServer, type TestServer } from "../helpers/server.js";
import { restClient, type RestClient } from "../helpers/rest.js";
import { journalsTable, makeCall, makeJournal, notificationsTable } from "../helpers/journals.js";
import { one, rows } from "../helpers/query.js";

let db: TestDatabase;
let server: TestServer;
let cast: Cast;
let rest: RestClient;
const ids: Record<string, string> = {};
const CARD = "4111 1111 1111 1111";
const NO_SUCH = "00000000-0000-4000-8000-000000000000";

const token = (who: Persona) => signToken({ email: cast[who].email });
type Method = "get" | "post" | "put";
async function send(method: Method, path: string, who?: Persona, body?: unknown) {
  return rest.send(method, path, who ? await token(who) : undefined, body);
}
async function gql(query: string, who: Persona, variables?: Record<string, unknown>) {
  return (await server.graphql(query, await token(who), variables)).body;
}
const state = async () => ({ journals: await journalsTable(db.owner), notifications: await notificationsTable(db.owner) });

/** A request that must be refused: its status, code and field, and nothing changed. */
async function refused(run: () => Promise<{ status: number; body: Record<string, any> }>, status: number, code: string, field?: string) { // eslint-disable-line @typescript-eslint/no-explicit-any
  const before = await state();
  const res = await run();
  expect([res.status, res.body.error?.code, res.body.error?.field]).toEqual([status, code, field]);
  expect(typeof res.body.error?.message).toBe("string");
  expect(await state()).toEqual(before);
  return res;
}
/** A GraphQL request that must be refused with this code, changing nothing. */
async function gqlRefused(query: string, who: Persona, variables: Record<string, unknown>, code: string) {
  const before = await state();
  const body = await gql(query, who, variables);
  expect(body.errors?.[0]?.extensions?.code).toBe(code);
  expect(await state()).toEqual(before);
  return body;
}
const journal = (id: string) => one(db.owner, "select * from app_public.call_journals where id = $1", [id]);

beforeAll(async () => {
  db = await createTestDatabase();
  cast = await createCast(db.owner);
  for (let i = 1; i <= 6; i++) ids[`callAA${i}`] = await makeCall(db.owner, `j-aa-${i}`, "Ann Arbor", cast.agentAA.email, 60 * i);
  ids.callWX = await makeCall(db.owner, "j-wx-1", "Wixom", cast.agentWX.email);
  server = await startTestServer(db.authenticatorUrl);
  rest = await restClient(server);
});
afterAll(async () => {
  await server.close();
  await db.drop();
});

describe("POST /api/call-journals", () => {
  it("creates a draft as its agent, answered 201 with the notes masked; GraphQL's createCallJournal does the same", async () => {
    const res = await send("post", "/api/call-journals", "agentAA", {
      call_record_id: ids.callAA1, call_summary: "Refill request", detailed_notes: "Needs tretinoin refilled", call_tags: ["refill"],
    });
    expect(res.status).toBe(201);
    expect(res.body).toEqual(expect.objectContaining({
      id: expect.any(String), call_record_id: ids.callAA1, agent_email: cast.agentAA.email, call_summary: "Refill request",
      detailed_notes_masked: "[protected: 24 characters]", call_tags: ["refill"], journal_status: "draft", submitted_at: null, review_score: null,
    }));
    expect(res.body).not.toHaveProperty("detailed_notes");
    expect(await journal(res.body.id)).toEqual(expect.objectContaining({ call_summary: "Refill request", detailed_notes: null, journal_status: "draft" }));

    const body = await gql(`mutation($j: CallJournalInput!) { createCallJournal(input: { callJournal: $j }) { callJournal { rowId agentEmail journalStatus } } }`,
      "agentAA", { j: { callRecordId: ids.callAA1, callSummary: "Second thoughts on the refill" } });
    expect(body.errors).toBeUndefined();
    expect(body.data?.createCallJournal).toEqual({ callJournal: { rowId: expect.any(String), agentEmail: cast.agentAA.email, journalStatus: "draft" } });
  });

  it("creates a journal already submitted when asked", async () => {
    const res = await send("post", "/api/call-journals", "agentAA", { call_record_id: ids.callAA1, call_summary: "Billing question", journal_status: "submitted" });
    expect([res.status, res.body.journal_status, typeof res.body.submitted_at]).toEqual([201, "submitted", "string"]);
  });

  it("refuses a role without editCallJournals, and another agent's call (403)", async () => {
    await refused(() => send("post", "/api/call-journals", "staff", { call_record_id: ids.callAA1, call_summary: "x" }), 403, "FORBIDDEN");
    await refused(() => send("post", "/api/call-journals", "agentWX", { call_record_id: ids.callAA1, call_summary: "x" }), 403, "FORBIDDEN");
    await gqlRefused(`mutation($j: CallJournalInput!) { createCallJournal(input: { callJournal: $j }) { callJournal { rowId } } }`,
      "staff", { j: { callRecordId: ids.callAA1, callSummary: "x" } }, "FORBIDDEN");
  });

  it.each([
    ["a missing summary", { call_record_id: "callAA1" }, "INVALID_INPUT", "call_summary"],
    ["a summary of blanks", { call_record_id: "callAA1", call_summary: "   " }, "CHECK_VIOLATION", "call_summary"],
    ["a follow-up that is not a yes or no", { call_record_id: "callAA1", call_summary: "x", follow_up_required: "yes" }, "INVALID_INPUT", "follow_up_required"],
    ["a follow-up without its type", { call_record_id: "callAA1", call_summary: "x", follow_up_required: true }, "CHECK_VIOLATION", "follow_up_required"],
    ["a follow-up type that is not one", { call_record_id: "callAA1", call_summary: "x", follow_up_required: true, follow_up_type: "fax" }, "CHECK_VIOLATION", "follow_up_type"],
    ["a call id that is not one", { call_record_id: "42", call_summary: "x" }, "INVALID_INPUT", "call_record_id"],
    ["a field that does not exist", { call_record_id: "callAA1", call_summary: "x", mood: "good" }, "INVALID_INPUT", "mood"],
    ["a card number in the notes", { call_record_id: "callAA1", call_summary: "x", detailed_notes: `Paid with ${CARD}, exp 04/27` }, "CC722", "detailed_notes"],
    ["a card number in the summary", { call_record_id: "callAA1", call_summary: `card 4111-1111-1111-1111` }, "CC722", "call_summary"],
    ["a card number in a tag", { call_record_id: "callAA1", call_summary: "x", call_tags: ["billing", "378282246310005"] }, "CC722", "call_tags"],
  ])("answers %s with 400 naming the field, and saves nothing", async (_what, body, code, field) => {
    const b = { ...body, call_record_id: ids[body.call_record_id as string] ?? body.call_record_id };
    const res = await refused(() => send("post", "/api/call-journals", "agentAA", b), 400, code, field);
    if (code === "CC722") expect(res.body.error.message).toMatch(/payment card number/);
  });

  it("refuses a card number through GraphQL too, naming the field", async () => {
    const body = await gqlRefused(`mutation($j: CallJournalInput!) { createCallJournal(input: { callJournal: $j }) { callJournal { rowId } } }`,
      "agentAA", { j: { callRecordId: ids.callAA1, callSummary: "x", followUpRequired: true, followUpType: "callback", followUpNotes: `Card ${CARD}` } }, "CC722");
    expect(body.errors?.[0]?.message).toMatch(/^followUpNotes holds what looks like a payment card number/);
  });

  it("refuses a journal created already reviewed (409), and an agent's score (403)", async () => {
    await refused(() => send("post", "/api/call-journals", "supervisorAA", { call_record_id: ids.callAA1, agent_email: cast.agentAA.email, call_summary: "x", journal_status: "reviewed", review_score: 90 }),
      409, "CC203", "journal_status");
    await refused(() => send("post", "/api/call-journals", "agentAA", { call_record_id: ids.callAA1, call_summary: "x", review_score: 90 }), 403, "CC202");
  });

  it("answers a call that does not exist with 400 naming it (a manager may journal any call)", async () => {
    await refused(() => send("post", "/api/call-journals", "manager", { call_record_id: NO_SUCH, call_summary: "x" }), 400, "FOREIGN_KEY_VIOLATION", "call_record_id");
  });
});

describe("PUT /api/call-journals/{id}", () => {
  let draft: string;
  beforeEach(async () => {
    draft = await makeJournal(db.owner, { call: ids.callAA2!, agent: cast.agentAA.email, summary: "Draft" });
  });

  it("changes the fields sent, and leaves the others; GraphQL's updateCallJournalByRowId does the same", async () => {
    const res = await send("put", `/api/call-journals/${draft}`, "agentAA", { call_summary: "Refill, with a callback", follow_up_required: true, follow_up_type: "callback", follow_up_date: "2026-12-02" });
    expect(res.status).toBe(200);
    expect(res.body).toEqual(expect.objectContaining({ id: draft, call_summary: "Refill, with a callback", follow_up_type: "callback", follow_up_date: "2026-12-02", journal_status: "draft" }));
    const body = await gql(`mutation($id: UUID!) { updateCallJournalByRowId(input: { rowId: $id, callJournalPatch: { callTags: ["refill"] } }) { callJournal { callSummary callTags } } }`,
      "agentAA", { id: draft });
    expect(body.data?.updateCallJournalByRowId).toEqual({ callJournal: { callSummary: "Refill, with a callback", callTags: ["refill"] } });
  });

  it("clears with null what may be empty: a follow-up no longer needed", async () => {
    const id = await makeJournal(db.owner, { call: ids.callAA2!, agent: cast.agentAA.email, followUp: { type: "callback", date: "2026-12-01" } });
    const res = await send("put", `/api/call-journals/${id}`, "agentAA", { follow_up_required: false, follow_up_type: null, follow_up_date: null });
    expect([res.status, res.body.follow_up_required, res.body.follow_up_type, res.body.follow_up_date]).toEqual([200, false, null, null]);
  });

  it("submits a draft with journal_status submitted; GraphQL's submitCallJournal does the same", async () => {
    const res = await send("put", `/api/call-journals/${draft}`, "agentAA", { journal_status: "submitted" });
    expect([res.status, res.body.journal_status, typeof res.body.submitted_at]).toEqual([200, "submitted", "string"]);
    const other = await makeJournal(db.owner, { call: ids.callAA2!, agent: cast.agentAA.email });
    const body = await gql(`mutation($id: UUID!) { submitCallJournal(input: { journalId: $id }) { callJournal { rowId journalStatus } } }`, "agentAA", { id: other });
    expect(body.data?.submitCallJournal).toEqual({ callJournal: { rowId: other, journalStatus: "submitted" } });
    await gqlRefused(`mutation($id: UUID!) { submitCallJournal(input: { journalId: $id }) { callJournal { rowId } } }`, "agentAA", { id: other }, "CC203");
    await gqlRefused(`mutation($id: UUID!) { submitCallJournal(input: { journalId: $id }) { callJournal { rowId } } }`, "agentWX", { id: draft }, "CC205");
  });

  it("answers an id one may not see, or that does not exist, with 404", async () => {
    await refused(() => send("put", `/api/call-journals/${draft}`, "agentWX", { call_summary: "mine now" }), 404, "NOT_FOUND");
    await refused(() => send("put", `/api/call-journals/${draft}`, "staff", { call_summary: "mine now" }), 404, "NOT_FOUND");
    await refused(() => send("put", `/api/call-journals/${NO_SUCH}`, "manager", { call_summary: "x" }), 404, "NOT_FOUND");
  });

  it("refuses an agent moving their journal to reviewed (403: reviewers only)", async () => {
    const submitted = await makeJournal(db.owner, { call: ids.callAA2!, agent: cast.agentAA.email, status: "submitted" });
    await refused(() => send("put", `/api/call-journals/${submitted}`, "agentAA", { journal_status: "reviewed", review_score: 100 }), 403, "CC202");
  });

  it.each([
    ["submitted", "draft"],
    ["draft", "reviewed"],
    ["draft", "approved"],
    ["reviewed", "submitted"],
    ["approved", "reviewed"],
  ] as const)("refuses the move %s → %s with 409, changing nothing", async (from, to) => {
    const id = await makeJournal(db.owner, { call: ids.callAA2!, agent: cast.agentAA.email, status: from, reviewedBy: cast.supervisorAA.email });
    const res = await refused(() => send("put", `/api/call-journals/${id}`, "manager", { journal_status: to, ...(to === "reviewed" ? { review_score: 70 } : {}) }), 409, "CC203", "journal_status");
    expect(res.body.error.message).toMatch(/draft to submitted to reviewed to approved/);
  });

  it("refuses the author's edit of a reviewed journal (409, CC201), through REST and GraphQL, the row unchanged", async () => {
    const reviewed = await makeJournal(db.owner, { call: ids.callAA2!, agent: cast.agentAA.email, status: "reviewed", reviewedBy: cast.supervisorAA.email, score: 64 });
    await refused(() => send("put", `/api/call-journals/${reviewed}`, "agentAA", { call_summary: "Nothing to see here" }), 409, "CC201");
    await refused(() => send("put", `/api/call-journals/${reviewed}`, "agentAA", { detailed_notes: "rewritten" }), 409, "CC201");
    await gqlRefused(`mutation($id: UUID!) { updateCallJournalByRowId(input: { rowId: $id, callJournalPatch: { callSummary: "x" } }) { callJournal { rowId } } }`,
      "agentAA", { id: reviewed }, "CC201");
    // a reviewer of the location may still correct it
    const res = await send("put", `/api/call-journals/${reviewed}`, "supervisorAA", { call_summary: "Corrected by the supervisor" });
    expect([res.status, res.body.call_summary, res.body.journal_status]).toEqual([200, "Corrected by the supervisor", "reviewed"]);
  });

  it.each([
    ["a status that is not one", { journal_status: "done" }, "INVALID_INPUT", "journal_status"],
    ["a score that is not a number", { review_score: "high" }, "INVALID_INPUT", "review_score"],
    ["a date that is not one", { follow_up_date: "soon" }, "INVALID_INPUT", "follow_up_date"],
    ["nothing to change", {}, "INVALID_INPUT", undefined],
    ["a card number in the follow-up notes", { follow_up_notes: `Card 5500-0000-0000-0004` }, "CC722", "follow_up_notes"],
    ["a card number among the action items", { action_items: ["Call back", "4111111111111111"] }, "CC722", "action_items"],
  ])("answers %s with 400, changing nothing", async (_what, body, code, field) => {
    await refused(() => send("put", `/api/call-journals/${draft}`, "agentAA", body), 400, code, field);
  });
});

describe("POST /api/journals/bulk-create", () => {
  it("creates every journal, in order, answered 201; GraphQL's bulkCreateCallJournals does the same", async () => {
    const res = await send("post", "/api/journals/bulk-create", "agentAA", {
      journals: [
        { call_record_id: ids.callAA3, call_summary: "First", call_tags: ["bulk"] },
        { call_record_id: ids.callAA3, call_summary: "Second", journal_status: "submitted", patient_concern: "itchy rash" },
      ],
    });
    expect(res.status).toBe(201);
    expect(res.body.journals.map((j: { call_summary: string; journal_status: string; agent_email: string }) => [j.call_summary, j.journal_status, j.agent_email]))
      .toEqual([["First", "draft", cast.agentAA.email], ["Second", "submitted", cast.agentAA.email]]);
    expect(res.body.journals[1].patient_concern_masked).toBe("[protected: 10 characters]");
    const body = await gql(`mutation($js: [CallJournalInput]!) { bulkCreateCallJournals(input: { journals: $js }) { callJournals { callSummary } } }`,
      "agentAA", { js: [{ callRecordId: ids.callAA3, callSummary: "Third" }] });
    expect(body.data?.bulkCreateCallJournals).toEqual({ callJournals: [{ callSummary: "Third" }] });
  });

  it("saves none when any is refused, and names every refused journal by its index, field and reason", async () => {
    const res = await refused(() => send("post", "/api/journals/bulk-create", "agentAA", {
      journals: [
        { call_record_id: ids.callAA3, call_summary: "Fine" },
        { call_record_id: ids.callAA3, call_summary: "Paid by card", resolution_provided: `Took card ${CARD}` },
        { call_record_id: ids.callAA3, call_summary: "  " },
        { call_record_id: ids.callWX, call_summary: "Not my call" },
        { call_record_id: ids.callAA3, call_summary: "Already approved", journal_status: "approved" },
      ],
    }), 400, "CC723", "journals");
    expect(res.body.error.message).toBe("4 of 5 journals were refused; none was saved.");
    expect(res.body.error.problems).toEqual([
      { index: 1, field: "resolution_provided", code: "CC722", message: expect.stringMatching(/^resolutionProvided holds what looks like a payment card number/) },
      { index: 2, field: "call_summary", code: "CHECK_VIOLATION", message: "callSummary must not be blank and must be at most 500 characters long" },
      { index: 3, code: "FORBIDDEN", message: "Not allowed." },
      { index: 4, field: "journal_status", code: "CC203", message: expect.stringMatching(/created as a draft or submitted/) },
    ]);
    const body = await gqlRefused(`mutation($js: [CallJournalInput]!) { bulkCreateCallJournals(input: { journals: $js }) { callJournals { rowId } } }`,
      "agentAA", { js: [{ callRecordId: ids.callAA3, callSummary: "ok" }, { callRecordId: ids.callAA3, callSummary: "x", callTags: [CARD] }] }, "CC723");
    expect(body.errors?.[0]?.extensions).toEqual({ code: "CC723", problems: [{ index: 1, field: "callTags", code: "CC722", message: expect.any(String) }] });
  });

  it("answers a missing field or a wrong type with 400 naming the journal's index and field", async () => {
    await refused(() => send("post", "/api/journals/bulk-create", "agentAA", { journals: [{ call_record_id: ids.callAA3, call_summary: "ok" }, { call_record_id: ids.callAA3 }] }),
      400, "INVALID_INPUT", "journals.1.call_summary");
    await refused(() => send("post", "/api/journals/bulk-create", "agentAA", { journals: [{ call_record_id: ids.callAA3, call_summary: "ok", referral_made: "no" }] }),
      400, "INVALID_INPUT", "journals.0.referral_made");
    await refused(() => send("post", "/api/journals/bulk-create", "agentAA", { journals: "all of them" }), 400, "INVALID_INPUT", "journals");
  });

  it("takes 1 to 100 journals (400 otherwise), and refuses a role without editCallJournals (403)", async () => {
    await refused(() => send("post", "/api/journals/bulk-create", "agentAA", { journals: [] }), 400, "CC724", "journals");
    const many = Array.from({ length: 101 }, () => ({ call_record_id: ids.callAA3, call_summary: "x" }));
    await refused(() => send("post", "/api/journals/bulk-create", "agentAA", { journals: many }), 400, "CC724", "journals");
    await refused(() => send("post", "/api/journals/bulk-create", "staff", { journals: [{ call_record_id: ids.callAA3, call_summary: "x" }] }), 403, "FORBIDDEN");
  });
});

describe("GET /api/journals/pending-review", () => {
  const PENDING = "pending";
  beforeAll(async () => {
    const at = (h: number) => `2026-11-2${h}T15:00:00Z`;
    ids.pendingAA2 = await makeJournal(db.owner, { call: ids.callAA4!, agent: cast.agentAA.email, status: "submitted", submittedAt: at(5), summary: PENDING });
    ids.pendingAA1 = await makeJournal(db.owner, { call: ids.callAA4!, agent: cast.agentAA.email, status: "submitted", submittedAt: at(3), summary: PENDING });
    ids.pendingWX = await makeJournal(db.owner, { call: ids.callWX!, agent: cast.agentWX.email, status: "submitted", submittedAt: at(4), summary: PENDING });
    ids.pendingOwn = await makeJournal(db.owner, { call: ids.callAA4!, agent: cast.supervisorAA.email, status: "submitted", submittedAt: at(1), summary: PENDING });
    await makeJournal(db.owner, { call: ids.callAA4!, agent: cast.agentAA.email, status: "draft", summary: PENDING });
  });
  const pending = (body: Record<string, any>) => (body.data as { id: string; call_summary: string }[]).filter((j) => j.call_summary === PENDING).map((j) => j.id); // eslint-disable-line @typescript-eslint/no-explicit-any

  it("gives a supervisor the submitted journals of their locations, oldest first, never their own", async () => {
    const res = await send("get", "/api/journals/pending-review", "supervisorAA");
    expect(res.status).toBe(200);
    expect(pending(res.body)).toEqual([ids.pendingAA1, ids.pendingAA2]);
    expect(res.body.data.every((j: { journal_status: string }) => j.journal_status === "submitted")).toBe(true);
    expect(pending((await send("get", "/api/journals/pending-review", "supervisorWX")).body)).toEqual([ids.pendingWX]);
    expect(pending((await send("get", "/api/journals/pending-review", "manager")).body)).toEqual([ids.pendingOwn, ids.pendingAA1, ids.pendingWX, ids.pendingAA2]);
    expect(pending((await send("get", "/api/journals/pending-review?location=Wixom", "manager")).body)).toEqual([ids.pendingWX]);
    const page = await send("get", "/api/journals/pending-review?page=2&page_size=1", "supervisorAA");
    expect(page.body.page).toEqual(expect.objectContaining({ number: 2, size: 1 }));
  });

  it("answers the same as GraphQL's pendingReviewCallJournals", async () => {
    const body = await gql(`{ pendingReviewCallJournals { nodes { rowId callSummary } } }`, "supervisorAA");
    expect((body.data?.pendingReviewCallJournals as { nodes: { rowId: string; callSummary: string }[] }).nodes.filter((n) => n.callSummary === PENDING).map((n) => n.rowId))
      .toEqual([ids.pendingAA1, ids.pendingAA2]);
  });

  it("refuses people without reviewJournals (403), and an unknown location (400)", async () => {
    await refused(() => send("get", "/api/journals/pending-review", "agentAA"), 403, "CC202");
    await refused(() => send("get", "/api/journals/pending-review", "staff"), 403, "CC202");
    expect((await gql(`{ pendingReviewCallJournals { nodes { rowId } } }`, "agentAA")).errors?.[0]?.extensions?.code).toBe("CC202");
    await refused(() => send("get", "/api/journals/pending-review?location=Detroit", "manager"), 400, "CC715", "location");
    await refused(() => send("get", "/api/journals/pending-review?page_size=500", "manager"), 400, "INVALID_INPUT", "page_size");
  });
});

describe("PUT /api/journals/{id}/review", () => {
  const reviewDoc = `mutation($id: UUID!, $score: Int) { reviewCallJournal(input: { journalId: $id, reviewScore: $score, coachingNotes: "Confirm the callback number" }) {
    callJournal { journalStatus reviewScore reviewedBy coachingNotesMasked } } }`;
  const approveDoc = `mutation($id: UUID!) { approveCallJournal(input: { journalId: $id }) { callJournal { journalStatus } } }`;
  const submitted = () => makeJournal(db.owner, { call: ids.callAA5!, agent: cast.agentAA.email, status: "submitted" });
  const reviewed = () => makeJournal(db.owner, { call: ids.callAA5!, agent: cast.agentAA.email, status: "reviewed", reviewedBy: cast.supervisorAA.email, score: 72 });
  const told = (id: string) => rows(db.owner, "select n.notification_type, n.title, n.body from app_public.notifications n where n.data ->> 'journal_id' = $1 order by n.created_at, n.notification_type", [id]);

  it("reviews a submitted journal with a score and coaching notes, and tells its agent", async () => {
    const id = await submitted();
    const res = await send("put", `/api/journals/${id}/review`, "supervisorAA", {
      review_score: 85, coaching_notes: "Summarise the next step before ending the call", commendation_worthy: true, improvement_areas: ["Call closing"],
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual(expect.objectContaining({
      id, journal_status: "reviewed", review_score: 85, reviewed_by: cast.supervisorAA.email, reviewed_at: expect.any(String),
      coaching_notes_masked: "[protected: 46 characters]", commendation_worthy: true, improvement_areas: ["Call closing"],
    }));
    expect(await told(id)).toEqual([
      { notification_type: "journal_reviewed", title: "Your call journal was reviewed", body: expect.stringMatching(/^sup\.aa reviewed your journal of a call on \d{4}-\d{2}-\d{2}: 85 of 100\.$/) },
    ]);
  });

  it("reviews through GraphQL's reviewCallJournal, and approves through approveCallJournal", async () => {
    const id = await submitted();
    const body = await gql(reviewDoc, "supervisorAA", { id, score: 91 });
    expect(body.data?.reviewCallJournal).toEqual({ callJournal: { journalStatus: "reviewed", reviewScore: 91, reviewedBy: cast.supervisorAA.email, coachingNotesMasked: "[protected: 27 characters]" } });
    expect((await gql(approveDoc, "manager", { id })).data?.approveCallJournal).toEqual({ callJournal: { journalStatus: "approved" } });
    expect((await told(id)).map((n) => n.notification_type)).toEqual(["journal_reviewed", "journal_approved"]);
  });

  it("approves a reviewed journal with {action: approve}, and tells its agent once", async () => {
    const id = await reviewed();
    const res = await send("put", `/api/journals/${id}/review`, "manager", { action: "approve" });
    expect([res.status, res.body.journal_status, res.body.review_score, res.body.reviewed_by]).toEqual([200, "approved", 72, cast.supervisorAA.email]);
    expect(await told(id)).toEqual([{ notification_type: "journal_approved", title: "Your call journal was approved", body: expect.stringMatching(/^manager approved your journal/) }]);
    await refused(() => send("put", `/api/journals/${id}/review`, "manager", { action: "approve" }), 409, "CC203", "journal_status");
  });

  it("refuses people without reviewJournals (403)", async () => {
    const id = await submitted();
    await refused(() => send("put", `/api/journals/${id}/review`, "agentAA", { review_score: 100 }), 403, "CC202");
    await refused(() => send("put", `/api/journals/${id}/review`, "agentWX", { review_score: 100 }), 403, "CC202");
    await gqlRefused(reviewDoc, "agentAA", { id, score: 100 }, "CC202");
    const done = await reviewed();
    await refused(() => send("put", `/api/journals/${done}/review`, "agentAA", { action: "approve" }), 403, "CC202");
    await gqlRefused(approveDoc, "agentAA", { id: done }, "CC202");
  });

  it("refuses reviewing or approving one's own journal (403), through REST and GraphQL", async () => {
    const own = await makeJournal(db.owner, { call: ids.callAA5!, agent: cast.supervisorAA.email, status: "submitted" });
    await refused(() => send("put", `/api/journals/${own}/review`, "supervisorAA", { review_score: 100 }), 403, "CC204");
    await gqlRefused(reviewDoc, "supervisorAA", { id: own, score: 100 }, "CC204");
    const ownReviewed = await makeJournal(db.owner, { call: ids.callAA5!, agent: cast.manager.email, status: "reviewed", reviewedBy: cast.supervisorAA.email });
    await refused(() => send("put", `/api/journals/${ownReviewed}/review`, "manager", { action: "approve" }), 403, "CC204");
    await gqlRefused(approveDoc, "manager", { id: ownReviewed }, "CC204");
    // nor through the journal itself
    await gqlRefused(`mutation($id: UUID!) { updateCallJournalByRowId(input: { rowId: $id, callJournalPatch: { journalStatus: "approved" } }) { callJournal { rowId } } }`,
      "manager", { id: ownReviewed }, "CC204");
  });

  it("refuses reviewing a journal you wrote in an agent's name (403): it is yours too", async () => {
    // supervisorAA writes a journal about agentAA's call, in agentAA's name, and submits it: another reviewer must review it.
    const res = await send("post", "/api/call-journals", "supervisorAA", { call_record_id: ids.callAA5!, agent_email: cast.agentAA.email, call_summary: "Wrote it for the agent", journal_status: "submitted" });
    expect([res.status, res.body.created_by]).toEqual([201, cast.supervisorAA.email]);
    await refused(() => send("put", `/api/journals/${res.body.id}/review`, "supervisorAA", { review_score: 100 }), 403, "CC204");
    await gqlRefused(reviewDoc, "supervisorAA", { id: res.body.id, score: 100 }, "CC204");
    expect((await journal(res.body.id)).journal_status).toBe("submitted");
    const pending = await send("get", "/api/journals/pending-review", "supervisorAA");
    expect(pending.body.data.map((j: { id: string }) => j.id)).not.toContain(res.body.id);
    // The manager may review it.
    expect((await send("put", `/api/journals/${res.body.id}/review`, "manager", { review_score: 90 })).status).toBe(200);
  });

  it.each([
    ["a score above 100", { review_score: 101 }, "CC721", "review_score"],
    ["a score of 0", { review_score: 0 }, "CC721", "review_score"],
    ["no score", { coaching_notes: "Good call" }, "CC721", "review_score"],
    ["a score that is not a whole number", { review_score: 85.5 }, "INVALID_INPUT", "review_score"],
    ["a score as text", { review_score: "85" }, "INVALID_INPUT", "review_score"],
    ["an action that is not one", { action: "reject" }, "INVALID_INPUT", "action"],
    ["review fields with approve", { action: "approve", review_score: 80 }, "INVALID_INPUT", "review_score"],
    ["a card number in the coaching notes", { review_score: 80, coaching_notes: `Do not write ${CARD} down` }, "CC722", "coaching_notes"],
  ])("answers %s with 400 naming the field, changing nothing", async (_what, body, code, field) => {
    const id = await submitted();
    await refused(() => send("put", `/api/journals/${id}/review`, "supervisorAA", body), 400, code, field);
  });

  it("refuses a review out of order with 409: a draft, an approved journal; approving a submitted one", async () => {
    const draft = await makeJournal(db.owner, { call: ids.callAA5!, agent: cast.agentAA.email });
    await refused(() => send("put", `/api/journals/${draft}/review`, "supervisorAA", { review_score: 80 }), 409, "CC203", "journal_status");
    await gqlRefused(reviewDoc, "supervisorAA", { id: draft, score: 80 }, "CC203");
    const approved = await makeJournal(db.owner, { call: ids.callAA5!, agent: cast.agentAA.email, status: "approved", reviewedBy: cast.supervisorAA.email });
    await refused(() => send("put", `/api/journals/${approved}/review`, "supervisorAA", { review_score: 80 }), 409, "CC203", "journal_status");
    const id = await submitted();
    await refused(() => send("put", `/api/journals/${id}/review`, "manager", { action: "approve" }), 409, "CC203", "journal_status");
    await gqlRefused(approveDoc, "manager", { id }, "CC203");
  });

  it("answers a journal one may not see, or none, with 404", async () => {
    const id = await submitted();
    await refused(() => send("put", `/api/journals/${id}/review`, "supervisorWX", { review_score: 80 }), 404, "NOT_FOUND", "id");
    await refused(() => send("put", `/api/journals/${NO_SUCH}/review`, "manager", { review_score: 80 }), 404, "NOT_FOUND", "id");
    await refused(() => send("put", `/api/journals/${NO_SUCH}/review`, "manager", { action: "approve" }), 404, "NOT_FOUND", "id");
    await gqlRefused(reviewDoc, "supervisorWX", { id, score: 80 }, "CC205");
    await refused(() => send("put", "/api/journals/42/review", "manager", { review_score: 80 }), 400, "INVALID_INPUT", "id");
  });
});

describe("GET /api/journals/search", () => {
  const found = (body: Record<string, any>) => (body.data as { call_summary: string }[]).map((j) => j.call_summary); // eslint-disable-line @typescript-eslint/no-explicit-any
  beforeAll(async () => {
    const call = await makeCall(db.owner, "j-aa-search", "Ann Arbor", cast.agentAA.email);
    const wx = await makeCall(db.owner, "j-wx-search", "Wixom", cast.agentWX.email);
    // Written oldest first: S3, S1, S2.
    await makeJournal(db.owner, { call: wx, agent: cast.agentWX.email, summary: "S3 psoriasis", tags: ["search", "dermatitis"], status: "reviewed", reviewedBy: cast.supervisorWX.email, score: 95,
      followUp: { type: "appointment", date: "2026-12-20" } });
    await makeJournal(db.owner, { call, agent: cast.agentAA.email, summary: "S1 eczema cream question", tags: ["search", "dermatitis"], status: "submitted" });
    await makeJournal(db.owner, { call, agent: cast.agentAA.email, summary: "S2 billing", tags: ["search", "billing"], notes: "patient mentioned psoriasis flare",
      followUp: { type: "callback", date: "2026-12-01" } });
  });

  it("finds by words (full text and the protected notes' blind index), tags, agent, status, location and follow-up due, for whoever may see them", async () => {
    const q = async (query: string, who: Persona = "manager") => found((await send("get", `/api/journals/search?${query}`, who)).body);
    expect(await q("tags=search")).toEqual(["S2 billing", "S1 eczema cream question", "S3 psoriasis"]);
    expect(await q("q=psoriasis")).toEqual(["S2 billing", "S3 psoriasis"]);
    expect(await q("q=eczema")).toEqual(["S1 eczema cream question"]);
    expect(await q("tags=search,dermatitis")).toEqual(["S1 eczema cream question", "S3 psoriasis"]);
    expect(await q(`tags=search&agent=${cast.agentWX.email}`)).toEqual(["S3 psoriasis"]);
    expect(await q("tags=search&status=submitted")).toEqual(["S1 eczema cream question"]);
    expect(await q("tags=search&location=Ann%20Arbor")).toEqual(["S2 billing", "S1 eczema cream question"]);
    expect(await q("tags=search&follow_up_due_by=2026-12-05")).toEqual(["S2 billing"]);
    expect(await q("tags=search&sort=-review_score")).toEqual(["S3 psoriasis", "S2 billing", "S1 eczema cream question"]);
    expect(await q("tags=search&from=2020-01-01T00:00:00Z&to=2020-06-01T00:00:00Z")).toEqual([]);
    expect(await q("tags=search", "agentAA")).toEqual(["S2 billing", "S1 eczema cream question"]);
    expect(await q("tags=search", "supervisorWX")).toEqual(["S3 psoriasis"]);
    expect(await q("")).toEqual([]);
    const page = await send("get", "/api/journals/search?tags=search&page=2&page_size=2", "manager");
    expect([found(page.body), page.body.page]).toEqual([["S3 psoriasis"], { number: 2, size: 2, total_count: 3, has_next: false }]);
  });

  it("answers the same as GraphQL's searchCallJournals", async () => {
    const body = await gql(`{ searchCallJournals(tags: ["search"], query: "psoriasis", followUpDueBy: "2026-12-31", sort: "follow_up_date") { totalCount nodes { callSummary } } }`, "manager");
    expect(body.data?.searchCallJournals).toEqual({ totalCount: 2, nodes: [{ callSummary: "S2 billing" }, { callSummary: "S3 psoriasis" }] });
  });

  it.each([
    ["a status that is not one", "tags=search&status=lost", "status", "INVALID_INPUT"],
    ["a sort that is not one", "tags=search&sort=mood", "sort", "INVALID_INPUT"],
    ["a range over 366 days", "tags=search&from=2024-01-01T00:00:00Z&to=2026-01-01T00:00:00Z", "from", "CC713"],
    ["an end before the start", "tags=search&from=2026-03-11T00:00:00Z&to=2026-03-10T00:00:00Z", "to", "CC712"],
    ["an unknown location", "tags=search&location=Detroit", "location", "CC715"],
    ["more than 300 characters", `q=${"e".repeat(301)}`, "q", "CC701"],
    ["a day that is not one", "follow_up_due_by=tomorrow", "follow_up_due_by", "INVALID_INPUT"],
    ["an agent that does not exist", "agent=bob", "agent", "CC715"],
  ])("answers %s with 400 naming the field", async (_what, query, field, code) => {
    await refused(() => send("get", `/api/journals/search?${query}`, "manager"), 400, code, field);
  });

  it("refuses without a token (401)", async () => {
    expect((await send("get", "/api/journals/search?tags=search")).status).toBe(401);
  });
});
