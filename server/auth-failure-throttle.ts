/**
 * Slows down guessing of a shared secret: counts failed authentications per
 * source address in a fixed window; once an address has failed `limit` times,
 * every request from it is refused (429, Retry-After) until its window ends,
 * before its credentials are even looked at, so guessing gains nothing.
 * Successes are not counted, so a busy sender with the right secret is never
 * slowed, and other addresses are unaffected.
 *
 * In memory, per process: several server processes each count on their own
 * (an attacker gets `limit` tries per process and window). Addresses are keyed
 * as express-rate-limit keys them (an IPv6 address by its /56 network). Behind
 * a reverse proxy, set TRUST_PROXY, or every sender shares the proxy's address.
 */
import { ipKeyGenerator } from "express-rate-limit";

/** Addresses remembered at most; beyond it, the oldest windows are forgotten first. */
const MAX_ADDRESSES = 100_000;

interface Window {
  failures: number;
  endsAt: number;
}

export class AuthFailureThrottle {
  private readonly windows = new Map<string, Window>();

  constructor(
    readonly limit: number,
    readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  private key(address: string | undefined): string {
    return ipKeyGenerator(address ?? "unknown");
  }

  /** Seconds until the address may try again, or 0 when it may now. */
  retryAfter(address: string | undefined): number {
    const w = this.windows.get(this.key(address));
    if (!w) return 0;
    const left = w.endsAt - this.now();
    if (left <= 0) {
      this.windows.delete(this.key(address));
      return 0;
    }
    return w.failures >= this.limit ? Math.ceil(left / 1000) : 0;
  }

  /** Counts a failed authentication; returns the failures of the address in its window. */
  fail(address: string | undefined): number {
    const key = this.key(address);
    const now = this.now();
    let w = this.windows.get(key);
    if (!w || w.endsAt <= now) {
      this.windows.delete(key);
      if (this.windows.size >= MAX_ADDRESSES) this.prune(now);
      w = { failures: 0, endsAt: now + this.windowMs };
      this.windows.set(key, w);
    }
    w.failures++;
    return w.failures;
  }

  /** Forgets ended windows; if still full, the oldest (Map order is insertion order). */
  private prune(now: number) {
    for (const [k, w] of this.windows) if (w.endsAt <= now) this.windows.delete(k);
    for (const k of this.windows.keys()) {
      if (this.windows.size < MAX_ADDRESSES) break;
      this.windows.delete(k);
    }
  }
}
