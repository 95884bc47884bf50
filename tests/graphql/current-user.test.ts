/** currentUser: every signed-in person, whatever their role, gets their own users row (and role), nobody else's. */
import { createTestDatabase, type TestDatabase } from "../helpers/db.js";
import { createCast, PERSONAS, type Cast } from "../helpers/users.js";
import { signToken, startTestServer, type TestServer } from "../helpers/server.js";

let db: TestDatabase;
let server: TestServer;
let cast: Cast;
beforeAll(async () => {
  db = await createTestDatabase();
  cast = await createCast(db.owner);
  server = await startTestServer(db.authenticatorUrl);
});
afterAll(async () => {
  await server.close();
  await db.drop();
});

it.each(PERSONAS)("%s sees themselves as currentUser", async (who) => {
  const { status, body } = await server.graphql(
    "{ currentUser { rowId email isActive userRoleByUserId { role } } }",
    await signToken({ email: cast[who].email }),
  );
  expect([status, body.errors]).toEqual([200, undefined]);
  const me = (body.data as { currentUser: { rowId: string; email: string; userRoleByUserId: { role: string } | null } }).currentUser;
  expect([me.rowId, me.email, me.userRoleByUserId?.role]).toEqual([cast[who].userId, cast[who].email, cast[who].role]);
});
