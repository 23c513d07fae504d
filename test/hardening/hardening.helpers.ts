import 'reflect-metadata';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import { createClient } from 'graphql-ws';
import { test as base } from 'vitest';
import WebSocket from 'ws';
import { startGateway, type Gateway } from '../../src/app.js';
import type { Logger } from '../../src/observability/logger.js';
import { startSimulators, type Simulators } from '../../src/simulators/index.js';
import { postGraphql, type GqlResponse } from '../helpers/stack.helpers.js';
import { startVendorProxy, type VendorProxy } from '../helpers/vendor-proxy.helpers.js';
import { closeEvent } from '../status/status.helpers.js';

export type Vendor = keyof Simulators;

/** Seeded records of the `alpha` tenants (the vendors' documented examples). */
export const IDS = {
  processing: '65285409-ac88-4fc0-a937-193cf42c2343',
  flowExecution: 'df7d6f87-2f00-4e66-9dbd-5636ef486a0e',
  pointcloud: '5310',
} as const;

/** The variables of HardeningOneOfEach (one field per vendor: a by-id GET on each): the seeded records. */
export const ONE_OF_EACH = { processing: IDS.processing, flowExecution: IDS.flowExecution, pointcloud: IDS.pointcloud };

/** Simulator route templates of HardeningOneOfEach. */
export const ROUTES = {
  mapflow: 'GET /processings/{id}/v2',
  flai: 'GET /organization/{orgId}/flow-executions/{executionId}',
  cupix: 'GET /pointclouds/{id}',
} as const;

/** Env for quick faults: short timeouts and backoffs, no rate limit (tests that want one set it). */
export const QUICK_ENV = {
  MAPFLOW_TIMEOUT_MS: '400',
  FLAI_TIMEOUT_MS: '400',
  CUPIX_TIMEOUT_MS: '400',
  UPSTREAM_RETRY_BASE_MS: '5',
  UPSTREAM_RETRY_MAX_DELAY_MS: '20',
  RATE_LIMIT_PER_IP: '0',
  RATE_LIMIT_PER_KEY: '0',
} as const;

export interface Rig {
  gateway: Gateway;
  sims: Simulators;
  /** Proxies between the gateway and the simulators asked for. */
  proxies: Partial<Record<Vendor, VendorProxy>>;
  /** POSTs one operation (raw text: the tests whose point is the document itself). */
  gql<T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>, headers?: Record<string, string>): Promise<GqlResponse<T>>;
  /** Runs a typed document of test/generated. */
  op<R, V extends Record<string, unknown>>(doc: TypedDocumentNode<R, V>, variables?: V, headers?: Record<string, string>): Promise<GqlResponse<R>>;
  /** Calls a simulator counted since the last reset, optionally to one route (Flai's one-time /oauth/me left out). */
  calls(vendor?: Vendor, route?: string): number;
  resetCounts(): void;
  clearFaults(): void;
  readyz(): Promise<{ upstreams: Record<Vendor, { circuit: { state: string } } & Record<string, unknown>> }>;
  metrics(): Promise<string>;
  close(): Promise<void>;
}

export interface RigOptions {
  env?: Record<string, string>;
  /** Vendors reached through a VendorProxy. */
  proxy?: Vendor[];
  log?: Logger;
  timeScale?: number;
  /** The clock of the gateway's vendor retry budgets (GatewayOptions.clock). */
  clock?: () => number;
}

/** The simulators on free ports, optional proxies, and the real gateway in front, over real HTTP. */
export async function startRig(opts: RigOptions = {}): Promise<Rig> {
  const started = await startSimulators({ timeScale: opts.timeScale ?? 0 });
  const sims = started as Simulators;
  const proxies: Rig['proxies'] = {};
  for (const v of opts.proxy ?? []) proxies[v] = await startVendorProxy(sims[v].origin);
  const via = (v: Vendor, url: string) => (proxies[v] ? url.replace(sims[v].origin, proxies[v].origin) : url);
  const gateway = await startGateway({
    log: opts.log,
    clock: opts.clock,
    env: {
      NODE_ENV: 'test',
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: opts.log ? 'debug' : 'silent',
      MAPFLOW_URL: via('mapflow', sims.mapflow.url),
      MAPFLOW_TOKEN: sims.mapflow.demoToken,
      FLAI_URL: via('flai', sims.flai.origin),
      FLAI_TOKEN: sims.flai.demoToken,
      CUPIX_URL: via('cupix', sims.cupix.url),
      CUPIX_TOKEN: sims.cupix.demoToken,
      ...QUICK_ENV,
      ...opts.env,
    },
  });
  const count = (v: Vendor, route?: string) => {
    if (route) return sims[v].stats.count(route);
    return sims[v].stats.count() - (v === 'flai' ? sims.flai.stats.count('GET /oauth/me') : 0);
  };
  return {
    gateway,
    sims,
    proxies,
    gql: (query, variables, headers) => postGraphql(gateway.url, query, variables, headers),
    op: (doc, variables, headers) => postGraphql(gateway.url, print(doc), variables, headers),
    calls: (vendor, route) => (vendor ? count(vendor, route) : count('mapflow') + count('flai') + count('cupix')),
    resetCounts() {
      for (const s of [sims.mapflow, sims.flai, sims.cupix]) s.stats.reset();
    },
    clearFaults() {
      for (const s of [sims.mapflow, sims.flai, sims.cupix]) s.faults.set(null);
    },
    readyz: async () => (await fetch(`${gateway.origin}/readyz`)).json() as never,
    metrics: async () => (await fetch(`${gateway.origin}/metrics`)).text(),
    async close() {
      await gateway.close();
      for (const p of Object.values(proxies)) await p.close();
      await started.close();
    },
  };
}

/** `[path, code, source]` of each error, sorted by path. */
export function errorPaths(r: GqlResponse): [string, unknown, unknown][] {
  return (r.errors ?? []).map((e) => [(e.path ?? []).join('.'), e.extensions?.code, e.extensions?.source] as [string, unknown, unknown]).sort();
}

/** The value of one Prometheus sample line (`name{labels} value`), or 0 when absent. */
export function sample(metrics: string, name: string, labels: Record<string, string>): number {
  const want = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of metrics.split('\n')) {
    if (!line.startsWith(`${name}{`)) continue;
    const labelText = line.slice(name.length + 1, line.lastIndexOf('}'));
    if (want.every((l) => labelText.split(',').includes(l))) return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return 0;
}

export interface WsOutcome<R = Record<string, unknown>> {
  data?: R | null;
  errors?: readonly { message: string; extensions?: Record<string, unknown> }[];
  /** Set when the socket closed instead of answering. */
  closed?: { code: number; reason: string };
}

/**
 * Runs one operation on a fresh graphql-ws connection and returns its first result, its errors,
 * or how the socket closed. `query`: a typed document of test/generated, or raw text for the tests
 * whose point is the document itself.
 */
export async function wsOnce<R = Record<string, unknown>, V extends Record<string, unknown> = Record<string, unknown>>(
  httpUrl: string,
  query: string | TypedDocumentNode<R, V>,
  variables: V = {} as V,
  connectionParams: Record<string, unknown> = {},
  operationName?: string,
): Promise<WsOutcome<R>> {
  const client = createClient({ url: httpUrl.replace(/^http/, 'ws'), webSocketImpl: WebSocket, connectionParams, retryAttempts: 0, lazy: true });
  try {
    return await new Promise<WsOutcome<R>>((resolve) => {
      client.on('closed', (e) => resolve({ closed: closeEvent(e) }));
      const stop = client.subscribe<R>(
        { query: typeof query === 'string' ? query : print(query), variables, operationName },
        {
          next: (r) => {
            stop();
            resolve({ data: r.data ?? null, ...(r.errors ? { errors: r.errors } : {}) });
          },
          error: (err) => {
            if (Array.isArray(err)) resolve({ errors: err as WsOutcome['errors'] });
          },
          complete: () => {},
        },
      );
    });
  } finally {
    await client.dispose();
  }
}

/**
 * The test API of the hardening tests: `rig` is one rig per file (the simulators, the proxies asked
 * for, the gateway in front with QUICK_ENV), started by the file's first test that asks for it and
 * closed after its last. `rigOptions` configures it: `test.override('rigOptions', { ... })` at the
 * top of a file; a describe block with a rig of its own uses a variant made at the top of the file,
 * `const production = test.extend('rigOptions', { scope: 'file' }, { ... })`, which has its own rig.
 */
export const test = base
  .extend('rigOptions', { scope: 'file' }, {} as RigOptions)
  .extend('rig', { scope: 'file' }, async ({ rigOptions }, { onCleanup }) => {
    const rig = await startRig(rigOptions);
    onCleanup(() => rig.close());
    return rig;
  });
