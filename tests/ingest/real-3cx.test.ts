/**
 * Real 3CX feeds (tests/fixtures/real-3cx, five unrelated PBXs, their origin
 * in each folder's SOURCE.md): every line of every collected file becomes
 * the call it must, or a dead letter with its reason, through the real
 * pipeline (raw bodies as the socket stores them, the worker, the SQL).
 *
 * - `expected.tsv` beside each feed holds, line by line, what the line must
 *   become. It was written by this test (REAL_3CX_WRITE=1) once the rules
 *   below were checked on the lines, and is compared on every run: a change
 *   in what any real line becomes fails here and shows in review as a diff.
 * - Each rule of the 3CX reading is shown on named real lines, with the
 *   reasoning, in the describe blocks below.
 * - The largest feed (France, 1,926 live lines) is read in UTC, its
 *   collector's own arrival stamps agree, and its calls fall in the
 *   practice's working hours in its own zone.
 */
import fs from "node:fs";
import path from "node:path";
import { runJobs } from "../helpers/jobs.js";
import { createTestDatabase, type TestDatabase } from "../helpers/db.js";
import { judgeCdrFeed, readCdrFeed } from "../../server/cdr-feed.js";

const FIXTURES = path.join(import.meta.dirname, "..", "fixtures", "real-3cx");
const WRITE = process.env.REAL_3CX_WRITE === "1";

interface Feed {
  folder: string;
  files: string[];
  /** The PBX directory an administrator would enter: what the source tells of its numbers. */
  directory: { queues?: [string, string][]; numbers?: [string, string, string][] };
  /** Business zone of the PBX (where its people work). */
  zone: string;
  /** Arrival stamps beside the lines (the collector's log), in the collector's zone. */
  receivedAt?: { file: string; zone: string };
}

const FEEDS: Feed[] = [
  {
    folder: "fr-dorel14", files: ["cdr.log"], zone: "Europe/Paris",
    // The source's own names (scripts/generate_fake_data.py in dorel14/3CX-Cdr-Server): 610 "IVR Principal",
    // 611 "File Support", 612 "File Commercial", 615 "File SAV" ("file" is French for queue). 999 is 3CX's default
    // voicemail number (typed VMail in the Maldives feed).
    directory: {
      queues: [["611", "File Support"], ["612", "File Commercial"], ["615", "File SAV"]],
      numbers: [["610", "ivr", "IVR Principal"], ["999", "voicemail", "Voicemail"]],
    },
    receivedAt: { file: "received-at.txt", zone: "Europe/Paris" },
  },
  {
    folder: "ie-bpmtop", files: ["cdr.log", "shell-test-line.log"], zone: "Europe/Dublin",
    // QFwdToDNA ("queue forward") names its to-no a queue: 960 and 982.
    directory: { queues: [["960", "Queue 960"], ["982", "Queue 982"]] },
  },
  { folder: "mv-harish-chander", files: ["cdr.log"], zone: "Indian/Maldives", directory: {} },
  { folder: "se-v20-dorel14", files: ["cdr-240617055949.288831.log", "issue-16.log"], zone: "Europe/Stockholm", directory: {} },
  { folder: "ng-odavis-blog", files: ["cdr.log"], zone: "Africa/Lagos", directory: {} },
];

/** One line of a fixture file, as sent: the bytes between LFs (a CR kept). */
function lines(file: string): string[] {
  const text = fs.readFileSync(file, "utf8");
  const all = text.split("\n");
  if (all[all.length - 1] === "") all.pop();
  return all;
}

/** Local wall time in a zone → instant (for the collector's arrival stamps). */
function localToUtc(text: string, zone: string): Date {
  const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2}),(\d{3})$/.exec(text.trim());
  if (!m) throw new Error(`unreadable stamp ${text}`);
  const [y, mo, d, h, mi, s, ms] = m.slice(1).map(Number) as number[];
  const wall = Date.UTC(y!, mo! - 1, d!, h!, mi!, s!, ms!);
  const fmt = new Intl.DateTimeFormat("en-US", { timeZone: zone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit" });
  const parts = Object.fromEntries(fmt.formatToParts(new Date(wall)).map((p) => [p.type, p.value]));
  const asUtc = Date.UTC(+parts.year!, +parts.month! - 1, +parts.day!, +parts.hour!, +parts.minute!, +parts.second!);
  return new Date(wall - (asUtc - Math.floor(wall / 1000) * 1000));
}

interface Loaded {
  db: TestDatabase;
  /** raw id of each line, in file order, per file. */
  rawIds: Map<string, number[]>;
}

const work = (db: TestDatabase) =>
  runJobs(db);

/** Every line of a feed stored as 3CX's socket sends it (one record per connection), then processed. */
async function load(feed: Feed): Promise<Loaded> {
  const db = await createTestDatabase();
  await db.owner.query("update app_private.settings set value = $1 where name = 'business_timezone'", [feed.zone]);
  for (const [ext, name] of feed.directory.queues ?? []) {
    await db.owner.query("insert into app_public.queues (name, extension) values ($1, $2)", [name, ext]);
  }
  for (const [number, kind, name] of feed.directory.numbers ?? []) {
    await db.owner.query("insert into app_public.pbx_numbers (number, kind, name) values ($1, $2, $3)", [number, kind, name]);
  }
  const rawIds = new Map<string, number[]>();
  for (const file of feed.files) {
    const text = lines(path.join(FIXTURES, feed.folder, file));
    const stamps = feed.receivedAt && file === "cdr.log" ? lines(path.join(FIXTURES, feed.folder, feed.receivedAt.file)) : null;
    const { rows } = await db.owner.query<{ id: string }>(
      `select app_hidden.store_cdr_raw(convert_to(l.line || E'\\n', 'UTF8'), 'text/plain', 'socket') as id from unnest($1::text[]) with ordinality as l(line, n) order by l.n`,
      [text],
    );
    const ids = rows.map((r) => Number(r.id));
    if (stamps) {
      // When the collector logged each line: the arrival time the health check compares with the record's end.
      await db.owner.query(
        "update app_private.cdr_raw r set received_at = x.at from unnest($1::bigint[], $2::timestamptz[]) as x(id, at) where r.id = x.id",
        [ids, stamps.map((s) => localToUtc(s, feed.receivedAt!.zone).toISOString())],
      );
    }
    rawIds.set(file, ids);
  }
  for (let i = 0; i < 30; i++) {
    await work(db);
    const { rows } = await db.owner.query(`select (select count(*) from app_private.cdr_raw where status = 'pending')
      + (select count(*) from app_private.kpi_stale_queue_intervals) + (select count(*) from app_private.kpi_stale_agent_days) as n`);
    if (Number(rows[0].n) === 0) break;
  }
  return { db, rawIds };
}

/** What each line became, one TSV row per line: the call (as stored) or the dead letter. */
async function outcomes(loaded: Loaded, feed: Feed): Promise<string[]> {
  const out = ["file\tline\toutcome\tcall_id\tdirection\tstatus\tqueue\thandled_by\tanswer\twait\ttalk\ttransfers\tended_in\troute"];
  for (const file of feed.files) {
    const ids = loaded.rawIds.get(file)!;
    const texts = lines(path.join(FIXTURES, feed.folder, file));
    const { rows } = await loaded.db.owner.query(
      `select r.id, r.status,
              (select jsonb_agg(jsonb_build_object('field', d.field, 'reason', d.reason) order by d.id) from app_private.cdr_dead_letters d where d.raw_id = r.id) as dead,
              (select jsonb_agg(jsonb_build_object(
                 'call_id', c.call_id, 'direction', c.call_direction, 'status', c.call_status, 'queue', q.extension,
                 'handled_by', (select string_agg(l.agent_extension, ',' order by l.leg_index) from app_public.call_legs l
                                 where l.call_record_id = c.id and l.outcome in ('answered', 'transferred')),
                 'answer', case when c.call_status not in ('completed', 'transferred') then '-' when c.answer_time_known then 'known' else 'unknown' end,
                 'wait', c.wait_seconds, 'talk', c.talk_duration_seconds, 'transfers', c.transfer_count, 'ended_in', c.ended_in,
                 'route', array_to_string(c.pbx_route, '>')) order by c.call_id)
                 from app_private.cdr_raw_calls rc join app_public.call_center_records c on c.call_id = rc.call_id
                 left join app_public.queues q on q.name = c.queue_name
                where rc.raw_id = r.id) as calls
         from app_private.cdr_raw r where r.id = any($1::bigint[]) order by r.id`,
      [ids],
    );
    rows.forEach((r, i) => {
      const n = i + 1;
      for (const d of r.dead ?? []) out.push([file, n, "dead letter", d.field, d.reason].join("\t"));
      for (const c of r.calls ?? []) {
        out.push([file, n, "call", c.call_id, c.direction, c.status, c.queue ?? "-", c.handled_by ?? "-", c.answer, c.wait ?? "-", c.talk ?? "-", c.transfers, c.ended_in ?? "-", c.route || "-"].join("\t"));
      }
      if (!r.dead && !r.calls) out.push([file, n, texts[i]!.trim() === "" ? "blank line" : `nothing (${r.status})`].join("\t"));
    });
  }
  return out;
}

const loaded = new Map<string, Loaded>();
afterAll(async () => {
  for (const l of loaded.values()) await l.db.drop();
});

describe.each(FEEDS)("the $folder feed", (feed) => {
  beforeAll(async () => {
    loaded.set(feed.folder, await load(feed));
  }, 180_000);

  it("every line becomes the call it must, or a dead letter with its reason (expected.tsv)", async () => {
    const got = await outcomes(loaded.get(feed.folder)!, feed);
    const expectedFile = path.join(FIXTURES, feed.folder, "expected.tsv");
    if (WRITE) fs.writeFileSync(expectedFile, got.join("\n") + "\n");
    const expected = fs.readFileSync(expectedFile, "utf8").trimEnd().split("\n");
    const differences = got
      .map((row, i) => (row === expected[i] ? null : `row ${i + 1}:\n  expected ${expected[i]}\n  got      ${row}`))
      .filter((d) => d !== null);
    if (got.length !== expected.length) differences.push(`${got.length} rows, expected ${expected.length}`);
    expect(differences.slice(0, 15)).toEqual([]);
    // Every line is accounted for: each gives a call or a dead letter, none is silently dropped.
    expect(got.filter((r) => r.includes("\tnothing ("))).toEqual([]);
  });

  it("nothing accepted is lost: every raw body ends processed or dead-lettered", async () => {
    const { rows } = await loaded.get(feed.folder)!.db.owner.query("select status, count(*)::int as n from app_private.cdr_raw group by status order by status");
    expect(rows.filter((r) => !["processed", "dead_letter", "partial"].includes(r.status))).toEqual([]);
  });
});

/** The stored call of a real line, by its 3CX call id. */
async function call(folder: string, callId: string) {
  const { rows } = await loaded.get(folder)!.db.owner.query(
    `select c.call_id, c.call_direction as direction, c.call_status as status, q.extension as queue, c.agent_extension as agent,
            c.call_answer_time, c.answer_time_known, c.wait_seconds, c.talk_duration_seconds as talk, c.transfer_count, c.ended_in, c.pbx_route,
            c.call_start_time,
            (select jsonb_agg(jsonb_build_array(l.agent_extension, l.leg_type, l.outcome, l.answered_at is not null) order by l.leg_index)
               from app_public.call_legs l where l.call_record_id = c.id) as legs
       from app_public.call_center_records c left join app_public.queues q on q.name = c.queue_name where c.call_id = $1`,
    [callId],
  );
  expect(rows).toHaveLength(1);
  return rows[0];
}

describe("the rules, each on real lines", () => {
  // Loaded by the feeds' describe blocks above (jest runs them first, in file order).
  it("3CX times are UTC: the French collector logged every line within minutes after its time-end read as UTC", async () => {
    const { rows } = await loaded.get("fr-dorel14")!.db.owner.query(
      `select min(extract(epoch from (r.received_at - c.call_end_time))) as lo, max(extract(epoch from (r.received_at - c.call_end_time))) as hi,
              count(*)::int as n
         from app_private.cdr_raw r join app_private.cdr_raw_calls rc on rc.raw_id = r.id join app_public.call_center_records c on c.call_id = rc.call_id`,
    );
    // Arrival a little after the call ends (the collector's stamps are 119–127 min after time-end in CEST, UTC+2).
    expect(rows[0].n).toBe(1926);
    expect(Number(rows[0].lo)).toBeGreaterThanOrEqual(-120);
    expect(Number(rows[0].hi)).toBeLessThanOrEqual(600);
  });

  it("a queue is never an agent; a pick-up by the queue is not the agent's answer (line 2: 0466… → queue 611 → agent 194)", async () => {
    // Call 23194,…,00:03:43,07:56:32,07:56:33,08:00:16,TerminatedBySrc,0466…,Ext.611,10000,611,611,ReplacedDst,Ext.194,194,…
    // time-answered (1 s after the start) is queue 611 taking the call, not 194 answering it: answer, wait and talk unknown.
    expect(await call("fr-dorel14", "00000172FF13E364_4449")).toMatchObject({
      direction: "inbound", status: "completed", queue: "611", agent: "194", call_answer_time: null, answer_time_known: false,
      wait_seconds: null, talk: null, ended_in: "agent", pbx_route: ["611", "194"], legs: [["194", "talk", "answered", false]],
    });
  });

  it("a caller who hangs up in a queue nobody answered is abandoned, the queue's (Call 23340: 0479… → queue 611, nothing after)", async () => {
    expect(await call("fr-dorel14", "000001730002AB8E_4634")).toMatchObject({
      direction: "inbound", status: "abandoned", queue: "611", agent: null, wait_seconds: 1, ended_in: "queue", legs: null,
    });
  });

  it("a caller who hangs up in the IVR is an IVR abandon, counted apart from every queue (Call 24634: 0609… → IVR 610, 7 minutes)", async () => {
    expect(await call("fr-dorel14", "000001730F7B98CB_6277")).toMatchObject({
      direction: "inbound", status: "abandoned", queue: null, agent: null, ended_in: "ivr", pbx_route: ["610"], legs: null,
    });
    // Queue 612 timed out to the IVR, where the caller hung up (Call 24053: 0678… → 612, QFwdToDNA → 610).
    expect(await call("fr-dorel14", "000001730992634E_5525")).toMatchObject({ status: "abandoned", queue: "612", ended_in: "ivr" });
    const db = loaded.get("fr-dorel14")!.db;
    // For queue 612 that call is offered and not answered, but not the queue's abandon.
    const q = (await db.owner.query(
      `select offered, answered, abandoned, short_abandoned, missed from analytics.queue_interval_kpis where queue = 'File Commercial' and interval_start = '2020-07-01 08:45:00+00'`,
    )).rows[0];
    // (08:45–09:00 UTC that day, queue 612: four calls offered, two answered, one short abandon, and this one.)
    expect(q).toMatchObject({ offered: 4, answered: 2, abandoned: 0, short_abandoned: 1, missed: 1 });
    const ivr = (await db.owner.query(`select sum(entered)::int as entered, sum(abandoned)::int as abandoned from analytics.ivr_daily_kpis where ivr = '610'`)).rows[0];
    const direct = (await db.owner.query(
      `select count(*)::int as n from app_public.call_center_records where ended_in = 'ivr' and call_status = 'abandoned' and pbx_route[cardinality(pbx_route)] = '610'`,
    )).rows[0].n;
    expect(ivr.abandoned).toBe(direct);
    expect(ivr.abandoned).toBeGreaterThan(0);
    expect(ivr.entered).toBeGreaterThan(ivr.abandoned);
  });

  it("the final number of a chain handles the call; agents the chain passes are credited with nothing (Call 23705: 612 → 610 → 185 → 601)", async () => {
    expect(await call("fr-dorel14", "0000017304B56F7B_5088")).toMatchObject({
      status: "completed", queue: "612", agent: "601", answer_time_known: false, transfer_count: 0,
      pbx_route: ["612", "610", "185", "601"], legs: [["601", "talk", "answered", false]],
    });
    // The Irish public sample: queue 960 polled 963 and 509 (the chain says so); without missed-queue-calls they get nothing.
    expect(await call("ie-bpmtop", "00000C21DE5C2470_6531")).toMatchObject({ queue: "960", agent: "504", legs: [["504", "talk", "answered", false]] });
  });

  it("a call pick-up (PickupExt.N) is internal, never an outbound call (Call 24753: Ext.124 picks up 610's call)", async () => {
    expect(await call("fr-dorel14", "000001730FF17B6E_6426")).toMatchObject({ direction: "internal", pbx_route: ["124", "610"] });
  });

  it("a misdial ending in EndCall is internal, never an outbound completed call (Call 23203: Ext.601 → EndCall, dialled 3400)", async () => {
    expect(await call("fr-dorel14", "00000172FF20547E_4461")).toMatchObject({ direction: "internal", ended_in: "other", legs: null });
  });

  it("a caller who cancels while it rings (Failed_Cancelled) hung up: an abandon, and the agent it rang missed it (Call 23446: 0445… → Ext.106)", async () => {
    expect(await call("fr-dorel14", "000001730081C3E1_4767")).toMatchObject({
      direction: "inbound", status: "abandoned", agent: null, wait_seconds: 10, legs: [["106", "ring", "missed", false]],
    });
  });

  it("a voicemail number is never an agent (Maldives Call 5148: Ext.334 → Ext.999 typed VMail)", async () => {
    expect(await call("mv-harish-chander", "00000C0995AD0D4B_9")).toMatchObject({ status: "voicemail", agent: null, ended_in: "voicemail" });
  });

  it("the type fields, when a feed has them, name the queue without any directory (Sweden v20: 070… → queue 80002 → agent 10013)", async () => {
    expect(await call("se-v20-dorel14", "89d3af2d8f010000_3456")).toMatchObject({
      direction: "inbound", status: "completed", queue: "80002", agent: "10013", answer_time_known: false, ended_in: "agent",
    });
  });

  it("a number the calls passed that is known nowhere is added to the directory as unknown, for an administrator", async () => {
    const { rows } = await loaded.get("fr-dorel14")!.db.owner.query(`select number, kind from app_public.pbx_numbers order by number`);
    const kinds = new Map(rows.map((r) => [r.number, r.kind]));
    expect(kinds.get("610")).toBe("ivr");
    expect(kinds.get("185")).toBe("unknown");
    expect(kinds.has("611")).toBe(false);
    // A feed typed Ivr/VMail names those numbers' kinds.
    const mv = (await loaded.get("mv-harish-chander")!.db.owner.query(`select kind from app_public.pbx_numbers where number = '999'`)).rows[0];
    expect(mv?.kind).toBe("voicemail");
  });
});

describe("the health check on a real live feed (France, with its collector's arrival stamps)", () => {
  it("finds the clock right when read as UTC, and names the type fields this 20-field feed lacks", async () => {
    const db = loaded.get("fr-dorel14")!.db;
    const feed = await readCdrFeed(db.owner);
    expect(feed.samples).toBe(50);
    // Arrival a few seconds to minutes after each call ended.
    expect(Math.abs(feed.medianOffsetSeconds!)).toBeLessThan(600);
    expect(feed.withTypeFields).toBe(0);
    const verdict = judgeCdrFeed(feed, "UTC", new Date(feed.latestReceivedAt!));
    expect(verdict.clockOk).toBe(true);
    expect(verdict.typeFieldsOk).toBe(false);
    expect(verdict.reasons.join(" ")).toMatch(/from-type.*to-type.*final-type/);
  });
  it("would have said the PBX writes another zone, had the feed been read as Paris time (the old default)", async () => {
    const db = loaded.get("fr-dorel14")!.db;
    const feed = await readCdrFeed(db.owner);
    // Read as Paris time, every record's end is two hours (CEST) earlier than read as UTC: arrival − end grows by 7,200 s.
    const misread = { ...feed, medianOffsetSeconds: feed.medianOffsetSeconds! + 7200 };
    const verdict = judgeCdrFeed(misread, "Europe/Paris", new Date(feed.latestReceivedAt!));
    expect(verdict.clockOk).toBe(false);
    expect(verdict.clockReason).toMatch(/2\.0 h behind/);
  });
});

describe("the largest real feed (France, 1,926 lines) read as UTC", () => {
  it("puts at least 95 % of its calls between 07:00 and 19:00 in the PBX's own zone (all of them between 08:00 and 19:00)", async () => {
    const db = loaded.get("fr-dorel14")!.db;
    const { rows } = await db.owner.query(`
      select count(*)::int as calls,
             count(*) filter (where extract(hour from call_start_time at time zone 'Europe/Paris') between 7 and 18)::int as in_7_19,
             count(*) filter (where extract(hour from call_start_time at time zone 'Europe/Paris') between 8 and 18)::int as in_8_19
        from app_public.call_center_records`);
    expect(rows[0].calls).toBeGreaterThan(1800);
    expect(rows[0].in_7_19 / rows[0].calls).toBeGreaterThanOrEqual(0.95);
    // Read in local time instead (the old default), 78 calls would start at 06:xx, before anyone is in.
    expect(rows[0].in_8_19).toBe(rows[0].calls);
  });

  it("its queue figures sit in the working day: every offered call in an interval between 08:00 and 19:00, the lunch hour the quietest", async () => {
    const db = loaded.get("fr-dorel14")!.db;
    const { rows } = await db.owner.query(`
      select extract(hour from interval_start at time zone 'Europe/Paris')::int as hour, sum(offered)::int as offered
        from analytics.queue_interval_kpis group by 1 order by 1`);
    const total = rows.reduce((s, r) => s + r.offered, 0);
    expect(total).toBeGreaterThan(300);
    expect(rows.filter((r) => r.hour < 8 || r.hour >= 19)).toEqual([]);
    const daytime = rows.filter((r) => r.hour >= 9 && r.hour < 17);
    const quietest = daytime.reduce((a, b) => (b.offered < a.offered ? b : a));
    expect(quietest.hour === 12 || quietest.hour === 13).toBe(true);
  });
});
