import type { IncomingHttpHeaders } from 'node:http';
import { Transform, type Readable } from 'node:stream';
import { Pool, util as undiciUtil, type Dispatcher } from 'undici';
import type { UpstreamError } from '../../errors.js';
import type { UpstreamFailures } from './upstream-failures.js';

export type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** One vendor call as a vendor client asks for it. */
export interface UpstreamRequest {
  method: Method;
  /** Path below the vendor base URL, e.g. `/processings/abc/v2`; with `origin`, the path at that origin. */
  path: string;
  /**
   * Another origin of the same vendor: its storage, for a presigned URL already checked by
   * `checkStorageUrl`. The call still goes through the vendor's breaker, retries and metrics.
   */
  origin?: string;
  /** Route template for logs and metrics, e.g. `GET /processings/{id}/v2`. Never holds ids or secrets. */
  route: string;
  query?: Record<string, string | number | boolean | undefined | null>;
  body?: unknown;
  /** A body streamed as it is (a multipart upload or upload chunk) instead of `body` as JSON; never retried. */
  rawBody?: { stream: Readable; length: number; contentType: string };
  /** Auth headers of the caller's credential. */
  headers: Record<string, string>;
  /** A read sent as POST (a search or a price): retried like a GET. Default: only GET is. */
  idempotent?: boolean;
}

/**
 * What the caller wants of the vendor's answer:
 * - `text`: a 2xx body read whole, inside the attempt's deadline;
 * - `stream`: a 2xx whose body is the caller's to consume;
 * - `redirect`: a 3xx (a presigned download's `Location`) or a 2xx, whose body is the caller's.
 */
export type AnswerKind = 'text' | 'stream' | 'redirect';

/** One call as it goes on the wire, the same for every attempt. */
export interface WireRequest {
  method: Method;
  /** Base path, route path and query string. */
  path: string;
  headers: Record<string, string>;
  body: string | Buffer | Readable | undefined;
  answer: AnswerKind;
}

/** A 2xx read whole (`text` calls). */
export interface TextAnswer {
  statusCode: number;
  readonly headers: IncomingHttpHeaders;
  text: string;
  body?: undefined;
}

/** The answer of a `stream` or `redirect` call, whose `body` is the caller's to consume. */
export interface StreamAnswer {
  statusCode: number;
  headers: IncomingHttpHeaders;
  body: Dispatcher.ResponseData['body'];
  text?: undefined;
}

export type WireAnswer = TextAnswer | StreamAnswer;

/**
 * One keep-alive pool per vendor origin (and timeout) for the whole process: it holds connections,
 * never credentials, and every call goes to that origin by path (docs/decisions.md,
 * "One HTTP client per vendor on undici's handler API").
 */
const pools = new Map<string, Pool>();
export function poolFor(origin: string, timeoutMs: number): Pool {
  const key = `${origin} ${timeoutMs}`;
  let pool = pools.get(key);
  if (!pool) {
    pool = new Pool(origin, { keepAliveTimeout: 30_000, connections: 128, pipelining: 1, connect: { timeout: timeoutMs } });
    pools.set(key, pool);
  }
  return pool;
}

/** The call on the wire: the base URL's path prefix before its path, its query string, JSON headers and body. */
export function toWireRequest(prefix: string, req: UpstreamRequest, answer: AnswerKind): WireRequest {
  const path = prefix + req.path + queryString(req.query);
  const headers: Record<string, string> = { accept: 'application/json', ...req.headers };
  let body: string | Buffer | Readable | undefined;
  if (req.rawBody) {
    body = req.rawBody.stream;
    headers['content-type'] = req.rawBody.contentType;
    headers['content-length'] = String(req.rawBody.length);
  } else if (req.body !== undefined) {
    body = JSON.stringify(req.body);
    headers['content-type'] = 'application/json';
  }
  return { method: req.method, path, headers, body, answer };
}

/**
 * One attempt of a call on undici, bounded by the vendor's timeout: every failure, a non-2xx answer
 * included, is rejected as an `UpstreamError`.
 */
export class UpstreamWire {
  constructor(
    private readonly dispatcher: Dispatcher,
    private readonly origin: string,
    private readonly timeoutMs: number,
    private readonly failures: UpstreamFailures,
  ) {}

  /**
   * A `text` call on undici's handler API, chunks gathered as they come; one timer is the deadline
   * over connecting, headers and the whole body (docs/decisions.md, "One HTTP client per vendor on
   * undici's handler API"); undici's own headers and body timeouts stay as a second bound.
   */
  readWholeBody({ method, path, headers, body }: WireRequest): Promise<TextAnswer> {
    return new Promise<TextAnswer>((resolve, reject) => {
      let settled = false;
      let timedOut = false;
      let abortExchange: ((err?: Error) => void) | null = null;
      let statusCode = 0;
      let rawHeaders: Buffer[] = [];
      const chunks: Buffer[] = [];
      const fail = (err: UpstreamError) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        reject(err);
      };
      const timer = setTimeout(() => {
        timedOut = true;
        // Still waiting for a connection: fail now; the request is dropped once it gets one.
        if (abortExchange) abortExchange(new DeadlineError());
        else fail(this.failures.timeout());
      }, this.timeoutMs);
      // A streamed request body (an upload passed on) may take long: the deadline is then the longest silence.
      const sent =
        body && typeof body !== 'string' && !Buffer.isBuffer(body)
          ? body.pipe(new Transform({ transform: (piece: Buffer, _encoding, done) => (timer.refresh(), done(null, piece)) }))
          : body;
      if (sent !== body) (body as Readable).on('error', (err: Error) => sent && typeof sent !== 'string' && !Buffer.isBuffer(sent) && sent.destroy(err));
      const handler: Dispatcher.DispatchHandler = {
        onConnect: (abort) => {
          if (timedOut) return abort(new DeadlineError());
          abortExchange = abort;
        },
        onHeaders: (status, raw) => {
          statusCode = status;
          rawHeaders = raw as unknown as Buffer[];
          return true;
        },
        onData: (chunk) => {
          chunks.push(chunk);
          return true;
        },
        onComplete: () => {
          if (settled) return;
          const text = decodeUtf8(chunks);
          if (statusCode >= 200 && statusCode < 300) {
            settled = true;
            clearTimeout(timer);
            resolve(new ReadAnswer(statusCode, rawHeaders, text));
          } else fail(this.failures.fromAnswer(statusCode, undiciUtil.parseHeaders(rawHeaders) as IncomingHttpHeaders, text));
        },
        onError: (err) => fail(timedOut ? this.failures.timeout() : this.failures.fromTransport(err)),
      };
      try {
        this.dispatcher.dispatch({ origin: this.origin, path, method, headers, body: sent, headersTimeout: this.timeoutMs, bodyTimeout: this.timeoutMs }, handler);
      } catch (err) {
        fail(this.failures.fromTransport(err));
      }
    });
  }

  /**
   * A `stream` or `redirect` call through undici's `request()`: the body is the caller's. The deadline
   * covers the headers (and the whole body of an error answer); the body's gaps are bounded by bodyTimeout.
   */
  async openStream({ method, path, headers, body, answer }: WireRequest): Promise<StreamAnswer> {
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(), this.timeoutMs);
    const failure = (err: unknown) => (deadline.signal.aborted ? this.failures.timeout() : this.failures.fromTransport(err));
    try {
      let res: Dispatcher.ResponseData;
      try {
        res = await this.dispatcher.request({
          origin: this.origin,
          path,
          method,
          headers,
          body,
          signal: deadline.signal,
          headersTimeout: this.timeoutMs,
          bodyTimeout: this.timeoutMs,
        });
      } catch (err) {
        throw failure(err);
      }
      const status = res.statusCode;
      if ((status >= 200 && status < 300) || (answer === 'redirect' && status >= 300 && status < 400)) return { statusCode: status, headers: res.headers, body: res.body };
      let text = '';
      try {
        text = await res.body.text();
      } catch {
        // The status alone then says what happened.
      }
      throw this.failures.fromAnswer(status, res.headers, text);
    } finally {
      clearTimeout(timer);
    }
  }
}

/**
 * A 2xx read whole. Its headers are parsed from the raw pairs on first read: the JSON and text
 * readers never look at them, and parsing every answer's headers was a measurable share of a
 * request's CPU (docs/decisions.md, "The tail latency: what it is made of").
 */
class ReadAnswer implements TextAnswer {
  private parsed?: IncomingHttpHeaders;

  constructor(
    readonly statusCode: number,
    private readonly rawHeaders: Buffer[],
    readonly text: string,
  ) {}

  get headers(): IncomingHttpHeaders {
    return (this.parsed ??= undiciUtil.parseHeaders(this.rawHeaders) as IncomingHttpHeaders);
  }
}

/** The deadline's reason for aborting a `text` call (its failure is reported as UPSTREAM_TIMEOUT). */
class DeadlineError extends Error {}

/** The body's text as undici's `text()` gives it: UTF-8, a leading byte order mark dropped. */
function decodeUtf8(chunks: Buffer[]): string {
  const buf = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
  const start = buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf ? 3 : 0;
  return buf.toString('utf8', start);
}

function queryString(query: UpstreamRequest['query']): string {
  if (!query) return '';
  const parts: string[] = [];
  for (const [name, value] of Object.entries(query)) {
    if (value === undefined || value === null) continue;
    parts.push(`${encodeURIComponent(name)}=${encodeURIComponent(String(value))}`);
  }
  return parts.length ? `?${parts.join('&')}` : '';
}
