import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CORRUPT_BODY } from '../../src/simulators/core/faults.js';
import { startStack, type Stack } from '../helpers/stack.helpers.js';
import { doc } from './mapflow.helpers.js';

/**
 * A vendor that answers 200 with a payload of the wrong shape (the simulators' `corruptRate`
 * fault): the fields that need it fail with UPSTREAM_BAD_RESPONSE, the other vendors' data arrives,
 * and the process keeps serving.
 */

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.close());
beforeEach(() => {
  for (const s of [stack.sims.mapflow, stack.sims.flai, stack.sims.cupix]) s.faults.set(null);
});

const PROCESSING = doc<{ id: string }>('processing.json').id;
const EXECUTION = 'df7d6f87-2f00-4e66-9dbd-5636ef486a0e';
const QUERY = `query($p: ID!, $e: ID!) { processing(id: $p) { id status } flowExecution(id: $e) { id state } pointcloud(id: "5310") { id kind } }`;
const ALL = {
  processing: { id: PROCESSING, status: 'OK' },
  flowExecution: { id: EXECUTION, state: 'RUNNING' },
  pointcloud: { id: '5310', kind: 'SUB' },
};

describe('a malformed vendor payload', () => {
  it('the simulator fault answers 200 with a body of no vendor shape', async () => {
    stack.sims.mapflow.faults.set({ corruptRate: 1, count: 1 });
    const res = await fetch(`${stack.sims.mapflow.url}/processings/${PROCESSING}/v2`, { headers: { authorization: `Basic ${stack.sims.mapflow.demoToken}` } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual(CORRUPT_BODY);
  });

  it.each([
    ['mapflow', 'processing', 'MAPFLOW', /^Mapflow sent an unexpected processing: /],
    ['flai', 'flowExecution', 'FLAI', /^Flai sent an unexpected flow execution: /],
    ['cupix', 'pointcloud', 'CUPIX', /^Cupix sent an unexpected pointcloud: /],
  ] as const)('from %s: UPSTREAM_BAD_RESPONSE on its field only, the rest arrives', async (vendor, field, source, message) => {
    // Only the by-id route: Flai's one-time /oauth/me must not be the one that breaks.
    const route = { mapflow: 'GET /processings/{id}/v2', flai: 'GET /organization/{orgId}/flow-executions/{executionId}', cupix: 'GET /pointclouds/{id}' }[vendor];
    stack.sims[vendor].faults.set({ corruptRate: 1, route });
    const r = await stack.gql(QUERY, { p: PROCESSING, e: EXECUTION });
    expect(r.status).toBe(200);
    expect(r.data).toEqual({ ...ALL, [field]: null });
    expect(r.errors).toHaveLength(1);
    expect(r.errors?.[0]).toMatchObject({ path: [field], extensions: { code: 'UPSTREAM_BAD_RESPONSE', source, upstreamStatus: 200 } });
    expect(r.errors?.[0].message).toMatch(message);

    // Still serving: once the vendor is sane again, the same request is whole.
    stack.sims[vendor].faults.set(null);
    expect(await stack.gql(QUERY, { p: PROCESSING, e: EXECUTION })).toMatchObject({ data: ALL });
  });
});
