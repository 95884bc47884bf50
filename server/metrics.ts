/** Prometheus metrics at GET /metrics: process defaults, HTTP traffic, refused sign-ins. */
import type { Express } from "express";
import { collectDefaultMetrics, Counter, Histogram, Registry } from "prom-client";

export interface Metrics {
  registry: Registry;
  authRefusals: Counter<"code">;
}

export function installMetrics(app: Express): Metrics {
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
