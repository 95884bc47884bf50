/**
 * A raw body → calls and dead letters. The formats are a list
 * (formats/index.ts), tried in order: 3CX CDR lines (text/*,
 * application/octet-stream or no content type); JSON objects with
 * "format": "call" (the neutral format); JSON with a CallType key (a 3CX
 * ReportCall post); other JSON objects (CDR records keyed by the kebab field
 * names). JSON is one object or an array. A body that no format takes (another
 * content type, a JSON scalar or an array of scalars) is one dead letter that
 * names the formats tried. With ctx.window, a record whose times fall outside
 * it is a dead letter, in every format.
 */
import type { Rejection } from "./normalised-call.js";
import { bodyFormats, type BodyFormat, type BodyInput, type ParsedBody } from "./formats/index.js";
import type { ThreeCxContext } from "./threecx.js";

export type { ParsedBody } from "./formats/index.js";

/** The dead letter of a body that no format takes. */
export function noFormatRejection(input: BodyInput, formats: readonly BodyFormat[]): Rejection {
  const tried = formats.map((f) => `${f.name} (${f.accepts})`).join(", ");
  const what = input.items === undefined ? `content type ${input.contentType ? `"${input.contentType.slice(0, 200)}"` : "none"}` : "JSON of no known shape";
  return { lineNumber: null, line: input.body, field: "body", reason: `no known body format (${what}): tried ${tried}` };
}

export function parseBody(body: Buffer, contentType: string | null, ctx: ThreeCxContext, formats: readonly BodyFormat[] = bodyFormats): ParsedBody {
  const input: BodyInput = { body, contentType: (contentType ?? "").trim().toLowerCase() };
  if (input.contentType.includes("json")) {
    let json: unknown;
    try {
      json = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(body));
    } catch (e) {
      return { calls: [], rejections: [{ lineNumber: null, line: body, field: "body", reason: `not valid JSON: ${(e as Error).message}` }] };
    }
    input.items = Array.isArray(json) ? json : [json];
  }
  const format = formats.find((f) => f.matches(input));
  return format ? format.parse(input, ctx) : { calls: [], rejections: [noFormatRejection(input, formats)] };
}
