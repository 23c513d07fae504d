import type { Config } from '../config.js';
import { credentialHash, credentialsHash, onlyVendor, type Credentials } from '../credentials.js';
import { jobKindOf } from '../datasources/job-registry.js';
import type { VendorServices } from '../datasources/vendor-services.js';
import { gqlError } from '../errors.js';
import type { JobFields } from '../schema/common/job.type.js';
import type { Logger } from '../observability/logger.js';
import { MemoryBus, type BusMessage, type StatusBus } from './bus.js';
import { EventQueue } from './event-queue.js';
import { RedisBus } from './redis-bus.js';
import { fetchTarget, vendorsOf, type PollIntervals, type WatchTarget } from './targets.js';
import type { FetchPurpose, StatusActivity, StatusEvent, StatusStats, WatcherEnv, WatchSink } from './watch-types.js';
import { Watcher } from './watcher.js';

export type { StatusActivity } from './watch-types.js';

export type ServicesPurpose = FetchPurpose | 'event';

export interface StatusHubOptions {
  config: Config;
  log: Logger;
  /**
   * Fresh vendor services for a credential set (createVendorServices), for one use: a watcher's `lookup`
   * or `poll` (see FetchPurpose), or resolving one change `event` for its subscribers. Only a poll
   * must not retry within the call (its next poll is the retry); the others retry like an HTTP read.
   */
  services(credentials: Credentials, purpose: ServicesPurpose): VendorServices;
  /** Defaults to Redis when REDIS_URL is set, else in memory. */
  bus?: StatusBus;
}

/** The part of a WebSocket connection the caps need. */
export interface ConnectionState {
  subscriptions: number;
}

/** Who opens a stream: its credentials, and the connection it is counted against (none over HTTP). */
export interface Subscriber {
  credentials: Credentials;
  connection?: ConnectionState;
}

/**
 * The registry of watchers: one per (credential, target) in this process, started by the first
 * subscriber and stopped by the last one or by the end of the job. With Redis, the heartbeat renews
 * this replica's poll leases and contests the others', so a dead leader is replaced.
 */
export class StatusHub {
  readonly stats: StatusStats = { polls: 0, initialFetches: 0, pollErrors: 0, pollsChanged: 0, pollsUnchanged: 0, published: 0, eventExecutions: 0, sharedExecutions: 0 };
  /** Subscription streams open (from `open()` until their end or their client leaves). */
  private streams = 0;
  private readonly watchers = new Map<string, Watcher>();
  private readonly env: WatcherEnv;
  private readonly credKeys = new WeakMap<Credentials, string>();
  private readonly observers = new Set<(a: StatusActivity) => void>();
  private heartbeatTimer: NodeJS.Timeout | null = null;
  private beating = false;
  private closed = false;

  private constructor(
    private readonly opts: StatusHubOptions,
    readonly bus: StatusBus,
  ) {
    const c = opts.config;
    const intervals: PollIntervals = {
      runningMs: c.STATUS_POLL_RUNNING_MS,
      queuedMs: c.STATUS_POLL_QUEUED_MS,
      idleMs: c.STATUS_POLL_IDLE_MS,
      backoffMaxMs: c.STATUS_BACKOFF_MAX_MS,
    };
    this.env = {
      bus,
      intervals,
      maxErrors: c.STATUS_MAX_POLL_ERRORS,
      maxWatchersPerCredential: c.STATUS_MAX_WATCHERS_PER_CREDENTIAL,
      fetch: (target, credentials, purpose) => fetchTarget(opts.services(credentials, purpose), target),
      stats: this.stats,
      log: opts.log,
      stopped: (w) => {
        if (this.watchers.get(w.key) === w) this.watchers.delete(w.key);
      },
      observe: (a) => {
        // One debug line per poll, lease change and stop: which replica polls what, and when next.
        opts.log.debug(a, `status ${a.type}`);
        for (const o of this.observers) o(a);
      },
    };
    if (bus.distributed) {
      const every = Math.max(1, Math.floor(c.STATUS_LEASE_MS / 4));
      this.heartbeatTimer = setInterval(() => void this.heartbeat(), every);
      this.heartbeatTimer.unref();
    }
  }

  static async create(opts: StatusHubOptions): Promise<StatusHub> {
    let bus = opts.bus;
    if (!bus && opts.config.REDIS_URL) {
      const redis = new RedisBus({ url: opts.config.REDIS_URL, prefix: opts.config.STATUS_REDIS_PREFIX, leaseMs: opts.config.STATUS_LEASE_MS, log: opts.log });
      await redis.ready();
      opts.log.info({ prefix: opts.config.STATUS_REDIS_PREFIX }, 'live status through Redis: PubSub and poll leases shared by every replica');
      bus = redis;
    }
    return new StatusHub(opts, bus ?? new MemoryBus());
  }

  /**
   * The stream behind one subscription: the current state of every target first, then one event per
   * real change, ending when every target has ended (terminal state) or at the first error event
   * (a final error, or `STATUS_MAX_POLL_ERRORS` vendor faults in a row). Fails before streaming only
   * for what asking again cannot fix: NOT_FOUND, UNAUTHENTICATED, FORBIDDEN, BAD_USER_INPUT, and
   * RATE_LIMITED for the caps. A vendor fault during the first lookup does not end it: the current
   * state comes once a later poll gets it.
   */
  async open(subscriber: Subscriber, targets: WatchTarget[]): Promise<AsyncIterableIterator<StatusEvent>> {
    const { credentials, connection: conn } = subscriber;
    const cap = this.opts.config.STATUS_MAX_SUBSCRIPTIONS_PER_CONNECTION;
    if (conn && conn.subscriptions >= cap) throw gqlError('RATE_LIMITED', `At most ${cap} subscriptions per connection`, { limit: cap });
    if (conn) conn.subscriptions++;
    this.streams++;
    const attached: [Watcher, WatchSink][] = [];
    let remaining = targets.length;
    const queue = new EventQueue<StatusEvent>(() => {
      if (conn) conn.subscriptions--;
      this.streams--;
      for (const [w, sink] of attached) w.detach(sink);
    });
    const push = (e: StatusEvent) => {
      queue.push(e);
      if (e.type === 'error') queue.end();
    };
    const end = () => {
      if (--remaining <= 0) queue.end();
    };
    let watchers: Watcher[] = [];
    try {
      watchers = await this.readyAll(credentials, targets);
      for (let i = 0; i < watchers.length && !queue.ended; i++) {
        const sink: WatchSink = { push, end };
        let w = watchers[i];
        // The watcher stopped between its start and now (its last subscriber left): start another.
        while (!w.attach(sink)) w = await this.watcher(credentials, targets[i]);
        attached.push([w, sink]);
      }
    } catch (err) {
      void queue.return();
      throw err;
    } finally {
      stopUnused(watchers);
    }
    return queue;
  }

  /**
   * After a mutation: publishes the job's new state at once to whoever watches it (on any replica),
   * and brings its watcher's next poll forward (never before the vendor's Retry-After). A Processing
   * also reaches its project's watchers.
   * Never throws: the mutation already succeeded.
   */
  async kick(credentials: Credentials, job: JobFields): Promise<void> {
    const kind = jobKindOf(job);
    const hash = kind && kind.runBy !== 'gateway' ? credentialHash(kind.runBy, credentials) : null;
    if (!hash) return;
    const msg: BusMessage = { t: 'change', items: [job], at: Date.now(), kick: true };
    const keys = [`${hash}:${job.__typename}:${job.id}`];
    const projectId = (job as unknown as { projectId?: unknown }).projectId;
    if (job.__typename === 'Processing' && typeof projectId === 'string') keys.push(`${hash}:ProjectProcessings:${projectId}`);
    await Promise.all(keys.map((k) => this.bus.publish(k, msg))).catch((err: unknown) => {
      this.opts.log.warn({ err: err instanceof Error ? err.message : String(err) }, 'could not publish a mutation’s new state');
    });
  }

  /**
   * A gateway job's new state (an Upload's, from whichever replica receives its bytes; a
   * classification's, from whichever runs it), published to its watchers on every replica: `owner` is
   * the hash of the credentials it is bound to (`credentialsHash`), which names its watch. Never throws.
   */
  async publishGatewayJob(owner: string, job: JobFields): Promise<void> {
    const msg: BusMessage = { t: 'change', items: [job], at: Date.now(), kick: true };
    await this.bus.publish(`${owner}:${job.__typename}:${job.id}`, msg).catch((err: unknown) => {
      this.opts.log.warn({ err: err instanceof Error ? err.message : String(err) }, 'could not publish a gateway job’s new state');
    });
  }

  /** Calls `listener` with everything the watchers do (see StatusActivity); returns the way to stop. */
  observe(listener: (a: StatusActivity) => void): () => void {
    this.observers.add(listener);
    return () => this.observers.delete(listener);
  }

  /**
   * For /readyz, /metrics, tests and benchmarks. `subscriptions`: open streams; `subscribers`: their
   * attachments to watchers (a `jobsUpdated` over three jobs is one subscription, three subscribers).
   */
  health(): { subscriptions: number; watchers: number; leading: number; subscribers: number; distributed: boolean } & StatusStats {
    let leading = 0;
    let subscribers = 0;
    for (const w of this.watchers.values()) {
      if (w.leader) leading++;
      subscribers += w.subscriberCount;
    }
    return { subscriptions: this.streams, watchers: this.watchers.size, leading, subscribers, distributed: this.bus.distributed, ...this.stats };
  }

  /**
   * Graceful: stops every watcher, releasing its lease so another replica takes over at once.
   * Not graceful: drops everything without a word to Redis, which is what a crash looks like.
   */
  async close(opts: { graceful?: boolean } = {}): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const graceful = opts.graceful ?? true;
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
    await Promise.allSettled([...this.watchers.values()].map((w) => w.stop(graceful)));
    await this.bus.close(graceful);
  }

  private async readyAll(credentials: Credentials, targets: WatchTarget[]): Promise<Watcher[]> {
    if (this.closed) throw gqlError('UPSTREAM_UNAVAILABLE', 'The gateway is shutting down');
    const settled = await Promise.allSettled(targets.map((t) => this.watcher(credentials, t)));
    const ok = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
    const failed = settled.find((s) => s.status === 'rejected');
    if (failed) {
      stopUnused(ok);
      throw failed.reason;
    }
    return ok;
  }

  private async watcher(credentials: Credentials, target: WatchTarget): Promise<Watcher> {
    const vendors = vendorsOf(target.kind, target.id);
    const hash = credentialsHash(vendors, credentials);
    if (!hash) {
      // No credential for this vendor: its service throws the vendor's own UNAUTHENTICATED error.
      await fetchTarget(this.opts.services(credentials, 'lookup'), target);
      throw gqlError('UNAUTHENTICATED', `No credentials for ${vendors.join(' and ')}`);
    }
    const key = `${hash}:${target.kind}:${target.id}`;
    let w = this.watchers.get(key);
    if (!w) {
      w = new Watcher(key, hash, target, onlyVendor(vendors, credentials), this.env);
      this.watchers.set(key, w);
    }
    await w.ready;
    return w;
  }

  /**
   * The services an event is resolved with: fresh ones (and so fresh DataLoaders), made once per
   * event and caller credentials, never the ones of subscribe time.
   */
  eventServices(event: StatusEvent, credentials: Credentials): VendorServices {
    if (event.type !== 'change') return this.opts.services(credentials, 'event');
    const key = this.credentialsKey(credentials);
    const fresh = (event.fresh ??= new Map());
    let services = fresh.get(key);
    if (!services) fresh.set(key, (services = this.opts.services(credentials, 'event')));
    return services;
  }

  /**
   * What `make` gives for this event, this caller's credentials and `key`, made once: subscribers of
   * one watcher with the same credentials who ask the same thing (`key`: the document and its
   * variables) get one execution per change, not one each. An error event is not shared.
   */
  shared<T>(event: StatusEvent, credentials: Credentials, key: string, make: () => T): T {
    if (event.type !== 'change') return make();
    const k = `${this.credentialsKey(credentials)}\u0000${key}`;
    const shared = (event.shared ??= new Map());
    if (shared.has(k)) {
      this.stats.sharedExecutions++;
      return shared.get(k) as T;
    }
    this.stats.eventExecutions++;
    const made = make();
    shared.set(k, made);
    return made;
  }

  private credentialsKey(credentials: Credentials): string {
    let k = this.credKeys.get(credentials);
    if (k === undefined) {
      k = (['mapflow', 'flai', 'cupix'] as const).map((v) => credentialHash(v, credentials) ?? '-').join('.');
      this.credKeys.set(credentials, k);
    }
    return k;
  }

  private async heartbeat(): Promise<void> {
    if (this.beating || this.closed) return;
    this.beating = true;
    const held = new Map<string, string>();
    const wanted = new Map<string, string>();
    const claims: [string, string][] = [];
    for (const w of this.watchers.values()) {
      if (w.stopped) continue;
      claims.push([w.credHash, w.key]);
      if (w.leader) held.set(w.key, w.leaseHolder);
      else if (w.started && !w.finished) wanted.set(w.key, w.leaseHolder);
    }
    try {
      if (!claims.length) return;
      const { lost, won } = await this.bus.heartbeat(held, wanted, claims);
      for (const k of lost) this.watchers.get(k)?.loseLeadership();
      // Won a lease nobody renewed: its leader is gone, so poll now (or once its Retry-After is over).
      for (const k of won) this.watchers.get(k)?.becomeLeader(0, 'expired');
    } catch (err) {
      // Without Redis nobody can confirm a lease: stop polling rather than poll twice later.
      for (const w of this.watchers.values()) w.loseLeadership();
      this.opts.log.warn({ err: err instanceof Error ? err.message : String(err) }, 'status heartbeat failed');
    } finally {
      this.beating = false;
    }
  }
}

/** Watchers started for a subscription that then failed or ended early: nobody else uses them. */
function stopUnused(watchers: Watcher[]): void {
  for (const w of watchers) if (!w.subscriberCount && !w.stopped) void w.stop();
}
