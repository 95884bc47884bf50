/**
 * Constraint violations in words people can act on. PostgreSQL's own text
 * ("new row for relation "pbx_numbers" violates check constraint
 * "pbx_numbers_kind_check"", with the failing row in the detail) names the
 * constraint and may quote patient data; clients get instead the field, as
 * the API spells it, and what it allows:
 *
 *   kind must be one of ivr, ring_group, voicemail, other, unknown
 *   slThresholdSeconds must be between 1 and 3600
 *   name must be unique: another row already has this value
 *   queueName must refer to an existing row of queues
 *   name is required
 *
 * The rule is read from the catalog (pg_constraint: its columns and
 * pg_get_constraintdef; unique indexes from pg_index), once per constraint
 * and server, after the request has run and before errors are masked
 * (grafserv's maskError cannot wait for the database). The message never
 * holds a value from the row, so it is shown in production too.
 */
import type { ExecutionResult } from "graphql";

/** What the catalog says about a constraint. */
export interface ConstraintInfo {
  /** pg_constraint.contype: c(heck), u(nique), p(rimary key), f(oreign key); u for a unique index. */
  type: string;
  /** pg_get_constraintdef (or pg_get_indexdef). */
  definition: string;
  /** Its columns, in order. */
  columns: string[];
  /** A foreign key's referenced table. */
  referenced: string | null;
  /** The table the constraint is on. */
  table?: string;
}

export interface ConstraintMessage {
  message: string;
  /** The fields concerned, as the API spells them (empty when they are not the request's). */
  fields: string[];
}

/** The messages found for errors of the request now being answered; maskError reads them. */
const messages = new WeakMap<object, ConstraintMessage>();

/** The message found for an error's original (database) error, if any. */
export function constraintMessageOf(error: unknown): ConstraintMessage | undefined {
  return error !== null && typeof error === "object" ? messages.get(error) : undefined;
}

/**
 * One of several problems an error of ours lists in its DETAIL, as JSON {"problems": [...]} (for example
 * bulkCreateCallJournals: each refused journal with its index); worded like the errors themselves.
 */
export interface ListedProblem {
  index?: number;
  /** The line of a file the items came from (a schedule upload's CSV), or their position. */
  line?: number;
  /** The SQLSTATE (ours: CC…). */
  code: string;
  message?: string | null;
  column?: string | null;
  constraint?: string | null;
  table?: string | null;
  schema?: string | null;
}

const listedProblems = new WeakMap<object, ListedProblem[] | null>();

/** The problems an error of ours lists (read once per error, so the same objects carry their messages). */
export function problemsOf(error: unknown): ListedProblem[] | undefined {
  if (error === null || typeof error !== "object") return undefined;
  if (!listedProblems.has(error)) {
    const { code, detail } = error as { code?: unknown; detail?: unknown };
    let found: ListedProblem[] | null = null;
    if (typeof code === "string" && code.startsWith("CC") && typeof detail === "string" && detail.startsWith("{")) {
      try {
        const parsed = JSON.parse(detail) as { problems?: unknown };
        if (Array.isArray(parsed.problems)) {
          found = parsed.problems.filter((p): p is ListedProblem => p !== null && typeof p === "object" && typeof (p as ListedProblem).code === "string");
        }
      } catch {
        found = null;
      }
    }
    listedProblems.set(error, found);
  }
  return listedProblems.get(error) ?? undefined;
}

/** PostGraphile's default inflection: snake_case columns are camelCase fields. */
export const fieldName = (column: string) => column.replace(/_+([a-z0-9])/g, (_, c: string) => c.toUpperCase());
const words = (table: string) => table.replace(/_/g, " ");

function list(names: string[]): string {
  return names.length <= 1 ? (names[0] ?? "") : `${names.slice(0, -1).join(", ")} and ${names[names.length - 1]}`;
}

// ---- reading a CHECK definition -------------------------------------------

/** Index of the parenthesis closing the one at `open`, skipping quoted text; -1 if none. */
function closing(e: string, open: number): number {
  let depth = 0;
  for (let i = open; i < e.length; i++) {
    const ch = e[i];
    if (ch === "'") {
      i = e.indexOf("'", i + 1);
      while (i !== -1 && e[i + 1] === "'") i = e.indexOf("'", i + 2);
      if (i === -1) return -1;
    } else if (ch === "(") depth++;
    else if (ch === ")" && --depth === 0) return i;
  }
  return -1;
}

function stripParens(e: string): string {
  let s = e.trim();
  while (s.startsWith("(") && closing(s, 0) === s.length - 1) s = s.slice(1, -1).trim();
  return s;
}

/** Splits at a keyword (" AND ", " OR ") outside parentheses and quotes. */
function splitTop(e: string, keyword: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < e.length; i++) {
    const ch = e[i];
    if (ch === "'") {
      i = e.indexOf("'", i + 1);
      while (i !== -1 && e[i + 1] === "'") i = e.indexOf("'", i + 2);
      if (i === -1) break;
    } else if (ch === "(") depth++;
    else if (ch === ")") depth--;
    else if (depth === 0 && e.startsWith(keyword, i)) {
      parts.push(e.slice(start, i));
      start = i + keyword.length;
      i += keyword.length - 1;
    }
  }
  parts.push(e.slice(start));
  return parts.map(stripParens);
}

/** A AND (B AND C) as [A, B, C]. */
function conjuncts(e: string): string[] {
  const parts = splitTop(stripParens(e), " AND ");
  return parts.length === 1 ? parts : parts.flatMap(conjuncts);
}

const COLUMN = String.raw`"?([A-Za-z_][A-Za-z0-9_]*)"?`;
const OP = String.raw`(>=|>|<=|<)`;

/** A constant as written by pg_get_constraintdef ('x'::text, (0)::numeric, 5), or undefined. */
function literal(e: string): string | undefined {
  const s = stripParens(e);
  const quoted = /^'((?:[^']|'')*)'(?:::[a-z_ ]+(?:\[\])?)?$/.exec(s);
  if (quoted) return quoted[1]!.replace(/''/g, "'");
  const number = /^\(?(-?\d+(?:\.\d+)?)\)?(?:::[a-z_ ]+)?$/.exec(s);
  return number ? number[1] : undefined;
}

type Atom =
  | { column: string; kind: "oneOf"; values: string[] }
  | { column: string; kind: "pattern"; pattern: string }
  | { column: string; kind: "value" | "length" | "trimmed"; op: string; bound: string }
  | { column: string; kind: "null" };

function atom(e: string): Atom | undefined {
  let m = new RegExp(String.raw`^${COLUMN} = ANY \(ARRAY\[(.*)\]\)$`).exec(e);
  if (m) {
    const values = splitTop(m[2]!, ", ").map(literal);
    return values.every((v) => v !== undefined) ? { column: m[1]!, kind: "oneOf", values: values as string[] } : undefined;
  }
  m = new RegExp(String.raw`^${COLUMN} ~ (.+)$`).exec(e);
  if (m) {
    const pattern = literal(m[2]!);
    return pattern === undefined ? undefined : { column: m[1]!, kind: "pattern", pattern };
  }
  m = new RegExp(String.raw`^length\(TRIM\(BOTH FROM ${COLUMN}\)\) ${OP} (\d+)$`).exec(e);
  if (m) return { column: m[1]!, kind: "trimmed", op: m[2]!, bound: m[3]! };
  m = new RegExp(String.raw`^(?:char_)?length\(${COLUMN}\) ${OP} (\d+)$`).exec(e);
  if (m) return { column: m[1]!, kind: "length", op: m[2]!, bound: m[3]! };
  m = new RegExp(String.raw`^${COLUMN} ${OP} (.+)$`).exec(e);
  if (m) {
    const bound = literal(m[3]!);
    return bound === undefined ? undefined : { column: m[1]!, kind: "value", op: m[2]!, bound };
  }
  m = new RegExp(String.raw`^${COLUMN} IS NULL$`).exec(e);
  if (m) return { column: m[1]!, kind: "null" };
  return undefined;
}

/** The phrases of one column's rule ("be between 1 and 5"), or undefined when the rule is of another shape. */
function phrases(body: string): { column: string; phrases: string[] } | undefined {
  // "col IS NULL OR <rule on col>": the rule, for a value that is given.
  const branches = splitTop(stripParens(body), " OR ");
  let rule = body;
  if (branches.length === 2) {
    const nullIndex = branches.findIndex((b) => atom(b)?.kind === "null");
    if (nullIndex === -1) return undefined;
    rule = branches[1 - nullIndex]!;
  } else if (branches.length > 2) return undefined;

  const atoms = conjuncts(rule).map(atom);
  if (atoms.length === 0 || atoms.some((a) => a === undefined || a.kind === "null")) return undefined;
  const all = atoms as Exclude<Atom, { kind: "null" }>[];
  const column = all[0]!.column;
  if (all.some((a) => a.column !== column)) return undefined;
  if (branches.length === 2 && atom(branches.find((b) => atom(b)?.kind === "null")!)?.column !== column) return undefined;

  const out: string[] = [];
  for (const a of all) {
    if (a.kind === "oneOf") out.push(`be one of ${a.values.join(", ")}`);
    if (a.kind === "pattern") out.push(`match the pattern ${a.pattern}`);
  }
  for (const kind of ["value", "length", "trimmed"] as const) {
    const bounds = all.filter((a): a is Extract<Atom, { kind: typeof kind }> => a.kind === kind);
    if (bounds.length === 0) continue;
    const lower = bounds.find((b) => b.op.startsWith(">"));
    const upper = bounds.find((b) => b.op.startsWith("<"));
    if (bounds.length > 2 || (bounds.length === 2 && !(lower && upper))) return undefined;
    if (kind === "value") {
      if (lower?.op === ">=" && upper?.op === "<=") out.push(`be between ${lower.bound} and ${upper.bound}`);
      else {
        if (lower) out.push(`be ${lower.op === ">=" ? "at least" : "greater than"} ${lower.bound}`);
        if (upper) out.push(`be ${upper.op === "<=" ? "at most" : "less than"} ${upper.bound}`);
      }
      continue;
    }
    // Lengths are whole numbers: > n is at least n + 1, < n at most n - 1.
    const min = lower ? Number(lower.bound) + (lower.op === ">" ? 1 : 0) : undefined;
    const max = upper ? Number(upper.bound) - (upper.op === "<" ? 1 : 0) : undefined;
    if (kind === "trimmed") {
      if (min !== undefined) out.push(min <= 1 ? "not be blank" : `be at least ${min} characters long, not counting surrounding spaces`);
      if (max !== undefined) out.push(`be at most ${max} characters long`);
    } else if (min !== undefined && max !== undefined) out.push(`be ${min} to ${max} characters long`);
    else if (min !== undefined) out.push(`be at least ${min} characters long`);
    else if (max !== undefined) out.push(`be at most ${max} characters long`);
  }
  return { column, phrases: out };
}

/** The definition as a readable condition: no casts, fields as the API spells them, fewer parentheses. */
function render(body: string, columns: string[]): string {
  const condition = (e: string, nested: boolean): string => {
    const ors = splitTop(stripParens(e), " OR ");
    if (ors.length > 1) {
      const s = ors.map((b) => condition(b, true)).join(" OR ");
      return nested ? `(${s})` : s;
    }
    const ands = splitTop(stripParens(e), " AND ");
    if (ands.length > 1) {
      const s = ands.map((b) => condition(b, true)).join(" AND ");
      return nested ? `(${s})` : s;
    }
    return stripParens(e);
  };
  const known = new Set(columns);
  // Outside quoted text: casts go, column names become field names.
  return condition(body, false)
    .split(/('(?:[^']|'')*')/)
    .map((part, i) =>
      i % 2 === 1
        ? part
        : part
            .replace(/\((-?\d+(?:\.\d+)?)\)::[a-z_ ]+/g, "$1")
            .replace(/::[a-z_]+(\[\])?/g, "")
            .replace(/"?\b([a-z_][a-z0-9_]*)\b"?/g, (word, name: string) => (known.has(name) ? fieldName(name) : word)),
    )
    .join("");
}

function describeCheck(info: ConstraintInfo): ConstraintMessage {
  const body = info.definition.replace(/^CHECK /, "").replace(/ NOT VALID$/, "");
  const fields = info.columns.map(fieldName);
  const rule = phrases(body);
  if (rule && info.columns.length <= 1 && rule.phrases.length > 0) {
    return { message: `${fieldName(rule.column)} must ${rule.phrases.join(" and must ")}`, fields: [fieldName(rule.column)] };
  }
  return { message: `${fields.length > 0 ? list(fields) : "the row"} must satisfy: ${render(body, info.columns)}`, fields };
}

/**
 * The message for a constraint violation: `sqlstate` 23514 (check), 23505
 * (unique), 23503 (foreign key) with what the catalog says (`info`), or 23502
 * (not null) with the error's column. `dbMessage` tells a foreign key's two
 * directions apart. Undefined when there is nothing better than the code.
 */
export function describeConstraint(info: ConstraintInfo | null, sqlstate: string, dbMessage: string, column?: string): ConstraintMessage | undefined {
  if (sqlstate === "23502") return column ? { message: `${fieldName(column)} is required`, fields: [fieldName(column)] } : undefined;
  if (!info) return undefined;
  const fields = info.columns.map(fieldName);
  if (sqlstate === "23514" && info.type === "c") return describeCheck(info);
  if (sqlstate === "23505") {
    if (fields.length === 0) return { message: "another row already has this value, which must be unique", fields };
    return fields.length === 1
      ? { message: `${fields[0]} must be unique: another row already has this value`, fields }
      : { message: `the combination of ${list(fields)} must be unique: another row already has these values`, fields };
  }
  if (sqlstate === "23503" && info.referenced) {
    // PostgreSQL's wording tells the two directions apart (table and constraint are the same in both).
    if (/^update or delete on table /.test(dbMessage))
      return { message: `this row is still referred to by ${words(info.table ?? "another table")} (${list(fields)}); change or remove those first`, fields: [] };
    if (/^insert or update on table /.test(dbMessage))
      return { message: `${list(fields)} must refer to an existing row of ${words(info.referenced)}`, fields };
    return {
      message: `${list(fields)} must refer to an existing row of ${words(info.referenced)}, and such a row cannot be removed while referred to`,
      fields,
    };
  }
  return undefined;
}

// ---- the catalog, once per constraint --------------------------------------

const CATALOG_SQL = `
select type, definition, columns, referenced from (
  select 1 as rank, c.contype::text as type, pg_get_constraintdef(c.oid) as definition,
         array(select a.attname::text from unnest(c.conkey) with ordinality k(attnum, n)
                 join pg_attribute a on a.attrelid = c.conrelid and a.attnum = k.attnum order by k.n) as columns,
         r.relname::text as referenced
    from pg_constraint c
    join pg_class t on t.oid = c.conrelid
    join pg_namespace s on s.oid = t.relnamespace
    left join pg_class r on r.oid = c.confrelid
   where s.nspname = $1 and t.relname = $2 and c.conname = $3
  union all
  select 2, 'u', pg_get_indexdef(i.indexrelid),
         array(select a.attname::text from unnest(i.indkey::int2[]) with ordinality k(attnum, n)
                 join pg_attribute a on a.attrelid = i.indrelid and a.attnum = k.attnum order by k.n),
         null
    from pg_index i
    join pg_class ic on ic.oid = i.indexrelid
    join pg_class t on t.oid = i.indrelid
    join pg_namespace s on s.oid = t.relnamespace
   where s.nspname = $1 and t.relname = $2 and ic.relname = $3 and i.indisunique
) found order by rank limit 1`;

const CONSTRAINT_CODES = new Set(["23514", "23505", "23503", "23502"]);

interface DatabaseError {
  code?: unknown;
  message?: unknown;
  schema?: unknown;
  table?: unknown;
  column?: unknown;
  constraint?: unknown;
}

interface Client {
  query(q: { text: string; values?: unknown[] }): Promise<unknown>;
}
interface PgContext {
  withPgClient?: <T>(settings: Record<string, string> | null, cb: (client: Client) => Promise<T>) => Promise<T>;
}

/** A grafast plugin that finds the message of each constraint violation in a result, for maskError. */
export function makeConstraintMessagesPlugin(): GraphileConfig.Plugin {
  // Per server: schema.table.constraint → what the catalog says (null: nothing there).
  const cache = new Map<string, Promise<ConstraintInfo | null>>();

  function lookup(ctx: PgContext, schema: string, table: string, constraint: string): Promise<ConstraintInfo | null> {
    const key = JSON.stringify([schema, table, constraint]);
    let found = cache.get(key);
    if (!found) {
      found = ctx.withPgClient!(null, async (client) => {
        const { rows } = (await client.query({ text: CATALOG_SQL, values: [schema, table, constraint] })) as { rows: ConstraintInfo[] };
        return rows[0] ? { ...rows[0], table } : null;
      });
      cache.set(key, found);
      found.catch(() => cache.delete(key)); // a failed read is tried again next time
    }
    return found;
  }

  async function explain(ctx: PgContext, e: DatabaseError) {
    const str = (v: unknown) => (typeof v === "string" && v !== "" ? v : undefined);
    const code = str(e.code)!;
    const [schema, table, constraint] = [str(e.schema), str(e.table), str(e.constraint)];
    const info = code !== "23502" && schema && table && constraint && ctx.withPgClient ? await lookup(ctx, schema, table, constraint) : null;
    const described = describeConstraint(info, code, str(e.message) ?? "", str(e.column));
    if (described) messages.set(e, described);
  }

  return {
    name: "ConstraintMessagesPlugin",
    version: "1.0.0",
    description: "Finds field-level messages for constraint violations before errors are masked",
    grafast: {
      middleware: {
        async execute(next, event) {
          const result = await next();
          if (!result || typeof result !== "object" || Symbol.asyncIterator in result) return result;
          const ctx = event.args.contextValue as PgContext;
          const violations = ((result as ExecutionResult).errors ?? [])
            .map((error) => error.originalError as DatabaseError | undefined)
            .flatMap((e): Array<DatabaseError | undefined> => [e, ...(problemsOf(e) ?? [])])
            .filter((e): e is DatabaseError => typeof e?.code === "string" && CONSTRAINT_CODES.has(e.code));
          await Promise.all(violations.map((e) => explain(ctx, e).catch(() => undefined)));
          return result;
        },
      },
    },
  };
}
