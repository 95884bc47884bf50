/**
 * Where the presence poll's snapshots come from: the PBX's XAPI, read as two
 * requests per poll, `GET /xapi/v1/Users?$select=Number,CurrentProfileName,
 * QueueStatus,IsRegistered` and `GET /xapi/v1/ActiveCalls`, turned into one
 * PresenceEntry per user (presenceFromXapi).
 */
import { env } from "../../lib/env.js";
import { XapiClient, xapiClientFromEnv } from "../../integrations/3cx/xapi/client.js";
import { PresenceTimeoutError, type FetchPresence, type PresenceEntry } from "./presence.js";

/** A user of XAPI's Users list, as far as presence reads it. */
export interface XapiPresenceUser {
  Number?: unknown;
  CurrentProfileName?: unknown;
  QueueStatus?: unknown;
  IsRegistered?: unknown;
}

/** An active call of XAPI's ActiveCalls list: its parties, as text such as "101", "101 Jane Doe" or "Jane Doe (101)", and its status. */
export interface XapiPresenceCall {
  Caller?: unknown;
  Callee?: unknown;
  Status?: unknown;
}

const digitsOnly = /^[0-9]{2,8}$/;

/** The extensions a party text names: every run of 2 to 8 digits standing alone ("Jane Doe (101)" → 101). */
function extensionsIn(party: unknown): string[] {
  return typeof party === "string" ? [...party.matchAll(/(?<![0-9+])[0-9]{2,8}(?![0-9])/g)].map((m) => m[0]) : [];
}

/**
 * One snapshot from XAPI's Users and ActiveCalls: a user whose extension is a
 * party of an active call is on a call, except the callee of a call still
 * ringing (not answered yet; the caller who dials out is busy). Users without
 * a usable extension number are left out.
 */
export function presenceFromXapi(users: XapiPresenceUser[], activeCalls: XapiPresenceCall[]): PresenceEntry[] {
  const ringing = (c: XapiPresenceCall) => typeof c.Status === "string" && c.Status.toLowerCase() === "ringing";
  const onCall = new Set(activeCalls.flatMap((c) => [...extensionsIn(c.Caller), ...(ringing(c) ? [] : extensionsIn(c.Callee))]));
  const seen = new Set<string>();
  const entries: PresenceEntry[] = [];
  for (const u of users) {
    const extension = typeof u.Number === "string" ? u.Number.trim() : typeof u.Number === "number" ? String(u.Number) : "";
    if (!digitsOnly.test(extension) || seen.has(extension)) continue;
    seen.add(extension);
    const profile = typeof u.CurrentProfileName === "string" && u.CurrentProfileName.trim() !== "" ? u.CurrentProfileName.trim().slice(0, 100) : null;
    entries.push({
      extension,
      profile,
      logged_in: u.QueueStatus === true || (typeof u.QueueStatus === "string" && u.QueueStatus.toLowerCase() === "loggedin"),
      registered: u.IsRegistered === true,
      on_call: onCall.has(extension),
    });
  }
  return entries;
}

/** Rejects when the signal aborts (the poll's own deadline), whatever the request is doing. */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const abort = () => reject(new PresenceTimeoutError("3CX did not answer the presence poll in time"));
    if (signal.aborted) return abort();
    signal.addEventListener("abort", abort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener("abort", abort));
  });
}

/** A fetch over an XAPI client: Users and ActiveCalls, read at once. */
export function presenceFromClient(client: Pick<XapiClient, "listUsers" | "listActiveCalls">): FetchPresence {
  return async (signal) => {
    const [users, calls] = await untilAborted(Promise.all([client.listUsers(), client.listActiveCalls()]), signal);
    return presenceFromXapi(users, calls);
  };
}

let cached: { key: string; fetch: FetchPresence | undefined } | undefined;

/**
 * The poll's fetch for the configured PBX (THREECX_API_URL, THREECX_API_CLIENT_ID, THREECX_API_KEY), or undefined
 * when the 3CX API is not configured. One client per process, so its token is reused between polls; it retries
 * once (a poll comes again in a few seconds anyway) and honours a Retry-After up to one poll interval.
 */
export function presenceFetcher(): FetchPresence | undefined {
  const e = env();
  const key = [e.THREECX_API_URL, e.THREECX_API_CLIENT_ID, e.THREECX_API_KEY, e.THREECX_PRESENCE_POLL_SECONDS].join("\n");
  if (cached?.key !== key) {
    const client = xapiClientFromEnv(e, { retries: 1, maxRetryAfterMs: e.THREECX_PRESENCE_POLL_SECONDS * 1000 });
    cached = { key, fetch: client && presenceFromClient(client) };
  }
  return cached.fetch;
}
