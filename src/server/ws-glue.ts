import type { IncomingMessage } from 'node:http';
import { CloseCode, handleProtocols, makeServer, type ConnectionInitMessage, type Disposable, type ServerOptions } from 'graphql-ws';
import type { WebSocket, WebSocketServer } from 'ws';
import type { Logger } from '../observability/logger.js';

export interface Extra {
  readonly socket: WebSocket;
  readonly request: IncomingMessage;
}

/**
 * graphql-ws' `useServer` (graphql-ws/use/ws) with its reports going to our logger: the original
 * writes socket, server and message-handling errors to `console.error`, past pino's redaction, and
 * in development puts the error's message in the close reason. Here they are logged as coded lines
 * with the error's name only (an error's message may quote a URL or a header), and every socket
 * closes with the generic `Internal server error`. The protocol itself is graphql-ws' `makeServer`.
 */
export function useWsServer<P extends ConnectionInitMessage['payload'] = ConnectionInitMessage['payload'], E extends Record<PropertyKey, unknown> = Record<PropertyKey, never>>(
  options: ServerOptions<P, Extra & Partial<E>>,
  wss: WebSocketServer,
  keepAlive: number,
  log: Logger,
): Disposable {
  const server = makeServer(options);
  wss.options.handleProtocols = handleProtocols;
  const report = (where: string, err: unknown) => log.error({ code: 'WS_INTERNAL_ERROR', where, error: err instanceof Error ? err.name : typeof err }, `graphql-ws: internal error on the ${where}`);
  wss.once('error', (err) => {
    report('WebSocket server', err);
    for (const client of wss.clients) client.close(CloseCode.InternalServerError, 'Internal server error');
  });
  wss.on('connection', (socket, request) => {
    socket.once('error', (err) => {
      // e.g. a message over maxPayload: ws has already closed the socket with 1009.
      log.warn({ code: 'WS_SOCKET_ERROR', error: err.name }, 'graphql-ws: error on a WebSocket');
      socket.close(CloseCode.InternalServerError, 'Internal server error');
    });
    let pongWait: NodeJS.Timeout | null = null;
    const pingInterval =
      keepAlive > 0 && Number.isFinite(keepAlive)
        ? setInterval(() => {
            if (socket.readyState !== socket.OPEN) return;
            pongWait = setTimeout(() => socket.terminate(), keepAlive);
            socket.once('pong', () => {
              if (pongWait) clearTimeout(pongWait);
              pongWait = null;
            });
            socket.ping();
          }, keepAlive)
        : null;
    const closed = server.opened(
      {
        protocol: socket.protocol,
        send: (data) =>
          new Promise<void>((resolve, reject) => {
            if (socket.readyState !== socket.OPEN) return resolve();
            socket.send(data, (err) => {
              if (!err) return resolve();
              // The peer went away while the frame was written (EPIPE, ECONNRESET): the socket is
              // closing and its subscriptions end with it; nothing is wrong on our side.
              if (socket.readyState !== socket.OPEN) {
                log.debug({ code: 'WS_PEER_GONE', error: err.name }, 'graphql-ws: frame not sent, the peer has gone');
                return resolve();
              }
              reject(err);
            });
          }),
        close: (code, reason) => socket.close(code, reason),
        onMessage: (cb) =>
          socket.on('message', async (event) => {
            try {
              await cb(String(event));
            } catch (err) {
              report('message handling', err);
              socket.close(CloseCode.InternalServerError, 'Internal server error');
            }
          }),
      },
      { socket, request } as Extra & Partial<E>,
    );
    socket.once('close', (code, reason) => {
      if (pongWait) clearTimeout(pongWait);
      if (pingInterval) clearInterval(pingInterval);
      void closed(code, String(reason));
    });
  });
  return {
    dispose: async () => {
      for (const client of wss.clients) client.close(1001, 'Going away');
      wss.removeAllListeners();
      await new Promise<void>((resolve, reject) => wss.close((err) => (err ? reject(err) : resolve())));
    },
  };
}
