import { describe, expect } from 'vitest';
import {
  FlaiDatasetIdsDocument,
  FlaiExecutionOutputNamesDocument,
  FlaiExecutionsAndTemplatesDocument,
  FlaiExecutionWithCupixDocument,
  FlaiJobWithCupixDocument,
  FlaiWithCupixDocument,
} from '../generated/graphql.js';
import type { Stack } from '../helpers/stack.helpers.js';
import { ALPHA, BETA, errorSummary, test, vendor, type FlaiHeld, type Raw, type RawPage } from './flai.helpers.js';

// The server credential's one-time org lookup is done by the fixture; `held` is what alpha and beta hold.
test.beforeEach(({ stack }) => {
  stack.sims.flai.faults.set(null);
  stack.resetCounts();
});

const idsOf = (list: Raw[]) => list.map((d) => d.id as string);
const alphaIdsOf = (held: FlaiHeld) => idsOf(held.datasets);
const betaIdsOf = (held: FlaiHeld) => idsOf(held.betaDatasets);
const oauthMe = (stack: Stack) => stack.callsTo('flai', 'GET /oauth/me');

describe('credentials per request', () => {
  test("x-flai-token alone: that tenant's data; its org is looked up once (/oauth/me) and cached", async ({ stack, held }) => {
    const [alphaIds, betaIds] = [alphaIdsOf(held), betaIdsOf(held)];
    expect(new Set(alphaIds).size + new Set(betaIds).size).toBe(new Set([...alphaIds, ...betaIds]).size);
    const r1 = await stack.op(FlaiDatasetIdsDocument, {}, { 'x-flai-token': BETA.token });
    expect(r1.errors).toBeUndefined();
    expect(r1.data?.datasets).toEqual({ totalCount: betaIds.length, nodes: betaIds.map((id) => ({ id })) });
    expect(stack.sims.flai.stats.count(undefined, 'beta')).toBe(2);
    expect(oauthMe(stack)).toBe(1);

    stack.resetCounts();
    const r2 = await stack.op(FlaiDatasetIdsDocument, {}, { 'x-flai-token': BETA.token });
    expect(r2.data).toEqual(r1.data);
    expect(oauthMe(stack)).toBe(0);
    expect(stack.calls('flai')).toBe(1);
  });

  test('x-flai-token + x-flai-org-id: no lookup at all; the server credential is untouched', async ({ stack, held }) => {
    const r = await stack.op(FlaiDatasetIdsDocument, {}, { 'x-flai-token': BETA.token, 'x-flai-org-id': BETA.orgId });
    expect(r.data?.datasets?.nodes.map((n) => n.id)).toEqual(betaIdsOf(held));
    expect(oauthMe(stack)).toBe(0);
    const server = await stack.op(FlaiDatasetIdsDocument);
    expect(server.data?.datasets?.nodes.map((n) => n.id)).toEqual(alphaIdsOf(held));
    expect(stack.sims.flai.stats.count(undefined, 'beta')).toBe(1);
    expect(stack.sims.flai.stats.count(undefined, 'alpha')).toBe(1);
  });

  test("another organization's id with your token is FORBIDDEN from the vendor", async ({ stack }) => {
    const r = await stack.op(FlaiDatasetIdsDocument, {}, { 'x-flai-token': BETA.token, 'x-flai-org-id': ALPHA.orgId });
    expect(r.data).toEqual({ datasets: null });
    expect(errorSummary(r)).toEqual([['datasets', 'FORBIDDEN', 'FLAI', 403]]);
  });

  test('two tenants in parallel: each sees only its own data', async ({ stack, held }) => {
    const [alphaIds, betaIds, betaExecutions] = [alphaIdsOf(held), betaIdsOf(held), held.betaExecutions];
    const runs = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        i % 2 ? stack.op(FlaiExecutionsAndTemplatesDocument, {}, { 'x-flai-token': BETA.token, 'x-flai-org-id': BETA.orgId }) : stack.op(FlaiExecutionsAndTemplatesDocument),
      ),
    );
    runs.forEach((r, i) => {
      expect(r.errors).toBeUndefined();
      const exIds = r.data!.flowExecutions!.nodes.map((n) => n.id);
      const dsIds = r.data!.flowExecutions!.nodes.flatMap((n) => n.outputDatasets.map((o) => o.dataset?.id));
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

  test('an invalid token is UNAUTHENTICATED from the vendor, on the Flai fields only', async ({ stack }) => {
    const r = await stack.op(FlaiWithCupixDocument, {}, { 'x-flai-token': '99|not-a-real-token' });
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
  test('Flai answering 500: only the Flai fields fail, with code, source and status; the rest arrives', async ({ stack }) => {
    stack.sims.flai.faults.set({ errorRate: 1, errorStatuses: [500] });
    const r = await stack.op(FlaiExecutionWithCupixDocument, { id: 'x' });
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

  test('one failing nested lookup fails only its own path', async ({ stack }) => {
    const ex = (await vendor<RawPage>(stack, '/flow-executions?per_page=200')).items.find((e) => (e.output_datasets as Raw[]).length === 2) as Raw;
    stack.resetCounts();
    // A 500 (a 503 would be retried and succeed: test/hardening/resilience.test.ts).
    stack.sims.flai.faults.set({ errorRate: 1, errorStatuses: [500], route: 'GET /organization/{orgId}/datasets/{datasetId}', count: 1 });
    const r = await stack.op(FlaiExecutionOutputNamesDocument, { id: String(ex.id) });
    expect(r.data?.flowExecution?.id).toBe(ex.id);
    const datasets = r.data!.flowExecution!.outputDatasets.map((o) => o.dataset);
    expect(datasets.filter((d) => d === null)).toHaveLength(1);
    expect(r.errors).toHaveLength(1);
    expect(r.errors?.[0].extensions).toMatchObject({ code: 'UPSTREAM_ERROR', source: 'FLAI', upstreamStatus: 500 });
    const failed = datasets.indexOf(null);
    expect(r.errors?.[0].path).toEqual(['flowExecution', 'outputDatasets', failed, 'dataset']);
  });
});

const withoutCredential = test.extend('stackOptions', { scope: 'file' }, { env: { FLAI_TOKEN: '' } });

describe('no Flai credential on the server', () => {
  withoutCredential('UNAUTHENTICATED on exactly the Flai fields, no Flai call; other vendors answer; a header still works', async ({ stack: bare, held }) => {
    const r = await bare.op(FlaiJobWithCupixDocument, { id: 'x' });
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

    const withHeader = await bare.op(FlaiDatasetIdsDocument, {}, { 'x-flai-token': ALPHA.token });
    expect(withHeader.data?.datasets?.nodes.map((n) => n.id)).toEqual(alphaIdsOf(held));
  });
});
