import type { Logger } from '../../observability/logger.js';
import { isTerminalPhase, MemoryJobRecordStore, RedisJobRecordStore, TERMINAL_PHASES, type JobRecordStore } from '../shared/job-record-store.js';

/** Where an upload stands; the gateway's own literals, `Upload.upstreamStatus`. */
export type UploadPhase = 'created' | 'receiving' | 'ingesting' | 'succeeded' | 'failed' | 'cancelled';
export { isTerminalPhase, TERMINAL_PHASES };

/** One upload as the gateway keeps it (memory, or Redis shared by the replicas). No secret in it. */
export interface UploadRecord {
  id: string;
  /** The credential hash (credentials.ts) of the caller who made it: only they read, follow or cancel it. */
  owner: string;
  target: 'FLAI_DATASET' | 'MAPFLOW_MOSAIC';
  fileName: string;
  size: number;
  receivedBytes: number;
  phase: UploadPhase;
  createdAt: number;
  updatedAt: number;
  uploadUrl: string;
  expiresAt: number;
  /** FLAI_DATASET: the dataset to make, and the vendor's session. */
  dataset?: { name: string; description?: string | null; type: string; srid?: number | null; unit?: string | null };
  sessionKey?: string;
  datasetId?: string;
  /** MAPFLOW_MOSAIC: the mosaic to add to (none: a new one named after the file), then the image made. */
  mosaicId?: string;
  imageId?: string;
  error?: string;
  errorCode?: string;
}

export type UploadPatch = Partial<Pick<UploadRecord, 'receivedBytes' | 'phase' | 'datasetId' | 'mosaicId' | 'imageId' | 'error' | 'errorCode'>>;

/** The upload records (src/datasources/shared/job-record-store.ts): `<prefix>upload:<id>` in Redis, or memory. */
export type UploadStore = JobRecordStore<UploadRecord, UploadPatch>;

export class MemoryUploadStore extends MemoryJobRecordStore<UploadRecord, UploadPatch> {}

export class RedisUploadStore extends RedisJobRecordStore<UploadRecord, UploadPatch> {
  constructor(url: string, prefix: string, log: Logger) {
    super(url, prefix, 'upload', log);
  }
}
