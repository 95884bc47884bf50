/**
 * Limits on what one GraphQL document may ask: depth, cost (graphql-armor's
 * rules), and introspection (off in production unless GRAPHQL_INTROSPECTION).
 * Runs after grafast's own parse and validate, so results are cached with them.
 */
import { GraphQLError, NoSchemaIntrospectionCustomRule, validate, type DocumentNode, type ValidationRule } from "graphql";
import { maxDepthRule } from "@escape.tech/graphql-armor-max-depth";
import { costLimitRule } from "@escape.tech/graphql-armor-cost-limit";

declare global {
  namespace GraphileConfig {
    interface Preset {
      graphqlLimits?: { maxDepth: number; maxCost: number; introspection: boolean };
    }
  }
}

const limitError = (code: string) => (_: unknown, error?: GraphQLError) => {
  if (error) (error.extensions as Record<string, unknown>).code = code;
};

export const GraphQLLimitsPlugin: GraphileConfig.Plugin = {
  name: "GraphQLLimitsPlugin",
  version: "1.0.0",
  description: "Depth, cost and introspection limits on every GraphQL document",
  grafast: {
    middleware: {
      parseAndValidate(next, event) {
        const result = next();
        if (Array.isArray(result)) return result;
        const limits = event.resolvedPreset.graphqlLimits;
        if (!limits) return result;
        const rules: ValidationRule[] = [
          maxDepthRule({ n: limits.maxDepth, onReject: [limitError("QUERY_TOO_DEEP")] }) as unknown as ValidationRule,
          costLimitRule({ maxCost: limits.maxCost, onReject: [limitError("QUERY_TOO_COSTLY")] }) as unknown as ValidationRule,
        ];
        if (!limits.introspection) rules.push(NoSchemaIntrospectionCustomRule);
        const errors = validate(event.schema, result as DocumentNode, rules);
        return errors.length > 0 ? errors : result;
      },
    },
  },
};
