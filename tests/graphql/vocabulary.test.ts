/**
 * One word for one thing in the GraphQL API (docs/api.md, "Names"): the same
 * quantity has the same name on calls, legs, shifts, goals and figures; an
 * agent is named by `agent` (email or extension) and a queue by `queue` (name
 * or extension) wherever a function takes one; counts are Int, never BigInt
 * strings; every figure list takes a range of business days and sorts.
 * Read from db/schema.graphql, which tests/db/schema-description.test.ts keeps
 * equal to the live schema.
 */
import { readFileSync } from "node:fs";
import { buildSchema, getNamedType, isInputObjectType, isObjectType, type GraphQLField, type GraphQLSchema } from "graphql";

const schema: GraphQLSchema = buildSchema(readFileSync(new URL("../../db/schema.graphql", import.meta.url), "utf8"));
const objectTypes = Object.values(schema.getTypeMap()).filter((t) => isObjectType(t) && !t.name.startsWith("__"));
const fields = objectTypes.flatMap((t) => Object.values((t as { getFields(): Record<string, GraphQLField<unknown, unknown>> }).getFields()).map((f) => ({ type: t.name, field: f })));

/** Words that name a quantity we already have a word for. */
const SYNONYMS: [RegExp, string][] = [
  [/DurationSeconds$/, "…Seconds (talkSeconds, ringSeconds)"],
  [/TimeSeconds$/, "…Seconds (holdSeconds, availableSeconds)"],
  [/AfterCallWork/, "acw (acwSeconds)"],
  [/Percentage(?!Score)/, "Pct (utilizationPct)"],
  [/Rate$/, "…Pct (conversionPct, fcrPct)"],
];

describe("one word for one thing", () => {
  it("no field uses a synonym of a word the API already has", () => {
    const offenders = fields.flatMap(({ type, field }) =>
      SYNONYMS.filter(([re]) => re.test(field.name)).map(([, word]) => `${type}.${field.name} (say ${word})`),
    );
    expect(offenders).toEqual([]);
  });

  it("functions take an agent as `agent` and a queue as `queue`, never by a column's name", () => {
    const query = schema.getQueryType()!.getFields();
    const offenders = Object.values(query)
      // Generated lookups by a unique key (agentByExtension, ...ByAgentEmailAndShiftDate) name their columns; that is their point.
      .filter((f) => !/By[A-Z]/.test(f.name) && !f.name.startsWith("all"))
      .flatMap((f) => f.args.filter((a) => ["agentEmail", "agentExtension", "queueName", "queueExtension"].includes(a.name)).map((a) => `${f.name}(${a.name})`));
    expect(offenders).toEqual([]);
    for (const name of ["agentDayCalls", "agentKpisForRange", "searchCallRecords"]) expect(query[name]!.args.map((a) => a.name)).toContain("agent");
    for (const name of ["queueDayCalls", "queueIntervalCalls", "queueKpisForRange", "searchCallRecords", "staffingForecast"]) {
      expect(query[name]!.args.map((a) => a.name)).toContain("queue");
    }
  });

  it("counts are Int: BigInt only for sums of seconds, byte sizes and the audit log's row id", () => {
    const bigints = fields
      .filter(({ type, field }) => getNamedType(field.type).name === "BigInt" && !type.endsWith("Edge"))
      .map(({ type, field }) => `${type}.${field.name}`)
      .filter((name) => !/Seconds(InHistory)?$/.test(name) && !/\.sizeBytes$/.test(name) && name !== "AuditLog.rowId");
    expect(bigints).toEqual([]);
  });

  it("every figure list takes businessDayRange and orderBy", () => {
    const query = schema.getQueryType()!.getFields();
    const figureLists = Object.values(query).filter((f) => {
      const condition = f.args.find((a) => a.name === "condition");
      return condition && isInputObjectType(getNamedType(condition.type)) && "businessDay" in (getNamedType(condition.type) as { getFields(): object }).getFields();
    });
    expect(figureLists.map((f) => f.name).sort()).toEqual([
      "allAgentDailyKpis",
      "allAgentDailyStats",
      "allQueueDailyKpis",
      "allQueueIntervalKpis",
      "allQueueIntervalStats",
      "allTeamDailyKpis",
      "allTeamPerformanceMetrics",
    ]);
    for (const f of figureLists) {
      const condition = getNamedType(f.args.find((a) => a.name === "condition")!.type) as { getFields(): Record<string, unknown> };
      expect([f.name, "businessDayRange" in condition.getFields(), f.args.some((a) => a.name === "orderBy")]).toEqual([f.name, true, true]);
    }
  });
});
