import { describe, expect } from 'vitest';
import {
  CupixChildrenAndTheirParentDocument,
  CupixChildrenParentsDocument,
  CupixChildrenTransformsDocument,
  CupixDownloadDocument,
  CupixFilteredDocument,
  CupixGroupEveryFieldDocument,
  CupixGroupsPageDocument,
  CupixGroupsWithChildrenDocument,
  CupixIdNameDownloadDocument,
  CupixKindsDocument,
  CupixListExampleDocument,
  CupixNameDownloadDocument,
  CupixNamedChildrenParentsDocument,
  CupixPageDocument,
  CupixSameTwiceDocument,
  CupixStateDownloadDocument,
  CupixSubEveryFieldDocument,
  CupixSubTransformsDocument,
  CupixTransformsDocument,
  CupixTwoIdsDocument,
  PointcloudsWithParentsDocument,
  type PointcloudFilter,
} from '../generated/graphql.js';
import type { Stack } from '../helpers/stack.helpers.js';
import { ALPHA, byId, IDENTITY, test, vendorList } from './cupix.helpers.js';

// Without the documented variants: this file asserts alpha's whole list by count and position (21 items, 6 groups, 15 subs).
test.override('stackOptions', { documentedVariants: false });
// `alpha` (the fixture): everything tenant alpha holds, in the vendor's default order (created_at desc).
test.beforeEach(({ stack }) => stack.resetCounts());

const ids = (list: { id: string }[]) => list.map((p) => p.id);
const cupixRoutes = (stack: Stack) => stack.sims.cupix.stats.snapshot().byRoute;

describe('pointcloud(id)', () => {
  test('the documented sub 5310, every field, exactly as the vendor example holds it', async ({ stack }) => {
    const res = await stack.op(CupixSubEveryFieldDocument, { id: '5310' });
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({
      pointcloud: {
        id: '5310',
        source: 'CUPIX',
        state: 'SUCCEEDED',
        upstreamStatus: 'done',
        progress: null,
        isTerminal: true,
        updatedAt: '2023-10-30T02:37:44.526Z',
        createdAt: '2023-10-30T02:35:05.544Z',
        publishedAt: null,
        name: '12116.cpc',
        kind: 'SUB',
        type: 'RECONSTRUCTED',
        editingState: 'skipped',
        cluster: { id: '3416', name: 'Cluster 1', type: 'Cluster' },
        record: { id: '602', name: null, type: 'Record' },
        level: { id: '20', name: null, type: 'Level' },
        transform: IDENTITY,
        worldTransform: IDENTITY,
        finalTransform: IDENTITY,
        originalFileName: '3416.cpc',
        originalPointCount: 183918,
        originalSizeInMb: 3.63,
        permission: 'F',
        useGeoreference: false,
        georeference: null,
        thumbnailUrls: null,
        // The group's record and level are `{}` stubs at the vendor: no reference.
        parent: { id: '5309', name: 'Cluster 1', kind: 'GROUP', record: null, level: null },
        // A SUB has no children, and knowing its kind saves the list call.
        children: [],
      },
    });
    // 5310, then its parent once (the `parent` field and `finalTransform` share one call).
    expect(cupixRoutes(stack)).toEqual({ 'GET /pointclouds/{id}': 2 });
  });

  test('the documented group 5309 with its children', async ({ stack }) => {
    const res = await stack.op(CupixGroupEveryFieldDocument, { id: '5309' });
    expect(res.errors).toBeUndefined();
    expect(res.data?.pointcloud).toMatchObject({
      id: '5309',
      name: 'Cluster 1',
      kind: 'GROUP',
      type: 'RECONSTRUCTED',
      state: 'SUCCEEDED',
      upstreamStatus: 'done',
      createdAt: '2023-10-30T02:35:04.934Z',
      updatedAt: '2023-10-30T02:35:48.719Z',
      cluster: { id: '3416', name: 'Cluster 1', type: 'Cluster' },
      record: null,
      level: null,
      transform: IDENTITY,
      worldTransform: IDENTITY,
      finalTransform: IDENTITY,
      originalFileName: null,
      originalPointCount: null,
      originalSizeInMb: null,
      parent: null,
      children: [{ id: '5310', name: '12116.cpc', kind: 'SUB' }],
    });
    expect(cupixRoutes(stack)).toEqual({ 'GET /pointclouds/{id}': 1, 'GET /pointclouds': 1 });
  });

  test('an unknown id is null without an error', async ({ stack }) => {
    const res = await stack.op(CupixTwoIdsDocument, { a: '999999', b: 'not-a-number' });
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({ a: null, b: null });
    expect(stack.calls('cupix')).toBe(2);
  });

  test('the same pointcloud under two aliases costs one call', async ({ stack }) => {
    const res = await stack.op(CupixSameTwiceDocument, { id: '5321' });
    expect(res.data).toEqual({ a: { name: '12131.cpc' }, b: { id: '5321', kind: 'SUB' } });
    expect(stack.calls('cupix')).toBe(1);
  });
});

describe('pointclouds(filter, first, after)', () => {
  test('issue 3: captureId → parent { name }, parents in the same list = 1 call', async ({ stack }) => {
    const res = await stack.op(PointcloudsWithParentsDocument, { captureId: '1202' });
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({
      pointclouds: {
        nodes: [
          { id: '5323', parent: { name: 'Cluster 2' } },
          { id: '5322', parent: { name: 'Cluster 2' } },
          { id: '5321', parent: { name: 'Cluster 2' } },
          { id: '5320', parent: null },
        ],
      },
    });
    expect(stack.calls('cupix')).toBe(1);
  });

  test('the documented capture: the list example, exactly', async ({ stack }) => {
    const res = await stack.op(CupixListExampleDocument, { filter: { captureId: '1201', type: 'RECONSTRUCTED' } });
    expect(res.data).toEqual({
      pointclouds: {
        totalCount: 2,
        pageInfo: { hasNextPage: false, hasPreviousPage: false },
        nodes: [
          { id: '5310', name: '12116.cpc', kind: 'SUB', parent: { id: '5309' }, originalFileName: '3416.cpc' },
          { id: '5309', name: 'Cluster 1', kind: 'GROUP', parent: null, originalFileName: null },
        ],
      },
    });
    expect(stack.calls('cupix')).toBe(1);
  });

  test.for<[PointcloudFilter, Record<string, string>]>([
    [{ recordId: '603' }, { record_id: '603' }],
    [{ clusterId: '3417' }, { cluster_id: '3417' }],
    [{ captureId: '1203' }, { capture_id: '1203' }],
    [{ parentId: '5350' }, { parent_id: '5350' }],
    [{ type: 'UPLOADED' }, { pointcloud_type: 'uploaded' }],
    [{ type: 'RECONSTRUCTED', recordId: '602' }, { pointcloud_type: '3d_reconstructed', record_id: '602' }],
  ])('filter %o maps to the vendor query %o (1 call)', async ([filter, query], { stack }) => {
    const expected = await vendorList(stack, ALPHA, query);
    expect(expected.length).toBeGreaterThan(0);
    const res = await stack.op(CupixFilteredDocument, { f: filter });
    expect(res.errors).toBeUndefined();
    expect(res.data?.pointclouds).toEqual({ totalCount: expected.length, nodes: expected.map((p) => ({ id: p.id, name: p.attributes.name })) });
    expect(stack.calls('cupix')).toBe(1);
  });

  test('first/after page through the vendor list with one call per page, cursors consistent', async ({ stack, alpha }) => {
    const page = async (variables: { first: number; after?: string | null }) => (await stack.op(CupixPageDocument, variables)).data!.pointclouds!;
    const all = ids(alpha);
    expect(all.length).toBe(21);

    const p1 = await page({ first: 5 });
    expect(ids(p1.nodes)).toEqual(all.slice(0, 5));
    expect(p1.edges.map((e) => e.node.id)).toEqual(all.slice(0, 5));
    expect(p1).toMatchObject({ totalCount: 21, pageInfo: { hasNextPage: true, hasPreviousPage: false, startCursor: p1.edges[0].cursor, endCursor: p1.edges[4].cursor } });
    expect(stack.calls('cupix')).toBe(1);

    const p2 = await page({ first: 5, after: p1.pageInfo.endCursor });
    expect(ids(p2.nodes)).toEqual(all.slice(5, 10));
    expect(p2.pageInfo.hasPreviousPage).toBe(true);
    expect(stack.calls('cupix')).toBe(2);

    // A window that straddles vendor pages of its own size is still one call.
    const mid = await page({ first: 3, after: p1.edges[3].cursor });
    expect(ids(mid.nodes)).toEqual(all.slice(4, 7));
    expect(stack.calls('cupix')).toBe(3);

    const last = await page({ first: 5, after: p2.pageInfo.endCursor });
    expect(ids(last.nodes)).toEqual(all.slice(10, 15));
    const tail = await page({ first: 10, after: last.pageInfo.endCursor });
    expect(ids(tail.nodes)).toEqual(all.slice(15, 21));
    expect(tail.pageInfo.hasNextPage).toBe(false);

    const none = await page({ first: 0 });
    expect(none).toMatchObject({ totalCount: 21, nodes: [], edges: [], pageInfo: { hasNextPage: true, startCursor: null, endCursor: null } });
    expect(stack.calls('cupix')).toBe(6);
  });

  test('kind is filtered by the gateway over the full list: totalCount and cursors follow the filtered list', async ({ stack, alpha }) => {
    const groups = ids(alpha.filter((p) => p.attributes.kind === 'group'));
    expect(groups.length).toBe(6);
    const p1 = (await stack.op(CupixGroupsPageDocument)).data!.pointclouds!;
    expect(p1).toEqual({ totalCount: 6, pageInfo: { hasNextPage: true, endCursor: p1.pageInfo.endCursor }, nodes: groups.slice(0, 4).map((id) => ({ id, kind: 'GROUP' })) });
    const p2 = (await stack.op(CupixGroupsPageDocument, { after: p1.pageInfo.endCursor })).data!.pointclouds!;
    expect(p2.nodes).toEqual(groups.slice(4).map((id) => ({ id, kind: 'GROUP' })));
    expect(p2.pageInfo.hasNextPage).toBe(false);
    // 21 items fit one vendor page of 100.
    expect(stack.calls('cupix')).toBe(2);
  });

  test('kind with a vendor filter: only the SUBs of capture 1203', async ({ stack }) => {
    const expected = (await vendorList(stack, ALPHA, { capture_id: '1203' })).filter((p) => p.attributes.kind === 'sub');
    const res = await stack.op(CupixKindsDocument, { filter: { captureId: '1203', kind: 'SUB' } });
    expect(res.data?.pointclouds).toEqual({ totalCount: 5, nodes: expected.map((p) => ({ id: p.id, name: p.attributes.name, kind: 'SUB' })) });
    expect(stack.calls('cupix')).toBe(1);
  });

  test('children of every group on a page: 1 list call + 1 call with parent_ids', async ({ stack, alpha }) => {
    const res = await stack.op(CupixGroupsWithChildrenDocument);
    expect(res.errors).toBeUndefined();
    const expected = alpha
      .filter((p) => p.attributes.kind === 'group')
      .map((g) => ({
        id: g.id,
        children: alpha.filter((c) => String(c.attributes.parent.id) === g.id).map((c) => ({ id: c.id, name: c.attributes.name, kind: 'SUB' })),
      }));
    expect(res.data?.pointclouds?.nodes).toEqual(expected);
    expect(cupixRoutes(stack)).toEqual({ 'GET /pointclouds': 2 });
  });

  test('children then their parent again: the parent comes from the children call', async ({ stack }) => {
    const res = await stack.op(CupixChildrenAndTheirParentDocument, { filter: { parentId: '5320' } });
    expect(res.errors).toBeUndefined();
    const subs = ['5323', '5322', '5321'];
    expect(res.data?.pointclouds).toEqual({ nodes: subs.map((id) => ({ id, parent: { id: '5320', name: 'Cluster 2', children: subs.map((c) => ({ id: c })) } })) });
    // the list, the parent (not in the list), the parent's children
    expect(cupixRoutes(stack)).toEqual({ 'GET /pointclouds': 2, 'GET /pointclouds/{id}': 1 });
  });
});

describe('sparse fields', () => {
  test('an object fetched with fewer fields is not served to a lookup that needs more', async ({ stack }) => {
    // 5320 is fetched with {id, kind} for `children`; its children's `parent { name }` needs the name:
    // the cached 5320 does not cover it, so it is fetched again (a served sparse object would give null).
    const res = await stack.op(CupixChildrenParentsDocument, { id: '5320' });
    expect(res.errors).toBeUndefined();
    const parent = { id: '5320', name: 'Cluster 2' };
    expect(res.data).toEqual({ pointcloud: { id: '5320', children: ['5323', '5322', '5321'].map((id) => ({ id, parent })) } });
    expect(cupixRoutes(stack)).toEqual({ 'GET /pointclouds/{id}': 2, 'GET /pointclouds': 1 });
  });

  test('the same operation asking the name at the top reuses the first object: one call less', async ({ stack }) => {
    const res = await stack.op(CupixNamedChildrenParentsDocument, { id: '5320' });
    expect(res.errors).toBeUndefined();
    expect(res.data?.pointcloud).toMatchObject({ name: 'Cluster 2' });
    expect(cupixRoutes(stack)).toEqual({ 'GET /pointclouds/{id}': 1, 'GET /pointclouds': 1 });
  });

  test('subs listed without meta are fetched again with meta when their group\'s children need a transform', async ({ stack, alpha }) => {
    const sparse = await stack.op(CupixChildrenTransformsDocument, { filter: { captureId: '1202' } });
    expect(sparse.errors).toBeUndefined();
    const group = sparse.data!.pointclouds!.nodes.find((n) => n.id === '5320')!;
    expect(group.children!.map((c) => [c.id, c.transform])).toEqual(
      ['5323', '5322', '5321'].map((id) => [id, byId(alpha, id).attributes.meta.prop.tm]),
    );
    expect(cupixRoutes(stack)).toEqual({ 'GET /pointclouds': 2 });
  });
});

describe('transforms', () => {
  test('finalTransform = group.wtm × sub.tm equals every sub\'s wtm, non-identity; parents come from the same list', async ({ stack, alpha }) => {
    const res = await stack.op(CupixSubTransformsDocument);
    expect(res.errors).toBeUndefined();
    const subs = res.data!.pointclouds!.nodes;
    expect(subs).toHaveLength(15);
    let nonIdentity = 0;
    for (const sub of subs) {
      const vendor = byId(alpha, sub.id).attributes.meta.prop;
      expect(sub.transform).toEqual(vendor.tm);
      expect(sub.worldTransform).toEqual(vendor.wtm);
      sub.finalTransform!.forEach((v, i) => expect(v).toBeCloseTo(vendor.wtm[i], 9));
      if (vendor.tm.some((v, i) => v !== IDENTITY[i])) nonIdentity++;
    }
    expect(nonIdentity).toBe(14);
    // The groups are in the vendor's full list read for the kind filter: no parent lookups.
    expect(stack.calls('cupix')).toBe(1);
  });

  test('a GROUP\'s finalTransform is its own wtm (5330 sits 3.6 m up: wtm ≠ tm)', async ({ stack, alpha }) => {
    const res = await stack.op(CupixTransformsDocument, { id: '5330' });
    const vendor = byId(alpha, '5330').attributes.meta.prop;
    expect(res.data?.pointcloud).toEqual({ transform: vendor.tm, worldTransform: vendor.wtm, finalTransform: vendor.wtm });
    expect(vendor.tm).not.toEqual(vendor.wtm);
    expect(stack.calls('cupix')).toBe(1);
  });
});

describe('downloadUrl', () => {
  test('a SUB: the presigned Location of the redirect, which returns the file', async ({ stack }) => {
    const res = await stack.op(CupixNameDownloadDocument, { id: '5310' });
    expect(res.errors).toBeUndefined();
    const url = res.data!.pointcloud!.downloadUrl!;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/storage\/.+X-Amz-Signature=/);
    expect(cupixRoutes(stack)).toEqual({ 'GET /pointclouds/{id}': 1, 'GET /pointclouds/{id}/download': 1 });
    const file = await fetch(url);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-disposition')).toBe('attachment; filename="12116.cpc"');
    const bytes = Buffer.from(await file.arrayBuffer());
    expect(bytes.subarray(0, 4).toString('latin1')).toBe('CPC\0');
    // The sub's declared size (`filesize`, 3.63 MB), as Content-Length says.
    expect(bytes.length).toBe(Math.round(3.63 * 1024 * 1024));
    expect(Number(file.headers.get('content-length'))).toBe(bytes.length);
  });

  test('an uploaded scan downloads as a zip', async ({ stack }) => {
    const res = await stack.op(CupixDownloadDocument, { id: '5351' });
    const file = await fetch(res.data!.pointcloud!.downloadUrl!);
    expect(file.headers.get('content-disposition')).toBe('attachment; filename="L1_Scan_001.zip"');
    expect(Buffer.from(await file.arrayBuffer()).subarray(0, 2).toString('latin1')).toBe('PK');
  });

  test('a GROUP is a BAD_USER_INPUT error on that field only, without asking the vendor', async ({ stack }) => {
    const res = await stack.op(CupixIdNameDownloadDocument, { id: '5309' });
    expect(res.data).toEqual({ pointcloud: { id: '5309', name: 'Cluster 1', downloadUrl: null } });
    expect(res.errors).toHaveLength(1);
    expect(res.errors![0].path).toEqual(['pointcloud', 'downloadUrl']);
    expect(res.errors![0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(res.errors![0].message).toContain('download is only for SUB point clouds');
    expect(cupixRoutes(stack)).toEqual({ 'GET /pointclouds/{id}': 1 });
  });

  test('a failed SUB has no file: null, without asking the vendor', async ({ stack }) => {
    const res = await stack.op(CupixStateDownloadDocument, { id: '5342' });
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({ pointcloud: { state: 'FAILED', upstreamStatus: 'error', isTerminal: true, downloadUrl: null } });
    expect(cupixRoutes(stack)).toEqual({ 'GET /pointclouds/{id}': 1 });
  });
});
