import { describe, expect } from 'vitest';
import { IDENTITY, multiply } from '../../src/simulators/cupix/cupix.matrix.js';
import { ALPHA, BETA, getJson, test as cupixTest, type ErrorReply, type MetaReply, type PointcloudListReply, type PointcloudReply } from './cupix.helpers.js';

/** The Cupix test API with `list(query, token?)`: one list page of the file's simulator, its items and their ids. */
const test = cupixTest.extend('list', { scope: 'file' }, ({ sim }) => async (query: string, token: string = ALPHA) => {
  const r = await getJson<PointcloudListReply>(`${sim.url}/pointclouds?${query}`, token);
  const result = r.body.result;
  // A refused query's body is an ErrorReply: no data, no ids.
  return { status: r.status, body: r.body, data: result.data, pagination: result.pagination, ids: result.data?.map((d) => Number(d.id)) };
});
// Without the documented variants: this file asserts alpha's whole seed (21 items, every sub's wtm = parent.wtm × tm).
test.override('simsOptions', { documentedVariants: false });

describe('cupix auth', () => {
  const unauthorized = {
    result: { code: 'unauthorized', type: 'unauthorized', reason: 'invalid_api_token', message: 'Unauthorized request: a valid x-cupix-auth token is required' },
    session: null,
  };
  test('a missing token is a 401 in the Cupix envelope', async ({ sim }) => {
    const r = await getJson(`${sim.url}/pointclouds?fields=id`);
    expect(r.status).toBe(401);
    expect(r.body).toEqual(unauthorized);
  });
  test('a wrong token is a 401 too, on every route', async ({ sim }) => {
    for (const path of ['/pointclouds?fields=id', '/pointclouds/5310?fields=id', '/pointclouds/5310/meta?fields=id', '/pointclouds/5310/download']) {
      const r = await getJson(`${sim.url}${path}`, 'not-a-token');
      expect(r.status, path).toBe(401);
      expect(r.body, path).toEqual(unauthorized);
    }
  });
  test('the header name is case-insensitive', async ({ sim }) => {
    const r = await getJson(`${sim.url}/pointclouds/5310?fields=id`, undefined, { 'X-CUPIX-AUTH': ALPHA });
    expect(r.status).toBe(200);
  });
});

describe('cupix fields', () => {
  test('a missing or empty `fields` is a 400 in the error envelope, on list, get and meta', async ({ sim }) => {
    for (const path of ['/pointclouds', '/pointclouds?fields=', '/pointclouds/5310', '/pointclouds/5310/meta']) {
      const r = await getJson(`${sim.url}${path}`, ALPHA);
      expect(r.status, path).toBe(400);
      expect(r.body, path).toEqual({
        result: { code: 'parameter_missing', type: 'bad_request', reason: 'parameter_missing', message: 'param is missing or the value is empty: fields' },
        session: null,
      });
    }
  });
  test('attributes hold only the requested fields; id is a string outside and a number inside', async ({ sim, list }) => {
    const r = await getJson(`${sim.url}/pointclouds/5321?fields=name,kind`, ALPHA);
    expect(r.body).toEqual({ result: { data: { id: '5321', type: 'pointcloud', attributes: { name: '12131.cpc', kind: 'sub' } } }, session: null });
    const l = await list('fields=id&per_page=3');
    for (const d of l.data) expect(d).toEqual({ id: String(d.attributes.id), type: 'pointcloud', attributes: { id: Number(d.id) } });
  });
  test('a name outside the schema is a 400; a schema attribute the simulator does not serve is left out', async ({ sim }) => {
    const bad = await getJson<ErrorReply>(`${sim.url}/pointclouds/5310?fields=id,nmae`, ALPHA);
    expect(bad.status).toBe(400);
    expect(bad.body.result.message).toBe('Invalid parameter fields: unknown field(s) nmae');
    const ok = await getJson<PointcloudReply>(`${sim.url}/pointclouds/5310?fields=id,location`, ALPHA);
    expect(ok.body.result.data.attributes).toEqual({ id: 5310 });
  });
});

describe('cupix not found and tenants', () => {
  const notFound = (id: string) => ({
    result: { code: 'not_found', type: 'not_found', reason: 'record_not_found', message: `Couldn't find Pointcloud with 'id'=${id}` },
    session: null,
  });
  test('unknown and non-numeric ids are 404s in the envelope', async ({ sim }) => {
    for (const id of ['424242', 'abc']) {
      for (const sfx of ['?fields=id', '/meta?fields=id', '/download']) {
        const r = await getJson(`${sim.url}/pointclouds/${id}${sfx}`, ALPHA);
        expect(r.status).toBe(404);
        expect(r.body).toEqual(notFound(id));
      }
    }
  });
  test('beta sees different pointclouds, and each tenant gets a 404 for the other one\'s ids', async ({ sim, list }) => {
    const a = await list('fields=id&per_page=100');
    const b = await list('fields=id&per_page=100', BETA);
    expect(a.ids).toContain(5310);
    expect(b.ids.length).toBeGreaterThan(5);
    expect(b.ids.filter((id) => a.ids.includes(id))).toEqual([]);
    expect((await getJson(`${sim.url}/pointclouds/5310?fields=id`, BETA)).body).toEqual(notFound('5310'));
    expect((await getJson(`${sim.url}/pointclouds/${b.ids[0]}/meta?fields=id`, ALPHA)).status).toBe(404);
    expect((await getJson(`${sim.url}/pointclouds/${b.ids[0]}/download`, ALPHA)).status).toBe(404);
  });
});

describe('cupix pagination', () => {
  test('defaults to page 1 of 30 and walks pages without gaps or repeats', async ({ list }) => {
    const all = await list('fields=id');
    expect(all.pagination).toEqual({ total_entries: 21, total_pages: 1, per_page: 30, previous_page: null, current_page: 1, next_page: null });
    const seen: number[] = [];
    for (let page = 1; page <= 5; page++) {
      const p = await list(`fields=id&per_page=5&page=${page}`);
      expect(p.pagination).toEqual({
        total_entries: 21, total_pages: 5, per_page: 5,
        previous_page: page > 1 ? page - 1 : null, current_page: page, next_page: page < 5 ? page + 1 : null,
      });
      seen.push(...p.ids);
    }
    expect(seen).toEqual(all.ids);
  });
  test('a page past the end is empty; per_page is capped at 100; page 0 is a 400', async ({ list }) => {
    const past = await list('fields=id&per_page=10&page=9');
    expect(past.data).toEqual([]);
    expect(past.pagination).toMatchObject({ previous_page: 8, current_page: 9, next_page: null, total_pages: 3 });
    expect((await list('fields=id&per_page=1000')).pagination.per_page).toBe(100);
    expect((await list('fields=id&page=0')).status).toBe(400);
    expect((await list('fields=id&per_page=abc')).status).toBe(400);
  });
  test('orders by created_at desc by default, and by order_by/sort on request', async ({ list }) => {
    const d = await list('fields=id,created_at');
    const created = d.data.map((x) => String(x.attributes.created_at));
    expect(created).toEqual([...created].sort().reverse());
    const byId = await list('fields=id&order_by=id&sort=asc');
    expect(byId.ids).toEqual([...byId.ids].sort((x, y) => x - y));
    expect((await list('fields=id&order_by=colour')).status).toBe(400);
  });
});

describe('cupix filters', () => {
  test('record_id, cluster_id, capture_id, parent_id and pointcloud_type select the documented sets', async ({ list }) => {
    expect((await list('fields=id&capture_id=1201')).ids).toEqual([5310, 5309]);
    expect((await list('fields=id&cluster_id=3417')).ids.sort()).toEqual([5320, 5321, 5322, 5323]);
    expect((await list('fields=id&parent_id=5350&order_by=id&sort=asc')).ids).toEqual([5351, 5352, 5353, 5354]);
    expect((await list('fields=id&record_id=602&pointcloud_type=uploaded&order_by=id&sort=asc')).ids).toEqual([5350, 5351, 5352, 5353, 5354]);
    const reconstructed = await list('fields=pointcloud_type&pointcloud_type=3d_reconstructed');
    expect(new Set(reconstructed.data.map((x) => x.attributes.pointcloud_type))).toEqual(new Set(['3d_reconstructed']));
    expect((await list('fields=id&pointcloud_type=all')).pagination.total_entries).toBe(21);
    expect((await list('fields=id&parent_ids=5320,5340&order_by=id&sort=asc')).ids).toEqual([5321, 5322, 5323, 5341, 5342]);
  });
  test('bad filter values are 400s', async ({ sim }) => {
    for (const q of ['pointcloud_type=laser', 'record_id=abc', 'capture_id=1.5', 'level_ids=a,b']) {
      const r = await getJson<ErrorReply>(`${sim.url}/pointclouds?fields=id&${q}`, ALPHA);
      expect(r.status, q).toBe(400);
      expect(r.body.result.code, q).toBe('invalid_parameter');
    }
  });
  test('X-CUPIX-UPDATED-SINCE returns only pointclouds updated after it', async ({ sim }) => {
    const r = await getJson<PointcloudListReply>(`${sim.url}/pointclouds?fields=id,updated_at`, ALPHA, { 'X-CUPIX-UPDATED-SINCE': '2023-11-07T00:00:00Z' });
    const data = r.body.result.data;
    expect(data.length).toBeGreaterThan(0);
    expect(data.length).toBeLessThan(21);
    for (const d of data) expect(Date.parse(String(d.attributes.updated_at))).toBeGreaterThan(Date.parse('2023-11-07T00:00:00Z'));
  });
});

describe('cupix relation stubs', () => {
  test('subs carry record/level/cluster/parent stubs; groups {} for record and level; scans have no cluster', async ({ sim }) => {
    const f = 'fields=record,level,cluster,parent,capture,facility';
    const sub = (await getJson<PointcloudReply>(`${sim.url}/pointclouds/5321?${f}`, ALPHA)).body.result;
    expect(sub.data.attributes).toEqual({
      record: { id: 602, type: 'Record' }, level: { id: 20, type: 'Level' }, cluster: { id: 3417, name: 'Cluster 2', type: 'Cluster' },
      parent: { id: 5320 }, capture: { id: 1202, type: 'Capture' }, facility: {},
    });
    const group = (await getJson<PointcloudReply>(`${sim.url}/pointclouds/5320?${f}`, ALPHA)).body.result;
    expect(group.data.attributes).toMatchObject({ record: {}, level: {}, parent: { id: null } });
    const scan = (await getJson<PointcloudReply>(`${sim.url}/pointclouds/5351?${f}`, ALPHA)).body.result;
    expect(scan.data.attributes.cluster).toEqual({ id: null, name: null });
  });
});

describe('cupix transforms', () => {
  const close = (a: number[], b: number[]) => a.forEach((x, i) => expect(x).toBeCloseTo(b[i], 9));
  test('the matrix module is column-major with translation at 12..14 and parent-first composition', () => {
    const t = [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 5, 6, 7, 1];
    const rotZ90 = [0, 1, 0, 0, -1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1];
    // translate after rotating: x-axis (1,0,0) -> (0,1,0) -> (5,7,7)
    const m = multiply(t, rotZ90);
    expect(m.slice(12, 15)).toEqual([5, 6, 7]);
    expect(m.slice(0, 3)).toEqual([0, 1, 0]);
    expect(multiply(IDENTITY, t)).toEqual(t);
  });
  for (const [tenant, token] of [['alpha', ALPHA], ['beta', BETA]] as const) {
    test(`${tenant}: every sub's wtm = parent.wtm × sub.tm, and the demo matrices are not identities`, async ({ list }) => {
      const { data } = await list('fields=id,kind,parent,meta&per_page=100', token);
      const byId = new Map(data.map((d) => [Number(d.id), d.attributes]));
      let nonIdentity = 0;
      for (const d of data.filter((x) => x.attributes.kind === 'sub')) {
        const prop = d.attributes.meta!.prop;
        const parent = byId.get(d.attributes.parent!.id!)!;
        close(prop.wtm, multiply(parent.meta!.prop.wtm, prop.tm));
        if (prop.tm.some((x, i) => x !== IDENTITY[i])) nonIdentity++;
      }
      const groups = data.filter((x) => x.attributes.kind === 'group' && x.id !== '5309');
      for (const g of groups) {
        const prop = g.attributes.meta!.prop;
        expect(prop.tm.slice(0, 12)).not.toEqual(IDENTITY.slice(0, 12));
        expect(prop.wtm).not.toEqual([...IDENTITY]);
      }
      expect(nonIdentity).toBeGreaterThan(4);
    });
  }
  test('a group on an elevated level has wtm = lift × tm (so tm ≠ wtm), e.g. 5330 at 3.6 m', async ({ sim }) => {
    const r = await getJson<MetaReply>(`${sim.url}/pointclouds/5330/meta?fields=id`, ALPHA);
    const prop = r.body.result.prop;
    close(prop.wtm, multiply([1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 3.6, 1], prop.tm));
    expect(prop.tm.slice(12, 15)).toEqual([3, 8, 0]);
  });
});
