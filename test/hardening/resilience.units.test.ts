import { describe, expect, it } from 'vitest';
import { backoffMs, countsAgainstBreaker, isAmbiguous, isTransient, RetryBudget, type RetryPolicy } from '../../src/datasources/http/resilience.js';
import { UpstreamError } from '../../src/errors.js';

const POLICY: RetryPolicy = { retries: 2, budget: 3, baseMs: 100, maxDelayMs: 1000, maxWaitMs: 1500 };
const err = (status: number, transport?: 'timeout' | 'reset' | 'refused' | 'open') => new UpstreamError('MAPFLOW', status, 'UPSTREAM_ERROR', 'x', transport ? { transport } : {});

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

describe('what is retried, what counts against the breaker, what is ambiguous for a write', () => {
  it.each([
    [err(0, 'timeout'), true, true, true],
    [err(0, 'reset'), true, true, true],
    [err(0, 'refused'), true, true, false],
    [err(0, 'open'), false, false, false],
    [err(429), true, true, false],
    [err(500), false, true, false],
    [err(502), true, true, true],
    [err(503), true, true, false],
    [err(504), true, true, true],
    [err(400), false, false, false],
    [err(401), false, false, false],
    [err(404), false, false, false],
    [err(422), false, false, false],
  ])('%s: transient %s, breaker %s, ambiguous %s', (e, transient, breaker, ambiguous) => {
    expect(isTransient(e)).toBe(transient);
    expect(countsAgainstBreaker(e)).toBe(breaker);
    expect(isAmbiguous(e)).toBe(ambiguous);
  });

  it('an error that is not an upstream one never trips the breaker', () => {
    expect(countsAgainstBreaker(new Error('bug'))).toBe(false);
  });
});
