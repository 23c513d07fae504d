/**
 * Live-status figures for `npm run bench` (issue 4 "npm run bench", issue 7 "Subscription fan-out"):
 * 10,000 subscriptions on 1,000 live Mapflow processings in ONE gateway process.
 *
 * Scenario. Simulators (this process's core, core 1 when pinned) with their clock frozen; a tenant of
 * its own ("bench") with 1,000 fresh processings. The built gateway (`dist/main.js`, core 0, short poll
 * intervals, watcher cap raised) is subscribed 10,000 times (`jobsUpdated`, one job each, 10 per job)
 * over 1,000 graphql-ws connections of 10 subscriptions (a dashboard watching 10 jobs). Then the clock
 * runs (SIM_TIME_SCALE 1) and every processing goes UNPROCESSED → IN_PROGRESS → 6 progress steps → OK.
 *
 * Figures.
 * 1. Upstream polls per interval ÷ distinct watched jobs: the simulator's request counters, sampled
 *    once per interval over a window in which all 1,000 jobs are running.
 * 2. Delay upstream change → client: each state's wall-clock time in `/__sim/changes` to the arrival of
 *    the event carrying it at each of its 10 subscribers (same machine clock). Mostly the poll wait.
 * 3. Fan-out: arrival − the event's `at` (when the answer of the poll that found the state arrived; the
 *    vendor round trip is in the poll wait), against a plain `ws` server (core 0) that replays the same
 *    payloads to the same sockets and subscription ids on the gateway's recorded schedule: p99 ÷ p99.
 *    The whole scenario runs BENCH_SUB_ROUNDS times (3), each round with fresh simulators, gateway and
 *    plain ws server; every round's ratio is reported with their median (the target holds in each),
 *    and the other figures are those of the median round.
 * 4. Memory per subscription: gateway heap and RSS after 10,000 subscriptions minus before, both after a
 *    full GC requested through the inspector (gateway started with --inspect on a loopback port), ÷ 10,000.
 *    Includes the watchers' and the 1,000 sockets' share.
 *
 * Everything is bounded: counts by the settings, every wait by a deadline. Loopback only.
 * Standalone: `npx tsx bench/subscriptions.ts` (prints, writes nothing). BENCH_SUBSCRIPTIONS=0 skips it.
 */
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer as createHttpServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createClient, type Client, type ExecutionResult } from 'graphql-ws';
import WebSocket, { WebSocketServer } from 'ws';
import type { Change } from '../src/simulators/core/changes.js';
import { CUPIX_DEMO_TENANTS } from '../src/simulators/cupix/index.js';
import { FLAI_DEMO_TENANTS } from '../src/simulators/flai/index.js';
import { cpuMs, freePort, inspect, loadMeter, median, now, rssBytes, SERVER_NODE, startFlags, type Load, type MemoryUsage } from './measure.js';
import { startChild, startGateway, type Child } from './process.js';

const HERE = dirname(fileURLToPath(import.meta.url));

const setting = (name: string, def: number): number => {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v > 0 ? v : def;
};

export const SUBSCRIPTION_SETTINGS = {
  jobs: setting('BENCH_SUB_JOBS', 1_000),
  perJob: setting('BENCH_SUB_PER_JOB', 10),
  connections: setting('BENCH_SUB_CONNECTIONS', 1_000),
  pollMs: setting('BENCH_SUB_POLL_MS', 1_000),
  timeScale: setting('BENCH_SUB_TIME_SCALE', 1),
  /** Rounds of the whole scenario (fan-out is reported per round). */
  rounds: setting('BENCH_SUB_ROUNDS', 3),
  /** A processing's run lasts 20–40 virtual seconds (src/simulators/mapflow/mapflow.lifecycle.ts). */
  minRunVirtualMs: 20_000,
  maxRunVirtualMs: 40_000,
};
const S = SUBSCRIPTION_SETTINGS;

const TENANT = { name: 'bench', token: 'bench-subscriptions-token' };
const ONE_PROCESSING = 'GET /processings/{id}/v2';
const QUERY = `subscription BenchWatch($refs: [JobRefInput!]!) {
  jobsUpdated(refs: $refs) { job { id state upstreamStatus isTerminal ... on Processing { percentCompleted } } previousState state progress at }
}`;
const POLYGON = { type: 'Polygon', coordinates: [[[37.2984, 55.6362], [37.3077, 55.6362], [37.3077, 55.6402], [37.2984, 55.6402], [37.2984, 55.6362]]] };

// ---------------------------------------------------------------- small helpers

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

async function until(cond: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`bench/subscriptions: ${what} not reached within ${timeoutMs} ms`);
    await sleep(25);
  }
}

/** Nearest-rank percentile of an ascending-sorted array. */
function pct(sorted: Float64Array, p: number): number {
  if (!sorted.length) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}
const sortedOf = (xs: number[]): Float64Array => Float64Array.from(xs).sort();
const fmt = (n: number, d = 2) => (Number.isFinite(n) ? n.toFixed(d) : 'n/a');

async function json<T>(url: string, init?: RequestInit): Promise<T> {
  const res = await fetch(url, init);
  const body = await res.text();
  if (!res.ok) throw new Error(`${init?.method ?? 'GET'} ${url}: ${res.status} ${body.slice(0, 300)}`);
  return JSON.parse(body) as T;
}

// ---------------------------------------------------------------- the plain `ws` broadcaster (child, core 0)

interface PlainSchedule {
  /** Per job: the [connection, subscription id] pairs subscribed to it. */
  subscribers: [number, string][][];
  /** One per job state, `t` ms after the first one; `payload` is the `next` payload the gateway sent. */
  events: { t: number; job: number; payload: string }[];
  startInMs: number;
}

/** `--plain-ws-server`: sockets at /ws?c=<connection>; POST /schedule plays a schedule, answers its start time. */
async function plainWsServer(): Promise<void> {
  const sockets: WebSocket[] = [];
  const http = createHttpServer((req, res) => {
    if (req.method !== 'POST' || req.url !== '/schedule') {
      res.writeHead(404).end();
      return;
    }
    readBody(req).then(
      (body) => {
        const s = JSON.parse(body) as PlainSchedule;
        const events = [...s.events].sort((a, b) => a.t - b.t);
        const start = Date.now() + s.startInMs;
        let i = 0;
        const tick = () => {
          const elapsed = Date.now() - start;
          while (i < events.length && events[i].t <= elapsed) {
            const e = events[i++];
            for (const [c, id] of s.subscribers[e.job]) sockets[c]?.send(`{"id":"${id}","type":"next","payload":${e.payload}}`);
          }
          if (i < events.length) setTimeout(tick, Math.max(0, events[i].t - elapsed));
        };
        setTimeout(tick, Math.max(0, start - Date.now()));
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ start, sockets: sockets.filter(Boolean).length }));
      },
      (err: unknown) => res.writeHead(400).end(String(err)),
    );
  });
  const wss = new WebSocketServer({ server: http, path: '/ws' });
  wss.on('connection', (ws, req) => {
    sockets[Number(new URL(req.url ?? '/', 'http://x').searchParams.get('c'))] = ws;
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  console.log(`plain-ws listening on ${(http.address() as AddressInfo).port}`);
  process.once('SIGTERM', () => process.exit(0));
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

// ---------------------------------------------------------------- the bench

interface JobsUpdatedData {
  jobsUpdated: {
    job: { id: string; state: string; upstreamStatus: string; isTerminal: boolean; percentCompleted?: number | null };
    previousState: string | null;
    state: string;
    progress: number | null;
    at: string;
  };
}

interface Delivery {
  sub: number;
  job: number;
  recv: number;
  /** The event's `at`: when the answer of the poll that found this state arrived (gateway clock, ms). */
  at: number;
  status: string;
  percent: number;
  first: boolean;
}

interface Dist {
  count: number;
  p50: number;
  p99: number;
  max: number;
}
function dist(xs: number[]): Dist {
  const s = sortedOf(xs);
  return { count: s.length, p50: pct(s, 50), p99: pct(s, 99), max: s.length ? s[s.length - 1] : Number.NaN };
}

export interface SubscriptionBenchResult {
  settings: typeof SUBSCRIPTION_SETTINGS & { subscriptions: number; subscriptionsPerConnection: number };
  polls: {
    distinctJobs: number;
    windowMs: number;
    intervals: number;
    polls: number;
    perInterval: number;
    ratio: number;
    perIntervalSamples: number[];
    otherUpstreamCalls: Record<string, number>;
    idleCpuMsPerPoll: number;
    /** Polls per interval with the clock frozen (nothing changes, nothing is delivered). */
    idlePerInterval: number;
  };
  delivery: {
    /** Upstream change (`/__sim/changes` at) → client. */
    endToEndMs: Dist;
    /** Upstream change → the answer of the poll that saw it (the vendor round trip included). */
    pollWaitMs: Dist;
    /** Poll start (event `at`) → client. */
    fanOutMs: Dist;
    expected: number;
    delivered: number;
    unmatched: number;
    duplicates: number;
    missing: number;
    gatewayCpuMs: number;
    polls: number;
    gatewayCpuMsPerDelivery: number;
    cores: Load;
  };
  plainWs: { fanOutMs: Dist; delivered: number; expected: number; cores: Load; cpuMsPerMessage: number } | null;
  /** Gateway CPU per delivery (polls excluded) ÷ plain ws server CPU per message. */
  cpuPerDeliveryRatio: number;
  fanOutP99Ratio: number;
  fanOutP50Ratio: number;
  /** Every round's fan-out (this result's other figures are the median round's). */
  fanOutRounds: FanOutRound[];
  /** Median over the rounds of the fan-out p99 ratio. */
  fanOutP99RatioMedian: number;
  memory: {
    before: MemoryUsage & { vmRss: number };
    after: MemoryUsage & { vmRss: number };
    heapBytesPerSubscription: number;
    rssBytesPerSubscription: number;
  };
  subscribeSeconds: number;
}

export interface FanOutRound {
  gatewayP99Ms: number;
  plainP99Ms: number;
  p99Ratio: number;
  p50Ratio: number;
}

export interface SubscriptionBenchReport {
  rows: string[][];
  notes: string[];
  result: SubscriptionBenchResult | null;
}

export interface SubscriptionBenchOptions {
  root?: string;
  /** Gateway and plain ws on core 0 (taskset); this process is expected to be on core 1 already. */
  pinned: boolean;
}

export async function runSubscriptionBench(opts: SubscriptionBenchOptions): Promise<SubscriptionBenchReport> {
  if (process.env.BENCH_SUBSCRIPTIONS === '0') return { rows: [], notes: ['Subscriptions: skipped (BENCH_SUBSCRIPTIONS=0).'], result: null };
  const root = opts.root ?? join(HERE, '..');
  const rounds: SubscriptionBenchResult[] = [];
  for (let round = 1; round <= S.rounds; round++) {
    console.log(`\nSubscriptions: round ${round} of ${S.rounds}`);
    rounds.push(await oneRound(root, opts.pinned));
  }
  const fanOutRounds = rounds.map((r) => ({ gatewayP99Ms: r.delivery.fanOutMs.p99, plainP99Ms: r.plainWs?.fanOutMs.p99 ?? Number.NaN, p99Ratio: r.fanOutP99Ratio, p50Ratio: r.fanOutP50Ratio }));
  const ratios = fanOutRounds.map((r) => r.p99Ratio);
  // The median round (the lower of the middle two for an even count) gives the other figures.
  const middle = [...ratios].sort((a, b) => a - b)[(ratios.length - 1) >> 1];
  const result = { ...rounds[ratios.indexOf(middle)], fanOutRounds, fanOutP99RatioMedian: median(ratios) };
  return { rows: rowsOf(result), notes: notesOf(result), result };
}

/** One round of the whole scenario, with its own processes and clients, all stopped at its end. */
async function oneRound(root: string, pinned: boolean): Promise<SubscriptionBenchResult> {
  const children: Child[] = [];
  const clients: Client[] = [];
  try {
    return await bench(root, pinned, children, clients);
  } finally {
    await Promise.allSettled(clients.map((c) => c.dispose()));
    await Promise.allSettled(children.map((c) => c.stop()));
  }
}

async function bench(root: string, pinned: boolean, children: Child[], clients: Client[]): Promise<SubscriptionBenchResult> {
  const subscriptions = S.jobs * S.perJob;
  const perConn = Math.ceil(subscriptions / S.connections);
  const onCore0 = (args: string[]): [string, string[]] => (pinned ? ['taskset', ['-c', '0', ...args]] : [args[0], args.slice(1)]);
  console.log(`\nSubscriptions: ${subscriptions} on ${S.jobs} processings over ${S.connections} connections, poll ${S.pollMs} ms, SIM_TIME_SCALE ${S.timeScale}`);

  // ---- simulators, frozen; a tenant of our own with S.jobs fresh processings
  const ports = { mapflow: await freePort(), flai: await freePort(), cupix: await freePort(), gateway: await freePort() };
  const sims = startChild('simulators', process.execPath, [join(root, 'dist/simulators/main.js')], {
    SIM_HOST: '127.0.0.1',
    SIM_TIME_SCALE: '0',
    SIM_MAPFLOW_PORT: String(ports.mapflow),
    SIM_FLAI_PORT: String(ports.flai),
    SIM_CUPIX_PORT: String(ports.cupix),
  }, root);
  children.push(sims);
  await sims.waitFor(/Cupix\s+http/, 30_000);
  const mapflow = `http://127.0.0.1:${ports.mapflow}`;
  await json(`${mapflow}/__sim/tenants`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(TENANT) });
  const auth = { authorization: `Basic ${TENANT.token}`, 'content-type': 'application/json' };
  const jobIds: string[] = new Array<string>(S.jobs);
  let next = 0;
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (next < S.jobs) {
        const i = next++;
        const p = await json<{ id: string }>(`${mapflow}/rest/processings/v2`, {
          method: 'POST',
          headers: auth,
          body: JSON.stringify({ name: `bench-${i}`, wdName: '🏠 Buildings', geometry: POLYGON }),
        });
        jobIds[i] = p.id;
      }
    }),
  );
  const jobIndex = new Map(jobIds.map((id, i) => [id, i]));
  const { lastSeq: seq0 } = await json<{ lastSeq: number }>(`${mapflow}/__sim/changes?since=0&entity=none`);

  // ---- the gateway, core 0, inspector on a loopback port
  const gateway = await startGateway({
    root,
    port: ports.gateway,
    inspect: true,
    wrap: onCore0,
    env: {
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      // 10,000 subscriptions from one address: the limiter stays on with an allowance they cannot reach.
      RATE_LIMIT_PER_IP: '1000000000',
      MAPFLOW_URL: `${mapflow}/rest`,
      MAPFLOW_TOKEN: TENANT.token,
      FLAI_URL: `http://127.0.0.1:${ports.flai}`,
      FLAI_TOKEN: FLAI_DEMO_TENANTS[0].token,
      CUPIX_URL: `http://127.0.0.1:${ports.cupix}/api/v1`,
      CUPIX_TOKEN: CUPIX_DEMO_TENANTS[0].token,
      STATUS_POLL_RUNNING_MS: String(S.pollMs),
      STATUS_POLL_QUEUED_MS: String(S.pollMs),
      STATUS_POLL_IDLE_MS: String(S.pollMs),
      STATUS_MAX_WATCHERS_PER_CREDENTIAL: String(S.jobs),
      STATUS_MAX_SUBSCRIPTIONS_PER_CONNECTION: String(Math.max(100, perConn)),
    },
  });
  children.push(gateway);
  const inspectorUrl = gateway.inspectorUrl!;
  const wsUrl = `ws://127.0.0.1:${ports.gateway}/graphql`;
  const newClient = () => createClient({ url: wsUrl, webSocketImpl: WebSocket, retryAttempts: 0, lazy: true });

  // Warm-up: one subscription through every layer, then gone (its watcher stops with it).
  {
    const c = newClient();
    let got = false;
    const off = c.subscribe<JobsUpdatedData>({ query: QUERY, variables: { refs: [{ source: 'MAPFLOW', type: 'Processing', id: jobIds[0] }] } }, { next: () => (got = true), error: () => (got = true), complete: () => {} });
    await until(() => got, 30_000, 'warm-up event');
    off();
    await c.dispose();
    await sleep(500);
  }
  const inspector = await inspect(inspectorUrl);
  const before = { ...(await inspector.gcAndMeasure()), vmRss: rssBytes(gateway.pid) };

  // ---- 10,000 subscriptions: subscription s watches job s % jobs on connection floor(s / perConn)
  const deliveries: Delivery[] = [];
  const payloads = new Map<string, string>();
  const firstSeen = new Uint8Array(subscriptions);
  const completed = new Uint8Array(subscriptions);
  const failures: string[] = [];
  let firstCount = 0;
  let completeCount = 0;
  const subIds: string[] = Array.from({ length: subscriptions }, () => randomUUID());
  for (let c = 0; c < S.connections; c++) clients.push(newClient());
  const subscribeOne = (s: number) => {
    const job = s % S.jobs;
    clients[Math.floor(s / perConn)].subscribe<JobsUpdatedData>(
      { query: QUERY, variables: { refs: [{ source: 'MAPFLOW', type: 'Processing', id: jobIds[job] }] } },
      {
        next: (r: ExecutionResult<JobsUpdatedData>) => {
          const recv = now();
          const e = r.data?.jobsUpdated;
          if (!e) {
            failures.push(JSON.stringify(r.errors ?? r).slice(0, 300));
            return;
          }
          const first = !firstSeen[s];
          if (first) {
            firstSeen[s] = 1;
            firstCount++;
          }
          const at = Date.parse(e.at);
          const d: Delivery = { sub: s, job, recv, at, status: e.job.upstreamStatus, percent: e.job.percentCompleted ?? 0, first };
          deliveries.push(d);
          if (!first) {
            const key = `${job}|${at}|${d.status}|${d.percent}`;
            if (!payloads.has(key)) payloads.set(key, JSON.stringify(r));
          }
        },
        error: (err: unknown) => failures.push(err instanceof Error ? err.message : JSON.stringify(err).slice(0, 300)),
        complete: () => {
          if (!completed[s]) completeCount++;
          completed[s] = 1;
        },
      },
    );
  };
  const t0 = now();
  const batch = 1_000;
  for (let s0 = 0; s0 < subscriptions; s0 += batch) {
    for (let s = s0; s < Math.min(subscriptions, s0 + batch); s++) subscribeOne(s);
    await until(() => firstCount >= Math.min(subscriptions, s0 + batch) || failures.length > 0, 60_000, `first events of ${s0 + batch} subscriptions`);
    if (failures.length) throw new Error(`subscriptions failed: ${failures.slice(0, 3).join(' | ')}`);
  }
  const subscribeSeconds = (now() - t0) / 1000;
  console.log(`  ${subscriptions} subscriptions live in ${fmt(subscribeSeconds, 1)} s`);
  // Idle polling (clock frozen, nothing changes): the gateway's CPU per poll, to separate it from fan-out.
  await json(`${mapflow}/__sim/stats`, { method: 'DELETE' });
  const idleCpu0 = cpuMs(gateway.pid);
  const idleT0 = now();
  await sleep(3 * S.pollMs);
  const idleCpu = cpuMs(gateway.pid) - idleCpu0;
  const idlePolls = (await json<{ byRoute: Record<string, number> }>(`${mapflow}/__sim/stats`)).byRoute[ONE_PROCESSING] ?? 0;
  const idlePerInterval = (idlePolls * S.pollMs) / (now() - idleT0);
  const cpuMsPerPoll = idleCpu / Math.max(1, idlePolls);
  const after = { ...(await inspector.gcAndMeasure()), vmRss: rssBytes(gateway.pid) };
  inspector.close();
  const memory = {
    before,
    after,
    heapBytesPerSubscription: (after.heapUsed - before.heapUsed) / subscriptions,
    rssBytesPerSubscription: (after.vmRss - before.vmRss) / subscriptions,
  };
  console.log(`  memory per subscription: heap ${fmt(memory.heapBytesPerSubscription / 1024)} KB, RSS ${fmt(memory.rssBytesPerSubscription / 1024)} KB (after GC)`);

  // ---- run the clock; count polls while every job is running
  deliveries.length = 0; // only changes from here on (the first events were each job's initial state)
  const cpu0 = cpuMs(gateway.pid);
  const gwLoad = loadMeter([gateway.pid, sims.pid]);
  const runStart = now();
  await json(`${mapflow}/__sim/clock`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ timeScale: S.timeScale }) });
  const windowStart = runStart + 2 * S.pollMs;
  const windowEnd = runStart + S.minRunVirtualMs / S.timeScale - S.pollMs;
  if (windowEnd - windowStart < 3 * S.pollMs) throw new Error('bench/subscriptions: the poll window is too short for this time scale and interval');
  const readPolls = async () => {
    const st = await json<{ byRoute: Record<string, number> }>(`${mapflow}/__sim/stats`);
    return { at: now(), one: st.byRoute[ONE_PROCESSING] ?? 0, byRoute: st.byRoute };
  };
  await json(`${mapflow}/__sim/stats`, { method: 'DELETE' });
  await sleep(windowStart - now());
  const samples = [await readPolls()];
  while (now() + S.pollMs <= windowEnd) {
    await sleep(samples[0].at + samples.length * S.pollMs - now());
    samples.push(await readPolls());
  }
  const first = samples[0];
  const last = samples[samples.length - 1];
  const windowMs = last.at - first.at;
  const windowPolls = last.one - first.one;
  const perIntervalSamples = samples.slice(1).map((x, i) => ((x.one - samples[i].one) * S.pollMs) / (x.at - samples[i].at));
  const incomplete = subscriptions - completeCount;
  const polls = {
    distinctJobs: S.jobs,
    windowMs,
    intervals: windowMs / S.pollMs,
    polls: windowPolls,
    perInterval: (windowPolls * S.pollMs) / windowMs,
    ratio: (windowPolls * S.pollMs) / windowMs / S.jobs,
    perIntervalSamples,
    otherUpstreamCalls: Object.fromEntries(Object.entries(last.byRoute).filter(([r]) => r !== ONE_PROCESSING).map(([r, n]) => [r, n - (first.byRoute[r] ?? 0)])),
    idleCpuMsPerPoll: cpuMsPerPoll,
    idlePerInterval,
  };
  console.log(`  polls per ${S.pollMs} ms: ${fmt(polls.perInterval, 1)} for ${S.jobs} distinct jobs (${incomplete} subscriptions still open at the window's end)`);

  // ---- until every subscription has completed (every processing OK)
  await until(() => completeCount >= subscriptions || failures.length > 0, S.maxRunVirtualMs / S.timeScale + 20_000, 'completion of every subscription');
  if (failures.length) throw new Error(`subscriptions failed: ${failures.slice(0, 3).join(' | ')}`);
  const runMs = now() - runStart;
  const gatewayCpu = cpuMs(gateway.pid) - cpu0;
  const gwCores = gwLoad();
  const runPolls = (await readPolls()).one;
  await Promise.allSettled(clients.map((c) => c.dispose()));
  clients.length = 0;

  // ---- match each delivery to the upstream change it reflects
  const { changes } = await json<{ changes: Change[] }>(`${mapflow}/__sim/changes?since=${seq0}&entity=processing&tenant=${TENANT.name}`);
  /** Per job: its states after each change, in order, with the change's wall-clock time. */
  const timelines: { at: number; status: string; percent: number }[][] = jobIds.map(() => []);
  const current = jobIds.map(() => ({ status: 'UNPROCESSED', percent: 0 }));
  for (const c of changes) {
    const j = jobIndex.get(c.id);
    if (j === undefined) continue;
    const cur = current[j];
    if (c.field === 'status') cur.status = String(c.to);
    else if (c.field === 'percentCompleted') cur.percent = Number(c.to);
    else continue;
    const tl = timelines[j];
    const lastState = tl[tl.length - 1];
    if (lastState && lastState.at === c.at) Object.assign(lastState, cur);
    else tl.push({ at: c.at, ...cur });
  }
  const expected = timelines.reduce((n, tl) => n + tl.length, 0) * S.perJob;
  const endToEnd: number[] = [];
  const pollWait: number[] = [];
  const fanOut: number[] = [];
  const seen = new Set<string>();
  let unmatched = 0;
  let duplicates = 0;
  for (const d of deliveries) {
    const k = timelines[d.job].findIndex((st) => st.status === d.status && st.percent === d.percent);
    if (k < 0) {
      unmatched++;
      continue;
    }
    const key = `${d.sub}|${k}`;
    if (seen.has(key)) {
      duplicates++;
      continue;
    }
    seen.add(key);
    const changeAt = timelines[d.job][k].at;
    endToEnd.push(d.recv - changeAt);
    pollWait.push(d.at - changeAt);
    fanOut.push(d.recv - d.at);
  }
  const delivery = {
    endToEndMs: dist(endToEnd),
    pollWaitMs: dist(pollWait),
    fanOutMs: dist(fanOut),
    expected,
    delivered: seen.size,
    unmatched,
    duplicates,
    missing: expected - seen.size,
    gatewayCpuMs: gatewayCpu,
    polls: runPolls,
    /** The run's gateway CPU minus its polls (at the idle CPU per poll), per delivery. */
    gatewayCpuMsPerDelivery: (gatewayCpu - runPolls * cpuMsPerPoll) / Math.max(1, deliveries.length),
    cores: gwCores,
  };
  console.log(
    `  delivery: ${seen.size}/${expected} state events in ${fmt(runMs / 1000, 1)} s; change → client p50 ${fmt(delivery.endToEndMs.p50, 0)} ms, p99 ${fmt(delivery.endToEndMs.p99, 0)} ms; poll → client p50 ${fmt(delivery.fanOutMs.p50, 1)} ms, p99 ${fmt(delivery.fanOutMs.p99, 1)} ms`,
  );
  await gateway.stop();

  // ---- the same payloads through a plain `ws` broadcaster, on the gateway's schedule
  const plainWs = await plainBroadcast(root, onCore0, children, deliveries, payloads, subIds, perConn);
  console.log(`  plain ws: ${plainWs.delivered}/${plainWs.expected} delivered; send → client p50 ${fmt(plainWs.fanOutMs.p50, 1)} ms, p99 ${fmt(plainWs.fanOutMs.p99, 1)} ms`);

  const ratio = delivery.fanOutMs.p99 / plainWs.fanOutMs.p99;
  console.log(`  fan-out p99 ÷ plain ws: ${fmt(ratio)}`);
  return {
    settings: { ...S, subscriptions, subscriptionsPerConnection: perConn },
    polls,
    delivery,
    plainWs,
    fanOutP99Ratio: ratio,
    fanOutP50Ratio: delivery.fanOutMs.p50 / plainWs.fanOutMs.p50,
    fanOutRounds: [],
    fanOutP99RatioMedian: ratio,
    cpuPerDeliveryRatio: delivery.gatewayCpuMsPerDelivery / plainWs.cpuMsPerMessage,
    memory,
    subscribeSeconds,
  };
}

async function plainBroadcast(
  root: string,
  onCore0: (args: string[]) => [string, string[]],
  children: Child[],
  deliveries: Delivery[],
  payloads: Map<string, string>,
  subIds: string[],
  perConn: number,
): Promise<NonNullable<SubscriptionBenchResult['plainWs']>> {
  const subscriptions = subIds.length;
  // On the gateway's Node (BENCH_NODE), so that the ratio compares servers on one runtime.
  const [cmd, args] = onCore0([SERVER_NODE, ...startFlags(root), '--import', 'tsx', join(HERE, 'subscriptions.ts'), '--plain-ws-server']);
  const server = startChild('plain-ws', cmd, args, {}, root);
  children.push(server);
  const port = Number((await server.waitFor(/plain-ws listening on (\d+)/, 30_000))[1]);

  const subscribers: [number, string][][] = Array.from({ length: S.jobs }, () => []);
  for (let s = 0; s < subscriptions; s++) subscribers[s % S.jobs].push([Math.floor(s / perConn), subIds[s]]);
  const events: { at: number; job: number; payload: string }[] = [];
  for (const [key, payload] of payloads) {
    const [job, at] = key.split('|').map(Number);
    events.push({ at, job, payload });
  }
  const atBase = Math.min(...events.map((e) => e.at));
  const expected = events.reduce((n, e) => n + subscribers[e.job].length, 0);
  const gatewayDeliveries = deliveries.length;

  const delays: number[] = [];
  let received = 0;
  let start = Number.NaN;
  const early: number[] = [];
  const sockets = await Promise.all(
    Array.from({ length: Math.ceil(subscriptions / perConn) }, (_, c) => {
      const ws = new WebSocket(`ws://127.0.0.1:${port}/ws?c=${c}`);
      ws.on('message', (data: Buffer) => {
        const recv = now();
        const msg = JSON.parse(data.toString()) as { id: string; payload: ExecutionResult<JobsUpdatedData> };
        const at = msg.payload.data ? Date.parse(msg.payload.data.jobsUpdated.at) : Number.NaN;
        received++;
        if (Number.isNaN(start)) early.push(recv - at);
        else delays.push(recv - (start + at - atBase));
      });
      return new Promise<WebSocket>((resolve, reject) => {
        ws.once('open', () => resolve(ws));
        ws.once('error', reject);
      });
    }),
  );
  const plainLoad = loadMeter([server.pid]);
  const serverCpu0 = cpuMs(server.pid);
  const schedule: PlainSchedule = { subscribers, events: events.map((e) => ({ t: e.at - atBase, job: e.job, payload: e.payload })), startInMs: 1_000 };
  const answer = await json<{ start: number; sockets: number }>(`http://127.0.0.1:${port}/schedule`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(schedule) });
  start = answer.start;
  const span = Math.max(...schedule.events.map((e) => e.t));
  await until(() => received >= expected, span + 1_000 + 30_000, 'plain ws deliveries');
  const cores = plainLoad();
  const cpuMsPerMessage = (cpuMs(server.pid) - serverCpu0) / Math.max(1, received);
  for (const ws of sockets) ws.terminate();
  await server.stop();
  if (early.length) throw new Error('plain ws: messages before the schedule started');
  if (expected !== gatewayDeliveries) console.log(`  note: plain ws replays ${expected} messages, the gateway delivered ${gatewayDeliveries}`);
  return { fanOutMs: dist(delays), delivered: received, expected, cores, cpuMsPerMessage };
}

function rowsOf(r: SubscriptionBenchResult): string[][] {
  const rounds = r.fanOutRounds.map((x) => x.p99Ratio);
  const p = r.polls;
  const d = r.delivery;
  const kb = (b: number) => fmt(b / 1024, 1);
  const spread = p.perIntervalSamples.length ? `${fmt(Math.min(...p.perIntervalSamples) / p.distinctJobs)}–${fmt(Math.max(...p.perIntervalSamples) / p.distinctJobs)}` : '—';
  return [
    [
      `Subscriptions (${r.settings.subscriptions} on ${p.distinctJobs} jobs): upstream polls per interval ÷ distinct jobs`,
      `${fmt(p.perInterval, 1)} polls / ${r.settings.pollMs} ms (idle: ${fmt(p.idlePerInterval, 1)})`,
      `${p.distinctJobs} jobs`,
      `${fmt(p.ratio)} (idle ${fmt(p.idlePerInterval / p.distinctJobs)})`,
      spread,
      '1.0',
    ],
    [
      'Subscriptions: upstream change → client delay, p50 / p99',
      `${fmt(d.endToEndMs.p50, 0)} / ${fmt(d.endToEndMs.p99, 0)} ms`,
      `poll interval ${r.settings.pollMs} ms`,
      `${fmt(d.endToEndMs.p99 / r.settings.pollMs)} (p99 ÷ interval)`,
      `${d.delivered}/${d.expected} events`,
      '—',
    ],
    [
      'Subscription fan-out (poll answer → client) p99 ÷ plain ws',
      `p99 ${fmt(d.fanOutMs.p99, 1)} ms (p50 ${fmt(d.fanOutMs.p50, 1)}), median round`,
      r.plainWs ? `p99 ${fmt(r.plainWs.fanOutMs.p99, 1)} ms (p50 ${fmt(r.plainWs.fanOutMs.p50, 1)})` : '—',
      fmt(r.fanOutP99RatioMedian),
      `${fmt(Math.min(...rounds))}–${fmt(Math.max(...rounds))}; rounds ${rounds.map((x) => fmt(x)).join(', ')}; ${rounds.filter((x) => x <= 2).length} of ${rounds.length} rounds ≤ 2.0`,
      '≤ 2.0 in every round',
    ],
    [
      'Subscription fan-out CPU per delivery ÷ plain ws per message',
      `${fmt(d.gatewayCpuMsPerDelivery, 3)} ms`,
      r.plainWs ? `${fmt(r.plainWs.cpuMsPerMessage, 3)} ms` : '—',
      fmt(r.cpuPerDeliveryRatio),
      '—',
      '—',
    ],
    ['Memory per subscription (after GC)', `${kb(r.memory.heapBytesPerSubscription)} KB heap · ${kb(r.memory.rssBytesPerSubscription)} KB RSS`, '—', '—', '—', '≤ 20 KB'],
  ];
}

function notesOf(r: SubscriptionBenchResult): string[] {
  const d = r.delivery;
  const rounds = r.fanOutRounds;
  return [
    `Subscriptions: ${rounds.length} rounds of the whole scenario, each with fresh simulators, gateway and plain ws server; fan-out p99 per round ${rounds.map((x) => `${fmt(x.gatewayP99Ms, 1)} ÷ ${fmt(x.plainP99Ms, 1)} ms = ${fmt(x.p99Ratio)}`).join(', ')} (p50 ratios ${rounds.map((x) => fmt(x.p50Ratio)).join(', ')}); the figures below and the other rows are the median round's. ` +
      `${r.settings.subscriptions} \`jobsUpdated\` subscriptions (${r.settings.perJob} per Mapflow processing, ${r.settings.subscriptionsPerConnection} per graphql-ws connection, ${r.settings.connections} connections) on one gateway process; polls every ${r.settings.pollMs} ms; simulator clock ×${r.settings.timeScale}. ` +
      `Polls = the simulator's \`${ONE_PROCESSING}\` counter over ${fmt(r.polls.windowMs / 1000, 1)} s while all ${r.polls.distinctJobs} jobs ran (each watcher's period is the interval plus its upstream round trip, so slightly under 1.0); with the clock frozen (nothing to deliver) the same subscriptions made ${fmt(r.polls.idlePerInterval, 1)} polls per interval. ` +
      `Delay = \`/__sim/changes\` time of each state → its arrival at each subscriber (poll wait p50 ${fmt(d.pollWaitMs.p50, 0)} ms, p99 ${fmt(d.pollWaitMs.p99, 0)} ms of it); ${d.missing} missing, ${d.duplicates} duplicate, ${d.unmatched} unmatched events. ` +
      `Fan-out = the event's \`at\` (when the answer of the poll that found it arrived; the vendor round trip is in the poll wait) → client, against a plain \`ws\` server on core 0 replaying the same payloads to the same sockets on the same schedule; gateway CPU ${fmt(d.gatewayCpuMs / 1000, 1)} s for ${d.delivered} deliveries and ${d.polls} polls: ${fmt(r.polls.idleCpuMsPerPoll, 3)} ms per poll (measured idle), ${fmt(d.gatewayCpuMsPerDelivery, 3)} ms per delivery; core 0 ${fmt(d.cores.core0 * 100, 0)}% / core 1 ${fmt(d.cores.core1 * 100, 0)}% busy during the run, other jobs on the machine ${fmt(d.cores.foreignCores)} cores` +
      (r.plainWs ? ` (plain ws run: ${fmt(r.plainWs.cores.core0 * 100, 0)}% / ${fmt(r.plainWs.cores.core1 * 100, 0)}%, other jobs ${fmt(r.plainWs.cores.foreignCores)} cores).` : '.') +
      ` Memory = (heapUsed, VmRSS) after ${r.settings.subscriptions} subscriptions − before, after a GC through the inspector, ÷ ${r.settings.subscriptions}: it includes the ${r.polls.distinctJobs} watchers and ${r.settings.connections} sockets (heap ${fmt(r.memory.before.heapUsed / 2 ** 20, 1)} → ${fmt(r.memory.after.heapUsed / 2 ** 20, 1)} MB, RSS ${fmt(r.memory.before.vmRss / 2 ** 20, 1)} → ${fmt(r.memory.after.vmRss / 2 ** 20, 1)} MB).`,
  ];
}

// ---------------------------------------------------------------- standalone

const isMain = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isMain && process.argv.includes('--plain-ws-server')) {
  await plainWsServer();
} else if (isMain) {
  const hasTaskset = spawnSync('taskset', ['--version'], { stdio: 'ignore' }).error === undefined;
  const pinned = hasTaskset && cpus().length >= 2;
  if (pinned && process.env.BENCH_PINNED !== '1') {
    const r = spawnSync('taskset', ['-c', '1', process.execPath, ...process.execArgv, ...process.argv.slice(1)], { stdio: 'inherit', env: { ...process.env, BENCH_PINNED: '1' } });
    process.exit(r.status ?? 1);
  }
  const report = await runSubscriptionBench({ pinned });
  const header = ['figure', 'gateway', 'floor / minimum', 'ratio (median)', 'spread (min–max)', 'target'];
  console.log(`\n${[header, header.map(() => '---'), ...report.rows].map((row) => `| ${row.join(' | ')} |`).join('\n')}\n\n${report.notes.join('\n')}`);
  console.log(JSON.stringify(report.result, (k, v: unknown) => (k === 'perIntervalSamples' && Array.isArray(v) ? v.map((x: number) => Math.round(x)) : v)));
  process.exit(0);
}
