/**
 * Errors as clients see them: a stable `code`, a message safe to show, and
 * never a stack trace. Database errors map by SQLSTATE; our own raise codes
 * are listed in db/error_codes.md. Constraint violations name the field and
 * what it allows (server/constraint-messages.ts), in every mode; other
 * database text is shown in development only. Unknown errors are logged with
 * an id and, in production, shown only as that id.
 */
import { randomUUID } from "node:crypto";
import { GraphQLError } from "graphql";
import type { ErrorRequestHandler, Response } from "express";
import type { Env } from "../lib/env.js";
import { logger } from "../lib/logger.js";
import { constraintMessageOf, fieldName, problemsOf, type ListedProblem } from "./constraint-messages.js";

/** SQLSTATE → stable API code. */
const SQLSTATE_CODES: Record<string, string> = {
  "42501": "FORBIDDEN",
  "23505": "CONFLICT",
  "23503": "FOREIGN_KEY_VIOLATION",
  "23514": "CHECK_VIOLATION",
  "23502": "NOT_NULL_VIOLATION",
  "22P02": "INVALID_INPUT",
  "22007": "INVALID_INPUT",
  "22008": "INVALID_INPUT",
  "22003": "INVALID_INPUT",
  "22023": "INVALID_INPUT",
};
/** Our own codes (db/error_codes.md) start with CC and carry messages written for users. */
const OWN_CODE = /^CC[0-9A-Z]{3}$/;

export function sendError(res: Response, status: number, code: string, message: string, extra?: object) {
  res.status(status).json({ error: { code, message, ...extra } });
}

/** An error of ours with a stable code and a message safe to show (shown as is over GraphQL). */
export class ApiError extends Error {
  constructor(
    readonly apiCode: string,
    message: string,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

/** SQLSTATE 57014: the statement timeout stopped the statement (or it was cancelled because its client went away). */
export const QUERY_CANCELED = "57014";
export const queryTimeoutMessage = (timeoutMs: number) =>
  `The query took longer than the ${timeoutMs} ms allowed and was stopped; ask for less at once (a shorter range, fewer rows).`;

/** One problem an error of ours lists (extensions.problems), worded as an error of its own would be. */
export interface ApiProblem {
  index?: number;
  /** The line of the file (a schedule upload's CSV) or the position in the list, from 1. */
  line?: number;
  field?: string;
  code: string;
  message: string;
}

function wordProblem(p: ListedProblem, production: boolean): ApiProblem {
  const own = OWN_CODE.test(p.code);
  const code = own ? p.code : (SQLSTATE_CODES[p.code] ?? "INTERNAL");
  const described = constraintMessageOf(p);
  const field = described?.fields[0] ?? (p.column ? fieldName(p.column) : undefined);
  let message: string;
  if (own) message = p.message ?? code;
  else if (described) message = described.message;
  else if (code === "FORBIDDEN") message = "Not allowed.";
  else message = production ? code.toLowerCase().replace(/_/g, " ") : (p.message ?? code);
  return {
    ...(typeof p.index === "number" ? { index: p.index } : {}),
    ...(typeof p.line === "number" ? { line: p.line } : {}),
    ...(field ? { field } : {}),
    code,
    message,
  };
}

export function makeMaskError(env: Env) {
  const production = env.NODE_ENV === "production";
  return (error: GraphQLError): GraphQLError => {
    const original = error.originalError as (Error & { code?: string; extensions?: Record<string, unknown> }) | undefined;
    if (!original || original instanceof GraphQLError) return error; // validation and limit errors
    const sqlstate = typeof original.code === "string" ? original.code : undefined;
    const base = { nodes: error.nodes, source: error.source, positions: error.positions, path: error.path };
    if (original instanceof ApiError) {
      return new GraphQLError(original.message, { ...base, extensions: { code: original.apiCode } });
    }
    if (sqlstate === QUERY_CANCELED) {
      return new GraphQLError(queryTimeoutMessage(env.API_STATEMENT_TIMEOUT_MS), { ...base, extensions: { code: "QUERY_TIMEOUT" } });
    }
    if (sqlstate && OWN_CODE.test(sqlstate)) {
      const problems = problemsOf(original)?.map((p) => wordProblem(p, production));
      return new GraphQLError(original.message, { ...base, extensions: problems ? { code: sqlstate, problems } : { code: sqlstate } });
    }
    if (sqlstate && SQLSTATE_CODES[sqlstate]) {
      const code = SQLSTATE_CODES[sqlstate];
      const described = constraintMessageOf(original);
      if (described) {
        const extensions = described.fields.length > 0 ? { code, fields: described.fields } : { code };
        return new GraphQLError(described.message, { ...base, extensions });
      }
      const message = code === "FORBIDDEN" ? "Not allowed." : production ? code.toLowerCase().replace(/_/g, " ") : original.message;
      return new GraphQLError(message, { ...base, extensions: { code } });
    }
    if (original.extensions && typeof original.extensions.code === "string" && original.name === "SafeError") {
      return new GraphQLError(original.message, { ...base, extensions: { code: original.extensions.code } });
    }
    const errorId = randomUUID();
    logger.error({ errorId, sqlstate, err: { message: original.message, name: original.name } }, "GraphQL error");
    return new GraphQLError(production ? `Internal error (id ${errorId}).` : original.message, {
      ...base,
      extensions: { code: "INTERNAL", errorId },
    });
  };
}

/** Last express handler: JSON errors, bodies too large as 413, no stack traces. */
export const jsonErrorHandler: ErrorRequestHandler = (err, req, res, _next) => {
  const e = err as { status?: number; statusCode?: number; type?: string; message?: string };
  const status = e.status ?? e.statusCode ?? 500;
  if (res.headersSent) return;
  if (status === 413 || e.type === "entity.too.large") return sendError(res, 413, "PAYLOAD_TOO_LARGE", "Request body too large.");
  if (status >= 400 && status < 500) return sendError(res, status, "BAD_REQUEST", e.message ?? "Bad request.");
  const errorId = randomUUID();
  req.log?.error({ errorId, err: { message: e.message } }, "unhandled error");
  sendError(res, 500, "INTERNAL", `Internal error (id ${errorId}).`);
};
