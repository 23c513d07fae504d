import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import { describe, expect } from 'vitest';
import { startGateway } from '../../src/app.js';
import { createLogger } from '../../src/observability/logger.js';
import { FLAI_DOCUMENTED, FLAI_TIMINGS, executionRunMs } from '../../src/simulators/flai/index.js';
import {
  FlaiCreateDatasetDocument,
  FlaiCreateDatasetStatusDocument,
  FlaiDownloadDocument,
  FlaiDownloadIdDocument,
  FlaiExecutionDocument,
  FlaiExecutionOutputDatasetsDocument,
  FlaiRequestDownloadDocument,
  FlaiRunFlowTemplateDocument,
  StatusRequestDatasetDownloadDocument,
  type CreateDatasetInput,
} from '../generated/graphql.js';
import type { GqlBody, GqlResponse, Stack } from '../helpers/stack.helpers.js';
import { ALPHA, errorSummary, expectedDataset, expectedExecution, test as flaiTest, vendor, type Raw } from './flai.helpers.js';

/** A second gateway on the same simulators whose log lines are all kept, to prove secrets never reach them. */
interface LoggedGateway {
  url: string;
  logLines: string[];
}

/** `logged`: that second gateway, one per file, in front of the stack's simulators. */
const test = flaiTest.extend('logged', { scope: 'file' }, async ({ stack }, { onCleanup }) => {
  const logLines: string[] = [];
  const gateway = await startGateway({
    env: {
      NODE_ENV: 'test',
      PORT: '0',
      HOST: '127.0.0.1',
      MAPFLOW_URL: stack.sims.mapflow.url,
      MAPFLOW_TOKEN: stack.sims.mapflow.demoToken,
      FLAI_URL: stack.sims.flai.origin,
      FLAI_TOKEN: ALPHA.token,
      CUPIX_URL: stack.sims.cupix.url,
      CUPIX_TOKEN: stack.sims.cupix.demoToken,
    },
    log: createLogger('trace', (line) => logLines.push(line)),
  });
  onCleanup(() => gateway.close());
  return { url: gateway.url, logLines } satisfies LoggedGateway;
});
test.beforeEach(({ stack }) => stack.resetCounts());

const flaiCalls = (stack: Stack) => stack.calls('flai');

/** Runs a document on the logged gateway and keeps the answer's text as sent, to search it for secrets. */
async function opLogged<R, V>(logged: LoggedGateway, doc: TypedDocumentNode<R, V>, variables: V): Promise<GqlResponse<R> & { text: string }> {
  const res = await fetch(logged.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: print(doc), variables }) });
  const text = await res.text();
  return { ...(JSON.parse(text) as GqlBody<R>), status: res.status, headers: res.headers, text };
}

describe('createDataset: credentials are write-only', () => {
  const PASSWORD = 'CANARY-ftp-pass-7c1e9f';
  const SECRET = 'CANARY-s3-secret-4b2d8a';
  const ftp = { host: 'ftp.example.com', port: 2121, username: 'surveyor', password: PASSWORD, secure: true, path: '/lidar/2024' };
  const s3 = { bucket: 'survey-bucket', region: 'eu-central-1', accessKeyId: 'AKIAEXAMPLE', secretAccessKey: SECRET, path: 'lidar/2024/' };

  function expectNoSecret(logged: LoggedGateway, ...texts: string[]) {
    for (const t of [...texts, ...logged.logLines]) {
      expect(t).not.toContain(PASSWORD);
      expect(t).not.toContain(SECRET);
    }
  }

  test('from FTP: exact dataset back, nothing secret in the response, the vendor record or the logs', async ({ stack, logged }) => {
    const input: CreateDatasetInput = { name: 'Bridge scan (FTP)', description: 'imported', type: 'POINTCLOUD', srid: 3794, unit: 'm', isPublic: false, isAnnotated: true, readWriteMode: 'rw', importFrom: { ftp } };
    const r = await opLogged(logged, FlaiCreateDatasetDocument, { input });
    expect(r.errors).toBeUndefined();
    const created = r.data?.createDataset;
    const raw = await vendor<Raw>(stack, `/datasets/${created?.id}`);
    expect(r.data).toEqual({ createDataset: { ...expectedDataset(raw), producedBy: null } });
    expect(r.data?.createDataset).toMatchObject({ name: 'Bridge scan (FTP)', description: 'imported', type: 'POINTCLOUD', srid: 3794, status: 'created', isAnnotated: true, sizeInGb: 0 });
    expect(raw.import_datasource).toEqual({ datasource_type: 'ftp', datasource_address: '', ftp_datasource_address: 'ftp.example.com', path: '/lidar/2024' });
    expectNoSecret(logged, r.text, JSON.stringify(raw));
  });

  test('from S3: exact dataset back, secret nowhere', async ({ stack, logged }) => {
    const input: CreateDatasetInput = { name: 'Quarry (S3)', type: 'RASTER', importFrom: { s3 } };
    const r = await opLogged(logged, FlaiCreateDatasetDocument, { input });
    expect(r.errors).toBeUndefined();
    const created = r.data?.createDataset;
    const raw = await vendor<Raw>(stack, `/datasets/${created?.id}`);
    expect(r.data).toEqual({ createDataset: { ...expectedDataset(raw), producedBy: null } });
    expect(r.data?.createDataset).toMatchObject({ name: 'Quarry (S3)', type: 'RASTER', readWriteMode: 'rw', srid: null });
    expect(raw.import_datasource).toMatchObject({ datasource_type: 's3', datasource_address: 's3://survey-bucket', path: 'lidar/2024/' });
    expectNoSecret(logged, r.text, JSON.stringify(raw));
  });

  test("a vendor rejection is BAD_USER_INPUT with the vendor's message, and still no secret anywhere", async ({ logged }) => {
    const r1 = await opLogged(logged, FlaiCreateDatasetDocument, { input: { name: 'Bad unit', type: 'POINTCLOUD', unit: 'furlong', importFrom: { ftp } } });
    expect(r1.data).toBeNull();
    expect(r1.errors?.[0].message).toBe('Flai: The selected unit is invalid.');
    expect(r1.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', source: 'FLAI', upstreamStatus: 422, fieldErrors: { unit: ['The selected unit is invalid.'] } });
    const r2 = await opLogged(logged, FlaiCreateDatasetDocument, { input: { name: 'No bucket', type: 'POINTCLOUD', importFrom: { s3: { ...s3, bucket: '' } } } });
    expect(r2.errors?.[0].message).toBe('Flai: The import datasource.credentials.s3 bucket field is required.');
    expect(r2.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', source: 'FLAI', upstreamStatus: 422 });
    expectNoSecret(logged, r1.text, r2.text);
  });

  test('exactly one of ftp / s3, checked before any vendor call', async ({ stack, logged }) => {
    const both = await stack.op(FlaiCreateDatasetDocument, { input: { name: 'x', type: 'POINTCLOUD', importFrom: { ftp, s3 } } });
    const none = await stack.op(FlaiCreateDatasetDocument, { input: { name: 'x', type: 'POINTCLOUD', importFrom: {} } });
    const port = await stack.op(FlaiCreateDatasetDocument, { input: { name: 'x', type: 'POINTCLOUD', importFrom: { ftp: { ...ftp, port: 0 } } } });
    expect([both, none, port].map((r) => [r.errors?.[0].message, r.errors?.[0].extensions?.code, r.errors?.[0].extensions?.field])).toEqual([
      ['importFrom takes exactly one source: ftp or s3, not both', 'BAD_USER_INPUT', ['input', 'importFrom']],
      ['importFrom needs exactly one source: ftp or s3', 'BAD_USER_INPUT', ['input', 'importFrom']],
      ['importFrom.ftp.port must be between 1 and 65535', 'BAD_USER_INPUT', ['input', 'importFrom', 'ftp', 'port']],
    ]);
    expect(flaiCalls(stack)).toBe(0);
    expectNoSecret(logged, JSON.stringify([both, none, port]));
  });
});

describe('runFlowTemplate', () => {
  test('nodeOptions must be an object of objects (no vendor call)', async ({ stack }) => {
    const bad = [['a list'], { point_cloud_reader_1: 'x' }, 'text'];
    const rs = await Promise.all(bad.map((nodeOptions) => stack.op(FlaiRunFlowTemplateDocument, { input: { flowId: FLAI_DOCUMENTED.templateFlowId, nodeOptions } })));
    expect(rs.map((r) => [r.errors?.[0].extensions?.code, r.errors?.[0].extensions?.field])).toEqual([
      ['BAD_USER_INPUT', ['input', 'nodeOptions']],
      ['BAD_USER_INPUT', ['input', 'nodeOptions', 'point_cloud_reader_1']],
      ['BAD_USER_INPUT', ['input', 'nodeOptions']],
    ]);
    expect(flaiCalls(stack)).toBe(0);
  });

  test("the vendor's validation reaches the user as BAD_USER_INPUT with its message", async ({ stack }) => {
    const r = await stack.op(FlaiRunFlowTemplateDocument, { input: { flowId: FLAI_DOCUMENTED.templateFlowId, nodeOptions: { no_such_node: { x: 1 } } } });
    expect(r.errors?.[0].message).toBe(`Flai: The flow node key no_such_node does not exist in flow ${FLAI_DOCUMENTED.templateFlowId}.`);
    expect(errorSummary(r)).toEqual([['runFlowTemplate', 'BAD_USER_INPUT', 'FLAI', 422]]);
    expect(flaiCalls(stack)).toBe(1);
  });
});

describe('lifecycle (the simulator clock is advanced; no sleeps)', () => {
  test('run a template → queued → processing → finished with output datasets → download prepared → presigned zip', async ({ stack }) => {
    const nodeOptions = {
      point_cloud_reader_1: { dataset_id: FLAI_DOCUMENTED.inputDatasetId },
      remap_classification_labels_1: { label_remap_schema: '3=[4, 5, 6], 2=[7]' },
      flainet_aerial_mapping: { ai_model_id: 'cf8f7d04-3897-46cc-ad4d-d4946e01576c', selected_semantic_classes: ['1', '2', '3', '16'] },
      point_cloud_writer_1: { dataset_name: 'Writer 1' },
      point_cloud_writer_2: { dataset_name: 'Writer 2' },
    };
    const run = await stack.op(FlaiRunFlowTemplateDocument, { input: { flowId: FLAI_DOCUMENTED.templateFlowId, nodeOptions } });
    expect(run.errors).toBeUndefined();
    const ex = run.data!.runFlowTemplate;
    expect(ex).toEqual(expectedExecution(await vendor<Raw>(stack, `/flow-executions/${ex.id}`)));
    expect(ex).toMatchObject({ status: 'QUEUED', state: 'QUEUED', upstreamStatus: 'queued', isTerminal: false, flowId: FLAI_DOCUMENTED.templateFlowId, startedAt: null });
    expect(ex.outputDatasets.map((o) => [o.name, o.status, o.sizeInGb])).toEqual([
      ['Writer 1', 'created', 0],
      ['Writer 2', 'created', 0],
    ]);

    const get = async () => (await stack.op(FlaiExecutionDocument, { id: ex.id })).data!.flowExecution!;

    stack.sims.flai.clock.advance(FLAI_TIMINGS.executionQueuedMs);
    const running = await get();
    expect(running).toMatchObject({ status: 'PROCESSING', state: 'RUNNING', isTerminal: false });
    expect(running.startedAt).not.toBeNull();

    stack.sims.flai.clock.advance(executionRunMs(ex.id));
    const done = await get();
    const raw = await vendor<Raw>(stack, `/flow-executions/${ex.id}`);
    expect(done).toEqual(expectedExecution(raw));
    expect(done).toMatchObject({ status: 'FINISHED', state: 'SUCCEEDED', upstreamStatus: 'finished', isTerminal: true, totalExecutionTime: Math.round(executionRunMs(ex.id) / 1000) });
    expect(done.updatedAt).toBe(done.finishedAt);
    expect(done.outputDatasets.every((o) => o.status === 'ready' && (o.sizeInGb ?? 0) > 0)).toBe(true);

    // The outputs as datasets (1 + D calls), each produced by this execution.
    stack.resetCounts();
    const outs = await stack.op(FlaiExecutionOutputDatasetsDocument, { id: ex.id });
    expect(outs.data?.flowExecution?.outputDatasets.map((o) => o.dataset)).toEqual(
      done.outputDatasets.map((o) => ({ id: o.datasetId, status: 'ready', sizeInGb: o.sizeInGb, producedBy: { id: ex.id } })),
    );
    expect(flaiCalls(stack)).toBe(1 + 2);

    // Download the first output.
    const datasetId = done.outputDatasets[0].datasetId;
    stack.resetCounts();
    const req = await stack.op(FlaiRequestDownloadDocument, { d: datasetId });
    expect(req.errors).toBeUndefined();
    const dlId = req.data!.requestDatasetDownload.id;
    expect(req.data!.requestDatasetDownload).toEqual({ id: dlId, __typename: 'DatasetDownload', source: 'FLAI', state: 'QUEUED', upstreamStatus: 'pending', progress: null, isTerminal: false, datasetId, ready: false, files: [] });
    expect(flaiCalls(stack)).toBe(1);

    const getDl = async () => (await stack.op(FlaiDownloadDocument, { id: dlId })).data!.datasetDownload!;
    stack.sims.flai.clock.advance(FLAI_TIMINGS.downloadPendingMs);
    expect(await getDl()).toMatchObject({ state: 'RUNNING', upstreamStatus: 'processing', ready: false, files: [] });

    stack.sims.flai.clock.advance(FLAI_TIMINGS.downloadProcessingMs);
    stack.resetCounts();
    const ready = await getDl();
    // 1 download + 1 presigned URL per file.
    expect(stack.callsTo('flai', 'GET /organization/{orgId}/downloads/{downloadId}')).toBe(1);
    expect(stack.callsTo('flai', 'GET /organization/{orgId}/file-downloads/{fileId}/download')).toBe(ready.files.length);
    expect(flaiCalls(stack)).toBe(1 + ready.files.length);
    const rawDl = await vendor<Raw & { files: Raw[] }>(stack, `/downloads/${dlId}?decorators=files`);
    expect(ready).toMatchObject({ state: 'SUCCEEDED', upstreamStatus: 'download-prepared', isTerminal: true, ready: true });
    expect(ready.files.map(({ id, name, size }) => ({ id, name, size }))).toEqual(rawDl.files.map((f) => ({ id: f.id, name: f.name, size: f.size })));
    expect(ready.files[0].name).toBe('writer-1.zip');

    const zip = await fetch(ready.files[0].url!);
    expect(zip.status).toBe(200);
    const bytes = Buffer.from(await zip.arrayBuffer());
    expect(bytes.subarray(0, 4)).toEqual(Buffer.from([0x50, 0x4b, 0x03, 0x04]));
    expect(bytes.length).toBe(ready.files[0].size);
  });

  test('a download of a dataset that is not ready is BAD_USER_INPUT with the vendor message', async ({ stack }) => {
    const input: CreateDatasetInput = { name: 'Still importing', type: 'VECTOR', importFrom: { ftp: { host: 'h', username: 'u', password: 'p', path: '/v' } } };
    const created = await stack.op(FlaiCreateDatasetStatusDocument, { input });
    expect(created.data?.createDataset.status).toBe('created');
    const pending = created.data!.createDataset.id;
    stack.resetCounts();
    const r = await stack.op(StatusRequestDatasetDownloadDocument, { d: pending });
    expect(r.errors?.[0].message).toBe('Flai: The dataset is not ready for download (status: created).');
    expect(errorSummary(r)).toEqual([['requestDatasetDownload', 'BAD_USER_INPUT', 'FLAI', 422]]);
    expect(flaiCalls(stack)).toBe(1);
  });

  test('datasetDownload of an unknown id is null', async ({ stack }) => {
    const r = await stack.op(FlaiDownloadIdDocument, { id: 'nope' });
    expect(r).toMatchObject({ data: { datasetDownload: null } });
    expect(r.errors).toBeUndefined();
  });
});
