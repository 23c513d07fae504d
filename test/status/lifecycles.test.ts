import { describe, expect } from 'vitest';
import {
  StatusDatasetDownloadFilesDocument,
  StatusFlowExecutionOutputsDocument,
  StatusPointcloudLifecycleDocument,
  StatusProcessingLifecycleDocument,
  StatusProjectReviewDocument,
} from '../generated/graphql.js';
import { driveUntilComplete, Feed, field, nextActivity, of, test, until, type Stack } from './status.helpers.js';
import { createProcessing, createProject, FLAI, getProcessing, PROCESSING_POINTCLOUD, requestDownload, runFlow } from './vendors.helpers.js';

test.afterEach(({ stack }) => {
  // Every stream of a test has ended: no watcher is left polling.
  expect(stack.gateway.status.health()).toMatchObject({ watchers: 0, subscribers: 0 });
});

/** The processing states the simulator went through, one per step that changed it. */
function mapflowStates(steps: { field: string; to: unknown }[][], start: { status: string; percent: number }) {
  const out: { status: string; percent: number }[] = [];
  let cur = { ...start };
  for (const step of steps) {
    for (const c of step) {
      if (c.field === 'status') cur = { ...cur, status: c.to as string };
      if (c.field === 'percentCompleted') cur = { ...cur, percent: c.to as number };
    }
    out.push(cur);
  }
  return out;
}

describe('processingUpdated', () => {
  test('follows a new processing from UNPROCESSED to OK: current state first, one event per change, in order, then completes', async ({ stack, client }) => {
    const created = await createProcessing(stack);
    const id = created.id;
    const feed = new Feed(client, StatusProcessingLifecycleDocument, { id });
    const first = field(await feed.next(), 'processingUpdated');
    expect(first).toEqual({
      __typename: 'Processing',
      id,
      source: 'MAPFLOW',
      state: 'QUEUED',
      upstreamStatus: 'UNPROCESSED',
      progress: 0,
      isTerminal: false,
      status: 'UNPROCESSED',
      reviewStatus: null,
      percentCompleted: 0,
      messages: [],
    });

    const steps = await driveUntilComplete(stack.sims.mapflow, feed, (c) => c.entity === 'processing' && c.id === id);
    const events = feed.received.slice(1).map((r) => field(r, 'processingUpdated'));
    const expected = mapflowStates(steps, { status: 'UNPROCESSED', percent: 0 });
    expect(events.map((e) => ({ status: e.upstreamStatus, percent: e.percentCompleted }))).toEqual(expected);
    expect(expected.length).toBeGreaterThanOrEqual(7); // IN_PROGRESS 0, six progress steps, OK
    expect(events.at(-1)).toMatchObject({ state: 'SUCCEEDED', status: 'OK', progress: 100, isTerminal: true });
    expect(events.slice(0, -1).every((e) => e.state === 'RUNNING' && !e.isTerminal)).toBe(true);
    // No duplicates: every event differs from the one before.
    const keys = feed.received.map((r) => JSON.stringify(field(r, 'processingUpdated')));
    expect(new Set(keys).size).toBe(keys.length);
    expect(feed.completed).toBe(true);
  });

  test('reports a failed processing with its messages, then completes', async ({ stack, client }) => {
    const created = await createProcessing(stack, { failing: true });
    const id = created.id;
    const feed = new Feed(client, StatusProcessingLifecycleDocument, { id });
    expect(field(await feed.next(), 'processingUpdated')).toMatchObject({ status: 'UNPROCESSED', messages: [] });
    const steps = await driveUntilComplete(stack.sims.mapflow, feed, (c) => c.entity === 'processing' && c.id === id);
    const events = feed.received.slice(1).map((r) => field(r, 'processingUpdated'));
    expect(events.map((e) => ({ status: e.upstreamStatus, percent: e.percentCompleted }))).toEqual(mapflowStates(steps, { status: 'UNPROCESSED', percent: 0 }));
    const last = events.at(-1);
    expect(last).toMatchObject({ state: 'FAILED', status: 'FAILED', isTerminal: true });
    const held = await getProcessing(stack, id);
    expect(held.messages).toEqual([expect.objectContaining({ code: 'dataloader.TileNotLoaded' })]);
    expect(last?.messages).toEqual(held.messages.map((m) => ({ code: m.code, parameters: m.parameters })));
    expect(events.slice(0, -1).every((e) => e.messages.length === 0)).toBe(true);
  });
});

describe('review status', () => {
  /** What Mapflow's reviewers do (no public API does it): the simulator's admin route. */
  async function review(stack: Stack, id: string, reviewStatus: string) {
    const res = await fetch(`${stack.sims.mapflow.origin}/__sim/processings/${id}/review`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ reviewStatus }),
    });
    expect(res.status).toBe(200);
  }

  test('follows a finished processing under review until its results are accepted, and a project sees review changes alone', async ({ stack, client }) => {
    const projectId = (await createProject(stack, 'under review')).id;
    const id = (await createProcessing(stack, { projectId })).id;
    for (let t = 0; t < 60_000; t += 1_000) stack.sims.mapflow.clock.advance(1_000);
    stack.sims.mapflow.scheduler.settle();
    // OK, but the customer did not accept the results: not final yet (the plugin's is_final_state).
    await review(stack, id, 'NOT_ACCEPTED');
    const feed = new Feed(client, StatusProcessingLifecycleDocument, { id });
    expect(field(await feed.next(), 'processingUpdated')).toMatchObject({ state: 'SUCCEEDED', status: 'OK', reviewStatus: 'NOT_ACCEPTED', isTerminal: false });

    await review(stack, id, 'ACCEPTED');
    expect(field(await feed.next(), 'processingUpdated')).toMatchObject({ state: 'SUCCEEDED', status: 'OK', reviewStatus: 'ACCEPTED', isTerminal: true });
    await feed.done();
    expect(feed.received).toHaveLength(2);

    // A change of the review status alone (terminal before and after) is an event too.
    const project = new Feed(client, StatusProjectReviewDocument, { p: projectId });
    expect(field(await project.next(), 'projectProcessingsUpdated')).toEqual({ id, status: 'OK', reviewStatus: 'ACCEPTED', isTerminal: true });
    await review(stack, id, 'REFUNDED');
    expect(field(await project.next(), 'projectProcessingsUpdated')).toEqual({ id, status: 'OK', reviewStatus: 'REFUNDED', isTerminal: true });
    project.close();
    await until(stack.gateway.status, () => stack.gateway.status.health().watchers === 0);
  });

  test('keeps following a processing whose results are under review (IN_REVIEW: running, not terminal) until they are accepted', async ({ stack, client }) => {
    const id = (await createProcessing(stack, { name: 'results under review' })).id;
    for (let t = 0; t < 60_000; t += 1_000) stack.sims.mapflow.clock.advance(1_000);
    stack.sims.mapflow.scheduler.settle();
    // Tenant alpha has the review workflow: with documented variants, its results under review have the status IN_REVIEW.
    await review(stack, id, 'IN_REVIEW');
    expect((await getProcessing(stack, id)).status).toBe('IN_REVIEW');
    const feed = new Feed(client, StatusProcessingLifecycleDocument, { id });
    expect(field(await feed.next(), 'processingUpdated')).toMatchObject({
      state: 'RUNNING',
      upstreamStatus: 'IN_REVIEW',
      status: 'IN_REVIEW',
      reviewStatus: 'IN_REVIEW',
      progress: 100,
      isTerminal: false,
    });
    // Not terminal: polled again, and the stream stays open.
    await nextActivity(stack.gateway.status, of('Processing', id, (a) => a.type === 'poll' && a.ok && a.nextPollAt !== null));
    expect(feed.completed).toBe(false);

    await review(stack, id, 'ACCEPTED');
    expect(field(await feed.next(), 'processingUpdated')).toMatchObject({ state: 'SUCCEEDED', status: 'OK', reviewStatus: 'ACCEPTED', isTerminal: true });
    await feed.done();
    expect(feed.received).toHaveLength(2);
  });
});

describe('flowExecutionUpdated', () => {
  test('follows a flow execution from queued to finished, with its output datasets as they are written', async ({ stack, client }) => {
    const run = await runFlow(stack);
    const id = run.id;
    const outputs = (run.output_datasets ?? []).map((o) => o.dataset_id);
    expect(outputs).toHaveLength(2);
    const feed = new Feed(client, StatusFlowExecutionOutputsDocument, { id });
    const first = field(await feed.next(), 'flowExecutionUpdated');
    expect(first).toMatchObject({ id, state: 'QUEUED', upstreamStatus: 'queued', isTerminal: false, finishedAt: null });
    expect(first.outputDatasets).toEqual([
      { datasetId: outputs[0], name: 'Writer 1', status: 'created' },
      { datasetId: outputs[1], name: 'Writer 2', status: 'created' },
    ]);

    await driveUntilComplete(stack.sims.flai, feed, (c) => (c.entity === 'flow_execution' && c.id === id) || (c.entity === 'dataset' && outputs.includes(c.id)));
    const events = feed.received.map((r) => field(r, 'flowExecutionUpdated'));
    const summary = events.map((e) => [e.upstreamStatus, ...e.outputDatasets.map((o) => o.status)]);
    expect(summary).toEqual([
      ['queued', 'created', 'created'],
      ['processing', 'created', 'created'],
      ['processing', 'processing', 'processing'],
      ['finished', 'ready', 'ready'],
    ]);
    expect(events.at(-1)).toMatchObject({ state: 'SUCCEEDED', status: 'FINISHED', isTerminal: true });
    expect(events.at(-1)?.finishedAt).toEqual(expect.any(String));
  });
});

describe('datasetDownloadUpdated', () => {
  test('follows a download until it is prepared, with its files', async ({ stack, client }) => {
    const dl = await requestDownload(stack, FLAI.alpha);
    const id = dl.id;
    const feed = new Feed(client, StatusDatasetDownloadFilesDocument, { id });
    await feed.next();
    await driveUntilComplete(stack.sims.flai, feed, (c) => c.entity === 'download' && c.id === id);
    const events = feed.received.map((r) => field(r, 'datasetDownloadUpdated'));
    expect(events.map((e) => [e.upstreamStatus, e.state, e.ready])).toEqual([
      ['pending', 'QUEUED', false],
      ['processing', 'RUNNING', false],
      ['download-prepared', 'SUCCEEDED', true],
    ]);
    const files = events.at(-1)?.files ?? [];
    expect(files.length).toBeGreaterThan(0);
    expect(files.every((f) => typeof f.id === 'string' && typeof f.name === 'string' && typeof f.size === 'number')).toBe(true);
    expect(events.slice(0, -1).every((e) => e.files.length === 0)).toBe(true);
  });
});

describe('pointcloudUpdated', () => {
  test('follows a pointcloud from processing to done', async ({ stack, client }) => {
    const { id } = PROCESSING_POINTCLOUD;
    const feed = new Feed(client, StatusPointcloudLifecycleDocument, { id });
    expect(field(await feed.next(), 'pointcloudUpdated')).toMatchObject({ id, state: 'RUNNING', upstreamStatus: 'processing', isTerminal: false });
    await driveUntilComplete(stack.sims.cupix, feed, (c) => c.entity === 'pointcloud' && c.id === id && c.field === 'state', { stepMs: 1_000 });
    const events = feed.received.map((r) => field(r, 'pointcloudUpdated'));
    expect(events.map((e) => [e.upstreamStatus, e.state, e.isTerminal])).toEqual([
      ['processing', 'RUNNING', false],
      ['done', 'SUCCEEDED', true],
    ]);
  });
});
