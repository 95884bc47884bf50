/**
 * `npm run cdr:import`: simulated 3CX CDR files (one file, or one file per
 * call) become exactly the calls and dead letters of the simulator's answer
 * key, through COPY, encryption at rest and the worker pipeline; a backfill
 * killed (SIGKILL) and stopped (Ctrl-C) part-way, then resumed, ends as an
 * uninterrupted one does, with no chunk stored twice; a file 3CX appended to
 * continues where it stopped; a second run imports nothing; bad arguments
 * exit 2 with the reason.
 */
import type { ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { DEFAULT_CDR_FIELDS } from "../../lib/env.js";
import { makeLogger } from "../../lib/logger.js";
import { simulate } from "../../simulator/simulation.js";
import { FileSink } from "../../simulator/sinks.js";
import { installPracticeDirectory } from "../../simulator/practice.js";
import type { AnswerKeyCall, AnswerKeyEntry, AnswerKeyMalformed, SimRecord } from "../../simulator/render.js";
import { listInputFiles } from "../../scripts/lib/cdr-files.js";
import { importCdrFiles, type ImportOptions } from "../../scripts/lib/cdr-import.js";
import { createTestDatabase, testPhiSettings, type TestDatabase } from "../helpers/db.js";
import { testEnv } from "../helpers/server.js";
import { spawnScript } from "../helpers/child-process.js";
import { until } from "../helpers/jobs.js";
import { numberOf, rows } from "../helpers/query.js";

let tmp: string;
const databases: TestDatabase[] = [];
const children: ChildProcess[] = [];

interface Simulated {
  records: SimRecord[];
  key: AnswerKeyEntry[];
}
const isMalformed = (k: AnswerKeyEntry): k is AnswerKeyMalformed => "malformed" in k;

function simulated(start: string, days: number, volume: number, seed = 7): Simulated {
  const out: Simulated = { records: [], key: [] };
  for (const day of simulate({
    seed, start, days, format: "3cx-v20", fields: DEFAULT_CDR_FIELDS.split(","), timeZone: "America/Detroit", volume, malformedRate: 0.01,
  })) {
    out.records.push(...day.records);
    out.key.push(...day.key);
  }
  return out;
}

/** Written as 3CX writes them (FileSink: CRLF lines; one file, or one file per call in a folder). */
async function writeRecords(target: string, records: SimRecord[], perCall = false) {
  const sink = new FileSink(target, perCall);
  await sink.send(records);
  await sink.close();
}

async function freshDatabase(): Promise<TestDatabase> {
  const db = await createTestDatabase();
  databases.push(db);
  const client = await db.owner.connect();
  try {
    await installPracticeDirectory(client);
  } finally {
    client.release();
  }
  return db;
}

interface CliRun {
  child: ChildProcess;
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
}

/** The CLI as a real process (node itself, not the tsx wrapper, so signals reach it), against a test database. */
function startCli(args: string[], db: TestDatabase): CliRun {
  const child = spawnScript("scripts/cdr-import.ts", args, db, ["ignore", "pipe", "pipe"]);
  children.push(child);
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve) =>
    child.once("close", (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
  return { child, done };
}
const runCli = (args: string[], db: TestDatabase) => startCli(args, db).done;

/** The counts table the CLI prints: [this run, these files overall] per row. */
function printedCounts(stdout: string) {
  const row = (label: string) => {
    const m = new RegExp(`^\\s*${label}\\s+([\\d,]+)\\s+([\\d,]+)\\s*$`, "m").exec(stdout);
    if (!m) throw new Error(`no '${label}' row in:\n${stdout}`);
    return [Number(m[1]!.replace(/,/g, "")), Number(m[2]!.replace(/,/g, ""))] as const;
  };
  const [accepted, duplicate, dead] = [row("accepted"), row("duplicate"), row("dead-lettered")];
  return {
    thisRun: { accepted: accepted[0], duplicate: duplicate[0], deadLettered: dead[0] },
    overall: { accepted: accepted[1], duplicate: duplicate[1], deadLettered: dead[1] },
  };
}


/** Where the stored chunks of the import end (bytes of the file stored so far). */
const storedBytes = (db: TestDatabase) =>
  numberOf(db.owner, "select coalesce(max(import_offset + body_bytes), 0) as n from app_private.cdr_raw where source = 'import'");

/** Every answer-key call exists with the key's status, and nothing else; every malformed record is a dead letter naming its field. */
async function expectAnswerKey(db: TestDatabase, key: AnswerKeyEntry[]) {
  const good = key.filter((k): k is AnswerKeyCall => !isMalformed(k));
  const bad = key.filter(isMalformed);
  const { rows } = await db.owner.query<{ call_id: string; call_status: string }>("select call_id, call_status from app_public.call_center_records");
  const status = new Map(rows.map((r) => [r.call_id, r.call_status]));
  const wrong = good.flatMap((k) => (status.get(k.call_id) === k.status ? [] : [{ call_id: k.call_id, expected: k.status, stored: status.get(k.call_id) ?? null }]));
  expect(wrong).toEqual([]);
  expect(status.size).toBe(good.length);
  expect(bad.length).toBeGreaterThan(0);
  expect(bad.filter((b) => status.has(b.call_id))).toEqual([]);
  const dead = (await db.owner.query<{ line: Buffer; field: string }>(
    "select app_hidden.phi_decrypt_bytea(line_encrypted) as line, field from app_private.cdr_dead_letters where resolved_at is null",
  )).rows.map((d) => ({ line: d.line.toString("latin1"), field: d.field }));
  expect(dead).toHaveLength(bad.length);
  expect(bad.map((b) => dead.filter((d) => d.line.includes(b.call_id)).length)).toEqual(bad.map(() => 1));
}

/** Each file's chunks follow each other from byte 0 to its end: nothing stored twice, nothing skipped. */
async function expectContiguousChunks(db: TestDatabase, files: string[]) {
  const { rows } = await db.owner.query<{ import_file: string; import_offset: string; body_bytes: number }>(
    "select import_file, import_offset, body_bytes from app_private.cdr_raw where source = 'import' order by import_file, import_offset",
  );
  const ends = new Map<string, number>();
  const problems: string[] = [];
  for (const r of rows) {
    const at = ends.get(r.import_file) ?? 0;
    if (Number(r.import_offset) !== at) problems.push(`${r.import_file}: chunk at ${r.import_offset}, expected ${at}`);
    ends.set(r.import_file, Number(r.import_offset) + r.body_bytes);
  }
  expect(problems).toEqual([]);
  const expected = new Map(files.map((f) => [fs.realpathSync(f), fs.statSync(f).size]));
  expect(new Map([...ends].map(([identity, end]) => [identity.replace(/#\d+:[0-9a-f]{16}$/, ""), end]))).toEqual(expected);
}

const callRows = (db: TestDatabase) =>
  rows(db.owner, `select call_id, call_status, agent_extension, queue_name, wait_seconds, transfer_count
      from app_public.call_center_records order by call_id`);
const legRows = (db: TestDatabase) =>
  rows(db.owner, `select call_id, leg_key, leg_index, leg_type, agent_extension, queue_name, started_at, answered_at, ended_at, outcome
      from app_public.call_legs order by call_id, leg_key`);

const libraryOptions = (db: TestDatabase, paths: string[], extra: Partial<ImportOptions> = {}): ImportOptions => {
  const { files, errors } = listInputFiles(paths);
  expect(errors).toEqual([]);
  return { ownerUrl: db.ownerUrl, env: testEnv(), phiSettings: testPhiSettings(), files, logger: makeLogger("silent"), ...extra };
};

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "cc-import-"));
});
afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
  for (const db of databases) await db.drop();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe("one CDR file", () => {
  let day: Simulated;
  let file: string;
  let db: TestDatabase;
  let first: Awaited<ReturnType<typeof runCli>>;
  beforeAll(async () => {
    day = simulated("2026-03-02", 1, 300);
    file = path.join(tmp, "cdr.log");
    await writeRecords(file, day.records);
    db = await freshDatabase();
    first = await runCli([file], db);
  }, 120_000);

  it("yields exactly the answer key's calls and dead letters, and prints the counts", async () => {
    expect({ code: first.code, stderr: first.code === 0 ? "" : first.stderr }).toEqual({ code: 0, stderr: "" });
    await expectAnswerKey(db, day.key);
    const malformed = day.key.filter(isMalformed).length;
    const printed = printedCounts(first.stdout);
    expect(printed.thisRun.accepted + printed.thisRun.duplicate).toBe(day.records.length - malformed);
    expect(printed.thisRun.deadLettered).toBe(malformed);
    expect(printed.overall).toEqual(printed.thisRun);
    expect(first.stdout).toMatch(/^Imported 1 file: .* records in .* \([\d,]+ records\/s\)\.$/m);
    // The printed counts are the raw rows' own.
    const { rows } = await db.owner.query(`select sum(calls_new + calls_updated)::int as accepted, sum(calls_duplicate)::int as duplicate,
        sum(records_rejected)::int as "deadLettered" from app_private.cdr_raw`);
    expect(rows[0]).toEqual(printed.thisRun);
  });

  it("stores chunks of whole lines, encrypted at rest, in order, each once", async () => {
    await expectContiguousChunks(db, [file]);
    const { rows } = await db.owner.query<{ source: string; content_type: string; body: Buffer | null; plain: Buffer; status: string }>(
      `select source, content_type, body, app_hidden.phi_decrypt_bytea(body_encrypted) as plain, status
         from app_private.cdr_raw order by import_offset`,
    );
    expect(rows.length).toBeGreaterThan(1);
    expect(rows.every((r) => r.source === "import" && r.content_type === "text/plain" && r.body === null && r.status !== "pending")).toBe(true);
    expect(Buffer.concat(rows.map((r) => r.plain)).equals(fs.readFileSync(file))).toBe(true);
    expect(rows.every((r) => r.plain.toString("latin1").endsWith("\r\n") && r.plain.toString("latin1").split("\r\n").length <= 501)).toBe(true);
  });

  it("a second run of the same file imports nothing new and says so", async () => {
    const rawBefore = (await db.owner.query("select count(*)::int as n from app_private.cdr_raw")).rows[0].n;
    const second = await runCli([file], db);
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/^Nothing new to import: the file is already imported up to its end\.$/m);
    const printed = printedCounts(second.stdout);
    expect(printed.thisRun).toEqual({ accepted: 0, duplicate: 0, deadLettered: 0 });
    expect(printed.overall).toEqual(printedCounts(first.stdout).overall);
    expect((await db.owner.query("select count(*)::int as n from app_private.cdr_raw")).rows[0].n).toBe(rawBefore);
  }, 60_000);
});

describe("one file per call (3CX's separate-file mode)", () => {
  it("imports every file of the folder as one raw row and yields the answer key", async () => {
    const day = simulated("2026-03-03", 1, 300, 11);
    const folder = path.join(tmp, "calls");
    await writeRecords(folder, day.records, true);
    const files = fs.readdirSync(folder).map((n) => path.join(folder, n));
    const db = await freshDatabase();
    const run = await runCli([folder], db);
    expect({ code: run.code, stderr: run.code === 0 ? "" : run.stderr }).toEqual({ code: 0, stderr: "" });
    expect(run.stdout).toMatch(new RegExp(`^Imported ${files.length} files: `, "m"));
    await expectAnswerKey(db, day.key);
    await expectContiguousChunks(db, files);
    expect((await db.owner.query("select count(*)::int as n from app_private.cdr_raw")).rows[0].n).toBe(files.length);
    const printed = printedCounts(run.stdout);
    expect(printed.thisRun.deadLettered).toBe(day.key.filter(isMalformed).length);
    expect(printed.thisRun.accepted + printed.thisRun.duplicate + printed.thisRun.deadLettered).toBe(day.records.length);
  }, 120_000);
});

describe("an interrupted backfill", () => {
  it("killed (SIGKILL) and stopped (Ctrl-C) part-way, then resumed, ends as an uninterrupted import does", async () => {
    const days = simulated("2026-03-09", 1, 1500, 23);
    const file = path.join(tmp, "large-cdr.log");
    await writeRecords(file, days.records);
    const size = fs.statSync(file).size;
    const args = [file, "--chunk-lines", "20"];
    const db = await freshDatabase();

    // 1. Killed outright once some chunks are committed.
    const killed = startCli(args, db);
    await until(async () => (await storedBytes(db)) > 0, { what: "the first chunks to be committed", timeoutMs: 120_000 });
    killed.child.kill("SIGKILL");
    expect((await killed.done).signal).toBe("SIGKILL");
    const afterKill = await storedBytes(db);
    expect(afterKill).toBeLessThan(size);

    // 2. Started again, then stopped with Ctrl-C (SIGINT) once it has stored more.
    const interrupted = startCli(args, db);
    await until(async () => (await storedBytes(db)) > afterKill, { what: "the second run to store more", timeoutMs: 120_000 });
    interrupted.child.kill("SIGINT");
    const stopped = await interrupted.done;
    expect(stopped.code).toBe(130);
    expect(stopped.stderr).toContain(`To resume: npm run cdr:import -- ${file} --chunk-lines 20`);
    const afterStop = await storedBytes(db);
    expect(afterStop).toBeLessThan(size);

    // 3. Resumed to the end.
    const resumed = await runCli(args, db);
    expect({ code: resumed.code, stderr: resumed.code === 0 ? "" : resumed.stderr }).toEqual({ code: 0, stderr: "" });
    await expectContiguousChunks(db, [file]);

    // The same file, uninterrupted (through the library the CLI uses), into another fresh database.
    const reference = await freshDatabase();
    const result = await importCdrFiles(libraryOptions(reference, [file], { chunkLines: 20 }));
    expect(result.stopped).toBe(false);
    expect(result.files.map((f) => [f.state, f.from, f.storedTo])).toEqual([["new", 0, size]]);

    expect(await callRows(db)).toEqual(await callRows(reference));
    expect(await legRows(db)).toEqual(await legRows(reference));
    // Records accepted or duplicate, and dead letters, are the same. (Which of a call's segments counts as
    // "duplicate" rather than "updated" depends on the order the worker happened to process them in.)
    const overall = printedCounts(resumed.stdout).overall;
    expect({ acceptedOrDuplicate: overall.accepted + overall.duplicate, deadLettered: overall.deadLettered })
      .toEqual({ acceptedOrDuplicate: result.overall.accepted + result.overall.duplicate, deadLettered: result.overall.deadLettered });
    expect(overall.deadLettered).toBe(days.key.filter(isMalformed).length);
    expect(overall.accepted + overall.duplicate + overall.deadLettered).toBe(days.records.length);
    await expectAnswerKey(db, days.key);
  }, 300_000);
});

describe("files that change", () => {
  it("a file that grew continues from where the last run stopped; a different file at the same path starts over", async () => {
    const day = simulated("2026-03-04", 1, 300, 31);
    const half = Math.floor(day.records.length / 2);
    const file = path.join(tmp, "growing.log");
    await writeRecords(file, day.records.slice(0, half));
    const db = await freshDatabase();
    const firstSize = fs.statSync(file).size;
    const first = await importCdrFiles(libraryOptions(db, [file]));
    expect(first.files.map((f) => [f.state, f.from, f.storedTo])).toEqual([["new", 0, firstSize]]);

    fs.appendFileSync(file, day.records.slice(half).map((r) => `${r.text}\r\n`).join(""));
    const second = await importCdrFiles(libraryOptions(db, [file]));
    expect(second.files.map((f) => [f.state, f.from, f.storedTo, f.identity])).toEqual([["resumed", firstSize, fs.statSync(file).size, first.files[0]!.identity]]);
    expect(second.stored.records).toBe(day.records.length - half);
    await expectContiguousChunks(db, [file]);
    await expectAnswerKey(db, day.key);

    // Replaced by another file: a new identity, read from its first byte.
    const other = simulated("2026-03-05", 1, 100, 37);
    fs.rmSync(file);
    await writeRecords(file, other.records);
    const third = await importCdrFiles(libraryOptions(db, [file]));
    expect(third.files[0]!.state).toBe("new");
    expect(third.files[0]!.identity).not.toBe(first.files[0]!.identity);
    expect(third.stored.bytes).toBe(fs.statSync(file).size);
  }, 120_000);
});

describe("bad arguments", () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
    databases.push(db);
  });
  const cases: [string, () => string[], RegExp][] = [
    ["no file", () => [], /name at least one CDR file or folder/],
    ["a missing file", () => [path.join(tmp, "missing.log")], /missing\.log: no such file or folder/],
    ["an empty folder", () => [fs.mkdtempSync(path.join(tmp, "empty-"))], /the folder holds no files to import/],
    ["not a regular file", () => ["/dev/null"], /\/dev\/null: not a regular file or folder/],
    ["a bad chunk size", () => [path.join(tmp, "cdr.log"), "--chunk-lines", "0"], /--chunk-lines: .*>=1/],
    ["an unknown option", () => ["--fast", path.join(tmp, "cdr.log")], /Unknown option '--fast'/],
  ];
  it.each(cases)("%s: exit 2 with the reason, nothing stored", async (_name, args, reason) => {
    const run = await runCli(args(), db);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(reason);
    expect(run.stderr).toContain("usage: npm run cdr:import --");
    expect((await db.owner.query("select count(*)::int as n from app_private.cdr_raw")).rows[0].n).toBe(0);
  });
  (process.getuid?.() === 0 ? it.skip : it)("an unreadable file: exit 2 (not testable as root)", async () => {
    const file = path.join(tmp, "secret.log");
    fs.writeFileSync(file, "x\r\n", { mode: 0o000 });
    const run = await runCli([file], db);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/secret\.log: permission denied/);
  });
});
