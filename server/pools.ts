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

/**
 * Runs fn on a pooled connection under a short statement timeout (health
 * checks, scrapes), and resets it before the connection goes back: a session
 * SET would otherwise stay with the connection and cut the next user's
 * queries short (RESET returns to the timeout the session started with).
 */
export async function withShortTimeout<T>(pool: pg.Pool, timeoutMs: number, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query(`set statement_timeout = ${Math.trunc(timeoutMs)}`);
    return await fn(client);
  } finally {
    const reset = await client.query("reset statement_timeout").then(() => true, () => false);
    // A connection that cannot even reset is not trusted back into the pool.
    client.release(reset ? undefined : true);
  }
}
