/**
 * Maps GraphQL `first`/`after` windows onto Flai's `page`/`per_page` lists
 * (`{items, pagination:{total_items,total_pages}}`, upstream-reference §1.6).
 */

/** Largest `per_page` Flai's Laravel paginator accepts here (the simulator's limit; [INFER] for the real API). */
export const MAX_PER_PAGE = 200;

export interface PagePlan {
  perPage: number;
  /** 1-based pages to fetch, consecutive. */
  pages: number[];
  /** Index, in the concatenated pages, of the window's first item. */
  skip: number;
}

/**
 * The fewest pages that cover `[offset, offset + limit)`: one page whenever some `per_page` between
 * `limit` and MAX_PER_PAGE holds the whole window (e.g. offset 10, limit 10 → page 2 of 10;
 * offset 5, limit 10 → page 1 of 15), else two pages of `limit`.
 */
export function pagePlan(offset: number, limit: number): PagePlan {
  if (limit <= 0) return { perPage: 1, pages: [1], skip: offset };
  for (let p = limit; p <= MAX_PER_PAGE; p++) {
    const first = Math.floor(offset / p);
    if (first === Math.floor((offset + limit - 1) / p)) return { perPage: p, pages: [first + 1], skip: offset - first * p };
  }
  const first = Math.floor(offset / limit);
  return { perPage: limit, pages: [first + 1, first + 2], skip: offset - first * limit };
}

export interface FetchedPage<T> {
  items: T[];
  pagination: { total_items: number; total_pages?: number };
}

/**
 * Reads a whole list, up to `maxPages` pages of MAX_PER_PAGE: page 1 first (it tells how many
 * pages there are), then the rest concurrently through `limit`. `pages` is the list's length in pages and
 * `complete` is false when the cap cut it short;
 * with `tooLong`, a list longer than the cap throws its error instead, before page 2 is read.
 */
export async function readAllPages<T>(
  fetchPage: (page: number, perPage: number) => Promise<FetchedPage<T>>,
  maxPages: number,
  limit: <R>(task: () => Promise<R>) => Promise<R>,
  tooLong?: (pages: number, total: number) => Error,
): Promise<{ items: T[]; complete: boolean; pages: number }> {
  const first = await fetchPage(1, MAX_PER_PAGE);
  const totalPages = first.pagination.total_pages ?? Math.ceil(first.pagination.total_items / MAX_PER_PAGE);
  if (tooLong && totalPages > maxPages) throw tooLong(totalPages, first.pagination.total_items);
  const last = Math.min(totalPages, maxPages);
  const rest = await Promise.all(Array.from({ length: Math.max(0, last - 1) }, (_, i) => limit(() => fetchPage(i + 2, MAX_PER_PAGE))));
  return { items: first.items.concat(...rest.map((p) => p.items)), complete: totalPages <= maxPages, pages: totalPages };
}
