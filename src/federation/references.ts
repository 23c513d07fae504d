import type { GraphQLResolveInfo } from 'graphql';
import type { GatewayContext } from '../context.js';

/** A representation from `_entities`: `__typename` and the key fields, as strings. */
export type Representation = { __typename: string } & Record<string, string>;

/**
 * `__resolveReference` of each entity type, by type name. @apollo/subgraph calls it once per
 * representation, synchronously in one loop, so every call of one `_entities` request lands in the
 * same DataLoader batch and costs what N lookups of one request cost (deduplicated, primed, limited).
 */
export type ReferenceResolvers = Record<string, { __resolveReference(ref: Representation, ctx: GatewayContext, info: GraphQLResolveInfo): unknown }>;
