import 'reflect-metadata';
import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import { buildSchema, type PubSub } from 'type-graphql';
import { resolvers } from '../resolvers/index.js';
import { LocalPubSub } from '../status/local-pubsub.js';
import { DateTimeScalar } from './common/scalars.js';

/**
 * Builds the executable schema from the type-graphql classes. `Date` maps to our `DateTime`.
 * `pubSub` is required by type-graphql once a @Subscription exists (ours bring their own `subscribe`).
 */
export async function buildGatewaySchema(pubSub: PubSub = new LocalPubSub()): Promise<GraphQLSchema> {
  return buildSchema({
    resolvers,
    scalarsMap: [{ type: Date, scalar: DateTimeScalar }],
    validate: false,
    pubSub,
  });
}

/** The SDL committed as `schema.graphql`, sorted so that it only changes when the schema does. */
export function printGatewaySchema(schema: GraphQLSchema): string {
  return printSchema(lexicographicSortSchema(schema)) + '\n';
}
