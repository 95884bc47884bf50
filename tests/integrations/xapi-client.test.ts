/**
 * The 3CX XAPI client against the fake 3CX: token and its renewal, OData
 * paging, retries (429 with Retry-After, 500, slow answers), and the clear
 * errors (401, 403, malformed JSON); the secret and tokens never reach a log.
 */
import { XapiClient, XapiError, parseRetryAfter } from "../../integrations/3cx/xapi/client.js";
import { startFake3cx, samplePayloads, type Fake3cx } from "../../integrations/3cx/fake/index.js";

const SECRET = "s3cret-api-key-never-logged";

let pbx: Fake3cx;
const logs: string[] = [];
const logger = {
  debug: (o: object, m?: string) => logs.push(JSON.stringify(o) + (m ?? "")),
  warn: (o: object, m?: string) => logs.push(JSON.stringify(o) + (m ?? "")),
};

function client(extra: Partial<ConstructorParameters<typeof XapiClient>[0]> = {}) {
  return new XapiClient({ baseUrl: pbx.url, clientId: "cc-ops", clientSecret: SECRET, minBackoffMs: 10, maxBackoffMs: 50, logger, ...extra });
}

beforeEach(async () => {
  pbx = await startFake3cx({ clientId: "cc-ops", clientSecret: SECRET });
  logs.length = 0;
});
afterEach(async () => {
  await pbx.close();
  // Nothing logged carries the key or a token the fake issued.
  const all = logs.join("\n");
  expect(all).not.toContain(SECRET);
  for (const t of pbx.controls.tokens) expect(all).not.toContain(t);
});

test("reads the sample payloads: users, queues with agents, receptionists, ring groups", async () => {
  const c = client();
  const users = await c.listUsers();
  const sample = samplePayloads();
  expect(users.map((u) => u.Number)).toEqual(sample.users.map((u) => u.Number).sort());
  expect(users[0]).toMatchObject({ Number: "100", FirstName: "Alice", IsRegistered: true, QueueStatus: "LoggedIn", CurrentProfileName: "Available" });
  const queues = await c.listQueues();
  expect(queues.find((q) => q.Number === "800")?.Agents?.map((a) => a.Number)).toEqual(["100", "101"]);
  expect((await c.listReceptionists()).map((r) => r.Number)).toEqual(["8000"]);
  expect((await c.listRingGroups())[0]?.Members?.map((m) => m.Number)).toEqual(["100", "102"]);
  // Unknown fields pass through.
  expect((queues[0] as Record<string, unknown>).PollingStrategy).toBe("Hunt");
  // One token for all of it.
  expect(pbx.controls.tokensIssued).toBe(1);
  const tokenReq = pbx.controls.requests.find((r) => r.path === "/connect/token");
  expect(tokenReq?.method).toBe("POST");
});

test("pages with $top/$skip until @odata.count rows came", async () => {
  for (let i = 0; i < 23; i++) pbx.controls.addUser({ Number: String(200 + i), FirstName: `U${i}`, LastName: "X" });
  const users = await client({ pageSize: 5 }).listUsers();
  expect(users).toHaveLength(26);
  expect(new Set(users.map((u) => u.Number)).size).toBe(26);
  const pages = pbx.controls.requests.filter((r) => r.path === "/xapi/v1/Users");
  expect(pages.map((r) => r.query.$skip)).toEqual(["0", "5", "10", "15", "20", "25"]);
  expect(pages.every((r) => r.query.$top === "5" && r.query.$count === "true")).toBe(true);
});

test("renews the token before it expires and once on a 401", async () => {
  let now = 1_000_000;
  const c = client({ now: () => now });
  await c.listReceptionists();
  expect(pbx.controls.tokensIssued).toBe(1);
  now += 30_000; // 60 s token renewed 15 s early: still good at 30 s
  await c.listReceptionists();
  expect(pbx.controls.tokensIssued).toBe(1);
  now += 20_000; // 50 s: inside the margin
  await c.listReceptionists();
  expect(pbx.controls.tokensIssued).toBe(2);
  pbx.controls.revokeTokens(); // PBX restarted: our token is unknown
  await c.listReceptionists();
  expect(pbx.controls.tokensIssued).toBe(3);
});

test("retries 429 honouring Retry-After, and 500", async () => {
  pbx.controls.fail({ kind: "429", times: 1, retryAfterSeconds: 1 });
  const started = Date.now();
  await client().listReceptionists();
  expect(Date.now() - started).toBeGreaterThanOrEqual(950);
  pbx.controls.fail({ kind: "500", times: 2 });
  expect(await client().listReceptionists()).toHaveLength(1);
  expect(logs.some((l) => l.includes('"reason":"server_error"'))).toBe(true);
});

test("gives up after its retries with the reason", async () => {
  pbx.controls.fail({ kind: "500" });
  await expect(client({ retries: 2 }).listUsers()).rejects.toMatchObject({ name: "XapiError", reason: "server_error" });
  expect(pbx.controls.requestCount("/xapi/v1/Users")).toBe(3);
  pbx.controls.clearFailures();
  pbx.controls.fail({ kind: "429", retryAfterSeconds: 3600 });
  await expect(client().listUsers()).rejects.toMatchObject({ reason: "rate_limited" });
});

test("a slow PBX times out per request, then recovers", async () => {
  pbx.controls.fail({ kind: "slow", delayMs: 1500, times: 1 });
  expect(await client({ timeoutMs: 300 }).listReceptionists()).toHaveLength(1);
  pbx.controls.fail({ kind: "slow", delayMs: 1500 });
  const err = await client({ timeoutMs: 200, retries: 1 }).listReceptionists().catch((e: unknown) => e);
  expect(err).toBeInstanceOf(XapiError);
  expect(err).toMatchObject({ reason: "timeout" });
});

test("401 and 403 are clear and not retried; 403 names the IP allow-list", async () => {
  const wrong = new XapiClient({ baseUrl: pbx.url, clientId: "cc-ops", clientSecret: "wrong", logger });
  const e1 = (await wrong.listUsers().catch((e: unknown) => e)) as XapiError;
  expect(e1.reason).toBe("unauthorized");
  expect(e1.message).toMatch(/THREECX_API_KEY/);
  expect(e1.message).not.toContain("wrong");

  pbx.controls.fail({ kind: "403" });
  const e2 = (await client().listUsers().catch((e: unknown) => e)) as XapiError;
  expect(e2.reason).toBe("forbidden");
  expect(e2.message).toMatch(/IP address is not allowed/);
  expect(pbx.controls.requestCount("/xapi/v1/Users")).toBe(1);

  pbx.controls.clearFailures();
  pbx.controls.resetRequests();
  pbx.controls.fail({ kind: "401" }); // every data request: even a fresh token is refused
  const e3 = (await client().listUsers().catch((e: unknown) => e)) as XapiError;
  expect(e3.reason).toBe("unauthorized");
  expect(pbx.controls.requestCount("/xapi/v1/Users")).toBe(2);
});

test("malformed JSON and unexpected shapes are clear errors", async () => {
  pbx.controls.fail({ kind: "malformed", times: 1 });
  await expect(client().listUsers()).rejects.toMatchObject({ reason: "malformed_json" });
  pbx.controls.addUser({ Number: "" });
  await expect(client().listUsers()).rejects.toMatchObject({ reason: "invalid_answer" });
});

test("an unreachable PBX is a network error", async () => {
  const url = pbx.url;
  await pbx.close();
  pbx = await startFake3cx();
  const c = new XapiClient({ baseUrl: url, clientId: "x", clientSecret: SECRET, retries: 1, minBackoffMs: 10, logger });
  await expect(c.listUsers()).rejects.toMatchObject({ reason: "network" });
});

test("Retry-After as seconds or a date", () => {
  expect(parseRetryAfter("2")).toBe(2000);
  expect(parseRetryAfter(new Date(10_000).toUTCString(), 4_000)).toBe(6000);
  expect(parseRetryAfter(null)).toBeUndefined();
  expect(parseRetryAfter("soon")).toBeUndefined();
});
