import { describe, expect } from 'vitest';
import { startMapflowSimulator } from '../../src/simulators/mapflow/index.js';
import { BETA, client, test, type Json } from './mapflow.helpers.js';
import { admin, adminJson, type FaultsState, type OpenApiDoc, type StatsSnapshot } from './sim-admin.helpers.js';

describe('mapflow fault injection', () => {
  test('injects a proxy 503 (nginx HTML) for the next request only', async ({ sim, api }) => {
    await admin(sim, '/__sim/faults', 'PUT', { errorRate: 1, errorStatuses: [503], count: 1, route: '/user/status' });
    const failed = await api.get('/user/status');
    expect(failed.status).toBe(503);
    expect(failed.headers.get('content-type')).toBe('text/html');
    expect(failed.text).toContain('503 Service Temporarily Unavailable');
    expect((await api.get('/user/status')).status).toBe(200);
  });

  test('injects a 500 with the Mapflow body', async ({ sim, api }) => {
    await admin(sim, '/__sim/faults', 'PUT', { errorRate: 1, errorStatuses: [500], count: 1 });
    const r = await api.get('/projects');
    expect(r.status).toBe(500);
    expect(r.body).toEqual({ code: 'INTERNAL_SERVER_ERROR', message: 'Internal server error', params: null });
  });

  test('rate limits with 429 and Retry-After, for one tenant, `count` times', async ({ sim, api }) => {
    await admin(sim, '/__sim/faults', 'PUT', { rateLimitRate: 1, retryAfterSeconds: 7, count: 2, tenant: 'beta' });
    expect((await api.get('/projects')).status).toBe(200);
    const beta = client(sim, BETA);
    for (let i = 0; i < 2; i++) {
      const r = await beta.get('/projects');
      expect(r.status).toBe(429);
      expect(r.headers.get('retry-after')).toBe('7');
      expect(r.body).toEqual({ code: 'TOO_MANY_REQUESTS', message: 'Too many requests, retry later', params: { retryAfter: '7' } });
    }
    expect((await beta.get('/projects')).status).toBe(200);
    expect(await adminJson<FaultsState>(sim, '/__sim/faults')).toEqual({ faults: null });
  });
});

describe('mapflow admin endpoints', () => {
  test('/__sim/stats counts exactly, per route template and tenant', async ({ sim, api }) => {
    await admin(sim, '/__sim/stats', 'DELETE');
    const id = '65285409-ac88-4fc0-a937-193cf42c2343';
    await api.get(`/processings/${id}/v2`);
    await api.get(`/processings/${id}/v2`);
    await api.get(`/processings/${id}/aois`);
    await client(sim, null).get('/user/status');
    const s = await adminJson<StatsSnapshot>(sim, '/__sim/stats');
    expect(s.total).toBe(4);
    expect(s.byRoute).toEqual({ 'GET /processings/{id}/v2': 2, 'GET /processings/{id}/aois': 1, 'GET /user/status': 1 });
    expect(s.byTenant).toEqual({ alpha: 3, anonymous: 1 });
    expect(s.byStatus).toEqual({ '200': 3, '401': 1 });
  });

  test('/openapi.json describes the implemented routes', async ({ sim }) => {
    const doc = await adminJson<OpenApiDoc>(sim, '/openapi.json');
    expect(doc.servers[0].url).toBe(sim.url);
    for (const [path, method] of [
      ['/processings/v2', 'post'], ['/processings/{id}/v2', 'get'], ['/processings/{id}/restart/v2', 'post'], ['/projects/page', 'post'],
      ['/projects/{id}/processings/v2/page', 'post'], ['/processing/cost/v2', 'post'], ['/processings/stats', 'post'], ['/projects/share', 'post'],
      ['/processings/{id}', 'put'], ['/processings/{id}', 'delete'], ['/processings/{id}/result', 'get'], ['/user/status', 'get'],
      // The documented paths the gateway does not call (docs/vendors.md, "Mapflow: endpoints we call").
      ['/processing/{id}', 'put'], ['/processings/{id}/restart', 'post'], ['/projects', 'get'], ['/projects/{id}/processings/v2', 'get'],
    ]) {
      expect(doc.paths[path]?.[method], `${method} ${path}`).toBeDefined();
    }
  });

  test('POST /__sim/tenants adds a tenant with its own deterministic seed; the e-mail comes from the token', async ({ sim, api }) => {
    const token = Buffer.from('carol@example.org:k3y').toString('base64');
    const added = await admin(sim, '/__sim/tenants', 'POST', { name: 'carol', token });
    expect(added.status).toBe(201);
    const carol = client(sim, token);
    expect((await carol.get('/user/status')).body.email).toBe('carol@example.org');
    const mine = (await carol.get<Json[]>('/projects')).body;
    expect(mine.length).toBe(3);
    expect(mine.filter((p) => p.isDefault)).toHaveLength(1);
    const alphaIds = new Set((await api.get<Json[]>('/projects')).body.map((p) => p.id));
    expect(mine.some((p) => alphaIds.has(p.id))).toBe(false);
    const other = await startMapflowSimulator({ port: 0, timeScale: 0 });
    other.addTenant('carol', token);
    const again = (await client(other, token).get<Json[]>('/projects')).body;
    expect(again.map((p) => [p.id, p.name])).toEqual(mine.map((p) => [p.id, p.name]));
    await other.close();
    expect((await admin(sim, '/__sim/tenants', 'POST', { name: 'dup', token })).status).toBe(400);
  });

  test('/__sim/clock moves virtual time for the lifecycles', async ({ sim, api }) => {
    const made = (await api.post('/processings/v2', { wdId: '30ddfd15-04aa-47f6-9ceb-68ce709fd710', geometry: { type: 'Polygon', coordinates: [[[10, 10], [10.01, 10], [10.01, 10.01], [10, 10.01], [10, 10]]] } })).body;
    const r = await admin(sim, '/__sim/clock', 'POST', { advanceMs: 60_000 });
    expect(r.status).toBe(200);
    expect((await api.get(`/processings/${made.id as string}/v2`)).body.status).toBe('OK');
  });
});
