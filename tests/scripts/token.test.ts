/**
 * `npm run token` as a real process against a test database: it keeps an
 * existing user's role unless --role is given, gives a new user the agent
 * role, and its tokens pass the server's sign-in (lifetime rules included).
 */
import { decodeJwt } from "jose";
import { spawnScript } from "../helpers/child-process.js";
import { createTestDatabase, type TestDatabase } from "../helpers/db.js";
import { createUser } from "../helpers/users.js";
import { startTestServer, TEST_JWT_SECRET, type TestServer } from "../helpers/server.js";
import { one } from "../helpers/query.js";

let db: TestDatabase;
let server: TestServer;

beforeAll(async () => {
  db = await createTestDatabase();
  await createUser(db.owner, { email: "boss@gangerdermatology.com", role: "manager", locations: ["Wixom"] });
  server = await startTestServer(db.authenticatorUrl);
});
afterAll(async () => {
  await server.close();
  await db.drop();
});

function token(args: string[], env: Record<string, string> = {}) {
  const child = spawnScript("scripts/token.ts", args, db, ["ignore", "pipe", "pipe"], { JWT_SECRET: TEST_JWT_SECRET, ...env });
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => child.once("close", (code) => resolve({ code, stdout, stderr })));
}

const roleOf = async (email: string) =>
  (await one<{ role: string } | undefined>(db.owner, "select r.role from app_public.users u join app_public.user_roles r on r.user_id = u.id where u.email = $1", [email]))?.role;

it("without --role keeps an existing manager a manager, and the token signs in as one", async () => {
  const run = await token(["--email", "boss@gangerdermatology.com"]);
  expect(run.stderr).not.toMatch(/error/i);
  expect(run.code).toBe(0);
  expect(run.stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
  expect(await roleOf("boss@gangerdermatology.com")).toBe("manager");
  // A manager sees every user; an agent would see only itself.
  const res = await server.graphql("{ allUsers { totalCount } }", run.stdout.trim());
  expect(res.status).toBe(200);
  expect(res.body.data).toEqual({ allUsers: { totalCount: 1 } });
  const claims = decodeJwt(run.stdout.trim());
  expect(claims.exp! - claims.iat!).toBe(12 * 3600);
});

it("with --role changes the role", async () => {
  const run = await token(["--email", "boss@gangerdermatology.com", "--role", "supervisor"]);
  expect(run.code).toBe(0);
  expect(await roleOf("boss@gangerdermatology.com")).toBe("supervisor");
});

it("without --role makes a new user an agent", async () => {
  const run = await token(["--email", "new.hire@gangerdermatology.com"]);
  expect(run.code).toBe(0);
  expect(await roleOf("new.hire@gangerdermatology.com")).toBe("call_center_agent");
  expect((await server.graphql("{ allUsers { nodes { email } } }", run.stdout.trim())).body.data).toEqual({
    allUsers: { nodes: [{ email: "new.hire@gangerdermatology.com" }] },
  });
});

it("refuses --hours beyond JWT_MAX_LIFETIME_SECONDS, naming it, and prints no token", async () => {
  const run = await token(["--email", "boss@gangerdermatology.com", "--hours", "13"]);
  expect(run.code).toBe(2);
  expect(run.stdout).toBe("");
  expect(run.stderr).toMatch(/JWT_MAX_LIFETIME_SECONDS/);
  const longer = await token(["--email", "boss@gangerdermatology.com", "--hours", "48"], { JWT_MAX_LIFETIME_SECONDS: String(48 * 3600) });
  expect(longer.code).toBe(0);
});
