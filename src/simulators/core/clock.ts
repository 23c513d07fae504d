/**
 * Virtual time for the simulators. Lifecycles are scheduled in *virtual* milliseconds
 * (a processing takes ~40 virtual seconds); `timeScale` says how many virtual ms pass per real ms.
 * - timeScale 1: the demo, lifecycles take tens of seconds;
 * - timeScale 1000: tests, a lifecycle takes tens of milliseconds;
 * - timeScale 0: frozen; tests move time with `advance()` (or `POST /__sim/clock`) and never sleep.
 */
export class VirtualClock {
  private baseReal = Date.now();
  private baseVirtual = Date.now();
  constructor(private scale = 1) {}

  get timeScale(): number {
    return this.scale;
  }

  now(): number {
    return this.baseVirtual + (Date.now() - this.baseReal) * this.scale;
  }

  setScale(scale: number): void {
    this.rebase();
    this.scale = scale;
  }

  advance(ms: number): void {
    this.rebase();
    this.baseVirtual += ms;
  }

  /** The real (wall-clock) time at which a virtual instant happens or happened. */
  toWall(virtualMs: number): number {
    if (this.scale === 0 || virtualMs <= this.baseVirtual) return Math.min(Date.now(), this.baseReal);
    return Math.min(Date.now(), this.baseReal + (virtualMs - this.baseVirtual) / this.scale);
  }

  private rebase(): void {
    const v = this.now();
    this.baseReal = Date.now();
    this.baseVirtual = v;
  }
}

interface Task {
  at: number;
  seq: number;
  run: (at: number) => void;
}

/**
 * Runs scheduled state transitions when their virtual time has come. Transitions are applied
 * lazily, on the next request (`settle()`), so an idle simulator costs nothing; each transition
 * receives its own scheduled virtual time, so the change log stays exact whenever it is applied.
 */
export class Scheduler {
  private heap: Task[] = [];
  private seq = 0;
  constructor(readonly clock: VirtualClock) {}

  at(virtualMs: number, run: (at: number) => void): void {
    this.push({ at: virtualMs, seq: this.seq++, run });
  }

  after(delayMs: number, run: (at: number) => void): void {
    this.at(this.clock.now() + delayMs, run);
  }

  settle(): void {
    const now = this.clock.now();
    while (this.heap.length && this.heap[0].at <= now) {
      const task = this.pop();
      task.run(task.at);
    }
  }

  get pending(): number {
    return this.heap.length;
  }

  private push(t: Task): void {
    const h = this.heap;
    h.push(t);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (less(h[p], h[i])) break;
      [h[p], h[i]] = [h[i], h[p]];
      i = p;
    }
  }

  private pop(): Task {
    const h = this.heap;
    const top = h[0];
    const last = h.pop() as Task;
    if (h.length) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && less(h[l], h[m])) m = l;
        if (r < h.length && less(h[r], h[m])) m = r;
        if (m === i) break;
        [h[m], h[i]] = [h[i], h[m]];
        i = m;
      }
    }
    return top;
  }
}

function less(a: Task, b: Task): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}
