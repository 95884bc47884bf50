/** Absolute paths inside the project, independent of the working directory. */
import path from "node:path";
import { fileURLToPath } from "node:url";

export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const MIGRATIONS_DIR = path.join(PROJECT_ROOT, "migrations");
export const DATA_DIR = path.join(PROJECT_ROOT, ".data");
export const CRONTAB_FILE = path.join(PROJECT_ROOT, "worker", "crontab");
export const SQL_FIXTURES_DIR = path.join(MIGRATIONS_DIR, "fixtures");
