import type { ApolloServerPlugin, BaseContext, GraphQLRequestListener } from '@apollo/server';
import { Counter, type Registry } from 'prom-client';
import type { HistogramCell } from './plain-histogram.js';
import { PlainHistogram } from './plain-histogram.js';

export type Transport = 'http' | 'ws';
export type OperationType = 'query' | 'mutation' | 'subscription' | 'unknown';
/** `partial`: errors, and at least one root field with data; `error`: errors and no data at all. */
export type Outcome = 'ok' | 'partial' | 'error';

/**
 * Label values that are not operation names (a GraphQL name cannot hold parentheses, so none of
 * these can be mistaken for one): an operation without a name; a request whose operation could not
 * be picked (parse or validation failure, no query, unknown `operationName`); a name past the cap.
 */
export const ANONYMOUS = '(anonymous)';
export const INVALID = '(invalid)';
export const OTHER = '(other)';
/** Longer names are counted as OTHER (a name is any GraphQL name; a label should stay short). */
const MAX_NAME_LENGTH = 100;
/** Distinct error codes kept apart; the codes are the gateway's own (docs/architecture.md, "Errors"), far fewer. */
const MAX_CODES = 50;

const DURATION_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** One (transport, type, operation) label set, counted in plain numbers and reported at scrape. */
interface Slot {
  labels: { transport: Transport; type: OperationType; operation: string };
  done: Record<Outcome, number>;
  reported: Record<Outcome, number>;
  started: number;
  startedReported: number;
  /** Queries and mutations only: a subscription's lifetime is no latency. */
  duration: HistogramCell | null;
}

/**
 * GraphQL operations of one gateway, by transport, operation type, operation name and outcome.
 * Nothing on the request path touches prom-client: a request costs a map lookup, two additions and a
 * bucket search; the counters get the differences when the registry is scraped (as the vendor-call
 * counters in metrics.ts do). Operation names are the client's choice, so at most `maxNames` distinct
 * ones get their own label value; later ones are counted as OTHER, and never stored.
 */
export class OperationMetrics {
  readonly http: OperationRecorder;
  readonly ws: OperationRecorder;
  private readonly slots: Slot[] = [];
  private readonly names = new Set<string>();
  private readonly codes: Record<Transport, Map<string, { code: string; n: number; reported: number }>> = { http: new Map(), ws: new Map() };
  private readonly duration: PlainHistogram<'transport' | 'type' | 'operation'>;

  constructor(
    registry: Registry,
    private readonly maxNames: number,
  ) {
    const { slots, codes } = this;
    new Counter({
      name: 'gateway_graphql_operations_total',
      help: 'GraphQL operations finished (subscriptions: ended), by transport (http, ws), type, operation name and outcome (ok, partial, error).',
      labelNames: ['transport', 'type', 'operation', 'outcome'] as const,
      registers: [registry],
      collect() {
        for (const s of slots) {
          for (const outcome of ['ok', 'partial', 'error'] as const) {
            const n = s.done[outcome] - s.reported[outcome];
            if (!n) continue;
            this.inc({ ...s.labels, outcome }, n);
            s.reported[outcome] += n;
          }
        }
      },
    });
    new Counter({
      name: 'gateway_graphql_subscriptions_started_total',
      help: 'Subscriptions started over graphql-ws, by operation name (their end is in gateway_graphql_operations_total{type="subscription"}).',
      labelNames: ['transport', 'operation'] as const,
      registers: [registry],
      collect() {
        for (const s of slots) {
          if (s.started === s.startedReported) continue;
          this.inc({ transport: s.labels.transport, operation: s.labels.operation }, s.started - s.startedReported);
          s.startedReported = s.started;
        }
      },
    });
    new Counter({
      name: 'gateway_graphql_errors_total',
      help: 'Errors in GraphQL responses as the client saw them, by transport and extensions.code.',
      labelNames: ['transport', 'code'] as const,
      registers: [registry],
      collect() {
        for (const transport of ['http', 'ws'] as const) {
          for (const c of codes[transport].values()) {
            if (c.n === c.reported) continue;
            this.inc({ transport, code: c.code }, c.n - c.reported);
            c.reported = c.n;
          }
        }
      },
    });
    this.duration = new PlainHistogram({
      name: 'gateway_graphql_operation_duration_seconds',
      help: 'GraphQL query and mutation duration (HTTP: from Apollo taking the request to the response ready; ws: from the subscribe message to the result sent), by transport, type and operation name.',
      labelNames: ['transport', 'type', 'operation'] as const,
      buckets: DURATION_BUCKETS,
      registers: [registry],
    });
    this.http = new OperationRecorder('http', this);
    this.ws = new OperationRecorder('ws', this);
  }

  /** A new slot; `name` is stored only when admitted under the cap. */
  newSlot(transport: Transport, type: OperationType, name: string, into: Map<string, Slot>): Slot {
    const special = name === ANONYMOUS || name === INVALID;
    const admitted = special || this.names.has(name) || (name.length <= MAX_NAME_LENGTH && this.names.size < this.maxNames);
    const operation = admitted ? name : OTHER;
    const existing = into.get(operation);
    if (existing) return existing;
    if (admitted && !special) this.names.add(name);
    const labels = { transport, type, operation };
    const slot: Slot = {
      labels,
      done: { ok: 0, partial: 0, error: 0 },
      reported: { ok: 0, partial: 0, error: 0 },
      started: 0,
      startedReported: 0,
      duration: type === 'subscription' ? null : this.duration.cell(labels),
    };
    this.slots.push(slot);
    into.set(operation, slot);
    return slot;
  }

  /** Counts the codes of a response's errors (only responses with errors get here). */
  countErrors(transport: Transport, errors: readonly { extensions?: Record<string, unknown> }[]): void {
    const byCode = this.codes[transport];
    for (const e of errors) {
      const raw = e.extensions?.code;
      let c = typeof raw === 'string' ? byCode.get(raw) : undefined;
      if (!c) {
        // A code not seen yet: kept under its own value if it looks like one and the cap allows.
        const valid = typeof raw === 'string' && /^[A-Z][A-Z0-9_]{0,63}$/.test(raw);
        const code = valid && this.codes.http.size + this.codes.ws.size < MAX_CODES ? raw : OTHER;
        c = byCode.get(code);
        if (!c) byCode.set(code, (c = { code, n: 0, reported: 0 }));
      }
      c.n++;
    }
  }
}

/** What one transport reports to: the slot of an operation, then its start and its end. */
export class OperationRecorder {
  private readonly byType: Record<OperationType, Map<string, Slot>> = { query: new Map(), mutation: new Map(), subscription: new Map(), unknown: new Map() };

  constructor(
    private readonly transport: Transport,
    private readonly owner: OperationMetrics,
  ) {}

  /** `name`: the operation's name, null when it has none, undefined when no operation could be picked. */
  slot(type: OperationType, name: string | null | undefined): Slot {
    const key = name === undefined ? INVALID : name === null ? ANONYMOUS : name;
    const map = this.byType[type];
    return map.get(key) ?? this.owner.newSlot(this.transport, type, key, map);
  }

  /** A subscription began streaming (or failed to). */
  started(slot: Slot): void {
    slot.started++;
  }

  /** An operation ended; `seconds` is ignored for subscriptions. */
  finished(slot: Slot, outcome: Outcome, seconds: number): void {
    slot.done[outcome]++;
    slot.duration?.observe(seconds);
  }

  errors(errors: readonly { extensions?: Record<string, unknown> }[]): void {
    this.owner.countErrors(this.transport, errors);
  }
}

export type { Slot as OperationSlot };

/** ok / partial / error of one GraphQL result (its errors formatted or not). */
export function outcomeOf(data: Record<string, unknown> | null | undefined, errors: readonly unknown[] | undefined): Outcome {
  if (!errors?.length) return 'ok';
  if (data) for (const k in data) if (data[k] !== null && data[k] !== undefined) return 'partial';
  return 'error';
}

/** Where the plugin keeps a request's start: Apollo's per-request `metrics`, meant for plugins. */
interface Timed {
  gatewayStartedAt?: number;
}

/**
 * Counts every operation Apollo answers over HTTP (each one of a batch), with its duration. One
 * listener for all requests and no per-field hooks: a request costs one property write, a map
 * lookup, a few additions and a bucket search. Requests refused before GraphQL (401, 413, 429, a body
 * that is not JSON, CSRF prevention) are not operations and are not counted.
 */
export function operationMetricsPlugin<T extends BaseContext>(ops: OperationRecorder): ApolloServerPlugin<T> {
  const done = Promise.resolve();
  const listener: GraphQLRequestListener<T> = {
    willSendResponse(rc) {
      const op = rc.operation;
      const slot = ops.slot(op ? op.operation : 'unknown', op ? (op.name?.value ?? null) : undefined);
      const body = rc.response.body;
      const result = body.kind === 'single' ? body.singleResult : body.initialResult;
      const outcome = outcomeOf(result.data, result.errors);
      if (outcome !== 'ok') ops.errors(result.errors!);
      ops.finished(slot, outcome, (performance.now() - (rc.metrics as Timed).gatewayStartedAt!) / 1000);
      return done;
    },
  };
  const started = Promise.resolve(listener);
  return {
    requestDidStart(rc) {
      (rc.metrics as Timed).gatewayStartedAt = performance.now();
      return started;
    },
  };
}
