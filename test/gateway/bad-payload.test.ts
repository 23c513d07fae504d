import { describe, expect } from 'vitest';
import { CORRUPT_BODY } from '../../src/simulators/core/faults.js';
import { GatewayOneFieldPerVendorDocument } from '../generated/graphql.js';
import { test } from '../helpers/stack.helpers.js';
import { doc } from './mapflow.helpers.js';

/**
 * A vendor that answers 200 with a payload of the wrong shape (the simulators' `corruptRate`
 * fault): the fields that need it fail with UPSTREAM_BAD_RESPONSE, the other vendors' data arrives,
 * and the process keeps serving.
 */

test.beforeEach(({ stack }) => {
  for (const s of [stack.sims.mapflow, stack.sims.flai, stack.sims.cupix]) s.faults.set(null);
});

const PROCESSING = doc<{ id: string }>('processing.json').id;
const EXECUTION = 'df7d6f87-2f00-4e66-9dbd-5636ef486a0e';
const IDS = { p: PROCESSING, e: EXECUTION, c: '5310' };
const ALL = {
  processing: { id: PROCESSING, status: 'OK' },
  flowExecution: { id: EXECUTION, state: 'RUNNING' },
  pointcloud: { id: '5310', kind: 'SUB' },
};

describe('a malformed vendor payload', () => {
  test('the simulator fault answers 200 with a body of no vendor shape', async ({ stack }) => {
    stack.sims.mapflow.faults.set({ corruptRate: 1, count: 1 });
    const res = await fetch(`${stack.sims.mapflow.url}/processings/${PROCESSING}/v2`, { headers: { authorization: `Basic ${stack.sims.mapflow.demoToken}` } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual(CORRUPT_BODY);
  });

  test.for([
    ['mapflow', 'processing', 'MAPFLOW', /^Mapflow sent an unexpected processing: /],
    ['flai', 'flowExecution', 'FLAI', /^Flai sent an unexpected flow execution: /],
    ['cupix', 'pointcloud', 'CUPIX', /^Cupix sent an unexpected pointcloud: /],
  ] as const)('from %s: UPSTREAM_BAD_RESPONSE on its field only, the rest arrives', async ([vendor, field, source, message], { stack }) => {
    // Only the by-id route: Flai's one-time /oauth/me must not be the one that breaks.
    const route = { mapflow: 'GET /processings/{id}/v2', flai: 'GET /organization/{orgId}/flow-executions/{executionId}', cupix: 'GET /pointclouds/{id}' }[vendor];
    stack.sims[vendor].faults.set({ corruptRate: 1, route });
    const r = await stack.op(GatewayOneFieldPerVendorDocument, IDS);
    expect(r.status).toBe(200);
    expect(r.data).toEqual({ ...ALL, [field]: null });
    expect(r.errors).toHaveLength(1);
    expect(r.errors?.[0]).toMatchObject({ path: [field], extensions: { code: 'UPSTREAM_BAD_RESPONSE', source, upstreamStatus: 200 } });
    expect(r.errors?.[0].message).toMatch(message);

    // Still serving: once the vendor is sane again, the same request is whole.
    stack.sims[vendor].faults.set(null);
    expect(await stack.op(GatewayOneFieldPerVendorDocument, IDS)).toMatchObject({ data: ALL });
  });
});
