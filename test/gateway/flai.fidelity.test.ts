import 'reflect-metadata';
import { describe, expect } from 'vitest';
import { startGateway } from '../../src/app.js';
import { FLAI_DEMO_TENANTS, FLAI_DOCUMENTED, FLAI_UNDOCUMENTED, FLAI_VARIANTS_TENANT } from '../../src/simulators/flai/index.js';
import {
  FidelityCreateDatasetDocument,
  FidelityDatasetProducersDocument,
  FidelityDatasetsDocument,
  FidelityExecutionDocument,
  FidelityExecutionsDocument,
  FidelityExecutionUpdatedDocument,
  FidelityRunFlowTemplateDocument,
  FidelityS3ImportInputDocument,
  type CreateDatasetInput,
  type RunFlowTemplateInput,
} from '../generated/graphql.js';
import { gatewayEnv, opAt, simsTest, type RunningSimulators } from '../helpers/stack.helpers.js';
import type { ProxiedRequest, VendorProxy } from '../helpers/vendor-proxy.helpers.js';
import { driveUntilComplete, FAST_STATUS_ENV, Feed, field, wsClient } from '../status/status.helpers.js';
import { iso, type Raw } from './flai.helpers.js';

/**
 * Flai answers that the docs allow and the examples never show (docs/vendors.md, "Documented
 * variants"), read through the gateway over real HTTP: the simulator's `variants` tenant sends bare
 * arrays for its lists, `finish` for every other finished execution, only `{id}` for every other
 * create, a `mesh` dataset and a `paused` execution. A proxy in front of Flai loses or blanks the
 * answers of creates that Flai carried out, for the idempotency keys.
 */
const test = simsTest
  .extend('gateway', { scope: 'file' }, async ({ sims, proxies }, { onCleanup }) => {
    const env = { ...FAST_STATUS_ENV, FLAI_URL: proxies.flai!.origin, FLAI_TIMEOUT_MS: '800', UPSTREAM_RETRY_BASE_MS: '5', UPSTREAM_RETRY_MAX_DELAY_MS: '20' };
    const gateway = await startGateway({ env: gatewayEnv(sims, env) });
    onCleanup(() => gateway.close());
    return gateway;
  })
  .extend('proxy', { scope: 'file' }, ({ proxies }) => proxies.flai!);
test.override('simsOptions', { proxy: ['flai'] });

const VARIANTS = FLAI_VARIANTS_TENANT;
const ALPHA = FLAI_DEMO_TENANTS[0];
type Tenant = { token: string; orgId: string };
const as = (tenant: Tenant) => ({ 'x-flai-token': tenant.token, 'x-flai-org-id': tenant.orgId });

/** What the simulator holds, read straight from it (not through the proxy the gateway uses). */
async function vendor<T>(sims: RunningSimulators, path: string, tenant: Tenant = VARIANTS): Promise<T> {
  const res = await fetch(`${sims.flai.url}/organization/${tenant.orgId}${path}`, { headers: { authorization: `Bearer ${tenant.token}`, accept: 'application/json' } });
  if (!res.ok) throw new Error(`vendor GET ${path}: HTTP ${res.status}`);
  return (await res.json()) as T;
}

/** The gateway's requests to one Flai path of a tenant since `from` (an index into the proxy's log). */
function sent(proxy: VendorProxy, from: number, method: string, path: string, tenant: Tenant = VARIANTS): ProxiedRequest[] {
  return proxy.requests.slice(from).filter((r) => r.method === method && r.path === `/api/v1/organization/${tenant.orgId}${path}`);
}

const TYPES: Record<string, string> = { pointcloud: 'POINTCLOUD', vector: 'VECTOR', raster: 'RASTER', image: 'IMAGE' };
const STATUSES: Record<string, [string, string, boolean]> = {
  queued: ['QUEUED', 'QUEUED', false],
  processing: ['PROCESSING', 'RUNNING', false],
  finished: ['FINISHED', 'SUCCEEDED', true],
  finish: ['FINISHED', 'SUCCEEDED', true],
  failed: ['FAILED', 'FAILED', true],
  stopped: ['STOPPED', 'CANCELLED', true],
};

/** A raw dataset as the gateway should show it, written out independently of the mapper. */
const expectedDataset = (d: Raw) => ({
  id: d.id,
  name: d.dataset_name,
  description: d.description,
  type: TYPES[String(d.dataset_type_key)] ?? 'UNKNOWN',
  typeKey: d.dataset_type_key,
  status: d.dataset_status,
  sizeInGb: Number(d.dataset_data_size_in_gb),
  createdAt: iso(d.created_at),
});

/** A name without the gateway's idempotency mark, which the gateway never shows. */
const shown = (name: unknown) => String(name).replace(/ \[gatewayIdempotencyKey=[^\]]+\]$/, '');

const expectedExecution = (e: Raw) => {
  const [status, state, isTerminal] = STATUSES[String(e.status)] ?? ['UNKNOWN', 'UNKNOWN', false];
  return {
    id: e.id,
    flowId: e.flow_id,
    status,
    state,
    upstreamStatus: e.status,
    isTerminal,
    outputDatasets: (e.output_datasets as Raw[]).map((o) => ({ datasetId: o.dataset_id, name: shown(o.dataset_name), status: o.dataset_status })),
  };
};

/** The variants tenant's copy of the blog's template flow, and node options that run it on a ready point cloud. */
async function blogRun(sims: RunningSimulators, writers: [string, string]): Promise<RunFlowTemplateInput> {
  const templates = await vendor<Raw[]>(sims, '/flow-templates');
  const template = templates.find((t) => t.title === 'Aerial mapping classification') as Raw;
  const input = (await vendor<Raw[]>(sims, '/datasets')).find((d) => d.dataset_type_key === 'pointcloud' && d.dataset_status === 'ready') as Raw;
  return {
    flowId: String(template.id),
    nodeOptions: { point_cloud_reader_1: { dataset_id: input.id }, point_cloud_writer_1: { dataset_name: writers[0] }, point_cloud_writer_2: { dataset_name: writers[1] } },
  };
}

const FTP = { host: 'ftp.example.com', username: 'surveyor', password: 'fidelity-ftp-secret', path: '/scan' };
const isPost = (suffix: string) => (r: ProxiedRequest) => r.method === 'POST' && r.path.endsWith(suffix);

describe('lists in either shape', () => {
  test('datasets: the bare array pages like the envelope, and the mesh dataset reads as UNKNOWN without failing the page', async ({ sims, gateway }) => {
    const raw = await vendor<Raw[]>(sims, '/datasets?page=1&per_page=5');
    expect(Array.isArray(raw)).toBe(true);
    expect(Array.isArray(await vendor<unknown>(sims, '/datasets?page=1&per_page=5', ALPHA))).toBe(false);
    const mesh = raw.filter((d) => d.dataset_type_key === FLAI_UNDOCUMENTED.datasetType);
    expect(mesh).toHaveLength(1);

    const p1 = await opAt(gateway.url, FidelityDatasetsDocument, { first: 5 }, as(VARIANTS));
    expect(p1.errors).toBeUndefined();
    expect(p1.data?.datasets).toEqual({ totalCount: raw.length, pageInfo: { hasNextPage: true, endCursor: expect.any(String) }, nodes: raw.slice(0, 5).map(expectedDataset) });
    const p2 = await opAt(gateway.url, FidelityDatasetsDocument, { first: 5, after: p1.data?.datasets?.pageInfo.endCursor }, as(VARIANTS));
    expect(p2.data?.datasets?.nodes).toEqual(raw.slice(5, 10).map(expectedDataset));

    const all = await opAt(gateway.url, FidelityDatasetsDocument, { first: 100 }, as(VARIANTS));
    expect(all.errors).toBeUndefined();
    expect(all.data?.datasets?.nodes).toEqual(raw.map(expectedDataset));
    expect(all.data?.datasets?.nodes.find((d) => d.id === mesh[0].id)).toMatchObject({ type: 'UNKNOWN', typeKey: 'mesh', status: 'ready', name: mesh[0].dataset_name });
  });

  test('flowExecutions: the bare array, `finish` and `finished` both SUCCEEDED, the paused one UNKNOWN with its literal', async ({ sims, gateway }) => {
    const raw = await vendor<Raw[]>(sims, '/flow-executions?page=1&per_page=4');
    expect(Array.isArray(raw)).toBe(true);
    expect(new Set(raw.map((e) => e.status))).toEqual(new Set(['queued', 'processing', 'finished', 'finish', 'failed', 'stopped', FLAI_UNDOCUMENTED.executionStatus]));

    const all = await opAt(gateway.url, FidelityExecutionsDocument, { first: 100 }, as(VARIANTS));
    expect(all.errors).toBeUndefined();
    expect(all.data?.flowExecutions).toEqual({ totalCount: raw.length, pageInfo: { hasNextPage: false, endCursor: expect.any(String) }, nodes: raw.map(expectedExecution) });
    const paused = all.data?.flowExecutions?.nodes.find((e) => e.upstreamStatus === FLAI_UNDOCUMENTED.executionStatus);
    expect(paused).toMatchObject({ status: 'UNKNOWN', state: 'UNKNOWN', isTerminal: false });

    const finish = raw.find((e) => e.status === 'finish') as Raw;
    const one = await opAt(gateway.url, FidelityExecutionDocument, { id: String(finish.id) }, as(VARIANTS));
    expect(one.data?.flowExecution).toMatchObject({ status: 'FINISHED', state: 'SUCCEEDED', upstreamStatus: 'finish', isTerminal: true });

    // One flow's executions, a window at a time, from the filtered bare array.
    const flowId = String(paused?.flowId);
    const mine = raw.filter((e) => e.flow_id === flowId);
    expect(mine.length).toBeGreaterThan(2);
    const w1 = await opAt(gateway.url, FidelityExecutionsDocument, { flowId, first: 2 }, as(VARIANTS));
    const w2 = await opAt(gateway.url, FidelityExecutionsDocument, { flowId, first: 2, after: w1.data?.flowExecutions?.pageInfo.endCursor }, as(VARIANTS));
    expect([w1.data?.flowExecutions?.totalCount, ...[w1, w2].flatMap((w) => w.data?.flowExecutions?.nodes.map((e) => e.id))]).toEqual([mine.length, ...mine.slice(0, 4).map((e) => e.id)]);
  });

  test("Dataset.producedBy finds the writers in the bare execution list", async ({ sims, gateway }) => {
    const executions = await vendor<Raw[]>(sims, '/flow-executions');
    const writer = new Map(executions.flatMap((e) => (e.output_datasets as Raw[]).map((o) => [String(o.dataset_id), String(e.id)] as const)));
    const r = await opAt(gateway.url, FidelityDatasetProducersDocument, {}, as(VARIANTS));
    expect(r.errors).toBeUndefined();
    const nodes = r.data?.datasets?.nodes ?? [];
    expect(nodes.filter((d) => d.producedBy).map((d) => [d.id, d.producedBy?.id]).sort()).toEqual([...writer.entries()].sort());
  });
});

describe('creates that answer a whole object or only an id', () => {
  test('createDataset: two creates in a row, one answered with only its id, both read as the dataset Flai holds', async ({ sims, gateway, proxy }) => {
    const from = proxy.requests.length;
    const made = [];
    for (const name of ['Answer A', 'Answer B']) {
      const r = await opAt(gateway.url, FidelityCreateDatasetDocument, { input: { name, type: 'POINTCLOUD', description: `${name} described`, importFrom: { ftp: FTP } } }, as(VARIANTS));
      expect(r.errors).toBeUndefined();
      made.push(r.data!.createDataset);
    }
    for (const dataset of made) {
      const raw = await vendor<Raw>(sims, `/datasets/${dataset.id}`);
      expect(dataset).toEqual({ id: raw.id, name: raw.dataset_name, description: raw.description, type: 'POINTCLOUD', status: raw.dataset_status });
    }
    expect(made.map((d) => d.name)).toEqual(['Answer A', 'Answer B']);
    expect(sent(proxy, from, 'POST', '/datasets')).toHaveLength(2);
    // The id-only answer is read back by id; the whole one is not.
    expect(made.map((d) => sent(proxy, from, 'GET', `/datasets/${d.id}`).length).sort()).toEqual([0, 1]);
  });

  test('runFlowTemplate: two runs in a row, one answered with only its id, both read as the execution Flai holds', async ({ sims, gateway, proxy }) => {
    const runs = [await blogRun(sims, ['Id-only W1', 'Id-only W2']), await blogRun(sims, ['Whole W1', 'Whole W2'])];
    const from = proxy.requests.length;
    const made = [];
    for (const input of runs) {
      const r = await opAt(gateway.url, FidelityRunFlowTemplateDocument, { input }, as(VARIANTS));
      expect(r.errors).toBeUndefined();
      made.push(r.data!.runFlowTemplate);
    }
    for (const execution of made) expect(execution).toEqual(expectedExecution(await vendor<Raw>(sims, `/flow-executions/${execution.id}`)));
    expect(made.map((e) => e.outputDatasets.map((o) => o.name))).toEqual([
      ['Id-only W1', 'Id-only W2'],
      ['Whole W1', 'Whole W2'],
    ]);
    expect(sent(proxy, from, 'POST', '/flow-template-execution')).toHaveLength(2);
    expect(made.map((e) => sent(proxy, from, 'GET', `/flow-executions/${e.id}`).length).sort()).toEqual([0, 1]);
  });
});

describe('the `finish` literal, live', () => {
  test('two runs watched to the end: one ends `finish`, the other `finished`, both SUCCEEDED and terminal', async ({ sims, gateway, onTestFinished }) => {
    // Whatever earlier tests left running finishes first, so the two runs below finish one after the other.
    sims.flai.clock.advance(10 * 60_000);
    sims.flai.scheduler.settle();
    const client = wsClient(gateway.url, as(VARIANTS));
    onTestFinished(() => client.dispose());
    const endings = [];
    for (const writers of [['Live W1', 'Live W2'], ['Live W3', 'Live W4']] as [string, string][]) {
      const run = await opAt(gateway.url, FidelityRunFlowTemplateDocument, { input: await blogRun(sims, writers) }, as(VARIANTS));
      const id = run.data!.runFlowTemplate.id;
      const feed = new Feed(client, FidelityExecutionUpdatedDocument, { id });
      expect(field(await feed.next(), 'flowExecutionUpdated')).toMatchObject({ id, state: 'QUEUED', isTerminal: false });
      await driveUntilComplete(sims.flai, feed, (c) => c.entity === 'flow_execution' && c.id === id);
      expect(feed.completed).toBe(true);
      endings.push(field(feed.received.at(-1)!, 'flowExecutionUpdated'));
    }
    expect(endings.map((e) => e.upstreamStatus).sort()).toEqual(['finish', 'finished']);
    for (const e of endings) expect(e).toMatchObject({ status: 'FINISHED', state: 'SUCCEEDED', isTerminal: true });
  });
});

describe('idempotencyKey', () => {
  test('createDataset: the key rides in the description, a second call returns the first dataset and sends nothing', async ({ sims, gateway, proxy }) => {
    const from = proxy.requests.length;
    const input: CreateDatasetInput = { name: 'Keyed dataset', type: 'VECTOR', description: 'Survey 7', importFrom: { ftp: FTP }, idempotencyKey: 'dataset-key-1' };
    const first = await opAt(gateway.url, FidelityCreateDatasetDocument, { input }, as(ALPHA));
    expect(first.errors).toBeUndefined();
    expect(first.data?.createDataset).toMatchObject({ name: 'Keyed dataset', description: 'Survey 7', type: 'VECTOR' });
    const raw = await vendor<Raw>(sims, `/datasets/${first.data?.createDataset.id}`, ALPHA);
    expect(raw.description).toBe('Survey 7 [gatewayIdempotencyKey=dataset-key-1]');

    const again = await opAt(gateway.url, FidelityCreateDatasetDocument, { input }, as(ALPHA));
    expect(again.errors).toBeUndefined();
    expect(again.data?.createDataset).toEqual(first.data?.createDataset);
    expect(sent(proxy, from, 'POST', '/datasets', ALPHA)).toHaveLength(1);
  });

  test('createDataset whose 200 answer names nothing: found by its key; exactly one dataset exists', async ({ sims, gateway, proxy }) => {
    proxy.failAfter(isPost(`/organization/${ALPHA.orgId}/datasets`), 200);
    const from = proxy.requests.length;
    const input: CreateDatasetInput = { name: 'Blank answer', type: 'RASTER', importFrom: { ftp: FTP }, idempotencyKey: 'dataset-key-2' };
    const r = await opAt(gateway.url, FidelityCreateDatasetDocument, { input }, as(ALPHA));
    expect(r.errors).toBeUndefined();
    const held = (await vendor<{ items: Raw[] }>(sims, '/datasets?per_page=200', ALPHA)).items.filter((d) => d.dataset_name === 'Blank answer');
    expect(held.map((d) => [d.id, d.description])).toEqual([[r.data?.createDataset.id, '[gatewayIdempotencyKey=dataset-key-2]']]);
    expect(r.data?.createDataset).toMatchObject({ name: 'Blank answer', description: null, type: 'RASTER' });
    expect(sent(proxy, from, 'POST', '/datasets', ALPHA)).toHaveLength(1);
  });

  test('runFlowTemplate: the key rides in the writers\' names, a second call returns the first execution and sends nothing', async ({ sims, gateway, proxy }) => {
    const input = { ...(await blogRun(sims, ['Keyed W1', 'Keyed W2'])), idempotencyKey: 'run-key-1' };
    const from = proxy.requests.length;
    const first = await opAt(gateway.url, FidelityRunFlowTemplateDocument, { input }, as(VARIANTS));
    expect(first.errors).toBeUndefined();
    const execution = first.data!.runFlowTemplate;
    expect(execution.outputDatasets.map((o) => o.name)).toEqual(['Keyed W1', 'Keyed W2']);
    const raw = await vendor<Raw>(sims, `/flow-executions/${execution.id}`);
    expect((raw.output_datasets as Raw[]).map((o) => o.dataset_name)).toEqual(['Keyed W1 [gatewayIdempotencyKey=run-key-1]', 'Keyed W2 [gatewayIdempotencyKey=run-key-1]']);

    const again = await opAt(gateway.url, FidelityRunFlowTemplateDocument, { input }, as(VARIANTS));
    expect(again.errors).toBeUndefined();
    expect(again.data?.runFlowTemplate).toEqual(execution);
    expect(sent(proxy, from, 'POST', '/flow-template-execution')).toHaveLength(1);
  });

  test('a keyed run whose answer is lost: the gateway finds it by its key instead of starting another', async ({ sims, gateway, proxy }) => {
    const input = { ...(await blogRun(sims, ['Lost W1', 'Lost W2'])), idempotencyKey: 'run-key-lost' };
    proxy.swallow(isPost('/flow-template-execution'));
    const from = proxy.requests.length;
    const r = await opAt(gateway.url, FidelityRunFlowTemplateDocument, { input }, as(VARIANTS));
    expect(r.errors).toBeUndefined();
    const held = (await vendor<Raw[]>(sims, `/flow-executions?filter[flow_id]=${input.flowId}`)).filter((e) => (e.output_datasets as Raw[]).some((o) => String(o.dataset_name).startsWith('Lost W1')));
    expect(held.map((e) => e.id)).toEqual([r.data?.runFlowTemplate.id]);
    expect(sent(proxy, from, 'POST', '/flow-template-execution')).toHaveLength(1);
  });

  test('a run whose 200 answer names nothing: found by its key; without a key, UPSTREAM_TIMEOUT saying it may or may not have started', async ({ sims, gateway, proxy }) => {
    const keyed = { ...(await blogRun(sims, ['Blank W1', 'Blank W2'])), idempotencyKey: 'run-key-blank' };
    proxy.failAfter(isPost('/flow-template-execution'), 200);
    const from = proxy.requests.length;
    const found = await opAt(gateway.url, FidelityRunFlowTemplateDocument, { input: keyed }, as(VARIANTS));
    expect(found.errors).toBeUndefined();
    expect(found.data?.runFlowTemplate).toEqual(expectedExecution(await vendor<Raw>(sims, `/flow-executions/${found.data?.runFlowTemplate.id}`)));
    expect(found.data?.runFlowTemplate.outputDatasets.map((o) => o.name)).toEqual(['Blank W1', 'Blank W2']);

    const unkeyed = await blogRun(sims, ['Unkeyed W1', 'Unkeyed W2']);
    proxy.failAfter(isPost('/flow-template-execution'), 200);
    const lost = await opAt(gateway.url, FidelityRunFlowTemplateDocument, { input: unkeyed }, as(VARIANTS));
    expect(lost.data).toBeNull();
    expect(lost.errors?.[0]).toMatchObject({ path: ['runFlowTemplate'], extensions: { code: 'UPSTREAM_TIMEOUT', source: 'FLAI' } });
    expect(lost.errors?.[0].message).toBe(
      `Flai did not confirm the create (its answer named no id) and the gateway cannot look it up without an idempotencyKey: the flow execution may or may not have started; look at flowExecutions(flowId: "${unkeyed.flowId}") before trying again (an idempotencyKey makes a retry safe).`,
    );
    const started = (await vendor<Raw[]>(sims, `/flow-executions?filter[flow_id]=${unkeyed.flowId}`)).filter((e) => (e.output_datasets as Raw[]).some((o) => o.dataset_name === 'Unkeyed W1'));
    expect(started).toHaveLength(1);
    expect(sent(proxy, from, 'POST', '/flow-template-execution')).toHaveLength(2);
  });

  test('a create Flai refused with 503 before acting is sent again after the backoff, key or not; one dataset is made', async ({ sims, gateway, proxy }) => {
    sims.flai.faults.set({ errorRate: 1, errorStatuses: [503], route: 'POST /organization/{orgId}/datasets', count: 1 });
    const from = proxy.requests.length;
    const r = await opAt(gateway.url, FidelityCreateDatasetDocument, { input: { name: 'After a 503', type: 'IMAGE', importFrom: { ftp: FTP } } }, as(ALPHA));
    expect(r.errors).toBeUndefined();
    const held = (await vendor<{ items: Raw[] }>(sims, '/datasets?per_page=200', ALPHA)).items.filter((d) => d.dataset_name === 'After a 503');
    expect(held.map((d) => d.id)).toEqual([r.data?.createDataset.id]);
    expect(sent(proxy, from, 'POST', '/datasets', ALPHA)).toHaveLength(2);
  });

  test('a key Flai could not keep, a keyed run naming no output, a dataset of type UNKNOWN: BAD_USER_INPUT before any call', async ({ gateway, proxy }) => {
    const from = proxy.requests.length;
    const run = (input: RunFlowTemplateInput) => opAt(gateway.url, FidelityRunFlowTemplateDocument, { input }, as(ALPHA));
    const flowId = FLAI_DOCUMENTED.templateFlowId;
    const rs = [
      await run({ flowId, nodeOptions: { point_cloud_writer_1: { dataset_name: 'W' } }, idempotencyKey: 'has a space' }),
      await run({ flowId, nodeOptions: { point_cloud_reader_1: { dataset_id: FLAI_DOCUMENTED.inputDatasetId } }, idempotencyKey: 'no-writer' }),
      await opAt(gateway.url, FidelityCreateDatasetDocument, { input: { name: 'x', type: 'UNKNOWN', importFrom: { ftp: FTP } } }, as(ALPHA)),
    ];
    expect(rs.map((r) => [r.errors?.[0].extensions?.code, r.errors?.[0].extensions?.field])).toEqual([
      ['BAD_USER_INPUT', ['input', 'idempotencyKey']],
      ['BAD_USER_INPUT', ['input', 'nodeOptions']],
      ['BAD_USER_INPUT', ['input', 'type']],
    ]);
    expect(proxy.requests.slice(from).filter((r) => r.method === 'POST')).toEqual([]);
  });
});

describe('S3 credential keys', () => {
  test('each S3 credential field says which key it is sent as, and that Flai does not document it', async ({ gateway }) => {
    const r = await opAt(gateway.url, FidelityS3ImportInputDocument, {});
    const fields = Object.fromEntries((r.data?.__type?.inputFields ?? []).map((f) => [f.name, f.description]));
    const keys = { bucket: 's3_bucket', region: 's3_region', endpoint: 's3_endpoint', accessKeyId: 's3_access_key_id', secretAccessKey: 's3_secret_access_key' };
    for (const [name, key] of Object.entries(keys)) {
      expect(fields[name]).toContain(`credentials.${key}`);
      expect(fields[name]).toContain('Flai does not document its S3 credential keys');
    }
    expect(r.data?.__type?.description).toContain('Flai documents only its FTP credential keys');
  });
});
