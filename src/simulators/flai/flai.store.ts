import type { FlaiTenant, TenantState } from './flai.types.js';

/** Every tenant's data, looked up by credential and by organization id; plus the object storage. */
export class FlaiStore {
  private readonly byToken = new Map<string, TenantState>();
  private readonly byOrg = new Map<string, TenantState>();
  private readonly byName = new Map<string, TenantState>();
  /** Presigned-URL object storage (`/storage/{key}`): prepared download zips. */
  readonly storage = new Map<string, Buffer>();

  add(state: TenantState): void {
    const old = this.byName.get(state.tenant.name);
    if (old) {
      this.byToken.delete(old.tenant.token);
      this.byOrg.delete(old.tenant.orgId);
    }
    this.byName.set(state.tenant.name, state);
    this.byToken.set(state.tenant.token, state);
    this.byOrg.set(state.tenant.orgId, state);
  }

  byCredential(token: string): TenantState | undefined {
    return this.byToken.get(token);
  }

  byOrganization(orgId: string): TenantState | undefined {
    return this.byOrg.get(orgId);
  }

  state(tenant: FlaiTenant): TenantState {
    const s = this.byToken.get(tenant.token);
    if (!s) throw new Error(`unknown tenant ${tenant.name}`);
    return s;
  }

  tenants(): FlaiTenant[] {
    return [...this.byName.values()].map((s) => s.tenant);
  }
}
