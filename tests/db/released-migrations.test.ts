/**
 * Released migrations are frozen (migrations/released.json): each keeps its
 * name and bytes, its --! Hash is graphile-migrate's own computation, and the
 * committed migrations form one unbroken --! Previous chain. Each way of
 * breaking that is shown to fail on a deliberately broken copy of the folder.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { calculateHash } from "graphile-migrate/dist/hash.js";
import { serializeMigration } from "graphile-migrate/dist/migration.js";
import { MIGRATIONS_DIR } from "../../db/paths.js";
import {
  checkMigrations,
  readCommitted,
  readReleased,
  release,
  releasedPath,
  type ReleasedMigration,
} from "../../db/released-migrations.js";

const released = readReleased(releasedPath(MIGRATIONS_DIR)).migrations;
const lastReleased = released[released.length - 1]!;

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "cc-released-"));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/**
 * A copy of the migrations folder to break: released.json and the released
 * migrations only, so the cases hold whatever unreleased work is committed.
 */
function copy(): { dir: string; committed: string } {
  const dir = fs.mkdtempSync(path.join(tmp, "migrations-"));
  fs.mkdirSync(path.join(dir, "committed"));
  for (const m of released) fs.copyFileSync(path.join(MIGRATIONS_DIR, "committed", m.file), path.join(dir, "committed", m.file));
  fs.copyFileSync(releasedPath(MIGRATIONS_DIR), releasedPath(dir));
  return { dir, committed: path.join(dir, "committed") };
}

/** Appends a migration committed the way graphile-migrate commits one, after the last in `committed`. */
function commitAfter(committed: string, body: string, previous?: string): string {
  const files = fs.readdirSync(committed).sort();
  const last = readCommitted(path.dirname(committed)).at(-1)!;
  const prev = previous ?? last.hash!;
  const number = String(Number(files.at(-1)!.slice(0, 6)) + 1).padStart(6, "0");
  const file = `${number}-test.sql`;
  const text = serializeMigration(body, { Previous: prev, Hash: calculateHash(body, prev), Message: "test" });
  fs.writeFileSync(path.join(committed, file), text);
  return file;
}

it("lists released migrations from the first, in order", () => {
  expect(released.length).toBeGreaterThanOrEqual(36);
  released.forEach((r, i) => expect(r.file.slice(0, 6)).toBe(String(i + 1).padStart(6, "0")));
});

it("the committed migrations keep every released one frozen, hashed as graphile-migrate hashes, in one chain", () => {
  expect(checkMigrations(MIGRATIONS_DIR, released)).toEqual([]);
  // graphile-migrate's hash agrees with every recorded header (not a vacuous comparison).
  for (const m of readCommitted(MIGRATIONS_DIR)) expect(m.computedHash).toBe(m.hash);
});

it("fails on a released migration with one byte of its body changed", () => {
  const { dir, committed } = copy();
  const file = path.join(committed, released[4]!.file);
  const bytes = fs.readFileSync(file);
  const at = bytes.length - 5; // inside the body, well past the header
  bytes[at] = bytes[at] === 0x41 ? 0x42 : 0x41;
  fs.writeFileSync(file, bytes);
  const problems = checkMigrations(dir, released);
  expect(problems).toContainEqual(expect.stringMatching(`released migration ${released[4]!.file} was edited`));
  expect(problems).toContainEqual(expect.stringMatching(`migration ${released[4]!.file} has --! Hash .* but graphile-migrate computes`));
});

it("fails on a released migration whose header alone changed (graphile-migrate's hash does not cover it)", () => {
  const { dir, committed } = copy();
  const file = path.join(committed, released[0]!.file);
  fs.writeFileSync(file, fs.readFileSync(file, "utf8").replace("--! Message: ", "--! Message: edited "));
  expect(checkMigrations(dir, released)).toEqual([`released migration ${released[0]!.file} was edited: its sha256 changed`]);
});

it("fails on a released migration edited and re-hashed as `gm uncommit` + `gm commit` would", () => {
  const { dir, committed } = copy();
  const file = path.join(committed, lastReleased.file);
  const m = readCommitted(dir).at(-1)!;
  fs.rmSync(file);
  const body = "select 1;\n";
  fs.writeFileSync(file, serializeMigration(body, { Previous: m.previous, Hash: calculateHash(body, m.previous!), Message: "folded" }));
  const problems = checkMigrations(dir, released);
  expect(problems).toContainEqual(`released migration ${lastReleased.file} was edited: its sha256 changed`);
  expect(problems).toContainEqual(expect.stringMatching(`released migration ${lastReleased.file} has --! Hash sha1:\\w+, released as ${lastReleased.hash}`));
  expect(problems.join("\n")).not.toMatch(/graphile-migrate computes|chain is broken/);
});

it("fails on a renamed released migration", () => {
  const { dir, committed } = copy();
  const name = released[9]!.file;
  fs.renameSync(path.join(committed, name), path.join(committed, name.replace(".sql", "-renamed.sql")));
  expect(checkMigrations(dir, released)).toEqual([`released migration ${name} is missing (renamed or removed)`]);
});

it("fails on a removed released migration", () => {
  const { dir, committed } = copy();
  const name = released[19]!.file;
  fs.rmSync(path.join(committed, name));
  const problems = checkMigrations(dir, released);
  expect(problems).toContainEqual(`released migration ${name} is missing (renamed or removed)`);
  expect(problems).toContainEqual(expect.stringMatching(`migration ${released[20]!.file} has --! Previous .*the chain is broken`));
});

it("accepts unreleased migrations after the released ones, and folding them (re-committing) is fine", () => {
  const { dir, committed } = copy();
  const file = commitAfter(committed, "select 1;\n");
  expect(checkMigrations(dir, released)).toEqual([]);
  fs.rmSync(path.join(committed, file));
  commitAfter(committed, "select 1;\nselect 2;\n");
  expect(checkMigrations(dir, released)).toEqual([]);
});

it("fails on an unreleased migration that breaks the chain or whose hash is not graphile-migrate's", () => {
  const { dir, committed } = copy();
  const file = commitAfter(committed, "select 1;\n", "sha1:" + "0".repeat(40));
  expect(checkMigrations(dir, released)).toEqual([
    `migration ${file} has --! Previous sha1:${"0".repeat(40)}, expected ${lastReleased.hash} (the chain is broken)`,
  ]);
  const { dir: dir2, committed: committed2 } = copy();
  const file2 = commitAfter(committed2, "select 1;\n");
  const full = path.join(committed2, file2);
  fs.writeFileSync(full, fs.readFileSync(full, "utf8").replace("select 1;", "select 2;"));
  expect(checkMigrations(dir2, released)).toEqual([expect.stringMatching(`migration ${file2} has --! Hash .* but graphile-migrate computes`)]);
});

it("npm run db:release's release() lists the unreleased migrations, and refuses on a broken folder", () => {
  const { dir, committed } = copy();
  const file = commitAfter(committed, "select 1;\n");
  const added = release(dir);
  expect(added.map((m: ReleasedMigration) => m.file)).toEqual([file]);
  const after = readReleased(releasedPath(dir)).migrations;
  expect(after.slice(0, released.length)).toEqual(released);
  expect(after.at(-1)).toEqual(expect.objectContaining({ file, hash: readCommitted(dir).at(-1)!.hash }));
  expect(release(dir)).toEqual([]);

  fs.rmSync(path.join(committed, released[2]!.file));
  const before = fs.readFileSync(releasedPath(dir), "utf8");
  expect(() => release(dir)).toThrow(`released migration ${released[2]!.file} is missing`);
  expect(fs.readFileSync(releasedPath(dir), "utf8")).toBe(before);
});
