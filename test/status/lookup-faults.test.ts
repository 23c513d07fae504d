import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { describe, expect } from 'vitest';
import type { FaultInput } from '../../src/simulators/core/faults.js';
import {
  StatusFlowExecutionStateDocument,
  StatusJobsStateDocument,
  StatusPointcloudStateDocument,
  StatusProcessingLookupDocument,
  type StatusFlowExecutionStateSubscription,
  type StatusPointcloudStateSubscription,
  type StatusProcessingLookupSubscription,
} from '../generated/graphql.js';
import { driveUntilComplete, Feed, field, nextActivity, of, test, until, type Stack } from './status.helpers.js';
import { createProcessing, PROCESSING_POINTCLOUD, runFlow } from './vendors.helpers.js';

/**
 * A vendor failing while a subscription starts: the first lookup is retried like an HTTP read; a
 * fault that outlasts those retries leaves the subscription open, and it ends only after
 * STATUS_MAX_POLL_ERRORS failures (the lookup counted), with one error event carrying the vendor's
 * own code, exactly like a later poll that fails. Over graphql-ws, every error has the code HTTP
 * would give it: BAD_USER_INPUT only for the caller's own mistakes.
 */
const MAX_POLL_ERRORS = 2;
// Cupix's short timeout is for the hang case (only Cupix calls may hang here).
test.override('stackOptions', { env: { STATUS_MAX_POLL_ERRORS: String(MAX_POLL_ERRORS), CUPIX_TIMEOUT_MS: '300' } });
test.afterEach(async ({ stack }) => {
  for (const sim of [stack.sims.mapflow, stack.sims.flai, stack.sims.cupix]) sim.faults.set(null);
  // Every stream of a test has ended (or been closed): no watcher is left polling into the next test.
  await until(stack.gateway.status, () => stack.gateway.status.health().watchers === 0);
  expect(stack.gateway.status.health()).toMatchObject({ watchers: 0, subscribers: 0 });
});

const BY_ID = { mapflow: 'GET /processings/{id}/v2', flai: 'flow-executions/{executionId}', cupix: '/pointclouds/{id}' } as const;

/** The only event of a stream that ends in error: data null, the error's extensions, then completion. */
async function onlyError(feed: Feed<unknown>, rootField: string): Promise<Record<string, unknown> | undefined> {
  const events = await feed.rest();
  expect(events).toHaveLength(1);
  const [event] = events;
  expect(event.data ?? null).toBeNull();
  expect(event.errors).toHaveLength(1);
  expect(event.errors?.[0].path).toEqual([rootField]);
  expect(feed.completed).toBe(true);
  return event.errors?.[0].extensions;
}

describe('the first lookup of a subscription', () => {
  test('is retried like an HTTP read: a 503 followed by an answer gives the current state, with no failure counted', async ({ stack, client }) => {
    const id = (await createProcessing(stack)).id;
    const sim = stack.sims.mapflow;
    sim.stats.reset();
    const errorsBefore = stack.gateway.status.health().pollErrors;
    sim.faults.set({ errorRate: 1, errorStatuses: [503], route: BY_ID.mapflow, count: 1 });
    const feed = new Feed(client, StatusProcessingLookupDocument, { id });
    expect(field(await feed.next(), 'processingUpdated')).toEqual({ id, state: 'QUEUED', upstreamStatus: 'UNPROCESSED' });
    expect(sim.stats.snapshot().byStatus).toMatchObject({ '503': 1, '200': 1 });
    expect(stack.gateway.status.health().pollErrors).toBe(errorsBefore);
    feed.close();
  });

  test("honours the vendor's Retry-After before its retry", async ({ stack, client }) => {
    const id = (await createProcessing(stack)).id;
    stack.sims.mapflow.faults.set({ rateLimitRate: 1, retryAfterSeconds: 1, route: BY_ID.mapflow, count: 1 });
    const started = Date.now();
    const feed = new Feed(client, StatusProcessingLookupDocument, { id });
    expect(field(await feed.next(), 'processingUpdated')).toMatchObject({ id, state: 'QUEUED' });
    // A lower bound (the vendor's wait), not a speed: the retry may not come sooner.
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_000);
    feed.close();
  });

  test('that fails past its retries leaves the subscription open: the state comes from the next poll, and the job is followed to its end', async ({ stack, client }) => {
    const id = (await createProcessing(stack)).id;
    const sim = stack.sims.mapflow;
    sim.stats.reset();
    const failed = nextActivity(stack.gateway.status, of('Processing', id, (a) => a.type === 'lookup'));
    // Three 503s: the lookup and its two retries (UPSTREAM_RETRIES); the poll after them is answered.
    sim.faults.set({ errorRate: 1, errorStatuses: [503], route: BY_ID.mapflow, count: 3 });
    const feed = new Feed(client, StatusProcessingLookupDocument, { id });
    expect(await failed).toMatchObject({ type: 'lookup', ok: false, code: 'UPSTREAM_UNAVAILABLE' });
    expect(feed.received).toHaveLength(0);
    expect(feed.completed).toBe(false);
    expect(field(await feed.next(), 'processingUpdated')).toEqual({ id, state: 'QUEUED', upstreamStatus: 'UNPROCESSED' });
    expect(sim.stats.snapshot().byStatus['503']).toBe(3);

    await driveUntilComplete(sim, feed, (c) => c.entity === 'processing' && c.id === id);
    expect(field(feed.received[feed.received.length - 1], 'processingUpdated')).toMatchObject({ state: 'SUCCEEDED', upstreamStatus: 'OK' });
    expect(feed.received.every((r) => !r.errors)).toBe(true);
  });

  test('that keeps failing ends the subscription after STATUS_MAX_POLL_ERRORS failures, the lookup counted, with one coded error event', async ({ stack, client }) => {
    const id = (await createProcessing(stack)).id;
    const sim = stack.sims.mapflow;
    sim.stats.reset();
    sim.faults.set({ errorRate: 1, errorStatuses: [503], route: BY_ID.mapflow });
    const feed = new Feed(client, StatusProcessingLookupDocument, { id });
    expect(await onlyError(feed, 'processingUpdated')).toEqual({ code: 'UPSTREAM_UNAVAILABLE', source: 'MAPFLOW', upstreamStatus: 503 });
    // The lookup (with its two retries) and MAX_POLL_ERRORS - 1 polls.
    expect(sim.stats.snapshot().byStatus['503']).toBe(3 + MAX_POLL_ERRORS - 1);
  });
});

describe('errors over graphql-ws carry the code HTTP gives them', () => {
  const vendorFaults: { name: string; fault: FaultInput; vendor: 'mapflow' | 'flai' | 'cupix'; expected: Record<string, unknown> }[] = [
    { name: 'a 500', vendor: 'mapflow', fault: { errorRate: 1, errorStatuses: [500] }, expected: { code: 'UPSTREAM_ERROR', source: 'MAPFLOW', upstreamStatus: 500 } },
    { name: 'a 503', vendor: 'flai', fault: { errorRate: 1, errorStatuses: [503] }, expected: { code: 'UPSTREAM_UNAVAILABLE', source: 'FLAI', upstreamStatus: 503 } },
    { name: 'a 429 with Retry-After', vendor: 'mapflow', fault: { rateLimitRate: 1, retryAfterSeconds: 1 }, expected: { code: 'RATE_LIMITED', source: 'MAPFLOW', upstreamStatus: 429, retryAfter: 1 } },
    { name: 'a connection reset', vendor: 'flai', fault: { resetRate: 1 }, expected: { code: 'UPSTREAM_UNAVAILABLE', source: 'FLAI', upstreamStatus: 0 } },
    { name: 'an answer of the wrong shape', vendor: 'mapflow', fault: { corruptRate: 1 }, expected: { code: 'UPSTREAM_BAD_RESPONSE', source: 'MAPFLOW', upstreamStatus: 200 } },
    { name: 'no answer in time', vendor: 'cupix', fault: { hangRate: 1 }, expected: { code: 'UPSTREAM_TIMEOUT', source: 'CUPIX', upstreamStatus: 0 } },
  ];

  type Followed = StatusProcessingLookupSubscription | StatusFlowExecutionStateSubscription | StatusPointcloudStateSubscription;

  /** A running job of the vendor, and the subscription that follows it. */
  async function jobOf(stack: Stack, vendor: 'mapflow' | 'flai' | 'cupix'): Promise<{ doc: TypedDocumentNode<Followed, { id: string }>; rootField: string; id: string }> {
    if (vendor === 'mapflow') return { doc: StatusProcessingLookupDocument, rootField: 'processingUpdated', id: (await createProcessing(stack)).id };
    if (vendor === 'flai') return { doc: StatusFlowExecutionStateDocument, rootField: 'flowExecutionUpdated', id: (await runFlow(stack)).id };
    return { doc: StatusPointcloudStateDocument, rootField: 'pointcloudUpdated', id: PROCESSING_POINTCLOUD.id };
  }

  for (const { name, vendor, fault, expected } of vendorFaults) {
    test(`${name} from the vendor while a subscription starts: ${String(expected.code)} with source and status`, async ({ stack, client }) => {
      const { doc, rootField, id } = await jobOf(stack, vendor);
      stack.sims[vendor].faults.set({ ...fault, route: BY_ID[vendor] });
      expect(await onlyError(new Feed(client, doc, { id }), rootField)).toMatchObject(expected);
    });
  }

  test('jobsUpdated: a vendor fault has the vendor code too', async ({ stack, client }) => {
    const id = (await createProcessing(stack)).id;
    stack.sims.mapflow.faults.set({ errorRate: 1, errorStatuses: [502], route: BY_ID.mapflow });
    const feed = new Feed(client, StatusJobsStateDocument, { refs: [{ source: 'MAPFLOW', type: 'Processing', id }] });
    expect(await onlyError(feed, 'jobsUpdated')).toEqual({ code: 'UPSTREAM_UNAVAILABLE', source: 'MAPFLOW', upstreamStatus: 502 });
  });

  test('NOT_FOUND for a job that does not exist, at once', async ({ client }) => {
    const feed = new Feed(client, StatusProcessingLookupDocument, { id: '00000000-0000-4000-8000-000000000000' });
    expect(await onlyError(feed, 'processingUpdated')).toMatchObject({ code: 'NOT_FOUND' });
  });

  test("UNAUTHENTICATED, with the vendor's status, for a credential the vendor refuses", async ({ stack, connect }) => {
    const id = (await createProcessing(stack)).id;
    const stranger = connect({ 'x-mapflow-token': 'bm90LWEtdG9rZW4=' });
    const feed = new Feed(stranger, StatusProcessingLookupDocument, { id });
    expect(await onlyError(feed, 'processingUpdated')).toMatchObject({ code: 'UNAUTHENTICATED', source: 'MAPFLOW', upstreamStatus: 401 });
  });

  test("BAD_USER_INPUT for the caller's own mistake", async ({ client }) => {
    const feed = new Feed(client, StatusJobsStateDocument, { refs: [{ source: 'MAPFLOW', type: 'Spaceship', id: 'x' }] });
    expect(await onlyError(feed, 'jobsUpdated')).toMatchObject({ code: 'BAD_USER_INPUT' });
  });
});
