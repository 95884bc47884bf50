/**
 * Slow queries on demand, for the tests of timeouts, cancellation and the
 * pool: a test-only function created in one test file's own database before
 * its servers start (app_public.test_sleep, the query field testSleep), and
 * a view of the backends running it. No assertion about speed: polls are
 * generous, and a failure shows as a timeout.
 */
import type pg from "pg";
import type { TestServer } from "./server.js";

/** app_public.test_sleep(seconds) and app_public.test_setting(name), for app_visitor; before the servers start. */
export async function installSlowFunctions(owner: pg.Pool) {
  await owner.query(`
    create function app_public.test_sleep(seconds double precision) returns integer language plpgsql stable as $$
    begin perform pg_sleep(seconds); return 1; end $$;
    create function app_public.test_setting(name text) returns text language sql stable as $$ select current_setting(name) $$;
    grant execute on function app_public.test_sleep(double precision), app_public.test_setting(text) to app_visitor;
  `);
}

/** Polls until check() returns something other than undefined. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Backends of this database running test_sleep now (root: a superuser pool, which sees every query's text). */
export async function sleepingBackends(root: pg.Pool): Promise<number[]> {
  const { rows } = await root.query<{ pid: number }>(
    `select pid from pg_stat_activity where datname = current_database() and state = 'active' and query like '%test_sleep%' and pid <> pg_backend_pid()`,
  );
  return rows.map((r) => r.pid);
}

/** For waitFor: the pids once at least n backends run test_sleep. */
export const sleeping = (root: pg.Pool, n: number) => async () => {
  const pids = await sleepingBackends(root);
  return pids.length >= n ? pids : undefined;
};

/** A GraphQL request left running; abort() drops its connection the way a closed browser tab does. */
export function startRequest(s: TestServer, query: string, token: string) {
  const controller = new AbortController();
  const done = fetch(`${s.url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify({ query }),
    signal: controller.signal,
  }).then(
    async (res) => ({ status: res.status, body: (await res.json()) as unknown }),
    (e: Error) => ({ status: 0, body: e.name as unknown }),
  );
  return { done, abort: () => controller.abort() };
}
