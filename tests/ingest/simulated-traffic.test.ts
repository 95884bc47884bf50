/**
 * A simulated day of the practice's traffic, sent the way a site would send
 * it, must come out of ingestion exactly as the simulator's answer key says:
 * every call with its status, queue, agents, transfers and wait; every
 * malformed record a dead letter naming the field. Once per transport and
 * format: the webhook (3CX v20 lines, ReportCall posts beside them, the
 * neutral format) and the active socket (3CX v18 lines), with a site's own
 * field order.
 */
import { DEFAULT_CDR_FIELDS } from "../../lib/env.js";

// A site that configured its CDR fields in its own order (and left two out); the worker reads this once.
const SITE_FIELDS = (() => {
  const all = DEFAULT_CDR_FIELDS.split(",").filter((f) => f !== "bill-rate" && f !== "bill-cost");
  const [first, ...rest] = all;
  return [...rest.reverse(), first!].join(",");
})();
process.env.THREECX_CDR_FIELDS = SITE_FIELDS;

const { createTestDatabase, testPhiSettings } = await import("../helpers/db.js");
const { startTestServer } = await import("../helpers/server.js");
const { noPendingRaw, runJobsUntil } = await import("../helpers/jobs.js");
const { applySettings } = await import("../../db/pg-settings.js");
const { installPracticeDirectory } = await import("../../simulator/practice.js");
const { simulate } = await import("../../simulator/simulation.js");
const { compareWithAnswerKey } = await import("../../simulator/answer-key-check.js");
const { SocketSink, WebhookSink } = await import("../../simulator/sinks.js");
type SimFormat = import("../../simulator/render.js").SimFormat;

const SECRET = "simulated-traffic-webhook-secret";

function simulatedDay(format: SimFormat, seed: number) {
  const [day] = simulate({
    seed, start: "2026-03-10", days: 1, format, fields: SITE_FIELDS.split(","), timeZone: "America/Detroit", volume: 250, malformedRate: 0.01,
  });
  return day!;
}

async function ingest(format: SimFormat, to: "webhook" | "socket", seed: number) {
  const db = await createTestDatabase();
  const client = await db.owner.connect();
  try {
    await installPracticeDirectory(client);
    const server = await startTestServer(db.authenticatorUrl, {
      env: { THREECX_CDR_WEBHOOK_SECRET: SECRET, THREECX_CDR_FIELDS: SITE_FIELDS, THREECX_CDR_SOCKET_PORT: "0", THREECX_CDR_SOCKET_ALLOW: "127.0.0.1/32,::1/128" },
    });
    const day = simulatedDay(format, seed);
    try {
      const sink = to === "webhook" ? new WebhookSink(`${server.url}/api/3cx/cdr-webhook`, SECRET, 50) : new SocketSink("127.0.0.1", server.app.cdrSocket!.port, 25);
      await sink.send(day.records);
    } finally {
      await server.close();
    }
    await runJobsUntil(db, noPendingRaw(db), { what: "the day's raw bodies" });
    await client.query("begin");
    await applySettings(client, testPhiSettings(), { local: true });
    const problems = await compareWithAnswerKey(client, day.key);
    await client.query("commit");
    const counts = (await client.query(
      `select sum(calls_new)::int as new, sum(calls_updated)::int as updated, sum(calls_duplicate)::int as duplicate, sum(records_rejected)::int as rejected,
              count(*) filter (where status = 'pending')::int as pending from app_private.cdr_raw`,
    )).rows[0];
    return { day, problems, counts };
  } finally {
    client.release();
    await db.drop();
  }
}

const kinds = (day: ReturnType<typeof simulatedDay>) => {
  const seen: Record<string, number> = {};
  for (const e of day.key) {
    const k = "malformed" in e ? "malformed" : `${e.kind}:${e.status}`;
    seen[k] = (seen[k] ?? 0) + 1;
  }
  return seen;
};

describe("a simulated day, ingested, matches the answer key exactly", () => {
  it("covers every kind of call the practice has (so the comparisons below mean something)", () => {
    const seen = kinds(simulatedDay("3cx-v20", 7));
    for (const k of ["queue:completed", "queue:transferred", "queue:abandoned", "after_hours:voicemail", "direct:completed", "direct:abandoned",
      "outbound:completed", "outbound:missed", "internal:completed", "malformed"]) {
      expect([k, seen[k] ?? 0]).toEqual([k, expect.any(Number)]);
      expect(seen[k]).toBeGreaterThan(0);
    }
  });

  it("is the same traffic for the same seed, and different for another", () => {
    const a = simulatedDay("3cx-v20", 7).records.map((r) => r.text);
    expect(simulatedDay("3cx-v20", 7).records.map((r) => r.text)).toEqual(a);
    expect(simulatedDay("3cx-v20", 8).records.map((r) => r.text)).not.toEqual(a);
  });

  it.each([
    ["3cx-v20" as const, "webhook" as const],
    ["3cx-v18" as const, "socket" as const],
    ["reportcall" as const, "webhook" as const],
    ["neutral" as const, "webhook" as const],
  ])("%s through the %s", async (format, to) => {
    const { day, problems, counts } = await ingest(format, to, 7);
    expect(problems).toEqual([]);
    const calls = day.key.filter((e) => !("malformed" in e)).length;
    const malformed = day.key.length - calls;
    expect(counts.pending).toBe(0);
    expect(counts.new).toBe(calls);
    expect(counts.rejected).toBe(malformed);
    expect(counts.duplicate).toBe(0);
  });
});
