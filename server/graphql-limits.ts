/**
 * Limits on what one GraphQL document may ask: depth and aliases
 * (graphql-armor's validation rules), page size and cost (graphql-cost.ts),
 * root fields, and introspection (off in production unless
 * GRAPHQL_INTROSPECTION). Added to grafserv's validation rules, so they apply
 * to every operation and are cached with the validation result.
 *
 * Page sizes and cost depend on the variables too, so they are checked again
 * when the operation executes (a grafast middleware: /graphql over HTTP and
 * WebSockets, and the REST routes, which call grafast directly); there a list
 * given neither `first` nor `last` gets `first: GRAPHQL_MAX_PAGE_SIZE`.
 *
 * WebSockets carry subscriptions only: queries and mutations sent over
 * graphql-transport-ws are refused (WEBSOCKET_SUBSCRIPTIONS_ONLY), since the
 * HTTP-side limits (rate, body size, request log, requests at once) never
 * see them. A message larger than GRAPHQL_MAX_BODY_BYTES is refused before
 * it is parsed.
 */
import {
  getOperationAST,
  GraphQLError,
  Kind,
  NoSchemaIntrospectionCustomRule,
  parse,
  type DocumentNode,
  type ExecutionResult,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
} from "graphql";
import { maxDepthRule } from "@escape.tech/graphql-armor-max-depth";
import { maxAliasesRule } from "@escape.tech/graphql-armor-max-aliases";
import type { GrafastExecutionArgs } from "postgraphile/grafast";
import { logger } from "../lib/logger.js";
import { checkRequest, queryCostRule } from "./graphql-cost.js";

declare global {
  namespace GraphileConfig {
    interface Preset {
      graphqlLimits?: {
        maxDepth: number;
        maxCost: number;
        maxPageSize: number;
        maxAliases: number;
        maxRootFields: number;
        maxBodyBytes: number;
        introspection: boolean;
      };
    }
  }
}

/** Report a rejection as an ordinary validation error with a stable code. */
const reportWithCode = (code: string) => (ctx: ValidationContext | null, error: GraphQLError) => {
  ctx?.reportError(new GraphQLError(error.message.replace(/^Syntax Error: /, ""), { extensions: { code } }));
};

/**
 * At most `max` root fields per operation (each runs its own database work,
 * in parallel for queries). Counted by response key, through fragments;
 * introspection fields (`__typename`, `__schema`, `__type`) are free.
 */
export function maxRootFieldsRule(max: number): ValidationRule {
  return (context) => ({
    OperationDefinition(operation) {
      const keys = new Set<string>();
      const visited = new Set<string>();
      const collect = (selectionSet: SelectionSetNode) => {
        for (const selection of selectionSet.selections) {
          if (selection.kind === Kind.FIELD) {
            if (!selection.name.value.startsWith("__")) keys.add((selection.alias ?? selection.name).value);
          } else if (selection.kind === Kind.INLINE_FRAGMENT) {
            collect(selection.selectionSet);
          } else if (!visited.has(selection.name.value)) {
            visited.add(selection.name.value);
            const fragment = context.getFragment(selection.name.value);
            if (fragment) collect(fragment.selectionSet);
          }
        }
      };
      collect(operation.selectionSet);
      if (keys.size > max) {
        context.reportError(
          new GraphQLError(`At most ${max} root fields per request; this one has ${keys.size}.`, {
            nodes: [operation],
            extensions: { code: "QUERY_TOO_MANY_ROOT_FIELDS" },
          }),
        );
      }
    },
  });
}

export const GraphQLLimitsPlugin: GraphileConfig.Plugin = {
  name: "GraphQLLimitsPlugin",
  version: "1.0.0",
  description: "Depth, page-size, cost, alias, root-field and introspection limits on every GraphQL document",
  grafserv: {
    middleware: {
      setPreset(next, event) {
        const limits = event.resolvedPreset.graphqlLimits;
        if (limits) {
          event.validationRules.push(
            maxDepthRule({ n: limits.maxDepth, propagateOnRejection: false, onReject: [reportWithCode("QUERY_TOO_DEEP")] }) as unknown as ValidationRule,
            queryCostRule({ maxCost: limits.maxCost, maxPageSize: limits.maxPageSize }),
            maxAliasesRule({ n: limits.maxAliases, propagateOnRejection: false, onReject: [reportWithCode("QUERY_TOO_MANY_ALIASES")] }) as unknown as ValidationRule,
            maxRootFieldsRule(limits.maxRootFields),
          );
          if (!limits.introspection) event.validationRules.push(NoSchemaIntrospectionCustomRule);
        }
        return next();
      },
    },
  },
  grafast: {
    middleware: {
      execute(next, event) {
        return limitPagesAndCost(event.args) ?? next();
      },
      subscribe(next, event) {
        return limitPagesAndCost(event.args) ?? next();
      },
    },
  },
};

/**
 * Page sizes and cost with the request's variables, before anything runs: a
 * refusal as the result, or undefined to go on (with `first` set where the
 * document gave no page size).
 */
function limitPagesAndCost(args: GrafastExecutionArgs): ExecutionResult | undefined {
  const limits = args.resolvedPreset?.graphqlLimits;
  if (!limits) return undefined;
  const checked = checkRequest(args.schema, args.document, args.operationName, args.variableValues, limits);
  if ("errors" in checked) return { errors: checked.errors };
  args.document = checked.document;
  return undefined;
}

const refusal = (code: string, message: string) => [new GraphQLError(message, { extensions: { code } })];

export const WebSocketSubscriptionsOnlyPlugin: GraphileConfig.Plugin = {
  name: "WebSocketSubscriptionsOnlyPlugin",
  version: "1.0.0",
  description: "Over WebSockets, subscriptions only; messages no larger than an HTTP body may be",
  grafserv: {
    middleware: {
      onSubscribe(next, event) {
        const maxBytes = event.resolvedPreset.graphqlLimits?.maxBodyBytes ?? event.resolvedPreset.grafserv?.maxRequestLength;
        const { payload } = event.message;
        if (maxBytes !== undefined && Buffer.byteLength(JSON.stringify(payload)) > maxBytes) {
          logger.warn({ refusal: "PAYLOAD_TOO_LARGE", via: "websocket" }, "websocket operation refused");
          return refusal("PAYLOAD_TOO_LARGE", `Request body too large (at most ${maxBytes} bytes).`);
        }
        let document: DocumentNode;
        try {
          document = parse(payload.query);
        } catch {
          return next(); // grafserv reports the syntax error itself
        }
        const operation = getOperationAST(document, payload.operationName ?? undefined);
        if (operation && operation.operation !== "subscription") {
          logger.warn({ refusal: "WEBSOCKET_SUBSCRIPTIONS_ONLY", via: "websocket", operation: operation.operation }, "websocket operation refused");
          return refusal(
            "WEBSOCKET_SUBSCRIPTIONS_ONLY",
            `Over WebSockets only subscriptions are served; send the ${operation.operation} as POST /graphql.`,
          );
        }
        return next();
      },
    },
  },
};
