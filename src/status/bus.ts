import type { JobFields } from '../schema/common/job.type.js';

/** What travels on a watcher's channel; every replica watching the job receives it. */
export type BusMessage =
  /** New states seen by the poller (or published by a mutation: `kick`). */
  | { t: 'change'; items: JobFields[]; at: number; kick?: boolean }
  /** The watch ends with this error (vendor kept failing, job gone, credential revoked). */
  | { t: 'error'; error: { message: string; extensions: Record<string, unknown> } }
  /** The leader stopped polling while other replicas may still watch: one of them takes over. */
  | { t: 'released'; lastPollAt: number; notBefore?: number }
  /** The vendor refused a poll (Retry-After, errors): no replica polls this job before `until`. */
  | { t: 'backoff'; until: number };

export type BusHandler = (msg: BusMessage) => void;

/** A handle to one handler on one channel; unsubscribing removes only that handler. */
export interface BusSubscription {
  unsubscribe(): Promise<void>;
}

export interface HeartbeatResult {
  /** Leases this replica held and could not renew (another replica holds them now, or Redis failed). */
  lost: string[];
  /** Leases this replica wanted and got. */
  won: string[];
}

/**
 * PubSub plus the coordination the watchers need. In memory for one process; through Redis when
 * `REDIS_URL` is set, so that N replicas share one poller per job (see redis-bus.ts).
 */
export interface StatusBus {
  /** True when other replicas may exist: leases must then be renewed and contested (heartbeat). */
  readonly distributed: boolean;
  publish(channel: string, msg: BusMessage): Promise<void>;
  subscribe(channel: string, handler: BusHandler): Promise<BusSubscription>;
  /** Counts a watched job against its credential's cap; false when the cap is reached. */
  claim(credHash: string, watchKey: string, cap: number): Promise<boolean>;
  unclaim(credHash: string, watchKey: string): Promise<void>;
  /** Poll leadership for one watched job: true when this replica (this `holder`) polls it. */
  acquire(watchKey: string, holder: string): Promise<boolean>;
  release(watchKey: string, holder: string): Promise<void>;
  /** Renews `held` leases, contests `wanted` ones and refreshes claims, in one round trip. */
  heartbeat(held: Map<string, string>, wanted: Map<string, string>, claims: [credHash: string, watchKey: string][]): Promise<HeartbeatResult>;
  /** `graceful: false` drops the connections without releasing anything (a crash, as the others see it). */
  close(graceful: boolean): Promise<void>;
}

/** Everything in one process: delivery on the microtask queue, leases always granted. */
export class MemoryBus implements StatusBus {
  readonly distributed = false;
  private readonly channels = new Map<string, Set<BusHandler>>();
  private readonly claims = new Map<string, Set<string>>();

  async publish(channel: string, msg: BusMessage): Promise<void> {
    const handlers = this.channels.get(channel);
    if (!handlers?.size) return;
    // Asynchronous like Redis, so a publisher never re-enters its own handler.
    queueMicrotask(() => {
      for (const h of handlers) h(msg);
    });
  }

  async subscribe(channel: string, handler: BusHandler): Promise<BusSubscription> {
    let set = this.channels.get(channel);
    if (!set) this.channels.set(channel, (set = new Set()));
    set.add(handler);
    return {
      unsubscribe: async () => {
        set.delete(handler);
        if (!set.size && this.channels.get(channel) === set) this.channels.delete(channel);
      },
    };
  }

  async claim(credHash: string, watchKey: string, cap: number): Promise<boolean> {
    let set = this.claims.get(credHash);
    if (!set) this.claims.set(credHash, (set = new Set()));
    if (!set.has(watchKey) && set.size >= cap) return false;
    set.add(watchKey);
    return true;
  }

  async unclaim(credHash: string, watchKey: string): Promise<void> {
    const set = this.claims.get(credHash);
    set?.delete(watchKey);
    if (set && !set.size) this.claims.delete(credHash);
  }

  async acquire(): Promise<boolean> {
    return true;
  }

  async release(): Promise<void> {}

  async heartbeat(): Promise<HeartbeatResult> {
    return { lost: [], won: [] };
  }

  async close(): Promise<void> {
    this.channels.clear();
    this.claims.clear();
  }
}
