import type { Client } from 'graphql-ws';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { driveJobs, Feed, field, startStatusStack, wsClient, type Stack } from './status.helpers.js';
import { createProcessing, PROCESSING_POINTCLOUD, runFlow, type Json } from './vendors.helpers.js';

let stack: Stack;
let client: Client;
beforeAll(async () => {
  stack = await startStatusStack();
  client = wsClient(stack.gateway.url);
});
afterEach(() => {
  expect(stack.gateway.status.health()).toMatchObject({ watchers: 0, subscribers: 0 });
});
afterAll(async () => {
  await client?.dispose();
  await stack?.close();
});

describe('jobsUpdated', () => {
  it('mixes jobs of the three vendors in one stream and completes when all have finished', async () => {
    const processing = (await createProcessing(stack)).id as string;
    const run = await runFlow(stack);
    const execution = run.id as string;
    const outputs = (run.output_datasets as Json[]).map((o) => o.dataset_id);
    const pointcloud = PROCESSING_POINTCLOUD.id;
    const refs = [
      { source: 'MAPFLOW', type: 'Processing', id: processing },
      { source: 'FLAI', type: 'FlowExecution', id: execution },
      { source: 'CUPIX', type: 'Pointcloud', id: pointcloud },
    ];
    const feed = new Feed(client, `subscription ($refs: [JobRefInput!]!) { jobsUpdated(refs: $refs) {
      job { __typename id state upstreamStatus isTerminal ... on Processing { percentCompleted } } previousState state progress at } }`, { refs });
    await feed.count(3);
    const first = feed.received.map((r) => field<Json>(r, 'jobsUpdated'));
    expect(first.map((e) => [(e.job as Json).__typename, (e.job as Json).id, e.previousState, e.state])).toEqual([
      ['Processing', processing, null, 'QUEUED'],
      ['FlowExecution', execution, null, 'QUEUED'],
      ['Pointcloud', pointcloud, null, 'RUNNING'],
    ]);

    const { mapflow, flai, cupix } = stack.sims;
    await driveJobs([mapflow, flai, cupix], feed, (sim, c) => {
      if (sim === mapflow && c.entity === 'processing' && c.id === processing) return processing;
      if (sim === flai && c.entity === 'flow_execution' && c.id === execution) return execution;
      if (sim === flai && c.entity === 'dataset' && outputs.includes(c.id)) return execution; // outputs are part of it
      if (sim === cupix && c.entity === 'pointcloud' && c.id === pointcloud && c.field === 'state') return pointcloud;
      return null;
    }, { stepMs: 1_000, until: () => feed.completed });
    await feed.done();
    const events = feed.received.map((r) => field<Json>(r, 'jobsUpdated'));
    for (const id of [processing, execution, pointcloud]) {
      const mine = events.filter((e) => (e.job as Json).id === id);
      // Each event's previousState is the state of the one before it, and the last one is terminal.
      mine.forEach((e, i) => expect(e.previousState).toBe(i === 0 ? null : mine[i - 1].state));
      expect(mine.at(-1)).toMatchObject({ state: 'SUCCEEDED', job: expect.objectContaining({ isTerminal: true }) });
      expect(mine.every((e) => e.state === (e.job as Json).state && typeof e.at === 'string')).toBe(true);
    }
    expect(events.filter((e) => (e.job as Json).id === execution).map((e) => (e.job as Json).upstreamStatus)).toEqual(['queued', 'processing', 'processing', 'finished']);
  });

  it('rejects refs that name no known job type with BAD_USER_INPUT, and a missing job with NOT_FOUND', async () => {
    const q = `subscription ($refs: [JobRefInput!]!) { jobsUpdated(refs: $refs) { state } }`;
    const bad = await new Feed(client, q, { refs: [{ source: 'MAPFLOW', type: 'Pointcloud', id: '1' }] }).next();
    expect(bad.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
    const missing = await new Feed(client, q, {
      refs: [
        { source: 'CUPIX', type: 'Pointcloud', id: PROCESSING_POINTCLOUD.id },
        { source: 'FLAI', type: 'DatasetDownload', id: '00000000-0000-0000-0000-000000000000' },
      ],
    }).next();
    expect(missing.errors?.[0].extensions).toMatchObject({ code: 'NOT_FOUND' });
  });
});
