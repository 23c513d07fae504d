import { randomUUID } from 'node:crypto';
import type { Credentials } from '../credentials.js';
import { gqlError, toGraphQLError, UpstreamError } from '../errors.js';
import type { JobFields } from '../schema/common/job.type.js';
import type { BusMessage, BusSubscription } from './bus.js';
import { backoffDelay, fingerprint, isSingleJob, isStale, nextPollDelay, type WatchTarget } from './targets.js';
import type { ActivityOf, LeaseReason, StatusActivity, StatusEvent, WatcherEnv, WatchSink } from './watch-types.js';

/**
 * Errors after which asking again is pointless: the job is gone, the credential no longer works, or
 * the vendor refused the request itself. Anything else (5xx, timeouts, 429, a garbled answer) is
 * asked again on the poll schedule, up to `maxErrors` failures in a row.
 */
const FINAL_CODES = new Set(['NOT_FOUND', 'UNAUTHENTICATED', 'FORBIDDEN', 'BAD_USER_INPUT']);

const isFinal = (err: unknown): boolean => FINAL_CODES.has(String(toGraphQLError(err).extensions.code));

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
  /** A mutation's state arrived during a poll: the poll's answer may predate it, so look again soon. */
  private kickedWhilePolling = false;
  /**
   * The earliest time the vendor lets us poll again (Retry-After, or our backoff after errors).
   * Nothing brings a poll before it: not a mutation's kick, not a lease won from a dead leader. It is
   * published on the bus, so a replica taking over respects the leader's.
   */
  private notBefore = 0;
  private errors = 0;
  /**
   * False until a lookup or poll of this replica has answered (or, for one job, a published change
   * brought its whole state). Without it, a replica that does not lead polls for itself on the
   * backoff schedule, since the leader publishes only what changes.
   */
  private hasSnapshot = false;
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

  /** This replica now holds the lease: poll after `delayMs`, and not before the vendor allows it. */
  becomeLeader(delayMs: number, reason: LeaseReason): void {
    if (this.stopped || this.finished || this.leader) return;
    this.leader = true;
    this.schedule(Math.max(delayMs, this.notBefore - Date.now()));
    this.observe({ type: 'lease', leader: true, reason });
  }

  /** Another replica holds the lease now (or Redis could not confirm ours): stop polling. */
  loseLeadership(): void {
    const was = this.leader;
    this.leader = false;
    this.clearTimer();
    if (was) this.observe({ type: 'lease', leader: false });
    // Still without a first answer: keep asking for ourselves (the new leader publishes only changes).
    if (this.started && !this.hasSnapshot && !this.stopped && !this.finished) this.schedule(Math.max(this.env.intervals.runningMs, this.notBefore - Date.now()));
  }

  /** Stops polling and leaves the channel; `graceful: false` touches nothing remote (crash). */
  async stop(graceful = true): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.clearTimer();
    for (const s of this.sinks) s.end();
    this.sinks.clear();
    this.env.stopped(this);
    this.observe({ type: 'stopped' });
    if (!graceful) return;
    const { bus } = this.env;
    const wasLeader = this.leader;
    this.leader = false;
    const jobs = [...this.items.values()].map((i) => i.job);
    await Promise.allSettled([
      wasLeader ? bus.release(this.key, this.holder) : null,
      wasLeader && !this.finished ? bus.publish(this.key, { t: 'released', lastPollAt: this.lastPollAt, notBefore: this.notBefore }) : null,
      this.sub?.unsubscribe(),
      this.claimed ? bus.unclaim(this.credHash, this.key) : null,
    ]);
    this.env.log.debug({ watch: this.key, jobs: jobs.length }, 'watcher stopped');
  }

  /** For the heartbeat: the lease holder id of this watcher. */
  get leaseHolder(): string {
    return this.holder;
  }

  /**
   * Claims the credential's cap, joins the channel and looks the target up (retried like an HTTP
   * read). A final error (see FINAL_CODES), or a vendor fault when `maxErrors` is 1, fails the
   * subscription at once; any other failure leaves the watch open with nothing to show yet, and the
   * poll schedule keeps asking, exactly as after a failed poll.
   */
  private async start(): Promise<void> {
    const { bus, stats } = this.env;
    let failure: unknown = null;
    try {
      if (!(await bus.claim(this.credHash, this.key, this.env.maxWatchersPerCredential))) {
        throw gqlError('RATE_LIMITED', `At most ${this.env.maxWatchersPerCredential} jobs can be watched at once with one credential`, {
          limit: this.env.maxWatchersPerCredential,
        });
      }
      this.claimed = true;
      // Subscribe before the first lookup: a change published meanwhile is not missed.
      this.sub = await bus.subscribe(this.key, (m) => this.onMessage(m));
      try {
        const jobs = await this.env.fetch(this.target, this.credentials, 'lookup');
        if (!jobs) throw gqlError('NOT_FOUND', `${label(this.target)} ${this.target.id} not found`, { id: this.target.id });
        this.lastPollAt = Date.now();
        this.hasSnapshot = true;
        // A change published while we looked is at least as new as our answer: keep it.
        for (const job of jobs) if (!this.items.has(job.id)) this.accept(job);
        if (isSingleJob(this.target.kind) && jobs.some((j) => j.isTerminal)) this.finished = true;
      } catch (err) {
        if (isFinal(err) || this.env.maxErrors <= 1) throw err;
        failure = err;
      } finally {
        stats.initialFetches++;
      }
    } catch (err) {
      await this.stop();
      throw err;
    }
    this.started = true;
    if (this.finished) {
      void this.stop();
      return;
    }
    if (failure) this.lookupFailed(failure);
    const leader = await bus.acquire(this.key, this.holder).catch(() => false);
    if (this.stopped || this.finished) {
      // Its last subscriber left meanwhile: hand the lease straight back.
      if (leader) await bus.release(this.key, this.holder).catch(() => {});
      return;
    }
    if (leader) this.becomeLeader(this.hasSnapshot ? this.pollDelay() : 0, 'free');
    else if (!this.hasSnapshot) this.schedule(Math.max(0, this.notBefore - Date.now()));
  }

  /** The first lookup failed with a vendor fault: one failure counted, the next try after its backoff. */
  private lookupFailed(err: unknown): void {
    const code = String(toGraphQLError(err).extensions.code);
    this.errors++;
    this.env.stats.pollErrors++;
    const delay = backoffDelay(this.errors, retryAfterOf(err), this.env.intervals);
    this.notBefore = Date.now() + delay;
    this.observe({ type: 'lookup', ok: false, code, notBefore: this.notBefore, nextPollAt: this.notBefore });
  }

  private onMessage(msg: BusMessage): void {
    if (this.stopped && !this.finished) return;
    if (msg.t === 'backoff') {
      this.notBefore = Math.max(this.notBefore, msg.until);
      return;
    }
    if (msg.t === 'released') {
      if (msg.notBefore) this.notBefore = Math.max(this.notBefore, msg.notBefore);
      if (!this.leader && this.started && !this.finished) void this.takeOver(msg.lastPollAt);
      return;
    }
    if (msg.t === 'error') return this.finish({ type: 'error', error: msg.error });
    // One job's published state is its whole state: a replica still catching up has it now.
    if (!this.hasSnapshot && isSingleJob(this.target.kind) && msg.items.length) {
      this.hasSnapshot = true;
      if (!this.leader) this.clearTimer();
    }
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
    if (msg.kick && this.leader) this.wake();
  }

  /**
   * A mutation changed the job: bring the next poll forward to the running rate, whatever it was
   * waiting for. Only the next poll: after it the interval follows the job's state again. Never
   * before `notBefore`: a mutation does not lift the vendor's Retry-After or our backoff.
   */
  private wake(): void {
    if (this.polling) {
      this.kickedWhilePolling = true;
      this.observe({ type: 'woken', nextPollAt: null });
      return;
    }
    const now = Date.now();
    const sooner = Math.min(this.env.intervals.runningMs, Math.max(0, this.nextPollAt - now));
    this.schedule(Math.max(sooner, this.notBefore - now));
    this.observe({ type: 'woken', nextPollAt: this.nextPollAt });
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
    this.becomeLeader(Math.max(0, lastPollAt + this.pollDelay() - Date.now()), 'released');
  }

  /**
   * One poll. The leader publishes what changed to every replica; a replica that does not lead polls
   * only while it has no answer yet (`catchingUp`), and keeps what it finds to itself.
   */
  private async poll(): Promise<void> {
    this.timer = null;
    const catchingUp = !this.leader && !this.hasSnapshot;
    if ((!this.leader && !catchingUp) || this.stopped || this.finished || this.polling) return;
    // Timers may fire a little early by the wall clock; the schedule (and Retry-After) is a floor.
    const early = Math.max(this.nextPollAt, this.notBefore) - Date.now();
    if (early > 0) return this.schedule(early);
    this.polling = true;
    this.kickedWhilePolling = false;
    const startedAt = (this.lastPollAt = Date.now());
    this.env.stats.polls++;
    let jobs: JobFields[] | null;
    try {
      jobs = await this.env.fetch(this.target, this.credentials, 'poll');
    } catch (err) {
      this.polling = false;
      return this.pollFailed(err, startedAt);
    }
    this.polling = false;
    // When the gateway saw the answer: the events' `at`.
    const seenAt = Date.now();
    if (this.stopped || this.finished || (!this.leader && this.hasSnapshot)) return;
    if (!jobs) {
      // The job is gone: news for its subscribers (an error event ends their watch).
      this.env.stats.pollsChanged++;
      this.observe({ type: 'poll', ok: false, startedAt, code: 'NOT_FOUND', notBefore: null, nextPollAt: null });
      return this.endWith(gqlError('NOT_FOUND', `${label(this.target)} ${this.target.id} no longer exists`, { id: this.target.id }));
    }
    this.errors = 0;
    this.hasSnapshot = true;
    const changed = jobs.filter((j) => this.items.get(j.id)?.fp !== fingerprint(j));
    if (!this.leader) {
      // Caught up: from now on the leader's published changes keep this replica current.
      this.env.stats.pollsChanged++;
      this.observe({ type: 'poll', ok: true, startedAt, changed: changed.length, nextPollAt: null });
      return this.onMessage({ t: 'change', items: jobs, at: seenAt });
    }
    if (changed.length) {
      try {
        await this.env.bus.publish(this.key, { t: 'change', items: changed, at: seenAt });
        this.env.stats.published++;
        this.env.stats.pollsChanged++;
      } catch (err) {
        return this.pollFailed(err, startedAt);
      }
    } else this.env.stats.pollsUnchanged++;
    // A terminal single job: the published change ends the watch; no further poll.
    if (isSingleJob(this.target.kind) && jobs.some((j) => j.isTerminal)) {
      this.observe({ type: 'poll', ok: true, startedAt, changed: changed.length, nextPollAt: null });
      return;
    }
    let delay = nextPollDelay(jobs, this.env.intervals);
    if (this.kickedWhilePolling) delay = Math.min(delay, this.env.intervals.runningMs);
    this.kickedWhilePolling = false;
    this.schedule(delay);
    this.observe({ type: 'poll', ok: true, startedAt, changed: changed.length, nextPollAt: this.nextPollAt });
  }

  private pollFailed(err: unknown, startedAt: number): void {
    if (this.stopped || this.finished || (!this.leader && this.hasSnapshot)) return;
    const gql = toGraphQLError(err);
    const code = String(gql.extensions.code);
    this.errors++;
    this.env.stats.pollErrors++;
    if (code === 'INTERNAL_SERVER_ERROR') this.env.log.error({ watch: this.key, err: err instanceof Error ? err.message : String(err) }, 'status poll failed unexpectedly');
    if (FINAL_CODES.has(code) || this.errors >= this.env.maxErrors) {
      this.observe({ type: 'poll', ok: false, startedAt, code, notBefore: null, nextPollAt: null });
      return this.endWith(gql);
    }
    const delay = backoffDelay(this.errors, retryAfterOf(err), this.env.intervals);
    const notBefore = (this.notBefore = Date.now() + delay);
    this.schedule(delay);
    const { nextPollAt } = this;
    const said = () => this.observe({ type: 'poll', ok: false, startedAt, code, notBefore, nextPollAt });
    if (!this.leader) return said();
    // Tell the other replicas, so that whoever takes the lease over waits for it too (then say so).
    this.env.bus.publish(this.key, { t: 'backoff', until: notBefore }).then(said, said);
  }

  /**
   * Ends the watch with an error event: the leader tells every replica; a replica that was only
   * catching up ends its own subscribers (the leader may be doing fine).
   */
  private endWith(err: { message: string; extensions: Record<string, unknown> }): void {
    if (this.leader) return this.publishError(err);
    this.finish({ type: 'error', error: { message: err.message, extensions: { ...err.extensions } } });
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

  private observe(a: ActivityOf<StatusActivity>): void {
    this.env.observe({ watch: this.key, kind: this.target.kind, id: this.target.id, ...a } as StatusActivity);
  }
}

/** The vendor's Retry-After, in seconds, when the error carries one. */
function retryAfterOf(err: unknown): number | undefined {
  return err instanceof UpstreamError ? err.details.retryAfterSeconds : undefined;
}

function label(t: WatchTarget): string {
  return t.kind === 'ProjectProcessings' ? 'Project' : t.kind;
}
