import type { Logger } from '../../observability/logger.js';
import type { UpstreamHttp } from '../http/upstream-http.js';
import { AGREEMENT_TOLERANCE, finalSubTransform, matrixDifference, type TransformOrder } from './cupix.transform.js';

/** What a sub's final transform is made of. */
export interface SubTransformInput {
  subId: string;
  /** `null`: the sub has no group (its own `tm` is then the composed transform). */
  groupId: string | null;
  /** The group's `wtm`; `null` when the group or its `wtm` is missing (nothing to compose with). */
  groupWtm: readonly number[] | null;
  tm: readonly number[] | null;
  /** The sub's own `wtm`; `[]` or `null` gives nothing to check against. */
  wtm: readonly number[] | null;
}

/** Groups already reported, per app-wide Cupix client (its `core`, which every request's view shares). */
const reportedByClient = new WeakMap<UpstreamHttp['core'], Set<string>>();
/** So that a vendor with many inconsistent groups cannot grow the set without limit. */
const MAX_REPORTED = 10_000;

/**
 * A sub's `finalTransform`: today's rule (`group.wtm × sub.tm`, or the other order, cupix.transform.ts)
 * checked against the vendor's own `wtm` of the sub. Cupix documents neither the order nor whether
 * `tm` includes the group's `scale`, so when its `wtm` is given (16 numbers) and the composed matrix
 * disagrees with it, the answer is the vendor's `wtm`, and the disagreement is logged once per group
 * for the life of the process: never silently a matrix the vendor contradicts
 * (docs/vendors.md, "Cupix: transforms (tm, wtm)").
 */
export class FinalTransforms {
  private readonly reported: Set<string>;

  constructor(
    http: UpstreamHttp,
    private readonly order: TransformOrder,
    private readonly log: Logger | undefined,
  ) {
    let reported = reportedByClient.get(http.core);
    if (!reported) reportedByClient.set(http.core, (reported = new Set()));
    this.reported = reported;
  }

  sub(input: SubTransformInput): number[] | null {
    const composed = this.composed(input);
    const wtm = input.wtm?.length === 16 ? input.wtm : null;
    if (!wtm) return composed;
    if (!composed) return [...wtm];
    const difference = matrixDifference(composed, wtm);
    if (difference <= AGREEMENT_TOLERANCE) return composed;
    this.report(input, difference);
    return [...wtm];
  }

  private composed({ groupId, groupWtm, tm }: SubTransformInput): number[] | null {
    if (!tm) return null;
    if (groupId === null) return finalSubTransform(null, tm, this.order);
    return groupWtm ? finalSubTransform(groupWtm, tm, this.order) : null;
  }

  private report({ subId, groupId }: SubTransformInput, difference: number): void {
    const key = groupId ?? `sub:${subId}`;
    if (this.reported.has(key)) return;
    if (this.reported.size >= MAX_REPORTED) this.reported.delete(this.reported.values().next().value as string);
    this.reported.add(key);
    this.log?.warn(
      { vendor: 'CUPIX', group: groupId, sub: subId, order: this.order, difference: Number(difference.toPrecision(3)) },
      "Cupix: a sub's wtm disagrees with the composed transform; finalTransform is the sub's wtm (logged once per group)",
    );
  }
}
