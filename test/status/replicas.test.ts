import type { Client } from 'graphql-ws';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/app.js';
import { driveUntilComplete, Feed, field, REDIS_URL, redisPrefix, startReplica, startStatusStack, wsClient, type Stack } from './status.helpers.js';
import { createProcessing, type Json } from './vendors.helpers.js';

/**
 * Two gateway replicas, A and B, in this process: each has its own watcher registry and its own
 * Redis connections, and they share one Redis (under a key prefix of this run) and the simulators.
 */
const prefix = redisPrefix();
const env = { REDIS_URL, STATUS_REDIS_PREFIX: prefix };
let stack: Stack;
let a: Gateway;
let b: Gateway;
const clients: Client[] = [];
const connect = (g: Gateway) => {
  const c = wsClient(g.url);
  clients.push(c);
  return c;
};

beforeAll(async () => {
  stack = await startStatusStack({ env });
  a = stack.gateway;
  b = await startReplica(stack, env);
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.dispose()));
  await b?.close();
  await stack?.close();
  const redis = new Redis(REDIS_URL);
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length) await redis.del(...keys);
  await redis.quit();
});

const PROCESSING = `subscription ($id: ID!) { processingUpdated(id: $id) { id upstreamStatus percentCompleted isTerminal } }`;
const ONE = 'GET /processings/{id}/v2';
const snapshot = (g: Gateway) => ({ ...g.status.health() });

describe('two replicas sharing Redis', () => {
  it('polls each job on one replica only, and a subscriber on the other gets every change', async () => {
    const id = (await createProcessing(stack)).id as string;
    stack.resetCounts();
    const [a0, b0] = [snapshot(a), snapshot(b)];
    const onA = new Feed(connect(a), PROCESSING, { id });
    await onA.next();
    const onB = new Feed(connect(b), PROCESSING, { id });
    await onB.next();
    expect(a.status.health()).toMatchObject({ distributed: true, watchers: 1, leading: 1 });
    expect(b.status.health()).toMatchObject({ distributed: true, watchers: 1, leading: 0 });

    await driveUntilComplete(stack.sims.mapflow, onA, (c) => c.entity === 'processing' && c.id === id, {
      onStep: async () => {
        await onB.next();
      },
    });
    await onB.done();
    expect(onB.received).toEqual(onA.received);
    expect(field<Json>(onB.received.at(-1) as never, 'processingUpdated')).toMatchObject({ upstreamStatus: 'OK', isTerminal: true });

    const [a1, b1] = [snapshot(a), snapshot(b)];
    expect(b1.polls - b0.polls).toBe(0);
    expect(b1.published - b0.published).toBe(0);
    expect(a1.polls - a0.polls).toBeGreaterThan(0);
    // Besides each replica's first lookup, every upstream call was one of A's polls; each change
    // was published once, by A.
    expect(b1.initialFetches - b0.initialFetches).toBe(1);
    expect(stack.callsTo('mapflow', ONE)).toBe(a1.polls - a0.polls + 2);
    expect(a1.published - a0.published).toBe(onA.received.length - 1);
    expect([a1.watchers, b1.watchers]).toEqual([0, 0]);
  });

  it('hands the lease over at once when the leader’s last subscriber leaves', async () => {
    const id = (await createProcessing(stack)).id as string;
    const onA = new Feed(connect(a), PROCESSING, { id });
    await onA.next();
    const onB = new Feed(connect(b), PROCESSING, { id });
    await onB.next();
    expect([a.status.health().leading, b.status.health().leading]).toEqual([1, 0]);
    onA.close();
    // A releases its lease and says so; B takes it without waiting for the lease to expire.
    while (!b.status.health().leading) await new Promise<void>((r) => setImmediate(r));
    expect(a.status.health().watchers).toBe(0);
    stack.sims.mapflow.clock.advance(2_000);
    expect(field<Json>(await onB.next(), 'processingUpdated')).toMatchObject({ upstreamStatus: 'IN_PROGRESS' });
    onB.close();
  });

  it('hands polling over when the leader dies, without losing the terminal event', async () => {
    const c = await startReplica(stack, env); // the leader that will die
    try {
      const id = (await createProcessing(stack)).id as string;
      const onC = new Feed(connect(c), PROCESSING, { id });
      await onC.next();
      const onB = new Feed(connect(b), PROCESSING, { id });
      await onB.next();
      expect(c.status.health().leading).toBe(1);
      expect(b.status.health().leading).toBe(0);

      let step = 0;
      const b0 = snapshot(b);
      await driveUntilComplete(stack.sims.mapflow, onB, (ch) => ch.entity === 'processing' && ch.id === id, {
        onStep: async () => {
          // After two changes the leader crashes: no lease released, no message, Redis connections dropped.
          if (++step === 2) await c.status.close({ graceful: false });
        },
      });
      const events = onB.received.map((r) => field<Json>(r, 'processingUpdated'));
      expect(events.at(-1)).toMatchObject({ upstreamStatus: 'OK', percentCompleted: 100, isTerminal: true });
      const keys = events.map((e) => JSON.stringify(e));
      expect(new Set(keys).size).toBe(keys.length);
      const percents = events.map((e) => e.percentCompleted as number);
      expect(percents).toEqual([...percents].sort((x, y) => x - y));
      // B took over: it polled, and only after the crash.
      expect(snapshot(b).polls - b0.polls).toBeGreaterThan(0);
      expect(snapshot(b).watchers).toBe(0);
    } finally {
      await c.close();
    }
  });
});
