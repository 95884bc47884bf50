/**
 * The committed schema description (db/schema.sql from the catalog, and
 * db/schema.graphql from PostGraphile) matches what the migrations build.
 * When this fails after a schema change: run `npm run db:describe` and commit.
 */
import fs from "node:fs";
import path from "node:path";
import { PROJECT_ROOT } from "../../db/paths.js";
import { describeDatabase, describeGraphQL } from "../../db/describe.js";
import { makePreset } from "../../graphile.config.js";
import { testEnv } from "../helpers/server.js";
import { createTestDatabase, type TestDatabase } from "../helpers/db.js";

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => db.drop());

const committed = (file: string) => fs.readFileSync(path.join(PROJECT_ROOT, "db", file), "utf8");

it("db/schema.sql is current (run npm run db:describe)", async () => {
  const client = await db.owner.connect();
  try {
    expect(await describeDatabase(client)).toBe(committed("schema.sql"));
  } finally {
    client.release();
  }
});

it("db/schema.graphql is current (run npm run db:describe)", async () => {
  expect(await describeGraphQL(makePreset({ env: testEnv(), authenticatorPool: db.authenticator }))).toBe(committed("schema.graphql"));
});
