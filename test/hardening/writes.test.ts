import { describe, expect } from 'vitest';
import { FLAI_DEMO_TENANTS } from '../../src/simulators/flai/index.js';
import type { MapflowTenant } from '../../src/simulators/mapflow/mapflow.types.js';
import {
  HardeningCreateDatasetDocument,
  HardeningCreateProcessingDocument,
  HardeningCreateProcessingsDocument,
  HardeningCreateProjectDocument,
  type CreateProcessingInput,
  type CreateProcessingsInput,
} from '../generated/graphql.js';
import { jsonOf } from '../helpers/stack.helpers.js';
import { test, type Rig } from './hardening.helpers.js';

/**
 * Writes are never retried blindly. A Mapflow create whose outcome is unclear is looked up by its
 * key before it is sent again; Flai's creates without an idempotencyKey cannot be, so they say that the outcome is unknown
 * (keyed Flai creates: test/gateway/flai.fidelity.test.ts).
 * The proxy in front of Mapflow lets a create reach the vendor and drops its answer: a real
 * "timeout after sending". The breaker and the vendor's retry budget are kept out of the way (a huge
 * window, a huge floor): breaker.test.ts and vendor-retry-budget.test.ts cover them.
 */
test.override('rigOptions', {
  proxy: ['mapflow'],
  env: { UPSTREAM_RETRIES: '2', UPSTREAM_BREAKER_WINDOW: '10000', UPSTREAM_BREAKER_MIN_CALLS: '10000', UPSTREAM_RETRY_RATIO_MIN_RETRIES: '10000' },
});
test.beforeEach(({ rig }) => {
  rig.clearFaults();
  rig.resetCounts();
});

const BUILDINGS = '30ddfd15-04aa-47f6-9ceb-68ce709fd710';
const square = (lon: number, lat: number, d = 0.005) => ({ type: 'Polygon', coordinates: [[[lon, lat], [lon + d, lat], [lon + d, lat + d], [lon, lat + d], [lon, lat]]] });
const create = (rig: Rig, input: CreateProcessingInput) => rig.op(HardeningCreateProcessingDocument, { input });
const createMany = (rig: Rig, input: CreateProcessingsInput) => rig.op(HardeningCreateProcessingsDocument, { input });
const CREATE_POST = (r: { method: string; path: string }) => r.method === 'POST' && r.path === '/rest/processings/v2';

/** What the Mapflow simulator holds for tenant alpha, by name. */
function held(rig: Rig, name: string) {
  const alpha = (rig.sims.mapflow.tenants() as MapflowTenant[]).find((t) => t.name === 'alpha')!;
  return [...alpha.data.processings.values()].filter((p) => p.name === name);
}

describe('Mapflow createProcessing with an unclear outcome', () => {
  test('created, answer lost: found by the gateway\'s own key and returned; nothing is created twice', async ({ rig }) => {
    rig.proxies.mapflow!.swallow(CREATE_POST);
    const r = await create(rig, { name: 'Swallowed once', workflowDefId: BUILDINGS, geometry: square(69.21, 41.31), meta: { ticket: 'GIS-1' } });
    expect(r.errors).toBeUndefined();
    const made = held(rig, 'Swallowed once');
    expect(made).toHaveLength(1);
    expect(r.data?.createProcessing).toEqual({ id: made[0].id, name: 'Swallowed once', meta: { ticket: 'GIS-1' } });
    expect(rig.calls('mapflow', 'POST /processings/v2')).toBe(1);
    expect(rig.calls('mapflow', 'GET /processings/v2')).toBe(1); // the lookup
  });

  test('with the caller\'s idempotencyKey: found by that key', async ({ rig }) => {
    rig.proxies.mapflow!.swallow(CREATE_POST);
    const input = { name: 'Keyed swallow', workflowDefId: BUILDINGS, geometry: square(69.22, 41.31), idempotencyKey: 'keyed-swallow-1' };
    const r = await create(rig, input);
    expect(r.errors).toBeUndefined();
    expect(held(rig, 'Keyed swallow').map((p) => p.id)).toEqual([r.data?.createProcessing.id]);
    expect(rig.calls('mapflow', 'POST /processings/v2')).toBe(1);
  });

  test('connection reset before the vendor acted: not found, so sent again once', async ({ rig }) => {
    rig.sims.mapflow.faults.set({ resetRate: 1, route: 'POST /processings/v2', count: 1 });
    const r = await create(rig, { name: 'Reset once', workflowDefId: BUILDINGS, geometry: square(69.23, 41.31) });
    expect(r.errors).toBeUndefined();
    expect(held(rig, 'Reset once').map((p) => p.id)).toEqual([r.data?.createProcessing.id]);
    expect(rig.calls('mapflow', 'POST /processings/v2')).toBe(2); // the reset one and the real one
    expect(rig.calls('mapflow', 'GET /processings/v2')).toBe(1);
  });

  test('503 before anything happened: sent again without a lookup', async ({ rig }) => {
    rig.sims.mapflow.faults.set({ errorRate: 1, errorStatuses: [503], route: 'POST /processings/v2', count: 1 });
    const r = await create(rig, { name: 'After 503', workflowDefId: BUILDINGS, geometry: square(69.24, 41.31) });
    expect(r.errors).toBeUndefined();
    expect(held(rig, 'After 503')).toHaveLength(1);
    expect(rig.calls('mapflow', 'POST /processings/v2')).toBe(2);
    expect(rig.calls('mapflow', 'GET /processings/v2')).toBe(0);
  });

  test.for([502, 504])('created, then a proxy in front answered %s: looked up by its key before a retry; exactly one is created', async (status, { rig }) => {
    rig.proxies.mapflow!.failAfter(CREATE_POST, status);
    const name = `Created then ${status}`;
    const r = await create(rig, { name, workflowDefId: BUILDINGS, geometry: square(69.26, 41.31 + status / 10000) });
    expect(r.errors).toBeUndefined();
    expect(held(rig, name).map((p) => p.id)).toEqual([r.data?.createProcessing.id]);
    expect(rig.calls('mapflow', 'POST /processings/v2')).toBe(1);
    expect(rig.calls('mapflow', 'GET /processings/v2')).toBe(1); // the lookup that found it
  });

  test.for([502, 504] as const)('the simulator answers %s without acting: the lookup finds nothing, so it is sent again; exactly one is created', async (status, { rig }) => {
    rig.sims.mapflow.faults.set({ errorRate: 1, errorStatuses: [status], route: 'POST /processings/v2', count: 1 });
    const name = `Refused with ${status}`;
    const r = await create(rig, { name, workflowDefId: BUILDINGS, geometry: square(69.27, 41.31 + status / 10000) });
    expect(r.errors).toBeUndefined();
    expect(held(rig, name).map((p) => p.id)).toEqual([r.data?.createProcessing.id]);
    expect(rig.calls('mapflow', 'POST /processings/v2')).toBe(2);
    expect(rig.calls('mapflow', 'GET /processings/v2')).toBe(1);
  });

  test('still unclear after every attempt: UPSTREAM_TIMEOUT that says so; a retry with the same key then makes exactly one', async ({ rig }) => {
    rig.sims.mapflow.faults.set({ hangRate: 1, route: 'POST /processings/v2' });
    const input = { name: 'Never answered', workflowDefId: BUILDINGS, geometry: square(69.25, 41.31), idempotencyKey: 'never-answered-1' };
    const r = await create(rig, input);
    expect(r.errors?.[0].extensions).toMatchObject({ code: 'UPSTREAM_TIMEOUT', source: 'MAPFLOW' });
    expect(r.errors?.[0].message).toMatch(/may or may not have been created; retrying with the same idempotencyKey is safe/);
    expect(rig.proxies.mapflow!.requests.filter(CREATE_POST).length).toBeGreaterThanOrEqual(3);
    rig.clearFaults();
    const again = await create(rig, input);
    expect(again.errors).toBeUndefined();
    expect(held(rig, 'Never answered').map((p) => p.id)).toEqual([again.data?.createProcessing.id]);
  });

  test('createProcessings: the feature whose answer was lost is found, the others made once', async ({ rig }) => {
    rig.proxies.mapflow!.swallow(CREATE_POST);
    const feature = (name: string, lon: number) => ({ type: 'Feature', properties: { name }, geometry: square(lon, 41.4) });
    const features = { type: 'FeatureCollection', features: [feature('Bulk lost A', 69.2), feature('Bulk lost B', 69.3)] };
    const r = await createMany(rig, { workflowDefId: BUILDINGS, features });
    expect(r.errors).toBeUndefined();
    expect(r.data?.createProcessings.createdCount).toBe(2);
    const ids = r.data?.createProcessings.items.map((i) => i.processing?.id);
    expect([...held(rig, 'Bulk lost A'), ...held(rig, 'Bulk lost B')].map((p) => p.id).sort()).toEqual([...(ids as string[])].sort());
    expect(rig.calls('mapflow', 'POST /processings/v2')).toBe(2);
  });
});

describe('Mapflow createProcessings after a 502', () => {
  test('the feature whose create was answered 502 after it was made is found by its key; each feature exists once', async ({ rig }) => {
    rig.proxies.mapflow!.failAfter(CREATE_POST, 502);
    const feature = (name: string, lon: number) => ({ type: 'Feature', properties: { name }, geometry: square(lon, 41.5) });
    const features = { type: 'FeatureCollection', features: [feature('Bulk 502 A', 69.2), feature('Bulk 502 B', 69.3)] };
    const r = await createMany(rig, { workflowDefId: BUILDINGS, features, idempotencyKey: 'bulk-502-1' });
    expect(r.errors).toBeUndefined();
    expect(r.data?.createProcessings.createdCount).toBe(2);
    expect(held(rig, 'Bulk 502 A')).toHaveLength(1);
    expect(held(rig, 'Bulk 502 B')).toHaveLength(1);
    const ids = r.data?.createProcessings.items.map((i) => i.processing?.id);
    expect([...held(rig, 'Bulk 502 A'), ...held(rig, 'Bulk 502 B')].map((p) => p.id).sort()).toEqual([...(ids as string[])].sort());
    expect(rig.calls('mapflow', 'POST /processings/v2')).toBe(2);
  });
});

async function flaiDatasetsNamed(rig: Rig, name: string): Promise<number> {
  const alpha = FLAI_DEMO_TENANTS[0];
  const res = await fetch(`${rig.sims.flai.url}/organization/${alpha.orgId}/datasets?per_page=200`, { headers: { authorization: `Bearer ${alpha.token}` } });
  const page = await jsonOf<{ items: { dataset_name: string }[] }>(res);
  return page.items.filter((d) => d.dataset_name === name).length;
}

describe('writes that cannot be looked up', () => {
  const ftp = { host: 'ftp.example.com', port: 21, username: 'surveyor', password: 'ftp-secret-9d3f', path: '/scan' };

  test.for([
    ['no answer', { hangRate: 1 }],
    ['a dropped connection', { resetRate: 1 }],
  ] as const)('Flai createDataset after %s: UPSTREAM_TIMEOUT saying it may or may not have happened, sent once', async ([_n, fault], { rig }) => {
    const name = `Unclear dataset ${_n}`;
    rig.sims.flai.faults.set({ ...fault, route: 'POST /organization/{orgId}/datasets', count: 1 });
    const r = await rig.op(HardeningCreateDatasetDocument, { input: { name, type: 'POINTCLOUD', importFrom: { ftp } } });
    expect(r.data).toBeNull();
    expect(r.errors?.[0]).toMatchObject({ path: ['createDataset'], extensions: { code: 'UPSTREAM_TIMEOUT', source: 'FLAI' } });
    expect(r.errors?.[0].message).toMatch(/^Flai (did not answer within \d+ ms|dropped the connection) to POST \/organization\/\{org\}\/datasets: the change may or may not have been made\. It was not retried/);
    // Sent once: the fault held for one request only, so a second attempt would have created it.
    expect(rig.calls('flai', 'GET /organization/{orgId}/datasets')).toBe(0);
    expect(await flaiDatasetsNamed(rig, name)).toBe(0);
  });

  test('a Mapflow project create that fails with 503 is not sent again', async ({ rig }) => {
    rig.sims.mapflow.faults.set({ errorRate: 1, errorStatuses: [503], route: 'POST /projects', count: 1 });
    const r = await rig.op(HardeningCreateProjectDocument, { name: 'Once only' });
    expect(r.errors?.[0].extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', upstreamStatus: 503 });
    expect(rig.calls('mapflow', 'POST /projects')).toBe(1);
  });
});
