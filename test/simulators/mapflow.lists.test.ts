import { describe, expect } from 'vitest';
import { BUILDINGS, createBody, test as mapflowTest, type Json, type PageReply } from './mapflow.helpers.js';

/** The Mapflow test API with `projects`: alpha's projects as the file's first test that asks finds them. */
const test = mapflowTest.extend('projects', { scope: 'file' }, async ({ api }) => (await api.get<Json[]>('/projects')).body);

const byName = (projects: Json[], name: string) => projects.find((p) => p.name === name) as Json;

describe('mapflow project pages', () => {
  test('POST /projects/page sorts, filters and slices with {results, total, count}', async ({ api, projects }) => {
    const first = await api.post<PageReply>('/projects/page', { limit: 4, offset: 0, sortBy: 'NAME', sortOrder: 'ASC' });
    expect(first.status).toBe(200);
    expect(first.body.total).toBe(projects.length);
    expect(first.body.count).toBe(4);
    const names = projects.map((p) => String(p.name).toLowerCase()).sort();
    expect(first.body.results.map((p) => String(p.name).toLowerCase())).toEqual(names.slice(0, 4));
    const rest = await api.post<PageReply>('/projects/page', { limit: 100, offset: 4, sortBy: 'NAME', sortOrder: 'ASC' });
    expect(rest.body.results.map((p) => String(p.name).toLowerCase())).toEqual(names.slice(4));
    expect((await api.post<PageReply>('/projects/page', { offset: 1000 })).body).toEqual({ results: [], total: projects.length, count: 0 });
    const filtered = await api.post<PageReply>('/projects/page', { filter: 'KARELIA' });
    expect(filtered.body.results.map((p) => p.name)).toEqual(['Karelia forest inventory']);
    expect(filtered.body.total).toBe(1);
    const byCreated = await api.post<PageReply>('/projects/page', { limit: 100, sortBy: 'CREATED', sortOrder: 'DESC' });
    const created = byCreated.body.results.map((p) => p.created as string);
    expect(created).toEqual([...created].sort().reverse());
  });

  test('POST /projects/{id}/processings/v2/page pages through exactly the unpaginated list', async ({ api, projects }) => {
    const id = byName(projects, 'Almaty buildings 2025').id as string;
    const all = (await api.get<Json[]>(`/projects/${id}/processings/v2`)).body;
    expect(all.length).toBeGreaterThanOrEqual(6);
    const seen: Json[] = [];
    for (let offset = 0; offset < all.length; offset += 3) {
      const page = (await api.post<PageReply>(`/projects/${id}/processings/v2/page`, { limit: 3, offset, sortBy: 'AREA', sortOrder: 'ASC' })).body;
      expect(page.total).toBe(all.length);
      expect(page.count).toBe(Math.min(3, all.length - offset));
      seen.push(...page.results);
    }
    expect(seen.map((p) => p.id).sort()).toEqual(all.map((p) => p.id).sort());
    const areas = seen.map((p) => p.area as number);
    expect(areas).toEqual([...areas].sort((a, b) => a - b));
    const defaults = (await api.post<PageReply>(`/projects/${id}/processings/v2/page`, {})).body;
    const created = defaults.results.map((p) => p.created as string);
    expect(created).toEqual([...created].sort().reverse()); // CREATED DESC by default
    const term = String(all[0].name).split(' ').slice(1).join(' ');
    const found = (await api.post<PageReply>(`/projects/${id}/processings/v2/page`, { terms: term })).body;
    expect(found.results.map((p) => p.id)).toContain(all[0].id);
    expect(found.total).toBeLessThan(all.length);
  });

  test('GET /processings/v2 lists the default project; meta stamped at creation is found through the lists', async ({ api }) => {
    const key = 'idem-7f1c';
    const made = (await api.post('/processings/v2', createBody({ meta: { idempotencyKey: key, 'source-app': 'gateway' } }))).body;
    const list = (await api.get<Json[]>('/processings/v2')).body;
    expect(list[0].id).toBe(made.id); // newest first
    expect(list.every((p) => p.projectId === 'ea2281ab-53f0-4839-9d38-8e3648ee377f')).toBe(true);
    expect(list.find((p) => (p.meta as Json).idempotencyKey === key)?.id).toBe(made.id);
    // The default project's documented figures give way to live ones once a processing changes it.
    expect((await api.get('/projects/default')).body.aoiCount).toBe(list.reduce((s, p) => s + (p.aoiCount as number), 0));
  });
});

describe('mapflow moves, deletes and cascades', () => {
  test('PUT /processings/{id} moves a processing between projects; DELETE removes it', async ({ api }) => {
    const target = (await api.post('/projects', { name: 'Move target' })).body;
    const made = (await api.post('/processings/v2', createBody())).body;
    const moved = await api.put(`/processings/${made.id as string}`, { projectId: target.id });
    expect(moved.body.projectId).toBe(target.id);
    expect((await api.get<Json[]>(`/projects/${target.id as string}/processings/v2`)).body.map((p) => p.id)).toEqual([made.id]);
    expect((await api.get(`/projects/${target.id as string}`)).body).toMatchObject({ aoiCount: 1, area: made.area, progress: { status: 'UNPROCESSED' } });
    expect((await api.get<Json[]>('/processings/v2')).body.some((p) => p.id === made.id)).toBe(false);
    expect((await api.put(`/processings/${made.id as string}`, {})).status).toBe(400);
    const del = await api.del(`/processings/${made.id as string}`);
    expect(del.status).toBe(200);
    expect(del.text).toBe('');
    expect((await api.get(`/processings/${made.id as string}/v2`)).status).toBe(404);
  });

  test('DELETE /projects/{id} cascades to its processings', async ({ api }) => {
    const project = (await api.post('/projects', { name: 'Doomed', description: null })).body;
    const made = (await api.post('/processings/v2', createBody({ projectId: project.id }))).body;
    expect((await api.del(`/projects/${project.id as string}`)).status).toBe(200);
    expect((await api.get(`/projects/${project.id as string}`)).status).toBe(404);
    expect((await api.get(`/processings/${made.id as string}/v2`)).status).toBe(404);
  });
});

describe('mapflow stats and cost', () => {
  test('filters stats by status (CANCELED spelled as the docs do), terms and pages', async ({ api }) => {
    const cancelled = (await api.post<PageReply & Json>('/processings/stats?type=JSON', { statuses: ['CANCELED'] })).body;
    expect(cancelled.total).toBeGreaterThanOrEqual(2);
    expect(cancelled.results.every((r) => r.status === 'CANCELLED')).toBe(true);
    const all = (await api.post<PageReply & Json>('/processings/stats?type=JSON', {})).body;
    expect(all.totalArea).toBe(all.results.reduce((s, r) => s + Number(r.area), 0));
    expect(all.totalCost).toBe(all.results.reduce((s, r) => s + Number(r.cost), 0));
    expect(all.results.every((r) => typeof r.area === 'string' && typeof r.percentCompleted === 'string')).toBe(true);
    const page2 = (await api.post<PageReply & Json>('/processings/stats?type=JSON', { page: 2, perPage: 5 })).body;
    expect(page2.results).toEqual(all.results.slice(5, 10));
    expect(page2).toMatchObject({ total: all.total, count: 5, totalArea: all.totalArea });
    const terms = (await api.post<PageReply & Json>('/processings/stats?type=JSON', { terms: 'karelia' })).body;
    expect(terms.total).toBeGreaterThan(0);
    expect(terms.results.every((r) => r.projectName === 'Karelia forest inventory')).toBe(true);
    const csv = await api.post('/processings/stats?type=CSV', { terms: 'karelia' });
    expect(csv.headers.get('content-type')).toMatch(/text\/csv/);
    expect(csv.text.trim().split('\n')).toHaveLength(terms.total + 1);
  });

  test('prices from area x (model price + enabled and mandatory blocks)', async ({ api }) => {
    const price = async (b: Json) => (await api.post('/processing/cost/v2', b)).text;
    expect(await price({ wdId: BUILDINGS, areaSqKm: 1 })).toBe('13');
    expect(await price({ wdId: BUILDINGS, areaSqKm: 1, blocks: [{ name: 'Simplification', enabled: true }, { name: 'Classification', enabled: true }] })).toBe('21');
    expect(await price({ wdId: 'c2e857fe-1bf6-4e7a-b9f4-d5339c46d357', areaSqKm: 2 })).toBe('16'); // Forest: mandatory Segmentation 8
    const made = (await api.post('/processings/v2', createBody())).body;
    expect(await price({ wdId: BUILDINGS, geometry: createBody().geometry })).toBe(String(made.cost));
  });
});
