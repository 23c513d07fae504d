/**
 * Shared by the Cupix gateway tests: the demo tokens, and direct reads of what the simulator holds
 * (to compare the gateway's answers with).
 */
import { expect } from 'vitest';
import { CUPIX_DEMO_TENANTS } from '../../src/simulators/cupix/index.js';
import { jsonOf, test as stackTest, type Stack } from '../helpers/stack.helpers.js';

export const ALPHA = CUPIX_DEMO_TENANTS[0].token;
export const BETA = CUPIX_DEMO_TENANTS[1].token;

export const ALL_VENDOR_FIELDS =
  'id,name,state,potree_state,kind,pointcloud_type,editing_state,parent,cluster,record,level,meta,created_at,updated_at,published_at,permission,use_georeference,georeference,thumbnail_urls';

/** One pointcloud as the simulator serves it with every field. */
export interface VendorPointcloud {
  id: string;
  attributes: {
    name: string;
    state: string;
    potree_state: string;
    kind: 'group' | 'sub';
    pointcloud_type: string;
    parent: { id: number | null };
    cluster: { id: number | null; name: string | null };
    meta: { prop: { tm: number[]; wtm: number[]; original_file_name?: string; original_point_count?: number; original_size_in_mb?: number } };
    created_at: string;
    updated_at: string;
  };
}

/** A page of the simulator's pointcloud list. */
export interface VendorPointcloudPage {
  result: { data: VendorPointcloud[]; pagination: { next_page: number | null } };
}

/**
 * What the simulator holds, read over HTTP with a tenant's token (every page, every field). Reading it
 * counts as vendor calls, so the tests reset the counters afterwards.
 */
export async function vendorList(stack: Stack, token: string, query: Record<string, string> = {}): Promise<VendorPointcloud[]> {
  const out: VendorPointcloud[] = [];
  for (let page = 1; ; page++) {
    const qs = new URLSearchParams({ fields: ALL_VENDOR_FIELDS, per_page: '100', page: String(page), ...query });
    const res = await fetch(`${stack.sims.cupix.url}/pointclouds?${qs}`, { headers: { 'x-cupix-auth': token } });
    expect(res.status).toBe(200);
    const body = await jsonOf<VendorPointcloudPage>(res);
    out.push(...body.result.data);
    if (!body.result.pagination.next_page) break;
  }
  stack.resetCounts();
  return out;
}

export function byId(list: VendorPointcloud[], id: string): VendorPointcloud {
  const found = list.find((p) => p.id === id);
  if (!found) throw new Error(`the simulator holds no pointcloud ${id}`);
  return found;
}

/** Asserts two matrices agree to 1e-9 per element (the gateway multiplies what the simulator multiplied). */
export function expectMatrix(actual: unknown, expected: readonly number[]): void {
  expect(Array.isArray(actual)).toBe(true);
  const a = actual as number[];
  expect(a).toHaveLength(16);
  a.forEach((v, i) => expect(v).toBeCloseTo(expected[i], 9));
}

export const IDENTITY = [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1];

/**
 * The stack test API with what the Cupix simulator holds for each demo tenant, read once per file
 * when a test first asks (`alpha`, `beta`); the reads are not counted as the test's vendor calls.
 */
export const test = stackTest
  .extend('alpha', { scope: 'file' }, async ({ stack }) => vendorList(stack, ALPHA))
  .extend('beta', { scope: 'file' }, async ({ stack }) => vendorList(stack, BETA));
