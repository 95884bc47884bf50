/**
 * Reads a CDR file as a stream of chunks of whole lines (LF or CRLF), each
 * with its byte offset in the file, without ever holding more than about one
 * chunk and one read buffer in memory: files of many GB are fine.
 *
 * A chunk ends after `maxLines` lines or before it would pass `maxBytes`
 * (a single longer line is a chunk of its own, up to `maxLineBytes`; longer
 * than that is not a CDR file and stops the import). Chunks always end on a
 * line end, so the next run can start at `offset + bytes` of the last chunk
 * stored. A last line without a line end is held back (3CX may be writing
 * it) unless `includeUnterminatedTail` says the file is at rest.
 */
import fs from "node:fs";

export interface Chunk {
  /** Byte offset of the chunk in the file. */
  offset: number;
  body: Buffer;
  /** Lines in the chunk that are not blank: the records the worker will count. */
  records: number;
}

export interface ChunkOptions {
  /** First byte to read (a line start: 0 or where an earlier import stopped). */
  from: number;
  /** Read up to here (exclusive): the size when the import started. */
  to: number;
  maxLines: number;
  maxBytes: number;
  maxLineBytes: number;
  /** Import a last line that has no line end (the file is not being written). */
  includeUnterminatedTail: boolean;
}

export class LineTooLongError extends Error {
  constructor(readonly file: string, readonly offset: number, readonly limit: number) {
    super(`${file}: a line longer than ${limit} bytes at byte ${offset}; this does not look like a 3CX CDR file`);
  }
}

const LF = 0x0a;

/** Whether bytes [start, end) hold anything but spaces, tabs and line ends (the parser skips blank lines). */
function isRecord(buf: Buffer, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const b = buf[i];
    if (b !== 0x20 && b !== 0x09 && b !== 0x0d && b !== LF) return true;
  }
  return false;
}

export async function* lineChunks(file: string, o: ChunkOptions): AsyncGenerator<Chunk> {
  if (o.to <= o.from) return;
  const stream = fs.createReadStream(file, { start: o.from, end: o.to - 1, highWaterMark: 1 << 20 });
  // `buf` holds the not-yet-emitted bytes: [0, scan) whole lines of the open chunk, [scan, end) a partial line.
  let buf: Buffer = Buffer.alloc(0);
  let bufOffset = o.from; // file offset of buf[0]
  let scan = 0;
  let lines = 0;
  let records = 0;
  const take = (end: number): Chunk => {
    const chunk = { offset: bufOffset, body: buf.subarray(0, end), records };
    buf = buf.subarray(end);
    bufOffset += end;
    scan -= end;
    lines = 0;
    records = 0;
    return chunk;
  };
  for await (const data of stream as AsyncIterable<Buffer>) {
    buf = buf.length ? Buffer.concat([buf, data]) : data;
    for (;;) {
      const lf = buf.indexOf(LF, scan);
      if (lf === -1) break;
      const lineLength = lf + 1 - scan;
      if (lineLength > o.maxLineBytes) throw new LineTooLongError(file, bufOffset + scan, o.maxLineBytes);
      // This line would make the open chunk too big: close the chunk before it.
      if (lines > 0 && scan + lineLength > o.maxBytes) yield take(scan);
      const lineStart = scan;
      scan += lineLength;
      lines++;
      if (isRecord(buf, lineStart, scan)) records++;
      if (lines >= o.maxLines || scan >= o.maxBytes) yield take(scan);
    }
    if (buf.length - scan > o.maxLineBytes) throw new LineTooLongError(file, bufOffset + scan, o.maxLineBytes);
  }
  const tail = buf.length - scan;
  if (tail > 0 && o.includeUnterminatedTail) {
    if (lines > 0 && (buf.length > o.maxBytes || lines >= o.maxLines)) yield take(scan);
    lines++;
    if (isRecord(buf, scan, buf.length)) records++;
    scan = buf.length;
  }
  if (scan > 0) yield take(scan);
}
