import 'reflect-metadata';
import { createHash, randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { describe, expect } from 'vitest';
import type { Gateway } from '../../src/app.js';
import { RedisVault } from '../../src/links/credential-vault.js';
import { ResultsLinks } from '../../src/links/results-links.js';
import { MapflowProcessingResultsUrlDocument } from '../generated/graphql.js';
import { opAt, test as stackTest, type Stack } from '../helpers/stack.helpers.js';
import { startAnotherGateway } from './gateway.helpers.js';
import { ALPHA_TOKEN, BETA_TOKEN, tenantData, tokenForms } from './mapflow.helpers.js';

/**
 * `resultsUrl` across replicas: gateways A and B share the simulators, one Redis (under a key prefix
 * of this run) and RESULTS_URL_SECRET. A link minted on A opens on B, as it would behind a load
 * balancer; Redis holds the credential encrypted, for the link's lifetime. C shares Redis with
 * another secret, M shares the secret without Redis: neither can open A's links.
 */

const REDIS_URL = 'redis://127.0.0.1:6379';
const PREFIX = `gwtest:links:${randomUUID()}:`;
const SECRET = 'replica-links-secret-0123456789abcdef';
const TTL = 300;

const LINKS = { RESULTS_URL_SECRET: SECRET, RESULTS_URL_TTL_SECONDS: String(TTL) };
const SHARED = { ...LINKS, REDIS_URL, STATUS_REDIS_PREFIX: PREFIX };

/** The replicas besides the stack's gateway (A): B shares Redis and the secret, C only Redis, M only the secret. */
interface ReplicaGateways {
  b: Gateway;
  c: Gateway;
  m: Gateway;
}

/**
 * `replicas`: B, C and M in front of the stack's simulators, one set per file; `redis`: a client of
 * the shared Redis, which drops this run's keys after the file's last test.
 */
const test = stackTest
  // eslint-disable-next-line no-empty-pattern -- vitest reads a fixture's dependencies from its destructuring: none here
  .extend('redis', { scope: 'file' }, async ({}, { onCleanup }) => {
    const redis = new Redis(REDIS_URL);
    onCleanup(async () => {
      const keys = await redis.keys(`${PREFIX}*`);
      if (keys.length) await redis.del(...keys);
      await redis.quit();
    });
    return redis;
  })
  .extend('replicas', { scope: 'file' }, async ({ stack }, { onCleanup }) => {
    const [b, c, m] = await Promise.all([
      startAnotherGateway(stack, SHARED),
      startAnotherGateway(stack, { ...SHARED, RESULTS_URL_SECRET: 'another-secret-0123456789abcdef' }),
      startAnotherGateway(stack, LINKS),
    ]);
    onCleanup(async () => {
      await Promise.all([b.close(), c.close(), m.close()]);
    });
    return { b, c, m } satisfies ReplicaGateways;
  });
test.override('stackOptions', { env: SHARED });

const okProcessing = (stack: Stack, tenant: 'alpha' | 'beta') => [...tenantData(stack, tenant).processings.values()].find((p) => p.status === 'OK')?.id as string;

async function linkFrom(g: Gateway, id: string, headers: Record<string, string> = {}): Promise<URL> {
  const body = await opAt(g.url, MapflowProcessingResultsUrlDocument, { id }, headers);
  expect(body.errors).toBeUndefined();
  return new URL(body.data?.processing?.resultsUrl as string);
}

/** The same link, sent to another gateway (what a load balancer does). */
function on(g: Gateway, link: URL): string {
  return `${g.origin}${link.pathname}${link.search}`;
}

async function open(url: string): Promise<{ status: number; body: unknown }> {
  const res = await fetch(url);
  return { status: res.status, body: JSON.parse(await res.text()) };
}

async function vendorResult(stack: Stack, id: string, token = ALPHA_TOKEN): Promise<unknown> {
  const res = await fetch(`${stack.sims.mapflow.url}/processings/${id}/result`, { headers: { authorization: `Basic ${token}` } });
  return res.json();
}

describe('resultsUrl with REDIS_URL', () => {
  test('a link minted on one gateway opens on another that shares Redis and the secret', async ({ stack, replicas: { b } }) => {
    const id = okProcessing(stack, 'alpha');
    const link = await linkFrom(stack.gateway, id);
    const got = await open(on(b, link));
    expect(got.status).toBe(200);
    expect(got.body).toEqual(await vendorResult(stack, id));

    // Another tenant's link (per-request header) opens on B with that tenant's credential.
    const betaId = okProcessing(stack, 'beta');
    const betaLink = await linkFrom(stack.gateway, betaId, { 'x-mapflow-token': BETA_TOKEN });
    expect(await open(on(b, betaLink))).toEqual({ status: 200, body: await vendorResult(stack, betaId, BETA_TOKEN) });
  });

  test('keeps the credential in Redis encrypted, for exactly the link lifetime, under a keyed reference', async ({ stack, redis, replicas: { c } }) => {
    const link = await linkFrom(stack.gateway, okProcessing(stack, 'alpha'));
    const ref = link.searchParams.get('c') as string;
    const key = `${PREFIX}results:cred:${ref}`;
    const stored = await redis.get(key);
    expect(stored).toMatch(/^v1\.[\w-]+$/);
    for (const form of tokenForms(ALPHA_TOKEN)) {
      expect(stored).not.toContain(form);
      expect(Buffer.from((stored as string).slice(3), 'base64url').toString('latin1')).not.toContain(form);
    }
    // The key expires when the link does.
    expect(await redis.pexpiretime(key)).toBe(Number(link.searchParams.get('exp')) * 1000);
    // Every credential key of this run holds a sealed value, none a token.
    for (const k of await redis.keys(`${PREFIX}results:cred:*`)) expect(await redis.get(k)).toMatch(/^v1\./);

    // The reference is an HMAC keyed by the secret: not a plain hash of the token, and another secret gives another one.
    expect(ref).not.toBe(createHash('sha256').update(`mapflow:${ALPHA_TOKEN}`).digest('base64url').slice(0, 22));
    const fromC = await linkFrom(c, okProcessing(stack, 'alpha'));
    expect(fromC.searchParams.get('c')).not.toBe(ref);
    expect(fromC.searchParams.get('c')).toMatch(/^[\w-]{22}$/);
  });

  test('still refuses tampered and expired links on the other gateway', async ({ stack, replicas: { b } }) => {
    const id = okProcessing(stack, 'alpha');
    const link = await linkFrom(stack.gateway, id);
    const sig = link.searchParams.get('sig') as string;
    const badSig = new URL(link);
    badSig.searchParams.set('sig', (sig[0] === 'A' ? 'B' : 'A') + sig.slice(1));
    const laterExp = new URL(link);
    laterExp.searchParams.set('exp', String(Number(link.searchParams.get('exp')) + 3600));
    const otherRef = new URL(link);
    otherRef.searchParams.set('c', 'A'.repeat(22));
    for (const tampered of [badSig, laterExp, otherRef]) expect(await open(on(b, tampered))).toEqual({ status: 403, body: { error: 'This results link is not valid.' } });

    // Signed with the shared secret, minted 10 minutes ago with a 5-minute lifetime.
    const links = new ResultsLinks(() => b.origin, SECRET, TTL);
    const expired = await links.make({ kind: 'processing', id }, ALPHA_TOKEN, Date.now() - 10 * 60_000);
    expect(await open(expired)).toEqual({ status: 410, body: { error: 'This results link has expired; query resultsUrl again for a new one.' } });
    // And A's link is refused once its time has passed (checked "later" with the shared secret, no waiting).
    const later = (Number(link.searchParams.get('exp')) + 1) * 1000;
    expect(await links.open({ kind: 'processing', id }, link.searchParams, later)).toEqual({
      status: 410,
      error: 'This results link has expired; query resultsUrl again for a new one.',
    });
  });

  test('a gateway with another secret, or without Redis, cannot open the link', async ({ stack, replicas: { c, m } }) => {
    const link = await linkFrom(stack.gateway, okProcessing(stack, 'alpha'));
    expect(await open(on(c, link))).toEqual({ status: 403, body: { error: 'This results link is not valid.' } });
    expect(await open(on(m, link))).toEqual({
      status: 410,
      body: { error: 'This results link is no longer usable on this server; query resultsUrl again for a new one.' },
    });
  });

  test('a credential gone from Redis (expired with its links) leaves the link unusable', async ({ stack, redis, replicas: { b } }) => {
    const link = await linkFrom(stack.gateway, okProcessing(stack, 'alpha'));
    await redis.del(`${PREFIX}results:cred:${link.searchParams.get('c')}`);
    expect(await open(on(b, link))).toEqual({
      status: 410,
      body: { error: 'This results link is no longer usable on this server; query resultsUrl again for a new one.' },
    });
  });
});

describe('RedisVault', () => {
  test('returns null for a value that does not decrypt under its reference and key', async ({ redis }) => {
    const vault = await vaultOfRun();
    try {
      const until = Date.now() + 60_000;
      await vault.put('ref-one', 'secret-token', until);
      expect(await vault.get('ref-one')).toBe('secret-token');
      // The same sealed value copied under another reference does not decrypt.
      await redis.set(`${PREFIX}results:cred:ref-two`, (await redis.get(`${PREFIX}results:cred:ref-one`)) as string, 'PXAT', until);
      expect(await vault.get('ref-two')).toBeNull();
      // Nor under another key.
      const other = new RedisVault(REDIS_URL, PREFIX, Buffer.alloc(32, 7), silent);
      await other.connect();
      expect(await other.get('ref-one')).toBeNull();
      await other.close();
      // Nor a tampered one.
      const sealed = (await redis.get(`${PREFIX}results:cred:ref-one`)) as string;
      await redis.set(`${PREFIX}results:cred:ref-one`, sealed.slice(0, -2) + (sealed.endsWith('AA') ? 'BB' : 'AA'), 'PXAT', until);
      expect(await vault.get('ref-one')).toBeNull();
    } finally {
      await vault.close();
    }
  });
});

const silent = { info() {}, warn() {}, error() {}, debug() {} };

/** A vault on this run's prefix, with a key of its own. */
async function vaultOfRun(): Promise<RedisVault> {
  const v = new RedisVault(REDIS_URL, PREFIX, Buffer.alloc(32, 1), silent);
  await v.connect();
  return v;
}
