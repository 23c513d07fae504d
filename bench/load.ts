/**
 * Load generators of `npm run bench`, loopback keep-alive HTTP with undici: a closed loop (fixed
 * concurrency, as fast as the server answers: throughput and saturation) and an open loop (requests
 * sent on a fixed schedule whatever the answers: latency at a given rate). Both record the server's
 * CPU per request and how busy the two cores were, and how much of that was other jobs'.
 */
import { Pool } from 'undici';
import { CLK_TCK, coreTicks, cpuMs, selfCpuMs } from './measure.js';

export interface Target {
  /** `stack`: the floor through a bare Apollo Server (bench/floor-server.ts, FLOOR_GRAPHQL=apollo). */
  name: 'gateway' | 'floor' | 'stack';
  origin: string;
  pid: number;
}

export interface Run {
  server: Target['name'];
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

/** Measures a run: call it before, call what it returns after. `others`: our other processes (the simulators). */
function meter(server: Target, others: number[]): (requests: number, failures: number, round: number) => Run {
  const cpu0 = cpuMs(server.pid);
  const others0 = others.reduce((n, pid) => n + cpuMs(pid), 0);
  const self0 = selfCpuMs();
  const cores0 = coreTicks();
  const t0 = performance.now();
  return (requests, failures, round) => {
    const seconds = (performance.now() - t0) / 1000;
    const serverCpu = cpuMs(server.pid) - cpu0;
    const cores1 = coreTicks();
    const cores = cores1.map((c, i) => (c.busy - cores0[i].busy) / Math.max(1, c.total - cores0[i].total));
    const ours = serverCpu + others.reduce((n, pid) => n + cpuMs(pid), 0) - others0 + selfCpuMs() - self0;
    const busyMs = ((cores1[0].busy - cores0[0].busy + cores1[1].busy - cores0[1].busy) * 1000) / CLK_TCK;
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
  };
}

export interface LoadOptions {
  server: Target;
  /** JSON body of the GraphQL operation, POSTed to /graphql. */
  body: string;
  durationMs: number;
  round: number;
  /** Our other processes whose CPU is not other jobs' (the simulators). */
  others: number[];
}

/** One POST; true when it answered 200 without `errors`. */
async function post(pool: Pool, body: string): Promise<boolean> {
  try {
    const res = await pool.request({ method: 'POST', path: '/graphql', headers: { 'content-type': 'application/json' }, body, headersTimeout: 10_000, bodyTimeout: 10_000 });
    const text = await res.body.text();
    return res.statusCode === 200 && !text.includes('"errors"');
  } catch {
    return false;
  }
}

/** Fixed-concurrency closed-loop load for `durationMs` (or `maxRequests`). */
export async function closedLoop(o: LoadOptions & { concurrency: number; maxRequests: number }): Promise<Run> {
  const pool = new Pool(o.server.origin, { connections: o.concurrency, pipelining: 1, keepAliveTimeout: 30_000 });
  let requests = 0;
  let failures = 0;
  let issued = 0;
  const done = meter(o.server, o.others);
  const deadline = performance.now() + o.durationMs;
  const worker = async () => {
    while (performance.now() < deadline && issued < o.maxRequests) {
      issued++;
      if (await post(pool, o.body)) requests++;
      else failures++;
    }
  };
  await Promise.all(Array.from({ length: o.concurrency }, worker));
  const run = done(requests, failures, o.round);
  await pool.close();
  return run;
}

export interface LatencyRun extends Run {
  /** Requests per second asked for. */
  rate: number;
  /** Latency from each request's scheduled send time to its answer (so a stalled server is not excused), ms. */
  p50: number;
  p99: number;
  max: number;
}

/**
 * Open-loop load: request k is due at start + k / rate, sent when due whatever is still in flight,
 * on a pool of `pool`'s keep-alive connections (kept across runs, so no run pays for connecting).
 * A request's latency counts from when it was due, not when it left.
 */
export async function openLoop(o: LoadOptions & { rate: number; pool: Pool }): Promise<LatencyRun> {
  const total = Math.max(1, Math.floor((o.rate * o.durationMs) / 1000));
  const latencies = new Float64Array(total);
  const interval = 1000 / o.rate;
  let requests = 0;
  let failures = 0;
  const pending: Promise<void>[] = [];
  const done = meter(o.server, o.others);
  const start = performance.now() + 5;
  const send = async (k: number, due: number) => {
    const ok = await post(o.pool, o.body);
    latencies[k] = performance.now() - due;
    if (ok) requests++;
    else failures++;
  };
  for (let k = 0; k < total; ) {
    const t = performance.now();
    for (; k < total && start + k * interval <= t; k++) pending.push(send(k, start + k * interval));
    if (k < total) await new Promise((r) => setTimeout(r, Math.max(0, start + k * interval - performance.now())));
  }
  await Promise.all(pending);
  const run = done(requests, failures, o.round);
  const sorted = latencies.sort();
  const pct = (p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))];
  return { ...run, rate: o.rate, p50: pct(0.5), p99: pct(0.99), max: sorted[sorted.length - 1] };
}
