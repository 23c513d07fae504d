/**
 * `npm run soak`: a bounded soak of the gateway under vendor faults, reporting whether clients get
 * every job's terminal event, which error codes they get, and what the gateway's event loop and
 * memory do over time. It is a script, not a test: it prints a report and exits 1 when a terminal
 * event was lost or a vendor fault reached a client as BAD_USER_INPUT, so it can gate a release.
 *
 * What runs: the three vendor simulators in this process at a high time scale (a job finishes in
 * seconds), and the built gateway as a separate process with `npm start`'s Node flags (bench/process.ts)
 * pointed at them, with its inspector on a loopback port for one forced GC at the very end.
 *
 * Load, during SOAK_SECONDS split into six equal phases of vendor faults
 *   clean → 5xx (Flai 30 % 503) → latency (every vendor 300–800 ms) → 429 for tenant `beta` only
 *   (Retry-After 2 s, every vendor) → connection resets (10 % of every vendor's calls) → clean:
 * - jobs created at a steady rate over HTTP, in turn Mapflow processings (`StartProcessing`, the
 *   dashboard's mutation) and Flai flow executions (`runFlowTemplate`) of tenants `alpha` and `beta`,
 *   each followed at once over graphql-ws with the dashboard's subscription (`ProcessingDetail`,
 *   `FlowExecutionLive`);
 * - Cupix point clouds: every SOAK_CUPIX_EVERY_SECONDS a new Cupix tenant is added to the simulator,
 *   whose seed has a group and subs still processing; they are found with a query and followed as
 *   the dashboard does (`PointcloudLive` for the group, one `PointcloudSubsLive` = `jobsUpdated` for the subs);
 * - the dashboard's own `Dashboard` query at SOAK_DASHBOARD_RPS, open loop, tenants in turn;
 * - every SOAK_DROP_EVERY_SECONDS one follower connection's socket is destroyed (no close frame);
 *   graphql-ws reconnects and sends its subscriptions again, and the gateway answers each with the
 *   current state first, as for a browser tab that lost its network.
 * A subscription that ends with an error is sent again after the error's `retryAfter`, or after a
 * backoff, as a client would; one that completes with neither a terminal event nor an error is a
 * "silent completion", counted, and sent again too.
 *
 * Then a drain (faults off, no new jobs, at most SOAK_DRAIN_SECONDS) waits for every job's terminal
 * event; each job still without one is looked up at the simulator: terminal there = LOST. Then an
 * idle period (SOAK_IDLE_SECONDS, no traffic) shows whether the gateway's memory comes back, and a
 * forced full GC shows how much of it was live.
 *
 * Settings (env, defaults): SOAK_SECONDS (150), SOAK_DRAIN_SECONDS (60), SOAK_IDLE_SECONDS (120: V8's
 * memory reducer took one to two minutes of idleness to give memory back in `npm run soak -- --memory`),
 * SOAK_JOBS_PER_SECOND (2), SOAK_DASHBOARD_RPS (50), SOAK_DROP_EVERY_SECONDS (5),
 * SOAK_CUPIX_EVERY_SECONDS (15), SOAK_CONNECTIONS (4 follower connections per tenant),
 * SOAK_TIME_SCALE (4), SOAK_POLL_MS (1000: the gateway's live-status poll of a running job; queued 2×,
 * idle 5×), SOAK_429_RATE (1: share of beta's calls answered 429), SOAK_SAMPLE_SECONDS (5).
 * `npm run soak -- --memory` measures the README's memory figures instead (bench/memory.ts).
 */
import { randomBytes } from 'node:crypto';
import { cpus } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parse, print, type DocumentNode } from 'graphql';
import WebSocket from 'ws';
import type { FaultInput } from '../src/simulators/core/faults.js';
import {
  DashboardDocument,
  FlowExecutionLiveDocument,
  PointcloudLiveDocument,
  PointcloudSubsLiveDocument,
  ProcessingDetailDocument,
  StartProcessingDocument,
} from '../web/src/generated/graphql.js';
import { EVENT_LOOP_TICK_MS, GatewaySampler, type Sample } from './gateway-sampler.js';
import { inspect, percentile, rssBytes, selfCpuMs } from './measure.js';
import { codesOf, DEMO_TENANTS, followerClient, gql, operationName, startStack, VENDORS, type FollowerClient, type GqlError, type Tenant, type Vendor } from './soak-stack.js';

if (process.argv.includes('--memory')) {
  const { runMemoryBench } = await import('./memory.js');
  process.exit(await runMemoryBench());
}

// ---------------------------------------------------------------- settings

function setting(name: string, def: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return def;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0) {
    console.error(`${name} must be a number >= 0 (got ${raw})`);
    process.exit(2);
  }
  return n;
}

const S = {
  seconds: setting('SOAK_SECONDS', 150),
  drainSeconds: setting('SOAK_DRAIN_SECONDS', 60),
  idleSeconds: setting('SOAK_IDLE_SECONDS', 120),
  jobsPerSecond: setting('SOAK_JOBS_PER_SECOND', 2),
  dashboardRps: setting('SOAK_DASHBOARD_RPS', 50),
  dropEverySeconds: setting('SOAK_DROP_EVERY_SECONDS', 5),
  cupixEverySeconds: setting('SOAK_CUPIX_EVERY_SECONDS', 15),
  connections: Math.max(1, setting('SOAK_CONNECTIONS', 4)),
  timeScale: setting('SOAK_TIME_SCALE', 4),
  pollMs: Math.max(50, setting('SOAK_POLL_MS', 1000)),
  rateLimitRate: Math.min(1, setting('SOAK_429_RATE', 1)),
  sampleSeconds: Math.max(1, setting('SOAK_SAMPLE_SECONDS', 5)),
};

/** Dashboard requests in flight past which the open loop skips one (and counts it) instead of piling up. */
const MAX_DASHBOARD_IN_FLIGHT = 500;

interface Phase {
  name: string;
  what: string;
  faults: Partial<Record<Vendor, FaultInput>>;
}
const every = (f: FaultInput): Partial<Record<Vendor, FaultInput>> => ({ mapflow: f, flai: f, cupix: f });
const PHASES: Phase[] = [
  { name: 'clean', what: 'no faults', faults: {} },
  { name: '5xx', what: 'Flai answers 30 % of calls 503', faults: { flai: { errorRate: 0.3, errorStatuses: [503] } } },
  { name: 'latency', what: 'every vendor call 300–800 ms slower', faults: every({ latencyMs: 300, jitterMs: 500 }) },
  { name: '429-beta', what: `tenant beta gets 429 (Retry-After 2) on ${Math.round(S.rateLimitRate * 100)} % of its calls, every vendor`, faults: every({ rateLimitRate: S.rateLimitRate, retryAfterSeconds: 2, tenant: 'beta' }) },
  { name: 'resets', what: '10 % of every vendor’s connections reset', faults: every({ resetRate: 0.1 }) },
  { name: 'clean-end', what: 'no faults', faults: {} },
];
const phaseMs = (S.seconds * 1000) / PHASES.length;

// ---------------------------------------------------------------- documents (besides the dashboard's own)

/** What a tenant's jobs are made of: a Mapflow model, and a Flai template flow with a ready point cloud. */
const SETUP = parse(`query SoakSetup {
  account { models { id name } }
  flowTemplates { id title }
  datasets(first: 100) { nodes { id type status } }
}`);
const FLOW = parse(`query SoakFlow($id: ID!) { flow(id: $id) { id nodes { key type } } }`);
const RUN_FLOW = parse(`mutation SoakRunFlow($input: RunFlowTemplateInput!) { runFlowTemplate(input: $input) { id state isTerminal } }`);
/** The groups of a Cupix tenant with their subs, as the dashboard's point-cloud panel reads them. */
const CUPIX_JOBS = parse(`query SoakCupixJobs { pointclouds(first: 20, filter: { kind: GROUP }) { nodes { id isTerminal children { id isTerminal } } } }`);

// ---------------------------------------------------------------- accounting

type Counts = Record<string, number>;
const bump = (c: Counts, k: string, n = 1) => void (c[k] = (c[k] ?? 0) + n);
const total = (c: Counts) => Object.values(c).reduce((a, b) => a + b, 0);

interface DashStats {
  sent: number;
  ok: number;
  partial: number;
  error: number;
  skipped: number;
  codes: Counts;
  latencies: number[];
}
interface PhaseStats {
  created: Counts;
  /** `<vendor> <code>` of failed creates (nothing to follow). */
  createErrors: Counts;
  subscriptions: number;
  resubscribes: number;
  /** Codes of subscription error events and of subscriptions ended by an error. */
  subErrors: Counts;
  silent: number;
  drops: number;
  /** Codes of failed lookups of a new Cupix tenant's point clouds. */
  discoveryErrors: Counts;
  dashboard: Map<string, DashStats>;
}
const stats = new Map<string, PhaseStats>();
let phase = 'setup';
function st(p = phase): PhaseStats {
  let s = stats.get(p);
  if (!s) {
    s = { created: {}, createErrors: {}, subscriptions: 0, resubscribes: 0, subErrors: {}, silent: 0, drops: 0, discoveryErrors: {}, dashboard: new Map() };
    stats.set(p, s);
  }
  return s;
}
/** First message seen per `<where> <code>`, to show what a wrongly coded error said. */
const examples = new Map<string, string>();
function example(where: string, errors: GqlError[] | undefined): void {
  for (const e of errors ?? []) {
    const k = `${where} ${e.extensions?.code ?? 'UNKNOWN'}`;
    if (!examples.has(k)) examples.set(k, `${e.message.slice(0, 160)}${e.path ? ` (path ${e.path.join('.')})` : ''}`);
  }
}

interface Job {
  vendor: Vendor;
  id: string;
  tenant: Tenant;
  /** Phase it was created (or, for Cupix, found) in. */
  phase: string;
  terminalSeen: boolean;
  /** Its terminal event came on a later subscription, or after its socket reconnected. */
  afterResubscribe: boolean;
  attempts: number;
  events: number;
  silent: number;
  errors: number;
  lastState: string | null;
}
const jobs: Job[] = [];

// ---------------------------------------------------------------- run state

const clients: FollowerClient[] = [];
const byTenant = new Map<string, FollowerClient[]>();
/** Set at the end of the drain: no more resubscribing, no more accounting of completions. */
let stopped = false;
const timers = new Set<NodeJS.Timeout>();
function later(ms: number, fn: () => void): void {
  const t = setTimeout(() => {
    timers.delete(t);
    fn();
  }, ms);
  timers.add(t);
}
/** Creates, Cupix lookups and Dashboard queries not answered yet (the drain waits for them too). */
const pending = new Set<Promise<unknown>>();
function track(p: Promise<unknown>): void {
  pending.add(p);
  void p.finally(() => pending.delete(p));
}
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const backoffMs = (attempt: number) => Math.min(10_000, 500 * 2 ** Math.max(0, attempt - 1)) * (0.5 + Math.random() / 2);

function clientFor(tenant: Tenant): FollowerClient {
  let list = byTenant.get(tenant.name);
  if (!list) {
    const n = tenant.mapflow || tenant.flai ? S.connections : 1;
    list = Array.from({ length: n }, () => followerClient(stack, tenant));
    clients.push(...list);
    byTenant.set(tenant.name, list);
  }
  return list[Math.floor(Math.random() * list.length)];
}

// ---------------------------------------------------------------- following jobs

type Kind = 'processing' | 'execution' | 'pointcloud' | 'pointcloudSubs';
interface Item {
  id: string;
  state: string | null;
  isTerminal: boolean;
}
const asItem = (x: unknown): Item | null => {
  if (!x || typeof x !== 'object') return null;
  const o = x as Record<string, unknown>;
  return typeof o.id === 'string' ? { id: o.id, state: typeof o.state === 'string' ? o.state : null, isTerminal: o.isTerminal === true } : null;
};
const FOLLOW: Record<Kind, { doc: DocumentNode; variables(jobs: Job[]): Record<string, unknown>; items(data: Record<string, unknown>): (Item | null)[] }> = {
  processing: { doc: ProcessingDetailDocument, variables: ([j]) => ({ id: j.id }), items: (d) => [asItem(d.processingUpdated)] },
  execution: { doc: FlowExecutionLiveDocument, variables: ([j]) => ({ id: j.id }), items: (d) => [asItem(d.flowExecutionUpdated)] },
  pointcloud: { doc: PointcloudLiveDocument, variables: ([j]) => ({ id: j.id }), items: (d) => [asItem(d.pointcloudUpdated)] },
  pointcloudSubs: {
    doc: PointcloudSubsLiveDocument,
    variables: (js) => ({ refs: js.map((j) => ({ id: j.id, source: 'CUPIX', type: 'Pointcloud' })) }),
    items: (d) => [asItem((d.jobsUpdated as { job?: unknown } | null)?.job)],
  },
};

/** Codes of what ends a graphql-ws subscription with `error`: GraphQL errors, a close event, or an Error. */
function wsErrorCodes(e: unknown): { codes: string[]; errors?: GqlError[] } {
  if (Array.isArray(e)) return { codes: codesOf(e as GqlError[]), errors: e as GqlError[] };
  if (e && typeof e === 'object' && typeof (e as { code?: unknown }).code === 'number') return { codes: [`WS_CLOSE_${(e as { code: number }).code}`] };
  return { codes: ['CLIENT_ERROR'], errors: [{ message: e instanceof Error ? e.message : String(e) }] };
}
const retryAfterOf = (errors: readonly GqlError[] | undefined): number | undefined => errors?.map((e) => e.extensions?.retryAfter).find((r) => typeof r === 'number');

/** Subscribes to `list`'s jobs not yet seen terminal; sent again after an error or a silent completion. */
function follow(kind: Kind, list: Job[], fc: FollowerClient): void {
  const left = list.filter((j) => !j.terminalSeen);
  if (!left.length || stopped) return;
  const spec = FOLLOW[kind];
  const resubscribe = left.some((j) => j.attempts > 0);
  for (const j of left) j.attempts++;
  const ps = st();
  ps.subscriptions++;
  if (resubscribe) ps.resubscribes++;
  fc.active++;
  const reconnects0 = fc.reconnects;
  const byId = new Map(left.map((j) => [j.id, j]));
  let failure: { retryAfter?: number } | null = null;
  let ended = false;
  const fail = (codes: string[], errors: GqlError[] | undefined) => {
    const s = st();
    for (const c of codes) bump(s.subErrors, c);
    example(`subscription ${operationName(spec.doc)}`, errors);
    failure = { retryAfter: failure?.retryAfter ?? retryAfterOf(errors) };
  };
  const end = () => {
    if (ended) return;
    ended = true;
    fc.active--;
    const rest = left.filter((j) => !j.terminalSeen);
    if (!rest.length || stopped) return;
    if (failure) for (const j of rest) j.errors++;
    else {
      st().silent++;
      for (const j of rest) j.silent++;
    }
    const retryAfter = (failure as { retryAfter?: number } | null)?.retryAfter;
    const wait = retryAfter !== undefined ? retryAfter * 1000 + Math.random() * 250 : backoffMs(Math.max(...rest.map((j) => j.attempts)));
    later(wait, () => follow(kind, rest, kind === 'pointcloudSubs' || kind === 'pointcloud' ? fc : clientFor(fc.tenant)));
  };
  fc.client.subscribe<Record<string, unknown>>(
    { query: print(spec.doc), variables: spec.variables(left), operationName: operationName(spec.doc) },
    {
      next: (r) => {
        if (r.errors?.length) fail(codesOf(r.errors as GqlError[]), r.errors as GqlError[]);
        if (!r.data) return;
        for (const it of spec.items(r.data)) {
          const j = it && byId.get(it.id);
          if (!j) continue;
          j.events++;
          j.lastState = it.state ?? j.lastState;
          if (it.isTerminal && !j.terminalSeen) {
            j.terminalSeen = true;
            j.afterResubscribe = j.attempts > 1 || fc.reconnects > reconnects0;
          }
        }
      },
      error: (e) => {
        const { codes, errors } = wsErrorCodes(e);
        fail(codes, errors);
        end();
      },
      complete: end,
    },
  );
}

// ---------------------------------------------------------------- setup: what each tenant's jobs are made of

interface Recipe {
  workflowDefId: string;
  flowId: string;
  readers: string[];
  writers: string[];
  datasetId: string;
}
const recipes = new Map<string, Recipe>();

async function prepare(tenant: Tenant): Promise<void> {
  type SetupData = {
    account: { models: { id: string; name: string }[] } | null;
    flowTemplates: { id: string; title: string }[] | null;
    datasets: { nodes: { id: string; type: string; status: string | null }[] } | null;
  };
  const r = await gql<SetupData>(stack, tenant, SETUP);
  const models = r.data?.account?.models ?? [];
  const model = models.find((m) => /building/i.test(m.name)) ?? models[0];
  const dataset = r.data?.datasets?.nodes.find((d) => d.type === 'POINTCLOUD' && d.status === 'ready');
  if (!model || !dataset || !r.data?.flowTemplates?.length) throw new Error(`soak: cannot prepare tenant ${tenant.name}: ${JSON.stringify(r.errors ?? r.data).slice(0, 300)}`);
  for (const t of r.data.flowTemplates) {
    const f = await gql<{ flow: { nodes: { key: string; type: string | null }[] } | null }>(stack, tenant, FLOW, { id: t.id });
    const nodes = f.data?.flow?.nodes ?? [];
    const readers = nodes.filter((n) => n.type === 'reader').map((n) => n.key);
    const writers = nodes.filter((n) => n.type === 'writer').map((n) => n.key);
    // A flow whose every input is a point cloud can run on the tenant's ready point-cloud dataset.
    if (readers.length && readers.every((k) => k.startsWith('point_cloud_reader'))) {
      recipes.set(tenant.name, { workflowDefId: model.id, flowId: t.id, readers, writers, datasetId: dataset.id });
      return;
    }
  }
  throw new Error(`soak: tenant ${tenant.name} has no template flow reading point clouds`);
}

// ---------------------------------------------------------------- load: jobs, Cupix tenants, dashboard, drops

let jobNumber = 0;
/** A ~0.26 km² square (the Mapflow docs' example area), moved a little for each job. */
const square = (n: number) => {
  const lon = 37.2984 + (n % 40) * 0.02;
  const lat = 55.6362;
  const d = 0.0093;
  return { type: 'Polygon', coordinates: [[[lon, lat], [lon + d, lat], [lon + d, lat + d / 2.3], [lon, lat + d / 2.3], [lon, lat]]] };
};

async function createJob(slot: number): Promise<void> {
  // alpha Mapflow, beta Flai, beta Mapflow, alpha Flai: each tenant makes both kinds, in turn.
  const tenant = DEMO_TENANTS[[0, 1, 1, 0][slot % 4]];
  const vendor: Vendor = slot % 2 === 0 ? 'mapflow' : 'flai';
  const recipe = recipes.get(tenant.name)!;
  const n = ++jobNumber;
  let id: string | undefined;
  let errors: GqlError[] | undefined;
  if (vendor === 'mapflow') {
    const r = await gql<{ createProcessing: { id: string } | null }>(stack, tenant, StartProcessingDocument, {
      input: { name: `soak ${n}`, workflowDefId: recipe.workflowDefId, geometry: square(n) },
    });
    id = r.data?.createProcessing?.id;
    errors = r.errors;
  } else {
    const nodeOptions: Record<string, Record<string, string>> = {};
    for (const k of recipe.readers) nodeOptions[k] = { dataset_id: recipe.datasetId };
    for (const k of recipe.writers) nodeOptions[k] = { dataset_name: `soak ${n} ${k}` };
    const r = await gql<{ runFlowTemplate: { id: string } | null }>(stack, tenant, RUN_FLOW, { input: { flowId: recipe.flowId, nodeOptions } });
    id = r.data?.runFlowTemplate?.id;
    errors = r.errors;
  }
  const p = phase; // the phase of the answer, as for the Dashboard
  if (!id) {
    for (const c of codesOf(errors).length ? codesOf(errors) : ['NO_DATA']) bump(st(p).createErrors, `${vendor} ${c}`);
    example(`create ${vendor}`, errors);
    return;
  }
  bump(st(p).created, vendor);
  const job: Job = { vendor, id, tenant, phase: p, terminalSeen: false, afterResubscribe: false, attempts: 0, events: 0, silent: 0, errors: 0, lastState: null };
  jobs.push(job);
  if (!stopped) follow(vendor === 'mapflow' ? 'processing' : 'execution', [job], clientFor(tenant));
}

let cupixTenants = 0;
/** A new Cupix tenant (its seed has a group and subs still processing), found and followed like the dashboard does. */
async function addCupixTenant(): Promise<void> {
  const n = ++cupixTenants;
  const tenant: Tenant = { name: `soak-cupix-${n}`, cupix: randomBytes(16).toString('hex') };
  stack.sims.cupix.addTenant(tenant.name, tenant.cupix!);
  const p = phase;
  type Found = { pointclouds: { nodes: { id: string; isTerminal: boolean; children: { id: string; isTerminal: boolean }[] | null }[] } | null };
  for (let attempt = 1; attempt <= 6 && !stopped; attempt++) {
    const r = await gql<Found>(stack, tenant, CUPIX_JOBS);
    const groups = r.data?.pointclouds?.nodes;
    if (groups && !r.errors?.length) {
      const fc = clientFor(tenant);
      const job = (id: string): Job => {
        const j: Job = { vendor: 'cupix', id, tenant, phase: p, terminalSeen: false, afterResubscribe: false, attempts: 0, events: 0, silent: 0, errors: 0, lastState: null };
        jobs.push(j);
        bump(st(p).created, 'cupix');
        return j;
      };
      for (const g of groups) if (!g.isTerminal) follow('pointcloud', [job(g.id)], fc);
      const subs = groups.flatMap((g) => g.children ?? []).filter((c) => !c.isTerminal);
      if (subs.length) follow('pointcloudSubs', subs.map((c) => job(c.id)), fc);
      return;
    }
    for (const c of codesOf(r.errors).length ? codesOf(r.errors) : ['NO_DATA']) bump(st().discoveryErrors, c);
    example('query SoakCupixJobs', r.errors);
    await sleep(backoffMs(attempt));
  }
}

let dashboardInFlight = 0;
/** A request's outcome counts in the phase its answer came in: the faults then are what it met last. */
function dashStats(tenant: Tenant): DashStats {
  const ps = st();
  let d = ps.dashboard.get(tenant.name);
  if (!d) ps.dashboard.set(tenant.name, (d = { sent: 0, ok: 0, partial: 0, error: 0, skipped: 0, codes: {}, latencies: [] }));
  return d;
}
async function dashboardOnce(k: number): Promise<void> {
  const tenant = DEMO_TENANTS[k % DEMO_TENANTS.length];
  if (dashboardInFlight >= MAX_DASHBOARD_IN_FLIGHT) {
    dashStats(tenant).skipped++;
    return;
  }
  dashboardInFlight++;
  const t0 = performance.now();
  const r = await gql(stack, tenant, DashboardDocument, {}, true);
  dashboardInFlight--;
  const d = dashStats(tenant);
  d.sent++;
  d.latencies.push(performance.now() - t0);
  const codes = codesOf(r.errors);
  if (!codes.length && r.status === 200 && r.data) d.ok++;
  else if (r.data) d.partial++;
  else d.error++;
  for (const c of codes) bump(d.codes, c);
  example('query Dashboard', r.errors);
}

/** Calls `fn(k)` for k = 0, 1, … at `perSecond`, on schedule whatever is in flight, until `until()`. */
function openLoop(perSecond: number, until: () => boolean, fn: (k: number) => void): Promise<void> {
  if (perSecond <= 0) return Promise.resolve();
  const interval = 1000 / perSecond;
  const start = performance.now();
  let k = 0;
  return new Promise((resolve) => {
    const tick = () => {
      if (until()) return resolve();
      const t = performance.now();
      while (start + k * interval <= t) fn(k++);
      setTimeout(tick, Math.max(0, start + k * interval - performance.now()));
    };
    tick();
  });
}

function dropOne(): void {
  const live = clients.filter((c) => c.active > 0 && c.socket()?.readyState === WebSocket.OPEN);
  if (!live.length) return;
  live[Math.floor(Math.random() * live.length)].socket()!.terminate();
  st().drops++;
}

// ---------------------------------------------------------------- run

const logLevels: Counts = {};
const logErrors: string[] = [];
const selfLoop = monitorEventLoopDelay({ resolution: 20 });
selfLoop.enable();
const started = new Date();
const soakStart = performance.now();

console.log(
  `soak: ${S.seconds} s of load in ${PHASES.length} phases of ${(phaseMs / 1000).toFixed(0)} s (${PHASES.map((p) => p.name).join(' → ')}), drain ≤ ${S.drainSeconds} s, idle ${S.idleSeconds} s; ` +
    `${S.jobsPerSecond} jobs/s, a Cupix tenant every ${S.cupixEverySeconds} s, Dashboard ${S.dashboardRps}/s, a socket dropped every ${S.dropEverySeconds} s; SIM_TIME_SCALE ${S.timeScale}, polls ${S.pollMs} ms`,
);
const stack = await startStack({
  timeScale: S.timeScale,
  inspect: true,
  echo: () => false,
  onLine: (line) => {
    if (!line.startsWith('{')) return;
    try {
      const l = JSON.parse(line) as { level?: string; msg?: string; code?: string; err?: { message?: string } };
      bump(logLevels, l.level ?? '?');
      if ((l.level === 'error' || l.level === 'fatal') && logErrors.length < 5) {
        logErrors.push(`${l.msg ?? ''}${l.code ? ` (${l.code})` : ''}${l.err?.message ? `: ${l.err.message}` : ''}`.slice(0, 240));
      }
    } catch {
      // not a log line
    }
  },
  env: {
    STATUS_POLL_RUNNING_MS: String(S.pollMs),
    STATUS_POLL_QUEUED_MS: String(2 * S.pollMs),
    STATUS_POLL_IDLE_MS: String(5 * S.pollMs),
    STATUS_BACKOFF_MAX_MS: String(10 * S.pollMs),
  },
});
const exitOnSignal = () => {
  void stack.close().finally(() => process.exit(130));
};
process.once('SIGINT', exitOnSignal);
process.once('SIGTERM', exitOnSignal);

for (const t of DEMO_TENANTS) await prepare(t);
const sampler = new GatewaySampler(stack.gateway.origin, stack.gateway.pid);
const rssBefore = rssBytes(stack.gateway.pid);
await sampler.start(S.sampleSeconds * 1000);

const loadStart = performance.now();
const loadOver = () => performance.now() - loadStart >= S.seconds * 1000;
const setPhase = (p: Phase | string) => {
  phase = typeof p === 'string' ? p : p.name;
  sampler.phase = phase;
  const faults = typeof p === 'string' ? {} : p.faults;
  for (const v of VENDORS) stack.sims[v].faults.set(faults[v] ?? null);
  console.log(`  ${((performance.now() - loadStart) / 1000).toFixed(0).padStart(4)} s  phase ${phase}${typeof p === 'string' ? '' : `: ${p.what}`}`);
};

const phasesDone = (async () => {
  for (let i = 0; i < PHASES.length; i++) {
    setPhase(PHASES[i]);
    await sleep(loadStart + (i + 1) * phaseMs - performance.now());
  }
})();
await Promise.all([
  phasesDone,
  openLoop(S.jobsPerSecond, loadOver, (k) => track(createJob(k))),
  openLoop(S.dashboardRps, loadOver, (k) => track(dashboardOnce(k))),
  S.cupixEverySeconds > 0 ? openLoop(1 / S.cupixEverySeconds, loadOver, () => track(addCupixTenant())) : null,
  S.dropEverySeconds > 0 ? openLoop(1 / S.dropEverySeconds, loadOver, (k) => k > 0 && dropOne()) : null,
]);

// ---- drain: faults off, nothing new; wait (bounded) for every job's terminal event
setPhase('drain');
const drainStart = performance.now();
while (performance.now() - drainStart < S.drainSeconds * 1000) {
  if (!pending.size && jobs.every((j) => j.terminalSeen)) break;
  await sleep(250);
}
const drainSeconds = (performance.now() - drainStart) / 1000;
stopped = true;
for (const t of timers) clearTimeout(t);
await Promise.allSettled(clients.map((c) => c.client.dispose()));

// ---- the vendor's word on every job no client saw finish
const TERMINAL: Record<Vendor, Set<string>> = {
  mapflow: new Set(['OK', 'FAILED', 'CANCELLED', 'REFUNDED']),
  flai: new Set(['finished', 'finish', 'failed', 'stopped']),
  cupix: new Set(['done', 'error', 'failed']),
};
async function vendorStatus(j: Job): Promise<string> {
  const { sims } = stack;
  try {
    if (j.vendor === 'mapflow') {
      const r = await fetch(`${sims.mapflow.url}/processings/${j.id}/v2`, { headers: { authorization: `Basic ${j.tenant.mapflow}` } });
      return String(((await r.json()) as { status?: unknown }).status);
    }
    if (j.vendor === 'flai') {
      const r = await fetch(`${sims.flai.url}/organization/${j.tenant.flai!.orgId}/flow-executions/${j.id}`, { headers: { authorization: `Bearer ${j.tenant.flai!.token}` } });
      return String(((await r.json()) as { status?: unknown }).status);
    }
    const r = await fetch(`${sims.cupix.url}/pointclouds/${j.id}?fields=id,state`, { headers: { 'x-cupix-auth': j.tenant.cupix! } });
    return String(((await r.json()) as { result?: { data?: { attributes?: { state?: unknown } } } }).result?.data?.attributes?.state);
  } catch (err) {
    return `lookup failed: ${String(err)}`;
  }
}
// A create answered after the drain was never followed: no client could have seen it finish.
const unfollowed = jobs.filter((j) => j.attempts === 0);
const unseen = jobs.filter((j) => !j.terminalSeen && j.attempts > 0);
const lost: (Job & { status: string })[] = [];
const unfinished: (Job & { status: string })[] = [];
for (const j of unseen) {
  const status = await vendorStatus(j);
  (TERMINAL[j.vendor].has(status) ? lost : unfinished).push({ ...j, status });
}

// ---- idle: no traffic; does the memory come back?
setPhase('idle');
const idleFrom = performance.now() - sampler.t0;
await sleep(S.idleSeconds * 1000);
await sampler.sample();
sampler.stop();
const idleEnd = sampler.samples[sampler.samples.length - 1] as Sample | undefined;
let afterGc: { rss: number; heapUsed: number; heapTotal: number } | null = null;
try {
  const inspector = await inspect(stack.gateway.inspectorUrl!);
  const m = await inspector.gcAndMeasure();
  inspector.close();
  await sleep(1000);
  afterGc = { rss: rssBytes(stack.gateway.pid), heapUsed: m.heapUsed, heapTotal: m.heapTotal };
} catch (err) {
  console.log(`  (no forced GC: ${String(err)})`);
}
const { gatewayExit } = await stack.close();
selfLoop.disable();

// ---------------------------------------------------------------- report

const f = (n: number, d = 0) => (Number.isFinite(n) ? n.toFixed(d) : 'n/a');
/** Aggregates over samples that may lack a figure (a scrape that failed): NaN only when none has it. */
const finite = (xs: number[]) => xs.filter(Number.isFinite);
const maxOf = (xs: number[]) => (finite(xs).length ? Math.max(...finite(xs)) : Number.NaN);
const minOf = (xs: number[]) => (finite(xs).length ? Math.min(...finite(xs)) : Number.NaN);
const sumOf = (xs: number[]) => finite(xs).reduce((a, b) => a + b, 0);
const medianOf = (xs: number[]) => percentile(finite(xs), 50);
const mb = (b: number) => f(b / 2 ** 20, 0);
const list = (c: Counts) =>
  Object.entries(c)
    .sort((a, b) => b[1] - a[1])
    .map(([k, n]) => `${k} ${n}`)
    .join(', ') || 'none';
const lines: string[] = [];
const out = (s = '') => lines.push(s);

const count = (pred: (j: Job) => boolean) => jobs.filter(pred).length;
const createdBy = Object.fromEntries(VENDORS.map((v) => [v, count((j) => j.vendor === v)]));
const delivered = count((j) => j.terminalSeen);
const silentJobs = count((j) => j.silent > 0);
const silentTotal = [...stats.values()].reduce((n, s) => n + s.silent, 0);
const allPhases = [...stats.entries()];
/** Every error code a client saw, by where. */
const codeTotals = { subscription: {} as Counts, create: {} as Counts, dashboard: {} as Counts, discovery: {} as Counts };
for (const [, s] of allPhases) {
  for (const [k, n] of Object.entries(s.subErrors)) bump(codeTotals.subscription, k, n);
  for (const [k, n] of Object.entries(s.createErrors)) bump(codeTotals.create, k.split(' ')[1], n);
  for (const [k, n] of Object.entries(s.discoveryErrors)) bump(codeTotals.discovery, k, n);
  for (const d of s.dashboard.values()) for (const [k, n] of Object.entries(d.codes)) bump(codeTotals.dashboard, k, n);
}
const badInput = Object.fromEntries(Object.entries(codeTotals).map(([k, c]) => [k, c.BAD_USER_INPUT ?? 0]));
const badInputTotal = total(badInput);

out();
out(`==== soak report (${started.toISOString()}; gateway: node ${process.version}, npm start's flags + --inspect for the final GC) ====`);
out();
out('JOBS');
out(`  created ${jobs.length} (mapflow ${createdBy.mapflow}, flai ${createdBy.flai}, cupix ${createdBy.cupix} found processing in ${cupixTenants} new tenants)`);
out(`  terminal delivered ${delivered} (${count((j) => j.terminalSeen && j.afterResubscribe)} of them only after a resubscribe or a reconnect)`);
out(`  lost ${lost.length} (terminal at the vendor, never delivered, resubscribing included)`);
out(`  silent completions ${silentTotal} (subscriptions completed with neither a terminal event nor an error; on ${silentJobs} jobs)`);
out(`  still not terminal at the vendor after the drain (${f(drainSeconds, 0)} s): ${unfinished.length}`);
if (unfollowed.length) out(`  created but never followed (the create was answered after the drain): ${unfollowed.length}`);
for (const j of lost.slice(0, 10)) {
  out(`    lost: ${j.vendor} ${j.id} (${j.tenant.name}, created in ${j.phase}; vendor ${j.status}; last event ${j.lastState ?? 'none'}; ${j.attempts} subscriptions, ${j.events} events, ${j.errors} ended by errors, ${j.silent} silent)`);
}
for (const j of unfinished.slice(0, 5)) out(`    unfinished: ${j.vendor} ${j.id} (${j.tenant.name}, created in ${j.phase}; vendor ${j.status})`);
out();
out('BY PHASE (an answer counts in the phase it came in; codes as clients saw them in extensions.code; WS_CLOSE_n: the socket closed for good; CLIENT_*: no answer)');
const phaseInfo = new Map(PHASES.map((p) => [p.name, p.what]));
const samplesOf = (p: string) => sampler.samples.filter((s) => s.phase === p);
for (const [name, s] of allPhases) {
  out(`  ${name}${phaseInfo.has(name) ? ` (${phaseInfo.get(name)})` : ''}`);
  if (total(s.created) || total(s.createErrors)) out(`    creates: ${list(s.created)}; failed: ${list(s.createErrors)}`);
  if (s.subscriptions) {
    out(`    subscriptions: ${s.subscriptions} sent (${s.resubscribes} resubscribes), ${s.drops} sockets dropped; error codes: ${list(s.subErrors)}; silent completions ${s.silent}`);
  }
  if (total(s.discoveryErrors)) out(`    Cupix tenant lookups failed: ${list(s.discoveryErrors)}`);
  for (const [tenant, d] of s.dashboard) {
    out(
      `    Dashboard ${tenant}: ${d.sent} answered, ${d.ok} ok, ${d.partial} partial, ${d.error} errors${d.skipped ? `, ${d.skipped} skipped (${MAX_DASHBOARD_IN_FLIGHT} in flight)` : ''}; ` +
        `p50 ${f(percentile(d.latencies, 50))} ms, p99 ${f(percentile(d.latencies, 99))} ms; codes: ${list(d.codes)}`,
    );
  }
  const ss = samplesOf(name);
  if (ss.length) {
    const breakers = [...new Set(ss.flatMap((x) => x.breakers))];
    out(
      `    gateway: RSS ${mb(minOf(ss.map((x) => x.rss)))}–${mb(maxOf(ss.map((x) => x.rss)))} MB, heap used ≤ ${mb(maxOf(ss.map((x) => x.heapUsed)))} MB; ` +
        `event-loop delay p50 ${f(medianOf(ss.map((x) => x.loopP50)), 1)} ms, p99 ${f(maxOf(ss.map((x) => x.loopP99)), 1)} ms, max ${f(maxOf(ss.map((x) => x.loopMax)), 1)} ms (median / worst of the samples); ` +
        `CPU ${f(medianOf(ss.map((x) => x.cpuCores)), 2)} cores (other jobs on the machine ${f(medianOf(ss.map((x) => x.otherCores)), 2)}); GCs ${sumOf(ss.map((x) => x.gcMinor))} minor, ${sumOf(ss.map((x) => x.gcMajor))} major; breakers not closed: ${breakers.join(', ') || 'none'}`,
    );
  }
}
out();
out(`ERROR CODES IN ALL (BAD_USER_INPUT: ${badInputTotal}; every input here is valid, so each one is a vendor fault coded as the client's)`);
for (const [where, c] of Object.entries(codeTotals)) out(`  ${where}: ${list(c)}`);
for (const [k, msg] of examples) if (/ (BAD_USER_INPUT|INTERNAL_SERVER_ERROR|UNKNOWN)$/.test(k)) out(`    e.g. ${k}: "${msg}"`);
out();
out(
  `OVER TIME (every ${S.sampleSeconds} s; event-loop delay beyond the ${EVENT_LOOP_TICK_MS} ms tick of the gateway's own nodejs_eventloop_lag_* metrics` +
    `${sampler.failedScrapes ? `; ${sampler.failedScrapes} scrapes of /metrics failed or took over 10 s, those rows have RSS and CPU only` : ''})`,
);
out('    t  phase      RSS MB  heap MB (used/total)  loop p50/p99/max ms  CPU  other  subs  watchers  breakers');
for (const s of sampler.samples) {
  out(
    `  ${f(s.t / 1000).padStart(4)}  ${s.phase.padEnd(10)} ${mb(s.rss).padStart(6)}  ${`${mb(s.heapUsed)}/${mb(s.heapTotal)}`.padStart(20)}  ${`${f(s.loopP50, 1)}/${f(s.loopP99, 1)}/${f(s.loopMax, 1)}`.padStart(19)}  ${f(s.cpuCores, 2).padStart(4)}  ${f(s.otherCores, 2).padStart(5)}  ${String(s.subscriptions).padStart(4)}  ${String(s.watchers).padStart(8)}  ${s.breakers.join(' ') || '-'}`,
  );
}
const peak = sampler.samples.reduce((a, b) => (b.rss > a.rss ? b : a), sampler.samples[0]);
out();
out('MEMORY');
if (peak && idleEnd) {
  const rise = peak.rss - rssBefore;
  const back = peak.rss - idleEnd.rss;
  const idle = samplesOf('idle');
  const given = rise <= 0 ? 'no rise' : back >= rise ? 'all of the rise given back' : `${f((100 * back) / rise)} % of the rise given back`;
  out(`  RSS ${mb(rssBefore)} MB before the load (after start and setup), peak ${mb(peak.rss)} MB (${peak.phase}), ${mb(idleEnd.rss)} MB after ${S.idleSeconds} s idle: ${given} when idle`);
  const drop = idle.findIndex((x, i) => i > 0 && x.rss < idle[i - 1].rss - (rise > 0 ? rise / 2 : 2 ** 20));
  if (drop > 0) out(`  it came down between ${f((idle[drop - 1].t - idleFrom) / 1000)} and ${f((idle[drop].t - idleFrom) / 1000)} s into the idle period`);
  out(`  heap used ${mb(idleEnd.heapUsed)} MB of ${mb(idleEnd.heapTotal)} MB at the end of the idle period; GCs while idle: ${sumOf(idle.map((x) => x.gcMinor))} minor, ${sumOf(idle.map((x) => x.gcMajor))} major`);
}
if (afterGc) out(`  after a forced full GC (inspector): RSS ${mb(afterGc.rss)} MB, heap used ${mb(afterGc.heapUsed)} MB of ${mb(afterGc.heapTotal)} MB`);
out();
const busy = medianOf(sampler.samples.map((x) => x.otherCores));
out('MACHINE');
out(
  `  other jobs used ${f(busy, 2)} cores of the ${cpus().length} (median over the samples; column "other"), the soak itself (simulators and clients) ${f(selfCpuMs() / 1000 / ((performance.now() - soakStart) / 1000), 2)} cores` +
    (busy > 0.5 ? ': the machine was busy, so latencies and event-loop delays above measure it as much as the gateway' : ''),
);
out();
out('GATEWAY PROCESS');
out(`  log lines by level: ${list(logLevels)}${logErrors.length ? `; first errors: ${logErrors.join(' | ')}` : ''}`);
const killed = stack.gateway.proc.signalCode;
out(`  after SIGTERM: ${killed === 'SIGKILL' ? 'still running 5 s later, killed (SIGKILL)' : killed ? `ended by ${killed}` : `exit code ${gatewayExit}`}`);
out(`  the soak's own event loop (simulators + clients): p99 ${f(selfLoop.percentile(99) / 1e6 - 20, 1)} ms, max ${f(selfLoop.max / 1e6 - 20, 1)} ms beyond its 20 ms tick`);
out();
const verdict = lost.length === 0 && badInputTotal === 0;
out(`RESULT: created ${jobs.length} / terminal delivered ${delivered} / lost ${lost.length} / silent completions ${silentTotal}; BAD_USER_INPUT ${badInputTotal} → ${verdict ? 'PASS' : 'FAIL'} (exit ${verdict ? 0 : 1})`);
console.log(lines.join('\n'));
process.exit(verdict ? 0 : 1);
