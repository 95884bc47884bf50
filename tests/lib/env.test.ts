/** Configuration: defaults, validation with clear messages, and production's refusal to start without secrets. */
import { EnvError, parseEnv } from "../../lib/env.js";

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
});
