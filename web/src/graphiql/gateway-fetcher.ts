import { createGraphiQLFetcher, type Fetcher, type FetcherOpts, type FetcherParams } from '@graphiql/toolkit';
import { getOperationAST, parse } from 'graphql';
import { createClient, type Client, type ExecutionResult } from 'graphql-ws';

/**
 * GraphiQL's fetcher for this gateway: queries and mutations as JSON POSTs (which the gateway's
 * CSRF prevention accepts), subscriptions over graphql-ws on the same path. The headers typed in
 * GraphiQL's headers editor go with both: as HTTP headers, and as graphql-ws `connectionParams`,
 * where the gateway reads the same names (`authorization`, `x-mapflow-token`, ...). A change of
 * headers opens a new socket with them.
 */
export function gatewayFetcher(): Fetcher {
  const httpUrl = new URL('/graphql', window.location.href);
  const wsUrl = new URL(httpUrl);
  wsUrl.protocol = httpUrl.protocol === 'https:' ? 'wss:' : 'ws:';
  const http = createGraphiQLFetcher({ url: httpUrl.href });
  let socket: { key: string; client: Client } | null = null;

  return (given: FetcherParams, opts?: FetcherOpts) => {
    const { params, operation } = resolveOperation(given);
    if (operation !== 'subscription') return http(params, opts);
    const headers = opts?.headers ?? {};
    const key = JSON.stringify(headers);
    if (socket?.key !== key) {
      void socket?.client.dispose();
      socket = { key, client: createClient({ url: wsUrl.href, connectionParams: headers, retryAttempts: 3 }) };
    }
    // graphql-ws yields formatted results (plain JSON), which is what GraphiQL displays.
    return socket.client.iterate({
      query: params.query,
      variables: params.variables ?? undefined,
      operationName: params.operationName ?? undefined,
    }) as AsyncIterable<ExecutionResult>;
  };
}

/**
 * The operation to run and its type, read from the query text itself: right after a switch of
 * tabs GraphiQL can still pass the previous tab's operation name and parsed document. When the
 * name is not in the text and the text holds a single operation, that one runs.
 */
function resolveOperation(params: FetcherParams): { params: FetcherParams; operation: string | null } {
  let doc;
  try {
    doc = parse(params.query);
  } catch {
    return { params, operation: null };
  }
  const named = getOperationAST(doc, params.operationName ?? undefined);
  if (named) return { params, operation: named.operation };
  const only = getOperationAST(doc);
  if (!only) return { params, operation: null };
  return { params: { ...params, operationName: only.name?.value ?? null }, operation: only.operation };
}
