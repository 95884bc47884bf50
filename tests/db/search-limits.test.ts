/**
 * searchCallJournals cannot be made expensive by its input: the query is
 * bounded (characters and words, CC701/CC702), and the tsquery and the
 * blind-index hashes are computed once per search, not once per journal.
 */
import pg from "pg";
import { applySettings } from "../../db/pg-settings.js";
import { asUser, createTestDatabase, personSettings, type TestDatabase } from "../helpers/db.js";
import { createCast, type Cast } from "../helpers/users.js";
import { signToken, startTestServer, type TestServer } from "../helpers/server.js";
import { rows } from "../helpers/query.js";

const JOURNALS = 40;
const MAX_LENGTH = 300;
const MAX_WORDS = 20;

let db: TestDatabase;
let cast: Cast;
let server: TestServer;

beforeAll(async () => {
  db = await createTestDatabase();
  cast = await createCast(db.owner);
  // The owner pool's sessions carry the patient-data keys (tests/helpers/db.ts), so the journals' notes are encrypted and hashed.
  const { rows } = await db.owner.query<{ id: string }>(
    `insert into app_public.call_center_records (call_id, location, agent_email, call_direction, call_start_time, call_answer_time, call_end_time, call_status)
     select 'search-' || n, 'Ann Arbor', 'agent.aa@gangerdermatology.com', 'inbound', now() - interval '10 minutes', now() - interval '9 minutes', now(), 'completed'
       from generate_series(1, $1::int) n returning id`,
    [JOURNALS],
  );
  for (const [i, { id }] of rows.entries()) {
    await db.owner.query(
      `insert into app_public.call_journals (call_record_id, agent_email, call_summary, detailed_notes, call_tags)
       values ($1, 'agent.aa@gangerdermatology.com', $2, $3, array['dermatitis'])`,
      [id, `Question number ${i}`, i % 2 === 0 ? "patient asked about eczema cream" : "billing question"],
    );
  }
  server = await startTestServer(db.authenticatorUrl);
});
afterAll(async () => {
  await server.close();
  await db.drop();
});

const search = (query: string) =>
  asUser(db.authenticator, cast.manager, (c) => rows(c, "select id from app_public.search_call_journals($1)", [query]));

const sqlstate = (p: Promise<unknown>) => p.then(() => null, (e: { code?: string }) => e.code ?? "unknown");

describe("bounded input", () => {
  it("searches as before within the bounds", async () => {
    expect(await search("eczema")).toHaveLength(JOURNALS / 2);
    expect(await search("dermatitis")).toHaveLength(JOURNALS);
    expect(await search("   ")).toHaveLength(0);
    const longest = Array.from({ length: MAX_WORDS }, () => "eczema").join(" ");
    expect(await search(longest)).toHaveLength(JOURNALS / 2);
    expect(await search("e".repeat(MAX_LENGTH))).toHaveLength(0);
  });

  it("matches nothing by the blind index for a query without a word to hash (it matched every journal)", async () => {
    expect(await search("a")).toHaveLength(0);
    expect(await search("!!")).toHaveLength(0);
  });

  it(`refuses more than ${MAX_LENGTH} characters with CC701`, async () => {
    expect(await sqlstate(search("e".repeat(MAX_LENGTH + 1)))).toBe("CC701");
  });

  it(`refuses more than ${MAX_WORDS} words with CC702`, async () => {
    expect(await sqlstate(search(Array.from({ length: MAX_WORDS + 1 }, (_, i) => `w${i}`).join(" ")))).toBe("CC702");
    // words as the blind index splits them: punctuation separates words too
    expect(await sqlstate(search(Array.from({ length: MAX_WORDS + 1 }, (_, i) => `w${i}`).join(",")))).toBe("CC702");
  });

  it("gives the API's client the code and a message meant for people", async () => {
    const res = await server.graphql(`query($q: String!) { searchCallJournals(query: $q) { nodes { rowId } } }`,
      await signToken({ email: "manager@gangerdermatology.com" }), { q: "word ".repeat(MAX_WORDS + 5) });
    expect(res.body.errors?.[0]?.extensions?.code).toBe("CC702");
    expect(res.body.errors?.[0]?.message).toMatch(/at most 20 words/);
  });
});

describe("work done once per search", () => {
  it("hashes the words once per search, however many journals it looks at", async () => {
    // track_functions needs a superuser; the search itself runs as the manager, as the API does.
    const root = new pg.Client({ connectionString: db.rootUrl });
    await root.connect();
    try {
      await root.query("begin");
      await root.query("set local track_functions = 'all'");
      await applySettings(root, personSettings(cast.manager));
      const { rows } = await root.query("select count(*)::int as n from app_public.search_call_journals('eczema cream patient')");
      expect(rows[0].n).toBe(JOURNALS / 2);
      await root.query("reset role");
      const calls = await root.query<{ word_hashes: number | null }>(
        "select pg_stat_get_xact_function_calls('app_hidden.phi_word_hashes(text)'::regprocedure)::int as word_hashes",
      );
      // one list of hashes for the query, not one per journal (it was 41 for 40 journals)
      expect(calls.rows[0]).toEqual({ word_hashes: 1 });
    } finally {
      await root.query("rollback").catch(() => undefined);
      await root.end();
    }
  });
});
