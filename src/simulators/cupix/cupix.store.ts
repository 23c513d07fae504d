import { alphaSeed } from './cupix.seed.js';
import { generatedSeed, idBlockFor } from './cupix.seed-generated.js';
import type { CupixTenant, LifecyclePlan, Pointcloud } from './cupix.types.js';

/** All tenants' pointclouds, partitioned by tenant name; a tenant only ever reads its own map. */
export class CupixStore {
  private readonly data = new Map<string, Map<number, Pointcloud>>();
  private readonly byToken = new Map<string, CupixTenant>();
  private readonly blocks = new Set<number>();

  /** `documentedVariants`: see SimContext.documentedVariants (tenant `alpha` then holds cupix.seed-variants.ts too). */
  constructor(private readonly opts: { documentedVariants: boolean }) {}

  /** Creates a tenant with its seed; returns the transitions its seed still has to make. */
  addTenant(name: string, token: string, nowMs: number): { tenant: CupixTenant; plans: LifecyclePlan[] } {
    if (this.data.has(name)) throw new Error(`tenant ${name} already exists`);
    if (this.byToken.has(token)) throw new Error('token already in use');
    let seed: { items: Pointcloud[]; plans: LifecyclePlan[] };
    if (name === 'alpha') seed = alphaSeed(nowMs, this.opts);
    else {
      const base = idBlockFor(name, (b) => this.blocks.has(b));
      this.blocks.add(base);
      seed = generatedSeed(name, base, nowMs);
    }
    const tenant: CupixTenant = { name, token };
    this.data.set(name, new Map(seed.items.map((p) => [p.id, p])));
    this.byToken.set(token, tenant);
    return { tenant, plans: seed.plans };
  }

  byTokenValue(token: string): CupixTenant | null {
    return this.byToken.get(token) ?? null;
  }

  tenants(): CupixTenant[] {
    return [...this.byToken.values()];
  }

  get(tenant: string, id: number): Pointcloud | undefined {
    return this.data.get(tenant)?.get(id);
  }

  all(tenant: string): Iterable<Pointcloud> {
    return this.data.get(tenant)?.values() ?? [];
  }
}
