import { createClient as createSocket, type Client as Socket } from 'graphql-ws';
import { Client, fetchExchange, subscriptionExchange } from 'urql';

export type SocketState = 'connecting' | 'connected' | 'closed';

export interface GatewayClient {
  urql: Client;
  socket: Socket;
}

/**
 * One urql client for the page: queries and mutations as JSON POSTs to /graphql (the gateway's CSRF
 * prevention accepts those), subscriptions over one graphql-ws socket on the same path. The page is
 * served by the gateway it talks to, so both URLs come from its own location.
 */
export function createGatewayClient(apiKey: string | null, onSocket: (state: SocketState) => void): GatewayClient {
  const httpUrl = new URL('/graphql', window.location.href);
  const wsUrl = new URL(httpUrl);
  wsUrl.protocol = httpUrl.protocol === 'https:' ? 'wss:' : 'ws:';
  const authorization = apiKey ? `Bearer ${apiKey}` : null;
  const headers: Record<string, string> = authorization ? { authorization } : {};

  const socket = createSocket({
    url: wsUrl.href,
    connectionParams: headers,
    // Reconnects for as long as the page is open; each subscription resumes with its current state.
    retryAttempts: Infinity,
    keepAlive: 10_000,
    on: {
      connecting: () => onSocket('connecting'),
      connected: () => onSocket('connected'),
      closed: () => onSocket('closed'),
    },
  });

  const urql = new Client({
    url: httpUrl.href,
    preferGetMethod: false,
    fetchOptions: () => ({ headers }),
    exchanges: [
      fetchExchange,
      subscriptionExchange({
        forwardSubscription: (request) => ({
          subscribe: (sink) => ({ unsubscribe: socket.subscribe({ ...request, query: request.query ?? '' }, sink) }),
        }),
      }),
    ],
  });
  return { urql, socket };
}
