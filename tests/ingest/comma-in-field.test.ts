/**
 * 3CX does not quote its CDR fields: a value holding a comma (a display name
 * "Doe, Jane", a rate name, a dial string with a pause) splits in two and
 * shifts every later value one field on. Such a line is a dead letter that
 * says so and names the field, never a call read from shifted fields, under
 * the PBX's own field count and under a longer configured list (a 20-field
 * feed read with the default 27 fields, where the count cannot tell).
 * Real lines: the French feed (20 fields) and the Maldives feed (27 fields),
 * tests/fixtures/real-3cx.
 */
import fs from "node:fs";
import path from "node:path";
import { runJobs } from "../helpers/jobs.js";
import { parseCdrLines } from "../../worker/cdr/threecx.js";
import { CDR_FIELD_NAMES } from "../../lib/cdr-fields.js";
import { createTestDatabase, type TestDatabase } from "../helpers/db.js";
import { storeRaw } from "../helpers/calls.js";

const FIXTURES = path.join(import.meta.dirname, "..", "fixtures", "real-3cx");
/** Line n of a feed, without its line end (the Maldives file keeps 3CX's CR). */
const line = (folder: string, n: number) => fs.readFileSync(path.join(FIXTURES, folder, "cdr.log"), "utf8").split("\n")[n - 1]!.replace(/\r$/, "");
const F27 = [...CDR_FIELD_NAMES] as string[];
const F20 = F27.slice(0, 20);
// Real lines: French Call 23193 (an outbound call, billed "default"), French Call 24456 (final-number holds a name,
// "Appels Externes"), Maldives Call 5121 (27 fields, from-dispname "Agent 1", missed-queue-calls empty).
const FR_OUTBOUND = line("fr-dorel14", 1);
const FR_NAMED = line("fr-dorel14", 1226);
const MV = line("mv-harish-chander", 1);

/** The line with one field's value replaced. */
function withValue(text: string, field: string, value: string): string {
  const values = text.replace(/^Call /, "").split(",");
  values[F27.indexOf(field)] = value;
  return `Call ${values.join(",")}`;
}
const parse = (text: string, fields: string[]) => parseCdrLines(Buffer.from(`${text}\r\n`), { fields, timeZone: "UTC" });

describe("the real lines as they are", () => {
  it("read cleanly under their own field count and under the default 27", () => {
    expect(FR_OUTBOUND).toMatch(/^Call 23193,/);
    expect(FR_NAMED).toMatch(/^Call 24456,.*,Appels Externes,/);
    expect(MV).toMatch(/^Call 5121,.*,Agent 1,/);
    for (const [text, fields] of [[FR_OUTBOUND, F20], [FR_OUTBOUND, F27], [FR_NAMED, F20], [FR_NAMED, F27], [MV, F27]] as const) {
      const { calls, rejections } = parse(text, fields);
      expect(rejections).toEqual([]);
      expect(calls).toHaveLength(1);
    }
  });
});

describe("a comma inside a field of a real French line (20 fields)", () => {
  const cases: [string, string, string][] = [
    // [field, its value with a comma, the real line]
    ["bill-name", "Mobile, France", FR_OUTBOUND],
    ["dial-no", "0233388472,123", FR_OUTBOUND], // a dial string with a pause
    ["final-number", "Appels Externes, Paris", FR_NAMED],
    ["chain", "Chain: Ext.114;02,33388472;", FR_OUTBOUND],
  ];
  it.each(cases)("%s holding %j: a dead letter saying so, under THREECX_CDR_FIELDS of 20", (field, value, real) => {
    const { calls, rejections } = parse(withValue(real, field, value), F20);
    expect(calls).toEqual([]);
    expect(rejections).toHaveLength(1);
    expect(rejections[0]!.reason).toMatch(/^21 fields, but THREECX_CDR_FIELDS lists 20: the line has a comma inside a field, /);
    expect(rejections[0]!.reason).toContain("3CX does not quote its fields");
    // The field is named: alone (the dead letter's field), or among the few a comma could be in.
    expect(rejections[0]!.field === field || rejections[0]!.reason.includes(`one of `) && rejections[0]!.reason.includes(field)).toBe(true);
  });
  it.each(cases)("%s holding %j: a dead letter saying so, under the default 27 (where the count cannot tell)", (field, value, real) => {
    const { calls, rejections } = parse(withValue(real, field, value), F27);
    expect(calls).toEqual([]);
    expect(rejections).toHaveLength(1);
    expect(rejections[0]!.reason).toMatch(/^the line has a comma inside a field: /);
    expect(rejections[0]!.reason).toContain("the line is not read");
    expect(rejections[0]!.field === field || rejections[0]!.reason.includes(field)).toBe(true);
  });
  it("the shift is named by what it broke: bill-name's comma pushes the Chain: value out of chain", () => {
    const { rejections } = parse(withValue(FR_OUTBOUND, "bill-name", "Mobile, France"), F27);
    expect(rejections[0]).toMatchObject({ field: "bill-name" });
    expect(rejections[0]!.reason).toContain("bill-name holds a comma, so chain holds no Chain: value and every field after it is shifted");
  });
});

describe("a comma inside a display name of a real 27-field line (the attack's case)", () => {
  it("with a space after it (\"Agent, 1\"): a dead letter naming from-dispname", () => {
    const { calls, rejections } = parse(withValue(MV, "from-dispname", "Agent, 1"), F27);
    expect(calls).toEqual([]);
    expect(rejections).toMatchObject([{ field: "from-dispname", reason: expect.stringMatching(/^28 fields, but THREECX_CDR_FIELDS lists 27: the line has a comma inside a field, from-dispname holds a comma/) }]);
  });
  it("without one (\"Agent,1\"), the last field empty: still a dead letter, never a trailing comma dropped", () => {
    const { calls, rejections } = parse(withValue(MV, "from-dispname", "Agent,1"), F27);
    expect(calls).toEqual([]);
    expect(rejections[0]!.reason).toMatch(/^28 fields, but THREECX_CDR_FIELDS lists 27: the line has a comma inside a field, one of .*from-dispname/);
  });
  it("in to-dispname", () => {
    const { calls, rejections } = parse(withValue(MV, "to-dispname", "Front desk, Male"), F27);
    expect(calls).toEqual([]);
    expect(rejections).toMatchObject([{ field: "to-dispname" }]);
  });
});

describe("through the pipeline", () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db.drop();
  });
  it("the dead letter keeps the line and says what is wrong; the neighbouring real lines load", async () => {
    const body = `${FR_NAMED}\n${withValue(FR_OUTBOUND, "bill-name", "Mobile, France")}\n${line("fr-dorel14", 2)}\n`;
    const rawId = await storeRaw(db.owner, body, "text/plain", "socket");
    // (The lines are from 2020, the body arrives now: inside the default window of 3650 days.)
    await runJobs(db);
    const dead = (await db.owner.query(
      "select line_number, field, reason, convert_from(app_hidden.phi_decrypt_bytea(line_encrypted), 'UTF8') as line from app_private.cdr_dead_letters where raw_id = $1",
      [rawId],
    )).rows;
    expect(dead).toMatchObject([{ line_number: 2, field: "bill-name", reason: expect.stringContaining("the line has a comma inside a field"), line: expect.stringContaining("Mobile, France") }]);
    const calls = (await db.owner.query("select call_id from app_public.call_center_records order by call_id")).rows.map((r) => r.call_id);
    expect(calls.sort()).toEqual(["000001730EA2E228_6058", "00000172FF13E364_4449"].sort());
  });
});
