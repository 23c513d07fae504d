import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { GraphQLError } from 'graphql';
import { CloseCode } from 'graphql-ws';
import { apiKeyMatches, UNAUTHORIZED_REASON } from './api-keys.js';
import { rateLimitMessage, type RateLimitRefusal, type RequestRateLimiter } from './rate-limit.js';

/**
 * What a request or a WebSocket connection must pass before any GraphQL runs, shared by the
 * unified server (http-server.ts, ws-server.ts) and the federation gateway (federation/gateway.ts),
 * which browsers hit in the federated setup: the body size bound, the rate limits, GATEWAY_API_KEYS,
 * CSRF prevention and the WebSocket Origin allowlist.
 */

export function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(payload) });
  res.end(payload);
}

/** The body, or null as soon as it is known to exceed `limit` (from Content-Length, or while reading: the rest is not read). */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer | null> {
  const declared = Number(req.headers['content-length']);
  if (declared > limit) return Promise.resolve(null);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (c: Buffer) => {
      size += c.length;
      if (size <= limit) return void chunks.push(c);
      req.off('data', onData);
      req.pause();
      resolve(null);
    };
    req.on('data', onData);
    req.on('end', () => resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** 413, and the connection closed: the rest of an oversized body is not read. */
export function tooLarge(res: ServerResponse, max: number): void {
  res.setHeader('connection', 'close');
  sendJson(res, 413, { errors: [{ message: `Request body larger than ${max} bytes`, extensions: { code: 'BAD_REQUEST' } }] });
}

export function rateLimitError(refused: RateLimitRefusal): GraphQLError {
  return new GraphQLError(rateLimitMessage(refused), { extensions: { code: 'RATE_LIMITED', retryAfter: refused.retryAfterSeconds } });
}

export interface HttpAdmission {
  /** GATEWAY_API_KEYS (empty: no key needed). */
  apiKeys: string[];
  /** Null or disabled: no rate limit. */
  limiter?: RequestRateLimiter | null;
  /** Operations in the request (a batch counts each). */
  points?: number;
}

/**
 * The rate limits, then the gateway key: true when the request may go on, else the 429
 * (RATE_LIMITED with `retryAfter`) or 401 is sent. The address pays before its key is checked, so
 * that guessing keys is limited too.
 */
export async function admitHttp(req: IncomingMessage, res: ServerResponse, a: HttpAdmission): Promise<boolean> {
  const authorization = a.apiKeys.length ? header(req, 'authorization') : undefined;
  const authorized = !a.apiKeys.length || apiKeyMatches(authorization ?? '', a.apiKeys);
  const limiter = a.limiter?.enabled ? a.limiter : null;
  if (limiter) {
    const refused = await limiter.consume(limiter.clientIp(req), authorized ? authorization : undefined, a.points ?? 1);
    if (refused) {
      res.setHeader('retry-after', String(refused.retryAfterSeconds));
      sendJson(res, 429, { errors: [{ message: rateLimitMessage(refused), extensions: { code: 'RATE_LIMITED', retryAfter: refused.retryAfterSeconds } }] });
      return false;
    }
  }
  if (!authorized) {
    res.setHeader('www-authenticate', 'Bearer');
    sendJson(res, 401, { errors: [{ message: 'Unauthorized: send "Authorization: Bearer <gateway API key>"', extensions: { code: 'UNAUTHENTICATED' } }] });
    return false;
  }
  return true;
}

export interface WsAdmitted {
  /** The client's address (empty without a rate limit). */
  ip: string;
  /** The gateway key, when GATEWAY_API_KEYS is set (its hash counts against the key's rate limit). */
  apiKey?: string;
}

/**
 * graphql-ws `onConnect`: the rate limits (close 4429), then the gateway key (close 4401 when it is
 * missing or wrong). `get` reads `connectionParams`,
 * then the upgrade request's headers.
 */
export async function admitWsConnection(
  get: (name: string) => string | undefined,
  request: IncomingMessage,
  socket: { close(code: number, reason: string): void },
  apiKeys: string[],
  rateLimiter?: RequestRateLimiter | null,
): Promise<WsAdmitted | null> {
  const limiter = rateLimiter?.enabled ? rateLimiter : null;
  const ip = limiter ? limiter.clientIp(request) : '';
  const auth = apiKeys.length ? get('authorization') : undefined;
  const authorized = !apiKeys.length || (!!auth && apiKeyMatches(auth, apiKeys));
  const refused = limiter ? await limiter.consume(ip, authorized ? auth : undefined) : null;
  if (refused) {
    socket.close(CloseCode.TooManyInitialisationRequests, rateLimitMessage(refused));
    return null;
  }
  if (!authorized) {
    // A missing and a wrong key alike: 4401, never graphql-ws's 4403 (a wrong key is not
    // authenticated), and the reason does not repeat what the client sent.
    socket.close(CloseCode.Unauthorized, UNAUTHORIZED_REASON);
    return null;
  }
  return { ip, apiKey: auth };
}

/** A subscribe on an admitted connection: null when allowed, else the RATE_LIMITED error to answer with. */
export async function admitWsOperation(conn: WsAdmitted, rateLimiter?: RequestRateLimiter | null): Promise<GraphQLError | null> {
  const refused = rateLimiter?.enabled ? await rateLimiter.consume(conn.ip, conn.apiKey) : null;
  return refused ? rateLimitError(refused) : null;
}

type VerifyClient = (info: { origin?: string }, done: (ok: boolean, code?: number, message?: string) => void) => void;

/**
 * `ws`' `verifyClient` for WS_ALLOWED_ORIGINS (undefined: any origin). Browsers always send Origin on
 * a WebSocket: a page of another site cannot open one when an allowlist is set (403 on the upgrade).
 * A client without Origin is not a browser, so not that attack.
 */
export function originVerifier(allowed: string[]): VerifyClient | undefined {
  const origins = new Set(allowed);
  if (!origins.size) return undefined;
  return (info, done) => (!info.origin || origins.has(info.origin) ? done(true) : done(false, 403, 'Origin not allowed'));
}

const NON_PREFLIGHTED_CONTENT_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain'];
const CSRF_HEADERS = ['x-apollo-operation-name', 'apollo-require-preflight'];

/**
 * Apollo Server's `csrfPrevention: true` rule, for servers that are not Apollo (the federation
 * gateway): a request a browser would send cross-site without a CORS preflight (no content type, or
 * a "simple" one, and none of the headers below) is refused with 400 before anything runs. The
 * unified server has it from Apollo itself; test/federation/admission.test.ts checks that both
 * answer alike.
 */
export function refuseCsrf(req: IncomingMessage, res: ServerResponse): boolean {
  const type = header(req, 'content-type');
  if (type !== undefined) {
    const essence = type.split(';')[0].trim().toLowerCase();
    // Not a parseable type/subtype: browsers preflight it.
    if (!/^[\w.+-]+\/[\w.+-]+$/.test(essence) || !NON_PREFLIGHTED_CONTENT_TYPES.includes(essence)) return false;
  }
  if (CSRF_HEADERS.some((h) => !!header(req, h))) return false;
  const message =
    "This operation has been blocked as a potential Cross-Site Request Forgery (CSRF). Please either specify a 'content-type' header " +
    `(with a type that is not one of ${NON_PREFLIGHTED_CONTENT_TYPES.join(', ')}) or provide a non-empty value for one of the following headers: ${CSRF_HEADERS.join(', ')}\n`;
  sendJson(res, 400, { errors: [{ message, extensions: { code: 'BAD_REQUEST' } }] });
  return true;
}

/**
 * A `node:http` server with the gateway's timeouts (docs/decisions.md, "HTTP: an idle limit, no
 * whole-request deadline"): Node's default `requestTimeout` (300 s for a whole request) is off, since
 * an upload's body may take hours; a connection silent for `idleSeconds` mid-request is closed
 * instead (the headers still have Node's `headersTimeout`). WebSockets are unaffected: `ws` clears
 * the socket's timeout when it takes the socket over.
 */
export function createGatewayServer(idleSeconds: number, handler: (req: IncomingMessage, res: ServerResponse) => void): Server {
  const server = createServer({ requestTimeout: 0 }, handler);
  server.setTimeout(idleSeconds * 1000);
  return server;
}
