/**
 * The rules hold at the API, not only in SQL: one table per role, through the
 * real /graphql endpoint, allowed and denied.
 */
import { createTestDatabase, type TestDatabase } from "../helpers/db.js";
import { createCast, type Cast } from "../helpers/users.js";
import { signToken, startTestServer, type TestServer } from "../helpers/server.js";

let db: TestDatabase;
let cast: Cast;
let server: TestServer;
const ids: Record<string, string> = {};
const token = (email: string) => signToken({ email });

beforeAll(async () => {
  db = await createTestDatabase();
  cast = await createCast(db.owner);
  server = await startTestServer(db.authenticatorUrl);
  const call = async (callId: string, loc: string, agent: string) =>
    (await db.owner.query(
      `insert into app_public.call_center_records (call_id, location, agent_email, call_direction, call_start_time, call_answer_time, call_end_time, call_status)
       values ($1, $2, $3, 'inbound', now() - interval '5 minutes', now() - interval '4 minutes', now(), 'completed') returning id`, [callId, loc, agent])).rows[0].id;
  ids.callAA = await call("g-aa", "Ann Arbor", "agent.aa@gangerdermatology.com");
  ids.callWX = await call("g-wx", "Wixom", "agent.wx@gangerdermatology.com");
  for (const [agent, loc] of [["agent.aa@gangerdermatology.com", "Ann Arbor"], ["agent.wx@gangerdermatology.com", "Wixom"]]) {
    await db.owner.query(`insert into app_public.agent_shifts (agent_email, agent_name, location, shift_date, scheduled_start_time, scheduled_end_time) values ($1, 'A', $2, '2026-11-02', '08:00', '16:00')`, [agent, loc]);
  }
  await db.owner.query(`insert into app_public.team_performance_metrics (reporting_period, location, total_agents, active_agents) values ('2026-11-02', 'Ann Arbor', 2, 2), ('2026-11-02', 'Wixom', 2, 2), ('2026-11-02', null, 4, 4)`);
});
afterAll(async () => {
  await server.close();
  await db.drop();
});

describe("staff: call journals", () => {
  it("cannot write a journal (editCallJournals is for agents and up)", async () => {
    const res = await server.graphql(`mutation($id: UUID!) { createCallJournal(input: { callJournal: { callRecordId: $id, callSummary: "x" } }) { callJournal { rowId } } }`,
      await token(cast.staff.email), { id: ids.callAA });
    expect(res.body.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
  });
});

describe("call_center_agent: calls and journals", () => {
  it("sees only their own calls", async () => {
    const res = await server.graphql(`{ allCallCenterRecords { nodes { callId } } }`, await token(cast.agentAA.email));
    expect(res.body.data).toEqual({ allCallCenterRecords: { nodes: [{ callId: "g-aa" }] } });
  });
  it("writes a journal on their own call, and is the journal's agent", async () => {
    const res = await server.graphql(`mutation($id: UUID!) { createCallJournal(input: { callJournal: { callRecordId: $id, callSummary: "Refill" } }) { callJournal { agentEmail journalStatus } } }`,
      await token(cast.agentAA.email), { id: ids.callAA });
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data?.createCallJournal).toEqual({ callJournal: { agentEmail: "agent.aa@gangerdermatology.com", journalStatus: "draft" } });
  });
  it("cannot write a journal on another agent's call", async () => {
    const res = await server.graphql(`mutation($id: UUID!) { createCallJournal(input: { callJournal: { callRecordId: $id, callSummary: "x" } }) { callJournal { rowId } } }`,
      await token(cast.agentAA.email), { id: ids.callWX });
    expect(res.body.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
  });
  it("cannot change a call's timings (not in the API at all)", async () => {
    const res = await server.graphql(`mutation($id: UUID!) { updateCallCenterRecordByRowId(input: { rowId: $id, callCenterRecordPatch: { callEndTime: "2020-01-01T00:00:00Z" } }) { callCenterRecord { callId } } }`,
      await token(cast.agentAA.email), { id: ids.callAA });
    expect(res.body.errors?.[0]?.message).toMatch(/callEndTime/);
  });
});

describe("supervisor: shifts", () => {
  it("sees the shifts of their location only", async () => {
    const res = await server.graphql(`{ allAgentShifts(orderBy: LOCATION_ASC) { nodes { location agentEmail } } }`, await token(cast.supervisorAA.email));
    expect(res.body.data).toEqual({ allAgentShifts: { nodes: [{ location: "Ann Arbor", agentEmail: "agent.aa@gangerdermatology.com" }] } });
  });
  it("schedules a shift at their location but not at another", async () => {
    const t = await token(cast.supervisorAA.email);
    const ok = await server.graphql(`mutation { createAgentShift(input: { agentShift: { agentEmail: "agent.aa@gangerdermatology.com", agentName: "A", location: "Ann Arbor", shiftDate: "2026-11-03", scheduledStartTime: "08:00", scheduledEndTime: "16:00" } }) { agentShift { location } } }`, t);
    expect(ok.body.errors).toBeUndefined();
    const denied = await server.graphql(`mutation { createAgentShift(input: { agentShift: { agentEmail: "agent.wx@gangerdermatology.com", agentName: "A", location: "Wixom", shiftDate: "2026-11-03", scheduledStartTime: "08:00", scheduledEndTime: "16:00" } }) { agentShift { location } } }`, t);
    expect(denied.body.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
  });
});

describe("manager: team metrics and settings", () => {
  it("sees every location's team row and the practice-wide one", async () => {
    const res = await server.graphql(`{ allTeamPerformanceMetrics { totalCount } }`, await token(cast.manager.email));
    expect(res.body.data).toEqual({ allTeamPerformanceMetrics: { totalCount: 3 } });
  });
  it("a supervisor sees only their location's team row", async () => {
    const res = await server.graphql(`{ allTeamPerformanceMetrics { nodes { location } } }`, await token(cast.supervisorWX.email));
    expect(res.body.data).toEqual({ allTeamPerformanceMetrics: { nodes: [{ location: "Wixom" }] } });
  });
  it("configures a queue's KPI settings; a supervisor cannot", async () => {
    await db.owner.query(`insert into app_public.queues (name, location_name) values ('Front Desk', 'Ann Arbor')`);
    const m = `mutation { createQueueKpiSetting(input: { queueKpiSetting: { queueName: "Front Desk", slThresholdSeconds: 30 } }) { queueKpiSetting { slThresholdSeconds abandonMode } } }`;
    const denied = await server.graphql(m, await token(cast.supervisorAA.email));
    expect(denied.body.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    const ok = await server.graphql(m, await token(cast.manager.email));
    expect(ok.body.data?.createQueueKpiSetting).toEqual({ queueKpiSetting: { slThresholdSeconds: 30, abandonMode: "negative" } });
  });
});

describe("superadmin: the permission matrix and the audit log", () => {
  it("reads the audit log; a manager cannot", async () => {
    expect((await server.graphql(`{ allAuditLogs { totalCount } }`, await token(cast.superadmin.email))).body.data?.allAuditLogs).toEqual({ totalCount: expect.any(Number) });
    expect((await server.graphql(`{ allAuditLogs { totalCount } }`, await token(cast.manager.email))).body.data?.allAuditLogs).toEqual({ totalCount: 0 });
  });
  it("grants a permission to a role; a manager cannot", async () => {
    const m = `mutation { createRolePermission(input: { rolePermission: { role: "staff", permission: "generateReports" } }) { rolePermission { role permission } } }`;
    expect((await server.graphql(m, await token(cast.manager.email))).body.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    expect((await server.graphql(m, await token(cast.superadmin.email))).body.data?.createRolePermission).toEqual({ rolePermission: { role: "staff", permission: "generateReports" } });
  });
});
