import { describe, expect } from 'vitest';
import { DashboardDocument, type DashboardQuery } from '../generated/graphql.js';
import { errorPaths, test, type Vendor } from './hardening.helpers.js';

/** The dashboard (all three vendors in one request) while one vendor is down. */
test.override('rigOptions', { env: { UPSTREAM_RETRIES: '1', UPSTREAM_BREAKER_WINDOW: '10000', UPSTREAM_BREAKER_MIN_CALLS: '10000' } });
test.beforeEach(({ rig }) => rig.clearFaults());

const FIELD: Record<Vendor, keyof DashboardQuery> = { mapflow: 'projects', flai: 'flowExecutions', cupix: 'pointclouds' };

describe('partial results', () => {
  test.for(['mapflow', 'flai', 'cupix'] as const)('%s down (503 on everything): the other two vendors\' data, and one coded error on exactly its field', async (down, { rig }) => {
    const healthy = await rig.op(DashboardDocument);
    expect(healthy.errors).toBeUndefined();
    rig.sims[down].faults.set({ errorRate: 1, errorStatuses: [503] });
    const r = await rig.op(DashboardDocument);
    expect(r.status).toBe(200);
    for (const v of ['mapflow', 'flai', 'cupix'] as const) {
      expect(r.data?.[FIELD[v]]).toEqual(v === down ? null : healthy.data?.[FIELD[v]]);
    }
    expect(errorPaths(r)).toEqual([[FIELD[down], 'UPSTREAM_UNAVAILABLE', down.toUpperCase()]]);
    expect(r.errors?.[0].extensions?.upstreamStatus).toBe(503);
  });
});
