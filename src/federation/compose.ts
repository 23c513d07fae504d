import { composeServices } from '@apollo/composition';
import { parse, type GraphQLSchema } from 'graphql';
import { SUBGRAPH_NAMES, type SubgraphName } from './subgraphs.js';

export interface SubgraphSdl {
  name: SubgraphName;
  /** Where the gateway reaches it (`join__graph(url:)`); the default `npm run start:federated` ports. */
  url: string;
  sdl: string;
}

export interface Supergraph {
  /** The supergraph SDL (join spec) a federation gateway or router loads. */
  sdl: string;
  /** What clients of the gateway see. */
  apiSchema: GraphQLSchema;
  /** Composition hints (not errors), e.g. inconsistent descriptions. */
  hints: string[];
}

export class CompositionError extends Error {
  constructor(readonly errors: string[]) {
    super(`Federation composition failed:\n${errors.map((e) => `  - ${e}`).join('\n')}`);
  }
}

/** Composes the subgraphs with Apollo's composition (Federation 2); throws every error at once. */
export function composeSupergraph(subgraphs: SubgraphSdl[]): Supergraph {
  const result = composeServices(subgraphs.map((s) => ({ name: s.name, url: s.url, typeDefs: parse(s.sdl) })));
  if (result.errors) throw new CompositionError(result.errors.map((e) => e.message));
  return {
    sdl: result.supergraphSdl,
    apiSchema: result.schema.toAPISchema().toGraphQLJSSchema(),
    hints: result.hints.map((h) => `${h.definition.code}: ${h.message}`),
  };
}

/** The default subgraph URLs: `npm run start:federated` puts mapflow, flai, cupix and jobs on PORT+1..PORT+4. */
export function defaultSubgraphUrl(name: SubgraphName, gatewayPort = 4000): string {
  return `http://localhost:${gatewayPort + 1 + SUBGRAPH_NAMES.indexOf(name)}/graphql`;
}
