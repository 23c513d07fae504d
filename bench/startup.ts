/**
 * `npm run bench`, idle RSS and start-up time (issue 7), of the gateway against the floor.
 *
 * Each start spawns the built gateway (`node dist/main.js`, core 0, in front of the bench's running
 * simulators, as the throughput runs do) and times spawn → the first 200 from /readyz, and spawn →
 * the first successful SingleProcessing answer; then it requests a full GC through the process's
 * inspector and reads VmRSS from /proc and heapUsed: the idle footprint after start and one request.
 * The floor (bench/floor-server.ts, transpiled once to plain JS so that no TypeScript loader is
 * counted) gets the same treatment: spawn → its first answer, RSS after a GC. Starts alternate
 * gateway / floor for the bench's rounds; reported: medians and the median ratio with its spread.
 * Both run with `--inspect=127.0.0.1:0` (for the GC), which costs each a few ms and about 1 MB alike.
 *
 * Settings: BENCH_STARTS (rounds; default: the bench's rounds). BENCH_STARTUP=0 skips it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { freePort, inspect, loadMeter, median, rssBytes, SERVER_NODE, startFlags, type Load } from './measure.js';

export interface StartupOptions {
  root: string;
  /** `cmd args` on the server core. */
  onServerCore: (args: string[]) => [string, string[]];
  /** The vendor URLs and credentials of the running simulators (same names for both servers). */
  vendorEnv: Record<string, string>;
  /** JSON body of SingleProcessing. */
  body: string;
  rounds: number;
  simPid: number;
}

interface Start {
  server: 'gateway' | 'floor';
  round: number;
  /** spawn → first 200 of /readyz (the gateway; the floor has none: its first answer). */
  readyMs: number;
  /** spawn → first successful GraphQL answer. */
  firstAnswerMs: number;
  rssBytes: number;
  heapUsedBytes: number;
  load: Load;
}

export interface StartupResult {
  rounds: number;
  starts: Start[];
  gateway: { readyMs: number; firstAnswerMs: number; rssBytes: number; heapUsedBytes: number };
  floor: { firstAnswerMs: number; rssBytes: number; heapUsedBytes: number };
  firstAnswerRatio: { median: number; min: number; max: number };
  rssRatio: { median: number; min: number; max: number };
}

const fmt = (n: number, d = 1) => (Number.isFinite(n) ? n.toFixed(d) : 'n/a');
const mb = (b: number) => fmt(b / 2 ** 20, 1);

/** The floor as plain ESM next to dist/ (node_modules resolves from there), transpiled by TypeScript. */
function floorJs(root: string): string {
  const out = join(root, 'dist/bench/floor-server.mjs');
  const source = readFileSync(join(root, 'bench/floor-server.ts'), 'utf8');
  const { outputText } = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } });
  mkdirSync(join(root, 'dist/bench'), { recursive: true });
  writeFileSync(out, outputText);
  return out;
}

async function until<T>(what: string, child: ChildProcess, attempt: () => Promise<T | null>, timeoutMs = 60_000): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`bench/startup: the process exited (${child.exitCode}) before ${what}`);
    const r = await attempt().catch(() => null);
    if (r !== null) return r;
    if (performance.now() > deadline) throw new Error(`bench/startup: no ${what} within ${timeoutMs} ms`);
    await new Promise((res) => setTimeout(res, 2));
  }
}

async function startOnce(o: StartupOptions, server: Start['server'], round: number, script: string): Promise<Start> {
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const env = { ...process.env, ...o.vendorEnv, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', RATE_LIMIT_PER_IP: '1000000000' };
  const [cmd, args] = o.onServerCore([SERVER_NODE, ...startFlags(o.root), '--inspect=127.0.0.1:0', script]);
  const t0 = performance.now();
  const child = spawn(cmd, args, { cwd: o.root, env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-8_000)));
  try {
    const load = loadMeter([child.pid!, o.simPid]);
    const answer = async () => {
      const res = await fetch(`${origin}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: o.body });
      const text = await res.text();
      return res.status === 200 && !text.includes('"errors"') ? performance.now() - t0 : null;
    };
    let readyMs: number;
    let firstAnswerMs: number;
    if (server === 'gateway') {
      readyMs = await until('/readyz 200', child, async () => ((await fetch(`${origin}/readyz`)).status === 200 ? performance.now() - t0 : null));
      firstAnswerMs = await until('answer', child, answer);
    } else {
      firstAnswerMs = readyMs = await until('answer', child, answer);
    }
    const measured = load();
    const inspectorUrl = await until('inspector URL', child, async () => /Debugger listening on (ws:\/\/\S+)/.exec(stderr)?.[1] ?? null);
    const inspector = await inspect(inspectorUrl);
    const mem = await inspector.gcAndMeasure();
    inspector.close();
    return { server, round, readyMs, firstAnswerMs, rssBytes: rssBytes(child.pid!), heapUsedBytes: mem.heapUsed, load: measured };
  } finally {
    await new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      const kill = setTimeout(() => child.kill('SIGKILL'), 10_000);
      child.once('exit', () => {
        clearTimeout(kill);
        resolve();
      });
      child.kill('SIGTERM');
    });
  }
}

export async function runStartupBench(o: StartupOptions): Promise<{ rows: string[][]; notes: string[]; result: StartupResult | null }> {
  if (process.env.BENCH_STARTUP === '0') return { rows: [], notes: ['Start-up and idle RSS: skipped (BENCH_STARTUP=0).'], result: null };
  const rounds = Number(process.env.BENCH_STARTS) > 0 ? Number(process.env.BENCH_STARTS) : o.rounds;
  console.log(`\nstart-up: ${rounds} alternating starts of the gateway and the floor`);
  const scripts = { gateway: join(o.root, 'dist/main.js'), floor: floorJs(o.root) };
  const starts: Start[] = [];
  for (let round = 0; round < rounds; round++) {
    for (const server of round % 2 === 0 ? (['gateway', 'floor'] as const) : (['floor', 'gateway'] as const)) {
      const s = await startOnce(o, server, round, scripts[server]);
      starts.push(s);
      console.log(`  round ${round + 1} ${server.padEnd(7)} ready ${fmt(s.readyMs, 0)} ms, first answer ${fmt(s.firstAnswerMs, 0)} ms, RSS ${mb(s.rssBytes)} MB (heap ${mb(s.heapUsedBytes)} MB) after GC`);
    }
  }
  const of = (name: Start['server']) => starts.filter((s) => s.server === name).sort((a, b) => a.round - b.round);
  const g = of('gateway');
  const f = of('floor');
  const ratio = (pick: (s: Start) => number) => {
    const xs = g.map((s, i) => pick(s) / pick(f[i]));
    return { median: median(xs), min: Math.min(...xs), max: Math.max(...xs) };
  };
  const med = (xs: Start[], pick: (s: Start) => number) => median(xs.map(pick));
  const result: StartupResult = {
    rounds,
    starts,
    gateway: { readyMs: med(g, (s) => s.readyMs), firstAnswerMs: med(g, (s) => s.firstAnswerMs), rssBytes: med(g, (s) => s.rssBytes), heapUsedBytes: med(g, (s) => s.heapUsedBytes) },
    floor: { firstAnswerMs: med(f, (s) => s.firstAnswerMs), rssBytes: med(f, (s) => s.rssBytes), heapUsedBytes: med(f, (s) => s.heapUsedBytes) },
    firstAnswerRatio: ratio((s) => s.firstAnswerMs),
    rssRatio: ratio((s) => s.rssBytes),
  };
  const rows = [
    [
      'Start-up: spawn → first answer (SingleProcessing), gateway ÷ floor',
      `${fmt(result.gateway.firstAnswerMs, 0)} ms (/readyz 200 at ${fmt(result.gateway.readyMs, 0)} ms)`,
      `${fmt(result.floor.firstAnswerMs, 0)} ms`,
      fmt(result.firstAnswerRatio.median, 2),
      `${fmt(result.firstAnswerRatio.min, 2)}–${fmt(result.firstAnswerRatio.max, 2)}`,
      '—',
    ],
    [
      'Idle RSS after start, one answer and a GC, gateway ÷ floor',
      `${mb(result.gateway.rssBytes)} MB (heap ${mb(result.gateway.heapUsedBytes)} MB)`,
      `${mb(result.floor.rssBytes)} MB (heap ${mb(result.floor.heapUsedBytes)} MB)`,
      fmt(result.rssRatio.median, 2),
      `${fmt(result.rssRatio.min, 2)}–${fmt(result.rssRatio.max, 2)}`,
      '—',
    ],
  ];
  const foreign = median(starts.map((s) => s.load.foreignCores));
  const notes = [
    `Start-up: ${rounds} alternating starts each of \`node ${startFlags(o.root).join(' ')} dist/main.js\` (\`npm start\`'s flags; in front of the bench's simulators, nothing embedded) and of the floor (plain JS), on core 0; times from spawn, polling every 2 ms; RSS (VmRSS) and heapUsed after a full GC through the inspector, both servers started with \`--inspect=127.0.0.1:0\` for it. Medians; ratio = median over rounds of gateway ÷ floor. Other jobs on the machine during the starts: ${fmt(foreign, 2)} cores (median).`,
  ];
  return { rows, notes, result };
}
