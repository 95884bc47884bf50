/**
 * JSON logs (pino). Tokens, secrets, passwords and request bodies are
 * redacted wherever they appear; nothing logs call or patient data.
 */
import { pino, type Logger } from "pino";

export const REDACTED_PATHS = [
  "req.headers.authorization",
  "req.headers.cookie",
  'req.headers["x-3cx-signature"]',
  "headers.authorization",
  "authorization",
  "token",
  "password",
  "connectionString",
  "body",
  "variables",
  "*.password",
  "*.token",
  "*.connectionString",
];

/** Masks the password part of a connection string for logs. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return "<invalid url>";
  }
}

export function makeLogger(level: string = process.env.LOG_LEVEL ?? "info", destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: "call-center-ops" },
      redact: { paths: REDACTED_PATHS, censor: "[redacted]" },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination ?? pino.destination(2),
  );
}

/** The process logger; writes JSON lines to stderr so stdout stays for command output. */
export const logger: Logger = makeLogger(process.env.NODE_ENV === "test" && !process.env.LOG_LEVEL ? "silent" : undefined);
