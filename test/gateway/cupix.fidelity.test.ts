import { describe, expect } from 'vitest';
import { createLogger } from '../../src/observability/logger.js';
import { cupixMatrix } from '../../src/simulators/cupix/index.js';
import {
  CupixFidelityCaptureDocument,
  CupixFidelityFinalTransformDocument,
  CupixFidelityGroupMetaDocument,
  CupixFidelityJobMetaDocument,
  CupixFidelityTransformsDocument,
  CupixFidelityTwoFinalTransformsDocument,
  CupixFidelityTypesDocument,
} from '../generated/graphql.js';
import { test, type Stack } from '../helpers/stack.helpers.js';
import { ALPHA, expectMatrix } from './cupix.helpers.js';

/**
 * What the Cupix docs allow beyond their examples, read through the gateway over real HTTP from the
 * simulator's documented variants (alpha's 5370-5373 and 5380, src/simulators/cupix/cupix.seed-variants.ts):
 * the meta endpoint, facility stubs with an id, a group's non-unit scale and its processor version, a
 * `pointcloud_type` the docs do not list, and sub `wtm`s that contradict `group.wtm × sub.tm`.
 */
const lines: string[] = [];
test.override('stackOptions', { log: createLogger('warn', (line) => lines.push(line)) });
test.beforeEach(({ stack }) => stack.resetCounts());

const META = 'GET /pointclouds/{id}/meta';
const ONE = 'GET /pointclouds/{id}';
const LIST = 'GET /pointclouds';
const routes = (stack: Stack) => stack.sims.cupix.stats.snapshot().byRoute;

interface VendorMeta {
  prop: { tm: number[]; wtm: number[]; scale?: number[]; wscale?: number[] };
  processor_version?: string;
}
interface VendorItem {
  id: string;
  attributes: { name: string; kind: string; pointcloud_type: string; facility: { id?: number; name?: string; type?: string } };
}

/** What the simulator answers itself (then the call counters are reset). */
async function vendor<T>(stack: Stack, path: string): Promise<T> {
  const res = await fetch(`${stack.sims.cupix.url}${path}`, { headers: { 'x-cupix-auth': ALPHA } });
  expect(res.status).toBe(200);
  const body = (await res.json()) as { result: T };
  stack.resetCounts();
  return body.result;
}
const vendorMeta = (stack: Stack, id: string) => vendor<VendorMeta>(stack, `/pointclouds/${id}/meta?fields=meta`);
const vendorItems = async (stack: Stack, query: string) =>
  (await vendor<{ data: VendorItem[] }>(stack, `/pointclouds?fields=id,name,kind,pointcloud_type,facility&per_page=100&${query}`)).data;

/** The gateway's log lines about a sub's wtm contradicting the composed transform. */
const disagreements = () =>
  lines.map((line) => JSON.parse(line) as Record<string, unknown>).filter((entry) => String(entry.msg).includes("a sub's wtm disagrees"));

describe('GET /pointclouds/{id}/meta where one point cloud\'s meta is needed alone', () => {
  test('a point cloud asked for its matrices only: the meta endpoint, not the object', async ({ stack }) => {
    const meta = await vendorMeta(stack, '5371');
    const res = await stack.op(CupixFidelityTransformsDocument, { id: '5371' });
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({ pointcloud: { id: '5371', transform: meta.prop.tm, worldTransform: meta.prop.wtm } });
    expect(routes(stack)).toEqual({ [META]: 1 });
  });

  test('an unknown id: null, from the meta endpoint\'s 404', async ({ stack }) => {
    const res = await stack.op(CupixFidelityTransformsDocument, { id: '999999' });
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({ pointcloud: null });
    expect(routes(stack)).toEqual({ [META]: 1 });
  });

  test("a sub's finalTransform reads its group's meta alone; without a wtm of its own (5373: `[]`) it is today's group.wtm × sub.tm", async ({ stack }) => {
    const sub = await vendorMeta(stack, '5373');
    const group = await vendorMeta(stack, '5370');
    expect(sub.prop.wtm).toEqual([]);
    const res = await stack.op(CupixFidelityFinalTransformDocument, { id: '5373' });
    expect(res.errors).toBeUndefined();
    expect(res.data?.pointcloud).toMatchObject({ id: '5373', transform: sub.prop.tm, worldTransform: [], parent: { id: '5370' } });
    // The group's scale is not applied: the rule is kept as it was (group.wtm × sub.tm).
    expectMatrix(res.data?.pointcloud?.finalTransform, cupixMatrix.multiply(group.prop.wtm, sub.prop.tm));
    // The sub with what finalTransform and parent need, then the group's meta and id from the meta endpoint.
    expect(routes(stack)).toEqual({ [ONE]: 1, [META]: 1 });
  });

  test('a point cloud loaded without meta (jobs) gets its meta alone, not the whole object again', async ({ stack }) => {
    const meta = await vendorMeta(stack, '5370');
    const res = await stack.op(CupixFidelityJobMetaDocument, { refs: [{ source: 'CUPIX', type: 'Pointcloud', id: '5370' }] });
    expect(res.errors).toBeUndefined();
    expect(res.data?.jobs).toEqual([{ id: '5370', name: 'Cluster 4', processorVersion: meta.processor_version, scale: meta.prop.scale }]);
    expect(routes(stack)).toEqual({ [ONE]: 1, [META]: 1 });
  });

  test('a list keeps `fields=meta`: its items\' meta come with it, no meta call', async ({ stack }) => {
    const res = await stack.op(CupixFidelityCaptureDocument, { captureId: '1207' });
    expect(res.errors).toBeUndefined();
    const group = res.data?.pointclouds?.nodes.find((n) => n.id === '5370');
    expect(group).toMatchObject({ scale: [1.25, 1.25, 1.25], processorVersion: expect.stringMatching(/^191\t/) });
    expect(routes(stack)).toEqual({ [LIST]: 1 });
  });
});

describe('facility, scale, worldScale, processorVersion', () => {
  test('a group with a facility stub, a non-unit scale and another processor version (5370)', async ({ stack }) => {
    const meta = await vendorMeta(stack, '5370');
    const [item] = await vendorItems(stack, 'capture_id=1207&q=Cluster');
    expect(item.attributes.facility).toEqual({ id: 4107, name: 'Riverside Tower', type: 'Facility' });
    expect(meta.prop.scale).toEqual([1.25, 1.25, 1.25]);
    const res = await stack.op(CupixFidelityGroupMetaDocument, { id: '5370' });
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({
      pointcloud: {
        id: '5370',
        kind: 'GROUP',
        scale: meta.prop.scale,
        worldScale: meta.prop.wscale,
        processorVersion: meta.processor_version,
        facility: { id: '4107', name: 'Riverside Tower', type: 'Facility' },
      },
    });
    expect(meta.processor_version).toBe('191\t7c2e9a0f41d3b8e6a5c0f9d2e1b4a7c3d6e8f0a1\t20230914_221503');
    expect(routes(stack)).toEqual({ [ONE]: 1 });
  });

  test('the documented group 5309: unit scale, the documented processor version, and `facility: {}` is null', async ({ stack }) => {
    const res = await stack.op(CupixFidelityGroupMetaDocument, { id: '5309' });
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({
      pointcloud: {
        id: '5309',
        kind: 'GROUP',
        scale: [1, 1, 1],
        worldScale: [1, 1, 1],
        processorVersion: '187\td65714cae268815527ca333e78ec5043f3bed354\t20231025_004940',
        facility: null,
      },
    });
  });

  test('a capture listed whole: each item its facility; scale and processor version are a group\'s, null for its subs', async ({ stack }) => {
    const items = await vendorItems(stack, 'capture_id=1207');
    const res = await stack.op(CupixFidelityCaptureDocument, { captureId: '1207' });
    expect(res.errors).toBeUndefined();
    const facility = { id: '4107', name: 'Riverside Tower', type: 'Facility' };
    const scaled = [1.25, 1.25, 1.25];
    expect(res.data?.pointclouds).toEqual({
      totalCount: 4,
      nodes: items.map((item) =>
        item.attributes.kind === 'group'
          ? { id: item.id, kind: 'GROUP', type: 'RECONSTRUCTED', scale: scaled, worldScale: scaled, processorVersion: expect.stringMatching(/^191\t/), facility }
          : { id: item.id, kind: 'SUB', type: 'RECONSTRUCTED', scale: null, worldScale: null, processorVersion: null, facility },
      ),
    });
    expect(items.map((item) => item.id)).toEqual(['5373', '5372', '5371', '5370']);
  });
});

describe('pointcloud_type', () => {
  test('a type the docs do not list reads UNKNOWN, and the page around it is served whole', async ({ stack }) => {
    const items = await vendorItems(stack, 'pointcloud_type=all');
    expect(items.find((item) => item.id === '5380')?.attributes.pointcloud_type).toBe('photogrammetry');
    const types: Record<string, string> = { uploaded: 'UPLOADED', '3d_reconstructed': 'RECONSTRUCTED' };
    const res = await stack.op(CupixFidelityTypesDocument, { first: 100 });
    expect(res.errors).toBeUndefined();
    expect(res.data?.pointclouds).toEqual({
      totalCount: items.length,
      nodes: items.map((item) => ({ id: item.id, name: item.attributes.name, type: types[item.attributes.pointcloud_type] ?? 'UNKNOWN' })),
    });
    expect(res.data?.pointclouds?.nodes.filter((n) => n.type === 'UNKNOWN').map((n) => n.id)).toEqual(['5380']);
    expect(routes(stack)).toEqual({ [LIST]: 1 });
  });

  test('type ALL is Cupix `all`: every type, the unknown one too; UPLOADED and RECONSTRUCTED leave it out', async ({ stack }) => {
    const all = await stack.op(CupixFidelityTypesDocument, { filter: { type: 'ALL' }, first: 100 });
    const none = await stack.op(CupixFidelityTypesDocument, { first: 100 });
    expect(all.errors).toBeUndefined();
    expect(all.data).toEqual(none.data);
    const drone = { id: '5380', name: 'Drone survey', type: 'UNKNOWN' };
    expect((await stack.op(CupixFidelityTypesDocument, { filter: { captureId: '1208', type: 'ALL' } })).data?.pointclouds).toEqual({ totalCount: 1, nodes: [drone] });
    for (const type of ['UPLOADED', 'RECONSTRUCTED'] as const) {
      const res = await stack.op(CupixFidelityTypesDocument, { filter: { captureId: '1208', type } });
      expect(res.data?.pointclouds, type).toEqual({ totalCount: 0, nodes: [] });
    }
    expect(routes(stack)).toEqual({ [LIST]: 5 });
  });

  test('type UNKNOWN is no filter: BAD_USER_INPUT on filter.type, without asking Cupix', async ({ stack }) => {
    const res = await stack.op(CupixFidelityTypesDocument, { filter: { type: 'UNKNOWN' } });
    expect(res.data).toEqual({ pointclouds: null });
    expect(res.errors).toHaveLength(1);
    expect(res.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: ['filter', 'type'] });
    expect(res.errors![0].message).toContain('type UNKNOWN is not a filter value');
    expect(stack.calls('cupix')).toBe(0);
  });
});

describe("finalTransform against the vendor's own wtm", () => {
  test("a group with scale ≠ 1 whose subs' wtm include it: each sub gets the vendor's wtm, and one log line for the group", async ({ stack }) => {
    const group = await vendorMeta(stack, '5370');
    const subs = { '5371': await vendorMeta(stack, '5371'), '5372': await vendorMeta(stack, '5372') };
    for (const sub of Object.values(subs)) {
      // What the gateway composes disagrees with the vendor's wtm; the vendor's includes the group's scale.
      const composed = cupixMatrix.multiply(group.prop.wtm, sub.prop.tm);
      expect(composed.some((v, i) => Math.abs(v - sub.prop.wtm[i]) > 1e-3)).toBe(true);
      expectMatrix(sub.prop.wtm, cupixMatrix.multiply(group.prop.wtm, cupixMatrix.multiply(cupixMatrix.scaling([1.25, 1.25, 1.25]), sub.prop.tm)));
    }
    for (let round = 0; round < 2; round++) {
      const res = await stack.op(CupixFidelityTwoFinalTransformsDocument, { first: '5371', second: '5372' });
      expect(res.errors).toBeUndefined();
      expect(res.data).toEqual({ first: { id: '5371', finalTransform: subs['5371'].prop.wtm }, second: { id: '5372', finalTransform: subs['5372'].prop.wtm } });
    }
    // Two subs, two requests: once for their group.
    const logged = disagreements();
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({ level: 'warn', vendor: 'CUPIX', group: '5370', sub: expect.stringMatching(/^537[12]$/), order: 'parent-first' });
    expect(logged[0].difference).toBeGreaterThan(0.1);
  });

  test('a consistent group (5320): the composed matrix, equal to each sub\'s wtm, and nothing logged', async ({ stack }) => {
    const before = disagreements().length;
    const group = await vendorMeta(stack, '5320');
    const subs = { '5321': await vendorMeta(stack, '5321'), '5322': await vendorMeta(stack, '5322') };
    const res = await stack.op(CupixFidelityTwoFinalTransformsDocument, { first: '5321', second: '5322' });
    expect(res.errors).toBeUndefined();
    expectMatrix(res.data?.first?.finalTransform, cupixMatrix.multiply(group.prop.wtm, subs['5321'].prop.tm));
    expectMatrix(res.data?.second?.finalTransform, subs['5322'].prop.wtm);
    expect(disagreements()).toHaveLength(before);
  });
});
