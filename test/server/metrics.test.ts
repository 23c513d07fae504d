import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import { describe, expect } from 'vitest';
import type { StatusActivity } from '../../src/status/hub.js';
import {
  MetricsCreateDocument,
  MetricsCrossDocument,
  MetricsDeleteDocument,
  MetricsFlaiOnlyDocument,
  MetricsGoneDocument,
  MetricsSingleDocument,
  MetricsWatchDocument,
  MetricsWsLabelsDocument,
} from '../generated/graphql.js';
import { IDS, sample } from '../hardening/hardening.helpers.js';
import { startStack } from '../helpers/stack.helpers.js';
import { driveUntilComplete, Feed, field, test, until, type Connect, type Stack } from '../status/status.helpers.js';
import { createProcessing } from '../status/vendors.helpers.js';

/**
 * GET /metrics after real operations over HTTP and graphql-ws, and real subscriptions against the
 * simulators: GraphQL operations by transport, type, name and outcome, their latency, error codes,
 * live-status gauges and polls by outcome. Exact values: each test reads the counters before and
 * after what it does. The operations are typed documents (test/documents/server-metrics.graphql)
 * but for the anonymous ones, whose label is `(anonymous)`, and the invalid ones, which is the point.
 */
test.override('stackOptions', { env: { UPSTREAM_RETRIES: '0', RATE_LIMIT_PER_IP: '0' } });
test.afterEach(({ stack }) => {
  stack.sims.flai.faults.set(null);
});

const scrape = async (stack: Stack) => {
  const res = await fetch(`${stack.gateway.origin}/metrics`);
  expect(res.status).toBe(200);
  return res.text();
};
type Labels = Record<string, string>;
const ops = (m: string, l: Labels) => sample(m, 'gateway_graphql_operations_total', l);
const durations = (m: string, l: Labels) => sample(m, 'gateway_graphql_operation_duration_seconds_count', l);
const codes = (m: string, l: Labels) => sample(m, 'gateway_graphql_errors_total', l);
/** The value of a sample without labels (`name value`), or 0 when absent. */
const plain = (m: string, name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(m)?.[1] ?? 0);
/** Differences of `read` between two scrapes. */
const delta = (before: string, after: string, read: (m: string, l: Labels) => number, l: Labels) => read(after, l) - read(before, l);

type WsResult = { data?: unknown; errors?: readonly { extensions?: Record<string, unknown> }[] };

/** One query or mutation over its own graphql-ws connection; resolves once the server completed it. */
function wsQuery<V extends Record<string, unknown>>(connect: Connect, query: string | TypedDocumentNode<unknown, V>, variables?: V): Promise<WsResult> {
  const client = connect();
  return new Promise((resolve, reject) => {
    let result: WsResult = {};
    client.subscribe(
      { query: typeof query === 'string' ? query : print(query), variables },
      {
        next: (r) => (result = r),
        error: (err) => (Array.isArray(err) ? resolve({ errors: err as never }) : reject(err instanceof Error ? err : new Error(JSON.stringify(err)))),
        complete: () => resolve(result),
      },
    );
  });
}


describe('GraphQL operations over HTTP', () => {
  test('counts operations by name and outcome, with one latency sample per operation', async ({ stack }) => {
    const before = await scrape(stack);
    for (let i = 0; i < 3; i++) expect((await stack.op(MetricsSingleDocument, { id: IDS.processing })).errors).toBeUndefined();
    // Anonymous on purpose: its label is `(anonymous)`.
    expect((await stack.gql(`{ processing(id: "${IDS.processing}") { id } }`)).errors).toBeUndefined();
    const missingVariable = await stack.op(MetricsSingleDocument);
    expect(missingVariable.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    // Invalid on purpose: a parse failure and a validation failure.
    const syntax = await stack.gql('query Broken { processing(id: ');
    expect(syntax.errors?.[0].extensions?.code).toBe('GRAPHQL_PARSE_FAILED');
    const unknownField = await stack.gql('query NoSuchField { nope }');
    expect(unknownField.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect((await stack.op(MetricsCreateDocument)).errors).toBeUndefined();
    const gone = await stack.op(MetricsDeleteDocument);
    expect(gone.data).toBeNull();
    expect(gone.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    const after = await scrape(stack);

    const d = (read: typeof ops, l: Labels) => delta(before, after, read, { transport: 'http', ...l });
    expect(d(ops, { type: 'query', operation: 'MetricsSingle', outcome: 'ok' })).toBe(3);
    expect(d(ops, { type: 'query', operation: 'MetricsSingle', outcome: 'error' })).toBe(1);
    expect(d(durations, { type: 'query', operation: 'MetricsSingle' })).toBe(4);
    expect(d(ops, { type: 'query', operation: '(anonymous)', outcome: 'ok' })).toBe(1);
    // Parse and validation failures have no operation to name: one label value for all of them.
    expect(d(ops, { type: 'unknown', operation: '(invalid)', outcome: 'error' })).toBe(2);
    expect(d(codes, { code: 'BAD_USER_INPUT' })).toBe(1);
    expect(d(codes, { code: 'GRAPHQL_PARSE_FAILED' })).toBe(1);
    expect(d(codes, { code: 'GRAPHQL_VALIDATION_FAILED' })).toBe(1);
    expect(d(codes, { code: 'NOT_FOUND' })).toBe(1);
    expect(d(ops, { type: 'mutation', operation: 'MetricsCreate', outcome: 'ok' })).toBe(1);
    expect(d(ops, { type: 'mutation', operation: 'MetricsDelete', outcome: 'error' })).toBe(1);
    expect(d(durations, { type: 'mutation', operation: 'MetricsDelete' })).toBe(1);
    // The histogram is a real one: cumulative buckets ending in +Inf = count.
    const inf = sample(after, 'gateway_graphql_operation_duration_seconds_bucket', { transport: 'http', operation: 'MetricsSingle', le: '+Inf' });
    expect(inf).toBe(durations(after, { transport: 'http', type: 'query', operation: 'MetricsSingle' }));
    expect(sample(after, 'gateway_graphql_operation_duration_seconds_bucket', { transport: 'http', operation: 'MetricsSingle', le: '30' })).toBe(inf);
    expect(after).toMatch(/# TYPE gateway_graphql_operation_duration_seconds histogram/);
  });

  test('tells partial answers (one vendor failing) from failed ones (nothing answered)', async ({ stack }) => {
    stack.sims.flai.faults.set({ errorRate: 1, errorStatuses: [503], route: 'flow-executions' });
    const before = await scrape(stack);
    const partial = await stack.op(MetricsCrossDocument, { processing: IDS.processing, flowExecution: IDS.flowExecution });
    expect(partial.data).toMatchObject({ processing: { id: IDS.processing }, flowExecution: null });
    const code = String(partial.errors?.[0].extensions?.code);
    expect(code).toMatch(/^UPSTREAM_/);
    const failed = await stack.op(MetricsFlaiOnlyDocument, { flowExecution: IDS.flowExecution });
    expect(failed.data).toEqual({ flowExecution: null });
    const after = await scrape(stack);
    const d = (read: typeof ops, l: Labels) => delta(before, after, read, { transport: 'http', ...l });
    expect(d(ops, { operation: 'MetricsCross', outcome: 'partial' })).toBe(1);
    expect(d(ops, { operation: 'MetricsCross', outcome: 'ok' })).toBe(0);
    expect(d(ops, { operation: 'MetricsFlaiOnly', outcome: 'error' })).toBe(1);
    expect(d(codes, { code })).toBe(2);
  });
});

describe('GraphQL operations over graphql-ws', () => {
  test('counts queries and mutations as over HTTP, under transport="ws"', async ({ stack, connect }) => {
    const before = await scrape(stack);
    expect((await wsQuery(connect, MetricsSingleDocument, { id: IDS.processing })).errors).toBeUndefined();
    expect((await wsQuery(connect, MetricsSingleDocument, { id: IDS.processing })).errors).toBeUndefined();
    expect((await wsQuery(connect, 'query NoSuchField { nope }')).errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    const after = await scrape(stack);
    const d = (read: typeof ops, l: Labels) => delta(before, after, read, { transport: 'ws', ...l });
    expect(d(ops, { type: 'query', operation: 'MetricsSingle', outcome: 'ok' })).toBe(2);
    expect(d(durations, { type: 'query', operation: 'MetricsSingle' })).toBe(2);
    expect(d(ops, { type: 'unknown', operation: '(invalid)', outcome: 'error' })).toBe(1);
    expect(d(codes, { code: 'GRAPHQL_VALIDATION_FAILED' })).toBe(1);
    // Nothing of it was counted as HTTP.
    expect(delta(before, after, ops, { transport: 'http', operation: 'MetricsSingle', outcome: 'ok' })).toBe(0);
  });

  test('counts subscriptions started and ended, open subscriptions and watchers, and polls by what they found', async ({ stack, connect }) => {
    const hub = stack.gateway.status;
    const id = (await createProcessing(stack)).id;
    const polls = { changed: 0, unchanged: 0 };
    const stop = hub.observe((a: StatusActivity) => {
      if (a.type === 'poll' && a.ok && a.id === id) polls[a.changed ? 'changed' : 'unchanged']++;
    });
    const before = await scrape(stack);
    const client = connect();
    const staying = new Feed(client, MetricsWatchDocument, { id });
    const leaving = new Feed(client, MetricsWatchDocument, { id });
    await staying.count(1);
    await leaving.count(1);

    const open = await scrape(stack);
    expect(plain(open, 'gateway_status_subscriptions')).toBe(2);
    expect(plain(open, 'gateway_status_watchers')).toBe(1);
    expect(plain(open, 'gateway_status_watchers_leading')).toBe(1);
    expect(delta(before, open, (m, l) => sample(m, 'gateway_graphql_subscriptions_started_total', l), { transport: 'ws', operation: 'MetricsWatch' })).toBe(2);
    expect(delta(before, open, ops, { transport: 'ws', type: 'subscription', operation: 'MetricsWatch' })).toBe(0);

    leaving.close();
    await driveUntilComplete(stack.sims.mapflow, staying, (c) => c.entity === 'processing' && c.id === id);
    await until(hub, () => hub.health().watchers === 0);
    stop();
    const events = staying.received.map((r) => field(r, 'processingUpdated'));
    expect(events.at(-1)).toMatchObject({ upstreamStatus: 'OK', isTerminal: true });

    const after = await scrape(stack);
    expect(plain(after, 'gateway_status_subscriptions')).toBe(0);
    expect(plain(after, 'gateway_status_watchers')).toBe(0);
    // Both ended without an error: one by its client, one by the job's end.
    expect(delta(before, after, ops, { transport: 'ws', type: 'subscription', operation: 'MetricsWatch', outcome: 'ok' })).toBe(2);
    expect(delta(before, after, durations, { transport: 'ws', type: 'subscription', operation: 'MetricsWatch' })).toBe(0);
    // Every event after the first (the initial lookup) came from one poll that found a change.
    const polled = (outcome: string) => delta(before, after, (m, l) => sample(m, 'gateway_status_polls_total', l), { outcome });
    expect(polls.changed).toBe(events.length - 1);
    expect(polled('changed')).toBe(polls.changed);
    expect(polled('unchanged')).toBe(polls.unchanged);
    expect(polled('failed')).toBe(0);
    expect(plain(after, 'gateway_status_initial_fetches_total') - plain(before, 'gateway_status_initial_fetches_total')).toBe(1);
  });

  test('counts a subscription that fails before streaming as started and ended in error', async ({ stack, connect }) => {
    const before = await scrape(stack);
    const feed = new Feed(connect(), MetricsGoneDocument);
    expect((await feed.next()).errors?.[0].extensions?.code).toBe('NOT_FOUND');
    await feed.done();
    const after = await scrape(stack);
    expect(delta(before, after, (m, l) => sample(m, 'gateway_graphql_subscriptions_started_total', l), { transport: 'ws', operation: 'MetricsGone' })).toBe(1);
    expect(delta(before, after, ops, { transport: 'ws', type: 'subscription', operation: 'MetricsGone', outcome: 'error' })).toBe(1);
    expect(delta(before, after, codes, { transport: 'ws', code: 'NOT_FOUND' })).toBe(1);
  });
});

describe('label values', () => {
  test('never carry an id, a token, a variable or query text', async ({ stack, connect }) => {
    await stack.op(MetricsSingleDocument, { id: IDS.processing });
    // Anonymous on purpose: its label is `(anonymous)`.
    await stack.gql(`{ pointcloud(id: "${IDS.pointcloud}") { id name } }`);
    await wsQuery(connect, MetricsWsLabelsDocument, { flowExecution: IDS.flowExecution });
    const m = await scrape(stack);
    const values = [...m.matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map(([, name, value]) => ({ name, value }));
    expect(values.filter((v) => v.name === 'operation').map((v) => v.value)).toEqual(expect.arrayContaining(['MetricsSingle', '(anonymous)', 'MetricsWsLabels']));
    // Operation names and error codes are GraphQL names or one of the fixed values.
    for (const { value } of values.filter((v) => v.name === 'operation' || v.name === 'code')) expect(value).toMatch(/^([_A-Za-z]\w{0,99}|\((anonymous|invalid|other)\))$/);
    const tokens = [stack.sims.mapflow.demoToken, stack.sims.flai.demoToken, stack.sims.cupix.demoToken];
    for (const { value } of values) {
      expect(value).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-/);
      // Query text: selections, variables, arguments (route templates' `{id}` are no query text).
      expect(value).not.toMatch(/\{\s|\$\w|\w\(|__typename/);
      expect(value).not.toMatch(/^5310$|https?:|127\.0\.0\.1/);
      for (const t of tokens) expect(value).not.toContain(t);
    }
  });

  test('gives the first METRICS_MAX_OPERATIONS names their own value and counts the rest as (other), never storing them', async () => {
    // A stack of its own, with the cap; the operation names are the point, so the documents are raw text.
    const capped = await startStack({ env: { METRICS_MAX_OPERATIONS: '2', RATE_LIMIT_PER_IP: '0' } });
    try {
      const names = ['First', 'Second', 'Third', 'Fourth', `L${'o'.repeat(120)}ng`];
      for (const n of names) expect((await capped.gql(`query ${n} { __typename }`)).errors).toBeUndefined();
      await capped.gql('query First { __typename }');
      const m = await (await fetch(`${capped.gateway.origin}/metrics`)).text();
      expect(ops(m, { transport: 'http', operation: 'First', outcome: 'ok' })).toBe(2);
      expect(ops(m, { transport: 'http', operation: 'Second', outcome: 'ok' })).toBe(1);
      expect(ops(m, { transport: 'http', operation: '(other)', outcome: 'ok' })).toBe(3);
      expect(durations(m, { transport: 'http', operation: '(other)' })).toBe(3);
      for (const n of names.slice(2)) expect(m).not.toContain(n);
    } finally {
      await capped.close();
    }
  });
});
