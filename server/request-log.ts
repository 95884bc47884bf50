/**
 * One JSON log line per request with a request id (X-Request-Id, echoed back).
 * Only method, path, status, timing and who asked: no headers, no bodies, no
 * query strings (nor a recording link's token), so no token or patient data reaches the logs.
 */
import { randomUUID } from "node:crypto";
import type { Express, Request } from "express";
import { pinoHttp } from "pino-http";
import type { Logger } from "pino";

const REQUEST_ID = /^[A-Za-z0-9_.:-]{1,64}$/;

export function installRequestLogging(app: Express, logger: Logger) {
  app.use(
    pinoHttp({
      logger,
      genReqId(req, res) {
        const given = req.headers["x-request-id"];
        const id = typeof given === "string" && REQUEST_ID.test(given) ? given : randomUUID();
        res.setHeader("X-Request-Id", id);
        return id;
      },
      serializers: {
        // A recording link's token is a credential until used: logged as <token>.
        req: (req: { id: string; method: string; url: string }) => ({
          id: req.id,
          method: req.method,
          path: req.url.split("?")[0]!.replace(/^\/api\/recordings\/[^/]+/, "/api/recordings/<token>"),
        }),
        res: (res: { statusCode: number }) => ({ status: res.statusCode }),
      },
      customProps: (req) => {
        const session = (req as Request).session;
        return session ? { userId: session.userId, role: session.role } : {};
      },
      customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? "error" : res.statusCode >= 400 ? "warn" : "info"),
    }),
  );
}
