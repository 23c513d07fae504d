import type { IncomingHttpHeaders } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { BrokenCircuitError } from 'cockatiel';
import { errors as undiciErrors, Pool, util as undiciUtil, type Dispatcher } from 'undici';
import { codeForStatus, UpstreamError, type Source } from '../../errors.js';
import type { UpstreamMetrics } from '../../observability/metrics.js';
import type { CallWrapper } from '../../observability/tracing.js';
import { DEFAULT_RATE_LIMIT_WAIT_MS, RateLimitGate, type CredentialKey } from './rate-limit-gate.js';
import { Breaker, retryDelayMs, DEFAULT_BREAKER, isAmbiguous, isTransient, isVendorFailure, NO_RETRIES, RetryBudget, type BreakerPolicy, type RetryPolicy } from './resilience.js';

export type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

/**
 * What the caller wants of the vendor's answer:
 * - `text`: a 2xx body read whole, inside the attempt's deadline;
 * - `stream`: a 2xx whose body is the caller's to consume;
 * - `redirect`: a 3xx (a presigned download's `Location`) or a 2xx, whose body is the caller's.
 */
export type AnswerKind = 'text' | 'stream' | 'redirect';

/** One call as it goes on the wire, the same for every attempt. */
interface Exchange {
  method: Method;
  /** Base path, route path and query string. */
  path: string;
  headers: Record<string, string>;
  body: string | undefined;
  answer: AnswerKind;
}

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
  /** A read sent as POST (a search or a price): retried like a GET. Default: only GET is. */
  idempotent?: boolean;
}

export interface VendorErrorInfo {
  message?: string;
  vendorCode?: string;
  fieldErrors?: Record<string, string[]>;
}

/**
 * Who a call is made for: the request's retry budget (null: a fresh one per call) and its caller's
 * credential as the rate-limit gate names it (null: not gated, e.g. tools and unit tests).
 */
export interface CallScope {
  budget: RetryBudget | null;
  credential: CredentialKey | null;
}


export interface UpstreamHttpOptions {
  source: Source;
  baseUrl: string;
  timeoutMs: number;
  /** Reads the vendor's own error body; must return only text safe to show. */
  parseError(status: number, body: unknown): VendorErrorInfo;
  /** Shared keep-alive pool; one per process is right (it holds connections, never credentials). */
  dispatcher?: Dispatcher;
  retry?: RetryPolicy;
  breaker?: BreakerPolicy;
  metrics?: UpstreamMetrics;
  /** Wraps every attempt, e.g. in a tracing span (src/observability/tracing.ts); absent, nothing is added. */
  wrapCall?: CallWrapper;
  /** Holds of rate-limited credentials; its own unless the app shares one (with REDIS_URL, across replicas). */
  gate?: RateLimitGate;
  /** The jitter's random source, in [0, 1): Math.random unless a test injects its own. */
  random?: () => number;
  /** Failures and breaker changes are logged here: vendor, route template, status and code only (never a message, which may echo input). */
  log?: { warn(obj: object, msg: string): void; info(obj: object, msg: string): void };
}

/** A 2xx read whole (`text` calls). */
export interface TextAnswer {
  statusCode: number;
  headers: IncomingHttpHeaders;
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


const NO_METRICS: UpstreamMetrics = { call() {}, retry() {} };

/**
 * One keep-alive pool per vendor origin (and timeout) for the whole process: it holds connections,
 * never credentials. `Pool.request({path})` skips the URL parse and origin dispatch an Agent does.
 * Every call goes to this origin: the gateway never dispatches to a host a vendor names.
 */
const pools = new Map<string, Pool>();
function poolFor(origin: string, timeoutMs: number): Pool {
  const key = `${origin} ${timeoutMs}`;
  let pool = pools.get(key);
  if (!pool) {
    pool = new Pool(origin, { keepAliveTimeout: 30_000, connections: 128, pipelining: 1, connect: { timeout: timeoutMs } });
    pools.set(key, pool);
  }
  return pool;
}

/**
 * What every per-request view of one vendor client shares: the pool, the circuit breaker, the
 * rate-limit gate and the health seen by /readyz. It sends each call through the gate and the
 * breaker, retries reads, and turns every failure into one `UpstreamError` with a code.
 */
export class UpstreamCore {
  readonly source: Source;
  readonly breaker: Breaker;
  readonly gate: RateLimitGate;
  private readonly dispatcher: Dispatcher;
  /** `scheme://host:port` of the base URL, and its path prefix (`/rest`, `/api/v1`, or empty). */
  readonly origin: string;
  private readonly prefix: string;
  private readonly retry: RetryPolicy;
  private readonly metrics: UpstreamMetrics;
  private lastOkAt: number | null = null;
  private lastFailure: { code: string; at: number } | null = null;
  private consecutiveFailures = 0;

  constructor(readonly opts: UpstreamHttpOptions) {
    this.source = opts.source;
    const base = new URL(opts.baseUrl);
    this.origin = base.origin;
    this.prefix = base.pathname.replace(/\/+$/, '');
    this.dispatcher = opts.dispatcher ?? poolFor(this.origin, opts.timeoutMs);
    this.retry = opts.retry ?? NO_RETRIES;
    this.breaker = new Breaker(opts.breaker ?? DEFAULT_BREAKER);
    this.gate = opts.gate ?? new RateLimitGate();
    this.metrics = opts.metrics ?? NO_METRICS;
    const log = opts.log;
    if (log) {
      const vendor = this.source;
      this.breaker.policy.onBreak(() => log.warn({ vendor, retryInSeconds: this.breaker.secondsToProbe() }, 'circuit opened: calls to this vendor are paused'));
      this.breaker.policy.onHalfOpen(() => log.info({ vendor }, 'circuit half-open: probing'));
      this.breaker.policy.onReset(() => log.info({ vendor }, 'circuit closed'));
    }
  }

  health() {
    return {
      lastOkAt: this.lastOkAt ? new Date(this.lastOkAt).toISOString() : null,
      lastFailure: this.lastFailure ? { code: this.lastFailure.code, at: new Date(this.lastFailure.at).toISOString() } : null,
      consecutiveFailures: this.consecutiveFailures,
      circuit: this.breaker.describe(),
      /** Credentials whose reads wait out a 429's Retry-After (they say nothing about the vendor's health). */
      rateLimitedCredentials: this.gate.held(),
    };
  }

  /**
   * Sends one call; reads are retried on transient failures within the request's budget. A write is
   * sent once: when its outcome is unknown it fails with UPSTREAM_TIMEOUT saying so (a Mapflow create
   * resolves that itself, see mapflow.create.ts).
   *
   * A read with a credential the vendor answered 429 fails at once, unsent, while that 429's
   * Retry-After lasts (`rateLimited`). Writes are not held back: each is one call the vendor
   * answers for itself (never retried blindly), and a 429 on a write says it was not made.
   *
   * With `answer: 'text'`, the 2xx body is read inside the attempt: the vendor's timeout is then a
   * deadline on the whole attempt, headers and body, so a vendor that trickles its body is cut off
   * (UPSTREAM_TIMEOUT) like one that never answers. For streams and redirects only the wait for the
   * headers and each gap in the body are bounded.
   */
  send(req: UpstreamRequest, scope: CallScope, answer: 'text'): Promise<TextAnswer>;
  send(req: UpstreamRequest, scope: CallScope, answer: 'stream' | 'redirect'): Promise<StreamAnswer>;
  async send(req: UpstreamRequest, scope: CallScope, answer: AnswerKind): Promise<WireAnswer> {
    const idempotent = req.idempotent ?? req.method === 'GET';
    const { credential } = scope;
    // The gate is asked once, before the first attempt: a retry of this read waits out its own
    // 429's Retry-After in `backoff`, as it always did.
    if (idempotent && credential && !this.gate.empty) {
      const key = credential();
      const waitMs = key ? this.gate.waitMs(key) : 0;
      if (waitMs > 0) {
        this.metrics.call(req.route, 'rate_limited_local', 0);
        throw this.rateLimited(waitMs);
      }
    }
    const path = this.prefix + req.path + queryString(req.query);
    const headers: Record<string, string> = { accept: 'application/json', ...req.headers };
    let body: string | undefined;
    if (req.body !== undefined) {
      body = JSON.stringify(req.body);
      headers['content-type'] = 'application/json';
    }
    const exchange: Exchange = { method: req.method, path, headers, body, answer };
    let budget = scope.budget;
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.attemptOnce(req, exchange, credential);
      } catch (err) {
        if (!(err instanceof UpstreamError)) throw err;
        if (!idempotent) throw isAmbiguous(err) ? this.ambiguous(req, err) : err;
        if (!(await this.backoff(err, attempt, (budget ??= new RetryBudget(this.retry)), req.route))) throw err;
      }
    }
  }

  /**
   * Waits before attempt `attempt + 1` of a transient failure and returns true, or returns false at
   * once when there is to be none: not transient, retries or budget spent, or a Retry-After longer
   * than the request may wait (the error then carries `retryAfter` to the client).
   */
  async backoff(err: UpstreamError, attempt: number, budget: RetryBudget, route: string): Promise<boolean> {
    if (!isTransient(err) || attempt >= this.retry.retries) return false;
    const ms = retryDelayMs(this.retry, attempt, err.details.retryAfterSeconds, this.opts.random);
    if (!budget.take(ms)) return false;
    this.metrics.retry(route, err.details.transport ?? String(err.status));
    if (ms > 0) await sleep(ms);
    return true;
  }

  newBudget(): RetryBudget {
    return new RetryBudget(this.retry);
  }

  /** One attempt through the breaker (and the tracing wrapper), recorded in the metrics and the health. */
  private async attemptOnce(req: UpstreamRequest, exchange: Exchange, credential: CredentialKey | null): Promise<WireAnswer> {
    const started = performance.now();
    try {
      const wrap = this.opts.wrapCall;
      const send = (): Promise<WireAnswer> => (exchange.answer === 'text' ? this.readWholeBody(exchange) : this.openStream(exchange));
      const res = await this.breaker.policy.execute(wrap ? () => wrap({ source: this.source, origin: this.origin, method: req.method, route: req.route }, send) : send);
      this.metrics.call(req.route, statusLabel(res.statusCode), (performance.now() - started) / 1000);
      this.lastOkAt = Date.now();
      this.consecutiveFailures = 0;
      return res;
    } catch (err) {
      if (err instanceof BrokenCircuitError) {
        this.metrics.call(req.route, 'circuit_open', 0);
        throw this.circuitOpen();
      }
      if (!(err instanceof UpstreamError)) throw err;
      this.metrics.call(req.route, err.details.transport ? (err.details.transport === 'timeout' ? 'timeout' : 'network') : statusLabel(err.status), (performance.now() - started) / 1000);
      // One predicate says "the vendor is failing", for the breaker (which was given the same
      // error) and for /readyz's streak; anything else is an answer from a vendor that is up.
      if (isVendorFailure(err)) {
        this.lastFailure = { code: err.code, at: Date.now() };
        this.consecutiveFailures++;
        this.opts.log?.warn(
          { vendor: this.source, route: req.route, status: err.status, code: err.code, transport: err.details.transport, vendorCode: err.details.vendorCode },
          'vendor call failed',
        );
      } else {
        this.lastOkAt = Date.now();
        this.consecutiveFailures = 0;
      }
      if (err.status === 429) this.holdCredential(req, err, credential);
      throw err;
    }
  }

  /**
   * A `text` exchange on undici's handler API: the answer's chunks are gathered as they come, with
   * no stream, signal or promise per chunk in between (the cheapest way through undici, below
   * `request()`). One timer is the attempt's deadline over connecting, headers and the whole body;
   * undici's own headers and body timeouts stay as a second bound. Anything but a 2xx becomes an
   * UpstreamError, read from the vendor's error body.
   */
  private readWholeBody({ method, path, headers, body }: Exchange): Promise<TextAnswer> {
    return new Promise<TextAnswer>((resolve, reject) => {
      let settled = false;
      let timedOut = false;
      let abort: ((err?: Error) => void) | null = null;
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
        if (abort) abort(new DeadlineError());
        else fail(this.timeoutError());
      }, this.opts.timeoutMs);
      const handler: Dispatcher.DispatchHandler = {
        onConnect: (a) => {
          if (timedOut) return a(new DeadlineError());
          abort = a;
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
          const answerHeaders = undiciUtil.parseHeaders(rawHeaders) as IncomingHttpHeaders;
          if (statusCode >= 200 && statusCode < 300) {
            settled = true;
            clearTimeout(timer);
            resolve({ statusCode, headers: answerHeaders, text });
          } else fail(this.httpErrorOf(statusCode, answerHeaders, text));
        },
        onError: (err) => fail(timedOut ? this.timeoutError() : this.transportError(err)),
      };
      try {
        this.dispatcher.dispatch({ origin: this.origin, path, method, headers, body, headersTimeout: this.opts.timeoutMs, bodyTimeout: this.opts.timeoutMs }, handler);
      } catch (err) {
        fail(this.transportError(err));
      }
    });
  }

  /**
   * A `stream` or `redirect` exchange through `request()`: the body is the caller's. The deadline covers
   * the headers (and the whole body of an error answer); the body's gaps are bounded by bodyTimeout.
   */
  private async openStream({ method, path, headers, body, answer }: Exchange): Promise<StreamAnswer> {
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(), this.opts.timeoutMs);
    const failure = (err: unknown) => (deadline.signal.aborted ? this.timeoutError() : this.transportError(err));
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
          headersTimeout: this.opts.timeoutMs,
          bodyTimeout: this.opts.timeoutMs,
        });
      } catch (err) {
        throw failure(err);
      }
      const s = res.statusCode;
      if ((s >= 200 && s < 300) || (answer === 'redirect' && s >= 300 && s < 400)) return { statusCode: s, headers: res.headers, body: res.body };
      let text = '';
      try {
        text = await res.body.text();
      } catch {
        // The status alone then says what happened.
      }
      throw this.httpErrorOf(s, res.headers, text);
    } finally {
      clearTimeout(timer);
    }
  }

  private timeoutError(): UpstreamError {
    return new UpstreamError(this.source, 0, 'UPSTREAM_TIMEOUT', `${label(this.source)} did not answer within ${this.opts.timeoutMs} ms`, { transport: 'timeout' });
  }

  /** A non-2xx answer as an UpstreamError: the vendor's own error body where it parses, else the status. */
  private httpErrorOf(status: number, headers: IncomingHttpHeaders, text: string): UpstreamError {
    let parsed: unknown = null;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      parsed = null;
    }
    const info = safeParseError(this.opts.parseError, status, parsed);
    const retryAfter = retryAfterSeconds(headers['retry-after']);
    const fallback = status === 429 ? 'rate limit reached' : `HTTP ${status}`;
    return new UpstreamError(this.source, status, codeForStatus(status), `${label(this.source)}: ${info.message || fallback}`, {
      retryAfterSeconds: retryAfter,
      vendorCode: info.vendorCode,
      fieldErrors: info.fieldErrors,
    });
  }

  private transportError(err: unknown): UpstreamError {
    if (err instanceof undiciErrors.HeadersTimeoutError || err instanceof undiciErrors.BodyTimeoutError) return this.timeoutError();
    const refused = err instanceof undiciErrors.ConnectTimeoutError || /^(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH)$/.test(errorCode(err));
    return new UpstreamError(this.source, 0, 'UPSTREAM_UNAVAILABLE', `${label(this.source)} is unreachable`, { transport: refused ? 'refused' : 'reset' });
  }

  /** A 429: this credential's reads wait out the Retry-After (DEFAULT_RATE_LIMIT_WAIT_MS without one); 0 holds nothing. */
  private holdCredential(req: UpstreamRequest, err: UpstreamError, credential: CredentialKey | null): void {
    const seconds = err.details.retryAfterSeconds;
    this.opts.log?.warn({ vendor: this.source, route: req.route, status: 429, code: err.code, retryAfterSeconds: seconds }, 'vendor rate-limited a credential');
    const key = credential?.();
    if (key) this.gate.hold(key, seconds === undefined ? DEFAULT_RATE_LIMIT_WAIT_MS : seconds * 1000);
  }

  /** A read refused unsent while its credential's Retry-After lasts; the client is told what is left of it. */
  private rateLimited(waitMs: number): UpstreamError {
    const wait = Math.ceil(waitMs / 1000);
    return new UpstreamError(this.source, 429, 'RATE_LIMITED', `${label(this.source)} rate-limited this credential: try again in ${wait} s`, {
      transport: 'held',
      retryAfterSeconds: wait,
    });
  }

  private circuitOpen(): UpstreamError {
    const wait = this.breaker.secondsToProbe();
    return new UpstreamError(this.source, 0, 'UPSTREAM_UNAVAILABLE', `${label(this.source)} is failing: calls to it are paused after repeated errors (next try in ${wait} s)`, {
      transport: 'open',
      retryAfterSeconds: wait,
    });
  }

  /** A write that may or may not have happened: the client must know before it tries again. */
  private ambiguous(req: UpstreamRequest, err: UpstreamError): UpstreamError {
    const why = err.details.transport === 'timeout' ? `did not answer within ${this.opts.timeoutMs} ms` : err.status === 504 ? 'answered 504 (gateway timeout)' : err.status === 502 ? 'answered 502 (bad gateway)' : 'dropped the connection';
    return new UpstreamError(
      this.source,
      err.status,
      'UPSTREAM_TIMEOUT',
      `${label(this.source)} ${why} to ${req.route}: the change may or may not have been made. It was not retried; check before trying again.`,
      { ...err.details, ambiguous: true },
    );
  }
}

/** The deadline's reason for aborting a `text` exchange (its failure is reported as UPSTREAM_TIMEOUT). */
class DeadlineError extends Error {}

/** The body's text as undici's `text()` gives it: UTF-8, a leading byte order mark dropped. */
function decodeUtf8(chunks: Buffer[]): string {
  const buf = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
  const start = buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf ? 3 : 0;
  return buf.toString('utf8', start);
}

function safeParseError(fn: UpstreamHttpOptions['parseError'], status: number, body: unknown): VendorErrorInfo {
  try {
    return fn(status, body);
  } catch {
    return {};
  }
}

function errorCode(err: unknown): string {
  const e = err as { code?: unknown; cause?: { code?: unknown } } | null;
  const code = e?.cause?.code ?? e?.code;
  return typeof code === 'string' ? code : '';
}

/** Status labels: one string per status code, made once. */
const STATUS_LABELS = new Map<number, string>();
function statusLabel(status: number): string {
  let s = STATUS_LABELS.get(status);
  if (s === undefined) STATUS_LABELS.set(status, (s = String(status)));
  return s;
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
