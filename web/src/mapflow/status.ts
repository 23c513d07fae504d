import type { JobState, ProcessingStatus } from '../generated/graphql';

/**
 * An AOI has only Mapflow's status, no lifecycle state: the same mapping as the gateway's for
 * processings (architecture.md), so an AOI and its processing are coloured alike.
 */
export function aoiState(status: ProcessingStatus): JobState {
  switch (status) {
    case 'UNPROCESSED':
    case 'AWAITING':
      return 'QUEUED';
    case 'IN_PROGRESS':
    case 'IN_REVIEW':
      return 'RUNNING';
    case 'OK':
      return 'SUCCEEDED';
    case 'FAILED':
      return 'FAILED';
    case 'CANCELLED':
    case 'REFUNDED':
      return 'CANCELLED';
    default:
      return 'UNKNOWN';
  }
}
