/** Configuration: defaults, validation with clear messages, and production's refusal to start without secrets. */
import { CDR_FIELD_NAMES } from "../../lib/cdr-fields.js";
import { DEFAULT_CDR_FIELDS, EnvError, parseEnv } from "../../lib/env.js";

/** How a refused environment explains itself. */
function problemsOf(source: Record<string, string>): string {
  try {
    parseEnv(source);
  } catch (e) {
    expect(e).toBeInstanceOf(EnvError);
    return (e as EnvError).problems.join("\n");
  }
  throw new Error("expected parseEnv to refuse");
}

describe("parseEnv", () => {
  it("gives the documented defaults", () => {
    const env = parseEnv({});
    expect(env).toMatchObject({
      NODE_ENV: "development",
      PORT: 4000,
      BUSINESS_TIMEZONE: "America/Detroit",
      ALLOWED_EMAIL_DOMAIN: "gangerdermatology.com",
      RATE_LIMIT_PER_MINUTE: 300,
      KPI_CALCULATION_INTERVAL: 900,
      DATA_RETENTION_DAYS: 2555,
      QA_REVIEW_QUOTA_PER_AGENT: 5,
      REPORT_GENERATION_TIME: "08:00",
      GRAPHQL_MAX_DEPTH: 12,
      COACHING_REMINDER_ENABLED: true,
    });
    expect(env.DATABASE_URL).toBeUndefined();
  });

  it("gives the request and database limits their documented defaults", () => {
    expect(parseEnv({})).toMatchObject({
      API_STATEMENT_TIMEOUT_MS: 15_000,
      WORKER_STATEMENT_TIMEOUT_MS: 1_800_000,
      MAX_CONCURRENT_REQUESTS_PER_USER: 3,
      GRAPHQL_MAX_ALIASES: 15,
      GRAPHQL_MAX_ROOT_FIELDS: 15,
      GRAPHQL_MAX_COST: 100_000,
      GRAPHQL_MAX_PAGE_SIZE: 1000,
    });
  });

  it("refuses a per-user request limit that would let one user hold the whole pool", () => {
    expect(problemsOf({ MAX_CONCURRENT_REQUESTS_PER_USER: "10" })).toMatch(
      /MAX_CONCURRENT_REQUESTS_PER_USER \(10\) must be smaller than DATABASE_POOL_SIZE \(10\)/,
    );
    expect(parseEnv({ MAX_CONCURRENT_REQUESTS_PER_USER: "10", DATABASE_POOL_SIZE: "20" }).MAX_CONCURRENT_REQUESTS_PER_USER).toBe(10);
  });

  it("reads booleans and numbers from text", () => {
    const env = parseEnv({ PORT: "8080", COACHING_REMINDER_ENABLED: "false", GRAPHIQL: "1" });
    expect(env.PORT).toBe(8080);
    expect(env.COACHING_REMINDER_ENABLED).toBe(false);
    expect(env.GRAPHIQL).toBe(true);
  });

  it("lists every invalid variable at once", () => {
    try {
      parseEnv({ PORT: "eighty", BUSINESS_TIMEZONE: "Mars/Olympus", REPORT_GENERATION_TIME: "8am", DATABASE_URL: "not a url" });
      throw new Error("expected a failure");
    } catch (e) {
      expect(e).toBeInstanceOf(EnvError);
      const problems = (e as EnvError).problems.join("\n");
      expect(problems).toMatch(/PORT/);
      expect(problems).toMatch(/BUSINESS_TIMEZONE: must be an IANA time zone/);
      expect(problems).toMatch(/REPORT_GENERATION_TIME: must be HH:MM/);
      expect(problems).toMatch(/DATABASE_URL/);
    }
  });

  it("refuses production without real secrets", () => {
    expect(() => parseEnv({ NODE_ENV: "production" })).toThrow(/DATABASE_URL is required/);
    expect(() => parseEnv({ NODE_ENV: "production" })).toThrow(/JWT_SECRET \(32\+ characters\) or JWT_JWKS_URL/);
    expect(() => parseEnv({ NODE_ENV: "production" })).toThrow(/PHI_ENCRYPTION_KEYS and PHI_HASH_KEY are required/);
    expect(() =>
      parseEnv({ NODE_ENV: "production", DATABASE_URL: "postgres://o:p@db/cc", DATABASE_AUTHENTICATOR_PASSWORD: "x", JWT_SECRET: "short" }),
    ).toThrow(/JWT_SECRET must be at least 32 characters/);
  });

  it("accepts production with a database and either kind of signing key", () => {
    const base = {
      NODE_ENV: "production",
      DATABASE_URL: "postgres://o:p@db/cc",
      DATABASE_AUTHENTICATOR_PASSWORD: "pw",
      PHI_ENCRYPTION_KEYS: `k1:${Buffer.alloc(32, 7).toString("base64")}`,
      PHI_HASH_KEY: Buffer.alloc(32, 9).toString("base64"),
    };
    expect(parseEnv({ ...base, JWT_SECRET: "x".repeat(32) }).NODE_ENV).toBe("production");
    expect(parseEnv({ ...base, JWT_JWKS_URL: "https://www.googleapis.com/oauth2/v3/certs", GOOGLE_CLIENT_ID: "id" }).NODE_ENV).toBe("production");
  });

  it("allows the fake 3CX in development and tests only; the API's timeout and retries have defaults", () => {
    const base = {
      NODE_ENV: "production",
      DATABASE_URL: "postgres://o:p@db/cc",
      DATABASE_AUTHENTICATOR_PASSWORD: "pw",
      PHI_ENCRYPTION_KEYS: `k1:${Buffer.alloc(32, 7).toString("base64")}`,
      PHI_HASH_KEY: Buffer.alloc(32, 9).toString("base64"),
      JWT_SECRET: "x".repeat(32),
    };
    expect(problemsOf({ ...base, THREECX_API_FAKE: "true" })).toMatch(/THREECX_API_FAKE=true runs a fake 3CX: development and tests only/);
    expect(parseEnv({ ...base, THREECX_API_FAKE: "false" }).THREECX_API_FAKE).toBe(false);
    expect(parseEnv({ THREECX_API_FAKE: "true" }).THREECX_API_FAKE).toBe(true);
    const d = parseEnv({});
    expect([d.THREECX_API_FAKE, d.THREECX_API_TIMEOUT_MS, d.THREECX_API_RETRIES]).toEqual([false, 10_000, 3]);
    expect(problemsOf({ THREECX_API_RETRIES: "11", THREECX_API_TIMEOUT_MS: "5" })).toMatch(/THREECX_API_TIMEOUT_MS[\s\S]*THREECX_API_RETRIES|THREECX_API_RETRIES[\s\S]*THREECX_API_TIMEOUT_MS/);
  });

  it("reads 3CX CDR times as UTC unless told otherwise", () => {
    expect(parseEnv({}).THREECX_CDR_TIMEZONE).toBe("UTC");
    expect(parseEnv({ THREECX_CDR_TIMEZONE: "" }).THREECX_CDR_TIMEZONE).toBe("UTC");
    // Not BUSINESS_TIMEZONE: the business's zone says nothing about what the PBX writes.
    expect(parseEnv({ BUSINESS_TIMEZONE: "America/Chicago" }).THREECX_CDR_TIMEZONE).toBe("UTC");
    expect(parseEnv({ THREECX_CDR_TIMEZONE: "America/Detroit" }).THREECX_CDR_TIMEZONE).toBe("America/Detroit");
    expect(problemsOf({ THREECX_CDR_TIMEZONE: "Detroit" })).toMatch(/THREECX_CDR_TIMEZONE: must be an IANA time zone/);
  });

  it("defaults THREECX_CDR_FIELDS to the 27 fields in 3CX's picker order", () => {
    expect(CDR_FIELD_NAMES).toHaveLength(27);
    expect(parseEnv({}).THREECX_CDR_FIELDS).toBe(DEFAULT_CDR_FIELDS);
    expect(parseEnv({ THREECX_CDR_FIELDS: "" }).THREECX_CDR_FIELDS).toBe(DEFAULT_CDR_FIELDS);
    expect(DEFAULT_CDR_FIELDS.split(",").slice(0, 4)).toEqual(["history-id", "call-id", "duration", "time-start"]);
    expect(DEFAULT_CDR_FIELDS.split(",").slice(-7)).toEqual([
      "from-type", "to-type", "final-type", "from-dispname", "to-dispname", "final-dispname", "missed-queue-calls",
    ]);
  });

  it("accepts 3CX's own spellings of the CDR fields and keeps them in order under our names", () => {
    const threeCx = [
      "historyid", "callid", "duration", "time_start", "time_answered", "time_end", "reason_terminated",
      "from_no", "to_no", "from_dn", "to_dn", "dial_no", "reason_changed", "final_number", "final_dn",
      "bill_code", "bill_rate", "bill_cost", "bill_name", "chain",
      "from_type", "to_type", "final_type", "from_dispname", "to_dispname", "final_dispname", "missed_queue_calls",
    ];
    expect(parseEnv({ THREECX_CDR_FIELDS: threeCx.join(",") }).THREECX_CDR_FIELDS).toBe(DEFAULT_CDR_FIELDS);
    // 3CX's picker spells the rest with hyphens; spaces and capitals are forgiven.
    expect(parseEnv({ THREECX_CDR_FIELDS: "historyid, CallID ,duration,time-start,time-end,from-type" }).THREECX_CDR_FIELDS).toBe(
      "history-id,call-id,duration,time-start,time-end,from-type",
    );
    expect(parseEnv({ THREECX_CDR_FIELDS: "history-id,call-id,time-end" }).THREECX_CDR_FIELDS).toBe("history-id,call-id,time-end");
  });

  it("checks the token lifetime and the metrics access settings at start", () => {
    expect(parseEnv({}).JWT_MAX_LIFETIME_SECONDS).toBe(43200);
    expect(parseEnv({ JWT_MAX_LIFETIME_SECONDS: "3600" }).JWT_MAX_LIFETIME_SECONDS).toBe(3600);
    expect(problemsOf({ JWT_MAX_LIFETIME_SECONDS: "10" })).toMatch(/JWT_MAX_LIFETIME_SECONDS/);
    expect(parseEnv({}).METRICS_TOKEN).toBeUndefined();
    expect(parseEnv({ METRICS_ALLOW: "10.0.0.0/8, 192.168.1.20,fd00::/8" }).METRICS_ALLOW).toBe("10.0.0.0/8, 192.168.1.20,fd00::/8");
    expect(problemsOf({ METRICS_ALLOW: "10.0.0.0/8, 10.0.0.0/40" })).toMatch(/^METRICS_ALLOW: '10\.0\.0\.0\/40' is not an IP address or CIDR block/);
    expect(problemsOf({ METRICS_ALLOW: "prometheus.internal" })).toMatch(/METRICS_ALLOW: 'prometheus\.internal'/);
    expect(problemsOf({ METRICS_TOKEN: "short" })).toMatch(/METRICS_TOKEN: must be at least 16 characters/);
  });

  it("checks THREECX_CDR_SOCKET_ALLOW at start: a typo stops the start instead of opening or closing the socket", () => {
    expect(parseEnv({ THREECX_CDR_SOCKET_ALLOW: "203.0.113.7/32, ::1" }).THREECX_CDR_SOCKET_ALLOW).toBe("203.0.113.7/32, ::1");
    expect(problemsOf({ THREECX_CDR_SOCKET_ALLOW: "203.0.113.7/33" })).toMatch(/^THREECX_CDR_SOCKET_ALLOW: '203\.0\.113\.7\/33' is not an IP address or CIDR block/);
    expect(problemsOf({ THREECX_CDR_SOCKET_ALLOW: "pbx.example" })).toMatch(/THREECX_CDR_SOCKET_ALLOW: 'pbx\.example'/);
  });

  it("refuses an unknown CDR field, naming it, and a field listed twice", () => {
    expect(() => parseEnv({ THREECX_CDR_FIELDS: "historyid,callid,bogus" })).toThrow(EnvError);
    const problems = problemsOf({ THREECX_CDR_FIELDS: "historyid,callid,bogus" });
    expect(problems).toMatch(/^THREECX_CDR_FIELDS: unknown CDR field: bogus;/);
    expect(problemsOf({ THREECX_CDR_FIELDS: "historyid,bogus,time_strat" })).toMatch(/unknown CDR fields: bogus, time_strat/);
    expect(problemsOf({ THREECX_CDR_FIELDS: "historyid,,callid" })).toMatch(/unknown CDR field: \(empty\)/);
    expect(problemsOf({ THREECX_CDR_FIELDS: "historyid,history-id" })).toMatch(/THREECX_CDR_FIELDS: CDR field listed twice: history-id/);
  });
});
