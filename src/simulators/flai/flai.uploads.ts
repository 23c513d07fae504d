import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { SimContext, SimResult } from '../core/index.js';
import { flaiErrors } from './flai.errors.js';
import type { DatasetType } from './flai.types.js';

/**
 * Flai's direct upload, `POST /tools/upload` (docs/vendors.md, "Flai: direct upload"): a file sent in
 * chunks of one session, staged on disk (one temp directory per session, never a whole file in
 * memory) until a dataset is made from it with `datasource_type: "upload_storage_tmp"`.
 */

/** The SDK's chunk size (`DEFAULT_CHUNK_SIZE = 8000000`). */
export const UPLOAD_CHUNK_BYTES = 8_000_000;
/** [INFER] The largest chunk taken: 8 MiB, a margin above the SDK's 8 MB for clients that count in MiB. */
export const UPLOAD_CHUNK_MAX_BYTES = 8 * 1024 * 1024;
/** [INFER] Room for the form fields and part headers of one chunk's multipart body. */
export const UPLOAD_FORM_OVERHEAD_BYTES = 64 * 1024;
/** The SDK's first `chunk_index` ("for easier sorting on BE"). */
export const FIRST_CHUNK_INDEX = 10_000;
/** [INFER] A session nobody sent a chunk to for this long (virtual time) is discarded with its files. */
export const UPLOAD_SESSION_TTL_MS = 24 * 60 * 60 * 1000;

/**
 * [INFER] What the simulator takes as a point cloud: LAS and LAZ (`LASF`), E57 (`ASTM-E57`), PLY
 * (`ply` and a line end), a zip (the SDK's CLI zips several files into one upload) and Cupix's `.cpc`
 * (`CPC\0`: what a Cupix download is, passed on by `classifyPointcloud`). Flai documents
 * no format list; only what is clearly none of these is refused.
 */
const POINT_CLOUD_SIGNATURES = [Buffer.from('CPC\0', 'latin1'), Buffer.from('LASF'), Buffer.from('ASTM-E57'), Buffer.from('ply\n'), Buffer.from('ply\r\n'), Buffer.from('PK\x03\x04', 'latin1')];
/** How many leading bytes of a file decide its format. */
export const SIGNATURE_BYTES = 8;

/** Whether `head` (the first bytes received) can still begin a point cloud; `complete`: no more bytes come. */
export function looksLikePointCloud(head: Buffer, { complete }: { complete: boolean }): boolean {
  return POINT_CLOUD_SIGNATURES.some((sig) =>
    head.length >= sig.length ? head.subarray(0, sig.length).equals(sig) : !complete && sig.subarray(0, head.length).equals(head),
  );
}

/** One chunk's form fields, validated. */
export interface ChunkFields {
  file_name: string;
  total_file_size: number;
  session_key: string;
  dataset_type: DatasetType;
  chunk_start_byte: number;
  chunk_end_byte: number;
  chunk_index: number;
}

/** One chunk's bytes, staged on disk while the request was read. */
export interface IncomingChunk {
  path: string;
  bytes: number;
  /** Its first SIGNATURE_BYTES bytes. */
  head: Buffer;
}

interface StagedFile {
  fileName: string;
  datasetType: DatasetType;
  totalSize: number;
  received: number;
  nextIndex: number;
  head: Buffer;
  path: string;
}

interface UploadSession {
  key: string;
  tenant: string;
  dir: string;
  files: Map<string, StagedFile>;
  lastActivityMs: number;
}

/** A session as `GET /__sim/uploads` lists it. */
export interface UploadSessionView {
  session_key: string;
  tenant: string;
  directory: string;
  files: { file_name: string; dataset_type: string; total_file_size: number; received_bytes: number; next_chunk_index: number; complete: boolean; staged_bytes: number }[];
}

const endFilename = (session: UploadSession, file: StagedFile) => `${session.key}/${file.fileName}`;

export class FlaiUploads {
  private readonly root = mkdtempSync(join(tmpdir(), 'flai-sim-uploads-'));
  private readonly sessions = new Map<string, UploadSession>();

  constructor(private readonly ctx: SimContext) {}

  /** Where a request stages its chunk while it is read (removed by the caller unless accepted). */
  incomingPath(): string {
    return join(this.root, `incoming-${randomUUID()}`);
  }

  /** Checks a chunk against its file's upload so far, then appends it to the staged file. */
  async accept(tenant: string, fields: ChunkFields, chunk: IncomingChunk): Promise<SimResult> {
    const taken = this.sessions.get(fields.session_key);
    if (taken && taken.tenant !== tenant) return flaiErrors.validation({ session_key: ['The session key has already been taken.'] });
    const session = taken ?? { key: fields.session_key, tenant, dir: join(this.root, fields.session_key), files: new Map(), lastActivityMs: this.ctx.clock.now() };
    const known = session.files.get(fields.file_name);
    const file: StagedFile = known ?? {
      fileName: fields.file_name,
      datasetType: fields.dataset_type,
      totalSize: fields.total_file_size,
      received: 0,
      nextIndex: FIRST_CHUNK_INDEX,
      head: Buffer.alloc(0),
      path: join(session.dir, fields.file_name),
    };
    const refused = refusal(file, fields, chunk);
    if (refused) return flaiErrors.validation(refused);

    // Reserve the range before the first await, so a concurrent copy of this chunk is out of order.
    const before = { received: file.received, nextIndex: file.nextIndex, head: file.head };
    file.received = fields.chunk_end_byte;
    file.nextIndex = fields.chunk_index + 1;
    file.head = Buffer.concat([file.head, chunk.head]).subarray(0, SIGNATURE_BYTES);
    if (!taken) {
      mkdirSync(session.dir, { recursive: true });
      this.sessions.set(session.key, session);
      this.scheduleExpiry(session);
    }
    session.files.set(file.fileName, file);
    session.lastActivityMs = this.ctx.clock.now();
    try {
      await pipeline(createReadStream(chunk.path), createWriteStream(file.path, { flags: 'a' }));
    } catch (err) {
      Object.assign(file, before);
      throw err;
    }
    const complete = file.received === file.totalSize;
    return {
      status: 200,
      json: {
        session_key: session.key,
        file_name: file.fileName,
        chunk_index: fields.chunk_index,
        received_bytes: file.received,
        total_file_size: file.totalSize,
        ...(complete ? { end_filename: endFilename(session, file) } : { next_chunk_index: file.nextIndex, next_chunk_start_byte: file.received }),
      },
    };
  }

  /**
   * What `import_datasource.path` of an `upload_storage_tmp` dataset names: a complete file
   * (`end_filename`), or a whole session (`{session_key}`) whose files are all complete.
   */
  resolve(tenant: string, path: string): { bytes: number } | { error: string } {
    const [key, fileName, ...rest] = path.replace(/^\/+/, '').split('/');
    const session = this.sessions.get(key);
    if (!session || session.tenant !== tenant || rest.length) return { error: 'The selected import datasource.path is invalid.' };
    const files = fileName === undefined || fileName === '' ? [...session.files.values()] : [session.files.get(fileName)];
    let bytes = 0;
    for (const file of files) {
      if (!file) return { error: 'The selected import datasource.path is invalid.' };
      if (file.received < file.totalSize) {
        return { error: `The import datasource.path is not completely uploaded: ${file.received} of ${file.totalSize} bytes received.` };
      }
      bytes += file.totalSize;
    }
    return { bytes };
  }

  /** A dataset was made from `path` (resolved before): its staged files go, and the session when empty. */
  consume(path: string): void {
    const [key, fileName] = path.replace(/^\/+/, '').split('/');
    const session = this.sessions.get(key);
    if (!session) return;
    if (fileName) {
      session.files.delete(fileName);
      rmSync(join(session.dir, fileName), { force: true });
    }
    if (!fileName || session.files.size === 0) this.discard(key);
  }

  /** Drops a session and its staged files; false when there is none. */
  discard(key: string): boolean {
    const session = this.sessions.get(key);
    if (!session) return false;
    this.sessions.delete(key);
    rmSync(session.dir, { recursive: true, force: true });
    return true;
  }

  list(): UploadSessionView[] {
    return [...this.sessions.values()].map((session) => ({
      session_key: session.key,
      tenant: session.tenant,
      directory: session.dir,
      files: [...session.files.values()].map((file) => ({
        file_name: file.fileName,
        dataset_type: file.datasetType,
        total_file_size: file.totalSize,
        received_bytes: file.received,
        next_chunk_index: file.nextIndex,
        complete: file.received === file.totalSize,
        staged_bytes: stagedBytes(file.path),
      })),
    }));
  }

  /** Removes every staged byte (the simulator is closing). */
  async dispose(): Promise<void> {
    this.sessions.clear();
    await rm(this.root, { recursive: true, force: true });
  }

  private scheduleExpiry(session: UploadSession): void {
    this.ctx.scheduler.at(session.lastActivityMs + UPLOAD_SESSION_TTL_MS, (at) => {
      if (this.sessions.get(session.key) !== session) return;
      if (at - session.lastActivityMs >= UPLOAD_SESSION_TTL_MS) this.discard(session.key);
      else this.scheduleExpiry(session);
    });
  }
}

/** Why a chunk does not continue its file (Laravel-style field errors), or null. */
function refusal(file: StagedFile, fields: ChunkFields, chunk: IncomingChunk): Record<string, string[]> | null {
  const errors: Record<string, string[]> = {};
  const add = (field: string, message: string) => (errors[field] ??= []).push(message);
  if (file.received === file.totalSize && file.received > 0) add('file_name', 'The file has already been uploaded completely in this session.');
  if (fields.total_file_size !== file.totalSize) add('total_file_size', `The total file size must stay ${file.totalSize} for the whole upload of this file.`);
  if (fields.chunk_index !== file.nextIndex) add('chunk_index', `The chunk index must be ${file.nextIndex}: the next chunk of this file.`);
  if (fields.chunk_start_byte !== file.received) add('chunk_start_byte', `The chunk start byte must be ${file.received}: chunks follow each other without a gap.`);
  if (fields.chunk_end_byte > fields.total_file_size) add('chunk_end_byte', 'The chunk end byte must not be greater than the total file size.');
  if (fields.chunk_end_byte - fields.chunk_start_byte !== chunk.bytes) {
    add('file_chunk', `The file chunk must be ${fields.chunk_end_byte - fields.chunk_start_byte} bytes (chunk end byte - chunk start byte); it has ${chunk.bytes}.`);
  }
  if (Object.keys(errors).length) return errors;
  if (file.datasetType === 'pointcloud') {
    const head = Buffer.concat([file.head, chunk.head]).subarray(0, SIGNATURE_BYTES);
    if (!looksLikePointCloud(head, { complete: fields.chunk_end_byte === fields.total_file_size })) {
      add('file_chunk', 'The file is not a point cloud (LAS, LAZ, E57, PLY, or a zip of them).');
    }
  }
  return Object.keys(errors).length ? errors : null;
}

function stagedBytes(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}
