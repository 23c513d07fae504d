import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { unwrapResolverError } from '@apollo/server/errors';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import type { GraphQLFormattedError, GraphQLSchema } from 'graphql';
import type { GatewayContext } from '../context.js';
import { UpstreamError } from '../errors.js';
import type { GraphQLLimits } from './graphql-limits.js';
import type { Logger } from './logger.js';

export interface ApolloHardening {
  /** Depth, aliases, directives, tokens, cost, introspection, suggestions (graphql-limits.ts). */
  limits: GraphQLLimits;
  /** HTTP batching (GRAPHQL_BATCHING); off unless configured. */
  batching: boolean;
}

/**
 * Apollo Server with what the hot path does not need turned off: the cache-control plugin roughly
 * halves list throughput and nothing here sets cache hints; the landing page is replaced by our own.
 */
export function createApollo(
  schema: GraphQLSchema,
  log: Logger,
  nodeEnv: string,
  plugins: ApolloServerPlugin<GatewayContext>[] = [],
  hardening?: ApolloHardening,
) {
  const limits = hardening?.limits;
  return new ApolloServer<GatewayContext>({
    schema,
    // From our validated config, not process.env, so HTTP and graphql-ws agree (errors).
    nodeEnv,
    csrfPrevention: true,
    includeStacktraceInErrorResponses: false,
    allowBatchedHttpRequests: hardening?.batching ?? false,
    // Introspection is decided by the shared rule set (NoSchemaIntrospectionCustomRule in `limits`),
    // so that HTTP and graphql-ws cannot disagree; without limits, Apollo's default applies.
    ...(limits ? { introspection: true, validationRules: limits.validationRules, parseOptions: limits.parseOptions } : {}),
    plugins: [ApolloServerPluginCacheControlDisabled(), ApolloServerPluginLandingPageDisabled(), ...plugins],
    formatError: (formatted, error) => {
      const out = formatGatewayError(formatted, error, log);
      return limits ? limits.formatError(out) : out;
    },
  });
}

/**
 * One place decides what a client sees of an error: our coded errors pass; upstream errors get their
 * code, vendor and HTTP status; anything unexpected is masked and logged.
 */
export function formatGatewayError(formatted: GraphQLFormattedError, error: unknown, log: Logger): GraphQLFormattedError {
  const original = unwrapResolverError(error);
  if (original instanceof UpstreamError) {
    const g = original.toGraphQLError();
    return { message: g.message, locations: formatted.locations, path: formatted.path, extensions: g.extensions };
  }
  const code = formatted.extensions?.code;
  if (code && code !== 'INTERNAL_SERVER_ERROR') {
    const { stacktrace: _s, exception: _e, ...extensions } = formatted.extensions ?? {};
    return { ...formatted, message: scrubEchoedValues(formatted.message), extensions };
  }
  log.error({ err: original instanceof Error ? { name: original.name, message: original.message, stack: original.stack } : String(original), path: formatted.path }, 'unexpected error');
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
