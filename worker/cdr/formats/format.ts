/** What a body format is: see index.ts for the list, and parse-body.ts for how it is walked. */
import type { NormalisedCall, Rejection } from "../normalised-call.js";
import type { ReportCall } from "../reportcall.js";
import type { FeedSample, ThreeCxContext } from "../threecx.js";

export interface ParsedBody {
  calls: NormalisedCall[];
  rejections: Rejection[];
  reportCalls?: ReportCall[];
  /** 3CX records only: each record's end and whether it had type fields (the health check's feed tests). */
  samples?: FeedSample[];
}

/** A stored raw body as the formats see it. */
export interface BodyInput {
  body: Buffer;
  /** The stored content type, lower-cased; "" when there is none. */
  contentType: string;
  /** With a JSON content type, the decoded body as a list of items (one object or scalar → a list of one). */
  items?: unknown[];
}

export interface BodyFormat {
  /** Short and stable: it appears in the dead letter of a body no format takes. */
  name: string;
  /** What the format takes, in words, for that dead letter. */
  accepts: string;
  matches(input: BodyInput): boolean;
  parse(input: BodyInput, ctx: ThreeCxContext): ParsedBody;
}

/** The first item of a JSON body, when it is an object (not null, not an array). */
export function firstObject(input: BodyInput): Record<string, unknown> | undefined {
  const first = input.items?.[0];
  return typeof first === "object" && first !== null && !Array.isArray(first) ? (first as Record<string, unknown>) : undefined;
}
