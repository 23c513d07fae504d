/**
 * Where the latency p99 of `npm run bench` comes from (issue 17): the latency part's setting (every
 * vendor call delayed 10 ms, an open loop at half of the gateway's saturation, gateway and floor on
 * core 0, simulators and this load generator on core 1), with every server process watched by
 * bench/tail-probe.mjs (GC pauses, event-loop stalls, requests served, vendor calls made) and each
 * request of the load tagged with an `x-request-id`. For the slowest 1 % of requests of each run, and
 * for all of them, it prints what their time was spent on: before the server read the request, in
 * the server, after; how many of them overlapped a GC pause (scavenge, mark-compact) or an event-loop
 * stall of the server, of the simulators or of this process; the vendor calls' wait for a connection
 * and round trip.
 *
 *   npx tsx bench/diagnose-tail.ts            (after `npm run build`)
 *
 * Settings: TAIL_OPERATIONS (SingleProcessing,Dashboard), TAIL_ROUNDS (3), TAIL_DURATION_MS (6000),
 * TAIL_RATE_<operation> (requests per second; default half of the gateway's saturation, measured as
 * bench/latency.ts does), BENCH_LATENCY_VENDOR_MS (10), TAIL_SERVERS (gateway,floor),
 * TAIL_GATEWAY_FLAGS (more Node flags for the gateway, e.g. `--trace-gc` or `--cpu-prof`),
 * TAIL_GATEWAY_LOG (a file to append the gateway's output lines to, each with its epoch ms),
 * TAIL_COMPARE_MAIN (the main.js of another build, e.g. a copy of `dist/` from before a change: it
 * runs as server `compare`, e.g. TAIL_SERVERS=gateway,compare,floor, in the same rounds).
 */
import { spawnSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { print } from 'graphql';
import { Pool } from 'undici';
import { CUPIX_DEMO_TENANTS } from '../src/simulators/cupix/index.js';
import { FLAI_DEMO_TENANTS } from '../src/simulators/flai/index.js';
import { MAPFLOW_DEMO_TENANTS } from '../src/simulators/mapflow/index.js';
import { DashboardDocument, SingleProcessingDocument } from '../test/generated/graphql.js';
import { closedLoop, type Target } from './load.js';
import { cpuMs, freePort, loadMeter, median, percentile, startFlags } from './measure.js';
import { startChild, waitHttp, type Child } from './process.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const num = (name: string, def: number) => {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v > 0 ? v : def;
};
const ROUNDS = num('TAIL_ROUNDS', 3);
const DURATION_MS = num('TAIL_DURATION_MS', 6_000);
const VENDOR_MS = num('BENCH_LATENCY_VENDOR_MS', 10);
const OPERATIONS = (process.env.TAIL_OPERATIONS ?? 'SingleProcessing,Dashboard').split(',');
type ServerName = 'gateway' | 'compare' | 'floor';
const SERVERS = (process.env.TAIL_SERVERS ?? 'gateway,floor').split(',') as ServerName[];
const COMPARE_MAIN = process.env.TAIL_COMPARE_MAIN;
const unknownServer = SERVERS.find((s) => !['gateway', 'compare', 'floor'].includes(s));
if (unknownServer !== undefined) throw new Error(`TAIL_SERVERS: "${unknownServer}" is not gateway, compare or floor`);
if (SERVERS.includes('compare') && !COMPARE_MAIN) throw new Error('TAIL_SERVERS names `compare`: set TAIL_COMPARE_MAIN');

const pinned = spawnSync('taskset', ['--version'], { stdio: 'ignore' }).error === undefined && cpus().length >= 2;
if (pinned && process.env.BENCH_PINNED !== '1') {
  const r = spawnSync('taskset', ['-c', '1', process.execPath, ...process.execArgv, ...process.argv.slice(1)], { stdio: 'inherit', env: { ...process.env, BENCH_PINNED: '1' } });
  process.exit(r.status ?? 1);
}
const onCore = (core: number, args: string[]): [string, string[]] => (pinned ? ['taskset', ['-c', String(core), ...args]] : [args[0], args.slice(1)]);

// ---------------------------------------------------------------- this process's own stalls

const now = () => performance.timeOrigin + performance.now();
let selfStalls: Stall[] = [];
{
  let expected = performance.now() + 2;
  setInterval(() => {
    const t = performance.now();
    if (t - expected > 3) selfStalls.push({ at: performance.timeOrigin + expected, ms: t - expected });
    expected = t + 2;
  }, 2).unref();
}

// ---------------------------------------------------------------- processes

interface Stall {
  at: number;
  ms: number;
  /** CPU the process used over the stall and the 2 ms tick before it (bench/tail-probe.mjs). */
  cpu?: number;
}
interface Probe {
  pid: number;
  gc: { at: number; ms: number; kind: number }[];
  stalls: Stall[];
  served: { id?: string; start: number; end: number }[];
  calls: { create: number; sent: number; headers: number; origin: string }[];
  eventLoopDelay: { p50: number; p99: number; p999: number; max: number; mean: number };
}

const dir = mkdtempSync(join(tmpdir(), 'tail-'));
const probe = join(ROOT, 'bench/tail-probe.mjs');
const children: Child[] = [];
process.once('exit', () => {
  for (const c of children) c.proc.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
});

const ports = { mapflow: await freePort(), flai: await freePort(), cupix: await freePort(), gateway: await freePort(), compare: await freePort(), floor: await freePort() };
const origin = (p: number) => `http://127.0.0.1:${p}`;
const FLAGS = startFlags(ROOT);
const GATEWAY_FLAGS = (process.env.TAIL_GATEWAY_FLAGS ?? '').split(/\s+/).filter(Boolean);
const gatewayLog = process.env.TAIL_GATEWAY_LOG;
const probed = (name: string, core: number, args: string[], env: Record<string, string>) => {
  const extra = name === 'gateway' ? GATEWAY_FLAGS : [];
  const [cmd, a] = onCore(core, [process.execPath, ...FLAGS, ...extra, '--import', probe, ...args]);
  const onLine = name === 'gateway' && gatewayLog ? (line: string) => appendFileSync(gatewayLog, `${now().toFixed(1)} ${line}\n`) : undefined;
  const c = startChild(name, cmd, a, { ...env, TAIL_PROBE_OUT: join(dir, `${name}.json`) }, ROOT, { onLine, echo: (l) => /\b(error|fatal)\b/i.test(l) });
  children.push(c);
  return c;
};
const sims = probed('simulators', 1, [join(ROOT, 'dist/simulators/main.js')], {
  SIM_HOST: '127.0.0.1',
  SIM_TIME_SCALE: '0',
  SIM_MAPFLOW_PORT: String(ports.mapflow),
  SIM_FLAI_PORT: String(ports.flai),
  SIM_CUPIX_PORT: String(ports.cupix),
});
await sims.waitFor(/Cupix\s+http/, 30_000);
const vendorEnv = {
  MAPFLOW_URL: `${origin(ports.mapflow)}/rest`,
  MAPFLOW_TOKEN: MAPFLOW_DEMO_TENANTS[0].token,
  FLAI_URL: origin(ports.flai),
  FLAI_TOKEN: FLAI_DEMO_TENANTS[0].token,
  CUPIX_URL: `${origin(ports.cupix)}/api/v1`,
  CUPIX_TOKEN: CUPIX_DEMO_TENANTS[0].token,
  NODE_ENV: 'production',
};
const gatewayEnv = (port: number) => ({ ...vendorEnv, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', RATE_LIMIT_PER_IP: '1000000000' });
const gateway = probed('gateway', 0, [join(ROOT, 'dist/main.js')], gatewayEnv(ports.gateway));
const compare = SERVERS.includes('compare') ? probed('compare', 0, [COMPARE_MAIN!], gatewayEnv(ports.compare)) : null;
const floor = probed('floor', 0, ['--import', 'tsx', join(ROOT, 'bench/floor-server.ts')], { ...vendorEnv, PORT: String(ports.floor) });
await floor.waitFor(/floor listening/, 30_000);
await waitHttp(`${origin(ports.gateway)}/healthz`);
if (compare) await waitHttp(`${origin(ports.compare)}/healthz`);
/** `compare` is measured as a gateway (bench/load.ts knows gateway, floor and stack). */
const targets: Partial<Record<ServerName, Target & { child: Child }>> = {
  gateway: { name: 'gateway', origin: origin(ports.gateway), pid: gateway.pid, child: gateway },
  ...(compare ? { compare: { name: 'gateway' as const, origin: origin(ports.compare), pid: compare.pid, child: compare } } : {}),
  floor: { name: 'floor', origin: origin(ports.floor), pid: floor.pid, child: floor },
};
const target = (s: ServerName) => targets[s]!;

/** Asks each probe for its records (and resets them). */
async function collect(child: Child, name: string): Promise<Probe> {
  const file = join(dir, `${name}.json`);
  rmSync(file, { force: true });
  child.proc.kill('SIGUSR2');
  for (let i = 0; i < 500; i++) {
    try {
      return JSON.parse(readFileSync(file, 'utf8')) as Probe;
    } catch {
      await new Promise((r) => setTimeout(r, 10));
    }
  }
  throw new Error(`${name}: no probe report`);
}

// ---------------------------------------------------------------- load

const operation = (doc: typeof SingleProcessingDocument | typeof DashboardDocument, variables: object, name: string) => JSON.stringify({ query: print(doc), variables, operationName: name });
const bodies: Record<string, string> = {
  SingleProcessing: operation(SingleProcessingDocument, { id: '65285409-ac88-4fc0-a937-193cf42c2343' }, 'SingleProcessing'),
  Dashboard: operation(DashboardDocument, {}, 'Dashboard'),
};

interface Sample {
  id: string;
  due: number;
  done: number;
  ok: boolean;
}

/** bench/load.ts's open loop, each request tagged with an x-request-id and its due and answer times kept. */
async function openLoop(pool: Pool, body: string, rate: number, durationMs: number, tag: string): Promise<Sample[]> {
  const total = Math.max(1, Math.floor((rate * durationMs) / 1000));
  const interval = 1000 / rate;
  const samples: Sample[] = [];
  const pending: Promise<void>[] = [];
  const start = performance.now() + 5;
  const send = async (k: number, due: number) => {
    const id = `${tag}-${k}`;
    let ok = false;
    try {
      const res = await pool.request({ method: 'POST', path: '/graphql', headers: { 'content-type': 'application/json', 'x-request-id': id }, body, headersTimeout: 10_000, bodyTimeout: 10_000 });
      const text = await res.body.text();
      ok = res.statusCode === 200 && !text.includes('"errors"');
    } catch {
      ok = false;
    }
    samples.push({ id, due: performance.timeOrigin + due, done: now(), ok });
  };
  for (let k = 0; k < total; ) {
    const t = performance.now();
    for (; k < total && start + k * interval <= t; k++) pending.push(send(k, start + k * interval));
    if (k < total) await new Promise((r) => setTimeout(r, Math.max(0, start + k * interval - performance.now())));
  }
  await Promise.all(pending);
  return samples;
}

// ---------------------------------------------------------------- analysis

const fmt = (n: number, d = 1) => (Number.isFinite(n) ? n.toFixed(d) : 'n/a');
/** ms of `events` (pauses/stalls) inside [a, b]. */
const overlap = (events: { at: number; ms: number }[], a: number, b: number) => events.reduce((s, e) => s + Math.max(0, Math.min(b, e.at + e.ms) - Math.max(a, e.at)), 0);
const kinds: Record<number, string> = { 1: 'scavenge', 2: 'mark-compact', 4: 'incremental', 8: 'weak-cb' };

function analyse(server: string, samples: Sample[], p: Probe, simProbe: Probe, self: Stall[], seconds: number) {
  const lat = samples.map((s) => s.done - s.due);
  const p50 = percentile(lat, 50);
  const p99 = percentile(lat, 99);
  const slow = samples.filter((s) => s.done - s.due >= p99);
  const servedById = new Map(p.served.filter((r) => r.id).map((r) => [r.id!, r]));
  const parts = (set: Sample[]) => {
    const pre: number[] = [];
    const inServer: number[] = [];
    const post: number[] = [];
    for (const s of set) {
      const r = servedById.get(s.id);
      if (!r) continue;
      pre.push(r.start - s.due);
      inServer.push(r.end - r.start);
      post.push(s.done - r.end);
    }
    return { pre: median(pre), inServer: median(inServer), post: median(post) };
  };
  const major = p.gc.filter((g) => g.kind === 2);
  const minor = p.gc.filter((g) => g.kind === 1);
  const share = (set: Sample[], events: { at: number; ms: number }[]) => {
    const hits = set.map((s) => overlap(events, s.due, s.done));
    return { any: hits.filter((h) => h > 0).length / set.length, meanMs: hits.reduce((a, b) => a + b, 0) / set.length };
  };
  const row = (label: string, set: Sample[]) => {
    const pt = parts(set);
    const g1 = share(set, minor);
    const g2 = share(set, major);
    const st = share(set, p.stalls);
    const ss = share(set, simProbe.stalls);
    const ls = share(set, self);
    return `    ${label.padEnd(9)} n=${String(set.length).padStart(5)}  pre ${fmt(pt.pre)} · server ${fmt(pt.inServer)} · post ${fmt(pt.post)} ms | scavenge ${fmt(g1.any * 100, 0)}% (${fmt(g1.meanMs)} ms) · mark-compact ${fmt(g2.any * 100, 0)}% (${fmt(g2.meanMs)} ms) · server stall ${fmt(st.any * 100, 0)}% (${fmt(st.meanMs)} ms) · sim stall ${fmt(ss.any * 100, 0)}% (${fmt(ss.meanMs)} ms) · loadgen stall ${fmt(ls.any * 100, 0)}% (${fmt(ls.meanMs)} ms)`;
  };
  const gcTotals = Object.entries(kinds)
    .map(([k, name]) => {
      const xs = p.gc.filter((g) => g.kind === Number(k));
      return xs.length ? `${name} ${xs.length}× ${fmt(xs.reduce((a, g) => a + g.ms, 0))} ms (max ${fmt(Math.max(...xs.map((g) => g.ms)))})` : '';
    })
    .filter(Boolean)
    .join(', ');
  const stallMax = (xs: Stall[]) => (xs.length ? fmt(Math.max(...xs.map((x) => x.ms))) : '0');
  const stallSum = (xs: Stall[]) => fmt(xs.reduce((a, x) => a + x.ms, 0), 0);
  /** Of the stalls' time, the share the process spent on the CPU (the rest it waited for the core). */
  const busy = (xs: Stall[]) => fmt((100 * xs.reduce((a, x) => a + (x.cpu ?? 0), 0)) / Math.max(1e-9, xs.reduce((a, x) => a + x.ms + 2, 0)), 0);
  const big = p.stalls.filter((x) => x.ms >= 10);
  const q = p.calls.map((c) => c.sent - c.create);
  const rt = p.calls.map((c) => c.headers - c.sent);
  console.log(`  ${server}: p50 ${fmt(p50)} ms, p99 ${fmt(p99)} ms, max ${fmt(Math.max(...lat))} ms, ${samples.filter((s) => !s.ok).length} failed, ${fmt(samples.length / seconds, 0)} rps`);
  console.log(row('all', samples));
  console.log(row('slowest1%', slow));
  console.log(
    `    GC ${gcTotals || 'none'} in ${fmt(seconds)} s; stalls >3 ms: server ${p.stalls.length} (sum ${stallSum(p.stalls)} ms, max ${stallMax(p.stalls)}, on CPU ${busy(p.stalls)}%; ≥10 ms: ${big.length}, sum ${stallSum(big)} ms, on CPU ${busy(big)}%, ${big.filter((x) => overlap(p.gc, x.at, x.at + x.ms) > 0).length} with a GC), simulators ${simProbe.stalls.length} (sum ${stallSum(simProbe.stalls)}, max ${stallMax(simProbe.stalls)}, on CPU ${busy(simProbe.stalls)}%), load generator ${self.length} (sum ${stallSum(self)}, max ${stallMax(self)})`,
  );
  console.log(
    `    event-loop delay (monitorEventLoopDelay) server p50 ${fmt(p.eventLoopDelay.p50, 2)} p99 ${fmt(p.eventLoopDelay.p99, 2)} max ${fmt(p.eventLoopDelay.max, 1)} ms; simulators p99 ${fmt(simProbe.eventLoopDelay.p99, 2)} max ${fmt(simProbe.eventLoopDelay.max, 1)} ms`,
  );
  if (p.calls.length) console.log(`    vendor calls ${p.calls.length}: wait for a connection p50 ${fmt(percentile(q, 50), 2)} p99 ${fmt(percentile(q, 99), 2)} max ${fmt(Math.max(...q))} ms; round trip p50 ${fmt(percentile(rt, 50))} p99 ${fmt(percentile(rt, 99))} max ${fmt(Math.max(...rt))} ms`);
  return { p50, p99 };
}

// ---------------------------------------------------------------- run

const sim = Object.values({ mapflow: ports.mapflow, flai: ports.flai, cupix: ports.cupix }).map(origin);
const faults = (spec: unknown) =>
  Promise.all(sim.map((o) => fetch(`${o}/__sim/faults`, { method: spec ? 'PUT' : 'DELETE', headers: { 'content-type': 'application/json' }, body: spec ? JSON.stringify(spec) : undefined }).then((r) => r.arrayBuffer())));
const pools = Object.fromEntries(SERVERS.map((s) => [s, new Pool(target(s).origin, { connections: 512, pipelining: 1, keepAliveTimeout: 60_000 })])) as Record<ServerName, Pool>;

console.log(`diagnose-tail: ${pinned ? 'gateway and floor on core 0, simulators and load generator on core 1' : 'NOT pinned'}; ${VENDOR_MS} ms per vendor call; ${ROUNDS} rounds × ${DURATION_MS} ms`);
await faults({ latencyMs: VENDOR_MS });
try {
  for (const opName of OPERATIONS) {
    const body = bodies[opName];
    if (!body) throw new Error(`unknown operation ${opName}`);
    let rate = num(`TAIL_RATE_${opName}`, 0);
    if (!rate) {
      const load = { body, others: [sims.pid], round: -1, concurrency: 128, maxRequests: 2_000_000 };
      await closedLoop({ ...load, server: target('gateway'), durationMs: 1_000 });
      rate = (await closedLoop({ ...load, server: target('gateway'), durationMs: 4_000 })).rps / 2;
    }
    console.log(`\n${opName} at ${fmt(rate, 0)} rps`);
    // The same warm-up for every server (the saturation run above warmed the gateway only).
    for (const s of SERVERS) {
      await closedLoop({ body, others: [sims.pid], round: -1, concurrency: 32, maxRequests: 2_000_000, server: target(s), durationMs: 3_000 });
      await openLoop(pools[s], body, rate, 1_000, 'warm');
    }
    const byServer = new Map<ServerName, { p99: number; cpuMsPerRequest: number }[]>(SERVERS.map((s) => [s, []]));
    for (let round = 0; round < ROUNDS; round++) {
      // Each server takes each place in the order in turn.
      for (const s of SERVERS.map((_, i) => SERVERS[(i + round) % SERVERS.length])) {
        const t = target(s);
        for (const c of [t.child, sims]) await collect(c, c === sims ? 'simulators' : s);
        selfStalls = [];
        const m = loadMeter([sims.pid, t.pid]);
        const cpu0 = cpuMs(t.pid);
        const t0 = now();
        const samples = await openLoop(pools[s], body, rate, DURATION_MS, `${s}-${round}`);
        const seconds = (now() - t0) / 1000;
        const other = m();
        const cpuMsPerRequest = (cpuMs(t.pid) - cpu0) / samples.length;
        const p = await collect(t.child, s);
        const sp = await collect(sims, 'simulators');
        console.log(`round ${round + 1} · core 0 ${fmt(other.core0 * 100, 0)}% core 1 ${fmt(other.core1 * 100, 0)}% · other jobs ${fmt(other.foreignCores, 2)} cores · ${s} ${fmt(cpuMsPerRequest, 3)} CPU-ms/req`);
        byServer.get(s)!.push({ ...analyse(s, samples, p, sp, selfStalls, seconds), cpuMsPerRequest });
      }
    }
    const per = (a: ServerName, b: ServerName, f: (x: { p99: number; cpuMsPerRequest: number }) => number) => byServer.get(a)!.map((x, i) => f(x) / f(byServer.get(b)![i]));
    for (const s of SERVERS.filter((x) => x !== 'floor')) {
      if (!SERVERS.includes('floor')) break;
      const r = per(s, 'floor', (x) => x.p99);
      console.log(`${opName}: p99 ${s} ÷ floor per round ${r.map((x) => fmt(x, 2)).join(', ')}; median ${fmt(median(r), 2)}`);
    }
    if (SERVERS.includes('compare')) {
      const p99 = per('gateway', 'compare', (x) => x.p99);
      const cpu = per('compare', 'gateway', (x) => x.cpuMsPerRequest);
      console.log(`${opName}: gateway ÷ compare, p99 per round ${p99.map((x) => fmt(x, 2)).join(', ')} (median ${fmt(median(p99), 2)}); CPU-ms/req compare ÷ gateway ${cpu.map((x) => fmt(x, 2)).join(', ')} (median ${fmt(median(cpu), 2)})`);
    }
  }
} finally {
  await faults(null);
  await Promise.all(Object.values(pools).map((p) => p.close()));
}
process.exit(0);
