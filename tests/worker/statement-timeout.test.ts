/**
 * The worker's statement timeout (WORKER_STATEMENT_TIMEOUT_MS, default 30
 * minutes: above a full KPI recount) is set in every job's transaction, as
 * app_worker: a role's own setting would not survive SET ROLE, and the API's
 * short timeout must not reach jobs.
 */
import type { JobHelpers } from "graphile-worker";
import { withWorkerRole } from "../../worker/with-worker-role.js";
import { createTestDatabase, type TestDatabase } from "../helpers/db.js";

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => db.drop());

/** The part of graphile-worker's helpers withWorkerRole uses, on the owner's pool (as the worker connects). */
const helpers = {
  async withPgClient<T>(fn: (client: unknown) => Promise<T>): Promise<T> {
    const client = await db.owner.connect();
    try {
      return await fn(client);
    } finally {
      client.release();
    }
  },
} as unknown as JobHelpers;

it("runs every job's transaction as app_worker with WORKER_STATEMENT_TIMEOUT_MS", async () => {
  const seen = await withWorkerRole(helpers, async (client) => {
    const { rows } = await client.query<{ role: string; ms: number }>(
      "select current_user as role, (extract(epoch from current_setting('statement_timeout')::interval) * 1000)::int as ms",
    );
    return rows[0];
  });
  expect(seen).toEqual({ role: "app_worker", ms: 30 * 60_000 });
  // only for the job's transaction: the connection goes back to the pool as it was
  expect((await db.owner.query("select current_setting('statement_timeout') as t")).rows[0].t).toBe("0");
});
