import { once } from 'node:events';
import type { Client } from 'graphql-ws';
import WebSocket from 'ws';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { spawnGateway } from './gateway-process.helpers.js';
import { Feed, field, startStatusStack, wsClient, type Stack } from './status.helpers.js';
import { createProcessing, MAPFLOW, type Json } from './vendors.helpers.js';

const clients: Client[] = [];
const track = (c: Client) => (clients.push(c), c);
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.dispose()));
});

/** Runs one operation over WebSocket and returns its single result. */
async function once1(client: Client, query: string, variables: Record<string, unknown> = {}) {
  const feed = new Feed(client, query, variables);
  const r = await feed.next();
  return r;
}

/** The close event a client gets when the server refuses or drops it. */
function closeOf(client: Client): Promise<{ code: number; reason: string }> {
  return new Promise((resolve) => client.on('closed', (e) => resolve(e as { code: number; reason: string })));
}

describe('connection', () => {
  let stack: Stack;
  beforeAll(async () => {
    // Short enough for the ping test to see a ping soon, long enough that a client on a loaded
    // machine always answers the previous ping in time (a missed pong drops the socket: 1006).
    stack = await startStatusStack({ env: { GATEWAY_API_KEYS: 'key-one, key-two', WS_KEEPALIVE_MS: '1000' } });
  });
  afterAll(() => stack?.close());

  it('refuses a connection without the gateway key or with a wrong one (both 4401, the key not echoed)', async () => {
    const none = track(wsClient(stack.gateway.url));
    const closedNone = closeOf(none);
    const f1 = new Feed(none, '{ __typename }');
    expect(await closedNone).toMatchObject({ code: 4401 });
    await expect(f1.next()).rejects.toThrow(/4401/);

    const wrong = track(wsClient(stack.gateway.url, { authorization: 'Bearer key-three' }));
    const closedWrong = closeOf(wrong);
    void new Feed(wrong, '{ __typename }').done().catch(() => {});
    const wrongClose = await closedWrong;
    expect(wrongClose).toMatchObject({ code: 4401, reason: 'Unauthorized: send connectionParams.authorization "Bearer <key>"' });
    expect(wrongClose.reason).not.toContain('key-three');
  });

  it('accepts a valid key and takes vendor credentials from connectionParams, per connection', async () => {
    const alphaId = (await createProcessing(stack)).id as string;
    const betaId = (await createProcessing(stack, { token: MAPFLOW.beta.token })).id as string;
    const q = `query ($a: ID!, $b: ID!) { a: processing(id: $a) { id } b: processing(id: $b) { id } }`;
    const asAlpha = track(wsClient(stack.gateway.url, { authorization: 'Bearer key-two' }));
    const asBeta = track(wsClient(stack.gateway.url, { authorization: 'Bearer key-one', 'x-mapflow-token': MAPFLOW.beta.token }));
    expect((await once1(asAlpha, q, { a: alphaId, b: betaId })).data).toEqual({ a: { id: alphaId }, b: null });
    expect((await once1(asBeta, q, { a: alphaId, b: betaId })).data).toEqual({ a: null, b: { id: betaId } });
  });

  it('sends keep-alive pings', async () => {
    const socket = new WebSocket(stack.gateway.url.replace(/^http/, 'ws'), 'graphql-transport-ws');
    await once(socket, 'open');
    socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: 'Bearer key-one' } }));
    await once(socket, 'ping');
    socket.close(1000);
    await once(socket, 'close');
  });
});

describe('same validation and error masking as HTTP', () => {
  let stack: Stack;
  let client: Client;
  beforeAll(async () => {
    stack = await startStatusStack({ env: { NODE_ENV: 'production' } });
    client = wsClient(stack.gateway.url);
  });
  afterAll(async () => {
    await client?.dispose();
    await stack?.close();
  });

  /** The errors of one operation over WS (an `error` message or a result with errors). */
  async function wsErrors(query: string, variables: Record<string, unknown> = {}): Promise<Json[]> {
    const feed = new Feed(client, query, variables);
    try {
      return ((await feed.next()).errors ?? []) as unknown as Json[];
    } catch {
      return (feed.failure ?? []) as Json[];
    }
  }

  const codes = (errors: Json[] | undefined) => (errors ?? []).map((e) => (e.extensions as Json | undefined)?.code);

  it('rejects what HTTP rejects, with the same codes', async () => {
    const cases: [string, Record<string, unknown>][] = [
      ['{ processing(id: "x") { nope } }', {}],
      ['subscription { processingUpdated { id } }', {}],
      ['query ($id: ID!) { processing(id: $id) { id } }', {}], // missing variable
      ['{ processing(id: "x") { id }', {}], // syntax
    ];
    for (const [query, variables] of cases) {
      const http = await stack.gql(query, variables);
      const ws = await wsErrors(query, variables);
      expect(ws.length, query).toBeGreaterThan(0);
      expect(codes(ws), query).toEqual(codes(http.errors as unknown as Json[]));
    }
  });

  it('refuses introspection in production, with the same errors as HTTP', async () => {
    const query = '{ __schema { types { name } } }';
    const ws = await wsErrors(query);
    expect(codes(ws)).toEqual(['GRAPHQL_VALIDATION_FAILED', 'GRAPHQL_VALIDATION_FAILED']);
    const http = await stack.gql(query);
    expect(http.errors?.map((e) => [e.message, e.extensions?.code])).toEqual(ws.map((e) => [e.message, (e.extensions as Json).code]));
    expect(http.status).toBe(400);
  });

  it('maps vendor failures the same way on both paths', async () => {
    stack.sims.mapflow.faults.set({ errorRate: 1, errorStatuses: [503], route: 'GET /processings/{id}/v2' });
    try {
      const query = '{ processing(id: "p-1") { id } }';
      const http = await stack.gql(query);
      const ws = await once1(client, query);
      expect(ws.errors).toEqual(http.errors);
      expect(ws.errors?.[0].extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', source: 'MAPFLOW', upstreamStatus: 503 });
    } finally {
      stack.sims.mapflow.faults.set(null);
    }
  });
});

describe('shutdown', () => {
  it('closes every socket with 1001 and stops the watchers', async () => {
    const stack = await startStatusStack();
    const id = (await createProcessing(stack)).id as string;
    const client = wsClient(stack.gateway.url);
    const closed = closeOf(client);
    const feed = new Feed(client, 'subscription ($id: ID!) { processingUpdated(id: $id) { id } }', { id });
    await feed.next();
    expect(stack.gateway.status.health().watchers).toBe(1);
    await stack.close();
    expect(await closed).toMatchObject({ code: 1001 });
    expect(stack.gateway.status.health().watchers).toBe(0);
    await client.dispose();
  });

  it('drains on SIGTERM: the process closes its sockets with 1001 and exits 0', async () => {
    // Embedded simulators, in memory: nothing from the developer's environment (REDIS_URL, *_URL) reaches it.
    const gateway = await spawnGateway({ LOG_LEVEL: 'info', SIM_TIME_SCALE: '0' });
    try {
      const client = wsClient(gateway.url);
      const closed = closeOf(client);
      // The subscription goes first: a lazy client closes its socket (1000) whenever no operation is active.
      const sub = new Feed(client, 'subscription { pointcloudUpdated(id: "5331") { id state } }');
      expect(field<Json>(await sub.next(), 'pointcloudUpdated')).toEqual({ id: '5331', state: 'RUNNING' });
      const feed = new Feed(client, '{ __typename }');
      expect((await feed.next()).data).toEqual({ __typename: 'Query' });
      const exited = gateway.stop('SIGTERM');
      expect(await closed).toMatchObject({ code: 1001 });
      expect(await exited).toBe(0);
      await client.dispose();
    } finally {
      await gateway.stop('SIGKILL');
    }
  }, 60_000);
});
