import type { SimContext } from '../core/index.js';
import { ERROR_CODE, potreeMeta } from './cupix.seed-builder.js';
import type { LifecyclePlan, Pointcloud, PotreeState } from './cupix.types.js';

/**
 * [INFER] Potree octree conversion finishes this long (virtual) after a pointcloud is `done`; until
 * then `potree_state` stays `processing` and a sub's `meta.potree` is `{}`.
 */
export const POTREE_AFTER_MS = 8_000;

/**
 * Drives one pointcloud through `state` processing -> done | error, with `potree_state` following
 * (processing -> uploaded | error). Every change is recorded in the change log (entity `pointcloud`).
 */
export function scheduleLifecycle(ctx: SimContext, tenant: string, pc: Pointcloud, plan: LifecyclePlan): void {
  const change = (at: number, field: 'state' | 'potree_state', to: string) => {
    const from = field === 'state' ? pc.state : pc.potreeState;
    if (from === to) return;
    if (field === 'state') pc.state = to as Pointcloud['state'];
    else pc.potreeState = to as PotreeState;
    pc.updatedAt = new Date(at).toISOString();
    ctx.changes.record(at, { tenant, entity: 'pointcloud', id: String(pc.id), field, from, to });
  };
  ctx.scheduler.after(plan.settleAfterMs, (at) => {
    if (plan.outcome === 'error') {
      pc.errorCode = ERROR_CODE;
      change(at, 'state', 'error');
      change(at, 'potree_state', 'error');
      return;
    }
    change(at, 'state', 'done');
    ctx.scheduler.at(at + POTREE_AFTER_MS, (done) => {
      if ('potree' in pc.meta) pc.meta.potree = potreeMeta(pc.id, pc.meta.prop.original_point_count);
      change(done, 'potree_state', 'uploaded');
    });
  });
}
