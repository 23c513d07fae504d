import 'reflect-metadata';
import { buildSubgraphSchema, printSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap.js';
import { printSchemaWithDirectives } from '@graphql-tools/utils';
import { lexicographicSortSchema, parse, printSchema, type GraphQLSchema } from 'graphql';
import { buildSchema, createResolversMap, type PubSub } from 'type-graphql';
import { SCHEMA_PARTS, type SchemaPart } from '../federation/subgraphs.js';
import { LocalPubSub } from '../status/local-pubsub.js';
import { DateTimeScalar } from './common/scalars.js';

/** The Federation 2 directives the type classes use (`@Directive(...)`), imported into every subgraph. */
const FEDERATION_LINK = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@shareable"])';

/**
 * The type-graphql schema of one part (default: everything). `Date` maps to our `DateTime`.
 * `pubSub` is required by type-graphql once a @Subscription exists (ours bring their own `subscribe`).
 */
export async function buildGatewaySchema(part: SchemaPart = 'unified', pubSub: PubSub = new LocalPubSub()): Promise<GraphQLSchema> {
  const def = SCHEMA_PARTS[part];
  return buildSchema({
    resolvers: def.resolvers,
    orphanedTypes: def.orphanedTypes,
    scalarsMap: [{ type: Date, scalar: DateTimeScalar }],
    validate: false,
    pubSub,
  });
}

/**
 * The schema a process serves: the type-graphql schema made a Federation 2 subgraph (`_service`,
 * `_entities`, `@key` entities with their `__resolveReference`). type-graphql's `emitSchemaFile` and
 * graphql's printer drop directives, so its SDL is printed with them and rebuilt by
 * `buildSubgraphSchema` around type-graphql's own resolver functions: the same functions run per
 * request as in the plain type-graphql schema, plus two root fields nobody pays for unless asked.
 */
export async function buildServedSchema(part: SchemaPart = 'unified'): Promise<GraphQLSchema> {
  const schema = await buildGatewaySchema(part);
  const resolvers = createResolversMap(schema) as GraphQLResolverMap<unknown>;
  // `__resolveReference(representation, context, info)`: not a field resolver's signature, hence the cast.
  for (const [type, ref] of Object.entries(SCHEMA_PARTS[part].references)) resolvers[type] = { ...resolvers[type], ...ref } as GraphQLResolverMap<unknown>[string];
  return buildSubgraphSchema({ typeDefs: parse(`${FEDERATION_LINK}\n\n${printSchemaWithDirectives(schema)}`), resolvers });
}

/** The SDL committed as `schema.graphql`, sorted so that it only changes when the schema does. */
export function printGatewaySchema(schema: GraphQLSchema): string {
  return printSchema(lexicographicSortSchema(schema)) + '\n';
}

/** A subgraph's SDL with its federation directives, as `_service { sdl }` answers it (committed under federation/). */
export function printSubgraphSdl(schema: GraphQLSchema): string {
  return printSubgraphSchema(schema) + '\n';
}
