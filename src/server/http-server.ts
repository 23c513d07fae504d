import { HeaderMap, type ApolloServer } from '@apollo/server';
import { randomUUID } from 'node:crypto';
import { type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { createContext, type AppDeps, type GatewayContext } from '../context.js';
import { resolveCredentials } from '../credentials.js';
import { admitHttp, createGatewayServer, header, readBody, sendJson, tooLarge } from './admission.js';
import { requestLogger, type Logger } from '../observability/logger.js';
import type { GatewayMetrics } from '../observability/metrics.js';
import type { RequestRateLimiter } from './rate-limit.js';
import type { Readiness } from './readiness.js';
import type { Tracing } from '../observability/tracing.js';
import { uploadBytes } from './upload-http.js';
import { wantsGraphiql, type WebAssets } from './web-assets.js';

export interface HttpServerOptions {
  deps: AppDeps;
  apollo: ApolloServer<GatewayContext>;
  log: Logger;
  /** Spans per request when tracing is on (null: off). */
  tracing?: Tracing | null;
  /** The dashboard at `/` and GraphiQL at `/graphql` for browsers. */
  web: WebAssets;
  /** /readyz: 200 when ready, else 503; per-upstream state in the body (see readiness.ts). */
  readiness: () => Readiness;
  /** Live-status counters for /readyz: watchers, poll leases held, polls made (see StatusHub.health). */
  liveStatus: () => object;
  metrics?: GatewayMetrics;
  rateLimiter?: RequestRateLimiter;
}

/**
 * One plain `node:http` server: GraphQL over HTTP (GET and POST) at /graphql through Apollo's
 * integration API (no framework in between), health checks, the signed results links, and the
 * dashboard's static files (GraphiQL for a browser that opens /graphql).
 */
export { header, sendJson };

export function createHttpServer(opts: HttpServerOptions): Server {
  const { deps, apollo, log, rateLimiter } = opts;
  const maxBody = deps.config.GRAPHQL_MAX_BODY_BYTES;
  const limiting = rateLimiter?.enabled ? rateLimiter : null;
  return createGatewayServer(deps.config.HTTP_IDLE_TIMEOUT_SECONDS, (req, res) => {
    const requestId = requestIdOf(req);
    route(req, res, requestId).catch((err: unknown) => {
      requestLogger(log, requestId).error({ err: err instanceof Error ? err.message : String(err) }, 'request failed');
      if (!res.headersSent) sendJson(res, 500, { errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
      else res.destroy();
    });
  });

  async function route(req: IncomingMessage, res: ServerResponse, requestId: string): Promise<void> {
    const raw = req.url ?? '/';
    const q = raw.indexOf('?');
    // The hot path needs only the path and the raw query string: no URL object for /graphql.
    if ((q === -1 ? raw : raw.slice(0, q)) === '/graphql') return graphql(req, res, q === -1 ? '' : raw.slice(q), requestId);
    const url = new URL(raw, 'http://gateway');
    const path = url.pathname;
    if (path === '/healthz') return sendJson(res, 200, { status: 'ok' });
    if (path === '/readyz') {
      const r = opts.readiness();
      return sendJson(res, r.ready ? 200 : 503, { ...r.body, liveStatus: opts.liveStatus() });
    }
    if (path === '/metrics' && opts.metrics) return sendText(res, 200, await opts.metrics.render(), opts.metrics.contentType);
    const results = /^\/results\/(processing|project)\/([^/]+)$/.exec(path);
    if (results && req.method === 'GET') return resultsLink(res, results[1] as 'processing' | 'project', decodeURIComponent(results[2]), url);
    const upload = /^\/uploads\/([^/]+)$/.exec(path);
    if (upload) return uploadBytes(deps, req, res, decodeURIComponent(upload[1]), url);
    if (await opts.web.serve(req, res, path)) return;
    sendJson(res, 404, { error: 'Not found' });
  }

  async function graphql(req: IncomingMessage, res: ServerResponse, search: string, requestId: string): Promise<void> {
    // The page holds no data, so it needs no key: GraphiQL sends the key with each operation.
    if (wantsGraphiql(req, search)) return opts.web.graphiql(req, res);
    let body: unknown;
    if (req.method === 'POST') {
      const raw = await readBody(req, maxBody);
      if (raw === null) return tooLarge(res, maxBody);
      const type = header(req, 'content-type') ?? '';
      if (raw.length && /json/i.test(type)) {
        try {
          body = JSON.parse(raw.toString('utf8'));
        } catch {
          return sendJson(res, 400, { errors: [{ message: 'Request body is not valid JSON', extensions: { code: 'BAD_REQUEST' } }] });
        }
      } else body = raw.toString('utf8');
    }
    const batch = Array.isArray(body) ? body.length : 1;
    if (batch > deps.config.GRAPHQL_MAX_BATCH_SIZE && deps.config.GRAPHQL_BATCHING) {
      const message = `A batch holds at most ${deps.config.GRAPHQL_MAX_BATCH_SIZE} operations, got ${batch}`;
      return sendJson(res, 400, { errors: [{ message, extensions: { code: 'BAD_REQUEST' } }] });
    }
    if (!(await admitHttp(req, res, { apiKeys: deps.config.gatewayApiKeys, limiter: limiting, points: batch }))) return;
    const headers = new HeaderMap();
    for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers.set(k, Array.isArray(v) ? v.join(', ') : v);
    const execute = () =>
      apollo.executeHTTPGraphQLRequest({
        httpGraphQLRequest: { method: req.method ?? 'GET', headers, search, body },
        context: async () => createContext(deps, resolveCredentials((n) => header(req, n), deps.config), requestId),
      });
    const result = await (opts.tracing ? opts.tracing.request(req.method ?? 'GET', req.headers, execute) : execute());
    const out: Record<string, string | number> = { 'x-request-id': requestId };
    for (const [k, v] of result.headers) out[k] = v;
    if (result.body.kind === 'complete') {
      // A known length: one write, no chunked framing.
      out['content-length'] = Buffer.byteLength(result.body.string);
      res.writeHead(result.status ?? 200, out);
      res.end(result.body.string);
      return;
    }
    res.writeHead(result.status ?? 200, out);
    for await (const chunk of result.body.asyncIterator) res.write(chunk);
    res.end();
  }

  async function resultsLink(res: ServerResponse, kind: 'processing' | 'project', id: string, url: URL): Promise<void> {
    const opened = await deps.links.open({ kind, id }, url.searchParams);
    if ('error' in opened) return sendJson(res, opened.status, { error: opened.error });
    const ctx = createContext(deps, { mapflow: { token: opened.token }, flai: null, cupix: null });
    const stream = await ctx.services.mapflow.openResults({ kind, id });
    if ('error' in stream) return sendJson(res, stream.status, { error: stream.error });
    res.writeHead(200, {
      'content-type': 'application/geo+json',
      'content-disposition': `attachment; filename="${kind}-${id.replace(/[^\w-]/g, '')}.geojson"`,
      'cache-control': 'private, no-store',
    });
    await pipeline(stream.body, res);
  }
}

/** The caller's `x-request-id` when it is a sane token (it goes into every log line), else a new one. */
function requestIdOf(req: IncomingMessage): string {
  const given = header(req, 'x-request-id');
  return given && /^[\w.:-]{1,128}$/.test(given) ? given : randomUUID();
}

function sendText(res: ServerResponse, status: number, text: string, contentType: string): void {
  res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
