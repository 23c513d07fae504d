import { readFileSync } from 'node:fs';
import { buildSchema, parse, validate, type OperationDefinitionNode, type ValidationRule } from 'graphql';
import { describe, expect, it } from 'vitest';
import { operationCost } from '../../src/server/query-cost.js';

/** A connection paged by its input (`searchImagery(input: {first})`) costs its page like one paged by `first`. */

const schema = buildSchema(readFileSync(new URL('../../schema.graphql', import.meta.url), 'utf8'));

function costOf(text: string): number {
  let cost = -1;
  const rule: ValidationRule = (context) => ({
    OperationDefinition(op: OperationDefinitionNode) {
      cost = operationCost(context, op);
    },
  });
  expect(validate(schema, parse(text), [rule])).toEqual([]);
  return cost;
}

const AOI = '{type: "Polygon", coordinates: [[[37.42, 55.69], [37.44, 55.69], [37.44, 55.71], [37.42, 55.69]]]}';

describe('query cost of searchImagery', () => {
  it.each([
    ['a literal first', `{ searchImagery(input: {aoi: ${AOI}, first: 5}) { nodes { id } } }`, 1 + 5 * 2],
    ['a literal first of 50', `{ searchImagery(input: {aoi: ${AOI}, first: 50}) { nodes { id } } }`, 1 + 50 * 2],
    ['no first (the default page)', `{ searchImagery(input: {aoi: ${AOI}}) { nodes { id } } }`, 1 + 20 * 2],
    ['first as a variable (counted at the most)', `query($n: Int) { searchImagery(input: {aoi: ${AOI}, first: $n}) { nodes { id } } }`, 1 + 100 * 2],
    ['the whole input as a variable (counted at the most)', 'query($input: ImagerySearchInput!) { searchImagery(input: $input) { nodes { id } } }', 1 + 100 * 2],
  ])('%s', (_label, text, expected) => {
    expect(costOf(text)).toBe(expected);
  });
});
