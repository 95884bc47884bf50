/**
 * What makes a 3CX record a call: a start, a caller or callee, and an
 * identity (callid, else historyid, else a stable hash of start, from, to and
 * dialled number: some field sets, such as v20's "Call-Flow" set, carry
 * neither id). Anything less is a dead letter naming what is missing. No
 * public line lacks both ids, so these lines are ours, cut from real ones.
 */
import { parseCdrLines } from "../../worker/cdr/threecx.js";
import { parseCdrFieldList } from "../../lib/cdr-fields.js";

const TWENTY = parseCdrFieldList("historyid,callid,duration,time_start,time_answered,time_end,reason_terminated,from_no,to_no,from_dn,to_dn,dial_no,reason_changed,final_number,final_dn,bill_code,bill_rate,bill_cost,bill_name,chain");
const ctx = { fields: TWENTY, timeZone: "UTC", directory: new Map([["611", "queue" as const]]) };
// A real French line (fr-dorel14, Call 23194), masked.
const REAL = "Call 23194,00000172FF13E364_4449,00:03:43,2020/06/29 07:56:32,2020/06/29 07:56:33,2020/06/29 08:00:16,TerminatedBySrc,0466452265,Ext.611,10000,611,611,ReplacedDst,Ext.194,194,,,,,Chain: 0466452265;Ext.611;Ext.194;";
const parse = (line: string) => parseCdrLines(Buffer.from(line + "\r\n"), ctx);

describe("a record's identity", () => {
  it("is its callid", () => {
    expect(parse(REAL).calls[0]!.call_id).toBe("00000172FF13E364_4449");
  });
  it("else its historyid", () => {
    expect(parse(REAL.replace("00000172FF13E364_4449", "")).calls[0]!.call_id).toBe("history:23194");
  });
  it("else a stable hash of start, from, to and dialled number: the same record twice is one call, another record another", () => {
    const noIds = REAL.replace("Call 23194,00000172FF13E364_4449,", "Call ,,");
    const a = parse(noIds).calls[0]!.call_id;
    expect(a).toMatch(/^cdr:[0-9a-f]{32}$/);
    expect(parse(noIds).calls[0]!.call_id).toBe(a);
    // Another end time (a re-sent record with a later end) is the same call; another caller is not.
    expect(parse(noIds.replace("2020/06/29 08:00:16", "2020/06/29 08:00:20")).calls[0]!.call_id).toBe(a);
    expect(parse(noIds.replace(/0466452265/g, "0466452266")).calls[0]!.call_id).not.toBe(a);
  });
});

describe("a record that cannot be a call is a dead letter naming what is missing", () => {
  it("a line cut after its fourth field: no caller, no callee", () => {
    const { calls, rejections } = parse("Call 23194,00000172FF13E364_4449,00:03:43,2020/06/29 07:56:32");
    expect(calls).toEqual([]);
    expect(rejections).toMatchObject([{ field: "from-no", reason: expect.stringMatching(/from-no and to-no are both missing/) }]);
  });
  it("no start", () => {
    const { rejections } = parse(REAL.replace("2020/06/29 07:56:32", ""));
    expect(rejections).toMatchObject([{ field: "time-start", reason: "time-start is missing" }]);
  });
  it("a caller without a callee is still a call (an outside caller who reached nobody)", () => {
    expect(parse(REAL.replace(",Ext.611,", ",,")).rejections).toEqual([]);
  });
});

describe("THREECX_CDR_FIELDS", () => {
  it("accepts 3CX's own spellings and ours, and names every unknown field", () => {
    expect(TWENTY.slice(0, 4)).toEqual(["history-id", "call-id", "duration", "time-start"]);
    expect(parseCdrFieldList("history-id,call-id,from-no")).toEqual(["history-id", "call-id", "from-no"]);
    expect(() => parseCdrFieldList("historyid,callid,bogus,time_strat")).toThrow(/unknown CDR fields: bogus, time_strat/);
    expect(() => parseCdrFieldList("historyid,history-id")).toThrow(/listed twice: history-id/);
  });
});
