import { circuitBreaker, CircuitState, CountBreaker, handleWhen, type CircuitBreakerPolicy } from 'cockatiel';
import type { Config } from '../../config.js';
import { UpstreamError } from '../../errors.js';
import type { CircuitState as ReportedCircuitState } from '../../observability/metrics.js';

/**
 * What decides retries and the circuit breaker of every vendor call (values from src/config.ts).
 * The retry loop itself is in upstream-core.ts; the breaker is cockatiel's.
 */
export interface RetryPolicy {
  /** Retries of one call. */
  retries: number;
  /** Retries one request may spend over all its calls. */
  budget: number;
  baseMs: number;
  maxDelayMs: number;
  /** The longest one request waits in total between attempts. */
  maxWaitMs: number;
}

/** The retry budget of one vendor, shared by every call to it in the process (VendorRetryBudget). */
export interface VendorRetryPolicy {
  /** Retries allowed per call made, over the window. */
  ratio: number;
  windowMs: number;
  /** Retries allowed over the window whatever the traffic. */
  minRetries: number;
}

export interface BreakerPolicy {
  threshold: number;
  window: number;
  minCalls: number;
  halfOpenMs: number;
}

/** No retries: the default of a client built without a policy (unit tests, tools). */
export const NO_RETRIES: RetryPolicy = { retries: 0, budget: 0, baseMs: 1, maxDelayMs: 1, maxWaitMs: 0 };
export const DEFAULT_VENDOR_RETRIES: VendorRetryPolicy = { ratio: 0.2, windowMs: 10_000, minRetries: 10 };
export const DEFAULT_BREAKER: BreakerPolicy = { threshold: 0.5, window: 100, minCalls: 40, halfOpenMs: 10_000 };

export function retryPolicy(config: Config): RetryPolicy {
  return {
    retries: config.UPSTREAM_RETRIES,
    budget: config.UPSTREAM_RETRY_BUDGET,
    baseMs: config.UPSTREAM_RETRY_BASE_MS,
    maxDelayMs: config.UPSTREAM_RETRY_MAX_DELAY_MS,
    maxWaitMs: config.UPSTREAM_RETRY_MAX_WAIT_MS,
  };
}

export function vendorRetryPolicy(config: Config): VendorRetryPolicy {
  return {
    ratio: config.UPSTREAM_RETRY_RATIO,
    windowMs: config.UPSTREAM_RETRY_RATIO_WINDOW_SECONDS * 1000,
    minRetries: config.UPSTREAM_RETRY_RATIO_MIN_RETRIES,
  };
}

export function breakerPolicy(config: Config): BreakerPolicy {
  return {
    threshold: config.UPSTREAM_BREAKER_THRESHOLD,
    window: config.UPSTREAM_BREAKER_WINDOW,
    minCalls: Math.min(config.UPSTREAM_BREAKER_MIN_CALLS, config.UPSTREAM_BREAKER_WINDOW),
    halfOpenMs: config.UPSTREAM_BREAKER_HALF_OPEN_MS,
  };
}

/**
 * The retries one GraphQL request may still spend, and how long it may
 * still wait in total. One per request context, never shared: a request that burnt its budget
 * cannot slow down another.
 */
export class RetryBudget {
  /** A budget of nothing; never changes, so one serves every caller that must not retry. */
  static readonly NONE = new RetryBudget(NO_RETRIES);

  private left: number;
  private waitedMs = 0;

  constructor(private readonly policy: RetryPolicy) {
    this.left = policy.budget;
  }

  /** Whether the request may still make one retry that waits `ms` first. */
  allows(ms: number): boolean {
    return this.left > 0 && this.waitedMs + ms <= this.policy.maxWaitMs;
  }

  /** Takes one retry that waits `ms` first; false when the request has none left or cannot wait that long. */
  take(ms: number): boolean {
    if (!this.allows(ms)) return false;
    this.left--;
    this.waitedMs += ms;
    return true;
  }
}

/** Slots of a VendorRetryBudget's window: a call leaves the window between 0.9 and 1 window after it was made. */
const WINDOW_SLOTS = 10;

/**
 * The retries one vendor may be sent, shared by every caller of that vendor in the process: over the
 * last `windowMs`, at most `ratio` × the calls made (first attempts), or `minRetries` when that is
 * more (docs/decisions.md, "Retries: a budget per vendor over a sliding window"). The window is kept
 * in ten slots of counts, so a call or a retry costs a few additions.
 */
export class VendorRetryBudget {
  private readonly calls = new Array<number>(WINDOW_SLOTS).fill(0);
  private readonly retries = new Array<number>(WINDOW_SLOTS).fill(0);
  private callsInWindow = 0;
  private retriesInWindow = 0;
  private slot = 0;
  private slotStart: number;
  private readonly slotMs: number;

  /** `now`: a monotonic clock in ms (performance.now unless a test drives its own). */
  constructor(
    private readonly policy: VendorRetryPolicy,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.slotMs = policy.windowMs / WINDOW_SLOTS;
    this.slotStart = now();
  }

  /** One call (a first attempt) was made. */
  called(): void {
    this.advance();
    this.calls[this.slot]++;
    this.callsInWindow++;
  }

  /** Whether one more retry stays within the budget. */
  allows(): boolean {
    this.advance();
    return this.retriesInWindow + 1 <= Math.max(this.policy.minRetries, this.policy.ratio * this.callsInWindow);
  }

  /** One retry was made. */
  retried(): void {
    this.advance();
    this.retries[this.slot]++;
    this.retriesInWindow++;
  }

  /** Drops the slots that have left the window since the last look. */
  private advance(): void {
    const passed = Math.floor((this.now() - this.slotStart) / this.slotMs);
    if (passed <= 0) return;
    for (let i = Math.min(passed, WINDOW_SLOTS); i > 0; i--) {
      this.slot = (this.slot + 1) % WINDOW_SLOTS;
      this.callsInWindow -= this.calls[this.slot];
      this.retriesInWindow -= this.retries[this.slot];
      this.calls[this.slot] = 0;
      this.retries[this.slot] = 0;
    }
    this.slotStart += passed * this.slotMs;
  }
}

/** Full jitter (AWS Architecture Blog, "Exponential Backoff And Jitter"): random(0, min(cap, base × 2^attempt)). */
export function backoffMs(policy: RetryPolicy, attempt: number, random: () => number = Math.random): number {
  return Math.floor(random() * Math.min(policy.maxDelayMs, policy.baseMs * 2 ** attempt));
}

/**
 * The wait before the retry after attempt `attempt`: the full-jitter backoff, but never shorter than
 * the vendor's Retry-After.
 */
export function retryDelayMs(policy: RetryPolicy, attempt: number, retryAfterSeconds: number | undefined, random: () => number = Math.random): number {
  return Math.max(backoffMs(policy, attempt, random), (retryAfterSeconds ?? 0) * 1000);
}

/** Not attempted: the breaker was open, or the credential is held after a 429. Asking again at once changes nothing. */
const notAttempted = (err: UpstreamError): boolean => err.details.transport === 'open' || err.details.transport === 'held';

/** A failure that says nothing about the request itself, so the same read may succeed if asked again. */
export function isTransient(err: UpstreamError): boolean {
  if (err.details.transport) return !notAttempted(err);
  return err.status === 429 || err.status === 502 || err.status === 503 || err.status === 504;
}

/**
 * "The vendor is failing": 5xx, timeout, connection error. The one definition behind the circuit
 * breaker and /readyz's streak of failed calls. Never an answer about the request (a 4xx) nor a 429,
 * which is about the caller's quota (one credential waits, see rate-limit-gate.ts), nor a call that
 * was not attempted.
 */
export function isVendorFailure(err: unknown): boolean {
  if (!(err instanceof UpstreamError)) return false;
  if (err.details.transport) return !notAttempted(err);
  return err.status >= 500;
}

/**
 * A write whose outcome is unknown: it timed out or lost its connection after it may have been
 * sent, or a proxy in front of the vendor answered 502 or 504 (the vendor may have acted before the
 * proxy gave up on it). A refused connection sent nothing, and any other status is the vendor's own
 * answer.
 */
export function isAmbiguous(err: UpstreamError): boolean {
  const transport = err.details.transport;
  return transport === 'timeout' || transport === 'reset' || err.status === 502 || err.status === 504;
}

/** What /readyz and the metrics show of a breaker. */
export type BreakerState = ReportedCircuitState;

/** One breaker, with what /readyz and the metrics show of it. */
export class Breaker {
  readonly policy: CircuitBreakerPolicy;
  private openedAt = 0;

  constructor(private readonly opts: BreakerPolicy) {
    // Only these errors are failures; any other (a 4xx, a 429) passes through without touching the counts.
    this.policy = circuitBreaker(handleWhen(isVendorFailure), {
      halfOpenAfter: opts.halfOpenMs,
      breaker: new CountBreaker({ threshold: opts.threshold, size: opts.window, minimumNumberOfCalls: opts.minCalls }),
    });
    this.policy.onBreak(() => (this.openedAt = Date.now()));
  }

  /**
   * `half-open` once the break has lasted halfOpenMs: the next call is the probe (cockatiel moves
   * to HalfOpen when that call starts; until then it still says Open).
   */
  state(now = Date.now()): BreakerState {
    const state = this.policy.state;
    if (state === CircuitState.Closed) return 'closed';
    if (state === CircuitState.HalfOpen) return 'half-open';
    return now - this.openedAt >= this.opts.halfOpenMs ? 'half-open' : 'open';
  }

  /** Seconds until the next probe may go, while open. */
  secondsToProbe(now = Date.now()): number {
    return Math.max(0, Math.ceil((this.openedAt + this.opts.halfOpenMs - now) / 1000));
  }

  describe(): { state: BreakerState; openedAt: string | null } {
    const state = this.state();
    return { state, openedAt: state === 'closed' ? null : new Date(this.openedAt).toISOString() };
  }
}
