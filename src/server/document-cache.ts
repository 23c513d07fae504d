/**
 * Parsed and validated documents by query text, bounded both by count and by the total length of
 * the texts it keeps: with documents as large as a WebSocket message may be, a count alone could
 * hold hundreds of MB. A text longer than an eighth of the byte bound is not kept at all (it is
 * checked each time), so one client's huge documents cannot flush everyone else's. The oldest
 * entries go first.
 */
export class DocumentCache<V> {
  private readonly map = new Map<string, V>();
  private total = 0;
  /** Texts longer than this are never kept. */
  readonly maxEntryBytes: number;

  constructor(
    private readonly maxEntries: number,
    private readonly maxBytes: number,
  ) {
    this.maxEntryBytes = Math.floor(maxBytes / 8);
  }

  get(query: string): V | undefined {
    return this.map.get(query);
  }

  set(query: string, value: V): void {
    // String length (UTF-16 units) stands in for bytes: it is what the heap holds, about 1-2 bytes each.
    const size = query.length;
    if (size > this.maxEntryBytes || this.map.has(query)) return;
    while (this.map.size && (this.map.size >= this.maxEntries || this.total + size > this.maxBytes)) {
      const oldest = this.map.keys().next().value as string;
      this.map.delete(oldest);
      this.total -= oldest.length;
    }
    this.map.set(query, value);
    this.total += size;
  }

  /** Entries kept and the sum of their query lengths. */
  stats(): { entries: number; bytes: number } {
    return { entries: this.map.size, bytes: this.total };
  }
}
