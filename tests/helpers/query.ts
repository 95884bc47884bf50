/** Reading from the database in tests: rows, the first row, a first value as a number, numeric strings as numbers. */
import type pg from "pg";

/** A pool or a client (e.g. the one asUser() hands out). */
export type Queryable = Pick<pg.ClientBase, "query">;

/** Every row of a query. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read columns freely, as pg's own rows do
export async function rows<R = any>(pool: Queryable, sql: string, params: unknown[] = []): Promise<R[]> {
  return (await pool.query(sql, params)).rows as R[];
}

/** The first row of a query (undefined when there is none). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- as rows()
export async function one<R = any>(pool: Queryable, sql: string, params: unknown[] = []): Promise<R> {
  return (await pool.query(sql, params)).rows[0] as R;
}

/** The first column of the first row as a number (counts, sums and ids come back from pg as strings); fails when there is no row. */
export async function numberOf(pool: Queryable, sql: string, params: unknown[] = []): Promise<number> {
  const row = (await pool.query(sql, params)).rows[0] as Record<string, unknown> | undefined;
  if (!row) throw new Error(`no row from: ${sql}`);
  return Number(Object.values(row)[0]);
}

/** A row with its numeric strings (numeric, bigint columns) as numbers; null stays null, no row stays undefined. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- as rows()
export function num(row: Record<string, unknown>): Record<string, any>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- as rows()
export function num(row: Record<string, unknown> | undefined): Record<string, any> | undefined;
export function num(row: Record<string, unknown> | undefined) {
  return row && Object.fromEntries(Object.entries(row).map(([k, v]) => [k, v === null ? null : typeof v === "string" && /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : v]));
}
