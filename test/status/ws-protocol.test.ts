import { once } from 'node:events';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import type { Client } from 'graphql-ws';
import WebSocket from 'ws';
import { describe, expect } from 'vitest';
import { StatusPointcloudStateDocument, StatusProcessingByIdDocument, StatusProcessingIdDocument, StatusTwoProcessingsDocument, StatusTypenameDocument } from '../generated/graphql.js';
import { spawnGateway } from './gateway-process.helpers.js';
import { closeOf, Feed, field, startStatusStack, test, wsClient } from './status.helpers.js';
import { createProcessing, MAPFLOW } from './vendors.helpers.js';

/** Runs one operation over WebSocket and returns its single result. */
async function once1<R, V extends Record<string, unknown>>(client: Client, doc: TypedDocumentNode<R, V>, variables?: V) {
  const feed = new Feed(client, doc, variables);
  const r = await feed.next();
  return r;
}

// Short enough for the ping test to see a ping soon, long enough that a client on a loaded
// machine always answers the previous ping in time (a missed pong drops the socket: 1006).
const keyed = test.extend('stackOptions', { scope: 'file' }, { env: { GATEWAY_API_KEYS: 'key-one, key-two', WS_KEEPALIVE_MS: '1000' } });
const production = test.extend('stackOptions', { scope: 'file' }, { env: { NODE_ENV: 'production' } });

describe('connection', () => {
  keyed('refuses a connection without the gateway key or with a wrong one (both 4401, the key not echoed)', async ({ connect }) => {
    const none = connect();
    const closedNone = closeOf(none);
    const f1 = new Feed(none, StatusTypenameDocument);
    expect(await closedNone).toMatchObject({ code: 4401 });
    await expect(f1.next()).rejects.toThrow(/4401/);

    const wrong = connect({ authorization: 'Bearer key-three' });
    const closedWrong = closeOf(wrong);
    void new Feed(wrong, StatusTypenameDocument).done().catch(() => {});
    const wrongClose = await closedWrong;
    expect(wrongClose).toMatchObject({ code: 4401, reason: 'Unauthorized: send connectionParams.authorization "Bearer <key>"' });
    expect(wrongClose.reason).not.toContain('key-three');
  });

  keyed('accepts a valid key and takes vendor credentials from connectionParams, per connection', async ({ stack, connect }) => {
    const alphaId = (await createProcessing(stack)).id;
    const betaId = (await createProcessing(stack, { token: MAPFLOW.beta.token })).id;
    const asAlpha = connect({ authorization: 'Bearer key-two' });
    const asBeta = connect({ authorization: 'Bearer key-one', 'x-mapflow-token': MAPFLOW.beta.token });
    expect((await once1(asAlpha, StatusTwoProcessingsDocument, { a: alphaId, b: betaId })).data).toEqual({ a: { id: alphaId }, b: null });
    expect((await once1(asBeta, StatusTwoProcessingsDocument, { a: alphaId, b: betaId })).data).toEqual({ a: null, b: { id: betaId } });
  });

  // The protocol's own messages, byte for byte: no GraphQL operation.
  keyed('sends keep-alive pings', async ({ stack }) => {
    const socket = new WebSocket(stack.gateway.url.replace(/^http/, 'ws'), 'graphql-transport-ws');
    await once(socket, 'open');
    socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: 'Bearer key-one' } }));
    await once(socket, 'ping');
    socket.close(1000);
    await once(socket, 'close');
  });
});

describe('same validation and error masking as HTTP', () => {
  type Errors = readonly { message: string; extensions?: Record<string, unknown> }[];

  /**
   * The errors of one operation over WS (an `error` message or a result with errors). Raw query
   * text: the documents of these tests are invalid, or introspection that production refuses.
   */
  async function wsErrors(client: Client, query: string, variables: Record<string, unknown> = {}): Promise<Errors> {
    const feed = new Feed(client, query, variables);
    try {
      return (await feed.next()).errors ?? [];
    } catch {
      return (feed.failure ?? []) as Errors;
    }
  }

  const codes = (errors: Errors | undefined) => (errors ?? []).map((e) => e.extensions?.code);

  production('rejects what HTTP rejects, with the same codes', async ({ stack, client }) => {
    const cases: [string, Record<string, unknown>][] = [
      ['{ processing(id: "x") { nope } }', {}],
      ['subscription { processingUpdated { id } }', {}],
      ['query ($id: ID!) { processing(id: $id) { id } }', {}], // missing variable
      ['{ processing(id: "x") { id }', {}], // syntax
    ];
    for (const [query, variables] of cases) {
      const http = await stack.gql(query, variables);
      const ws = await wsErrors(client, query, variables);
      expect(ws.length, query).toBeGreaterThan(0);
      expect(codes(ws), query).toEqual(codes(http.errors));
    }
  });

  production('refuses introspection in production, with the same errors as HTTP', async ({ stack, client }) => {
    const query = '{ __schema { types { name } } }';
    const ws = await wsErrors(client, query);
    expect(codes(ws)).toEqual(['GRAPHQL_VALIDATION_FAILED', 'GRAPHQL_VALIDATION_FAILED']);
    const http = await stack.gql(query);
    expect(http.errors?.map((e) => [e.message, e.extensions?.code])).toEqual(ws.map((e) => [e.message, e.extensions?.code]));
    expect(http.status).toBe(400);
  });

  production('maps vendor failures the same way on both paths', async ({ stack, client }) => {
    stack.sims.mapflow.faults.set({ errorRate: 1, errorStatuses: [503], route: 'GET /processings/{id}/v2' });
    try {
      const http = await stack.op(StatusProcessingByIdDocument, { id: 'p-1' });
      const ws = await once1(client, StatusProcessingByIdDocument, { id: 'p-1' });
      expect(ws.errors).toEqual(http.errors);
      expect(ws.errors?.[0].extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', source: 'MAPFLOW', upstreamStatus: 503 });
    } finally {
      stack.sims.mapflow.faults.set(null);
    }
  });
});

describe('shutdown', () => {
  // Each test stops a gateway of its own.
  test('closes every socket with 1001 and stops the watchers', async () => {
    const stack = await startStatusStack();
    const id = (await createProcessing(stack)).id;
    const client = wsClient(stack.gateway.url);
    const closed = closeOf(client);
    const feed = new Feed(client, StatusProcessingIdDocument, { id });
    await feed.next();
    expect(stack.gateway.status.health().watchers).toBe(1);
    await stack.close();
    expect(await closed).toMatchObject({ code: 1001 });
    expect(stack.gateway.status.health().watchers).toBe(0);
    await client.dispose();
  });

  test('drains on SIGTERM: the process closes its sockets with 1001 and exits 0', { timeout: 60_000 }, async () => {
    // Embedded simulators, in memory: nothing from the developer's environment (REDIS_URL, *_URL) reaches it.
    const gateway = await spawnGateway({ LOG_LEVEL: 'info', SIM_TIME_SCALE: '0' });
    try {
      const client = wsClient(gateway.url);
      const closed = closeOf(client);
      // The subscription goes first: a lazy client closes its socket (1000) whenever no operation is active.
      const sub = new Feed(client, StatusPointcloudStateDocument, { id: '5331' });
      expect(field(await sub.next(), 'pointcloudUpdated')).toEqual({ id: '5331', state: 'RUNNING' });
      const feed = new Feed(client, StatusTypenameDocument);
      expect((await feed.next()).data).toEqual({ __typename: 'Query' });
      const exited = gateway.stop('SIGTERM');
      expect(await closed).toMatchObject({ code: 1001 });
      expect(await exited).toBe(0);
      await client.dispose();
    } finally {
      await gateway.stop('SIGKILL');
    }
  });
});
