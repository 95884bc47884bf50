/**
 * The campaign code an agent dials with an outbound call (3CX's billing code,
 * e.g. **RECALL; campaign_code in the neutral format) reaches the call
 * (call_center_records.campaign_code, upper case without the prefix), where
 * campaign attribution reads it. A code that cannot be a campaign's is left
 * out: it never costs the call.
 */
import { createTestDatabase, type TestDatabase } from "../helpers/db.js";
import { one } from "../helpers/query.js";
import { parseCdrJson } from "../../worker/cdr/threecx.js";
import { parseNeutral } from "../../worker/cdr/neutral.js";
import { testEnv } from "../helpers/server.js";

const ctx = { fields: testEnv().THREECX_CDR_FIELDS.split(","), timeZone: "UTC" };
const outbound = (extra: Record<string, string>) => ({
  "history-id": "1", "call-id": "77", "time-start": "2026/03/10 15:00:00", "time-answered": "2026/03/10 15:00:10", "time-end": "2026/03/10 15:01:00",
  "reason-terminated": "TerminatedByDst", "from-no": "Ext.101", "from-dn": "101", "from-type": "Extension", "to-no": "+17345550101", "dial-no": "+17345550101",
  "to-type": "Line", "final-number": "+17345550101", "final-type": "Line", chain: "Chain: Ext.101;+17345550101;", ...extra,
});

describe("parsers", () => {
  it("3CX: an outbound call's billing code is its campaign code; an inbound call's is not", () => {
    const { calls, rejections } = parseCdrJson([outbound({ "bill-code": "**RECALL" })], ctx);
    expect(rejections).toEqual([]);
    expect([calls[0]!.direction, calls[0]!.campaign_code]).toEqual(["outbound", "**RECALL"]);
    const inbound = parseCdrJson([{ ...outbound({ "bill-code": "**RECALL" }), "from-no": "+17345550101", "from-dn": "", "from-type": "Line",
      "to-no": "Ext.101", "to-dn": "101", "to-type": "Extension", "dial-no": "101", "final-number": "Ext.101", "final-type": "Extension", chain: "" }], ctx);
    expect([inbound.calls[0]!.direction, inbound.calls[0]!.campaign_code]).toEqual(["inbound", undefined]);
    expect(parseCdrJson([outbound({})], ctx).calls[0]!.campaign_code).toBeUndefined();
  });

  it("the neutral format carries campaign_code", () => {
    const { calls } = parseNeutral([{ format: "call", call_id: "n1", direction: "outbound", caller_number: "+17345550101", start: "2026-03-10T15:00:00Z",
      end: "2026-03-10T15:01:00Z", ended_by: "agent", campaign_code: "recall", legs: [] }]);
    expect(calls[0]!.campaign_code).toBe("recall");
  });
});

describe("ingestion", () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => db.drop());

  it("keeps the code upper case without its prefix, and leaves out one that cannot be a campaign's without refusing the call", async () => {
    const calls = [["c1", "**recall"], ["c2", "re-call!"], ["c3", ""]].map(([id, code]) => ({
      call_id: id, direction: "outbound", caller_number: "+17345550101", caller_name: null, called_number: "+17345550101", queue_extension: null,
      start: "2026-03-10T15:00:00Z", end: "2026-03-10T15:01:00Z", ended_by: "agent", voicemail: false, campaign_code: code, legs: [],
    }));
    const { rows } = await db.owner.query("select outcome from app_private.ingest_calls($1::jsonb)", [JSON.stringify(calls)]);
    expect(rows.map((r) => r.outcome)).toEqual(["new", "new", "new"]);
    expect(await one(db.owner, "select array_agg(campaign_code order by call_id) as codes from app_public.call_center_records")).toEqual({ codes: ["RECALL", null, null] });
  });
});
