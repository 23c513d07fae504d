import { randomUUID } from 'node:crypto';
import type { IncomingMessage, Server } from 'node:http';
import {
  execute,
  getOperationAST,
  GraphQLError,
  parse,
  specifiedRules,
  subscribe,
  validate,
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
  type GraphQLSchema,
} from 'graphql';
import { CloseCode } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { createContext, resolveCredentials, type AppDeps, type Credentials, type GatewayContext } from '../context.js';
import type { ConnectionState } from '../status/hub.js';
import { StatusScope } from '../status/scope.js';
import { apiKeyMatches } from './api-keys.js';
import { formatGatewayError, logRequestErrors } from './apollo.js';
import { header } from './http-server.js';
import { requestLogger, type Logger } from './logger.js';
import type { Tracing } from './tracing.js';
import { gatewayValidationRules } from './validation.js';

/** The same ceiling as an HTTP request body. */
const MAX_MESSAGE_BYTES = 1024 * 1024;
/** Distinct query texts kept parsed and validated; the oldest is dropped past this. */
const DOCUMENT_CACHE_SIZE = 1000;

export interface WsServerOptions {
  server: Server;
  schema: GraphQLSchema;
  deps: AppDeps;
  log: Logger;
  /** Spans per operation when tracing is on (null: off). */
  tracing?: Tracing | null;
}

export interface WsServer {
  /** Closes every socket with 1001 (going away) and stops accepting new ones. */
  dispose(): Promise<void>;
  connections(): number;
}

/** What a connection keeps after `connection_init`: the caller's credentials and its counters. */
interface Connection {
  id: string;
  credentials: Credentials;
  state: ConnectionState;
}

/**
 * graphql-ws on the HTTP server's own port and path (`/graphql`). Credentials come in
 * `connectionParams` under the HTTP header names (or in the upgrade request's headers), the gateway
 * key in `connectionParams.authorization`; both are checked once, in `onConnect`. Every operation
 * gets the HTTP path's validation and error masking.
 */
export function createWsServer(opts: WsServerOptions): WsServer {
  const { schema, deps, log, tracing } = opts;
  const { config } = deps;
  // What Apollo runs on the HTTP path: graphql-js' rules plus the gateway's own.
  const rules = [...specifiedRules, ...gatewayValidationRules(config.NODE_ENV)];
  const wss = new WebSocketServer({ server: opts.server, path: '/graphql', maxPayload: MAX_MESSAGE_BYTES });

  // Parsed and validated documents by query text, as Apollo's document store does on HTTP: the
  // subscriptions of a screen share a handful of queries, so thousands of open subscriptions hold
  // one copy of each document instead of one each (about half of a subscription's memory).
  const documents = new Map<string, { document: DocumentNode } | { errors: GraphQLError[] }>();
  const checkDocument = (query: string): { document: DocumentNode } | { errors: GraphQLError[] } => {
    const hit = documents.get(query);
    if (hit) return hit;
    let checked: { document: DocumentNode } | { errors: GraphQLError[] };
    try {
      const document = parse(query);
      const errors = validate(schema, document, rules);
      checked = errors.length ? { errors: errors.map((e) => coded(e, 'GRAPHQL_VALIDATION_FAILED')) } : { document };
    } catch (err) {
      checked = { errors: [coded(err, 'GRAPHQL_PARSE_FAILED')] };
    }
    if (documents.size >= DOCUMENT_CACHE_SIZE) documents.delete(documents.keys().next().value as string);
    documents.set(query, checked);
    return checked;
  };

  const disposable = useServer<Record<string, unknown>, { gw: Connection }>(
    {
      schema,
      ...(tracing && {
        execute: (args: ExecutionArgs) => tracing.operation(args, () => execute(args)),
        subscribe: (args: ExecutionArgs) => tracing.operation(args, () => subscribe(args)),
      }),
      onConnect(ctx) {
        const get = paramReader(ctx.connectionParams, ctx.extra.request);
        if (config.gatewayApiKeys.length) {
          const auth = get('authorization');
          if (!auth) {
            ctx.extra.socket.close(CloseCode.Unauthorized, 'Unauthorized: send connectionParams.authorization "Bearer <key>"');
            return false;
          }
          if (!apiKeyMatches(auth, config.gatewayApiKeys)) return false; // 4403 Forbidden
        }
        ctx.extra.gw = { id: randomUUID(), credentials: resolveCredentials(get, config), state: { subscriptions: 0 } };
        return true;
      },
      onSubscribe(ctx, id, payload) {
        const conn = ctx.extra.gw as Connection;
        const checked = checkDocument(payload.query);
        if ('errors' in checked) return checked.errors;
        const { document } = checked;
        const requestId = `${conn.id}:${id}`;
        const subscription = getOperationAST(document, payload.operationName)?.operation === 'subscription';
        const contextValue = subscription ? subscriptionContext(deps, conn.credentials, requestId) : createContext(deps, conn.credentials, requestId);
        contextValue.connection = conn.state;
        return { schema, document, variableValues: payload.variables, operationName: payload.operationName, contextValue };
      },
      onOperation(_ctx, _id, _payload, _args, result) {
        // A result without `data` failed before execution (bad variables, unknown operation): the
        // request's fault, as Apollo reports it over HTTP.
        if (isResult(result) && result.errors && !('data' in result)) {
          return { ...result, errors: result.errors.map((e) => (e.extensions?.code ? e : coded(e, 'BAD_USER_INPUT'))) };
        }
      },
      onNext(ctx, id, _payload, _args, result) {
        if (!result.errors?.length) return;
        logRequestErrors(requestLogger(log, `${(ctx.extra.gw as Connection).id}:${id}`), result.errors);
        return { ...result, errors: result.errors.map((e) => formatGatewayError(e.toJSON(), e)) };
      },
      onError(ctx, id, _payload, errors) {
        logRequestErrors(requestLogger(log, `${(ctx.extra.gw as Connection).id}:${id}`), errors);
        return errors.map((e) => formatGatewayError(e.toJSON(), e));
      },
    },
    wss,
    config.WS_KEEPALIVE_MS,
  );

  return {
    dispose: async () => {
      await disposable.dispose();
    },
    connections: () => wss.clients.size,
  };
}

/**
 * A subscription's context: its services are replaced by fresh ones before every event (see
 * StatusHub.refresh), so the ones of subscribe time are only made if something asks for them. That
 * saves their DataLoaders (several KB) on every open subscription.
 */
function subscriptionContext(deps: AppDeps, credentials: Credentials, requestId: string): GatewayContext {
  const ctx = { requestId, credentials, status: new StatusScope(deps.status, credentials) } as GatewayContext;
  let made: GatewayContext | null = null;
  for (const key of ['mapflow', 'flai', 'cupix'] as const) {
    let value: GatewayContext[typeof key] | undefined;
    Object.defineProperty(ctx, key, {
      enumerable: true,
      get: () => (value ??= (made ??= createContext(deps, credentials, requestId))[key]),
      set: (v: GatewayContext[typeof key]) => (value = v),
    });
  }
  return ctx;
}

/** `connectionParams` first (browsers cannot set headers on a WebSocket), then the upgrade headers. */
function paramReader(params: Record<string, unknown> | undefined, request: IncomingMessage): (name: string) => string | undefined {
  const lower = new Map<string, string>();
  for (const [k, v] of Object.entries(params ?? {})) if (typeof v === 'string' && v) lower.set(k.toLowerCase(), v);
  return (name) => lower.get(name) ?? header(request, name);
}

/** `Authorization: Bearer <key>` against GATEWAY_API_KEYS, in constant time (reusable by the HTTP path). */

function coded(err: unknown, code: string): GraphQLError {
  if (err instanceof GraphQLError) {
    return new GraphQLError(err.message, { nodes: err.nodes, source: err.source, positions: err.positions, path: err.path, extensions: { ...err.extensions, code } });
  }
  return new GraphQLError(err instanceof Error ? err.message : String(err), { extensions: { code } });
}

function isResult(r: unknown): r is ExecutionResult {
  return typeof r === 'object' && r !== null && !(Symbol.asyncIterator in r);
}
