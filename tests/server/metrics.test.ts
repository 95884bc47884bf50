/**
 * GET /metrics: labels stay few and carry no personal data whatever paths are
 * asked for, and the endpoint is open to loopback only, elsewhere behind
 * METRICS_TOKEN or METRICS_ALLOW.
 *
 * The access rule is tested as a function, with the addresses a socket
 * reports, and over HTTP from loopback (open) and through a proxy (a token
 * needed). Tests stay on loopback: the servers that listen on this host's own
 * non-loopback address run only when METRICS_TEST_OWN_ADDRESS=1 is set by a
 * developer on a machine where that traffic is allowed. A forwarding header marks a request relayed by
 * a proxy (its socket is the proxy's), which is never taken as local.
 */
import http from "node:http";
import os from "node:os";
import { randomBytes } from "node:crypto";
import { createTestDatabase, type TestDatabase } from "../helpers/db.js";
import { startTestServer, type TestServer } from "../helpers/server.js";
import { metricsAccess } from "../../server/metrics.js";
import { parseAddressList } from "../../lib/address-list.js";

const TOKEN = "metrics-scraper-token-metrics-scraper-token";
/** This host's first non-loopback IPv4 address, if it has one. */
const OUTSIDE = process.env.METRICS_TEST_OWN_ADDRESS !== "1" ? undefined : Object.values(os.networkInterfaces())
  .flat()
  .find((i) => i && !i.internal && i.family === "IPv4")?.address;
if (!OUTSIDE && process.env.METRICS_TEST_OWN_ADDRESS === "1") console.warn("metrics.test: no non-loopback IPv4 address on this host; the remote-scraper tests are skipped");
const remoteIt = OUTSIDE ? it : it.skip;

let db: TestDatabase;
let open: TestServer;
let behindProxy: TestServer;
let remoteOpen: TestServer | undefined;
let remoteToken: TestServer | undefined;
let remoteAllowed: TestServer | undefined;

beforeAll(async () => {
  db = await createTestDatabase();
  open = await startTestServer(db.authenticatorUrl);
  behindProxy = await startTestServer(db.authenticatorUrl, { env: { TRUST_PROXY: "true", METRICS_TOKEN: TOKEN, METRICS_ALLOW: "127.0.0.0/8" } });
  if (OUTSIDE) {
    remoteOpen = await startTestServer(db.authenticatorUrl, { host: OUTSIDE });
    remoteToken = await startTestServer(db.authenticatorUrl, { host: OUTSIDE, env: { METRICS_TOKEN: TOKEN } });
    remoteAllowed = await startTestServer(db.authenticatorUrl, { host: OUTSIDE, env: { METRICS_ALLOW: `10.0.0.0/8, ${OUTSIDE}/32` } });
  }
});
afterAll(async () => {
  await Promise.all([open, behindProxy, remoteOpen, remoteToken, remoteAllowed].map((s) => s?.close()));
  await db.drop();
});

const scrape = (server: TestServer, headers: Record<string, string> = {}) => fetch(`${server.url}/metrics`, { headers });

/**
 * One request on a connection of its own: 300 in a row on one kept-alive
 * connection met a reset once when the machine was busy (ECONNRESET).
 */
function once(url: string, method: string) {
  return new Promise<number>((resolve, reject) => {
    const req = http.request(url, { method, agent: false }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
    });
    req.on("error", reject);
    req.end();
  });
}

function requestSeries(text: string): string[] {
  return text.split("\n").filter((l) => l.startsWith("http_request_duration_seconds"));
}

describe("labels", () => {
  it("300 random unknown paths, e-mail addresses among them, add a bounded set of series with no trace of the paths", async () => {
    const before = requestSeries(await (await scrape(open)).text());
    const secrets: string[] = [];
    for (let i = 0; i < 300; i++) {
      const random = randomBytes(6).toString("hex");
      secrets.push(random);
      const path = [
        `/api/users/patient.${random}@example.com`,
        `/api/${random}`,
        `/${random}/jane.doe+${random}@gangerdermatology.com`,
        `/graphql/${random}`,
        `/api/processing/${random}?email=${random}@x.org`,
      ][i % 5]!;
      await once(`${open.url}${path}`, i % 2 ? "GET" : "POST");
    }
    const text = await (await scrape(open)).text();
    const after = requestSeries(text);
    // Everything unmatched shares one route label: one label set per method (2) and status (401, 404), 13 series
    // each (10 buckets, +Inf, sum, count); the first scrape itself adds GET /metrics 200.
    expect(after.length - before.length).toBeLessThanOrEqual(13 * (2 * 2 + 1));
    expect(text).not.toContain("@");
    for (const s of secrets) expect(text).not.toContain(s);
    const routes = new Set(after.map((l) => /route="([^"]*)"/.exec(l)?.[1]));
    for (const route of routes) expect(["/metrics", "/graphql", "/api/processing/calculate-kpis", "unmatched"]).toContain(route);
    expect(routes).toContain("unmatched");
  });

  it("labels known endpoints by their template, refused ones included", async () => {
    await (await fetch(`${open.url}/api/processing/health-check`)).arrayBuffer();
    await (await fetch(`${open.url}/graphql`, { method: "POST" })).arrayBuffer(); // 401, answered before any route
    const text = await (await scrape(open)).text();
    expect(text).toMatch(/http_request_duration_seconds_count\{method="GET",route="\/api\/processing\/health-check",status="(200|503)"\} [1-9]/);
    expect(text).toMatch(/http_request_duration_seconds_count\{method="POST",route="\/graphql",status="401"\} [1-9]/);
  });
});

describe("who may scrape", () => {
  const errorOf = async (res: Response) => ((await res.json()) as { error: { code: string; message: string } }).error;

  it("a scraper on the same host (loopback) needs nothing", async () => {
    const res = await scrape(open);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("process_cpu_user_seconds_total");
  });

  remoteIt("from another address: 403 with a reason when neither METRICS_TOKEN nor METRICS_ALLOW is set", async () => {
    const res = await scrape(remoteOpen!);
    expect(res.status).toBe(403);
    const error = await errorOf(res);
    expect(error.code).toBe("METRICS_FORBIDDEN");
    expect(error.message).toMatch(/METRICS_TOKEN/);
    expect(error.message).toMatch(/METRICS_ALLOW/);
  });

  remoteIt("from another address with METRICS_TOKEN: 401 without it or with a wrong one, 200 with it", async () => {
    const none = await scrape(remoteToken!);
    expect(none.status).toBe(401);
    expect((await errorOf(none)).code).toBe("METRICS_TOKEN_REQUIRED");
    const wrong = await scrape(remoteToken!, { authorization: "Bearer not-the-token" });
    expect(wrong.status).toBe(401);
    expect((await errorOf(wrong)).code).toBe("METRICS_TOKEN_INVALID");
    const right = await scrape(remoteToken!, { authorization: `Bearer ${TOKEN}` });
    expect(right.status).toBe(200);
    expect(await right.text()).toContain("http_request_duration_seconds");
  });

  remoteIt("from an address in METRICS_ALLOW: 200 without a token", async () => {
    expect((await scrape(remoteAllowed!)).status).toBe(200);
  });

  it("a request relayed by a proxy (a forwarding header) is not local, even from 127.0.0.1", async () => {
    const res = await scrape(open, { "x-forwarded-for": "203.0.113.9" });
    expect(res.status).toBe(403);
    expect((await errorOf(res)).code).toBe("METRICS_FORBIDDEN");
    expect((await scrape(open, { forwarded: "for=203.0.113.9" })).status).toBe(403);
    expect((await scrape(open, { "x-real-ip": "203.0.113.9" })).status).toBe(403);
  });

  it("with TRUST_PROXY, a forged X-Forwarded-For: 127.0.0.1 neither makes a request local nor passes METRICS_ALLOW; the token does", async () => {
    const forged = { "x-forwarded-for": "127.0.0.1" };
    const res = await scrape(behindProxy, forged);
    expect(res.status).toBe(401);
    expect((await errorOf(res)).code).toBe("METRICS_TOKEN_REQUIRED");
    expect((await scrape(behindProxy, { ...forged, authorization: `Bearer ${TOKEN}` })).status).toBe(200);
    expect((await scrape(behindProxy)).status).toBe(200); // a direct local scraper
  });
});

describe("the access rule (socket addresses as the server sees them)", () => {
  const policy = { token: TOKEN, allow: parseAddressList("10.0.0.0/8, 2001:db8::/32") };
  const ask = (remoteAddress: string | undefined, extra: { forwarded?: boolean; authorization?: string } = {}, p: Parameters<typeof metricsAccess>[1] = policy) =>
    metricsAccess({ remoteAddress, forwarded: extra.forwarded ?? false, authorization: extra.authorization }, p);

  it.each(["127.0.0.1", "127.0.0.2", "127.255.0.9", "::1", "::ffff:127.0.0.1"])("loopback %s is let in", (address) => {
    expect(ask(address, {}, { allow: null })).toEqual({ ok: true, via: "loopback" });
  });

  it.each(["192.168.1.20", "::ffff:192.168.1.20", "2001:db9::1", "0.0.0.0"])("%s is refused without a token", (address) => {
    expect(ask(address, {}, { allow: null })).toMatchObject({ ok: false, status: 403, code: "METRICS_FORBIDDEN" });
    expect(ask(address)).toMatchObject({ ok: false, status: 401, code: "METRICS_TOKEN_REQUIRED" });
  });

  it("an unknown socket address is not local", () => {
    expect(ask(undefined, {}, { allow: null })).toMatchObject({ ok: false, status: 403 });
  });

  it("lets listed addresses in, IPv4-mapped ones included", () => {
    expect(ask("10.1.2.3")).toEqual({ ok: true, via: "allowlist" });
    expect(ask("::ffff:10.1.2.3")).toEqual({ ok: true, via: "allowlist" });
    expect(ask("2001:db8::5")).toEqual({ ok: true, via: "allowlist" });
  });

  it("takes the token from anywhere, and only the exact token", () => {
    expect(ask("192.168.1.20", { authorization: `Bearer ${TOKEN}` })).toEqual({ ok: true, via: "token" });
    expect(ask("192.168.1.20", { authorization: `Bearer ${TOKEN}x` })).toMatchObject({ ok: false, status: 401, code: "METRICS_TOKEN_INVALID" });
    expect(ask("192.168.1.20", { authorization: "Bearer x" }, { allow: null })).toMatchObject({ ok: false, status: 401, code: "METRICS_TOKEN_INVALID" });
  });

  it("a request with a forwarding header was relayed: neither the loopback rule nor the list applies, the token does", () => {
    expect(ask("127.0.0.1", { forwarded: true }, { allow: null })).toMatchObject({ ok: false, status: 403 });
    expect(ask("10.1.2.3", { forwarded: true })).toMatchObject({ ok: false, status: 401, code: "METRICS_TOKEN_REQUIRED" });
    expect(ask("10.1.2.3", { forwarded: true, authorization: `Bearer ${TOKEN}` })).toEqual({ ok: true, via: "token" });
  });

  it("refuses a malformed address list", () => {
    expect(() => parseAddressList("10.0.0.0/33")).toThrow(/10\.0\.0\.0\/33/);
    expect(() => parseAddressList("example.com")).toThrow(/example\.com/);
  });
});
