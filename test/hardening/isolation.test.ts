import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { print } from 'graphql';
import { DashboardDocument } from '../generated/graphql.js';
import { startRig, wsOnce, type Rig } from './hardening.helpers.js';

/**
 * Isolation between callers. K users, each with distinct canary credentials for the three vendors
 * (new tenants of the simulators, each with its own seeded data), make concurrent requests and
 * subscriptions through one gateway with GATEWAY_API_KEYS set. What each user may see is read
 * straight from the simulators with that user's credentials; no gateway answer may carry an id of
 * another user's data.
 */
const K = 4;
const KEY = 'isolation-key';
interface User {
  n: number;
  canary: string;
  headers: Record<string, string>;
  params: Record<string, string>;
  ids: Set<string>;
  processing: string;
  flowExecution: string;
  pointcloud: string;
}

let rig: Rig;
const users: User[] = [];

async function vendorJson(url: string, headers: Record<string, string>): Promise<unknown> {
  const res = await fetch(url, { headers: { accept: 'application/json', ...headers } });
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  return res.json();
}

/** Every `id` value anywhere in a JSON answer. */
function idsIn(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) for (const v of value) idsIn(v, out);
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === 'id' && typeof v === 'string') out.push(v);
      else idsIn(v, out);
    }
  }
  return out;
}

beforeAll(async () => {
  rig = await startRig({ env: { GATEWAY_API_KEYS: KEY, STATUS_POLL_RUNNING_MS: '20', STATUS_POLL_QUEUED_MS: '20', STATUS_POLL_IDLE_MS: '20' } });
  const { sims } = rig;
  for (let n = 0; n < K; n++) {
    const canary = `CANARY-${n}-${randomUUID()}`;
    const tokens = { mapflow: `${canary}-mapflow`, flai: `${n + 100}|${canary}-flai`, cupix: `${canary}-cupix` };
    for (const v of ['mapflow', 'flai', 'cupix'] as const) {
      const res = await fetch(`${sims[v].origin}/__sim/tenants`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: `user${n}`, token: tokens[v] }) });
      expect(res.status).toBe(201);
    }
    const mf = { authorization: `Basic ${tokens.mapflow}` };
    const fl = { authorization: `Bearer ${tokens.flai}` };
    const cx = { 'x-cupix-auth': tokens.cupix };
    const projects = (await vendorJson(`${sims.mapflow.url}/projects`, mf)) as { id: string }[];
    const processings = (await vendorJson(`${sims.mapflow.url}/processings/v2`, mf)) as { id: string }[];
    const org = ((await vendorJson(`${sims.flai.url}/oauth/me`, fl)) as { active_organization_id: string }).active_organization_id;
    const datasets = (await vendorJson(`${sims.flai.url}/organization/${org}/datasets?per_page=200`, fl)) as { items: { id: string }[] };
    const executions = (await vendorJson(`${sims.flai.url}/organization/${org}/flow-executions?per_page=200`, fl)) as { items: { id: string }[] };
    const pointclouds = (await vendorJson(`${sims.cupix.url}/pointclouds?fields=id&per_page=100`, cx)) as { result: { data: { id: string }[] } };
    const ids = new Set([...projects, ...processings, ...datasets.items, ...executions.items, ...pointclouds.result.data].map((x) => String(x.id)));
    const headers = { authorization: `Bearer ${KEY}`, 'x-mapflow-token': tokens.mapflow, 'x-flai-token': tokens.flai, 'x-cupix-token': tokens.cupix };
    users.push({
      n,
      canary,
      headers,
      params: headers,
      ids,
      processing: processings[0].id,
      flowExecution: executions.items[0].id,
      pointcloud: String(pointclouds.result.data[0].id),
    });
  }
});
afterAll(() => rig?.close());

describe('no state shared across vendor credentials', () => {
  it('precondition: every user has data of all three vendors, and no id is shared between users', () => {
    for (const u of users) expect(u.ids.size).toBeGreaterThan(5);
    for (const a of users) for (const b of users) if (a !== b) expect([...a.ids].filter((id) => b.ids.has(id))).toEqual([]);
  });

  it('K users at once, over HTTP and graphql-ws, queries and subscriptions: each answer holds only its own user\'s data', async () => {
    const DASHBOARD = print(DashboardDocument);
    const BY_ID = (u: User) => `{ processing(id: "${u.processing}") { id } flowExecution(id: "${u.flowExecution}") { id } pointcloud(id: "${u.pointcloud}") { id } }`;
    const answers: { user: User; body: unknown }[] = [];
    const work: Promise<void>[] = [];
    for (const u of users) {
      const other = users[(u.n + 1) % K];
      for (let round = 0; round < 5; round++) {
        work.push(rig.gql(DASHBOARD, undefined, u.headers).then((r) => void answers.push({ user: u, body: r })));
        // Asking for another user's records by id: DataLoaders, dedup and org caches must not leak them.
        work.push(rig.gql(BY_ID(other), undefined, u.headers).then((r) => {
          expect(r.data).toEqual({ processing: null, flowExecution: null, pointcloud: null });
          answers.push({ user: u, body: r });
        }));
        work.push(rig.gql(BY_ID(u), undefined, u.headers).then((r) => {
          expect(r.data).toEqual({ processing: { id: u.processing }, flowExecution: { id: u.flowExecution }, pointcloud: { id: u.pointcloud } });
          answers.push({ user: u, body: r });
        }));
      }
      for (const [field, id] of [['processingUpdated', u.processing], ['flowExecutionUpdated', u.flowExecution], ['pointcloudUpdated', u.pointcloud]] as const) {
        work.push(wsOnce(rig.gateway.url, `subscription { ${field}(id: "${id}") { id } }`, {}, u.params).then((r) => {
          expect(r.data).toEqual({ [field]: { id } });
          answers.push({ user: u, body: r });
        }));
        const theirs = field === 'processingUpdated' ? other.processing : field === 'flowExecutionUpdated' ? other.flowExecution : other.pointcloud;
        work.push(wsOnce(rig.gateway.url, `subscription { ${field}(id: "${theirs}") { id } }`, {}, u.params).then((r) => {
          expect(r.errors?.[0].extensions?.code).toBe('NOT_FOUND');
          answers.push({ user: u, body: r });
        }));
      }
    }
    await Promise.all(work);
    expect(answers).toHaveLength(K * (5 * 3 + 6));
    let seen = 0;
    for (const { user, body } of answers) {
      // The data only: an error may echo the id the caller itself asked for (NOT_FOUND's `id`).
      const text = JSON.stringify(body);
      for (const other of users) if (other !== user) expect(text, `user${user.n}`).not.toContain(other.canary);
      for (const id of idsIn((body as { data?: unknown }).data)) {
        seen++;
        for (const other of users) if (other !== user) expect(other.ids.has(id), `user${user.n} got user${other.n} ${id}: ${JSON.stringify(body)}`).toBe(false);
      }
    }
    expect(seen).toBeGreaterThan(K * 5 * 10);
  });
});

describe('GATEWAY_API_KEYS', () => {
  const QUERY = '{ projects(first: 1) { totalCount } }';

  it('a request without a valid key is 401 and reaches no vendor', async () => {
    rig.resetCounts();
    for (const auth of [undefined, 'Bearer wrong', KEY, `Basic ${KEY}`]) {
      const r = await rig.gql(QUERY, undefined, auth ? { authorization: auth } : {});
      expect(r.status, String(auth)).toBe(401);
      expect(r.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    }
    expect(rig.calls()).toBe(0);
  });

  it('a WebSocket without a key is closed with 4401, with a wrong one too (4401, not 4403), and neither reaches a vendor', async () => {
    rig.resetCounts();
    const none = await wsOnce(rig.gateway.url, 'subscription { pointcloudUpdated(id: "5310") { id } }');
    expect(none.closed).toMatchObject({ code: 4401 });
    const wrong = await wsOnce(rig.gateway.url, 'subscription { pointcloudUpdated(id: "5310") { id } }', {}, { authorization: 'Bearer wrong' });
    expect(wrong.closed).toMatchObject({ code: 4401, reason: expect.stringMatching(/^Unauthorized/) });
    expect(JSON.stringify(wrong)).not.toContain('Bearer wrong');
    expect(rig.calls()).toBe(0);
    expect(JSON.stringify([none, wrong])).not.toContain(KEY);
  });
});
