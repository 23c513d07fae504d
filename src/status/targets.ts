import type { Vendor } from '../credentials.js';
import { JOB_REGISTRY, jobKindOf, type JobKind, type JobTypename } from '../datasources/job-registry.js';
import type { VendorServices } from '../datasources/vendor-services.js';
import { isNotFound } from '../errors.js';
import { JobState, type JobFields } from '../schema/common/job.type.js';

/** What can be watched: one job (a job registry type), or every processing of a Mapflow project (one list call per poll). */
export type WatchKind = JobTypename | 'ProjectProcessings';

export interface WatchTarget {
  kind: WatchKind;
  id: string;
}

/**
 * The vendors whose credentials a watch polls with (and is keyed by); a gateway job is followed with
 * the credentials it is bound to, read from its id (an Upload: one vendor's; a PointcloudClassification:
 * Flai's and Cupix's; an id of none: Flai's, and its lookup finds nothing).
 */
export function vendorsOf(kind: WatchKind, id = ''): readonly Vendor[] {
  if (kind === 'ProjectProcessings') return ['mapflow'];
  const entry: JobKind = JOB_REGISTRY[kind];
  if (entry.runBy !== 'gateway') return [entry.runBy];
  const bound = entry.boundTo?.(id) ?? 'flai';
  return typeof bound === 'string' ? [bound] : bound;
}

/** True for watches that end with their job; a project has no terminal state. */
export const isSingleJob = (kind: WatchKind): boolean => kind !== 'ProjectProcessings';

/**
 * The current state of a target through fresh services: its job(s), or null when it does not
 * exist (a lookup's null, or a 404 from the project list).
 */
export async function fetchTarget(services: VendorServices, t: WatchTarget): Promise<JobFields[] | null> {
  if (t.kind !== 'ProjectProcessings') {
    const job = await JOB_REGISTRY[t.kind].load(services, t.id);
    return job ? [job] : null;
  }
  try {
    return await services.mapflow.listProjectProcessingsAll(t.id);
  } catch (err) {
    if (isNotFound(err)) return null;
    throw err;
  }
}

/**
 * What a job's change is judged on: state, vendor literal, progress, terminality and its type's
 * watched fields (JOB_REGISTRY). Anything else (e.g. `updatedAt` alone) is not news.
 */
export function fingerprint(job: JobFields): string {
  const rec = job as unknown as Record<string, unknown>;
  const parts: unknown[] = [job.state, job.upstreamStatus, job.progress ?? null, job.isTerminal];
  for (const f of jobKindOf(job)?.watchedFields ?? []) parts.push(rec[f] ?? null);
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
