/**
 * `npm run bench`, fault scenario (issue 5): the Dashboard query (all three vendors) at a fixed
 * concurrency, first with healthy simulators, then with one vendor failing 30 % of its calls
 * (transient 502/503/504, as a struggling vendor or its load balancer answers; the gateway retries
 * those on reads). Reported per vendor: the share of requests whose fields of that vendor arrived
 * without error; the retry overhead as extra upstream calls per request in percent, beside the failing
 * vendor's success rate (the vendor retry budget trades one for the other); p50/p99
 * latency against the no-fault run; and the circuit breakers' state afterwards.
 *
 * Settings: BENCH_FAULT_DURATION_MS (per run, default 10000), BENCH_FAULT_CONCURRENCY (16),
 * BENCH_FAULT_VENDOR (flai), BENCH_FAULT_RATE (0.3). BENCH_FAULTS=0 skips it.
 */
import { Pool } from 'undici';

type Vendor = 'mapflow' | 'flai' | 'cupix';
const VENDORS: Vendor[] = ['mapflow', 'flai', 'cupix'];
/** The Dashboard's top-level field of each vendor. */
const FIELD: Record<Vendor, string> = { mapflow: 'projects', flai: 'flowExecutions', cupix: 'pointclouds' };

export interface FaultBenchOptions {
  gatewayOrigin: string;
  simOrigins: Record<Vendor, string>;
  /** JSON body of the Dashboard operation. */
  body: string;
}

interface RunResult {
  requests: number;
  /** Requests whose answer had no error on that vendor's field. */
  ok: Record<Vendor, number>;
  /** Vendor calls counted by the simulators (the one-time Flai /oauth/me left out), by vendor. */
  calls: Record<Vendor, number>;
  p50: number;
  p99: number;
  seconds: number;
}

export interface FaultBenchResult {
  vendor: Vendor;
  rate: number;
  statuses: number[];
  concurrency: number;
  durationMs: number;
  healthy: RunResult;
  faulty: RunResult;
  /** Extra upstream calls per request, in percent of the healthy run's, by vendor and in total. */
  overheadPct: Record<Vendor | 'total', number>;
  circuits: Record<Vendor, string>;
}

const setting = (name: string, def: number) => (process.env[name] === undefined ? def : Number(process.env[name]));

async function simStats(origin: string): Promise<{ total: number; byRoute: Record<string, number> }> {
  return (await (await fetch(`${origin}/__sim/stats`)).json()) as { total: number; byRoute: Record<string, number> };
}

async function run(o: FaultBenchOptions, concurrency: number, durationMs: number): Promise<RunResult> {
  await Promise.all(VENDORS.map((v) => fetch(`${o.simOrigins[v]}/__sim/stats`, { method: 'DELETE' }).then((r) => r.arrayBuffer())));
  const pool = new Pool(o.gatewayOrigin, { connections: concurrency, pipelining: 1, keepAliveTimeout: 30_000 });
  const latencies: number[] = [];
  const ok: Record<Vendor, number> = { mapflow: 0, flai: 0, cupix: 0 };
  const t0 = performance.now();
  const deadline = t0 + durationMs;
  const worker = async () => {
    while (performance.now() < deadline) {
      const start = performance.now();
      const res = await pool.request({ method: 'POST', path: '/graphql', headers: { 'content-type': 'application/json' }, body: o.body, headersTimeout: 60_000, bodyTimeout: 60_000 });
      const answer = (await res.body.json()) as { data?: Record<string, unknown> | null; errors?: { path?: (string | number)[] }[] };
      latencies.push(performance.now() - start);
      for (const v of VENDORS) {
        const failed = (answer.errors ?? []).some((e) => e.path?.[0] === FIELD[v]);
        if (res.statusCode === 200 && !failed && answer.data?.[FIELD[v]] != null) ok[v]++;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - t0) / 1000;
  await pool.close();
  const calls = {} as Record<Vendor, number>;
  for (const v of VENDORS) {
    const s = await simStats(o.simOrigins[v]);
    calls[v] = s.total - (s.byRoute['GET /oauth/me'] ?? 0);
  }
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? Number.NaN;
  return { requests: latencies.length, ok, calls, p50: pct(0.5), p99: pct(0.99), seconds };
}

export async function runFaultBench(o: FaultBenchOptions): Promise<{ rows: string[][]; notes: string[]; result: FaultBenchResult | null }> {
  if (process.env.BENCH_FAULTS === '0') return { rows: [], notes: ['Fault scenario: skipped (BENCH_FAULTS=0).'], result: null };
  const vendor = (process.env.BENCH_FAULT_VENDOR ?? 'flai') as Vendor;
  const rate = setting('BENCH_FAULT_RATE', 0.3);
  const concurrency = setting('BENCH_FAULT_CONCURRENCY', 16);
  const durationMs = setting('BENCH_FAULT_DURATION_MS', 10_000);
  const statuses = [502, 503, 504];
  console.log(`\nfault scenario: Dashboard at concurrency ${concurrency}, ${durationMs} ms healthy, then ${durationMs} ms with ${vendor} failing ${rate * 100} % (${statuses.join('/')})`);

  await run(o, concurrency, Math.min(2_000, durationMs)); // warm-up
  const healthy = await run(o, concurrency, durationMs);
  const put = (faults: unknown) =>
    fetch(`${o.simOrigins[vendor]}/__sim/faults`, { method: faults ? 'PUT' : 'DELETE', headers: { 'content-type': 'application/json' }, body: faults ? JSON.stringify(faults) : undefined }).then((r) => r.arrayBuffer());
  await put({ errorRate: rate, errorStatuses: statuses });
  let faulty: RunResult;
  try {
    faulty = await run(o, concurrency, durationMs);
  } finally {
    await put(null);
  }
  const readyz = (await (await fetch(`${o.gatewayOrigin}/readyz`)).json()) as { upstreams: Record<Vendor, { circuit?: { state: string } }> };
  const circuits = Object.fromEntries(VENDORS.map((v) => [v, readyz.upstreams[v]?.circuit?.state ?? 'unknown'])) as Record<Vendor, string>;

  const perRequest = (r: RunResult, v?: Vendor) => (v ? r.calls[v] : VENDORS.reduce((s, x) => s + r.calls[x], 0)) / r.requests;
  const overhead = (v?: Vendor) => (perRequest(faulty, v) / perRequest(healthy, v) - 1) * 100;
  const overheadPct = { mapflow: overhead('mapflow'), flai: overhead('flai'), cupix: overhead('cupix'), total: overhead() };
  const result: FaultBenchResult = { vendor, rate, statuses, concurrency, durationMs, healthy, faulty, overheadPct, circuits };

  const f = (n: number, d = 1) => (Number.isFinite(n) ? n.toFixed(d) : 'n/a');
  const share = (r: RunResult, v: Vendor) => `${f((100 * r.ok[v]) / r.requests, 2)} %`;
  const rows: string[][] = [];
  for (const v of VENDORS) {
    rows.push([
      `Faults (${vendor} ${rate * 100} % ${statuses.join('/')}): ${v} success rate`,
      share(faulty, v),
      `${share(healthy, v)} without faults`,
      f(faulty.ok[v] / faulty.requests / (healthy.ok[v] / healthy.requests), 3),
      '—',
      v === vendor ? '—' : '100 %',
    ]);
  }
  // The price of the retry budget is in the success rate: the two figures go together.
  rows.push([
    `Faults: retry overhead, extra upstream calls per request, with ${vendor}'s success rate`,
    `${f(overheadPct[vendor])} % on ${vendor} (${f(perRequest(faulty, vendor), 2)} vs ${f(perRequest(healthy, vendor), 2)} calls), ${vendor} success ${share(faulty, vendor)}`,
    `${f(overheadPct.total)} % over all vendors`,
    '—',
    '—',
    '≤ 20 %',
  ]);
  rows.push([`Faults: latency p99 (p50)`, `${f(faulty.p99)} ms (${f(faulty.p50)})`, `${f(healthy.p99)} ms (${f(healthy.p50)}) without faults`, f(faulty.p99 / healthy.p99, 2), '—', '—']);
  const notes = [
    `Fault scenario: Dashboard (${VENDORS.map((v) => FIELD[v]).join(', ')}) at concurrency ${concurrency}, ${durationMs} ms per run, ${healthy.requests} requests healthy and ${faulty.requests} with ${vendor} answering ${rate * 100} % of its calls with ${statuses.join('/')} (simulator fault injection). Success = the vendor's field arrived without an error. Extra calls = simulator-counted calls per request, faulty ÷ healthy − 1. Circuit breakers after the run: ${VENDORS.map((v) => `${v} ${circuits[v]}`).join(', ')}. Gateway defaults: 2 retries per read, full-jitter backoff from 100 ms, 10 retries per request, and per vendor at most 20 % of its calls as retries over 10 s (at least 10; UPSTREAM_RETRY_RATIO).`,
  ];
  for (const r of rows) console.log(`  ${r.slice(0, 4).join(' | ')}`);
  return { rows, notes, result };
}
