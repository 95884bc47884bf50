/**
 * A raw body → calls and dead letters, by content: text/* is 3CX CDR lines;
 * JSON objects with "format": "call" are the neutral format; JSON with a
 * CallType key is a 3CX ReportCall post; other JSON is CDR records keyed by
 * the kebab field names. One object or an array. With ctx.window, a record
 * whose times fall outside it is a dead letter, in every format.
 */
import type { NormalisedCall, Rejection } from "./normalised-call.js";
import { parseNeutral } from "./neutral.js";
import { parseReportCalls, type ReportCall } from "./reportcall.js";
import { parseCdrJson, parseCdrLines, type FeedSample, type ThreeCxContext } from "./threecx.js";

export interface ParsedBody {
  calls: NormalisedCall[];
  rejections: Rejection[];
  reportCalls?: ReportCall[];
  /** 3CX records only: each record's end and whether it had type fields (the health check's feed tests). */
  samples?: FeedSample[];
}

export function parseBody(body: Buffer, contentType: string | null, ctx: ThreeCxContext): ParsedBody {
  const type = (contentType ?? "").toLowerCase();
  if (!type.includes("json")) return parseCdrLines(body, ctx);
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(body));
  } catch (e) {
    return { calls: [], rejections: [{ lineNumber: null, line: body, field: "body", reason: `not valid JSON: ${(e as Error).message}` }] };
  }
  const items = Array.isArray(json) ? json : [json];
  const first = items[0] as Record<string, unknown> | undefined;
  if (first && typeof first === "object" && first.format === "call") return parseNeutral(items, ctx.window);
  if (first && typeof first === "object" && "CallType" in first) return { calls: [], ...parseReportCalls(items, ctx.window) };
  return parseCdrJson(items, ctx);
}
