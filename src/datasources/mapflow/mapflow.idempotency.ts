import type { Processing } from '../../schema/mapflow/processing.type.js';
import { isRecord } from '../shared/records.js';

/**
 * The keys the gateway stamps into a processing's `meta` (Mapflow has no idempotency of its own),
 * so that a retry finds what an earlier attempt made (docs/decisions.md,
 * "Mapflow creates: idempotency keys in meta"). The feature index is stamped as a string (docs/vendors.md, "Mapflow: idempotency and push");
 * both forms are read back.
 */
export const KEY_STAMP = 'gatewayIdempotencyKey';
export const INDEX_STAMP = 'gatewayFeatureIndex';

/**
 * The gateway's own key of a create sent without an idempotencyKey, `<uuid>` or `<uuid>:<feature
 * index>` (see mapflow.create.ts). Not the caller's: the `meta` the API shows leaves it out.
 */
export const REQUEST_KEY_STAMP = 'gatewayRequestKey';

/** The index under which a single `createProcessing` is found (it has no feature index). */
export const SINGLE = -1;

/** The user's meta with the key (and the feature index of a bulk create) stamped over it. */
export function stampMeta(meta: Record<string, unknown> | undefined, key: string, index: number): Record<string, unknown> {
  const stamped: Record<string, unknown> = { ...meta, [KEY_STAMP]: key };
  if (index !== SINGLE) stamped[INDEX_STAMP] = String(index);
  else delete stamped[INDEX_STAMP];
  return stamped;
}

function stampedIndex(meta: Record<string, unknown>): number {
  const v = meta[INDEX_STAMP];
  if (v === undefined || v === null) return SINGLE;
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : NaN;
  return Number.isSafeInteger(n) ? n : Number.NaN;
}

/**
 * The processings made with `key`, by feature index (`SINGLE` for a single create). Should a race
 * have made two for one index, the oldest wins, so that every retry answers the same.
 */
export function stampedByIndex(items: readonly Processing[], key: string): Map<number, Processing> {
  const found = new Map<number, Processing>();
  for (const p of items) {
    if (!isRecord(p.meta) || p.meta[KEY_STAMP] !== key) continue;
    const index = stampedIndex(p.meta);
    if (Number.isNaN(index)) continue;
    const prev = found.get(index);
    if (!prev || created(p) < created(prev) || (created(p) === created(prev) && p.id < prev.id)) found.set(index, p);
  }
  return found;
}

const created = (p: Processing): number => p.createdAt?.getTime() ?? Number.MAX_SAFE_INTEGER;
