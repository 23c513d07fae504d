import { describe, expect } from 'vitest';
import { FLAI_DOCUMENTED } from '../../src/simulators/flai/index.js';
import {
  FlaiDatasetAndMissingDocument,
  FlaiDatasetProducerDocument,
  FlaiDatasetsBadPagingDocument,
  FlaiDatasetsPageDocument,
  FlaiDatasetsProducersDocument,
  FlaiDatasetsWholeDocument,
  FlaiDatasetsWindowDocument,
  FlaiExecutionAndNoneDocument,
  FlaiExecutionsFirstPageDocument,
  FlaiExecutionsNextPageDocument,
  FlaiExecutionsOfFlowDocument,
  FlaiExecutionsOfFlowWholeDocument,
  FlaiExecutionsWithFlowDocument,
  FlaiExecutionTwiceDocument,
  FlaiFlowAndNoneDocument,
  FlaiFlowTemplatesDocument,
  FlaiJobsDocument,
  FlaiTwoProducersDocument,
} from '../generated/graphql.js';
import type { Stack } from '../helpers/stack.helpers.js';
import { expectedDataset, expectedExecution, test, vendor, type Raw } from './flai.helpers.js';

// `held.datasets`, `held.executions` (the fixture): what tenant alpha holds, read once.
test.beforeEach(({ stack }) => stack.resetCounts());

const flaiCalls = (stack: Stack) => stack.calls('flai');
const route = (stack: Stack, r: string) => stack.callsTo('flai', r);

describe('datasets', () => {
  test('dataset(id): exact data in one call; a missing id is null without an error', async ({ stack, held: { datasets } }) => {
    const raw = datasets.find((d) => d.id === FLAI_DOCUMENTED.inputDatasetId) as Raw;
    const r = await stack.op(FlaiDatasetAndMissingDocument, { id: String(raw.id) });
    expect(r.errors).toBeUndefined();
    expect(r.data).toEqual({ dataset: expectedDataset(raw), missing: null });
    // The blog's dataset, verbatim: srid 3794, "m", 1.37 GB.
    expect(r.data?.dataset).toMatchObject({ name: 'New pointcloud from FTP', type: 'POINTCLOUD', srid: 3794, unit: 'm', readWriteMode: 'r', isPublic: true, isAnnotated: true, sizeInGb: 1.37, status: 'ready' });
    expect(flaiCalls(stack)).toBe(2);
    expect(route(stack, 'GET /organization/{orgId}/datasets/{datasetId}')).toBe(2);
  });

  test('datasets(first, after): pages of the vendor list, one call each, cursors continue', async ({ stack, held: { datasets } }) => {
    const p1 = await stack.op(FlaiDatasetsPageDocument);
    expect(p1.errors).toBeUndefined();
    expect(p1.data?.datasets?.totalCount).toBe(datasets.length);
    expect(p1.data?.datasets?.edges.map((e) => e.node)).toEqual(datasets.slice(0, 5).map(expectedDataset));
    expect(p1.data?.datasets?.nodes.map((n) => n.id)).toEqual(datasets.slice(0, 5).map((d) => d.id));
    expect(p1.data?.datasets?.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    expect(flaiCalls(stack)).toBe(1);

    stack.resetCounts();
    const p2 = await stack.op(FlaiDatasetsPageDocument, { after: p1.data?.datasets?.pageInfo.endCursor });
    expect(p2.data?.datasets?.edges.map((e) => e.node)).toEqual(datasets.slice(5, 10).map(expectedDataset));
    expect(p2.data?.datasets?.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: true });
    expect(flaiCalls(stack)).toBe(1);

    // A window that straddles two vendor pages of 5 is still one call (page 1 of 15 here).
    stack.resetCounts();
    const mid = await stack.op(FlaiDatasetsWindowDocument, { after: p1.data?.datasets?.edges[2].cursor });
    expect(mid.data?.datasets?.nodes.map((n) => n.id)).toEqual(datasets.slice(3, 13).map((d) => d.id));
    expect(flaiCalls(stack)).toBe(1);

    stack.resetCounts();
    const last = await stack.op(FlaiDatasetsWholeDocument);
    expect([last.data?.datasets?.nodes.length, last.data?.datasets?.pageInfo.hasNextPage]).toEqual([datasets.length, false]);
    expect(flaiCalls(stack)).toBe(1);
  });

  test('bad paging input is BAD_USER_INPUT without a vendor call', async ({ stack }) => {
    const r = await stack.op(FlaiDatasetsBadPagingDocument);
    expect(r.data).toEqual({ a: null, b: null });
    expect(r.errors?.map((e) => [e.path?.join('.'), e.extensions?.code])).toEqual([
      ['a', 'BAD_USER_INPUT'],
      ['b', 'BAD_USER_INPUT'],
    ]);
    expect(flaiCalls(stack)).toBe(0);
  });

  test('producedBy: imported datasets are null for free; written ones cost one execution scan per request', async ({ stack, held: { datasets, executions } }) => {
    const imported = datasets.find((d) => d.id === FLAI_DOCUMENTED.inputDatasetId) as Raw;
    const r1 = await stack.op(FlaiDatasetProducerDocument, { id: String(imported.id) });
    expect(r1.data).toEqual({ dataset: { producedBy: null } });
    expect(flaiCalls(stack)).toBe(1);

    stack.resetCounts();
    const outputs = executions.flatMap((e) => (e.output_datasets as Raw[]).map((o) => ({ datasetId: String(o.dataset_id), executionId: e.id })));
    const [a, b] = outputs;
    const r2 = await stack.op(FlaiTwoProducersDocument, { a: a.datasetId, b: b.datasetId });
    expect(r2.errors).toBeUndefined();
    expect(r2.data).toEqual({
      a: { producedBy: { id: a.executionId, flowId: (executions.find((e) => e.id === a.executionId) as Raw).flow_id } },
      b: { producedBy: { id: b.executionId } },
    });
    // 2 datasets + 1 scan of the execution list shared by both (it primes the executions too).
    expect(flaiCalls(stack)).toBe(3);
    expect(route(stack, 'GET /organization/{orgId}/flow-executions')).toBe(1);
  });

  test('a list primes the by-id loaders: datasets → producedBy → outputDatasets.dataset costs no dataset call', async ({ stack, held: { executions } }) => {
    const r = await stack.op(FlaiDatasetsProducersDocument);
    expect(r.errors).toBeUndefined();
    const written = r.data?.datasets?.nodes.filter((n) => n.producedBy) ?? [];
    const expectedWritten = new Set(executions.flatMap((e) => (e.output_datasets as Raw[]).map((o) => o.dataset_id)));
    expect(new Set(written.map((n) => n.id))).toEqual(expectedWritten);
    for (const n of written) expect(n.producedBy?.outputDatasets.map((o) => o.dataset?.id)).toContain(n.id);
    expect(flaiCalls(stack)).toBe(2);
    expect(route(stack, 'GET /organization/{orgId}/datasets/{datasetId}')).toBe(0);
  });
});

describe('flows', () => {
  test('flow(id): the node keys of the Flow Builder, exactly; a missing flow is null', async ({ stack }) => {
    const raw = await vendor<Raw & { flow_nodes: Raw[] }>(stack, `/flows/${FLAI_DOCUMENTED.templateFlowId}?decorators=flow_nodes`);
    stack.resetCounts();
    const r = await stack.op(FlaiFlowAndNoneDocument, { id: FLAI_DOCUMENTED.templateFlowId });
    expect(r.errors).toBeUndefined();
    expect(r.data).toEqual({
      flow: {
        id: FLAI_DOCUMENTED.templateFlowId,
        title: raw.title,
        nodes: raw.flow_nodes.map((n) => ({ key: n.flow_node_key, type: n.type, definitionId: n.flow_node_definition_id, options: n.options })),
      },
      none: null,
    });
    // The blog's `flow_node_options` keys.
    expect(r.data?.flow?.nodes.map((n) => n.key)).toEqual([
      'point_cloud_reader_1',
      'remap_classification_labels_1',
      'flainet_aerial_mapping',
      'point_cloud_writer_1',
      'point_cloud_writer_2',
    ]);
    expect(flaiCalls(stack)).toBe(2);
  });

  test('flowTemplates: the bare vendor array, exactly, in one call', async ({ stack }) => {
    const raw = await vendor<Raw[]>(stack, '/flow-templates');
    stack.resetCounts();
    const r = await stack.op(FlaiFlowTemplatesDocument);
    expect(r.data).toEqual({ flowTemplates: raw.map((t) => ({ id: t.id, title: t.title })) });
    expect(flaiCalls(stack)).toBe(1);
  });
});

describe('flow executions', () => {
  test("flowExecution(id): the blog's execution, exactly, with its flow", async ({ stack, held: { executions } }) => {
    const raw = executions.find((e) => e.id === FLAI_DOCUMENTED.executionId) as Raw;
    const r = await stack.op(FlaiExecutionAndNoneDocument, { id: String(raw.id) });
    expect(r.errors).toBeUndefined();
    expect(r.data).toEqual({ flowExecution: { ...expectedExecution(raw), flow: { id: FLAI_DOCUMENTED.executionFlowId, title: 'Aerial mapping classification - Writer 1/2' } }, none: null });
    expect(r.data?.flowExecution).toMatchObject({
      createdBy: '84ffb8cc-acb7-4904-aa7a-0b27b28e1005',
      createdAt: '2023-11-19T12:39:30.000Z',
      status: 'PROCESSING',
      outputDatasets: [{ datasetId: FLAI_DOCUMENTED.outputDatasetId, name: 'Writer 1', status: 'created', sizeInGb: 0, createdAt: '2023-11-19T12:39:30.000Z' }],
    });
    expect(flaiCalls(stack)).toBe(3);
  });

  test('flowExecution → outputDatasets { dataset { name } } with D outputs costs 1 + D; aliases deduplicate', async ({ stack, held: { executions } }) => {
    const raw = executions.find((e) => (e.output_datasets as Raw[]).length === 2) as Raw;
    const outs = raw.output_datasets as Raw[];
    const r = await stack.op(FlaiExecutionTwiceDocument, { id: String(raw.id) });
    expect(r.errors).toBeUndefined();
    expect(r.data).toEqual({
      a: { outputDatasets: outs.map((o) => ({ dataset: { name: o.dataset_name } })) },
      b: { id: raw.id, outputDatasets: outs.map((o) => ({ dataset: { id: o.dataset_id } })) },
    });
    expect(flaiCalls(stack)).toBe(1 + 2);
    expect(route(stack, 'GET /organization/{orgId}/flow-executions/{executionId}')).toBe(1);
    expect(route(stack, 'GET /organization/{orgId}/datasets/{datasetId}')).toBe(2);
  });

  test('flowExecutions: exact pages of the vendor list, newest first', async ({ stack, held: { executions } }) => {
    const r = await stack.op(FlaiExecutionsFirstPageDocument);
    expect(r.errors).toBeUndefined();
    expect(r.data?.flowExecutions?.totalCount).toBe(executions.length);
    expect(r.data?.flowExecutions?.nodes).toEqual(executions.slice(0, 4).map(expectedExecution));
    expect(r.data?.flowExecutions?.pageInfo.hasNextPage).toBe(true);
    expect(flaiCalls(stack)).toBe(1);

    stack.resetCounts();
    const r2 = await stack.op(FlaiExecutionsNextPageDocument, { a: r.data?.flowExecutions?.pageInfo.endCursor });
    expect(r2.data?.flowExecutions?.nodes).toEqual(executions.slice(4, 8).map(expectedExecution));
    expect(flaiCalls(stack)).toBe(1);
  });

  test('flowExecutions(flowId): only that flow, totalCount and cursors of the filtered list, one call', async ({ stack, held: { executions } }) => {
    const flowId = FLAI_DOCUMENTED.templateFlowId;
    const mine = executions.filter((e) => e.flow_id === flowId);
    expect(mine.length).toBeGreaterThan(2);
    const r = await stack.op(FlaiExecutionsOfFlowDocument, { f: flowId });
    expect(r.data?.flowExecutions).toEqual({
      totalCount: mine.length,
      nodes: mine.slice(0, 2).map((e) => ({ id: e.id, flowId })),
      pageInfo: { hasNextPage: true, endCursor: r.data?.flowExecutions?.pageInfo.endCursor },
    });
    expect(flaiCalls(stack)).toBe(1);

    stack.resetCounts();
    const r2 = await stack.op(FlaiExecutionsOfFlowDocument, { f: flowId, a: r.data?.flowExecutions?.pageInfo.endCursor });
    expect(r2.data?.flowExecutions?.nodes).toEqual(mine.slice(2, 4).map((e) => ({ id: e.id, flowId })));
    expect(r2.data?.flowExecutions?.pageInfo.hasNextPage).toBe(mine.length > 4);
    expect(flaiCalls(stack)).toBe(1);

    stack.resetCounts();
    const none = await stack.op(FlaiExecutionsOfFlowWholeDocument, { f: 'no-such-flow' });
    expect(none.data).toEqual({ flowExecutions: { totalCount: 0, nodes: [], pageInfo: { hasNextPage: false } } });
    expect(flaiCalls(stack)).toBe(1);
  });

  test('flows of a listed page are loaded once per distinct flow', async ({ stack, held: { executions } }) => {
    const r = await stack.op(FlaiExecutionsWithFlowDocument);
    expect(r.data?.flowExecutions?.nodes.map((n) => [n.id, n.flow?.id])).toEqual(executions.slice(0, 3).map((e) => [e.id, e.flow_id]));
    const flows = new Set(executions.slice(0, 3).map((e) => e.flow_id)).size;
    expect(flaiCalls(stack)).toBe(1 + flows);
  });
});

describe('jobs', () => {
  test('jobs(refs) loads Flai jobs through the same loaders (a missing one is null)', async ({ stack, held: { executions } }) => {
    const raw = executions[0];
    const r = await stack.op(FlaiJobsDocument, { id: String(raw.id) });
    expect(r.errors).toBeUndefined();
    const job = { __typename: 'FlowExecution', id: raw.id, state: expectedExecution(raw).state, upstreamStatus: raw.status, isTerminal: expectedExecution(raw).isTerminal };
    expect(r.data).toEqual({ jobs: [job, job, null] });
    expect(flaiCalls(stack)).toBe(2);
  });
});
