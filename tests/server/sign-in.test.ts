/**
 * Sign-in: every token case. Token problems are refused with 401 and a JSON
 * reason before any database work; unknown, inactive and role-less users get
 * 403; the role always comes from user_roles.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from "jose";
import { createTestDatabase, type TestDatabase } from "../helpers/db.js";
import { createUser } from "../helpers/users.js";
import { signToken, startTestServer, type TestServer } from "../helpers/server.js";

const ME = "agent@gangerdermatology.com";
let db: TestDatabase;
let server: TestServer;
let jwksServer: http.Server;
let jwksUrl: string;
const GOOGLE_CLIENT_ID = "test-client.apps.googleusercontent.com";
let rsKey: CryptoKey, esKey: CryptoKey, strangerKey: CryptoKey;

const whoAmI = "{ allUsers { nodes { email } } }";

beforeAll(async () => {
  db = await createTestDatabase();
  await createUser(db.owner, { email: ME, role: "call_center_agent", locations: ["Ann Arbor"] });
  await createUser(db.owner, { email: "other@gangerdermatology.com", role: "call_center_agent", locations: ["Ann Arbor"] });
  await createUser(db.owner, { email: "gone@gangerdermatology.com", role: "call_center_agent", active: false });
  await createUser(db.owner, { email: "norole@gangerdermatology.com", role: null });

  // A local JWKS endpoint standing in for Google's (nothing leaves this machine).
  const rs = await generateKeyPair("RS256", { extractable: true });
  const es = await generateKeyPair("ES256", { extractable: true });
  const stranger = await generateKeyPair("RS256", { extractable: true });
  rsKey = rs.privateKey;
  esKey = es.privateKey;
  strangerKey = stranger.privateKey;
  const keys: JWK[] = [
    { ...(await exportJWK(rs.publicKey)), kid: "rs1", alg: "RS256", use: "sig" },
    { ...(await exportJWK(es.publicKey)), kid: "es1", alg: "ES256", use: "sig" },
  ];
  jwksServer = http.createServer((_req, res) => {
    res.setHeader("content-type", "application/json");
    res.end(JSON.stringify({ keys }));
  });
  await new Promise<void>((r) => jwksServer.listen(0, "127.0.0.1", r));
  jwksUrl = `http://127.0.0.1:${(jwksServer.address() as AddressInfo).port}/certs`;

  server = await startTestServer(db.authenticatorUrl, { env: { JWT_JWKS_URL: jwksUrl, GOOGLE_CLIENT_ID } });
});

afterAll(async () => {
  await server.close();
  await new Promise((r) => jwksServer.close(r));
  await db.drop();
});

async function post(headers: Record<string, string>) {
  const res = await fetch(`${server.url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify({ query: whoAmI }),
  });
  return { status: res.status, body: (await res.json()) as { error?: { code: string; message: string }; data?: unknown } };
}

function googleToken(key: CryptoKey, kid: string, alg: "RS256" | "ES256", claims: Record<string, unknown> = {}, audience = GOOGLE_CLIENT_ID) {
  return new SignJWT({ email: ME, email_verified: true, ...claims })
    .setProtectedHeader({ alg, kid, typ: "JWT" })
    .setIssuer("https://accounts.google.com")
    .setAudience(audience)
    .setSubject("google-subject-123")
    .setIssuedAt()
    .setExpirationTime(typeof claims.exp === "number" ? claims.exp : "1h")
    .sign(key);
}

const now = () => Math.floor(Date.now() / 1000);
const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString("base64url");

describe("a valid token", () => {
  it("HS256 from our own issuer signs in and sees only the agent's own row", async () => {
    const res = await post({ authorization: `Bearer ${await signToken({ email: ME })}` });
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({ allUsers: { nodes: [{ email: ME }] } });
  });

  it("is matched by email case-insensitively", async () => {
    const res = await post({ authorization: `Bearer ${await signToken({ email: "Agent@GangerDermatology.com" })}` });
    expect(res.status).toBe(200);
  });

  it("RS256 from the JWKS (a Google ID token) signs in", async () => {
    const res = await post({ authorization: `Bearer ${await googleToken(rsKey, "rs1", "RS256")}` });
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({ allUsers: { nodes: [{ email: ME }] } });
  });

  it("ES256 from the JWKS signs in", async () => {
    const res = await post({ authorization: `Bearer ${await googleToken(esKey, "es1", "ES256")}` });
    expect(res.status).toBe(200);
  });

  it("issued up to 60 seconds ahead of our clock (skew), or lasting exactly the maximum (12 hours), is accepted", async () => {
    expect((await post({ authorization: `Bearer ${await signToken({ email: ME, issuedAt: now() + 30, expiresIn: now() + 3600 })}` })).status).toBe(200);
    expect((await post({ authorization: `Bearer ${await signToken({ email: ME, issuedAt: now() - 10, expiresIn: now() - 10 + 43200 })}` })).status).toBe(200);
  });

  it("cannot choose its role: a 'role: superadmin' claim still sees only its own row", async () => {
    const token = await signToken({ email: ME, extra: { role: "superadmin", "https://hasura.io/jwt/claims": { role: "superadmin" } } });
    const res = await post({ authorization: `Bearer ${token}` });
    expect(res.body.data).toEqual({ allUsers: { nodes: [{ email: ME }] } });
  });
});

describe("a refused token: 401 with a reason", () => {
  const cases: Array<[string, () => Promise<Record<string, string>>, string]> = [
    ["missing Authorization header", async () => ({}), "NO_TOKEN"],
    ["not a Bearer header", async () => ({ authorization: "Basic YWdlbnQ6cGFzcw==" }), "MALFORMED_TOKEN"],
    ["a Bearer value that is not a JWT", async () => ({ authorization: "Bearer not-a-jwt" }), "MALFORMED_TOKEN"],
    ["garbage in the JWT header", async () => ({ authorization: "Bearer e30.e30.x" }), "UNSUPPORTED_ALGORITHM"],
    [
      "alg: none",
      async () => ({ authorization: `Bearer ${b64({ alg: "none", typ: "JWT" })}.${b64({ email: ME, iss: "call-center-ops", exp: Math.floor(Date.now() / 1000) + 600 })}.` }),
      "UNSUPPORTED_ALGORITHM",
    ],
    ["expired", async () => ({ authorization: `Bearer ${await signToken({ email: ME, expiresIn: Math.floor(Date.now() / 1000) - 120 })}` }), "TOKEN_EXPIRED"],
    ["signed with the wrong secret", async () => ({ authorization: `Bearer ${await signToken({ email: ME, secret: "another-secret-another-secret-another!!" })}` }), "INVALID_SIGNATURE"],
    ["from another issuer", async () => ({ authorization: `Bearer ${await signToken({ email: ME, issuer: "someone-else" })}` }), "INVALID_CLAIMS"],
    ["an email outside the allowed domain", async () => ({ authorization: `Bearer ${await signToken({ email: "agent@gmail.com" })}` }), "EMAIL_DOMAIN_NOT_ALLOWED"],
    ["a look-alike domain", async () => ({ authorization: `Bearer ${await signToken({ email: "agent@evil-gangerdermatology.com" })}` }), "EMAIL_DOMAIN_NOT_ALLOWED"],
    ["RS256 signed by a key not in the JWKS", async () => ({ authorization: `Bearer ${await googleToken(strangerKey, "rs1", "RS256")}` }), "INVALID_SIGNATURE"],
    ["RS256 with an unknown key id", async () => ({ authorization: `Bearer ${await googleToken(strangerKey, "zz9", "RS256")}` }), "INVALID_SIGNATURE"],
    ["a Google token for another audience", async () => ({ authorization: `Bearer ${await googleToken(rsKey, "rs1", "RS256", {}, "someone-else.apps.googleusercontent.com")}` }), "INVALID_CLAIMS"],
    ["a Google token whose email is not verified", async () => ({ authorization: `Bearer ${await googleToken(rsKey, "rs1", "RS256", { email_verified: false })}` }), "EMAIL_NOT_VERIFIED"],
    ["valid for 100 years", async () => ({ authorization: `Bearer ${await signToken({ email: ME, expiresIn: "100y" })}` }), "TOKEN_LIFETIME_TOO_LONG"],
    ["valid for 12 hours and 1 second (over JWT_MAX_LIFETIME_SECONDS)", async () => ({ authorization: `Bearer ${await signToken({ email: ME, issuedAt: now() - 60, expiresIn: now() - 60 + 43201 })}` }), "TOKEN_LIFETIME_TOO_LONG"],
    ["a Google token valid for 2 days", async () => ({ authorization: `Bearer ${await googleToken(rsKey, "rs1", "RS256", { exp: now() + 2 * 86400 })}` }), "TOKEN_LIFETIME_TOO_LONG"],
    ["issued an hour from now", async () => ({ authorization: `Bearer ${await signToken({ email: ME, issuedAt: now() + 3600, expiresIn: now() + 7200 })}` }), "TOKEN_ISSUED_IN_FUTURE"],
    ["issued 2 minutes from now (beyond the 60 s clock skew)", async () => ({ authorization: `Bearer ${await signToken({ email: ME, issuedAt: now() + 120, expiresIn: now() + 1800 })}` }), "TOKEN_ISSUED_IN_FUTURE"],
    ["without 'iat' (issued at)", async () => ({ authorization: `Bearer ${await signToken({ email: ME, issuedAt: null })}` }), "INVALID_CLAIMS"],
  ];
  it.each(cases)("%s", async (_name, headers, code) => {
    const res = await post(await headers());
    expect(res.status).toBe(401);
    expect(res.body.error?.code).toBe(code);
    expect(typeof res.body.error?.message).toBe("string");
    expect(res.body.data).toBeUndefined();
  });
});

describe("a valid token for someone who may not sign in: 403 with a reason", () => {
  it.each([
    ["an unknown user", "stranger@gangerdermatology.com", "UNKNOWN_USER"],
    ["an inactive user", "gone@gangerdermatology.com", "USER_INACTIVE"],
    ["a user without a role", "norole@gangerdermatology.com", "NO_ROLE"],
  ])("%s", async (_name, email, code) => {
    const res = await post({ authorization: `Bearer ${await signToken({ email })}` });
    expect(res.status).toBe(403);
    expect(res.body.error?.code).toBe(code);
  });
});

describe("the longest lifetime is configurable (JWT_MAX_LIFETIME_SECONDS)", () => {
  it("refuses a 1-hour token where 10 minutes is the maximum, and names the limit", async () => {
    const strict = await startTestServer(db.authenticatorUrl, { env: { JWT_MAX_LIFETIME_SECONDS: "600" } });
    try {
      const hour = await fetch(`${strict.url}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${await signToken({ email: ME, expiresIn: "1h" })}` },
        body: JSON.stringify({ query: whoAmI }),
      });
      expect(hour.status).toBe(401);
      const body = (await hour.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe("TOKEN_LIFETIME_TOO_LONG");
      expect(body.error.message).toMatch(/600 seconds/);
      expect((await strict.graphql(whoAmI, await signToken({ email: ME, expiresIn: "10m" }))).status).toBe(200);
    } finally {
      await strict.close();
    }
  });
});

describe("refusals happen before any database work", () => {
  it("answers 401 even when the database is unreachable", async () => {
    const dead = new URL(db.authenticatorUrl);
    dead.port = "1"; // nothing listens there
    const offline = await startTestServer(dead.toString());
    try {
      const res = await fetch(`${offline.url}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${await signToken({ email: ME, expiresIn: Math.floor(Date.now() / 1000) - 120 })}` },
        body: JSON.stringify({ query: "{ __typename }" }),
      });
      expect(res.status).toBe(401);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe("TOKEN_EXPIRED");
    } finally {
      await offline.close();
    }
  });

  it("counts refusals by reason in /metrics", async () => {
    await post({});
    const text = await (await fetch(`${server.url}/metrics`)).text();
    expect(text).toMatch(/auth_refusals_total\{code="NO_TOKEN"\} [1-9]/);
  });
});
