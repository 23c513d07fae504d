/**
 * Point-cloud classifications through the federated deployment: the `jobs` subgraph runs and serves
 * them, the cupix and flai subgraphs complete the point cloud, dataset, execution and outputs it
 * points at. A client here knows only the gateway's URL: real HTTP and graphql-ws through Hive
 * Gateway to the real simulators (clocks running, as in test/classify/pipeline.test.ts).
 */
import { describe, expect } from 'vitest';
import { ClassifyCancelDocument, ClassifyJobsUpdatedDocument, ClassifyUpdatedDocument, FederationClassificationDocument, FederationClassificationTargetsDocument } from '../generated/graphql.js';
import { poster, test } from '../helpers/federation.helpers.js';
import { opAt } from '../helpers/stack.helpers.js';
import { Feed, field } from '../status/status.helpers.js';
import { CHUNK, classify, CREATE_DATASET_ROUTE, flowId, RUN_FLOW_ROUTE, setFilesize, SUB_ID, UPLOAD_ROUTE } from '../classify/classify.helpers.js';

test.override('stackOptions', { timeScale: 2000, env: { PIPELINE_POLL_MS: '20' } });

const SIZE = 2 * CHUNK + 12_345;
const OTHER_CUPIX = { 'x-cupix-token': 'cupix-demo-beta-2e8d6b0a9c4f1735' };
const ENTITIES = 'query ($r: [_Any!]!) { _entities(representations: $r) { ... on PointcloudClassification { id state stage } } }';

describe('classifyPointcloud through the federation gateway', () => {
  test('runs to SUCCEEDED over pointcloudClassificationUpdated and jobsUpdated; the cupix and flai subgraphs complete its point cloud, dataset, execution and outputs', async ({ stack, client }) => {
    await setFilesize(stack.sims.cupix.origin, SUB_ID, SIZE);
    const flow = await flowId(stack.federation.url);
    stack.resetCounts();
    const started = await classify(stack.federation.url, { pointcloudId: SUB_ID, flowId: flow, datasetName: 'federated scan' });
    expect(started).toMatchObject({ source: 'GATEWAY', stage: 'TRANSFERRING', isTerminal: false, transferredBytes: 0 });

    const feed = new Feed(client, ClassifyUpdatedDocument, { id: started.id });
    const jobs = new Feed(client, ClassifyJobsUpdatedDocument, { refs: [{ source: 'GATEWAY', type: 'PointcloudClassification', id: started.id }] });
    await Promise.all([feed.done(), jobs.done()]);
    const events = feed.received.map((r) => field(r, 'pointcloudClassificationUpdated'));
    expect(events.at(-1)).toMatchObject({ state: 'SUCCEEDED', stage: 'DONE', progress: 100, transferredBytes: SIZE, totalBytes: SIZE, isTerminal: true });
    expect(events.some((e) => e.stage === 'CLASSIFYING')).toBe(true);
    expect(field(jobs.received.at(-1)!, 'jobsUpdated')).toMatchObject({ state: 'SUCCEEDED', job: { __typename: 'PointcloudClassification', id: started.id, stage: 'DONE' } });
    // One transfer, one dataset, one execution: run by the jobs subgraph alone.
    expect(stack.callsTo('flai', UPLOAD_ROUTE)).toBe(3);
    expect(stack.callsTo('flai', CREATE_DATASET_ROUTE)).toBe(1);
    expect(stack.callsTo('flai', RUN_FLOW_ROUTE)).toBe(1);

    const done = (await opAt(stack.federation.url, FederationClassificationDocument, { id: started.id })).data?.pointcloudClassification;
    expect(done).toMatchObject({ id: started.id, state: 'SUCCEEDED', stage: 'DONE', dataset: { name: 'federated scan', status: 'ready' }, flowExecution: { state: 'SUCCEEDED', status: 'FINISHED' } });
    // What the cupix and flai subgraphs complete is what the unified server reads from the same simulators.
    const targets = (await opAt(stack.unified.url, FederationClassificationTargetsDocument, { pointcloudId: SUB_ID, flowExecutionId: done!.flowExecution!.id })).data;
    expect(done!.pointcloud).toEqual({ id: SUB_ID, state: 'SUCCEEDED', name: targets!.pointcloud!.name, kind: 'SUB' });
    expect(done!.outputDatasets.length).toBeGreaterThan(0);
    expect(done!.outputDatasets.map(({ datasetId, name }) => ({ datasetId, name }))).toEqual(targets!.flowExecution!.outputDatasets);
    for (const output of done!.outputDatasets) expect(output).toMatchObject({ status: 'ready', dataset: { id: output.datasetId, name: output.name } });
  });

  test('another Cupix credential: null through the gateway and from the jobs subgraph’s _entities, NOT_FOUND to cancel; the owner’s stays', async ({ stack, client }) => {
    await setFilesize(stack.sims.cupix.origin, SUB_ID, 1000);
    const flow = await flowId(stack.federation.url);
    const job = await classify(stack.federation.url, { pointcloudId: SUB_ID, flowId: flow });

    expect((await opAt(stack.federation.url, FederationClassificationDocument, { id: job.id }, OTHER_CUPIX)).data).toEqual({ pointcloudClassification: null });
    const cancel = await opAt(stack.federation.url, ClassifyCancelDocument, { id: job.id }, OTHER_CUPIX);
    expect(cancel.errors?.[0].extensions).toMatchObject({ code: 'NOT_FOUND' });

    const entities = poster(stack.subgraphs.jobs.url);
    const r = [{ __typename: 'PointcloudClassification', id: job.id }];
    expect((await entities(ENTITIES, { r }, OTHER_CUPIX)).data).toEqual({ _entities: [null] });
    expect((await entities(ENTITIES, { r })).data).toEqual({ _entities: [{ id: job.id, state: expect.any(String), stage: expect.any(String) }] });

    await new Feed(client, ClassifyUpdatedDocument, { id: job.id }).done();
    expect((await opAt(stack.federation.url, FederationClassificationDocument, { id: job.id })).data?.pointcloudClassification).toMatchObject({ id: job.id, state: 'SUCCEEDED' });
  });
});
