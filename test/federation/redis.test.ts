import { describe, expect } from 'vitest';
import { FederationJobsPercentDocument, FederationProcessingPercentDocument } from '../generated/graphql.js';
import { test } from '../helpers/federation.helpers.js';
import { FAST_STATUS_ENV, Feed, field, redisPrefix, REDIS_URL, until } from '../status/status.helpers.js';
import { createProcessing } from '../status/vendors.helpers.js';

// The subgraphs share one Redis (a key prefix of this run's own); the unified server is not involved.
const SHARED = { REDIS_URL, STATUS_REDIS_PREFIX: redisPrefix(), STATUS_LEASE_MS: '5000' };

test.override('stackOptions', { env: FAST_STATUS_ENV, subgraphEnv: { mapflow: SHARED, flai: SHARED, cupix: SHARED, jobs: SHARED } });

describe('the jobs subgraph and a vendor subgraph watching one job, through Redis', () => {
  test('poll it once between them: one process leads, the other takes its events from Redis, and both streams see every state', async ({ stack, client }) => {
    const id = (await createProcessing(stack)).id;
    const processing = new Feed(client, FederationProcessingPercentDocument, { id });
    await processing.count(1);
    const jobs = new Feed(client, FederationJobsPercentDocument, { refs: [{ source: 'MAPFLOW', type: 'Processing', id }] });
    await jobs.count(1);
    const mapflowHub = stack.subgraphs.mapflow.status;
    const jobsHub = stack.subgraphs.jobs.status;
    expect([mapflowHub.health().distributed, jobsHub.health().distributed]).toEqual([true, true]);
    const before = { mapflow: mapflowHub.health().polls, jobs: jobsHub.health().polls };
    // Polls that found a change, as each process reports them when the poll has ended: a poll in
    // flight now (counted in `before`) may well see the first step's change.
    const changedPolls = { mapflow: 0, jobs: 0 };
    const stops = (['mapflow', 'jobs'] as const).map((name) =>
      stack.subgraphs[name].status.observe((a) => {
        if (a.type === 'poll' && a.ok && a.changed > 0) changedPolls[name]++;
      }),
    );

    const sim = stack.sims.mapflow;
    let seq = sim.changes.lastSeq;
    // Steps of virtual time in which the simulator changed the processing: each is one event per stream.
    let changedSteps = 0;
    for (let t = 0; t < 120_000 && !(processing.completed && jobs.completed); t += 500) {
      sim.clock.advance(500);
      sim.scheduler.settle();
      const changed = sim.changes.since(seq).some((c) => c.entity === 'processing' && c.id === id);
      seq = sim.changes.lastSeq;
      if (changed) changedSteps++;
      if (changed) await Promise.all([processing.count(processing.received.length + 1), jobs.count(jobs.received.length + 1)]);
    }
    await Promise.all([processing.done(), jobs.done()]);

    const viaVendor = processing.received.map((r) => field(r, 'processingUpdated'));
    const viaJobs = jobs.received.map((r) => field(r, 'jobsUpdated')).map((e) => ({ state: e.state, percentCompleted: 'percentCompleted' in e.job ? e.job.percentCompleted : undefined }));
    expect(viaJobs).toEqual(viaVendor);
    // The first event (the state at subscribe) and one per step that changed the processing, none
    // lost or repeated: derived from the simulator's change log, not a fixed count (how the
    // processing's changes fall into 500 ms steps varies from run to run).
    expect(changedSteps).toBeGreaterThanOrEqual(2);
    expect(viaVendor).toHaveLength(1 + changedSteps);
    viaVendor.slice(1).forEach((e, i) => expect(e, `event ${i + 1} repeats event ${i}`).not.toEqual(viaVendor[i]));
    expect(viaVendor.at(-1)).toEqual({ state: 'SUCCEEDED', percentCompleted: 100 });
    // The leader reports its last poll once its change is published, which the streams may see first.
    const leader = changedPolls.mapflow > 0 ? mapflowHub : jobsHub;
    await until(leader, () => changedPolls.mapflow + changedPolls.jobs >= viaVendor.length - 1);
    stops.forEach((stop) => stop());
    const polls = { mapflow: mapflowHub.health().polls - before.mapflow, jobs: jobsHub.health().polls - before.jobs };
    // Exactly one of the two processes polled the job; the other only listened on Redis. Each event
    // after the first came from one of its polls that found a change.
    expect(Math.min(polls.mapflow, polls.jobs)).toBe(0);
    expect(Math.min(changedPolls.mapflow, changedPolls.jobs)).toBe(0);
    expect(Math.max(changedPolls.mapflow, changedPolls.jobs)).toBe(viaVendor.length - 1);
  });
});
