/**
 * Campaigns through the REST door and GraphQL (issue 18):
 * POST /api/campaigns/create, PUT /api/campaigns/{id}/assign,
 * PUT /api/campaigns/{id}/status, POST /api/campaigns/{id}/calls,
 * GET /api/campaigns/performance; outbound calls attributed by rule (the
 * dialled list, kept as keyed hashes, or the campaign code) while the
 * campaign is active; performance computed from attempts and calls. Each
 * path: a REST and a GraphQL call, a refused role, bad input answered with
 * its status and nothing changed.
 */
import { runJobs } from "../helpers/jobs.js";
import { createTestDatabase, type TestDatabase } from "../helpers/db.js";
import { createCast, createUser, type Cast } from "../helpers/users.js";
import { signToken, startTestServer, type TestServer } from "../helpers/server.js";
import { call, talk } from "../helpers/calls.js";
import { restClient, type RestClient } from "../helpers/rest.js";
import { numberOf, one, rows } from "../helpers/query.js";
import type { Session } from "../../server/auth.js";

let db: TestDatabase;
let server: TestServer;
let cast: Cast;
let rest: RestClient;
let agent2: Session;
let recall: string;

const PATIENT_1 = "+1 (734) 555-0101";
const PATIENT_2 = "734-555-0102";

beforeAll(async () => {
  db = await createTestDatabase();
  cast = await createCast(db.owner);
  agent2 = await createUser(db.owner, { email: "agent2.aa@gangerdermatology.com", role: "call_center_agent", locations: ["Ann Arbor"] });
  await db.owner.query(`insert into app_public.agents (extension, user_email, location_name) values ('101', $1, 'Ann Arbor'), ('102', $2, 'Ann Arbor'), ('201', $3, 'Wixom')`, [
    cast.agentAA.email, agent2.email, cast.agentWX.email,
  ]);
  server = await startTestServer(db.authenticatorUrl);
  rest = await restClient(server);
});
afterAll(async () => {
  await server.close();
  await db.drop();
});

const token = (who: keyof Cast | Session) => signToken({ email: typeof who === "string" ? cast[who].email : who.email });
const send = async (method: "get" | "post" | "put", path: string, who: keyof Cast | Session, body?: unknown) => rest.send(method, path, await token(who), body);
const graphql = async (query: string, who: keyof Cast | Session, variables?: Record<string, unknown>) => (await server.graphql(query, await token(who), variables)).body;
const count = (table: string) => numberOf(db.owner, `select count(*) from ${table}`);
const campaign = (id: string) => one(db.owner, `select campaign_status, assigned_agents::text[] as agents, calls_attempted, calls_completed, successful_outcomes,
  conversion_rate::text from app_public.call_campaigns where id = $1`, [id]);
const notes = (email: string) => rows(db.owner, `select n.notification_type as type, n.data ->> 'campaign_id' as campaign from app_public.notifications n
  join app_public.users u on u.id = n.user_id where u.email = $1 and n.notification_type like 'campaign%' order by n.created_at`, [email]);
/** An outbound call by an agent's extension to a number; answered after 10 s when talked, a minute long. */
const outbound = (id: string, ext: string, to: string, at: string, opts: { answered?: boolean; code?: string } = {}) => {
  const after = (s: number) => new Date(Date.parse(at) + s * 1000).toISOString();
  const c = opts.answered
    ? talk(id, ext, at, after(10), after(70), { direction: "outbound", caller: to, called: to, queue: null })
    : call(id, at, after(30), { direction: "outbound", caller: to, called: to, queue: null, endedBy: "system",
        legs: [{ key: "1", agent: ext, start: at, end: after(30) }] });
  return opts.code ? { ...c, campaign_code: opts.code } : c;
};
const ingest = (calls: unknown[]) => db.owner.query("select outcome from app_private.ingest_calls($1::jsonb)", [JSON.stringify(calls)]);
const campaignOf = async (callId: string) => (await one(db.owner, "select campaign_id from app_public.call_center_records where call_id = $1", [callId])).campaign_id;

describe("POST /api/campaigns/create", () => {
  it("creates a campaign for a location with its agents (notified) and its dialled list as keyed hashes only: 201 in the PRD's names", async () => {
    const res = await send("post", "/api/campaigns/create", "manager", {
      campaign_name: "Spring recall", campaign_type: "follow_up", location: "Ann Arbor", start_date: "2026-03-01", end_date: "2026-03-31",
      target_audience: "Patients due for a skin check", target_call_count: 200, target_conversion_rate: 40, campaign_code: "**recall",
      agents: [cast.agentAA.email], dialled_numbers: [PATIENT_1, PATIENT_2, "(734) 555-0101"], talking_points: ["Offer a morning slot"],
    });
    expect(res.status).toBe(201);
    recall = res.body.id;
    expect(res.body).toMatchObject({
      campaign_name: "Spring recall", location: "Ann Arbor", campaign_status: "planned", target_conversion_rate: "40.00", conversion_rate: null,
      assigned_agents: [cast.agentAA.email], campaign_code: "RECALL", dialled_number_count: 2, calls_attempted: 0, created_by: cast.manager.email,
      status_history: { nodes: [expect.objectContaining({ old_status: null, new_status: "planned", changed_by: cast.manager.email })] },
    });
    expect(await notes(cast.agentAA.email)).toEqual([{ type: "campaign_assigned", campaign: recall }]);
    // Only hashes: the same keyed hash callers' numbers get, no digits anywhere.
    const stored = await rows(db.owner, `select encode(number_hash, 'hex') as h from app_private.campaign_dialled_numbers where campaign_id = $1 order by 1`, [recall]);
    const expected = await rows(db.owner, `select encode(app_hidden.caller_key(n), 'hex') as h from unnest($1::text[]) n order by 1`, [[PATIENT_1, PATIENT_2]]);
    expect(stored).toEqual(expected);
    expect(JSON.stringify(await rows(db.owner, "select * from app_private.campaign_dialled_numbers"))).not.toMatch(/555.?01/);
  });

  it("creates one through GraphQL's createCampaign too", async () => {
    const body = await graphql(`mutation { createCampaign(input: { campaignName: "Survey", campaignType: "satisfaction_survey", location: "Wixom",
      startDate: "2026-03-01", endDate: "2026-03-31", targetAudience: "Visits last week", agents: ["201"] }) {
      result { campaignName location assignedAgents campaignStatus priorityLevel } } }`, "manager");
    expect(body.errors).toBeUndefined();
    expect(body.data).toEqual({ createCampaign: { result: { campaignName: "Survey", location: "Wixom", assignedAgents: [cast.agentWX.email], campaignStatus: "planned", priorityLevel: "normal" } } });
  });

  it("refuses a supervisor (manageCampaigns) with 403 in both doors, and creates nothing", async () => {
    const before = await count("app_public.call_campaigns");
    const res = await send("post", "/api/campaigns/create", "supervisorAA", {
      campaign_name: "X", campaign_type: "retention", location: "Ann Arbor", start_date: "2026-03-01", end_date: "2026-03-31", target_audience: "Lapsed",
    });
    expect([res.status, res.body.error.code]).toEqual([403, "FORBIDDEN"]);
    const body = await graphql(`mutation { createCampaign(input: { campaignName: "X", campaignType: "retention", location: "Ann Arbor",
      startDate: "2026-03-01", endDate: "2026-03-31", targetAudience: "Lapsed" }) { result { rowId } } }`, "supervisorAA");
    expect(body.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    expect(await count("app_public.call_campaigns")).toBe(before);
  });

  const base = { campaign_name: "Retention", campaign_type: "retention", location: "Ann Arbor", start_date: "2026-03-01", end_date: "2026-03-31", target_audience: "Lapsed" };
  it.each([
    ["an agent of another location", { agents: ["agent.wx@gangerdermatology.com"] }, "CC102", "agents"],
    ["an agent that does not exist", { agents: ["nobody@gangerdermatology.com"] }, "CC102", "agents"],
    ["a dialled number that is not one", { dialled_numbers: [PATIENT_1, "call me"] }, "CC106", "dialled_numbers"],
    ["an unknown location", { location: "Detroit" }, "CC715", "location"],
    ["an end before the start", { end_date: "2026-02-01" }, "CHECK_VIOLATION", "end_date"],
    ["a code that is not letters and digits", { campaign_code: "re-call" }, "CHECK_VIOLATION", "campaign_code"],
    ["a code another open campaign has", { campaign_code: "Recall" }, "CONFLICT", "campaign_code"],
    ["a kind that is not one", { campaign_type: "cold_calls" }, "INVALID_INPUT", "campaign_type"],
  ])("answers %s with its status and code naming the field, and creates nothing", async (_what, change, code, field) => {
    const before = [await count("app_public.call_campaigns"), await count("app_private.campaign_dialled_numbers"), await count("app_public.notifications")];
    const res = await send("post", "/api/campaigns/create", "manager", { ...base, ...change });
    expect([res.status, res.body.error?.code, res.body.error?.field]).toEqual([code === "CONFLICT" ? 409 : 400, code, field]);
    expect([await count("app_public.call_campaigns"), await count("app_private.campaign_dialled_numbers"), await count("app_public.notifications")]).toEqual(before);
  });
});

describe("PUT /api/campaigns/{id}/assign", () => {
  it("assigns an agent of its location (by extension) and notifies them", async () => {
    const res = await send("put", `/api/campaigns/${recall}/assign`, "manager", { assign: ["102"] });
    expect(res.status).toBe(200);
    expect(res.body.assigned_agents).toEqual([cast.agentAA.email, agent2.email]);
    expect(await notes(agent2.email)).toEqual([{ type: "campaign_assigned", campaign: recall }]);
  });

  it("takes an agent off and puts them back through GraphQL's assignCampaignAgents, notifying each move", async () => {
    for (const input of [`unassign: ["${cast.agentAA.email}"]`, `assign: ["101"]`]) {
      const body = await graphql(`mutation($id: UUID!) { assignCampaignAgents(input: { campaignId: $id, ${input} }) { result { assignedAgents } } }`, "manager", { id: recall });
      expect(body.errors).toBeUndefined();
    }
    expect((await campaign(recall)).agents).toEqual([agent2.email, cast.agentAA.email]);
    expect((await notes(cast.agentAA.email)).map((n) => n.type)).toEqual(["campaign_assigned", "campaign_unassigned", "campaign_assigned"]);
  });

  it("refuses a supervisor with 403, and answers an unknown agent 400 and an unknown campaign 404; nothing changes", async () => {
    const before = [(await campaign(recall)).agents, await count("app_public.notifications")];
    const sup = await send("put", `/api/campaigns/${recall}/assign`, "supervisorAA", { assign: ["102"] });
    expect([sup.status, sup.body.error.code]).toEqual([403, "FORBIDDEN"]);
    const wx = await send("put", `/api/campaigns/${recall}/assign`, "manager", { assign: ["201"] });
    expect([wx.status, wx.body.error.code, wx.body.error.field]).toEqual([400, "CC102", "assign"]);
    const nobody = await send("put", `/api/campaigns/${recall}/assign`, "manager", { unassign: ["nobody@gangerdermatology.com"] });
    expect([nobody.status, nobody.body.error.code, nobody.body.error.field]).toEqual([400, "CC102", "unassign"]);
    const none = await send("put", "/api/campaigns/00000000-0000-4000-8000-000000000000/assign", "manager", { assign: ["102"] });
    expect([none.status, none.body.error.code, none.body.error.field]).toEqual([404, "NOT_FOUND", "id"]);
    const body = await graphql(`mutation($id: UUID!) { assignCampaignAgents(input: { campaignId: $id, assign: ["999"] }) { result { rowId } } }`, "manager", { id: recall });
    expect(body.errors?.[0]?.extensions?.code).toBe("CC102");
    expect([(await campaign(recall)).agents, await count("app_public.notifications")]).toEqual(before);
  });
});

describe("PUT /api/campaigns/{id}/status", () => {
  it("moves planned → active (REST) with a reason kept in the history", async () => {
    const res = await send("put", `/api/campaigns/${recall}/status`, "manager", { campaign_status: "active", reason: "Lists are ready" });
    expect(res.status).toBe(200);
    expect(res.body.campaign_status).toBe("active");
    expect(res.body.status_history.nodes.map((n: Record<string, unknown>) => [n.old_status, n.new_status, n.reason])).toEqual([
      [null, "planned", null], ["planned", "active", "Lists are ready"],
    ]);
  });

  it("refuses a move that is not allowed (409 CC103) in both doors, a supervisor (403), an unknown campaign (404); nothing changes", async () => {
    const survey = (await one(db.owner, "select id from app_public.call_campaigns where campaign_name = 'Survey'")).id;
    const done = await graphql(`mutation($id: UUID!) { setCampaignStatus(input: { campaignId: $id, campaignStatus: "completed" }) { result { campaignStatus } } }`, "manager", { id: survey });
    expect(done.errors?.[0]?.extensions?.code).toBe("CC103"); // planned → completed
    const res = await send("put", `/api/campaigns/${recall}/status`, "manager", { campaign_status: "planned" });
    expect([res.status, res.body.error.code, res.body.error.field]).toEqual([409, "CC103", "campaign_status"]);
    const sup = await send("put", `/api/campaigns/${recall}/status`, "supervisorAA", { campaign_status: "paused" });
    expect([sup.status, sup.body.error.code]).toEqual([403, "FORBIDDEN"]);
    const none = await send("put", "/api/campaigns/00000000-0000-4000-8000-000000000000/status", "manager", { campaign_status: "paused" });
    expect(none.status).toBe(404);
    expect([(await campaign(recall)).campaign_status, (await campaign(survey)).campaign_status]).toEqual(["active", "planned"]);
    expect(await count("app_public.call_campaign_status_changes")).toBe(3);
  });

  it("cancels through GraphQL; a cancelled campaign is final and its agents no longer change (409 CC104)", async () => {
    const survey = (await one(db.owner, "select id from app_public.call_campaigns where campaign_name = 'Survey'")).id;
    const body = await graphql(`mutation($id: UUID!) { setCampaignStatus(input: { campaignId: $id, campaignStatus: "cancelled", reason: "No budget" }) { result { campaignStatus } } }`, "manager", { id: survey });
    expect(body.data).toEqual({ setCampaignStatus: { result: { campaignStatus: "cancelled" } } });
    const res = await send("put", `/api/campaigns/${survey}/assign`, "manager", { unassign: ["201"] });
    expect([res.status, res.body.error.code]).toEqual([409, "CC104"]);
  });
});

describe("outbound calls attributed by rule", () => {
  beforeAll(async () => {
    // What happened in March: the campaign went active on 1 March, paused on 15 March 12:00 and resumed on 16 March 12:00 (UTC).
    await db.owner.query(`update app_public.call_campaign_status_changes set changed_at = case new_status when 'planned' then timestamptz '2026-02-27T12:00:00Z'
      else timestamptz '2026-03-01T05:00:00Z' end where campaign_id = $1`, [recall]);
    await db.owner.query(`insert into app_public.call_campaign_status_changes (campaign_id, changed_at, old_status, new_status) values
      ($1, '2026-03-15T12:00:00Z', 'active', 'paused'), ($1, '2026-03-16T12:00:00Z', 'paused', 'active')`, [recall]);
    const { rows: outcomes } = await ingest([
      outbound("X1", "101", PATIENT_1, "2026-03-10T15:00:00Z"), // on the list, not reached
      outbound("X2", "101", "+17345550199", "2026-03-10T16:00:00Z", { answered: true, code: "**Recall" }), // the code dialled, reached
      outbound("X3", "201", PATIENT_1, "2026-03-10T17:00:00Z", { answered: true }), // an agent not on the campaign
      outbound("X4", "101", PATIENT_2, "2026-03-15T15:00:00Z", { answered: true }), // while paused
      outbound("X5", "101", PATIENT_2, "2026-02-27T15:00:00Z", { answered: true }), // before its days
      outbound("X6", "102", PATIENT_2, "2026-03-11T15:00:00Z", { answered: true }), // on the list, reached; its attempt logged below
      outbound("X7", "101", "+17345550199", "2026-03-12T15:00:00Z", { answered: true }), // neither code nor list
    ]);
    expect(outcomes.filter((o) => o.outcome === "rejected")).toEqual([]);
    await runJobs(db);
  });

  it("gives a campaign the calls of its agents to its numbers or with its code, on its days, while it is active", async () => {
    const got = Object.fromEntries(await Promise.all(["X1", "X2", "X3", "X4", "X5", "X6", "X7"].map(async (id) => [id, (await campaignOf(id)) === recall])));
    expect(got).toEqual({ X1: true, X2: true, X3: false, X4: false, X5: false, X6: true, X7: false });
    expect(await one(db.owner, "select campaign_code from app_public.call_center_records where call_id = 'X2'")).toEqual({ campaign_code: "RECALL" });
    // X1 not reached; X2 and X6 reached; none successful yet (no appointment).
    expect(await campaign(recall)).toMatchObject({ calls_attempted: 3, calls_completed: 2, successful_outcomes: 0, conversion_rate: "0.00" });
  });

  it("adds a number to the list later: the calls already in that match are attributed", async () => {
    const body = await graphql(`mutation($id: UUID!) { addCampaignNumbers(input: { campaignId: $id, numbers: ["+17345550199"] }) { result } }`, "manager", { id: recall });
    expect(body.data).toEqual({ addCampaignNumbers: { result: 1 } });
    expect(await campaignOf("X7")).toBe(recall);
    expect((await campaign(recall)).calls_attempted).toBe(4);
  });
});

describe("POST /api/campaigns/{id}/calls", () => {
  it("logs the agent's own call: 201, the number only masked, linked to the 3CX call, counted once", async () => {
    const before = (await campaign(recall)).calls_attempted;
    const res = await send("post", `/api/campaigns/${recall}/calls`, agent2, { outcome: "appointment_scheduled", called_number: PATIENT_2, attempted_at: "2026-03-11T15:02:00Z" });
    expect(res.status).toBe(201);
    const x6 = (await one(db.owner, "select id from app_public.call_center_records where call_id = 'X6'")).id;
    expect(res.body).toMatchObject({ agent_email: agent2.email, outcome: "appointment_scheduled", reached: true, successful: true, called_number_masked: "•••-•••-0102", call_record_id: x6, created_by: agent2.email });
    expect(JSON.stringify(res.body)).not.toMatch(/555.?0102/);
    expect(await one(db.owner, "select called_number, called_number_hash = app_hidden.caller_key($2) as hashed from app_public.campaign_call_attempts where id = $1", [res.body.id, PATIENT_2]))
      .toEqual({ called_number: null, hashed: true });
    // X6 was already one attempt: now it is the logged one, and successful.
    expect(await campaign(recall)).toMatchObject({ calls_attempted: before, successful_outcomes: 1 });
  });

  it("logs one for an agent through GraphQL (a manager), and links a call that comes in afterwards", async () => {
    const body = await graphql(`mutation($id: UUID!) { logCampaignCall(input: { campaignId: $id, agent: "101", outcome: "callback_requested",
      calledNumber: "+1 734 555 0101", attemptedAt: "2026-03-17T14:00:00Z" }) { result { agentEmail reached successful callRecordId } } }`, "manager", { id: recall });
    expect(body.errors).toBeUndefined();
    expect(body.data).toEqual({ logCampaignCall: { result: { agentEmail: cast.agentAA.email, reached: true, successful: false, callRecordId: null } } });
    await ingest([outbound("X8", "101", PATIENT_1, "2026-03-17T14:01:00Z", { answered: true })]);
    const x8 = await one(db.owner, "select id, campaign_id from app_public.call_center_records where call_id = 'X8'");
    expect(x8.campaign_id).toBe(recall);
    expect(await one(db.owner, "select count(*)::int as n from app_public.campaign_call_attempts where call_record_id = $1", [x8.id])).toEqual({ n: 1 });
    // X1, X2, X6 (logged), X7, and X8 with its attempt: 5; reached X2, X6, X7, X8.
    expect(await campaign(recall)).toMatchObject({ calls_attempted: 5, calls_completed: 4, successful_outcomes: 1, conversion_rate: "25.00" });
  });

  it("refuses staff with 403 and an agent logging for another agent with 403, in both doors; nothing is logged", async () => {
    const before = await count("app_public.campaign_call_attempts");
    const staff = await send("post", `/api/campaigns/${recall}/calls`, "staff", { outcome: "no_answer" });
    expect([staff.status, staff.body.error.code]).toEqual([403, "FORBIDDEN"]);
    const other = await send("post", `/api/campaigns/${recall}/calls`, "agentAA", { outcome: "no_answer", agent: agent2.email, attempted_at: "2026-03-12T14:00:00Z" });
    expect([other.status, other.body.error.code]).toEqual([403, "FORBIDDEN"]);
    const body = await graphql(`mutation($id: UUID!) { logCampaignCall(input: { campaignId: $id, outcome: "busy" }) { result { rowId } } }`, "staff", { id: recall });
    expect(body.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    expect(await count("app_public.campaign_call_attempts")).toBe(before);
  });

  it.each([
    ["an agent not on the campaign", { outcome: "no_answer", agent: "201" }, 400, "CC107", "agent"],
    ["an agent that does not exist", { outcome: "no_answer", agent: "nobody@gangerdermatology.com" }, 400, "CC107", "agent"],
    ["a time not on the campaign's days", { outcome: "no_answer", agent: "101", attempted_at: "2026-04-02T14:00:00Z" }, 400, "CC108", "attempted_at"],
    ["a number that is not one", { outcome: "no_answer", agent: "101", called_number: "none", attempted_at: "2026-03-12T14:00:00Z" }, 400, "CC106", "called_number"],
    ["a 3CX call that is not the agent's", { outcome: "declined", agent: "101", call_id: "X3", attempted_at: "2026-03-12T14:00:00Z" }, 400, "CC109", "call_id"],
    ["an outcome that is not one", { outcome: "maybe" }, 400, "INVALID_INPUT", "outcome"],
  ])("answers %s with its status and code naming the field, and logs nothing", async (_what, body, status, code, field) => {
    const before = await count("app_public.campaign_call_attempts");
    const res = await send("post", `/api/campaigns/${recall}/calls`, "manager", body);
    expect([res.status, res.body.error?.code, res.body.error?.field]).toEqual([status, code, field]);
    expect(await count("app_public.campaign_call_attempts")).toBe(before);
  });

  it("answers 409 CC104 for a campaign that is not active, and 404 for an unknown one", async () => {
    const survey = (await one(db.owner, "select id from app_public.call_campaigns where campaign_name = 'Survey'")).id;
    const res = await send("post", `/api/campaigns/${survey}/calls`, "agentWX", { outcome: "no_answer" });
    expect([res.status, res.body.error.code]).toEqual([409, "CC104"]);
    const none = await send("post", "/api/campaigns/00000000-0000-4000-8000-000000000000/calls", "manager", { outcome: "no_answer" });
    expect([none.status, none.body.error.field]).toEqual([404, "id"]);
  });
});

describe("GET /api/campaigns/performance", () => {
  it("gives a manager each campaign, agent and day: attempts, completed, successful, conversion against the target", async () => {
    await db.owner.query("update app_public.call_center_records set appointment_scheduled = true where call_id = 'X2'");
    const res = await send("get", `/api/campaigns/performance?from=2026-03-01&to=2026-03-31&campaign_id=${recall}`, "manager");
    expect(res.status).toBe(200);
    const got = res.body.data.map((r: Record<string, unknown>) => [r.business_day, r.agent_email, r.calls_attempted, r.calls_completed, r.successful_outcomes,
      r.conversion_rate, r.target_conversion_rate, r.conversion_vs_target_pct, r.logged_attempts, r.unlogged_calls]);
    expect(got).toEqual([
      ["2026-03-10", cast.agentAA.email, 2, 1, 1, "100.00", "40.00", "60.00", 0, 2], // X1 not reached; X2 reached, appointment
      ["2026-03-11", agent2.email, 1, 1, 1, "100.00", "40.00", "60.00", 1, 0], // X6 and its logged attempt, once
      ["2026-03-12", cast.agentAA.email, 1, 1, 0, "0.00", "40.00", "-40.00", 0, 1], // X7
      ["2026-03-17", cast.agentAA.email, 1, 1, 0, "0.00", "40.00", "-40.00", 1, 0], // X8 with its attempt
    ]);
    expect(await campaign(recall)).toMatchObject({ calls_attempted: 5, calls_completed: 4, successful_outcomes: 2, conversion_rate: "50.00" });
    const body = await graphql(`{ campaignPerformance(fromDay: "2026-03-10", toDay: "2026-03-10", agent: "101") { nodes { campaignName callsAttempted conversionPct } } }`, "manager");
    expect(body.data).toEqual({ campaignPerformance: { nodes: [{ campaignName: "Spring recall", callsAttempted: 2, conversionPct: "100.00" }] } });
  });

  it("gives an agent their own rows, a supervisor their location's, another location's supervisor none", async () => {
    const own = await send("get", "/api/campaigns/performance?from=2026-03-01&to=2026-03-31", agent2);
    expect(own.body.data.map((r: Record<string, unknown>) => [r.agent_email, r.business_day])).toEqual([[agent2.email, "2026-03-11"]]);
    const sup = await send("get", "/api/campaigns/performance?from=2026-03-01&to=2026-03-31&location=Ann%20Arbor", "supervisorAA");
    expect(sup.body.page.total_count).toBe(4);
    const wx = await send("get", "/api/campaigns/performance?from=2026-03-01&to=2026-03-31", "supervisorWX");
    expect(wx.body.data).toEqual([]);
  });

  it("refuses a location's rows to an agent (viewTeamPerformance) with 403, in both doors", async () => {
    const res = await send("get", "/api/campaigns/performance?from=2026-03-01&to=2026-03-31&location=Ann%20Arbor", "agentAA");
    expect([res.status, res.body.error.code]).toEqual([403, "FORBIDDEN"]);
    const body = await graphql(`{ campaignPerformance(fromDay: "2026-03-01", toDay: "2026-03-31", location: "Ann Arbor") { nodes { campaignId } } }`, "agentAA");
    expect(body.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
  });

  it.each([
    ["an unknown agent", "from=2026-03-01&to=2026-03-31&agent=nobody@gangerdermatology.com", 404, "NOT_FOUND", "agent"],
    ["an unknown location", "from=2026-03-01&to=2026-03-31&location=Detroit", 400, "CC715", "location"],
    ["a range over 366 days", "from=2025-01-01&to=2026-03-31", 400, "CC713", "to"],
    ["a campaign id that is not one", "from=2026-03-01&to=2026-03-31&campaign_id=7", 400, "INVALID_INPUT", "campaign_id"],
  ])("answers %s with its status and code", async (_what, query, status, code, field) => {
    const res = await send("get", `/api/campaigns/performance?${query}`, "manager");
    expect([res.status, res.body.error?.code, res.body.error?.field]).toEqual([status, code, field]);
  });
});
