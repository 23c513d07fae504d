import { describe, expect } from 'vitest';
import { shapeDiff } from '../helpers/shape.helpers.js';
import { BUILDINGS, fixture, square, test, type Json, type ProcessingReply } from './mapflow.helpers.js';

/** Swagger placeholders in the v2 examples that contradict the richer examples (see the fixtures README). */
const KNOWN_V2 = [/^\$\.workflowDef\.blocks\[\d+\]\.optional: expected number, got boolean/, /^\$\.rating\.rating: expected string, got number/];
const unknownDiffs = (diffs: string[]) => diffs.filter((d) => !KNOWN_V2.some((k) => k.test(d)));

describe('mapflow documented records, served verbatim to tenant alpha', () => {
  test('GET /user/status holds the documented account, models and team', async ({ api }) => {
    const ex = fixture('user-status');
    const { status, body } = await api.get('/user/status');
    expect(status).toBe(200);
    for (const k of ['email', 'processedArea', 'remainingArea', 'areaLimit', 'memoryLimit', 'teams']) expect(body[k]).toEqual(ex[k]);
    const models = body.models as Json[];
    expect(models.slice(0, 2)).toEqual(ex.models);
    expect(models).toContainEqual(fixture<{ models: Json[] }>('models-forest').models[0]);
    // The example's own Roads model lacks `blocks`; served the same way, nothing else differs.
    expect(shapeDiff({ ...body, models: models.slice(0, 2) }, ex)).toEqual(['$.models[1].blocks: missing']);
    expect(body.dataProviders).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'Mapbox' })]));
  });

  test('GET /projects/{id} and /projects/default are the examples, exactly', async ({ api }) => {
    expect((await api.get('/projects/546d148f-19a1-40d8-8f16-d1e6dabfd204')).body).toEqual(fixture('project'));
    expect((await api.get('/projects/default')).body).toEqual(fixture('project-default'));
  });

  test('GET /processings/{id}/v2 (and the v1 path) serve the processing example exactly', async ({ api }) => {
    const ex = fixture('processing');
    expect((await api.get(`/processings/${ex.id as string}/v2`)).body).toEqual(ex);
    expect((await api.get(`/processings/${ex.id as string}`)).body).toEqual(ex);
  });

  test('the failed-processing example, with its de-duplicated message on every AOI', async ({ api }) => {
    const ex = fixture('processing-failed');
    const { body } = await api.get(`/processings/${ex.id as string}/v2`);
    expect(body).toMatchObject(ex);
    const aois = (await api.get<Json[]>(`/processings/${ex.id as string}/aois`)).body;
    for (const a of aois) expect(a).toMatchObject({ status: 'FAILED', messages: ex.messages });
  });

  test('GET /processings/{id}/aois serves the AOI example for the run-request processing', async ({ api }) => {
    const runReq = fixture('processing-run-request');
    const list = (await api.get<Json[]>(`/projects/${runReq.projectId as string}/processings/v2`)).body;
    const p = list.find((x) => x.name === runReq.name) as Json;
    expect(p).toMatchObject({ description: runReq.description, meta: runReq.meta, params: runReq.params, status: 'IN_PROGRESS' });
    expect((await api.get(`/processings/${p.id as string}/aois`)).body).toEqual(fixture('aois'));
  });

  test('POST /processings/stats?type=JSON answers the documented request with the documented rows', async ({ api }) => {
    const ex = fixture<{ results: Json[] } & Json>('processing-stats-response');
    const { status, body } = await api.post<{ results: Json[] } & Json>('/processings/stats?type=JSON', fixture('processing-stats-request'));
    expect(status).toBe(200);
    expect(shapeDiff(body, ex)).toEqual([]);
    expect({ ...body, results: undefined }).toEqual({ ...ex, results: undefined });
    expect(body.results[0]).toEqual(ex.results[0]);
    // test_proc2 lives in its own project (the example links both rows to one project).
    expect(body.results[1]).toEqual({ ...ex.results[1], linkToMap: expect.stringMatching(/\/processings\/6ecbd6ae-32cd-499a-aa42-fd0e67d6f9b6$/) });
  });

  test("the bulk-processing guide's project and processings", async ({ api }) => {
    const proj = fixture('blog-project-create-response');
    expect((await api.get(`/projects/${proj.id as string}`)).body).toMatchObject(proj);
    const list = (await api.get<Json[]>(`/projects/${proj.id as string}/processings`)).body;
    const rows = fixture<Json[]>('blog-project-processings');
    expect(list.map((p) => ({ id: p.id, name: p.name })).sort((a, b) => String(a.id).localeCompare(String(b.id)))).toEqual(
      [...rows].sort((a, b) => String(a.id).localeCompare(String(b.id))),
    );
    const ok = await api.get(`/processings/${rows[0].id as string}/result`);
    expect(ok.status).toBe(200);
  });
});

describe('mapflow v2 shapes against the v2 examples', () => {
  test('a seeded reviewed processing has every field of the GET v2 example', async ({ api }) => {
    const ex = { ...fixture('processing-v2'), params: null, meta: null, messages: null };
    const projects = (await api.get<Json[]>('/projects')).body;
    const lists = await Promise.all(projects.map((p) => api.get<ProcessingReply[]>(`/projects/${p.id as string}/processings/v2`)));
    const processings = lists.flatMap((l) => l.body);
    const accepted = processings.find((p) => (p.reviewStatus as Json | null)?.reviewStatus === 'ACCEPTED') as Json;
    expect(unknownDiffs(shapeDiff(accepted, ex))).toEqual([]);
    const failed = processings.find((p) => p.status === 'FAILED' && p.messages.length)!;
    // The example's parameters `{key, value}` are a placeholder for a string map.
    expect(shapeDiff(failed.messages, [{ code: 'string', parameters: {} }])).toEqual([]);
    for (const m of failed.messages) expect(Object.values(m.parameters).every((v) => typeof v === 'string')).toBe(true);
    expect(processings.length).toBeGreaterThanOrEqual(36);
    // IN_REVIEW: alpha has the review workflow, and documented variants are on (the seeded results under review).
    expect(new Set(processings.map((p) => p.status))).toEqual(new Set(['UNPROCESSED', 'IN_PROGRESS', 'AWAITING', 'OK', 'IN_REVIEW', 'FAILED', 'CANCELLED', 'REFUNDED']));
    for (const p of processings.filter((x) => x.status === 'IN_REVIEW')) expect(p).toMatchObject({ percentCompleted: 100, reviewStatus: { reviewStatus: 'IN_REVIEW' } });
    expect(processings.some((p) => p.status === 'OK' && (p.reviewStatus as Json | null)?.reviewStatus === 'NOT_ACCEPTED')).toBe(true);
  });

  test('the documented create request is refused (it sets all four sources); one source makes it the create response', async ({ api }) => {
    const req = fixture<Json & { params: { sourceParams: Json; inferenceParams: Json } }>('processing-v2-create-request');
    const refused = await api.post('/processings/v2', req);
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ code: 'BAD_REQUEST', params: null });
    const { wdName: _drop, ...rest } = req;
    const params = { sourceParams: { userDefined: req.params.sourceParams.userDefined }, inferenceParams: req.params.inferenceParams };
    const valid = { ...rest, wdId: BUILDINGS, projectId: '20f05e39-ccea-4e26-a7f3-55b620bf4e31', geometry: square(), params, blocks: [{ name: 'OSM', enabled: true }] };
    const { status, body } = await api.post('/processings/v2', valid);
    expect(status).toBe(200);
    // [INFER] rasterLayer exists only for imagery stored in Mapflow (checked with myImagery below).
    const ex = { ...fixture('processing-v2-create-response'), reviewStatus: null, rating: null, messages: null, params: null, rasterLayer: null };
    expect(unknownDiffs(shapeDiff(body, ex))).toEqual([]);
    expect(body.params).toEqual(params); // echoed, rasterPassword included
    expect(body.meta).toEqual(req.meta);
    expect(body.blocks).toEqual([{ name: 'Classification', enabled: false }, { name: 'Simplification', enabled: false }, { name: 'OSM', enabled: true }]);
    expect(body).toMatchObject({ name: req.name, description: req.description, status: 'UNPROCESSED', percentCompleted: 0, aoiCount: 1 });
  });

  test('each documented source example runs and is echoed exactly', async ({ api }) => {
    for (const name of ['params-data-provider', 'params-user-defined', 'params-my-imagery-mosaic', 'params-my-imagery-image']) {
      const { params } = fixture<{ params: Json }>(name);
      const { status, body } = await api.post('/processings/v2', { wdId: BUILDINGS, geometry: square(), params });
      expect(status, name).toBe(200);
      expect(body.params, name).toEqual(params);
      if (name.startsWith('params-my-imagery')) expect(shapeDiff(body.rasterLayer, fixture('processing-v2').rasterLayer), name).toEqual([]);
    }
  });

  test('the v1 run-request body works on v2 (wdName, description, meta)', async ({ api }) => {
    const req = fixture('processing-run-request');
    const { status, body } = await api.post('/processings/v2', req);
    expect(status).toBe(200);
    expect(body).toMatchObject({ name: 'Test', description: 'A simple test', projectId: req.projectId, meta: { test: 'test' }, aoiCount: 1 });
    expect((body.workflowDef as Json).id).toBe(BUILDINGS);
  });

  test('the options example: blocks are echoed and priced', async ({ api }) => {
    const { blocks } = fixture<{ blocks: Json[] }>('processing-blocks-request');
    const { body } = await api.post('/processings/v2', { wdId: BUILDINGS, geometry: square(), blocks });
    expect(body.blocks).toEqual([{ name: 'Classification', enabled: true }, { name: 'Simplification', enabled: false }, { name: 'OSM', enabled: false }]);
    const cost = await api.post('/processing/cost/v2', { wdId: BUILDINGS, areaSqKm: 2, blocks });
    expect(cost.text).toBe('32'); // 2 km² x (13 + Classification 3)
  });

  test('POST /processing/cost/v2 answers a bare number like the example', async ({ api }) => {
    const ex = fixture<number>('processing-cost-v2-response');
    const req = fixture<Json>('processing-cost-v2-request');
    expect((await api.post('/processing/cost/v2', req)).status).toBe(404); // placeholder wdId
    const { status, body, text, headers } = await api.post('/processing/cost/v2', { ...req, wdId: BUILDINGS, geometry: undefined, areaSqKm: 10, params: undefined, blocks: undefined });
    expect(status).toBe(200);
    expect(typeof body).toBe(typeof ex);
    expect(text).toBe('130');
    expect(headers.get('content-type')).toMatch(/json/);
  });

  test('projects: create, rename and share with the documented bodies', async ({ api }) => {
    const created = await api.post('/projects', fixture('project-create-request'));
    expect(created.status).toBe(200);
    expect(shapeDiff(created.body, fixture('project'))).toEqual([]);
    expect(created.body).toMatchObject({ name: 'test', description: 'test', isDefault: false, aoiCount: 0, area: 0 });
    const id = created.body.id as string;
    expect((await api.put(`/projects/${id}`, fixture('project-update-request'))).body).toMatchObject(fixture('project-update-request'));
    const ext = fixture('project-share-external');
    const team = fixture('project-share-team');
    expect((await api.post('/projects/share', ext)).status).toBe(200);
    const shared = await api.post('/projects/share', team);
    expect(shared.body.shareProject).toEqual({
      owners: [{ role: 'owner', email: 'admin@geoalert.io' }],
      users: [{ email: ext.email, role: 'readonly' }, { email: team.email, role: 'contributor' }],
    });
    const refused = await api.post('/projects/share', { ...ext, role: 'contributor' });
    expect(refused.status).toBe(400);
  });

  test('rename and link requests as documented', async ({ api }) => {
    const p = (await api.post('/processings/v2', { wdId: BUILDINGS, geometry: square() })).body;
    const renamed = await api.put(`/processings/${p.id as string}/v2`, fixture('processing-rename-request'));
    expect(renamed.body).toMatchObject(fixture('processing-rename-request'));
    const link = fixture('processing-link-request');
    expect((await api.put(`/processings/${p.id as string}`, link)).body).toMatchObject({ code: 'NOT_FOUND', params: { id: link.projectId } });
    const moved = await api.put(`/processings/${p.id as string}`, { projectId: '546d148f-19a1-40d8-8f16-d1e6dabfd204' });
    expect(moved.body.projectId).toBe('546d148f-19a1-40d8-8f16-d1e6dabfd204');
  });

  test('error bodies have the documented shape', async ({ api }) => {
    const huge = { type: 'Polygon', coordinates: [[[37, 55], [37.2, 55], [37.2, 55.2], [37, 55.2], [37, 55]]] };
    const tooLarge = await api.post('/processings/v2', { wdId: BUILDINGS, geometry: huge });
    expect(tooLarge.status).toBe(400);
    expect(shapeDiff(tooLarge.body, fixture('error-too-large'))).toEqual([]);
    const area = (tooLarge.body.params as Json).area as string;
    expect(tooLarge.body).toEqual({
      code: 'TOO_LARGE_PROCESSING',
      message: `Processings larger than 50000000 sq.m. are prohibited. Area: ${area} sq.m.`,
      params: { area, aoiAreaLimit: '50000000' },
    });
    const bad = await api.post('/processings/v2', { wdId: BUILDINGS, wdName: 'x', geometry: square() });
    expect(shapeDiff(bad.body, fixture('error-bad-request'))).toEqual([]);
  });
});
