import { randomBytes } from 'node:crypto';
import { z } from 'zod';

/**
 * The only place that reads `process.env`. Every variable is validated at start; a bad value stops
 * the process with one message naming every problem (see `loadConfig`).
 */
const url = z.url({ protocol: /^https?$/ }).transform((u) => u.replace(/\/+$/, ''));
const posInt = (def: number) => z.coerce.number().int().positive().default(def);
const optional = (s: z.ZodType<string>) => z.preprocess((v) => (v === '' ? undefined : v), s.optional());

const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  HOST: z.string().default('0.0.0.0'),
  /** Base URL used in generated links (resultsUrl); defaults to http://localhost:$PORT. */
  PUBLIC_URL: optional(url),

  MAPFLOW_URL: optional(url),
  FLAI_URL: optional(url),
  CUPIX_URL: optional(url),
  MAPFLOW_TOKEN: optional(z.string()),
  FLAI_TOKEN: optional(z.string()),
  FLAI_ORG_ID: optional(z.string()),
  CUPIX_TOKEN: optional(z.string()),

  GATEWAY_API_KEYS: optional(z.string()),
  REDIS_URL: optional(z.url({ protocol: /^rediss?$/ })),

  MAPFLOW_TIMEOUT_MS: posInt(15_000),
  FLAI_TIMEOUT_MS: posInt(15_000),
  CUPIX_TIMEOUT_MS: posInt(15_000),
  /** Most concurrent by-id calls one request fans out to one vendor. */
  UPSTREAM_CONCURRENCY: posInt(8),
  /** Most pages the gateway reads when it filters a list the vendor cannot filter. */
  FILTER_MAX_PAGES: posInt(20),
  /** Concurrent creates in `createProcessings`. */
  BULK_CONCURRENCY: posInt(4),
  /** /readyz: failed calls in a row that make an upstream not ready (0: never), and how long that lasts (src/server/readiness.ts). */
  READYZ_UPSTREAM_FAILURES: z.coerce.number().int().min(0).default(5),
  READYZ_RECOVERY_MS: posInt(30_000),
  /** HMAC key for signed `resultsUrl`s; random per process when unset (set it when running replicas). */
  RESULTS_URL_SECRET: optional(z.string().min(16)),
  RESULTS_URL_TTL_SECONDS: posInt(3600),
  /**
   * How `finalTransform` composes a Cupix sub with its group. `parent-first` = group.wtm × sub.tm
   * (column-major, applied to column vectors), the scene-graph convention the docs imply; `child-first`
   * = sub.tm × group.wtm, for data stored the other way round. The vendor does not document it.
   */
  CUPIX_TRANSFORM_ORDER: z.enum(['parent-first', 'child-first']).default('parent-first'),
  /*
   * Live status (src/status). None of the vendors pushes changes; their own clients poll every 2 s
   * (Flai SDK, downloads) to 6 s (Mapflow QGIS plugin, project list), and Mapflow's docs ask for
   * 30-60 s. A progress bar wants a few seconds of freshness, so a running job is polled every 5 s
   * (12 calls/min per job: a fifth of Laravel's default 60/min per user, the likely Flai limit). A
   * queued job rarely changes until it starts, so 15 s (the plugin's template-view rate). A project
   * whose processings are all finished only waits for new ones: 30 s. Errors double the interval up
   * to 60 s, and a vendor's Retry-After always wins if it is longer.
   */
  STATUS_POLL_RUNNING_MS: posInt(5_000),
  STATUS_POLL_QUEUED_MS: posInt(15_000),
  STATUS_POLL_IDLE_MS: posInt(30_000),
  STATUS_BACKOFF_MAX_MS: posInt(60_000),
  /** Consecutive failed polls after which subscribers get an error event and the stream completes. */
  STATUS_MAX_POLL_ERRORS: posInt(5),
  /** Open subscriptions one WebSocket connection may hold (a `jobsUpdated` counts once). */
  STATUS_MAX_SUBSCRIPTIONS_PER_CONNECTION: posInt(100),
  /** Distinct jobs (each one poller) one vendor credential may have watched at once, over all replicas. */
  STATUS_MAX_WATCHERS_PER_CREDENTIAL: posInt(100),
  /**
   * Poll leadership lease with REDIS_URL: a dead leader is replaced after at most lease + lease/4,
   * i.e. about two running intervals with the defaults.
   */
  STATUS_LEASE_MS: posInt(8_000),
  /** Prefix of every Redis key and channel (lets environments share one Redis). */
  STATUS_REDIS_PREFIX: z.string().min(1).default('gw:'),
  /** graphql-ws keep-alive: a ping every N ms; a socket that misses the pong is dropped. */
  WS_KEEPALIVE_MS: posInt(12_000),
  /**
   * `npm run start:federated`: ports of the mapflow, flai, cupix and jobs subgraphs, in that order
   * (0 = any free port); the federation gateway itself listens on PORT. Default PORT+1..PORT+4.
   */
  SUBGRAPH_PORTS: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z
      .string()
      .transform((s) => s.split(',').map((p) => Number(p.trim())))
      .refine((ps) => ps.length === 4 && ps.every((p) => Number.isInteger(p) && p >= 0 && p <= 65535), 'must be four ports, e.g. 4001,4002,4003,4004 (mapflow, flai, cupix, jobs)')
      .optional(),
  ),
  /** Virtual ms per real ms for the embedded simulators (1 = a processing takes ~30 s). */
  SIM_TIME_SCALE: z.coerce.number().min(0).default(1),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** The built dashboard and GraphiQL served at `/` and `/graphql` (default: the package's `web/dist`). */
  WEB_DIST_DIR: optional(z.string()),
  /*
   * OpenTelemetry tracing, off unless an OTLP endpoint is set (the standard OTel variable names).
   * Traces go over OTLP/HTTP (JSON) to `<OTEL_EXPORTER_OTLP_ENDPOINT>/v1/traces`, or to
   * OTEL_EXPORTER_OTLP_TRACES_ENDPOINT as is; OTEL_SDK_DISABLED=true turns it off whatever is set.
   */
  OTEL_EXPORTER_OTLP_ENDPOINT: optional(url),
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: optional(url),
  OTEL_SERVICE_NAME: z.string().min(1).default('geo-gateway'),
  OTEL_SDK_DISABLED: z.enum(['true', 'false']).default('false'),
});

export type Env = z.infer<typeof EnvSchema>;

export interface Config extends Omit<Env, 'GATEWAY_API_KEYS' | 'RESULTS_URL_SECRET'> {
  gatewayApiKeys: string[];
  resultsUrlSecret: string;
  /** Where spans are exported (OTLP/HTTP); null when tracing is off. */
  tracesUrl: string | null;
}

export class ConfigError extends Error {
  constructor(readonly issues: string[]) {
    super(`Invalid configuration:\n${issues.map((i) => `  - ${i}`).join('\n')}`);
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    // Never echo the offending value: it may be a token.
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const { GATEWAY_API_KEYS, RESULTS_URL_SECRET, ...rest } = parsed.data;
  return {
    ...rest,
    gatewayApiKeys: (GATEWAY_API_KEYS ?? '').split(',').map((k) => k.trim()).filter(Boolean),
    resultsUrlSecret: RESULTS_URL_SECRET ?? randomBytes(32).toString('hex'),
    tracesUrl: tracesUrl(rest),
  };
}

function tracesUrl(env: Pick<Env, 'OTEL_SDK_DISABLED' | 'OTEL_EXPORTER_OTLP_ENDPOINT' | 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT'>): string | null {
  if (env.OTEL_SDK_DISABLED === 'true') return null;
  if (env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) return env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT;
  return env.OTEL_EXPORTER_OTLP_ENDPOINT ? `${env.OTEL_EXPORTER_OTLP_ENDPOINT}/v1/traces` : null;
}

const faultsJson = z
  .string()
  .transform((s, ctx) => {
    try {
      return JSON.parse(s) as Record<string, unknown>;
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be a JSON object, e.g. {"errorRate":0.3}' });
      return z.NEVER;
    }
  })
  .optional();

const SimulatorEnvSchema = z.object({
  SIM_HOST: z.string().default('127.0.0.1'),
  SIM_MAPFLOW_PORT: z.coerce.number().int().min(0).max(65535).default(4101),
  SIM_FLAI_PORT: z.coerce.number().int().min(0).max(65535).default(4102),
  SIM_CUPIX_PORT: z.coerce.number().int().min(0).max(65535).default(4103),
  SIM_TIME_SCALE: z.coerce.number().min(0).default(1),
  /** Fault injection at start, as JSON (see src/simulators/core/faults.ts); change it later with PUT /__sim/faults. */
  SIM_MAPFLOW_FAULTS: faultsJson,
  SIM_FLAI_FAULTS: faultsJson,
  SIM_CUPIX_FAULTS: faultsJson,
});

export type SimulatorConfig = z.infer<typeof SimulatorEnvSchema>;

/** Configuration of `npm run simulators` (the three simulators alone, on fixed ports). */
export function loadSimulatorConfig(env: NodeJS.ProcessEnv = process.env): SimulatorConfig {
  const parsed = SimulatorEnvSchema.safeParse(env);
  if (!parsed.success) throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  return parsed.data;
}
