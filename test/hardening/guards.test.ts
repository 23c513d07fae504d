import { once } from 'node:events';
import WebSocket from 'ws';
import { describe, expect } from 'vitest';
import { HardeningProcessingIdDocument } from '../generated/graphql.js';
import { IDS, test, wsOnce } from './hardening.helpers.js';

/**
 * CSRF prevention, introspection and suggestions by config, HTTP batching, the WS Origin allowlist.
 * Raw query text: these tests are about the requests themselves (a form post, a GET, a batch) and
 * about documents the gateway refuses or corrects (introspection, typos).
 */
const PROCESSING = `{ processing(id: "${IDS.processing}") { id } }`;
const TYPO = `{ procesing(id: "${IDS.processing}") { id } }`;
const INTROSPECTION = '{ __schema { queryType { name } } }';

/** Production defaults: a rig of its own. */
const production = test.extend('rigOptions', { scope: 'file' }, { env: { NODE_ENV: 'production' } });
/** Everything switched by config: a rig of its own. */
const switched = test.extend('rigOptions', { scope: 'file' }, {
  env: {
    NODE_ENV: 'production',
    GRAPHQL_INTROSPECTION: 'true',
    GRAPHQL_FIELD_SUGGESTIONS: 'true',
    GRAPHQL_BATCHING: 'true',
    GRAPHQL_MAX_BATCH_SIZE: '2',
    WS_ALLOWED_ORIGINS: 'https://app.example.com, https://admin.example.com',
  },
});

describe('defaults outside production (NODE_ENV=test)', () => {
  test('CSRF prevention is on: a simple (CORS-safelisted) request is refused before any vendor call', async ({ rig }) => {
    rig.resetCounts();
    const form = await fetch(rig.gateway.url, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ query: PROCESSING }) });
    expect(form.status).toBe(400);
    expect(await form.text()).toMatch(/cross-site request forgery/i);
    const get = await fetch(`${rig.gateway.url}?query=${encodeURIComponent(PROCESSING)}`);
    expect(get.status).toBe(400);
    expect(rig.calls()).toBe(0);
    const preflighted = await fetch(`${rig.gateway.url}?query=${encodeURIComponent(PROCESSING)}`, { headers: { 'apollo-require-preflight': 'true' } });
    expect(preflighted.status).toBe(200);
    expect(rig.calls()).toBe(1);
  });

  test('introspection and field suggestions are on', async ({ rig }) => {
    expect((await rig.gql(INTROSPECTION)).data).toEqual({ __schema: { queryType: { name: 'Query' } } });
    expect((await wsOnce(rig.gateway.url, INTROSPECTION)).data).toEqual({ __schema: { queryType: { name: 'Query' } } });
    expect((await rig.gql(TYPO)).errors?.[0].message).toBe('Cannot query field "procesing" on type "Query". Did you mean "processing" or "processings"?');
  });

  test('HTTP batching is off unless configured', async ({ rig }) => {
    rig.resetCounts();
    const res = await fetch(rig.gateway.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify([{ query: PROCESSING }, { query: PROCESSING }]) });
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(/batching/i);
    expect(rig.calls()).toBe(0);
  });

  test('any Origin may open a WebSocket when WS_ALLOWED_ORIGINS is not set', async ({ rig }) => {
    const ws = new WebSocket(rig.gateway.url.replace(/^http/, 'ws'), 'graphql-transport-ws', { origin: 'https://anywhere.example' });
    await once(ws, 'open');
    ws.close();
  });
});

describe('production defaults (NODE_ENV=production)', () => {
  production('no introspection, over HTTP and WS', async ({ rig }) => {
    const http = await rig.gql(INTROSPECTION);
    expect(http.errors?.[0]).toMatchObject({ extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } });
    expect(http.errors?.[0].message).toMatch(/introspection/i);
    const ws = await wsOnce(rig.gateway.url, INTROSPECTION);
    expect(ws.errors?.[0]).toMatchObject({ extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } });
  });

  production('no field suggestions, over HTTP and WS, for fields, arguments and enum values', async ({ rig }) => {
    const field = await rig.gql(TYPO);
    expect(field.errors?.[0].message).toBe('Cannot query field "procesing" on type "Query".');
    expect((await wsOnce(rig.gateway.url, TYPO)).errors?.[0].message).toBe('Cannot query field "procesing" on type "Query".');
    const enumValue = await rig.gql('{ processings(status: [OKAY]) { totalCount } }');
    expect(enumValue.errors?.[0].message).not.toMatch(/did you mean/i);
    expect(enumValue.errors?.[0].message).toMatch(/OKAY/);
  });
});

describe('switched by config', () => {
  switched('GRAPHQL_INTROSPECTION and GRAPHQL_FIELD_SUGGESTIONS turn them back on in production', async ({ rig }) => {
    expect((await rig.gql(INTROSPECTION)).data).toEqual({ __schema: { queryType: { name: 'Query' } } });
    expect((await wsOnce(rig.gateway.url, INTROSPECTION)).data).toEqual({ __schema: { queryType: { name: 'Query' } } });
    expect((await rig.gql(TYPO)).errors?.[0].message).toMatch(/Did you mean "processing"/);
  });

  switched('GRAPHQL_BATCHING: a batch runs, up to GRAPHQL_MAX_BATCH_SIZE operations', async ({ rig }) => {
    const post = (ops: number) =>
      fetch(rig.gateway.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(Array.from({ length: ops }, () => ({ query: PROCESSING }))) });
    const two = await post(2);
    expect(two.status).toBe(200);
    expect(await two.json()).toEqual([{ data: { processing: { id: IDS.processing } } }, { data: { processing: { id: IDS.processing } } }]);
    rig.resetCounts();
    const three = await post(3);
    expect(three.status).toBe(400);
    expect(await three.text()).toMatch(/at most 2 operations/);
    expect(rig.calls()).toBe(0);
  });

  switched('WS_ALLOWED_ORIGINS: an upgrade from another Origin is refused (403); a listed one and a non-browser client (no Origin) connect', async ({ rig }) => {
    const url = rig.gateway.url.replace(/^http/, 'ws');
    const evil = new WebSocket(url, 'graphql-transport-ws', { origin: 'https://evil.example.com' });
    evil.on('error', () => {}); // the refused upgrade
    const [, res] = (await once(evil, 'unexpected-response')) as [unknown, { statusCode: number }];
    expect(res.statusCode).toBe(403);
    evil.terminate();
    for (const origin of ['https://admin.example.com', undefined]) {
      const ok = new WebSocket(url, 'graphql-transport-ws', origin ? { origin } : {});
      await once(ok, 'open');
      ok.close();
    }
    expect((await wsOnce(rig.gateway.url, HardeningProcessingIdDocument, { id: IDS.processing })).data).toEqual({ processing: { id: IDS.processing } });
  });
});
