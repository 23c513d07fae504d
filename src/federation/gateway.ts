import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pipeline } from 'node:stream/promises';
import { createGatewayRuntime, getGraphQLWSOptions, type GatewayPlugin } from '@graphql-hive/gateway-runtime';
import { Logger as HiveLogger, type LogLevel as HiveLevel } from '@graphql-hive/logger';
import httpTransport from '@graphql-mesh/transport-http';
import wsTransport from '@graphql-mesh/transport-ws';
import { request } from 'undici';
import { WebSocketServer } from 'ws';
import { admitHttp, admitWsConnection, createGatewayServer, admitWsOperation, header, originVerifier, readBody, refuseCsrf, sendJson, tooLarge, type WsAdmitted } from '../server/admission.js';
import { CREDENTIAL_HEADERS } from '../credentials.js';
import { drainHttpServer } from '../lifecycle/drain.js';
import type { GraphQLLimits } from '../server/graphql-limits.js';
import type { Level, Logger } from '../observability/logger.js';
import { useWsServer, type Extra } from '../server/ws-glue.js';
import type { RequestRateLimiter } from '../server/rate-limit.js';
import { UPLOADS_SUBGRAPH, type SubgraphName } from './subgraphs.js';
import { UploadProxy } from './upload-proxy.js';

/** How long a stopping gateway lets in-flight HTTP requests finish (its process exits at 10 s regardless). */
const HTTP_DRAIN_MS = 8_000;

export interface FederationGatewayOptions {
  /** The supergraph SDL (supergraph.graphql). */
  supergraph: string;
  /** Where each subgraph listens, overriding the supergraph's `join__graph` URLs. */
  subgraphUrls: Partial<Record<SubgraphName, string>>;
  /** Its socket, bound already (bindFederationGateway). */
  server: Server;
  /** GATEWAY_API_KEYS: checked here as the unified server does, and passed on to the subgraphs. */
  apiKeys: string[];
  keepAliveMs: number;
  /** NODE_ENV: introspection is off in production, as on the unified server. */
  nodeEnv: string;
  /** The unified server's abuse limits (graphql-limits.ts): tokens, depth, aliases, directives, cost. */
  limits: GraphQLLimits;
  /** GRAPHQL_MAX_BODY_BYTES: largest HTTP request body and graphql-ws message. */
  maxBodyBytes: number;
  /** RATE_LIMIT_*: per address and per gateway key, over HTTP operations, graphql-ws connections and subscribes. */
  rateLimiter?: RequestRateLimiter | null;
  /** WS_ALLOWED_ORIGINS: origins allowed to open a WebSocket (empty: any). */
  wsAllowedOrigins: string[];
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

/**
 * Hive Gateway (in-process, `@graphql-hive/gateway-runtime`) over the subgraphs of `supergraph`:
 * GraphQL over HTTP on /graphql, graphql-ws on the same path (subscriptions go to the subgraph that
 * owns the field over graphql-ws, and each event is completed from the other subgraphs over HTTP),
 * /healthz and /readyz, /results/... passed to the mapflow subgraph and /uploads/... to the subgraph
 * that serves uploads (UPLOADS_SUBGRAPH): both sign their links with this gateway's URL.
 *
 * Browsers hit this server in the federated setup, so it admits requests as the unified server
 * does (src/server/admission.ts), before Hive sees them: the body size bound, CSRF prevention, the
 * rate limits, GATEWAY_API_KEYS, the WebSocket Origin allowlist and message size; and the same
 * GraphQL limits, as Envelop parse and validation hooks (they run on HTTP and graphql-ws alike).
 * A refused request or document reaches no subgraph, so no vendor.
 */
export async function startFederationGateway(opts: FederationGatewayOptions): Promise<FederationGateway> {
  const { log } = opts;
  const fromHeaders = Object.entries(FORWARDED).map(([key, header]) => [header, `{context.fwd.${key}}`] as [string, string]);
  const transportEntries: Record<string, object> = {
    // Empty interpolations are dropped, so a caller without its own credential gets the subgraph's.
    '*.http': { headers: fromHeaders, options: { subscriptions: { kind: 'ws', options: { connectionParams: Object.fromEntries(fromHeaders) } } } },
  };
  for (const [name, location] of Object.entries(opts.subgraphUrls)) transportEntries[name] = { location };

  const runtime = withoutTerminationListeners(() => createGatewayRuntime({
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
    plugins: () => [forwardCredentials, limitsPlugin(opts.limits)],
  }));

  // Loaded now, not on the first HTTP request: a graphql-ws operation before any HTTP request would
  // otherwise meet no schema; and a broken supergraph fails the start instead of a client's request.
  await runtime.getSchema();

  const mapflowOrigin = opts.subgraphUrls.mapflow ? new URL(opts.subgraphUrls.mapflow).origin : null;
  const uploadsUrl = opts.subgraphUrls[UPLOADS_SUBGRAPH];
  const uploads = uploadsUrl ? new UploadProxy(new URL(uploadsUrl).origin) : null;
  const server = opts.server;
  server.removeAllListeners('request');
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    route(req, res).catch((err: unknown) => {
      log.error({ err: err instanceof Error ? err.message : String(err) }, 'federation gateway request failed');
      if (!res.headersSent) sendJson(res, 502, { errors: [{ message: 'Bad gateway', extensions: { code: 'UPSTREAM_UNAVAILABLE' } }] });
      else res.destroy();
    });
  });

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/graphql') return graphql(req, res);
    if (path.startsWith('/results/') && req.method === 'GET' && mapflowOrigin) return proxyResults(req, res, mapflowOrigin);
    if (path.startsWith('/uploads/') && uploads) return uploads.forward(req, res);
    await runtime.requestListener(req, res);
  }

  /** The unified server's admission (body, rate limits, key, CSRF), then Hive with the body already read. */
  async function graphql(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // A CORS preflight runs no operation: Hive answers it (a browser sends no credentials on it).
    if (req.method === 'OPTIONS') return runtime.requestListener(req, res);
    let body: Buffer | undefined;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      const raw = await readBody(req, opts.maxBodyBytes);
      if (raw === null) return tooLarge(res, opts.maxBodyBytes);
      body = raw;
    }
    if (!(await admitHttp(req, res, { apiKeys: opts.apiKeys, limiter: opts.rateLimiter }))) return;
    if (refuseCsrf(req, res)) return;
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers.set(k, Array.isArray(v) ? v.join(', ') : v);
    const abort = new AbortController();
    res.once('close', () => abort.abort());
    // A fixed origin: the client's Host header is not ours to parse.
    const response = await runtime.fetch(`http://gateway${req.url ?? '/graphql'}`, {
      method: req.method,
      headers,
      body: body?.length ? new Uint8Array(body) : undefined,
      signal: abort.signal,
    });
    const out: Record<string, string> = {};
    response.headers.forEach((v, k) => (out[k] = v));
    res.writeHead(response.status, out);
    if (!response.body) return void res.end();
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) res.write(chunk);
    res.end();
  }

  const wss = new WebSocketServer({ server, path: '/graphql', maxPayload: opts.maxBodyBytes, verifyClient: originVerifier(opts.wsAllowedOrigins) });
  const hive = getGraphQLWSOptions<Record<string, unknown>, Extra & { admitted?: WsAdmitted }>(runtime, (ctx) => ({
    fwd: forwardedFrom((name) => param(ctx.connectionParams, name) ?? header(ctx.extra.request, name)),
  }));
  const ws = useWsServer<Record<string, unknown>, { admitted?: WsAdmitted }>(
    {
      ...hive,
      async onConnect(ctx) {
        const get = (name: string) => param(ctx.connectionParams, name) ?? header(ctx.extra.request, name);
        const admitted = await admitWsConnection(get, ctx.extra.request, ctx.extra.socket, opts.apiKeys, opts.rateLimiter);
        if (!admitted) return false;
        ctx.extra.admitted = admitted;
        return true;
      },
      async onSubscribe(ctx, id, payload) {
        const refused = await admitWsOperation(ctx.extra.admitted ?? { ip: '' }, opts.rateLimiter);
        if (refused) return [refused];
        return hive.onSubscribe?.(ctx, id, payload);
      },
    },
    wss,
    opts.keepAliveMs,
    log,
  );

  const port = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;
  log.info({ url: `http://localhost:${port}/graphql`, subgraphs: opts.subgraphUrls }, 'federation gateway listening');
  return {
    url: `${origin}/graphql`,
    origin,
    port,
    server,
    async close() {
      // As the unified server does: nothing new accepted, WebSockets closed with 1001, and the
      // requests in flight finished (through the runtime, so it is disposed after them).
      const http = drainHttpServer(server, HTTP_DRAIN_MS);
      await ws.dispose();
      await http;
      uploads?.close();
      await runtime.dispose();
    },
  };
}

/**
 * The federation gateway's socket, bound (on PORT and HOST) before the subgraphs start, so that they
 * sign their links with its real port even when PORT is 0. Until startFederationGateway takes it
 * over, it answers 503.
 */
export async function bindFederationGateway(port: number, host: string, idleSeconds: number): Promise<Server> {
  const server = createGatewayServer(idleSeconds, (_req, res) => sendJson(res, 503, { error: 'The gateway is starting.', code: 'UPSTREAM_UNAVAILABLE' }));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return server;
}

/**
 * Hive's runtime (through @whatwg-node/server's `disposeOnProcessTerminate`, which it sets and does
 * not let us change) disposes itself on SIGINT and SIGTERM, at once: its subgraph transports would
 * go while our drain still has requests in flight through them. `close()` disposes it after the
 * drain, and the process's one signal handler (server/shutdown.ts) calls that, so the listeners
 * the runtime added are taken off again. Reading `disposableStack` makes the adapter register them
 * now if it had not yet (it does so lazily, on the first plugin or request that needs the stack).
 */
function withoutTerminationListeners<T extends { disposableStack: unknown }>(make: () => T): T {
  const signals = ['SIGINT', 'SIGTERM'] as const;
  const before = new Map(signals.map((s) => [s, new Set(process.listeners(s))]));
  const made = make();
  void made.disposableStack;
  for (const s of signals) {
    for (const listener of process.listeners(s)) if (!before.get(s)!.has(listener)) process.removeListener(s, listener);
  }
  return made;
}

/**
 * The unified server's GraphQL limits: graphql-js' `maxTokens` when parsing, and the depth, alias,
 * directive and cost rules (and introspection, when off) when validating, on HTTP and graphql-ws.
 */
function limitsPlugin(limits: GraphQLLimits): GatewayPlugin {
  return {
    onParse({ parseFn, setParseFn }) {
      setParseFn((source, options) => parseFn(source, { ...options, ...limits.parseOptions }));
    },
    onValidate({ addValidationRule }) {
      for (const rule of limits.validationRules) addValidationRule(rule);
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
