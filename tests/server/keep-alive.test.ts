/**
 * A kept-alive connection outlives a PBX's or proxy's pause between posts:
 * Node's default closes it after 5 s idle, and a client sending on it just
 * then sees "other side closed" (bench:kpi lost a request that way).
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import pino from "pino";
import { KEEP_ALIVE_TIMEOUT_MS, listen } from "../../server/listen.js";
import { testEnv } from "../helpers/server.js";

it("keeps an idle connection open past Node's 5 s default: the next request goes out on the same socket", async () => {
  const server = http.createServer((_req, res) => res.end("ok"));
  const stderr = process.stderr.write;
  process.stderr.write = () => true; // listen() prints where things are
  try {
    await listen(server, { ...testEnv(), PORT: 0, HOST: "127.0.0.1" }, pino({ level: "silent" }));
  } finally {
    process.stderr.write = stderr;
  }
  expect(server.keepAliveTimeout).toBe(KEEP_ALIVE_TIMEOUT_MS);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const port = (server.address() as AddressInfo).port;
  const get = () =>
    new Promise<{ body: string; reused: boolean }>((resolve, reject) => {
      const req = http.get({ host: "127.0.0.1", port, agent, path: "/" }, (res) => {
        let body = "";
        res.on("data", (d: Buffer) => (body += d.toString()));
        res.on("end", () => resolve({ body, reused: req.reusedSocket }));
      });
      req.on("error", reject);
    });
  try {
    expect(await get()).toEqual({ body: "ok", reused: false });
    await new Promise((r) => setTimeout(r, 5_500));
    expect(await get()).toEqual({ body: "ok", reused: true });
  } finally {
    agent.destroy();
    await new Promise((r) => server.close(r));
  }
}, 20_000);
