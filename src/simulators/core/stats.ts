/**
 * Request counters per route template and per tenant, read and reset at `/__sim/stats`.
 * `byStatus` is keyed by the HTTP status sent, or `hang` / `reset` for requests an injected fault
 * left unanswered or cut.
 */
export interface StatsSnapshot {
  total: number;
  byRoute: Record<string, number>;
  byTenant: Record<string, number>;
  byTenantRoute: Record<string, Record<string, number>>;
  byStatus: Record<string, number>;
}

export class Stats {
  private total = 0;
  private byRoute = new Map<string, number>();
  private byTenant = new Map<string, number>();
  private byTenantRoute = new Map<string, Map<string, number>>();
  private byStatus = new Map<string, number>();
  private readonly listeners = new Set<() => void>();

  record(route: string, tenant: string, status: number | 'hang' | 'reset'): void {
    this.total++;
    bump(this.byRoute, route);
    bump(this.byTenant, tenant);
    let m = this.byTenantRoute.get(tenant);
    if (!m) this.byTenantRoute.set(tenant, (m = new Map()));
    bump(m, route);
    bump(this.byStatus, String(status));
    for (const listener of this.listeners) listener();
  }

  /** Resolves once `cond()` holds: checked now, then after each request recorded (for tests: wait for a call in flight to land). */
  until(cond: () => boolean): Promise<void> {
    if (cond()) return Promise.resolve();
    return new Promise((resolve) => {
      const check = () => {
        if (!cond()) return;
        this.listeners.delete(check);
        resolve();
      };
      this.listeners.add(check);
    });
  }

  /** Requests to a route (exact template, e.g. `GET /processings/{id}/v2`), optionally for one tenant. */
  count(route?: string, tenant?: string): number {
    if (tenant !== undefined) {
      const m = this.byTenantRoute.get(tenant);
      if (!m) return 0;
      return route === undefined ? sum(m) : (m.get(route) ?? 0);
    }
    return route === undefined ? this.total : (this.byRoute.get(route) ?? 0);
  }

  snapshot(): StatsSnapshot {
    const byTenantRoute: Record<string, Record<string, number>> = {};
    for (const [t, m] of this.byTenantRoute) byTenantRoute[t] = Object.fromEntries(m);
    return {
      total: this.total,
      byRoute: Object.fromEntries(this.byRoute),
      byTenant: Object.fromEntries(this.byTenant),
      byTenantRoute,
      byStatus: Object.fromEntries(this.byStatus),
    };
  }

  reset(): void {
    this.total = 0;
    this.byRoute.clear();
    this.byTenant.clear();
    this.byTenantRoute.clear();
    this.byStatus.clear();
  }
}

function bump(m: Map<string, number>, k: string): void {
  m.set(k, (m.get(k) ?? 0) + 1);
}

function sum(m: Map<string, number>): number {
  let n = 0;
  for (const v of m.values()) n += v;
  return n;
}
