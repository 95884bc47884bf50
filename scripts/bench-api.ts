/**
 * `npm run bench:api [-- --requests 200 --warmup 20 --calls 3000000 --days 90 --volume 1000 --as manager --only PATH]`
 *
 * Every REST route of server/rest/routes.ts (REST_ROUTES), three ways, on a
 * throw-away embedded database holding the demo data (`npm run seed:demo`'s
 * practice, `--days` of it), and with `--calls N` also N synthetic calls
 * over the two years before its last day (loaded straight into the tables,
 * triggers off, then recounted):
 *  - REST: the route itself over HTTP;
 *  - GraphQL: POST /graphql with the route's own document and the variables
 *    its zod input makes of the same sample;
 *  - SQL: the function or table that document reaches, the same columns,
 *    page and total count, in one transaction as the API login with the
 *    same role and settings as a request (so the row rules apply equally):
 *    the time from BEGIN to COMMIT.
 * Samples and SQL come from scripts/lib/bench-api-cases.ts; a route without
 * an entry there stops the bench. Reads run first, then the routes that
 * change data, each request on rows made for it (state moves) or making its
 * own (creates). Requests go one at a time from one client, the three doors
 * interleaved, after a warm-up; the server runs alone (no worker: a queued
 * job waits), as `npm run server` does, with the rate limit off
 * (RATE_LIMIT_PER_MINUTE) and grafast in production mode (GRAPHILE_ENV),
 * as one person (`--as manager`, or `--as supervisor` of Ann Arbor, which
 * skips the routes only managers may call).
 * Prints p50 / p95 / p99 per route and door, the ratios to SQL, and a
 * markdown table. Aims: p95 under 100 ms; figures queries at most 1.5× SQL.
 */
import { randomBytes } from "node:crypto";
import { parseArgs } from "node:util";
import { SignJWT } from "jose";
import pg from "pg";
import { z } from "zod";
import { applySettings } from "../db/pg-settings.js";
import { OWN_ISSUER } from "../lib/jwt-secret.js";
import { makeLogger } from "../lib/logger.js";
import { phiKeys, phiPgSettings, revealLimitPgSettings } from "../lib/phi-keys.js";
import { qaPgSettings } from "../lib/qa-settings.js";
import { sessionPgSettings } from "../server/auth.js";
import { REST_ROUTES, type RestRoute } from "../server/rest/routes.js";
import { AGENTS, QUEUES } from "../simulator/practice.js";
import { Clock } from "../simulator/clock.js";
import { API_CASES, caseKey, casesWithoutRoute, NOT_YET_BENCHED, routesWithoutCase, type ApiCase, type BenchPicks } from "./lib/bench-api-cases.js";
import { percentile, startServer, type RunningServer } from "./lib/bench-processes.js";
import { loadCalls } from "./lib/load-calls.js";
import { fmt, machine, openScratchDatabase } from "./lib/scratch-database.js";
import { demoPeople, seedDemo } from "./lib/seed-demo.js";

const { values } = parseArgs({
  options: {
    requests: { type: "string", default: "200" },
    warmup: { type: "string", default: "20" },
    calls: { type: "string" },
    days: { type: "string", default: "90" },
    volume: { type: "string", default: "1000" },
    as: { type: "string", default: "manager" },
    only: { type: "string" },
    "dev-checks": { type: "boolean", default: false },
  },
});
const opts = z
  .object({
    requests: z.coerce.number().int().min(10),
    warmup: z.coerce.number().int().min(0),
    calls: z.coerce.number().int().min(10_000).optional(),
    days: z.coerce.number().int().min(14).max(3660),
    volume: z.coerce.number().int().min(50),
    as: z.enum(["manager", "supervisor"]),
    only: z.string().optional(),
    "dev-checks": z.boolean(),
  })
  .parse(values);

// Every route needs its sample and SQL: fail before any work when one has none.
const missing = routesWithoutCase(REST_ROUTES);
const stale = casesWithoutRoute(REST_ROUTES);
if (missing.length || stale.length) {
  if (missing.length) console.error(`bench:api: no sample and SQL for ${missing.join(", ")}: add them to scripts/lib/bench-api-cases.ts`);
  if (stale.length) console.error(`bench:api: scripts/lib/bench-api-cases.ts names routes that no longer exist: ${stale.join(", ")}`);
  process.exit(1);
}

const say = (s: string) => process.stdout.write(`${s}\n`);
const note = (s: string) => process.stderr.write(`${s}\n`);
const LOCATION = "Ann Arbor";
/** The aims of issue 18 (the PRD asks p95 under 500 ms). */
const AIM_P95_MS = 100;
const AIM_RATIO = 1.5;
const JWT_SECRET = randomBytes(32).toString("base64url");
const SERVER_ENV: Record<string, string> = {
  JWT_SECRET,
  // The per-user limit (default 300 a minute) would refuse the bench; off.
  RATE_LIMIT_PER_MINUTE: String(Number.MAX_SAFE_INTEGER),
  // The default: a request log line each, as in production.
  LOG_LEVEL: "info",
  GRAPHILE_ENV: opts["dev-checks"] ? "development" : "production",
};

const db = await openScratchDatabase();
const owner = new pg.Pool({ connectionString: db.ownerUrl, max: 2 });
const root = new pg.Pool({ connectionString: db.rootUrl, max: 1 });
// Idle connections end when the scratch server stops: not an error.
owner.on("error", () => undefined);
root.on("error", () => undefined);
let server: RunningServer | undefined;
let visitor: pg.Client | undefined;
try {
  const pgVersion = (await owner.query<{ v: string }>("select split_part(version(), ' ', 2) as v")).rows[0]!.v;
  say(`# bench:api on ${machine()}, PostgreSQL ${pgVersion}, ${new Date().toISOString().slice(0, 10)}`);

  // 1. The demo practice, as `npm run seed:demo` makes it.
  const seeded = await seedDemo(
    { ownerUrl: db.ownerUrl, env: db.env, logger: makeLogger("warn"), progress: (line) => note(`seed: ${line}`) },
    { days: opts.days, volume: opts.volume, seed: 1, force: false },
  );
  const totals = seeded.totals;
  let sizeLine = `data: the demo (${opts.days} days to ${seeded.end}, about ${opts.volume} inbound calls a weekday): ${totals.calls.toLocaleString("en-US")} calls, ${totals.journals.toLocaleString("en-US")} journals, ${totals.reviews.toLocaleString("en-US")} QA reviews, ${totals.shifts.toLocaleString("en-US")} shifts`;

  // 2. At size: synthetic calls over the two years ending with the demo's last day, then every figure recounted.
  if (opts.calls) {
    const days = 730;
    const firstDay = Clock.addDays(seeded.end, -(days - 1));
    const rc = await root.connect();
    try {
      const loaded = await loadCalls(rc, { calls: opts.calls, days, firstDay, queues: QUEUES.map((q) => q.name), agents: AGENTS.map((a) => a.extension), progress: note });
      const t0 = performance.now();
      const rows = Number((await rc.query<{ n: number }>("select app_private.recount_kpis($1, $2) as n", [firstDay, seeded.end])).rows[0]!.n);
      const recountMs = performance.now() - t0;
      sizeLine += `; plus ${loaded.calls.toLocaleString("en-US")} synthetic calls (${loaded.legs.toLocaleString("en-US")} legs) over ${days} days from ${firstDay}, loaded in ${fmt(loaded.ms / 1000, 0)} s, figures recounted in ${fmt(recountMs / 1000, 0)} s (${rows.toLocaleString("en-US")} rows)`;
    } finally {
      rc.release();
    }
  }
  say(sizeLine);
  // Fresh statistics, as autovacuum would have them by the time a real database is queried: rows just written in
  // bulk would otherwise be planned from empty tables' estimates.
  await root.query("analyze");

  // 3. Who acts, and the values the samples use.
  const people = demoPeople(db.env.ALLOWED_EMAIL_DOMAIN);
  const personEmail = opts.as === "manager" ? people.manager.email : people.supervisors.find((s) => s.location === LOCATION)!.email;
  const { rows: [user] } = await owner.query<{ id: string }>("select id from app_public.users where email = $1", [personEmail]);
  const session = { userId: user!.id, email: personEmail, role: opts.as };
  const settings = {
    ...sessionPgSettings(session, { statementTimeoutMs: db.env.API_STATEMENT_TIMEOUT_MS }),
    ...phiPgSettings(phiKeys(db.env)),
    ...revealLimitPgSettings(db.env),
    ...qaPgSettings(db.env),
  };
  visitor = new pg.Client({ connectionString: db.authenticatorUrl });
  await visitor.connect();
  const sqlClient = visitor;
  /** One transaction as the person, as the API runs a request's statements. */
  const asPerson = async <T extends pg.QueryResultRow>(text: string, params: unknown[]) => {
    await sqlClient.query("begin");
    try {
      await applySettings(sqlClient, settings);
      const result = await sqlClient.query<T>(text, params);
      await sqlClient.query("commit");
      return result;
    } catch (e) {
      await sqlClient.query("rollback").catch(() => undefined);
      throw e;
    }
  };
  const picks = await pickData(owner, seeded.end, { email: personEmail, role: opts.as }, asPerson);

  // 4. The server, as `npm run server` runs it, alone.
  server = await startServer(db, SERVER_ENV);
  const token = await new SignJWT({ email: personEmail, email_verified: true })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setIssuer(OWN_ISSUER)
    .setIssuedAt()
    .setExpirationTime("11h")
    .sign(new TextEncoder().encode(JWT_SECRET));
  const url = server.url;
  say(
    `server: npm run server alone (no worker), NODE_ENV=development, GRAPHILE_ENV=${SERVER_ENV.GRAPHILE_ENV}, LOG_LEVEL=${SERVER_ENV.LOG_LEVEL}, ` +
      `RATE_LIMIT_PER_MINUTE=${SERVER_ENV.RATE_LIMIT_PER_MINUTE} (the per-user rate limit off), pool ${db.env.DATABASE_POOL_SIZE}`,
  );
  say(`as ${opts.as} ${personEmail}; ${opts.warmup} warm-up then ${opts.requests} requests per route and door, one at a time from one client, the three doors interleaved`);

  // 5. Each route: reads first, then the routes that change data.
  const later = REST_ROUTES.filter((r) => NOT_YET_BENCHED[caseKey(r)]);
  if (later.length) say(`not measured yet (${later.length}): ${later.map(caseKey).join(", ")}`);
  const routes = REST_ROUTES.filter((r) => !NOT_YET_BENCHED[caseKey(r)] && (!opts.only || caseKey(r).includes(opts.only)));
  const ordered = [...routes.filter((r) => r.method === "get"), ...routes.filter((r) => r.method !== "get")];
  const results: Result[] = [];
  for (const route of ordered) {
    const c = API_CASES[caseKey(route)]!;
    if (c.managerOnly && opts.as !== "manager") {
      results.push({ route, c, skipped: "managers only" });
      continue;
    }
    const rounds = opts.warmup + opts.requests;
    const benchDb = { owner, asPerson };
    const rows = c.prepare ? await c.prepare(benchDb, picks, 3 * rounds) : [];
    let next = 0;
    const sample = () => c.sample(picks, rows[next++]);
    const doors: Record<Door, () => Promise<number>> = {
      rest: () => restRequest(url, token, route, sample()),
      graphql: () => graphqlRequest(url, token, route, sample()),
      sql: async () => {
        const q = c.sql(route.input.parse(sample()));
        const t0 = performance.now();
        await asPerson(q.text, q.values);
        return performance.now() - t0;
      },
    };
    if (route.method === "get") await sameAnswer(url, token, route, c, picks, asPerson);
    const times: Record<Door, number[]> = { rest: [], graphql: [], sql: [] };
    const order: Door[] = ["rest", "graphql", "sql"];
    for (let i = 0; i < rounds; i++) {
      for (let k = 0; k < 3; k++) {
        const door = order[(i + k) % 3]!;
        if (c.before) await c.before(benchDb, picks);
        const ms = await doors[door]();
        if (i >= opts.warmup) times[door].push(ms);
      }
    }
    const r: Result = { route, c, stats: { rest: stats(times.rest), graphql: stats(times.graphql), sql: stats(times.sql) } };
    results.push(r);
    note(`${caseKey(route)}: ${line(r)}`);
  }

  // 6. The figures.
  say("");
  say(`route | REST p50 / p95 / p99 ms | GraphQL p50 / p95 / p99 ms | SQL p50 / p95 / p99 ms | REST ÷ SQL | GraphQL ÷ SQL | aims`);
  say(`---|---|---|---|---|---|---`);
  for (const r of results) say(tableRow(r));
  const missed = results.filter((r) => misses(r).length > 0);
  say("");
  say(`ratios are of the medians (p50). aims: p95 < ${AIM_P95_MS} ms through REST and GraphQL; figures queries (${results.filter((r) => r.c.figures).map((r) => caseKey(r.route)).join(", ")}) at most ${AIM_RATIO}× SQL`);
  say(missed.length ? `missed: ${missed.map((r) => `${caseKey(r.route)} (${misses(r).join("; ")})`).join(", ")}` : "every aim met");
} finally {
  await server?.stop().catch(() => undefined);
  await visitor?.end().catch(() => undefined);
  await owner.end();
  await root.end();
  await db.close();
}

type Door = "rest" | "graphql" | "sql";
interface Stats {
  p50: number;
  p95: number;
  p99: number;
}
interface Result {
  route: RestRoute;
  c: ApiCase;
  stats?: Record<Door, Stats>;
  skipped?: string;
}

function stats(ms: number[]): Stats {
  const sorted = [...ms].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99) };
}

function ms3(s: Stats): string {
  return `${fmt(s.p50)} / ${fmt(s.p95)} / ${fmt(s.p99)}`;
}

/** Of the medians. */
function ratio(a: Stats, b: Stats): number {
  return a.p50 / b.p50;
}

function misses(r: Result): string[] {
  if (!r.stats) return [];
  const out: string[] = [];
  const slow = (["rest", "graphql"] as const).filter((d) => r.stats![d].p95 >= AIM_P95_MS);
  if (slow.length) out.push(`p95 ≥ ${AIM_P95_MS} ms via ${slow.map((d) => (d === "rest" ? "REST" : "GraphQL")).join(" and ")}`);
  if (r.c.figures) {
    const over = (["rest", "graphql"] as const).filter((d) => ratio(r.stats![d], r.stats!.sql) > AIM_RATIO);
    if (over.length) out.push(`over ${AIM_RATIO}× SQL via ${over.map((d) => (d === "rest" ? "REST" : "GraphQL")).join(" and ")}`);
  }
  return out;
}

function line(r: Result): string {
  const s = r.stats!;
  return `REST ${ms3(s.rest)}, GraphQL ${ms3(s.graphql)}, SQL ${ms3(s.sql)} ms; ×${fmt(ratio(s.rest, s.sql), 2)} / ×${fmt(ratio(s.graphql, s.sql), 2)}`;
}

function tableRow(r: Result): string {
  const name = `\`${caseKey(r.route)}\`${r.c.figures ? " (figures)" : ""}`;
  if (!r.stats) return `${name} | — | — | — | — | — | skipped: ${r.skipped}`;
  const s = r.stats;
  const m = misses(r);
  return `${name} | ${ms3(s.rest)} | ${ms3(s.graphql)} | ${ms3(s.sql)} | ${fmt(ratio(s.rest, s.sql), 2)}× | ${fmt(ratio(s.graphql, s.sql), 2)}× | ${m.length ? `**missed**: ${m.join("; ")}` : "met"}`;
}

/** The route over HTTP: path parameters in the path, the rest in the query string (GET) or a JSON body. */
function restRequestInit(base: string, token: string, route: RestRoute, sample: Record<string, unknown>): [string, RequestInit] {
  const rest = { ...sample };
  const path = route.path.replace(/:([a-z_]+)/g, (_, name: string) => {
    const v = rest[name];
    delete rest[name];
    return encodeURIComponent(String(v));
  });
  const headers: Record<string, string> = { authorization: `Bearer ${token}` };
  if (route.method === "get" || route.method === "delete") {
    const query = new URLSearchParams(Object.entries(rest).map(([k, v]): [string, string] => [k, String(v)])).toString();
    return [`${base}${path}${query ? `?${query}` : ""}`, { method: route.method.toUpperCase(), headers }];
  }
  return [`${base}${path}`, { method: route.method.toUpperCase(), headers: { ...headers, "content-type": "application/json" }, body: JSON.stringify(rest) }];
}

async function restRequest(base: string, token: string, route: RestRoute, sample: Record<string, unknown>): Promise<number> {
  const [target, init] = restRequestInit(base, token, route, sample);
  const t0 = performance.now();
  const res = await fetch(target, init);
  const body = await res.text();
  const ms = performance.now() - t0;
  if (res.status !== (route.status ?? 200)) throw new Error(`REST ${caseKey(route)} answered ${res.status}: ${body.slice(0, 500)}`);
  return ms;
}

async function graphqlRequest(base: string, token: string, route: RestRoute, sample: Record<string, unknown>): Promise<number> {
  const body = JSON.stringify({ query: route.document, variables: route.input.parse(sample) });
  const t0 = performance.now();
  const res = await fetch(`${base}/graphql`, { method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, body });
  const answer = (await res.json()) as { data?: unknown; errors?: unknown[] };
  const ms = performance.now() - t0;
  if (res.status !== 200 || answer.errors?.length || !answer.data) throw new Error(`GraphQL ${caseKey(route)} answered ${res.status}: ${JSON.stringify(answer).slice(0, 500)}`);
  return ms;
}

/** A read's SQL must give what the route answers (its total or its one row): else the ratio compares different work. */
async function sameAnswer(
  base: string,
  token: string,
  route: RestRoute,
  c: ApiCase,
  picks: BenchPicks,
  asPerson: (text: string, params: unknown[]) => Promise<pg.QueryResult>,
) {
  const sample = c.sample(picks);
  const [target, init] = restRequestInit(base, token, route, sample);
  const res = await fetch(target, init);
  const body = (await res.json()) as { page?: { total_count: number }; id?: string };
  const q = c.sql(route.input.parse(sample));
  const { rows } = await asPerson(q.text, q.values);
  const rest = "list" in route.answer ? body.page?.total_count : body.id;
  const sql = "list" in route.answer ? Number(rows[0]?.total_count ?? 0) : rows[0]?.id;
  if (rest !== sql) throw new Error(`${caseKey(route)}: REST answers ${JSON.stringify(rest)}, its SQL ${JSON.stringify(sql)}: the baseline is not the same query`);
  if (rest === 0) note(`${caseKey(route)}: note: the sample finds nothing`);
}

/** Real values for the samples: the last seeded day and week, a recent call of an agent with completed reviews, a job. */
async function pickData(
  owner: pg.Pool,
  lastDay: string,
  person: BenchPicks["person"],
  asPerson: (text: string, params: unknown[]) => Promise<pg.QueryResult>,
): Promise<BenchPicks> {
  const { rows: [range] } = await owner.query<{ from: Date; to: Date }>(
    `select ($1::date::timestamp at time zone app_hidden.business_timezone()) as "from",
            (($1::date + 1)::timestamp at time zone app_hidden.business_timezone()) as "to"`,
    [lastDay],
  );
  const { rows: calls } = await owner.query<{ id: string; agent_email: string }>(
    `select c.id, c.agent_email::text as agent_email from app_public.call_center_records c
      where c.location = $1 and c.call_direction = 'inbound' and c.call_answer_time is not null and c.agent_email is not null
        and c.call_start_time < $2
        and exists (select 1 from app_public.quality_assurance_reviews q where q.agent_email = c.agent_email and q.review_status = 'completed')
      order by c.call_start_time desc limit 10`,
    [LOCATION, range!.to],
  );
  if (calls.length < 10) throw new Error(`the demo data has too few answered calls at ${LOCATION} of agents with completed reviews`);
  const picks: BenchPicks = {
    person,
    lastDay,
    weekFrom: Clock.addDays(lastDay, -6),
    lastDayFrom: range!.from.toISOString(),
    lastDayTo: range!.to.toISOString(),
    callId: calls[0]!.id,
    agentEmail: calls[0]!.agent_email,
    calls: calls.map((c) => ({ id: c.id, agentEmail: c.agent_email })),
    jobId: "",
    location: LOCATION,
  };
  if (person.role === "manager") picks.jobId = (await asPerson("select id from app_public.analyze_calls(call_ids => $1::uuid[])", [[picks.callId]])).rows[0].id;
  return picks;
}
