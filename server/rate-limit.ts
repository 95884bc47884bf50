/** Per-user request limit (RATE_LIMIT_PER_MINUTE), applied after sign-in. */
import type { RequestHandler } from "express";
import { ipKeyGenerator, rateLimit } from "express-rate-limit";
import { sendError } from "./errors.js";

export function perUserRateLimit(limitPerMinute: number): RequestHandler {
  return rateLimit({
    windowMs: 60_000,
    limit: limitPerMinute,
    standardHeaders: "draft-8",
    legacyHeaders: false,
    keyGenerator: (req) => req.session?.userId ?? ipKeyGenerator(req.ip ?? "unknown"),
    handler: (_req, res) => sendError(res, 429, "RATE_LIMITED", `More than ${limitPerMinute} requests a minute; slow down.`),
  });
}
