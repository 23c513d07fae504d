import { describe, expect } from 'vitest';
import type { FaultInput } from '../../src/simulators/core/faults.js';
import {
  HardeningFiveProcessingsDocument,
  HardeningOneOfEachDocument,
  HardeningProcessingAndPointcloudDocument,
  HardeningProcessingIdDocument,
  HardeningProjectCountDocument,
} from '../generated/graphql.js';
import { IDS, ONE_OF_EACH, ROUTES, sample, test, type Rig } from './hardening.helpers.js';

/**
 * Timeouts and retries of reads, through the simulators' fault injection. The breaker and the
 * vendor's retry budget are kept out of the way here (a huge window, a huge floor): breaker.test.ts
 * and vendor-retry-budget.test.ts cover them.
 */
test.override('rigOptions', {
  proxy: ['mapflow', 'cupix'],
  env: {
    MAPFLOW_TIMEOUT_MS: '400',
    CUPIX_TIMEOUT_MS: '250',
    UPSTREAM_RETRIES: '2',
    UPSTREAM_RETRY_BUDGET: '3',
    UPSTREAM_RETRY_MAX_WAIT_MS: '5000',
    UPSTREAM_BREAKER_WINDOW: '10000',
    UPSTREAM_BREAKER_MIN_CALLS: '10000',
    UPSTREAM_RETRY_RATIO_MIN_RETRIES: '10000',
  },
});
test.beforeEach(({ rig }) => {
  rig.clearFaults();
  rig.resetCounts();
  for (const p of Object.values(rig.proxies)) p.requests.length = 0;
});

/** The seeded processing, alone. */
const processing = (rig: Rig, headers?: Record<string, string>) => rig.op(HardeningProcessingIdDocument, { id: IDS.processing }, headers);
/** Attempts as the proxies saw them (a hung request never shows in the simulator's counters). */
const mapflowGets = (rig: Rig) => rig.proxies.mapflow!.requests.filter((r) => r.path === `/rest/processings/${IDS.processing}/v2`);
const cupixGets = (rig: Rig) => rig.proxies.cupix!.requests.filter((r) => r.path === `/api/v1/pointclouds/${IDS.pointcloud}`);

describe('timeouts', () => {
  test('every vendor call has its vendor\'s timeout: a hung Cupix fails its field with UPSTREAM_TIMEOUT after each try, the rest arrives', async ({ rig }) => {
    rig.sims.cupix.faults.set({ hangRate: 1, route: ROUTES.cupix });
    const r = await rig.op(HardeningOneOfEachDocument, ONE_OF_EACH);
    expect(r.data).toMatchObject({ processing: { id: IDS.processing }, flowExecution: { id: IDS.flowExecution }, pointcloud: null });
    expect(r.errors).toHaveLength(1);
    expect(r.errors?.[0]).toMatchObject({ path: ['pointcloud'], message: 'Cupix did not answer within 250 ms', extensions: { code: 'UPSTREAM_TIMEOUT', source: 'CUPIX', upstreamStatus: 0 } });
    expect(cupixGets(rig)).toHaveLength(3); // 1 + UPSTREAM_RETRIES
  });

  test('Mapflow has its own (MAPFLOW_TIMEOUT_MS)', async ({ rig }) => {
    rig.sims.mapflow.faults.set({ hangRate: 1, route: ROUTES.mapflow });
    const r = await processing(rig);
    expect(r.errors?.[0]).toMatchObject({ message: 'Mapflow did not answer within 400 ms', extensions: { code: 'UPSTREAM_TIMEOUT' } });
  });
});

describe('reads are retried', () => {
  test.for<[string, FaultInput, string]>([
    ['502', { errorRate: 1, errorStatuses: [502] }, '502'],
    ['503', { errorRate: 1, errorStatuses: [503] }, '503'],
    ['504', { errorRate: 1, errorStatuses: [504] }, '504'],
    ['429 (Retry-After: 0)', { rateLimitRate: 1, retryAfterSeconds: 0 }, '429'],
    ['a reset connection', { resetRate: 1 }, 'reset'],
    ['a timeout', { hangRate: 1 }, 'timeout'],
  ])('after %s, and the answer arrives', async ([_name, fault, reason], { rig }) => {
    const before = sample(await rig.metrics(), 'gateway_upstream_retries_total', { vendor: 'mapflow', route: 'GET /processings/{id}/v2', reason });
    rig.sims.mapflow.faults.set({ ...fault, route: ROUTES.mapflow, count: 1 });
    const r = await processing(rig);
    expect(r.errors).toBeUndefined();
    expect(r.data).toEqual({ processing: { id: IDS.processing } });
    expect(mapflowGets(rig)).toHaveLength(2);
    const after = sample(await rig.metrics(), 'gateway_upstream_retries_total', { vendor: 'mapflow', route: 'GET /processings/{id}/v2', reason });
    expect(after - before).toBe(1);
  });

  test('POST reads too (Mapflow\'s project search)', async ({ rig }) => {
    rig.sims.mapflow.faults.set({ errorRate: 1, errorStatuses: [503], route: 'POST /projects/page', count: 1 });
    const r = await rig.op(HardeningProjectCountDocument);
    expect(r.errors).toBeUndefined();
    expect(rig.calls('mapflow', 'POST /projects/page')).toBe(2);
  });

  test('not a 500, nor an answer about the request (404 is null, 401 UNAUTHENTICATED): one call each', async ({ rig }) => {
    rig.sims.mapflow.faults.set({ errorRate: 1, errorStatuses: [500], route: ROUTES.mapflow, count: 1 });
    const r500 = await processing(rig);
    expect(r500.errors?.[0].extensions).toMatchObject({ code: 'UPSTREAM_ERROR', upstreamStatus: 500 });
    expect(rig.calls('mapflow', ROUTES.mapflow)).toBe(1);
    rig.resetCounts();
    const r404 = await rig.op(HardeningProcessingIdDocument, { id: '00000000-0000-0000-0000-000000000000' });
    expect(r404).toMatchObject({ data: { processing: null } });
    expect(rig.calls('mapflow', ROUTES.mapflow)).toBe(1);
    rig.resetCounts();
    const r401 = await processing(rig, { 'x-mapflow-token': 'bm90OmEtdG9rZW4=' });
    expect(r401.errors?.[0].extensions).toMatchObject({ code: 'UNAUTHENTICATED', upstreamStatus: 401 });
    expect(rig.calls('mapflow', ROUTES.mapflow)).toBe(1);
  });
});

describe('Retry-After', () => {
  test('a retry never comes before it', async ({ rig }) => {
    rig.sims.mapflow.faults.set({ rateLimitRate: 1, retryAfterSeconds: 1, route: ROUTES.mapflow, count: 1 });
    const r = await processing(rig);
    expect(r.errors).toBeUndefined();
    const [first, second] = mapflowGets(rig);
    expect(mapflowGets(rig)).toHaveLength(2);
    expect(second.at - first.at).toBeGreaterThanOrEqual(1000);
  });

  test('longer than the request may wait (UPSTREAM_RETRY_MAX_WAIT_MS): RATE_LIMITED with retryAfter at once, no retry', async ({ rig }) => {
    // A credential of its own: the 429 holds it back for 30 s (rate-limit-gate.test.ts), and the
    // server's credential must stay free for the tests below.
    const token = Buffer.from('retries@example.com:mf-retries').toString('base64');
    rig.sims.mapflow.addTenant('retries', token);
    rig.sims.mapflow.faults.set({ rateLimitRate: 1, retryAfterSeconds: 30, route: ROUTES.mapflow, tenant: 'retries' });
    const r = await rig.op(HardeningProcessingAndPointcloudDocument, { processing: IDS.processing, pointcloud: IDS.pointcloud }, { 'x-mapflow-token': token });
    expect(r.data).toEqual({ processing: null, pointcloud: { id: IDS.pointcloud } });
    expect(r.errors?.[0]).toMatchObject({ path: ['processing'], extensions: { code: 'RATE_LIMITED', source: 'MAPFLOW', upstreamStatus: 429, retryAfter: 30 } });
    expect(rig.calls('mapflow', ROUTES.mapflow)).toBe(1);
  });
});

describe('the retry budget of one request', () => {
  // Five distinct processings (no DataLoader dedup) against a Mapflow answering 503 to everything.
  const id = (i: number) => `00000000-0000-0000-0000-00000000000${i}`;
  const five = (rig: Rig) => rig.op(HardeningFiveProcessingsDocument, { p1: id(1), p2: id(2), p3: id(3), p4: id(4), p5: id(5) });

  test('caps the retries of all its calls (UPSTREAM_RETRY_BUDGET=3, not 5 × 2), and the next request gets its own', async ({ rig }) => {
    rig.sims.mapflow.faults.set({ errorRate: 1, errorStatuses: [503], route: ROUTES.mapflow });
    const first = await five(rig);
    expect(first.errors).toHaveLength(5);
    expect(first.errors?.every((e) => e.extensions?.code === 'UPSTREAM_UNAVAILABLE')).toBe(true);
    expect(rig.calls('mapflow', ROUTES.mapflow)).toBe(5 + 3);
    rig.resetCounts();
    await five(rig);
    expect(rig.calls('mapflow', ROUTES.mapflow)).toBe(5 + 3);
  });

  test('two requests at once have separate budgets', async ({ rig }) => {
    rig.sims.mapflow.faults.set({ errorRate: 1, errorStatuses: [503], route: ROUTES.mapflow });
    await Promise.all([five(rig), five(rig)]);
    expect(rig.calls('mapflow', ROUTES.mapflow)).toBe(2 * (5 + 3));
  });
});
