/**
 * POST /api/processing/calculate-kpis {"from": "YYYY-MM-DD", "to": "YYYY-MM-DD"}:
 * recounts every queue and agent figure of a range of business days now, as
 * the signed-in person (app_public.calculate_kpis decides who may:
 * configureMetrics). 200 {"rows": n}; 400 bad range; 401 no token; 403 not
 * allowed; 429 too many requests at once; 503 QUERY_TIMEOUT when the recount
 * takes longer than API_STATEMENT_TIMEOUT_MS (a long range is the worker's
 * scheduled work).
 */
import express, { type Express } from "express";
import type { Pool } from "pg";
import { z } from "zod";
import { applySettings } from "../db/pg-settings.js";
import { sessionPgSettings } from "./auth.js";
import { QUERY_CANCELED, queryTimeoutMessage, sendError } from "./errors.js";
import type { RequestGuard } from "./request-guard.js";

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "a business day as YYYY-MM-DD");
const body = z.object({ from: day, to: day }).strict();

interface Options {
  pool: Pool;
  /** The per-user connection limit and the cancellation when the client goes away. */
  guard: RequestGuard;
  /** API_STATEMENT_TIMEOUT_MS, set in the recount's transaction. */
  statementTimeoutMs: number;
}

export function installKpiRecount(app: Express, { pool, guard, statementTimeoutMs }: Options) {
  app.post("/api/processing/calculate-kpis", express.json({ limit: "2kb" }), async (req, res, next) => {
    const parsed = body.safeParse(req.body ?? {});
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return sendError(res, 400, "INVALID_INPUT", `${issue?.path.join(".") || "body"}: ${issue?.message ?? "invalid"}`);
    }
    try {
      const rows = await guard.withClient(pool, req.guard!, async (client) => {
        try {
          await client.query("begin");
          await applySettings(client, sessionPgSettings(req.session!, { statementTimeoutMs }));
          const result = await client.query<{ rows: number }>("select app_public.calculate_kpis($1::date, $2::date) as rows", [parsed.data.from, parsed.data.to]);
          await client.query("commit");
          return result.rows[0]!.rows;
        } catch (e) {
          await client.query("rollback").catch(() => undefined);
          throw e;
        }
      });
      res.json({ rows });
    } catch (e) {
      const err = e as { code?: string; message: string };
      if (err.code === "42501") return sendError(res, 403, "FORBIDDEN", err.message);
      if (err.code === "22023" || err.code === "22008" || err.code === "22007") return sendError(res, 400, "INVALID_INPUT", err.message);
      if (err.code === QUERY_CANCELED) return sendError(res, 503, "QUERY_TIMEOUT", queryTimeoutMessage(statementTimeoutMs));
      next(e);
    }
  });
}
