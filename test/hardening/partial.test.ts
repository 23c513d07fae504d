import { print } from 'graphql';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DashboardDocument } from '../generated/graphql.js';
import { errorPaths, startRig, type Rig, type Vendor } from './hardening.helpers.js';

/** The dashboard (all three vendors in one request) while one vendor is down. */
let rig: Rig;
beforeAll(async () => {
  rig = await startRig({ env: { UPSTREAM_RETRIES: '1', UPSTREAM_BREAKER_WINDOW: '10000', UPSTREAM_BREAKER_MIN_CALLS: '10000' } });
});
afterAll(() => rig?.close());
beforeEach(() => rig.clearFaults());

const DASHBOARD = print(DashboardDocument);
type Dashboard = { projects: unknown; flowExecutions: unknown; pointclouds: unknown };
const FIELD: Record<Vendor, keyof Dashboard> = { mapflow: 'projects', flai: 'flowExecutions', cupix: 'pointclouds' };

describe('partial results', () => {
  it.each(['mapflow', 'flai', 'cupix'] as const)('%s down (503 on everything): the other two vendors\' data, and one coded error on exactly its field', async (down) => {
    const healthy = await rig.gql<Dashboard>(DASHBOARD);
    expect(healthy.errors).toBeUndefined();
    rig.sims[down].faults.set({ errorRate: 1, errorStatuses: [503] });
    const r = await rig.gql<Dashboard>(DASHBOARD);
    expect(r.status).toBe(200);
    for (const v of ['mapflow', 'flai', 'cupix'] as const) {
      expect(r.data?.[FIELD[v]]).toEqual(v === down ? null : healthy.data?.[FIELD[v]]);
    }
    expect(errorPaths(r)).toEqual([[FIELD[down], 'UPSTREAM_UNAVAILABLE', down.toUpperCase()]]);
    expect(r.errors?.[0].extensions?.upstreamStatus).toBe(503);
  });
});
