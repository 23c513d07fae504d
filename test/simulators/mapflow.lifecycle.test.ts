import { describe, expect } from 'vitest';
import { pointInPolygon } from '../../src/simulators/mapflow/mapflow.geometry.js';
import {
  ALPHA,
  client,
  createBody,
  startFrozen,
  test as mapflowTest,
  userDefined,
  type Json,
  type Polygon,
  type ProcessingReply,
  type ResultCollection,
  type UserDefinedParams,
} from './mapflow.helpers.js';
import { simChanges } from './sim-admin.helpers.js';

/** One state of a processing as `runToEnd` saw it, at a virtual time since it started. */
interface Seen {
  status: string;
  percent: number;
  atMs: number;
}

/**
 * The Mapflow test API with the file's simulator driven by hand: `create` a processing, read its
 * `state`, `runToEnd` (virtual time in 1 s steps until it is terminal, every observed state) and
 * `changesOf` (the simulator's change log of one processing or AOI).
 */
const test = mapflowTest
  .extend('create', { scope: 'file' }, ({ api }) => async (body: Json): Promise<Json> => {
    const r = await api.post('/processings/v2', body);
    expect(r.status).toBe(200);
    return r.body;
  })
  .extend('state', { scope: 'file' }, ({ api }) => async <P = unknown>(id: string) => (await api.get<ProcessingReply<P>>(`/processings/${id}/v2`)).body)
  .extend('runToEnd', { scope: 'file' }, ({ sim, state }) => async (id: string, maxMs = 60_000): Promise<Seen[]> => {
    const seen: Seen[] = [];
    for (let t = 0; t <= maxMs; t += 1_000) {
      const p = await state(id);
      seen.push({ status: p.status, percent: p.percentCompleted as number, atMs: t });
      if (['OK', 'FAILED'].includes(p.status)) break;
      sim.clock.advance(1_000);
    }
    return seen;
  })
  .extend('changesOf', { scope: 'file' }, ({ sim }) => (id: string, entity = 'processing') => simChanges(sim, `entity=${entity}&id=${id}`));

describe('mapflow processing lifecycle (virtual clock, timeScale 0)', () => {
  test('UNPROCESSED -> IN_PROGRESS with rising percentCompleted -> OK in 20-40 virtual seconds', async ({ api, create, state, runToEnd }) => {
    const p = await create(createBody());
    expect(p).toMatchObject({ status: 'UNPROCESSED', percentCompleted: 0 });
    expect(await state(p.id as string)).toMatchObject({ status: 'UNPROCESSED' }); // frozen clock: nothing moves
    const seen = await runToEnd(p.id as string);
    const last = seen[seen.length - 1];
    expect(last).toMatchObject({ status: 'OK', percent: 100 });
    expect(last.atMs).toBeGreaterThanOrEqual(20_000);
    expect(last.atMs).toBeLessThanOrEqual(41_000);
    const running = seen.filter((s) => s.status === 'IN_PROGRESS').map((s) => s.percent);
    expect(new Set(running.filter((x) => x > 0 && x < 100)).size).toBeGreaterThanOrEqual(4);
    expect(running).toEqual([...running].sort((a, b) => a - b));
    const aois = (await api.get<Json[]>(`/processings/${p.id as string}/aois`)).body;
    expect(aois.every((a) => a.status === 'OK' && a.percentCompleted === 100)).toBe(true);
    const done = await state(p.id as string);
    expect(done.updated).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    expect(done.updated).not.toBe(done.created);
  });

  test('logs every status and percentCompleted change of the processing and its AOIs', async ({ api, create, runToEnd, changesOf }) => {
    const p = await create(createBody());
    await runToEnd(p.id as string);
    const changes = await changesOf(p.id as string);
    const statuses = changes.filter((c) => c.field === 'status').map((c) => [c.from, c.to]);
    expect(statuses).toEqual([[null, 'UNPROCESSED'], ['UNPROCESSED', 'IN_PROGRESS'], ['IN_PROGRESS', 'OK']]);
    const percents = changes.filter((c) => c.field === 'percentCompleted').map((c) => c.to as number);
    expect(percents[0]).toBe(0);
    expect(percents[percents.length - 1]).toBe(100);
    expect(percents.length).toBeGreaterThanOrEqual(7);
    expect(changes.map((c) => c.at)).toEqual([...changes.map((c) => c.at)].sort((a, b) => a - b));
    const aoiId = ((await api.get<Json[]>(`/processings/${p.id as string}/aois`)).body[0].id) as string;
    const aoiChanges = await changesOf(aoiId, 'aoi');
    expect(aoiChanges.filter((c) => c.field === 'status').map((c) => c.to)).toEqual(['UNPROCESSED', 'IN_PROGRESS', 'OK']);
  });

  test('serves realistic results inside the AOI once OK', async ({ api, sim, create, runToEnd }) => {
    const p = await create(createBody());
    await runToEnd(p.id as string);
    const res = await fetch(`${sim.url}/processings/${p.id as string}/result`, { headers: { authorization: `Basic ${ALPHA}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/octet-stream');
    const fc = JSON.parse(await res.text()) as ResultCollection; // served as application/octet-stream, read as the GeoJSON it holds
    expect(fc.type).toBe('FeatureCollection');
    expect(fc.features.length).toBeGreaterThanOrEqual(3);
    const aoi = (await api.get<Json[]>(`/processings/${p.id as string}/aois`)).body[0].geometry as Polygon;
    for (const f of fc.features) {
      expect(f.geometry.type).toBe('Polygon');
      expect(f.properties.class_id).toBe(101);
      for (const [x, y] of f.geometry.coordinates[0]) expect(pointInPolygon(x, y, aoi)).toBe(true);
    }
    const again = await fetch(`${sim.url}/processings/${p.id as string}/result`, { headers: { authorization: `Basic ${ALPHA}` } });
    expect(JSON.parse(await again.text())).toEqual(fc);
  });

  test('imagery search waits in AWAITING before it runs', async ({ create, runToEnd }) => {
    const p = await create(createBody({ params: { sourceParams: { imagerySearch: { dataProvider: 'orbview', imageIds: ['103001008B1C5E00'], zoom: 18 } } } }));
    const seen = await runToEnd(p.id as string);
    const order = [...new Set(seen.map((s) => s.status))];
    expect(order).toEqual(['UNPROCESSED', 'AWAITING', 'IN_PROGRESS', 'OK']);
  });
});

describe('mapflow documented failures, reached deterministically', () => {
  const cases: [string, Json, Json][] = [
    ['a non-http url', userDefined({ url: 'ftp://imagery.local/{z}/{x}/{y}.png' }), { code: 'source-validator.UrlMustBeLink', parameters: { level: 'error' } }],
    ['zoom out of range', userDefined({ zoom: 25 }), { code: 'source-validator.InvalidZoomValue', parameters: { actual_zoom: '25', level: 'error' } }],
    ['a zoom above the model', { sourceParams: { dataProvider: { providerName: 'Mapbox', zoom: 21 } } }, { code: 'source-validator.TooHighZoom', parameters: { max_zoom: '20', actual_zoom: '21', level: 'error' } }],
    ['a zoom below the model', userDefined({ zoom: 12 }), { code: 'source-validator.TooLowZoom', parameters: { min_zoom: '14', actual_zoom: '12', level: 'error' } }],
    ['a fractional zoom', userDefined({ zoom: 18.5 }), { code: 'source-validator.ZoomMustBeInteger', parameters: { actual_zoom: '18.5', level: 'error' } }],
    ['an XYZ url without placeholders', userDefined({ url: 'https://tiles.example.com/tile.png' }), { code: 'source-validator.XYZLinkFormatError', parameters: { level: 'error' } }],
    ['a map basemap', userDefined({ url: 'https://tile.openstreetmap.org/{z}/{x}/{y}.png' }), { code: 'source-validator.UrlBlacklisted', parameters: { url: 'https://tile.openstreetmap.org/{z}/{x}/{y}.png', level: 'error' } }],
    ['a LOCAL source outside s3', userDefined({ sourceType: 'LOCAL', url: 'https://x.example/a.tif' }), { code: 'source-validator.S3URLError', parameters: { actual_s3_link: 'https://x.example/a.tif', level: 'error' } }],
    ['an unknown source type', userDefined({ sourceType: 'WMS' }), { code: 'source-validator.SourceTypeIsNotAllowed', parameters: { source_type: 'WMS', allowed_sources: 'XYZ, TMS, QUADKEY, SENTINEL_L2A, LOCAL', level: 'error' } }],
  ];
  for (const [what, params, msg] of cases) {
    test(`${what} fails with ${msg.code as string} at 0 %`, async ({ api, create, state, runToEnd }) => {
      const p = await create(createBody({ params }));
      const seen = await runToEnd(p.id as string);
      expect(seen[seen.length - 1]).toMatchObject({ status: 'FAILED', percent: 0 });
      const failed = await state(p.id as string);
      expect(failed.messages).toEqual([msg]);
      expect(failed.params).toEqual(params);
      const aois = (await api.get<Json[]>(`/processings/${p.id as string}/aois`)).body;
      expect(aois[0]).toMatchObject({ status: 'FAILED', messages: [msg] });
    });
  }

  test('an unreachable tile server fails later with dataloader.TileNotLoaded', async ({ create, state, runToEnd }) => {
    const p = await create(createBody({ params: userDefined({ url: 'https://tiles.invalid/{z}/{x}/{y}.png', rasterLogin: 'u', rasterPassword: 'secret' }) }));
    const seen = await runToEnd(p.id as string);
    expect(seen.some((s) => s.status === 'IN_PROGRESS' && s.percent > 0)).toBe(true);
    const failed = await state<UserDefinedParams>(p.id as string);
    expect(failed.status).toBe('FAILED');
    expect(failed.percentCompleted).toBeGreaterThan(0);
    const [m] = failed.messages;
    expect(m).toEqual({ code: 'dataloader.TileNotLoaded', parameters: { tile_location: '18/158485/81958', status: '404', level: 'error' } });
    expect(failed.params.sourceParams.userDefined.rasterPassword).toBe('secret');
  });

  test('restart reruns a failed processing: a bad url fails again, a transient failure ends OK', async ({ api, create, state, runToEnd }) => {
    const bad = await create(createBody({ params: userDefined({ url: 'ftp://x/{z}/{x}/{y}' }) }));
    await runToEnd(bad.id as string);
    const restarted = await api.post(`/processings/${bad.id as string}/restart/v2`);
    expect(restarted.body).toMatchObject({ status: 'UNPROCESSED', percentCompleted: 0, messages: [] });
    expect((await runToEnd(bad.id as string)).pop()?.status).toBe('FAILED');

    const projects = (await api.get<Json[]>('/projects')).body;
    const all = (await Promise.all(projects.map((p) => api.get<Json[]>(`/projects/${p.id as string}/processings/v2`)))).flatMap((r) => r.body);
    // A seeded failure (a Mapbox source; the `.invalid` one above would fail again).
    const transient = all.find((p) => (p.messages as Json[]).some((m) => m.code === 'dataloader.TileNotLoaded') && JSON.stringify(p.params).includes('Mapbox')) as Json;
    const again = await api.post(`/processings/${transient.id as string}/restart/v2`);
    expect(again.status).toBe(200);
    const seen = await runToEnd(transient.id as string);
    expect(seen.pop()).toMatchObject({ status: 'OK', percent: 100 });
    expect((await state(transient.id as string)).messages).toEqual([]);
    const cancelled = all.find((p) => p.status === 'CANCELLED') as Json;
    expect((await api.post(`/processings/${cancelled.id as string}/restart/v2`)).status).toBe(200);
  });
});

describe('mapflow seeded live processings', () => {
  test('running, queued and awaiting seeds finish as virtual time passes; deleted ones stop', async () => {
    const own = await startFrozen();
    const api = client(own, ALPHA);
    const state = async (id: string) => (await api.get(`/processings/${id}/v2`)).body;
    const changesOf = (id: string) => simChanges(own, `entity=processing&id=${id}`);
    const projects = (await api.get<Json[]>('/projects')).body;
    const all = (await Promise.all(projects.map((p) => api.get<Json[]>(`/projects/${p.id as string}/processings/v2`)))).flatMap((r) => r.body);
    const live = all.filter((p) => ['UNPROCESSED', 'IN_PROGRESS', 'AWAITING'].includes(p.status as string));
    expect(live.length).toBeGreaterThanOrEqual(8);
    const victim = live.find((p) => p.name !== 'Test') as Json;
    expect((await api.del(`/processings/${victim.id as string}`)).status).toBe(200);
    const before = (await changesOf(victim.id as string)).length;
    own.clock.advance(120_000);
    for (const p of live) {
      if (p === victim) continue;
      expect((await state(p.id as string)).status, String(p.name)).toBe('OK');
    }
    expect((await changesOf(victim.id as string)).length).toBe(before);
    expect((await api.get(`/processings/${victim.id as string}/v2`)).status).toBe(404);
    await own.close();
  });

  test('charges the processed area on creation', async ({ api, create }) => {
    const before = (await api.get('/user/status')).body;
    const p = await create(createBody());
    const after = (await api.get('/user/status')).body;
    expect(after.processedArea).toBe((before.processedArea as number) + (p.area as number));
    expect(after.remainingArea).toBe((before.remainingArea as number) - (p.area as number));
  });
});
