import type { Vendor } from '../../credentials.js';
import { ClassificationStage, type PointcloudClassification } from '../../schema/classify/pointcloud-classification.type.js';
import { JobState, Source } from '../../schema/common/job.type.js';
import { isTerminalPhase, type JobRecord, type JobRecordStore } from '../shared/job-record-store.js';

/** Where a classification stands; the gateway's own literals. */
export type ClassifyPhase = 'queued' | 'transferring' | 'importing' | 'classifying' | 'succeeded' | 'failed' | 'cancelled';

/**
 * One classification as the gateway keeps it (memory, or Redis shared by the replicas). Each stage
 * records what it finished here, so a job continued by another replica resumes after it: the bytes
 * Flai acknowledged (`transferredBytes`, in `sessionKey`), the file Flai named (`endFilename`), the
 * dataset (`datasetId`) and the execution (`executionId`). No secret in it: the credentials to go on
 * with are in the vault (classify.deps.ts). No arrays either (Redis' cjson would turn an empty one into `{}`).
 */
export interface ClassificationRecord extends JobRecord {
  phase: ClassifyPhase;
  /** The stage reached; a failed or cancelled job keeps the one it ended in. */
  stage: ClassificationStage;
  pointcloudId: string;
  flowId: string;
  /** The flow's point-cloud reader node, whose `dataset_id` the gateway sets. */
  readerKey: string;
  datasetName: string;
  /** The caller's options of the other nodes, as JSON text. */
  nodeOptionsJson: string;
  /** The file name Flai's upload is given (the point cloud's download name). */
  fileName: string;
  /** Flai's upload session; a new one when the old one cannot be resumed. */
  sessionKey: string;
  totalBytes: number | null;
  /** Bytes Flai acknowledged in `sessionKey`. */
  transferredBytes: number;
  endFilename?: string;
  datasetId?: string;
  executionId?: string;
  /** The execution's status literal and progress as last seen. */
  executionStatus?: string;
  executionProgress?: number;
  error?: string;
  errorCode?: string;
  /** What happened, one line each (a resumed transfer, a new upload session); never a secret. */
  log: string;
}

export type ClassificationPatch = Partial<
  Pick<
    ClassificationRecord,
    | 'phase'
    | 'stage'
    | 'sessionKey'
    | 'totalBytes'
    | 'transferredBytes'
    | 'endFilename'
    | 'datasetId'
    | 'executionId'
    | 'executionStatus'
    | 'executionProgress'
    | 'error'
    | 'errorCode'
    | 'log'
  >
>;

export type ClassificationStore = JobRecordStore<ClassificationRecord, ClassificationPatch>;

export const CLASSIFICATION_ID_PREFIX = 'classification-';

/** A classification is bound to its caller's Flai and Cupix credentials together. */
export const CLASSIFICATION_VENDORS = ['flai', 'cupix'] as const satisfies readonly Vendor[];

/** The credentials a classification id is bound to (null: not a classification id). */
export function classificationVendorsOf(id: string): readonly Vendor[] | null {
  return id.startsWith(CLASSIFICATION_ID_PREFIX) ? CLASSIFICATION_VENDORS : null;
}

const PHASE_STATE: Record<ClassifyPhase, JobState> = {
  queued: JobState.QUEUED,
  transferring: JobState.RUNNING,
  importing: JobState.RUNNING,
  classifying: JobState.RUNNING,
  succeeded: JobState.SUCCEEDED,
  failed: JobState.FAILED,
  cancelled: JobState.CANCELLED,
};

/** How much of `progress` (0..100) each stage spans: the transfer is most of the wall time. */
const SPAN: Record<ClassificationStage, [number, number]> = {
  TRANSFERRING: [0, 70],
  IMPORTING: [70, 75],
  CLASSIFYING: [75, 100],
  DONE: [100, 100],
};

function progressOf(r: ClassificationRecord): number {
  if (r.phase === 'succeeded') return 100;
  const [from, to] = SPAN[r.stage];
  let share = 0;
  if (r.stage === ClassificationStage.TRANSFERRING) share = r.totalBytes ? r.transferredBytes / r.totalBytes : 0;
  if (r.stage === ClassificationStage.CLASSIFYING) share = (r.executionProgress ?? 0) / 100;
  return Math.round((from + (to - from) * Math.min(1, share)) * 100) / 100;
}

/**
 * `upstreamStatus`: the stage; for a job that failed while Flai ran the flow, the execution's own
 * status literal (e.g. `failed`).
 */
function upstreamStatusOf(r: ClassificationRecord): string {
  if (r.phase === 'failed' && r.stage === ClassificationStage.CLASSIFYING && r.executionStatus) return r.executionStatus;
  return r.stage;
}

/** The domain object of a record (`__typename: 'PointcloudClassification'`). */
export function toClassification(r: ClassificationRecord): PointcloudClassification {
  return Object.assign(Object.create(null) as PointcloudClassification, {
    __typename: 'PointcloudClassification' as const,
    id: r.id,
    source: Source.GATEWAY,
    state: PHASE_STATE[r.phase],
    upstreamStatus: upstreamStatusOf(r),
    progress: progressOf(r),
    isTerminal: isTerminalPhase(r.phase),
    updatedAt: new Date(r.updatedAt),
    createdAt: new Date(r.createdAt),
    stage: r.stage,
    pointcloudId: r.pointcloudId,
    datasetId: r.datasetId ?? null,
    flowExecutionId: r.executionId ?? null,
    totalBytes: r.totalBytes,
    transferredBytes: r.transferredBytes,
    error: r.error ?? null,
  });
}

/** `log` with one more line. */
export const logged = (r: Pick<ClassificationRecord, 'log'>, line: string): string => `${r.log}\n${new Date().toISOString()} ${line}`;
