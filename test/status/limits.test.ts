import { describe, expect } from 'vitest';
import { StatusJobsStateDocument, StatusProcessingProgressDocument, StatusProcessingProjectDocument } from '../generated/graphql.js';
import { Feed, field, nextActivity, of, test, until } from './status.helpers.js';
import { createProcessing, createProject, MAPFLOW } from './vendors.helpers.js';

test.override('stackOptions', { env: { STATUS_MAX_SUBSCRIPTIONS_PER_CONNECTION: '2', STATUS_MAX_WATCHERS_PER_CREDENTIAL: '2' } });
test.afterEach(({ stack }) => {
  stack.sims.mapflow.faults.set(null);
});

const code = (r: { errors?: readonly { extensions?: Record<string, unknown> }[] }) => r.errors?.[0]?.extensions?.code;

describe('caps', () => {
  test('limits subscriptions per connection and watched jobs per credential with RATE_LIMITED', async ({ stack, connect }) => {
    const [j1, j2, j3] = await Promise.all([createProcessing(stack), createProcessing(stack), createProcessing(stack)]).then((ps) => ps.map((p) => p.id));
    const betaJob = (await createProcessing(stack, { token: MAPFLOW.beta.token })).id;
    const one = connect();
    const s1 = new Feed(one, StatusProcessingProgressDocument, { id: j1 });
    const s2 = new Feed(one, StatusProcessingProgressDocument, { id: j2 });
    await Promise.all([s1.next(), s2.next()]);

    // A third subscription on the same connection, even to a job already watched.
    const over = await new Feed(one, StatusProcessingProgressDocument, { id: j1 }).next();
    expect(over.errors?.[0]).toMatchObject({ message: 'At most 2 subscriptions per connection', extensions: { code: 'RATE_LIMITED', limit: 2 } });

    // Another connection with the same credential: a third job would be a third poller.
    const two = connect();
    const before = stack.gateway.status.health();
    expect(code(await new Feed(two, StatusProcessingProgressDocument, { id: j3 }).next())).toBe('RATE_LIMITED');
    // Refused before asking the vendor: no first lookup was made for it.
    expect(stack.gateway.status.health()).toMatchObject({ initialFetches: before.initialFetches, watchers: 2 });
    // ... but a job already watched costs nothing more and is allowed.
    expect(field(await new Feed(two, StatusProcessingProgressDocument, { id: j1 }).next(), 'processingUpdated')).toMatchObject({ id: j1 });
    // Another credential has its own allowance.
    const beta = connect({ 'x-mapflow-token': MAPFLOW.beta.token });
    expect(field(await new Feed(beta, StatusProcessingProgressDocument, { id: betaJob }).next(), 'processingUpdated')).toMatchObject({ id: betaJob });

    // When a watch ends, its place is free again.
    const hub = stack.gateway.status;
    s2.close();
    await until(hub, () => hub.health().watchers === 2);
    expect(field(await new Feed(two, StatusProcessingProgressDocument, { id: j3 }).next(), 'processingUpdated')).toMatchObject({ id: j3 });
  });

  test('counts a jobsUpdated as one subscription but each of its jobs as a watcher', async ({ stack, connect }) => {
    const ids = await Promise.all([createProcessing(stack), createProcessing(stack), createProcessing(stack)]).then((ps) => ps.map((p) => p.id));
    const refs = ids.map((id) => ({ source: 'MAPFLOW' as const, type: 'Processing', id }));
    expect(code(await new Feed(connect(), StatusJobsStateDocument, { refs }).next())).toBe('RATE_LIMITED');
    expect(stack.gateway.status.health().watchers).toBe(0); // the two that fitted were not left behind
    const ok = new Feed(connect(), StatusJobsStateDocument, { refs: refs.slice(0, 2) });
    await ok.count(2);
    expect(ok.received.map((r) => field(r, 'jobsUpdated').job)).toEqual(ids.slice(0, 2).map((id) => ({ id })));
  });
});

describe('vendor errors while polling', () => {
  test('rides out fewer than the limit of failed polls, then ends with a coded error event after the limit', async ({ stack, connect }) => {
    const id = (await createProcessing(stack)).id;
    const feed = new Feed(connect(), StatusProcessingProgressDocument, { id });
    await feed.next();
    const sim = stack.sims.mapflow;
    sim.stats.reset();
    // Two failed polls (the limit is three): the stream goes on and still sees the next change.
    let failures = 0;
    const twoFailed = nextActivity(stack.gateway.status, of('Processing', id, (a) => a.type === 'poll' && !a.ok && ++failures === 2));
    sim.faults.set({ errorRate: 1, errorStatuses: [500], route: 'GET /processings/{id}/v2', count: 2 });
    await twoFailed;
    expect(sim.stats.snapshot().byStatus['500']).toBe(2);
    sim.clock.advance(2_000); // UNPROCESSED -> IN_PROGRESS
    expect(field(await feed.next(), 'processingUpdated')).toMatchObject({ upstreamStatus: 'IN_PROGRESS' });
    expect(sim.stats.snapshot().byStatus['500']).toBe(2);

    // Now every poll fails: after three in a row the client gets one error event, then completion.
    sim.faults.set({ errorRate: 1, errorStatuses: [502], route: 'GET /processings/{id}/v2' });
    const err = await feed.next();
    expect(err.data ?? null).toBeNull();
    expect(err.errors).toEqual([
      expect.objectContaining({ path: ['processingUpdated'], extensions: { code: 'UPSTREAM_UNAVAILABLE', source: 'MAPFLOW', upstreamStatus: 502 } }),
    ]);
    await feed.done();
    expect(sim.stats.snapshot().byStatus['502']).toBe(3);
    expect(stack.gateway.status.health().watchers).toBe(0);
  });
});

describe('fresh loaders for every event', () => {
  test('resolves nested fields anew for each event, never from what was loaded at subscribe time', async ({ stack, connect }) => {
    const project = await createProject(stack, 'before');
    const id = (await createProcessing(stack, { projectId: project.id })).id;
    const feed = new Feed(connect(), StatusProcessingProjectDocument, { id });
    expect(field(await feed.next(), 'processingUpdated')).toEqual({ upstreamStatus: 'UNPROCESSED', project: { id: project.id, name: 'before' } });
    const res = await fetch(`${stack.sims.mapflow.url}/projects/${project.id}`, {
      method: 'PUT',
      headers: { authorization: `Basic ${MAPFLOW.alpha.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'after' }),
    });
    expect(res.status).toBe(200);
    stack.sims.mapflow.clock.advance(2_000);
    expect(field(await feed.next(), 'processingUpdated')).toEqual({ upstreamStatus: 'IN_PROGRESS', project: { id: project.id, name: 'after' } });
    feed.close();
  });
});
