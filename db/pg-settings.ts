/**
 * Gives a connection settings (the person's claims, the patient-data keys) in
 * one statement, values bound as parameters so they never appear in SQL text,
 * logs or pg_stat_statements. `local` (the default) limits them to the
 * current transaction.
 */
import type { ClientBase } from "pg";

export async function applySettings(client: Pick<ClientBase, "query">, settings: Record<string, string>, { local = true } = {}) {
  await client.query("select set_config(key, value, $2) from jsonb_each_text($1::jsonb)", [JSON.stringify(settings), local]);
}
