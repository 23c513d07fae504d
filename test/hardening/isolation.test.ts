import { randomUUID } from 'node:crypto';
import { describe, expect } from 'vitest';
import {
  DashboardDocument,
  HardeningIdsDocument,
  HardeningProjectCountDocument,
  StatusFlowExecutionIdDocument,
  StatusPointcloudIdDocument,
  StatusProcessingIdDocument,
} from '../generated/graphql.js';
import { test, wsOnce, type Rig, type WsOutcome } from './hardening.helpers.js';

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

const users: User[] = [];

/** A simulator's answer, read as what the vendor's docs say it holds. */
async function vendorJson<T>(url: string, headers: Record<string, string>): Promise<T> {
  const res = await fetch(url, { headers: { accept: 'application/json', ...headers } });
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  return (await res.json()) as T;
}

type Watched = 'processingUpdated' | 'flowExecutionUpdated' | 'pointcloudUpdated';

/** The first event of a subscription to one job, on a connection of its own with `params`. */
function watchOnce(rig: Rig, field: Watched, id: string, params: Record<string, string>): Promise<WsOutcome<unknown>> {
  if (field === 'processingUpdated') return wsOnce(rig.gateway.url, StatusProcessingIdDocument, { id }, params);
  if (field === 'flowExecutionUpdated') return wsOnce(rig.gateway.url, StatusFlowExecutionIdDocument, { id }, params);
  return wsOnce(rig.gateway.url, StatusPointcloudIdDocument, { id }, params);
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

test.override('rigOptions', { env: { GATEWAY_API_KEYS: KEY, STATUS_POLL_RUNNING_MS: '20', STATUS_POLL_QUEUED_MS: '20', STATUS_POLL_IDLE_MS: '20' } });
// The users and their data, made once for the file's tests.
test.beforeAll(async ({ rig }) => {
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
    const projects = await vendorJson<{ id: string }[]>(`${sims.mapflow.url}/projects`, mf);
    const processings = await vendorJson<{ id: string }[]>(`${sims.mapflow.url}/processings/v2`, mf);
    const org = (await vendorJson<{ active_organization_id: string }>(`${sims.flai.url}/oauth/me`, fl)).active_organization_id;
    const datasets = await vendorJson<{ items: { id: string }[] }>(`${sims.flai.url}/organization/${org}/datasets?per_page=200`, fl);
    const executions = await vendorJson<{ items: { id: string }[] }>(`${sims.flai.url}/organization/${org}/flow-executions?per_page=200`, fl);
    const pointclouds = await vendorJson<{ result: { data: { id: string }[] } }>(`${sims.cupix.url}/pointclouds?fields=id&per_page=100`, cx);
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

describe('no state shared across vendor credentials', () => {
  test('precondition: every user has data of all three vendors, and no id is shared between users', () => {
    for (const u of users) expect(u.ids.size).toBeGreaterThan(5);
    for (const a of users) for (const b of users) if (a !== b) expect([...a.ids].filter((id) => b.ids.has(id))).toEqual([]);
  });

  test('K users at once, over HTTP and graphql-ws, queries and subscriptions: each answer holds only its own user\'s data', async ({ rig }) => {
    const byId = (u: User) => ({ processing: u.processing, flowExecution: u.flowExecution, pointcloud: u.pointcloud });
    const answers: { user: User; body: { data?: unknown } }[] = [];
    const work: Promise<void>[] = [];
    for (const u of users) {
      const other = users[(u.n + 1) % K];
      for (let round = 0; round < 5; round++) {
        work.push(rig.op(DashboardDocument, undefined, u.headers).then((r) => void answers.push({ user: u, body: r })));
        // Asking for another user's records by id: DataLoaders, dedup and org caches must not leak them.
        work.push(rig.op(HardeningIdsDocument, byId(other), u.headers).then((r) => {
          expect(r.data).toEqual({ processing: null, flowExecution: null, pointcloud: null });
          answers.push({ user: u, body: r });
        }));
        work.push(rig.op(HardeningIdsDocument, byId(u), u.headers).then((r) => {
          expect(r.data).toEqual({ processing: { id: u.processing }, flowExecution: { id: u.flowExecution }, pointcloud: { id: u.pointcloud } });
          answers.push({ user: u, body: r });
        }));
      }
      for (const [field, id] of [['processingUpdated', u.processing], ['flowExecutionUpdated', u.flowExecution], ['pointcloudUpdated', u.pointcloud]] as const) {
        work.push(watchOnce(rig, field, id, u.params).then((r) => {
          expect(r.data).toEqual({ [field]: { id } });
          answers.push({ user: u, body: r });
        }));
        const theirs = field === 'processingUpdated' ? other.processing : field === 'flowExecutionUpdated' ? other.flowExecution : other.pointcloud;
        work.push(watchOnce(rig, field, theirs, u.params).then((r) => {
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
      for (const id of idsIn(body.data)) {
        seen++;
        for (const other of users) if (other !== user) expect(other.ids.has(id), `user${user.n} got user${other.n} ${id}: ${JSON.stringify(body)}`).toBe(false);
      }
    }
    expect(seen).toBeGreaterThan(K * 5 * 10);
  });
});

describe('GATEWAY_API_KEYS', () => {
  test('a request without a valid key is 401 and reaches no vendor', async ({ rig }) => {
    rig.resetCounts();
    for (const auth of [undefined, 'Bearer wrong', KEY, `Basic ${KEY}`]) {
      const r = await rig.op(HardeningProjectCountDocument, undefined, auth ? { authorization: auth } : {});
      expect(r.status, String(auth)).toBe(401);
      expect(r.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    }
    expect(rig.calls()).toBe(0);
  });

  test('a WebSocket without a key is closed with 4401, with a wrong one too (4401, not 4403), and neither reaches a vendor', async ({ rig }) => {
    rig.resetCounts();
    const none = await wsOnce(rig.gateway.url, StatusPointcloudIdDocument, { id: '5310' });
    expect(none.closed).toMatchObject({ code: 4401 });
    const wrong = await wsOnce(rig.gateway.url, StatusPointcloudIdDocument, { id: '5310' }, { authorization: 'Bearer wrong' });
    expect(wrong.closed).toMatchObject({ code: 4401, reason: expect.stringMatching(/^Unauthorized/) });
    expect(JSON.stringify(wrong)).not.toContain('Bearer wrong');
    expect(rig.calls()).toBe(0);
    expect(JSON.stringify([none, wrong])).not.toContain(KEY);
  });
});
