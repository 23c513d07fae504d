import { describe, expect } from 'vitest';
import { FLAI_DOCUMENTED, seededDownloadId } from '../../src/simulators/flai/index.js';
import { ALPHA, BETA, ORG_A, ORG_B, api, fixture, startFrozen, test, type Json, type Sim } from './flai.helpers.js';

type Paged = { items: Json[]; pagination: { total_items: number; total_pages: number; current_page: number; per_page: number } };


describe('flai auth and tenant separation', () => {
  test('answers 401 Unauthenticated. without a token, with a wrong token, and with a non-Bearer scheme', async ({ sim }) => {
    for (const token of [null, '1|not-a-real-token', `${ALPHA.token}x`]) {
      const res = await api(sim, `${ORG_A}/datasets`, { token });
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ message: 'Unauthenticated.' });
    }
    const basic = await fetch(`${sim.url}/oauth/me`, { headers: { authorization: `Basic ${ALPHA.token}` } });
    expect(basic.status).toBe(401);
  });

  test("answers 403 for another tenant's organization and 404 for an unknown one", async ({ sim }) => {
    const foreign = await api(sim, `${ORG_A}/datasets`, { token: BETA.token });
    expect(foreign.status).toBe(403);
    expect(foreign.body).toEqual({ message: 'This action is unauthorized.' });
    const unknown = await api(sim, '/organization/11111111-2222-4333-8444-555555555555/datasets');
    expect(unknown.status).toBe(404);
    expect(unknown.body.message).toMatch(/^No query results for model \[App\\Models\\Organization\]/);
  });

  test("never shows one tenant's records to another (a foreign id is a 404 in Flai's shape)", async ({ sim }) => {
    const paths = [
      `/flow-executions/${FLAI_DOCUMENTED.executionId}`,
      `/datasets/${FLAI_DOCUMENTED.inputDatasetId}`,
      `/flows/${FLAI_DOCUMENTED.templateFlowId}`,
      `/downloads/${seededDownloadId('alpha')}`,
    ];
    for (const p of paths) {
      expect((await api(sim, ORG_A + p)).status).toBe(200);
      const res = await api(sim, ORG_B + p, { token: BETA.token });
      expect(res.status).toBe(404);
      expect(res.body.message).toMatch(/^No query results for model \[App\\Models\\\w+\] /);
    }
    const a = await api<Paged>(sim, `${ORG_A}/datasets?per_page=200`);
    const b = await api<Paged>(sim, `${ORG_B}/datasets?per_page=200`, { token: BETA.token });
    const aIds = new Set(a.body.items.map((d) => d.id));
    expect(b.body.items.length).toBeGreaterThan(10);
    expect(b.body.items.filter((d) => aIds.has(d.id))).toEqual([]);
    expect(b.body.items.every((d) => d.organization_id === BETA.orgId)).toBe(true);
  });

  test('adds a tenant with its own deterministic seed through /__sim/tenants', async ({ sim }) => {
    const add = (s: Sim) =>
      fetch(`${s.origin}/__sim/tenants`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'gamma', token: '5|gammaToken' }) });
    expect((await add(sim)).status).toBe(201);
    const me = await api(sim, '/oauth/me', { token: '5|gammaToken' });
    expect(me.status).toBe(200);
    const org = me.body.active_organization_id as string;
    expect([ALPHA.orgId, BETA.orgId]).not.toContain(org);
    const mine = await api<Paged>(sim, `/organization/${org}/datasets?per_page=200`, { token: '5|gammaToken' });
    expect(mine.body.items.length).toBeGreaterThan(5);
    expect((await api(sim, `${ORG_A}/datasets`, { token: '5|gammaToken' })).status).toBe(403);

    const other = await startFrozen();
    try {
      await add(other);
      const again = await api<Paged>(other, `/organization/${org}/datasets?per_page=200`, { token: '5|gammaToken' });
      expect(again.body.items.map((d) => [d.id, d.dataset_name])).toEqual(mine.body.items.map((d) => [d.id, d.dataset_name]));
    } finally {
      await other.close();
    }
  });
});

describe('flai error shapes', () => {
  test('answers 422 with Laravel field errors for an invalid dataset', async ({ sim }) => {
    const res = await api(sim, `${ORG_A}/datasets`, {
      body: { dataset_type_key: 'mesh', unit: 'yards', srid: 'abc', import_datasource: { datasource_type: 'ftp', path: '/x', credentials: { ftp_username: 'u' } } },
    });
    expect(res.status).toBe(422);
    expect(res.body.message).toBe('The given data was invalid.');
    expect(res.body.errors).toEqual({
      dataset_name: ['The dataset name field is required.'],
      dataset_type_key: ['The selected dataset type key is invalid.'],
      unit: ['The selected unit is invalid.'],
      srid: ['The srid must be an integer.'],
      'import_datasource.credentials.ftp_password': ['The import datasource.credentials.ftp password field is required.'],
    });
  });

  test('requires the chosen S3 credential keys and keeps them out of the dataset', async ({ sim }) => {
    const base = { dataset_name: 'From S3', dataset_type_key: 'raster', import_datasource: { datasource_type: 's3', path: '/tiles' } };
    const missing = await api(sim, `${ORG_A}/datasets`, { body: { ...base, import_datasource: { ...base.import_datasource, credentials: {} } } });
    expect(missing.status).toBe(422);
    expect(Object.keys(missing.body.errors as Json).sort()).toEqual([
      'import_datasource.credentials.s3_access_key_id',
      'import_datasource.credentials.s3_bucket',
      'import_datasource.credentials.s3_secret_access_key',
    ]);
    const credentials = { s3_access_key_id: 'AKIAEXAMPLE', s3_secret_access_key: 'sEcReT/KEY', s3_bucket: 'survey', s3_region: 'eu-central-1' };
    const ok = await api(sim, `${ORG_A}/datasets`, { body: { ...base, import_datasource: { ...base.import_datasource, credentials } } });
    expect(ok.status).toBe(200);
    expect(JSON.stringify(ok.body)).not.toMatch(/AKIAEXAMPLE|sEcReT|credentials/);
  });

  test('answers 422 for an unknown flow, an unknown node key and a reader without an existing dataset', async ({ sim }) => {
    const blog = fixture<{ flow_id: string; flow_node_options: Record<string, Json> }>('flow-template-execution-request.json');
    const unknownFlow = await api(sim, `${ORG_A}/flow-template-execution`, { body: { ...blog, flow_id: '00000000-0000-4000-8000-000000000000' } });
    expect(unknownFlow.status).toBe(422);
    expect(unknownFlow.body.errors).toEqual({ flow_id: ['The selected flow id is invalid.'] });

    const badKey = await api(sim, `${ORG_A}/flow-template-execution`, { body: { ...blog, flow_node_options: { ...blog.flow_node_options, lidar_magic_9: {} } } });
    expect(badKey.status).toBe(422);
    expect(Object.keys(badKey.body.errors as Json)).toEqual(['flow_node_options.lidar_magic_9']);

    const noDataset = await api(sim, `${ORG_A}/flow-template-execution`, {
      body: { ...blog, flow_node_options: { ...blog.flow_node_options, point_cloud_reader_1: { dataset_id: '99999999-0000-4000-8000-000000000000' } } },
    });
    expect(noDataset.status).toBe(422);
    expect(noDataset.body.errors).toEqual({ 'flow_node_options.point_cloud_reader_1.dataset_id': ['The selected flow node options.point cloud reader 1.dataset id is invalid.'] });

    // A flow of another tenant is not a flow of this organization.
    const beta = await api(sim, `${ORG_B}/flow-template-execution`, { token: BETA.token, body: blog });
    expect(beta.status).toBe(422);
    expect(Object.keys(beta.body.errors as Json)).toEqual(['flow_id']);
    expect((await api(sim, `${ORG_A}/flow-template-execution`, { body: {} })).body.errors).toEqual({ flow_id: ['The flow id field is required.'] });
  });

  test('answers 422 for a download of an unknown or foreign dataset', async ({ sim }) => {
    const res = await api(sim, `${ORG_B}/downloads`, { token: BETA.token, body: { items: [{ model_name: 'datasets', model_id: FLAI_DOCUMENTED.inputDatasetId }] } });
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual({ 'items.0.model_id': ['The selected items.0.model id is invalid.'] });
    expect((await api(sim, `${ORG_A}/downloads`, { body: { items: [] } })).status).toBe(422);
  });

  test("answers an unknown route with 404, a wrong method with 405 and malformed JSON with 400, all as {message}", async ({ sim }) => {
    const route = await api(sim, `${ORG_A}/no-such-thing`);
    expect(route.status).toBe(404);
    expect(route.body).toEqual({ message: `The route api/v1${ORG_A}/no-such-thing could not be found.` });
    const method = await api(sim, `${ORG_A}/flow-templates`, { method: 'DELETE' });
    expect(method.status).toBe(405);
    expect(typeof method.body.message).toBe('string');
    const bad = await api(sim, `${ORG_A}/datasets`, { body: '{"dataset_name": ' });
    expect(bad.status).toBe(400);
    expect(typeof bad.body.message).toBe('string');
  });
});

describe('flai pagination', () => {
  test('pages datasets with {items, pagination} and page/per_page', async ({ sim }) => {
    const all = await api<Paged>(sim, `${ORG_A}/datasets?per_page=200`);
    const total = all.body.pagination.total_items;
    expect(all.body.items).toHaveLength(total);
    const p1 = await api<Paged>(sim, `${ORG_A}/datasets?per_page=5`);
    const p2 = await api<Paged>(sim, `${ORG_A}/datasets?per_page=5&page=2`);
    expect(p1.body.pagination).toEqual({ total_items: total, total_pages: Math.ceil(total / 5), current_page: 1, per_page: 5 });
    expect(p2.body.pagination.current_page).toBe(2);
    expect([...p1.body.items, ...p2.body.items].map((d) => d.id)).toEqual(all.body.items.slice(0, 10).map((d) => d.id));
    const beyond = await api<Paged>(sim, `${ORG_A}/datasets?per_page=5&page=999`);
    expect(beyond.body.items).toEqual([]);
    const dflt = await api<Paged>(sim, `${ORG_A}/datasets`);
    expect(dflt.body.pagination.per_page).toBe(20);
  });

  test('sorts, filters and validates list parameters', async ({ sim }) => {
    const desc = await api<Paged>(sim, `${ORG_A}/flow-executions?per_page=200`);
    const asc = await api<Paged>(sim, `${ORG_A}/flow-executions?per_page=200&order_direction=asc`);
    expect(asc.body.items.map((e) => e.id)).toEqual([...desc.body.items].reverse().map((e) => e.id));
    const failed = await api<Paged>(sim, `${ORG_A}/flow-executions?filter[status]=failed`);
    expect(failed.body.items.length).toBeGreaterThan(0);
    expect(failed.body.items.every((e) => e.status === 'failed')).toBe(true);
    const byFlow = await api<Paged>(sim, `${ORG_A}/flow-executions?filter[flow_id]=${FLAI_DOCUMENTED.executionFlowId}`);
    expect(byFlow.body.items.map((e) => e.id)).toContain(FLAI_DOCUMENTED.executionId);
    expect(byFlow.body.items.every((e) => e.flow_id === FLAI_DOCUMENTED.executionFlowId)).toBe(true);
    const vectors = await api<Paged>(sim, `${ORG_A}/datasets?filter[dataset_type_key]=vector`);
    expect(vectors.body.items.every((d) => d.dataset_type_key === 'vector')).toBe(true);
    for (const q of ['per_page=0', 'per_page=500', 'order_by=password', 'order_direction=up']) {
      const res = await api(sim, `${ORG_A}/datasets?${q}`);
      expect(res.status).toBe(422);
      expect(res.body.message).toBe('The given data was invalid.');
    }
  });

  test('can serve bare arrays instead (listEnvelope: array)', async () => {
    const bare = await startFrozen({ listEnvelope: 'array' });
    try {
      const res = await api<Json[]>(bare, `${ORG_A}/flow-executions`);
      expect(Array.isArray(res.body)).toBe(true);
      expect(res.body.map((e) => e.id)).toContain(FLAI_DOCUMENTED.executionId);
    } finally {
      await bare.close();
    }
  });
});
