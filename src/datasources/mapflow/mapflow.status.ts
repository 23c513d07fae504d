import { JobState } from '../../schema/common/job.type.js';
import { ProcessingStatus, ReviewStatus } from '../../schema/mapflow/mapflow.enum.js';

/**
 * Mapflow's status literals -> our enums and JobState (docs/vendors.md, "Mapflow: processing status
 * literals"): the literals are the vendor's, the JobState of each is our inference. Anything else
 * is UNKNOWN and never fails a query; `upstreamStatus` keeps the literal.
 */
const STATUS: Readonly<Record<string, ProcessingStatus>> = {
  UNPROCESSED: ProcessingStatus.UNPROCESSED,
  IN_PROGRESS: ProcessingStatus.IN_PROGRESS,
  AWAITING: ProcessingStatus.AWAITING,
  OK: ProcessingStatus.OK,
  IN_REVIEW: ProcessingStatus.IN_REVIEW,
  FAILED: ProcessingStatus.FAILED,
  CANCELLED: ProcessingStatus.CANCELLED,
  CANCELED: ProcessingStatus.CANCELLED, // the stats filter's spelling
  REFUNDED: ProcessingStatus.REFUNDED,
};

const JOB_STATE: Readonly<Record<ProcessingStatus, JobState>> = {
  [ProcessingStatus.UNPROCESSED]: JobState.QUEUED,
  [ProcessingStatus.AWAITING]: JobState.QUEUED,
  [ProcessingStatus.IN_PROGRESS]: JobState.RUNNING,
  // Results under review (an account option): not final, so watched like a running job.
  [ProcessingStatus.IN_REVIEW]: JobState.RUNNING,
  [ProcessingStatus.OK]: JobState.SUCCEEDED,
  [ProcessingStatus.FAILED]: JobState.FAILED,
  [ProcessingStatus.CANCELLED]: JobState.CANCELLED,
  [ProcessingStatus.REFUNDED]: JobState.CANCELLED,
  [ProcessingStatus.UNKNOWN]: JobState.UNKNOWN,
};

const REVIEW: Readonly<Record<string, ReviewStatus>> = {
  IN_REVIEW: ReviewStatus.IN_REVIEW,
  NOT_ACCEPTED: ReviewStatus.NOT_ACCEPTED,
  ACCEPTED: ReviewStatus.ACCEPTED,
  REFUNDED: ReviewStatus.REFUNDED,
};

const TERMINAL: ReadonlySet<ProcessingStatus> = new Set([
  ProcessingStatus.OK,
  ProcessingStatus.FAILED,
  ProcessingStatus.CANCELLED,
  ProcessingStatus.REFUNDED,
]);

export const processingStatusOf = (literal: string): ProcessingStatus => STATUS[literal] ?? ProcessingStatus.UNKNOWN;

export const jobStateOf = (status: ProcessingStatus): JobState => JOB_STATE[status];

export const reviewStatusOf = (literal: string | null | undefined): ReviewStatus | null =>
  literal == null ? null : (REVIEW[literal] ?? ReviewStatus.UNKNOWN);

/** A terminal status, unless the reviewer rejected an OK result (NOT_ACCEPTED): Mapflow then reworks it. */
export const isTerminalProcessing = (status: ProcessingStatus, review: ReviewStatus | null): boolean =>
  TERMINAL.has(status) && !(status === ProcessingStatus.OK && review === ReviewStatus.NOT_ACCEPTED);
