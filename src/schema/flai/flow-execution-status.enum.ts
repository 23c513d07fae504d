import { registerEnumType } from 'type-graphql';

export enum FlowExecutionStatus {
  QUEUED = 'QUEUED',
  PROCESSING = 'PROCESSING',
  FINISHED = 'FINISHED',
  FAILED = 'FAILED',
  STOPPED = 'STOPPED',
  UNKNOWN = 'UNKNOWN',
}

registerEnumType(FlowExecutionStatus, {
  name: 'FlowExecutionStatus',
  description: "A Flai flow execution's status; the vendor literal stays in `upstreamStatus`.",
  valuesConfig: {
    QUEUED: { description: 'Waiting for a GPU (`queued`, `created`).' },
    PROCESSING: { description: 'Running (`processing`).' },
    FINISHED: { description: 'Done, outputs written (`finished`, also `finish`).' },
    FAILED: { description: 'Ended with an error (`failed`).' },
    STOPPED: { description: 'Stopped before the end (`stopped`).' },
    UNKNOWN: { description: 'A literal this gateway does not know yet; see `upstreamStatus`.' },
  },
});
