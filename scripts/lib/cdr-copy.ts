/**
 * Stores chunks of CDR files in app_private.cdr_raw with one COPY, in one
 * transaction that holds the patient-data key settings: the table's row
 * trigger encrypts each body (body → body_encrypted, body_hash, body_bytes)
 * and its statement trigger queues `cdr__process`, exactly as for a webhook
 * body. COPY's binary format carries the bytes as they are (no escaping).
 * A chunk may carry the zone its 3CX times are in (cdr:import --timezone).
 */
import { pipeline } from "node:stream/promises";
import { Readable } from "node:stream";
import type { ClientBase } from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { applySettings } from "../../db/pg-settings.js";

export interface StoredChunk {
  /** The file's identity (cdr_raw.import_file). */
  file: string;
  /** Byte offset of the chunk in the file (cdr_raw.import_offset). */
  offset: number;
  body: Buffer;
  /** Zone the chunk's 3CX times are in (cdr_raw.cdr_time_zone); absent: THREECX_CDR_TIMEZONE when read. */
  timeZone?: string;
}

const COPY_SQL = "copy app_private.cdr_raw (source, content_type, body, import_file, import_offset, cdr_time_zone) from stdin (format binary)";
// PGCOPY signature, flags (0), header extension length (0).
const HEADER = Buffer.concat([Buffer.from("PGCOPY\n\xff\r\n\0", "latin1"), Buffer.alloc(8)]);
const TRAILER = Buffer.from([0xff, 0xff]);
const SOURCE = Buffer.from("import");
const CONTENT_TYPE = Buffer.from("text/plain");

/** One row in COPY's binary format: field count, then each field's length and bytes (length -1: NULL). */
function encodeRow(chunk: StoredChunk): Buffer {
  const file = Buffer.from(chunk.file, "utf8");
  const fields = [SOURCE, CONTENT_TYPE, chunk.body, file];
  const zone = chunk.timeZone === undefined ? null : Buffer.from(chunk.timeZone, "utf8");
  const size = 2 + fields.reduce((n, f) => n + 4 + f.length, 0) + 4 + 8 + 4 + (zone?.length ?? 0);
  const row = Buffer.allocUnsafe(size);
  let at = row.writeInt16BE(6, 0);
  for (const f of fields) {
    at = row.writeInt32BE(f.length, at);
    at += f.copy(row, at);
  }
  at = row.writeInt32BE(8, at);
  at = row.writeBigInt64BE(BigInt(chunk.offset), at);
  at = row.writeInt32BE(zone ? zone.length : -1, at);
  if (zone) zone.copy(row, at);
  return row;
}

/** Stores the chunks in one transaction; returns the rows COPY reports. Rolls back on any error. */
export async function copyChunks(client: ClientBase, phiSettings: Record<string, string>, chunks: StoredChunk[]): Promise<number> {
  if (chunks.length === 0) return 0;
  await client.query("begin");
  try {
    await applySettings(client, phiSettings);
    const copy = client.query(copyFrom(COPY_SQL));
    await pipeline(Readable.from([HEADER, ...chunks.map(encodeRow), TRAILER]), copy);
    await client.query("commit");
    return copy.rowCount;
  } catch (e) {
    await client.query("rollback").catch(() => undefined);
    throw e;
  }
}
