import { setTimeout as sleep } from 'node:timers/promises';
import { BrokenCircuitError } from 'cockatiel';
import type { Dispatcher } from 'undici';
import { UpstreamError, type Source } from '../../errors.js';
import type { UpstreamMetrics } from '../../observability/metrics.js';
import type { CallWrapper } from '../../observability/tracing.js';
import { DEFAULT_RATE_LIMIT_WAIT_MS, RateLimitGate, type CredentialKey } from './rate-limit-gate.js';
import {
  Breaker,
  retryDelayMs,
  DEFAULT_BREAKER,
  DEFAULT_VENDOR_RETRIES,
  isAmbiguous,
  isTransient,
  isVendorFailure,
  NO_RETRIES,
  RetryBudget,
  VendorRetryBudget,
  type BreakerPolicy,
  type RetryPolicy,
  type VendorRetryPolicy,
} from './resilience.js';
import { UpstreamFailures, type VendorErrorInfo } from './upstream-failures.js';
import { poolFor, toWireRequest, UpstreamWire, type AnswerKind, type StreamAnswer, type TextAnswer, type UpstreamRequest, type WireAnswer, type WireRequest } from './upstream-wire.js';

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
  /** The vendor's retry budget over a sliding window (DEFAULT_VENDOR_RETRIES when absent). */
  vendorRetries?: VendorRetryPolicy;
  /** The vendor retry budget's clock, monotonic ms: performance.now unless a test drives its own. */
  clock?: () => number;
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

const NO_METRICS: UpstreamMetrics = { call() {}, retry() {}, retryDenied() {} };

/**
 * What every per-request view of one vendor client shares: the wire, the circuit breaker, the
 * rate-limit gate and the health seen by /readyz. It sends each call through the gate and the
 * breaker, retries reads, and turns every failure into one `UpstreamError` with a code.
 */
export class UpstreamCore {
  readonly source: Source;
  readonly breaker: Breaker;
  readonly gate: RateLimitGate;
  /** `scheme://host:port` of the base URL, and its path prefix (`/rest`, `/api/v1`, or empty). */
  readonly origin: string;
  private readonly prefix: string;
  private readonly wire: UpstreamWire;
  /** Wires to the vendor's other origins (its storage hosts), made on first use. */
  private readonly otherWires = new Map<string, UpstreamWire>();
  private readonly failures: UpstreamFailures;
  private readonly retry: RetryPolicy;
  /** Shared by every view of this client, i.e. by every caller of the vendor. */
  private readonly vendorRetries: VendorRetryBudget;
  private readonly metrics: UpstreamMetrics;
  private lastOkAt: number | null = null;
  private lastFailure: { code: string; at: number } | null = null;
  private consecutiveFailures = 0;

  constructor(readonly opts: UpstreamHttpOptions) {
    this.source = opts.source;
    const base = new URL(opts.baseUrl);
    this.origin = base.origin;
    this.prefix = base.pathname.replace(/\/+$/, '');
    this.failures = new UpstreamFailures(opts.source, opts.timeoutMs, opts.parseError);
    this.wire = new UpstreamWire(opts.dispatcher ?? poolFor(this.origin, opts.timeoutMs), this.origin, opts.timeoutMs, this.failures);
    this.retry = opts.retry ?? NO_RETRIES;
    this.vendorRetries = new VendorRetryBudget(opts.vendorRetries ?? DEFAULT_VENDOR_RETRIES, opts.clock);
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
   * Sends one call and gives its answer as `answer` asks (see `AnswerKind`). A read whose credential
   * is held after a 429 fails at once, unsent (docs/decisions.md, "A 429 holds back one credential,
   * not the vendor"); reads are retried on transient failures within the request's budget; a write is
   * sent once, and one whose outcome is unknown fails with UPSTREAM_TIMEOUT saying so (a Mapflow
   * create resolves that itself, see mapflow.create.ts; docs/decisions.md,
   * "Retries: reads only, full jitter, a budget per request").
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
        throw this.failures.credentialHeld(waitMs);
      }
    }
    const wireRequest = toWireRequest(req.origin ? '' : this.prefix, req, answer);
    this.vendorRetries.called();
    let budget = scope.budget;
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.attemptOnce(req, wireRequest, credential);
      } catch (err) {
        if (!(err instanceof UpstreamError)) throw err;
        if (!idempotent) throw isAmbiguous(err) ? this.failures.ambiguousWrite(req.route, err) : err;
        if (!(await this.backoff(err, attempt, (budget ??= new RetryBudget(this.retry)), req.route))) throw err;
      }
    }
  }

  /**
   * Waits before attempt `attempt + 1` of a transient failure and returns true, or returns false at
   * once when there is to be none: not transient, retries or the request's budget spent, a
   * Retry-After longer than the request may wait (the error then carries `retryAfter` to the
   * client), or the vendor's retry budget spent (counted in the metrics; docs/decisions.md,
   * "Retries: a budget per vendor over a sliding window").
   */
  async backoff(err: UpstreamError, attempt: number, budget: RetryBudget, route: string): Promise<boolean> {
    if (!isTransient(err) || attempt >= this.retry.retries) return false;
    const ms = retryDelayMs(this.retry, attempt, err.details.retryAfterSeconds, this.opts.random);
    if (!budget.allows(ms)) return false;
    if (!this.vendorRetries.allows()) {
      this.metrics.retryDenied(route);
      return false;
    }
    if (!budget.take(ms)) return false;
    this.vendorRetries.retried();
    this.metrics.retry(route, err.details.transport ?? String(err.status));
    if (ms > 0) await sleep(ms);
    return true;
  }

  newBudget(): RetryBudget {
    return new RetryBudget(this.retry);
  }

  /** One attempt through the breaker (and the tracing wrapper), recorded in the metrics and the health. */
  private async attemptOnce(req: UpstreamRequest, wireRequest: WireRequest, credential: CredentialKey | null): Promise<WireAnswer> {
    const started = performance.now();
    try {
      const wrap = this.opts.wrapCall;
      const wire = this.wireTo(req.origin);
      const exchange = (): Promise<WireAnswer> => (wireRequest.answer === 'text' ? wire.readWholeBody(wireRequest) : wire.openStream(wireRequest));
      const res = await this.breaker.policy.execute(wrap ? () => wrap({ source: this.source, origin: this.origin, method: req.method, route: req.route }, exchange) : exchange);
      this.metrics.call(req.route, statusLabel(res.statusCode), (performance.now() - started) / 1000);
      this.lastOkAt = Date.now();
      this.consecutiveFailures = 0;
      return res;
    } catch (err) {
      if (err instanceof BrokenCircuitError) {
        this.metrics.call(req.route, 'circuit_open', 0);
        throw this.failures.circuitOpen(this.breaker.secondsToProbe());
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

  private wireTo(origin: string | undefined): UpstreamWire {
    if (!origin || origin === this.origin) return this.wire;
    let wire = this.otherWires.get(origin);
    if (!wire) this.otherWires.set(origin, (wire = new UpstreamWire(poolFor(origin, this.opts.timeoutMs), origin, this.opts.timeoutMs, this.failures)));
    return wire;
  }

  /** A 429: this credential's reads wait out the Retry-After (DEFAULT_RATE_LIMIT_WAIT_MS without one); 0 holds nothing. */
  private holdCredential(req: UpstreamRequest, err: UpstreamError, credential: CredentialKey | null): void {
    const seconds = err.details.retryAfterSeconds;
    this.opts.log?.warn({ vendor: this.source, route: req.route, status: 429, code: err.code, retryAfterSeconds: seconds }, 'vendor rate-limited a credential');
    const key = credential?.();
    if (key) this.gate.hold(key, seconds === undefined ? DEFAULT_RATE_LIMIT_WAIT_MS : seconds * 1000);
  }
}

/** Status labels: one string per status code, made once. */
const STATUS_LABELS = new Map<number, string>();
function statusLabel(status: number): string {
  let label = STATUS_LABELS.get(status);
  if (label === undefined) STATUS_LABELS.set(status, (label = String(status)));
  return label;
}
