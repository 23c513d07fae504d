import type { Readable } from 'node:stream';
import type { IncomingMessage } from 'node:http';

export type Params = Record<string, string>;

/** What a route handler receives: the parsed request, already authenticated. */
export interface SimRequest<T> {
  method: string;
  /** The path below the simulator's base path, e.g. `/processings/abc/v2`. */
  path: string;
  params: Params;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  /** Parsed JSON body, or undefined when there was none. */
  body: unknown;
  /** The whole body; empty for a `streamBody` route. */
  rawBody: Buffer;
  /** A `streamBody` route's unread body (the handler reads it); null for every other route. */
  stream: IncomingMessage | null;
  tenant: T;
  /** The route template, e.g. `GET /processings/{id}/v2`. */
  route: string;
  /** Origin of this simulator as the client reached it, e.g. `http://127.0.0.1:4101`. */
  origin: string;
}

export type SimResult =
  | { status: number; json: unknown; headers?: Record<string, string> }
  | { status: number; text: string; contentType?: string; headers?: Record<string, string> }
  | { status: number; bytes: Buffer; contentType: string; headers?: Record<string, string> }
  /** A body made as it is sent, of exactly `length` bytes (a large file). */
  | { status: number; stream: Readable; length: number; contentType: string; headers?: Record<string, string> }
  | { status: number; empty: true; headers?: Record<string, string> };

export type Handler<T> = (req: SimRequest<T>) => SimResult | Promise<SimResult>;

export interface RouteDef<T> {
  method: string;
  /** Path template with `{name}` segments, relative to the base path. */
  template: string;
  summary: string;
  handler: Handler<T>;
  /** Routes that need no credential (e.g. presigned storage URLs). */
  public?: boolean;
  /**
   * Extra OpenAPI operation fields (parameters, requestBody) for `/openapi.json`; what the route
   * answers is declared beside the vendor's schemas (`VendorDefinition.openapi`).
   */
  openapi?: Record<string, unknown>;
  /**
   * The body is not read into memory before the handler: it gets it unread as `stream` (uploads,
   * which must never be held whole).
   */
  streamBody?: boolean;
}

interface Compiled<T> extends RouteDef<T> {
  regex: RegExp;
  names: string[];
  key: string;
}

/** A tiny method + path-template router; cheap enough for thousands of requests per second. */
export class Router<T> {
  private readonly routes: Compiled<T>[] = [];

  add(def: RouteDef<T>): this {
    const names: string[] = [];
    const pattern = def.template
      .split('/')
      .map((seg) => {
        const m = /^\{(\w+)\}$/.exec(seg);
        if (!m) return seg.replace(/[.*+?^$()|[\]\\]/g, '\\$&');
        names.push(m[1]);
        return '([^/]+)';
      })
      .join('/');
    this.routes.push({ ...def, names, regex: new RegExp(`^${pattern}/?$`), key: `${def.method} ${def.template}` });
    return this;
  }

  match(method: string, path: string): { route: Compiled<T>; params: Params } | { allowed: string[] } | null {
    const allowed: string[] = [];
    for (const route of this.routes) {
      const m = route.regex.exec(path);
      if (!m) continue;
      if (route.method !== method) {
        allowed.push(route.method);
        continue;
      }
      const params: Params = {};
      route.names.forEach((n, i) => (params[n] = decodeURIComponent(m[i + 1])));
      return { route, params };
    }
    return allowed.length ? { allowed } : null;
  }

  list(): readonly RouteDef<T>[] {
    return this.routes;
  }
}
