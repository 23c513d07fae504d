import { JobState } from '../../schema/common/job.type.js';

/**
 * Cupix pointcloud `state` (else `potree_state`) → JobState, here and nowhere else. Only `done` and
 * the `potree_state` set are documented; the rest is inferred (docs/vendors.md,
 * "Cupix: pointcloud state literals"). Anything else maps to UNKNOWN; `upstreamStatus` keeps the literal.
 */
const STATES: Record<string, JobState> = {
  created: JobState.QUEUED,
  uploading: JobState.QUEUED,
  missing: JobState.QUEUED,
  processing: JobState.RUNNING,
  done: JobState.SUCCEEDED,
  uploaded: JobState.SUCCEEDED,
  error: JobState.FAILED,
  failed: JobState.FAILED,
};

export function pointcloudJobState(literal: string): JobState {
  return Object.hasOwn(STATES, literal) ? STATES[literal] : JobState.UNKNOWN;
}

export function isTerminalState(state: JobState): boolean {
  return state === JobState.SUCCEEDED || state === JobState.FAILED || state === JobState.CANCELLED;
}
