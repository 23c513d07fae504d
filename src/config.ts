import { randomBytes } from 'node:crypto';
import { z } from 'zod';

/**
 * The only place that reads `process.env`. Every variable is validated at start; a bad value stops
 * the process with one message naming every problem (see `loadConfig`).
 */
const url = z.url({ protocol: /^https?$/ }).transform((u) => u.replace(/\/+$/, ''));
const posInt = (def: number) => z.coerce.number().int().positive().default(def);
const optional = (s: z.ZodType<string>) => z.preprocess((v) => (v === '' ? undefined : v), s.optional());
const nonNegInt = (def: number) => z.coerce.number().int().min(0).default(def);
/** `true`/`false` (or 1/0); unset = undefined, so that a default can depend on NODE_ENV. */
const flag = z.preprocess(
  (v) => (v === '' ? undefined : v),
  z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1').optional(),
);
const list = z.preprocess((v) => (v === '' ? undefined : v), z.string().optional()).transform((v) =>
  (v ?? '').split(',').map((s) => s.trim()).filter(Boolean),
);

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

  /**
   * Per-vendor timeout of one attempt: a deadline over the whole exchange of a JSON/text read
   * (connect, headers and body); for a streamed download, to the headers and the longest silence in
   * the body (undici checks that about once a second, so it may run up to ~1 s over).
   */
  MAPFLOW_TIMEOUT_MS: posInt(15_000),
  FLAI_TIMEOUT_MS: posInt(15_000),
  CUPIX_TIMEOUT_MS: posInt(15_000),
  /*
   * Retries (src/datasources/http/resilience.ts). Only reads are retried (GET, and the POST reads
   * flagged idempotent), on timeouts, connection errors, 502/503/504 and 429, after
   * random(0, min(MAX_DELAY, BASE × 2^attempt)) ms ("full jitter") and never before Retry-After.
   */
  /** Retries of one vendor call. */
  UPSTREAM_RETRIES: nonNegInt(2),
  /**
   * Retries one GraphQL request may spend over all its vendor calls. A live-status poll makes none:
   * the watcher's next poll is its retry (STATUS_BACKOFF_MAX_MS, STATUS_MAX_POLL_ERRORS).
   */
  UPSTREAM_RETRY_BUDGET: nonNegInt(10),
  UPSTREAM_RETRY_BASE_MS: posInt(100),
  UPSTREAM_RETRY_MAX_DELAY_MS: posInt(2_000),
  /**
   * The longest one request waits in total between attempts. A Retry-After beyond what is left fails
   * the field at once with RATE_LIMITED and `retryAfter` instead of holding the request. Either way
   * the credential's other reads fail at once (RATE_LIMITED, no call) until that Retry-After passes.
   */
  UPSTREAM_RETRY_MAX_WAIT_MS: nonNegInt(5_000),
  /**
   * The retry budget of each vendor, shared by every caller in the process (docs/decisions.md,
   * "Retries: a budget per vendor over a sliding window"): over the last WINDOW_SECONDS, a vendor's
   * retries may be at most RATIO × its calls (first attempts), or MIN_RETRIES when that is more, so
   * that a vendor with little traffic still gets its reads retried.
   */
  UPSTREAM_RETRY_RATIO: z.coerce.number().min(0).default(0.2),
  UPSTREAM_RETRY_RATIO_WINDOW_SECONDS: posInt(10),
  UPSTREAM_RETRY_RATIO_MIN_RETRIES: nonNegInt(10),
  /*
   * Circuit breaker, one per vendor base URL (cockatiel CountBreaker): it opens when more than
   * THRESHOLD of the last WINDOW calls failed (5xx, timeout, connection error; never a 4xx, nor a
   * 429, which holds back only the credential that got it: src/datasources/http/rate-limit-gate.ts),
   * once MIN_CALLS calls are in the window; while open, that vendor's fields fail at once with
   * UPSTREAM_UNAVAILABLE; after HALF_OPEN_MS one call probes. A window of 100 at 0.5 stays closed for
   * a vendor failing 30 % of calls (the bench's fault scenario) and opens within 40 calls for a dead one.
   */
  UPSTREAM_BREAKER_THRESHOLD: z.coerce.number().gt(0).max(1).default(0.5),
  UPSTREAM_BREAKER_WINDOW: posInt(100),
  UPSTREAM_BREAKER_MIN_CALLS: posInt(40),
  UPSTREAM_BREAKER_HALF_OPEN_MS: posInt(10_000),
  /**
   * Hosts whose presigned download URLs the gateway passes on (Flai `files.url`, Cupix
   * `downloadUrl`), comma-separated; `*.example.com` matches subdomains. The vendor's own API host is
   * always allowed (the simulators serve their presigned URLs there). [INFER] Neither vendor names its
   * storage; both presign S3-style, hence the AWS default.
   */
  FLAI_STORAGE_HOSTS: z.preprocess((v) => (v === '' || v === undefined ? '*.amazonaws.com' : v), list),
  CUPIX_STORAGE_HOSTS: z.preprocess((v) => (v === '' || v === undefined ? '*.amazonaws.com' : v), list),
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
  /** Uploads through the gateway (src/datasources/uploads/): the largest file `createUpload` accepts, in bytes (default 5 GiB). */
  UPLOAD_MAX_BYTES: posInt(5 * 1024 ** 3),
  /** How long an `uploadUrl` can be used after `createUpload` (signed with RESULTS_URL_SECRET). */
  UPLOAD_URL_TTL_SECONDS: posInt(3600),
  /** Where resumable (tus) uploads are staged on disk; default: a folder in the OS temp dir. */
  UPLOAD_DIR: optional(z.string()),
  /** The most bytes staged under UPLOAD_DIR at once (default 20 GiB). */
  UPLOAD_DIR_MAX_BYTES: posInt(20 * 1024 ** 3),
  /**
   * A pipeline (`classifyPointcloud`) whose vendor stays down this long without the job moving fails
   * with the vendor's UPSTREAM_* code (default 300 s); until then each call is asked again after the retry policy's backoff.
   */
  PIPELINE_MAX_STALL_SECONDS: posInt(300),
  /**
   * With REDIS_URL: BullMQ's lock on a running pipeline job, renewed at half of it; a replica that
   * dies stops renewing, and after this long (and the stalled-job check, as often) another replica continues the job (default 30 s).
   */
  PIPELINE_LOCK_MS: posInt(30_000),
  /** How often a pipeline polls the Flai flow execution it follows (default 2 s). */
  PIPELINE_POLL_MS: posInt(2_000),
  /** Pipelines one replica runs at once (default 4). */
  PIPELINE_CONCURRENCY: posInt(4),
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
  WS_DOCUMENT_CACHE_BYTES: posInt(8 * 1024 * 1024),
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
  /**
   * Most representations in one `_entities` call (each may cost a vendor call); more is
   * BAD_USER_INPUT. The federation gateway batches one type's lookups of one request into one call.
   */
  FEDERATION_MAX_REPRESENTATIONS: posInt(100),
  /**
   * `npm run start:federated`: the address the subgraphs bind. They are internal (the gateway is
   * the front), so loopback unless set, e.g. `0.0.0.0` for a router on another machine.
   */
  SUBGRAPH_HOST: optional(z.string().min(1)),
  /** Origins allowed to open a WebSocket (comma-separated, e.g. `https://app.example.com`); unset = any. */
  WS_ALLOWED_ORIGINS: list,
  /*
   * Abuse limits (src/server/graphql-limits.ts), the same over HTTP and graphql-ws. The defaults
   * leave at least three times the headroom every operation of the dashboard and of test/documents
   * needs (asserted in test/hardening/limits-fit.test.ts).
   */
  GRAPHQL_MAX_DEPTH: posInt(18),
  GRAPHQL_MAX_ALIASES: nonNegInt(30),
  GRAPHQL_MAX_DIRECTIVES: nonNegInt(50),
  GRAPHQL_MAX_TOKENS: posInt(5_000),
  /**
   * Schema-aware cost (src/server/query-cost.ts): the most field values a response can hold, each
   * list counted at its page size (`first`, a variable at its default or 100, absent 20). The web
   * dashboard's largest operation costs 6 803 (20 projects × 20 processings); 100 projects × 100
   * processings with three fields (40 201) is refused.
   */
  GRAPHQL_MAX_COST: posInt(25_000),
  /** A connection silent this long mid-request is closed; there is no deadline for a whole request (an upload may take hours). */
  HTTP_IDLE_TIMEOUT_SECONDS: posInt(120),
  /** Largest HTTP request body and graphql-ws message. */
  GRAPHQL_MAX_BODY_BYTES: posInt(1024 * 1024),
  /** Default: on, except with NODE_ENV=production. */
  GRAPHQL_INTROSPECTION: flag,
  /** "Did you mean …" in validation errors. Default: on, except with NODE_ENV=production. */
  GRAPHQL_FIELD_SUGGESTIONS: flag,
  /** HTTP batching (a JSON array of operations); off unless set. */
  GRAPHQL_BATCHING: flag,
  /** Most operations in one batch (each counts against the rate limit). */
  GRAPHQL_MAX_BATCH_SIZE: posInt(10),
  /*
   * Request rate limits (src/server/rate-limit.ts) over HTTP operations, graphql-ws connections and
   * subscribes; 0 turns one off. Shared by every replica through Redis when REDIS_URL is set.
   * Per key = per gateway API key (GATEWAY_API_KEYS). A screen makes one request, so 20/s per
   * address on average is far above a person and well below a script.
   */
  RATE_LIMIT_PER_IP: nonNegInt(1_200),
  RATE_LIMIT_PER_KEY: nonNegInt(6_000),
  RATE_LIMIT_WINDOW_SECONDS: posInt(60),
  /**
   * Proxies in front of the gateway whose `X-Forwarded-For` entry is trusted: the client address is
   * the Nth entry from the right. 0 = the socket's address.
   */
  TRUST_PROXY_HOPS: nonNegInt(0),
  /** Virtual ms per real ms for the embedded simulators (1 = a processing takes ~30 s). */
  SIM_TIME_SCALE: z.coerce.number().min(0).default(1),
  /** The embedded simulators also send the answers the vendors' docs allow beyond their examples (default true). */
  SIM_DOCUMENTED_VARIANTS: z.enum(['true', 'false', '1', '0']).default('true').transform((v) => v === 'true' || v === '1'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /**
   * GraphQL operation names that get a label value of their own in /metrics; the names seen after
   * them count as `(other)`. Names are the clients' choice: the cap keeps a client from growing the
   * registry without bound. 200 is several times what a frontend's screens use.
   */
  METRICS_MAX_OPERATIONS: posInt(200),
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

export interface Config extends Omit<Env, 'GATEWAY_API_KEYS' | 'RESULTS_URL_SECRET' | 'GRAPHQL_INTROSPECTION' | 'GRAPHQL_FIELD_SUGGESTIONS' | 'GRAPHQL_BATCHING'> {
  gatewayApiKeys: string[];
  resultsUrlSecret: string;
  /** Where spans are exported (OTLP/HTTP); null when tracing is off. */
  tracesUrl: string | null;
  GRAPHQL_INTROSPECTION: boolean;
  GRAPHQL_FIELD_SUGGESTIONS: boolean;
  GRAPHQL_BATCHING: boolean;
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
  const { GATEWAY_API_KEYS, RESULTS_URL_SECRET, GRAPHQL_INTROSPECTION, GRAPHQL_FIELD_SUGGESTIONS, GRAPHQL_BATCHING, ...rest } = parsed.data;
  const production = rest.NODE_ENV === 'production';
  return {
    ...rest,
    GRAPHQL_INTROSPECTION: GRAPHQL_INTROSPECTION ?? !production,
    GRAPHQL_FIELD_SUGGESTIONS: GRAPHQL_FIELD_SUGGESTIONS ?? !production,
    GRAPHQL_BATCHING: GRAPHQL_BATCHING ?? false,
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

