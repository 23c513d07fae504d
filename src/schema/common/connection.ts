import { badInput } from '../../errors.js';
import type { PageInfo } from './page-info.type.js';

/**
 * Cursor pagination over offset-based vendor lists. Cursors are opaque base64 of the offset, so a
 * frontend can page any list the same way whatever the vendor's own scheme.
 */
export interface Connection<T> {
  edges: { cursor: string; node: T }[];
  nodes: T[];
  pageInfo: PageInfo;
  totalCount: number;
}

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

export function encodeCursor(offset: number): string {
  return Buffer.from(`o:${offset}`).toString('base64url');
}

export function decodeCursor(cursor: string): number {
  const m = /^o:(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!m) throw badInput('Invalid cursor: pass a cursor from pageInfo.endCursor or edges.cursor', ['after']);
  return Number(m[1]);
}

/** Offset and limit asked for by `first` / `after`, validated. */
export function pageWindow(first: number | null | undefined, after: string | null | undefined): { offset: number; limit: number } {
  if (first != null && (first < 0 || first > MAX_PAGE_SIZE)) {
    throw badInput(`first must be between 0 and ${MAX_PAGE_SIZE}`, ['first']);
  }
  return { offset: after ? decodeCursor(after) + 1 : 0, limit: first ?? DEFAULT_PAGE_SIZE };
}

/** Builds a connection from one page of items that starts at `offset` in a list of `totalCount`. */
export function connectionFromPage<T>(items: T[], offset: number, totalCount: number): Connection<T> {
  return new PageConnection(items, offset, totalCount);
}

/**
 * A page as a connection. Its edges (a cursor per item) and page info are made when a query first
 * selects them: most queries select `nodes` and `totalCount` only, and encoding a cursor for every
 * item was a share of every list's CPU (docs/decisions.md, "The tail latency: what it is made of").
 */
class PageConnection<T> implements Connection<T> {
  private madeEdges?: { cursor: string; node: T }[];
  private madePageInfo?: PageInfo;

  constructor(
    readonly nodes: T[],
    private readonly offset: number,
    readonly totalCount: number,
  ) {}

  get edges(): { cursor: string; node: T }[] {
    return (this.madeEdges ??= this.nodes.map((node, i) => ({ cursor: encodeCursor(this.offset + i), node })));
  }

  get pageInfo(): PageInfo {
    const { offset, nodes } = this;
    return (this.madePageInfo ??= {
      hasNextPage: offset + nodes.length < this.totalCount,
      hasPreviousPage: offset > 0,
      startCursor: nodes.length ? encodeCursor(offset) : null,
      endCursor: nodes.length ? encodeCursor(offset + nodes.length - 1) : null,
    });
  }
}

/** Builds a connection from a whole list already in memory (e.g. after a gateway-side filter). */
export function connectionFromArray<T>(all: T[], first: number | null | undefined, after: string | null | undefined): Connection<T> {
  const { offset, limit } = pageWindow(first, after);
  return connectionFromPage(all.slice(offset, offset + limit), offset, all.length);
}
