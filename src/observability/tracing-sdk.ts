import { context, defaultTextMapGetter, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Attributes, type Span } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { getOperationAST, type ExecutionArgs, type ExecutionResult, type GraphQLError } from 'graphql';
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import type { IncomingHttpHeaders } from 'node:http';
import { UpstreamError, type Source } from '../errors.js';

/*
 * Attribute names of the OpenTelemetry semantic conventions (HTTP and URL are stable; GraphQL is
 * still incubating, whose constants the project asks users to copy rather than import).
 */
const HTTP_METHOD = 'http.request.method';
const HTTP_STATUS = 'http.response.status_code';
const URL_PATH = 'url.path';
const URL_TEMPLATE = 'url.template';
const SERVER_ADDRESS = 'server.address';
const SERVER_PORT = 'server.port';
const ERROR_TYPE = 'error.type';
const GRAPHQL_OPERATION_TYPE = 'graphql.operation.type';
const GRAPHQL_OPERATION_NAME = 'graphql.operation.name';

/** One vendor call as a span names it: never an id, only the route template. */
export interface VendorCall {
  source: Source;
  origin: string;
  method: string;
  route: string;
}

/** Runs one vendor attempt (`send`) with something around it; must return or rethrow what `send` does. */
export type CallWrapper = <T extends { statusCode: number }>(call: VendorCall, send: () => Promise<T>) => Promise<T>;

export interface Tracing {
  /** Runs an HTTP GraphQL request in a SERVER span that continues the caller's W3C `traceparent`. */
  request<T extends { status?: number }>(method: string, headers: IncomingHttpHeaders, run: () => Promise<T>): Promise<T>;
  /** Names the request's span after its operation (`query Dashboard`) and marks it failed on errors. */
  apolloPlugin: ApolloServerPlugin<BaseContext>;
  /** graphql-ws' `execute` / `subscribe`, each operation in its own span. */
  operation<T>(args: ExecutionArgs, run: () => T): T;
  /** Wraps each vendor call in a CLIENT span named by its route template (`GET /processings/{id}/v2`). */
  vendorCall: CallWrapper;
  /** Exports what is buffered, then stops. */
  shutdown(): Promise<void>;
}

/** Which vendor a call went to (`mapflow`, `flai`, `cupix`). */
const VENDOR = 'gateway.vendor';

const TRACER_NAME = 'geo-gateway';

/**
 * The context manager is process-wide (the OpenTelemetry API has one); gateways in one process
 * (tests) share it, and the last one to stop disables it.
 */
let contextUsers = 0;
function useContextManager(): () => void {
  if (contextUsers++ === 0) context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  return () => {
    if (--contextUsers === 0) context.disable();
  };
}

export function createTracing(opts: { url: string; serviceName: string }): Tracing {
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': opts.serviceName }),
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: opts.url }))],
  });
  const tracer = provider.getTracer(TRACER_NAME);
  const propagator = new W3CTraceContextPropagator();
  const release = useContextManager();

  return {
    request(method, headers, run) {
      const parent = propagator.extract(ROOT_CONTEXT, headers, defaultTextMapGetter);
      const attributes = { [HTTP_METHOD]: method, [URL_PATH]: '/graphql' };
      return tracer.startActiveSpan('graphql', { kind: SpanKind.SERVER, attributes }, parent, async (span) => {
        try {
          const result = await run();
          span.setAttribute(HTTP_STATUS, result.status ?? 200);
          if ((result.status ?? 200) >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
          return result;
        } catch (err) {
          failed(span, err);
          throw err;
        } finally {
          span.end();
        }
      });
    },

    apolloPlugin: {
      async requestDidStart() {
        return {
          async didResolveOperation({ operation, operationName }) {
            const span = trace.getActiveSpan();
            const type = operation?.operation ?? 'operation';
            span?.updateName(operationName ? `${type} ${operationName}` : type);
            span?.setAttributes(operationAttributes(type, operationName));
          },
          async didEncounterErrors({ errors }) {
            trace.getActiveSpan()?.setStatus({ code: SpanStatusCode.ERROR, message: errorCodes(errors) });
          },
        };
      },
    },

    operation<T>(args: ExecutionArgs, run: () => T): T {
      const op = getOperationAST(args.document, args.operationName);
      const type = op?.operation ?? 'operation';
      const name = op?.name?.value;
      return tracer.startActiveSpan(name ? `${type} ${name}` : type, { kind: SpanKind.SERVER, attributes: operationAttributes(type, name) }, (span) => {
        const done = (result: unknown) => {
          const errors = (result as ExecutionResult | null)?.errors;
          if (errors?.length) span.setStatus({ code: SpanStatusCode.ERROR, message: errorCodes(errors) });
          span.end();
          return result;
        };
        try {
          const result = run();
          if (result instanceof Promise) {
            return result.then(done, (err: unknown) => {
              failed(span, err);
              span.end();
              throw err;
            }) as T;
          }
          return done(result) as T;
        } catch (err) {
          failed(span, err);
          span.end();
          throw err;
        }
      });
    },

    async vendorCall(call, send) {
      const { hostname, port } = new URL(call.origin);
      const attributes: Attributes = {
        [HTTP_METHOD]: call.method,
        [URL_TEMPLATE]: call.route.slice(call.route.indexOf(' ') + 1),
        [SERVER_ADDRESS]: hostname,
        [SERVER_PORT]: Number(port) || (call.origin.startsWith('https:') ? 443 : 80),
        [VENDOR]: call.source.toLowerCase(),
      };
      const span = tracer.startSpan(call.route, { kind: SpanKind.CLIENT, attributes });
      try {
        const res = await send();
        span.setAttribute(HTTP_STATUS, res.statusCode);
        return res;
      } catch (err) {
        if (err instanceof UpstreamError && err.status) span.setAttribute(HTTP_STATUS, err.status);
        failed(span, err);
        throw err;
      } finally {
        span.end();
      }
    },

    async shutdown() {
      try {
        await provider.shutdown();
      } finally {
        release();
      }
    },
  };
}

function operationAttributes(type: string, name: string | null | undefined): Attributes {
  return name ? { [GRAPHQL_OPERATION_TYPE]: type, [GRAPHQL_OPERATION_NAME]: name } : { [GRAPHQL_OPERATION_TYPE]: type };
}

function errorCodes(errors: readonly GraphQLError[]): string {
  const code = (e: GraphQLError) => (e.originalError instanceof UpstreamError ? e.originalError.code : String(e.extensions?.code ?? 'INTERNAL_SERVER_ERROR'));
  return [...new Set(errors.map(code))].join(',');
}

/** Marks a span failed with the error's code (never its message: it may quote the caller's input). */
function failed(span: Span, err: unknown): void {
  const type = err instanceof UpstreamError ? err.code : err instanceof Error ? err.name : 'Error';
  span.setAttribute(ERROR_TYPE, type);
  span.setStatus({ code: SpanStatusCode.ERROR, message: type });
}
