import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { test as base } from 'vitest';
import { startGateway, type Gateway } from '../../src/app.js';
import { bindFederationGateway, startFederationGateway, type FederationGateway } from '../../src/federation/gateway.js';
import { SUBGRAPH_NAMES, type SubgraphName } from '../../src/federation/subgraphs.js';
import { loadConfig } from '../../src/config.js';
import { graphqlLimits } from '../../src/server/graphql-limits.js';
import { createLogger } from '../../src/observability/logger.js';
import { RequestRateLimiter } from '../../src/server/rate-limit.js';
import { startSimulators, type Simulators } from '../../src/simulators/index.js';
import { clientPool, wsClient } from '../status/status.helpers.js';
import { gatewayEnv, postGraphql, type GqlResponse } from './stack.helpers.js';

export const SUPERGRAPH = readFileSync(new URL('../../supergraph.graphql', import.meta.url), 'utf8');

export type Post = <T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>, headers?: Record<string, string>) => Promise<GqlResponse<T>>;

export interface FederatedStack {
  sims: Simulators;
  /** The unified server, in front of the same simulators: what every federated answer is compared with. */
  unified: Gateway;
  subgraphs: Record<SubgraphName, Gateway>;
  /** Hive Gateway over the four subgraphs, with the committed supergraph.graphql. */
  federation: FederationGateway;
  /** One operation through the federation gateway. */
  fed: Post;
  /** The same operation on the unified server. */
  uni: Post;
  /** Upstream calls counted by the simulators since the last `resetCounts()` (Flai's one-time /oauth/me left out). */
  calls(vendor?: keyof Simulators): number;
  callsTo(vendor: keyof Simulators, route: string): number;
  resetCounts(): void;
  close(): Promise<void>;
}

export interface FederatedStackOptions {
  /** Virtual ms per real ms in the simulators; 0 (default) freezes time so tests move it explicitly. */
  timeScale?: number;
  /** Environment of the unified server and of every subgraph (e.g. fast polling, Redis). */
  env?: Record<string, string>;
  /** Extra environment per subgraph, on top of `env`. */
  subgraphEnv?: Partial<Record<SubgraphName, Record<string, string>>>;
  apiKeys?: string[];
  /**
   * The federation gateway's own environment, as `start:federated` reads it: GraphQL limits, body
   * size, rate limits, WS_ALLOWED_ORIGINS, TRUST_PROXY_HOPS (defaults otherwise).
   */
  gatewayEnv?: Record<string, string>;
  /** Where the federation gateway's log lines go (one JSON line each); silent without. */
  onLog?: (line: string) => void;
}

/** POSTs raw operations to one GraphQL endpoint (typed documents go through `opAt`). */
export function poster(url: string): Post {
  return (query, variables, headers) => postGraphql(url, query, variables, headers);
}

/**
 * The three simulators (clocks frozen unless `timeScale`), the unified server, the four subgraphs (each a real server on
 * port 0, as `npm start -- --subgraph <name>` runs it) and Hive Gateway in front of them, in this process.
 * As `start:federated` does, the gateway's socket is bound first and the subgraphs sign their links
 * (`uploadUrl`, `resultsUrl`) with its URL.
 */
export async function startFederatedStack(opts: FederatedStackOptions = {}): Promise<FederatedStack> {
  const started = await startSimulators({ timeScale: opts.timeScale ?? 0 });
  const sims = started as Simulators;
  const env = gatewayEnv(sims, opts.env);
  const fedConfig = loadConfig({ NODE_ENV: 'test', ...opts.gatewayEnv });
  const listening = await bindFederationGateway(0, '127.0.0.1', fedConfig.HTTP_IDLE_TIMEOUT_SECONDS);
  const publicUrl = `http://127.0.0.1:${(listening.address() as AddressInfo).port}`;
  const [unified, ...parts] = await Promise.all([
    startGateway({ env }),
    ...SUBGRAPH_NAMES.map((part) => startGateway({ env: { ...env, PUBLIC_URL: publicUrl, ...opts.subgraphEnv?.[part] }, part })),
  ]);
  const subgraphs = Object.fromEntries(parts.map((g) => [g.part, g])) as Record<SubgraphName, Gateway>;
  const rateLimiter = await RequestRateLimiter.create(fedConfig, createLogger('silent'));
  const federation = await startFederationGateway({
    supergraph: SUPERGRAPH,
    subgraphUrls: Object.fromEntries(parts.map((g) => [g.part, g.url])),
    server: listening,
    apiKeys: opts.apiKeys ?? [],
    keepAliveMs: 12_000,
    nodeEnv: 'test',
    limits: graphqlLimits(fedConfig),
    maxBodyBytes: fedConfig.GRAPHQL_MAX_BODY_BYTES,
    rateLimiter,
    wsAllowedOrigins: fedConfig.WS_ALLOWED_ORIGINS,
    log: opts.onLog ? createLogger('info', opts.onLog) : createLogger('silent'),
    logLevel: opts.onLog ? 'info' : 'silent',
  });
  const OAUTH_ME = 'GET /oauth/me';
  const count = (v: keyof Simulators) => sims[v].stats.count() - (v === 'flai' ? sims.flai.stats.count(OAUTH_ME) : 0);
  return {
    sims,
    unified,
    subgraphs,
    federation,
    fed: poster(federation.url),
    uni: poster(unified.url),
    calls: (vendor) => (vendor ? count(vendor) : count('mapflow') + count('flai') + count('cupix')),
    callsTo: (vendor, route) => sims[vendor].stats.count(route),
    resetCounts() {
      for (const s of [sims.mapflow, sims.flai, sims.cupix]) s.stats.reset();
    },
    async close() {
      await federation.close();
      await rateLimiter.close();
      await Promise.all([unified, ...parts].map((g) => g.close()));
      await started.close();
    },
  };
}

/**
 * The test API of the federation tests: `stack` is one federated stack per file, started by the
 * file's first test that asks for it and closed after its last; `stackOptions` configures it
 * (`test.override('stackOptions', { ... })` at the top of a file); `client` is one graphql-ws client
 * of the federation gateway per file, and `connect(params?, url?)` opens more for one test (to the
 * federation gateway unless told another URL), disposed after it.
 */
export const test = base
  .extend('stackOptions', { scope: 'file' }, {} as FederatedStackOptions)
  .extend('stack', { scope: 'file' }, async ({ stackOptions }, { onCleanup }) => {
    const stack = await startFederatedStack(stackOptions);
    onCleanup(() => stack.close());
    return stack;
  })
  .extend('client', { scope: 'file' }, ({ stack }, { onCleanup }) => {
    const client = wsClient(stack.federation.url);
    onCleanup(() => client.dispose());
    return client;
  })
  .extend('connect', ({ stack }, { onCleanup }) => clientPool(onCleanup, stack.federation.url));
