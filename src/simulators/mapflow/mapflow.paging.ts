import type { SimResult } from '../core/index.js';
import { badRequest } from './mapflow.errors.js';
import { isObject } from './mapflow.util.js';

export interface PageQuery {
  limit: number;
  offset: number;
  text: string | null;
  sortBy: string;
  sortOrder: 'ASC' | 'DESC';
}

/**
 * Reads a `.../page` request body (`{limit, offset, filter|terms, sortBy, sortOrder}`).
 * [INFER] Limits above 1000, negative offsets and unknown sort keys are rejected with 400.
 */
export function parsePage(
  body: unknown,
  o: { textField: 'filter' | 'terms'; sortKeys: readonly string[]; defaultLimit: number; defaultSort: string },
): PageQuery | SimResult {
  const b = body === undefined ? {} : body;
  if (!isObject(b)) return badRequest('Request body must be a JSON object');
  const limit = b.limit ?? o.defaultLimit;
  const offset = b.offset ?? 0;
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1 || limit > 1000) return badRequest('limit must be an integer between 1 and 1000');
  if (typeof offset !== 'number' || !Number.isInteger(offset) || offset < 0) return badRequest('offset must be a non-negative integer');
  const text = b[o.textField];
  if (text !== undefined && text !== null && typeof text !== 'string') return badRequest(`${o.textField} must be a string`);
  const sortBy = b.sortBy ?? o.defaultSort;
  if (typeof sortBy !== 'string' || !o.sortKeys.includes(sortBy)) return badRequest(`sortBy must be one of ${o.sortKeys.join(', ')}`);
  const sortOrder = b.sortOrder ?? 'DESC';
  if (sortOrder !== 'ASC' && sortOrder !== 'DESC') return badRequest('sortOrder must be ASC or DESC');
  return { limit, offset, text: typeof text === 'string' && text.trim() ? text.trim().toLowerCase() : null, sortBy, sortOrder };
}

/** Sorts by a key (ties broken by id), slices a page and wraps it as `{results, total, count}`. */
export function page<T extends { id: string }>(items: T[], q: PageQuery, key: (item: T) => string | number | null, view: (item: T) => unknown) {
  const dir = q.sortOrder === 'ASC' ? 1 : -1;
  const sorted = [...items].sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    if (ka !== kb) {
      if (ka === null) return 1;
      if (kb === null) return -1;
      return (ka < kb ? -1 : 1) * dir;
    }
    return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  });
  const results = sorted.slice(q.offset, q.offset + q.limit).map(view);
  return { results, total: items.length, count: results.length };
}
