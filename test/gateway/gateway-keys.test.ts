import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../helpers/stack.helpers.js';

const QUERY = '{ processing(id: "65285409-ac88-4fc0-a937-193cf42c2343") { id } pointcloud(id: "5310") { id } }';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ env: { GATEWAY_API_KEYS: 'key-one,key-two' } });
});
afterAll(() => stack?.close());

describe('GATEWAY_API_KEYS over HTTP', () => {
  it('answers 401 without a key, and reaches no vendor', async () => {
    stack.resetCounts();
    const res = await stack.gql(QUERY);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer');
    expect(res.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(res.data).toBeUndefined();
    expect(stack.calls()).toBe(0);
  });

  it('answers 401 with a wrong key, and reaches no vendor', async () => {
    stack.resetCounts();
    const res = await stack.gql(QUERY, undefined, { authorization: 'Bearer key-three' });
    expect(res.status).toBe(401);
    expect(JSON.stringify(res.errors)).not.toContain('key-one');
    expect(stack.calls()).toBe(0);
  });

  it('serves a request with any configured key', async () => {
    const res = await stack.gql(QUERY, undefined, { authorization: 'Bearer key-two' });
    expect(res.status).toBe(200);
    expect(res.data).toEqual({ processing: { id: '65285409-ac88-4fc0-a937-193cf42c2343' }, pointcloud: { id: '5310' } });
  });

  it('keeps /healthz open for probes', async () => {
    const res = await fetch(`${stack.gateway.origin}/healthz`);
    expect(res.status).toBe(200);
  });
});
