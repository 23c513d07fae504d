import { describe, expect } from 'vitest';
import { StatusProcessingProgressTerminalDocument } from '../generated/graphql.js';
import { replicasTest as test, type GatewayProcess } from './gateway-process.helpers.js';
import { activityOf, driveUntilComplete, failedPoll, Feed, field, type Connect } from './status.helpers.js';
import { createProcessing } from './vendors.helpers.js';

/**
 * Three gateway processes, A, B and C, in front of the same simulators (run by this test process)
 * and one Redis (under a key prefix of this run), as replicas behind a load balancer would be.
 * Which replica polls is read from the outside: `/readyz` (`liveStatus.leading`, `polls`), the
 * debug log lines of each poll and lease, and the simulators' request counters.
 */
/** A lease long enough that a busy machine never lets a live leader's lease lapse. */
const LEASE_MS = 1_000;
test.override('replicaEnv', { STATUS_LEASE_MS: String(LEASE_MS) });
// The processes start before the first test, with the time three cold starts may take on a busy machine.
test.beforeAll(async ({ replicas }) => void replicas, 60_000);

const ONE = 'GET /processings/{id}/v2';
const live = async (g: GatewayProcess) => (await g.readyz()).liveStatus;
const isProcessing = (id: string) => (ch: { entity: string; id: string }) => ch.entity === 'processing' && ch.id === id;

/**
 * A new processing watched on two replicas: first on `leader` (its watcher starts first and takes
 * the lease), then on `follower`; both subscribers have the first state.
 */
async function watchedOnBoth(sims: Parameters<typeof createProcessing>[0]['sims'], connect: Connect, leader: GatewayProcess, follower: GatewayProcess) {
  const id = (await createProcessing({ sims })).id;
  const onLeader = new Feed(connect({}, leader.url), StatusProcessingProgressTerminalDocument, { id });
  await onLeader.next();
  const onFollower = new Feed(connect({}, follower.url), StatusProcessingProgressTerminalDocument, { id });
  await onFollower.next();
  expect(await live(leader)).toMatchObject({ distributed: true, watchers: 1, leading: 1 });
  expect(await live(follower)).toMatchObject({ distributed: true, watchers: 1, leading: 0 });
  return { id, target: { kind: 'Processing', id }, onLeader, onFollower };
}

describe('gateway processes sharing one Redis', () => {
  test('polls each job on one replica only, and a subscriber on the other gets every change', async ({ sims, replicas: { a, b }, connect }) => {
    sims.mapflow.stats.reset();
    const [a0, b0] = [await live(a), await live(b)];
    const { id, onLeader: onA, onFollower: onB } = await watchedOnBoth(sims, connect, a, b);

    const steps = await driveUntilComplete(sims.mapflow, onA, isProcessing(id), { onStep: async () => void (await onB.next()) });
    await onB.done();
    expect(onB.received).toEqual(onA.received);
    expect(onB.received).toHaveLength(steps.length + 1);
    expect(field(onB.received[onB.received.length - 1], 'processingUpdated')).toMatchObject({ upstreamStatus: 'OK', isTerminal: true });

    const [a1, b1] = [await live(a), await live(b)];
    expect(b1.polls - b0.polls).toBe(0);
    expect(b1.published - b0.published).toBe(0);
    // What the vendor saw: each replica's first lookup, then A's polls and nothing else (a call
    // by B, counted by B or not, would break one of these).
    const calls = sims.mapflow.stats.count(ONE);
    expect(calls).toBe(2 + a1.polls - a0.polls);
    expect(calls).toBeGreaterThanOrEqual(2 + steps.length);
    // Each change was published once, by A.
    expect(a1.published - a0.published).toBe(steps.length);
    expect([a1.watchers, b1.watchers]).toEqual([0, 0]);
  });

  test('hands the lease over at once when the leader’s last subscriber leaves', async ({ sims, replicas: { a, b }, connect }) => {
    const { target, onLeader: onA, onFollower: onB } = await watchedOnBoth(sims, connect, a, b);

    const mark = b.logs.length;
    const aStopped = a.waitForActivity(target, (l) => l.type === 'stopped');
    onA.close();
    // A releases its lease and says so on the channel; B takes it without waiting for it to expire.
    expect(await b.waitForActivity(target, (l) => l.type === 'lease', mark)).toMatchObject({ leader: true, reason: 'released' });
    await aStopped;
    expect((await live(a)).watchers).toBe(0);
    sims.mapflow.clock.advance(2_000);
    expect(field(await onB.next(), 'processingUpdated')).toMatchObject({ upstreamStatus: 'IN_PROGRESS' });
    expect((await live(b)).leading).toBe(1);
    onB.close();
  });

  test('SIGKILL of the leader right after a 429: the other replica takes over after the Retry-After and delivers the rest, terminal event included', async ({ sims, replicas: { b, c }, connect }) => {
    const { id, target, onLeader: onC, onFollower: onB } = await watchedOnBoth(sims, connect, c, b);
    const bBefore = await live(b);

    // One change with C polling: both subscribers see it.
    sims.mapflow.clock.advance(2_000);
    sims.mapflow.scheduler.settle();
    await Promise.all([onC.next(), onB.next()]);

    // The vendor rate-limits C's next poll for 2 s, then C dies: no lease released, no message.
    sims.mapflow.faults.set({ rateLimitRate: 1, retryAfterSeconds: 2, route: ONE, count: 1 });
    const refused = await c.waitForActivity(target, (l) => l.type === 'poll' && !l.ok);
    expect(refused).toMatchObject({ code: 'RATE_LIMITED' });
    const failed = failedPoll(refused);
    const notBefore = failed.notBefore ?? NaN; // null fails both comparisons below, as it did before
    expect(notBefore - failed.startedAt).toBeGreaterThanOrEqual(2_000);
    const mark = b.logs.length;
    expect(await c.stop('SIGKILL')).toBeNull();
    expect((await live(b)).polls).toBe(bBefore.polls);

    await driveUntilComplete(sims.mapflow, onB, isProcessing(id));
    // B won the lease once C's had expired, and still waited out the Retry-After C was given.
    expect(await b.waitForActivity(target, (l) => l.type === 'lease', mark)).toMatchObject({ leader: true, reason: 'expired' });
    const firstPoll = activityOf(await b.waitForActivity(target, (l) => l.type === 'poll', mark), 'poll');
    expect(firstPoll.startedAt).toBeGreaterThanOrEqual(notBefore);

    const events = onB.received.map((r) => field(r, 'processingUpdated'));
    expect(events.at(-1)).toMatchObject({ upstreamStatus: 'OK', percentCompleted: 100, isTerminal: true });
    expect(events.filter((e) => e.isTerminal)).toHaveLength(1);
    const keys = events.map((e) => JSON.stringify(e));
    expect(new Set(keys).size).toBe(keys.length);
    const percents = events.map((e) => e.percentCompleted);
    expect(percents).toEqual([...percents].sort((x, y) => x - y));
    expect(onB.completed).toBe(true);
    const bAfter = await live(b);
    expect(bAfter.polls).toBeGreaterThan(bBefore.polls);
    expect(bAfter.watchers).toBe(0);
  });
});
