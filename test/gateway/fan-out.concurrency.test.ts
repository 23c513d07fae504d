import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../helpers/stack.helpers.js';
import { ALPHA as FLAI_ALPHA, vendor as flaiVendor, type RawPage } from './flai.helpers.js';
import { startGateProxy, type GateProxy } from './gate-proxy.helpers.js';
import { tenantData } from './mapflow.helpers.js';

/**
 * By-id fan-out under UPSTREAM_CONCURRENCY (3 here): a request that looks up many objects of one
 * vendor never has more than 3 calls open at that vendor. Each vendor sits behind a gate proxy that
 * holds its by-id calls until 3 are in flight at once, so the limit is measured without timing: more
 * than 3 would show in `maxInFlight`, fewer would never open the gate.
 */

const LIMIT = 3;
const N = 10;

let stack: Stack;
const proxies: Record<'mapflow' | 'flai' | 'cupix', GateProxy> = {} as never;
beforeAll(async () => {
  [proxies.mapflow, proxies.flai, proxies.cupix] = await Promise.all([
    startGateProxy((m, p) => m === 'GET' && /^\/rest\/processings\/[^/]+\/v2$/.test(p)),
    startGateProxy((m, p) => m === 'GET' && /^\/api\/v1\/organization\/[^/]+\/datasets\/[^/]+$/.test(p)),
    startGateProxy((m, p) => m === 'GET' && /^\/api\/v1\/pointclouds\/[^/]+$/.test(p)),
  ]);
  stack = await startStack({
    env: {
      MAPFLOW_URL: `${proxies.mapflow.origin}/rest`,
      FLAI_URL: proxies.flai.origin,
      CUPIX_URL: `${proxies.cupix.origin}/api/v1`,
      UPSTREAM_CONCURRENCY: String(LIMIT),
    },
  });
  proxies.mapflow.target = stack.sims.mapflow.origin;
  proxies.flai.target = stack.sims.flai.origin;
  proxies.cupix.target = stack.sims.cupix.origin;
});
afterAll(async () => {
  await stack?.close();
  await Promise.all(Object.values(proxies).map((p) => p?.close()));
});

/** N aliased lookups of `field(id:)`, one per id, in one request. */
const aliased = (field: string, ids: string[], select: string) => `{ ${ids.map((id, i) => `x${i}: ${field}(id: "${id}") { ${select} }`).join(' ')} }`;

async function gated(vendor: keyof typeof proxies, query: string, ids: string[]): Promise<Record<string, { id: string }>> {
  const proxy = proxies[vendor];
  proxy.reset();
  proxy.gate = { open: LIMIT, expected: ids.length };
  stack.resetCounts();
  try {
    const r = await stack.gql<Record<string, { id: string }>>(query);
    expect(r.errors).toBeUndefined();
    expect(proxy.maxInFlight).toBe(LIMIT);
    expect(stack.calls(vendor)).toBe(ids.length);
    return r.data as Record<string, { id: string }>;
  } finally {
    proxy.gate = null;
  }
}

describe(`UPSTREAM_CONCURRENCY=${LIMIT}`, () => {
  it(`Mapflow: ${N} processings by id, at most ${LIMIT} calls at once`, async () => {
    const ids = [...tenantData(stack, 'alpha').processings.keys()].slice(0, N);
    expect(ids).toHaveLength(N);
    const data = await gated('mapflow', aliased('processing', ids, 'id'), ids);
    expect(Object.values(data).map((p) => p.id)).toEqual(ids);
  });

  it(`Flai: datasets by id, at most ${LIMIT} calls at once`, async () => {
    const ids = (await flaiVendor<RawPage>(stack, '/datasets?per_page=100', FLAI_ALPHA)).items.map((d) => String(d.id)).slice(0, N);
    expect(ids.length).toBeGreaterThan(LIMIT + 1);
    const data = await gated('flai', aliased('dataset', ids, 'id'), ids);
    expect(Object.values(data).map((d) => d.id)).toEqual(ids);
  });

  it(`Cupix: ${N} pointclouds by id, at most ${LIMIT} calls at once`, async () => {
    const res = await fetch(`${stack.sims.cupix.url}/pointclouds?fields=id&per_page=100&pointcloud_type=all`, { headers: { 'x-cupix-auth': stack.sims.cupix.demoToken } });
    const ids = ((await res.json()) as { result: { data: { id: string }[] } }).result.data.map((p) => p.id).slice(0, N);
    expect(ids).toHaveLength(N);
    const data = await gated('cupix', aliased('pointcloud', ids, 'id'), ids);
    expect(Object.values(data).map((p) => p.id)).toEqual(ids);
  });
});
