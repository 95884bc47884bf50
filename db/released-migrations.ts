/**
 * Released migrations are frozen. migrations/released.json lists every
 * committed migration that has been released (file name, the sha1 that
 * graphile-migrate records in its `--! Hash` header, and a sha256 of the whole
 * file's bytes, so an edit to the body or to the header is caught).
 * `checkMigrations` says what is wrong with a migrations folder against that
 * list; `npm run db:release` (scripts/db-release.ts) adds the committed
 * migrations not yet listed.
 */
import { createHash } from "node:crypto";
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
// graphile-migrate's own hash and header parsing (not re-exported from its index).
import { calculateHash } from "graphile-migrate/dist/hash.js";
import { parseMigrationText } from "graphile-migrate/dist/migration.js";

export const releasedMigrationSchema = z.object({
  file: z.string().regex(/^\d{6}(-[-\w]+)?\.sql$/, "a committed migration's file name"),
  hash: z.string().regex(/^sha1:[0-9a-f]{40}$/, "graphile-migrate's --! Hash header"),
  sha256: z.string().regex(/^[0-9a-f]{64}$/, "sha256 of the file's bytes, hex"),
});
export type ReleasedMigration = z.infer<typeof releasedMigrationSchema>;

export const releasedFileSchema = z.object({
  about: z.string(),
  migrations: z.array(releasedMigrationSchema),
});
export type ReleasedFile = z.infer<typeof releasedFileSchema>;

export const RELEASED_ABOUT =
  "Released migrations are frozen: each listed file must keep its name and exact bytes. " +
  "Checked by tests/db/released-migrations.test.ts; extended by npm run db:release. See db/CONVENTIONS.md.";

/** What one committed migration file holds, as graphile-migrate reads it. */
export interface CommittedMigration {
  file: string;
  /** `--! Hash` header. */
  hash: string | undefined;
  /** `--! Previous` header; `-` for the first migration. */
  previous: string | undefined;
  /** graphile-migrate's computation of the hash from the body and the previous hash. */
  computedHash: string | undefined;
  sha256: string;
  /** Set when graphile-migrate cannot parse the file at all. */
  parseError?: string;
}

export const sha256 = (bytes: Buffer): string => createHash("sha256").update(bytes).digest("hex");

/** The committed migrations of `migrationsDir`, in graphile-migrate's order. */
export function readCommitted(migrationsDir: string): CommittedMigration[] {
  const dir = path.join(migrationsDir, "committed");
  return readdirSync(dir)
    .filter((f) => /^\d{6}(-[-\w]+)?\.sql$/.test(f))
    .sort((a, b) => a.localeCompare(b, "en"))
    .map((file) => {
      const bytes = readFileSync(path.join(dir, file));
      const base = { file, sha256: sha256(bytes) };
      try {
        const { headers, body } = parseMigrationText(file, bytes.toString("utf8"));
        const previous = headers.Previous ?? undefined;
        const hash = headers.Hash ?? undefined;
        const previousHash = previous && previous !== "-" ? previous : null;
        return { ...base, hash, previous, computedHash: calculateHash(body, previousHash) };
      } catch (e) {
        return { ...base, hash: undefined, previous: undefined, computedHash: undefined, parseError: String(e) };
      }
    });
}

export function readReleased(file: string): ReleasedFile {
  return releasedFileSchema.parse(JSON.parse(readFileSync(file, "utf8")));
}

/**
 * Every problem with `migrationsDir` against the released list, one sentence
 * each naming the file; empty when all is well. Checks that every released
 * migration is still there under the same name with the same bytes and hash;
 * that every committed migration's `--! Hash` is what graphile-migrate
 * computes from its body and previous hash; and that all of them, in
 * graphile-migrate's order, form one unbroken `--! Previous` chain (so nothing
 * can be slipped in between released migrations without changing their hashes).
 */
export function checkMigrations(migrationsDir: string, released: readonly ReleasedMigration[]): string[] {
  const problems: string[] = [];
  const committed = readCommitted(migrationsDir);
  const byName = new Map(committed.map((m) => [m.file, m]));

  for (const r of released) {
    const m = byName.get(r.file);
    if (!m) {
      problems.push(`released migration ${r.file} is missing (renamed or removed)`);
      continue;
    }
    if (m.sha256 !== r.sha256) problems.push(`released migration ${r.file} was edited: its sha256 changed`);
    if (m.hash !== r.hash) problems.push(`released migration ${r.file} has --! Hash ${m.hash}, released as ${r.hash}`);
  }

  let before: CommittedMigration | undefined;
  for (const m of committed) {
    if (m.parseError) {
      problems.push(`migration ${m.file} cannot be parsed: ${m.parseError}`);
    } else {
      if (m.hash !== m.computedHash) {
        problems.push(`migration ${m.file} has --! Hash ${m.hash} but graphile-migrate computes ${m.computedHash}`);
      }
      const expected = before ? before.hash : "-";
      if (m.previous !== expected) {
        problems.push(`migration ${m.file} has --! Previous ${m.previous}, expected ${expected} (the chain is broken)`);
      }
    }
    before = m;
  }
  return problems;
}

/** The committed migrations not yet in `released`, as entries to append. */
export function unreleased(migrationsDir: string, released: readonly ReleasedMigration[]): ReleasedMigration[] {
  const names = new Set(released.map((r) => r.file));
  return readCommitted(migrationsDir)
    .filter((m) => !names.has(m.file))
    .map((m) => ({ file: m.file, hash: m.hash ?? "", sha256: m.sha256 }));
}

export const releasedPath = (migrationsDir: string) => path.join(migrationsDir, "released.json");

/**
 * Marks every committed migration of `migrationsDir` as released: appends
 * those not yet in released.json (creating it if absent) and returns them.
 * Refuses, changing nothing, when the folder fails `checkMigrations`.
 */
export function release(migrationsDir: string): ReleasedMigration[] {
  const file = releasedPath(migrationsDir);
  let current: ReleasedFile;
  try {
    current = readReleased(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
    current = { about: RELEASED_ABOUT, migrations: [] };
  }
  const problems = checkMigrations(migrationsDir, current.migrations);
  if (problems.length) throw new Error(`Not releasing; fix these first:\n- ${problems.join("\n- ")}`);
  const added = unreleased(migrationsDir, current.migrations);
  const next: ReleasedFile = { about: RELEASED_ABOUT, migrations: [...current.migrations, ...added] };
  writeFileSync(file, `${JSON.stringify(next, null, 2)}\n`);
  return added;
}
