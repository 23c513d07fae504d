/**
 * [INFER] The largest `per_page` Cupix honours; the docs show only the default (30). Lists the
 * gateway reads whole (the `kind` filter, children) go 100 at a time.
 */
export const VENDOR_MAX_PER_PAGE = 100;

/**
 * Maps a cursor window (`offset`, `limit`, from `first`/`after`) onto the vendor's `page`/`per_page`.
 * An aligned window (offset a multiple of limit) is simply `page = offset / limit + 1, per_page = limit`;
 * otherwise the smallest page size whose one page holds the whole window, so it is still one call; only
 * when no such size fits under the vendor maximum, two consecutive pages of `limit`.
 */
export function vendorWindow(offset: number, limit: number): { perPage: number; pages: number[] } {
  const last = offset + limit - 1;
  for (let size = limit; size <= VENDOR_MAX_PER_PAGE; size++) {
    const page = Math.floor(offset / size);
    if (page === Math.floor(last / size)) return { perPage: size, pages: [page + 1] };
  }
  const first = Math.floor(offset / limit) + 1;
  return { perPage: limit, pages: [first, first + 1] };
}
