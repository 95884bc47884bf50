/**
 * Patient data: ciphertext at rest everywhere, masked values for every role,
 * reveals allowed and refused per role and audited, rotation with old and new
 * keys live together, clear failures for missing or wrong keys, repeat callers
 * through the keyed hash, blind-index search, no plaintext in logs, and
 * analytics views without patient identifiers.
 */
import { Writable } from "node:stream";
import pg from "pg";
import { createTestDatabase, inTransaction, testPhiSettings, type TestDatabase } from "../helpers/db.js";
import { createCast } from "../helpers/users.js";
import { signToken, startTestServer, testEnv, type TestServer } from "../helpers/server.js";
import { makeLogger } from "../../lib/logger.js";
import { phiKeys, type PhiKeys } from "../../lib/phi-keys.js";
import { rotateProtectedValues } from "../../db/phi-rotation.js";
import { applySettings } from "../../db/pg-settings.js";
import { one } from "../helpers/query.js";

const CALLER_NAME = "Jane Quimby";
const CALLER_NUMBER = "(734) 555-0123";
const MRN = "MRN0047711";
const RECORDING = "https://recordings.example/2026/11/02/c-aa.wav";
const NOTE = "Patient reports eczema flare after new soap; wants Dr Okafor";
const RAW_LINE = `Call 00000042,c-aa,00:04:10,2026/11/02 14:00:00,2026/11/02 14:00:20,2026/11/02 14:04:30,TerminatedBySrc,17345550123,8001,Ext.101,,,,,,,,,,,,,,,,${CALLER_NAME},,`;
const SECRETS = [CALLER_NAME, "Quimby", "555-0123", "7345550123", MRN, RECORDING, "eczema", "Okafor"];

let db: TestDatabase;
let server: TestServer;
const logLines: string[] = [];
const ids: Record<string, string> = {};

const ownerWithKeys = <T>(fn: (c: pg.PoolClient) => Promise<T>, settings = testPhiSettings()): Promise<T> =>
  inTransaction(db.owner, settings, fn, { commit: true });

beforeAll(async () => {
  db = await createTestDatabase();
  await createCast(db.owner);
  const sink = new Writable({ write(chunk, _e, cb) { logLines.push(chunk.toString()); cb(); } });
  server = await startTestServer(db.authenticatorUrl, { logger: makeLogger("trace", sink) });
  await ownerWithKeys(async (c) => {
    const call = async (callId: string, loc: string, agent: string, number: string) =>
      (await c.query(
        `insert into app_public.call_center_records (call_id, location, agent_email, call_direction, call_start_time, call_answer_time, call_end_time, call_status,
           caller_number, caller_name, patient_mrn, recording_url, compliance_notes)
         values ($1, $2, $3, 'inbound', now() - interval '10 minutes', now() - interval '9 minutes', now(), 'completed', $4, $5, $6, $7, $8) returning id`,
        [callId, loc, agent, number, CALLER_NAME, MRN, RECORDING, NOTE])).rows[0].id as string;
    ids.callAA = await call("c-aa", "Ann Arbor", "agent.aa@gangerdermatology.com", CALLER_NUMBER);
    ids.callAA2 = await call("c-aa-2", "Ann Arbor", "agent.aa@gangerdermatology.com", "+1 734 555 0123");
    ids.callWX = await call("c-wx", "Wixom", "agent.wx@gangerdermatology.com", "248-555-0199");
    ids.raw = (await c.query(`insert into app_private.cdr_raw (source, body) values ('webhook', $1) returning id`, [Buffer.from(RAW_LINE + "\u0000\xff")])).rows[0].id;
    await c.query(`insert into app_private.cdr_dead_letters (raw_id, line, field, reason) values ($1, $2, 'time-start', 'impossible date')`, [ids.raw, Buffer.from(RAW_LINE)]);
  });
  // The journal is written through the API, as agents do.
  const res = await server.graphql(
    `mutation($id: UUID!, $n: String!) { createCallJournal(input: { callJournal: { callRecordId: $id, callSummary: "Skin care question", detailedNotes: $n, patientConcern: $n, callTags: ["dermatitis"] } }) { callJournal { rowId detailedNotesMasked } } }`,
    await signToken({ email: "agent.aa@gangerdermatology.com" }),
    { id: ids.callAA, n: NOTE },
  );
  expect(res.body.errors).toBeUndefined();
  ids.journal = (res.body.data!.createCallJournal as { callJournal: { rowId: string } }).callJournal.rowId;
});
afterAll(async () => {
  await server.close();
  await db.drop();
});

describe("at rest", () => {
  it("a superuser reading every table, raw and dead letters included, finds no patient data in plaintext", async () => {
    const root = new pg.Client({ connectionString: db.rootUrl });
    await root.connect();
    try {
      const { rows: tables } = await root.query<{ t: string }>(
        `select format('%I.%I', n.nspname, c.relname) as t from pg_class c join pg_namespace n on n.oid = c.relnamespace
         where n.nspname in ('app_public', 'app_private', 'app_hidden', 'analytics') and c.relkind in ('r', 'v', 'm') order by 1`);
      expect(tables.length).toBeGreaterThan(25);
      const hex = (s: string) => Buffer.from(s).toString("hex");
      for (const { t } of tables) {
        const dump = (await root.query(`select coalesce(string_agg(x::text, E'\\n'), '') as d from ${t} x`)).rows[0].d as string;
        for (const secret of SECRETS) {
          expect({ t, found: dump.includes(secret) || dump.includes(hex(secret)) }).toEqual({ t, found: false });
        }
      }
    } finally {
      await root.end();
    }
  });

  it("stores each value under a key id, AES-256 inside, and the plaintext columns stay empty", async () => {
    const { rows } = await db.owner.query(
      `select app_hidden.phi_key_id_of(caller_number_encrypted) as kid, caller_number, length(caller_number_encrypted) > 40 as long
       from app_public.call_center_records where id = $1`, [ids.callAA]);
    expect(rows[0]).toEqual({ kid: "t1", caller_number: null, long: true });
  });
});

describe("reading: masked values for every role that sees the call", () => {
  const masked = `{ allCallCenterRecords(condition: { callId: "c-aa" }) { nodes { callerNumberMasked callerNameMasked patientMrnMasked complianceNotesMasked recordingAvailable } } }`;
  it.each(["agent.aa", "sup.aa", "manager", "admin"])("%s sees masks only", async (who) => {
    const res = await server.graphql(masked, await signToken({ email: `${who}@gangerdermatology.com` }));
    expect(res.body.data).toEqual({ allCallCenterRecords: { nodes: [{
      callerNumberMasked: "•••-•••-0123", callerNameMasked: "J. Q.", patientMrnMasked: "••••11",
      complianceNotesMasked: `[protected: ${NOTE.length} characters]`, recordingAvailable: true }] } });
  });
  it.each(["staff", "agent.wx", "sup.wx"])("%s does not see the call at all", async (who) => {
    const res = await server.graphql(masked, await signToken({ email: `${who}@gangerdermatology.com` }));
    expect(res.body.data).toEqual({ allCallCenterRecords: { nodes: [] } });
  });
  it("the API has no field that returns ciphertext or plaintext", async () => {
    const res = await server.graphql(`{ allCallCenterRecords { nodes { callerNumber } } }`, await signToken({ email: "admin@gangerdermatology.com" }));
    expect(res.body.errors?.[0]?.message).toMatch(/Cannot query field "callerNumber"/);
    const res2 = await server.graphql(`{ allCallCenterRecords { nodes { callerNumberEncrypted } } }`, await signToken({ email: "admin@gangerdermatology.com" }));
    expect(res2.body.errors?.[0]?.message).toMatch(/Cannot query field "callerNumberEncrypted"/);
  });
});

describe("revealing", () => {
  const reveal = async (who: string, fields: string[], reason = "patient called back") =>
    server.graphql(
      `mutation($id: UUID!, $f: [String], $r: String) { revealCallCenterRecord(input: { recordId: $id, fields: $f, reason: $r }) { result } }`,
      await signToken({ email: `${who}@gangerdermatology.com` }),
      { id: ids.callAA, f: fields, r: reason },
    );
  const lastReveal = () =>
    one(db.owner, `select actor_email::text, action, table_name, record_id, changed_columns, details from app_public.audit_logs where action = 'reveal' order by id desc limit 1`);

  it.each(["agent.aa", "sup.aa", "manager", "admin"])("%s may reveal the caller, and the reveal is audited with the reason", async (who) => {
    const res = await reveal(who, ["caller_number", "caller_name", "patient_mrn"], `${who} checking`);
    expect(res.body.errors).toBeUndefined();
    expect((res.body.data!.revealCallCenterRecord as { result: unknown }).result).toEqual({ caller_number: CALLER_NUMBER, caller_name: CALLER_NAME, patient_mrn: MRN });
    expect(await lastReveal()).toEqual({
      actor_email: `${who}@gangerdermatology.com`, action: "reveal", table_name: "app_public.call_center_records", record_id: ids.callAA,
      changed_columns: ["caller_number", "caller_name", "patient_mrn"], details: { reason: `${who} checking` },
    });
  });

  it.each(["staff", "agent.wx", "sup.wx"])("%s may not (not their call), and nothing is revealed", async (who) => {
    const res = await reveal(who, ["caller_number"]);
    expect(res.body.errors?.[0]?.extensions?.code).toBe("CC503");
    expect(JSON.stringify(res.body)).not.toContain("555-0123");
  });

  it("the recording location needs accessRecordings: an agent is refused, a supervisor is not", async () => {
    expect((await reveal("agent.aa", ["recording_url"])).body.errors?.[0]?.extensions?.code).toBe("CC502");
    const ok = await reveal("sup.aa", ["recording_url"]);
    // A one-time link to this service, never the PBX's address (tests/server/recordings.test.ts fetches it).
    expect((ok.body.data!.revealCallCenterRecord as { result: unknown }).result).toEqual({ recording_url: expect.stringMatching(/^\/api\/recordings\/[A-Za-z0-9_-]{43}$/) });
    expect(JSON.stringify(ok.body)).not.toContain("recordings.example");
  });

  it("journal notes: the writer reveals them; another agent cannot", async () => {
    const q = `mutation($id: UUID!) { revealCallJournal(input: { journalId: $id, fields: ["detailed_notes"], reason: "patient called back" }) { result } }`;
    const ok = await server.graphql(q, await signToken({ email: "agent.aa@gangerdermatology.com" }), { id: ids.journal });
    expect((ok.body.data!.revealCallJournal as { result: unknown }).result).toEqual({ detailed_notes: NOTE });
    const no = await server.graphql(q, await signToken({ email: "agent.wx@gangerdermatology.com" }), { id: ids.journal });
    expect(no.body.errors?.[0]?.extensions?.code).toBe("CC503");
  });
});

describe("keys", () => {
  /** A fresh owner connection with exactly these settings (the test pool's sessions already hold the keys). */
  const decryptAs = async (settings: Record<string, string>) => {
    const c = new pg.Client({ connectionString: db.ownerUrl });
    await c.connect();
    try {
      await applySettings(c, settings, { local: false });
      return await c.query(`select app_hidden.phi_decrypt(caller_name_encrypted) as v from app_public.call_center_records where id = $1`, [ids.callAA]);
    } finally {
      await c.end();
    }
  };

  it("no keys in the session: a clear error, no value", async () => {
    await expect(decryptAs({})).rejects.toMatchObject({ code: "CC401", message: expect.stringMatching(/keys are not available/) });
  });
  it("the value's key is not configured: a clear error naming the key", async () => {
    const s = testPhiSettings();
    const { "app.phi_key.t1": _t1, ...only2base } = s;
    const only2 = { ...only2base, "app.phi_key_id": "t2" };
    await expect(decryptAs(only2)).rejects.toMatchObject({ code: "CC402", message: expect.stringMatching(/"t1" is not configured/) });
  });
  it("a wrong key under the right id: a clear error, no garbage", async () => {
    const s = testPhiSettings();
    const wrong = { ...s, "app.phi_key.t1": Buffer.alloc(32, 1).toString("base64") };
    await expect(decryptAs(wrong)).rejects.toMatchObject({ code: "CC403" });
  });
  it("the hash key missing: writing a caller number fails clearly", async () => {
    const s = testPhiSettings();
    const c = new pg.Client({ connectionString: db.ownerUrl });
    await c.connect();
    try {
      await applySettings(c, { ...s, "app.phi_hash_key": "" }, { local: false });
      await expect(c.query(`update app_public.call_center_records set caller_number = '1' where id = $1`, [ids.callWX])).rejects.toMatchObject({ code: "CC404" });
    } finally {
      await c.end();
    }
  });

  it("rotation: old and new keys work side by side, then everything is on the new key and nothing is lost", async () => {
    const before = (await db.owner.query(`select id, app_hidden.phi_decrypt(caller_name_encrypted) as n, app_hidden.phi_decrypt(compliance_notes_encrypted) as c from app_public.call_center_records order by id`)).rows;
    const env = testEnv();
    const rotated: PhiKeys = { ...phiKeys(env), currentKeyId: "t2" };
    const client = await db.owner.connect();
    try {
      // Stop after one batch of 1: a half-rotated database reads fine with both keys.
      await rotateProtectedValues(client, rotated, { batchSize: 1, maxBatches: 1 });
      const mixed = (await db.owner.query(`select distinct k from (
          select app_hidden.phi_key_id_of(caller_name_encrypted) as k from app_public.call_center_records
          union all select app_hidden.phi_key_id_of(line_encrypted) from app_private.cdr_dead_letters) x order by 1`)).rows.map((r) => r.k);
      expect(mixed).toEqual(["t1", "t2"]);
      expect((await db.owner.query(`select id, app_hidden.phi_decrypt(caller_name_encrypted) as n, app_hidden.phi_decrypt(compliance_notes_encrypted) as c from app_public.call_center_records order by id`)).rows).toEqual(before);
      // Resume to the end.
      const progress: number[] = [];
      await rotateProtectedValues(client, rotated, { batchSize: 2, onProgress: (p) => progress.push(p.remaining) });
      expect(progress.at(-1)).toBe(0);
    } finally {
      client.release();
    }
    const c = await db.owner.connect();
    try {
      await applySettings(c, { ...testPhiSettings(), "app.phi_key_id": "t2" }, { local: false });
      const { rows } = await c.query(`
        select count(*) filter (where k <> 't2')::int as stale, count(*)::int as total from (
          select app_hidden.phi_key_id_of(caller_number_encrypted) k from app_public.call_center_records where caller_number_encrypted is not null
          union all select app_hidden.phi_key_id_of(detailed_notes_encrypted) from app_public.call_journals where detailed_notes_encrypted is not null
          union all select app_hidden.phi_key_id_of(body_encrypted) from app_private.cdr_raw
          union all select app_hidden.phi_key_id_of(line_encrypted) from app_private.cdr_dead_letters) x`);
      expect(rows[0]).toEqual({ stale: 0, total: 6 });
      expect((await c.query(`select id, app_hidden.phi_decrypt(caller_name_encrypted) as n, app_hidden.phi_decrypt(compliance_notes_encrypted) as c from app_public.call_center_records order by id`)).rows).toEqual(before);
      const raw = (await c.query(`select app_hidden.phi_decrypt_bytea(body_encrypted) as b from app_private.cdr_raw`)).rows[0].b as Buffer;
      expect(raw.equals(Buffer.from(RAW_LINE + "\u0000\xff"))).toBe(true);
      // Without the old key, everything still opens: nothing was left behind on it.
      await c.query("select set_config('app.phi_key.t1', '', false)");
      expect((await c.query(`select count(app_hidden.phi_decrypt(patient_mrn_encrypted))::int as n from app_public.call_center_records`)).rows[0].n).toBe(3);
    } finally {
      c.release();
    }
    const summary = (await db.owner.query(`select details from app_public.audit_logs where action = 'job_run' order by id desc limit 1`)).rows[0].details;
    expect(summary).toMatchObject({ task: "phi__rotate", key_id: "t2" });
  });
});

describe("repeat callers and search without decrypting", () => {
  it("the same number written two ways is one caller; another number is another", async () => {
    const { rows } = await db.owner.query(`select call_id, encode(caller_number_hash, 'hex') as h from app_public.call_center_records order by call_id`);
    const h = Object.fromEntries(rows.map((r) => [r.call_id, r.h]));
    expect(h["c-aa"]).toBe(h["c-aa-2"]);
    expect(h["c-aa"]).not.toBe(h["c-wx"]);
    expect(h["c-aa"]).toMatch(/^[0-9a-f]{64}$/);
  });

  const search = async (who: string, query: string) => {
    const res = await server.graphql(`query($q: String!) { searchCallJournals(query: $q) { nodes { rowId callSummary } } }`,
      await signToken({ email: `${who}@gangerdermatology.com` }), { q: query });
    expect(res.body.errors).toBeUndefined();
    return (res.body.data!.searchCallJournals as { nodes: Array<{ rowId: string }> }).nodes.map((n) => n.rowId);
  };
  it("finds a whole word of the protected notes through the blind index", async () => {
    expect(await search("agent.aa", "eczema")).toEqual([ids.journal]);
    expect(await search("agent.aa", "ECZEMA soap")).toEqual([ids.journal]);
  });
  it("finds nothing for a word that is not there, nor for part of a word", async () => {
    expect(await search("agent.aa", "psoriasis")).toEqual([]);
    expect(await search("agent.aa", "ecz")).toEqual([]);
  });
  it("finds words of the unprotected fields by full text", async () => {
    expect(await search("agent.aa", "skin")).toEqual([ids.journal]);
    expect(await search("agent.aa", "dermatitis")).toEqual([ids.journal]);
  });
  it("finds nothing for someone who may not see the journal", async () => {
    expect(await search("agent.wx", "eczema")).toEqual([]);
    expect(await search("sup.aa", "eczema")).toEqual([ids.journal]);
  });
});

describe("logs and analytics", () => {
  it("no log line of this run carries patient data or keys", async () => {
    await new Promise((r) => setTimeout(r, 50));
    const all = logLines.join("");
    expect(all.length).toBeGreaterThan(0);
    const keyMaterial = Object.entries(testPhiSettings()).filter(([k]) => k.startsWith("app.phi_key.") || k === "app.phi_hash_key").map(([, v]) => v);
    expect(keyMaterial.length).toBe(3);
    for (const secret of [...SECRETS, ...keyMaterial]) {
      expect(all.includes(secret)).toBe(false);
    }
  });

  it("every column of every analytics view is free of patient identifiers", async () => {
    const { rows: views } = await db.owner.query<{ view: string; columns: string[] }>(
      `select c.relname as view, array_agg(a.attname::text order by a.attnum) as columns
       from pg_class c join pg_namespace n on n.oid = c.relnamespace join pg_attribute a on a.attrelid = c.oid and a.attnum > 0
       where n.nspname = 'analytics' and c.relkind in ('v', 'm') group by c.relname`);
    expect(views.length).toBeGreaterThan(0); // fails if there is no view to check
    const { rows: protectedCols } = await db.owner.query<{ column_name: string }>(`select column_name from app_private.protected_columns`);
    const forbidden = new Set(protectedCols.map((p) => p.column_name));
    for (const { view, columns } of views) {
      const bad = columns.filter((c) => forbidden.has(c) || /_(encrypted|masked)$|_hash$|word_hashes|^body$|^line$/.test(c));
      expect({ view, bad }).toEqual({ view, bad: [] });
    }
    expect(views.map((v) => v.view)).toContain("call_facts");
  });

  it("analytics.call_facts counts distinct callers by key, with no way back to the number", async () => {
    const { rows } = await db.owner.query(`select count(*)::int as calls, count(distinct caller_key)::int as callers from analytics.call_facts`);
    expect(rows[0]).toEqual({ calls: 3, callers: 2 });
  });
});
