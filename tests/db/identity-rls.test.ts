/**
 * Row-level security of the identity tables, in SQL, for every role and verb,
 * through the same settings the API uses (asUser switches the API login to
 * app_visitor with the person's claims). Allowed and denied both asserted.
 */
import type pg from "pg";
import { asUser, createTestDatabase, refusal, type TestDatabase } from "../helpers/db.js";
import { createCast, type Cast } from "../helpers/users.js";
import { numberOf } from "../helpers/query.js";
import type { Session } from "../../server/auth.js";

let db: TestDatabase;
let cast: Cast;
beforeAll(async () => {
  db = await createTestDatabase();
  cast = await createCast(db.owner);
});
afterAll(async () => db.drop());

type Who = keyof Cast;
const ROLES_IN_ORDER: Who[] = ["staff", "agentAA", "supervisorAA", "manager", "superadmin"];
const as = <T>(who: Who, fn: (c: pg.PoolClient) => Promise<T>) => asUser(db.authenticator, cast[who] as Session, fn);
/** Rows an UPDATE or DELETE touched: RLS hides rows instead of raising. */
const touched = async (c: pg.PoolClient, sql: string, params: unknown[] = []) => (await c.query(sql, params)).rowCount;

describe("reading", () => {
  const visibleUsers: Record<Who, number> = { staff: 1, agentAA: 1, agentWX: 1, supervisorAA: 2, supervisorWX: 2, manager: 7, superadmin: 7 };
  it.each(Object.entries(visibleUsers))("%s sees %i users, and as many user_roles", async (who, n) => {
    await as(who as Who, async (c) => {
      expect(await numberOf(c, "select count(*) from app_public.users")).toBe(n);
      expect(await numberOf(c, "select count(*) from app_public.user_roles")).toBe(n);
    });
  });

  const visibleStaffRows: Record<Who, number> = { staff: 1, agentAA: 1, agentWX: 1, supervisorAA: 2, supervisorWX: 2, manager: 5, superadmin: 5 };
  it.each(Object.entries(visibleStaffRows))("%s sees %i location_staff rows", async (who, n) => {
    await as(who as Who, async (c) => expect(await numberOf(c, "select count(*) from app_public.location_staff")).toBe(n));
  });

  it.each(ROLES_IN_ORDER)("%s sees the three locations and the five roles", async (who) => {
    await as(who, async (c) => {
      expect(await numberOf(c, "select count(*) from app_public.locations")).toBe(3);
      expect(await numberOf(c, "select count(*) from app_public.app_roles")).toBe(5);
    });
  });

  it.each(ROLES_IN_ORDER)("%s reads audit_logs only as superadmin", async (who) => {
    await db.owner.query("insert into app_public.audit_logs (action, table_name) values ('insert', 'probe')");
    await as(who, async (c) => expect(await numberOf(c, "select count(*) from app_public.audit_logs") > 0).toBe(who === "superadmin"));
  });

  it("nobody signed in sees nothing", async () => {
    const c = await db.authenticator.connect();
    try {
      await c.query("begin");
      await c.query("set local role app_visitor");
      expect(await numberOf(c, "select count(*) from app_public.users")).toBe(0);
      expect(await numberOf(c, "select count(*) from app_public.locations")).toBe(0);
    } finally {
      await c.query("rollback");
      c.release();
    }
  });

  it("the API login cannot become the worker or the owner", async () => {
    for (const role of ["app_worker", "app_owner", "app_analyst"]) {
      await expect(db.authenticator.query(`set role ${role}`)).rejects.toMatchObject({ code: "42501" });
    }
  });

  it("the API login on its own can read nothing", async () => {
    await expect(db.authenticator.query("select count(*) from app_public.users")).rejects.toMatchObject({ code: "42501" });
  });
});

describe("writing people and roles: superadmins only", () => {
  it.each(ROLES_IN_ORDER)("%s", async (who) => {
    const allowed = who === "superadmin";
    await as(who, async (c) => {
      expect(await refusal(c, "insert into app_public.users (email) values ('new@gangerdermatology.com')")).toBe(allowed ? null : "42501");
      expect(await touched(c, "update app_public.users set full_name = 'x' where id = $1", [cast.agentWX.userId])).toBe(allowed ? 1 : 0);
      expect(await touched(c, "update app_public.users set full_name = 'x' where id = $1", [cast[who].userId])).toBe(allowed ? 1 : 0);
      expect(await touched(c, "update app_public.user_roles set role = 'superadmin' where user_id = $1", [cast[who].userId])).toBe(allowed ? 1 : 0);
      expect(await touched(c, "delete from app_public.users where id = $1", [cast.agentWX.userId])).toBe(allowed ? 1 : 0);
    });
  });

  it("no one may change a user's id or email through the API (not granted)", async () => {
    await as("superadmin", async (c) => {
      expect(await refusal(c, "update app_public.users set email = 'x@gangerdermatology.com' where id = $1", [cast.agentAA.userId])).toBe("42501");
      expect(await refusal(c, "update app_public.users set id = gen_random_uuid() where id = $1", [cast.agentAA.userId])).toBe("42501");
    });
  });
});

describe("writing locations and location staff: managers and superadmins", () => {
  it.each(ROLES_IN_ORDER)("%s", async (who) => {
    const allowed = who === "manager" || who === "superadmin";
    await as(who, async (c) => {
      expect(await refusal(c, "insert into app_public.locations (name, code) values ('Novi', 'NV')")).toBe(allowed ? null : "42501");
      expect(await touched(c, "update app_public.locations set phone = '734-555-0100' where name = 'Wixom'")).toBe(allowed ? 1 : 0);
      expect(
        await refusal(c, "insert into app_public.location_staff (user_id, location_name) values ($1, 'Wixom')", [cast.agentAA.userId]),
      ).toBe(allowed ? null : "42501");
      expect(await touched(c, "update app_public.location_staff set is_active = false where user_id = $1", [cast.supervisorWX.userId])).toBe(
        allowed ? 1 : 0,
      );
    });
  });
});

describe("the audit log is append-only for every role the API uses", () => {
  it.each(ROLES_IN_ORDER)("%s can neither write nor change it", async (who) => {
    await db.owner.query("insert into app_public.audit_logs (action, table_name) values ('insert', 'probe')");
    await as(who, async (c) => {
      expect(await refusal(c, "insert into app_public.audit_logs (action) values ('insert')")).toBe("42501");
      expect(await refusal(c, "update app_public.audit_logs set action = 'delete'")).toBe("42501");
      expect(await refusal(c, "delete from app_public.audit_logs")).toBe("42501");
    });
  });
});

describe("every table", () => {
  it("in app_public has row-level security enabled and forced", async () => {
    const { rows } = await db.owner.query(`
      select c.relname, c.relrowsecurity, c.relforcerowsecurity
      from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'app_public' and c.relkind in ('r', 'p')
      order by 1`);
    expect(rows.length).toBeGreaterThan(0);
    const unprotected = rows.filter((r) => !r.relrowsecurity || !r.relforcerowsecurity).map((r) => r.relname);
    expect(unprotected).toEqual([]);
  });

  it("in app_private is out of reach of the API's roles", async () => {
    await as("superadmin", async (c) => {
      expect(await refusal(c, "select * from app_private.job_heartbeat")).toBe("42501");
    });
  });
});
