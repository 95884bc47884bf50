/**
 * Re-encrypts every protected value under the current key
 * (PHI_ENCRYPTION_KEY_ID), in batches, as the worker role (no row-by-row
 * audit; one summary row at the end). Resumable by nature: each batch takes
 * values not yet on the current key, so a run stopped halfway continues where
 * it stopped. Old and new keys must both be configured while it runs.
 */
import type pg from "pg";
import { phiPgSettings, type PhiKeys } from "../lib/phi-keys.js";
import { applySettings } from "./pg-settings.js";
import { ROLES } from "./roles.js";

export interface EncryptedColumn {
  table: string; // schema-qualified
  column: string; // the ciphertext column
  key: string; // primary key column
}

export interface RotationProgress {
  column: EncryptedColumn;
  done: number;
  remaining: number;
}

/** The ciphertext columns, from app_private.protected_columns (<column>_encrypted). */
export async function encryptedColumns(client: pg.ClientBase): Promise<EncryptedColumn[]> {
  const { rows } = await client.query<{ table_name: string; column_name: string; key: string }>(
    `select p.table_name, p.column_name || '_encrypted' as column_name,
            (select a.attname from pg_index i join pg_attribute a on a.attrelid = i.indrelid and a.attnum = i.indkey[0]
              where i.indrelid = p.table_name::regclass and i.indisprimary) as key
       from app_private.protected_columns p order by 1, 2`,
  );
  return rows.map((r) => ({ table: r.table_name, column: r.column_name, key: r.key }));
}

async function inWorkerTransaction<T>(client: pg.ClientBase, keys: PhiKeys, fn: () => Promise<T>): Promise<T> {
  await client.query("begin");
  try {
    await client.query(`set local role ${ROLES.worker}`);
    await applySettings(client, phiPgSettings(keys));
    const result = await fn();
    await client.query("commit");
    return result;
  } catch (e) {
    await client.query("rollback");
    throw e;
  }
}

export async function rotateProtectedValues(
  client: pg.ClientBase,
  keys: PhiKeys,
  options: { batchSize?: number; onProgress?: (p: RotationProgress) => void; maxBatches?: number } = {},
): Promise<{ reencrypted: number }> {
  const batchSize = options.batchSize ?? 500;
  let reencrypted = 0;
  let batches = 0;
  const columns = await encryptedColumns(client);
  for (const col of columns) {
    const stale = `${col.column} is not null and app_hidden.phi_key_id_of(${col.column}) <> $1`;
    for (;;) {
      if (options.maxBatches !== undefined && batches >= options.maxBatches) return { reencrypted };
      const changed = await inWorkerTransaction(client, keys, async () => {
        const { rowCount } = await client.query(
          `update ${col.table} set ${col.column} = app_hidden.phi_reencrypt(${col.column})
            where ${col.key} in (select ${col.key} from ${col.table} where ${stale} limit ${batchSize} for update skip locked)`,
          [keys.currentKeyId],
        );
        return rowCount ?? 0;
      });
      batches++;
      reencrypted += changed;
      const remaining = Number(
        (await client.query(`select count(*) from ${col.table} where ${stale}`, [keys.currentKeyId])).rows[0].count,
      );
      options.onProgress?.({ column: col, done: changed, remaining });
      if (changed === 0 || remaining === 0) break;
    }
  }
  await inWorkerTransaction(client, keys, () =>
    client.query("select app_private.audit_job_run('phi__rotate', jsonb_build_object('reencrypted', $1::int, 'key_id', $2::text))", [
      reencrypted,
      keys.currentKeyId,
    ]),
  );
  return { reencrypted };
}
