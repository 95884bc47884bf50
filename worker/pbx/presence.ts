/**
 * The presence poll: fetch one snapshot of every PBX user's status (an
 * injected function, so the poll does not care where it comes from), apply
 * it in one transaction (app_private.apply_pbx_presence), or record the
 * failure in pbx_api_status('presence') and keep the last known presence,
 * which the database then flags stale. The task (tasks/pbx__presence_poll.ts)
 * runs this and queues itself again.
 */
import type { JobHelpers } from "graphile-worker";
import { XapiError } from "../../integrations/3cx/xapi/client.js";
import { withWorkerRole } from "../with-worker-role.js";

/** One PBX user's status, as app_private.apply_pbx_presence takes it. */
export interface PresenceEntry {
  extension: string;
  /** 3CX CurrentProfileName (Available, Away, Out of office, Lunch, ...). */
  profile: string | null;
  /** QueueStatus LoggedIn (one switch for all of the agent's queues). */
  logged_in: boolean;
  /** IsRegistered: a phone of the extension is registered. */
  registered: boolean;
  /** The extension takes part in one of the PBX's active calls. */
  on_call: boolean;
}

/** Fetches one snapshot of every PBX user's status; throws when the PBX does not answer. */
export type FetchPresence = (signal: AbortSignal) => Promise<PresenceEntry[]>;

export type PollOutcome =
  | { ok: true; applied: boolean; agents?: number; opened?: number; closed?: number; unknown_extensions?: string[] }
  | { ok: false; reason: string; error: string; consecutiveFailures: number };

/** The poll's own deadline passed (the fetch is abandoned). */
export class PresenceTimeoutError extends Error {
  override readonly name = "PresenceTimeoutError";
}

/** The reason pbx_api_failures counts a failure under (the client's reasons, as the directory sync records them). */
export function failureReason(e: unknown): string {
  if (e instanceof XapiError) return e.reason;
  if (e instanceof PresenceTimeoutError) return "timeout";
  return "network";
}

/** A failure's text for pbx_api_status and the log: the error's message only (never a request, header or secret). */
export function failureText(e: unknown): string {
  const name = e instanceof Error && e.name && e.name !== "Error" ? `${e.name}: ` : "";
  const message = e instanceof Error ? e.message : String(e);
  return `${name}${message}`.slice(0, 1000);
}

/** Records a failed poll in pbx_api_status (kind presence) and pbx_api_failures; answers the failures in a row. */
async function recordFailure(helpers: JobHelpers, reason: string, error: string): Promise<number> {
  return withWorkerRole(helpers, async (client) => {
    await client.query("select app_private.record_pbx_api_failure('presence', $1, $2)", [reason, error]);
    return Number((await client.query<{ n: number }>("select consecutive_failures as n from app_private.pbx_api_status where kind = 'presence'")).rows[0]?.n ?? 0);
  });
}

/** Polls once: a snapshot applied, or the failure recorded. Only a database error while recording is thrown. */
export async function pollPresenceOnce(
  helpers: JobHelpers,
  fetchPresence: FetchPresence,
  { pollSeconds, timeoutMs }: { pollSeconds: number; timeoutMs: number },
): Promise<PollOutcome> {
  let snapshot: PresenceEntry[];
  try {
    snapshot = await fetchPresence(AbortSignal.timeout(timeoutMs));
  } catch (e) {
    const reason = failureReason(e);
    const error = failureText(e);
    return { ok: false, reason, error, consecutiveFailures: await recordFailure(helpers, reason, error) };
  }
  try {
    // The database's clock stamps the poll, the same clock that judges staleness.
    const result = await withWorkerRole(helpers, async (client) =>
      (await client.query<{ r: Record<string, unknown> }>("select app_private.apply_pbx_presence($1::jsonb, now(), $2) as r", [
        JSON.stringify(snapshot),
        pollSeconds,
      ])).rows[0]!.r,
    );
    return { ok: true, ...(result as { applied: boolean }) };
  } catch (e) {
    // Rolled back: nothing of the snapshot is kept; the failure is (a database that is down throws here again).
    const error = failureText(e);
    return { ok: false, reason: "apply_failed", error, consecutiveFailures: await recordFailure(helpers, "apply_failed", error) };
  }
}
