import { describe, expect, it } from 'vitest';
import { backoffMs, isAmbiguous, isTransient, isVendorFailure, RetryBudget, retryDelayMs, VendorRetryBudget, type RetryPolicy } from '../../src/datasources/http/resilience.js';
import { UpstreamCore } from '../../src/datasources/http/upstream-core.js';
import { mapflowErrorInfo } from '../../src/datasources/mapflow/mapflow.errors.js';
import { UpstreamError, type TransportFailure } from '../../src/errors.js';

const POLICY: RetryPolicy = { retries: 2, budget: 3, baseMs: 100, maxDelayMs: 1000, maxWaitMs: 1500 };
const err = (status: number, transport?: TransportFailure) => new UpstreamError('MAPFLOW', status, 'UPSTREAM_ERROR', 'x', transport ? { transport } : {});

describe('backoff: exponential with full jitter', () => {
  it('is uniform in [0, min(max, base × 2^attempt))', () => {
    expect([0, 1, 2, 3, 4, 10].map((a) => backoffMs(POLICY, a, () => 0.9999))).toEqual([99, 199, 399, 799, 999, 999]);
    expect([0, 1, 5].map((a) => backoffMs(POLICY, a, () => 0))).toEqual([0, 0, 0]);
    expect(backoffMs(POLICY, 2, () => 0.5)).toBe(200);
  });

  it('draws a fresh random delay each time (no fixed schedule that would synchronise clients)', () => {
    const delays = new Set(Array.from({ length: 50 }, () => backoffMs(POLICY, 3)));
    expect(delays.size).toBeGreaterThan(10);
    for (const d of delays) expect(d).toBeLessThan(800);
  });
});

/** A budget that records the wait of every retry asked of it and grants none (so nothing sleeps). */
class RecordingBudget extends RetryBudget {
  readonly asked: number[] = [];
  override allows(ms: number): boolean {
    this.asked.push(ms);
    return false;
  }
}

describe('the delay of a retry, as the vendor client computes it (injected random source)', () => {
  const LONG: RetryPolicy = { ...POLICY, retries: 10 };
  const core = (random?: () => number) =>
    new UpstreamCore({ source: 'MAPFLOW', baseUrl: 'http://127.0.0.1:9/rest', timeoutMs: 1000, parseError: mapflowErrorInfo, retry: LONG, ...(random && { random }) });
  const draws = [0.3, 0.7, 0.05, 0.999, 0.5, 0.25];
  const sequence = () => {
    let i = 0;
    return () => draws[i++ % draws.length];
  };

  it('is random() × min(cap, base × 2^attempt), one fresh draw per retry', async () => {
    const budget = new RecordingBudget(LONG);
    const c = core(sequence());
    for (let attempt = 0; attempt < draws.length; attempt++) await c.backoff(err(503), attempt, budget, 'GET /x');
    expect(budget.asked).toEqual(draws.map((r, attempt) => Math.floor(r * Math.min(LONG.maxDelayMs, LONG.baseMs * 2 ** attempt))));
    expect(budget.asked).toEqual([30, 140, 20, 799, 500, 250]);
  });

  it('is never before Retry-After, whatever the draw', async () => {
    for (const random of [() => 0, () => 0.5, () => 0.9999, Math.random]) {
      const budget = new RecordingBudget(LONG);
      const c = core(random);
      const limited = new UpstreamError('MAPFLOW', 429, 'RATE_LIMITED', 'x', { retryAfterSeconds: 2 });
      for (let attempt = 0; attempt < 6; attempt++) await c.backoff(limited, attempt, budget, 'GET /x');
      expect(budget.asked).toHaveLength(6);
      for (const ms of budget.asked) expect(ms).toBeGreaterThanOrEqual(2000);
      expect(budget.asked.every((ms) => ms === 2000)).toBe(true); // the jitter (under 1 s here) never exceeds it
    }
    // A Retry-After shorter than the jitter: the jitter wins.
    expect(retryDelayMs(LONG, 4, 0, () => 0.9)).toBe(900);
    expect(retryDelayMs(LONG, 4, 1, () => 0.5)).toBe(1000);
  });

  it('uses Math.random when nothing is injected', async () => {
    const budget = new RecordingBudget(LONG);
    const c = core();
    for (let i = 0; i < 40; i++) await c.backoff(err(503), 3, budget, 'GET /x');
    expect(new Set(budget.asked).size).toBeGreaterThan(10);
    for (const ms of budget.asked) expect(ms).toBeLessThan(800);
  });
});

describe('RetryBudget', () => {
  it('gives at most `budget` retries and at most `maxWaitMs` of waiting in total', () => {
    const b = new RetryBudget(POLICY);
    expect(b.take(1000)).toBe(true);
    expect(b.take(600)).toBe(false); // 1600 ms of waiting > 1500
    expect(b.take(500)).toBe(true);
    expect(b.take(0)).toBe(true);
    expect(b.take(0)).toBe(false); // 3 retries spent
    expect(new RetryBudget(POLICY).take(0)).toBe(true); // another request: its own
  });
});

describe('VendorRetryBudget (a driven clock)', () => {
  const vendorBudget = (minRetries: number) => {
    const clock = { now: 0 };
    return { clock, budget: new VendorRetryBudget({ ratio: 0.2, windowMs: 10_000, minRetries }, () => clock.now) };
  };
  /** Takes retries while the budget allows them; returns how many. */
  const drain = (b: VendorRetryBudget) => {
    let n = 0;
    while (b.allows()) {
      b.retried();
      n++;
    }
    return n;
  };

  it('allows the floor with no traffic, then ratio × calls once that is more', () => {
    const { budget } = vendorBudget(2);
    expect(drain(budget)).toBe(2);
    for (let i = 0; i < 14; i++) budget.called();
    expect(budget.allows()).toBe(false); // a third retry would be over 0.2 × 14 = 2.8
    budget.called();
    expect(drain(budget)).toBe(1); // 15 calls: 3 retries in all
    for (let i = 0; i < 5; i++) budget.called();
    expect(drain(budget)).toBe(1); // 20 calls: 4
  });

  it('slides: each retry leaves the window one window after it was made (to a tenth), not all at once', () => {
    const { clock, budget } = vendorBudget(2);
    budget.retried(); // at 0
    clock.now = 5_000;
    budget.retried(); // at 5 s
    expect(budget.allows()).toBe(false);
    clock.now = 9_999;
    expect(budget.allows()).toBe(false);
    clock.now = 10_000; // the first has left, the second not
    expect(drain(budget)).toBe(1);
    clock.now = 25_000; // everything has left, after a long silence too
    expect(drain(budget)).toBe(2);
  });

  it('counts calls out of the window the same way', () => {
    const { clock, budget } = vendorBudget(0);
    for (let i = 0; i < 10; i++) budget.called();
    expect(drain(budget)).toBe(2);
    clock.now = 10_000;
    expect(budget.allows()).toBe(false); // no calls left in the window, and no floor
  });
});

describe('what is retried, what is a vendor failure (breaker and /readyz), what is ambiguous for a write', () => {
  it.each([
    [err(0, 'timeout'), true, true, true],
    [err(0, 'reset'), true, true, true],
    [err(0, 'refused'), true, true, false],
    [err(0, 'open'), false, false, false],
    [err(429, 'held'), false, false, false],
    [err(429), true, false, false],
    [err(500), false, true, false],
    [err(502), true, true, true],
    [err(503), true, true, false],
    [err(504), true, true, true],
    [err(400), false, false, false],
    [err(401), false, false, false],
    [err(404), false, false, false],
    [err(422), false, false, false],
  ])('%s: transient %s, vendor failure %s, ambiguous %s', (e, transient, failure, ambiguous) => {
    expect(isTransient(e)).toBe(transient);
    expect(isVendorFailure(e)).toBe(failure);
    expect(isAmbiguous(e)).toBe(ambiguous);
  });

  it('an error that is not an upstream one never trips the breaker', () => {
    expect(isVendorFailure(new Error('bug'))).toBe(false);
  });
});
