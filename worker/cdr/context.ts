/**
 * What the 3CX parser needs beside a body: the configured field order, the
 * body's zone (its own, else THREECX_CDR_TIMEZONE) and the PBX directory.
 * Shared by cdr__process (bodies as they arrive) and cdr__rebuild (bodies
 * read again), so both read a body the same way. Only cdr__process checks
 * the time window: a call stored once passed it, and cdr__rebuild rebuilds
 * what is stored.
 */
import type { ClientBase } from "pg";
import type { Env } from "../../lib/env.js";
import type { TimeWindow } from "./normalised-call.js";
import type { PbxKind, ThreeCxContext } from "./threecx.js";

/** The PBX directory as the parser needs it: every agent, queue and other PBX number, by number. */
export async function loadDirectory(client: ClientBase): Promise<Map<string, PbxKind>> {
  const { rows } = await client.query<{ number: string; kind: PbxKind }>(
    `select number, kind from app_public.pbx_numbers
     union all select extension, 'queue' from app_public.queues where extension is not null
     union all select extension, 'agent' from app_public.agents where is_active`,
  );
  // Later rows win: an agent or a queue is known better than a number added as unknown.
  return new Map(rows.map((r) => [r.number, r.kind]));
}

/**
 * The parser's context for one raw body: its own zone (cdr_raw.cdr_time_zone) or THREECX_CDR_TIMEZONE; with its
 * arrival time, the window its records' times must fall in (CDR_MAX_AGE_DAYS before, CDR_MAX_FUTURE_MINUTES after).
 */
export function cdrContext(env: Env, directory: ReadonlyMap<string, PbxKind>, bodyTimeZone: string | null, receivedAt?: Date): ThreeCxContext {
  const window: TimeWindow | undefined = receivedAt
    ? { receivedAt: receivedAt.getTime(), maxAgeDays: env.CDR_MAX_AGE_DAYS, maxFutureMinutes: env.CDR_MAX_FUTURE_MINUTES }
    : undefined;
  return { fields: env.THREECX_CDR_FIELDS.split(","), timeZone: bodyTimeZone ?? env.THREECX_CDR_TIMEZONE, directory, window };
}
