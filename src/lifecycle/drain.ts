import type { Server } from 'node:http';

/**
 * Graceful stop of the HTTP side: no new connections, idle keep-alive connections closed now and
 * each busy one as soon as its response is out, so that in-flight requests finish; whatever is
 * still open at `deadlineMs` is cut.
 */
export async function drainHttpServer(server: Server, deadlineMs: number): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  const sweep = setInterval(() => server.closeIdleConnections(), 25);
  let deadline: NodeJS.Timeout | undefined;
  const cut = new Promise<void>((resolve) => {
    deadline = setTimeout(() => {
      server.closeAllConnections();
      resolve();
    }, deadlineMs);
  });
  try {
    server.closeIdleConnections();
    await Promise.race([closed, cut]);
  } finally {
    clearInterval(sweep);
    clearTimeout(deadline);
  }
}
