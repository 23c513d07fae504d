import { describe, expect } from 'vitest';
import { ResultsLinks } from '../../src/links/results-links.js';
import {
  MapflowCreateProjectResultsUrlDocument,
  MapflowProcessingResultsUrlDocument,
  MapflowProjectResultsUrlDocument,
  MapflowThreeResultsUrlsDocument,
} from '../generated/graphql.js';
import { jsonOf, test, type Stack } from '../helpers/stack.helpers.js';
import { ALPHA_TOKEN, BETA_TOKEN, doc, tenantData, tokenForms } from './mapflow.helpers.js';

/**
 * `Processing.resultsUrl` and `Project.resultsUrl` end to end: asked for over GraphQL, then opened
 * like a browser would (plain `fetch`, no headers) and compared with what the simulator serves.
 * Expiry is tested by minting links at another time, never by waiting.
 */

const SECRET = 'results-url-test-secret-0123456789';
const TTL = 120;

test.override('stackOptions', { env: { RESULTS_URL_SECRET: SECRET, RESULTS_URL_TTL_SECONDS: String(TTL) } });
test.beforeEach(({ stack }) => stack.resetCounts());

/** A result as Mapflow serves it: a GeoJSON FeatureCollection. */
interface FC {
  type: string;
  features: { properties: Record<string, unknown> }[];
}

/** A processing of a project's list (`GET /projects/{id}/processings/v2`). */
interface ListedProcessing {
  id: string;
  name: string;
  status: string;
}

async function vendorGet<T>(stack: Stack, path: string, token = ALPHA_TOKEN): Promise<T> {
  const res = await fetch(stack.sims.mapflow.url + path, { headers: { authorization: `Basic ${token}` } });
  if (!res.ok) throw new Error(`${path}: ${res.status}`);
  return jsonOf<T>(res);
}

async function processingUrl(stack: Stack, id: string, headers?: Record<string, string>): Promise<string | null> {
  const r = await stack.op(MapflowProcessingResultsUrlDocument, { id }, headers);
  expect(r.errors).toBeUndefined();
  return r.data?.processing?.resultsUrl ?? null;
}

/** Opens a link as a browser would: no headers at all. */
async function open(url: string): Promise<{ status: number; type: string | null; body: unknown }> {
  const res = await fetch(url);
  const text = await res.text();
  return { status: res.status, type: res.headers.get('content-type'), body: JSON.parse(text) };
}

describe('Processing.resultsUrl', () => {
  test("is a signed, expiring gateway URL that streams the processing's GeoJSON to a client with no headers", async ({ stack }) => {
    const id = doc<{ id: string }>('processing.json').id;
    const before = Math.floor(Date.now() / 1000);
    const url = (await processingUrl(stack, id)) as string;
    const after = Math.floor(Date.now() / 1000);
    expect(stack.sims.mapflow.stats.snapshot().byRoute).toEqual({ 'GET /processings/{id}/v2': 1 });

    const u = new URL(url);
    expect(u.origin).toBe(`http://localhost:${stack.gateway.port}`);
    expect(u.pathname).toBe(`/results/processing/${id}`);
    expect([...u.searchParams.keys()].sort()).toEqual(['c', 'exp', 'sig']);
    const exp = Number(u.searchParams.get('exp'));
    expect(exp).toBeGreaterThanOrEqual(before + TTL);
    expect(exp).toBeLessThanOrEqual(after + TTL);
    for (const form of tokenForms(ALPHA_TOKEN)) expect(url).not.toContain(form);

    stack.resetCounts();
    const got = await open(url);
    expect(got.status).toBe(200);
    expect(got.type).toBe('application/geo+json');
    const expected = await vendorGet<FC>(stack, `/processings/${id}/result`);
    expect(expected.features.length).toBeGreaterThan(0);
    expect(got.body).toEqual(expected);
    // Opening the link cost one vendor call (the other is this test's own oracle read).
    expect(stack.callsTo('mapflow', 'GET /processings/{id}/result')).toBe(2);
  });

  test('is null until the processing is OK', async ({ stack }) => {
    const notOk = [...tenantData(stack, 'alpha').processings.values()].filter((p) => p.status !== 'OK').slice(0, 3);
    expect(notOk.map((p) => p.status)).not.toContain('OK');
    const [p0, p1, p2] = notOk.map((p) => p.id);
    const r = await stack.op(MapflowThreeResultsUrlsDocument, { p0, p1, p2 });
    expect(r.data).toEqual(Object.fromEntries(notOk.map((p, i) => [`p${i}`, { status: p.status, resultsUrl: null }])));
  });

  test("refers to the caller's own credential: a link made with another tenant's header opens that tenant's results", async ({ stack }) => {
    const beta = [...tenantData(stack, 'beta').processings.values()].find((p) => p.status === 'OK');
    expect(beta).toBeDefined();
    const url = (await processingUrl(stack, beta?.id as string, { 'x-mapflow-token': BETA_TOKEN })) as string;
    for (const form of [...tokenForms(BETA_TOKEN), ...tokenForms(ALPHA_TOKEN)]) expect(url).not.toContain(form);
    const got = await open(url);
    expect(got.status).toBe(200);
    expect(got.body).toEqual(await vendorGet<FC>(stack, `/processings/${beta?.id}/result`, BETA_TOKEN));
    // The server's own (alpha) credential does not see beta's processing at all.
    const asAlpha = await stack.op(MapflowProcessingResultsUrlDocument, { id: beta?.id as string });
    expect(asAlpha).toMatchObject({ data: { processing: null } });
    expect(asAlpha.errors).toBeUndefined();
  });

  test('refuses a tampered link with 403 and an expired one with 410', async ({ stack }) => {
    const id = doc<{ id: string }>('processing.json').id;
    const url = new URL((await processingUrl(stack, id)) as string);
    const sig = url.searchParams.get('sig') as string;

    const badSig = new URL(url);
    badSig.searchParams.set('sig', (sig[0] === 'A' ? 'B' : 'A') + sig.slice(1));
    const laterExp = new URL(url);
    laterExp.searchParams.set('exp', String(Number(url.searchParams.get('exp')) + 3600));
    const otherId = new URL(url);
    otherId.pathname = `/results/processing/${[...tenantData(stack, 'alpha').processings.values()].find((p) => p.status === 'OK' && p.id !== id)?.id}`;
    const asProject = new URL(url);
    asProject.pathname = `/results/project/${id}`;
    stack.resetCounts();
    for (const tampered of [badSig, laterExp, otherId, asProject]) {
      expect(await open(tampered.toString())).toEqual({ status: 403, type: 'application/json; charset=utf-8', body: { error: 'This results link is not valid.' } });
    }

    // Signed with the server's key, but minted 10 minutes ago with a 2-minute lifetime.
    const links = new ResultsLinks(() => `http://localhost:${stack.gateway.port}`, SECRET, TTL);
    const expired = await links.make({ kind: 'processing', id }, ALPHA_TOKEN, Date.now() - 10 * 60_000);
    expect(await open(expired)).toEqual({
      status: 410,
      type: 'application/json; charset=utf-8',
      body: { error: 'This results link has expired; query resultsUrl again for a new one.' },
    });
    // The same link minted now opens: only its age made the difference.
    expect((await open(await links.make({ kind: 'processing', id }, ALPHA_TOKEN))).status).toBe(200);
    // And the gateway's link is refused once its time has passed (opened "later", no waiting).
    expect(await links.open({ kind: 'processing', id }, url.searchParams, (Number(url.searchParams.get('exp')) + 1) * 1000)).toEqual({
      status: 410,
      error: 'This results link has expired; query resultsUrl again for a new one.',
    });
    // Refused links never reach Mapflow.
    expect(stack.callsTo('mapflow', 'GET /processings/{id}/result')).toBe(1);
  });
});

describe('Project.resultsUrl', () => {
  test("streams one FeatureCollection merged from every OK processing, each feature tagged with processingId and processingName", async ({ stack }) => {
    const t = tenantData(stack, 'alpha');
    const projectId = [...t.projects.keys()].find((pid) => {
      const ps = [...t.processings.values()].filter((p) => p.projectId === pid);
      return ps.filter((p) => p.status === 'OK').length > 1 && ps.some((p) => p.status !== 'OK');
    }) as string;
    expect(projectId).toBeDefined();
    const listed = await vendorGet<ListedProcessing[]>(stack, `/projects/${projectId}/processings/v2`);
    const expected = { type: 'FeatureCollection', features: [] as unknown[] };
    for (const p of listed.filter((x) => x.status === 'OK')) {
      for (const f of (await vendorGet<FC>(stack, `/processings/${p.id}/result`)).features) {
        expected.features.push({ ...f, properties: { ...f.properties, processingId: p.id, processingName: p.name } });
      }
    }
    stack.resetCounts();
    const r = await stack.op(MapflowProjectResultsUrlDocument, { id: projectId });
    expect(r.errors).toBeUndefined();
    const url = new URL(r.data?.project?.resultsUrl as string);
    expect(url.pathname).toBe(`/results/project/${projectId}`);
    for (const form of tokenForms(ALPHA_TOKEN)) expect(url.toString()).not.toContain(form);
    expect(stack.sims.mapflow.stats.snapshot().byRoute).toEqual({ 'GET /projects/{id}': 1 });

    stack.resetCounts();
    const got = await open(url.toString());
    expect(got.status).toBe(200);
    expect(got.type).toBe('application/geo+json');
    expect(got.body).toEqual(expected);
    const ok = listed.filter((x) => x.status === 'OK').length;
    expect(stack.sims.mapflow.stats.snapshot().byRoute).toEqual({ 'GET /projects/{id}/processings/v2': 1, 'GET /processings/{id}/result': ok });
  });

  test('a project with no OK processing gives an empty FeatureCollection', async ({ stack }) => {
    const created = await stack.op(MapflowCreateProjectResultsUrlDocument, { name: 'Empty results' });
    const got = await open(created.data?.createProject.resultsUrl as string);
    expect(got).toEqual({ status: 200, type: 'application/geo+json', body: { type: 'FeatureCollection', features: [] } });
  });
});
