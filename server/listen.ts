/** Listens on HOST:PORT and says where things are. */
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Logger } from "pino";
import type { Env } from "../lib/env.js";

/**
 * How long an idle kept-alive connection stays open. Node's default (5 s) is
 * shorter than clients and proxies keep theirs (a PBX posting every few
 * seconds, a load balancer's 60 s): the server then closes a connection just
 * as the client sends on it, and that request fails ("other side closed").
 */
export const KEEP_ALIVE_TIMEOUT_MS = 65_000;

export async function listen(server: Server, env: Env, logger: Logger): Promise<number> {
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  server.headersTimeout = KEEP_ALIVE_TIMEOUT_MS + 1_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(env.PORT, env.HOST, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const base = `http://localhost:${port}`;
  const graphiql = env.GRAPHIQL ?? env.NODE_ENV !== "production";
  logger.info({ port }, "server listening");
  process.stderr.write(
    [
      "",
      `  GraphQL:       ${base}/graphql`,
      graphiql ? `  GraphiQL:      ${base}/graphiql` : "",
      `  Health:        ${base}/api/processing/health-check`,
      `  Metrics:       ${base}/metrics`,
      `  A token:       npm run token -- --email you@${env.ALLOWED_EMAIL_DOMAIN} --role manager`,
      `                 then send 'Authorization: Bearer <token>'`,
      "",
    ]
      .filter((l) => l !== "")
      .join("\n") + "\n\n",
  );
  return port;
}
