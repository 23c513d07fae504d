import { describe, expect } from 'vitest';
import {
  CupixBadPagingDocument,
  CupixCountDocument,
  CupixListWithParentsAndOneDocument,
  CupixListWithParentsDocument,
  CupixNameDownloadDocument,
  CupixOneWithAccountDocument,
  CupixPageOfOneWithAccountDocument,
  CupixSubsStateDocument,
  type CupixListWithParentsQuery,
} from '../generated/graphql.js';
import { ALPHA, BETA, test, vendorList, type VendorPointcloud } from './cupix.helpers.js';

test.beforeEach(({ stack }) => stack.resetCounts());
test.afterEach(({ stack }) => stack.sims.cupix.faults.set(null));

function expectedList(list: VendorPointcloud[]): CupixListWithParentsQuery['pointclouds'] {
  const name = (id: string) => list.find((p) => p.id === id)!.attributes.name;
  return {
    totalCount: list.length,
    nodes: list.map((p) => {
      const parent = p.attributes.parent.id === null ? null : String(p.attributes.parent.id);
      return { id: p.id, name: p.attributes.name, parent: parent ? { id: parent, name: name(parent) } : null };
    }),
  };
}

describe('credentials', () => {
  test('x-cupix-token overrides the server credential for that request', async ({ stack, alpha, beta }) => {
    expect(beta.map((p) => p.id)).not.toEqual(alpha.map((p) => p.id));
    const res = await stack.op(CupixListWithParentsAndOneDocument, { id: '5310' }, { 'x-cupix-token': BETA });
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({ pointclouds: expectedList(beta), doc: null });
    expect(stack.sims.cupix.stats.count(undefined, 'beta')).toBe(2);
    expect(stack.sims.cupix.stats.count(undefined, 'alpha')).toBe(0);
  });

  test('two tenants in parallel: each gets only its own data', async ({ stack, alpha, beta }) => {
    const tokens = Array.from({ length: 16 }, (_, i) => (i % 2 ? BETA : ALPHA));
    const results = await Promise.all(tokens.map((t) => stack.op(CupixListWithParentsDocument, {}, { 'x-cupix-token': t })));
    results.forEach((res, i) => {
      expect(res.errors).toBeUndefined();
      expect(res.data?.pointclouds).toEqual(expectedList(tokens[i] === BETA ? beta : alpha));
    });
    // one list call per request, parents primed from it
    expect(stack.sims.cupix.stats.count('GET /pointclouds', 'alpha')).toBe(8);
    expect(stack.sims.cupix.stats.count('GET /pointclouds', 'beta')).toBe(8);
    expect(stack.calls('cupix')).toBe(16);
  });

  test('a token Cupix rejects: UNAUTHENTICATED with the vendor status on the Cupix fields only', async ({ stack }) => {
    const res = await stack.op(CupixOneWithAccountDocument, { id: '5310' }, { 'x-cupix-token': 'not-a-token' });
    expect(res.data).toEqual({ pointcloud: null, account: { email: expect.any(String) } });
    expect(res.errors).toHaveLength(1);
    expect(res.errors![0]).toMatchObject({
      path: ['pointcloud'],
      extensions: { code: 'UNAUTHENTICATED', source: 'CUPIX', upstreamStatus: 401, vendorCode: 'unauthorized' },
    });
    expect(res.errors![0].message).toContain('Cupix: Unauthorized request');
    expect(res.errors![0].message).not.toContain('not-a-token');
  });
});

describe('errors', () => {
  test('Cupix answering 500: its fields fail with the vendor status, the other vendors\' fields arrive', async ({ stack }) => {
    stack.sims.cupix.faults.set({ errorRate: 1, errorStatuses: [500] });
    const res = await stack.op(CupixPageOfOneWithAccountDocument, { id: '5310' });
    expect(res.data).toEqual({ pointcloud: null, pointclouds: null, account: { email: expect.any(String) } });
    expect(res.errors?.map((e) => e.path)).toEqual(expect.arrayContaining([['pointcloud'], ['pointclouds']]));
    expect(res.errors).toHaveLength(2);
    for (const e of res.errors!) expect(e.extensions).toMatchObject({ code: 'UPSTREAM_ERROR', source: 'CUPIX', upstreamStatus: 500 });
    expect(stack.calls('cupix')).toBe(2);
  });

  test('a failing download fails only downloadUrl', async ({ stack }) => {
    stack.sims.cupix.faults.set({ errorRate: 1, errorStatuses: [503], route: '/download' });
    const res = await stack.op(CupixNameDownloadDocument, { id: '5310' });
    expect(res.data).toEqual({ pointcloud: { name: '12116.cpc', downloadUrl: null } });
    expect(res.errors).toHaveLength(1);
    expect(res.errors![0]).toMatchObject({ path: ['pointcloud', 'downloadUrl'], extensions: { code: 'UPSTREAM_UNAVAILABLE', source: 'CUPIX', upstreamStatus: 503 } });
  });

  test('a filter Cupix rejects: BAD_USER_INPUT with the vendor\'s message', async ({ stack }) => {
    const res = await stack.op(CupixCountDocument, { filter: { recordId: 'abc' } });
    expect(res.data).toEqual({ pointclouds: null });
    expect(res.errors![0]).toMatchObject({
      path: ['pointclouds'],
      message: 'Cupix: Invalid parameter record_id: "abc" is not an integer',
      extensions: { code: 'BAD_USER_INPUT', source: 'CUPIX', upstreamStatus: 400, vendorCode: 'invalid_parameter' },
    });
  });

  test('bad paging arguments: BAD_USER_INPUT before any call', async ({ stack }) => {
    const res = await stack.op(CupixBadPagingDocument);
    expect(res.data).toEqual({ a: null, b: null });
    expect(res.errors?.map((e) => [e.path, e.extensions?.code])).toEqual(
      expect.arrayContaining([
        [['a'], 'BAD_USER_INPUT'],
        [['b'], 'BAD_USER_INPUT'],
      ]),
    );
    expect(stack.calls('cupix')).toBe(0);
  });
});

describe('lifecycle', () => {
  test('a pointcloud goes processing → done as the simulator clock advances', async ({ stack }) => {
    const token = 'cupix-test-lifecycle-4f1e9a2b7c3d';
    stack.sims.cupix.addTenant('lifecycle', token);
    const before = (await stack.op(CupixSubsStateDocument, {}, { 'x-cupix-token': token })).data!.pointclouds!.nodes;
    const running = before.filter((p) => p.state === 'RUNNING');
    expect(running.length).toBe(3);
    for (const p of running) expect(p).toMatchObject({ upstreamStatus: 'processing', isTerminal: false, downloadUrl: null });
    // Nothing processing is downloaded.
    expect(stack.callsTo('cupix', 'GET /pointclouds/{id}/download')).toBe(before.length - running.length);

    stack.sims.cupix.clock.advance(60_000);
    const after = (await stack.op(CupixSubsStateDocument, {}, { 'x-cupix-token': token })).data!.pointclouds!.nodes;
    const vendor = await vendorList(stack, token, { pointcloud_type: 'all' });
    for (const p of running) {
      const now = after.find((a) => a.id === p.id)!;
      const v = vendor.find((x) => x.id === p.id)!;
      expect(now.upstreamStatus).toBe(v.attributes.state);
      expect(now.updatedAt).toBe(v.attributes.updated_at);
      expect(now.isTerminal).toBe(true);
    }
    const done = after.filter((a) => running.some((r) => r.id === a.id) && a.state === 'SUCCEEDED');
    const failed = after.filter((a) => running.some((r) => r.id === a.id) && a.state === 'FAILED');
    expect([done.length, failed.length]).toEqual([2, 1]);
    expect(failed[0].downloadUrl).toBeNull();
    for (const p of done) {
      expect(p.downloadUrl).toMatch(/^http:\/\//);
      const file = await fetch(p.downloadUrl!);
      expect(file.status).toBe(200);
      expect((await file.arrayBuffer()).byteLength).toBeGreaterThan(0);
    }
  });
});
