import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pipeline } from 'node:stream/promises';
import { createGatewayRuntime, getGraphQLWSOptions, type GatewayPlugin } from '@graphql-hive/gateway-runtime';
import { Logger as HiveLogger, type LogLevel as HiveLevel } from '@graphql-hive/logger';
import httpTransport from '@graphql-mesh/transport-http';
import wsTransport from '@graphql-mesh/transport-ws';
import { CloseCode } from 'graphql-ws';
import { useServer, type Extra } from 'graphql-ws/use/ws';
import { request } from 'undici';
import { WebSocketServer } from 'ws';
import { apiKeyMatches, UNAUTHORIZED_REASON } from '../server/api-keys.js';
import { CREDENTIAL_HEADERS } from '../server/credential-headers.js';
import type { Level, Logger } from '../server/logger.js';
import type { SubgraphName } from './subgraphs.js';

export interface FederationGatewayOptions {
  /** The supergraph SDL (supergraph.graphql). */
  supergraph: string;
  /** Where each subgraph listens, overriding the supergraph's `join__graph` URLs. */
  subgraphUrls: Partial<Record<SubgraphName, string>>;
  port: number;
  host: string;
  /** GATEWAY_API_KEYS: checked here as the unified server does, and passed on to the subgraphs. */
  apiKeys: string[];
  keepAliveMs: number;
  /** NODE_ENV: introspection is off in production, as on the unified server. */
  nodeEnv: string;
  log: Logger;
  logLevel: Level;
}

export interface FederationGateway {
  url: string;
  origin: string;
  port: number;
  server: Server;
  close(): Promise<void>;
}

/** What the gateway passes on to every subgraph: the caller's credentials and gateway key (context key → header name). */
const FORWARDED = { authorization: 'authorization', ...CREDENTIAL_HEADERS } as const;
type Forwarded = Partial<Record<keyof typeof FORWARDED, string>>;

const MAX_BODY_BYTES = 1024 * 1024;

/**
 * Hive Gateway (in-process, `@graphql-hive/gateway-runtime`) over the subgraphs of `supergraph`:
 * GraphQL over HTTP on /graphql, graphql-ws on the same path (subscriptions go to the subgraph that
 * owns the field over graphql-ws, and each event is completed from the other subgraphs over HTTP),
 * /healthz and /readyz, and /results/... passed to the mapflow subgraph, whose signed links point here.
 */
export async function startFederationGateway(opts: FederationGatewayOptions): Promise<FederationGateway> {
  const { log } = opts;
  const fromHeaders = Object.entries(FORWARDED).map(([key, header]) => [header, `{context.fwd.${key}}`] as [string, string]);
  const transportEntries: Record<string, object> = {
    // Empty interpolations are dropped, so a caller without its own credential gets the subgraph's.
    '*.http': { headers: fromHeaders, options: { subscriptions: { kind: 'ws', options: { connectionParams: Object.fromEntries(fromHeaders) } } } },
  };
  for (const [name, location] of Object.entries(opts.subgraphUrls)) transportEntries[name] = { location };

  const runtime = createGatewayRuntime({
    supergraph: opts.supergraph,
    transports: { http: httpTransport, ws: wsTransport },
    transportEntries,
    graphqlEndpoint: '/graphql',
    healthCheckEndpoint: '/healthz',
    readinessCheckEndpoint: '/readyz',
    landingPage: false,
    graphiql: false,
    disableIntrospection: opts.nodeEnv === 'production' ? { disableIf: () => true } : undefined,
    logging: hiveLogger(opts.log, opts.logLevel),
    plugins: () => [forwardCredentials],
  });

  // Loaded now, not on the first HTTP request: a graphql-ws operation before any HTTP request would
  // otherwise meet no schema; and a broken supergraph fails the start instead of a client's request.
  await runtime.getSchema();

  const mapflowOrigin = opts.subgraphUrls.mapflow ? new URL(opts.subgraphUrls.mapflow).origin : null;
  const server = createServer((req, res) => {
    route(req, res).catch((err: unknown) => {
      log.error({ err: err instanceof Error ? err.message : String(err) }, 'federation gateway request failed');
      if (!res.headersSent) sendJson(res, 502, { errors: [{ message: 'Bad gateway', extensions: { code: 'UPSTREAM_UNAVAILABLE' } }] });
      else res.destroy();
    });
  });

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/graphql') {
      if (opts.apiKeys.length && !apiKeyMatches(header(req, 'authorization') ?? '', opts.apiKeys)) {
        res.setHeader('www-authenticate', 'Bearer');
        return sendJson(res, 401, { errors: [{ message: 'Unauthorized: send "Authorization: Bearer <gateway API key>"', extensions: { code: 'UNAUTHENTICATED' } }] });
      }
      if (Number(header(req, 'content-length') ?? 0) > MAX_BODY_BYTES) {
        return sendJson(res, 413, { errors: [{ message: `Request body larger than ${MAX_BODY_BYTES} bytes`, extensions: { code: 'BAD_REQUEST' } }] });
      }
    }
    if (path.startsWith('/results/') && req.method === 'GET' && mapflowOrigin) return proxyResults(req, res, mapflowOrigin);
    await runtime.requestListener(req, res);
  }

  const wss = new WebSocketServer({ server, path: '/graphql', maxPayload: MAX_BODY_BYTES });
  const ws = useServer<Record<string, unknown>>(
    {
      ...getGraphQLWSOptions<Record<string, unknown>, Extra>(runtime, (ctx) => ({
        fwd: forwardedFrom((name) => param(ctx.connectionParams, name) ?? header(ctx.extra.request, name)),
      })),
      onConnect(ctx) {
        if (!opts.apiKeys.length) return true;
        const auth = param(ctx.connectionParams, 'authorization') ?? header(ctx.extra.request, 'authorization');
        if (auth && apiKeyMatches(auth, opts.apiKeys)) return true;
        // Missing or wrong alike: 4401 (graphql-ws would close a `false` with 4403), the key not echoed.
        ctx.extra.socket.close(CloseCode.Unauthorized, UNAUTHORIZED_REASON);
        return false;
      },
    },
    wss,
    opts.keepAliveMs,
  );

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;
  log.info({ url: `http://localhost:${port}/graphql`, subgraphs: opts.subgraphUrls }, 'federation gateway listening');
  return {
    url: `${origin}/graphql`,
    origin,
    port,
    server,
    async close() {
      await ws.dispose();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      await runtime.dispose();
    },
  };
}

/** Puts the caller's credentials (HTTP headers) in the context, for the transport entries' interpolation. */
const forwardCredentials: GatewayPlugin<{ fwd?: Forwarded }> = {
  onContextBuilding({ context, extendContext }) {
    if (context.fwd || !context.request) return; // graphql-ws: set from connectionParams at subscribe
    const headers = context.request.headers;
    extendContext({ fwd: forwardedFrom((name) => headers.get(name) ?? undefined) });
  },
};

function forwardedFrom(get: (name: string) => string | undefined): Forwarded {
  const fwd: Forwarded = {};
  for (const [key, name] of Object.entries(FORWARDED) as [keyof Forwarded, string][]) {
    const v = get(name);
    if (v) fwd[key] = v;
  }
  return fwd;
}

/** `connectionParams` keys are matched case-insensitively, as on the unified server. */
function param(params: Record<string, unknown> | undefined, name: string): string | undefined {
  for (const [k, v] of Object.entries(params ?? {})) if (k.toLowerCase() === name && typeof v === 'string' && v) return v;
  return undefined;
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(payload) });
  res.end(payload);
}

/** A signed results link, streamed from the mapflow subgraph that signed it (it checks the signature). */
async function proxyResults(req: IncomingMessage, res: ServerResponse, origin: string): Promise<void> {
  const upstream = await request(origin + (req.url ?? '/'), { method: 'GET' });
  const headers: Record<string, string> = {};
  for (const name of ['content-type', 'content-disposition', 'cache-control', 'content-length']) {
    const v = upstream.headers[name];
    if (typeof v === 'string') headers[name] = v;
  }
  res.writeHead(upstream.statusCode, headers);
  await pipeline(upstream.body, res);
}

/**
 * Hive's own logs as our JSON lines, never below `info`: at `debug` it prints the connection params
 * of its subgraph WebSockets, which carry the callers' vendor tokens.
 */
function hiveLogger(log: Logger, level: Level): HiveLogger | false {
  if (level === 'silent') return false;
  const hiveLevel: HiveLevel = level === 'fatal' || level === 'error' ? 'error' : level === 'warn' ? 'warn' : 'info';
  return new HiveLogger({
    level: hiveLevel,
    writers: [
      {
        write(lvl, attrs, msg) {
          const fields = { component: 'hive-gateway', ...(attrs && typeof attrs === 'object' && !Array.isArray(attrs) ? attrs : {}) };
          (lvl === 'error' ? log.error : lvl === 'warn' ? log.warn : log.info)(fields, msg ?? undefined);
        },
      },
    ],
  });
}
