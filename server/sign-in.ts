/** Express middleware: a verified session on the request, or 401/403 with a JSON reason. */
import type { RequestHandler } from "express";
import { AuthError, type Authenticator } from "./auth.js";
import { sendError } from "./errors.js";
import type { Metrics } from "./metrics.js";

export function requireSession(authenticator: Authenticator, metrics: Metrics): RequestHandler {
  return async (req, res, next) => {
    // Signed in already: a REST path that extends another (/api/call-records/:id under /api/call-records) passes
    // the middleware of both; the token is checked and the person looked up once.
    if (req.method === "OPTIONS" || req.session) return next();
    try {
      req.session = await authenticator.authenticate(req.headers.authorization);
      next();
    } catch (e) {
      if (!(e instanceof AuthError)) return next(e);
      metrics.authRefusals.inc({ code: e.code });
      req.log.warn({ refusal: e.code, status: e.status }, "sign-in refused");
      if (e.status === 401) res.setHeader("WWW-Authenticate", `Bearer error="invalid_token"`);
      sendError(res, e.status, e.code, e.message);
    }
  };
}
