import 'reflect-metadata';
import { describe, expect } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { UpstreamHttp } from '../../src/datasources/http/upstream-http.js';
import { mapflowErrorInfo } from '../../src/datasources/mapflow/mapflow.errors.js';
import { createMapflowService, type ResultsStream } from '../../src/datasources/mapflow/mapflow.service.js';
import { ResultsLinks } from '../../src/links/results-links.js';
import type { Simulators } from '../../src/simulators/index.js';
import { jsonOf, simsTest as test } from '../helpers/stack.helpers.js';
import { ALPHA_TOKEN, doc, tenantData } from './mapflow.helpers.js';

/**
 * `openResults`, the body behind every `/results/...` link, against the simulator over real HTTP: one
 * processing's result passed through, or a project's OK processings merged into one FeatureCollection.
 */

/** A GeoJSON FeatureCollection as Mapflow serves a processing's result. */
interface FeatureCollection {
  type: string;
  features: { properties: Record<string, unknown> }[];
}

/** A processing of a project's list (`GET /projects/{id}/processings/v2`). */
interface ListedProcessing {
  id: string;
  name: string;
  status: string;
}

type Sim = Simulators['mapflow'];

const deps = (sim: Sim) => ({
  config: loadConfig({ NODE_ENV: 'test' }),
  http: new UpstreamHttp({ source: 'MAPFLOW', baseUrl: sim.url, timeoutMs: 5_000, parseError: mapflowErrorInfo }),
  links: new ResultsLinks(() => 'http://localhost', 'a-test-secret-of-enough-length', 60),
});
const service = (sim: Sim, token: string | null = ALPHA_TOKEN) => createMapflowService(deps(sim), token ? { token } : null);

test.beforeEach(({ sims }) => sims.mapflow.stats.reset());

async function read(stream: ResultsStream): Promise<{ text: string; chunks: number }> {
  if (!('body' in stream)) throw new Error(`expected a body, got ${stream.status} ${stream.error}`);
  let text = '';
  let chunks = 0;
  for await (const c of stream.body as AsyncIterable<string | Buffer>) {
    text += typeof c === 'string' ? c : c.toString('utf8');
    chunks++;
  }
  return { text, chunks };
}

async function vendorResult(sim: Sim, id: string): Promise<FeatureCollection> {
  const res = await fetch(`${sim.url}/processings/${id}/result`, { headers: { authorization: `Basic ${ALPHA_TOKEN}` } });
  return jsonOf<FeatureCollection>(res);
}

describe('openResults', () => {
  test("streams one processing's result as the vendor sends it", async ({ sims }) => {
    const sim = sims.mapflow;
    const id = doc<{ id: string }>('processing.json').id;
    const { text } = await read(await service(sim).openResults({ kind: 'processing', id }));
    expect(JSON.parse(text)).toEqual(await vendorResult(sim, id));
  });

  test("merges every OK processing of a project, tagged, in the vendor's list order", async ({ sims }) => {
    const sim = sims.mapflow;
    const t = tenantData({ sims }, 'alpha');
    // The project with the most OK processings among those that also have others.
    const [projectId] = [...t.projects.keys()]
      .map((id) => [...t.processings.values()].filter((p) => p.projectId === id))
      .filter((ps) => ps.some((p) => p.status !== 'OK'))
      .map((ps) => [ps[0]?.projectId, ps.filter((p) => p.status === 'OK').length] as const)
      .sort((a, b) => b[1] - a[1])[0];
    const listed = await jsonOf<ListedProcessing[]>(await fetch(`${sim.url}/projects/${projectId}/processings/v2`, { headers: { authorization: `Basic ${ALPHA_TOKEN}` } }));
    const ok = listed.filter((p) => p.status === 'OK');
    expect(ok.length).toBeGreaterThan(1);
    expect(ok.length).toBeLessThan(listed.length);
    const expected = { type: 'FeatureCollection', features: [] as unknown[] };
    for (const p of ok) {
      for (const f of (await vendorResult(sim, p.id)).features) expected.features.push({ ...f, properties: { ...f.properties, processingId: p.id, processingName: p.name } });
    }
    sim.stats.reset();
    const { text, chunks } = await read(await service(sim).openResults({ kind: 'project', id: projectId as string }));
    expect(JSON.parse(text)).toEqual(expected);
    // Written as it goes, in chunks of about 64 KiB, never as one whole buffer.
    expect(text.length).toBeGreaterThan(3 * 64 * 1024);
    expect(chunks).toBeGreaterThanOrEqual(Math.floor(text.length / (64 * 1024)));
    expect(sim.stats.count('GET /projects/{id}/processings/v2')).toBe(1);
    expect(sim.stats.count('GET /processings/{id}/result')).toBe(ok.length);
  });

  test('answers 404 for an unknown processing or project, 409 for unfinished results, 401 without a credential', async ({ sims }) => {
    const sim = sims.mapflow;
    expect(await service(sim).openResults({ kind: 'processing', id: '00000000-0000-4000-8000-000000000000' })).toEqual({
      status: 404,
      error: 'Mapflow processing 00000000-0000-4000-8000-000000000000 not found',
    });
    expect(await service(sim).openResults({ kind: 'project', id: '00000000-0000-4000-8000-000000000000' })).toMatchObject({ status: 404 });
    const running = [...tenantData({ sims }, 'alpha').processings.values()].find((p) => p.status === 'IN_PROGRESS');
    expect(await service(sim).openResults({ kind: 'processing', id: running?.id as string })).toEqual({
      status: 409,
      error: `Mapflow: Processing ${running?.id} has no results: its status is IN_PROGRESS`,
    });
    expect(await service(sim, null).openResults({ kind: 'processing', id: 'x' })).toEqual({ status: 401, error: 'Mapflow credentials missing' });
  });

  test('exposes the calls the live-status watcher and the bulk create build on', async ({ sims }) => {
    const sim = sims.mapflow;
    const svc = service(sim);
    const t = tenantData({ sims }, 'alpha');
    const projectId = [...t.projects.values()].find((p) => p.isDefault)?.id as string;
    const all = await svc.listProjectProcessingsAll(projectId);
    expect(all.map((p) => p.id).sort()).toEqual([...t.processings.values()].filter((p) => p.projectId === projectId).map((p) => p.id).sort());
    // Primed: a by-id lookup after the list costs nothing.
    expect(await svc.getProcessing(all[0].id)).toBe(all[0]);
    expect(await svc.getProcessing('00000000-0000-4000-8000-000000000000')).toBeNull();
    expect(await svc.getProject(projectId)).toMatchObject({ id: projectId, isDefault: true });
    expect(sim.stats.snapshot().byRoute).toEqual({ 'GET /projects/{id}/processings/v2': 1, 'GET /processings/{id}/v2': 1, 'GET /projects/{id}': 1 });
  });
});
