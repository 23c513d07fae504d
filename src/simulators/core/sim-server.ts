import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import type { AddressInfo, Socket } from 'node:net';
import { drainHttpServer } from '../../lifecycle/drain.js';
import { ChangeLog } from './changes.js';
import { Scheduler, VirtualClock } from './clock.js';
import { CORRUPT_BODY, Faults, type FaultInput } from './faults.js';
import { Holds } from './holds.js';
import { buildOpenApi } from './openapi.js';
import type { Tenant, VendorDefinition } from './definition.js';
import type { SimRequest, SimResult } from './router.js';
import { Stats } from './stats.js';

export interface SimContext {
  clock: VirtualClock;
  scheduler: Scheduler;
  changes: ChangeLog;
  /**
   * Answers the vendor's docs allow but a literal reading of its examples would not send (bare-array
   * lists, id-only create answers, an undocumented enum value in one item, …): on by default, so the
   * gateway is tested against what the docs permit rather than against what our mappers expect.
   * Each simulator lists its variants in docs/vendors.md. Off only where a test needs the exact examples.
   */
  documentedVariants: boolean;
}

export interface SimOptions {
  port?: number;
  host?: string;
  timeScale?: number;
  faults?: FaultInput | null;
  /** See SimContext.documentedVariants (default true). */
  documentedVariants?: boolean;
}

/** One answer a simulator sent to a vendor route, as `SimHandle.onAnswer` listeners see it. */
export interface SimAnswer {
  /** The route key (`GET /processings/{id}/v2`), or null when no route matched (a 404, a 405). */
  route: string | null;
  status: number;
  /** The headers sent (names lower-case), `content-type` among them when there is a body. */
  headers: Record<string, string | number>;
  /** The body as sent; undefined when there is none. */
  body: Buffer | string | undefined;
  /** The injected fault that made this answer (`error`, `rateLimit`, `corrupt`), or null. */
  fault: string | null;
}

export interface SimHandle<T extends Tenant> extends SimContext {
  vendor: string;
  /** Base URL including the base path, e.g. `http://127.0.0.1:4101/rest`. */
  url: string;
  /** `http://127.0.0.1:4101`. */
  origin: string;
  port: number;
  faults: Faults;
  /** Requests held until a test releases them (core/holds.ts). */
  holds: Holds;
  stats: Stats;
  tenants(): T[];
  addTenant(name: string, token: string): T;
  /**
   * Calls `listener` with every answer sent to a vendor route from now on (not the `/__sim/` admin
   * routes nor `/openapi.json`), e.g. to check each one against `/openapi.json`; returns the unsubscribe.
   */
  onAnswer(listener: (answer: SimAnswer) => void): () => void;
  /**
   * Without `drainMs` (tests, the gateway's embedded simulators): every connection is cut at once.
   * With it (`npm run simulators` stopping): nothing new accepted, the requests in flight answered,
   * and what is still open after `drainMs` (a `hang` fault's request) cut.
   */
  close(drainMs?: number): Promise<void>;
}

const MAX_BODY = 20 * 1024 * 1024;

export function createSimContext(timeScale = 1, opts: { documentedVariants?: boolean } = {}): SimContext {
  const clock = new VirtualClock(timeScale);
  return { clock, scheduler: new Scheduler(clock), changes: new ChangeLog(clock), documentedVariants: opts.documentedVariants ?? true };
}

/** Starts one vendor simulator on a plain `node:http` server. */
export async function startSimServer<T extends Tenant>(
  def: VendorDefinition<T>,
  ctx: SimContext,
  opts: SimOptions = {},
): Promise<SimHandle<T>> {
  const faults = new Faults();
  faults.set(opts.faults ?? null);
  const holds = new Holds();
  const stats = new Stats();
  const sockets = new Set<Socket>();
  const answerListeners = new Set<(answer: SimAnswer) => void>();

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      console.error(`[sim:${def.vendor}] handler crashed`, err);
      if (!res.headersSent) send(res, def.errors.server(500));
    });
  });
  server.keepAliveTimeout = 65_000;
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://sim');
    const method = req.method ?? 'GET';
    const origin = `http://${req.headers.host ?? `127.0.0.1:${port}`}`;
    if (url.pathname.startsWith('/__sim/') || url.pathname === '/openapi.json') {
      return admin(method, url, req, res, origin);
    }
    if (!url.pathname.startsWith(def.basePath + '/') && !isPublicPath(url.pathname)) {
      stats.record(`${method} (unmatched)`, 'anonymous', 404);
      return send(res, def.errors.notFound(url.pathname));
    }
    const path = url.pathname.startsWith(def.basePath + '/') ? url.pathname.slice(def.basePath.length) : url.pathname;
    const found = def.router.match(method, path);
    const routeKey = found && 'route' in found ? found.route.key : `${method} (unmatched)`;
    const isPublic = !!(found && 'route' in found && found.route.public);
    const tenant = isPublic ? null : def.authenticate(req.headers, { query: url.searchParams, route: routeKey });
    const tenantName = tenant?.name ?? 'anonymous';

    const fault = faults.decide(routeKey, tenant?.name);
    // Counted on arrival: a hung request never ends, yet it is an upstream call a benchmark must see.
    if (fault.kind === 'hang') stats.record(routeKey, tenantName, 'hang');
    if (fault.delayMs > 0) await delay(fault.delayMs);
    if (fault.kind === 'hang') return; // never answer; the client's timeout ends it
    if (fault.kind === 'reset') {
      stats.record(routeKey, tenantName, 'reset');
      req.socket.resetAndDestroy();
      return;
    }
    await holds.gate(routeKey);
    const result = await respond();
    stats.record(routeKey, tenantName, result.status);
    const sent = encode(result);
    res.writeHead(result.status, sent.headers);
    if ('stream' in result) {
      // A body made as it is sent (a large file); a client that leaves ends it. Listeners see its first piece.
      let first: Buffer | undefined;
      result.stream.once('data', (piece: Buffer) => (first = piece));
      const cutAfter = holds.takeCut(routeKey);
      if (cutAfter !== null) {
        let sentBytes = 0;
        result.stream.on('data', (piece: Buffer) => {
          sentBytes += piece.length;
          if (sentBytes >= cutAfter) res.socket?.destroy();
        });
      }
      await pipeline(result.stream, res).catch(() => res.destroy());
      sent.body = first;
    } else res.end(sent.body);
    if (answerListeners.size) {
      const answer: SimAnswer = { route: found && 'route' in found ? found.route.key : null, status: result.status, ...sent, fault: fault.kind === 'none' ? null : fault.kind };
      for (const listener of answerListeners) listener(answer);
    }

    async function respond(): Promise<SimResult> {
      if (fault.kind === 'error') return def.errors.server(fault.status);
      if (fault.kind === 'rateLimit') return def.errors.rateLimited(fault.retryAfterSeconds);
      if (fault.kind === 'corrupt') return { status: 200, json: CORRUPT_BODY };
      if (!found) return def.errors.notFound(url.pathname);
      if ('allowed' in found) {
        const r = def.errors.badRequest(`Method ${method} is not allowed here`);
        return { ...r, status: 405, headers: { allow: found.allowed.join(', ') } };
      }
      if (!isPublic && !tenant) return def.errors.unauthorized();
      const streamBody = found.route.streamBody === true;
      let rawBody: Buffer;
      try {
        rawBody = streamBody ? Buffer.alloc(0) : await readBody(req);
      } catch {
        return { ...def.errors.badRequest('Request body too large'), status: 413 };
      }
      let body: unknown;
      if (rawBody.length && /json/i.test(req.headers['content-type'] ?? 'application/json')) {
        try {
          body = JSON.parse(rawBody.toString('utf8'));
        } catch {
          return def.errors.badRequest('Malformed JSON in request body');
        }
      }
      ctx.scheduler.settle();
      const simReq: SimRequest<T> = {
        method,
        path,
        params: found.params,
        query: url.searchParams,
        headers: req.headers,
        body,
        rawBody,
        stream: streamBody ? req : null,
        tenant: tenant as T,
        route: found.route.key,
        origin,
      };
      return found.route.handler(simReq);
    }
  }

  async function admin(method: string, url: URL, req: IncomingMessage, res: ServerResponse, origin: string): Promise<void> {
    const p = url.pathname;
    let body: unknown;
    try {
      const raw = await readBody(req);
      body = raw.length ? JSON.parse(raw.toString('utf8')) : undefined;
    } catch {
      return send(res, { status: 400, json: { error: 'body must be JSON' } });
    }
    ctx.scheduler.settle();
    try {
      if (p === '/openapi.json') return send(res, { status: 200, json: buildOpenApi(def, origin) });
      if (p === '/__sim/stats' && method === 'GET') return send(res, { status: 200, json: stats.snapshot() });
      if (p === '/__sim/stats' && method === 'DELETE') {
        stats.reset();
        return send(res, { status: 200, json: stats.snapshot() });
      }
      if (p === '/__sim/faults' && method === 'GET') return send(res, { status: 200, json: { faults: faults.current } });
      if (p === '/__sim/faults' && (method === 'PUT' || method === 'POST')) {
        return send(res, { status: 200, json: { faults: faults.set(body as FaultInput) } });
      }
      if (p === '/__sim/faults' && method === 'DELETE') return send(res, { status: 200, json: { faults: faults.set(null) } });
      if (p === '/__sim/changes' && method === 'GET') {
        const q = url.searchParams;
        const changes = ctx.changes.since(Number(q.get('since') ?? 0), {
          entity: q.get('entity') ?? undefined,
          id: q.get('id') ?? undefined,
          tenant: q.get('tenant') ?? undefined,
        });
        return send(res, { status: 200, json: { lastSeq: ctx.changes.lastSeq, changes } });
      }
      if (p === '/__sim/clock' && method === 'GET') return send(res, { status: 200, json: clockState() });
      if (p === '/__sim/clock' && method === 'POST') {
        const b = (body ?? {}) as { advanceMs?: unknown; timeScale?: unknown };
        if (b.timeScale !== undefined) {
          if (typeof b.timeScale !== 'number' || b.timeScale < 0) throw new Error('timeScale must be a number >= 0');
          ctx.clock.setScale(b.timeScale);
        }
        if (b.advanceMs !== undefined) {
          if (typeof b.advanceMs !== 'number' || b.advanceMs < 0) throw new Error('advanceMs must be a number >= 0');
          ctx.clock.advance(b.advanceMs);
        }
        ctx.scheduler.settle();
        return send(res, { status: 200, json: clockState() });
      }
      if (p === '/__sim/tenants' && method === 'GET') {
        return send(res, { status: 200, json: { tenants: def.tenants().map((t) => ({ name: t.name, token: t.token })) } });
      }
      if (p === '/__sim/tenants' && method === 'POST') {
        const b = (body ?? {}) as { name?: unknown; token?: unknown };
        if (typeof b.name !== 'string' || typeof b.token !== 'string' || !b.name || !b.token) {
          throw new Error('name and token are required strings');
        }
        const t = def.addTenant(b.name, b.token);
        return send(res, { status: 201, json: { name: t.name } });
      }
      const own = def.admin?.(method, p, body);
      if (own) return send(res, own);
      return send(res, { status: 404, json: { error: `no admin route ${method} ${p}` } });
    } catch (err) {
      return send(res, { status: 400, json: { error: err instanceof Error ? err.message : String(err) } });
    }
  }

  function clockState() {
    return { timeScale: ctx.clock.timeScale, now: new Date(ctx.clock.now()).toISOString(), pending: ctx.scheduler.pending };
  }

  function isPublicPath(path: string): boolean {
    const m = def.router.match('GET', path);
    return !!(m && 'route' in m && m.route.public);
  }

  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const host = opts.host && opts.host !== '0.0.0.0' ? opts.host : '127.0.0.1';
  const originUrl = `http://${host}:${port}`;
  return {
    vendor: def.vendor,
    url: originUrl + def.basePath,
    origin: originUrl,
    port,
    faults,
    holds,
    stats,
    ...ctx,
    tenants: () => def.tenants(),
    addTenant: (name, token) => def.addTenant(name, token),
    onAnswer(listener) {
      answerListeners.add(listener);
      return () => answerListeners.delete(listener);
    },
    close: (drainMs) => {
      holds.releaseAll();
      return drainMs === undefined
        ? new Promise<void>((resolve) => {
            for (const s of sockets) s.destroy();
            server.close(() => resolve());
          })
        : drainHttpServer(server, drainMs);
    },
  };
}

export function send(res: ServerResponse, r: SimResult): void {
  const { headers, body } = encode(r);
  res.writeHead(r.status, headers);
  res.end(body);
}

/** The headers and body a result is sent with. */
function encode(r: SimResult): Pick<SimAnswer, 'headers' | 'body'> {
  const headers: Record<string, string | number> = { ...(r.headers ?? {}) };
  let body: Buffer | string | undefined;
  if ('json' in r) {
    body = JSON.stringify(r.json);
    headers['content-type'] = 'application/json';
  } else if ('text' in r) {
    body = r.text;
    headers['content-type'] = r.contentType ?? 'text/plain; charset=utf-8';
  } else if ('bytes' in r) {
    body = r.bytes;
    headers['content-type'] = r.contentType;
  } else if ('stream' in r) {
    headers['content-type'] = r.contentType;
    headers['content-length'] = r.length;
    return { headers, body: undefined };
  }
  headers['content-length'] = body === undefined ? 0 : Buffer.byteLength(body);
  return { headers, body };
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new Error('too large'));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function delay(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
