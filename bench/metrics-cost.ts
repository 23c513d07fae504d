/**
 * `npm run bench`, cost of the GraphQL operation metrics on the request path (issue 7 "Prometheus
 * metrics"): what the Apollo plugin (src/observability/operation-metrics.ts) adds to one HTTP request, i.e.
 * its `requestDidStart` and `willSendResponse` hooks on a request context shaped like Apollo's, in a
 * tight loop; beside it, the same counting done the usual prom-client way (`counter.inc(labels)` and
 * `histogram.observe(labels, v)`, both hashing the labels), for scale. Nothing else runs in the loop:
 * the figure is the plugin's own CPU per request, not a share of a real request's time (which the
 * throughput rows measure, plugin included).
 *
 * Standalone: `npx tsx bench/metrics-cost.ts`. Settings: BENCH_METRICS_ITERATIONS (default 2,000,000).
 */
import { pathToFileURL } from 'node:url';
import type { ApolloServerPlugin, BaseContext, GraphQLRequestContext, GraphQLRequestListener } from '@apollo/server';
import { OperationTypeNode, parse, type OperationDefinitionNode } from 'graphql';
import { Counter, Histogram, Registry } from 'prom-client';
import { GatewayMetrics } from '../src/observability/metrics.js';
import { operationMetricsPlugin } from '../src/observability/operation-metrics.js';

export interface MetricsCostResult {
  iterations: number;
  /** ns per request: the plugin's two hooks, a request without errors. */
  pluginNs: number;
  /** ns per request: the same with a partial answer (two errors counted by code). */
  pluginWithErrorsNs: number;
  /** ns per request: prom-client's counter.inc + histogram.observe with label objects. */
  promClientNs: number;
  /** ns per iteration of the empty loop (subtracted from the figures above). */
  loopNs: number;
  /** ns per vendor call recorded (GatewayMetrics.upstream().call), loop overhead not subtracted. */
  upstreamCallNs: number;
}

const setting = (name: string, def: number) => {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v > 0 ? v : def;
};

type Rc = GraphQLRequestContext<BaseContext>;

/** A request context with what the plugin reads: operation, metrics, response body. */
function requestContext(operation: OperationDefinitionNode, errors: boolean): Rc {
  const singleResult = errors
    ? { data: { a: { id: '1' }, b: null }, errors: [{ message: 'x', extensions: { code: 'UPSTREAM_UNAVAILABLE' } }, { message: 'y', extensions: { code: 'UPSTREAM_TIMEOUT' } }] }
    : { data: { a: { id: '1' } } };
  return { operation, metrics: {}, response: { http: { headers: new Map(), status: 200 }, body: { kind: 'single', singleResult } } } as unknown as Rc;
}

async function timeHooks(plugin: ApolloServerPlugin<BaseContext>, make: () => Rc, n: number): Promise<number> {
  // Apollo awaits each hook; the loop awaits them too, as the pipeline does.
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) {
    const rc = make();
    const listener = (await plugin.requestDidStart!(rc)) as GraphQLRequestListener<BaseContext>;
    await listener.willSendResponse!(rc as never);
  }
  return Number(process.hrtime.bigint() - t0) / n;
}

async function timeLoop(make: () => Rc, n: number): Promise<number> {
  const noop: GraphQLRequestListener<BaseContext> = { willSendResponse: async () => {} };
  const plugin: ApolloServerPlugin<BaseContext> = { requestDidStart: async () => noop };
  return timeHooks(plugin, make, n);
}

export async function runMetricsCostBench(): Promise<{ rows: string[][]; notes: string[]; result: MetricsCostResult }> {
  const n = setting('BENCH_METRICS_ITERATIONS', 2_000_000);
  console.log(`\nmetrics cost: ${n} requests through the operation-metrics plugin's hooks`);
  const operation = parse('query SingleProcessing($id: ID!) { processing(id: $id) { id } }').definitions[0] as OperationDefinitionNode;
  const metrics = new GatewayMetrics({ maxOperationNames: 200 });
  const plugin = operationMetricsPlugin<BaseContext>(metrics.operations.http);
  // Fresh context objects per request, as Apollo makes them (their cost is in `loop` and subtracted).
  const ok = () => requestContext(operation, false);
  const partial = () => requestContext(operation, true);

  // prom-client the usual way: label objects hashed on every call.
  const registry = new Registry();
  const counter = new Counter({ name: 'c_total', help: 'c', labelNames: ['transport', 'type', 'operation', 'outcome'] as const, registers: [registry] });
  const histogram = new Histogram({ name: 'h_seconds', help: 'h', labelNames: ['transport', 'type', 'operation'] as const, buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30], registers: [registry] });
  const promPlugin: ApolloServerPlugin<BaseContext> = {
    async requestDidStart(rc) {
      const t0 = performance.now();
      return {
        async willSendResponse() {
          const type = rc.operation?.operation ?? OperationTypeNode.QUERY;
          const name = rc.operation?.name?.value ?? '(anonymous)';
          counter.inc({ transport: 'http', type, operation: name, outcome: 'ok' });
          histogram.observe({ transport: 'http', type, operation: name }, (performance.now() - t0) / 1000);
        },
      };
    },
  };

  const rounds = 5;
  const samples = { loop: [] as number[], loopErrors: [] as number[], plugin: [] as number[], errors: [] as number[], prom: [] as number[] };
  const per = Math.ceil(n / rounds);
  await timeHooks(plugin, ok, 100_000); // warm-up (JIT)
  await timeHooks(promPlugin, ok, 100_000);
  await timeLoop(ok, 100_000);
  for (let r = 0; r < rounds; r++) {
    samples.loop.push(await timeLoop(ok, per));
    samples.loopErrors.push(await timeLoop(partial, per));
    samples.plugin.push(await timeHooks(plugin, ok, per));
    samples.errors.push(await timeHooks(plugin, partial, per));
    samples.prom.push(await timeHooks(promPlugin, ok, per));
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
  // A vendor call's recording (src/datasources/http/upstream-http.ts calls it once per attempt).
  const upstream = metrics.upstream('MAPFLOW');
  const routes = ['GET /processings/{id}/v2', 'POST /projects/page', 'POST /projects/{id}/processings/v2/page'];
  const timeCalls = (count: number) => {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < count; i++) upstream.call(routes[i % 3], '200', 0.002 + (i % 7) * 0.001);
    return Number(process.hrtime.bigint() - t0) / count;
  };
  timeCalls(100_000);
  const upstreamSamples = Array.from({ length: rounds }, () => timeCalls(per));
  const loopNs = median(samples.loop);
  const result: MetricsCostResult = {
    iterations: per * rounds,
    loopNs,
    pluginNs: Math.max(0, median(samples.plugin) - loopNs),
    pluginWithErrorsNs: Math.max(0, median(samples.errors) - median(samples.loopErrors)),
    promClientNs: Math.max(0, median(samples.prom) - loopNs),
    upstreamCallNs: median(upstreamSamples),
  };
  // The registry still renders what was counted (the figures are of working code).
  const text = await metrics.render();
  if (!text.includes('gateway_graphql_operations_total{transport="http",type="query",operation="SingleProcessing",outcome="ok"}')) {
    throw new Error('bench/metrics-cost: the plugin counted nothing');
  }
  const us = (ns: number) => `${(ns / 1000).toFixed(3)} µs`;
  const rows = [
    [
      'GraphQL operation metrics: added CPU per request (plugin hooks)',
      `${us(result.pluginNs)} (${us(result.pluginWithErrorsNs)} with 2 errors)`,
      `${us(result.promClientNs)} prom-client labels per call`,
      (result.pluginNs / result.promClientNs).toFixed(2),
      `median of ${rounds} rounds`,
      '≤ 1 µs',
    ],
    ['Vendor-call metrics: CPU per call recorded', us(result.upstreamCallNs), '—', '—', `median of ${rounds} rounds`, '—'],
  ];
  const notes = [
    `Metrics cost: ${result.iterations} requests through the operation-metrics plugin's requestDidStart + willSendResponse (awaited, as Apollo does) on Apollo-shaped request contexts, minus the same loop with no-op hooks (${us(loopNs)} per request); compared with counting the same labels through prom-client's counter.inc(labels) + histogram.observe(labels, v).`,
  ];
  console.log(
    `  plugin ${us(result.pluginNs)} per request (${us(result.pluginWithErrorsNs)} with errors); prom-client labels ${us(result.promClientNs)}; empty loop ${us(loopNs)}; vendor call recorded ${us(result.upstreamCallNs)}`,
  );
  return { rows, notes, result };
}

const isMain = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isMain) {
  const r = await runMetricsCostBench();
  console.log(JSON.stringify(r.result));
}
