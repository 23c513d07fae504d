import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { once } from 'node:events';
import { describe, expect, vi } from 'vitest';
import { test } from '../helpers/federation.helpers.js';
import { IDS } from '../hardening/hardening.helpers.js';
import type { LogLine } from '../status/gateway-process.helpers.js';
import { closeEvent } from '../status/status.helpers.js';

/**
 * Raw HTTP and raw documents throughout: what is sent (a body's size, its method and content type,
 * a document over a limit, an upgrade's headers) is what these tests are about.
 *
 * The federation gateway admits requests as the unified server does (src/server/admission.ts and
 * the GraphQL limits of graphql-limits.ts): whatever it refuses reaches no subgraph, so no vendor
 * (the simulators' counters stay at zero). Each request comes from an address of its own
 * (X-Forwarded-For, one trusted hop) so that only the rate-limit test meets the rate limit.
 */
const MAX_BODY = 64 * 1024;
const PER_IP = 3;
const ALLOWED_ORIGIN = 'https://app.example';
const logs: string[] = [];
test.override('stackOptions', {
  onLog: (line) => logs.push(line),
  gatewayEnv: { GRAPHQL_MAX_BODY_BYTES: String(MAX_BODY), RATE_LIMIT_PER_IP: String(PER_IP), TRUST_PROXY_HOPS: '1', WS_ALLOWED_ORIGINS: ALLOWED_ORIGIN },
});
test.beforeEach(({ stack }) => stack.resetCounts());

let lastIp = 0;
const freshIp = () => `198.51.100.${++lastIp}`;

interface Answer {
  status: number;
  headers: Headers;
  body: { data?: unknown; errors?: { message: string; extensions?: Record<string, unknown> }[] };
}
async function send(url: string, init: RequestInit & { duplex?: 'half' }, ip = freshIp()): Promise<Answer> {
  const res = await fetch(url, { ...init, headers: { 'x-forwarded-for': ip, ...(init.headers as Record<string, string>) } });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Answer['body'] };
}
const postJson = (url: string, query: string, ip?: string) =>
  send(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) }, ip);

/** A graphql-ws client whose upgrade request carries these headers (an address, an Origin). */
function wsFrom(url: string, headers: Record<string, string>) {
  class WithHeaders extends WebSocket {
    constructor(address: string, protocols?: string | string[]) {
      super(address, protocols, { headers });
    }
  }
  return createClient({ url: url.replace(/^http/, 'ws'), webSocketImpl: WithHeaders, retryAttempts: 0, lazy: true });
}
type WsOutcome = { data?: unknown; errors?: { message: string; extensions?: Record<string, unknown> }[] } | { closed: { code: number; reason: string } };
async function wsRun(url: string, query: string, headers: Record<string, string> = { 'x-forwarded-for': freshIp() }): Promise<WsOutcome> {
  const client = wsFrom(url, headers);
  try {
    return await new Promise<WsOutcome>((resolve) => {
      client.on('closed', (e) => resolve({ closed: closeEvent(e) }));
      client.on('error', () => {});
      client.subscribe(
        { query },
        {
          next: (r) => resolve({ data: r.data, ...(r.errors ? { errors: r.errors as never } : {}) }),
          error: (err) => Array.isArray(err) && resolve({ errors: err as never }),
          complete: () => {},
        },
      );
    });
  } finally {
    await client.dispose();
  }
}

/** A chain Processing → project → processings → nodes → … that is `levels` fields deep. */
function deep(levels: number): string {
  let q = 'id';
  for (let depth = 2; depth + 3 <= levels; depth += 3) q = `project { processings(first: 1) { nodes { ${q} } } }`;
  return `{ processing(id: "${IDS.processing}") { ${q} } }`;
}
const OVER: [string, string, string][] = [
  ['depth 20 (limit 18)', deep(20), 'GRAPHQL_VALIDATION_FAILED'],
  ['31 aliases (limit 30)', `{ ${Array.from({ length: 31 }, (_, i) => `a${i}: processing(id: "${IDS.processing}") { id }`).join(' ')} }`, 'GRAPHQL_VALIDATION_FAILED'],
  ['51 directives (limit 50)', `{ processing(id: "${IDS.processing}") { ${'id @include(if: true) '.repeat(51)} } }`, 'GRAPHQL_VALIDATION_FAILED'],
  ['5001 tokens (limit 5000)', `{ processing(id: "${IDS.processing}") { ${'id '.repeat(4993)} } }`, 'GRAPHQL_PARSE_FAILED'],
  ['cost (limit 25000)', '{ projects(first: 100) { nodes { processings(first: 100) { nodes { id name status } } } } }', 'GRAPHQL_VALIDATION_FAILED'],
];

describe('the unified server\'s GraphQL limits on the federation gateway', () => {
  test.for(OVER)('%s: refused over HTTP and graphql-ws with the unified server\'s message, no vendor call', async ([_name, query, code], { stack }) => {
    const uni = await postJson(stack.unified.url, query);
    expect(uni.status).toBe(400);
    stack.resetCounts();
    const fed = await postJson(stack.federation.url, query);
    // Hive answers every validation error with 200 (as GraphQL over HTTP allows for application/json).
    expect(fed.status).toBe(200);
    expect(fed.body.data).toBeUndefined();
    expect(fed.body.errors?.map((e) => e.message)).toEqual(uni.body.errors?.map((e) => e.message));
    expect(fed.body.errors?.map((e) => e.extensions?.code)).toEqual([code]);
    const ws = await wsRun(stack.federation.url, query);
    expect('errors' in ws && ws.errors?.map((e) => e.message)).toEqual(uni.body.errors?.map((e) => e.message));
    expect(stack.calls()).toBe(0);
  });

  test('lets the same kinds of document through just under each limit', async ({ stack }) => {
    for (const query of [deep(11), `{ ${Array.from({ length: 30 }, (_, i) => `a${i}: processing(id: "${IDS.processing}") { id }`).join(' ')} }`]) {
      const fed = await postJson(stack.federation.url, query);
      expect(fed.body.errors).toBeUndefined();
      expect(fed.status).toBe(200);
    }
    expect(stack.calls('mapflow')).toBeGreaterThan(0);
  });
});

describe('request admission on the federation gateway', () => {
  test('bounds the body (GRAPHQL_MAX_BODY_BYTES), declared or streamed without a length: 413, no vendor call', async ({ stack }) => {
    const big = JSON.stringify({ query: `{ processing(id: "${IDS.processing}") { id } }`, variables: { pad: 'x'.repeat(MAX_BODY) } });
    const declared = await send(stack.federation.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: big });
    expect(declared.status).toBe(413);
    expect(declared.body.errors?.[0].extensions?.code).toBe('BAD_REQUEST');
    const bytes = new TextEncoder().encode(big);
    const stream = new ReadableStream<Uint8Array>({
      start(c) {
        for (let i = 0; i < bytes.length; i += 1024) c.enqueue(bytes.subarray(i, i + 1024));
        c.close();
      },
    });
    const chunked = await send(stack.federation.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: stream, duplex: 'half' });
    expect(chunked.status).toBe(413);
    expect(stack.calls()).toBe(0);
    const small = await postJson(stack.federation.url, `{ processing(id: "${IDS.processing}") { id } }`);
    expect(small.body).toEqual({ data: { processing: { id: IDS.processing } } });
  });

  test('prevents CSRF as the unified server (Apollo\'s csrfPrevention) does: simple requests refused with 400, no vendor call', async ({ stack }) => {
    const query = `{ processing(id: "${IDS.processing}") { id } }`;
    const cases: [string, RequestInit][] = [
      ['GET without headers', { method: 'GET' }],
      ['POST text/plain', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ query }) }],
      ['POST form', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `query=${encodeURIComponent(query)}` }],
    ];
    for (const [name, init] of cases) {
      const url = (base: string) => (init.method === 'GET' ? `${base}?query=${encodeURIComponent(query)}` : base);
      const uni = await send(url(stack.unified.url), init);
      stack.resetCounts();
      const fed = await send(url(stack.federation.url), init);
      expect([fed.status, fed.body.errors?.[0].extensions?.code], name).toEqual([400, 'BAD_REQUEST']);
      expect(fed.body.errors?.[0].message, name).toBe(uni.body.errors?.[0].message);
      expect(uni.status, name).toBe(400);
      expect(stack.calls(), name).toBe(0);
    }
    // The same GET with a preflight-forcing header is served.
    const ok = await send(`${stack.federation.url}?query=${encodeURIComponent(query)}`, { method: 'GET', headers: { 'apollo-require-preflight': 'true' } });
    expect(ok.body).toEqual({ data: { processing: { id: IDS.processing } } });
  });

  test('rate-limits per address over HTTP and graphql-ws: 429 / RATE_LIMITED with retryAfter, no vendor call', async ({ stack }) => {
    const ip = freshIp();
    const query = `{ processing(id: "${IDS.processing}") { id } }`;
    for (let i = 0; i < PER_IP; i++) expect((await postJson(stack.federation.url, query, ip)).status).toBe(200);
    stack.resetCounts();
    const refused = await postJson(stack.federation.url, query, ip);
    expect(refused.status).toBe(429);
    expect(refused.body.errors?.[0].extensions).toMatchObject({ code: 'RATE_LIMITED', retryAfter: expect.any(Number) });
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    const ws = await wsRun(stack.federation.url, query, { 'x-forwarded-for': ip });
    expect(ws).toMatchObject({ closed: { code: 4429 } });
    // A connection admitted with the last point: its next subscribe is refused with RATE_LIMITED.
    const other = freshIp();
    for (let i = 0; i < PER_IP - 1; i++) expect((await postJson(stack.federation.url, query, other)).status).toBe(200);
    stack.resetCounts();
    const wsOther = await wsRun(stack.federation.url, query, { 'x-forwarded-for': other });
    expect(wsOther).toMatchObject({ errors: [{ extensions: { code: 'RATE_LIMITED', retryAfter: expect.any(Number) } }] });
    expect(stack.calls()).toBe(0);
  });

  test('applies WS_ALLOWED_ORIGINS to WebSocket upgrades: another site\'s page is refused, the allowed one and non-browsers are served', async ({ stack }) => {
    const query = `{ processing(id: "${IDS.processing}") { id } }`;
    const refused = await new Promise<number>((resolve) => {
      const socket = new WebSocket(stack.federation.url.replace(/^http/, 'ws'), 'graphql-transport-ws', { headers: { origin: 'https://evil.example', 'x-forwarded-for': freshIp() } });
      socket.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      socket.on('error', () => {});
    });
    expect(refused).toBe(403);
    expect(stack.calls()).toBe(0);
    expect(await wsRun(stack.federation.url, query, { origin: ALLOWED_ORIGIN, 'x-forwarded-for': freshIp() })).toEqual({ data: { processing: { id: IDS.processing } } });
    expect(await wsRun(stack.federation.url, query)).toEqual({ data: { processing: { id: IDS.processing } } });
  });
});

describe('the federation gateway\'s graphql-ws reports', () => {
  test('go through the logger, never to the console: a message over the size bound closes 1009 and logs WS_SOCKET_ERROR', async ({ stack }) => {
    // graphql-ws' stock `useServer` prints a socket's error with console.error, past the logger's redaction.
    const consoleError = vi.spyOn(console, 'error');
    try {
      const logged = logs.length;
      const socket = new WebSocket(stack.federation.url.replace(/^http/, 'ws'), 'graphql-transport-ws', { headers: { 'x-forwarded-for': '198.51.100.77' } });
      await once(socket, 'open');
      socket.send(JSON.stringify({ type: 'connection_init', payload: { pad: 'x'.repeat(2 * MAX_BODY) } }));
      const [code] = (await once(socket, 'close')) as [number];
      expect(code).toBe(1009);
      expect(logs.slice(logged).map((l) => (JSON.parse(l) as LogLine).code)).toContain('WS_SOCKET_ERROR');
      expect(consoleError).not.toHaveBeenCalled();
      expect(stack.calls()).toBe(0);
    } finally {
      consoleError.mockRestore();
    }
  });
});
