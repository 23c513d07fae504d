import { randomUUID } from 'node:crypto';
import type { IncomingMessage, Server } from 'node:http';
import {
  execute,
  getOperationAST,
  GraphQLError,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
  type GraphQLSchema,
} from 'graphql';
import { WebSocketServer } from 'ws';
import { createContext, type AppDeps } from '../context.js';
import { resolveCredentials, type Credentials } from '../credentials.js';
import type { ConnectionState } from '../status/hub.js';
import { admitWsConnection, admitWsOperation, header, originVerifier } from './admission.js';
import { formatGatewayError, logRequestErrors } from './apollo.js';
import { DocumentCache } from './document-cache.js';
import type { GraphQLLimits } from './graphql-limits.js';
import { requestLogger, type Logger } from '../observability/logger.js';
import { sharedSubscribe } from './shared-subscribe.js';
import { useWsServer } from './ws-glue.js';
import { outcomeOf, type OperationRecorder, type OperationSlot, type Outcome } from '../observability/operation-metrics.js';
import type { RequestRateLimiter } from './rate-limit.js';
import type { Tracing } from '../observability/tracing.js';

/** Distinct query texts kept parsed and validated; the oldest is dropped past this. */
const DOCUMENT_CACHE_SIZE = 1000;

export interface WsServerOptions {
  server: Server;
  schema: GraphQLSchema;
  deps: AppDeps;
  log: Logger;
  /** Spans per operation when tracing is on (null: off). */
  tracing?: Tracing | null;
  /** The HTTP path's limits (graphql-limits.ts): the same parse options, rules and error scrubbing. */
  limits: GraphQLLimits;
  rateLimiter?: RequestRateLimiter;
  /** Operations over graphql-ws (GatewayMetrics.operations.ws). */
  operations?: OperationRecorder;
}

export interface WsServer {
  /** Closes every socket with 1001 (going away) and stops accepting new ones. */
  dispose(): Promise<void>;
  connections(): number;
  /** The parsed-document cache: entries and the total length of their query texts (WS_DOCUMENT_CACHE_BYTES). */
  documentCache(): { entries: number; bytes: number };
}

/** What a connection keeps after `connection_init`: the caller's credentials and its counters. */
interface Connection {
  id: string;
  credentials: Credentials;
  state: ConnectionState;
  ip: string;
  /** The gateway key, when GATEWAY_API_KEYS is set (its hash counts against the key's rate limit). */
  apiKey?: string;
  /** Operations in progress, by subscription id, for their metrics (counted at their end). */
  ops: Map<string, OperationInProgress>;
}

interface OperationInProgress {
  slot: OperationSlot;
  startedAt: number;
  /** The worst outcome seen so far (a subscription's events can carry errors). */
  outcome: Outcome;
}

const WORSE: Record<Outcome, number> = { ok: 0, partial: 1, error: 2 };

/**
 * graphql-ws on the HTTP server's own port and path (`/graphql`). Credentials come in
 * `connectionParams` under the HTTP header names (or in the upgrade request's headers), the gateway
 * key in `connectionParams.authorization`; both are checked once, in `onConnect`. Every operation
 * gets the HTTP path's validation and error masking.
 */
export function createWsServer(opts: WsServerOptions): WsServer {
  const { schema, deps, log, tracing, limits, operations } = opts;
  const { config } = deps;
  const rules = [...specifiedRules, ...limits.validationRules];
  // One execution per change event for the subscribers who would get the same answer.
  const subscribeShared = sharedSubscribe(deps.status);
  const limiter = opts.rateLimiter?.enabled ? opts.rateLimiter : null;
  const wss = new WebSocketServer({
    server: opts.server,
    path: '/graphql',
    // The same ceiling as an HTTP request body: a bigger frame closes the socket with 1009.
    maxPayload: config.GRAPHQL_MAX_BODY_BYTES,
    verifyClient: originVerifier(config.WS_ALLOWED_ORIGINS),
  });
  const format = (e: GraphQLError) => limits.formatError(formatGatewayError(e.toJSON(), e));
  /** A failed or ended operation's errors as the client sees them, counted by code. */
  const formatAndCount = (conn: Connection, id: string, errors: readonly GraphQLError[], outcome: Outcome) => {
    const formatted = errors.map(format);
    const op = conn.ops.get(id);
    if (op && operations) {
      if (WORSE[outcome] > WORSE[op.outcome]) op.outcome = outcome;
      operations.errors(formatted);
    }
    return formatted;
  };
  /** An operation refused before it started (its document or operation name): counted at once. */
  const rejected = (startedAt: number, errors: GraphQLError[]) => {
    if (!operations) return errors;
    const formatted = errors.map(format);
    operations.finished(operations.slot('unknown', undefined), 'error', (performance.now() - startedAt) / 1000);
    operations.errors(formatted);
    return errors;
  };

  // Parsed and validated documents by query text, as Apollo's document store does on HTTP: the
  // subscriptions of a screen share a handful of queries, so thousands of open subscriptions hold
  // one copy of each document instead of one each (about half of a subscription's memory).
  const documents = new DocumentCache<{ document: DocumentNode } | { errors: GraphQLError[] }>(DOCUMENT_CACHE_SIZE, config.WS_DOCUMENT_CACHE_BYTES);
  const checkDocument = (query: string): { document: DocumentNode } | { errors: GraphQLError[] } => {
    const hit = documents.get(query);
    if (hit) return hit;
    let checked: { document: DocumentNode } | { errors: GraphQLError[] };
    try {
      const document = parse(query, limits.parseOptions);
      const errors = validate(schema, document, rules);
      checked = errors.length ? { errors: errors.map((e) => coded(e, 'GRAPHQL_VALIDATION_FAILED')) } : { document };
    } catch (err) {
      checked = { errors: [coded(err, 'GRAPHQL_PARSE_FAILED')] };
    }
    documents.set(query, checked);
    return checked;
  };

  const disposable = useWsServer<Record<string, unknown>, { gw: Connection }>(
    {
      schema,
      ...(tracing && { execute: (args: ExecutionArgs) => tracing.operation(args, () => execute(args)) }),
      subscribe: tracing ? (args: ExecutionArgs) => tracing.operation(args, () => subscribeShared(args)) : subscribeShared,
      async onConnect(ctx) {
        const get = paramReader(ctx.connectionParams, ctx.extra.request);
        const admitted = await admitWsConnection(get, ctx.extra.request, ctx.extra.socket, config.gatewayApiKeys, limiter);
        if (!admitted) return false;
        const { ip, apiKey } = admitted;
        ctx.extra.gw = { id: randomUUID(), credentials: resolveCredentials(get, config), state: { subscriptions: 0 }, ip, apiKey, ops: new Map() };
        return true;
      },
      async onSubscribe(ctx, id, payload) {
        const conn = ctx.extra.gw as Connection;
        const refused = await admitWsOperation(conn, limiter);
        if (refused) return [refused];
        const startedAt = performance.now();
        const checked = checkDocument(payload.query);
        if ('errors' in checked) return rejected(startedAt, checked.errors);
        const { document } = checked;
        const operation = getOperationAST(document, payload.operationName);
        if (!operation) return rejected(startedAt, [operationNotFound(payload.operationName)]);
        const requestId = `${conn.id}:${id}`;
        const subscription = operation.operation === 'subscription';
        if (operations) {
          const slot = operations.slot(operation.operation, operation.name?.value ?? null);
          if (subscription) operations.started(slot);
          conn.ops.set(id, { slot, startedAt, outcome: 'ok' });
        }
        // A subscription's own services are never used: each event gets fresh ones (sharedSubscribe).
        const contextValue = createContext(deps, conn.credentials, requestId);
        contextValue.connection = conn.state;
        return { schema, document, variableValues: payload.variables, operationName: payload.operationName, contextValue };
      },
      onOperation(_ctx, _id, _payload, _args, result) {
        // A result without `data` failed before execution. An error graphql-js made itself (bad
        // variables; it has no path) is the request's fault, as Apollo reports it over HTTP. An
        // error thrown by a subscription's source (a vendor failing, a job not found) has the root
        // field's path and keeps its origin: onNext formats it like any resolver error, with its code.
        if (isResult(result) && result.errors && !('data' in result)) {
          return { ...result, errors: result.errors.map((e) => (e.extensions?.code || e.path ? e : coded(e, 'BAD_USER_INPUT'))) };
        }
      },
      onNext(ctx, id, _payload, _args, result) {
        if (!result.errors?.length) return;
        const conn = ctx.extra.gw as Connection;
        logRequestErrors(requestLogger(log, `${conn.id}:${id}`), result.errors);
        return { ...result, errors: formatAndCount(conn, id, result.errors, outcomeOf(result.data, result.errors)) };
      },
      onError(ctx, id, _payload, errors) {
        const conn = ctx.extra.gw as Connection;
        logRequestErrors(requestLogger(log, `${conn.id}:${id}`), errors);
        return formatAndCount(conn, id, errors, 'error');
      },
      onComplete(ctx, id) {
        const conn = ctx.extra.gw as Connection;
        const op = conn.ops.get(id);
        if (!op || !operations) return;
        conn.ops.delete(id);
        operations.finished(op.slot, op.outcome, (performance.now() - op.startedAt) / 1000);
      },
    },
    wss,
    config.WS_KEEPALIVE_MS,
    log,
  );

  return {
    dispose: async () => {
      await disposable.dispose();
    },
    connections: () => wss.clients.size,
    documentCache: () => documents.stats(),
  };
}

/** `connectionParams` first (browsers cannot set headers on a WebSocket), then the upgrade headers. */
function paramReader(params: Record<string, unknown> | undefined, request: IncomingMessage): (name: string) => string | undefined {
  const lower = new Map<string, string>();
  for (const [k, v] of Object.entries(params ?? {})) if (typeof v === 'string' && v) lower.set(k.toLowerCase(), v);
  return (name) => lower.get(name) ?? header(request, name);
}

function coded(err: unknown, code: string): GraphQLError {
  if (err instanceof GraphQLError) {
    return new GraphQLError(err.message, { nodes: err.nodes, source: err.source, positions: err.positions, path: err.path, extensions: { ...err.extensions, code } });
  }
  return new GraphQLError(err instanceof Error ? err.message : String(err), { extensions: { code } });
}

/** Apollo's answer over HTTP when the operation cannot be picked (graphql-ws would send an uncoded error). */
function operationNotFound(name: string | null | undefined): GraphQLError {
  const message = name ? `Unknown operation named "${name}".` : 'Must provide operation name if query contains multiple operations.';
  return new GraphQLError(message, { extensions: { code: 'OPERATION_RESOLUTION_FAILURE' } });
}

function isResult(r: unknown): r is ExecutionResult {
  return typeof r === 'object' && r !== null && !(Symbol.asyncIterator in r);
}
