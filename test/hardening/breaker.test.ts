import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { IDS, ONE_OF_EACH, ROUTES, sample, startRig, type Rig, type Vendor } from './hardening.helpers.js';

/**
 * The circuit breaker of each vendor (cockatiel), small enough to trip in a few calls: it opens
 * when more than half of the last 4 calls failed, and probes after 300 ms. No retries here, so
 * each query is one call per vendor.
 */
let rig: Rig;
beforeAll(async () => {
  rig = await startRig({
    env: {
      UPSTREAM_RETRIES: '0',
      UPSTREAM_BREAKER_WINDOW: '4',
      UPSTREAM_BREAKER_MIN_CALLS: '4',
      UPSTREAM_BREAKER_THRESHOLD: '0.5',
      UPSTREAM_BREAKER_HALF_OPEN_MS: '300',
    },
  });
});
afterAll(() => rig?.close());
beforeEach(async () => {
  rig.clearFaults();
  await closeAll();
  rig.resetCounts();
});

const state = async (v: Vendor) => (await rig.readyz()).upstreams[v].circuit.state;

/** Waits (by watching /readyz, no sleep) until the open breaker of `v` lets a probe through. */
async function untilHalfOpen(v: Vendor): Promise<void> {
  while ((await state(v)) === 'open') await new Promise<void>((r) => setImmediate(r));
}

/** Brings every breaker back to closed with a successful probe. */
async function closeAll(): Promise<void> {
  for (const v of ['mapflow', 'flai', 'cupix'] as const) {
    if ((await state(v)) === 'closed') continue;
    await untilHalfOpen(v);
    await rig.gql(ONE_OF_EACH);
    expect(await state(v)).toBe('closed');
  }
}

/** Fails `v` until its breaker opens (at most the window: 4 queries); returns how many queries it took. */
async function trip(v: Vendor, fault: Parameters<Rig['sims']['flai']['faults']['set']>[0]): Promise<number> {
  rig.sims[v].faults.set({ ...fault, route: ROUTES[v] });
  let n = 0;
  while (n < 4 && (await state(v)) !== 'open') {
    await rig.gql(ONE_OF_EACH);
    n++;
  }
  rig.sims[v].faults.set(null);
  return n;
}

describe('circuit breaker', () => {
  it('opens on 5xx: that vendor fails at once with UPSTREAM_UNAVAILABLE and no call, the others answer; /readyz and /metrics show it; it half-opens, one probe closes it', async () => {
    const failures = await trip('flai', { errorRate: 1, errorStatuses: [503] });
    expect(await state('flai')).toBe('open');
    expect(rig.calls('flai', ROUTES.flai)).toBe(failures);
    expect(await state('mapflow')).toBe('closed');
    const metrics = await rig.metrics();
    expect(sample(metrics, 'gateway_upstream_circuit_state', { vendor: 'flai', state: 'open' })).toBe(1);
    expect(sample(metrics, 'gateway_upstream_circuit_state', { vendor: 'flai', state: 'closed' })).toBe(0);
    expect(sample(metrics, 'gateway_upstream_circuit_state', { vendor: 'mapflow', state: 'closed' })).toBe(1);

    rig.resetCounts();
    const r = await rig.gql(ONE_OF_EACH);
    expect(r.data).toMatchObject({ processing: { id: IDS.processing }, flowExecution: null, pointcloud: { id: IDS.pointcloud } });
    expect(r.errors).toHaveLength(1);
    expect(r.errors?.[0]).toMatchObject({ path: ['flowExecution'], extensions: { code: 'UPSTREAM_UNAVAILABLE', source: 'FLAI', upstreamStatus: 0 } });
    expect(r.errors?.[0].message).toMatch(/^Flai is failing: calls to it are paused after repeated errors/);
    expect(rig.calls('flai')).toBe(0);
    expect(rig.calls('mapflow', ROUTES.mapflow)).toBe(1);
    expect(sample(await rig.metrics(), 'gateway_upstream_requests_total', { vendor: 'flai', route: 'GET /organization/{org}/flow-executions/{id}', status: 'circuit_open' })).toBeGreaterThanOrEqual(1);

    await untilHalfOpen('flai');
    expect(await state('flai')).toBe('half-open');
    rig.resetCounts();
    const probe = await rig.gql(ONE_OF_EACH);
    expect(probe.errors).toBeUndefined();
    expect(rig.calls('flai', ROUTES.flai)).toBe(1);
    expect(await state('flai')).toBe('closed');
  });

  it('a failed probe opens it again', async () => {
    await trip('cupix', { errorRate: 1, errorStatuses: [500] });
    expect(await state('cupix')).toBe('open');
    await untilHalfOpen('cupix');
    rig.sims.cupix.faults.set({ errorRate: 1, errorStatuses: [502], route: ROUTES.cupix });
    rig.resetCounts();
    await rig.gql(ONE_OF_EACH);
    expect(rig.calls('cupix', ROUTES.cupix)).toBe(1);
    expect(await state('cupix')).toBe('open');
  });

  it.each([
    ['timeouts', { hangRate: 1 }],
    ['connection resets', { resetRate: 1 }],
  ])('%s count against it', async (_n, fault) => {
    await trip('mapflow', fault);
    expect(await state('mapflow')).toBe('open');
  });

  it('429s never count against it (they are about one credential\'s quota): 50 % of calls, then all of them, and it stays closed; /readyz agrees', async () => {
    // Retry-After 0: no credential is held back, so every query reaches the vendor.
    for (const rateLimitRate of [0.5, 1]) {
      rig.sims.mapflow.faults.set({ rateLimitRate, retryAfterSeconds: 0, route: ROUTES.mapflow });
      for (let i = 0; i < 8; i++) {
        const r = await rig.gql(ONE_OF_EACH);
        for (const e of r.errors ?? []) expect(e).toMatchObject({ path: ['processing'], extensions: { code: 'RATE_LIMITED', source: 'MAPFLOW', upstreamStatus: 429 } });
        expect(r.data).toMatchObject({ flowExecution: { id: IDS.flowExecution }, pointcloud: { id: IDS.pointcloud } });
      }
    }
    expect(rig.sims.mapflow.stats.snapshot().byStatus['429']).toBeGreaterThanOrEqual(8);
    expect(rig.calls('mapflow', ROUTES.mapflow)).toBe(16);
    expect(await state('mapflow')).toBe('closed');
    expect((await rig.readyz()).upstreams.mapflow).toMatchObject({ consecutiveFailures: 0 });
    expect(sample(await rig.metrics(), 'gateway_upstream_circuit_state', { vendor: 'mapflow', state: 'closed' })).toBe(1);
    rig.sims.mapflow.faults.set(null);
    expect((await rig.gql(ONE_OF_EACH)).errors).toBeUndefined();
  });

  it('4xx answers (401, 404) never count against it', async () => {
    for (let i = 0; i < 6; i++) {
      const r = await rig.gql(ONE_OF_EACH, undefined, { 'x-cupix-token': `not-a-token-${i}` });
      expect(r.errors?.[0].extensions).toMatchObject({ code: 'UNAUTHENTICATED', source: 'CUPIX', upstreamStatus: 401 });
      expect((await rig.gql('{ pointcloud(id: "999999") { id } }')).data).toEqual({ pointcloud: null });
    }
    expect(rig.calls('cupix')).toBe(12);
    expect(await state('cupix')).toBe('closed');
    expect((await rig.gql(ONE_OF_EACH)).errors).toBeUndefined();
  });
});
