import { describe, expect } from 'vitest';
import { HardeningPointcloudIdDocument, HardeningProcessingIdDocument } from '../generated/graphql.js';
import { IDS, ROUTES, sample, test, type Rig } from './hardening.helpers.js';

/**
 * The retry budget of a vendor, shared by every request to it (docs/decisions.md, "Retries: a budget
 * per vendor over a sliding window"), through the simulators' fault injection. The gateway's budget
 * clock is driven by the test: `advance(ms)` moves it, nothing sleeps. Each request reads one
 * processing (one Mapflow call, up to UPSTREAM_RETRIES=2 retries, a request budget of 10 that never
 * binds here); the vendor allows 20 % of its calls as retries, and at least 2, over 10 s. The breaker
 * is kept out of the way (a huge window); breaker.test.ts covers it.
 */
let now = 0;
const advance = (ms: number) => (now += ms);
const WINDOW_MS = 10_000;

test.override('rigOptions', {
  clock: () => now,
  env: {
    UPSTREAM_RETRIES: '2',
    UPSTREAM_RETRY_BUDGET: '10',
    UPSTREAM_RETRY_RATIO: '0.2',
    UPSTREAM_RETRY_RATIO_WINDOW_SECONDS: String(WINDOW_MS / 1000),
    UPSTREAM_RETRY_RATIO_MIN_RETRIES: '2',
    UPSTREAM_BREAKER_WINDOW: '10000',
    UPSTREAM_BREAKER_MIN_CALLS: '10000',
  },
});
test.beforeEach(({ rig }) => {
  // Every test starts on an empty window: what the previous one sent has left it.
  advance(WINDOW_MS);
  rig.clearFaults();
  rig.resetCounts();
});

const METRIC = 'gateway_upstream_retries_denied_total';
const MAPFLOW_LABELS = { vendor: 'mapflow', route: ROUTES.mapflow };
const denied = async (rig: Rig) => sample(await rig.metrics(), METRIC, MAPFLOW_LABELS);

/** Mapflow answers 503 to every processing read. */
const mapflowDown = (rig: Rig) => rig.sims.mapflow.faults.set({ errorRate: 1, errorStatuses: [503], route: ROUTES.mapflow });

/** Reads the seeded processing once; returns the Mapflow calls it made and its error's extensions. */
async function read(rig: Rig): Promise<{ calls: number; extensions: Record<string, unknown> | undefined }> {
  const before = rig.calls('mapflow', ROUTES.mapflow);
  const r = await rig.op(HardeningProcessingIdDocument, { id: IDS.processing });
  return { calls: rig.calls('mapflow', ROUTES.mapflow) - before, extensions: r.errors?.[0]?.extensions };
}

const UNAVAILABLE = { code: 'UPSTREAM_UNAVAILABLE', source: 'MAPFLOW', upstreamStatus: 503 };

describe("a vendor's retry budget", () => {
  test('is shared by every request: once spent, a read fails at once with the vendor\'s code, and the refusals are counted', async ({ rig }) => {
    mapflowDown(rig);
    const deniedBefore = await denied(rig);
    // The floor (2 retries) goes to the first request: 1 + 2 calls.
    expect(await read(rig)).toEqual({ calls: 3, extensions: UNAVAILABLE });
    // The next request has a full budget of its own (10), but the vendor's is spent: one call, no retry.
    expect(await read(rig)).toEqual({ calls: 1, extensions: UNAVAILABLE });
    expect(await read(rig)).toEqual({ calls: 1, extensions: UNAVAILABLE });
    expect((await denied(rig)) - deniedBefore).toBe(2);
  });

  test('is per vendor: Cupix still retries while Mapflow\'s budget is spent', async ({ rig }) => {
    mapflowDown(rig);
    await read(rig);
    expect(await read(rig)).toEqual({ calls: 1, extensions: UNAVAILABLE });
    rig.sims.cupix.faults.set({ errorRate: 1, errorStatuses: [503], route: ROUTES.cupix, count: 1 });
    const r = await rig.op(HardeningPointcloudIdDocument, { id: IDS.pointcloud });
    expect(r.errors).toBeUndefined();
    expect(r.data).toEqual({ pointcloud: { id: IDS.pointcloud } });
    expect(rig.calls('cupix', ROUTES.cupix)).toBe(2);
  });

  test('grows with the traffic: retries up to 20 % of the calls in the window', async ({ rig }) => {
    for (let i = 0; i < 18; i++) expect(await read(rig)).toEqual({ calls: 1, extensions: undefined });
    mapflowDown(rig);
    // Calls 19 and 20 allow 0.2 × 20 = 4 retries (two each); call 21 would make a fifth, over 0.2 × 21 = 4.2.
    expect(await read(rig)).toEqual({ calls: 3, extensions: UNAVAILABLE });
    expect(await read(rig)).toEqual({ calls: 3, extensions: UNAVAILABLE });
    expect(await read(rig)).toEqual({ calls: 1, extensions: UNAVAILABLE });
  });

  test('refills as the window slides past the retries', async ({ rig }) => {
    mapflowDown(rig);
    const deniedBefore = await denied(rig);
    expect((await read(rig)).calls).toBe(3);
    advance(WINDOW_MS / 2);
    // The two retries are still in the window.
    expect((await read(rig)).calls).toBe(1);
    advance(WINDOW_MS / 2);
    // They have left it: the read is retried again.
    expect(await read(rig)).toEqual({ calls: 3, extensions: UNAVAILABLE });
    expect((await denied(rig)) - deniedBefore).toBe(1);
    advance(WINDOW_MS);
    rig.sims.mapflow.faults.set({ errorRate: 1, errorStatuses: [503], route: ROUTES.mapflow, count: 1 });
    expect(await read(rig)).toEqual({ calls: 2, extensions: undefined });
  });
});
