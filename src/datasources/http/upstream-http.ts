import type { Readable } from 'node:stream';
import { errors as undiciErrors, Pool, type Dispatcher } from 'undici';
import type { z } from 'zod';
import { codeForStatus, UpstreamError, type Source } from '../../errors.js';

export type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface UpstreamRequest {
  method: Method;
  /** Path below the vendor base URL, e.g. `/processings/abc/v2`. */
  path: string;
  /** Route template for logs and metrics, e.g. `GET /processings/{id}/v2`. Never holds ids or secrets. */
  route: string;
  query?: Record<string, string | number | boolean | undefined | null>;
  body?: unknown;
  /** Auth headers of the caller's credential. */
  headers: Record<string, string>;
}

export interface VendorErrorInfo {
  message?: string;
  vendorCode?: string;
  fieldErrors?: Record<string, string[]>;
}

export interface UpstreamHttpOptions {
  source: Source;
  baseUrl: string;
  timeoutMs: number;
  /** Reads the vendor's own error body; must return only text safe to show. */
  parseError(status: number, body: unknown): VendorErrorInfo;
  /** Shared keep-alive pool; one per process is right (it holds connections, never credentials). */
  dispatcher?: Dispatcher;
  /** Wraps every call, e.g. in a tracing span (src/server/tracing.ts); absent, nothing is added. */
  wrapCall?: CallWrapper;
}

/** Runs one vendor call (`send`) with something around it; must return or rethrow what `send` does. */
export type CallWrapper = (
  call: { source: Source; origin: string; method: Method; route: string },
  send: () => Promise<Dispatcher.ResponseData>,
) => Promise<Dispatcher.ResponseData>;

/**
 * One keep-alive pool per vendor origin for the whole process (it holds connections, never
 * credentials). `Pool.request({path})` skips the URL parse and origin dispatch an Agent does per call.
 */
const pools = new Map<string, Pool>();
function poolFor(origin: string): Pool {
  let pool = pools.get(origin);
  if (!pool) {
    pool = new Pool(origin, { keepAliveTimeout: 30_000, connections: 128, pipelining: 1 });
    pools.set(origin, pool);
  }
  return pool;
}

/**
 * The single HTTP client every vendor datasource goes through (undici on a keep-alive pool: about a
 * third of `fetch`'s cost). It turns every failure into one `UpstreamError` with a code.
 */
export class UpstreamHttp {
  readonly source: Source;
  private readonly dispatcher: Dispatcher;
  /** `scheme://host:port` of the base URL, and its path prefix (`/rest`, `/api/v1`, or empty). */
  private readonly origin: string;
  private readonly prefix: string;
  private lastOkAt: number | null = null;
  private lastFailure: { code: string; at: number } | null = null;
  private consecutiveFailures = 0;

  constructor(private readonly opts: UpstreamHttpOptions) {
    this.source = opts.source;
    const base = new URL(opts.baseUrl);
    this.origin = base.origin;
    this.prefix = base.pathname.replace(/\/+$/, '');
    this.dispatcher = opts.dispatcher ?? poolFor(this.origin);
  }

  /** What /readyz shows: the outcome of recent calls (no probe is sent for it). */
  health(): { lastOkAt: string | null; lastFailure: { code: string; at: string } | null; consecutiveFailures: number } {
    return {
      lastOkAt: this.lastOkAt ? new Date(this.lastOkAt).toISOString() : null,
      lastFailure: this.lastFailure ? { code: this.lastFailure.code, at: new Date(this.lastFailure.at).toISOString() } : null,
      consecutiveFailures: this.consecutiveFailures,
    };
  }

  /** JSON body of a 2xx answer. */
  async json(req: UpstreamRequest): Promise<unknown> {
    const res = await this.send(req);
    const text = await res.body.text();
    if (!text) return null;
    try {
      return JSON.parse(text);
    } catch {
      throw this.badResponse(req, 'body is not JSON');
    }
  }

  /** Text body of a 2xx answer (e.g. Mapflow's bare-number cost). */
  async text(req: UpstreamRequest): Promise<string> {
    const res = await this.send(req);
    return res.body.text();
  }

  /** The `Location` of a 3xx answer, not followed. */
  async redirect(req: UpstreamRequest): Promise<string> {
    const res = await this.send(req, true);
    const location = res.headers.location;
    await res.body.dump();
    if (res.statusCode < 300 || res.statusCode >= 400 || typeof location !== 'string') {
      throw this.badResponse(req, `expected a redirect, got HTTP ${res.statusCode}`);
    }
    return new URL(location, this.opts.baseUrl).toString();
  }

  /** The body of a 2xx answer as a stream, for large payloads passed through. */
  async stream(req: UpstreamRequest): Promise<{ body: Readable; contentType?: string }> {
    const res = await this.send(req);
    const ct = res.headers['content-type'];
    return { body: res.body, contentType: typeof ct === 'string' ? ct : undefined };
  }

  /** Validates a payload against its zod model; a mismatch is the vendor's fault, not a crash. */
  parse<S extends z.ZodType>(schema: S, data: unknown, what: string): z.infer<S> {
    const r = schema.safeParse(data);
    if (r.success) return r.data;
    const first = r.error.issues[0];
    throw new UpstreamError(
      this.source,
      200,
      'UPSTREAM_BAD_RESPONSE',
      `${label(this.source)} sent an unexpected ${what}: ${first ? `${first.path.join('.') || '(root)'}: ${first.message}` : 'invalid'}`,
    );
  }

  private send(req: UpstreamRequest, allowRedirect = false): Promise<Dispatcher.ResponseData> {
    const wrap = this.opts.wrapCall;
    if (!wrap) return this.sendOnce(req, allowRedirect);
    return wrap({ source: this.source, origin: this.origin, method: req.method, route: req.route }, () => this.sendOnce(req, allowRedirect));
  }

  private async sendOnce(req: UpstreamRequest, allowRedirect: boolean): Promise<Dispatcher.ResponseData> {
    const path = this.prefix + req.path + queryString(req.query);
    const headers: Record<string, string> = { accept: 'application/json', ...req.headers };
    let body: string | undefined;
    if (req.body !== undefined) {
      body = JSON.stringify(req.body);
      headers['content-type'] = 'application/json';
    }
    let res: Dispatcher.ResponseData;
    try {
      res = await this.dispatcher.request({
        origin: this.origin,
        path,
        method: req.method,
        headers,
        body,
        headersTimeout: this.opts.timeoutMs,
        bodyTimeout: this.opts.timeoutMs,
      });
    } catch (err) {
      throw this.failed(this.transportError(err));
    }
    if ((res.statusCode >= 200 && res.statusCode < 300) || (allowRedirect && res.statusCode >= 300 && res.statusCode < 400)) {
      this.lastOkAt = Date.now();
      this.consecutiveFailures = 0;
      return res;
    }
    const err = await this.httpError(res);
    if (res.statusCode >= 500 || res.statusCode === 429) return Promise.reject(this.failed(err));
    this.lastOkAt = Date.now(); // a 4xx is an answer: the vendor is up
    throw err;
  }

  private failed(err: UpstreamError): UpstreamError {
    this.lastFailure = { code: err.code, at: Date.now() };
    this.consecutiveFailures++;
    return err;
  }

  private async httpError(res: Dispatcher.ResponseData): Promise<UpstreamError> {
    const status = res.statusCode;
    let parsed: unknown = null;
    try {
      const text = await res.body.text();
      parsed = text ? JSON.parse(text) : null;
    } catch {
      parsed = null;
    }
    const info = safeParseError(this.opts.parseError, status, parsed);
    const retryAfter = retryAfterSeconds(res.headers['retry-after']);
    const fallback = status === 429 ? 'rate limit reached' : `HTTP ${status}`;
    return new UpstreamError(this.source, status, codeForStatus(status), `${label(this.source)}: ${info.message || fallback}`, {
      retryAfterSeconds: retryAfter,
      vendorCode: info.vendorCode,
      fieldErrors: info.fieldErrors,
    });
  }

  private transportError(err: unknown): UpstreamError {
    if (err instanceof undiciErrors.HeadersTimeoutError || err instanceof undiciErrors.BodyTimeoutError) {
      return new UpstreamError(this.source, 0, 'UPSTREAM_TIMEOUT', `${label(this.source)} did not answer within ${this.opts.timeoutMs} ms`);
    }
    return new UpstreamError(this.source, 0, 'UPSTREAM_UNAVAILABLE', `${label(this.source)} is unreachable`);
  }

  private badResponse(req: UpstreamRequest, why: string): UpstreamError {
    return new UpstreamError(this.source, 200, 'UPSTREAM_BAD_RESPONSE', `${label(this.source)} sent an unexpected answer to ${req.route}: ${why}`);
  }
}

function safeParseError(fn: UpstreamHttpOptions['parseError'], status: number, body: unknown): VendorErrorInfo {
  try {
    return fn(status, body);
  } catch {
    return {};
  }
}

export function retryAfterSeconds(h: string | string[] | undefined): number | undefined {
  const v = Array.isArray(h) ? h[0] : h;
  if (!v) return undefined;
  const n = Number(v);
  if (Number.isFinite(n)) return Math.max(0, n);
  const date = Date.parse(v);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - Date.now()) / 1000));
}

function queryString(q: UpstreamRequest['query']): string {
  if (!q) return '';
  const parts: string[] = [];
  for (const [k, v] of Object.entries(q)) {
    if (v === undefined || v === null) continue;
    parts.push(`${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`);
  }
  return parts.length ? `?${parts.join('&')}` : '';
}

export function label(source: Source): string {
  return source === 'MAPFLOW' ? 'Mapflow' : source === 'FLAI' ? 'Flai' : 'Cupix';
}
