import { setTimeout as sleep } from 'node:timers/promises';
import { UpstreamError, type Source } from '../../errors.js';
import { isVendorFailure, retryDelayMs, type RetryPolicy } from '../http/resilience.js';

/** One vendor call of a pipeline, retried while the vendor is down, up to the stall bound. */
export type Persist = <T>(source: Source, call: () => Promise<T>) => Promise<T>;

/** A failure that says the vendor is down or busy (5xx, timeout, no connection, breaker open, 429), not that the request is wrong. */
export function isOutage(err: unknown): err is UpstreamError {
  if (!(err instanceof UpstreamError)) return false;
  return isVendorFailure(err) || err.status === 429 || err.details.transport === 'open' || err.details.transport === 'held';
}

/**
 * The pipeline's patience with a vendor that is down (PIPELINE_MAX_STALL_SECONDS): each call is
 * sent through the vendor's client (its own retries, breaker and retry budget apply within the
 * call), and an outage is asked again after the retry policy's backoff (never sooner than a
 * Retry-After), until `maxStallMs` has passed since the pipeline last moved; then the call's error
 * (its UPSTREAM_* code) fails the job. Any success moves the clock on.
 */
export class StallClock {
  private lastProgress = Date.now();

  constructor(
    private readonly maxStallMs: number,
    private readonly policy: RetryPolicy,
    private readonly signal: AbortSignal,
  ) {}

  moved(): void {
    this.lastProgress = Date.now();
  }

  /** Throws `err` when the bound is reached; else waits before the next attempt. */
  async wait(err: UpstreamError, attempt: number): Promise<void> {
    const left = this.lastProgress + this.maxStallMs - Date.now();
    if (left <= 0) throw err;
    const ms = Math.min(left, Math.max(50, retryDelayMs({ ...this.policy, maxDelayMs: Math.max(this.policy.maxDelayMs, 5_000) }, Math.min(attempt, 10), err.details.retryAfterSeconds)));
    await sleep(ms, undefined, { signal: this.signal }).catch(() => undefined);
    if (this.signal.aborted) throw err;
  }

  readonly persist: Persist = async (_source, call) => {
    for (let attempt = 0; ; attempt++) {
      try {
        const out = await call();
        this.moved();
        return out;
      } catch (err) {
        if (!isOutage(err)) throw err;
        await this.wait(err, attempt);
      }
    }
  };
}
