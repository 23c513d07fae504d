import { describe, expect } from 'vitest';
import { HardeningProcessingAndPointcloudDocument } from '../generated/graphql.js';
import { test } from '../helpers/stack.helpers.js';

const IDS = { processing: '65285409-ac88-4fc0-a937-193cf42c2343', pointcloud: '5310' };

test.override('stackOptions', { env: { GATEWAY_API_KEYS: 'key-one,key-two' } });

describe('GATEWAY_API_KEYS over HTTP', () => {
  test('answers 401 without a key, and reaches no vendor', async ({ stack }) => {
    stack.resetCounts();
    const res = await stack.op(HardeningProcessingAndPointcloudDocument, IDS);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer');
    expect(res.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(res.data).toBeUndefined();
    expect(stack.calls()).toBe(0);
  });

  test('answers 401 with a wrong key, and reaches no vendor', async ({ stack }) => {
    stack.resetCounts();
    const res = await stack.op(HardeningProcessingAndPointcloudDocument, IDS, { authorization: 'Bearer key-three' });
    expect(res.status).toBe(401);
    expect(JSON.stringify(res.errors)).not.toContain('key-one');
    expect(stack.calls()).toBe(0);
  });

  test('serves a request with any configured key', async ({ stack }) => {
    const res = await stack.op(HardeningProcessingAndPointcloudDocument, IDS, { authorization: 'Bearer key-two' });
    expect(res.status).toBe(200);
    expect(res.data).toEqual({ processing: { id: '65285409-ac88-4fc0-a937-193cf42c2343' }, pointcloud: { id: '5310' } });
  });

  test('keeps /healthz open for probes', async ({ stack }) => {
    const res = await fetch(`${stack.gateway.origin}/healthz`);
    expect(res.status).toBe(200);
  });
});
