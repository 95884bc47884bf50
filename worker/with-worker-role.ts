/**
 * Runs job SQL as the app_worker role, inside one transaction: forced row-level
 * security gives that role its own policies, so upkeep never sees too little
 * by accident, and no API user can become it. The transaction also receives
 * the patient-data keys (bound as parameters), so jobs write protected fields
 * through the same database functions as everyone else, the feature switches
 * (lib/feature-settings.ts), and the worker's
 * statement timeout (WORKER_STATEMENT_TIMEOUT_MS, longer than the longest
 * job), set in the transaction since a role's own setting does not survive
 * SET ROLE.
 */
import type { PoolClient } from "pg";
import type { JobHelpers } from "graphile-worker";
import { ROLES } from "../db/roles.js";
import { env } from "../lib/env.js";
import { phiKeys, phiPgSettings } from "../lib/phi-keys.js";
import { qaPgSettings } from "../lib/qa-settings.js";
import { featurePgSettings } from "../lib/feature-settings.js";
import { applySettings } from "../db/pg-settings.js";

let jobSettings: Record<string, string> | undefined;

/** What every job's transaction gets: the patient-data keys, the QA quota, the feature switches and the worker's statement timeout. */
export function workerJobSettings(): Record<string, string> {
  jobSettings ??= { ...phiPgSettings(phiKeys(env())), ...qaPgSettings(env()), ...featurePgSettings(env()), statement_timeout: String(env().WORKER_STATEMENT_TIMEOUT_MS) };
  return jobSettings;
}

export function withWorkerRole<T>(helpers: JobHelpers, fn: (client: PoolClient) => Promise<T>): Promise<T> {
  return helpers.withPgClient(async (client) => {
    await client.query("begin");
    try {
      await client.query(`set local role ${ROLES.worker}`);
      await applySettings(client, workerJobSettings());
      const result = await fn(client as PoolClient);
      await client.query("commit");
      return result;
    } catch (e) {
      await client.query("rollback");
      throw e;
    }
  });
}
