import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A small pass-through HTTP proxy in front of a simulator (test harness only, none of our code). It
 * counts the matching requests in flight and, when gated, holds them, so a concurrency limit is
 * measured without any timing: held requests are released only once `open` of them are in flight at
 * once (or `expected` have arrived, for the tail).
 */
export interface GateProxy {
  origin: string;
  /** Where requests go, e.g. `http://127.0.0.1:4101`; set once the simulator is up. */
  target: string;
  /** Most matching requests the gateway had open at once since the last `reset`. */
  maxInFlight: number;
  gate: { open: number; expected: number } | null;
  reset(): void;
  close(): Promise<void>;
}

/** `matches` picks the requests counted and gated, from the method and the path (no query). */
export async function startGateProxy(matches: (method: string, path: string) => boolean): Promise<GateProxy> {
  let inFlight = 0;
  let arrived = 0;
  const held: (() => void)[] = [];
  const p: GateProxy = {
    origin: '',
    target: '',
    maxInFlight: 0,
    gate: null,
    reset() {
      p.maxInFlight = 0;
      arrived = 0;
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
  const releaseIfDue = () => {
    if (!p.gate || (inFlight < p.gate.open && arrived < p.gate.expected)) return;
    for (const go of held.splice(0)) go();
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      if (!matches(req.method ?? 'GET', new URL(req.url ?? '/', 'http://x').pathname)) return void forward(req, body, res);
      inFlight++;
      arrived++;
      p.maxInFlight = Math.max(p.maxInFlight, inFlight);
      const go = () =>
        void forward(req, body, res).finally(() => {
          inFlight--;
        });
      if (!p.gate) return go();
      held.push(go);
      releaseIfDue();
    });
  });
  async function forward(req: IncomingMessage, body: Buffer, res: ServerResponse): Promise<void> {
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string' && !['host', 'connection', 'content-length'].includes(k)) headers[k] = v;
    const r = await fetch(p.target + (req.url ?? '/'), { method: req.method, headers, body: body.length ? new Uint8Array(body) : undefined, redirect: 'manual' });
    const out = Buffer.from(await r.arrayBuffer());
    const location = r.headers.get('location');
    res.writeHead(r.status, {
      'content-type': r.headers.get('content-type') ?? 'application/octet-stream',
      'content-length': out.length,
      ...(location ? { location } : {}),
    });
    res.end(out);
  }
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  p.origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return p;
}
