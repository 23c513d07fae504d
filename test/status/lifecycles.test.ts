import type { Client } from 'graphql-ws';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { driveUntilComplete, Feed, field, startStatusStack, until, wsClient, type Stack } from './status.helpers.js';
import { createProcessing, createProject, FLAI, getProcessing, PROCESSING_POINTCLOUD, requestDownload, runFlow, type Json } from './vendors.helpers.js';

let stack: Stack;
let client: Client;
beforeAll(async () => {
  stack = await startStatusStack();
  client = wsClient(stack.gateway.url);
});
afterEach(() => {
  // Every stream of a test has ended: no watcher is left polling.
  expect(stack.gateway.status.health()).toMatchObject({ watchers: 0, subscribers: 0 });
});
afterAll(async () => {
  await client?.dispose();
  await stack?.close();
});

const PROCESSING = `subscription ($id: ID!) { processingUpdated(id: $id) {
  __typename id source state upstreamStatus progress isTerminal status reviewStatus percentCompleted messages { code parameters } } }`;

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
  it('follows a new processing from UNPROCESSED to OK: current state first, one event per change, in order, then completes', async () => {
    const created = await createProcessing(stack);
    const id = created.id as string;
    const feed = new Feed(client, PROCESSING, { id });
    const first = field<Json>(await feed.next(), 'processingUpdated');
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
    const events = feed.received.slice(1).map((r) => field<Json>(r, 'processingUpdated'));
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

  it('reports a failed processing with its messages, then completes', async () => {
    const created = await createProcessing(stack, { failing: true });
    const id = created.id as string;
    const feed = new Feed(client, PROCESSING, { id });
    expect(field<Json>(await feed.next(), 'processingUpdated')).toMatchObject({ status: 'UNPROCESSED', messages: [] });
    const steps = await driveUntilComplete(stack.sims.mapflow, feed, (c) => c.entity === 'processing' && c.id === id);
    const events = feed.received.slice(1).map((r) => field<Json>(r, 'processingUpdated'));
    expect(events.map((e) => ({ status: e.upstreamStatus, percent: e.percentCompleted }))).toEqual(mapflowStates(steps, { status: 'UNPROCESSED', percent: 0 }));
    const last = events.at(-1) as Json;
    expect(last).toMatchObject({ state: 'FAILED', status: 'FAILED', isTerminal: true });
    const held = await getProcessing(stack, id);
    expect(held.messages).toEqual([expect.objectContaining({ code: 'dataloader.TileNotLoaded' })]);
    expect(last.messages).toEqual((held.messages as Json[]).map((m) => ({ code: m.code, parameters: m.parameters })));
    expect(events.slice(0, -1).every((e) => (e.messages as unknown[]).length === 0)).toBe(true);
  });
});

describe('review status', () => {
  /** What Mapflow's reviewers do (no public API does it): the simulator's admin route. */
  async function review(id: string, reviewStatus: string) {
    const res = await fetch(`${stack.sims.mapflow.origin}/__sim/processings/${id}/review`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ reviewStatus }),
    });
    expect(res.status).toBe(200);
  }

  it('follows a finished processing under review until its results are accepted, and a project sees review changes alone', async () => {
    const projectId = (await createProject(stack, 'under review')).id as string;
    const id = (await createProcessing(stack, { projectId })).id as string;
    for (let t = 0; t < 60_000; t += 1_000) stack.sims.mapflow.clock.advance(1_000);
    stack.sims.mapflow.scheduler.settle();
    // OK, but the customer did not accept the results: not final yet (the plugin's is_final_state).
    await review(id, 'NOT_ACCEPTED');
    const feed = new Feed(client, PROCESSING, { id });
    expect(field<Json>(await feed.next(), 'processingUpdated')).toMatchObject({ state: 'SUCCEEDED', status: 'OK', reviewStatus: 'NOT_ACCEPTED', isTerminal: false });

    await review(id, 'ACCEPTED');
    expect(field<Json>(await feed.next(), 'processingUpdated')).toMatchObject({ state: 'SUCCEEDED', status: 'OK', reviewStatus: 'ACCEPTED', isTerminal: true });
    await feed.done();
    expect(feed.received).toHaveLength(2);

    // A change of the review status alone (terminal before and after) is an event too.
    const project = new Feed(client, `subscription ($p: ID!) { projectProcessingsUpdated(projectId: $p) { id status reviewStatus isTerminal } }`, { p: projectId });
    expect(field<Json>(await project.next(), 'projectProcessingsUpdated')).toEqual({ id, status: 'OK', reviewStatus: 'ACCEPTED', isTerminal: true });
    await review(id, 'REFUNDED');
    expect(field<Json>(await project.next(), 'projectProcessingsUpdated')).toEqual({ id, status: 'OK', reviewStatus: 'REFUNDED', isTerminal: true });
    project.close();
    await until(stack.gateway.status, () => stack.gateway.status.health().watchers === 0);
  });
});

describe('flowExecutionUpdated', () => {
  it('follows a flow execution from queued to finished, with its output datasets as they are written', async () => {
    const run = await runFlow(stack);
    const id = run.id as string;
    const outputs = ((run.output_datasets as Json[]) ?? []).map((o) => o.dataset_id as string);
    expect(outputs).toHaveLength(2);
    const feed = new Feed(client, `subscription ($id: ID!) { flowExecutionUpdated(id: $id) {
      id state upstreamStatus status isTerminal finishedAt outputDatasets { datasetId name status } } }`, { id });
    const first = field<Json>(await feed.next(), 'flowExecutionUpdated');
    expect(first).toMatchObject({ id, state: 'QUEUED', upstreamStatus: 'queued', isTerminal: false, finishedAt: null });
    expect(first.outputDatasets).toEqual([
      { datasetId: outputs[0], name: 'Writer 1', status: 'created' },
      { datasetId: outputs[1], name: 'Writer 2', status: 'created' },
    ]);

    await driveUntilComplete(stack.sims.flai, feed, (c) => (c.entity === 'flow_execution' && c.id === id) || (c.entity === 'dataset' && outputs.includes(c.id)));
    const events = feed.received.map((r) => field<Json>(r, 'flowExecutionUpdated'));
    const summary = events.map((e) => [e.upstreamStatus, ...(e.outputDatasets as Json[]).map((o) => o.status)]);
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
  it('follows a download until it is prepared, with its files', async () => {
    const dl = await requestDownload(stack, FLAI.alpha);
    const id = dl.id as string;
    const feed = new Feed(client, `subscription ($id: ID!) { datasetDownloadUpdated(id: $id) { id state upstreamStatus ready isTerminal files { id name size } } }`, { id });
    await feed.next();
    await driveUntilComplete(stack.sims.flai, feed, (c) => c.entity === 'download' && c.id === id);
    const events = feed.received.map((r) => field<Json>(r, 'datasetDownloadUpdated'));
    expect(events.map((e) => [e.upstreamStatus, e.state, e.ready])).toEqual([
      ['pending', 'QUEUED', false],
      ['processing', 'RUNNING', false],
      ['download-prepared', 'SUCCEEDED', true],
    ]);
    const files = events.at(-1)?.files as Json[];
    expect(files.length).toBeGreaterThan(0);
    expect(files.every((f) => typeof f.id === 'string' && typeof f.name === 'string' && typeof f.size === 'number')).toBe(true);
    expect(events.slice(0, -1).every((e) => (e.files as unknown[]).length === 0)).toBe(true);
  });
});

describe('pointcloudUpdated', () => {
  it('follows a pointcloud from processing to done', async () => {
    const { id } = PROCESSING_POINTCLOUD;
    const feed = new Feed(client, `subscription ($id: ID!) { pointcloudUpdated(id: $id) { id name state upstreamStatus isTerminal } }`, { id });
    expect(field<Json>(await feed.next(), 'pointcloudUpdated')).toMatchObject({ id, state: 'RUNNING', upstreamStatus: 'processing', isTerminal: false });
    await driveUntilComplete(stack.sims.cupix, feed, (c) => c.entity === 'pointcloud' && c.id === id && c.field === 'state', { stepMs: 1_000 });
    const events = feed.received.map((r) => field<Json>(r, 'pointcloudUpdated'));
    expect(events.map((e) => [e.upstreamStatus, e.state, e.isTerminal])).toEqual([
      ['processing', 'RUNNING', false],
      ['done', 'SUCCEEDED', true],
    ]);
  });
});
