/** 3CX CDR lines (the socket's stream, or the same lines posted): text, or bytes of no declared kind. */
import { parseCdrLines } from "../threecx.js";
import type { BodyFormat } from "./format.js";

export const threecxLines: BodyFormat = {
  name: "3cx-lines",
  accepts: "text/*, application/octet-stream or no content type",
  // A JSON content type (even text/json) is read as JSON: items is set for it.
  matches: ({ contentType, items }) =>
    items === undefined && (contentType === "" || contentType.startsWith("text/") || contentType.startsWith("application/octet-stream")),
  parse: ({ body }, ctx) => parseCdrLines(body, ctx),
};
