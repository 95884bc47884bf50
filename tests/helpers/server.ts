/**
 * The real HTTP service on a free port, against a test database, and tokens
 * signed the way production tokens are.
 */
import type { AddressInfo } from "node:net";
import { SignJWT } from "jose";
import type { Logger } from "pino";
import { parseEnv, type Env } from "../../lib/env.js";
import { makeLogger } from "../../lib/logger.js";
import { OWN_ISSUER } from "../../lib/jwt-secret.js";
import { makeApp, type App } from "../../server/app.js";

export const TEST_JWT_SECRET = "test-secret-that-is-long-enough-for-hs256!!";

export interface TestServer {
  url: string;
  env: Env;
  app: App;
  close(): Promise<void>;
  graphql(query: string, token?: string, variables?: Record<string, unknown>): Promise<{ status: number; body: GraphQLBody }>;
}

export interface GraphQLBody {
  data?: Record<string, unknown> | null;
  errors?: Array<{ message: string; extensions?: { code?: string } }>;
  error?: { code: string; message: string };
}

export function testEnv(overrides: Record<string, string> = {}): Env {
  const phi = Object.fromEntries(
    ["PHI_ENCRYPTION_KEYS", "PHI_ENCRYPTION_KEY_ID", "PHI_HASH_KEY"].flatMap((k) => (process.env[k] ? [[k, process.env[k]!]] : [])),
  );
  return parseEnv({ NODE_ENV: "test", JWT_SECRET: TEST_JWT_SECRET, PORT: "0", HOST: "127.0.0.1", ...phi, ...overrides });
}

export async function startTestServer(
  authenticatorUrl: string,
  options: { env?: Record<string, string>; logger?: Logger; workerRunning?: () => boolean; host?: string } = {},
): Promise<TestServer> {
  const env = testEnv(options.env);
  const app = await makeApp({ env, logger: options.logger ?? makeLogger("silent"), authenticatorUrl, workerRunning: options.workerRunning });
  const host = options.host ?? "127.0.0.1";
  await new Promise<void>((resolve) => app.server.listen(0, host, resolve));
  const url = `http://${host.includes(":") ? `[${host}]` : host}:${(app.server.address() as AddressInfo).port}`;
  return {
    url,
    env,
    app,
    close: () => app.close(),
    async graphql(query, token, variables) {
      const res = await fetch(`${url}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify({ query, variables }),
      });
      return { status: res.status, body: (await res.json()) as GraphQLBody };
    },
  };
}

export interface TokenOptions {
  email: string;
  secret?: string;
  issuer?: string;
  expiresIn?: string | number;
  /** Seconds since the epoch; null leaves the claim out. Default: now. */
  issuedAt?: number | null;
  extra?: Record<string, unknown>;
}

/** An HS256 token like `npm run token` makes. */
export function signToken({ email, secret = TEST_JWT_SECRET, issuer = OWN_ISSUER, expiresIn = "1h", issuedAt, extra = {} }: TokenOptions) {
  const jwt = new SignJWT({ email, email_verified: true, ...extra }).setProtectedHeader({ alg: "HS256", typ: "JWT" }).setIssuer(issuer);
  if (issuedAt !== null) jwt.setIssuedAt(issuedAt);
  return jwt.setExpirationTime(expiresIn).sign(new TextEncoder().encode(secret));
}
