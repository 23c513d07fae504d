import 'reflect-metadata';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import { test as base } from 'vitest';
import { startGateway, type Gateway } from '../../src/app.js';
import type { Logger } from '../../src/observability/logger.js';
import { startSimulators, type Simulators } from '../../src/simulators/index.js';
export { simsTest, type RunningSimulators, type SimsOptions } from './sims.helpers.js';

export interface GqlResponse<T = Record<string, unknown>> {
  status: number;
  data?: T | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
  headers: Headers;
}

export interface Stack {
  gateway: Gateway;
  sims: Simulators;
  /** POSTs one operation to the gateway over real HTTP. */
  gql<T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>, headers?: Record<string, string>): Promise<GqlResponse<T>>;
  /** Runs a typed document from test/generated (codegen of test/documents/*.graphql). */
  op<R, V extends Record<string, unknown>>(doc: TypedDocumentNode<R, V>, variables?: V, headers?: Record<string, string>): Promise<GqlResponse<R>>;
  /** Upstream calls counted by the simulators since the last `resetCounts()`; the one-time Flai /oauth/me is left out. */
  calls(vendor?: keyof Simulators): number;
  /** Calls to one route template, e.g. `calls('mapflow', 'GET /processings/{id}/v2')`. */
  callsTo(vendor: keyof Simulators, route: string): number;
  resetCounts(): void;
  close(): Promise<void>;
}

export interface StackOptions {
  /** Virtual ms per real ms in the simulators; 0 (default) freezes time so tests move it explicitly. */
  timeScale?: number;
  env?: Record<string, string>;
  /** The simulators' documented-variants mode (default true: answers the docs allow beyond their examples). */
  documentedVariants?: boolean;
  /** The gateway's logger (default: its own, silent); tests that read the gateway's log lines pass one. */
  log?: Logger;
}

/** What every gateway a test starts has: test mode, a free port on loopback, no logs. */
export const TEST_ENV = { NODE_ENV: 'test', PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent' } as const;

/** What points a gateway at running simulators, with their `alpha` demo credentials. */
export function simulatorEnv(sims: Simulators): Record<string, string> {
  return {
    MAPFLOW_URL: sims.mapflow.url,
    MAPFLOW_TOKEN: sims.mapflow.demoToken,
    FLAI_URL: sims.flai.origin,
    FLAI_TOKEN: sims.flai.demoToken,
    CUPIX_URL: sims.cupix.url,
    CUPIX_TOKEN: sims.cupix.demoToken,
  };
}

/** The environment of a gateway (or subgraph) on port 0 in front of `sims`, with their `alpha` demo credentials. */
export function gatewayEnv(sims: Simulators, env: Record<string, string> = {}): Record<string, string> {
  return { ...TEST_ENV, ...simulatorEnv(sims), ...env };
}

/**
 * The three simulators on free ports plus the real gateway in front of them, over real HTTP,
 * with the simulators' `alpha` demo credentials as the server credentials.
 */
export async function startStack(opts: StackOptions = {}): Promise<Stack> {
  const started = await startSimulators({ timeScale: opts.timeScale ?? 0, documentedVariants: opts.documentedVariants });
  const sims = started as Simulators;
  const gateway = await startGateway({ env: gatewayEnv(sims, opts.env), log: opts.log });
  const OAUTH_ME = 'GET /oauth/me';
  const count = (v: keyof Simulators) => sims[v].stats.count() - (v === 'flai' ? sims.flai.stats.count(OAUTH_ME) : 0);
  const gql: Stack['gql'] = (query, variables, headers) => postGraphql(gateway.url, query, variables, headers);
  return {
    gateway,
    sims,
    gql,
    op: (doc, variables, headers) => gql(print(doc), variables, headers),
    calls: (vendor) => (vendor ? count(vendor) : count('mapflow') + count('flai') + count('cupix')),
    callsTo: (vendor, route) => sims[vendor].stats.count(route),
    resetCounts() {
      for (const s of [sims.mapflow, sims.flai, sims.cupix]) s.stats.reset();
    },
    async close() {
      await gateway.close();
      await started.close();
    },
  };
}

/**
 * The test API every stack test uses: `stack` is one stack (simulators + gateway) per test file,
 * started by the file's first test that asks for it and closed after its last; `stackOptions`
 * configures it (`test.override('stackOptions', { env: { ... } })` at the top of a file).
 */
export const test = base
  .extend('stackOptions', { scope: 'file' }, {} as StackOptions)
  .extend('stack', { scope: 'file' }, async ({ stackOptions }, { onCleanup }) => {
    const stack = await startStack(stackOptions);
    onCleanup(() => stack.close());
    return stack;
  });

/** POSTs one operation to any GraphQL endpoint over real HTTP (a gateway process, a second gateway); an empty body is `{}`. */
export async function postGraphql<T = Record<string, unknown>>(
  url: string,
  query: string,
  variables?: Record<string, unknown>,
  headers?: Record<string, string>,
): Promise<GqlResponse<T>> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  const text = await res.text();
  const body = (text ? JSON.parse(text) : {}) as Pick<GqlResponse<T>, 'data' | 'errors'>;
  return { status: res.status, data: body.data, errors: body.errors, headers: res.headers };
}

/** Runs a typed document of test/generated against any GraphQL endpoint, as `Stack.op` does against the stack's. */
export function opAt<R, V extends Record<string, unknown>>(url: string, doc: TypedDocumentNode<R, V>, variables?: V, headers?: Record<string, string>): Promise<GqlResponse<R>> {
  return postGraphql<R>(url, print(doc), variables, headers);
}

/** The JSON body of a GraphQL answer. */
export type GqlBody<T = Record<string, unknown>> = Pick<GqlResponse<T>, 'data' | 'errors'>;

/** The JSON body of an answer fetched by hand, read as `T` (what the server documents it to hold). */
export async function jsonOf<T>(res: Response): Promise<T> {
  return (await res.json()) as T;
}

/** Reads the body of a GraphQL answer fetched by hand (an operationName, a batch, a body over a limit). */
export function gqlBody<T = Record<string, unknown>>(res: Response): Promise<GqlBody<T>> {
  return jsonOf<GqlBody<T>>(res);
}
