/**
 * Samples a running gateway over time, for the soak and the memory figures: its RSS from /proc
 * (what the kernel charges it, as a container limit sees it), and from its own `GET /metrics` the V8
 * heap, the event-loop delay, garbage collections, open live-status subscriptions and watchers, and
 * the vendors' circuit breakers.
 *
 * Event-loop delay comes from prom-client's default metrics (`nodejs_eventloop_lag_p50/p99/max_seconds`):
 * a `monitorEventLoopDelay` histogram that each scrape reads and resets, so every sample covers the
 * interval since the previous one, provided nothing else scrapes this gateway meanwhile. The histogram
 * records the time between two ticks of a 10 ms timer, so an idle loop reads about 10 ms; the delay
 * reported here is that minus the 10 ms tick.
 */
import { cpuMs, loadMeter, rssBytes, type Load } from './measure.js';

/** prom-client's default `eventLoopMonitoringPrecision`: the timer period the lag histogram samples with. */
export const EVENT_LOOP_TICK_MS = 10;

export interface Sample {
  /** ms since the sampler started. */
  t: number;
  phase: string;
  rss: number;
  heapUsed: number;
  heapTotal: number;
  /** Event-loop delay over the interval since the previous sample, beyond the 10 ms tick, ms. */
  loopP50: number;
  loopP99: number;
  loopMax: number;
  /** Gateway CPU over the interval, in cores (1 = one core busy). */
  cpuCores: number;
  /**
   * CPU used meanwhile by processes other than the gateway and this one (other jobs on the machine),
   * in cores of cores 0–1: when it is high, delays measure the machine rather than the gateway.
   */
  otherCores: number;
  /** Garbage collections since the previous sample. */
  gcMinor: number;
  gcMajor: number;
  subscriptions: number;
  watchers: number;
  /** Vendors whose breaker is not closed, e.g. `mapflow:open`. */
  breakers: string[];
}

/** The value lines of a Prometheus text exposition: `name{labels}` → value. */
export function parseMetrics(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const cut = line.lastIndexOf(' ');
    out.set(line.slice(0, cut), Number(line.slice(cut + 1)));
  }
  return out;
}

const loopMs = (seconds: number | undefined) => (seconds === undefined ? Number.NaN : Math.max(0, seconds * 1000 - EVENT_LOOP_TICK_MS));

export class GatewaySampler {
  readonly samples: Sample[] = [];
  private timer: NodeJS.Timeout | null = null;
  /** performance.now() at construction: samples' `t` counts from it. */
  readonly t0 = performance.now();
  private last: { at: number; cpu: number; gcMinor: number; gcMajor: number; load: () => Load } | null = null;
  phase = '';

  constructor(
    private readonly origin: string,
    private readonly pid: number,
  ) {}

  /** Scrapes of /metrics that failed or took over 10 s (the sample then has RSS only). */
  failedScrapes = 0;
  /**
   * Off: samples read RSS and CPU from /proc only, so the gateway does no work at all for them (a
   * scrape allocates, and allocation is what makes V8 collect). The next scrape's GC counts then
   * cover the whole unscraped stretch.
   */
  scrape = true;

  /** One sample now (the first one only sets the baseline of the interval counters). */
  async sample(): Promise<Sample | null> {
    let m = new Map<string, number>();
    if (this.scrape) {
      try {
        m = parseMetrics(await (await fetch(`${this.origin}/metrics`, { signal: AbortSignal.timeout(10_000) })).text());
      } catch {
        this.failedScrapes++; // the gateway is too busy to answer in time, or gone: RSS still tells
      }
    }
    const scraped = m.size > 0;
    const at = performance.now();
    const cpu = cpuMs(this.pid);
    const gcMinor = m.get('nodejs_gc_duration_seconds_count{kind="minor"}') ?? Number.NaN;
    const gcMajor = (m.get('nodejs_gc_duration_seconds_count{kind="major"}') ?? Number.NaN) + (m.get('nodejs_gc_duration_seconds_count{kind="incremental"}') ?? 0);
    const prev = this.last;
    this.last = { at, cpu, gcMinor: scraped ? gcMinor : (prev?.gcMinor ?? Number.NaN), gcMajor: scraped ? gcMajor : (prev?.gcMajor ?? Number.NaN), load: loadMeter([this.pid]) };
    if (!prev) return null;
    const breakers: string[] = [];
    for (const vendor of ['mapflow', 'flai', 'cupix']) {
      for (const state of ['open', 'half-open']) if (m.get(`gateway_upstream_circuit_state{vendor="${vendor}",state="${state}"}`) === 1) breakers.push(`${vendor}:${state}`);
    }
    const s: Sample = {
      t: at - this.t0,
      phase: this.phase,
      rss: rssBytes(this.pid),
      heapUsed: m.get('nodejs_heap_size_used_bytes') ?? Number.NaN,
      heapTotal: m.get('nodejs_heap_size_total_bytes') ?? Number.NaN,
      loopP50: loopMs(m.get('nodejs_eventloop_lag_p50_seconds')),
      loopP99: loopMs(m.get('nodejs_eventloop_lag_p99_seconds')),
      loopMax: loopMs(m.get('nodejs_eventloop_lag_max_seconds')),
      cpuCores: (cpu - prev.cpu) / (at - prev.at),
      otherCores: prev.load().foreignCores,
      gcMinor: scraped ? gcMinor - prev.gcMinor : Number.NaN,
      gcMajor: scraped ? gcMajor - prev.gcMajor : Number.NaN,
      subscriptions: m.get('gateway_status_subscriptions') ?? Number.NaN,
      watchers: m.get('gateway_status_watchers') ?? Number.NaN,
      breakers,
    };
    this.samples.push(s);
    return s;
  }

  /** Samples every `everyMs` until stop(). */
  async start(everyMs: number): Promise<void> {
    await this.sample();
    const tick = async () => {
      await this.sample();
      if (this.timer) this.timer = setTimeout(() => void tick(), everyMs);
    };
    this.timer = setTimeout(() => void tick(), everyMs);
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
