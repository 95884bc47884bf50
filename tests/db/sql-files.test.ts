/**
 * Every function, view, policy set and grant set has exactly one source file
 * under migrations/fixtures/, and what the files say is what the migrations
 * built. Each way of breaking that is shown to fail on a broken copy of the
 * folder (or an object created without a file), naming the object and file.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type pg from "pg";
import { SQL_FIXTURES_DIR } from "../../db/paths.js";
import { checkSqlFiles, claims, readSqlFiles } from "../../db/sql-files.js";
import { createTestDatabase, type TestDatabase } from "../helpers/db.js";

let db: TestDatabase;
let client: pg.PoolClient;
let tmp: string;
beforeAll(async () => {
  db = await createTestDatabase();
  client = await db.owner.connect();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "cc-sql-files-"));
});
afterAll(async () => {
  client.release();
  await db.drop();
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** A copy of migrations/fixtures to break. */
function copy(): string {
  const dir = fs.mkdtempSync(path.join(tmp, "fixtures-"));
  fs.cpSync(SQL_FIXTURES_DIR, dir, { recursive: true });
  return dir;
}
function edit(dir: string, file: string, from: string | RegExp, to: string): void {
  const full = path.join(dir, file);
  const before = fs.readFileSync(full, "utf8");
  const after = before.replace(from, to);
  expect(after).not.toBe(before);
  fs.writeFileSync(full, after);
}
const messages = async (dir: string) => (await checkSqlFiles(client, dir)).map((p) => p.message);

it("the files and the migrated database agree", async () => {
  expect(await messages(SQL_FIXTURES_DIR)).toEqual([]);
});

it("every file holds something, and claims are read from statements, not comments", () => {
  const files = readSqlFiles(SQL_FIXTURES_DIR);
  const owned = new Set([...claims(files).values()].flat());
  expect(files.map((f) => f.file).filter((f) => !owned.has(f))).toEqual([]);
  expect([...claims([{ file: "x.sql", text: "-- create or replace function a.b()\nselect 'create or replace view a.c';" }]).keys()]).toEqual([]);
});

it("a function body edited in its file but not migrated is named with its file", async () => {
  const dir = copy();
  edit(dir, "kpi/service-level.sql", "app_hidden.pct(answered_within_sl + abandoned_within_sl,", "app_hidden.pct(answered_within_sl,");
  const found = await messages(dir);
  expect(found.length).toBeGreaterThan(0);
  expect(found).toEqual([
    "function app_hidden.service_level_pct (app_hidden.service_level_pct(text,bigint,bigint,bigint,bigint,bigint,bigint): definition) in kpi/service-level.sql differs from the migrated database; include the file in migrations/current.sql or bring the file back in line",
  ]);
});

it("a function whose file is gone is reported as having none", async () => {
  const dir = copy();
  fs.rmSync(path.join(dir, "journals/search.sql"));
  expect(await messages(dir)).toContain("function app_public.search_call_journals has no file under migrations/fixtures/");
});

it("a function written in two files is reported with both", async () => {
  const dir = copy();
  fs.copyFileSync(path.join(dir, "journals/search.sql"), path.join(dir, "journals/search-again.sql"));
  expect(await messages(dir)).toContain(
    "function app_public.search_call_journals is written in 2 files: journals/search-again.sql, journals/search.sql",
  );
});

it("a function created by a migration without a file is reported", async () => {
  await client.query("create function app_hidden.stray_helper() returns int language sql immutable as 'select 1'");
  try {
    expect(await messages(SQL_FIXTURES_DIR)).toContain("function app_hidden.stray_helper has no file under migrations/fixtures/");
  } finally {
    await client.query("drop function app_hidden.stray_helper()");
  }
});

it("a grant, a policy and a view comment that drifted are each named", async () => {
  const dir = copy();
  edit(dir, "access/call_journals.sql", /^grant update \(.*\n/m, "");
  edit(dir, "access/call_journals.sql", /'editCallJournals'/, "'viewAllCalls'");
  edit(dir, "kpi/service-level.sql", /^comment on function app_hidden\.service_level_pct\(.*\n/m, "");
  const found = await messages(dir);
  expect(found).toContain(
    "grants app_public.call_journals (grants) in access/call_journals.sql differs from the migrated database; include the file in migrations/current.sql or bring the file back in line",
  );
  expect(found.some((m) => m.startsWith("policies app_public.call_journals (policy write_edit_call_journals) in access/call_journals.sql"))).toBe(true);
  expect(found.some((m) => m.includes("app_hidden.service_level_pct(") && m.includes(": comment)"))).toBe(true);
});

it("a file that creates what no migration made, or that fails, is named", async () => {
  const dir = copy();
  fs.writeFileSync(path.join(dir, "kpi/new-figure.sql"), "create or replace function app_hidden.new_figure() returns int language sql immutable as 'select 2';\n");
  fs.writeFileSync(path.join(dir, "kpi/broken.sql"), "create or replace view app_public.queue_daily_kpis as select 1 as one;\n");
  const found = await messages(dir);
  expect(found).toContain("kpi/new-figure.sql creates function app_hidden.new_figure, which the migrations do not");
  expect(found.some((m) => m.startsWith("kpi/broken.sql fails against the migrated database:"))).toBe(true);
  expect(found).toContain("view app_public.queue_daily_kpis is written in 2 files: kpi/broken.sql, kpi/queue-kpis.sql");
});
