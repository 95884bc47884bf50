/**
 * POST /api/3cx/cdr-webhook: 3CX (or any PBX) posts call records here.
 * Authenticated by `Authorization: Bearer <THREECX_CDR_WEBHOOK_SECRET>`, or
 * by `X-3CX-Timestamp` + `X-3CX-Signature: sha256=<hex HMAC(secret, ts.body)>`
 * within ±300 s. Unauthenticated or oversized bodies are refused (401, 413)
 * and not stored. An address that fails to authenticate
 * CDR_WEBHOOK_MAX_AUTH_FAILURES times within
 * CDR_WEBHOOK_AUTH_FAILURE_WINDOW_SECONDS is refused with 429 and Retry-After
 * until that window ends, whatever it sends (counted and logged, nothing
 * stored). An accepted body is stored untouched (encrypted) in one statement
 * and answered 202 {rawIds}; parsing happens in the worker.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import express, { type Express, type Request, type Response } from "express";
import type { Pool } from "pg";
import { Counter, type Registry } from "prom-client";
import type { Env } from "../lib/env.js";
import { AuthFailureThrottle } from "./auth-failure-throttle.js";
import { sendError } from "./errors.js";
import { storeRawCdr } from "./raw-cdr-store.js";

export const SIGNATURE_WINDOW_SECONDS = 300;

const safeEqual = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

type Verdict = { ok: true } | { ok: false; code: string; message: string };

/** What can be decided from the headers alone, before reading the body. */
function checkHeaders(req: Request, secret: string | undefined, now: number): Verdict & { signed?: boolean } {
  if (!secret) return { ok: false, code: "WEBHOOK_NOT_CONFIGURED", message: "THREECX_CDR_WEBHOOK_SECRET is not set on this server." };
  const auth = req.headers.authorization;
  if (auth) {
    const m = /^Bearer\s+(.+)$/i.exec(auth.trim());
    return m && safeEqual(m[1]!, secret) ? { ok: true } : { ok: false, code: "BAD_WEBHOOK_SECRET", message: "Wrong webhook secret." };
  }
  const ts = req.header("x-3cx-timestamp");
  const sig = req.header("x-3cx-signature");
  if (!ts || !sig) return { ok: false, code: "NO_WEBHOOK_AUTH", message: "Send Authorization: Bearer <secret>, or X-3CX-Timestamp and X-3CX-Signature." };
  if (!/^\d{1,12}$/.test(ts) || Math.abs(now / 1000 - Number(ts)) > SIGNATURE_WINDOW_SECONDS)
    return { ok: false, code: "STALE_SIGNATURE", message: `X-3CX-Timestamp must be within ${SIGNATURE_WINDOW_SECONDS} s of now.` };
  return { ok: true, signed: true };
}

function checkSignature(req: Request, secret: string, body: Buffer): boolean {
  const ts = req.header("x-3cx-timestamp")!;
  const given = (req.header("x-3cx-signature") ?? "").replace(/^sha256=/i, "");
  const expected = createHmac("sha256", secret).update(`${ts}.`).update(body).digest("hex");
  return safeEqual(given.toLowerCase(), expected);
}

export function installCdrWebhook(app: Express, opts: { env: Env; pool: Pool; registry: Registry; phiSettings: Record<string, string> }) {
  const { env, pool, phiSettings } = opts;
  const requests = new Counter({
    name: "cdr_webhook_requests_total",
    help: "CDR webhook requests by outcome",
    labelNames: ["outcome"],
    registers: [opts.registry],
  });
  const readBody = express.raw({ type: () => true, limit: env.CDR_MAX_BODY_BYTES });
  const throttle = new AuthFailureThrottle(env.CDR_WEBHOOK_MAX_AUTH_FAILURES, env.CDR_WEBHOOK_AUTH_FAILURE_WINDOW_SECONDS * 1000);
  /**
   * Answers a refusal once the body has been read (the same reader, up to CDR_MAX_BODY_BYTES, then dropped):
   * answering first and closing with the body still on the wire makes the kernel reset the connection, and the
   * sender reads ECONNRESET instead of our 401 or 429 (seen under load).
   */
  const answerAfterBody = (req: Request, res: Response, answer: () => void) => readBody(req, res, () => answer());
  /** A failed authentication: counted per address (a server without a secret is no guess), logged, refused. */
  const refuse = (req: Request, res: Response, outcome: string, code: string, message: string) => {
    requests.inc({ outcome });
    const failures = code === "WEBHOOK_NOT_CONFIGURED" ? undefined : throttle.fail(req.ip);
    req.log.warn({ refusal: code, remote: req.ip, failures }, "CDR webhook refused");
    answerAfterBody(req, res, () => sendError(res, 401, code, message));
  };
  app.post("/api/3cx/cdr-webhook", (req, res, next) => {
    const wait = throttle.retryAfter(req.ip);
    if (wait > 0) {
      requests.inc({ outcome: "throttled" });
      req.log.warn({ refusal: "TOO_MANY_AUTH_FAILURES", remote: req.ip, retryAfter: wait }, "CDR webhook refused");
      res.setHeader("Retry-After", String(wait));
      return answerAfterBody(req, res, () => sendError(
        res, 429, "TOO_MANY_AUTH_FAILURES",
        `Too many failed authentications from this address (${env.CDR_WEBHOOK_MAX_AUTH_FAILURES} within ${env.CDR_WEBHOOK_AUTH_FAILURE_WINDOW_SECONDS} s); try again in ${wait} s.`,
      ));
    }
    const verdict = checkHeaders(req, env.THREECX_CDR_WEBHOOK_SECRET, Date.now());
    if (!verdict.ok) return refuse(req, res, "unauthenticated", verdict.code, verdict.message);
    readBody(req, res, async (err?: unknown) => {
      if (err) {
        const e = err as { status?: number; type?: string };
        if (e.status === 413 || e.type === "entity.too.large") {
          requests.inc({ outcome: "too_large" });
          return sendError(res, 413, "PAYLOAD_TOO_LARGE", `Bodies are limited to ${env.CDR_MAX_BODY_BYTES} bytes (CDR_MAX_BODY_BYTES).`);
        }
        return next(err);
      }
      const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      if (verdict.signed && !checkSignature(req, env.THREECX_CDR_WEBHOOK_SECRET!, body)) {
        return refuse(req, res, "bad_signature", "BAD_SIGNATURE", "X-3CX-Signature does not match the body.");
      }
      if (body.length === 0) {
        requests.inc({ outcome: "empty" });
        return sendError(res, 400, "EMPTY_BODY", "The body is empty.");
      }
      try {
        const id = await storeRawCdr(pool, phiSettings, {
          body,
          contentType: req.headers["content-type"] ?? "text/plain",
          source: "webhook",
          remote: req.ip ?? null,
        });
        requests.inc({ outcome: "accepted" });
        res.status(202).json({ rawIds: [id] });
      } catch (e) {
        next(e);
      }
    });
  });
}
