import {
  GraphQLError,
  Kind,
  getNamedType,
  getNullableType,
  isCompositeType,
  isInputObjectType,
  isInterfaceType,
  isListType,
  isObjectType,
  typeFromAST,
  type FieldNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
  type ValueNode,
} from 'graphql';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../schema/common/connection.js';

/**
 * A schema-aware query cost: the most field values a response can hold. Every field counts 1, times
 * the number of items of every list it sits in. A list's size is its connection's `first`:
 *
 * - a literal `first: 20` → 20;
 * - `first: $n` → the variable's default value, or MAX_PAGE_SIZE when it has none (validation runs
 *   once per document, before the variables are known, so a variable counts at the most it may be);
 * - no `first` → DEFAULT_PAGE_SIZE, what the resolvers then return;
 * - a connection paged by its `input` (`searchImagery(input: {first})`): that `first` the same way,
 *   and a whole input given as a variable → MAX_PAGE_SIZE.
 *
 * Lists without a page size (a processing's messages, a flow's nodes) count one item: the vendor
 * bounds them, not the client. graphql-armor's cost-limit, which this replaces, multiplies only by a
 * literal `first` (a variable or an absent one counted 1, an open door to 100 × 100 items) and by
 * 1.5 per level (which punished the dashboard's 20 projects × 20 processings for being nested).
 *
 * The error is the same coded validation error as the other limits'.
 */
export function queryCostRule(maxCost: number, report: (context: ValidationContext, err: GraphQLError) => void): ValidationRule {
  return (context) => ({
    OperationDefinition(operation) {
      const cost = operationCost(context, operation);
      if (cost > maxCost) report(context, new GraphQLError(`Query Cost limit of ${maxCost} exceeded, found ${cost}.`));
    },
  });
}

export function operationCost(context: ValidationContext, operation: OperationDefinitionNode): number {
  const schema = context.getSchema();
  const root = operation.operation === 'query' ? schema.getQueryType() : operation.operation === 'mutation' ? schema.getMutationType() : schema.getSubscriptionType();
  if (!root) return 0;
  const defaults = new Map<string, ValueNode | undefined>();
  for (const v of operation.variableDefinitions ?? []) defaults.set(v.variable.name.value, v.defaultValue);

  /** `first` inside an `input` argument (`searchImagery(input: {first})`): its value node; a variable input counts at the most it may be. */
  const inputFirst = (field: FieldNode, def: GraphQLField<unknown, unknown>): { found: boolean; value?: ValueNode } => {
    const input = def.args.find((a) => a.name === 'input');
    const inputType = input ? getNamedType(input.type) : undefined;
    if (!isInputObjectType(inputType) || !inputType.getFields().first) return { found: false };
    const arg = field.arguments?.find((a) => a.name.value === 'input');
    if (!arg) return { found: true };
    if (arg.value.kind === Kind.VARIABLE) return { found: true, value: arg.value };
    if (arg.value.kind !== Kind.OBJECT) return { found: true };
    return { found: true, value: arg.value.fields.find((f) => f.name.value === 'first')?.value };
  };

  const pageSize = (field: FieldNode, def: GraphQLField<unknown, unknown>): number | undefined => {
    if (!def.args.some((a) => a.name === 'first')) {
      const nested = inputFirst(field, def);
      if (!nested.found) return undefined;
      if (!nested.value) return DEFAULT_PAGE_SIZE;
      if (nested.value.kind === Kind.INT) return Math.max(0, Number.parseInt(nested.value.value, 10));
      return nested.value.kind === Kind.NULL ? DEFAULT_PAGE_SIZE : MAX_PAGE_SIZE;
    }
    const arg = field.arguments?.find((a) => a.name.value === 'first');
    if (!arg) return DEFAULT_PAGE_SIZE;
    const value = arg.value.kind === Kind.VARIABLE ? defaults.get(arg.value.name.value) ?? null : arg.value;
    if (value === null) return MAX_PAGE_SIZE;
    if (value.kind === Kind.INT) return Math.max(0, Number.parseInt(value.value, 10));
    return value.kind === Kind.NULL ? DEFAULT_PAGE_SIZE : MAX_PAGE_SIZE;
  };

  /** `inPage`: the page size of the connection this selection set belongs to, for its list fields. */
  const selectionCost = (set: SelectionSetNode, type: GraphQLCompositeType, inPage: number | undefined, fragments: Set<string>): number => {
    let cost = 0;
    for (const sel of set.selections) {
      if (sel.kind === Kind.INLINE_FRAGMENT) {
        const cond = sel.typeCondition ? typeFromAST(schema, sel.typeCondition) : type;
        if (cond && isCompositeType(cond)) cost += selectionCost(sel.selectionSet, cond, inPage, fragments);
      } else if (sel.kind === Kind.FRAGMENT_SPREAD) {
        const name = sel.name.value;
        const fragment = context.getFragment(name);
        if (!fragment || fragments.has(name)) continue; // cycles are NoFragmentCyclesRule's to report
        const cond = typeFromAST(schema, fragment.typeCondition);
        if (cond && isCompositeType(cond)) cost += selectionCost(fragment.selectionSet, cond, inPage, new Set(fragments).add(name));
      } else {
        if (sel.name.value.startsWith('__')) continue; // __typename, and introspection (switched off by its own rule)
        const def = isObjectType(type) || isInterfaceType(type) ? type.getFields()[sel.name.value] : undefined;
        if (!def) continue; // an unknown field: FieldsOnCorrectTypeRule reports it
        const page = pageSize(sel, def);
        const items = isListType(getNullableType(def.type)) ? (page ?? inPage ?? 1) : 1;
        const named = getNamedType(def.type);
        const children = sel.selectionSet && isCompositeType(named) ? selectionCost(sel.selectionSet, named, page, fragments) : 0;
        cost += items * (1 + children);
      }
    }
    return cost;
  };
  return selectionCost(operation.selectionSet, root, undefined, new Set());
}
