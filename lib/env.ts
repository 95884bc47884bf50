/**
 * The one place where the environment is read. Every variable is parsed and
 * validated with zod at start; the README lists each with its default.
 * In production (`NODE_ENV=production`) missing secrets stop the start.
 */
import { z } from "zod";
import { CDR_FIELD_NAMES, parseCdrFieldList } from "./cdr-fields.js";
import { parseAddressList } from "./address-list.js";
import { parseReportSchedule } from "./report-schedule-setting.js";

// Grafast reads GRAPHILE_ENV when it loads: development checks everywhere but production.
process.env.GRAPHILE_ENV ??= process.env.NODE_ENV === "production" ? "production" : "development";

const bool = z
  .enum(["true", "false", "1", "0", "yes", "no", "on", "off", ""])
  .transform((v) => ["true", "1", "yes", "on"].includes(v));
const optionalBool = bool.optional();
const int = (min: number, max = Number.MAX_SAFE_INTEGER) => z.coerce.number().int().min(min).max(max);
const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === "" ? undefined : v.trim()));
const optionalUrl = optionalString.pipe(z.string().url().optional());
const timeZone = z.string().refine((tz) => {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}, "must be an IANA time zone such as America/Detroit");

/** The 27 CDR fields in 3CX's field-picker order (see docs/3cx-setup.md). */
export const DEFAULT_CDR_FIELDS = CDR_FIELD_NAMES.join(",");

/**
 * A CDR field list, checked at start: 3CX's own spellings are accepted, unknown
 * names listed. Unset or empty (like every other variable here): the default.
 */
const cdrFieldList = optionalString.transform((list, ctx) => {
  if (list === undefined) return DEFAULT_CDR_FIELDS;
  try {
    return parseCdrFieldList(list).join(",");
  } catch (e) {
    ctx.addIssue({ code: "custom", message: (e as Error).message });
    return z.NEVER;
  }
});

/** A comma list of addresses and CIDR blocks, checked at start (lib/address-list.ts). */
const addressList = optionalString.superRefine((list, ctx) => {
  if (list === undefined) return;
  try {
    parseAddressList(list);
  } catch (e) {
    ctx.addIssue({ code: "custom", message: (e as Error).message });
  }
});

const keyList = optionalString.pipe(
  z
    .string()
    .regex(/^[A-Za-z0-9_-]+:[A-Za-z0-9+/=]+(,[A-Za-z0-9_-]+:[A-Za-z0-9+/=]+)*$/, "must be id:base64,id:base64")
    .optional(),
);

export const envSchema = z.object({
  NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),

  // HTTP
  PORT: int(0, 65535).default(4000),
  HOST: z.string().default("0.0.0.0"),
  TRUST_PROXY: optionalBool.default(false),

  // Database
  DATABASE_URL: optionalUrl,
  AUTH_DATABASE_URL: optionalUrl,
  DATABASE_AUTHENTICATOR_PASSWORD: optionalString,
  TEST_DATABASE_URL: optionalUrl,
  EMBEDDED_PG_DIR: optionalString,
  EMBEDDED_PG_PORT: int(1, 65535).default(54329),
  DATABASE_POOL_SIZE: int(1, 200).default(10),
  // Longest a statement of the API may run (per transaction: PostGraphile's, the REST endpoints', the sign-in lookup).
  API_STATEMENT_TIMEOUT_MS: int(100, 3_600_000).default(15_000),
  // Longest a statement of a background job may run: above the longest job (a full KPI recount takes minutes).
  WORKER_STATEMENT_TIMEOUT_MS: int(1000, 86_400_000).default(30 * 60_000),

  BUSINESS_TIMEZONE: timeZone.default("America/Detroit"),

  // Sign-in
  JWT_SECRET: optionalString,
  JWT_JWKS_URL: optionalUrl,
  JWT_ISSUER: optionalString,
  GOOGLE_CLIENT_ID: optionalString,
  ALLOWED_EMAIL_DOMAIN: z.string().toLowerCase().default("gangerdermatology.com"),
  RATE_LIMIT_PER_MINUTE: int(1).default(300),
  // GraphQL and REST requests one user may have running at once (and database connections they may hold at once).
  MAX_CONCURRENT_REQUESTS_PER_USER: int(1, 199).default(3),

  // Longest accepted token lifetime (exp - iat): 12 h covers `npm run token` (12 h) and Google ID tokens (1 h).
  JWT_MAX_LIFETIME_SECONDS: int(60, 30 * 24 * 3600).default(43200),

  // Metrics: open on loopback; from elsewhere with this bearer token or from these addresses.
  METRICS_TOKEN: optionalString.pipe(z.string().min(16, "must be at least 16 characters").optional()),
  METRICS_ALLOW: addressList,

  // GraphQL
  GRAPHIQL: optionalBool,
  GRAPHQL_INTROSPECTION: optionalBool,
  GRAPHQL_EXPLAIN: optionalBool.default(false),
  GRAPHQL_MAX_DEPTH: int(1, 100).default(12),
  // Estimated cost: each field of each row asked for (server/graphql-cost.ts); a page of 500 rows × 40 fields is 20000.
  GRAPHQL_MAX_COST: int(10).default(100_000),
  // Largest first/last of a list; a list given neither gets this many rows.
  GRAPHQL_MAX_PAGE_SIZE: int(1, 1_000_000).default(1000),
  GRAPHQL_MAX_BODY_BYTES: int(1024).default(102400),
  GRAPHQL_MAX_ALIASES: int(0, 1000).default(15),
  GRAPHQL_MAX_ROOT_FIELDS: int(1, 1000).default(15),

  // Worker
  WORKER_CONCURRENCY: int(1, 50).default(4),
  WORKER_POLL_INTERVAL_MS: int(100).default(2000),

  // Patient data (used from the patient-data feature on)
  PHI_ENCRYPTION_KEYS: keyList,
  PHI_ENCRYPTION_KEY_ID: optionalString,
  PHI_HASH_KEY: optionalString,
  // Reveals of patient data a person may make (refused beyond, superadmins alerted)
  PHI_REVEAL_LIMIT_PER_MINUTE: int(1, 10000).default(10),
  PHI_REVEAL_LIMIT_PER_DAY: int(1, 1000000).default(200),

  // 3CX (used from the ingestion feature on)
  THREECX_CDR_WEBHOOK_SECRET: optionalString,
  THREECX_CDR_FIELDS: cdrFieldList,
  // 3CX writes CDR times in UTC (docs/3cx-setup.md); a PBX that differs is set here.
  THREECX_CDR_TIMEZONE: optionalString.pipe(timeZone.optional()).transform((tz) => tz ?? "UTC"),
  THREECX_CDR_SOCKET_PORT: int(0, 65535).optional(),
  THREECX_CDR_SOCKET_ALLOW: addressList,
  CDR_MAX_BODY_BYTES: int(1024).default(5 * 1024 * 1024),
  // A record's times must fall in a window around its body's arrival: years of backfill, a day of clock error ahead.
  CDR_MAX_AGE_DAYS: int(1, 36500).default(3650),
  CDR_MAX_FUTURE_MINUTES: int(0, 525600).default(1440),
  // Beyond this many dead letters with the same reason in one body, the rest are one row with a count and a line range.
  CDR_MAX_DEAD_LETTERS_PER_REASON: int(1, 100000).default(20),
  // Wrong webhook credentials from one address: after this many in the window, 429 until the window ends.
  CDR_WEBHOOK_MAX_AUTH_FAILURES: int(1).default(10),
  CDR_WEBHOOK_AUTH_FAILURE_WINDOW_SECONDS: int(1, 86400).default(600),
  THREECX_API_URL: optionalUrl,
  THREECX_API_CLIENT_ID: optionalString,
  THREECX_API_KEY: optionalString,
  // Development and tests: npm start runs a fake 3CX (integrations/3cx/fake) with the demo agents and points the client at it.
  THREECX_API_FAKE: optionalBool.default(false),
  // Each XAPI request's timeout, and retries on 429/5xx/timeouts/network errors (backoff from 500 ms, doubling).
  THREECX_API_TIMEOUT_MS: int(100, 300_000).default(10_000),
  THREECX_API_RETRIES: int(0, 10).default(3),
  THREECX_RECORDING_BASE_URL: optionalUrl,
  // Seconds between the worker's presence polls of the PBX (self-rescheduling job; presence is stale after 3 intervals).
  THREECX_PRESENCE_POLL_SECONDS: int(1, 3600).default(5),
  // A one-time recording link (/api/recordings/<token>) lives this long; the PBX must answer within the timeout.
  RECORDING_LINK_SECONDS: int(5, 3600).default(60),
  RECORDING_FETCH_TIMEOUT_MS: int(100, 120_000).default(10_000),

  // The PRD's operational settings (used by the KPI, report and retention features)
  CALL_CENTER_MANAGER_EMAIL: optionalString.pipe(z.string().email().optional()),
  PERFORMANCE_REPORT_SCHEDULE: z
    .string()
    .default("daily_8am")
    .refine((v) => typeof parseReportSchedule(v) !== "string", { message: "must be daily_8am, daily, weekly_mon … weekly_sun, monthly_1 … monthly_28 or off" }),
  REPORT_GENERATION_TIME: z
    .string()
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/, "must be HH:MM")
    .default("08:00"),
  KPI_CALCULATION_INTERVAL: int(10).default(900),
  DATA_RETENTION_DAYS: int(1).default(2555),
  CALL_RECORDING_RETENTION_DAYS: int(1).default(2555),
  QA_REVIEW_QUOTA_PER_AGENT: int(0).default(5),
  COACHING_REMINDER_ENABLED: optionalBool.default(true),
  GOAL_ACHIEVEMENT_NOTIFICATIONS: optionalBool.default(true),
  PERFORMANCE_DATA_ENCRYPTION: optionalBool.default(true),
  // A report whose day had this many minutes in business hours with no call record says its figures are incomplete.
  INGEST_STALL_MINUTES: int(5, 1440).default(30),
  TWILIO_ACCOUNT_SID: optionalString,
  TWILIO_AUTH_TOKEN: optionalString,
  TWILIO_FROM_NUMBER: optionalString,
  TWILIO_API_BASE_URL: optionalUrl,
  SMTP_URL: optionalString,
  MAIL_FROM: optionalString,
  CHROMIUM_PATH: optionalString,
});

export type Env = z.infer<typeof envSchema>;

/** Problems that make a production start unsafe; empty outside production. */
export function productionProblems(env: Env): string[] {
  if (env.NODE_ENV !== "production") return [];
  const problems: string[] = [];
  if (!env.DATABASE_URL) problems.push("DATABASE_URL is required (no embedded PostgreSQL in production)");
  if (!env.AUTH_DATABASE_URL && !env.DATABASE_AUTHENTICATOR_PASSWORD)
    problems.push("AUTH_DATABASE_URL or DATABASE_AUTHENTICATOR_PASSWORD is required");
  const hasSecret = env.JWT_SECRET !== undefined && env.JWT_SECRET.length >= 32;
  const hasJwks = env.JWT_JWKS_URL !== undefined && env.GOOGLE_CLIENT_ID !== undefined;
  if (env.JWT_SECRET !== undefined && !hasSecret) problems.push("JWT_SECRET must be at least 32 characters");
  if (!hasSecret && !hasJwks) problems.push("JWT_SECRET (32+ characters) or JWT_JWKS_URL with GOOGLE_CLIENT_ID is required");
  if (!env.PHI_ENCRYPTION_KEYS || !env.PHI_HASH_KEY)
    problems.push("PHI_ENCRYPTION_KEYS and PHI_HASH_KEY are required (patient data is encrypted at rest)");
  return problems;
}

/** Settings that contradict each other, in any environment. */
export function consistencyProblems(env: Env): string[] {
  const problems: string[] = [];
  if (env.THREECX_API_FAKE && env.NODE_ENV === "production")
    problems.push("THREECX_API_FAKE=true runs a fake 3CX: development and tests only, not with NODE_ENV=production");
  if (env.MAX_CONCURRENT_REQUESTS_PER_USER >= env.DATABASE_POOL_SIZE)
    problems.push(
      `MAX_CONCURRENT_REQUESTS_PER_USER (${env.MAX_CONCURRENT_REQUESTS_PER_USER}) must be smaller than DATABASE_POOL_SIZE (${env.DATABASE_POOL_SIZE}), so one user cannot hold every connection`,
    );
  return problems;
}

export class EnvError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "EnvError";
  }
}

/** Parses an environment (default `process.env`); throws EnvError listing every problem. */
export function parseEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const result = envSchema.safeParse(source);
  if (!result.success) {
    throw new EnvError(result.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`));
  }
  const problems = [...consistencyProblems(result.data), ...productionProblems(result.data)];
  if (problems.length > 0) throw new EnvError(problems);
  return result.data;
}

let cached: Env | undefined;
/** The process's environment, parsed once. */
export function env(): Env {
  cached ??= parseEnv();
  return cached;
}

/** Forgets the parsed environment, so the next env() reads it again: for tests that change it between runs, as a restart would. */
export function forgetEnv(): void {
  cached = undefined;
}
