import type { IncomingMessage } from 'node:http';
import type { VendorOpenApi } from './openapi-docs.js';
import type { Router, SimResult } from './router.js';

export interface Tenant {
  /** A label for counters and fault filters; never the token itself. */
  name: string;
  token: string;
}

/** Everything one vendor simulator plugs into the shared server. */
export interface VendorDefinition<T extends Tenant> {
  vendor: 'mapflow' | 'flai' | 'cupix';
  title: string;
  /** e.g. `/rest` or `/api/v1`. */
  basePath: string;
  router: Router<T>;
  /** What each route answers (its schemas, by route key), for `/openapi.json`. */
  openapi: VendorOpenApi;
  /** Finds the tenant a request's credential belongs to, or null (`route` is the matched template key). */
  authenticate(headers: IncomingMessage['headers'], request: { query: URLSearchParams; route: string }): T | null;
  /** The vendor's own error bodies. */
  errors: {
    unauthorized(): SimResult;
    notFound(what: string): SimResult;
    badRequest(message: string): SimResult;
    server(status: number): SimResult;
    rateLimited(retryAfterSeconds: number): SimResult;
  };
  tenants(): T[];
  /** Adds a tenant with its own seeded data (`POST /__sim/tenants`). */
  addTenant(name: string, token: string): T;
  /** The vendor's own `/__sim/...` admin routes (what only the vendor's staff can do); null: not one of them. */
  admin?(method: string, path: string, body: unknown): SimResult | null;
}
