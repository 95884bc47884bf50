/**
 * Prometheus metrics at GET /metrics: process defaults, HTTP traffic, refused
 * sign-ins, and the 3CX CDR feed read from the database when scraped.
 */
import type { Express } from "express";
import type { Pool } from "pg";
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
import { readCdrFeed, type CdrFeed } from "./cdr-feed.js";

export interface Metrics {
  registry: Registry;
  authRefusals: Counter<"code">;
}

export interface MetricsOptions {
  /** Where the CDR feed gauges are read (the API's login may run app_hidden.cdr_feed_health()). */
  pool?: Pool;
}

/**
 * One database read per scrape for the feed gauges: the registry calls every
 * collect at once, so they share the read in flight; the next scrape reads afresh.
 */
function feedReader(pool: Pool) {
  let pending: Promise<CdrFeed | null> | undefined;
  return () => {
    pending ??= (async () => {
      const client = await pool.connect();
      try {
        await client.query("set statement_timeout = 3000");
        return await readCdrFeed(client);
      } finally {
        client.release();
      }
    })()
      .catch(() => null)
      .finally(() => {
        pending = undefined;
      });
    return pending;
  };
}

export function installMetrics(app: Express, { pool }: MetricsOptions = {}): Metrics {
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
  app.use((req, res, next) => {
    const end = requests.startTimer();
    res.on("finish", () => {
      // Known routes only, so labels stay few (no ids from paths).
      const route = req.route?.path ?? (req.path.startsWith("/graphql") ? "/graphql" : req.path.startsWith("/api/") ? req.path : "other");
      end({ method: req.method, route: String(route), status: String(res.statusCode) });
    });
    next();
  });
  app.get("/metrics", async (_req, res) => {
    res.setHeader("Content-Type", registry.contentType);
    res.send(await registry.metrics());
  });
  return { registry, authRefusals };
}
