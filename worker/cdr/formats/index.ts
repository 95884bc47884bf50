/**
 * The body formats, in the order they are tried: the first whose matches()
 * takes a body parses it; a body none takes is one dead letter naming them.
 * A new format is a file in this folder exporting a BodyFormat, and a line
 * here (before any format that would also take its bodies).
 */
import type { BodyFormat } from "./format.js";
import { neutral } from "./neutral.js";
import { reportCall } from "./reportcall.js";
import { threecxJson } from "./threecx-json.js";
import { threecxLines } from "./threecx-lines.js";

export const bodyFormats: readonly BodyFormat[] = [
  threecxLines,
  neutral,
  reportCall,
  threecxJson, // any other JSON objects: last
];

export type { BodyFormat, BodyInput, ParsedBody } from "./format.js";
