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

/** A bounded log of state changes, served at `GET /__sim/changes?since=<seq>`. */
export class ChangeLog {
  private items: Change[] = [];
  private seq = 0;
  constructor(
    private readonly clock: VirtualClock,
    private readonly max = 100_000,
  ) {}

  record(virtualAt: number, c: Omit<Change, 'seq' | 'at' | 'atIso'>): void {
    const at = Math.round(this.clock.toWall(virtualAt));
    this.items.push({ seq: ++this.seq, at, atIso: new Date(at).toISOString(), ...c });
    if (this.items.length > this.max) this.items.splice(0, this.items.length - this.max);
  }

  since(seq = 0, filter?: { entity?: string; id?: string; tenant?: string }): Change[] {
    return this.items.filter(
      (c) =>
        c.seq > seq &&
        (!filter?.entity || c.entity === filter.entity) &&
        (!filter?.id || c.id === filter.id) &&
        (!filter?.tenant || c.tenant === filter.tenant),
    );
  }

  get lastSeq(): number {
    return this.seq;
  }

  clear(): void {
    this.items = [];
  }
}
