/**
 * The one graphile-config preset: PostGraphile v5 (schema, grafserv, grafast)
 * and graphile-worker read their settings from here.
 */
import type { Pool } from "pg";
import { PostGraphileAmberPreset } from "postgraphile/presets/amber";
import { makePgService } from "postgraphile/adaptors/pg";
import { WorkerPreset } from "graphile-worker";
import type { Env } from "./lib/env.js";
import { GraphQLLimitsPlugin, WebSocketSubscriptionsOnlyPlugin } from "./server/graphql-limits.js";
import { RefusalAuditPlugin } from "./server/refusal-audit.js";
import { FigureRangesPlugin } from "./server/figure-ranges.js";
import { makeMaskError } from "./server/errors.js";
import { makeConstraintMessagesPlugin } from "./server/constraint-messages.js";
import { graphqlContext } from "./server/graphql-context.js";
import { revealLimitPgSettings } from "./lib/phi-keys.js";
import { qaPgSettings } from "./lib/qa-settings.js";
import { featurePgSettings } from "./lib/feature-settings.js";
import type { Authenticator } from "./server/auth.js";
import type { RequestGuard } from "./server/request-guard.js";
import { CRONTAB_FILE } from "./db/paths.js";

export interface PresetOptions {
  env: Env;
  /** Pool of the API login (app_authenticator); the server passes it. */
  authenticatorPool?: Pool;
  /** Owner connection string for the worker. */
  ownerUrl?: string;
  authenticator?: Authenticator;
  /** Patient-data key settings for each request's transaction. */
  phiSettings?: Record<string, string>;
  /** Per-user connection limit and cancellation of requests whose client went away. */
  guard?: RequestGuard;
}

export function makePreset({ env, authenticatorPool, ownerUrl, authenticator, phiSettings, guard }: PresetOptions): GraphileConfig.Preset {
  const development = env.NODE_ENV !== "production";
  return {
    extends: [PostGraphileAmberPreset, WorkerPreset],
    plugins: [GraphQLLimitsPlugin, WebSocketSubscriptionsOnlyPlugin, RefusalAuditPlugin, makeConstraintMessagesPlugin(), FigureRangesPlugin],
    pgServices: authenticatorPool
      ? [
          makePgService({
            pool: authenticatorPool,
            schemas: ["app_public"],
            pubsub: true,
            // The pool's sessions start with the API's statement timeout; reading the schema at start is not bound by it.
            pgSettingsForIntrospection: { statement_timeout: "0" },
          }),
        ]
      : [],
    grafserv: {
      graphqlPath: "/graphql",
      graphiqlPath: "/graphiql",
      graphiql: env.GRAPHIQL ?? development,
      graphiqlOnGraphQLGET: false,
      websockets: true,
      maxRequestLength: env.GRAPHQL_MAX_BODY_BYTES,
      maskError: makeMaskError(env),
    },
    grafast: {
      // Plans and SQL in responses only when asked for (GRAPHQL_EXPLAIN), never in production.
      explain: development && env.GRAPHQL_EXPLAIN ? ["plan", "sql"] : false,
      // Each request's transaction: the person's claims, the statement timeout, the patient-data keys, the reveal limits, the QA quota and the feature switches.
      context: authenticator
        ? graphqlContext(authenticator, {
            phiSettings: { ...phiSettings, ...revealLimitPgSettings(env), ...qaPgSettings(env), ...featurePgSettings(env) },
            statementTimeoutMs: env.API_STATEMENT_TIMEOUT_MS,
            guard,
          })
        : undefined,
    },
    graphqlLimits: {
      maxDepth: env.GRAPHQL_MAX_DEPTH,
      maxCost: env.GRAPHQL_MAX_COST,
      maxPageSize: env.GRAPHQL_MAX_PAGE_SIZE,
      maxAliases: env.GRAPHQL_MAX_ALIASES,
      maxRootFields: env.GRAPHQL_MAX_ROOT_FIELDS,
      maxBodyBytes: env.GRAPHQL_MAX_BODY_BYTES,
      introspection: env.GRAPHQL_INTROSPECTION ?? development,
    },
    worker: {
      connectionString: ownerUrl,
      concurrentJobs: env.WORKER_CONCURRENCY,
      pollInterval: env.WORKER_POLL_INTERVAL_MS,
      maxPoolSize: env.WORKER_CONCURRENCY + 4,
      crontabFile: CRONTAB_FILE,
    },
  };
}
