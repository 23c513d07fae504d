import { randomUUID } from 'node:crypto';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import { createClient, type Client, type ExecutionResult } from 'graphql-ws';
import { test as base } from 'vitest';
import { Redis } from 'ioredis';
import WebSocket from 'ws';
import type { Change } from '../../src/simulators/core/changes.js';
import type { RunningSimulator } from '../../src/simulators/index.js';
import type { StatusActivity, StatusHub } from '../../src/status/hub.js';
import { startStack, test as stackTest, type Stack, type StackOptions } from '../helpers/stack.helpers.js';

/**
 * Fast polling for tests (real timers; the simulators' clocks stay frozen and move only when a
 * test advances them, so what changes and when is decided by the test, never by timing).
 */
export const FAST_STATUS_ENV = {
  STATUS_POLL_RUNNING_MS: '15',
  STATUS_POLL_QUEUED_MS: '30',
  STATUS_POLL_IDLE_MS: '60',
  STATUS_BACKOFF_MAX_MS: '120',
  STATUS_MAX_POLL_ERRORS: '3',
  STATUS_LEASE_MS: '400',
} as const;

export function startStatusStack(opts: StackOptions = {}): Promise<Stack> {
  return startStack({ ...opts, env: { ...FAST_STATUS_ENV, ...opts.env } });
}

/**
 * The test API of live-status tests: the file's stack polls fast (FAST_STATUS_ENV, plus what a file
 * adds with `test.override('stackOptions', ...)`, or a variant with `.extend('stackOptions', { scope:
 * 'file' }, ...)` for a describe block of its own), `client` is one graphql-ws client per file,
 * `connect(params?, url?)` opens more for one test (disposed after it), and `redis` is a Redis key
 * prefix of the file's own (dropped after the file's stack has closed).
 */
export const test = stackTest
  .extend('redis', { scope: 'file' }, redisFixture)
  .extend('stack', { scope: 'file' }, async ({ stackOptions }, { onCleanup }) => {
    const stack = await startStatusStack(stackOptions);
    onCleanup(() => stack.close());
    return stack;
  })
  .extend('client', { scope: 'file' }, async ({ stack }, { onCleanup }) => {
    const client = wsClient(stack.gateway.url);
    onCleanup(() => client.dispose());
    return client;
  })
  .extend('connect', async ({ stack }, { onCleanup }) => clientPool(onCleanup, stack.gateway.url));

/** `connect(params?, url?)`: graphql-ws clients of one test (to `url`, by default the file's gateway). */
export type Connect = (params?: Record<string, unknown>, url?: string) => Client;

/** Opens graphql-ws clients for one test and disposes them all after it. */
export function clientPool(onCleanup: (fn: () => Promise<void>) => void, defaultUrl?: string): Connect {
  const clients: Client[] = [];
  onCleanup(async () => {
    await Promise.all(clients.map((c) => c.dispose()));
  });
  return (params = {}, url = defaultUrl) => {
    if (!url) throw new Error('connect: no URL to connect to');
    const c = wsClient(url, params);
    clients.push(c);
    return c;
  };
}

/**
 * The same rig, started afresh for each test (`stack` and `client` test-scoped): for tests that must
 * not inherit what an earlier one left behind (watchers, breaker and retry state, faults).
 */
export const freshTest = base
  .extend('stackOptions', {} as StackOptions)
  .extend('stack', async ({ stackOptions }, { onCleanup }) => {
    const stack = await startStatusStack(stackOptions);
    onCleanup(() => stack.close());
    return stack;
  })
  .extend('client', async ({ stack }, { onCleanup }) => {
    const client = wsClient(stack.gateway.url);
    onCleanup(() => client.dispose());
    return client;
  });

/** A Redis connection for the file: its URL and a key prefix of its own, every key under it deleted at the end. */
export interface RedisPrefix {
  url: string;
  prefix: string;
}

// eslint-disable-next-line no-empty-pattern -- vitest reads a fixture's dependencies from its destructuring: none here
export async function redisFixture({}: object, { onCleanup }: { onCleanup(fn: () => Promise<void>): void }): Promise<RedisPrefix> {
  const prefix = redisPrefix();
  onCleanup(() => dropRedisPrefix(prefix));
  return { url: REDIS_URL, prefix };
}

/** A Redis key prefix of its own for one test run. */
export const redisPrefix = () => `gwtest:${randomUUID()}:`;
export const REDIS_URL = 'redis://127.0.0.1:6379';

/** Deletes every key under a test run's prefix (other people's keys stay). */
export async function dropRedisPrefix(prefix: string): Promise<void> {
  const redis = new Redis(REDIS_URL);
  try {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length) await redis.del(...keys);
  } finally {
    await redis.quit();
  }
}

/**
 * The next thing the hub's watchers do that matches `pred`: call it before causing the activity.
 * Tests wait on these instead of polling the hub's counters.
 */
export function nextActivity(hub: StatusHub, pred: (a: StatusActivity) => boolean): Promise<StatusActivity> {
  return new Promise((resolve) => {
    const stop = hub.observe((a) => {
      if (!pred(a)) return;
      stop();
      resolve(a);
    });
  });
}

/** Resolves once `cond()` holds: checked now, then after each activity of the hub's watchers. */
export function until(hub: StatusHub, cond: () => boolean): Promise<void> {
  if (cond()) return Promise.resolve();
  return nextActivity(hub, cond).then(() => undefined);
}

/** An activity as the `type` the test waited for (a poll, a lease, ...); another type fails the test. */
export function activityOf<T extends StatusActivity['type']>(a: StatusActivity, type: T): Extract<StatusActivity, { type: T }> {
  if (a.type !== type) throw new Error(`expected a ${type} activity, got ${JSON.stringify(a)}`);
  return a as Extract<StatusActivity, { type: T }>;
}

/** A poll that failed (its `code`, its `notBefore`); any other activity fails the test. */
export function failedPoll(a: StatusActivity): Extract<StatusActivity, { type: 'poll'; ok: false }> {
  const poll = activityOf(a, 'poll');
  if (poll.ok) throw new Error(`expected a failed poll, got ${JSON.stringify(a)}`);
  return poll;
}

/** Activities of one watched target. */
export const of =
  (kind: StatusActivity['kind'], id: string, pred: (a: StatusActivity) => boolean = () => true) =>
  (a: StatusActivity): boolean =>
    a.kind === kind && a.id === id && pred(a);

/** A real graphql-ws client over `ws`, no retries (a closed socket is a test failure). */
export function wsClient(httpUrl: string, connectionParams: Record<string, unknown> = {}): Client {
  return createClient({
    url: httpUrl.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    connectionParams,
    retryAttempts: 0,
    lazy: true,
  });
}

type Result<R = Record<string, unknown>> = ExecutionResult<R, Record<string, unknown>>;

/** One subscription's events, read in order; waiting never sleeps, it awaits the next message. */
export class Feed<R = Record<string, unknown>, V extends Record<string, unknown> = Record<string, unknown>> {
  readonly received: Result<R>[] = [];
  completed = false;
  failure: unknown = null;
  private cursor = 0;
  private wake: (() => void) | null = null;
  private readonly unsubscribe: () => void;

  /** `query`: a typed document of test/generated (results typed by it), or raw text for tests about the document itself. */
  constructor(client: Client, query: string | TypedDocumentNode<R, V>, variables: V = {} as V) {
    this.unsubscribe = client.subscribe<R>(
      { query: typeof query === 'string' ? query : print(query), variables },
      {
        next: (r) => this.update(() => this.received.push(r as Result<R>)),
        error: (e) => this.update(() => (this.failure = e)),
        complete: () => this.update(() => (this.completed = true)),
      },
    );
  }

  /** The next event; rejects when the stream ends first. */
  async next(): Promise<Result<R>> {
    while (this.cursor >= this.received.length) {
      if (this.completed || this.failure) throw new Error(`stream ended after ${this.received.length} events: ${describe(this.failure)}`);
      await new Promise<void>((r) => (this.wake = r));
    }
    return this.received[this.cursor++];
  }

  /** Every remaining event until the stream completes. */
  async rest(): Promise<Result<R>[]> {
    await this.done();
    const out = this.received.slice(this.cursor);
    this.cursor = this.received.length;
    return out;
  }

  async done(): Promise<void> {
    while (!this.completed && !this.failure) await new Promise<void>((r) => (this.wake = r));
    if (this.failure) throw new Error(`stream failed: ${describe(this.failure)}`);
  }

  /** Waits until `n` events in all have arrived; `next()` then returns the one after them. */
  async count(n: number): Promise<void> {
    while (this.received.length < n) {
      if (this.completed || this.failure) throw new Error(`stream ended after ${this.received.length} of ${n} events`);
      await new Promise<void>((r) => (this.wake = r));
    }
    this.cursor = Math.max(this.cursor, n);
  }

  /** Waits until `n` events in all have arrived or the stream has ended, whichever comes first. */
  async settle(n: number): Promise<void> {
    while (this.received.length < n && !this.completed && !this.failure) await new Promise<void>((r) => (this.wake = r));
  }

  close(): void {
    this.unsubscribe();
  }

  private update(fn: () => void): void {
    fn();
    const w = this.wake;
    this.wake = null;
    w?.();
  }
}

function describe(e: unknown): string {
  if (!e) return 'completed';
  if (e instanceof Error) return e.message;
  if (typeof e === 'object' && e && 'code' in e) return `close ${String(e.code)} ${String('reason' in e ? e.reason : '')}`;
  return JSON.stringify(e);
}

/**
 * The payload of an event's single root field; an event with errors throws. Typed by the document
 * of a typed feed; untyped feeds get `Record<string, unknown>` unless told `field<T>(...)`.
 */
export function field<R, K extends keyof R & string>(r: Result<R>, name: K): string extends keyof R ? Record<string, unknown> : R[K];
export function field<T = Record<string, unknown>>(r: Result<unknown>, name: string): T;
export function field(r: Result<unknown>, name: string): unknown {
  if (r.errors?.length) throw new Error(`event has errors: ${JSON.stringify(r.errors)}`);
  return (r.data as Record<string, unknown>)[name];
}

/** How a client's socket closed: resolves at its `closed` event (the server refused or dropped it). */
export function closeOf(client: Client): Promise<{ code: number; reason: string }> {
  return new Promise((resolve) => client.on('closed', (e) => resolve(closeEvent(e))));
}

/** The code and reason of a `closed` event (a CloseEvent from `ws`). */
export function closeEvent(e: unknown): { code: number; reason: string } {
  const { code, reason } = e as WebSocket.CloseEvent;
  return { code, reason };
}

/**
 * Moves a simulator's virtual time in steps, applying due transitions; after each step with a
 * change of interest, waits for the subscription's next event before moving on, so the gateway
 * sees every intermediate state. Returns the changes seen, step by step.
 */
export async function driveUntilComplete(
  sim: RunningSimulator,
  feed: Feed,
  interesting: (c: Change) => boolean,
  opts: { stepMs?: number; maxMs?: number; onStep?: () => Promise<void> } = {},
): Promise<Change[][]> {
  const stepMs = opts.stepMs ?? 500;
  const maxMs = opts.maxMs ?? 120_000;
  const steps: Change[][] = [];
  let seq = sim.changes.lastSeq;
  for (let t = 0; t < maxMs && !feed.completed; t += stepMs) {
    sim.clock.advance(stepMs);
    sim.scheduler.settle();
    const news = sim.changes.since(seq).filter(interesting);
    seq = sim.changes.lastSeq;
    if (!news.length) continue;
    steps.push(news);
    await feed.next();
    await opts.onStep?.();
  }
  await feed.done();
  return steps;
}

/**
 * Like `driveUntilComplete` for streams over several jobs (a project, `jobsUpdated`): `jobOf` names
 * the job a change belongs to (or null), and each step waits for one event per job that changed.
 * Stops when the stream completes or `until()` holds.
 */
export async function driveJobs(
  sims: RunningSimulator[],
  feed: Feed,
  jobOf: (sim: RunningSimulator, c: Change) => string | null,
  opts: { stepMs?: number; maxMs?: number; until?: () => boolean } = {},
): Promise<string[][]> {
  const stepMs = opts.stepMs ?? 500;
  const maxMs = opts.maxMs ?? 120_000;
  const seqs = sims.map((s) => s.changes.lastSeq);
  const steps: string[][] = [];
  for (let t = 0; t < maxMs && !feed.completed && !opts.until?.(); t += stepMs) {
    const changed = new Set<string>();
    sims.forEach((sim, i) => {
      sim.clock.advance(stepMs);
      sim.scheduler.settle();
      for (const c of sim.changes.since(seqs[i])) {
        const job = jobOf(sim, c);
        if (job) changed.add(job);
      }
      seqs[i] = sim.changes.lastSeq;
    });
    if (!changed.size) continue;
    steps.push([...changed]);
    await feed.count(feed.received.length + changed.size);
  }
  return steps;
}

export type { Result, Stack };

/**
 * Moves a simulator's clock one step after each poll of one target, from inside the poll's own
 * activity, i.e. before the next poll can start: every poll sees the state one step after the one
 * before, whatever the timing. `arm()` starts it at the next poll: that poll resets the simulator's
 * counters (nothing is in flight then) and takes the first step. `done` resolves at the poll that
 * finds the job terminal, with the steps taken: the vendor then saw exactly one call per step.
 */
export function lockstep(hub: StatusHub, sim: RunningSimulator, kind: StatusActivity['kind'], id: string, stepMs = 1_000) {
  let armed = false;
  let counting = false;
  let steps = 0;
  let resolve: (steps: number) => void = () => {};
  const done = new Promise<number>((r) => (resolve = r));
  const stop = hub.observe((a) => {
    if (a.type !== 'poll' || a.kind !== kind || a.id !== id || !armed) return;
    if (!counting) {
      counting = true;
      sim.stats.reset();
    }
    if (a.nextPollAt === null) {
      stop();
      return resolve(steps);
    }
    sim.clock.advance(stepMs);
    sim.scheduler.settle();
    steps++;
  });
  return {
    arm: () => void (armed = true),
    done,
  };
}
