import { performance } from 'node:perf_hooks';
import { describe, expect } from 'vitest';
import { Faults, rng, type FaultAction } from '../../src/simulators/core/index.js';
import { ALPHA, test, type Sim } from './mapflow.helpers.js';
import { admin, adminCall, adminJson, type AdminError, type FaultsState, type StatsSnapshot } from './sim-admin.helpers.js';

const decisions = (f: Faults, n: number, route = 'GET /user/status', tenant = 'alpha'): FaultAction[] =>
  Array.from({ length: n }, () => f.decide(route, tenant));

describe('Faults decisions (seeded random)', () => {
  test('jitter spreads the delay over [latency, latency + jitter]', () => {
    const f = new Faults(rng('jitter'));
    f.set({ latencyMs: 100, jitterMs: 50 });
    const delays = decisions(f, 2000).map((a) => a.delayMs);
    expect(delays.every((d) => d >= 100 && d <= 150)).toBe(true);
    expect(Math.min(...delays)).toBeLessThan(105);
    expect(Math.max(...delays)).toBeGreaterThan(145);
  });

  test('errorRate 1 with the default statuses answers 500, 502 and 503, nothing else', () => {
    const f = new Faults(rng('statuses'));
    f.set({ errorRate: 1 });
    const got = decisions(f, 300);
    expect(got.every((a) => a.kind === 'error')).toBe(true);
    expect(new Set(got.map((a) => (a.kind === 'error' ? a.status : 0)))).toEqual(new Set([500, 502, 503]));
  });

  test('`count` counts injected faults, not matching requests: errorRate 0.5 with count 2 gives exactly two errors', () => {
    const f = new Faults(rng('count'));
    f.set({ errorRate: 0.5, count: 2 });
    const got: FaultAction[] = [];
    while (f.current && got.length < 1000) got.push(f.decide('GET /user/status', 'alpha'));
    expect(f.current).toBeNull();
    expect(got.filter((a) => a.kind === 'error')).toHaveLength(2);
    expect(got.some((a) => a.kind === 'none')).toBe(true); // requests passed through without using up the count
    expect(decisions(f, 50).every((a) => a.kind === 'none' && a.delayMs === 0)).toBe(true);
  });

  test('with only latency, `count` is the number of delayed requests', () => {
    const f = new Faults(rng('latency-count'));
    f.set({ latencyMs: 10, count: 3 });
    expect(decisions(f, 5).map((a) => a.delayMs)).toEqual([10, 10, 10, 0, 0]);
  });

  test('requests outside the route or tenant filter neither get the fault nor use up the count', () => {
    const f = new Faults(rng('filters'));
    f.set({ errorRate: 1, errorStatuses: [503], count: 1, route: '/projects', tenant: 'beta' });
    expect(f.decide('GET /user/status', 'beta').kind).toBe('none');
    expect(f.decide('GET /projects', 'alpha').kind).toBe('none');
    expect(f.current).not.toBeNull();
    expect(f.decide('GET /projects', 'beta')).toEqual({ kind: 'error', delayMs: 0, status: 503 });
    expect(f.current).toBeNull();
  });
});

describe('fault injection over HTTP', () => {
  test.beforeEach(async ({ sim }) => {
    await admin(sim, '/__sim/faults', 'DELETE');
    await admin(sim, '/__sim/stats', 'DELETE');
  });

  const userStatus = (sim: Sim, signal?: AbortSignal) => fetch(`${sim.url}/user/status`, { headers: { authorization: `Basic ${ALPHA}` }, signal });
  const byStatus = async (sim: Sim) => (await adminJson<StatsSnapshot>(sim, '/__sim/stats')).byStatus;

  test('a hang never answers, so the client times out; it is counted; the next request is answered', async ({ sim }) => {
    await admin(sim, '/__sim/faults', 'PUT', { hangRate: 1, count: 1 });
    await expect(userStatus(sim, AbortSignal.timeout(200))).rejects.toMatchObject({ name: 'TimeoutError' });
    expect(await byStatus(sim)).toEqual({ hang: 1 });
    expect(sim.stats.count('GET /user/status', 'alpha')).toBe(1);
    expect((await userStatus(sim)).status).toBe(200);
    expect(await byStatus(sim)).toEqual({ hang: 1, '200': 1 });
  });

  test('a reset cuts the connection: the client gets a socket error', async ({ sim }) => {
    await admin(sim, '/__sim/faults', 'PUT', { resetRate: 1 });
    const err = await userStatus(sim).then(
      () => null,
      (e: unknown) => e as Error & { cause?: { code?: string } },
    );
    expect(err).not.toBeNull();
    expect(['UND_ERR_SOCKET', 'ECONNRESET']).toContain(err?.cause?.code);
    expect(await byStatus(sim)).toEqual({ reset: 1 });
  });

  test('latencyMs delays the answer by at least that long', async ({ sim }) => {
    await admin(sim, '/__sim/faults', 'PUT', { latencyMs: 150, count: 1 });
    const t0 = performance.now();
    const r = await userStatus(sim);
    const elapsed = performance.now() - t0;
    expect(r.status).toBe(200);
    // Node timers have millisecond granularity and may fire up to 1 ms early against performance.now().
    expect(elapsed).toBeGreaterThanOrEqual(149);
    expect(await adminJson<FaultsState>(sim, '/__sim/faults')).toEqual({ faults: null });
  });

  test('a bad fault spec is refused with 400 and the current spec is kept', async ({ sim }) => {
    await admin(sim, '/__sim/faults', 'PUT', { errorRate: 1, errorStatuses: [502], count: 1 });
    const bad = await adminCall<AdminError>(sim, '/__sim/faults', 'PUT', { errorRate: 2 });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatch(/errorRate/);
    expect((await userStatus(sim)).status).toBe(502);
  });
});
