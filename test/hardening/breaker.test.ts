import { describe, expect, vi } from 'vitest';
import { HardeningOneOfEachDocument, HardeningPointcloudIdDocument } from '../generated/graphql.js';
import { IDS, ONE_OF_EACH, ROUTES, sample, test, type Rig, type Vendor } from './hardening.helpers.js';

/**
 * The circuit breaker of each vendor (cockatiel), small enough to trip in a few calls: it opens
 * when more than half of the last 4 calls failed, and probes after 300 ms. No retries here, so
 * each query is one call per vendor.
 *
 * The breakers tell time by `Date`, and in this file `Date` is the test's: an open breaker stays
 * open however slow the machine is, and lets a probe through when the test moves the clock past
 * the 300 ms (timers stay real, so vendor timeouts still fire).
 */
const HALF_OPEN_MS = 300;
test.override('rigOptions', {
  env: {
    UPSTREAM_RETRIES: '0',
    UPSTREAM_BREAKER_WINDOW: '4',
    UPSTREAM_BREAKER_MIN_CALLS: '4',
    UPSTREAM_BREAKER_THRESHOLD: '0.5',
    UPSTREAM_BREAKER_HALF_OPEN_MS: String(HALF_OPEN_MS),
  },
});
vi.useFakeTimers({ toFake: ['Date'] });
test.afterAll(() => {
  vi.useRealTimers();
});
test.beforeEach(async ({ rig }) => {
  rig.clearFaults();
  await closeAll(rig);
  rig.resetCounts();
});

const oneOfEach = (rig: Rig, headers?: Record<string, string>) => rig.op(HardeningOneOfEachDocument, ONE_OF_EACH, headers);

const state = async (rig: Rig, v: Vendor) => (await rig.readyz()).upstreams[v].circuit.state;

/** Moves the breakers' clock past the open period: the open breaker of `v` lets a probe through. */
async function untilHalfOpen(rig: Rig, v: Vendor): Promise<void> {
  expect(await state(rig, v)).toBe('open');
  vi.setSystemTime(Date.now() + HALF_OPEN_MS);
  expect(await state(rig, v)).toBe('half-open');
}

/** Brings every breaker back to closed with a successful probe. */
async function closeAll(rig: Rig): Promise<void> {
  for (const v of ['mapflow', 'flai', 'cupix'] as const) {
    if ((await state(rig, v)) === 'closed') continue;
    await untilHalfOpen(rig, v);
    await oneOfEach(rig);
    expect(await state(rig, v)).toBe('closed');
  }
}

/** Fails `v` until its breaker opens (at most the window: 4 queries); returns how many queries it took. */
async function trip(rig: Rig, v: Vendor, fault: Parameters<Rig['sims']['flai']['faults']['set']>[0]): Promise<number> {
  rig.sims[v].faults.set({ ...fault, route: ROUTES[v] });
  let n = 0;
  while (n < 4 && (await state(rig, v)) !== 'open') {
    await oneOfEach(rig);
    n++;
  }
  rig.sims[v].faults.set(null);
  return n;
}

describe('circuit breaker', () => {
  test('opens on 5xx: that vendor fails at once with UPSTREAM_UNAVAILABLE and no call, the others answer; /readyz and /metrics show it; it half-opens, one probe closes it', async ({ rig }) => {
    const failures = await trip(rig, 'flai', { errorRate: 1, errorStatuses: [503] });
    expect(await state(rig, 'flai')).toBe('open');
    expect(rig.calls('flai', ROUTES.flai)).toBe(failures);
    expect(await state(rig, 'mapflow')).toBe('closed');
    const metrics = await rig.metrics();
    expect(sample(metrics, 'gateway_upstream_circuit_state', { vendor: 'flai', state: 'open' })).toBe(1);
    expect(sample(metrics, 'gateway_upstream_circuit_state', { vendor: 'flai', state: 'closed' })).toBe(0);
    expect(sample(metrics, 'gateway_upstream_circuit_state', { vendor: 'mapflow', state: 'closed' })).toBe(1);

    rig.resetCounts();
    const r = await oneOfEach(rig);
    expect(r.data).toMatchObject({ processing: { id: IDS.processing }, flowExecution: null, pointcloud: { id: IDS.pointcloud } });
    expect(r.errors).toHaveLength(1);
    expect(r.errors?.[0]).toMatchObject({ path: ['flowExecution'], extensions: { code: 'UPSTREAM_UNAVAILABLE', source: 'FLAI', upstreamStatus: 0 } });
    expect(r.errors?.[0].message).toMatch(/^Flai is failing: calls to it are paused after repeated errors/);
    expect(rig.calls('flai')).toBe(0);
    expect(rig.calls('mapflow', ROUTES.mapflow)).toBe(1);
    expect(sample(await rig.metrics(), 'gateway_upstream_requests_total', { vendor: 'flai', route: 'GET /organization/{org}/flow-executions/{id}', status: 'circuit_open' })).toBeGreaterThanOrEqual(1);

    await untilHalfOpen(rig, 'flai');
    expect(await state(rig, 'flai')).toBe('half-open');
    rig.resetCounts();
    const probe = await oneOfEach(rig);
    expect(probe.errors).toBeUndefined();
    expect(rig.calls('flai', ROUTES.flai)).toBe(1);
    expect(await state(rig, 'flai')).toBe('closed');
  });

  test('a failed probe opens it again', async ({ rig }) => {
    await trip(rig, 'cupix', { errorRate: 1, errorStatuses: [500] });
    expect(await state(rig, 'cupix')).toBe('open');
    await untilHalfOpen(rig, 'cupix');
    rig.sims.cupix.faults.set({ errorRate: 1, errorStatuses: [502], route: ROUTES.cupix });
    rig.resetCounts();
    await oneOfEach(rig);
    expect(rig.calls('cupix', ROUTES.cupix)).toBe(1);
    expect(await state(rig, 'cupix')).toBe('open');
  });

  test.for([
    ['timeouts', { hangRate: 1 }],
    ['connection resets', { resetRate: 1 }],
  ] as const)('%s count against it', async ([_n, fault], { rig }) => {
    await trip(rig, 'mapflow', fault);
    expect(await state(rig, 'mapflow')).toBe('open');
  });

  test('429s never count against it (they are about one credential\'s quota): 50 % of calls, then all of them, and it stays closed; /readyz agrees', async ({ rig }) => {
    // Retry-After 0: no credential is held back, so every query reaches the vendor.
    for (const rateLimitRate of [0.5, 1]) {
      rig.sims.mapflow.faults.set({ rateLimitRate, retryAfterSeconds: 0, route: ROUTES.mapflow });
      for (let i = 0; i < 8; i++) {
        const r = await oneOfEach(rig);
        for (const e of r.errors ?? []) expect(e).toMatchObject({ path: ['processing'], extensions: { code: 'RATE_LIMITED', source: 'MAPFLOW', upstreamStatus: 429 } });
        expect(r.data).toMatchObject({ flowExecution: { id: IDS.flowExecution }, pointcloud: { id: IDS.pointcloud } });
      }
    }
    expect(rig.sims.mapflow.stats.snapshot().byStatus['429']).toBeGreaterThanOrEqual(8);
    expect(rig.calls('mapflow', ROUTES.mapflow)).toBe(16);
    expect(await state(rig, 'mapflow')).toBe('closed');
    expect((await rig.readyz()).upstreams.mapflow).toMatchObject({ consecutiveFailures: 0 });
    expect(sample(await rig.metrics(), 'gateway_upstream_circuit_state', { vendor: 'mapflow', state: 'closed' })).toBe(1);
    rig.sims.mapflow.faults.set(null);
    expect((await oneOfEach(rig)).errors).toBeUndefined();
  });

  test('4xx answers (401, 404) never count against it', async ({ rig }) => {
    for (let i = 0; i < 6; i++) {
      const r = await oneOfEach(rig, { 'x-cupix-token': `not-a-token-${i}` });
      expect(r.errors?.[0].extensions).toMatchObject({ code: 'UNAUTHENTICATED', source: 'CUPIX', upstreamStatus: 401 });
      expect((await rig.op(HardeningPointcloudIdDocument, { id: '999999' })).data).toEqual({ pointcloud: null });
    }
    expect(rig.calls('cupix')).toBe(12);
    expect(await state(rig, 'cupix')).toBe('closed');
    expect((await oneOfEach(rig)).errors).toBeUndefined();
  });
});
