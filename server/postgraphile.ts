/** PostGraphile v5 on the express app: /graphql (HTTP and WebSocket), /graphiql in development. */
import type { Server } from "node:http";
import type { Express } from "express";
import { postgraphile, type PostGraphileInstance } from "postgraphile";
import { grafserv } from "postgraphile/grafserv/express/v4";

export async function installPostGraphile(app: Express, server: Server, preset: GraphileConfig.Preset): Promise<PostGraphileInstance> {
  const pgl = postgraphile(preset);
  const serv = pgl.createServ(grafserv);
  await serv.addTo(app, server);
  return pgl;
}
