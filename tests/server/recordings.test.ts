/**
 * Recordings through this service (server/recordings.ts,
 * migrations/fixtures/recordings/links.sql): a one-time, short-lived link
 * for accessRecordings holders (REST and GraphQL, every role), fetched once
 * from a local fake PBX (node:http) serving a real WAV file; expiry; the
 * person checked again at the fetch (deactivated, role taken away, location
 * left); PBX failures (500, silence) answered 502/504 with the link left
 * usable; Range; audit rows; and the PBX's address in no answer.
 *
 * Ann Arbor: agentAA (101) answered R1 (recording at a 3CX-style relative
 * location), R2 (a ReportCall-style absolute URL) and N1 (no recording);
 * Wixom: agentWX (201) answered W1 (recording).
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { readFileSync } from "node:fs";
import { createTestDatabase, inTransaction, testPhiSettings, type TestDatabase } from "../helpers/db.js";
import { createCast, createUser, PERSONAS, type Cast, type Persona } from "../helpers/users.js";
import { signToken, startTestServer, type TestServer } from "../helpers/server.js";
import { talk } from "../helpers/calls.js";
import { restClient, type RestClient } from "../helpers/rest.js";
import { numberOf, one, rows } from "../helpers/query.js";
import { recordingUrlFor, RecordingLocationError } from "../../server/recordings.js";

/** A tiny real WAV: 0.1 s of a 440 Hz tone, 8 kHz, 16-bit mono (RIFF header + PCM). */
function tinyWav(): Buffer {
  const rate = 8000;
  const samples = 800;
  const data = Buffer.alloc(samples * 2);
  for (let i = 0; i < samples; i++) data.writeInt16LE(Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / rate)), i * 2);
  const header = Buffer.alloc(44);
  header.write("RIFF", 0, "ascii");
  header.writeUInt32LE(36 + data.length, 4);
  header.write("WAVE", 8, "ascii");
  header.write("fmt ", 12, "ascii");
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20); // PCM
  header.writeUInt16LE(1, 22); // mono
  header.writeUInt32LE(rate, 24);
  header.writeUInt32LE(rate * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write("data", 36, "ascii");
  header.writeUInt32LE(data.length, 40);
  return Buffer.concat([header, data]);
}

const WAV = tinyWav();
/** The shape 3CX gives recordings (tests/fixtures/3cx-recordings), with made-up values: extension folder, then the file. */
const LOCATION = "101/[Jane Roe]_101-7345550123_20260310140000(42).wav";
const ABSOLUTE = "https://pbx.practice.example:5001/recordings/2026/03/10/R2.wav";
const REASON = "QA listening for the March review";

type Mode = "ok" | "fail" | "hang";
interface FakePbx {
  url: string;
  mode: Mode;
  requests: { path: string; range?: string }[];
  close(): Promise<void>;
}

/** The PBX: serves WAV for any path under /recordings/, honours a single Range; fails or stays silent on demand. */
async function startFakePbx(): Promise<FakePbx> {
  const pbx: Partial<FakePbx> = { mode: "ok", requests: [] };
  const hanging = new Set<http.ServerResponse>();
  const server = http.createServer((req, res) => {
    pbx.requests!.push({ path: req.url ?? "", ...(req.headers.range ? { range: req.headers.range } : {}) });
    if (pbx.mode === "hang") {
      hanging.add(res);
      return; // never answers
    }
    if (pbx.mode === "fail") {
      res.writeHead(500, { "content-type": "text/plain", server: "3CX fake" });
      return res.end("Internal Server Error at pbx.internal.example");
    }
    if (!req.url?.startsWith("/recordings/")) {
      res.writeHead(404);
      return res.end();
    }
    const m = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? "");
    const common = { "content-type": "audio/x-wav", "accept-ranges": "bytes", server: "3CX fake", "set-cookie": "pbx=secret", "x-pbx-path": req.url };
    if (m) {
      const start = Number(m[1]);
      const end = m[2] ? Math.min(Number(m[2]), WAV.length - 1) : WAV.length - 1;
      res.writeHead(206, { ...common, "content-length": String(end - start + 1), "content-range": `bytes ${start}-${end}/${WAV.length}` });
      return res.end(WAV.subarray(start, end + 1));
    }
    res.writeHead(200, { ...common, "content-length": String(WAV.length) });
    res.end(WAV);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  pbx.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  pbx.close = async () => {
    for (const res of hanging) res.destroy();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return pbx as FakePbx;
}

let db: TestDatabase;
let server: TestServer;
let pbx: FakePbx;
let cast: Cast;
let rest: RestClient;
const callId: Record<string, string> = {};
/** Every answer this file received from the service (bodies and headers), checked at the end for the PBX's address. */
const answers: string[] = [];

const token = (who: Persona | string) => signToken({ email: who.includes("@") ? who : cast[who as Persona].email });
async function requestLink(who: Persona | string, call: string, body: Record<string, unknown> = { reason: REASON }) {
  const res = await rest.send("post", `/api/call-records/${call}/recording-link`, await token(who), body);
  answers.push(JSON.stringify(res.body));
  return res;
}
async function fetchLink(url: string, headers: Record<string, string> = {}) {
  const res = await fetch(`${server.url}${url}`, { headers });
  const body = Buffer.from(await res.arrayBuffer());
  const head = Object.fromEntries(res.headers.entries());
  answers.push(JSON.stringify(head), body.toString("latin1"));
  const json = (res.headers.get("content-type") ?? "").includes("json") ? (JSON.parse(body.toString()) as { error: { code: string; message: string } }) : undefined;
  return { status: res.status, headers: head, body, json };
}
const gql = async (query: string, who: Persona, variables?: Record<string, unknown>) => {
  const res = await server.graphql(query, await token(who), variables);
  answers.push(JSON.stringify(res.body));
  return res.body;
};
const links = () => numberOf(db.owner, "select count(*) from app_private.recording_links");
const linkState = (url: string) =>
  one(db.owner, "select used_at is not null as used, expires_at > now() as live from app_private.recording_links where token_hash = sha256(convert_to($1, 'UTF8'))", [url.split("/").at(-1)]);

beforeAll(async () => {
  pbx = await startFakePbx();
  db = await createTestDatabase();
  cast = await createCast(db.owner);
  await db.owner.query(`insert into app_public.agents (extension, user_email, location_name) values ('101', $1, 'Ann Arbor'), ('201', $2, 'Wixom')`,
    [cast.agentAA.email, cast.agentWX.email]);
  const at = (i: number, ms = 0) => new Date(Date.parse("2026-03-10T14:00:00Z") + i * 600_000 + ms).toISOString();
  await db.owner.query("select app_private.ingest_calls($1::jsonb)", [JSON.stringify([
    talk("R1", "101", at(0), at(0, 5_000), at(0, 180_000)),
    talk("R2", "101", at(1), at(1, 5_000), at(1, 180_000)),
    talk("N1", "101", at(2), at(2, 5_000), at(2, 180_000)),
    talk("W1", "201", at(0), at(0, 5_000), at(0, 90_000)),
  ])]);
  await inTransaction(db.owner, testPhiSettings(), async (c) => {
    await c.query("update app_public.call_center_records set recording_url = $1 where call_id in ('R1', 'W1')", [LOCATION]);
    await c.query("update app_public.call_center_records set recording_url = $1 where call_id = 'R2'", [ABSOLUTE]);
  }, { commit: true });
  for (const r of await rows(db.owner, "select call_id, id from app_public.call_center_records")) callId[r.call_id] = r.id;
  server = await startTestServer(db.authenticatorUrl, {
    env: { THREECX_RECORDING_BASE_URL: `${pbx.url}/recordings/`, RECORDING_FETCH_TIMEOUT_MS: "400", RECORDING_LINK_SECONDS: "60", PHI_REVEAL_LIMIT_PER_MINUTE: "1000" },
  });
  rest = await restClient(server);
});
afterAll(async () => {
  await server?.close();
  await pbx?.close();
  await db?.drop();
});
beforeEach(() => {
  pbx.mode = "ok";
  pbx.requests.length = 0;
});

describe("who may have a link (POST /api/call-records/{id}/recording-link)", () => {
  // R1 is Ann Arbor's: accessRecordings (supervisors and above) in scope gets a link; the others are refused.
  const expected: Record<Persona, number> = {
    staff: 403, agentAA: 403, agentWX: 403, supervisorAA: 201, supervisorWX: 404, manager: 201, superadmin: 201,
  };
  it.each(PERSONAS.map((p) => [p, expected[p]] as const))("%s: %i", async (who, status) => {
    const before = await links();
    const res = await requestLink(who, callId.R1!);
    expect(res.status).toBe(status);
    if (status === 201) {
      expect(res.body).toEqual({ url: expect.stringMatching(/^\/api\/recordings\/[A-Za-z0-9_-]{43}$/), expires_at: expect.any(String), call_id: callId.R1 });
      const seconds = (Date.parse(res.body.expires_at as string) - Date.now()) / 1000;
      expect(seconds).toBeGreaterThan(50);
      expect(seconds).toBeLessThanOrEqual(61);
      expect(await links()).toBe(before + 1);
    } else {
      expect(res.body.error.code).toBe(status === 403 ? "CC502" : "NOT_FOUND");
      expect(await links()).toBe(before);
    }
  });

  it("stores only the token's hash", async () => {
    const { body } = await requestLink("manager", callId.R1!);
    const tokenText = (body.url as string).split("/").at(-1)!;
    const stored = await rows(db.owner, "select encode(token_hash, 'hex') as h, reason from app_private.recording_links");
    expect(JSON.stringify(stored)).not.toContain(tokenText);
    expect(stored.some((r) => r.reason === REASON)).toBe(true);
  });

  it("bad input: an unknown call 404, no reason 400, a short reason 400 (CC504), a call without recording 404; nothing made", async () => {
    const before = await links();
    const unknown = await requestLink("manager", "00000000-0000-4000-8000-000000000000");
    expect([unknown.status, unknown.body.error.code]).toEqual([404, "NOT_FOUND"]);
    const missing = await requestLink("manager", callId.R1!, {});
    expect([missing.status, missing.body.error.code, missing.body.error.field]).toEqual([400, "INVALID_INPUT", "reason"]);
    const short = await requestLink("manager", callId.R1!, { reason: "ok" });
    expect([short.status, short.body.error.code]).toEqual([400, "CC504"]);
    const none = await requestLink("manager", callId.N1!);
    expect([none.status, none.body.error.code]).toEqual([404, "NOT_FOUND"]);
    expect(none.body.error.message).toMatch(/no recording/);
    const badId = await requestLink("manager", "not-a-uuid");
    expect(badId.status).toBe(400);
    expect(await links()).toBe(before);
  });

  it("GraphQL requestRecordingLink answers the same, with the same refusals", async () => {
    const Q = `mutation ($c: UUID!, $r: String) { requestRecordingLink(input: { callId: $c, reason: $r }) { result { url expiresAt callId } } }`;
    const ok = await gql(Q, "supervisorAA", { c: callId.R1, r: REASON });
    expect(ok.errors).toBeUndefined();
    const result = (ok.data!.requestRecordingLink as { result: { url: string; callId: string } }).result;
    expect(result.url).toMatch(/^\/api\/recordings\//);
    expect(result.callId).toBe(callId.R1);
    expect((await gql(Q, "agentAA", { c: callId.R1, r: REASON })).errors?.[0]?.extensions?.code).toBe("CC502");
    expect((await gql(Q, "supervisorWX", { c: callId.R1, r: REASON })).errors?.[0]?.extensions?.code).toBe("CC503");
    expect((await gql(Q, "manager", { c: callId.R1 })).errors?.[0]?.extensions?.code).toBe("CC504");
    expect((await gql(Q, "manager", { c: callId.N1, r: REASON })).errors?.[0]?.extensions?.code).toBe("CC961");
    const fetched = await fetchLink(result.url);
    expect(fetched.status).toBe(200);
  });
});

describe("fetching a link (GET /api/recordings/{token})", () => {
  it("streams the recording once, from the PBX at the stored location, with its type and length; a second fetch is 410", async () => {
    const { body } = await requestLink("supervisorAA", callId.R1!);
    const res = await fetchLink(body.url as string);
    expect(res.status).toBe(200);
    expect(res.body.equals(WAV)).toBe(true);
    expect(res.body.subarray(0, 4).toString("ascii")).toBe("RIFF");
    expect(res.headers["content-type"]).toBe("audio/x-wav");
    expect(res.headers["content-length"]).toBe(String(WAV.length));
    expect(res.headers["cache-control"]).toBe("no-store");
    expect(res.headers["content-disposition"]).toBe(`inline; filename="call-${callId.R1}.wav"`);
    // Nothing else of the PBX's answer passes.
    expect(res.headers).not.toHaveProperty("set-cookie");
    expect(res.headers).not.toHaveProperty("x-pbx-path");
    expect(res.headers.server).toBeUndefined();
    expect(pbx.requests).toEqual([{ path: "/recordings/101/%5BJane%20Roe%5D_101-7345550123_20260310140000(42).wav" }]);
    expect(await linkState(body.url as string)).toEqual({ used: true, live: true });

    const again = await fetchLink(body.url as string);
    expect([again.status, again.json?.error.code]).toEqual([410, "RECORDING_LINK_USED"]);
    expect(again.json?.error.message).toMatch(/used already/);
    expect(pbx.requests).toHaveLength(1);
  });

  it("writes the issue (a reveal, counted) and the fetch (not counted) to the audit log", async () => {
    const { body } = await requestLink("manager", callId.W1!, { reason: "Complaint follow-up listening" });
    await fetchLink(body.url as string);
    const audit = await rows(db.owner, `select action, table_name, record_id, changed_columns, details - 'recording_link' as details, details ? 'recording_link' as linked
                                        from app_public.audit_logs where actor_email = $1 and record_id = $2 order by id`, [cast.manager.email, callId.W1]);
    expect(audit).toEqual([
      { action: "reveal", table_name: "app_public.call_center_records", record_id: callId.W1, changed_columns: ["recording_url"],
        details: { reason: "Complaint follow-up listening" }, linked: false },
      { action: "reveal", table_name: "app_public.call_center_records", record_id: callId.W1, changed_columns: ["recording_url"],
        details: { reason: "Complaint follow-up listening", event: "recording_fetched", status: 200 }, linked: true },
    ]);
    // Only the issue counts against PHI_REVEAL_LIMIT_*.
    const counted = await one(db.owner, "select app_hidden.reveals_since($1, now() - interval '1 hour') as n", [cast.manager.userId]);
    const issued = await numberOf(db.owner, "select count(*) from app_public.audit_logs where actor_email = $1 and action = 'reveal' and not (details ? 'event')", [cast.manager.email]);
    expect(counted.n).toBe(issued);
  });

  it("an expired link is 410, and the PBX is not asked", async () => {
    const { body } = await requestLink("manager", callId.R1!);
    await db.owner.query("update app_private.recording_links set expires_at = now() - interval '1 second' where token_hash = sha256(convert_to($1, 'UTF8'))",
      [(body.url as string).split("/").at(-1)]);
    const res = await fetchLink(body.url as string);
    expect([res.status, res.json?.error.code]).toEqual([410, "RECORDING_LINK_EXPIRED"]);
    expect(pbx.requests).toHaveLength(0);
  });

  it("a HEAD (a link preview) is 405 and leaves the link usable", async () => {
    const { body } = await requestLink("manager", callId.R1!);
    const head = await fetch(`${server.url}${body.url as string}`, { method: "HEAD" });
    answers.push(JSON.stringify(Object.fromEntries(head.headers.entries())));
    expect([head.status, head.headers.get("allow")]).toEqual([405, "GET"]);
    expect(await linkState(body.url as string)).toEqual({ used: false, live: true });
    expect(pbx.requests).toHaveLength(0);
    expect((await fetchLink(body.url as string)).status).toBe(200);
  });

  it("counts fetches by outcome on /metrics", async () => {
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metrics).toMatch(/recording_fetches_total\{outcome="streamed"\} [1-9]/);
    expect(metrics).toMatch(/recording_fetches_total\{outcome="used"\} [1-9]/);
    expect(metrics).toMatch(/recording_fetches_total\{outcome="expired"\} [1-9]/);
  });

  it("an unknown or malformed token is 404", async () => {
    expect((await fetchLink(`/api/recordings/${"A".repeat(43)}`)).json?.error.code).toBe("RECORDING_LINK_UNKNOWN");
    expect((await fetchLink("/api/recordings/short")).status).toBe(404);
    expect(pbx.requests).toHaveLength(0);
  });

  it("a Range request gets 206 with the part asked for", async () => {
    const { body } = await requestLink("manager", callId.R1!);
    const res = await fetchLink(body.url as string, { range: "bytes=0-99" });
    expect(res.status).toBe(206);
    expect(res.headers["content-range"]).toBe(`bytes 0-99/${WAV.length}`);
    expect(res.headers["content-length"]).toBe("100");
    expect(res.body.equals(WAV.subarray(0, 100))).toBe(true);
    expect(pbx.requests).toEqual([{ path: expect.any(String), range: "bytes=0-99" }]);
  });

  it("an absolute stored URL (ReportCall's) is fetched by its path from the configured PBX only", async () => {
    const { body } = await requestLink("manager", callId.R2!);
    const res = await fetchLink(body.url as string);
    expect(res.status).toBe(200);
    expect(pbx.requests).toEqual([{ path: "/recordings/2026/03/10/R2.wav" }]);
  });
});

describe("the person is checked again at the fetch", () => {
  const person = async (email: string, locations = ["Ann Arbor"]) => createUser(db.owner, { email, role: "supervisor", locations });

  it("deactivated between issue and fetch: 403, nothing fetched", async () => {
    const p = await person("sup.leaving@gangerdermatology.com");
    const { body } = await requestLink(p.email, callId.R1!);
    await db.owner.query("update app_public.users set is_active = false where id = $1", [p.userId]);
    const res = await fetchLink(body.url as string);
    expect([res.status, res.json?.error.code]).toEqual([403, "USER_INACTIVE"]);
    expect(pbx.requests).toHaveLength(0);
  });

  it("no longer holding accessRecordings (now an agent): 403, recorded as a refusal", async () => {
    const p = await person("sup.demoted@gangerdermatology.com");
    const { body } = await requestLink(p.email, callId.R1!);
    await db.owner.query("update app_public.user_roles set role = 'call_center_agent' where user_id = $1", [p.userId]);
    const res = await fetchLink(body.url as string);
    expect([res.status, res.json?.error.code]).toEqual([403, "FORBIDDEN"]);
    expect(pbx.requests).toHaveLength(0);
    expect(await numberOf(db.owner, "select count(*) from app_public.audit_logs where actor_user_id = $1 and action = 'denied' and details->>'sqlstate' = 'CC502'", [p.userId]))
      .toBe(1);
  });

  it("no longer seeing the call (left the location): 403", async () => {
    const p = await person("sup.moved@gangerdermatology.com");
    const { body } = await requestLink(p.email, callId.R1!);
    await db.owner.query("update app_public.location_staff set is_active = false where user_id = $1", [p.userId]);
    const res = await fetchLink(body.url as string);
    expect([res.status, res.json?.error.code]).toEqual([403, "FORBIDDEN"]);
    expect(res.json?.error.message).toMatch(/no longer see/);
    expect(pbx.requests).toHaveLength(0);
  });
});

describe("when the PBX fails, the link is not used", () => {
  it("PBX 500: 502, and the same link works once the PBX is back", async () => {
    const { body } = await requestLink("manager", callId.R1!);
    pbx.mode = "fail";
    const failed = await fetchLink(body.url as string);
    expect([failed.status, failed.json?.error.code]).toEqual([502, "RECORDING_PBX_ERROR"]);
    expect(failed.json?.error.message).toMatch(/answered 500/);
    expect(await linkState(body.url as string)).toEqual({ used: false, live: true });
    pbx.mode = "ok";
    expect((await fetchLink(body.url as string)).status).toBe(200);
  });

  it("PBX silent past RECORDING_FETCH_TIMEOUT_MS: 504, and the link still works", async () => {
    const { body } = await requestLink("manager", callId.R1!);
    pbx.mode = "hang";
    const slow = await fetchLink(body.url as string);
    expect([slow.status, slow.json?.error.code]).toEqual([504, "RECORDING_PBX_TIMEOUT"]);
    expect(await linkState(body.url as string)).toEqual({ used: false, live: true });
    pbx.mode = "ok";
    expect((await fetchLink(body.url as string)).status).toBe(200);
  });

  it("no fetch row is written for a failed attempt", async () => {
    const before = await numberOf(db.owner, "select count(*) from app_public.audit_logs where details->>'event' = 'recording_fetched'");
    const { body } = await requestLink("manager", callId.R1!);
    pbx.mode = "fail";
    await fetchLink(body.url as string);
    expect(await numberOf(db.owner, "select count(*) from app_public.audit_logs where details->>'event' = 'recording_fetched'")).toBe(before);
  });
});

describe("the reveals answer a link, not the location", () => {
  it("revealCallCenterRecord(recording_url) gives a link that streams the recording", async () => {
    const body = await gql(`mutation ($id: UUID!) { revealCallCenterRecord(input: { recordId: $id, fields: ["recording_url"], reason: "Listening for QA" }) { result } }`,
      "supervisorAA", { id: callId.R1 });
    const url = (body.data!.revealCallCenterRecord as { result: { recording_url: string } }).result.recording_url;
    expect(url).toMatch(/^\/api\/recordings\/[A-Za-z0-9_-]{43}$/);
    const res = await fetchLink(url);
    expect(res.status).toBe(200);
    expect(res.body.equals(WAV)).toBe(true);
  });

  it("revealQaReviewRecording gives a link too", async () => {
    const created = await gql(`mutation ($c: UUID!) { createQaReview(input: { callRecordId: $c, reviewType: "random" }) { result { rowId } } }`, "supervisorAA", { c: callId.R1 });
    const reviewId = (created.data!.createQaReview as { result: { rowId: string } }).result.rowId;
    const body = await gql(`mutation ($id: UUID!) { revealQaReviewRecording(input: { reviewId: $id, reason: "QA review of the call" }) { result } }`, "supervisorAA", { id: reviewId });
    const url = (body.data!.revealQaReviewRecording as { result: string }).result;
    expect(url).toMatch(/^\/api\/recordings\//);
    expect((await fetchLink(url)).status).toBe(200);
  });
});

describe("where a stored location leads (recordingUrlFor)", () => {
  const names = readFileSync(new URL("../fixtures/3cx-recordings/recording-file-names.txt", import.meta.url), "utf8").trim().split("\n");

  it.each(names)("a real 3CX recording name, %s, becomes one encoded path segment under the base", (name) => {
    const url = recordingUrlFor("https://pbx.internal:5001/recordings/", `100/${name}`);
    expect(url.origin).toBe("https://pbx.internal:5001");
    expect(url.pathname.startsWith("/recordings/100/")).toBe(true);
    expect(decodeURIComponent(url.pathname.slice("/recordings/100/".length))).toBe(name);
  });

  it("keeps the base's folder with or without a trailing slash, and a location's leading slash does not escape it", () => {
    expect(recordingUrlFor("http://pbx/rec", "/a/b.wav").href).toBe("http://pbx/rec/a/b.wav");
    expect(recordingUrlFor("http://pbx/rec/", "a%20b.wav").href).toBe("http://pbx/rec/a%20b.wav");
    expect(recordingUrlFor("http://pbx", "x.wav").href).toBe("http://pbx/x.wav");
  });

  it("refuses a location that climbs out of the base or is no http(s) URL", () => {
    for (const bad of ["../etc/passwd", "a/../../b.wav", "a/%2e%2e/b.wav", "a/..%2Fb.wav", "", "file:///etc/passwd", "ftp://pbx/a.wav"])
      expect(() => recordingUrlFor("http://pbx/rec/", bad)).toThrow(RecordingLocationError);
  });

  it("an absolute URL keeps only its path and query, on the base's origin", () => {
    expect(recordingUrlFor("http://10.0.0.5:5000/rec/", "https://evil.example/recordings/a.wav?x=1").href).toBe("http://10.0.0.5:5000/recordings/a.wav?x=1");
  });
});

afterAll(() => {
  // Every answer of this file: no PBX address, no stored location, nothing of the PBX's error text.
  const all = answers.join("\n");
  for (const secret of [pbx.url, "127.0.0.1:" + pbx.url.split(":").at(-1), "Jane Roe", "7345550123", "pbx.practice.example", "pbx.internal.example", "pbx=secret"])
    expect(all).not.toContain(secret);
  expect(answers.length).toBeGreaterThan(30);
});
