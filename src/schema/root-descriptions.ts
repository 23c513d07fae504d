import type { GraphQLSchema } from 'graphql';

/** type-graphql has no option for the root types' descriptions, so they are set on the built schema. */
const ROOT_DESCRIPTIONS = {
  query:
    'Reads across Mapflow, Flai and Cupix in one request. Every root field is nullable: a vendor that fails or lacks a credential nulls only its own fields, with a coded error on their paths.',
  mutation:
    'Changes at the vendors (projects, processings, datasets, flows, downloads). Each one is checked before the vendor is called; vendor validation errors come back as BAD_USER_INPUT with the vendor message.',
  subscription:
    'Live status over graphql-ws on the same URL: the current state first, then one event per real change, completing after a terminal state.',
} as const;

export function describeRootTypes(schema: GraphQLSchema): GraphQLSchema {
  const roots = { query: schema.getQueryType(), mutation: schema.getMutationType(), subscription: schema.getSubscriptionType() };
  for (const [kind, type] of Object.entries(roots)) if (type) type.description = ROOT_DESCRIPTIONS[kind as keyof typeof ROOT_DESCRIPTIONS];
  return schema;
}
