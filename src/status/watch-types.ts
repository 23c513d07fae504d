import type { Credentials } from '../credentials.js';
import type { VendorServices } from '../datasources/vendor-services.js';
import type { JobFields, JobState } from '../schema/common/job.type.js';
import type { Logger } from '../observability/logger.js';
import type { StatusBus } from './bus.js';
import type { PollIntervals, WatchTarget } from './targets.js';

/* What a watcher tells its subscribers and observers, and what it needs from its hub. */

/** One event for subscribers: a job's new state, or the error that ends the watch. */
export type StatusEvent =
  | {
      type: 'change';
      job: JobFields;
      previousState: JobState | null;
      at: Date;
      /** Fresh services made for this event, one set per caller credentials (see StatusHub.eventServices). */
      fresh?: Map<string, VendorServices>;
      /** What was made of this event for its subscribers, by credential and what they ask (see StatusHub.shared). */
      shared?: Map<string, unknown>;
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
  /** Polls whose answer held a change (published), and polls whose answer held none. */
  pollsChanged: number;
  pollsUnchanged: number;
  /** Change and error messages this replica published. */
  published: number;
  /**
   * Change events executed for their subscribers (one per event, credentials and document with its
   * variables), and deliveries that reused one of those executions instead of running their own.
   */
  eventExecutions: number;
  sharedExecutions: number;
}

/**
 * What a watcher just did, for operators (debug log lines) and observers (StatusHub.observe): which
 * replica polls what, when, with what outcome, and when it polls next (`nextPollAt`, ms since the
 * epoch; null when the watch is over).
 */
export type StatusActivity = { watch: string; kind: WatchTarget['kind']; id: string } & (
  | { type: 'poll'; ok: true; startedAt: number; changed: number; nextPollAt: number | null }
  /** `notBefore`: no replica polls this job again before it (Retry-After or backoff). */
  | { type: 'poll'; ok: false; startedAt: number; code: string; notBefore: number | null; nextPollAt: number | null }
  /**
   * A mutation's new state arrived: the next poll was brought forward (never before `notBefore`);
   * `nextPollAt` null: a poll is in flight, and the one after it comes at the running rate.
   */
  | { type: 'woken'; nextPollAt: number | null }
  /**
   * The first lookup of a new watcher failed with an error worth trying again (a vendor fault): the
   * watch stays open and the next poll comes at `nextPollAt` (the backoff, never before `notBefore`).
   */
  | { type: 'lookup'; ok: false; code: string; notBefore: number; nextPollAt: number }
  /** This replica polls the job now: the lease was `free`, `released` by its leader, or had `expired` (dead leader). */
  | { type: 'lease'; leader: true; reason: LeaseReason }
  | { type: 'lease'; leader: false }
  | { type: 'stopped' }
);

/** An activity as a watcher reports it, before its hub adds which watch it is. */
export type ActivityOf<A> = A extends unknown ? Omit<A, 'watch' | 'kind' | 'id'> : never;

export type LeaseReason = 'free' | 'released' | 'expired';

/**
 * Why a watcher asks its vendor: the `lookup` that starts a watch is retried within the call like an
 * HTTP read; a `poll` is not (the next poll is its retry, with the watcher's own backoff).
 */
export type FetchPurpose = 'lookup' | 'poll';

/** What a watcher needs from its hub. */
export interface WatcherEnv {
  bus: StatusBus;
  intervals: PollIntervals;
  maxErrors: number;
  maxWatchersPerCredential: number;
  fetch(target: WatchTarget, credentials: Credentials, purpose: FetchPurpose): Promise<JobFields[] | null>;
  stats: StatusStats;
  log: Logger;
  /** Called once when the watcher has stopped: the hub forgets it. */
  stopped(watcher: { readonly key: string }): void;
  observe(activity: StatusActivity): void;
}
