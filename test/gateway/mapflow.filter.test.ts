import { afterAll, beforeAll, expect, it } from 'vitest';
import { startStack, type GqlResponse, type Stack } from '../helpers/stack.js';
import { square, vendor } from './mapflow.helpers.js';

/**
 * `Project.processings(status:)` over a project larger than one vendor page: the gateway reads the
 * pages (first one, then the rest in parallel) up to FILTER_MAX_PAGES (2 here) and filters them.
 */

let stack: Stack;
let projectId: string;
const COUNT = 250;

beforeAll(async () => {
  stack = await startStack({ env: { FILTER_MAX_PAGES: '2' } });
  projectId = (await vendor<{ id: string }>(stack, 'POST', '/projects', { name: 'Big project' })).id;
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
});
afterAll(() => stack?.close());

it('filters the first FILTER_MAX_PAGES pages, with totalCount and cursors of the filtered list', async () => {
  const read = await vendor<{ total: number; results: { id: string; status: string }[] }>(stack, 'POST', `/projects/${projectId}/processings/v2/page`, {
    limit: 200,
    offset: 0,
    sortBy: 'CREATED',
    sortOrder: 'DESC',
  });
  expect(read.total).toBe(COUNT);
  const failed = read.results.filter((p) => p.status === 'FAILED').map((p) => p.id);
  expect(failed.length).toBeGreaterThan(50);
  stack.resetCounts();

  const q = `query($p: ID!, $after: String) { project(id: $p) { processings(first: 40, after: $after, status: [FAILED]) {
    totalCount pageInfo { hasNextPage endCursor } nodes { id status } } } }`;
  const seen: string[] = [];
  let after: string | null = null;
  let queries = 0;
  for (;;) {
    type Page = { project: { processings: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string }; nodes: { id: string; status: string }[] } } };
    const r: GqlResponse<Page> = await stack.gql<Page>(q, { p: projectId, after });
    expect(r.errors).toBeUndefined();
    const conn: Page['project']['processings'] | undefined = r.data?.project.processings;
    expect(conn?.totalCount).toBe(failed.length);
    expect(conn?.nodes.every((n) => n.status === 'FAILED')).toBe(true);
    seen.push(...(conn?.nodes.map((n) => n.id) ?? []));
    queries++;
    if (!conn?.pageInfo.hasNextPage) break;
    after = conn.pageInfo.endCursor;
  }
  expect(seen).toEqual(failed);
  // Per query: the project, and exactly 2 pages of 100 (the third is past FILTER_MAX_PAGES).
  expect(stack.callsTo('mapflow', 'POST /projects/{id}/processings/v2/page')).toBe(2 * queries);
  expect(stack.calls('mapflow')).toBe(3 * queries);
});

it('pages directly with limit/offset when there is no status filter', async () => {
  const oracle = await vendor<{ results: { id: string }[] }>(stack, 'POST', `/projects/${projectId}/processings/v2/page`, {
    limit: 30,
    offset: 120,
    sortBy: 'CREATED',
    sortOrder: 'DESC',
  });
  stack.resetCounts();
  const cursor = Buffer.from('o:119').toString('base64url'); // the cursor of the 120th item
  const r = await stack.gql(`query($p: ID!, $after: String) { project(id: $p) { processings(first: 30, after: $after) {
    totalCount pageInfo { hasNextPage hasPreviousPage } nodes { id } } } }`, { p: projectId, after: cursor });
  expect(r.data).toEqual({
    project: { processings: { totalCount: COUNT, pageInfo: { hasNextPage: true, hasPreviousPage: true }, nodes: oracle.results.map((p) => ({ id: p.id })) } },
  });
  expect(stack.calls('mapflow')).toBe(2);
});
