import type { Config } from '../config.js';
import type { Tracing } from './tracing-sdk.js';

export type { CallWrapper, Tracing, VendorCall } from './tracing-sdk.js';

/**
 * OpenTelemetry tracing, when configured (see OTEL_* in src/config.ts). Off, nothing of it exists:
 * the SDK is not even loaded (only its types are), and the hot path only tests `tracing` for null
 * once per request.
 */
export async function startTracing(config: Config): Promise<Tracing | null> {
  if (!config.tracesUrl) return null;
  const { createTracing } = await import('./tracing-sdk.js');
  return createTracing({ url: config.tracesUrl, serviceName: config.OTEL_SERVICE_NAME });
}
