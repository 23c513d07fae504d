import { describe, expect } from 'vitest';
import {
  HardeningProcessingIdDocument,
  MapflowAoisAndResultsDocument,
  MapflowDefaultInProgressDocument,
  MapflowDefaultProcessingsDocument,
  MapflowJobsDocument,
  MapflowProcessingDocument,
  MapflowProcessingMessagesDocument,
  MapflowProcessingParamsDocument,
  MapflowProcessingsBadPagingDocument,
  MapflowProcessingsCountDocument,
  MapflowProcessingsPageDocument,
  MapflowProcessingTwiceWithProjectDocument,
  MapflowProjectOkOrFailedDocument,
  type MapflowProcessingsPageQuery,
  type MapflowProjectOkOrFailedQuery,
} from '../generated/graphql.js';
import { test, type GqlResponse, type Stack } from '../helpers/stack.helpers.js';
import { doc, tenantData, vendor, type VendorProcessing } from './mapflow.helpers.js';

/** Processing queries (by id, lists, filters, AOIs, results) over real HTTP, against what the simulator holds. Time is frozen. */

test.beforeEach(({ stack }) => stack.resetCounts());

/** A result as Mapflow serves it: a GeoJSON FeatureCollection. */
interface FeatureCollection {
  features: unknown[];
}

/** A processing held by the simulator whose params carry a userDefined source with a password. */
interface HeldWithPassword {
  id: string;
  params: { sourceParams: { userDefined: Record<string, unknown> } };
}

interface DocLayer {
  id?: string;
  name?: string;
  tileUrl: string;
  tileJsonUrl: string;
}
const DOC_PROCESSING = doc<{ id: string; projectId: string; params: unknown; vectorLayer: DocLayer; rasterLayer: DocLayer }>('processing.json');
const DOC_FAILED = doc<{ id: string }>('processing-failed.json');
const DOC_AOIS = doc<{ id: string; geometry: unknown; area: number }[]>('aois.json');

function layer(l: DocLayer) {
  return { id: l.id ?? null, name: l.name ?? null, tileUrl: l.tileUrl, tileJsonUrl: l.tileJsonUrl };
}

describe('processing(id)', () => {
  test('maps the documented processing exactly, in one call', async ({ stack }) => {
    const d = DOC_PROCESSING;
    const r = await stack.op(MapflowProcessingDocument, { id: d.id });
    expect(r.errors).toBeUndefined();
    expect(r.data?.processing).toEqual({
      id: d.id,
      source: 'MAPFLOW',
      state: 'SUCCEEDED',
      upstreamStatus: 'OK',
      progress: 100,
      isTerminal: true,
      updatedAt: '2023-07-09T13:32:25.540Z',
      createdAt: '2023-03-29T06:48:35.103Z',
      name: 'Test processing',
      description: null,
      status: 'OK',
      reviewStatus: null,
      percentCompleted: 100,
      aoiCount: 1,
      area: 12010038,
      cost: 1638,
      params: d.params,
      meta: { source: 'tif', 'source-app': 'qgis', version: '1.7.0' },
      blocks: [],
      messages: [],
      vectorLayer: layer(d.vectorLayer),
      rasterLayer: layer(d.rasterLayer),
      workflowDef: {
        id: 'c6a71c32-972c-4d67-95a1-e9f3dfc033c9',
        name: 'Buildings (⭐️ Aerial imagery)',
        description: 'Custom model: segmentation of buildings in aerial imagery at resolution 10 cm/pixel',
        pricePerSqKm: 33,
        blocks: [],
        createdAt: '2023-02-07T12:07:35.259Z',
        updatedAt: '2023-09-01T13:03:20.905Z',
      },
    });
    expect(stack.calls('mapflow')).toBe(1);
    expect(stack.callsTo('mapflow', 'GET /processings/{id}/v2')).toBe(1);
  });

  test('renders failure messages from the documented error table, parameters filled in', async ({ stack }) => {
    const r = await stack.op(MapflowProcessingMessagesDocument, { id: DOC_FAILED.id });
    expect(r.data?.processing).toEqual({
      status: 'FAILED',
      state: 'FAILED',
      isTerminal: true,
      percentCompleted: 0,
      messages: [
        {
          code: 'source-validator.PixelSizeTooHigh',
          parameters: { max_res: '1.2', level: 'error', actual_res: '5.620983603290215' },
          description: 'Spatial resolution of you image is too high: pixel size is 5.620983603290215, maximum allowed pixel size is 1.2',
        },
      ],
    });
  });

  test('is null without an error for an unknown id', async ({ stack }) => {
    const r = await stack.op(HardeningProcessingIdDocument, { id: '00000000-0000-4000-8000-000000000000' });
    expect(r.errors).toBeUndefined();
    expect(r.data).toEqual({ processing: null });
  });

  test('redacts rasterPassword from params (the vendor echoes it)', async ({ stack }) => {
    const held = [...tenantData(stack, 'alpha').processings.values()].find(
      (p) => JSON.stringify(p.params).includes('rasterPassword'),
    ) as HeldWithPassword;
    const secret = held.params.sourceParams.userDefined.rasterPassword;
    expect(typeof secret).toBe('string');
    const r = await stack.op(MapflowProcessingParamsDocument, { id: held.id });
    const params = r.data?.processing?.params;
    expect(params).toEqual({
      ...held.params,
      sourceParams: { userDefined: { ...held.params.sourceParams.userDefined, rasterPassword: '[REDACTED]' } },
    });
    expect(JSON.stringify(r)).not.toContain(secret as string);
  });

  test('costs 2 calls for the same processing under two aliases plus its project', async ({ stack }) => {
    const d = DOC_PROCESSING;
    const r = await stack.op(MapflowProcessingTwiceWithProjectDocument, { id: d.id });
    expect(r.errors).toBeUndefined();
    const project = tenantData(stack, 'alpha').projects.get(d.projectId);
    expect(r.data).toEqual({
      a: { id: d.id, name: 'Test processing', project: { id: d.projectId, name: project?.name } },
      b: { id: d.id, status: 'OK', project: { id: d.projectId, isDefault: false } },
    });
    expect(stack.calls('mapflow')).toBe(2);
    expect(stack.callsTo('mapflow', 'GET /processings/{id}/v2')).toBe(1);
    expect(stack.callsTo('mapflow', 'GET /projects/{id}')).toBe(1);
  });

  test('serves aois (each knowing its processing for free) and inline results', async ({ stack }) => {
    const t = tenantData(stack, 'alpha');
    const run = [...t.processings.values()].find((p) => p.aois.some((a) => a.id === DOC_AOIS[0].id));
    const ok = t.processings.get(DOC_PROCESSING.id);
    const expectedResult = await vendor<FeatureCollection>(stack, 'GET', `/processings/${ok?.id}/result`);
    stack.resetCounts();
    const r = await stack.op(MapflowAoisAndResultsDocument, { run: run!.id, ok: ok!.id });
    expect(r.errors).toBeUndefined();
    expect(r.data).toEqual({
      run: {
        results: null,
        aois: [
          {
            id: DOC_AOIS[0].id,
            processingId: run?.id,
            status: 'IN_PROGRESS',
            percentCompleted: 0,
            geometry: DOC_AOIS[0].geometry,
            area: 265197,
            messages: [],
            processing: { id: run?.id, name: 'Test' },
          },
        ],
      },
      ok: { results: expectedResult },
    });
    expect(expectedResult.features.length).toBeGreaterThan(0);
    // 2 processings + 1 AOI list + 1 result; the AOI's processing and the non-OK result cost nothing.
    expect(stack.calls('mapflow')).toBe(4);
    expect(stack.callsTo('mapflow', 'GET /processings/{id}/result')).toBe(1);
  });
});

describe('processings(projectId, first, after, status)', () => {
  function projectWithMixedStatuses(stack: Stack): { id: string; held: { id: string; status: string }[] } {
    const t = tenantData(stack, 'alpha');
    for (const id of t.projects.keys()) {
      const held = [...t.processings.values()].filter((p) => p.projectId === id);
      if (new Set(held.map((p) => p.status)).size >= 3 && held.filter((p) => p.status === 'OK').length >= 2) return { id, held };
    }
    throw new Error('no project with mixed statuses');
  }

  test('lists a project page by page, newest first', async ({ stack }) => {
    const { id, held } = projectWithMixedStatuses(stack);
    const oracle = await vendor<{ results: VendorProcessing[] }>(stack, 'POST', `/projects/${id}/processings/v2/page`, {
      limit: 100,
      offset: 0,
      sortBy: 'CREATED',
      sortOrder: 'DESC',
    });
    stack.resetCounts();
    const ids: string[] = [];
    let after: string | null = null;
    for (;;) {
      const r: GqlResponse<MapflowProcessingsPageQuery> = await stack.op(MapflowProcessingsPageDocument, { p: id, after });
      expect(r.errors).toBeUndefined();
      expect(r.data?.processings?.totalCount).toBe(held.length);
      ids.push(...(r.data?.processings?.nodes.map((n) => n.id) ?? []));
      if (!r.data?.processings?.pageInfo.hasNextPage) break;
      after = r.data.processings.pageInfo.endCursor;
    }
    expect(ids).toEqual(oracle.results.map((p) => p.id));
    expect(stack.calls('mapflow')).toBe(Math.ceil(held.length / 2));
  });

  test('filters by status over the whole list, with totalCount and cursors of the filtered list', async ({ stack }) => {
    const { id, held } = projectWithMixedStatuses(stack);
    const oracle = await vendor<{ results: VendorProcessing[] }>(stack, 'POST', `/projects/${id}/processings/v2/page`, {
      limit: 100,
      offset: 0,
      sortBy: 'CREATED',
      sortOrder: 'DESC',
    });
    const wanted = oracle.results.filter((p) => p.status === 'OK' || p.status === 'FAILED');
    expect(wanted.length).toBeLessThan(held.length);
    stack.resetCounts();
    const seen: { id: string; status: string }[] = [];
    let after: string | null = null;
    for (let page = 0; ; page++) {
      const r: GqlResponse<MapflowProjectOkOrFailedQuery> = await stack.op(MapflowProjectOkOrFailedDocument, { p: id, after });
      const conn = r.data?.project?.processings;
      expect(conn?.totalCount).toBe(wanted.length);
      expect(conn?.pageInfo.hasPreviousPage).toBe(page > 0);
      seen.push(...(conn?.nodes ?? []));
      if (!conn?.pageInfo.hasNextPage) break;
      after = conn.pageInfo.endCursor;
    }
    expect(seen).toEqual(wanted.map((p) => ({ id: p.id, status: p.status })));
    // Each query: the project, then one page of 100 (the whole list here).
    expect(stack.callsTo('mapflow', 'POST /projects/{id}/processings/v2/page')).toBe(wanted.length);
    expect(stack.callsTo('mapflow', 'GET /projects/{id}')).toBe(wanted.length);
  });

  test('without projectId lists the default project in one call', async ({ stack }) => {
    const oracle = await vendor<VendorProcessing[]>(stack, 'GET', '/processings/v2');
    const def = [...tenantData(stack, 'alpha').projects.values()].find((p) => p.isDefault);
    expect(oracle.length).toBeGreaterThan(1);
    stack.resetCounts();
    const r = await stack.op(MapflowDefaultProcessingsDocument);
    expect(r.errors).toBeUndefined();
    expect(r.data).toEqual({
      processings: {
        totalCount: oracle.length,
        nodes: oracle.map((p) => ({ id: p.id, name: p.name, status: p.status, project: { id: def?.id } })),
      },
    });
    // The list, then the default project once for every node.
    expect(stack.calls('mapflow')).toBe(2);
    expect(stack.callsTo('mapflow', 'GET /processings/v2')).toBe(1);
  });

  test('filters the default project by status', async ({ stack }) => {
    const oracle = (await vendor<VendorProcessing[]>(stack, 'GET', '/processings/v2')).filter((p) => p.status === 'IN_PROGRESS');
    stack.resetCounts();
    const r = await stack.op(MapflowDefaultInProgressDocument);
    expect(r.data).toEqual({ processings: { totalCount: oracle.length, nodes: oracle.map((p) => ({ id: p.id, status: 'IN_PROGRESS' })) } });
    expect(stack.calls('mapflow')).toBe(1);
  });

  test('is null for an unknown project', async ({ stack }) => {
    const r = await stack.op(MapflowProcessingsCountDocument, { p: '00000000-0000-4000-8000-000000000000' });
    expect(r.errors).toBeUndefined();
    expect(r.data).toEqual({ processings: null });
  });

  test('rejects a bad cursor and a page size over 100', async ({ stack }) => {
    const r = await stack.op(MapflowProcessingsBadPagingDocument);
    expect(r.data).toEqual({ a: null, b: null });
    expect(r.errors?.map((e) => [e.path, e.extensions?.code, e.extensions?.field])).toEqual([
      [['a'], 'BAD_USER_INPUT', ['first']],
      [['b'], 'BAD_USER_INPUT', ['after']],
    ]);
    expect(stack.calls('mapflow')).toBe(0);
  });

  test('answers jobs(refs) for processings through the same loader', async ({ stack }) => {
    const d = DOC_PROCESSING;
    const r = await stack.op(MapflowJobsDocument, { id: d.id });
    expect(r.errors).toBeUndefined();
    expect(r.data).toEqual({
      jobs: [{ __typename: 'Processing', id: d.id, source: 'MAPFLOW', state: 'SUCCEEDED', upstreamStatus: 'OK', isTerminal: true, name: 'Test processing' }, null],
      processing: { id: d.id },
    });
    expect(stack.callsTo('mapflow', 'GET /processings/{id}/v2')).toBe(2);
  });
});
