/**
 * A body of garbage makes a bounded number of dead-letter rows: beyond
 * CDR_MAX_DEAD_LETTERS_PER_REASON (20) records of one body failing with the
 * same reason, the rest are one row with their count and line range. Nothing
 * is lost: the body is kept whole, and after the configuration is fixed,
 * `cdr:retry` (app_private.retry_dead_letters) reads every line again.
 */
import { noPendingRaw, runJobsUntil } from "../helpers/jobs.js";
import { createTestDatabase, type TestDatabase } from "../helpers/db.js";
import { forgetEnv } from "../../lib/env.js";
import { rows } from "../helpers/query.js";
import { storeRaw } from "../helpers/calls.js";

// This site sends nine fields in its own order; the worker starts with the default 27 (the mistake to fix).
const SITE_FIELDS = "time-start,call-id,duration,time-answered,time-end,reason-terminated,from-no,to-no,final-number";
const LINES = 10_000;

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  delete process.env.THREECX_CDR_FIELDS;
  delete process.env.CDR_MAX_DEAD_LETTERS_PER_REASON;
  forgetEnv();
  await db.drop();
});

const work = () => runJobsUntil(db, noPendingRaw(db), { what: "the raw bodies", rounds: 10 });
const store = (body: string) => storeRaw(db.owner, body, "text/plain", "import");
const letters = (rawId: number, open = true) =>
  rows<{ line_number: number | null; last_line_number: number | null; repeat_count: number; field: string; reason: string; line: string }>(db.owner,
    `select line_number, last_line_number, repeat_count, field, reason, convert_from(app_hidden.phi_decrypt_bytea(line_encrypted), 'UTF8') as line
       from app_private.cdr_dead_letters where raw_id = $1 ${open ? "and resolved_at is null" : ""} order by id`,
    [rawId],
  );
const cdrTime = (t: number) => new Date(t).toISOString().slice(0, 19).replace("T", " ").replace(/-/g, "/");

describe("a body of 10,000 lines the configuration cannot read", () => {
  let rawId: number;
  it("gives at most 21 dead-letter rows: 20 of them one line each, then one for the other 9,980 with their line range", async () => {
    const base = Date.now() - 2 * 86_400_000;
    const lines: string[] = [];
    for (let i = 1; i <= LINES; i++) {
      const t = base + i * 10_000;
      lines.push(`Call ${cdrTime(t)},GARBAGE_${i},00:00:20,${cdrTime(t + 5000)},${cdrTime(t + 20_000)},TerminatedByDst,+1734555${String(i).padStart(4, "0")},Ext.504,Ext.504`);
    }
    rawId = await store(lines.join("\r\n") + "\r\n");
    await work();
    const rows = await letters(rawId);
    expect(rows.length).toBeLessThanOrEqual(21);
    expect(rows).toHaveLength(21);
    // One reason for all (the value in it differs from line to line: "'TerminatedByDst' is not …" is the same reason).
    expect(new Set(rows.map((r) => r.field))).toEqual(new Set(["time-end"]));
    expect(rows.slice(0, 20).map((r) => [r.line_number, r.repeat_count, r.last_line_number])).toEqual(
      Array.from({ length: 20 }, (_, i) => [i + 1, 1, null]),
    );
    expect(rows[20]).toMatchObject({ line_number: 21, last_line_number: LINES, repeat_count: LINES - 20 });
    expect(rows[20]!.line).toContain("GARBAGE_21,"); // the first of them is kept
    expect(rows[20]!.reason).toMatch(/this row stands for 9,980 records, lines 21–10000/);
    // The body counts every record it held.
    const raw = (await db.owner.query("select status, records_rejected from app_private.cdr_raw where id = $1", [rawId])).rows[0];
    expect(raw).toEqual({ status: "dead_letter", records_rejected: LINES });
    expect(Number((await db.owner.query("select sum(repeat_count) as n from app_private.cdr_dead_letters where raw_id = $1", [rawId])).rows[0].n)).toBe(LINES);
  }, 120_000);

  it("after the configuration is fixed, cdr:retry reads every line again: 10,000 calls, no dead letter left", async () => {
    process.env.THREECX_CDR_FIELDS = SITE_FIELDS;
    forgetEnv(); // as a restart would
    expect((await db.owner.query("select app_private.retry_dead_letters() as n")).rows[0].n).toBe(1);
    await work();
    expect(await letters(rawId)).toEqual([]);
    expect(Number((await db.owner.query("select count(*) from app_public.call_center_records where call_id like 'GARBAGE\\_%'")).rows[0].count)).toBe(LINES);
    const raw = (await db.owner.query("select status, records_rejected, calls_new from app_private.cdr_raw where id = $1", [rawId])).rows[0];
    expect(raw).toEqual({ status: "processed", records_rejected: 0, calls_new: LINES });
  }, 120_000);
});

describe("pure garbage", () => {
  it("lines of noise with a few different faults: each reason bounded by CDR_MAX_DEAD_LETTERS_PER_REASON", async () => {
    process.env.CDR_MAX_DEAD_LETTERS_PER_REASON = "3";
    forgetEnv();
    const noise = Array.from({ length: 500 }, (_, i) => (i % 100 === 7 ? `Call ${"x,".repeat(40)}${i}` : `lorem ipsum ${i} dolor`));
    const rawId = await store(noise.join("\n"));
    await work();
    const rows = await letters(rawId);
    const byReason = new Map<string, typeof rows>();
    for (const r of rows) byReason.set(r.field, [...(byReason.get(r.field) ?? []), r]);
    // (THREECX_CDR_FIELDS is the site's nine fields by now, time-start first.) "from-no and to-no are both missing"
    // 495 times; "41 fields, but …" 5 times (lines 8, 108, …): 3 rows each, then one row for the rest.
    expect([...byReason.keys()].sort()).toEqual(["from-no", "line"]);
    expect(byReason.get("from-no")!.map((r) => r.repeat_count)).toEqual([1, 1, 1, 492]);
    expect(byReason.get("line")!.map((r) => [r.line_number, r.repeat_count, r.last_line_number])).toEqual([[8, 1, null], [108, 1, null], [208, 1, null], [308, 2, 408]]);
    expect(rows.reduce((n, r) => n + r.repeat_count, 0)).toBe(500);
  });
});
