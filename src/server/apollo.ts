import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { unwrapResolverError } from '@apollo/server/errors';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginInlineTraceDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import type { GraphQLFormattedError, GraphQLSchema } from 'graphql';
import type { GatewayContext } from '../context.js';
import { UpstreamError } from '../errors.js';
import type { Logger } from './logger.js';

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
  plugins: ApolloServerPlugin<GatewayContext>[] = [],
) {
  return new ApolloServer<GatewayContext>({
    schema,
    // From our validated config, not process.env, so HTTP and graphql-ws agree (introspection, errors).
    nodeEnv,
    csrfPrevention: true,
    includeStacktraceInErrorResponses: false,
    allowBatchedHttpRequests: false,
    plugins: [ApolloServerPluginCacheControlDisabled(), ApolloServerPluginInlineTraceDisabled(), ApolloServerPluginLandingPageDisabled(), ...plugins],
    formatError: (formatted, error) => formatGatewayError(formatted, error, log),
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
