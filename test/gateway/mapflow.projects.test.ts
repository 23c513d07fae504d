import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../helpers/stack.helpers.js';
import { doc, iso, PROJECT_FIELDS, square, tenantData, vendor } from './mapflow.helpers.js';

/** Account, cost, stats and project queries over real HTTP, against what the simulator holds. Time is frozen. */

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.close());
beforeEach(() => stack.resetCounts());

describe('account, cost, stats', () => {
  it('maps /user/status', async () => {
    const held = tenantData(stack, 'alpha').userStatus as Record<string, never>;
    const r = await stack.gql(`{ account { email processedArea remainingArea remainingCredits areaLimit memoryLimit
      models { id name description pricePerSqKm createdAt updatedAt blocks { name displayName optional price } }
      teams { id name role activeUntil creditsLimit } dataProviders { id name displayName previewUrl prices { zoom pricePerSqKm } } } }`);
    expect(r.errors).toBeUndefined();
    const models = held.models as { id: string; name: string; description: string; pricePerSqKm: number; created: string; updated: string; blocks?: Record<string, unknown>[] }[];
    const providers = held.dataProviders as { id: string; name: string; displayName: string; previewUrl: string; price: { zoom: number; priceSqKm: number }[] }[];
    expect(r.data?.account).toEqual({
      email: 'admin@geoalert.io',
      processedArea: 45221388394,
      remainingArea: 54778611606,
      remainingCredits: held.remainingCredits,
      areaLimit: 100000000000,
      memoryLimit: 1000000000,
      models: models.map((m) => ({
        id: m.id,
        name: m.name,
        description: m.description,
        pricePerSqKm: m.pricePerSqKm,
        createdAt: iso(m.created),
        updatedAt: iso(m.updated),
        blocks: (m.blocks ?? []).map((b) => ({ name: b.name, displayName: b.displayName, optional: b.optional, price: b.price })),
      })),
      teams: [{ id: 'a6c5a4cf-c693-4441-8bef-028ac0f2d5d9', name: 'My New Team', role: 'OWNER', activeUntil: null, creditsLimit: null }],
      dataProviders: providers.map((p) => ({
        id: p.id,
        name: p.name,
        displayName: p.displayName,
        previewUrl: p.previewUrl,
        prices: p.price.map((x) => ({ zoom: x.zoom, pricePerSqKm: x.priceSqKm })),
      })),
    });
    expect((r.data?.account as { models: { name: string }[] }).models[0].name).toBe('🏠 Buildings');
    expect(stack.calls('mapflow')).toBe(1);
  });

  it('prices a processing (bare-number answer) by geometry and by area', async () => {
    const wdId = '30ddfd15-04aa-47f6-9ceb-68ce709fd710'; // 🏠 Buildings, 13 credits/km², options 3 + 5 + 0
    const geometry = square(37.3, 55.6, 0.01);
    const oracle = await vendor<number>(stack, 'POST', '/processing/cost/v2', { wdId, geometry });
    stack.resetCounts();
    const r = await stack.gql(`query($g: GeoJSON) {
      byGeometry: processingCost(input: { workflowDefId: "${wdId}", geometry: $g })
      byArea: processingCost(input: { workflowDefId: "${wdId}", areaSqKm: 2 })
      withOptions: processingCost(input: { workflowDefId: "${wdId}", areaSqKm: 2, blocks: [{ name: "Classification", enabled: true }],
        sourceParams: { dataProvider: { providerName: "Mapbox", zoom: 18 } } })
    }`, { g: geometry });
    expect(r.errors).toBeUndefined();
    expect(r.data).toEqual({ byGeometry: oracle, byArea: 26, withOptions: 32 });
    expect(oracle).toBeGreaterThan(0);
    expect(stack.callsTo('mapflow', 'POST /processing/cost/v2')).toBe(3);
  });

  it('rejects a cost input without an area before calling Mapflow', async () => {
    const r = await stack.gql(`{ processingCost(input: { workflowDefId: "30ddfd15-04aa-47f6-9ceb-68ce709fd710" }) }`);
    expect(r.data).toEqual({ processingCost: null });
    expect(r.errors?.[0]).toMatchObject({
      message: 'Give exactly one of geometry and areaSqKm; got neither',
      path: ['processingCost'],
      extensions: { code: 'BAD_USER_INPUT', field: ['input', 'geometry'] },
    });
    expect(stack.calls('mapflow')).toBe(0);
  });

  it('reads the stats report (numbers sent as strings) with a filter', async () => {
    const filter = { dateFrom: '2024-11-07T21:00:00.000Z', dateTo: '2025-02-24T21:59:59.999Z', statuses: ['OK'] };
    const oracle = await vendor<{ results: Record<string, string>[] }>(stack, 'POST', '/processings/stats?type=JSON', filter);
    stack.resetCounts();
    const r = await stack.gql(`query($f: ProcessingStatsFilter) { processingStats(filter: $f) {
      total totalCost totalArea results { projectName name email area cost status percentCompleted createdAt completedAt scenario linkToMap } } }`, { f: filter });
    expect(r.errors).toBeUndefined();
    const rows = oracle.results.map((row) => ({
      projectName: row.projectName,
      name: row.name,
      email: row.email,
      area: Number(row.area),
      cost: Number(row.cost),
      status: row.status,
      percentCompleted: Number(row.percentCompleted),
      createdAt: iso(row.created),
      completedAt: iso(row.completionDate),
      scenario: row.scenario,
      linkToMap: row.linkToMap,
    }));
    expect(r.data?.processingStats).toEqual({ total: 2, totalCost: 0, totalArea: 986782, results: rows });
    // The documented rows, numbers and instants converted.
    const d = doc<{ results: Record<string, string>[] }>('processing-stats-response.json').results[0];
    expect(rows[0]).toEqual({
      projectName: 'Test',
      name: 'test_proc',
      email: 'user1@geoalert.io',
      area: 536680,
      cost: 0,
      status: 'OK',
      percentCompleted: 100,
      createdAt: '2025-02-24T13:34:34.640Z',
      completedAt: '2025-02-24T13:35:31.327Z',
      scenario: '🏠 Buildings',
      linkToMap: d.linkToMap,
    });
    expect(stack.callsTo('mapflow', 'POST /processings/stats')).toBe(1);
  });

  it('without a filter covers every processing of the account', async () => {
    const r = await stack.gql(`{ processingStats { total totalArea results { name } } }`);
    const all = [...tenantData(stack, 'alpha').processings.values()];
    expect(r.data?.processingStats).toMatchObject({ total: all.length, totalArea: all.reduce((s, p) => s + p.area, 0) });
  });
});

describe('projects', () => {
  it('maps the documented project and the default project exactly', async () => {
    const p = doc<Record<string, never>>('project.json');
    const def = doc<Record<string, never>>('project-default.json');
    const r = await stack.gql(`query($id: ID!) { project(id: $id) { ${PROJECT_FIELDS} } defaultProject { ${PROJECT_FIELDS} } }`, { id: p.id });
    expect(r.errors).toBeUndefined();
    const expected = (d: Record<string, never>) => {
      const progress = d.progress as { status: string; percentCompleted: number; completionDate?: string; details: Record<string, never>[] };
      const user = d.user as Record<string, string>;
      return {
        id: d.id,
        name: d.name,
        description: d.description,
        isDefault: d.isDefault,
        aoiCount: d.aoiCount,
        area: d.area,
        createdAt: iso(d.created),
        updatedAt: iso(d.updated),
        owner: { id: user.id, email: user.email, login: user.login, role: user.role },
        progress: {
          status: progress.status,
          percentCompleted: progress.percentCompleted,
          completedAt: iso(progress.completionDate),
          details: progress.details.map((x) => ({ status: x.status, count: x.count, area: x.area, statusUpdatedAt: iso(x.statusUpdateDate) })),
        },
        workflowDefs: (d.workflowDefs as Record<string, string>[]).map((w) => ({
          id: w.id,
          name: w.name,
          description: w.description ?? null,
          createdAt: iso(w.created),
          updatedAt: iso(w.updated),
          blocks: [],
        })),
      };
    };
    expect(r.data).toEqual({ project: expected(p), defaultProject: expected(def) });
    expect(r.data?.defaultProject).toMatchObject({ name: 'Default', isDefault: true, workflowDefs: [{ name: '🏗️ Construction sites' }, { name: '🌲↕️ Forest with heights' }] });
    expect(stack.calls('mapflow')).toBe(2);
  });

  it('project(id) is null for an unknown id', async () => {
    const r = await stack.gql(`{ project(id: "00000000-0000-4000-8000-000000000000") { id } }`);
    expect(r).toMatchObject({ data: { project: null } });
    expect(r.errors).toBeUndefined();
  });

  it('projects(first: 10) -> processings -> workflowDef costs 1 + 10 calls', async () => {
    const oracle = await vendor<{ total: number; results: { id: string; name: string }[] }>(stack, 'POST', '/projects/page', {
      limit: 10,
      offset: 0,
      sortBy: 'CREATED',
      sortOrder: 'DESC',
    });
    const t = tenantData(stack, 'alpha');
    stack.resetCounts();
    const r = await stack.gql(`{ projects(first: 10) { totalCount pageInfo { hasNextPage hasPreviousPage }
      nodes { id name processings { totalCount nodes { id workflowDef { name } } } } } }`);
    expect(r.errors).toBeUndefined();
    const conn = r.data?.projects as { totalCount: number; pageInfo: unknown; nodes: { id: string; name: string; processings: { totalCount: number; nodes: { id: string; workflowDef: { name: string } }[] } }[] };
    expect(conn.totalCount).toBe(t.projects.size);
    expect(conn.pageInfo).toEqual({ hasNextPage: t.projects.size > 10, hasPreviousPage: false });
    expect(conn.nodes.map((n) => ({ id: n.id, name: n.name }))).toEqual(oracle.results.map((p) => ({ id: p.id, name: p.name })));
    for (const n of conn.nodes) {
      const held = [...t.processings.values()].filter((p) => p.projectId === n.id);
      expect(n.processings.totalCount).toBe(held.length);
      for (const p of n.processings.nodes) expect(p.workflowDef.name).toBe(t.workflowDefs.get(t.processings.get(p.id)?.workflowDefId ?? '')?.name);
    }
    expect(conn.nodes.some((n) => n.processings.nodes.length > 0)).toBe(true);
    expect(stack.calls('mapflow')).toBe(1 + 10);
    expect(stack.callsTo('mapflow', 'POST /projects/page')).toBe(1);
    expect(stack.callsTo('mapflow', 'POST /projects/{id}/processings/v2/page')).toBe(10);
  });

  it('pages projects with cursors', async () => {
    const all = tenantData(stack, 'alpha').projects.size;
    const first = await stack.gql<{ projects: { edges: { cursor: string; node: { id: string } }[]; pageInfo: { endCursor: string; hasNextPage: boolean } } }>(
      `{ projects(first: 4) { edges { cursor node { id } } pageInfo { endCursor hasNextPage } } }`,
    );
    const second = await stack.gql<{ projects: { nodes: { id: string }[]; pageInfo: { hasPreviousPage: boolean; hasNextPage: boolean }; totalCount: number } }>(
      `query($after: String) { projects(first: 100, after: $after) { nodes { id } totalCount pageInfo { hasPreviousPage hasNextPage } } }`,
      { after: first.data?.projects.pageInfo.endCursor },
    );
    const oracle = await vendor<{ results: { id: string }[] }>(stack, 'POST', '/projects/page', { limit: 100, offset: 0, sortBy: 'CREATED', sortOrder: 'DESC' });
    const ids = [...(first.data?.projects.edges.map((e) => e.node.id) ?? []), ...(second.data?.projects.nodes.map((n) => n.id) ?? [])];
    expect(ids).toEqual(oracle.results.map((p) => p.id));
    expect(ids).toHaveLength(all);
    expect(first.data?.projects.pageInfo.hasNextPage).toBe(true);
    expect(second.data?.projects).toMatchObject({ totalCount: all, pageInfo: { hasPreviousPage: true, hasNextPage: false } });
  });

  it('project(id) -> processings -> aois costs 1 + 1 + P calls', async () => {
    const t = tenantData(stack, 'alpha');
    const [projectId, count] = [...t.projects.keys()]
      .map((id) => [id, [...t.processings.values()].filter((p) => p.projectId === id).length] as const)
      .sort((a, b) => b[1] - a[1])[0];
    expect(count).toBeGreaterThan(2);
    const r = await stack.gql(
      `query($id: ID!) { project(id: $id) { id processings(first: 100) { totalCount nodes { id aois { id processingId processing { name project { id } } } } } } }`,
      { id: projectId },
    );
    expect(r.errors).toBeUndefined();
    const nodes = (r.data?.project as { processings: { nodes: { id: string; aois: unknown[] }[] } }).processings.nodes;
    expect(nodes).toHaveLength(count);
    for (const n of nodes) {
      const held = t.processings.get(n.id);
      // Each AOI's processing (primed by the page) and that processing's project (loaded by project(id)) are free.
      expect(n.aois).toEqual(held?.aois.map((a) => ({ id: a.id, processingId: n.id, processing: { name: held.name, project: { id: projectId } } })));
    }
    expect(stack.calls('mapflow')).toBe(1 + 1 + count);
    expect(stack.callsTo('mapflow', 'GET /processings/{id}/aois')).toBe(count);
  });
});
