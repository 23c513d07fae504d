import { describe, expect } from 'vitest';
import {
  MapflowAccountDefaultWithOthersDocument,
  MapflowAccountEmailDocument,
  MapflowAccountProjectsProcessingDocument,
  MapflowAccountWithOthersDocument,
  MapflowCreateProjectDocument,
  MapflowEverythingWithOthersDocument,
  MapflowProcessingAoisDocument,
  MapflowTenantViewDocument,
} from '../generated/graphql.js';
import { test } from '../helpers/stack.helpers.js';
import { ALPHA_TOKEN, BETA_TOKEN, doc, tenantData, vendor } from './mapflow.helpers.js';

/** Credentials, tenants and failures: only the fields that need Mapflow are touched. */

const DOC_ID = doc<{ id: string }>('processing.json').id;

const withoutCredential = test.extend('stackOptions', { scope: 'file' }, { env: { MAPFLOW_TOKEN: '' } });

describe('with the server credential', () => {
  test.afterEach(({ stack }) => {
    stack.sims.mapflow.faults.set(null);
    stack.resetCounts();
  });

  test("uses another tenant's token from x-mapflow-token for that request only", async ({ stack }) => {
    const beta = tenantData(stack, 'beta');
    const oracle = await vendor<{ results: { id: string }[] }>(stack, 'POST', '/projects/page', { limit: 100, offset: 0, sortBy: 'CREATED', sortOrder: 'DESC' }, BETA_TOKEN);
    const asBeta = await stack.op(MapflowAccountProjectsProcessingDocument, { id: DOC_ID }, { 'x-mapflow-token': BETA_TOKEN });
    expect(asBeta.errors).toBeUndefined();
    expect(asBeta.data).toEqual({
      account: { email: beta.email },
      projects: { totalCount: beta.projects.size, nodes: oracle.results.map((p) => ({ id: p.id })) },
      processing: null,
    });
    const asServer = await stack.op(MapflowAccountProjectsProcessingDocument, { id: DOC_ID });
    expect(asServer.data).toMatchObject({ account: { email: 'admin@geoalert.io' }, processing: { id: DOC_ID } });
    expect(stack.sims.mapflow.stats.snapshot().byTenant).toEqual({ alpha: 3, beta: 4 });
  });

  test('serves two tenants in parallel with zero cross-over', async ({ stack }) => {
    const ids = (name: 'alpha' | 'beta') => new Set([...tenantData(stack, name).processings.keys()]);
    const [alphaIds, betaIds] = [ids('alpha'), ids('beta')];
    const runs = await Promise.all(
      Array.from({ length: 12 }, (_, i) => {
        const token = i % 2 ? BETA_TOKEN : ALPHA_TOKEN;
        return stack.op(MapflowTenantViewDocument, {}, { 'x-mapflow-token': token });
      }),
    );
    runs.forEach((r, i) => {
      const [mine, theirs, tenant] = i % 2 ? [betaIds, alphaIds, 'beta' as const] : [alphaIds, betaIds, 'alpha' as const];
      expect(r.errors).toBeUndefined();
      expect(r.data?.account?.email).toBe(tenantData(stack, tenant).email);
      const seen = [...(r.data?.processings?.nodes.map((n) => n.id) ?? []), ...(r.data?.projects?.nodes.flatMap((p) => p.processings?.nodes.map((n) => n.id) ?? []) ?? [])];
      expect(seen.length).toBeGreaterThan(0);
      expect(seen.every((id) => mine.has(id) && !theirs.has(id))).toBe(true);
      const projects = tenantData(stack, tenant).projects;
      expect(r.data?.projects?.nodes.every((p) => projects.has(p.id))).toBe(true);
    });
  });

  test('gives UNAUTHENTICATED (the vendor said 401) for a wrong token, on the Mapflow fields only', async ({ stack }) => {
    const r = await stack.op(MapflowAccountWithOthersDocument, {}, { 'x-mapflow-token': 'd3Jvbmc6dG9rZW4=' });
    expect(r.data).toMatchObject({ account: null, datasets: { totalCount: expect.any(Number) }, pointclouds: { totalCount: expect.any(Number) } });
    expect(r.errors).toEqual([
      expect.objectContaining({ path: ['account'], extensions: expect.objectContaining({ code: 'UNAUTHENTICATED', source: 'MAPFLOW', upstreamStatus: 401 }) }),
    ]);
  });

  test('returns partial data when Mapflow answers 500: errors on exactly the failed paths', async ({ stack }) => {
    stack.sims.mapflow.faults.set({ errorRate: 1, errorStatuses: [500] });
    const r = await stack.op(MapflowEverythingWithOthersDocument, { id: DOC_ID });
    expect(r.data).toEqual({
      account: null,
      processing: null,
      projects: null,
      datasets: { totalCount: expect.any(Number) },
      pointclouds: { totalCount: expect.any(Number) },
    });
    expect(r.errors?.map((e) => [e.path, e.extensions]).sort()).toEqual(
      [['account'], ['processing'], ['projects']].map((path) => [path, { code: 'UPSTREAM_ERROR', source: 'MAPFLOW', upstreamStatus: 500, vendorCode: 'INTERNAL_SERVER_ERROR' }]).sort(),
    );
    expect(r.errors?.every((e) => e.message === 'Mapflow: Internal server error')).toBe(true);
  });

  test('fails only the nested field whose call failed (AOIs down, processing up)', async ({ stack }) => {
    stack.sims.mapflow.faults.set({ errorRate: 1, errorStatuses: [503], route: 'GET /processings/{id}/aois' });
    const r = await stack.op(MapflowProcessingAoisDocument, { id: DOC_ID });
    expect(r.data).toEqual({ processing: { id: DOC_ID, name: 'Test processing', aois: null } });
    expect(r.errors).toEqual([
      expect.objectContaining({
        message: 'Mapflow: HTTP 503',
        path: ['processing', 'aois'],
        extensions: { code: 'UPSTREAM_UNAVAILABLE', source: 'MAPFLOW', upstreamStatus: 503 },
      }),
    ]);
  });

  test('maps a 429 to RATE_LIMITED with retryAfter', async ({ stack }) => {
    stack.sims.mapflow.faults.set({ rateLimitRate: 1, retryAfterSeconds: 7 });
    const r = await stack.op(MapflowAccountEmailDocument);
    expect(r.errors?.[0]).toMatchObject({
      message: 'Mapflow: Too many requests, retry later',
      extensions: { code: 'RATE_LIMITED', source: 'MAPFLOW', upstreamStatus: 429, retryAfter: 7 },
    });
  });
});

describe('without a server credential', () => {
  withoutCredential('fails the Mapflow fields with UNAUTHENTICATED and serves the rest, without calling Mapflow', async ({ stack }) => {
    stack.resetCounts();
    const r = await stack.op(MapflowAccountDefaultWithOthersDocument);
    expect(r.data).toMatchObject({ account: null, defaultProject: null, datasets: { totalCount: expect.any(Number) }, pointclouds: { totalCount: expect.any(Number) } });
    const message = 'Mapflow credentials missing: set MAPFLOW_TOKEN or send x-mapflow-token';
    expect(r.errors?.map((e) => [e.path, e.message, e.extensions]).sort()).toEqual([
      [['account'], message, { code: 'UNAUTHENTICATED', source: 'MAPFLOW' }],
      [['defaultProject'], message, { code: 'UNAUTHENTICATED', source: 'MAPFLOW' }],
    ]);
    expect(stack.calls('mapflow')).toBe(0);
  });

  withoutCredential('fails a Mapflow mutation the same way, and works with the header', async ({ stack }) => {
    const r = await stack.op(MapflowCreateProjectDocument, { name: 'x' });
    expect(r.errors?.[0].extensions).toEqual({ code: 'UNAUTHENTICATED', source: 'MAPFLOW' });
    const ok = await stack.op(MapflowAccountEmailDocument, {}, { 'x-mapflow-token': BETA_TOKEN });
    expect(ok).toMatchObject({ data: { account: { email: tenantData(stack, 'beta').email } } });
    expect(ok.errors).toBeUndefined();
  });
});
