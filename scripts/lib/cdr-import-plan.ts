/**
 * Where a CDR import starts in each file, from the database alone: the
 * chunks earlier runs committed carry their file's identity (path +
 * fingerprint, cdr-files.ts), offset and size, so a file continues at
 * max(import_offset + body_bytes) of the identity whose fingerprint still
 * matches its first bytes. No match: a new file (or a different file at the
 * same path), read from byte 0.
 */
import type pg from "pg";
import { FINGERPRINT_BYTES, fingerprint, identityOf, IDENTITY_PATH_SQL, parseIdentity, type Fingerprint, type InputFile } from "./cdr-files.js";

/** A file untouched for this long is at rest: a last line without a line end is imported. */
const AT_REST_MS = 10_000;

/** new: first import; resumed: continues an earlier run; complete: nothing new; empty: nothing to read; changed: shorter than what was imported (skipped). */
export type FileState = "new" | "resumed" | "complete" | "empty" | "changed";

export interface FilePlan {
  input: InputFile;
  /** cdr_raw.import_file of its chunks (null for an empty file). */
  identity: string | null;
  state: FileState;
  /** First byte to read, and the size read up to (later appends wait for the next run). */
  from: number;
  to: number;
  /** Where the file's stored chunks end; advanced as chunks commit. */
  storedTo: number;
  /** Import a last line that has no line end (the file is at rest). */
  includeTail: boolean;
}

interface KnownIdentity {
  identity: string;
  fingerprint: Fingerprint;
  nextOffset: number;
}

/** The identities already stored for these paths, with where their chunks end. One pass over cdr_raw. */
async function knownIdentities(db: pg.ClientBase, files: InputFile[]): Promise<Map<string, KnownIdentity[]>> {
  const { rows } = await db.query<{ identity: string; next_offset: string }>(
    `select r.import_file as identity, max(r.import_offset + r.body_bytes)::bigint as next_offset
       from app_private.cdr_raw r
       join (select distinct unnest($1::text[]) as path) p on p.path = ${IDENTITY_PATH_SQL("r.import_file")}
      where r.source = 'import' and r.import_file is not null
      group by r.import_file`,
    [files.map((f) => f.realPath)],
  );
  const known = new Map<string, KnownIdentity[]>();
  for (const r of rows) {
    const parsed = parseIdentity(r.identity);
    if (!parsed) continue;
    const list = known.get(parsed.realPath) ?? [];
    list.push({ identity: r.identity, fingerprint: parsed.fingerprint, nextOffset: Number(r.next_offset) });
    known.set(parsed.realPath, list);
  }
  return known;
}

export async function planFiles(db: pg.ClientBase, files: InputFile[]): Promise<FilePlan[]> {
  const known = await knownIdentities(db, files);
  const plans: FilePlan[] = [];
  for (const input of files) {
    const base = { input, to: input.size, includeTail: Date.now() - input.mtimeMs > AT_REST_MS };
    if (input.size === 0) {
      plans.push({ ...base, identity: null, state: "empty", from: 0, storedTo: 0 });
      continue;
    }
    // The longest fingerprint that still matches the file's beginning: the same file, perhaps grown.
    const candidates = (known.get(input.realPath) ?? []).sort((a, b) => b.fingerprint.length - a.fingerprint.length);
    let match: KnownIdentity | undefined;
    for (const c of candidates) {
      if (c.fingerprint.length <= input.size && (await fingerprint(input.realPath, c.fingerprint.length)).hash === c.fingerprint.hash) {
        match = c;
        break;
      }
    }
    if (!match) {
      const identity = identityOf(input.realPath, await fingerprint(input.realPath, Math.min(input.size, FINGERPRINT_BYTES)));
      plans.push({ ...base, identity, state: "new", from: 0, storedTo: 0 });
    } else {
      const state: FileState = match.nextOffset > input.size ? "changed" : match.nextOffset === input.size ? "complete" : "resumed";
      plans.push({ ...base, identity: match.identity, state, from: match.nextOffset, storedTo: match.nextOffset });
    }
  }
  return plans;
}
