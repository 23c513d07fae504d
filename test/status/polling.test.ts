import type { Client } from 'graphql-ws';
import { describe, expect } from 'vitest';
import { StatusFlowExecutionIdDocument, StatusProcessingProgressTerminalDocument, StatusProjectIdsDocument, StatusProjectProgressDocument } from '../generated/graphql.js';
import { driveJobs, Feed, field, lockstep, startStatusStack, test, until, type Stack } from './status.helpers.js';
import { createProcessing, createProject, MAPFLOW } from './vendors.helpers.js';

const ONE = 'GET /processings/{id}/v2';
const LIST = 'GET /projects/{id}/processings/v2';
/** Polls and first lookups this gateway made since `before` (its own counters). */
function pollsSince(stack: Stack, before: { polls: number; initialFetches: number }) {
  const now = stack.gateway.status.health();
  return { polls: now.polls - before.polls, initialFetches: now.initialFetches - before.initialFetches };
}

/** Waits until the gateway has no watcher left (subscribers gone, watchers stopped). */
const noWatchers = (stack: Stack) => until(stack.gateway.status, () => stack.gateway.status.health().watchers === 0);

describe('projectProcessingsUpdated', () => {
  test('streams every processing of a project from one list call per poll', async ({ stack, connect }) => {
    const project = await createProject(stack, 'live project');
    const projectId = project.id;
    const ids: string[] = [];
    for (const failing of [false, true, false]) ids.push((await createProcessing(stack, { projectId, failing })).id);
    stack.resetCounts();
    const before = stack.gateway.status.health();

    const feed = new Feed(connect(), StatusProjectProgressDocument, { p: projectId });
    await feed.count(3);
    const initial = feed.received.map((r) => field(r, 'projectProcessingsUpdated'));
    expect(initial.map((p) => p.id).sort()).toEqual([...ids].sort());
    expect(initial.every((p) => p.upstreamStatus === 'UNPROCESSED')).toBe(true);

    const terminal = new Set<string>();
    const steps = await driveJobs([stack.sims.mapflow], feed, (_s, c) => (c.entity === 'processing' && ids.includes(c.id) ? c.id : null), {
      until: () => {
        for (const r of feed.received) {
          const p = field(r, 'projectProcessingsUpdated');
          if (p.isTerminal) terminal.add(p.id);
        }
        return terminal.size === ids.length;
      },
    });
    const events = feed.received.map((r) => field(r, 'projectProcessingsUpdated'));
    expect(events).toHaveLength(3 + steps.reduce((n, s) => n + s.length, 0));
    for (const id of ids) {
      const mine = events.filter((e) => e.id === id).map((e) => JSON.stringify(e));
      expect(new Set(mine).size).toBe(mine.length); // no duplicates
    }
    expect(events.filter((e) => e.isTerminal).map((e) => e.upstreamStatus).sort()).toEqual(['FAILED', 'OK', 'OK']);

    // A processing created in the project later shows up too.
    const late = (await createProcessing(stack, { projectId, name: 'late' })).id;
    const next = field(await feed.next(), 'projectProcessingsUpdated');
    expect(next).toMatchObject({ id: late, upstreamStatus: 'UNPROCESSED' });

    feed.close();
    await noWatchers(stack);
    const { polls, initialFetches } = pollsSince(stack, before);
    // A poll counted just before the watcher stopped may still be on its way to the vendor: wait for it to land.
    await stack.sims.mapflow.stats.until(() => stack.callsTo('mapflow', LIST) >= polls + initialFetches);
    expect(initialFetches).toBe(1);
    expect(polls).toBeGreaterThan(steps.length);
    // One list call per poll for the whole project, and nothing else.
    expect(stack.callsTo('mapflow', LIST)).toBe(polls + initialFetches);
    expect(stack.callsTo('mapflow', ONE)).toBe(0);
    expect(stack.calls('mapflow')).toBe(polls + initialFetches + 1); // + the late processing's creation
  });

  test('fails with NOT_FOUND for a project that does not exist', async ({ stack, connect }) => {
    const feed = new Feed(connect(), StatusProjectIdsDocument, { p: '00000000-0000-0000-0000-000000000000' });
    const r = await feed.next();
    expect(r.errors?.[0]).toMatchObject({ extensions: { code: 'NOT_FOUND' } });
    await feed.done();
    expect(stack.gateway.status.health().watchers).toBe(0);
  });
});

describe('one watcher per (credential, job)', () => {
  /**
   * Follows a new processing to OK with `n` subscribers, the simulator's clock moving one step per
   * poll (see lockstep): returns the steps the lifecycle took and the vendor's calls meanwhile.
   */
  async function lifecycle(stack: Stack, connect: () => Client, n: number) {
    const id = (await createProcessing(stack)).id;
    const feeds = Array.from({ length: n }, () => new Feed(connect(), StatusProcessingProgressTerminalDocument, { id }));
    const steps = lockstep(stack.gateway.status, stack.sims.mapflow, 'Processing', id);
    await Promise.all(feeds.map((f) => f.next()));
    expect(stack.gateway.status.health()).toMatchObject({ watchers: 1, subscribers: n });
    steps.arm(); // everyone has the first state: from the next poll on, the clock moves
    const taken = await steps.done;
    await Promise.all(feeds.map((f) => f.done()));
    const calls = { one: stack.callsTo('mapflow', ONE), all: stack.calls('mapflow') };
    await noWatchers(stack);
    return { taken, calls, feeds };
  }

  test('50 subscribers on one job make one poll per interval, as one subscriber does, and all get every event', async ({ stack, connect }) => {
    const single = await lifecycle(stack, connect, 1);
    const many = await lifecycle(stack, connect, 50);
    // One vendor call per step of the lifecycle, for 1 subscriber as for 50: one poller per job.
    for (const { taken, calls } of [single, many]) {
      expect(taken).toBeGreaterThanOrEqual(20); // a processing runs 20-40 virtual seconds
      expect(calls).toEqual({ one: taken, all: taken });
    }
    const streams = many.feeds.map((f) => JSON.stringify(f.received));
    expect(new Set(streams).size).toBe(1); // everyone saw the same events
    const events = many.feeds[0].received.map((r) => field(r, 'processingUpdated'));
    expect(events.at(-1)).toMatchObject({ upstreamStatus: 'OK', isTerminal: true });
    expect(events.length).toBeGreaterThanOrEqual(9); // UNPROCESSED, IN_PROGRESS, six progress steps, OK (at one step per second)
    expect(new Set(events.map((e) => JSON.stringify(e))).size).toBe(events.length);
  });

  test('keeps two tenants apart: each sees only its own job, through its own watcher', async ({ stack, connect }) => {
    const alphaId = (await createProcessing(stack)).id;
    const betaId = (await createProcessing(stack, { token: MAPFLOW.beta.token })).id;
    stack.resetCounts();
    const alpha = connect();
    const beta = connect({ 'x-mapflow-token': MAPFLOW.beta.token });
    const a = new Feed(alpha, StatusProcessingProgressTerminalDocument, { id: alphaId });
    const b = new Feed(beta, StatusProcessingProgressTerminalDocument, { id: betaId });
    await Promise.all([a.next(), b.next()]);
    expect(stack.gateway.status.health()).toMatchObject({ watchers: 2, subscribers: 2 });

    // Beta cannot watch alpha's processing: it does not exist for beta.
    const stolen = new Feed(beta, StatusProcessingProgressTerminalDocument, { id: alphaId });
    expect((await stolen.next()).errors?.[0]).toMatchObject({ extensions: { code: 'NOT_FOUND' } });

    // Both run at once; each step waits for the event of whichever processing changed.
    const sim = stack.sims.mapflow;
    let seq = sim.changes.lastSeq;
    while (!a.completed || !b.completed) {
      sim.clock.advance(500);
      sim.scheduler.settle();
      const changed = new Set(sim.changes.since(seq).filter((c) => c.entity === 'processing').map((c) => c.id));
      seq = sim.changes.lastSeq;
      if (changed.has(alphaId)) await a.next();
      if (changed.has(betaId)) await b.next();
      await Promise.resolve();
    }
    const ids = (f: typeof a) => new Set(f.received.map((r) => field(r, 'processingUpdated').id));
    expect(ids(a)).toEqual(new Set([alphaId]));
    expect(ids(b)).toEqual(new Set([betaId]));
    expect(b.received.length).toBe(a.received.length);
    // Every call went out with the subscriber's own credential.
    const stats = sim.stats;
    expect(stats.count(ONE, 'alpha') + stats.count(ONE, 'beta')).toBe(stats.count(ONE));
    expect(stats.count(ONE, 'alpha')).toBeGreaterThan(1);
    expect(stats.count(ONE, 'beta')).toBeGreaterThan(1);
  });
});

describe('subscribe-time checks', () => {
  test('NOT_FOUND for a job that does not exist: one lookup, no poller', async ({ stack, connect }) => {
    stack.resetCounts();
    const feed = new Feed(connect(), StatusProcessingProgressTerminalDocument, { id: '00000000-0000-0000-0000-000000000000' });
    const r = await feed.next();
    expect(r.data ?? null).toBeNull();
    expect(r.errors).toEqual([
      expect.objectContaining({ path: ['processingUpdated'], extensions: expect.objectContaining({ code: 'NOT_FOUND' }) }),
    ]);
    await feed.done();
    expect(stack.gateway.status.health().watchers).toBe(0);
    expect(stack.calls('mapflow')).toBe(1);
  });

  test('UNAUTHENTICATED for a vendor without any credential, only on that subscription', async ({ connect }) => {
    // A second stack of its own: the file's has every credential.
    const noFlai = await startStatusStack({ env: { FLAI_TOKEN: '' } });
    try {
      const c = connect({}, noFlai.gateway.url);
      const feed = new Feed(c, StatusFlowExecutionIdDocument, { id: 'x' });
      expect((await feed.next()).errors?.[0]).toMatchObject({ extensions: { code: 'UNAUTHENTICATED', source: 'FLAI' } });
    } finally {
      await noFlai.close();
    }
  });
});
