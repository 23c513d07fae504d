import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { startGateway, type Gateway } from '../../src/app.js';
import { TEST_ENV } from './gateway.helpers.js';

/**
 * The lists the gateway reads whole from Cupix (`pointclouds(filter: {kind})`, `children`) over a
 * list of 250: 3 pages of 100. The simulator seeds a few dozen point clouds and has no create
 * endpoint, so a minimal Cupix stand-in serves the list here, in the documented envelope, items
 * cloned from the documented example. The gateways under test are the real ones, over real HTTP:
 * one with FILTER_MAX_PAGES=3 (the list fits), one with 2 (it does not).
 */

type Item = { id: string; type: string; attributes: Record<string, unknown> };
const example = JSON.parse(readFileSync(new URL('../fixtures/vendor-docs/cupix/pointcloud-list.json', import.meta.url), 'utf8')) as {
  result: { data: Item[] };
};
const [SUB, GROUP] = example.result.data;
const GROUP_ID = 9000;
/** One group and its 249 subs. */
const ITEMS: Item[] = Array.from({ length: 250 }, (_, i) => {
  const id = GROUP_ID + i;
  const t = i === 0 ? GROUP : SUB;
  return { ...t, id: String(id), attributes: { ...t.attributes, id, name: i === 0 ? 'Big cluster' : `${id}.cpc`, parent: { id: i === 0 ? null : GROUP_ID } } };
});
const SUB_IDS = ITEMS.slice(1).map((p) => p.id);

const requests: string[] = [];
let server: Server;
let origin: string;

function route(url: URL): { status: number; json: unknown } {
  const one = /^\/api\/v1\/pointclouds\/(\d+)$/.exec(url.pathname);
  if (one) {
    const item = ITEMS.find((p) => p.id === one[1]);
    return item ? { status: 200, json: { result: { data: item } } } : { status: 404, json: { error: { message: 'Not found' } } };
  }
  if (url.pathname !== '/api/v1/pointclouds') return { status: 404, json: { error: { message: 'Not found' } } };
  const q = url.searchParams;
  const page = Number(q.get('page') ?? 1);
  const per = Number(q.get('per_page') ?? 30);
  const parent = q.get('parent_id');
  const list = parent ? ITEMS.filter((p) => String((p.attributes.parent as { id: number | null }).id) === parent) : ITEMS;
  const pages = Math.ceil(list.length / per);
  return {
    status: 200,
    json: {
      result: {
        data: list.slice((page - 1) * per, page * per),
        pagination: { total_entries: list.length, total_pages: pages, per_page: per, current_page: page, previous_page: page > 1 ? page - 1 : null, next_page: page < pages ? page + 1 : null },
      },
    },
  };
}

const gateway = (maxPages: number) =>
  startGateway({
    env: {
      ...TEST_ENV,
      CUPIX_URL: `${origin}/api/v1`,
      CUPIX_TOKEN: 'stand-in',
      // Never called here; set so that no simulator starts.
      MAPFLOW_URL: `${origin}/rest`,
      FLAI_URL: origin,
      FILTER_MAX_PAGES: String(maxPages),
    },
  });

let fits: Gateway;
let tooSmall: Gateway;
beforeAll(async () => {
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://stand-in');
    // What identifies a call here: the path, and for lists the page and the parent filter.
    const q = url.searchParams;
    requests.push(q.has('page') ? `${url.pathname}?page=${q.get('page')}${q.has('parent_id') ? `&parent_id=${q.get('parent_id')}` : ''}` : url.pathname);
    const r = route(url);
    res.writeHead(r.status, { 'content-type': 'application/json' }).end(JSON.stringify(r.json));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  [fits, tooSmall] = await Promise.all([gateway(3), gateway(2)]);
});
afterAll(async () => {
  await Promise.all([fits?.close(), tooSmall?.close()]);
  await new Promise<void>((resolve) => server.close(() => resolve()));
});
beforeEach(() => {
  requests.length = 0;
});

async function gql(g: Gateway, query: string): Promise<{ data?: unknown; errors?: { message: string; path: unknown[]; extensions: Record<string, unknown> }[] }> {
  const res = await fetch(g.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
  return (await res.json()) as never;
}

const LIST = '/api/v1/pointclouds';

describe('within FILTER_MAX_PAGES', () => {
  test('pointclouds(filter: {kind}) reads the 3 pages and pages the filtered list', async () => {
    const after = Buffer.from('o:4').toString('base64url'); // the cursor of the 5th item
    const r = await gql(fits, `{ pointclouds(filter: { kind: SUB }, first: 5, after: "${after}") { totalCount pageInfo { hasNextPage } nodes { id kind } } }`);
    expect(r.errors).toBeUndefined();
    expect(r.data).toEqual({ pointclouds: { totalCount: 249, pageInfo: { hasNextPage: true }, nodes: SUB_IDS.slice(5, 10).map((id) => ({ id, kind: 'SUB' })) } });
    expect(requests.sort()).toEqual([`${LIST}?page=1`, `${LIST}?page=2`, `${LIST}?page=3`]);
  });

  test('children of a group with 249 subs: 3 pages', async () => {
    const r = await gql(fits, `{ pointcloud(id: "${GROUP_ID}") { name children { id } } }`);
    expect(r.errors).toBeUndefined();
    expect(r.data).toEqual({ pointcloud: { name: 'Big cluster', children: SUB_IDS.map((id) => ({ id })) } });
    expect(requests.sort()).toEqual([`${LIST}/${GROUP_ID}`, ...[1, 2, 3].map((p) => `${LIST}?page=${p}&parent_id=${GROUP_ID}`)]);
  });
});

describe('past FILTER_MAX_PAGES', () => {
  test('pointclouds(filter: {kind}) is BAD_USER_INPUT naming FILTER_MAX_PAGES, after one page', async () => {
    const r = await gql(tooSmall, '{ pointclouds(filter: { kind: SUB }, first: 5) { totalCount nodes { id } } }');
    expect(r.data).toEqual({ pointclouds: null });
    expect(r.errors).toMatchObject([
      {
        message:
          'pointclouds(filter: {kind}) reads at most FILTER_MAX_PAGES=2 pages of 100 from Cupix, and this list has 3 (250 items): narrow it with recordId, clusterId, captureId or parentId, or raise FILTER_MAX_PAGES',
        path: ['pointclouds'],
        extensions: { code: 'BAD_USER_INPUT', source: 'CUPIX', maxPages: 2, pages: 3, field: ['filter', 'kind'] },
      },
    ]);
    expect(requests).toEqual([`${LIST}?page=1`]);
  });

  test('children fail alone: the group itself still arrives', async () => {
    const r = await gql(tooSmall, `{ pointcloud(id: "${GROUP_ID}") { name children { id } } }`);
    expect(r.data).toEqual({ pointcloud: { name: 'Big cluster', children: null } });
    expect(r.errors).toMatchObject([
      {
        message:
          'Pointcloud.children reads at most FILTER_MAX_PAGES=2 pages of 100 from Cupix, and this list has 3 (249 items): list them with pointclouds(filter: {parentId}) instead, or raise FILTER_MAX_PAGES',
        path: ['pointcloud', 'children'],
        extensions: { code: 'BAD_USER_INPUT', source: 'CUPIX', maxPages: 2, pages: 3 },
      },
    ]);
    expect(requests.sort()).toEqual([`${LIST}/${GROUP_ID}`, `${LIST}?page=1&parent_id=${GROUP_ID}`]);
  });
});
