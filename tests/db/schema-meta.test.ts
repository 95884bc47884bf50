/**
 * Rules every table of the API follows: documented (PostGraphile turns
 * comments into the API docs), timestamps kept by trigger, audited, and
 * secured (forced row-level security, owner and worker policies).
 */
import { createTestDatabase, type TestDatabase } from "../helpers/db.js";
import { rows } from "../helpers/query.js";

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => db.drop());

const q = (sql: string) => rows(db.owner, sql);

it("every app_public table and column has a comment", async () => {
  const missing = await q(`
    select c.relname || coalesce('.' || a.attname, '') as what
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
    left join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
    where n.nspname = 'app_public' and c.relkind in ('r', 'v', 'm')
      and (obj_description(c.oid, 'pg_class') is null or (a.attname is not null and col_description(c.oid, a.attnum) is null))
    order by 1`);
  expect(missing.map((r) => r.what)).toEqual([]);
});

it("every app_public table with updated_at keeps it by trigger", async () => {
  const missing = await q(`
    select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
    join pg_attribute a on a.attrelid = c.oid and a.attname = 'updated_at'
    where n.nspname = 'app_public' and c.relkind = 'r'
      and not exists (select 1 from pg_trigger t where t.tgrelid = c.oid and t.tgfoid = 'app_private.tg__timestamps'::regproc)
    order by 1`);
  expect(missing).toEqual([]);
});

it("every app_public table but the audit log itself is audited", async () => {
  const missing = await q(`
    select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = 'app_public' and c.relkind = 'r' and c.relname <> 'audit_logs'
      and not exists (select 1 from pg_trigger t where t.tgrelid = c.oid and t.tgfoid = 'app_private.tg__audit'::regproc)
    order by 1`);
  expect(missing).toEqual([]);
});

it("every app_public table has forced RLS with the owner and worker policies", async () => {
  const rows = await q(`
    select c.relname, c.relforcerowsecurity as forced,
           exists (select 1 from pg_policies p where p.schemaname = 'app_public' and p.tablename = c.relname and p.policyname = 'owner_all') as owner,
           exists (select 1 from pg_policies p where p.schemaname = 'app_public' and p.tablename = c.relname and p.policyname = 'worker_all') as worker
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = 'app_public' and c.relkind = 'r' order by 1`);
  expect(rows.filter((r) => !r.forced || !r.owner || !r.worker)).toEqual([]);
  expect(rows.length).toBeGreaterThanOrEqual(25);
});

const BARE_CALLS = `
  select tablename, policyname from pg_policies
  where schemaname = 'app_public'
    and regexp_replace(coalesce(qual, '') || ' ' || coalesce(with_check, ''), '\\(\\s*SELECT[^()]*\\((?:[^()]|\\([^()]*\\))*\\)[^()]*\\)', '', 'gi')
        ~ '(auth|app_hidden)\\.'
  order by 1, 2`;

it("policies evaluate who is asking once per statement, not once per row", async () => {
  // Every call to auth.* or the app_hidden helpers in a policy sits inside a (select ...).
  expect(await q(BARE_CALLS)).toEqual([]);
});

it("(and that check does catch a policy calling a helper per row)", async () => {
  const c = await db.owner.connect();
  try {
    await c.query("begin");
    await c.query("create policy per_row on app_public.queues for select to app_visitor using (app_hidden.is_role('manager'))");
    expect((await c.query(BARE_CALLS)).rows).toEqual([{ tablename: "queues", policyname: "per_row" }]);
  } finally {
    await c.query("rollback");
    c.release();
  }
});

it("people (app_visitor) may read every column of the calls and journals (protected ones read as empty), so a row can be returned whole", async () => {
  const unreadable = await q(`
    select c.relname || '.' || a.attname as col from pg_class c join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
    where c.oid in ('app_public.call_center_records'::regclass, 'app_public.call_journals'::regclass)
      and not has_column_privilege('app_visitor', c.oid, a.attname, 'SELECT')
    order by 1`);
  expect(unreadable).toEqual([]);
});
