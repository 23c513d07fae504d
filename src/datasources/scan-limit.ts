import type { GraphQLError } from 'graphql';
import { gqlError, type Source } from '../errors.js';
import { label } from './http/upstream-http.js';

export interface ScanLimit {
  source: Source;
  /** The field or argument that needed the whole list, e.g. `Project.processings(status:)`. */
  what: string;
  /** Pages the vendor says the list has, pages the gateway may read, and their size. */
  pages: number;
  /** Items in the list, when the vendor says. */
  total?: number;
  maxPages: number;
  perPage: number;
  /** What the caller can do instead. */
  hint: string;
  /** Argument path for `extensions.field`. */
  field?: string[];
}

/**
 * The one answer of every list the gateway reads whole to filter it (a filter the vendor lacks) when
 * the list is longer than FILTER_MAX_PAGES pages. A partial read would give wrong `totalCount`s and
 * silently missing items, so the field fails instead, before any page past the first is read.
 */
export function scanTooLong(l: ScanLimit): GraphQLError {
  return gqlError(
    'BAD_USER_INPUT',
    `${l.what} reads at most FILTER_MAX_PAGES=${l.maxPages} pages of ${l.perPage} from ${label(l.source)}, and this list has ${l.pages}${l.total === undefined ? '' : ` (${l.total} items)`}: ${l.hint}`,
    { source: l.source, maxPages: l.maxPages, pages: l.pages, ...(l.field ? { field: l.field } : {}) },
  );
}
