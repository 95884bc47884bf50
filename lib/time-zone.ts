/**
 * IANA time zones as people type them on a command line or in a job
 * payload: checked with the runtime's own zone data and stored under their
 * canonical name (`europe/paris` → `Europe/Paris`), never as a bare offset.
 */
import { z } from "zod";

const ZONE_NAME = /^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/;

/** The canonical name of an IANA zone, or null when the runtime knows no such zone. */
export function canonicalTimeZone(name: string): string | null {
  if (!ZONE_NAME.test(name)) return null;
  try {
    return new Intl.DateTimeFormat("en-US", { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

/** A zod schema for an IANA zone name; parses to the canonical name. */
export const ianaTimeZone = z.string().transform((name, ctx) => {
  const zone = canonicalTimeZone(name.trim());
  if (zone === null) {
    ctx.addIssue({ code: "custom", message: `'${name}' is not an IANA time zone (such as UTC, America/Detroit or Europe/Paris)` });
    return z.NEVER;
  }
  return zone;
});
