/**
 * The worker's 3CX API client, from the environment (THREECX_API_URL,
 * THREECX_API_CLIENT_ID, THREECX_API_KEY, THREECX_API_TIMEOUT_MS,
 * THREECX_API_RETRIES). One client per configuration, so its token is reused
 * across jobs until it is due for renewal. Undefined when not configured.
 */
import type { Logger } from "graphile-worker";
import { env } from "../lib/env.js";
import { xapiClientFromEnv, type XapiClient, type XapiClientOptions, type XapiLogger } from "../integrations/3cx/xapi/client.js";

let cached: { key: string; client: XapiClient } | undefined;
let extra: Partial<XapiClientOptions> = {};

/** Tests: options every client made from now on gets (e.g. a short backoff). */
export function setXapiClientOptions(options: Partial<XapiClientOptions>): void {
  extra = options;
  cached = undefined;
}

function adapt(logger: Logger): XapiLogger {
  return {
    debug: (obj, msg) => logger.debug(msg ?? "", obj as Record<string, unknown>),
    warn: (obj, msg) => logger.warn(msg ?? "", obj as Record<string, unknown>),
  };
}

export function directoryClient(logger?: Logger): XapiClient | undefined {
  const e = env();
  if (!e.THREECX_API_URL || !e.THREECX_API_CLIENT_ID || !e.THREECX_API_KEY) return undefined;
  const key = JSON.stringify([e.THREECX_API_URL, e.THREECX_API_CLIENT_ID, e.THREECX_API_KEY, e.THREECX_API_TIMEOUT_MS, e.THREECX_API_RETRIES, extra]);
  if (cached?.key !== key) {
    const client = xapiClientFromEnv(e, { retries: e.THREECX_API_RETRIES, logger: logger ? adapt(logger) : undefined, ...extra })!;
    cached = { key, client };
  }
  return cached.client;
}
