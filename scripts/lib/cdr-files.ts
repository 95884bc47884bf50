/**
 * The files a CDR backfill reads, and how it recognises them again.
 *
 * Inputs are files (3CX's single CDR log, any size) or folders (3CX's "one
 * file per call" mode): every regular file directly in a folder is taken,
 * sorted by name; names starting with "." are skipped; subfolders are not
 * entered. Each file gets an identity that survives restarts but tells a
 * different file at the same path apart: its real path plus a fingerprint
 * (length and SHA-256 prefix) of its first bytes, up to 4 KiB. A file that
 * grew (3CX appends to its log) keeps its first bytes, so it keeps its
 * identity and the import continues where it stopped.
 */
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

/** Bytes of a file's beginning its fingerprint covers (fewer when the file is shorter). */
export const FINGERPRINT_BYTES = 4096;

export interface InputFile {
  /** As the person named it (or folder + name), for messages. */
  display: string;
  /** Absolute path with symbolic links resolved: the identity's path part. */
  realPath: string;
  /** Size when listed; the import reads up to this size, later appends wait for the next run. */
  size: number;
  /** Last modification, ms since the epoch. */
  mtimeMs: number;
}

export interface Fingerprint {
  /** How many leading bytes were hashed (min(size, 4 KiB)). */
  length: number;
  /** First 16 hex digits of their SHA-256. */
  hash: string;
}

const describe = (e: unknown) => {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === "ENOENT" || code === "ENOTDIR") return "no such file or folder";
  if (code === "EACCES" || code === "EPERM") return "permission denied (not readable)";
  return (e as Error).message;
};

function readable(p: string): string | null {
  try {
    fs.accessSync(p, fs.constants.R_OK);
    return null;
  } catch (e) {
    return describe(e);
  }
}

function fileEntry(display: string, p: string, stat: fs.Stats): InputFile {
  return { display, realPath: fs.realpathSync(p), size: stat.size, mtimeMs: stat.mtimeMs };
}

/**
 * Expands the arguments into the files to import, in order, each once.
 * Returns every problem found (missing, unreadable, not a regular file,
 * empty folder) rather than stopping at the first.
 */
export function listInputFiles(args: string[]): { files: InputFile[]; errors: string[] } {
  const files: InputFile[] = [];
  const errors: string[] = [];
  const seen = new Set<string>();
  const add = (f: InputFile) => {
    if (seen.has(f.realPath)) return;
    seen.add(f.realPath);
    files.push(f);
  };
  for (const arg of args) {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(arg);
    } catch (e) {
      errors.push(`${arg}: ${describe(e)}`);
      continue;
    }
    if (stat.isFile()) {
      const problem = readable(arg);
      if (problem) errors.push(`${arg}: ${problem}`);
      else add(fileEntry(arg, arg, stat));
      continue;
    }
    if (!stat.isDirectory()) {
      errors.push(`${arg}: not a regular file or folder`);
      continue;
    }
    let names: string[];
    try {
      names = fs.readdirSync(arg);
    } catch (e) {
      errors.push(`${arg}: ${describe(e)}`);
      continue;
    }
    // Code-unit order: the same on every machine, whatever the locale.
    names.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    let taken = 0;
    const errorsBefore = errors.length;
    for (const name of names) {
      if (name.startsWith(".")) continue;
      const p = path.join(arg, name);
      let entry: fs.Stats;
      try {
        entry = fs.statSync(p);
      } catch (e) {
        errors.push(`${p}: ${describe(e)}`);
        continue;
      }
      if (!entry.isFile()) continue;
      const problem = readable(p);
      if (problem) {
        errors.push(`${p}: ${problem}`);
        continue;
      }
      add(fileEntry(p, p, entry));
      taken++;
    }
    if (taken === 0 && errors.length === errorsBefore) errors.push(`${arg}: the folder holds no files to import`);
  }
  return { files, errors };
}

/** Fingerprint of the first `length` bytes (default: up to 4 KiB of the file). */
export async function fingerprint(realPath: string, length: number): Promise<Fingerprint> {
  const handle = await fs.promises.open(realPath, "r");
  try {
    const buf = Buffer.alloc(length);
    let got = 0;
    while (got < length) {
      const { bytesRead } = await handle.read(buf, got, length - got, got);
      if (bytesRead === 0) break;
      got += bytesRead;
    }
    return { length: got, hash: createHash("sha256").update(buf.subarray(0, got)).digest("hex").slice(0, 16) };
  } finally {
    await handle.close();
  }
}

/** The identity stored in cdr_raw.import_file: `<real path>#<fingerprint length>:<hash>`. */
export const identityOf = (realPath: string, fp: Fingerprint) => `${realPath}#${fp.length}:${fp.hash}`;

const IDENTITY = /^(.*)#(\d+):([0-9a-f]{16})$/s;

/** An identity's parts, or null when the text is not one of ours. */
export function parseIdentity(identity: string): { realPath: string; fingerprint: Fingerprint } | null {
  const m = IDENTITY.exec(identity);
  return m ? { realPath: m[1]!, fingerprint: { length: Number(m[2]), hash: m[3]! } } : null;
}

/** SQL that turns cdr_raw.import_file into the path part of the identity (matches IDENTITY above). */
export const IDENTITY_PATH_SQL = (column: string) => `regexp_replace(${column}, '#[0-9]+:[0-9a-f]{16}$', '')`;
