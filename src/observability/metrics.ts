import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';
import type { Source } from '../errors.js';
import { OperationMetrics } from './operation-metrics.js';
import { PlainHistogram, type HistogramCell } from './plain-histogram.js';

export interface MetricsOptions {
  /** Distinct GraphQL operation names with a label value of their own (METRICS_MAX_OPERATIONS). */
  maxOperationNames: number;
}


/** A circuit breaker's state, as the gauge reports it. */
export type CircuitState = 'closed' | 'open' | 'half-open';

/** What a vendor client reports to the metrics: labels are the route template and status, never ids. */
export interface UpstreamMetrics {
  /**
   * One attempt: its HTTP status, or `timeout` / `network`, and its duration; or a call refused
   * without being sent: `circuit_open` (the vendor's breaker) or `rate_limited_local` (the
   * credential's Retry-After has not passed).
   */
  call(route: string, status: string, seconds: number): void;
  retry(route: string, reason: string): void;
  /** A retry the vendor's retry budget refused (the call failed with its own error instead). */
  retryDenied(route: string): void;
}

/** The live-status counters read at each scrape (StatusHub.health()). */
export interface LiveStatusReadings {
  health(): { subscriptions: number; watchers: number; leading: number; pollsChanged: number; pollsUnchanged: number; pollErrors: number; initialFetches: number };
}

/**
 * Prometheus metrics of one gateway instance, served at `GET /metrics`. Each gateway builds its own
 * registry (never prom-client's global one), so two gateways in one process (tests) count apart.
 *
 * Labels are bounded sets only: vendor, route *template* (`GET /processings/{id}/v2`), status,
 * state, error code, and GraphQL operation names up to a cap (operation-metrics.ts). Never an id, a
 * token, a URL, a query text or a variable.
 *
 * To add a family: create it with `registers: [this.registry]` in a method or field of this class
 * (or of a small class next to it that takes the registry), named `gateway_<area>_<what>_<unit>`.
 */
export class GatewayMetrics {
  readonly registry = new Registry();

  /**
   * Calls are counted in plain numbers on the hot path (`upstream()`), and handed to the counter
   * only when it is scraped: prom-client hashes the labels on every `inc` and `observe`, about 1 µs a
   * call. Durations go to PlainHistogram cells, read at scrape too.
   */
  private readonly callCounts: { vendor: string; route: string; status: string; n: number; reported: number }[] = [];

  private readonly upstreamCalls = new Counter({
    name: 'gateway_upstream_requests_total',
    help: 'Vendor HTTP calls (each attempt), by vendor, route template and status (HTTP status, timeout, network; circuit_open and rate_limited_local: refused unsent).',
    labelNames: ['vendor', 'route', 'status'] as const,
    registers: [this.registry],
    collect: () => {
      for (const c of this.callCounts) {
        if (c.n === c.reported) continue;
        this.upstreamCalls.inc({ vendor: c.vendor, route: c.route, status: c.status }, c.n - c.reported);
        c.reported = c.n;
      }
    },
  });

  private readonly upstreamDuration = new PlainHistogram({
    name: 'gateway_upstream_request_duration_seconds',
    help: 'Vendor HTTP call duration (each attempt, until the response headers), by vendor and route template.',
    labelNames: ['vendor', 'route'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });

  private readonly upstreamRetries = new Counter({
    name: 'gateway_upstream_retries_total',
    help: 'Vendor calls retried, by vendor, route template and the failure retried (status, timeout, reset, refused).',
    labelNames: ['vendor', 'route', 'reason'] as const,
    registers: [this.registry],
  });

  private readonly upstreamRetriesDenied = new Counter({
    name: 'gateway_upstream_retries_denied_total',
    help: "Retries of vendor reads refused because the vendor's retry budget was spent (UPSTREAM_RETRY_RATIO over UPSTREAM_RETRY_RATIO_WINDOW_SECONDS), by vendor and route template.",
    labelNames: ['vendor', 'route'] as const,
    registers: [this.registry],
  });

  private readonly breakers = new Map<string, () => CircuitState>();

  /** GraphQL operations over HTTP (Apollo plugin) and graphql-ws (ws-server.ts). */
  readonly operations: OperationMetrics;

  private status: LiveStatusReadings | null = null;

  constructor(opts: MetricsOptions) {
    this.operations = new OperationMetrics(this.registry, opts.maxOperationNames);
    const breakers = this.breakers;
    new Gauge({
      name: 'gateway_upstream_circuit_state',
      help: 'Circuit breaker per vendor: 1 for its current state (closed, open, half-open), 0 for the others.',
      labelNames: ['vendor', 'state'] as const,
      registers: [this.registry],
      collect() {
        for (const [vendor, state] of breakers) {
          const now = state();
          for (const s of ['closed', 'open', 'half-open'] as const) this.set({ vendor, state: s }, s === now ? 1 : 0);
        }
      },
    });
    this.statusMetrics();
    collectDefaultMetrics({ register: this.registry });
  }

  /** Reports the live-status hub's state and counters at each scrape. */
  trackStatus(hub: LiveStatusReadings): void {
    this.status = hub;
  }

  /**
   * Live status, read from the hub when scraped (its poll counters are plain numbers the watchers
   * add to): open subscriptions, watchers, and polls by what they found.
   */
  private statusMetrics(): void {
    const health = () => this.status?.health();
    const gauge = (name: string, help: string, read: (h: NonNullable<ReturnType<typeof health>>) => number) =>
      new Gauge({
        name,
        help,
        registers: [this.registry],
        collect() {
          const h = health();
          this.set(h ? read(h) : 0);
        },
      });
    gauge('gateway_status_subscriptions', 'Live-status subscriptions open on this replica.', (h) => h.subscriptions);
    gauge('gateway_status_watchers', 'Watched jobs on this replica (one watcher per credential and job, shared by its subscribers).', (h) => h.watchers);
    gauge('gateway_status_watchers_leading', 'Watchers this replica polls for (it holds their poll lease; all of them without Redis).', (h) => h.leading);
    const reported = { changed: 0, unchanged: 0, failed: 0, initial: 0 };
    new Counter({
      name: 'gateway_status_polls_total',
      help: 'Live-status polls whose answer was used, by outcome: changed (a change was published, or the job was gone), unchanged, failed (vendor error).',
      labelNames: ['outcome'] as const,
      registers: [this.registry],
      collect() {
        const h = health();
        if (!h) return;
        for (const [outcome, n] of [['changed', h.pollsChanged], ['unchanged', h.pollsUnchanged], ['failed', h.pollErrors]] as const) {
          if (n > reported[outcome]) this.inc({ outcome }, n - reported[outcome]);
          reported[outcome] = n;
        }
      },
    });
    new Counter({
      name: 'gateway_status_initial_fetches_total',
      help: 'First lookups of newly watched jobs (the state a subscription starts with), not counted as polls.',
      registers: [this.registry],
      collect() {
        const h = health();
        if (h && h.initialFetches > reported.initial) this.inc(h.initialFetches - reported.initial);
        if (h) reported.initial = h.initialFetches;
      },
    });
  }

  /**
   * The recorder one vendor client reports to: a call costs three map lookups, an increment and a
   * bucket search (the histogram's cell is made once per route).
   */
  upstream(source: Source): UpstreamMetrics {
    const vendor = source.toLowerCase();
    const counts = this.callCounts;
    const calls = new Map<string, Map<string, { n: number }>>();
    const durations = new Map<string, HistogramCell>();
    const retries = this.upstreamRetries;
    const denied = this.upstreamRetriesDenied;
    const histogram = this.upstreamDuration;
    return {
      call(route, status, seconds) {
        let byStatus = calls.get(route);
        if (!byStatus) calls.set(route, (byStatus = new Map()));
        let c = byStatus.get(status);
        if (!c) {
          const slot = { vendor, route, status, n: 0, reported: 0 };
          counts.push(slot);
          byStatus.set(status, (c = slot));
        }
        c.n++;
        // Refused unsent (breaker open, credential held after a 429): no duration to record.
        if (status === 'circuit_open' || status === 'rate_limited_local') return;
        let h = durations.get(route);
        if (!h) durations.set(route, (h = histogram.cell({ vendor, route })));
        h.observe(seconds);
      },
      retry(route, reason) {
        retries.inc({ vendor, route, reason });
      },
      retryDenied(route) {
        denied.inc({ vendor, route });
      },
    };
  }

  /** Reports a breaker's state at each scrape. */
  trackBreaker(source: Source, state: () => CircuitState): void {
    this.breakers.set(source.toLowerCase(), state);
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  render(): Promise<string> {
    return this.registry.metrics();
  }
}
