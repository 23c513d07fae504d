import { describe, expect } from 'vitest';
import { ALPHA, BETA, BUILDINGS, client, createBody, square, test as mapflowTest, type Json } from './mapflow.helpers.js';

/** The Mapflow test API with `alpha` (its `api`) and `beta`, clients of the file's simulator for the two demo tenants. */
const test = mapflowTest.extend('alpha', { scope: 'file' }, ({ api }) => api).extend('beta', { scope: 'file' }, ({ sim }) => client(sim, BETA));

const unauthorized = { code: 'UNAUTHORIZED', message: 'Full authentication is required to access this resource', params: null };

describe('mapflow auth', () => {
  test('missing, wrong and malformed credentials get the 401 body', async ({ sim }) => {
    for (const c of [client(sim, null), client(sim, 'bm9ib2R5Om5vdGhpbmc='), client(sim, ALPHA, 'Token')]) {
      const r = await c.get('/user/status');
      expect(r.status).toBe(401);
      expect(r.body).toEqual(unauthorized);
    }
  });

  test('accepts Basic and Bearer with the same pre-encoded token, padded or not', async ({ sim, beta }) => {
    expect((await client(sim, ALPHA, 'Bearer').get('/user/status')).body.email).toBe('admin@geoalert.io');
    const unpadded = ALPHA.replace(/=+$/, '');
    expect((await client(sim, unpadded).get('/user/status')).status).toBe(200);
    expect((await beta.get('/user/status')).body.email).toBe('ops@northwind-survey.example');
  });
});

describe('mapflow validation errors (400 BAD_REQUEST)', () => {
  const cases: [string, Json, RegExp][] = [
    ['both wdId and wdName', createBody({ wdName: '🏠 Buildings' }), /Exactly one of wdId or wdName/],
    ['neither wdId nor wdName', createBody({ wdId: undefined }), /Exactly one of wdId or wdName/],
    ['two sources', createBody({ params: { sourceParams: { dataProvider: { providerName: 'Mapbox' }, myImagery: { imageIds: ['a'] } } } }), /Exactly one of .* got 2/],
    ['no source', createBody({ params: { sourceParams: {} } }), /Exactly one of .* got 0/],
    ['params without sourceParams', createBody({ params: { inferenceParams: {} } }), /sourceParams is required/],
    ['unknown source', createBody({ params: { sourceParams: { bing: {} } } }), /Unknown source type/],
    ['a Point', createBody({ geometry: { type: 'Point', coordinates: [37, 55] } }), /Polygon or MultiPolygon, got "Point"/],
    ['no geometry', createBody({ geometry: undefined }), /geometry is required/],
    ['an unclosed ring', createBody({ geometry: { type: 'Polygon', coordinates: [[[37, 55], [37.01, 55], [37.01, 55.01], [37, 55.01]]] } }), /not closed/],
    ['longitude out of range', createBody({ geometry: { type: 'Polygon', coordinates: [[[200, 55], [200.01, 55], [200.01, 55.01], [200, 55]]] } }), /Longitude 200/],
    ['latitude out of range', createBody({ geometry: { type: 'Polygon', coordinates: [[[37, -95], [37.01, -95], [37.01, -94], [37, -95]]] } }), /Latitude -95/],
    ['a short ring', createBody({ geometry: { type: 'Polygon', coordinates: [[[37, 55], [37.01, 55], [37, 55]]] } }), /at least 4 positions/],
    ['an unknown block', createBody({ blocks: [{ name: 'Heights', enabled: true }] }), /Unknown block/],
    ['an unlinked data provider', createBody({ params: { sourceParams: { dataProvider: { providerName: 'Bing' } } } }), /Data provider Bing is not available/],
  ];
  for (const [what, body, message] of cases) {
    test(`refuses ${what}`, async ({ alpha }) => {
      const r = await alpha.post('/processings/v2', body);
      expect(r.status).toBe(400);
      expect(r.body).toMatchObject({ code: 'BAD_REQUEST', params: null });
      expect(r.body.message).toMatch(message);
    });
  }

  test('refuses more AOIs than maxAoisPerProcessing', async ({ alpha }) => {
    const polys = Array.from({ length: 11 }, (_, i) => square(37 + i * 0.02, 55).coordinates);
    const r = await alpha.post('/processings/v2', createBody({ geometry: { type: 'MultiPolygon', coordinates: polys } }));
    expect(r.status).toBe(400);
    expect(r.body).toEqual({ code: 'BAD_REQUEST', message: 'Maximum number of AOIs per processing is 10, got 11', params: { maxAoisPerProcessing: '10', aoiCount: '11' } });
  });

  test('malformed JSON, bad pages and methods', async ({ alpha }) => {
    const raw = await alpha.call('POST', '/processings/v2', '{"name":');
    expect(raw.status).toBe(400);
    expect(raw.body).toMatchObject({ code: 'BAD_REQUEST', message: 'Malformed JSON in request body' });
    for (const b of [{ limit: 0 }, { limit: 2.5 }, { offset: -1 }, { sortBy: 'COLOR' }, { sortOrder: 'UP' }]) {
      expect((await alpha.post('/projects/page', b)).status).toBe(400);
    }
    expect((await alpha.post('/projects/ea2281ab-53f0-4839-9d38-8e3648ee377f/processings/v2/page', { sortBy: 'NAME2' })).status).toBe(400);
    const patch = await alpha.call('PATCH', '/projects');
    expect(patch.status).toBe(405);
    expect(patch.headers.get('allow')).toContain('GET');
    expect((await alpha.post('/processings/stats?type=XML', {})).status).toBe(400);
    expect((await alpha.post('/processings/stats', { dateFrom: 'yesterday' })).status).toBe(400);
    expect((await alpha.post('/processing/cost/v2', { wdId: BUILDINGS })).status).toBe(400);
    expect((await alpha.post('/projects', { description: 'no name' })).status).toBe(400);
  });

  test('state errors: restart of a non-failed run, results before OK, deleting the default project', async ({ alpha }) => {
    const ok = '65285409-ac88-4fc0-a937-193cf42c2343';
    const restart = await alpha.post(`/processings/${ok}/restart/v2`);
    expect(restart.status).toBe(400);
    expect(restart.body).toEqual({ code: 'BAD_REQUEST', message: 'Only FAILED or CANCELLED processings can be restarted; this one is OK', params: { status: 'OK' } });
    const fresh = await alpha.post('/processings/v2', createBody());
    const early = await alpha.get(`/processings/${fresh.body.id as string}/result`);
    expect(early.status).toBe(400);
    expect(early.body).toMatchObject({ code: 'BAD_REQUEST', params: { status: 'UNPROCESSED' } });
    expect((await alpha.get(`/processings/${ok}/result?aoiId=nope`)).status).toBe(404);
    const del = await alpha.del('/projects/default');
    expect(del.status).toBe(404); // "default" is not an id
    const delDefault = await alpha.del('/projects/ea2281ab-53f0-4839-9d38-8e3648ee377f');
    expect(delDefault.body).toMatchObject({ code: 'BAD_REQUEST', message: 'The default project cannot be deleted' });
  });
});

describe('mapflow 404s and tenant separation', () => {
  test('unknown ids get the 404 body', async ({ alpha }) => {
    const id = '00000000-0000-4000-8000-000000000000';
    for (const path of [`/processings/${id}/v2`, `/processings/${id}/aois`, `/processings/${id}/result`, `/projects/${id}`, `/projects/${id}/processings/v2`]) {
      const r = await alpha.get(path);
      expect(r.status, path).toBe(404);
      expect(r.body, path).toEqual({ code: 'NOT_FOUND', message: expect.stringContaining(id), params: { id } });
    }
    expect((await alpha.post('/processings/v2', createBody({ projectId: id }))).status).toBe(404);
    expect((await alpha.post('/processings/v2', createBody({ wdId: id }))).body).toMatchObject({ code: 'NOT_FOUND', params: { id } });
    expect((await alpha.get('/no/such/route')).status).toBe(404);
  });

  test("a tenant never sees another tenant's records", async ({ alpha, beta }) => {
    const alphaProjects = (await alpha.get<Json[]>('/projects')).body.map((p) => p.id);
    const betaProjects = (await beta.get<Json[]>('/projects')).body;
    expect(betaProjects.length).toBeGreaterThanOrEqual(5);
    expect(betaProjects.some((p) => alphaProjects.includes(p.id))).toBe(false);
    const betaList = (await beta.get<Json[]>(`/projects/${betaProjects[1].id as string}/processings/v2`)).body;
    expect(betaList.length).toBeGreaterThan(0);
    const foreign = betaList[0].id as string;
    for (const r of [
      await alpha.get(`/processings/${foreign}/v2`),
      await alpha.get(`/processings/${foreign}/aois`),
      await alpha.del(`/processings/${foreign}`),
      await alpha.put(`/processings/${foreign}/v2`, { name: 'x' }),
      await alpha.get(`/projects/${betaProjects[1].id as string}`),
      await alpha.post('/processings/v2', createBody({ projectId: betaProjects[1].id })),
    ]) {
      expect(r.status).toBe(404);
      expect(r.body.code).toBe('NOT_FOUND');
    }
    // Moving one's own processing into a foreign project is a 404 too.
    const mine = (await alpha.post('/processings/v2', createBody())).body.id as string;
    expect((await alpha.put(`/processings/${mine}`, { projectId: betaProjects[1].id })).status).toBe(404);
    expect((await beta.get(`/processings/${foreign}/v2`)).status).toBe(200);
    const betaStats = (await beta.post<{ results: Json[] }>('/processings/stats?type=JSON', {})).body.results;
    expect(betaStats.some((r) => String(r.email).endsWith('geoalert.io'))).toBe(false);
  });
});
