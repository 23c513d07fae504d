import 'reflect-metadata';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadConfig, type Config } from './config.js';
import type { AppDeps, GatewayContext } from './context.js';
import { createVendorServices } from './datasources/vendor-services.js';
import { cupixErrorInfo } from './datasources/cupix/cupix.errors.js';
import { flaiErrorInfo } from './datasources/flai/flai.errors.js';
import { RateLimitShare, type RateLimitGate } from './datasources/http/rate-limit-gate.js';
import { breakerPolicy, RetryBudget, retryPolicy, vendorRetryPolicy } from './datasources/http/resilience.js';
import { UpstreamHttp } from './datasources/http/upstream-http.js';
import { mapflowErrorInfo } from './datasources/mapflow/mapflow.errors.js';
import { SCHEMA_PARTS, type SchemaPart } from './federation/subgraphs.js';
import { createResultsLinks } from './links/results-links.js';
import { createUploadsDeps } from './datasources/uploads/uploads.deps.js';
import { createClassifyDeps } from './datasources/classify/classify.deps.js';
import { buildServedSchema } from './federation/build-schema.js';
import { createApollo } from './server/apollo.js';
import { graphqlLimits } from './server/graphql-limits.js';
import { drainHttpServer } from './lifecycle/drain.js';
import { createHttpServer } from './server/http-server.js';
import { createLogger, withoutCredentials, type Logger } from './observability/logger.js';
import { GatewayMetrics } from './observability/metrics.js';
import { operationMetricsPlugin } from './observability/operation-metrics.js';
import { RequestRateLimiter } from './server/rate-limit.js';
import { decideReadiness } from './server/readiness.js';
import { startTracing } from './observability/tracing.js';
import { createWebAssets } from './server/web-assets.js';
import { createWsServer } from './server/ws-server.js';
import { startSimulators, type Simulators } from './simulators/index.js';
import { StatusHub } from './status/hub.js';
import type { Vendor } from './credentials.js';

/** How long a stopping gateway lets in-flight HTTP requests finish (main.ts exits at 10 s regardless). */
const HTTP_DRAIN_MS = 8_000;

export interface GatewayOptions {
  /** Environment to read the configuration from (default: process.env). */
  env?: NodeJS.ProcessEnv;
  log?: Logger;
  /** What to serve: everything (default), or one Federation 2 subgraph (`npm start -- --subgraph flai`). */
  part?: SchemaPart;
  /** The clock (monotonic ms) of the vendors' retry budgets: performance.now unless a test drives it. */
  clock?: () => number;
}

export interface Gateway {
  config: Config;
  part: SchemaPart;
  /** `http://127.0.0.1:<port>` */
  origin: string;
  /** `http://127.0.0.1:<port>/graphql` */
  url: string;
  port: number;
  server: Server;
  /** The simulators started in-process for vendors that have no `*_URL`. */
  simulators: Partial<Simulators>;
  /** Live status: watchers and their PubSub (Redis when REDIS_URL is set). */
  status: StatusHub;
  /** Per-instance Prometheus registry (`GET /metrics`). */
  metrics: GatewayMetrics;
  /** The graphql-ws parsed-document cache's size (entries, total query length). */
  wsDocumentCache(): { entries: number; bytes: number };
  /**
   * Drains: no new connections, WebSockets closed with 1001, watchers stopped (leases released),
   * in-flight HTTP requests finished (at most HTTP_DRAIN_MS), then the embedded simulators.
   */
  close(): Promise<void>;
}

/**
 * Starts the whole gateway, or one subgraph of it. Vendors it serves without a `*_URL` get their
 * embedded simulator, started in-process on a free port, and the simulator's demo credential unless
 * a `*_TOKEN` is set. A vendor subgraph has the simulator, HTTP client and watchers of its vendor only.
 */
export async function startGateway(opts: GatewayOptions = {}): Promise<Gateway> {
  const baseConfig = loadConfig(opts.env ?? process.env);
  const log = opts.log ?? createLogger(baseConfig.LOG_LEVEL);
  if (baseConfig.NODE_ENV === 'production' && !baseConfig.REDIS_URL) {
    log.warn(
      { redis: false },
      'REDIS_URL is not set: rate limits, live-status watchers and the resultsUrl vault are per process; with more than one replica they are not shared',
    );
  }
  const part = opts.part ?? 'unified';
  const vendors = SCHEMA_PARTS[part].vendors;
  const serves = (v: Vendor) => vendors.includes(v);
  const embedded = {
    mapflow: serves('mapflow') && !baseConfig.MAPFLOW_URL,
    flai: serves('flai') && !baseConfig.FLAI_URL,
    cupix: serves('cupix') && !baseConfig.CUPIX_URL,
  };
  const simulators = await startSimulators({ timeScale: baseConfig.SIM_TIME_SCALE, documentedVariants: baseConfig.SIM_DOCUMENTED_VARIANTS, only: embedded });
  const config: Config = {
    ...baseConfig,
    MAPFLOW_URL: baseConfig.MAPFLOW_URL ?? simulators.mapflow?.url,
    MAPFLOW_TOKEN: baseConfig.MAPFLOW_TOKEN ?? simulators.mapflow?.demoToken,
    FLAI_URL: baseConfig.FLAI_URL ?? simulators.flai?.origin,
    FLAI_TOKEN: baseConfig.FLAI_TOKEN ?? simulators.flai?.demoToken,
    CUPIX_URL: baseConfig.CUPIX_URL ?? simulators.cupix?.url,
    CUPIX_TOKEN: baseConfig.CUPIX_TOKEN ?? simulators.cupix?.demoToken,
  };
  for (const [vendor, on] of Object.entries(embedded)) {
    if (on) log.info({ vendor, url: simulators[vendor as keyof Simulators]?.origin }, 'no URL set: using the embedded simulator with its demo credential');
  }

  const tracing = await startTracing(config);
  if (config.tracesUrl) log.info({ tracesUrl: withoutCredentials(config.tracesUrl) }, 'tracing on: spans exported over OTLP/HTTP');
  const metrics = new GatewayMetrics({ maxOperationNames: config.METRICS_MAX_OPERATIONS });
  const retry = retryPolicy(config);
  const vendorRetries = vendorRetryPolicy(config);
  const breaker = breakerPolicy(config);
  const resilience = (source: 'MAPFLOW' | 'FLAI' | 'CUPIX') => ({ source, retry, vendorRetries, clock: opts.clock, breaker, metrics: metrics.upstream(source), log, wrapCall: tracing?.vendorCall });
  const http: AppDeps['http'] = {
    mapflow: serves('mapflow') ? new UpstreamHttp({ ...resilience('MAPFLOW'), baseUrl: config.MAPFLOW_URL!, timeoutMs: config.MAPFLOW_TIMEOUT_MS, parseError: mapflowErrorInfo }) : undefined,
    // FLAI_URL is the host; every Flai path is below /api/v1.
    flai: serves('flai') ? new UpstreamHttp({ ...resilience('FLAI'), baseUrl: `${config.FLAI_URL!}/api/v1`, timeoutMs: config.FLAI_TIMEOUT_MS, parseError: flaiErrorInfo }) : undefined,
    cupix: serves('cupix') ? new UpstreamHttp({ ...resilience('CUPIX'), baseUrl: config.CUPIX_URL!, timeoutMs: config.CUPIX_TIMEOUT_MS, parseError: cupixErrorInfo }) : undefined,
  };
  for (const client of Object.values(http)) if (client) metrics.trackBreaker(client.source, () => client.core.breaker.state());

  let publicUrl = config.PUBLIC_URL ?? '';
  const links = await createResultsLinks(config, () => publicUrl, log);
  // Live status does not retry within a poll: the watcher's next poll is the retry, with its own
  // backoff and error count (STATUS_BACKOFF_MAX_MS, STATUS_MAX_POLL_ERRORS). A watch's first lookup
  // and each event's execution retry like any request.
  const status = await StatusHub.create({
    config,
    log,
    services: (credentials, purpose) => createVendorServices(deps, credentials, purpose === 'poll' ? RetryBudget.NONE : undefined),
  });
  const uploads = SCHEMA_PARTS[part].uploads ? await createUploadsDeps(config, links, () => publicUrl, log, (owner, job) => status.publishGatewayJob(owner, job)) : undefined;
  // Classifications call Cupix and Flai in one job: only where both are served (the unified server, the `jobs` subgraph).
  const classify =
    http.cupix && http.flai
      ? await createClassifyDeps({
          config,
          vault: links.vault,
          http: { cupix: http.cupix },
          retry,
          log,
          publish: (owner, job) => status.publishGatewayJob(owner, job),
          services: (credentials) => createVendorServices(deps, credentials),
        })
      : undefined;
  const deps: AppDeps = { config, http, links, status, retry, log, uploads, classify };
  metrics.trackStatus(status);
  const schema = await buildServedSchema(part, { maxRepresentations: config.FEDERATION_MAX_REPRESENTATIONS });
  const limits = graphqlLimits(config);
  const rateLimiter = await RequestRateLimiter.create(config, log);
  // A vendor's 429 holds back that credential on every replica, not only on the one that got it.
  const gates: Record<string, RateLimitGate> = {};
  for (const v of vendors) if (http[v]) gates[v] = http[v].core.gate;
  const rateLimitShare = config.REDIS_URL ? await RateLimitShare.start({ url: config.REDIS_URL, prefix: config.STATUS_REDIS_PREFIX, gates, log }) : null;
  const plugins = [operationMetricsPlugin<GatewayContext>(metrics.operations.http), ...(tracing ? [tracing.apolloPlugin] : [])];
  const apollo = createApollo(schema, log, config.NODE_ENV, { limits, batching: config.GRAPHQL_BATCHING }, plugins);
  await apollo.start();
  const server = createHttpServer({
    deps,
    apollo,
    log,
    tracing,
    web: createWebAssets(config.WEB_DIST_DIR),
    metrics,
    rateLimiter,
    readiness: () =>
      decideReadiness(
        Object.fromEntries(vendors.map((v) => [v, { embedded: embedded[v], ...http[v]!.health() }])),
        { configured: !!config.REDIS_URL, connected: links.vault.health().connected },
        { maxUpstreamFailures: config.READYZ_UPSTREAM_FAILURES, recoveryMs: config.READYZ_RECOVERY_MS },
      ),
    liveStatus: () => status.health(),
  });
  const ws = createWsServer({ server, schema, deps, log, tracing, limits, rateLimiter, operations: metrics.operations.ws });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.PORT, config.HOST, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;
  publicUrl ||= `http://localhost:${port}`;
  log.info({ url: `http://localhost:${port}/graphql`, ...(part === 'unified' ? {} : { subgraph: part }) }, part === 'unified' ? 'gateway listening' : 'subgraph listening');

  return {
    config,
    part,
    origin,
    url: `${origin}/graphql`,
    port,
    server,
    simulators,
    status,
    metrics,
    wsDocumentCache: () => ws.documentCache(),
    async close() {
      const http = drainHttpServer(server, HTTP_DRAIN_MS);
      await ws.dispose();
      await classify?.close();
      await status.close();
      await http;
      await apollo.stop();
      await links.close();
      await uploads?.store.close();
      await rateLimiter.close();
      await rateLimitShare?.close();
      await simulators.close();
      await tracing?.shutdown();
    },
  };
}
