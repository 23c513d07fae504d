import { createHash } from 'node:crypto';
import type { Credentials, GatewayContext } from '../context.js';
import { isNotFound } from '../errors.js';
import { JobState, type JobFields, type JobTypename } from '../schema/common/job.type.js';

/** What can be watched: one job, or every processing of a Mapflow project (one list call per poll). */
export type WatchKind = JobTypename | 'ProjectProcessings';
export type Vendor = keyof Credentials;

export interface WatchTarget {
  kind: WatchKind;
  id: string;
}

export type VendorServices = Pick<GatewayContext, 'mapflow' | 'flai' | 'cupix'>;

export const VENDOR_OF: Record<WatchKind, Vendor> = {
  Processing: 'mapflow',
  ProjectProcessings: 'mapflow',
  FlowExecution: 'flai',
  DatasetDownload: 'flai',
  Pointcloud: 'cupix',
};

/** True for watches that end with their job; a project has no terminal state. */
export const isSingleJob = (kind: WatchKind): boolean => kind !== 'ProjectProcessings';

/**
 * The current state of a target through fresh services: its job(s), or null when it does not
 * exist (a lookup's null, or a 404 from the project list).
 */
export async function fetchTarget(services: VendorServices, t: WatchTarget): Promise<JobFields[] | null> {
  switch (t.kind) {
    case 'Processing':
      return one(await services.mapflow.getProcessing(t.id));
    case 'FlowExecution':
      return one(await services.flai.getFlowExecution(t.id));
    case 'DatasetDownload':
      return one(await services.flai.getDatasetDownload(t.id));
    case 'Pointcloud':
      return one(await services.cupix.getPointcloud(t.id));
    case 'ProjectProcessings':
      try {
        return await services.mapflow.listProjectProcessingsAll(t.id);
      } catch (err) {
        if (isNotFound(err)) return null;
        throw err;
      }
  }
}

const one = (job: JobFields | null): JobFields[] | null => (job ? [job] : null);

/**
 * A stable hash of one vendor credential: watchers and Redis keys are named by it, so subscribers
 * with different credentials never share a watcher, and no token is ever written to Redis.
 */
export function credentialHash(vendor: Vendor, credentials: Credentials): string | null {
  const c = credentials[vendor];
  if (!c) return null;
  const org = 'orgId' in c ? (c.orgId ?? '') : '';
  return createHash('sha256').update(`${vendor}\0${c.token}\0${org}`).digest('base64url').slice(0, 32);
}

/** Only this vendor's credential: a watcher polls with nothing else. */
export function onlyVendor(vendor: Vendor, credentials: Credentials): Credentials {
  return { mapflow: null, flai: null, cupix: null, [vendor]: credentials[vendor] };
}

/**
 * The fields whose change is worth an event: state, progress, review status and outputs (plus the
 * vendor literal and messages, which change with them). Anything else (e.g. `updatedAt` alone) is not.
 */
const WATCHED_FIELDS: Record<JobTypename, string[]> = {
  Processing: ['status', 'reviewStatus', 'percentCompleted', 'messages'],
  FlowExecution: ['status', 'outputDatasets', 'finishedAt', 'stoppedAt'],
  DatasetDownload: ['status', 'ready', 'files'],
  Pointcloud: ['editingState'],
};

export function fingerprint(job: JobFields): string {
  const rec = job as unknown as Record<string, unknown>;
  const parts: unknown[] = [job.state, job.upstreamStatus, job.progress ?? null, job.isTerminal];
  for (const f of WATCHED_FIELDS[job.__typename] ?? []) parts.push(rec[f] ?? null);
  return JSON.stringify(parts);
}

/** True when `next` is older than what we already have (a late answer overtaken by a newer one). */
export function isStale(next: JobFields, current: JobFields | undefined): boolean {
  const a = next.updatedAt instanceof Date ? next.updatedAt.getTime() : NaN;
  const b = current?.updatedAt instanceof Date ? current.updatedAt.getTime() : NaN;
  return a < b;
}

export interface PollIntervals {
  runningMs: number;
  queuedMs: number;
  idleMs: number;
  backoffMaxMs: number;
}

/**
 * How long until the next poll. Fast while anything runs (or is in a state we do not know, which
 * may be running); slower while it only waits (queued, or OK waiting for a review); slowest for a
 * project whose processings have all finished. See config.ts for the numbers' reasoning.
 */
export function nextPollDelay(jobs: Iterable<JobFields>, i: PollIntervals): number {
  let waiting = false;
  for (const j of jobs) {
    if (j.state === JobState.RUNNING || j.state === JobState.UNKNOWN) return i.runningMs;
    if (!j.isTerminal) waiting = true;
  }
  return waiting ? i.queuedMs : i.idleMs;
}

/** Exponential backoff on consecutive errors, never shorter than the vendor's Retry-After. */
export function backoffDelay(errors: number, retryAfterSeconds: number | undefined, i: PollIntervals): number {
  const exp = Math.min(i.backoffMaxMs, i.runningMs * 2 ** errors);
  return Math.max(exp, (retryAfterSeconds ?? 0) * 1000);
}
