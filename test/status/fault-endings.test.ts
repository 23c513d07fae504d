import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import type { Client } from 'graphql-ws';
import { describe, expect } from 'vitest';
import type { FaultInput } from '../../src/simulators/core/faults.js';
import type { RunningSimulator } from '../../src/simulators/index.js';
import { StatusFlowExecutionStateDocument, StatusJobsStateDocument, StatusPointcloudStateDocument, StatusProcessingStateDocument } from '../generated/graphql.js';
import { Feed, field, freshTest as test, until, type Result } from './status.helpers.js';
import { createProcessing, PROCESSING_POINTCLOUD, runFlow, type Json } from './vendors.helpers.js';

/**
 * Every subscription ends in exactly one of two ways, whatever the vendors do meanwhile: its
 * terminal event, then `complete`; or one error event with a vendor code (never BAD_USER_INPUT,
 * never without `source`), then `complete`. Never in silence. Each fault kind runs on a fresh
 * stack (`freshTest`: a stack and a client per test), over the four subscriptions that follow
 * jobs, while the simulators' clocks move the jobs to their end one step at a time (each step
 * waits for the events it causes, or the stream's end).
 */
const FAULTS: Record<string, FaultInput> = {
  '5xx (30 %)': { errorRate: 0.3, errorStatuses: [500, 502, 503] },
  '429 with Retry-After (30 %)': { rateLimitRate: 0.3, retryAfterSeconds: 1 },
  'latency (20–80 ms)': { latencyMs: 20, jitterMs: 60 },
  'connection reset (30 %)': { resetRate: 0.3 },
};
const TERMINAL = new Set(['SUCCEEDED', 'FAILED', 'CANCELLED']);
const VENDOR_CODES = new Set(['UPSTREAM_UNAVAILABLE', 'UPSTREAM_ERROR', 'UPSTREAM_TIMEOUT', 'UPSTREAM_BAD_RESPONSE', 'RATE_LIMITED']);

/** One stream under test: its feed, how to read the job and state an event carries, and the jobs it follows. */
interface Followed {
  name: string;
  feed: Feed<unknown>;
  /** The job and state of each event so far (one job per event: its own, or the event's for jobsUpdated). */
  states(): { id: string; state: string }[];
  /** The jobs of the stream, and which simulator change moves each. */
  jobs: { id: string; sim: RunningSimulator; moves: (c: { entity: string; id: string; field: string }) => boolean }[];
}

function follow<R, V extends Record<string, unknown>>(
  client: Client,
  name: string,
  doc: TypedDocumentNode<R, V>,
  variables: V,
  stateOf: (r: Result<R>) => { id: string; state: string },
  jobs: Followed['jobs'],
): Followed {
  const feed = new Feed(client, doc, variables);
  return { name, feed, jobs, states: () => feed.received.map(stateOf) };
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
    return { kind: 'error', extensions: errors[0].errors?.[0].extensions ?? {} };
  }
  const last = new Map<string, string>();
  for (const { id, state } of f.states()) last.set(id, state);
  const allTerminal = f.jobs.every((j) => TERMINAL.has(last.get(j.id) ?? ''));
  return allTerminal ? { kind: 'terminal' } : { kind: 'silent', last: Object.fromEntries(last) };
}

describe.each(Object.entries(FAULTS))('under %s', (_name, fault) => {
  test('processingUpdated, flowExecutionUpdated, pointcloudUpdated and jobsUpdated each end with their terminal event or one coded vendor error', { timeout: 90_000 }, async ({ stack, client }) => {
    const { mapflow, flai, cupix } = stack.sims;
    const processing = (await createProcessing(stack)).id;
    const failing = (await createProcessing(stack, { failing: true })).id;
    const run = await runFlow(stack);
    const execution = run.id;
    const outputs = (run.output_datasets ?? []).map((o) => o.dataset_id);
    const pointcloud = PROCESSING_POINTCLOUD.id;
    const mapflowJob = (id: string) => ({ id, sim: mapflow, moves: (c: { entity: string; id: string }) => c.entity === 'processing' && c.id === id });
    const flaiJob = { id: execution, sim: flai, moves: (c: { entity: string; id: string }) => (c.entity === 'flow_execution' && c.id === execution) || (c.entity === 'dataset' && outputs.includes(c.id)) };
    const cupixJob = { id: pointcloud, sim: cupix, moves: (c: { entity: string; id: string; field: string }) => c.entity === 'pointcloud' && c.id === pointcloud && c.field === 'state' };

    // The faults start once the jobs exist: on every call the gateway makes from now on.
    for (const sim of [mapflow, flai, cupix]) sim.faults.set(fault);
    const followed: Followed[] = [
      follow(client, 'processingUpdated', StatusProcessingStateDocument, { id: processing }, (r) => field(r, 'processingUpdated'), [mapflowJob(processing)]),
      follow(client, 'processingUpdated (failing)', StatusProcessingStateDocument, { id: failing }, (r) => field(r, 'processingUpdated'), [mapflowJob(failing)]),
      follow(client, 'flowExecutionUpdated', StatusFlowExecutionStateDocument, { id: execution }, (r) => field(r, 'flowExecutionUpdated'), [flaiJob]),
      follow(client, 'pointcloudUpdated', StatusPointcloudStateDocument, { id: pointcloud }, (r) => field(r, 'pointcloudUpdated'), [cupixJob]),
      follow(
        client,
        'jobsUpdated',
        StatusJobsStateDocument,
        {
          refs: [
            { source: 'MAPFLOW', type: 'Processing', id: processing },
            { source: 'FLAI', type: 'FlowExecution', id: execution },
            { source: 'CUPIX', type: 'Pointcloud', id: pointcloud },
          ],
        },
        (r) => {
          const e = field(r, 'jobsUpdated');
          return { id: e.job.id, state: e.state };
        },
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
