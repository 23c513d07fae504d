import type { VirtualClock } from './clock.js';

/** One state change of a simulated entity, with the wall-clock time it happened at. */
export interface Change {
  seq: number;
  /** Wall-clock time of the change, ms since the epoch (for delivery-delay benchmarks). */
  at: number;
  /** The same instant as ISO-8601. */
  atIso: string;
  tenant: string;
  entity: string;
  id: string;
  field: string;
  from: unknown;
  to: unknown;
}

/**
 * A bounded log of state changes, served at `GET /__sim/changes?since=<seq>`. It keeps the last
 * `max` changes: older ones are dropped from a moving head and the array is compacted once the
 * dead prefix is as long as the log, so recording stays O(1) amortised; `since()` finds its start by
 * binary search on `seq` (which only grows).
 */
export class ChangeLog {
  private items: Change[] = [];
  private head = 0;
  private seq = 0;
  constructor(
    private readonly clock: VirtualClock,
    private readonly max = 100_000,
  ) {}

  record(virtualAt: number, c: Omit<Change, 'seq' | 'at' | 'atIso'>): void {
    const at = Math.round(this.clock.toWall(virtualAt));
    this.items.push({ seq: ++this.seq, at, atIso: new Date(at).toISOString(), ...c });
    if (this.items.length - this.head > this.max) this.head++;
    if (this.head >= this.max) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
  }

  since(seq = 0, filter?: { entity?: string; id?: string; tenant?: string }): Change[] {
    const out: Change[] = [];
    for (let i = this.firstAfter(seq); i < this.items.length; i++) {
      const c = this.items[i];
      if ((!filter?.entity || c.entity === filter.entity) && (!filter?.id || c.id === filter.id) && (!filter?.tenant || c.tenant === filter.tenant)) {
        out.push(c);
      }
    }
    return out;
  }

  get lastSeq(): number {
    return this.seq;
  }

  /** How many changes are kept (at most `max`). */
  get size(): number {
    return this.items.length - this.head;
  }

  clear(): void {
    this.items = [];
    this.head = 0;
  }

  /** Index of the first kept change with `seq` above the given one. */
  private firstAfter(seq: number): number {
    let lo = this.head;
    let hi = this.items.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.items[mid].seq <= seq) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
