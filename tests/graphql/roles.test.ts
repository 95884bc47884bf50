/**
 * The chain from token to row-level security, end to end: a person of each
 * of the five roles asks the real GraphQL endpoint for users and sees only
 * what their role allows.
 */
import { createTestDatabase, type TestDatabase } from "../helpers/db.js";
import { createCast, type Cast } from "../helpers/users.js";
import { signToken, startTestServer, type TestServer } from "../helpers/server.js";

let db: TestDatabase;
let server: TestServer;
let cast: Cast;
const everyone = [
  "admin@gangerdermatology.com",
  "agent.aa@gangerdermatology.com",
  "agent.wx@gangerdermatology.com",
  "manager@gangerdermatology.com",
  "staff@gangerdermatology.com",
  "sup.aa@gangerdermatology.com",
  "sup.wx@gangerdermatology.com",
];

beforeAll(async () => {
  db = await createTestDatabase();
  cast = await createCast(db.owner);
  server = await startTestServer(db.authenticatorUrl);
});
afterAll(async () => {
  await server.close();
  await db.drop();
});

async function emailsSeenBy(email: string): Promise<string[]> {
  const res = await server.graphql("{ allUsers(orderBy: EMAIL_ASC) { nodes { email } } }", await signToken({ email }));
  expect(res.status).toBe(200);
  expect(res.body.errors).toBeUndefined();
  return ((res.body.data!.allUsers as { nodes: Array<{ email: string }> }).nodes).map((n) => n.email);
}

describe("who sees which users through GraphQL", () => {
  it("staff: only themselves", async () => {
    expect(await emailsSeenBy("staff@gangerdermatology.com")).toEqual(["staff@gangerdermatology.com"]);
  });
  it("call_center_agent: only themselves", async () => {
    expect(await emailsSeenBy("agent.aa@gangerdermatology.com")).toEqual(["agent.aa@gangerdermatology.com"]);
  });
  it("supervisor: the people of the locations where they are active staff", async () => {
    expect(await emailsSeenBy("sup.aa@gangerdermatology.com")).toEqual(["agent.aa@gangerdermatology.com", "sup.aa@gangerdermatology.com"]);
    expect(await emailsSeenBy("sup.wx@gangerdermatology.com")).toEqual(["agent.wx@gangerdermatology.com", "sup.wx@gangerdermatology.com"]);
  });
  it("manager: everyone", async () => {
    expect(await emailsSeenBy("manager@gangerdermatology.com")).toEqual(everyone);
  });
  it("superadmin: everyone", async () => {
    expect(await emailsSeenBy("admin@gangerdermatology.com")).toEqual(everyone);
  });
  it("a supervisor who stops being active staff at a location stops seeing its people", async () => {
    await db.owner.query("update app_public.location_staff set is_active = false where user_id = $1", [cast.supervisorAA.userId]);
    try {
      expect(await emailsSeenBy("sup.aa@gangerdermatology.com")).toEqual(["sup.aa@gangerdermatology.com"]);
    } finally {
      await db.owner.query("update app_public.location_staff set is_active = true where user_id = $1", [cast.supervisorAA.userId]);
    }
  });
});

describe("changing people through GraphQL", () => {
  const deactivate = `mutation($id: UUID!) { updateUserByRowId(input: { rowId: $id, userPatch: { isActive: false } }) { user { email isActive } } }`;

  it("an agent cannot deactivate another user: nothing changes", async () => {
    const res = await server.graphql(deactivate, await signToken({ email: "agent.aa@gangerdermatology.com" }), { id: cast.agentWX.userId });
    expect((res.body.data?.updateUserByRowId as { user: unknown } | null)?.user ?? null).toBeNull();
    const { rows } = await db.owner.query("select is_active from app_public.users where id = $1", [cast.agentWX.userId]);
    expect(rows[0].is_active).toBe(true);
  });

  it("a manager cannot either (people are managed by superadmins): nothing changes", async () => {
    const res = await server.graphql(deactivate, await signToken({ email: "manager@gangerdermatology.com" }), { id: cast.agentWX.userId });
    expect((res.body.data?.updateUserByRowId as { user: unknown } | null)?.user ?? null).toBeNull();
    const { rows } = await db.owner.query("select is_active from app_public.users where id = $1", [cast.agentWX.userId]);
    expect(rows[0].is_active).toBe(true);
  });

  it("a superadmin can, and the change applies", async () => {
    const res = await server.graphql(deactivate, await signToken({ email: "admin@gangerdermatology.com" }), { id: cast.agentWX.userId });
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data?.updateUserByRowId).toEqual({ user: { email: "agent.wx@gangerdermatology.com", isActive: false } });
    // and the deactivated agent is now refused at sign-in
    const after = await server.graphql("{ __typename }", await signToken({ email: "agent.wx@gangerdermatology.com" }));
    expect(after.status).toBe(403);
    expect(after.body.error?.code).toBe("USER_INACTIVE");
  });

  it("a role change takes effect on the next request, with no new token", async () => {
    const token = await signToken({ email: "staff@gangerdermatology.com" });
    expect((await server.graphql("{ allUsers { totalCount } }", token)).body.data).toEqual({ allUsers: { totalCount: 1 } });
    await db.owner.query("update app_public.user_roles set role = 'manager' where user_id = $1", [cast.staff.userId]);
    expect((await server.graphql("{ allUsers { totalCount } }", token)).body.data).toEqual({ allUsers: { totalCount: 7 } });
  });
});
