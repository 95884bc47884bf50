/**
 * The current SQL of every stateless database object lives in exactly one
 * file under migrations/fixtures/ (functions with their comment and grants,
 * views with theirs, a table's policies and grants in access/<table>.sql);
 * migrations pull a file in with `--!include`. checkSqlFiles() proves the
 * files and a migrated database agree:
 *
 *  1. every function, view, policy set and grant set of our schemas is
 *     claimed by exactly one file (found by its `create or replace function`,
 *     `create or replace view`, `create policy ... on` or `revoke all on`);
 *  2. inside a transaction that is rolled back, it removes what the files
 *     are meant to recreate (policies, grants, comments), runs every file,
 *     and compares the catalog with what it was before: any difference is a
 *     file that drifted from the database (or a migration that forgot to
 *     include it), reported with the object and the file.
 *
 * The owner_all and worker_all policies come from app_private.secure_table(),
 * which every table's migration calls; they are not in access files.
 */
import fs from "node:fs";
import path from "node:path";
import type pg from "pg";

export const SQL_FILE_SCHEMAS = ["app_public", "app_hidden", "app_private", "analytics", "auth"];
const SECURE_TABLE_POLICIES = ["owner_all", "worker_all"];

type Q = Pick<pg.ClientBase, "query">;

export interface SqlFile {
  /** Path relative to the fixtures folder, e.g. `kpi/service-level.sql`. */
  file: string;
  text: string;
}

/** Every .sql file under dir, sorted by path. */
export function readSqlFiles(dir: string): SqlFile[] {
  const out: SqlFile[] = [];
  const walk = (sub: string) => {
    for (const entry of fs.readdirSync(path.join(dir, sub), { withFileTypes: true })) {
      const rel = path.posix.join(sub, entry.name);
      if (entry.isDirectory()) walk(rel);
      else if (entry.name.endsWith(".sql")) out.push({ file: rel, text: fs.readFileSync(path.join(dir, rel), "utf8") });
    }
  };
  walk("");
  return out.sort((a, b) => a.file.localeCompare(b.file));
}

/** Removes comments and the insides of quoted strings and dollar-quoted bodies, so claims are read from statements only. */
function statementsOnly(sql: string): string {
  return sql
    .replace(/\$([A-Za-z_]\w*)?\$[\s\S]*?\$\1\$/g, "$$$$")
    .replace(/--[^\n]*/g, "")
    .replace(/\/\*[\s\S]*?\*\//g, "")
    .replace(/'(?:[^']|'')*'/g, "''");
}

/** What each file claims: object keys of the form `function a.b`, `view a.b`, `policies a.b`, `grants a.b`. */
export function claims(files: SqlFile[]): Map<string, string[]> {
  const owners = new Map<string, string[]>();
  const claim = (key: string, file: string) => {
    const list = owners.get(key) ?? [];
    if (!list.includes(file)) list.push(file);
    owners.set(key, list);
  };
  for (const { file, text } of files) {
    const sql = statementsOnly(text).toLowerCase();
    for (const m of sql.matchAll(/create\s+or\s+replace\s+function\s+([\w.]+)\s*\(/g)) claim(`function ${m[1]}`, file);
    for (const m of sql.matchAll(/create\s+or\s+replace\s+view\s+([\w.]+)/g)) claim(`view ${m[1]}`, file);
    for (const m of sql.matchAll(/create\s+policy\s+\w+\s+on\s+([\w.]+)/g)) claim(`policies ${m[1]}`, file);
    for (const m of sql.matchAll(/revoke\s+all\s+on\s+(?:table\s+)?(?!function\b)([\w.]+)\s+from/g)) claim(`grants ${m[1]}`, file);
  }
  return owners;
}

interface Snapshot {
  /** object key (as in claims) -> aspect -> value */
  objects: Map<string, Map<string, string>>;
}

async function snapshot(db: Q, schemas: string[]): Promise<Snapshot> {
  const objects = new Map<string, Map<string, string>>();
  const put = (key: string, aspect: string, value: unknown) => {
    const m = objects.get(key) ?? new Map<string, string>();
    m.set(aspect, typeof value === "string" ? value : JSON.stringify(value));
    objects.set(key, m);
  };
  for (const f of (
    await db.query<{ name: string; sig: string; def: string; comment: string | null; acl: string[] }>(
      `select n.nspname || '.' || p.proname as name, p.oid::regprocedure::text as sig, pg_get_functiondef(p.oid) as def,
              obj_description(p.oid, 'pg_proc') as comment,
              array(select pg_get_userbyid(a.grantee) || ':' || a.privilege_type from aclexplode(p.proacl) a
                     where a.grantee <> p.proowner order by 1) as acl
         from pg_proc p join pg_namespace n on n.oid = p.pronamespace
        where n.nspname = any($1) and p.prokind in ('f', 'p')`,
      [schemas],
    )
  ).rows) {
    const key = `function ${f.name}`;
    put(key, `${f.sig}: definition`, f.def);
    put(key, `${f.sig}: comment`, f.comment);
    put(key, `${f.sig}: grants`, f.acl);
  }
  for (const v of (
    await db.query<{ name: string; def: string; options: string[] | null; comment: string | null; columns: unknown }>(
      `select n.nspname || '.' || c.relname as name, pg_get_viewdef(c.oid) as def, c.reloptions as options,
              obj_description(c.oid, 'pg_class') as comment,
              (select jsonb_object_agg(a.attname, col_description(c.oid, a.attnum)) from pg_attribute a
                where a.attrelid = c.oid and a.attnum > 0 and col_description(c.oid, a.attnum) is not null) as columns
         from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = any($1) and c.relkind = 'v'`,
      [schemas],
    )
  ).rows) {
    const key = `view ${v.name}`;
    put(key, "definition", v.def);
    put(key, "options", v.options);
    put(key, "comment", v.comment);
    put(key, "column comments", v.columns);
  }
  for (const p of (
    await db.query<{ tbl: string; name: string; permissive: string; cmd: string; roles: string[]; qual: string | null; check: string | null }>(
      `select schemaname || '.' || tablename as tbl, policyname as name, permissive, cmd, roles::text[] as roles, qual, with_check as check
         from pg_policies where schemaname = any($1) and policyname <> all($2)`,
      [schemas, SECURE_TABLE_POLICIES],
    )
  ).rows) {
    put(`policies ${p.tbl}`, `policy ${p.name}`, { permissive: p.permissive, cmd: p.cmd, roles: p.roles, using: p.qual, check: p.check });
  }
  for (const t of (
    await db.query<{ name: string; acl: string[] }>(
      `select n.nspname || '.' || c.relname as name,
              array(select pg_get_userbyid(a.grantee) || ':' || a.privilege_type from aclexplode(c.relacl) a where a.grantee <> c.relowner
                    union all
                    select pg_get_userbyid(a.grantee) || ':' || a.privilege_type || '(' || att.attname || ')'
                      from pg_attribute att, aclexplode(att.attacl) a
                     where att.attrelid = c.oid and att.attacl is not null and a.grantee <> c.relowner
                    order by 1) as acl
         from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = any($1) and c.relkind in ('r', 'p', 'v', 'm')`,
      [schemas],
    )
  ).rows) {
    if (t.acl.length) put(`grants ${t.name}`, "grants", t.acl);
  }
  return { objects };
}

/** Takes away what the files recreate: policies (but secure_table's), grants and comments of functions, views and tables. */
async function strip(db: Q, schemas: string[]): Promise<void> {
  await db.query(
    `do $$
     declare
       r record;
       grantees text := (select string_agg(quote_ident(rolname), ', ') from pg_roles where rolname like 'app\\_%' and rolname <> current_user);
     begin
       for r in select schemaname, tablename, policyname from pg_policies where schemaname = any($1) and policyname <> all($2) loop
         execute format('drop policy %I on %I.%I', r.policyname, r.schemaname, r.tablename);
       end loop;
       for r in select c.oid::regclass as rel, c.relkind from pg_class c join pg_namespace n on n.oid = c.relnamespace
                 where n.nspname = any($1) and c.relkind in ('r', 'p', 'v', 'm') loop
         execute format('revoke all on %s from public, %s', r.rel, grantees);
         if r.relkind = 'v' then
           execute format('comment on view %s is null', r.rel);
         end if;
       end loop;
       for r in select a.attrelid::regclass as rel, a.attname from pg_attribute a join pg_class c on c.oid = a.attrelid
                  join pg_namespace n on n.oid = c.relnamespace
                 where n.nspname = any($1) and c.relkind = 'v' and a.attnum > 0 loop
         execute format('comment on column %s.%I is null', r.rel, r.attname);
       end loop;
       for r in select p.oid::regprocedure as fn from pg_proc p join pg_namespace n on n.oid = p.pronamespace where n.nspname = any($1) loop
         execute format('revoke all on function %s from public, %s', r.fn, grantees);
         execute format('comment on function %s is null', r.fn);
       end loop;
     end
     $$`.replace(/\$1/g, `'{${schemas.join(",")}}'::text[]`).replace(/\$2/g, `'{${SECURE_TABLE_POLICIES.join(",")}}'::text[]`),
  );
}

export interface SqlFileProblem {
  object: string;
  files: string[];
  message: string;
}

/**
 * Compares the files in `dir` with the database `db` is connected to (as its
 * owner). Runs in a transaction that it rolls back; returns the problems,
 * none when files and database agree.
 */
export async function checkSqlFiles(db: Q, dir: string, schemas = SQL_FILE_SCHEMAS): Promise<SqlFileProblem[]> {
  const files = readSqlFiles(dir);
  const owners = claims(files);
  const problems: SqlFileProblem[] = [];
  await db.query("begin");
  try {
    const before = await snapshot(db, schemas);
    for (const [key, list] of owners) {
      if (list.length > 1) problems.push({ object: key, files: list, message: `${key} is written in ${list.length} files: ${list.join(", ")}` });
    }
    for (const key of before.objects.keys()) {
      if (!owners.has(key)) problems.push({ object: key, files: [], message: `${key} has no file under migrations/fixtures/` });
    }
    await strip(db, schemas);
    for (const { file, text } of files) {
      await db.query("savepoint sql_file");
      try {
        await db.query(text);
        await db.query("release savepoint sql_file");
      } catch (e) {
        await db.query("rollback to savepoint sql_file");
        problems.push({ object: file, files: [file], message: `${file} fails against the migrated database: ${(e as Error).message}` });
      }
    }
    const after = await snapshot(db, schemas);
    for (const key of new Set([...before.objects.keys(), ...after.objects.keys()])) {
      const was = before.objects.get(key);
      const now = after.objects.get(key);
      const fileList = owners.get(key) ?? [];
      const where = fileList.join(", ") || "no file";
      if (!was) {
        problems.push({ object: key, files: fileList, message: `${where} creates ${key}, which the migrations do not` });
        continue;
      }
      for (const aspect of new Set([...was.keys(), ...(now?.keys() ?? [])])) {
        const a = was.get(aspect);
        const b = now?.get(aspect);
        if (a !== b && fileList.length) {
          problems.push({
            object: key,
            files: fileList,
            message: `${key} (${aspect}) in ${where} differs from the migrated database; include the file in migrations/current.sql or bring the file back in line`,
          });
        }
      }
    }
  } finally {
    await db.query("rollback");
  }
  return problems;
}
