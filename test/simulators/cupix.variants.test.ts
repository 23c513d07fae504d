import { test as base, describe, expect } from 'vitest';
import { CUPIX_DEMO_TENANTS, startCupixSimulator, type CupixTenant } from '../../src/simulators/cupix/index.js';
import { multiply, scaling } from '../../src/simulators/cupix/cupix.matrix.js';
import type { SimHandle } from '../../src/simulators/core/index.js';
import { getJson, schemaErrors, vendorValidators, type PointcloudListReply, type PointcloudReply } from './cupix.helpers.js';

/**
 * The Cupix simulator's documented variants (src/simulators/cupix/cupix.seed-variants.ts): what it
 * sends with SimContext.documentedVariants on (the default), and that it sends none of it when off.
 */
type Meta = { prop: { tm: number[]; wtm: number[]; scale?: number[]; wscale?: number[] }; processor_version?: string };
const ALPHA = CUPIX_DEMO_TENANTS[0].token;
const VARIANT_IDS = [5370, 5371, 5372, 5373, 5380];
const v = vendorValidators();

type Sim = SimHandle<CupixTenant>;

/** The file's two Cupix simulators: `sim` with the documented variants (the default), `plain` without. */
const test = base
  // eslint-disable-next-line no-empty-pattern -- vitest reads a fixture's dependencies from its destructuring: none here
  .extend('sim', { scope: 'file' }, async ({}, { onCleanup }) => {
    const sim = await startCupixSimulator({ timeScale: 0 });
    onCleanup(() => sim.close());
    return sim;
  })
  // eslint-disable-next-line no-empty-pattern -- vitest reads a fixture's dependencies from its destructuring: none here
  .extend('plain', { scope: 'file' }, async ({}, { onCleanup }) => {
    const plain = await startCupixSimulator({ timeScale: 0, documentedVariants: false });
    onCleanup(() => plain.close());
    return plain;
  });

const meta = async (sim: Sim, id: number) => (await getJson<{ result: Meta }>(`${sim.url}/pointclouds/${id}/meta?fields=meta`, ALPHA)).body.result;
const attributes = async (sim: Sim, id: number, fields: string) => (await getJson<PointcloudReply>(`${sim.url}/pointclouds/${id}?fields=${fields}`, ALPHA)).body.result.data.attributes;

describe('cupix documented variants', () => {
  test("group 5370: scale and wscale 1.25, its own processor_version; its subs' wtm include the scale, 5373's is []", async ({ sim }) => {
    const group = await meta(sim, 5370);
    expect(group.prop.scale).toEqual([1.25, 1.25, 1.25]);
    expect(group.prop.wscale).toEqual([1.25, 1.25, 1.25]);
    expect(group.processor_version).toBe('191\t7c2e9a0f41d3b8e6a5c0f9d2e1b4a7c3d6e8f0a1\t20230914_221503');
    for (const id of [5371, 5372]) {
      const sub = await meta(sim, id);
      expect(sub.prop.wtm).toEqual(multiply(multiply(group.prop.wtm, scaling([1.25, 1.25, 1.25])), sub.prop.tm));
      expect(multiply(group.prop.wtm, sub.prop.tm)).not.toEqual(sub.prop.wtm);
    }
    expect((await meta(sim, 5373)).prop.wtm).toEqual([]);
  });

  test('5370-5373 carry a facility stub with an id; the documented items keep `{}`', async ({ sim }) => {
    for (const id of [5370, 5371, 5372, 5373]) expect(await attributes(sim, id, 'facility')).toEqual({ facility: { id: 4107, name: 'Riverside Tower', type: 'Facility' } });
    for (const id of [5309, 5310, 5320, 5380]) expect(await attributes(sim, id, 'facility')).toEqual({ facility: {} });
  });

  test('5380 has a pointcloud_type the docs do not list: `all` lists it, the documented types do not', async ({ sim }) => {
    expect(await attributes(sim, 5380, 'pointcloud_type,kind')).toEqual({ pointcloud_type: 'photogrammetry', kind: 'group' });
    const ids = async (type: string) => (await getJson<PointcloudListReply>(`${sim.url}/pointclouds?fields=id&capture_id=1208&pointcloud_type=${type}`, ALPHA)).body.result.data.map((d) => d.id);
    expect(await ids('all')).toEqual(['5380']);
    expect(await ids('uploaded')).toEqual([]);
    expect(await ids('3d_reconstructed')).toEqual([]);
  });

  test('the vendor schema rejects exactly the undocumented type; every other variant validates', async ({ sim }) => {
    for (const id of VARIANT_IDS) {
      const one = await getJson(`${sim.url}/pointclouds/${id}?fields=id,name,kind,facility,parent,meta,pointcloud_type`, ALPHA);
      const errors = schemaErrors(v.PointcloudResponse, one.body);
      if (id === 5380) expect(errors).toContain('/result/data/attributes/pointcloud_type: must be equal to one of the allowed values');
      else expect(errors, String(id)).toEqual([]);
      expect(schemaErrors(v.MetaResponse, (await getJson(`${sim.url}/pointclouds/${id}/meta?fields=meta`, ALPHA)).body), String(id)).toEqual([]);
    }
  });

  test('come after the 21 others in the default order; with the mode off, none of them exists', async ({ sim, plain }) => {
    const list = (await getJson<PointcloudListReply>(`${sim.url}/pointclouds?fields=id&per_page=100`, ALPHA)).body.result;
    expect(list.pagination.total_entries).toBe(26);
    expect(list.data.slice(21).map((d) => Number(d.id))).toEqual([5373, 5372, 5371, 5370, 5380]);
    const off = (await getJson<PointcloudListReply>(`${plain.url}/pointclouds?fields=id&per_page=100`, ALPHA)).body.result;
    expect(off.pagination.total_entries).toBe(21);
    expect(off.data.map((d) => d.id)).toEqual(list.data.slice(0, 21).map((d) => d.id));
    for (const id of VARIANT_IDS) expect((await getJson(`${plain.url}/pointclouds/${id}/meta?fields=meta`, ALPHA)).status).toBe(404);
  });
});
