/**
 * What the soak and the memory figures run against: the three vendor simulators in THIS process
 * (so faults, clocks and tenants are set directly), and the built gateway as a separate process
 * with `npm start`'s Node flags (so its RSS, heap and event loop are its own), pointed at them.
 * Clients send each tenant's credentials per request (headers over HTTP, the same keys in graphql-ws
 * `connectionParams`), as a multi-tenant frontend does.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { print, type DocumentNode } from 'graphql';
import { createClient, type Client } from 'graphql-ws';
import { Pool } from 'undici';
import WebSocket from 'ws';
import { CUPIX_DEMO_TENANTS } from '../src/simulators/cupix/index.js';
import { FLAI_DEMO_TENANTS } from '../src/simulators/flai/index.js';
import { startSimulators, type RunningSimulator } from '../src/simulators/index.js';
import { MAPFLOW_DEMO_TENANTS } from '../src/simulators/mapflow/index.js';
import { freePort } from './measure.js';
import { startGateway, type ChildOptions, type GatewayChild } from './process.js';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

export type Vendor = 'mapflow' | 'flai' | 'cupix';
export const VENDORS: Vendor[] = ['mapflow', 'flai', 'cupix'];

export interface Tenant {
  /** The simulators' tenant name (fault filters match it). */
  name: string;
  mapflow?: string;
  flai?: { token: string; orgId: string; sendOrgId: boolean };
  cupix?: string;
}

/**
 * The demo tenants. `alpha` names its Flai organization (`x-flai-org-id`); `beta` does not, so the
 * gateway resolves it through Flai's `GET /oauth/me` (once per credential), and that path is soaked too.
 */
export const DEMO_TENANTS: Tenant[] = [0, 1].map((i) => ({
  name: MAPFLOW_DEMO_TENANTS[i].name,
  mapflow: MAPFLOW_DEMO_TENANTS[i].token,
  flai: { token: FLAI_DEMO_TENANTS[i].token, orgId: FLAI_DEMO_TENANTS[i].orgId, sendOrgId: i === 0 },
  cupix: CUPIX_DEMO_TENANTS[i].token,
}));

/** The credential headers of a tenant (also its graphql-ws `connectionParams`). Never printed. */
export function credentialHeaders(t: Tenant): Record<string, string> {
  const h: Record<string, string> = {};
  if (t.mapflow) h['x-mapflow-token'] = t.mapflow;
  if (t.flai) {
    h['x-flai-token'] = t.flai.token;
    if (t.flai.sendOrgId) h['x-flai-org-id'] = t.flai.orgId;
  }
  if (t.cupix) h['x-cupix-token'] = t.cupix;
  return h;
}

export interface Stack {
  sims: Record<Vendor, RunningSimulator>;
  gateway: GatewayChild;
  /** Keep-alive connections for the bulk load (the Dashboard queries). */
  http: Pool;
  /**
   * Connections of their own for everything else (setup, creates, lookups), as another user's browser
   * has: otherwise a backlog of queued bulk requests in `http` would delay them too.
   */
  control: Pool;
  wsUrl: string;
  close(): Promise<{ gatewayExit: number | null }>;
}

export interface StackOptions extends ChildOptions {
  timeScale: number;
  /** Extra gateway environment (poll intervals, caps). */
  env?: Record<string, string>;
  inspect?: boolean;
  /** Node flags instead of `npm start`'s. */
  flags?: string[];
  /** Keep-alive connections of the HTTP client pool. */
  connections?: number;
  /** Wraps the gateway's command line, e.g. to pin it to a core with taskset. */
  wrap?: (args: string[]) => [string, string[]];
}

export async function startStack(o: StackOptions): Promise<Stack> {
  const started = await startSimulators({ timeScale: o.timeScale });
  const sims = { mapflow: started.mapflow!, flai: started.flai!, cupix: started.cupix! };
  let gateway: GatewayChild;
  try {
    gateway = await startGateway({
      root: ROOT,
      port: await freePort(),
      inspect: o.inspect,
      flags: o.flags,
      echo: o.echo,
      onLine: o.onLine,
      wrap: o.wrap,
      env: {
        NODE_ENV: 'production',
        LOG_LEVEL: 'warn',
        MAPFLOW_URL: sims.mapflow.url,
        FLAI_URL: sims.flai.origin,
        CUPIX_URL: sims.cupix.url,
        // Every client here is one address: the limiter stays on with an allowance they cannot reach.
        RATE_LIMIT_PER_IP: '1000000000',
        ...o.env,
      },
    });
  } catch (err) {
    await started.close();
    throw err;
  }
  const http = new Pool(gateway.origin, { connections: o.connections ?? 64, pipelining: 1, keepAliveTimeout: 30_000 });
  const control = new Pool(gateway.origin, { connections: 16, pipelining: 1, keepAliveTimeout: 30_000 });
  return {
    sims,
    gateway,
    http,
    control,
    wsUrl: `${gateway.origin.replace(/^http/, 'ws')}/graphql`,
    async close() {
      await Promise.all([http.close().catch(() => {}), control.close().catch(() => {})]);
      const gatewayExit = await gateway.stop();
      await started.close();
      return { gatewayExit };
    },
  };
}

export interface GqlError {
  message: string;
  path?: (string | number)[];
  extensions?: { code?: string; retryAfter?: number };
}
export interface GqlAnswer<T = Record<string, unknown>> {
  status: number;
  data?: T | null;
  errors?: GqlError[];
}

export const operationName = (doc: DocumentNode): string => {
  const def = doc.definitions.find((d) => d.kind === 'OperationDefinition');
  return def?.kind === 'OperationDefinition' && def.name ? def.name.value : '';
};

/**
 * One GraphQL POST with a tenant's credentials, on `stack.control` unless told `bulk`; a transport
 * failure is status 0 with a CLIENT_* code.
 */
export async function gql<T = Record<string, unknown>>(stack: Stack, tenant: Tenant, doc: DocumentNode, variables: Record<string, unknown> = {}, bulk = false): Promise<GqlAnswer<T>> {
  try {
    const res = await (bulk ? stack.http : stack.control).request({
      method: 'POST',
      path: '/graphql',
      headers: { 'content-type': 'application/json', ...credentialHeaders(tenant) },
      body: JSON.stringify({ query: print(doc), variables, operationName: operationName(doc) || undefined }),
      headersTimeout: 60_000,
      bodyTimeout: 60_000,
    });
    const text = await res.body.text();
    try {
      return { status: res.statusCode, ...(JSON.parse(text) as Omit<GqlAnswer<T>, 'status'>) };
    } catch {
      return { status: res.statusCode, errors: [{ message: text.slice(0, 200), extensions: { code: `HTTP_${res.statusCode}` } }] };
    }
  } catch (err) {
    const code = (err as { code?: string }).code ?? 'ERROR';
    return { status: 0, errors: [{ message: String(err), extensions: { code: `CLIENT_${code}` } }] };
  }
}

/** The codes of an answer's errors (`UNKNOWN` when one has none). */
export const codesOf = (errors: GqlError[] | undefined): string[] => (errors ?? []).map((e) => e.extensions?.code ?? 'UNKNOWN');

/**
 * A graphql-ws client with a tenant's credentials that, like a browser tab, reconnects after a dropped
 * socket and then sends each of its active subscriptions again (graphql-ws does so by itself).
 * `socket()` is the current WebSocket, so the soak can drop it; `reconnects` counts the connections
 * made after a lost one; `active` is the caller's count of its subscriptions in progress.
 */
export interface FollowerClient {
  client: Client;
  tenant: Tenant;
  socket(): WebSocket | null;
  reconnects: number;
  active: number;
}

export function followerClient(stack: Stack, tenant: Tenant): FollowerClient {
  let current: WebSocket | null = null;
  const f: FollowerClient = {
    tenant,
    reconnects: 0,
    active: 0,
    socket: () => current,
    client: createClient({
      url: stack.wsUrl,
      webSocketImpl: WebSocket,
      connectionParams: credentialHeaders(tenant),
      lazy: true,
      retryAttempts: 1_000,
      // Every close that is not the client's own dispose is worth a reconnect here (a real tab retries too).
      shouldRetry: () => true,
      on: {
        connected: (socket, _payload, wasRetry) => {
          current = socket as WebSocket;
          if (wasRetry) f.reconnects++;
        },
        closed: () => {
          current = null;
        },
      },
    }),
  };
  return f;
}
