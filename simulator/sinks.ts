/**
 * Where simulated records go: the webhook (batched, optionally paced), the
 * active-socket listener (one connection per batch, as 3CX opens one per
 * call), or files (one CDR file, or one file per call, as 3CX writes them).
 */
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import type { SimRecord } from "./render.js";

export interface Sink {
  /** Sends records (consecutive ones of the same content type go together, up to the batch size). */
  send(records: SimRecord[]): Promise<void>;
  close(): Promise<void>;
}

/** Consecutive records of one content type, up to `size` each: the bodies to send. */
export function batches(records: SimRecord[], size: number): { contentType: SimRecord["contentType"]; body: string; count: number }[] {
  const out: { contentType: SimRecord["contentType"]; items: string[] }[] = [];
  for (const r of records) {
    const last = out.at(-1);
    if (last && last.contentType === r.contentType && last.items.length < size) last.items.push(r.text);
    else out.push({ contentType: r.contentType, items: [r.text] });
  }
  return out.map((b) => ({
    contentType: b.contentType,
    count: b.items.length,
    body: b.contentType === "text/plain" ? `${b.items.join("\r\n")}\r\n` : b.items.length === 1 ? b.items[0]! : `[${b.items.join(",")}]`,
  }));
}

export class WebhookSink implements Sink {
  readonly rawIds: number[] = [];
  constructor(private readonly url: string, private readonly secret: string, private readonly batchSize: number, private readonly concurrency = 1) {}
  async send(records: SimRecord[]): Promise<void> {
    const queue = batches(records, this.batchSize);
    const worker = async () => {
      for (let b = queue.shift(); b; b = queue.shift()) {
        const res = await fetch(this.url, { method: "POST", headers: { "content-type": b.contentType, authorization: `Bearer ${this.secret}` }, body: b.body });
        const text = await res.text();
        if (res.status !== 202) throw new Error(`webhook answered ${res.status}: ${text.slice(0, 300)}`);
        this.rawIds.push(...(JSON.parse(text) as { rawIds: number[] }).rawIds);
      }
    };
    await Promise.all(Array.from({ length: this.concurrency }, worker));
  }
  async close(): Promise<void> {}
}

export class SocketSink implements Sink {
  constructor(private readonly host: string, private readonly port: number, private readonly batchSize: number) {}
  async send(records: SimRecord[]): Promise<void> {
    for (const b of batches(records, this.batchSize)) {
      if (b.contentType !== "text/plain") throw new Error("the socket carries 3CX CDR lines only; use --to webhook for JSON formats");
      await new Promise<void>((resolve, reject) => {
        const socket = net.connect({ host: this.host, port: this.port }, () => socket.end(b.body));
        socket.on("error", reject);
        socket.on("close", (hadError) => (hadError ? undefined : resolve()));
      });
    }
  }
  async close(): Promise<void> {}
}

/** One CDR file (appended), or with `perCall` one file per call in a folder. */
export class FileSink implements Sink {
  private fd: number | null = null;
  constructor(private readonly target: string, private readonly perCall: boolean) {
    if (perCall) fs.mkdirSync(target, { recursive: true });
    else {
      fs.mkdirSync(path.dirname(path.resolve(target)), { recursive: true });
      this.fd = fs.openSync(target, "w");
    }
  }
  async send(records: SimRecord[]): Promise<void> {
    if (records.some((r) => r.contentType !== "text/plain")) throw new Error("files hold 3CX CDR lines only; use --to webhook for JSON formats");
    if (this.fd !== null) {
      fs.writeSync(this.fd, records.map((r) => `${r.text}\r\n`).join(""));
      return;
    }
    for (const r of records) fs.appendFileSync(path.join(this.target, `${r.callId.replace(/[^A-Za-z0-9_-]/g, "_")}.log`), `${r.text}\r\n`);
  }
  async close(): Promise<void> {
    if (this.fd !== null) fs.closeSync(this.fd);
    this.fd = null;
  }
}

/** Sends at a steady rate (records per second), in small bursts. */
export async function paced(records: SimRecord[], rate: number, send: (r: SimRecord[]) => Promise<void>): Promise<void> {
  const started = performance.now();
  const burst = Math.max(1, Math.round(rate / 20));
  for (let i = 0; i < records.length; i += burst) {
    const due = started + (i / rate) * 1000;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    await send(records.slice(i, i + burst));
  }
}
