/**
 * 3CX CDR field names. Our kebab names (`history-id`, `time-start`) and
 * 3CX's own spellings (`historyid`, `callid`, `time_start`, as its field
 * picker and public collectors write them) are both accepted; everything is
 * read under the kebab name.
 */

/** Every field 3CX can put in a CDR line, in the field picker's order. */
export const CDR_FIELD_NAMES = [
  "history-id", "call-id", "duration", "time-start", "time-answered", "time-end", "reason-terminated",
  "from-no", "to-no", "from-dn", "to-dn", "dial-no", "reason-changed", "final-number", "final-dn",
  "bill-code", "bill-rate", "bill-cost", "bill-name", "chain",
  "from-type", "to-type", "final-type", "from-dispname", "to-dispname", "final-dispname", "missed-queue-calls",
] as const;

export type CdrFieldName = (typeof CDR_FIELD_NAMES)[number];

/** The type fields: without them, only the directory tells a queue or an IVR from an agent. */
export const CDR_TYPE_FIELDS: readonly CdrFieldName[] = ["from-type", "to-type", "final-type"];

const ALIASES: Record<string, CdrFieldName> = {
  historyid: "history-id",
  callid: "call-id",
};

/** A field name as written by an administrator → our name, or null when it is no 3CX field. */
export function canonicalCdrField(name: string): CdrFieldName | null {
  const n = name.trim().toLowerCase().replace(/_/g, "-");
  if ((CDR_FIELD_NAMES as readonly string[]).includes(n)) return n as CdrFieldName;
  return ALIASES[n.replace(/-/g, "")] ?? null;
}

/**
 * A comma list of field names → our names in order; throws with every
 * unknown name (and what is accepted) so a start with a typo stops at once.
 */
export function parseCdrFieldList(list: string): CdrFieldName[] {
  const names = list.split(",").map((f) => f.trim());
  const unknown = names.filter((f) => f === "" || canonicalCdrField(f) === null);
  if (unknown.length > 0) {
    throw new Error(
      `unknown CDR field${unknown.length > 1 ? "s" : ""}: ${unknown.map((u) => (u === "" ? "(empty)" : u)).join(", ")}; ` +
        `use 3CX's names (historyid, callid, time_start …) or ours (${CDR_FIELD_NAMES.join(",")})`,
    );
  }
  const fields = names.map((f) => canonicalCdrField(f)!);
  const twice = fields.filter((f, i) => fields.indexOf(f) !== i);
  if (twice.length > 0) throw new Error(`CDR field listed twice: ${[...new Set(twice)].join(", ")}`);
  return fields;
}
