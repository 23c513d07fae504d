import { describe, expect } from 'vitest';
import { geometryArea, parseGeometry } from '../../src/simulators/mapflow/mapflow.geometry.js';
import {
  MapflowCreateProcessingOnceDocument,
  MapflowCreateProcessingsDocument,
  MapflowCreateProjectDocument,
  type CreateProcessingInput,
  type CreateProcessingsInput,
  type MapflowCreateProcessingsMutation,
} from '../generated/graphql.js';
import { startStack, test as stackTest, type Stack } from '../helpers/stack.helpers.js';
import { startGateProxy } from './gate-proxy.helpers.js';
import { square, tenantData, vendor } from './mapflow.helpers.js';

/**
 * `createProcessings` and idempotent `createProcessing` over real HTTP. The gateway talks to the
 * Mapflow simulator through a small pass-through proxy (test harness only, none of our code) that
 * counts the creates in flight and, when gated, holds them, so the concurrency limit is measured
 * without any timing: a create is released only once the gateway has BULK_CONCURRENCY of them open.
 */

const LIMIT = 3;
const BUILDINGS = '30ddfd15-04aa-47f6-9ceb-68ce709fd710';
const CREATE = 'POST /processings/v2';

/** `proxy`: a gate proxy in front of Mapflow's create route; `stack`: the gateway pointed at it. */
const test = stackTest
  // eslint-disable-next-line no-empty-pattern -- vitest reads a fixture's dependencies from its destructuring: none here
  .extend('proxy', { scope: 'file' }, async ({}, { onCleanup }) => {
    const proxy = await startGateProxy((method, path) => method === 'POST' && path === '/rest/processings/v2');
    onCleanup(() => proxy.close());
    return proxy;
  })
  .extend('stack', { scope: 'file' }, async ({ proxy }, { onCleanup }) => {
    const stack = await startStack({ env: { MAPFLOW_URL: `${proxy.origin}/rest`, BULK_CONCURRENCY: String(LIMIT) } });
    onCleanup(() => stack.close());
    // The gateway is pointed at the proxy; the proxy at the stack's simulator once it is up.
    proxy.target = stack.sims.mapflow.origin;
    return stack;
  });
test.beforeEach(({ stack }) => {
  stack.resetCounts();
  stack.sims.mapflow.faults.set(null);
});

// ------------------------------------------------------------------ helpers

type Payload = MapflowCreateProcessingsMutation['createProcessings'];
type Item = Payload['items'][number];

async function bulk(stack: Stack, input: CreateProcessingsInput): Promise<Payload> {
  const r = await stack.op(MapflowCreateProcessingsDocument, { input });
  expect(r.errors).toBeUndefined();
  return r.data?.createProcessings as Payload;
}

async function newProject(stack: Stack, name: string): Promise<string> {
  const r = await stack.op(MapflowCreateProjectDocument, { name });
  return r.data?.createProject.id as string;
}

/** A GeoJSON feature of a FeatureCollection built here. */
interface Feature {
  geometry: unknown;
}

const feature = (geometry: unknown, properties: Record<string, unknown> | null = null) => ({ type: 'Feature', geometry, properties });
const collection = (...features: unknown[]) => ({ type: 'FeatureCollection', features });

/** A ~93 km² square: above the alpha tenant's 50 km² aoiAreaLimit, so Mapflow refuses it. */
const HUGE = square(69.1, 41.2, 0.1);
const openRing = { type: 'Polygon', coordinates: [[[69.2, 41.3], [69.21, 41.3], [69.21, 41.31], [69.2, 41.31]]] };

/** What the simulator holds for a processing the gateway returned, in the shape the gateway returns it. */
function held(stack: Stack, id: string) {
  const p = tenantData(stack, 'alpha').processings.get(id);
  if (!p) throw new Error(`simulator has no processing ${id}`);
  return { id: p.id, name: p.name, projectId: p.projectId, cost: p.cost, meta: p.meta, geometry: p.aois.map((a) => a.geometry) };
}

/** A polygon's coordinates, as `square` builds them. */
interface Polygon {
  coordinates: unknown;
}

function expectHeld(stack: Stack, item: Item, expected: { name: string; projectId: string; meta: Record<string, unknown>; geometry: unknown }) {
  const p = item.processing;
  expect(p).not.toBeNull();
  const { gatewayRequestKey, ...heldMeta } = held(stack, p?.id as string).meta as Record<string, unknown>;
  // Without an idempotencyKey the gateway stamps its own (for an unclear failure, see mapflow.create.ts); the API hides it.
  if (!('gatewayIdempotencyKey' in expected.meta)) expect(gatewayRequestKey).toMatch(new RegExp(`^[0-9a-f-]{36}:${item.index}$`));
  const h = { ...held(stack, p?.id as string), meta: heldMeta };
  expect(h).toEqual({ id: p?.id, name: expected.name, projectId: expected.projectId, cost: p?.cost, meta: expected.meta, geometry: [(expected.geometry as Polygon).coordinates].map((c) => ({ type: 'Polygon', coordinates: c })) });
  expect(p).toEqual({ id: p?.id, name: expected.name, status: 'UNPROCESSED', cost: h.cost, meta: expected.meta, project: { id: expected.projectId } });
  expect(item.cost).toBe(h.cost);
}

// ------------------------------------------------------------------ tests

describe('createProcessings', () => {
  test('makes one processing per feature; bad features in the middle fail alone, each with its own error', async ({ stack }) => {
    const projectId = await newProject(stack, 'Bulk settlements');
    const features = collection(
      feature(square(69.2, 41.3), { name: 'Бой' }),
      feature(openRing, { name: 'Open ring' }),
      feature(HUGE, { name: 'Too large' }),
      feature(square(69.3, 41.3), { name: 'Авазли' }),
      { type: 'Feature', geometry: { type: 'Point', coordinates: [69.1, 41.2] }, properties: { name: 'A point' } },
      feature(square(-190, 41.3), { name: 'Out of range' }),
      feature(square(69.4, 41.3)),
    );
    stack.resetCounts();
    const r = await bulk(stack, { projectId, workflowDefId: BUILDINGS, features, meta: { batch: 'uz-1' } });

    const area = geometryArea(parseGeometry(HUGE) as never);
    const path = (i: number) => ['input', 'features', 'features', String(i)];
    expect(r.items.map(({ index, name, error }) => ({ index, name, error }))).toEqual([
      { index: 0, name: 'Бой', error: null },
      { index: 1, name: 'Open ring', error: { code: 'BAD_USER_INPUT', message: 'geometry: polygon ring 0 is not closed: its last position must equal its first', field: [...path(1), 'geometry'] } },
      {
        index: 2,
        name: 'Too large',
        error: { code: 'BAD_USER_INPUT', message: `Mapflow: Processings larger than 50000000 sq.m. are prohibited. Area: ${area} sq.m.`, field: path(2) },
      },
      { index: 3, name: 'Авазли', error: null },
      { index: 4, name: 'A point', error: { code: 'BAD_USER_INPUT', message: 'geometry must be a GeoJSON Polygon or MultiPolygon, got a Point', field: [...path(4), 'geometry'] } },
      {
        index: 5,
        name: 'Out of range',
        error: {
          code: 'BAD_USER_INPUT',
          message: 'geometry: position 0 of polygon ring 0 [-190, 41.3] is out of range: longitude must be within -180..180 and latitude within -90..90 (lon/lat order)',
          field: [...path(5), 'geometry'],
        },
      },
      { index: 6, name: 'Feature 6', error: null },
    ]);
    const ok = [0, 3, 6];
    for (const i of ok) {
      const f = features.features[i] as Feature;
      expectHeld(stack, r.items[i], { name: r.items[i].name as string, projectId, meta: { batch: 'uz-1' }, geometry: f.geometry });
    }
    for (const i of [1, 2, 4, 5]) expect(r.items[i]).toMatchObject({ processing: null, cost: null });
    expect(r.createdCount).toBe(3);
    expect(r.failedCount).toBe(4);
    expect(r.totalCost).toBe(ok.reduce((s, i) => s + held(stack, r.items[i].processing?.id as string).cost, 0));
    // Only the features that passed the gateway's checks reach Mapflow; no list without a key.
    expect(stack.callsTo('mapflow', CREATE)).toBe(4);
    expect(stack.callsTo('mapflow', 'GET /projects/{id}/processings/v2')).toBe(0);
    expect([...tenantData(stack, 'alpha').processings.values()].filter((p) => p.projectId === projectId).map((p) => p.name).sort()).toEqual(['Feature 6', 'Авазли', 'Бой'].sort());
  });

  test('dryRun prices every feature through the cost endpoint and creates nothing', async ({ stack }) => {
    const features = collection(feature(square(69.2, 41.3, 0.01), { title: 'North' }), feature(openRing, { title: 'Broken' }), feature(HUGE, { title: 'Big' }));
    const blocks = [{ name: 'Classification', enabled: true }];
    const quotes: number[] = [];
    for (const i of [0, 2]) {
      const geometry = (features.features[i] as Feature).geometry;
      quotes.push(await vendor<number>(stack, 'POST', '/processing/cost/v2', { wdId: BUILDINGS, geometry, blocks }));
    }
    const before = tenantData(stack, 'alpha').processings.size;
    stack.resetCounts();
    const r = await bulk(stack, { workflowDefName: '🏠 Buildings', features, nameProperty: 'title', blocks, dryRun: true, idempotencyKey: 'dry-1' });
    expect(r.items.map(({ index, name, cost, processing }) => ({ index, name, cost, processing }))).toEqual([
      { index: 0, name: 'North', cost: quotes[0], processing: null },
      { index: 1, name: 'Broken', cost: null, processing: null },
      { index: 2, name: 'Big', cost: quotes[1], processing: null },
    ]);
    expect(r.items[1].error?.code).toBe('BAD_USER_INPUT');
    expect(r).toMatchObject({ createdCount: 0, failedCount: 1, totalCost: quotes[0] + quotes[1] });
    expect(quotes[1]).toBeGreaterThan(quotes[0]);
    expect(stack.callsTo('mapflow', CREATE)).toBe(0);
    // The model name is resolved once (the cost endpoint takes ids only), then one quote per valid feature.
    expect(stack.sims.mapflow.stats.snapshot().byRoute).toEqual({ 'GET /user/status': 1, 'POST /processing/cost/v2': 2 });
    expect(tenantData(stack, 'alpha').processings.size).toBe(before);
  });

  test('with an idempotencyKey, a retry creates nothing twice and returns the same processings', async ({ stack }) => {
    const projectId = await newProject(stack, 'Idempotent bulk');
    const features = collection(
      feature(square(69.2, 41.4), { title: 'A' }),
      feature(square(69.3, 41.4), { title: 'B' }),
      feature(openRing, { title: 'C' }),
      feature(square(69.4, 41.4), { title: 'D' }),
    );
    const input = { projectId, workflowDefId: BUILDINGS, features, nameProperty: 'title', meta: { batch: 'b1', gatewayFeatureIndex: 'mine' }, idempotencyKey: 'import-2026-03-01' };
    stack.resetCounts();
    const first = await bulk(stack, input);
    expect(first).toMatchObject({ createdCount: 3, failedCount: 1 });
    for (const i of [0, 1, 3]) {
      const f = features.features[i] as Feature;
      const meta = { batch: 'b1', gatewayIdempotencyKey: 'import-2026-03-01', gatewayFeatureIndex: String(i) };
      expectHeld(stack, first.items[i], { name: ['A', 'B', 'C', 'D'][i], projectId, meta, geometry: f.geometry });
    }
    expect(stack.callsTo('mapflow', 'GET /projects/{id}/processings/v2')).toBe(1);
    expect(stack.callsTo('mapflow', CREATE)).toBe(3);

    stack.resetCounts();
    const retry = await bulk(stack, input);
    expect(retry).toEqual(first);
    expect(stack.callsTo('mapflow', CREATE)).toBe(0);
    // One list for the lookup, one project for the `project { id }` selection (deduplicated).
    expect(stack.sims.mapflow.stats.snapshot().byRoute).toEqual({ 'GET /projects/{id}/processings/v2': 1, 'GET /projects/{id}': 1 });
    expect([...tenantData(stack, 'alpha').processings.values()].filter((p) => p.projectId === projectId)).toHaveLength(3);

    // Another key is another import.
    stack.resetCounts();
    const other = await bulk(stack, { ...input, idempotencyKey: 'import-2026-03-02' });
    expect(other.createdCount).toBe(3);
    expect(stack.callsTo('mapflow', CREATE)).toBe(3);
    expect(other.items[0].processing?.id).not.toBe(first.items[0].processing?.id);
  });

  test('a retry after a partial failure creates only the features that failed', async ({ stack }) => {
    const projectId = await newProject(stack, 'Retry after 500');
    const features = collection(feature(square(69.2, 41.5), { name: 'x0' }), feature(square(69.3, 41.5), { name: 'x1' }), feature(square(69.4, 41.5), { name: 'x2' }));
    const input = { projectId, workflowDefId: BUILDINGS, features, idempotencyKey: 'flaky' };
    stack.sims.mapflow.faults.set({ errorRate: 1, errorStatuses: [500], route: CREATE, count: 1 });
    const first = await bulk(stack, input);
    const failed = first.items.filter((i) => i.error);
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ processing: null, error: { code: 'UPSTREAM_ERROR', field: null } });
    expect(first).toMatchObject({ createdCount: 2, failedCount: 1 });

    stack.resetCounts();
    const retry = await bulk(stack, input);
    expect(retry).toMatchObject({ createdCount: 3, failedCount: 0 });
    expect(stack.callsTo('mapflow', CREATE)).toBe(1);
    for (const item of first.items.filter((i) => !i.error)) expect(retry.items[item.index]).toEqual(item);
    expectHeld(stack, retry.items[failed[0].index], {
      name: `x${failed[0].index}`,
      projectId,
      meta: { gatewayIdempotencyKey: 'flaky', gatewayFeatureIndex: String(failed[0].index) },
      geometry: (features.features[failed[0].index] as Feature).geometry,
    });
  });

  test(`has at most BULK_CONCURRENCY (${LIMIT}) creates in flight, and uses all of them`, async ({ stack, proxy }) => {
    const projectId = await newProject(stack, 'Concurrency');
    const n = 8;
    const features = collection(...Array.from({ length: n }, (_, i) => feature(square(69 + i * 0.01, 41.6), { name: `c${i}` })));
    proxy.reset();
    proxy.gate = { open: LIMIT, expected: n };
    try {
      const r = await bulk(stack, { projectId, workflowDefId: BUILDINGS, features });
      expect(r).toMatchObject({ createdCount: n, failedCount: 0 });
      expect(r.items.map((i) => i.processing?.name)).toEqual(Array.from({ length: n }, (_, i) => `c${i}`));
    } finally {
      proxy.gate = null;
    }
    // Every create was held until LIMIT were open: more would show here, fewer would never release.
    expect(proxy.maxInFlight).toBe(LIMIT);
    expect(stack.callsTo('mapflow', CREATE)).toBe(n);
  });

  test('rejects what every feature shares before any vendor call', async ({ stack }) => {
    const cases: [CreateProcessingsInput, string, string[]][] = [
      [{ workflowDefId: BUILDINGS, features: feature(square(69.2, 41.3)) }, 'features must be a GeoJSON FeatureCollection, got a Feature', ['input', 'features']],
      [{ workflowDefId: BUILDINGS, features: collection() }, 'features: the FeatureCollection has no features', ['input', 'features', 'features']],
      [{ features: collection(feature(square(69.2, 41.3))) }, 'Give exactly one of workflowDefId and workflowDefName; got neither', ['input', 'workflowDefId']],
      [{ workflowDefId: BUILDINGS, features: collection(feature(square(69.2, 41.3))), meta: [1] }, 'meta must be a JSON object, got an array', ['input', 'meta']],
      [{ workflowDefId: BUILDINGS, features: collection(feature(square(69.2, 41.3))), idempotencyKey: '  ' }, 'idempotencyKey must be 1 to 200 characters and not blank', ['input', 'idempotencyKey']],
      [{ workflowDefName: 'No such model', features: collection(feature(square(69.2, 41.3))), dryRun: true }, 'No model named "No such model" in this Mapflow account (see account.models)', ['input', 'workflowDefName']],
    ];
    for (const [input, message, field] of cases) {
      const r = await stack.op(MapflowCreateProcessingsDocument, { input });
      expect(r.data).toBeNull();
      expect(r.errors?.[0]).toMatchObject({ message, path: ['createProcessings'], extensions: { code: 'BAD_USER_INPUT', field } });
    }
    // Only the unknown model name needed the account's model list.
    expect(stack.sims.mapflow.stats.snapshot().byRoute).toEqual({ 'GET /user/status': 1 });
  });
});

describe('createProcessing with an idempotencyKey', () => {
  test('creates once in the default project; the retry returns the same processing without creating', async ({ stack }) => {
    const input: CreateProcessingInput = { name: 'Once', workflowDefId: BUILDINGS, geometry: square(69.5, 41.7), meta: { ticket: 'GIS-7' }, idempotencyKey: 'single-1' };
    const first = await stack.op(MapflowCreateProcessingOnceDocument, { input });
    expect(first.errors).toBeUndefined();
    const created = first.data?.createProcessing;
    const t = tenantData(stack, 'alpha');
    const defaultProject = [...t.projects.values()].find((p) => p.isDefault);
    expect(created).toEqual({ id: created?.id, name: 'Once', meta: { ticket: 'GIS-7', gatewayIdempotencyKey: 'single-1' }, project: { id: defaultProject?.id } });
    expect(t.processings.get(created?.id as string)?.meta).toEqual({ ticket: 'GIS-7', gatewayIdempotencyKey: 'single-1' });
    // The default project's processings come in one call without knowing its id (+1 for `project { id }`).
    expect(stack.sims.mapflow.stats.snapshot().byRoute).toEqual({ 'GET /processings/v2': 1, [CREATE]: 1, 'GET /projects/{id}': 1 });

    stack.resetCounts();
    const retry = await stack.op(MapflowCreateProcessingOnceDocument, { input });
    expect(retry.data).toEqual(first.data);
    expect(stack.callsTo('mapflow', CREATE)).toBe(0);
    expect(stack.sims.mapflow.stats.snapshot().byRoute).toEqual({ 'GET /processings/v2': 1, 'GET /projects/{id}': 1 });

    stack.resetCounts();
    const other = await stack.op(MapflowCreateProcessingOnceDocument, { input: { ...input, idempotencyKey: 'single-2' } });
    expect(other.data?.createProcessing.id).not.toBe(created?.id);
    expect(stack.callsTo('mapflow', CREATE)).toBe(1);
  });

  test('looks in the target project, and checks the input before any call', async ({ stack }) => {
    const projectId = await newProject(stack, 'Single idempotent');
    const input: CreateProcessingInput = { projectId, workflowDefId: BUILDINGS, geometry: square(69.6, 41.7), idempotencyKey: 'p-1' };
    stack.resetCounts();
    const a = await stack.op(MapflowCreateProcessingOnceDocument, { input });
    const b = await stack.op(MapflowCreateProcessingOnceDocument, { input });
    expect(b.data?.createProcessing.id).toBe(a.data?.createProcessing.id);
    expect(stack.sims.mapflow.stats.snapshot().byRoute).toEqual({ 'GET /projects/{id}/processings/v2': 2, [CREATE]: 1, 'GET /projects/{id}': 2 });

    stack.resetCounts();
    const bad = await stack.op(MapflowCreateProcessingOnceDocument, { input: { ...input, geometry: openRing } });
    expect(bad.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: ['input', 'geometry'] });
    const blank = await stack.op(MapflowCreateProcessingOnceDocument, { input: { ...input, idempotencyKey: '' } });
    expect(blank.errors?.[0]).toMatchObject({ message: 'idempotencyKey must be 1 to 200 characters and not blank', extensions: { field: ['input', 'idempotencyKey'] } });
    expect(stack.calls('mapflow')).toBe(0);
  });
});
