/**
 * 3CX's active-socket CDR output: 3CX connects to us (THREECX_CDR_SOCKET_PORT,
 * off by default) and writes CDR lines, often one connection per record.
 * Sources outside THREECX_CDR_SOCKET_ALLOW (CIDR list) are dropped unread.
 * Each connection is read to its end and closed by us only once its lines
 * are stored (so a sender that waits for the close knows they are safe);
 * complete lines are also flushed after a pause, for PBXs that keep the
 * connection open. Closing the listener waits for every store in flight. Bodies go to the same raw
 * table and pipeline as the webhook; more than CDR_MAX_BODY_BYTES unflushed
 * drops the connection and stores nothing of it.
 */
import net from "node:net";
import type { Pool } from "pg";
import type { Logger } from "pino";
import type { Env } from "../lib/env.js";
import { storeRawCdr } from "./raw-cdr-store.js";
import { parseAddressList, type AddressList } from "../lib/address-list.js";

export interface CdrSocket {
  port: number;
  close(): Promise<void>;
}

export async function startCdrSocket(opts: { env: Env; pool: Pool; logger: Logger; phiSettings: Record<string, string>; port?: number }): Promise<CdrSocket> {
  const { env, pool, logger, phiSettings } = opts;
  // Checked at start (lib/env.ts); unset means any source.
  const list: AddressList | null = env.THREECX_CDR_SOCKET_ALLOW ? parseAddressList(env.THREECX_CDR_SOCKET_ALLOW) : null;
  const inFlight = new Set<Promise<boolean>>();
  const store = (body: Buffer, remote: string | undefined): Promise<boolean> => {
    const p = storeRawCdr(pool, phiSettings, { body, contentType: "text/plain", source: "socket", remote: remote ?? null })
      .then((rawId) => {
        logger.debug({ rawId, bytes: body.length }, "CDR socket body stored");
        return true;
      })
      .catch((e: unknown) => {
        logger.error({ err: { message: (e as Error).message }, bytes: body.length }, "CDR socket body could not be stored");
        return false;
      })
      .finally(() => inFlight.delete(p));
    inFlight.add(p);
    return p;
  };
  // Half-open: we close our side ourselves, after the body is stored.
  const server = net.createServer({ allowHalfOpen: true }, (socket) => {
    const remote = socket.remoteAddress;
    if (list && !list.has(remote)) {
      logger.warn({ remote }, "CDR socket connection refused (not in THREECX_CDR_SOCKET_ALLOW)");
      socket.destroy();
      return;
    }
    let buffer = Buffer.alloc(0);
    let pause: NodeJS.Timeout | undefined;
    let dropped = false;
    const flushLines = () => {
      const lastNewline = buffer.lastIndexOf(0x0a);
      if (lastNewline < 0) return;
      const complete = buffer.subarray(0, lastNewline + 1);
      buffer = buffer.subarray(lastNewline + 1);
      void store(Buffer.from(complete), remote);
    };
    socket.setTimeout(60_000, () => socket.end());
    socket.on("data", (chunk: Buffer) => {
      if (dropped) return;
      buffer = Buffer.concat([buffer, chunk]);
      if (buffer.length > env.CDR_MAX_BODY_BYTES) {
        dropped = true;
        logger.warn({ remote }, "CDR socket body over CDR_MAX_BODY_BYTES; connection dropped, nothing stored");
        socket.destroy();
        return;
      }
      clearTimeout(pause);
      pause = setTimeout(flushLines, 500);
    });
    socket.on("end", () => {
      clearTimeout(pause);
      const body = buffer;
      buffer = Buffer.alloc(0);
      if (dropped || body.length === 0) return void socket.end();
      // Stored → a normal close; not stored → a reset, so the sender can tell.
      void store(body, remote).then((ok) => (ok ? socket.end() : socket.resetAndDestroy()));
    });
    socket.on("error", (e) => logger.warn({ remote, err: { message: e.message } }, "CDR socket error"));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? env.THREECX_CDR_SOCKET_PORT, env.HOST, () => resolve());
  });
  const port = (server.address() as net.AddressInfo).port;
  logger.info({ port, allow: env.THREECX_CDR_SOCKET_ALLOW ?? "any" }, "CDR socket listening");
  return {
    port,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // Bodies already received are stored before the pool goes away.
      await Promise.all([...inFlight]);
      await closed;
    },
  };
}
