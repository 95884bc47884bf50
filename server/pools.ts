/**
 * The server's database pool: the API login (app_authenticator), which can
 * only become app_visitor. Its sessions start with statement_timeout
 * (API_STATEMENT_TIMEOUT_MS) for whatever runs outside a request's own
 * transaction settings (the sign-in lookup, the CDR webhook and socket).
 */
import pg from "pg";
import type { Logger } from "pino";

export function makeAuthenticatorPool(connectionString: string, size: number, logger: Logger, statementTimeoutMs?: number): pg.Pool {
  const pool = new pg.Pool({
    connectionString,
    max: size,
    statement_timeout: statementTimeoutMs,
    connectionTimeoutMillis: 5000,
    idleTimeoutMillis: 30_000,
    application_name: "call-center-ops/server",
  });
  // A server restart breaks idle connections; the pool replaces them. Never crash on it.
  pool.on("error", (err) => logger.warn({ err: { message: err.message } }, "database connection lost"));
  return pool;
}
