/**
 * Patient-data keys: PHI_ENCRYPTION_KEYS (`id:base64-32-bytes,...`),
 * PHI_ENCRYPTION_KEY_ID (the key new values use) and PHI_HASH_KEY (keyed
 * hashes; never rotated). In development and tests, when unset, keys are
 * generated once into .data/dev-phi-keys.json, outside PostgreSQL's data
 * folder, with a warning; production refuses to start without them
 * (lib/env.ts). Key ids are letters, digits, '_' and '-'. The database never stores keys: each transaction that needs
 * them receives them as settings bound as parameters (phiPgSettings), so they
 * appear in no SQL text, no log line and no pg_stat_statements entry, and a
 * backup of the database holds only ciphertext.
 */
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { Env } from "./env.js";
import { logger } from "./logger.js";
import { DATA_DIR } from "../db/paths.js";

export interface PhiKeys {
  /** key id → base64 key material */
  keys: Record<string, string>;
  currentKeyId: string;
  hashKey: string;
}

export const DEV_PHI_KEYS_FILE = path.join(DATA_DIR, "dev-phi-keys.json");

export class PhiKeyError extends Error {}

export function parseKeyList(list: string): Record<string, string> {
  const keys: Record<string, string> = {};
  for (const part of list.split(",")) {
    const [id, material] = part.split(":");
    if (!id || !material) throw new PhiKeyError(`PHI_ENCRYPTION_KEYS: '${part}' is not id:base64`);
    if (Buffer.from(material, "base64").length !== 32) throw new PhiKeyError(`PHI_ENCRYPTION_KEYS: key '${id}' must be 32 bytes (base64)`);
    keys[id] = material;
  }
  return keys;
}

function generateDevKeys(): PhiKeys {
  if (fs.existsSync(DEV_PHI_KEYS_FILE)) return JSON.parse(fs.readFileSync(DEV_PHI_KEYS_FILE, "utf8")) as PhiKeys;
  const keys: PhiKeys = { keys: { dev1: randomBytes(32).toString("base64") }, currentKeyId: "dev1", hashKey: randomBytes(32).toString("base64") };
  fs.mkdirSync(DATA_DIR, { recursive: true });
  fs.writeFileSync(DEV_PHI_KEYS_FILE, JSON.stringify(keys, null, 2), { mode: 0o600, flag: "wx" });
  return keys;
}

let warned = false;
export function phiKeys(env: Env): PhiKeys {
  if (env.PHI_ENCRYPTION_KEYS) {
    const keys = parseKeyList(env.PHI_ENCRYPTION_KEYS);
    const currentKeyId = env.PHI_ENCRYPTION_KEY_ID ?? Object.keys(keys).at(-1)!;
    if (!keys[currentKeyId]) throw new PhiKeyError(`PHI_ENCRYPTION_KEY_ID '${currentKeyId}' is not in PHI_ENCRYPTION_KEYS`);
    if (!env.PHI_HASH_KEY) throw new PhiKeyError("PHI_HASH_KEY is required with PHI_ENCRYPTION_KEYS");
    return { keys, currentKeyId, hashKey: env.PHI_HASH_KEY };
  }
  if (env.NODE_ENV === "production") throw new PhiKeyError("PHI_ENCRYPTION_KEYS, PHI_ENCRYPTION_KEY_ID and PHI_HASH_KEY are required in production");
  if (!warned && env.NODE_ENV !== "test") {
    warned = true;
    logger.warn({ file: DEV_PHI_KEYS_FILE }, "no PHI_ENCRYPTION_KEYS: using development keys from a local file (never in production)");
  }
  return generateDevKeys();
}

/**
 * The transaction settings that give a session the keys (bound as parameters
 * by whoever sets them): app.phi_key.<id> for each key, app.phi_key_id,
 * app.phi_hash_key.
 */
export function phiPgSettings(keys: PhiKeys): Record<string, string> {
  return {
    ...Object.fromEntries(Object.entries(keys.keys).map(([id, material]) => [`app.phi_key.${id}`, material])),
    "app.phi_key_id": keys.currentKeyId,
    "app.phi_hash_key": keys.hashKey,
  };
}

/**
 * The reveal limits (PHI_REVEAL_LIMIT_PER_MINUTE, PHI_REVEAL_LIMIT_PER_DAY) as
 * the transaction settings app_hidden.reveal_limits() reads, and the lifetime
 * of a recording link (RECORDING_LINK_SECONDS, app_hidden.recording_link_seconds());
 * added to every signed-in request beside the keys.
 */
export function revealLimitPgSettings(
  env: Pick<Env, "PHI_REVEAL_LIMIT_PER_MINUTE" | "PHI_REVEAL_LIMIT_PER_DAY"> & Partial<Pick<Env, "RECORDING_LINK_SECONDS">>,
): Record<string, string> {
  return {
    "app.phi_reveal_limit_per_minute": String(env.PHI_REVEAL_LIMIT_PER_MINUTE),
    "app.phi_reveal_limit_per_day": String(env.PHI_REVEAL_LIMIT_PER_DAY),
    ...(env.RECORDING_LINK_SECONDS !== undefined ? { "app.recording_link_seconds": String(env.RECORDING_LINK_SECONDS) } : {}),
  };
}
