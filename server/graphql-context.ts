/**
 * Per-request GraphQL context: the signed-in person's settings. Over HTTP the
 * express middleware has already verified the token (req.session); over
 * WebSockets the token comes in connectionParams.authorization.
 */
import type { Authenticator, Session } from "./auth.js";
import { sessionPgSettings } from "./auth.js";
import type { GuardHandle, RequestGuard, WithPgClient } from "./request-guard.js";

declare global {
  namespace Express {
    interface Request {
      session?: Session;
    }
  }
}

export interface ContextOptions {
  /** The patient-data keys (lib/phi-keys.ts), so protected fields can be written and revealed. */
  phiSettings?: Record<string, string>;
  /** API_STATEMENT_TIMEOUT_MS, set in each request's transaction. */
  statementTimeoutMs?: number;
  /** The per-user connection limit and the cancellation of requests whose client went away. */
  guard?: RequestGuard;
}

/** A WebSocket operation has no HTTP response to watch: it is never "gone" here. */
const NEVER = new AbortController().signal;

/** Every signed-in request's transaction gets the person's claims, the statement timeout and the patient-data keys. */
export function graphqlContext(authenticator: Authenticator, { phiSettings = {}, statementTimeoutMs, guard }: ContextOptions = {}) {
  return async (
    requestContext: Partial<Grafast.RequestContext>,
    args?: { contextValue?: unknown },
  ): Promise<Partial<Grafast.Context>> => {
    const req = requestContext.expressv4?.req;
    let session = req?.session;
    const ws = (requestContext as { ws?: { normalizedConnectionParams?: Record<string, unknown> } }).ws;
    if (!session && ws) {
      const authorization = ws.normalizedConnectionParams?.authorization;
      session = await authenticator.authenticate(typeof authorization === "string" ? authorization : undefined);
    }
    // Without a session the API login keeps its own (empty) privileges.
    if (!session) return {};
    const pgSettings = { ...sessionPgSettings(session, { statementTimeoutMs }), ...phiSettings };
    // PostGraphile has put its withPgClient in the context already (PgContextPlugin); this one wraps it.
    const withPgClient = (args?.contextValue as { withPgClient?: unknown } | undefined)?.withPgClient;
    if (!guard || typeof withPgClient !== "function") return { pgSettings };
    const handle: GuardHandle = req?.guard ?? { userId: session.userId, signal: NEVER };
    const guarded = guard.wrapWithPgClient(withPgClient as WithPgClient, handle);
    return { pgSettings, withPgClient: guarded as unknown as Grafast.Context["withPgClient"] };
  };
}
