import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { connect, createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { startGateway, type Gateway } from '../../src/app.js';
import { decideReadiness, type Readiness, type UpstreamState } from '../../src/server/readiness.js';
import { HardeningProcessingAndPointcloudDocument, HardeningProcessingIdDocument } from '../generated/graphql.js';
import { gatewayEnv, jsonOf, simsTest, test } from '../helpers/stack.helpers.js';
import { doc } from './mapflow.helpers.js';

/**
 * /readyz is 503 when the gateway cannot serve: an upstream whose latest READYZ_UPSTREAM_FAILURES
 * calls failed (recently), or a configured Redis that is down. Over real HTTP; Redis is reached
 * through a TCP pass-through (test harness only) that the test can cut and restore.
 */

type Body = Readiness['body'];

async function readyz(g: Gateway): Promise<{ status: number; body: Body }> {
  const res = await fetch(`${g.origin}/readyz`);
  return { status: res.status, body: await jsonOf<Body>(res) };
}

/** Asks /readyz until `want` holds (each ask is a real round trip; bounded, no timers). */
async function readyzUntil(g: Gateway, want: (r: { status: number; body: Body }) => boolean, max = 500): Promise<{ status: number; body: Body }> {
  let r = await readyz(g);
  for (let i = 0; i < max && !want(r); i++) r = await readyz(g);
  return r;
}

describe('decideReadiness', () => {
  const policy = { maxUpstreamFailures: 3, recoveryMs: 30_000 };
  const now = Date.parse('2026-01-01T12:00:00Z');
  const at = (msAgo: number) => new Date(now - msAgo).toISOString();
  const up = (consecutiveFailures: number, code = 'UPSTREAM_UNAVAILABLE', msAgo = 1_000): UpstreamState => ({
    lastOkAt: null,
    consecutiveFailures,
    lastFailure: consecutiveFailures ? { code, at: at(msAgo) } : null,
  });
  const redisOk = { configured: false, connected: true };

  it('is ready below the threshold, not ready at it', () => {
    expect(decideReadiness({ mapflow: up(2) }, redisOk, policy, now).ready).toBe(true);
    const r = decideReadiness({ mapflow: up(3), cupix: up(0) }, redisOk, policy, now);
    expect(r.ready).toBe(false);
    expect(r.body).toEqual({
      status: 'not ready',
      reasons: [`mapflow: 3 calls in a row failed, the latest with UPSTREAM_UNAVAILABLE at ${at(1_000)}`],
      upstreams: { mapflow: { ...up(3), ready: false }, cupix: { ...up(0), ready: true } },
      redis: { configured: false, connected: null },
    });
  });

  it('is ready again once the latest failure is older than the recovery window, so a replica out of rotation is tried again', () => {
    expect(decideReadiness({ mapflow: up(10, 'UPSTREAM_TIMEOUT', 29_999) }, redisOk, policy, now).ready).toBe(false);
    expect(decideReadiness({ mapflow: up(10, 'UPSTREAM_TIMEOUT', 30_000) }, redisOk, policy, now).ready).toBe(true);
  });

  it('READYZ_UPSTREAM_FAILURES=0 ignores upstreams', () => {
    expect(decideReadiness({ mapflow: up(10) }, redisOk, { ...policy, maxUpstreamFailures: 0 }, now).ready).toBe(true);
  });

  it('is not ready when Redis is configured and down', () => {
    const r = decideReadiness({ mapflow: up(0) }, { configured: true, connected: false }, policy, now);
    expect(r.ready).toBe(false);
    expect(r.body.reasons).toEqual(['redis: REDIS_URL is set and the connection is down']);
    expect(r.body.redis).toEqual({ configured: true, connected: false });
  });
});

const failing = test.extend('stackOptions', { scope: 'file' }, { env: { READYZ_UPSTREAM_FAILURES: '3' } });

describe('/readyz and a failing upstream', () => {
  const PROCESSING = doc<{ id: string }>('processing.json').id;

  failing('turns 503 once Mapflow has failed READYZ_UPSTREAM_FAILURES calls in a row, and 200 after one success', async ({ stack }) => {
    expect((await readyz(stack.gateway)).status).toBe(200);
    stack.sims.mapflow.faults.set({ errorRate: 1, errorStatuses: [503] });
    const seen: [number, number][] = [];
    // Each failed query is at least one failed call; stop once three are counted.
    for (let i = 0; i < 3; i++) {
      const q = await stack.op(HardeningProcessingAndPointcloudDocument, { processing: PROCESSING, pointcloud: '5310' });
      expect(q.data).toEqual({ processing: null, pointcloud: { id: '5310' } });
      const r = await readyz(stack.gateway);
      seen.push([r.body.upstreams.mapflow.consecutiveFailures, r.status]);
      if (r.body.upstreams.mapflow.consecutiveFailures >= 3) break;
    }
    for (const [failures, status] of seen) expect(status).toBe(failures >= 3 ? 503 : 200);
    const down = await readyz(stack.gateway);
    expect(down.status).toBe(503);
    expect(down.body).toMatchObject({
      status: 'not ready',
      upstreams: { mapflow: { ready: false, lastFailure: { code: 'UPSTREAM_UNAVAILABLE' } }, cupix: { ready: true, consecutiveFailures: 0 } },
    });
    expect(down.body.reasons).toHaveLength(1);
    expect(down.body.reasons[0]).toMatch(/^mapflow: \d+ calls in a row failed, the latest with UPSTREAM_UNAVAILABLE at /);

    stack.sims.mapflow.faults.set(null);
    const ok = await stack.op(HardeningProcessingIdDocument, { id: PROCESSING });
    expect(ok.data).toEqual({ processing: { id: PROCESSING } });
    expect(await readyz(stack.gateway)).toMatchObject({ status: 200, body: { status: 'ready', reasons: [], upstreams: { mapflow: { ready: true, consecutiveFailures: 0 } } } });
  });

  failing('counts failures as the breaker does: 429s are answers (one caller is throttled), they end a streak and never make one', async ({ stack }) => {
    const query = () => stack.op(HardeningProcessingIdDocument, { id: PROCESSING });
    // A call and two retries, all 503: a streak of three, not ready.
    stack.sims.mapflow.faults.set({ errorRate: 1, errorStatuses: [503] });
    await query();
    expect(await readyz(stack.gateway)).toMatchObject({ status: 503, body: { upstreams: { mapflow: { consecutiveFailures: 3 } } } });

    // Then 429s (Retry-After 0 holds no credential back: three calls per query): the vendor answers, the streak ends.
    stack.sims.mapflow.faults.set({ rateLimitRate: 1, retryAfterSeconds: 0 });
    stack.resetCounts();
    for (let i = 0; i < 3; i++) expect((await query()).errors?.[0].extensions).toMatchObject({ code: 'RATE_LIMITED', upstreamStatus: 429 });
    expect(stack.callsTo('mapflow', 'GET /processings/{id}/v2')).toBe(9);
    expect(await readyz(stack.gateway)).toMatchObject({ status: 200, body: { upstreams: { mapflow: { ready: true, consecutiveFailures: 0, circuit: { state: 'closed' } } } } });
    stack.sims.mapflow.faults.set(null);
  });
});

const PREFIX = `gwtest:readyz:${randomUUID()}:`;

/** A TCP pass-through to the shared Redis (test harness only): while `cut`, it drops every connection and refuses new ones. */
interface RedisLink {
  url: string;
  server: Server;
  sockets: Set<Socket>;
  cut: boolean;
}

/** `redisLink` in front of the shared Redis, and `gateway`: a gateway in front of the file's simulators that reaches Redis through it. */
const redisTest = simsTest
  // eslint-disable-next-line no-empty-pattern -- vitest reads a fixture's dependencies from its destructuring: none here
  .extend('redisLink', { scope: 'file' }, async ({}, { onCleanup }) => {
    const link: RedisLink = { url: '', server: createServer(), sockets: new Set(), cut: false };
    // Forwards to the shared Redis; when `cut`, drops every connection and refuses new ones.
    link.server.on('connection', (client: Socket) => {
      if (link.cut) return void client.destroy();
      const upstream = connect(6379, '127.0.0.1');
      for (const s of [client, upstream]) {
        link.sockets.add(s);
        s.on('close', () => link.sockets.delete(s));
        s.on('error', () => s.destroy());
      }
      client.pipe(upstream).pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((r) => link.server.listen(0, '127.0.0.1', r));
    link.url = `redis://127.0.0.1:${(link.server.address() as AddressInfo).port}`;
    onCleanup(async () => {
      for (const s of link.sockets) s.destroy();
      await new Promise<void>((r) => link.server.close(() => r()));
      const redis = new Redis('redis://127.0.0.1:6379');
      const keys = await redis.keys(`${PREFIX}*`);
      if (keys.length) await redis.del(...keys);
      await redis.quit();
    });
    return link;
  })
  .extend('gateway', { scope: 'file' }, async ({ sims, redisLink }, { onCleanup }) => {
    const gateway = await startGateway({ env: gatewayEnv(sims, { REDIS_URL: redisLink.url, STATUS_REDIS_PREFIX: PREFIX }) });
    onCleanup(async () => {
      redisLink.cut = false;
      await gateway.close();
    });
    return gateway;
  });

describe('/readyz and Redis', () => {
  redisTest('is 503 while the Redis connection is down, and 200 once it is back', { timeout: 30_000 }, async ({ gateway, redisLink }) => {
    expect(await readyz(gateway)).toMatchObject({ status: 200, body: { redis: { configured: true, connected: true } } });
    redisLink.cut = true;
    for (const s of redisLink.sockets) s.destroy();
    const down = await readyzUntil(gateway, (r) => r.status === 503);
    expect(down).toMatchObject({ status: 503, body: { status: 'not ready', reasons: ['redis: REDIS_URL is set and the connection is down'], redis: { configured: true, connected: false } } });

    const reconnected = new Promise<void>((r) => redisLink.server.once('connection', () => r()));
    redisLink.cut = false;
    await reconnected;
    const back = await readyzUntil(gateway, (r) => r.status === 200, 2_000);
    expect(back).toMatchObject({ status: 200, body: { status: 'ready', redis: { configured: true, connected: true } } });
  });
});
