/** A 3CX CRM-integration ReportCall post (docs/3cx-setup.md section 3). */
import { parseReportCalls } from "../reportcall.js";
import { firstObject, type BodyFormat } from "./format.js";

export const reportCall: BodyFormat = {
  name: "reportcall",
  accepts: "JSON with a CallType key",
  matches: (input) => {
    const first = firstObject(input);
    return first !== undefined && "CallType" in first;
  },
  parse: ({ items = [] }, ctx) => ({ calls: [], ...parseReportCalls(items, ctx.window) }),
};
