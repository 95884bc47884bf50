/** Listens on HOST:PORT and says where things are. */
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Logger } from "pino";
import type { Env } from "../lib/env.js";

export async function listen(server: Server, env: Env, logger: Logger): Promise<number> {
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
