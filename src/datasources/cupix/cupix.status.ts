import { JobState } from '../../schema/common/job.type.js';

/**
 * Cupix pointcloud `state` (else `potree_state`) → JobState: the architecture.md status table, here
 * and nowhere else. Documented literals: `state` "done" (the only value any example shows) and the
 * `potree_state` enum (created, processing, uploading, missing, uploaded, error). Inferred: `state`
 * "processing" / "error" / "failed" and reading the potree literals the same way when `state` is absent.
 * Anything else maps to UNKNOWN; `upstreamStatus` keeps the literal.
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
