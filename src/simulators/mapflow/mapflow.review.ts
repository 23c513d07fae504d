import type { SimContext, SimResult } from '../core/index.js';
import type { MapflowTenant } from './mapflow.types.js';
import { isObject, isoMicro } from './mapflow.util.js';

const REVIEW_STATUSES = ['IN_REVIEW', 'NOT_ACCEPTED', 'ACCEPTED', 'REFUNDED'] as const;
/** How long a review stays open (`inReviewUntil`). [INFER] The docs give no figure. */
const REVIEW_DAYS = 7;

/**
 * `POST /__sim/processings/{id}/review` `{"reviewStatus": "ACCEPTED" | ... | null}`: what Mapflow's
 * reviewers do to a finished processing (no public API does it). Logged in `/__sim/changes` as the
 * processing's `reviewStatus` field.
 */
export function reviewAdmin(ctx: SimContext, tenants: () => MapflowTenant[]) {
  return (method: string, path: string, body: unknown): SimResult | null => {
    const m = /^\/__sim\/processings\/([^/]+)\/review$/.exec(path);
    if (!m || method !== 'POST') return null;
    const id = decodeURIComponent(m[1]);
    const to = isObject(body) ? body.reviewStatus : undefined;
    if (to !== null && !REVIEW_STATUSES.includes(to as (typeof REVIEW_STATUSES)[number])) {
      return { status: 400, json: { error: `reviewStatus must be one of ${REVIEW_STATUSES.join(', ')} or null` } };
    }
    for (const tenant of tenants()) {
      const p = tenant.data.processings.get(id);
      if (!p) continue;
      const now = ctx.clock.now();
      const from = (p.reviewStatus?.reviewStatus as string | undefined) ?? null;
      const until = isoMicro(now + REVIEW_DAYS * 86_400_000);
      // The same shape as the seeds: the plugin reads `inReviewUntil`, the v2 reference `feedback`.
      p.reviewStatus = to === null ? null : { reviewStatus: to as string, inReviewUntil: until, feedback: until };
      p.updated = isoMicro(now);
      if (from !== to) ctx.changes.record(now, { tenant: tenant.name, entity: 'processing', id, field: 'reviewStatus', from, to });
      const project = tenant.data.projects.get(p.projectId);
      if (project) project.snapshot = null;
      return { status: 200, json: { id, reviewStatus: to } };
    }
    return { status: 404, json: { error: `no processing ${id}` } };
  };
}
