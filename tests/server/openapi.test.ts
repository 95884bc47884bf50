/**
 * GET /api/openapi.json: a valid OpenAPI 3.1 document of every REST path in
 * the table, generated from it and the GraphQL types, with typed answers (no
 * empty schemas) and the error envelope. The REST tests validate their real
 * answers against it (tests/helpers/rest.ts).
 */
import { Validator } from "@seriousme/openapi-schema-validator";
import { createTestDatabase, type TestDatabase } from "../helpers/db.js";
import { startTestServer, type TestServer } from "../helpers/server.js";
import { REST_ROUTES } from "../../server/rest/routes.js";

let db: TestDatabase;
let server: TestServer;
beforeAll(async () => {
  db = await createTestDatabase();
  server = await startTestServer(db.authenticatorUrl);
});
afterAll(async () => {
  await server.close();
  await db.drop();
});

const fetchDoc = async () => {
  const res = await fetch(`${server.url}/api/openapi.json`);
  expect(res.status).toBe(200);
  return (await res.json()) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
};

it("is a valid OpenAPI 3.1 document, without a token", async () => {
  const result = await new Validator().validate(await fetchDoc());
  expect(result).toEqual({ valid: true });
});

it("a deliberately broken copy fails the validator (the check can fail)", async () => {
  const doc = await fetchDoc();
  delete doc.info;
  expect((await new Validator().validate(doc)).valid).toBe(false);
});

/** Answers that are not records: exactly these fields. */
const SMALL_ANSWERS: Record<string, string[]> = {
  "POST /api/call-records/:id/recording-link": ["url", "expires_at", "call_id"],
};

it("lists every route of the table with typed parameters and answers", async () => {
  const doc = await fetchDoc();
  for (const route of REST_ROUTES) {
    const op = doc.paths[route.path.replace(/:(\w+)/g, "{$1}")]?.[route.method];
    expect(op).toBeDefined();
    const ok = op.responses[String(route.status ?? 200)].content["application/json"].schema;
    const item = "list" in route.answer || "items" in route.answer ? ok.properties.data.items : ok;
    // A record has many fields; the few small answers are listed with their exact fields.
    const small = SMALL_ANSWERS[`${route.method.toUpperCase()} ${route.path}`];
    if (small) expect(Object.keys(item.properties)).toEqual(small);
    else expect(Object.keys(item.properties).length).toBeGreaterThan("value" in route.answer ? 0 : 5);
    for (const [name, s] of Object.entries(item.properties as Record<string, Record<string, unknown>>)) {
      expect([name, Object.keys(s).length > 0]).toEqual([name, true]);
    }
    for (const p of op.parameters) expect([p.name, Object.keys(p.schema).length > 0]).toEqual([p.name, true]);
    expect(Object.keys(op.responses)).toEqual(expect.arrayContaining([String(route.status ?? 200), "400", "401", "403", "404", "409"]));
  }
  expect(doc.paths["/api/call-records/{id}"].get.parameters).toEqual([expect.objectContaining({ name: "id", in: "path", required: true })]);
  const recount = doc.paths["/api/processing/calculate-kpis"].post;
  expect(recount.requestBody.content["application/json"].schema.required).toEqual(["from", "to"]);
  expect(recount.responses["200"].content["application/json"].schema.properties.rows).toEqual({ type: ["integer", "null"] });
  // A route that creates answers 201; a value of a payload that is a list of objects is typed to its fields.
  const bulk = doc.paths["/api/journals/bulk-create"].post;
  expect(Object.keys(bulk.responses)).not.toContain("200");
  const journals = bulk.responses["201"].content["application/json"].schema.properties.journals;
  expect(journals.items.required).toEqual(expect.arrayContaining(["id", "journal_status", "review_score"]));
});
