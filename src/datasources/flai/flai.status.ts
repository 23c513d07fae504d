import { JobState } from '../../schema/common/job.type.js';
import { FlowExecutionStatus } from '../../schema/flai/flow-execution-status.enum.js';

/**
 * Flai's status literals as job states, in one place. Documented are only `processing`,
 * `finish`/`finished` and `download-prepared`; the others are inferred
 * (docs/vendors.md, "Flai: flow execution status literals" and "Flai: download status literals").
 * Anything else is UNKNOWN (docs/decisions.md, "Unknown status literals become UNKNOWN").
 */
const EXECUTION: Record<string, { status: FlowExecutionStatus; state: JobState }> = {
  queued: { status: FlowExecutionStatus.QUEUED, state: JobState.QUEUED },
  created: { status: FlowExecutionStatus.QUEUED, state: JobState.QUEUED },
  processing: { status: FlowExecutionStatus.PROCESSING, state: JobState.RUNNING },
  finished: { status: FlowExecutionStatus.FINISHED, state: JobState.SUCCEEDED },
  finish: { status: FlowExecutionStatus.FINISHED, state: JobState.SUCCEEDED },
  failed: { status: FlowExecutionStatus.FAILED, state: JobState.FAILED },
  stopped: { status: FlowExecutionStatus.STOPPED, state: JobState.CANCELLED },
};
const UNKNOWN_EXECUTION = { status: FlowExecutionStatus.UNKNOWN, state: JobState.UNKNOWN };

const DOWNLOAD: Record<string, JobState> = {
  pending: JobState.QUEUED,
  processing: JobState.RUNNING,
  'download-prepared': JobState.SUCCEEDED,
  failed: JobState.FAILED,
};

/** The literal that means a download's files are ready (docs/vendors.md, "Flai: download status literals"). */
export const DOWNLOAD_PREPARED = 'download-prepared';

export function executionStatus(literal: string): { status: FlowExecutionStatus; state: JobState } {
  return EXECUTION[literal.trim().toLowerCase()] ?? UNKNOWN_EXECUTION;
}

export function downloadState(literal: string): JobState {
  return DOWNLOAD[literal.trim().toLowerCase()] ?? JobState.UNKNOWN;
}

export function isTerminalState(state: JobState): boolean {
  return state === JobState.SUCCEEDED || state === JobState.FAILED || state === JobState.CANCELLED;
}
