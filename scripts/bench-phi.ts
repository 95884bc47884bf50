/**
 * `npm run bench:phi`: the cost of protecting and revealing patient data,
 * against plain inserts and selects of the same rows, measured in one run on
 * a scratch database. Aim: under 20 µs a value (1,000 calls a second stay cheap).
 */
import { parseArgs } from "node:util";
import pg from "pg";
import { phiKeys, phiPgSettings } from "../lib/phi-keys.js";
import { applySettings } from "../db/pg-settings.js";
import { fmt, machine, openScratchDatabase } from "./lib/scratch-database.js";

const { values } = parseArgs({ options: { rows: { type: "string", default: "20000" }, rounds: { type: "string", default: "3" } } });
const N = Number(values.rows);
const ROUNDS = Number(values.rounds);

const db = await openScratchDatabase();
const client = new pg.Client({ connectionString: db.ownerUrl });
await client.connect();
const time = async (sql: string): Promise<number> => {
  const best: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    await client.query("begin");
    const t = process.hrtime.bigint();
    await client.query(sql);
    best.push(Number(process.hrtime.bigint() - t) / 1e3);
    await client.query("rollback");
  }
  return Math.min(...best); // µs, best of the rounds (least disturbed by the shared machine)
};
try {
  await applySettings(client, phiPgSettings(phiKeys(db.env)), { local: false });
  await client.query(`create table bench_source as
    select '(734) 555-' || lpad((g % 10000)::text, 4, '0') as number,
           'Patient note ' || g || ': ' || repeat('itchy rash follow-up ', 8) as note
    from generate_series(1, ${N}) g`);
  await client.query(`create table bench_plain (number text, note text)`);
  await client.query(`create table bench_protected (number bytea, number_hash bytea, note bytea)`);
  await client.query(`insert into bench_plain select * from bench_source`);
  await client.query(`insert into bench_protected select app_hidden.phi_encrypt(number), app_hidden.caller_key(number), app_hidden.phi_encrypt(note) from bench_source`);
  await client.query(`analyze bench_plain; analyze bench_protected`);

  const rows: Array<[string, number, number]> = [];
  const plainInsert = await time(`insert into bench_plain select number, note from bench_source`);
  const encInsert = await time(`insert into bench_protected select app_hidden.phi_encrypt(number), null, app_hidden.phi_encrypt(note) from bench_source`);
  rows.push(["insert 2 values a row (number, 190-char note)", plainInsert, encInsert]);
  const hashInsert = await time(`insert into bench_protected select null, app_hidden.caller_key(number), null from bench_source`);
  const plainOne = await time(`insert into bench_plain (number) select number from bench_source`);
  rows.push(["keyed hash of the caller number", plainOne, hashInsert]);
  const plainSelect = await time(`select number, note from bench_plain limit ${N}`);
  const decSelect = await time(`select app_hidden.phi_decrypt(number), app_hidden.phi_decrypt(note) from bench_protected limit ${N}`);
  rows.push(["select 2 values a row / reveal (decrypt)", plainSelect, decSelect]);

  const lines = [
    `bench:phi — ${new Date().toISOString()} — ${machine()} — ${(await client.query("select version()")).rows[0].version.split(",")[0]}`,
    `${N.toLocaleString()} rows, best of ${ROUNDS} rounds, in one transaction per round`,
    "",
    "operation                                       plain µs/row   protected µs/row   extra µs/value   ratio",
  ];
  for (const [name, plain, protectedTime] of rows) {
    const values = name.startsWith("insert 2") || name.startsWith("select 2") ? 2 : 1;
    const extraPerValue = (protectedTime - plain) / N / values;
    lines.push(
      `${name.padEnd(47)} ${fmt(plain / N, 2).padStart(12)}   ${fmt(protectedTime / N, 2).padStart(16)}   ${fmt(extraPerValue, 2).padStart(14)}   ${fmt(protectedTime / plain, 1).padStart(5)}×`,
    );
  }
  const worst = Math.max(...rows.map(([name, p, e]) => (e - p) / N / (name.startsWith("insert 2") || name.startsWith("select 2") ? 2 : 1)));
  lines.push("", `aim: under 20 µs a value — worst measured ${fmt(worst, 2)} µs: ${worst < 20 ? "met" : "NOT met"}`);
  lines.push(`at 1,000 calls a second with 5 protected values each: about ${fmt((worst * 5 * 1000) / 1e6 * 100, 1)}% of one core`);
  process.stdout.write(lines.join("\n") + "\n");
} finally {
  await client.end();
  await db.close();
}
