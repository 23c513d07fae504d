import { randomUUID } from 'node:crypto';
import { describe, expect } from 'vitest';
import { startGateway } from '../../src/app.js';
import { HardeningProcessingIdDocument } from '../generated/graphql.js';
import { opAt } from '../helpers/stack.helpers.js';
import { IDS, QUICK_ENV, test, wsOnce } from './hardening.helpers.js';

/** Per-address and per-key request limits: RATE_LIMITED with retryAfter, over HTTP and WS, shared through Redis. */
const PROCESSING = { id: IDS.processing };

/** One request for the seeded processing: its status, its Retry-After header and its body. */
async function post(url: string, headers: Record<string, string> = {}) {
  const r = await opAt(url, HardeningProcessingIdDocument, PROCESSING, headers);
  return { status: r.status, retryAfter: r.headers.get('retry-after'), body: { data: r.data, errors: r.errors } };
}

/** Each describe block below has a rig of its own, configured for what it tests. */
const perAddress = test.extend('rigOptions', { scope: 'file' }, { env: { RATE_LIMIT_PER_IP: '3', RATE_LIMIT_WINDOW_SECONDS: '60' } });
const perKey = test.extend('rigOptions', { scope: 'file' }, { env: { GATEWAY_API_KEYS: 'key-one,key-two', RATE_LIMIT_PER_KEY: '2', RATE_LIMIT_PER_IP: '100' } });
const behindProxy = test.extend('rigOptions', { scope: 'file' }, { env: { RATE_LIMIT_PER_IP: '1', TRUST_PROXY_HOPS: '1' } });
const noTrustedProxy = test.extend('rigOptions', { scope: 'file' }, { env: { RATE_LIMIT_PER_IP: '1' } });
const REDIS_ENV = { REDIS_URL: 'redis://127.0.0.1:6379', STATUS_REDIS_PREFIX: `gwtest:${randomUUID()}:`, RATE_LIMIT_PER_IP: '3' };
const sharedByRedis = test.extend('rigOptions', { scope: 'file' }, { env: REDIS_ENV });

describe('per address', () => {
  perAddress('past RATE_LIMIT_PER_IP in the window: 429, RATE_LIMITED with retryAfter and Retry-After, and no vendor call', async ({ rig }) => {
    for (let i = 0; i < 3; i++) expect((await post(rig.gateway.url)).status).toBe(200);
    rig.resetCounts();
    const refused = await post(rig.gateway.url);
    expect(refused.status).toBe(429);
    const e = refused.body.errors?.[0];
    expect(e?.extensions?.code).toBe('RATE_LIMITED');
    expect(e?.extensions?.retryAfter).toBeGreaterThanOrEqual(1);
    expect(e?.extensions?.retryAfter).toBeLessThanOrEqual(60);
    expect(refused.retryAfter).toBe(String(e?.extensions?.retryAfter));
    expect(e?.message).toMatch(/^Too many requests from this address: try again in \d+ s$/);
    expect(rig.calls()).toBe(0);
  });

  perAddress('over graphql-ws the same address is refused too: the connection closes with 4429', async ({ rig }) => {
    const ws = await wsOnce(rig.gateway.url, HardeningProcessingIdDocument, PROCESSING);
    expect(ws.closed).toMatchObject({ code: 4429 });
    expect(ws.closed?.reason).toMatch(/^Too many requests from this address/);
    expect(rig.calls()).toBe(0);
  });
});

describe('per gateway key', () => {
  perKey('each key has its own allowance; a wrong key is 401 and spends none', async ({ rig }) => {
    const one = { authorization: 'Bearer key-one' };
    expect((await post(rig.gateway.url, { authorization: 'Bearer key-nine' })).status).toBe(401);
    expect((await post(rig.gateway.url, one)).status).toBe(200);
    expect((await post(rig.gateway.url, one)).status).toBe(200);
    const refused = await post(rig.gateway.url, one);
    expect(refused.status).toBe(429);
    expect(refused.body.errors?.[0].extensions).toMatchObject({ code: 'RATE_LIMITED' });
    expect(refused.body.errors?.[0].message).toMatch(/this API key/);
    expect(JSON.stringify(refused.body)).not.toContain('key-one');
    expect((await post(rig.gateway.url, { authorization: 'Bearer key-two' })).status).toBe(200);
  });

  perKey('over graphql-ws a subscribe past the key\'s allowance gets RATE_LIMITED with retryAfter', async ({ rig }) => {
    // key-two: one HTTP request spent above; the connection takes the second.
    const ws = await wsOnce(rig.gateway.url, HardeningProcessingIdDocument, PROCESSING, { authorization: 'Bearer key-two' });
    expect(ws.errors?.[0].extensions).toMatchObject({ code: 'RATE_LIMITED', retryAfter: expect.any(Number) });
  });
});

describe('client address behind proxies', () => {
  behindProxy('with TRUST_PROXY_HOPS=1 the address is the last X-Forwarded-For entry: two clients, two allowances', async ({ rig }) => {
    expect((await post(rig.gateway.url, { 'x-forwarded-for': '203.0.113.7' })).status).toBe(200);
    expect((await post(rig.gateway.url, { 'x-forwarded-for': '203.0.113.7' })).status).toBe(429);
    expect((await post(rig.gateway.url, { 'x-forwarded-for': 'spoofed, 198.51.100.9' })).status).toBe(200);
    expect((await post(rig.gateway.url, { 'x-forwarded-for': 'another-spoof, 198.51.100.9' })).status).toBe(429);
  });
});

describe('without trusted proxies', () => {
  noTrustedProxy('X-Forwarded-For is ignored: a spoofed header does not buy a fresh allowance', async ({ rig }) => {
    expect((await post(rig.gateway.url, { 'x-forwarded-for': '203.0.113.1' })).status).toBe(200);
    expect((await post(rig.gateway.url, { 'x-forwarded-for': '203.0.113.2' })).status).toBe(429);
  });
});

describe('shared by replicas through Redis (REDIS_URL)', () => {
  sharedByRedis('one allowance across both gateways', async ({ rig }) => {
    // The second gateway, in front of the rig's simulators, started by the test that needs two.
    const { sims } = rig;
    const replica = await startGateway({
      env: {
        NODE_ENV: 'test',
        PORT: '0',
        HOST: '127.0.0.1',
        LOG_LEVEL: 'silent',
        MAPFLOW_URL: sims.mapflow.url,
        FLAI_URL: sims.flai.origin,
        CUPIX_URL: sims.cupix.url,
        MAPFLOW_TOKEN: sims.mapflow.demoToken,
        FLAI_TOKEN: sims.flai.demoToken,
        CUPIX_TOKEN: sims.cupix.demoToken,
        ...QUICK_ENV,
        ...REDIS_ENV,
      },
    });
    try {
      expect((await post(rig.gateway.url)).status).toBe(200);
      expect((await post(replica.url)).status).toBe(200);
      expect((await post(rig.gateway.url)).status).toBe(200);
      expect((await post(replica.url)).status).toBe(429);
      expect((await post(rig.gateway.url)).status).toBe(429);
    } finally {
      await replica.close();
    }
  });
});
