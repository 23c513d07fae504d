import type { GraphQLError } from 'graphql';
import type { LimitFunction } from 'p-limit';
import { gqlError, type Source } from '../../errors.js';
import { label } from '../http/upstream-http.js';

/** Which vendor pages hold a window of a list: `pages` (1-based, consecutive) of `perPage`, the window starting `skip` items into them. */
export interface PagePlan {
  perPage: number;
  pages: number[];
  skip: number;
}

/**
 * The fewest `page`/`per_page` pages of a vendor list that cover the window `[offset, offset +
 * limit)` (a GraphQL `first`/`after`): one page whenever some page size between `limit` and
 * `maxPerPage` holds the whole window (offset 10, limit 10: page 2 of 10; offset 5, limit 10: page 1
 * of 15), else two consecutive pages of `limit`.
 */
export function pagePlan(offset: number, limit: number, maxPerPage: number): PagePlan {
  if (limit <= 0) return { perPage: 1, pages: [1], skip: offset };
  for (let size = limit; size <= maxPerPage; size++) {
    const first = Math.floor(offset / size);
    if (first === Math.floor((offset + limit - 1) / size)) return { perPage: size, pages: [first + 1], skip: offset - first * size };
  }
  const first = Math.floor(offset / limit);
  return { perPage: limit, pages: [first + 1, first + 2], skip: offset - first * limit };
}

/** One page of a list as a scan reads it: its items, and how long the whole list is. */
export interface ScannedPage<T> {
  items: T[];
  /** Items in the whole list, when the vendor says. */
  total?: number;
  /** Pages of `perPage` in the whole list, when the vendor says (else derived from `total`). */
  totalPages?: number;
}

/** A list the gateway reads whole, to filter or search it itself (a filter the vendor lacks). */
export interface ListScan<T> {
  source: Source;
  /** The field or argument that needs the whole list, e.g. `Project.processings(status:)`. */
  what: string;
  /** What the caller can do instead, when the list is too long. */
  hint: string;
  /** Argument path for the error's `extensions.field`. */
  field?: string[];
  perPage: number;
  /** FILTER_MAX_PAGES. */
  maxPages: number;
  /** The caller's concurrency limit: the pages after the first are read through it. */
  limit: LimitFunction;
  /** Page `index` (0-based) of `perPage` items. */
  readPage(index: number): Promise<ScannedPage<T>>;
}

/**
 * Every item of a list: the first page (it tells how long the list is), then the rest through the
 * caller's limit. A list longer than `maxPages` pages fails with `scanTooLong` before any page past
 * the first is read: a partial read would give wrong counts and silently missing items.
 */
export async function scanWholeList<T>(scan: ListScan<T>): Promise<T[]> {
  const first = await scan.readPage(0);
  const pages = pagesOf(scan, first);
  if (pages > scan.maxPages) throw scanTooLong(scan, pages, first.total);
  return readRest(scan, first, pages);
}

/**
 * As much of a list as `maxPages` pages hold, and the error the rest would have been (null when the
 * list was read whole): for a search that may find what it looks for in the first pages.
 */
export async function scanListPrefix<T>(scan: ListScan<T>): Promise<{ items: T[]; cutShort: GraphQLError | null }> {
  const first = await scan.readPage(0);
  const pages = pagesOf(scan, first);
  const items = await readRest(scan, first, Math.min(pages, scan.maxPages));
  return { items, cutShort: pages > scan.maxPages ? scanTooLong(scan, pages, first.total) : null };
}

function pagesOf<T>(scan: ListScan<T>, first: ScannedPage<T>): number {
  return Math.max(1, first.totalPages ?? Math.ceil((first.total ?? first.items.length) / scan.perPage));
}

async function readRest<T>(scan: ListScan<T>, first: ScannedPage<T>, pages: number): Promise<T[]> {
  const rest = await scan.limit.map(
    Array.from({ length: pages - 1 }, (_, i) => i + 1),
    (index) => scan.readPage(index),
  );
  return first.items.concat(...rest.map((p) => p.items));
}

/**
 * The one answer of a list read whole that is longer than FILTER_MAX_PAGES pages: BAD_USER_INPUT
 * naming the field, the list's length and what to do instead.
 */
export function scanTooLong(scan: Pick<ListScan<unknown>, 'source' | 'what' | 'hint' | 'field' | 'perPage' | 'maxPages'>, pages: number, total?: number): GraphQLError {
  return gqlError(
    'BAD_USER_INPUT',
    `${scan.what} reads at most FILTER_MAX_PAGES=${scan.maxPages} pages of ${scan.perPage} from ${label(scan.source)}, and this list has ${pages}${total === undefined ? '' : ` (${total} items)`}: ${scan.hint}`,
    { source: scan.source, maxPages: scan.maxPages, pages, ...(scan.field ? { field: scan.field } : {}) },
  );
}
