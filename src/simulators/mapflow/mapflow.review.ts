import type { SimContext, SimResult } from '../core/index.js';
import type { MapflowTenant, Processing, ProcessingStatus, TenantData } from './mapflow.types.js';
import { isObject, isoMicro } from './mapflow.util.js';

const REVIEW_STATUSES = ['IN_REVIEW', 'NOT_ACCEPTED', 'ACCEPTED', 'REFUNDED'] as const;
/** How long a review stays open (`inReviewUntil`). [INFER] The docs give no figure. */
const REVIEW_DAYS = 7;

/**
 * Documented: `IN_REVIEW` is "the additional status enabled by request (if the results are under
 * review)". Served by accounts with the review workflow (`reviewWorkflowEnabled`), with documented
 * variants on; otherwise a reviewed processing stays `OK` and only its `reviewStatus` says so.
 */
export function showsInReview(ctx: Pick<SimContext, 'documentedVariants'>, t: TenantData): boolean {
  return ctx.documentedVariants && t.userStatus.reviewWorkflowEnabled === true;
}

/** The status a processing's review gives it: IN_REVIEW while an OK result is under review, OK again after. */
export function statusAfterReview(p: Processing, shown: boolean): ProcessingStatus {
  const underReview = shown && p.reviewStatus?.reviewStatus === 'IN_REVIEW';
  if (underReview && p.status === 'OK') return 'IN_REVIEW';
  if (!underReview && p.status === 'IN_REVIEW') return 'OK';
  return p.status;
}

/**
 * The Mapflow simulator's own `/__sim/...` routes, what Mapflow's staff and web app do (no public API does it):
 * - `POST /__sim/processings/{id}/review` `{"reviewStatus": "ACCEPTED" | ... | null}`: a reviewer's decision,
 *   logged in `/__sim/changes` as the processing's `reviewStatus` (and `status`, when it moves to or from IN_REVIEW);
 * - `POST /__sim/processings/{id}/rating` `{"rating": 1..5 | "1".."5" | null, "feedback"?: string}`: the customer
 *   rating the results in the web app, served as given (the v2 reference types `rating` as a string, the QGIS
 *   plugin as a number); `null` takes the rating away. Logged as the processing's `rating`.
 */
export function mapflowAdmin(ctx: SimContext, tenants: () => MapflowTenant[]) {
  function find(id: string): { tenant: MapflowTenant; p: Processing } | null {
    for (const tenant of tenants()) {
      const p = tenant.data.processings.get(id);
      if (p) return { tenant, p };
    }
    return null;
  }
  /** Logs a change and lets the project summary be computed afresh. */
  function changed(tenant: MapflowTenant, p: Processing, field: string, from: unknown, to: unknown): void {
    const now = ctx.clock.now();
    p.updated = isoMicro(now);
    if (from !== to) ctx.changes.record(now, { tenant: tenant.name, entity: 'processing', id: p.id, field, from, to });
    const project = tenant.data.projects.get(p.projectId);
    if (project) project.snapshot = null;
  }

  function review(id: string, body: unknown): SimResult {
    const to = isObject(body) ? body.reviewStatus : undefined;
    if (to !== null && !REVIEW_STATUSES.includes(to as (typeof REVIEW_STATUSES)[number])) {
      return { status: 400, json: { error: `reviewStatus must be one of ${REVIEW_STATUSES.join(', ')} or null` } };
    }
    const found = find(id);
    if (!found) return { status: 404, json: { error: `no processing ${id}` } };
    const { tenant, p } = found;
    const from = (p.reviewStatus?.reviewStatus as string | undefined) ?? null;
    const until = isoMicro(ctx.clock.now() + REVIEW_DAYS * 86_400_000);
    // The same shape as the seeds: the plugin reads `inReviewUntil`, the v2 reference `feedback`.
    p.reviewStatus = to === null ? null : { reviewStatus: to as string, inReviewUntil: until, feedback: until };
    changed(tenant, p, 'reviewStatus', from, to);
    const status = statusAfterReview(p, showsInReview(ctx, tenant.data));
    if (status !== p.status) {
      changed(tenant, p, 'status', p.status, status);
      p.status = status;
    }
    return { status: 200, json: { id, reviewStatus: to, status: p.status } };
  }

  function rating(id: string, body: unknown): SimResult {
    const value = isObject(body) ? body.rating : undefined;
    const feedback = isObject(body) ? (body.feedback ?? null) : null;
    const valid = value === null || [1, 2, 3, 4, 5].some((n) => value === n || value === String(n));
    if (!valid || (feedback !== null && typeof feedback !== 'string')) {
      return { status: 400, json: { error: 'rating must be 1..5 (a number or its string) or null; feedback a string' } };
    }
    const found = find(id);
    if (!found) return { status: 404, json: { error: `no processing ${id}` } };
    const { tenant, p } = found;
    const from = (p.rating?.rating as string | number | undefined) ?? null;
    p.rating = value === null ? null : { rating: value, feedback };
    changed(tenant, p, 'rating', from, value);
    return { status: 200, json: { id, rating: p.rating } };
  }

  return (method: string, path: string, body: unknown): SimResult | null => {
    const m = /^\/__sim\/processings\/([^/]+)\/(review|rating)$/.exec(path);
    if (!m || method !== 'POST') return null;
    const id = decodeURIComponent(m[1]);
    return m[2] === 'review' ? review(id, body) : rating(id, body);
  };
}
