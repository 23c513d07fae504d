import type { Client } from 'graphql-ws';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FaultInput } from '../../src/simulators/core/faults.js';
import type { RunningSimulator } from '../../src/simulators/index.js';
import { Feed, startStatusStack, until, wsClient, type Result, type Stack } from './status.helpers.js';
import { createProcessing, PROCESSING_POINTCLOUD, runFlow, type Json } from './vendors.helpers.js';

/**
 * Every subscription ends in exactly one of two ways, whatever the vendors do meanwhile: its
 * terminal event, then `complete`; or one error event with a vendor code (never BAD_USER_INPUT,
 * never without `source`), then `complete`. Never in silence. Each fault kind runs on a fresh
 * stack, over the four subscriptions that follow jobs, while the simulators' clocks move the jobs
 * to their end one step at a time (each step waits for the events it causes, or the stream's end).
 */
const FAULTS: Record<string, FaultInput> = {
  '5xx (30 %)': { errorRate: 0.3, errorStatuses: [500, 502, 503] },
  '429 with Retry-After (30 %)': { rateLimitRate: 0.3, retryAfterSeconds: 1 },
  'latency (20–80 ms)': { latencyMs: 20, jitterMs: 60 },
  'connection reset (30 %)': { resetRate: 0.3 },
};
const TERMINAL = new Set(['SUCCEEDED', 'FAILED', 'CANCELLED']);
const VENDOR_CODES = new Set(['UPSTREAM_UNAVAILABLE', 'UPSTREAM_ERROR', 'UPSTREAM_TIMEOUT', 'UPSTREAM_BAD_RESPONSE', 'RATE_LIMITED']);

let stack: Stack;
let client: Client;
beforeEach(async () => {
  stack = await startStatusStack();
  client = wsClient(stack.gateway.url);
});
afterEach(async () => {
  await client?.dispose();
  await stack?.close();
});

interface Followed {
  name: string;
  feed: Feed;
  rootField: string;
  /** The jobs of the stream, and which simulator change moves each. */
  jobs: { id: string; sim: RunningSimulator; moves: (c: { entity: string; id: string; field: string }) => boolean }[];
}

/** The state of each job an event carries (one for a job's own subscription, one per event for jobsUpdated). */
function statesOf(f: Followed, r: Result): { id: string; state: string } {
  const v = (r.data as Json)[f.rootField] as Json;
  return f.rootField === 'jobsUpdated' ? { id: (v.job as Json).id as string, state: v.state as string } : { id: v.id as string, state: v.state as string };
}

/** How a stream ended: `terminal` (every job's last event terminal, no error), or `error` with its extensions. */
function ending(f: Followed): { kind: 'terminal' } | { kind: 'error'; extensions: Json } | { kind: 'silent'; last: Json } {
  const errors = f.feed.received.filter((r) => r.errors?.length);
  if (errors.length) {
    // One error event, the last thing before complete, with no data.
    expect(errors).toHaveLength(1);
    expect(f.feed.received.at(-1)).toBe(errors[0]);
    expect(errors[0].data ?? null).toBeNull();
    expect(errors[0].errors).toHaveLength(1);
    return { kind: 'error', extensions: errors[0].errors?.[0].extensions as Json };
  }
  const last = new Map<string, string>();
  for (const r of f.feed.received) {
    const { id, state } = statesOf(f, r);
    last.set(id, state);
  }
  const allTerminal = f.jobs.every((j) => TERMINAL.has(last.get(j.id) ?? ''));
  return allTerminal ? { kind: 'terminal' } : { kind: 'silent', last: Object.fromEntries(last) };
}

describe.each(Object.entries(FAULTS))('under %s', (_name, fault) => {
  it('processingUpdated, flowExecutionUpdated, pointcloudUpdated and jobsUpdated each end with their terminal event or one coded vendor error', { timeout: 90_000 }, async () => {
    const { mapflow, flai, cupix } = stack.sims;
    const processing = (await createProcessing(stack)).id as string;
    const failing = (await createProcessing(stack, { failing: true })).id as string;
    const run = await runFlow(stack);
    const execution = run.id as string;
    const outputs = ((run.output_datasets as Json[]) ?? []).map((o) => o.dataset_id as string);
    const pointcloud = PROCESSING_POINTCLOUD.id;
    const mapflowJob = (id: string) => ({ id, sim: mapflow, moves: (c: { entity: string; id: string }) => c.entity === 'processing' && c.id === id });
    const flaiJob = { id: execution, sim: flai, moves: (c: { entity: string; id: string }) => (c.entity === 'flow_execution' && c.id === execution) || (c.entity === 'dataset' && outputs.includes(c.id)) };
    const cupixJob = { id: pointcloud, sim: cupix, moves: (c: { entity: string; id: string; field: string }) => c.entity === 'pointcloud' && c.id === pointcloud && c.field === 'state' };

    // The faults start once the jobs exist: on every call the gateway makes from now on.
    for (const sim of [mapflow, flai, cupix]) sim.faults.set(fault);
    const sub = (name: string, query: string, variables: Json, rootField: string, jobs: Followed['jobs']): Followed => ({ name, feed: new Feed(client, query, variables), rootField, jobs });
    const followed: Followed[] = [
      sub('processingUpdated', 'subscription ($id: ID!) { processingUpdated(id: $id) { id state } }', { id: processing }, 'processingUpdated', [mapflowJob(processing)]),
      sub('processingUpdated (failing)', 'subscription ($id: ID!) { processingUpdated(id: $id) { id state } }', { id: failing }, 'processingUpdated', [mapflowJob(failing)]),
      sub('flowExecutionUpdated', 'subscription ($id: ID!) { flowExecutionUpdated(id: $id) { id state } }', { id: execution }, 'flowExecutionUpdated', [flaiJob]),
      sub('pointcloudUpdated', 'subscription ($id: ID!) { pointcloudUpdated(id: $id) { id state } }', { id: pointcloud }, 'pointcloudUpdated', [cupixJob]),
      sub(
        'jobsUpdated',
        'subscription ($refs: [JobRefInput!]!) { jobsUpdated(refs: $refs) { job { id } state } }',
        {
          refs: [
            { source: 'MAPFLOW', type: 'Processing', id: processing },
            { source: 'FLAI', type: 'FlowExecution', id: execution },
            { source: 'CUPIX', type: 'Pointcloud', id: pointcloud },
          ],
        },
        'jobsUpdated',
        [mapflowJob(processing), flaiJob, cupixJob],
      ),
    ];

    // Each stream's first events: the current state of each of its jobs (or its end).
    await Promise.all(followed.map((f) => f.feed.settle(f.jobs.length)));
    const seqs = new Map([mapflow, flai, cupix].map((s) => [s, s.changes.lastSeq]));
    for (let t = 0; t < 120_000 && followed.some((f) => !f.feed.completed); t += 1_000) {
      for (const sim of [mapflow, flai, cupix]) {
        sim.clock.advance(1_000);
        sim.scheduler.settle();
      }
      const changes = [mapflow, flai, cupix].flatMap((sim) => sim.changes.since(seqs.get(sim)).map((c) => ({ sim, c })));
      for (const sim of [mapflow, flai, cupix]) seqs.set(sim, sim.changes.lastSeq);
      // Wait for one event per job of each stream that this step moved, or for the stream's end.
      await Promise.all(
        followed.map((f) => {
          const moved = f.jobs.filter((j) => changes.some(({ sim, c }) => sim === j.sim && j.moves(c))).length;
          return moved ? f.feed.settle(f.feed.received.length + moved) : undefined;
        }),
      );
    }
    await Promise.all(followed.map((f) => f.feed.done()));

    const endings = followed.map((f) => ({ name: f.name, ...ending(f) }));
    for (const e of endings) {
      expect(e.kind, `${e.name} ended in silence: ${JSON.stringify(e)}`).not.toBe('silent');
      if (e.kind !== 'error') continue;
      expect(VENDOR_CODES.has(String(e.extensions.code)), `${e.name}: ${JSON.stringify(e.extensions)}`).toBe(true);
      expect(e.extensions).toMatchObject({ source: expect.stringMatching(/^(MAPFLOW|FLAI|CUPIX)$/), upstreamStatus: expect.any(Number) });
      if (e.extensions.code === 'RATE_LIMITED') expect(e.extensions.retryAfter).toEqual(expect.any(Number));
    }
    await until(stack.gateway.status, () => stack.gateway.status.health().watchers === 0);
  });
});
