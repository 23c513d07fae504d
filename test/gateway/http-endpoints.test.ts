import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../helpers/stack.helpers.js';
import { doc, vendor } from './mapflow.helpers.js';

/** GraphQL over GET, /healthz and /readyz of the real server, over real HTTP. */

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.close());

const PROCESSING = doc<{ id: string }>('processing.json').id;
const get = (path: string, headers: Record<string, string> = {}) => fetch(`${stack.gateway.origin}${path}`, { headers });
const qs = (params: Record<string, string>) => `?${new URLSearchParams(params)}`;

describe('GraphQL over GET', () => {
  it('answers a query with the CSRF preflight header, from the vendor, in one call', async () => {
    const held = await vendor<{ name: string; status: string }>(stack, 'GET', `/processings/${PROCESSING}/v2`);
    stack.resetCounts();
    const res = await get(`/graphql${qs({ query: 'query($id: ID!) { processing(id: $id) { id name status } }', variables: JSON.stringify({ id: PROCESSING }) })}`, {
      'apollo-require-preflight': 'true',
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-request-id')).toMatch(/^[\w-]{36}$/);
    expect(await res.json()).toEqual({ data: { processing: { id: PROCESSING, name: held.name, status: held.status } } });
    expect(stack.calls()).toBe(1);
  });

  it('is refused without a preflight header (CSRF prevention), before any vendor call', async () => {
    stack.resetCounts();
    const res = await get(`/graphql${qs({ query: '{ processing(id: "x") { id } }' })}`);
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(/CSRF/);
    expect(stack.calls()).toBe(0);
  });

  it('refuses a mutation over GET with 405', async () => {
    stack.resetCounts();
    const res = await get(`/graphql${qs({ query: 'mutation { deleteProject(id: "x") }' })}`, { 'apollo-require-preflight': 'true' });
    expect(res.status).toBe(405);
    const body = (await res.json()) as { errors: { message: string }[] };
    expect(body.errors[0].message).toMatch(/GET/);
    expect(stack.calls()).toBe(0);
  });
});

describe('health', () => {
  it('/healthz answers 200 while the process is up', async () => {
    const res = await get('/healthz');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('/readyz answers 200 with the state of every upstream', async () => {
    await stack.gql(`{ processing(id: "${PROCESSING}") { id } pointcloud(id: "5310") { id } }`);
    const res = await get('/readyz');
    expect(res.status).toBe(200);
    const body = (await res.json()) as { upstreams: Record<string, { lastOkAt: string | null }> };
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
    expect(Date.parse(body.upstreams.mapflow.lastOkAt as string)).toBeGreaterThan(Date.now() - 60_000);
    expect(Date.parse(body.upstreams.cupix.lastOkAt as string)).toBeGreaterThan(Date.now() - 60_000);
  });
});
