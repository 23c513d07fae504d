import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { describe, expect } from 'vitest';
import type { Change } from '../../src/simulators/core/changes.js';
import { FLAI_DOCUMENTED } from '../../src/simulators/flai/index.js';
import type { RunningSimulator } from '../../src/simulators/index.js';
import {
  DashboardDocument,
  type JobRefInput,
  FederationCreateProcessingDocument,
  FederationCreateProcessingIdDocument,
  FederationCreateProjectDocument,
  FederationCreateUnnamedProjectDocument,
  FederationDeepDocument,
  FederationJobsDocument,
  FederationJobsLiveDocument,
  FederationMissingDocument,
  FederationPointcloudIdDocument,
  FederationPointcloudStateDocument,
  FederationProcessingLiveDocument,
  FederationProjectNameDocument,
  FederationProjectsAndPointcloudsDocument,
  FederationRenameProjectDocument,
  FederationRunFlowTemplateDocument,
  OneOfEachDocument,
} from '../generated/graphql.js';
import { test as federationTest, type FederatedStack } from '../helpers/federation.helpers.js';
import { opAt } from '../helpers/stack.helpers.js';
import { FAST_STATUS_ENV, Feed, field, wsClient } from '../status/status.helpers.js';
import { CUPIX, MAPFLOW, PROCESSING_POINTCLOUD, runFlow, type Json } from '../status/vendors.helpers.js';

const PROCESSING = '65285409-ac88-4fc0-a937-193cf42c2343';
const FLOW_EXECUTION = 'df7d6f87-2f00-4e66-9dbd-5636ef486a0e';
const POINTCLOUD_SUB = '5310';
const MISSING = '00000000-0000-4000-8000-000000000000';

/** The federation test API with `fedWs` (the file's client of the federation gateway) and `uniWs`, one of the unified server. */
const test = federationTest
  .extend('fedWs', { scope: 'file' }, ({ client }) => client)
  .extend('uniWs', { scope: 'file' }, ({ stack }, { onCleanup }) => {
    const client = wsClient(stack.unified.url);
    onCleanup(() => client.dispose());
    return client;
  });
test.override('stackOptions', { env: FAST_STATUS_ENV });

/** Runs one operation on both servers; both must answer without errors, and alike. */
async function both<R, V extends Record<string, unknown>>(stack: FederatedStack, doc: TypedDocumentNode<R, V>, variables?: V, headers?: Record<string, string>): Promise<{ fed: R; uni: R }> {
  const [fed, uni] = await Promise.all([opAt(stack.federation.url, doc, variables, headers), opAt(stack.unified.url, doc, variables, headers)]);
  expect(fed.errors, 'through the federation gateway').toBeUndefined();
  expect(uni.errors, 'on the unified server').toBeUndefined();
  expect(fed.status).toBe(200);
  return { fed: fed.data!, uni: uni.data! };
}

describe('queries through Hive Gateway answer as the unified server', () => {
  test('one request spanning the three vendors (one subgraph each)', async ({ stack }) => {
    const vars = { processingId: PROCESSING, flowExecutionId: FLOW_EXECUTION, pointcloudId: POINTCLOUD_SUB };
    const one = await both(stack, OneOfEachDocument, vars);
    expect(one.fed).toEqual(one.uni);
    expect(one.fed).toMatchObject({ processing: { id: PROCESSING, state: 'SUCCEEDED' }, flowExecution: { state: 'RUNNING' }, pointcloud: { kind: 'SUB', parent: { name: 'Cluster 1' } } });
    const dashboard = await both(stack, DashboardDocument);
    expect(dashboard.fed).toEqual(dashboard.uni);
    expect(dashboard.fed.projects!.nodes.length).toBeGreaterThan(0);
    const deep = await both(stack, FederationDeepDocument, { p: PROCESSING, f: FLOW_EXECUTION, c: POINTCLOUD_SUB });
    expect(deep.fed).toEqual(deep.uni);
  });

  test('an entity lookup: jobs(refs) from the jobs subgraph, completed by the vendor subgraphs, with the same nulls', async ({ stack }) => {
    const refs = [
      { source: 'MAPFLOW', type: 'Processing', id: PROCESSING },
      { source: 'FLAI', type: 'FlowExecution', id: FLOW_EXECUTION },
      { source: 'CUPIX', type: 'Pointcloud', id: POINTCLOUD_SUB },
      { source: 'MAPFLOW', type: 'Processing', id: MISSING },
    ] satisfies JobRefInput[];
    stack.resetCounts();
    const uni = await opAt(stack.unified.url, FederationJobsDocument, { refs });
    const uniCalls = stack.calls();
    stack.resetCounts();
    const fed = await opAt(stack.federation.url, FederationJobsDocument, { refs });
    const fedCalls = stack.calls();
    expect(fed.errors).toBeUndefined();
    expect(fed.data).toEqual(uni.data);
    expect(fed.data!.jobs!.map((j) => j?.__typename ?? null)).toEqual(['Processing', 'FlowExecution', 'Pointcloud', null]);
    // The jobs subgraph loads each job once (as the unified server does), and each vendor subgraph
    // looks its found jobs up again to complete them: one by-id call per found job, no more.
    expect(fedCalls).toBe(uniCalls + 3);
  });

  test('passes the caller’s vendor credentials on to the subgraphs (HTTP headers and graphql-ws connectionParams)', async ({ stack, fedWs, connect }) => {
    const beta = { 'x-mapflow-token': MAPFLOW.beta.token, 'x-cupix-token': CUPIX.beta.token };
    const asBeta = await both(stack, FederationProjectsAndPointcloudsDocument, {}, beta);
    const asAlpha = await both(stack, FederationProjectsAndPointcloudsDocument);
    expect(asBeta.fed).toEqual(asBeta.uni);
    expect(asBeta.fed).not.toEqual(asAlpha.fed);
    // 5310 is alpha's: with beta's Cupix token in connectionParams the subscription finds nothing.
    const betaWs = connect({ 'x-cupix-token': CUPIX.beta.token });
    const denied = await new Feed(betaWs, FederationPointcloudIdDocument, { id: POINTCLOUD_SUB }).next();
    expect(denied.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    const allowed = await new Feed(fedWs, FederationPointcloudStateDocument, { id: POINTCLOUD_SUB }).next();
    expect(field(allowed, 'pointcloudUpdated')).toEqual({ id: POINTCLOUD_SUB, state: 'SUCCEEDED' });
  });

  test('reports the same coded errors: bad input, a missing single lookup as null', async ({ stack }) => {
    const [fed, uni] = await Promise.all([opAt(stack.federation.url, FederationCreateUnnamedProjectDocument), opAt(stack.unified.url, FederationCreateUnnamedProjectDocument)]);
    const summary = (r: typeof fed) => r.errors?.map((e) => [e.message, e.path, e.extensions?.code]);
    expect(summary(fed)).toEqual(summary(uni));
    expect(uni.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const missing = await both(stack, FederationMissingDocument, { id: MISSING });
    expect(missing.fed).toEqual({ processing: null, flowExecution: null });
    expect(missing.fed).toEqual(missing.uni);
  });
});

describe('mutations through Hive Gateway do what they do on the unified server', () => {
  /** Ids and instants differ between two new objects; everything else must not. */
  const comparable = (v: Json): Json => {
    const { id: _id, createdAt: _c, updatedAt: _u, ...rest } = v;
    return rest;
  };

  test('createProject then updateProject, each on a fresh project of its own', async ({ stack }) => {
    const made = await both(stack, FederationCreateProjectDocument, { input: { name: 'Federated survey', description: 'Roofs' } });
    expect(made.fed.createProject.id).not.toBe(made.uni.createProject.id);
    expect(comparable(made.fed.createProject)).toEqual(comparable(made.uni.createProject));
    expect(made.fed.createProject).toMatchObject({ name: 'Federated survey', isDefault: false, processings: { totalCount: 0 } });
    const fed = await opAt(stack.federation.url, FederationRenameProjectDocument, { id: made.fed.createProject.id });
    const uni = await opAt(stack.unified.url, FederationRenameProjectDocument, { id: made.uni.createProject.id });
    expect(fed.data?.updateProject).toEqual({ id: made.fed.createProject.id, name: 'Renamed', description: 'Roofs' });
    expect(comparable(fed.data!.updateProject)).toEqual(comparable(uni.data!.updateProject));
    // The federated mutation reached the vendor: the unified server reads the renamed project.
    const read = await opAt(stack.unified.url, FederationProjectNameDocument, { id: made.fed.createProject.id });
    expect(read.data).toEqual({ project: { name: 'Renamed' } });
  });

  test('runFlowTemplate (Flai) returns the same queued execution', async ({ stack }) => {
    const input = { flowId: FLAI_DOCUMENTED.templateFlowId, nodeOptions: { point_cloud_reader_1: { dataset_id: FLAI_DOCUMENTED.inputDatasetId } } };
    const r = await both(stack, FederationRunFlowTemplateDocument, { input });
    expect(comparable(r.fed.runFlowTemplate)).toEqual(comparable(r.uni.runFlowTemplate));
    expect(r.fed.runFlowTemplate).toMatchObject({ state: 'QUEUED', upstreamStatus: 'queued', isTerminal: false });
  });
});

/**
 * Moves the simulators' clocks one step at a time, one simulator per step, and after a step that
 * changed a watched job waits for one event per changed job on EVERY feed, so both servers see
 * every intermediate state. No sleeps: the waits are for events.
 */
async function driveFeeds(sims: RunningSimulator[], feeds: Feed[], jobOf: (sim: RunningSimulator, c: Change) => string | null, stepMs = 500, maxMs = 180_000): Promise<number> {
  const seqs = sims.map((s) => s.changes.lastSeq);
  let steps = 0;
  for (let t = 0; t < maxMs && !feeds.every((f) => f.completed); t += stepMs) {
    for (let i = 0; i < sims.length; i++) {
      sims[i].clock.advance(stepMs);
      sims[i].scheduler.settle();
      const changed = new Set(sims[i].changes.since(seqs[i]).map((c) => jobOf(sims[i], c)).filter((j): j is string => j !== null));
      seqs[i] = sims[i].changes.lastSeq;
      if (!changed.size) continue;
      steps++;
      await Promise.all(feeds.map((f) => f.count(f.received.length + changed.size)));
    }
  }
  await Promise.all(feeds.map((f) => f.done()));
  return steps;
}

describe('subscriptions through Hive Gateway (graphql-ws to the subgraph that owns the field)', () => {
  test('a processing created through the gateway, followed live from creation to OK: the same states as on the unified server', async ({ stack, fedWs, uniWs }) => {
    const created = await opAt(
      stack.federation.url,
      FederationCreateProcessingDocument,
      {
        input: {
          name: 'federated live',
          workflowDefName: '🏠 Buildings',
          geometry: { type: 'Polygon', coordinates: [[[37.2984, 55.6362], [37.3077, 55.6362], [37.3077, 55.6402], [37.2984, 55.6402], [37.2984, 55.6362]]] },
          sourceParams: { dataProvider: { providerName: 'Mapbox', zoom: 18 } },
        },
      },
    );
    expect(created.errors).toBeUndefined();
    const id = created.data!.createProcessing.id;
    expect(created.data!.createProcessing).toMatchObject({ status: 'UNPROCESSED', state: 'QUEUED' });
    const fed = new Feed(fedWs, FederationProcessingLiveDocument, { id });
    const uni = new Feed(uniWs, FederationProcessingLiveDocument, { id });
    await Promise.all([fed.count(1), uni.count(1)]);
    const steps = await driveFeeds([stack.sims.mapflow], [fed, uni], (_s, c) => (c.entity === 'processing' && c.id === id ? id : null));
    const fedEvents = fed.received.map((r) => field(r, 'processingUpdated'));
    const uniEvents = uni.received.map((r) => field(r, 'processingUpdated'));
    expect(fedEvents).toEqual(uniEvents);
    expect(fedEvents).toHaveLength(steps + 1);
    expect(fedEvents.length).toBeGreaterThanOrEqual(8); // UNPROCESSED, IN_PROGRESS 0, six progress steps..., OK
    expect(fedEvents[0]).toMatchObject({ status: 'UNPROCESSED', state: 'QUEUED', name: 'federated live' });
    expect(fedEvents.at(-1)).toMatchObject({ status: 'OK', state: 'SUCCEEDED', progress: 100, isTerminal: true });
    expect(fed.completed && uni.completed).toBe(true);
    expect(stack.subgraphs.mapflow.status.health()).toMatchObject({ watchers: 0, subscribers: 0 });
  });

  test('jobsUpdated over the three vendors: per job the same sequence of states and the same final state', async ({ stack, fedWs, uniWs }) => {
    const created = await opAt(
      stack.unified.url,
      FederationCreateProcessingIdDocument,
      { input: { name: 'federated jobs', workflowDefName: '🏠 Buildings', geometry: { type: 'Polygon', coordinates: [[[37.29, 55.63], [37.3, 55.63], [37.3, 55.634], [37.29, 55.634], [37.29, 55.63]]] } } },
    );
    const processing = created.data!.createProcessing.id;
    const run = await runFlow(stack);
    const execution = run.id;
    const outputs = run.output_datasets.map((o) => o.dataset_id);
    const pointcloud = PROCESSING_POINTCLOUD.id;
    const refs = [
      { source: 'MAPFLOW', type: 'Processing', id: processing },
      { source: 'FLAI', type: 'FlowExecution', id: execution },
      { source: 'CUPIX', type: 'Pointcloud', id: pointcloud },
    ] satisfies JobRefInput[];
    const fed = new Feed(fedWs, FederationJobsLiveDocument, { refs });
    const uni = new Feed(uniWs, FederationJobsLiveDocument, { refs });
    await Promise.all([fed.count(3), uni.count(3)]);
    const { mapflow, flai, cupix } = stack.sims;
    await driveFeeds([mapflow, flai, cupix], [fed, uni], (sim, c) => {
      if (sim === mapflow && c.entity === 'processing' && c.id === processing) return processing;
      if (sim === flai && c.entity === 'flow_execution' && c.id === execution) return execution;
      if (sim === flai && c.entity === 'dataset' && outputs.includes(c.id)) return execution;
      if (sim === cupix && c.entity === 'pointcloud' && c.id === pointcloud && c.field === 'state') return pointcloud;
      return null;
    }, 1_000);
    /** Each job's events without `at` (the instant of each server's own poll). */
    const perJob = (feed: typeof fed) => {
      const events = feed.received.map((r) => field(r, 'jobsUpdated'));
      expect(events.every((e) => typeof e.at === 'string')).toBe(true);
      return Object.fromEntries(refs.map((ref) => [ref.id, events.filter((e) => e.job.id === ref.id).map(({ at: _at, ...rest }) => rest)]));
    };
    const fedJobs = perJob(fed);
    expect(fedJobs).toEqual(perJob(uni));
    for (const ref of refs) {
      const mine = fedJobs[ref.id];
      expect(mine.length, ref.type).toBeGreaterThanOrEqual(2);
      expect(mine.at(-1)).toMatchObject({ state: 'SUCCEEDED', job: expect.objectContaining({ isTerminal: true }) });
    }
    expect(fedJobs[processing].at(-1)).toMatchObject({ job: { name: 'federated jobs', percentCompleted: 100 } });
    expect(fed.completed && uni.completed).toBe(true);
    expect(stack.subgraphs.jobs.status.health()).toMatchObject({ watchers: 0, subscribers: 0 });
  });
});
