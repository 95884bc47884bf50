/**
 * The health check and /metrics on the 3CX CDR feed: the last 50 live
 * records' end times against their arrival (a PBX writing another zone than
 * THREECX_CDR_TIMEZONE, or a wrong clock) and their type fields. Samples are
 * written straight into app_private.cdr_feed_samples, as cdr__process writes
 * them. Offset = arrival − the record's end: a Detroit PBX writing local time
 * read as UTC ends its records 4 h early (+4 h, "behind"); a Paris PBX, 2 h
 * late (−2 h, "ahead").
 */
import { Writable } from "node:stream";
import { runJobs } from "../helpers/jobs.js";
import { makeLogger } from "../../lib/logger.js";
import { ROLES } from "../../db/roles.js";
import { zoneOffsetMinutes } from "../../server/cdr-feed.js";
import { createTestDatabase, type TestDatabase } from "../helpers/db.js";
import { startTestServer, type TestServer } from "../helpers/server.js";
import { storeRaw } from "../helpers/calls.js";

interface HealthBody {
  status: string;
  reason?: string;
  reasons?: string[];
  cdrFeed?: {
    ok: boolean;
    samples: number;
    medianOffsetSeconds: number | null;
    latestReceivedAt: string | null;
    withTypeFields: number;
    clockOk: boolean | null;
    typeFieldsOk: boolean | null;
  };
}

const HOUR = 3600;
const SECRET = "cdr-webhook-secret-for-feed-tests";
let db: TestDatabase;
let server: TestServer;
let rawId: number;
const logLines: string[] = [];

async function stampHeartbeat(at = "now()") {
  const c = await db.owner.connect();
  try {
    await c.query(`set role ${ROLES.worker}`);
    await c.query(
      `insert into app_private.job_heartbeat (id, last_run_at) values (true, ${at}) on conflict (id) do update set last_run_at = excluded.last_run_at`,
    );
    await c.query("reset role");
  } finally {
    c.release();
  }
}

/**
 * Replaces the samples with these, oldest first, one a minute up to now:
 * each `[offsetSeconds, hasTypeFields]`.
 */
async function feed(samples: Array<[number, boolean]>) {
  await db.owner.query("delete from app_private.cdr_feed_samples");
  await addSamples(samples);
}

async function addSamples(samples: Array<[number, boolean]>) {
  await db.owner.query(
    `insert into app_private.cdr_feed_samples (raw_id, received_at, record_end, has_type_fields)
     select $1, now() - (($4::int - s.n) * interval '1 minute'), now() - (($4::int - s.n) * interval '1 minute') - make_interval(secs => s.offset_s), s.typed
       from unnest($2::float8[], $3::boolean[]) with ordinality as s(offset_s, typed, n)
      order by s.n`,
    [rawId, samples.map((s) => s[0]), samples.map((s) => s[1]), samples.length],
  );
}

const times = <T>(n: number, value: T): T[] => Array.from({ length: n }, () => value);

async function health(target = server) {
  const res = await fetch(`${target.url}/api/processing/health-check`);
  return { status: res.status, body: (await res.json()) as HealthBody };
}

async function metric(name: string): Promise<number> {
  const text = await (await fetch(`${server.url}/metrics`)).text();
  const line = text.split("\n").find((l) => l.startsWith(`${name} `));
  if (!line) throw new Error(`${name} not in /metrics`);
  return Number(line.slice(name.length + 1));
}

beforeAll(async () => {
  db = await createTestDatabase();
  const sink = new Writable({
    write(chunk, _enc, cb) {
      logLines.push(chunk.toString());
      cb();
    },
  });
  server = await startTestServer(db.authenticatorUrl, { logger: makeLogger("info", sink), env: { THREECX_CDR_WEBHOOK_SECRET: SECRET } });
  // A live raw body for the samples to point at (its job is never run here: no worker).
  rawId = await storeRaw(db.owner, "x\r\n");
});
afterAll(async () => {
  await server.close();
  await db.drop();
});
beforeEach(() => stampHeartbeat());

describe("the CDR feed in the health check", () => {
  it("is ok with no live records yet, and says so in cdrFeed", async () => {
    await feed([]);
    const res = await health();
    expect(res.status).toBe(200);
    expect(res.body.status).toBe("ok");
    expect(res.body.reasons).toBeUndefined();
    expect(res.body.cdrFeed).toMatchObject({ ok: true, samples: 0, medianOffsetSeconds: null, clockOk: null, typeFieldsOk: null });
  });

  it("is ok for a sound feed: records arriving seconds after the call ends, with type fields", async () => {
    await feed(times(60, [5, true]));
    const res = await health();
    expect(res.status).toBe(200);
    expect(res.body.status).toBe("ok");
    expect(res.body.cdrFeed).toMatchObject({ ok: true, samples: 50, withTypeFields: 50, clockOk: true, typeFieldsOk: true });
    expect(res.body.cdrFeed?.medianOffsetSeconds).toBeCloseTo(5, 3);
  });

  it("is degraded when records end 4 h after they arrive (read 4 h late: a PBX at UTC+04:00 writing local time)", async () => {
    await feed(times(50, [-4 * HOUR, true]));
    const res = await health();
    expect(res.status).toBe(200);
    expect(res.body.status).toBe("degraded");
    expect(res.body.reasons).toEqual([
      "3CX CDR times are 4.0 h ahead of their arrival (median of the last 50 live records): the PBX writes a zone other than " +
        "THREECX_CDR_TIMEZONE=UTC (these times fit a PBX writing UTC+04:00), or its clock is wrong; " +
        "set THREECX_CDR_TIMEZONE and re-read stored calls with npm run cdr:reprocess",
    ]);
    expect(res.body.cdrFeed).toMatchObject({ ok: false, clockOk: false, typeFieldsOk: true });
    expect(res.body.cdrFeed?.medianOffsetSeconds).toBeCloseTo(-4 * HOUR, 3);
  });

  it("tells a Detroit PBX writing local time (4 h behind) from a Paris one (2 h ahead), by the median", async () => {
    // A few records late or early do not move the median.
    await feed([...times(30, [4 * HOUR + 3, true] as [number, boolean]), ...times(20, [4, true] as [number, boolean])]);
    let res = await health();
    expect(res.body.status).toBe("degraded");
    expect(res.body.reasons?.[0]).toMatch(/^3CX CDR times are 4\.0 h behind their arrival .*fit a PBX writing UTC-04:00\)/);

    await feed(times(50, [-2 * HOUR + 7, true]));
    res = await health();
    expect(res.body.reasons?.[0]).toMatch(/^3CX CDR times are 2\.0 h ahead of their arrival .*fit a PBX writing UTC\+02:00\)/);

    // Rounded to the quarter hour: India writes UTC+05:30.
    await feed(times(50, [-5.5 * HOUR + 6, true]));
    res = await health();
    expect(res.body.reasons?.[0]).toMatch(/^3CX CDR times are 5\.5 h ahead of their arrival .*fit a PBX writing UTC\+05:30\)/);
  });

  it("blames the clock or a backfill, not a zone, for an offset no zone explains", async () => {
    await feed(times(50, [3 * 24 * HOUR, true]));
    const res = await health();
    expect(res.body.status).toBe("degraded");
    expect(res.body.reasons).toEqual([
      "3CX CDR times are 72.0 h behind their arrival (median of the last 50 live records), more than any time zone explains " +
        "(THREECX_CDR_TIMEZONE=UTC): the PBX's clock is wrong, or old records were sent as live ones (send history with npm run cdr:import)",
    ]);
    // UTC+14:00 (Kiribati) is still a zone.
    await feed(times(50, [-14 * HOUR, true]));
    expect((await health()).body.reasons?.[0]).toMatch(/14\.0 h ahead of their arrival .*fit a PBX writing UTC\+14:00\)/);
  });

  it("names the configured zone, and the zone that fits, when THREECX_CDR_TIMEZONE is not UTC", async () => {
    const detroit = await startTestServer(db.authenticatorUrl, { env: { THREECX_CDR_TIMEZONE: "America/Detroit" } });
    try {
      // A PBX writing UTC read as Detroit time: records end 4 or 5 h (by the season) after they arrive.
      const minutes = zoneOffsetMinutes("America/Detroit", new Date());
      await feed(times(50, [minutes * 60 + 5, true]));
      const res = await health(detroit);
      expect(res.body.status).toBe("degraded");
      expect(res.body.reasons?.[0]).toContain(
        `${(-minutes / 60).toFixed(1)} h ahead of their arrival (median of the last 50 live records): the PBX writes a zone other than ` +
          "THREECX_CDR_TIMEZONE=America/Detroit (these times fit a PBX writing UTC), or its clock is wrong",
      );
    } finally {
      await detroit.close();
    }
  });

  it("allows ±10 minutes of delay and clock drift", async () => {
    await feed(times(50, [599, true]));
    expect((await health()).body.status).toBe("ok");
    await feed(times(50, [-599, true]));
    expect((await health()).body.status).toBe("ok");
    await feed(times(50, [601, true]));
    const res = await health();
    expect(res.body.status).toBe("degraded");
    expect(res.body.reasons?.[0]).toMatch(/^3CX CDR times are 0\.25 h behind their arrival/);
  });

  it("says nothing about clock or type fields from fewer than 10 records", async () => {
    await feed(times(9, [4 * HOUR, false]));
    const res = await health();
    expect(res.status).toBe(200);
    expect(res.body.status).toBe("ok");
    expect(res.body.reasons).toBeUndefined();
    expect(res.body.cdrFeed).toMatchObject({ ok: true, samples: 9, clockOk: null, typeFieldsOk: null });
    expect(res.body.cdrFeed?.medianOffsetSeconds).toBeCloseTo(4 * HOUR, 3);
  });

  it("is degraded, naming the fields to enable, when none of the last 50 records has type fields", async () => {
    await feed([...times(10, [5, true] as [number, boolean]), ...times(50, [5, false] as [number, boolean])]);
    const res = await health();
    expect(res.status).toBe(200);
    expect(res.body.status).toBe("degraded");
    expect(res.body.reasons).toHaveLength(1);
    const reason = res.body.reasons![0]!;
    for (const field of ["from-type", "to-type", "final-type", "missed-queue-calls", "THREECX_CDR_FIELDS"]) expect(reason).toContain(field);
    expect(reason).toContain("queues, IVRs and ring groups are known only from the PBX directory (pbxNumbers, queues, agents)");
    expect(res.body.cdrFeed).toMatchObject({ ok: false, samples: 50, withTypeFields: 0, clockOk: true, typeFieldsOk: false });
  });

  it("has no type-field reason when one of the last 50 records carries them", async () => {
    await feed([...times(25, [5, false] as [number, boolean]), [5, true], ...times(24, [5, false] as [number, boolean])]);
    const res = await health();
    expect(res.body.status).toBe("ok");
    expect(res.body.cdrFeed).toMatchObject({ withTypeFields: 1, typeFieldsOk: true });
  });

  it("gives both reasons at once", async () => {
    await feed(times(50, [2 * HOUR, false]));
    const res = await health();
    expect(res.body.status).toBe("degraded");
    expect(res.body.reasons).toHaveLength(2);
    expect(res.body.reasons?.[0]).toMatch(/^3CX CDR times are 2\.0 h behind/);
    expect(res.body.reasons?.[1]).toMatch(/no type fields/);
  });

  it("reads only the last 50 records: a fixed PBX is ok again once 50 sound records arrive", async () => {
    await feed(times(100, [4 * HOUR, false]));
    expect((await health()).body.status).toBe("degraded");
    // 24 sound of the last 50: the median is still the bad records'.
    await addSamples(times(24, [5, true]));
    const before = await health();
    expect(before.body.reasons).toHaveLength(1);
    expect(before.body.reasons?.[0]).toMatch(/4\.0 h behind/);
    // 26 sound of the last 50 (of 126): the 100 bad ones before them no longer count.
    await addSamples(times(2, [5, true]));
    const res = await health();
    expect(res.body.status).toBe("ok");
    expect(res.body.cdrFeed?.medianOffsetSeconds).toBeCloseTo(5, 3);
  });

  it("logs the clock reason once when it appears and once when it clears, not on every request", async () => {
    await feed(times(50, [5, true]));
    await health();
    logLines.length = 0;
    await feed(times(50, [4 * HOUR, true]));
    for (let i = 0; i < 3; i++) await health();
    await feed(times(50, [5, true]));
    for (let i = 0; i < 2; i++) await health();
    const feedLogs = logLines.map((l) => JSON.parse(l) as { level: number; msg: string }).filter((l) => /3CX CDR times/.test(l.msg));
    expect(feedLogs).toHaveLength(2);
    expect(feedLogs[0]).toMatchObject({ level: 40 });
    expect(feedLogs[0]!.msg).toMatch(/^3CX CDR times are 4\.0 h behind their arrival/);
    expect(feedLogs[1]).toMatchObject({ level: 30, msg: "3CX CDR times agree with their arrival again (median offset within 10 minutes)" });
  });

  it("stays 503 for a stalled worker, with the feed's reasons beside it", async () => {
    await feed(times(50, [4 * HOUR, true]));
    await stampHeartbeat("now() - interval '10 minutes'");
    const res = await health();
    expect(res.status).toBe(503);
    expect(res.body.status).toBe("unavailable");
    expect(res.body.reason).toMatch(/^jobs stalled/);
    expect(res.body.reasons?.[0]).toMatch(/^3CX CDR times are 4\.0 h behind/);
  });
});

describe("the CDR feed in /metrics", () => {
  it("has no values (NaN) before any live record", async () => {
    await feed([]);
    expect(await metric("cdr_feed_samples")).toBe(0);
    expect(await metric("cdr_feed_clock_offset_seconds")).toBeNaN();
    expect(await metric("cdr_feed_type_fields_ratio")).toBeNaN();
  });

  it("gives the median offset and the type-field share of the last 50 live records, read afresh on every scrape", async () => {
    await feed([...times(20, [5, false] as [number, boolean]), ...times(30, [9, false] as [number, boolean]), ...times(20, [7, true] as [number, boolean])]);
    // Last 50: 30 at 9 s and 20 at 7 s (with type fields).
    expect(await metric("cdr_feed_samples")).toBe(50);
    expect(await metric("cdr_feed_clock_offset_seconds")).toBeCloseTo(9, 3);
    expect(await metric("cdr_feed_type_fields_ratio")).toBeCloseTo(0.4, 6);

    await feed(times(50, [-2 * HOUR, true]));
    expect(await metric("cdr_feed_clock_offset_seconds")).toBeCloseTo(-7200, 3);
    expect(await metric("cdr_feed_type_fields_ratio")).toBe(1);
  });
});

describe("from 3CX lines to the health check, through the webhook and the worker", () => {
  const work = () =>
    runJobs(db);
  /** 3CX's `YYYY/MM/DD HH:MM:SS` of an instant in a zone. */
  const threeCxTime = (at: Date, timeZone: string) => {
    const p = Object.fromEntries(
      new Intl.DateTimeFormat("en-US", { timeZone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit" })
        .formatToParts(at)
        .map((x) => [x.type, x.value]),
    );
    return `${p.year}/${p.month}/${p.day} ${p.hour}:${p.minute}:${p.second}`;
  };
  /** n answered queue calls that ended seconds ago, written in `timeZone`, with or without the type fields (27 fields). */
  const lines = (n: number, timeZone: string, typeFields: boolean, first: number) =>
    Array.from({ length: n }, (_, i) => {
      const end = new Date(Date.now() - 5000);
      const start = new Date(end.getTime() - 337_000);
      const types = typeFields ? "Line,Queue,Extension" : ",,";
      return (
        `Call ${first + i},00000C21DE5C${first + i}_6531,00:05:37,${threeCxTime(start, timeZone)},${threeCxTime(start, timeZone)},${threeCxTime(end, timeZone)},` +
        `TerminatedBySrc,+17345550123,Ext.960,10021,960,960,QFwdToDNA,Ext.504,504,,,,,Chain: +17345550123'Ext.960;Ext.504;,${types},Caller,Front desk,Agent 504,\r\n`
      );
    }).join("");
  const post = (body: string) =>
    fetch(`${server.url}/api/3cx/cdr-webhook`, { method: "POST", headers: { "content-type": "text/plain", authorization: `Bearer ${SECRET}` }, body });

  it("a PBX writing Detroit local time, read as UTC: degraded, N h behind, fitting Detroit's offset", async () => {
    await feed([]);
    expect((await post(lines(12, "America/Detroit", true, 7_100_000))).status).toBe(202);
    await work();
    await stampHeartbeat();
    const detroitHours = -zoneOffsetMinutes("America/Detroit", new Date()) / 60;
    const res = await health();
    expect(res.body.cdrFeed).toMatchObject({ samples: 12, withTypeFields: 12, clockOk: false, typeFieldsOk: true });
    expect(res.body.reasons).toEqual([
      `3CX CDR times are ${detroitHours.toFixed(1)} h behind their arrival (median of the last 12 live records): the PBX writes a zone other than ` +
        `THREECX_CDR_TIMEZONE=UTC (these times fit a PBX writing UTC-0${detroitHours}:00), or its clock is wrong; ` +
        "set THREECX_CDR_TIMEZONE and re-read stored calls with npm run cdr:reprocess",
    ]);
  });

  it("a PBX writing UTC as 3CX does, without type fields: the clock is fine, the type fields are missing", async () => {
    await feed([]);
    expect((await post(lines(12, "UTC", false, 7_200_000))).status).toBe(202);
    await work();
    await stampHeartbeat();
    const res = await health();
    expect(res.body.cdrFeed).toMatchObject({ samples: 12, withTypeFields: 0, clockOk: true, typeFieldsOk: false });
    // Arrival a few seconds after the records' end (5 s before the post, plus the trip).
    expect(res.body.cdrFeed?.medianOffsetSeconds).toBeGreaterThan(4);
    expect(res.body.cdrFeed?.medianOffsetSeconds).toBeLessThan(60);
    expect(res.body.reasons).toHaveLength(1);
    expect(res.body.reasons?.[0]).toMatch(/^3CX CDR records carry no type fields \(none of the last 12 live records\)/);
  });

  it("backfills (cdr:import) are not samples", async () => {
    await feed([]);
    await storeRaw(db.owner, lines(12, "America/Detroit", false, 7_300_000), "text/plain", "import");
    await work();
    expect(Number((await db.owner.query("select count(*) from app_private.cdr_feed_samples")).rows[0].count)).toBe(0);
    expect(Number((await db.owner.query("select count(*) from app_public.call_center_records where call_id like '00000C21DE5C73%'")).rows[0].count)).toBe(12);
  });
});
