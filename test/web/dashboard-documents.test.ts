import 'reflect-metadata';
import { describe, expect } from 'vitest';
import { DashboardDocument, ProcessingDetailDocument, StartProcessingDocument } from '../../web/src/generated/graphql.js';
import { test } from '../helpers/stack.helpers.js';
import { Feed, wsClient } from '../status/status.helpers.js';

/** The dashboard's own typed documents (web/src/**\/*.graphql) against the real gateway. */

test.beforeEach(({ stack }) => stack.resetCounts());

describe('the dashboard query', () => {
  test('fills every panel in one request, with the upstream calls the vendor APIs need', async ({ stack }) => {
    const r = await stack.op(DashboardDocument);
    expect(r.errors).toBeUndefined();
    const d = r.data!;
    expect(d.account?.models.map((m) => m.name)).toContain('🏠 Buildings');
    expect(d.projects?.totalCount).toBe(11);
    expect(d.projects?.nodes.find((p) => p.name === 'QGIS uploads')?.processings?.nodes.map((p) => p.name)).toEqual(['Orthophoto 2023 (5 m/px)', 'Test processing']);
    expect(d.flowExecutions?.nodes).toHaveLength(10);
    expect(d.flowExecutions?.nodes.every((x) => x.flow?.title)).toBe(true);
    expect(d.pointclouds?.nodes.map((g) => [g.kind, (g.children ?? []).every((c) => c.kind === 'SUB')])).toEqual(d.pointclouds?.nodes.map(() => ['GROUP', true]));

    // Mapflow: the account, the projects page, one processings page per project.
    expect(stack.callsTo('mapflow', 'GET /user/status')).toBe(1);
    expect(stack.callsTo('mapflow', 'POST /projects/page')).toBe(1);
    expect(stack.callsTo('mapflow', 'POST /projects/{id}/processings/v2/page')).toBe(11);
    expect(stack.calls('mapflow')).toBe(13);
    // Flai: the executions page, then each distinct flow once (for its title).
    const flows = new Set(d.flowExecutions?.nodes.map((x) => x.flow?.id));
    expect(stack.callsTo('flai', 'GET /organization/{orgId}/flow-executions')).toBe(1);
    expect(stack.callsTo('flai', 'GET /organization/{orgId}/flows/{flowId}')).toBe(flows.size);
    // Cupix: the point cloud list (groups and their subs come from it; the kind filter reads it whole).
    expect(stack.calls('cupix')).toBe(stack.callsTo('cupix', 'GET /pointclouds'));
  });

  test('keeps the other panels when one vendor fails: the error is on the failed field’s path', async ({ stack }) => {
    await fetch(`${stack.sims.flai.origin}/__sim/faults`, { method: 'PUT', body: JSON.stringify({ errorRate: 1, errorStatuses: [502] }) });
    try {
      const r = await stack.op(DashboardDocument);
      expect(r.data?.flowExecutions).toBeNull();
      expect(r.data?.projects?.totalCount).toBe(11);
      expect(r.data?.pointclouds?.nodes.length).toBeGreaterThan(0);
      expect(r.errors?.map((e) => [e.path, e.extensions?.code, e.extensions?.source])).toEqual([[['flowExecutions'], 'UPSTREAM_UNAVAILABLE', 'FLAI']]);
    } finally {
      await fetch(`${stack.sims.flai.origin}/__sim/faults`, { method: 'DELETE' });
    }
  });
});

describe('starting a processing as the page does', () => {
  test('creates it with the form’s input and streams it, AOIs included', async ({ stack }) => {
    const projectId = '929c26cd-c368-4853-baf8-28a28a6ae995';
    const geometry = { type: 'Polygon', coordinates: [[[37.6, 55.75], [37.61, 55.75], [37.61, 55.76], [37.6, 55.76], [37.6, 55.75]]] };
    const r = await stack.op(StartProcessingDocument, {
      input: { name: 'From the form', projectId, workflowDefId: '30ddfd15-04aa-47f6-9ceb-68ce709fd710', geometry, sourceParams: { dataProvider: { providerName: 'Mapbox', zoom: 18 } } },
    });
    expect(r.errors).toBeUndefined();
    expect(r.data?.createProcessing).toMatchObject({ name: 'From the form', status: 'UNPROCESSED', state: 'QUEUED', project: { id: projectId }, workflowDef: { name: '🏠 Buildings' } });

    const client = wsClient(stack.gateway.url);
    try {
      const feed = new Feed(client, ProcessingDetailDocument, { id: r.data?.createProcessing.id ?? '' });
      const first = await feed.next();
      feed.close();
      expect(first).toMatchObject({ data: { processingUpdated: { id: r.data?.createProcessing.id, aois: [{ status: 'UNPROCESSED', geometry }] } } });
    } finally {
      await client.dispose();
    }
  });
});
