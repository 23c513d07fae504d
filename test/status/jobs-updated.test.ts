import { describe, expect } from 'vitest';
import { StatusJobsStateOnlyDocument, StatusJobsUpdatedDocument, type JobRefInput } from '../generated/graphql.js';
import { driveJobs, Feed, field, test } from './status.helpers.js';
import { createProcessing, PROCESSING_POINTCLOUD, runFlow } from './vendors.helpers.js';

test.afterEach(({ stack }) => {
  expect(stack.gateway.status.health()).toMatchObject({ watchers: 0, subscribers: 0 });
});

describe('jobsUpdated', () => {
  test('mixes jobs of the three vendors in one stream and completes when all have finished', async ({ stack, client }) => {
    const processing = (await createProcessing(stack)).id;
    const run = await runFlow(stack);
    const execution = run.id;
    const outputs = run.output_datasets.map((o) => o.dataset_id);
    const pointcloud = PROCESSING_POINTCLOUD.id;
    const refs: JobRefInput[] = [
      { source: 'MAPFLOW', type: 'Processing', id: processing },
      { source: 'FLAI', type: 'FlowExecution', id: execution },
      { source: 'CUPIX', type: 'Pointcloud', id: pointcloud },
    ];
    const feed = new Feed(client, StatusJobsUpdatedDocument, { refs });
    await feed.count(3);
    const first = feed.received.map((r) => field(r, 'jobsUpdated'));
    expect(first.map((e) => [e.job.__typename, e.job.id, e.previousState, e.state])).toEqual([
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
    const events = feed.received.map((r) => field(r, 'jobsUpdated'));
    for (const id of [processing, execution, pointcloud]) {
      const mine = events.filter((e) => e.job.id === id);
      // Each event's previousState is the state of the one before it, and the last one is terminal.
      mine.forEach((e, i) => expect(e.previousState).toBe(i === 0 ? null : mine[i - 1].state));
      expect(mine.at(-1)).toMatchObject({ state: 'SUCCEEDED', job: expect.objectContaining({ isTerminal: true }) });
      expect(mine.every((e) => e.state === e.job.state && typeof e.at === 'string')).toBe(true);
    }
    expect(events.filter((e) => e.job.id === execution).map((e) => e.job.upstreamStatus)).toEqual(['queued', 'processing', 'processing', 'finished']);
  });

  test('rejects refs that name no known job type with BAD_USER_INPUT, and a missing job with NOT_FOUND', async ({ client }) => {
    const bad = await new Feed(client, StatusJobsStateOnlyDocument, { refs: [{ source: 'MAPFLOW', type: 'Pointcloud', id: '1' }] }).next();
    expect(bad.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
    const missing = await new Feed(client, StatusJobsStateOnlyDocument, {
      refs: [
        { source: 'CUPIX', type: 'Pointcloud', id: PROCESSING_POINTCLOUD.id },
        { source: 'FLAI', type: 'DatasetDownload', id: '00000000-0000-0000-0000-000000000000' },
      ],
    }).next();
    expect(missing.errors?.[0].extensions).toMatchObject({ code: 'NOT_FOUND' });
  });
});
