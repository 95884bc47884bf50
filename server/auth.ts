/**
 * Sign-in. PostGraphile v5 does not verify tokens; this does, before any
 * GraphQL or database work:
 * - `Authorization: Bearer <JWT>`; HS256 with JWT_SECRET (our own tokens),
 *   RS256/ES256 against JWT_JWKS_URL (Google ID tokens: issuer, audience
 *   GOOGLE_CLIENT_ID, email_verified);
 * - every token carries `exp` and `iat`; it may last at most
 *   JWT_MAX_LIFETIME_SECONDS (exp - iat) and may not be issued in the future
 *   (beyond CLOCK_SKEW_SECONDS of clock difference);
 * - the email must be in ALLOWED_EMAIL_DOMAIN;
 * - the role is read from app_public.user_roles (never from the token).
 * Token problems are 401 (no database work); unknown, inactive or role-less
 * users are 403.
 */
import { createRemoteJWKSet, decodeProtectedHeader, errors as joseErrors, jwtVerify, type JWTPayload } from "jose";
import type { Pool } from "pg";
import type { Env } from "../lib/env.js";
import { jwtSecret, OWN_ISSUER } from "../lib/jwt-secret.js";
import { APP_ROLES, type AppRole } from "../db/roles.js";

export interface Session {
  userId: string;
  email: string;
  role: AppRole;
}

export class AuthError extends Error {
  constructor(
    readonly status: 401 | 403,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "AuthError";
  }
}

export interface Authenticator {
  /** The session for an Authorization header value, or an AuthError. */
  authenticate(authorization: string | undefined): Promise<Session>;
}

const GOOGLE_ISSUERS = ["https://accounts.google.com", "accounts.google.com"];

/** How far a token's `iat` may be ahead of our clock (the issuer's clock may run a little fast). */
export const CLOCK_SKEW_SECONDS = 60;

/** The lifetime rules, after the signature and the standard claims have been verified. */
function checkLifetime(payload: JWTPayload, maxLifetime: number, now = Math.floor(Date.now() / 1000)) {
  const { iat, exp } = payload;
  if (typeof iat !== "number" || typeof exp !== "number") throw new AuthError(401, "INVALID_CLAIMS", "The token must carry 'iat' and 'exp'.");
  if (iat > now + CLOCK_SKEW_SECONDS)
    throw new AuthError(401, "TOKEN_ISSUED_IN_FUTURE", `The token's 'iat' is ${iat - now} seconds ahead of the server's clock (at most ${CLOCK_SKEW_SECONDS} allowed).`);
  if (exp - iat > maxLifetime)
    throw new AuthError(
      401,
      "TOKEN_LIFETIME_TOO_LONG",
      `The token is valid for ${exp - iat} seconds; at most ${maxLifetime} seconds are accepted (JWT_MAX_LIFETIME_SECONDS).`,
    );
}

export function makeAuthenticator(env: Env, pool: Pool): Authenticator {
  const secret = jwtSecret(env);
  const secretKey = secret ? new TextEncoder().encode(secret) : undefined;
  const jwks = env.JWT_JWKS_URL ? createRemoteJWKSet(new URL(env.JWT_JWKS_URL), { timeoutDuration: 5000 }) : undefined;
  const domain = env.ALLOWED_EMAIL_DOMAIN.toLowerCase();

  async function verify(token: string): Promise<JWTPayload & { via: "secret" | "jwks" }> {
    let alg: string | undefined;
    try {
      alg = decodeProtectedHeader(token).alg;
    } catch {
      throw new AuthError(401, "MALFORMED_TOKEN", "The bearer token is not a JWT.");
    }
    if (token.split(".").length !== 3) throw new AuthError(401, "MALFORMED_TOKEN", "The bearer token is not a signed JWT.");
    try {
      if (alg === "HS256") {
        if (!secretKey) throw new AuthError(401, "UNSUPPORTED_ALGORITHM", "HS256 tokens are not accepted here.");
        const { payload } = await jwtVerify(token, secretKey, {
          algorithms: ["HS256"],
          issuer: env.JWT_ISSUER ?? OWN_ISSUER,
          requiredClaims: ["exp", "iat", "email"],
        });
        checkLifetime(payload, env.JWT_MAX_LIFETIME_SECONDS);
        return { ...payload, via: "secret" };
      }
      if (alg === "RS256" || alg === "ES256") {
        if (!jwks || !env.GOOGLE_CLIENT_ID) throw new AuthError(401, "UNSUPPORTED_ALGORITHM", `${alg} tokens are not accepted here.`);
        const { payload } = await jwtVerify(token, jwks, {
          algorithms: ["RS256", "ES256"],
          issuer: env.JWT_ISSUER ?? GOOGLE_ISSUERS,
          audience: env.GOOGLE_CLIENT_ID,
          requiredClaims: ["exp", "iat", "email"],
        });
        checkLifetime(payload, env.JWT_MAX_LIFETIME_SECONDS);
        return { ...payload, via: "jwks" };
      }
      throw new AuthError(401, "UNSUPPORTED_ALGORITHM", `Tokens signed with '${alg ?? "none"}' are not accepted.`);
    } catch (e) {
      if (e instanceof AuthError) throw e;
      if (e instanceof joseErrors.JWTExpired) throw new AuthError(401, "TOKEN_EXPIRED", "The token has expired.");
      if (e instanceof joseErrors.JWSSignatureVerificationFailed || e instanceof joseErrors.JWKSNoMatchingKey)
        throw new AuthError(401, "INVALID_SIGNATURE", "The token's signature does not verify.");
      if (e instanceof joseErrors.JWTClaimValidationFailed)
        throw new AuthError(
          401,
          "INVALID_CLAIMS",
          e.reason === "missing" ? `The token lacks the '${e.claim}' claim.` : `The token's '${e.claim}' claim is not acceptable.`,
        );
      if (e instanceof joseErrors.JWKSTimeout || e instanceof joseErrors.JWKSInvalid)
        throw new AuthError(401, "KEYS_UNAVAILABLE", "The signing keys could not be fetched.");
      throw new AuthError(401, "INVALID_TOKEN", "The token is not valid.");
    }
  }

  return {
    async authenticate(authorization) {
      if (!authorization) throw new AuthError(401, "NO_TOKEN", "Missing 'Authorization: Bearer <token>'.");
      const match = /^Bearer +([A-Za-z0-9_\-.=]+)$/i.exec(authorization.trim());
      if (!match?.[1]) throw new AuthError(401, "MALFORMED_TOKEN", "Expected 'Authorization: Bearer <token>'.");
      const payload = await verify(match[1]);
      const email = typeof payload.email === "string" ? payload.email.toLowerCase() : "";
      if (!email) throw new AuthError(401, "INVALID_CLAIMS", "The token carries no email.");
      if (payload.via === "jwks" && payload.email_verified !== true)
        throw new AuthError(401, "EMAIL_NOT_VERIFIED", "The token's email is not verified.");
      if (!email.endsWith(`@${domain}`))
        throw new AuthError(401, "EMAIL_DOMAIN_NOT_ALLOWED", `Only @${domain} accounts may sign in.`);

      const { rows } = await pool.query<{ user_id: string; role: string | null; is_active: boolean }>(
        "select user_id, role, is_active from app_hidden.session_for_email($1)",
        [email],
      );
      const row = rows[0];
      if (!row) throw new AuthError(403, "UNKNOWN_USER", "No user with this email; ask an administrator to add you.");
      if (!row.is_active) throw new AuthError(403, "USER_INACTIVE", "This user is deactivated.");
      if (!row.role || !(APP_ROLES as readonly string[]).includes(row.role))
        throw new AuthError(403, "NO_ROLE", "This user has no role; ask an administrator to assign one.");
      return { userId: row.user_id, email, role: row.role as AppRole };
    },
  };
}

/**
 * The settings PostGraphile (and the tests) set for a signed-in person's
 * transaction. With statementTimeoutMs (API_STATEMENT_TIMEOUT_MS), the
 * transaction's statement_timeout too: it must be set per transaction, since a
 * role's own setting does not survive SET ROLE.
 */
export function sessionPgSettings(session: Session, { statementTimeoutMs }: { statementTimeoutMs?: number } = {}): Record<string, string> {
  return {
    role: "app_visitor",
    "request.jwt.claims": JSON.stringify({ sub: session.userId, email: session.email, role: session.role }),
    ...(statementTimeoutMs !== undefined ? { statement_timeout: String(statementTimeoutMs) } : {}),
  };
}
