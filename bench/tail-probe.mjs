/**
 * Preloaded (`node --import ./bench/tail-probe.mjs ...`) into a process that bench/diagnose-tail.ts
 * watches: the gateway, the floor, the simulators. It records, with wall-clock times (epoch ms,
 * comparable across the machine's processes):
 *   - every GC pause (PerformanceObserver `gc`: start, duration, kind);
 *   - event-loop stalls: a 2 ms interval timer that fires more than TAIL_PROBE_STALL_MS (3) late
 *     records when, by how much, and how much CPU the process used meanwhile; and the event-loop delay histogram (monitorEventLoopDelay);
 *   - HTTP requests served (diagnostics_channel `http.server.request.start` / `response.finish`),
 *     keyed by their `x-request-id` when the client sent one;
 *   - undici requests made (`undici:request:create` → `undici:client:sendHeaders` →
 *     `undici:request:headers`): time queued for a connection and the round trip.
 * On SIGUSR2 it writes what it has to TAIL_PROBE_OUT (JSON) and starts afresh; the watcher reads it.
 * A measuring aid only: nothing of the project loads it.
 */
import { subscribe } from 'node:diagnostics_channel';
import { writeFileSync } from 'node:fs';
import { monitorEventLoopDelay, performance, PerformanceObserver } from 'node:perf_hooks';
import process from 'node:process';
import { setInterval } from 'node:timers';

const out = process.env.TAIL_PROBE_OUT;
if (!out) throw new Error('tail-probe: TAIL_PROBE_OUT is required');
const stallMs = Number(process.env.TAIL_PROBE_STALL_MS ?? 3);
const now = () => performance.timeOrigin + performance.now();

let gc = [];
let stalls = [];
let served = [];
let calls = [];
const open = new WeakMap();
const pending = new WeakMap();

new PerformanceObserver((list) => {
  for (const e of list.getEntries()) gc.push({ at: performance.timeOrigin + e.startTime, ms: e.duration, kind: e.detail?.kind ?? e.kind });
}).observe({ entryTypes: ['gc'] });

const eld = monitorEventLoopDelay({ resolution: 1 });
eld.enable();

// A stall's `cpu`: the CPU the process used (all its threads) since the tick before, i.e. over the
// stall's `ms` + TICK. Close to that: the process was busy (its own work, GC); far below: it was
// off the CPU (another process had the core).
const TICK = 2;
let expected = performance.now() + TICK;
let lastCpu = process.cpuUsage();
setInterval(() => {
  const t = performance.now();
  const cpu = process.cpuUsage();
  const late = t - expected;
  if (late > stallMs) stalls.push({ at: performance.timeOrigin + expected, ms: late, cpu: (cpu.user - lastCpu.user + cpu.system - lastCpu.system) / 1000 });
  lastCpu = cpu;
  expected = t + TICK;
}, TICK).unref();

subscribe('http.server.request.start', ({ request, response }) => {
  const id = request.headers['x-request-id'];
  open.set(response, { id: typeof id === 'string' ? id : undefined, start: now() });
});
subscribe('http.server.response.finish', ({ response }) => {
  const s = open.get(response);
  if (s) served.push({ id: s.id, start: s.start, end: now() });
});
subscribe('undici:request:create', ({ request }) => pending.set(request, { create: now(), sent: 0 }));
subscribe('undici:client:sendHeaders', ({ request }) => {
  const p = pending.get(request);
  if (p) p.sent = now();
});
subscribe('undici:request:headers', ({ request }) => {
  const p = pending.get(request);
  if (p) calls.push({ create: p.create, sent: p.sent, headers: now(), origin: request.origin });
});

process.on('SIGUSR2', () => {
  const pct = (p) => eld.percentile(p) / 1e6;
  const report = {
    pid: process.pid,
    gc,
    stalls,
    served,
    calls,
    eventLoopDelay: { p50: pct(50), p99: pct(99), p999: pct(99.9), max: eld.max / 1e6, mean: eld.mean / 1e6 },
  };
  writeFileSync(out, JSON.stringify(report));
  gc = [];
  stalls = [];
  served = [];
  calls = [];
  eld.reset();
});
