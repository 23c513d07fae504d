import 'reflect-metadata';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap.js';
import { printSchemaWithDirectives } from '@graphql-tools/utils';
import { graphqlSync, isEnumType, isInputObjectType, isInterfaceType, isObjectType, isUnionType, lexicographicSortSchema, parse, printSchema, type GraphQLSchema } from 'graphql';
import { buildSchema, createResolversMap, type PubSub } from 'type-graphql';
import { badInput } from '../errors.js';
import { SCHEMA_PARTS, type SchemaPart } from './subgraphs.js';
import { LocalPubSub } from '../status/local-pubsub.js';
import { DateTimeScalar } from '../schema/common/scalars.js';
import { describeRootTypes } from '../schema/root-descriptions.js';

/** The Federation 2 directives the type classes use (`@Directive(...)`), imported into every subgraph. */
const FEDERATION_LINK = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@shareable"])';

/**
 * The type-graphql schema of one part (default: everything). `Date` maps to our `DateTime`.
 * `pubSub` is required by type-graphql once a @Subscription exists (ours bring their own `subscribe`).
 */
export async function buildGatewaySchema(part: SchemaPart = 'unified', pubSub: PubSub = new LocalPubSub()): Promise<GraphQLSchema> {
  const def = SCHEMA_PARTS[part];
  const schema = await buildSchema({
    resolvers: def.resolvers,
    orphanedTypes: def.orphanedTypes,
    scalarsMap: [{ type: Date, scalar: DateTimeScalar }],
    validate: false,
    pubSub,
  });
  return describeRootTypes(schema);
}

/**
 * The schema a process serves: the type-graphql schema made a Federation 2 subgraph (`_service`,
 * `_entities`, `@key` entities with their `__resolveReference`). type-graphql's `emitSchemaFile` and
 * graphql's printer drop directives, so its SDL is printed with them and rebuilt by
 * `buildSubgraphSchema` around type-graphql's own resolver functions: the same functions run per
 * request as in the plain type-graphql schema, plus two root fields nobody pays for unless asked.
 */
export async function buildServedSchema(part: SchemaPart = 'unified', opts: { maxRepresentations?: number } = {}): Promise<GraphQLSchema> {
  const schema = await buildGatewaySchema(part);
  const resolvers = createResolversMap(schema) as GraphQLResolverMap<unknown>;
  // `__resolveReference(representation, context, info)`: not a field resolver's signature, hence the cast.
  for (const [type, ref] of Object.entries(SCHEMA_PARTS[part].references)) resolvers[type] = { ...resolvers[type], ...ref } as GraphQLResolverMap<unknown>[string];
  const subgraph = buildSubgraphSchema({ typeDefs: parse(`${FEDERATION_LINK}\n\n${printSchemaWithDirectives(schema)}`), resolvers });
  return checkedRepresentations(subgraph, opts.maxRepresentations ?? DEFAULT_MAX_REPRESENTATIONS);
}

/** FEDERATION_MAX_REPRESENTATIONS' default (src/config.ts). */
const DEFAULT_MAX_REPRESENTATIONS = 100;

/**
 * A representation of a type this subgraph does not own would fail the whole `_entities` list with
 * an unexpected error (masked as INTERNAL_SERVER_ERROR); it is the caller's mistake: BAD_USER_INPUT.
 * So is a list longer than `max` (FEDERATION_MAX_REPRESENTATIONS): each representation can cost a
 * vendor call, so a huge list is refused whole, before any of them is resolved.
 */
function checkedRepresentations(schema: GraphQLSchema, max: number): GraphQLSchema {
  const field = schema.getQueryType()?.getFields()._entities;
  const union = schema.getType('_Entity');
  if (!field?.resolve || !isUnionType(union)) return schema;
  const entities = new Set(union.getTypes().map((t) => t.name));
  const resolve = field.resolve;
  field.resolve = (source, args: { representations: { __typename?: unknown }[] }, context, info) => {
    if (args.representations.length > max) {
      throw badInput(`At most ${max} representations per _entities call (FEDERATION_MAX_REPRESENTATIONS); got ${args.representations.length}`, ['representations']);
    }
    args.representations.forEach((r, i) => {
      if (typeof r?.__typename !== 'string' || !entities.has(r.__typename)) {
        throw badInput(`representations[${i}]: "${String(r?.__typename)}" is not an entity of this subgraph (${[...entities].join(', ')})`, ['representations', String(i)]);
      }
    });
    return resolve(source, args, context, info);
  };
  return schema;
}

/** The SDL committed as `schema.graphql`, sorted so that it only changes when the schema does. */
export function printGatewaySchema(schema: GraphQLSchema): string {
  return printSchema(lexicographicSortSchema(schema)) + '\n';
}

/** A subgraph's SDL with its federation directives: what its `_service { sdl }` answers (committed under federation/). */
export function printSubgraphSdl(schema: GraphQLSchema): string {
  const result = graphqlSync({ schema, source: '{ _service { sdl } }' });
  const sdl = (result.data as { _service?: { sdl?: string } } | null | undefined)?._service?.sdl;
  if (!sdl) throw new Error(`_service { sdl } failed: ${JSON.stringify(result.errors)}`);
  return sdl + '\n';
}

/**
 * Every type, field (with its arguments and type), input field, enum value, union member and
 * implemented interface of a schema, one string each (`Query.upload(id: ID!): Upload`,
 * `Source.GATEWAY`, `Upload implements Job`), with its description: what `federation:check`
 * compares between the unified schema and the composed one.
 */
export function schemaCoordinates(schema: GraphQLSchema): Map<string, string | null> {
  const out = new Map<string, string | null>();
  const add = (coordinate: string, description?: string | null) => out.set(coordinate, description ?? null);
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__')) continue;
    add(type.name, type.description);
    if (isObjectType(type) || isInterfaceType(type)) {
      for (const i of type.getInterfaces()) add(`${type.name} implements ${i.name}`);
      for (const f of Object.values(type.getFields())) {
        const args = f.args.map((a) => `${a.name}: ${String(a.type)}`).join(', ');
        add(`${type.name}.${f.name}${args ? `(${args})` : ''}: ${String(f.type)}`, [f.description, ...f.args.map((a) => a.description)].join(' | '));
      }
    } else if (isInputObjectType(type)) {
      for (const f of Object.values(type.getFields())) add(`${type.name}.${f.name}: ${String(f.type)}`, f.description);
    } else if (isEnumType(type)) {
      for (const v of type.getValues()) add(`${type.name}.${v.name}`, v.description);
    } else if (isUnionType(type)) {
      for (const m of type.getTypes()) add(`${type.name} | ${m.name}`);
    }
  }
  return out;
}
