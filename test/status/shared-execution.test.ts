import { describe, expect } from 'vitest';
import { StatusJobsAtDocument, StatusProcessingSharedDocument, StatusProcessingSharedNamedDocument } from '../generated/graphql.js';
import { activityOf, driveUntilComplete, Feed, field, nextActivity, of, test } from './status.helpers.js';
import { createProcessing } from './vendors.helpers.js';

describe('one execution per change for the subscribers who ask the same thing', () => {
  test('two connections with the same credentials and query share each change’s execution; a different query gets its own', async ({ stack, connect }) => {
    const created = await createProcessing(stack, { name: 'shared-execution' });
    const id = created.id;
    const a = new Feed(connect(), StatusProcessingSharedDocument, { id });
    const b = new Feed(connect(), StatusProcessingSharedDocument, { id });
    const c = new Feed(connect(), StatusProcessingSharedNamedDocument, { id });
    await Promise.all([a.count(1), b.count(1), c.count(1)]);
    const hub = stack.gateway.status;
    const before = { executions: hub.health().eventExecutions, shared: hub.health().sharedExecutions };

    const steps = await driveUntilComplete(stack.sims.mapflow, a, (ch) => ch.entity === 'processing' && ch.id === id, {
      onStep: async () => {
        await Promise.all([b.count(a.received.length), c.count(a.received.length)]);
      },
    });
    await Promise.all([b.done(), c.done()]);

    const events = (f: Feed<{ processingUpdated: object }>) => f.received.map((r) => field(r, 'processingUpdated'));
    expect(steps.length).toBeGreaterThanOrEqual(2);
    expect(events(a)).toHaveLength(1 + steps.length);
    expect(events(b)).toEqual(events(a));
    // The other query was executed on its own: it has the field the first one did not ask for.
    expect(events(c)).toEqual(events(a).map((e) => ({ ...e, name: 'shared-execution' })));
    expect(events(a).at(-1)).toEqual({ id, state: 'SUCCEEDED', percentCompleted: 100 });
    // Per change: one execution for a and b together, one for c; b's delivery reused a's.
    const after = hub.health();
    expect(after.eventExecutions - before.executions).toBe(2 * steps.length);
    expect(after.sharedExecutions - before.shared).toBe(steps.length);
  });
});

describe('an event’s `at`', () => {
  test('is when the answer of the poll that found the change arrived, not when the poll was sent', async ({ stack, connect }) => {
    const id = (await createProcessing(stack)).id;
    const feed = new Feed(connect(), StatusJobsAtDocument, {
      refs: [{ source: 'MAPFLOW', type: 'Processing', id }],
    });
    await feed.count(1);
    const sim = stack.sims.mapflow;
    // Every poll of this job now takes 300 ms to answer.
    sim.faults.set({ latencyMs: 300, route: 'GET /processings/{id}/v2' });
    try {
      const found = nextActivity(stack.gateway.status, of('Processing', id, (x) => x.type === 'poll' && x.ok && x.changed > 0));
      const seq = sim.changes.lastSeq;
      while (!sim.changes.since(seq).some((ch) => ch.entity === 'processing' && ch.id === id)) {
        sim.clock.advance(500);
        sim.scheduler.settle();
      }
      const event = field(await feed.next(), 'jobsUpdated');
      const poll = activityOf(await found, 'poll');
      expect(event.state).toBe('RUNNING');
      expect(Date.parse(event.at) - poll.startedAt).toBeGreaterThanOrEqual(300);
    } finally {
      sim.faults.set(null);
    }
    feed.close();
  });
});
