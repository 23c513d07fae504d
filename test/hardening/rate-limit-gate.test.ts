import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import { describe, expect } from 'vitest';
import { startGateway, type Gateway } from '../../src/app.js';
import { DEFAULT_RATE_LIMIT_WAIT_MS, RateLimitGate, RateLimitShare } from '../../src/datasources/http/rate-limit-gate.js';
import { RetryBudget } from '../../src/datasources/http/resilience.js';
import { UpstreamHttp } from '../../src/datasources/http/upstream-http.js';
import { mapflowErrorInfo } from '../../src/datasources/mapflow/mapflow.errors.js';
import { UpstreamError } from '../../src/errors.js';
import { MAPFLOW_DEMO_TENANTS } from '../../src/simulators/mapflow/index.js';
import { startSimulators, type Simulators } from '../../src/simulators/index.js';
import { credentialHash } from '../../src/credentials.js';
import {
  HardeningCreateProjectDocument,
  HardeningProcessingAndProjectsDocument,
  HardeningProjectsAndPointcloudDocument,
  HardeningProjectsPageDocument,
} from '../generated/graphql.js';
import { gatewayEnv, jsonOf, opAt, type RunningSimulators } from '../helpers/stack.helpers.js';
import { IDS, QUICK_ENV, sample, test } from './hardening.helpers.js';

/**
 * A vendor's 429 holds back the credential that got it, never the vendor: its reads then fail at
 * once with RATE_LIMITED and what is left of the vendor's Retry-After, without a call, while the
 * other tenants are answered and the breaker (which no longer counts 429s) stays closed. With
 * REDIS_URL every replica holds it back. Real HTTP against the simulators, whose tenant faults
 * answer 429 to one credential only.
 */

const PROJECTS_ROUTE = 'POST /projects/page';
const PROJECTS_METRIC = { vendor: 'mapflow', route: 'POST /projects/page', status: 'rate_limited_local' };

/** A Mapflow tenant of its own per test, so that one test's hold never reaches another. */
function newTenant(sims: Simulators): { name: string; token: string } {
  const name = `t${randomUUID().slice(0, 8)}`;
  const token = Buffer.from(`${name}@example.com:mf-${name}`).toString('base64');
  sims.mapflow.addTenant(name, token);
  return { name, token };
}

/** Mapflow's page of projects (one read), on any gateway, with the caller's headers. */
const projects = (url: string, headers: Record<string, string> = {}) => opAt(url, HardeningProjectsPageDocument, undefined, headers);

type UpstreamBody = { consecutiveFailures: number; rateLimitedCredentials: number; circuit: { state: string } };
async function readyz(origin: string): Promise<{ status: number; mapflow: UpstreamBody }> {
  const res = await fetch(`${origin}/readyz`);
  const body = await jsonOf<{ upstreams: { mapflow: UpstreamBody } }>(res);
  return { status: res.status, mapflow: body.upstreams.mapflow };
}

/** Asks /readyz until `want` holds: each ask is a real round trip, bounded, no timer. */
async function readyzUntil(origin: string, want: (m: UpstreamBody) => boolean, max = 5_000): Promise<UpstreamBody> {
  let r = await readyz(origin);
  for (let i = 0; i < max && !want(r.mapflow); i++) r = await readyz(origin);
  return r.mapflow;
}

/**
 * The bounds of what a read sent in [sentAt, answeredAt] may be told, when the vendor's 429 with
 * `seconds` of Retry-After arrived in [limitedFrom, limitedBy]: the remaining wait in whole seconds.
 * Measured, so that the assertion does not depend on how fast the machine is.
 */
function remainingBounds(seconds: number, limitedFrom: number, limitedBy: number, sentAt: number, answeredAt: number): [number, number] {
  return [Math.ceil((limitedFrom + seconds * 1000 - answeredAt) / 1000), Math.ceil((limitedBy + seconds * 1000 - sentAt) / 1000)];
}

describe('the gate, on its own clock', () => {
  test('holds a credential for the wait, keeps the later end, and lets it go when the wait has passed', () => {
    let now = 1_000_000;
    const gate = new RateLimitGate(() => now);
    const told: [string, number][] = [];
    gate.onHold = (key, ms) => told.push([key, ms]);
    expect(gate.empty).toBe(true);
    gate.hold('a', 2_000);
    expect(gate.waitMs('a')).toBe(2_000);
    expect(gate.waitMs('b')).toBe(0);
    now += 1_500;
    expect(gate.waitMs('a')).toBe(500);
    gate.hold('a', 100); // ends sooner than the hold already there: nothing changes, nothing is told
    expect(gate.waitMs('a')).toBe(500);
    expect(gate.extend('a', 30_000)).toBe(true); // another replica's later end is kept, and not told again
    expect(gate.waitMs('a')).toBe(30_000);
    expect(told).toEqual([['a', 2_000]]);
    gate.hold('c', 0); // Retry-After: 0 holds nothing
    expect(gate.held()).toBe(1);
    now += 30_000;
    expect(gate.waitMs('a')).toBe(0);
    expect(gate.empty).toBe(true);
  });
});

describe('a 429 without Retry-After', () => {
  test(`holds the credential for DEFAULT_RATE_LIMIT_WAIT_MS (${DEFAULT_RATE_LIMIT_WAIT_MS} ms); a read with another credential, and a write, still go`, async () => {
    const seen: string[] = [];
    const vendor = createServer((req, res) => {
      seen.push(`${req.method} ${req.headers.authorization}`);
      if (req.headers.authorization === 'Basic limited' && req.method === 'GET') res.writeHead(429, { 'content-type': 'application/json' }).end('{}');
      else res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
    await new Promise<void>((r) => vendor.listen(0, '127.0.0.1', r));
    try {
      const client = new UpstreamHttp({ source: 'MAPFLOW', baseUrl: `http://127.0.0.1:${(vendor.address() as AddressInfo).port}/rest`, timeoutMs: 2_000, parseError: mapflowErrorInfo });
      const as = (token: string) => client.forRequest(RetryBudget.NONE, () => `key-of-${token}`);
      const get = (token: string) => as(token).json({ method: 'GET', path: '/x', route: 'GET /x', headers: { authorization: `Basic ${token}` } }).then((v) => v, (e: unknown) => e);

      const first = (await get('limited')) as UpstreamError;
      expect(first).toMatchObject({ code: 'RATE_LIMITED', status: 429, details: {} }); // the vendor's own 429, no Retry-After to pass on
      const held = (await get('limited')) as UpstreamError;
      expect(held).toBeInstanceOf(UpstreamError);
      expect(held).toMatchObject({ code: 'RATE_LIMITED', status: 429, details: { transport: 'held', retryAfterSeconds: 1 } });
      expect(seen).toEqual(['GET Basic limited']);

      expect(await get('other')).toEqual({ ok: true });
      expect(await as('limited').json({ method: 'POST', path: '/x', route: 'POST /x', headers: { authorization: 'Basic limited' }, body: {} })).toEqual({ ok: true });
      expect(seen).toEqual(['GET Basic limited', 'GET Basic other', 'POST Basic limited']);
      expect(client.health().rateLimitedCredentials).toBe(1);
    } finally {
      await new Promise<void>((r) => vendor.close(() => r()));
    }
  });
});

test.override('rigOptions', {
  env: {
    UPSTREAM_RETRIES: '2',
    // Any Retry-After here is longer than a request may wait: the request that gets the 429
    // fails at once with RATE_LIMITED (retries.test.ts covers one that waits and retries).
    UPSTREAM_RETRY_MAX_WAIT_MS: '500',
    // A breaker that counted 429s would open on the first one: more than 20 % of 4 calls.
    UPSTREAM_BREAKER_WINDOW: '4',
    UPSTREAM_BREAKER_MIN_CALLS: '4',
    UPSTREAM_BREAKER_THRESHOLD: '0.2',
    READYZ_UPSTREAM_FAILURES: '3',
    // Not QUICK_ENV's 400 ms: on a busy machine one slow answer would be a timeout, which the
    // breaker above rightly counts.
    MAPFLOW_TIMEOUT_MS: '10000',
  },
});

describe('a 429 holds back one credential, not the vendor', () => {
  test('two tenants: beta gets 50 % 429s with Retry-After 2 and is held back; alpha is answered every time; the breaker stays closed, /readyz ready', async ({ rig }) => {
    const beta = MAPFLOW_DEMO_TENANTS[1];
    const alphaQuery = () => rig.op(HardeningProcessingAndProjectsDocument, { id: IDS.processing });
    // Fills the breaker's window, so that it judges from beta's first 429 on.
    for (let i = 0; i < 2; i++) {
      const warm = await alphaQuery();
      expect(warm.errors, JSON.stringify(warm.errors)).toBeUndefined();
    }
    rig.sims.mapflow.faults.set({ rateLimitRate: 0.5, retryAfterSeconds: 2, tenant: beta.name });
    rig.resetCounts();
    const metricBefore = sample(await rig.metrics(), 'gateway_upstream_requests_total', PROJECTS_METRIC);
    let rounds = 0;
    let heldBack = 0;
    let vendor429s = 0;
    // Rounds of one alpha and one beta request at once, until beta has been held back a few times.
    for (; rounds < 300 && heldBack < 5; rounds++) {
      const [alpha, asBeta] = await Promise.all([alphaQuery(), projects(rig.gateway.url, { 'x-mapflow-token': beta.token })]);
      expect(alpha.errors, JSON.stringify(alpha.errors)).toBeUndefined();
      expect(alpha.data).toMatchObject({ processing: { id: IDS.processing }, projects: { totalCount: expect.any(Number) } });
      if (!asBeta.errors) {
        expect(asBeta.data).toEqual({ projects: { totalCount: expect.any(Number) } });
        continue;
      }
      expect(asBeta.errors).toHaveLength(1);
      const [e] = asBeta.errors;
      expect(e).toMatchObject({ path: ['projects'], extensions: { code: 'RATE_LIMITED', source: 'MAPFLOW', upstreamStatus: 429 } });
      expect([1, 2]).toContain(e.extensions?.retryAfter);
      if (/rate-limited this credential/.test(e.message)) heldBack++;
      else vendor429s++;
    }
    expect(heldBack).toBe(5);
    expect(vendor429s).toBeGreaterThanOrEqual(1);
    // Held-back reads made no call: beta's calls are its answered reads and its real 429s, one each.
    expect(rig.sims.mapflow.stats.count(PROJECTS_ROUTE, beta.name)).toBe(rounds - heldBack);
    expect(rig.sims.mapflow.stats.snapshot().byStatus['429']).toBe(vendor429s);
    expect(rig.sims.mapflow.stats.count(undefined, 'alpha')).toBe(rounds * 2);
    expect(sample(await rig.metrics(), 'gateway_upstream_requests_total', PROJECTS_METRIC) - metricBefore).toBe(heldBack);

    const ready = await readyz(rig.gateway.origin);
    expect(ready.status).toBe(200);
    expect(ready.mapflow).toMatchObject({ circuit: { state: 'closed' }, consecutiveFailures: 0 });
    const metrics = await rig.metrics();
    expect(sample(metrics, 'gateway_upstream_circuit_state', { vendor: 'mapflow', state: 'closed' })).toBe(1);
    rig.sims.mapflow.faults.set(null);
  });

  test("retryAfter is the vendor's remaining wait; a held read makes no call; the other vendors and tenants are answered; writes still go", async ({ rig }) => {
    const t = newTenant(rig.sims);
    const as = { 'x-mapflow-token': t.token };
    rig.sims.mapflow.faults.set({ rateLimitRate: 1, retryAfterSeconds: 30, tenant: t.name, count: 1 });
    const calls = () => rig.sims.mapflow.stats.count(undefined, t.name);
    const before = calls();

    const limitedFrom = Date.now();
    const first = await projects(rig.gateway.url, as);
    const limitedBy = Date.now();
    // The vendor's own 429, passed on as it came.
    expect(first.errors?.[0]).toMatchObject({ path: ['projects'], extensions: { code: 'RATE_LIMITED', source: 'MAPFLOW', upstreamStatus: 429, retryAfter: 30 } });
    expect(calls()).toBe(before + 1);
    expect(rig.sims.mapflow.faults.current).toBeNull(); // the vendor would answer now: any call would succeed

    const sentAt = Date.now();
    const held = await rig.op(HardeningProjectsAndPointcloudDocument, { id: IDS.pointcloud }, as);
    const answeredAt = Date.now();
    expect(held.data).toEqual({ projects: null, pointcloud: { id: IDS.pointcloud } });
    expect(held.errors).toHaveLength(1);
    const e = held.errors![0];
    expect(e).toMatchObject({ path: ['projects'], extensions: { code: 'RATE_LIMITED', source: 'MAPFLOW', upstreamStatus: 429 } });
    const [least, most] = remainingBounds(30, limitedFrom, limitedBy, sentAt, answeredAt);
    expect(e.extensions?.retryAfter).toBeGreaterThanOrEqual(least);
    expect(e.extensions?.retryAfter).toBeLessThanOrEqual(most);
    expect(most).toBeLessThanOrEqual(30);
    expect(e.message).toBe(`Mapflow rate-limited this credential: try again in ${String(e.extensions?.retryAfter)} s`);
    expect(calls()).toBe(before + 1);

    // The server's credential (alpha) is not held back.
    expect((await projects(rig.gateway.url)).errors).toBeUndefined();

    // A write is one call the vendor answers for itself: it is sent, and made.
    const created = await rig.op(HardeningCreateProjectDocument, { name: 'while held' }, as);
    expect(created.errors).toBeUndefined();
    expect(created.data).toMatchObject({ createProject: { name: 'while held' } });
    expect(calls()).toBe(before + 2);

    const ready = await readyz(rig.gateway.origin);
    expect(ready.status).toBe(200);
    expect(ready.mapflow).toMatchObject({ circuit: { state: 'closed' }, consecutiveFailures: 0 });
    expect(ready.mapflow.rateLimitedCredentials).toBeGreaterThanOrEqual(1);
  });

  test('the hold ends when the Retry-After has passed: the next read goes to the vendor and is answered', async ({ rig }) => {
    // A gateway of its own, so that its only hold is this test's (another test's hold ending meanwhile cannot look like it).
    const gateway = await startGateway({ env: gatewayEnv(rig.sims, { ...QUICK_ENV, UPSTREAM_RETRIES: '2', UPSTREAM_RETRY_MAX_WAIT_MS: '500' }) });
    try {
      const t = newTenant(rig.sims);
      const as = { 'x-mapflow-token': t.token };
      rig.sims.mapflow.faults.set({ rateLimitRate: 1, retryAfterSeconds: 1, tenant: t.name, count: 1 });
      const calls = () => rig.sims.mapflow.stats.count(undefined, t.name);
      const before = calls();
      expect((await projects(gateway.url, as)).errors?.[0].extensions).toMatchObject({ code: 'RATE_LIMITED', retryAfter: 1 });
      expect((await readyz(gateway.origin)).mapflow.rateLimitedCredentials).toBe(1);
      await readyzUntil(gateway.origin, (m) => m.rateLimitedCredentials === 0);
      const again = await projects(gateway.url, as);
      expect(again.errors).toBeUndefined();
      expect(again.data).toEqual({ projects: { totalCount: expect.any(Number) } });
      expect(calls()).toBe(before + 2);
    } finally {
      await gateway.close();
    }
  });
});

describe('replicas share the hold through Redis', () => {
  const REDIS_URL = 'redis://127.0.0.1:6379';
  const PREFIX = `gwtest:ratelimit-gate:${randomUUID()}:`;

  test('a 429 on replica A holds the credential back on B (told through Redis) and on C (started later, loaded from Redis); no token in Redis', async () => {
    // Simulators of their own and three gateways in front, started by the test (C after the 429).
    const sims = (await startSimulators({ timeScale: 0 })) as RunningSimulators;
    const redis = new Redis(REDIS_URL);
    const gateways: Gateway[] = [];
    const replica = async () => {
      const g = await startGateway({ env: gatewayEnv(sims, { ...QUICK_ENV, REDIS_URL, STATUS_REDIS_PREFIX: PREFIX, UPSTREAM_RETRY_MAX_WAIT_MS: '500' }) });
      gateways.push(g);
      return g;
    };
    try {
      await holdSharedByReplicas(sims, redis, replica);
    } finally {
      await Promise.all(gateways.map((g) => g.close()));
      await sims.close();
      const keys = await redis.keys(`${PREFIX}*`);
      if (keys.length) await redis.del(...keys);
      await redis.quit();
    }
  });

  /** Replicas A and B, then C, with the simulators' tenant faults: the hold travels through Redis. */
  async function holdSharedByReplicas(sims: Simulators, redis: Redis, replica: () => Promise<Gateway>): Promise<void> {
    const [a, b] = [await replica(), await replica()];
    const t = newTenant(sims);
    const as = { 'x-mapflow-token': t.token };
    sims.mapflow.faults.set({ rateLimitRate: 1, retryAfterSeconds: 30, tenant: t.name, count: 1 });
    const calls = () => sims.mapflow.stats.count(undefined, t.name);

    const limitedFrom = Date.now();
    const first = await projects(a.url, as);
    const limitedBy = Date.now();
    expect(first.errors?.[0].extensions).toMatchObject({ code: 'RATE_LIMITED', upstreamStatus: 429, retryAfter: 30 });
    expect(calls()).toBe(1);

    // B learns of it through pub/sub: watched on its /readyz, then its read is held back, unsent.
    expect((await readyzUntil(b.origin, (m) => m.rateLimitedCredentials === 1)).rateLimitedCredentials).toBe(1);
    const sentAt = Date.now();
    const onB = await projects(b.url, as);
    const answeredAt = Date.now();
    const [least, most] = remainingBounds(30, limitedFrom, limitedBy, sentAt, answeredAt);
    expect(onB.errors?.[0]).toMatchObject({ path: ['projects'], extensions: { code: 'RATE_LIMITED', source: 'MAPFLOW', upstreamStatus: 429 } });
    expect(onB.errors?.[0].extensions?.retryAfter).toBeGreaterThanOrEqual(least);
    expect(onB.errors?.[0].extensions?.retryAfter).toBeLessThanOrEqual(most);
    expect(calls()).toBe(1);
    expect((await projects(b.url)).errors).toBeUndefined(); // another credential on B: answered

    // C starts after the 429: it loads the hold from Redis before it serves.
    const c = await replica();
    expect((await readyz(c.origin)).mapflow.rateLimitedCredentials).toBe(1);
    expect((await projects(c.url, as)).errors?.[0].extensions).toMatchObject({ code: 'RATE_LIMITED', upstreamStatus: 429 });
    expect(calls()).toBe(1);

    // Redis holds the credential's hash, with the hold's TTL; never the token. (Beside it: the keys of
    // BullMQ's classification queue, which every replica's worker keeps, holding no job here.)
    const keys = (await redis.keys(`${PREFIX}*`)).filter((k) => !k.startsWith(`${PREFIX}bull:`));
    const hash = credentialHash('mapflow', { mapflow: { token: t.token }, flai: null, cupix: null });
    expect(keys).toEqual([`${PREFIX}ratelimit-hold:mapflow:${hash}`]);
    const ttl = await redis.pttl(keys[0]);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(30_000);
    for (const k of keys) {
      expect(k).not.toContain(t.token);
      expect(await redis.get(k)).not.toContain(t.token);
    }
  }

  test('an unreachable Redis fails no call: the gate holds locally, and sharing only warns', async () => {
    const warnings: string[] = [];
    const gate = new RateLimitGate();
    const share = await RateLimitShare.start({ url: 'redis://127.0.0.1:1', prefix: PREFIX, gates: { mapflow: gate }, log: { warn: (_o, msg) => warnings.push(msg) }, startWaitMs: 50 });
    try {
      expect(() => gate.hold('k', 5_000)).not.toThrow();
      expect(gate.waitMs('k')).toBeGreaterThan(0);
    } finally {
      await share.close();
    }
    expect(warnings.length).toBeGreaterThan(0);
  });
});
