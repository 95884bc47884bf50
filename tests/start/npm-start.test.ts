/**
 * The two commands, for real: `npm start` (here its script, tsx scripts/start.ts)
 * on an empty data folder boots the embedded database, migrates, serves and
 * runs the worker; `npm run token` prints only a JWT that the server accepts;
 * Ctrl-C (SIGINT) stops everything and leaves no PostgreSQL running. With
 * THREECX_API_FAKE=true it also runs a fake 3CX holding the demo agents, and
 * the worker's directory sync brings them into the agent directory.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { PROJECT_ROOT } from "../../db/paths.js";
import { freePort, reachableTempDir } from "../helpers/test-server-lifecycle.js";
import { until } from "../helpers/jobs.js";

const tsx = path.join(PROJECT_ROOT, "node_modules", ".bin", "tsx");
let dir: string;
let child: ChildProcess;
let port: number;
let env: NodeJS.ProcessEnv;
let output = "";

function alive(pid: number) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

beforeAll(async () => {
  dir = reachableTempDir("cc-start-");
  port = await freePort();
  const { DATABASE_URL: _a, TEST_DATABASE_URL: _b, JWT_SECRET: _c, ...rest } = process.env;
  env = { ...rest, NODE_ENV: "development", LOG_LEVEL: "info", PORT: String(port), HOST: "127.0.0.1", EMBEDDED_PG_DIR: dir, EMBEDDED_PG_PORT: String(await freePort()), JWT_SECRET: "start-test-secret-start-test-secret-!!", THREECX_API_FAKE: "true" };
  child = spawn(tsx, ["scripts/start.ts"], { cwd: PROJECT_ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
  child.stdout!.on("data", (d) => (output += d));
  child.stderr!.on("data", (d) => (output += d));
});

afterAll(async () => {
  if (child.exitCode === null) child.kill("SIGKILL");
  const pidFile = path.join(dir, "pgdata", "postmaster.pid");
  if (fs.existsSync(pidFile)) process.kill(Number(fs.readFileSync(pidFile, "utf8").split("\n")[0]), "SIGINT");
  await new Promise((r) => setTimeout(r, 500));
  fs.rmSync(dir, { recursive: true, force: true });
});

it("answers the health check with 200 once started", async () => {
  const health = async () => {
    const res = await fetch(`http://127.0.0.1:${port}/api/processing/health-check`);
    return res.status === 200 ? ((await res.json()) as { status: string; worker: { inProcess: boolean } }) : undefined;
  };
  // Refused connections while it starts count as not yet; on timeout, the output says why.
  const body = await until(() => health().catch(() => undefined), { what: "health 200", timeoutMs: 60_000, intervalMs: 250 }).catch((e: Error) => {
    throw new Error(`${e.message}; output:\n${output.slice(-3000)}`);
  });
  expect(body.status).toBe("ok");
  expect(body.worker.inProcess).toBe(true);
  expect(output).toContain(`http://localhost:${port}/graphiql`);
  expect(output).toContain("npm run token");
});

it("npm run token prints only a JWT, which the running server accepts", async () => {
  const result = spawnSync(tsx, ["scripts/token.ts", "--email", "first.manager@gangerdermatology.com", "--role", "manager"], {
    cwd: PROJECT_ROOT,
    env,
    encoding: "utf8",
  });
  expect(result.status).toBe(0);
  expect(result.stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
  const res = await fetch(`http://127.0.0.1:${port}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${result.stdout.trim()}` },
    body: JSON.stringify({ query: "{ allUsers { nodes { email } } }" }),
  });
  expect(await res.json()).toEqual({ data: { allUsers: { nodes: [{ email: "first.manager@gangerdermatology.com" }] } } });
});

it("with THREECX_API_FAKE=true, the directory sync brings in the demo practice's agents from the fake 3CX", async () => {
  const manager = spawnSync(tsx, ["scripts/token.ts", "--email", "first.manager@gangerdermatology.com", "--role", "manager"], { cwd: PROJECT_ROOT, env, encoding: "utf8" }).stdout.trim();
  const agents = async () => {
    const res = await fetch(`http://127.0.0.1:${port}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${manager}` },
      body: JSON.stringify({ query: "{ allAgents { nodes { isActive } } }" }),
    });
    return ((await res.json()) as { data: { allAgents: { nodes: { isActive: boolean }[] } } }).data.allAgents.nodes.filter((a) => a.isActive).length;
  };
  expect(await until(async () => (await agents()) === 60, { what: "60 demo agents synced", timeoutMs: 30_000, intervalMs: 500 })).toBe(true);
  expect(output).toContain("fake 3CX started");
  const health = (await (await fetch(`http://127.0.0.1:${port}/api/processing/health-check`)).json()) as { status: string; pbx: { ok: boolean } };
  expect([health.status, health.pbx.ok]).toEqual(["ok", true]);
});

it("stops cleanly on SIGINT: exit code 0 and no PostgreSQL left running", async () => {
  const pidFile = path.join(dir, "pgdata", "postmaster.pid");
  const postgresPid = Number(fs.readFileSync(pidFile, "utf8").split("\n")[0]);
  expect(alive(postgresPid)).toBe(true);
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  child.kill("SIGINT");
  const code = await exited;
  if (code !== 0) fs.writeFileSync(path.join(dir, "..", "cc-start-failure.log"), output);
  expect(code).toBe(0);
  expect(alive(postgresPid)).toBe(false);
  expect(fs.existsSync(pidFile)).toBe(false);
  expect(output).toMatch(/worker stopped/);
  expect(output).toMatch(/embedded PostgreSQL stopped/);
});
