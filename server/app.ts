/**
 * The HTTP service: an ordered list of install steps, nothing else.
 */
import http from "node:http";
import express from "express";
import type { Logger } from "pino";
import type { Env } from "../lib/env.js";
import { makePreset } from "../graphile.config.js";
import { phiKeys, phiPgSettings } from "../lib/phi-keys.js";
import { makeAuthenticator } from "./auth.js";
import { jsonErrorHandler, makeMaskError, sendError } from "./errors.js";
import { startCdrSocket, type CdrSocket } from "./cdr-socket.js";
import { installCdrWebhook } from "./cdr-webhook.js";
import { installHealth } from "./health.js";
import { installMetrics } from "./metrics.js";
import { makeAuthenticatorPool } from "./pools.js";
import { installPostGraphile } from "./postgraphile.js";
import { perUserRateLimit } from "./rate-limit.js";
import { makeRequestGuard } from "./request-guard.js";
import { installRequestLogging } from "./request-log.js";
import { requireSession } from "./sign-in.js";
import { installRestRoutes } from "./rest/install.js";
import { installOpenApi } from "./rest/openapi.js";
import { REST_ROUTES } from "./rest/routes.js";
import { closePdfPrinter } from "./reports/render/pdf.js";

export interface AppOptions {
  env: Env;
  logger: Logger;
  authenticatorUrl: string;
  /** Set when a worker runs in the same process (for the health check). */
  workerRunning?: () => boolean;
}

export interface App {
  server: http.Server;
  /** The 3CX active-socket listener, when THREECX_CDR_SOCKET_PORT is set. */
  cdrSocket?: CdrSocket;
  /** Stops accepting work and releases the database pool. */
  close(): Promise<void>;
}

export async function makeApp({ env, logger, authenticatorUrl, workerRunning }: AppOptions): Promise<App> {
  const app = express();
  const server = http.createServer(app);
  const pool = makeAuthenticatorPool(authenticatorUrl, env.DATABASE_POOL_SIZE, logger, env.API_STATEMENT_TIMEOUT_MS);
  const authenticator = makeAuthenticator(env, pool);
  const guard = makeRequestGuard({ maxPerUser: env.MAX_CONCURRENT_REQUESTS_PER_USER, cancelUrl: authenticatorUrl, logger });
  const phiSettings = phiPgSettings(phiKeys(env));

  app.disable("x-powered-by");
  app.set("trust proxy", env.TRUST_PROXY);
  installRequestLogging(app, logger);
  const metrics = installMetrics(app, {
    pool,
    token: env.METRICS_TOKEN,
    allow: env.METRICS_ALLOW,
    // Served by middleware, not routes: PostGraphile (graphile.config.ts's paths, Ruru's assets) and sign-in refusals.
    knownPaths: ["/graphql", "/graphiql", "/ruru-static/*", ...REST_ROUTES.map((r) => (r.path.includes(":") ? `${r.path.slice(0, r.path.indexOf(":"))}*` : r.path))],
  });
  installHealth(app, { pool, workerRunning, cdrTimeZone: env.THREECX_CDR_TIMEZONE, logger });
  installCdrWebhook(app, { env, pool, registry: metrics.registry, phiSettings });
  app.use("/graphql", requireSession(authenticator, metrics), perUserRateLimit(env.RATE_LIMIT_PER_MINUTE), guard.middleware);
  for (const path of new Set(REST_ROUTES.map((r) => r.path))) {
    app.use(path, requireSession(authenticator, metrics), perUserRateLimit(env.RATE_LIMIT_PER_MINUTE), guard.middleware);
  }
  const pgl = await installPostGraphile(app, server, makePreset({ env, authenticatorPool: pool, authenticator, phiSettings, guard }));
  installRestRoutes(app, pgl, makeMaskError(env), REST_ROUTES, { chromiumPath: env.CHROMIUM_PATH });
  installOpenApi(app, pgl);
  app.use((_req, res) => sendError(res, 404, "NOT_FOUND", "No such endpoint."));
  app.use(jsonErrorHandler);
  const cdrSocket = env.THREECX_CDR_SOCKET_PORT !== undefined ? await startCdrSocket({ env, pool, logger, phiSettings }) : undefined;

  return {
    server,
    cdrSocket,
    async close() {
      await cdrSocket?.close();
      server.closeAllConnections?.();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await closePdfPrinter();
      await pgl.release();
      await guard.close();
      await pool.end();
    },
  };
}
