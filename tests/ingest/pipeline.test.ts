/**
 * CDR ingestion through the webhook and the worker: authentication, limits,
 * raw storage, formats, statuses, dead letters with reasons, idempotency,
 * out-of-order legs, unknown extensions re-attributed, repeat callers.
 */
import { createHmac } from "node:crypto";
import net from "node:net";
import { runJobs, until } from "../helpers/jobs.js";
import { createTestDatabase, inTransaction, personSettings, type TestDatabase } from "../helpers/db.js";
import { numberOf, one, rows } from "../helpers/query.js";
import type { Session } from "../../server/auth.js";
import { createUser } from "../helpers/users.js";
import { startTestServer, testEnv, type TestServer } from "../helpers/server.js";

const SECRET = "cdr-webhook-secret-for-tests";
let db: TestDatabase;
let server: TestServer;
let agent504: Session;

beforeAll(async () => {
  db = await createTestDatabase();
  agent504 = await createUser(db.owner, { email: "agent.504@gangerdermatology.com", role: "call_center_agent", locations: ["Ann Arbor"] });
  await createUser(db.owner, { email: "agent.102@gangerdermatology.com", role: "call_center_agent", locations: ["Wixom"] });
  await db.owner.query(`insert into app_public.agents (extension, user_email, location_name) values ('504', 'agent.504@gangerdermatology.com', 'Ann Arbor'), ('102', 'agent.102@gangerdermatology.com', 'Wixom')`);
  await db.owner.query(`insert into app_public.queues (name, extension, location_name) values ('Ann Arbor front desk', '960', 'Ann Arbor'), ('Wixom front desk', '800', 'Wixom')`);
  await db.owner.query(`delete from graphile_worker._private_jobs`);
  server = await startTestServer(db.authenticatorUrl, { env: { THREECX_CDR_WEBHOOK_SECRET: SECRET, CDR_MAX_BODY_BYTES: "4096" } });
});
afterAll(async () => {
  await server.close();
  await db.drop();
});

const work = () => runJobs(db);
const post = (body: string | Buffer, headers: Record<string, string> = { authorization: `Bearer ${SECRET}` }, type = "text/plain") =>
  fetch(`${server.url}/api/3cx/cdr-webhook`, { method: "POST", headers: { "content-type": type, ...headers }, body });
const rawCount = () => numberOf(db.owner, "select count(*) from app_private.cdr_raw");
const call = (callId: string) =>
  one(db.owner, `select call_status, agent_extension, agent_email::text, queue_name, location, wait_seconds, transfer_count, call_direction,
      caller_number_masked, encode(caller_number_hash, 'hex') as caller_key, call_answer_time, call_start_time, call_end_time
      from app_public.call_center_records where call_id = $1`, [callId]);
const legs = (callId: string) =>
  rows(db.owner, `select leg_key, agent_extension, agent_email::text, outcome from app_public.call_legs where call_id = $1 order by leg_key`, [callId]);
const deadLetters = (rawId: number) =>
  rows(db.owner, `select line_number, field, reason, app_hidden.phi_decrypt_bytea(line_encrypted) as line from app_private.cdr_dead_letters where raw_id = $1 order by id`, [rawId]);

// The public sample line (3CX writes its times in UTC).
const SAMPLE = "Call 612504,00000C21DE5C2470_6531,00:05:36,2026/09/15 13:33:54,2026/09/15 13:33:54,2026/09/15 13:39:31,TerminatedBySrc,+17345550123,Ext.960,10021,960,960,QFwdToDNA,Ext.504,504,,,,,Chain: +17345550123'Ext.960;Ext.963;Ext.509;Ext.504;,Line,Queue,Extension,Jane Caller,Front desk,Agent 504,Ext.963;Ext.509\r\n";

describe("webhook authentication and limits", () => {
  it("refuses a request without credentials: 401 with a reason, nothing stored", async () => {
    const before = await rawCount();
    const res = await post(SAMPLE, {});
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("NO_WEBHOOK_AUTH");
    expect(await rawCount()).toBe(before);
  });
  it("refuses a wrong bearer secret", async () => {
    const res = await post(SAMPLE, { authorization: "Bearer nope" });
    expect(res.status).toBe(401);
  });
  const signed = (body: string, ts: number, secret = SECRET) => ({
    "x-3cx-timestamp": String(ts),
    "x-3cx-signature": `sha256=${createHmac("sha256", secret).update(`${ts}.${body}`).digest("hex")}`,
  });
  it("refuses a wrong signature, and one older than the window, storing nothing", async () => {
    const before = await rawCount();
    const now = Math.floor(Date.now() / 1000);
    expect((await post(SAMPLE, signed(SAMPLE, now, "other-secret"))).status).toBe(401);
    const stale = await post(SAMPLE, signed(SAMPLE, now - 400));
    expect(stale.status).toBe(401);
    expect(((await stale.json()) as { error: { code: string } }).error.code).toBe("STALE_SIGNATURE");
    expect(await rawCount()).toBe(before);
  });
  it("refuses a body over CDR_MAX_BODY_BYTES with 413, storing nothing", async () => {
    const before = await rawCount();
    const res = await post(SAMPLE.repeat(20));
    expect(res.status).toBe(413);
    expect(await rawCount()).toBe(before);
  });
  it("accepts the same signed body twice inside the window: stored twice, one call", async () => {
    const body = SAMPLE.replace("612504", "700001").replace("00000C21DE5C2470_6531", "SIGNED_1");
    const now = Math.floor(Date.now() / 1000);
    const a = await post(body, signed(body, now));
    const b = await post(body, signed(body, now));
    expect([a.status, b.status]).toEqual([202, 202]);
    const ids = [((await a.json()) as { rawIds: number[] }).rawIds[0], ((await b.json()) as { rawIds: number[] }).rawIds[0]];
    expect(ids[0]).not.toBe(ids[1]);
    await work();
    expect(Number((await db.owner.query("select count(*) from app_public.call_center_records where call_id = 'SIGNED_1'")).rows[0].count)).toBe(1);
  });
});

describe("3CX CDR lines", () => {
  it("a queue call answered by agent 504 after 963 and 509 were rung: one call, its legs, attributed", async () => {
    const res = await post(SAMPLE);
    expect(res.status).toBe(202);
    await work();
    const c = await call("00000C21DE5C2470_6531");
    expect(c).toMatchObject({
      call_status: "completed", agent_extension: "504", agent_email: "agent.504@gangerdermatology.com",
      queue_name: "Ann Arbor front desk", location: "Ann Arbor", call_direction: "inbound", transfer_count: 0,
      caller_number_masked: "•••-•••-0123",
      // On a queue record the answer time is the queue's pick-up, not the agent's: the wait is unknown, never a fake 0.
      wait_seconds: null,
    });
    expect(c.call_start_time.toISOString()).toBe("2026-09-15T13:33:54.000Z");
    expect(c.call_end_time.toISOString()).toBe("2026-09-15T13:39:31.000Z");
    expect((await legs("00000C21DE5C2470_6531")).map((l) => [l.agent_extension, l.outcome])).toEqual([
      ["509", "missed"], ["963", "missed"], ["504", "answered"],
    ]);
  });

  it("the same record again changes nothing (idempotent)", async () => {
    const before = await legs("00000C21DE5C2470_6531");
    const res = await post(SAMPLE);
    const [rawId] = ((await res.json()) as { rawIds: number[] }).rawIds;
    await work();
    expect(await legs("00000C21DE5C2470_6531")).toEqual(before);
    // The body is counted as what it was: a re-send that changed nothing.
    expect((await db.owner.query("select status, calls_new, calls_updated, calls_duplicate, records_rejected from app_private.cdr_raw where id = $1", [rawId])).rows[0])
      .toEqual({ status: "processed", calls_new: 0, calls_updated: 0, calls_duplicate: 1, records_rejected: 0 });
    expect(Number((await db.owner.query("select count(*) from app_public.call_center_records where call_id = '00000C21DE5C2470_6531'")).rows[0].count)).toBe(1);
  });

  it("a caller who hangs up in the queue is abandoned, with the wait they had", async () => {
    const line = "Call 612600,ABANDON_1,00:00:40,2026/09/15 14:00:00,,2026/09/15 14:00:40,TerminatedBySrc,+12485550199,Ext.800,10021,800,800,,Ext.800,800,,,,,,Line,Queue,Queue,,,,Ext.102\r\n";
    await post(line);
    await work();
    expect(await call("ABANDON_1")).toMatchObject({ call_status: "abandoned", agent_email: null, wait_seconds: 40, location: "Wixom", queue_name: "Wixom front desk" });
    expect((await legs("ABANDON_1")).map((l) => [l.agent_extension, l.outcome])).toEqual([["102", "missed"]]);
  });

  it("v20 lower-case tokens read the same as v18 CamelCase", async () => {
    const line = "Call 612601,V20_1,00:01:00,2026/09/15 15:00:00,,2026/09/15 15:01:00,src_participant_terminated,+12485550100,Ext.800,10021,800,800,,Ext.800,800,,,,,,external_line,queue,queue,,,,\r\n";
    await post(line);
    await work();
    expect(await call("V20_1")).toMatchObject({ call_status: "abandoned", call_direction: "inbound" });
  });

  it("malformed lines become dead letters with the field and reason; good lines in the same body still count", async () => {
    const good = "Call 612700,GOOD_1,00:00:10,2026/09/16 09:00:00,2026/09/16 09:00:02,2026/09/16 09:00:10,TerminatedByDst,+17345550111,Ext.504,10021,504,504,,Ext.504,504,,,,,,Line,Extension,Extension,,,,\r\n";
    const body = Buffer.concat([
      Buffer.from(good),
      Buffer.from("Call 612701,TRUNC_1,00:00:10\r\n"),
      Buffer.from("Call 612702,BADDATE_1,00:00:10,2026/02/30 09:00:00,,2026/02/30 09:00:10,TerminatedBySrc,+1,Ext.504\r\n"),
      Buffer.from("Call 612703,ORDER_1,00:00:10,2026/09/16 09:00:10,,2026/09/16 09:00:00,TerminatedBySrc,+17345550112,Ext.504\r\n"),
      Buffer.from(`Call ${"1,".repeat(40)}x\r\n`),
      Buffer.from("Call 612704,NUL_1,00:00:10,2026/09/16 09:00:00\u0000,,2026/09/16 09:00:10\r\n"),
      Buffer.from([0x43, 0x61, 0x6c, 0x6c, 0x20, 0xff, 0xfe, 0x2c, 0x0d, 0x0a]),
    ]);
    const res = await post(body);
    const rawId = ((await res.json()) as { rawIds: number[] }).rawIds[0]!;
    await work();
    expect(await call("GOOD_1")).toMatchObject({ call_status: "completed", agent_extension: "504", wait_seconds: 2 });
    const dead = await deadLetters(rawId);
    expect(dead.map((d) => [d.line_number, d.field, d.reason])).toEqual([
      [2, "time-start", "time-start is missing"],
      [3, "time-start", "'2026/02/30 09:00:00' is not a real date and time"],
      [4, "end", "the call ends before it starts"],
      [5, "line", "41 fields, but THREECX_CDR_FIELDS lists 27: a field holds a comma (3CX does not quote its fields: a value with a comma, such as the display name \"Doe, Jane\", splits in two), or THREECX_CDR_FIELDS lists fewer fields than the PBX sends"],
      [6, "line", "the line contains NUL bytes"],
      [7, "line", "the line is not valid UTF-8"],
    ]);
    expect(dead[4].line.includes(0)).toBe(true); // the raw lines are kept, bytes and all
    expect(dead[5].line.includes(0xff)).toBe(true);
    const raw = (await db.owner.query("select status, processed_at is not null as done from app_private.cdr_raw where id = $1", [rawId])).rows[0];
    expect(raw).toEqual({ status: "partial", done: true });
  });
});

describe("the neutral format", () => {
  const neutral = (overrides: object = {}, legs?: object[]) => JSON.stringify({
    format: "call", call_id: "N-1", direction: "inbound", caller_number: "+17345550123", caller_name: "Jane Doe",
    called_number: "+17345550000", queue: "800", start: "2026-03-10T09:00:00-04:00", end: "2026-03-10T09:04:10-04:00", ended_by: "caller", voicemail: false,
    legs: legs ?? [
      { leg_id: "1", agent_extension: "101", start: "2026-03-10T09:00:05-04:00", answered: null, end: "2026-03-10T09:00:17-04:00" },
      { leg_id: "2", agent_extension: "102", start: "2026-03-10T09:00:17-04:00", answered: "2026-03-10T09:00:21-04:00", end: "2026-03-10T09:04:10-04:00" },
    ],
    ...overrides,
  });
  it("maps as written: first answering leg gives the agent and the wait; unanswered legs are missed", async () => {
    await post(neutral(), undefined, "application/json");
    await work();
    expect(await call("N-1")).toMatchObject({ call_status: "completed", agent_extension: "102", agent_email: "agent.102@gangerdermatology.com", wait_seconds: 21, transfer_count: 0 });
    expect((await legs("N-1")).map((l) => [l.leg_key, l.agent_extension, l.outcome])).toEqual([["1", "101", "missed"], ["2", "102", "answered"]]);
  });

  it("segments arriving in any order make one call with the right first agent and a transfer", async () => {
    const second = neutral({ call_id: "N-2" }, [{ leg_id: "b", agent_extension: "504", start: "2026-03-10T09:02:00-04:00", answered: "2026-03-10T09:02:05-04:00", end: "2026-03-10T09:04:10-04:00" }]);
    const first = neutral({ call_id: "N-2" }, [{ leg_id: "a", agent_extension: "102", start: "2026-03-10T09:00:05-04:00", answered: "2026-03-10T09:00:09-04:00", end: "2026-03-10T09:02:00-04:00" }]);
    await post(second, undefined, "application/json");
    await work();
    await post(first, undefined, "application/json");
    await work();
    expect(await call("N-2")).toMatchObject({ call_status: "transferred", agent_extension: "102", wait_seconds: 9, transfer_count: 1 });
  });

  it("a call moved from one queue to another belongs to the queue the caller entered, whichever segment arrives first", async () => {
    const later = neutral({ call_id: "N-QQ", queue: "960", start: "2026-03-10T09:02:00-04:00", called_number: "960" },
      [{ leg_id: "b", agent_extension: "504", start: "2026-03-10T09:02:00-04:00", answered: "2026-03-10T09:02:05-04:00", end: "2026-03-10T09:04:10-04:00" }]);
    const earlier = neutral({ call_id: "N-QQ", end: "2026-03-10T09:02:00-04:00" },
      [{ leg_id: "a", agent_extension: "102", start: "2026-03-10T09:00:05-04:00", answered: "2026-03-10T09:00:09-04:00", end: "2026-03-10T09:02:00-04:00" }]);
    await post(later, undefined, "application/json");
    await work();
    const res = await post(earlier, undefined, "application/json");
    const [rawId] = ((await res.json()) as { rawIds: number[] }).rawIds;
    await work();
    expect(await call("N-QQ")).toMatchObject({ queue_name: "Wixom front desk", location: "Wixom", call_status: "transferred", agent_extension: "102", transfer_count: 1 });
    expect((await db.owner.query("select called_number from app_public.call_center_records where call_id = 'N-QQ'")).rows[0].called_number).toBe("+17345550000");
    expect((await db.owner.query("select calls_new, calls_updated from app_private.cdr_raw where id = $1", [rawId])).rows[0]).toEqual({ calls_new: 0, calls_updated: 1 });
  });

  it("the queue entered stays when an agent's segment starts in the same second and a second queue's segment comes before it", async () => {
    const agentSegment = neutral({ call_id: "N-TIE", queue: null, called_number: "102", end: "2026-03-10T09:02:00-04:00" },
      [{ leg_id: "a", agent_extension: "102", start: "2026-03-10T09:00:00-04:00", answered: "2026-03-10T09:00:04-04:00", end: "2026-03-10T09:02:00-04:00" }]);
    const secondQueue = neutral({ call_id: "N-TIE", queue: "960", called_number: "960", start: "2026-03-10T09:02:00-04:00" },
      [{ leg_id: "b", agent_extension: "504", start: "2026-03-10T09:02:10-04:00", answered: "2026-03-10T09:02:15-04:00", end: "2026-03-10T09:04:10-04:00" }]);
    const queueSegment = neutral({ call_id: "N-TIE", end: "2026-03-10T09:00:00-04:00" }, []);
    for (const body of [agentSegment, secondQueue, queueSegment]) {
      await post(body, undefined, "application/json");
      await work();
    }
    expect(await call("N-TIE")).toMatchObject({ queue_name: "Wixom front desk", call_status: "transferred", agent_extension: "102", wait_seconds: 4 });
    expect((await db.owner.query("select called_number from app_public.call_center_records where call_id = 'N-TIE'")).rows[0].called_number).toBe("+17345550000");
  });

  it("voicemail, and unanswered calls the system ended, get their statuses", async () => {
    await post(neutral({ call_id: "N-VM", voicemail: true, ended_by: "system" }, []), undefined, "application/json");
    await post(neutral({ call_id: "N-MISS", ended_by: "system" }, []), undefined, "application/json");
    await work();
    expect((await call("N-VM")).call_status).toBe("voicemail");
    expect((await call("N-MISS")).call_status).toBe("missed");
  });

  it("a call whose times are out of order is a dead letter with the reason", async () => {
    const res = await post(neutral({ call_id: "N-BAD", end: "2026-03-10T08:00:00-04:00" }), undefined, "application/json");
    const rawId = ((await res.json()) as { rawIds: number[] }).rawIds[0]!;
    await work();
    expect((await deadLetters(rawId)).map((d) => [d.field, d.reason])).toEqual([["end", "the call ends before it starts"]]);
    expect(await call("N-BAD")).toBeUndefined();
  });

  it("recognises the same caller across calls through the keyed hash", async () => {
    await post(neutral({ call_id: "N-3", caller_number: "(734) 555-0123" }, []), undefined, "application/json");
    await work();
    expect((await call("N-3")).caller_key).toBe((await call("N-1")).caller_key);
    expect((await call("N-3")).caller_key).not.toBe((await call("ABANDON_1")).caller_key);
  });
});

describe("unknown extensions", () => {
  it("are kept, then attributed when the directory learns them", async () => {
    const line = "Call 612800,UNKNOWN_1,00:00:30,2026/09/17 10:00:00,2026/09/17 10:00:05,2026/09/17 10:00:30,TerminatedByDst,+17345550150,Ext.150,10021,150,150,,Ext.150,150,,,,,,Line,Extension,Extension,,,,\r\n";
    await post(line);
    await work();
    expect(await call("UNKNOWN_1")).toMatchObject({ agent_extension: "150", agent_email: null, location: null });
    await createUser(db.owner, { email: "new.agent@gangerdermatology.com", role: "call_center_agent", locations: ["Plymouth"] });
    await db.owner.query(`insert into app_public.agents (extension, user_email, location_name) values ('150', 'new.agent@gangerdermatology.com', 'Plymouth')`);
    await work();
    expect(await call("UNKNOWN_1")).toMatchObject({ agent_extension: "150", agent_email: "new.agent@gangerdermatology.com", location: "Plymouth" });
  });
});

describe("nothing accepted is lost", () => {
  it("every raw row ends processed, partial or dead-lettered, with the time it took", async () => {
    await work();
    const { rows } = await db.owner.query(`select status, count(*)::int as n, bool_and(processed_at >= received_at) as timed from app_private.cdr_raw group by status order by status`);
    expect(rows.find((r) => r.status === "pending")).toBeUndefined();
    expect(rows.every((r) => r.timed)).toBe(true);
  });
});

describe("retrying dead letters", () => {
  it("sends the bodies behind open dead letters through again; what parses becomes calls, nothing doubles", async () => {
    const good = "Call 613000,RETRY_OK,00:00:10,2026/09/18 10:00:00,2026/09/18 10:00:02,2026/09/18 10:00:10,TerminatedByDst,+17345550170,Ext.504,10021,504,504,,Ext.504,504,,,,,,Line,Extension,Extension,,,,\r\n";
    const bad = "Call 613001,RETRY_BAD,00:00:10\r\n";
    const res = await post(good + bad);
    const rawId = ((await res.json()) as { rawIds: number[] }).rawIds[0]!;
    await work();
    expect((await deadLetters(rawId)).length).toBe(1);
    // (earlier tests in this file left dead letters too: they are retried as well)
    expect((await db.owner.query("select app_private.retry_dead_letters() as n")).rows[0].n).toBeGreaterThanOrEqual(1);
    await work();
    const letters = (await db.owner.query("select resolved_at is not null as closed from app_private.cdr_dead_letters where raw_id = $1 order by id", [rawId])).rows;
    expect(letters).toEqual([{ closed: true }, { closed: false }]); // the old one closed, the still-bad line dead-lettered anew
    expect(Number((await db.owner.query("select count(*) from app_public.call_center_records where call_id = 'RETRY_OK'")).rows[0].count)).toBe(1);
  });
});

describe("the 3CX active socket", () => {
  const send = (port: number, text: string) =>
    new Promise<void>((resolve, reject) => {
      const s = net.createConnection({ port, host: "127.0.0.1" }, () => s.end(text));
      s.on("close", () => resolve());
      s.on("error", reject);
    });

  it("stores each connection's records and turns them into calls", async () => {
    const s = await startTestServer(db.authenticatorUrl, { env: { THREECX_CDR_SOCKET_PORT: "0", THREECX_CDR_SOCKET_ALLOW: "127.0.0.1/32,::1/128" } });
    try {
      const before = await rawCount();
      await send(s.app.cdrSocket!.port, "Call 612900,SOCKET_1,00:00:30,2026/09/19 10:00:00,2026/09/19 10:00:04,2026/09/19 10:00:30,TerminatedByDst,+17345550160,Ext.504,10021,504,504,,Ext.504,504,,,,,,Line,Extension,Extension,,,,\r\n");
      await until(async () => (await rawCount()) > before, { what: "the socket's record to be stored", timeoutMs: 5_000 });
      expect((await db.owner.query("select source from app_private.cdr_raw order by id desc limit 1")).rows[0].source).toBe("socket");
      await work();
      expect(await call("SOCKET_1")).toMatchObject({ call_status: "completed", agent_extension: "504", wait_seconds: 4 });
    } finally {
      await s.close();
    }
  });

  it("drops connections from sources outside THREECX_CDR_SOCKET_ALLOW, storing nothing", async () => {
    const s = await startTestServer(db.authenticatorUrl, { env: { THREECX_CDR_SOCKET_PORT: "0", THREECX_CDR_SOCKET_ALLOW: "10.0.0.0/8" } });
    try {
      const before = await rawCount();
      await send(s.app.cdrSocket!.port, "Call 612901,SOCKET_2,00:00:30,2026/09/19 10:00:00,,2026/09/19 10:00:30,TerminatedBySrc,+1,Ext.504\r\n").catch(() => undefined);
      await new Promise((r) => setTimeout(r, 300));
      expect(await rawCount()).toBe(before);
    } finally {
      await s.close();
    }
  });
});

describe("3CX ReportCall posts", () => {
  const post3cx = (body: object) => post(JSON.stringify(body), undefined, "application/json");
  const reportCall = (overrides: object = {}) => ({
    CallType: "Inbound", CallDirection: "Inbound", Number: "+17345550180", Name: "Robin Reporter", Agent: "504", AgentEmail: "agent.504@gangerdermatology.com",
    QueueExtension: "", Duration: "00:00:20", CallStartTimeUTC: "2026-09-20T14:00:01Z", CallEstablishedTimeUTC: "2026-09-20T14:00:04Z",
    CallEndTimeUTC: "2026-09-20T14:00:24Z", RecordingUrl: "https://recordings.example/rc-1.wav", ...overrides,
  });
  const cdr = (callId: string, number: string) =>
    `Call 614000,${callId},00:00:24,2026/09/20 14:00:00,2026/09/20 14:00:04,2026/09/20 14:00:24,TerminatedByDst,${number},Ext.504,10021,504,504,,Ext.504,504,,,,,,Line,Extension,Extension,,,,\r\n`;
  const enriched = (callId: string) =>
    one(db.owner, `select caller_name_masked, recording_available, app_hidden.phi_decrypt(caller_name_encrypted) as name from app_public.call_center_records where call_id = $1`, [callId]);

  it("enriches the call it matches (agent, caller, start within seconds) instead of adding one", async () => {
    await post(cdr("RC_CDR_FIRST", "+17345550180"));
    await work();
    const before = Number((await db.owner.query("select count(*) from app_public.call_center_records")).rows[0].count);
    expect((await post3cx(reportCall())).status).toBe(202);
    await work();
    expect(Number((await db.owner.query("select count(*) from app_public.call_center_records")).rows[0].count)).toBe(before);
    expect(await enriched("RC_CDR_FIRST")).toEqual({ caller_name_masked: "R. R.", recording_available: true, name: "Robin Reporter" });
  });

  it("waits for its call when it arrives first, and enriches it then", async () => {
    await post3cx(reportCall({ Number: "+17345550181", Name: "Early Bird", CallStartTimeUTC: "2026-09-20T14:00:02Z", RecordingUrl: "" }));
    await work();
    await post(cdr("RC_CDR_LATER", "+17345550181"));
    await work();
    expect(await enriched("RC_CDR_LATER")).toMatchObject({ caller_name_masked: "E. B.", name: "Early Bird" });
  });

  it("does not match another caller, and a malformed post is a dead letter", async () => {
    await post3cx(reportCall({ Number: "+17345559999", Name: "Nobody Else" }));
    const bad = await post3cx(reportCall({ Agent: "front desk" }));
    const rawId = ((await bad.json()) as { rawIds: number[] }).rawIds[0]!;
    await work();
    expect((await deadLetters(rawId)).map((d) => d.field)).toEqual(["Agent"]);
    expect(Number((await db.owner.query("select count(*) from app_private.cdr_report_calls where call_record_id is null")).rows[0].count)).toBe(1);
  });
});

describe("call types", () => {
  it("are guessed by the first matching rule, and a person's correction is kept", async () => {
    await db.owner.query(`insert into app_public.call_type_rules (priority, called_number_pattern, call_type) values (10, '5550199$', 'prescription')`);
    await db.owner.query(`insert into app_public.call_type_rules (priority, queue_name, call_type) values (20, 'Ann Arbor front desk', 'appointment')`);
    const line = (id: string, dialled: string) =>
      `Call 615000,${id},00:00:30,2026/09/21 10:00:00,2026/09/21 10:00:03,2026/09/21 10:00:30,TerminatedByDst,+17345550190,Ext.960,10021,960,${dialled},,Ext.504,504,,,,,,Line,Queue,Extension,,,,\r\n`;
    await post(line("TYPE_1", "7345550199") + line("TYPE_2", "7345550100"));
    await work();
    const type = (id: string) => one(db.owner, `select call_type, call_type_source from app_public.call_center_records where call_id = $1`, [id]);
    expect(await type("TYPE_1")).toEqual({ call_type: "prescription", call_type_source: "rule" });
    expect(await type("TYPE_2")).toEqual({ call_type: "appointment", call_type_source: "rule" });
    // An agent corrects it through the API's settings; re-ingestion does not undo it.
    await inTransaction(db.authenticator, personSettings(agent504), (c) =>
      c.query(`update app_public.call_center_records set call_type = 'billing' where call_id = 'TYPE_2'`), { commit: true });
    await post(line("TYPE_2", "7345550100"));
    await work();
    expect(await type("TYPE_2")).toEqual({ call_type: "billing", call_type_source: "manual" });
  });
});

describe("JSON CDR records keyed by the field names", () => {
  it("read like lines, in any key order and case", async () => {
    const record = {
      "Call-ID": "JSON_1", "history-id": "9001", duration: "00:00:40", "time-start": "2026/09/23 11:00:00", "time-answered": "2026/09/23 11:00:06",
      "time-end": "2026/09/23 11:00:40", "reason-terminated": "dst_participant_terminated", "from-no": "+17345550200", "to-no": "Ext.504",
      "to-dn": "504", "final-number": "Ext.504", "final-dn": "504", "from-type": "external_line", "to-type": "extension", "final-type": "extension",
    };
    const res = await post(JSON.stringify([record, { "call-id": "JSON_BAD" }]), undefined, "application/json");
    const rawId = ((await res.json()) as { rawIds: number[] }).rawIds[0]!;
    await work();
    expect(await call("JSON_1")).toMatchObject({ call_status: "completed", agent_extension: "504", wait_seconds: 6, call_direction: "inbound" });
    expect((await deadLetters(rawId)).map((d) => [d.field, d.reason])).toEqual([["time-start", "time-start is missing"]]);
  });
});

describe("a site's own field order (THREECX_CDR_FIELDS)", () => {
  it("is read as configured", async () => {
    const { parseCdrLines } = await import("../../worker/cdr/threecx.js");
    const ctx = { fields: ["time-start", "call-id", "duration", "time-answered", "time-end", "reason-terminated", "from-no", "to-no", "final-number"], timeZone: "America/Detroit", queueExtensions: new Set<string>() };
    const { calls, rejections } = parseCdrLines(Buffer.from("Call 2026/09/24 09:00:00,ORDER_CUSTOM,00:00:20,2026/09/24 09:00:05,2026/09/24 09:00:20,TerminatedByDst,+17345550300,Ext.504,Ext.504\r\n"), ctx);
    expect(rejections).toEqual([]);
    expect(calls[0]).toMatchObject({ call_id: "ORDER_CUSTOM", start: "2026-09-24T13:00:00.000Z", direction: "inbound", legs: [{ agent_extension: "504", answered: "2026-09-24T13:00:05.000Z" }] });
  });
});

describe("the Chain: field", () => {
  it("credits only the final agent when missed-queue-calls is not configured (the public 20-field sample)", async () => {
    const { parseCdrLines, chainExtensions } = await import("../../worker/cdr/threecx.js");
    expect(chainExtensions("Chain: +353861777149'Ext.960;Ext.963;Ext.509;Ext.504;")).toEqual(["960", "963", "509", "504"]);
    const ctx = { fields: "history-id,call-id,duration,time-start,time-answered,time-end,reason-terminated,from-no,to-no,from-dn,to-dn,dial-no,reason-changed,final-number,final-dn,bill-code,bill-rate,bill-cost,bill-name,chain".split(","), timeZone: "UTC", queueExtensions: new Set(["960"]) };
    const sample = "Call 612504,00000C21DE5C2470_6531,00:05:36,2023/09/19 13:33:54,2023/09/19 13:33:54,2023/09/19 13:39:31,TerminatedBySrc,+353861777149,Ext.960,10021,960,960,QFwdToDNA,Ext.504,504,,,,,Chain: +353861777149'Ext.960;Ext.963;Ext.509;Ext.504;\r\n";
    const { calls, rejections } = parseCdrLines(Buffer.from(sample), ctx);
    expect(rejections).toEqual([]);
    expect(calls[0]!.queue_extension).toBe("960");
    // 963 and 509 are in the chain, but whether they rang and did not answer, the line does not say: nothing for them.
    // The queue picked the call up at 13:33:54; when 504 answered is not in the line.
    expect(calls[0]!.legs.map((l) => [l.agent_extension, l.outcome, l.answered])).toEqual([["504", "answered", null]]);
    expect(calls[0]!.pbx_route).toEqual(["960", "963", "509", "504"]);
    // The same 20-field line under the default 27-field order: the missing trailing fields are read as empty.
    const withDefaults = parseCdrLines(Buffer.from(sample), { ...ctx, fields: testEnv().THREECX_CDR_FIELDS.split(",") });
    expect(withDefaults.rejections).toEqual([]);
    expect(withDefaults.calls[0]!.call_id).toBe("00000C21DE5C2470_6531");
  });
});
