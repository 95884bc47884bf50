/**
 * A range of business days on every figure list: each table or view of
 * app_public with a `business_day` column (the daily and 15-minute figures and
 * their stored rows) gets `condition: { businessDayRange: { fromDay, toDay } }`,
 * inclusive, beside the generated equality conditions and orderBy. The bounds
 * are the database's (`app_hidden.day_range_allowed`, the range functions'
 * check): toDay before fromDay is CC712, more than 366 days CC713.
 */
import type { PgCodecWithAttributes } from "postgraphile/@dataplan/pg";

/** The column a figure row's day is in: `business_day`, or a PRD column renamed to it by `@name business_day`. */
function businessDayColumn(codec: PgCodecWithAttributes): string | undefined {
  return Object.entries(codec.attributes).find(
    ([name, attribute]) => (attribute.extensions?.tags?.name ?? name) === "business_day" && attribute.codec.name === "date",
  )?.[0];
}

export const FigureRangesPlugin: GraphileConfig.Plugin = {
  name: "FigureRangesPlugin",
  version: "1.0.0",
  description: "businessDayRange { fromDay, toDay } on the condition of every list with a business_day column",
  schema: {
    hooks: {
      init(_, build) {
        const { graphql } = build;
        build.registerInputObjectType(
          "DayRange",
          {},
          () => ({
            description: "Business days from fromDay to toDay, both included (at most 366 days).",
            fields: () => {
              const date = build.getTypeByName("Date") as import("graphql").GraphQLInputType;
              return {
                fromDay: { type: new graphql.GraphQLNonNull(date), description: "The first business day." },
                toDay: { type: new graphql.GraphQLNonNull(date), description: "The last business day (included)." },
              };
            },
          }),
          "FigureRangesPlugin: the DayRange input",
        );
        return _;
      },
      GraphQLInputObjectType_fields(fields, build, context) {
        const { isPgCondition, pgCodec } = context.scope;
        if (!isPgCondition || !pgCodec?.attributes || pgCodec.extensions?.pg?.schemaName !== "app_public") return fields;
        const column = businessDayColumn(pgCodec as PgCodecWithAttributes);
        if (!column) return fields;
        const { sql } = build;
        const { sqlValueWithCodec, TYPES } = build.dataplanPg;
        const DayRange = build.getInputTypeByName("DayRange");
        return build.extend(
          fields,
          {
            businessDayRange: context.fieldWithHooks(
              { fieldName: "businessDayRange" },
              {
                description: "Only rows of these business days (both included); toDay before fromDay or a range over 366 days is an error.",
                type: DayRange,
                apply($condition: { alias: unknown; where(fragment: unknown): void }, value: { fromDay: string; toDay: string } | null) {
                  if (value == null) return;
                  const [from, to] = [sqlValueWithCodec(value.fromDay, TYPES.date), sqlValueWithCodec(value.toDay, TYPES.date)];
                  const day = sql`${$condition.alias as never}.${sql.identifier(column)}`;
                  // The bounds are checked by the database, once per query (a sub-select is an InitPlan).
                  $condition.where(sql`${day} between ${from} and ${to} and (select app_hidden.day_range_allowed(${from}, ${to}))`);
                },
              },
            ),
          },
          `FigureRangesPlugin: businessDayRange on ${pgCodec.name}`,
        );
      },
    },
  },
};
