/**
 * A fake 3CX v20 PBX for tests and the demo: the token endpoint and the XAPI
 * collections this service reads (Users, Queues with Agents, Receptionists,
 * RingGroups with Members, ActiveCalls), with OData paging, `$select`,
 * `$expand` and `$count`, controls to change the directory and presence, and
 * scripted failures. Shapes follow the real payloads in ./payloads (README).
 *
 *   const pbx = await startFake3cx({ clientId: "id", clientSecret: "key" });
 *   pbx.controls.renameUser("101", { FirstName: "Robert" });
 *   pbx.controls.fail({ kind: "429", times: 2, retryAfterSeconds: 1 });
 *   await pbx.close();
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";
import { randomBytes } from "node:crypto";

export interface FakeUser {
  Id: number;
  Number: string;
  FirstName: string | null;
  LastName: string | null;
  DisplayName?: string | null;
  EmailAddress: string | null;
  IsRegistered: boolean;
  CurrentProfileName: string;
  QueueStatus: "LoggedIn" | "LoggedOut";
  Enabled?: boolean;
  [more: string]: unknown;
}
export interface FakeMember {
  Id: number;
  Number: string;
  Name: string | null;
  SkillGroup?: string | null;
  Tags?: unknown[];
}
export interface FakeQueue {
  Id: number;
  Number: string;
  Name: string;
  Agents: FakeMember[];
  [more: string]: unknown;
}
export interface FakeReceptionist {
  Id: number;
  Number: string;
  Name: string;
  [more: string]: unknown;
}
export interface FakeRingGroup {
  Id: number;
  Number: string;
  Name: string;
  Members: FakeMember[];
  [more: string]: unknown;
}
export interface FakeActiveCall {
  Id: number;
  Caller: string | null;
  Callee: string | null;
  Status: string | null;
  EstablishedAt: string | null;
  LastChangeStatus: string | null;
  ServerNow?: string | null;
}

export type FailureKind = "slow" | "401" | "403" | "429" | "500" | "malformed";
export interface FailureScript {
  kind: FailureKind;
  /** How many requests it hits; unset: until cleared. */
  times?: number;
  /** For `slow`: delay in ms before answering normally. */
  delayMs?: number;
  /** For `429`: the Retry-After header in seconds (unset: no header). */
  retryAfterSeconds?: number;
  /** Which requests: `xapi` (default), `token`, or `all`. */
  scope?: "xapi" | "token" | "all";
  /** Let this many matching requests through first (a failure in the middle of a read). */
  skip?: number;
}

export interface Fake3cxOptions {
  clientId?: string;
  clientSecret?: string;
  /** `expires_in` of issued tokens; default 60 (as the 3CX documentation example). */
  tokenLifetimeSeconds?: number;
  users?: FakeUser[];
  queues?: FakeQueue[];
  receptionists?: FakeReceptionist[];
  ringGroups?: FakeRingGroup[];
  activeCalls?: FakeActiveCall[];
  port?: number;
  host?: string;
  /** Largest page the server hands out (OData server-side page size); default 100. */
  maxPageSize?: number;
}

export interface RequestRecord {
  method: string;
  path: string;
  query: Record<string, string>;
  status: number;
}

const here = dirname(fileURLToPath(import.meta.url));
function payload<T>(file: string): T {
  return (JSON.parse(readFileSync(join(here, "payloads", file), "utf8")) as { value: T }).value;
}
/** The example directory from ./payloads (users.json, queues-expand-agents.json, ...). */
export function samplePayloads() {
  return {
    users: payload<FakeUser[]>("users.json"),
    queues: payload<FakeQueue[]>("queues-expand-agents.json"),
    receptionists: payload<FakeReceptionist[]>("receptionists.json"),
    ringGroups: payload<FakeRingGroup[]>("ring-groups.json"),
    activeCalls: payload<FakeActiveCall[]>("active-calls.json"),
  };
}

function clone<T>(v: T): T {
  return structuredClone(v);
}

export class Fake3cxControls {
  users: FakeUser[];
  queues: FakeQueue[];
  receptionists: FakeReceptionist[];
  ringGroups: FakeRingGroup[];
  activeCalls: FakeActiveCall[];
  failures: FailureScript[] = [];
  requests: RequestRecord[] = [];
  tokens = new Set<string>();
  tokensIssued = 0;
  private nextId = 1000;

  constructor(o: Fake3cxOptions) {
    const sample = samplePayloads();
    this.users = clone(o.users ?? sample.users);
    this.queues = clone(o.queues ?? sample.queues);
    this.receptionists = clone(o.receptionists ?? sample.receptionists);
    this.ringGroups = clone(o.ringGroups ?? sample.ringGroups);
    this.activeCalls = clone(o.activeCalls ?? []);
    const ids = [...this.users, ...this.queues, ...this.receptionists, ...this.ringGroups, ...this.activeCalls].map((x) => x.Id);
    this.nextId = Math.max(1000, ...ids) + 1;
  }

  private user(number: string): FakeUser {
    const u = this.users.find((x) => x.Number === number);
    if (!u) throw new Error(`fake 3CX: no user ${number}`);
    return u;
  }
  private queue(number: string): FakeQueue {
    const q = this.queues.find((x) => x.Number === number);
    if (!q) throw new Error(`fake 3CX: no queue ${number}`);
    return q;
  }

  // ---- directory
  addUser(u: Partial<FakeUser> & { Number: string }): FakeUser {
    const user: FakeUser = {
      Id: this.nextId++,
      FirstName: null,
      LastName: null,
      EmailAddress: null,
      IsRegistered: false,
      CurrentProfileName: "Available",
      QueueStatus: "LoggedOut",
      Enabled: true,
      ...u,
    };
    user.DisplayName ??= [user.FirstName, user.LastName].filter(Boolean).join(" ");
    this.users = this.users.filter((x) => x.Number !== u.Number).concat(user);
    return user;
  }
  updateUser(number: string, patch: Partial<FakeUser>): void {
    Object.assign(this.user(number), patch);
  }
  renameUser(number: string, names: { FirstName?: string | null; LastName?: string | null; DisplayName?: string | null }): void {
    const u = this.user(number);
    Object.assign(u, names);
    if (names.DisplayName === undefined) u.DisplayName = [u.FirstName, u.LastName].filter(Boolean).join(" ");
    for (const m of [...this.queues.flatMap((q) => q.Agents), ...this.ringGroups.flatMap((g) => g.Members)])
      if (m.Number === number) m.Name = u.DisplayName ?? null;
  }
  /** Removes the user and its queue and ring-group memberships (as 3CX does when an extension is deleted). */
  removeUser(number: string): void {
    this.users = this.users.filter((x) => x.Number !== number);
    for (const q of this.queues) q.Agents = q.Agents.filter((a) => a.Number !== number);
    for (const g of this.ringGroups) g.Members = g.Members.filter((a) => a.Number !== number);
    this.activeCalls = this.activeCalls.filter((c) => !callTouches(c, number));
  }
  addQueue(q: { Number: string; Name: string; agents?: string[] }): void {
    this.queues = this.queues.filter((x) => x.Number !== q.Number);
    this.queues.push({ Id: this.nextId++, Number: q.Number, Name: q.Name, Agents: [] });
    if (q.agents) this.setQueueAgents(q.Number, q.agents);
  }
  removeQueue(number: string): void {
    this.queues = this.queues.filter((x) => x.Number !== number);
  }
  renameQueue(number: string, name: string): void {
    this.queue(number).Name = name;
  }
  /** The queue's agents, in polling order, by extension number. */
  setQueueAgents(queueNumber: string, agentNumbers: string[]): void {
    this.queue(queueNumber).Agents = agentNumbers.map((n, i) => ({
      Id: i + 1,
      Number: n,
      Name: this.users.find((u) => u.Number === n)?.DisplayName ?? null,
      SkillGroup: "1",
      Tags: [],
    }));
  }
  addReceptionist(r: { Number: string; Name: string }): void {
    this.receptionists = this.receptionists.filter((x) => x.Number !== r.Number).concat({ Id: this.nextId++, ...r });
  }
  removeReceptionist(number: string): void {
    this.receptionists = this.receptionists.filter((x) => x.Number !== number);
  }
  addRingGroup(g: { Number: string; Name: string; members?: string[] }): void {
    this.ringGroups = this.ringGroups.filter((x) => x.Number !== g.Number);
    this.ringGroups.push({
      Id: this.nextId++,
      Number: g.Number,
      Name: g.Name,
      Members: (g.members ?? []).map((n, i) => ({ Id: i + 1, Number: n, Name: this.users.find((u) => u.Number === n)?.DisplayName ?? null, Tags: [] })),
    });
  }
  removeRingGroup(number: string): void {
    this.ringGroups = this.ringGroups.filter((x) => x.Number !== number);
  }

  // ---- presence
  setPresence(number: string, p: { profile?: string; queueStatus?: "LoggedIn" | "LoggedOut"; registered?: boolean }): void {
    const u = this.user(number);
    if (p.profile !== undefined) u.CurrentProfileName = p.profile;
    if (p.queueStatus !== undefined) u.QueueStatus = p.queueStatus;
    if (p.registered !== undefined) u.IsRegistered = p.registered;
  }
  /** Puts the extension on a call (an ActiveCalls row); returns the call's Id. */
  startCall(number: string, other = "+13135550123", o: { status?: string; inbound?: boolean } = {}): number {
    const now = new Date().toISOString();
    const id = this.nextId++;
    const inbound = o.inbound ?? true;
    this.activeCalls.push({
      Id: id,
      Caller: inbound ? other : number,
      Callee: inbound ? number : other,
      Status: o.status ?? "Talking",
      EstablishedAt: now,
      LastChangeStatus: now,
    });
    return id;
  }
  endCall(idOrNumber: number | string): void {
    this.activeCalls = this.activeCalls.filter((c) => (typeof idOrNumber === "number" ? c.Id !== idOrNumber : !callTouches(c, idOrNumber)));
  }

  // ---- failures and tokens
  /** Scripts a failure for the next `times` requests (unset: until cleared). */
  fail(script: FailureScript): void {
    this.failures.push({ scope: "xapi", ...script });
  }
  clearFailures(): void {
    this.failures = [];
  }
  /** Forgets every issued token (the next data request gets 401, as after a PBX restart). */
  revokeTokens(): void {
    this.tokens.clear();
  }
  resetRequests(): void {
    this.requests = [];
  }
  requestCount(path?: string): number {
    return path === undefined ? this.requests.length : this.requests.filter((r) => r.path === path).length;
  }

  /** The failure that applies to this request, consuming one of its `times`. */
  takeFailure(isToken: boolean): FailureScript | undefined {
    const i = this.failures.findIndex((f) => f.scope === "all" || (f.scope === "token") === isToken);
    if (i < 0) return undefined;
    const f = this.failures[i]!;
    if (f.skip !== undefined && f.skip > 0) {
      f.skip -= 1;
      return undefined;
    }
    if (f.times !== undefined) {
      f.times -= 1;
      if (f.times <= 0) this.failures.splice(i, 1);
    }
    return f;
  }
}

function callTouches(c: FakeActiveCall, number: string): boolean {
  return c.Caller === number || c.Callee === number;
}

export interface Fake3cx {
  url: string;
  controls: Fake3cxControls;
  close(): Promise<void>;
}

const COLLECTIONS: Record<string, { key: "users" | "queues" | "receptionists" | "ringGroups" | "activeCalls"; nav: string[] }> = {
  Users: { key: "users", nav: [] },
  Queues: { key: "queues", nav: ["Agents"] },
  Receptionists: { key: "receptionists", nav: [] },
  RingGroups: { key: "ringGroups", nav: ["Members"] },
  ActiveCalls: { key: "activeCalls", nav: [] },
};

export async function startFake3cx(options: Fake3cxOptions = {}): Promise<Fake3cx> {
  const clientId = options.clientId ?? "fake-client";
  const clientSecret = options.clientSecret ?? "fake-secret";
  const lifetime = options.tokenLifetimeSeconds ?? 60;
  const maxPage = options.maxPageSize ?? 100;
  const controls = new Fake3cxControls(options);
  let url = "";

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const u = new URL(req.url ?? "/", "http://fake");
    const query = Object.fromEntries(u.searchParams);
    const record: RequestRecord = { method: req.method ?? "GET", path: u.pathname, query, status: 0 };
    controls.requests.push(record);
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      record.status = status;
      const text = typeof body === "string" ? body : JSON.stringify(body);
      res.writeHead(status, { "content-type": "application/json; odata.metadata=minimal", ...headers });
      res.end(text);
    };
    const isToken = u.pathname === "/connect/token";

    const failure = controls.takeFailure(isToken);
    if (failure) {
      switch (failure.kind) {
        case "slow":
          await new Promise((r) => setTimeout(r, failure.delayMs ?? 5000));
          if (res.destroyed) return;
          break;
        case "401":
          return send(401, "");
        case "403":
          return send(403, { error: { code: "", message: "Forbidden" } });
        case "429":
          return send(429, "", failure.retryAfterSeconds !== undefined ? { "retry-after": String(failure.retryAfterSeconds) } : {});
        case "500":
          return send(500, { error: { code: "", message: "Internal server error" } });
        case "malformed":
          return send(200, '{"@odata.context":"' + url + '/xapi/v1/$metadata#Users","value":[{"Id":1,');
      }
    }

    if (isToken) {
      if (req.method !== "POST") return send(405, "");
      const body = new URLSearchParams(await readBody(req));
      if (body.get("grant_type") !== "client_credentials") return send(400, { error: "unsupported_grant_type" });
      if (body.get("client_id") !== clientId || body.get("client_secret") !== clientSecret) return send(401, { error: "invalid_client" });
      const token = randomBytes(24).toString("base64url");
      controls.tokens.add(token);
      controls.tokensIssued++;
      return send(200, { token_type: "Bearer", expires_in: lifetime, access_token: token, refresh_token: null });
    }

    const m = /^\/xapi\/v1\/([A-Za-z]+)$/.exec(u.pathname);
    if (!m) return send(404, { error: { code: "", message: "Not found" } });
    const auth = req.headers.authorization ?? "";
    if (!auth.startsWith("Bearer ") || !controls.tokens.has(auth.slice(7))) return send(401, "");
    const coll = COLLECTIONS[m[1]!];
    if (!coll || req.method !== "GET") return send(404, { error: { code: "", message: "Not found" } });

    const rows = controls[coll.key] as unknown as Record<string, unknown>[];
    const top = Math.min(Number(query.$top ?? maxPage) || maxPage, maxPage);
    const skip = Math.max(0, Number(query.$skip ?? 0) || 0);
    const expand = new Set((query.$expand ?? "").split(",").map((s) => s.trim()).filter(Boolean));
    const select = query.$select ? new Set(query.$select.split(",").map((s) => s.trim())) : undefined;
    const sorted = query.$orderby === "Number" ? [...rows].sort((a, b) => String(a.Number).localeCompare(String(b.Number))) : rows;
    const page = sorted.slice(skip, skip + top).map((row) => {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(row)) {
        if (coll.nav.includes(k)) {
          if (expand.has(k)) out[k] = v;
        } else if (!select || select.has(k)) out[k] = v;
      }
      if (coll.key === "activeCalls") out.ServerNow = new Date().toISOString();
      return out;
    });
    const body: Record<string, unknown> = { "@odata.context": `${url}/xapi/v1/$metadata#${m[1]}` };
    if (query.$count === "true") body["@odata.count"] = rows.length;
    body.value = page;
    return send(200, body);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) res.writeHead(500).end(String(e));
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, options.host ?? "127.0.0.1", resolve));
  const addr = server.address() as AddressInfo;
  url = `http://${options.host ?? "127.0.0.1"}:${addr.port}`;
  return {
    url,
    controls,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}
