/** Our PBX-neutral call format (docs/call-format.md). */
import { parseNeutral } from "../neutral.js";
import { firstObject, type BodyFormat } from "./format.js";

export const neutral: BodyFormat = {
  name: "neutral",
  accepts: 'JSON with "format": "call"',
  matches: (input) => firstObject(input)?.format === "call",
  parse: ({ items = [] }, ctx) => parseNeutral(items, ctx.window),
};
