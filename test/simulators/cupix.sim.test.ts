import { describe, expect, test as base } from 'vitest';
import { ALPHA, BETA, getJson, startFrozen, type ErrorReply, type PointcloudAttributes, type PointcloudItem, type PointcloudListReply, type PointcloudReply, type Sim, type SubMeta } from './cupix.helpers.js';
import { admin, adminJson, simChanges, type OpenApiDoc, type StatsSnapshot, type TenantList } from './sim-admin.helpers.js';

/**
 * Each test moves its simulators' clocks: `start()` gives it a fresh Cupix simulator (clock frozen),
 * closed after the test.
 */
// eslint-disable-next-line no-empty-pattern -- vitest reads a fixture's dependencies from its destructuring: none here
const test = base.extend('start', async ({}, { onCleanup }) => {
  const started: Sim[] = [];
  onCleanup(async () => {
    await Promise.all(started.map((s) => s.close()));
  });
  return async (): Promise<Sim> => {
    const sim = await startFrozen();
    started.push(sim);
    return sim;
  };
});

async function attrs(sim: Sim, id: number, token: string = ALPHA): Promise<PointcloudAttributes> {
  const r = await getJson<PointcloudReply>(`${sim.url}/pointclouds/${id}?fields=state,potree_state,error_code,updated_at,meta`, token);
  return r.body.result.data.attributes;
}
const advance = (sim: Sim, advanceMs: number) => admin(sim, '/__sim/clock', 'POST', { advanceMs });

describe('cupix lifecycle (virtual clock)', () => {
  test('a sub goes processing -> done, then potree_state processing -> uploaded with its potree meta', async ({ start }) => {
    const sim = await start();
    const before = await attrs(sim, 5331);
    expect(before).toMatchObject({ state: 'processing', potree_state: 'processing', meta: { potree: {} } });
    expect(before).not.toHaveProperty('error_code'); // absent, not null, until it fails
    sim.clock.advance(19_999);
    expect((await attrs(sim, 5331)).state).toBe('processing');
    sim.clock.advance(1);
    const done = await attrs(sim, 5331);
    expect(done).toMatchObject({ state: 'done', potree_state: 'processing' });
    expect(Date.parse(String(done.updated_at))).toBeGreaterThan(Date.parse(String(before.updated_at)));
    await advance(sim, 8_000);
    const uploaded = await attrs(sim, 5331);
    expect(uploaded.potree_state).toBe('uploaded');
    expect((uploaded.meta as SubMeta).potree).toMatchObject({ version: '1.7', points: 190_220, scale: 0.001 });
    expect((await fetch(`${sim.url}/pointclouds/5331/download`, { headers: { 'x-cupix-auth': ALPHA }, redirect: 'manual' })).status).toBe(302);
  });

  test('a failing sub goes to error with potree_state error and an error_code; its group still finishes', async ({ start }) => {
    const sim = await start();
    sim.clock.advance(26_000);
    expect(await attrs(sim, 5333)).toMatchObject({ state: 'error', potree_state: 'error', error_code: 'reconstruction_failed' });
    expect((await attrs(sim, 5330)).state).toBe('processing');
    sim.clock.advance(14_000);
    expect((await attrs(sim, 5330)).state).toBe('done');
  });

  test('every change is in /__sim/changes with entity pointcloud, filterable by id and tenant', async ({ start }) => {
    const sim = await start();
    sim.clock.advance(60_000);
    const changes = (await simChanges(sim, 'entity=pointcloud&id=5331')).map(({ tenant, entity, id, field, from, to }) => ({ tenant, entity, id, field, from, to }));
    expect(changes).toEqual([
      { tenant: 'alpha', entity: 'pointcloud', id: '5331', field: 'state', from: 'processing', to: 'done' },
      { tenant: 'alpha', entity: 'pointcloud', id: '5331', field: 'potree_state', from: 'processing', to: 'uploaded' },
    ]);
    const alpha = await simChanges(sim, 'tenant=alpha');
    // 5331, 5332, 5330, 5354 finish (2 changes each) and 5333 fails (2 changes).
    expect(alpha.length).toBe(10);
    const beta = await simChanges(sim, 'tenant=beta');
    expect(beta.length).toBe(8);
    expect(sim.scheduler.pending).toBe(0);
  });
});

describe('cupix faults, stats, openapi, tenants', () => {
  test('injects a server error in the envelope for `count` requests only', async ({ start }) => {
    const sim = await start();
    await admin(sim, '/__sim/faults', 'PUT', { errorRate: 1, errorStatuses: [503], count: 2 });
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await getJson(`${sim.url}/pointclouds/5310?fields=id`, ALPHA)).status);
    expect(statuses).toEqual([503, 503, 200]);
    sim.faults.set({ errorRate: 1, errorStatuses: [500], count: 1 });
    const r = await getJson(`${sim.url}/pointclouds?fields=id`, ALPHA);
    expect(r.body).toEqual({ result: { code: 'server_error', type: 'server_error', reason: 'internal_error', message: 'The server answered 500; please retry later' }, session: null });
  });

  test('injects 429 with Retry-After', async ({ start }) => {
    const sim = await start();
    sim.faults.set({ rateLimitRate: 1, retryAfterSeconds: 7, count: 1, route: 'GET /pointclouds' });
    const r = await getJson<ErrorReply>(`${sim.url}/pointclouds?fields=id`, ALPHA);
    expect(r.status).toBe(429);
    expect(r.headers.get('retry-after')).toBe('7');
    expect(r.body.result.code).toBe('too_many_requests');
    expect((await getJson(`${sim.url}/pointclouds?fields=id`, ALPHA)).status).toBe(200);
  });

  test('/__sim/stats counts exactly, per route, tenant and status', async ({ start }) => {
    const sim = await start();
    for (let i = 0; i < 3; i++) await getJson(`${sim.url}/pointclouds?fields=id`, ALPHA);
    await getJson(`${sim.url}/pointclouds/1?fields=id`, ALPHA);
    await getJson(`${sim.url}/pointclouds/5310/meta?fields=id`, BETA);
    await getJson(`${sim.url}/pointclouds?fields=id`);
    const s = await adminJson<StatsSnapshot>(sim, '/__sim/stats');
    expect(s.total).toBe(6);
    expect(s.byRoute).toEqual({ 'GET /pointclouds': 4, 'GET /pointclouds/{id}': 1, 'GET /pointclouds/{id}/meta': 1 });
    expect(s.byTenant).toEqual({ alpha: 4, beta: 1, anonymous: 1 });
    expect(s.byStatus).toEqual({ '200': 3, '404': 2, '401': 1 });
    expect(sim.stats.count('GET /pointclouds', 'alpha')).toBe(3);
  });

  test('/openapi.json lists the implemented routes with the required `fields`', async ({ start }) => {
    const sim = await start();
    const doc = await adminJson<OpenApiDoc>(sim, '/openapi.json');
    expect(Object.keys(doc.paths).sort()).toEqual(['/pointclouds', '/pointclouds/{id}', '/pointclouds/{id}/download', '/pointclouds/{id}/meta', '/storage/{key}']);
    expect(doc.paths['/pointclouds'].get.parameters).toContainEqual(expect.objectContaining({ name: 'fields', in: 'query', required: true }));
    expect(doc.paths['/pointclouds/{id}/download'].get.parameters.map((p) => p.name)).toEqual(['id', 'x-cupix-auth']);
    expect(doc.paths['/storage/{key}'].get.security).toEqual([]);
    expect(doc.servers).toEqual([{ url: `${sim.origin}/api/v1` }]);
    expect(doc.components.securitySchemes).toEqual({ CupixAuth: { type: 'apiKey', in: 'header', name: 'x-cupix-auth' } });
    // The vendor's own schema names (test/simulators/openapi.responses.test.ts validates the answers against them).
    expect(Object.keys(doc.components.schemas ?? {})).toEqual(expect.arrayContaining(['PointcloudListResponse', 'PointcloudResponse', 'MetaResponse', 'ErrorResponse', 'Pointcloud', 'Pagination']));
    expect(doc.paths['/pointclouds'].get.responses).toMatchObject({
      '200': { content: { 'application/json': { schema: { $ref: '#/components/schemas/PointcloudListResponse' } } } },
      default: { content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorResponse' } } } },
    });
  });

  test('POST /__sim/tenants adds a tenant with its own deterministic seed and lifecycle', async ({ start }) => {
    const [a, b] = [await start(), await start()];
    const seeds: PointcloudItem[][] = [];
    for (const sim of [a, b]) {
      const res = await admin(sim, '/__sim/tenants', 'POST', { name: 'gamma', token: 'tok-gamma' });
      expect(res.status).toBe(201);
      const r = await getJson<PointcloudListReply>(`${sim.url}/pointclouds?fields=id,name,kind,state,meta&order_by=id&sort=asc`, 'tok-gamma');
      seeds.push(r.body.result.data);
    }
    expect(seeds[0]).toEqual(seeds[1]);
    const ids = seeds[0].map((d) => Number(d.id));
    expect(ids.some((id) => id === 5310)).toBe(false);
    expect((await getJson(`${a.url}/pointclouds/5310?fields=id`, 'tok-gamma')).status).toBe(404);
    const processing = seeds[0].filter((d) => d.attributes.state === 'processing').map((d) => Number(d.id));
    expect(processing.length).toBeGreaterThan(0);
    a.clock.advance(60_000);
    for (const id of processing) expect(['done', 'error']).toContain((await attrs(a, id, 'tok-gamma')).state);
    const { tenants } = await adminJson<TenantList>(a, '/__sim/tenants');
    expect(tenants.map((t) => t.name)).toEqual(['alpha', 'beta', 'gamma']);
  });
});
