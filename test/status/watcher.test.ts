import 'reflect-metadata';
import { describe, expect, it } from 'vitest';
import { JobState, Source, type JobFields } from '../../src/schema/common/job.type.js';
import { createLogger } from '../../src/observability/logger.js';
import { UpstreamError } from '../../src/errors.js';
import { MemoryBus } from '../../src/status/bus.js';
import type { StatusActivity, StatusEvent, WatcherEnv } from '../../src/status/watch-types.js';
import { Watcher } from '../../src/status/watcher.js';
import { activityOf } from './status.helpers.js';

/**
 * One watcher with its vendor calls held by the test. The integration tests go through the
 * simulators; this one pins down an ordering a simulator cannot hold still: a mutation's kick
 * arriving while a poll is in flight.
 */
const HOUR = 3_600_000;

interface Call {
  resolve(jobs: JobFields[]): void;
  reject(err: unknown): void;
}

/** The vendor side: each call waits until the test answers it. */
class HeldVendor {
  private readonly made: Call[] = [];
  private readonly waiting: ((c: Call) => void)[] = [];
  private cursor = 0;

  readonly fetch = (): Promise<JobFields[] | null> =>
    new Promise((resolve, reject) => {
      this.made.push({ resolve, reject });
      const w = this.waiting.shift();
      if (w) w(this.made[this.cursor++]);
    });

  /** The next call the watcher makes (or has made). */
  next(): Promise<Call> {
    if (this.cursor < this.made.length) return Promise.resolve(this.made[this.cursor++]);
    return new Promise((r) => this.waiting.push(r));
  }
}

function job(percent: number): JobFields {
  return { __typename: 'Processing', id: 'p1', source: Source.MAPFLOW, state: JobState.QUEUED, upstreamStatus: 'UNPROCESSED', progress: percent, percentCompleted: percent, isTerminal: false } as unknown as JobFields;
}

function activities() {
  const listeners = new Set<(a: StatusActivity) => void>();
  return {
    observe: (a: StatusActivity) => {
      for (const l of listeners) l(a);
    },
    next: (pred: (a: StatusActivity) => boolean) =>
      new Promise<StatusActivity>((resolve) => {
        const l = (a: StatusActivity) => {
          if (!pred(a)) return;
          listeners.delete(l);
          resolve(a);
        };
        listeners.add(l);
      }),
  };
}

/** Another replica holds every lease: this one never leads. */
class FollowerBus extends MemoryBus {
  override async acquire(): Promise<boolean> {
    return false;
  }
}

function envOf(bus: MemoryBus, vendor: HeldVendor, seen: ReturnType<typeof activities>, over: Partial<WatcherEnv> = {}): WatcherEnv {
  return {
    bus,
    intervals: { runningMs: 5, queuedMs: HOUR, idleMs: HOUR, backoffMaxMs: 20 },
    maxErrors: 3,
    maxWatchersPerCredential: 10,
    fetch: vendor.fetch,
    stats: { polls: 0, initialFetches: 0, pollErrors: 0, pollsChanged: 0, pollsUnchanged: 0, published: 0, eventExecutions: 0, sharedExecutions: 0 },
    log: createLogger('silent'),
    stopped: () => {},
    observe: seen.observe,
    ...over,
  };
}

const unavailable = () => new UpstreamError('MAPFLOW', 503, 'UPSTREAM_UNAVAILABLE', 'Mapflow: Service Unavailable');

/** A subscriber's side of a watcher: what it was pushed, and whether it was ended. */
function sink() {
  const events: StatusEvent[] = [];
  let ended = false;
  return { events, ended: () => ended, push: (e: StatusEvent) => events.push(e), end: () => void (ended = true) };
}

describe('a replica that does not lead, after a failed first lookup', () => {
  it('asks again on the backoff schedule until it has the state, then follows the leader without polling', async () => {
    const bus = new FollowerBus();
    const vendor = new HeldVendor();
    const seen = activities();
    const env = envOf(bus, vendor, seen);
    const watcher = new Watcher('k', 'cred', { kind: 'Processing', id: 'p1' }, { mapflow: { token: 't' }, flai: null, cupix: null }, env);
    const subscriber = sink();
    try {
      const failed = seen.next((a) => a.type === 'lookup');
      (await vendor.next()).reject(unavailable());
      await watcher.ready;
      expect(await failed).toMatchObject({ ok: false, code: 'UPSTREAM_UNAVAILABLE' });
      expect(watcher.leader).toBe(false);
      expect(watcher.attach(subscriber)).toBe(true);
      expect(subscriber.events).toHaveLength(0);

      // Its own poll, once the backoff is over: the state reaches its subscriber, and it stops polling.
      const caughtUp = seen.next((a) => a.type === 'poll');
      (await vendor.next()).resolve([job(5)]);
      expect(await caughtUp).toMatchObject({ ok: true, nextPollAt: null });
      expect(subscriber.events).toEqual([expect.objectContaining({ type: 'change', job: job(5), previousState: null })]);

      // From then on the leader's published changes keep it current.
      await bus.publish('k', { t: 'change', items: [job(6)], at: Date.now() });
      await Promise.resolve();
      expect(subscriber.events.at(-1)).toMatchObject({ type: 'change', job: job(6) });
      expect(env.stats.polls).toBe(1);
      expect(subscriber.ended()).toBe(false);
    } finally {
      await watcher.stop();
    }
  });

  it('ends its own subscribers with the coded error after maxErrors failures, telling no other replica', async () => {
    const bus = new FollowerBus();
    const published: string[] = [];
    const publish = bus.publish.bind(bus);
    bus.publish = async (channel, msg) => {
      published.push(msg.t);
      return publish(channel, msg);
    };
    const vendor = new HeldVendor();
    const seen = activities();
    const watcher = new Watcher('k', 'cred', { kind: 'Processing', id: 'p1' }, { mapflow: { token: 't' }, flai: null, cupix: null }, envOf(bus, vendor, seen));
    const subscriber = sink();
    (await vendor.next()).reject(unavailable());
    await watcher.ready;
    watcher.attach(subscriber);
    (await vendor.next()).reject(unavailable());
    (await vendor.next()).reject(unavailable());
    await seen.next((a) => a.type === 'stopped');
    expect(subscriber.events).toEqual([{ type: 'error', error: { message: 'Mapflow: Service Unavailable', extensions: expect.objectContaining({ code: 'UPSTREAM_UNAVAILABLE', source: 'MAPFLOW', upstreamStatus: 503 }) } }]);
    expect(subscriber.ended()).toBe(true);
    expect(published).toEqual([]);
  });
});

describe('watcher', () => {
  it('a kick that arrives while a poll is in flight still brings the next poll forward', async () => {
    const bus = new MemoryBus();
    const vendor = new HeldVendor();
    const seen = activities();
    const env: WatcherEnv = {
      bus,
      // Queued jobs are polled once an hour: only a kick can bring a poll sooner.
      intervals: { runningMs: 5, queuedMs: HOUR, idleMs: HOUR, backoffMaxMs: HOUR },
      maxErrors: 5,
      maxWatchersPerCredential: 10,
      fetch: vendor.fetch,
      stats: { polls: 0, initialFetches: 0, pollErrors: 0, pollsChanged: 0, pollsUnchanged: 0, published: 0, eventExecutions: 0, sharedExecutions: 0 },
      log: createLogger('silent'),
      stopped: () => {},
      observe: seen.observe,
    };
    const watcher = new Watcher('k', 'cred', { kind: 'Processing', id: 'p1' }, { mapflow: { token: 't' }, flai: null, cupix: null }, env);
    const kick = (percent: number) => bus.publish('k', { t: 'change', items: [job(percent)], at: Date.now(), kick: true });
    try {
      (await vendor.next()).resolve([job(0)]); // the first lookup
      await watcher.ready;
      expect(watcher.leader).toBe(true);

      // A first kick: the watcher polls soon; that poll stays in flight.
      let woken = seen.next((a) => a.type === 'woken');
      await kick(1);
      expect(await woken).toMatchObject({ nextPollAt: expect.any(Number) });
      const inFlight = await vendor.next();

      // A second kick while it is in flight: it is remembered for when the poll returns ...
      woken = seen.next((a) => a.type === 'woken');
      await kick(2);
      expect(await woken).toMatchObject({ nextPollAt: null });
      const polled = seen.next((a) => a.type === 'poll');
      inFlight.resolve([job(1)]); // an answer from before the second mutation
      const poll = activityOf(await polled, 'poll');
      // ... so the next poll comes at the running rate, not in an hour, and it happens.
      expect((poll.nextPollAt ?? Infinity) - poll.startedAt).toBeLessThan(HOUR);
      (await vendor.next()).resolve([job(2)]);
      expect(env.stats.polls).toBe(2);
    } finally {
      await watcher.stop();
    }
  });
});
