import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test as base, describe, expect } from 'vitest';
import { startGateway } from '../../src/app.js';
import { CupixFirstSubsDocument, CupixNameChildrenDocument, CupixSubsWindowDocument } from '../generated/graphql.js';
import { opAt } from '../helpers/stack.helpers.js';
import { TEST_ENV } from './gateway.helpers.js';

/**
 * The lists the gateway reads whole from Cupix (`pointclouds(filter: {kind})`, `children`) over a
 * list of 250: 3 pages of 100. The simulator seeds a few dozen point clouds and has no create
 * endpoint, so a minimal Cupix stand-in serves the list here, in the documented envelope, items
 * cloned from the documented example. The gateways under test are the real ones, over real HTTP:
 * one with FILTER_MAX_PAGES=3 (the list fits), one with 2 (it does not).
 */

/** A pointcloud of Cupix's list, in its documented envelope. */
interface Item {
  id: string;
  type: string;
  attributes: { parent: { id: number | null } } & Record<string, unknown>;
}
/** The documented list example (test/fixtures/vendor-docs/cupix). */
interface ListExample {
  result: { data: Item[] };
}
const example = JSON.parse(readFileSync(new URL('../fixtures/vendor-docs/cupix/pointcloud-list.json', import.meta.url), 'utf8')) as ListExample;
const [SUB, GROUP] = example.result.data;
const GROUP_ID = 9000;
/** One group and its 249 subs. */
const ITEMS: Item[] = Array.from({ length: 250 }, (_, i) => {
  const id = GROUP_ID + i;
  const t = i === 0 ? GROUP : SUB;
  return { ...t, id: String(id), attributes: { ...t.attributes, id, name: i === 0 ? 'Big cluster' : `${id}.cpc`, parent: { id: i === 0 ? null : GROUP_ID } } };
});
const SUB_IDS = ITEMS.slice(1).map((p) => p.id);

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
  const list = parent ? ITEMS.filter((p) => String(p.attributes.parent.id) === parent) : ITEMS;
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

const gateway = (origin: string, maxPages: number) =>
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

/** The stand-in Cupix and the calls it was sent since the test began. */
interface StandIn {
  origin: string;
  requests: string[];
}

/**
 * `standIn`: the Cupix stand-in, one per file; `fits` and `tooSmall`: the GraphQL URLs of the two
 * gateways in front of it (FILTER_MAX_PAGES 3 and 2).
 */
const test = base
  // eslint-disable-next-line no-empty-pattern -- vitest reads a fixture's dependencies from its destructuring: none here
  .extend('standIn', { scope: 'file' }, async ({}, { onCleanup }) => {
    const requests: string[] = [];
    const server: Server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://stand-in');
      // What identifies a call here: the path, and for lists the page and the parent filter.
      const q = url.searchParams;
      requests.push(q.has('page') ? `${url.pathname}?page=${q.get('page')}${q.has('parent_id') ? `&parent_id=${q.get('parent_id')}` : ''}` : url.pathname);
      const r = route(url);
      res.writeHead(r.status, { 'content-type': 'application/json' }).end(JSON.stringify(r.json));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    onCleanup(() => new Promise<void>((resolve) => server.close(() => resolve())));
    return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests } satisfies StandIn;
  })
  .extend('fits', { scope: 'file' }, async ({ standIn }, { onCleanup }) => {
    const g = await gateway(standIn.origin, 3);
    onCleanup(() => g.close());
    return g.url;
  })
  .extend('tooSmall', { scope: 'file' }, async ({ standIn }, { onCleanup }) => {
    const g = await gateway(standIn.origin, 2);
    onCleanup(() => g.close());
    return g.url;
  });

test.beforeEach(({ standIn }) => {
  standIn.requests.length = 0;
});

const LIST = '/api/v1/pointclouds';

describe('within FILTER_MAX_PAGES', () => {
  test('pointclouds(filter: {kind}) reads the 3 pages and pages the filtered list', async ({ fits, standIn: { requests } }) => {
    const after = Buffer.from('o:4').toString('base64url'); // the cursor of the 5th item
    const r = await opAt(fits, CupixSubsWindowDocument, { after });
    expect(r.errors).toBeUndefined();
    expect(r.data).toEqual({ pointclouds: { totalCount: 249, pageInfo: { hasNextPage: true }, nodes: SUB_IDS.slice(5, 10).map((id) => ({ id, kind: 'SUB' })) } });
    expect(requests.sort()).toEqual([`${LIST}?page=1`, `${LIST}?page=2`, `${LIST}?page=3`]);
  });

  test('children of a group with 249 subs: 3 pages', async ({ fits, standIn: { requests } }) => {
    const r = await opAt(fits, CupixNameChildrenDocument, { id: String(GROUP_ID) });
    expect(r.errors).toBeUndefined();
    expect(r.data).toEqual({ pointcloud: { name: 'Big cluster', children: SUB_IDS.map((id) => ({ id })) } });
    expect(requests.sort()).toEqual([`${LIST}/${GROUP_ID}`, ...[1, 2, 3].map((p) => `${LIST}?page=${p}&parent_id=${GROUP_ID}`)]);
  });
});

describe('past FILTER_MAX_PAGES', () => {
  test('pointclouds(filter: {kind}) is BAD_USER_INPUT naming FILTER_MAX_PAGES, after one page', async ({ tooSmall, standIn: { requests } }) => {
    const r = await opAt(tooSmall, CupixFirstSubsDocument);
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

  test('children fail alone: the group itself still arrives', async ({ tooSmall, standIn: { requests } }) => {
    const r = await opAt(tooSmall, CupixNameChildrenDocument, { id: String(GROUP_ID) });
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
