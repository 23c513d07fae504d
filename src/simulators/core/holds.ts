/** A request held by `Holds.hold`: `arrived` once it came; `release` lets it go on. */
export interface HeldRequest {
  arrived: Promise<void>;
  release(): void;
}

interface Pending {
  route: string;
  skip: number;
  arrive: () => void;
  released: Promise<void>;
  release: () => void;
}

/**
 * Requests a test holds at a simulator, to stop a transfer mid-way without a sleep: the request of
 * `route` after `skip` others waits before it is read or answered until released. Tests use it in
 * process (`SimHandle.holds`). A closing simulator releases everything. `cut` breaks a streamed
 * answer off mid-body (a storage that drops a download).
 */
export class Holds {
  private readonly pending: Pending[] = [];
  private readonly cuts: { route: string; afterBytes: number }[] = [];

  /** The next streamed answer of `route` breaks off (its connection destroyed) after `afterBytes` bytes of body. */
  cut(route: string, afterBytes: number): void {
    this.cuts.push({ route, afterBytes });
  }

  /** For the server: the byte count after which this answer is to break off, or null. */
  takeCut(route: string): number | null {
    const i = this.cuts.findIndex((c) => c.route === route);
    return i < 0 ? null : this.cuts.splice(i, 1)[0].afterBytes;
  }

  hold(route: string, opts: { skip?: number } = {}): HeldRequest {
    let arrive!: () => void;
    let release!: () => void;
    const arrived = new Promise<void>((r) => (arrive = r));
    const released = new Promise<void>((r) => (release = r));
    this.pending.push({ route, skip: opts.skip ?? 0, arrive, released, release });
    return { arrived, release };
  }

  /** Waits while a hold catches this request (resolves at once for every other). */
  async gate(route: string): Promise<void> {
    const i = this.pending.findIndex((p) => p.route === route);
    if (i < 0) return;
    const p = this.pending[i];
    if (p.skip > 0) {
      p.skip--;
      return;
    }
    this.pending.splice(i, 1);
    p.arrive();
    await p.released;
  }

  releaseAll(): void {
    this.cuts.splice(0);
    for (const p of this.pending.splice(0)) p.release();
  }
}
