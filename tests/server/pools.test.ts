/**
 * A check that shortens the statement timeout for itself (health, metrics
 * scrapes) leaves the pooled connection as it found it: the next request on
 * that connection keeps the API's own timeout.
 */
import { createTestDatabase, type TestDatabase } from "../helpers/db.js";
import { makeAuthenticatorPool, withShortTimeout } from "../../server/pools.js";
import { makeLogger } from "../../lib/logger.js";

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => db.drop());

it("withShortTimeout resets the timeout before the connection goes back to the pool", async () => {
  const pool = makeAuthenticatorPool(db.authenticatorUrl, 1, makeLogger("silent"), 15_000);
  try {
    const during = await withShortTimeout(pool, 3000, async (c) => (await c.query("show statement_timeout")).rows[0].statement_timeout);
    expect(during).toBe("3s");
    // One connection in the pool: the same session serves the next request.
    const after = (await pool.query("show statement_timeout")).rows[0].statement_timeout;
    expect(after).toBe("15s");
  } finally {
    await pool.end();
  }
});
