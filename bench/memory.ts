/**
 * `npm run soak -- --memory`: how much memory to give the gateway (README "Memory"), measured on the
 * built gateway with `npm start`'s Node flags, in front of the simulators of this process:
 *
 * 1. idle: after start and a few Dashboard queries, RSS over SOAK_MEMORY_STEP_SECONDS, then after a
 *    forced full GC (through the inspector on a loopback port);
 * 2. subscriptions: SOAK_MEMORY_SUBSCRIPTIONS in steps of 1,000, each a `ProcessingDetail` (the
 *    dashboard's heaviest subscription) on its own running Mapflow processing, 10 per graphql-ws
 *    connection, 50 jobs per tenant (each tenant its own credential, as many customers are); the
 *    gateway polls them at its default intervals (a running job every 5 s) and nothing changes
 *    (the simulators' clock is stopped), so this is what idle open subscriptions hold. RSS over each
 *    step, then after a forced GC; per 1,000 = the least-squares slope over the steps;
 * 3. requests: the dashboard's `Dashboard` query at each rate of SOAK_MEMORY_RATES (open loop, on
 *    schedule whatever is in flight), SOAK_MEMORY_STEP_SECONDS each after a forced GC; RSS over the run;
 * 3b. requests in flight: the Dashboard again at SOAK_MEMORY_LATENCY_RATE with SOAK_MEMORY_LATENCY_MS
 *    added to every vendor call (simulator fault injection), so that many more requests are in
 *    flight at once (rate × latency, Little's law), against the same rate without the latency;
 * 4. idle after load: RSS over SOAK_MEMORY_IDLE_SECONDS with no traffic at all (RSS read from /proc
 *    only, no scrape of /metrics meanwhile: a scrape allocates, and allocation is what makes V8 collect),
 *    the garbage collections that ran meanwhile, V8's heap spaces at its end, then a forced full GC:
 *    how much of the memory was still live.
 *
 * RSS is VmRSS from /proc, sampled every second (what a container's memory limit counts); heap and
 * GC counts from the gateway's own /metrics. SOAK_MEMORY_FLAGS runs the gateway with other Node
 * flags instead (e.g. "--enable-source-maps" for V8's default young generation) to compare.
 */
import { randomBytes } from 'node:crypto';
import { cpus } from 'node:os';
import { print } from 'graphql';
import { Pool } from 'undici';
import { DashboardDocument, ProcessingDetailDocument } from '../web/src/generated/graphql.js';
import { GatewaySampler, type Sample } from './gateway-sampler.js';
import { openLoop } from './load.js';
import { inspect, percentile, rssBytes, startFlags, type HeapSpace } from './measure.js';
import { DEMO_TENANTS, followerClient, ROOT, startStack, VENDORS, type FollowerClient, type Stack, type Tenant } from './soak-stack.js';

const setting = (name: string, def: number): number => {
  const v = Number(process.env[name]);
  return process.env[name] && Number.isFinite(v) && v >= 0 ? v : def;
};

const M = {
  subscriptions: setting('SOAK_MEMORY_SUBSCRIPTIONS', 3000),
  rates: (process.env.SOAK_MEMORY_RATES ?? '10,20,30,40')
    .split(',')
    .map(Number)
    .filter((r) => r > 0),
  stepSeconds: setting('SOAK_MEMORY_STEP_SECONDS', 40),
  idleSeconds: setting('SOAK_MEMORY_IDLE_SECONDS', 150),
  latencyMs: setting('SOAK_MEMORY_LATENCY_MS', 300),
  latencyRate: setting('SOAK_MEMORY_LATENCY_RATE', 10),
  flags: process.env.SOAK_MEMORY_FLAGS?.trim() ? process.env.SOAK_MEMORY_FLAGS.trim().split(/\s+/) : startFlags(ROOT),
};
const STEP = 1000;
const PER_CONNECTION = 10;
const JOBS_PER_TENANT = 50;

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const f = (n: number, d = 1) => (Number.isFinite(n) ? n.toFixed(d) : 'n/a');
const mb = (b: number, d = 1) => f(b / 2 ** 20, d);

/** Least-squares slope and intercept of y over x. */
function fit(points: [number, number][]): { slope: number; intercept: number } {
  const n = points.length;
  const mx = points.reduce((s, [x]) => s + x, 0) / n;
  const my = points.reduce((s, [, y]) => s + y, 0) / n;
  const sxx = points.reduce((s, [x]) => s + (x - mx) ** 2, 0);
  const slope = sxx ? points.reduce((s, [x, y]) => s + (x - mx) * (y - my), 0) / sxx : Number.NaN;
  return { slope, intercept: my - slope * mx };
}

interface Window {
  /** RSS over the second half of the window (the first half lets it settle), median; and the most over the whole window. */
  rssMedian: number;
  rssMax: number;
  heapUsedMax: number;
  heapTotalMax: number;
  gcMinor: number;
  gcMajor: number;
  samples: Sample[];
}
interface RateStep {
  rate: number;
  achieved: number;
  /** Gateway CPU (utime + stime) per query answered, ms. */
  cpuMsPerRequest: number;
  p50: number;
  p99: number;
  failures: number;
  w: Window;
  before: AfterGc;
}
interface InFlight extends RateStep {
  /** More requests in flight on average than at the same rate without the latency (rate × median latency). */
  inFlight: number;
  same: RateStep;
}
interface AfterGc {
  rss: number;
  heapUsed: number;
  heapTotal: number;
}

export async function runMemoryBench(): Promise<number> {
  console.log(
    `memory: gateway with node ${M.flags.join(' ')}; idle, ${M.subscriptions} subscriptions in steps of ${STEP}, Dashboard at ${M.rates.join(', ')}/s, ` +
      `${M.stepSeconds} s per step, then ${M.idleSeconds} s idle`,
  );
  const alpha = DEMO_TENANTS[0];
  const stack = await startStack({
    timeScale: 0,
    inspect: true,
    flags: M.flags,
    echo: () => false,
    // The Dashboard load runs with the server's own credentials (the bench's open loop sends no headers).
    env: { MAPFLOW_TOKEN: alpha.mapflow!, FLAI_TOKEN: alpha.flai!.token, FLAI_ORG_ID: alpha.flai!.orgId, CUPIX_TOKEN: alpha.cupix! },
  });
  const sampler = new GatewaySampler(stack.gateway.origin, stack.gateway.pid);
  const clients: FollowerClient[] = [];
  try {
    await sampler.start(1000);
    const window = async (label: string, seconds: number): Promise<Window> => {
      sampler.phase = label;
      const from = sampler.samples.length;
      await sleep(seconds * 1000);
      const ss = sampler.samples.slice(from).filter((s) => s.phase === label);
      const late = ss.slice(Math.floor(ss.length / 2));
      const fin = (xs: number[]) => xs.filter(Number.isFinite);
      return {
        rssMedian: percentile(late.map((s) => s.rss), 50),
        rssMax: Math.max(...ss.map((s) => s.rss)),
        heapUsedMax: Math.max(...fin(ss.map((s) => s.heapUsed))),
        heapTotalMax: Math.max(...fin(ss.map((s) => s.heapTotal))),
        gcMinor: fin(ss.map((s) => s.gcMinor)).reduce((a, b) => a + b, 0),
        gcMajor: fin(ss.map((s) => s.gcMajor)).reduce((a, b) => a + b, 0),
        samples: ss,
      };
    };
    const gc = async (): Promise<AfterGc> => {
      const session = await inspect(stack.gateway.inspectorUrl!);
      try {
        const m = await session.gcAndMeasure();
        await sleep(500);
        return { rss: rssBytes(stack.gateway.pid), heapUsed: m.heapUsed, heapTotal: m.heapTotal };
      } finally {
        session.close();
      }
    };
    const body = JSON.stringify({ query: print(DashboardDocument), operationName: 'Dashboard' });
    const pool = new Pool(stack.gateway.origin, { connections: 64, pipelining: 1, keepAliveTimeout: 30_000 });

    // ---- 1. idle
    for (let i = 0; i < 20; i++) {
      const r = await pool.request({ method: 'POST', path: '/graphql', headers: { 'content-type': 'application/json' }, body });
      const text = await r.body.text();
      if (r.statusCode !== 200 || text.includes('"errors"')) throw new Error(`memory: the Dashboard query fails: ${text.slice(0, 300)}`);
    }
    const idle = await window('idle', M.stepSeconds);
    const idleGc = await gc();
    console.log(`  idle: RSS ${mb(idle.rssMedian)} MB (max ${mb(idle.rssMax)}); after a forced GC ${mb(idleGc.rss)} MB, heap used ${mb(idleGc.heapUsed)} MB`);

    // ---- 2. subscriptions
    const jobs = await makeJobs(stack, M.subscriptions);
    const subSteps: { n: number; w: Window; gc: AfterGc }[] = [];
    let open = 0;
    let firstEvents = 0;
    const failures: string[] = [];
    const query = print(ProcessingDetailDocument);
    while (open < jobs.length) {
      const target = Math.min(jobs.length, open + STEP);
      for (let c = open; c < target; c += PER_CONNECTION) {
        const batch = jobs.slice(c, Math.min(target, c + PER_CONNECTION));
        const fc = followerClient(stack, batch[0].tenant);
        clients.push(fc);
        for (const job of batch) {
          let first = true;
          fc.client.subscribe(
            { query, variables: { id: job.id }, operationName: 'ProcessingDetail' },
            {
              next: (r) => {
                if (r.errors?.length) failures.push(JSON.stringify(r.errors).slice(0, 200));
                if (first) firstEvents++;
                first = false;
              },
              error: (e) => failures.push(JSON.stringify(e).slice(0, 200)),
              complete: () => {},
            },
          );
        }
      }
      open = target;
      const deadline = Date.now() + 120_000;
      while (firstEvents < open && !failures.length && Date.now() < deadline) await sleep(100);
      if (failures.length || firstEvents < open) throw new Error(`memory: ${open - firstEvents} subscriptions without a first event; ${failures.slice(0, 3).join(' | ')}`);
      const w = await window(`${open} subscriptions`, M.stepSeconds);
      const g = await gc();
      subSteps.push({ n: open, w, gc: g });
      console.log(`  ${open} subscriptions: RSS ${mb(w.rssMedian)} MB (max ${mb(w.rssMax)}); after a forced GC ${mb(g.rss)} MB, heap used ${mb(g.heapUsed)} MB`);
    }
    await Promise.allSettled(clients.map((c) => c.client.dispose()));
    await sleep(5_000);
    const afterSubs = await gc();
    console.log(`  subscriptions closed: after a forced GC ${mb(afterSubs.rss)} MB, heap used ${mb(afterSubs.heapUsed)} MB`);

    // ---- 3. requests
    const rateSteps: RateStep[] = [];
    for (const [i, rate] of M.rates.entries()) {
      const before = i === 0 ? afterSubs : await gc();
      const run = openLoop({ server: { name: 'gateway', origin: stack.gateway.origin, pid: stack.gateway.pid }, body, durationMs: M.stepSeconds * 1000, round: 0, others: [], rate, pool });
      const w = await window(`Dashboard ${rate}/s`, M.stepSeconds);
      const r = await run;
      rateSteps.push({ rate, achieved: r.requests / r.seconds, cpuMsPerRequest: r.cpuMsPerRequest, p50: r.p50, p99: r.p99, failures: r.failures, w, before });
      console.log(
        `  Dashboard ${rate}/s: ${f(r.requests / r.seconds)} ok/s (${r.failures} failed), p50 ${f(r.p50, 0)} ms, p99 ${f(r.p99, 0)} ms, ${f(r.cpuMsPerRequest)} CPU-ms each; RSS ${mb(w.rssMedian)} MB (max ${mb(w.rssMax)}), heap used ≤ ${mb(w.heapUsedMax)} of ≤ ${mb(w.heapTotalMax)} MB`,
      );
    }
    // ---- 3b. the same rate with every vendor call slower: requests in flight
    let inFlight: InFlight | null = null;
    const same = rateSteps.find((s) => s.rate === M.latencyRate);
    if (M.latencyMs > 0 && same) {
      const before = await gc();
      for (const v of VENDORS) stack.sims[v].faults.set({ latencyMs: M.latencyMs });
      const label = `Dashboard ${M.latencyRate}/s, vendors +${M.latencyMs} ms`;
      const run = openLoop({ server: { name: 'gateway', origin: stack.gateway.origin, pid: stack.gateway.pid }, body, durationMs: M.stepSeconds * 1000, round: 0, others: [], rate: M.latencyRate, pool });
      const w = await window(label, M.stepSeconds);
      const r = await run;
      for (const v of VENDORS) stack.sims[v].faults.set(null);
      const achieved = r.requests / r.seconds;
      inFlight = { rate: M.latencyRate, achieved, cpuMsPerRequest: r.cpuMsPerRequest, p50: r.p50, p99: r.p99, failures: r.failures, w, before, inFlight: achieved * (r.p50 / 1000) - same.achieved * (same.p50 / 1000), same };
      console.log(`  ${label}: ${f(achieved)} ok/s, p50 ${f(r.p50, 0)} ms, p99 ${f(r.p99, 0)} ms; RSS ${mb(w.rssMedian)} MB (max ${mb(w.rssMax)}), heap used ≤ ${mb(w.heapUsedMax)} MB`);
    }
    await pool.close();

    // ---- 4. idle after load: nothing but /proc reads until its end, then one scrape for the GC counts
    sampler.scrape = false;
    const after = await window('idle after load', M.idleSeconds);
    sampler.scrape = true;
    sampler.phase = 'idle after load';
    const counted = await sampler.sample();
    after.gcMinor = counted?.gcMinor ?? Number.NaN;
    after.gcMajor = counted?.gcMajor ?? Number.NaN;
    if (counted) after.samples.push(counted);
    const session = await inspect(stack.gateway.inspectorUrl!);
    const spaces = await session.heapSpaces();
    session.close();
    const finalGc = await gc();
    const end = after.samples[after.samples.length - 1];
    console.log(`  idle after load: RSS ${mb(after.samples[0]?.rss)} → ${mb(end?.rss)} MB in ${M.idleSeconds} s (${after.gcMinor} minor, ${after.gcMajor} major GCs); after a forced GC ${mb(finalGc.rss)} MB`);
    sampler.stop();

    report({ idle, idleGc, subSteps, afterSubs, rateSteps, inFlight, after, spaces, finalGc, otherCores: percentile(sampler.samples.map((s) => s.otherCores).filter(Number.isFinite), 50) });
    return 0;
  } finally {
    sampler.stop();
    await Promise.allSettled(clients.map((c) => c.client.dispose()));
    await stack.close();
  }
}

/** `n` running Mapflow processings, 50 per tenant of our own, created at the simulator (not through the gateway). */
async function makeJobs(stack: Stack, n: number): Promise<{ id: string; tenant: Tenant }[]> {
  const sim = stack.sims.mapflow;
  const jobs: { id: string; tenant: Tenant }[] = [];
  const polygon = { type: 'Polygon', coordinates: [[[37.2984, 55.6362], [37.3077, 55.6362], [37.3077, 55.6402], [37.2984, 55.6402], [37.2984, 55.6362]]] };
  for (let t = 0; jobs.length < n; t++) {
    const tenant: Tenant = { name: `memory-${t}`, mapflow: randomBytes(16).toString('hex') };
    sim.addTenant(tenant.name, tenant.mapflow!);
    const count = Math.min(JOBS_PER_TENANT, n - jobs.length);
    const made = await Promise.all(
      Array.from({ length: count }, async (_, i) => {
        const res = await fetch(`${sim.url}/processings/v2`, {
          method: 'POST',
          headers: { authorization: `Basic ${tenant.mapflow}`, 'content-type': 'application/json' },
          body: JSON.stringify({ name: `memory ${t}-${i}`, wdName: '🏠 Buildings', geometry: polygon }),
        });
        const p = (await res.json()) as { id?: string };
        if (!p.id) throw new Error(`memory: the simulator did not create a processing: ${JSON.stringify(p).slice(0, 200)}`);
        return { id: p.id, tenant };
      }),
    );
    jobs.push(...made);
  }
  // Started (IN_PROGRESS, polled at the running interval); the clock then stays stopped, so nothing changes.
  sim.clock.advance(2_000);
  sim.scheduler.settle();
  return jobs;
}

function report(r: {
  idle: Window;
  idleGc: AfterGc;
  subSteps: { n: number; w: Window; gc: AfterGc }[];
  afterSubs: AfterGc;
  rateSteps: RateStep[];
  inFlight: InFlight | null;
  after: Window;
  spaces: HeapSpace[];
  finalGc: AfterGc;
  otherCores: number;
}): void {
  // Each step starts from a forced GC (the previous step's), so the GC'd idle process is the step before the first.
  const perThousand = (pick: (s: { n: number; w: Window; gc: AfterGc }) => number, base: number) =>
    (fit([[0, base], ...r.subSteps.map((s) => [s.n, pick(s)] as [number, number])]).slope * 1000) / 2 ** 20;
  const lines = [
    '',
    `==== memory (${new Date().toISOString()}; node ${process.version}; gateway flags: ${M.flags.join(' ')}; ${cpus().length} cores, other jobs on the machine ${f(r.otherCores, 2)} cores) ====`,
    `idle after start: RSS ${mb(r.idle.rssMedian)} MB; after a forced GC ${mb(r.idleGc.rss)} MB (heap used ${mb(r.idleGc.heapUsed)} MB)`,
    `subscriptions (ProcessingDetail, 1 per running job, ${PER_CONNECTION} per connection; polled every 5 s, nothing changing):`,
    ...r.subSteps.map((s) => `  ${String(s.n).padStart(5)}: RSS ${mb(s.w.rssMedian)} MB (max ${mb(s.w.rssMax)}); after GC ${mb(s.gc.rss)} MB, heap used ${mb(s.gc.heapUsed)} MB`),
    `  per 1,000 subscriptions (least-squares slope from the idle process after a GC): RSS ${f(perThousand((s) => s.w.rssMedian, r.idleGc.rss))} MB, ` +
      `after GC RSS ${f(perThousand((s) => s.gc.rss, r.idleGc.rss))} MB, heap ${f(perThousand((s) => s.gc.heapUsed, r.idleGc.heapUsed))} MB`,
    `  all closed, after GC: RSS ${mb(r.afterSubs.rss)} MB, heap used ${mb(r.afterSubs.heapUsed)} MB`,
    `Dashboard query (open loop, ${M.stepSeconds} s per rate, each after a forced GC):`,
    ...r.rateSteps.map(
      (s) =>
        `  ${String(s.rate).padStart(4)}/s: ${f(s.achieved)} ok/s, ${s.failures} failed, p50 ${f(s.p50, 0)} ms, p99 ${f(s.p99, 0)} ms, gateway ${f(s.cpuMsPerRequest)} CPU-ms each; RSS ${mb(s.w.rssMedian)} MB (max ${mb(s.w.rssMax)}) from ${mb(s.before.rss)} MB; ` +
        `heap used ≤ ${mb(s.w.heapUsedMax)} MB of ≤ ${mb(s.w.heapTotalMax)} MB; ${s.w.gcMinor} minor, ${s.w.gcMajor} major GCs`,
    ),
  ];
  // A rate the process did not keep up with holds a growing backlog: its memory says nothing per request.
  const kept = r.rateSteps.filter((s) => s.achieved >= 0.95 * s.rate && s.p99 < 1000);
  const saturated = r.rateSteps.filter((s) => !kept.includes(s)).map((s) => `${s.rate}/s`);
  if (kept.length >= 2) {
    const rf = fit(kept.map((s) => [s.rate, s.w.rssMax]));
    lines.push(
      `  peak RSS ≈ ${mb(rf.intercept, 0)} MB + ${mb(rf.slope * 100)} MB per 100 requests/s (least squares over ${kept.map((s) => `${s.rate}/s`).join(', ')})` +
        (saturated.length ? `; left out, not kept up with (under 95 % answered or p99 ≥ 1 s): ${saturated.join(', ')}` : ''),
    );
  } else if (saturated.length) lines.push(`  not kept up with (under 95 % answered or p99 ≥ 1 s): ${saturated.join(', ')}`);
  const x = r.inFlight;
  if (x) {
    lines.push(
      `  ${x.rate}/s with every vendor call ${M.latencyMs} ms slower: ${f(x.achieved)} ok/s, p50 ${f(x.p50, 0)} ms, p99 ${f(x.p99, 0)} ms; RSS ${mb(x.w.rssMedian)} MB (max ${mb(x.w.rssMax)}), heap used ≤ ${mb(x.w.heapUsedMax)} MB ` +
        `(without: max ${mb(x.same.w.rssMax)} MB, heap ≤ ${mb(x.same.w.heapUsedMax)} MB), with about ${f(x.inFlight, 0)} more requests in flight (rate × median latency)`,
    );
  }
  const end = r.after.samples[r.after.samples.length - 1];
  lines.push(
    `idle after load (${M.idleSeconds} s, no traffic): RSS ${mb(r.after.samples[0]?.rss)} → ${mb(end?.rss)} MB, heap used ${mb(end?.heapUsed)} MB of ${mb(end?.heapTotal)} MB; ${r.after.gcMinor} minor, ${r.after.gcMajor} major GCs meanwhile`,
    `  RSS MB every ${Math.max(1, Math.round(r.after.samples.length / 10))} s: ${r.after.samples
      .filter((_, i) => i % Math.max(1, Math.round(r.after.samples.length / 10)) === 0)
      .map((s) => mb(s.rss, 0))
      .join(' ')}`,
    `  V8 heap spaces at its end (reserved / resident / used MB): ${r.spaces
      .filter((s) => s.size > 2 ** 20)
      .map((s) => `${s.name} ${mb(s.size, 0)} / ${mb(s.physical, 0)} / ${mb(s.used, 0)}`)
      .join(', ')}`,
    `  after a forced full GC: RSS ${mb(r.finalGc.rss)} MB, heap used ${mb(r.finalGc.heapUsed)} MB of ${mb(r.finalGc.heapTotal)} MB`,
  );
  console.log(lines.join('\n'));
}
