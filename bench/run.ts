/**
 * `npm run bench` (issue 3): the gateway against the FLOOR (bench/floor-server.ts), and upstream calls
 * per canonical query against the minimum the vendor APIs allow.
 *
 * Method (issue 7 "Benchmarks"): the gateway and the floor are pinned to core 0, everything else (the
 * simulators, this process = the load generator) to core 1. Each operation is run against both servers
 * in alternating rounds at one fixed concurrency; each run records RPS and the server's CPU-ms per
 * request (utime+stime of /proc/<pid>/stat). Reported: the median ratio gateway ÷ floor and its spread.
 * Loopback only; every run is bounded in time and in requests.
 */
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import { Pool } from 'undici';
import { CUPIX_DEMO_TENANTS } from '../src/simulators/cupix/index.js';
import { FLAI_DEMO_TENANTS } from '../src/simulators/flai/index.js';
import { MAPFLOW_DEMO_TENANTS } from '../src/simulators/mapflow/index.js';
import { runFaultBench } from './faults.js';
import { runSubscriptionBench } from './subscriptions.js';
import {
  DashboardDocument,
  FlowExecutionOutputsDocument,
  PointcloudsWithParentsDocument,
  ProcessingTwiceDocument,
  ProjectAoisDocument,
  ProjectsWithWorkflowsDocument,
  SingleProcessingDocument,
} from '../test/generated/graphql.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const SETTINGS = {
  concurrency: Number(process.env.BENCH_CONCURRENCY ?? 32),
  durationMs: Number(process.env.BENCH_DURATION_MS ?? 3000),
  warmupMs: Number(process.env.BENCH_WARMUP_MS ?? 5000),
  rounds: Number(process.env.BENCH_ROUNDS ?? 5),
  /** Upper bound on requests per run, whatever the duration. */
  maxRequests: 2_000_000,
};
const TARGETS = { SingleProcessing: 0.6, Dashboard: 0.5 } as const;

const PROCESSING = '65285409-ac88-4fc0-a937-193cf42c2343';
const FLOW_EXECUTION = 'df7d6f87-2f00-4e66-9dbd-5636ef486a0e';
const CAPTURE = '1201';
const OAUTH_ME = 'GET /oauth/me';

// ---------------------------------------------------------------- pinning

const hasTaskset = spawnSync('taskset', ['--version'], { stdio: 'ignore' }).error === undefined;
const nproc = cpus().length;
const pinned = hasTaskset && nproc >= 2;
if (pinned && process.env.BENCH_PINNED !== '1') {
  // Re-exec this very script (same node, same tsx loader flags) on core 1.
  const r = spawnSync('taskset', ['-c', '1', process.execPath, ...process.execArgv, ...process.argv.slice(1)], {
    stdio: 'inherit',
    env: { ...process.env, BENCH_PINNED: '1' },
  });
  process.exit(r.status ?? 1);
}
const pinNote = pinned
  ? 'gateway and floor on core 0; simulators and load generator on core 1 (taskset)'
  : `NOT pinned (${hasTaskset ? `only ${nproc} core(s)` : 'taskset missing'}): figures share every core`;
if (!pinned) console.log(`note: ${pinNote}`);

/** `cmd args` on core 0 when pinning, as is otherwise. */
const onServerCore = (args: string[]): [string, string[]] => (pinned ? ['taskset', ['-c', '0', ...args]] : [args[0], args.slice(1)]);

// ---------------------------------------------------------------- processes

const children: ChildProcess[] = [];
function stopAll(): void {
  for (const c of children) if (c.exitCode === null && c.pid) c.kill('SIGTERM');
}
process.once('exit', stopAll);
for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => process.exit(130));

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      s.close(() => resolve(port));
    });
  });
}

/** Spawns a process and waits until `ready` sees its stdout say so (or fails on exit / timeout). */
function start(name: string, cmd: string, args: string[], env: Record<string, string>, ready: RegExp, timeoutMs = 30_000): Promise<{ child: ChildProcess; match: RegExpMatchArray }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`${name} did not start within ${timeoutMs} ms:\n${out}${err}`)), timeoutMs);
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = ready.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, match: m });
      }
    });
    child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited (${code}) before it was ready:\n${out}${err}`));
    });
  });
}

async function waitHttp(url: string, timeoutMs = 30_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > until) throw new Error(`${url} not up within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const CLK_TCK = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
  } catch {
    return 100;
  }
})();

/** utime + stime of a process (all its threads), in ms. */
function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(f[11]) + Number(f[12])) * 1000) / CLK_TCK;
}

const selfCpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/** Busy and total ticks of cores 0 and 1 (everything but idle and iowait, softirq included), from /proc/stat. */
function coreTicks(): { busy: number; total: number }[] {
  const lines = readFileSync('/proc/stat', 'utf8').split('\n');
  return [0, 1].map((n) => {
    const f = (lines.find((l) => l.startsWith(`cpu${n} `)) ?? `cpu${n} 0 0 0 0 0`).trim().split(/\s+/).slice(1).map(Number);
    const total = f.reduce((a, b) => a + b, 0);
    return { busy: total - f[3] - (f[4] ?? 0), total };
  });
}

// ---------------------------------------------------------------- start everything

const ports = { mapflow: await freePort(), flai: await freePort(), cupix: await freePort(), gateway: await freePort(), floor: await freePort() };
const simOrigin = (p: number) => `http://127.0.0.1:${p}`;
const sims = await start(
  'simulators',
  process.execPath,
  [join(ROOT, 'dist/simulators/main.js')],
  { SIM_HOST: '127.0.0.1', SIM_TIME_SCALE: '0', SIM_MAPFLOW_PORT: String(ports.mapflow), SIM_FLAI_PORT: String(ports.flai), SIM_CUPIX_PORT: String(ports.cupix) },
  /Cupix\s+http/,
);
const vendorEnv = {
  MAPFLOW_URL: `${simOrigin(ports.mapflow)}/rest`,
  MAPFLOW_TOKEN: MAPFLOW_DEMO_TENANTS[0].token,
  FLAI_URL: simOrigin(ports.flai),
  FLAI_TOKEN: FLAI_DEMO_TENANTS[0].token,
  CUPIX_URL: `${simOrigin(ports.cupix)}/api/v1`,
  CUPIX_TOKEN: CUPIX_DEMO_TENANTS[0].token,
  NODE_ENV: 'production',
};
const [gwCmd, gwArgs] = onServerCore([process.execPath, join(ROOT, 'dist/main.js')]);
// The rate limiter stays on (its cost is measured) with an allowance the load generator cannot reach.
const gatewayEnv = { ...vendorEnv, PORT: String(ports.gateway), HOST: '127.0.0.1', LOG_LEVEL: 'warn', RATE_LIMIT_PER_IP: '1000000000' };
const gatewayProc = spawn(gwCmd, gwArgs, { cwd: ROOT, env: { ...process.env, ...gatewayEnv }, stdio: ['ignore', 'ignore', 'inherit'] });
children.push(gatewayProc);
const [flCmd, flArgs] = onServerCore([process.execPath, '--import', 'tsx', join(ROOT, 'bench/floor-server.ts')]);
const floor = await start('floor', flCmd, flArgs, { ...vendorEnv, PORT: String(ports.floor) }, /floor listening on (\d+)/);
await waitHttp(`http://127.0.0.1:${ports.gateway}/healthz`);

interface Server {
  name: 'gateway' | 'floor';
  origin: string;
  pid: number;
}
const servers: Server[] = [
  { name: 'gateway', origin: `http://127.0.0.1:${ports.gateway}`, pid: gatewayProc.pid! },
  { name: 'floor', origin: `http://127.0.0.1:${ports.floor}`, pid: floor.child.pid! },
];
const [gateway, floorServer] = servers;

// ---------------------------------------------------------------- GraphQL over HTTP

interface Operation {
  name: string;
  body: string;
}
function operation<R, V>(doc: TypedDocumentNode<R, V>, variables?: V): Operation {
  const def = doc.definitions[0];
  const name = def.kind === 'OperationDefinition' && def.name ? def.name.value : 'anonymous';
  return { name, body: JSON.stringify({ query: print(doc), variables: variables ?? {}, operationName: name }) };
}

interface GqlAnswer<R> {
  data?: R | null;
  errors?: unknown[];
}
async function post<R>(origin: string, op: Operation): Promise<GqlAnswer<R>> {
  const res = await fetch(`${origin}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: op.body });
  return (await res.json()) as GqlAnswer<R>;
}

const ops = {
  SingleProcessing: operation(SingleProcessingDocument, { id: PROCESSING }),
  Dashboard: operation(DashboardDocument),
};

// ---------------------------------------------------------------- simulator counters

const simOrigins = { mapflow: simOrigin(ports.mapflow), flai: simOrigin(ports.flai), cupix: simOrigin(ports.cupix) };
interface SimStats {
  total: number;
  byRoute: Record<string, number>;
}
async function resetStats(): Promise<void> {
  await Promise.all(Object.values(simOrigins).map((o) => fetch(`${o}/__sim/stats`, { method: 'DELETE' }).then((r) => r.arrayBuffer())));
}
/** Vendor calls by `vendor route` since the last reset, the one-time Flai `GET /oauth/me` left out. */
async function readStats(): Promise<{ total: number; byRoute: Record<string, number> }> {
  const byRoute: Record<string, number> = {};
  let total = 0;
  for (const [vendor, o] of Object.entries(simOrigins)) {
    const s = (await (await fetch(`${o}/__sim/stats`)).json()) as SimStats;
    for (const [route, n] of Object.entries(s.byRoute)) {
      if (route === OAUTH_ME) continue;
      byRoute[`${vendor} ${route}`] = n;
      total += n;
    }
  }
  return { total, byRoute };
}

// ---------------------------------------------------------------- 1. same JSON, same vendor calls

console.log(`bench: ${pinNote}`);
const equality: Record<string, { sameJson: boolean; sameCalls: boolean; calls: Record<string, number> }> = {};
let allEqual = true;
for (const op of Object.values(ops)) {
  await post(gateway.origin, op); // first request of each server resolves the Flai org once
  await post(floorServer.origin, op);
  await resetStats();
  const g = await post(gateway.origin, op);
  const gCalls = await readStats();
  await resetStats();
  const f = await post(floorServer.origin, op);
  const fCalls = await readStats();
  const sameJson = g.errors === undefined && isDeepStrictEqual(g, f);
  const sameCalls = isDeepStrictEqual(gCalls, fCalls);
  equality[op.name] = { sameJson, sameCalls, calls: gCalls.byRoute };
  console.log(`${op.name}: floor JSON ${sameJson ? '==' : '!='} gateway JSON; vendor calls ${sameCalls ? 'identical' : 'DIFFER'} (${gCalls.total} per query)`);
  if (!sameJson) console.log(`  gateway: ${JSON.stringify(g).slice(0, 400)}\n  floor:   ${JSON.stringify(f).slice(0, 400)}`);
  if (!sameCalls) console.log(`  gateway: ${JSON.stringify(gCalls.byRoute)}\n  floor:   ${JSON.stringify(fCalls.byRoute)}`);
  allEqual &&= sameJson && sameCalls;
}
if (!allEqual) {
  console.error('bench: the floor does not answer like the gateway; ratios would mean nothing. Stopping.');
  process.exit(1);
}

// ---------------------------------------------------------------- 2. throughput, alternating rounds

interface Run {
  server: Server['name'];
  round: number;
  requests: number;
  failures: number;
  seconds: number;
  rps: number;
  /** Server CPU (utime+stime) per request, ms. */
  cpuMsPerRequest: number;
  /** How busy core 0 (the server's) and core 1 (simulators + load generator) were, from /proc/stat. */
  core0Busy: number;
  core1Busy: number;
  /** CPU used on the two cores by processes other than ours (other jobs on the machine), in cores. */
  foreignCores: number;
}

/** Fixed-concurrency closed-loop load for `durationMs` (or `maxRequests`), loopback keep-alive. */
async function load(server: Server, op: Operation, durationMs: number, round: number): Promise<Run> {
  const pool = new Pool(server.origin, { connections: SETTINGS.concurrency, pipelining: 1, keepAliveTimeout: 30_000 });
  const body = op.body;
  let requests = 0;
  let failures = 0;
  let issued = 0;
  const cpu0 = cpuMs(server.pid);
  const sims0 = cpuMs(sims.child.pid!);
  const self0 = selfCpuMs();
  const cores0 = coreTicks();
  const t0 = performance.now();
  const deadline = t0 + durationMs;
  const worker = async () => {
    while (performance.now() < deadline && issued < SETTINGS.maxRequests) {
      issued++;
      try {
        const res = await pool.request({ method: 'POST', path: '/graphql', headers: { 'content-type': 'application/json' }, body, headersTimeout: 10_000, bodyTimeout: 10_000 });
        const text = await res.body.text();
        if (res.statusCode === 200 && !text.includes('"errors"')) requests++;
        else failures++;
      } catch {
        failures++;
      }
    }
  };
  await Promise.all(Array.from({ length: SETTINGS.concurrency }, worker));
  const seconds = (performance.now() - t0) / 1000;
  const serverCpu = cpuMs(server.pid) - cpu0;
  const cores1 = coreTicks();
  const cores = cores1.map((c, i) => (c.busy - cores0[i].busy) / Math.max(1, c.total - cores0[i].total));
  const ours = serverCpu + cpuMs(sims.child.pid!) - sims0 + selfCpuMs() - self0;
  const busyMs = ((cores1[0].busy - cores0[0].busy + cores1[1].busy - cores0[1].busy) * 1000) / CLK_TCK;
  await pool.close();
  return {
    server: server.name,
    round,
    requests,
    failures,
    seconds,
    rps: requests / seconds,
    cpuMsPerRequest: requests ? serverCpu / requests : Number.NaN,
    core0Busy: cores[0],
    core1Busy: cores[1],
    foreignCores: Math.max(0, busyMs - ours) / 1000 / seconds,
  };
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

interface Throughput {
  operation: string;
  target: number;
  runs: Run[];
  gateway: { rps: number; cpuMsPerRequest: number };
  floor: { rps: number; cpuMsPerRequest: number };
  /** Per round: gateway RPS ÷ floor RPS. */
  rpsRatio: { median: number; min: number; max: number; rounds: number[] };
  /** Per round: floor CPU-ms/req ÷ gateway CPU-ms/req (the RPS ratio if the server core were the only limit). */
  cpuRatio: { median: number; min: number; max: number; rounds: number[] };
}

const fmt = (n: number, d = 2) => (Number.isFinite(n) ? n.toFixed(d) : 'n/a');
const throughput: Throughput[] = [];
for (const [opName, op] of Object.entries(ops) as [keyof typeof TARGETS, Operation][]) {
  console.log(`\n${opName}: warm-up ${SETTINGS.warmupMs} ms each, then ${SETTINGS.rounds} rounds × ${SETTINGS.durationMs} ms per server at concurrency ${SETTINGS.concurrency}`);
  for (const s of servers) await load(s, op, SETTINGS.warmupMs, -1);
  const runs: Run[] = [];
  for (let round = 0; round < SETTINGS.rounds; round++) {
    const order = round % 2 === 0 ? [gateway, floorServer] : [floorServer, gateway];
    for (const s of order) {
      const r = await load(s, op, SETTINGS.durationMs, round);
      runs.push(r);
      console.log(
        `  round ${round + 1} ${s.name.padEnd(7)} ${fmt(r.rps, 0).padStart(6)} rps  ${fmt(r.cpuMsPerRequest, 3)} CPU-ms/req  core0 ${fmt(r.core0Busy * 100, 0)}%  core1 ${fmt(r.core1Busy * 100, 0)}%${r.foreignCores > 0.1 ? `  other jobs ${fmt(r.foreignCores, 2)} cores` : ''}${r.failures ? `  ${r.failures} FAILED` : ''}`,
      );
    }
  }
  const of = (name: Server['name']) => runs.filter((r) => r.server === name).sort((a, b) => a.round - b.round);
  const g = of('gateway');
  const f = of('floor');
  const rpsRounds = g.map((r, i) => r.rps / f[i].rps);
  const cpuRounds = g.map((r, i) => f[i].cpuMsPerRequest / r.cpuMsPerRequest);
  const stats = (xs: number[]) => ({ median: median(xs), min: Math.min(...xs), max: Math.max(...xs), rounds: xs });
  throughput.push({
    operation: opName,
    target: TARGETS[opName],
    runs,
    gateway: { rps: median(g.map((r) => r.rps)), cpuMsPerRequest: median(g.map((r) => r.cpuMsPerRequest)) },
    floor: { rps: median(f.map((r) => r.rps)), cpuMsPerRequest: median(f.map((r) => r.cpuMsPerRequest)) },
    rpsRatio: stats(rpsRounds),
    cpuRatio: stats(cpuRounds),
  });
}

// ---------------------------------------------------------------- 3. upstream calls ÷ minimum

interface CallCount {
  query: string;
  calls: number;
  minimum: number;
  formula: string;
  ratio: number;
  byRoute: Record<string, number>;
}

/** Runs `op` once through the gateway and counts the vendor calls it cost (no /oauth/me). */
async function countCalls<R>(op: Operation): Promise<{ answer: GqlAnswer<R>; total: number; byRoute: Record<string, number> }> {
  await resetStats();
  const answer = await post<R>(gateway.origin, op);
  if (answer.errors) throw new Error(`${op.name} failed: ${JSON.stringify(answer.errors).slice(0, 300)}`);
  return { answer, ...(await readStats()) };
}

const projectsRes = await fetch(`${vendorEnv.MAPFLOW_URL}/projects`, { headers: { authorization: `Basic ${vendorEnv.MAPFLOW_TOKEN}` } });
const firstProjectId = ((await projectsRes.json()) as { id: string }[])[0].id;

const calls: CallCount[] = [];
function record(query: string, c: { total: number; byRoute: Record<string, number> }, minimum: number, formula: string): void {
  calls.push({ query, calls: c.total, minimum, formula, ratio: c.total / minimum, byRoute: c.byRoute });
}
{
  const c = await countCalls<{ projects: { nodes: unknown[] } | null }>(operation(ProjectsWithWorkflowsDocument));
  const n = c.answer.data?.projects?.nodes.length ?? 0;
  record('ProjectsWithWorkflows', c, 1 + n, `1 + ${n}`);
}
{
  const c = await countCalls<{ project: { processings: { nodes: unknown[] } | null } | null }>(operation(ProjectAoisDocument, { id: firstProjectId }));
  const p = c.answer.data?.project?.processings?.nodes.length ?? 0;
  record('ProjectAois', c, 1 + 1 + p, `1 + 1 + ${p}`);
}
{
  const c = await countCalls(operation(ProcessingTwiceDocument, { id: PROCESSING }));
  record('ProcessingTwice', c, 2, '2');
}
{
  const c = await countCalls<{ flowExecution: { outputDatasets: unknown[] } | null }>(operation(FlowExecutionOutputsDocument, { id: FLOW_EXECUTION }));
  const d = c.answer.data?.flowExecution?.outputDatasets.length ?? 0;
  record('FlowExecutionOutputs', c, 1 + d, `1 + ${d}`);
}
{
  const c = await countCalls(operation(PointcloudsWithParentsDocument, { captureId: CAPTURE }));
  record('PointcloudsWithParents', c, 1, '1');
}

// One vendor failing 30 % of its calls (bench/faults.ts), on the same gateway and simulators.
const faults = await runFaultBench({ gatewayOrigin: gateway.origin, simOrigins, body: ops.Dashboard.body });

stopAll();

// 10,000 subscriptions on 1,000 live jobs: its own simulators and gateway (bench/subscriptions.ts).
const subscriptions = await runSubscriptionBench({ root: ROOT, pinned });

// ---------------------------------------------------------------- 4. report

const cpuModel = /model name\s*:\s*(.+)/.exec(existsSync('/proc/cpuinfo') ? readFileSync('/proc/cpuinfo', 'utf8') : '')?.[1]?.trim() ?? cpus()[0]?.model ?? 'unknown';
const machine = { nproc, cpuModel, node: process.version, platform: `${process.platform} ${process.arch}` };
const date = new Date().toISOString();

const rows: string[][] = [];
for (const t of throughput) {
  const spread = `${fmt(t.rpsRatio.min)}–${fmt(t.rpsRatio.max)}`;
  rows.push([`${t.operation}: throughput ÷ floor`, `${fmt(t.gateway.rps, 0)} rps`, `${fmt(t.floor.rps, 0)} rps`, fmt(t.rpsRatio.median), spread, `≥ ${t.target}`]);
  rows.push([
    `${t.operation}: CPU-ms/req, floor ÷ gateway`,
    `${fmt(t.gateway.cpuMsPerRequest, 3)} ms`,
    `${fmt(t.floor.cpuMsPerRequest, 3)} ms`,
    fmt(t.cpuRatio.median),
    `${fmt(t.cpuRatio.min)}–${fmt(t.cpuRatio.max)}`,
    `≥ ${t.target}`,
  ]);
}
for (const c of calls) rows.push([`${c.query}: upstream calls ÷ minimum`, String(c.calls), `${c.minimum} (${c.formula})`, fmt(c.ratio), '—', '1.0']);
rows.push(...faults.rows);
rows.push(...subscriptions.rows);

const header = ['figure', 'gateway', 'floor / minimum', 'ratio (median)', 'spread (min–max)', 'target'];
const table = [header, header.map(() => '---'), ...rows].map((r) => `| ${r.join(' | ')} |`).join('\n');
const busy = throughput
  .map((t) => {
    const fl = t.runs.filter((r) => r.server === 'floor');
    return `${t.operation} floor runs: core 0 ${fmt(median(fl.map((r) => r.core0Busy)) * 100, 0)}% busy, core 1 ${fmt(median(fl.map((r) => r.core1Busy)) * 100, 0)}%`;
  })
  .join('; ');
const foreign = median(throughput.flatMap((t) => t.runs.map((r) => r.foreignCores)));
const noise =
  foreign > 0.1
    ? `WARNING: other jobs used a median ${fmt(foreign)} cores of the two during the runs: RPS figures are disturbed (CPU-ms/req much less so).`
    : `Other jobs on the machine during the runs: ${fmt(foreign)} cores (median).`;
const md = [
  `# Benchmark: gateway vs floor, upstream calls, live status`,
  '',
  `${date} · ${nproc} cores · ${cpuModel} · node ${process.version} · ${pinNote}`,
  `Concurrency ${SETTINGS.concurrency}, ${SETTINGS.rounds} alternating rounds of ${SETTINGS.durationMs} ms per server after a ${SETTINGS.warmupMs} ms warm-up; ratio = median over rounds of gateway ÷ floor in the same round. Simulators at SIM_TIME_SCALE=0.`,
  '',
  table,
  '',
  `CPU-ms/req is the server process's utime+stime ÷ successful requests; the CPU ratio is floor ÷ gateway, i.e. the throughput ratio if the server's core were the only limit. ${busy}. The simulators and the load generator cost the same for both servers and share core 1, so the RPS ratio is pulled towards 1; the CPU ratio is not.`,
  noise,
  ...faults.notes,
  ...subscriptions.notes,
  '',
].join('\n');

console.log(`\n${table}\n\n${busy}\n${noise}`);
writeFileSync(join(ROOT, 'bench/results.md'), md);
writeFileSync(
  join(ROOT, 'bench/results.json'),
  JSON.stringify({ date, machine, pinning: pinNote, otherJobsCores: foreign, settings: SETTINGS, targets: { throughputVsFloor: TARGETS, callsVsMinimum: 1 }, equality, throughput, calls, faults: faults.result, subscriptions: subscriptions.result }, null, 2) + '\n',
);
console.log('\nwrote bench/results.json and bench/results.md');
process.exit(0);
