/**
 * An outbound call's dialled number is the patient's phone number: it is
 * kept protected as the call's other party (caller_number_encrypted, _hash,
 * _masked) and shown in called_number only as its last four digits, never
 * in plain text; an inbound call's dialled number (the practice's) is kept
 * as it is. Through the ingest path and through GraphQL.
 */
import { createTestDatabase, type TestDatabase } from "../helpers/db.js";
import { createCast, type Cast } from "../helpers/users.js";
import { signToken, startTestServer, type TestServer } from "../helpers/server.js";
import { call, talk } from "../helpers/calls.js";
import { runJobs } from "../helpers/jobs.js";

let db: TestDatabase;
let server: TestServer;
let cast: Cast;
const PATIENT = "+17345550188";

beforeAll(async () => {
  db = await createTestDatabase();
  cast = await createCast(db.owner);
  await db.owner.query(`insert into app_public.queues (name, extension, location_name) values ('AA Front', '800', 'Ann Arbor')`);
  await db.owner.query(`insert into app_public.agents (extension, user_email, location_name) values ('101', $1, 'Ann Arbor')`, [cast.agentAA.email]);
  const outbound = {
    ...call("OUT1", "2026-03-10T15:00:00Z", "2026-03-10T15:02:00Z", {
      direction: "outbound", queue: null, called: PATIENT, caller: PATIENT,
      legs: [{ key: "l1", agent: "101", start: "2026-03-10T15:00:00Z", answered: "2026-03-10T15:00:10Z", end: "2026-03-10T15:02:00Z" }],
    }),
  };
  const inbound = talk("IN1", "101", "2026-03-10T14:00:00Z", "2026-03-10T14:00:05Z", "2026-03-10T14:01:05Z", { caller: "+17345550101", called: "800", queue: "800" });
  await db.owner.query("select app_private.ingest_calls($1::jsonb)", [JSON.stringify([outbound, inbound])]);
  await runJobs(db);
  server = await startTestServer(db.authenticatorUrl);
});
afterAll(async () => {
  await server.close();
  await db.drop();
});

it("an outbound call keeps the dialled number only masked; no column of the row holds it in plain text", async () => {
  const { rows } = await db.owner.query(`select called_number, caller_number_masked, caller_number_hash is not null as hashed, to_jsonb(c)::text as row
                                           from app_public.call_center_records c where call_id = 'OUT1'`);
  expect(rows[0]).toEqual(expect.objectContaining({ called_number: "•••-•••-0188", caller_number_masked: "•••-•••-0188", hashed: true }));
  expect(rows[0].row).not.toMatch(/7345550188|555-?0188/);
});

it("an inbound call keeps the practice's number it dialled", async () => {
  const { rows } = await db.owner.query(`select called_number from app_public.call_center_records where call_id = 'IN1'`);
  expect(rows[0].called_number).toBe("800");
});

it("GraphQL shows the masked number, and re-ingesting the call does not bring the plain one back", async () => {
  const again = call("OUT1", "2026-03-10T15:00:00Z", "2026-03-10T15:02:00Z", {
    direction: "outbound", queue: null, called: PATIENT, caller: PATIENT,
    legs: [{ key: "l1", agent: "101", start: "2026-03-10T15:00:00Z", answered: "2026-03-10T15:00:10Z", end: "2026-03-10T15:02:00Z" }],
  });
  await db.owner.query("select app_private.ingest_calls($1::jsonb)", [JSON.stringify([again])]);
  const { body } = await server.graphql(`{ allCallCenterRecords(condition: { callId: "OUT1" }) { nodes { calledNumber callDirection } } }`, await signToken({ email: cast.manager.email }));
  expect(body.data).toEqual({ allCallCenterRecords: { nodes: [{ calledNumber: "•••-•••-0188", callDirection: "outbound" }] } });
});
