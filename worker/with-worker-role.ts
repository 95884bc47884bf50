/**
 * Runs job SQL as the app_worker role, inside one transaction: forced row-level
 * security gives that role its own policies, so upkeep never sees too little
 * by accident, and no API user can become it.
 */
import type { PoolClient } from "pg";
import type { JobHelpers } from "graphile-worker";
import { ROLES } from "../db/roles.js";

export function withWorkerRole<T>(helpers: JobHelpers, fn: (client: PoolClient) => Promise<T>): Promise<T> {
  return helpers.withPgClient(async (client) => {
    await client.query("begin");
    try {
      await client.query(`set local role ${ROLES.worker}`);
      const result = await fn(client as PoolClient);
      await client.query("commit");
      return result;
    } catch (e) {
      await client.query("rollback");
      throw e;
    }
  });
}
