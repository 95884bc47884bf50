/**
 * The page-size and cost measure (server/graphql-cost.ts) on the API's own
 * schema (db/schema.graphql, which a test keeps equal to the database's):
 * the figures of ordinary and abusive requests, with page sizes written in
 * the document or given as variables, and what the document alone decides
 * (the validation rule) against what the variables decide.
 */
import { readFileSync } from "node:fs";
import { buildSchema, getOperationAST, Kind, parse, print, validate, specifiedRules, type FieldNode, type OperationDefinitionNode } from "graphql";
import { checkRequest, measureOperation, queryCostRule, withDefaultPageSize } from "../../server/graphql-cost.js";
import { REST_ROUTES } from "../../server/rest/routes.js";

const schema = buildSchema(readFileSync(new URL("../../db/schema.graphql", import.meta.url), "utf8"));
const limits = { maxCost: 100_000, maxPageSize: 1000 };
const TEN = "callId location queueName agentExtension agentEmail callDirection callType callStartTime callStatus talkSeconds";

/** Cost with the variables (as a request runs), or the code of the first refusal. */
function request(query: string, variables?: Record<string, unknown>, l = limits) {
  const checked = checkRequest(schema, parse(query), undefined, variables, l);
  return "errors" in checked ? String(checked.errors[0]!.extensions.code) : checked.cost;
}
/** Cost from the document alone (the validation rule's figure), or the code of the first refusal. */
function documentOnly(query: string, l = limits) {
  const document = parse(query);
  const measured = measureOperation(schema, document, getOperationAST(document)!, null, l);
  return measured.errors.length > 0 ? String(measured.errors[0]!.extensions.code) : measured.cost;
}

describe("cost: each field of each row", () => {
  it.each([
    ["a page of 400 calls, one field and a nested object", `{ allCallCenterRecords(first: 400) { nodes { callId queueByQueueName { name } } } }`, 1201],
    ["a page of 400 calls, 10 fields and a nested object", `{ allCallCenterRecords(first: 400) { nodes { ${TEN} queueByQueueName { name } } } }`, 4801],
    ["the same with totalCount and pageInfo (counted once)", `{ allCallCenterRecords(first: 400) { totalCount pageInfo { hasNextPage } nodes { ${TEN} queueByQueueName { name } } } }`, 4804],
    ["edges count the cursor and the node", `{ allCallCenterRecords(first: 400) { edges { cursor node { ${TEN} } } } }`, 4801],
    ["a list without first or last counts as GRAPHQL_MAX_PAGE_SIZE rows", `{ allLocations { nodes { name code } } }`, 2001],
    ["last counts like first", `{ allLocations(last: 2) { nodes { name code } } }`, 5],
    ["__typename and introspection are free", `{ __typename __schema { types { name fields { name } } } allLocations(first: 1) { nodes { name } } }`, 2],
    ["a page of 0 rows counts as 1", `{ allLocations(first: 0) { nodes { name code } } }`, 3],
  ])("%s", (_what, query, cost) => {
    expect(request(query)).toBe(cost);
    expect(documentOnly(query)).toBe(cost);
  });

  it("multiplies nested pages, and refuses a nested blow-up whether the sizes are literals or variables", () => {
    const literal = `{ allQueues(first: 1000) { nodes { name callCenterRecordsByQueueName(first: 1000) { nodes { callId } } } } }`;
    const variables = `query($a: Int, $b: Int) { allQueues(first: $a) { nodes { name callCenterRecordsByQueueName(first: $b) { nodes { callId } } } } }`;
    const unpaged = `{ allQueues { nodes { name callCenterRecordsByQueueName { nodes { callId } } } } }`;
    expect(request(`{ allQueues(first: 10) { nodes { name callCenterRecordsByQueueName(first: 20) { nodes { callId } } } } }`)).toBe(1 + 10 * (1 + 1 + 20));
    expect(request(literal)).toBe("QUERY_TOO_COSTLY");
    expect(documentOnly(literal)).toBe("QUERY_TOO_COSTLY");
    expect(request(variables, { a: 1000, b: 1000 })).toBe("QUERY_TOO_COSTLY");
    expect(documentOnly(variables)).toBe(1 + 1 * (1 + 1 + 1)); // sizes not known yet: the least they can cost
    expect(request(unpaged)).toBe("QUERY_TOO_COSTLY");
    const refusal = checkRequest(schema, parse(literal), undefined, undefined, limits);
    expect("errors" in refusal && refusal.errors[0]!.extensions).toEqual({ code: "QUERY_TOO_COSTLY", cost: 1_002_001, maxCost: 100_000 });
    expect("errors" in refusal && refusal.errors[0]!.message).toMatch(/estimated cost is 1002001, over the 100000 allowed/);
  });

  it("counts fields once per response key, through fragments, as execution merges them", () => {
    const merged = `{ allLocations(first: 10) { nodes { name ...L ...L name } } } fragment L on Location { name code }`;
    expect(request(merged)).toBe(1 + 10 * 2);
  });

  it("counts the costliest type of an interface", () => {
    const query = `{ node(id: "x") { id ... on Location { name code } ... on Queue { callCenterRecordsByQueueName(first: 10) { nodes { callId } } } } }`;
    expect(request(query)).toBe(1 + 1 + (1 + 10));
  });

  it("leaves out what @skip/@include leave out; while validating, anything conditional on a variable", () => {
    const query = `query($more: Boolean!) { allLocations(first: 10) { nodes { name code @include(if: $more) } } }`;
    expect(request(query, { more: true })).toBe(21);
    expect(request(query, { more: false })).toBe(11);
    expect(documentOnly(query)).toBe(11);
    expect(request(`{ allLocations(first: 10) { nodes { name code @skip(if: true) } } }`)).toBe(11);
  });

  it("counts a mutation's payload, its query field included", () => {
    const query = `mutation { createLocation(input: { location: { name: "N", code: "N" } }) { location { name } query { allQueues(first: 100) { nodes { name } } } } }`;
    expect(request(query)).toBe(1 + (1 + 1) + (1 + (1 + 100)));
  });

  it("gives the REST routes' pages (page_size at most 200) room under the default", () => {
    const costs = REST_ROUTES.map((route) => {
      const document = parse(route.document);
      return measureOperation(schema, document, getOperationAST(document)!, { first: 200 }, limits).cost;
    });
    expect(Math.max(...costs)).toBeGreaterThan(200 * 40); // the call list: 200 rows of 44 fields
    expect(Math.max(...costs)).toBeLessThan(limits.maxCost / 10);
  });
});

describe("page size", () => {
  it("refuses first or last over GRAPHQL_MAX_PAGE_SIZE, literal or variable, naming the field and the cap", () => {
    const checked = checkRequest(schema, parse(`query($n: Int) { allCallCenterRecords(first: $n) { nodes { callId } } }`), undefined, { n: 1_000_000 }, limits);
    expect("errors" in checked && checked.errors.map((e) => [e.message, e.extensions])).toEqual([
      ["At most 1000 rows per page: allCallCenterRecords asks for first: 1000000.", { code: "PAGE_TOO_LARGE", field: "allCallCenterRecords", argument: "first", maxPageSize: 1000 }],
    ]);
    expect(request(`{ allLocations(last: 1001) { nodes { name } } }`)).toBe("PAGE_TOO_LARGE");
    expect(documentOnly(`{ allLocations(last: 1001) { nodes { name } } }`)).toBe("PAGE_TOO_LARGE");
    expect(request(`{ allLocations(first: 1000) { nodes { name } } }`)).toBe(1001);
    expect(request(`query($n: Int = 5000) { allLocations(first: $n) { nodes { name } } }`)).toBe("PAGE_TOO_LARGE");
    expect(request(`query($n: Int = 5000) { allLocations(first: $n) { nodes { name } } }`, { n: 10 })).toBe(11);
    // nested, inside a fragment
    expect(request(`query($n: Int) { allQueues(first: 1) { nodes { ...Q } } } fragment Q on Queue { callCenterRecordsByQueueName(first: $n) { nodes { callId } } }`, { n: 1001 })).toBe(
      "PAGE_TOO_LARGE",
    );
  });

  it("the validation rule reports what the document alone decides, with the other rules", () => {
    const rules = [...specifiedRules, queryCostRule(limits)];
    expect(validate(schema, parse(`{ allLocations(first: 5000) { nodes { name } } }`), rules).map((e) => e.extensions.code)).toEqual(["PAGE_TOO_LARGE"]);
    expect(validate(schema, parse(`query($n: Int) { allLocations(first: $n) { nodes { name } } }`), rules)).toEqual([]);
  });
});

describe("a list given neither first nor last", () => {
  const unpagedOf = (query: string, variables?: Record<string, unknown>) => {
    const document = parse(query);
    return measureOperation(schema, document, getOperationAST(document)!, variables ?? {}, limits).unpaged.map((f) => f.name.value);
  };

  it("is found where the document or the variables leave both out (a null is no size)", () => {
    expect(unpagedOf(`{ allLocations { nodes { name } } allQueues(first: 2) { nodes { name } } }`)).toEqual(["allLocations"]);
    expect(unpagedOf(`{ allLocations(last: 2) { nodes { name } } }`)).toEqual([]);
    expect(unpagedOf(`query($n: Int) { allLocations(first: $n) { nodes { name } } }`, { n: null })).toEqual(["allLocations"]);
    expect(unpagedOf(`query($n: Int) { allLocations(first: $n) { nodes { name } } }`, {})).toEqual(["allLocations"]);
    expect(unpagedOf(`query($n: Int) { allLocations(first: $n) { nodes { name } } }`, { n: 3 })).toEqual([]);
    expect(unpagedOf(`{ allLocations(first: null) { nodes { name } } }`)).toEqual(["allLocations"]);
  });

  it("runs with first: GRAPHQL_MAX_PAGE_SIZE, one variant per document and set of fields, each with operation nodes of its own", () => {
    const document = parse(`query($n: Int) { ...F allQueues(first: 1) { nodes { name } } } fragment F on Query { allLocations(first: $n) { nodes { name } } }`);
    const checked = checkRequest(schema, document, undefined, { n: null }, limits);
    expect("document" in checked && print(checked.document)).toContain("allLocations(first: 1000)");
    expect("document" in checked && print(checked.document)).toContain("allQueues(first: 1)");
    const again = checkRequest(schema, document, undefined, {}, limits);
    expect("document" in again && "document" in checked && again.document === checked.document).toBe(true);
    // only the fragment changed, but grafast caches plans by operation node: the variant's is a new one
    const operationOf = (d: typeof document) => d.definitions.find((x): x is OperationDefinitionNode => x.kind === Kind.OPERATION_DEFINITION)!;
    expect("document" in checked && operationOf(checked.document) !== operationOf(document)).toBe(true);
    // with a size given, the document runs as written
    const sized = checkRequest(schema, document, undefined, { n: 3 }, limits);
    expect("document" in sized && sized.document === document).toBe(true);
  });

  it("replaces a null first and keeps the other arguments", () => {
    const document = parse(`{ allLocations(first: null, orderBy: NAME_ASC) { nodes { name } } }`);
    const field = (getOperationAST(document)!.selectionSet.selections[0] as FieldNode);
    expect(print(withDefaultPageSize(document, [field], 7))).toContain("allLocations(orderBy: NAME_ASC, first: 7)");
  });
});

describe("documents made to be slow to measure", () => {
  it("walks a fragment spread in many places once, and still counts every place", () => {
    // every level doubles the paths: 2^20 of them, counted without walking each
    const levels = 20;
    const fragments = Array.from({ length: levels }, (_, i) =>
      `fragment F${i} on Query { query { ${i + 1 < levels ? `a: query { ...F${i + 1} } b: query { ...F${i + 1} }` : "__typename"} } }`,
    ).join("\n");
    const checked = checkRequest(schema, parse(`{ ...F0 } ${fragments}`), undefined, undefined, limits);
    expect("errors" in checked && checked.errors[0]!.extensions.code).toBe("QUERY_TOO_COSTLY");
    expect("errors" in checked && Number(checked.errors[0]!.extensions.cost)).toBeGreaterThan(2 ** 20);
  });

  it("refuses a document nested deeper than it walks, without a figure", () => {
    const deep = `{ ${"query { ".repeat(250)}__typename${" }".repeat(250)} }`;
    const checked = checkRequest(schema, parse(deep), undefined, undefined, limits);
    expect("errors" in checked && checked.errors[0]!.extensions).toEqual({ code: "QUERY_TOO_COSTLY", maxCost: 100_000 });
    expect("errors" in checked && checked.errors[0]!.message).toMatch(/too intricate/);
  });
});
