import { describe, expect } from 'vitest';
import { FLAI_DOCUMENTED, FLAI_TIMINGS, seededDownloadId } from '../../src/simulators/flai/index.js';
import { shapeDiff } from '../helpers/shape.helpers.js';
import { ALPHA, BETA, ORG_A, advance, api, fixture, test, type Json } from './flai.helpers.js';
import { adminJson, type OpenApiDoc } from './sim-admin.helpers.js';

type Paged = { items: Json[]; pagination: Json };


describe('flai contract: documented examples', () => {
  test('serves the blog FlowExecution verbatim (same ids, values, formats)', async ({ sim }) => {
    const example = fixture('flow-execution.json');
    const res = await api(sim, `${ORG_A}/flow-executions/${FLAI_DOCUMENTED.executionId}`);
    expect(res.status).toBe(200);
    expect(shapeDiff(res.body, example)).toEqual([]);
    expect(res.body).toEqual(example);
  });

  test('lists the documented execution and its output dataset like the example', async ({ sim }) => {
    const example = fixture('flow-execution.json');
    const list = await api<Paged>(sim, `${ORG_A}/flow-executions?per_page=200`);
    const found = list.body.items.find((e) => e.id === FLAI_DOCUMENTED.executionId);
    expect(found).toEqual(example);
    for (const item of list.body.items) expect(shapeDiff(item, { ...example, started_at: null })).toEqual([]);
    const ds = await api(sim, `${ORG_A}/datasets/${FLAI_DOCUMENTED.outputDatasetId}`);
    expect(ds.body).toMatchObject({ id: FLAI_DOCUMENTED.outputDatasetId, dataset_name: 'Writer 1', dataset_status: 'created', dataset_data_size_in_gb: '0' });
  });

  test('holds the flows whose node keys are the blog flow_node_options keys', async ({ sim }) => {
    const body = fixture<{ flow_id: string; flow_node_options: Record<string, Json> }>('flow-template-execution-request.json');
    const keys = Object.keys(body.flow_node_options);
    for (const id of [body.flow_id, FLAI_DOCUMENTED.executionFlowId]) {
      const res = await api<{ flow_nodes: Json[]; flow_edges: Json[] }>(sim, `${ORG_A}/flows/${id}?decorators=flow_nodes,flow_edges`);
      expect(res.status).toBe(200);
      expect(res.body.flow_nodes.map((n) => n.flow_node_key)).toEqual(keys);
      expect(res.body.flow_nodes.map((n) => n.type)).toEqual(['reader', 'processor', 'processor', 'writer', 'writer']);
      expect(res.body.flow_edges).toHaveLength(4);
      for (const n of res.body.flow_nodes) {
        expect(Object.keys(n)).toEqual(expect.arrayContaining(['id', 'flow_node_key', 'flow_node_definition_id', 'flow_node_execution_id', 'type', 'options']));
      }
    }
    const template = await api<{ flow_nodes: { flow_node_key: string; options: Json }[] }>(sim, `${ORG_A}/flows/${body.flow_id}?decorators=flow_nodes`);
    expect(template.body.flow_nodes.find((n) => n.flow_node_key === 'point_cloud_reader_1')?.options.dataset_id).toBe(FLAI_DOCUMENTED.inputDatasetId);
    const plain = await api(sim, `${ORG_A}/flows/${body.flow_id}`);
    expect(plain.body).not.toHaveProperty('flow_nodes');
    expect(plain.body).not.toHaveProperty('flow_edges');
  });

  test('accepts the blog create-dataset body verbatim and never serves its credentials', async ({ sim }) => {
    const body = fixture('create-dataset-request.json');
    const res = await api(sim, `${ORG_A}/datasets`, { body });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      dataset_name: 'New pointcloud from FTP',
      dataset_type_key: 'pointcloud',
      read_write_mode: 'r',
      is_public: true,
      is_annotated: true,
      srid: 3794,
      unit: 'm',
      dataset_status: 'created',
      import_datasource: { datasource_type: 'ftp', path: '/test-dataset' },
    });
    const id = res.body.id as string;
    const got = await api(sim, `${ORG_A}/datasets/${id}`);
    const list = await api(sim, `${ORG_A}/datasets?per_page=200`);
    for (const text of [JSON.stringify(res.body), JSON.stringify(got.body), JSON.stringify(list.body)]) {
      expect(text).not.toContain('credentials');
      expect(text).not.toContain('my_password');
      expect(text).not.toContain('my_username');
    }
    expect(got.body).toEqual(res.body);
  });

  test('answers /oauth/me with the fields the SDK reads', async ({ sim }) => {
    const a = await api(sim, '/oauth/me');
    expect(shapeDiff(a.body, fixture('oauth-me.sdk-fields.json'))).toEqual([]);
    expect(a.body.active_organization_id).toBe(ALPHA.orgId);
    expect(a.body.id).toBe(FLAI_DOCUMENTED.userId);
    const b = await api(sim, '/oauth/me', { token: BETA.token });
    expect(b.body.active_organization_id).toBe(BETA.orgId);
    expect((b.body.organization as Json).name).not.toBe((a.body.organization as Json).name);
  });

  test('serves flow-templates as a bare array of {id, title}', async ({ sim }) => {
    const res = await api<Json[]>(sim, `${ORG_A}/flow-templates`);
    expect(Array.isArray(res.body)).toBe(true);
    expect(res.body.map((t) => t.id)).toContain('f8bc44aa-cfac-4461-948c-e2975e747a22');
    for (const t of res.body) expect(shapeDiff(t, { id: '00000000-0000-4000-8000-000000000000', title: 'x' })).toEqual([]);
  });

  test('serves the seeded prepared download with files and a presigned URL like the SDK expects', async ({ sim }) => {
    const res = await api(sim, `${ORG_A}/downloads/${seededDownloadId('alpha')}?decorators=files`);
    expect(res.status).toBe(200);
    expect(shapeDiff(res.body, fixture('download.sdk-fields.json'))).toEqual([]);
    expect(res.body.status).toBe('download-prepared');
    const file = (res.body.files as Json[])[0];
    const url = await api(sim, `${ORG_A}/file-downloads/${file.id as string}/download`);
    expect(shapeDiff(url.body, fixture('file-download-url.sdk-fields.json'))).toEqual([]);
    expect(url.body.url as string).toMatch(new RegExp(`^${sim.origin}/storage/`));
  });

  test('seeds several datasets of each type and a dozen executions in every status, with outputs', async ({ sim }) => {
    const ds = await api<Paged>(sim, `${ORG_A}/datasets?per_page=200`);
    for (const type of ['pointcloud', 'vector', 'raster', 'image']) {
      expect(ds.body.items.filter((d) => d.dataset_type_key === type && !String(d.dataset_name).includes('run')).length).toBeGreaterThanOrEqual(3);
    }
    const ex = await api<Paged>(sim, `${ORG_A}/flow-executions?per_page=200`);
    expect(ex.body.items.length).toBeGreaterThanOrEqual(12);
    const statuses = new Set(ex.body.items.map((e) => e.status));
    for (const s of ['queued', 'processing', 'finished', 'failed', 'stopped']) expect(statuses).toContain(s);
    for (const e of ex.body.items) expect((e.output_datasets as Json[]).length).toBeGreaterThan(0);
    const finished = ex.body.items.find((e) => e.status === 'finished') as Json;
    expect(typeof finished.total_execution_time).toBe('number');
    expect((finished.output_datasets as Json[]).every((o) => o.dataset_status === 'ready' && o.dataset_data_size_in_gb !== '0')).toBe(true);
    const stopped = ex.body.items.find((e) => e.status === 'stopped') as Json;
    expect(stopped.stopped_at).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
  });

  test('describes its routes at /openapi.json', async ({ sim }) => {
    const doc = await adminJson<OpenApiDoc>(sim, '/openapi.json');
    expect(doc.servers[0].url).toBe(sim.url);
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/oauth/me',
        '/organization/{orgId}/datasets',
        '/organization/{orgId}/datasets/{datasetId}',
        '/organization/{orgId}/flow-templates',
        '/organization/{orgId}/flows/{flowId}',
        '/organization/{orgId}/flow-template-execution',
        '/organization/{orgId}/flow-executions',
        '/organization/{orgId}/flow-executions/{executionId}',
        '/organization/{orgId}/downloads',
        '/organization/{orgId}/downloads/{downloadId}',
        '/organization/{orgId}/file-downloads/{fileId}/download',
        '/storage/{key}',
      ]),
    );
    expect(doc.paths['/organization/{orgId}/flow-template-execution'].post).toBeDefined();
    expect(doc.paths['/storage/{key}'].get.security).toEqual([]);
  });
  // Last: it moves the shared clock.
  test('runs the blog flow-template-execution body verbatim and answers 200 with a FlowExecution', async ({ sim }) => {
    const res = await api(sim, `${ORG_A}/flow-template-execution`, { body: fixture('flow-template-execution-request.json') });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ flow_id: 'f8bc44aa-cfac-4461-948c-e2975e747a22', status: 'queued', started_at: null });
    const outputs = res.body.output_datasets as Json[];
    expect(outputs.map((o) => [o.dataset_name, o.dataset_status, o.is_output])).toEqual([
      ['Writer 1', 'created', true],
      ['Writer 2', 'created', true],
    ]);
    await advance(sim, FLAI_TIMINGS.executionQueuedMs);
    const got = await api(sim, `${ORG_A}/flow-executions/${res.body.id as string}`);
    expect(got.body.status).toBe('processing');
    expect(shapeDiff(got.body, fixture('flow-execution.json'))).toEqual([]);
  });
});
