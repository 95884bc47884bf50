/**
 * The HS256 signing secret: JWT_SECRET, or in development a random secret
 * generated once into .data/dev-jwt-secret (shared by the server and
 * `npm run token`). Production requires JWT_SECRET or JWKS (lib/env.ts).
 */
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { Env } from "./env.js";
import { DATA_DIR } from "../db/paths.js";

export const DEV_JWT_SECRET_FILE = path.join(DATA_DIR, "dev-jwt-secret");

export function jwtSecret(env: Env): string | undefined {
  if (env.JWT_SECRET) return env.JWT_SECRET;
  if (env.NODE_ENV === "production") return undefined;
  if (!fs.existsSync(DEV_JWT_SECRET_FILE)) {
    fs.mkdirSync(DATA_DIR, { recursive: true });
    fs.writeFileSync(DEV_JWT_SECRET_FILE, randomBytes(32).toString("base64url"), { mode: 0o600, flag: "wx" });
  }
  return fs.readFileSync(DEV_JWT_SECRET_FILE, "utf8").trim();
}

/** The issuer our own HS256 tokens carry (and the server expects when JWT_ISSUER is unset). */
export const OWN_ISSUER = "call-center-ops";
