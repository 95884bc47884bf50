/**
 * What one GraphQL operation may ask of the database: rows per page and an
 * estimated cost, both from the document and the request's variables.
 *
 * Paginated fields are the fields with a `first` or `last` argument
 * (PostGraphile's connections and simple collections).
 *
 * - Page size: `first` and `last`, literal or variable, may be at most
 *   `maxPageSize` (GRAPHQL_MAX_PAGE_SIZE); beyond it the request is refused
 *   with PAGE_TOO_LARGE naming the field and the cap.
 * - Neither `first` nor `last` (or both null): PostGraphile would return every
 *   row, so the request runs as if it said `first: maxPageSize`
 *   (`withDefaultPageSize`), and its cost counts that many rows. The answer's
 *   `pageInfo.hasNextPage` and `totalCount` tell a client there is more.
 * - Cost: 1 per field; an object counts 1 plus what is selected in it; a
 *   paginated field counts 1 plus the page size times the shape of one row
 *   (what is selected under `nodes` or `edges`, or under a list field), plus
 *   once what is not per row (`totalCount`, `pageInfo`). Nested pages
 *   multiply. A page of 0 rows is counted as 1 (its plan is still made).
 *   `__typename` and introspection are free. For an interface or union, the
 *   costliest of its types counts. Over `maxCost` (GRAPHQL_MAX_COST):
 *   QUERY_TOO_COSTLY, with the figure.
 *
 * The same measure runs twice: as a validation rule (`queryCostRule`), where
 * the variables are not known yet (a variable page size counts as 1 and a
 * field under `@skip`/`@include` on a variable as absent, so it never refuses
 * what some variables would allow); and when the request executes
 * (`checkRequest`, from a grafast middleware: both /graphql and the REST
 * routes, which call grafast directly), with the variables' values.
 */
import {
  getDirectiveValues,
  getNamedType,
  getNullableType,
  getOperationAST,
  getVariableValues,
  GraphQLError,
  GraphQLIncludeDirective,
  GraphQLSkipDirective,
  isAbstractType,
  isLeafType,
  isListType,
  isObjectType,
  Kind,
  typeFromAST,
  valueFromAST,
  visit,
  type ArgumentNode,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type FragmentSpreadNode,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLSchema,
  type InlineFragmentNode,
  type NamedTypeNode,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValidationRule,
} from "graphql";

export interface CostLimits {
  /** Largest estimated cost of one operation (GRAPHQL_MAX_COST). */
  maxCost: number;
  /** Largest `first`/`last`, and the page size of a paginated field given neither (GRAPHQL_MAX_PAGE_SIZE). */
  maxPageSize: number;
}

export interface OperationMeasure {
  /** Estimated cost; Infinity when the document is too intricate to walk. */
  cost: number;
  /** PAGE_TOO_LARGE (one per argument over the cap), else QUERY_TOO_COSTLY when over maxCost. */
  errors: GraphQLError[];
  /** Paginated fields given neither `first` nor `last` (known only with the variables). */
  unpaged: FieldNode[];
}

/**
 * Beyond this many fields walked (or this deep), the document is refused as
 * too costly without a figure. Each field is walked once however many places
 * spread its fragment, so an ordinary document walks a few hundred.
 */
const MAX_FIELDS_WALKED = 20_000;
const MAX_NESTING = 200;

const UNKNOWN = Symbol("variable not known yet");

class TooIntricate extends Error {}

class Measure {
  walked = 0;
  readonly pageErrors: GraphQLError[] = [];
  readonly unpaged = new Set<FieldNode>();
  private readonly reported = new Set<ArgumentNode | FieldNode>();
  /** Cost of each field (by its nodes, parent type and row count) already walked: a fragment spread in many places is walked once. */
  private readonly known = new Map<string, number>();
  private readonly ids = new Map<FieldNode, number>();

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly fragments: Map<string, FragmentDefinitionNode>,
    /** Coerced variable values; null while validating (not known yet). */
    private readonly variables: Record<string, unknown> | null,
    private readonly limits: CostLimits,
  ) {}

  /** Cost of selections on a type: for an interface or union, its costliest possible type. */
  selections(type: GraphQLNamedType, sets: readonly SelectionSetNode[], depth: number, rowSize?: number): number {
    if (depth > MAX_NESTING) throw new TooIntricate();
    const runtimeTypes = isAbstractType(type) ? this.schema.getPossibleTypes(type) : isObjectType(type) ? [type] : [];
    let costliest = 0;
    for (const runtimeType of runtimeTypes) {
      let sum = 0;
      for (const nodes of this.collect(runtimeType, sets).values()) sum += this.field(runtimeType, nodes, depth, rowSize);
      costliest = Math.max(costliest, sum);
    }
    return costliest;
  }

  /**
   * One response key's cost. `rowSize` is set inside a connection: its list
   * fields (`nodes`, `edges`) are the rows, counted that many times.
   */
  private field(parentType: GraphQLObjectType, nodes: FieldNode[], depth: number, rowSize?: number): number {
    const node = nodes[0]!;
    const name = node.name.value;
    if (name.startsWith("__")) return 0;
    const def = parentType.getFields()[name];
    if (!def) return 0; // validation reports it
    const key = `${parentType.name}:${rowSize ?? ""}:${nodes.map((n) => this.idOf(n)).join(",")}`;
    let cost = this.known.get(key);
    if (cost === undefined) {
      if (++this.walked > MAX_FIELDS_WALKED) throw new TooIntricate();
      cost = this.walk(def, nodes, depth, rowSize);
      this.known.set(key, cost);
    }
    return cost;
  }

  private idOf(node: FieldNode): number {
    let id = this.ids.get(node);
    if (id === undefined) this.ids.set(node, (id = this.ids.size));
    return id;
  }

  private walk(def: GraphQLField<unknown, unknown>, nodes: FieldNode[], depth: number, rowSize?: number): number {
    const type = getNamedType(def.type);
    const listed = isListType(getNullableType(def.type));
    const sets = nodes.flatMap((n) => (n.selectionSet ? [n.selectionSet] : []));
    if (rowSize !== undefined && listed) return rowSize * (isLeafType(type) ? 1 : this.selections(type, sets, depth + 1));
    if (isLeafType(type)) return 1;
    const pageSize = this.pageSize(def, nodes);
    if (pageSize === null) return 1 + this.selections(type, sets, depth + 1);
    if (listed) return 1 + pageSize * this.selections(type, sets, depth + 1);
    return 1 + this.selections(type, sets, depth + 1, pageSize);
  }

  /** Rows a paginated field may return (null: not paginated); refuses a page over the cap. */
  private pageSize(def: GraphQLField<unknown, unknown>, nodes: FieldNode[]): number | null {
    const args = def.args.filter((a) => a.name === "first" || a.name === "last");
    if (args.length === 0) return null;
    const node = nodes[0]!;
    let given = false;
    let size = 0;
    for (const arg of args) {
      const { value, argNode } = this.argument(arg, node);
      if (value === null) continue;
      given = true;
      if (value === UNKNOWN) continue;
      if (value > this.limits.maxPageSize) this.tooLarge(def, arg.name, value, argNode ?? node);
      size = Math.max(size, value);
    }
    if (!given) {
      if (this.variables !== null) for (const n of nodes) this.unpaged.add(n);
      return this.limits.maxPageSize;
    }
    return Math.max(1, size);
  }

  /** An Int argument's value: literal, variable (UNKNOWN while validating), or the schema's default; null when absent or null. */
  private argument(arg: GraphQLArgument, node: FieldNode): { value: number | null | typeof UNKNOWN; argNode?: ArgumentNode } {
    const fallback = typeof arg.defaultValue === "number" ? arg.defaultValue : null;
    const argNode = node.arguments?.find((a) => a.name.value === arg.name);
    if (!argNode) return { value: fallback };
    if (argNode.value.kind === Kind.VARIABLE) {
      if (this.variables === null) return { value: UNKNOWN, argNode };
      const name = argNode.value.name.value;
      if (!Object.hasOwn(this.variables, name)) return { value: fallback, argNode };
      const value = this.variables[name];
      return { value: typeof value === "number" ? value : null, argNode };
    }
    const value: unknown = valueFromAST(argNode.value, arg.type);
    return { value: typeof value === "number" ? value : null, argNode };
  }

  private tooLarge(def: GraphQLField<unknown, unknown>, argName: string, value: number, at: ArgumentNode | FieldNode) {
    if (this.reported.has(at)) return;
    this.reported.add(at);
    const max = this.limits.maxPageSize;
    this.pageErrors.push(
      new GraphQLError(`At most ${max} rows per page: ${def.name} asks for ${argName}: ${value}.`, {
        nodes: [at],
        extensions: { code: "PAGE_TOO_LARGE", field: def.name, argument: argName, maxPageSize: max },
      }),
    );
  }

  /** The fields a selection asks of one object type, by response key, as execution merges them. */
  private collect(runtimeType: GraphQLObjectType, sets: readonly SelectionSetNode[]): Map<string, FieldNode[]> {
    const fields = new Map<string, FieldNode[]>();
    const spread = new Set<string>();
    const walk = (set: SelectionSetNode) => {
      for (const selection of set.selections) {
        if (!this.included(selection)) continue;
        if (selection.kind === Kind.FIELD) {
          const key = (selection.alias ?? selection.name).value;
          const list = fields.get(key);
          if (list) list.push(selection);
          else fields.set(key, [selection]);
        } else if (selection.kind === Kind.INLINE_FRAGMENT) {
          if (this.applies(selection.typeCondition, runtimeType)) walk(selection.selectionSet);
        } else if (!spread.has(selection.name.value)) {
          spread.add(selection.name.value);
          const fragment = this.fragments.get(selection.name.value);
          if (fragment && this.applies(fragment.typeCondition, runtimeType)) walk(fragment.selectionSet);
        }
      }
    };
    for (const set of sets) walk(set);
    return fields;
  }

  private applies(condition: NamedTypeNode | undefined, runtimeType: GraphQLObjectType): boolean {
    if (!condition) return true;
    const type = typeFromAST(this.schema, condition);
    if (!type) return false;
    return type === runtimeType || (isAbstractType(type) && this.schema.isSubType(type, runtimeType));
  }

  /** @skip / @include. While validating, a condition on a variable may go either way: left out. */
  private included(node: FieldNode | FragmentSpreadNode | InlineFragmentNode): boolean {
    if (!node.directives?.length) return true;
    if (this.variables === null) {
      const conditional = node.directives.some(
        (d) => (d.name.value === "skip" || d.name.value === "include") && d.arguments?.some((a) => a.value.kind === Kind.VARIABLE),
      );
      if (conditional) return false;
    }
    try {
      const variables = this.variables ?? {};
      if (getDirectiveValues(GraphQLSkipDirective, node, variables)?.if === true) return false;
      if (getDirectiveValues(GraphQLIncludeDirective, node, variables)?.if === false) return false;
    } catch {
      // a wrong directive argument: validation or execution reports it
    }
    return true;
  }
}

function fragmentsOf(document: DocumentNode): Map<string, FragmentDefinitionNode> {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  return fragments;
}

function rootTypeOf(schema: GraphQLSchema, operation: OperationDefinitionNode) {
  return operation.operation === "query"
    ? schema.getQueryType()
    : operation.operation === "mutation"
      ? schema.getMutationType()
      : schema.getSubscriptionType();
}

/**
 * Page sizes and estimated cost of one operation. `variables`: the coerced
 * variable values, or null when they are not known yet (validation: variable
 * page sizes count as 1, so the figure is the least any variables give).
 */
export function measureOperation(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown> | null,
  limits: CostLimits,
): OperationMeasure {
  const rootType = rootTypeOf(schema, operation);
  if (!rootType) return { cost: 0, errors: [], unpaged: [] };
  const measure = new Measure(schema, fragmentsOf(document), variables, limits);
  let cost: number;
  try {
    cost = measure.selections(rootType, [operation.selectionSet], 0);
  } catch (e) {
    if (!(e instanceof TooIntricate)) throw e;
    cost = Infinity;
  }
  const errors = [...measure.pageErrors];
  if (errors.length === 0 && cost > limits.maxCost) {
    const message = Number.isFinite(cost)
      ? `This request's estimated cost is ${cost}, over the ${limits.maxCost} allowed: each field of each row asked for counts, ` +
        `and a list without first or last counts as ${limits.maxPageSize} rows. Ask for fewer rows or fields, or split the request.`
      : `This request is too intricate to estimate its cost (over ${MAX_NESTING} levels or ${MAX_FIELDS_WALKED} fields to walk); at most ${limits.maxCost} is allowed.`;
    errors.push(
      new GraphQLError(message, {
        nodes: [operation],
        extensions: Number.isFinite(cost) ? { code: "QUERY_TOO_COSTLY", cost, maxCost: limits.maxCost } : { code: "QUERY_TOO_COSTLY", maxCost: limits.maxCost },
      }),
    );
  }
  return { cost, errors, unpaged: [...measure.unpaged] };
}

/**
 * Validation rule: what the document alone decides (literal page sizes, the
 * least cost any variables could give). Reported with the other limits, and
 * cached with the validation result.
 */
export function queryCostRule(limits: CostLimits): ValidationRule {
  return (context) => ({
    OperationDefinition(operation) {
      for (const error of measureOperation(context.getSchema(), context.getDocument(), operation, null, limits).errors) context.reportError(error);
    },
  });
}

export type RequestCheck = { errors: readonly GraphQLError[] } | { document: DocumentNode; cost: number };

/**
 * The check when a request executes, with its variables: refuses a page over
 * the cap or a cost over the limit; otherwise returns the document to run,
 * with `first: maxPageSize` on every paginated field given neither `first`
 * nor `last`. A request whose operation or variables are wrong passes
 * unchanged: grafast reports those itself.
 */
export function checkRequest(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  rawVariables: Record<string, unknown> | null | undefined,
  limits: CostLimits,
): RequestCheck {
  const operation = getOperationAST(document, operationName);
  if (!operation) return { document, cost: 0 };
  const variables = getVariableValues(schema, operation.variableDefinitions ?? [], rawVariables ?? {});
  if (variables.errors) return { document, cost: 0 };
  const measure = measureOperation(schema, document, operation, variables.coerced, limits);
  if (measure.errors.length > 0) return { errors: measure.errors };
  return { document: withDefaultPageSize(document, measure.unpaged, limits.maxPageSize), cost: measure.cost };
}

/** Field numbering of a document, and its rewritten variants: grafast caches an operation's plan by its node, so a variant is made once. */
const fieldIds = new WeakMap<DocumentNode, Map<FieldNode, number>>();
const variants = new WeakMap<DocumentNode, Map<string, DocumentNode>>();
const MAX_VARIANTS_PER_DOCUMENT = 32;

/** The document with `first: pageSize` on the given fields (any null `first` there replaced). */
export function withDefaultPageSize(document: DocumentNode, fields: readonly FieldNode[], pageSize: number): DocumentNode {
  if (fields.length === 0) return document;
  let ids = fieldIds.get(document);
  if (!ids) {
    const numbering = new Map<FieldNode, number>();
    visit(document, { Field: (node) => void numbering.set(node, numbering.size) });
    fieldIds.set(document, (ids = numbering));
  }
  const key = `${pageSize}:${[...new Set(fields.map((f) => ids.get(f) ?? -1))].sort((a, b) => a - b).join(",")}`;
  let byKey = variants.get(document);
  const cached = byKey?.get(key);
  if (cached) return cached;
  const targets = new Set(fields);
  const first: ArgumentNode = { kind: Kind.ARGUMENT, name: { kind: Kind.NAME, value: "first" }, value: { kind: Kind.INT, value: String(pageSize) } };
  const rewritten = visit(document, {
    Field: (node) => (targets.has(node) ? { ...node, arguments: [...(node.arguments ?? []).filter((a) => a.name.value !== "first"), first] } : undefined),
  });
  // Every variant gets operation nodes of its own, even where only a fragment changed: grafast caches plans by operation node.
  const variant: DocumentNode = {
    ...rewritten,
    definitions: rewritten.definitions.map((d) => (d.kind === Kind.OPERATION_DEFINITION ? { ...d } : d)),
  };
  if (!byKey) variants.set(document, (byKey = new Map()));
  if (byKey.size < MAX_VARIANTS_PER_DOCUMENT) byKey.set(key, variant);
  return variant;
}
