import 'reflect-metadata';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadConfig, type Config } from './config.js';
import { createContext, type AppDeps } from './context.js';
import { cupixErrorInfo } from './datasources/cupix/cupix.errors.js';
import { flaiErrorInfo } from './datasources/flai/flai.errors.js';
import { breakerPolicy, RetryBudget, retryPolicy } from './datasources/http/resilience.js';
import { UpstreamHttp } from './datasources/http/upstream-http.js';
import { mapflowErrorInfo } from './datasources/mapflow/mapflow.errors.js';
import { ResultsLinks } from './links/results-links.js';
import { buildGatewaySchema } from './schema/build-schema.js';
import { createApollo } from './server/apollo.js';
import { graphqlLimits } from './server/graphql-limits.js';
import { createHttpServer, drainHttpServer } from './server/http-server.js';
import { createLogger, type Logger } from './server/logger.js';
import { GatewayMetrics } from './server/metrics.js';
import { RequestRateLimiter } from './server/rate-limit.js';
import { createWsServer } from './server/ws-server.js';
import { startSimulators, type Simulators } from './simulators/index.js';
import { StatusHub } from './status/hub.js';

/** How long a stopping gateway lets in-flight HTTP requests finish (main.ts exits at 10 s regardless). */
const HTTP_DRAIN_MS = 8_000;

export interface GatewayOptions {
  /** Environment to read the configuration from (default: process.env). */
  env?: NodeJS.ProcessEnv;
  log?: Logger;
}

export interface Gateway {
  config: Config;
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
  /**
   * Drains: no new connections, WebSockets closed with 1001, watchers stopped (leases released),
   * in-flight HTTP requests finished (at most HTTP_DRAIN_MS), then the embedded simulators.
   */
  close(): Promise<void>;
}

/**
 * Starts the whole gateway. Vendors without a `*_URL` get their embedded simulator, started
 * in-process on a free port, and the simulator's demo credential unless a `*_TOKEN` is set.
 */
export async function startGateway(opts: GatewayOptions = {}): Promise<Gateway> {
  const baseConfig = loadConfig(opts.env ?? process.env);
  const log = opts.log ?? createLogger(baseConfig.LOG_LEVEL);
  const embedded = {
    mapflow: !baseConfig.MAPFLOW_URL,
    flai: !baseConfig.FLAI_URL,
    cupix: !baseConfig.CUPIX_URL,
  };
  const simulators = await startSimulators({ timeScale: baseConfig.SIM_TIME_SCALE, only: embedded });
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

  const metrics = new GatewayMetrics();
  const retry = retryPolicy(config);
  const breaker = breakerPolicy(config);
  const resilience = (source: 'MAPFLOW' | 'FLAI' | 'CUPIX') => ({ source, retry, breaker, metrics: metrics.upstream(source), log });
  const http = {
    mapflow: new UpstreamHttp({ ...resilience('MAPFLOW'), baseUrl: config.MAPFLOW_URL!, timeoutMs: config.MAPFLOW_TIMEOUT_MS, parseError: mapflowErrorInfo }),
    // FLAI_URL is the host; every Flai path is below /api/v1.
    flai: new UpstreamHttp({ ...resilience('FLAI'), baseUrl: `${config.FLAI_URL!}/api/v1`, timeoutMs: config.FLAI_TIMEOUT_MS, parseError: flaiErrorInfo }),
    cupix: new UpstreamHttp({ ...resilience('CUPIX'), baseUrl: config.CUPIX_URL!, timeoutMs: config.CUPIX_TIMEOUT_MS, parseError: cupixErrorInfo }),
  };
  for (const client of Object.values(http)) metrics.trackBreaker(client.source, () => client.core.breaker.state());

  let publicUrl = config.PUBLIC_URL ?? '';
  const links = new ResultsLinks(() => publicUrl, config.resultsUrlSecret, config.RESULTS_URL_TTL_SECONDS);
  // Live status does not retry within a poll: the watcher's next poll is the retry, with its own
  // backoff and error count (STATUS_BACKOFF_MAX_MS, STATUS_MAX_POLL_ERRORS).
  const status = await StatusHub.create({ config, log, services: (credentials) => createContext(deps, credentials, undefined, RetryBudget.NONE) });
  const deps: AppDeps = { config, http, links, status, retry };
  const schema = await buildGatewaySchema();
  const limits = graphqlLimits(config);
  const rateLimiter = await RequestRateLimiter.create(config, log);
  const apollo = createApollo(schema, log, config.NODE_ENV, [], { limits, batching: config.GRAPHQL_BATCHING });
  await apollo.start();
  const server = createHttpServer({
    deps,
    apollo,
    log,
    metrics,
    rateLimiter,
    readiness: () => ({
      mapflow: { embedded: embedded.mapflow, ...http.mapflow.health() },
      flai: { embedded: embedded.flai, ...http.flai.health() },
      cupix: { embedded: embedded.cupix, ...http.cupix.health() },
    }),
  });
  const ws = createWsServer({ server, schema, deps, log, limits, rateLimiter });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.PORT, config.HOST, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;
  publicUrl ||= `http://localhost:${port}`;
  log.info({ url: `http://localhost:${port}/graphql` }, 'gateway listening');

  return {
    config,
    origin,
    url: `${origin}/graphql`,
    port,
    server,
    simulators,
    status,
    metrics,
    async close() {
      const http = drainHttpServer(server, HTTP_DRAIN_MS);
      await ws.dispose();
      await status.close();
      await http;
      await apollo.stop();
      await rateLimiter.close();
      await simulators.close();
    },
  };
}
