import type { ApolloServerPlugin } from '@apollo/server';
import type { ExecutionArgs } from 'graphql';
import type { IncomingHttpHeaders } from 'node:http';
import type { Config } from '../config.js';
import type { GatewayContext } from '../context.js';
import type { CallWrapper } from '../datasources/http/upstream-http.js';

/**
 * OpenTelemetry tracing, when configured (see OTEL_* in src/config.ts). Off, nothing of it exists:
 * the SDK is not even loaded, and the hot path only tests `tracing` for null once per request.
 */
export interface Tracing {
  /** Runs an HTTP GraphQL request in a SERVER span that continues the caller's W3C `traceparent`. */
  request<T extends { status?: number }>(method: string, headers: IncomingHttpHeaders, run: () => Promise<T>): Promise<T>;
  /** Names the request's span after its operation (`query Dashboard`) and marks it failed on errors. */
  apolloPlugin: ApolloServerPlugin<GatewayContext>;
  /** graphql-ws' `execute` / `subscribe`, each operation in its own span. */
  operation<T>(args: ExecutionArgs, run: () => T): T;
  /** Wraps each vendor call in a CLIENT span named by its route template (`GET /processings/{id}/v2`). */
  vendorCall: CallWrapper;
  /** Exports what is buffered, then stops. */
  shutdown(): Promise<void>;
}

export async function startTracing(config: Config): Promise<Tracing | null> {
  if (!config.tracesUrl) return null;
  const { createTracing } = await import('./tracing-sdk.js');
  return createTracing({ url: config.tracesUrl, serviceName: config.OTEL_SERVICE_NAME });
}
