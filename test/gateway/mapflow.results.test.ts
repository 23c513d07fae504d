import 'reflect-metadata';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { UpstreamHttp } from '../../src/datasources/http/upstream-http.js';
import { mapflowErrorInfo } from '../../src/datasources/mapflow/mapflow.errors.js';
import { createMapflowService, type ResultsStream } from '../../src/datasources/mapflow/mapflow.service.js';
import { ResultsLinks } from '../../src/links/results-links.js';
import type { SimHandle } from '../../src/simulators/core/index.js';
import { startMapflowSimulator, type MapflowTenant } from '../../src/simulators/mapflow/index.js';
import { ALPHA_TOKEN, doc } from './mapflow.helpers.js';

/**
 * `openResults`, the body behind every `/results/...` link, against the simulator over real HTTP: one
 * processing's result passed through, or a project's OK processings merged into one FeatureCollection.
 */

let sim: SimHandle<MapflowTenant>;
const deps = () => ({
  config: loadConfig({ NODE_ENV: 'test' }),
  http: new UpstreamHttp({ source: 'MAPFLOW', baseUrl: sim.url, timeoutMs: 5_000, parseError: mapflowErrorInfo }),
  links: new ResultsLinks(() => 'http://localhost', 'a-test-secret-of-enough-length', 60),
});
const service = (token: string | null = ALPHA_TOKEN) => createMapflowService(deps(), token ? { token } : null);

beforeAll(async () => {
  sim = await startMapflowSimulator({ timeScale: 0 });
});
afterAll(() => sim?.close());
beforeEach(() => sim.stats.reset());

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

async function vendorResult(id: string): Promise<{ type: string; features: { properties: Record<string, unknown> }[] }> {
  const res = await fetch(`${sim.url}/processings/${id}/result`, { headers: { authorization: `Basic ${ALPHA_TOKEN}` } });
  return (await res.json()) as never;
}

const alpha = () => sim.tenants().find((t) => t.name === 'alpha') as MapflowTenant;

describe('openResults', () => {
  it("streams one processing's result as the vendor sends it", async () => {
    const id = doc<{ id: string }>('processing.json').id;
    const { text } = await read(await service().openResults({ kind: 'processing', id }));
    expect(JSON.parse(text)).toEqual(await vendorResult(id));
  });

  it("merges every OK processing of a project, tagged, in the vendor's list order", async () => {
    const t = alpha().data;
    // The project with the most OK processings among those that also have others.
    const [projectId] = [...t.projects.keys()]
      .map((id) => [...t.processings.values()].filter((p) => p.projectId === id))
      .filter((ps) => ps.some((p) => p.status !== 'OK'))
      .map((ps) => [ps[0]?.projectId, ps.filter((p) => p.status === 'OK').length] as const)
      .sort((a, b) => b[1] - a[1])[0];
    const listed = (await (await fetch(`${sim.url}/projects/${projectId}/processings/v2`, { headers: { authorization: `Basic ${ALPHA_TOKEN}` } })).json()) as {
      id: string;
      name: string;
      status: string;
    }[];
    const ok = listed.filter((p) => p.status === 'OK');
    expect(ok.length).toBeGreaterThan(1);
    expect(ok.length).toBeLessThan(listed.length);
    const expected = { type: 'FeatureCollection', features: [] as unknown[] };
    for (const p of ok) {
      for (const f of (await vendorResult(p.id)).features) expected.features.push({ ...f, properties: { ...f.properties, processingId: p.id, processingName: p.name } });
    }
    sim.stats.reset();
    const { text, chunks } = await read(await service().openResults({ kind: 'project', id: projectId as string }));
    expect(JSON.parse(text)).toEqual(expected);
    // Written as it goes, in chunks of about 64 KiB, never as one whole buffer.
    expect(text.length).toBeGreaterThan(3 * 64 * 1024);
    expect(chunks).toBeGreaterThanOrEqual(Math.floor(text.length / (64 * 1024)));
    expect(sim.stats.count('GET /projects/{id}/processings/v2')).toBe(1);
    expect(sim.stats.count('GET /processings/{id}/result')).toBe(ok.length);
  });

  it('answers 404 for an unknown processing or project, 409 for unfinished results, 401 without a credential', async () => {
    expect(await service().openResults({ kind: 'processing', id: '00000000-0000-4000-8000-000000000000' })).toEqual({
      status: 404,
      error: 'Mapflow processing 00000000-0000-4000-8000-000000000000 not found',
    });
    expect(await service().openResults({ kind: 'project', id: '00000000-0000-4000-8000-000000000000' })).toMatchObject({ status: 404 });
    const running = [...alpha().data.processings.values()].find((p) => p.status === 'IN_PROGRESS');
    expect(await service().openResults({ kind: 'processing', id: running?.id as string })).toEqual({
      status: 409,
      error: `Mapflow: Processing ${running?.id} has no results: its status is IN_PROGRESS`,
    });
    expect(await service(null).openResults({ kind: 'processing', id: 'x' })).toEqual({ status: 401, error: 'Mapflow credentials missing' });
  });

  it('exposes the calls the live-status watcher and the bulk create build on', async () => {
    const svc = service();
    const t = alpha().data;
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
