import 'reflect-metadata';
import { isEnumType, isInputObjectType, isInterfaceType, isIntrospectionType, isObjectType, isSpecifiedScalarType, type GraphQLSchema } from 'graphql';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildGatewaySchema } from '../../src/federation/build-schema.js';

/** The issue asks for a description on every type and field; the root types included. */

let schema: GraphQLSchema;
beforeAll(async () => {
  schema = await buildGatewaySchema();
});

/** Every schema element without a description, as `Type`, `Type.field` or `Type.field(arg)`. */
function undescribed(s: GraphQLSchema): string[] {
  const missing: string[] = [];
  const blank = (d: string | null | undefined) => !d?.trim();
  for (const type of Object.values(s.getTypeMap())) {
    if (isIntrospectionType(type) || isSpecifiedScalarType(type)) continue;
    if (blank(type.description)) missing.push(type.name);
    if (isObjectType(type) || isInterfaceType(type) || isInputObjectType(type)) {
      for (const field of Object.values(type.getFields())) {
        if (blank(field.description)) missing.push(`${type.name}.${field.name}`);
        for (const arg of 'args' in field ? field.args : []) if (blank(arg.description)) missing.push(`${type.name}.${field.name}(${arg.name})`);
      }
    }
    if (isEnumType(type)) for (const v of type.getValues()) if (blank(v.description)) missing.push(`${type.name}.${v.name}`);
  }
  return missing;
}

describe('schema descriptions', () => {
  it('describes the root types Query, Mutation and Subscription', () => {
    for (const root of [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()]) {
      expect(root?.description, root?.name).toMatch(/\w{3,}.*\./);
    }
  });

  it('has a description on every type, field and argument', () => {
    expect(undescribed(schema)).toEqual([]);
  });
});
