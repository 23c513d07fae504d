import type { Credentials } from '../credentials.js';
import { jobKindOf } from '../datasources/job-registry.js';
import type { JobFields } from '../schema/common/job.type.js';
import type { ConnectionState, StatusHub } from './hub.js';
import type { WatchTarget } from './targets.js';
import type { StatusEvent } from './watch-types.js';

/** `ctx.status`: the live-status hub seen from one request, bound to its caller's credentials. */
export class StatusScope {
  constructor(
    private readonly hub: StatusHub,
    private readonly credentials: Credentials,
  ) {}

  /**
   * Call after a mutation that changed a job (create, restart, run, request download) with the
   * job's new state: subscribers get it at once and its watcher's next poll comes sooner.
   * Never throws.
   */
  kick(job: JobFields): Promise<void> {
    return this.hub.kick(this.credentials, job);
  }

  /** For mutation resolvers: `return ctx.status.kicked(ctx.services.mapflow.createProcessing(input))`. */
  async kicked<T extends JobFields>(result: Promise<T>): Promise<T> {
    const job = await result;
    void this.kick(job);
    return job;
  }

  /** The same for a result holding several jobs: `kickedEach(createProcessings(input), (p) => p.items.map((i) => i.processing))`. */
  async kickedEach<T>(result: Promise<T>, jobsOf: (r: T) => unknown[]): Promise<T> {
    const r = await result;
    for (const job of jobsOf(r)) if (isJob(job)) void this.kick(job);
    return r;
  }

  /** The event stream of a subscription over `targets`, counted against `connection`'s caps (see StatusHub.open). */
  watch(targets: WatchTarget[], connection?: ConnectionState): Promise<AsyncIterableIterator<StatusEvent>> {
    return this.hub.open({ credentials: this.credentials, connection }, targets);
  }
}

function isJob(v: unknown): v is JobFields {
  return typeof v === 'object' && v !== null && typeof (v as { __typename?: unknown }).__typename === 'string' && !!jobKindOf(v as JobFields);
}
