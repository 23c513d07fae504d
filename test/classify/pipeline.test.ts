/**
 * classifyPointcloud on the embedded simulators, one gateway process without Redis (the in-process
 * runner): the Cupix download streamed into Flai's chunked upload, the dataset, the flow execution,
 * followed over pointcloudClassificationUpdated; checks, ownership, idempotency and cancel.
 */
import { describe, expect } from 'vitest';
import { ClassifyByIdDocument, ClassifyCancelDocument, ClassifyStartDocument, ClassifyUpdatedDocument } from '../generated/graphql.js';
import { Feed, field, test } from '../status/status.helpers.js';
import { CHUNK, classify, CREATE_DATASET_ROUTE, flowId, GROUP_ID, RUN_FLOW_ROUTE, setFilesize, SUB_ID, UPLOAD_ROUTE } from './classify.helpers.js';

test.override('stackOptions', { timeScale: 2000, env: { PIPELINE_POLL_MS: '20' } });

const SIZE = 2 * CHUNK + 12_345;

describe('classifyPointcloud', () => {
  test('runs TRANSFERRING → IMPORTING → CLASSIFYING → DONE with one dataset, one execution and the outputs', async ({ stack, client }) => {
    await setFilesize(stack.sims.cupix.origin, SUB_ID, SIZE);
    const flow = await flowId(stack.gateway.url);
    stack.resetCounts();
    const started = await classify(stack.gateway.url, { pointcloudId: SUB_ID, flowId: flow, datasetName: 'scan 5310' });
    expect(started).toMatchObject({ source: 'GATEWAY', stage: 'TRANSFERRING', isTerminal: false, transferredBytes: 0 });

    const feed = new Feed(client, ClassifyUpdatedDocument, { id: started.id });
    await feed.done();
    const events = feed.received.map((r) => field(r, 'pointcloudClassificationUpdated'));
    const stages = events.map((e) => e.stage).filter((s, i, all) => i === 0 || all[i - 1] !== s);
    const order: string[] = ['TRANSFERRING', 'IMPORTING', 'CLASSIFYING', 'DONE'];
    expect(order.filter((s) => (stages as string[]).includes(s))).toEqual(stages);
    expect(stages.at(-1)).toBe('DONE');
    expect(events.at(-1)).toMatchObject({ state: 'SUCCEEDED', progress: 100, transferredBytes: SIZE, totalBytes: SIZE, isTerminal: true });
    const progress = events.map((e) => e.progress ?? 0);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));

    expect(stack.callsTo('flai', UPLOAD_ROUTE)).toBe(3);
    expect(stack.callsTo('flai', CREATE_DATASET_ROUTE)).toBe(1);
    expect(stack.callsTo('flai', RUN_FLOW_ROUTE)).toBe(1);
    const done = (await stack.op(ClassifyByIdDocument, { id: started.id })).data?.pointcloudClassification;
    expect(done).toMatchObject({ state: 'SUCCEEDED', stage: 'DONE', pointcloud: { id: SUB_ID }, dataset: { name: 'scan 5310', status: 'ready' }, flowExecution: { upstreamStatus: expect.stringMatching(/^finish/) } });
    expect(done?.outputDatasets.length).toBeGreaterThan(0);
    expect(done?.outputDatasets.every((o) => o.status === 'ready')).toBe(true);
  });

  test('the same idempotencyKey returns the same job and makes one dataset and one execution', async ({ stack, client }) => {
    await setFilesize(stack.sims.cupix.origin, SUB_ID, 1000);
    const flow = await flowId(stack.gateway.url);
    stack.resetCounts();
    const first = await classify(stack.gateway.url, { pointcloudId: SUB_ID, flowId: flow, idempotencyKey: 'scan-5310-once' });
    const again = await classify(stack.gateway.url, { pointcloudId: SUB_ID, flowId: flow, idempotencyKey: 'scan-5310-once' });
    expect(again.id).toBe(first.id);
    const feed = new Feed(client, ClassifyUpdatedDocument, { id: first.id });
    await feed.done();
    expect(stack.callsTo('flai', CREATE_DATASET_ROUTE)).toBe(1);
    expect(stack.callsTo('flai', RUN_FLOW_ROUTE)).toBe(1);
  });

  test('a GROUP is BAD_USER_INPUT and nothing starts', async ({ stack }) => {
    const flow = await flowId(stack.gateway.url);
    stack.resetCounts();
    const res = await stack.op(ClassifyStartDocument, { input: { pointcloudId: GROUP_ID, flowId: flow } });
    expect(res.errors?.[0]).toMatchObject({ message: expect.stringContaining('download a sub'), extensions: { code: 'BAD_USER_INPUT' } });
    expect(stack.callsTo('flai', UPLOAD_ROUTE)).toBe(0);
  });

  test('a flow that is not there is NOT_FOUND; reader options are refused', async ({ stack }) => {
    const missing = await stack.op(ClassifyStartDocument, { input: { pointcloudId: SUB_ID, flowId: '00000000-0000-4000-8000-000000000000' } });
    expect(missing.errors?.[0].extensions).toMatchObject({ code: 'NOT_FOUND' });
    const flow = await flowId(stack.gateway.url);
    const reader = await stack.op(ClassifyStartDocument, { input: { pointcloudId: SUB_ID, flowId: flow, nodeOptions: { point_cloud_reader_1: { dataset_id: 'x' } } } });
    expect(reader.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' }, message: expect.stringContaining('set by the gateway') });
  });

  test('a job is its credentials’ only: another Cupix credential gets null and NOT_FOUND', async ({ stack, client }) => {
    await setFilesize(stack.sims.cupix.origin, SUB_ID, 1000);
    const flow = await flowId(stack.gateway.url);
    const job = await classify(stack.gateway.url, { pointcloudId: SUB_ID, flowId: flow });
    const other = { 'x-cupix-token': 'cupix-demo-beta-2e8d6b0a9c4f1735' };
    expect((await stack.op(ClassifyByIdDocument, { id: job.id }, other)).data?.pointcloudClassification).toBeNull();
    const cancel = await stack.op(ClassifyCancelDocument, { id: job.id }, other);
    expect(cancel.errors?.[0].extensions).toMatchObject({ code: 'NOT_FOUND' });
    expect((await stack.op(ClassifyByIdDocument, { id: job.id })).data?.pointcloudClassification?.id).toBe(job.id);
    await new Feed(client, ClassifyUpdatedDocument, { id: job.id }).done();
  });

  test('cancel during TRANSFERRING stops the transfer: CANCELLED, no dataset, no execution', async ({ stack, client }) => {
    await setFilesize(stack.sims.cupix.origin, SUB_ID, SIZE);
    const flow = await flowId(stack.gateway.url);
    const held = stack.sims.flai.holds.hold(UPLOAD_ROUTE, { skip: 1 });
    stack.resetCounts();
    const job = await classify(stack.gateway.url, { pointcloudId: SUB_ID, flowId: flow });
    const feed = new Feed(client, ClassifyUpdatedDocument, { id: job.id });
    await held.arrived;
    const cancelled = (await stack.op(ClassifyCancelDocument, { id: job.id })).data?.cancelPointcloudClassification;
    expect(cancelled).toMatchObject({ state: 'CANCELLED', stage: 'TRANSFERRING', isTerminal: true });
    held.release();
    await feed.done();
    expect(field(feed.received.at(-1)!, 'pointcloudClassificationUpdated')).toMatchObject({ state: 'CANCELLED', stage: 'TRANSFERRING' });
    expect(stack.callsTo('flai', CREATE_DATASET_ROUTE)).toBe(0);
    expect(stack.callsTo('flai', RUN_FLOW_ROUTE)).toBe(0);
  });
});
