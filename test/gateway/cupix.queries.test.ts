import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { startStack, type Stack } from '../helpers/stack.helpers.js';
import { ALL_FIELDS, ALPHA, byId, IDENTITY, vendorList, type GqlPointcloud, type VendorPointcloud } from './cupix.helpers.js';

let stack: Stack;
/** Everything tenant alpha holds, in the vendor's default order (created_at desc). */
let alpha: VendorPointcloud[];

beforeAll(async () => {
  // Without the documented variants: this file asserts alpha's whole list by count and position (21 items, 6 groups, 15 subs).
  stack = await startStack({ documentedVariants: false });
  alpha = await vendorList(stack, ALPHA);
});
afterAll(() => stack?.close());
beforeEach(() => stack.resetCounts());

const ids = (list: { id: string }[]) => list.map((p) => p.id);
const cupixRoutes = () => stack.sims.cupix.stats.snapshot().byRoute;

describe('pointcloud(id)', () => {
  test('the documented sub 5310, every field, exactly as the vendor example holds it', async () => {
    const res = await stack.gql(`${ALL_FIELDS} { pointcloud(id: "5310") { ...All parent { id name kind record { id } level { id } } children { id } } }`);
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
    expect(cupixRoutes()).toEqual({ 'GET /pointclouds/{id}': 2 });
  });

  test('the documented group 5309 with its children', async () => {
    const res = await stack.gql(`${ALL_FIELDS} { pointcloud(id: "5309") { ...All parent { id } children { id name kind } } }`);
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
    expect(cupixRoutes()).toEqual({ 'GET /pointclouds/{id}': 1, 'GET /pointclouds': 1 });
  });

  test('an unknown id is null without an error', async () => {
    const res = await stack.gql(`{ a: pointcloud(id: "999999") { id name } b: pointcloud(id: "not-a-number") { id } }`);
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({ a: null, b: null });
    expect(stack.calls('cupix')).toBe(2);
  });

  test('the same pointcloud under two aliases costs one call', async () => {
    const res = await stack.gql(`{ a: pointcloud(id: "5321") { name } b: pointcloud(id: "5321") { id kind } }`);
    expect(res.data).toEqual({ a: { name: '12131.cpc' }, b: { id: '5321', kind: 'SUB' } });
    expect(stack.calls('cupix')).toBe(1);
  });
});

describe('pointclouds(filter, first, after)', () => {
  test('issue 3: captureId → parent { name }, parents in the same list = 1 call', async () => {
    const res = await stack.gql(`{ pointclouds(filter: { captureId: "1202" }) { nodes { id parent { name } } } }`);
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

  test('the documented capture: the list example, exactly', async () => {
    const res = await stack.gql(
      `{ pointclouds(filter: { captureId: "1201", type: RECONSTRUCTED }) { totalCount pageInfo { hasNextPage hasPreviousPage } nodes { id name kind parent { id } originalFileName } } }`,
    );
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

  test.each([
    [{ recordId: '603' }, { record_id: '603' }],
    [{ clusterId: '3417' }, { cluster_id: '3417' }],
    [{ captureId: '1203' }, { capture_id: '1203' }],
    [{ parentId: '5350' }, { parent_id: '5350' }],
    [{ type: 'UPLOADED' }, { pointcloud_type: 'uploaded' }],
    [{ type: 'RECONSTRUCTED', recordId: '602' }, { pointcloud_type: '3d_reconstructed', record_id: '602' }],
  ])('filter %o maps to the vendor query %o (1 call)', async (filter, query) => {
    const expected = await vendorList(stack, ALPHA, query);
    expect(expected.length).toBeGreaterThan(0);
    const res = await stack.gql<{ pointclouds: { totalCount: number; nodes: { id: string; name: string }[] } }>(
      `query($f: PointcloudFilter) { pointclouds(filter: $f, first: 100) { totalCount nodes { id name } } }`,
      { f: filter },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data?.pointclouds).toEqual({ totalCount: expected.length, nodes: expected.map((p) => ({ id: p.id, name: p.attributes.name })) });
    expect(stack.calls('cupix')).toBe(1);
  });

  test('first/after page through the vendor list with one call per page, cursors consistent', async () => {
    const q = `query($first: Int, $after: String) { pointclouds(first: $first, after: $after) {
      totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { id } } nodes { id } } }`;
    type Page = { pointclouds: { totalCount: number; pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string; endCursor: string }; edges: { cursor: string; node: { id: string } }[]; nodes: { id: string }[] } };
    const all = ids(alpha);
    expect(all.length).toBe(21);

    const p1 = (await stack.gql<Page>(q, { first: 5 })).data!.pointclouds;
    expect(ids(p1.nodes)).toEqual(all.slice(0, 5));
    expect(p1.edges.map((e) => e.node.id)).toEqual(all.slice(0, 5));
    expect(p1).toMatchObject({ totalCount: 21, pageInfo: { hasNextPage: true, hasPreviousPage: false, startCursor: p1.edges[0].cursor, endCursor: p1.edges[4].cursor } });
    expect(stack.calls('cupix')).toBe(1);

    const p2 = (await stack.gql<Page>(q, { first: 5, after: p1.pageInfo.endCursor })).data!.pointclouds;
    expect(ids(p2.nodes)).toEqual(all.slice(5, 10));
    expect(p2.pageInfo.hasPreviousPage).toBe(true);
    expect(stack.calls('cupix')).toBe(2);

    // A window that straddles vendor pages of its own size is still one call.
    const mid = (await stack.gql<Page>(q, { first: 3, after: p1.edges[3].cursor })).data!.pointclouds;
    expect(ids(mid.nodes)).toEqual(all.slice(4, 7));
    expect(stack.calls('cupix')).toBe(3);

    const last = (await stack.gql<Page>(q, { first: 5, after: p2.pageInfo.endCursor })).data!.pointclouds;
    expect(ids(last.nodes)).toEqual(all.slice(10, 15));
    const tail = (await stack.gql<Page>(q, { first: 10, after: last.pageInfo.endCursor })).data!.pointclouds;
    expect(ids(tail.nodes)).toEqual(all.slice(15, 21));
    expect(tail.pageInfo.hasNextPage).toBe(false);

    const none = (await stack.gql<Page>(q, { first: 0 })).data!.pointclouds;
    expect(none).toMatchObject({ totalCount: 21, nodes: [], edges: [], pageInfo: { hasNextPage: true, startCursor: null, endCursor: null } });
    expect(stack.calls('cupix')).toBe(6);
  });

  test('kind is filtered by the gateway over the full list: totalCount and cursors follow the filtered list', async () => {
    const groups = ids(alpha.filter((p) => p.attributes.kind === 'group'));
    expect(groups.length).toBe(6);
    const q = `query($after: String) { pointclouds(filter: { kind: GROUP }, first: 4, after: $after) { totalCount pageInfo { hasNextPage endCursor } nodes { id kind } } }`;
    type Page = { pointclouds: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string }; nodes: { id: string; kind: string }[] } };
    const p1 = (await stack.gql<Page>(q)).data!.pointclouds;
    expect(p1).toEqual({ totalCount: 6, pageInfo: { hasNextPage: true, endCursor: p1.pageInfo.endCursor }, nodes: groups.slice(0, 4).map((id) => ({ id, kind: 'GROUP' })) });
    const p2 = (await stack.gql<Page>(q, { after: p1.pageInfo.endCursor })).data!.pointclouds;
    expect(p2.nodes).toEqual(groups.slice(4).map((id) => ({ id, kind: 'GROUP' })));
    expect(p2.pageInfo.hasNextPage).toBe(false);
    // 21 items fit one vendor page of 100.
    expect(stack.calls('cupix')).toBe(2);
  });

  test('kind with a vendor filter: only the SUBs of capture 1203', async () => {
    const expected = (await vendorList(stack, ALPHA, { capture_id: '1203' })).filter((p) => p.attributes.kind === 'sub');
    const res = await stack.gql(`{ pointclouds(filter: { captureId: "1203", kind: SUB }) { totalCount nodes { id name kind } } }`);
    expect(res.data?.pointclouds).toEqual({ totalCount: 5, nodes: expected.map((p) => ({ id: p.id, name: p.attributes.name, kind: 'SUB' })) });
    expect(stack.calls('cupix')).toBe(1);
  });

  test('children of every group on a page: 1 list call + 1 call with parent_ids', async () => {
    const res = await stack.gql<{ pointclouds: { nodes: GqlPointcloud[] } }>(
      `{ pointclouds(filter: { kind: GROUP }) { nodes { id children { id name kind } } } }`,
    );
    expect(res.errors).toBeUndefined();
    const expected = alpha
      .filter((p) => p.attributes.kind === 'group')
      .map((g) => ({
        id: g.id,
        children: alpha.filter((c) => String(c.attributes.parent.id) === g.id).map((c) => ({ id: c.id, name: c.attributes.name, kind: 'SUB' })),
      }));
    expect(res.data?.pointclouds.nodes).toEqual(expected);
    expect(cupixRoutes()).toEqual({ 'GET /pointclouds': 2 });
  });

  test('children then their parent again: the parent comes from the children call', async () => {
    const res = await stack.gql(`{ pointclouds(filter: { parentId: "5320" }) { nodes { id parent { id name children { id } } } } }`);
    expect(res.errors).toBeUndefined();
    const subs = ['5323', '5322', '5321'];
    expect(res.data?.pointclouds).toEqual({ nodes: subs.map((id) => ({ id, parent: { id: '5320', name: 'Cluster 2', children: subs.map((c) => ({ id: c })) } })) });
    // the list, the parent (not in the list), the parent's children
    expect(cupixRoutes()).toEqual({ 'GET /pointclouds': 2, 'GET /pointclouds/{id}': 1 });
  });
});

describe('sparse fields', () => {
  test('an object fetched with fewer fields is not served to a lookup that needs more', async () => {
    // 5320 is fetched with {id, kind} for `children`; its children's `parent { name }` needs the name:
    // the cached 5320 does not cover it, so it is fetched again (a served sparse object would give null).
    const res = await stack.gql(`{ pointcloud(id: "5320") { id children { id parent { id name } } } }`);
    expect(res.errors).toBeUndefined();
    const parent = { id: '5320', name: 'Cluster 2' };
    expect(res.data).toEqual({ pointcloud: { id: '5320', children: ['5323', '5322', '5321'].map((id) => ({ id, parent })) } });
    expect(cupixRoutes()).toEqual({ 'GET /pointclouds/{id}': 2, 'GET /pointclouds': 1 });
  });

  test('the same operation asking the name at the top reuses the first object: one call less', async () => {
    const res = await stack.gql(`{ pointcloud(id: "5320") { id name children { id parent { id name } } } }`);
    expect(res.errors).toBeUndefined();
    expect(res.data?.pointcloud).toMatchObject({ name: 'Cluster 2' });
    expect(cupixRoutes()).toEqual({ 'GET /pointclouds/{id}': 1, 'GET /pointclouds': 1 });
  });

  test('subs listed without meta are fetched again with meta when their group\'s children need a transform', async () => {
    const sparse = await stack.gql<{ pointclouds: { nodes: GqlPointcloud[] } }>(
      `{ pointclouds(filter: { captureId: "1202" }) { nodes { id name children { id transform } } } }`,
    );
    expect(sparse.errors).toBeUndefined();
    const group = sparse.data!.pointclouds.nodes.find((n) => n.id === '5320')!;
    expect(group.children!.map((c) => [c.id, (c as unknown as { transform: number[] }).transform])).toEqual(
      ['5323', '5322', '5321'].map((id) => [id, byId(alpha, id).attributes.meta.prop.tm]),
    );
    expect(cupixRoutes()).toEqual({ 'GET /pointclouds': 2 });
  });
});

describe('transforms', () => {
  test('finalTransform = group.wtm × sub.tm equals every sub\'s wtm, non-identity; parents come from the same list', async () => {
    const res = await stack.gql<{ pointclouds: { nodes: (GqlPointcloud & { parent: { id: string } | null })[] } }>(
      `{ pointclouds(filter: { kind: SUB }, first: 100) { nodes { id transform worldTransform finalTransform parent { id } } } }`,
    );
    expect(res.errors).toBeUndefined();
    const subs = res.data!.pointclouds.nodes;
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

  test('a GROUP\'s finalTransform is its own wtm (5330 sits 3.6 m up: wtm ≠ tm)', async () => {
    const res = await stack.gql<{ pointcloud: GqlPointcloud }>(`{ pointcloud(id: "5330") { transform worldTransform finalTransform } }`);
    const vendor = byId(alpha, '5330').attributes.meta.prop;
    expect(res.data?.pointcloud).toEqual({ transform: vendor.tm, worldTransform: vendor.wtm, finalTransform: vendor.wtm });
    expect(vendor.tm).not.toEqual(vendor.wtm);
    expect(stack.calls('cupix')).toBe(1);
  });
});

describe('downloadUrl', () => {
  test('a SUB: the presigned Location of the redirect, which returns the file', async () => {
    const res = await stack.gql<{ pointcloud: { name: string; downloadUrl: string } }>(`{ pointcloud(id: "5310") { name downloadUrl } }`);
    expect(res.errors).toBeUndefined();
    const url = res.data!.pointcloud.downloadUrl;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/storage\/.+X-Amz-Signature=/);
    expect(cupixRoutes()).toEqual({ 'GET /pointclouds/{id}': 1, 'GET /pointclouds/{id}/download': 1 });
    const file = await fetch(url);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-disposition')).toBe('attachment; filename="12116.cpc"');
    const bytes = Buffer.from(await file.arrayBuffer());
    expect(bytes.subarray(0, 4).toString('latin1')).toBe('CPC\0');
    expect(bytes.length).toBe(12 + 128 + 64 * 16);
  });

  test('an uploaded scan downloads as a zip', async () => {
    const res = await stack.gql<{ pointcloud: { downloadUrl: string } }>(`{ pointcloud(id: "5351") { downloadUrl } }`);
    const file = await fetch(res.data!.pointcloud.downloadUrl);
    expect(file.headers.get('content-disposition')).toBe('attachment; filename="L1_Scan_001.zip"');
    expect(Buffer.from(await file.arrayBuffer()).subarray(0, 2).toString('latin1')).toBe('PK');
  });

  test('a GROUP is a BAD_USER_INPUT error on that field only, without asking the vendor', async () => {
    const res = await stack.gql(`{ pointcloud(id: "5309") { id name downloadUrl } }`);
    expect(res.data).toEqual({ pointcloud: { id: '5309', name: 'Cluster 1', downloadUrl: null } });
    expect(res.errors).toHaveLength(1);
    expect(res.errors![0].path).toEqual(['pointcloud', 'downloadUrl']);
    expect(res.errors![0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(res.errors![0].message).toContain('download is only for SUB point clouds');
    expect(cupixRoutes()).toEqual({ 'GET /pointclouds/{id}': 1 });
  });

  test('a failed SUB has no file: null, without asking the vendor', async () => {
    const res = await stack.gql(`{ pointcloud(id: "5342") { state upstreamStatus isTerminal downloadUrl } }`);
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({ pointcloud: { state: 'FAILED', upstreamStatus: 'error', isTerminal: true, downloadUrl: null } });
    expect(cupixRoutes()).toEqual({ 'GET /pointclouds/{id}': 1 });
  });
});
