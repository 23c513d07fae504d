import { describe, expect } from 'vitest';
import { presign } from '../../src/simulators/core/index.js';
import { FLAI_DOCUMENTED, FLAI_TIMINGS, executionRunMs } from '../../src/simulators/flai/index.js';
import { ALPHA, BETA, ORG_A, ORG_B, advance, api, changes, fixture, startFrozen, test as flaiTest, unzip, type DownloadReply, type Json } from './flai.helpers.js';
import { adminJson, type StatsSnapshot } from './sim-admin.helpers.js';

type Blog = { flow_id: string; flow_node_options: Record<string, Json> };
type Paged = { items: Json[] };
const FLAI_TIME = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/;


/**
 * The Flai test API with `run` (the blog's flow-template execution, with node options of the test's
 * own on top) and `getExec` (one execution), on the file's simulator.
 */
const test = flaiTest
  .extend('run', { scope: 'file' }, ({ sim }) => (options: Record<string, Json> = {}): Promise<{ body: Json; status: number }> => {
    const blog = fixture<Blog>('flow-template-execution-request.json');
    return api(sim, `${ORG_A}/flow-template-execution`, { body: { ...blog, flow_node_options: { ...blog.flow_node_options, ...options } } });
  })
  .extend('getExec', { scope: 'file' }, ({ sim }) => (id: string) => api(sim, `${ORG_A}/flow-executions/${id}`));

describe('flai flow execution lifecycle (virtual clock)', () => {
  test('goes queued -> processing -> finished and makes one ready output dataset per writer', async ({ sim, run, getExec }) => {
    const since = (await changes(sim, 'since=0')).at(-1)?.seq ?? 0;
    const created = await run();
    const id = created.body.id as string;
    const runMs = executionRunMs(id);
    await advance(sim, FLAI_TIMINGS.executionQueuedMs - 1);
    expect((await getExec(id)).body.status).toBe('queued');
    await advance(sim, 1);
    const processing = (await getExec(id)).body;
    expect(processing.status).toBe('processing');
    expect(processing.started_at).toMatch(FLAI_TIME);
    await advance(sim, runMs - 1);
    expect((await getExec(id)).body.status).toBe('processing');
    await advance(sim, 1);
    const done = (await getExec(id)).body;
    expect(done).toMatchObject({ status: 'finished', total_execution_time: Math.round(runMs / 1000), stopped_at: null });
    expect(done.finished_at).toMatch(FLAI_TIME);
    const outs = done.output_datasets as Json[];
    expect(outs.map((o) => [o.dataset_name, o.dataset_status])).toEqual([
      ['Writer 1', 'ready'],
      ['Writer 2', 'ready'],
    ]);
    expect(Number(outs[0].dataset_data_size_in_gb)).toBeGreaterThan(0);
    const list = await api<Paged>(sim, `${ORG_A}/datasets?per_page=200&filter[dataset_status]=ready`);
    expect(list.body.items.map((d) => d.id)).toEqual(expect.arrayContaining(outs.map((o) => o.dataset_id)));

    const log = await changes(sim, `since=${since}&entity=flow_execution&id=${id}`);
    expect(log.map((c) => [c.field, c.from, c.to, c.tenant])).toEqual([
      ['status', null, 'queued', 'alpha'],
      ['status', 'queued', 'processing', 'alpha'],
      ['status', 'processing', 'finished', 'alpha'],
    ]);
    const dsLog = await changes(sim, `since=${since}&entity=dataset&id=${outs[0].dataset_id as string}`);
    expect(dsLog.map((c) => c.to)).toEqual(['created', 'processing', 'ready']);
  });

  test('fails deterministically when a writer dataset_name contains "fail"', async ({ sim, run, getExec }) => {
    const created = await run({ point_cloud_writer_2: { dataset_name: 'please FAIL' } });
    const id = created.body.id as string;
    await advance(sim, FLAI_TIMINGS.executionQueuedMs + executionRunMs(id) * FLAI_TIMINGS.failurePoint);
    const failed = (await getExec(id)).body;
    expect(failed.status).toBe('failed');
    expect(failed.finished_at).toMatch(FLAI_TIME);
    expect((failed.output_datasets as Json[]).map((o) => o.dataset_status)).toEqual(['failed', 'failed']);
    await advance(sim, FLAI_TIMINGS.executionRunMaxMs);
    expect((await getExec(id)).body.status).toBe('failed');
  });

  test('stops a queued execution (stopped, stopped_at) and then refuses to stop it again', async ({ sim, run, getExec }) => {
    const id = (await run()).body.id as string;
    const stop = await api(sim, `${ORG_A}/flow-executions/${id}/stop`, { method: 'POST' });
    expect(stop.status).toBe(200);
    expect(stop.body.status).toBe('stopped');
    expect(stop.body.stopped_at).toMatch(FLAI_TIME);
    expect(stop.body.finished_at).toBeNull();
    await advance(sim, FLAI_TIMINGS.executionQueuedMs + FLAI_TIMINGS.executionRunMaxMs);
    expect((await getExec(id)).body.status).toBe('stopped');
    expect((await api(sim, `${ORG_A}/flow-executions/${id}/stop`, { method: 'POST' })).status).toBe(422);
    const log = await changes(sim, `entity=flow_execution&id=${id}`);
    expect(log.map((c) => c.to)).toEqual(['queued', 'stopped']);
  });

  test('moves the documented processing execution on to finished', async ({ sim, getExec }) => {
    await advance(sim, executionRunMs(FLAI_DOCUMENTED.executionId));
    const doc = (await getExec(FLAI_DOCUMENTED.executionId)).body;
    expect(doc.status).toBe('finished');
    expect((doc.output_datasets as Json[])[0]).toMatchObject({ dataset_id: FLAI_DOCUMENTED.outputDatasetId, dataset_status: 'ready' });
    const log = await changes(sim, `entity=flow_execution&id=${FLAI_DOCUMENTED.executionId}`);
    expect(log.map((c) => [c.from, c.to])).toEqual([['processing', 'finished']]);
  });
});

describe('flai dataset import and download lifecycles', () => {
  const body = fixture('create-dataset-request.json');

  test('imports a dataset created -> processing -> ready, or failed when its path says so', async ({ sim }) => {
    const ok = (await api(sim, `${ORG_A}/datasets`, { body })).body;
    const bad = (await api(sim, `${ORG_A}/datasets`, { body: { ...body, import_datasource: { ...(body.import_datasource as Json), path: '/will-fail' } } })).body;
    const status = async (id: unknown) => (await api(sim, `${ORG_A}/datasets/${id as string}`)).body.dataset_status;
    expect(await status(ok.id)).toBe('created');
    await advance(sim, FLAI_TIMINGS.datasetCreatedMs);
    expect(await status(ok.id)).toBe('processing');
    await advance(sim, FLAI_TIMINGS.datasetImportMs);
    const ready = (await api(sim, `${ORG_A}/datasets/${ok.id as string}`)).body;
    expect(ready.dataset_status).toBe('ready');
    expect(ready.dataset_data_size_in_gb).toMatch(/^\d+(\.\d+)?$/);
    expect(await status(bad.id)).toBe('failed');
    expect((await changes(sim, `entity=dataset&id=${bad.id as string}`)).map((c) => c.to)).toEqual(['created', 'processing', 'failed']);
  });

  test('prepares a download pending -> processing -> download-prepared and serves a real zip', async ({ sim }) => {
    const created = await api(sim, `${ORG_A}/downloads`, { body: { items: [{ model_name: 'datasets', model_id: FLAI_DOCUMENTED.inputDatasetId }] } });
    expect(created.status).toBe(200);
    expect(created.body.status).toBe('pending');
    const id = created.body.id as string;
    const get = async () => (await api<DownloadReply>(sim, `${ORG_A}/downloads/${id}?decorators=files`)).body;
    expect(await get()).toMatchObject({ status: 'pending', files: [] });
    await advance(sim, FLAI_TIMINGS.downloadPendingMs);
    expect((await get()).status).toBe('processing');
    await advance(sim, FLAI_TIMINGS.downloadProcessingMs);
    const ready = await get();
    expect(ready.status).toBe('download-prepared');
    const [file] = ready.files;
    expect(file.name).toMatch(/\.zip$/);

    const { url } = (await api<{ url: string }>(sim, `${ORG_A}/file-downloads/${file.id}/download`)).body;
    const res = await fetch(url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/zip');
    const zip = Buffer.from(await res.arrayBuffer());
    expect(zip.length).toBe(file.size);
    const entries = unzip(zip);
    const names = [...entries.keys()];
    expect(names.some((n) => n.endsWith('.laz'))).toBe(true);
    const laz = entries.get(names.find((n) => n.endsWith('.laz')) as string) as Buffer;
    expect(laz.subarray(0, 4).toString('latin1')).toBe('LASF');
    const meta = JSON.parse((entries.get(names.find((n) => n.endsWith('metadata.json')) as string) as Buffer).toString('utf8')) as Json;
    expect(meta).toMatchObject({ id: FLAI_DOCUMENTED.inputDatasetId, dataset_name: 'New pointcloud from FTP', srid: 3794 });
    expect((await changes(sim, `entity=download&id=${id}`)).map((c) => c.to)).toEqual(['pending', 'processing', 'download-prepared']);

    // The file id belongs to alpha only.
    expect((await api(sim, `${ORG_B}/file-downloads/${file.id}/download`, { token: BETA.token })).status).toBe(404);
    // The storage checks signature and expiry (wall-clock).
    const tampered = await fetch(url.replace(/X-Amz-Signature=[0-9a-f]/, (m) => m.slice(0, -1) + (m.endsWith('0') ? '1' : '0')));
    expect(tampered.status).toBe(403);
    expect(await tampered.text()).toContain('<Code>SignatureDoesNotMatch</Code>');
    const key = decodeURIComponent(new URL(url).pathname.replace('/storage/', ''));
    const expired = await fetch(presign(sim.origin, key, -60, Date.now()));
    expect(expired.status).toBe(403);
    expect(await expired.text()).toContain('<Code>AccessDenied</Code>');
  });

  test('refuses a download of a dataset that is not ready', async ({ sim }) => {
    const fresh = (await api(sim, `${ORG_A}/datasets`, { body })).body;
    const res = await api(sim, `${ORG_A}/downloads`, { body: { items: [{ model_name: 'datasets', model_id: fresh.id }] } });
    expect(res.status).toBe(422);
    expect(Object.keys(res.body.errors as Json)).toEqual(['items.0.model_id']);
  });
});

describe('flai fault injection, stats and rate limiting', () => {
  test('injects an error status for `count` requests only, in Flai’s body shape', async ({ sim }) => {
    await fetch(`${sim.origin}/__sim/faults`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ errorRate: 1, errorStatuses: [503], route: 'flow-templates', count: 2 }) });
    for (let i = 0; i < 2; i++) {
      const res = await api(sim, `${ORG_A}/flow-templates`);
      expect(res.status).toBe(503);
      expect(res.body).toEqual({ message: 'Service Unavailable' });
    }
    expect((await api(sim, `${ORG_A}/flow-templates`)).status).toBe(200);
  });

  test('injects 429 with Retry-After and X-RateLimit headers', async ({ sim }) => {
    await fetch(`${sim.origin}/__sim/faults`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ rateLimitRate: 1, retryAfterSeconds: 7, count: 1 }) });
    const res = await api(sim, '/oauth/me');
    expect(res.status).toBe(429);
    expect(res.body).toEqual({ message: 'Too Many Attempts.' });
    expect(res.headers.get('retry-after')).toBe('7');
    expect(res.headers.get('x-ratelimit-limit')).toBe('60');
    expect(res.headers.get('x-ratelimit-remaining')).toBe('0');
    expect((await api(sim, '/oauth/me')).status).toBe(200);
  });

  test('counts requests exactly per route and tenant', async ({ sim }) => {
    await fetch(`${sim.origin}/__sim/stats`, { method: 'DELETE' });
    await api(sim, `${ORG_A}/datasets`);
    await api(sim, `${ORG_A}/datasets?page=2`);
    await api(sim, `${ORG_B}/datasets`, { token: BETA.token });
    await api(sim, `${ORG_A}/datasets`, { token: null });
    await api(sim, `${ORG_A}/flow-executions/${FLAI_DOCUMENTED.executionId}`);
    const stats = await adminJson<StatsSnapshot>(sim, '/__sim/stats');
    expect(stats.total).toBe(5);
    expect(stats.byRoute['GET /organization/{orgId}/datasets']).toBe(4);
    expect(stats.byTenantRoute.alpha).toEqual({ 'GET /organization/{orgId}/datasets': 2, 'GET /organization/{orgId}/flow-executions/{executionId}': 1 });
    expect(stats.byTenantRoute.beta).toEqual({ 'GET /organization/{orgId}/datasets': 1 });
    expect(stats.byStatus).toEqual({ '200': 4, '401': 1 });
  });

  test('throttles per credential when rateLimitPerMinute is set', async () => {
    const limited = await startFrozen({ rateLimitPerMinute: 3 });
    try {
      const seen: Array<[number, string | null]> = [];
      for (let i = 0; i < 4; i++) {
        const res = await api(limited, '/oauth/me');
        seen.push([res.status, res.headers.get('x-ratelimit-remaining')]);
      }
      expect(seen).toEqual([[200, '2'], [200, '1'], [200, '0'], [429, '0']]);
      const last = await api(limited, '/oauth/me');
      expect(Number(last.headers.get('retry-after'))).toBeGreaterThan(0);
      expect((await api(limited, '/oauth/me', { token: BETA.token })).status).toBe(200);
      expect(ALPHA.token).not.toBe(BETA.token);
    } finally {
      await limited.close();
    }
  });
});
