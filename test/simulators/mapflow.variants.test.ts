import { test as base, describe, expect } from 'vitest';
import { startMapflowSimulator } from '../../src/simulators/mapflow/index.js';
import { ALPHA, BETA, client, createBody, fixture, userDefined, type Json, type Sim } from './mapflow.helpers.js';

/**
 * The Mapflow simulator's documented variants (docs/vendors.md, "Documented variants"): with them on
 * (the default), answers the docs allow beyond their examples; with them off, the examples' shape.
 * Plus what it always does: the documented paths beside the QGIS plugin's, and the results' media type.
 */
/** The file's two Mapflow simulators: `variants` with the documented variants (the default), `exact` without. */
const test = base
  // eslint-disable-next-line no-empty-pattern -- vitest reads a fixture's dependencies from its destructuring: none here
  .extend('variants', { scope: 'file' }, async ({}, { onCleanup }) => {
    const sim = await startMapflowSimulator({ port: 0, timeScale: 0 });
    onCleanup(() => sim.close());
    return sim;
  })
  // eslint-disable-next-line no-empty-pattern -- vitest reads a fixture's dependencies from its destructuring: none here
  .extend('exact', { scope: 'file' }, async ({}, { onCleanup }) => {
    const sim = await startMapflowSimulator({ port: 0, timeScale: 0, documentedVariants: false });
    onCleanup(() => sim.close());
    return sim;
  });

const admin = (sim: Sim, path: string, body: unknown) =>
  fetch(`${sim.origin}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

/** Runs every scheduled step (a run takes at most 40 virtual seconds). */
function finishRuns(sim: Sim): void {
  for (let elapsed = 0; elapsed < 60_000; elapsed += 1_000) sim.clock.advance(1_000);
  sim.scheduler.settle();
}

async function allProcessings(sim: Sim, token = ALPHA): Promise<Json[]> {
  const api = client(sim, token);
  const projects = (await api.get<Json[]>('/projects')).body;
  const lists = await Promise.all(projects.map((p) => api.get<Json[]>(`/projects/${p.id as string}/processings/v2`)));
  return lists.flatMap((l) => l.body);
}

describe('v2 workflowDef blocks', () => {
  test('with variants: `description` alone and `optional` as 0/1, as the v2 reference shows them; without: both labels and a boolean', async ({ variants, exact }) => {
    const v2 = fixture<{ workflowDef: { blocks: Json[] } }>('processing-v2').workflowDef.blocks[0];
    const withVariants = (await client(variants, ALPHA).post('/processings/v2', createBody())).body;
    const blocks = (withVariants.workflowDef as { blocks: Json[] }).blocks;
    expect(blocks.map((b) => Object.keys(b).sort())).toEqual(blocks.map(() => Object.keys(v2).sort()));
    expect(blocks).toEqual([
      { name: 'Classification', description: 'Classification', optional: 1, price: 3 },
      { name: 'Simplification', description: 'Polygonization', optional: 1, price: 5 },
      { name: 'OSM', description: 'Merge with OSM', optional: 1, price: 0 },
    ]);
    const without = (await client(exact, ALPHA).post('/processings/v2', createBody())).body;
    expect((without.workflowDef as { blocks: Json[] }).blocks[1]).toEqual({ name: 'Simplification', displayName: 'Polygonization', description: 'Polygonization', optional: true, price: 5 });
  });
});

describe('IN_REVIEW', () => {
  test('with variants, an account with the review workflow shows results under review as IN_REVIEW (AOIs stay OK); without, they stay OK', async ({ variants, exact }) => {
    const inReview = (await allProcessings(variants)).filter((p) => (p.reviewStatus as Json | null)?.reviewStatus === 'IN_REVIEW');
    expect(inReview.length).toBeGreaterThan(0);
    for (const p of inReview) expect(p).toMatchObject({ status: 'IN_REVIEW', percentCompleted: 100 });
    const aois = (await client(variants, ALPHA).get<Json[]>(`/processings/${inReview[0].id as string}/aois`)).body;
    expect(aois.every((a) => a.status === 'OK')).toBe(true);
    const before = (await allProcessings(exact)).filter((p) => (p.reviewStatus as Json | null)?.reviewStatus === 'IN_REVIEW');
    expect(before.map((p) => p.id)).toEqual(inReview.map((p) => p.id));
    expect(before.every((p) => p.status === 'OK')).toBe(true);
    // beta has no review workflow: its reviewed results stay OK.
    expect((await allProcessings(variants, BETA)).some((p) => p.status === 'IN_REVIEW')).toBe(false);
  });

  test('the review route moves an OK processing to IN_REVIEW and back, logging the status too', async ({ variants, exact }) => {
    const api = client(variants, ALPHA);
    const id = (await api.post('/processings/v2', createBody())).body.id as string;
    finishRuns(variants);
    expect((await api.get(`/processings/${id}/v2`)).body.status).toBe('OK');
    const seq = variants.changes.lastSeq;
    expect(await (await admin(variants, `/__sim/processings/${id}/review`, { reviewStatus: 'IN_REVIEW' })).json()).toEqual({ id, reviewStatus: 'IN_REVIEW', status: 'IN_REVIEW' });
    expect((await api.get(`/processings/${id}/v2`)).body).toMatchObject({ status: 'IN_REVIEW', reviewStatus: { reviewStatus: 'IN_REVIEW' } });
    const stats = (await api.post<{ results: Json[] }>('/processings/stats?type=JSON', { statuses: ['IN_REVIEW'] })).body.results;
    expect(stats.map((r) => r.linkToMap)).toContainEqual(expect.stringContaining(id));
    // No results while under review (only an OK processing has them).
    expect((await api.get(`/processings/${id}/result`)).status).toBe(400);
    await admin(variants, `/__sim/processings/${id}/review`, { reviewStatus: 'ACCEPTED' });
    expect((await api.get(`/processings/${id}/v2`)).body.status).toBe('OK');
    expect(variants.changes.since(seq).map((c) => [c.field, c.from, c.to])).toEqual([
      ['reviewStatus', null, 'IN_REVIEW'],
      ['status', 'OK', 'IN_REVIEW'],
      ['reviewStatus', 'IN_REVIEW', 'ACCEPTED'],
      ['status', 'IN_REVIEW', 'OK'],
    ]);
    // Without variants the same decision leaves the status alone.
    const other = client(exact, ALPHA);
    const id2 = (await other.post('/processings/v2', createBody())).body.id as string;
    finishRuns(exact);
    await admin(exact, `/__sim/processings/${id2}/review`, { reviewStatus: 'IN_REVIEW' });
    expect((await other.get(`/processings/${id2}/v2`)).body).toMatchObject({ status: 'OK', reviewStatus: { reviewStatus: 'IN_REVIEW' } });
  });
});

describe('ratings', () => {
  test('seeded ratings are strings with variants (the v2 reference) and numbers without (the QGIS plugin)', async ({ variants, exact }) => {
    const rated = (await allProcessings(variants)).filter((p) => p.rating);
    expect(rated.length).toBeGreaterThan(0);
    expect(rated.every((p) => typeof (p.rating as Json).rating === 'string')).toBe(true);
    const plain = (await allProcessings(exact)).filter((p) => p.rating);
    expect(plain.map((p) => p.id)).toEqual(rated.map((p) => p.id));
    expect(plain.every((p) => typeof (p.rating as Json).rating === 'number')).toBe(true);
  });

  test('the rating route sets a rating as given, takes it away with null, logs it, and refuses bad ones', async ({ variants }) => {
    const api = client(variants, ALPHA);
    const id = (await api.post('/processings/v2', createBody())).body.id as string;
    const seq = variants.changes.lastSeq;
    expect((await admin(variants, `/__sim/processings/${id}/rating`, { rating: '4', feedback: 'Good' })).status).toBe(200);
    expect((await api.get(`/processings/${id}/v2`)).body.rating).toEqual({ rating: '4', feedback: 'Good' });
    expect((await admin(variants, `/__sim/processings/${id}/rating`, { rating: 2 })).status).toBe(200);
    expect((await api.get(`/processings/${id}/v2`)).body.rating).toEqual({ rating: 2, feedback: null });
    expect((await admin(variants, `/__sim/processings/${id}/rating`, { rating: null })).status).toBe(200);
    expect((await api.get(`/processings/${id}/v2`)).body.rating).toBeNull();
    expect(variants.changes.since(seq).map((c) => [c.field, c.from, c.to])).toEqual([
      ['rating', null, '4'],
      ['rating', '4', 2],
      ['rating', 2, null],
    ]);
    for (const bad of [{ rating: 6 }, { rating: 'great' }, { rating: 3, feedback: 7 }, {}]) {
      expect((await admin(variants, `/__sim/processings/${id}/rating`, bad)).status, JSON.stringify(bad)).toBe(400);
    }
    expect((await admin(variants, '/__sim/processings/00000000-0000-0000-0000-000000000000/rating', { rating: 1 })).status).toBe(404);
  });
});

describe('stats: archived', () => {
  test('with variants, a deleted processing stays in the report as archived "true"; without, it is gone', async ({ variants, exact }) => {
    for (const [sim, expected] of [[variants, [{ archived: 'true', dataProvider: 'Mapbox', status: 'UNPROCESSED' }]], [exact, []]] as const) {
      const api = client(sim, ALPHA);
      const id = (await api.post('/processings/v2', createBody({ name: 'gone but billed' }))).body.id as string;
      const live = (await api.post<{ results: Json[] }>('/processings/stats?type=JSON', { terms: 'gone but billed' })).body.results;
      expect(live).toEqual([expect.objectContaining({ archived: 'false', dataProvider: 'Mapbox' })]);
      expect((await api.del(`/processings/${id}`)).status).toBe(200);
      expect((await api.get(`/processings/${id}/v2`)).status).toBe(404);
      const after = (await api.post<{ results: Json[]; total: number }>('/processings/stats?type=JSON', { terms: 'gone but billed' })).body;
      expect(after.results).toEqual(expected.map((e) => expect.objectContaining({ ...e, linkToMap: expect.stringContaining(id) })));
      expect(after.total).toBe(expected.length);
    }
  });
});

describe('documented paths beside the QGIS plugin’s', () => {
  test('PUT /processing/{id} renames (the documented path), like PUT /processings/{id}/v2', async ({ variants }) => {
    const api = client(variants, ALPHA);
    const id = (await api.post('/processings/v2', createBody())).body.id as string;
    const renamed = await api.put(`/processing/${id}`, fixture('processing-rename-request'));
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ id, ...fixture('processing-rename-request') });
    expect((await api.put(`/processing/${id}`, { name: '' })).status).toBe(400);
    expect((await api.put('/processing/00000000-0000-0000-0000-000000000000', { name: 'x' })).status).toBe(404);
  });

  test('POST /processings/{id}/restart restarts a failed processing (the documented v1 path), like .../restart/v2', async ({ variants }) => {
    const api = client(variants, ALPHA);
    const id = (await api.post('/processings/v2', createBody({ params: userDefined({ url: 'https://tiles.invalid/{z}/{x}/{y}.png' }) }))).body.id as string;
    expect((await api.post(`/processings/${id}/restart`)).status).toBe(400); // not failed yet
    finishRuns(variants);
    expect((await api.get(`/processings/${id}/v2`)).body.status).toBe('FAILED');
    const restarted = await api.post(`/processings/${id}/restart`);
    expect(restarted.status).toBe(200);
    expect(restarted.body).toMatchObject({ id, status: 'UNPROCESSED', percentCompleted: 0, messages: [] });
  });

  test('GET /projects and GET /projects/{id}/processings/v2 list what the plugin’s pages list', async ({ variants }) => {
    const api = client(variants, ALPHA);
    const all = (await api.get<Json[]>('/projects')).body;
    const paged = (await api.post<{ results: Json[]; total: number }>('/projects/page', { limit: 100, offset: 0 })).body;
    expect(all.map((p) => p.id).sort()).toEqual(paged.results.map((p) => p.id).sort());
    const project = all.find((p) => p.name === 'Almaty buildings 2025') as Json;
    const list = (await api.get<Json[]>(`/projects/${project.id as string}/processings/v2`)).body;
    const page = (await api.post<{ results: Json[] }>(`/projects/${project.id as string}/processings/v2/page`, { limit: 100, offset: 0 })).body;
    expect(list.length).toBeGreaterThan(0);
    expect(list).toEqual(page.results);
  });
});

describe('results media type', () => {
  test('serves the documented octet stream to any Accept that admits it, and refuses JSON alone with 406', async ({ variants }) => {
    const id = fixture('processing').id as string;
    const get = (accept?: string) => fetch(`${variants.url}/processings/${id}/result`, { headers: { authorization: `Basic ${ALPHA}`, ...(accept ? { accept } : {}) } });
    for (const accept of [undefined, '*/*', 'application/octet-stream', 'application/*', 'application/octet-stream, */*;q=0.1']) {
      const res = await get(accept);
      expect(res.status, String(accept)).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/octet-stream');
    }
    for (const accept of ['application/json', 'application/geo+json, application/json;q=0.9']) {
      const res = await get(accept);
      expect(res.status, accept).toBe(406);
      expect(await res.json()).toMatchObject({ code: 'NOT_ACCEPTABLE', params: null });
    }
  });
});
