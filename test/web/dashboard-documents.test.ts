import 'reflect-metadata';
import { describe, expect } from 'vitest';
import { DataApiLinkImageDocument } from '../generated/graphql.js';
import {
  DashboardDocument,
  ImageryPanelDocument,
  MosaicDetailDocument,
  NewMosaicDocument,
  ProcessingDetailDocument,
  RemoveImageDocument,
  RemoveMosaicDocument,
  StartProcessingDocument,
} from '../../web/src/generated/graphql.js';
import { tenantData } from '../gateway/mapflow.helpers.js';
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

describe('the Imagery panel', () => {
  /** The simulator's seeded mosaic and its one image (src/simulators/mapflow/mapflow.rasters.ts). */
  const SEEDED = '0617c425-9bfa-45a3-b2ea-46020e48d775';
  const SEEDED_IMAGE = '0c26a0d3-96d8-4ed5-aa62-3843d1d7905c';

  test('loads the storage and the mosaics in one request, as the simulator holds them', async ({ stack }) => {
    const r = await stack.op(ImageryPanelDocument);
    expect(r.errors).toBeUndefined();
    const held = tenantData(stack, 'alpha').rasters;
    expect(r.data?.mosaics?.map((m) => m.id).sort()).toEqual([...held.mosaics.keys()].sort());
    expect(r.data?.mosaics?.find((m) => m.id === SEEDED)).toEqual({ id: SEEDED, name: 'Moscow 2023', tags: ['aerial'], sizeInBytes: 201_326_592 });
    const used = [...held.images.values()].reduce((sum, image) => sum + image.fileSize, 0);
    expect(r.data?.account?.storage).toEqual({ memoryLimit: 1_000_000_000, memoryUsed: used, memoryFree: 1_000_000_000 - used, maxUploadFileSize: 2 * 1024 ** 3 });
    expect(stack.callsTo('mapflow', 'GET /rasters/memory')).toBe(1);
    expect(stack.callsTo('mapflow', 'GET /rasters/mosaic')).toBe(1);
  });

  test('reads a mosaic with each image’s footprint as GeoJSON, for the map', async ({ stack }) => {
    const r = await stack.op(MosaicDetailDocument, { id: SEEDED });
    expect(r.errors).toBeUndefined();
    const image = r.data?.mosaic?.images.find((i) => i.id === SEEDED_IMAGE);
    expect(image).toMatchObject({ filename: 'moscow_2023.tif', crs: 'EPSG:3857', bandCount: 3, width: 8192, height: 8192, pixelSize: [0.3, 0.3] });
    expect(image?.footprint).toMatchObject({ type: 'Polygon' });
    const ring = (image?.footprint as { coordinates: number[][][] }).coordinates[0];
    expect([Math.min(...ring.map((p) => p[0])), Math.min(...ring.map((p) => p[1])), Math.max(...ring.map((p) => p[0])), Math.max(...ring.map((p) => p[1]))]).toEqual([
      37.5902, 55.7314, 37.6123, 55.7439,
    ]);
  });

  test('creates a mosaic with tags, deletes one of its images, then the mosaic', async ({ stack }) => {
    const created = await stack.op(NewMosaicDocument, { input: { name: 'Panel mosaic', tags: ['drone', 'rgb'] } });
    expect(created.errors).toBeUndefined();
    const id = created.data!.createMosaic.id;
    expect(created.data?.createMosaic).toMatchObject({ id, name: 'Panel mosaic', tags: ['drone', 'rgb'] });

    const linked = await stack.op(DataApiLinkImageDocument, { mosaicId: id, url: 's3://mapflow-user-storage/samples/moscow-rgb.tif' });
    const imageId = linked.data!.linkImage.images[0].id;
    expect((await stack.op(RemoveImageDocument, { id: imageId })).data?.deleteImage).toBe(imageId);
    expect((await stack.op(MosaicDetailDocument, { id })).data?.mosaic?.images).toEqual([]);

    expect((await stack.op(RemoveMosaicDocument, { id })).data?.deleteMosaic).toBe(id);
    expect(tenantData(stack, 'alpha').rasters.mosaics.has(id)).toBe(false);
    expect((await stack.op(MosaicDetailDocument, { id })).data?.mosaic).toBeNull();
  });

  test('"Process this mosaic": a processing over the mosaic’s footprint with myImagery', async ({ stack }) => {
    const mosaic = (await stack.op(MosaicDetailDocument, { id: SEEDED })).data!.mosaic!;
    const r = await stack.op(StartProcessingDocument, {
      input: { name: 'Mosaic Moscow 2023', workflowDefId: '30ddfd15-04aa-47f6-9ceb-68ce709fd710', geometry: mosaic.footprint, sourceParams: { myImagery: { mosaicId: SEEDED } } },
    });
    expect(r.errors).toBeUndefined();
    expect(r.data?.createProcessing).toMatchObject({ name: 'Mosaic Moscow 2023', status: 'UNPROCESSED', state: 'QUEUED' });
    expect(tenantData(stack, 'alpha').processings.get(r.data!.createProcessing.id)?.params).toEqual({ sourceParams: { myImagery: { mosaicId: SEEDED } } });
  });
});
