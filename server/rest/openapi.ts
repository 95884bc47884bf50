/**
 * GET /api/openapi.json: the REST table (routes.ts) described as OpenAPI 3.1,
 * generated, never written by hand: parameters from each route's zod input,
 * answers from the GraphQL types its stored document selects (so a column
 * added in SQL shows here), errors and sign-in from the conventions.
 */
import type { Express } from "express";
import {
  getNamedType,
  isEnumType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  Kind,
  parse,
  type GraphQLOutputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionNode,
  type SelectionSetNode,
} from "graphql";
import type { PostGraphileInstance } from "postgraphile";
import { z } from "zod";
import { restName } from "./install.js";
import { REST_ROUTES, type RestRoute } from "./routes.js";
import { REPORT_FORMATS, REPORT_MEDIA_TYPES } from "./report-formats.js";
import { reportDocument } from "../reports/report-document.js";

type JsonSchema = Record<string, unknown>;

/** A report route's answer: the report document's own schema (zod), without its $schema key. */
const REPORT_DOCUMENT_SCHEMA: JsonSchema = (() => {
  const { $schema: _, ...schema } = z.toJSONSchema(reportDocument, { io: "output" }) as JsonSchema;
  return schema;
})();

const SCALARS: Record<string, JsonSchema> = {
  Int: { type: "integer" },
  Float: { type: "number" },
  Boolean: { type: "boolean" },
  String: { type: "string" },
  ID: { type: "string" },
  Datetime: { type: "string", format: "date-time" },
  Date: { type: "string", format: "date" },
  UUID: { type: "string", format: "uuid" },
  BigInt: { type: "string", pattern: "^-?[0-9]+$", description: "A whole number, as a string (64-bit)." },
  BigFloat: { type: "string", pattern: "^-?[0-9]+(\\.[0-9]+)?$", description: "A decimal number, as a string." },
  Cursor: { type: "string" },
  Interval: { type: "object" },
  JSON: { description: "A JSON value (an object of a change's fields, for example)." },
};


function nullable(schema: JsonSchema): JsonSchema {
  if (typeof schema.type === "string") return { ...schema, type: [schema.type, "null"] };
  return { anyOf: [schema, { type: "null" }] };
}

/** The JSON schema of a GraphQL value as the REST answer shows it (snake_case keys). */
function schemaOf(type: GraphQLOutputType, selection: SelectionSetNode | undefined): JsonSchema {
  if (isNonNullType(type)) return inner(type.ofType, selection);
  return nullable(inner(type, selection));
}
function inner(type: GraphQLOutputType, selection: SelectionSetNode | undefined): JsonSchema {
  if (isNonNullType(type)) return inner(type.ofType, selection);
  if (isListType(type)) return { type: "array", items: schemaOf(type.ofType, selection) };
  if (isScalarType(type)) return SCALARS[type.name] ?? { type: "string" };
  if (isEnumType(type)) return { type: "string", enum: type.getValues().map((v) => v.name) };
  if (isObjectType(type) && selection) {
    const fields = type.getFields();
    const properties: Record<string, JsonSchema> = {};
    for (const node of selection.selections) {
      if (node.kind !== Kind.FIELD) continue;
      const field = fields[node.name.value];
      if (!field) continue;
      properties[restName(node.alias?.value ?? node.name.value)] = schemaOf(field.type, node.selectionSet);
    }
    return { type: "object", properties, required: Object.keys(properties), additionalProperties: false };
  }
  return { type: "object" };
}

/** The field at a dotted path of the document's answer (response names), with its type and selection. */
function fieldAt(schema: GraphQLSchema, route: RestRoute, path: string): { type: GraphQLOutputType; selection: SelectionSetNode | undefined } {
  const op = parse(route.document).definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)!;
  let parent = getNamedType(op.operation === "mutation" ? schema.getMutationType()! : schema.getQueryType()!);
  let selection: SelectionSetNode | undefined = op.selectionSet;
  let type: GraphQLOutputType | undefined;
  for (const name of path.split(".")) {
    const node: SelectionNode | undefined = selection?.selections.find((s) => s.kind === Kind.FIELD && (s.alias?.value ?? s.name.value) === name);
    if (!node || node.kind !== Kind.FIELD || !isObjectType(parent)) throw new Error(`${route.path}: the document selects no ${path}`);
    type = parent.getFields()[node.name.value]!.type;
    selection = node.selectionSet;
    parent = getNamedType(type);
  }
  return { type: type!, selection };
}

function answerSchema(schema: GraphQLSchema, route: RestRoute): JsonSchema {
  if ("document" in route.answer) return REPORT_DOCUMENT_SCHEMA;
  if ("one" in route.answer) {
    // Several paths (chosen by @include/@skip) answer the same shape; the first describes it.
    const [first] = typeof route.answer.one === "string" ? [route.answer.one] : route.answer.one;
    const { type, selection } = fieldAt(schema, route, first!);
    return inner(type, selection);
  }
  if ("items" in route.answer) {
    const { type, selection } = fieldAt(schema, route, route.answer.items);
    return { type: "object", required: ["data"], additionalProperties: false, properties: { data: inner(type, selection) } };
  }
  if ("value" in route.answer) {
    const { type, selection } = fieldAt(schema, route, route.answer.value.join("."));
    return { type: "object", required: [route.answer.as], additionalProperties: false, properties: { [route.answer.as]: schemaOf(type, selection) } };
  }
  const op = parse(route.document).definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)!;
  const root = op.operation === "mutation" ? schema.getMutationType()! : schema.getQueryType()!;
  const top = op.selectionSet.selections.find((s) => s.kind === Kind.FIELD)!;
  if (top.kind !== Kind.FIELD) throw new Error("unreachable");
  const field = root.getFields()[top.name.value]!;
  const connection = getNamedType(field.type);
  if (!isObjectType(connection)) throw new Error(`${route.path}: ${top.name.value} is not a connection`);
  const nodesNode = top.selectionSet!.selections.find((s) => s.kind === Kind.FIELD && s.name.value === "nodes");
  const nodes = connection.getFields().nodes!;
  return {
    type: "object",
    required: ["data", "page"],
    additionalProperties: false,
    properties: {
      data: inner(nodes.type, nodesNode?.kind === Kind.FIELD ? nodesNode.selectionSet : undefined),
      page: {
        type: "object",
        required: ["number", "size", "total_count", "has_next"],
        additionalProperties: false,
        properties: {
          number: { type: "integer", minimum: 1 },
          size: { type: "integer", minimum: 1 },
          total_count: { type: "integer", minimum: 0 },
          has_next: { type: "boolean" },
        },
      },
    },
  };
}

const SUCCESS: Record<number, string> = { 200: "OK", 201: "Created.", 202: "Accepted: the work is queued; read its state at the answer's job path." };

const ERROR_STATUSES: Record<string, string> = {
  "400": "Wrong input: `field` names the parameter (a page_size over GRAPHQL_MAX_PAGE_SIZE is PAGE_TOO_LARGE; an answer over GRAPHQL_MAX_COST, QUERY_TOO_COSTLY).",
  "401": "No valid token.",
  "403": "Not allowed.",
  "404": "No such record, or not one you may see.",
  "409": "Not in a state that allows it (an illegal status move, an overlapping goal, a closed campaign).",
  "413": "Request body too large.",
  "429": "Too many requests.",
  "503": "The query took too long (QUERY_TIMEOUT).",
};

/** A report route's answers: the report document as JSON, or one of its renderings (server/rest/report-formats.ts). */
const REPORT_CONTENT = {
  [REPORT_MEDIA_TYPES.json]: { schema: REPORT_DOCUMENT_SCHEMA },
  [REPORT_MEDIA_TYPES.csv]: {
    schema: { type: "string", description: "One detail table (`section`, by default the first) with a header row; suppressed cells empty. Needs exportData (403 otherwise)." },
  },
  [REPORT_MEDIA_TYPES.html]: { schema: { type: "string", description: "The page for people: summary, charts as SVG, detail tables; printable." } },
  [REPORT_MEDIA_TYPES.pdf]: { schema: { type: "string", format: "binary", description: "The same page printed by headless Chromium (US Letter)." } },
};
const REPORT_PARAMETERS = [
  {
    name: "format",
    in: "query",
    required: false,
    description: "The answer's format; without it the Accept header decides (application/json, text/csv, text/html, application/pdf), else JSON.",
    schema: { type: "string", enum: [...REPORT_FORMATS] },
  },
  {
    name: "section",
    in: "query",
    required: false,
    description: "With format=csv: the key of the detail table to export (by default the report's first); the answer's X-Report-Sections header lists them.",
    schema: { type: "string" },
  },
];
const REPORT_ERROR_STATUSES: Record<string, string> = {
  "400": `${ERROR_STATUSES["400"]} An unknown format, or a section outside CSV or not in the report (CC992).`,
  "403": "Not allowed; CSV needs the exportData permission.",
  "406": "The Accept header names no format this report has.",
  "503": `${ERROR_STATUSES["503"]} A PDF without Chromium on the server (CC991).`,
};

/** The OpenAPI document for the routes, with answer schemas read from the GraphQL schema. */
export function openApiDocument(schema: GraphQLSchema, routes: RestRoute[] = REST_ROUTES): JsonSchema {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const oaPath = route.path.replace(/:(\w+)/g, "{$1}");
    const pathNames = [...route.path.matchAll(/:(\w+)/g)].map((m) => m[1]!);
    const input = z.toJSONSchema(route.input, { io: "input", unrepresentable: "any" }) as { properties?: Record<string, JsonSchema>; required?: string[] };
    const hasBody = route.method !== "get" && route.method !== "delete";
    const parameters = Object.entries(input.properties ?? {})
      .filter(([name]) => !hasBody || pathNames.includes(name))
      .map(([name, s]) => ({
        name,
        in: pathNames.includes(name) ? "path" : "query",
        required: pathNames.includes(name) || (input.required ?? []).includes(name),
        schema: s,
      }));
    const bodyProperties = Object.fromEntries(Object.entries(input.properties ?? {}).filter(([name]) => !pathNames.includes(name)));
    const requestBody = hasBody
      ? {
          required: true,
          content: {
            ...(route.csv ? { "text/csv": { schema: { type: "string", description: route.csv.description } } } : {}),
            "application/json": {
              schema: {
                type: "object",
                properties: bodyProperties,
                required: (input.required ?? []).filter((n) => !pathNames.includes(n)),
                additionalProperties: false,
              },
            },
          },
        }
      : undefined;
    const ok = route.status ?? 200;
    const responses: Record<string, unknown> = {
      [String(ok)]: {
        description: SUCCESS[ok],
        content: "document" in route.answer ? REPORT_CONTENT : { "application/json": { schema: answerSchema(schema, route) } },
      },
    };
    const errors = "document" in route.answer ? { ...ERROR_STATUSES, ...REPORT_ERROR_STATUSES } : ERROR_STATUSES;
    for (const [status, description] of Object.entries(errors)) {
      responses[status] = { description, content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } };
    }
    if ("document" in route.answer) parameters.push(...REPORT_PARAMETERS);
    paths[oaPath] = {
      ...paths[oaPath],
      [route.method]: {
        summary: route.summary,
        description: `Who may call it: ${route.who}`,
        parameters,
        ...(requestBody ? { requestBody } : {}),
        responses,
        security: [{ bearer: [] }],
      },
    };
  }
  return {
    openapi: "3.1.0",
    info: { title: "Call center operations API (REST)", version: "1.0.0", description: "The PRD's REST paths; each runs a GraphQL operation of /graphql under the same token and row rules." },
    paths,
    components: {
      securitySchemes: { bearer: { type: "http", scheme: "bearer", bearerFormat: "JWT" } },
      schemas: {
        Error: {
          type: "object",
          required: ["error"],
          properties: {
            error: {
              type: "object",
              required: ["code", "message"],
              properties: {
                code: { type: "string" },
                message: { type: "string" },
                field: { type: "string" },
                problems: {
                  type: "array",
                  description:
                    "When one request holds several items (a bulk create, a schedule upload): each refused item, with its index (from 0) or its line (a CSV file's line, or the position in a JSON list, from 1).",
                  items: {
                    type: "object",
                    required: ["code", "message"],
                    properties: {
                      index: { type: "integer", minimum: 0 },
                      line: { type: "integer", minimum: 1 },
                      field: { type: "string" },
                      code: { type: "string" },
                      message: { type: "string" },
                    },
                  },
                },
              },
            },
          },
        },
      },
    },
  };
}

export function installOpenApi(app: Express, pgl: PostGraphileInstance) {
  let cached: { schema: GraphQLSchema; doc: JsonSchema } | undefined;
  app.get("/api/openapi.json", async (_req, res, next) => {
    try {
      const { schema } = await pgl.getSchemaResult();
      if (cached?.schema !== schema) cached = { schema, doc: openApiDocument(schema) };
      res.json(cached.doc);
    } catch (e) {
      next(e);
    }
  });
}
