import { ApolloServer, type ApolloServerPlugin, type GraphQLRequestListener } from '@apollo/server';
import { unwrapResolverError } from '@apollo/server/errors';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginInlineTraceDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import type { GraphQLError, GraphQLFormattedError, GraphQLSchema } from 'graphql';
import type { GatewayContext } from '../context.js';
import { UpstreamError } from '../errors.js';
import type { GraphQLLimits } from './graphql-limits.js';
import { apolloLogger, requestLogger, type Logger } from '../observability/logger.js';

export interface ApolloHardening {
  /** Depth, aliases, directives, tokens, cost, introspection, suggestions (graphql-limits.ts). */
  limits: GraphQLLimits;
  /** HTTP batching (GRAPHQL_BATCHING); off unless configured. */
  batching: boolean;
}

/**
 * Apollo Server with what the hot path does not need turned off: the cache-control plugin roughly
 * halves list throughput and nothing here sets cache hints; the landing page is replaced by our own.
 * The schema is a Federation subgraph, for which Apollo would add inline tracing (`ftv1`, for
 * GraphOS): off, since nothing here reports to GraphOS, and a router asking for traces would have
 * every resolver of its requests timed.
 */
export function createApollo(
  schema: GraphQLSchema,
  log: Logger,
  nodeEnv: string,
  hardening: ApolloHardening,
  plugins: ApolloServerPlugin<GatewayContext>[] = [],
) {
  const { limits } = hardening;
  return new ApolloServer<GatewayContext>({
    schema,
    // Apollo's own notices and caught errors go through pino (redaction), not the console.
    logger: apolloLogger(log),
    // From our validated config, not process.env, so HTTP and graphql-ws agree (errors).
    nodeEnv,
    csrfPrevention: true,
    // Outside NODE_ENV=test Apollo would add its own SIGINT/SIGTERM handler: it stops Apollo and then
    // re-sends the signal to the process, which ends it by that signal (exit 143) while our drain
    // still has requests in flight. The process's one handler (server/shutdown.ts) drains and exits.
    stopOnTerminationSignals: false,
    includeStacktraceInErrorResponses: false,
    allowBatchedHttpRequests: hardening.batching,
    // Introspection is decided by the shared rule set (NoSchemaIntrospectionCustomRule in `limits`),
    // so that HTTP and graphql-ws cannot disagree.
    introspection: true,
    validationRules: limits.validationRules,
    parseOptions: limits.parseOptions,
    plugins: [ApolloServerPluginCacheControlDisabled(), ApolloServerPluginInlineTraceDisabled(), ApolloServerPluginLandingPageDisabled(), errorLogPlugin(log), ...plugins],
    formatError: (formatted, error) => limits.formatError(formatGatewayError(formatted, error)),
  });
}

/** Logs each request's errors with its request id (formatError sees no context, this hook does). */
function errorLogPlugin(log: Logger): ApolloServerPlugin<GatewayContext> {
  // One listener for every request: most requests have no error, so nothing is made for them.
  const listener: GraphQLRequestListener<GatewayContext> = {
    async didEncounterErrors({ errors, contextValue }) {
      logRequestErrors(requestLogger(log, contextValue.requestId), errors);
    },
  };
  return { requestDidStart: async () => listener };
}

/**
 * What a request's errors leave in the log: vendor failures as warnings (code, vendor, HTTP status),
 * anything unexpected as an error with its stack (the client sees only INTERNAL_SERVER_ERROR).
 * Errors of the caller's own making (bad input, validation) are the client's to read, not logged.
 */
export function logRequestErrors(log: Logger, errors: readonly GraphQLError[]): void {
  for (const error of errors) {
    const original = unwrapResolverError(error);
    if (original instanceof UpstreamError) {
      if (original.code.startsWith('UPSTREAM_') || original.code === 'RATE_LIMITED') {
        log.warn({ path: error.path, code: original.code, source: original.source, upstreamStatus: original.status, err: original.message }, 'vendor error');
      }
    } else if (isUnexpected(error)) {
      log.error({ err: original instanceof Error ? { name: original.name, message: original.message, stack: original.stack } : String(original), path: error.path }, 'unexpected error');
    }
  }
}

function isUnexpected(error: GraphQLError | GraphQLFormattedError): boolean {
  const code = error.extensions?.code;
  return !code || code === 'INTERNAL_SERVER_ERROR';
}

/**
 * One place decides what a client sees of an error: our coded errors pass; upstream errors get their
 * code, vendor and HTTP status; anything unexpected is masked (and logged by logRequestErrors).
 */
export function formatGatewayError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const original = unwrapResolverError(error);
  if (original instanceof UpstreamError) {
    const g = original.toGraphQLError();
    return { message: g.message, locations: formatted.locations, path: formatted.path, extensions: g.extensions };
  }
  if (!isUnexpected(formatted)) {
    const { stacktrace: _s, exception: _e, ...extensions } = formatted.extensions ?? {};
    return { ...formatted, message: scrubEchoedValues(formatted.message), extensions };
  }
  return { message: 'Internal server error', locations: formatted.locations, path: formatted.path, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
}

/**
 * graphql-js echoes the offending input value in coercion errors (`Variable "$input" got invalid
 * value { password: "..." }; ...`). Inputs can hold write-only secrets (FTP/S3 credentials, raster
 * passwords), so the echoed values are cut out; the path and the reason stay.
 */
export function scrubEchoedValues(message: string): string {
  return message
    .replace(/^(Variable "\$\w+" got invalid value) .*?(?=( at "[^"]*")?; )/s, '$1')
    .replace(/(cannot represent [^:;]*?value): .*$/s, '$1.')
    .replace(/(Expected value of type "[^"]+"), found .*?(;|$)/s, '$1$2');
}
