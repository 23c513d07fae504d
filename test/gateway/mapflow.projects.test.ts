import { describe, expect } from 'vitest';
import {
  MapflowAccountDocument,
  MapflowCostsDocument,
  MapflowCostWithoutAreaDocument,
  MapflowProjectAndDefaultDocument,
  MapflowProjectIdDocument,
  MapflowProjectsFirstFourDocument,
  MapflowProjectsRestDocument,
  MapflowProjectsWithWorkflowsDocument,
  MapflowStatsAllDocument,
  MapflowStatsDocument,
  type ProcessingStatsFilter,
} from '../generated/graphql.js';
import { test } from '../helpers/stack.helpers.js';
import { doc, iso, square, tenantData, vendor } from './mapflow.helpers.js';

/** Account, cost, stats and project queries over real HTTP, against what the simulator holds. Time is frozen. */

test.beforeEach(({ stack }) => stack.resetCounts());

/** A model of `/user/status`, as the simulator holds it. */
interface HeldModel {
  id: string;
  name: string;
  description: string;
  pricePerSqKm: number;
  created: string;
  updated: string;
  blocks?: Record<string, unknown>[];
}

/** A data provider of `/user/status`, as the simulator holds it. */
interface HeldProvider {
  id: string;
  name: string;
  displayName: string;
  previewUrl: string;
  price: { zoom: number; priceSqKm: number }[];
}

/**
 * project(id) → processings → aois → processing → project, as raw text: at depth 7 it is past the
 * third of GRAPHQL_MAX_DEPTH that every test/documents operation must fit (test/hardening/limits-fit.test.ts).
 */
const PROJECT_AOIS = `query($id: ID!) { project(id: $id) { id processings(first: 100) { totalCount nodes { id aois { id processingId processing { name project { id } } } } } } }`;

/** What PROJECT_AOIS answers. */
interface ProjectAois {
  project: { processings: { nodes: { id: string; aois: unknown[] }[] } | null } | null;
}

/** A project's progress, as Mapflow documents it. */
interface DocProgress {
  status: string;
  percentCompleted: number;
  completionDate?: string;
  details: Record<string, never>[];
}

describe('account, cost, stats', () => {
  test('maps /user/status', async ({ stack }) => {
    const held = tenantData(stack, 'alpha').userStatus as Record<string, never>;
    const r = await stack.op(MapflowAccountDocument);
    expect(r.errors).toBeUndefined();
    const models: HeldModel[] = held.models;
    const providers: HeldProvider[] = held.dataProviders;
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
    expect(r.data?.account?.models[0].name).toBe('🏠 Buildings');
    expect(stack.calls('mapflow')).toBe(1);
  });

  test('prices a processing (bare-number answer) by geometry and by area', async ({ stack }) => {
    const wdId = '30ddfd15-04aa-47f6-9ceb-68ce709fd710'; // 🏠 Buildings, 13 credits/km², options 3 + 5 + 0
    const geometry = square(37.3, 55.6, 0.01);
    const oracle = await vendor<number>(stack, 'POST', '/processing/cost/v2', { wdId, geometry });
    stack.resetCounts();
    const r = await stack.op(MapflowCostsDocument, { wd: wdId, g: geometry });
    expect(r.errors).toBeUndefined();
    expect(r.data).toEqual({ byGeometry: oracle, byArea: 26, withOptions: 32 });
    expect(oracle).toBeGreaterThan(0);
    expect(stack.callsTo('mapflow', 'POST /processing/cost/v2')).toBe(3);
  });

  test('rejects a cost input without an area before calling Mapflow', async ({ stack }) => {
    const r = await stack.op(MapflowCostWithoutAreaDocument, { wd: '30ddfd15-04aa-47f6-9ceb-68ce709fd710' });
    expect(r.data).toEqual({ processingCost: null });
    expect(r.errors?.[0]).toMatchObject({
      message: 'Give exactly one of geometry and areaSqKm; got neither',
      path: ['processingCost'],
      extensions: { code: 'BAD_USER_INPUT', field: ['input', 'geometry'] },
    });
    expect(stack.calls('mapflow')).toBe(0);
  });

  test('reads the stats report (numbers sent as strings) with a filter', async ({ stack }) => {
    const filter: ProcessingStatsFilter = { dateFrom: '2024-11-07T21:00:00.000Z', dateTo: '2025-02-24T21:59:59.999Z', statuses: ['OK'] };
    const oracle = await vendor<{ results: Record<string, string>[] }>(stack, 'POST', '/processings/stats?type=JSON', filter);
    stack.resetCounts();
    const r = await stack.op(MapflowStatsDocument, { f: filter });
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

  test('without a filter covers every processing of the account', async ({ stack }) => {
    const r = await stack.op(MapflowStatsAllDocument);
    const all = [...tenantData(stack, 'alpha').processings.values()];
    expect(r.data?.processingStats).toMatchObject({ total: all.length, totalArea: all.reduce((s, p) => s + p.area, 0) });
  });
});

describe('projects', () => {
  test('maps the documented project and the default project exactly', async ({ stack }) => {
    const p = doc<Record<string, never>>('project.json');
    const def = doc<Record<string, never>>('project-default.json');
    const r = await stack.op(MapflowProjectAndDefaultDocument, { id: p.id });
    expect(r.errors).toBeUndefined();
    const expected = (d: Record<string, never>) => {
      const progress: DocProgress = d.progress;
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

  test('project(id) is null for an unknown id', async ({ stack }) => {
    const r = await stack.op(MapflowProjectIdDocument, { id: '00000000-0000-4000-8000-000000000000' });
    expect(r).toMatchObject({ data: { project: null } });
    expect(r.errors).toBeUndefined();
  });

  test('projects(first: 10) -> processings -> workflowDef costs 1 + 10 calls', async ({ stack }) => {
    const oracle = await vendor<{ total: number; results: { id: string; name: string }[] }>(stack, 'POST', '/projects/page', {
      limit: 10,
      offset: 0,
      sortBy: 'CREATED',
      sortOrder: 'DESC',
    });
    const t = tenantData(stack, 'alpha');
    stack.resetCounts();
    const r = await stack.op(MapflowProjectsWithWorkflowsDocument);
    expect(r.errors).toBeUndefined();
    const conn = r.data!.projects!;
    expect(conn.totalCount).toBe(t.projects.size);
    expect(conn.pageInfo).toEqual({ hasNextPage: t.projects.size > 10, hasPreviousPage: false });
    expect(conn.nodes.map((n) => ({ id: n.id, name: n.name }))).toEqual(oracle.results.map((p) => ({ id: p.id, name: p.name })));
    for (const n of conn.nodes) {
      const held = [...t.processings.values()].filter((p) => p.projectId === n.id);
      expect(n.processings?.totalCount).toBe(held.length);
      for (const p of n.processings?.nodes ?? []) expect(p.workflowDef?.name).toBe(t.workflowDefs.get(t.processings.get(p.id)?.workflowDefId ?? '')?.name);
    }
    expect(conn.nodes.some((n) => (n.processings?.nodes.length ?? 0) > 0)).toBe(true);
    expect(stack.calls('mapflow')).toBe(1 + 10);
    expect(stack.callsTo('mapflow', 'POST /projects/page')).toBe(1);
    expect(stack.callsTo('mapflow', 'POST /projects/{id}/processings/v2/page')).toBe(10);
  });

  test('pages projects with cursors', async ({ stack }) => {
    const all = tenantData(stack, 'alpha').projects.size;
    const first = await stack.op(MapflowProjectsFirstFourDocument);
    const second = await stack.op(MapflowProjectsRestDocument, { after: first.data?.projects?.pageInfo.endCursor });
    const oracle = await vendor<{ results: { id: string }[] }>(stack, 'POST', '/projects/page', { limit: 100, offset: 0, sortBy: 'CREATED', sortOrder: 'DESC' });
    const ids = [...(first.data?.projects?.edges.map((e) => e.node.id) ?? []), ...(second.data?.projects?.nodes.map((n) => n.id) ?? [])];
    expect(ids).toEqual(oracle.results.map((p) => p.id));
    expect(ids).toHaveLength(all);
    expect(first.data?.projects?.pageInfo.hasNextPage).toBe(true);
    expect(second.data?.projects).toMatchObject({ totalCount: all, pageInfo: { hasPreviousPage: true, hasNextPage: false } });
  });

  test('project(id) -> processings -> aois costs 1 + 1 + P calls', async ({ stack }) => {
    const t = tenantData(stack, 'alpha');
    const [projectId, count] = [...t.projects.keys()]
      .map((id) => [id, [...t.processings.values()].filter((p) => p.projectId === id).length] as const)
      .sort((a, b) => b[1] - a[1])[0];
    expect(count).toBeGreaterThan(2);
    const r = await stack.gql<ProjectAois>(PROJECT_AOIS, { id: projectId });
    expect(r.errors).toBeUndefined();
    const nodes = r.data?.project?.processings?.nodes;
    expect(nodes).toHaveLength(count);
    for (const n of nodes ?? []) {
      const held = t.processings.get(n.id);
      // Each AOI's processing (primed by the page) and that processing's project (loaded by project(id)) are free.
      expect(n.aois).toEqual(held?.aois.map((a) => ({ id: a.id, processingId: n.id, processing: { name: held.name, project: { id: projectId } } })));
    }
    expect(stack.calls('mapflow')).toBe(1 + 1 + count);
    expect(stack.callsTo('mapflow', 'GET /processings/{id}/aois')).toBe(count);
  });
});
