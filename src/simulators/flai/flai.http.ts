import type { Handler, SimContext, SimRequest, SimResult } from '../core/index.js';
import { flaiErrors } from './flai.errors.js';
import type { FlaiLifecycle } from './flai.lifecycle.js';
import type { FlaiStore } from './flai.store.js';
import type { FlaiUploads } from './flai.uploads.js';
import type { FlaiTenant, TenantState } from './flai.types.js';
import { Validator } from './flai.validate.js';

/**
 * Org-scoped list responses. The shape of `datasets` / `flow-executions` lists is [UNKNOWN]
 * (docs/vendors.md, "Flai: list pagination"): by default we serve the envelope Flai's public API uses,
 * `{items, pagination:{total_items,total_pages,current_page,per_page}}` with `page` / `per_page`;
 * `'array'` serves a bare JSON array instead (all items, like `flow-templates`).
 */
export type ListEnvelope = 'paginated' | 'array';

export const DEFAULT_PER_PAGE = 20;
export const MAX_PER_PAGE = 200;

export interface FlaiRouteContext {
  store: FlaiStore;
  lifecycle: FlaiLifecycle;
  sim: SimContext;
  listEnvelope: ListEnvelope;
  /** Direct uploads staged on disk (`/tools/upload`). */
  uploads: FlaiUploads;
}

export type OrgHandler = (req: SimRequest<FlaiTenant>, state: TenantState) => SimResult;

export function ok(json: unknown): SimResult {
  return { status: 200, json };
}

/** `/organization/{orgId}/...`: another tenant's org is 403 (policy), an unknown org 404 (binding). */
export function orgScoped(rc: FlaiRouteContext, handler: OrgHandler): Handler<FlaiTenant> {
  return (req) => {
    const state = rc.store.state(req.tenant);
    const orgId = req.params.orgId;
    if (orgId !== state.organization.id) {
      return rc.store.byOrganization(orgId) ? flaiErrors.forbidden() : flaiErrors.modelNotFound('organization', orgId);
    }
    return handler(req, state);
  };
}

export interface ListSpec<T> {
  /** Sortable fields (`order_by`); the first is the default, descending. */
  orderBy: readonly (keyof T & string)[];
  /** Supported `filter[<field>]=value` equality filters. */
  filters: readonly (keyof T & string)[];
}

/** Filters, sorts and pages a list the Flai way (`filter[x]`, `order_by`, `order_direction`, `page`, `per_page`). */
export function listResponse<T extends object>(
  rows: T[],
  query: URLSearchParams,
  spec: ListSpec<T>,
  envelope: ListEnvelope,
  view: (row: T) => unknown,
): SimResult {
  const v = new Validator(Object.fromEntries(query));
  v.in('order_by', spec.orderBy);
  v.in('order_direction', ['asc', 'desc']);
  const perPageRaw = query.get('per_page');
  const perPage = perPageRaw === null ? DEFAULT_PER_PAGE : Number(perPageRaw);
  if (!Number.isInteger(perPage) || perPage < 1 || perPage > MAX_PER_PAGE) {
    v.add('per_page', `The per page must be between 1 and ${MAX_PER_PAGE}.`);
  }
  if (!v.ok) return flaiErrors.validation(v.errors);

  let items = rows;
  for (const f of spec.filters) {
    const want = query.get(`filter[${f}]`);
    if (want !== null) items = items.filter((r) => String(r[f]) === want);
  }
  const field = (query.get('order_by') ?? spec.orderBy[0]) as keyof T;
  const dir = query.get('order_direction') === 'asc' ? 1 : -1;
  const idKey = 'id' as keyof T;
  items = [...items].sort((a, b) => dir * (compare(a[field], b[field]) || compare(a[idKey], b[idKey])));
  if (envelope === 'array') return ok(items.map(view));

  // Laravel's paginator treats a missing or malformed page as page 1.
  const pageRaw = Number(query.get('page') ?? 1);
  const page = Number.isInteger(pageRaw) && pageRaw >= 1 ? pageRaw : 1;
  const total = items.length;
  return ok({
    items: items.slice((page - 1) * perPage, page * perPage).map(view),
    pagination: { total_items: total, total_pages: Math.ceil(total / perPage), current_page: page, per_page: perPage },
  });
}

function compare(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === null || a === undefined) return -1;
  if (b === null || b === undefined) return 1;
  return String(a) < String(b) ? -1 : 1;
}

/**
 * Optional Laravel `throttle` emulation per credential (fixed one-minute window, wall-clock).
 * Off by default so benchmarks are not throttled; fault injection covers 429s in tests.
 */
export class RateLimiter {
  private windows = new Map<string, { start: number; count: number }>();
  constructor(private readonly perMinute: number) {}

  wrap<T extends FlaiTenant>(handler: Handler<T>): Handler<T> {
    return async (req) => {
      const now = Date.now();
      let w = this.windows.get(req.tenant.token);
      if (!w || now - w.start >= 60_000) this.windows.set(req.tenant.token, (w = { start: now, count: 0 }));
      if (w.count >= this.perMinute) return flaiErrors.rateLimited(Math.ceil((w.start + 60_000 - now) / 1000), this.perMinute);
      w.count++;
      const res = await handler(req);
      const headers = { ...(res.headers ?? {}), 'x-ratelimit-limit': String(this.perMinute), 'x-ratelimit-remaining': String(this.perMinute - w.count) };
      return { ...res, headers } as SimResult;
    };
  }
}
