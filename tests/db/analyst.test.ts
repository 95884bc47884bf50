/** app_analyst reads the analytics schema and nothing else. */
import pg from "pg";
import { createTestDatabase, type TestDatabase } from "../helpers/db.js";

let db: TestDatabase;
let analyst: pg.Client;
beforeAll(async () => {
  db = await createTestDatabase();
  const root = new pg.Client({ connectionString: db.rootUrl });
  await root.connect();
  await root.query(`do $$ begin if not exists (select from pg_roles where rolname = 'test_analyst') then create role test_analyst login password 'analyst-pw'; end if; end $$`);
  await root.query(`grant app_analyst to test_analyst`);
  await root.end();
  const url = new URL(db.rootUrl);
  url.username = "test_analyst";
  url.password = "analyst-pw";
  analyst = new pg.Client({ connectionString: url.toString() });
  await analyst.connect();
});
afterAll(async () => {
  await analyst.end();
  await db.drop();
});

const code = async (sql: string) => {
  try {
    await analyst.query(sql);
    return null;
  } catch (e) {
    return (e as { code: string }).code;
  }
};

it("may use the analytics schema", async () => {
  expect((await analyst.query("select has_schema_privilege('analytics', 'usage') as ok")).rows[0].ok).toBe(true);
});

it.each([
  "select * from app_public.call_center_records",
  "select * from app_public.users",
  "select * from app_public.audit_logs",
  "select * from app_private.cdr_raw",
  "select * from app_private.job_heartbeat",
  "select app_hidden.has_permission('exportData')",
  "select * from graphile_worker.jobs",
])("is refused: %s", async (sql) => {
  expect(await code(sql)).toBe("42501");
});

it("cannot become the API's roles", async () => {
  expect(await code("set role app_visitor")).toBe("42501");
  expect(await code("set role app_worker")).toBe("42501");
});
