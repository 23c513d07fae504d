import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type Gateway } from '../../src/app.js';
import { ConfigError, loadConfig } from '../../src/config.js';
import type { SubgraphName } from '../../src/federation/subgraphs.js';
import { poster, type Post } from '../helpers/federation.helpers.js';
import { gatewayEnv, startStack, type Stack } from '../helpers/stack.helpers.js';

// Seeded `alpha` records (the vendors' documented examples and the simulators' seed).
const PROCESSING = '65285409-ac88-4fc0-a937-193cf42c2343';
const FLOW_EXECUTION = 'df7d6f87-2f00-4e66-9dbd-5636ef486a0e';
const POINTCLOUD_SUB = '5310';
const POINTCLOUD_GROUP = '5309';
const MISSING = '00000000-0000-4000-8000-000000000000';

let stack: Stack;
const vendorSubgraphs: Partial<Record<SubgraphName, Gateway>> = {};
/** Seed ids read through the unified server's root fields once. */
const ids = {} as {
  processing2: string;
  projects: string[];
  aois: { id: string; processingId: string }[];
  datasets: string[];
  flows: string[];
  flowExecution2: string;
  download: string;
};

beforeAll(async () => {
  stack = await startStack();
  for (const part of ['mapflow', 'flai', 'cupix'] as const) vendorSubgraphs[part] = await startGateway({ env: gatewayEnv(stack.sims), part });
  const seed = await stack.gql<{
    processings: { nodes: { id: string }[] };
    projects: { nodes: { id: string }[] };
    datasets: { nodes: { id: string }[] };
    flowExecutions: { nodes: { id: string; flowId: string }[] };
  }>(`{ processings(first: 5) { nodes { id } } projects(first: 2) { nodes { id } } datasets(first: 2) { nodes { id } }
        flowExecutions(first: 5) { nodes { id flowId } } }`);
  expect(seed.errors).toBeUndefined();
  const d = seed.data!;
  ids.processing2 = d.processings.nodes.find((p) => p.id !== PROCESSING)!.id;
  ids.projects = d.projects.nodes.map((p) => p.id);
  ids.datasets = d.datasets.nodes.map((x) => x.id);
  const executions = d.flowExecutions.nodes.filter((e) => e.id !== FLOW_EXECUTION);
  ids.flowExecution2 = executions[0].id;
  ids.flows = [...new Set(executions.map((e) => e.flowId))].slice(0, 2);
  expect(ids.flows).toHaveLength(2);
  // A MultiPolygon of two squares: a processing with two AOIs.
  const sq = (lon: number) => [[[lon, 55.63], [lon + 0.005, 55.63], [lon + 0.005, 55.633], [lon, 55.633], [lon, 55.63]]];
  const created = await stack.gql<{ createProcessing: { id: string; aois: { id: string; processingId: string }[] } }>(
    `mutation($input: CreateProcessingInput!) { createProcessing(input: $input) { id aois { id processingId } } }`,
    { input: { name: 'two AOIs', workflowDefName: '🏠 Buildings', geometry: { type: 'MultiPolygon', coordinates: [sq(37.29), sq(37.3)] } } },
  );
  expect(created.errors).toBeUndefined();
  ids.aois = created.data!.createProcessing.aois;
  expect(ids.aois).toHaveLength(2);
  const dl = await stack.gql<{ requestDatasetDownload: { id: string } }>(`mutation($d: ID!) { requestDatasetDownload(datasetId: $d) { id } }`, { d: '782130b6-e4d6-427d-a531-50456a18f92f' });
  expect(dl.errors).toBeUndefined();
  ids.download = dl.data!.requestDatasetDownload.id;
});
afterAll(async () => {
  await Promise.all(Object.values(vendorSubgraphs).map((g) => g.close()));
  await stack?.close();
});

/** Calls per route since the last reset, read over HTTP from the simulator's `GET /__sim/stats`. */
async function simStats(vendor: 'mapflow' | 'flai' | 'cupix'): Promise<Record<string, number>> {
  const res = await fetch(`${stack.sims[vendor].origin}/__sim/stats`);
  const byRoute = ((await res.json()) as { byRoute: Record<string, number> }).byRoute;
  delete byRoute['GET /oauth/me']; // Flai's one-time organization lookup
  return byRoute;
}
async function resetStats(): Promise<void> {
  await Promise.all((['mapflow', 'flai', 'cupix'] as const).map((v) => fetch(`${stack.sims[v].origin}/__sim/stats`, { method: 'DELETE' })));
}

const ENTITIES = 'query($r: [_Any!]!) { _entities(representations: $r) { __typename SELECTION } }';

interface Case {
  type: string;
  vendor: 'mapflow' | 'flai' | 'cupix';
  selection: string;
  /** The representations: existing ones (one duplicated) and a missing one. */
  reps: () => Record<string, string>[];
  /** The same objects through the root fields, in the order of `reps` (null for the missing one). */
  expected: (post: Post) => Promise<unknown[]>;
  /** Vendor calls per route the batch costs. */
  calls: () => Record<string, number>;
}

async function rootField(post: Post, query: string, variables: Record<string, unknown>, field: string): Promise<unknown> {
  const r = await post(query, variables);
  expect(r.errors).toBeUndefined();
  return (r.data as Record<string, unknown>)[field];
}
const withTypename = (type: string, v: unknown) => (v === null ? null : { __typename: type, ...(v as object) });

const CASES: Case[] = [
  {
    type: 'Processing',
    vendor: 'mapflow',
    selection: 'id name status state progress workflowDef { name }',
    reps: () => [PROCESSING, ids.processing2, PROCESSING, MISSING].map((id) => ({ __typename: 'Processing', id })),
    expected: async (post) =>
      Promise.all(
        [PROCESSING, ids.processing2, PROCESSING, MISSING].map(async (id) =>
          withTypename('Processing', await rootField(post, 'query($id: ID!) { processing(id: $id) { id name status state progress workflowDef { name } } }', { id }, 'processing')),
        ),
      ),
    calls: () => ({ 'GET /processings/{id}/v2': 3 }),
  },
  {
    type: 'Project',
    vendor: 'mapflow',
    selection: 'id name isDefault',
    reps: () => [...ids.projects, ids.projects[0], MISSING].map((id) => ({ __typename: 'Project', id })),
    expected: async (post) =>
      Promise.all([...ids.projects, ids.projects[0], MISSING].map(async (id) => withTypename('Project', await rootField(post, 'query($id: ID!) { project(id: $id) { id name isDefault } }', { id }, 'project')))),
    calls: () => ({ 'GET /projects/{id}': 3 }),
  },
  {
    type: 'Aoi',
    vendor: 'mapflow',
    selection: 'id processingId status percentCompleted area',
    // Two AOIs of one processing and a vanished one of it, an AOI of a missing processing.
    reps: () => [
      ...ids.aois.map((a) => ({ __typename: 'Aoi', ...a })),
      { __typename: 'Aoi', id: MISSING, processingId: ids.aois[0].processingId },
      { __typename: 'Aoi', id: MISSING, processingId: MISSING },
    ],
    expected: async (post) => {
      const aois = (await rootField(post, 'query($id: ID!) { processing(id: $id) { aois { id processingId status percentCompleted area } } }', { id: ids.aois[0].processingId }, 'processing')) as {
        aois: { id: string }[];
      };
      return [...ids.aois.map((a) => withTypename('Aoi', aois.aois.find((x) => x.id === a.id))), null, null];
    },
    // One AOI list per processing, shared by its AOIs.
    calls: () => ({ 'GET /processings/{id}/aois': 2 }),
  },
  {
    type: 'Dataset',
    vendor: 'flai',
    selection: 'id name type status',
    reps: () => [...ids.datasets, ids.datasets[1], MISSING].map((id) => ({ __typename: 'Dataset', id })),
    expected: async (post) =>
      Promise.all([...ids.datasets, ids.datasets[1], MISSING].map(async (id) => withTypename('Dataset', await rootField(post, 'query($id: ID!) { dataset(id: $id) { id name type status } }', { id }, 'dataset')))),
    calls: () => ({ 'GET /organization/{orgId}/datasets/{datasetId}': 3 }),
  },
  {
    type: 'Flow',
    vendor: 'flai',
    selection: 'id title nodes { key type }',
    reps: () => [...ids.flows, ids.flows[0], MISSING].map((id) => ({ __typename: 'Flow', id })),
    expected: async (post) =>
      Promise.all([...ids.flows, ids.flows[0], MISSING].map(async (id) => withTypename('Flow', await rootField(post, 'query($id: ID!) { flow(id: $id) { id title nodes { key type } } }', { id }, 'flow')))),
    calls: () => ({ 'GET /organization/{orgId}/flows/{flowId}': 3 }),
  },
  {
    type: 'FlowExecution',
    vendor: 'flai',
    selection: 'id state status outputDatasets { name }',
    reps: () => [FLOW_EXECUTION, ids.flowExecution2, FLOW_EXECUTION, MISSING].map((id) => ({ __typename: 'FlowExecution', id })),
    expected: async (post) =>
      Promise.all(
        [FLOW_EXECUTION, ids.flowExecution2, FLOW_EXECUTION, MISSING].map(async (id) =>
          withTypename('FlowExecution', await rootField(post, 'query($id: ID!) { flowExecution(id: $id) { id state status outputDatasets { name } } }', { id }, 'flowExecution')),
        ),
      ),
    calls: () => ({ 'GET /organization/{orgId}/flow-executions/{executionId}': 3 }),
  },
  {
    type: 'DatasetDownload',
    vendor: 'flai',
    selection: 'id datasetId state ready',
    reps: () => [ids.download, ids.download, MISSING].map((id) => ({ __typename: 'DatasetDownload', id })),
    expected: async (post) =>
      Promise.all(
        [ids.download, ids.download, MISSING].map(async (id) =>
          withTypename('DatasetDownload', await rootField(post, 'query($id: ID!) { datasetDownload(id: $id) { id datasetId state ready } }', { id }, 'datasetDownload')),
        ),
      ),
    calls: () => ({ 'GET /organization/{orgId}/downloads/{downloadId}': 2 }),
  },
  {
    type: 'Pointcloud',
    vendor: 'cupix',
    selection: 'id name kind state parent { id name }',
    // The sub's parent is the group asked for in the same batch: fetched once, with the fields both need.
    reps: () => [POINTCLOUD_SUB, POINTCLOUD_GROUP, POINTCLOUD_SUB, '999999'].map((id) => ({ __typename: 'Pointcloud', id })),
    expected: async (post) =>
      Promise.all(
        [POINTCLOUD_SUB, POINTCLOUD_GROUP, POINTCLOUD_SUB, '999999'].map(async (id) =>
          withTypename('Pointcloud', await rootField(post, 'query($id: ID!) { pointcloud(id: $id) { id name kind state parent { id name } } }', { id }, 'pointcloud')),
        ),
      ),
    calls: () => ({ 'GET /pointclouds/{id}': 3 }),
  },
];

describe.each(['unified server', 'vendor subgraph'] as const)('_entities on the %s', (target) => {
  const postFor = (c: Case): Post => (target === 'unified server' ? stack.gql : poster(vendorSubgraphs[c.vendor]!.url));

  it.each(CASES.map((c) => [c.type, c] as const))('resolves %s representations through the per-request loaders: duplicates once, missing ones null', async (_type, c) => {
    const post = postFor(c);
    const expected = await c.expected(stack.gql);
    await resetStats();
    const r = await post(ENTITIES.replace('SELECTION', `... on ${c.type} { ${c.selection} }`), { r: c.reps() });
    expect(r.errors).toBeUndefined();
    expect((r.data as { _entities: unknown[] })._entities).toEqual(expected);
    // Only the by-key calls the loaders allow, at the owning vendor, and nothing at the others.
    expect(await simStats(c.vendor)).toEqual(c.calls());
    for (const other of (['mapflow', 'flai', 'cupix'] as const).filter((v) => v !== c.vendor)) expect(await simStats(other)).toEqual({});
  });
});

describe('_entities across vendors and _service', () => {
  it('resolves one batch mixing the three vendors in one call per object', async () => {
    await resetStats();
    const r = await stack.gql(
      `query($r: [_Any!]!) { _entities(representations: $r) { __typename ... on Processing { name } ... on FlowExecution { state } ... on Pointcloud { kind } } }`,
      { r: [{ __typename: 'Processing', id: PROCESSING }, { __typename: 'FlowExecution', id: FLOW_EXECUTION }, { __typename: 'Pointcloud', id: POINTCLOUD_SUB }] },
    );
    expect(r.errors).toBeUndefined();
    expect(r.data).toEqual({
      _entities: [
        { __typename: 'Processing', name: 'Test processing' },
        { __typename: 'FlowExecution', state: 'RUNNING' },
        { __typename: 'Pointcloud', kind: 'SUB' },
      ],
    });
    expect([await simStats('mapflow'), await simStats('flai'), await simStats('cupix')]).toEqual([
      { 'GET /processings/{id}/v2': 1 },
      { 'GET /organization/{orgId}/flow-executions/{executionId}': 1 },
      { 'GET /pointclouds/{id}': 1 },
    ]);
  });

  it('rejects a representation of a type that is not an entity of this subgraph with BAD_USER_INPUT, before any call', async () => {
    await resetStats();
    const r = await poster(vendorSubgraphs.flai!.url)(`query($r: [_Any!]!) { _entities(representations: $r) { __typename } }`, {
      r: [{ __typename: 'FlowExecution', id: FLOW_EXECUTION }, { __typename: 'Processing', id: PROCESSING }],
    });
    expect(r.data).toBeNull();
    expect(r.errors).toEqual([
      expect.objectContaining({
        message: 'representations[1]: "Processing" is not an entity of this subgraph (Dataset, DatasetDownload, Flow, FlowExecution)',
        path: ['_entities'],
        extensions: { code: 'BAD_USER_INPUT', field: ['representations', '1'] },
      }),
    ]);
    expect(await simStats('flai')).toEqual({});
  });

  it('caps the representations of one _entities call (FEDERATION_MAX_REPRESENTATIONS, default 100): beyond it BAD_USER_INPUT, before any call', async () => {
    const ask = (post: Post, n: number) =>
      post(`query($r: [_Any!]!) { _entities(representations: $r) { __typename } }`, { r: Array.from({ length: n }, () => ({ __typename: 'Pointcloud', id: POINTCLOUD_SUB })) });
    await resetStats();
    const tooMany = await ask(stack.gql, 101);
    expect(tooMany.data).toBeNull();
    expect(tooMany.errors).toEqual([
      expect.objectContaining({
        message: 'At most 100 representations per _entities call (FEDERATION_MAX_REPRESENTATIONS); got 101',
        path: ['_entities'],
        extensions: { code: 'BAD_USER_INPUT', field: ['representations'] },
      }),
    ]);
    expect(await simStats('cupix')).toEqual({});
    const atDefault = await ask(stack.gql, 100);
    expect(atDefault.errors).toBeUndefined();
    expect((atDefault.data as { _entities: unknown[] })._entities).toHaveLength(100);

    const capped = await startGateway({ env: { ...gatewayEnv(stack.sims), FEDERATION_MAX_REPRESENTATIONS: '3' }, part: 'cupix' });
    try {
      await resetStats();
      const four = await ask(poster(capped.url), 4);
      expect(four.errors?.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
      expect(await simStats('cupix')).toEqual({});
      const three = await ask(poster(capped.url), 3);
      expect(three.errors).toBeUndefined();
      expect((three.data as { _entities: unknown[] })._entities).toHaveLength(3);
    } finally {
      await capped.close();
    }
  });

  it('refuses a FEDERATION_MAX_REPRESENTATIONS that is not a positive integer', () => {
    for (const bad of ['0', '-1', 'many', '2.5']) expect(() => loadConfig({ FEDERATION_MAX_REPRESENTATIONS: bad }), bad).toThrow(ConfigError);
    expect(loadConfig({}).FEDERATION_MAX_REPRESENTATIONS).toBe(100);
  });

  const KEYED: Record<'mapflow' | 'flai' | 'cupix', Record<string, string>> = {
    mapflow: { Project: 'id', Processing: 'id', Aoi: 'id processingId' },
    flai: { Dataset: 'id', Flow: 'id', FlowExecution: 'id', DatasetDownload: 'id' },
    cupix: { Pointcloud: 'id' },
  };
  it.each(['unified', 'mapflow', 'flai', 'cupix'] as const)('the %s server answers _service { sdl } with the committed federation SDL, its own entities keyed', async (part) => {
    const post = part === 'unified' ? stack.gql : poster(vendorSubgraphs[part]!.url);
    const r = await post<{ _service: { sdl: string } }>('{ _service { sdl } }');
    expect(r.errors).toBeUndefined();
    const sdl = r.data!._service.sdl;
    expect(sdl + '\n').toBe(readFileSync(new URL(`../../federation/${part}.graphql`, import.meta.url), 'utf8'));
    for (const [vendor, types] of Object.entries(KEYED)) {
      for (const [type, key] of Object.entries(types)) {
        const declared = new RegExp(`\\ntype ${type}\\b[^{]*@key\\(fields: "${key}"\\)`);
        if (part === 'unified' || part === vendor) expect(sdl).toMatch(declared);
        else expect(sdl).not.toMatch(new RegExp(`\\ntype ${type}\\b`)); // only its own vendor's types
      }
    }
  });
});
