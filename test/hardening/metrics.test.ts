import { describe, expect } from 'vitest';
import { HardeningOneOfEachDocument, HardeningProcessingIdDocument } from '../generated/graphql.js';
import { IDS, ONE_OF_EACH, ROUTES, sample, startRig, test, type Rig } from './hardening.helpers.js';

/** GET /metrics: one Prometheus registry per gateway, vendor calls by route template, no ids in labels. */
test.override('rigOptions', { env: { UPSTREAM_RETRIES: '1' } });
const oneOfEach = (rig: Rig) => rig.op(HardeningOneOfEachDocument, ONE_OF_EACH);

describe('/metrics', () => {
  test('counts vendor calls by vendor, route template and status, with a latency histogram', async ({ rig: a }) => {
    await oneOfEach(a);
    await oneOfEach(a);
    await a.op(HardeningProcessingIdDocument, { id: '00000000-0000-0000-0000-000000000000' });
    const res = await fetch(`${a.gateway.origin}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const m = await res.text();
    const calls = (route: string, status: string, vendor = 'mapflow') => sample(m, 'gateway_upstream_requests_total', { vendor, route, status });
    expect(calls('GET /processings/{id}/v2', '200')).toBe(2);
    expect(calls('GET /processings/{id}/v2', '404')).toBe(1);
    expect(calls('GET /pointclouds/{id}', '200', 'cupix')).toBe(2);
    expect(calls('GET /organization/{org}/flow-executions/{id}', '200', 'flai')).toBe(2);
    expect(sample(m, 'gateway_upstream_request_duration_seconds_count', { vendor: 'mapflow', route: 'GET /processings/{id}/v2' })).toBe(3);
    expect(m).toMatch(/# TYPE gateway_upstream_request_duration_seconds histogram/);
    expect(m).toMatch(/# TYPE gateway_upstream_retries_total counter/);
    expect(m).toMatch(/# TYPE gateway_upstream_circuit_state gauge/);
    expect(m).toMatch(/^process_resident_memory_bytes \d+/m);
  });

  test('counts retries by reason', async ({ rig: a }) => {
    a.sims.mapflow.faults.set({ errorRate: 1, errorStatuses: [503], route: ROUTES.mapflow, count: 1 });
    await oneOfEach(a);
    const m = await a.metrics();
    expect(sample(m, 'gateway_upstream_retries_total', { vendor: 'mapflow', route: 'GET /processings/{id}/v2', reason: '503' })).toBe(1);
    expect(sample(m, 'gateway_upstream_requests_total', { vendor: 'mapflow', route: 'GET /processings/{id}/v2', status: '503' })).toBe(1);
  });

  test('labels never carry an id, a token or a URL', async ({ rig: a }) => {
    const m = await a.metrics();
    const labels = m.split('\n').filter((l) => !l.startsWith('#') && l.includes('{')).map((l) => l.slice(l.indexOf('{'), l.lastIndexOf('}') + 1));
    expect(labels.length).toBeGreaterThan(10);
    for (const l of labels) {
      expect(l).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-/);
      expect(l).not.toContain(IDS.pointcloud);
      expect(l).not.toMatch(/https?:|127\.0\.0\.1/);
      for (const t of [a.sims.mapflow.demoToken, a.sims.flai.demoToken, a.sims.cupix.demoToken]) expect(l).not.toContain(t);
    }
  });

  test('each gateway instance has its own registry', async ({ rig: a }) => {
    // A second rig (its own simulators and gateway), started by the test that compares the two.
    const b = await startRig();
    try {
      const before = sample(await b.metrics(), 'gateway_upstream_requests_total', { vendor: 'mapflow', route: 'GET /processings/{id}/v2', status: '200' });
      await oneOfEach(a);
      expect(sample(await b.metrics(), 'gateway_upstream_requests_total', { vendor: 'mapflow', route: 'GET /processings/{id}/v2', status: '200' })).toBe(before);
      expect(before).toBe(0);
    } finally {
      await b.close();
    }
  });
});
