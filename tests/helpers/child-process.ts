/**
 * A project script as a real process against a test database: node itself
 * (not the tsx wrapper), so signals (SIGINT, SIGKILL) reach the script.
 */
import { spawn, type ChildProcess, type StdioOptions } from "node:child_process";
import path from "node:path";
import { PROJECT_ROOT } from "../../db/paths.js";
import type { TestDatabase } from "./db.js";

export const NODE = path.join(PROJECT_ROOT, "node_modules", ".bin", "node");

export function spawnScript(script: string, args: string[], db: TestDatabase, stdio: StdioOptions, extraEnv: Record<string, string> = {}): ChildProcess {
  const { DATABASE_URL: _ignored, ...rest } = process.env;
  return spawn(NODE, ["--import", "tsx", script, ...args], {
    cwd: PROJECT_ROOT,
    env: {
      ...rest,
      NODE_ENV: "test",
      LOG_LEVEL: "warn",
      DATABASE_URL: db.ownerUrl,
      DATABASE_AUTHENTICATOR_PASSWORD: process.env.TEST_AUTHENTICATOR_PASSWORD,
      WORKER_CONCURRENCY: "2",
      ...extraEnv,
    },
    stdio,
  });
}
