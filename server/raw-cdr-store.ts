/**
 * Stores one authenticated CDR body untouched (encrypted at rest) in
 * app_private.cdr_raw, in one statement; shared by the webhook and the socket.
 */
import type { Pool } from "pg";
import { applySettings } from "../db/pg-settings.js";

export interface RawCdr {
  body: Buffer;
  contentType: string;
  source: "webhook" | "socket";
  remote: string | null;
}

export async function storeRawCdr(pool: Pool, phiSettings: Record<string, string>, raw: RawCdr): Promise<number> {
  const client = await pool.connect();
  try {
    await client.query("begin");
    await applySettings(client, phiSettings);
    const { rows } = await client.query<{ id: string }>("select app_hidden.store_cdr_raw($1, $2, $3, $4) as id", [
      raw.body,
      raw.contentType,
      raw.source,
      raw.remote,
    ]);
    await client.query("commit");
    return Number(rows[0]!.id);
  } catch (e) {
    await client.query("rollback").catch(() => undefined);
    throw e;
  } finally {
    client.release();
  }
}
