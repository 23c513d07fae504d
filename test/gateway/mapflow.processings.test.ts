import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startStack, type GqlResponse, type Stack } from '../helpers/stack.helpers.js';
import { doc, PROCESSING_FIELDS, tenantData, vendor, type VendorProcessing } from './mapflow.helpers.js';

/** Processing queries (by id, lists, filters, AOIs, results) over real HTTP, against what the simulator holds. Time is frozen. */

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.close());
beforeEach(() => stack.resetCounts());

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
  it('maps the documented processing exactly, in one call', async () => {
    const d = DOC_PROCESSING;
    const r = await stack.gql(`query($id: ID!) { processing(id: $id) { ${PROCESSING_FIELDS} } }`, { id: d.id });
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

  it('renders failure messages from the documented error table, parameters filled in', async () => {
    const r = await stack.gql(`query($id: ID!) { processing(id: $id) { status state isTerminal percentCompleted messages { code parameters description } } }`, {
      id: DOC_FAILED.id,
    });
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

  it('is null without an error for an unknown id', async () => {
    const r = await stack.gql(`{ processing(id: "00000000-0000-4000-8000-000000000000") { id } }`);
    expect(r.errors).toBeUndefined();
    expect(r.data).toEqual({ processing: null });
  });

  it('redacts rasterPassword from params (the vendor echoes it)', async () => {
    const held = [...tenantData(stack, 'alpha').processings.values()].find(
      (p) => JSON.stringify(p.params).includes('rasterPassword'),
    ) as { id: string; params: { sourceParams: { userDefined: Record<string, unknown> } } };
    const secret = held.params.sourceParams.userDefined.rasterPassword;
    expect(typeof secret).toBe('string');
    const r = await stack.gql(`query($id: ID!) { processing(id: $id) { params } }`, { id: held.id });
    const params = (r.data?.processing as { params: typeof held.params }).params;
    expect(params).toEqual({
      ...held.params,
      sourceParams: { userDefined: { ...held.params.sourceParams.userDefined, rasterPassword: '[REDACTED]' } },
    });
    expect(JSON.stringify(r)).not.toContain(secret as string);
  });

  it('costs 2 calls for the same processing under two aliases plus its project', async () => {
    const d = DOC_PROCESSING;
    const r = await stack.gql(`query($id: ID!) {
      a: processing(id: $id) { id name project { id name } }
      b: processing(id: $id) { id status project { id isDefault } }
    }`, { id: d.id });
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

  it('serves aois (each knowing its processing for free) and inline results', async () => {
    const t = tenantData(stack, 'alpha');
    const run = [...t.processings.values()].find((p) => p.aois.some((a) => a.id === DOC_AOIS[0].id));
    const ok = t.processings.get(DOC_PROCESSING.id);
    const expectedResult = await vendor(stack, 'GET', `/processings/${ok?.id}/result`);
    stack.resetCounts();
    const r = await stack.gql(`query($run: ID!, $ok: ID!) {
      run: processing(id: $run) { results aois { id processingId status percentCompleted geometry area messages { code } processing { id name } } }
      ok: processing(id: $ok) { results }
    }`, { run: run?.id, ok: ok?.id });
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
    expect((expectedResult as { features: unknown[] }).features.length).toBeGreaterThan(0);
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

  it('lists a project page by page, newest first', async () => {
    const { id, held } = projectWithMixedStatuses(stack);
    const oracle = await vendor<{ results: VendorProcessing[] }>(stack, 'POST', `/projects/${id}/processings/v2/page`, {
      limit: 100,
      offset: 0,
      sortBy: 'CREATED',
      sortOrder: 'DESC',
    });
    stack.resetCounts();
    const q = `query($p: ID, $after: String) { processings(projectId: $p, first: 2, after: $after) { totalCount
      pageInfo { hasNextPage endCursor } nodes { id name status upstreamStatus percentCompleted workflowDef { id } } } }`;
    const ids: string[] = [];
    let after: string | null = null;
    for (;;) {
      type Page = { processings: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string }; nodes: { id: string }[] } };
      const r: GqlResponse<Page> = await stack.gql<Page>(q, { p: id, after });
      expect(r.errors).toBeUndefined();
      expect(r.data?.processings.totalCount).toBe(held.length);
      ids.push(...(r.data?.processings.nodes.map((n) => n.id) ?? []));
      if (!r.data?.processings.pageInfo.hasNextPage) break;
      after = r.data.processings.pageInfo.endCursor;
    }
    expect(ids).toEqual(oracle.results.map((p) => p.id));
    expect(stack.calls('mapflow')).toBe(Math.ceil(held.length / 2));
  });

  it('filters by status over the whole list, with totalCount and cursors of the filtered list', async () => {
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
    const q = `query($p: ID!, $after: String) { project(id: $p) { processings(first: 1, after: $after, status: [OK, FAILED]) {
      totalCount pageInfo { hasNextPage hasPreviousPage endCursor } nodes { id status } } } }`;
    const seen: { id: string; status: string }[] = [];
    let after: string | null = null;
    for (let page = 0; ; page++) {
      type Page = { project: { processings: { totalCount: number; pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; endCursor: string }; nodes: { id: string; status: string }[] } } };
      const r: GqlResponse<Page> = await stack.gql<Page>(q, { p: id, after });
      const conn: Page['project']['processings'] | undefined = r.data?.project.processings;
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

  it('without projectId lists the default project in one call', async () => {
    const oracle = await vendor<VendorProcessing[]>(stack, 'GET', '/processings/v2');
    const def = [...tenantData(stack, 'alpha').projects.values()].find((p) => p.isDefault);
    expect(oracle.length).toBeGreaterThan(1);
    stack.resetCounts();
    const r = await stack.gql(`{ processings(first: 100) { totalCount nodes { id name status project { id } } } }`);
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

  it('filters the default project by status', async () => {
    const oracle = (await vendor<VendorProcessing[]>(stack, 'GET', '/processings/v2')).filter((p) => p.status === 'IN_PROGRESS');
    stack.resetCounts();
    const r = await stack.gql(`{ processings(status: [IN_PROGRESS]) { totalCount nodes { id status } } }`);
    expect(r.data).toEqual({ processings: { totalCount: oracle.length, nodes: oracle.map((p) => ({ id: p.id, status: 'IN_PROGRESS' })) } });
    expect(stack.calls('mapflow')).toBe(1);
  });

  it('is null for an unknown project', async () => {
    const r = await stack.gql(`{ processings(projectId: "00000000-0000-4000-8000-000000000000") { totalCount } }`);
    expect(r.errors).toBeUndefined();
    expect(r.data).toEqual({ processings: null });
  });

  it('rejects a bad cursor and a page size over 100', async () => {
    const r = await stack.gql(`{ a: processings(first: 500) { totalCount } b: processings(after: "nope") { totalCount } }`);
    expect(r.data).toEqual({ a: null, b: null });
    expect(r.errors?.map((e) => [e.path, e.extensions?.code, e.extensions?.field])).toEqual([
      [['a'], 'BAD_USER_INPUT', ['first']],
      [['b'], 'BAD_USER_INPUT', ['after']],
    ]);
    expect(stack.calls('mapflow')).toBe(0);
  });

  it('answers jobs(refs) for processings through the same loader', async () => {
    const d = DOC_PROCESSING;
    const r = await stack.gql(`query($id: ID!) {
      jobs(refs: [{ source: MAPFLOW, type: "Processing", id: $id }, { source: MAPFLOW, type: "Processing", id: "00000000-0000-4000-8000-000000000000" }]) {
        __typename id source state upstreamStatus isTerminal ... on Processing { name }
      }
      processing(id: $id) { id }
    }`, { id: d.id });
    expect(r.errors).toBeUndefined();
    expect(r.data).toEqual({
      jobs: [{ __typename: 'Processing', id: d.id, source: 'MAPFLOW', state: 'SUCCEEDED', upstreamStatus: 'OK', isTerminal: true, name: 'Test processing' }, null],
      processing: { id: d.id },
    });
    expect(stack.callsTo('mapflow', 'GET /processings/{id}/v2')).toBe(2);
  });
});
