import { print } from 'graphql';
import { describe, expect } from 'vitest';
import type { Readiness } from '../../src/server/readiness.js';
import { GatewayDeleteProjectDocument, GatewayProcessingNameStatusDocument, HardeningProcessingAndPointcloudDocument, StatusProcessingByIdDocument } from '../generated/graphql.js';
import { gqlBody, jsonOf, test, type Stack } from '../helpers/stack.helpers.js';
import { doc, vendor } from './mapflow.helpers.js';

/** GraphQL over GET, /healthz and /readyz of the real server, over real HTTP. */

/** What /readyz answers, with the time of each upstream's latest answer. */
type ReadyzBody = Readiness['body'] & { upstreams: Record<string, { lastOkAt: string | null }> };

const PROCESSING = doc<{ id: string }>('processing.json').id;
const get = (stack: Stack, path: string, headers: Record<string, string> = {}) => fetch(`${stack.gateway.origin}${path}`, { headers });
const qs = (params: Record<string, string>) => `?${new URLSearchParams(params)}`;

describe('GraphQL over GET', () => {
  test('answers a query with the CSRF preflight header, from the vendor, in one call', async ({ stack }) => {
    const held = await vendor<{ name: string; status: string }>(stack, 'GET', `/processings/${PROCESSING}/v2`);
    stack.resetCounts();
    const res = await get(stack, `/graphql${qs({ query: print(GatewayProcessingNameStatusDocument), variables: JSON.stringify({ id: PROCESSING }) })}`, {
      'apollo-require-preflight': 'true',
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-request-id')).toMatch(/^[\w-]{36}$/);
    expect(await res.json()).toEqual({ data: { processing: { id: PROCESSING, name: held.name, status: held.status } } });
    expect(stack.calls()).toBe(1);
  });

  test('is refused without a preflight header (CSRF prevention), before any vendor call', async ({ stack }) => {
    stack.resetCounts();
    const res = await get(stack, `/graphql${qs({ query: print(StatusProcessingByIdDocument), variables: JSON.stringify({ id: 'x' }) })}`);
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(/CSRF/);
    expect(stack.calls()).toBe(0);
  });

  test('refuses a mutation over GET with 405', async ({ stack }) => {
    stack.resetCounts();
    const res = await get(stack, `/graphql${qs({ query: print(GatewayDeleteProjectDocument), variables: JSON.stringify({ id: 'x' }) })}`, { 'apollo-require-preflight': 'true' });
    expect(res.status).toBe(405);
    const body = await gqlBody(res);
    expect(body.errors?.[0].message).toMatch(/GET/);
    expect(stack.calls()).toBe(0);
  });
});

describe('health', () => {
  test('/healthz answers 200 while the process is up', async ({ stack }) => {
    const res = await get(stack, '/healthz');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  test('/readyz answers 200 with the state of every upstream', async ({ stack }) => {
    await stack.op(HardeningProcessingAndPointcloudDocument, { processing: PROCESSING, pointcloud: '5310' });
    const res = await get(stack, '/readyz');
    expect(res.status).toBe(200);
    const body = await jsonOf<ReadyzBody>(res);
    expect(body).toMatchObject({
      status: 'ready',
      reasons: [],
      redis: { configured: false, connected: null },
      upstreams: {
        mapflow: { embedded: false, ready: true, consecutiveFailures: 0, lastFailure: null },
        flai: { embedded: false, ready: true, consecutiveFailures: 0, lastFailure: null },
        cupix: { embedded: false, ready: true, consecutiveFailures: 0, lastFailure: null },
      },
    });
    expect(Date.parse(body.upstreams.mapflow.lastOkAt ?? '')).toBeGreaterThan(Date.now() - 60_000);
    expect(Date.parse(body.upstreams.cupix.lastOkAt ?? '')).toBeGreaterThan(Date.now() - 60_000);
  });
});
