import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { startStack, type Stack } from '../helpers/stack.helpers.js';
import { ALPHA, BETA, errorSummary, vendor, type Raw, type RawPage } from './flai.helpers.js';

let stack: Stack;
let alphaIds: string[];
let betaIds: string[];
let betaExecutions: Raw[];

beforeAll(async () => {
  stack = await startStack();
  alphaIds = (await vendor<RawPage>(stack, '/datasets?per_page=200')).items.map((d) => d.id as string);
  betaIds = (await vendor<RawPage>(stack, '/datasets?per_page=200', BETA)).items.map((d) => d.id as string);
  betaExecutions = (await vendor<RawPage>(stack, '/flow-executions?per_page=200', BETA)).items;
  await stack.gql('{ flowTemplates { id } }'); // the server credential's one-time org lookup
});
afterAll(() => stack?.close());
beforeEach(() => {
  stack.sims.flai.faults.set(null);
  stack.resetCounts();
});

const Q = '{ datasets(first: 100) { totalCount nodes { id } } }';
type DatasetsData = { datasets: { totalCount: number; nodes: { id: string }[] } };
const oauthMe = () => stack.callsTo('flai', 'GET /oauth/me');

describe('credentials per request', () => {
  test("x-flai-token alone: that tenant's data; its org is looked up once (/oauth/me) and cached", async () => {
    expect(new Set(alphaIds).size + new Set(betaIds).size).toBe(new Set([...alphaIds, ...betaIds]).size);
    const r1 = await stack.gql<DatasetsData>(Q, undefined, { 'x-flai-token': BETA.token });
    expect(r1.errors).toBeUndefined();
    expect(r1.data?.datasets).toEqual({ totalCount: betaIds.length, nodes: betaIds.map((id) => ({ id })) });
    expect(stack.sims.flai.stats.count(undefined, 'beta')).toBe(2);
    expect(oauthMe()).toBe(1);

    stack.resetCounts();
    const r2 = await stack.gql<DatasetsData>(Q, undefined, { 'x-flai-token': BETA.token });
    expect(r2.data).toEqual(r1.data);
    expect(oauthMe()).toBe(0);
    expect(stack.calls('flai')).toBe(1);
  });

  test('x-flai-token + x-flai-org-id: no lookup at all; the server credential is untouched', async () => {
    const r = await stack.gql<DatasetsData>(Q, undefined, { 'x-flai-token': BETA.token, 'x-flai-org-id': BETA.orgId });
    expect(r.data?.datasets.nodes.map((n) => n.id)).toEqual(betaIds);
    expect(oauthMe()).toBe(0);
    const server = await stack.gql<DatasetsData>(Q);
    expect(server.data?.datasets.nodes.map((n) => n.id)).toEqual(alphaIds);
    expect(stack.sims.flai.stats.count(undefined, 'beta')).toBe(1);
    expect(stack.sims.flai.stats.count(undefined, 'alpha')).toBe(1);
  });

  test("another organization's id with your token is FORBIDDEN from the vendor", async () => {
    const r = await stack.gql(Q, undefined, { 'x-flai-token': BETA.token, 'x-flai-org-id': ALPHA.orgId });
    expect(r.data).toEqual({ datasets: null });
    expect(errorSummary(r)).toEqual([['datasets', 'FORBIDDEN', 'FLAI', 403]]);
  });

  test('two tenants in parallel: each sees only its own data', async () => {
    const E = '{ flowExecutions(first: 50) { nodes { id outputDatasets { dataset { id } } } } flowTemplates { id } }';
    type Data = { flowExecutions: { nodes: { id: string; outputDatasets: { dataset: { id: string } }[] }[] } };
    const runs = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        i % 2 ? stack.gql<Data>(E, undefined, { 'x-flai-token': BETA.token, 'x-flai-org-id': BETA.orgId }) : stack.gql<Data>(E),
      ),
    );
    runs.forEach((r, i) => {
      expect(r.errors).toBeUndefined();
      const exIds = r.data!.flowExecutions.nodes.map((n) => n.id);
      const dsIds = r.data!.flowExecutions.nodes.flatMap((n) => n.outputDatasets.map((o) => o.dataset.id));
      const own = i % 2 ? betaIds : alphaIds;
      const other = i % 2 ? alphaIds : betaIds;
      for (const id of dsIds) {
        expect(own).toContain(id);
        expect(other).not.toContain(id);
      }
      if (i % 2) expect(exIds).toEqual(betaExecutions.map((e) => e.id));
      else expect(exIds.some((id) => betaExecutions.some((e) => e.id === id))).toBe(false);
    });
  });

  test('an invalid token is UNAUTHENTICATED from the vendor, on the Flai fields only', async () => {
    const r = await stack.gql('{ datasets { totalCount } flowTemplates { id } pointclouds(first: 1) { totalCount } }', undefined, { 'x-flai-token': '99|not-a-real-token' });
    expect(r.data?.datasets).toBeNull();
    expect(r.data?.flowTemplates).toBeNull();
    expect(r.data?.pointclouds).not.toBeNull();
    expect(errorSummary(r)).toEqual([
      ['datasets', 'UNAUTHENTICATED', 'FLAI', 401],
      ['flowTemplates', 'UNAUTHENTICATED', 'FLAI', 401],
    ]);
    expect(r.errors?.map((e) => e.message)).toEqual(['Flai: Unauthenticated.', 'Flai: Unauthenticated.']);
    expect(JSON.stringify(r)).not.toContain('not-a-real-token');
  });
});

describe('partial failure', () => {
  test('Flai answering 500: only the Flai fields fail, with code, source and status; the rest arrives', async () => {
    stack.sims.flai.faults.set({ errorRate: 1, errorStatuses: [500] });
    const r = await stack.gql('{ datasets { totalCount } flowExecution(id: "x") { id } flowTemplates { id } pointclouds(first: 1) { totalCount } }');
    expect(r.data?.datasets).toBeNull();
    expect(r.data?.flowExecution).toBeNull();
    expect(r.data?.flowTemplates).toBeNull();
    expect(r.data?.pointclouds).toEqual({ totalCount: expect.any(Number) });
    expect(errorSummary(r)).toEqual([
      ['datasets', 'UPSTREAM_ERROR', 'FLAI', 500],
      ['flowExecution', 'UPSTREAM_ERROR', 'FLAI', 500],
      ['flowTemplates', 'UPSTREAM_ERROR', 'FLAI', 500],
    ]);
    expect(new Set(r.errors?.map((e) => e.message))).toEqual(new Set(['Flai: Server Error']));
  });

  test('one failing nested lookup fails only its own path', async () => {
    const ex = (await vendor<RawPage>(stack, '/flow-executions?per_page=200')).items.find((e) => (e.output_datasets as Raw[]).length === 2) as Raw;
    stack.resetCounts();
    // A 500 (a 503 would be retried and succeed: test/hardening/resilience.test.ts).
    stack.sims.flai.faults.set({ errorRate: 1, errorStatuses: [500], route: 'GET /organization/{orgId}/datasets/{datasetId}', count: 1 });
    const r = await stack.gql<{ flowExecution: { id: string; outputDatasets: { name: string; dataset: { id: string } | null }[] } }>(
      'query($id: ID!) { flowExecution(id: $id) { id outputDatasets { name dataset { id } } } }',
      { id: ex.id },
    );
    expect(r.data?.flowExecution.id).toBe(ex.id);
    const datasets = r.data!.flowExecution.outputDatasets.map((o) => o.dataset);
    expect(datasets.filter((d) => d === null)).toHaveLength(1);
    expect(r.errors).toHaveLength(1);
    expect(r.errors?.[0].extensions).toMatchObject({ code: 'UPSTREAM_ERROR', source: 'FLAI', upstreamStatus: 500 });
    const failed = datasets.indexOf(null);
    expect(r.errors?.[0].path).toEqual(['flowExecution', 'outputDatasets', failed, 'dataset']);
  });
});

describe('no Flai credential on the server', () => {
  let bare: Stack;
  beforeAll(async () => {
    bare = await startStack({ env: { FLAI_TOKEN: '' } });
  });
  afterAll(() => bare?.close());

  test('UNAUTHENTICATED on exactly the Flai fields, no Flai call; other vendors answer; a header still works', async () => {
    const r = await bare.gql('{ datasets { totalCount } flowTemplates { id } jobs(refs: [{source: FLAI, type: "FlowExecution", id: "x"}]) { id } pointclouds(first: 1) { totalCount } }');
    expect(r.data?.pointclouds).not.toBeNull();
    expect(r.data?.datasets).toBeNull();
    expect(r.data?.jobs).toEqual([null]);
    expect(errorSummary(r)).toEqual([
      ['datasets', 'UNAUTHENTICATED', 'FLAI', undefined],
      ['flowTemplates', 'UNAUTHENTICATED', 'FLAI', undefined],
      ['jobs.0', 'UNAUTHENTICATED', 'FLAI', undefined],
    ]);
    expect(new Set(r.errors?.map((e) => e.message))).toEqual(new Set(['Flai credentials missing: set FLAI_TOKEN or send x-flai-token']));
    expect(bare.calls('flai') + bare.callsTo('flai', 'GET /oauth/me')).toBe(0);

    const withHeader = await bare.gql<DatasetsData>(Q, undefined, { 'x-flai-token': ALPHA.token });
    expect(withHeader.data?.datasets.nodes.map((n) => n.id)).toEqual(alphaIds);
  });
});
