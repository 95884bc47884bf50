/**
 * Limits on what one GraphQL document may ask: depth, cost (graphql-armor's
 * validation rules), and introspection (off in production unless
 * GRAPHQL_INTROSPECTION). Added to grafserv's validation rules, so they apply
 * to HTTP and WebSocket operations and are cached with the validation result.
 */
import { GraphQLError, NoSchemaIntrospectionCustomRule, type ValidationContext, type ValidationRule } from "graphql";
import { maxDepthRule } from "@escape.tech/graphql-armor-max-depth";
import { costLimitRule } from "@escape.tech/graphql-armor-cost-limit";

declare global {
  namespace GraphileConfig {
    interface Preset {
      graphqlLimits?: { maxDepth: number; maxCost: number; introspection: boolean };
    }
  }
}

/** Report a rejection as an ordinary validation error with a stable code. */
const reportWithCode = (code: string) => (ctx: ValidationContext | null, error: GraphQLError) => {
  ctx?.reportError(new GraphQLError(error.message.replace(/^Syntax Error: /, ""), { extensions: { code } }));
};

export const GraphQLLimitsPlugin: GraphileConfig.Plugin = {
  name: "GraphQLLimitsPlugin",
  version: "1.0.0",
  description: "Depth, cost and introspection limits on every GraphQL document",
  grafserv: {
    middleware: {
      setPreset(next, event) {
        const limits = event.resolvedPreset.graphqlLimits;
        if (limits) {
          event.validationRules.push(
            maxDepthRule({ n: limits.maxDepth, propagateOnRejection: false, onReject: [reportWithCode("QUERY_TOO_DEEP")] }) as unknown as ValidationRule,
            costLimitRule({ maxCost: limits.maxCost, propagateOnRejection: false, onReject: [reportWithCode("QUERY_TOO_COSTLY")] }) as unknown as ValidationRule,
          );
          if (!limits.introspection) event.validationRules.push(NoSchemaIntrospectionCustomRule);
        }
        return next();
      },
    },
  },
};
