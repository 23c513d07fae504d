import { describe, expect } from 'vitest';
import { GatewayTenDatasetsDocument, GatewayTenPointcloudsDocument, GatewayTenProcessingsDocument } from '../generated/graphql.js';
import { jsonOf, startStack, test as stackTest, type GqlResponse, type Stack } from '../helpers/stack.helpers.js';
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

type Proxies = Record<'mapflow' | 'flai' | 'cupix', GateProxy>;

/** A page of Cupix point clouds listed with `fields=id`. */
interface CupixIdPage {
  result: { data: { id: string }[] };
}

/** `proxies`: a gate proxy in front of each vendor's by-id route; `stack`: the gateway pointed at them. */
const test = stackTest
  // eslint-disable-next-line no-empty-pattern -- vitest reads a fixture's dependencies from its destructuring: none here
  .extend('proxies', { scope: 'file' }, async ({}, { onCleanup }) => {
    const [mapflow, flai, cupix] = await Promise.all([
      startGateProxy((m, p) => m === 'GET' && /^\/rest\/processings\/[^/]+\/v2$/.test(p)),
      startGateProxy((m, p) => m === 'GET' && /^\/api\/v1\/organization\/[^/]+\/datasets\/[^/]+$/.test(p)),
      startGateProxy((m, p) => m === 'GET' && /^\/api\/v1\/pointclouds\/[^/]+$/.test(p)),
    ]);
    const proxies: Proxies = { mapflow, flai, cupix };
    onCleanup(async () => {
      await Promise.all(Object.values(proxies).map((p) => p.close()));
    });
    return proxies;
  })
  .extend('stack', { scope: 'file' }, async ({ proxies }, { onCleanup }) => {
    const stack = await startStack({
      env: {
        MAPFLOW_URL: `${proxies.mapflow.origin}/rest`,
        FLAI_URL: proxies.flai.origin,
        CUPIX_URL: `${proxies.cupix.origin}/api/v1`,
        UPSTREAM_CONCURRENCY: String(LIMIT),
      },
    });
    onCleanup(() => stack.close());
    // The gateway is pointed at the proxies; the proxies at the stack's simulators once they are up.
    proxies.mapflow.target = stack.sims.mapflow.origin;
    proxies.flai.target = stack.sims.flai.origin;
    proxies.cupix.target = stack.sims.cupix.origin;
    return stack;
  });

/** The ten ids as the variables `$x0`..`$x9` of the GatewayTen* documents. */
function tenIds(ids: string[]) {
  const [x0, x1, x2, x3, x4, x5, x6, x7, x8, x9] = ids;
  return { x0, x1, x2, x3, x4, x5, x6, x7, x8, x9 };
}

async function gated<T extends Record<string, { id: string } | null>>(
  { stack, proxies }: { stack: Stack; proxies: Proxies },
  vendor: keyof Proxies,
  send: () => Promise<GqlResponse<T>>,
  ids: string[],
): Promise<T | null | undefined> {
  const proxy = proxies[vendor];
  proxy.reset();
  proxy.gate = { open: LIMIT, expected: ids.length };
  stack.resetCounts();
  try {
    const r = await send();
    expect(r.errors).toBeUndefined();
    expect(proxy.maxInFlight).toBe(LIMIT);
    expect(stack.calls(vendor)).toBe(ids.length);
    return r.data;
  } finally {
    proxy.gate = null;
  }
}

describe(`UPSTREAM_CONCURRENCY=${LIMIT}`, () => {
  test(`Mapflow: ${N} processings by id, at most ${LIMIT} calls at once`, async ({ stack, proxies }) => {
    const ids = [...tenantData(stack, 'alpha').processings.keys()].slice(0, N);
    expect(ids).toHaveLength(N);
    const data = await gated({ stack, proxies }, 'mapflow', () => stack.op(GatewayTenProcessingsDocument, tenIds(ids)), ids);
    expect(Object.values(data ?? {}).map((p) => p?.id)).toEqual(ids);
  });

  test(`Flai: datasets by id, at most ${LIMIT} calls at once`, async ({ stack, proxies }) => {
    const ids = (await flaiVendor<RawPage>(stack, '/datasets?per_page=100', FLAI_ALPHA)).items.map((d) => String(d.id)).slice(0, N);
    expect(ids.length).toBeGreaterThan(LIMIT + 1);
    const data = await gated({ stack, proxies }, 'flai', () => stack.op(GatewayTenDatasetsDocument, tenIds(ids)), ids);
    expect(Object.values(data ?? {}).map((d) => d?.id)).toEqual(ids);
  });

  test(`Cupix: ${N} pointclouds by id, at most ${LIMIT} calls at once`, async ({ stack, proxies }) => {
    const res = await fetch(`${stack.sims.cupix.url}/pointclouds?fields=id&per_page=100&pointcloud_type=all`, { headers: { 'x-cupix-auth': stack.sims.cupix.demoToken } });
    const ids = (await jsonOf<CupixIdPage>(res)).result.data.map((p) => p.id).slice(0, N);
    expect(ids).toHaveLength(N);
    const data = await gated({ stack, proxies }, 'cupix', () => stack.op(GatewayTenPointcloudsDocument, tenIds(ids)), ids);
    expect(Object.values(data ?? {}).map((p) => p?.id)).toEqual(ids);
  });
});
