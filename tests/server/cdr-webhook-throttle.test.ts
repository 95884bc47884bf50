/**
 * Guessing the CDR webhook's secret is slowed down: after
 * CDR_WEBHOOK_MAX_AUTH_FAILURES failed authentications from one address
 * within CDR_WEBHOOK_AUTH_FAILURE_WINDOW_SECONDS, that address gets 429 with
 * Retry-After, whatever it sends, and nothing is stored; the refusals are
 * counted and logged. Another address with the right secret is unaffected.
 * Two source addresses on one machine: 127.0.0.1 and 127.0.0.2 (Linux
 * answers the whole 127/8 on loopback).
 */
import http from "node:http";
import { Writable } from "node:stream";
import { createTestDatabase, type TestDatabase } from "../helpers/db.js";
import { numberOf } from "../helpers/query.js";
import { startTestServer, type TestServer } from "../helpers/server.js";
import { makeLogger } from "../../lib/logger.js";

const SECRET = "cdr-webhook-secret-for-throttle-tests";
const LINE = "Call 612504,THROTTLE_1,00:05:36,2026/09/15 13:33:54,2026/09/15 13:33:54,2026/09/15 13:39:31,TerminatedBySrc,+17345550123,Ext.504,10021,504,504,,Ext.504,504,,,,,,Line,Extension,Extension,,,,\r\n";
let db: TestDatabase;
let server: TestServer;
const logLines: string[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  const sink = new Writable({
    write(chunk, _enc, cb) {
      logLines.push(chunk.toString());
      cb();
    },
  });
  server = await startTestServer(db.authenticatorUrl, {
    env: { THREECX_CDR_WEBHOOK_SECRET: SECRET, CDR_WEBHOOK_MAX_AUTH_FAILURES: "3", CDR_WEBHOOK_AUTH_FAILURE_WINDOW_SECONDS: "600" },
    logger: makeLogger("warn", sink),
  });
});
afterAll(async () => {
  await server.close();
  await db.drop();
});

interface Answer {
  status: number;
  retryAfter: string | undefined;
  body: { error?: { code: string; message: string }; rawIds?: number[] };
}

/** POSTs a body from a chosen local address. */
function post(from: string, authorization: string | undefined, body = LINE): Promise<Answer> {
  const url = new URL(`${server.url}/api/3cx/cdr-webhook`);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: url.hostname, port: url.port, path: url.pathname, method: "POST", localAddress: from,
        headers: { "content-type": "text/plain", ...(authorization ? { authorization } : {}) },
      },
      (res) => {
        let text = "";
        res.on("data", (c: Buffer) => (text += c.toString()));
        res.on("end", () => resolve({ status: res.statusCode!, retryAfter: res.headers["retry-after"] as string | undefined, body: JSON.parse(text) }));
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

const rawCount = () => numberOf(db.owner, "select count(*) from app_private.cdr_raw");
const metric = async (outcome: string) => {
  const text = await (await fetch(`${server.url}/metrics`)).text();
  const m = new RegExp(`cdr_webhook_requests_total\\{outcome="${outcome}"\\} (\\d+)`).exec(text);
  return m ? Number(m[1]) : 0;
};

describe("repeated wrong webhook secrets from one address", () => {
  it("are answered 429 with Retry-After after the configured number, even with the right secret, storing nothing", async () => {
    const before = await rawCount();
    for (let i = 0; i < 3; i++) {
      const wrong = await post("127.0.0.1", `Bearer guess-${i}`);
      expect(wrong.status).toBe(401);
      expect(wrong.body.error?.code).toBe("BAD_WEBHOOK_SECRET");
    }
    const throttled = await post("127.0.0.1", "Bearer guess-3");
    expect(throttled.status).toBe(429);
    expect(throttled.body.error?.code).toBe("TOO_MANY_AUTH_FAILURES");
    expect(Number(throttled.retryAfter)).toBeGreaterThan(0);
    expect(Number(throttled.retryAfter)).toBeLessThanOrEqual(600);
    // The right secret from the same address is refused too while the window lasts: a guess that hits learns nothing.
    const right = await post("127.0.0.1", `Bearer ${SECRET}`);
    expect(right.status).toBe(429);
    expect(await rawCount()).toBe(before);
    // Counted and logged.
    expect(await metric("throttled")).toBe(2);
    expect(logLines.filter((l) => l.includes('"refusal":"TOO_MANY_AUTH_FAILURES"')).length).toBe(2);
    expect(logLines.filter((l) => l.includes('"refusal":"BAD_WEBHOOK_SECRET"')).length).toBe(3);
  });

  it("do not slow another address: the right secret from it is accepted", async () => {
    const before = await rawCount();
    const other = await post("127.0.0.2", `Bearer ${SECRET}`);
    expect(other.status).toBe(202);
    expect(other.body.rawIds).toHaveLength(1);
    expect(await rawCount()).toBe(before + 1);
  });

  it("count wrong signatures and missing credentials too", async () => {
    expect((await post("127.0.0.3", undefined)).status).toBe(401);
    const ts = String(Math.floor(Date.now() / 1000));
    const signed = (sig: string) => new Promise<number>((resolve, reject) => {
      const url = new URL(`${server.url}/api/3cx/cdr-webhook`);
      const req = http.request(
        { host: url.hostname, port: url.port, path: url.pathname, method: "POST", localAddress: "127.0.0.3", headers: { "content-type": "text/plain", "x-3cx-timestamp": ts, "x-3cx-signature": sig } },
        (res) => { res.resume(); res.on("end", () => resolve(res.statusCode!)); },
      );
      req.on("error", reject);
      req.end(LINE);
    });
    expect(await signed("sha256=00")).toBe(401);
    expect(await signed("sha256=01")).toBe(401);
    expect(await signed("sha256=02")).toBe(429);
  });

  it("a sender with the right secret is never slowed, however many bodies it posts", async () => {
    for (let i = 0; i < 6; i++) expect((await post("127.0.0.4", `Bearer ${SECRET}`)).status).toBe(202);
  });
});
