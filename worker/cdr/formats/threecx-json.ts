/**
 * 3CX CDR records as JSON objects keyed by the kebab field names (or 3CX's own
 * spellings). An empty array is an empty list of records. Later items that
 * are not objects are dead letters one by one (parseCdrJson).
 */
import { parseCdrJson } from "../threecx.js";
import { firstObject, type BodyFormat } from "./format.js";

export const threecxJson: BodyFormat = {
  name: "3cx-json",
  accepts: "JSON objects keyed by CDR field names",
  matches: (input) => input.items !== undefined && (input.items.length === 0 || firstObject(input) !== undefined),
  parse: ({ items = [] }, ctx) => parseCdrJson(items, ctx),
};
