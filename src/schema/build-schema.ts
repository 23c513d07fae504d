import 'reflect-metadata';
import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import { buildSchema, type PubSub } from 'type-graphql';
import { resolvers } from '../resolvers/index.js';
import { LocalPubSub } from '../status/local-pubsub.js';
import { DateTimeScalar } from './common/scalars.js';
import { describeRootTypes } from './root-descriptions.js';

/**
 * Builds the executable schema from the type-graphql classes. `Date` maps to our `DateTime`.
 * `pubSub` is required by type-graphql once a @Subscription exists (ours bring their own `subscribe`).
 */
export async function buildGatewaySchema(pubSub: PubSub = new LocalPubSub()): Promise<GraphQLSchema> {
  const schema = await buildSchema({
    resolvers,
    scalarsMap: [{ type: Date, scalar: DateTimeScalar }],
    validate: false,
    pubSub,
  });
  return describeRootTypes(schema);
}

/** The SDL committed as `schema.graphql`, sorted so that it only changes when the schema does. */
export function printGatewaySchema(schema: GraphQLSchema): string {
  return printSchema(lexicographicSortSchema(schema)) + '\n';
}
