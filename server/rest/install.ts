/**
 * Serves the REST table (routes.ts) through the same grafast schema, context,
 * token and policies as /graphql: each request runs the route's stored
 * document as the signed-in person; a route that creates answers 201. Errors
 * are {"error": {code, message, field?, problems?}}: 400 (the field named;
 * `problems` lists each refused item of a request of several), 401 (sign-in,
 * before this), 403, 404, 409, 503 QUERY_TIMEOUT.
 */
import express, { type Express, type Request, type Response } from "express";
import { grafast } from "postgraphile/grafast";
import type { PostGraphileInstance } from "postgraphile";
import type { GraphQLError } from "graphql";
import type { z } from "zod";
import { parse as parseCsv, CsvError } from "csv-parse/sync";
import { sendError, type ApiProblem } from "../errors.js";
import { REST_ROUTES, type RestRoute } from "./routes.js";
import { negotiateReport, sendReport, type ReportRequest } from "./report-formats.js";

/** A GraphQL name as the PRD's snake_case; rowId is the record's id. */
export const restName = (name: string) => (name === "rowId" ? "id" : name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`));

/** camelCase GraphQL answers with the PRD's snake_case keys. */
export function snakeKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(snakeKeys);
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [restName(k), snakeKeys(v)]));
  return value;
}

/** HTTP status of the GraphQL door's error codes (server/errors.ts maps SQLSTATEs to them); other CC codes are 400. */
const STATUS_OF_CODE: Record<string, number> = {
  FORBIDDEN: 403,
  // QA reviews: the reviewed agent may only acknowledge (CC301); only the reviewed agent may acknowledge (CC304).
  CC301: 403,
  CC304: 403,
  QUERY_TIMEOUT: 503,
  CONFLICT: 409,
  INVALID_INPUT: 400,
  // Over GRAPHQL_MAX_COST (server/graphql-cost.ts): a smaller page_size fits.
  QUERY_TOO_COSTLY: 400,
  CHECK_VIOLATION: 400,
  NOT_NULL_VIOLATION: 400,
  FOREIGN_KEY_VIOLATION: 400,
  INTERNAL: 500,
};
/**
 * Our own codes that mean "no such thing you may see" (404), "not you" (403: a refusal of the person, not of
 * the row's state) or "not in this state" (409: CC2xx, CC32x QA status moves, CC6xx, and those listed).
 * Every other CC code is wrong input (400). db/error_codes.md says which is which.
 */
const NOT_FOUND_CODES = new Set([
  "CC205", // no such journal
  "CC311", // no such QA review
  "CC312", // no such call to review
  "CC313", // no such agent to review
  "CC503", // no such row to reveal
  "CC716", // no such agent's figures
  "CC971", // no such location to report on (a supervisor's other locations)
  "CC105", // no such campaign
  "CC903", // no such goal
  "CC812", // no such shift to correct
  "CC943", // no such agent to invite
  "CC961", // the call has no recording (none made, or cleared by retention)
  "CC125", // no such report schedule
]);
// CC502: a recording without accessRecordings. CC127: a report of another's location, or to someone else, without viewAllPerformance.
const FORBIDDEN_CODES = new Set(["CC202", "CC204", "CC502", "CC127"]);
const STATE_CODES = new Set([
  "CC103", // a campaign status move not allowed
  "CC104", // a campaign completed, cancelled or not active
  "CC901", // an active goal of the same period overlaps
  "CC902", // a goal status move not allowed
  // The workforce clock: CC801 already on shift, CC802 today's shift ended, CC803 not on shift, CC804 already on a
  // break, CC805 not on a break. The other CC8xx are wrong input (400): CC806 no location, CC811 no reason, CC813
  // impossible times, CC814 nothing to correct, CC821 schedule rows refused (with problems), CC822 no or too many rows.
  "CC801",
  "CC802",
  "CC803",
  "CC804",
  "CC805",
  "CC944", // the agent to invite is already a user
  "CC945", // the agent to invite is gone from 3CX
]);
const STATE_CODE = /^CC(?:[26]|32)/;

/**
 * Maps one GraphQL error, as the GraphQL door words it (maskError), to an HTTP
 * answer; the error's SQL column becomes the REST field it came from.
 */
function httpError(
  error: GraphQLError,
  route: RestRoute,
  maskError: (e: GraphQLError) => GraphQLError,
): { status: number; code: string; message: string; field?: string; problems?: ApiProblem[] } {
  const original = error.originalError as (Error & { column?: string }) | undefined;
  const masked = maskError(error);
  const code = String(masked.extensions?.code ?? "INTERNAL");
  // The GraphQL door's page cap (GRAPHQL_MAX_PAGE_SIZE) reaches a route through its page_size, which becomes `first`.
  if (code === "PAGE_TOO_LARGE") return { status: 400, code, message: `page_size: at most ${String(masked.extensions?.maxPageSize)}.`, field: "page_size" };
  // The error's SQL column, else the first field a constraint's message names.
  const named = original?.column ?? (masked.extensions?.fields as string[] | undefined)?.map(restName)[0];
  const field = named ? (route.fields?.[named] ?? named) : undefined;
  const withField = field ? { field } : {};
  if (NOT_FOUND_CODES.has(code)) return { status: 404, code: "NOT_FOUND", message: masked.message, ...withField };
  const status =
    STATUS_OF_CODE[code] ?? (FORBIDDEN_CODES.has(code) ? 403 : STATE_CODES.has(code) || STATE_CODE.test(code) ? 409 : code.startsWith("CC") ? 400 : 500);
  const listed = masked.extensions?.problems as ApiProblem[] | undefined;
  const problems = listed?.map((p) => ({ ...p, ...(p.field ? { field: restName(p.field) } : {}) }));
  return { status, code, message: masked.message, ...(status < 500 ? withField : {}), ...(problems && status < 500 ? { problems } : {}) };
}

/** The object at a dotted path of the answer (`createCallJournal.callJournal`), or undefined. */
function at(data: Record<string, unknown>, path: string): unknown {
  return path.split(".").reduce<unknown>((o, key) => (o && typeof o === "object" ? (o as Record<string, unknown>)[key] : undefined), data);
}

/**
 * A `text/csv` body as the list of records at the route's csv field: the header row names the columns; each record
 * carries its file line. Returns the input, or an error message naming the line when the text is not CSV.
 */
function csvInput(route: RestRoute, text: string): { input: Record<string, unknown> } | { error: string } {
  try {
    const rows = parseCsv(text, { columns: true, bom: true, trim: true, skip_empty_lines: true, info: true }) as Array<{
      record: Record<string, string>;
      info: { lines: number };
    }>;
    return { input: { [route.csv!.field]: rows.map((r) => ({ ...r.record, line: r.info.lines })) } };
  } catch (e) {
    if (e instanceof CsvError) return { error: `The CSV could not be read: ${e.message}` };
    throw e;
  }
}

function inputOf(req: Request): Record<string, unknown> {
  const query = Object.fromEntries(Object.entries(req.query).map(([k, v]) => [k, Array.isArray(v) ? v.at(-1) : v]));
  const body = req.body && typeof req.body === "object" && !Array.isArray(req.body) ? (req.body as Record<string, unknown>) : {};
  return { ...query, ...body, ...req.params };
}

function badInput(res: Response, error: z.ZodError) {
  const issue = error.issues[0]!;
  const field = issue.path.join(".") || (issue.code === "unrecognized_keys" ? issue.keys.join(", ") : "");
  const message =
    issue.code === "unrecognized_keys" ? `Unknown parameter: ${issue.keys.join(", ")}.` : field ? `${field}: ${issue.message}` : issue.message;
  sendError(res, 400, "INVALID_INPUT", message, field ? { field } : undefined);
}

/** Asked of the database before a report leaves as CSV: the exportData rule is in SQL (reports/data-export.sql). */
const AUTHORIZE_DATA_EXPORT = "query AuthorizeDataExport { authorizeDataExport }";

export interface RestOptions {
  /** Chromium for PDFs (CHROMIUM_PATH); unset: found on PATH. */
  chromiumPath?: string;
}

export function installRestRoutes(
  app: Express,
  pgl: PostGraphileInstance,
  maskError: (e: GraphQLError) => GraphQLError,
  routes: RestRoute[] = REST_ROUTES,
  options: RestOptions = {},
) {
  for (const route of routes) {
    const limit = route.bodyLimit ?? "100kb";
    const body =
      route.method === "get" || route.method === "delete"
        ? []
        : [express.json({ limit }), ...(route.csv ? [express.text({ type: ["text/csv", "application/csv"], limit })] : [])];
    app[route.method](route.path, ...body, async (req: Request, res: Response, next: express.NextFunction) => {
      let input = inputOf(req);
      if (route.csv && typeof req.body === "string") {
        const csv = csvInput(route, req.body);
        if ("error" in csv) return sendError(res, 400, "INVALID_INPUT", csv.error, { field: route.csv.field });
        input = { ...input, ...csv.input };
      }
      let report: ReportRequest | undefined;
      if ("document" in route.answer) {
        const negotiated = negotiateReport(req, input);
        if (!negotiated.ok) {
          const { status, code, message, field } = negotiated;
          return sendError(res, status, code, message, field ? { field } : undefined);
        }
        report = negotiated.request;
        input = negotiated.input;
      }
      const parsed = route.input.safeParse(input);
      if (!parsed.success) return badInput(res, parsed.error);
      try {
        const { schema, resolvedPreset } = await pgl.getSchemaResult();
        const run = async (source: string, variableValues: Record<string, unknown>) => {
          const result = await grafast({
            schema,
            resolvedPreset,
            requestContext: { expressv4: { req, res } } as Partial<Grafast.RequestContext>,
            source,
            variableValues,
          });
          if (!("data" in result) && !("errors" in result)) throw new Error("a REST document must not stream");
          return result as { data?: Record<string, unknown> | null; errors?: readonly GraphQLError[] };
        };
        const refuse = (error: GraphQLError) => {
          const { status, code, message, ...extra } = httpError(error, route, maskError);
          return sendError(res, status, code, message, Object.keys(extra).length > 0 ? extra : undefined);
        };
        if (report?.format === "csv") {
          const allowed = await run(AUTHORIZE_DATA_EXPORT, {});
          if (allowed.errors?.length) {
            const { status, code, message } = httpError(allowed.errors[0]!, route, maskError);
            // The database decided; the door says which permission (a FORBIDDEN is otherwise only "Not allowed.").
            return sendError(res, status, code, code === "FORBIDDEN" ? "Exporting data (CSV) needs the exportData permission." : message);
          }
        }
        const result = await run(route.document, parsed.data);
        if (result.errors?.length) return refuse(result.errors[0]!);
        const data = result.data ?? {};
        const ok = route.status ?? 200;
        if ("value" in route.answer) {
          const [field, key] = route.answer.value;
          return res.status(ok).json({ [route.answer.as]: snakeKeys((data[field] as Record<string, unknown> | null)?.[key] ?? null) });
        }
        if ("document" in route.answer) {
          const document = data[route.answer.document];
          if (document == null) return sendError(res, 404, "NOT_FOUND", "No such report, or not one you may see.");
          return await sendReport(res, ok, document, report ?? { format: "json" }, { chromiumPath: options.chromiumPath });
        }
        if ("one" in route.answer) {
          const paths = typeof route.answer.one === "string" ? [route.answer.one] : route.answer.one;
          const item = paths.map((p) => at(data, p)).find((v) => v != null);
          if (item == null) return sendError(res, 404, "NOT_FOUND", "No such record, or not one you may see.");
          return res.status(ok).json(snakeKeys(item));
        }
        if ("items" in route.answer) return res.status(ok).json({ data: snakeKeys(at(data, route.answer.items) ?? []) });
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
