/**
 * Prometheus metrics at GET /metrics: process defaults, HTTP traffic, refused
 * sign-ins, and the 3CX CDR feed read from the database when scraped.
 *
 * Labels stay few and hold no personal data: HTTP traffic is labelled by the
 * route template that answered (or a known path served by middleware), and
 * everything else as "unmatched", never by the path asked for.
 *
 * Who may scrape: a direct connection from loopback (127.0.0.0/8, ::1), so a
 * scraper on the same host needs nothing; a direct connection from an
 * address in METRICS_ALLOW; anyone with `Authorization: Bearer
 * <METRICS_TOKEN>`. Both address rules look at the socket's address, never
 * at X-Forwarded-For (TRUST_PROXY or not): that header is written by whoever
 * sends the request, and with TRUST_PROXY Express takes its first entry, which
 * the caller chooses. A request carrying a forwarding header (X-Forwarded-For,
 * Forwarded, X-Real-IP) was relayed by a proxy, so its socket address is the
 * proxy's, not the caller's: neither address rule applies, only the token.
 */
import { withShortTimeout } from "./pools.js";
import { createHash, timingSafeEqual } from "node:crypto";
import type { Express, Request, RequestHandler } from "express";
import type { Pool } from "pg";
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
import { isLoopback, parseAddressList, type AddressList } from "../lib/address-list.js";
import { readCdrFeed, type CdrFeed } from "./cdr-feed.js";
import { sendError } from "./errors.js";

export interface Metrics {
  registry: Registry;
  authRefusals: Counter<"code">;
}

export interface MetricsOptions {
  /** Where the CDR feed gauges are read (the API's login may run app_hidden.cdr_feed_health()). */
  pool?: Pool;
  /** METRICS_TOKEN: a bearer token that opens /metrics from anywhere. */
  token?: string;
  /** METRICS_ALLOW: addresses and CIDR blocks let in without a token. */
  allow?: string;
  /**
   * Paths answered by middleware rather than routes (PostGraphile's, sign-in
   * refusals), labelled as themselves; a trailing "*" labels a whole prefix.
   */
  knownPaths?: readonly string[];
}

/** The label of everything no route or known path answered. */
export const UNMATCHED = "unmatched";

/** The route label of a finished request: its route template, a known path, or "unmatched". */
export function routeLabel(req: Request, knownPaths: readonly string[] = []): string {
  // req.route is set once a route (app.get, app.post, ...) matched; its path is the template.
  const template = req.route?.path;
  if (typeof template === "string") return `${req.baseUrl}${template}`;
  // originalUrl: middleware mounted on a path rewrites req.url while it runs.
  const path = (req.originalUrl ?? req.url).split("?")[0]!;
  for (const known of knownPaths) {
    if (known.endsWith("*") ? path.startsWith(known.slice(0, -1)) : path === known) return known;
  }
  return UNMATCHED;
}

export interface MetricsPolicy {
  /** METRICS_TOKEN. */
  token?: string;
  /** METRICS_ALLOW, parsed. */
  allow: AddressList | null;
}

export interface MetricsRequest {
  /** The socket's remote address. */
  remoteAddress: string | undefined;
  /** Whether the request carries a forwarding header (it came through a proxy). */
  forwarded: boolean;
  authorization: string | undefined;
}

export type MetricsVerdict =
  | { ok: true; via: "loopback" | "allowlist" | "token" }
  | { ok: false; status: 401 | 403; code: "METRICS_FORBIDDEN" | "METRICS_TOKEN_REQUIRED" | "METRICS_TOKEN_INVALID"; message: string };

const digest = (s: string) => createHash("sha256").update(s).digest();

/** Who may read /metrics (see the top of this file). */
export function metricsAccess(req: MetricsRequest, policy: MetricsPolicy): MetricsVerdict {
  if (!req.forwarded && isLoopback(req.remoteAddress)) return { ok: true, via: "loopback" };
  if (!req.forwarded && policy.allow?.has(req.remoteAddress)) return { ok: true, via: "allowlist" };
  if (req.authorization !== undefined) {
    const given = /^Bearer +(\S+)\s*$/i.exec(req.authorization.trim())?.[1];
    if (policy.token && given !== undefined && timingSafeEqual(digest(given), digest(policy.token))) return { ok: true, via: "token" };
    return {
      ok: false,
      status: 401,
      code: "METRICS_TOKEN_INVALID",
      message: policy.token ? "The bearer token is not METRICS_TOKEN." : "No METRICS_TOKEN is configured on this server.",
    };
  }
  if (policy.token)
    return {
      ok: false,
      status: 401,
      code: "METRICS_TOKEN_REQUIRED",
      message: "From this address /metrics needs 'Authorization: Bearer <METRICS_TOKEN>'.",
    };
  return {
    ok: false,
    status: 403,
    code: "METRICS_FORBIDDEN",
    message: `/metrics is open to loopback only${req.forwarded ? " (and this request came through a proxy)" : ""}; set METRICS_TOKEN or METRICS_ALLOW to scrape from elsewhere.`,
  };
}

const FORWARDING_HEADERS = ["x-forwarded-for", "forwarded", "x-real-ip"];

function metricsGuard(policy: MetricsPolicy): RequestHandler {
  return (req, res, next) => {
    const verdict = metricsAccess(
      {
        remoteAddress: req.socket.remoteAddress,
        forwarded: FORWARDING_HEADERS.some((h) => req.headers[h] !== undefined),
        authorization: req.headers.authorization,
      },
      policy,
    );
    if (verdict.ok) return next();
    req.log?.warn({ refusal: verdict.code, status: verdict.status }, "metrics scrape refused");
    if (verdict.status === 401) res.setHeader("WWW-Authenticate", `Bearer realm="metrics"`);
    sendError(res, verdict.status, verdict.code, verdict.message);
  };
}

/**
 * One database read per scrape for the feed gauges: the registry calls every
 * collect at once, so they share the read in flight; the next scrape reads afresh.
 */
function feedReader(pool: Pool) {
  let pending: Promise<CdrFeed | null> | undefined;
  return () => {
    pending ??= (async () => {
      return await withShortTimeout(pool, 3000, (client) => readCdrFeed(client));
    })()
      .catch(() => null)
      .finally(() => {
        pending = undefined;
      });
    return pending;
  };
}

interface PbxApiHealth {
  status: Record<string, { consecutive_failures: number; last_success_at: string | null }>;
  failures: { kind: string; reason: string; failures: number }[];
}

/** One read of app_hidden.pbx_api_health() per scrape, shared by the 3CX API metrics (as feedReader). */
function pbxApiReader(pool: Pool) {
  let pending: Promise<PbxApiHealth | null> | undefined;
  return () => {
    pending ??= withShortTimeout(pool, 3000, async (client) => (await client.query<{ h: PbxApiHealth }>("select app_hidden.pbx_api_health() as h")).rows[0]?.h ?? null)
      .catch(() => null)
      .finally(() => {
        pending = undefined;
      });
    return pending;
  };
}

interface ReportStats {
  runs: Record<string, number>;
  deliveries: Record<string, number>;
}

function reportStatsReader(pool: Pool) {
  let pending: Promise<ReportStats | null> | undefined;
  return () => {
    pending ??= withShortTimeout(pool, 3000, async (client) => (await client.query("select app_hidden.report_delivery_stats() as s")).rows[0].s as ReportStats)
      .catch(() => null)
      .finally(() => {
        pending = undefined;
      });
    return pending;
  };
}

export function installMetrics(app: Express, { pool, token, allow, knownPaths = [] }: MetricsOptions = {}): Metrics {
  const policy: MetricsPolicy = { token, allow: allow ? parseAddressList(allow) : null };
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const requests = new Histogram({
    name: "http_request_duration_seconds",
    help: "HTTP requests by route and status",
    labelNames: ["method", "route", "status"],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const authRefusals = new Counter({
    name: "auth_refusals_total",
    help: "Requests refused at sign-in (401 and 403), by reason code",
    labelNames: ["code"],
    registers: [registry],
  });
  if (pool) {
    // Refreshed when scraped; NaN when there is nothing to tell (no live records yet, or the database did not answer).
    const feed = feedReader(pool);
    new Gauge({
      name: "cdr_feed_samples",
      help: "Live 3CX records the cdr_feed_* gauges are computed from (the last ones, at most 50)",
      registers: [registry],
      async collect() {
        const f = await feed();
        this.set(f ? f.samples : Number.NaN);
      },
    });
    new Gauge({
      name: "cdr_feed_clock_offset_seconds",
      help: "Median of arrival minus the record's end time over the last 50 live 3CX records, in seconds; a few seconds when the PBX's zone and clock agree with THREECX_CDR_TIMEZONE",
      registers: [registry],
      async collect() {
        const f = await feed();
        this.set(f?.medianOffsetSeconds ?? Number.NaN);
      },
    });
    new Gauge({
      name: "cdr_feed_type_fields_ratio",
      help: "Share of the last 50 live 3CX records that carried the type fields (from-type, to-type, final-type)",
      registers: [registry],
      async collect() {
        const f = await feed();
        this.set(f && f.samples > 0 ? f.withTypeFields / f.samples : Number.NaN);
      },
    });
  }
  if (pool) {
    // The worker talks to 3CX; it records every attempt in the database, so these are read from there at each scrape.
    const pbx = pbxApiReader(pool);
    new Counter({
      name: "threecx_api_failures_total",
      help: "Failed attempts to use the 3CX API (XAPI) by use (directory, presence, recordings) and reason (unauthorized, forbidden, rate_limited, server_error, timeout, network, malformed_json, invalid_answer, http_error, apply_failed, not_configured), as the worker recorded them",
      labelNames: ["kind", "reason"],
      registers: [registry],
      async collect() {
        const h = await pbx();
        if (!h) return;
        this.reset();
        for (const f of h.failures) this.inc({ kind: f.kind, reason: f.reason }, Number(f.failures));
      },
    });
    new Gauge({
      name: "threecx_api_consecutive_failures",
      help: "Failed attempts in a row of each use of the 3CX API (0 once one succeeds)",
      labelNames: ["kind"],
      registers: [registry],
      async collect() {
        const h = await pbx();
        if (!h) return;
        for (const [kind, s] of Object.entries(h.status)) this.set({ kind }, s.consecutive_failures);
      },
    });
    new Gauge({
      name: "threecx_api_last_success_timestamp_seconds",
      help: "When each use of the 3CX API last succeeded (Unix seconds; NaN: never)",
      labelNames: ["kind"],
      registers: [registry],
      async collect() {
        const h = await pbx();
        if (!h) return;
        for (const [kind, s] of Object.entries(h.status)) this.set({ kind }, s.last_success_at ? Date.parse(s.last_success_at) / 1000 : Number.NaN);
      },
    });
    // Scheduled reports: runs by status and deliveries by channel and status, counted in the database when scraped
    // (the worker that sends them may run in another process). A rising report_deliveries{status="failed"} is a
    // report that did not arrive; each such delivery also notified every superadmin.
    const stats = reportStatsReader(pool);
    new Gauge({
      name: "report_runs",
      help: "Report runs by status (queued, running, sent, partial, failed)",
      labelNames: ["status"],
      registers: [registry],
      async collect() {
        this.reset();
        const s = await stats();
        for (const [status, n] of Object.entries(s?.runs ?? {})) this.set({ status }, Number(n));
      },
    });
    new Gauge({
      name: "report_deliveries",
      help: "Report deliveries by channel (email, sms) and status (pending, sent, failed: after its last attempt)",
      labelNames: ["channel", "status"],
      registers: [registry],
      async collect() {
        this.reset();
        const s = await stats();
        for (const [key, n] of Object.entries(s?.deliveries ?? {})) {
          const [channel, status] = key.split("/");
          this.set({ channel: channel!, status: status! }, Number(n));
        }
      },
    });
  }
  app.use((req, res, next) => {
    const end = requests.startTimer();
    res.on("finish", () => {
      end({ method: req.method, route: routeLabel(req, knownPaths), status: String(res.statusCode) });
    });
    next();
  });
  app.get("/metrics", metricsGuard(policy), async (_req, res) => {
    res.setHeader("Content-Type", registry.contentType);
    res.send(await registry.metrics());
  });
  return { registry, authRefusals };
}
