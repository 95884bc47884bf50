/**
 * A client of the 3CX v20 configuration API (XAPI, `/xapi/v1`, OData v4).
 *
 * - Token: client credentials at `POST {base}/connect/token` (form body
 *   client_id, client_secret, grant_type=client_credentials); the answer's
 *   `expires_in` is read (3CX answers 60 or 3600 depending on version) and the
 *   token is renewed before it runs out, and once more on a 401.
 * - Paging: `$top`/`$skip` with `$count=true`, until `@odata.count` rows came
 *   (or a short page).
 * - Every request has its own timeout; 429 (honouring `Retry-After`), 5xx,
 *   timeouts and network errors are retried with backoff (p-retry).
 * - Failures are an {@link XapiError} with a `reason` fit for metrics and a
 *   message fit for people (403 names the console's IP allow-list).
 * - Answers are checked with zod: only the fields we use, unknown ones pass.
 *
 * Neither the API key nor a token is ever logged or put in an error message.
 */
import pRetry, { AbortError } from "p-retry";
import { z } from "zod";

/** Why a call failed; the values label the failure metric. */
export type XapiFailureReason =
  | "unauthorized"
  | "forbidden"
  | "rate_limited"
  | "server_error"
  | "timeout"
  | "network"
  | "malformed_json"
  | "invalid_answer"
  | "http_error";

export class XapiError extends Error {
  override readonly name = "XapiError";
  constructor(
    readonly reason: XapiFailureReason,
    message: string,
    readonly details: { status?: number; path?: string; retryAfterMs?: number } = {},
  ) {
    super(message);
  }
}

export interface XapiLogger {
  debug(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
}

export interface XapiClientOptions {
  /** The PBX's address, e.g. `https://pbx.example.com` (a trailing `/xapi/v1` is accepted). */
  baseUrl: string;
  clientId: string;
  /** The API key 3CX showed once when the client was created. */
  clientSecret: string;
  /** Per request (token requests included); default 10 000 ms. */
  timeoutMs?: number;
  /** Retries after the first attempt on 429, 5xx, timeouts and network errors; default 3. */
  retries?: number;
  /** First backoff delay; default 500 ms (doubling, with jitter). */
  minBackoffMs?: number;
  /** Longest backoff delay; default 10 000 ms. */
  maxBackoffMs?: number;
  /** Longest `Retry-After` honoured; a longer one fails the call at once. Default 60 000 ms. */
  maxRetryAfterMs?: number;
  /** Rows per page; default 100. */
  pageSize?: number;
  logger?: XapiLogger;
  fetch?: typeof fetch;
  now?: () => number;
}

// ---------------------------------------------------------------- answers

const nullableString = z.string().nullish();
/** 3CX writes QueueStatus as its enum name; older/other serialisers as 0/1 (enum order LoggedOut, LoggedIn). */
const queueStatus = z
  .union([z.enum(["LoggedIn", "LoggedOut"]), z.literal(0), z.literal(1)])
  .nullish()
  .transform((v) => (v === 1 ? "LoggedIn" : v === 0 ? "LoggedOut" : (v ?? null)));

export const tokenAnswer = z.looseObject({
  access_token: z.string().min(1),
  token_type: z.string().optional(),
  expires_in: z.coerce.number().positive().optional(),
});

export const xapiUser = z.looseObject({
  Id: z.number().int(),
  Number: z.string().min(1),
  FirstName: nullableString,
  LastName: nullableString,
  DisplayName: nullableString,
  EmailAddress: nullableString,
  IsRegistered: z.boolean().nullish(),
  CurrentProfileName: nullableString,
  QueueStatus: queueStatus,
  Enabled: z.boolean().nullish(),
});
export type XapiUser = z.infer<typeof xapiUser>;

export const xapiQueueAgent = z.looseObject({
  Number: z.string().min(1),
  Name: nullableString,
  SkillGroup: nullableString,
});

export const xapiQueue = z.looseObject({
  Id: z.number().int(),
  Number: z.string().min(1),
  Name: nullableString,
  SLATime: z.number().nullish(),
  Agents: z.array(xapiQueueAgent).nullish(),
});
export type XapiQueue = z.infer<typeof xapiQueue>;

export const xapiReceptionist = z.looseObject({
  Id: z.number().int(),
  Number: z.string().min(1),
  Name: nullableString,
});
export type XapiReceptionist = z.infer<typeof xapiReceptionist>;

export const xapiRingGroup = z.looseObject({
  Id: z.number().int(),
  Number: z.string().min(1),
  Name: nullableString,
  Members: z.array(z.looseObject({ Number: z.string().min(1), Name: nullableString })).nullish(),
});
export type XapiRingGroup = z.infer<typeof xapiRingGroup>;

export const xapiActiveCall = z.looseObject({
  Id: z.number().int(),
  Caller: nullableString,
  Callee: nullableString,
  Status: nullableString,
  EstablishedAt: nullableString,
  LastChangeStatus: nullableString,
  ServerNow: nullableString,
});
export type XapiActiveCall = z.infer<typeof xapiActiveCall>;

const collection = z.looseObject({
  "@odata.count": z.number().int().nonnegative().nullish(),
  value: z.array(z.unknown()),
});

// ---------------------------------------------------------------- client

type Query = Record<string, string | number | boolean | undefined>;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** `Retry-After` as seconds or an HTTP date, in ms; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (value === null || value.trim() === "") return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

export class XapiClient {
  readonly baseUrl: string;
  private readonly o: Required<Omit<XapiClientOptions, "logger" | "fetch" | "now" | "baseUrl">>;
  private readonly log: XapiLogger | undefined;
  private readonly fetchFn: typeof fetch;
  private readonly now: () => number;
  private token: { value: string; renewAt: number } | undefined;
  private tokenInFlight: Promise<string> | undefined;
  /** Token requests made (for tests and diagnostics). */
  tokenRequests = 0;

  constructor(options: XapiClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, "").replace(/\/xapi\/v1$/i, "");
    this.o = {
      clientId: options.clientId,
      clientSecret: options.clientSecret,
      timeoutMs: options.timeoutMs ?? 10_000,
      retries: options.retries ?? 3,
      minBackoffMs: options.minBackoffMs ?? 500,
      maxBackoffMs: options.maxBackoffMs ?? 10_000,
      maxRetryAfterMs: options.maxRetryAfterMs ?? 60_000,
      pageSize: options.pageSize ?? 100,
    };
    this.log = options.logger;
    this.fetchFn = options.fetch ?? fetch;
    this.now = options.now ?? Date.now;
  }

  /** Forget the token (the next call asks for a new one). */
  invalidateToken(): void {
    this.token = undefined;
  }

  // ---- token

  private async accessToken(): Promise<string> {
    if (this.token && this.now() < this.token.renewAt) return this.token.value;
    this.tokenInFlight ??= this.requestToken().finally(() => {
      this.tokenInFlight = undefined;
    });
    return this.tokenInFlight;
  }

  private async requestToken(): Promise<string> {
    const body = new URLSearchParams({
      client_id: this.o.clientId,
      client_secret: this.o.clientSecret,
      grant_type: "client_credentials",
    });
    const json = await this.withRetries("/connect/token", async () => {
      this.tokenRequests++;
      const res = await this.send(`${this.baseUrl}/connect/token`, "/connect/token", {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
        body: body.toString(),
      });
      if (res.status === 400 || res.status === 401) {
        // OAuth answers invalid_client with 400 or 401: the id or the key is wrong.
        await res.body?.cancel();
        throw new AbortError(
          new XapiError(
            "unauthorized",
            `3CX refused the API client (HTTP ${res.status} from /connect/token): check THREECX_API_CLIENT_ID and THREECX_API_KEY (Admin console > Integrations > API)`,
            { status: res.status, path: "/connect/token" },
          ),
        );
      }
      return this.readJson(res, "/connect/token");
    });
    const parsed = tokenAnswer.safeParse(json);
    if (!parsed.success) {
      throw new XapiError("invalid_answer", "3CX's token answer has no access_token", { path: "/connect/token" });
    }
    const lifetimeMs = (parsed.data.expires_in ?? 60) * 1000;
    // Renew a quarter of the lifetime early (at most a minute), so a token never expires mid-sync.
    const margin = Math.min(60_000, lifetimeMs / 4);
    this.token = { value: parsed.data.access_token, renewAt: this.now() + lifetimeMs - margin };
    this.log?.debug({ expiresInSeconds: parsed.data.expires_in }, "3CX API token obtained");
    return parsed.data.access_token;
  }

  // ---- requests

  /** GET one XAPI resource (path below /xapi/v1, e.g. `/SystemStatus`), checked with `schema`. */
  async get<T extends z.ZodType>(path: string, schema: T, query: Query = {}): Promise<z.infer<T>> {
    const json = await this.getJson(path, query);
    return this.check(schema, json, path);
  }

  /** Every row of an XAPI collection, page by page. */
  async list<T extends z.ZodType>(path: string, itemSchema: T, query: Query = {}): Promise<z.infer<T>[]> {
    const top = this.o.pageSize;
    const rows: z.infer<T>[] = [];
    for (let skip = 0, page = 0; ; page++) {
      if (page > 10_000) throw new XapiError("invalid_answer", `3CX kept paging ${path} past 10 000 pages`, { path });
      const json = await this.getJson(path, { ...query, $top: top, $skip: skip, $count: true });
      const env = this.check(collection, json, path);
      for (const [i, item] of env.value.entries()) {
        const parsed = itemSchema.safeParse(item);
        if (!parsed.success) {
          throw new XapiError("invalid_answer", `3CX answered ${path} with an unexpected row ${skip + i}: ${summarise(parsed.error)}`, {
            path,
          });
        }
        rows.push(parsed.data);
      }
      skip += env.value.length;
      const count = env["@odata.count"];
      if (env.value.length < top || env.value.length === 0 || (count !== null && count !== undefined && skip >= count)) break;
    }
    return rows;
  }

  listUsers(): Promise<XapiUser[]> {
    return this.list("/Users", xapiUser, {
      $select: "Id,Number,FirstName,LastName,DisplayName,EmailAddress,IsRegistered,CurrentProfileName,QueueStatus,Enabled",
      $orderby: "Number",
    });
  }
  listQueues(): Promise<XapiQueue[]> {
    return this.list("/Queues", xapiQueue, { $expand: "Agents", $orderby: "Number" });
  }
  /** Digital receptionists (IVRs): 3CX's entity is `Receptionists`. */
  listReceptionists(): Promise<XapiReceptionist[]> {
    return this.list("/Receptionists", xapiReceptionist, { $select: "Id,Number,Name", $orderby: "Number" });
  }
  listRingGroups(): Promise<XapiRingGroup[]> {
    return this.list("/RingGroups", xapiRingGroup, { $expand: "Members", $orderby: "Number" });
  }
  listActiveCalls(): Promise<XapiActiveCall[]> {
    return this.list("/ActiveCalls", xapiActiveCall);
  }

  private check<T extends z.ZodType>(schema: T, json: unknown, path: string): z.infer<T> {
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      throw new XapiError("invalid_answer", `3CX answered ${path} with an unexpected shape: ${summarise(parsed.error)}`, { path });
    }
    return parsed.data;
  }

  private async getJson(path: string, query: Query): Promise<unknown> {
    const url = new URL(`${this.baseUrl}/xapi/v1${path}`);
    for (const [k, v] of Object.entries(query)) if (v !== undefined) url.searchParams.set(k, String(v));
    let renewed = false;
    return this.withRetries(path, async () => {
      for (;;) {
        // A token failure has had its own retries: do not multiply them here.
        const token = await this.accessToken().catch((e: unknown) => {
          throw new AbortError(e instanceof Error ? e : new Error(String(e)));
        });
        const res = await this.send(url.toString(), path, {
          method: "GET",
          headers: { authorization: `Bearer ${token}`, accept: "application/json" },
        });
        if (res.status === 401) {
          await res.body?.cancel();
          if (!renewed) {
            // The token may have been revoked or expired early: one fresh token, once.
            renewed = true;
            this.invalidateToken();
            continue;
          }
          throw new AbortError(
            new XapiError("unauthorized", `3CX answered 401 on ${path} even with a fresh token: the API client may be disabled or lack "3CX Configuration API access"`, {
              status: 401,
              path,
            }),
          );
        }
        return this.readJson(res, path);
      }
    });
  }

  /** One HTTP exchange with its own timeout; network trouble becomes an XapiError. */
  private async send(url: string, path: string, init: RequestInit): Promise<Response> {
    try {
      return await this.fetchFn(url, { ...init, signal: AbortSignal.timeout(this.o.timeoutMs) });
    } catch (e) {
      const err = e as Error;
      if (err.name === "TimeoutError" || err.name === "AbortError") {
        throw new XapiError("timeout", `3CX did not answer ${path} within ${this.o.timeoutMs} ms`, { path });
      }
      const cause = (err as { cause?: { code?: string; message?: string } }).cause;
      throw new XapiError("network", `3CX unreachable on ${path}: ${cause?.code ?? cause?.message ?? err.message}`, { path });
    }
  }

  /** Status handling shared by token and data requests; returns the parsed JSON body. */
  private async readJson(res: Response, path: string): Promise<unknown> {
    if (res.status === 403) {
      await res.body?.cancel();
      throw new AbortError(
        new XapiError(
          "forbidden",
          `3CX answered 403 on ${path}: most likely this server's IP address is not allowed in the 3CX console (Admin console > Integrations > API > the client > allowed IPs), or the client's role may not read this`,
          { status: 403, path },
        ),
      );
    }
    if (res.status === 429) {
      await res.body?.cancel();
      const retryAfterMs = parseRetryAfter(res.headers.get("retry-after"), this.now());
      const err = new XapiError("rate_limited", `3CX is rate limiting ${path} (429${retryAfterMs !== undefined ? `, retry after ${Math.ceil(retryAfterMs / 1000)} s` : ""})`, {
        status: 429,
        path,
        retryAfterMs,
      });
      if (retryAfterMs !== undefined && retryAfterMs > this.o.maxRetryAfterMs) throw new AbortError(err);
      throw err;
    }
    if (res.status >= 500) {
      await res.body?.cancel();
      throw new XapiError("server_error", `3CX answered ${res.status} on ${path}`, { status: res.status, path });
    }
    if (!res.ok) {
      await res.body?.cancel();
      throw new AbortError(new XapiError("http_error", `3CX answered ${res.status} on ${path}`, { status: res.status, path }));
    }
    let text: string;
    try {
      text = await res.text();
    } catch {
      throw new XapiError("network", `3CX's answer on ${path} broke off`, { path });
    }
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new AbortError(
        new XapiError("malformed_json", `3CX answered ${path} with malformed JSON (${text.length} bytes, content-type ${res.headers.get("content-type") ?? "none"})`, {
          status: res.status,
          path,
        }),
      );
    }
  }

  private withRetries<T>(path: string, attempt: () => Promise<T>): Promise<T> {
    return pRetry(attempt, {
      retries: this.o.retries,
      minTimeout: this.o.minBackoffMs,
      maxTimeout: this.o.maxBackoffMs,
      factor: 2,
      randomize: true,
      shouldRetry: ({ error }) => error instanceof XapiError && ["rate_limited", "server_error", "timeout", "network"].includes(error.reason),
      onFailedAttempt: async ({ error, attemptNumber, retriesLeft }) => {
        if (!(error instanceof XapiError)) return;
        this.log?.warn({ path, reason: error.reason, status: error.details.status, attemptNumber, retriesLeft }, "3CX API request failed");
        // Honour Retry-After: wait what the PBX asked, then the backoff runs as usual.
        if (error.reason === "rate_limited" && error.details.retryAfterMs !== undefined && retriesLeft > 0) {
          await sleep(error.details.retryAfterMs);
        }
      },
    }).catch((e: unknown) => {
      if (e instanceof XapiError) throw e;
      const err = e as Error;
      throw new XapiError("network", `3CX request on ${path} failed: ${err.message}`, { path });
    });
  }
}

function summarise(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`)
    .join("; ");
}

/** A client from the environment, or undefined when the API is not configured. */
export function xapiClientFromEnv(
  env: { THREECX_API_URL?: string; THREECX_API_CLIENT_ID?: string; THREECX_API_KEY?: string; THREECX_API_TIMEOUT_MS?: number },
  extra: Partial<XapiClientOptions> = {},
): XapiClient | undefined {
  if (!env.THREECX_API_URL || !env.THREECX_API_CLIENT_ID || !env.THREECX_API_KEY) return undefined;
  return new XapiClient({
    baseUrl: env.THREECX_API_URL,
    clientId: env.THREECX_API_CLIENT_ID,
    clientSecret: env.THREECX_API_KEY,
    timeoutMs: env.THREECX_API_TIMEOUT_MS,
    ...extra,
  });
}
