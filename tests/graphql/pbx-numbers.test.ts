/**
 * The PBX directory through GraphQL: everyone signed in reads it (calls show
 * where they went); only configureMetrics (managers, administrators) enters
 * or classifies a number, with a clear error for a kind that does not exist.
 */
import { createTestDatabase, type TestDatabase } from "../helpers/db.js";
import { createCast } from "../helpers/users.js";
import { signToken, startTestServer, type TestServer } from "../helpers/server.js";

let db: TestDatabase;
let server: TestServer;

beforeAll(async () => {
  db = await createTestDatabase();
  await createCast(db.owner);
  await db.owner.query(`insert into app_public.pbx_numbers (number, kind, first_seen_at) values ('185', 'unknown', now())`);
  server = await startTestServer(db.authenticatorUrl);
});
afterAll(async () => {
  await server.close();
  await db.drop();
});

const as = async (email: string, query: string) => server.graphql(query, await signToken({ email }));
const create = (number: string, kind: string) =>
  `mutation { createPbxNumber(input: { pbxNumber: { number: "${number}", kind: "${kind}", name: "Main menu" } }) { pbxNumber { number kind name } } }`;
const classify = (number: string, kind: string) =>
  `mutation { updatePbxNumberByNumber(input: { number: "${number}", pbxNumberPatch: { kind: "${kind}" } }) { pbxNumber { number kind } } }`;

describe("the PBX directory (pbxNumbers)", () => {
  it("a manager enters an IVR and classifies a number first seen as unknown", async () => {
    const made = await as("manager@gangerdermatology.com", create("610", "ivr"));
    expect(made.body.errors).toBeUndefined();
    expect(made.body.data).toEqual({ createPbxNumber: { pbxNumber: { number: "610", kind: "ivr", name: "Main menu" } } });
    const set = await as("admin@gangerdermatology.com", classify("185", "ring_group"));
    expect(set.body.data).toEqual({ updatePbxNumberByNumber: { pbxNumber: { number: "185", kind: "ring_group" } } });
  });
  it("an agent or a supervisor reads it but cannot change it", async () => {
    const read = await as("agent.aa@gangerdermatology.com", "{ allPbxNumbers(orderBy: NUMBER_ASC) { nodes { number kind } } }");
    expect(read.body.data).toEqual({ allPbxNumbers: { nodes: [{ number: "185", kind: "ring_group" }, { number: "610", kind: "ivr" }] } });
    for (const email of ["agent.aa@gangerdermatology.com", "sup.aa@gangerdermatology.com"]) {
      const made = await as(email, create("611", "ivr"));
      expect(made.body.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
      const set = await as(email, classify("610", "other"));
      // Row-level security hides the row from the statement: nothing is changed, the payload is empty.
      expect((set.body.data?.updatePbxNumberByNumber as { pbxNumber: unknown } | null | undefined)?.pbxNumber ?? null).toBeNull();
    }
    expect((await db.owner.query(`select kind from app_public.pbx_numbers where number = '610'`)).rows[0].kind).toBe("ivr");
  });
  it("a kind that does not exist, or a number that is not a PBX number, is refused with a reason", async () => {
    const bad = await as("manager@gangerdermatology.com", create("612", "queue"));
    expect(bad.body.errors?.[0]?.extensions?.code).toBe("CHECK_VIOLATION");
    const badNumber = await as("manager@gangerdermatology.com", create("Ext.612", "ivr"));
    expect(badNumber.body.errors?.[0]?.extensions?.code).toBe("CHECK_VIOLATION");
  });
});
