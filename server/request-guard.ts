/**
 * One user cannot hold the API's database pool (DATABASE_POOL_SIZE):
 * - at most MAX_CONCURRENT_REQUESTS_PER_USER GraphQL and REST requests of one
 *   user run at once; the next is answered 429 TOO_MANY_CONCURRENT_REQUESTS
 *   at once (other users are not affected);
 * - that user holds at most as many database connections at once: a GraphQL
 *   request runs its root fields in parallel, each on a connection of its
 *   own, so one request could otherwise take the whole pool; the user's
 *   further queries wait for one of the user's own connections;
 * - a request whose client goes away (a closed tab, an aborted fetch, a
 *   proxy's timeout) stops its database work: the connection it holds is
 *   closed, so it never returns to the pool, and its backend is cancelled
 *   (pg_cancel_backend, from a one-connection pool of its own, so a full pool
 *   cannot delay it). grafserv has no abort of its own: the request's
 *   response closing before it was finished is the signal.
 *
 * The statement timeout (API_STATEMENT_TIMEOUT_MS, in each transaction's
 * settings) bounds whatever runs anyway.
 */
import type { RequestHandler } from "express";
import pg from "pg";
import type { Logger } from "pino";
import { ApiError, sendError } from "./errors.js";

/** Who a request is for, and whether its client is still there. */
export interface GuardHandle {
  userId: string;
  signal: AbortSignal;
}

declare global {
  namespace Express {
    interface Request {
      guard?: GuardHandle;
    }
  }
}

/** PostGraphile's withPgClient, as far as the guard needs it. */
export type WithPgClient = (settings: unknown, callback: (client: unknown) => Promise<unknown>) => Promise<unknown>;

export interface RequestGuard {
  /** After sign-in: counts the user's running requests (429 past the limit) and gives req.guard. */
  middleware: RequestHandler;
  /** PostGraphile's withPgClient for one request, under the per-user connection limit and the cancellation. */
  wrapWithPgClient(withPgClient: WithPgClient, handle: GuardHandle): WithPgClient;
  /** A pooled client for a REST request, under the same rules. */
  withClient<T>(pool: pg.Pool, handle: GuardHandle, fn: (client: pg.PoolClient) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

const clientGone = () => new ApiError("CLIENT_GONE", "The client went away; the request was stopped.");

/** At most `max` holders per key; a released slot goes to the key's next waiter. */
class PerKeySlots {
  private readonly held = new Map<string, number>();
  private readonly waiting = new Map<string, Array<() => void>>();
  constructor(private readonly max: number) {}

  async acquire(key: string, signal: AbortSignal): Promise<() => void> {
    if (signal.aborted) throw clientGone();
    const held = this.held.get(key) ?? 0;
    if (held < this.max) {
      this.held.set(key, held + 1);
    } else {
      await new Promise<void>((resolve, reject) => {
        const queue = this.waiting.get(key) ?? [];
        this.waiting.set(key, queue);
        const onAbort = () => {
          const i = queue.indexOf(grant);
          if (i >= 0) queue.splice(i, 1);
          if (queue.length === 0 && this.waiting.get(key) === queue) this.waiting.delete(key);
          reject(clientGone());
        };
        const grant = () => {
          signal.removeEventListener("abort", onAbort);
          resolve();
        };
        queue.push(grant);
        signal.addEventListener("abort", onAbort, { once: true });
      });
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.release(key);
    };
  }

  private release(key: string) {
    const queue = this.waiting.get(key);
    const next = queue?.shift();
    if (queue?.length === 0) this.waiting.delete(key);
    if (next) return next(); // the slot passes on: the count stays
    const held = (this.held.get(key) ?? 1) - 1;
    if (held > 0) this.held.set(key, held);
    else this.held.delete(key);
  }
}

export function makeRequestGuard({ maxPerUser, cancelUrl, logger }: { maxPerUser: number; cancelUrl: string; logger: Logger }): RequestGuard {
  const running = new Map<string, number>();
  const slots = new PerKeySlots(maxPerUser);
  // Cancels go out on a connection of their own: the pool may be the very thing that is full.
  const control = new pg.Pool({ connectionString: cancelUrl, max: 1, connectionTimeoutMillis: 5000, idleTimeoutMillis: 10_000, application_name: "call-center-ops/cancel" });
  control.on("error", (err) => logger.warn({ err: { message: err.message } }, "cancel connection lost"));

  /** Stops what a client is running: it is closed (never back in the pool), and its backend cancelled. */
  function stop(client: pg.ClientBase) {
    const pid = (client as { processID?: number | null }).processID;
    (client as pg.Client).end().catch(() => undefined);
    if (pid) {
      control.query("select pg_cancel_backend($1)", [pid]).catch((e: Error) => {
        logger.warn({ err: { message: e.message }, pid }, "could not cancel the query of a request whose client went away");
      });
    }
  }

  /** Runs fn while client is held; if the request's client goes away meanwhile, the client is stopped. */
  async function whileHeld<T>(client: pg.ClientBase | undefined, signal: AbortSignal, fn: () => Promise<T>): Promise<T> {
    if (signal.aborted) throw clientGone();
    const onAbort = () => client && stop(client);
    signal.addEventListener("abort", onAbort, { once: true });
    try {
      return await fn();
    } finally {
      signal.removeEventListener("abort", onAbort);
    }
  }

  return {
    middleware(req, res, next) {
      const session = req.session;
      // Counted already (a REST path that extends another passes the guard of both): one request is one.
      if (req.method === "OPTIONS" || !session || req.guard) return next();
      const userId = session.userId;
      const now = running.get(userId) ?? 0;
      if (now >= maxPerUser) {
        res.setHeader("Retry-After", "1");
        req.log?.warn({ refusal: "TOO_MANY_CONCURRENT_REQUESTS", running: now }, "request refused: too many at once");
        return sendError(res, 429, "TOO_MANY_CONCURRENT_REQUESTS", `At most ${maxPerUser} requests at once per user; wait for one to finish.`);
      }
      running.set(userId, now + 1);
      const controller = new AbortController();
      let finished = false;
      res.once("close", () => {
        if (finished) return;
        finished = true;
        const left = (running.get(userId) ?? 1) - 1;
        if (left > 0) running.set(userId, left);
        else running.delete(userId);
        if (!res.writableFinished) controller.abort(clientGone());
      });
      req.guard = { userId, signal: controller.signal };
      next();
    },

    wrapWithPgClient(withPgClient, { userId, signal }) {
      return async (settings, callback) => {
        const release = await slots.acquire(userId, signal);
        try {
          return await withPgClient(settings, (client) =>
            whileHeld((client as { rawClient?: pg.ClientBase }).rawClient, signal, () => callback(client)),
          );
        } catch (e) {
          if (signal.aborted) throw clientGone();
          throw e;
        } finally {
          release();
        }
      };
    },

    async withClient(pool, { userId, signal }, fn) {
      const release = await slots.acquire(userId, signal);
      try {
        const client = await pool.connect();
        try {
          return await whileHeld(client, signal, () => fn(client));
        } finally {
          client.release();
        }
      } catch (e) {
        if (signal.aborted) throw clientGone();
        throw e;
      } finally {
        release();
      }
    },

    close: () => control.end(),
  };
}
