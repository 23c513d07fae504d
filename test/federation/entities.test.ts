import { readFileSync } from 'node:fs';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { describe, expect } from 'vitest';
import { startGateway, type Gateway } from '../../src/app.js';
import { ConfigError, loadConfig } from '../../src/config.js';
import type { StatsSnapshot } from '../../src/simulators/core/stats.js';
import {
  FederationAoiEntitiesDocument,
  FederationCreateProcessingAoisDocument,
  FederationDatasetDownloadEntityDocument,
  FederationDatasetEntityDocument,
  FederationFlowEntityDocument,
  FederationFlowExecutionEntityDocument,
  FederationPointcloudEntityDocument,
  FederationProcessingEntityDocument,
  FederationProjectEntityDocument,
  FederationRequestDownloadDocument,
  FederationSeedIdsDocument,
} from '../generated/graphql.js';
import { poster, type Post } from '../helpers/federation.helpers.js';
import { gatewayEnv, jsonOf, test as stackTest, type Stack } from '../helpers/stack.helpers.js';

// Seeded `alpha` records (the vendors' documented examples and the simulators' seed).
const PROCESSING = '65285409-ac88-4fc0-a937-193cf42c2343';
const FLOW_EXECUTION = 'df7d6f87-2f00-4e66-9dbd-5636ef486a0e';
const POINTCLOUD_SUB = '5310';
const POINTCLOUD_GROUP = '5309';
const MISSING = '00000000-0000-4000-8000-000000000000';

type Vendor = 'mapflow' | 'flai' | 'cupix';

/** Seed ids read through the unified server's root fields once per file. */
interface SeedIds {
  processing2: string;
  projects: string[];
  aois: { id: string; processingId: string }[];
  datasets: string[];
  flows: string[];
  flowExecution2: string;
  download: string;
}

/**
 * The stack test API with `vendorSubgraphs`, the three vendor subgraphs in front of the stack's
 * simulators, and `ids`, the seed ids the cases ask for (one processing made with two AOIs, one
 * download requested), both once per file.
 */
const test = stackTest
  .extend('vendorSubgraphs', { scope: 'file' }, async ({ stack }, { onCleanup }): Promise<Record<Vendor, Gateway>> => {
    const started: Gateway[] = [];
    onCleanup(async () => {
      await Promise.all(started.map((g) => g.close()));
    });
    for (const part of ['mapflow', 'flai', 'cupix'] as const) started.push(await startGateway({ env: gatewayEnv(stack.sims), part }));
    const [mapflow, flai, cupix] = started;
    return { mapflow, flai, cupix };
  })
  .extend('ids', { scope: 'file' }, async ({ stack }): Promise<SeedIds> => {
    const seed = await stack.op(FederationSeedIdsDocument);
    expect(seed.errors).toBeUndefined();
    const d = seed.data!;
    const executions = d.flowExecutions!.nodes.filter((e) => e.id !== FLOW_EXECUTION);
    const flows = [...new Set(executions.map((e) => e.flowId))].slice(0, 2);
    expect(flows).toHaveLength(2);
    // A MultiPolygon of two squares: a processing with two AOIs.
    const sq = (lon: number) => [[[lon, 55.63], [lon + 0.005, 55.63], [lon + 0.005, 55.633], [lon, 55.633], [lon, 55.63]]];
    const created = await stack.op(FederationCreateProcessingAoisDocument, {
      input: { name: 'two AOIs', workflowDefName: '🏠 Buildings', geometry: { type: 'MultiPolygon', coordinates: [sq(37.29), sq(37.3)] } },
    });
    expect(created.errors).toBeUndefined();
    const aois = created.data!.createProcessing.aois!;
    expect(aois).toHaveLength(2);
    const dl = await stack.op(FederationRequestDownloadDocument, { d: '782130b6-e4d6-427d-a531-50456a18f92f' });
    expect(dl.errors).toBeUndefined();
    return {
      processing2: d.processings!.nodes.find((p) => p.id !== PROCESSING)!.id,
      projects: d.projects!.nodes.map((p) => p.id),
      datasets: d.datasets!.nodes.map((x) => x.id),
      flowExecution2: executions[0].id,
      flows,
      aois,
      download: dl.data!.requestDatasetDownload.id,
    };
  });

/** Calls per route since the last reset, read over HTTP from the simulator's `GET /__sim/stats`. */
async function simStats(stack: Stack, vendor: Vendor): Promise<Record<string, number>> {
  const { byRoute } = await jsonOf<StatsSnapshot>(await fetch(`${stack.sims[vendor].origin}/__sim/stats`));
  delete byRoute['GET /oauth/me']; // Flai's one-time organization lookup
  return byRoute;
}
async function resetStats(stack: Stack): Promise<void> {
  await Promise.all((['mapflow', 'flai', 'cupix'] as const).map((v) => fetch(`${stack.sims[v].origin}/__sim/stats`, { method: 'DELETE' })));
}

/** The answer of an `_entities` operation (raw: `_entities` is federation's field, not in schema.graphql, so no typed document holds it). */
interface Entities {
  _entities: unknown[];
}

/** The answer of `_service { sdl }` (raw for the same reason). */
interface ServiceSdl {
  _service: { sdl: string };
}

const ENTITIES = 'query($r: [_Any!]!) { _entities(representations: $r) { __typename SELECTION } }';

interface Case {
  type: string;
  vendor: Vendor;
  selection: string;
  /** The representations: existing ones (one duplicated) and a missing one. */
  reps: (ids: SeedIds) => Record<string, string>[];
  /** The same objects through the unified server's root fields, in the order of `reps` (null for the missing one). */
  expected: (stack: Stack, ids: SeedIds) => Promise<unknown[]>;
  /** Vendor calls per route the batch costs. */
  calls: () => Record<string, number>;
}

/** One object through its root field: `doc` (a typed document of test/generated) with its `id`, the answer's `field`. */
async function rootField<R>(stack: Stack, doc: TypedDocumentNode<R, { id: string }>, id: string, field: keyof R): Promise<unknown> {
  const r = await stack.op(doc, { id });
  expect(r.errors).toBeUndefined();
  return r.data![field];
}
const withTypename = (type: string, v: unknown) => (v === null ? null : { __typename: type, ...(v as object) });

const CASES: Case[] = [
  {
    type: 'Processing',
    vendor: 'mapflow',
    selection: 'id name status state progress workflowDef { name }',
    reps: (ids) => [PROCESSING, ids.processing2, PROCESSING, MISSING].map((id) => ({ __typename: 'Processing', id })),
    expected: async (stack, ids) =>
      Promise.all(
        [PROCESSING, ids.processing2, PROCESSING, MISSING].map(async (id) =>
          withTypename('Processing', await rootField(stack, FederationProcessingEntityDocument, id, 'processing')),
        ),
      ),
    calls: () => ({ 'GET /processings/{id}/v2': 3 }),
  },
  {
    type: 'Project',
    vendor: 'mapflow',
    selection: 'id name isDefault',
    reps: (ids) => [...ids.projects, ids.projects[0], MISSING].map((id) => ({ __typename: 'Project', id })),
    expected: async (stack, ids) =>
      Promise.all([...ids.projects, ids.projects[0], MISSING].map(async (id) => withTypename('Project', await rootField(stack, FederationProjectEntityDocument, id, 'project')))),
    calls: () => ({ 'GET /projects/{id}': 3 }),
  },
  {
    type: 'Aoi',
    vendor: 'mapflow',
    selection: 'id processingId status percentCompleted area',
    // Two AOIs of one processing and a vanished one of it, an AOI of a missing processing.
    reps: (ids) => [
      ...ids.aois.map((a) => ({ __typename: 'Aoi', ...a })),
      { __typename: 'Aoi', id: MISSING, processingId: ids.aois[0].processingId },
      { __typename: 'Aoi', id: MISSING, processingId: MISSING },
    ],
    expected: async (stack, ids) => {
      const r = await stack.op(FederationAoiEntitiesDocument, { id: ids.aois[0].processingId });
      expect(r.errors).toBeUndefined();
      const aois = r.data!.processing!.aois!;
      return [...ids.aois.map((a) => withTypename('Aoi', aois.find((x) => x.id === a.id))), null, null];
    },
    // One AOI list per processing, shared by its AOIs.
    calls: () => ({ 'GET /processings/{id}/aois': 2 }),
  },
  {
    type: 'Dataset',
    vendor: 'flai',
    selection: 'id name type status',
    reps: (ids) => [...ids.datasets, ids.datasets[1], MISSING].map((id) => ({ __typename: 'Dataset', id })),
    expected: async (stack, ids) =>
      Promise.all([...ids.datasets, ids.datasets[1], MISSING].map(async (id) => withTypename('Dataset', await rootField(stack, FederationDatasetEntityDocument, id, 'dataset')))),
    calls: () => ({ 'GET /organization/{orgId}/datasets/{datasetId}': 3 }),
  },
  {
    type: 'Flow',
    vendor: 'flai',
    selection: 'id title nodes { key type }',
    reps: (ids) => [...ids.flows, ids.flows[0], MISSING].map((id) => ({ __typename: 'Flow', id })),
    expected: async (stack, ids) =>
      Promise.all([...ids.flows, ids.flows[0], MISSING].map(async (id) => withTypename('Flow', await rootField(stack, FederationFlowEntityDocument, id, 'flow')))),
    calls: () => ({ 'GET /organization/{orgId}/flows/{flowId}': 3 }),
  },
  {
    type: 'FlowExecution',
    vendor: 'flai',
    selection: 'id state status outputDatasets { name }',
    reps: (ids) => [FLOW_EXECUTION, ids.flowExecution2, FLOW_EXECUTION, MISSING].map((id) => ({ __typename: 'FlowExecution', id })),
    expected: async (stack, ids) =>
      Promise.all(
        [FLOW_EXECUTION, ids.flowExecution2, FLOW_EXECUTION, MISSING].map(async (id) =>
          withTypename('FlowExecution', await rootField(stack, FederationFlowExecutionEntityDocument, id, 'flowExecution')),
        ),
      ),
    calls: () => ({ 'GET /organization/{orgId}/flow-executions/{executionId}': 3 }),
  },
  {
    type: 'DatasetDownload',
    vendor: 'flai',
    selection: 'id datasetId state ready',
    reps: (ids) => [ids.download, ids.download, MISSING].map((id) => ({ __typename: 'DatasetDownload', id })),
    expected: async (stack, ids) =>
      Promise.all(
        [ids.download, ids.download, MISSING].map(async (id) =>
          withTypename('DatasetDownload', await rootField(stack, FederationDatasetDownloadEntityDocument, id, 'datasetDownload')),
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
    expected: async (stack) =>
      Promise.all(
        [POINTCLOUD_SUB, POINTCLOUD_GROUP, POINTCLOUD_SUB, '999999'].map(async (id) =>
          withTypename('Pointcloud', await rootField(stack, FederationPointcloudEntityDocument, id, 'pointcloud')),
        ),
      ),
    calls: () => ({ 'GET /pointclouds/{id}': 3 }),
  },
];

describe.each(['unified server', 'vendor subgraph'] as const)('_entities on the %s', (target) => {
  test.for(CASES.map((c) => [c.type, c] as const))('resolves %s representations through the per-request loaders: duplicates once, missing ones null', async ([_type, c], { stack, vendorSubgraphs, ids }) => {
    const post: Post = target === 'unified server' ? stack.gql : poster(vendorSubgraphs[c.vendor].url);
    const expected = await c.expected(stack, ids);
    await resetStats(stack);
    const r = await post<Entities>(ENTITIES.replace('SELECTION', `... on ${c.type} { ${c.selection} }`), { r: c.reps(ids) });
    expect(r.errors).toBeUndefined();
    expect(r.data!._entities).toEqual(expected);
    // Only the by-key calls the loaders allow, at the owning vendor, and nothing at the others.
    expect(await simStats(stack, c.vendor)).toEqual(c.calls());
    for (const other of (['mapflow', 'flai', 'cupix'] as const).filter((v) => v !== c.vendor)) expect(await simStats(stack, other)).toEqual({});
  });
});

describe('_entities across vendors and _service', () => {
  test('resolves one batch mixing the three vendors in one call per object', async ({ stack }) => {
    await resetStats(stack);
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
    expect([await simStats(stack, 'mapflow'), await simStats(stack, 'flai'), await simStats(stack, 'cupix')]).toEqual([
      { 'GET /processings/{id}/v2': 1 },
      { 'GET /organization/{orgId}/flow-executions/{executionId}': 1 },
      { 'GET /pointclouds/{id}': 1 },
    ]);
  });

  test('rejects a representation of a type that is not an entity of this subgraph with BAD_USER_INPUT, before any call', async ({ stack, vendorSubgraphs }) => {
    await resetStats(stack);
    const r = await poster(vendorSubgraphs.flai.url)(`query($r: [_Any!]!) { _entities(representations: $r) { __typename } }`, {
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
    expect(await simStats(stack, 'flai')).toEqual({});
  });

  test('caps the representations of one _entities call (FEDERATION_MAX_REPRESENTATIONS, default 100): beyond it BAD_USER_INPUT, before any call', async ({ stack }) => {
    const ask = (post: Post, n: number) =>
      post<Entities>(`query($r: [_Any!]!) { _entities(representations: $r) { __typename } }`, { r: Array.from({ length: n }, () => ({ __typename: 'Pointcloud', id: POINTCLOUD_SUB })) });
    await resetStats(stack);
    const tooMany = await ask(stack.gql, 101);
    expect(tooMany.data).toBeNull();
    expect(tooMany.errors).toEqual([
      expect.objectContaining({
        message: 'At most 100 representations per _entities call (FEDERATION_MAX_REPRESENTATIONS); got 101',
        path: ['_entities'],
        extensions: { code: 'BAD_USER_INPUT', field: ['representations'] },
      }),
    ]);
    expect(await simStats(stack, 'cupix')).toEqual({});
    const atDefault = await ask(stack.gql, 100);
    expect(atDefault.errors).toBeUndefined();
    expect(atDefault.data!._entities).toHaveLength(100);

    const capped = await startGateway({ env: { ...gatewayEnv(stack.sims), FEDERATION_MAX_REPRESENTATIONS: '3' }, part: 'cupix' });
    try {
      await resetStats(stack);
      const four = await ask(poster(capped.url), 4);
      expect(four.errors?.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
      expect(await simStats(stack, 'cupix')).toEqual({});
      const three = await ask(poster(capped.url), 3);
      expect(three.errors).toBeUndefined();
      expect(three.data!._entities).toHaveLength(3);
    } finally {
      await capped.close();
    }
  });

  test('refuses a FEDERATION_MAX_REPRESENTATIONS that is not a positive integer', () => {
    for (const bad of ['0', '-1', 'many', '2.5']) expect(() => loadConfig({ FEDERATION_MAX_REPRESENTATIONS: bad }), bad).toThrow(ConfigError);
    expect(loadConfig({}).FEDERATION_MAX_REPRESENTATIONS).toBe(100);
  });

  const KEYED: Record<'mapflow' | 'flai' | 'cupix', Record<string, string>> = {
    mapflow: { Project: 'id', Processing: 'id', Aoi: 'id processingId' },
    flai: { Dataset: 'id', Flow: 'id', FlowExecution: 'id', DatasetDownload: 'id' },
    cupix: { Pointcloud: 'id' },
  };
  test.for(['unified', 'mapflow', 'flai', 'cupix'] as const)('the %s server answers _service { sdl } with the committed federation SDL, its own entities keyed', async (part, { stack, vendorSubgraphs }) => {
    const post = part === 'unified' ? stack.gql : poster(vendorSubgraphs[part].url);
    const r = await post<ServiceSdl>('{ _service { sdl } }');
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
