/**
 * GET /api/recordings/<token>: a one-time recording link made by
 * requestRecordingLink (or revealCallCenterRecord / revealQaReviewRecording for
 * recording_url). No Authorization header (an <audio src> cannot send one): the
 * token is the credential, random and stored only as its SHA-256. Each fetch
 *
 * 1. finds whose link it is and checks that person again as sign-in does
 *    (still a user, active, with a role), then, as that person in SQL
 *    (app_hidden.claim_recording_link), that they still hold accessRecordings
 *    and still see the call; the link is claimed (used) in that transaction;
 * 2. asks the PBX for the recording (THREECX_RECORDING_BASE_URL joined with the
 *    stored location, recordingUrlFor), passing a Range header, with
 *    RECORDING_FETCH_TIMEOUT_MS to answer and between chunks;
 * 3. when the PBX fails (no answer in time: 504; refused, unreachable or not
 *    2xx: 502), gives the link back, so it may be tried again until it
 *    expires, and writes no access row: nothing was heard;
 * 4. when the PBX answers, writes the access to the audit log (a 'reveal' row,
 *    event recording_fetched, not counted against the reveal limits: the link's
 *    issue was) and streams the audio with the PBX's Content-Type,
 *    Content-Length and Content-Range, and nothing else of the PBX's answer.
 *
 * Neither the PBX's address nor the stored location reaches the client or
 * the log.
 */
import { createHash } from "node:crypto";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { Express, Request, Response } from "express";
import type pg from "pg";
import { Counter, type Registry } from "prom-client";
import type { Env } from "../lib/env.js";
import { applySettings } from "../db/pg-settings.js";
import { APP_ROLES } from "../db/roles.js";
import { sessionPgSettings, type Session } from "./auth.js";
import { sendError } from "./errors.js";

export interface RecordingOptions {
  env: Env;
  pool: pg.Pool;
  /** The patient-data keys and reveal settings (the stored location is decrypted in SQL). */
  phiSettings: Record<string, string>;
  /** /metrics: recording_fetches_total{outcome}. */
  registry?: Registry;
}

/** 32 random bytes in base64url without padding (app_hidden.new_recording_link). */
const TOKEN = /^[A-Za-z0-9_-]{43}$/;
const RANGE = /^bytes=\d*-\d*(?:, ?\d*-\d*)*$/;

/** The answer (and the metric's outcome) to each refusal of claim_recording_link. */
const CLAIM_REFUSALS: Record<string, [status: number, code: string, outcome: string]> = {
  CC962: [404, "RECORDING_LINK_UNKNOWN", "unknown"],
  CC963: [410, "RECORDING_LINK_USED", "used"],
  CC964: [410, "RECORDING_LINK_EXPIRED", "expired"],
  CC502: [403, "FORBIDDEN", "forbidden"],
  CC965: [403, "FORBIDDEN", "forbidden"],
  CC961: [404, "RECORDING_GONE", "gone"],
};

export class RecordingLocationError extends Error {}

/**
 * The PBX address of a stored recording location. A relative location (what
 * 3CX's XAPI and file names give, e.g. `[Jane Roe]_201-0114627554_20190219120918(380).wav`)
 * is joined to THREECX_RECORDING_BASE_URL, each path segment encoded, `.` and `..`
 * refused (a stored location can never climb out of the base). An absolute URL
 * (a ReportCall [RecordingUrl] carrying the PBX's public name) keeps only its
 * path and query, on the base's origin: this service never fetches from a host
 * other than the configured one.
 */
export function recordingUrlFor(base: string, location: string): URL {
  const baseUrl = new URL(base);
  const text = location.trim();
  if (!text) throw new RecordingLocationError("empty recording location");
  if (/^[a-z][a-z0-9+.-]*:/i.test(text)) {
    let given: URL;
    try {
      given = new URL(text);
    } catch {
      throw new RecordingLocationError("the recording location is not a URL");
    }
    if (given.protocol !== "http:" && given.protocol !== "https:") throw new RecordingLocationError("the recording location is not an http(s) URL");
    return new URL(`${given.pathname}${given.search}`, baseUrl.origin);
  }
  const segments = text
    .replace(/\\/g, "/")
    .split("/")
    .filter((s) => s !== "")
    .map((s) => {
      let decoded = s;
      try {
        decoded = decodeURIComponent(s);
      } catch {
        // Not percent-encoded: taken as it is.
      }
      if (decoded === "." || decoded === ".." || decoded.includes("/") || decoded.includes("\\"))
        throw new RecordingLocationError("the recording location climbs out of THREECX_RECORDING_BASE_URL");
      return encodeURIComponent(decoded);
    });
  if (segments.length === 0) throw new RecordingLocationError("empty recording location");
  const prefix = baseUrl.pathname.endsWith("/") ? baseUrl.pathname : `${baseUrl.pathname}/`;
  return new URL(`${prefix}${segments.join("/")}${baseUrl.search}`, baseUrl.origin);
}

const EXTENSION_OF_TYPE: Record<string, string> = { "audio/wav": "wav", "audio/x-wav": "wav", "audio/wave": "wav", "audio/mpeg": "mp3", "audio/ogg": "ogg", "audio/opus": "opus" };

export function installRecordings(app: Express, { env, pool, phiSettings, registry }: RecordingOptions) {
  const timeoutMs = env.RECORDING_FETCH_TIMEOUT_MS;
  const fetches = new Counter({
    name: "recording_fetches_total",
    help: "Fetches of one-time recording links by outcome (streamed, unknown, used, expired, forbidden, gone, not_configured, pbx_error, pbx_timeout, pbx_unreachable, location_invalid, range)",
    labelNames: ["outcome"],
    registers: registry ? [registry] : [],
  });
  const refuse = (res: Response, outcome: string, status: number, code: string, message: string) => {
    fetches.inc({ outcome });
    sendError(res, status, code, message);
  };

  /** Runs fn in a transaction as the person, with the keys; commits unless fn throws. */
  async function asPerson<T>(session: Session, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await pool.connect();
    try {
      await client.query("begin");
      await applySettings(client, { ...sessionPgSettings(session, { statementTimeoutMs: env.API_STATEMENT_TIMEOUT_MS }), ...phiSettings });
      const result = await fn(client);
      await client.query("commit");
      return result;
    } catch (e) {
      await client.query("rollback").catch(() => undefined);
      throw e;
    } finally {
      client.release();
    }
  }

  const release = (session: Session, linkId: string) =>
    asPerson(session, (c) => c.query("select app_hidden.mark_recording_link($1, false)", [linkId])).catch(() => undefined);

  // A HEAD (a link preview, a cautious player) must not use the link up: only GET fetches.
  app.head("/api/recordings/:token", (_req: Request, res: Response) => {
    res.setHeader("Allow", "GET");
    res.status(405).end();
  });

  app.get("/api/recordings/:token", async (req: Request, res: Response, next) => {
    try {
      res.setHeader("Cache-Control", "no-store");
      const token = String(req.params.token ?? "");
      if (!TOKEN.test(token)) return refuse(res, "unknown", 404, "RECORDING_LINK_UNKNOWN", "No such recording link.");
      const hash = createHash("sha256").update(token, "utf8").digest();
      const holder = (await pool.query<{ link_id: string; email: string }>("select link_id, email from app_hidden.recording_link_holder($1)", [hash])).rows[0];
      if (!holder) return refuse(res, "unknown", 404, "RECORDING_LINK_UNKNOWN", "No such recording link.");

      // The person, checked again as sign-in checks them.
      const person = (await pool.query<{ user_id: string; role: string | null; is_active: boolean }>(
        "select user_id, role, is_active from app_hidden.session_for_email($1)", [holder.email],
      )).rows[0];
      if (!person?.is_active) return refuse(res, "forbidden", 403, "USER_INACTIVE", "The person this link was made for is deactivated.");
      if (!person.role || !(APP_ROLES as readonly string[]).includes(person.role))
        return refuse(res, "forbidden", 403, "NO_ROLE", "The person this link was made for has no role any more.");
      const session: Session = { userId: person.user_id, email: holder.email, role: person.role as Session["role"] };

      if (!env.THREECX_RECORDING_BASE_URL)
        return refuse(res, "not_configured", 503, "RECORDINGS_NOT_CONFIGURED", "Recordings cannot be fetched: THREECX_RECORDING_BASE_URL is not set. The link was not used.");

      let claim: { call_record_id: string; location: string; reason: string };
      try {
        claim = await asPerson(session, async (c) => (await c.query("select * from app_hidden.claim_recording_link($1)", [holder.link_id])).rows[0]);
      } catch (e) {
        const code = (e as { code?: string }).code ?? "";
        const refusal = CLAIM_REFUSALS[code];
        if (!refusal) throw e;
        const message = (e as Error).message;
        if (refusal[0] === 403)
          await asPerson(session, (c) => c.query("select app_hidden.record_refusal('recordingLink', $1, $2)", [code, message])).catch(() => undefined);
        return refuse(res, refusal[2], refusal[0], refusal[1], message);
      }

      let url: URL;
      try {
        url = recordingUrlFor(env.THREECX_RECORDING_BASE_URL, claim.location);
      } catch (e) {
        await release(session, holder.link_id);
        req.log?.warn({ callId: claim.call_record_id, problem: (e as Error).message }, "recording location refused");
        return refuse(res, "location_invalid", 502, "RECORDING_LOCATION_INVALID", "The call's stored recording location cannot be fetched from the phone system.");
      }

      // The PBX: headers within the timeout, then no pause longer than it between chunks.
      const abort = new AbortController();
      let timedOut = false;
      let timer = setTimeout(() => ((timedOut = true), abort.abort()), timeoutMs);
      const range = typeof req.headers.range === "string" && RANGE.test(req.headers.range) ? req.headers.range : undefined;
      let upstream: globalThis.Response;
      try {
        upstream = await fetch(url, { headers: { accept: "audio/*", ...(range ? { range } : {}) }, redirect: "manual", signal: abort.signal });
      } catch {
        clearTimeout(timer);
        await release(session, holder.link_id);
        req.log?.warn({ callId: claim.call_record_id, timedOut }, "recording fetch failed");
        return timedOut
          ? refuse(res, "pbx_timeout", 504, "RECORDING_PBX_TIMEOUT", `The phone system did not answer within ${timeoutMs} ms. The link was not used: try it again before it expires.`)
          : refuse(res, "pbx_unreachable", 502, "RECORDING_PBX_UNREACHABLE", "The phone system could not be reached. The link was not used: try it again before it expires.");
      }
      if (upstream.status !== 200 && upstream.status !== 206) {
        clearTimeout(timer);
        abort.abort();
        await release(session, holder.link_id);
        req.log?.warn({ callId: claim.call_record_id, pbxStatus: upstream.status }, "recording fetch refused by the PBX");
        if (upstream.status === 416) return refuse(res, "range", 416, "RANGE_NOT_SATISFIABLE", "The requested range is outside the recording. The link was not used.");
        return refuse(res, "pbx_error", 502, "RECORDING_PBX_ERROR",
          `The phone system answered ${upstream.status} instead of the recording. The link was not used: try it again before it expires.`);
      }

      try {
        await asPerson(session, (c) =>
          c.query("select app_hidden.write_recording_fetch_audit($1, $2, $3, $4)", [
            holder.link_id, claim.call_record_id, claim.reason, JSON.stringify({ status: upstream.status, ...(range ? { range } : {}) }),
          ]),
        );
      } catch (e) {
        clearTimeout(timer);
        abort.abort();
        await release(session, holder.link_id);
        throw e;
      }

      const type = (upstream.headers.get("content-type") ?? "application/octet-stream").split(",")[0]!.trim();
      const ext = EXTENSION_OF_TYPE[type.split(";")[0]!.trim().toLowerCase()] ?? "bin";
      fetches.inc({ outcome: "streamed" });
      res.status(upstream.status);
      res.setHeader("Content-Type", type);
      const length = upstream.headers.get("content-length");
      if (length && /^\d+$/.test(length)) res.setHeader("Content-Length", length);
      const contentRange = upstream.headers.get("content-range");
      if (upstream.status === 206 && contentRange && /^bytes [\d*/-]+$/.test(contentRange)) res.setHeader("Content-Range", contentRange);
      if (upstream.headers.get("accept-ranges") === "bytes") res.setHeader("Accept-Ranges", "bytes");
      res.setHeader("Content-Disposition", `inline; filename="call-${claim.call_record_id}.${ext}"`);
      res.setHeader("X-Content-Type-Options", "nosniff");
      if (!upstream.body) {
        clearTimeout(timer);
        return res.end();
      }
      const idle = new Transform({
        transform(chunk, _enc, done) {
          clearTimeout(timer);
          timer = setTimeout(() => ((timedOut = true), abort.abort()), timeoutMs);
          done(null, chunk);
        },
      });
      res.on("close", () => abort.abort());
      try {
        await pipeline(Readable.fromWeb(upstream.body as import("node:stream/web").ReadableStream), idle, res);
      } catch {
        // The PBX stalled or the client went away mid-stream: the status is sent, the answer is cut short.
        req.log?.warn({ callId: claim.call_record_id, timedOut }, "recording stream cut short");
        res.destroy();
      } finally {
        clearTimeout(timer);
      }
    } catch (e) {
      next(e);
    }
  });
}
