/**
 * How a classification ends when something goes wrong, on the embedded simulators (one gateway, no
 * Redis): a vendor failing mid-transfer (bounded by PIPELINE_MAX_STALL_SECONDS), a download that
 * breaks off once (read on with a Range), a cancel in each later stage, a flow without a reader; and
 * jobsUpdated. Each ends as the schema says, with nothing made twice at Flai.
 */
import { describe, expect } from 'vitest';
import { ClassifyByIdDocument, ClassifyCancelDocument, ClassifyJobsUpdatedDocument, ClassifyStartDocument, ClassifyUpdatedDocument } from '../generated/graphql.js';
import { Feed, field, test } from '../status/status.helpers.js';
import { CHUNK, classify, CREATE_DATASET_ROUTE, flowId, nextAnswer, RUN_FLOW_ROUTE, setFilesize, STORAGE_ROUTE, SUB_ID, UPLOAD_ROUTE } from './classify.helpers.js';

test.override('stackOptions', { timeScale: 2000, env: { PIPELINE_POLL_MS: '20', PIPELINE_MAX_STALL_SECONDS: '1' } });

const SIZE = 3 * CHUNK + 4_321;
type Update = { state: string; stage: string; error?: string | null; transferredBytes: number };

test.afterEach(({ stack }) => {
  stack.sims.flai.faults.set(null);
  stack.sims.cupix.faults.set(null);
});

describe('classifyPointcloud when things go wrong', () => {
  test('Flai failing mid-upload: FAILED in TRANSFERRING with the UPSTREAM_* code once the stall bound passes; no dataset', async ({ stack, client }) => {
    await setFilesize(stack.sims.cupix.origin, SUB_ID, SIZE);
    const flow = await flowId(stack.gateway.url);
    const held = stack.sims.flai.holds.hold(UPLOAD_ROUTE, { skip: 1 });
    stack.resetCounts();
    const job = await classify(stack.gateway.url, { pointcloudId: SUB_ID, flowId: flow });
    const feed = new Feed(client, ClassifyUpdatedDocument, { id: job.id });
    await held.arrived;
    // The second chunk is in; every chunk after it meets a Flai that answers 503.
    stack.sims.flai.faults.set({ route: UPLOAD_ROUTE, errorRate: 1, errorStatuses: [503] });
    held.release();
    await feed.done();
    const last = field<Update>(feed.received.at(-1)!, 'pointcloudClassificationUpdated');
    expect(last).toMatchObject({ state: 'FAILED', stage: 'TRANSFERRING', transferredBytes: 2 * CHUNK });
    expect(last.error).toMatch(/^Flai failed during TRANSFERRING \(UPSTREAM_UNAVAILABLE\)/);
    expect(stack.callsTo('flai', UPLOAD_ROUTE)).toBeGreaterThan(3);
    expect(stack.callsTo('flai', CREATE_DATASET_ROUTE)).toBe(0);
  });

  test('Cupix failing mid-download: a download cut once is read on from where it broke; cut and then down, FAILED with UPSTREAM_*', async ({ stack, client }) => {
    await setFilesize(stack.sims.cupix.origin, SUB_ID, SIZE);
    const flow = await flowId(stack.gateway.url);
    stack.sims.cupix.holds.cut(STORAGE_ROUTE, CHUNK + 1000);
    stack.resetCounts();
    const once = await classify(stack.gateway.url, { pointcloudId: SUB_ID, flowId: flow });
    const feed = new Feed(client, ClassifyUpdatedDocument, { id: once.id });
    await feed.done();
    expect(field<Update>(feed.received.at(-1)!, 'pointcloudClassificationUpdated')).toMatchObject({ state: 'SUCCEEDED', transferredBytes: SIZE });
    expect(stack.callsTo('cupix', STORAGE_ROUTE)).toBe(2);
    expect(stack.callsTo('flai', UPLOAD_ROUTE)).toBe(4);
    expect(stack.callsTo('flai', CREATE_DATASET_ROUTE)).toBe(1);

    const held = stack.sims.cupix.holds.hold(STORAGE_ROUTE);
    stack.sims.cupix.holds.cut(STORAGE_ROUTE, CHUNK + 1000);
    stack.resetCounts();
    const down = await classify(stack.gateway.url, { pointcloudId: SUB_ID, flowId: flow });
    const downFeed = new Feed(client, ClassifyUpdatedDocument, { id: down.id });
    await held.arrived;
    stack.sims.cupix.faults.set({ route: STORAGE_ROUTE, errorRate: 1, errorStatuses: [503] });
    held.release();
    await downFeed.done();
    const last = field<Update>(downFeed.received.at(-1)!, 'pointcloudClassificationUpdated');
    expect(last).toMatchObject({ state: 'FAILED', stage: 'TRANSFERRING' });
    expect(last.error).toMatch(/^Cupix failed during TRANSFERRING \(UPSTREAM_UNAVAILABLE\)/);
    expect(stack.callsTo('flai', CREATE_DATASET_ROUTE)).toBe(0);
  });

  test('cancel during IMPORTING: CANCELLED in IMPORTING; the dataset Flai was making is the only one, and no flow runs', async ({ stack, client }) => {
    await setFilesize(stack.sims.cupix.origin, SUB_ID, 1000);
    const flow = await flowId(stack.gateway.url);
    const held = stack.sims.flai.holds.hold(CREATE_DATASET_ROUTE);
    stack.resetCounts();
    const job = await classify(stack.gateway.url, { pointcloudId: SUB_ID, flowId: flow });
    const feed = new Feed(client, ClassifyUpdatedDocument, { id: job.id });
    await held.arrived;
    const cancelled = (await stack.op(ClassifyCancelDocument, { id: job.id })).data?.cancelPointcloudClassification;
    expect(cancelled).toMatchObject({ state: 'CANCELLED', stage: 'IMPORTING', isTerminal: true });
    const made = nextAnswer(stack.sims.flai, CREATE_DATASET_ROUTE);
    held.release();
    expect(await made).toBeLessThan(300);
    await feed.done();
    expect(field<Update>(feed.received.at(-1)!, 'pointcloudClassificationUpdated')).toMatchObject({ state: 'CANCELLED', stage: 'IMPORTING' });
    expect(stack.callsTo('flai', CREATE_DATASET_ROUTE)).toBe(1);
    expect(stack.callsTo('flai', RUN_FLOW_ROUTE)).toBe(0);
  });

  test('cancel during CLASSIFYING: CANCELLED in CLASSIFYING, one execution, and it stays cancelled', async ({ stack, client }) => {
    await setFilesize(stack.sims.cupix.origin, SUB_ID, 1000);
    const flow = await flowId(stack.gateway.url);
    const held = stack.sims.flai.holds.hold(RUN_FLOW_ROUTE);
    stack.resetCounts();
    const job = await classify(stack.gateway.url, { pointcloudId: SUB_ID, flowId: flow });
    const feed = new Feed(client, ClassifyUpdatedDocument, { id: job.id });
    await held.arrived;
    const cancelled = (await stack.op(ClassifyCancelDocument, { id: job.id })).data?.cancelPointcloudClassification;
    expect(cancelled).toMatchObject({ state: 'CANCELLED', stage: 'CLASSIFYING' });
    expect(cancelled?.error).toContain('runs to its end at Flai');
    const started = nextAnswer(stack.sims.flai, RUN_FLOW_ROUTE);
    held.release();
    expect(await started).toBeLessThan(300);
    await feed.done();
    expect(stack.callsTo('flai', RUN_FLOW_ROUTE)).toBe(1);
    expect(stack.callsTo('flai', CREATE_DATASET_ROUTE)).toBe(1);
    expect((await stack.op(ClassifyByIdDocument, { id: job.id })).data?.pointcloudClassification).toMatchObject({ state: 'CANCELLED', stage: 'CLASSIFYING', outputDatasets: [] });
  });

  test('a flow without a point-cloud reader is BAD_USER_INPUT before anything starts', async ({ stack }) => {
    const res = await fetch(`${stack.sims.flai.origin}/__sim/flows`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ tenant: 'alpha', title: 'Vector cleanup', nodes: ['vector_reader_1:vector_reader', 'vector_writer_1:vector_writer'] }),
    });
    const { id } = (await res.json()) as { id: string };
    stack.resetCounts();
    const answer = await stack.op(ClassifyStartDocument, { input: { pointcloudId: SUB_ID, flowId: id } });
    expect(answer.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' }, message: expect.stringContaining('0 point-cloud reader nodes') });
    expect(stack.callsTo('flai', UPLOAD_ROUTE)).toBe(0);
    expect(stack.callsTo('cupix', STORAGE_ROUTE)).toBe(0);
  });

  test('jobsUpdated follows a classification (GATEWAY, PointcloudClassification): snapshot first, completes when it ends', async ({ stack, client }) => {
    await setFilesize(stack.sims.cupix.origin, SUB_ID, 1000);
    const flow = await flowId(stack.gateway.url);
    const held = stack.sims.flai.holds.hold(UPLOAD_ROUTE);
    const job = await classify(stack.gateway.url, { pointcloudId: SUB_ID, flowId: flow });
    const feed = new Feed(client, ClassifyJobsUpdatedDocument, { refs: [{ source: 'GATEWAY', type: 'PointcloudClassification', id: job.id }] });
    const first = field(await feed.next(), 'jobsUpdated');
    expect(first).toMatchObject({ job: { __typename: 'PointcloudClassification', id: job.id, source: 'GATEWAY', stage: 'TRANSFERRING' } });
    held.release();
    await feed.done();
    expect(field(feed.received.at(-1)!, 'jobsUpdated')).toMatchObject({ state: 'SUCCEEDED', job: { stage: 'DONE' } });
  });
});
