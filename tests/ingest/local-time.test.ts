/** 3CX local times: the fall-back hour resolved by duration, the spring-forward gap and impossible dates refused. */
import { localCandidates, parseDuration, parseLocalTime } from "../../worker/cdr/local-time.js";

const TZ = "America/Detroit";

it("reads an ordinary local time (EST, UTC−5)", () => {
  expect(new Date(parseLocalTime("2026/01/15 09:30:00", TZ)).toISOString()).toBe("2026-01-15T14:30:00.000Z");
});
it("reads summer time (EDT, UTC−4)", () => {
  expect(new Date(parseLocalTime("2026/07/15 09:30:00", TZ)).toISOString()).toBe("2026-07-15T13:30:00.000Z");
});
it("sees two meanings in the fall-back hour (2026-11-01 01:30 happens twice)", () => {
  expect(localCandidates("2026/11/01 01:30:00", TZ).map((t) => new Date(t).toISOString())).toEqual(["2026-11-01T05:30:00.000Z", "2026-11-01T06:30:00.000Z"]);
});
it("picks the meaning that fits the record's duration", () => {
  // The call ended at 01:10 after the change (06:10Z) and lasted 5 minutes: it started 01:05 EST (06:05Z), not EDT.
  const end = parseLocalTime("2026/11/01 01:10:00", TZ, Date.parse("2026-11-01T06:05:00Z") + 300_000);
  expect(new Date(end).toISOString()).toBe("2026-11-01T06:10:00.000Z");
  expect(new Date(parseLocalTime("2026/11/01 01:05:00", TZ, end - 300_000)).toISOString()).toBe("2026-11-01T06:05:00.000Z");
});
it("refuses a time in the spring-forward gap (2026-03-08 02:30 never happens)", () => {
  expect(() => parseLocalTime("2026/03/08 02:30:00", TZ)).toThrow(/daylight-saving gap/);
});
it("refuses impossible dates and other shapes", () => {
  expect(() => parseLocalTime("2026/02/30 10:00:00", TZ)).toThrow(/not a real date/);
  expect(() => parseLocalTime("2026-02-10 10:00:00", TZ)).toThrow(/YYYY\/MM\/DD/);
  expect(() => parseLocalTime("2026/02/10 25:00:00", TZ)).toThrow(/not a real date/);
});
it("reads HH:MM:SS durations", () => {
  expect(parseDuration("00:05:36")).toBe(336);
  expect(parseDuration("26:00:01")).toBe(93601);
  expect(() => parseDuration("5:99:00")).toThrow(/HH:MM:SS/);
});
