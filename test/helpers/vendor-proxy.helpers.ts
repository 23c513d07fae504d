import { createServer, request, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * A real HTTP proxy between the gateway and one simulator, for network faults the simulators cannot
 * make: a request that reaches the vendor (and is carried out) whose answer never comes back, and
 * answers held until the test lets them go. Everything else is forwarded as is.
 */
export interface ProxiedRequest {
  method: string;
  path: string;
  /** `performance.now()` when the request arrived. */
  at: number;
  /** The headers the gateway sent (lower-case names). */
  headers: IncomingHttpHeaders;
}

type Match = (r: ProxiedRequest) => boolean;

export interface VendorProxy {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  readonly requests: ProxiedRequest[];
  /** The next `n` matching requests are forwarded and carried out, but their answers are dropped: the gateway hears nothing. */
  swallow(match: Match, n?: number): void;
  /**
   * The next `n` matching requests are forwarded and carried out, but the gateway gets `status`
   * (502, 504: a load balancer in front of the vendor that gave up on it after it acted).
   */
  failAfter(match: Match, status: number, n?: number): void;
  /** Matching requests are answered by the proxy itself (a vendor that behaves differently). */
  respond(match: Match, answer: (r: ProxiedRequest) => { status: number; headers?: Record<string, string>; json?: unknown }): void;
  /** Matching requests wait (not forwarded) until `release()`; `held(n)` resolves once n are waiting. */
  hold(match: Match): { held(n: number): Promise<void>; release(): void };
  close(): Promise<void>;
}

export async function startVendorProxy(target: string): Promise<VendorProxy> {
  const base = new URL(target);
  const requests: ProxiedRequest[] = [];
  const swallows: { match: Match; left: number; status?: number }[] = [];
  const answers: { match: Match; answer: Parameters<VendorProxy['respond']>[1] }[] = [];
  const holds: { match: Match; waiting: (() => void)[]; released: boolean; notify: () => void }[] = [];
  const sockets = new Set<Socket>();

  /** `drop`: the answer is lost (true: silence; a number: that status instead, once it was carried out). */
  const forward = (req: IncomingMessage, res: ServerResponse, body: Buffer, drop: boolean | number) => {
    const up = request(
      { host: base.hostname, port: base.port, method: req.method, path: req.url, headers: { ...req.headers, host: base.host } },
      (answer) => {
        if (typeof drop === 'number') {
          answer.resume();
          answer.on('end', () => {
            const payload = JSON.stringify({ message: `proxy answered ${drop}` });
            res.writeHead(drop, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) });
            res.end(payload);
          });
          return;
        }
        if (drop) {
          answer.resume(); // carried out upstream; the answer goes nowhere and the gateway's socket stays silent
          return;
        }
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    up.on('error', () => res.destroy());
    up.end(body);
  };

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r: ProxiedRequest = { method: req.method ?? 'GET', path: (req.url ?? '/').split('?')[0], at: performance.now(), headers: req.headers };
      requests.push(r);
      const body = Buffer.concat(chunks);
      const own = answers.find((a) => a.match(r));
      if (own) {
        const a = own.answer(r);
        const payload = a.json === undefined ? '' : JSON.stringify(a.json);
        res.writeHead(a.status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload), ...a.headers });
        res.end(payload);
        return;
      }
      const s = swallows.find((x) => x.left > 0 && x.match(r));
      if (s) s.left--;
      const h = holds.find((x) => !x.released && x.match(r));
      if (h) {
        h.waiting.push(() => forward(req, res, body, s ? (s.status ?? true) : false));
        h.notify();
        return;
      }
      forward(req, res, body, s ? (s.status ?? true) : false);
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    origin,
    requests,
    respond(match, answer) {
      answers.push({ match, answer });
    },
    swallow(match, n = 1) {
      swallows.push({ match, left: n });
    },
    failAfter(match, status, n = 1) {
      swallows.push({ match, left: n, status });
    },
    hold(match) {
      const waiters: { n: number; resolve: () => void }[] = [];
      const h = {
        match,
        waiting: [] as (() => void)[],
        released: false,
        notify: () => {
          for (const w of waiters.splice(0)) {
            if (h.waiting.length >= w.n) w.resolve();
            else waiters.push(w);
          }
        },
      };
      holds.push(h);
      return {
        held: (n) => new Promise<void>((resolve) => {
          waiters.push({ n, resolve });
          h.notify();
        }),
        release: () => {
          h.released = true;
          for (const go of h.waiting.splice(0)) go();
        },
      };
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
