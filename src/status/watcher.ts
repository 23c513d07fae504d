import { randomUUID } from 'node:crypto';
import type { Credentials } from '../context.js';
import { gqlError, toGraphQLError, UpstreamError } from '../errors.js';
import type { JobFields, JobState } from '../schema/common/job.type.js';
import type { Logger } from '../server/logger.js';
import type { BusMessage, BusSubscription, StatusBus } from './bus.js';
import { backoffDelay, fingerprint, isSingleJob, isStale, nextPollDelay, type PollIntervals, type VendorServices, type WatchTarget } from './targets.js';

/** One event for subscribers: a job's new state, or the error that ends the watch. */
export type StatusEvent =
  | {
      type: 'change';
      job: JobFields;
      previousState: JobState | null;
      at: Date;
      /** Fresh services made for this event, one set per caller credential (see StatusHub.refresh). */
      fresh?: Map<string, VendorServices>;
    }
  | { type: 'error'; error: { message: string; extensions: Record<string, unknown> } };

export interface WatchSink {
  push(event: StatusEvent): void;
  /** The watch is over (terminal state or error): no more events. */
  end(): void;
}

export interface StatusStats {
  /** Polls made as leader (the first lookup of a new watcher is counted in `initialFetches`). */
  polls: number;
  initialFetches: number;
  pollErrors: number;
  /** Change and error messages this replica published. */
  published: number;
}

/** What a watcher needs from its hub. */
export interface WatcherEnv {
  bus: StatusBus;
  intervals: PollIntervals;
  maxErrors: number;
  maxWatchersPerCredential: number;
  fetch(target: WatchTarget, credentials: Credentials): Promise<JobFields[] | null>;
  stats: StatusStats;
  log: Logger;
  /** Called once when the watcher has stopped: the hub forgets it. */
  stopped(w: Watcher): void;
}

/** Errors after which polling again is pointless: the job is gone or the credential no longer works. */
const FINAL_CODES = new Set(['NOT_FOUND', 'UNAUTHENTICATED', 'FORBIDDEN']);

/**
 * One watched target for one credential, shared by every subscriber on this replica. The replica
 * holding the target's lease polls it and publishes what changed; every replica (the leader too)
 * applies published changes to its own last-known state and passes on only real changes.
 */
export class Watcher {
  readonly ready: Promise<void>;
  private readonly holder = randomUUID();
  private readonly items = new Map<string, { job: JobFields; fp: string }>();
  private readonly sinks = new Set<WatchSink>();
  private sub: BusSubscription | null = null;
  private claimed = false;
  private timer: NodeJS.Timeout | null = null;
  private nextPollAt = 0;
  private lastPollAt = 0;
  private polling = false;
  private errors = 0;
  private finalError: StatusEvent | null = null;
  leader = false;
  started = false;
  stopped = false;
  /** Terminal state or final error seen: nothing more will happen. */
  finished = false;

  constructor(
    readonly key: string,
    readonly credHash: string,
    readonly target: WatchTarget,
    private readonly credentials: Credentials,
    private readonly env: WatcherEnv,
  ) {
    this.ready = this.start();
    this.ready.catch(() => {});
  }

  /** Adds a subscriber: it gets the current state at once. False when this watcher already stopped. */
  attach(sink: WatchSink): boolean {
    if (this.stopped && !this.finished) return false;
    const at = new Date(this.lastPollAt);
    for (const { job } of this.items.values()) sink.push({ type: 'change', job, previousState: null, at });
    if (this.finished) {
      if (this.finalError) sink.push(this.finalError);
      sink.end();
      return true;
    }
    this.sinks.add(sink);
    return true;
  }

  detach(sink: WatchSink): void {
    if (this.sinks.delete(sink) && !this.sinks.size) void this.stop();
  }

  get subscriberCount(): number {
    return this.sinks.size;
  }

  /** This replica now holds the lease: poll after `delayMs`. */
  becomeLeader(delayMs: number): void {
    if (this.stopped || this.finished || this.leader) return;
    this.leader = true;
    this.schedule(delayMs);
  }

  /** Another replica holds the lease now (or Redis could not confirm ours): stop polling. */
  loseLeadership(): void {
    this.leader = false;
    this.clearTimer();
  }

  /** Stops polling and leaves the channel; `graceful: false` touches nothing remote (crash). */
  async stop(graceful = true): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.clearTimer();
    for (const s of this.sinks) s.end();
    this.sinks.clear();
    this.env.stopped(this);
    if (!graceful) return;
    const { bus } = this.env;
    const wasLeader = this.leader;
    this.leader = false;
    const jobs = [...this.items.values()].map((i) => i.job);
    await Promise.allSettled([
      wasLeader ? bus.release(this.key, this.holder) : null,
      wasLeader && !this.finished ? bus.publish(this.key, { t: 'released', lastPollAt: this.lastPollAt }) : null,
      this.sub?.unsubscribe(),
      this.claimed ? bus.unclaim(this.credHash, this.key) : null,
    ]);
    this.env.log.debug({ watch: this.key, jobs: jobs.length }, 'watcher stopped');
  }

  /** For the heartbeat: the lease holder id of this watcher. */
  get leaseHolder(): string {
    return this.holder;
  }

  private async start(): Promise<void> {
    const { bus, stats } = this.env;
    try {
      if (!(await bus.claim(this.credHash, this.key, this.env.maxWatchersPerCredential))) {
        throw gqlError('RATE_LIMITED', `At most ${this.env.maxWatchersPerCredential} jobs can be watched at once with one credential`, {
          limit: this.env.maxWatchersPerCredential,
        });
      }
      this.claimed = true;
      // Subscribe before the first lookup: a change published meanwhile is not missed.
      this.sub = await bus.subscribe(this.key, (m) => this.onMessage(m));
      const jobs = await this.env.fetch(this.target, this.credentials);
      stats.initialFetches++;
      if (!jobs) throw gqlError('NOT_FOUND', `${label(this.target)} ${this.target.id} not found`, { id: this.target.id });
      this.lastPollAt = Date.now();
      // A change published while we looked is at least as new as our answer: keep it.
      for (const job of jobs) if (!this.items.has(job.id)) this.accept(job);
      if (isSingleJob(this.target.kind) && jobs.some((j) => j.isTerminal)) this.finished = true;
    } catch (err) {
      await this.stop();
      throw err;
    }
    this.started = true;
    if (this.finished) {
      void this.stop();
      return;
    }
    if (await bus.acquire(this.key, this.holder).catch(() => false)) this.becomeLeader(this.pollDelay());
  }

  private onMessage(msg: BusMessage): void {
    if (this.stopped && !this.finished) return;
    if (msg.t === 'released') {
      if (!this.leader && this.started && !this.finished) void this.takeOver(msg.lastPollAt);
      return;
    }
    if (msg.t === 'error') return this.finish({ type: 'error', error: msg.error });
    const at = new Date(msg.at);
    let terminal = false;
    for (const job of msg.items) {
      const prev = this.items.get(job.id)?.job;
      if (!this.accept(job)) continue;
      const event: StatusEvent = { type: 'change', job, previousState: prev ? prev.state : null, at };
      for (const s of this.sinks) s.push(event);
      if (job.isTerminal && isSingleJob(this.target.kind)) terminal = true;
    }
    if (terminal) return this.finish(null);
    // A mutation changed the job: poll at the running rate from now on, whatever it was waiting for.
    if (msg.kick && this.leader && !this.polling) this.schedule(Math.min(this.env.intervals.runningMs, Math.max(0, this.nextPollAt - Date.now())));
  }

  /** Keeps a job's new state; false when it is not news (same fingerprint, or older than ours). */
  private accept(job: JobFields): boolean {
    const fp = fingerprint(job);
    const cur = this.items.get(job.id);
    if (cur && (cur.fp === fp || isStale(job, cur.job))) return false;
    this.items.set(job.id, { job, fp });
    return true;
  }

  private finish(error: StatusEvent | null): void {
    if (this.finished && this.stopped) return;
    this.finished = true;
    this.finalError = error;
    if (error) for (const s of this.sinks) s.push(error);
    void this.stop();
  }

  private async takeOver(lastPollAt: number): Promise<void> {
    if (!(await this.env.bus.acquire(this.key, this.holder).catch(() => false))) return;
    this.becomeLeader(Math.max(0, lastPollAt + this.pollDelay() - Date.now()));
  }

  private async poll(): Promise<void> {
    this.timer = null;
    if (!this.leader || this.stopped || this.polling) return;
    this.polling = true;
    this.lastPollAt = Date.now();
    this.env.stats.polls++;
    let jobs: JobFields[] | null;
    try {
      jobs = await this.env.fetch(this.target, this.credentials);
    } catch (err) {
      this.polling = false;
      return this.pollFailed(err);
    }
    this.polling = false;
    if (this.stopped || !this.leader) return;
    if (!jobs) return this.publishError(gqlError('NOT_FOUND', `${label(this.target)} ${this.target.id} no longer exists`, { id: this.target.id }));
    this.errors = 0;
    const changed = jobs.filter((j) => this.items.get(j.id)?.fp !== fingerprint(j));
    if (changed.length) {
      try {
        await this.env.bus.publish(this.key, { t: 'change', items: changed, at: this.lastPollAt });
        this.env.stats.published++;
      } catch (err) {
        return this.pollFailed(err);
      }
    }
    // A terminal single job: the published change ends the watch; no further poll.
    if (isSingleJob(this.target.kind) && jobs.some((j) => j.isTerminal)) return;
    this.schedule(nextPollDelay(jobs, this.env.intervals));
  }

  private pollFailed(err: unknown): void {
    if (this.stopped || !this.leader) return;
    const gql = toGraphQLError(err);
    const code = String(gql.extensions.code);
    this.errors++;
    this.env.stats.pollErrors++;
    if (code === 'INTERNAL_SERVER_ERROR') this.env.log.error({ watch: this.key, err: err instanceof Error ? err.message : String(err) }, 'status poll failed unexpectedly');
    if (FINAL_CODES.has(code) || this.errors >= this.env.maxErrors) return this.publishError(gql);
    const retryAfter = err instanceof UpstreamError ? err.details.retryAfterSeconds : undefined;
    this.schedule(backoffDelay(this.errors, retryAfter, this.env.intervals));
  }

  private publishError(err: { message: string; extensions: Record<string, unknown> }): void {
    const msg: BusMessage = { t: 'error', error: { message: err.message, extensions: { ...err.extensions } } };
    this.env.stats.published++;
    this.env.bus.publish(this.key, msg).catch((e: unknown) => {
      // Redis is unreachable: end the local subscribers at least.
      this.env.log.warn({ watch: this.key, err: e instanceof Error ? e.message : String(e) }, 'could not publish the final error');
      this.onMessage(msg);
    });
  }

  private pollDelay(): number {
    return nextPollDelay(
      [...this.items.values()].map((i) => i.job),
      this.env.intervals,
    );
  }

  private schedule(delayMs: number): void {
    this.clearTimer();
    this.nextPollAt = Date.now() + delayMs;
    this.timer = setTimeout(() => void this.poll(), delayMs);
    this.timer.unref();
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}

function label(t: WatchTarget): string {
  return t.kind === 'ProjectProcessings' ? 'Project' : t.kind;
}
