import { expect } from 'vitest';
import { MapflowProjectAllAndFailedDocument, MapflowProjectFailedPageDocument, MapflowProjectWindowDocument, type MapflowProjectFailedPageQuery } from '../generated/graphql.js';
import { opAt, test as stackTest, type GqlResponse } from '../helpers/stack.helpers.js';
import { startAnotherGateway } from './gateway.helpers.js';
import { square, vendor } from './mapflow.helpers.js';

/**
 * `Project.processings(status:)` over a project larger than one vendor page: the gateway reads every
 * page (first one, then the rest in parallel) and filters them; 250 processings are 3 pages, within
 * FILTER_MAX_PAGES (3 here). A second gateway on the same simulators, with FILTER_MAX_PAGES=2, refuses.
 */

const COUNT = 250;

/** `projectId`: the big project, made once per file at the simulator (not through the gateway). */
const test = stackTest.extend('projectId', { scope: 'file' }, async ({ stack }) => {
  const projectId = (await vendor<{ id: string }>(stack, 'POST', '/projects', { name: 'Big project' })).id;
  for (let i = 0; i < COUNT; i++) {
    const zoom = i % 3 === 0 ? 21 : 18; // every third one fails its source check
    await vendor(stack, 'POST', '/processings/v2', {
      projectId,
      name: `cell ${i}`,
      wdId: '30ddfd15-04aa-47f6-9ceb-68ce709fd710',
      geometry: square(30 + (i % 50) * 0.01, 50 + Math.floor(i / 50) * 0.01, 0.002),
      params: { sourceParams: { dataProvider: { providerName: 'Mapbox', zoom } } },
    });
  }
  stack.sims.mapflow.clock.advance(5_000);
  return projectId;
});
test.override('stackOptions', { env: { FILTER_MAX_PAGES: '3' } });

test('filters the whole list, with totalCount and cursors of the filtered list', async ({ stack, projectId }) => {
  const read = await vendor<{ total: number; results: { id: string; status: string }[] }>(stack, 'POST', `/projects/${projectId}/processings/v2/page`, {
    limit: COUNT,
    offset: 0,
    sortBy: 'CREATED',
    sortOrder: 'DESC',
  });
  expect(read.total).toBe(COUNT);
  expect(read.results).toHaveLength(COUNT);
  const failed = read.results.filter((p) => p.status === 'FAILED').map((p) => p.id);
  expect(failed.length).toBeGreaterThan(50);
  stack.resetCounts();

  const seen: string[] = [];
  let after: string | null = null;
  let queries = 0;
  for (;;) {
    const r: GqlResponse<MapflowProjectFailedPageQuery> = await stack.op(MapflowProjectFailedPageDocument, { p: projectId, after });
    expect(r.errors).toBeUndefined();
    const conn = r.data?.project?.processings;
    expect(conn?.totalCount).toBe(failed.length);
    expect(conn?.nodes.every((n) => n.status === 'FAILED')).toBe(true);
    seen.push(...(conn?.nodes.map((n) => n.id) ?? []));
    queries++;
    if (!conn?.pageInfo.hasNextPage) break;
    after = conn.pageInfo.endCursor;
  }
  expect(seen).toEqual(failed);
  // Per query: the project, and exactly 3 pages of 100.
  expect(stack.callsTo('mapflow', 'POST /projects/{id}/processings/v2/page')).toBe(3 * queries);
  expect(stack.calls('mapflow')).toBe(4 * queries);
});

test('refuses a list longer than FILTER_MAX_PAGES with BAD_USER_INPUT naming it, instead of cutting it', async ({ stack, projectId }) => {
  const small = await startAnotherGateway(stack, { FILTER_MAX_PAGES: '2' });
  try {
    stack.resetCounts();
    const r = await opAt(small.url, MapflowProjectAllAndFailedDocument, { p: projectId });
    // Only the filtered field fails; the rest of the project arrives.
    expect(r.data).toEqual({ project: { name: 'Big project', all: { totalCount: COUNT }, failed: null } });
    expect(r.errors).toEqual([
      {
        message:
          'processings(status:) reads at most FILTER_MAX_PAGES=2 pages of 100 from Mapflow, and this list has 3 (250 items): page through it without status, or raise FILTER_MAX_PAGES',
        path: ['project', 'failed'],
        locations: [expect.anything()],
        extensions: { code: 'BAD_USER_INPUT', source: 'MAPFLOW', maxPages: 2, pages: 3, field: ['status'] },
      },
    ]);
    // The project, the unfiltered page, and the first page of the scan (it tells the length): no page past it.
    expect(stack.sims.mapflow.stats.snapshot().byRoute).toEqual({ 'GET /projects/{id}': 1, 'POST /projects/{id}/processings/v2/page': 2 });
  } finally {
    await small.close();
  }
});

test('pages directly with limit/offset when there is no status filter', async ({ stack, projectId }) => {
  const oracle = await vendor<{ results: { id: string }[] }>(stack, 'POST', `/projects/${projectId}/processings/v2/page`, {
    limit: 30,
    offset: 120,
    sortBy: 'CREATED',
    sortOrder: 'DESC',
  });
  stack.resetCounts();
  const cursor = Buffer.from('o:119').toString('base64url'); // the cursor of the 120th item
  const r = await stack.op(MapflowProjectWindowDocument, { p: projectId, after: cursor });
  expect(r.data).toEqual({
    project: { processings: { totalCount: COUNT, pageInfo: { hasNextPage: true, hasPreviousPage: true }, nodes: oracle.results.map((p) => ({ id: p.id })) } },
  });
  expect(stack.calls('mapflow')).toBe(2);
});
