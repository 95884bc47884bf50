/**
 * Constraint violations through GraphQL: the message names the field (as the
 * API spells it) and, where the rule says, the allowed values; the same in
 * development and production, and never the database's own text (which
 * names constraints and tables and may quote the row). Other database errors
 * stay masked in production.
 */
import { createTestDatabase, type TestDatabase } from "../helpers/db.js";
import { createCast } from "../helpers/users.js";
import { signToken, startTestServer, TEST_JWT_SECRET, type TestServer } from "../helpers/server.js";
import { describeConstraint } from "../../server/constraint-messages.js";

let db: TestDatabase;
let dev: TestServer;
let prod: TestServer;
let manager: string;

beforeAll(async () => {
  db = await createTestDatabase();
  await createCast(db.owner);
  await db.owner.query(`insert into app_public.queues (name, extension, location_name) values ('Main', '800', 'Wixom')`);
  await db.owner.query(`insert into app_public.queue_kpi_settings (queue_name) values ('Main') on conflict do nothing`);
  manager = await signToken({ email: "manager@gangerdermatology.com" });
  dev = await startTestServer(db.authenticatorUrl);
  prod = await startTestServer(db.authenticatorUrl, {
    env: { NODE_ENV: "production", DATABASE_URL: "postgres://unused@127.0.0.1/x", DATABASE_AUTHENTICATOR_PASSWORD: "x", JWT_SECRET: TEST_JWT_SECRET },
  });
});
afterAll(async () => {
  await Promise.all([dev.close(), prod.close()]);
  await db.drop();
});

const cases: Array<[string, string, string, string, string[]]> = [
  [
    "a kind outside the list",
    `mutation { createPbxNumber(input: { pbxNumber: { number: "612", kind: "queue" } }) { pbxNumber { number } } }`,
    "CHECK_VIOLATION",
    "kind must be one of ivr, ring_group, voicemail, other, unknown",
    ["kind"],
  ],
  [
    "a number not matching its pattern",
    `mutation { createPbxNumber(input: { pbxNumber: { number: "Ext.612", kind: "ivr" } }) { pbxNumber { number } } }`,
    "CHECK_VIOLATION",
    "number must match the pattern ^[0-9]{2,8}$",
    ["number"],
  ],
  [
    "a value outside its range (a two-word column, named as the API spells it)",
    `mutation { updateQueueKpiSettingByQueueName(input: { queueName: "Main", queueKpiSettingPatch: { slThresholdSeconds: 0 } }) { queueKpiSetting { queueName } } }`,
    "CHECK_VIOLATION",
    "slThresholdSeconds must be between 1 and 3600",
    ["slThresholdSeconds"],
  ],
  [
    "a blank name",
    `mutation { createLocation(input: { location: { name: "   ", code: "NV" } }) { location { name } } }`,
    "CHECK_VIOLATION",
    "name must not be blank and must be at most 100 characters long",
    ["name"],
  ],
  [
    "a name already taken",
    `mutation { createLocation(input: { location: { name: "Wixom", code: "WZ" } }) { location { name } } }`,
    "CONFLICT",
    "name must be unique: another row already has this value",
    ["name"],
  ],
  [
    "a required value set to null",
    `mutation { updateLocationByCode(input: { code: "WX", locationPatch: { name: null } }) { location { name } } }`,
    "NOT_NULL_VIOLATION",
    "name is required",
    ["name"],
  ],
  [
    "a reference to nothing",
    `mutation { createQueueKpiSetting(input: { queueKpiSetting: { queueName: "Nope" } }) { queueKpiSetting { queueName } } }`,
    "FOREIGN_KEY_VIOLATION",
    "queueName must refer to an existing row of queues",
    ["queueName"],
  ],
  [
    "deleting a row others still refer to",
    `mutation { deleteLocationByCode(input: { code: "WX" }) { location { name } } }`,
    "FOREIGN_KEY_VIOLATION",
    "this row is still referred to by",
    [],
  ],
];

describe.each([
  ["development", () => dev],
  ["production", () => prod],
])("in %s", (_mode, server) => {
  it.each(cases)("%s", async (_name, mutation, code, message) => {
    const res = await server().graphql(mutation, manager);
    const error = res.body.errors?.[0];
    expect(error?.extensions?.code).toBe(code);
    if (message.startsWith("this row")) expect(error?.message).toMatch(/^this row is still referred to by \w+/);
    else expect(error?.message).toBe(message);
    // Nothing of the database's own wording: constraint and table names, the failing row.
    expect(JSON.stringify(res.body)).not.toMatch(/violates|constraint|_check|_key\b|_fkey|app_public|Failing row|Key \(/);
  });

  it("gives the fields in extensions", async () => {
    for (const [, mutation, , , fields] of cases.filter((c) => c[4].length > 0)) {
      const res = await server().graphql(mutation, manager);
      expect((res.body.errors?.[0]?.extensions as { fields?: string[] } | undefined)?.fields).toEqual(fields);
    }
  });
});

describe("other database errors", () => {
  it("show the database's text in development and are masked in production", async () => {
    const mutation = `mutation { calculateKpis(input: { fromDay: "2026-01-10", toDay: "2026-01-01" }) { result } }`;
    const [d, p] = [await dev.graphql(mutation, manager), await prod.graphql(mutation, manager)];
    expect(d.body.errors?.[0]).toMatchObject({ message: expect.stringMatching(/from_day/), extensions: { code: "INVALID_INPUT" } });
    expect(p.body.errors?.[0]).toMatchObject({ message: "invalid input", extensions: { code: "INVALID_INPUT" } });
  });
});

describe("reading CHECK rules (pg_get_constraintdef's text)", () => {
  const check = (def: string, columns: string[]) => describeConstraint({ type: "c", definition: def, columns, referenced: null }, "23514", "")?.message;
  it.each([
    ["CHECK ((status = ANY (ARRAY['pending'::text, 'processed'::text])))", ["status"], "status must be one of pending, processed"],
    ["CHECK ((agent_extension ~ '^[0-9]{2,8}$'::text))", ["agent_extension"], "agentExtension must match the pattern ^[0-9]{2,8}$"],
    ["CHECK ((acw_seconds >= 0))", ["acw_seconds"], "acwSeconds must be at least 0"],
    ["CHECK ((line_number > 0))", ["line_number"], "lineNumber must be greater than 0"],
    ["CHECK (((quality_score >= (0)::numeric) AND (quality_score <= (100)::numeric)))", ["quality_score"], "qualityScore must be between 0 and 100"],
    ["CHECK ((hire_date > '1950-01-01'::date))", ["hire_date"], "hireDate must be greater than 1950-01-01"],
    ["CHECK ((length(shift_notes) <= 4000))", ["shift_notes"], "shiftNotes must be at most 4000 characters long"],
    ["CHECK (((length(agent_name) >= 1) AND (length(agent_name) <= 200)))", ["agent_name"], "agentName must be 1 to 200 characters long"],
    [
      "CHECK (((called_number_pattern IS NULL) OR (length(called_number_pattern) <= 200)))",
      ["called_number_pattern"],
      "calledNumberPattern must be at most 200 characters long",
    ],
    ["CHECK ((end_date >= start_date))", ["end_date", "start_date"], "endDate and startDate must satisfy: endDate >= startDate"],
    [
      "CHECK (((journal_status = 'draft'::text) OR (submitted_at IS NOT NULL)))",
      ["journal_status", "submitted_at"],
      "journalStatus and submittedAt must satisfy: journalStatus = 'draft' OR submittedAt IS NOT NULL",
    ],
    ["CHECK ((jsonb_typeof(settings) = 'object'::text))", ["settings"], "settings must satisfy: jsonb_typeof(settings) = 'object'"],
  ])("%s", (def, columns, message) => {
    expect(check(def, columns)).toBe(message);
  });
});
