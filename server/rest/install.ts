/**
 * Serves the REST table (routes.ts) through the same grafast schema, context,
 * token and policies as /graphql: each request runs the route's stored
 * document as the signed-in person. Errors are {"error": {code, message,
 * field?}}: 400 (the field named), 401 (sign-in, before this), 403, 404, 409,
 * 503 QUERY_TIMEOUT.
 */
import express, { type Express, type Request, type Response } from "express";
import { grafast } from "postgraphile/grafast";
import type { PostGraphileInstance } from "postgraphile";
import type { GraphQLError } from "graphql";
import type { z } from "zod";
import { sendError } from "../errors.js";
import { REST_ROUTES, type RestRoute } from "./routes.js";

/** camelCase GraphQL names as the PRD's snake_case; rowId is the record's id. */
export function snakeKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(snakeKeys);
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k === "rowId" ? "id" : k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), snakeKeys(v)]),
    );
  }
  return value;
}

/** Maps one GraphQL error to an HTTP answer; the error's SQL column becomes the REST field it came from. */
function httpError(error: GraphQLError, route: RestRoute): { status: number; code: string; message: string; field?: string } {
  const original = error.originalError as (Error & { code?: string; column?: string }) | undefined;
  const code = (error.extensions?.code as string | undefined) ?? original?.code;
  const field = original?.column ? (route.fields?.[original.column] ?? original.column) : undefined;
  if (code === "42501" || code === "FORBIDDEN") return { status: 403, code: "FORBIDDEN", message: "Not allowed." };
  if (code === "57014" || code === "QUERY_TIMEOUT") return { status: 503, code: "QUERY_TIMEOUT", message: "" };
  if (code === "CC503" || code === "CC716") return { status: 404, code: "NOT_FOUND", message: error.message, ...(field ? { field } : {}) };
  if (code && /^CC(2|6)/.test(code)) return { status: 409, code, message: error.message, ...(field ? { field } : {}) };
  if (code && /^22/.test(code)) return { status: 400, code: "INVALID_INPUT", message: error.message, ...(field ? { field } : {}) };
  if (code && /^CC|^23/.test(code)) return { status: 400, code, message: error.message, ...(field ? { field } : {}) };
  return { status: 500, code: "INTERNAL", message: "Internal error." };
}

function inputOf(req: Request): Record<string, unknown> {
  const query = Object.fromEntries(Object.entries(req.query).map(([k, v]) => [k, Array.isArray(v) ? v.at(-1) : v]));
  const body = req.body && typeof req.body === "object" && !Array.isArray(req.body) ? (req.body as Record<string, unknown>) : {};
  return { ...query, ...body, ...req.params };
}

function badInput(res: Response, error: z.ZodError) {
  const issue = error.issues[0]!;
  const field = issue.path.join(".") || (issue.code === "unrecognized_keys" ? issue.keys.join(", ") : "");
  const message = issue.code === "unrecognized_keys" ? `Unknown parameter: ${issue.keys.join(", ")}.` : `${field}: ${issue.message}`;
  sendError(res, 400, "INVALID_INPUT", message, field ? { field } : undefined);
}

export function installRestRoutes(app: Express, pgl: PostGraphileInstance, maskError: (e: GraphQLError) => GraphQLError, routes: RestRoute[] = REST_ROUTES) {
  for (const route of routes) {
    const body = route.method === "get" || route.method === "delete" ? [] : [express.json({ limit: route.bodyLimit ?? "100kb" })];
    app[route.method](route.path, ...body, async (req: Request, res: Response, next: express.NextFunction) => {
      const parsed = route.input.safeParse(inputOf(req));
      if (!parsed.success) return badInput(res, parsed.error);
      try {
        const { schema, resolvedPreset } = await pgl.getSchemaResult();
        const result = await grafast({
          schema,
          resolvedPreset,
          requestContext: { expressv4: { req, res } } as Partial<Grafast.RequestContext>,
          source: route.document,
          variableValues: parsed.data,
        });
        if (!("data" in result) && !("errors" in result)) throw new Error("a REST document must not stream");
        const errors = (result as { errors?: readonly GraphQLError[] }).errors;
        if (errors?.length) {
          const mapped = httpError(errors[0]!, route);
          // Timeouts and unknown errors take the GraphQL door's wording (and, in production, hide the database's).
          const shown = mapped.status === 500 || mapped.status === 503 ? maskError(errors[0]!) : undefined;
          return sendError(res, mapped.status, shown ? String(shown.extensions?.code ?? "INTERNAL") : mapped.code, shown ? shown.message : mapped.message,
            mapped.field ? { field: mapped.field } : undefined);
        }
        const data = (result as { data?: Record<string, unknown> }).data ?? {};
        if ("value" in route.answer) {
          const [field, key] = route.answer.value;
          return res.json({ [route.answer.as]: (data[field] as Record<string, unknown> | null)?.[key] ?? null });
        }
        if ("one" in route.answer) {
          const item = data[route.answer.one];
          if (item == null) return sendError(res, 404, "NOT_FOUND", "No such record, or not one you may see.");
          return res.json(snakeKeys(item));
        }
        const connection = data[route.answer.list.connection] as { totalCount: number; pageInfo: { hasNextPage: boolean }; nodes: unknown[] };
        const vars = parsed.data as { first: number; offset: number };
        res.json({
          data: snakeKeys(connection.nodes),
          page: { number: Math.floor(vars.offset / vars.first) + 1, size: vars.first, total_count: connection.totalCount, has_next: connection.pageInfo.hasNextPage },
        });
      } catch (e) {
        next(e);
      }
    });
  }
}
