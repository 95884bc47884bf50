/**
 * Runs job SQL as the app_worker role, inside one transaction: forced row-level
 * security gives that role its own policies, so upkeep never sees too little
 * by accident, and no API user can become it. The transaction also receives
 * the patient-data keys (bound as parameters), so jobs write protected fields
 * through the same database functions as everyone else.
 */
import type { PoolClient } from "pg";
import type { JobHelpers } from "graphile-worker";
import { ROLES } from "../db/roles.js";
import { env } from "../lib/env.js";
import { phiKeys, phiPgSettings } from "../lib/phi-keys.js";
import { applySettings } from "../db/pg-settings.js";

let phiSettings: Record<string, string> | undefined;

export function withWorkerRole<T>(helpers: JobHelpers, fn: (client: PoolClient) => Promise<T>): Promise<T> {
  return helpers.withPgClient(async (client) => {
    await client.query("begin");
    try {
      await client.query(`set local role ${ROLES.worker}`);
      phiSettings ??= phiPgSettings(phiKeys(env()));
      await applySettings(client, phiSettings);
      const result = await fn(client as PoolClient);
      await client.query("commit");
      return result;
    } catch (e) {
      await client.query("rollback");
      throw e;
    }
  });
}
