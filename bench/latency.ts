/**
 * `npm run bench`, latency with 10 ms added to each vendor call (issue 7 "Latency ... at half of
 * saturation: p50 and p99 ÷ the sequential-call floor").
 *
 * Every simulator delays each vendor call by BENCH_LATENCY_VENDOR_MS (10 ms, fault injection
 * `latencyMs`). For each operation: the gateway's saturation is measured first (closed loop at
 * BENCH_SAT_CONCURRENCY, 128, so that the 10 ms do not cap it), then both servers get the same
 * open-loop load at half of it, alternately for the bench's rounds; latency counts from each
 * request's due time.
 *
 * The SEQUENTIAL-CALL FLOOR is the floor server (bench/floor-server.ts) answering the same operation
 * under the same load: it makes the same vendor calls in the same order, one after the other where
 * the gateway's depend on each other (Dashboard: the projects page, then the projects' processings in
 * parallel; Flai's and Cupix's lists meanwhile) and in parallel where they do not, with no GraphQL
 * engine. So p50 ÷ floor p50 is what the gateway adds on top of the vendor round trips a hand-written
 * server cannot avoid, at a realistic load; the critical path alone (k sequential round trips × 10 ms)
 * is reported too, as the bound neither server can beat.
 *
 * Settings: BENCH_LATENCY_DURATION_MS (per run, 6000), BENCH_SAT_DURATION_MS (4000),
 * BENCH_SAT_CONCURRENCY (128), BENCH_LATENCY_VENDOR_MS (10). BENCH_LATENCY=0 skips it.
 */
import { Pool } from 'undici';
import { closedLoop, openLoop, type LatencyRun, type Run, type Target } from './load.js';
import { median } from './measure.js';

export interface LatencyOperation {
  name: string;
  body: string;
  /** Vendor round trips one after the other on its critical path. */
  sequentialCalls: number;
}

export interface LatencyBenchOptions {
  gateway: Target;
  floor: Target;
  simOrigins: Record<'mapflow' | 'flai' | 'cupix', string>;
  simPid: number;
  operations: LatencyOperation[];
  rounds: number;
}

interface Spread {
  median: number;
  min: number;
  max: number;
  rounds: number[];
}

export interface LatencyResult {
  operation: string;
  vendorLatencyMs: number;
  sequentialCalls: number;
  saturation: { gateway: Run; floor: Run };
  rate: number;
  runs: LatencyRun[];
  gateway: { p50: number; p99: number; cpuMsPerRequest: number };
  floor: { p50: number; p99: number; cpuMsPerRequest: number };
  p50Ratio: Spread;
  p99Ratio: Spread;
}

const setting = (name: string, def: number) => {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v > 0 ? v : def;
};
const fmt = (n: number, d = 2) => (Number.isFinite(n) ? n.toFixed(d) : 'n/a');
const spread = (xs: number[]): Spread => ({ median: median(xs), min: Math.min(...xs), max: Math.max(...xs), rounds: xs });

export const LATENCY_TARGETS = { p50: 1.15, p99: 1.5 } as const;

export async function runLatencyBench(o: LatencyBenchOptions): Promise<{ rows: string[][]; notes: string[]; result: LatencyResult[] | null }> {
  if (process.env.BENCH_LATENCY === '0') return { rows: [], notes: ['Latency with vendor delay: skipped (BENCH_LATENCY=0).'], result: null };
  const vendorMs = setting('BENCH_LATENCY_VENDOR_MS', 10);
  const durationMs = setting('BENCH_LATENCY_DURATION_MS', 6_000);
  const satMs = setting('BENCH_SAT_DURATION_MS', 4_000);
  const satConcurrency = setting('BENCH_SAT_CONCURRENCY', 128);
  const put = (faults: unknown) =>
    Promise.all(
      Object.values(o.simOrigins).map((origin) =>
        fetch(`${origin}/__sim/faults`, { method: faults ? 'PUT' : 'DELETE', headers: { 'content-type': 'application/json' }, body: faults ? JSON.stringify(faults) : undefined }).then((r) => r.arrayBuffer()),
      ),
    );
  const pools = new Map([o.gateway, o.floor].map((s) => [s.name, new Pool(s.origin, { connections: 512, pipelining: 1, keepAliveTimeout: 60_000 })]));
  const results: LatencyResult[] = [];
  await put({ latencyMs: vendorMs });
  try {
    for (const op of o.operations) {
      console.log(`\nlatency: ${op.name} with ${vendorMs} ms per vendor call; saturation at concurrency ${satConcurrency} for ${satMs} ms, then ${o.rounds} rounds × ${durationMs} ms per server at half of it`);
      const load = { body: op.body, others: [o.simPid] };
      const saturation = async (server: Target) => {
        await closedLoop({ ...load, server, durationMs: Math.min(1_000, satMs), round: -1, concurrency: satConcurrency, maxRequests: 2_000_000 });
        return closedLoop({ ...load, server, durationMs: satMs, round: -1, concurrency: satConcurrency, maxRequests: 2_000_000 });
      };
      const sat = { gateway: await saturation(o.gateway), floor: await saturation(o.floor) };
      const rate = sat.gateway.rps / 2;
      console.log(`  saturation: gateway ${fmt(sat.gateway.rps, 0)} rps, floor ${fmt(sat.floor.rps, 0)} rps; open loop at ${fmt(rate, 0)} rps`);
      for (const server of [o.gateway, o.floor]) await openLoop({ ...load, server, durationMs: 1_000, round: -1, rate, pool: pools.get(server.name)! });
      const runs: LatencyRun[] = [];
      for (let round = 0; round < o.rounds; round++) {
        for (const server of round % 2 === 0 ? [o.gateway, o.floor] : [o.floor, o.gateway]) {
          const r = await openLoop({ ...load, server, durationMs, round, rate, pool: pools.get(server.name)! });
          runs.push(r);
          console.log(
            `  round ${round + 1} ${server.name.padEnd(7)} p50 ${fmt(r.p50, 1)} ms  p99 ${fmt(r.p99, 1)} ms  ${fmt(r.rps, 0)} rps  ${fmt(r.cpuMsPerRequest, 3)} CPU-ms/req${r.foreignCores > 0.1 ? `  other jobs ${fmt(r.foreignCores)} cores` : ''}${r.failures ? `  ${r.failures} FAILED` : ''}`,
          );
        }
      }
      const of = (name: Target['name']) => runs.filter((r) => r.server === name).sort((a, b) => a.round - b.round);
      const g = of('gateway');
      const f = of('floor');
      const summary = (rs: LatencyRun[]) => ({ p50: median(rs.map((r) => r.p50)), p99: median(rs.map((r) => r.p99)), cpuMsPerRequest: median(rs.map((r) => r.cpuMsPerRequest)) });
      results.push({
        operation: op.name,
        vendorLatencyMs: vendorMs,
        sequentialCalls: op.sequentialCalls,
        saturation: sat,
        rate,
        runs,
        gateway: summary(g),
        floor: summary(f),
        p50Ratio: spread(g.map((r, i) => r.p50 / f[i].p50)),
        p99Ratio: spread(g.map((r, i) => r.p99 / f[i].p99)),
      });
    }
  } finally {
    await put(null);
    await Promise.all([...pools.values()].map((p) => p.close()));
  }
  return { rows: rowsOf(results), notes: notesOf(results, satConcurrency, durationMs), result: results };
}

function rowsOf(results: LatencyResult[]): string[][] {
  const rows: string[][] = [];
  for (const r of results) {
    const at = `${r.vendorLatencyMs} ms/vendor call, ${Math.round(r.rate)} rps`;
    rows.push([
      `${r.operation}: latency p50 ÷ sequential-call floor (${at})`,
      `${fmt(r.gateway.p50, 1)} ms`,
      `${fmt(r.floor.p50, 1)} ms (critical path ${r.sequentialCalls} × ${r.vendorLatencyMs} ms)`,
      fmt(r.p50Ratio.median),
      `${fmt(r.p50Ratio.min)}–${fmt(r.p50Ratio.max)}`,
      `≤ ${LATENCY_TARGETS.p50}`,
    ]);
    rows.push([
      `${r.operation}: latency p99 ÷ sequential-call floor`,
      `${fmt(r.gateway.p99, 1)} ms · ${fmt(r.gateway.cpuMsPerRequest, 3)} CPU-ms/req`,
      `${fmt(r.floor.p99, 1)} ms · ${fmt(r.floor.cpuMsPerRequest, 3)} CPU-ms/req`,
      fmt(r.p99Ratio.median),
      `${fmt(r.p99Ratio.min)}–${fmt(r.p99Ratio.max)}`,
      `≤ ${LATENCY_TARGETS.p99}`,
    ]);
  }
  return rows;
}

function notesOf(results: LatencyResult[], satConcurrency: number, durationMs: number): string[] {
  if (!results.length) return [];
  const per = results
    .map(
      (r) =>
        `${r.operation}: saturation with the delay ${fmt(r.saturation.gateway.rps, 0)} rps gateway (core 0 ${fmt(r.saturation.gateway.core0Busy * 100, 0)}%, core 1 ${fmt(r.saturation.gateway.core1Busy * 100, 0)}%), ${fmt(r.saturation.floor.rps, 0)} rps floor; both driven at ${fmt(r.rate, 0)} rps; critical path ${r.sequentialCalls} × ${r.vendorLatencyMs} ms = ${r.sequentialCalls * r.vendorLatencyMs} ms, gateway p50 ${fmt(r.gateway.p50 / (r.sequentialCalls * r.vendorLatencyMs))} × it`,
    )
    .join('; ');
  const foreign = median(results.flatMap((r) => r.runs.map((x) => x.foreignCores)));
  return [
    `Latency: every vendor call delayed ${results[0].vendorLatencyMs} ms by the simulators (fault injection \`latencyMs\`). Saturation = closed loop at concurrency ${satConcurrency} on the gateway; then an open loop at half of it (requests sent on schedule, latency from each one's due time, ${durationMs} ms per run) on the gateway and on the sequential-call floor alternately: the floor server making the same vendor calls, sequential where the gateway's are (the Dashboard's projects page before their processings), under the same load. Ratio = median over rounds of gateway ÷ floor in the same round. ${per}. Other jobs on the machine during these runs: ${fmt(foreign)} cores (median).`,
  ];
}
