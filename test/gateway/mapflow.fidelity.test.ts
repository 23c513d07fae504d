import { describe, expect } from 'vitest';
import { startGateway } from '../../src/app.js';
import type { Simulators } from '../../src/simulators/index.js';
import { MAPFLOW_DEMO_TENANTS, type MapflowTenant } from '../../src/simulators/mapflow/index.js';
import {
  FidelityCreateProcessingDocument,
  FidelityCreateProjectDocument,
  FidelityDeleteProcessingDocument,
  FidelityOwnersDocument,
  FidelityProcessingDocument,
  FidelityProcessingNameDocument,
  FidelityProcessingsByStatusDocument,
  FidelityProjectsDocument,
  FidelityResultsDocument,
  FidelityStatsDocument,
  type CreateProcessingInput,
} from '../generated/graphql.js';
import { gatewayEnv, opAt, simsTest, startStack, type RunningSimulators } from '../helpers/stack.helpers.js';
import { doc, square } from './mapflow.helpers.js';

/**
 * What Mapflow's docs name and the gateway did not read (the IN_REVIEW status, v2 block labels,
 * ratings, the owner's limits, the stats' `archived` and `dataProvider`, the results' media type),
 * read through the gateway over real HTTP from the simulator's documented-variants answers (on by
 * default), which differ from the examples our mappers were first written against. A proxy in front
 * of the simulator shows what the gateway sent. The simulators' clocks are frozen.
 */
const test = simsTest.extend('gateway', { scope: 'file' }, async ({ sims, proxies }, { onCleanup }) => {
  const proxy = proxies.mapflow;
  if (!proxy) throw new Error('the Mapflow proxy is missing');
  const gateway = await startGateway({ env: gatewayEnv(sims, { MAPFLOW_URL: sims.mapflow.url.replace(sims.mapflow.origin, proxy.origin) }) });
  onCleanup(() => gateway.close());
  return gateway;
});
test.override('simsOptions', { proxy: ['mapflow'] });

const ALPHA = MAPFLOW_DEMO_TENANTS[0].token;
const BUILDINGS = '30ddfd15-04aa-47f6-9ceb-68ce709fd710';
const DOC_PROJECT = doc<{ id: string }>('project.json');
const DOC_DEFAULT = doc<{ user: Record<string, unknown> }>('project-default.json');
const DOC_PROCESSING = doc<{ id: string }>('processing.json');

type Json = Record<string, unknown>;

/** What the Mapflow simulator holds for tenant alpha. */
function alpha(sims: RunningSimulators): MapflowTenant['data'] {
  const tenant = (sims.mapflow.tenants() as MapflowTenant[]).find((t) => t.name === 'alpha');
  if (!tenant) throw new Error('no tenant alpha');
  return tenant.data;
}

/** Asks the Mapflow simulator directly, as alpha: the vendor's own answer. */
async function vendor<T = Json>(sims: Simulators, method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(sims.mapflow.url + path, {
    method,
    headers: { authorization: `Basic ${ALPHA}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return (text ? JSON.parse(text) : null) as T;
}

/** One of the simulator's `/__sim` routes (what Mapflow's reviewers and web app do). */
async function admin(sims: RunningSimulators, path: string, body: unknown): Promise<void> {
  const res = await fetch(`${sims.mapflow.origin}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect(res.status, `${path}: ${await res.text()}`).toBe(200);
}

/** Runs every scheduled step of the simulator's processings (a run takes at most 40 virtual seconds). */
function finishRuns(sims: RunningSimulators): void {
  for (let elapsed = 0; elapsed < 60_000; elapsed += 1_000) sims.mapflow.clock.advance(1_000);
  sims.mapflow.scheduler.settle();
}

let spot = 0;
/** A fresh processing on alpha, made through the gateway (each one a little further east). */
async function created(gateway: { url: string }, over: Partial<CreateProcessingInput> = {}) {
  spot += 1;
  const r = await opAt(gateway.url, FidelityCreateProcessingDocument, {
    input: { name: `fidelity ${spot}`, workflowDefId: BUILDINGS, geometry: square(37.2 + spot * 0.01, 55.6), sourceParams: { dataProvider: { providerName: 'Mapbox', zoom: 18 } }, ...over },
  });
  expect(r.errors).toBeUndefined();
  const made = r.data?.createProcessing;
  if (!made) throw new Error('no processing created');
  return made;
}

describe('IN_REVIEW: results under review', () => {
  test('a seeded processing under review reads IN_REVIEW, running and not terminal, and is found by that status', async ({ sims, gateway }) => {
    const held = [...alpha(sims).processings.values()].filter((p) => p.status === 'IN_REVIEW');
    expect(held.length).toBeGreaterThan(0);
    const one = held[0];
    // The simulator's answer: the status itself (without documented variants it would be OK).
    expect(await vendor(sims, 'GET', `/processings/${one.id}/v2`)).toMatchObject({ status: 'IN_REVIEW', reviewStatus: { reviewStatus: 'IN_REVIEW' } });

    const r = await opAt(gateway.url, FidelityProcessingDocument, { id: one.id });
    expect(r.errors).toBeUndefined();
    expect(r.data?.processing).toMatchObject({
      id: one.id,
      status: 'IN_REVIEW',
      state: 'RUNNING',
      upstreamStatus: 'IN_REVIEW',
      isTerminal: false,
      percentCompleted: 100,
      reviewStatus: 'IN_REVIEW',
    });

    const listed = await opAt(gateway.url, FidelityProcessingsByStatusDocument, { projectId: one.projectId, status: ['IN_REVIEW'] });
    expect(listed.errors).toBeUndefined();
    const inProject = held.filter((p) => p.projectId === one.projectId).map((p) => p.id);
    expect(listed.data?.processings?.nodes.map((n) => n.id).sort()).toEqual(inProject.sort());
    expect(listed.data?.processings?.nodes.every((n) => n.status === 'IN_REVIEW' && n.state === 'RUNNING' && !n.isTerminal)).toBe(true);
  });

  test('a finished processing put under review turns IN_REVIEW, and OK (terminal) once accepted', async ({ sims, gateway }) => {
    const made = await created(gateway);
    finishRuns(sims);
    const read = async () => (await opAt(gateway.url, FidelityProcessingDocument, { id: made.id })).data?.processing;
    expect(await read()).toMatchObject({ status: 'OK', state: 'SUCCEEDED', isTerminal: true, reviewStatus: null });

    await admin(sims, `/__sim/processings/${made.id}/review`, { reviewStatus: 'IN_REVIEW' });
    expect(await read()).toMatchObject({ status: 'IN_REVIEW', state: 'RUNNING', isTerminal: false, reviewStatus: 'IN_REVIEW' });

    await admin(sims, `/__sim/processings/${made.id}/review`, { reviewStatus: 'ACCEPTED' });
    expect(await read()).toMatchObject({ status: 'OK', state: 'SUCCEEDED', isTerminal: true, reviewStatus: 'ACCEPTED' });
  });
});

describe('block labels: v2 `blocks[].description`', () => {
  test('the v2 answer labels a block with `description` alone; it is displayName for the model and for the options of the processing', async ({ sims, gateway }) => {
    const made = await created(gateway, { blocks: [{ name: 'Classification', enabled: true }] });
    const raw = await vendor<{ workflowDef: { blocks: Json[] } }>(sims, 'GET', `/processings/${made.id}/v2`);
    expect(raw.workflowDef.blocks.length).toBeGreaterThan(0);
    for (const b of raw.workflowDef.blocks) {
      expect(Object.keys(b).sort()).toEqual(['description', 'name', 'optional', 'price']);
      expect(typeof b.optional).toBe('number'); // 0/1, as in the v2 example
    }
    // The labels the account's models give (`displayName` in /user/status).
    const status = await vendor<{ models: { id: string; blocks?: { name: string; displayName: string; optional: boolean; price: number }[] }[] }>(sims, 'GET', '/user/status');
    const model = status.models.find((m) => m.id === BUILDINGS);
    const blocks = model?.blocks ?? [];
    expect(blocks.map((b) => b.displayName)).toEqual(['Classification', 'Polygonization', 'Merge with OSM']);

    const r = await opAt(gateway.url, FidelityProcessingDocument, { id: made.id });
    expect(r.errors).toBeUndefined();
    expect(r.data?.processing?.workflowDef?.blocks).toEqual(blocks.map((b) => ({ name: b.name, displayName: b.displayName, optional: b.optional, price: b.price })));
    expect(r.data?.processing?.blocks).toEqual([
      { name: 'Classification', enabled: true, displayName: 'Classification' },
      { name: 'Simplification', enabled: false, displayName: 'Polygonization' },
      { name: 'OSM', enabled: false, displayName: 'Merge with OSM' },
    ]);
  });

  test('a simulator serving both keys (documented variants off) reads the same through a gateway of its own', async ({ sims, gateway }) => {
    // The seeds are deterministic: the same processing exists in both simulators.
    const seeded = [...alpha(sims).processings.values()].find((p) => p.workflowDefId === BUILDINGS && p.blocks.length > 0 && p.status === 'OK' && !p.reviewStatus);
    if (!seeded) throw new Error('no seeded Buildings processing with options');
    const exact = await startStack({ documentedVariants: false });
    try {
      const raw = await vendor<{ workflowDef: { blocks: Json[] } }>(exact.sims, 'GET', `/processings/${seeded.id}/v2`);
      expect(raw.workflowDef.blocks.every((b) => typeof b.displayName === 'string' && b.description === b.displayName && typeof b.optional === 'boolean')).toBe(true);
      const fromExact = await exact.op(FidelityProcessingDocument, { id: seeded.id });
      const fromVariants = await opAt(gateway.url, FidelityProcessingDocument, { id: seeded.id });
      expect(fromExact.errors).toBeUndefined();
      expect(fromExact.data?.processing?.blocks.every((b) => b.displayName !== null)).toBe(true);
      expect(fromVariants.data).toEqual(fromExact.data);
    } finally {
      await exact.close();
    }
  });
});

describe('Processing.rating', () => {
  test('null when not rated; a rating sent as a string (v2 reference) or a number (QGIS plugin) reads as a string', async ({ sims, gateway }) => {
    const rated = [...alpha(sims).processings.values()].find((p) => p.rating);
    if (!rated) throw new Error('no seeded rated processing');
    const raw = await vendor<{ rating: Json }>(sims, 'GET', `/processings/${rated.id}/v2`);
    expect(raw.rating).toEqual({ rating: '5', feedback: 'Accurate footprints' });
    const read = async (id: string) => (await opAt(gateway.url, FidelityProcessingDocument, { id })).data?.processing?.rating;
    expect(await read(rated.id)).toEqual({ rating: '5', feedback: 'Accurate footprints' });

    const made = await created(gateway);
    expect((await vendor<Json>(sims, 'GET', `/processings/${made.id}/v2`)).rating).toBeNull();
    expect(await read(made.id)).toBeNull();

    await admin(sims, `/__sim/processings/${made.id}/rating`, { rating: 3, feedback: 'Some roofs merged' });
    expect((await vendor<{ rating: Json }>(sims, 'GET', `/processings/${made.id}/v2`)).rating).toEqual({ rating: 3, feedback: 'Some roofs merged' });
    expect(await read(made.id)).toEqual({ rating: '3', feedback: 'Some roofs merged' });

    await admin(sims, `/__sim/processings/${made.id}/rating`, { rating: null });
    expect(await read(made.id)).toBeNull();
  });
});

describe('the project owner (MapflowUser)', () => {
  test("the owner's limits and processed area as the project's `user` gives them; processedArea grows with each new processing", async ({ sims, gateway }) => {
    const r = await opAt(gateway.url, FidelityOwnersDocument, { id: DOC_PROJECT.id });
    expect(r.errors).toBeUndefined();
    // The "get project" example's user has no figures; the default project's has them all.
    expect(r.data?.project?.owner).toMatchObject({ areaLimit: null, aoiAreaLimit: null, processedArea: null, isPremium: null });
    const u = DOC_DEFAULT.user;
    expect(r.data?.defaultProject?.owner).toEqual({ id: u.id, email: u.email, areaLimit: 50000000, aoiAreaLimit: 50000000, processedArea: 21863903, isPremium: false });

    const project = (await opAt(gateway.url, FidelityCreateProjectDocument, { input: { name: 'owner figures' } })).data?.createProject;
    if (!project) throw new Error('no project created');
    const owner = async () => (await opAt(gateway.url, FidelityOwnersDocument, { id: project.id })).data?.project?.owner;
    const before = await owner();
    const t = alpha(sims);
    expect(before).toEqual({ id: t.owner.id, email: t.email, areaLimit: 100000000000, aoiAreaLimit: 50000000, processedArea: Number(t.userStatus.processedArea), isPremium: true });

    const made = await created(gateway, { projectId: project.id });
    expect(made.area).toBeGreaterThan(0);
    expect((await owner())?.processedArea).toBe((before?.processedArea ?? 0) + (made.area ?? 0));
  });
});

describe('stats rows: archived and dataProvider', () => {
  test('the documented rows read archived false and no provider; a deleted processing stays in the report as archived, with its provider', async ({ sims, gateway }) => {
    const filter = { dateFrom: '2024-11-07T21:00:00.000Z', dateTo: '2025-02-24T21:59:59.999Z', statuses: ['OK'] };
    const documented = await opAt(gateway.url, FidelityStatsDocument, { filter });
    expect(documented.errors).toBeUndefined();
    expect(documented.data?.processingStats?.results.map((row) => [row.name, row.archived, row.dataProvider])).toEqual([
      ['test_proc', false, null],
      ['test_proc2', false, null],
    ]);

    const made = await created(gateway, { name: 'archived after delete' });
    const deleted = await opAt(gateway.url, FidelityDeleteProcessingDocument, { id: made.id });
    expect(deleted.errors).toBeUndefined();
    const raw = await vendor<{ results: Json[] }>(sims, 'POST', '/processings/stats?type=JSON', { terms: 'archived after delete' });
    expect(raw.results).toEqual([expect.objectContaining({ archived: 'true', dataProvider: 'Mapbox' })]);
    const rows = await opAt(gateway.url, FidelityStatsDocument, { filter: { terms: 'archived after delete' } });
    expect(rows.errors).toBeUndefined();
    expect(rows.data?.processingStats?.results).toEqual([
      { name: 'archived after delete', status: 'UNPROCESSED', archived: true, dataProvider: 'Mapbox', linkToMap: expect.stringContaining(made.id) },
    ]);
  });

  test('an `archived` value other than "true" or "false" reads null and fails nothing', async ({ proxies, gateway }) => {
    const row = (name: string, archived: unknown) => ({ projectName: 'P', name, email: 'a@b.c', area: '1', cost: '0', status: 'OK', percentCompleted: '100', archived, dataProvider: 'Mapbox' });
    let answered = false;
    proxies.mapflow?.respond(
      (req) => !answered && req.method === 'POST' && req.path === '/rest/processings/stats',
      () => {
        answered = true;
        const results = [row('t', 'true'), row('f', 'false'), row('upper', 'TRUE'), row('empty', ''), row('bool', true), row('number', 1)];
        return { status: 200, json: { results, total: results.length, count: results.length, totalCost: 0, totalArea: results.length } };
      },
    );
    const r = await opAt(gateway.url, FidelityStatsDocument, {});
    expect(answered).toBe(true);
    expect(r.errors).toBeUndefined();
    expect(r.data?.processingStats?.results.map((x) => [x.name, x.archived])).toEqual([
      ['t', true],
      ['f', false],
      ['upper', null],
      ['empty', null],
      ['bool', true],
      ['number', null],
    ]);
  });
});

describe('documented paths the gateway does not call', () => {
  test('rename and restart by the documented paths work at the simulator, and the gateway reads what they did', async ({ sims, gateway, proxies }) => {
    const made = await created(gateway);
    // "Rename processing": PUT /processing/{id} (singular), with the documented body.
    await vendor(sims, 'PUT', `/processing/${made.id}`, doc('processing-rename-request.json'));
    const renamed = await opAt(gateway.url, FidelityProcessingNameDocument, { id: made.id });
    expect(renamed.data?.processing).toMatchObject({ name: 'new name (optional)', description: 'new description (optional)' });

    // "Restart processing": POST /processings/{id}/restart, without /v2.
    const failing = await created(gateway, { sourceParams: { userDefined: { sourceType: 'XYZ', url: 'https://tiles.example.invalid/{z}/{x}/{y}.png' } } });
    finishRuns(sims);
    expect((await opAt(gateway.url, FidelityProcessingNameDocument, { id: failing.id })).data?.processing?.status).toBe('FAILED');
    await vendor(sims, 'POST', `/processings/${failing.id}/restart`);
    expect((await opAt(gateway.url, FidelityProcessingNameDocument, { id: failing.id })).data?.processing?.status).toBe('UNPROCESSED');

    // "Get all projects": GET /projects lists what the gateway pages through POST /projects/page (the QGIS plugin's call).
    const all = await vendor<{ id: string }[]>(sims, 'GET', '/projects');
    const before = proxies.mapflow?.requests.length ?? 0;
    const paged = await opAt(gateway.url, FidelityProjectsDocument, {});
    expect(paged.errors).toBeUndefined();
    expect(paged.data?.projects?.nodes.map((p) => p.id).sort()).toEqual(all.map((p) => p.id).sort());
    expect(proxies.mapflow?.requests.slice(before).map((q) => `${q.method} ${q.path}`)).toEqual(['POST /rest/projects/page']);
  });
});

describe('results download', () => {
  test('asks for the octet stream the docs name, never for JSON alone (which the simulator refuses with 406)', async ({ sims, gateway, proxies }) => {
    const refused = await fetch(`${sims.mapflow.url}/processings/${DOC_PROCESSING.id}/result`, { headers: { authorization: `Basic ${ALPHA}`, accept: 'application/json' } });
    expect(refused.status).toBe(406);
    expect(await refused.json()).toMatchObject({ code: 'NOT_ACCEPTABLE' });

    const before = proxies.mapflow?.requests.length ?? 0;
    const r = await opAt(gateway.url, FidelityResultsDocument, { id: DOC_PROCESSING.id });
    expect(r.errors).toBeUndefined();
    expect(r.data?.processing?.results).toMatchObject({ type: 'FeatureCollection' });
    const url = r.data?.processing?.resultsUrl;
    if (!url) throw new Error('no resultsUrl');
    const download = await fetch(url);
    expect(download.status).toBe(200);
    expect(await download.json()).toMatchObject({ type: 'FeatureCollection' });

    const downloads = (proxies.mapflow?.requests.slice(before) ?? []).filter((q) => q.path === `/rest/processings/${DOC_PROCESSING.id}/result`);
    expect(downloads).toHaveLength(2); // the inline `results`, then the resultsUrl stream
    for (const q of downloads) expect(q.headers.accept).toBe('application/octet-stream, */*;q=0.1');
  });
});
