/**
 * Per-request GraphQL context: the signed-in person's settings. Over HTTP the
 * express middleware has already verified the token (req.session); over
 * WebSockets the token comes in connectionParams.authorization.
 */
import type { Authenticator, Session } from "./auth.js";
import { sessionPgSettings } from "./auth.js";

declare global {
  namespace Express {
    interface Request {
      session?: Session;
    }
  }
}

/**
 * phiSettings: the patient-data keys (lib/phi-keys.ts), added to every signed-in
 * request's transaction so protected fields can be written and revealed.
 */
export function graphqlContext(authenticator: Authenticator, phiSettings: Record<string, string> = {}) {
  return async (requestContext: Partial<Grafast.RequestContext>): Promise<Partial<Grafast.Context>> => {
    let session = requestContext.expressv4?.req.session;
    const ws = (requestContext as { ws?: { normalizedConnectionParams?: Record<string, unknown> } }).ws;
    if (!session && ws) {
      const authorization = ws.normalizedConnectionParams?.authorization;
      session = await authenticator.authenticate(typeof authorization === "string" ? authorization : undefined);
    }
    // Without a session the API login keeps its own (empty) privileges.
    return session ? { pgSettings: { ...sessionPgSettings(session), ...phiSettings } } : {};
  };
}
