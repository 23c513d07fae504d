import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import type { Server } from '@tus/server';
import { credentialHash, type Credentials, type Vendor } from '../../credentials.js';
import { badInput, gqlError } from '../../errors.js';
import type { UploadLinks } from '../../links/upload-links.js';
import { JobState, Source } from '../../schema/common/job.type.js';
import type { DatasetType } from '../../schema/flai/dataset-type.enum.js';
import { UploadTarget, type CreateUploadInput, type Upload } from '../../schema/uploads/upload.type.js';
import type { FlaiService } from '../flai/flai.service.js';
import type { MapflowService } from '../mapflow/mapflow.service.js';
import { multipartFrame, receiveIntoMapflow } from './upload-mapflow.js';
import type { UploadTusStore } from './tus-store.js';
import { checkUploadInput } from './upload-input.js';
import { receiveIntoFlai, type ReceiveAnswer } from './upload-pipe.js';
import { isTerminalPhase, type UploadPatch, type UploadPhase, type UploadRecord, type UploadStore } from './upload-store.js';

/** What every caller's uploads service shares: the store, the URL signer, the event port and the uploads in flight here. */
export interface UploadsDeps {
  store: UploadStore;
  links: UploadLinks;
  maxBytes: number;
  /** Tells whoever follows the upload (the status bus, every replica) its new state. */
  publish(owner: string, upload: Upload): Promise<void>;
  /** The uploads whose bytes flow through this process: a cancel here stops them at once. */
  inFlight: Map<string, AbortController>;
  /** tus 1.0 on the same URLs (@tus/server with the Flai store). */
  tus: { server: Server; store: UploadTusStore };
}

const PHASE_STATE: Record<UploadPhase, JobState> = {
  created: JobState.QUEUED,
  receiving: JobState.RUNNING,
  ingesting: JobState.RUNNING,
  succeeded: JobState.SUCCEEDED,
  failed: JobState.FAILED,
  cancelled: JobState.CANCELLED,
};

const ID_PREFIX: Record<UploadRecord['target'], string> = { FLAI_DATASET: 'flai-upload-', MAPFLOW_MOSAIC: 'mapflow-upload-' };

/** Whose credential an upload is bound to, read from its id (null: not an upload id). */
export function uploadVendorOf(id: string): Vendor | null {
  if (id.startsWith(ID_PREFIX.FLAI_DATASET)) return 'flai';
  if (id.startsWith(ID_PREFIX.MAPFLOW_MOSAIC)) return 'mapflow';
  return null;
}

/** The domain object of a record (`__typename: 'Upload'`). */
export function toUpload(record: UploadRecord): Upload {
  const terminal = isTerminalPhase(record.phase);
  return Object.assign(Object.create(null) as Upload, {
    __typename: 'Upload' as const,
    id: record.id,
    source: Source.GATEWAY,
    state: PHASE_STATE[record.phase],
    upstreamStatus: record.phase,
    progress: record.size > 0 ? Math.min(100, (record.receivedBytes / record.size) * 100) : 0,
    isTerminal: terminal,
    updatedAt: new Date(record.updatedAt),
    createdAt: new Date(record.createdAt),
    target: record.target as UploadTarget,
    fileName: record.fileName,
    size: record.size,
    receivedBytes: record.receivedBytes,
    uploadUrl: terminal ? null : record.uploadUrl,
    expiresAt: new Date(record.expiresAt),
    datasetId: record.datasetId ?? null,
    mosaicId: record.mosaicId ?? null,
    imageId: record.imageId ?? null,
    error: record.error ?? null,
  });
}

/** The mosaic to add to, or a new one named after the file (without its extension). */
const mapflowTarget = (record: UploadRecord) => (record.mosaicId ? { mosaicId: record.mosaicId } : { name: record.fileName.replace(/\.[^.]+$/, '') || record.fileName });

/** Mapflow's own limits, before any byte (`GET /rasters/memory`), and the mosaic to add to. */
async function checkMapflowRoom(mapflow: MapflowService, input: CreateUploadInput): Promise<void> {
  const storage = await mapflow.data.storage();
  if (storage.maxUploadFileSize != null && input.size > storage.maxUploadFileSize) {
    throw badInput(`The file (${input.size} bytes) is larger than Mapflow takes: at most ${storage.maxUploadFileSize} bytes (maxUploadFileSize)`, ['input', 'size']);
  }
  if (storage.memoryFree != null && input.size > storage.memoryFree) {
    throw badInput(`The file (${input.size} bytes) does not fit in the Mapflow storage left: ${storage.memoryFree} bytes free`, ['input', 'size']);
  }
  if (input.mosaicId != null && !(await mapflow.data.mosaic(input.mosaicId))) throw badInput(`No mosaic ${input.mosaicId}`, ['input', 'mosaicId']);
}

export interface UploadsService {
  getUpload(id: string): Promise<Upload | null>;
  createUpload(input: CreateUploadInput): Promise<Upload>;
  cancelUpload(id: string): Promise<Upload>;
  /** The bytes of a plain PUT to `uploadUrl` (the link already checked: these credentials are the ones it is bound to). */
  receive(id: string, body: AsyncIterable<Buffer>, declaredLength: number | null): Promise<ReceiveAnswer>;
  /** A tus 1.0 request (HEAD, PATCH, OPTIONS) to `uploadUrl`, answered by @tus/server (the link already checked). */
  receiveTus(id: string, req: IncomingMessage, res: ServerResponse): Promise<void>;
}

/** The uploads of one caller (`ctx.services.uploads`): they see, follow and cancel only their own. */
export function createUploadsService(deps: UploadsDeps, credentials: Credentials, vendors: { flai: () => FlaiService; mapflow: () => MapflowService }): UploadsService {
  const { flai, mapflow } = vendors;
  const ownerOf = (vendor: Vendor) => credentialHash(vendor, credentials);
  const mine = async (id: string): Promise<UploadRecord | null> => {
    const vendor = uploadVendorOf(id);
    const owner = vendor && ownerOf(vendor);
    const record = owner ? await deps.store.get(id) : null;
    return record && record.owner === owner ? record : null;
  };
  const change = async (id: string, patch: UploadPatch): Promise<UploadRecord | null> => {
    const record = await deps.store.update(id, patch);
    if (record) await deps.publish(record.owner, toUpload(record));
    return record;
  };

  return {
    async getUpload(id) {
      const record = await mine(id);
      return record && toUpload(record);
    },

    async createUpload(input) {
      checkUploadInput(input, deps.maxBytes);
      const vendor: Vendor = input.target === UploadTarget.FLAI_DATASET ? 'flai' : 'mapflow';
      const owner = ownerOf(vendor);
      if (!owner) throw gqlError('UNAUTHENTICATED', `No credentials for ${vendor}: an upload is bound to the caller's ${vendor} credential`);
      if (input.target === UploadTarget.MAPFLOW_MOSAIC) await checkMapflowRoom(mapflow(), input);
      const id = `${ID_PREFIX[input.target]}${randomUUID()}`;
      const link = await deps.links.make(id, vendor, credentials);
      const now = Date.now();
      const { dataset } = input;
      const record: UploadRecord = {
        id,
        owner,
        target: input.target,
        fileName: input.fileName,
        size: input.size,
        receivedBytes: 0,
        phase: 'created',
        createdAt: now,
        updatedAt: now,
        uploadUrl: link.url,
        expiresAt: link.expiresAt.getTime(),
        ...(input.target === UploadTarget.FLAI_DATASET ? { sessionKey: randomUUID() } : {}),
        ...(input.mosaicId ? { mosaicId: input.mosaicId } : {}),
        ...(dataset ? { dataset: { name: dataset.name, description: dataset.description, type: dataset.type, srid: dataset.srid, unit: dataset.unit } } : {}),
      };
      return toUpload(await deps.store.create(record, input.idempotencyKey));
    },

    async cancelUpload(id) {
      const record = await mine(id);
      if (!record) throw gqlError('NOT_FOUND', `No upload ${id}`);
      if (isTerminalPhase(record.phase)) return toUpload(record);
      const cancelled = (await change(id, { phase: 'cancelled', error: 'Cancelled by cancelUpload.' })) ?? record;
      // Bytes flowing through this replica stop at once; through another, before its next chunk.
      deps.inFlight.get(id)?.abort();
      return toUpload(cancelled);
    },

    async receiveTus(id, req, res) {
      const record = await mine(id);
      if (!record) {
        res.writeHead(403, { 'tus-resumable': '1.0.0', 'content-type': 'text/plain' }).end('This upload URL is not valid for this upload.\n');
        return;
      }
      const senders = deps.tus.store.senders;
      senders.set(id, {
        change: (patch) => change(id, patch),
        sendChunk: (chunk) =>
          flai().sendUploadChunk({ ...chunk, sessionKey: record.sessionKey!, fileName: record.fileName, totalFileSize: record.size, type: record.dataset!.type as DatasetType }),
        createDataset: async (endFilename) => (await flai().createUploadedDataset({ ...record.dataset!, type: record.dataset!.type as DatasetType }, endFilename)).id,
        sendFile: async (file) => {
          const boundary = `----gateway-upload-${record.id}`;
          const { head, tail } = multipartFrame(record.fileName, boundary);
          const stream = Readable.from((async function* () {
            yield head;
            yield* file;
            yield tail;
          })());
          const image = await mapflow().data.uploadImage(mapflowTarget(record), { stream, length: head.length + record.size + tail.length, contentType: `multipart/form-data; boundary=${boundary}` });
          return { imageId: image.id, mosaicId: image.mosaicId };
        },
      });
      try {
        await deps.tus.server.handle(req, res);
      } finally {
        senders.delete(id);
      }
    },

    async receive(id, body, declaredLength) {
      const record = await mine(id);
      if (!record) return { status: 403, error: 'This upload URL is not valid for this upload.' };
      if (record.phase !== 'created') {
        return { status: 409, error: isTerminalPhase(record.phase) ? `This upload is already ${record.phase}.` : 'This upload is already receiving its bytes.' };
      }
      const abort = new AbortController();
      deps.inFlight.set(id, abort);
      try {
        if (record.target === 'MAPFLOW_MOSAIC') {
          return await receiveIntoMapflow({
            record,
            body,
            declaredLength,
            signal: abort.signal,
            change: (patch) => change(id, patch),
            send: (multipart) => mapflow().data.uploadImage(mapflowTarget(record), multipart),
          });
        }
        return await receiveIntoFlai({
          record: record as UploadRecord & { sessionKey: string; dataset: { type: string } },
          body,
          declaredLength,
          signal: abort.signal,
          change: (patch) => change(id, patch),
          current: () => deps.store.get(id),
          sendChunk: (chunk) =>
            flai().sendUploadChunk({ ...chunk, sessionKey: record.sessionKey!, fileName: record.fileName, totalFileSize: record.size, type: record.dataset!.type as DatasetType }),
          createDataset: async (endFilename) => (await flai().createUploadedDataset({ ...record.dataset!, type: record.dataset!.type as DatasetType }, endFilename)).id,
        });
      } finally {
        deps.inFlight.delete(id);
      }
    },
  };
}
